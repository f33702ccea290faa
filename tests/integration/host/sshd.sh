#!/usr/bin/env bash
# hull's effective sshd configuration against `sshd -T` (Debian's
# openssh-server) for a set of sshd_config files: defaults, Include with
# globs, Match blocks (with -C user=,host=,addr=), duplicated keywords,
# algorithm +/-/^ lists, ListenAddress forms. Every keyword hull prints must
# have sshd's value. sshd -T runs in a private mount namespace with a
# tmpfs /run (it wants /run/sshd), so nothing is written outside the temp
# dir. TAP output; skips without sshd or unshare.
set -uo pipefail
HULL=${HULL_BIN:?}
n=0; fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail+1)); fi; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
. "${HULL_SRC:?}/tests/lib/skip.sh"
[ -x "$SSHD" ] || skip_missing "sshd (apt-get install openssh-server)"
[ "$(id -u)" = 0 ] || skip_env "sshd -T needs root"
unshare -m true 2>/dev/null || skip_env "unshare -m not permitted"
D=$(mktemp -d /tmp/hull-sshd.XXXXXX)
trap 'rm -rf "$D"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$D/hk" >/dev/null

sshd_t() { # file [spec]
  unshare -m sh -c "mount -t tmpfs tmpfs /run && mkdir /run/sshd && $SSHD -T -f $1 ${2:+-C $2}" 2>"$D/err"
}
check() { # name file [spec]
  local name=$1 f=$2 spec=${3:-}
  if ! sshd_t "$f" "$spec" >"$D/want"; then ok 1 "$name: sshd -T refused: $(head -1 "$D/err")"; return; fi
  "$HULL" host --root / --sshd-config "$f" ${spec:+--ssh-match "$spec"} --sshd-effective >"$D/got" 2>"$D/gerr"
  awk '{print $1}' "$D/got" | sort -u >"$D/kws"
  grep -wFf "$D/kws" "$D/want" >"$D/want2"
  local nk; nk=$(wc -l <"$D/kws")
  if diff "$D/want2" "$D/got" >"$D/diff" && [ "$nk" -ge 30 ]; then ok 0 "$name${spec:+ ($spec)}: $nk keywords as sshd -T"
  else ok 1 "$name${spec:+ ($spec)}: differs from sshd -T"; sed 's/^/# /' "$D/diff" | head -20; fi
}

printf 'HostKey %s/hk\n' "$D" >"$D/defaults.conf"
check defaults "$D/defaults.conf"

cp /etc/ssh/sshd_config "$D/debian.conf" 2>/dev/null || printf 'UsePAM yes\n' >"$D/debian.conf"
printf 'HostKey %s/hk\n' "$D" >>"$D/debian.conf"
check debian-default-file "$D/debian.conf"

mkdir -p "$D/conf.d" "$D/more"
printf 'MaxSessions 4\nCompression no\nMatch Host *.example.com\n  GatewayPorts yes\n' >"$D/conf.d/10-a.conf"
printf 'MaxSessions 8\nUseDNS yes\nPasswordAuthentication no\n' >"$D/conf.d/20-b.conf"
printf 'PermitRootLogin no\n' >"$D/conf.d/skip.txt"
printf 'Ciphers aes256-ctr\n' >"$D/more/x.conf"
cat >"$D/include.conf" <<EOC
HostKey $D/hk
Include $D/conf.d/*.conf $D/more/?.conf
PasswordAuthentication yes
Ciphers aes128-ctr
EOC
check include-globs "$D/include.conf"

cat >"$D/dups.conf" <<EOC
HostKey $D/hk
Port 2222
Port 22
port=2022
PermitRootLogin yes
PermitRootLogin no
X11Forwarding yes
X11Forwarding no
MaxAuthTries 3
LoginGraceTime 1m30s
ClientAliveInterval 2h
Ciphers +aes128-cbc,3des-cbc
MACs -hmac-sha1*,umac-64*
KexAlgorithms ^diffie-hellman-group14-sha1
HostKeyAlgorithms -ssh-rsa*
PubkeyAcceptedAlgorithms +ssh-rsa
ListenAddress 127.0.0.1
ListenAddress [::1]:2200
ListenAddress 10.0.0.1:22
ListenAddress ::
AllowTcpForwarding all
Compression delayed
IgnoreRhosts shosts-only
PermitTunnel point-to-point
GatewayPorts clientspecified
LogLevel debug
PermitUserEnvironment LANG,LC_*
EOC
check duplicates-and-lists "$D/dups.conf"

cat >"$D/match.conf" <<EOC
HostKey $D/hk
PasswordAuthentication no
PermitRootLogin prohibit-password
Include $D/conf.d/10-a.conf
Match User alice,bob Address 10.0.0.0/8,!10.9.0.0/16
  PasswordAuthentication yes
  PermitRootLogin yes
  X11Forwarding yes
Match Group root
  MaxAuthTries 2
  AllowAgentForwarding no
Match Host !*.internal,*.example.com
  PermitTunnel yes
Match all
  AllowTcpForwarding no
  PasswordAuthentication no
EOC
check match-start-up "$D/match.conf"
check match "$D/match.conf" "user=alice,host=a.example.com,addr=10.1.2.3"
check match "$D/match.conf" "user=alice,host=a.internal,addr=10.9.2.3"
check match "$D/match.conf" "user=root,host=b.EXAMPLE.com,addr=192.0.2.1,laddr=192.0.2.9,lport=2222"
check match "$D/match.conf" "user=nobody,host=h,addr=::1"
{ cat "$D/match.conf"; printf 'Match LocalPort 2222 LocalAddress 192.0.2.0/24\n  MaxSessions 1\n'; } >"$D/lport.conf"
check match-local "$D/lport.conf" "user=bob,host=h,addr=10.0.0.5,laddr=192.0.2.9,lport=2222"
check match-local "$D/lport.conf" "user=bob,host=h,addr=10.0.0.5,laddr=192.0.2.9,lport=22"
echo "1..$n"
[ $fail = 0 ]
