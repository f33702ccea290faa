#!/usr/bin/env python3
"""Writes tests/unit/version/data/maven.txt: Maven ordering vectors
answered by Maven itself (org.apache.maven.artifact.versioning.
ComparableVersion, the comparator Maven and OSV's Maven ecosystem use),
run from Debian's maven package (mvn 3.8.7):

    java -cp /usr/share/maven/lib/maven-artifact-3.x.jar \\
        org.apache.maven.artifact.versioning.ComparableVersion V1 V2 ...

compares each argument with the next one. The versions below are the forms
of Maven's own ComparableVersionTest and of real artifacts (Debian's jars,
GHSA ranges); they are fed in seeded shuffles (mostly among versions of the same
first number), so every line of
the output is one vector "A < B", "A = B" or "A > B".

Usage: maven-vectors.py [OUT]   (default: the data file beside gen/)"""

import os
import random
import re
import subprocess
import sys

JAR = "/usr/share/maven/lib/maven-artifact-3.x.jar"
CLASS = "org.apache.maven.artifact.versioning.ComparableVersion"

VERSIONS = """
1 1.0 1.0.0 1.0.0.0 1-0 1.0-0 1-1 1.1 1.1.0 1.2 1.10 1.9 2 2.0 2.0.1 10 9
1-alpha 1-alpha-1 1-alpha1 1-a1 1-alpha-2 1-alpha2 1-beta 1-b1 1-beta-1 1-beta2
1-milestone 1-m1 1-m2 1-rc 1-rc1 1-rc-1 1-cr1 1-cr 1-snapshot 1-SNAPSHOT 1.0-SNAPSHOT
1-ga 1-final 1-release 1-GA 1-Final 1.0.Final 1.0.RELEASE 1-sp 1-sp1 1-sp-1 1.0-sp
1-abc 1-xyz 1-a 1-b 1-c 1-1-snapshot 1-jre 1.0-jre 1.0-android
1.0.0-1 1.0.0.1 1.0-1 1-1.1 1.0.1-SNAPSHOT 1.0.1
2.12.7 2.12.7.1 2.13.4 2.13.4.1 2.13.4.2 2.14.0 2.14.0-rc1 2.14.0-rc2
31.1-jre 31.1-android 32.0.0-jre 32.0.0-android 29.0-jre 30.1.1-jre
4.1.48.Final 4.1.86.Final 4.1.100.Final 4.1.48 4.1.48.CR1
2.17.0 2.17.1 2.19.0 2.0-beta9 2.0-rc1 2.0
1.4.20 1.4.19 1.4.18-jenkins-1
5.3.20 5.3.20.RELEASE 6.0.0-M1 6.0.0-RC1 6.0.0
9.4.44.v20210927 9.4.48.v20220622 9.4.9.v20180320
1.2.3-20230101.120000-1 1.0-20100101.010101-1
0.0.1 0.1 0.9.9 0 0.0 0-1
1.2147483648 1.9223372036854775807 1.9223372036854775808 1.123456789012345678901234567890
1.0.0.0.0.0.1 1.0.0.0.0.0.0
1-0.1 1-0.ga 1-1-1 1-1-0 1-0-0 1--1 1..1 1.-1
1.0a 1.0b1 1.0rc1 1.0RC1 1a1 1b 1x
""".split()


def run(seq):
    r = subprocess.run(["java", "-cp", JAR, CLASS] + seq, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, check=True)
    out = []
    for line in r.stdout.splitlines():
        m = re.match(r"^   (\S+) (<|>|==) (\S+)$", line)
        if m:
            out.append("%s %s %s" % (m.group(1), "=" if m.group(2) == "==" else m.group(2),
                                      m.group(3)))
    if len(out) != len(seq) - 1:
        sys.exit("expected %d comparisons, read %d" % (len(seq) - 1, len(out)))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "maven.txt")
    rng = random.Random(20261204)
    seen, lines = set(), []
    # versions with the same first number compare on the rest: most rounds
    # shuffle within those groups, a few across the whole list
    groups = {}
    for v in VERSIONS:
        groups.setdefault(re.match(r"\d*", v).group(0), []).append(v)
    seqs = []
    for r in range(16):
        if r < 3:
            seq = VERSIONS[:]
            rng.shuffle(seq)
        else:
            seq = []
            for k in sorted(groups):
                g = groups[k][:]
                rng.shuffle(g)
                seq += g
        seqs.append(seq)
    for seq in seqs:
        for v in run(seq):
            a, op, b = v.split()
            if (a, b) not in seen and (b, a) not in seen and a != b:
                seen.add((a, b))
                lines.append(v)
    ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "maven"],
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    with open(path, "w") as f:
        f.write("# Maven ordering vectors, answered by Maven's ComparableVersion\n"
                "# (Debian maven %s, %s) over the\n"
                "# versions of tests/unit/version/gen/maven-vectors.py, which wrote this\n"
                "# file: regenerate with it, never edit by hand.\n" % (ver, os.path.basename(JAR)))
        f.write("\n".join(lines) + "\n")
    print("%d vectors written to %s" % (len(lines), path))


if __name__ == "__main__":
    main()
