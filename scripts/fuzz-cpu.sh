#!/usr/bin/env bash
# fuzz-cpu.sh [LOG]: CPU seconds the campaign spent per harness.
#
# Sums the cpu.log of scripts/fuzz-campaign.sh (default
# /var/cache/hull-fuzz/cpu.log): harness, runs, CPU seconds, failed runs,
# then the total in seconds and hours. SINCE=2026-12-04T12:00 counts only
# the runs that ended after that time.
set -uo pipefail
log=${1:-${HULL_FUZZ_DIR:-/var/cache/hull-fuzz}/cpu.log}
[[ -r $log ]] || { echo "fuzz-cpu.sh: no $log" >&2; exit 1; }
awk -v since="${SINCE:-}" '
	$1 >= since { runs[$2]++; cpu[$2] += $3; if ($4 != 0) bad[$2]++; total += $3 }
	END {
		for (h in cpu) printf "%-28s %5d %10.0f %4d\n", h, runs[h], cpu[h], bad[h] + 0 | "sort -k3,3nr"
		close("sort -k3,3nr")
		printf "%-28s %5s %10.0f s = %.2f CPU-hours\n", "total", "", total, total / 3600
	}' "$log"
