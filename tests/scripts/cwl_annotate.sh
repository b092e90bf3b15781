#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CWL CommandLineTool for `kitrx annotate` (workflow/cwl/kitrx-annotate.cwl): cwltool
# validates it, and a real run with Debian's cwltool (--no-container, kitrx from PATH) writes the
# same table as kitrx run directly, naming the fixture's KIT variants as the verified reference
# table test-data/reference/known_variants.tsv does. A BGZF input with its tabix index (an optional
# secondary file) runs as well.
# Usage: cwl_annotate.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR   (exit 77 = skipped: tool missing)
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1") || fail "kitrx binary $1 not found"
src=$(realpath "$2")
scratch=$3
[ -x "$kitrx" ] || fail "kitrx binary $kitrx is not executable"
command -v cwltool >/dev/null || skip "cwltool not installed (Debian: apt-get install cwltool)"
for tool in python3 bgzip tabix; do
    command -v "$tool" >/dev/null || skip "$tool not installed (Debian: apt-get install python3 tabix)"
done

tool="$src/workflow/cwl/kitrx-annotate.cwl"
input="$src/test-data/vcf/demo_gist_plasma_t2.vcf"
[ -f "$input" ] || fail "fixture $input missing"
rm -rf "$scratch" && mkdir -p "$scratch/bin" && cd "$scratch"
scratch=$(pwd)  # absolute from here on (PATH entries, symlinks)
# The tool calls `kitrx` from PATH, whatever the binary under test is called.
ln -s "$kitrx" bin/kitrx
export PATH="$scratch/bin:$PATH"

cwltool --validate "$tool" >validate.out 2>&1 || { cat validate.out >&2; fail "cwltool --validate failed"; }
grep -q 'is valid CWL' validate.out || { cat validate.out >&2; fail "cwltool did not call the tool valid"; }
echo "ok: cwltool --validate"

cat >job.yml <<EOF
input:
  class: File
  path: $input
output_name: t2.variants.tsv
no_version: true
EOF
cwltool --no-container --outdir out "$tool" job.yml >run.json 2>run.err ||
    { tail -20 run.err >&2; fail "cwltool run failed"; }
grep -q 'completed success' run.err || fail "cwltool did not report success"
[ -s out/t2.variants.tsv ] || fail "the CWL run did not deliver out/t2.variants.tsv"
[ -f out/kitrx-annotate.log ] || fail "the CWL run did not deliver the stderr log"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["variants"]["basename"] == "t2.variants.tsv"' run.json ||
    fail "cwltool's output object lacks the variants file"

"$kitrx" annotate "$input" --no-version -o direct.tsv || fail "kitrx annotate direct run exited $?"
cmp -s out/t2.variants.tsv direct.tsv || fail "the CWL run's table differs from kitrx annotate run directly"

# Independent check of the content: each fixture record found in the verified reference table
# (GRCh38, same CHROM/POS/REF/ALT) is a row named with the reference's HGVS c. and p.
python3 - "$input" "$src/test-data/reference/known_variants.tsv" out/t2.variants.tsv <<'EOF' ||
import sys
vcf, known_path, table = sys.argv[1:]
known = {}
rows = [l.rstrip("\n").split("\t") for l in open(known_path)]
h = rows[0]
for r in rows[1:]:
    d = dict(zip(h, r))
    if d["build"] == "GRCh38":
        known[(d["chrom"], d["pos"], d["ref"], d["alt"])] = d
expected = []
for line in open(vcf):
    if line.startswith("#"):
        continue
    f = line.split("\t")
    key = (f[0], f[1], f[3], f[4])
    if key in known:
        expected.append(known[key])
if len(expected) < 3:
    sys.exit(f"only {len(expected)} fixture records are in the reference table")
out = [l.rstrip("\n").split("\t") for l in open(table) if not l.startswith("#")]
cols = out[0]
got = {(r[cols.index("pos")], r[cols.index("hgvs_c")], r[cols.index("hgvs_p")].replace("(", "").replace(")", ""))
       for r in out[1:]}
for d in expected:
    want = (d["pos"], d["hgvs_c"], d["hgvs_p_3letter"])
    if not any(g[0] == want[0] and g[1].endswith(want[1]) and g[2].endswith(want[2]) for g in got):
        sys.exit(f"no row {want} for {d['variant_id']}; rows: {sorted(got)}")
print(f"ok: CWL run names {', '.join(d['variant_id'] for d in expected)} as the reference table does")
EOF
    fail "the CWL run's table does not name the fixture's variants as the reference does"

# BGZF input with its tabix index, an optional secondary file (a required-file mistake in the
# tool description would make cwltool refuse this job).
bgzip -c "$input" >t2.vcf.gz && tabix -p vcf t2.vcf.gz
printf 'input:\n  class: File\n  path: %s\noutput_name: t2gz.variants.tsv\nno_version: true\n' "$scratch/t2.vcf.gz" >job_gz.yml
cwltool --no-container --outdir out_gz "$tool" job_gz.yml >run_gz.json 2>run_gz.err ||
    { tail -20 run_gz.err >&2; fail "cwltool run on the BGZF input failed"; }
cmp -s out_gz/t2gz.variants.tsv direct.tsv || fail "the BGZF input gave another table than the plain VCF"
echo "ok: BGZF input with its index"
echo "PASS: cwl_annotate"
