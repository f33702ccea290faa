#!/usr/bin/env bash
# validate.sh RENDER_SAMPLE: renders every sample SBOM (render_sample.c),
# compares the tables with their goldens, and validates the documents with
# ajv against the official CycloneDX 1.6 and SPDX 2.3 JSON schemas (read in
# place from $HULL_SHARED/data/schemas) and against hull's own schema
# (docs/schemas/hull-sbom.schema.json). Negative controls check that each
# validator invocation really rejects an invalid document, so this test
# can fail.
#
# HULL_UPDATE_GOLDEN=1 rewrites the goldens from the current output.
set -uo pipefail

render=$1
here=$(cd "$(dirname "$0")" && pwd)
src=${HULL_SRC:-$(cd "$here/../../.." && pwd)}
golden=$here/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
note() { printf '%s\n' "$*"; }
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

"$render" "$tmp" || { bad "render_sample failed"; exit 1; }

# Tables carry no timestamp nor UUID: nothing volatile to normalise, so the
# goldens are compared byte for byte.
for f in "$tmp"/*.table*.txt; do
  name=$(basename "$f")
  if [[ ${HULL_UPDATE_GOLDEN:-} == 1 ]]; then
    cp "$f" "$golden/$name"
  elif ! diff -u "$golden/$name" "$f"; then
    bad "table golden $name differs"
  else
    note "ok: golden $name"
  fi
done

if ! command -v ajv >/dev/null 2>&1; then
  note "SKIP: ajv not installed (scripts/install-deps.sh installs it)"
  [[ $fail == 0 ]] && exit 77 || exit 1
fi
schemas=${HULL_SHARED:-$src/../shared}/data/schemas
if [[ ! -f $schemas/cyclonedx/bom-1.6.schema.json ]]; then
  note "SKIP: $schemas not present"
  [[ $fail == 0 ]] && exit 77 || exit 1
fi
cdx=$schemas/cyclonedx

# ajv prints every "unknown format" it ignores on stderr: keep the log and
# show it only when something fails.
ajv_run() { ajv validate --spec=draft7 -c ajv-formats --strict=false --all-errors "$@" >"$tmp/ajv.log" 2>&1; }
cdx_validate() { ajv_run -s "$cdx/bom-1.6.schema.json" -r "$cdx/spdx.schema.json" -r "$cdx/jsf-0.82.schema.json" -d "$1"; }
spdx_validate() { ajv_run -s "$schemas/spdx/spdx-2.3-schema.json" -d "$1"; }
hull_validate() { ajv_run -s "$src/docs/schemas/hull-sbom.schema.json" -d "$1"; }

expect_valid() {
  local kind=$1 file=$2
  if "${kind}_validate" "$file"; then
    note "ok: $(basename "$file") valid ($kind)"
  else
    grep -v 'unknown format' "$tmp/ajv.log"
    bad "$(basename "$file") does not validate ($kind)"
  fi
}
expect_invalid() {
  local kind=$1 file=$2 why=$3
  if "${kind}_validate" "$file"; then
    bad "negative control passed: $why"
  else
    note "ok: rejected $why ($kind)"
  fi
}

for s in debian alpine rpm rootfs empty; do
  expect_valid cdx "$tmp/$s.cdx.json"
  expect_valid spdx "$tmp/$s.spdx.json"
  expect_valid hull "$tmp/$s.json"
done

# Negative controls: upstream invalid examples, and our own output broken
# in one place each.
expect_invalid cdx "$cdx/examples-1.6/invalid-license-id-1.6.json" "CycloneDX licence id outside the SPDX list"
expect_invalid cdx "$cdx/examples-1.6/invalid-metadata-timestamp-1.6.json" "CycloneDX bad timestamp (formats are checked)"
expect_invalid spdx "$schemas/spdx/examples-trivy/centos-7-spdx.json" "SPDX 2.2 document without downloadLocation"
if command -v jq >/dev/null 2>&1; then
  jq '.components[1].licenses = [{"license": {"id": "Not-A-License"}}]' "$tmp/debian.cdx.json" >"$tmp/neg1.json"
  expect_invalid cdx "$tmp/neg1.json" "our CycloneDX with a made-up licence id"
  jq '.serialNumber = "urn:uuid:NOT-A-UUID"' "$tmp/debian.cdx.json" >"$tmp/neg2.json"
  expect_invalid cdx "$tmp/neg2.json" "our CycloneDX with a bad serial number"
  jq '.packages[1].primaryPackagePurpose = "OPERATING-SYSTEM"' "$tmp/debian.spdx.json" >"$tmp/neg3.json"
  expect_invalid spdx "$tmp/neg3.json" "our SPDX with a purpose outside the enum"
  jq 'del(.packages[0].name)' "$tmp/debian.json" >"$tmp/neg4.json"
  expect_invalid hull "$tmp/neg4.json" "our JSON without a package name"
  jq '.packages[0].type = "gem"' "$tmp/debian.json" >"$tmp/neg5.json"
  expect_invalid hull "$tmp/neg5.json" "our JSON with an unknown package type"
  jq '.packages[0].layer.digest = "sha256 not a digest"' "$tmp/debian.json" >"$tmp/neg6.json"
  expect_invalid hull "$tmp/neg6.json" "our JSON with a malformed layer digest"
  jq '.createdAt = "yesterday"' "$tmp/debian.json" >"$tmp/neg7.json"
  expect_invalid hull "$tmp/neg7.json" "our JSON with a bad timestamp"
else
  note "note: jq not installed, negative controls on our own output skipped"
fi

exit $fail
