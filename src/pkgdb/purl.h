/* purl (pkgdb): the Package URL of an installed package.
 *
 * The purl itself (encoding, parsing, the spec's per-type rules) is
 * util/purl.h; this maps hull's packages onto it: which purl type, which
 * namespace (the distribution, npm's scope) and which qualifiers. The SBOM
 * writers put it in every component, matching names packages in findings
 * and suppressions with it. */
#ifndef HULL_PKGDB_PURL_H
#define HULL_PKGDB_PURL_H

#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/purl.h"

/* Appends the purl of an installed package to out:
 *   deb   pkg:deb/<os id>/<name>@<version>?arch=&distro=<id>-<version_id>&upstream=
 *         (name lowercased; version as dpkg prints it, epoch included;
 *         upstream = source name, "@source version" when that differs,
 *         present only when the source differs from the binary package)
 *   apk   pkg:apk/<os id>/<name>@<version>?arch=&distro=&upstream=<origin>
 *   rpm   pkg:rpm/<os id>/<name>@<version>-<release>?arch=&distro=&epoch=N
 *         (epoch only when > 0; the name keeps its case)
 *   npm   pkg:npm/%40scope/name@<version> (case kept: npm names are case-sensitive)
 *   pypi  pkg:pypi/<name>@<version> (lowercased, runs of "-_." become "-")
 *   other language types: the row's purl type, the name split into
 *         namespace and name at the row's ns_sep
 * os may be NULL or have NULL fields: deb and apk then fall back to the
 * "debian" and "alpine" namespaces, rpm to none, and distro is left out.
 * Fails with HULL_ERR_INPUT when the package has no name. */
int hull_purl_from_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_buf *out,
                       struct hull_err *err);

/* Same, as a malloc'ed string the caller frees; NULL on failure. */
char *hull_purl_of_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_err *err);

#endif
