#!/usr/bin/env bash
# bench/host.sh: hull host's wall time against `lynis audit system --quick`
# on this machine, in one run, with the ratio; then which of lynis's SSH
# and network findings hull also reports (by lynis test id and, for
# SSH-7408, by the sshd option lynis names).
#
# Needs root and lynis (apt-get install lynis). lynis skips its SSH tests
# when no sshd runs, so unless HULL_BENCH_SSHD=0 an sshd is started for the
# run on 127.0.0.1:22022 (in a private mount namespace, killed at the end).
# Writes only to a temp dir. Usage: bench/host.sh [HULL_BINARY]
set -euo pipefail
HULL=${1:-${HULL_BIN:-build/hull}}
[[ -x $HULL ]] || { echo "no hull binary at $HULL (give it as the first argument)" >&2; exit 2; }
command -v lynis >/dev/null || { echo "lynis is not installed" >&2; exit 2; }
W=$(mktemp -d /tmp/hull-bench-host.XXXXXX)
SSHD_PID=
cleanup() { [[ -n $SSHD_PID ]] && kill "$SSHD_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

if [[ ${HULL_BENCH_SSHD:-1} == 1 ]] && ! pgrep -x sshd >/dev/null && command -v sshd >/dev/null; then
  unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec /usr/sbin/sshd -D -p 22022 -o ListenAddress=127.0.0.1' &
  SSHD_PID=$!
  sleep 0.5
fi

now() { date +%s.%N; }
best=
for _ in 1 2 3; do
  t=$(now); "$HULL" host --format json >"$W/hull.json" 2>"$W/hull.err" || true; e=$(now)
  d=$(awk -v a="$t" -v b="$e" 'BEGIN{printf "%.4f", b-a}')
  [[ -z $best ]] || awk -v d="$d" -v b="$best" 'BEGIN{exit !(d<b)}' && best=$d
done
t=$(now)
# lynis runs `sshd -T`, which wants /run/sshd: give it one in a private
# mount namespace (a tmpfs /run) rather than creating it on the host
RUN=()
[[ -n $SSHD_PID ]] && RUN=(unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec "$0" "$@"')
"${RUN[@]}" lynis audit system --quick --no-colors --logfile "$W/lynis.log" --report-file "$W/lynis.dat" >"$W/lynis.out" 2>&1 || true
lyn=$(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')
nh=$(jq '.findings | length' "$W/hull.json")
echo "hull host:  ${best} s (best of 3), $nh findings"
echo "lynis:      ${lyn} s (audit system --quick)"
awk -v a="$lyn" -v b="$best" 'BEGIN{printf "ratio:      lynis / hull = %.0fx\n", a/b}'

# lynis's SSH and network findings, and whether hull reports the same thing
echo
echo "lynis SSH / network / firewall findings and the hull rule that covers them:"
hull_ids=$(jq -r '.findings[] | .id' "$W/hull.json" | sort -u | tr '\n' ' ')
covered=0; total=0
while IFS='|' read -r test desc detail _; do
  [[ -z $detail || $detail == - ]] && detail=$desc
  total=$((total+1))
  want=
  case "$test:$detail" in
    SSH-7408:*AllowTcpForwarding*|SSH-7408:*AllowAgentForwarding*) want=HULL-H012 ;;
    SSH-7408:*X11Forwarding*) want=HULL-H011 ;;
    SSH-7408:*MaxAuthTries*) want=HULL-H013 ;;
    SSH-7408:*PermitRootLogin*) want="HULL-H002 HULL-H003" ;;
    SSH-7408:*Port*) want=HULL-H005 ;;
    SSH-7408:*IgnoreRhosts*) want=HULL-H015 ;;
    SSH-7408:*PermitUserEnvironment*) want=HULL-H014 ;;
    SSH-7408:*StrictModes*) want=HULL-H016 ;;
    SSH-7408:*PermitTunnel*|SSH-7408:*GatewayPorts*) want=HULL-H017 ;;
    NETW-3012:*|NETW-3015:*) want="HULL-H022 HULL-H023 HULL-H025 HULL-H026" ;;
    FIRE-4512:*|FIRE-4513:*) want=HULL-H051 ;;
  esac
  got=
  for w in $want; do [[ " $hull_ids " == *" $w "* ]] && got="$got $w"; done
  if [[ -n $got ]]; then covered=$((covered+1)); mark="hull:$got"
  elif [[ -n $want ]]; then mark="hull has the rule ($want) but did not fire"
  else mark="not covered by hull"; fi
  printf '  %-10s %-60.60s %s\n' "$test" "$detail" "$mark"
done < <(grep -E '^(suggestion|warning)\[\]=(SSH|NETW|FIRE)-' "$W/lynis.dat" | sed 's/^[a-z]*\[\]=//')
echo "$covered of $total lynis SSH/network/firewall findings are also reported by hull"
