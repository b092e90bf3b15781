#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the Snakemake workflow for real (Debian's snakemake, --cores 2, no conda/containers) on the
# test-data VCFs in a scratch folder, through the top-level Snakefile, and checks:
#  - `snakemake --lint` passes;
#  - every sample's kitrx report files, log and benchmark exist; the cohort tables hold exactly
#    the per-sample rows, in sample-sheet order, with the sheet's sample/patient/timepoint in front;
#  - MultiQC (when installed) built its report with kitrx's sections;
#  - a second run has nothing to do; the cohort script's sheet mode (used by the Nextflow pipeline)
#    gives the same bytes; the SLURM profile for Snakemake 7 dry-runs;
#  - bad sample sheets and config keys fail with a message naming the problem, and a failing
#    kitrx step fails the run with kitrx's message in the rule's log.
# Usage: workflow_snakemake.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR   (exit 77 = skipped: tool missing)
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1") || fail "kitrx binary $1 not found"
src=$(realpath "$2")
scratch=$3
[ -x "$kitrx" ] || fail "kitrx binary $kitrx is not executable"
command -v snakemake >/dev/null || skip "snakemake not installed (Debian: apt-get install snakemake)"
for tool in bgzip tabix python3; do
    command -v "$tool" >/dev/null || skip "$tool not installed (Debian: apt-get install tabix python3)"
done
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed (Debian: apt-get install python3-yaml)"
multiqc=true
command -v multiqc >/dev/null || { multiqc=false; echo "note: multiqc not installed; running with multiqc.enabled=false"; }

t1="$src/test-data/vcf/demo_gist_plasma.vcf"
t2="$src/test-data/vcf/demo_gist_plasma_t2.vcf"
for f in "$t1" "$t2"; do [ -f "$f" ] || fail "fixture $f missing"; done

rm -rf "$scratch" && mkdir -p "$scratch/config" "$scratch/inputs" && cd "$scratch"
scratch=$(pwd)  # absolute from here on (PATH entries, symlinks)
# A third sample, of a second patient: T1 renamed PLASMA_P2, as BGZF + tabix index (declared as an
# input), given relative to the sheet's folder as kitrx's sheet reader takes it.
sed 's/PLASMA_T1/PLASMA_P2/g' "$t1" | bgzip -c >inputs/p2.vcf.gz && tabix -p vcf inputs/p2.vcf.gz
sample1=$(grep -m1 '^#CHROM' "$t1" | cut -f10)
sample2=$(grep -m1 '^#CHROM' "$t2" | cut -f10)
[ "$sample1" = PLASMA_T1 ] && [ "$sample2" = PLASMA_T2 ] || fail "fixtures' sample names are $sample1, $sample2"
# The optional `prior` column (issue 14): only PLASMA_P2's patient has failed drugs.
printf 'sample\tpatient\ttimepoint\tinput\tprior\n' >config/samples.tsv
printf '# comment lines are ignored\n' >>config/samples.tsv
printf 'PLASMA_T1\tGIST01\tT1\t%s\t\n' "$t1" >>config/samples.tsv
printf 'PLASMA_T2\tGIST01\tT2\t%s\t\n' "$t2" >>config/samples.tsv
printf 'PLASMA_P2\tGIST02\t0\t../inputs/p2.vcf.gz\timatinib,sunitinib\n' >>config/samples.tsv
samples=(PLASMA_T1 PLASMA_T2 PLASMA_P2)
cat >config/config.yaml <<EOF
samples: config/samples.tsv
outdir: results
multiqc:
  enabled: $multiqc
EOF

# Every call passes --config kitrx=... last, so that extra config values go after it (a second
# --config would replace the first).
smk() { snakemake -s "$src/Snakefile" --directory "$scratch" "$@"; }
cfg=(--config "kitrx=$kitrx")

# --- lint ------------------------------------------------------------------------------------
smk --lint "${cfg[@]}" >lint.out 2>&1 || { cat lint.out >&2; fail "snakemake --lint failed"; }
grep -q 'Congratulations' lint.out || { cat lint.out >&2; fail "snakemake --lint did not approve the workflow"; }
echo "ok: snakemake --lint"

# --- the real run ----------------------------------------------------------------------------
smk --cores 2 --show-failed-logs "${cfg[@]}" >run.out 2>&1 || { tail -40 run.out >&2; fail "snakemake run failed (log: $scratch/run.out)"; }
for s in "${samples[@]}"; do
    for suffix in variants.tsv clones.tsv regimens.tsv report.json report.html kitrx_mqc.tsv kitrx_regimens_mqc.tsv; do
        f="results/kitrx/$s/$s.$suffix"
        [ -s "$f" ] || fail "missing or empty $f"
    done
    [ -f "results/logs/kitrx_report/$s.log" ] || fail "missing log of $s"
    [ -s "results/benchmarks/kitrx_report/$s.tsv" ] || fail "missing benchmark of $s"
done
grep -q 'input: inputs/p2.vcf.gz, inputs/p2.vcf.gz.tbi$' run.out ||
    fail "the tabix index of inputs/p2.vcf.gz was not declared as an input"
# The T2 fixture's three KIT records (exon 11 deletion, V654A, N822K) are rows of its variants table.
python3 - results/kitrx/PLASMA_T2/PLASMA_T2.variants.tsv 54727434 54728092 54733174 <<'EOF' || fail "PLASMA_T2 variants table lacks the fixture's KIT records"
import sys
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
positions = {row[lines[0].index("pos")] for row in lines[1:]}
missing = [p for p in sys.argv[2:] if p not in positions]
if missing:
    sys.exit(f"POS {missing} not in {sorted(positions)}")
EOF
echo "ok: per-sample reports, logs, benchmarks"
# The sheet's prior column reaches the per-sample report: sunitinib is marked failed for PLASMA_P2 only.
awk -F'\t' '/^##/ {next} !h {for (i = 1; i <= NF; i++) if ($i == "prior") c = i; h = 1; next}
    $2 == "sunitinib" {print $c}' results/kitrx/PLASMA_P2/PLASMA_P2.regimens.tsv | grep -qx failed ||
    fail "PLASMA_P2: the sheet's prior column did not mark sunitinib as failed"
awk -F'\t' '/^##/ {next} !h {for (i = 1; i <= NF; i++) if ($i == "prior") c = i; h = 1; next}
    $2 == "sunitinib" {print $c}' results/kitrx/PLASMA_T1/PLASMA_T1.regimens.tsv | grep -qx NA ||
    fail "PLASMA_T1 has no prior treatment but its sunitinib row is not NA"
echo "ok: the sheet's prior column is passed as --prior"

# Patient GIST01 has two timepoints: a longitudinal report from a kitrx sample sheet of its rows.
# The fixtures were made so that V654A expands and N822K clears between T1 and T2.
for suffix in samples.tsv variants.tsv clones.tsv regimens.tsv report.json report.html; do
    [ -s "results/patients/GIST01/GIST01.$suffix" ] || fail "missing patient report file GIST01.$suffix"
done
[ ! -e results/patients/GIST02 ] || fail "GIST02 has one timepoint and should get no patient report"
python3 - results/patients/GIST01/GIST01.samples.tsv results/patients/GIST01/GIST01.report.json <<'EOF' ||
import json, sys
sheet = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
assert sheet[0] == ["sample", "patient", "timepoint", "input"], sheet[0]
assert [r[:3] for r in sheet[1:]] == [["PLASMA_T1", "GIST01", "T1"], ["PLASMA_T2", "GIST01", "T2"]], sheet
trajectories = json.load(open(sys.argv[2]))["trajectories"]
if not trajectories:
    sys.exit("no trajectories in the patient report")
latest = {}
for t in trajectories:
    assert t["patient"] == "GIST01", t["patient"]
    assert [p["timepoint"] for p in t["points"]] == ["T1", "T2"], t["points"]
    latest[t["variants"]] = t["latest"]
for variant, call in (("V654A", "expanding"), ("N822K", "clearing")):
    got = [c for v, c in latest.items() if variant in v]
    if got != [call]:
        sys.exit(f"{variant}: trajectory call {got}, expected {call} (all: {latest})")
print(f"ok: patient report GIST01 with trajectories {latest}")
EOF
    fail "the patient report of GIST01 does not follow its two timepoints"

# Cohort tables: exactly the per-sample data rows, in sheet order, with the sheet's fields in front.
python3 - "${samples[@]}" <<'EOF' || fail "cohort tables do not match the per-sample tables"
import sys
sheet = {}
for line in open("config/samples.tsv"):
    if line.startswith(("#", "sample\t")):
        continue
    f = line.rstrip("\n").split("\t")
    sheet[f[0]] = (f[1], f[2])
def table(path):
    lines = [l.rstrip("\n").split("\t") for l in open(path) if not l.startswith("#")]
    return lines[0], lines[1:]
for kind in ("variants", "clones", "regimens"):
    header, rows = table(f"results/cohort/kitrx.{kind}.tsv")
    if header[:3] != ["sheet_sample", "sheet_patient", "sheet_timepoint"]:
        sys.exit(f"{kind}: header starts {header[:3]}")
    expected = []
    for sample in sys.argv[1:]:
        h, r = table(f"results/kitrx/{sample}/{sample}.{kind}.tsv")
        if header[3:] != h:
            sys.exit(f"{kind}: cohort columns {header[3:]} differ from {sample}'s {h}")
        expected += [[sample, *sheet[sample], *row] for row in r]
    if rows != expected:
        sys.exit(f"{kind}: {len(rows)} cohort rows, expected {len(expected)} (per-sample rows in sheet order)")
    if not rows:
        sys.exit(f"{kind}: no rows at all for three samples with KIT variants")
    per = {s: sum(1 for r in rows if r[0] == s) for s in sys.argv[1:]}
    print(f"ok: cohort {kind}: {len(rows)} rows {per}")
EOF

if $multiqc; then
    [ -s results/multiqc/multiqc_report.html ] || fail "MultiQC report missing"
    [ -d results/multiqc/multiqc_data ] || fail "MultiQC data folder missing"
    # Every kitrx _mqc file of every sample shows up in the report as written.
    python3 "$src/tests/scripts/mqc_check.py" results/multiqc results/kitrx/*/*_mqc.tsv ||
        fail "the workflow's MultiQC report does not show kitrx's custom content (details above)"
    grep -q 'Research use only' results/multiqc/multiqc_report.html || fail "MultiQC report lacks the workflow's config (subtitle)"
    echo "ok: MultiQC report with kitrx sections"
fi

# --- second run: nothing to do ---------------------------------------------------------------
smk --cores 2 -n "${cfg[@]}" >rerun.out 2>&1 || fail "dry re-run failed"
grep -q 'Nothing to be done' rerun.out || { cat rerun.out >&2; fail "a second run would redo jobs"; }
echo "ok: up to date after one run"

# --- the cohort script's sheet mode (Nextflow pipeline) gives the same bytes --------------------
for kind in variants clones regimens; do
    python3 "$src/workflow/scripts/cohort_tables.py" --sheet config/samples.tsv --dir results/kitrx \
        --table "$kind" -o "sheet_mode.$kind.tsv" 2>/dev/null || fail "cohort_tables.py --sheet failed for $kind"
    cmp -s "sheet_mode.$kind.tsv" "results/cohort/kitrx.$kind.tsv" || fail "sheet mode differs from the rule for $kind"
done
echo "ok: cohort script sheet mode"

# --- SLURM profiles: Snakemake 7 profile dry-runs with its resources; the 8+ profile parses -----
smk --profile "$src/workflow/profiles/slurm-smk7" -n --forceall "${cfg[@]}" >profile.out 2>&1 ||
    { tail -20 profile.out >&2; fail "dry run with workflow/profiles/slurm-smk7 failed"; }
grep -q 'slurm_partition=compute' profile.out || fail "slurm-smk7 profile resources not applied"
grep -A12 'rule kitrx_report' profile.out | grep -q 'mem_mb=1000' || fail "slurm-smk7 set-resources not applied"
python3 - "$src/workflow/profiles/slurm/config.yaml" <<'EOF' || fail "workflow/profiles/slurm/config.yaml is not a Snakemake 8 SLURM profile"
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
assert p["executor"] == "slurm", p.get("executor")
assert {"slurm_partition", "slurm_account", "mem_mb", "runtime"} <= set(p["default-resources"])
assert "kitrx_report" in p["set-resources"]
EOF
echo "ok: SLURM profiles"

# --- errors ----------------------------------------------------------------------------------
expect_error() {  # expect_error WHAT PATTERN CONFIG=VALUE... : the dry run must fail and print PATTERN
    local what=$1 pattern=$2
    shift 2
    if smk -n "${cfg[@]}" "$@" >err.out 2>&1; then fail "$what: snakemake succeeded"; fi
    grep -Eq -- "$pattern" err.out || { cat err.out >&2; fail "$what: message lacks '$pattern'"; }
    echo "ok: $what fails clearly"
}
printf 'sample\tpatient\ttimepoint\nA\tP\tT1\n' >bad_columns.tsv
expect_error "sheet without input column" "lacks column\(s\) input" samples=bad_columns.tsv
printf 'sample\tpatient\ttimepoint\tinput\nA\tP\tT1\t%s\nA/B\tP\tT2\t%s\n' "$t1" "$t2" >bad_name.tsv
expect_error "sample name with a slash" "bad_name.tsv: line 3" samples=bad_name.tsv
printf 'sample\tpatient\ttimepoint\tinput\nA\tP\tT1\t%s\nA\tP\tT2\t%s\n' "$t1" "$t2" >dup.tsv
expect_error "repeated sample" "sample 'A' repeats line 2" samples=dup.tsv
printf 'sample\tpatient\ttimepoint\tinput\nA\tP\tT1\t%s\nB\tP\tT1\t%s\n' "$t1" "$t2" >dup_tp.tsv
expect_error "repeated patient timepoint" "patient 'P' has timepoint 'T1' already on line 2" samples=dup_tp.tsv
expect_error "unknown config key" "Additional properties|additionalProperties|nosuchkey" nosuchkey=1

# A kitrx failure (input is not a VCF/BAM) fails the job, leaves kitrx's message in the log and
# no outputs of that sample.
printf 'this is not a VCF\n' >inputs/broken.vcf
printf 'sample\tpatient\ttimepoint\tinput\nBROKEN\tP9\tT1\tinputs/broken.vcf\n' >broken.tsv
if smk --cores 2 "${cfg[@]}" samples=broken.tsv outdir=broken_results >broken.out 2>&1; then
    fail "a run on a broken input succeeded"
fi
grep -q 'kitrx: error' broken_results/logs/kitrx_report/BROKEN.log || fail "kitrx's error message is not in the rule log"
[ -z "$(find broken_results/kitrx -type f 2>/dev/null)" ] || fail "a failed kitrx step left outputs: $(find broken_results/kitrx -type f)"
echo "ok: failing kitrx step fails the run with its message in the log"
echo "PASS: workflow_snakemake"
