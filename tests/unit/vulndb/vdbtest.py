"""Shared helpers of the vulndb tests: TAP output, paths, running hull and
vdb_tool, and an independent reading of every feed (written from the feed
formats, not from hull's code) that the tests compare hull against."""
import glob
import json
import os
import re
import subprocess
import sys

HULL = os.environ.get("HULL_BIN", "")
BUILD = os.environ.get("HULL_BUILD", "")
SHARED = os.path.join(os.environ.get("HULL_SHARED", ""), "data")
TOOL = os.path.join(BUILD, "tests", "unit", "vulndb", "vdb_tool")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, msg, detail=None):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, msg))
        if not cond:
            self.failed += 1
            if detail is not None:
                for line in str(detail).splitlines()[:40]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def note(self, msg):
        print("# " + msg)

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")), "tests", "lib"))
from hullskip import skip_missing  # noqa: E402


def skip_all(why):
    skip_missing(why)


def require():
    if not HULL or not os.path.exists(HULL):
        skip_missing("the hull binary (HULL_BIN: run through meson test)")
    if not os.path.isdir(SHARED):
        print("not ok 1 - %s is missing: the unit tests read ../shared in place" % SHARED)
        print("1..1")
        sys.exit(1)
    try:
        import yaml  # noqa: F401
    except ImportError:
        skip_all("python3-yaml is not installed")


def hull(*args, check=True, env=None, timeout=600):
    p = subprocess.run([HULL, *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("hull %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def info(db):
    return json.loads(hull("db", "info", "--format", "json", "--db", db).stdout)


def lookup(db, ns, name):
    p = subprocess.run([TOOL, "lookup", db, ns, name], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def keys(db):
    p = subprocess.run([TOOL, "keys", db], capture_output=True, text=True, check=True)
    return [tuple(line.split("\t", 1)) for line in p.stdout.splitlines()]


# ---- Debian -----------------------------------------------------------------

RELEASES = {
    "buzz": "1.1", "rex": "1.2", "bo": "1.3", "hamm": "2.0", "slink": "2.1",
    "potato": "2.2", "woody": "3.0", "sarge": "3.1", "etch": "4.0", "lenny": "5.0",
    "squeeze": "6.0", "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10",
    "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14", "duke": "15",
    "sid": "unstable",
}


def dpkg_valid(v):
    return subprocess.run(["dpkg", "--validate-version", v],
                          capture_output=True).returncode == 0 if v else False


def tracker_rows(path):
    """(ns, pkg, id, release-record) for every usable tracker statement."""
    data = json.load(open(path))
    rows = []
    for pkg, ids in data.items():
        for vid, v in ids.items():
            rels = v.get("releases")
            if not isinstance(rels, dict):
                continue
            for rel, r in rels.items():
                if rel not in RELEASES:
                    continue
                rows.append(("debian:" + RELEASES[rel], pkg, vid, r))
    return rows


HEADER = re.compile(r"^\[(\d\d) (\w{3}) (\d{4})\] (D[SL]A-\d+(?:-\d+)?)\s*(.*)$")
FIXLINE = re.compile(r"^\[(\w+)\]\s+-\s+(\S+)\s+(\S+)(\s+\(.*)?$")


def dsa_list(path):
    """[(id, [ids], [(release, pkg, version-or-<status>)])] with regression
    updates inheriting the ids of their first advisory."""
    advs = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("["):
            m = HEADER.match(line)
            advs.append([m.group(4), [], []])
            continue
        t = line.strip()
        if t.startswith("{"):
            advs[-1][1] += t.strip("{}").split()
        elif t.startswith("["):
            m = FIXLINE.match(t)
            advs[-1][2].append((m.group(1), m.group(2), m.group(3)))
    base = lambda i: i.rsplit("-", 1)[0] if i.count("-") == 2 else i  # noqa: E731
    by_base = {}
    for a in advs:
        if a[1]:
            by_base.setdefault(base(a[0]), a[1])
    for a in advs:
        if not a[1]:
            a[1] = list(by_base.get(base(a[0]), []))
    return advs


# ---- Alpine / Wolfi secdb ----------------------------------------------------

APK_VERSION = re.compile(
    r"^[0-9]+(\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*"
    r"(~[0-9a-f]+)?(-r[0-9]+)?$")


def secdb_ids(s):
    """The ids named by one secfixes string (see docs/vulndb.md)."""
    s = s.split("(")[0]
    toks = s.split()
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.upper() == "CVE" and i + 1 < len(toks):
            t = "CVE-" + toks[i + 1]
            i += 1
        i += 1
        if t.endswith(".patch"):
            t = t[:-6]
        if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", t) or "-" not in t and "_" not in t:
            continue
        if len(t) < 3:
            continue
        m = re.match(r"^[Cc][Vv][Ee][-_](\d{4})-(\d{4,})", t)
        if t[:3].upper() == "CVE" and t[3:4] in "-_":
            if not m:
                continue
            t = "CVE-%s-%s" % (m.group(1), m.group(2))
        out.append(t)
    return out


def secdb_docs():
    import yaml
    docs = []
    for p in sorted(glob.glob(SHARED + "/alpine-secdb/**/*.yaml", recursive=True)):
        docs.append((p, yaml.safe_load(open(p))))
    for p in sorted(glob.glob(SHARED + "/alpine-secdb/**/*.json", recursive=True)):
        docs.append((p, json.load(open(p))))
    docs.append((SHARED + "/distro-osv-misc/wolfi-secdb/security.json",
                 json.load(open(SHARED + "/distro-osv-misc/wolfi-secdb/security.json"))))
    return docs


def secdb_rows(doc):
    """(ns, source, pkg, fixed, id, aliases) per secdb entry, and the number
    of bad items (invalid versions, strings without an id)."""
    wolfi = "distroversion" not in doc and "wolfi.dev" in str(doc.get("urlprefix", ""))
    ns = "wolfi" if wolfi else "alpine:" + str(doc["distroversion"]).lower()
    src = "wolfi-secdb" if wolfi else "alpine-secdb"
    pkgs = [p["pkg"] for p in (doc.get("packages") or [])] if "packages" in doc else [doc]
    rows, bad = [], 0
    for pkg in pkgs:
        for ver, ids in (pkg.get("secfixes") or {}).items():
            ver = str(ver)
            if ver != "0" and not APK_VERSION.match(ver):
                bad += 1
                continue
            for s in ids or []:
                found = secdb_ids(s) if isinstance(s, str) else []
                if not found:
                    bad += 1
                    continue
                cves = [x for x in found if x.startswith("CVE-")]
                others = [x for x in found if not x.startswith("CVE-")]
                for me in (cves if cves else found[:1]):
                    al = [x for x in found if x != me and not x.startswith("CVE-")] \
                        if cves else others[1:]
                    rows.append((ns, src, pkg["name"], ver, me, al))
    return rows, bad


# ---- OSV ----------------------------------------------------------------------

SUPPORTED = {"npm", "PyPI", "Go", "Maven", "crates.io", "RubyGems", "Packagist", "NuGet", "Debian", "Ubuntu", "Alpine", "Alpaquita",
             "BellSoft Hardened Containers", "Chainguard", "Wolfi", "AlmaLinux",
             "Rocky Linux", "Red Hat", "openEuler", "openSUSE", "SUSE", "Mageia",
             "Azure Linux"}
DISTRO = {"Debian", "Ubuntu", "Alpine", "Alpaquita", "BellSoft Hardened Containers",
          "Chainguard", "Wolfi", "AlmaLinux", "Rocky Linux", "Red Hat", "openEuler",
          "openSUSE", "SUSE", "Mageia", "Azure Linux"}


def osv_ns(eco):
    base = eco.split(":", 1)[0]
    return eco.lower().replace(" ", "-") if base in DISTRO else eco


def pep503(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def osv_name(eco, name):
    base = eco.split(":", 1)[0]
    if base == "PyPI":
        return pep503(name)
    return name.lower() if base in ("Packagist", "NuGet") else name


def is_osv(d):
    return (isinstance(d, dict) and isinstance(d.get("id"), str) and
            any(k in d for k in ("affected", "modified", "withdrawn", "schema_version")) and
            not ("module_name" in d and "vulnerable_versions" in d) and
            not ("vulnerable" in d and "patched" in d and "cve" in d) and
            not (("packages" in d or "secfixes" in d) and
                 any(k in d for k in ("distroversion", "reponame", "urlprefix", "apkurl"))))


def osv_docs():
    import yaml
    out = []
    for root, dirs, files in os.walk(SHARED):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith("."):
                continue
            p = os.path.join(root, f)
            if f.endswith(".zip"):
                out.extend(osv_zip_docs(p))
                continue
            try:
                if f.endswith(".json"):
                    d = json.load(open(p))
                elif f.endswith((".yaml", ".yml")):
                    d = yaml.safe_load(open(p))
                else:
                    continue
            except Exception:
                continue
            if is_osv(d):
                out.append((p, d))
    return out


def osv_zip_docs(path):
    """The OSV records of a per-ecosystem all.zip, as osv.dev publishes it:
    one JSON file per record (member names as paths, for messages)."""
    import zipfile
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith(".json"):
                continue
            try:
                d = json.loads(z.read(name))
            except Exception:
                continue
            if is_osv(d):
                out.append((path + "/" + name, d))
    return out


def str_list(v):
    return v is None or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def osv_check(d):
    """None when hull must accept the record, else why it is bad."""
    for k in ("aliases", "upstream", "related"):
        if not str_list(d.get(k)):
            return k
    sev = d.get("severity")
    if sev is not None and not (isinstance(sev, list) and all(
            isinstance(s, dict) and isinstance(s.get("type"), str) and
            isinstance(s.get("score"), str) for s in sev)):
        return "severity"
    aff = d.get("affected")
    if aff is None:
        return None
    if not isinstance(aff, list):
        return "affected"
    for a in aff:
        if isinstance(a, dict) and a.get("package") is None:
            continue
        pkg = a.get("package") if isinstance(a, dict) else None
        if not (isinstance(pkg, dict) and isinstance(pkg.get("ecosystem"), str) and
                isinstance(pkg.get("name"), str) and pkg["name"]):
            return "package"
        if pkg["ecosystem"].split(":", 1)[0] not in SUPPORTED:
            continue
        for r in a.get("ranges") or []:
            if not isinstance(r.get("type"), str) or not isinstance(r.get("events"), list):
                return "range"
            if r["type"] == "GIT":
                continue
            if r["type"] not in ("ECOSYSTEM", "SEMVER"):
                return "range type"
            for e in r["events"]:
                ks = [k for k in ("introduced", "fixed", "last_affected", "limit")
                      if isinstance(e, dict) and k in e]
                if len(ks) != 1 or not isinstance(e[ks[0]], str):
                    return "event"
        if not str_list(a.get("versions")):
            return "versions"
    return None


# ---- CVSS v3 (from the FIRST specification, written for the tests) -------------

def cvss3(vec):
    import math
    parts = dict(p.split(":") for p in vec.split("/")[1:])
    av = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}[parts["AV"]]
    ac = {"L": 0.77, "H": 0.44}[parts["AC"]]
    changed = parts["S"] == "C"
    pr = {"N": 0.85, "L": 0.68 if changed else 0.62, "H": 0.5 if changed else 0.27}[parts["PR"]]
    ui = {"N": 0.85, "R": 0.62}[parts["UI"]]
    w = {"H": 0.56, "L": 0.22, "N": 0}
    iss = 1 - (1 - w[parts["C"]]) * (1 - w[parts["I"]]) * (1 - w[parts["A"]])
    imp = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    ex = 8.22 * av * ac * pr * ui
    if imp <= 0:
        return 0.0
    base = min(1.08 * (imp + ex), 10) if changed else min(imp + ex, 10)
    if vec.startswith("CVSS:3.0/"):
        return math.ceil(base * 10 - 1e-9) / 10
    i = round(base * 100000)
    return i / 100000.0 if i % 10000 == 0 else (math.floor(i / 10000) + 1) / 10.0


# ---- Debian data/CVE/list -------------------------------------------------------

def cve_list(path):
    """(ns, pkg, id, version-or-<status>, urgency) per explicit statement, and
    the number of statements hull cannot index (placeholder ids, removed)."""
    out, unsupported = [], 0
    cur, urg = None, {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line[0] not in " \t":
            cur = line.split()[0]
            urg = {}
            if re.match(r"^CVE-\d{4}-X+$", cur):
                unsupported += 1
                cur = None
            continue
        if cur is None:
            continue
        t = line.strip()
        m = re.match(r"^(?:\[(\w+)\] )?- (\S+) (\S+)(?: \((.*)\))?$", t)
        if not m:
            continue
        rel, pkg, ver, notes = m.groups()
        u = next((w.strip() for w in re.split(r"[;,]", notes or "")
                  if w.strip().rstrip("*") in ("unimportant", "low", "medium", "high")), None)
        if rel is None and u:
            urg[pkg] = u
        u = u or urg.get(pkg)
        if ver in ("<removed>", "<itp>"):
            unsupported += 1
            continue
        ns = "debian:" + RELEASES[rel if rel else "sid"] if (rel or "sid") in RELEASES else None
        if ns is None:
            unsupported += 1
            continue
        out.append((ns, pkg, cur, ver, u))
    return out, unsupported
