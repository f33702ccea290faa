#!/usr/bin/env python3
"""scan-advice.py: hull scan's image changes (docs/priority.md, "Image
changes") against a reference computed from two separate `hull image` runs.

Two images of one repository are known locally: shop/base:1 (Debian 11 with
set-back packages, hundreds of vulnerabilities: reglib.make_setback_image)
and shop/base:2 (the bullseye test image). A Dockerfile builds on
shop/base:1 (its final stage, through a build stage on another base); a
Compose service runs shop/base:2; another runs shop/other:1, the only image
of its repository. Checked: the Dockerfile's workload advises shop/base:2
with exactly the vulnerabilities it removes and adds as the two `hull image`
reports say; every vulnerability it removes says so in its fix
(remediation, the HTML report's fix cell); no change is claimed for the
image with fewer vulnerabilities, nor for the one with no other image of
its repository."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "registry"))
from reglib import HULL, IMAGES, Tap, database, make_setback_image, skip_missing  # noqa: E402


def run(args):
    p = subprocess.run([HULL] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def keys(doc):
    """The OS findings an image change can remove (OS packages' and the
    distribution's end of support): (id, package)."""
    return {(f["id"], (f.get("package") or {}).get("name") or "")
            for f in doc.get("findings", []) if f.get("kind") == "vulnerability" and
            (f.get("package") or {}).get("type") in ("deb", "apk", "rpm", "os")}


def main():
    if not HULL:
        skip_missing("HULL_BIN (run through meson test)")
    bullseye = os.path.join(IMAGES, "bullseye", "bullseye.docker.tar")
    if not os.path.exists(bullseye):
        skip_missing(bullseye + " (scripts/test-images.sh)")
    tap = Tap()
    db = database()
    with tempfile.TemporaryDirectory(prefix="hull-advice-") as tmp:
        layout = os.path.join(tmp, "setback")
        make_setback_image(layout)
        one = layout + ":multi"
        app = os.path.join(tmp, "app")
        os.makedirs(app)
        with open(os.path.join(app, "Dockerfile"), "w") as f:
            f.write("FROM golang:1.21 AS build\nRUN true\nFROM shop/base:1\nUSER 1000\n")
        with open(os.path.join(app, "compose.yaml"), "w") as f:
            f.write("services:\n  web:\n    image: shop/base:2\n    user: '1000'\n"
                    "  other:\n    image: shop/other:1\n    user: '1000'\n")
        ref = {}
        for name, path in (("1", one), ("2", bullseye)):
            rc, out, err = run(["image", "--format", "json", "--db", db, "--no-cache", path])
            tap.ok(rc in (0, 1), "hull image %s: exit %d" % (name, rc), [err[-1500:]])
            ref[name] = keys(json.loads(out or "{}"))
        removes, adds = ref["1"] - ref["2"], ref["2"] - ref["1"]
        tap.ok(len(removes) > 100, "the reference: shop/base:2 lacks %d of shop/base:1's %d "
               "vulnerabilities" % (len(removes), len(ref["1"])))

        html = os.path.join(tmp, "r.html")
        rc, out, err = run(["scan", "--offline", "--db", db, "--no-cache",
                            "--image", "shop/base:1=" + one, "--image", "shop/base:2=" + bullseye,
                            "--image", "shop/other:1=" + one,
                            "--format", "json", "--format", "html=" + html, app])
        tap.ok(rc in (0, 1), "hull scan: exit %d" % rc, [err[-1500:]])
        doc = json.loads(out or "{}")
        wl = {w["id"]: w for w in doc.get("deployment", {}).get("workloads", [])}
        dfile = "Dockerfile %s/Dockerfile" % app
        ch = (wl.get(dfile) or {}).get("imageChanges") or []
        tap.ok(len(ch) == 1 and ch[0]["image"] == "shop/base:1" and ch[0]["instead"] == "shop/base:2"
               and ch[0]["baseImage"], "the Dockerfile: base image shop/base:2 instead of shop/base:1",
               [json.dumps(ch)])
        c = ch[0] if ch else {}
        tap.ok(c.get("removes") == len(removes) and c.get("adds") == len(adds) and
               c.get("vulnerabilities") == len(ref["1"]),
               "measured as the two hull image reports say: removes %d, adds %d of %d" %
               (len(removes), len(adds), len(ref["1"])), [json.dumps(c)])
        told = {(f["id"], (f.get("package") or {}).get("name") or "")
                for f in doc.get("findings", [])
                if f.get("workload") == dfile and "instead of shop/base:1" in (f.get("remediation") or "")}
        tap.same_sets("the fix of every vulnerability it removes names the change", removes, told)
        page = open(html).read() if os.path.exists(html) else ""
        tap.ok(page.count("or base image shop/base:2 instead of shop/base:1") == len(removes),
               "the HTML report's fix cells say it (%d)" % len(removes))
        tap.ok(not (wl.get("web") or {}).get("imageChanges"),
               "no change claimed for shop/base:2 (shop/base:1 has more)")
        tap.ok("other" in wl and not wl["other"].get("imageChanges"),
               "no change claimed for shop/other:1 (no other image of its repository)")
    tap.finish()


if __name__ == "__main__":
    main()
