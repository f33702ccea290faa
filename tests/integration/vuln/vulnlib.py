"""Shared helpers of the vulnerability reference tests: TAP output, the test
database (built once per build directory under a lock), running hull, and
reading its JSON findings.

The references themselves never call hull: each test computes what hull
should report from the feed files with its own parser and an independent
version comparison (dpkg, python3-packaging, node-semver, or the apk rule
written out in python and checked against apk-tools' own vectors), then
compares sets and prints every mismatch with both sides."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Debian's python3-yaml and python3-packaging serve a python3 that lacks
# them (pyenv, venv): appended, so a module the interpreter has wins.
if os.path.isdir("/usr/lib/python3/dist-packages") and "/usr/lib/python3/dist-packages" not in sys.path:
    sys.path.append("/usr/lib/python3/dist-packages")

sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(os.path.dirname(__file__), "../../..")), "tests", "lib"))
from hullskip import skip_env, skip_missing  # noqa: E402,F401  (re-exported to the tests)

HULL = os.environ.get("HULL_BIN", "")
SRC = os.environ.get("HULL_SRC", os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
SHARED = os.path.join(os.environ.get("HULL_SHARED", os.path.join(SRC, "..", "shared")), "data")
BUILD = os.environ.get("HULL_BUILD", "")
IMAGES = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "img")

# The feed files every reference reads too, relative to ../shared/data. The
# Debian folder is named file by file so that the reference and hull read
# exactly the same lists (not the raw CVE/list excerpt hull ignores).
FEEDS = [
    "debian/security-tracker-2023-04/DSA-list",
    "debian/security-tracker-2023-04/DLA-list",
    "debian/vunnel-fixture/DSA-list-excerpt",
    "debian/vunnel-fixture/tracker-debian.json",
    "alpine-secdb",
    "osv-npm/ghsa",
    "osv-npm/nodejs-security-wg",
    "osv-pypi",
]


class Tap:
    """Minimal TAP producer: numbered checks, diagnostics, plan at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def diag(self, msg):
        for line in str(msg).splitlines() or [""]:
            print("# " + line)

    def ok(self, cond, name, diag=()):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, name))
        if not cond:
            self.failed += 1
            for d in diag:
                self.diag(d)
        sys.stdout.flush()
        return cond

    def same_sets(self, name, want, got, show=str):
        """Passes when want == got; prints every element on one side only."""
        want, got = set(want), set(got)
        missing = sorted(want - got, key=str)
        extra = sorted(got - want, key=str)
        diag = (["reference only (hull misses it): " + show(x) for x in missing] +
                ["hull only (the reference says no): " + show(x) for x in extra])
        return self.ok(not missing and not extra,
                       "%s: %d expected, %d reported" % (name, len(want), len(got)), diag)

    def finish(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def require_env():
    if not HULL or not os.access(HULL, os.X_OK):
        skip_missing("HULL_BIN not set (run through meson test)")
    if not os.path.isdir(SHARED):
        skip_missing(SHARED + " missing")
    for f in FEEDS:
        if not os.path.exists(os.path.join(SHARED, f)):
            skip_missing(os.path.join(SHARED, f) + " missing")


def database():
    """The test database, built from FEEDS into the build directory. One
    writer at a time (flock); rebuilt when hull or the feed list changed."""
    d = os.path.join(BUILD or tempfile.gettempdir(), "vuln-ref")
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, "db.sqlite")
    stamp = os.path.join(d, "feeds")
    want = "\n".join(FEEDS) + "\n"
    with open(os.path.join(d, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fresh = (os.path.exists(db) and os.path.getmtime(db) >= os.path.getmtime(HULL) and
                 os.path.exists(stamp) and open(stamp).read() == want)
        if not fresh:
            args = [HULL, "db", "build", "--db", db, "--from"] + [os.path.join(SHARED, f) for f in FEEDS]
            r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                print("not ok 1 - hull db build failed (%d)" % r.returncode)
                Tap().diag(r.stderr)
                print("1..1")
                sys.exit(1)
            with open(stamp, "w") as f:
                f.write(want)
    return db


class Tmp:
    """A temporary folder removed at exit (also the scans' layer cache)."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="hull-vuln-")

    def __enter__(self):
        return self.path

    def __exit__(self, *a):
        shutil.rmtree(self.path, ignore_errors=True)


def hull(args, cache, cwd=None):
    """Runs hull; returns (exit status, stdout, stderr)."""
    env = dict(os.environ, HULL_CACHE_DIR=os.path.join(cache, ".hull-cache"))
    r = subprocess.run([HULL] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env, cwd=cwd)
    return r.returncode, r.stdout, r.stderr


def scan(tap, cmd, target, db, tmp, extra=()):
    """`hull CMD --format json TARGET`: (status, document, stderr). A scan
    that fails or prints no JSON is a failed check and ends the test."""
    rc, out, err = hull([cmd, "--db", db, "--format", "json"] + list(extra) + [target], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    if rc not in (0, 1, 3) or doc is None:
        tap.ok(False, "hull %s %s: exit %d" % (cmd, target, rc), [err, out[:2000]])
        tap.finish()
    return rc, doc, err


def vuln_findings(doc):
    """The vulnerability findings of packages. A release past its end of
    security support adds a finding of its own (HULL-EOSL, package type
    "os"), which depends on the day the test runs: distros.py checks it,
    the package references leave it out."""
    return [f for f in doc.get("findings", []) if f.get("kind", "vulnerability") == "vulnerability"
            and f.get("id") != "HULL-EOSL"]


def eosl_findings(doc):
    return [f for f in doc.get("findings", []) if f.get("id") == "HULL-EOSL"]


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def status_name(s):
    """hull's JSON writes statuses in lower case with underscores."""
    return (s or "").lower().replace("-", "_")


def case_arg(cases):
    """The CASE a test runs (argv[1]); --list prints the cases and exits, an
    unknown case ends the process. Then HULL must be set: a test run
    outside meson skips as missing its binary."""
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(cases))
        sys.exit(0)
    case = sys.argv[1] if len(sys.argv) > 1 else ""
    if case not in cases:
        sys.exit("unknown case " + case)
    if not HULL or not os.access(HULL, os.X_OK):
        skip_missing("HULL_BIN not set (run through meson test)")
    return case


def reference_db(name, source, what, tap=None):
    """A database built with hull db build --from source, once per build
    directory (BUILD/vuln-ref/NAME.sqlite, under NAME.lock) and again when
    hull or the source (a file, or a folder's files) is newer. A failed
    build fails the test: through tap when given, else as test 1."""
    d = os.path.join(BUILD or "/tmp", "vuln-ref")
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, name + ".sqlite")
    with open(os.path.join(d, name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest = os.path.getmtime(source)
        if os.path.isdir(source):
            newest = max([newest] + [os.path.getmtime(os.path.join(source, f))
                                     for f in os.listdir(source)])
        if (not os.path.exists(db) or os.path.getmtime(db) < os.path.getmtime(HULL) or
                os.path.getmtime(db) < newest):
            r = subprocess.run([HULL, "db", "build", "--db", db + ".new", "--from", source],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                if tap:
                    tap.ok(False, "hull db build " + what, [r.stderr])
                    tap.finish()
                print("not ok 1 - hull db build %s\n# %s\n1..1" % (what, r.stderr))
                sys.exit(1)
            os.rename(db + ".new", db)
    return db


def apt_debs(d, debs):
    """The .deb files of debs, downloaded once into d (apt-get download,
    under d/lock); a failed download is the machine's (skip_env)."""
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        have = [f for f in os.listdir(d) if f.endswith(".deb")]
        if len(have) < len(debs):
            r = subprocess.run(["apt-get", "download"] + debs, cwd=d, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                skip_env("apt-get download failed: " + r.stderr.strip()[:300])
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".deb")]


def docker_archive_of(out, layer, tag):
    """A docker-archive at out: one layer (its tar bytes), a minimal config,
    the manifest naming tag."""
    import hashlib
    import io
    import tarfile
    lh = hashlib.sha256(layer).hexdigest()
    cfg = json.dumps({"architecture": "amd64", "os": "linux",
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + lh]},
                      "config": {}}).encode()
    ch = hashlib.sha256(cfg).hexdigest()
    man = json.dumps([{"Config": ch + ".json", "RepoTags": [tag],
                       "Layers": [lh + "/layer.tar"]}]).encode()
    with tarfile.open(out, "w") as t:
        for name, data in [(lh + "/layer.tar", layer), (ch + ".json", cfg), ("manifest.json", man)]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
