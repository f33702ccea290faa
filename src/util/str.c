#include "util/str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool hull_str_eq(struct hull_str a, struct hull_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool hull_str_eq_c(struct hull_str a, const char *cstr)
{
	return hull_str_eq(a, hull_str_c(cstr));
}

bool hull_str_has_prefix(struct hull_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

bool hull_str_has_suffix(struct hull_str s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.len >= n && memcmp(s.ptr + s.len - n, suffix, n) == 0;
}

bool hull_str_name_has_ext(const char *name, const char *const *suffixes, size_t n)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++) {
		size_t e = strlen(suffixes[i]);
		if (len > e && !strcasecmp(name + len - e, suffixes[i]))
			return true;
	}
	return false;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool hull_str_eq_nocase(struct hull_str a, const char *cstr)
{
	size_t n = strlen(cstr);
	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a.ptr[i]) != ascii_lower(cstr[i]))
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct hull_str hull_str_trim(struct hull_str s)
{
	while (s.len && is_blank(s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && is_blank(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

bool hull_str_next_line(struct hull_str *rest, struct hull_str *line)
{
	if (rest->len == 0)
		return false;
	const char *nl = memchr(rest->ptr, '\n', rest->len);
	size_t n = nl ? (size_t)(nl - rest->ptr) : rest->len;
	*line = hull_str(rest->ptr, n);
	if (line->len && line->ptr[line->len - 1] == '\r')
		line->len--;
	size_t consumed = nl ? n + 1 : n;
	rest->ptr += consumed;
	rest->len -= consumed;
	return true;
}

long hull_str_index(struct hull_str s, char c)
{
	const char *p = s.len ? memchr(s.ptr, c, s.len) : NULL;
	return p ? (long)(p - s.ptr) : -1;
}

bool hull_str_split(struct hull_str s, char c, struct hull_str *left, struct hull_str *right)
{
	long i = hull_str_index(s, c);
	if (i < 0) {
		*left = s;
		*right = hull_str(s.ptr + s.len, 0);
		return false;
	}
	*left = hull_str(s.ptr, (size_t)i);
	*right = hull_str(s.ptr + i + 1, s.len - (size_t)i - 1);
	return true;
}

char *hull_str_dup(struct hull_str s)
{
	char *p = malloc(s.len + 1);
	if (!p)
		return NULL;
	if (s.len)
		memcpy(p, s.ptr, s.len);
	p[s.len] = '\0';
	return p;
}

int hull_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
