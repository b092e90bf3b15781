#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The nf-core-style Nextflow module (workflow/nextflow/modules/kitrx) without Nextflow, which
# cannot run here:
#  - meta.yml has the nf-core meta structure and lists exactly the process's inputs and outputs;
#  - the script block's kitrx command is the CLI command line `kitrx report INPUT --outdir .
#    --prefix NAME --threads N` (the one the Snakemake rule runs as well); the block, with its
#    Groovy variables substituted, runs under nf-core's `bash -C -e -u -o pipefail` in a work
#    folder with the input staged as a symlink, each output glob matches exactly one file, the
#    tables equal those of the CLI run directly, and versions.yml holds `kitrx --version`'s number;
#  - the stub block makes every declared output; the nf-test's ext.args and fixture paths work;
#  - the pipeline main.nf includes the module, reads sample-sheet columns that config/samples.tsv
#    has, and its cohort step (run the same way) builds the cohort tables from staged files.
# Usage: nextflow_module.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR   (exit 77 = skipped: tool missing)
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
kitrx=$(realpath "$1") || fail "kitrx binary $1 not found"
src=$(realpath "$2")
scratch=$3
[ -x "$kitrx" ] || fail "kitrx binary $kitrx is not executable"
command -v python3 >/dev/null || skip "python3 not installed"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed (Debian: apt-get install python3-yaml)"

module="$src/workflow/nextflow/modules/kitrx/main.nf"
meta="$src/workflow/nextflow/modules/kitrx/meta.yml"
pipeline="$src/workflow/nextflow/main.nf"
nf() { python3 "$src/tests/scripts/nf_module.py" "$@"; }
input="$src/test-data/vcf/demo_gist_plasma_t2.vcf"
[ -f "$input" ] || fail "fixture $input missing"
rm -rf "$scratch" && mkdir -p "$scratch/bin" && cd "$scratch"
scratch=$(pwd)  # absolute from here on (PATH entries, symlinks)
ln -s "$kitrx" bin/kitrx
export PATH="$scratch/bin:$PATH"

# --- meta.yml --------------------------------------------------------------------------------
nf meta "$meta" "$module" KITRX_REPORT || fail "meta.yml does not describe the module (details above)"
echo "ok: meta.yml structure, inputs and outputs match main.nf"

# --- the kitrx command of both engines is the CLI command line ------------------------------
prefix=GIST01_T2
cpus=2
vars=(input=demo_gist_plasma_t2.vcf "prefix=$prefix" args= "task.cpus - 1=$((cpus - 1))" task.process=KITRX_REPORT)
nf block "$module" KITRX_REPORT script "${vars[@]}" >script.sh || fail "cannot substitute the script block"
# The CLI contract: kitrx report INPUT --outdir DIR --prefix NAME --threads EXTRA_THREADS
cli=(kitrx report demo_gist_plasma_t2.vcf --outdir . --prefix "$prefix" --threads $((cpus - 1)))
first_command() {  # argv of the first command of a script, continuation lines joined, redirections dropped
    python3 -c 'import re, shlex, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
line = text.strip().split("\n")[0]
line = re.sub(r"2>\|?\s*>\(.*?\)|2>\s*\S+", "", line)
print("\n".join(shlex.split(line)))' "$1"
}
printf '%s\n' "${cli[@]}" >cli.argv
first_command script.sh >module.argv
diff -u cli.argv module.argv >&2 || fail "the module's kitrx command differs from the CLI command line"
nf smk-shell "$src/workflow/rules/report.smk" kitrx_report params.kitrx=kitrx input.data:q=demo_gist_plasma_t2.vcf \
    params.outdir:q=. "wildcards.sample=$prefix" "params.extra_threads=$((cpus - 1))" params.options= params.extra= \
    log:q=rule.log >smk.sh || fail "cannot substitute the Snakemake rule's shell command"
first_command smk.sh >smk.argv
diff -u cli.argv smk.argv >&2 || fail "the Snakemake rule's kitrx command differs from the CLI command line"
echo "ok: module and Snakemake rule run: ${cli[*]}"

# --- run the script block as Nextflow would --------------------------------------------------
run_block() {  # run_block DIR SCRIPT : stage the input, run under nf-core's shell options
    mkdir -p "$1" && ln -s "$input" "$1/demo_gist_plasma_t2.vcf" && cp "$2" "$1/.command.sh"
    (cd "$1" && bash -C -e -u -o pipefail .command.sh >.command.out 2>.command.err) ||
        fail "$2 failed in $1: $(tail -3 "$1/.command.err")"
}
check_globs() {  # every output glob of the process matches exactly one file in DIR
    while IFS=$'\t' read -r emit glob; do
        n=$(cd "$1" && compgen -G "$glob" | wc -l || true)
        [ "$n" -eq 1 ] || fail "$1: output '$emit' glob '$glob' matches $n files"
    done < <(nf outputs "$module" KITRX_REPORT)
}
check_versions() {
    python3 - "$1/versions.yml" "$("$kitrx" --version | sed '1!d; s/^kitrx //')" <<'EOF' || fail "$1/versions.yml is wrong"
import sys, yaml
v = yaml.safe_load(open(sys.argv[1]))
want = {"KITRX_REPORT": {"kitrx": sys.argv[2]}}
if v != want:
    sys.exit(f"versions.yml = {v}, expected {want}")
EOF
}
run_block work script.sh
check_globs work
check_versions work
sleep 0.2  # the log is written by a tee in a process substitution that may outlive the script
[ -f "work/$prefix.kitrx.log" ] || fail "the module's log is missing"
echo "ok: script block runs under bash -C -e -u -o pipefail; outputs match the emit globs"

mkdir direct && (cd direct && "${cli[@]/demo_gist_plasma_t2.vcf/$input}" 2>direct.err) ||
    fail "the CLI command failed: $(tail -3 direct/direct.err)"
for suffix in variants.tsv clones.tsv regimens.tsv kitrx_mqc.tsv kitrx_regimens_mqc.tsv; do
    # Provenance ('##' lines) names the command and input path, which differ; the rest must not.
    cmp -s <(grep -v '^##' "work/$prefix.$suffix") <(grep -v '^##' "direct/$prefix.$suffix") ||
        fail "$prefix.$suffix from the module differs from the CLI run"
done
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "work/$prefix.report.json" || fail "report.json is not JSON"
echo "ok: module outputs equal the CLI run's"

# The nf-test config's ext.args (--no-version, for md5 snapshots) leaves no provenance in the TSVs.
nftest_dir="$src/workflow/nextflow/modules/kitrx/tests"
ext_args=$(sed -n "s/^ *ext.args *= *'\(.*\)'.*/\1/p" "$nftest_dir/nextflow.config")
[ "$ext_args" = "--no-version" ] || fail "tests/nextflow.config ext.args is '$ext_args', expected --no-version"
vars_test=(input=demo_gist_plasma_t2.vcf "prefix=$prefix" "args=$ext_args" "task.cpus - 1=$((cpus - 1))" task.process=KITRX_REPORT)
nf block "$module" KITRX_REPORT script "${vars_test[@]}" >script_test.sh
run_block work_test script_test.sh
if grep -l '^##' work_test/*.tsv >/dev/null; then fail "ext.args --no-version left ## lines in $(grep -l '^##' work_test/*.tsv)"; fi
echo "ok: nf-test ext.args ($ext_args) runs and gives provenance-free tables"
grep -q 'script "../main.nf"' "$nftest_dir/main.nf.test" && grep -q 'process "KITRX_REPORT"' "$nftest_dir/main.nf.test" ||
    fail "tests/main.nf.test does not target ../main.nf KITRX_REPORT"
grep -q 'options "-stub"' "$nftest_dir/main.nf.test" || fail "tests/main.nf.test has no stub test"
for f in $(grep -o 'moduleDir}/[^"]*' "$nftest_dir/main.nf.test" | sed 's/^moduleDir}\///' | sort -u); do
    [ -f "$src/workflow/nextflow/modules/kitrx/$f" ] || fail "tests/main.nf.test reads $f, which does not exist"
done

# --- stub ------------------------------------------------------------------------------------
nf block "$module" KITRX_REPORT stub "prefix=$prefix" task.process=KITRX_REPORT >stub.sh || fail "cannot substitute the stub block"
run_block stub stub.sh
check_globs stub
check_versions stub
echo "ok: stub block makes every output"

# --- the pipeline ----------------------------------------------------------------------------
grep -Eq "^include \{ *KITRX_REPORT *\} from '\./modules/kitrx/main'" "$pipeline" || fail "main.nf does not include the module"
grep -Eq '^\s*KITRX_REPORT\(' "$pipeline" || fail "main.nf does not call KITRX_REPORT"
header=$(grep -v '^#' "$src/config/samples.tsv" | head -n 1)
for column in $(grep -o 'row\.[a-z_]*' "$pipeline" | sed 's/row\.//' | sort -u); do
    [ "$column" = index ] && continue  # optional column
    printf '%s\n' $header | grep -qx "$column" || fail "main.nf reads column '$column' that config/samples.tsv lacks"
done
# The cohort step, with the module's tables staged flat under tables/ as `stageAs: 'tables/*'` does.
nf block "$pipeline" KITRX_COHORT_TABLES script sheet=sheet.tsv "projectDir=$src/workflow/nextflow" >cohort.sh ||
    fail "cannot substitute the cohort block"
mkdir -p cohort/tables
printf 'sample\tpatient\ttimepoint\tinput\n%s\tGIST01\tT2\tdemo_gist_plasma_t2.vcf\n' "$prefix" >cohort/sheet.tsv
for t in variants clones regimens; do ln -s "$scratch/work/$prefix.$t.tsv" "cohort/tables/$prefix.$t.tsv"; done
cp cohort.sh cohort/.command.sh
(cd cohort && bash -C -e -u -o pipefail .command.sh 2>.command.err) || fail "cohort block failed: $(tail -3 cohort/.command.err)"
for t in variants clones regimens; do
    [ "$(grep -vc '^#' "cohort/kitrx.$t.tsv")" -eq "$(grep -vc '^#' "work/$prefix.$t.tsv")" ] ||
        fail "cohort kitrx.$t.tsv does not hold the sample's rows"
done
echo "ok: pipeline main.nf wiring and cohort step"
echo "PASS: nextflow_module"
