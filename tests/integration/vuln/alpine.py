#!/usr/bin/env python3
"""Alpine matching on real data, against a reference computed here.

Usage: alpine.py CASE (--list prints the cases). Prints TAP.

Inventories: the Alpine-like image (alpine-fake, Alpine 3.14.2, built by
scripts/test-images.sh) and the real apk databases of ../shared/data/
apk-installed, each put in a temporary root with an os-release naming the
Alpine release the data manifest infers for it (MANIFEST.md section 9).
The reference reads lib/apk/db/installed itself (P:, V:, o: records).

Feed: every secdb document under ../shared/data/alpine-secdb (YAML read
with PyYAML's BaseLoader, every scalar a string; JSON with json) whose
distroversion is the image's branch ("v" + major.minor of VERSION_ID).

Rules mirrored (hull's documented matching, src/match/match.h and
src/vulndb/secdb.c), implemented independently here:
 1. The branch comes from os-release VERSION_ID; a branch without a secdb
    document means no match at all and the warning "no feed for
    alpine:vX.Y" (exit 3 with --exit-on-unsupported), never a clean report.
 2. A package is looked up by its origin (o:, else its name) in every
    repository of the branch (main and community), with its own version.
 3. secfixes: a version key "0" says never affected; any other key is the
    fixed version; a key apk itself would reject (apkver.valid, checked
    against apk-tools' vectors first) is skipped with all its ids, as hull
    skips the record. Ids: notes in parentheses dropped, "CVE 2018-1"
    joined, CVE_YYYY_N / "CVE-....patch" / "CVE-YYYY-N-1" normalised to
    CVE-YYYY-N; an entry naming CVEs gives one vulnerability per CVE, one
    naming none gives its first id (XSA-, ALPINE-...).
 4. The same id under several keys of one origin: the greatest fixed
    version wins; a fix beats "0".
 5. Affected when the installed version is older than the fixed version
    (apk order); reported with status "fixed" and that fixed version.
Compared with hull: the set of (id, package, origin, status, fixed
version); the warnings; the exit status with --exit-on-unsupported."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apkver  # noqa: E402
from vulnlib import (IMAGES, SHARED, Tap, Tmp, database, hull, require_env,  # noqa: E402
                     scan, skip_missing, status_name, vuln_findings, write)

try:
    import yaml
except ImportError:
    yaml = None

# apk database -> Alpine release (MANIFEST.md section 9, inferred there
# from package versions and build times)
APK_DBS = {
    "apk-trivy-analyzer-pkg-apk": ("trivy/analyzer-pkg-apk", "3.4.6"),
    "apk-trivy-musl": ("trivy/analyzer-testdata-musl", "3.11.6"),
    "apk-syft-single": ("syft/single", "3.11.6"),
    "apk-syft-extra-file-attributes": ("syft/extra-file-attributes", "3.9.4"),
    "apk-trivy-vm-aarch64": ("trivy/vm-alpine-aarch64", "3.18.4"),
    "apk-syft-base": ("syft/base", "3.12.0"),
    "apk-syft-empty-deps": ("syft/empty-deps-and-provides", "3.17.0"),
    "apk-syft-multiple-1": ("syft/multiple-1", "3.19.0"),
    "apk-syft-multiple-2": ("syft/multiple-2", "3.16.2"),
}
# every branch of the shared secdb, for the every-origin case
BRANCHES = ["3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.15", "3.20"]
CASES = ["vectors", "alpine-fake", "alpine-fake-as-v3.20", "secdb-every-origin"] + list(APK_DBS)


# ---- the reference comparator is itself checked first -------------------------

def vectors(tap=None):
    """apkver against apk-tools' version.data (transcribed as TSV): every
    validity row and every <, >, = row. Returns the failures."""
    path = os.path.join(SHARED, "version-vectors/apk/version-cases.tsv")
    bad, n = [], 0
    for line in open(path).read().splitlines()[1:]:
        kind, a, op, b, exp = line.split("\t")[:5]
        if kind == "validate":
            n += 1
            if apkver.valid(a) != (exp == "valid"):
                bad.append("valid(%r) should be %s" % (a, exp))
        elif op in ("<", ">", "="):
            n += 1
            c = apkver.compare(a, b)
            if {"<": c < 0, ">": c > 0, "=": c == 0}[op] != (exp == "true"):
                bad.append("%s %s %s should be %s" % (a, op, b, exp))
    if tap:
        tap.ok(not bad and n > 700, "the reference's apk order agrees with %d apk-tools vectors" % n, bad)
    return bad


# ---- feed ----------------------------------------------------------------------

CVE = re.compile(r"^CVE[-_](\d{4})-(\d{4,})", re.I)
OTHER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*[-_][A-Za-z0-9_-]*$")


def entry_ids(s):
    """Rule 3: the vulnerability ids one secfixes entry stands for."""
    s = s.split("(", 1)[0]
    s = re.sub(r"(?i)\bCVE\s+(\d{4}-\d+)", r"CVE-\1", s)
    found = []
    for tok in s.split():
        if tok.endswith(".patch"):
            tok = tok[:-6]
        m = CVE.match(tok)
        if m:
            found.append(("cve", "CVE-%s-%s" % m.groups()))
        elif OTHER.match(tok):
            found.append(("other", tok))
    cves = [i for k, i in found if k == "cve"]
    return cves if cves else [i for _, i in found[:1]]


_docs = []


def secdb_docs():
    """Every secdb document (read once). BaseLoader: every scalar a string,
    so that version keys such as 1.10 stay text."""
    if not _docs:
        loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
        for d, _, files in sorted(os.walk(os.path.join(SHARED, "alpine-secdb"))):
            for f in sorted(files):
                p = os.path.join(d, f)
                if f.endswith((".yaml", ".yml")):
                    _docs.append((p, yaml.load(open(p), Loader=loader)))
                elif f.endswith(".json"):
                    _docs.append((p, json.load(open(p))))
    return _docs


def secdb(branch):
    """{origin: {id: (kind, fixed)}} of one branch; kind fixed|notaffected."""
    found = False
    stmts = {}
    for _, doc in secdb_docs():
        if not isinstance(doc, dict) or doc.get("distroversion") != branch:
            continue
        found = True
        pkgs = [e["pkg"] for e in doc.get("packages") or []] if "packages" in doc else [doc]
        for p in pkgs:
            for key, ids in (p.get("secfixes") or {}).items():
                if key != "0" and not apkver.valid(key):
                    continue
                for e in ids or []:
                    for i in entry_ids(e):
                        stmts.setdefault(p["name"], {}).setdefault(i, []).append(key)
    if not found:
        return None
    out = {}
    for origin, by_id in stmts.items():
        for i, keys in by_id.items():
            fixes = [k for k in keys if k != "0"]
            best = None
            for k in fixes:
                if best is None or apkver.compare(k, best) > 0:
                    best = k
            out.setdefault(origin, {})[i] = ("fixed", best) if best else ("notaffected", None)
    return out


def installed(path):
    """[(name, version, origin)] of an apk database; records without a
    version are not packages."""
    pkgs = []
    for rec in re.split(r"\n\s*\n", open(path, errors="replace").read()):
        f = {}
        for line in rec.splitlines():
            if len(line) > 2 and line[1] == ":" and line[0] not in f:
                f[line[0]] = line[2:]
        if f.get("P") and f.get("V"):
            pkgs.append((f["P"], f["V"], f.get("o") or f["P"]))
    return pkgs


def branch_of(version_id):
    m = re.match(r"(\d+)\.(\d+)", version_id)
    return "v%s.%s" % m.groups()


def reference(db_path, version_id):
    fixes = secdb(branch_of(version_id))
    if fixes is None:
        return None
    want = set()
    for name, ver, origin in installed(db_path):
        for i, (kind, fixed) in fixes.get(origin, {}).items():
            if kind == "fixed" and apkver.compare(ver, fixed) < 0:
                want.add((i, name, origin, "fixed", fixed))
    return want


# ---- checks --------------------------------------------------------------------

OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=%s\nPRETTY_NAME="Alpine Linux v%s"\n'


def make_root(tmp, apkdb, version_id):
    root = os.path.join(tmp, "root")
    write(os.path.join(root, "lib/apk/db/installed"), open(apkdb, errors="replace").read())
    write(os.path.join(root, "etc/os-release"), OS_RELEASE % (version_id, version_id))
    return root


def check(tap, case, target, cmd, apkdb, version_id, db, tmp, brief=False):
    want = reference(apkdb, version_id)
    branch = branch_of(version_id)
    rc, doc, err = scan(tap, cmd, target, db, tmp)
    got = set()
    for f in vuln_findings(doc):
        p = f["package"]
        got.add((f["id"], p["name"], p.get("sourceName"), status_name(p.get("status")),
                 p.get("fixedVersion")))
    warns = " | ".join(str(w) for w in doc.get("warnings", []))
    nofeed = "no feed for alpine:" + branch
    if want is None:
        tap.ok(nofeed in warns, "%s: no secdb for %s: hull warns '%s'" % (case, branch, nofeed),
               ["warnings: " + warns, "stderr: " + err])
        tap.ok(not got, "%s: no findings without a feed" % case, [str(sorted(got))])
        rc3, out3, err3 = hull([cmd, "--db", db, "--exit-on-unsupported", target], tmp)
        tap.ok(rc3 == 3, "%s: --exit-on-unsupported exits 3 (got %d)" % (case, rc3), [err3, out3[-500:]])
        tap.ok(nofeed in out3 + err3, "%s: the table output carries the warning too" % case,
               [out3[-800:], err3])
        tap.diag("%s: %s has no secdb in ../shared/data: 0 findings, warned" % (case, branch))
        return
    tap.same_sets("%s: (id, package, origin, status, fixed version) against %s" % (case, branch),
                  want, got, lambda t: "%s %s (origin %s) %s fixed=%s" % t)
    tap.ok(nofeed not in warns, "%s: no 'no feed' warning for %s" % (case, branch), [warns])
    tap.ok(rc == 0, "%s: exit status 0 without --fail-on (got %d)" % (case, rc), [err])
    origins = sorted({w[2] for w in want})
    tap.diag("%s: %d findings (%d ids) on %s" % (
        case, len(want), len({w[0] for w in want}),
        "%d origins" % len(origins) if brief else ", ".join(origins) or "nothing"))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1]
    require_env()
    if yaml is None:
        skip_missing("PyYAML (python3-yaml) is needed to read the secdb")
    tap = Tap()
    if case == "vectors":
        vectors(tap)
        tap.finish()
    if vectors():
        tap.ok(False, "the reference's apk order disagrees with apk-tools' vectors "
               "(run the vuln-apk-vectors test)")
        tap.finish()
    fake = os.path.join(IMAGES, "alpine-fake")
    if case.startswith("alpine-fake") and not os.path.exists(os.path.join(fake, "rootfs/lib/apk/db/installed")):
        skip_missing("%s not built (scripts/test-images.sh)" % fake)
    db = database()
    with Tmp() as tmp:
        if case == "alpine-fake":
            osr = open(os.path.join(fake, "rootfs/etc/os-release")).read()
            version_id = re.search(r"(?m)^VERSION_ID=\"?([^\"\n]+)", osr).group(1)
            apkdb = os.path.join(fake, "rootfs/lib/apk/db/installed")
            for form, target, cmd in [("rootfs", os.path.join(fake, "rootfs"), "rootfs"),
                                      ("oci-archive", os.path.join(fake, "alpine-fake.oci.tar"), "image"),
                                      ("docker", os.path.join(fake, "alpine-fake.docker.tar"), "image")]:
                if os.path.exists(target):
                    check(tap, "alpine-fake " + form, target, cmd, apkdb, version_id, db, tmp)
        elif case == "alpine-fake-as-v3.20":
            # the image's own packages (3.14 era) against the v3.20 secdb
            # subset: the JSON per-package documents and many fixes apply
            apkdb = os.path.join(fake, "rootfs/lib/apk/db/installed")
            root = make_root(tmp, apkdb, "3.20.3")
            check(tap, case, root, "rootfs", apkdb, "3.20.3", db, tmp)
        elif case == "secdb-every-origin":
            # the whole secdb through hull: one package per origin of the
            # branch at 0.0.1-r0, older than every fix, so each (id, origin)
            # statement of the branch becomes a finding (or none for "0")
            for br in BRANCHES:
                fixes = secdb(branch_of(br))
                apkdb = os.path.join(tmp, br, "installed")
                write(apkdb, "".join("P:%s\nV:0.0.1-r0\no:%s\n\n" % (o, o) for o in sorted(fixes)))
                root = make_root(os.path.join(tmp, br), apkdb, br + ".0")
                check(tap, "every origin of v" + br, root, "rootfs", apkdb, br + ".0", db, tmp, True)
        else:
            rel, version_id = APK_DBS[case]
            apkdb = os.path.join(SHARED, "apk-installed", rel, "installed")
            if not os.path.exists(apkdb):
                skip_missing(apkdb + " missing")
            root = make_root(tmp, apkdb, version_id)
            check(tap, case, root, "rootfs", apkdb, version_id, db, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
