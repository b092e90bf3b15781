#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that a MultiQC run picked up kitrx's custom-content files (helper of the script tests).

usage: mqc_check.py [--kitrx-stats] MULTIQC_OUTDIR MQC_FILE...

For each *_mqc.tsv file:
  - its leading '#' lines form one YAML mapping with an `id` (MultiQC's custom-content header);
  - plot_type generalstats: every sample row and every column of the file is in
    multiqc_data/multiqc_general_stats.txt with the same numbers;
  - other plot types: the report HTML has a section anchored at the file's id.
MultiQC's log must not say it could not parse a comment header (it then guesses a plot silently).
--kitrx-stats: the general-statistics file(s) must report KIT variants, clones, best-regimen
coverage and depth (the columns the workflow issue asks for).
Exit 0 when all hold, 1 with one line per problem otherwise.
"""
import math
import os
import re
import sys

import yaml


def read_mqc(path):
    header, rows = [], []
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    comments = [line[1:] for line in lines if line.startswith("#")]
    data = [line.split("\t") for line in lines if line and not line.startswith("#")]
    try:
        meta = yaml.safe_load("\n".join(comments)) if comments else None
    except yaml.YAMLError as e:
        meta = f"YAML error: {e}".replace("\n", " ")
    if data:
        header, rows = data[0], data[1:]
    return meta, header, rows


def as_number(text):
    try:
        return float(text)
    except ValueError:
        return None


def main(argv):
    kitrx_stats = "--kitrx-stats" in argv
    argv = [a for a in argv if a != "--kitrx-stats"]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir, files = argv[0], argv[1:]
    problems = []
    html_path = os.path.join(outdir, "multiqc_report.html")
    data_dir = os.path.join(outdir, "multiqc_data")
    html = open(html_path, encoding="utf-8").read() if os.path.isfile(html_path) else ""
    if not html:
        problems.append(f"{html_path} missing or empty")
    log_path = os.path.join(data_dir, "multiqc.log")
    if os.path.isfile(log_path) and "Could not parse comment file header" in open(log_path).read():
        problems.append("MultiQC could not parse a custom-content header (see multiqc.log)")

    stats_path = os.path.join(data_dir, "multiqc_general_stats.txt")
    stats = {}
    if os.path.isfile(stats_path):
        lines = [line.rstrip("\n").split("\t") for line in open(stats_path, encoding="utf-8")]
        stats_header = lines[0]
        stats = {row[0]: dict(zip(stats_header, row)) for row in lines[1:]}

    stat_columns = []
    for path in files:
        meta, header, rows = read_mqc(path)
        if not isinstance(meta, dict) or not meta.get("id"):
            problems.append(f"{path}: '#' header is not a YAML mapping with an id ({meta!r:.200})")
            continue
        section = str(meta["id"])
        if not section.startswith("kitrx"):
            problems.append(f"{path}: id '{section}' does not name kitrx")
        if not header or not rows:
            problems.append(f"{path}: no header or no data rows")
            continue
        if meta.get("plot_type") == "generalstats":
            stat_columns += header[1:]
            for row in rows:
                sample = row[0]
                if sample not in stats:
                    problems.append(f"{path}: sample {sample} not in MultiQC general statistics")
                    continue
                for column, value in zip(header[1:], row[1:]):
                    matches = [k for k in stats[sample] if k.endswith("-" + column)]
                    if not matches:
                        problems.append(f"{path}: column {column} not in MultiQC general statistics")
                        continue
                    mine, theirs = as_number(value), as_number(stats[sample][matches[0]])
                    if mine is not None and (theirs is None or not math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-9)):
                        problems.append(f"{path}: {sample} {column} = {value} but MultiQC shows {stats[sample][matches[0]]}")
        elif f'id="{section}"' not in html and f"mqc-module-section-{section}" not in html:
            problems.append(f"{path}: MultiQC report has no section '{section}'")

    if kitrx_stats:
        wanted = {"KIT variants": r"variant", "clones": r"clone", "best regimen coverage": r"regimen|coverage",
                  "depth": r"depth"}
        for what, pattern in wanted.items():
            if not any(re.search(pattern, c, re.IGNORECASE) for c in stat_columns):
                problems.append(f"general statistics lack a {what} column (columns: {stat_columns})")

    for problem in problems:
        print(f"mqc_check: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
