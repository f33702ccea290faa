# skip.sh: how a shell test says it cannot run (source it). Every skip is
# one of two kinds, and says which in its TAP reason:
#
#   skip_env WHY        the machine cannot host the test (not root, no
#                       network namespaces, the npm registry refuses):
#                       "1..0 # SKIP env: WHY", always a skip;
#   skip_missing WHAT   something the test needs is missing: ../shared data,
#                       a test image (scripts/test-images.sh) or a tool:
#                       "1..0 # SKIP missing: WHAT" on a developer's machine,
#                       a failing test when CI=true.
#
# Both end the test (nothing may have been reported yet). A test that has
# already reported results uses skip_rest_missing instead (exit-code
# protocol: 77, or 1 under CI). scripts/run-tests.sh counts and lists every
# skip, and under CI=true counts any skip not marked "env:" as a failure.

skip_env() {
	echo "1..0 # SKIP env: $*"
	exit 0
}

skip_missing() {
	if [[ ${CI:-} == true ]]; then
		echo "not ok 1 - missing: $* (CI=true: a missing prerequisite fails)"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP missing: $*"
	exit 0
}

# For exit-code tests that already printed results: the rest needs WHAT.
skip_rest_missing() {
	echo "# SKIP missing: $*"
	[[ ${CI:-} == true ]] && exit 1
	exit 77
}
