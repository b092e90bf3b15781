#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang in a separate build folder and runs each
# briefly on its committed seed corpus. Exit 77 (skipped) when clang or libFuzzer is missing.
#   tests/scripts/fuzz_smoke.sh [KITRX_BINARY] [SOURCE_DIR] [WORK_DIR]
# Default (CI): deterministic, seed 1, KITRX_FUZZ_RUNS inputs per harness (2000; 400 for BAM and
# 1000 for the report-level harness, whose inputs each go through build_report and every writer).
# Environment: KITRX_FUZZ_SECONDS (set: exploratory runs of that many seconds per harness, random
# seed, new inputs kept in WORK_DIR/corpus-NAME; `make fuzz FUZZ_SECONDS=600`), KITRX_FUZZ_BUILD
# (build folder, default WORK_DIR/build-fuzz; reused so that only changed files are rebuilt),
# KITRX_SKIP_FUZZ_SMOKE (set: skip, used by `make asan`). Longer runs: docs/hardening.md.
set -euo pipefail

src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
work=${3:-$src/build-fuzz-smoke}
seconds=${KITRX_FUZZ_SECONDS:-}
build=${KITRX_FUZZ_BUILD:-$work/build-fuzz}

if [[ -n ${KITRX_SKIP_FUZZ_SMOKE:-} ]]; then
    echo "fuzz_smoke: KITRX_SKIP_FUZZ_SMOKE is set (the sanitizer run: the harnesses are sanitizer builds already); skipped"
    exit 77
fi
cc=${FUZZ_CC:-clang}
cxx=${FUZZ_CXX:-clang++}
if ! command -v "$cxx" >/dev/null 2>&1 || ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz_smoke: $cxx not found (apt-get install clang libclang-rt-dev); skipped"
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
    >"$probe/probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>"$probe/log"; then
    echo "fuzz_smoke: $cxx cannot link libFuzzer (apt-get install libclang-rt-dev); skipped"
    sed 's/^/  /' "$probe/log" | head -5
    exit 77
fi

mkdir -p "$work"
if [[ ! -f $build/CMakeCache.txt ]]; then
    CC=$cc CXX=$cxx cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKITRX_BUILD_FUZZ=ON -DKITRX_BUILD_TESTS=OFF >"$work/configure.log" ||
        { cat "$work/configure.log"; exit 1; }
fi
jobs=${JOBS:-2}
cmake --build "$build" -j "$jobs" --target kitrx_fuzz >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }

status=0
for harness in "$build"/tests/fuzz/fuzz_*; do
    [[ -x $harness && ! -d $harness ]] || continue
    name=$(basename "$harness")
    corpus=$src/tests/fuzz/corpus/${name#fuzz_}
    # New inputs go to a scratch folder: the committed corpus stays as it is.
    scratch=$work/corpus-${name#fuzz_}
    artifacts=$work/artifacts-${name#fuzz_}/
    mkdir -p "$scratch" "$artifacts"
    dict=$src/tests/fuzz/${name#fuzz_}.dict
    dict_arg=()
    [[ -f $dict ]] && dict_arg=(-dict="$dict")
    options=$src/tests/fuzz/${name#fuzz_}.options
    extra=()
    [[ -f $options ]] && read -r -a extra <<<"$(grep -v '^#' "$options" | tr '\n' ' ')"
    log=$work/$name.log
    if [[ -n $seconds ]]; then
        # Exploratory: random seed, for a time, the inputs found so far kept for the next run.
        run_args=(-max_total_time="$seconds")
        how="in ${seconds}s"
    else
        # CI runs are deterministic (fixed seed, fixed number of inputs, fresh scratch corpus) so that
        # a test run cannot fail on a new random find; longer exploratory runs: docs/hardening.md.
        rm -rf "$scratch" && mkdir -p "$scratch"
        runs_wanted=${KITRX_FUZZ_RUNS:-2000}
        [[ $name == fuzz_bam ]] && runs_wanted=${KITRX_FUZZ_RUNS:-400}
        [[ $name == fuzz_report ]] && runs_wanted=${KITRX_FUZZ_RUNS:-1000}
        run_args=(-seed=1 -runs="$runs_wanted")
        how="seed 1"
    fi
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$harness" "${run_args[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "${dict_arg[@]}" "${extra[@]}" "$scratch" "$corpus" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        echo "fuzz_smoke: $name ok ($runs executions, $how)"
    else
        echo "fuzz_smoke: $name FAILED; log $log, reproducer in $artifacts"
        grep -E 'ERROR|SUMMARY|runtime error|terminate|==[0-9]+==' "$log" | head -20
        status=1
    fi
done
exit $status
