#!/usr/bin/env python3
"""scan-advice-engine.py: hull scan's base image advice with candidates
from the engine's image list (docs/priority.md, "Image changes"), against
counts from separate `hull image` runs.

A Dockerfile builds on shop/base:1, given as an archive: Debian 11 (the
bullseye test image's files) with every set-back source (hundreds of
vulnerabilities). podman's API service, on a test socket, holds other
images of that repository, none of them named by the deployment:
shop/base:2 (only gzip set back: few vulnerabilities), shop/base:3 (the
openssl, gnutls28 and krb5 sources set back: more), and shop/base:9 (the
Alpine test image: another distribution, never a candidate, although it
has none of Debian's vulnerabilities). Checked, with --offline and
without: the Dockerfile's workload advises shop/base:2, read from the
engine, with exactly the removed and introduced counts the two `hull
image` reports give; a Compose service running shop/other:1 (no other
image of its repository anywhere) gets no advice in JSON nor a fix line in
the table; no connection reaches the registry (a listener stands in for
Docker Hub's mirror)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "registry"))
from reglib import (HULL, IMAGES, Tap, database, make_setback_image, need_tools, run,  # noqa: E402
                    skip_env, skip_missing)

OS_TYPES = ("deb", "apk", "rpm", "os")


def keys(doc):
    """The OS findings an image change can remove: (id, package)."""
    return {(f["id"], (f.get("package") or {}).get("name") or "")
            for f in doc.get("findings", [])
            if f.get("kind") == "vulnerability" and (f.get("package") or {}).get("type") in OS_TYPES}


class Listener:
    """A TCP port that counts the connections it gets (the registry)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self.t = threading.Thread(target=self.serve, daemon=True)
        self.t.start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            c.close()


def podman_env(st):
    for d in ("root", "run", "tmp", "net"):
        os.makedirs(os.path.join(st, d))
    with open(os.path.join(st, "storage.conf"), "w") as f:
        f.write('[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (st, st))
    with open(os.path.join(st, "containers.conf"), "w") as f:
        f.write('[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
                'events_logfile_path = "%s/events.log"\ntmp_dir = "%s/run/libpod"\n'
                'static_dir = "%s/root/libpod"\nvolume_path = "%s/root/volumes"\n'
                '[network]\nnetwork_config_dir = "%s/net"\n' % (st, st, st, st, st))
    return dict(os.environ, CONTAINERS_STORAGE_CONF=st + "/storage.conf",
                CONTAINERS_CONF=st + "/containers.conf", TMPDIR=st + "/tmp")


def main():
    if not HULL:
        skip_missing("HULL_BIN (run through meson test)")
    if os.getuid() != 0:
        skip_env("needs root (podman with vfs storage)")
    need_tools("podman", "runc")
    alpine = os.path.join(IMAGES, "alpine-fake", "alpine-fake.docker.tar")
    if not os.path.exists(os.path.join(IMAGES, "bullseye", "rootfs")) or not os.path.exists(alpine):
        skip_missing(IMAGES + "/bullseye, alpine-fake (scripts/test-images.sh)")
    db = database()
    with tempfile.TemporaryDirectory(prefix="hull-advice-engine-") as tmp:
        layouts = {}
        for tag, sources in (("1", None), ("2", ["gzip"]), ("3", ["openssl", "gnutls28", "krb5"])):
            layouts[tag] = os.path.join(tmp, "base" + tag)
            make_setback_image(layouts[tag], sources=sources)
        env = podman_env(os.path.join(tmp, "store"))
        tap = Tap()
        for tag in ("2", "3"):
            r = run(["podman", "pull", "-q", "oci:%s:multi" % layouts[tag]], env=env)
            iid = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            r2 = run(["podman", "tag", iid, "shop/base:" + tag], env=env)
            tap.ok(r.returncode == 0 and r2.returncode == 0, "podman holds shop/base:" + tag,
                   [r.stderr[-500:], r2.stderr[-500:]])
        r = run(["podman", "load", "-q", "-i", alpine], env=env)
        name = r.stdout.strip().split("Loaded image:")[-1].strip().split(",")[0].strip()
        r2 = run(["podman", "tag", name, "shop/base:9"], env=env)
        tap.ok(r.returncode == 0 and r2.returncode == 0, "podman holds shop/base:9 (Alpine)",
               [r.stderr[-500:], r2.stderr[-500:]])
        sock = os.path.join(tmp, "store", "api.sock")
        api = subprocess.Popen(["podman", "system", "service", "--time", "0", "unix://" + sock],
                               env=env, stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(tmp, "api.log"), "w"))
        try:
            for _ in range(100):
                if os.path.exists(sock):
                    break
                subprocess.run(["sleep", "0.1"])
            tap.ok(os.path.exists(sock), "podman API socket is up")

            ref = {}
            for tag in ("1", "2", "3"):
                p = subprocess.run([HULL, "image", "--format", "json", "--db", db, "--no-cache",
                                    layouts[tag] + ":multi"], capture_output=True, text=True)
                tap.ok(p.returncode in (0, 1), "hull image shop/base:%s: exit %d" % (tag, p.returncode),
                       [p.stderr[-1500:]])
                ref[tag] = keys(json.loads(p.stdout or "{}"))
            rm = {t: ref["1"] - ref[t] for t in ("2", "3")}
            add = {t: ref[t] - ref["1"] for t in ("2", "3")}
            tap.ok(len(rm["2"]) > len(rm["3"]) > 0 and len(rm["2"]) > len(add["2"]),
                   "the reference: shop/base:2 removes %d of %d (adds %d), shop/base:3 removes %d"
                   % (len(rm["2"]), len(ref["1"]), len(add["2"]), len(rm["3"])))

            app = os.path.join(tmp, "app")
            os.makedirs(app)
            with open(os.path.join(app, "Dockerfile"), "w") as f:
                f.write("FROM shop/base:1\nUSER 1000\n")
            with open(os.path.join(app, "compose.yaml"), "w") as f:
                f.write("services:\n  other:\n    image: shop/other:1\n    user: '1000'\n")
            reg = Listener()
            mirror = "127.0.0.1:%d" % reg.port
            dfile = "Dockerfile %s/Dockerfile" % app
            for offline in (True, False):
                label = "--offline" if offline else "online"
                args = [HULL, "scan", "--db", db, "--no-cache", "--engine", "unix://" + sock,
                        "--registry-mirror", "docker.io=" + mirror, "--insecure-registry", mirror,
                        "--image", "shop/base:1=" + layouts["1"] + ":multi",
                        "--image", "shop/other:1=" + layouts["3"] + ":multi",
                        "--format", "json", "--format", "table=" + os.path.join(tmp, "t.txt"), app]
                if offline:
                    args.insert(2, "--offline")
                p = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp))
                tap.ok(p.returncode in (0, 1), "%s: hull scan: exit %d" % (label, p.returncode),
                       [p.stderr[-1500:]])
                doc = json.loads(p.stdout or "{}")
                wl = {w["id"]: w for w in doc.get("deployment", {}).get("workloads", [])}
                ch = (wl.get(dfile) or {}).get("imageChanges") or []
                c = ch[0] if len(ch) == 1 else {}
                tap.diag("advice: " + (c.get("text") or "none"))
                tap.ok(c.get("image") == "shop/base:1" and c.get("instead", "").endswith("shop/base:2")
                       and c.get("source") == "the engine" and c.get("baseImage"),
                       "%s: the Dockerfile is advised shop/base:2 from the engine" % label,
                       [json.dumps(ch)])
                tap.ok(c.get("removes") == len(rm["2"]) and c.get("adds") == len(add["2"]) and
                       c.get("vulnerabilities") == len(ref["1"]),
                       "%s: removes %d, introduces %d of %d, as the hull image reports say"
                       % (label, len(rm["2"]), len(add["2"]), len(ref["1"])), [json.dumps(c)])
                table = open(os.path.join(tmp, "t.txt")).read()
                fixes = [line.strip() for line in table.splitlines() if line.strip().startswith("fix:")]
                want = "fix: base image shop/base:1 -> %s: %d findings removed, %d introduced" % (
                    c.get("instead"), len(rm["2"]), len(add["2"]))
                tap.ok(len(fixes) == 1 and fixes[0].startswith(want),
                       "%s: one fix line in the table, for the Dockerfile" % label, fixes)
                tap.ok("other" in wl and not wl["other"].get("imageChanges"),
                       "%s: no advice for shop/other:1 (no other image of its repository)" % label)
                warn = [w for w in doc.get("warnings", []) if "image changes" in json.dumps(w)]
                tap.ok(not warn, "%s: every engine candidate was read (the Alpine one too)" % label,
                       warn)
                tap.ok(reg.count == 0, "%s: the registry was never asked (%d connections)"
                       % (label, reg.count))
        finally:
            api.terminate()
            api.wait()
            run(["podman", "rmi", "-a", "-f"], env=env)
    tap.finish()


if __name__ == "__main__":
    main()
