#!/usr/bin/env python3
"""hull db build SIGKILLed at 20 random moments: after each, hull db info
works on the database (the previous one, or the new one when the kill came
after the rename) and sqlite3 says PRAGMA integrity_check ok."""
import glob
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdbtest as V  # noqa: E402

V.require()
if not shutil.which("sqlite3"):
    V.skip_all("sqlite3 command missing")
tap = V.Tap()
tmp = tempfile.mkdtemp(prefix="hull-vdb-kill-")
db = tmp + "/db.sqlite"
inputs = [V.SHARED + "/debian", V.SHARED + "/osv-pypi", V.SHARED + "/alpine-secdb"]
rng = random.Random(int(os.environ.get("HULL_KILL_SEED", "20")))


def digest():
    return hashlib.sha256(open(db, "rb").read()).hexdigest()


V.hull("db", "build", "--db", db, "--from", V.SHARED + "/debian/vunnel-fixture")
t0 = time.monotonic()
V.hull("db", "build", "--db", tmp + "/full.sqlite", "--from", *inputs)
full_time = time.monotonic() - t0
tap.note("a full build takes %.2f s; kills land in [0, %.2f] s" % (full_time, full_time * 1.1))

prev = digest()
replaced = 0
for i in range(20):
    at = rng.uniform(0, full_time * 1.1)
    p = subprocess.Popen([V.HULL, "db", "build", "--db", db, "--from", *inputs],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(at)
    p.send_signal(signal.SIGKILL)
    p.wait()
    inf = V.hull("db", "info", "--format", "json", "--db", db, check=False)
    chk = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True,
                         text=True)
    cur = digest()
    ok = inf.returncode == 0 and chk.stdout.strip() == "ok"
    if cur != prev:
        replaced += 1
    tap.ok(ok, "kill %d at %.2f s: hull db info works, integrity_check ok (%s)" %
           (i + 1, at, "new database" if cur != prev else "previous database"),
           inf.stderr + chk.stdout + chk.stderr)
    prev = cur
tap.note("%d of 20 kills came after the new database was in place" % replaced)

# temporaries of killed builds are removed by the next build
time.sleep(3)
V.hull("db", "build", "--db", db, "--from", V.SHARED + "/debian/vunnel-fixture")
left = glob.glob(tmp + "/.db.sqlite.tmp.*")
tap.ok(not left, "no temporary file left after the next build", left)
shutil.rmtree(tmp, ignore_errors=True)
tap.done()
