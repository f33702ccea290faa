/* gradle: Gradle's dependency lock, gradle.lockfile (and
 * buildscript-gradle.lockfile), as `gradle dependencies --write-locks`
 * writes it (Gradle user guide, "Locking dependency versions"):
 *
 *   # This is a Gradle generated file for dependency locking.
 *   org.springframework:spring-core:5.0.5.RELEASE=compileClasspath,runtimeClasspath
 *   empty=annotationProcessor
 *
 * One resolved module per line, group:name:version, then '=' and the
 * configurations that resolved it; "empty=" lists configurations that
 * resolved nothing; '#' starts a comment line. The older per-configuration
 * files (gradle/dependency-locks/<conf>.lockfile) have the same lines
 * without "=...". Each module is a Maven artifact "group:name" (type maven);
 * its configurations are kept in the prop gradle:configurations. A line
 * that is not three non-empty coordinates is a problem, the rest stay. */
#include <stdio.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"

#define GRADLE_COORD_MAX 512u
#define GRADLE_CONF_MAX  2048u

static bool coord_ok(struct hull_str s)
{
	if (!s.len || s.len > GRADLE_COORD_MAX || !hull_pkgdb_printable(s))
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] == ' ' || s.ptr[i] == '\t' || s.ptr[i] == ':' || s.ptr[i] == '=')
			return false;
	return true;
}

int hull_gradle_lock_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	struct hull_str rest = data, line;
	unsigned lineno = 0;
	size_t first = inv->npkgs;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		line = hull_str_trim(line);
		if (!line.len || line.ptr[0] == '#')
			continue;
		struct hull_str gav = line, confs = {0};
		bool has_eq = hull_str_split(line, '=', &gav, &confs);
		gav = hull_str_trim(gav);
		confs = hull_str_trim(confs);
		if (has_eq && hull_str_eq_c(gav, "empty"))
			continue;
		struct hull_str group, name, version, more;
		char q[HULL_PKGDB_QUOTE_MAX + 4];
		if (!hull_str_split(gav, ':', &group, &name) ||
		    !hull_str_split(name, ':', &name, &version) ||
		    hull_str_split(version, ':', &version, &more) || !coord_ok(group) ||
		    !coord_ok(name) || !coord_ok(version)) {
			hull_pkgdb_problem(&probs, "%s: line %u: not group:name:version \"%s\"",
			                   file, lineno, hull_pkgdb_quote(gav, q));
			continue;
		}
		char coord[GRADLE_COORD_MAX * 2 + 2], props[GRADLE_CONF_MAX + 32];
		snprintf(coord, sizeof(coord), "%.*s:%.*s", (int)group.len, group.ptr,
		         (int)name.len, name.ptr);
		size_t pl = 0;
		if (confs.len && confs.len <= GRADLE_CONF_MAX && hull_pkgdb_printable(confs))
			pl = (size_t)snprintf(props, sizeof(props), "gradle:configurations\t%.*s\n",
			                      (int)confs.len, confs.ptr);
		struct hull_pkg_slices s = {.type = HULL_PKG_MAVEN,
		                            .name = hull_str_c(coord),
		                            .version = version,
		                            .props = hull_str(pl ? props : NULL, pl)};
		if (hull_pkgdb_add(inv, &s, file, layer, err) < 0)
			return -1;
	}
	return hull_pkgdb_parsed(inv, first, &probs, err);
}
