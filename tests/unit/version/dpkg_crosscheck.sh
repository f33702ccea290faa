#!/bin/bash
# dpkg_crosscheck: hull's dpkg order against the real `dpkg --compare-versions`
# on pairs drawn from the versions of real Debian status files (this machine's,
# the test images' rootfs when present, and the shared dpkg-status fixtures).
# Usage: dpkg_crosscheck.sh VERCMP_BINARY [PAIRS]   (TAP output)
set -u
vercmp=$1
pairs=${2:-3000}
. "${HULL_SRC:?}/tests/lib/skip.sh"
command -v dpkg >/dev/null || skip_missing "dpkg"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=()
for f in /var/lib/dpkg/status /var/cache/hull-test/img/*/rootfs/var/lib/dpkg/status \
	"${HULL_SHARED:-/nonexistent}"/data/dpkg-status/*/*/var/lib/dpkg/status; do
	[ -r "$f" ] && files+=("$f")
done
if [ ${#files[@]} -eq 0 ]; then
	skip_env "no dpkg status file on this machine, in the images or in ../shared"
fi
# "package<TAB>version" from every stanza (Version: and Source: (ver) forms).
awk '/^Package:/{p=$2} /^Version:/{print p "\t" $2}' "${files[@]}" | sort -u >"$tmp/pv"
cut -f2 "$tmp/pv" | sort -u >"$tmp/versions"
nv=$(wc -l <"$tmp/versions")

# Pairs: the versions one package has across files (near neighbours, the
# interesting cases), then random pairs to make up the count. Deterministic.
awk -F'\t' '{ if ($1 in v && v[$1] != $2) print v[$1] "\t" $2; v[$1] = $2 }' "$tmp/pv" >"$tmp/pairs"
awk -v n="$pairs" -v seed=42 'BEGIN{srand(seed)} {v[NR]=$0} END{
	for (i = 0; i < n; i++) { a = v[int(rand()*NR)+1]; b = v[int(rand()*NR)+1]; print a "\t" b } }' \
	"$tmp/versions" >>"$tmp/pairs"
# Every version against itself and its sorted neighbour.
awk 'NR>1{print prev "\t" $0} {prev=$0}' "$tmp/versions" >>"$tmp/pairs"
head -n "$pairs" "$tmp/pairs" >"$tmp/p" && mv "$tmp/p" "$tmp/pairs"
np=$(wc -l <"$tmp/pairs")

"$vercmp" dpkg <"$tmp/pairs" >"$tmp/hull"

# dpkg: one process per relation; lt first, then eq only when needed.
while IFS=$'\t' read -r a b; do
	if dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null; then
		echo -1
	elif dpkg --compare-versions -- "$a" eq "$b" 2>/dev/null; then
		echo 0
	else
		echo 1
	fi
done <"$tmp/pairs" >"$tmp/dpkg"

paste "$tmp/pairs" "$tmp/hull" "$tmp/dpkg" | awk -F'\t' '$3 != $4' >"$tmp/diff"
nd=$(wc -l <"$tmp/diff")
echo "1..1"
if [ "$nd" -eq 0 ] && [ "$np" -gt 0 ]; then
	echo "ok 1 - dpkg cross-check: $np pairs from $nv versions in ${#files[@]} status files agree"
else
	echo "not ok 1 - dpkg cross-check: $nd of $np pairs disagree"
	head -50 "$tmp/diff" | while IFS=$'\t' read -r a b h d; do
		echo "# row: '$a' vs '$b': hull $h, dpkg $d"
	done
fi
