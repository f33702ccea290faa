#!/usr/bin/env python3
"""manifests.py: deploy/kubernetes checked by hull itself and by structure.

* hull config --profile restricted --policy deploy/kubernetes/hull-policy.yaml
  --fail-on low deploy/kubernetes exits 0: nothing left but exemptions;
* without the policy, every finding is on the node agent (DaemonSet
  hull-node), and the rules found are exactly the policy's exempted rules,
  each exemption scoped to that DaemonSet with a reason: none is unused,
  none is broader than the agent;
* the least privileges the docs promise: host mounts read-only, the image
  scanner's role can only list pods, only the CronJob mounts a service
  account token, every workload writes to the store (--store), the webhook
  runs several replicas covered by a PodDisruptionBudget;
* against the Kubernetes OpenAPI schema when one is available here
  ($HULL_K8S_SCHEMA_DIR of kubeconform-style JSON schemas); none ships in
  Debian 12 (kubernetes-client 1.20 has no schemas) nor in ../shared, so
  that check is a TAP skip saying so."""
import json
import os
import subprocess
import sys

if os.path.isdir("/usr/lib/python3/dist-packages") and "/usr/lib/python3/dist-packages" not in sys.path:
    sys.path.append("/usr/lib/python3/dist-packages")
SRC = os.environ.get("HULL_SRC", os.path.join(os.path.dirname(__file__), "../../.."))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from hullskip import skip_missing  # noqa: E402

try:
    import yaml
except ImportError:
    skip_missing("python3-yaml (scripts/install-deps.sh)")

HULL = os.environ.get("HULL_BIN", "")
if not HULL:
    skip_missing("HULL_BIN not set (run through meson test)")
DIR = os.path.join(SRC, "deploy", "kubernetes")
POLICY = os.path.join(DIR, "hull-policy.yaml")
n = failed = 0


def ok(cond, name, diag=""):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name))
    if not cond:
        failed += 1
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()


def hull(*args):
    r = subprocess.run([HULL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stdout, r.stderr


rc, out, err = hull("config", "--profile", "restricted", "--policy", POLICY, "--fail-on", "low",
                    "--format", "json", DIR)
ok(rc == 0, "restricted with the policy: nothing but exemptions (exit %d)" % rc, err + out[:2000])

rc, out, err = hull("config", "--profile", "restricted", "--format", "json", DIR)
found = json.loads(out)["findings"] if out.strip() else []
objects = sorted({f["location"]["object"] or "" for f in found})
ok(all(o.startswith("DaemonSet hull-system/hull-node") for o in objects),
   "without it, findings only on the node agent", "\n".join(objects))
rules = {f["id"] for f in found}
policy = yaml.safe_load(open(POLICY))
ex = policy.get("exemptions", [])
exempted = set()
for e in ex:
    scoped = e.get("kind") == "DaemonSet" and e.get("name") == "hull-node" and e.get("namespace") == "hull-system"
    ok(scoped and e.get("reason") and len(e.get("reason")) > 20 and "rule" in e,
       "exemption %s: one rule, the node agent only, a reason" % e.get("rule", e.get("rules")))
    exempted.add(e.get("rule"))
ok(rules == exempted, "every exemption is needed, no finding without one",
   "found: %s\nexempted: %s" % (sorted(rules), sorted(exempted)))

docs = []
for name in sorted(os.listdir(DIR)):
    if name.endswith(".yaml") and name != "hull-policy.yaml":
        for d in yaml.safe_load_all(open(os.path.join(DIR, name))):
            if d:
                docs.append((name, d))
ok(all(d.get("apiVersion") and d.get("kind") and d.get("metadata", {}).get("name") for _, d in docs),
   "%d objects, each with apiVersion, kind, metadata.name" % len(docs))
by = {(d["kind"], d["metadata"]["name"]): d for _, d in docs}


def pod_spec(d):
    s = d["spec"]
    if d["kind"] == "CronJob":
        s = s["jobTemplate"]["spec"]
    return s["template"]["spec"]


ds = by.get(("DaemonSet", "hull-node"))
ok(ds is not None, "DaemonSet hull-node")
if ds:
    ps = pod_spec(ds)
    args = {c["name"]: c["args"] for c in ps["containers"]}
    ok(args.get("host", [None])[0] == "host" and args.get("runtime", [None])[0] == "runtime"
       and "--watch" in args.get("runtime", []), "the node agent runs hull host and hull runtime --watch")
    mounts = [m for c in ps["containers"] for m in c.get("volumeMounts", [])]
    ok(mounts and all(m.get("readOnly") for m in mounts), "every host mount read-only")
    ok(all(c["securityContext"].get("readOnlyRootFilesystem") and
           c["securityContext"].get("allowPrivilegeEscalation") is False and
           c["securityContext"]["capabilities"]["drop"] == ["ALL"] for c in ps["containers"]),
       "agent containers: read-only root, no escalation, all capabilities dropped")
    added = sorted({a for c in ps["containers"] for a in c["securityContext"]["capabilities"].get("add", [])})
    ok(added == ["SYS_PTRACE"], "the one added capability: SYS_PTRACE (%s)" % added)
    ok(ps.get("automountServiceAccountToken") is False, "the agent has no API token")
role = by.get(("ClusterRole", "hull-pod-lister"))
ok(role is not None and role["rules"] == [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}],
   "the scanner's role: list pods, nothing else", json.dumps(role and role.get("rules")))
bindings = [d for _, d in docs if d["kind"] in ("ClusterRoleBinding", "RoleBinding")]
ok(len(bindings) == 1 and bindings[0]["subjects"] == [{"kind": "ServiceAccount", "name": "hull-images",
                                                       "namespace": "hull-system"}],
   "bound to the image scanner's service account only")
cj = by.get(("CronJob", "hull-images"))
ok(cj is not None and pod_spec(cj)["serviceAccountName"] == "hull-images", "CronJob hull-images")
tokens = [(k, n_) for (k, n_), d in by.items() if k in ("Deployment", "DaemonSet", "CronJob")
          and pod_spec(d).get("automountServiceAccountToken") is not False]
ok(tokens == [("CronJob", "hull-images")], "only the CronJob mounts a token", tokens)
for (k, name), d in sorted(by.items()):
    if k in ("Deployment", "DaemonSet", "CronJob"):
        ps = pod_spec(d)
        text = json.dumps(ps)
        for v in ps.get("volumes", []):  # a script the pod runs (the CronJob's)
            cm = by.get(("ConfigMap", v.get("configMap", {}).get("name")))
            text += json.dumps(cm) if cm else ""
        ok("--store" in text and "hull-store" in text, "%s %s writes to the store" % (k, name))
        ok("PGPASSWORD" in text and "password" not in " ".join(
            a for c in ps["containers"] for a in c.get("args", [])),
           "%s %s: the password from the Secret, never in arguments" % (k, name))
web = by.get(("Deployment", "hull-webhook"))
pdb = by.get(("PodDisruptionBudget", "hull-webhook"))
ok(web and web["spec"]["replicas"] >= 2, "webhook: several replicas")
ok(pdb and web and pdb["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]
   and pdb["spec"].get("minAvailable", 0) >= 1 and pdb["spec"]["minAvailable"] < web["spec"]["replicas"],
   "webhook: a PodDisruptionBudget over its pods that still lets a drain proceed")

schemas = os.environ.get("HULL_K8S_SCHEMA_DIR", "")
if schemas and os.path.isdir(schemas):
    import shutil
    ajv = shutil.which("ajv")
    for name, d in docs:
        f = os.path.join(schemas, "%s-%s.json" % (d["kind"].lower(), d["apiVersion"].split("/")[-1]))
        if not os.path.exists(f) or not ajv:
            ok(False, "%s %s: schema %s" % (name, d["kind"], f))
            continue
        tmp = "/tmp/hull-k8s-%d.json" % os.getpid()
        json.dump(d, open(tmp, "w"))
        r = subprocess.run([ajv, "validate", "--spec=draft7", "--strict=false", "-s", f, "-d", tmp],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        os.unlink(tmp)
        ok(r.returncode == 0, "%s %s %s: valid against the OpenAPI schema" % (name, d["kind"], d["metadata"]["name"]), r.stdout)
else:
    n += 1
    print("ok %d # SKIP no Kubernetes OpenAPI schema here (none in Debian 12 or ../shared/data; "
          "set HULL_K8S_SCHEMA_DIR)" % n)
print("1..%d" % n)
sys.exit(1 if failed else 0)
