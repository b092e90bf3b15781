#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Module boundaries of docs/architecture.md, checked on the source text (issue 17). Kind of test:
# a structural rule, not an output check.
#  1. Each third-party library is included in exactly one place: htslib in src/lib/io, zlib in
#     src/lib/io/text_file.cpp, yaml-cpp in src/lib/common/yaml_schema.cpp, nlohmann-json in the
#     writers (src/lib/report, src/lib/validation), Boost.ProgramOptions in src/cli. No public
#     header (include/kitrx) includes any of them.
#  2. The flow goes one way: a module includes only modules before it in
#     common < genome < io < panel < clones < regimens < report < validation < run.
#  3. include/kitrx/ mirrors src/lib/: the same module folders.
# Usage: module_boundaries.sh KITRX_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 KITRX_BINARY SOURCE_DIR SCRATCH_DIR" >&2; exit 2; }
cd "$(realpath "$2")"
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

files=$(git ls-files 'src/*.cpp' 'src/*.hpp' 'include/*.hpp' 2>/dev/null || find src include -name '*.[ch]pp')
only_in() {  # pattern allowed-path-regex name
    local hits
    hits=$(grep -lE "^#include <$1" $files | grep -vE "$2" || true)
    [ -z "$hits" ] || fail "$3 included outside its module: $(echo $hits)"
}
only_in 'htslib/' '^src/lib/io/' htslib
only_in 'zlib\.h>' '^src/lib/io/text_file\.cpp$' zlib
only_in 'yaml-cpp/' '^src/lib/common/yaml_schema\.cpp$' yaml-cpp
only_in 'nlohmann/' '^src/lib/(report|validation)/' nlohmann-json
only_in 'boost/' '^src/cli/' Boost

order=(common genome io panel clones regimens report validation run)
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
for dir in src/lib/* include/kitrx/*; do
    [ -d "$dir" ] || continue
    m=$(basename "$dir")
    r=$(rank "$m")
    [ "$r" -ge 0 ] || { fail "$dir is not a module of the plan (${order[*]})"; continue; }
    while IFS= read -r line; do
        file=${line%%:*}
        dep=$(echo "$line" | sed -E 's#.*"(kitrx/)?([a-z_]+)/[a-z_0-9]+\.hpp".*#\2#')
        [ "$dep" = "$m" ] && continue
        d=$(rank "$dep")
        [ "$d" -ge 0 ] || continue
        [ "$d" -lt "$r" ] || fail "$file ($m) includes $dep, a later module: the flow must go one way"
    done < <(grep -HE '^#include "(kitrx/)?[a-z_]+/[a-z_0-9]+\.hpp"' $(find "$dir" -name '*.[ch]pp') || true)
done

for m in "${order[@]}"; do
    if [ -d "src/lib/$m" ] && [ ! -d "include/kitrx/$m" ]; then fail "src/lib/$m has no include/kitrx/$m"; fi
    if [ -d "include/kitrx/$m" ] && [ ! -d "src/lib/$m" ]; then fail "include/kitrx/$m has no src/lib/$m"; fi
done
[ "$status" -eq 0 ] && echo "OK: module boundaries hold"
exit "$status"
