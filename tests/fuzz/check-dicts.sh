#!/usr/bin/env bash
# check-dicts.sh: every libFuzzer dictionary under tests/fuzz parses as
# libFuzzer reads it (blank lines, # comments, [name=]"value" with \\, \"
# and \xNN escapes only) and is not empty. TAP.
set -uo pipefail
cd "${HULL_SRC:?}/tests/fuzz" || exit 2
n=0 fail=0
for d in */*.dict; do
	n=$((n + 1))
	bad=$(grep -nvE '^[[:space:]]*(#.*)?$|^[[:space:]]*([A-Za-z0-9_]+=)?"([^"\\]|\\[\\"]|\\x[0-9A-Fa-f]{2})*"[[:space:]]*$' "$d")
	entries=$(grep -cE '^[[:space:]]*([A-Za-z0-9_]+=)?"' "$d")
	if [[ -z $bad && $entries -gt 0 ]]; then
		echo "ok $n - $d: $entries entries"
	else
		echo "not ok $n - $d: $entries entries"
		echo "$bad" | sed 's/^/# /'
		fail=1
	fi
done
[[ $n -gt 0 ]] || { echo "not ok 1 - no dictionary found"; n=1; fail=1; }
echo "1..$n"
exit $fail
