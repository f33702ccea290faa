#!/usr/bin/env bash
# run-tests.sh BUILD [ASAN_BUILD [TSAN_BUILD]]: builds with -Werror, runs every
# test, then (when ASAN_BUILD is given) builds and runs the whole suite again
# under ASan+UBSan, then (when TSAN_BUILD is given) runs the tests of the
# multi-threaded parts, hull serve and the registry source (its download
# threads and the layer inflating thread), under ThreadSanitizer, where any
# data race stops the program and fails its test. Ends with one line:
# "N passed, N failed, N skipped", after the list of skips and their reasons.
#
# A skip says why (tests/lib/skip.sh): "env:" when the machine cannot host
# the test (not root, no namespaces, the npm registry refuses), "missing:"
# for a ../shared file, a test image or a tool that is not there. With
# CI=true every skip that is not "env:" counts as a failure
# (scripts/test-summary.py), so nothing passes quietly in CI.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
status=0
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT

run_suite() {
  local dir=$1 label=$2; shift 2
  if [[ ! -f $dir/build.ninja ]]; then
    meson setup "$dir" "$@" >/dev/null || { echo "$label: meson setup failed" >&2; echo "$label: FAILED meson setup" >>"$failures"; failed=$((failed + 1)); status=1; return; }
  fi
  if ! ninja -C "$dir" >"$dir.ninja.log" 2>&1; then
    cat "$dir.ninja.log" >&2
    echo "$label: build failed" >&2; echo "$label: FAILED the build" >>"$failures"
    failed=$((failed + 1)); status=1; return
  fi
  echo "== $label: running tests in $dir" >&2
  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$(nproc)" "${MESON_TEST_ARGS[@]}" >&2
  [[ $? -eq 0 ]] || status=1
  local log=$dir/meson-logs/testlog.json
  if [[ -f $log ]]; then
    local p f k
    read -r p f k < <(scripts/test-summary.py "$log" "$label" "$failures")
    echo "== $label: $p passed, $f failed, $k skipped" >&2
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
    [[ $f -eq 0 ]] || status=1
  fi
}

# Real images for the integration tests: built once, then cached.
# Exit 77: they cannot be built here (no root, no ../shared tools); the tests
# that need them then skip as "missing:" (a failure under CI=true).
scripts/test-images.sh || [[ $? -eq 77 ]] || { echo "test images could not be built" >&2; status=1; }

MESON_TEST_ARGS=()
[[ -n ${HULL_TEST_FILTER:-} ]] && MESON_TEST_ARGS+=($HULL_TEST_FILTER)

run_suite "$1" "release build" --buildtype=debugoptimized
if [[ $# -ge 2 ]]; then
  run_suite "$2" "ASan+UBSan build" --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
fi
if [[ $# -ge 3 && -z ${HULL_TEST_FILTER:-} ]]; then
  MESON_TEST_ARGS=(--suite server --suite threads)
  export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
  run_suite "$3" "TSan build (hull serve, registry)" --buildtype=debug -Db_sanitize=thread -Db_lundef=false
  unset TSAN_OPTIONS
fi

# The failed tests' names last but one: CI keeps only the output's tail.
[[ -s $failures ]] && head -n 20 "$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && $status -eq 0 ]]
