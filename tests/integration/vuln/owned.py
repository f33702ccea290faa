#!/usr/bin/env python3
"""Language files that an operating-system package installed are the
distribution's, not language packages (src/pkgdb/owned.c, Trivy's rule):
real Debian packages installed by dpkg itself into a root, compared with
what dpkg-query says each package owns.

Usage: owned.py CASE (--list prints the cases). Prints TAP.

Artifacts: Debian 12's libguava-java (a Maven jar, with symlinks to it)
and ruby-rack (a gem specification), fetched once with `apt-get download`
into $HULL_TEST_CACHE/lang/owned/ and installed with `dpkg --root` into a
temporary root (neither has maintainer scripts), so var/lib/dpkg/status
and info/<pkg>.list are dpkg's own. Copies of the same files are put
under srv/copy/ (an application carrying them).

Cases:
  dpkg  1. with dpkg's file lists removed, hull lists language packages
           from the Debian files (the baseline: a Maven and a gem entry,
           every one on a file `dpkg-query -L` names);
        2. with the lists, no language package sits on a file dpkg-query
           names (symlinks resolved inside the root), the deb packages are
           listed, and the copies under srv/copy/ are listed exactly as the
           baseline listed the originals.
  rpm   the same with rpm: the Maven jar of libguava-java packed by rpmbuild
        into a package and installed by `rpm --root -i` (its SQLite
        database and the file), compared with what `rpm -ql` says the
        package owns: no language package on it, the copy listed."""

import fcntl
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import HULL, Tap, Tmp, hull, skip_env, skip_missing  # noqa: E402

CACHE = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "lang", "owned")
DEBS = ["libguava-java=31.1-1", "ruby-rack=2.2.22-0+deb12u2"]
CASES = ["dpkg", "rpm"]


def fetch():
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        have = [f for f in os.listdir(CACHE) if f.endswith(".deb")]
        if len(have) < len(DEBS):
            r = subprocess.run(["apt-get", "download"] + DEBS, cwd=CACHE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                skip_env("apt-get download failed: " + r.stderr.strip()[:300])
    return [os.path.join(CACHE, f) for f in sorted(os.listdir(CACHE)) if f.endswith(".deb")]


def inside(root, path):
    """The real path of root-relative path, symlinks resolved inside root."""
    p = os.path.realpath(os.path.join(root, path.lstrip("/")))
    return os.path.relpath(p, root) if p.startswith(root + "/") else None


def owned(root, pkgs):
    """{real root-relative path}: every file dpkg-query -L lists."""
    out = set()
    for p in pkgs:
        r = subprocess.run(["dpkg-query", "--admindir", os.path.join(root, "var/lib/dpkg"),
                            "-L", p], stdout=subprocess.PIPE, text=True, check=True)
        for line in r.stdout.splitlines():
            q = inside(root, line.strip())
            if q and os.path.isfile(os.path.join(root, q)):
                out.add(q)
    return out


def inventory(tap, root, tmp):
    """{(type, name, version, file)} of hull's CycloneDX SBOM."""
    path = os.path.join(tmp, "sbom.json")
    rc, _, err = hull(["sbom", "--quiet", "--format", "cyclonedx", "--output", path, root], tmp)
    if not tap.ok(rc == 0, "hull sbom (exit %d)" % rc, [err]):
        tap.finish()
    out = set()
    for c in json.load(open(path)).get("components", []):
        p = {x["name"]: x["value"] for x in c.get("properties", [])}
        if p.get("hull:type"):
            out.add((p["hull:type"], c["name"], c.get("version", ""), p.get("hull:file", "")))
    return out


def case_dpkg(tap, root, tmp, debs):
    r = subprocess.run(["dpkg", "--root", root, "--force-depends", "-i"] + debs,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not tap.ok(r.returncode == 0, "dpkg --root -i %s" % " ".join(DEBS), [r.stdout]):
        tap.finish()
    names = [d.split("=")[0] for d in DEBS]
    own = owned(root, names)
    info = os.path.join(root, "var/lib/dpkg/info")
    lists = [f for f in os.listdir(info) if f.endswith(".list")]
    tap.ok(sorted(lists) == sorted(n + ".list" for n in names), "dpkg wrote the file lists", lists)

    # the baseline: the lists moved away
    aside = os.path.join(tmp, "lists")
    os.makedirs(aside)
    for f in lists:
        shutil.move(os.path.join(info, f), aside)
    base = {p for p in inventory(tap, root, tmp) if p[0] != "deb"}
    for f in lists:
        shutil.move(os.path.join(aside, f), info)
    tap.ok({p[0] for p in base} == {"maven", "gem"},
           "baseline: Maven and gem packages from the Debian files", sorted(base))
    tap.ok(all(inside(root, p[3]) in own for p in base),
           "baseline: every one on a file dpkg-query -L names", sorted(base))

    # copies of those files outside any package
    for p in base:
        dst = os.path.join(root, "srv/copy", p[3])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(os.path.join(root, p[3]), dst)
    got = inventory(tap, root, tmp)
    lang = {p for p in got if p[0] != "deb"}
    on_owned = sorted(p for p in lang if inside(root, p[3]) in own)
    tap.ok(not on_owned, "no language package on a file dpkg installed", on_owned)
    tap.ok({p[1] for p in got if p[0] == "deb"} == set(names), "the deb packages are listed",
           sorted(got))
    want = {(t, n, v, "srv/copy/" + f) for t, n, v, f in base}
    tap.same_sets("the copies under srv/copy/ are listed as the baseline listed the originals",
                  want, lang, show=lambda x: "%s %s %s %s" % x)


RPM_SPEC = """Name: guava-rpm
Version: 31.1
Release: 1
Summary: the guava jar of Debian 12, as an rpm
License: Apache-2.0
BuildArch: noarch
%description
guava
%install
mkdir -p %{buildroot}/usr/share/java
cp SOURCE_JAR %{buildroot}/usr/share/java/guava.jar
%files
/usr/share/java/guava.jar
"""


def case_rpm(tap, root, tmp, debs):
    for tool in ("rpm", "rpmbuild", "dpkg-deb"):
        if not shutil.which(tool):
            skip_missing(tool + " (scripts/install-deps.sh)")
    x = os.path.join(tmp, "deb")
    guava = [d for d in debs if os.path.basename(d).startswith("libguava-java_")][0]
    subprocess.run(["dpkg-deb", "-x", guava, x], check=True)
    jar = os.path.realpath(os.path.join(x, "usr/share/java/guava.jar"))
    top = os.path.join(tmp, "top")
    spec = os.path.join(tmp, "guava.spec")
    with open(spec, "w") as f:
        f.write(RPM_SPEC.replace("SOURCE_JAR", jar))
    r = subprocess.run(["rpmbuild", "--quiet", "--define", "_topdir " + top,
                        "--define", "_build_id_links none", "--define", "__spec_install_post %{nil}",
                        "--define", "debug_package %{nil}", "-bb", spec],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rpms = [os.path.join(d, f) for d, _, fs in os.walk(top) for f in fs if f.endswith(".rpm")]
    if not tap.ok(r.returncode == 0 and len(rpms) == 1, "rpmbuild made the package", [r.stdout]):
        tap.finish()
    rpm = ["rpm", "--root", root, "--dbpath", "/var/lib/rpm"]
    subprocess.run(rpm + ["--initdb"], check=True)
    r = subprocess.run(rpm + ["-i", "--nodeps", "--noscripts", "--nosignature", "--ignoreos"] + rpms,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    db = os.path.join(root, "var/lib/rpm/rpmdb.sqlite")
    if not tap.ok(r.returncode == 0 and os.path.isfile(db), "rpm --root -i", [r.stdout]):
        tap.finish()
    r = subprocess.run(rpm + ["-ql", "guava-rpm"], stdout=subprocess.PIPE, text=True, check=True)
    own = {inside(root, p) for p in r.stdout.split()}
    tap.ok(own == {"usr/share/java/guava.jar"}, "rpm -ql names the jar", sorted(own))

    aside = os.path.join(tmp, "rpmdb.sqlite")
    shutil.move(db, aside)
    base = {p for p in inventory(tap, root, tmp) if p[0] != "rpm"}
    shutil.move(aside, db)
    tap.ok({p[0] for p in base} == {"maven"} and all(inside(root, p[3]) in own for p in base),
           "baseline: Maven packages from the jar rpm installed", sorted(base))

    dst = os.path.join(root, "srv/copy/usr/share/java/guava.jar")
    os.makedirs(os.path.dirname(dst))
    shutil.copy(os.path.join(root, "usr/share/java/guava.jar"), dst)
    got = inventory(tap, root, tmp)
    lang = {p for p in got if p[0] != "rpm"}
    on_owned = sorted(p for p in lang if inside(root, p[3]) in own)
    tap.ok(not on_owned, "no language package on a file rpm installed", on_owned)
    tap.ok({p[1] for p in got if p[0] == "rpm"} == {"guava-rpm"}, "the rpm package is listed",
           sorted(got))
    want = {(t, n, v, "srv/copy/" + f) for t, n, v, f in base}
    tap.same_sets("the copy under srv/copy/ is listed as the baseline listed the original",
                  want, lang, show=lambda x: "%s %s %s %s" % x)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1] if len(sys.argv) > 1 else ""
    if case not in CASES:
        sys.exit("unknown case " + case)
    if not HULL or not os.access(HULL, os.X_OK):
        skip_missing("HULL_BIN not set (run through meson test)")
    for tool in ("apt-get", "dpkg", "dpkg-query"):
        if not shutil.which(tool):
            skip_env(tool + " (not a Debian machine)")
    debs = fetch()
    tap = Tap()
    with Tmp() as tmp:
        root = os.path.join(tmp, "root")
        for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
            os.makedirs(os.path.join(root, d))
        open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
        write_os_release(root)
        {"dpkg": case_dpkg, "rpm": case_rpm}[case](tap, root, tmp, debs)
    tap.finish()


def write_os_release(root):
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    with open(os.path.join(root, "etc/os-release"), "w") as f:
        f.write('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')


if __name__ == "__main__":
    main()
