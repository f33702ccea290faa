# html-report.sh: the checks every HTML report of hull passes in headless
# Chromium (Debian's `chromium`, installed when missing and root), for
# tests/integration/scan-html.sh and report-html.sh. Source it after
# skip.sh, with `check NAME CONDITION` defined and $tmp a scratch folder.
#
#   html_need_chromium                   skip (missing:) when it cannot be had
#   html_report_checks HTML JSON SHOT    HTML is the report, JSON the same
#                                        findings as `--format json`, SHOT
#                                        the screenshot's path
#
# What is checked: under 2 MiB; no src=/href=/@import/url() that loads
# anything; the screenshot is written; no request leaves the file (the
# browser's net log); no console error or refused request (the page's CSP
# refuses any request, and a refusal is a console error); every finding
# shown without a filter; the object (workload) filter and the severity
# filter, set through the page's #fragment, show exactly the findings the
# JSON document has for them; the page says how many rows are shown.

html_need_chromium() {
  command -v chromium >/dev/null && return 0
  [[ $(id -u) == 0 ]] || skip_missing "chromium (apt-get install chromium)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
    >/dev/null 2>&1 || skip_missing "chromium could not be installed"
}

html_chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$tmp")" --host-resolver-rules='MAP * ~NOTFOUND' \
    --enable-logging=stderr --v=0 "$@"
}

# rows shown (not hidden) in a dumped DOM
html_shown() { grep '<tr data-order=' "$1" | grep -vc ' hidden'; }

html_report_checks() {
  local html=$1 json=$2 shot=$3 d
  d=$(mktemp -d -p "$tmp")
  local size; size=$(stat -c %s "$html")
  check "size $size bytes < 2 MiB" "[[ $size -lt 2097152 ]]"
  check "nothing loaded from elsewhere (no src=, <link, @import, url() but #fragments)" \
    "! grep -Eiq '<(script|img|iframe|link)[^>]* (src|href)=|@import|url\\([^#]' '$html'"
  local url="file://$html"
  html_chrome --window-size=1280,2400 --screenshot="$shot" "$url" >/dev/null 2>"$d/shot.err"
  check "screenshot written to $shot" "[[ -s '$shot' ]]"
  html_chrome --dump-dom --log-net-log="$d/net.json" "$url" >"$d/all.html" 2>"$d/all.err"
  # the browser's own background calls (Google update, time, accounts
  # services) are its, not the page's: every other URL is a request the page made
  grep -o '"url":"[^"]*"' "$d/net.json" | grep -v '"url":"file:' |
    grep -Ev '"url":"https?://[^/"]*(google\.com|googleapis\.com|gstatic\.com)[/"]' >"$d/requests"
  check "no request leaves the file (net log: $(wc -l <"$d/requests") other URLs)" "[[ ! -s $d/requests ]]"
  head -3 "$d/requests" | sed 's/^/# /'
  check "no console error, no refused request" \
    "! grep -E 'CONSOLE|Refused|ERR_|Content Security Policy' '$d/all.err' '$d/shot.err' | grep -v 'Fontconfig' | grep -q ."
  grep -E 'CONSOLE|Refused|Content Security' "$d/all.err" "$d/shot.err" | head -5 | sed 's/^/# /'
  local total shown want
  total=$(grep -c '<tr data-order=' "$d/all.html")
  shown=$(html_shown "$d/all.html")
  check "every finding shown without a filter ($shown of $total)" "[[ $total -gt 0 && $shown == $total ]]"
  # the object filter: the first object (hull scan: workload) with findings
  local obj='(.workload // .location.object // .location.file // "")'
  local wl; wl=$(jq -r "[.findings[] | $obj | select(. != \"\")][0]" "$json")
  want=$(jq --arg w "$wl" "[.findings[] | select($obj == \$w)] | length" "$json")
  html_chrome --dump-dom "$url#workload=$(jq -rn --arg w "$wl" '$w | @uri')" >"$d/wl.html" 2>/dev/null
  shown=$(html_shown "$d/wl.html")
  check "object filter '$wl' shows its $want findings (shown $shown of $total)" \
    "[[ $shown == $want && $shown -lt $total ]]"
  # the least frequent severity present: some rows, not all
  local sev num
  sev=$(jq -r '[.findings[].severity] | group_by(.) | min_by(length) | .[0]' "$json")
  num=$(case $sev in CRITICAL) echo 4 ;; HIGH) echo 3 ;; MEDIUM) echo 2 ;; LOW) echo 1 ;; *) echo 0 ;; esac)
  want=$(jq --arg s "$sev" '[.findings[] | select(.severity == $s)] | length' "$json")
  html_chrome --dump-dom "$url#severity=$num" >"$d/sev.html" 2>/dev/null
  shown=$(html_shown "$d/sev.html")
  check "severity filter $sev shows its $want rows (shown $shown of $total)" \
    "[[ $shown == $want && $shown -lt $total ]]"
  check "the page says how many rows the filter shows" \
    "grep -q 'id=\"shown\"[^>]*>[0-9]* of [0-9]* findings shown' '$d/wl.html'"
}
