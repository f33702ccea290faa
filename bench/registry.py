#!/usr/bin/env python3
"""Measures hull's scan by reference against skopeo's copy of the same image
from the same loopback registry (see bench/registry.sh)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(src, "tests", "integration", "registry"))
os.environ.setdefault("HULL_SRC", src)
from reglib import Certs, Registry, skopeo_push  # noqa: E402

hull = sys.argv[1]
runs = int(os.environ.get("RUNS", "5"))
img = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "img", "bookworm")


def timed(cmd, env=None, before=None):
    """Best wall time over `runs` runs, the best CPU time (user + system,
    from wait4's rusage) and the peak RSS (KiB) of the fastest run;
    before() runs untimed before each run."""
    best_t, best_c, best_m = None, None, 0
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            raise subprocess.CalledProcessError(p.returncode, cmd)
        c = ru.ru_utime + ru.ru_stime
        if best_c is None or c < best_c:
            best_c = c
        if best_t is None or t < best_t:
            best_t, best_m = t, ru.ru_maxrss
    return best_t, best_c, best_m


def main():
    tmp = tempfile.mkdtemp(prefix="hull-bench-reg-")
    certs = Certs(tmp)
    reg = Registry(tmp, "bench", certs=certs)
    cdir = os.path.join(tmp, "skopeo-certs")
    try:
        forms = [("bookworm", "bookworm.oci.tar"), ("bookworm-layered", "bookworm-layered.oci.tar"),
                 ("bookworm-layered-zstd", "bookworm-layered-zstd.oci.tar")]
        for name, f in forms:
            skopeo_push("oci-archive:" + os.path.join(img, f), reg, "bench/%s:1" % name, certs)
        # the floor of any run: starting the binary (its shared libraries)
        vt, vc, _ = timed([hull, "--version"])
        print(f"{'image':22} {'hull s':>7} {'skopeo s':>8} {'ratio':>6} {'hull cpu':>8} "
              f"{'skopeo cpu':>10} {'ratio':>6} {'warm ms':>8} {'warm cpu':>8} {'warm req':>8} "
              f"{'1 req ms':>8} {'1 req cpu':>9} {'warm-req':>8} {'RSS MiB':>7}")
        for name, _ in forms:
            ref = "%s/bench/%s:1" % (reg.host, name)
            out = os.path.join(tmp, "dir")
            env = dict(os.environ, HULL_CACHE_DIR=os.path.join(tmp, "cache-" + name))
            hull_cmd = [hull, "sbom", "--format", "json", "--quiet", "--registry-ca", certs.ca, ref]
            ht, hc, hm = timed(hull_cmd[:2] + ["--no-cache"] + hull_cmd[2:], env)
            st, sc, _ = timed(["skopeo", "--insecure-policy", "copy", "-q", "--src-cert-dir", cdir,
                               "docker://" + ref, "dir:" + out],
                              before=lambda: shutil.rmtree(out, ignore_errors=True))
            subprocess.run(hull_cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # fills it
            stats = os.path.join(tmp, "stats")
            wt, wc, _ = timed(hull_cmd, dict(env, HULL_REGISTRY_STATS=stats))
            req = dict(l.split() for l in open(stats).read().splitlines())
            # the goal's "one manifest request": curl asking the same
            # registry for the same manifest over TLS (its own start-up,
            # libcurl's libraries and the handshake included)
            mt, mc, _ = timed(["curl", "-sf", "-o", "/dev/null", "--cacert", certs.ca, "-H",
                               "Accept: application/vnd.oci.image.manifest.v1+json",
                               "https://%s/v2/bench/%s/manifests/1" % (reg.host, name)])
            print(f"{name:22} {ht:7.3f} {st:8.3f} {ht / st:6.2f} {hc:8.2f} {sc:10.2f} "
                  f"{hc / max(sc, 0.01):6.2f} {wt * 1000:8.1f} {wc * 1000:8.0f} {req['requests']:>8} "
                  f"{mt * 1000:8.1f} {mc * 1000:9.0f} {(wt - mt) * 1000:8.1f} {hm / 1024:7.1f}")
        print(f"{'hull --version':22} {vt:7.3f} {'':>8} {'':>6} {vc:8.2f}   (start-up alone: "
              f"{vt * 1000:.1f} ms wall, {vc * 1000:.0f} ms cpu)")
        print("hull: full scan by reference (sbom, no cache); skopeo: copy docker:// -> dir: alone,")
        print("same loopback registry over TLS; best of %d; ratio = hull / skopeo (wall, then CPU" % runs)
        print("user+system); warm: the same scan with the layer cache filled (wall ms, cpu ms of")
        print("user+system), with the HTTP requests it made (manifest and config); 1 req: curl")
        print("fetching the same manifest from the same registry (start-up and TLS included),")
        print("the goal's \"one manifest request\"; warm-req: warm ms minus 1 req ms (goal: < 50);")
        print("RSS: hull's peak in the full scan; hull --version: what starting the binary costs")
    finally:
        reg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
