#!/usr/bin/env bash
# fuzz-merge.sh BUILD [HARNESS...]: folds the campaign's corpora into the
# committed seeds, keeping only what adds coverage.
#
# BUILD is the -Dfuzzing=true build of scripts/fuzz-campaign.sh. For each
# harness with a campaign corpus ($HULL_FUZZ_DIR/corpus/<name>, default
# /var/cache/hull-fuzz): libFuzzer's -merge=1 first minimises the campaign
# corpus on its own (to measure it), then adds to the committed seeds
# (tests/fuzz/<module>/corpus/<rest>) the campaign inputs that reach
# coverage the seeds do not; inputs over MAX_BYTES (default 65536) are left
# out so the repository stays small. Prints per harness: campaign corpus
# files/bytes, minimised files/bytes, seeds before and after.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build=${1:?usage: fuzz-merge.sh BUILD [HARNESS...]}
shift
dir=${HULL_FUZZ_DIR:-/var/cache/hull-fuzz}
max=${MAX_BYTES:-65536}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stats() { # files bytes of a folder
	find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ n++; b += $1 } END { printf "%d %d", n, b }'
}

names=("$@")
if ((${#names[@]} == 0)); then
	for c in "$dir"/corpus/*/; do
		[[ -d $c ]] && names+=("$(basename "$c")")
	done
fi
printf '%-28s %18s %18s %18s %18s\n' harness "campaign files/B" "minimised files/B" \
	"seeds before" "seeds after"
for name in "${names[@]}"; do
	exe=$build/tests/fuzz/fuzz_$name
	camp=$dir/corpus/$name
	seeds=tests/fuzz/${name%%_*}/corpus/${name#*_}
	[[ -x $exe && -d $camp && -d $seeds ]] || continue
	read -r cf cb < <(stats "$camp")
	mkdir -p "$tmp/$name.min" "$tmp/$name.small"
	"$exe" -merge=1 -timeout=30 -rss_limit_mb=2048 "$tmp/$name.min" "$camp" >"$tmp/$name.log" 2>&1 ||
		{ echo "fuzz-merge.sh: $name: merge failed, see below" >&2; tail -20 "$tmp/$name.log" >&2; continue; }
	read -r mf mb < <(stats "$tmp/$name.min")
	find "$tmp/$name.min" -type f -size -$((max + 1))c -exec cp {} "$tmp/$name.small/" \;
	read -r sf sb < <(stats "$seeds")
	"$exe" -merge=1 -timeout=30 -rss_limit_mb=2048 "$seeds" "$tmp/$name.small" >>"$tmp/$name.log" 2>&1 ||
		{ echo "fuzz-merge.sh: $name: merge into the seeds failed" >&2; continue; }
	read -r af ab < <(stats "$seeds")
	printf '%-28s %18s %18s %18s %18s\n' "$name" "$cf/$cb" "$mf/$mb" "$sf/$sb" "$af/$ab"
done
