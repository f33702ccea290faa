#!/usr/bin/env bash
# fuzz-coverage.sh BUILD [CORPORA]: line and branch coverage of each harness.
#
# BUILD is a clang build with coverage instrumentation and the replay
# driver (not -Dfuzzing), made once with:
#   CC=clang meson setup build-cov --buildtype=debug \
#     -Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
#     -Dc_link_args=-fprofile-instr-generate
#   ninja -C build-cov $(ninja -C build-cov -t targets all | grep -o '^tests/fuzz/fuzz_[a-z0-9_]*' | sort -u)
# Each harness replays its committed corpus (tests/fuzz/<module>/corpus/<rest>)
# and, when there is one, the campaign's (CORPORA/<harness>, default
# /var/cache/hull-fuzz/corpus); llvm-cov then reports the code of src/ linked
# into the harness. Prints one line per harness: name, corpus files, line
# coverage, branch coverage (covered/total and %) over all of src/ linked
# in, then the same over the files the corpus reaches (at least one function
# run): the parser under test rather than the library around it.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build=${1:?usage: fuzz-coverage.sh BUILD [CORPORA]}
corpora=${2:-${HULL_FUZZ_DIR:-/var/cache/hull-fuzz}/corpus}
out=$build/coverage
mkdir -p "$out"
cov=$(command -v llvm-cov || command -v llvm-cov-14)
prof=$(command -v llvm-profdata || command -v llvm-profdata-14)
[[ -n $cov && -n $prof ]] || { echo "fuzz-coverage.sh: llvm-cov/llvm-profdata missing" >&2; exit 1; }

# "covered/total pct" for columns of llvm-cov report's TOTAL line
sum() {
	awk -v only="$1" '
		$1 ~ /(^|\/)src\// {
			if (only == "reached" && $5 - $6 <= 0)
				next
			lt += $8; lm += $9; bt += $11; bm += $12
		}
		END {
			printf "%6d/%-6d %5.1f%%  %6d/%-6d %5.1f%%", lt - lm, lt, lt ? 100 * (lt - lm) / lt : 0,
				bt - bm, bt, bt ? 100 * (bt - bm) / bt : 0
		}'
}

printf '%-28s %6s  %-21s %-21s  %-21s %-21s\n' harness files "lines (all linked)" branches \
	"lines (files reached)" branches
for exe in "$build"/tests/fuzz/fuzz_*; do
	[[ -x $exe && -f $exe ]] || continue
	name=${exe##*/fuzz_}
	module=${name%%_*}
	dirs=()
	[[ -d tests/fuzz/$module/corpus/${name#*_} ]] && dirs+=("tests/fuzz/$module/corpus/${name#*_}")
	[[ -d $corpora/$name ]] && dirs+=("$corpora/$name")
	((${#dirs[@]})) || continue
	files=$(find "${dirs[@]}" -type f | wc -l)
	rm -f "$out/$name".*.profraw
	LLVM_PROFILE_FILE="$out/$name.%p.profraw" timeout 1800 "$exe" "${dirs[@]}" >"$out/$name.log" 2>&1 ||
		echo "fuzz-coverage.sh: $name: replay failed, see $out/$name.log" >&2
	"$prof" merge -sparse "$out/$name".*.profraw -o "$out/$name.profdata" || continue
	"$cov" report "$exe" -instr-profile="$out/$name.profdata" >"$out/$name.report" 2>/dev/null
	printf '%-28s %6d  %s  %s\n' "$name" "$files" "$(sum all <"$out/$name.report")" \
		"$(sum reached <"$out/$name.report")"
done
