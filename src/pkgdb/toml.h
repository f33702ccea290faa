/* toml: a reader of the TOML that lockfiles write (Cargo.lock, poetry.lock,
 * uv.lock), private to src/pkgdb.
 *
 * It walks the document as a stream of items: table headers ("[a.b]",
 * "[[package]]") and key/value pairs. A value is given raw (the bytes
 * after '=', trimmed, multi-line arrays and inline tables whole); a basic
 * or literal string on one line is also given unquoted. That is all the
 * lockfiles need: their packages are "[[package]]" tables of string
 * fields. Full TOML semantics (dotted keys into tables, type checks,
 * duplicate keys) are not checked.
 *
 * Bounds: arrays and inline tables nest at most HULL_MAX_DEPTH deep; a
 * value (multi-line included) ends by the end of the input. Errors name the
 * file and line. */
#ifndef HULL_PKGDB_TOML_H
#define HULL_PKGDB_TOML_H

#include <stdbool.h>

#include "util/err.h"
#include "util/str.h"

enum hull_toml_kind { HULL_TOML_END, HULL_TOML_TABLE, HULL_TOML_KEY };

struct hull_toml_item {
	enum hull_toml_kind kind;
	unsigned line;
	/* TABLE: the header's name as written, without brackets ("package",
	 * "package.source"); array is true for "[[...]]". */
	struct hull_str table;
	bool array;
	/* KEY: the key (unquoted when quoted) and the raw value. */
	struct hull_str key, value;
	/* KEY: the string's content when the value is a one-line string
	 * without escapes; ptr NULL otherwise. */
	struct hull_str str;
};

struct hull_toml {
	struct hull_str rest;
	unsigned line;
	const char *file;
};

void hull_toml_init(struct hull_toml *t, struct hull_str data, const char *file);

/* The next item; HULL_TOML_END at the end. -1 (err names file and line)
 * on a line that is none of comment, header or key = value, or a value
 * that does not end. */
int hull_toml_next(struct hull_toml *t, struct hull_toml_item *it, struct hull_err *err);

/* In an inline table's raw text ("{ registry = \"x\" }"), the one-line
 * string value of key; ptr NULL when absent. */
struct hull_str hull_toml_inline_get(struct hull_str inline_table, const char *key);

/* One "[[package]]" table of a lockfile (uv's first lockfiles named it
 * "[[distribution]]"): its string fields "name" and
 * "version" (ptr NULL when absent or not a plain string), the raw value of
 * its "source" key (Cargo.lock: a string; uv.lock: an inline table) and
 * the "type" of its "[package.source]" subtable (poetry.lock). */
struct hull_toml_package {
	struct hull_str name, version, source, source_type;
	unsigned line;
};

/* Calls fn for each "[[package]]" table, in order. Returns -1 when the
 * document is not TOML as above (err set) or fn fails. */
int hull_toml_packages(struct hull_str data, const char *file,
                       int (*fn)(const struct hull_toml_package *p, void *ctx,
                                 struct hull_err *err),
                       void *ctx, struct hull_err *err);

#endif
