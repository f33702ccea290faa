/* purl: Package URLs (https://github.com/package-url/purl-spec), the one
 * place hull builds and reads them.
 *
 * A purl names one package in an ecosystem-neutral way:
 *   pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12
 * hull_purl_format builds the canonical string from components,
 * hull_purl_parse reads any spelling back into components; both follow the
 * spec's "how to build" and "how to parse" rules:
 *   - type lowercase ASCII letters, digits, '.', '-', starting with a letter;
 *   - namespace segments, name, version, qualifier values and subpath
 *     segments percent-encoded (UTF-8, uppercase hex) except A-Z a-z 0-9
 *     . - _ ~ and ':' ("+" is %2B, "@" %40, "/" inside a value %2F);
 *   - qualifier keys lowercase, ASCII letters, digits, '.', '-', '_',
 *     starting with a letter, unique; empty values dropped, the rest sorted;
 *   - empty namespace and subpath segments dropped, and "." and ".." in a
 *     subpath; leading '/' after "pkg:" ignored;
 *   - the type-specific normalisations of the type table (purl.c: one row
 *     per type, e.g. pypi lowercases and turns '_' into '-'); types without
 *     a row get the generic rules only.
 * Ill-formed UTF-8 given to the formatter becomes U+FFFD, so a purl always
 * decodes to valid UTF-8. The parser refuses %00 (strings are C strings).
 *
 * Limits: a purl string is at most HULL_PURL_MAX_LEN bytes and has at most
 * HULL_PURL_MAX_QUALIFIERS qualifiers; more is HULL_ERR_LIMIT. A type or a
 * qualifier key has no length limit of its own (the spec gives none), so
 * whatever the parser reads the formatter writes, and its canonical string
 * reads back to itself (the util_purl harness checks both). */
#ifndef HULL_UTIL_PURL_H
#define HULL_UTIL_PURL_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define HULL_PURL_MAX_LEN        (64u << 10)
#define HULL_PURL_MAX_QUALIFIERS 16

struct hull_purl_qualifier {
	const char *key;   /* e.g. "arch" */
	const char *value; /* NULL or "" drops the qualifier when formatting */
};

/* The components of a purl, decoded. Filled by the caller (borrowed
 * strings) for hull_purl_format, or by hull_purl_parse (strings owned by
 * the struct, freed by hull_purl_release). */
struct hull_purl {
	const char *type;    /* "deb"; required */
	const char *ns;      /* namespace; NULL or "" for none; '/' separates segments */
	const char *name;    /* required, non-empty */
	const char *version; /* NULL or "" for none */
	struct hull_purl_qualifier qualifiers[HULL_PURL_MAX_QUALIFIERS];
	size_t nqualifiers;
	const char *subpath; /* NULL or "" for none; '/' separates segments */
	char *owned_;        /* hull_purl_parse: the storage of every string above */
};

/* Appends the canonical string form of p to out, normalised for its type.
 * Fails with HULL_ERR_INPUT when the type or name is missing or invalid, a
 * qualifier key is not a valid key or repeated, or the type forbids a
 * namespace and one is given; HULL_ERR_LIMIT when out is full or there are
 * too many qualifiers. */
int hull_purl_format(const struct hull_purl *p, struct hull_buf *out, struct hull_err *err);

/* Reads s[0..len) into *out (decoded, normalised for its type; ns, version
 * and subpath are NULL when absent; qualifiers with empty values are
 * dropped). On failure *out is empty and err says why, naming the purl:
 * HULL_ERR_INPUT for anything that is not a purl, HULL_ERR_LIMIT for the
 * limits above, HULL_ERR_NOMEM. Release *out with hull_purl_release. */
int hull_purl_parse(const char *s, size_t len, struct hull_purl *out, struct hull_err *err);

/* Frees what hull_purl_parse stored in p and zeroes it. */
void hull_purl_release(struct hull_purl *p);

/* The value of qualifier key, or NULL. Borrowed from p. */
const char *hull_purl_qualifier(const struct hull_purl *p, const char *key);

#endif
