#!/usr/bin/env python3
"""The distribution feeds (OSV exports of Ubuntu, AlmaLinux, Rocky Linux,
Debian and Alpine, the Wolfi secdb, Red Hat CSAF) on root filesystems made
here, against a reference computed here from the same records.

Usage: distros.py CASE (--list prints the cases). Prints TAP.

Records: every file of ../shared/data/distro-osv-misc, read in place. For
each release the records name, the test makes root filesystems with that
release's os-release and a package database holding, for every (package,
fix) of the release, versions just below the fix, at it and just above it
(unfixed records: the listed versions and one more). Debian-family
packages go into var/lib/dpkg/status (a binary per version whose Source:
line names the source package and version), Alpine and Wolfi ones into
lib/apk/db/installed (origin o:), RPM ones into an rpm database made with
rpmbuild and `rpm -i --justdb` as tests/unit/pkgdb/rpm does: one root per
tier, every record's package as a binary package and a "-hullsub"
subpackage of it (so the source rpm name is looked up too), modular fixes
built with a ModularityLabel of the advisory's stream and, as controls, of
another stream and of no module.

The reference never calls hull's code. Version order: `dpkg
--compare-versions` for Debian and Ubuntu, rpm's own rpm.vercmp (through
`rpm --eval` and its Lua) for the RHEL family, apkver.py (checked against
apk-tools' vectors by alpine.py) for Alpine and Wolfi. Its rules, written
from the OSV schema and the vendors' keying:
 1. Ecosystems of a release: Ubuntu X.Y "Ubuntu:X.Y:LTS" (.04 of an even
    year) or "Ubuntu:X.Y", then "Ubuntu:Pro:X.Y:LTS"; a package whose
    version says "esm" only the Pro one. "Rocky Linux:N", "AlmaLinux:N",
    "Debian:N" ("Debian:6.0" before 7), "Alpine:vX.Y", "Wolfi" (secdb).
 2. Keys: Debian and Ubuntu by source package, compared with the source
    version; Alpine and Wolfi by origin; RPM by binary name and by source
    rpm name, compared with epoch:version-release. A record whose versions
    are module builds (".module") applies only to packages of the module
    stream its summary names ("ruby:3.3"), read from the package's
    ModularityLabel; a package of a module only to such records.
 3. OSV evaluation as the schema's pseudocode (events in version order,
    introduced "0" first) or the versions list; withdrawn records none.
 4. One finding per group of records that name each other (an id among
    the other's aliases/upstream/related, or a shared CVE among ids and
    aliases, "UBUNTU-CVE-x" standing for "CVE-x"); its id is one of the
    group's ids or CVEs, its fixed version one of the group's fixes.
 5. Vendor first: where a vendor feed (Debian tracker, secdb) states a
    CVE for the package, an OSV record naming only such CVEs adds nothing,
    and the vendor's statement decides.
Compared with hull: per package, the groups against the findings (every
group exactly one finding, every finding one group), ids, fixed versions
and status; the number of packages affected and unaffected per tier."""

import fcntl
import hashlib
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apkver  # noqa: E402
from vulnlib import (BUILD, HULL, SHARED, Tap, Tmp, eosl_findings, hull, scan,  # noqa: E402
                     skip_missing, status_name, vuln_findings, write)

DATA = os.path.join(SHARED, "distro-osv-misc")
CASES = ["ubuntu", "ubuntu-esm", "suse", "almalinux", "rocky", "redhat-csaf", "redhat-vex", "wolfi", "debian-osv", "alpine-osv", "eol",
         "vendor-first-debian", "vendor-first-alpine", "unsupported", "detect"]


# ---- version order -------------------------------------------------------------

_dpkg = {}


def dpkg_cmp(a, b):
    if (a, b) not in _dpkg:
        lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
        eq = not lt and subprocess.run(["dpkg", "--compare-versions", a, "eq", b]).returncode == 0
        _dpkg[(a, b)] = -1 if lt else 0 if eq else 1
    return _dpkg[(a, b)]


_rpm = {}


def rpm_prime(pairs):
    """rpm.vercmp for many pairs in one rpm process (Lua long strings)."""
    todo = [p for p in set(pairs) if p not in _rpm]
    if not todo:
        return
    lua = " ".join('print(rpm.vercmp([==[%s]==], [==[%s]==]) .. " ")' % p for p in todo)
    out = subprocess.run(["rpm", "--eval", "%{lua: " + lua + "}"], stdout=subprocess.PIPE,
                         text=True, check=True).stdout.split()
    for p, r in zip(todo, out):
        _rpm[p] = int(r)


def rpm_cmp(a, b):
    if (a, b) not in _rpm:
        rpm_prime([(a, b)])
    return _rpm[(a, b)]


def comparator(kind):
    return {"deb": dpkg_cmp, "rpm": rpm_cmp, "apk": apkver.compare}[kind]


# ---- records ---------------------------------------------------------------------

EXTRA_RECORDS = []  # records a case writes next to the real ones


def records():
    """Every OSV record of the data folder (withdrawn ones are not)."""
    out = list(EXTRA_RECORDS)
    for p in sorted(glob.glob(os.path.join(DATA, "**/*.json"), recursive=True)):
        d = json.load(open(p))
        if "affected" in d and "id" in d and not d.get("withdrawn"):
            out.append(d)
    return out


def stream_of(summary):
    m = re.search(r"(?:^|\s)([A-Za-z0-9._+-]+:[A-Za-z0-9._+-]+)(?=\s|$)", summary or "")
    return m.group(1) if m else None


def vendor_cve(i):
    m = re.match(r"^[A-Z]+-(CVE-\d{4}-\d{4,})$", i)
    return m.group(1) if m else None


def statements(ecosystem, kind):
    """[(key, record, affected entry)] of one ecosystem; key as rule 2."""
    out = []
    for r in records():
        for a in r["affected"]:
            p = a.get("package") or {}
            if p.get("ecosystem") != ecosystem:
                continue
            key = p["name"]
            evs = [v for rg in a.get("ranges", []) for e in rg["events"] for v in e.values()]
            if kind == "rpm" and any(".module" in v for v in evs):
                st = stream_of(r.get("summary"))
                if not st:
                    continue
                key = st + "::" + key
            out.append((key, r, a))
    return out


def osv_affected(entry, v, cmp):
    if any(cmp(v, x) == 0 or v == x for x in entry.get("versions", [])):
        return True
    for rg in entry.get("ranges", []):
        if rg["type"] != "ECOSYSTEM":
            continue
        evs = list(rg["events"])
        # introduced "0" first, then by version (a stable insertion sort)
        srt = []
        for e in evs:
            (k, x), = e.items()
            i = len(srt)
            while i > 0:
                (k2, y), = srt[i - 1].items()
                if (x == "0" and k == "introduced") or (y != "0" and cmp(x, y) < 0):
                    i -= 1
                else:
                    break
            srt.insert(i, e)
        vuln = False
        for e in srt:
            (k, x), = e.items()
            if k == "introduced" and (x == "0" or cmp(v, x) >= 0):
                vuln = True
            elif k == "fixed" and cmp(v, x) >= 0:
                vuln = False
            elif k == "last_affected" and cmp(v, x) > 0:
                vuln = False
            elif k == "limit" and cmp(v, x) >= 0:
                vuln = False
        if vuln:
            return True
    return False


def fixes_of(entry):
    return [x for rg in entry.get("ranges", []) for e in rg["events"]
            for k, x in e.items() if k == "fixed"]


def rec_ids(r):
    """Rule 4: the ids a record is known by (CVEs among them)."""
    ids = {r["id"]} | set(r.get("aliases") or []) | set(r.get("upstream") or [])
    if vendor_cve(r["id"]):
        ids.add(vendor_cve(r["id"]))
    return ids


def rec_cves(r):
    return {i for i in rec_ids(r) if i.startswith("CVE-")} | (
        {i for i in r.get("related") or [] if i.startswith("CVE-")} if not r["id"].startswith("CVE-") else set())


def groups(recs):
    """Union of records that name each other or share a CVE."""
    recs = list({r["id"]: r for r in recs}.values())
    parent = list(range(len(recs)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(recs):
        for j, b in enumerate(recs[:i]):
            na = rec_ids(a) | set(a.get("related") or [])
            nb = rec_ids(b) | set(b.get("related") or [])
            shared = {c for c in rec_ids(a) & rec_ids(b) if c.startswith("CVE-")}
            if b["id"] in na or a["id"] in nb or shared:
                parent[find(i)] = find(j)
    out = {}
    for i, r in enumerate(recs):
        out.setdefault(find(i), []).append(r)
    return list(out.values())


# ---- the reference ------------------------------------------------------------------

def ecosystems(os_id, version_id):
    if os_id == "ubuntu":
        major, minor = version_id.split(".")[:2]
        lts = minor == "04" and int(major) % 2 == 0
        std = "Ubuntu:%s.%s%s" % (major, minor, ":LTS" if lts else "")
        return [std] + (["Ubuntu:Pro:%s.%s:LTS" % (major, minor)] if lts else [])
    major = version_id.split(".")[0]
    return {"rocky": ["Rocky Linux:" + major], "almalinux": ["AlmaLinux:" + major],
            "debian": ["Debian:%s" % (major + ".0" if int(major) < 7 else major)],
            "alpine": ["Alpine:v" + ".".join(version_id.split(".")[:2])],
            "wolfi": ["Wolfi"]}[os_id]


def pkg_ecosystems(ecos, version):
    pro = [e for e in ecos if e.startswith("Ubuntu:Pro:")]
    return pro if "esm" in version and pro else ecos


def keys_of(pkg, kind):
    """Rule 2: the lookup keys of an installed package."""
    if kind != "rpm":
        return [pkg["source"]]
    prefix = ""
    if pkg.get("label"):
        f = pkg["label"].split(":")
        prefix = "%s:%s::" % (f[0], f[1])
    return sorted({prefix + pkg["name"], prefix + pkg["source"]})


def reference(pkgs, ecos, kind, vendor=None):
    """{(name, version): [(group records, fixes)]} for the installed
    packages. vendor: {(ecosystem, key, cve): (affected, fixed)}."""
    cmp = comparator(kind)
    by_eco = {e: statements(e, kind) for e in ecos}
    out = {}
    for p in pkgs:
        v = p["cmpversion"]
        hits, fixes, vendor_cves = [], {}, set()
        for eco in pkg_ecosystems(ecos, p["version"]):
            for key in keys_of(p, kind):
                for (c_eco, c_key, cve), (aff, fixed) in (vendor or {}).items():
                    if c_eco == eco and c_key == key:
                        vendor_cves.add(cve)
                        if aff(v, cmp):
                            hits.append({"id": cve, "aliases": [], "related": []})
                            fixes.setdefault(cve, set()).add(fixed)
                for k, r, a in by_eco[eco]:
                    if k != key:
                        continue
                    cves = rec_cves(r)
                    if cves and cves <= vendor_cves:
                        continue  # rule 5
                    if osv_affected(a, v, cmp):
                        hits.append(r)
                        fixes.setdefault(r["id"], set()).update(fixes_of(a) or [None])
        out[(p["name"], p["version"])] = [
            (g, set().union(*[fixes.get(r["id"], set()) for r in g])) for g in groups(hits)]
    return out


# ---- roots -------------------------------------------------------------------------

def below(kind, v):
    return v + "~" if kind in ("deb", "rpm") else re.sub(r"(-r\d+)?$", lambda m: "_pre0" + m.group(0), v, 1)


def above(kind, v):
    if kind == "deb":
        return v + "+hull1"
    if kind == "rpm":
        return v + ".1"
    m = re.match(r"^(.*)-r(\d+)$", v)
    return "%s-r%d" % (m.group(1), int(m.group(2)) + 1) if m else v + "-r1"


def tiers(kind, entry):
    """Versions just below, at and above each fix (unfixed: the listed
    versions and one more), each with its tier name."""
    fx = fixes_of(entry)
    if fx:
        return [(t, f(x)) for x in fx for t, f in
                (("below", lambda x: below(kind, x)), ("at", lambda x: x), ("above", lambda x: above(kind, x)))]
    listed = entry.get("versions", [])[:3]
    base = listed[-1] if listed else "1.0-1"
    return [("listed", x) for x in listed] + [("unfixed", above(kind, base))]


OS_RELEASE = "ID=%s\nVERSION_ID=\"%s\"\n%s"


def os_release(os_id, version_id, extra=""):
    return OS_RELEASE % (os_id, version_id, extra)


def deb_root(root, os_id, version_id, ecos, extra_pkgs=()):
    """A dpkg status with a binary per (source, version) of the release."""
    pkgs, seen = [], set()
    for eco in ecos:
        for key, r, a in statements(eco, "deb"):
            bins = [b["binary_name"] for b in (a.get("ecosystem_specific") or {}).get("binaries", [])]
            for t, v in tiers("deb", a):
                if (key, v) in seen:
                    continue
                seen.add((key, v))
                name = "%s-v%d" % (bins[0] if bins else key, len(pkgs))
                pkgs.append({"name": name, "source": key, "version": v, "cmpversion": v, "tier": t})
    pkgs += list(extra_pkgs)
    write(os.path.join(root, "etc/os-release"), os_release(os_id, version_id))
    write(os.path.join(root, "var/lib/dpkg/status"), "".join(
        "Package: %s\nStatus: install ok installed\nVersion: %s\nSource: %s (%s)\n"
        "Architecture: amd64\n\n" % (p["name"], p["version"], p["source"], p["version"])
        for p in pkgs))
    return pkgs


def apk_root(root, os_id, version_id, ecos, extra_pkgs=()):
    pkgs, seen = [], set()
    for eco in ecos:
        for key, r, a in statements(eco, "apk"):
            for t, v in tiers("apk", a):
                if (key, v) not in seen:
                    seen.add((key, v))
                    pkgs.append({"name": "%s-v%d" % (key, len(pkgs)), "source": key, "version": v,
                                 "cmpversion": v, "tier": t})
    pkgs += list(extra_pkgs)
    write(os.path.join(root, "etc/os-release"), os_release(os_id, version_id))
    write(os.path.join(root, "lib/apk/db/installed"), "".join(
        "P:%s\nV:%s\no:%s\nA:x86_64\n\n" % (p["name"], p["version"], p["source"]) for p in pkgs))
    return pkgs


def split_evr(evr):
    e, _, vr = evr.rpartition(":")
    v, _, r = vr.rpartition("-")
    return (e or None), v, r


SPEC = """Name: %(name)s
%(epoch)sVersion: %(version)s
Release: %(release)s
%(label)sSummary: hull test package
License: MIT
%%description
test
%%package -n %(name)s-hullsub
Summary: a subpackage
%%description -n %(name)s-hullsub
sub
%%files
%%files -n %(name)s-hullsub
"""


def rpm_build(tmp, builds):
    """Builds one spec per (name, evr, label); returns {(name, evr, label): [rpm files]}."""
    top = os.path.join(tmp, "top")
    specs = []
    for i, (name, evr, label) in enumerate(builds):
        e, v, r = split_evr(evr)
        path = os.path.join(tmp, "specs", "p%d.spec" % i)
        write(path, SPEC % {"name": name, "version": v, "release": r,
                            "epoch": "Epoch: %s\n" % e if e else "",
                            "label": "ModularityLabel: %s\n" % label if label else ""})
        specs.append(path)
    out = {}
    for i, (s, b) in enumerate(zip(specs, builds)):
        d = os.path.join(top, str(i))
        r = subprocess.run(["rpmbuild", "--quiet", "--define", "_topdir " + d, "--define",
                            "_build_id_links none", "--define", "__spec_install_post %{nil}",
                            "--define", "debug_package %{nil}", "-bb", s],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError("rpmbuild %s: %s" % (b, r.stdout[-2000:]))
        out[b] = glob.glob(os.path.join(d, "RPMS", "*", "*.rpm"))
    return out


def rpm_root(root, os_id, version_id, rpms):
    write(os.path.join(root, "etc/os-release"),
          os_release(os_id, version_id, 'PLATFORM_ID="platform:el%s"\n' % version_id.split(".")[0]))
    dbpath = os.path.join(root, "var/lib/rpm")
    os.makedirs(dbpath, exist_ok=True)
    subprocess.run(["rpm", "--initdb", "--dbpath", dbpath], check=True)
    subprocess.run(["rpm", "-i", "--justdb", "--nodeps", "--noscripts", "--notriggers",
                    "--ignorearch", "--ignoreos", "--dbpath", dbpath] + rpms, check=True,
                   stderr=subprocess.DEVNULL)


# ---- comparing ----------------------------------------------------------------------------

def distro_database(extra=()):
    """The database of the distro records (plus extra feed files), built once
    per build directory and input list."""
    d = os.path.join(BUILD or "/tmp", "vuln-distros")
    os.makedirs(d, exist_ok=True)
    inputs = [DATA] + list(extra)
    tag = hashlib.sha256("\n".join(inputs).encode()).hexdigest()[:12]
    db = os.path.join(d, "db-%s.sqlite" % tag) if extra else os.path.join(d, "db.sqlite")
    with open(os.path.join(d, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not extra and os.path.exists(db) and os.path.getmtime(db) >= os.path.getmtime(HULL):
            return db
        r = subprocess.run([HULL, "db", "build", "--db", db, "--from"] + inputs,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            print("not ok 1 - hull db build failed (%d)" % r.returncode)
            Tap().diag(r.stderr)
            print("1..1")
            sys.exit(1)
    return db


def findings_by_pkg(doc):
    out = {}
    for f in vuln_findings(doc):
        p = f["package"]
        out.setdefault((p["name"], p["version"]), []).append(
            (f["id"], set(f.get("aliases") or []), p.get("fixedVersion"), status_name(p.get("status"))))
    return out


def compare(tap, what, want, doc, pkgs):
    """Rule 4 on every package; returns the number of findings checked."""
    got = findings_by_pkg(doc)
    bad = []
    n = 0
    for p in pkgs:
        k = (p["name"], p["version"])
        gs, fs = want.get(k, []), list(got.get(k, []))
        if len(gs) != len(fs):
            bad.append("%s %s (%s): %d groups %s, %d findings %s" % (
                k[0], k[1], p.get("tier"), len(gs), [[r["id"] for r in g] for g, _ in gs],
                len(fs), [f[0] for f in fs]))
            continue
        for g, fixes in gs:
            ids = set().union(*[rec_ids(r) for r in g])
            need = {r["id"] for r in g}
            hit = [f for f in fs if need <= ({f[0]} | f[1]) and f[0] in ids]
            if len(hit) != 1:
                bad.append("%s %s: no single finding for %s (findings %s)" % (
                    k[0], k[1], sorted(need), [(f[0], sorted(f[1])) for f in fs]))
                continue
            f = hit[0]
            fs.remove(f)
            n += 1
            if f[2] not in fixes or (f[3] == "fixed") != (f[2] is not None):
                bad.append("%s %s %s: fixed %s status %s, want one of %s" % (
                    k[0], k[1], f[0], f[2], f[3], sorted(fixes, key=str)))
    extra = [k for k in got if k not in {(p["name"], p["version"]) for p in pkgs}]
    if extra:
        bad.append("findings for packages not installed: %s" % extra)
    tiers_hit = {}
    for p in pkgs:
        hit = bool(want.get((p["name"], p["version"])))
        tiers_hit.setdefault(p.get("tier"), [0, 0])[0 if hit else 1] += 1
    tap.ok(not bad, "%s: %d packages, %d findings as the reference says (affected/not per tier: %s)" % (
        what, len(pkgs), n, ", ".join("%s %d/%d" % (t, a, b) for t, (a, b) in sorted(tiers_hit.items(), key=str))),
        bad[:40])
    return n


def no_warning(tap, what, doc):
    w = [str(x) for x in doc.get("warnings", []) if "feed" in str(x) or "unsupported" in str(x)]
    tap.ok(not w, "%s: no 'no feed' warning" % what, w)


def scan_root(tap, root, db, tmp):
    rc, doc, err = scan(tap, "rootfs", root, db, tmp)
    tap.ok(rc in (0, 1), "hull rootfs %s: exit %d" % (os.path.basename(root), rc), [err])
    return doc


# ---- cases --------------------------------------------------------------------------------

def releases_of(prefix):
    ecos = set()
    for r in records():
        for a in r["affected"]:
            e = (a.get("package") or {}).get("ecosystem", "")
            if e.startswith(prefix):
                ecos.add(e)
    return sorted(ecos)


def case_ubuntu_esm(tap, tmp):
    """The Pro rule on records written here (the real ones never state one
    source package in both namespaces of a release): Ubuntu 16.04's own
    namespace says hello is unfixed, Pro's that 1.0-1ubuntu0.1+esm1 fixed
    it. The ESM build is judged by Pro alone (not affected), the others by
    both (affected)."""
    recs = [{"id": "UBUNTU-CVE-2099-0010", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-0010"],
             "affected": [
                 {"package": {"ecosystem": "Ubuntu:16.04:LTS", "name": "hello"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
                 {"package": {"ecosystem": "Ubuntu:Pro:16.04:LTS", "name": "hello"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                              {"fixed": "1.0-1ubuntu0.1+esm1"}]}]}]}]
    for r in recs:
        write(os.path.join(tmp, "feeds", r["id"] + ".json"), json.dumps(r))
    EXTRA_RECORDS.extend(recs)
    db = distro_database([os.path.join(tmp, "feeds")])
    ecos = ecosystems("ubuntu", "16.04")
    root = os.path.join(tmp, "ubuntu-esm")
    pkgs = [p for p in deb_root(root, "ubuntu", "16.04", ecos) if p["source"] == "hello"]
    write(os.path.join(root, "var/lib/dpkg/status"), "".join(
        "Package: %s\nStatus: install ok installed\nVersion: %s\nSource: %s (%s)\n"
        "Architecture: amd64\n\n" % (p["name"], p["version"], p["source"], p["version"]) for p in pkgs))
    want = reference(pkgs, ecos, "deb")
    doc = scan_root(tap, root, db, tmp)
    compare(tap, "Ubuntu 16.04 with an ESM build", want, doc, pkgs)
    esm = [p for p in pkgs if "esm" in p["version"] and not want.get((p["name"], p["version"]))]
    tap.ok(len(esm) >= 2, "the ESM builds at and above the Pro fix are not affected (%s)"
           % [p["version"] for p in esm])


def case_ubuntu(tap, tmp):
    db = distro_database()
    versions = sorted({re.search(r"(\d+\.\d+)", e).group(1) for e in releases_of("Ubuntu:")})
    total = 0
    for vid in versions:
        ecos = ecosystems("ubuntu", vid)
        root = os.path.join(tmp, "ubuntu-" + vid)
        pkgs = deb_root(root, "ubuntu", vid, ecos)
        want = reference(pkgs, ecos, "deb")
        doc = scan_root(tap, root, db, tmp)
        total += compare(tap, "Ubuntu %s (%s)" % (vid, ", ".join(ecos)), want, doc, pkgs)
        no_warning(tap, "Ubuntu " + vid, doc)
    tap.ok(total > 20, "Ubuntu: %d findings in all" % total)


def rpm_case(tap, tmp, os_id, prefix, db=None, version_of=None):
    """Every release of the records whose ecosystem starts with prefix;
    version_of(eco) gives the os-release VERSION_ID (default: "<N>.4")."""
    db = db or distro_database()
    for eco in releases_of(prefix):
        major = re.sub(r"[^0-9.a-z]+", "-", eco.split(":")[1].lower())
        vid = version_of(eco) if version_of else major + ".4"
        stmts = statements(eco, "rpm")
        builds = set()
        per_tier = {}
        for key, r, a in stmts:
            name = key.split("::")[-1]
            st = key.split("::")[0] if "::" in key else None
            label = "%s:8090020240101000000:deadbeef" % st if st else None
            for t, v in tiers("rpm", a):
                per_tier.setdefault(t, set()).add((name, v, label))
                if st and t == "below":
                    # controls: the same version from another stream, and
                    # outside any module: not this advisory's
                    per_tier.setdefault("other-stream", set()).add(
                        (name, v, "%s:0.0-other:8090020240101000000:deadbeef" % st.split(":")[0]))
                    per_tier.setdefault("no-module", set()).add((name, v, None))
        for s in per_tier.values():
            builds |= s
        built = rpm_build(os.path.join(tmp, "build-" + major), sorted(builds, key=str))
        events = {x for _, _, e in stmts for rg in e.get("ranges", []) for ev in rg["events"]
                  for x in ev.values() if x != "0"}
        rpm_prime([(v, x) for _, v, _ in builds for x in events] + [(x, y) for x in events for y in events])
        n = 0
        for t, items in sorted(per_tier.items()):
            root = os.path.join(tmp, "%s-%s-%s" % (os_id, major, t))
            rpm_root(root, os_id, vid, [f for b in sorted(items, key=str) for f in built[b]])
            pkgs = []
            for name, v, label in sorted(items, key=str):
                e, ver, rel = split_evr(v)
                shown = "%s:%s-%s" % (e, ver, rel) if e else "%s-%s" % (ver, rel)
                for bin_name in (name, name + "-hullsub"):
                    pkgs.append({"name": bin_name, "source": name, "version": shown,
                                 "cmpversion": v, "label": label, "tier": t})
            want = reference(pkgs, [eco], "rpm")
            doc = scan_root(tap, root, db, tmp)
            n += compare(tap, "%s %s, %s" % (eco, t, os.path.basename(root)), want, doc, pkgs)
            no_warning(tap, "%s %s" % (eco, t), doc)
        tap.ok(n > 0, "%s: %d findings" % (eco, n))


# SUSE publishes binary package names per product and module; no record of
# theirs is in ../shared/data, so these are written here in their shape.
SUSE_RECORDS = [
    {"id": "SUSE-SU-2099:0001-1", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-0101"],
     "summary": "Security update for openssl-3", "affected": [
         {"package": {"ecosystem": "SUSE:Linux Enterprise Server 15 SP5", "name": name},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.8-150500.5.8.1"}]}]}
         for name in ("libopenssl3", "openssl-3")]},
    {"id": "SUSE-SU-2099:0002-1", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-0102"],
     "summary": "Security update for libxml2", "affected": [
         {"package": {"ecosystem": "SUSE:Linux Enterprise Module for Basesystem 15 SP5", "name": "libxml2-2"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.3-150500.5.5.1"}]}]}]},
    {"id": "openSUSE-SU-2099:0003-1", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-0103"],
     "summary": "Security update for curl", "affected": [
         {"package": {"ecosystem": "openSUSE:Leap 15.5", "name": "libcurl4"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.0.1-150400.5.23.1"}]}]}]},
]


def case_suse(tap, tmp):
    for r in SUSE_RECORDS:
        write(os.path.join(tmp, "feeds", r["id"] + ".json"), json.dumps(r))
    EXTRA_RECORDS.extend(SUSE_RECORDS)
    db = distro_database([os.path.join(tmp, "feeds")])
    rpm_case(tap, tmp, "sles", "SUSE:", db, lambda eco: "15.5")
    rpm_case(tap, tmp, "opensuse-leap", "openSUSE:", db, lambda eco: eco.split(" ")[-1])


def case_apk(tap, tmp, os_id, version_id, ecos, db):
    root = os.path.join(tmp, "%s-%s" % (os_id, version_id))
    pkgs = apk_root(root, os_id, version_id, ecos)
    want = reference(pkgs, ecos, "apk")
    doc = scan_root(tap, root, db, tmp)
    return compare(tap, "%s %s" % (os_id, version_id), want, doc, pkgs)


def secdb_vendor(doc, eco):
    """{(ecosystem, origin, id): (affected(v, cmp), fixed)} of a secdb
    document: "0" is not affected, else the greatest fixed version of the
    id wins (apk order)."""
    fixes = {}
    for e in doc.get("packages", []):
        p = e["pkg"]
        for ver, ids in (p.get("secfixes") or {}).items():
            for i in ids or []:
                i = i.split()[0]
                fixes.setdefault((eco, p["name"], i), []).append(ver)
    out = {}
    for k, vers in fixes.items():
        real = [v for v in vers if v != "0"]
        best = None
        for v in real:
            if best is None or apkver.compare(v, best) > 0:
                best = v
        if best is None:
            out[k] = (lambda v, cmp: False, None)
        else:
            out[k] = (lambda v, cmp, b=best: cmp(v, b) < 0, best)
    return out


def vendor_pkgs(vendor, kind):
    """Installed packages just below, at and above every vendor fix."""
    pkgs, seen = [], set()
    for (eco, key, i), (aff, fixed) in sorted(vendor.items(), key=str):
        vs = [("below", below(kind, fixed)), ("at", fixed), ("above", above(kind, fixed))] if fixed \
            else [("not-affected", "0.1-r0" if kind == "apk" else "0.1-1")]
        for t, v in vs:
            if (key, v) not in seen:
                seen.add((key, v))
                pkgs.append({"name": "%s-v%d" % (key, len(pkgs)), "source": key, "version": v,
                             "cmpversion": v, "tier": t})
    return pkgs


def write_apk(root, os_id, version_id, pkgs):
    write(os.path.join(root, "etc/os-release"), os_release(os_id, version_id))
    write(os.path.join(root, "lib/apk/db/installed"), "".join(
        "P:%s\nV:%s\no:%s\nA:x86_64\n\n" % (p["name"], p["version"], p["source"]) for p in pkgs))


def case_wolfi(tap, tmp):
    """The Wolfi secdb; then the same records as a Chainguard secdb (its
    urlprefix packages.cgr.dev, written here) on a Chainguard root: the
    same findings, and none for Chainguard from the Wolfi feed alone."""
    doc = json.load(open(os.path.join(DATA, "wolfi-secdb/security.json")))
    cg = dict(doc, urlprefix="https://packages.cgr.dev", reponame="chainguard")
    cg_path = os.path.join(tmp, "chainguard-security.json")
    write(cg_path, json.dumps(cg))
    for os_id, eco, db in [("wolfi", "Wolfi", distro_database()),
                           ("chainguard", "Chainguard", distro_database([cg_path]))]:
        vendor = secdb_vendor(doc, eco)
        pkgs = vendor_pkgs(vendor, "apk")
        root = os.path.join(tmp, os_id)
        write_apk(root, os_id, "20230201", pkgs)
        want = reference(pkgs, [eco], "apk", vendor)
        doc2 = scan_root(tap, root, db, tmp)
        n = compare(tap, "%s secdb" % eco, want, doc2, pkgs)
        no_warning(tap, eco, doc2)
        tap.ok(n > 50, "%s: %d findings" % (eco, n))
    rc, out, err = hull(["rootfs", "--db", distro_database(), "--format", "json", "--exit-on-unsupported",
                         os.path.join(tmp, "chainguard")], tmp)
    tap.ok(rc == 3 and "no feed for chainguard" in out, "Chainguard without its feed: exit 3, 'no feed for chainguard'")


def case_debian_osv(tap, tmp):
    db = distro_database()
    for eco in releases_of("Debian:"):
        vid = eco.split(":")[1]
        root = os.path.join(tmp, "debian-" + vid)
        pkgs = deb_root(root, "debian", vid, [eco])
        want = reference(pkgs, [eco], "deb")
        doc = scan_root(tap, root, db, tmp)
        n = compare(tap, "Debian OSV %s" % eco, want, doc, pkgs)
        no_warning(tap, eco, doc)
        tap.ok(n > 0, "%s: %d findings" % (eco, n))


def case_alpine_osv(tap, tmp):
    db = distro_database()
    n = 0
    for eco in releases_of("Alpine:"):
        vid = eco.split(":v")[1] + ".1"
        n += case_apk(tap, tmp, "alpine", vid, [eco], db)
    tap.ok(n > 0, "Alpine OSV: %d findings" % n)


# The vendor-first cases add a hand-made vendor statement to the records
# (written here, in the vendor's own format) that disagrees with OSV.
TRACKER = {"gnutls26": {"CVE-2014-3466": {"releases": {"squeeze": {
    "status": "resolved", "fixed_version": "2.8.6-1+squeeze5", "urgency": "high",
    "repositories": {"squeeze": "2.8.6-1+squeeze5"}}}}}}
SECDB = {"distroversion": "v3.20", "reponame": "main", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
         "apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
         "packages": [{"pkg": {"name": "openvpn", "secfixes": {"2.6.8-r0": ["CVE-2023-46850"]}}}]}


def vendor_case(tap, tmp, kind, feed, vendor, os_id, vid, eco):
    path = os.path.join(tmp, "vendor.json")
    write(path, json.dumps(feed))
    db = distro_database([path])
    root = os.path.join(tmp, "root")
    keys = {k for (_, k, _) in vendor}
    osv = [(k, r, a) for k, r, a in statements(eco, kind) if k in keys]
    pkgs = []
    for k, r, a in osv:
        for t, v in tiers(kind, a):
            pkgs.append({"name": "%s-v%d" % (k, len(pkgs)), "source": k, "version": v, "cmpversion": v, "tier": "osv-" + t})
    for p in vendor_pkgs(vendor, kind):
        p["name"] = "%s-v%d" % (p["source"], len(pkgs))
        pkgs.append(p)
    if kind == "deb":
        write(os.path.join(root, "etc/os-release"), os_release(os_id, vid))
        write(os.path.join(root, "var/lib/dpkg/status"), "".join(
            "Package: %s\nStatus: install ok installed\nVersion: %s\nSource: %s (%s)\n"
            "Architecture: amd64\n\n" % (p["name"], p["version"], p["source"], p["version"]) for p in pkgs))
    else:
        write_apk(root, os_id, vid, pkgs)
    want = reference(pkgs, [eco], kind, vendor)
    doc = scan_root(tap, root, db, tmp)
    n = compare(tap, "%s with a vendor statement that disagrees with OSV" % eco, want, doc, pkgs)
    # the vendor's fix is reported, never OSV's, and each CVE once
    fixes = {f["package"]["fixedVersion"] for f in vuln_findings(doc)}
    vfix = {fx for (_, _, _), (_, fx) in vendor.items()}
    tap.ok(n > 0 and fixes <= vfix, "%s: findings carry the vendor's fixed version only (%s)" % (eco, sorted(fixes, key=str)))


def case_vendor_first_debian(tap, tmp):
    vendor = {("Debian:6.0", "gnutls26", "CVE-2014-3466"):
              (lambda v, cmp: cmp(v, "2.8.6-1+squeeze5") < 0, "2.8.6-1+squeeze5")}
    vendor_case(tap, tmp, "deb", TRACKER, vendor, "debian", "6.0.10", "Debian:6.0")


def case_vendor_first_alpine(tap, tmp):
    vendor = secdb_vendor(SECDB, "Alpine:v3.20")
    vendor_case(tap, tmp, "apk", SECDB, vendor, "alpine", "3.20.3", "Alpine:v3.20")


def case_unsupported(tap, tmp):
    """Distributions without a feed here: a warning and exit 3 with
    --exit-on-unsupported, never a clean report."""
    db = distro_database()
    bash_rpm = rpm_build(os.path.join(tmp, "b"), [("bash", "4.2.46-34.el7", None)])[("bash", "4.2.46-34.el7", None)]
    for os_id, vid, what in [("centos", "7", "hull has no vulnerability feed for centos 7"),
                             ("amzn", "2", "hull has no vulnerability feed for amzn 2"),
                             ("ol", "9.4", "hull has no vulnerability feed for ol 9.4"),
                             ("rhel", "8.10", "no feed for redhat:8"),
                             ("ubuntu", "12.04", "no feed for ubuntu:12.04:lts")]:
        root = os.path.join(tmp, os_id + vid)
        write(os.path.join(root, "etc/os-release"), os_release(os_id, vid))
        if os_id == "ubuntu":
            write(os.path.join(root, "var/lib/dpkg/status"),
                  "Package: tpp\nStatus: install ok installed\nVersion: 1.3.1-1\nArchitecture: all\n\n")
        else:
            rpm_root(root, os_id, vid, bash_rpm)
        rc, out, err = hull(["rootfs", "--db", db, "--format", "json", "--exit-on-unsupported", root], tmp)
        doc = json.loads(out) if out.startswith("{") else {}
        warns = " | ".join(str(w) for w in doc.get("warnings", []))
        tap.ok(rc == 3, "%s %s: --exit-on-unsupported exits 3 (got %d)" % (os_id, vid, rc), [err])
        tap.ok(what in warns and not vuln_findings(doc), "%s %s: warned '%s', no findings" % (os_id, vid, what), [warns])


def case_detect(tap, tmp):
    """Detection without an os-release: etc/redhat-release names Rocky
    Linux 8; a distroless Debian (status.d, no dpkg status); Ubuntu found
    through usr/lib/os-release."""
    db = distro_database()
    root = os.path.join(tmp, "rocky-release")
    rpms = rpm_build(os.path.join(tmp, "b"), [("firefox", "0:102.10.0-1.el8_7", None)])
    rpm_root(root, "rocky", "8.7", rpms[("firefox", "0:102.10.0-1.el8_7", None)])
    os.unlink(os.path.join(root, "etc/os-release"))
    write(os.path.join(root, "etc/redhat-release"), "Rocky Linux release 8.7 (Green Obsidian)\n")
    rc, doc, err = scan(tap, "rootfs", root, db, tmp)
    ids = sorted(f["id"] for f in vuln_findings(doc))
    tap.ok(doc["target"].get("os") == "rocky 8.7" and ids == ["RLSA-2023:3220"] * 2,
           "etc/redhat-release alone: rocky 8.7, firefox and its subpackage affected by RLSA-2023:3220 (%s, %s)"
           % (doc["target"].get("os"), ids))
    root = os.path.join(tmp, "distroless")
    write(os.path.join(root, "etc/os-release"), 'PRETTY_NAME="Distroless"\nID=debian\nVERSION_ID="6.0"\n')
    write(os.path.join(root, "var/lib/dpkg/status.d/libgnutls26"),
          "Package: libgnutls26\nVersion: 2.8.6-1+squeeze3\nSource: gnutls26\nArchitecture: amd64\n")
    rc, doc, err = scan(tap, "rootfs", root, db, tmp)
    got = [(f["id"], f["package"]["name"], f["package"]["fixedVersion"]) for f in vuln_findings(doc)]
    tap.ok(got == [("DLA-0001-1", "libgnutls26", "2.8.6-1+squeeze4")],
           "distroless (status.d): libgnutls26 matched by its source gnutls26 in Debian:6.0 (%s)" % got)
    root = os.path.join(tmp, "ubuntu-usr")
    write(os.path.join(root, "usr/lib/os-release"), 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n')
    write(os.path.join(root, "var/lib/dpkg/status"),
          "Package: libwayland-client0\nStatus: install ok installed\nVersion: 1.20.0-1\nSource: wayland\n"
          "Architecture: amd64\n\n")
    rc, doc, err = scan(tap, "rootfs", root, db, tmp)
    got = [(f["id"], f["package"]["fixedVersion"]) for f in vuln_findings(doc)]
    tap.ok(got == [("CVE-2021-3782", "1.20.0-1ubuntu0.1")],
           "Ubuntu 22.04 from usr/lib/os-release: wayland CVE-2021-3782 once, fixed in 1.20.0-1ubuntu0.1 (%s)" % got)


# ---- Red Hat CSAF -------------------------------------------------------------------

def csaf_statements(doc):
    """{("Red Hat:<major>", rpm name, cve): [(status, evr, reason)]} of one
    CSAF document, read here: each status's product id through the
    relationships to a platform whose CPE is RHEL's main line
    (cpe:/[ao]:redhat:enterprise_linux:<major>) and a component's purl."""
    prods = {}

    def walk(branches):
        for br in branches or []:
            if "product" in br:
                pr = br["product"]
                prods[pr["product_id"]] = pr.get("product_identification_helper", {})
            walk(br.get("branches"))
    walk(doc["product_tree"].get("branches"))
    rels = {r["full_product_name"]["product_id"]: r for r in doc["product_tree"].get("relationships", [])}
    out = {}
    for v in doc["vulnerabilities"]:
        cve = v["cve"]
        reasons = {}
        for rem in v.get("remediations", []):
            for pid in rem.get("product_ids", []):
                reasons[pid] = (rem["category"], rem.get("details"))
        for status, pids in v.get("product_status", {}).items():
            for pid in pids:
                comp, plat = rels[pid]["product_reference"], rels[pid]["relates_to_product_reference"]
                m = re.match(r"cpe:/[ao]:redhat:enterprise_linux:(\d+)(:|$)", prods[plat].get("cpe", ""))
                purl = prods[comp].get("purl", "")
                pm = re.match(r"pkg:rpm/redhat/([^@?]+)(?:@([^?]+))?", purl)
                if not m or not pm:
                    continue
                evr = pm.group(2).replace("%2B", "+") if pm.group(2) else None
                epoch = re.search(r"[?&]epoch=(\d+)", purl)
                if evr and epoch and epoch.group(1) != "0":
                    evr = epoch.group(1) + ":" + evr
                out.setdefault(("Red Hat:" + m.group(1), pm.group(1), cve), []).append(
                    (status, evr, reasons.get(pid)))
    return out


def csaf_fix_points(docs):
    out = {}
    for d in docs:
        for (e, name, cve), l in csaf_statements(d).items():
            out.setdefault(name, []).extend(evr for st, evr, _ in l if st == "fixed")
    return out


def csaf_vendor(docs):
    """Combined as hull documents it: a statement without a fix beats any
    fix, the greatest fix (rpm order) beats smaller ones and "not
    affected". {key: (affected(v, cmp), fixed, status)}."""
    stm = {}
    for d in docs:
        for k, l in csaf_statements(d).items():
            stm.setdefault(k, []).extend(l)
    out = {}
    for k, l in stm.items():
        unfixed = [x for x in l if x[0] in ("known_affected", "under_investigation")]
        fixes = [x[1] for x in l if x[0] == "fixed"]
        if unfixed:
            cat, det = unfixed[0][2] or (None, None)
            why = {"Will not fix": "will_not_fix", "Fix deferred": "fix_deferred",
                   "Out of support scope": "end_of_life"}.get(det, "affected")
            if cat == "no_fix_planned":
                why = "will_not_fix"
            out[k] = (lambda v, cmp: True, None, why)
        elif fixes:
            best = fixes[0]
            for f in fixes[1:]:
                if rpm_cmp(f, best) > 0:
                    best = f
            out[k] = (lambda v, cmp, b=best: cmp(v, b) < 0, best, "fixed")
        else:
            out[k] = (lambda v, cmp: False, None, "not_affected")
    return out


def rpm_tier_roots(tap, tmp, os_id, vid, eco, vendor, db, points):
    """Roots of rpm packages just below, at and above every fix any
    statement names (points: {name: [fixed versions]}), and one version
    of each unfixed package (one root per version), checked against the
    reference."""
    items = []
    for name, fixes in sorted(points.items()):
        for fixed in sorted(set(fixes)):
            items += [(t, name, v) for t, v in (("below", below("rpm", fixed)), ("at", fixed),
                                                ("above", above("rpm", fixed)))]
    for (e, name, cve), (aff, fixed, why) in sorted(vendor.items(), key=str):
        if not fixed:
            items.append((why, name, "1.0-1.el" + vid.split(".")[0]))
    builds = sorted({(name, v, None) for _, name, v in items}, key=str)
    built = rpm_build(os.path.join(tmp, "build-vendor"), builds)
    n = 0
    for i, (t, name, v) in enumerate(sorted(set(items), key=str)):
        root = os.path.join(tmp, "%s-%d" % (os_id, i))
        rpm_root(root, os_id, vid, built[(name, v, None)])
        pkgs = [{"name": b, "source": name, "version": v, "cmpversion": v, "tier": t, "label": None}
                for b in (name, name + "-hullsub")]
        want = reference(pkgs, [eco], "rpm", {k: (a, f) for k, (a, f, w) in vendor.items()})
        doc = scan_root(tap, root, db, tmp)
        n += compare(tap, "%s %s %s (%s)" % (eco, name, v, t), want, doc, pkgs)
        # the status the vendor gives, on every finding
        sts = {status_name(f["package"].get("status")) for f in vuln_findings(doc)}
        whys = {w for (e, nm, c), (a, f, w) in vendor.items() if nm == name and a(v, rpm_cmp)}
        tap.ok(sts == whys, "%s %s %s: status %s (reference %s)" % (eco, name, v, sorted(sts), sorted(whys)))
    return n


def case_redhat_csaf(tap, tmp):
    """The two real RHSA CSAF advisories (the same CVE fixed in RHEL 9.4
    EUS and in 9.5): on RHEL 9 the greater fix decides."""
    db = distro_database()
    docs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(DATA, "rhel-csaf/*.json")))]
    vendor = csaf_vendor(docs)
    tap.ok(len(vendor) == 1, "the reference reads %d (release, package, CVE) statements: %s"
           % (len(vendor), sorted((k, v[1]) for k, v in vendor.items())))
    n = rpm_tier_roots(tap, tmp, "rhel", "9.4", "Red Hat:9", vendor, db, csaf_fix_points(docs))
    tap.ok(n > 0, "Red Hat CSAF: %d findings" % n)


# A VEX file in Red Hat's shape, written here: one CVE, RHEL 9's python3.9
# affected without a fix ("Will not fix"), python3.11 not affected,
# python3.12 under investigation, openssl fixed; and an OSV record of Red
# Hat's main line that says python3.11 is affected (the vendor's VEX wins).
def vex_doc():
    comps = {"python3.9": None, "python3.11": None, "python3.12": None,
             "openssl-1:3.0.7-27.el9.src": "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src&epoch=1"}
    branches = [{"category": "product_name", "name": "Red Hat Enterprise Linux 9",
                 "product": {"name": "Red Hat Enterprise Linux 9", "product_id": "red_hat_enterprise_linux_9",
                             "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:9"}}}]
    for c, purl in comps.items():
        branches.append({"category": "product_version", "name": c, "product": {
            "name": c, "product_id": c,
            "product_identification_helper": {"purl": purl or "pkg:rpm/redhat/%s?arch=src" % c}}})
    rels = [{"category": "default_component_of", "product_reference": c,
             "relates_to_product_reference": "red_hat_enterprise_linux_9",
             "full_product_name": {"name": c, "product_id": "red_hat_enterprise_linux_9:" + c}} for c in comps]
    pid = lambda c: "red_hat_enterprise_linux_9:" + c  # noqa: E731
    return {"document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "CVE-2099-0001",
                         "tracking": {"id": "CVE-2099-0001", "current_release_date": "2099-01-01T00:00:00+00:00"}},
            "product_tree": {"branches": [{"category": "vendor", "name": "Red Hat", "branches": branches}],
                             "relationships": rels},
            "vulnerabilities": [{
                "cve": "CVE-2099-0001", "title": "a made-up flaw",
                "product_status": {"known_affected": [pid("python3.9")],
                                   "known_not_affected": [pid("python3.11")],
                                   "under_investigation": [pid("python3.12")],
                                   "fixed": [pid("openssl-1:3.0.7-27.el9.src")]},
                "remediations": [{"category": "none_available", "details": "Will not fix",
                                  "product_ids": [pid("python3.9")]},
                                 {"category": "vendor_fix", "url": "https://access.redhat.com/errata/RHSA-2099:0001",
                                  "product_ids": [pid("openssl-1:3.0.7-27.el9.src")]}],
                "threats": [{"category": "impact", "details": "Important"}]}]}


VEX_OSV = {"id": "RHSA-2099:0002", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-0001"],
           "summary": "Important: python3.11 security update",
           "affected": [{"package": {"ecosystem": "Red Hat:enterprise_linux:9::appstream", "name": "python3.11"},
                         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9:9.9-9.el9"}]}]}]}


def case_redhat_vex(tap, tmp):
    vex = vex_doc()
    write(os.path.join(tmp, "feeds/vex.json"), json.dumps(vex))
    write(os.path.join(tmp, "feeds/osv.json"), json.dumps(VEX_OSV))
    db = distro_database([os.path.join(tmp, "feeds")])
    docs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(DATA, "rhel-csaf/*.json")))] + [vex]
    vendor = csaf_vendor(docs)
    tap.ok(sorted((k[1], k[2], v[2]) for k, v in vendor.items()) ==
           [("openssl", "CVE-2099-0001", "fixed"), ("python3.11", "CVE-2099-0001", "not_affected"),
            ("python3.12", "CVE-2099-0001", "affected"), ("python3.9", "CVE-2024-8088", "fixed"),
            ("python3.9", "CVE-2099-0001", "will_not_fix")], "the reference reads the VEX statuses")
    n = rpm_tier_roots(tap, tmp, "rhel", "9.4", "Red Hat:9", vendor, db, csaf_fix_points([vex]))
    tap.ok(n >= 4, "Red Hat VEX: %d findings (python3.11 none: the VEX overrules OSV)" % n)


# ---- end of life -------------------------------------------------------------------

# (os-release ID, VERSION_ID, a package that says ESM or not, the eol row the
# reference expects to apply: its own mapping of releases to rows)
EOL_ROOTS = [
    ("ubuntu", "16.04", False, "ubuntu:16.04:lts"),
    ("ubuntu", "16.04", True, "ubuntu:pro:16.04:lts"),
    ("ubuntu", "22.04", False, "ubuntu:22.04:lts"),
    ("ubuntu", "24.04", True, "ubuntu:pro:24.04:lts"),
    ("ubuntu", "25.10", False, "ubuntu:25.10"),
    ("debian", "10", False, "debian:10"),
    ("debian", "12", False, "debian:12"),
    ("alpine", "3.14.2", False, "alpine:v3.14"),
    ("alpine", "3.22.1", False, "alpine:v3.22"),
    ("rhel", "9.4", False, "redhat:9"),
    ("rhel", "7.9", False, "redhat:7"),
    ("rocky", "8.10", False, "rocky-linux:8"),
    ("almalinux", "9.4", False, "almalinux:9"),
    ("centos", "7", False, "centos:7"),
    ("amzn", "2", False, "amzn:2"),
    ("sles", "15.5", False, "suse:linux-enterprise-server-15-sp5"),
    ("opensuse-leap", "15.6", False, "opensuse:leap-15.6"),
    ("wolfi", "20230201", False, None),
    ("fedora", "40", False, None),
]


def case_eol(tap, tmp):
    """A release past the end of its vendor's security support is one
    finding (HULL-EOSL, end_of_life, the date and the vendor's page from
    the database's eol table); before it, none. The reference picks the
    row itself and compares the date with today."""
    import datetime
    import sqlite3
    db = distro_database()
    rows = {r[0]: (r[1], r[2]) for r in sqlite3.connect("file:%s?mode=ro" % db, uri=True).execute(
        "SELECT ns, date, source FROM eol")}
    info = json.loads(hull(["db", "info", "--db", db, "--format", "json"], tmp)[1])
    tap.ok({e["ns"]: (e["date"], e["source"]) for e in info["eol"]} == rows and len(rows) > 50,
           "hull db info lists the eol table (%d rows)" % len(rows))
    bad = [ns for ns, (d, src) in rows.items()
           if not re.match(r"^\d{4}-\d{2}-\d{2}$", d) or not src.startswith("https://")]
    tap.ok(not bad, "every eol row has a date and the https page of its vendor", bad)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    past = 0
    for os_id, vid, esm, ns in EOL_ROOTS:
        root = os.path.join(tmp, "eol-%s-%s-%d" % (os_id, vid, esm))
        write(os.path.join(root, "etc/os-release"), os_release(os_id, vid))
        if os_id in ("ubuntu", "debian"):
            v = "1.0-1ubuntu0.1+esm1" if esm else "1.0-1"
            write(os.path.join(root, "var/lib/dpkg/status"),
                  "Package: hello\nStatus: install ok installed\nVersion: %s\nArchitecture: amd64\n\n" % v)
        rc, doc, err = scan(tap, "rootfs", root, db, tmp)
        got = eosl_findings(doc)
        want = ns is not None and ns in rows and datetime.date.fromisoformat(rows[ns][0]) < today
        what = "%s %s%s" % (os_id, vid, " (ESM packages)" if esm else "")
        if not want:
            tap.ok(not got, "%s: no end-of-life finding (%s)" % (what, "row %s: %s" % (ns, rows[ns][0]) if ns in rows else "no row"),
                   [json.dumps(got)])
            continue
        past += 1
        date, src = rows[ns]
        f = got[0] if len(got) == 1 else {}
        p = f.get("package") or {}
        tap.ok(len(got) == 1 and f.get("primaryUrl") == src and date in f.get("title", "") and
               status_name(p.get("status")) == "end_of_life" and p.get("type") == "os" and
               p.get("sourceName") == ns and p.get("name") == os_id and f.get("severity") == "HIGH",
               "%s: past %s (%s): one HULL-EOSL finding naming the date and %s" % (what, date, ns, src),
               [json.dumps(got)])
    tap.ok(past >= 5, "%d of the releases are past their end of life today" % past)
    # --ignore-status end_of_life drops it
    root = os.path.join(tmp, "eol-debian-10-0")
    rc, doc, err = scan(tap, "rootfs", root, db, tmp, ["--ignore-status", "end_of_life"])
    tap.ok(not eosl_findings(doc), "--ignore-status end_of_life drops the end-of-life finding")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1]
    if not HULL or not os.access(HULL, os.X_OK):
        skip_missing("HULL_BIN not set (run through meson test)")
    if not os.path.isdir(DATA):
        skip_missing(DATA + " missing")
    tap = Tap()
    with Tmp() as tmp:
        if case == "ubuntu":
            case_ubuntu(tap, tmp)
        elif case in ("almalinux", "rocky"):
            if not shutil.which("rpmbuild"):
                skip_missing("rpmbuild not installed (apt-get install rpm)")
            rpm_case(tap, tmp, case, {"almalinux": "AlmaLinux:", "rocky": "Rocky Linux:"}[case])
        else:
            globals()["case_" + case.replace("-", "_")](tap, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
