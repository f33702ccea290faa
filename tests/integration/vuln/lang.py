#!/usr/bin/env python3
"""PyPI and npm matching on real package metadata, against a reference
computed here.

Usage: lang.py CASE (--list prints the cases). Prints TAP.

Inventories (each put in a temporary root that hull scans with `hull
rootfs`; the reference reads the same files itself):
  pypi-metadata  ../shared/data/python-npm-meta/python-metadata (wheel
                 METADATA, egg PKG-INFO, .egg-info files: setuptools 51.3.3,
                 asyncssh 2.14.2, ...) as dist-info / egg-info entries
  pypi-host      this machine's Debian-packaged Python distributions
                 (/usr/lib/python3/dist-packages/*.dist-info, *.egg-info)
  npm-locks      the real npm lock files of python-npm-meta/npm-lock
                 (lockfileVersion 1, 2 and 3; workspace and link cases left
                 out: which package a link stands for is hull's reading)
  npm-install    `npm install --ignore-scripts --no-audit` of known old
                 versions (lodash@4.17.15, minimist@1.2.5, node-fetch@2.6.0,
                 ws@7.4.0, qs@6.5.2, express@4.17.1, axios@0.21.1,
                 jsonwebtoken@8.5.1, semver@5.7.1) into the build directory
                 (once, under a lock); an "env:" skip when the registry does
                 not answer or refuses (a network refusal, not a missing
                 tool: it stays a skip under CI=true)
  npm-audit      `npm audit --json` of that project as a second reference,
                 for the GHSA ids of ../shared/data/osv-npm/ghsa only; an
                 "env:" skip when the registry's advisory endpoint refuses

Feeds: OSV records of osv-pypi (YAML) and osv-npm/ghsa (JSON), the Node
security WG's npm advisories (osv-npm/nodejs-security-wg/vuln/npm).

Rules mirrored (hull's documented matching, src/match/match.h), each
implemented independently here:
 1. Ecosystems by name: PyPI names PEP 503-normalised on both sides
    (lower case, runs of -_. as one -), npm names exactly as written.
 2. OSV (withdrawn records left out): a package is affected by an
    affected[] entry when its version is in `versions` (equal under the
    ecosystem's order) or inside an ECOSYSTEM/SEMVER range evaluated as the
    OSV schema says (events sorted, introduced sets, fixed and
    last_affected clear, "0" lowest); GIT ranges ignored. PEP 440 order is
    python3-packaging's, npm order node-semver's (npm's own, "1.0" read as
    1.0.0).
 3. Node security WG: affected when node-semver says the version satisfies
    vulnerable_versions and not patched_versions; its id is NSWG-ECO-<id>
    with the record's CVEs as aliases.
 4. Records that share an id (GHSA-x and PYSEC-y both naming CVE-1) are one
    vulnerability: one finding per package carrying every id of the group
    (OSV `related` ids included, as hull lists them), led by the CVE when
    the group names exactly one.
Compared with hull: per package, the set of id groups; the lead ids."""

import fcntl
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (BUILD, SHARED, Tap, Tmp, database, require_env, scan,  # noqa: E402
                     skip_env, skip_missing, vuln_findings, write)

try:
    import yaml
except ImportError:
    yaml = None

HERE = os.path.dirname(os.path.abspath(__file__))
NPM_PKGS = ["lodash@4.17.15", "minimist@1.2.5", "node-fetch@2.6.0", "ws@7.4.0", "qs@6.5.2",
            "express@4.17.1", "axios@0.21.1", "jsonwebtoken@8.5.1", "semver@5.7.1"]
LOCKS = ["package-lock_v1.json", "package-lock_v2.json", "package-lock_v3.json",
         "package-lock_v3_with-same-dev-and-non-dev.json", "package-lock_v3_with_legacy_licenses.json",
         "package-lock_v3_with_peer.json", "package-lock_v3_without_root_deps_field.json"]
CASES = ["pypi-metadata", "pypi-host", "npm-locks", "npm-install", "npm-audit"]


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# ---- feeds -----------------------------------------------------------------

def osv_records(eco):
    """[{key, name, ids, osv: [{ranges, versions}]}] of one ecosystem."""
    files = glob.glob(os.path.join(SHARED, "osv-npm/ghsa/*.json"))
    if eco == "PyPI":
        files += glob.glob(os.path.join(SHARED, "osv-pypi/**/*.yaml"), recursive=True)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for f in sorted(files):
        d = json.load(open(f)) if f.endswith(".json") else yaml.load(open(f), Loader=loader)
        if d.get("withdrawn"):
            continue
        ids = {d["id"]} | set(d.get("aliases") or []) | set(d.get("related") or [])
        by_name = {}
        for a in d.get("affected") or []:
            p = a.get("package") or {}
            if p.get("ecosystem") != eco:
                continue
            name = pep503(p["name"]) if eco == "PyPI" else p["name"]
            ranges = [r["events"] for r in a.get("ranges") or []
                      if r.get("type") in ("ECOSYSTEM", "SEMVER")]
            by_name.setdefault(name, []).append({"ranges": ranges,
                                                 "versions": a.get("versions") or []})
        for name, aff in by_name.items():
            out.append({"key": d["id"], "name": name, "ids": sorted(ids), "osv": aff})
    return out


def nswg_records():
    out = []
    for f in sorted(glob.glob(os.path.join(SHARED, "osv-npm/nodejs-security-wg/vuln/npm/*.json"))):
        d = json.load(open(f))
        if not isinstance(d, dict) or "module_name" not in d:
            continue  # index.json
        key = "NSWG-ECO-%d" % d["id"]
        out.append({"key": key, "name": d["module_name"], "ids": sorted({key} | set(d.get("cves") or [])),
                    "vulnerable": d["vulnerable_versions"], "patched": d.get("patched_versions") or ""})
    return out


# ---- evaluation ------------------------------------------------------------

def pypi_affected(pkgs, records):
    from packaging.version import InvalidVersion, Version

    def ver(s):
        try:
            return Version(s)
        except InvalidVersion:
            return None

    def in_range(v, events):
        def key(e):
            x = next(iter(e.values()))
            return (0, None) if e.get("introduced") == "0" else (1, ver(x))
        evs = [e for e in events if key(e)[0] == 0 or key(e)[1] is not None]
        evs.sort(key=lambda e: (key(e)[0], key(e)[1] or Version("0")))
        hit = False
        for e in evs:
            k = key(e)[1]
            if "introduced" in e:
                if k is None or v >= k:
                    hit = True
            elif "fixed" in e and v >= k:
                hit = False
            elif "last_affected" in e and v > k:
                hit = False
            elif "limit" in e and v >= k:
                return False
        return hit

    out = []
    by_name = {}
    for r in records:
        by_name.setdefault(r["name"], []).append(r)
    for name, version in pkgs:
        v = ver(version)
        if v is None:
            continue
        for r in by_name.get(pep503(name), []):
            if any(any(ver(x) == v for x in a["versions"]) or
                   any(in_range(v, evs) for evs in a["ranges"]) for a in r["osv"]):
                out.append((name, version, r["key"]))
    return out


def semver_module():
    try:
        root = subprocess.run(["npm", "root", "-g"], stdout=subprocess.PIPE, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    p = os.path.join(root, "npm", "node_modules", "semver")
    return p if os.path.exists(os.path.join(p, "package.json")) else None


def npm_affected(pkgs, records):
    mod = semver_module()
    if not mod or not shutil.which("node"):
        skip_missing("node and npm's bundled semver are needed for the npm reference")
    q = json.dumps({"packages": sorted(pkgs), "records": records})
    r = subprocess.run(["node", os.path.join(HERE, "npm_eval.js"), mod], input=q,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    return [tuple(x) for x in json.loads(r.stdout)]


def groups(affected, records, norm):
    """Rule 4: {(package, version, frozenset(ids))} from the affecting records."""
    ids_of = {r["key"]: r["ids"] for r in records}
    per_pkg = {}
    for name, version, key in affected:
        per_pkg.setdefault((norm(name), version), []).append(set(ids_of[key]))
    out = set()
    for (name, version), sets in per_pkg.items():
        merged = []
        for s in sets:
            s = set(s)
            for m in [m for m in merged if m & s]:
                s |= m
                merged.remove(m)
            merged.append(s)
        out |= {(name, version, frozenset(m)) for m in merged}
    return out


def compare(tap, case, doc, want, norm):
    got = set()
    leads = []
    for f in vuln_findings(doc):
        p = f["package"]
        ids = frozenset([f["id"]] + list(f.get("aliases") or []))
        got.add((norm(p["name"]), p["version"], ids))
        cves = [i for i in ids if i.startswith("CVE-")]
        if len(cves) == 1 and f["id"] != cves[0]:
            leads.append("%s %s: led by %s, not its only CVE %s" % (p["name"], p["version"], f["id"], cves[0]))
    show = lambda t: "%s %s: %s" % (t[0], t[1], " ".join(sorted(t[2])))  # noqa: E731
    tap.same_sets("%s: (package, version, ids of one vulnerability)" % case, want, got, show)
    tap.ok(not leads, "%s: a finding naming exactly one CVE is led by it" % case, leads)
    pk = sorted({"%s@%s" % (w[0], w[1]) for w in want})
    tap.diag("%s: %d findings on %d packages: %s" % (case, len(want), len(pk), " ".join(pk)))


# ---- inventories -----------------------------------------------------------

def metadata_headers(path):
    name = version = None
    for line in open(path, encoding="utf-8", errors="replace"):
        if not line.strip():
            break
        if line.startswith("Name:") and name is None:
            name = line[5:].strip()
        elif line.startswith("Version:") and version is None:
            version = line[8:].strip()
    return name, version


def pypi_root(tmp, case):
    """Lays the metadata out as an installed tree; returns (root, [(name, version)])."""
    site = os.path.join(tmp, "root/usr/lib/python3/dist-packages")
    pkgs = []
    if case == "pypi-metadata":
        d = os.path.join(SHARED, "python-npm-meta/python-metadata")
        for f in sorted(os.listdir(d)):
            src = os.path.join(d, f)
            if f.endswith(".METADATA"):
                dst = os.path.join(site, f[:-9] + ".dist-info", "METADATA")
            elif f.endswith(".PKG-INFO"):
                stem = f[:-9]
                if not stem.endswith(".egg-info"):
                    n, v = metadata_headers(src)
                    stem = "%s-%s.egg-info" % (n, v)
                dst = os.path.join(site, stem, "PKG-INFO")
            elif f.endswith(".egg-info"):
                dst = os.path.join(site, f)
            else:
                continue
            write(dst, open(src, errors="replace").read())
            pkgs.append(metadata_headers(src))
    else:
        host = "/usr/lib/python3/dist-packages"
        for f in sorted(os.listdir(host)) if os.path.isdir(host) else []:
            src = os.path.join(host, f)
            if f.endswith(".dist-info"):
                src, dst = os.path.join(src, "METADATA"), os.path.join(site, f, "METADATA")
            elif f.endswith(".egg-info") and os.path.isdir(src):
                src, dst = os.path.join(src, "PKG-INFO"), os.path.join(site, f, "PKG-INFO")
            elif f.endswith(".egg-info"):
                dst = os.path.join(site, f)
            else:
                continue
            if os.path.isfile(src):
                write(dst, open(src, errors="replace").read())
                pkgs.append(metadata_headers(src))
        if not pkgs:
            skip_env("no Python distributions in " + host)
    return os.path.join(tmp, "root"), [p for p in pkgs if p[0] and p[1]]


def lock_packages(path):
    """(name, version) of a package-lock.json: v2/v3 `packages` under
    node_modules/ (links left out), else v1's nested `dependencies`."""
    d = json.load(open(path))
    out = set()
    if "packages" in d:
        for k, v in d["packages"].items():
            if "node_modules/" in k and not v.get("link") and v.get("version"):
                out.add((v.get("name") or k.rsplit("node_modules/", 1)[1], v["version"]))
        return out

    def walk(deps):
        for n, v in (deps or {}).items():
            if v.get("version"):
                out.add((n, v["version"]))
            walk(v.get("dependencies"))
    walk(d.get("dependencies"))
    return out


def npm_project():
    """The npm install of NPM_PKGS, made once per build directory."""
    d = os.path.join(BUILD, "vuln-ref", "npm-project")
    os.makedirs(d, exist_ok=True)
    lock = os.path.join(d, "package-lock.json")
    with open(os.path.join(BUILD, "vuln-ref", "npm.lock"), "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        if not os.path.exists(lock) or not os.path.isdir(os.path.join(d, "node_modules")):
            if not shutil.which("npm"):
                skip_missing("npm (apt-get install npm)")
            write(os.path.join(d, "package.json"), '{"name": "hull-vuln-ref", "private": true}\n')
            try:
                r = subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund",
                                    "--save-exact"] + NPM_PKGS, cwd=d, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=240)
            except subprocess.TimeoutExpired:
                skip_env("npm install timed out: the registry did not answer")
            if r.returncode != 0 or not os.path.exists(lock):
                skip_env("npm install failed, the registry refused: " + r.stdout[-300:].replace("\n", " "))
    return d


# ---- cases -----------------------------------------------------------------

def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1]
    require_env()
    tap = Tap()
    with Tmp() as tmp:
        if case.startswith("pypi"):
            try:
                import packaging.version  # noqa: F401
            except ImportError:
                skip_missing("python3-packaging is needed for the PEP 440 reference")
            if yaml is None:
                skip_missing("PyYAML (python3-yaml) is needed to read the PyPI advisories")
            db = database()
            root, pkgs = pypi_root(tmp, case)
            records = osv_records("PyPI")
            want = groups(pypi_affected(pkgs, records), records, pep503)
            _, doc, _ = scan(tap, "rootfs", root, db, tmp)
            compare(tap, case, doc, want, pep503)
            if case == "pypi-metadata":
                tap.ok(len(want) > 0, "the shared metadata has findings to compare (%d)" % len(want))
        elif case == "npm-locks":
            db = database()
            pkgs = set()
            for i, lf in enumerate(LOCKS):
                src = os.path.join(SHARED, "python-npm-meta/npm-lock", lf)
                write(os.path.join(tmp, "root", "app%d" % i, "package-lock.json"), open(src).read())
                pkgs |= lock_packages(src)
            records = osv_records("npm") + nswg_records()
            want = groups(npm_affected(pkgs, records), records, lambda n: n)
            _, doc, _ = scan(tap, "rootfs", os.path.join(tmp, "root"), db, tmp)
            compare(tap, case, doc, want, lambda n: n)
            tap.ok(len(want) > 0, "the shared lock files have findings to compare (%d)" % len(want))
        elif case == "npm-install":
            proj = npm_project()
            db = database()
            pkgs = lock_packages(os.path.join(proj, "package-lock.json"))
            mods = set()
            for pj in glob.glob(os.path.join(proj, "node_modules/**/package.json"), recursive=True):
                rel = os.path.relpath(pj, proj).split(os.sep)
                if rel[-3] == "node_modules" or (rel[-3].startswith("@") and rel[-4] == "node_modules"):
                    d = json.load(open(pj))
                    mods.add((d.get("name"), d.get("version")))
            tap.ok(mods == pkgs, "node_modules holds what the lock file lists (%d packages)" % len(pkgs),
                   ["only in node_modules: %s" % sorted(mods - pkgs), "only in the lock: %s" % sorted(pkgs - mods)])
            records = osv_records("npm") + nswg_records()
            want = groups(npm_affected(pkgs, records), records, lambda n: n)
            _, doc, _ = scan(tap, "rootfs", proj, db, tmp)
            compare(tap, case, doc, want, lambda n: n)
            tap.ok(len(want) > 0, "the installed old versions have findings (%d)" % len(want))
        elif case == "npm-audit":
            proj = npm_project()
            db = database()
            try:
                r = subprocess.run(["npm", "audit", "--json"], cwd=proj, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, timeout=60)
                audit = json.loads(r.stdout)
            except (subprocess.TimeoutExpired, ValueError):
                skip_env("npm audit gave no answer: the registry did not answer")
            if "vulnerabilities" not in audit:
                skip_env("npm audit: the registry's advisory endpoint refused: %s" %
                         audit.get("message", audit.get("error", "?")))
            ours = {os.path.basename(f)[:-5] for f in glob.glob(os.path.join(SHARED, "osv-npm/ghsa/GHSA-*.json"))}
            want = set()
            for name, v in audit["vulnerabilities"].items():
                for via in v.get("via", []):
                    if isinstance(via, dict) and "url" in via:
                        g = via["url"].rstrip("/").rsplit("/", 1)[-1]
                        if g in ours:
                            want.add((name, g))
            _, doc, _ = scan(tap, "rootfs", proj, db, tmp)
            got = {(f["package"]["name"], i) for f in vuln_findings(doc)
                   for i in [f["id"]] + list(f.get("aliases") or []) if i in ours}
            tap.same_sets("npm audit and hull agree on the GHSA ids of our data", want, got,
                          lambda t: "%s %s" % t)
        else:
            print("Bail out! unknown case " + case)
            sys.exit(1)
    tap.finish()


if __name__ == "__main__":
    main()
