#!/usr/bin/env python3
"""Lockfiles and cargo-auditable binaries end to end: where hull finds them,
their purls through CycloneDX and SPDX and back, and crates.io matching.

Usage: lockfiles.py CASE (--list prints the cases). Prints TAP.

The tree (made in a temporary folder from tests/data/lockfiles, whose
README says which real tool wrote each file):
  app/yarn.lock, web/yarn.lock (berry), pnpm{5,6,9}/pnpm-lock.yaml,
  py/poetry.lock, py/Pipfile.lock, py/requirements.txt, go/go.mod,
  rs/Cargo.lock, usr/local/bin/rsapp (an ELF binary given a .dep-v0
  section here with objcopy: the zlib-compressed JSON cargo-auditable
  writes, from tests/data/lockfiles/rust/auditable.dep-v0.json; no binary
  built by cargo-auditable itself is at hand), and lockfiles where a
  package manager unpacked a dependency (root/go/pkg/mod/.../go.mod,
  app/node_modules/x/yarn.lock, root/.cargo/registry/.../Cargo.lock):
  those are not the project's and must not be read.

Cases:
  places     `hull sbom DIR` (a root filesystem), the same tree as one
             image layer (docker-archive) and `hull scan DIR` (a source
             checkout) find every lockfile: per file the (name, version)
             pairs the unit tests expect, file and layer recorded; nothing
             from the dependencies' lockfiles.
  roundtrip  `hull sbom --format cyclonedx` and `--format spdx` of the tree,
             read back by `hull sbom-scan`: the same (purl type, name,
             version) set, pkg:cargo, pkg:golang, pkg:pypi and pkg:npm
             included.
  cargo      crates.io matching with a real GHSA record
             (tests/data/lockfiles/osv/GHSA-m5pq-gvj9-9vr8.json, from
             github/advisory-database, CC-BY-4.0; affected: regex < 1.5.5):
             regex 1.5.4 in a Cargo.lock and in an auditable binary must
             match; regex 1.5.5 and 1.7.1 must not, nor a PyPI package named
             regex 2021.8.3 (another ecosystem).
  gradle     Maven matching of gradle.lockfile lines (the format of Gradle's
             user guide, "Locking dependency versions": comments,
             group:name:version=configurations, empty=) with the real GHSA
             records of ../shared/data/osv-lang/Maven (github/advisory-
             database, CC-BY-4.0): commons-text 1.9 (GHSA-599f-7c49-w659,
             1.5 <= v < 1.10.0) and jackson-databind 2.13.2 (GHSA-57j2-w4cx-
             62h2, < 2.13.2.1, and GHSA-jjjh-jjxp-wpff, < 2.13.4.1: Maven
             ordering) must match; commons-text 1.10.0 and jackson-databind
             2.13.4.2 in the older gradle/dependency-locks/<conf>.lockfile,
             and an npm package named commons-text, must not.
  pom        Maven matching of pom.xml dependencies (the layout of Maven's
             POM reference) with the same GHSA records: jackson-databind
             ${jackson.version}=2.13.2 (GHSA-57j2-w4cx-62h2, GHSA-jjjh-
             jjxp-wpff), commons-text 1.9 (GHSA-599f-7c49-w659) and guava
             31.1-jre whose version and runtime scope come from the pom's
             <dependencyManagement> (GHSA-7g45-4rm6-3mm3, 1.0 <= v < 32.0.0;
             not GHSA-5mg8-w23w-74h3, last_affected 29.0) must match. Must
             not: commons-compress 1.22 of scope test (GHSA-cgwf-w82q-5jrr
             ...), netty-codec-http 4.1.48.Final only in
             <dependencyManagement> (GHSA-269q-hmxg-m83q), an optional
             netty-handler 4.1.48.Final (GHSA-6mjq-h674-j845), xstream
             1.4.20 (GHSA-j563-grx4-pjpv fixed exactly there), a module's
             jackson-databind whose ${jackson.version} is its parent's (not
             read: a warning naming file and line, never a guessed version),
             a range [2.13.0,2.13.3), and the pom.xml a jar's
             META-INF/maven/ holds unpacked.
  pom-xxe    a pom.xml declaring an external entity on a file holding a
             marker and a parameter entity on a URL of a loopback HTTP
             server of the test: hull warns "a DOCTYPE, refused", lists
             nothing from it, the marker appears nowhere in its output and
             the server receives no request.
  pom-real   the pom.xml files of the Debian 12 jars java.py uses (their
             META-INF/maven/**/pom.xml, upstream poms with Debian's version
             rewrites: namespaces, comments, profiles, plugins), each one
             as app/<n>/pom.xml: hull's list equals the one computed by a
             reference here with Python's ElementTree (direct dependencies
             of scope compile/runtime, not optional, ${} from the pom's
             own properties and project/parent version, else left out)."""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (SHARED, SRC, Tap, Tmp, case_arg, docker_archive_of, hull,  # noqa: E402
                     scan, skip_missing, write)

DATA = os.path.join(SRC, "tests", "data", "lockfiles")
CASES = ["places", "roundtrip", "cargo", "gradle", "pom", "pom-xxe", "pom-real"]

# (place in the tree, file in tests/data/lockfiles, expected list)
FILES = [
    ("app/yarn.lock", "js/yarn-v1.lock", "js/expected.tsv"),
    ("web/yarn.lock", "js/yarn-berry.lock", "js/expected.tsv"),
    ("pnpm5/pnpm-lock.yaml", "js/pnpm-v5.4.yaml", "js/expected.tsv"),
    ("pnpm6/pnpm-lock.yaml", "js/pnpm-v6.0.yaml", "js/expected.tsv"),
    ("pnpm9/pnpm-lock.yaml", "js/pnpm-v9.0.yaml", "js/expected.tsv"),
    ("py/poetry.lock", "python/poetry.lock", "python/poetry.expected.tsv"),
    ("py/Pipfile.lock", "python/Pipfile.lock", "python/pipenv.expected.tsv"),
    ("py/requirements.txt", "python/requirements-pipenv.txt", "python/pipenv.expected.tsv"),
    ("go/go.mod", "go/go.mod", "go/expected.tsv"),
    ("rs/Cargo.lock", "rust/Cargo-v4.lock", "rust/expected.tsv"),
]
TYPES = {"js": "npm", "python": "pypi", "go": "golang", "rust": "cargo"}
# a dependency's own lockfiles, which must not be read
DEPENDENCY_FILES = [
    "root/go/pkg/mod/github.com/x/y@v1.0.0/go.mod",
    "app/node_modules/x/yarn.lock",
    "root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/z-1.0.0/Cargo.lock",
]


def expected(rel):
    out = set()
    for line in open(os.path.join(DATA, rel)):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        out.add((f[0], f[1]))
    return out


def auditable(src_json, out):
    """An ELF binary with a .dep-v0 section holding src_json compressed."""
    if not shutil.which("objcopy"):
        skip_missing("objcopy (binutils)")
    z = out + ".z"
    with open(z, "wb") as f:
        f.write(zlib.compress(src_json.encode()))
    base = shutil.which("true")
    r = subprocess.run(["objcopy", "--add-section", ".dep-v0=" + z, base, out],
                       stderr=subprocess.PIPE, text=True)
    os.unlink(z)
    if r.returncode != 0:
        skip_missing("objcopy --add-section: " + r.stderr.strip())
    os.chmod(out, 0o755)


AUDIT_JSON = open(os.path.join(DATA, "rust", "auditable.dep-v0.json")).read()


def make_tree(root):
    for place, src, _ in FILES:
        dst = os.path.join(root, place)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(DATA, src), dst)
    for place in DEPENDENCY_FILES:
        dst = os.path.join(root, place)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        src = {"go.mod": "go/go.mod", "yarn.lock": "js/yarn-v1.lock",
               "Cargo.lock": "rust/Cargo-v3.lock"}[os.path.basename(place)]
        shutil.copyfile(os.path.join(DATA, src), dst)
    os.makedirs(os.path.join(root, "usr/local/bin"), exist_ok=True)
    auditable(AUDIT_JSON, os.path.join(root, "usr/local/bin/rsapp"))


def docker_archive(root, out):
    lb = io.BytesIO()
    with tarfile.open(fileobj=lb, mode="w") as t:
        t.add(root, arcname=".")
    layer = lb.getvalue()
    docker_archive_of(out, layer, "locks:1")


def sbom_json(tap, target, tmp):
    rc, out, err = hull(["sbom", "--no-cache", "--format", "json", target], tmp)
    try:
        return json.loads(out)
    except ValueError:
        tap.ok(False, "hull sbom %s: exit %d" % (target, rc), [err])
        tap.finish()


def check_files(tap, doc, what, layered):
    pkgs = doc.get("packages", [])
    for place, src, exp in FILES:
        typ = TYPES[src.split("/")[0]]
        got = {(p["name"], p["version"]) for p in pkgs if p["file"] == place and p["type"] == typ}
        tap.same_sets("%s: %s" % (what, place), expected(exp), got, show=lambda x: "%s %s" % x)
        layers = {p.get("layer") is not None for p in pkgs if p["file"] == place}
        tap.ok(layers == {layered}, "%s: %s: layer %s" % (what, place,
                                                          "recorded" if layered else "none"))
    want = {(p["name"], p["version"]) for p in json.loads(AUDIT_JSON)["packages"]}
    got = {(p["name"], p["version"]) for p in pkgs
           if p["file"] == "usr/local/bin/rsapp" and p["type"] == "cargo"}
    tap.same_sets("%s: usr/local/bin/rsapp (cargo-auditable)" % what, want, got,
                  show=lambda x: "%s %s" % x)
    dep = [p for p in pkgs if any(p["file"] == d for d in DEPENDENCY_FILES)]
    tap.ok(not dep, "%s: nothing read from a dependency's own lockfiles" % what,
           ["%s %s (%s)" % (p["name"], p["version"], p["file"]) for p in dep[:5]])


def case_places(tap, root, tmp):
    check_files(tap, sbom_json(tap, root, tmp), "directory", False)
    img = os.path.join(tmp, "locks.tar")
    docker_archive(root, img)
    check_files(tap, sbom_json(tap, img, tmp), "image layer", True)
    # hull scan DIR: a source checkout; each lockfile is one workload
    rc, out, err = hull(["scan", "--format", "json", root], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        tap.ok(False, "hull scan %s: exit %d" % (root, rc), [err])
        return
    files = {w.get("file", "")[len(root) + 1:] for w in doc.get("deployment", {}).get("workloads", [])
             if w.get("kind") == "lockfile"}
    want = {p for p, _, _ in FILES}
    tap.same_sets("hull scan DIR: the lockfiles of the project", want, files - set(DEPENDENCY_FILES))
    tap.ok(not (files & set(DEPENDENCY_FILES)), "hull scan DIR: not a dependency's lockfiles",
           sorted(files & set(DEPENDENCY_FILES)))


def maven_purls(tap, target, tmp):
    """The pkg:maven purls of hull sbom's CycloneDX document of target, with
    hull's output and stderr; None for the purls (reported) when the
    document does not parse."""
    rc, out, err = hull(["sbom", "--format", "cyclonedx", target], tmp)
    try:
        comps = json.loads(out).get("components", [])
    except ValueError:
        tap.ok(False, "hull sbom: exit %d" % rc, [err])
        return None, out, err
    return {c.get("purl") for c in comps if c.get("purl", "").startswith("pkg:maven/")}, out, err


def purl_set(doc_cdx=None, doc_spdx=None):
    out = set()
    if doc_cdx is not None:
        for c in doc_cdx.get("components", []):
            if c.get("purl"):
                out.add(c["purl"].split("?")[0])
    if doc_spdx is not None:
        for p in doc_spdx.get("packages", []):
            for r in p.get("externalRefs", []):
                if r.get("referenceType") == "purl":
                    out.add(r["referenceLocator"].split("?")[0])
    return out


ECOSYSTEM = {"pkg:npm": "npm", "pkg:pypi": "PyPI", "pkg:golang": "Go", "pkg:cargo": "crates.io"}


def purl_parts(purl):
    """(purl type, name as the ecosystem writes it, version)."""
    from urllib.parse import unquote
    body, _, version = purl.partition("@")
    typ, _, name = body.partition("/")
    return typ, unquote(name), unquote(version)


def case_roundtrip(tap, root, tmp):
    """Every package of the SBOM read back: one generated OSV record per
    (ecosystem, name, version) written, so that sbom-scan reports a
    finding for each package only when it read its purl back whole (type,
    namespace, name, version). The records are made here for the test;
    they are no advisory data."""
    for fmt in ("cyclonedx", "spdx"):
        sb = os.path.join(tmp, "tree." + fmt + ".json")
        rc, _, err = hull(["sbom", "--no-cache", "--format", fmt, "--output", sb, root], tmp)
        tap.ok(rc == 0, "hull sbom --format %s" % fmt, [err])
        doc = json.load(open(sb))
        written = purl_set(doc, None) if fmt == "cyclonedx" else purl_set(None, doc)
        types = {p.split("/")[0] for p in written}
        tap.ok({"pkg:cargo", "pkg:golang", "pkg:pypi", "pkg:npm"} <= types,
               "%s: pkg:cargo, pkg:golang, pkg:pypi and pkg:npm written" % fmt, sorted(types))
        recs = os.path.join(tmp, "rt-osv-" + fmt)
        os.makedirs(recs)
        want = set()
        for n, purl in enumerate(sorted(written)):
            typ, name, version = purl_parts(purl)
            if typ not in ECOSYSTEM or not version:
                continue
            want.add((ECOSYSTEM[typ], name, version))
            with open(os.path.join(recs, "HULL-RT-%d.json" % n), "w") as f:
                json.dump({"id": "HULL-RT-%d" % n, "modified": "2026-01-01T00:00:00Z",
                           "affected": [{"package": {"ecosystem": ECOSYSTEM[typ], "name": name},
                                         "versions": [version]}]}, f)
        db = os.path.join(tmp, "rt-" + fmt + ".sqlite")
        rc, _, err = hull(["db", "build", "--db", db, "--from", recs], tmp)
        tap.ok(rc == 0, "%s: hull db build of one record per package" % fmt, [err])
        rc, out, err = hull(["sbom-scan", "--db", db, "--format", "json", sb], tmp)
        try:
            found = json.loads(out).get("findings", [])
        except ValueError:
            tap.ok(False, "hull sbom-scan %s: exit %d" % (fmt, rc), [err])
            continue
        inv = {v: k for k, v in ECOSYSTEM.items()}
        back = set()
        for f in found:
            typ = f["package"].get("type")
            eco = ECOSYSTEM.get("pkg:" + (typ or ""), typ)
            back.add((eco, f["package"]["name"], f["package"]["version"]))
        tap.same_sets("%s: hull sbom-scan reads every package back (%s)" % (fmt, ", ".join(
            sorted(inv))), want, back, show=lambda x: "%s %s %s" % x)


def case_cargo(tap, root, tmp):
    db = os.path.join(tmp, "crates.sqlite")
    rc, _, err = hull(["db", "build", "--db", db, "--from", os.path.join(DATA, "osv")], tmp)
    tap.ok(rc == 0, "hull db build GHSA-m5pq-gvj9-9vr8", [err])
    t = os.path.join(tmp, "cargo")
    lock = ('version = 3\n\n'
            '[[package]]\nname = "app"\nversion = "0.1.0"\n\n'
            '[[package]]\nname = "regex"\nversion = "%s"\n'
            'source = "registry+https://github.com/rust-lang/crates.io-index"\n')
    for d, v in [("old", "1.5.4"), ("fixed", "1.5.5"), ("new", "1.7.1")]:
        os.makedirs(os.path.join(t, d))
        with open(os.path.join(t, d, "Cargo.lock"), "w") as f:
            f.write(lock % v)
    os.makedirs(os.path.join(t, "py"))
    with open(os.path.join(t, "py", "requirements.txt"), "w") as f:
        f.write("regex==2021.8.3\n")
    os.makedirs(os.path.join(t, "usr/bin"))
    old = json.dumps({"packages": [
        {"name": "app", "version": "0.1.0", "source": "local", "dependencies": [1], "root": True},
        {"name": "regex", "version": "1.5.4", "source": "crates.io"}]})
    auditable(old, os.path.join(t, "usr/bin/app"))
    _, doc, _ = scan(tap, "rootfs", t, db, tmp)
    got = set()
    for f in doc.get("findings", []):
        ids = {f.get("id")} | set(f.get("aliases", []))
        if "GHSA-m5pq-gvj9-9vr8" in ids or "CVE-2022-24713" in ids:
            got.add((f.get("location", {}).get("file"), f["package"]["name"],
                     f["package"]["version"]))
    want = {("old/Cargo.lock", "regex", "1.5.4"), ("usr/bin/app", "regex", "1.5.4")}
    tap.same_sets("GHSA-m5pq-gvj9-9vr8: regex 1.5.4 in a Cargo.lock and a binary, nothing else",
                  want, got, show=lambda x: "%s %s %s" % x)
    pk = [f["package"] for f in doc.get("findings", []) if f["package"]["name"] == "regex"]
    tap.ok(all(p.get("type") == "cargo" for p in pk) and pk,
           "the findings are of type cargo (the PyPI regex is not matched)",
           ["%s" % p for p in pk])


GRADLE_LOCK = """# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.fasterxml.jackson.core:jackson-annotations:2.13.2=compileClasspath,runtimeClasspath
com.fasterxml.jackson.core:jackson-core:2.13.2=compileClasspath,runtimeClasspath
com.fasterxml.jackson.core:jackson-databind:2.13.2=compileClasspath,runtimeClasspath
org.apache.commons:commons-lang3:3.11=runtimeClasspath
org.apache.commons:commons-text:1.9=runtimeClasspath
empty=annotationProcessor,testCompileClasspath
"""


def case_gradle(tap, root, tmp):
    if not os.path.isdir(os.path.join(SHARED, "osv-lang", "Maven")):
        skip_missing("../shared/data/osv-lang/Maven")
    db = os.path.join(tmp, "maven.sqlite")
    rc, _, err = hull(["db", "build", "--db", db, "--from",
                       os.path.join(SHARED, "osv-lang", "Maven")], tmp)
    tap.ok(rc == 0, "hull db build osv-lang/Maven", [err])
    t = os.path.join(tmp, "gradle")
    os.makedirs(os.path.join(t, "app"))
    with open(os.path.join(t, "app", "gradle.lockfile"), "w") as f:
        f.write(GRADLE_LOCK)
    os.makedirs(os.path.join(t, "old", "gradle", "dependency-locks"))
    with open(os.path.join(t, "old", "gradle", "dependency-locks", "runtimeClasspath.lockfile"),
              "w") as f:
        f.write("# a Gradle 5 per-configuration lock\n"
                "org.apache.commons:commons-text:1.10.0\n"
                "com.fasterxml.jackson.core:jackson-databind:2.13.4.2\n")
    os.makedirs(os.path.join(t, "js", "node_modules", "commons-text"))
    with open(os.path.join(t, "js", "node_modules", "commons-text", "package.json"), "w") as f:
        json.dump({"name": "commons-text", "version": "1.9.0"}, f)
    _, doc, _ = scan(tap, "rootfs", t, db, tmp)
    got = set()
    for f in doc.get("findings", []):
        ids = {f.get("id")} | set(f.get("aliases", []))
        for i in ids:
            if i and i.startswith("GHSA-"):
                got.add((f.get("location", {}).get("file"), f["package"]["name"],
                         f["package"]["version"], i))
    lock = "app/gradle.lockfile"
    want = {(lock, "org.apache.commons:commons-text", "1.9", "GHSA-599f-7c49-w659"),
            (lock, "com.fasterxml.jackson.core:jackson-databind", "2.13.2", "GHSA-57j2-w4cx-62h2"),
            (lock, "com.fasterxml.jackson.core:jackson-databind", "2.13.2", "GHSA-jjjh-jjxp-wpff")}
    tap.same_sets("gradle.lockfile: commons-text 1.9 and jackson-databind 2.13.2 match, "
                  "the fixed versions of the old lock and the npm commons-text do not",
                  want, got, show=lambda x: "%s %s %s %s" % x)
    purls, out, err = maven_purls(tap, t, tmp)
    if purls is None:
        return
    want = {"pkg:maven/com.fasterxml.jackson.core/jackson-%s@%s" % nv for nv in
            [("annotations", "2.13.2"), ("core", "2.13.2"), ("databind", "2.13.2"),
             ("databind", "2.13.4.2")]}
    want |= {"pkg:maven/org.apache.commons/commons-lang3@3.11",
             "pkg:maven/org.apache.commons/commons-text@1.9",
             "pkg:maven/org.apache.commons/commons-text@1.10.0"}
    tap.same_sets("both lockfiles inventoried as pkg:maven, no 'empty'", want, purls)


POM_APP = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <modules><module>module</module></modules>
  <properties>
    <jackson.version>2.13.2</jackson.version>
    <xstream.version>1.4.20</xstream.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.google.guava</groupId>
        <artifactId>guava</artifactId>
        <version>31.1-jre</version>
        <scope>runtime</scope>
      </dependency>
      <dependency>
        <groupId>io.netty</groupId>
        <artifactId>netty-codec-http</artifactId>
        <version>4.1.48.Final</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-text</artifactId>
      <version>1.9</version>
    </dependency>
    <dependency>
      <groupId>com.google.guava</groupId>
      <artifactId>guava</artifactId>
    </dependency>
    <dependency>
      <groupId>com.thoughtworks.xstream</groupId>
      <artifactId>xstream</artifactId>
      <version>${xstream.version}</version>
    </dependency>
    <dependency>
      <groupId>io.netty</groupId>
      <artifactId>netty-handler</artifactId>
      <version>4.1.48.Final</version>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-compress</artifactId>
      <version>1.22</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""

POM_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.example</groupId>
    <artifactId>app</artifactId>
    <version>1.0.0</version>
  </parent>
  <artifactId>module</artifactId>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-core</artifactId>
      <version>[2.13.0,2.13.3)</version>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>lib</artifactId>
      <version>${project.version}</version>
    </dependency>
  </dependencies>
</project>
"""


def maven_db(tap, tmp):
    if not os.path.isdir(os.path.join(SHARED, "osv-lang", "Maven")):
        skip_missing("../shared/data/osv-lang/Maven")
    db = os.path.join(tmp, "maven.sqlite")
    rc, _, err = hull(["db", "build", "--db", db, "--from",
                       os.path.join(SHARED, "osv-lang", "Maven")], tmp)
    tap.ok(rc == 0, "hull db build osv-lang/Maven", [err])
    return db


def ghsa_rows(doc):
    got = set()
    for f in doc.get("findings", []):
        for i in {f.get("id")} | set(f.get("aliases", [])):
            if i and i.startswith("GHSA-"):
                got.add((f.get("location", {}).get("file"), f["package"]["name"],
                         f["package"]["version"], i))
    return got


def case_pom(tap, root, tmp):
    db = maven_db(tap, tmp)
    t = os.path.join(tmp, "pom")
    write(os.path.join(t, "app", "pom.xml"), POM_APP)
    write(os.path.join(t, "app", "module", "pom.xml"), POM_MODULE)
    write(os.path.join(t, "app", "classes", "META-INF", "maven", "org.apache.commons",
                       "commons-text", "pom.xml"), POM_APP)
    _, doc, err = scan(tap, "rootfs", t, db, tmp)
    pom = "app/pom.xml"
    want = {(pom, "org.apache.commons:commons-text", "1.9", "GHSA-599f-7c49-w659"),
            (pom, "com.fasterxml.jackson.core:jackson-databind", "2.13.2", "GHSA-57j2-w4cx-62h2"),
            (pom, "com.fasterxml.jackson.core:jackson-databind", "2.13.2", "GHSA-jjjh-jjxp-wpff"),
            (pom, "com.google.guava:guava", "31.1-jre", "GHSA-7g45-4rm6-3mm3")}
    tap.same_sets("pom.xml: the compile/runtime dependencies match; test, optional, managed-only, "
                  "fixed, unresolved, ranged and META-INF/maven ones do not",
                  want, ghsa_rows(doc), show=lambda x: "%s %s %s %s" % x)
    warn = ("app/module/pom.xml: line 14: com.fasterxml.jackson.core:jackson-databind: "
            "version: ${jackson.version} is not defined in this pom (and 1 more problems)")
    tap.ok(warn in err, "the unresolved version is a warning naming the file and line", [err])
    purls, out, err = maven_purls(tap, t, tmp)
    if purls is None:
        return
    want = {"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2",
            "pkg:maven/org.apache.commons/commons-text@1.9",
            "pkg:maven/com.google.guava/guava@31.1-jre",
            "pkg:maven/com.thoughtworks.xstream/xstream@1.4.20",
            "pkg:maven/org.example/lib@1.0.0"}
    tap.same_sets("pom.xml inventoried as pkg:maven: ${project.*} from <parent>, nothing guessed",
                  want, purls)


def case_pom_xxe(tap, root, tmp):
    import http.server
    import threading
    hits = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'<!ENTITY % leak SYSTEM "file:///etc/hostname">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    port = srv.server_address[1]
    marker = "7.7.7-XXE-MARKER"
    secret = os.path.join(tmp, "secret.txt")
    write(secret, marker)
    t = os.path.join(tmp, "xxe")
    write(os.path.join(t, "app", "pom.xml"), """<?xml version="1.0"?>
<!DOCTYPE project [
  <!ENTITY xxe SYSTEM "file://%s">
  <!ENTITY %% remote SYSTEM "http://127.0.0.1:%d/evil.dtd">
  %%remote;
]>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>&xxe;</version></dependency>
  </dependencies>
</project>
""" % (secret, port))
    write(os.path.join(t, "ok", "pom.xml"), "<project><dependencies><dependency><groupId>g"
          "</groupId><artifactId>b</artifactId><version>1.0</version></dependency>"
          "</dependencies></project>\n")
    purls, out, err = maven_purls(tap, t, tmp)
    srv.shutdown()
    if purls is None:
        return
    tap.same_sets("the XXE pom lists nothing, the other pom is read", {"pkg:maven/g/b@1.0"}, purls)
    tap.ok("app/pom.xml: line 2: a DOCTYPE, refused" in err, "a warning names the file and line",
           [err])
    tap.ok(marker not in out and marker not in err, "the marker file's content appears nowhere")
    tap.ok(not hits, "the loopback server received no request", hits)


def ref_pom(text):
    """(set of "g:a@v", problems) of a pom.xml by the rules of lang_pom.c,
    computed with ElementTree."""
    import re
    import xml.etree.ElementTree as ET
    r = ET.fromstring(text)
    ns = r.tag[:r.tag.index("}") + 1] if r.tag.startswith("{") else ""

    def ch(e, name):
        return None if e is None else e.find(ns + name)

    def txt(e):
        return "" if e is None else "".join(e.itertext()).strip()

    props = {}
    for p in list(ch(r, "properties") if ch(r, "properties") is not None else []):
        props[p.tag[len(ns):]] = txt(p)
    par = ch(r, "parent")
    ver = ch(r, "version") if ch(r, "version") is not None else ch(par, "version")
    grp = ch(r, "groupId") if ch(r, "groupId") is not None else ch(par, "groupId")
    builtin = {"project.version": ver, "pom.version": ver, "version": ver,
               "project.groupId": grp, "pom.groupId": grp, "groupId": grp,
               "project.artifactId": ch(r, "artifactId"), "pom.artifactId": ch(r, "artifactId"),
               "artifactId": ch(r, "artifactId"),
               "project.parent.version": ch(par, "version"), "parent.version": ch(par, "version"),
               "project.parent.groupId": ch(par, "groupId"), "parent.groupId": ch(par, "groupId")}

    def expand(s, depth=0):
        if depth > 8:
            return None
        out = ""
        while "${" in s:
            i = s.index("${")
            j = s.find("}", i)
            if j < 0:
                return None
            name = s[i + 2:j]
            if name in builtin:
                v = None if builtin[name] is None else txt(builtin[name])
            else:
                v = props.get(name)
            if v is None:
                return None
            v = expand(v, depth + 1)
            if v is None:
                return None
            out += s[:i] + v
            s = s[j + 1:]
        return out + s

    managed = {}
    for d in ch(ch(ch(r, "dependencyManagement"), "dependencies"), "dependency") is not None and \
            ch(ch(r, "dependencyManagement"), "dependencies").findall(ns + "dependency") or []:
        g, a = expand(txt(ch(d, "groupId"))), expand(txt(ch(d, "artifactId")))
        if g is not None and a is not None:
            managed.setdefault(g + ":" + a, d)
    got, problems = set(), 0
    deps = ch(r, "dependencies")
    for d in deps.findall(ns + "dependency") if deps is not None else []:
        g, a = expand(txt(ch(d, "groupId"))), expand(txt(ch(d, "artifactId")))
        if not g or not a or re.search(r"[\s:/]", g + a):
            problems += 1
            continue
        m = managed.get(g + ":" + a)
        sc = ch(d, "scope") if ch(d, "scope") is not None else ch(m, "scope")
        sc = expand(txt(sc))
        if sc is None:
            problems += 1
            continue
        if (sc or "compile") not in ("compile", "runtime") or expand(txt(ch(d, "optional"))) == "true":
            continue
        v = ch(d, "version") if ch(d, "version") is not None else ch(m, "version")
        v = None if v is None else expand(txt(v))
        if not v or re.search(r"[\s\[\](),]", v) or v in ("LATEST", "RELEASE"):
            problems += 1
            continue
        got.add("%s:%s@%s" % (g, a, v))
    return got, problems


def case_pom_real(tap, root, tmp):
    import zipfile
    from vulnlib import apt_debs
    cache = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "lang", "debs")
    debs = apt_debs(cache, ["libjackson2-databind-java=2.14.0-1+deb12u1",
                            "libcommons-text-java=1.10.0-1", "libguava-java=31.1-1",
                            "libcommons-compress-java=1.22-1", "libxstream-java=1.4.20-1+deb12u1",
                            "libnetty-java=1:4.1.48-7+deb12u2", "liblog4j2-java=2.19.0-2"])
    x = os.path.join(tmp, "x")
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", deb, x], check=True)
    t = os.path.join(tmp, "real")
    want, n, nprob = set(), 0, 0
    java = os.path.join(x, "usr", "share", "java")
    for f in sorted(os.listdir(java)):
        p = os.path.join(java, f)
        if not f.endswith(".jar") or os.path.islink(p):
            continue
        with zipfile.ZipFile(p) as z:
            for e in z.namelist():
                if not (e.startswith("META-INF/maven/") and e.endswith("/pom.xml")):
                    continue
                text = z.read(e)
                n += 1
                rel = "app/%d/pom.xml" % n
                write(os.path.join(t, rel), text, "wb")
                got, probs = ref_pom(text)
                nprob += probs
                want |= {(rel, g) for g in got}
    if n < 30:
        tap.ok(False, "the Debian jars hold %d pom.xml files, 30 or more expected" % n)
        return
    rc, out, err = hull(["sbom", "--format", "json", t], tmp)
    try:
        pkgs = json.loads(out).get("packages", [])
    except ValueError:
        tap.ok(False, "hull sbom: exit %d" % rc, [err])
        return
    got = {(p.get("file") or p.get("location", {}).get("file"), "%s@%s" % (p["name"], p["version"]))
           for p in pkgs if p.get("type") == "maven"}
    tap.same_sets("%d real pom.xml files: hull's list equals ElementTree's (%d packages, %d "
                  "left out as unresolved)" % (n, len(want), nprob), want, got,
                  show=lambda x: "%s %s" % x)
    tap.ok(err.count("pom.xml") >= (1 if nprob else 0) and "not well-formed" not in err,
           "every pom read; those with unresolved versions warned", [err[:3000]])


def main():
    case = case_arg(CASES)
    tap = Tap()
    with Tmp() as tmp:
        root = os.path.join(tmp, "root")
        make_tree(root)
        {"places": case_places, "roundtrip": case_roundtrip, "cargo": case_cargo,
         "gradle": case_gradle, "pom": case_pom, "pom-xxe": case_pom_xxe,
         "pom-real": case_pom_real}[case](
            tap, root, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
