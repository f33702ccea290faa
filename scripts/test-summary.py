#!/usr/bin/env python3
"""test-summary.py TESTLOG.json LABEL [FAILURES]: counts one meson test run for
scripts/run-tests.sh and lists every skip with its reason.

Prints "PASSED FAILED SKIPPED" on standard output; the skips, one line each,
on standard error; with FAILURES, appends the failed tests' names to that
file. A test is skipped when meson says so (exit 77, or a TAP
plan "1..0 # SKIP"); a test point "ok N - ... # SKIP ..." inside a passing
test is a partial skip and listed too. With CI=true every skip whose reason
does not start with "env:" (tests/lib/skip.sh) counts as a failure: in CI a
missing ../shared file, test image or tool must not pass quietly."""

import json
import os
import re
import sys

log, label = sys.argv[1], sys.argv[2]
ci = os.environ.get("CI") == "true"
passed = failed = skipped = 0
names = []
SKIP = re.compile(r"#\s*SKIP:?\s*(.*)", re.I)


def reason(text):
    for line in (text or "").splitlines():
        m = SKIP.search(line)
        if m:
            return m.group(1).strip() or "(no reason given)"
    return "(no reason given)"


with open(log) as f:
    for line in f:
        t = json.loads(line)
        name, res, out = t["name"], t["result"], t.get("stdout") or ""
        partial = [reason(l) for l in out.splitlines() if re.match(r"ok \d+ .*#\s*SKIP", l, re.I)]
        if res == "SKIP":
            why = reason(out)
            skipped += 1
            bad = ci and not why.startswith("env:")
            print("%s: SKIP %s: %s%s" % (label, name, why, "  <- a failure under CI=true" if bad else ""),
                  file=sys.stderr)
            if bad:
                failed += 1
                names.append("%s (skip: %s)" % (name, why))
            continue
        if res in ("OK", "EXPECTEDFAIL"):
            bad = [w for w in partial if ci and not w.startswith("env:")]
            for w in partial:
                print("%s: partial SKIP %s: %s%s" % (label, name, w,
                      "  <- a failure under CI=true" if w in bad else ""), file=sys.stderr)
            if bad:
                failed += 1
                names.append("%s (partial skip: %s)" % (name, bad[0]))
            else:
                passed += 1
        else:
            failed += 1
            names.append("%s (%s)" % (name, res))
if len(sys.argv) > 3:
    # The failures' names, for run-tests.sh to repeat after the totals: CI
    # shows only the tail of the output.
    with open(sys.argv[3], "a") as f:
        for n in names:
            f.write("%s: FAILED %s\n" % (label, n))
print(passed, failed, skipped)
