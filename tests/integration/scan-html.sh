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
if ! command -v chromium >/dev/null; then
  [[ $(id -u) == 0 ]] || skip_missing "chromium (apt-get install chromium)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
    >/dev/null 2>&1 || skip_missing "chromium could not be installed"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
logdir=${HULL_BUILD:?}/meson-logs; mkdir -p "$logdir"
n=0 fail=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }

args=()
k=0
for ref in $("$HULL_BIN" scan --format json "$app" | jq -r '.deployment.workloads[].images[]' | sort -u); do
  img=$([[ $((k % 2)) == 0 ]] && echo bookworm || echo bullseye)
  args+=(--image "$ref=$imgs/$img/$img.docker.tar"); k=$((k + 1))
done
db=$HULL_BUILD/golden-db.sqlite
[[ -s $db ]] && args+=(--db "$db")
"$HULL_BIN" scan "${args[@]}" --format html="$tmp/report.html" --format json="$tmp/r.json" "$app"
rc=$?
check "hull scan wrote the report (exit $rc)" "[[ -s $tmp/report.html && $rc -le 1 ]]"
size=$(stat -c %s "$tmp/report.html")
check "size $size bytes < 2 MiB" "[[ $size -lt 2097152 ]]"
check "nothing loaded from elsewhere (no src=, <link, @import, url() but #fragments)" \
  "! grep -Eiq '<(script|img|iframe|link)[^>]* (src|href)=|@import|url\\([^#]' '$tmp/report.html'"

chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$tmp")" --host-resolver-rules='MAP * ~NOTFOUND' \
    --enable-logging=stderr --v=0 "$@"
}
url="file://$tmp/report.html"
chrome --window-size=1280,2400 --screenshot="$logdir/scan-report.png" "$url" >/dev/null 2>"$tmp/shot.err"
check "screenshot written to $logdir/scan-report.png" "[[ -s '$logdir/scan-report.png' ]]"
chrome --dump-dom --log-net-log="$tmp/net.json" "$url" >"$tmp/all.html" 2>"$tmp/all.err"
# the browser's own background calls (Google update, time, accounts
# services) are its, not the page's: every other URL is a request the page made
grep -o '"url":"[^"]*"' "$tmp/net.json" | grep -v '"url":"file:' |
  grep -Ev '"url":"https?://[^/"]*(google\.com|googleapis\.com|gstatic\.com)[/"]' >"$tmp/requests"
check "no request leaves the file (net log: $(wc -l <"$tmp/requests") other URLs)" "[[ ! -s $tmp/requests ]]"
head -3 "$tmp/requests" | sed 's/^/# /'
check "no console error, no refused request" \
  "! grep -E 'CONSOLE|Refused|ERR_|Content Security Policy' '$tmp/all.err' '$tmp/shot.err' | grep -v 'Fontconfig' | grep -q ."
grep -E 'CONSOLE|Refused|Content Security' "$tmp/all.err" "$tmp/shot.err" | head -5 | sed 's/^/# /'
total=$(grep -c '<tr data-order=' "$tmp/all.html")
shown_all=$(grep '<tr data-order=' "$tmp/all.html" | grep -vc ' hidden')
check "every finding shown without a filter ($shown_all of $total)" "[[ $total -gt 0 && $shown_all == $total ]]"
# a filter that keeps some rows: the first workload with findings
wl=$(jq -r '[.findings[] | select(.workload) | .workload][0]' "$tmp/r.json")
want=$(jq --arg w "$wl" '[.findings[] | select(.workload == $w)] | length' "$tmp/r.json")
enc=$(jq -rn --arg w "$wl" '$w | @uri')
chrome --dump-dom "$url#workload=$enc" >"$tmp/wl.html" 2>/dev/null
shown=$(grep '<tr data-order=' "$tmp/wl.html" | grep -vc ' hidden')
check "workload filter $wl shows its $want findings (shown $shown of $total)" "[[ $shown == $want && $shown -lt $total ]]"
# the least frequent severity present: some rows, not all
sev=$(jq -r '[.findings[].severity] | group_by(.) | min_by(length) | .[0]' "$tmp/r.json")
num=$(case $sev in CRITICAL) echo 4 ;; HIGH) echo 3 ;; MEDIUM) echo 2 ;; LOW) echo 1 ;; *) echo 0 ;; esac)
want=$(jq --arg s "$sev" '[.findings[] | select(.severity == $s)] | length' "$tmp/r.json")
chrome --dump-dom "$url#severity=$num" >"$tmp/sev.html" 2>/dev/null
shown=$(grep '<tr data-order=' "$tmp/sev.html" | grep -vc ' hidden')
check "severity filter $sev shows its $want rows (shown $shown of $total)" "[[ $shown == $want && $shown -lt $total ]]"
grep -q 'id="shown"[^>]*>[0-9]* of [0-9]* findings shown' "$tmp/wl.html"
check "the page says how many rows the filter shows" "[[ $? == 0 ]]"
echo "1..$n"
exit $fail
