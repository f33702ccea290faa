/* utf8: decoding untrusted bytes as UTF-8, for every writer of text.
 *
 * Strings from images (package names, versions, licences, paths) are
 * arbitrary bytes. Every writer that must emit text (JSON, a terminal table,
 * a purl) walks them with hull_utf8_next, which never reads past len and
 * turns each ill-formed sequence into U+FFFD, one per "maximal subpart" as
 * the Unicode standard (chapter 3, "U+FFFD substitution") recommends, so
 * the output is always valid UTF-8. */
#ifndef HULL_UTIL_UTF8_H
#define HULL_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HULL_UTF8_REPLACEMENT 0xFFFDu

/* Decodes the code point at s[0..len) (len > 0). Returns the number of
 * bytes consumed (1..4, never more than len) and sets *cp; an ill-formed
 * sequence (overlong, surrogate, past U+10FFFF, truncated, stray
 * continuation byte) sets *cp to U+FFFD and *valid to false. */
size_t hull_utf8_next(const char *s, size_t len, uint32_t *cp, bool *valid);

/* Writes cp (<= U+10FFFF) as UTF-8 into out (4 bytes room); returns the length. */
size_t hull_utf8_encode(uint32_t cp, char out[4]);

/* True when all of s[0..len) is well-formed UTF-8. */
bool hull_utf8_valid(const char *s, size_t len);

/* Terminal columns taken by cp: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide and emoji ranges, else 1. Control
 * characters must be replaced by the caller before asking. */
int hull_utf8_width(uint32_t cp);

#endif
