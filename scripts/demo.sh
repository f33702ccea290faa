#!/usr/bin/env bash
# demo.sh HULL: the whole mission on real inputs, offline:
#   1. what this machine has: the running system's root filesystem, a real
#      Debian image built with the scripts in ../shared/tools (when they are
#      there and we are root), their inventory and known vulnerabilities
#      against a database built from the advisory feeds in ../shared/data;
#   2. a deployment: `hull scan` of a real multi-service Kubernetes app
#      (sock-shop, ../shared/data/k8s-real) with its images replaced by the
#      test images, one prioritised table and an HTML report written to a
#      file it names (open it in a browser: no network needed);
#   3. the host audit of this machine (`hull host`);
#   4. an admission decision: `hull serve` as a Kubernetes webhook on a
#      loopback port with a throwaway certificate, asked about one of the
#      deployment's pods made privileged.
# It installs nothing beyond what it runs: the test images (debootstrap,
# through scripts/test-images.sh) and openssl / curl, which hull's build
# already needs.
set -uo pipefail
hull=${1:-build/hull}
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}
data=${HULL_SHARED:-$src/../shared}/data

echo "== hull sbom /   (this machine's root filesystem)"
"$hull" sbom --format table / | sed -n '1,12p;$p'
echo "   ... (the whole list: $hull sbom --format table /)"
echo
img=""
if HULL_TEST_RELEASES=bookworm "$src/scripts/test-images.sh"; then
  img=$cache/img/bookworm/bookworm-layered.oci.tar
  echo "== hull sbom $img   (a real Debian 12 image: 3 layers, whiteouts)"
  "$hull" sbom --format table "$img" | sed -n '1,16p;$p'
  echo
  out=$(mktemp --suffix=.cdx.json)
  "$hull" sbom --quiet --format cyclonedx --output "$out" "$img"
  echo "== the same image as CycloneDX 1.6 in $out ($(wc -c <"$out") bytes)"
  echo
else
  echo "(no image built: ../shared/tools missing or not root; see scripts/test-images.sh)"
fi

if [[ -d $data/debian ]]; then
  db=${HULL_DB:-$HOME/.cache/hull/db.sqlite}
  echo "== hull db build   (Debian, Alpine, npm and PyPI advisories from $data, offline)"
  "$hull" db build --db "$db" --from "$data/debian" "$data/alpine-secdb" "$data/osv-npm" \
    "$data/osv-pypi" "$data/distro-osv-misc" >/dev/null && "$hull" db info --db "$db" | head -12
  echo
  echo "== hull rootfs /   (vulnerabilities of the running system)"
  "$hull" rootfs --db "$db" --format table / | tail -25
  if [[ -n $img ]]; then
    echo
    echo "== hull image $img"
    "$hull" image --db "$db" --format table "$img" | tail -15
  fi
fi

echo
app=$data/k8s-real/sock-shop
if [[ -d $app && -n $img && -n ${db:-} ]]; then
  report=${HULL_DEMO_REPORT:-$PWD/hull-scan-report.html}
  # every image the manifests name is replaced by a test image: a real
  # scan of real packages without pulling anything
  HULL_TEST_RELEASES=bullseye "$src/scripts/test-images.sh" >/dev/null 2>&1 || true
  args=() k=0
  for ref in $("$hull" scan --offline --format json "$app" 2>/dev/null | jq -r '.deployment.workloads[].images[]' | sort -u); do
    # Debian 11, past its end of life: findings in every workload, so the
    # priorities show what exposure and privilege change
    rel=bullseye
    [[ -f $cache/img/$rel/$rel.docker.tar ]] || rel=bookworm
    args+=(--image "$ref=$cache/img/$rel/$rel.docker.tar"); k=$((k + 1))
  done
  echo "== hull scan $app   (14 workloads; $k images replaced by the test images)"
  # the workloads, most urgent first, with their exposure and what to fix
  # first; the summary line last
  "$hull" scan --offline --db "$db" "${args[@]}" --format table --format html="$report" "$app" 2>/dev/null |
    grep -E '^[A-Za-z]|^  exposure:|^  P[1-4] |^ +P[1-4] = |vulnerabilit' | sed -n '1,45p'
  echo "   ... (every finding of every workload: hull scan --format table $app)"
  echo "== the HTML report: $report ($(wc -c <"$report") bytes, self-contained: open it in a browser)"
else
  echo "(no deployment scan: $app, the test image or the database is missing)"
fi

echo
echo "== hull host   (this machine: sshd, listening sockets, engine daemon, kernel)"
"$hull" host --format table | tail -20

echo
if command -v openssl >/dev/null && command -v curl >/dev/null && command -v jq >/dev/null; then
  w=$(mktemp -d)
  (cd "$w" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
      -out cert.pem -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1)
  "$hull" serve $( [ "$(id -u)" -eq 0 ] && echo --allow-root ) --listen 127.0.0.1:0 --tls-cert "$w/cert.pem" --tls-key "$w/key.pem" \
    --enforce baseline --log "$w/serve.log" --threads 1 >/dev/null 2>&1 &
  spid=$!
  port=
  for _ in $(seq 100); do
    port=$(grep -o 'https://127.0.0.1:[0-9]*' "$w/serve.log" 2>/dev/null | head -1 | sed 's/.*://')
    [[ -n $port ]] && break
    sleep 0.1
  done
  pod='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"front-end","namespace":"sock-shop"},
        "spec":{"containers":[{"name":"front-end","image":"weaveworksdemos/front-end:0.3.12",
        "securityContext":{"privileged":true}}]}}'
  review=$(jq -nc --argjson pod "$pod" '{apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview",
    request: {uid: "demo-1", kind: {group: "", version: "v1", kind: "Pod"},
      resource: {group: "", version: "v1", resource: "pods"}, namespace: "sock-shop",
      name: "front-end", operation: "CREATE", userInfo: {username: "demo"}, object: $pod}}')
  echo "== hull serve --enforce baseline: may sock-shop/front-end run privileged?"
  if [[ -n $port ]]; then
    curl -sS --cacert "$w/cert.pem" -H 'Content-Type: application/json' --data "$review" \
      "https://127.0.0.1:$port/validate" |
      jq '{allowed: .response.allowed, message: .response.status.message}'
  else
    echo "(hull serve did not start: $(cat "$w/serve.log" 2>/dev/null | tail -1))"
  fi
  kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  rm -rf "$w"
else
  echo "(no admission decision: openssl, curl or jq missing)"
fi
exit 0
