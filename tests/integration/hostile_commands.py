#!/usr/bin/env python3
"""Hostile inputs at every command that reads a file (hostile.py does the
images): each case makes its input here (nothing binary is stored) and runs
one hull command on it, confined as hostile.py confines `hull sbom`: under
`prlimit --as` 256 MiB, at most 10 s, HOME, TMPDIR, the cache and the
working directory empty folders that must stay empty, and no raw escape
byte on stderr or in the report. Each case says the exit status it wants
and what stderr must name.

Usage: hostile_commands.py CASE   (--list prints the cases)
Environment: HULL_BIN, HULL_SANITIZED=1 (no address-space limit, ten times
the time: ASan's shadow memory is not hull's)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile import AS_LIMIT, WALL_LIMIT, snapshot  # noqa: E402  (one confinement)


OSV_RECORD = {"schema_version": "1.6.0", "id": "GHSA-hhhh-hhhh-hhhh", "modified": "2026-01-01T00:00:00Z",
              "affected": [{"package": {"ecosystem": "npm", "name": "x1"},
                            "ranges": [{"type": "SEMVER",
                                        "events": [{"introduced": "0"}, {"fixed": "2"}]}]}]}


def tiny_db(root):
    """A database of one real-shaped OSV record, built before the run."""
    db = os.path.join(root, "db.sqlite")
    if not os.path.exists(db):
        feed = os.path.join(root, "feed")
        os.makedirs(feed, exist_ok=True)
        with open(os.path.join(feed, "GHSA-hhhh-hhhh-hhhh.json"), "w") as f:
            json.dump(OSV_RECORD, f)
        subprocess.run([os.environ["HULL_BIN"], "db", "build", "--from", feed, "--db", db],
                       check=True, capture_output=True)
    return db


def run(root, args, out):
    hull = os.environ["HULL_BIN"]
    sanitized = os.environ.get("HULL_SANITIZED") == "1"
    env = dict(os.environ, HOME=os.path.join(root, "home"), TMPDIR=os.path.join(root, "tmp"),
               XDG_CACHE_HOME=os.path.join(root, "xdg"),
               HULL_CACHE_DIR=os.path.join(root, "cache"), HULL_DB=tiny_db(root))
    for d in ("home", "tmp", "cwd", "cache"):  # hull may make its cache dir, not write in it
        os.makedirs(os.path.join(root, d), exist_ok=True)
    cmd = [hull] + args
    if not sanitized:
        cmd = ["prlimit", "--as=%d" % AS_LIMIT, "--"] + cmd
    limit = WALL_LIMIT * (10 if sanitized else 1)
    before = snapshot(root, out)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limit + 5, env=env,
                              cwd=os.path.join(root, "cwd"))
    except subprocess.TimeoutExpired:
        return None, ["still running after %d s (a hang)" % (limit + 5)]
    elapsed = time.monotonic() - start
    problems = []
    if proc.returncode < 0 or proc.returncode > 2:
        problems.append("exit status %d: a crash" % proc.returncode)
    if elapsed > limit:
        problems.append("took %.1f s, over %d s" % (elapsed, limit))
    changed = sorted({p for p, _ in set(before.items()) ^ set(snapshot(root, out).items())})
    if changed:
        problems.append("wrote outside the output file: %s" % changed[:5])
    if b"\x1b" in proc.stderr or b"\x07" in proc.stderr:
        problems.append("raw escape or bell on stderr")
    if os.path.exists(out) and b"\x1b" in open(out, "rb").read():
        problems.append("raw escape in the report")
    print("# %s: exit %d, %.2f s" % (" ".join(args), proc.returncode, elapsed))
    print("# stderr: %r" % proc.stderr.decode(errors="replace").strip()[:1500])
    return proc, problems


# ---- inputs --------------------------------------------------------------


def fifo(root, name):
    p = os.path.join(root, "in", name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.mkfifo(p)
    return p


def write(root, name, data):
    p = os.path.join(root, "in", name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return p


def flat_maps(n):
    return "[" + ",".join('{"a":1}' for _ in range(n)) + "]"


LAUGHS = "\n".join(
    ["apiVersion: v1", "kind: Pod", "metadata: {name: a}", 'x0: &a0 ["lol","lol","lol","lol","lol"]']
    + ["x%d: &a%d [%s]" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 12)]
    + ["spec: {containers: [{name: c, image: nginx, args: *a11}]}"]) + "\n"

ESCAPES = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\\e]0;pwned\\a\\e[31mred\"\n"
           "spec:\n  containers:\n  - name: \"c\\e[2J\"\n    image: \"nginx\\u202e\"\n"
           "    securityContext: {privileged: true}\n")

# (name, make(root) -> (args, output file or None), exit status, stderr must contain)
CASES = {}


def case(name, want_rc, must):
    def deco(fn):
        CASES[name] = (fn, want_rc, must)
        return fn
    return deco


for cmd in ("config", "scan", "network"):
    def make(root, cmd=cmd):
        return [cmd, fifo(root, "pod.yaml")], None
    case("fifo-" + cmd, 2, "pod.yaml: not a regular file")(make)


@case("fifo-sbom-scan", 2, "bom.json: not a regular file")
def _(root):
    return ["sbom-scan", fifo(root, "bom.json")], None


@case("fifo-policy", 2, "policy.yaml: not a regular file")
def _(root):
    pod = write(root, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n")
    return ["config", "--policy", fifo(root, "policy.yaml"), pod], None


@case("fifo-ignorefile", 2, "ignore: not a regular file")
def _(root):
    os.makedirs(os.path.join(root, "in", "r"))
    return ["rootfs", "--ignorefile", fifo(root, "ignore"), os.path.join(root, "in", "r")], None


@case("fifo-db-build", 2, "feed.json: not a regular file or a directory")
def _(root):
    return ["db", "build", "--from", fifo(root, "feed.json"), "--db",
            os.path.join(root, "out.db")], os.path.join(root, "out.db")


@case("db-build-nothing", 2, "no advisory record in")
def _(root):
    os.makedirs(os.path.join(root, "in", "empty"))
    return ["db", "build", "--from", os.path.join(root, "in", "empty"), "--db",
            os.path.join(root, "out.db")], os.path.join(root, "out.db")


@case("dev-zero-symlink", 2, "pod.yaml: not a regular file")
def _(root):
    os.makedirs(os.path.join(root, "in"))
    os.symlink("/dev/zero", os.path.join(root, "in", "pod.yaml"))
    return ["config", os.path.join(root, "in", "pod.yaml")], None


@case("rootfs-fifo-databases", 0, "var/lib/dpkg/status: a FIFO, not a regular file; not read")
def _(root):
    r = os.path.join(root, "in", "r")
    fifo(root, "r/var/lib/dpkg/status")
    fifo(root, "r/app/package-lock.json")
    write(root, "r/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
    return ["sbom", "--format", "json", "--output", os.path.join(root, "out.json"), r], \
        os.path.join(root, "out.json")


@case("yaml-memory", 2, "maps.json: line 1, column")
def _(root):
    # 2.6 MB that json-c would hold in over 200 MiB
    return ["config", write(root, "maps.json", flat_maps(300000))], None


@case("yaml-alias-bomb", 2, "an alias bomb?")
def _(root):
    return ["config", write(root, "laughs.yaml", LAUGHS)], None


@case("pods-list-memory", 2, "pods.json")
def _(root):
    items = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p%d" % i},
              "spec": {"containers": [{"name": "c", "image": "i"}]}} for i in range(100000)]
    return ["network", write(root, "pods.json", json.dumps({"apiVersion": "v1", "kind": "List",
                                                          "items": items}))], None


for fmt in ("table", "sarif", "junit", "html"):
    def make(root, fmt=fmt):
        out = os.path.join(root, "report." + fmt)
        return ["config", "--format", fmt, "--output", out,
                write(root, "esc.yaml", ESCAPES)], out
    case("escapes-" + fmt, 1, "")(make)


@case("sbom-nul", 2, "bom.json: line 1, column 1: invalid JSON: a NUL byte")
def _(root):
    return ["sbom-scan", write(root, "bom.json", bytes(range(256)) * 100)], None


@case("sbom-huge", 2, "out of memory loading")
def _(root):
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5",
           "components": [{"type": "library", "name": "x%d" % i, "version": "1",
                           "purl": "pkg:npm/x%d@1" % i} for i in range(300000)]}
    return ["sbom-scan", write(root, "bom.json", json.dumps(doc))], None


@case("sshd-include-loop", 2, "Too many recursive configuration includes")
def _(root):
    r = os.path.join(root, "in", "h")
    write(root, "h/etc/ssh/sshd_config",
          "Include /etc/ssh/sshd_config\nInclude /etc/ssh/sshd_config.d/*\n")
    fifo(root, "h/etc/ssh/sshd_config.d/f.conf")
    os.symlink("/dev/zero", os.path.join(r, "etc/ssh/sshd_config.d/z.conf"))
    return ["host", "--root", r, "--sshd-effective"], None


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return
    name = sys.argv[1]
    make, want_rc, must = CASES[name]
    if name == "sbom-huge" and os.environ.get("HULL_SANITIZED") == "1":
        print("ok 1 - %s # SKIP env: needs prlimit --as, which ASan's shadow memory rules out"
              % name)
        sys.exit(77)
    root = tempfile.mkdtemp(prefix="hull-hostile-cmd-")
    try:
        args, out = make(root)
        proc, problems = run(root, args, out or os.path.join(root, "no-output"))
        if proc is not None:
            if want_rc == 2 and proc.returncode != 2:
                problems.append("exit %d, want 2 (unusable input)" % proc.returncode)
            if want_rc != 2 and proc.returncode == 2:
                problems.append("exit 2, want a report")
            err = proc.stderr.decode(errors="replace")
            if must and must not in err:
                problems.append("stderr does not say %r" % must)
            if want_rc == 2 and out and os.path.exists(out):
                problems.append("wrote %s although the input was refused" % out)
            if "out of memory" in err and root not in err and "in/" not in err:
                problems.append("an out-of-memory error that names no input")
        for p in problems:
            print("# " + p)
        print("ok 1 - %s" % name if not problems else "not ok 1 - %s" % name)
        print("1..1")
        sys.exit(1 if problems else 0)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
