#!/usr/bin/env python3
"""hull db update against a loopback HTTP server serving shared/data as a
mirror: first download, 304 on the second run, a connection dropped half-way
(resumed with Range), a corrupt payload (old database kept), a server that
always drops (clean failure), --offline (no request at all); the
distributions' OSV all.zip exports and Red Hat's CSAF archive found through
its index (archive_latest.txt), and a new archive when the index names one."""
import hashlib
import http.server
import json
import os
import shutil
import socketserver
import sys
import subprocess
import tarfile
import tempfile
import threading
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vdbtest as V  # noqa: E402

V.require()
tap = V.Tap()
tmp = tempfile.mkdtemp(prefix="hull-vdb-update-")
mirror = tmp + "/mirror"
D = V.SHARED


def place(rel, src):
    dst = os.path.join(mirror, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)


place("debian/tracker.json", D + "/debian/vunnel-fixture/tracker-debian.json")
place("debian/DSA-list", D + "/debian/security-tracker-2023-04/DSA-list")
place("debian/DLA-list", D + "/debian/security-tracker-2023-04/DLA-list")
place("alpine/v3.20/main.json", D + "/alpine-secdb/v3.20-main-subset/openssl.json")
place("wolfi/security.json", D + "/distro-osv-misc/wolfi-secdb/security.json")
os.makedirs(mirror + "/osv/npm", exist_ok=True)
with zipfile.ZipFile(mirror + "/osv/npm/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(D + "/osv-npm/ghsa")):
        z.write(D + "/osv-npm/ghsa/" + f, f)
os.makedirs(mirror + "/osv/PyPI", exist_ok=True)
with zipfile.ZipFile(mirror + "/osv/PyPI/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    base = D + "/osv-pypi/pypa-advisory-database/vulns"
    for pkg in [x for x in sorted(os.listdir(base)) if os.path.isdir(base + "/" + x)][:60]:
        for f in sorted(os.listdir(base + "/" + pkg)):
            z.write(base + "/" + pkg + "/" + f, pkg + "/" + f)

# the distributions' exports, laid out as osv.dev's bucket (blanks escaped
# in URLs), and Red Hat's CSAF directory: an index naming a tar.zst
def osv_zip(eco, folder):
    os.makedirs(mirror + "/osv/" + eco, exist_ok=True)
    with zipfile.ZipFile(mirror + "/osv/" + eco + "/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for root, _, files in sorted(os.walk(D + "/distro-osv-misc/" + folder)):
            for f in sorted(files):
                z.write(os.path.join(root, f), f)


osv_zip("Ubuntu", "ubuntu-osv")
osv_zip("Rocky Linux", "rocky-osv")
CSAF = mirror + "/redhat/csaf/advisories/"


def csaf_archive(name, files):
    os.makedirs(CSAF, exist_ok=True)
    tar = CSAF + name[:-4]
    with tarfile.open(tar, "w") as t:
        for f in files:
            t.add(D + "/distro-osv-misc/rhel-csaf/" + f, "2024/" + f)
    subprocess.run(["zstd", "-q", "-f", "--rm", tar, "-o", CSAF + name], check=True)
    open(CSAF + "archive_latest.txt", "w").write(name + "\n")


csaf_archive("csaf_advisories_2026-12-01.tar.zst", ["rhsa-2024_6163.json", "rhsa-2024_9371.json"])
SERVED = 10

state = {"drop": {}, "always_drop": set(), "log": []}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        rel = urllib.parse.unquote(self.path.lstrip("/").split("?")[0])
        path = os.path.join(mirror, rel)
        with lock:
            state["log"].append((rel, dict(self.headers)))
        if ".." in rel or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = open(path, "rb").read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        start = 0
        rng = self.headers.get("Range")
        if rng and self.headers.get("If-Range", etag) == etag and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
        code = 206 if start else 200
        self.send_response(code)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body) - start))
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
        self.end_headers()
        with lock:
            drops = state["drop"].get(rel, 0)
            if drops:
                state["drop"][rel] = drops - 1
            always = rel in state["always_drop"]
        if drops or always:
            # half of what was promised, then the connection goes away
            self.wfile.write(body[start:start + (len(body) - start) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body[start:])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d" % srv.server_address[1]
db = tmp + "/db.sqlite"
env = dict(os.environ, HULL_DB_RETRIES="2", HULL_DB_TIMEOUT="10")


def update(*extra, mirror_url=url):
    return V.hull("db", "update", "--db", db, "--mirror", mirror_url, *extra, check=False,
                  env=env, timeout=300)


def digest(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def reqs(rel):
    return [h for r, h in state["log"] if r == rel]


# 1. first download
p = update()
tap.ok(p.returncode == 0, "first update succeeds", p.stderr)
inf = V.info(db)
src = {s["name"]: s for s in inf["sources"]}
tap.ok(all(k in src for k in ("debian-tracker", "debian-dsa", "debian-dla", "alpine-secdb",
                              "wolfi-secdb", "osv")),
       "every served feed is in the database", sorted(src))
tap.ok(src["debian-dsa"]["records"] == 5406, "DSA list complete (5406 advisories)",
       src["debian-dsa"])
feeds = {f["name"]: f for f in inf["feeds"]}
tap.ok(len(feeds) == SERVED and all(f["etag"] for f in feeds.values()),
       "the %d served feeds are recorded with their ETag" % SERVED, sorted(feeds))
tap.ok(all(k in src for k in ("redhat-csaf",)) and src["redhat-csaf"]["records"] == 2 and
       {"ubuntu:22.04:lts", "ubuntu:pro:16.04:lts", "rocky-linux:9", "redhat:9"} <=
       {n["name"] for n in inf["namespace_list"]},
       "the OSV exports of Ubuntu and Rocky Linux and the 2 CSAF advisories are in the database",
       [src.get("redhat-csaf"), [n["name"] for n in inf["namespace_list"]]])
idx = [i for i, (r, _) in enumerate(state["log"]) if r == "redhat/csaf/advisories/archive_latest.txt"]
arc = [i for i, (r, _) in enumerate(state["log"])
       if r == "redhat/csaf/advisories/csaf_advisories_2026-12-01.tar.zst"]
tap.ok(len(idx) == 1 and len(arc) == 1 and idx[0] < arc[0] and
       feeds["redhat-csaf-advisories"]["url"].endswith("/csaf_advisories_2026-12-01.tar.zst"),
       "the CSAF index is read, then the archive it names (recorded as the feed's URL)",
       feeds.get("redhat-csaf-advisories"))
tap.ok(any(r == "osv/Rocky Linux/all.zip" for r, _ in state["log"]),
       "the Rocky Linux export is asked for as osv/Rocky%20Linux/all.zip")
tap.ok(all(f["url"].startswith(url) for f in feeds.values()), "origins are the mirror URLs")
tap.ok(any(r == "alpine/v3.17/main.json" for r, _ in state["log"]),
       "feeds the mirror does not have are asked for and skipped (404)")
first = digest(db)

# 2. nothing changed: conditional requests, 304, database untouched
n0 = len(state["log"])
p = update()
tap.ok(p.returncode == 0, "second update succeeds", p.stderr)
tap.ok(digest(db) == first, "the database is not rewritten when every feed answers 304")
second = state["log"][n0:]
tracker_req = [h for r, h in second if r == "debian/tracker.json"]
tap.ok(tracker_req and tracker_req[0].get("If-None-Match") == feeds["debian-tracker"]["etag"],
       "the request carries If-None-Match with the stored ETag", tracker_req)
arc_req = [h for r, h in second if r.endswith(".tar.zst")]
tap.ok(len(arc_req) == 1 and arc_req[0].get("If-None-Match") == feeds["redhat-csaf-advisories"]["etag"],
       "the CSAF archive is asked for again with its ETag (304)", arc_req)

# 2b. the index names a new archive (only one advisory in it): downloaded, rebuilt
csaf_archive("csaf_advisories_2026-12-02.tar.zst", ["rhsa-2024_9371.json"])
n0 = len(state["log"])
p = update()
new = [h for r, h in state["log"][n0:] if r.endswith("csaf_advisories_2026-12-02.tar.zst")]
inf = V.info(db)
tap.ok(p.returncode == 0 and len(new) == 1 and not new[0].get("If-None-Match") and
       {s["name"]: s for s in inf["sources"]}["redhat-csaf"]["records"] == 1,
       "a new archive named by the index is downloaded without validators and rebuilds the database",
       [p.stderr, new])
tap.ok(digest(db) != first, "the database changed")
first = digest(db)

# 3. the DSA list changes and the connection drops half-way: resumed with Range
dsa = mirror + "/debian/DSA-list"
text = open(dsa).read()
open(dsa, "w").write("[30 Mar 2023] DSA-9999-1 hulltest - security update\n"
                     "\t{CVE-2099-0001}\n\t[bookworm] - hulltest 1.2-3\n" + text)
state["drop"]["debian/DSA-list"] = 1
n0 = len(state["log"])
p = update()
tap.ok(p.returncode == 0, "update after a dropped connection succeeds", p.stderr)
dsa_reqs = [h for r, h in state["log"][n0:] if r == "debian/DSA-list"]
tap.ok(len(dsa_reqs) == 2 and dsa_reqs[1].get("Range", "").startswith("bytes=") and
       dsa_reqs[1].get("If-Range"),
       "the second request resumes with Range and If-Range", dsa_reqs)
got = V.lookup(db, "debian:12", "hulltest")
tap.ok(len(got) == 1 and got[0]["id"] == "CVE-2099-0001" and got[0]["fixed"] == "1.2-3",
       "the resumed download is complete and in the database", got)
tap.ok(V.info(db)["sources"] and
       {s["name"]: s for s in V.info(db)["sources"]}["debian-dsa"]["records"] == 5407,
       "5407 DSA advisories after the change")
good = digest(db)

# 4. a corrupt payload: the update fails, the database and cache are kept
cache_tracker = db + ".feeds/debian-tracker"
cached = digest(cache_tracker)
open(mirror + "/debian/tracker.json", "w").write('{"prototypejs": {"CVE-2008-7220": {"rel')
p = update()
tap.ok(p.returncode == 2, "a corrupt payload fails the update (exit 2)", p.returncode)
tap.ok("corrupt" in p.stderr or "JSON" in p.stderr, "the error says what is wrong", p.stderr)
tap.ok(digest(db) == good, "the old database is kept")
tap.ok(digest(cache_tracker) == cached, "the cached feed is kept")
tap.ok(V.hull("db", "info", "--db", db, check=False).returncode == 0,
       "hull db info works on the kept database")
shutil.copyfile(D + "/debian/vunnel-fixture/tracker-debian.json", mirror + "/debian/tracker.json")

# 5. a server that always drops: clean failure after the retries
open(mirror + "/wolfi/security.json", "a").write("\n")
state["always_drop"].add("wolfi/security.json")
n0 = len(state["log"])
p = update()
tap.ok(p.returncode == 2 and "wolfi" in p.stderr, "a connection that always drops fails cleanly",
       p.stderr)
tap.ok(len(reqs("wolfi/security.json")) - len([1 for r, _ in state["log"][:n0]
                                                if r == "wolfi/security.json"]) == 3,
       "it was tried 1 + 2 retries times")
tap.ok(digest(db) == good, "the database is kept")
state["always_drop"].clear()
p = update()
tap.ok(p.returncode == 0, "the next update (server fixed) succeeds", p.stderr)

# 6. --offline never touches the network
n0 = len(state["log"])
p = update("--offline")
tap.ok(p.returncode == 0 and len(state["log"]) == n0, "--offline makes no request",
       (p.returncode, p.stderr))

# 7. a mirror without any feed
os.makedirs(tmp + "/empty", exist_ok=True)
before = digest(db)
p = update(mirror_url=url + "/nothing-here")
tap.ok(p.returncode == 2 and "no feed" in p.stderr, "a mirror with no feed is an error", p.stderr)
tap.ok(digest(db) == before, "and the database is kept")

# 8. a second mirror is tried when the first is down
p = V.hull("db", "update", "--db", db, "--mirror", "http://127.0.0.1:9/", "--mirror", url,
           check=False, env=dict(env, HULL_DB_RETRIES="0"), timeout=300)
tap.ok(p.returncode == 0, "the second mirror serves when the first is unreachable", p.stderr)

# 9. signed feeds (Ed25519, `openssl pkeyutl -sign -rawin`): with --key every
# feed fetched must come with a .sig beside it that verifies
def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


openssl("genpkey", "-algorithm", "ed25519", "-out", tmp + "/key.pem")
openssl("pkey", "-in", tmp + "/key.pem", "-pubout", "-out", tmp + "/pub.pem")
openssl("genpkey", "-algorithm", "ed25519", "-out", tmp + "/other.pem")
openssl("pkey", "-in", tmp + "/other.pem", "-pubout", "-out", tmp + "/other-pub.pem")


def sign(path, key=tmp + "/key.pem"):
    openssl("pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", path, "-out", path + ".sig")


for root, _, files in os.walk(mirror):
    for f in files:
        if not f.endswith(".sig"):
            sign(os.path.join(root, f))
sdb = tmp + "/signed.sqlite"


def supdate(*extra):
    return V.hull("db", "update", "--db", sdb, "--mirror", url, *extra, check=False, env=env,
                  timeout=300)


p = supdate("--key", tmp + "/pub.pem")
tap.ok(p.returncode == 0 and os.path.exists(sdb), "signed mirror, --key: the update succeeds",
       p.stderr)
sig_reqs = [r for r, _ in state["log"] if r == "debian/tracker.json.sig"]
tap.ok(len(sig_reqs) >= 1, "the signature beside each feed is fetched")
good_signed = digest(sdb)
# a feed changed on the mirror after it was signed
shutil.copyfile(D + "/debian/security-tracker-2023-04/DSA-list", mirror + "/debian/DSA-list")
with open(mirror + "/debian/DSA-list", "a") as f:
    f.write("[01 Jan 2099] DSA-9999-1 evil - tampered\n\t{CVE-2099-0001}\n")
p = supdate("--key", tmp + "/pub.pem")
tap.ok(p.returncode == 2 and "debian-dsa" in p.stderr and "does not verify" in p.stderr,
       "a tampered feed is refused, naming it", p.stderr)
tap.ok(digest(sdb) == good_signed, "and the database is kept")
sign(mirror + "/debian/DSA-list", tmp + "/other.pem")
p = supdate("--key", tmp + "/pub.pem")
tap.ok(p.returncode == 2 and "does not verify" in p.stderr, "a signature by another key is refused",
       p.stderr)
os.unlink(mirror + "/debian/DSA-list.sig")
p = supdate("--key", tmp + "/pub.pem")
tap.ok(p.returncode == 2 and "no signature" in p.stderr,
       "with --key, a feed without a signature is refused", p.stderr)
shutil.copyfile(D + "/debian/security-tracker-2023-04/DSA-list", mirror + "/debian/DSA-list")
with open(mirror + "/debian/DSA-list", "a") as f:
    f.write("\n")  # the real list, changed so it is fetched again
sign(mirror + "/debian/DSA-list")
p = supdate("--key", tmp + "/pub.pem")
tap.ok(p.returncode == 0, "signed by the right key: accepted", p.stderr)

# 10. hull db verify FILE [--key K]: a database file and its signature
sign(sdb)
p = V.hull("db", "verify", sdb, "--key", tmp + "/pub.pem", check=False)
tap.ok(p.returncode == 0 and "verified" in p.stdout, "db verify: a good signature", p.stderr)
p = V.hull("db", "verify", sdb, "--key", tmp + "/other-pub.pem", check=False)
tap.ok(p.returncode == 2 and "does not verify" in p.stderr, "db verify: another key is refused",
       p.stderr)
data = bytearray(open(sdb, "rb").read())
data[len(data) // 2] ^= 1
open(tmp + "/tampered.sqlite", "wb").write(data)
shutil.copyfile(sdb + ".sig", tmp + "/tampered.sqlite.sig")
p = V.hull("db", "verify", tmp + "/tampered.sqlite", "--key", tmp + "/pub.pem", check=False)
tap.ok(p.returncode == 2 and "tampered.sqlite" in p.stderr and "does not verify" in p.stderr,
       "db verify: one flipped bit is refused, naming the file", p.stderr)
p = V.hull("db", "verify", db, "--key", tmp + "/pub.pem", check=False)
tap.ok(p.returncode == 2 and "no signature" in p.stderr, "db verify: an unsigned file is refused",
       p.stderr)
p = V.hull("db", "verify", sdb, check=False, env=dict(env, HULL_DB_KEY=tmp + "/pub.pem"))
tap.ok(p.returncode == 0, "db verify: the key from $HULL_DB_KEY", p.stderr)
p = V.hull("db", "verify", sdb, "--key", tmp + "/key.pem", check=False)
tap.ok(p.returncode == 2 and "public key" in p.stderr, "db verify: a private key file is refused",
       p.stderr)

srv.shutdown()
shutil.rmtree(tmp, ignore_errors=True)
tap.done()
