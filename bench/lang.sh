#!/bin/bash
# lang.sh: inventory of a tree of 2,000 real Go binaries and Java archives
# (hard links to the artifacts the tests fetch: esbuild 0.17.0 and 0.14.54,
# lefthook 1.3.0, the 39 jars of the Debian packages in lang-artifacts.md),
# as `hull sbom` reads a directory: files per second and peak RSS; and the
# ratio against a loop of `go version -m` over the Go binaries of the same
# tree (hull run over that Go-only part, in the same run).
# Needs the test cache filled by `meson test vuln-golang-inventory
# vuln-java-inventory` ($HULL_TEST_CACHE/lang) and Debian's golang-go.
# Usage: bench/lang.sh [BUILD_DIR] [FILES]   (defaults: build, 2000)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
n=${2:-2000}
hull=$build/hull
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}/lang
command -v go >/dev/null || { echo "lang.sh: go (golang-go) is needed" >&2; exit 2; }
ls "$cache"/*.bin >/dev/null 2>&1 || { echo "lang.sh: no Go binaries in $cache (run vuln-golang-inventory)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the artifacts: Go binaries and the jars of the Debian packages
mkdir -p "$tmp/src" "$tmp/x"
i=0
for b in "$cache"/*.bin; do cp "$b" "$tmp/src/go$i"; chmod 755 "$tmp/src/go$i"; i=$((i + 1)); done
for d in "$cache"/debs/*.deb; do [ -e "$d" ] && dpkg-deb -x "$d" "$tmp/x"; done
find "$tmp/x" -name '*.jar' -type f -exec cp {} "$tmp/src/" \;
mapfile -t arts < <(ls "$tmp/src" | sort)

# the tree: N hard links, 50 per directory, cycling through the artifacts
for ((k = 0; k < n; k++)); do
	a=${arts[k % ${#arts[@]}]}
	dir=$tmp/tree/d$((k / 50))
	[ -d "$dir" ] || mkdir -p "$dir" "${dir/tree/gotree}"
	ln "$tmp/src/$a" "$dir/f$k-$a"
	case $a in go*) ln "$tmp/src/$a" "${dir/tree/gotree}/f$k-$a" ;; esac
done
ngo=$(find "$tmp/gotree" -type f | wc -l)
bytes=$(du -sbL "$tmp/src" | cut -f1)

now() { date +%s.%N; }
t0=$(now)
/usr/bin/time -f %M -o "$tmp/rss" "$hull" sbom --format json "$tmp/tree" >"$tmp/out.json" 2>/dev/null
t1=$(now)
rss=$(tail -1 "$tmp/rss")
pkgs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("packages", [])))' "$tmp/out.json" 2>/dev/null || echo "?")

t2=$(now)
"$hull" sbom --format json "$tmp/gotree" >/dev/null 2>&1
t3=$(now)
find "$tmp/gotree" -type f -print0 | xargs -0 -n1 go version -m >/dev/null 2>&1
t4=$(now)

awk -v n="$n" -v ngo="$ngo" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" \
    -v rss="$rss" -v pkgs="$pkgs" -v arts="${#arts[@]}" 'BEGIN {
	printf "tree: %d files (hard links to %d real artifacts), %d Go binaries\n", n, arts, ngo
	printf "hull sbom (mixed tree): %.2f s, %.0f files/s, peak RSS %.1f MiB, %s packages\n",
	       b - a, n / (b - a), rss / 1024, pkgs
	printf "Go binaries only: hull %.2f s, go version -m loop %.2f s: hull %.1fx faster\n",
	       d - c, e - d, (e - d) / (d - c)
}'
