"""hullskip: how a Python test says it cannot run. Every skip is one of two
kinds and says which in its TAP reason (tests/lib/skip.sh has the shell
twin):

  skip_env(why)       the machine cannot host the test (not root, no network
                      namespaces, the npm registry refuses): always a skip;
  skip_missing(what)  ../shared data, a test image or a tool is missing: a
                      skip on a developer's machine, a failure when CI=true.

Both print a plan and end the process, so they may only be called before
the first test point. scripts/run-tests.sh counts and lists every skip."""

import os
import sys


def skip_env(why):
    print("1..0 # SKIP env: " + why, flush=True)
    sys.exit(0)


def skip_missing(what):
    if os.environ.get("CI") == "true":
        print("not ok 1 - missing: %s (CI=true: a missing prerequisite fails)" % what)
        print("1..1", flush=True)
        sys.exit(1)
    print("1..0 # SKIP missing: " + what, flush=True)
    sys.exit(0)
