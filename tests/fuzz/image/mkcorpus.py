#!/usr/bin/env python3
"""Writes the seed corpora of the image fuzzers (small valid images, and
hostile variants) into tests/fuzz/image/corpus/. Run once; the output is
committed."""
import gzip, io, os, sys, tarfile, tempfile, zlib
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "integration"))
import hostile  # noqa: E402

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(kind, name, data):
    with open(os.path.join(here, kind, name), "wb") as f:
        f.write(data)

def tar_dir(path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        tf.add(path, arcname=".")
    return buf.getvalue()

layer = hostile.tar_bytes([
    hostile.file_entry("etc/os-release", b"ID=debian\nVERSION_ID=12\n"),
    hostile.file_entry("var/lib/dpkg/status", b"Package: a\nStatus: install ok installed\nVersion: 1\n\n"),
    hostile.link_entry("etc/alt", "../var/lib/dpkg/status", tarfile.SYMTYPE),
    hostile.link_entry("etc/hard", "etc/os-release", tarfile.LNKTYPE),
    hostile.file_entry("usr/share/.wh..wh..opq", b""),
    hostile.file_entry("etc/.wh.motd", b""),
])
put("layer", "plain.tar", layer)
put("layer", "layer.tar.gz", gzip.compress(layer, mtime=0))
put("layer", "two-members.tar.gz", gzip.compress(layer[:1024], mtime=0) + gzip.compress(layer[1024:], mtime=0))
try:
    import subprocess
    put("layer", "layer.tar.zst", subprocess.run(["zstd", "-q", "-c"], input=layer, capture_output=True, check=True).stdout)
except Exception as e:
    print("no zstd seed:", e)
put("layer", "truncated.tar.gz", gzip.compress(layer, mtime=0)[:150])
put("layer", "dotdot.tar", hostile.tar_bytes([hostile.file_entry("../x", b"x")]))
put("tarindex", "plain.tar", layer)

with tempfile.TemporaryDirectory() as root:
    layout = hostile.oci_layout(root, [layer])
    put("image", "oci-archive.tar", tar_dir(layout))
    put("tarindex", "oci-archive.tar", tar_dir(layout))
with tempfile.TemporaryDirectory() as root:
    target, _ = hostile.case_missing_layer(root)
    put("image", "docker-missing-layer.tar", open(target, "rb").read())
with tempfile.TemporaryDirectory() as root:
    import hashlib, json
    cfg = json.dumps({"os": "linux", "architecture": "amd64",
                      "rootfs": {"type": "layers", "diff_ids": [hostile.sha256(layer)]},
                      "config": {"User": "root", "Env": ["A=b"], "ExposedPorts": {"22/tcp": {}}}}).encode()
    cname = hashlib.sha256(cfg).hexdigest() + ".json"
    man = json.dumps([{"Config": cname, "RepoTags": ["x:latest"], "Layers": ["l/layer.tar"]}]).encode()
    target = hostile.docker_archive(root, man, [(cname, cfg), ("l/layer.tar", layer)])
    put("image", "docker-archive.tar", open(target, "rb").read())
with tempfile.TemporaryDirectory() as root:
    target, _ = hostile.case_manifest_not_json(root)
    put("image", "docker-not-json.tar", open(target, "rb").read())
