#!/usr/bin/env bash
# scan-html.sh: the HTML report of `hull scan` on a real multi-service app
# (sock-shop, images substituted by the test images) opened in headless
# Chromium (Debian's `chromium`, installed here when missing and root): it
# loads with no console error and no request leaving the file (its CSP
# refuses any; a refused one is a console error), a screenshot is written
# next to the test log, the filter controls change what is shown (a filter
# set through the page's #fragment, the DOM dumped after the scripts ran),
# and the file stays under 2 MiB.
set -uo pipefail
. "${HULL_SRC:?}/tests/lib/skip.sh"
imgs=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
app=${HULL_SHARED:-$HULL_SRC/../shared}/data/k8s-real/sock-shop
[[ -d $app ]] || skip_missing "$app"
[[ -f $imgs/bookworm/bookworm.docker.tar && -f $imgs/bullseye/bullseye.docker.tar ]] ||
  skip_missing "test images (scripts/test-images.sh)"
. "$HULL_SRC/tests/lib/html-report.sh"
html_need_chromium
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
logdir=${HULL_BUILD:?}/meson-logs; mkdir -p "$logdir"
n=0 fail=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }

args=()
k=0
for ref in $("$HULL_BIN" scan --offline --format json "$app" | jq -r '.deployment.workloads[].images[]' | sort -u); do
  img=$([[ $((k % 2)) == 0 ]] && echo bookworm || echo bullseye)
  args+=(--image "$ref=$imgs/$img/$img.docker.tar"); k=$((k + 1))
done
db=$HULL_BUILD/golden-db.sqlite
[[ -s $db ]] && args+=(--db "$db")
"$HULL_BIN" scan --offline "${args[@]}" --format html="$tmp/report.html" --format json="$tmp/r.json" "$app"
rc=$?
check "hull scan wrote the report (exit $rc)" "[[ -s $tmp/report.html && $rc -le 1 ]]"
html_report_checks "$tmp/report.html" "$tmp/r.json" "$logdir/scan-report.png"
echo "1..$n"
exit $fail
