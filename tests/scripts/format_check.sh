#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every tracked C++ file is formatted with the repository's .clang-format (issue 17 item 7).
# Fix with `make format`. Skipped (77) without clang-format or outside a git checkout.
# Usage: format_check.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail
src=$(realpath "$2")
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: clang-format not installed"; exit 77; }
cd "$src"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "SKIP: not a git checkout"; exit 77; }
files=$(git ls-files '*.cpp' '*.hpp')
if ! out=$(echo "$files" | xargs clang-format --dry-run 2>&1) || [ -n "$out" ]; then
    echo "$out" | grep 'warning:' | cut -d: -f1 | sort | uniq -c >&2
    echo "FAIL: files not formatted with .clang-format; run 'make format'" >&2
    exit 1
fi
echo "OK: $(echo "$files" | wc -l) files formatted"
