#!/usr/bin/env python3
"""Choosing the image inside an archive or layout: tags, platforms, nested
indexes, attestation manifests; and whiteouts on the real 3-layer image.

Usage: image_select.py CASE   (--list prints the cases). Prints TAP.
Environment: HULL_BIN, HULL_BUILD (for tests/unit/image/image_dump)."""

import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile  # noqa: E402  (image building helpers)
sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")), "tests", "lib"))
from hullskip import skip_missing  # noqa: E402

CACHE = os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test")


def status_layer(pkg):
    status = f"Package: {pkg}\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0\n\n"
    return hostile.tar_bytes([
        hostile.file_entry("var/lib/dpkg/status", status.encode()),
        hostile.file_entry("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
    ])


def image_manifest(layout, pkg, arch):
    """Writes one image (config + one layer) and returns its manifest bytes."""
    layer = status_layer(pkg)
    blob = gzip.compress(layer, mtime=0)
    config = json.dumps({"architecture": arch, "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [hostile.sha256(layer)]}}).encode()
    return json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": hostile.write_blob(layout, config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": hostile.write_blob(layout, blob), "size": len(blob)}]}).encode()


def desc(layout, data, media, **extra):
    d = {"mediaType": media, "digest": hostile.write_blob(layout, data), "size": len(data)}
    d.update(extra)
    return d


def new_layout(root):
    layout = os.path.join(root, "oci")
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    return layout


def write_index(layout, manifests):
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": manifests}, f)


MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"


def multiplatform(root):
    """index.json -> (tag "multi") nested index -> amd64, arm64 and an attestation."""
    layout = new_layout(root)
    amd = image_manifest(layout, "pkg-amd64", "amd64")
    arm = image_manifest(layout, "pkg-arm64", "arm64")
    att = image_manifest(layout, "attestation", "unknown")
    nested = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": [
        desc(layout, arm, MANIFEST, platform={"os": "linux", "architecture": "arm64", "variant": "v8"}),
        desc(layout, amd, MANIFEST, platform={"os": "linux", "architecture": "amd64"}),
        desc(layout, att, MANIFEST, platform={"os": "unknown", "architecture": "unknown"}),
    ]}).encode()
    write_index(layout, [desc(layout, nested, INDEX,
                              annotations={"org.opencontainers.image.ref.name": "multi"})])
    return layout


def two_tags(root):
    layout = new_layout(root)
    a = image_manifest(layout, "pkg-a", "amd64")
    b = image_manifest(layout, "pkg-b", "amd64")
    write_index(layout, [
        desc(layout, a, MANIFEST, annotations={"org.opencontainers.image.ref.name": "a"}),
        desc(layout, b, MANIFEST, annotations={"org.opencontainers.image.ref.name": "b"})])
    return layout


def hull(*args):
    p = subprocess.run([os.environ["HULL_BIN"], "sbom", "--format", "json", "--quiet", *args],
                       capture_output=True, text=True, timeout=120)
    pkgs = []
    if p.returncode == 0:
        pkgs = [x["name"] for x in json.loads(p.stdout)["packages"]]
    return p.returncode, pkgs, p.stderr.strip()


def expect(n, ok, what):
    print(f"{'ok' if ok else 'not ok'} {n} - {what}")
    return ok


def case_platform(root):
    layout = multiplatform(root)
    host = {"x86_64": "pkg-amd64", "aarch64": "pkg-arm64"}.get(platform.machine(), "pkg-amd64")
    results = []
    rc, pkgs, err = hull(layout)
    results.append(expect(1, rc == 0 and pkgs == [host], f"default platform picks {host} ({pkgs} {err})"))
    rc, pkgs, err = hull("--platform", "linux/arm64", layout)
    results.append(expect(2, rc == 0 and pkgs == ["pkg-arm64"], f"--platform linux/arm64 ({pkgs} {err})"))
    rc, pkgs, err = hull("--platform", "linux/arm64/v8", layout + ":multi")
    results.append(expect(3, rc == 0 and pkgs == ["pkg-arm64"], f"variant and tag together ({pkgs} {err})"))
    rc, pkgs, err = hull("--platform", "linux/s390x", layout)
    results.append(expect(4, rc == 2 and "linux/amd64" in err and "linux/arm64" in err
                          and "unknown" not in err and err.count("\n") == 0,
                          f"an absent platform is an error listing the choices ({err})"))
    rc, pkgs, err = hull("--platform", "linux", layout)
    results.append(expect(5, rc == 2 and "OS/ARCH" in err, f"a malformed --platform ({err})"))
    return results


def case_tags(root):
    layout = two_tags(root)
    results = []
    rc, pkgs, err = hull(layout + ":b")
    results.append(expect(1, rc == 0 and pkgs == ["pkg-b"], f"TARGET:TAG ({pkgs} {err})"))
    rc, pkgs, err = hull("--tag", "a", layout)
    results.append(expect(2, rc == 0 and pkgs == ["pkg-a"], f"--tag ({pkgs} {err})"))
    rc, pkgs, err = hull(layout)
    results.append(expect(3, rc == 2 and "a, b" in err and "--tag" in err,
                          f"no tag with two images is an error listing them ({err})"))
    rc, pkgs, err = hull(layout + ":c")
    results.append(expect(4, rc == 2 and "no image tagged 'c'" in err, f"unknown tag ({err})"))
    return results


def case_docker_tags(root):
    layers = {}
    entries, members = [], []
    for name in ("one", "two"):
        layer = status_layer("pkg-" + name)
        cfg = json.dumps({"os": "linux", "architecture": "amd64",
                          "rootfs": {"type": "layers", "diff_ids": [hostile.sha256(layer)]}}).encode()
        cname = hostile.sha256(cfg)[7:] + ".json"
        members += [(cname, cfg), (name + "/layer.tar", layer)]
        entries.append({"Config": cname, "RepoTags": [f"docker.io/library/app:{name}"],
                        "Layers": [name + "/layer.tar"]})
        layers[name] = layer
    target = hostile.docker_archive(root, json.dumps(entries).encode(), members)
    results = []
    rc, pkgs, err = hull(target + ":two")
    results.append(expect(1, rc == 0 and pkgs == ["pkg-two"], f"docker-archive TARGET:TAG ({pkgs} {err})"))
    rc, pkgs, err = hull("--tag", "app:one", target)
    results.append(expect(2, rc == 0 and pkgs == ["pkg-one"], f"docker-archive --tag repo:tag ({pkgs} {err})"))
    rc, pkgs, err = hull(target)
    results.append(expect(3, rc == 2 and "app:one" in err and "app:two" in err, f"ambiguous ({err})"))
    return results


def dump(target, *paths):
    exe = os.path.join(os.environ["HULL_BUILD"], "tests", "unit", "image", "image_dump")
    p = subprocess.run([exe, target, *paths], capture_output=True, text=True, timeout=300)
    files = {}
    for line in p.stdout.splitlines():
        if line.startswith("file "):
            parts = line.split()
            files[parts[1]] = int(parts[2])
    return p.returncode, files, p.stderr


def case_whiteouts_real(root):
    d = os.path.join(CACHE, "img", "bookworm")
    if not os.path.isdir(d):
        skip_missing(d + " not built (scripts/test-images.sh)")
    paths = ["etc/motd", "etc/app/credentials.ini", "usr/bin/wall", "usr/share/doc/zlib1g/copyright",
             "usr/share/man/man1/ls.1.gz", "var/lib/dpkg/status"]
    results, n = [], 0
    for form in ("oci:bookworm-layered", "bookworm-layered.oci.tar", "bookworm-layered.docker.tar",
                 "bookworm-layered-zstd.oci.tar"):
        target = os.path.join(d, "oci") + form[3:] if form.startswith("oci:") else os.path.join(d, form)
        rc, files, err = dump(target, *paths)
        n += 1
        ok = (rc == 0 and files.get("etc/app/credentials.ini") == 1 and files.get("var/lib/dpkg/status") == 0
              and not ({"etc/motd", "usr/bin/wall", "usr/share/doc/zlib1g/copyright",
                        "usr/share/man/man1/ls.1.gz"} & files.keys()))
        results.append(expect(n, ok, f"{form}: whiteouts and the opaque directory applied ({sorted(files.items())} {err})"))
    rc, files, err = dump(os.path.join(d, "oci") + ":bookworm", *paths)
    n += 1
    results.append(expect(n, rc == 0 and "etc/motd" in files and "usr/share/man/man1/ls.1.gz" in files,
                          f"the single-layer image still has them ({sorted(files)})"))
    return results


def case_cache(root):
    """A second scan replays cached layers: it no longer reads the blob."""
    layout = two_tags(root)
    env = dict(os.environ, HULL_CACHE_DIR=os.path.join(root, "cache"))
    run = lambda *a: subprocess.run([os.environ["HULL_BIN"], "sbom", "--format", "json", "--quiet", *a],
                                    capture_output=True, text=True, env=env, timeout=120)
    first = run(layout + ":a")
    results = [expect(1, first.returncode == 0, f"first scan ({first.stderr.strip()})")]
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    man = json.load(open(os.path.join(layout, "blobs", "sha256", index["manifests"][0]["digest"][7:])))
    blob = os.path.join(layout, "blobs", "sha256", man["layers"][0]["digest"][7:])
    size = os.path.getsize(blob)
    with open(blob, "wb") as f:
        f.write(bytes(size))
    second = run(layout + ":a")
    # the blob is zeros now, so only its compression (sniffed from its first
    # bytes) may differ
    strip = lambda out: {k: v for k, v in json.loads(out).items() if k not in ("createdAt", "layers")}
    results.append(expect(2, second.returncode == 0 and strip(second.stdout) == strip(first.stdout),
                          f"the rescan gives the same document from the cache ({second.stderr.strip()})"))
    third = run("--no-cache", layout + ":a")
    results.append(expect(3, third.returncode == 2 and "layer 1/1" in third.stderr,
                          f"--no-cache reads the (now broken) blob again ({third.stderr.strip()})"))
    info = subprocess.run([os.environ["HULL_BIN"], "cache", "info"], capture_output=True, text=True, env=env)
    results.append(expect(4, info.returncode == 0 and "entries:   1" in info.stdout, f"hull cache info ({info.stdout!r})"))
    clean = subprocess.run([os.environ["HULL_BIN"], "cache", "clean"], capture_output=True, text=True, env=env)
    fourth = run(layout + ":a")
    results.append(expect(5, clean.returncode == 0 and fourth.returncode == 2,
                          f"after hull cache clean the blob is read again ({fourth.stderr.strip()})"))
    return results


CASES = {k[5:].replace("_", "-"): v for k, v in globals().items() if k.startswith("case_")}

if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(sorted(CASES)))
        sys.exit(0)
    with tempfile.TemporaryDirectory(prefix="hull-select-") as tmp:
        res = CASES[sys.argv[1]](tmp)
    if res is None:
        sys.exit(0)
    print(f"1..{len(res)}")
    sys.exit(0 if all(res) else 1)
