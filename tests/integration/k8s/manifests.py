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
* against the Kubernetes OpenAPI schema: none ships in Debian 12 nor in
  ../shared, so the test installs kubernetes-models (npm; validators
  generated from the Kubernetes OpenAPI document) into $HULL_TEST_CACHE and
  validates every object with it (openapi-validate.mjs)."""
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

# The OpenAPI check: kubernetes-models (npm) carries validators generated
# from the Kubernetes OpenAPI document; installed once into the test cache.
# A bad object (wrong type, missing required field) must fail it: the check
# is run first on one such object so that it cannot pass quietly.
MODELS = os.path.join(os.environ.get("HULL_TEST_CACHE", "/var/cache/hull-test"), "k8s-models")
MODELS_VERSION = "5.1.0"
VALIDATE = os.path.join(SRC, "tests", "integration", "k8s", "openapi-validate.mjs")


def models_installed():
    return os.path.exists(os.path.join(MODELS, "node_modules", "kubernetes-models", "apps", "v1", "Deployment.js"))


def install_models():
    import fcntl
    os.makedirs(MODELS, exist_ok=True)
    with open(os.path.join(MODELS, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if models_installed():
            return None
        try:
            r = subprocess.run(["npm", "install", "--prefix", MODELS, "--no-audit", "--no-fund",
                                "--ignore-scripts", "kubernetes-models@" + MODELS_VERSION],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            return str(e)
        return None if r.returncode == 0 and models_installed() else r.stdout[-300:].replace("\n", " ")


def validate(objs):
    r = subprocess.run(["node", VALIDATE, MODELS], input=json.dumps(objs), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return r.returncode, [json.loads(line) for line in r.stdout.splitlines() if line.strip()], r.stderr


why = None if models_installed() else install_models()
if why is not None:
    n += 1
    print("ok %d # SKIP env: npm install kubernetes-models failed (registry unreachable?): %s" % (n, why))
else:
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "bad"},
           "spec": {"template": {"spec": {"containers": [{"image": "x", "ports": [{"containerPort": "http"}]}]}}}}
    rc, res, err = validate([bad])
    ok(rc == 0 and len(res) == 1 and res[0]["error"] and "containerPort" in res[0]["error"],
       "the OpenAPI check rejects a Deployment without selector and with a string containerPort", err + str(res))
    # webhook.yaml is applied after make-certs.sh's sed fills in CA_BUNDLE
    # (docs/serve.md): validate it as applied, with a base64 CA bundle.
    import base64
    import copy
    applied = []
    for _, d in docs:
        d = copy.deepcopy(d)
        for w in d.get("webhooks", []) if d["kind"] == "ValidatingWebhookConfiguration" else []:
            if w.get("clientConfig", {}).get("caBundle") == "CA_BUNDLE":
                w["clientConfig"]["caBundle"] = base64.b64encode(b"-----BEGIN CERTIFICATE-----\n").decode()
        applied.append(d)
    rc, res, err = validate(applied)
    ok(rc == 0 and len(res) == len(docs), "every object of deploy/kubernetes checked (%d)" % len(docs), err)
    for (name, d), r in zip(docs, res):
        ok(r["error"] is None, "%s %s %s: valid against the Kubernetes OpenAPI schema" % (name, d["kind"], d["metadata"]["name"]),
           r["error"])
print("1..%d" % n)
sys.exit(1 if failed else 0)
