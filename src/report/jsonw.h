/* jsonw: a small streaming JSON writer into a capped hull_buf.
 *
 * The report writers emit documents of any size (one entry per package,
 * later per finding) without building a tree first. Output is pretty-printed
 * with two-space indentation, keys in the order they are written, so two
 * runs over the same input give byte-identical documents that diff well.
 *
 * Strings are arbitrary bytes: hull_jw escapes '"', '\\', control
 * characters, U+2028/U+2029, and replaces every ill-formed UTF-8 sequence
 * by U+FFFD, so the output is always valid JSON (RFC 8259) in UTF-8.
 *
 * Errors are sticky: the first failure (buffer cap reached, out of memory,
 * misuse such as a key inside an array) is stored in err, every later call
 * is a no-op, and hull_jw_finish returns -1. Writers can therefore emit a
 * whole document and check once. */
#ifndef HULL_REPORT_JSONW_H
#define HULL_REPORT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define HULL_JW_MAX_DEPTH 32

struct hull_jw {
	struct hull_buf *out; /* borrowed */
	struct hull_err *err; /* borrowed; may be NULL */
	int rc;               /* 0, or -1 once anything failed */
	unsigned depth;
	bool in_object[HULL_JW_MAX_DEPTH + 1];
	bool has_items[HULL_JW_MAX_DEPTH + 1];
	bool after_key; /* a key was written, its value is next */
	bool done;      /* the top-level value is complete */
	bool compact;   /* no newlines or indentation (hull_jw_init_compact) */
};

/* Starts a document appended to out (which is not reset). */
void hull_jw_init(struct hull_jw *w, struct hull_buf *out, struct hull_err *err);
/* The same, written on one line without spaces: for answers to programs
 * (the admission webhook, the Docker plugin) rather than reports. */
void hull_jw_init_compact(struct hull_jw *w, struct hull_buf *out, struct hull_err *err);

void hull_jw_obj_begin(struct hull_jw *w);
void hull_jw_obj_end(struct hull_jw *w);
void hull_jw_arr_begin(struct hull_jw *w);
void hull_jw_arr_end(struct hull_jw *w);
/* A member name inside an object; the next call writes its value. */
void hull_jw_key(struct hull_jw *w, const char *key);

/* Values. hull_jw_str(NULL) writes null. */
void hull_jw_str(struct hull_jw *w, const char *s);
void hull_jw_strn(struct hull_jw *w, const char *s, size_t len);
void hull_jw_int(struct hull_jw *w, int64_t v);
/* A number as "%.10g" (9.8, 10, 0.5); NaN and infinities write null. */
void hull_jw_num(struct hull_jw *w, double v);
void hull_jw_bool(struct hull_jw *w, bool v);
void hull_jw_null(struct hull_jw *w);

/* Shorthands for a member: key then value. The _opt form writes nothing
 * when s is NULL (the member is omitted rather than null). */
void hull_jw_kstr(struct hull_jw *w, const char *key, const char *s);
void hull_jw_kstr_opt(struct hull_jw *w, const char *key, const char *s);
void hull_jw_kint(struct hull_jw *w, const char *key, int64_t v);

/* Ends the document (with a newline unless compact). Returns 0, or -1 when any call failed
 * or containers are left open (err says which). */
int hull_jw_finish(struct hull_jw *w);

/* Appends s[0..len) to out as a quoted JSON string with the escaping and
 * U+FFFD replacement described above. */
int hull_json_quote(struct hull_buf *out, const char *s, size_t len, struct hull_err *err);

#endif
