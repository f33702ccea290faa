#!/bin/bash
# store.sh: the PostgreSQL results store at fleet scale, in one run, on a
# throwaway local PostgreSQL (tests/lib/pg.sh; Debian's postgresql):
#   1. 1,000 image results written as hull image --store writes them (one
#      transaction each: run, findings by COPY, image, inventory, result),
#      each a variant of one real scan (the bullseye test image against a
#      database made from its own packages): rows per second;
#   2. the fleet queries (hull fleet cve, top, namespaces, changes) over
#      those 1,000 images and 2,000 workloads in 20 namespaces: latency,
#      median of 5 runs, process start and connection included;
#   3. the same questions answered with jq over the same 1,000 results as
#      hull's JSON reports (what a fleet has without a store), median of 3,
#      and the ratio jq / store. Goal: 100x.
#   4. the same four queries in one open connection (no process start):
#      what a long-lived client sees;
#   5. the same four asked of hull serve --store --fleet-api with curl over
#      its unix socket, end to end: a long-lived server's answers.
#      With perf, also the CPU time per answer of the server and its kept
#      PostgreSQL backends against jq's (the cost a loaded machine does not
#      inflate as it does wall time).
# With a working perf, each end-to-end query is also measured in CPU time
# (hull, plus the PostgreSQL backend it made; jq), which a loaded machine
# does not inflate as it does wall time, and the floor of any query from a
# new process: hull's start and a backend's.
# Usage: bench/store.sh [BUILD_DIR]   (default: build). N=1000 by default.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
hull=$build/hull
tool=$build/tests/unit/store/store_tool
N=${N:-1000}
IMG=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
ninja -C "$build" hull tests/unit/store/store_tool >/dev/null
[ -d "$IMG/bullseye/oci" ] || { echo "store.sh: no test images (scripts/test-images.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "store.sh: jq missing (scripts/install-deps.sh)" >&2; exit 1; }
source "$root/tests/lib/skip.sh"
source "$root/tests/lib/pg.sh"
T=$(mktemp -d /tmp/hull-bench-store.XXXXXX)
pg_start "$T" >/dev/null
# after pg_start, whose own EXIT trap (pg_stop) this one replaces
trap 'pg_stop; rm -rf "$T"' EXIT
URL=$PG_URL
"$hull" store migrate --store "$URL" >/dev/null

# the base result: a real scan in the store
python3 "$root/tests/integration/store/mkfeed.py" "$IMG/bullseye/rootfs/var/lib/dpkg/status" \
	bullseye "$T/feed.json" 1
"$hull" db build --db "$T/db.sqlite" --from "$T/feed.json" >/dev/null 2>&1
"$hull" image --db "$T/db.sqlite" --no-cache --store "$URL" --format json -o "$T/base.json" \
	"$IMG/bullseye/oci:bullseye"
key=$(pg_psql -c "SELECT image_key FROM runs LIMIT 1")
build_id=$(pg_psql -c "SELECT db_build FROM runs LIMIT 1")
base_findings=$(jq '.findings | length' "$T/base.json")
mkdir -p "$T/reports" "$T/reports2"

# 1. writes
count_rows() {
	pg_psql -c "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM findings) +
		(SELECT count(*) FROM images) + (SELECT count(*) FROM image_refs) +
		(SELECT count(*) FROM image_layers) + (SELECT count(*) FROM packages) +
		(SELECT count(*) FROM image_results) + (SELECT count(*) FROM image_findings)"
}
before=$(count_rows)
read -r _ images _ secs < <("$tool" write "$URL" "$key" "$build_id" "$N" "$T/reports")
rows=$(($(count_rows) - before))
findings_rows=$(pg_psql -c "SELECT count(*) FROM findings")
printf 'writes: %d image results (%d findings each before variation, %d finding rows),\n' \
	"$images" "$base_findings" "$findings_rows"
printf '        %d rows in %.2f s: %.0f rows/s, %.1f image results/s\n' "$rows" "$secs" \
	"$(echo "$rows / $secs" | bc -l)" "$(echo "$images / $secs" | bc -l)"

# workloads: 2,000 pods (deployments of 2 replicas) in 20 namespaces
python3 - "$N" >"$T/pods.json" <<'EOF'
import json, sys
n = int(sys.argv[1])
items = []
for w in range(n):
    for r in range(2):
        items.append({"metadata": {"namespace": "ns-%02d" % (w % 20), "name": "app-%04d-5d9c7b8f6-x%d" % (w, r),
                                   "ownerReferences": [{"kind": "ReplicaSet", "name": "app-%04d-5d9c7b8f6" % w}]},
                      "spec": {"containers": [{"name": "main", "image": "bench/img-%04d" % w}]}})
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
EOF
"$hull" store workloads --store "$URL" "$T/pods.json" >/dev/null

# a later round: 10% of the images rescanned (a newer database build) with
# other findings
sleep 1.1
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
M=$((N / 10))
"$tool" write "$URL" "$key" "$build_id" "$M" "$T/reports2" 3 "$build_id-later" >/dev/null
# the JSON reports as a fleet without a store keeps them: latest per image
mkdir -p "$T/latest"
cp "$T/reports"/*.json "$T/latest/"
cp "$T/reports2"/*.json "$T/latest/"
cve=$(jq -r '[.findings[] | select(.id | startswith("CVE-9000"))][0].id' "$T/base.json")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # timed RUNS CMD...: median wall seconds
	local runs=$1
	shift
	for _ in $(seq 1 "$runs"); do
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
		t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc -l
	done | median
}

jq_cve() {
	jq -n --arg c "$cve" --slurpfile p "$T/pods.json" '
	  [inputs | select(any(.findings[]; .id == $c)) | .target.name] as $imgs
	  | {images: $imgs, workloads: [$p[0].items[] | .metadata.namespace as $ns
	      | .spec.containers[] | select(.image | IN($imgs[])) | $ns] | unique}' "$T/latest"/*.json
}
jq_top() {
	jq -n '[inputs | .target.name as $t | .findings[]
	  | select(.kind == "vulnerability" and (.suppressed | not)) | {id, severity, t: $t}]
	  | group_by(.id) | map({id: .[0].id, severity: .[0].severity, images: (map(.t) | unique | length)})
	  | sort_by(-.images) | .[:20]' "$T/latest"/*.json
}
jq_namespaces() {
	jq -n --slurpfile p "$T/pods.json" '
	  (reduce inputs as $r ({}; .[$r.target.name] = ([$r.findings[] | select(.suppressed | not) | .severity]))) as $f
	  | [$p[0].items[] | {ns: .metadata.namespace, img: .spec.containers[0].image}] | unique
	  | group_by(.ns) | map({ns: .[0].ns, images: length,
	      findings: ([.[] | $f[.img][]?] | group_by(.) | map({(.[0]): length}) | add)})' "$T/latest"/*.json
}
jq_changes() {
	jq -n '[inputs | {t: .target.name, f: [.findings[] | select(.suppressed | not) | .id + " " + (.package.name // "")], file: input_filename}]
	  | group_by(.t) | map(select(length == 2)
	  | (.[0].f - .[1].f) as $gone | (.[1].f - .[0].f) as $new
	  | {target: .[0].t, new: $new, resolved: $gone}) | map(select((.new | length) + (.resolved | length) > 0))' \
		$(for f in "$T/reports2"/*.json; do echo "$T/reports/$(basename "$f")" "$f"; done)
}

# What autovacuum does within its first minute on a real fleet database:
# statistics for the planner (without them the first plans are guesses).
pg_psql -c "VACUUM ANALYZE" >/dev/null

# CPU time in milliseconds of CMD and of the PostgreSQL backends it made
# (perf stat on the postmaster counts the children forked while it runs):
# what the run costs whatever else the machine does, where the wall time of
# a loaded machine is mostly waiting. Empty without a working perf.
pm_pid=$(head -1 "$PG_DIR/data/postmaster.pid")
perf_ok=false
perf stat -x, -e task-clock -o /dev/null true 2>/dev/null && perf_ok=true
cpu_ms() {
	$perf_ok || return 0
	perf stat -x, -e task-clock -p "$pm_pid" -o "$T/pm.stat" 2>/dev/null &
	local p=$!
	sleep 0.2 # perf attached
	perf stat -x, -e task-clock -o "$T/cmd.stat" "$@" >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
	sleep 0.1 # the backend gone
	kill -INT $p
	wait $p 2>/dev/null
	local a b
	a=$(awk -F, '/task-clock/ && $1 ~ /^[0-9.]+$/ {print $1}' "$T/cmd.stat")
	b=$(awk -F, '/task-clock/ && $1 ~ /^[0-9.]+$/ {print $1}' "$T/pm.stat")
	echo "${a:-0} + ${b:-0}" | bc -l
}
cpu_median() { # cpu_median RUNS CMD...
	local runs=$1
	shift
	for _ in $(seq 1 "$runs"); do cpu_ms "$@"; done | median
}

# in one connection: the queries alone
since_epoch=$(date -u -d "$since" +%s)
"$tool" query "$URL" 15 "$cve" "$since_epoch" >"$T/lat"
echo "query latency in one connection (median of 15, ms):" \
	"$(awk '{printf "%s %.1f  ", $1, $2 * 1000}' "$T/lat")"
echo "queries over $N images, $((N * 2)) pods, 20 namespaces (median wall time, s; hull fleet"
echo "end to end: process start, connection, query, JSON out):"
printf '  %-10s %10s %10s %8s' query store jq ratio
$perf_ok && printf ' | CPU ms: %9s %9s %8s' store jq ratio
echo
total_store=0 total_jq=0 cpu_store=0 cpu_jq=0
declare -A jq_wall jq_cpu
for q in cve top namespaces changes; do
	case $q in
	cve) cmd=("$hull" fleet --store "$URL" --format json cve "$cve") ;;
	changes) cmd=("$hull" fleet --store "$URL" --format json changes --since "$since") ;;
	*) cmd=("$hull" fleet --store "$URL" --format json "$q") ;;
	esac
	s=$(timed 5 "${cmd[@]}")
	j=$(timed 3 "jq_$q")
	jq_wall[$q]=$j
	printf '  %-10s %10.4f %10.4f %7.0fx' "$q" "$s" "$j" "$(echo "$j / $s" | bc -l)"
	if $perf_ok; then
		cs=$(cpu_median 5 "${cmd[@]}")
		cj=$(cpu_median 3 bash -c "$(declare -f jq_$q); T=$T cve=$cve jq_$q")
		jq_cpu[$q]=$cj
		printf ' | %16.1f %9.1f %7.0fx' "$cs" "$cj" "$(echo "$cj / $cs" | bc -l)"
		cpu_store=$(echo "$cpu_store + $cs" | bc -l)
		cpu_jq=$(echo "$cpu_jq + $cj" | bc -l)
	fi
	echo
	total_store=$(echo "$total_store + $s" | bc -l)
	total_jq=$(echo "$total_jq + $j" | bc -l)
done
printf '  %-10s %10.4f %10.4f %7.0fx' all "$total_store" "$total_jq" \
	"$(echo "$total_jq / $total_store" | bc -l)"
$perf_ok && printf ' | %16.1f %9.1f %7.0fx' "$cpu_store" "$cpu_jq" "$(echo "$cpu_jq / $cpu_store" | bc -l)"
echo "   (goal: 100x)"
if $perf_ok; then
	# the floor of any query from a new process: hull's start (its shared
	# libraries) and a PostgreSQL backend's (a connection and the schema check)
	printf '  floor, CPU ms: hull --version %.1f; connection (hull store migrate, up to date) %.1f\n' \
		"$(cpu_median 5 "$hull" --version)" "$(cpu_median 5 "$hull" store migrate --store "$URL")"
fi
lat_all=$(awk '{s += $2} END {printf "%.6f", s}' "$T/lat")
printf '  in one connection: %.4f s for the four, %.0fx faster than jq\n' "$lat_all" \
	"$(echo "$total_jq / $lat_all" | bc -l)"

# 5. served: hull serve --store --fleet-api keeps its connections (one per
# worker) and answers GET /v1/fleet/...; asked with curl over its unix
# socket. "latency" is curl's own time from sending the request to the
# answer's last byte (%{time_total}: the HTTP request, the query, the JSON):
# what a dashboard or any client holding a connection sees. "with curl" adds
# curl's process start-up (a new curl per question, as a shell script asks).
# Each query asked once first (the connection made, the catalog cached),
# then the median of 5.
# shellcheck disable=SC2046 # as root, hull serve wants --allow-root
"$hull" serve $([ "$(id -u)" -eq 0 ] && echo --allow-root) --docker-authz "$T/fleet.sock" \
	--store "$URL" --fleet-api --threads 2 --no-decision-log 2>"$T/serve.log" &
srv=$!
for _ in $(seq 1 100); do [ -S "$T/fleet.sock" ] && break; sleep 0.1; done
served() { # served PATH: the answer of hull serve's fleet API, or exit 1
	curl -sS --fail --unix-socket "$T/fleet.sock" --max-time 60 "http://hull/v1/fleet/$1"
}
served_latency() { # served_latency PATH: median of 5 of curl's time_total, s
	for _ in 1 2 3 4 5; do
		curl -sS --fail --unix-socket "$T/fleet.sock" --max-time 60 -o /dev/null \
			-w '%{time_total}\n' "http://hull/v1/fleet/$1" || exit 1
	done | median
}
since_q=$(printf %s "$since" | sed 's/:/%3A/g')
path_of() {
	case $1 in
	cve) echo "cve/$cve" ;;
	changes) echo "changes?since=$since_q" ;;
	*) echo "$1" ;;
	esac
}
# CPU ms per answer of the server and its kept PostgreSQL backends (curl
# not counted), 10 requests: the served cost whatever the load, against
# jq's CPU above
served_cpu() {
	$perf_ok || return 0
	local pids
	pids=$(pg_psql -c "SELECT string_agg(pid::text, ',') FROM pg_stat_activity
		WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
	perf stat -x, -e task-clock -p "$srv,$pids" -o "$T/srv.stat" 2>/dev/null &
	local p=$!
	sleep 0.2
	for _ in $(seq 1 10); do served "$1" >/dev/null; done
	kill -INT $p
	wait $p 2>/dev/null
	awk -F, '/task-clock/ && $1 ~ /^[0-9.]+$/ {printf "%.1f", $1 / 10}' "$T/srv.stat"
}
echo "served by hull serve --store --fleet-api, asked with curl over its unix socket"
echo "(median of 5, s; latency: request to last byte; with curl: a new curl process each):"
printf '  %-10s %10s %10s %10s %8s %8s' query latency "with curl" jq ratio "ratio/curl"
$perf_ok && printf ' | CPU ms: %7s %9s %8s' served jq ratio
echo
total_lat=0 total_srv=0 cpu_srv=0
for q in cve top namespaces changes; do
	served "$(path_of "$q")" >/dev/null || { cat "$T/serve.log" >&2; exit 1; }
	l=$(served_latency "$(path_of "$q")")
	s=$(timed 5 served "$(path_of "$q")")
	j=${jq_wall[$q]}
	printf '  %-10s %10.4f %10.4f %10.4f %7.0fx %7.0fx' "$q" "$l" "$s" "$j" \
		"$(echo "$j / $l" | bc -l)" "$(echo "$j / $s" | bc -l)"
	if $perf_ok; then
		c=$(served_cpu "$(path_of "$q")")
		printf ' | %14.1f %9.1f %7.0fx' "$c" "${jq_cpu[$q]}" "$(echo "${jq_cpu[$q]} / $c" | bc -l)"
		cpu_srv=$(echo "$cpu_srv + $c" | bc -l)
	fi
	echo
	total_lat=$(echo "$total_lat + $l" | bc -l)
	total_srv=$(echo "$total_srv + $s" | bc -l)
done
printf '  %-10s %10.4f %10.4f %10.4f %7.0fx %7.0fx' all "$total_lat" \
	"$total_srv" "$total_jq" "$(echo "$total_jq / $total_lat" | bc -l)" \
	"$(echo "$total_jq / $total_srv" | bc -l)"
$perf_ok && printf ' | %14.1f %9.1f %7.0fx' "$cpu_srv" "$cpu_jq" "$(echo "$cpu_jq / $cpu_srv" | bc -l)"
echo "   (goal: 100x)"
printf '  floor: curl fetching /healthz, median of 5: %.4f s\n' \
	"$(timed 5 curl -sS --unix-socket "$T/fleet.sock" http://hull/healthz)"
# the served answer is hull fleet's
"$hull" fleet --store "$URL" --format json top | jq -S . >"$T/f1"
served top | jq -S . >"$T/f2"
cmp -s "$T/f1" "$T/f2" && echo "check: the served top is hull fleet's" ||
	{ echo "check FAILED: the served top differs from hull fleet's" >&2; exit 1; }
kill "$srv"
wait "$srv" 2>/dev/null || true

# the answers agree
# (the store also holds the base scan, "bullseye", which has no JSON report here)
"$hull" fleet --store "$URL" --format json cve "$cve" |
	jq -c '[.images[].image | select(startswith("bench/"))] | unique | length' >"$T/a1"
jq_cve | jq -c '.images | unique | length' >"$T/a2"
cmp -s "$T/a1" "$T/a2" && echo "check: fleet cve and jq name the same $(cat "$T/a1") images" ||
	{ echo "check: fleet cve $(cat "$T/a1") images, jq $(cat "$T/a2")" >&2; exit 1; }
