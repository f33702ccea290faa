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
. "${HULL_SRC:?}/tests/lib/skip.sh"

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
  [[ $fail == 0 ]] || exit 1
  skip_rest_missing "ajv (scripts/install-deps.sh installs it)"
fi
schemas=${HULL_SHARED:-$src/../shared}/data/schemas
if [[ ! -f $schemas/cyclonedx/bom-1.6.schema.json ]]; then
  bad "$schemas is missing: the unit tests read ../shared in place"
  exit 1
fi
cdx=$schemas/cyclonedx

# ajv prints every "unknown format" it ignores on stderr: keep the log and
# show it only when something fails. One ajv run per schema and outcome
# (compiling the CycloneDX schema takes a second); ajv reports each file as
# "<file> valid" or "<file> invalid", which is what is checked.
ajv_run() { ajv validate --spec=draft7 -c ajv-formats --strict=false --all-errors "$@" >"$tmp/ajv.log" 2>&1; }
schema_args() {
  case $1 in
    cdx) echo "-s $cdx/bom-1.6.schema.json -r $cdx/spdx.schema.json -r $cdx/jsf-0.82.schema.json" ;;
    spdx) echo "-s $schemas/spdx/spdx-2.3-schema.json" ;;
    hull) echo "-s $src/docs/schemas/hull-sbom.schema.json" ;;
  esac
}

# expect KIND valid|invalid FILE... (file names must not contain spaces)
expect() {
  local kind=$1 want=$2; shift 2
  local args=() f
  for f in "$@"; do args+=(-d "$f"); done
  # shellcheck disable=SC2046
  ajv_run $(schema_args "$kind") "${args[@]}"
  for f in "$@"; do
    if grep -qxF "$f $want" "$tmp/ajv.log"; then
      note "ok: $(basename "$f") $want ($kind)"
    else
      grep -v 'unknown format' "$tmp/ajv.log"
      bad "$(basename "$f") is not $want ($kind)"
    fi
  done
}

samples=(debian alpine rpm rootfs empty)
files() { local s; for s in "${samples[@]}"; do printf '%s\n' "$tmp/$s$1"; done; }
mapfile -t cdx_docs < <(files .cdx.json)
mapfile -t spdx_docs < <(files .spdx.json)
mapfile -t hull_docs < <(files .json)
expect cdx valid "${cdx_docs[@]}"
expect spdx valid "${spdx_docs[@]}"
expect hull valid "${hull_docs[@]}"

# Negative controls, so a validator that checks nothing cannot pass: the
# upstream invalid examples, and our own output broken in one place each.
neg_cdx=("$cdx/examples-1.6/invalid-license-id-1.6.json"          # licence id outside the SPDX list
         "$cdx/examples-1.6/invalid-metadata-timestamp-1.6.json")  # needs format checking on
neg_spdx=("$schemas/spdx/examples-trivy/centos-7-spdx.json")      # SPDX 2.2: no downloadLocation
neg_hull=()
if command -v jq >/dev/null 2>&1; then
  mk() { jq "$2" "$3" >"$tmp/$1"; printf '%s\n' "$tmp/$1"; }
  neg_cdx+=("$(mk neg-cdx-licence.json '.components[1].licenses = [{"license": {"id": "Not-A-License"}}]' "$tmp/debian.cdx.json")")
  neg_cdx+=("$(mk neg-cdx-serial.json '.serialNumber = "urn:uuid:NOT-A-UUID"' "$tmp/debian.cdx.json")")
  neg_spdx+=("$(mk neg-spdx-purpose.json '.packages[1].primaryPackagePurpose = "OPERATING-SYSTEM"' "$tmp/debian.spdx.json")")
  neg_hull+=("$(mk neg-hull-name.json 'del(.packages[0].name)' "$tmp/debian.json")")
  neg_hull+=("$(mk neg-hull-type.json '.packages[0].type = "cocoapods"' "$tmp/debian.json")")
  neg_hull+=("$(mk neg-hull-digest.json '.packages[0].layer.digest = "sha256 not a digest"' "$tmp/debian.json")")
  neg_hull+=("$(mk neg-hull-time.json '.createdAt = "yesterday"' "$tmp/debian.json")")
  neg_hull+=("$(mk neg-hull-rpm.json '.packages[0].rpm = {"epoch": 1, "version": "1", "release": "1"}' "$tmp/debian.json")")
else
  note "note: jq not installed, negative controls on our own output skipped"
fi
expect cdx invalid "${neg_cdx[@]}"
expect spdx invalid "${neg_spdx[@]}"
[[ ${#neg_hull[@]} -gt 0 ]] && expect hull invalid "${neg_hull[@]}"

exit $fail
