#!/usr/bin/env python3
"""cleanup-check: no function in src/ uses both scoped cleanup
(cleanup_free, cleanup_json, ...) and goto (a cleanup label): one or the
other, as docs/STYLE.md says. Functions are found by their braces at
column 0 (the committed .clang-format puts them there)."""
import os
import re
import sys

root = os.environ.get("HULL_SRC", ".")
scoped = re.compile(r"\bcleanup_\w+\s+(struct\s+)?\w")
jump = re.compile(r"\bgoto\s+\w+\s*;")
bad = []
nfun = 0
for d, _, files in os.walk(os.path.join(root, "src")):
    for f in sorted(files):
        if not f.endswith(".c"):
            continue
        path = os.path.join(d, f)
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        start = None
        for i, line in enumerate(lines):
            if line == "{":
                start = i
            elif line == "}" and start is not None:
                body = "\n".join(lines[start:i])
                nfun += 1
                if scoped.search(body) and jump.search(body):
                    bad.append("%s:%d: %s" % (os.path.relpath(path, root), start, lines[start - 1].strip()))
                start = None
if nfun < 1000:
    print("not ok 1 - only %d functions found under %s/src" % (nfun, root))
elif bad:
    print("not ok 1 - functions mixing scoped cleanup with goto:")
    for b in bad:
        print("# " + b)
else:
    print("ok 1 - %d functions: none mixes scoped cleanup with goto" % nfun)
print("1..1")
sys.exit(1 if bad or nfun < 1000 else 0)
