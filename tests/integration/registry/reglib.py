"""Test servers for hull's registry and engine sources, all started by the
tests on loopback with ephemeral ports and removed at exit:

  - Debian's docker-registry (distribution 2.8) with TLS (a CA and a
    server certificate made here with openssl) and htpasswd auth, or token
    auth behind TokenService, or plain HTTP;
  - TokenService: a small Bearer token service (TLS), issuing RS256 JWTs
    with an x5c header that the registry checks against its
    rootcertbundle; it wants Basic credentials;
  - Proxy: plain HTTP in front of a registry that damages answers on
    purpose (a flipped byte in layer blobs, a connection cut mid-blob, 503s,
    a schema 1 manifest) for the failure tests.

Images are pushed with skopeo from the cached test images
(scripts/test-images.sh)."""

import base64
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vuln"))
from vulnlib import HULL, IMAGES, Tap, database, skip_env, skip_missing  # noqa: E402,F401


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def need_tools(*tools):
    for t in tools:
        if not shutil.which(t):
            skip_missing(t + " (scripts/install-deps.sh installs it)")


class Certs:
    """A CA, a server certificate for 127.0.0.1/localhost signed by it, and
    a self-signed token signing certificate."""

    def __init__(self, d):
        self.dir = d
        self.ca = os.path.join(d, "ca.crt")
        self.ca_key = os.path.join(d, "ca.key")
        self.crt = os.path.join(d, "server.crt")
        self.key = os.path.join(d, "server.key")
        self.tok_crt = os.path.join(d, "token.crt")
        self.tok_key = os.path.join(d, "token.key")
        ext = os.path.join(d, "san.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    "extendedKeyUsage=serverAuth\n")
        csr = os.path.join(d, "server.csr")
        for args in (
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.ca_key, "-out", self.ca,
             "-days", "2", "-subj", "/CN=hull test CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", self.key, "-out", csr,
             "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-CAcreateserial",
             "-out", self.crt, "-days", "2", "-extfile", ext],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.tok_key,
             "-out", self.tok_crt, "-days", "2", "-subj", "/CN=hull test token issuer"],
        ):
            r = run(["openssl"] + args)
            if r.returncode != 0:
                raise RuntimeError("openssl %s: %s" % (args[0], r.stderr))


class Registry:
    """docker-registry serving DIR/data on 127.0.0.1:PORT."""

    def __init__(self, d, name, certs=None, htpasswd=None, token=None):
        self.dir = os.path.join(d, name)
        os.makedirs(os.path.join(self.dir, "data"))
        self.port = free_port()
        self.host = "127.0.0.1:%d" % self.port
        self.log = os.path.join(self.dir, "registry.log")
        cfg = ["version: 0.1", "log:", "  level: info", "  accesslog:", "    disabled: false",
               "storage:", "  filesystem:", "    rootdirectory: %s/data" % self.dir,
               "http:", "  addr: %s" % self.host]
        if certs:
            cfg += ["  tls:", "    certificate: %s" % certs.crt, "    key: %s" % certs.key]
        if htpasswd:
            pw = os.path.join(self.dir, "htpasswd")
            with open(pw, "w") as f:
                for user, password in htpasswd.items():
                    f.write(run(["htpasswd", "-Bbn", user, password]).stdout.strip() + "\n")
            cfg += ["auth:", "  htpasswd:", "    realm: hull-test", "    path: %s" % pw]
        if token:
            cfg += ["auth:", "  token:", "    realm: %s" % token.realm,
                    "    service: %s" % token.service, "    issuer: %s" % token.issuer,
                    "    rootcertbundle: %s" % token.certs.tok_crt]
        conf = os.path.join(self.dir, "config.yml")
        with open(conf, "w") as f:
            f.write("\n".join(cfg) + "\n")
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen(["docker-registry", "serve", conf], stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            raise RuntimeError("docker-registry did not start: " + open(self.log).read()[-2000:])
        if self.proc.poll() is not None:
            raise RuntimeError("docker-registry exited: " + open(self.log).read()[-2000:])

    def log_size(self):
        self.logf.flush()
        return os.path.getsize(self.log)

    def requests_since(self, offset):
        """The access log's request lines ("GET /v2/..") written after offset."""
        time.sleep(0.2)  # the registry writes its log line after the answer
        with open(self.log) as f:
            f.seek(offset)
            text = f.read()
        out = []
        for line in text.splitlines():
            # combined log format: ... "GET /v2/x/blobs/sha256:.. HTTP/1.1" 200 ...
            if '"GET ' in line or '"HEAD ' in line:
                out.append(line.split('"')[1])
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.logf.close()


def skopeo_push(src, registry, dest, certs=None, creds=None, all_images=False):
    args = ["skopeo", "--insecure-policy", "copy", "-q"]
    if all_images:
        args.append("--all")
    if certs:
        cdir = os.path.join(certs.dir, "skopeo-certs")
        os.makedirs(cdir, exist_ok=True)
        shutil.copy(certs.ca, os.path.join(cdir, "ca.crt"))
        args += ["--dest-cert-dir", cdir]
    else:
        args.append("--dest-tls-verify=false")
    if creds:
        args += ["--dest-creds", creds]
    args += [src, "docker://%s/%s" % (registry.host, dest)]
    r = run(args)
    if r.returncode != 0:
        raise RuntimeError("skopeo copy %s: %s" % (src, r.stderr[-2000:]))


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class TokenService:
    """GET /token?service=..&scope=..: a JWT for the asked scope when the
    Basic credentials are right, 401 otherwise."""

    service = "hull-test-registry"
    issuer = "hull-test-issuer"

    def __init__(self, certs, users):
        self.certs = certs
        self.users = users
        self.port = free_port()
        self.realm = "https://127.0.0.1:%d/token" % self.port
        self.requests = 0
        with open(certs.tok_crt) as f:
            pem = f.read()
        der = ssl.PEM_cert_to_DER_cert(pem)
        self.x5c = base64.b64encode(der).decode()
        svc = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                svc.requests += 1
                u = urllib.parse.urlparse(self.path)
                q = urllib.parse.parse_qs(u.query)
                auth = self.headers.get("Authorization", "")
                user = None
                if auth.startswith("Basic "):
                    try:
                        name, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
                    except Exception:
                        name, pw = "", None
                    if svc.users.get(name) == pw:
                        user = name
                if u.path != "/token" or user is None:
                    body = b'{"details":"bad credentials"}'
                    self.send_response(401)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                access = []
                for scope in q.get("scope", []):
                    parts = scope.split(":")
                    if len(parts) >= 3:
                        access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                                       "actions": parts[-1].split(",")})
                tok = svc.jwt(user, q.get("service", [""])[0], access)
                body = json.dumps({"token": tok, "access_token": tok, "expires_in": 300}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), H)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certs.crt, certs.key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def jwt(self, user, service, access):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        claims = {"iss": self.issuer, "sub": user, "aud": service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": os.urandom(8).hex(), "access": access}
        signing = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        r = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.certs.tok_key],
                           input=signing.encode(), stdout=subprocess.PIPE, check=True)
        return signing + "." + b64url(r.stdout)

    def stop(self):
        self.httpd.shutdown()


class Proxy:
    """Plain HTTP in front of a plain-HTTP registry; mode says what it does
    to the answers: "pass", "corrupt" (one byte of every layer blob over
    4 KiB flipped), "cut" (layer blobs cut at half, every time, resumed
    requests too), "cut-once" (the first answer of each layer blob cut at
    half, the resumed request served; the Range headers are kept),
    "cut-once-norange" (the same, but the Range header is not passed on: the
    resumed request is answered 200 with the whole blob), "flaky"
    (the first two requests of each blob answered 503), "schema1" (every
    manifest answered with a schema 1 manifest)."""

    def __init__(self, upstream, mode):
        self.upstream = upstream
        self.mode = mode
        self.port = free_port()
        self.host = "127.0.0.1:%d" % self.port
        self.seen = {}
        self.blob_requests = 0
        self.ranges = []
        px = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                is_blob = "/blobs/" in self.path
                px.blob_requests += is_blob
                if px.mode == "flaky" and is_blob:
                    n = px.seen[self.path] = px.seen.get(self.path, 0) + 1
                    if n <= 2:
                        self.send_response(503)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                if px.mode == "schema1" and "/manifests/" in self.path:
                    body = json.dumps({"schemaVersion": 1, "name": "x", "tag": "1",
                                       "architecture": "amd64", "fsLayers": [],
                                       "history": []}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type",
                                     "application/vnd.docker.distribution.manifest.v1+prettyjws")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                c = http.client.HTTPConnection("127.0.0.1", px.upstream.port, timeout=30)
                passed = ("accept", "authorization") + (
                    () if px.mode == "cut-once-norange" else ("range",))
                headers = {k: v for k, v in self.headers.items() if k.lower() in passed}
                c.request("GET", self.path, headers=headers)
                r = c.getresponse()
                body = r.read()
                c.close()
                if "Range" in self.headers:
                    px.ranges.append(self.headers["Range"])
                layer = is_blob and r.status in (200, 206) and (len(body) > 4096 or
                                                                r.status == 206)
                first = px.seen.get(self.path, 0) == 0
                if is_blob:
                    px.seen[self.path] = px.seen.get(self.path, 0) + 1
                cut = layer and len(body) > 1 and (px.mode == "cut" or
                                                   (px.mode.startswith("cut-once") and first))
                if px.mode == "corrupt" and layer:
                    i = len(body) // 2
                    body = body[:i] + bytes([body[i] ^ 0xff]) + body[i + 1:]
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() in ("content-type", "docker-content-digest", "content-range",
                                     "www-authenticate", "location"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if cut:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()


def hull_run(args, cache, env=None, stdin=None):
    e = dict(os.environ, HULL_CACHE_DIR=cache, HULL_REGISTRY_BACKOFF_MS="20")
    if env:
        e.update(env)
    r = subprocess.run([HULL] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=e, input=stdin)
    return r.returncode, r.stdout, r.stderr


def packages(doc):
    return {(p.get("type"), p.get("name"), p.get("version")) for p in doc.get("packages", [])}


def findings(doc):
    out = set()
    for f in doc.get("findings", []):
        if f.get("id") == "HULL-EOSL":
            continue
        out.add(json.dumps({k: f.get(k) for k in ("id", "package", "installed", "version", "fixed",
                                                   "fixedVersion", "severity", "layer")},
                           sort_keys=True))
    return out


def digest_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


# ---- a small two-platform image with findings --------------------------------

def _tar(files):
    """A tar (bytes) of {path: (bytes, mode)}, deterministic."""
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path, (data, mode) in sorted(files.items()):
            ti = tarfile.TarInfo(path)
            ti.size, ti.mode, ti.mtime = len(data), mode, 1700000000
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def _blob(layout, data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", d[7:]), "wb") as f:
        f.write(data)
    return d


def make_setback_image(layout, tag="multi", sources=None, version_id=None):
    """An OCI layout holding TAG -> an index of two images (linux/amd64,
    linux/arm64) with Debian 11's os-release and a dpkg status whose sources
    are set back (tests/integration/vuln/debian.py), so that scanning it
    finds vulnerabilities; sources (a list of source names) sets back only
    those, and adds nothing; version_id replaces os-release's VERSION_ID
    (the codename stays bullseye). Returns {platform: manifest digest}."""
    import gzip
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vuln"))
    import debian  # noqa: E402
    root = os.path.join(IMAGES, "bullseye", "rootfs")
    status = open(os.path.join(root, "var/lib/dpkg/status")).read()
    if sources is None:
        status = debian.set_back(status, debian.SETBACK["bullseye"], debian.ADD["bullseye"])
    else:
        status = debian.set_back(status, {k: v for k, v in debian.SETBACK["bullseye"].items()
                                          if k in sources}, [])
    osr = open(os.path.join(root, "usr/lib/os-release"), "rb").read()
    if version_id is not None:
        osr = re.sub(rb'(?m)^VERSION_ID=.*$', b'VERSION_ID="' + version_id.encode() + b'"', osr)
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    layers = [_tar({"usr/lib/os-release": (osr, 0o644), "etc/os-release": (osr, 0o644)}),
              _tar({"var/lib/dpkg/status": (status.encode(), 0o644)})]
    gz = [gzip.compress(t, mtime=0) for t in layers]
    ldesc = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": _blob(layout, g),
              "size": len(g)} for g in gz]
    out, mdescs = {}, []
    for arch in ("amd64", "arm64"):
        cfg = json.dumps({"architecture": arch, "os": "linux",
                          "config": {"User": "65534", "Env": ["PATH=/usr/bin:/bin"]},
                          "rootfs": {"type": "layers", "diff_ids": [
                              "sha256:" + hashlib.sha256(t).hexdigest() for t in layers]},
                          "history": [{"created_by": "os-release"}, {"created_by": "dpkg status"}]},
                         sort_keys=True).encode()
        man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                          "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                     "digest": _blob(layout, cfg), "size": len(cfg)},
                          "layers": ldesc}, sort_keys=True).encode()
        md = _blob(layout, man)
        out["linux/" + arch] = md
        mdescs.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md,
                       "size": len(man), "platform": {"os": "linux", "architecture": arch}})
    inner = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                        "manifests": mdescs}, sort_keys=True).encode()
    top = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": _blob(layout, inner),
        "size": len(inner), "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(top, f)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    return out
