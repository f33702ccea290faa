#!/usr/bin/env bash
# format-check.sh: every C file in the tree is formatted with the committed
# .clang-format (run `make format` to fix).
set -uo pipefail
cd "$HULL_SRC" || exit 2
. tests/lib/skip.sh
command -v clang-format >/dev/null || skip_missing "clang-format (scripts/install-deps.sh)"
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null)
[[ -n $files ]] || files=$(find src tests -name '*.[ch]')
if out=$(clang-format --dry-run -Werror $files 2>&1); then
  echo "ok 1 - $(echo $files | wc -w) C files match .clang-format"; echo 1..1; exit 0
fi
echo "not ok 1 - files differ from .clang-format (make format):"
echo "$out" | grep -E '^[^ ]+:[0-9]+:[0-9]+: error' | cut -d: -f1 | sort -u | sed 's/^/# /'
echo 1..1; exit 1
