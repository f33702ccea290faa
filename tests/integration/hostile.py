#!/usr/bin/env python3
"""Hostile images: each case builds one broken image and checks that
`hull sbom` refuses it with exit status 2, exactly one error line on stderr
that names the input and says what is wrong, nothing on stdout, and a peak
RSS under the memory bound.

Usage: hostile.py CASE   (hostile.py --list prints the cases)
Environment: HULL_BIN (the hull binary), HULL_SANITIZED=1 skips the RSS check
(ASan's shadow memory is not hull's)."""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zlib

RSS_LIMIT_KB = 64 * 1024


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(entries):
    """entries: list of (TarInfo, bytes or None)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for info, data in entries:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def file_entry(name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    return (info, data)


def link_entry(name, target, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return (info, None)


def status_layer():
    status = (b"Package: base-files\nStatus: install ok installed\n"
              b"Architecture: amd64\nVersion: 12.4\n\n")
    return tar_bytes([file_entry("var/lib/dpkg/status", status)])


def write_blob(layout, data):
    digest = sha256(data)
    path = os.path.join(layout, "blobs", "sha256", digest[7:])
    with open(path, "wb") as f:
        f.write(data)
    return digest


def oci_layout(root, layers, tamper=None):
    """Writes an OCI layout of gzip layers. layers: list of tar bytes, or of
    (blob bytes, diff_id) for pre-made blobs. tamper(layout, manifest) may
    change things after writing."""
    layout = os.path.join(root, "oci")
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    descs, diff_ids = [], []
    for layer in layers:
        if isinstance(layer, tuple):
            blob, diff_id = layer
        else:
            blob, diff_id = gzip.compress(layer, mtime=0), sha256(layer)
        descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": write_blob(layout, blob), "size": len(blob)})
        diff_ids.append(diff_id)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    manifest = {"schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": write_blob(layout, config), "size": len(config)},
                "layers": descs}
    if tamper:
        tamper(layout, manifest)
    mbytes = json.dumps(manifest).encode()
    index = {"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": write_blob(layout, mbytes), "size": len(mbytes),
         "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)
    return layout


def docker_archive(root, manifest_bytes, members):
    path = os.path.join(root, "image.docker.tar")
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in [("manifest.json", manifest_bytes)] + members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


# --- the cases: each returns (target, expected words in the error) ---------

def case_digest_mismatch(root):
    def tamper(layout, manifest):
        digest = manifest["layers"][0]["digest"]
        path = os.path.join(layout, "blobs", "sha256", digest[7:])
        blob = bytearray(open(path, "rb").read())
        blob[4] ^= 0xff  # the gzip header's mtime: still inflates, hashes differently
        open(path, "wb").write(blob)
    return oci_layout(root, [status_layer()], tamper), ["layer 1/1", "sha256:", "mismatch"]


def case_truncated_gzip(root):
    layer = status_layer() + os.urandom(200000)
    blob = gzip.compress(layer, mtime=0)
    cut = blob[: len(blob) // 2]
    return oci_layout(root, [(cut, sha256(layer))]), ["layer 1/1", "truncated gzip"]


def case_dotdot_entry(root):
    layer = tar_bytes([file_entry("../../etc/evil", b"x")])
    return oci_layout(root, [layer]), ["layer 1/1", "'..'", "../../etc/evil"]


def case_absolute_entry(root):
    layer = tar_bytes([file_entry("/etc/evil", b"x")])
    return oci_layout(root, [layer]), ["layer 1/1", "absolute path", "/etc/evil"]


def case_symlink_outside(root):
    layer = tar_bytes([link_entry("opt/app/link", "../../../../etc/passwd", tarfile.SYMTYPE)])
    return oci_layout(root, [layer]), ["layer 1/1", "opt/app/link", "outside the image root"]


def case_hardlink_outside(root):
    layer = tar_bytes([link_entry("opt/app/hard", "../../etc/passwd", tarfile.LNKTYPE)])
    return oci_layout(root, [layer]), ["layer 1/1", "hard link", "'..'"]


def case_manifest_not_json(root):
    return docker_archive(root, b"this is not JSON\n", []), ["manifest.json", "line 1", "JSON"]


def case_missing_layer(root):
    layer = status_layer()
    config = json.dumps({"os": "linux", "architecture": "amd64",
                         "rootfs": {"type": "layers",
                                    "diff_ids": [sha256(layer), sha256(layer)]}}).encode()
    cname = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cname, "RepoTags": ["hostile:latest"],
                            "Layers": ["one/layer.tar", "two/layer.tar"]}]).encode()
    target = docker_archive(root, manifest, [(cname, config), ("one/layer.tar", layer)])
    return target, ["layer 2/2", "two/layer.tar", "missing"]


def case_gzip_bomb(root):
    """A real 10 GiB-when-inflated layer: ten gzip members of 1 GiB of zeros,
    the first starting with a tar header for one 10 GiB file."""
    gib = 1 << 30
    info = tarfile.TarInfo("bomb.bin")
    info.size = 10 * gib
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    zeros = bytes(1 << 20)

    def member(prefix, nbytes):
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        out = [c.compress(prefix)]
        for _ in range(nbytes // len(zeros)):
            out.append(c.compress(zeros))
        out.append(c.flush())
        return b"".join(out)

    blob = member(header, gib) + member(b"", gib) * 9
    fake_diff = "sha256:" + "0" * 64
    return oci_layout(root, [(blob, fake_diff)]), ["layer 1/1", "decompression bomb"]


def case_layer_count_mismatch(root):
    def tamper(layout, manifest):
        manifest["layers"].append(dict(manifest["layers"][0]))
    return oci_layout(root, [status_layer()], tamper), ["2 layers", "1 DiffIDs"]


def case_truncated_archive(root):
    layout = oci_layout(root, [status_layer() + os.urandom(50000)])
    path = os.path.join(root, "image.oci.tar")
    with tarfile.open(path, "w") as tf:
        tf.add(layout, arcname=".")
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) * 2 // 3])
    return path, ["image.oci.tar", "truncated"]


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}


def run(case):
    hull = os.environ["HULL_BIN"]
    with tempfile.TemporaryDirectory(prefix="hull-hostile-") as root:
        target, words = CASES[case](root)
        # /usr/bin/time measures hull alone (a child forked from this
        # Python would inherit Python's peak RSS)
        rss_file = os.path.join(root, "rss")
        env = dict(os.environ, HULL_CACHE_DIR=os.path.join(root, "cache"))
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file,
                               hull, "sbom", "--format", "json", target],
                              capture_output=True, timeout=300, env=env)
        rss = int(open(rss_file).read().split()[-1])
        err = proc.stderr.decode(errors="replace")
        lines = [l for l in err.splitlines() if l.strip()]
        problems = []
        if proc.returncode != 2:
            problems.append(f"exit status {proc.returncode}, expected 2")
        if proc.stdout:
            problems.append(f"wrote {len(proc.stdout)} bytes to stdout")
        if len(lines) != 1:
            problems.append(f"{len(lines)} stderr lines, expected 1")
        for w in words + [os.path.basename(target)]:
            if w not in err:
                problems.append(f"error does not mention {w!r}")
        if os.environ.get("HULL_SANITIZED") != "1" and rss > RSS_LIMIT_KB:
            problems.append(f"peak RSS {rss} KiB over {RSS_LIMIT_KB} KiB")
        print(f"# {case}: exit {proc.returncode}, rss {rss} KiB")
        print(f"# stderr: {err.strip()}")
        if problems:
            for p in problems:
                print(f"not ok - {case}: {p}")
            return 1
        print(f"ok - {case}")
        return 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(sorted(CASES)))
        sys.exit(0)
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(run(sys.argv[1]))
