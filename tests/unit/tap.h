/* tap: a tiny TAP producer for hull's unit tests (meson protocol 'tap').
 *
 * TAP_OK(cond, fmt, ...) records one test point; tap_done() prints the plan
 * and returns the exit status. tap_shared(rel) gives the path of a file in
 * the shared test data, or NULL (then the test skips itself). */
#ifndef HULL_TESTS_TAP_H
#define HULL_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

static inline int tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	return 0;
}

/* Path of rel inside $HULL_SHARED/data, or NULL when absent. Static buffer. */
static inline const char *tap_shared(const char *rel)
{
	static char path[4096];
	const char *root = getenv("HULL_SHARED");
	if (!root)
		return NULL;
	snprintf(path, sizeof(path), "%s/data/%s", root, rel);
	return access(path, R_OK) == 0 ? path : NULL;
}

#endif
