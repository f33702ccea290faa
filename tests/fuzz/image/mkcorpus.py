#!/usr/bin/env python3
"""Writes the seed corpora of the image fuzzers (small valid images, and
hostile variants) into tests/fuzz/image/corpus/. Run once; the output is
committed."""
import gzip, io, json, os, re, sys, tarfile, tempfile, zlib
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

# fuzz_remote: registry answers, "\n@@\n" between records, "sha256:@N" and
# "@zN" standing for the digest and size of record N (fuzz_remote.c).
os.makedirs(os.path.join(here, "remote"), exist_ok=True)
SEP = b"\n@@\n"
OCI_M = "application/vnd.oci.image.manifest.v1+json"
OCI_I = "application/vnd.oci.image.index.v1+json"
DOCKER_M = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_L = "application/vnd.docker.distribution.manifest.list.v2+json"


def man(mtype, cfg_rec, layer_recs, layer_type):
    doc = json.dumps({"schemaVersion": 2, "mediaType": mtype,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:@%d" % cfg_rec, "size": "@z%d" % cfg_rec},
                      "layers": [{"mediaType": layer_type, "digest": "sha256:@%d" % r,
                                  "size": "@z%d" % r} for r in layer_recs]})
    return re.sub(r'"(@z[0-9])"', r"\1", doc).encode()


def cfg(diff_recs):
    return json.dumps({"os": "linux", "architecture": "amd64",
                       "config": {"User": "app", "Env": ["PATH=/bin"]},
                       "history": [{"created_by": "ADD rootfs"}],
                       "rootfs": {"type": "layers",
                                  "diff_ids": ["sha256:@%d" % r for r in diff_recs]}}).encode()


plain = layer  # uncompressed: its DiffID is its digest
put("remote", "manifest.bin", SEP.join([
    man(OCI_M, 1, [2], "application/vnd.oci.image.layer.v1.tar"), cfg([2]), plain]))
put("remote", "docker-v2.bin", SEP.join([
    man(DOCKER_M, 1, [2], "application/vnd.docker.image.rootfs.diff.tar"), cfg([2]), plain]))
idx = json.dumps({"schemaVersion": 2, "mediaType": OCI_I, "manifests": [
    {"mediaType": OCI_M, "digest": "sha256:@1", "size": 0,
     "platform": {"os": "linux", "architecture": "arm64"}},
    {"mediaType": OCI_M, "digest": "sha256:@2", "size": 0,
     "platform": {"os": "linux", "architecture": "amd64"}}]}).encode()
put("remote", "index.bin", SEP.join([
    idx, man(OCI_M, 3, [4], "application/vnd.oci.image.layer.v1.tar"),
    man(OCI_M, 3, [4], "application/vnd.oci.image.layer.v1.tar"), cfg([4]), plain]))
lst = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_L, "manifests": [
    {"mediaType": DOCKER_M, "digest": "sha256:@1", "size": 0,
     "platform": {"os": "linux", "architecture": "amd64"}}]}).encode()
put("remote", "list-missing-blob.bin", SEP.join([
    lst, man(DOCKER_M, 2, [3, 4], "application/vnd.docker.image.rootfs.diff.tar"),
    cfg([3, 4]), plain]))
put("remote", "not-json.bin", b"<html>404 Not Found</html>")
