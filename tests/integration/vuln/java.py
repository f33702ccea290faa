#!/usr/bin/env python3
"""Java archives: hull's Maven inventory against the pom.properties `unzip`
finds in the same archives, nested ones included, and Maven matching
against the expectations of ../shared/data/lang-artifacts.md.

Usage: java.py CASE (--list prints the cases). Prints TAP.

Artifacts: the Debian 12 packages lang-artifacts.md lists (jackson-databind,
commons-text, guava, commons-compress, xstream, netty (24 jars, one with a
shaded jctools), log4j2 (10 jars)), fetched once with `apt-get download`
into $HULL_TEST_CACHE/lang and unpacked with dpkg-deb into an application
directory of a temporary root (no dpkg database: the jars are an
application's, matched as Maven). Made here from them: a Spring Boot-style
jar (BOOT-INF/lib), a war (WEB-INF/lib), log4j-core renamed to a name that
says nothing, an archive nested 10 deep, and a zip bomb.

Cases:
  inventory  per file, the set of (nested path, groupId:artifactId, version)
             hull lists equals what `unzip -Z1` / `unzip -p` give for every
             pom.properties (META-INF/maven/*/*/ or anywhere else, as in
             Trivy's nested.jar fixture), descending into nested
             archives up to hull's depth (8); the 10-deep archive and the
             bomb give a warning naming them, and the run ends (bounded).
  match      with a database built from ../shared/data/osv-lang/Maven (the
             real GHSA records), the advisories lang-artifacts.md says must
             match are reported for the right artifact and file, and the
             ones it says must not are not.
  system     every jar, war and ear file of this machine's Java directories
             (/usr/share/java, /usr/share/maven-repo, /usr/share/maven/lib,
             /usr/lib/jvm: the Debian packages installed here; and the
             Google Cloud SDK's 264 when the machine has it, Eclipse's signed
             ecj among them), compared per file as in `inventory`,
             with no warning for any of them (they are real archives)."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (HULL, SHARED, Tap, Tmp, apt_debs, case_arg, hull,  # noqa: E402
                     reference_db, skip_env, skip_missing)

CACHE = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "lang")
DEBS = ["libjackson2-databind-java=2.14.0-1+deb12u1", "libcommons-text-java=1.10.0-1",
        "libguava-java=31.1-1", "libcommons-compress-java=1.22-1",
        "libxstream-java=1.4.20-1+deb12u1", "libnetty-java=1:4.1.48-7+deb12u2",
        "liblog4j2-java=2.19.0-2"]
MAVEN_DB = os.path.join(SHARED, "osv-lang", "Maven")
CASES = ["inventory", "match", "system"]
SYSTEM_DIRS = ["/usr/share/java", "/usr/share/maven-repo", "/usr/share/maven/lib", "/usr/lib/jvm",
               "/usr/lib/google-cloud-sdk"]
MAX_DEPTH = 8


def fetch():
    return apt_debs(os.path.join(CACHE, "debs"), DEBS)


def zip_bytes(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


def pom(g, a, v):
    return ("META-INF/maven/%s/%s/pom.properties" % (g, a),
            "#Generated\nversion=%s\ngroupId=%s\nartifactId=%s\n" % (v, g, a))


def make_root(root, debs, tmp):
    x = os.path.join(tmp, "x")
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", deb, x], check=True)
    lib = os.path.join(root, "app", "lib")
    os.makedirs(lib)
    for f in sorted(os.listdir(os.path.join(x, "usr/share/java"))):
        p = os.path.join(x, "usr/share/java", f)
        if f.endswith(".jar") and os.path.isfile(p) and not os.path.islink(p):
            shutil.copyfile(p, os.path.join(lib, f))
    rd = lambda n: open(os.path.join(lib, n), "rb").read()  # noqa: E731
    # log4j-core under a name that says nothing
    shutil.copyfile(os.path.join(lib, "log4j-core.jar"), os.path.join(root, "app", "blob.bin"))
    # Spring Boot and a war
    with open(os.path.join(root, "app", "boot.jar"), "wb") as f:
        f.write(zip_bytes([pom("com.example", "boot-app", "1.0.0"),
                           ("BOOT-INF/lib/commons-text-1.10.0.jar", rd("commons-text.jar")),
                           ("BOOT-INF/lib/guava.jar", rd("guava.jar"))]))
    with open(os.path.join(root, "app", "web.war"), "wb") as f:
        f.write(zip_bytes([("WEB-INF/lib/xstream.jar", rd("xstream.jar")),
                           ("WEB-INF/lib/netty-codec-http.jar", rd("netty-codec-http.jar"))]))
    # pom.properties outside META-INF/maven (shading and hand-made jars;
    # the shape of Trivy's nested.jar fixture), also in a nested jar
    inner = zip_bytes([("META-INF/nested2/pom.properties",
                        "version=0.0.2\ngroupId=test\nartifactId=nested2\n")])
    with open(os.path.join(root, "app", "nested.jar"), "wb") as f:
        f.write(zip_bytes([("META-INF/nested/pom.properties",
                            "version=0.0.1\ngroupId=test\nartifactId=nested\n"),
                           ("copy/pom.properties",
                            "version=0.0.1\ngroupId=test\nartifactId=nested\n"),
                           ("META-INF/jars/nested2.jar", inner)]))
    # no pom.properties: the MANIFEST.MF fallback, in a signed jar whose
    # manifest lists a digest per entry past 64 KiB (Eclipse's ecj: 120 KiB)
    entries = "".join("Name: org/example/C%d.class\r\nSHA-256-Digest: %s=\r\n\r\n"
                      % (i, "A" * 43) for i in range(2000))
    manifest = ("Manifest-Version: 1.0\r\nImplementation-Title: signed-thing\r\n"
                "Implementation-Version: 4.2.0\r\n\r\n" + entries)
    with open(os.path.join(root, "app", "signed.jar"), "wb") as f:
        f.write(zip_bytes([("META-INF/MANIFEST.MF", manifest)]))
    # 10 deep, an artifact at each level
    inner = zip_bytes([pom("com.example", "deep-10", "1.0")])
    for level in range(9, 0, -1):
        inner = zip_bytes([pom("com.example", "deep-%d" % level, "1.0"),
                           ("lib/level%d.jar" % (level + 1), inner)])
    with open(os.path.join(root, "app", "deep.jar"), "wb") as f:
        f.write(inner)
    # a zip bomb: nested jars that inflate past hull's 64 MiB for one nested
    # archive, and an artifact beside them
    zeros = zip_bytes([("inner.jar", b"\0" * (65 << 20))])
    with open(os.path.join(root, "app", "bomb.jar"), "wb") as f:
        f.write(zip_bytes([pom("com.example", "bomb", "1.0")] +
                          [("lib/b%d.jar" % i, zeros) for i in range(8)] +
                          [("BOOT-INF/lib/huge.jar", b"PK\x03\x04" + b"\0" * (65 << 20))]))


def unzip_poms(path, data=None, prefix="", depth=0):
    """{(nested path, g:a, version)} read with unzip, recursing into nested
    archives below hull's depth limit."""
    out = set()
    if data is not None:
        tmpf = path + ".nested"
        with open(tmpf, "wb") as f:
            f.write(data)
        path = tmpf
    r = subprocess.run(["unzip", "-Z1", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    names = r.stdout.decode("utf-8", "replace").splitlines() if r.returncode in (0, 1) else []
    for n in names:
        if re.fullmatch(r"(.*/)?pom\.properties", n):
            t = subprocess.run(["unzip", "-p", path, n], stdout=subprocess.PIPE).stdout.decode()
            kv = {}
            for line in t.splitlines():
                m = re.match(r"\s*(groupId|artifactId|version)\s*[=:]\s*(.*?)\s*$", line)
                if m:
                    kv[m.group(1)] = m.group(2)
            if all(kv.get(k) for k in ("groupId", "artifactId", "version")):
                out.add((prefix, kv["groupId"] + ":" + kv["artifactId"], kv["version"]))
        elif re.search(r"\.(jar|war|ear)$", n) and depth + 1 < MAX_DEPTH:
            # hull reads a nested archive of at most 64 MiB inflated
            with zipfile.ZipFile(path) as z:
                if z.getinfo(n).file_size > (64 << 20):
                    continue
            inner = subprocess.run(["unzip", "-p", path, n], stdout=subprocess.PIPE).stdout
            if inner[:4] == b"PK\x03\x04" and len(inner) <= (64 << 20):
                out |= unzip_poms(path, inner, (prefix + "!/" if prefix else "") + n, depth + 1)
    if data is not None:
        os.unlink(path)
    return out


def props(c):
    return {p["name"]: p["value"] for p in c.get("properties", [])}


def same_as_unzip(tap, root, comps):
    """Per file under root: hull's (nested path, g:a, version) from
    pom.properties equal unzip's."""
    files = sorted(os.path.relpath(os.path.join(d, f), root)
                   for d, _, fs in os.walk(root) for f in fs)
    for rel in files:
        want = unzip_poms(os.path.join(root, rel))
        got = {(props(c).get("hull:maven:path", ""), c["name"], c.get("version", ""))
               for c in comps if props(c).get("hull:file") == rel
               and props(c).get("hull:maven:confidence") != "low"}
        tap.same_sets("%s: pom.properties (unzip) = hull" % rel, want, got,
                      show=lambda x: "%s %s %s" % x)


def case_inventory(tap, root, tmp):
    if not shutil.which("unzip"):
        skip_missing("unzip")
    r = subprocess.run(["/usr/bin/time", "-f", "%M", HULL, "sbom", "--format", "cyclonedx", root],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, HULL_CACHE_DIR=os.path.join(tmp, "c")))
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        tap.ok(False, "hull sbom: exit %d" % r.returncode, [r.stderr])
        tap.finish()
    rss_kib = int(r.stderr.strip().splitlines()[-1])
    comps = [c for c in doc.get("components", []) if props(c).get("hull:type") == "maven"]
    same_as_unzip(tap, root, comps)
    warnings = [line for line in r.stderr.splitlines() if line.startswith("hull: warning:")]
    signed = [(c["name"], c.get("version"), props(c).get("hull:maven:confidence"))
              for c in comps if props(c).get("hull:file") == "app/signed.jar"]
    tap.ok(signed == [("signed-thing", "4.2.0", "low")],
           "a signed jar's 100 KiB MANIFEST.MF: its main section read (%s)" % signed)
    tap.ok(not [w for w in warnings if "signed.jar" in w],
           "a signed jar's manifest is no warning", warnings)
    tap.ok(any("deep.jar" in w and "deep" in w for w in warnings),
           "10-deep nesting is a warning", warnings)
    tap.ok(any("bomb.jar" in w and "limits" in w for w in warnings),
           "the zip bomb is a warning", warnings)
    tap.ok(rss_kib < 400 * 1024, "bounded run: peak RSS %d KiB" % rss_kib)
    twice = [c for c in comps if props(c).get("hull:file") == "app/nested.jar" and
             c["name"] == "test:nested"]
    tap.ok(len(twice) == 1, "one artifact named by two pom.properties of one archive is "
           "listed once (%d)" % len(twice))
    names = {(props(c).get("hull:file"), c["name"]) for c in comps}
    tap.ok(("app/blob.bin", "org.apache.logging.log4j:log4j-core") in names,
           "log4j-core renamed is still found")
    tap.ok(("app/lib/netty-common.jar", "org.jctools:jctools-core") in names,
           "the shaded jctools in netty-common")


# lang-artifacts.md: (file, artifact) -> advisories that must / must not match
MUST = [
    ("app/lib/guava.jar", "com.google.guava:guava", "GHSA-7g45-4rm6-3mm3"),
    ("app/lib/commons-compress.jar", "org.apache.commons:commons-compress", "GHSA-cgwf-w82q-5jrr"),
    ("app/lib/commons-compress.jar", "org.apache.commons:commons-compress", "GHSA-4g9r-vxhx-9pgx"),
    ("app/lib/commons-compress.jar", "org.apache.commons:commons-compress", "GHSA-4265-ccf5-phj5"),
    ("app/lib/netty-codec-http.jar", "io.netty:netty-codec-http", "GHSA-269q-hmxg-m83q"),
    ("app/lib/netty-handler.jar", "io.netty:netty-handler", "GHSA-6mjq-h674-j845"),
    ("app/boot.jar", "com.google.guava:guava", "GHSA-7g45-4rm6-3mm3"),
    ("app/web.war", "io.netty:netty-codec-http", "GHSA-269q-hmxg-m83q"),
]
NEVER = ["GHSA-jjjh-jjxp-wpff", "GHSA-57j2-w4cx-62h2", "GHSA-599f-7c49-w659",
         "GHSA-5mg8-w23w-74h3", "GHSA-j563-grx4-pjpv", "GHSA-jfh8-c2jp-5v3q",
         "GHSA-7rjr-3q55-vv33"]


def case_match(tap, root, tmp):
    db = reference_db("maven", MAVEN_DB, "osv-lang/Maven", tap)
    rc, out, err = hull(["rootfs", "--db", db, "--format", "json", root], tmp)
    doc = json.loads(out)
    got = set()
    for f in doc.get("findings", []):
        for i in [f["id"]] + f.get("aliases", []):
            if i.startswith("GHSA-"):
                got.add((f["location"]["file"], f["package"]["name"], i))
    for row in MUST:
        tap.ok(row in got, "%s %s: %s" % row)
    ids = {g[2] for g in got}
    for i in NEVER:
        tap.ok(i not in ids, "never %s" % i, [str(sorted(g for g in got if g[2] == i))])
    # per groupId:artifactId: the netty ids on their own artifact only
    for file, name, i in got:
        if i in ("GHSA-269q-hmxg-m83q", "GHSA-6mjq-h674-j845"):
            want = "io.netty:netty-codec-http" if i == "GHSA-269q-hmxg-m83q" else "io.netty:netty-handler"
            tap.ok(name == want, "%s on %s (%s)" % (i, name, file))


def case_system(tap, tmp):
    if not shutil.which("unzip"):
        skip_missing("unzip")
    root = os.path.join(tmp, "sys")
    seen, n = set(), 0
    for top in SYSTEM_DIRS:
        for d, _, fs in os.walk(top):
            for f in sorted(fs):
                path = os.path.join(d, f)
                if os.path.islink(path) or not re.search(r"\.(jar|war|ear)$", f):
                    continue
                st = os.stat(path)
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
                dst = os.path.join(root, "a%d" % n, f)
                n += 1
                os.makedirs(os.path.dirname(dst))
                try:
                    os.link(path, dst)
                except OSError:
                    shutil.copyfile(path, dst)
    if n < 10:
        skip_env("only %d Java archives on this machine" % n)
    rc, out, err = hull(["sbom", "--format", "cyclonedx", root], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        tap.ok(False, "hull sbom: exit %d" % rc, [err])
        return
    comps = [c for c in doc.get("components", []) if props(c).get("hull:type") == "maven"]
    same_as_unzip(tap, root, comps)
    warnings = [line for line in err.splitlines() if line.startswith("hull: warning:")
                and "unknown distribution" not in line]
    tap.ok(not warnings, "%d real archives, no warning" % n, warnings)


def main():
    case = case_arg(CASES)
    if case == "system":
        tap = Tap()
        with Tmp() as tmp:
            case_system(tap, tmp)
        tap.finish()
        return
    if not os.path.isdir(MAVEN_DB):
        skip_missing(MAVEN_DB)
    for tool in ("apt-get", "dpkg-deb"):
        if not shutil.which(tool):
            skip_env(tool + " (not a Debian machine)")
    debs = fetch()
    tap = Tap()
    with Tmp() as tmp:
        root = os.path.join(tmp, "root")
        make_root(root, debs, tmp)
        {"inventory": case_inventory, "match": case_match}[case](tap, root, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
