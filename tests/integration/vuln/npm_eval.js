// npm_eval.js SEMVER_MODULE: the npm half of lang.py's reference, with
// node-semver (npm's own version logic) doing every comparison.
// stdin: {"packages": [[name, version]...], "records": [{"key", "name",
//   "osv": [{"ranges": [[events...]...], "versions": [...]}...]} or
//   {"key", "name", "vulnerable", "patched"}]}
// stdout: [[name, version, key]...] for each package a record affects.
//
// OSV ranges (ECOSYSTEM or SEMVER of npm) follow the OSV schema's
// evaluation: events sorted by version ("0" lowest), then introduced sets,
// fixed and last_affected (strictly above) clear; versions such as "1.0"
// that GHSA writes are read as 1.0.0. Node security WG records: affected
// when the version satisfies vulnerable_versions and not patched_versions.
"use strict";
const semver = require(process.argv[2]);

function parse(v) {
  return semver.parse(v) || semver.coerce(v);
}

function cmp(a, b) {
  return semver.compare(parse(a), parse(b));
}

function inRange(v, events) {
  const key = (e) => (e.introduced === "0" ? null : Object.values(e)[0]);
  const evs = events.slice().sort((x, y) => {
    const kx = key(x), ky = key(y);
    if (kx === null || ky === null) return (kx === null ? 0 : 1) - (ky === null ? 0 : 1);
    return cmp(kx, ky);
  });
  let affected = false;
  for (const e of evs) {
    if ("introduced" in e) {
      if (e.introduced === "0" || cmp(v, e.introduced) >= 0) affected = true;
    } else if ("fixed" in e) {
      if (cmp(v, e.fixed) >= 0) affected = false;
    } else if ("last_affected" in e) {
      if (cmp(v, e.last_affected) > 0) affected = false;
    } else if ("limit" in e) {
      if (e.limit !== "*" && cmp(v, e.limit) >= 0) return false;
    }
  }
  return affected;
}

function affects(rec, v) {
  if (rec.osv) {
    return rec.osv.some(
      (a) =>
        (a.versions || []).some((x) => x === v || (parse(x) && cmp(x, v) === 0)) ||
        a.ranges.some((r) => inRange(v, r))
    );
  }
  const opts = {};
  if (!semver.satisfies(v, rec.vulnerable, opts)) return false;
  return !(rec.patched && semver.satisfies(v, rec.patched, opts));
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const q = JSON.parse(input);
  const out = [];
  for (const [name, version] of q.packages) {
    if (!semver.valid(version)) continue;
    for (const rec of q.records) {
      if (rec.name === name && affects(rec, version)) out.push([name, version, rec.key]);
    }
  }
  process.stdout.write(JSON.stringify(out));
});
