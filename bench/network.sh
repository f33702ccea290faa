#!/bin/bash
# network.sh: how long `hull network` takes to compute the reachability
# matrix of a generated cluster of 5,000 pods and 500 NetworkPolicies
# (goal: under one second), in one run:
#   1. the cluster (20 namespaces, 500 apps of 10 pods with tier / env /
#      version labels and named ports; per namespace a default deny, then
#      policies with podSelector, namespaceSelector, both, ipBlock, numeric,
#      named and endPort ports, ingress and egress) is written as YAML;
#   2. hull reads it and computes every ordered pair (--stats prints the
#      time of hull_net_compute: classes, the bulk matrix, the summary);
#   3. the same semantics evaluated pair by pair in Python on a random
#      sample of pairs, extrapolated to all pairs: the ratio says what the
#      class and column method buys over the direct evaluation.
# Usage: bench/network.sh [HULL_BINARY | BUILD_DIR]   (default: build/hull)
#        PODS=5000 POLICIES=500 bench/network.sh ...
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-$root/build}
if [ -d "$arg" ]; then hull=$arg/hull; else hull=$arg; fi
case $hull in /*) ;; *) hull=$PWD/$hull ;; esac
pods=${PODS:-5000}
policies=${POLICIES:-500}
[ -x "$hull" ] || { echo "network.sh: no hull binary at $hull" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$pods" "$policies" "$tmp" <<'EOF'
import json, random, sys, time
npods, npol, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(8)
NS = ["ns%02d" % i for i in range(20)]
apps = ["app%03d" % i for i in range(max(1, npods // 10))]
docs, pods, nslabels = [], [], {}
for i, ns in enumerate(NS):
    nslabels[ns] = {"team": "t%d" % (i % 5), "env": ["prod", "dev", "test"][i % 3],
                    "kubernetes.io/metadata.name": ns}
    docs.append({"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": ns, "labels": {k: v for k, v in nslabels[ns].items() if "/" not in k}}})
for i in range(npods):
    app = apps[i % len(apps)]
    ns = NS[hash(app) % len(NS)] if False else NS[(i % len(apps)) % len(NS)]
    labels = {"app": app, "tier": rnd.choice(["web", "api", "db"]), "env": rnd.choice(["prod", "dev", "test"]),
              "version": rnd.choice(["v1", "v2", "v3"])}
    ports = [{"name": "http", "containerPort": rnd.choice([80, 8080, 8000])},
             {"name": "metrics", "containerPort": 9100}]
    if labels["tier"] == "db":
        ports.append({"name": "db", "containerPort": 5432})
    pods.append({"ns": ns, "labels": labels, "ports": ports})
    docs.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p%05d" % i, "namespace": ns, "labels": labels},
                 "spec": {"containers": [{"name": "c", "image": "app", "ports": ports}]}})

def sel():
    r = rnd.random()
    if r < 0.5:
        return {"matchLabels": {"app": rnd.choice(apps)}}
    if r < 0.8:
        return {"matchLabels": {"tier": rnd.choice(["web", "api", "db"])}, "matchExpressions": [
            {"key": "version", "operator": "In", "values": rnd.sample(["v1", "v2", "v3"], 2)}]}
    return {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["test"]}]}

def peer():
    r = rnd.random()
    if r < 0.45:
        return {"podSelector": sel()}
    if r < 0.7:
        return {"namespaceSelector": {"matchLabels": {"team": "t%d" % rnd.randrange(5)}}}
    if r < 0.9:
        return {"namespaceSelector": {"matchLabels": {"env": "prod"}}, "podSelector": sel()}
    return {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}

def ports():
    r = rnd.random()
    if r < 0.4:
        return [{"protocol": "TCP", "port": rnd.choice([80, 8080, 5432])}]
    if r < 0.7:
        return [{"port": rnd.choice(["http", "db", "metrics"])}]
    if r < 0.85:
        return [{"port": 30000, "endPort": 30000 + rnd.randrange(1000)}]
    return []

pols = []
for ns in NS:
    pols.append({"ns": ns, "sel": {}, "types": ["Ingress", "Egress"], "in": [], "eg": [
        {"ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]})
while len(pols) < npol:
    p = {"ns": rnd.choice(NS), "sel": sel(), "types": rnd.choice([["Ingress"], ["Ingress", "Egress"], ["Egress"]])}
    p["in"] = [{"from": [peer() for _ in range(rnd.randrange(1, 3))], "ports": ports()}
               for _ in range(rnd.randrange(1, 3))] if "Ingress" in p["types"] else []
    p["eg"] = [{"to": [peer()], "ports": ports()} for _ in range(rnd.randrange(0, 2))] if "Egress" in p["types"] else []
    pols.append(p)
for k, p in enumerate(pols):
    spec = {"podSelector": p["sel"], "policyTypes": p["types"]}
    def rules(rs, key):
        return [dict(({key: r[key]} if key in r else {}), **({"ports": r["ports"]} if r["ports"] else {})) for r in rs]
    if p["in"]:
        spec["ingress"] = rules(p["in"], "from")
    if p["eg"]:
        spec["egress"] = rules(p["eg"], "to")
    docs.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "pol%03d" % k, "namespace": p["ns"]}, "spec": spec})
with open(out + "/cluster.yaml", "w") as f:
    for d in docs:
        f.write("---\n" + json.dumps(d) + "\n")

# ---- the direct evaluation, pair by pair, on a sample --------------------------
def match(s, labels):
    for k, v in (s.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in s.get("matchExpressions") or []:
        v = labels.get(e["key"])
        if e["operator"] == "In" and v not in e["values"]: return False
        if e["operator"] == "NotIn" and v in e["values"]: return False
    return True

def peer_has(pol, pe, pod):
    if "ipBlock" in pe:
        return False
    if "namespaceSelector" in pe and not match(pe["namespaceSelector"], nslabels[pod["ns"]]):
        return False
    if "namespaceSelector" not in pe and pod["ns"] != pol["ns"]:
        return False
    return "podSelector" not in pe or match(pe["podSelector"], pod["labels"])

def port_ok(rule, dst, port):
    if not rule["ports"]:
        return True
    for p in rule["ports"]:
        if p.get("protocol", "TCP") != "TCP": continue
        v = p.get("port")
        if v is None: return True
        if isinstance(v, str):
            if any(c["name"] == v and c["containerPort"] == port for c in dst["ports"]): return True
        elif v <= port <= p.get("endPort", v):
            return True
    return False

def side(pod, other, dst, port, ingress):
    sel_pols = [p for p in pols if p["ns"] == pod["ns"] and match(p["sel"], pod["labels"]) and
                ("Ingress" if ingress else "Egress") in p["types"]]
    if not sel_pols:
        return True
    for p in sel_pols:
        for r in p["in"] if ingress else p["eg"]:
            peers = r.get("from" if ingress else "to", [])
            if (not peers or any(peer_has(p, pe, other) for pe in peers)) and port_ok(r, dst, port):
                return True
    return False

sample = 2000
t0 = time.perf_counter()
allowed = 0
for _ in range(sample):
    s, d = rnd.sample(pods, 2)
    port = d["ports"][0]["containerPort"]
    allowed += side(d, s, d, port, True) and side(s, d, d, port, False)
per_pair = (time.perf_counter() - t0) / sample
json.dump({"per_pair": per_pair, "pairs": npods * (npods - 1)}, open(out + "/direct.json", "w"))
EOF

size=$(du -h "$tmp/cluster.yaml" | cut -f1)
t0=$(date +%s.%N)
"$hull" network --stats --format sarif --output "$tmp/out.sarif" "$tmp/cluster.yaml" 2>"$tmp/stats" || true
t1=$(date +%s.%N)
python3 - "$tmp" "$t0" "$t1" "$pods" "$policies" "$size" <<'EOF'
import json, re, sys
tmp, t0, t1, pods, pols, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
stats = open(tmp + "/stats").read()
m = re.search(r"\((\d+) classes\).*?(\d+) ordered pairs allowed; computed in ([0-9.]+) s", stats)
if not m:
    print("network.sh: hull did not report its statistics:\n" + stats)
    sys.exit(1)
classes, allowed, compute = int(m.group(1)), int(m.group(2)), float(m.group(3))
d = json.load(open(tmp + "/direct.json"))
direct = d["per_pair"] * d["pairs"]
print("cluster: %s pods, %s policies (%s of YAML)" % (pods, pols, size))
print("hull: %d classes, %d of %d ordered pairs allowed" % (classes, allowed, d["pairs"]))
print("matrix computed in %.3f s (goal: under 1 s: %s); whole run %.2f s (YAML loading included)"
      % (compute, "met" if compute < 1 else "NOT met", t1 - t0))
print("direct pair-by-pair evaluation (Python, %.1f us/pair on a sample): %.0f s for all pairs; "
      "hull is %.0fx faster" % (d["per_pair"] * 1e6, direct, direct / max(compute, 1e-6)))
EOF
