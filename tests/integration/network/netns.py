#!/usr/bin/env python3
"""Ground truth for hull network's Compose reachability, from a real network.

For a Compose file, this test builds what Docker's bridge driver would
build, out of network namespaces on this machine, and compares what
connects with what `hull network --format json` predicts:

  - a "host" namespace H holds one Linux bridge per Compose network (the
    gateway address on it, internal networks included) and Docker's rules
    in nftables: DNAT of published ports (every local address, or the bind
    address) for traffic from other interfaces, a userland proxy per
    publication for the rest (docker-proxy's job: the host itself,
    loopback binds, the target's own bridge), isolation between bridges,
    internal bridges closed to forwarding, masquerading out; "icc: false"
    networks get isolated bridge ports;
  - a "world" namespace W, wired to H by a veth, is the internet;
  - each service gets a namespace with a veth on each of its networks
    (network_mode: none gets none, host runs in H, service:X in X's);
  - each service listens on its declared TCP ports plus one undeclared
    port, answering with its name; every source (each service and W)
    opens a bounded connection to every address and port it could try.

What connects must equal what hull predicts, pair by pair. Addresses are
192.0.2.0/24 (H-W) and 10.77.0.0/16 (bridges), all inside the namespaces
this test creates; it deletes them (and its processes) on every exit path,
and skips when `ip netns add` is not permitted or nft is missing.

Usage: netns.py --list | netns.py CASE
"""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(HERE, "../../..")), "tests", "lib"))
from hullskip import skip_env, skip_missing  # noqa: E402
AGENT = os.path.join(HERE, "agent.py")
SHARED = os.environ.get("HULL_SHARED", os.path.join(HERE, "..", "..", "..", "..", "shared"))
HULL = os.environ.get("HULL_BIN", "hull")
PY = sys.executable

OWN = ["published", "tiers", "modes"]
REAL = ["nginx-golang-mysql", "react-express-mongodb", "wordpress-mysql", "pihole-cloudflared-DoH",
        "react-java-mysql", "nginx-nodejs-redis", "plex", "elasticsearch-logstash-kibana"]
WAN_H, WAN_W = "192.0.2.1", "192.0.2.2"
EXTRA_BASE = 7000   # one undeclared port per service

tap_n = 0
tap_fail = 0


def ok(cond, msg):
    global tap_n, tap_fail
    tap_n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", tap_n, msg), flush=True)
    if not cond:
        tap_fail += 1
    return cond


def case_path(name):
    if name in OWN:
        return os.path.join(HERE, "cases", name + ".yaml")
    d = os.path.join(SHARED, "data", "compose", "awesome-compose", name)
    for f in ("compose.yaml", "compose.yml"):
        if os.path.exists(os.path.join(d, f)):
            return os.path.join(d, f)
    return None


# ---- the test's own reading of the Compose file -------------------------------------

def parse_ports(svc):
    """[(bind, host_port or None, container_port)] for TCP publications."""
    out = []
    for p in svc.get("ports") or []:
        if isinstance(p, dict):
            if str(p.get("protocol", "tcp")).lower() != "tcp":
                continue
            pub = p.get("published")
            out.append((p.get("host_ip"), int(pub) if pub is not None else None, int(p["target"])))
            continue
        s = str(p)
        proto = "tcp"
        if "/" in s:
            s, proto = s.rsplit("/", 1)
        if proto.lower() != "tcp" or s.startswith("["):
            continue   # IPv6 binds are not built here
        parts = s.split(":")
        bind = parts[0] if len(parts) == 3 else None
        host = parts[-2] if len(parts) >= 2 else None
        cont = parts[-1]
        clo, chi = (cont.split("-") + [cont])[:2]
        hlo = host.split("-")[0] if host else None
        for k in range(int(clo), int(chi) + 1):
            out.append((bind, int(hlo) + k - int(clo) if hlo else None, k))
    return out


def read_compose(path):
    doc = yaml.safe_load(open(path))
    nets_def = doc.get("networks") or {}
    services = {}
    for i, (name, svc) in enumerate((doc.get("services") or {}).items()):
        svc = svc or {}
        mode = svc.get("network_mode")
        nets = svc.get("networks")
        if isinstance(nets, dict):
            nets = list(nets.keys())
        if not nets and not mode:
            nets = ["default"]
        if mode:
            nets = []
        ports = parse_ports(svc)
        listen = sorted({c for _, _, c in ports} |
                        {int(str(e).split("/")[0]) for e in (svc.get("expose") or [])
                         if str(e).split("/")[-1] in (str(e), "tcp")} |
                        {EXTRA_BASE + i})
        services[name] = {"mode": mode, "nets": nets, "ports": ports, "listen": listen}
    used = sorted({n for s in services.values() for n in s["nets"]})
    networks = {}
    for k, n in enumerate(used):
        d = nets_def.get(n) or {}
        icc = str((d.get("driver_opts") or {}).get("com.docker.network.bridge.enable_icc", "true"))
        networks[n] = {"idx": k, "internal": bool(d.get("internal")),
                       "icc": icc.lower() not in ("false", "0")}
    return services, networks


# ---- namespaces and processes -------------------------------------------------------------

class Lab:
    def __init__(self, tag):
        self.tag = tag
        self.netns = []
        self.procs = []

    def ns(self, short):
        name = "hn%d%s-%s" % (os.getpid(), self.tag, short)
        run(["ip", "netns", "add", name])
        self.netns.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    def start(self, ns, args):
        cmd = ([] if ns is None else ["ip", "netns", "exec", ns]) + [PY, AGENT] + args
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        line = p.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError("agent %s did not start in %s" % (args, ns))
        return p

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.procs = []
        for n in reversed(self.netns):
            subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)
        self.netns = []


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout


def sh(ns, *args):
    return run(["ip", "netns", "exec", ns] + list(args))


def build(lab, services, networks):
    """Builds the topology; returns where each service lives and its addresses."""
    H = lab.ns("h")
    W = lab.ns("w")
    sh(H, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    sh(H, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0")
    run(["ip", "-n", H, "link", "add", "wan", "type", "veth", "peer", "name", "eth0", "netns", W])
    run(["ip", "-n", H, "addr", "add", WAN_H + "/24", "dev", "wan"])
    run(["ip", "-n", W, "addr", "add", WAN_W + "/24", "dev", "eth0"])
    run(["ip", "-n", H, "link", "set", "wan", "up"])
    run(["ip", "-n", W, "link", "set", "eth0", "up"])
    for n, d in networks.items():
        br = "b%d" % d["idx"]
        run(["ip", "-n", H, "link", "add", br, "type", "bridge"])
        run(["ip", "-n", H, "addr", "add", "10.77.%d.1/24" % d["idx"], "dev", br])
        run(["ip", "-n", H, "link", "set", br, "up"])
    where, addrs, gw = {}, {}, {}
    names = list(services)
    for i, name in enumerate(names):
        s = services[name]
        if s["mode"] == "host":
            where[name] = H
            continue
        if s["mode"] and s["mode"].startswith("service:"):
            continue
        ns = lab.ns("s%d" % i)
        where[name], addrs[name], gw[name] = ns, [], []
        default = None
        for n in s["nets"]:
            d = networks[n]
            hv, cv = "v%dn%d" % (i, d["idx"]), "e%d" % d["idx"]
            ip = "10.77.%d.%d" % (d["idx"], 10 + i)
            run(["ip", "-n", H, "link", "add", hv, "type", "veth", "peer", "name", cv, "netns", ns])
            run(["ip", "-n", H, "link", "set", hv, "master", "b%d" % d["idx"], "up"])
            if not d["icc"]:
                run(["ip", "-n", H, "link", "set", "dev", hv, "type", "bridge_slave", "isolated", "on"])
            run(["ip", "-n", ns, "addr", "add", ip + "/24", "dev", cv])
            run(["ip", "-n", ns, "link", "set", cv, "up"])
            addrs[name].append(ip)
            gw[name].append("10.77.%d.1" % d["idx"])
            if default is None and not d["internal"]:
                default = "10.77.%d.1" % d["idx"]
        if default:
            run(["ip", "-n", ns, "route", "add", "default", "via", default])
    for name in names:
        m = services[name]["mode"]
        if m and m.startswith("service:"):
            owner = m[8:]
            where[name], addrs[name], gw[name] = where[owner], addrs.get(owner, []), gw.get(owner, [])
    return H, W, where, addrs, gw


def publish_target(services, networks, addrs, name):
    """The address and bridge Docker forwards name's publications to, or
    None when nothing is published (host / none / service: modes, or only
    internal networks)."""
    s = services[name]
    if s["mode"]:
        return None
    for n, ip in zip(s["nets"], addrs.get(name, [])):
        if not networks[n]["internal"]:
            return ip, "b%d" % networks[n]["idx"]
    return None


def firewall(lab, H, services, networks, addrs):
    """Docker's rules: DNAT of published ports for traffic from elsewhere
    than the target's own bridge, docker-proxy (userland) for the rest
    (the host itself, loopback binds, the target's bridge), isolation
    between bridges, internal bridges closed, masquerading out."""
    pre, out, post, fwd = [], [], [], []
    ephemeral = 40000
    published = {}   # name -> [(bind, host_port, container_port)]
    for name in services:
        t = publish_target(services, networks, addrs, name)
        if not t:
            continue
        tgt, br = t
        for bind, hp, cp in services[name]["ports"]:
            if hp is None:
                ephemeral += 1
                hp = ephemeral
            published.setdefault(name, []).append((bind, hp, cp))
            anyaddr = bind in (None, "", "0.0.0.0")
            lab.start(H, ["proxy", "0.0.0.0" if anyaddr else bind, str(hp), tgt, str(cp)])
            if bind and bind.startswith("127."):
                continue
            match = "fib daddr type local" if anyaddr else "ip daddr %s" % bind
            pre.append('iifname != "%s" %s tcp dport %d dnat to %s:%d' % (br, match, hp, tgt, cp))
            out.append("ip daddr != 127.0.0.0/8 %s tcp dport %d dnat to %s:%d" % (match, hp, tgt, cp))
    post.append('oifname "wan" masquerade')
    fwd.append("ct state established,related accept")
    # br_netfilter may hand bridged frames to this hook too: traffic that
    # stays on one bridge is the bridge's business (port isolation does icc)
    for n, d in networks.items():
        br = "b%d" % d["idx"]
        fwd.append('iifname "%s" oifname "%s" accept' % (br, br))
    for n, d in networks.items():
        if d["internal"]:
            br = "b%d" % d["idx"]
            fwd.append('iifname "%s" drop' % br)
            fwd.append('oifname "%s" drop' % br)
    fwd.append("ct status dnat accept")
    for n, d in networks.items():
        br = "b%d" % d["idx"]
        fwd.append('iifname "%s" oifname != { "%s", "wan" } drop' % (br, br))
    fwd.append('iifname "wan" drop')
    rules = "table ip hullnat {\n"
    rules += " chain nat_pre { type nat hook prerouting priority -100;\n  %s\n }\n" % "\n  ".join(pre)
    rules += " chain nat_out { type nat hook output priority -100;\n  %s\n }\n" % "\n  ".join(out)
    rules += " chain nat_post { type nat hook postrouting priority 100;\n  %s\n }\n}\n" % "\n  ".join(post)
    rules += "table inet hullfw {\n chain filter_fwd { type filter hook forward priority 0; policy accept;\n"
    rules += "  %s\n }\n}\n" % "\n  ".join(fwd)
    run(["ip", "netns", "exec", H, "nft", "-f", "-"], input=rules)
    return published


# ---- probing ---------------------------------------------------------------------------------

def host_addresses(H_is_source, gw_of_source, networks):
    if H_is_source:
        return ["127.0.0.1", WAN_H] + ["10.77.%d.1" % d["idx"] for d in networks.values()]
    return list(gw_of_source) + [WAN_H]


def probe_plan(src, services, networks, addrs, gw, published, where, H):
    """[(label, ip, port)] for one source (a service or "internet")."""
    plan = []
    src_is_host = src != "internet" and where.get(src) == H
    for dst, d in services.items():
        if dst == src or d["mode"] == "none":
            continue
        for p in d["listen"]:
            label = "%s|%d|" % (dst, p)
            if where.get(dst) == H:   # the host network: the host's addresses
                targets = [WAN_H] if src == "internet" else host_addresses(
                    src_is_host, gw.get(src, []), networks)
            else:
                targets = list(addrs.get(dst, []))
            for ip in targets:
                plan.append((label + "direct " + ip, ip, p))
            owner = d["mode"][8:] if d["mode"] and d["mode"].startswith("service:") else dst
            for bind, hp, cp in published.get(owner, []):
                if cp != p:
                    continue
                if bind in (None, "", "0.0.0.0"):
                    hs = [WAN_H] if src == "internet" else host_addresses(
                        src_is_host, gw.get(src, []), networks)
                elif bind.startswith("127."):
                    hs = [bind] if src_is_host else []
                else:
                    hs = [bind]
                for ip in hs:
                    plan.append((label + "published %s:%d" % (ip, hp), ip, hp))
    if src != "internet":
        plan.append(("internet|80|out", WAN_W, 80))
    return plan


def observe(lab, src, ns, plan):
    cmd = ["ip", "netns", "exec", ns, PY, AGENT, "probe", "1.5"]
    r = subprocess.run(cmd, input=json.dumps(plan), capture_output=True, text=True, timeout=60)
    res = json.loads(r.stdout or "{}")
    seen = set()
    for label, banner in res.items():
        dst, port, _ = label.split("|", 2)
        if banner == "%s:%s" % (dst, port):
            seen.add((dst, int(port)))
    return seen


# ---- hull's prediction ----------------------------------------------------------------------

def covers(ports, port):
    if ports == "all":
        return True
    return any(r["protocol"] == "TCP" and r["from"] <= port <= r["to"] for r in ports)


def predict(doc, services):
    edges = {(e["source"], e["destination"]): e["ports"] for e in doc["edges"]}
    pred = {}
    for src in list(services) + ["internet"]:
        got = set()
        for dst, d in services.items():
            if dst == src or d["mode"] == "none":
                continue
            for p in d["listen"]:
                if src == "internet":
                    ok_ = any(x["workload"] == dst and x["world"] and x["protocol"] == "TCP" and
                              (x["target"] is None or x["target"] <= p <= (x["target_end"] or x["target"]))
                              for x in doc["exposures"])
                else:
                    ok_ = (src, dst) in edges and covers(edges[(src, dst)], p)
                if ok_:
                    got.add((dst, p))
        if src != "internet" and (src, "(internet)") in edges and covers(edges[(src, "(internet)")], 80):
            got.add(("internet", 80))
        pred[src] = got
    return pred


# ---- main ------------------------------------------------------------------------------------

def need_netns():
    """Ends the test with a skip unless network namespaces can be made."""
    for tool in ("ip", "nft"):
        if not shutil.which(tool):
            skip_missing(tool + " (apt-get install iproute2 nftables)")
    if os.geteuid() != 0:
        skip_env("needs root")
    name = "hn%dprobe" % os.getpid()
    r = subprocess.run(["ip", "netns", "add", name], capture_output=True)
    if r.returncode != 0:
        skip_env("ip netns add is not permitted here")
    subprocess.run(["ip", "netns", "del", name], capture_output=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(OWN + REAL))
        return 0
    case = sys.argv[1]
    path = case_path(case)
    if not path or not os.path.exists(path):
        skip_missing("%s: %s" % (case, path))
    if yaml is None:
        skip_missing("python3-yaml")
    need_netns()
    r = subprocess.run([HULL, "network", "--format", "json", "-p", "t", path],
                       capture_output=True, text=True)
    if not ok(r.returncode in (0, 1), "hull network %s (exit %d)" % (case, r.returncode)):
        print("# " + r.stderr.replace("\n", "\n# "))
        print("1..%d" % tap_n)
        return 1
    doc = json.loads(r.stdout)
    services, networks = read_compose(path)
    lab = Lab("%x" % (abs(hash(case)) % 0xffff))
    atexit.register(lab.cleanup)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))
    try:
        H, W, where, addrs, gw = build(lab, services, networks)
        published = firewall(lab, H, services, networks, addrs)
        lab.start(W, ["listen", "internet", "80"])
        started = set()
        for name, s in services.items():
            if s["mode"] == "none":
                continue   # nothing can reach it: no listener needed
            lab.start(where[name], ["listen", name] + [str(p) for p in s["listen"]])
            started.add(name)
        pred = predict(doc, services)
        for src in list(services) + ["internet"]:
            ns = W if src == "internet" else where.get(src)
            if ns is None:   # network_mode none: nothing leaves; probe from its own namespace
                ns = lab.ns("none%d" % list(services).index(src))
            plan = probe_plan(src, services, networks, addrs, gw, published, where, H)
            seen = observe(lab, src, ns, plan)
            want = pred[src]
            ok(seen == want, "%s: %d reachable (service, port) pairs, as predicted" % (src, len(seen)))
            for x in sorted(seen - want):
                print("#   connects but hull says no: %s -> %s:%d" % (src, x[0], x[1]))
            for x in sorted(want - seen):
                print("#   hull says yes but it does not connect: %s -> %s:%d" % (src, x[0], x[1]))
    finally:
        lab.cleanup()
    print("1..%d" % tap_n)
    return 1 if tap_fail else 0


if __name__ == "__main__":
    sys.exit(main())
