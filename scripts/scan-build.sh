#!/usr/bin/env bash
# scan-build.sh [BUILD_DIR [NINJA_TARGET...]]: the clang static analyzer
# over hull, one line per report and the count.
#
# Sets up BUILD_DIR (default build-scan, debug) under scan-build if it does
# not exist, cleans it so that every compile step is analysed again, runs
# `scan-build ninja` (default target: hull, i.e. the executable and every
# library) and prints, for each distinct report, "file:line | type |
# description", then "N reports, M compile steps". The HTML reports, with
# their path notes, stay in $SCAN_OUT (default /tmp/scan-hull). Every report
# must be fixed or explained in docs/fuzzing.md ("scan-build").
# NICE (default 19) and JOBS (default 2) set how it runs.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-scan}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(hull)
out=${SCAN_OUT:-/tmp/scan-hull}
command -v scan-build >/dev/null || { echo "scan-build.sh: scan-build not installed (clang-tools)" >&2; exit 1; }

if [[ ! -d $build ]]; then
	scan-build -o "$out" meson setup "$build" --buildtype=debug >/dev/null || exit 1
fi
ninja -C "$build" -t clean >/dev/null || exit 1
run=$(mktemp -d "${TMPDIR:-/tmp}/scan-build.XXXXXX")
trap 'rm -rf "$run"' EXIT
log=$run/ninja.log
nice -n "${NICE:-19}" scan-build -o "$run" ninja -j "${JOBS:-2}" -C "$build" "${targets[@]}" >"$log" 2>&1
rc=$?
if [[ $rc -ne 0 ]]; then
	tail -20 "$log" >&2
	echo "scan-build.sh: the build failed (exit $rc)" >&2
	exit 1
fi
steps=$(grep -c '^\[[0-9]*/[0-9]*\] Compiling C object' "$log")

tag() { grep -o "<!-- $1 [^>]*-->" "$2" | sed "s/<!-- $1 //;s/ -->//"; }
shopt -s nullglob
for f in "$run"/*/report-*.html; do
	file=$(tag BUGFILE "$f")
	file=${file#"$PWD"/}
	file=${file#"$build"/../}
	echo "$file:$(tag BUGLINE "$f") | $(tag BUGTYPE "$f") | $(tag BUGDESC "$f")"
done | sort -u >"$run/reports"
cat "$run/reports"
reports=$(wc -l <"$run/reports")
mkdir -p "$out"
cp -r "$run"/*/ "$out"/ 2>/dev/null
echo "$reports reports, $steps compile steps analysed (HTML in $out)"
