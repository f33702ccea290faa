#!/usr/bin/env python3
"""See bench/scan.sh."""
import os, shutil, subprocess, sys, tarfile, tempfile, time

hull = sys.argv[1]
shared = os.environ.get("HULL_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
cache = os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test")
runs = int(os.environ.get("RUNS", "5"))
d = os.path.join(cache, "img", "bookworm")


def timed(cmd, env=None, shell=False):
    with tempfile.NamedTemporaryFile() as rss:
        full = ["/usr/bin/time", "-f", "%M", "-o", rss.name] + (["sh", "-c", cmd] if shell else cmd)
        t0 = time.perf_counter()
        subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        t = time.perf_counter() - t0
        return t, int(open(rss.name).read().split()[-1])


def best(fn):
    res = [fn() for _ in range(runs)]
    return min(res)


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "db.sqlite")
    data = os.path.join(shared, "data")
    subprocess.run([hull, "db", "build", "--db", db, "--from", os.path.join(data, "debian"),
                    os.path.join(data, "alpine-secdb"), os.path.join(data, "osv-npm"),
                    os.path.join(data, "osv-pypi")], check=True, stdout=subprocess.DEVNULL)
    print(f"{'image':24} {'cold (s)':>9} {'warm (s)':>9} {'gunzip (s)':>10} {'cold/gz':>8} {'RSS MiB':>8}")
    for name in ("bookworm.docker.tar", "bookworm.oci.tar"):
        target = os.path.join(d, name)
        # the gzip layer blobs of the same image (the docker-archive's are
        # the same layers uncompressed: gunzip of the OCI blobs is the baseline)
        oci = os.path.join(d, "bookworm.oci.tar")
        with tarfile.open(oci) as tf:
            blobs = [m for m in tf.getmembers() if m.name.startswith("blobs/sha256/") and m.size > 1 << 20]
            tf.extractall(tmp, members=blobs)
        paths = " ".join(os.path.join(tmp, m.name) for m in blobs)
        gz = best(lambda: timed(f"gzip -dc {paths} >/dev/null", shell=True))[0]
        cdir = os.path.join(tmp, "cache")

        def cold():
            shutil.rmtree(cdir, ignore_errors=True)
            return timed([hull, "image", "--db", db, "--cache-dir", cdir, "--format", "json", "--quiet", target])

        c, rss = best(cold)
        w, rss_w = best(lambda: timed([hull, "image", "--db", db, "--cache-dir", cdir, "--format", "json", "--quiet", target]))
        print(f"{name:24} {c:9.3f} {w:9.3f} {gz:10.3f} {c / gz:8.2f} {max(rss, rss_w) / 1024:8.1f}")
