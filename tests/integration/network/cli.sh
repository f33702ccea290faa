#!/usr/bin/env bash
# hull network's command line: formats (table, json, sarif, junit,
# markdown, dot, svg) to standard output and files, conflicts, --can exit
# codes, --fail-on, standard input, directories with Compose overrides,
# errors. TAP; the shared data is read in place.
set -uo pipefail
HULL=${HULL_BIN:?}
DATA=${HULL_SHARED:?}/data
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
. "${HULL_SRC:?}/tests/lib/skip.sh"
[ -d "$DATA/k8s-real" ] || skip_missing "$DATA/k8s-real"
WD=$(mktemp -d /tmp/hull-net-cli.XXXXXX)
trap 'rm -rf "$WD"' EXIT
BOUT=$DATA/k8s-real/gcp-microservices-demo
PG=$DATA/compose/awesome-compose/postgresql-pgadmin/compose.yaml

"$HULL" network >/dev/null 2>"$WD/e"; ok "$([ $? = 2 ]; echo $?)" "nothing to read: exit 2 ($(head -1 "$WD/e"))"
"$HULL" network --format dot --format json "$BOUT" >/dev/null 2>"$WD/e"
ok "$([ $? = 2 ] && grep -q "same place" "$WD/e"; echo $?)" "dot and json both to standard output refused"
"$HULL" network --format nope "$BOUT" >/dev/null 2>&1; ok "$([ $? = 2 ]; echo $?)" "unknown format refused"

"$HULL" network --format table "$BOUT" >"$WD/t.txt"; rc=$?
ok "$([ $rc = 0 ] && grep -q "^Reachability: 12 workloads, 13 policies" "$WD/t.txt" && grep -q "Exposed outside (2)" "$WD/t.txt"; echo $?)" "table: matrix header and exposures"
"$HULL" network --format json=$WD/n.json --format sarif=$WD/n.sarif --format junit=$WD/n.xml \
  --format markdown=$WD/n.md --format dot=$WD/n.dot "$BOUT"; rc=$?
ok "$([ $rc = 0 ]; echo $?)" "five documents from one run"
ok "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['schema']=='hull-network/1' and len(d['workloads'])==12 and len(d['edges'])==38" "$WD/n.json"; echo $?)" "json: schema, 12 workloads, 38 edges"
ok "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['version']=='2.1.0' and d['runs'][0]['results'][0]['ruleId'].startswith('HULL-N')" "$WD/n.sarif"; echo $?)" "sarif: HULL-N results"
ok "$(grep -q "<testsuite" "$WD/n.xml"; echo $?)" "junit document"
ok "$(grep -q "HULL-N003" "$WD/n.md"; echo $?)" "markdown document"
ok "$(head -1 "$WD/n.dot" | grep -q "^digraph hull_network"; echo $?)" "dot document"
if command -v dot >/dev/null; then
  "$HULL" network --format dot="$WD/g.svg" "$BOUT"; rc=$?
  ok "$([ $rc = 0 ] && grep -q "<svg" "$WD/g.svg"; echo $?)" "dot=FILE.svg renders through Graphviz"
  "$HULL" network --format svg --output "$WD/o.svg" "$BOUT"; rc=$?
  ok "$([ $rc = 0 ] && grep -q "<svg" "$WD/o.svg"; echo $?)" "svg to --output"
fi
PATH=/nonexistent "$HULL" network --format svg=$WD/x.svg "$BOUT" 2>"$WD/e"; rc=$?
ok "$([ $rc = 2 ] && grep -q "dot" "$WD/e" && [ ! -e "$WD/x.svg" ]; echo $?)" "svg without Graphviz: exit 2, no file ($(head -1 "$WD/e"))"

"$HULL" network --can default/frontend default/cartservice:7070 "$BOUT" >"$WD/c"; rc=$?
ok "$([ $rc = 0 ] && grep -q ALLOWED "$WD/c"; echo $?)" "--can allowed: exit 0"
"$HULL" network --can default/loadgenerator default/currencyservice:grpc "$BOUT" >"$WD/c"; rc=$?
ok "$([ $rc = 1 ] && grep -q DENIED "$WD/c"; echo $?)" "--can denied by port name: exit 1"
"$HULL" network --format json --can internet default/frontend:8080 "$BOUT" >"$WD/c"; rc=$?
ok "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['allowed'] and d['ingress']['allowed_by']" "$WD/c" && [ $rc = 0 ]; echo $?)" "--can as JSON, with the allowing rule"
"$HULL" network --can nobody default/frontend:80 "$BOUT" >/dev/null 2>&1; ok "$([ $? = 2 ]; echo $?)" "--can unknown workload: exit 2"

"$HULL" network --format json --fail-on high "$PG" >/dev/null; rc=$?
ok "$([ $rc = 1 ]; echo $?)" "--fail-on high with a database on the internet: exit 1"
"$HULL" network --format json --fail-on critical "$PG" >/dev/null; rc=$?
ok "$([ $rc = 0 ]; echo $?)" "--fail-on critical: exit 0"
"$HULL" network --format json --severity LOW "$PG" >"$WD/s.json"; rc=$?
ok "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert all(f['severity']=='LOW' for f in d['findings']['findings'])" "$WD/s.json"; echo $?)" "--severity filters the findings"

"$HULL" network --format json - <"$PG" >"$WD/in.json"; rc=$?
ok "$([ $rc = 0 ] && grep -q '"postgres"' "$WD/in.json"; echo $?)" "standard input"
mkdir -p "$WD/proj"
printf 'services:\n  web: {image: nginx, networks: [front]}\n  db: {image: postgres, networks: [back]}\nnetworks: {front: {}, back: {}}\n' >"$WD/proj/compose.yaml"
printf 'services:\n  web: {networks: [back]}\n' >"$WD/proj/compose.override.yaml"
"$HULL" network --format json -p proj --can web db:5432 "$WD/proj" >/dev/null; rc=$?
ok "$([ $rc = 0 ]; echo $?)" "a walked directory merges compose.override.yaml with its base"
"$HULL" network --format json -f "$WD/proj/compose.yaml" --can web db:5432 >/dev/null; rc=$?
ok "$([ $rc = 1 ]; echo $?)" "-f the base alone: web does not reach db"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n' >"$WD/bad.yaml"
"$HULL" network --format json "$WD/bad.yaml" "$PG" >"$WD/b.json" 2>"$WD/e"; rc=$?
ok "$([ $rc = 2 ] && grep -q "bad.yaml" "$WD/e" && grep -q '"postgres"' "$WD/b.json"; echo $?)" "a broken file: exit 2, the others still reported"
"$HULL" network --list-rules >"$WD/r"; ok "$(grep -q "^HULL-N009" "$WD/r"; echo $?)" "--list-rules"
"$HULL" help network >/dev/null; ok $? "hull help network"
echo "1..$n"
[ $fail = 0 ]
