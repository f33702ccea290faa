/* fuzz_version_dpkg: total-order check of the dpkg comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_DPKG

#include <stdbool.h>
#include <stdlib.h>

#include "version/version.h"

/* OSV ranges over dpkg versions: the lines as introduced / fixed events. */
static void fuzz_extra(struct hull_str a, struct hull_str b)
{
	struct hull_osv_event ev[3] = {
	    {HULL_OSV_INTRODUCED, a}, {HULL_OSV_FIXED, b}, {HULL_OSV_LAST_AFFECTED, a}};
	struct hull_osv_range r = {HULL_OSV_RANGE_ECOSYSTEM, ev, 3};
	struct hull_osv_affected aff = {&r, 1, &b, 1};
	bool hit;
	struct hull_err err;
	(void)hull_osv_affected_match(HULL_ECO_DPKG, &aff, a, &hit, &err);
	struct hull_distro_fix fix = {HULL_DISTRO_FIXED, b};
	(void)hull_distro_fix_affects(HULL_ECO_DPKG, &fix, a, &hit, &err);
}
#define FUZZ_EXTRA(a, b) fuzz_extra(a, b)
#include "fuzz_order.h"
