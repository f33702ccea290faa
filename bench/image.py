#!/usr/bin/env python3
"""Measures hull sbom against the decompressor alone on the same layer blobs
(see bench/image.sh). Prints one row per image form."""
import json, os, subprocess, sys, tarfile, tempfile, time

hull = sys.argv[1]
cache = os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test")
runs = int(os.environ.get("RUNS", "5"))
d = os.path.join(cache, "img", "bookworm")


def best(cmd, shell=False):
    """Best wall time over `runs` runs, and the peak RSS (KiB) of that run."""
    best_t, best_m = None, 0
    for _ in range(runs):
        with tempfile.NamedTemporaryFile() as rss:
            t0 = time.perf_counter()
            full = ["/usr/bin/time", "-f", "%M", "-o", rss.name] + (["sh", "-c", cmd] if shell else cmd)
            subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            t = time.perf_counter() - t0
            m = int(open(rss.name).read().split()[-1])
        if best_t is None or t < best_t:
            best_t, best_m = t, m
    return best_t, best_m


def layer_blobs(target, tmp):
    out = subprocess.run([hull, "sbom", "--format", "json", "--quiet", target],
                         capture_output=True, check=True).stdout
    digests = [l["digest"] for l in json.loads(out)["layers"] if l.get("digest")]
    paths = []
    for dg in digests:
        rel = "blobs/sha256/" + dg.split(":")[1]
        if os.path.isdir(target.split(":")[0]):
            paths.append(os.path.join(target.split(":")[0], rel))
        else:
            with tarfile.open(target) as tf:
                tf.extract(rel, tmp)
            paths.append(os.path.join(tmp, rel))
    return paths


forms = [
    ("oci:bookworm", os.path.join(d, "oci") + ":bookworm", "gzip -dc"),
    ("oci:bookworm-layered", os.path.join(d, "oci") + ":bookworm-layered", "gzip -dc"),
    ("bookworm.oci.tar", os.path.join(d, "bookworm.oci.tar"), "gzip -dc"),
    ("bookworm-layered-zstd.oci.tar", os.path.join(d, "bookworm-layered-zstd.oci.tar"), "zstd -dc"),
]
print(f"{'image':32} {'hull (s)':>9} {'baseline':>10} {'base (s)':>9} {'ratio':>6} {'RSS MiB':>8}")
for name, target, base in forms:
    with tempfile.TemporaryDirectory() as tmp:
        blobs = layer_blobs(target, tmp)
        ht, hm = best([hull, "sbom", "--no-cache", "--format", "json", "--quiet", target])
        bt, _ = best(f"{base} {' '.join(blobs)} >/dev/null", shell=True)
    print(f"{name:32} {ht:9.3f} {base:>10} {bt:9.3f} {ht / bt:6.2f} {hm / 1024:8.1f}")
