#!/usr/bin/env bash
# run.sh CASE: one golden CLI test. tests/golden/cases/CASE holds `cmd` (a
# bash command line; {HULL}, {DB}, {DATA} (tests/golden/data), {SHARED}
# (../shared, read in place), {TESTIMG} (the images of scripts/test-images.sh)
# {FAKE_ENGINE} (tests/tools/fake_engine.h) and {WITHOUT_SYSCALL}
# (tests/tools/without_syscall.c) are replaced), `status` (the
# expected exit code), `stdout` and optionally `stderr` (expected output,
# normalised: timestamps, UUIDs and temporary paths replaced). The command
# runs in a fresh copy of the case folder, so a .hullignore there is found.
# HULL_UPDATE_GOLDEN=1 rewrites the expected files from the actual run.
# {DB} is a vulnerability database built once from ../shared/data feeds.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case_dir=$here/cases/$1
shared_root=${HULL_SHARED:-$HULL_SRC/../shared}
shared=$shared_root/data
db=$HULL_BUILD/golden-db.sqlite
# The golden cases read ../shared in place: without it they fail, loudly.
[[ -d $shared/debian ]] || { echo "not ok 1 - $shared is missing"; echo 1..1; exit 1; }
(
  flock 9
  if [[ ! -s $db || $HULL_BIN -nt $db ]]; then
    "$HULL_BIN" db build --db "$db" --from "$shared/debian" "$shared/osv-npm/ghsa" \
      "$shared/alpine-secdb" >/dev/null 2>"$db.log" || { cat "$db.log" >&2; exit 1; }
  fi
) 9>"$db.lock" || { echo "not ok 1 - could not build the test database"; echo 1..1; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$case_dir/." "$tmp/"
cmd=$(<"$case_dir/cmd")
cmd=${cmd//\{HULL\}/$HULL_BIN}
cmd=${cmd//\{DB\}/$db}
cmd=${cmd//\{DATA\}/$here/data}
cmd=${cmd//\{SHARED\}/$shared_root}
cmd=${cmd//\{FAKE_ENGINE\}/$HULL_FAKE_ENGINE}
cmd=${cmd//\{WITHOUT_SYSCALL\}/$HULL_WITHOUT_SYSCALL}
cmd=${cmd//\{TESTIMG\}/${HULL_TEST_CACHE:-/var/cache/hull-test}/img}
(cd "$tmp" && HULL_CACHE_DIR=$tmp/.cache bash -o pipefail -c "$cmd" >"$tmp/.out" 2>"$tmp/.err")
status=$?
normalise() {
  sed -E -e "s|$tmp|{TMP}|g" -e "s|$here/data|{DATA}|g" -e "s|$db|{DB}|g" -e "s|$HULL_BIN|{HULL}|g" \
    -e "s|$shared_root|{SHARED}|g" -e "s|${HULL_TEST_CACHE:-/var/cache/hull-test}/img|{TESTIMG}|g" \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/<time>/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' "$1"
}
if [[ ${HULL_UPDATE_GOLDEN:-0} == 1 ]]; then
  echo "$status" >"$case_dir/status"
  normalise "$tmp/.out" >"$case_dir/stdout"
  [[ -f $case_dir/stderr || -s $tmp/.err ]] && normalise "$tmp/.err" >"$case_dir/stderr"
fi
n=0 fail=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi; }
check "exit status $status (want $(<"$case_dir/status"))" "[[ $status == $(<"$case_dir/status") ]]"
check "stdout as expected" "diff -u '$case_dir/stdout' <(normalise '$tmp/.out') >'$tmp/.d1'"
[[ -f $case_dir/stderr ]] && check "stderr as expected" "diff -u '$case_dir/stderr' <(normalise '$tmp/.err') >'$tmp/.d2'"
for d in "$tmp"/.d1 "$tmp"/.d2; do [[ -s $d ]] && sed 's/^/# /' "$d" | head -40; done
echo "1..$n"
exit $fail
