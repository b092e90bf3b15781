#!/usr/bin/env bash
# report.html renders in headless Chromium: the DOM has the heatmap with one cell per detected clone
# and drug, the screenshot is not blank and shows the heatmap's green/amber/red/grey, and the file
# loads nothing from anywhere (no script, stylesheet, image or font; only in-page links).
# Args: $1 kitrx binary, $2 source dir, $3 scratch dir. Exit 77 = skipped (tool missing).
# KITRX_UPDATE_SCREENSHOT=1 also copies the demo screenshot to docs/img/report_example.png.
set -euo pipefail

KITRX=$1
SRC=$2
WORK=$3

CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then
        CHROMIUM=$(command -v "$c")
        break
    fi
done
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: no chromium on PATH (Debian: apt-get install chromium)"
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is needed to decode the screenshot"
    exit 77
fi

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

rm -rf "$WORK"
mkdir -p "$WORK"

# Headless, offline, a fresh profile per call; 'timeout' guards against a hung browser.
chrome() {
    local profile
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2>"$WORK/chromium.stderr"
}

check_self_contained() {
    local html=$1
    if grep -Eiq '<script|<link|<img|<iframe|<object|<embed|@import|url\(|[[:space:]]src=' "$html"; then
        grep -Eio '<script|<link|<img|<iframe|<object|<embed|@import|url\(|[[:space:]]src=' "$html" | head -3 >&2
        fail "$html loads an external resource or runs a script"
    fi
    if grep -Eo 'href="[^"]*"' "$html" | grep -v '^href="#' >/dev/null; then
        fail "$html has a link that is not an in-page anchor"
    fi
}

# Cells expected: detected clones (from clones.tsv, independent of the HTML writer) x drugs.
expected_cells() {
    awk -F'\t' '/^##/ {next}
        !h {for (i = 1; i <= NF; i++) { if ($i == "status") s = i; if ($i ~ /^activity_/) d++ } h = 1; next}
        $s == "detected" {n++}
        END {print n * d}' "$1"
}

run_case() {
    local name=$1
    shift
    # Relative input paths (as a user would type them) from the source folder.
    (cd "$SRC" && "$KITRX" report "$@" --outdir "$WORK/$name" --prefix "$name" --quiet) ||
        fail "kitrx report exited $? for $name"
    local html="$WORK/$name/$name.report.html"
    [ -s "$html" ] || fail "$html missing or empty"
    check_self_contained "$html"

    chrome --dump-dom "file://$html" >"$WORK/$name.dom.html" || fail "chromium --dump-dom failed (see $WORK/chromium.stderr)"
    grep -q 'id="heatmap"' "$WORK/$name.dom.html" || fail "rendered DOM of $name has no element id=heatmap"
    local cells want
    cells=$(grep -o 'class="hm-cell"' "$WORK/$name.dom.html" | wc -l)
    want=$(expected_cells "$WORK/$name/$name.clones.tsv")
    [ "$want" -gt 0 ] || fail "$name: no detected clone in clones.tsv"
    [ "$cells" -eq "$want" ] || fail "$name: $cells heatmap cells rendered, expected $want"
    echo "$name: DOM has the heatmap with $cells cells"

    chrome --hide-scrollbars --screenshot="$WORK/$name.png" --window-size=1280,2000 "file://$html" >/dev/null ||
        fail "chromium --screenshot failed (see $WORK/chromium.stderr)"
    [ -s "$WORK/$name.png" ] || fail "no screenshot written for $name"
    python3 "$SRC/tests/scripts/png_colours.py" "$WORK/$name.png" || fail "$name: screenshot check failed"
}

run_case demo test-data/vcf/demo_gist_plasma.vcf --title "kitrx report: synthetic demo sample"
# Issue 14: the rendered page names the best-supported regimen with its tier and grade, separates
# the hypothesis-generating tier, and marks low-confidence and disputed cells with a legend.
# Expected from regimens.tsv (independent of the HTML writer) and the panel's "S?"/disputed cells.
dom="$WORK/demo.dom.html"
grep -q 'Best-supported regimen' "$dom" || fail "demo: no 'Best-supported regimen' headline"
best=$(awk -F'\t' '/^##/ {next} !h {for (i = 1; i <= NF; i++) { if ($i == "name") n = i; if ($i == "tier") t = i } h = 1; next}
    !done {print $n "\t" $t; done = 1}' "$WORK/demo/demo.regimens.tsv")
best_name=${best%%$'\t'*}
best_tier=${best##*$'\t'}
[ "$best_tier" = clinical ] || fail "demo: rank 1 is in tier '$best_tier', expected clinical"
grep -q "Best-supported regimen:</strong> $best_name" "$dom" || fail "demo: headline does not name '$best_name'"
grep -q 'class="tier-block tier-hypothesis"' "$dom" || fail "demo: no separate hypothesis-generating tier"
grep -q 'data-confidence="low"' "$dom" || fail "demo: no low-confidence cell marked"
grep -q 'data-conflicting="true"' "$dom" || fail "demo: no disputed cell marked"
grep -q 'low-confidence call' "$dom" || fail "demo: the legend does not explain the marks"
echo "demo: best-supported $best_name ($best_tier), tiers separated, low-confidence and disputed cells marked"

run_case longitudinal test-data/vcf/demo_gist_longitudinal.vcf --simulate 24
grep -q 'id="trajectories"' "$WORK/longitudinal.dom.html" || fail "longitudinal: no trajectories section"
grep -q 'class="trajectory"' "$WORK/longitudinal.dom.html" || fail "longitudinal: no trajectory chart"
grep -q 'hypothesis-generating model, not a prediction' "$WORK/longitudinal.dom.html" ||
    fail "longitudinal: the projection is not labelled as a hypothesis-generating model"

if [ "${KITRX_UPDATE_SCREENSHOT:-0}" = 1 ]; then
    mkdir -p "$SRC/docs/img"
    # A 128-colour palette keeps the committed picture small; plain copy without ImageMagick.
    if command -v convert >/dev/null 2>&1; then
        convert "$WORK/demo.png" -colors 128 "PNG8:$SRC/docs/img/report_example.png"
    else
        cp "$WORK/demo.png" "$SRC/docs/img/report_example.png"
    fi
    echo "updated $SRC/docs/img/report_example.png"
fi
echo "OK"
