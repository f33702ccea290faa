#!/usr/bin/env python3
"""Debian matching on real data, against a reference computed here.

Usage: debian.py CASE (--list prints the cases). Prints TAP.

Inventory: the rootfs of the debootstrap images (scripts/test-images.sh), or
a temporary COPY of its var/lib/dpkg/status and etc/os-release where a few
source packages are set back to older versions (Version: and the Source:
line's version changed together). The reference reads that status with
`dpkg-query --admindir` (dpkg's own notion of the source package and source
version) and never looks at hull's inventory.

Feeds: the DSA and DLA lists (security-tracker-2023-04 and the vunnel
excerpt) and the tracker JSON excerpt, parsed here from their native text.

Rules mirrored (hull's documented matching, src/match/match.h and
src/vulndb/debian.c), each one implemented independently here:
 1. A binary package is looked up by its SOURCE package and compared by its
    SOURCE version, in the release's namespace only (os-release VERSION_ID,
    "debian:11"); a statement for another release never applies.
 2. Tracker JSON: per package, CVE and release: "resolved" with
    fixed_version "0" is not affected, "resolved" with a version is fixed in
    it, "open"/"undetermined" is unfixed, reported end_of_life when the
    urgency is "end-of-life", will_not_fix when nodsa_reason is "ignored",
    fix_deferred when it is "postponed", else affected. "releases": [] says
    nothing.
 3. DSA/DLA lists: one statement per (listed id, "[release] - package
    version" line): a version is fixed in it; <not-affected> is not
    affected; <unfixed> affected, <end-of-life> end_of_life, <no-dsa> and
    <ignored> will_not_fix, <postponed> fix_deferred. An advisory without
    {ids} (a regression update, DSA-NNNN-2) takes the ids of the advisory
    with the same number in the same file; with none, the DSA/DLA id itself
    is the vulnerability id.
 4. Precedence per (release, source package, id): the tracker's statement
    if it has one, else the DSA list's, else the DLA list's. Within one
    list, several statements combine as: unfixed beats any fix, the
    greatest fixed version (dpkg order) beats smaller ones, a fix beats
    "not affected".
 5. Affected: unfixed statements always; fixed ones when dpkg
    --compare-versions SOURCE_VERSION lt FIXED; "not affected" never.
 6. Reported status: "fixed" for a statement with a fixed version (the
    package is older), else the unfixed statement's status.
Compared with hull (`hull rootfs`): the set of (id, source package,
status), then the set of (id, binary package, source, status, fixed
version) (every binary of an affected source carries the finding), the
DSA/DLA ids among each finding's aliases (every advisory of the lists that
names the CVE for that source package and release), then hull's warnings
(none expected for a supported release); then the same set through `hull
image DIR` (and, for the real images, their OCI and docker archives) and
through hull's own CycloneDX and SPDX SBOMs read back by `hull sbom-scan`."""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (IMAGES, SHARED, Tap, Tmp, database, hull, require_env, scan,  # noqa: E402
                     skip_missing, status_name, vuln_findings, write)

RELEASES = {"woody": "3.0", "sarge": "3.1", "etch": "4.0", "lenny": "5.0", "squeeze": "6.0",
            "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11",
            "bookworm": "12", "trixie": "13", "forky": "14", "sid": "unstable"}

# Set-backs: source package -> older version (epochs of the installed binary
# and source versions are kept). The versions are the releases' own (the
# point-release or first security upload), older than fixes in the lists.
SETBACK = {
    # fixed in bullseye by DSA-5111-1 (u1) and DSA-5218-1 (u2): both apply
    "bullseye": {"zlib": "1.2.11.dfsg-2", "openssl": "1.1.1k-1+deb11u1",
                 "gnutls28": "3.7.1-5+deb11u2", "krb5": "1.18.3-6", "gzip": "1.10-4",
                 "xz-utils": "5.2.5-2", "dpkg": "1.20.9", "util-linux": "2.36.1-8",
                 "libtirpc": "1.3.1-1", "gnupg2": "2.2.27-2+deb11u1",
                 # no bullseye statement in the lists: stay clean
                 "systemd": "247.3-6", "glibc": "2.31-13"},
    # bullseye-era fixes must not leak into bookworm (rule 1)
    "bookworm": {"zlib": "1.2.11.dfsg-2", "openssl": "1.1.1k-1", "gnutls28": "3.7.1-5"},
}
# Packages added to a copy, at versions the feeds name (tracker "repositories").
ADD = {
    "bullseye": [("chromium", "chromium", "90.0.4430.212-1")],
    "bookworm": [("libsope1", "sope", "5.8.0-1"), ("chromium", "chromium", "97.0.4692.99-1")],
    # CVE-2020-1927: DSA-4757-1 fixed 2.4.38-3+deb10u4, DLA-3351-1 lists it
    # again with 2.4.38-3+deb10u9 (a roll-up): the DSA list wins (rule 4)
    "buster": [("apache2-bin", "apache2", "2.4.38-3+deb10u5"),
               # the tracker's buster repository version: CVE-2022-0456 is
               # "open" with urgency end-of-life there (end_of_life status)
               ("chromium", "chromium", "89.0.4389.114-1~deb10u1")],
}

CASES = ["bullseye", "bookworm", "bullseye-setback", "bookworm-setback", "buster-relabel"]


# ---- dpkg ------------------------------------------------------------------

_cmp = {}


def dpkg_lt(a, b):
    k = (a, b)
    if k not in _cmp:
        _cmp[k] = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return _cmp[k]


def dpkg_inventory(root):
    """[(binary, source, source version)] of the installed packages, by dpkg."""
    fmt = "${db:Status-Status}\\t${Package}\\t${source:Package}\\t${source:Version}\\n"
    out = subprocess.run(["dpkg-query", "--admindir=" + os.path.join(root, "var/lib/dpkg"),
                          "-W", "-f=" + fmt], stdout=subprocess.PIPE, text=True, check=True).stdout
    pkgs = []
    for line in out.splitlines():
        st, name, src, sver = line.split("\t")
        # dpkg's "files on disk" states (docs/pkgdb.md)
        if st in ("installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending"):
            pkgs.append((name, src, sver))
    return pkgs


# ---- feeds -----------------------------------------------------------------

LIST_STATUS = {"<not-affected>": ("notaffected", "fixed"), "<unfixed>": ("unfixed", "affected"),
               "<end-of-life>": ("unfixed", "end_of_life"), "<no-dsa>": ("unfixed", "will_not_fix"),
               "<ignored>": ("unfixed", "will_not_fix"), "<postponed>": ("unfixed", "fix_deferred")}
HEADER = re.compile(r"^\[\d\d \w{3} \d{4}\] ((?:DSA|DLA)-[0-9-]+)")
FIXLINE = re.compile(r"^\s*\[(\w+)\]\s+-\s+(\S+)\s+(\S+)")


def parse_list(path):
    """[(id, release, package, (kind, fixed, status))] of a DSA/DLA list."""
    advs = []
    for line in open(path, encoding="utf-8", errors="replace"):
        m = HEADER.match(line)
        if m:
            aid = m.group(1)
            base = aid.rsplit("-", 1)[0] if aid.count("-") >= 2 else aid
            advs.append({"id": aid, "base": base, "ids": [], "fixes": []})
            continue
        s = line.strip()
        if not advs or not s:
            continue
        if s.startswith("{"):
            advs[-1]["ids"] += s.strip("{}").split()
            continue
        m = FIXLINE.match(line)
        if m:
            advs[-1]["fixes"].append(m.groups())
    out = []
    for a in advs:
        ids = a["ids"]
        if not ids:
            sib = [b for b in advs if b is not a and b["base"] == a["base"] and b["ids"]]
            ids = sib[0]["ids"] if sib else [a["id"]]
        for rel, pkg, ver in a["fixes"]:
            if ver.startswith("<"):
                kind, st = LIST_STATUS[ver]
                stmt = (kind, None, st)
            else:
                stmt = ("fixed", ver, "fixed")
            for i in ids:
                out.append((i, rel, pkg, stmt, a["id"]))
    return out


def parse_tracker(path):
    out = []
    for pkg, cves in json.load(open(path)).items():
        for cve, v in cves.items():
            rels = v.get("releases") or {}
            for rel, r in rels.items():
                if r["status"] == "resolved":
                    fv = r["fixed_version"]
                    stmt = ("notaffected", None, "fixed") if fv == "0" else ("fixed", fv, "fixed")
                else:
                    st = "affected"
                    if r.get("urgency") == "end-of-life":
                        st = "end_of_life"
                    elif r.get("nodsa_reason") == "ignored":
                        st = "will_not_fix"
                    elif r.get("nodsa_reason") == "postponed":
                        st = "fix_deferred"
                    stmt = ("unfixed", None, st)
                out.append((cve, rel, pkg, stmt, None))
    return out


def combine(stmts):
    """Rule 4 within one source."""
    best = None
    for s in stmts:
        if best is None:
            best = s
        elif best[0] == "unfixed":
            pass
        elif s[0] == "unfixed":
            best = s
        elif s[0] == "fixed" and (best[0] == "notaffected" or dpkg_lt(best[1], s[1])):
            best = s
    return best


def statements(release):
    """{(source package, id): statement} for one release codename."""
    d = os.path.join(SHARED, "debian")
    by_src = {"tracker": {}, "dsa": {}, "dla": {}}
    feeds = [("tracker", parse_tracker(os.path.join(d, "vunnel-fixture/tracker-debian.json"))),
             ("dsa", parse_list(os.path.join(d, "security-tracker-2023-04/DSA-list"))),
             ("dsa", parse_list(os.path.join(d, "vunnel-fixture/DSA-list-excerpt"))),
             ("dla", parse_list(os.path.join(d, "security-tracker-2023-04/DLA-list")))]
    for src, rows in feeds:
        for vid, rel, pkg, stmt, _ in rows:
            if rel == release:
                by_src[src].setdefault((pkg, vid), []).append(stmt)
    out = {}
    for src in ("dla", "dsa", "tracker"):  # later sources override earlier
        for k, v in by_src[src].items():
            out[k] = combine(v)
    return out


def advisories(release):
    """{(source package, id): DSA/DLA ids that list it for the release}."""
    d = os.path.join(SHARED, "debian")
    out = {}
    for path in ("security-tracker-2023-04/DSA-list", "vunnel-fixture/DSA-list-excerpt",
                 "security-tracker-2023-04/DLA-list"):
        for vid, rel, pkg, _, aid in parse_list(os.path.join(d, path)):
            if rel == release and vid != aid:
                out.setdefault((pkg, vid), set()).add(aid)
    return out


def reference(root, release):
    stmts = statements(release)
    by_pkg = {}
    for (pkg, vid), st in stmts.items():
        by_pkg.setdefault(pkg, []).append((vid, st))
    want = set()
    for name, src, sver in dpkg_inventory(root):
        for vid, (kind, fixed, st) in by_pkg.get(src, []):
            if kind == "unfixed" or (kind == "fixed" and dpkg_lt(sver, fixed)):
                want.add((vid, name, src, st, fixed))
    return want


# ---- the copies ------------------------------------------------------------

def with_epoch(orig, new):
    return orig.split(":", 1)[0] + ":" + new if ":" in orig else new


def set_back(status, setback, add):
    """Rewrites Version and the Source version of every binary of the
    set-back sources; appends the added packages."""
    out = []
    for stanza in status.strip("\n").split("\n\n"):
        fields = stanza.split("\n")
        name = next(f.split(":", 1)[1].strip() for f in fields if f.startswith("Package:"))
        src = name
        for f in fields:
            if f.startswith("Source:"):
                src = f.split(":", 1)[1].split()[0]
        if src in setback:
            new = []
            for f in fields:
                if f.startswith("Version:"):
                    f = "Version: " + with_epoch(f.split(":", 1)[1].strip(), setback[src])
                elif f.startswith("Source:") and "(" in f:
                    sv = f[f.index("(") + 1:f.rindex(")")]
                    f = "Source: %s (%s)" % (src, with_epoch(sv, setback[src]))
                new.append(f)
            fields = new
        out.append("\n".join(fields))
    for name, src, ver in add:
        out.append("Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
                   "Installed-Size: 1\nMaintainer: Debian\nArchitecture: amd64\nSource: %s\n"
                   "Version: %s\nDescription: added by the vulnerability reference test" %
                   (name, src, ver))
    return "\n\n".join(out) + "\n"


def buster_setback(root):
    """For the relabelled copy: every installed source that the buster
    statements name goes back to the smallest fixed version listed for it,
    so that the later fixes (DSA and DLA) apply."""
    smallest = {}
    for path in ("security-tracker-2023-04/DSA-list", "security-tracker-2023-04/DLA-list"):
        for _, rel, pkg, (kind, fixed, _), _ in parse_list(os.path.join(SHARED, "debian", path)):
            if rel == "buster" and kind == "fixed":
                if pkg not in smallest or dpkg_lt(fixed, smallest[pkg]):
                    smallest[pkg] = fixed
    srcs = {s for _, s, _ in dpkg_inventory(root)}
    return {s: v.split(":", 1)[-1] for s, v in smallest.items() if s in srcs}


def make_copy(tmp, rel, case):
    src_root = os.path.join(IMAGES, rel, "rootfs")
    root = os.path.join(tmp, "root")
    status = open(os.path.join(src_root, "var/lib/dpkg/status")).read()
    osr = open(os.path.join(src_root, "etc/os-release")).read()
    if case == "buster-relabel":
        setback = buster_setback(src_root)
        osr = re.sub(r"(?m)^VERSION_ID=.*$", 'VERSION_ID="10"', osr)
        osr = re.sub(r"(?m)^VERSION_CODENAME=.*$", "VERSION_CODENAME=buster", osr)
        osr = re.sub(r"(?m)^(PRETTY_NAME|VERSION)=.*$", r'\1="10 (buster)"', osr)
        add = ADD["buster"]
    else:
        setback, add = SETBACK[rel], ADD[rel]
    write(os.path.join(root, "var/lib/dpkg/status"), set_back(status, setback, add))
    write(os.path.join(root, "etc/os-release"), osr)
    return root, setback


def findings_of(doc):
    got = set()
    for f in vuln_findings(doc):
        p = f["package"]
        got.add((f["id"], p["name"], p.get("sourceName"), status_name(p.get("status")),
                 p.get("fixedVersion")))
    return got


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1]
    require_env()
    rel = case.split("-")[0]
    img_rel = "bullseye" if rel == "buster" else rel
    if not os.path.isdir(os.path.join(IMAGES, img_rel, "rootfs", "var/lib/dpkg")):
        skip_missing("%s/%s/rootfs not built (scripts/test-images.sh)" % (IMAGES, img_rel))
    tap = Tap()
    db = database()
    with Tmp() as tmp:
        if case == rel:
            root, setback = os.path.join(IMAGES, rel, "rootfs"), {}
        else:
            root, setback = make_copy(tmp, img_rel, case)
            # the copy really says what the header claims
            inv = {(s, v) for _, s, v in dpkg_inventory(root)}
            bad = [s for s, v in setback.items()
                   if any(src == s and v not in sv for src, sv in inv)]
            tap.ok(not bad, "set-back sources carry their older version: %s" %
                   ", ".join(sorted(setback)), ["not set back: " + b for b in bad])
        want = reference(root, rel)
        rc, doc, err = scan(tap, "rootfs", root, db, tmp)
        got = findings_of(doc)
        tap.same_sets("(id, source package, status)", {(w[0], w[2], w[3]) for w in want},
                      {(g[0], g[2], g[3]) for g in got}, lambda t: "%s %s %s" % t)
        tap.same_sets("(id, binary, source, status, fixed version)", want, got,
                      lambda t: "%s %s (source %s) %s fixed=%s" % t)
        # rule 3: the DSA/DLA that fixed a CVE is how Debian users look it
        # up; hull lists every one naming it for that package and release
        advs = advisories(rel)
        want_adv = {(w[0], w[1], " ".join(sorted(advs.get((w[2], w[0]), ())))) for w in want}
        got_adv = {(f["id"], f["package"]["name"],
                    " ".join(sorted(a for a in f.get("aliases") or [] if a[:4] in ("DSA-", "DLA-"))))
                   for f in vuln_findings(doc)}
        tap.same_sets("(id, binary, DSA/DLA ids among the aliases)", want_adv, got_adv,
                      lambda t: "%s %s: [%s]" % t)
        tap.ok(rc == 0, "exit status 0 without --fail-on (got %d)" % rc, [err])
        warns = doc.get("warnings", [])
        tap.ok(not warns, "no warnings for a supported release", [json.dumps(warns)])
        # the same inventory through `hull image DIR` and through hull's own
        # CycloneDX and SPDX SBOMs read back by `hull sbom-scan`
        _, doc, _ = scan(tap, "image", root, db, tmp)
        tap.same_sets("hull image: the same findings", want, findings_of(doc),
                      lambda t: "%s %s (source %s) %s fixed=%s" % t)
        if case == rel:
            for arc in ("%s.oci.tar" % rel, "%s-layered.docker.tar" % rel):
                p = os.path.join(IMAGES, rel, arc)
                if os.path.exists(p):
                    _, doc, _ = scan(tap, "image", p, db, tmp)
                    tap.same_sets("hull image %s: the same findings" % arc, want, findings_of(doc),
                                  lambda t: "%s %s (source %s) %s fixed=%s" % t)
        for fmt in ("cyclonedx", "spdx"):
            sbom = os.path.join(tmp, "sbom-%s.json" % fmt)
            r = hull(["sbom", "--quiet", "--format", fmt, "--output", sbom, root], tmp)
            if not tap.ok(r[0] == 0, "hull sbom --format %s (exit %d)" % (fmt, r[0]), [r[2]]):
                continue
            _, doc, _ = scan(tap, "sbom-scan", sbom, db, tmp)
            tap.same_sets("hull sbom-scan of its %s SBOM: the same findings" % fmt, want,
                          findings_of(doc), lambda t: "%s %s (source %s) %s fixed=%s" % t)
        srcs = {w[2] for w in want}
        tap.diag("%s: %d findings (%d distinct ids) on %d source packages: %s" %
                 (case, len(want), len({w[0] for w in want}), len(srcs), " ".join(sorted(srcs))))
        if case == "bookworm-setback":
            # the copy really tests something: bullseye-only fixes did not apply
            tap.ok(not {w for w in want if w[2] in SETBACK["bookworm"]},
                   "bullseye statements do not reach bookworm packages")
        if case != rel:
            tap.ok(len(want) > 0, "the set-back copy has findings to compare (%d)" % len(want))
    tap.finish()


if __name__ == "__main__":
    main()
