#!/usr/bin/env python3
"""Go binaries: hull's inventory against `go version -m`, and hull's Go
matching against a reference computed here from ../shared/data/osv-go/all.zip.

Usage: golang.py CASE (--list prints the cases). Prints TAP.

Artifacts (../shared/data/lang-artifacts.md): real Go binaries published in
npm packages, fetched once with `npm pack` into $HULL_TEST_CACHE/lang (under
a lock) and put, with and without their names, in a temporary root that
hull scans with `hull sbom` / `hull rootfs`:
  esbuild 0.17.0  (go1.19.4, 1 dependency)
  esbuild 0.14.54 (go1.19, a version without a patch number)
  lefthook 1.3.0  (go1.19.1, 31 dependencies)

Cases:
  inventory  for each binary, hull's packages (name, version) and build
             settings equal what Debian's `go version -m` prints: stdlib at
             the Go version, the main module, every dependency (a "=>"
             replacement listed as the replacement's path and version, a
             local directory with no version), every "build" line. A copy
             under a name that says nothing (no extension, no exec bit) is
             found too, by content.
  match      the (GO id, module) pairs hull reports per binary equal the
             reference: every non-withdrawn record of all.zip whose
             affected[] names the module, evaluated here as the OSV schema
             says with SEMVER events sorted by Go's version order (written
             out below, pseudo-versions are pre-releases; the toolchain's
             "go1.19" is 1.19.0), one row per (id, module). The rows
             lang-artifacts.md lists must be there and GO-2022-0493,
             GO-2022-1059 and GO-2022-0603 must not.
  pe-macho   Go build info in PE and Mach-O files: a tiny module (one
             dependency replaced by a local directory) built here offline by
             Debian's golang-go with GOOS=windows GOARCH=amd64 and GOOS=darwin
             GOARCH=arm64 (cached in $HULL_TEST_CACHE/lang/gobuild); for each,
             hull's packages and build settings equal `go version -m`, read
             by content under a name that says nothing; the same done from an
             image layer.
  system     the Go binaries Debian ships on this machine (skopeo, umoci,
             podman, runc, docker-registry, the CNI plugins, the go
             toolchain's own tools; built by dh-golang outside module mode:
             a "path" line and no "mod" line) and a GOPATH build made here:
             for every ELF file of those directories, hull's packages and
             build settings equal `go version -m`, which prints nothing for
             a file that is not a Go binary, where hull must list no Go
             module either. With no main module, the build settings are on
             the stdlib component."""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vulnlib import (SHARED, Tap, Tmp, case_arg, docker_archive_of, hull,  # noqa: E402
                     reference_db, skip_env, skip_missing)

CACHE = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "lang")
ARTIFACTS = [
    # (npm spec, tarball member, place in the root)
    ("@esbuild/linux-x64@0.17.0", "package/bin/esbuild", "usr/local/bin/esbuild"),
    ("esbuild-linux-64@0.14.54", "package/bin/esbuild", "opt/esbuild14/esbuild"),
    ("lefthook-linux-x64@1.3.0", "package/bin/lefthook", "srv/app/lefthook"),
]
CASES = ["inventory", "match", "pe-macho", "system"]
SYSTEM_DIRS = ["/usr/bin", "/usr/sbin", "/usr/libexec/podman", "/usr/lib/podman", "/usr/lib/cni",
               "/usr/lib/go/bin", "/usr/lib/go/pkg/tool/linux_amd64"]
GO_DB = os.path.join(SHARED, "osv-go", "all.zip")


def fetch():
    """The binaries, fetched once (npm pack) and extracted into CACHE."""
    os.makedirs(CACHE, exist_ok=True)
    out = []
    with open(os.path.join(CACHE, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for spec, member, place in ARTIFACTS:
            name = re.sub(r"[^A-Za-z0-9.@-]", "_", spec)
            binp = os.path.join(CACHE, name + ".bin")
            if not os.path.exists(binp):
                tmp = os.path.join(CACHE, name + ".d")
                shutil.rmtree(tmp, ignore_errors=True)
                os.makedirs(tmp)
                r = subprocess.run(["npm", "pack", "--silent", spec], cwd=tmp,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
                if r.returncode != 0 or not tgz:
                    shutil.rmtree(tmp, ignore_errors=True)
                    skip_env("npm pack %s failed (registry unreachable?): %s" %
                             (spec, r.stderr.strip()[:200]))
                with tarfile.open(os.path.join(tmp, tgz[0])) as t:
                    data = t.extractfile(member).read()
                with open(binp + ".part", "wb") as f:
                    f.write(data)
                os.rename(binp + ".part", binp)
                shutil.rmtree(tmp, ignore_errors=True)
            out.append((spec, binp, place))
    return out


def make_root(root, bins):
    for spec, binp, place in bins:
        dst = os.path.join(root, place)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(binp, dst)
        os.chmod(dst, 0o755)
    # the first one again, under a name and mode that say nothing
    shutil.copyfile(bins[0][1], os.path.join(root, "srv", "blob"))
    # a directory walk opens executables and archive names only; an image
    # layer (checked below) probes whatever the mode
    os.chmod(os.path.join(root, "srv", "blob"), 0o700)


def docker_archive(root, out):
    """A one-layer docker-archive of root (the layer reader's path: the
    binaries are read from a tar stream, a hard link shares a digest)."""
    import io
    lb = io.BytesIO()
    with tarfile.open(fileobj=lb, mode="w") as t:
        t.add(root, arcname=".")
        ti = tarfile.TarInfo("srv/hardlink")
        ti.type = tarfile.LNKTYPE
        ti.linkname = "srv/app/lefthook"
        t.addfile(ti)
    layer = lb.getvalue()
    docker_archive_of(out, layer, "go:1")


def go_version_m(path):
    """(packages, build settings) from `go version -m`."""
    r = subprocess.run(["go", "version", "-m", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        return None, None
    lines = r.stdout.splitlines()
    if not lines:  # not a Go binary (go version says so on stderr, exit 0)
        return [], set()
    gover = lines[0].split(": ", 1)[1].split(" ")[0]
    pkgs = [("stdlib", gover)]
    builds = set()
    for line in lines[1:]:
        f = line.lstrip("\t").split("\t")
        if f[0] in ("mod", "dep"):
            pkgs.append((f[1], f[2]))
        elif f[0] == "=>":
            old = pkgs.pop()
            pkgs.append((f[1], f[2]) if f[2] else (old[0], ""))
        elif f[0] == "build":
            k, v = f[1].split("=", 1)
            builds.add((k, v))
    return sorted(pkgs), builds


def same_modules(tap, comps, place, binary):
    """Checks that hull's golang components whose file is `place` are the
    modules `go version -m binary` lists, each once, and that the main
    module carries the build settings that tool prints."""
    want, builds = go_version_m(binary)
    if want is None:
        tap.ok(False, "go version -m %s failed" % binary)
        return
    here = [(c, props(c)) for c in comps if props(c).get("hull:file") == place]
    got = sorted((c["name"], c.get("version", "")) for c, _ in here)
    tap.same_sets("%s: modules as go version -m lists them" % place, want, got,
                  show=lambda x: "%s %s" % x)
    tap.ok(len(got) == len(want), "%s: %d modules, none twice" % (place, len(want)))
    hb = set()
    has_main = any(p.get("hull:go:main") == "true" for _, p in here)
    for c, p in here:
        if p.get("hull:go:main") == "true" or (not has_main and c["name"] == "stdlib"):
            hb |= {(k[len("hull:go:build:"):], v) for k, v in p.items()
                   if k.startswith("hull:go:build:")}
    tap.same_sets("%s: build settings" % place, builds, hb, show=lambda x: "%s=%s" % x)


def hull_sbom(tap, root, tmp):
    rc, out, err = hull(["sbom", "--format", "cyclonedx", root], tmp)
    try:
        return json.loads(out)
    except ValueError:
        tap.ok(False, "hull sbom %s: exit %d" % (root, rc), [err])
        tap.finish()


def props(c):
    return {p["name"]: p["value"] for p in c.get("properties", [])}


def case_inventory(tap, bins, root, tmp):
    if not shutil.which("go"):
        skip_missing("go (Debian golang-go) for `go version -m`")
    doc = hull_sbom(tap, root, tmp)
    comps = [c for c in doc.get("components", []) if props(c).get("hull:type") == "golang"]
    # go version skips a file without the exec bit: the blob's reference is
    # the same binary where it is executable
    places = [(b[2], b[2]) for b in bins] + [("srv/blob", bins[0][2])]
    for place, ref in places:
        same_modules(tap, comps, place, os.path.join(root, ref))
    # the same binaries read from an image layer
    img = os.path.join(tmp, "go.tar")
    docker_archive(root, img)
    idoc = hull_sbom(tap, img, tmp)
    icomps = [c for c in idoc.get("components", []) if props(c).get("hull:type") == "golang"]
    for place in [b[2] for b in bins] + ["srv/blob"]:
        want = sorted((c["name"], c.get("version", "")) for c in comps
                      if props(c).get("hull:file") == place)
        got = sorted((c["name"], c.get("version", "")) for c in icomps
                     if props(c).get("hull:file") == place
                     and props(c).get("hull:layer:index") == "0")
        tap.same_sets("image layer: %s as in the directory" % place, want, got,
                      show=lambda x: "%s %s" % x)
    want = sorted((c["name"], c.get("version", "")) for c in comps
                  if props(c).get("hull:file") == "srv/app/lefthook")
    got = sorted((c["name"], c.get("version", "")) for c in icomps
                 if props(c).get("hull:file") == "srv/hardlink")
    tap.same_sets("image layer: a hard link to a Go binary", want, got, show=lambda x: "%s %s" % x)


GO_MODULE = {
    "lib/go.mod": "module example.com/lib\n\ngo 1.19\n",
    "lib/lib.go": "package lib\n\nfunc Hello() string { return \"hi\" }\n",
    "app/go.mod": "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.2.3\n\n"
                  "replace example.com/lib v1.2.3 => ../lib\n",
    "app/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/lib\"\n)\n\n"
                   "func main() { fmt.Println(lib.Hello()) }\n",
}
CROSS = [("windows", "amd64", "app.exe"), ("darwin", "arm64", "app-darwin")]


def cross_build():
    """The module above built for Windows and macOS, once, offline (no
    proxy, no network: the dependency is a local directory), into
    CACHE/gobuild under a lock; both builds run at once."""
    d = os.path.join(CACHE, "gobuild")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        outs = [os.path.join(d, o) for _, _, o in CROSS]
        if all(os.path.exists(o) for o in outs):
            return outs
        src = os.path.join(d, "src")
        for rel, text in GO_MODULE.items():
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            with open(os.path.join(src, rel), "w") as f:
                f.write(text)
        procs = []
        for goos, goarch, out in CROSS:
            env = dict(os.environ, GOOS=goos, GOARCH=goarch, GOPROXY="off", GOFLAGS="-mod=mod",
                       GOCACHE=os.path.join(d, "cache"), GOPATH=os.path.join(d, "gopath"),
                       CGO_ENABLED="0", GOTOOLCHAIN="local")
            procs.append((out, subprocess.Popen(
                ["go", "build", "-buildvcs=false", "-o", os.path.join(d, out + ".new"), "."],
                cwd=os.path.join(src, "app"), env=env, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)))
        for out, p in procs:
            _, err = p.communicate()
            if p.returncode != 0:
                return "go build %s: %s" % (out, err[:500])
        for out, _ in procs:
            os.rename(os.path.join(d, out + ".new"), os.path.join(d, out))
        return outs


def case_pe_macho(tap, bins, root, tmp):
    if not shutil.which("go"):
        skip_missing("go (Debian golang-go) to build and read the binaries")
    outs = cross_build()
    if isinstance(outs, str):
        tap.ok(False, outs)
        return
    t = os.path.join(tmp, "xroot")
    places = []
    for out, (goos, _, name) in zip(outs, CROSS):
        for place in ["opt/%s/%s" % (goos, name), "srv/%s-blob" % goos]:
            dst = os.path.join(t, place)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(out, dst)
            os.chmod(dst, 0o755)
            places.append((place, out))
    with open(outs[0], "rb") as f:
        tap.ok(f.read(2) == b"MZ", "the Windows build is a PE file")
    with open(outs[1], "rb") as f:
        tap.ok(f.read(4) == b"\xcf\xfa\xed\xfe", "the macOS build is a 64-bit Mach-O file")
    doc = hull_sbom(tap, t, tmp)
    comps = [c for c in doc.get("components", []) if props(c).get("hull:type") == "golang"]
    for place, ref in places:
        same_modules(tap, comps, place, ref)
    img = os.path.join(tmp, "x.tar")
    docker_archive_of(img, tar_of(t), "x:1")
    idoc = hull_sbom(tap, img, tmp)
    icomps = [c for c in idoc.get("components", []) if props(c).get("hull:type") == "golang"]
    want = sorted((props(c).get("hull:file"), c["name"], c.get("version", "")) for c in comps)
    got = sorted((props(c).get("hull:file"), c["name"], c.get("version", "")) for c in icomps)
    tap.same_sets("image layer: the PE and Mach-O binaries as in the directory", want, got,
                  show=lambda x: "%s %s %s" % x)


GOPATH_MAIN = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"


def gopath_build():
    """A program built outside module mode (GO111MODULE=off, as dh-golang
    builds), once, offline, into CACHE/gobuild."""
    d = os.path.join(CACHE, "gobuild")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "gopath-hello")
    with open(os.path.join(d, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(out):
            return out
        gopath = os.path.join(d, "gopath-src")
        src = os.path.join(gopath, "src", "example.org", "hello")
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(src, "main.go"), "w") as f:
            f.write(GOPATH_MAIN)
        env = dict(os.environ, GO111MODULE="off", GOPATH=gopath, GOPROXY="off",
                   GOCACHE=os.path.join(d, "cache"), CGO_ENABLED="0", GOTOOLCHAIN="local")
        p = subprocess.run(["go", "build", "-trimpath", "-o", out + ".new", "example.org/hello"],
                           cwd=src, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if p.returncode != 0:
            return "go build (GOPATH mode): " + p.stderr[:500]
        os.rename(out + ".new", out)
        return out


def system_elves():
    """Every regular ELF file of SYSTEM_DIRS (links resolved to one copy)."""
    seen, files = set(), []
    for d in SYSTEM_DIRS:
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            st = os.stat(path)
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            try:
                with open(path, "rb") as f:
                    if f.read(4) != b"\x7fELF":
                        continue
            except OSError:
                continue
            files.append(path)
    return files


def place_file(src, dst):
    """Hard link where the file system allows, else a copy (mode kept)."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def case_system(tap, bins, root, tmp):
    if not shutil.which("go"):
        skip_missing("go (Debian golang-go) for `go version -m`")
    built = gopath_build()
    if not os.path.exists(built):
        tap.ok(False, built)
        return
    files = system_elves() + [built]
    t = os.path.join(tmp, "sys")
    places = []
    for i, f in enumerate(files):
        place = "f%d/%s" % (i, os.path.basename(f))
        place_file(f, os.path.join(t, place))
        places.append((place, f))
    doc = hull_sbom(tap, t, tmp)
    comps = [c for c in doc.get("components", []) if props(c).get("hull:type") == "golang"]
    named, ngo = set(), 0
    for place, ref in places:
        want, _ = go_version_m(ref)
        if want:
            ngo += 1
            named.add(os.path.basename(ref))
            same_modules(tap, comps, place, ref)
        else:
            got = [c["name"] for c in comps if props(c).get("hull:file") == place]
            if got:
                tap.ok(False, "%s (%s) is not a Go binary, hull lists %s" % (place, ref, got))
    for must in ["skopeo", "umoci", "gopath-hello"]:
        tap.ok(must in named, "%s is among the Go binaries compared" % must)
    tap.ok(ngo >= 3, "%d Go binaries and %d other ELF files compared" % (ngo, len(places) - ngo))


def tar_of(d):
    import io
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        t.add(d, arcname=".")
    return b.getvalue()


# ---- the reference: Go's version order, OSV evaluation ----

def go_key(v):
    """x/mod/semver order; "v" optional; "go1.19" is 1.19.0, "go1.21rc2"
    1.21.0-rc.2. Returns a sortable tuple."""
    m = re.fullmatch(r"go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?", v)
    if m:
        pre = [m.group(4), int(m.group(5))] if m.group(4) else []
        return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)) + pre_key(pre)
    m = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?", v)
    if not m:
        raise ValueError(v)
    pre = []
    if m.group(4):
        pre = [int(x) if x.isdigit() else x for x in m.group(4).split(".")]
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)) + pre_key(pre)


def pre_key(pre):
    # a release sorts after every pre-release; numbers before strings
    if not pre:
        return ((1,),)
    return ((0,) + tuple((0, x, "") if isinstance(x, int) else (1, 0, x) for x in pre),)


def affected(version, aff):
    if version in aff.get("versions", []):
        return True
    k = go_key(version)
    for rng in aff.get("ranges", []):
        if rng.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        evs = []
        for e in rng.get("events", []):
            (kind, v), = e.items()
            evs.append(((-1,) if v == "0" and kind == "introduced" else go_key(v), kind))
        evs.sort(key=lambda x: x[0])
        aff_now = False
        for ek, kind in evs:
            if kind == "introduced" and ek <= k:
                aff_now = True
            elif kind == "fixed" and ek <= k:
                aff_now = False
            elif kind == "last_affected" and ek < k:
                aff_now = False
        if aff_now:
            return True
    return False


def reference(pkgs):
    """{(module, GO id)} for the (name, version) pairs of one binary."""
    by_name = {}
    for n, v in pkgs:
        by_name.setdefault(n, []).append(v)
    rows = set()
    with zipfile.ZipFile(GO_DB) as z:
        for name in z.namelist():
            rec = json.loads(z.read(name))
            if rec.get("withdrawn"):
                continue
            for a in rec.get("affected", []):
                p = a.get("package", {})
                if p.get("ecosystem") != "Go" or p.get("name") not in by_name:
                    continue
                for v in by_name[p["name"]]:
                    try:
                        if v and v != "(devel)" and affected(v, a):
                            rows.add((p["name"], rec["id"]))
                    except ValueError:
                        pass
    return rows


def go_db(tap):
    return reference_db("go", GO_DB, "osv-go/all.zip", tap)


MUST = {
    "usr/local/bin/esbuild": ({("golang.org/x/sys", "GO-2026-5024")}, 89,
                              {"GO-2022-0493"}),
    "opt/esbuild14/esbuild": ({("golang.org/x/sys", "GO-2026-5024")}, 97, {"GO-2022-0493"}),
    "srv/app/lefthook": ({("golang.org/x/sys", "GO-2026-5024"),
                          ("golang.org/x/text", "GO-2026-5970")}, 95,
                         {"GO-2022-1059", "GO-2022-0603"}),
}


def case_match(tap, bins, root, tmp):
    db = go_db(tap)
    rc, out, err = hull(["rootfs", "--db", db, "--format", "json", root], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        tap.ok(False, "hull rootfs: exit %d" % rc, [err])
        tap.finish()
    sb = hull_sbom(tap, root, tmp)
    comps = [c for c in sb.get("components", []) if props(c).get("hull:type") == "golang"]
    for spec, binp, place in bins:
        pkgs = [(c["name"], c.get("version", "")) for c in comps
                if props(c).get("hull:file") == place]
        want = reference(pkgs)
        got = set()
        for f in doc.get("findings", []):
            if f.get("location", {}).get("file") != place:
                continue
            for i in [f["id"]] + f.get("aliases", []):
                if i.startswith("GO-"):
                    got.add((f["package"]["name"], i))
        tap.same_sets("%s: (module, GO id) rows" % place, want, got, show=lambda x: "%s %s" % x)
        must, nstd, never = MUST[place]
        std = {r for r in got if r[0] == "stdlib"}
        tap.ok(must <= got and len(std) == nstd,
               "%s: lang-artifacts.md's rows (%d stdlib + %s)" % (place, nstd, sorted(must)))
        tap.ok(not any(i in never for _, i in got), "%s: none of %s" % (place, sorted(never)))


def main():
    case = case_arg(CASES)
    if not os.path.exists(GO_DB):
        skip_missing(GO_DB)
    if not shutil.which("npm"):
        skip_missing("npm")
    if case in ("pe-macho", "system"):
        tap = Tap()
        with Tmp() as tmp:
            {"pe-macho": case_pe_macho, "system": case_system}[case](tap, None, None, tmp)
        tap.finish()
        return
    bins = fetch()
    tap = Tap()
    with Tmp() as tmp:
        root = os.path.join(tmp, "root")
        make_root(root, bins)
        {"inventory": case_inventory, "match": case_match,
         "system": case_system}[case](tap, bins, root, tmp)
    tap.finish()


if __name__ == "__main__":
    main()
