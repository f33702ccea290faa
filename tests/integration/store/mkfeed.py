#!/usr/bin/env python3
"""mkfeed.py STATUS RELEASE OUT [EXTRA]: a Debian security tracker JSON
made for the store tests from a dpkg status file: for every 3rd source
package of the image, CVE-9000-<n> open (no fix: every version affected)
with urgencies cycling low/medium/high, plus one resolved in a version
above any real one. EXTRA (an integer) adds that many more CVEs per package:
a second database build with other findings (the rematch test)."""
import json
import sys

status, release, out = sys.argv[1], sys.argv[2], sys.argv[3]
extra = int(sys.argv[4]) if len(sys.argv) > 4 else 0
srcs = set()
pkg = src = None
for line in open(status, encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("Package: "):
        pkg = line[9:]
    elif line.startswith("Source: "):
        src = line[8:].split(" ")[0]
    elif line == "":
        if pkg:
            srcs.add(src or pkg)
        pkg = src = None
if pkg:
    srcs.add(src or pkg)
urg = ["low", "medium", "high"]
doc = {}
n = 0
for i, s in enumerate(sorted(srcs)):
    if i % 3:
        continue
    cves = {}
    for k in range(1 + extra):
        n += 1
        cid = "CVE-9000-%04d" % (i * 10 + k)
        cves[cid] = {
            "description": "test vulnerability %d of %s" % (k, s),
            "releases": {release: {"status": "open", "repositories": {release: "1"},
                                   "urgency": urg[(i + k) % 3]}},
        }
    cves["CVE-9001-%04d" % i] = {
        "description": "fixed upstream in a later version of %s" % s,
        "releases": {release: {"status": "resolved", "repositories": {release: "1"},
                               "fixed_version": "999:1.0", "urgency": "medium"}},
    }
    doc[s] = cves
json.dump(doc, open(out, "w"), indent=1)
