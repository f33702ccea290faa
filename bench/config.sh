#!/bin/bash
# config.sh: how fast `hull config` checks real configuration, in one run:
#   1. documents per second (per core: user+system CPU time) on the real
#      Compose files and Kubernetes manifests of the shared data (compose/,
#      k8s-real/), each scanned many times in one process. Goal: more than
#      20,000 documents per second per core.
#   2. hull against dockerfilelint (npm) on the same Dockerfiles (the
#      trivy-checks fixtures and the official Dockerfiles), both timed in
#      this run, with the ratio. dockerfilelint is installed with npm into a
#      scratch prefix when it is not on PATH.
# Usage: bench/config.sh [HULL_BINARY | BUILD_DIR]   (default: build/hull)
# A "document" is one YAML document with a kind (Kubernetes) or one
# Compose file or Dockerfile: what a user counts as one thing to check.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-$root/build}
if [ -d "$arg" ]; then hull=$arg/hull; else hull=$arg; fi
case $hull in /*) ;; *) hull=$PWD/$hull ;; esac
shared=${HULL_SHARED:-$root/../shared}
data=$shared/data
rounds=${ROUNDS:-200}
[ -x "$hull" ] || { echo "config.sh: no hull binary at $hull" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "config.sh: /usr/bin/time missing (scripts/install-deps.sh)" >&2; exit 1; }
[ -d "$data/compose" ] || { echo "config.sh: no shared data at $data" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CPU seconds (user+system) and wall seconds of a command, via bash's times.
cpu_of() {
	local out=$1
	shift
	local t0 t1
	t0=$(date +%s.%N)
	(
		"$@" >/dev/null 2>&1 || true
		times >"$out.times"
	)
	t1=$(date +%s.%N)
	# the second line of `times` is the children's user and system time
	awk -v w0="$t0" -v w1="$t1" 'NR==2 {
		split($1, u, "m"); split($2, s, "m");
		us = u[1] * 60 + substr(u[2], 1, length(u[2]) - 1);
		ss = s[1] * 60 + substr(s[2], 1, length(s[2]) - 1);
		printf "%.3f %.3f\n", us + ss, w1 - w0 }' "$out.times"
}

# ---- 1. documents per second on the real manifests -------------------------
mapfile -t files < <(find "$data/compose" "$data/k8s-real" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
docs_k8s=$(python3 - "${files[@]}" <<'EOF'
import sys, re
n = 0
for p in sys.argv[1:]:
    if '/compose/' in p:
        continue
    text = open(p, encoding='utf-8').read()
    for doc in re.split(r'(?m)^---\s*$', text):
        if re.search(r'(?m)^kind:', doc):
            n += 1
print(n)
EOF
)
ncompose=0
for f in "${files[@]}"; do case $f in */compose/*) ncompose=$((ncompose + 1)) ;; esac; done
per_round=$((docs_k8s + ncompose))
args=()
for _ in $(seq "$rounds"); do args+=("${files[@]}"); done
total=$((per_round * rounds))
# --severity CRITICAL keeps the report small: the time is the scan's
read -r cpu wall < <(cpu_of "$tmp/docs" /usr/bin/time -o "$tmp/rss" -f %M \
	"$hull" config --severity CRITICAL --format json "${args[@]}")
echo "real manifests: ${#files[@]} files, $per_round documents ($docs_k8s Kubernetes objects, $ncompose Compose files)"
awk -v t="$total" -v c="$cpu" -v w="$wall" -v r="$rounds" 'BEGIN {
	printf "hull config: %d documents (%d rounds) in %.3f s CPU, %.3f s wall\n", t, r, c, w;
	printf "documents per second per core: %.0f (goal: over 20000)\n", t / (c > 0 ? c : 1e-9) }'
echo "peak RSS: $(($(tail -1 "$tmp/rss") / 1024)) MiB"
# the same with every finding kept and written: then the JSON report of a
# quarter of a million findings costs more than the scan
read -r fcpu fwall < <(cpu_of "$tmp/docs-all" "$hull" config --format json "${args[@]}")
nfind=$("$hull" config --format json "${files[@]}" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')
awk -v t="$total" -v c="$fcpu" -v w="$fwall" -v f="$nfind" -v r="$rounds" 'BEGIN {
	printf "without --severity (%d findings written): %.3f s CPU, %.3f s wall, %.0f documents per second per core\n",
	       f * r, c, w, t / (c > 0 ? c : 1e-9) }'

# ---- 2. hull vs dockerfilelint on the same Dockerfiles ---------------------
mapfile -t dockerfiles < <(find "$data/misconfig/trivy-checks/dockerfile" "$data/misconfig/official-dockerfiles" -type f \( -name '*Dockerfile' -o -name '*.Dockerfile' \) | sort)
lint=$(command -v dockerfilelint || true)
if [ -z "$lint" ]; then
	prefix=${DOCKERFILELINT_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/hull-bench-npm}
	if [ ! -x "$prefix/bin/dockerfilelint" ]; then
		echo "installing dockerfilelint with npm into $prefix ..."
		npm install --silent --no-audit --no-fund -g --prefix "$prefix" dockerfilelint >/dev/null 2>&1 || true
	fi
	lint=$prefix/bin/dockerfilelint
fi
nd=${#dockerfiles[@]}
lrounds=${LINT_ROUNDS:-1}
hargs=()
for _ in $(seq "$lrounds"); do hargs+=("${dockerfiles[@]}"); done
read -r hcpu hwall < <(cpu_of "$tmp/h" "$hull" config --format json "${hargs[@]}")
echo "Dockerfiles: $nd files x $lrounds rounds"
printf "hull config:     %.3f s wall (%.3f s CPU), %.0f Dockerfiles/s\n" "$hwall" "$hcpu" \
	"$(awk -v n=$((nd * lrounds)) -v w="$hwall" 'BEGIN { print n / w }')"
if [ -x "$lint" ]; then
	# dockerfilelint takes one file per run (node starts each time): that
	# is how it is used in a pipeline, so that is what is timed
	cat >"$tmp/lint.sh" <<EOF
for r in \$(seq $lrounds); do for f in "\$@"; do "$lint" "\$f" >/dev/null 2>&1; done; done
EOF
	read -r lcpu lwall < <(cpu_of "$tmp/l" bash "$tmp/lint.sh" "${dockerfiles[@]}")
	printf "dockerfilelint:  %.3f s wall (%.3f s CPU), %.0f Dockerfiles/s\n" "$lwall" "$lcpu" \
		"$(awk -v n=$((nd * lrounds)) -v w="$lwall" 'BEGIN { print n / w }')"
	awk -v h="$hwall" -v l="$lwall" 'BEGIN { printf "hull is %.1fx faster than dockerfilelint (wall time, same files, same run)\n", l / (h > 0 ? h : 1e-9) }'
	# both in one process over all the files, to separate node's start-up
	read -r l1cpu l1wall < <(cpu_of "$tmp/l1" "$lint" "${dockerfiles[@]}")
	read -r h1cpu h1wall < <(cpu_of "$tmp/h1" "$hull" config --format json "${dockerfiles[@]}")
	printf "one process for all %d files: hull %.3f s, dockerfilelint %.3f s (%.1fx)\n" "$nd" \
		"$h1wall" "$l1wall" "$(awk -v h="$h1wall" -v l="$l1wall" 'BEGIN { print l / (h > 0 ? h : 1e-9) }')"
else
	echo "dockerfilelint: not available (npm install failed); no comparison"
fi
