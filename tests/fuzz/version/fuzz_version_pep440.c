/* fuzz_version_pep440: total-order check of the pep440 comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_PEP440

#include <stdbool.h>
#include <stdlib.h>

#include "version/version.h"

/* The first line as a specifier set, the second as a version; and the
 * normalised form must parse and compare equal to its input. */
static void fuzz_extra(struct hull_str spec, struct hull_str version)
{
	bool in;
	struct hull_err err;
	for (int pre = -1; pre <= 1; pre++)
		(void)hull_pep440_spec_contains(spec, version, pre, &in, &err);
	char norm[HULL_VERSION_MAX_LEN * 2];
	if (hull_pep440_normalize(version, norm, sizeof(norm), &err) == 0) {
		int c;
		if (hull_version_compare(HULL_ECO_PEP440, version, hull_str_c(norm), &c, &err) <
		        0 ||
		    c)
			abort();
	}
}
#define FUZZ_EXTRA(a, b) fuzz_extra(a, b)
#include "fuzz_order.h"
