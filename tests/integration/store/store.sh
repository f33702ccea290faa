#!/usr/bin/env bash
# store.sh CASE: the PostgreSQL results store against a real server (a
# throwaway cluster, tests/lib/pg.sh) and the real test images
# (scripts/test-images.sh). TAP. Cases:
#   schema       migrate from nothing and from every earlier version
#   roundtrip    hull image/host/config --store: runs and findings as the
#                reports say; an image recorded against this database
#                build is answered from the store (any form of it); the
#                rematch after a database change uses stored inventories
#   concurrency  16 hull writers over overlapping images: exact row counts,
#                each image and each layer scanned once
#   kill         SIGKILL of a writer inside its transaction: no partial run
#   fleet        workloads from a pod list, hull fleet queries, hull serve
#                --store metrics and --fleet-api
set -uo pipefail
src=${HULL_SRC:-$(cd "$(dirname "$0")/../../.." && pwd)}
source "$src/tests/lib/skip.sh"
source "$src/tests/lib/pg.sh"
case_=${1:?case}
H=${HULL_BIN:?run through meson test}
IMG=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
for r in bookworm bullseye alpine-fake; do
	[[ -d $IMG/$r/oci ]] || skip_missing "test image $r (scripts/test-images.sh)"
done
command -v jq >/dev/null || skip_missing "jq"

T=$(mktemp -d "${TMPDIR:-/tmp}/hull-store.XXXXXX")
cleanup() { pg_stop; rm -rf "$T"; }
pg_start "$T" 2>"$T/pg.err" || {
	echo "not ok 1 - a throwaway PostgreSQL starts"
	sed 's/^/# /' "$T/pg.err" | tail -20
	echo "1..1"
	exit 1
}
trap cleanup EXIT
export HULL_NODE=test-node
n=0 failed=0
ok() { # ok COND-STATUS NAME [DIAG]
	n=$((n + 1))
	if [[ $1 == 0 ]]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[[ -n ${3:-} ]] && sed 's/^/# /' <<<"$3"
	fi
}
is() { # is GOT WANT NAME
	[[ "$1" == "$2" ]]
	ok $? "$3: $1" "expected: $2"
}
q() { pg_psql -c "$1"; }
# rollups_agree [DBNAME]: the tables the writers keep for the fleet
# queries (schemas 5 and 6) equal what they summarise, recomputed here from the
# results themselves as schema 4's queries did
# changes_agrees SINCE: hull fleet changes = the two set differences of the
# findings of each target's latest run after SINCE and its latest before,
# written here with EXCEPT over runs and findings alone (the reference)
changes_agrees() {
	local got want
	"$H" fleet --store "$URL" --format json changes --since "$1" >"$T/changes-ref.json"
	got=$(jq -r '.[] | [.change, .kind, .target, .node, .id, .severity, .what] | @tsv' \
		"$T/changes-ref.json" | sort)
	want=$(q "WITH l AS (SELECT DISTINCT ON (kind, target, node) kind, target, node,
		  coalesce(findings_run, id) AS fr FROM runs WHERE finished > '$1'
		  ORDER BY kind, target, node, finished DESC, id DESC),
		p AS (SELECT DISTINCT ON (r.kind, r.target, r.node) r.kind, r.target, r.node,
		  coalesce(r.findings_run, r.id) AS fr FROM runs r JOIN l USING (kind, target, node)
		  WHERE r.finished <= '$1' ORDER BY r.kind, r.target, r.node, r.finished DESC, r.id DESC),
		a AS (SELECT l.kind, l.target, l.node, f.id, f.severity,
		  coalesce(f.pkg_name, f.object, f.file, '') AS what FROM l JOIN findings f
		  ON f.run_id = l.fr AND NOT f.suppressed),
		b AS (SELECT p.kind, p.target, p.node, f.id, f.severity,
		  coalesce(f.pkg_name, f.object, f.file, '') AS what FROM p JOIN findings f
		  ON f.run_id = p.fr AND NOT f.suppressed)
		SELECT c, kind, target, node, id,
		  (ARRAY['UNKNOWN','LOW','MEDIUM','HIGH','CRITICAL'])[severity + 1], what FROM
		  (SELECT 'new' AS c, * FROM (SELECT * FROM a EXCEPT SELECT * FROM b) x
		   UNION ALL SELECT 'resolved', * FROM (SELECT * FROM b EXCEPT SELECT * FROM a) y) z" |
		tr '|' '\t' | sort)
	[[ -n $want && "$got" == "$want" ]]
	ok $? "fleet changes --since $1 = the reference ($(grep -c . <<<"$want") rows: $(grep -c '^new' <<<"$want") new, $(grep -c '^resolved' <<<"$want") resolved)" \
		"$(diff <(echo "$got") <(echo "$want") | head -20)"
}
# top_agrees: hull fleet top = schema 4's query over the results (ranked
# by aggregating every current finding: the reference for the rollups)
top_agrees() {
	"$H" fleet --store "$URL" --format json top --limit 7 >"$T/top-ref.json"
	local got want
	got=$(jq -r '.[] | [.id, .severity, .images, .workloads, .fixable] | @tsv' "$T/top-ref.json")
	want=$(q "WITH cur AS (SELECT DISTINCT ON (ir.image_key) ir.image_key, ir.run_id FROM
		image_results ir JOIN runs r ON r.id = ir.run_id ORDER BY ir.image_key, r.finished DESC,
		ir.run_id DESC),
		wi AS (SELECT DISTINCT w.namespace, w.kind, w.name, r.image_key FROM workloads w
		JOIN image_refs r ON (r.manifest_digest = w.image_digest OR r.name = w.image)),
		iw AS (SELECT cur.run_id, count(DISTINCT (namespace, kind, name)) AS n FROM wi
		JOIN cur USING (image_key) GROUP BY cur.run_id),
		per AS (SELECT v.id, v.run_id, max(v.severity) AS severity, max(v.cvss) AS cvss,
		bool_or(v.fixable) AS fixable FROM image_findings v WHERE v.run_id IN (SELECT run_id
		FROM cur) AND NOT v.alias AND v.kind = 'vulnerability' AND NOT v.suppressed
		GROUP BY v.id, v.run_id)
		SELECT per.id, (ARRAY['UNKNOWN','LOW','MEDIUM','HIGH','CRITICAL'])[max(per.severity) + 1],
		count(*), coalesce(sum(iw.n), 0), bool_or(fixable) FROM per LEFT JOIN iw USING (run_id)
		GROUP BY per.id ORDER BY max(per.severity) DESC, max(cvss) DESC NULLS LAST,
		coalesce(sum(iw.n), 0) DESC, count(*) DESC, per.id LIMIT 7" |
		tr '|' '\t' | sed 's/\tt$/\ttrue/; s/\tf$/\tfalse/')
	is "$(md5sum <<<"$got" | cut -c1-8) ($(wc -l <<<"$got") rows)" \
		"$(md5sum <<<"$want" | cut -c1-8) ($(wc -l <<<"$want") rows)" \
		"fleet top = the reference query over every current finding"
	[[ $got == "$want" ]] || diff <(echo "$got") <(echo "$want") | sed 's/^/# /' | head -10
}
rollups_agree() {
	local db=${1:-hull}
	local -a P=(psql -X -q -At -h "$PG_SOCK" -p "$PG_PORT" -U hull -d "$db" -c)
	is "$("${P[@]}" "WITH ref AS (SELECT DISTINCT ON (ir.image_key) ir.image_key, ir.db_build,
		  ir.run_id, r.finished FROM image_results ir JOIN runs r ON r.id = ir.run_id
		  ORDER BY ir.image_key, r.finished DESC, ir.run_id DESC),
		cur AS (SELECT image_key, db_build, run_id, finished FROM current_images)
		SELECT (SELECT count(*) FROM (SELECT * FROM ref EXCEPT SELECT * FROM cur) a) +
		(SELECT count(*) FROM (SELECT * FROM cur EXCEPT SELECT * FROM ref) b)")" "0" \
		"$db: current_images = the latest result of each image"
	local want="SELECT v.id, v.severity, coalesce(v.cvss, -1)::real, v.fixable, count(*)::int
		FROM (SELECT run_id, id, max(severity) AS severity, max(cvss) AS cvss,
		      bool_or(fixable) AS fixable FROM image_findings WHERE NOT alias
		      AND kind = 'vulnerability' AND NOT suppressed GROUP BY 1, 2) v
		JOIN (SELECT DISTINCT ON (ir.image_key) ir.run_id FROM image_results ir
		      JOIN runs r ON r.id = ir.run_id ORDER BY ir.image_key, r.finished DESC,
		      ir.run_id DESC) c ON c.run_id = v.run_id GROUP BY 1, 2, 3, 4"
	local have="SELECT id, severity, cvss, fixable, images FROM fleet_vulns WHERE images <> 0"
	is "$("${P[@]}" "SELECT (SELECT count(*) FROM (($want) EXCEPT ($have)) a) +
		(SELECT count(*) FROM (($have) EXCEPT ($want)) b), (SELECT count(*) FROM ($want) w) > 0
		OR NOT EXISTS (SELECT 1 FROM image_findings)")" "0|t" \
		"$db: fleet_vulns = the vulnerabilities of the current results, counted"
	is "$("${P[@]}" "SELECT count(*) FROM ((SELECT run_id, severity, count(*)::int FROM image_findings
		WHERE NOT alias AND NOT suppressed AND run_id IN (SELECT run_id FROM image_results)
		GROUP BY 1, 2) EXCEPT (SELECT run_id, severity, n FROM result_counts)) x")" "0" \
		"$db: result_counts = the findings of each result by severity"
	local cur="SELECT DISTINCT v.id, c.image_key FROM image_findings v
		JOIN (SELECT DISTINCT ON (ir.image_key) ir.image_key, ir.run_id FROM image_results ir
		      JOIN runs r ON r.id = ir.run_id ORDER BY ir.image_key, r.finished DESC,
		      ir.run_id DESC) c ON c.run_id = v.run_id
		WHERE NOT v.alias AND v.kind = 'vulnerability' AND NOT v.suppressed"
	is "$("${P[@]}" "SELECT (SELECT count(*) FROM (($cur) EXCEPT (SELECT id, image_key FROM
		current_vulns)) a) + (SELECT count(*) FROM ((SELECT id, image_key FROM current_vulns)
		EXCEPT ($cur)) b)")" "0" \
		"$db: current_vulns = the vulnerability ids of each image's current result"
}

# Databases made here: feeds from the images' own package lists (mkfeed.py)
feeds() { # feeds OUT EXTRA
	python3 "$src/tests/integration/store/mkfeed.py" \
		"$IMG/bullseye/rootfs/var/lib/dpkg/status" bullseye "$T/f-bullseye-$2.json" "$2" &&
		python3 "$src/tests/integration/store/mkfeed.py" \
			"$IMG/bookworm/rootfs/var/lib/dpkg/status" bookworm "$T/f-bookworm-$2.json" "$2" &&
		"$H" db build --db "$1" --from "$T/f-bullseye-$2.json" "$T/f-bookworm-$2.json" \
			>/dev/null 2>&1
}
DB=$T/db1.sqlite
feeds "$DB" 0 || { echo "not ok 1 - hull db build"; echo "1..1"; exit 1; }
URL=$PG_URL
scan() { # scan TARGET OUT [args]: hull image --store, JSON report
	local t=$1 o=$2
	shift 2
	"$H" image --db "$DB" --no-cache --store "$URL" --format json -o "$o" "$@" "$t"
}
findings() { jq -S '[.findings[]] | sort_by(.id, .package.name)' "$1"; }

case $case_ in
schema)
	out=$("$H" store migrate --store "$URL" 2>&1)
	is "$out" "schema version 0 -> 7" "migrate from nothing"
	out=$("$H" store migrate --store "$URL" 2>&1)
	is "$out" "schema version 7: up to date" "migrate again"
	is "$(q 'SELECT string_agg(version::text, $$,$$ ORDER BY version) FROM schema_version')" \
		"1,2,3,4,5,6,7" "one schema_version row per migration"
	for v in 1 2 3 4 5 6; do
		pg_psql -d postgres -c "CREATE DATABASE v$v" >/dev/null
		u="postgresql://hull@/v$v?host=$PG_SOCK&port=$PG_PORT"
		out=$("$H" store migrate --store "$u" --to $v 2>&1)
		is "$out" "schema version 0 -> $v" "migrate to $v"
		"$H" host --root / --store "$u" --format json -o "$T/discard.json" 2>"$T/err"
		ok $([[ $? == 2 ]] && grep -q "schema version $v, this hull needs 7" "$T/err"; echo $?) \
			"a writer refuses schema $v" "$(cat "$T/err")"
		# a run written at version v survives the later migrations
		psql -X -q -At -h "$PG_SOCK" -p "$PG_PORT" -U hull -d v$v -c \
			"INSERT INTO runs(kind, target, node, started, finished, hull_version, nfindings)
			 VALUES ('host', '/old', 'n', now(), now(), '0.0', 1);
			 INSERT INTO findings(run_id, seq, kind, id, severity, title, suppressed)
			 VALUES (1, 0, 'host', 'HULL-H001', 3, 'old finding', false)" >/dev/null
		out=$("$H" store migrate --store "$u" 2>&1)
		is "$out" "schema version $v -> 7" "migrate $v -> 7"
		"$H" host --root / --store "$u" --format json -o "$T/h$v.json"
		ok $? "hull host writes after migrating from $v"
		got=$(psql -X -q -At -h "$PG_SOCK" -p "$PG_PORT" -U hull -d v$v -c \
			"SELECT count(*), sum(nfindings) = (SELECT count(*) FROM findings) FROM runs")
		is "$got" "2|t" "from $v: old and new runs, every finding kept"
	done
	# from 3 with an image result: version 4 fills image_findings from it
	pg_psql -d postgres -c "CREATE DATABASE i3" >/dev/null
	u="postgresql://hull@/i3?host=$PG_SOCK&port=$PG_PORT"
	"$H" store migrate --store "$u" --to 3 >/dev/null
	psql -X -q -At -h "$PG_SOCK" -p "$PG_PORT" -U hull -d i3 -c \
		"INSERT INTO runs(kind, target, node, started, finished, hull_version, nfindings, image_key)
		 VALUES ('image', 'img', 'n', now(), now(), '0.0', 2, 'sha256:k');
		 INSERT INTO images(key, npkgs, first_run) VALUES ('sha256:k', 0, 1);
		 INSERT INTO image_results VALUES ('sha256:k', 'b1', 1);
		 INSERT INTO findings(run_id, seq, kind, id, severity, title, suppressed, aliases, fixed_version)
		 VALUES (1, 0, 'vulnerability', 'CVE-1', 4, 't', false, '[\"GHSA-x\",\"DSA-1\"]', '1.2'),
		        (1, 1, 'vulnerability', 'CVE-2', 2, 't', true, NULL, NULL)" >/dev/null
	"$H" store migrate --store "$u" >/dev/null
	got=$(psql -X -q -At -h "$PG_SOCK" -p "$PG_PORT" -U hull -d i3 -c \
		"SELECT string_agg(id || ':' || alias || ':' || fixable || ':' || suppressed, ' ' ORDER BY seq, alias, id)
		 FROM image_findings")
	is "$got" "CVE-1:false:true:false DSA-1:true:true:false GHSA-x:true:true:false CVE-2:false:false:true" \
		"migration 4 indexes the results already stored (aliases included)"
	rollups_agree i3
	"$H" store migrate --store "$URL" --to 2 >"$T/out" 2>&1
	ok $([[ $? == 2 ]] && grep -q "only go forward" "$T/out"; echo $?) "no migration backwards"
	"$H" host --store "postgresql://hull@/nodb?host=$PG_SOCK&port=$PG_PORT" --format json \
		-o "$T/discard.json" 2>"$T/err"
	ok $([[ $? == 2 ]] && grep -q "store: cannot connect" "$T/err"; echo $?) \
		"an unreachable store is an error" "$(cat "$T/err")"
	;;
roundtrip)
	"$H" store migrate --store "$URL" >/dev/null
	"$H" image --db "$DB" --no-cache --format json -o "$T/plain.json" "$IMG/bullseye/oci:bullseye"
	scan "$IMG/bullseye/oci:bullseye" "$T/s1.json"
	ok $? "hull image --store"
	nf=$(jq '.findings | length' "$T/plain.json")
	ok $([[ $nf -gt 20 ]]; echo $?) "the test database finds $nf vulnerabilities"
	diff <(findings "$T/plain.json") <(findings "$T/s1.json") >"$T/d"
	ok $? "the report is the same with --store" "$(head -20 "$T/d")"
	is "$(q "SELECT kind, node, nfindings, reused IS NULL, db_build IS NOT NULL FROM runs")" \
		"image|test-node|$nf|t|t" "run recorded (what, where, findings, database build)"
	is "$(q 'SELECT count(*) FROM findings')" "$nf" "one row per finding"
	scan "$IMG/bullseye/oci:bullseye" "$T/s2.json"
	scan "$IMG/bullseye/bullseye.docker.tar" "$T/s3.json"
	scan "$IMG/bullseye/bullseye.oci.tar" "$T/s4.json"
	is "$(q "SELECT string_agg(coalesce(reused, '-'), ',' ORDER BY id) FROM runs")" \
		"-,result,result,result" "the same image in three forms: answered from the store"
	for f in s2 s3 s4; do
		diff <(findings "$T/plain.json") <(findings "$T/$f.json") >"$T/d"
		ok $? "$f: stored findings give the same report" "$(head -20 "$T/d")"
	done
	is "$(q 'SELECT count(*) FROM findings')" "$nf" "reused runs add no finding rows"
	is "$(q 'SELECT count(*) FROM image_findings WHERE NOT alias')" "$nf" \
		"the narrow index of the result: one row per finding"
	is "$(q 'SELECT count(*) FROM packages')" \
		"$(jq '[.target.inventory // empty] | length' "$T/plain.json" >/dev/null; q 'SELECT npkgs FROM images')" \
		"the inventory is stored once"
	# the layered image shares the base layer: read from the store
	scan "$IMG/bullseye/oci:bullseye-layered" "$T/l1.json"
	is "$(q 'SELECT count(*), sum(scans) FROM layers')" "3|3" \
		"bullseye-layered: 3 layers stored, each read once (the base from the store)"
	# a changed database: the stored inventories are re-matched, no image read
	sleep 1.1
	since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	sleep 1.1
	DB2=$T/db2.sqlite
	feeds "$DB2" 2
	"$H" image --db "$DB2" --no-cache --format json -o "$T/plain2.json" "$IMG/bullseye/oci:bullseye"
	out=$("$H" store rematch --store "$URL" --db "$DB2")
	ok $([[ $out == "rematched 2 image(s)"* ]]; echo $?) "rematch: $out"
	is "$(q "SELECT count(*) FROM runs WHERE kind = 'rematch' AND reused = 'inventory'")" "2" \
		"one rematch run per stored image"
	"$H" image --db "$DB2" --no-cache --store "$URL" --format json -o "$T/s5.json" \
		"$IMG/bullseye/oci:bullseye"
	is "$(q "SELECT reused FROM runs ORDER BY id DESC LIMIT 1")" "result" \
		"after the rematch, the new build's result is in the store"
	diff <(findings "$T/plain2.json") <(findings "$T/s5.json") >"$T/d"
	ok $? "rematched findings = a fresh scan with the new database" "$(head -20 "$T/d")"
	ok $([[ $(jq '.findings|length' "$T/plain2.json") -gt $nf ]]; echo $?) \
		"the new build has more findings"
	rollups_agree
	top_agrees
	changes_agrees "$since"
	# back to the first build (its result answered from the store): what the
	# second build added is gone
	sleep 1.1
	since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	sleep 1.1
	scan "$IMG/bullseye/oci:bullseye" "$T/s6.json"
	changes_agrees "$since"
	ok $(jq -e 'any(.[]; .change == "resolved") and all(.[]; .change == "resolved")' \
		"$T/changes-ref.json" >/dev/null; echo $?) "fleet changes: the findings of the newer build resolved"
	# host and config runs
	"$H" host --root / --store "$URL" --format json -o "$T/h.json"
	is "$(q "SELECT nfindings FROM runs WHERE kind = 'host'")" \
		"$(jq '.findings | length' "$T/h.json")" "hull host --store"
	"$H" config --store "$URL" --format json -o "$T/c.json" "$src/deploy/kubernetes" >/dev/null
	is "$(q "SELECT nfindings FROM runs WHERE kind = 'config'")" \
		"$(jq '.findings | length' "$T/c.json")" "hull config --store"
	got=$(q "SELECT count(*) FROM runs r WHERE r.nfindings <> (SELECT count(*) FROM findings f
		WHERE f.run_id = r.id) AND r.findings_run IS NULL")
	is "$got" "0" "every run holds exactly its findings"
	;;
concurrency)
	"$H" store migrate --store "$URL" >/dev/null
	targets=("$IMG/bookworm/oci:bookworm" "$IMG/bookworm/oci:bookworm-layered"
		"$IMG/bullseye/oci:bullseye" "$IMG/bullseye/oci:bullseye-layered"
		"$IMG/bullseye/bullseye.docker.tar" "$IMG/alpine-fake/oci")
	pids=()
	for w in $(seq 1 16); do
		(
			# each writer: three of the images, in its own order
			for k in 0 1 2; do
				t=${targets[$(((w * 7 + k * 5) % ${#targets[@]}))]}
				scan "$t" "$T/w$w-$k.json" --quiet || exit 1
			done
		) 2>"$T/w$w.err" &
		pids+=($!)
	done
	bad=0
	for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
	ok $bad "16 writers, 3 scans each, all succeed" "$(cat "$T"/w*.err | head -20)"
	is "$(q 'SELECT count(*) FROM runs')" "48" "48 runs"
	# distinct images: bookworm, bookworm-layered, bullseye (= its docker
	# archive), bullseye-layered, alpine-fake
	is "$(q 'SELECT count(*) FROM images')" "5" "5 distinct images"
	is "$(q 'SELECT count(*) FROM image_results')" "5" "one result per image"
	is "$(q "SELECT count(*) FROM runs WHERE reused IS NULL")" "5" "each image scanned once"
	is "$(q 'SELECT count(*), sum(scans), max(scans) FROM layers')" "7|7|1" \
		"7 distinct layers, each read from its blob once"
	is "$(q 'SELECT sum(nfindings) FROM runs WHERE findings_run IS NULL')" \
		"$(q 'SELECT count(*) FROM findings')" "no duplicate or lost findings"
	is "$(q 'SELECT count(*) FROM (SELECT image_key FROM image_refs GROUP BY 1) x')" "5" \
		"image names under 5 keys"
	is "$(q 'SELECT sum(npkgs) FROM images')" "$(q 'SELECT count(*) FROM packages')" \
		"inventories stored once each"
	# three database builds re-matched at once: several new results of
	# each image written concurrently; the rollups follow the latest
	for k in 3 4 5; do feeds "$T/db$k.sqlite" $k; done
	pids=()
	for k in 3 4 5; do
		"$H" store rematch --store "$URL" --db "$T/db$k.sqlite" >"$T/r$k.out" 2>&1 &
		pids+=($!)
	done
	bad=0
	for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
	ok $bad "three concurrent rematches" "$(cat "$T"/r*.out)"
	is "$(q 'SELECT count(*) FROM image_results')" "20" "a result per image and build"
	rollups_agree
	;;
kill)
	"$H" store migrate --store "$URL" >/dev/null
	key=$("$H" image --db "$DB" --no-cache --format json "$IMG/alpine-fake/oci" |
		jq -r '.target.configDigest // empty')
	[[ -n $key ]] || key=$(jq -r '.config.digest' <(cat "$IMG/alpine-fake/oci/blobs/sha256/$(jq -r '.manifests[0].digest' "$IMG/alpine-fake/oci/index.json" | cut -d: -f2)"))
	# Another transaction holds the image's row (uncommitted): a writer of
	# that image blocks inside its own transaction, after its run and its
	# findings are written.
	mkfifo "$T/hold"
	PGAPPNAME=holder pg_psql -f "$T/hold" >"$T/hold.out" 2>&1 &
	holder=$!
	exec 7>"$T/hold"
	echo "BEGIN; INSERT INTO runs(kind, target, node, started, finished, hull_version, nfindings)
		VALUES ('image', 'holder', 'h', now(), now(), '0', 0);
		INSERT INTO images(key, npkgs, first_run) VALUES ('$key', 0, currval('runs_id_seq'));
		SELECT pg_sleep(300);" >&7
	for i in $(seq 1 50); do
		[[ $(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'holder'
			AND wait_event = 'PgSleep'") == 1 ]] && break
		sleep 0.1
	done
	# hull itself in the background (not a shell function: kill hits hull)
	"$H" image --db "$DB" --no-cache --store "$URL" --format json -o "$T/k.json" \
		"$IMG/alpine-fake/oci" 2>/dev/null &
	w=$!
	waited=no
	for i in $(seq 1 100); do
		got=$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hull'
			AND wait_event_type = 'Lock' AND xact_start IS NOT NULL
			AND query LIKE 'INSERT INTO images%'")
		[[ $got == 1 ]] && { waited=yes; break; }
		sleep 0.1
	done
	is "$waited" "yes" "the writer waits inside its transaction (its run and findings written)"
	kill -9 "$w"
	wait "$w" 2>/dev/null
	# the server notices the dead client even while its backend waits
	# (client_connection_check_interval), and ends its transaction
	gone=no
	for i in $(seq 1 100); do
		[[ $(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hull'") == 0 ]] &&
			{ gone=yes; break; }
		sleep 0.1
	done
	is "$gone" "yes" "the killed writer's session ends while the other transaction is open"
	is "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" "0" \
		"its advisory locks went with its connection"
	is "$(q 'SELECT count(*) FROM runs')" "0" "no run of the killed writer"
	is "$(q 'SELECT count(*) FROM findings')" "0" "no finding of the killed writer"
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" \
		>/dev/null
	exec 7>&-
	wait "$holder" 2>/dev/null
	is "$(q 'SELECT count(*) FROM runs')" "0" "nothing of the holder either (rolled back)"
	is "$(q 'SELECT count(*) FROM images')" "0" "no image row"
	scan "$IMG/alpine-fake/oci" "$T/k2.json"
	ok $? "the next writer records the image"
	is "$(q 'SELECT count(*), sum(nfindings) FROM runs')" \
		"1|$(jq '.findings|length' "$T/k2.json")" "one complete run"
	;;
fleet)
	"$H" store migrate --store "$URL" >/dev/null
	scan "$IMG/bullseye/oci:bullseye" "$T/a.json"
	scan "$IMG/bookworm/oci:bookworm" "$T/b.json"
	bdig=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "bullseye") | .digest' "$IMG/bullseye/oci/index.json")
	cat >"$T/pods.json" <<-EOF
	{"apiVersion": "v1", "kind": "List", "items": [
	 {"metadata": {"namespace": "shop", "name": "web-6d4b9c7f5-abcde",
	   "ownerReferences": [{"kind": "ReplicaSet", "name": "web-6d4b9c7f5"}]},
	  "spec": {"nodeName": "n1", "containers": [{"name": "app", "image": "registry.example/web:1"}]},
	  "status": {"containerStatuses": [{"name": "app", "imageID": "registry.example/web@$bdig"}]}},
	 {"metadata": {"namespace": "shop", "name": "web-6d4b9c7f5-fghij",
	   "ownerReferences": [{"kind": "ReplicaSet", "name": "web-6d4b9c7f5"}]},
	  "spec": {"nodeName": "n2", "containers": [{"name": "app", "image": "registry.example/web:1"}]},
	  "status": {"containerStatuses": [{"name": "app", "imageID": "registry.example/web@$bdig"}]}},
	 {"metadata": {"namespace": "ops", "name": "tool"},
	  "spec": {"containers": [{"name": "t", "image": "bookworm"}]}}
	]}
	EOF
	out=$("$H" store workloads --store "$URL" "$T/pods.json")
	is "$out" "recorded 2 workload container(s)" "workloads from a pod list"
	# a vulnerability of bullseye that bookworm does not have
	cve=$(comm -23 <(jq -r '.findings[].id' "$T/a.json" | grep CVE-9000 | sort -u) \
		<(jq -r '.findings[].id' "$T/b.json" | sort -u) | head -1)
	"$H" fleet --store "$URL" --format json cve "$cve" >"$T/cve.json"
	is "$(jq -c '[.images[].image] | unique' "$T/cve.json")" '["bullseye"]' "fleet cve $cve: the images"
	is "$(jq -c '[.workloads[] | "\(.namespace)/\(.kind)/\(.name)"]' "$T/cve.json")" \
		'["shop/Deployment/web"]' "fleet cve: the workload (by the digest the kubelet resolved)"
	"$H" fleet --store "$URL" --format json top --limit 5 >"$T/top.json"
	is "$(jq 'length' "$T/top.json")" "5" "fleet top --limit 5"
	want=$(jq -r '[.findings[] | select(.id | startswith("CVE-9000")) | select(.severity == "HIGH")] | length > 0' "$T/a.json")
	is "$(jq -r '.[0].severity' "$T/top.json")" "HIGH" "fleet top: highest severity first"
	is "$(jq -r '.[0].workloads' "$T/top.json")" \
		"$(jq -r --arg c "$(jq -r '.[0].id' "$T/top.json")" '[.findings[] | select(.id == $c)] | if length > 0 then 1 else 0 end' "$T/a.json")" \
		"fleet top: the workloads running it"
	top_agrees
	rollups_agree
	"$H" fleet --store "$URL" --format json namespaces >"$T/ns.json"
	is "$(jq -c '[.[] | [.namespace, .workloads, .images, .scanned]]' "$T/ns.json")" \
		'[["shop",1,1,1],["ops",1,1,1]]' "fleet namespaces"
	is "$(jq '.[] | select(.namespace == "shop") | .high + .medium + .low + .critical + .unknown' "$T/ns.json")" \
		"$(jq '[.findings[] | select(.suppressed | not)] | length' "$T/a.json")" \
		"namespace shop: the findings of its image"
	"$H" fleet --store "$URL" --format json changes --since 1h >"$T/ch.json"
	is "$(jq '[.[] | select(.change == "new")] | length' "$T/ch.json")" \
		"$(jq -s '[.[].findings[]] | length' "$T/a.json" "$T/b.json")" \
		"fleet changes: every finding of the new images is new"
	# a target whose name needs JSON escapes: quote, backslash, tab, newline, \x01
	odd="$T/q\"b\\s$(printf '\t')t$(printf '\nn\001')"
	mkdir -p "$odd"
	printf 'FROM debian:bookworm\nRUN apt-get install -y curl\n' >"$odd/Dockerfile"
	"$H" config --store "$URL" --format json -o "$T/odd.json" "$odd" >/dev/null 2>&1
	"$H" fleet --store "$URL" --format json changes --since 1h >"$T/ch-odd.json"
	ok $(jq -e --arg t "$odd" 'any(.[]; .kind == "config" and (.target | contains($t)))' \
		"$T/ch-odd.json" >/dev/null; echo $?) "fleet changes: a target with quote, backslash, tab, newline and \\x01 comes back as written" \
		"$(jq -c '[.[] | select(.kind == "config") | .target] | unique' "$T/ch-odd.json" 2>&1 | head -3)"
	cp "$T/ch-odd.json" "$T/ch.json"
	"$H" fleet --store "$URL" --format table top >"$T/top.txt"
	ok $(grep -q "^ID  *SEVERITY" "$T/top.txt"; echo $?) "fleet top: a table" "$(head -3 "$T/top.txt")"
	"$H" fleet --store "$URL" --format html cve "$cve" >"$T/cve.html"
	ok $(grep -q "<table>" "$T/cve.html"; echo $?) "fleet cve: HTML"
	# the same four answered by hull serve --store --fleet-api
	root_ok=$([ "$(id -u)" -eq 0 ] && echo --allow-root)
	# shellcheck disable=SC2086 # root_ok: nothing or one word
	"$H" serve $root_ok --docker-authz "$T/fleet.sock" --store "$URL" --fleet-api \
		--no-decision-log 2>"$T/fleet-serve.log" &
	fsrv=$!
	for i in $(seq 1 100); do [[ -S $T/fleet.sock ]] && break; sleep 0.1; done
	fget() { # fget PATH [CURL ARGS]: the status; the body in fget.json
		local p=$1
		shift
		curl -sS --unix-socket "$T/fleet.sock" --max-time 20 -o "$T/fget.json" -w '%{http_code}' \
			"$@" "http://hull/v1/fleet/$p"
	}
	digest() { jq -S . "$1" | sha256sum | cut -c1-16; }
	for pq in "cve/$cve|cve.json" "top?limit=5|top.json" "namespaces|ns.json" \
		"changes?since=1h|ch.json" "changes?since=$(date -u +%Y-%m-%d)T00%3A00%3A00Z|ch.json"; do
		code=$(fget "${pq%%|*}")
		is "$code $(digest "$T/fget.json")" "200 $(digest "$T/${pq##*|}")" \
			"serve --fleet-api /v1/fleet/${pq%%|*}: hull fleet's answer"
	done
	for bad in "top?limit=0|400" "top?limit=x|400" "top?since=1h|400" "top?limit|400" "cve/|400" \
		"cve/a%zz|400" "cve/CVE-1/x|400" "cve/a%00b|400" "changes?since=tomorrow|400" "nope|404" \
		"cve|404" "top/x|404"; do
		code=$(fget "${bad%%|*}")
		is "$code $(jq -r .status "$T/fget.json")" "${bad##*|} ${bad##*|}" \
			"serve --fleet-api ${bad%%|*}: refused ($(jq -r .error "$T/fget.json"))"
	done
	is "$(fget top -X POST)" "405" "serve --fleet-api: POST refused"
	kill "$fsrv"
	wait "$fsrv" 2>/dev/null
	# a store that does not answer: 503 with libpq's reason, the server stays up
	# shellcheck disable=SC2086
	"$H" serve $root_ok --docker-authz "$T/fleet2.sock" --fleet-api --no-decision-log \
		--store "postgresql://hull@/hull?host=$T/nowhere&port=1&connect_timeout=2" \
		2>"$T/fleet-serve2.log" &
	fsrv=$!
	for i in $(seq 1 100); do [[ -S $T/fleet2.sock ]] && break; sleep 0.1; done
	code=$(curl -sS --unix-socket "$T/fleet2.sock" --max-time 20 -o "$T/fget.json" -w '%{http_code}' \
		http://hull/v1/fleet/namespaces)
	ok $([[ $code == 503 ]] && jq -r .error "$T/fget.json" | grep -q "fleet namespaces: "; echo $?) \
		"serve --fleet-api, store down: 503 naming the query" "$code $(cat "$T/fget.json")"
	is "$(curl -sS --unix-socket "$T/fleet2.sock" --max-time 20 http://hull/healthz)" "ok" \
		"serve --fleet-api, store down: the server still answers"
	kill "$fsrv"
	wait "$fsrv" 2>/dev/null
	# shellcheck disable=SC2086
	out=$("$H" serve $root_ok --docker-authz "$T/fleet3.sock" --fleet-api 2>&1)
	ok $([[ $? == 2 ]] && grep -q -- "--fleet-api needs --store" <<<"$out"; echo $?) \
		"serve --fleet-api without --store: exit 2" "$out"
	# the same list from the API server, with a service account's token
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout "$T/api.key" \
		-out "$T/api.crt" >/dev/null 2>&1
	echo "s3cret-token" >"$T/token"
	# a third workload runs an image the store has not seen
	other="sha256:$(printf other | sha256sum | cut -d' ' -f1)"
	jq --arg d "registry.example/other@$other" '.items += [{"metadata": {"namespace": "batch",
		"name": "job-1-abcde", "ownerReferences": [{"kind": "Job", "name": "job-1"}]},
		"spec": {"containers": [{"name": "c", "image": "registry.example/other:2"}]},
		"status": {"containerStatuses": [{"name": "c", "imageID": $d}]}}]' \
		"$T/pods.json" >"$T/pods-api.json"
	python3 "$src/tests/integration/store/fake_api.py" "$T/api.crt" "$T/api.key" s3cret-token \
		"$T/pods-api.json" >"$T/api.port" 2>"$T/api.log" &
	api=$!
	for i in $(seq 1 100); do [[ -s $T/api.port ]] && break; sleep 0.1; done
	out=$("$H" store workloads --store "$URL" --from-api --api "https://127.0.0.1:$(cat "$T/api.port")" \
		--api-token "$T/token" --api-ca "$T/api.crt" --db "$DB" --images "$T/todo.txt" 2>&1)
	ok $? "workloads --from-api" "$out"
	is "$(head -1 <<<"$out")" "recorded 3 workload container(s)" "from the API: 3 workloads"
	is "$(cat "$T/todo.txt")" "registry.example/other@$other" \
		"--images: only the image without a result, by the digest that runs"
	echo "wrong" >"$T/badtoken"
	"$H" store workloads --store "$URL" --from-api --api "https://127.0.0.1:$(cat "$T/api.port")" \
		--api-token "$T/badtoken" --api-ca "$T/api.crt" >"$T/out" 2>&1
	ok $([[ $? == 2 ]] && grep -q "HTTP 401" "$T/out"; echo $?) "a refused token: exit 2" "$(cat "$T/out")"
	"$H" store workloads --store "$URL" --from-api --api "https://127.0.0.1:$(cat "$T/api.port")" \
		--api-token "$T/token" >"$T/out" 2>&1
	ok $([[ $? == 2 ]]; echo $?) "a server the CA does not vouch for: exit 2" "$(cat "$T/out")"
	kill "$api"
	wait "$api" 2>/dev/null
	# the CronJob's scan: the image recorded under the reference that runs
	"$H" image --db "$DB" --no-cache --store "$URL" --store-ref "registry.example/other@$other" \
		--format json -o "$T/o.json" "$IMG/alpine-fake/oci" 2>/dev/null
	is "$(q "SELECT manifest_digest FROM image_refs WHERE name = 'registry.example/other@$other'")" \
		"$other" "--store-ref: the digest the kubelet resolved"
	out=$("$H" store workloads --store "$URL" "$T/pods-api.json" --db "$DB" --images "$T/todo2.txt")
	is "$(wc -c <"$T/todo2.txt")" "0" "after the scan, nothing left to scan"
	"$H" fleet --store "$URL" --format json namespaces >"$T/ns2.json"
	is "$(jq -c '.[] | select(.namespace == "batch") | [.workloads, .images, .scanned]' "$T/ns2.json")" \
		"[1,1,1]" "the new workload's image is scanned"
	# the store's contents on hull serve's /metrics
	# shellcheck disable=SC2046 # as root, hull serve wants --allow-root
	"$H" serve $([ "$(id -u)" -eq 0 ] && echo --allow-root) --docker-authz "$T/authz.sock" --store "$URL" --log "$T/serve.log" &
	srv=$!
	for i in $(seq 1 100); do [[ -S $T/authz.sock ]] && break; sleep 0.1; done
	curl -sS --unix-socket "$T/authz.sock" --max-time 20 http://hull/metrics >"$T/metrics.txt"
	# a decision of the Docker plugin is recorded (off the request path)
	body=$(printf '{"Image":"alpine","HostConfig":{"Privileged":true}}' | base64 -w0)
	curl -sS --unix-socket "$T/authz.sock" --max-time 20 -H 'Content-Type: application/json' \
		-d "{\"User\":\"\",\"RequestMethod\":\"POST\",\"RequestURI\":\"/v1.41/containers/create?name=bad\",\"RequestBody\":\"$body\"}" \
		http://hull/AuthZPlugin.AuthZReq >"$T/authz.json"
	is "$(jq -r .Allow "$T/authz.json")" "false" "serve --store: the privileged container is denied"
	kill "$srv"
	wait "$srv" 2>/dev/null
	is "$(q "SELECT count(*) FROM runs r JOIN findings f ON f.run_id = r.id WHERE r.kind = 'authz'
		AND r.target = 'container bad' AND f.id = 'HULL-C001'")" "1" \
		"serve --store: the decision recorded as a run with its findings"
	want=$(jq -s '[.[].findings[] | select(.suppressed | not) | select(.severity == "HIGH")] | length' \
		"$T/a.json" "$T/b.json" "$T/o.json")
	for line in "hull_store_up 1" 'hull_store_runs{kind="image"} 3' "hull_store_images 3" \
		"hull_store_workloads 3" "hull_store_image_findings{severity=\"HIGH\"} $want"; do
		ok $(grep -qxF "$line" "$T/metrics.txt"; echo $?) "serve --store /metrics: $line" \
			"$(grep hull_store "$T/metrics.txt")"
	done
	;;
*)
	echo "unknown case $case_" >&2
	exit 2
	;;
esac
echo "1..$n"
[[ $failed == 0 ]]
