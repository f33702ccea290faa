#!/usr/bin/env bash
# validate_findings.sh RENDER_FINDINGS: renders every findings sample in
# every format (render_findings.c) and checks
#   - tables and Markdown byte for byte against their goldens (expected/);
#   - SARIF against the official SARIF 2.1.0 schema (OASIS errata01,
#     draft-04: ajv 8 cannot read draft-04, so the schema is first migrated
#     to draft-07 with `ajv migrate`, which only renames id/$id and turns
#     one-value enums into const), trivy's golden SARIF as a positive
#     control;
#   - CycloneDX with vulnerabilities against bom-1.6;
#   - JSON against docs/schemas/hull-findings.schema.json;
#   - JUnit XML with xmllint against junit.xsd, and its counts against the
#     test cases it holds.
# Every validator also gets documents broken in one place each and must
# reject them, so this test can fail.
#
# HULL_UPDATE_GOLDEN=1 rewrites the goldens from the current output.
set -uo pipefail
. "${HULL_SRC:?}/tests/lib/skip.sh"

render=$1
here=$(cd "$(dirname "$0")" && pwd)
src=${HULL_SRC:-$(cd "$here/../../../.." && pwd)}
golden=$here/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
skipped=0
note() { printf '%s\n' "$*"; }
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

"$render" "$tmp" || { bad "render_findings failed"; exit 1; }

# Goldens: no timestamps or UUIDs in tables; the Markdown footer's time is
# the samples' fixed time. Compared byte for byte.
for f in "$tmp"/*.table.txt "$tmp"/*.md; do
  name=$(basename "$f")
  if [[ ${HULL_UPDATE_GOLDEN:-} == 1 ]]; then
    cp "$f" "$golden/$name"
  elif [[ ! -f $golden/$name ]]; then
    bad "no golden for $name (HULL_UPDATE_GOLDEN=1 writes it)"
  elif ! diff -u "$golden/$name" "$f"; then
    bad "golden $name differs"
  else
    note "ok: golden $name"
  fi
done

samples=(vulns noinv config empty alpine)
files() { local s; for s in "$@"; do printf '%s\n' "$tmp/$s$ext"; done; }

# ---- JUnit: xmllint --------------------------------------------------------
if command -v xmllint >/dev/null 2>&1; then
  xsd=$here/junit.xsd
  junit_expect() { # valid|invalid FILE...
    local want=$1 f; shift
    for f in "$@"; do
      if xmllint --noout --schema "$xsd" "$f" >"$tmp/xml.log" 2>&1; then got=valid; else got=invalid; fi
      if [[ $got == "$want" ]]; then
        note "ok: $(basename "$f") $want (junit.xsd)"
      else
        cat "$tmp/xml.log"; bad "$(basename "$f") is not $want (junit.xsd)"
      fi
    done
  }
  mapfile -t junit < <(ext=.junit.xml files "${samples[@]}"; printf '%s\n' "$tmp"/*-suppressed.junit.xml)
  junit_expect valid "${junit[@]}"
  # The counts in the attributes are those of the elements.
  for f in "${junit[@]}"; do
    cases=$(xmllint --xpath 'count(//testcase)' "$f")
    total=$(xmllint --xpath 'sum(//testsuite/@tests)' "$f")
    top=$(xmllint --xpath 'string(/testsuites/@tests)' "$f")
    failed=$(xmllint --xpath 'count(//testcase[failure])' "$f")
    nfail=$(xmllint --xpath 'string(/testsuites/@failures)' "$f")
    skips=$(xmllint --xpath 'count(//testcase[skipped])' "$f")
    nskip=$(xmllint --xpath 'string(/testsuites/@skipped)' "$f")
    if [[ $cases == "$total" && $cases == "$top" && $failed == "$nfail" && $skips == "$nskip" ]]; then
      note "ok: $(basename "$f") counts ($cases cases, $failed failed, $skips skipped)"
    else
      bad "$(basename "$f") counts: $cases cases vs $total/$top, $failed failed vs $nfail, $skips skipped vs $nskip"
    fi
  done
  # Negative controls: not well-formed, a failure outside a test case, a
  # test case without a name, a count that is not a number.
  printf '<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="&" classname="c"/></testsuite></testsuites>\n' >"$tmp/neg-amp.xml"
  sed 's|<testcase |<failure message="x"/><testcase |' "$tmp/vulns.junit.xml" >"$tmp/neg-order.xml"
  sed '0,/<testcase name="[^"]*"/s//<testcase/' "$tmp/vulns.junit.xml" >"$tmp/neg-noname.xml"
  sed '0,/tests="[0-9]*"/s//tests="many"/' "$tmp/config.junit.xml" >"$tmp/neg-count.xml"
  junit_expect invalid "$tmp/neg-amp.xml" "$tmp/neg-order.xml" "$tmp/neg-noname.xml" "$tmp/neg-count.xml"
else
  note "# SKIP missing: xmllint (scripts/install-deps.sh installs libxml2-utils)"
  skipped=1
fi

# ---- JSON schemas: ajv -----------------------------------------------------
if ! command -v ajv >/dev/null 2>&1; then
  [[ $fail == 0 ]] || exit 1
  skip_rest_missing "ajv (scripts/install-deps.sh installs it)"
fi
schemas=${HULL_SHARED:-$src/../shared}/data/schemas
if [[ ! -f $schemas/sarif/sarif-schema-2.1.0.json || ! -f $schemas/cyclonedx/bom-1.6.schema.json ]]; then
  bad "$schemas is missing: the unit tests read ../shared in place"
  exit 1
fi
cdx=$schemas/cyclonedx

# Draft-04 -> draft-07, into tmp (the shared data is read in place, never
# modified).
if ! ajv migrate --spec=draft7 -s "$schemas/sarif/sarif-schema-2.1.0.json" -o "$tmp/sarif7.schema.json" >"$tmp/migrate.log" 2>&1; then
  cat "$tmp/migrate.log"; bad "ajv migrate of the SARIF schema failed"; exit 1
fi

ajv_run() { ajv validate --spec=draft7 -c ajv-formats --strict=false --all-errors "$@" >"$tmp/ajv.log" 2>&1; }
schema_args() {
  case $1 in
    sarif) echo "-s $tmp/sarif7.schema.json" ;;
    cdx) echo "-s $cdx/bom-1.6.schema.json -r $cdx/spdx.schema.json -r $cdx/jsf-0.82.schema.json" ;;
    hull) echo "-s $src/docs/schemas/hull-findings.schema.json" ;;
  esac
}
# expect KIND valid|invalid FILE... (ajv prints "<file> valid|invalid")
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
      grep -v 'unknown format' "$tmp/ajv.log" | head -40
      bad "$(basename "$f") is not $want ($kind)"
    fi
  done
}

mapfile -t sarif < <(ext=.sarif.json files "${samples[@]}")
mapfile -t cdxs < <(ext=.cdx.json files vulns noinv empty alpine)
mapfile -t hull < <(ext=.json files "${samples[@]}")
cp "$schemas/sarif/examples-trivy/alpine-310.sarif.golden" "$tmp/trivy-alpine-310.sarif.json"
expect sarif valid "${sarif[@]}" "$tmp/trivy-alpine-310.sarif.json"
expect cdx valid "${cdxs[@]}"
expect hull valid "${hull[@]}"

if ! command -v jq >/dev/null 2>&1; then
  [[ $fail == 0 ]] || exit 1
  skip_rest_missing "jq: no negative controls"
fi
mk() { jq "$2" "$3" >"$tmp/$1" || bad "jq $2"; printf '%s\n' "$tmp/$1"; }
v=$tmp/vulns
neg_sarif=(
  "$(mk neg-sarif-level.json '.runs[0].results[0].level = "fatal"' "$v.sarif.json")"
  "$(mk neg-sarif-line.json '.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0' "$v.sarif.json")"
  "$(mk neg-sarif-version.json '.version = "2.0.0"' "$v.sarif.json")"
  "$(mk neg-sarif-helpuri.json '.runs[0].tool.driver.rules[0].helpUri = "not a uri"' "$v.sarif.json")"
  "$(mk neg-sarif-message.json 'del(.runs[0].results[0].message)' "$v.sarif.json")"
  "$(mk neg-sarif-suppression.json '(.runs[0].results[] | select(.suppressions) | .suppressions[0].kind) = "ignored"' "$v.sarif.json")"
)
neg_cdx=(
  "$(mk neg-cdx-state.json '(.vulnerabilities[] | select(.analysis) | .analysis.state) = "ignored"' "$v.cdx.json")"
  "$(mk neg-cdx-severity.json '.vulnerabilities[0].ratings[0].severity = "severe"' "$v.cdx.json")"
  "$(mk neg-cdx-affects.json '.vulnerabilities[0].affects[0].versions[0].status = "broken"' "$v.cdx.json")"
  "$(mk neg-cdx-justification.json '(.vulnerabilities[] | select(.analysis.justification) | .analysis.justification) = "because"' "$v.cdx.json")"
  "$(mk neg-cdx-method.json '.vulnerabilities[0].ratings[0].method = "CVSSv9"' "$v.cdx.json")"
  "$cdx/examples-1.6/invalid-metadata-timestamp-1.6.json"
)
neg_hull=(
  "$(mk neg-hull-id.json 'del(.findings[0].id)' "$v.json")"
  "$(mk neg-hull-severity.json '.findings[0].severity = "SEVERE"' "$v.json")"
  "$(mk neg-hull-line.json '.findings[0].location.line = 0' "$v.json")"
  "$(mk neg-hull-total.json '.summary.total = -1' "$v.json")"
  "$(mk neg-hull-kind.json '.findings[0].kind = "bug"' "$v.json")"
  "$(mk neg-hull-pkg.json '.findings[0].package = null' "$v.json")"
  "$(mk neg-hull-suppressed.json '(.findings[] | select(.suppressed) | .suppression) = null' "$v.json")"
  "$(mk neg-hull-fingerprint.json '.findings[0].fingerprint = "abc"' "$v.json")"
)
expect sarif invalid "${neg_sarif[@]}"
expect cdx invalid "${neg_cdx[@]}"
expect hull invalid "${neg_hull[@]}"

if [[ $fail == 0 && $skipped == 1 ]]; then
  [[ ${CI:-} == true ]] && exit 1
  exit 77
fi
exit $fail
