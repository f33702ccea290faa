#!/usr/bin/env bash
# fuzz.sh BUILD: real fuzzing with libFuzzer (`make fuzz`).
#
# Builds every harness of tests/fuzz with clang, libFuzzer, ASan and UBSan
# (-Dfuzzing=true) in BUILD, then fuzzes FUZZER (a harness name such as
# util_yaml or server_admission; default: every harness in turn) for
# FUZZ_SECONDS (default 60) each, FUZZ_JOBS (default: one per CPU) at a
# time. Each run starts from the harness's committed corpus
# (tests/fuzz/<module>/corpus/<name>, read only) and writes what it finds
# to BUILD/corpus/<name>; a dictionary tests/fuzz/<module>/<rest>.dict, when
# there is one, gives libFuzzer the format's keywords; crashes go to
# tests/fuzz/crashes/ (ignored by git)
# for a developer to minimise, turn into a corpus file and fix.
# Exit status: 0 when no harness crashed, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60} # not SECONDS: bash keeps its own clock in that name
only=${FUZZER:-}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (scripts/install-deps.sh)" >&2; exit 1; }
if [[ ! -f $build/build.ninja ]]; then
	CC=clang meson setup "$build" --buildtype=debugoptimized -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null ||
		{ echo "fuzz.sh: meson setup failed" >&2; exit 1; }
fi
ninja -C "$build" >"$build.ninja.log" 2>&1 || { cat "$build.ninja.log" >&2; exit 1; }

# A harness's corpus folder follows from its name: module_rest ->
# tests/fuzz/module/corpus/rest (tests/fuzz/meson.build).
corpus_of() {
	local name=$1 module=${1%%_*}
	echo "tests/fuzz/$module/corpus/${name#*_}"
}

dict_of() {
	local name=$1 module=${1%%_*}
	local d="tests/fuzz/$module/${name#*_}.dict"
	[[ -f $d ]] && echo "-dict=$d"
}

# libFuzzer's -timeout is wall-clock time: on a loaded machine a nice-19
# fuzzer can wait that long for a core. A timeout whose input then runs
# within six times the limit is the machine's, not a hang: reported, its
# input moved aside (tests/fuzz/crashes/starved-*), not counted as a crash.
timeout=${FUZZ_TIMEOUT:-30}
starved() {
	local exe=$1 log=$2 unit
	grep -q 'ERROR: libFuzzer: timeout' "$log" || return 1
	unit=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | cut -d' ' -f5)
	[[ -f $unit ]] || return 1
	"$exe" -timeout=$((timeout * 6)) "$unit" >"$log.recheck" 2>&1 || return 1
	echo "== ${exe##*/fuzz_}: timeout did not recur (${unit##*/} ran within $((timeout * 6)) s): the machine was starved" >&2
	mv "$unit" "$(dirname "$unit")/starved-${unit##*/}"
	return 0
}

mkdir -p tests/fuzz/crashes
# one harness: fuzz it, then its verdict on stderr; the exit status says
# whether it crashed (a starved timeout is not a crash)
fuzz_one() {
	local exe=$1 name=${1##*/fuzz_}
	local seeds work=$build/corpus/$name
	seeds=$(corpus_of "$name")
	mkdir -p "$work"
	# shellcheck disable=SC2046 # no dictionary: no argument
	if ! "$exe" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 $(dict_of "$name") \
		-artifact_prefix="tests/fuzz/crashes/$name-" "$work" "$seeds" \
		>"$build/$name.log" 2>&1 && ! starved "$exe" "$build/$name.log"; then
		{
			echo "== $name: CRASH, see $build/$name.log and tests/fuzz/crashes/"
			tail -20 "$build/$name.log"
		} >&2
		return 1
	fi
	echo "== $name: $(grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs' "$build/$name.log" | tail -1)" >&2
}

# FUZZ_JOBS harnesses at a time (default: one per CPU), so that a whole
# round of `make fuzz` takes its harnesses' time divided by the CPUs
jobs=${FUZZ_JOBS:-$(nproc)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: FUZZ_JOBS must be a positive number" >&2; exit 1; }
crashed=0
ran=0
running=0
for exe in "$build"/tests/fuzz/fuzz_*; do
	[[ -x $exe && -f $exe ]] || continue
	name=${exe##*/fuzz_}
	[[ -n $only && $name != "$only" ]] && continue
	echo "== $name: ${seconds}s from $(corpus_of "$name")" >&2
	ran=$((ran + 1))
	if ((running >= jobs)); then
		wait -n || crashed=$((crashed + 1))
		running=$((running - 1))
	fi
	fuzz_one "$exe" &
	running=$((running + 1))
done
while ((running > 0)); do
	wait -n || crashed=$((crashed + 1))
	running=$((running - 1))
done
[[ $ran -gt 0 ]] || { echo "fuzz.sh: no harness named '$only'" >&2; exit 1; }
echo "$ran harnesses fuzzed, $crashed crashed" >&2
[[ $crashed -eq 0 ]]
