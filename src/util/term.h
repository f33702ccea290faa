/* term: text from inputs made safe for a terminal, the one filter every
 * writer of human-readable output uses (report tables and Markdown,
 * network tables, DOT and explanations, the CLI's error and warning lines).
 *
 * Names, paths and values from images, manifests and hosts are arbitrary
 * bytes. Nothing of them reaches a terminal unfiltered: C0 controls, DEL
 * and C1 controls (an ESC, a CSI U+009B or an OSC could drive the
 * terminal: move the cursor, retitle the window, rewrite what was printed)
 * and bidirectional controls (U+061C, U+200E/F, U+202A..U+202E,
 * U+2066..U+2069: text that reads differently from what it is) each become
 * one '?'; ill-formed UTF-8 becomes U+FFFD (util/utf8.h). Everything else
 * is copied as it is. Widths are terminal columns (hull_utf8_width).
 *
 * Only text hull writes itself (colour codes, its own newlines) bypasses
 * this filter: callers format their own text and pass input-derived
 * values through here. */
#ifndef HULL_UTIL_TERM_H
#define HULL_UTIL_TERM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

/* The "…" that marks a cut, one column wide. */
#define HULL_TERM_ELLIPSIS "\xE2\x80\xA6"

/* True for the code points written as '?' (see above). */
bool hull_term_unsafe(uint32_t cp);

/* The next display character of s[*i..len) (*i < len): returns its bytes
 * (s itself, or tmp when replaced), sets *nb to their count, *width to its
 * columns and *cp (may be NULL) to the code point shown; advances *i. */
const char *hull_term_next(const char *s, size_t len, size_t *i, char tmp[4], size_t *nb,
                           int *width, uint32_t *cp);

/* Columns s (NUL-terminated, NULL counts as "") takes once filtered,
 * counted no further than limit + 1. */
size_t hull_term_width(const char *s, size_t limit);

/* Appends s[0..len) filtered. Errors: b's cap (HULL_ERR_LIMIT), OOM. */
int hull_term_append(struct hull_buf *b, const char *s, size_t len, struct hull_err *err);

/* Appends s (NULL: nothing) filtered in at most limit columns, "…" marking
 * a cut; *cols (may be NULL) gets the columns written. */
int hull_term_append_cut(struct hull_buf *b, const char *s, size_t limit, size_t *cols,
                         struct hull_err *err);

/* Appends s filtered, then spaces up to width columns (none when s is
 * wider): one cell of a table whose columns are never cut. */
int hull_term_append_cell(struct hull_buf *b, const char *s, size_t width, struct hull_err *err);

/* Formats like printf and appends the result filtered, whole: for a line
 * of hull's own printable text with input-derived values in it. fmt must
 * not hold newlines or other controls (they would be filtered too): append
 * those separately. */
int hull_term_printf(struct hull_buf *b, struct hull_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int hull_term_vprintf(struct hull_buf *b, struct hull_err *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* A filtered copy of s (NULL: "") in dst[cap] (cap > 0), cut at a
 * character boundary when it does not fit; returns dst. For text built
 * with snprintf. */
const char *hull_term_str(char *dst, size_t cap, const char *s);

/* Writes s (NUL-terminated) filtered to f. */
void hull_term_fputs(FILE *f, const char *s);

/* Writes s[0..len), a document of lines, to f: newlines and tabs are kept,
 * everything else is filtered. Returns 0, or -1 with errno set when f
 * fails. */
int hull_term_fwrite_lines(FILE *f, const char *s, size_t len);

#endif
