#!/usr/bin/env python3
"""SARIF and CycloneDX (with vulnerabilities) output of `hull image` on a
real image with findings: the set-back bullseye copy of debian.py (its
dpkg status with a few source packages set back to versions older than
DSA fixes), all formats written by one run.

Usage: reports.py sarif-cyclonedx. Prints TAP.

Checks:
  - SARIF validates against the official SARIF 2.1.0 schema (OASIS
    errata01, draft-04; ajv 8 reads draft-07, so the schema is first
    migrated with `ajv migrate`, as tests/unit/report/findings does);
  - CycloneDX validates against bom-1.6 (with spdx.schema.json and
    jsf-0.82.schema.json beside it), date-time formats checked;
  - the JSON findings validate against docs/schemas/hull-findings.schema.json
    when that schema is in the tree;
  - the three documents tell the same story: SARIF has one rule per
    vulnerability id and one result per finding, each result's rule
    exists; CycloneDX lists every vulnerability id of the JSON report, each
    `affects` ref names a component of the same BOM, each affected
    component's version is the installed one;
  - each validator rejects a copy of the document broken in one place
    (so that these checks can fail)."""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian  # noqa: E402
from vulnlib import IMAGES, SHARED, SRC, Tap, Tmp, database, hull, require_env, skip_missing  # noqa: E402


def ajv(args, log):
    r = subprocess.run(["ajv"] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(log, "w") as f:
        f.write(r.stdout)
    return r.returncode == 0, "\n".join(l for l in r.stdout.splitlines() if "unknown format" not in l)[-3000:]


def validate(tap, name, schema_args, doc, tmp, want_valid=True):
    ok, out = ajv(["validate", "--spec=draft7", "-c", "ajv-formats", "--strict=false", "--all-errors"] +
                  schema_args + ["-d", doc], os.path.join(tmp, "ajv.log"))
    # ajv says "<file> valid" or "<file> invalid"; anything else (a parse
    # error) is neither
    said = "%s %s" % (doc, "valid" if want_valid else "invalid")
    tap.ok(ok == want_valid and said in out.splitlines(),
           "%s %s" % (name, "valid" if want_valid else "rejected by the schema"), [out])


def broken(tmp, name, doc, edit):
    d = json.load(open(doc))
    edit(d)
    p = os.path.join(tmp, name)
    json.dump(d, open(p, "w"))
    return p


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("sarif-cyclonedx")
        return
    require_env()
    if not os.path.isdir(os.path.join(IMAGES, "bullseye/rootfs/var/lib/dpkg")):
        skip_missing("%s/bullseye/rootfs not built (scripts/test-images.sh)" % IMAGES)
    if not shutil.which("ajv"):
        skip_missing("ajv not installed (scripts/install-deps.sh installs it)")
    schemas = os.path.join(SHARED, "schemas")
    sarif_schema = os.path.join(schemas, "sarif/sarif-schema-2.1.0.json")
    cdx = os.path.join(schemas, "cyclonedx")
    if not os.path.exists(sarif_schema) or not os.path.exists(os.path.join(cdx, "bom-1.6.schema.json")):
        skip_missing(schemas + " missing")
    tap = Tap()
    db = database()
    with Tmp() as tmp:
        root, _ = debian.make_copy(tmp, "bullseye", "bullseye-setback")
        # ajv picks its parser by the file name: keep .json
        out = {f: os.path.join(tmp, "out-%s.json" % f) for f in ("sarif", "cyclonedx", "json")}
        rc, o, e = hull(["image", "--db", db] + ["--format=%s=%s" % kv for kv in out.items()] + [root], tmp)
        if rc != 0 or not all(os.path.exists(p) for p in out.values()):
            tap.ok(False, "hull image wrote sarif, cyclonedx and json (exit %d)" % rc, [e, o])
            tap.finish()
        findings = json.load(open(out["json"]))["findings"]
        tap.ok(len(findings) > 100, "the set-back copy has findings (%d)" % len(findings))

        sarif7 = os.path.join(tmp, "sarif7.schema.json")
        ok, log = ajv(["migrate", "--spec=draft7", "-s", sarif_schema, "-o", sarif7], os.path.join(tmp, "m.log"))
        if not ok:
            tap.ok(False, "ajv migrate of the SARIF schema", [log])
            tap.finish()
        sarif_args = ["-s", sarif7]
        cdx_args = ["-s", os.path.join(cdx, "bom-1.6.schema.json"), "-r", os.path.join(cdx, "spdx.schema.json"),
                    "-r", os.path.join(cdx, "jsf-0.82.schema.json")]
        validate(tap, "SARIF 2.1.0", sarif_args, out["sarif"], tmp)
        validate(tap, "CycloneDX 1.6 with vulnerabilities", cdx_args, out["cyclonedx"], tmp)
        hs = os.path.join(SRC, "docs/schemas/hull-findings.schema.json")
        if os.path.exists(hs):
            validate(tap, "hull findings JSON", ["-s", hs], out["json"], tmp)
        else:
            tap.ok(False, "hull findings JSON: " + hs + " is not in the tree")

        # the same story in every format
        ids = {f["id"] for f in findings}
        s = json.load(open(out["sarif"]))
        run = s["runs"][0]
        rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
        results = run.get("results", [])
        tap.ok(len(rules) == len(set(rules)) and set(rules) == ids,
               "SARIF: one rule per vulnerability id (%d rules, %d ids)" % (len(rules), len(ids)),
               ["rules without a finding: %s" % sorted(set(rules) - ids)[:20],
                "ids without a rule: %s" % sorted(ids - set(rules))[:20]])
        bad = [r.get("ruleId") for r in results if r.get("ruleId") not in set(rules)]
        tap.ok(len(results) == len(findings) and not bad,
               "SARIF: one result per finding (%d results, %d findings), each with its rule" %
               (len(results), len(findings)), ["results naming no rule: %s" % bad[:20]])
        c = json.load(open(out["cyclonedx"]))
        vulns = c.get("vulnerabilities", [])
        tap.ok({v["id"] for v in vulns} == ids, "CycloneDX: the vulnerabilities are the report's (%d ids)" % len(ids),
               ["only in CycloneDX: %s" % sorted({v["id"] for v in vulns} - ids)[:20],
                "only in JSON: %s" % sorted(ids - {v["id"] for v in vulns})[:20]])
        comps = {x.get("bom-ref"): x for x in c.get("components", [])}
        want_pairs = {(f["package"]["purl"], f["id"]) for f in findings}
        got_pairs, dangling, wrong = set(), [], []
        for v in vulns:
            for a in v.get("affects", []):
                # a package without a purl (the OS of an end-of-life
                # finding) has a component of its own, "hull:vulnpkg:<n>"
                got_pairs.add((a["ref"] if a["ref"].startswith("pkg:") else None, v["id"]))
                comp = comps.get(a["ref"])
                if comp is None:
                    dangling.append("%s -> %s" % (v["id"], a["ref"]))
                elif not any(x.get("status") == "affected" and x.get("version") == comp.get("version")
                             for x in a.get("versions", [])):
                    wrong.append("%s: %s %s not listed as affected" % (v["id"], comp.get("name"), comp.get("version")))
        tap.ok(not dangling, "CycloneDX: every affects ref is a component of the BOM", dangling[:20])
        tap.ok(got_pairs == want_pairs, "CycloneDX: (package, vulnerability) pairs are the report's (%d)" % len(want_pairs),
               ["only in JSON: %s" % sorted(want_pairs - got_pairs)[:10],
                "only in CycloneDX: %s" % sorted(got_pairs - want_pairs)[:10]])
        tap.ok(not wrong, "CycloneDX: the installed version of each affected component is 'affected'", wrong[:20])

        # negative controls
        def sarif_level(d):
            d["runs"][0]["results"][0]["level"] = "fatal"

        def cdx_severity(d):
            d["vulnerabilities"][0]["ratings"][0]["severity"] = "severe"

        def cdx_status(d):
            d["vulnerabilities"][0]["affects"][0]["versions"][0]["status"] = "broken"
        validate(tap, "SARIF with a result level 'fatal'", sarif_args,
                 broken(tmp, "neg1.json", out["sarif"], sarif_level), tmp, False)
        validate(tap, "CycloneDX with a severity 'severe'", cdx_args,
                 broken(tmp, "neg2.json", out["cyclonedx"], cdx_severity), tmp, False)
        validate(tap, "CycloneDX with an affects status 'broken'", cdx_args,
                 broken(tmp, "neg3.json", out["cyclonedx"], cdx_status), tmp, False)
    tap.finish()


if __name__ == "__main__":
    main()
