#!/usr/bin/env python3
"""hull db build over real feeds:
1. the vunnel Debian fixture gives exactly vunnel's expected per-release
   fixed versions, severities and advisories;
2. a build from all of shared/data: per-source counts of `hull db info`
   equal counts computed here from the same files;
3. 20 records picked from each feed round-trip field by field."""
import glob
import json
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdbtest as V  # noqa: E402

V.require()
tap = V.Tap()
tmp = tempfile.mkdtemp(prefix="hull-vdb-")
rng = random.Random(4)

# ---- 1. vunnel golden ---------------------------------------------------------
fixture = V.SHARED + "/debian/vunnel-fixture"
gdb = tmp + "/golden.sqlite"
V.hull("db", "build", "--strict", "--db", gdb, "--from", fixture + "/tracker-debian.json",
       fixture + "/DSA-list-excerpt")
SEV = {"High": ("HIGH", False), "Medium": ("MEDIUM", False), "Low": ("LOW", False),
       "Negligible": ("LOW", True), "Unknown": ("UNKNOWN", False)}
vunnel_releases = {"13", "12", "11", "10", "9", "8", "7", "unstable"}
expected = set()
for path in sorted(glob.glob(fixture + "/expected-normalized/*/*.json")):
    v = json.load(open(path))["item"]["Vulnerability"]
    ns = v["NamespaceName"]
    if not v["FixedIn"]:
        # debian:7 records of vunnel's legacy data (no wheezy in the input)
        tap.ok(not any(a["id"] == v["Name"] for (n, p) in V.keys(gdb) if n == ns
                       for a in V.lookup(gdb, n, p)),
               "%s %s: no package in the golden, none in hull" % (ns, v["Name"]))
        continue
    for fx in v["FixedIn"]:
        if fx["Name"] == "389_directory_server":
            tap.note("%s %s: from vunnel's legacy records, not from the tracker input"
                     % (ns, v["Name"]))
            continue
        expected.add((ns, fx["Name"], v["Name"]))
        got = [a for a in V.lookup(gdb, ns, fx["Name"]) if a["id"] == v["Name"]]
        what = "%s %s %s" % (ns, fx["Name"], v["Name"])
        if not tap.ok(len(got) == 1, what + ": one entry", got):
            continue
        a = got[0]
        ver = fx["Version"]
        if ver == "None":
            tap.ok(a["fix"] == "unfixed" and a["fixed"] is None, what + ": not fixed", a)
        elif ver == "0":
            tap.ok(a["fix"] == "not_affected" and a["fixed"] == "0", what + ": not affected", a)
        else:
            tap.ok(a["fix"] == "fixed" and a["fixed"] == ver and a["status"] == "fixed",
                   what + ": fixed in " + ver, a)
        sev, neg = SEV[v["Severity"]]
        tap.ok(a["severity"] == sev and a["negligible"] == neg,
               what + ": severity " + v["Severity"], a)
        adv = sorted(x["ID"] for x in fx["VendorAdvisory"].get("AdvisorySummary", []))
        tap.ok(sorted(a["related"]) == adv, what + ": advisories %s" % adv, a)
        tap.ok(a["url"] == v["Link"], what + ": link", a)
got = set()
for ns, pkg in V.keys(gdb):
    if ns.split(":")[1] in vunnel_releases:
        got |= {(ns, pkg, a["id"]) for a in V.lookup(gdb, ns, pkg)
                if a["source"] == "debian-tracker"}
tap.ok(got == expected, "tracker entries are exactly the golden ones (%d)" % len(expected),
       "extra %s\nmissing %s" % (sorted(got - expected), sorted(expected - got)))
eol = [a for a in V.lookup(gdb, "debian:10", "chromium") if a["id"] == "CVE-2022-0456"]
tap.ok(eol and eol[0]["status"] == "end_of_life", "buster chromium: end-of-life", eol)

# ---- 2. counts over all of shared/data ------------------------------------------
adb = tmp + "/all.sqlite"
V.hull("db", "build", "--db", adb, "--from", V.SHARED)
inf = V.info(adb)
src = {s["name"]: s for s in inf["sources"]}

# Debian tracker
rows = V.tracker_rows(fixture + "/tracker-debian.json")
tap.ok(src["debian-tracker"]["records"] == len(rows) and src["debian-tracker"]["files"] == 1,
       "debian-tracker: %d records" % len(rows), src.get("debian-tracker"))
tap.ok(src["debian-tracker"]["entries"] == len({r[:3] for r in rows}),
       "debian-tracker: entries", src.get("debian-tracker"))


# DSA / DLA
def dsa_entries(paths):
    ents, n = set(), 0
    for p in paths:
        for aid, ids, fixes in V.dsa_list(p):
            n += 1
            for rel, pkg, ver in fixes:
                if rel in V.RELEASES:
                    for i in ids or [aid]:
                        ents.add(("debian:" + V.RELEASES[rel], pkg, i))
    return n, ents


# one (release, package, id) is one entry: the tracker's statement wins over
# a DSA's, a DSA's over a DLA's
taken = {r[:3] for r in rows}
for name, paths in (("debian-dsa", [V.SHARED + "/debian/security-tracker-2023-04/DSA-list",
                                    fixture + "/DSA-list-excerpt"]),
                    ("debian-dla", [V.SHARED + "/debian/security-tracker-2023-04/DLA-list"])):
    n, ents = dsa_entries(paths)
    s = src.get(name, {})
    tap.ok(s.get("records") == n and s.get("files") == len(paths),
           "%s: %d advisories in %d files" % (name, n, len(paths)), s)
    own = ents - taken
    taken |= ents
    tap.ok(s.get("entries") == len(own), "%s: %d (release, package, id) entries of its own"
           % (name, len(own)), s)

# data/CVE/list
cl, cl_unsup = V.cve_list(V.SHARED + "/debian/vuln-list-update-fixture/CVE-list-excerpt")
s = src.get("debian-cve-list", {})
tap.ok((s.get("files"), s.get("records"), s.get("unsupported")) == (1, len(cl), cl_unsup),
       "debian-cve-list: %d statements, %d not indexable" % (len(cl), cl_unsup), s)
tap.ok(s.get("entries") == len({x[:3] for x in cl} - taken),
       "debian-cve-list: entries of its own", s)

# secdb
per = {"alpine-secdb": [0, 0, set(), 0], "wolfi-secdb": [0, 0, set(), 0]}
for path, doc in V.secdb_docs():
    r, bad = V.secdb_rows(doc)
    k = "wolfi-secdb" if "wolfi" in path else "alpine-secdb"
    per[k][0] += 1
    per[k][1] += len(r)
    per[k][2] |= {(x[0], x[2], x[4]) for x in r}
    per[k][3] += bad
for k, (files, recs, ents, bad) in per.items():
    s = src.get(k, {})
    tap.ok((s.get("files"), s.get("records"), s.get("entries"), s.get("skipped")) ==
           (files, recs, len(ents), bad),
           "%s: %d files, %d records, %d entries, %d skipped" % (k, files, recs, len(ents), bad),
           s)

# OSV
docs = V.osv_docs()
withdrawn = sum(1 for _, d in docs if d.get("withdrawn") is not None)
bad = [(p, V.osv_check(d)) for p, d in docs
       if d.get("withdrawn") is None and V.osv_check(d)]
ok_docs = [(p, d) for p, d in docs if d.get("withdrawn") is None and not V.osv_check(d)]
ents = set()
for _, d in ok_docs:
    for a in d.get("affected") or []:
        pkg = a.get("package")
        if pkg and pkg["ecosystem"].split(":", 1)[0] in V.SUPPORTED:
            ents.add((V.osv_ns(pkg["ecosystem"]), V.osv_name(pkg["ecosystem"], pkg["name"]),
                      d["id"]))
s = src.get("osv", {})
tap.ok((s.get("files"), s.get("records"), s.get("withdrawn"), s.get("skipped")) ==
       (len(docs), len(ok_docs), withdrawn, len(bad)),
       "osv: %d files, %d records, %d withdrawn, %d skipped" %
       (len(docs), len(ok_docs), withdrawn, len(bad)), "%s\n%s" % (s, bad))
tap.ok(s.get("entries") == len(ents), "osv: %d (namespace, package, id) entries" % len(ents), s)

# Node security WG
wg = [p for p in glob.glob(V.SHARED + "/osv-npm/nodejs-security-wg/vuln/*/*.json")
      if not p.endswith("index.json")]
s = src.get("nodejs-security-wg", {})
tap.ok((s.get("files"), s.get("records")) == (len(wg), len(wg)),
       "nodejs-security-wg: %d advisories" % len(wg), s)
tap.ok(inf["skipped_total"] == sum(x.get("skipped", 0) for x in inf["sources"]),
       "skipped_total is the sum of the sources", inf["skipped_total"])
tap.ok(all(k["file"] and k["message"] for k in inf["skipped"]),
       "every skipped record names its file and what was expected")
tap.ok(all(k["line"] > 0 for k in inf["skipped"]), "every skipped record has a line number",
       [k for k in inf["skipped"] if k["line"] <= 0])

# ---- 3. round trip, 20 records per feed -----------------------------------------
def one(ns, pkg, vid, source=None):
    got = [a for a in V.lookup(adb, ns, pkg) if a["id"] == vid and
           (source is None or a["source"] == source)]
    return got[0] if len(got) == 1 else None


for ns, pkg, vid, r in rng.sample(rows, min(20, len(rows))):
    a = one(ns, pkg, vid, "debian-tracker")
    fv = r.get("fixed_version")
    want_fix = ("not_affected" if fv == "0" else "fixed") if r["status"] == "resolved" \
        else "unfixed"
    tap.ok(a and a["fix"] == want_fix and a["fixed"] == (fv if r["status"] == "resolved" else None)
           and a["vendor_severity"] == r.get("urgency"),
           "round trip tracker %s %s %s" % (ns, pkg, vid), (a, r))

for name, paths in (("debian-dsa", [V.SHARED + "/debian/security-tracker-2023-04/DSA-list"]),
                    ("debian-dla", [V.SHARED + "/debian/security-tracker-2023-04/DLA-list"])):
    lines = []
    count = {}
    for p in paths:
        for aid, ids, fixes in V.dsa_list(p):
            for rel, pkg, ver in fixes:
                if rel in V.RELEASES:
                    for i in ids or [aid]:
                        key = ("debian:" + V.RELEASES[rel], pkg, i)
                        count[key] = count.get(key, 0) + 1
                        lines.append((key, aid, ver))
    # one statement per (release, package, id): no merge decides the answer
    lines = [x for x in lines if count[x[0]] == 1]
    for (ns, pkg, vid), aid, ver in rng.sample(lines, 20):
        a = one(ns, pkg, vid, name)
        if ver.startswith("<"):
            want = {"<not-affected>": ("not_affected", "fixed"),
                    "<end-of-life>": ("unfixed", "end_of_life"),
                    "<unfixed>": ("unfixed", "affected"),
                    "<no-dsa>": ("unfixed", "will_not_fix"),
                    "<ignored>": ("unfixed", "will_not_fix"),
                    "<postponed>": ("unfixed", "fix_deferred")}[ver]
            okv = a and (a["fix"], a["status"]) == want
        else:
            okv = a and a["fixed"] == ver and a["fix"] == "fixed"
        tap.ok(okv and (vid == aid or aid in a["related"]),
               "round trip %s %s %s %s" % (name, ns, pkg, vid), (a, aid, ver))

for ns, pkg, vid, ver, urg in cl:
    a = one(ns, pkg, vid, "debian-cve-list")
    want = {"<unfixed>": ("unfixed", "affected"), "<no-dsa>": ("unfixed", "will_not_fix"),
            "<not-affected>": ("not_affected", "fixed")}.get(ver, ("fixed", "fixed"))
    tap.ok(a and (a["fix"], a["status"]) == want and a["vendor_severity"] == urg and
           (a["fixed"] == ver if want[0] == "fixed" else True),
           "round trip debian-cve-list %s %s %s" % (ns, pkg, vid), (a, ver, urg))

for k in ("alpine-secdb", "wolfi-secdb"):
    allrows = []
    for path, doc in V.secdb_docs():
        if (k == "wolfi-secdb") == ("wolfi" in path):
            allrows += V.secdb_rows(doc)[0]
    cnt = {}
    for x in allrows:
        cnt[(x[0], x[2], x[4])] = cnt.get((x[0], x[2], x[4]), 0) + 1
    uniq = [x for x in allrows if cnt[(x[0], x[2], x[4])] == 1]
    for ns, s_, pkg, ver, vid, al in rng.sample(uniq, min(20, len(uniq))):
        a = one(ns, pkg, vid, k)
        tap.ok(a and a["fixed"] == ver and
               a["fix"] == ("not_affected" if ver == "0" else "fixed") and
               sorted(a["aliases"]) == sorted(al),
               "round trip %s %s %s %s" % (k, ns, pkg, vid), (a, ver, al))

picked = [x for x in ok_docs if any(
    (a.get("package") or {}).get("ecosystem", "").split(":")[0] in V.SUPPORTED
    for a in x[1].get("affected") or [])]
for path, d in rng.sample(picked, 20):
    for a in d.get("affected") or []:
        pkg = a.get("package")
        if not pkg or pkg["ecosystem"].split(":", 1)[0] not in V.SUPPORTED:
            continue
        ns, name = V.osv_ns(pkg["ecosystem"]), V.osv_name(pkg["ecosystem"], pkg["name"])
        e = one(ns, name, d["id"], "osv")
        what = "round trip osv %s %s %s" % (os.path.basename(path), ns, name)
        if not tap.ok(e is not None, what + ": present"):
            continue
        want = {"ranges": [{"type": r["type"], "events": r["events"]}
                           for r in a.get("ranges") or [] if r["type"] != "GIT"],
                "versions": a.get("versions") or []}
        tap.ok(want in e["affected"], what + ": ranges and versions", (want, e["affected"]))
        tap.ok(sorted(e["aliases"]) == sorted(set((d.get("aliases") or []) +
                                                  (d.get("upstream") or []))) and
               sorted(e["related"]) == sorted(d.get("related") or []),
               what + ": aliases, related", e)
        summ = d.get("summary") or (d.get("details") or "").lstrip(" \n#").split("\n")[0]
        tap.ok((e["title"] or "") == summ.strip()[:len(e["title"] or "")] and
               (e["title"] is not None) == bool(summ.strip()), what + ": title", (e["title"], summ))
        v3 = [s["score"] for s in d.get("severity") or [] if s["type"] == "CVSS_V3"]
        if len(v3) == 1 and not any(s["type"] == "Ubuntu" for s in d.get("severity") or []):
            tap.ok(e["cvss_vector"] == v3[0] and abs(e["cvss_score"] - V.cvss3(v3[0])) < 1e-9,
                   what + ": CVSS %s" % v3[0], e)
        fixed = [ev["fixed"] for r in want["ranges"] for ev in r["events"] if "fixed" in ev]
        tap.ok(e["status"] == ("fixed" if fixed else "affected"), what + ": status", e)
        break

for path in rng.sample(wg, 20):
    d = json.load(open(path))
    core = "module_name" not in d
    ns, pkg = ("nodejs", "node") if core else ("npm", d["module_name"])
    vid = ("NSWG-CORE-" + os.path.basename(path)[:-5]) if core else "NSWG-ECO-%d" % d["id"]
    a = one(ns, pkg, vid, "nodejs-security-wg")
    vul = d["vulnerable"] if core else d["vulnerable_versions"]
    pat = (d.get("patched") if core else d.get("patched_versions")) or ""
    tap.ok(a and a["vulnerable"] == vul and a["patched"] == pat and
           sorted(a["aliases"]) == sorted(d.get("cve" if core else "cves") or []),
           "round trip nodejs-security-wg %s" % vid, (a, vul, pat))

tap.done()
