/* purl: Package URLs (https://github.com/package-url/purl-spec) for the
 * packages hull inventories.
 *
 * A purl names one package in an ecosystem-neutral way:
 *   pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12
 * The SBOM writers put it in every component, matching (later) uses it to
 * name packages in findings and suppressions, so it lives here as a public
 * API with no dependency on the writers.
 *
 * Canonical form, per the spec's "how to build" rules:
 *   - type lowercase; namespace segments, name, version and qualifier values
 *     percent-encoded (UTF-8, uppercase hex) except A-Z a-z 0-9 . - _ ~ and
 *     ':' which are never encoded ("+" becomes %2B, "@" %40, " " %20);
 *   - qualifiers with an empty value dropped, the rest sorted by key;
 *   - ill-formed UTF-8 from an image becomes U+FFFD before encoding, so a
 *     purl always decodes to valid UTF-8.
 * Type-specific rules for installed packages are in hull_purl_from_pkg. */
#ifndef HULL_REPORT_PURL_H
#define HULL_REPORT_PURL_H

#include <stddef.h>

#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/err.h"

#define HULL_PURL_MAX_QUALIFIERS 8

struct hull_purl_qualifier {
	const char *key;   /* lowercase ASCII, e.g. "arch" */
	const char *value; /* NULL or "" drops the qualifier */
};

/* The components of a purl, already normalised for their type (the
 * formatter only encodes). All strings are borrowed. */
struct hull_purl {
	const char *type;    /* "deb"; required */
	const char *ns;      /* namespace; NULL or "" for none; '/' separates segments */
	const char *name;    /* required, non-empty */
	const char *version; /* NULL or "" for none */
	struct hull_purl_qualifier qualifiers[HULL_PURL_MAX_QUALIFIERS];
	size_t nqualifiers;
	const char *subpath; /* NULL or "" for none; '/' separates segments */
};

/* Appends the canonical string form of p to out. Fails with HULL_ERR_INPUT
 * when type or name is missing or a qualifier key is not a valid key, and
 * with HULL_ERR_LIMIT when out is full. */
int hull_purl_format(const struct hull_purl *p, struct hull_buf *out, struct hull_err *err);

/* Appends the purl of an installed package to out:
 *   deb   pkg:deb/<os id>/<name>@<version>?arch=&distro=<id>-<version_id>&upstream=
 *         (name lowercased; version as dpkg prints it, epoch included;
 *         upstream = source name, "@source version" when that differs,
 *         present only when the source differs from the binary package)
 *   apk   pkg:apk/<os id>/<name>@<version>?arch=&distro=&upstream=<origin>
 *   rpm   pkg:rpm/<os id>/<name>@<version>-<release>?arch=&distro=&epoch=N
 *         (epoch only when > 0; the name keeps its case)
 *   npm   pkg:npm/%40scope/name@<version> (lowercased)
 *   pypi  pkg:pypi/<name>@<version> (lowercased, runs of "-_." become "-")
 * os may be NULL or have NULL fields: deb and apk then fall back to the
 * "debian" and "alpine" namespaces, rpm to none, and distro is left out.
 * Fails with HULL_ERR_INPUT when the package has no name. */
int hull_purl_from_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_buf *out,
                       struct hull_err *err);

/* Same, as a malloc'ed string the caller frees; NULL on failure. */
char *hull_purl_of_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_err *err);

#endif
