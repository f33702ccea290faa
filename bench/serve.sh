#!/bin/bash
# serve.sh: how fast `hull serve` answers, in one run, on loopback:
#   1. POST /validate over TLS with keep-alive (wrk): requests per second and
#      p50 / p99 latency, for a compliant Deployment (allowed, the common
#      case) and a privileged Pod (denied, 15 findings). Goal on the 2-core
#      machine: over 10,000 requests/s and p99 under 2 ms.
#   2. The Docker authorization socket (POST /AuthZPlugin.AuthZReq with a
#      container-create body): wrk cannot open a unix socket, so it goes
#      through socat (TCP -> unix, one socat process per connection), which
#      the figure includes.
# wrk and the server share the machine's cores. Each run is made twice:
#   --threads 1: one core for the load generator, one for hull. This is the
#      goal check: the figures are the server's, not the scheduler's.
#   --threads 2: peak throughput. With wrk that is three busy threads on two
#      cores, so the tail latency then includes waits for a CPU time slice
#      (a few ms) that a dedicated webhook pod does not have.
# Usage: bench/serve.sh [HULL_BINARY | BUILD_DIR]   (default: build/hull)
# DURATION=10 CONNS=8 THREADS="1 2" override the wrk runs.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-$root/build}
if [ -d "$arg" ]; then hull=$arg/hull; else hull=$arg; fi
case $hull in /*) ;; *) hull=$PWD/$hull ;; esac
dur=${DURATION:-10}
conns=${CONNS:-8}
thread_counts=${THREADS:-1 2}
for t in wrk openssl socat python3; do
	command -v $t >/dev/null || { echo "serve.sh: $t missing (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x "$hull" ] || { echo "serve.sh: no hull binary at $hull" >&2; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
	-out cert.pem -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null

python3 - <<'PY'
import json, base64
def review(obj):
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "kind": {"group": "apps", "version": "v1", "kind": obj["kind"]},
        "namespace": "team", "operation": "CREATE", "userInfo": {"username": "admin"}, "object": obj, "dryRun": False}})
ctr = {"name": "app", "image": "registry.example/app:1.4.2", "imagePullPolicy": "Always",
       "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                           "capabilities": {"drop": ["ALL"]}},
       "resources": {"limits": {"cpu": "1", "memory": "256Mi", "ephemeral-storage": "1Gi"},
                     "requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"}},
       "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
       "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}
dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "team"},
       "spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
           "automountServiceAccountToken": False,
           "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                               "seccompProfile": {"type": "RuntimeDefault"}},
           "containers": [ctr]}}}}
pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad", "namespace": "default"},
       "spec": {"containers": [{"name": "app", "image": "nginx:1.25", "securityContext": {"privileged": True}}]}}
create = {"Image": "nginx:1.25", "User": "1000", "HostConfig": {"Privileged": False, "CapDrop": ["ALL"],
          "ReadonlyRootfs": True, "SecurityOpt": ["no-new-privileges"], "Memory": 268435456,
          "NanoCpus": 1000000000, "PidsLimit": 256}}
authz = json.dumps({"User": "", "RequestMethod": "POST", "RequestURI": "/v1.41/containers/create?name=web",
                    "RequestBody": base64.b64encode(json.dumps(create).encode()).decode()})
for name, body in (("allowed", review(dep)), ("denied", review(pod)), ("authz", authz)):
    with open(name + ".json", "w") as f:
        f.write(body)
    with open(name + ".lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                'local f = io.open("%s.json") wrk.body = f:read("*a") f:close()\n' % name)
PY

start_server() { # threads
	rm -f serve.log "$tmp/authz.sock"
	# shellcheck disable=SC2046 # as root, hull serve wants --allow-root
	"$hull" serve $([[ $(id -u) -eq 0 ]] && echo --allow-root) --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem \
		--docker-authz "$tmp/authz.sock" --threads "$1" --no-decision-log 2>serve.log &
	server_pid=$!
	pids+=($server_pid)
	for _ in $(seq 100); do grep -q 'unix:' serve.log 2>/dev/null && break; sleep 0.05; done
	port=$(grep -o 'https://127.0.0.1:[0-9]*' serve.log | head -1 | sed 's/.*://')
	[ -n "$port" ] || { cat serve.log >&2; exit 1; }
	aport=$((port + 1))
	socat TCP-LISTEN:$aport,bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:"$tmp/authz.sock" &
	socat_pid=$!
	pids+=($socat_pid)
	sleep 0.3
}

stop_server() {
	kill "$server_pid" "$socat_pid" 2>/dev/null || true
	wait "$server_pid" "$socat_pid" 2>/dev/null || true
}

run() { # label url script
	local out
	out=$(wrk -t1 -c"$conns" -d"${dur}s" --latency -s "$3.lua" "$2" 2>&1)
	local rps p50 p99 non2xx
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	printf '%-44s %10s req/s   p50 %8s   p99 %8s%s\n' "$1" "$rps" "$p50" "$p99" \
		"${non2xx:+   non-2xx $non2xx}"
}

for threads in $thread_counts; do
	start_server "$threads"
	echo "hull serve on loopback, wrk -t1 -c$conns -d${dur}s, server --threads $threads ($(nproc) cores shared)"
	run "validate (TLS, keep-alive), allowed Deployment" "https://127.0.0.1:$port/validate" allowed
	run "validate (TLS, keep-alive), denied Pod" "https://127.0.0.1:$port/validate" denied
	run "authz socket via socat, container create" "http://127.0.0.1:$aport/AuthZPlugin.AuthZReq" authz
	stop_server
done
