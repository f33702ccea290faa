#!/usr/bin/env bash
# demo.sh HULL: a real end-to-end scan of what this machine has: the running
# system's root filesystem, then a real Debian image built with the scripts
# in ../shared/tools (when they are there and we are root); their inventory,
# then their known vulnerabilities against a database built from the
# advisory feeds in ../shared/data (offline).
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
exit 0
