#!/bin/bash
# db.sh: the vulnerability database, in one run on the advisory feeds of the
# shared data (Debian tracker, DSA/DLA lists, Alpine/Wolfi secdb, OSV JSON
# and YAML, Node security WG):
#   - hull db build time per MB of input (best of 3), against jq reading
#     the JSON part of the same input;
#   - database size against the input size, raw and as JSON (the YAML
#     feeds converted, since the goal is stated against JSON);
#   - 10,000 random package lookups (half of them absent) through the
#     query API, in microseconds per lookup.
# Goals: a lookup under 20 us; a database at most 1/3 of its JSON input.
# Usage: bench/db.sh [BUILD_DIR | HULL_BINARY]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-$root/build}
case $arg in /*) ;; *) arg=$PWD/$arg ;; esac
if [ -f "$arg" ]; then build=$(dirname "$arg"); else build=$arg; fi
hull=$build/hull
tool=$build/tests/unit/vulndb/vdb_tool
if [ ! -x "$tool" ] || [ ! -x "$hull" ]; then
	ninja -C "$build" hull tests/unit/vulndb/vdb_tool >/dev/null
fi
shared=${HULL_SHARED:-$root/../shared}
data=$shared/data
inputs=()
for d in debian alpine-secdb distro-osv-misc osv-npm osv-pypi osv-schema; do
	inputs+=("$data/$d")
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

best=
for i in 1 2 3; do
	rm -f "$tmp/db.sqlite"
	t0=$(now)
	"$hull" db build --db "$tmp/db.sqlite" --from "${inputs[@]}"
	t=$(echo "$(now) - $t0" | bc -l)
	if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
info=$("$hull" db info --format json --db "$tmp/db.sqlite")
in_bytes=$(echo "$info" | jq .input_bytes)
db_bytes=$(stat -c %s "$tmp/db.sqlite")
records=$(echo "$info" | jq '[.sources[].records] | add')

# the same input as JSON: JSON files as they are, YAML documents converted
json_bytes=$(python3 - "${inputs[@]}" <<'EOF' 2>/dev/null || echo 0
import json, os, sys
import yaml
total = 0
for top in sys.argv[1:]:
    for root, dirs, files in os.walk(top):
        for f in files:
            p = os.path.join(root, f)
            if f.endswith((".yaml", ".yml")):
                try:
                    total += len(json.dumps(yaml.safe_load(open(p)), indent=2, default=str))
                except Exception:
                    total += os.path.getsize(p)
            else:
                total += os.path.getsize(p)
print(total)
EOF
)

# baseline: jq parsing the JSON files of the same input
find "${inputs[@]}" -name '*.json' -print0 >"$tmp/json.list"
jq_t=0
if command -v jq >/dev/null; then
	t0=$(now)
	xargs -0 -n 200 jq empty <"$tmp/json.list" 2>/dev/null || true
	jq_t=$(echo "$(now) - $t0" | bc -l)
fi
jq_mb=$(xargs -0 cat <"$tmp/json.list" | wc -c)

lk=$("$tool" bench "$tmp/db.sqlite" 10000 7)
per_us=$(echo "$lk" | sed 's/.*per_lookup_us \([0-9.]*\).*/\1/')

mb=$(echo "$in_bytes / 1000000" | bc -l)
printf 'input              %d bytes (%.1f MB), %d advisory records, %d bytes as JSON\n' \
	"$in_bytes" "$mb" "$records" "$json_bytes"
printf 'build              %.3f s (best of 3), %.3f s per MB of input\n' "$best" \
	"$(echo "$best / $mb" | bc -l)"
if [ "$jq_t" != 0 ]; then
	printf 'baseline           jq parses the %.1f MB of JSON files in %.3f s; hull build / jq = %.2f\n' \
		"$(echo "$jq_mb / 1000000" | bc -l)" "$jq_t" "$(echo "$best / $jq_t" | bc -l)"
fi
printf 'database           %d bytes: %.3f of the input, %.3f of its JSON form (goal <= 0.333)\n' \
	"$db_bytes" "$(echo "$db_bytes / $in_bytes" | bc -l)" \
	"$(echo "$db_bytes / ($json_bytes + ($json_bytes == 0))" | bc -l)"
printf 'lookups            10000 random packages (half absent): %.2f us per lookup (goal < 20 us)\n' \
	"$per_us"
