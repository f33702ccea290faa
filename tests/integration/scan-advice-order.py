#!/usr/bin/env python3
"""scan-advice-order.py: which image change hull scan names when several
candidates qualify, and a change that introduces findings (docs/priority.md,
"Image changes"), against references computed from separate `hull image`
runs.

The images, all of one repository and distribution (Debian 11, bullseye),
built by reglib.make_setback_image with different packages set back:
  shop/base:1   openssl, gnutls28 and krb5 set back: the image in use
  shop/base:2   zlib set back: removes what :1 adds, introduces zlib's
  shop/base:3   nothing set back: removes the same, introduces nothing
  shop/base:4   the same archive as :3 (a tie on every count)
  shop/base:5   as :3 with os-release VERSION_ID "11.9" (a newer release)

Checked:
- with :2, :3 and :4 known, the change is :3 (fewest introduced), then the
  first name in byte order on a tie (:3 before :4), whatever the order of the
  --image options;
- with :5 known too, the newer release wins the tie over the name (:5);
- with :2 the only candidate, the change is :2, its removed and introduced
  counts equal the two `hull image` reports (introduced > 0) and the text
  says so;
- an image with fewer findings than every candidate (:2 against :1 as the
  candidate) gets no change."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "registry"))
from reglib import HULL, IMAGES, Tap, database, make_setback_image, skip_missing  # noqa: E402

BASE = ["openssl", "gnutls28", "krb5"]


def run(args):
    p = subprocess.run([HULL] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def keys(doc):
    """The OS findings an image change counts: (id, package)."""
    return {(f["id"], (f.get("package") or {}).get("name") or "")
            for f in doc.get("findings", []) if f.get("kind") == "vulnerability" and
            (f.get("package") or {}).get("type") in ("deb", "apk", "rpm", "os")}


def changes(tap, db, app, images, what):
    """hull scan of app with --image NAME=PATH for each (name, path): the
    Dockerfile workload's imageChanges."""
    args = ["scan", "--offline", "--db", db, "--no-cache", "--format", "json"]
    for name, path in images:
        args += ["--image", name + "=" + path]
    rc, out, err = run(args + [app])
    tap.ok(rc in (0, 1), "%s: hull scan exit %d" % (what, rc), [err[-1500:]])
    doc = json.loads(out or "{}")
    for w in doc.get("deployment", {}).get("workloads", []):
        if w.get("id") == "Dockerfile %s/Dockerfile" % app:
            return w.get("imageChanges") or []
    tap.ok(False, "%s: the Dockerfile workload is in the report" % what)
    return []


def main():
    if not HULL:
        skip_missing("HULL_BIN (run through meson test)")
    if not os.path.exists(os.path.join(IMAGES, "bullseye", "rootfs", "var/lib/dpkg/status")):
        skip_missing(os.path.join(IMAGES, "bullseye", "rootfs") + " (scripts/test-images.sh)")
    tap = Tap()
    db = database()
    with tempfile.TemporaryDirectory(prefix="hull-advice-order-") as tmp:
        paths = {}
        for tag, sources, vid in (("1", BASE, None), ("2", ["zlib"], None), ("3", [], None),
                                  ("5", [], "11.9")):
            layout = os.path.join(tmp, "img" + tag)
            make_setback_image(layout, sources=sources, version_id=vid)
            paths[tag] = layout + ":multi"
        paths["4"] = paths["3"]
        ref = {}
        for tag in ("1", "2", "3", "5"):
            rc, out, err = run(["image", "--format", "json", "--db", db, "--no-cache", paths[tag]])
            tap.ok(rc in (0, 1), "hull image shop/base:%s: exit %d" % (tag, rc), [err[-1500:]])
            ref[tag] = keys(json.loads(out or "{}"))
        rm2, add2 = ref["1"] - ref["2"], ref["2"] - ref["1"]
        rm3, add3 = ref["1"] - ref["3"], ref["3"] - ref["1"]
        tap.ok(len(add2) > 0 and len(rm2) > len(add2),
               "the reference: shop/base:2 removes %d of shop/base:1's %d findings and "
               "introduces %d" % (len(rm2), len(ref["1"]), len(add2)))
        tap.ok(rm3 == rm2 and not add3,
               "the reference: shop/base:3 removes the same %d and introduces none" % len(rm3),
               [sorted(rm3 ^ rm2)[:10], sorted(add3)[:10]])
        tap.ok(ref["5"] == ref["3"], "the reference: shop/base:5 (VERSION_ID 11.9) has the "
               "same findings as shop/base:3")

        app = os.path.join(tmp, "app")
        os.makedirs(app)
        with open(os.path.join(app, "Dockerfile"), "w") as f:
            f.write("FROM shop/base:1\nUSER 1000\n")

        def img(*tags):
            return [("shop/base:" + t, paths[t]) for t in tags]

        for order in (("1", "2", "3", "4"), ("4", "3", "2", "1"), ("2", "4", "1", "3")):
            ch = changes(tap, db, app, img(*order), "candidates 2, 3, 4 (order %s)" % ",".join(order))
            tap.ok(len(ch) == 1 and ch[0].get("instead") == "shop/base:3" and
                   ch[0].get("removes") == len(rm3) and ch[0].get("adds") == 0,
                   "order %s: shop/base:3 (introduces none; before :4 by name), removes %d" %
                   (",".join(order), len(rm3)), [json.dumps(ch)])

        for order in (("1", "3", "4", "5"), ("5", "4", "3", "1")):
            ch = changes(tap, db, app, img(*order), "candidates 3, 4, 5 (order %s)" % ",".join(order))
            tap.ok(len(ch) == 1 and ch[0].get("instead") == "shop/base:5",
                   "order %s: shop/base:5, the newer release, wins the tie over the name" %
                   ",".join(order), [json.dumps(ch)])

        ch = changes(tap, db, app, img("1", "2"), "candidate 2 alone")
        c = ch[0] if len(ch) == 1 else {}
        tap.ok(c.get("instead") == "shop/base:2" and c.get("removes") == len(rm2) and
               c.get("adds") == len(add2) and c.get("vulnerabilities") == len(ref["1"]),
               "shop/base:2 alone: named, removes %d and introduces %d as the hull image "
               "reports say" % (len(rm2), len(add2)), [json.dumps(ch)])
        want = "%d findings removed, %d introduced" % (len(rm2), len(add2))
        tap.ok(want in (c.get("text") or ""), "its text says '%s'" % want, [c.get("text")])

        with open(os.path.join(app, "Dockerfile"), "w") as f:
            f.write("FROM shop/base:2\nUSER 1000\n")
        ch = changes(tap, db, app, img("2", "1"), "shop/base:2 with shop/base:1 known")
        tap.ok(ch == [], "no change for shop/base:2: shop/base:1 has more findings",
               [json.dumps(ch)])
    tap.finish()


if __name__ == "__main__":
    main()
