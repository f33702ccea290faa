#!/usr/bin/env bash
# report-html.sh: the HTML reports of `hull image` (an image with set-back
# Debian packages: hundreds of vulnerabilities) and `hull config` (the
# sock-shop manifests) opened in headless Chromium, with the checks of
# tests/lib/html-report.sh: self-contained, no request leaving the file, no
# console error, a screenshot next to the test log, the object and
# severity filters showing what the JSON report says, under 2 MiB.
set -uo pipefail
. "${HULL_SRC:?}/tests/lib/skip.sh"
imgs=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
app=${HULL_SHARED:-$HULL_SRC/../shared}/data/k8s-real/sock-shop
[[ -d $app ]] || skip_missing "$app"
[[ -d $imgs/bullseye/rootfs ]] || skip_missing "test images (scripts/test-images.sh)"
. "$HULL_SRC/tests/lib/html-report.sh"
html_need_chromium
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
logdir=${HULL_BUILD:?}/meson-logs; mkdir -p "$logdir"
n=0 fail=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }

# the set-back image and the reference database of the vulnerability tests
db=$(python3 - "$tmp/setback" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["HULL_SRC"], "tests", "integration", "registry"))
import reglib
reglib.make_setback_image(sys.argv[1])
print(reglib.database())
PY
) || { echo "not ok 1 - the set-back image or the database could not be made"; echo 1..1; exit 1; }

echo "# hull image --format html"
"$HULL_BIN" image --db "$db" --cache-dir "$tmp/cache" --format html="$tmp/image.html" \
  --format json="$tmp/image.json" "$tmp/setback:multi"
rc=$?
check "hull image wrote the report (exit $rc)" "[[ -s $tmp/image.html && $rc -le 1 ]]"
check "it lists the image's vulnerabilities ($(jq '.findings | length' "$tmp/image.json"))" \
  "[[ \$(jq '[.findings[] | select(.kind == \"vulnerability\")] | length' '$tmp/image.json') -gt 100 ]]"
html_report_checks "$tmp/image.html" "$tmp/image.json" "$logdir/image-report.png"

echo "# hull config --format html"
"$HULL_BIN" config --format html="$tmp/config.html" --format json="$tmp/config.json" "$app"
rc=$?
check "hull config wrote the report (exit $rc)" "[[ -s $tmp/config.html && $rc -le 1 ]]"
html_report_checks "$tmp/config.html" "$tmp/config.json" "$logdir/config-report.png"
echo "1..$n"
exit $fail
