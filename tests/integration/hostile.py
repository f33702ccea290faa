#!/usr/bin/env python3
"""Hostile images, generated here (nothing binary is stored): each case
builds one broken or malicious image and runs `hull sbom` on it. An
unusable image is refused with exit status 2, exactly one error line on
stderr that names the input and says what is wrong, and nothing written; a
usable one (WARN, OK) exits 0 with the problem as a warning in the report.
Every run: no crash, at most 10 s, no write outside the output file (HOME,
TMPDIR and the working directory are empty folders checked afterwards),
under `prlimit --as` 256 MiB and a peak RSS of 64 MiB, nothing raw from the
image on the terminal.

Usage: hostile.py CASE   (hostile.py --list prints the cases)
Environment: HULL_BIN (the hull binary), HULL_SANITIZED=1 skips the RSS check
(ASan's shadow memory is not hull's)."""

import gzip
import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib

RSS_LIMIT_KB = 64 * 1024
AS_LIMIT = 256 << 20  # prlimit --as: hull's whole address space
WALL_LIMIT = 10  # seconds; ten times that under a sanitizer


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
    (blob bytes, diff_id[, media type]) for pre-made blobs. tamper(layout, manifest) may
    change things after writing."""
    layout = os.path.join(root, "oci")
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    descs, diff_ids = [], []
    for layer in layers:
        mtype = "application/vnd.oci.image.layer.v1.tar+gzip"
        if isinstance(layer, tuple) and len(layer) == 3:
            blob, diff_id, mtype = layer
        elif isinstance(layer, tuple):
            blob, diff_id = layer
        else:
            blob, diff_id = gzip.compress(layer, mtime=0), sha256(layer)
        descs.append({"mediaType": mtype,
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


# --- crafted streams -------------------------------------------------------

def zstd_frame(parts):
    """A zstd frame written by hand (RFC 8878): parts are (b"raw bytes") or
    (byte, count) runs, sent as raw and RLE blocks of at most 128 KiB. Lets
    a test describe gigabytes in kilobytes without compressing them."""
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out += bytes([0x00, 7 << 3])  # no content size; window 2^17
    blocks = []
    for part in parts:
        if isinstance(part, tuple):
            byte, count = part
            while count:
                n = min(count, 1 << 17)
                blocks.append((1, n, bytes([byte])))
                count -= n
        else:
            for i in range(0, len(part), 1 << 17):
                chunk = part[i:i + (1 << 17)]
                blocks.append((0, len(chunk), chunk))
    for i, (kind, size, payload) in enumerate(blocks):
        last = 1 if i == len(blocks) - 1 else 0
        out += (last | kind << 1 | size << 3).to_bytes(3, "little") + payload
    return bytes(out)


def zstd_layer(blob, diff_id="sha256:" + "0" * 64):
    return (blob, diff_id, "application/vnd.oci.image.layer.v1.tar+zstd")


def tar_header(name, size_field=None, kind=b"0", linkname=b""):
    """One raw ustar header; size_field replaces the 12-byte size (octal or
    base-256) so sizes tarfile refuses to write can be tested."""
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field if size_field is not None else b"00000000000\0"
    h[136:148] = b"00000000000\0"
    h[156:157] = kind
    h[157:157 + len(linkname)] = linkname
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b"        "
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def dev_entry(name, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.devmajor, info.devminor = 1, 3
    return (info, None)


def dpkg_status(name, version=b"1.0"):
    return (b"Package: " + name + b"\nStatus: install ok installed\n"
            b"Architecture: amd64\nVersion: " + version + b"\n\n")


def index_blob(layout, manifests):
    data = json.dumps({"schemaVersion": 2,
                       "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": manifests}).encode()
    return write_blob(layout, data), len(data)


# --- more cases -------------------------------------------------------------

def case_symlink_loop(root):
    layer = tar_bytes([link_entry("etc/os-release", "a", tarfile.SYMTYPE),
                       link_entry("etc/a", "b", tarfile.SYMTYPE),
                       link_entry("etc/b", "a", tarfile.SYMTYPE)])
    return oci_layout(root, [status_layer(), layer]), WARN(["etc/os-release", "loop"])


def case_symlink_self(root):
    layer = tar_bytes([link_entry("usr/lib/os-release", "../../usr/lib/os-release",
                                  tarfile.SYMTYPE)])
    return oci_layout(root, [status_layer(), layer]), WARN(["usr/lib/os-release", "loop"])


def case_absolute_symlink_escape(root):
    # absolute targets resolve from the image root: /../../etc/passwd is
    # /etc/passwd of the image, never the host's
    layer = tar_bytes([link_entry("etc/os-release", "/../../../etc/os-release",
                                  tarfile.SYMTYPE)])
    return oci_layout(root, [status_layer(), layer]), WARN(["unknown distribution"])


def case_hardlink_absolute(root):
    layer = tar_bytes([link_entry("opt/hard", "/etc/shadow", tarfile.LNKTYPE)])
    return oci_layout(root, [layer]), ["layer 1/1", "absolute path", "/etc/shadow"]


def case_whiteout_dotdot(root):
    layer = tar_bytes([file_entry("var/lib/.wh...", b"")])
    return oci_layout(root, [status_layer(), layer]), ["layer 2/2", "whiteout", "'..'"]


def case_whiteout_dot(root):
    layer = tar_bytes([file_entry(".wh..", b"")])
    return oci_layout(root, [status_layer(), layer]), ["layer 2/2", "whiteout", "'.'"]


def case_device_files(root):
    layer = tar_bytes([dev_entry("dev/sda", tarfile.BLKTYPE),
                       dev_entry("var/lib/dpkg/status", tarfile.CHRTYPE),
                       dev_entry("run/fifo", tarfile.FIFOTYPE)])
    return oci_layout(root, [status_layer(), layer]), WARN(["dev/sda", "device"])


def case_duplicate_entries(root):
    layer = tar_bytes([file_entry("var/lib/dpkg/status", dpkg_status(b"first")),
                       file_entry("var/lib/dpkg/status", dpkg_status(b"second"))])
    return oci_layout(root, [layer]), WARN(["var/lib/dpkg/status", "twice"])


def case_tar_size_huge(root):
    # base-256 size of 2^62: a kept file claims 4 EiB
    size = b"\x80" + (1 << 62).to_bytes(11, "big")
    layer = tar_header(b"var/lib/dpkg/status", size) + bytes(1024)
    return oci_layout(root, [status_layer(), layer]), WARN(["layer 2/2", "4611686018427387904 bytes"])


def case_tar_size_negative(root):
    size = b"\xff" * 12  # base-256 -1
    layer = tar_header(b"var/lib/dpkg/status", size) + bytes(1024)
    return oci_layout(root, [status_layer(), layer]), WARN(["layer 2/2", "negative size"])


def case_tar_size_octal_max(root):
    # 8 GiB - 1 claimed by a kept file, with 1 KiB behind it
    layer = tar_header(b"var/lib/dpkg/status", b"77777777777\0") + bytes(1024)
    return oci_layout(root, [status_layer(), layer]), WARN(["layer 2/2", "8589934591 bytes"])


def case_pax_gigabytes(root):
    # a pax header whose body is 3 GiB: zstd RLE blocks make it 100 KiB
    gib3 = 3 << 30
    head = tar_header(b"PaxHeader/x", b"%011o\0" % gib3, kind=b"x")
    rec = b"999 path=" 
    blob = zstd_frame([head, rec, (ord("a"), gib3 - len(rec)), bytes(1024)])
    return oci_layout(root, [status_layer(), zstd_layer(blob)]), ["layer 2/2"]


def case_pax_record_length(root):
    # one record claiming 2 GB inside a small pax header
    body = b"2000000000 path=evil\n"
    head = tar_header(b"PaxHeader/x", b"%011o\0" % len(body), kind=b"x")
    pad = bytes(-len(body) % 512)
    layer = head + body + pad + tar_header(b"etc/hostname", b"00000000001\0") + b"x" + \
        bytes(511) + bytes(1024)
    return oci_layout(root, [status_layer(), layer]), WARN(["layer 2/2", "pax"])


def case_zstd_bomb(root):
    # 64 GiB of zeros behind one tar header, in about 2 MiB of zstd
    head = tar_header(b"bomb.bin", b"\x80" + (64 << 30).to_bytes(11, "big"))
    blob = zstd_frame([head, (0, 64 << 30)])
    return oci_layout(root, [zstd_layer(blob)]), ["layer 1/1", "decompression bomb"]


def case_zstd_window(root):
    # a frame asking for a 2 GiB window
    blob = b"\x28\xb5\x2f\xfd" + bytes([0x00, (31 - 10) << 3]) + \
        (1 | 1 << 1 | 512 << 3).to_bytes(3, "little") + b"\0"
    return oci_layout(root, [zstd_layer(blob)]), ["layer 1/1", "too much memory"]


def case_truncated_zstd(root):
    blob = zstd_frame([status_layer()])
    return oci_layout(root, [zstd_layer(blob[:len(blob) - 700])]), ["layer 1/1", "truncated"]


def case_truncated_tar(root):
    layer = status_layer()[:700]
    # the digests verify, so what was read before the damage stands
    return oci_layout(root, [(gzip.compress(layer, mtime=0), sha256(layer))]), \
        WARN(["layer 1/1", "damaged tar", "Truncated"])


def case_config_digest_mismatch(root):
    def tamper(layout, manifest):
        path = os.path.join(layout, "blobs", "sha256", manifest["config"]["digest"][7:])
        data = open(path, "rb").read().replace(b"amd64", b"arm64")  # same size
        with open(path, "wb") as f:
            f.write(data)
    return oci_layout(root, [status_layer()], tamper), ["sha256:", "does not match"]


def case_blob_million_times(root):
    # one layer descriptor repeated a million times (~130 MB of manifest)
    def tamper(layout, manifest):
        manifest["layers"] = manifest["layers"] * 1000000
    return oci_layout(root, [status_layer()], tamper), ["160000", "more than the limit"]


def case_blob_many_times(root):
    # the same blob 600 times in a manifest small enough to parse
    def tamper(layout, manifest):
        manifest["layers"] = manifest["layers"] * 600
    return oci_layout(root, [status_layer()], tamper), ["600 layers"]


def case_nested_index(root):
    layout = oci_layout(root, [status_layer()])
    with open(os.path.join(layout, "index.json")) as f:
        desc = json.load(f)["manifests"][0]
    for _ in range(1000):
        digest, size = index_blob(layout, [desc])
        desc = {"mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": digest, "size": size}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [desc]}, f)
    return layout, ["index", "nested"]


def case_deep_json(root):
    # an index blob of 100,000 nested arrays (the JSON depth cap is 64)
    layout = oci_layout(root, [status_layer()])
    deep = b"[" * 100000 + b"]" * 100000
    digest = write_blob(layout, deep)
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.index.v1+json",
             "digest": digest, "size": len(deep)}]}, f)
    return layout, ["nested deeper than"]


def case_many_entries(root):
    entries = [file_entry("usr/share/doc/f%06d" % i, b"") for i in range(100000)]
    entries.append(file_entry("var/lib/dpkg/status", dpkg_status(b"base-files")))
    return oci_layout(root, [tar_bytes(entries)]), OK(["base-files"])


def case_name_escapes_error(root):
    name = "/etc/\n\x1b]0;pwned\x07\x1b[2J\udcff"
    info = tarfile.TarInfo(name)
    info.size = 1
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as tf:
        tf.addfile(info, io.BytesIO(b"x"))
    return oci_layout(root, [buf.getvalue()]), ["layer 1/1", "absolute path"]


def case_name_escapes_report(root):
    evil = b"evil\x1b[31m\xff\xfe\x07"
    status = dpkg_status(evil, b"1.0\x1b]0;title\x07") + dpkg_status(b"ok\nPackage: x")
    layer = tar_bytes([file_entry("var/lib/dpkg/status", status),
                       file_entry("etc/\x1b[2Jclear\nline", b"")])
    return oci_layout(root, [layer]), OK([], formats=["table", "json"])


def case_docker_path_escape(root):
    layer = status_layer()
    config = json.dumps({"os": "linux", "architecture": "amd64",
                         "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]}}).encode()
    cname = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": cname, "RepoTags": ["hostile:latest"],
                            "Layers": ["../../../etc/passwd"]}]).encode()
    return docker_archive(root, manifest, [(cname, config)]), ["../../../etc/passwd"]


def case_oci_blob_symlink(root):
    # a blob in the layout that is a symlink to a host file
    layout = oci_layout(root, [status_layer()])
    with open(os.path.join(layout, "index.json")) as f:
        digest = json.load(f)["manifests"][0]["digest"]
    path = os.path.join(layout, "blobs", "sha256", digest[7:])
    os.unlink(path)
    os.symlink("/etc/passwd", path)  # opened inside the layout: not found there
    return layout, ["missing"]


def case_archive_duplicate_index(root):
    layout = oci_layout(root, [status_layer()])
    path = os.path.join(root, "dup.oci.tar")
    with tarfile.open(path, "w") as tf:
        tf.add(layout, arcname=".")
        info = tarfile.TarInfo("index.json")
        data = b'{"schemaVersion": 2, "manifests": []}'
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return path, ["'index.json' appears twice"]


def case_archive_entries(root):
    # an outer archive of 150,000 entries (the cap is 100,000)
    path = os.path.join(root, "many.docker.tar")
    with tarfile.open(path, "w") as tf:
        for i in range(150000):
            info = tarfile.TarInfo("x%06d" % i)
            tf.addfile(info, io.BytesIO(b""))
    return path, ["100000"]


def jar_bytes(members, compress=zipfile.ZIP_DEFLATED):
    """A zip archive of (name, bytes) members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def pom(artifact):
    return ("groupId=org.hostile\nartifactId=%s\nversion=1.0\n" % artifact).encode()


def case_zip_bomb(root):
    """A jar whose nested lib/bomb.jar inflates to 1 GiB of zeros (about
    1 MiB on disk): the Java reader stops at its inflate cap, warns and
    still reads the outer jar's own pom.properties."""
    zeros = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = b"".join(c.compress(zeros) for _ in range(1024)) + c.flush()
    # a stored zip built by hand: zipfile would inflate the member to write it
    name = b"lib/bomb.jar"
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), 1 << 30,
                        len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(raw),
                          1 << 30, len(name), 0, 0, 0, 0, 0, 0) + name
    pomname = "META-INF/maven/org.hostile/app/pom.properties"
    outer = jar_bytes([(pomname, pom("app"))])
    # splice the bomb in front of the outer jar's members: a new zip of both
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(outer)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for i in zin.infolist():
            zout.writestr(i, zin.read(i))
    body = buf.getvalue()
    eocd = body.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack("<II", body[eocd + 12:eocd + 20])
    n = struct.unpack("<H", body[eocd + 10:eocd + 12])[0]
    shift = len(local) + len(raw)
    # the old central directory's local header offsets move by shift
    cd = bytearray(body[cd_off:cd_off + cd_size])
    off = 0
    while off < len(cd):
        lho, = struct.unpack("<I", cd[off + 42:off + 46])
        cd[off + 42:off + 46] = struct.pack("<I", lho + shift)
        nl, el, cl = struct.unpack("<HHH", cd[off + 28:off + 34])
        off += 46 + nl + el + cl
    cd = bytes(cd) + central
    jar = (local + raw + body[:cd_off] + cd +
           struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n + 1, n + 1, len(cd),
                       shift + cd_off, 0))
    layer = tar_bytes([file_entry("app/app.jar", jar)])
    return oci_layout(root, [status_layer(), layer]), \
        WARN(["app/app.jar", "lib/bomb.jar", "zip bomb"])


def case_nested_jars(root):
    """Ten jars each inside the next: the Java reader stops at its depth
    cap with a warning; the packages of the outer levels are listed."""
    jar = jar_bytes([("META-INF/maven/org.hostile/level10/pom.properties", pom("level10"))])
    for level in range(9, 0, -1):
        jar = jar_bytes([("META-INF/maven/org.hostile/level%d/pom.properties" % level,
                          pom("level%d" % level)), ("lib/level%d.jar" % (level + 1), jar)])
    layer = tar_bytes([file_entry("app/app.jar", jar)])
    return oci_layout(root, [status_layer(), layer]), \
        WARN(["app/app.jar", "nested more than", "archives deep"])


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}


class WARN(list):
    """The image is usable: exit 0 and a warning in the report holding
    every word."""


class OK(list):
    """The image is usable and scans clean of warnings about it; the
    report holds every word. formats: the --format values to check, each
    free of raw control characters (table) or valid strict JSON (json)."""

    def __init__(self, words, formats=("json",)):
        super().__init__(words)
        self.formats = formats


def snapshot(root, skip):
    """Every path under root with its size and mtime, but skip."""
    seen = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            if p == skip:
                continue
            st = os.lstat(p)
            seen[p] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return seen


CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def run_hull(root, target, fmt, out):
    """Runs hull sbom once, confined as the issue asks: under prlimit --as,
    with a wall-clock bound, its cache off and HOME, TMPDIR and the working
    directory in empty folders that must stay empty."""
    hull = os.environ["HULL_BIN"]
    sanitized = os.environ.get("HULL_SANITIZED") == "1"
    rss_file = os.path.join(root, "rss")
    env = dict(os.environ, HOME=os.path.join(root, "home"),
               TMPDIR=os.path.join(root, "tmp"), XDG_CACHE_HOME=os.path.join(root, "xdg"),
               HULL_CACHE_DIR=os.path.join(root, "cache"))
    for d in ("home", "tmp", "cwd"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file, hull, "sbom", "--no-cache",
           "--format", fmt, "--output", out, target]
    if not sanitized:  # ASan reserves terabytes of address space
        cmd = ["prlimit", "--as=%d" % AS_LIMIT, "--"] + cmd
    before = snapshot(root, out)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=WALL_LIMIT * 10,
                              env=env, cwd=os.path.join(root, "cwd"))
    except subprocess.TimeoutExpired:
        return None, [f"still running after {WALL_LIMIT * 10} s"], 0
    elapsed = time.monotonic() - start
    after = snapshot(root, out)
    problems = []
    if proc.returncode < 0 or proc.returncode > 2:
        problems.append(f"exit status {proc.returncode}: a crash")
    limit = WALL_LIMIT * (10 if sanitized else 1)
    if elapsed > limit:
        problems.append(f"took {elapsed:.1f} s, over {limit} s")
    changed = sorted(set(before.items()) ^ set(after.items()))
    changed = sorted({p for p, _ in changed} - {rss_file})
    if changed:
        problems.append(f"wrote outside the output file: {changed[:5]}")
    if b"\x1b" in proc.stderr or b"\x07" in proc.stderr:
        problems.append("raw escape or bell on stderr")
    rss = int(open(rss_file).read().split()[-1]) if os.path.exists(rss_file) else 0
    if not sanitized and rss > RSS_LIMIT_KB:
        problems.append(f"peak RSS {rss} KiB over {RSS_LIMIT_KB} KiB")
    print(f"# {fmt}: exit {proc.returncode}, {elapsed:.2f} s, rss {rss} KiB")
    print(f"# stderr: {proc.stderr.decode(errors='replace').strip()[:2000]!r}")
    return proc, problems, rss


def run(case):
    with tempfile.TemporaryDirectory(prefix="hull-hostile-") as root:
        target, words = CASES[case](root)
        out = os.path.join(root, "report.out")
        formats = words.formats if isinstance(words, OK) else ("json",)
        problems = []
        for fmt in formats:
            if os.path.exists(out):
                os.unlink(out)
            proc, probs, _ = run_hull(root, target, fmt, out)
            problems += probs
            if proc is None:
                break
            err = proc.stderr.decode(errors="replace")
            lines = [l for l in err.splitlines() if l.strip()]
            report = open(out, "rb").read() if os.path.exists(out) else b""
            if proc.stdout:
                problems.append(f"wrote {len(proc.stdout)} bytes to stdout")
            if isinstance(words, (WARN, OK)):
                if proc.returncode != 0:
                    problems.append(f"exit status {proc.returncode}, expected 0")
                    continue
                if any(not l.startswith("hull: warning: ") for l in lines):
                    problems.append("stderr holds more than warnings")
                if fmt == "json":
                    try:
                        doc = json.loads(report.decode("utf-8"))
                    except ValueError as e:
                        problems.append(f"the JSON report does not parse strictly: {e}")
                        continue
                    warnings = doc.get("warnings", [])
                    text = json.dumps(doc, ensure_ascii=False)
                else:
                    warnings = []
                    text = report.decode("utf-8", errors="replace")
                    if CONTROL.search(report):
                        problems.append(f"raw control characters in the {fmt} report")
                if isinstance(words, WARN):
                    if not any(all(w in m for w in words) for m in warnings):
                        problems.append(f"no warning mentions all of {list(words)}: {warnings}")
                else:
                    for w in words:
                        if w not in text:
                            problems.append(f"the {fmt} report does not mention {w!r}")
            else:
                if proc.returncode != 2:
                    problems.append(f"exit status {proc.returncode}, expected 2")
                if report:
                    problems.append(f"wrote {len(report)} bytes to the output file")
                if len(lines) != 1:
                    problems.append(f"{len(lines)} stderr lines, expected 1")
                for w in words + [os.path.basename(target)]:
                    if w not in err:
                        problems.append(f"error does not mention {w!r}")
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
