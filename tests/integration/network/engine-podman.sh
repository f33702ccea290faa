#!/usr/bin/env bash
# hull network --docker against a real podman engine: two networks (one
# internal), a published port, the host network, network_mode none and a
# container on two networks, read through the Engine API (podman system
# service). podman, its networks (netavark) and its firewall rules all run
# inside a network namespace this test creates, with storage and state in a
# temp dir, so nothing lands in the host's network configuration; all of it
# is removed on every exit path. TAP; skips when podman, runc, a static
# busybox or network namespaces are missing, or containers cannot start.
set -uo pipefail
HULL=${HULL_BIN:?}
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
. "${HULL_SRC:?}/tests/lib/skip.sh"
[ "$(id -u)" = 0 ] || skip_env "needs root"
for t in podman runc ip jq nsenter; do command -v $t >/dev/null || skip_missing "$t"; done
[ -x /usr/lib/podman/netavark ] || skip_missing "netavark"
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static || skip_missing "a static busybox (apt-get install busybox-static)"

NS=hnpod$$
WD=$(mktemp -d /tmp/hull-net-podman.XXXXXX)
API_PID=
# nsenter, not ip netns exec: the latter remounts /sys and hides the cgroups
in_ns() { nsenter --net="/run/netns/$NS" "$@"; }
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  for c in n-web n-app n-db n-host n-none; do in_ns podman rm -f -t 0 "$c" >/dev/null 2>&1; done
  for nw in hullfront hullback; do in_ns podman network rm -f "$nw" >/dev/null 2>&1; done
  in_ns podman rmi -f localhost/hull-net:1 >/dev/null 2>&1
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" 2>/dev/null || { rm -rf "$WD"; trap - EXIT; skip_env "ip netns add is not permitted"; }
ip -n "$NS" link set lo up

mkdir -p "$WD/store/root" "$WD/store/run" "$WD/store/tmp" "$WD/store/net" "$WD/rootfs/bin"
cat > "$WD/store/storage.conf" <<EOC
[storage]
driver = "vfs"
graphroot = "$WD/store/root"
runroot = "$WD/store/run"
EOC
NOFILE=$(ulimit -Hn); NPROC=$(ulimit -Hu)
[ "$NOFILE" = unlimited ] && NOFILE=1048576
[ "$NPROC" = unlimited ] && NPROC=32768
[ "$NPROC" -gt 32768 ] && NPROC=32768
cat > "$WD/store/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$WD/store/events.log"
tmp_dir = "$WD/store/run/libpod"
static_dir = "$WD/store/root/libpod"
volume_path = "$WD/store/root/volumes"
[network]
network_backend = "netavark"
network_config_dir = "$WD/store/net"
EOC
export CONTAINERS_STORAGE_CONF=$WD/store/storage.conf CONTAINERS_CONF=$WD/store/containers.conf TMPDIR=$WD/store/tmp
cp /bin/busybox "$WD/rootfs/bin/busybox"
for a in sh sleep; do ln -s busybox "$WD/rootfs/bin/$a"; done
tar -C "$WD/rootfs" -cf "$WD/rootfs.tar" . || skip_env "tar failed"
in_ns podman import -q "$WD/rootfs.tar" localhost/hull-net:1 >/dev/null 2>"$WD/import.log" ||
  skip_env "podman import failed: $(tail -1 "$WD/import.log")"
in_ns podman network create hullfront >/dev/null 2>"$WD/net.log" || skip_env "podman network create failed: $(tail -1 "$WD/net.log")"
in_ns podman network create --internal hullback >/dev/null 2>>"$WD/net.log" || skip_env "podman network create --internal failed"

IMG=localhost/hull-net:1
run() { local name=$1; shift; in_ns podman run -d --name "$name" "$@" "$IMG" sleep 600 >"$WD/$name.log" 2>&1; }
run n-web --network hullfront -p 8080:80 -p 127.0.0.1:5432:5432 ||
  skip_env "podman cannot run containers here: $(tail -1 "$WD/n-web.log")"
run n-app --network hullfront,hullback; ok $? "start n-app on two networks"
run n-db --network hullback --expose 5432; ok $? "start n-db on the internal network"
run n-host --network host; ok $? "start n-host on the host network"
run n-none --network none; ok $? "start n-none without network"

SOCK=$WD/store/api.sock
in_ns podman system service --time 0 "unix://$SOCK" >"$WD/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
ok "$([ -S "$SOCK" ]; echo $?)" "podman API socket is up"

"$HULL" network --docker="unix://$SOCK" --format json >"$WD/net.json" 2>"$WD/net.err"
rc=$?; ok "$([ $rc = 0 ] || [ $rc = 1 ]; echo $?)" "hull network --docker (rc $rc) $(head -c 300 "$WD/net.err")"
J=$WD/net.json
have() { jq -e "$1" "$J" >/dev/null 2>&1; }
for c in n-web n-app n-db n-host n-none; do
  ok "$(have "[.workloads[] | select(.id == \"$c\")] | length == 1"; echo $?)" "$c is a workload"
done
ok "$(have '[.networks[] | select(.name == "hullback" and .internal)] | length == 1'; echo $?)" "hullback is internal"
edge() { have "[.edges[] | select(.source == \"$1\" and .destination == \"$2\")] | length == 1"; }
ok "$(edge n-web n-app; echo $?)" "n-web reaches n-app (hullfront)"
ok "$(edge n-app n-db; echo $?)" "n-app reaches n-db (hullback)"
ok "$(edge n-web n-db; [ $? != 0 ]; echo $?)" "n-web does not reach n-db"
ok "$(edge n-db '(internet)'; [ $? != 0 ]; echo $?)" "n-db has no way out (internal only)"
ok "$(edge n-app '(internet)'; echo $?)" "n-app has a way out (hullfront)"
ok "$(edge n-none n-web; [ $? != 0 ]; echo $?)" "n-none reaches nothing"
ok "$(have '[.exposures[] | select(.workload == "n-web" and .port == 8080 and .target == 80 and .world)] | length == 1'; echo $?)" \
  "n-web publishes 8080 -> 80 on every interface"
ok "$(have '[.exposures[] | select(.workload == "n-web" and .port == 5432 and (.world | not))] | length == 1'; echo $?)" \
  "n-web's 5432 is on loopback only"
ok "$(have '[.exposures[] | select(.workload == "n-host" and .how == "host-network")] | length == 1'; echo $?)" \
  "n-host is exposed through the host network"
ok "$(have '[.findings.findings[]? // .findings[]? | select(.id == "HULL-N007")] | length >= 1'; echo $?)" \
  "HULL-N007 for the host-network container"
"$HULL" network --docker="unix://$SOCK" --can n-app n-db:5432 >"$WD/can.txt" 2>&1
ok "$([ $? = 0 ]; echo $?)" "--can n-app n-db:5432 is allowed: $(head -1 "$WD/can.txt")"
"$HULL" network --docker="unix://$SOCK" --can n-web n-db:5432 >"$WD/can.txt" 2>&1
ok "$([ $? = 1 ]; echo $?)" "--can n-web n-db:5432 is denied: $(head -1 "$WD/can.txt")"
echo "1..$n"
[ $fail = 0 ]
