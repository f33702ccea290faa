/* The package-type table (src/pkgdb/types.c): every row complete and
 * unique, the count right, the lookups, and the promise each row makes to
 * the rest of hull: a language type's ecosystem has a version comparator
 * (else its packages could never match), and every source of a row is
 * kept by hull_pkgdb_wants. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/pkgdb.h"
#include "tap.h"
#include "version/version.h"

static void rows(void)
{
	size_t bad = 0;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		const struct hull_pkg_type_info *ti = hull_pkg_type_info(t);
		bool ok = ti && ti->name && *ti->name && ti->purl_type && *ti->purl_type &&
		          ti->sources && ti->sources[0].parse &&
		          !strcmp(hull_pkg_type_name(t), ti->name);
		/* a distribution's packages use the distribution's feed; a
		 * language's name its OSV ecosystem */
		ok = ok && (ti->os ? !ti->ecosystem && !ti->ns_sep : ti->ecosystem != NULL);
		ok = ok && (!ti->match_src_version || ti->os);
		for (int u = 0; ok && u < t; u++)
			ok = strcmp(hull_pkg_type_info(u)->name, ti->name) &&
			     strcmp(hull_pkg_type_info(u)->purl_type, ti->purl_type);
		if (!ok) {
			printf("# row %d (%s) incomplete, inconsistent or repeated\n", t,
			       ti && ti->name ? ti->name : "?");
			bad++;
		}
	}
	TAP_OK(bad == 0, "%d rows, each complete, consistent and unique", HULL_PKG_TYPE_COUNT);
	TAP_OK(!hull_pkg_type_info(HULL_PKG_TYPE_COUNT) &&
	           !hull_pkg_type_info((enum hull_pkg_type) - 1) &&
	           !strcmp(hull_pkg_type_name(HULL_PKG_TYPE_COUNT), "unknown") &&
	           !hull_pkg_type_is_os(HULL_PKG_TYPE_COUNT),
	       "no row past the count");
	TAP_OK(HULL_PKG_TYPE_COUNT == 11 && !hull_pkg_type_is_os(HULL_PKG_CARGO) &&
	           !hull_pkg_type_is_os(HULL_PKG_NUGET) && hull_pkg_type_is_os(HULL_PKG_DEB) &&
	           hull_pkg_type_is_os(HULL_PKG_RPM) && !hull_pkg_type_is_os(HULL_PKG_NPM) &&
	           !hull_pkg_type_is_os(HULL_PKG_GOLANG) && !hull_pkg_type_is_os(HULL_PKG_MAVEN) &&
	           !hull_pkg_type_is_os(HULL_PKG_GEM) && !hull_pkg_type_is_os(HULL_PKG_COMPOSER),
	       "deb, apk, rpm, npm, pypi, golang, maven, gem, composer, cargo, nuget; the first "
	       "three the "
	       "operating system's");
}

static void purl_types(void)
{
	size_t bad = 0;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		enum hull_pkg_type back;
		if (!hull_pkg_type_from_purl(hull_pkg_type_info(t)->purl_type, &back) ||
		    back != (enum hull_pkg_type)t)
			bad++;
	}
	enum hull_pkg_type x = HULL_PKG_DEB;
	TAP_OK(bad == 0, "every purl type leads back to its row");
	TAP_OK(!hull_pkg_type_from_purl("hex", &x) && !hull_pkg_type_from_purl("NPM", &x) &&
	           !hull_pkg_type_from_purl("", &x) && !hull_pkg_type_from_purl(NULL, &x) &&
	           x == HULL_PKG_DEB,
	       "other purl types are no type (the caller lowercases)");
}

static void ecosystems(void)
{
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		const struct hull_pkg_type_info *ti = hull_pkg_type_info(t);
		if (ti->os)
			continue;
		enum hull_ecosystem eco;
		struct hull_err err = {0};
		TAP_OK(hull_ecosystem_from_osv(hull_str_c(ti->ecosystem), &eco, &err) == 0,
		       "%s: OSV ecosystem %s has a version comparator (%s)", ti->name,
		       ti->ecosystem, err.msg);
	}
}

/* Every database path and a sample manifest path of each row is kept. */
static void kept(void)
{
	size_t dbs = 0, bad = 0;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++) {
			for (const char *const *p = s->db_paths; p && *p; p++, dbs++)
				bad += hull_pkgdb_wants(*p, NULL) != HULL_KEEP_HISTORY;
			/* a source that reads nothing */
			bad += !s->db_paths && !s->match && !s->digest;
			/* one told by content needs its magic and a tag */
			bad += s->digest && (!s->magic_len || !s->tag);
		}
	}
	TAP_OK(bad == 0 && dbs == 8, "%zu database paths kept with their history", dbs);
}

int main(void)
{
	rows();
	purl_types();
	ecosystems();
	kept();
	return tap_done();
}
