#!/usr/bin/env bash
# pss-upstream.sh TESTDATA [HULL]: runs hull against the Pod Security
# Admission project's generated fixtures and prints how many agree.
#
# TESTDATA is the test/testdata directory of kubernetes/pod-security-admission
# (or kubernetes/kubernetes staging/src/k8s.io/pod-security-admission): one
# directory per level and policy version, each with pass/ and fail/ pods.
# The fixtures are upstream's and are not part of this repository: fetch
# them (git clone) and point this script at them. A pass fixture agrees when
# `hull config --profile LEVEL --pss-version VERSION` reports nothing for it,
# a fail fixture when it reports at least one finding. Disagreements are
# listed; the exit status is 1 when there is any.
set -uo pipefail
data=${1:?usage: pss-upstream.sh TESTDATA [HULL]}
hull=${2:-build/hull}
command -v python3 >/dev/null || { echo "pss-upstream.sh: python3 is needed" >&2; exit 2; }

total=0
agree=0
bad=()
for dir in "$data"/baseline/v1.* "$data"/restricted/v1.*; do
  [ -d "$dir" ] || continue
  level=$(basename "$(dirname "$dir")")
  version=$(basename "$dir")
  for want in pass fail; do
    [ -d "$dir/$want" ] || continue
    # one run per directory; the JSON report says which files had findings
    out=$("$hull" config --profile "$level" --pss-version "$version" --format json \
      "$dir/$want" 2>&1)
    rc=$?
    if [ $rc -gt 1 ]; then
      echo "hull failed on $dir/$want (exit $rc): $out" >&2
      exit 2
    fi
    res=$(printf '%s' "$out" | python3 -c '
import json, os, sys
want, d = sys.argv[1], sys.argv[2]
flagged = {}
for f in json.load(sys.stdin)["findings"]:
    if not f.get("suppressed"):
        flagged.setdefault(os.path.basename(f["location"]["file"]), []).append(f["id"])
for name in sorted(os.listdir(d)):
    if not name.endswith(".yaml"):
        continue
    ok = (name not in flagged) if want == "pass" else (name in flagged)
    print(("ok " if ok else "BAD ") + name + " " + ",".join(sorted(set(flagged.get(name, [])))))
' "$want" "$dir/$want")
    while read -r verdict name ids; do
      total=$((total + 1))
      if [ "$verdict" = ok ]; then
        agree=$((agree + 1))
      else
        bad+=("$level $version $want/$name ${ids:-(no finding)}")
      fi
    done <<<"$res"
  done
done
for b in "${bad[@]+"${bad[@]}"}"; do
  echo "disagrees: $b"
done
echo "$agree of $total upstream fixtures agree"
[ "$agree" -eq "$total" ]
