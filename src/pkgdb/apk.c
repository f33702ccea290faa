/* apk's installed database (lib/apk/db/installed): records separated by
 * blank lines, each line "X:value" with a one-letter tag. hull reads
 * P (name), V (version), A (arch), o (origin) and L (license, kept as
 * written: old databases hold "GPL2", new ones SPDX expressions).
 *
 * apk-tools refuses the whole database on a line that is not "X:value";
 * hull reports it and goes on with the intact records. A record without
 * P or V is reported and skipped. The origin version is the package's own:
 * every subpackage of an APKBUILD shares its pkgver-pkgrel. */
#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"

struct record {
	size_t line; /* of its first tag */
	bool any;
	struct hull_str name, version, arch, origin, license; /* ptr NULL: absent */
};

static int end_record(struct record *r, const char *file, int layer, struct hull_inventory *inv,
                      struct hull_pkgdb_problems *probs, struct hull_err *err)
{
	struct record rec = *r;
	*r = (struct record){0};
	if (!rec.any)
		return 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!rec.name.len || !rec.version.len) {
		hull_pkgdb_problem(probs, "%s: line %zu: package record without %s%s", file,
		                   rec.line, rec.name.len ? "V (version) for " : "P (name)",
		                   rec.name.len ? hull_pkgdb_quote(rec.name, q) : "");
		return 0;
	}
	if (!hull_pkgdb_printable(rec.name) || !hull_pkgdb_printable(rec.version) ||
	    !hull_pkgdb_printable(rec.arch) || !hull_pkgdb_printable(rec.origin) ||
	    !hull_pkgdb_printable(rec.license)) {
		hull_pkgdb_problem(probs, "%s: line %zu: control character in package %s", file,
		                   rec.line, hull_pkgdb_quote(rec.name, q));
		return 0;
	}
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_APK,
	    .name = rec.name,
	    .version = rec.version,
	    .arch = rec.arch.len ? rec.arch : hull_str(NULL, 0),
	    .src_name = rec.origin.len ? rec.origin : hull_str(NULL, 0),
	    .src_version = rec.origin.len ? rec.version : hull_str(NULL, 0),
	    .license = rec.license.len ? rec.license : hull_str(NULL, 0),
	};
	return hull_pkgdb_add(inv, &s, file, layer, err);
}

static void tag_line(struct record *r, struct hull_str line, size_t lineno, const char *file,
                     struct hull_pkgdb_problems *probs)
{
	struct hull_str *slot = NULL;
	switch (line.ptr[0]) {
	case 'P':
		slot = &r->name;
		break;
	case 'V':
		slot = &r->version;
		break;
	case 'A':
		slot = &r->arch;
		break;
	case 'o':
		slot = &r->origin;
		break;
	case 'L':
		slot = &r->license;
		break;
	}
	if (!r->any) {
		r->any = true;
		r->line = lineno;
	}
	if (!slot)
		return;
	if (slot->ptr) {
		hull_pkgdb_problem(probs, "%s: line %zu: duplicate %c: line in one record", file,
		                   lineno, line.ptr[0]);
		return;
	}
	*slot = hull_str_trim(hull_str(line.ptr + 2, line.len - 2));
}

int hull_apk_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                   struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	struct record rec = {0};
	struct hull_str rest = data, line;
	size_t lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		if (!line.len) {
			if (end_record(&rec, file, layer, inv, &probs, err) < 0)
				return -1;
		} else if (line.len < 2 || line.ptr[1] != ':') {
			hull_pkgdb_problem(&probs, "%s: line %zu: expected \"X:value\"", file,
			                   lineno);
		} else {
			tag_line(&rec, line, lineno, file, &probs);
		}
	}
	if (end_record(&rec, file, layer, inv, &probs, err) < 0)
		return -1;
	return hull_pkgdb_problems_finish(&probs, err);
}
