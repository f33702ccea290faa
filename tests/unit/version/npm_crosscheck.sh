#!/bin/bash
# npm_crosscheck: hull's npm ranges against node-semver itself (the copy npm
# ships), on every range string of the Node security WG advisories
# (vulnerable_versions / patched_versions), a spread of versions, and the
# loose and includePrerelease options. Skips when node or npm's semver is
# missing (fails under CI=true). Usage: npm_crosscheck.sh VERCMP_BINARY   (TAP output)
set -u
vercmp=$1
data=${HULL_SHARED:-/nonexistent}/data/osv-npm/nodejs-security-wg/vuln
semver=$(dirname "$(command -v npm 2>/dev/null || echo /nonexistent)")/../lib/node_modules/npm/node_modules/semver
[ -d "$semver" ] || semver=/usr/lib/node_modules/npm/node_modules/semver
. "${HULL_SRC:?}/tests/lib/skip.sh"
if [ ! -d "$data" ]; then
	echo "not ok 1 - $data is missing: the unit tests read ../shared in place"
	echo "1..1"
	exit 1
fi
command -v node >/dev/null || skip_missing "node (apt-get install nodejs)"
[ -d "$semver" ] || skip_missing "npm's bundled semver (apt-get install npm)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SEMVER_DIR=$semver DATA=$data node -e '
const semver = require(process.env.SEMVER_DIR), fs = require("fs"), path = require("path");
const ranges = new Set();
for (const [sub, keys] of [["npm", ["vulnerable_versions", "patched_versions"]], ["core", ["vulnerable", "patched"]]])
  for (const f of fs.readdirSync(path.join(process.env.DATA, sub))) {
    let j; try { j = JSON.parse(fs.readFileSync(path.join(process.env.DATA, sub, f))) } catch (e) { continue }
    for (const k of keys) if (typeof j[k] === "string" && !/[\t\n]/.test(j[k])) ranges.add(j[k]);
  }
const versions = ["0.0.1", "0.1.0", "0.9.9", "1.0.0", "1.0.0-beta.1", "1.2.3", "1.2.4-rc.1", "2.0.0",
  "2.5.1", "3.0.0-alpha", "4.17.20", "4.17.21", "5.0.0", "6.9.1", "7.5.0", "8.1.4", "9.0.0",
  "10.24.1", "12.22.12", "14.21.3", "16.20.2", "18.19.0", "20.11.1", "99.0.0", "v1.2.3", "1.2"];
for (const r of ranges) for (const v of versions) for (const fl of [0, 1, 2, 3]) {
  const o = { loose: !!(fl & 1), includePrerelease: !!(fl & 2) };
  let ok = true; try { new semver.Range(r, o) } catch (e) { ok = false }
  console.log([r, v, fl, ok ? (semver.satisfies(v, r, o) ? 1 : 0) : -1].join("\t"));
}' >"$tmp/cases"
cut -f1-3 "$tmp/cases" | "$vercmp" npm-range >"$tmp/hull"
paste "$tmp/cases" "$tmp/hull" | awk -F'\t' '$4 != $5' >"$tmp/diff"
n=$(wc -l <"$tmp/cases")
nr=$(cut -f1 "$tmp/cases" | sort -u | wc -l)
nd=$(wc -l <"$tmp/diff")
echo "1..1"
if [ "$nd" -eq 0 ] && [ "$n" -gt 0 ]; then
	echo "ok 1 - npm ranges: $n cases ($nr real range strings x versions x options) agree with node-semver"
else
	echo "not ok 1 - npm ranges: $nd of $n cases disagree with node-semver"
	head -50 "$tmp/diff" | while IFS=$'\t' read -r r v f want got; do
		echo "# row: range '$r' version '$v' flags $f: node-semver $want, hull $got"
	done
fi
