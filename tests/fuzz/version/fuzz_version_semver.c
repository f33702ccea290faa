/* fuzz_version_semver: total-order check of the semver comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_SEMVER

#include <stdbool.h>

#include "version/version.h"

/* The first line as an npm range, the second as a version, in all modes. */
static void fuzz_extra(struct hull_str range, struct hull_str version)
{
	for (unsigned fl = 0; fl < 4; fl++) {
		bool sat = false;
		struct hull_err err;
		(void)hull_npm_range_satisfies(range, version, fl, &sat, &err);
		struct hull_semver sv;
		(void)hull_semver_parse(version, fl, &sv, NULL);
	}
}
#define FUZZ_EXTRA(a, b) fuzz_extra(a, b)
#include "fuzz_order.h"
