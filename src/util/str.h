/* str: non-owning byte slices (ptr, len), passed by value.
 *
 * A slice never owns its bytes and is never assumed NUL-terminated; all
 * parsing of untrusted text in hull goes through slices so that no parser
 * can read past its input. */
#ifndef HULL_UTIL_STR_H
#define HULL_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct hull_str {
	const char *ptr;
	size_t len;
};

#define HULL_STR_LIT(lit) ((struct hull_str){(lit), sizeof(lit) - 1})

static inline struct hull_str hull_str(const char *ptr, size_t len)
{
	return (struct hull_str){ptr, len};
}

static inline struct hull_str hull_str_c(const char *cstr)
{
	return (struct hull_str){cstr, cstr ? strlen(cstr) : 0};
}

bool hull_str_eq(struct hull_str a, struct hull_str b);
bool hull_str_eq_c(struct hull_str a, const char *cstr);
bool hull_str_has_prefix(struct hull_str s, const char *prefix);
bool hull_str_has_suffix(struct hull_str s, const char *suffix);
/* Whether the file name name (NUL-terminated) ends in one of the n
 * suffixes, ASCII case ignored, after at least one other character (".json"
 * alone does not): the one test of "a file of these kinds" by its name. */
bool hull_str_name_has_ext(const char *name, const char *const *suffixes, size_t n);
/* ASCII case-insensitive comparison. */
bool hull_str_eq_nocase(struct hull_str a, const char *cstr);

/* Removes ASCII spaces, tabs, CR and LF from both ends. */
struct hull_str hull_str_trim(struct hull_str s);

/* Takes the next line off *rest (without the '\n' and a trailing '\r').
 * Returns false when *rest is empty. */
bool hull_str_next_line(struct hull_str *rest, struct hull_str *line);

/* Splits s at the first c: *left before it, *right after it. Returns false
 * (and leaves *left = s, *right empty) when c does not occur. */
bool hull_str_split(struct hull_str s, char c, struct hull_str *left, struct hull_str *right);

/* Index of the first c in s, or -1. */
long hull_str_index(struct hull_str s, char c);

/* A malloc'ed NUL-terminated copy (caller frees), or NULL when out of
 * memory. Embedded NULs are kept, so the C string may look shorter. */
char *hull_str_dup(struct hull_str s);

/* The value of a hexadecimal digit (either case), -1 for any other char. */
int hull_hex_digit(char c);

#endif
