#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads Nextflow module files without Nextflow (helper of tests/scripts/nextflow_module.sh).

  nf_module.py block MAIN_NF PROCESS script|stub KEY=VALUE...
      prints the bash body of the process's script: or stub: block as Nextflow would run it:
      indentation stripped, Groovy escapes (\\$, \\\\) resolved and every ${expr} replaced by the
      value given as expr=VALUE (e.g. 'task.cpus - 1=1'); an expression without a value is an error.
  nf_module.py outputs MAIN_NF PROCESS
      prints "emit<TAB>glob" for each output of the process.
  nf_module.py inputs MAIN_NF PROCESS
      prints the input names of the process, one per line (tuple elements flattened).
  nf_module.py smk-shell SMK_FILE RULE KEY=VALUE...
      prints a Snakemake rule's shell: command with {placeholders} replaced (again all must be given).
  nf_module.py meta META_YML MAIN_NF PROCESS
      checks meta.yml's structure (the nf-core module meta schema's rules) and that its inputs and
      outputs are the process's; prints problems, exits 1 if any.
"""
import re
import sys
import textwrap


def process_text(main_nf, process):
    text = open(main_nf, encoding="utf-8").read()
    m = re.search(r"^process\s+" + re.escape(process) + r"\s*\{", text, re.M)
    if not m:
        sys.exit(f"{main_nf}: no process {process}")
    depth, i = 0, m.end() - 1
    while i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[m.end():i]
        i += 1
    sys.exit(f"{main_nf}: process {process} is not closed")


def section(body, name, following):
    """Lines of a `name:` section up to the next section label."""
    lines = body.split("\n")
    out, inside = [], False
    for line in lines:
        label = re.match(r"^\s*(\w+):\s*$", line)
        if label and label.group(1) == name:
            inside = True
            continue
        if inside and label and label.group(1) in following:
            break
        if inside:
            out.append(line)
    if not inside:
        sys.exit(f"no {name}: section")
    return out


LABELS = ("input", "output", "when", "script", "stub", "exec", "shell")


def block(main_nf, process, which, values):
    lines = section(process_text(main_nf, process), which, LABELS)
    quotes = [i for i, l in enumerate(lines) if l.strip() == '"""']
    if len(quotes) < 2:
        sys.exit(f"{which}: no triple-quoted body")
    body = textwrap.dedent("\n".join(lines[quotes[0] + 1:quotes[1]]))

    def substitute(match):
        token = match.group(0)
        if token == "\\\\":
            return "\\"
        if token == "\\$":
            return "$"
        expr = match.group(1).strip()
        if expr not in values:
            sys.exit(f"{which}: no value for Groovy expression ${{{expr}}}")
        return values[expr]

    return re.sub(r"\\\\|\\\$|\$\{([^}]*)\}", substitute, body) + "\n"


def outputs(main_nf, process):
    out = []
    for line in section(process_text(main_nf, process), "output", LABELS):
        emit = re.search(r"emit:\s*(\w+)", line)
        glob = re.findall(r"path\s*\(?\s*[\"']([^\"']+)[\"']", line)
        if emit and glob:
            out.append((emit.group(1), glob[-1]))
    return out


def inputs(main_nf, process):
    names = []
    for line in section(process_text(main_nf, process), "input", LABELS):
        names += re.findall(r"(?:val|path)\s*\(\s*(\w+)", line)
    return names


def smk_shell(smk_file, rule, values):
    text = open(smk_file, encoding="utf-8").read()
    m = re.search(r"^rule\s+" + re.escape(rule) + r"\s*:(.*?)(?=^rule\s|\Z)", text, re.M | re.S)
    if not m:
        sys.exit(f"{smk_file}: no rule {rule}")
    lines = m.group(1).split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "shell:")
    parts = []
    for line in lines[start + 1:]:
        s = line.strip()
        if s.startswith("#"):
            continue
        lit = re.fullmatch(r"\"(.*)\",?", s)
        if not lit:
            break
        parts.append(lit.group(1))
    command = "".join(parts)

    def substitute(match):
        key = match.group(1)
        if key not in values:
            sys.exit(f"{rule}: no value for placeholder {{{key}}}")
        return values[key]

    return re.sub(r"\{([^{}]+)\}", substitute, command) + "\n"


TYPES = {"map", "file", "directory", "string", "integer", "float", "boolean", "list"}


def check_element(where, element, problems):
    if not isinstance(element, dict) or len(element) != 1:
        problems.append(f"{where}: expected a one-key mapping, got {element!r:.80}")
        return None
    (name, spec), = element.items()
    if not isinstance(spec, dict):
        problems.append(f"{where}.{name}: expected a mapping")
        return name
    if spec.get("type") not in TYPES:
        problems.append(f"{where}.{name}: type {spec.get('type')!r} not one of {sorted(TYPES)}")
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        problems.append(f"{where}.{name}: no description")
    for onto in spec.get("ontologies", []) or []:
        if not isinstance(onto, dict) or not all(str(v).startswith(("http://", "https://")) for v in onto.values()):
            problems.append(f"{where}.{name}: bad ontology {onto!r}")
    return name


def meta(meta_yml, main_nf, process):
    import yaml

    problems = []
    m = yaml.safe_load(open(meta_yml, encoding="utf-8"))
    for key in ("name", "description", "keywords", "authors", "output", "tools", "input", "maintainers"):
        if key not in m:
            problems.append(f"missing key {key}")
    if m.get("name") != process.lower():
        problems.append(f"name {m.get('name')!r} is not the process name in lower case ({process.lower()})")
    keywords = m.get("keywords") or []
    if len(keywords) < 3 or len(set(keywords)) != len(keywords) or not all(isinstance(k, str) for k in keywords):
        problems.append("keywords: need >= 3 unique strings")
    for tool in m.get("tools") or []:
        if not isinstance(tool, dict) or len(tool) != 1:
            problems.append(f"tools: entry {tool!r:.60} is not a one-key mapping")
            continue
        (tname, spec), = tool.items()
        if not spec.get("description"):
            problems.append(f"tools.{tname}: no description")
        if not any(k in spec for k in ("homepage", "documentation", "tool_dev_url", "doi")):
            problems.append(f"tools.{tname}: needs one of homepage, documentation, tool_dev_url, doi")
        doi = spec.get("doi")
        if doi is not None and doi != "no DOI available" and not re.match(r"^10\.\d{4,9}/[^,]+$", str(doi)):
            problems.append(f"tools.{tname}: bad doi {doi!r}")
        licence = spec.get("licence")
        if not isinstance(licence, list) or not licence:
            problems.append(f"tools.{tname}: licence must be a non-empty list")
    if not any("kitrx" in t for t in m.get("tools") or [] if isinstance(t, dict)):
        problems.append("tools: no kitrx entry")

    meta_inputs = []
    for i, channel in enumerate(m.get("input") or []):
        if not isinstance(channel, list):
            problems.append(f"input[{i}] is not a list")
            continue
        meta_inputs += [check_element(f"input[{i}]", e, problems) for e in channel]
    if meta_inputs != inputs(main_nf, process):
        problems.append(f"input names {meta_inputs} differ from main.nf's {inputs(main_nf, process)}")

    meta_outputs = []
    for i, channel in enumerate(m.get("output") or []):
        if not isinstance(channel, dict) or len(channel) != 1:
            problems.append(f"output[{i}] is not a one-key mapping")
            continue
        (emit, elements), = channel.items()
        names = [check_element(f"output.{emit}", e, problems) for e in elements or []]
        files = [n for n in names if n and n != "meta"]
        meta_outputs.append((emit, files[-1] if files else None))
        for e in elements or []:
            (name, spec), = e.items()
            if name != "meta" and spec.get("pattern") not in (None, name):
                problems.append(f"output.{emit}: pattern {spec.get('pattern')!r} differs from the name {name!r}")
    if meta_outputs != outputs(main_nf, process):
        problems.append(f"outputs {meta_outputs} differ from main.nf's {outputs(main_nf, process)}")
    for author in (m.get("authors") or []) + (m.get("maintainers") or []):
        if not isinstance(author, str):
            problems.append(f"author {author!r} is not a string")
    for p in problems:
        print(f"meta.yml: {p}", file=sys.stderr)
    return 1 if problems else 0


def pairs(args):
    values = {}
    for a in args:
        key, sep, value = a.partition("=")
        if not sep:
            sys.exit(f"expected KEY=VALUE, got {a}")
        values[key] = value
    return values


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[0]
    if cmd == "block":
        sys.stdout.write(block(argv[1], argv[2], argv[3], pairs(argv[4:])))
    elif cmd == "outputs":
        for emit, glob in outputs(argv[1], argv[2]):
            print(f"{emit}\t{glob}")
    elif cmd == "inputs":
        print("\n".join(inputs(argv[1], argv[2])))
    elif cmd == "smk-shell":
        sys.stdout.write(smk_shell(argv[1], argv[2], pairs(argv[3:])))
    elif cmd == "meta":
        return meta(argv[1], argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
