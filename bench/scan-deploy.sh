#!/usr/bin/env bash
# scan-deploy.sh: `hull scan` on a generated 50-workload Kubernetes
# deployment (Deployments, Services of every type, NetworkPolicies; the
# containers run the two Debian test images of scripts/test-images.sh),
# cold (empty layer cache) and warm, in one run: wall time and peak RSS,
# and the warm scan against the sum of the separate runs that give the same
# information (`hull image` per distinct image, `hull config`,
# `hull network`), timed here on the same inputs with the same warm cache.
# Goal: the joined scan costs no more than the separate runs (ratio <= 1).
# Usage: bench/scan-deploy.sh [HULL_BINARY | BUILD_DIR]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-$root/build}
if [[ -d $arg ]]; then hull=$arg/hull; build=$arg; else hull=$arg; build=$(dirname "$arg"); fi
[[ -x $hull ]] || { echo "scan-deploy.sh: no hull binary at $hull" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "scan-deploy.sh: /usr/bin/time missing" >&2; exit 1; }
imgs=${HULL_TEST_CACHE:-/var/cache/hull-test}/img
a=$imgs/bookworm/bookworm.docker.tar b=$imgs/bullseye/bullseye.docker.tar
[[ -f $a && -f $b ]] || { echo "scan-deploy.sh: test images missing (scripts/test-images.sh)" >&2; exit 1; }
shared=${HULL_SHARED:-$root/../shared}/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db=${HULL_DB:-$build/golden-db.sqlite}
if [[ ! -s $db ]]; then
  db=$tmp/db.sqlite
  "$hull" db build --db "$db" --from "$shared/debian" "$shared/alpine-secdb" >/dev/null 2>&1
fi

# the deployment: 50 workloads over 5 namespaces
mkdir -p "$tmp/deploy"
for i in $(seq 1 50); do
  ns=team$((i % 5)); img=$([[ $((i % 2)) == 0 ]] && echo registry.example/app-a:1 || echo registry.example/app-b:1)
  case $((i % 10)) in 0) type=LoadBalancer ;; 5) type=NodePort ;; *) type=ClusterIP ;; esac
  cat >"$tmp/deploy/w$i.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: svc$i, namespace: $ns}
spec:
  selector: {matchLabels: {app: svc$i}}
  template:
    metadata: {labels: {app: svc$i, tier: t$((i % 3))}}
    spec:
      containers:
        - name: main
          image: $img
          ports: [{containerPort: 8080}]
          securityContext: {privileged: $([[ $((i % 7)) == 0 ]] && echo true || echo false)}
---
apiVersion: v1
kind: Service
metadata: {name: svc$i, namespace: $ns}
spec:
  type: $type
  selector: {app: svc$i}
  ports: [{port: 80, targetPort: 8080}]
YAML
done
for n in 0 1 2 3 4; do
  cat >"$tmp/deploy/np$n.yaml" <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: tiers, namespace: team$n}
spec:
  podSelector: {matchLabels: {tier: t0}}
  ingress: [{from: [{podSelector: {matchLabels: {tier: t1}}}]}]
YAML
done

# wall seconds and peak RSS (KiB) of one command
measure() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || [[ $? == 1 ]] ||
  { cat "$tmp/err" >&2; exit 1; }; cat "$tmp/t"; }
imgargs=(--offline --image registry.example/app-a:1="$a" --image registry.example/app-b:1="$b")
cache=$tmp/cache
read -r cold_s cold_kb < <(measure "$hull" scan --db "$db" --cache-dir "$cache" "${imgargs[@]}" --format json "$tmp/deploy")
read -r warm_s warm_kb < <(measure "$hull" scan --db "$db" --cache-dir "$cache" "${imgargs[@]}" --format json "$tmp/deploy")
read -r ia_s ia_kb < <(measure "$hull" image --db "$db" --cache-dir "$cache" --format json "$a")
read -r ib_s ib_kb < <(measure "$hull" image --db "$db" --cache-dir "$cache" --format json "$b")
read -r c_s c_kb < <(measure "$hull" config --format json "$tmp/deploy")
read -r n_s n_kb < <(measure "$hull" network --format json "$tmp/deploy")
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
sum=$(calc "$ia_s + $ib_s + $c_s + $n_s")
workloads=$("$hull" scan --db "$db" --cache-dir "$cache" "${imgargs[@]}" --format json "$tmp/deploy" |
  jq '.deployment.workloads | length')
printf 'hull scan, %s workloads (2 distinct images, 5 NetworkPolicies):\n' "$workloads"
printf '  cold (empty layer cache): %6.2f s  peak RSS %6.1f MiB\n' "$cold_s" "$(calc "$cold_kb/1024")"
printf '  warm:                     %6.2f s  peak RSS %6.1f MiB\n' "$warm_s" "$(calc "$warm_kb/1024")"
printf 'separate runs, warm: hull image %.2f + %.2f s, hull config %.2f s, hull network %.2f s = %.2f s\n' \
  "$ia_s" "$ib_s" "$c_s" "$n_s" "$sum"
printf 'ratio warm scan / separate runs: %.2f (goal <= 1)\n' "$(calc "$warm_s / $sum")"
