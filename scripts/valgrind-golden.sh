#!/usr/bin/env bash
# valgrind-golden.sh BUILD [CASE...]: the golden CLI tests with every hull
# run under `valgrind --error-exitcode=99` (memcheck, definite and indirect
# leaks counted as errors). A case fails when valgrind reports anything
# (exit 99, its log kept in $out) or the output differs.
#
# hull runs with HULL_NO_SANDBOX=1: valgrind does not implement seccomp(2)
# or landlock_*(2), and hull refuses to scan unconfined when they fail.
# Valgrind does not implement openat2(2) either, which `hull host --root`
# resolves paths with (RESOLVE_IN_ROOT, no fallback by design): the
# host-sshd-* cases therefore differ under valgrind (docs/fuzzing.md).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build=$(cd "${1:?usage: valgrind-golden.sh BUILD [CASE...]}" && pwd)
shift
out=${VALGRIND_OUT:-$(mktemp -d /tmp/hull-valgrind.XXXXXX)}
mkdir -p "$out"
cat >"$out/hull" <<EOF
#!/bin/sh
export HULL_NO_SANDBOX=1
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \\
	--show-leak-kinds=definite,indirect --log-file=$out/log.%p $build/hull "\$@"
EOF
chmod +x "$out/hull"
touch -d 2000-01-01 "$out/hull" # older than the golden database: no rebuild under valgrind
cases=("$@")
if ((${#cases[@]} == 0)); then
	mapfile -t cases < <(sed -n '1,/^foreach/p' tests/golden/meson.build | grep -o "'[a-z0-9-]*'" | tr -d "'")
fi
failed=0
for c in "${cases[@]}"; do
	res=$(HULL_SHARED=${HULL_SHARED:-$PWD/../shared} HULL_SRC=$PWD HULL_BIN=$out/hull \
		HULL_BUILD=$build HULL_FAKE_ENGINE=$build/tests/fake-engine HULL_CACHE_DIR=$out/cache \
		bash tests/golden/run.sh "$c" 2>&1)
	if grep -q '^not ok' <<<"$res"; then
		failed=$((failed + 1))
		echo "not ok - $c"
		grep '^not ok' <<<"$res" | sed 's/^/#   /'
	else
		echo "ok - $c"
	fi
done
# valgrind's reports, without its notes on syscalls it does not implement
reports=$(cat "$out"/log.* 2>/dev/null | grep -v -e 'unhandled amd64-linux syscall' \
	-e 'write your own handler' -e README_MISSING_SYSCALL -e 'consider this a bug' \
	-e 'valgrind.org/support' | grep -c '^==')
echo "# ${#cases[@]} cases, $failed differ; $reports lines of valgrind reports in $out/log.*"
((failed == 0 && reports == 0))
