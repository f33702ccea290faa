/* tap: a tiny TAP producer for hull's unit tests (meson protocol 'tap').
 *
 * TAP_OK(cond, fmt, ...) records one test point; tap_done() prints the plan
 * and returns the exit status. tap_shared(rel) gives the path of a file in
 * the shared test data, or records a failure and gives NULL. A test that
 * cannot run says why with tap_skip_env or tap_skip_missing. */
#ifndef HULL_TESTS_TAP_H
#define HULL_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_count;
static int tap_failures;

__attribute__((format(printf, 4, 5))) static inline int tap_ok(int ok, const char *file, int line,
                                                               const char *fmt, ...)
{
	va_list ap;
	tap_count++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		tap_failures++;
		printf("# failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return ok;
}

#define TAP_OK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

/* Skips the whole test because the machine cannot host it (not root, no
 * namespaces): always a skip, marked "env:" for scripts/run-tests.sh. */
static inline int tap_skip_env(const char *why)
{
	printf("1..0 # SKIP env: %s\n", why);
	return 0;
}

/* Skips the whole test because a tool or an environment variable it needs
 * is missing: a skip on a developer's machine, a failure when CI=true
 * (tests/lib/skip.sh has the shell twin). Before any test point only. */
static inline int tap_skip_missing(const char *what)
{
	const char *ci = getenv("CI");
	if (ci && !strcmp(ci, "true")) {
		printf("not ok 1 - missing: %s (CI=true: a missing prerequisite fails)\n1..1\n",
		       what);
		return 1;
	}
	printf("1..0 # SKIP missing: %s\n", what);
	return 0;
}

/* The older spelling, for tests written before the two kinds: a skip
 * that does not say its kind is a missing prerequisite. */
static inline int tap_skip_all(const char *why)
{
	return tap_skip_missing(why);
}

/* Path of rel inside $HULL_SHARED/data (static buffer). The unit tests read
 * their vector tables there in place: a missing file is a failing test
 * point naming it, never a skip; the caller then leaves out the checks
 * that needed it and returns NULL's way. */
static inline const char *tap_shared(const char *rel)
{
	static char path[4096];
	const char *root = getenv("HULL_SHARED");
	snprintf(path, sizeof(path), "%s/data/%s", root ? root : "(HULL_SHARED unset)", rel);
	if (root && access(path, R_OK) == 0)
		return path;
	tap_ok(0, __FILE__, __LINE__, "%s is missing: the unit tests read ../shared in place",
	       path);
	return NULL;
}

#endif
