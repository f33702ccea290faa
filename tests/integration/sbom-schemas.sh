#!/usr/bin/env bash
# sbom-schemas.sh TARGET-NAME: hull's CycloneDX, SPDX and JSON output for a
# real image validate against the official CycloneDX 1.6 and SPDX 2.3 JSON
# schemas (../shared/data/schemas) and hull's own schema, with ajv.
set -uo pipefail
cache=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
case $1 in
  bookworm-layered) target=$cache/bookworm/bookworm-layered.oci.tar ;;
  bullseye-docker) target=$cache/bullseye/bullseye.docker.tar ;;
  alpine-fake) target=$cache/alpine-fake/alpine-fake.oci.tar ;;
  rootfs-self) target=/ ;;
esac
schemas=$HULL_SHARED/data/schemas
. "${HULL_SRC:?}/tests/lib/skip.sh"
[[ -e $target ]] || skip_missing "$target not built (scripts/test-images.sh)"
# The live root is every file of the machine (here 11,000 packages of eight
# types; in CI also the build trees and the test images' root filesystems):
# three walks of it ran past the 300 s timeout under ASan on a loaded
# machine (24 s of CPU each, the rest reading files). The release run
# validates the live root; under sanitizers the images above exercise the
# same code on bounded inputs.
[[ $1 == rootfs-self && ${HULL_SANITIZED:-0} == 1 ]] &&
  skip_env "a walk of the whole live root, three times, is too slow under ${HULL_SANITIZER:-a sanitizer}; the release run covers it"
command -v ajv >/dev/null || skip_missing "ajv (scripts/install-deps.sh)"
[[ -d $schemas ]] || skip_missing "$schemas"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 status=0
check() { # name schema-args...
  local name=$1; shift
  n=$((n + 1))
  if ajv validate --spec=draft7 -c ajv-formats --strict=false --all-errors "$@" >"$tmp/log" 2>&1; then
    echo "ok $n - $name valid"
  else
    echo "not ok $n - $name invalid"; grep -v 'unknown format' "$tmp/log" | head -20 | sed 's/^/# /'; status=1
  fi
}
for f in cyclonedx spdx json; do
  "$HULL_BIN" sbom --quiet --format $f --output "$tmp/out.$f.json" "$target" ||
    { echo "not ok - hull sbom --format $f failed"; echo "1..$((n + 1))"; exit 1; }
done
check cyclonedx -s "$schemas/cyclonedx/bom-1.6.schema.json" -r "$schemas/cyclonedx/spdx.schema.json" \
  -r "$schemas/cyclonedx/jsf-0.82.schema.json" -d "$tmp/out.cyclonedx.json"
check spdx -s "$schemas/spdx/spdx-2.3-schema.json" -d "$tmp/out.spdx.json"
check hull-json -s "$HULL_SRC/docs/schemas/hull-sbom.schema.json" -d "$tmp/out.json.json"
# the documents describe the packages hull found; not for the live root:
# its three scans take up to a minute or more, while tests running beside it
# create and delete package fixtures under /tmp (seen once: the first scan
# had 10 more components than the last)
if [[ $1 == rootfs-self ]]; then echo "1..$n"; exit $status; fi
want=$(jq '[.packages[]] | length' "$tmp/out.json.json")
got=$(jq '[.components[] | select(.type == "library")] | length' "$tmp/out.cyclonedx.json")
n=$((n + 1))
if [[ $want -gt 0 && $want == "$got" ]]; then echo "ok $n - $want packages, $got CycloneDX components"
else echo "not ok $n - $want packages but $got CycloneDX library components"; status=1; fi
echo "1..$n"
exit $status
