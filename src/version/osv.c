/* osv: OSV affected[] evaluation (ranges of type ECOSYSTEM and SEMVER,
 * explicit versions lists) exactly as the OSV schema's Evaluation section
 * defines it, and the distro "fixed in X" / unfixed / not-affected forms.
 *
 * The schema sorts a range's events by version and lets the last event at
 * or below v decide. hull finds that event without sorting: among the
 * events that fire for v, the greatest by (version, position in the array)
 * decides, which is what a stable sort followed by the schema's loop
 * yields. */
#include <string.h>

#include "version/internal.h"

/* npm versions in OSV are ordered like SEMVER ranges: osv.dev coerces
 * "1.0" (GHSA writes such introduced events) to 1.0.0 for both. The Go
 * ecosystem's SEMVER ranges are Go module versions, which the Go
 * comparator orders as SemVer 2.0 does, and it also reads what Go
 * binaries carry: a "v" prefix and the toolchain's "go1.21.3". */
static bool osv_semver(enum hull_ecosystem eco, enum hull_osv_range_type type)
{
	return (type == HULL_OSV_RANGE_SEMVER && eco != HULL_ECO_GO) || eco == HULL_ECO_SEMVER;
}

static int cmp_in(enum hull_ecosystem eco, enum hull_osv_range_type type, struct hull_str a,
                  struct hull_str b, int *cmp, struct hull_err *err)
{
	if (osv_semver(eco, type))
		return ver_osv_semver_compare(a, b, cmp, err);
	return hull_version_compare(eco, a, b, cmp, err);
}

static int valid_in(enum hull_ecosystem eco, enum hull_osv_range_type type, struct hull_str v,
                    struct hull_err *err)
{
	if (osv_semver(eco, type))
		return ver_osv_semver_validate(v, err);
	return hull_version_validate(eco, v, err);
}

static const char *const kind_names[] = {"introduced", "fixed", "last_affected", "limit"};

static bool is_zero_intro(const struct hull_osv_event *e)
{
	return e->kind == HULL_OSV_INTRODUCED && hull_str_eq_c(e->version, "0");
}

static bool is_inf_limit(const struct hull_osv_event *e)
{
	return e->kind == HULL_OSV_LIMIT && memchr(e->version.ptr, '*', e->version.len);
}

static int check_events(enum hull_ecosystem eco, const struct hull_osv_range *range,
                        struct hull_err *err)
{
	if (range->type != HULL_OSV_RANGE_ECOSYSTEM && range->type != HULL_OSV_RANGE_SEMVER)
		return hull_err_set(err, HULL_ERR_INPUT, "osv: unsupported range type %d",
		                    (int)range->type);
	for (size_t i = 0; i < range->n_events; i++) {
		const struct hull_osv_event *e = &range->events[i];
		if ((unsigned)e->kind > HULL_OSV_LIMIT)
			return hull_err_set(err, HULL_ERR_INPUT, "osv: event %zu: unknown kind %d",
			                    i, (int)e->kind);
		if (is_zero_intro(e) || is_inf_limit(e))
			continue;
		if (valid_in(eco, range->type, e->version, err) < 0)
			return hull_err_wrap(err, "osv: event %zu (%s)", i, kind_names[e->kind]);
	}
	return 0;
}

/* Orders two events by version; introduced "0" is below everything. */
static int event_cmp(enum hull_ecosystem eco, enum hull_osv_range_type type,
                     const struct hull_osv_event *a, const struct hull_osv_event *b,
                     struct hull_err *err, int *cmp)
{
	bool za = is_zero_intro(a), zb = is_zero_intro(b);
	if (za || zb) {
		*cmp = za == zb ? 0 : (za ? -1 : 1);
		return 0;
	}
	return cmp_in(eco, type, a->version, b->version, cmp, err);
}

int hull_osv_range_affects(enum hull_ecosystem eco, const struct hull_osv_range *range,
                           struct hull_str v, bool *affected, struct hull_err *err)
{
	if (valid_in(eco, range->type, v, err) < 0 || check_events(eco, range, err) < 0)
		return -1;
	bool has_limit = false, before = false;
	for (size_t i = 0; i < range->n_events; i++) {
		const struct hull_osv_event *e = &range->events[i];
		if (e->kind != HULL_OSV_LIMIT)
			continue;
		has_limit = true;
		int c = -1;
		if (!is_inf_limit(e) && cmp_in(eco, range->type, v, e->version, &c, err) < 0)
			return -1;
		before |= c < 0;
	}
	*affected = false;
	if (has_limit && !before)
		return 0;

	const struct hull_osv_event *last = NULL;
	for (size_t i = 0; i < range->n_events; i++) {
		const struct hull_osv_event *e = &range->events[i];
		int c = 1;
		if (e->kind == HULL_OSV_LIMIT)
			continue;
		if (!is_zero_intro(e) && cmp_in(eco, range->type, v, e->version, &c, err) < 0)
			return -1;
		bool fires = e->kind == HULL_OSV_LAST_AFFECTED ? c > 0 : c >= 0;
		if (!fires)
			continue;
		int order = 1;
		if (last && event_cmp(eco, range->type, e, last, err, &order) < 0)
			return -1;
		if (order >= 0)
			last = e;
	}
	*affected = last && last->kind == HULL_OSV_INTRODUCED;
	return 0;
}

int hull_osv_versions_include(enum hull_ecosystem eco, const struct hull_str *versions, size_t n,
                              struct hull_str v, bool *listed, struct hull_err *err)
{
	if (valid_in(eco, HULL_OSV_RANGE_ECOSYSTEM, v, err) < 0)
		return -1;
	*listed = false;
	for (size_t i = 0; i < n && !*listed; i++) {
		int c;
		if (hull_str_eq(versions[i], v))
			*listed = true;
		else if (cmp_in(eco, HULL_OSV_RANGE_ECOSYSTEM, versions[i], v, &c, NULL) == 0 &&
		         c == 0)
			*listed = true;
	}
	return 0;
}

int hull_osv_affected_match(enum hull_ecosystem eco, const struct hull_osv_affected *aff,
                            struct hull_str v, bool *affected, struct hull_err *err)
{
	if (hull_osv_versions_include(eco, aff->versions, aff->n_versions, v, affected, err) < 0)
		return -1;
	for (size_t i = 0; i < aff->n_ranges && !*affected; i++) {
		if (hull_osv_range_affects(eco, &aff->ranges[i], v, affected, err) < 0)
			return hull_err_wrap(err, "range %zu", i);
	}
	return 0;
}

int hull_distro_fix_affects(enum hull_ecosystem eco, const struct hull_distro_fix *fix,
                            struct hull_str v, bool *affected, struct hull_err *err)
{
	if (hull_version_validate(eco, v, err) < 0)
		return -1;
	switch (fix->status) {
	case HULL_DISTRO_UNFIXED:
		*affected = true;
		return 0;
	case HULL_DISTRO_NOT_AFFECTED:
		*affected = false;
		return 0;
	case HULL_DISTRO_FIXED:
		break;
	default:
		return hull_err_set(err, HULL_ERR_INPUT, "distro fix: unknown status %d",
		                    (int)fix->status);
	}
	/* Debian's tracker and Alpine's secdb write "0" for "never affected". */
	if (hull_str_eq_c(fix->fixed, "0")) {
		*affected = false;
		return 0;
	}
	int c;
	if (hull_version_compare(eco, v, fix->fixed, &c, err) < 0)
		return hull_err_wrap(err, "fixed version");
	*affected = c < 0;
	return 0;
}
