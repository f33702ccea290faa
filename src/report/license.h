/* license: telling SPDX license expressions from free-form licence text.
 *
 * Package databases declare licences as whatever the packager wrote:
 * "MIT", "GPL-2.0-or-later AND BSD-3-Clause", "GPL2", "Python license".
 * CycloneDX accepts `license.id` only from the SPDX list and SPDX documents
 * accept only valid license expressions, so the writers ask here first:
 * a string made of known SPDX identifiers and exceptions joined by AND, OR,
 * WITH and parentheses comes back in canonical form (identifier case as in
 * the SPDX list, upper-case operators, single spaces, deprecated GNU ids
 * such as "GPL-2.0+" replaced by "GPL-2.0-or-later"); anything else is
 * "other" and the writers keep it as a licence name.
 *
 * The identifier table is a curated subset of the SPDX License List (the
 * licences that show up in distributions and language registries); a
 * licence missing from it is merely reported as a name. A unit test checks
 * that every entry is in the CycloneDX copy of the SPDX list. */
#ifndef HULL_REPORT_LICENSE_H
#define HULL_REPORT_LICENSE_H

#include <stddef.h>

#include "util/err.h"

enum hull_license_kind {
	HULL_LICENSE_NONE,       /* NULL, empty or blank */
	HULL_LICENSE_ID,         /* one SPDX license identifier */
	HULL_LICENSE_EXPRESSION, /* a valid compound expression (or "id+") */
	HULL_LICENSE_OTHER,      /* free text */
};

/* Classifies s. For ID and EXPRESSION, *canon receives the canonical form
 * (malloc'ed, caller frees); otherwise *canon is NULL. Returns the kind,
 * or -1 on allocation failure. Expressions over 64 tokens or 16 levels of
 * parentheses are "other". */
int hull_license_classify(const char *s, char **canon, struct hull_err *err);

/* The identifier table (for tests): *ids points at n canonical ids. */
size_t hull_license_known_ids(const char *const **ids);

#endif
