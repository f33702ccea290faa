#!/usr/bin/env python3
"""hull's image sources against real servers started here (reglib.py):

  engine-podman    `podman system service` on a test socket with a test image
                   loaded: podman://NAME (and a bare NAME through DOCKER_HOST)
                   scans as the archive does;
  registry-tls     docker-registry with TLS and htpasswd: scanning by
                   reference equals scanning the archive (packages and
                   findings), a two-platform index with --platform, a warm
                   rescan requests no layer (the registry's access log),
                   credentials from --password-stdin, the Docker config and a
                   credential helper; wrong password, unknown repository and
                   tag, untrusted certificate: exit 2 with one line;
  registry-bearer  docker-registry behind a Bearer token service;
  registry-faults  a plain-HTTP registry behind a proxy that corrupts, cuts,
                   fails or serves schema 1: each a clean exit 2 (or retried
                   to success), nothing cached from a bad blob; plain HTTP
                   refused without --insecure-registry;
  scan-registry    hull scan finds the images a Compose file runs and a
                   Dockerfile's base (ARG default, multi-stage: the final
                   stage's) in a registry: the same findings as from the
                   archives; an image the registry lacks is a warning naming
                   the workload; --offline asks the registry nothing;
  registry-mirror  a second registry as --registry-mirror: it serves what it
                   has (the origin sees no request), the origin serves what
                   it lacks, a dead mirror falls through, Docker Hub names go
                   to a hub mirror; a malformed mirror is exit 2;
  registry-progress  progress on standard error through a pty (script -qc):
                   layers, MiB and MiB/s; none with --quiet or off a terminal.

Usage: registry.py CASE (--list lists them). Prints TAP."""

import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reglib import (HULL, IMAGES, Certs, Proxy, Registry, Tap, TokenService,  # noqa: E402
                    database, findings, free_port, hull_run, make_setback_image, need_tools,
                    packages, run, skip_env, skip_missing, skopeo_push)

CASES = ["engine-podman", "registry-tls", "registry-bearer", "registry-faults", "scan-registry",
         "registry-mirror", "registry-progress"]
USER, PASSWORD = "hull", "s3cret-pass"
BULLSEYE = os.path.join(IMAGES, "bullseye")


def one_line_error(tap, name, rc, err, want):
    lines = [l for l in err.splitlines() if l.strip()]
    tap.ok(rc == 2 and len(lines) == 1 and lines[0].startswith("hull: ") and want in lines[0],
           "%s: exit 2 and one line with '%s'" % (name, want), ["exit %d" % rc, err[-1500:]])


def scan_json(tap, cmd, args, cache, name, env=None, stdin=None, db=None):
    extra = ["--db", db] if db else []
    rc, out, err = hull_run([cmd, "--format", "json"] + extra + args, cache, env, stdin)
    doc = None
    try:
        doc = json.loads(out)
    except ValueError:
        pass
    tap.ok(rc in (0, 1) and doc is not None, "%s: exit %d" % (name, rc), [err[-2000:]])
    return doc or {}


def compare(tap, name, ref_sbom, ref_img, sbom, img):
    tap.same_sets(name + ": packages", packages(ref_sbom), packages(sbom))
    tap.same_sets(name + ": findings", findings(ref_img), findings(img))


def layer_gets(lines, digests):
    return [l for l in lines if "/blobs/" in l and any(d in l for d in digests)]


# ---- engine ------------------------------------------------------------------

def engine_podman(tap, tmp):
    if os.getuid() != 0:
        skip_env("needs root (podman with vfs storage)")
    need_tools("podman", "runc")
    archive = os.path.join(BULLSEYE, "bullseye-layered.docker.tar")
    if not os.path.exists(archive):
        skip_missing(archive + " (scripts/test-images.sh)")
    st = os.path.join(tmp, "store")
    for d in ("root", "run", "tmp", "net"):
        os.makedirs(os.path.join(st, d))
    with open(os.path.join(st, "storage.conf"), "w") as f:
        f.write('[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' % (st, st))
    with open(os.path.join(st, "containers.conf"), "w") as f:
        f.write('[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
                'events_logfile_path = "%s/events.log"\ntmp_dir = "%s/run/libpod"\n'
                'static_dir = "%s/root/libpod"\nvolume_path = "%s/root/volumes"\n'
                '[network]\nnetwork_config_dir = "%s/net"\n' % (st, st, st, st, st))
    env = dict(os.environ, CONTAINERS_STORAGE_CONF=st + "/storage.conf",
               CONTAINERS_CONF=st + "/containers.conf", TMPDIR=st + "/tmp")
    r = run(["podman", "load", "-q", "-i", archive], env=env)
    if r.returncode != 0:
        skip_env("podman load failed: " + r.stderr[-300:])
    name = r.stdout.strip().split("Loaded image:")[-1].strip().split(",")[0].strip()
    tap.ok(bool(name), "podman load: %s" % name)
    sock = os.path.join(st, "api.sock")
    api = subprocess.Popen(["podman", "system", "service", "--time", "0", "unix://" + sock], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "api.log"), "w"))
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            subprocess.run(["sleep", "0.1"])
        tap.ok(os.path.exists(sock), "podman API socket is up")
        db = database()
        cache = os.path.join(tmp, "cache")
        ref_sbom = scan_json(tap, "sbom", [archive], cache, "archive sbom")
        ref_img = scan_json(tap, "image", [archive], cache, "archive image", db=db)
        short = name.split("/")[-1]  # "debian:bullseye-layered"
        for label, args, env2 in (
            ("podman://", ["--no-cache", "--engine", "unix://" + sock, "podman://" + short], None),
            ("DOCKER_HOST", ["--no-cache", short], {"DOCKER_HOST": "unix://" + sock}),
        ):
            sb = scan_json(tap, "sbom", args, cache, label + " sbom", env=env2)
            im = scan_json(tap, "image", args, cache, label + " image", env=env2, db=db)
            compare(tap, label + short, ref_sbom, ref_img, sb, im)
            tap.ok(sb.get("target", {}).get("path", "").endswith(short),
                   "%s: the target is named %s" % (label, short), [json.dumps(sb.get("target"))])
        # an image with findings, pulled into podman from an OCI layout
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        r = run(["podman", "pull", "-q", "oci:%s:multi" % layout], env=env)
        iid = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        r2 = run(["podman", "tag", iid, "localhost/setback:1"], env=env)
        tap.ok(r.returncode == 0 and r2.returncode == 0, "podman pull of the set-back image",
               [r.stderr[-500:], r2.stderr[-500:]])
        ref_sbom = scan_json(tap, "sbom", ["oci:%s:multi" % layout], cache, "layout sbom")
        ref_img = scan_json(tap, "image", ["oci:%s:multi" % layout], cache, "layout image", db=db)
        args = ["--engine", "unix://" + sock, "podman://localhost/setback:1"]
        sb = scan_json(tap, "sbom", args, cache, "podman set-back sbom")
        im = scan_json(tap, "image", args, cache, "podman set-back image", db=db)
        tap.ok(len(findings(ref_img)) > 5, "the set-back image has findings")
        compare(tap, "podman://localhost/setback:1", ref_sbom, ref_img, sb, im)
        # the export is spooled, then read in the sandbox without sockets
        rc, _, err = hull_run(["image", "--db", db] + args, cache, {"HULL_DEBUG": "1"})
        tap.ok(rc in (0, 1) and "image: sandbox: no_new_privs; seccomp denies exec, sockets" in err,
               "an engine image is read in the sandbox", [err[-800:]])

        rc, _, err = hull_run(["sbom", "--engine", "unix://" + sock, "podman://hull-none:1"], cache)
        one_line_error(tap, "an image the engine lacks", rc, err, "not in the engine")
        rc, _, err = hull_run(["sbom", "--source", "engine", "hull-none:1"], cache,
                              {"DOCKER_HOST": "unix://" + sock})
        one_line_error(tap, "--source engine, image missing", rc, err, "HTTP 404")
        leftovers = [f for f in os.listdir(st + "/tmp") if f.startswith("hull")]
        tap.ok(not leftovers, "no temporary file left", leftovers)
    finally:
        api.terminate()
        api.wait()
        run(["podman", "rmi", "-a", "-f"], env=env)


# ---- registry with TLS and htpasswd ----------------------------------------

def registry_tls(tap, tmp):
    need_tools("docker-registry", "skopeo", "htpasswd", "openssl")
    oci = os.path.join(BULLSEYE, "bullseye-layered.oci.tar")
    if not os.path.exists(oci):
        skip_missing(oci + " (scripts/test-images.sh)")
    certs = Certs(tmp)
    reg = Registry(tmp, "tls", certs=certs, htpasswd={USER: PASSWORD})
    try:
        layout = os.path.join(tmp, "setback")
        digests = make_setback_image(layout)
        skopeo_push("oci:%s:multi" % layout, reg, "test/setback:multi", certs,
                    "%s:%s" % (USER, PASSWORD), all_images=True)
        skopeo_push("oci-archive:" + oci, reg, "test/bullseye:layered", certs,
                    "%s:%s" % (USER, PASSWORD))
        tap.ok(True, "pushed test/setback:multi (two platforms) and test/bullseye:layered")
        db = database()
        cache = os.path.join(tmp, "cache")
        auth = ["--registry-ca", certs.ca, "--username", USER, "--password-stdin"]
        pw = PASSWORD + "\n"

        # the two-platform image: findings equal the layout's
        ref = "%s/test/setback:multi" % reg.host
        ref_sbom = scan_json(tap, "sbom", ["oci:%s:multi" % layout], cache, "layout sbom")
        ref_img = scan_json(tap, "image", ["oci:%s:multi" % layout], cache, "layout image", db=db)
        tap.ok(len(findings(ref_img)) > 5, "the set-back image has findings (%d)" %
               len(findings(ref_img)))
        sb = scan_json(tap, "sbom", auth + ["--no-cache", ref], cache, "registry sbom", stdin=pw)
        im = scan_json(tap, "image", auth + ["--no-cache", "registry://" + ref], cache,
                       "registry image", stdin=pw, db=db)
        compare(tap, ref, ref_sbom, ref_img, sb, im)
        t = sb.get("target", {})
        tap.ok(t.get("digests", {}).get("manifest") == digests["linux/amd64"] and
               t.get("format") == "registry", "default platform: linux/amd64's manifest",
               [json.dumps(t)])
        sb = scan_json(tap, "sbom", auth + ["--platform", "linux/arm64", ref], cache,
                       "--platform linux/arm64", stdin=pw)
        t = sb.get("target", {})
        tap.ok(t.get("digests", {}).get("manifest") == digests["linux/arm64"] and
               t.get("platform", {}).get("architecture") == "arm64", "--platform linux/arm64",
               [json.dumps(t)])
        rc, _, err = hull_run(["sbom"] + auth + ["--platform", "linux/s390x", ref], cache,
                              stdin=pw)
        one_line_error(tap, "--platform linux/s390x", rc, err, "no image for platform linux/s390x")
        byd = "%s/test/setback@%s" % (reg.host, digests["linux/arm64"])
        sb = scan_json(tap, "sbom", auth + [byd], cache, "by digest", stdin=pw)
        tap.ok(sb.get("target", {}).get("platform", {}).get("architecture") == "arm64",
               "a reference by digest gets that manifest")

        # the real image: equal to its archive, then a warm rescan without layers
        big = "%s/test/bullseye:layered" % reg.host
        ref_sbom = scan_json(tap, "sbom", [oci], cache, "archive sbom")
        ref_img = scan_json(tap, "image", [oci], cache, "archive image", db=db)
        cold = os.path.join(tmp, "cold-cache")
        off = reg.log_size()
        sb = scan_json(tap, "sbom", auth + [big], cold, "cold scan", stdin=pw)
        layers = [l["digest"] for l in ref_sbom.get("layers", []) if l.get("digest")]
        gets = layer_gets(reg.requests_since(off), layers)
        tap.ok(len(layers) == 3 and len(gets) >= 3, "cold scan: %d layer GETs for %d layers" %
               (len(gets), len(layers)), gets)
        off = reg.log_size()
        im = scan_json(tap, "image", auth + [big], cold, "warm scan", stdin=pw, db=db)
        lines = reg.requests_since(off)
        gets = layer_gets(lines, layers)
        tap.ok(not gets and lines, "warm rescan: no layer requested (%d requests: %s)" %
               (len(lines), "; ".join(lines)), gets)
        compare(tap, big, ref_sbom, ref_img, sb, im)

        # credentials from the Docker config file and from a helper
        dcfg = os.path.join(tmp, "docker")
        os.makedirs(dcfg)
        import base64
        with open(os.path.join(dcfg, "config.json"), "w") as f:
            json.dump({"auths": {reg.host: {"auth": base64.b64encode(
                ("%s:%s" % (USER, PASSWORD)).encode()).decode()}}}, f)
        scan_json(tap, "sbom", ["--registry-ca", certs.ca, ref], cache, "auths of DOCKER_CONFIG",
                  env={"DOCKER_CONFIG": dcfg})
        bindir = os.path.join(tmp, "bin")
        os.makedirs(bindir)
        helper = os.path.join(bindir, "docker-credential-hulltest")
        with open(helper, "w") as f:
            f.write("#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = %s ] || exit 1\n"
                    "printf '{\"ServerURL\":\"%%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' "
                    "\"$server\"\n" % (reg.host, USER, PASSWORD))
        os.chmod(helper, 0o755)
        hdir = os.path.join(tmp, "docker-helper")
        os.makedirs(hdir)
        with open(os.path.join(hdir, "config.json"), "w") as f:
            json.dump({"credHelpers": {reg.host: "hulltest"}}, f)
        scan_json(tap, "sbom", ["--registry-ca", certs.ca, ref], cache, "credHelpers",
                  env={"DOCKER_CONFIG": hdir, "PATH": bindir + ":" + os.environ["PATH"]})

        # failures
        rc, _, err = hull_run(["sbom", "--registry-ca", certs.ca, "--username", USER,
                               "--password-stdin", ref], cache, stdin="wrong\n")
        one_line_error(tap, "wrong password", rc, err, "authentication failed (HTTP 401")
        rc, _, err = hull_run(["sbom"] + auth + ["%s/test/nothere:1" % reg.host], cache, stdin=pw)
        one_line_error(tap, "unknown repository", rc, err, "not found (HTTP 404")
        rc, _, err = hull_run(["sbom"] + auth + ["%s/test/setback:nothere" % reg.host], cache,
                              stdin=pw)
        one_line_error(tap, "unknown tag", rc, err, "not found (HTTP 404")
        rc, _, err = hull_run(["sbom", "--username", USER, "--password-stdin", ref], cache,
                              stdin=pw)
        one_line_error(tap, "untrusted certificate", rc, err, "certificate not trusted")
        rc, _, err = hull_run(["sbom", "--registry-ca", certs.ca, ref], cache,
                              env={"DOCKER_CONFIG": os.path.join(tmp, "none")})
        one_line_error(tap, "no credentials", rc, err, "authentication")
    finally:
        reg.stop()


# ---- registry behind a Bearer token service ----------------------------------

def registry_bearer(tap, tmp):
    need_tools("docker-registry", "skopeo", "openssl")
    certs = Certs(tmp)
    tok = TokenService(certs, {USER: PASSWORD})
    reg = Registry(tmp, "bearer", certs=certs, token=tok)
    try:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        skopeo_push("oci:%s:multi" % layout, reg, "team/setback:multi", certs,
                    "%s:%s" % (USER, PASSWORD), all_images=True)
        tap.ok(True, "pushed through the token service")
        db = database()
        cache = os.path.join(tmp, "cache")
        ref = "%s/team/setback:multi" % reg.host
        auth = ["--registry-ca", certs.ca, "--username", USER, "--password-stdin"]
        ref_sbom = scan_json(tap, "sbom", ["oci:%s:multi" % layout], cache, "layout sbom")
        ref_img = scan_json(tap, "image", ["oci:%s:multi" % layout], cache, "layout image", db=db)
        before = tok.requests
        sb = scan_json(tap, "sbom", auth + ["--no-cache", ref], cache, "bearer sbom",
                       stdin=PASSWORD)
        tap.ok(tok.requests > before, "a token was asked for (%d requests)" %
               (tok.requests - before))
        im = scan_json(tap, "image", auth + [ref], cache, "bearer image", stdin=PASSWORD, db=db)
        compare(tap, ref, ref_sbom, ref_img, sb, im)
        rc, _, err = hull_run(["sbom", "--registry-ca", certs.ca, "--username", USER,
                               "--password-stdin", ref], cache, stdin="wrong")
        one_line_error(tap, "bearer, wrong password", rc, err, "authentication failed")
        rc, _, err = hull_run(["sbom", "--registry-ca", certs.ca, ref], cache,
                              env={"DOCKER_CONFIG": os.path.join(tmp, "none")})
        one_line_error(tap, "bearer, anonymous", rc, err, "refused anonymous access")
    finally:
        reg.stop()
        tok.stop()


# ---- faults --------------------------------------------------------------------

def cached_diffids(cache):
    return {"sha256:" + os.path.basename(p)[:-4] for p in glob.glob(os.path.join(cache, "*.hlc"))}


def registry_faults(tap, tmp):
    need_tools("docker-registry", "skopeo")
    reg = Registry(tmp, "plain")
    proxies = []
    try:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        skopeo_push("oci:%s:multi" % layout, reg, "f/setback:multi", all_images=True)
        ref_sbom = scan_json(tap, "sbom", ["--no-cache", "oci:%s:multi" % layout],
                             os.path.join(tmp, "c0"), "layout sbom")
        diffids = [l["diffId"] for l in ref_sbom.get("layers", [])]
        tap.ok(len(diffids) == 2, "the layout has two layers", [json.dumps(ref_sbom.get("layers"))])

        def via(mode):
            p = Proxy(reg, mode)
            proxies.append(p)
            return p, "%s/f/setback:multi" % p.host

        p, ref = via("pass")
        rc, _, err = hull_run(["sbom", ref], os.path.join(tmp, "c1"))
        one_line_error(tap, "plain HTTP without --insecure-registry", rc, err,
                       "--insecure-registry %s" % p.host)
        ins = ["--insecure-registry", p.host]
        sb = scan_json(tap, "sbom", ins + [ref], os.path.join(tmp, "c1"), "through the proxy")
        tap.same_sets("through the proxy: packages", packages(ref_sbom), packages(sb))

        p, ref = via("corrupt")
        c = os.path.join(tmp, "c2")
        rc, _, err = hull_run(["sbom"] + ["--insecure-registry", p.host, ref], c)
        one_line_error(tap, "a blob that does not match its digest", rc, err, "mismatch")
        tap.ok(diffids[1] not in cached_diffids(c), "nothing cached from the damaged blob",
               sorted(cached_diffids(c)))

        p, ref = via("cut")
        c = os.path.join(tmp, "c3")
        stats = os.path.join(tmp, "stats-cut")
        rc, _, err = hull_run(["sbom", "--insecure-registry", p.host, ref], c,
                              {"HULL_REGISTRY_STATS": stats})
        one_line_error(tap, "a connection cut mid-blob", rc, err, "transfer cut after")
        st = open(stats).read() if os.path.exists(stats) else ""
        tap.ok("retries 4" in st, "retried 4 times before giving up", [st])
        tap.ok(diffids[1] not in cached_diffids(c), "nothing cached from the cut blob")

        p, ref = via("cut-once")
        stats = os.path.join(tmp, "stats-resume")
        sb = scan_json(tap, "sbom", ["--insecure-registry", p.host, ref], os.path.join(tmp, "c6"),
                       "cut once, then resumed", env={"HULL_REGISTRY_STATS": stats})
        tap.same_sets("after a resume: packages", packages(ref_sbom), packages(sb))
        tap.ok(any(r.startswith("bytes=") and r != "bytes=0-" for r in p.ranges),
               "the retry asked for the rest with Range (%s)" % ", ".join(p.ranges))

        # the server ignores the Range of the retry: the bytes already
        # hashed and delivered are dropped from its 200 answer
        p, ref = via("cut-once-norange")
        sb = scan_json(tap, "sbom", ["--insecure-registry", p.host, ref], os.path.join(tmp, "c7"),
                       "cut once, the resumed request answered whole")
        tap.same_sets("after a resume answered whole: packages", packages(ref_sbom), packages(sb))
        tap.ok(any(r.startswith("bytes=") and r != "bytes=0-" for r in p.ranges),
               "the retry asked for the rest with Range (%s)" % ", ".join(p.ranges))

        p, ref = via("flaky")
        stats = os.path.join(tmp, "stats-flaky")
        sb = scan_json(tap, "sbom", ["--insecure-registry", p.host, ref], os.path.join(tmp, "c4"),
                       "503 twice per blob, then served", env={"HULL_REGISTRY_STATS": stats})
        tap.same_sets("after retries: packages", packages(ref_sbom), packages(sb))

        p, ref = via("schema1")
        rc, _, err = hull_run(["sbom", "--insecure-registry", p.host, ref], os.path.join(tmp, "c5"))
        one_line_error(tap, "a schema 1 manifest", rc, err, "schema 1")
    finally:
        for p in proxies:
            p.stop()
        reg.stop()


# ---- hull scan -----------------------------------------------------------------

def workload_findings(doc, workload):
    return findings({"findings": [f for f in doc.get("findings", [])
                                  if f.get("workload") == workload and f.get("kind") == "vulnerability"]})


def scan_registry(tap, tmp):
    need_tools("docker-registry", "skopeo")
    alpine = os.path.join(IMAGES, "alpine-fake", "alpine-fake.docker.tar")
    if not os.path.exists(alpine):
        skip_missing(alpine + " (scripts/test-images.sh)")
    reg = Registry(tmp, "scan")
    try:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        skopeo_push("oci:%s:multi" % layout, reg, "shop/web:1.0", all_images=True)
        skopeo_push("docker-archive:" + alpine, reg, "shop/base:3")
        h = reg.host
        app = os.path.join(tmp, "app")
        os.makedirs(os.path.join(app, "worker"))
        with open(os.path.join(app, "compose.yaml"), "w") as f:
            f.write("services:\n  web:\n    image: %s/shop/web:1.0\n    ports: ['8080:80']\n"
                    "  api:\n    image: %s/shop/missing:1\n" % (h, h))
        with open(os.path.join(app, "worker", "Dockerfile"), "w") as f:
            f.write("ARG BASE=%s/shop/base:3\nFROM %s/shop/nothere:1 AS build\n"
                    "RUN true\nFROM ${BASE} AS rt\nFROM rt\nUSER 1000\n" % (h, h))
        db = database()
        ins = ["--insecure-registry", h, "--engine", "unix://%s/no-engine.sock" % tmp]

        # the reference: the same images given as archives, offline
        ref = scan_json(tap, "scan", ["--offline", "--image", "%s/shop/web:1.0=%s:multi" % (h, layout),
                                      "--image", "%s/shop/base:3=%s" % (h, alpine)] + ins + [app],
                        os.path.join(tmp, "c0"), "archives, offline", db=db)
        want = workload_findings(ref, "web")
        tap.ok(len(want) > 5, "the set-back image has vulnerabilities in web (%d)" % len(want))

        off = reg.log_size()
        doc = scan_json(tap, "scan", ins + [app], os.path.join(tmp, "c1"), "from the registry", db=db)
        got = reg.requests_since(off)
        tap.same_sets("web: findings from the registry", want, workload_findings(doc, "web"))
        dfile = "Dockerfile %s/worker/Dockerfile" % app
        ids = {f.get("id") for f in doc.get("findings", []) if f.get("workload") == dfile}
        tap.ok("HULL-EOSL" in ids, "the Dockerfile's final base (ARG default, through a stage) "
               "was read from the registry", [str(sorted(ids))])
        tap.ok(any("/shop/base/manifests/3" in r for r in got) and
               not any("nothere" in r for r in got),
               "the registry was asked for the final stage's base, not the build stage's", got)
        warns = doc.get("warnings", [])
        tap.ok(any(w.startswith("workload api:") and "shop/missing:1" in w for w in warns),
               "an image the registry lacks: a warning naming the workload", warns)

        off = reg.log_size()
        rc, out, err = hull_run(["scan", "--format", "json", "--db", db, "--offline"] + ins + [app],
                                os.path.join(tmp, "c2"))
        got = reg.requests_since(off)
        doc = json.loads(out) if out.strip().startswith("{") else {}
        warns = doc.get("warnings", [])
        tap.ok(rc == 0 and not got, "--offline: exit 0, no request to the registry",
               ["exit %d" % rc, err[-1000:]] + got)
        for w in ("web", "api", dfile):
            tap.ok(any(x.startswith("workload %s:" % w) and "not available offline" in x
                       for x in warns), "--offline: a warning names workload %s" % w, warns)
    finally:
        reg.stop()


# ---- --registry-mirror ----------------------------------------------------------

def registry_mirror(tap, tmp):
    need_tools("docker-registry", "skopeo", "openssl")
    certs = Certs(tmp)
    origin = Registry(tmp, "origin", certs=certs)
    mirror = Registry(tmp, "mirror", certs=certs)
    try:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        src = "oci:%s:multi" % layout
        skopeo_push(src, origin, "test/setback:multi", certs, all_images=True)
        skopeo_push(src, mirror, "test/setback:multi", certs, all_images=True)
        skopeo_push(src, origin, "test/only:1", certs, all_images=True)
        skopeo_push(src, mirror, "library/setback:multi", certs, all_images=True)
        tap.ok(True, "pushed to the origin and the mirror")
        cache = os.path.join(tmp, "cache")
        want = packages(scan_json(tap, "sbom", [src], cache, "layout sbom"))
        base = ["--registry-ca", certs.ca, "--no-cache"]
        m = "%s=%s" % (origin.host, mirror.host)

        def scan(name, args):
            o, mo = origin.log_size(), mirror.log_size()
            sb = scan_json(tap, "sbom", base + args, cache, name)
            tap.same_sets(name + ": packages", want, packages(sb))
            return origin.requests_since(o), mirror.requests_since(mo)

        def served(lines):
            return (any("/manifests/" in l for l in lines) and
                    any("/blobs/" in l for l in lines))

        ol, ml = scan("the mirror has it",
                      ["--registry-mirror", m, origin.host + "/test/setback:multi"])
        tap.ok(served(ml) and not ol, "the mirror served manifest and blobs, the origin nothing",
               ["origin: %s" % ol, "mirror: %s" % ml])
        ol, ml = scan("the mirror lacks the repository",
                      ["--registry-mirror", m, origin.host + "/test/only:1"])
        tap.ok(served(ol) and not any("/blobs/" in l for l in ml),
               "the origin served it after the mirror's 404", ["origin: %s" % ol,
                                                              "mirror: %s" % ml])
        dead = "127.0.0.1:%d" % free_port()
        ol, ml = scan("two mirrors, the first dead",
                      ["--registry-mirror", "%s=https://%s/v2/" % (origin.host, dead),
                       "--registry-mirror", m, origin.host + "/test/setback:multi"])
        tap.ok(served(ml) and not ol, "a dead mirror falls through to the next one",
               ["origin: %s" % ol, "mirror: %s" % ml])
        ol, ml = scan("a dead mirror only",
                      ["--registry-mirror", "%s=%s" % (origin.host, dead),
                       origin.host + "/test/setback:multi"])
        tap.ok(served(ol), "a dead mirror falls back to the origin", ol)
        ol, ml = scan("another registry's mirror is not used",
                      ["--registry-mirror", "registry.example=%s" % mirror.host,
                       origin.host + "/test/setback:multi"])
        tap.ok(served(ol) and not ml, "the origin served it", ["origin: %s" % ol,
                                                               "mirror: %s" % ml])
        # a Docker Hub name goes to a mirror given without REGISTRY= (and
        # never reaches Docker Hub: no network needed)
        ol, ml = scan("Docker Hub mirror", ["--registry-mirror", "https://" + mirror.host,
                                            "registry://setback:multi"])
        tap.ok(served(ml), "setback:multi came from the hub mirror", ml)
        for bad in ("=%s" % mirror.host, "%s=" % origin.host, "%s= x" % origin.host):
            rc, _, err = hull_run(["sbom", "--registry-mirror", bad] + base +
                                  [origin.host + "/test/setback:multi"], cache)
            one_line_error(tap, "--registry-mirror '%s'" % bad, rc, err, "--registry-mirror")
    finally:
        origin.stop()
        mirror.stop()


# ---- progress on a terminal ----------------------------------------------------

def registry_progress(tap, tmp):
    need_tools("docker-registry", "skopeo", "openssl", "script")
    certs = Certs(tmp)
    reg = Registry(tmp, "progress", certs=certs)
    try:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        skopeo_push("oci:%s:multi" % layout, reg, "test/setback:multi", certs, all_images=True)
        out = os.path.join(tmp, "out.json")
        cmd = [HULL, "sbom", "--no-cache", "--registry-ca", certs.ca, "--format", "json",
               "--output", out, reg.host + "/test/setback:multi"]
        env = dict(os.environ, HULL_CACHE_DIR=os.path.join(tmp, "cache"), TERM="xterm")

        def on_pty(args):
            # script gives the command a pty as its standard error (and
            # output) and copies what it printed to its own standard output
            r = run(["script", "-qec", shlex.join(args), "/dev/null"], env=env)
            return r.returncode, r.stdout

        rc, text = on_pty(cmd)
        tap.ok(rc == 0 and os.path.getsize(out) > 0, "sbom on a pty: exit %d" % rc, [text[-800:]])
        tap.ok("hull: layer 1 sha256:" in text and "MiB/s" in text and "/" in text,
               "progress on the terminal: layer, MiB, MiB/s", [repr(text[-800:])])
        tap.ok("\x1b[K" in text, "the progress line is cleared when the layer is done",
               [repr(text[-800:])])
        rc, text = on_pty(cmd[:2] + ["--quiet"] + cmd[2:])
        tap.ok(rc == 0 and "hull: layer" not in text, "--quiet: no progress", [repr(text[-800:])])
        rc, _, err = hull_run(cmd[1:], os.path.join(tmp, "cache2"))
        tap.ok(rc == 0 and "hull: layer" not in err and "\x1b" not in err,
               "standard error not a terminal: no progress", [repr(err[-800:])])
        # a registry target is read in the sandbox too, entered after the
        # manifest request with only stream sockets left (docs/limits.md)
        rc, _, err = hull_run(cmd[1:], os.path.join(tmp, "cache3"), env={"HULL_DEBUG": "1"})
        tap.ok(rc == 0 and "sbom: sandbox: no_new_privs; seccomp denies exec, raw and packet "
               "sockets" in err, "the registry scan ran in the sandbox", [err[-800:]])
    finally:
        reg.stop()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return
    case = sys.argv[1] if len(sys.argv) > 1 else ""
    if case not in CASES:
        sys.exit("usage: registry.py " + "|".join(CASES))
    if not os.environ.get("HULL_BIN"):
        skip_missing("HULL_BIN (run through meson test)")
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="hull-reg-")
    try:
        {"engine-podman": engine_podman, "registry-tls": registry_tls,
         "registry-bearer": registry_bearer, "registry-faults": registry_faults,
         "scan-registry": scan_registry, "registry-mirror": registry_mirror,
         "registry-progress": registry_progress}[case](tap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tap.finish()


if __name__ == "__main__":
    main()
