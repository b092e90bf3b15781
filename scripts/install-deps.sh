#!/usr/bin/env bash
# Installs the Debian packages kitrx needs to build and test, only those missing.
# Usage: scripts/install-deps.sh [build|test]   (test = build + the tools the tests drive)
# Uses sudo when not root. Nothing is downloaded other than Debian packages.
set -euo pipefail
mode=${1:-build}
build_pkgs=(g++ cmake make pkg-config libhts-dev libboost-program-options-dev libyaml-cpp-dev
            zlib1g-dev libdeflate-dev nlohmann-json3-dev libgtest-dev googletest libbenchmark-dev)
test_pkgs=(samtools bcftools tabix snakemake multiqc cwltool chromium python3-yaml clang-format)
pkgs=("${build_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "kitrx: installing missing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
