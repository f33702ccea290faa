#!/usr/bin/env python3
"""Integration tests of `hull serve` (TAP).

Each case starts its own `hull serve` on a free loopback port (port 0; the
server logs the address) and a temporary unix socket, with a throwaway CA
and serving certificate made by openssl in a temporary directory, and talks
to it with curl (goldens, Docker authz) or raw sockets (hostile clients).

  serve_test.py --list      the case names
  serve_test.py CASE        one case

HULL_UPDATE_GOLDEN=1 rewrites golden/*.json from the server's answers.
"""
import base64, glob, json, os, re, signal, socket, ssl, subprocess, sys, tempfile, threading, time

HULL = os.environ.get("HULL_BIN", "hull")
SHARED = os.environ.get("HULL_SHARED", "")
HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
SANITIZED = os.environ.get("HULL_SANITIZED") == "1"
# ThreadSanitizer maps shadow memory for every thread and stack it sees:
# under it, RSS says nothing about hull
TSAN = "thread" in os.environ.get("HULL_SANITIZER", "")
# hull serve refuses to run as root without it (the tests run as root in CI)
ALLOW_ROOT = ["--allow-root"] if os.geteuid() == 0 else []

n_tests = 0
n_failed = 0


def ok(cond, msg):
    global n_tests, n_failed
    n_tests += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_tests, msg), flush=True)
    if not cond:
        n_failed += 1
    return cond


sys.path.insert(0, os.path.join(os.environ.get("HULL_SRC", os.path.join(HERE, "../../..")), "tests", "lib"))
from hullskip import skip_missing  # noqa: E402


def make_ca(d, name="server"):
    """A throwaway CA and a serving certificate for 127.0.0.1 / localhost."""
    run = lambda *a: subprocess.run(a, cwd=d, check=True, capture_output=True)
    if not os.path.exists(os.path.join(d, "ca.pem")):
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=hull test CA")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", "ext.cnf")
    return os.path.join(d, name + ".pem"), os.path.join(d, name + ".key")


class Server:
    count = 0

    def __init__(self, d, args=(), tls=True, authz=True):
        Server.count += 1
        self.d = d
        self.cert, self.key = make_ca(d)
        self.ca = os.path.join(d, "ca.pem")
        self.sock = os.path.join(d, "authz-%d.sock" % Server.count) if authz else None
        self.log = os.path.join(d, "serve-%d.log" % Server.count)
        cmd = [HULL, "serve", "--log", self.log, "--threads", "2"] + ALLOW_ROOT
        if tls:
            cmd += ["--listen", "127.0.0.1:0", "--tls-cert", self.cert, "--tls-key", self.key]
        if self.sock:
            cmd += ["--docker-authz", self.sock]
        cmd += list(args)
        self.p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.p.poll() is None:
            lines = self.lines()
            want = (1 if tls else 0) + (1 if self.sock else 0)
            listening = [l for l in lines if l.get("msg", "").startswith("listening on")]
            if len(listening) >= want:
                for l in listening:
                    m = re.search(r"https://127\.0\.0\.1:(\d+)", l["msg"])
                    if m:
                        self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if self.p.poll() is not None:
            raise RuntimeError("hull serve exited: " + self.p.stderr.read().decode())

    def lines(self):
        try:
            with open(self.log) as f:
                return [json.loads(l) for l in f if l.strip()]
        except FileNotFoundError:
            return []

    def url(self, path):
        return "https://127.0.0.1:%d%s" % (self.port, path)

    def curl(self, path, body=None, method=None, extra=()):
        cmd = ["curl", "-sS", "--cacert", self.ca, "-w", "\n%{http_code}", "--max-time", "20"]
        if body is not None:
            cmd += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        if method:
            cmd += ["-X", method]
        cmd += list(extra) + [self.url(path)]
        r = subprocess.run(cmd, input=body.encode() if isinstance(body, str) else body,
                           capture_output=True)
        out = r.stdout.decode(errors="replace")
        text, _, code = out.rpartition("\n")
        return int(code or 0), text

    def authz(self, path, body):
        cmd = ["curl", "-sS", "--unix-socket", self.sock, "-w", "\n%{http_code}", "--max-time", "20",
               "-H", "Content-Type: application/json", "--data-binary", "@-", "http://docker" + path]
        r = subprocess.run(cmd, input=body.encode(), capture_output=True)
        text, _, code = r.stdout.decode().rpartition("\n")
        return int(code or 0), text

    def rss_kb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for l in f:
                if l.startswith("VmRSS:"):
                    return int(l.split()[1])
        return 0

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        err = self.p.stderr.read().decode()
        return self.p.returncode, err


def review(obj, uid="u-1", op="CREATE", ns=None, dry=False, api="admission.k8s.io/v1"):
    meta = obj.get("metadata") or {}
    kind = obj.get("kind", "")
    group, _, version = obj.get("apiVersion", "v1").rpartition("/")
    req = {"uid": uid, "kind": {"group": group, "version": version, "kind": kind},
           "resource": {"group": group, "version": version, "resource": kind.lower() + "s"},
           "name": meta.get("name", ""), "operation": op,
           "userInfo": {"username": "admin", "groups": ["system:authenticated"]},
           "object": obj, "oldObject": None, "dryRun": dry}
    if ns or meta.get("namespace"):
        req["namespace"] = ns or meta.get("namespace")
    return json.dumps({"apiVersion": api, "kind": "AdmissionReview", "request": req})


def docs_example():
    """The Kubernetes documentation's example request: JSON with comments and
    `...` placeholders. Comments go, placeholders are closed."""
    p = os.path.join(SHARED, "data/misconfig/admission-review/k8s-docs-request-scale-update.jsonc")
    if not os.path.exists(p):
        return None
    text = open(p).read()
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("//"))
    text = text.replace(",...}", "}")
    return json.loads(text)


def check_golden(name, got):
    path = os.path.join(GOLDEN, name + ".json")
    got = json.loads(got)
    if os.environ.get("HULL_UPDATE_GOLDEN") == "1":
        with open(path, "w") as f:
            json.dump(got, f, indent=2, sort_keys=True)
            f.write("\n")
    try:
        want = json.load(open(path))
    except FileNotFoundError:
        return ok(False, "golden %s missing (HULL_UPDATE_GOLDEN=1 writes it)" % name)
    if not ok(got == want, "golden " + name):
        print("# got:  " + json.dumps(got, sort_keys=True)[:2000])
        print("# want: " + json.dumps(want, sort_keys=True)[:2000])


def yaml_docs(path):
    import yaml
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]


def hull_config_ids(path):
    r = subprocess.run([HULL, "config", "--format", "json", path], capture_output=True)
    doc = json.loads(r.stdout or b"{}")
    return sorted({f["id"] for f in doc.get("findings", []) if not f.get("suppressed")})


# ---- cases ------------------------------------------------------------------

def case_golden(d):
    ex = docs_example()
    if ex is None:
        skip_missing("no shared admission-review data")
    s = Server(d)
    try:
        # the docs' request as it is (v1beta1, a Scale UPDATE): nothing to check, allowed
        code, out = s.curl("/validate", json.dumps(ex))
        ok(code == 200, "docs example answered 200")
        r = json.loads(out)
        ok(r["apiVersion"] == "admission.k8s.io/v1beta1" and r["response"]["uid"] == ex["request"]["uid"]
           and r["response"]["allowed"] is True, "docs example: same uid and apiVersion, allowed")
        check_golden("docs-scale-update", out)
        # the same request as v1 carrying a Deployment that breaks Baseline
        ex["apiVersion"] = "admission.k8s.io/v1"
        ex["request"]["kind"] = {"group": "apps", "version": "v1", "kind": "Deployment"}
        ex["request"]["subResource"] = None
        ex["request"]["requestSubResource"] = None
        ex["request"]["object"] = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "my-deployment", "namespace": "my-namespace"},
            "spec": {"template": {"spec": {"hostNetwork": True, "containers": [
                {"name": "app", "image": "nginx:1.25",
                 "securityContext": {"privileged": True, "runAsNonRoot": True, "runAsUser": 10001}}]}}}}
        code, out = s.curl("/validate", json.dumps(ex))
        r = json.loads(out)["response"]
        ok(code == 200 and r["allowed"] is False and r["status"]["code"] == 403,
           "privileged host-network Deployment denied with 403")
        msg = r["status"]["message"]
        ok("HULL-C001" in msg and "fix:" in msg and "HULL-C015" in msg or "HULL-C01" in msg,
           "status.message names the rules and their remediation")
        check_golden("docs-deployment-denied", out)
        # a hardened pod: allowed, warnings only for rules outside enforce
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ok", "namespace": "team"},
               "spec": {"securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                                            "seccompProfile": {"type": "RuntimeDefault"}},
                        "automountServiceAccountToken": False,
                        "containers": [{"name": "app", "image": "registry.example/app@sha256:" + "a" * 64,
                                        "imagePullPolicy": "Always",
                                        "securityContext": {"allowPrivilegeEscalation": False,
                                                            "readOnlyRootFilesystem": True,
                                                            "capabilities": {"drop": ["ALL"]}},
                                        "resources": {"limits": {"cpu": "1", "memory": "128Mi",
                                                                 "ephemeral-storage": "1Gi"},
                                                      "requests": {"cpu": "100m", "memory": "64Mi",
                                                                   "ephemeral-storage": "100Mi"}},
                                        "livenessProbe": {"httpGet": {"path": "/l", "port": 8080}},
                                        "readinessProbe": {"httpGet": {"path": "/r", "port": 8080}}}]}}
        code, out = s.curl("/validate", review(pod, uid="hardened"))
        r = json.loads(out)["response"]
        ok(code == 200 and r["allowed"] is True and "status" not in r, "hardened pod allowed")
        check_golden("hardened-pod", out)
    finally:
        rc, err = s.stop()
        ok(rc == 0, "server stopped cleanly (%s)" % err.strip()[-200:])


def fixture_files():
    files = []
    base = os.path.join(SHARED, "data/misconfig")
    for p in sorted(glob.glob(base + "/trivy-checks/kubernetes/KSV-*/*.yaml")):
        if "examples.upstream" not in p:
            files.append(p)
    files += sorted(glob.glob(base + "/kube-score/testdata/*.yaml"))
    return files


def case_fixtures(d):
    """Every fixture document, wrapped into an AdmissionReview, gives the
    rule ids `hull config` gives for the same file."""
    try:
        import yaml  # noqa: F401
    except ImportError:
        skip_missing("python3-yaml missing")
    files = fixture_files()
    if not files:
        skip_missing("no shared misconfig fixtures")
    # every rule warns, none enforces: the warnings carry every id
    s = Server(d, ["--enforce", "none", "--warn", "all", "--audit", "none", "--no-decision-log"])
    mismatches = []
    checked = 0
    try:
        for path in files:
            try:
                docs = yaml_docs(path)
            except Exception:
                continue  # hull config's own tests cover unparsable fixtures
            if len(docs) != 1 or "kind" not in docs[0] or docs[0]["kind"].endswith("List"):
                continue
            obj = json.loads(json.dumps(docs[0], default=str))
            code, out = s.curl("/validate", review(obj, uid="fx-%d" % checked))
            if code != 200:
                mismatches.append("%s: HTTP %d %s" % (path, code, out[:200]))
                continue
            r = json.loads(out)["response"]
            warn = r.get("warnings", [])
            got = sorted({m.group(1) for w in warn for m in [re.match(r"\[(HULL-[A-Z0-9]+) ", w)] if m})
            want = hull_config_ids(path)
            if len(warn) >= 64:
                got = sorted(set(got) | set(want))  # capped list: only check it is a subset
            if got != want:
                mismatches.append("%s: serve %s, config %s" % (os.path.relpath(path, SHARED), got, want))
            checked += 1
        ok(checked >= 100, "%d fixtures reviewed" % checked)
        for m in mismatches[:20]:
            print("# " + m)
        ok(not mismatches, "same rule ids as hull config (%d mismatches)" % len(mismatches))
    finally:
        s.stop()


def create_body(inspect):
    """A POST /containers/create body (Config with HostConfig inside, as the
    Engine API takes it) from a container's inspect document."""
    if "Config" in inspect:
        body = dict(inspect["Config"] or {})
    else:  # the condensed summary.json captures: User and Image at the top
        body = {k: inspect[k] for k in ("Image", "User") if k in inspect}
    if "Image" not in body and "ImageName" in inspect:
        body["Image"] = inspect["ImageName"]
    body["HostConfig"] = inspect.get("HostConfig") or {}
    # podman inspect names capabilities CAP_X; the API (and docker run) sends X
    for k in ("CapAdd", "CapDrop"):
        if body["HostConfig"].get(k):
            body["HostConfig"][k] = [c[4:] if c.startswith("CAP_") else c for c in body["HostConfig"][k]]
    return body


def authz_req(body, uri="/v1.41/containers/create?name=t", method="POST"):
    return json.dumps({"User": "", "UserAuthNMethod": "", "RequestMethod": method, "RequestURI": uri,
                       "RequestBody": base64.b64encode(json.dumps(body).encode()).decode()
                       if body is not None else None,
                       "RequestHeaders": {"Content-Type": "application/json"}})


# expected under the default levels (enforce baseline)
AUTHZ_EXPECT = {"c-privileged": False, "c-capsysadmin": False, "c-hostnet": False,
                "c-hostns-mounts": False, "c-hardened": True, "c-limits": True, "c-ports": True,
                "c-default": True, "c-root": True}


def case_authz(d):
    root = os.path.join(SHARED, "tools/samples/podman")
    if not os.path.isdir(root):
        skip_missing("no podman samples")
    s = Server(d, tls=False)
    try:
        code, out = s.authz("/Plugin.Activate", "")
        ok(code == 200 and json.loads(out) == {"Implements": ["authz"]}, "Plugin.Activate")
        for name, allow in sorted(AUTHZ_EXPECT.items()):
            p = os.path.join(root, name, "summary.json")
            if not os.path.exists(p):
                ok(False, "%s missing" % p)
                continue
            doc = json.load(open(p))
            doc = doc[0] if isinstance(doc, list) else doc
            code, out = s.authz("/AuthZPlugin.AuthZReq", authz_req(create_body(doc), "/v1.41/containers/create?name=" + name))
            r = json.loads(out) if code == 200 else {}
            if not ok(code == 200 and r.get("Allow") is allow and r.get("Err") == "",
                      "%s: %s" % (name, "allowed" if allow else "denied")):
                print("# " + out[:500])
            if not allow:
                ok("HULL-C" in r.get("Msg", "") and "fix:" in r.get("Msg", ""), "%s: Msg names rules and fixes" % name)
        # the Engine API captures (docker-format inspect through podman's service)
        for name, allow in (("api-inspect-c-privileged.json", False), ("api-inspect-c-ports.json", True)):
            doc = json.load(open(os.path.join(root, name)))
            code, out = s.authz("/AuthZPlugin.AuthZReq", authz_req(create_body(doc), "/containers/create"))
            ok(code == 200 and json.loads(out)["Allow"] is allow, "%s: %s" % (name, "allowed" if allow else "denied"))
        # other requests pass; responses pass
        code, out = s.authz("/AuthZPlugin.AuthZReq", authz_req(None, "/v1.41/containers/json", "GET"))
        ok(code == 200 and json.loads(out)["Allow"] is True, "GET /containers/json allowed")
        code, out = s.authz("/AuthZPlugin.AuthZRes", json.dumps({"RequestMethod": "GET", "RequestURI": "/_ping",
                                                                 "ResponseStatusCode": 200}))
        ok(code == 200 and json.loads(out)["Allow"] is True, "AuthZRes allowed")
        # a create without a body cannot be judged: fail-open allows, without Err
        code, out = s.authz("/AuthZPlugin.AuthZReq", authz_req(None))
        r = json.loads(out)
        ok(r["Allow"] is True and r["Err"] == "" and "could not evaluate" in r["Msg"], "create without body: fail-open")
        code, out = s.authz("/AuthZPlugin.AuthZReq", "{not json")
        ok(code == 400, "malformed AuthZReq -> 400")
        log = [l for l in s.lines() if l.get("event") == "authz"]
        ok(any(l["name"] == "c-privileged" and l["allowed"] is False for l in log), "decision log has the denial")
    finally:
        s.stop()
    s = Server(d, ["--fail-closed"], tls=False)
    try:
        code, out = s.authz("/AuthZPlugin.AuthZReq", authz_req(None))
        r = json.loads(out)
        ok(r["Allow"] is False and r["Err"], "create without body: --fail-closed denies with Err")
    finally:
        s.stop()


def case_modes(d):
    adm = os.path.join(d, "admission.yaml")
    pol = os.path.join(d, "policy.yaml")
    with open(adm, "w") as f:
        f.write("""defaults: {enforce: baseline, warn: restricted, audit: all}
rules:
  HULL-C040: enforce
namespaces:
  kube-system: exempt
  dev: {enforce: none}
  "prod-*": restricted
exemptions:
  usernames: ["system:serviceaccount:ops:*"]
""")
    with open(pol, "w") as f:
        f.write("""exemptions:
  - rules: [HULL-C001]
    namespace: monitoring
    reason: node agents
""")
    s = Server(d, ["--admission", adm, "--policy", pol])
    priv = lambda ns: {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": ns},
                       "spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": True},
                                                "resources": {"limits": {"cpu": "1"}}}]}}
    nocpu = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q", "namespace": "team"},
             "spec": {"containers": [{"name": "c", "image": "x:1"}]}}
    try:
        dec = lambda obj, **kw: json.loads(s.curl("/validate", review(obj, **kw))[1])["response"]
        ok(dec(priv("team"))["allowed"] is False, "privileged denied in team (baseline default)")
        ok(dec(priv("kube-system"))["allowed"] is True, "kube-system exempt")
        r = dec(priv("dev"))
        ok(r["allowed"] is True and any("HULL-C001" in w for w in r.get("warnings", [])),
           "dev: enforce none, privileged only warned")
        ok(dec(priv("monitoring"))["allowed"] is True, "policy exemption suppresses HULL-C001 in monitoring")
        r = dec(nocpu)
        ok(r["allowed"] is False and "HULL-C040" in r["status"]["message"], "per-rule enforce: no CPU limit denied")
        r = dec(priv("prod-eu"))
        ok(r["allowed"] is False and "HULL-C008" in r["status"]["message"], "prod-*: restricted enforced (root)")
        obj = priv("team")
        r = json.loads(s.curl("/validate", json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": "sa", "operation": "CREATE", "namespace": "team", "object": obj,
                        "userInfo": {"username": "system:serviceaccount:ops:deployer"}}}))[1])["response"]
        ok(r["allowed"] is True, "exempt user allowed")
        ok(dec(priv("team"), op="DELETE")["allowed"] is True, "DELETE not reviewed")
        # dry runs: answered the same, never logged
        r = dec(priv("team"), uid="dry-1", dry=True)
        ok(r["allowed"] is False and "auditAnnotations" not in r, "dry run evaluated (denied), no audit annotations")
        time.sleep(0.2)
        uids = [l.get("uid") for l in s.lines() if l.get("event") == "admission"]
        ok("dry-1" not in uids and "u-1" in uids, "dry run not in the decision log; others are")
        # metrics
        code, m = s.curl("/metrics")
        ok(code == 200 and re.search(r'hull_denials_total\{rule="HULL-C001"\} [1-9]', m) and
           'hull_dry_run_requests_total{endpoint="validate"} 1' in m and
           "hull_request_duration_seconds_bucket" in m, "metrics: denials by rule, dry runs, latency histogram")
        code, h = s.curl("/healthz")
        ok(code == 200 and h.strip() == "ok", "healthz")
    finally:
        s.stop()
    with open(adm, "w") as f:
        f.write("defaults: {enforce: strict}\n")
    r = subprocess.run([HULL, "serve"] + ALLOW_ROOT + ["--listen", "127.0.0.1:0", "--tls-cert", s.cert, "--tls-key", s.key,
                        "--admission", adm], capture_output=True, timeout=30)
    ok(r.returncode == 2 and b"line 1" in r.stderr, "bad admission file: exit 2 with the line")


def case_pss(d):
    """Pod Security Standards versions: --pss-version, and a namespace's
    pod-security labels learnt from its Namespace review, kept across a
    reload, refused when invalid."""
    adm = os.path.join(d, "admission.yaml")
    open(adm, "w").write("defaults: {enforce: baseline, warn: none, audit: none}\n")
    # net.ipv4.tcp_rmem became a safe sysctl in v1.32
    pod = lambda ns: {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": ns},
                      "spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_rmem",
                                                                 "value": "4096 87380 16777216"}]},
                               "containers": [{"name": "c", "image": "x:1"}]}}
    nsobj = lambda name, labels: {"apiVersion": "v1", "kind": "Namespace",
                                  "metadata": {"name": name, "labels": labels}}
    s = Server(d, ["--admission", adm, "--pss-version", "v1.31"])
    try:
        dec = lambda obj, **kw: json.loads(s.curl("/validate", review(obj, **kw))[1])["response"]
        r = dec(pod("team"))
        ok(r["allowed"] is False and "HULL-C037" in r["status"]["message"],
           "--pss-version v1.31: a v1.32 sysctl is denied")
        r = dec(nsobj("apps", {"pod-security.kubernetes.io/enforce": "baseline",
                               "pod-security.kubernetes.io/enforce-version": "v1.32"}), ns="apps")
        ok(r["allowed"] is True, "Namespace apps labelled enforce-version v1.32: allowed")
        ok(dec(pod("apps"))["allowed"] is True, "its pods are judged at v1.32: allowed")
        s.p.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        ok(dec(pod("apps"))["allowed"] is True, "the labels survive a reload")
        r = dec(nsobj("bad", {"pod-security.kubernetes.io/enforce-version": "1.32"}), ns="bad")
        ok(r["allowed"] is False and r["status"]["code"] == 422 and
           "enforce-version=1.32" in r["status"]["message"], "invalid version label refused: 422")
        ok(dec(nsobj("apps", {}), op="DELETE", ns="apps")["allowed"] is True, "Namespace deleted")
    finally:
        s.stop()
    r = subprocess.run([HULL, "serve"] + ALLOW_ROOT + ["--listen", "127.0.0.1:0", "--tls-cert", s.cert, "--tls-key", s.key,
                        "--pss-version", "1.29"], capture_output=True, timeout=30)
    ok(r.returncode == 2 and b"--pss-version" in r.stderr and b"1.29" in r.stderr,
       "bad --pss-version: exit 2 naming it")


def case_image(d):
    reports = os.path.join(d, "reports")
    os.mkdir(reports)
    digest = "sha256:" + "b" * 64
    rep = {"schemaVersion": 1, "documentType": "findings", "tool": {"name": "hull", "version": "0.1.0"},
           "createdAt": "2026-01-01T00:00:00Z",
           "target": {"name": "app:1", "kind": "image", "path": "app:1", "digest": digest, "os": None},
           "findings": [], "summary": {"total": 3, "bySeverity": {"CRITICAL": 1, "HIGH": 2, "MEDIUM": 0, "LOW": 0,
                                                               "UNKNOWN": 0}},
           "summaryText": "", "warnings": [], "warningsDropped": 0}
    json.dump(rep, open(os.path.join(reports, "app.json"), "w"))
    # a findings report with an empty target.digest is refused, named in the log
    json.dump(dict(rep, target=dict(rep["target"], digest="")), open(os.path.join(reports, "nodigest.json"), "w"))
    s = Server(d, ["--image-reports", reports, "--image-severity", "critical", "--enforce", "none"])
    pod = lambda dg: {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "i", "namespace": "t"},
                      "spec": {"containers": [{"name": "c", "image": "reg/app@" + dg}]}}
    try:
        r = json.loads(s.curl("/validate", review(pod(digest)))[1])["response"]
        ok(r["allowed"] is False and "HULL-IMAGE" in r["status"]["message"] and "1 CRITICAL" in r["status"]["message"],
           "image with a CRITICAL finding in its report denied")
        r = json.loads(s.curl("/validate", review(pod("sha256:" + "c" * 64)))[1])["response"]
        ok(r["allowed"] is True, "image without a report allowed")
        cfg = [l for l in s.lines() if "review configuration" in l.get("msg", "")]
        ok(cfg and "1 indexed" in cfg[0]["msg"] and "nodigest.json: target.digest: empty" in cfg[0]["msg"],
           "a report with an empty digest is refused and named in the log: %s" % (cfg[0]["msg"] if cfg else ""))
        # a newer report without critical findings replaces it
        rep["createdAt"] = "2026-02-01T00:00:00Z"
        rep["summary"]["bySeverity"]["CRITICAL"] = 0
        json.dump(rep, open(os.path.join(reports, "app-rebuilt.json"), "w"))
        time.sleep(2.5)
        r = json.loads(s.curl("/validate", review(pod(digest)))[1])["response"]
        ok(r["allowed"] is True, "newest report wins (re-indexed while running)")
    finally:
        s.stop()


def tls_connect(port, ca):
    ctx = ssl.create_default_context(cafile=ca)
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(s, server_hostname="localhost")


def http_req(sock, body, path="/validate", keep=True):
    head = "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n" % (
        path, len(body), "" if keep else "Connection: close\r\n")
    sock.sendall(head.encode() + body)
    return read_resp(sock)


def read_resp(sock):
    buf = b""
    while b"\r\n\r\n" not in buf:
        c = sock.recv(65536)
        if not c:
            return None, buf
        buf += c
    head, _, rest = buf.partition(b"\r\n\r\n")
    m = re.search(rb"Content-Length: (\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(rest) < n:
        c = sock.recv(65536)
        if not c:
            break
        rest += c
    return int(head.split()[1]), rest[:n]


def case_hostile(d):
    s = Server(d, ["--read-timeout", "2", "--idle-timeout", "5", "--max-body", "1048576", "--no-decision-log"])
    try:
        good = review({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "h", "namespace": "t"},
                       "spec": {"containers": [{"name": "c", "image": "x:1"}]}})
        code, out = s.curl("/validate", "x" * (2 << 20))
        ok(code == 413, "oversized body -> 413 (%d)" % code)
        code, out = s.curl("/validate", '{"apiVersion": ')
        ok(code == 400 and "invalid JSON" in out or "JSON" in out, "invalid JSON -> 400 with a message")
        code, out = s.curl("/validate", json.dumps({"apiVersion": "v1", "kind": "Pod"}))
        ok(code == 400 and "AdmissionReview" in out, "wrong kind -> 400")
        code, out = s.curl("/validate", "[" * 100000 + "]" * 100000)
        ok(code == 400, "deep nesting -> 400")
        code, out = s.curl("/validate", None, extra=["-H", "X: " + "a" * 20000])
        ok(code == 431, "oversized header -> 431 (%d)" % code)
        code, out = s.curl("/validate", good, extra=["-H", "Transfer-Encoding: chunked"])
        ok(code == 200 and json.loads(out)["response"]["uid"] == "u-1", "chunked body accepted")
        code, out = s.curl("/nope", "{}")
        ok(code == 404, "unknown path -> 404")
        # truncated TLS handshake: a few bytes of a ClientHello, then gone
        for i in range(20):
            c = socket.create_connection(("127.0.0.1", s.port))
            c.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(16))
            c.close()
        # garbage instead of TLS
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"GET / HTTP/1.1\r\n\r\n")
        c.settimeout(5)
        try:
            c.recv(100)
        except Exception:
            pass
        c.close()
        ok(s.curl("/healthz")[0] == 200, "still answering after truncated handshakes")
        # slowloris: a head sent byte by byte never completes in time
        t = tls_connect(s.port, s.ca)
        t.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        closed = False
        try:
            while time.time() - t0 < 8:
                t.sendall(b"X-a: b\r\n")
                time.sleep(0.5)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            closed = True
        ok(closed and time.time() - t0 < 6, "slow request cut after the read timeout (%.1fs)" % (time.time() - t0))
        # 1,000 idle connections
        rss0 = s.rss_kb()
        idle = []
        for i in range(1000):
            try:
                idle.append(socket.create_connection(("127.0.0.1", s.port), timeout=5))
            except OSError:
                break
        ok(len(idle) == 1000, "1000 idle connections opened")
        code, out = s.curl("/validate", good)
        ok(code == 200, "answers while 1000 connections idle")
        rss1 = s.rss_kb()
        if TSAN:
            ok(True, "memory with 1000 idle connections not measured under TSan (+%d KiB) # SKIP env: TSan" % (rss1 - rss0))
        else:
            ok(rss1 - rss0 < 100 * 1024, "memory with 1000 idle connections: +%d KiB" % (rss1 - rss0))
        time.sleep(3)
        alive = 0
        for c in idle:
            c.settimeout(0.01)
            try:
                if c.recv(1) != b"":
                    alive += 1
            except socket.timeout:
                alive += 1
            except OSError:
                pass
            c.close()
        ok(alive == 0, "idle handshakes closed after the read timeout (%d left)" % alive)
        # parallel requests on separate connections: every answer has its own uid
        results = {}

        def worker(k):
            conn = tls_connect(s.port, s.ca)
            for j in range(50):
                uid = "p-%d-%d" % (k, j)
                code, body = http_req(conn, review({"apiVersion": "v1", "kind": "Pod",
                                                    "metadata": {"name": "n%d" % j, "namespace": "t"},
                                                    "spec": {"containers": [{"name": "c", "image": "x:1",
                                                    "securityContext": {"privileged": j % 2 == 0}}]}}, uid=uid).encode())
                r = json.loads(body)["response"]
                results[uid] = (code, r["uid"] == uid and r["allowed"] == (j % 2 == 1))
            conn.close()
        ths = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        [t.start() for t in ths]
        [t.join() for t in ths]
        ok(len(results) == 400 and all(c == 200 and v for c, v in results.values()),
           "400 parallel reviews on 8 connections, each answer matches its request")
        # pipelined requests on one connection
        conn = tls_connect(s.port, s.ca)
        b = good.encode()
        one = ("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(b)).encode() + b
        conn.sendall(one * 3)
        data = b""
        codes = []
        conn.settimeout(10)
        while len(codes) < 3:
            c = conn.recv(65536)
            if not c:
                break
            data += c
            while b"\r\n\r\n" in data:
                head, _, rest = data.partition(b"\r\n\r\n")
                n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
                if len(rest) < n:
                    break
                codes.append(int(head.split()[1]))
                data = rest[n:]
        ok(codes == [200, 200, 200], "3 pipelined requests answered in order")
        conn.close()
    finally:
        rc, err = s.stop()
        ok(rc == 0, "server stopped cleanly")


def case_soak(d):
    """A request every millisecond for SECONDS (60 by default): the server
    keeps answering and its memory stays bounded."""
    secs = float(os.environ.get("HULL_SERVE_SOAK_SECONDS", "60"))
    s = Server(d, ["--no-decision-log"])
    try:
        body = review({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "s", "namespace": "t"},
                       "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}}).encode()
        conn = tls_connect(s.port, s.ca)
        for _ in range(200):
            http_req(conn, body)
        rss0 = s.rss_kb()
        t0 = time.time()
        n = bad = 0
        nxt = t0
        while time.time() - t0 < secs:
            code, _ = http_req(conn, body)
            n += 1
            bad += code != 200
            nxt += 0.001
            delay = nxt - time.time()
            if delay > 0:
                time.sleep(delay)
            if n % 5000 == 0:  # and new connections now and then
                conn.close()
                conn = tls_connect(s.port, s.ca)
        rss1 = s.rss_kb()
        conn.close()
        ok(bad == 0 and n > secs * 300, "%d requests in %.0fs, %d not 200" % (n, secs, bad))
        if os.environ.get("HULL_SANITIZED") == "1":
            # ASan keeps up to 256 MiB of freed memory in quarantine: RSS
            # there says nothing about hull (its leak checker runs instead)
            ok(True, "memory bound not measured under a sanitizer (RSS %d -> %d KiB) # SKIP env: sanitizer" % (rss0, rss1))
        else:
            ok(rss1 - rss0 < 20 * 1024, "memory bounded: RSS %d -> %d KiB" % (rss0, rss1))
    finally:
        s.stop()


def case_reload(d):
    pol = os.path.join(d, "policy.yaml")
    open(pol, "w").write("rules: {}\n")
    s = Server(d, ["--policy", pol, "--watch-interval", "1"])
    try:
        old = tls_connect(s.port, s.ca)
        serial0 = old.getpeercert()["serialNumber"]
        pod = review({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "r", "namespace": "t"},
                      "spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": True}}]}})
        code, body = http_req(old, pod.encode())
        ok(json.loads(body)["response"]["allowed"] is False, "privileged denied before the reload")
        # new certificate (same names) and a policy turning HULL-C001 off
        make_ca(d, "server")
        open(pol, "w").write("rules:\n  HULL-C001: off\n")
        s.p.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        new = tls_connect(s.port, s.ca)
        ok(new.getpeercert()["serialNumber"] != serial0, "new connections get the new certificate")
        code, body = http_req(old, pod.encode())
        ok(code == 200 and json.loads(body)["response"]["allowed"] is True,
           "the open connection survived the reload and sees the new policy")
        # a broken policy is refused: the previous one stays
        open(pol, "w").write("rules:\n  HULL-C999: off\n")
        time.sleep(2.5)
        code, body = http_req(new, pod.encode())
        ok(code == 200 and json.loads(body)["response"]["allowed"] is True, "a bad policy file keeps the old one")
        ok(any(l.get("level") == "error" and "HULL-C999" in l.get("msg", "") for l in s.lines()),
           "the failed reload is logged")
        # a good policy written without SIGHUP: the watcher picks it up
        open(pol, "w").write("rules: {}\n")
        time.sleep(2.5)
        code, body = http_req(new, pod.encode())
        ok(code == 200 and json.loads(body)["response"]["allowed"] is False,
           "a changed policy file is reloaded without a signal")
        old.close()
        new.close()
    finally:
        s.stop()

    # a ConfigMap or Secret mounted in a pod is updated by swapping the
    # ..data symlink to a new folder: the path hull was given never changes
    cm = os.path.join(d, "configmap")
    os.mkdir(cm)

    def publish(version, text):
        data = os.path.join(cm, "..%d" % version)
        os.mkdir(data)
        open(os.path.join(data, "policy.yaml"), "w").write(text)
        tmp = os.path.join(cm, "..data_tmp")
        os.symlink("..%d" % version, tmp)
        os.rename(tmp, os.path.join(cm, "..data"))

    publish(1, "rules: {}\n")
    os.symlink("..data/policy.yaml", os.path.join(cm, "policy.yaml"))
    s = Server(d, ["--policy", os.path.join(cm, "policy.yaml"), "--watch-interval", "1"])
    try:
        code, body = s.curl("/validate", pod)
        ok(json.loads(body)["response"]["allowed"] is False, "ConfigMap policy: privileged denied")
        publish(2, "rules:\n  HULL-C001: off\n")
        time.sleep(2.5)
        code, body = s.curl("/validate", pod)
        ok(code == 200 and json.loads(body)["response"]["allowed"] is True,
           "a ConfigMap-style symlink swap is reloaded")
        ok(any("file change" in l.get("msg", "") for l in s.lines()), "and logged as a file change")
    finally:
        s.stop()


def case_fail_closed(d):
    huge = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big", "namespace": "t"},
            "spec": {"containers": [{"name": "c%d" % i, "image": "x:1"} for i in range(1001)]}}
    for args, allowed in (([], True), (["--fail-closed"], False)):
        s = Server(d, args)
        try:
            code, out = s.curl("/validate", review(huge))
            r = json.loads(out)["response"]
            ok(code == 200 and r["allowed"] is allowed, "internal error (container cap) %s" %
               ("denied with --fail-closed" if not allowed else "allowed with a warning by default"))
            if allowed:
                ok(any("could not evaluate" in w for w in r.get("warnings", [])), "the warning says why")
            else:
                ok(r["status"]["code"] == 500, "status 500")
        finally:
            s.stop()


def case_root(d):
    if os.geteuid() != 0:
        print("1..0 # SKIP env: not root: the refusal to run as root cannot be shown")
        sys.exit(0)
    r = subprocess.run([HULL, "serve", "--docker-authz", os.path.join(d, "root.sock")],
                       capture_output=True, timeout=30)
    ok(r.returncode == 2 and b"refusing to run as root" in r.stderr and
       b"--allow-root" in r.stderr, "as root without --allow-root: exit 2 naming the flag")
    ok(not os.path.exists(os.path.join(d, "root.sock")), "and nothing was listening")
    if subprocess.run(["sh", "-c", "command -v setpriv"], capture_output=True).returncode == 0:
        os.chmod(d, 0o777)
        sock = os.path.join(d, "user.sock")
        p = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              HULL, "serve", "--docker-authz", sock],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            if os.path.exists(sock) or p.poll() is not None:
                break
            time.sleep(0.1)
        ok(os.path.exists(sock), "as an unprivileged user it starts without the flag")
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)


CASES = {"golden": case_golden, "fixtures": case_fixtures, "authz": case_authz, "modes": case_modes,
         "pss": case_pss,
         "image": case_image, "hostile": case_hostile, "soak": case_soak, "reload": case_reload,
         "fail-closed": case_fail_closed, "root": case_root}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    for tool in ("curl", "openssl"):
        if subprocess.run(["sh", "-c", "command -v " + tool], capture_output=True).returncode:
            skip_missing(tool + " missing")
    with tempfile.TemporaryDirectory(prefix="hull-serve-") as d:
        CASES[sys.argv[1]](d)
    print("1..%d" % n_tests)
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
