#!/bin/bash
# version.sh: comparisons per second of each of hull's version comparators on
# real version strings: the shared version vectors, the dpkg status files of
# this machine and of the test images, the apk installed databases, the
# pypa advisory database's versions lists and the OSV test records.
# Usage: bench/version.sh [BUILD_DIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
bench=$build/tests/unit/version/version_bench
shared=${HULL_SHARED:-$root/../shared}
data=$shared/data
if [ ! -x "$bench" ]; then
	ninja -C "$build" tests/unit/version/version_bench >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vv=$data/version-vectors

# dpkg: Version: fields of real status files, plus the dpkg vectors.
awk '/^Version:/{print $2}' /var/lib/dpkg/status /var/cache/hull-test/img/*/rootfs/var/lib/dpkg/status \
	"$data"/dpkg-status/*/*/var/lib/dpkg/status 2>/dev/null >"$tmp/dpkg" || true
sort -u "$tmp/dpkg" >"$tmp/dpkg-status"
tail -n +2 "$vv/dpkg/dpkg-compare.tsv" | cut -f1,2 | tr '\t' '\n' >>"$tmp/dpkg"
# apk: version.data operands and V: lines of the apk installed databases.
grep -v '^#' "$vv/apk/version.data" | awk 'NF==3{print $1; print $3}' >"$tmp/apk"
grep -h '^V:' -r "$data/apk-installed" | cut -c3- >>"$tmp/apk"
# rpm: rpmvercmp operands and the rpm fixtures' versions.
tail -n +2 "$vv/rpm/rpmvercmp.tsv" | cut -f1,2 | tr '\t' '\n' >"$tmp/rpm"
# semver: node-semver vectors' versions.
for f in comparisons equality range-include range-exclude; do
	tail -n +2 "$vv/semver-npm/$f.tsv" | cut -f2
done >"$tmp/semver"
tail -n +2 "$vv/semver-npm/comparisons.tsv" | cut -f1 >>"$tmp/semver"
# pep440: the sorted vectors and every listed version of the PyPI database.
grep -v '^#' "$vv/pep440/sorted-versions.txt" >"$tmp/pep440"
grep -h '^  - ' -r "$data/osv-pypi" | sed 's/^  - //; s/^"//; s/"$//' | grep -v ': ' >>"$tmp/pep440" || true
# go: OSV Go records' events, and the node-semver versions with a "v".
grep -ho '"\(introduced\|fixed\)": *"[^"]*"' "$data"/osv-schema/linter-testdata/GO-*.json |
	sed 's/.*: *"//; s/"$//' >"$tmp/go"
sed 's/^v*/v/' "$tmp/semver" >>"$tmp/go"
# maven: the OSV Maven records' events and versions.
grep -ho '"\(introduced\|fixed\|last_affected\)": *"[^"]*"' "$data"/osv-schema/ghsa-converter-testdata/*.osv.json |
	sed 's/.*: *"//; s/"$//' >"$tmp/maven"
printf '%s\n' 1 1.0 1.0.1 1-SNAPSHOT 1-alpha-1 1-beta-2 1-rc1 1-cr2 1-sp1 2.0.a 2-1 2.1.0.1 \
	11.a2 11.b11 11.m2 1.0.0.Final 3.8.1 4.13.2 2.17.1 2.12.7.1 5.3.27 1.2.17 31.1-jre >>"$tmp/maven"

echo "hull version comparators, $(nproc) cores, build $(basename "$build")"
for eco in dpkg apk rpm semver pep440 go maven; do
	sort -u "$tmp/$eco" -o "$tmp/$eco"
	"$bench" "$eco" "$tmp/$eco"
done
# A baseline on the same input: dpkg itself, one process per comparison.
shuf -n 200 --random-source=<(yes) "$tmp/dpkg-status" >"$tmp/dpkg200"
start=$(date +%s.%N)
paste -d' ' "$tmp/dpkg200" <(tail -n +2 "$tmp/dpkg200") | head -199 | while read -r a b; do
	dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null || true
done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN{printf "baseline: dpkg --compare-versions (one process per pair, status-file versions): %.0f comparisons/s\n", 199/(e-s)}'
