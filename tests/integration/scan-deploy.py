#!/usr/bin/env python3
"""scan-deploy.py APP: `hull scan` on a real multi-service app of ../shared
(Compose or Kubernetes) with every image it names substituted by a test image
(scripts/test-images.sh): every workload hull network sees is listed, with
the same exposures (how, address, port, target) and the same reach; every
image given is scanned (no warning names it); every priority is explained by
the rule of docs/priority.md (its terms add up to the score that gives it)."""
import json, os, re, subprocess, sys, tempfile

app = sys.argv[1]
hull = os.environ["HULL_BIN"]
shared = os.environ.get("HULL_SHARED", os.path.join(os.environ["HULL_SRC"], "..", "shared"))
imgs = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "img")
path = os.path.join(shared, "data", app)
n = 0
fail = False

def ok(cond, what):
    global n, fail
    n += 1
    print(("ok" if cond else "not ok"), n, "-", what)
    fail |= not cond

if not os.path.isdir(path):
    print("1..0 # SKIP missing:", path); sys.exit(1 if os.environ.get("CI") == "true" else 0)
tests = [os.path.join(imgs, r, r + ".docker.tar") for r in ("bookworm", "bullseye")]
if not all(os.path.exists(t) for t in tests):
    print("1..0 # SKIP missing: test images (scripts/test-images.sh)")
    sys.exit(1 if os.environ.get("CI") == "true" else 0)

def run(args):
    p = subprocess.run([hull] + args, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print("# hull", " ".join(args), "->", p.returncode, p.stderr[:2000])
    return p

first = json.loads(run(["scan", "--offline", "--format", "json", path]).stdout)
refs = sorted({i for w in first["deployment"]["workloads"] for i in w["images"] if " (base of" not in i})
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(os.environ["HULL_BUILD"], "golden-db.sqlite")
    # every Compose profile enabled: the deployment hull network sees
    args = ["scan", "--format", "json", "--profile", "*", "--offline"]
    if os.path.exists(db):
        args += ["--db", db]
    for k, r in enumerate(refs):
        args += ["--image", "%s=%s" % (r, tests[k % 2])]
    scan = json.loads(run(args + [path]).stdout)
    sarif = json.loads(run(args[:1] + ["--format", "sarif"] + args[3:] + [path]).stdout)
default = {w["id"] for w in first["deployment"]["workloads"]}
left = {re.search(r"service (\S+) left out", m).group(1) for m in first["warnings"] if " left out: " in m}
net = json.loads(run(["network", "--format", "json", path]).stdout)

dep = {w["id"]: w for w in scan["deployment"]["workloads"]}
netids = {w["id"] for w in net["workloads"]}
ok(netids - default == left and not (left & default),
   "%s: without --profile, exactly the services of profiles are left out (%s)" % (app, ", ".join(sorted(left)) or "none"))
ok(set(w["id"] for w in net["workloads"]) <= set(dep),
   "%s: all %d workloads of hull network listed" % (app, len(net["workloads"])))
want = {}
for e in net["exposures"]:
    want.setdefault(e["workload"], []).append(e)
same = all(len(want.get(i, [])) == len(w["exposures"]) and
           w["internet"] == any(e["world"] for e in want.get(i, [])) for i, w in dep.items()
           if i in {x["id"] for x in net["workloads"]})
ok(same, "%s: exposures per workload equal hull network's (%d in all)" % (app, len(net["exposures"])))
reach = {}
for e in net["edges"]:
    if e["source"] != "(internet)" and e["destination"] != "(internet)":
        reach.setdefault(e["destination"], set()).add(e["source"])
ok(all(set(w["reachedBy"]) == reach.get(i, set()) for i, w in dep.items()),
   "%s: who reaches each workload equals hull network's edges" % app)
missed = [m for m in scan["warnings"] if "not scanned" in m and "no source" in m]
ok(not missed, "%s: every image named (%d) was scanned%s" % (app, len(refs), (": " + missed[0]) if missed else ""))
prio = [f for f in scan["findings"] if "priority" in f]
good = True
for f in prio:
    m = re.match(r"P(\d) = \S+ (\d) \+ (fix available|no fix) (\d) \+ exposure: .*\((\d)\) \+ privilege: .*\((\d)\) = (\d+)$",
                 f.get("priorityReason") or "")
    if not m:
        good = False; print("# unexplained:", f["id"], f.get("priorityReason")); continue
    p, *terms, score = (int(x) if x.isdigit() else x for x in m.groups())
    s = sum(t for t in terms if isinstance(t, int))
    want_p = 1 if s >= 8 else 2 if s >= 6 else 3 if s >= 4 else 4
    if s != score or p != f["priority"] or want_p != p:
        good = False; print("# inconsistent:", f["id"], f["priorityReason"])
ok(good, "%s: %d priorities, each explained by its terms" % (app, len(prio)))
runs = sarif.get("runs", [])
where = {w["id"]: (w["file"], w["line"]) for w in scan["deployment"]["workloads"]}
placed = True
checked = 0
for r in (runs[0]["results"] if runs else []):
    w = r.get("properties", {}).get("workload")
    if not w or r.get("properties", {}).get("pkgName") is None:
        continue
    loc = r["locations"][0]["physicalLocation"]
    f, line = where[w]
    checked += 1
    if not loc["artifactLocation"]["uri"].endswith(f.lstrip("/").split("/")[-1]) or loc["region"]["startLine"] != line:
        placed = False; print("# misplaced:", r["ruleId"], w, loc)
ok(len(runs) == 1 and placed, "%s: SARIF, one run, %d image results at their workload's manifest line" % (app, checked))
print("1..%d" % n)
sys.exit(1 if fail else 0)
