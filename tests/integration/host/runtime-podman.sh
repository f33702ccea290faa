#!/usr/bin/env bash
# hull runtime against real podman containers (runc, vfs, cgroupfs, lowered
# ulimits: see shared/tools/REPORT.md section 3), through the podman API
# socket (Engine API) and through /proc alone. Everything lives in a temp
# dir; containers and the API service are removed at the end. TAP output;
# skips when podman/runc/busybox are missing or containers cannot start.
set -uo pipefail
HULL=${HULL_BIN:?}
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
. "${HULL_SRC:?}/tests/lib/skip.sh"
[ "$(id -u)" = 0 ] || skip_env "needs root"
for t in podman runc jq; do command -v $t >/dev/null || skip_missing "$t"; done
BB=$(command -v busybox || true); [ -x /bin/busybox ] && BB=/bin/busybox
[ -n "$BB" ] && file -L "$BB" 2>/dev/null | grep -q static || [ -x /bin/busybox ] || skip_missing "a static busybox (apt-get install busybox-static)"

WD=$(mktemp -d /tmp/hull-rt-podman.XXXXXX)
API_PID=
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  for c in c-privileged c-sysadmin c-root c-limits c-hardened; do
    podman rm -f -t 0 "$c" >/dev/null 2>&1
  done
  podman rmi -f localhost/hull-rt:1 >/dev/null 2>&1
  rm -rf "$WD"
}
trap cleanup EXIT
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
network_config_dir = "$WD/store/net"
EOC
export CONTAINERS_STORAGE_CONF=$WD/store/storage.conf CONTAINERS_CONF=$WD/store/containers.conf TMPDIR=$WD/store/tmp
cp /bin/busybox "$WD/rootfs/bin/busybox"
for a in sh sleep true; do ln -s busybox "$WD/rootfs/bin/$a"; done
tar -C "$WD/rootfs" -cf "$WD/rootfs.tar" . || skip_env "tar failed"
podman import -q "$WD/rootfs.tar" localhost/hull-rt:1 >/dev/null 2>"$WD/import.log" || skip_env "podman import failed: $(tail -1 "$WD/import.log")"

IMG=localhost/hull-rt:1
HC=(--health-cmd /bin/true --health-interval disable)
run() { local name=$1; shift; podman run -d --name "$name" --network none "$@" "$IMG" sleep 600 >"$WD/$name.log" 2>&1; }
run c-privileged --privileged --user 0 "${HC[@]}" || skip_env "podman cannot run containers here: $(tail -1 "$WD/c-privileged.log")"
run c-sysadmin --cap-add SYS_ADMIN --user 0 "${HC[@]}"; ok $? "start c-sysadmin"
run c-root --user 0 "${HC[@]}"; ok $? "start c-root"
run c-limits --user 1000:1000 --memory 256m --pids-limit 128 --cpus 0.5 "${HC[@]}"; ok $? "start c-limits"
run c-hardened --user 1000:1000 --read-only --cap-drop ALL --security-opt no-new-privileges \
  --memory 128m --pids-limit 64 --cpus 0.5 "${HC[@]}"; ok $? "start c-hardened"

SOCK=$WD/store/docker.sock
podman system service --time 0 "unix://$SOCK" >"$WD/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
ok "$([ -S "$SOCK" ]; echo $?)" "podman API socket is up"

"$HULL" runtime --engine "unix://$SOCK" --format json >"$WD/engine.json" 2>"$WD/engine.err"
rc=$?; ok "$([ $rc = 0 ] || [ $rc = 1 ]; echo $?)" "hull runtime --engine (rc $rc) $(head -c 300 "$WD/engine.err")"
"$HULL" runtime --proc --format json >"$WD/proc.json" 2>"$WD/proc.err"
rc=$?; ok "$([ $rc = 0 ] || [ $rc = 1 ]; echo $?)" "hull runtime --proc (rc $rc) $(head -c 300 "$WD/proc.err")"

# ids per container: the engine names containers, /proc by their id
ids_engine() { jq -r --arg o "container $1" '[.findings[] | select(.location.object == $o) | .id] | unique | join(" ")' "$WD/engine.json"; }
ids_proc() { local id; id=$(podman inspect -f '{{.Id}}' "$1" | cut -c1-12)
  jq -r --arg p "$id" '[.findings[] | select((.location.object // "") | startswith("container " + $p)) | .id] | unique | join(" ")' "$WD/proc.json"; }
# the rules both views can see (see docs/host.md)
MAPPED="HULL-C001 HULL-C002 HULL-C006 HULL-C007 HULL-C008 HULL-C013 HULL-C014 HULL-C015 HULL-C016 HULL-C031 HULL-C039 HULL-C040 HULL-C041"
only() { local out=; for i in $1; do case " $MAPPED " in *" $i "*) out="$out $i";; esac; done; echo "${out# }"; }

expect() { # container, expected mapped ids
  local e p; e=$(only "$(ids_engine "$1")"); p=$(only "$(ids_proc "$1")")
  ok "$([ "$e" = "$2" ]; echo $?)" "$1 through the engine API: [$e] (expected [$2])"
  ok "$([ "$p" = "$2" ]; echo $?)" "$1 through /proc alone: [$p] (expected [$2])"
}
expect c-privileged "HULL-C001 HULL-C006 HULL-C007 HULL-C008 HULL-C013 HULL-C039 HULL-C040"
expect c-sysadmin "HULL-C002 HULL-C006 HULL-C007 HULL-C008 HULL-C013 HULL-C039 HULL-C040"
expect c-root "HULL-C006 HULL-C007 HULL-C008 HULL-C013 HULL-C039 HULL-C040"
expect c-limits "HULL-C006 HULL-C007 HULL-C013"
expect c-hardened ""
# and nothing at all for the hardened one through the engine (every rule)
all=$(ids_engine c-hardened)
ok "$([ -z "$all" ]; echo $?)" "c-hardened has no finding at all through the engine: [$all]"
"$HULL" runtime --proc --list >"$WD/list.txt" 2>&1
ok "$(grep -q 'CAP_SYS_ADMIN' "$WD/list.txt"; echo $?)" "--list shows CAP_SYS_ADMIN"
sed 's/^/# /' "$WD/list.txt" | head -20
echo "1..$n"
[ $fail = 0 ]
