#!/usr/bin/env bash
# fuzz-campaign.sh BUILD UNTIL: a long libFuzzer campaign on idle CPU.
#
# BUILD is a -Dfuzzing=true build dir (scripts/fuzz.sh makes one); UNTIL is a
# date(1) time ("14:25 UTC") after which no new run starts. Two harnesses
# run at a time at nice 19, rotating over every fuzz_* of BUILD; the image,
# archive, YAML and HTTP parsers get long turns, the others short ones.
#
# Everything lives outside the repository, in $HULL_FUZZ_DIR
# (default /var/cache/hull-fuzz), which survives between sessions:
#   corpus/<harness>/   the campaign's corpus (seeded from the committed
#                       tests/fuzz/<module>/corpus/<rest>, read only)
#   crashes/            crash, leak and timeout reproducers
#   logs/               libFuzzer's output of each run
#   cpu.log             one line per run: end time, harness, user+sys CPU
#                       seconds (/usr/bin/time), libFuzzer's exit status
# Each run starts from a copy of the binary, so BUILD can be rebuilt while
# the campaign runs; the next turn picks up the fix.
#
# FUZZ_ORDER=least-cpu starts with the harnesses that have had the least
# CPU so far (cpu.log) instead of the long turns.
# scripts/fuzz-cpu.sh sums cpu.log per harness.
set -uo pipefail
{ # read whole before running: the file may change while a campaign runs
cd "$(dirname "$0")/.." || exit 1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
build=${1:?usage: fuzz-campaign.sh BUILD UNTIL}
until_epoch=$(date -d "${2:?usage: fuzz-campaign.sh BUILD UNTIL}" +%s) || exit 1
dir=${HULL_FUZZ_DIR:-/var/cache/hull-fuzz}
jobs=${FUZZ_JOBS:-2}
mkdir -p "$dir/corpus" "$dir/crashes" "$dir/logs" "$dir/bin"

# Wall seconds of one turn: the parsers an attacker reaches first get long ones.
turn_of() {
	case $1 in
	image_* | pkgdb_java | util_yaml | server_http | server_admission | registry_*) echo 600 ;;
	misconfig_k8s | misconfig_compose | pkgdb_rpmdb | pkgdb_collect | vulndb_blob | host_runtime) echo 180 ;;
	*) echo 60 ;;
	esac
}

# One turn of harness $1: fuzz, then append the CPU it used to cpu.log.
turn() {
	local name=$1 module=${1%%_*} rest=${1#*_}
	local seeds="tests/fuzz/$module/corpus/$rest" dict="tests/fuzz/$module/$rest.dict"
	local bin="$dir/bin/$name.$BASHPID" times="$dir/logs/$name.$BASHPID.time"
	local secs
	secs=$(turn_of "$name")
	local left=$((until_epoch - $(date +%s)))
	((left < 60)) && return 0
	((secs > left)) && secs=$left
	cp "$build/tests/fuzz/fuzz_$name" "$bin" || return 0
	mkdir -p "$dir/corpus/$name"
	local args=(-max_total_time="$secs" -timeout=30 -rss_limit_mb=2048
		-artifact_prefix="$dir/crashes/$name-" "$dir/corpus/$name")
	[[ -d $seeds ]] && args+=("$seeds")
	[[ -f $dict ]] && args+=(-dict="$dict")
	nice -n 19 /usr/bin/time -f '%U %S' -o "$times" "$bin" "${args[@]}" \
		>"$dir/logs/$name.log" 2>&1
	local rc=$?
	local cpu
	cpu=$(awk 'END { printf "%.2f", $1 + $2 }' "$times" 2>/dev/null)
	printf '%s %s %s %s\n' "$(date -u +%FT%TZ)" "$name" "${cpu:-0}" "$rc" >>"$dir/cpu.log"
	((rc != 0)) && cp "$dir/logs/$name.log" "$dir/logs/$name.crash.$(date +%s).log"
	rm -f "$bin" "$times"
}

names=()
for exe in "$build"/tests/fuzz/fuzz_*; do
	[[ -x $exe && -f $exe ]] && names+=("${exe##*/fuzz_}")
done
[[ ${#names[@]} -gt 0 ]] || { echo "fuzz-campaign.sh: no harness in $build" >&2; exit 1; }
if [[ ${FUZZ_ORDER:-} == least-cpu ]]; then
	# The harnesses with the least CPU in cpu.log so far first (none: 0),
	# to even out a campaign that earlier sessions spent on a few.
	mapfile -t names < <(for n in "${names[@]}"; do
		awk -v n="$n" '$2 == n { s += $3 } END { printf "%d %s\n", s, n }' "$dir/cpu.log" 2>/dev/null ||
			echo "0 $n"
	done | sort -k1,1n -k2 | cut -d' ' -f2)
else
	# Long turns first, so a short session still spends most on them.
	mapfile -t names < <(for n in "${names[@]}"; do echo "$(turn_of "$n") $n"; done | sort -k1,1nr -k2 | cut -d' ' -f2)
fi

echo "fuzz-campaign: ${#names[@]} harnesses, $jobs at a time, until $(date -u -d "@$until_epoch")" >&2
i=0
while (($(date +%s) < until_epoch - 60)); do
	while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
	turn "${names[i % ${#names[@]}]}" &
	i=$((i + 1))
	sleep 1
done
wait
echo "fuzz-campaign: done, $(wc -l <"$dir/cpu.log") runs in $dir/cpu.log" >&2
exit 0
}
