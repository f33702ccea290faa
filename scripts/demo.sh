#!/usr/bin/env bash
# demo.sh HULL: a real end-to-end scan of what this machine has: the running
# system's root filesystem, then a real Debian image built with the scripts
# in ../shared/tools (when they are there and we are root).
set -uo pipefail
hull=${1:-build/hull}
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}

echo "== hull sbom /   (this machine's root filesystem)"
"$hull" sbom --format table /
echo
if HULL_TEST_RELEASES=bookworm "$src/scripts/test-images.sh"; then
  img=$cache/img/bookworm/bookworm-layered.oci.tar
  echo "== hull sbom $img   (a real Debian 12 image: 3 layers, whiteouts)"
  "$hull" sbom --format table "$img"
  echo
  out=$(mktemp --suffix=.cdx.json)
  "$hull" sbom --quiet --format cyclonedx --output "$out" "$img"
  echo "== the same image as CycloneDX 1.6: $out (first lines)"
  head -25 "$out"
  echo "..."
fi
if [[ ! -f $cache/img/bookworm/SUMMARY.txt ]]; then
  echo "(no image built: ../shared/tools missing or not root; see scripts/test-images.sh)"
fi
