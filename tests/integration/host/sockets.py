#!/usr/bin/env python3
"""hull host --checks network against real listeners: python3 sockets on
0.0.0.0, 127.0.0.1 and :: (v6 only), a UDP socket, and socat on a
database port; each must be named with its process and exposure (and the
loopback one not at all). The listeners are this test's children, killed at
the end. TAP output."""
import json, os, shutil, socket, subprocess, sys, time

HULL = os.environ["HULL_BIN"]
n = fail = 0


def ok(cond, msg):
    global n, fail
    n += 1
    print(("ok" if cond else "not ok"), n, "-", msg)
    if not cond:
        fail += 1


def free_port(family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind(("::" if family == socket.AF_INET6 else "127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


CHILD = r"""
import socket, sys, time
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
kind = socket.SOCK_DGRAM if sys.argv[3] == 'udp' else socket.SOCK_STREAM
s = socket.socket(fam, kind)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
if kind == socket.SOCK_STREAM:
    s.listen(1)
print('ready', flush=True)
time.sleep(120)
"""

procs = []


def spawn(argv):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    procs.append(p)
    return p


try:
    cases = []
    for addr, proto in (("0.0.0.0", "tcp"), ("127.0.0.1", "tcp"), ("::", "tcp"), ("0.0.0.0", "udp")):
        port = free_port(socket.AF_INET6 if ":" in addr else socket.AF_INET)
        p = spawn([sys.executable, "-c", CHILD, addr, str(port), proto])
        p.stdout.readline()
        cases.append((addr, proto, port, p.pid, open("/proc/%d/comm" % p.pid).read().strip()))
    db = None
    if shutil.which("socat"):
        # a free port in the database list: memcached's 11211, else redis 6379
        for port in (11211, 6379, 27017):
            try:
                t = socket.socket()
                t.bind(("0.0.0.0", port))
                t.close()
            except OSError:
                continue
            p = spawn(["socat", "TCP-LISTEN:%d,bind=0.0.0.0,reuseaddr,fork" % port, "SYSTEM:true"])
            for _ in range(50):
                if subprocess.run(["ss", "-ltn", "sport = :%d" % port], capture_output=True, text=True).stdout.count("LISTEN"):
                    break
                time.sleep(0.1)
            db = (port, p.pid)
            break
    out = subprocess.run([HULL, "host", "--checks", "network", "--format", "json"], capture_output=True, text=True)
    ok(out.returncode == 0, "hull host --checks network runs (%s)" % out.stderr.strip()[:200])
    findings = json.loads(out.stdout or "{}").get("findings", [])
    objs = {f["location"].get("object", ""): f for f in findings}
    for addr, proto, port, pid, comm in cases:
        shown = "[%s]" % addr if ":" in addr else addr
        obj = "%s%s %s:%d (%s pid %d)" % (proto, "6" if ":" in addr else "", shown, port, comm, pid)
        f = objs.get(obj)
        if addr == "127.0.0.1":
            ok(not any(":%d " % port in o for o in objs), "loopback listener %d is not reported" % port)
        else:
            ok(f is not None and f["id"] == "HULL-H025", "%s is reported as HULL-H025 (%s)" % (obj, f and f["id"]))
    if db:
        port, pid = db
        obj = "tcp 0.0.0.0:%d (socat pid %d)" % (port, pid)
        f = objs.get(obj)
        ok(f is not None and f["id"] == "HULL-H022", "%s is a database exposed (HULL-H022): %s" % (obj, f and f["id"]))
    else:
        print("# socat not installed or no free database port: skipped the database case")
finally:
    for p in procs:
        p.kill()
        p.wait()
print("1..%d" % n)
sys.exit(1 if fail else 0)
