/* A JSON scanner that walks the members of the top-level object without
 * building them, so that a feed of hundreds of megabytes (the Debian
 * tracker document) is parsed one member at a time in bounded memory. */
#include <limits.h>
#include <string.h>

#include "util/json.h"
#include "vulndb/internal.h"
#include "util/str.h"

static void skip_ws(const char *d, size_t len, size_t *pos)
{
	while (*pos < len &&
	       (d[*pos] == ' ' || d[*pos] == '\t' || d[*pos] == '\n' || d[*pos] == '\r'))
		(*pos)++;
}

/* *pos at the opening quote; leaves it after the closing quote. */
static bool skip_string(const char *d, size_t len, size_t *pos)
{
	size_t i = *pos + 1;
	while (i < len) {
		char c = d[i];
		if (c == '"') {
			*pos = i + 1;
			return true;
		}
		if (c == '\\') {
			i += 2;
			continue;
		}
		if ((unsigned char)c < 0x20)
			break;
		i++;
	}
	*pos = i < len ? i : len;
	return false;
}

bool vdb_json_skip_value(const char *d, size_t len, size_t *pos)
{
	skip_ws(d, len, pos);
	if (*pos >= len)
		return false;
	char c = d[*pos];
	if (c == '"')
		return skip_string(d, len, pos);
	if (c != '{' && c != '[') {
		/* a number or a literal: up to the next delimiter; json-c
		 * checks it when the member is parsed */
		size_t start = *pos;
		while (*pos < len && !strchr(",}] \t\r\n", d[*pos]))
			(*pos)++;
		return *pos > start;
	}
	unsigned depth = 0;
	while (*pos < len) {
		c = d[*pos];
		if (c == '"') {
			if (!skip_string(d, len, pos))
				return false;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > HULL_MAX_DEPTH)
				return false;
		} else if (c == '}' || c == ']') {
			if (--depth == 0) {
				(*pos)++;
				return true;
			}
		}
		(*pos)++;
	}
	return false;
}

int vdb_json_next_member(const char *d, size_t len, size_t *pos, struct hull_str *key,
                         size_t *val_off, size_t *val_len)
{
	skip_ws(d, len, pos);
	if (*pos >= len)
		return -1;
	if (d[*pos] == '{') {
		(*pos)++;
		skip_ws(d, len, pos);
		if (*pos < len && d[*pos] == '}') {
			(*pos)++;
			return 0;
		}
	} else if (d[*pos] == ',') {
		(*pos)++;
		skip_ws(d, len, pos);
	} else if (d[*pos] == '}') {
		(*pos)++;
		skip_ws(d, len, pos);
		return *pos == len ? 0 : -1;
	} else {
		return -1;
	}
	if (*pos >= len || d[*pos] != '"')
		return -1;
	size_t kstart = *pos;
	if (!skip_string(d, len, pos))
		return -1;
	*key = hull_str(d + kstart + 1, *pos - kstart - 2);
	skip_ws(d, len, pos);
	if (*pos >= len || d[*pos] != ':')
		return -1;
	(*pos)++;
	skip_ws(d, len, pos);
	size_t vstart = *pos;
	if (!vdb_json_skip_value(d, len, pos))
		return -1;
	*val_off = vstart;
	*val_len = *pos - vstart;
	skip_ws(d, len, pos);
	if (*pos >= len || (d[*pos] != ',' && d[*pos] != '}'))
		return -1;
	return 1;
}

static bool put(char *out, size_t cap, size_t *k, char c)
{
	if (*k + 1 >= cap)
		return false;
	out[(*k)++] = c;
	return true;
}

bool vdb_json_unescape(struct hull_str raw, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.ptr[i];
		if (c != '\\') {
			if (!put(out, cap, &k, c))
				return false;
			continue;
		}
		if (++i >= raw.len)
			return false;
		c = raw.ptr[i];
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *p = strchr(from, c);
		if (p && c) {
			if (!put(out, cap, &k, to[p - from]))
				return false;
			continue;
		}
		if (c != 'u' || raw.len - i < 5)
			return false;
		unsigned cp = 0;
		for (int j = 1; j <= 4; j++) {
			int h = hull_hex_digit(raw.ptr[i + j]);
			if (h < 0)
				return false;
			cp = cp * 16 + (unsigned)h;
		}
		i += 4;
		if (cp >= 0xd800 && cp <= 0xdfff) /* surrogates: never in names */
			return false;
		if (cp < 0x80) {
			if (!cp || !put(out, cap, &k, (char)cp))
				return false;
		} else if (cp < 0x800) {
			if (!put(out, cap, &k, (char)(0xc0 | (cp >> 6))) ||
			    !put(out, cap, &k, (char)(0x80 | (cp & 0x3f))))
				return false;
		} else {
			if (!put(out, cap, &k, (char)(0xe0 | (cp >> 12))) ||
			    !put(out, cap, &k, (char)(0x80 | ((cp >> 6) & 0x3f))) ||
			    !put(out, cap, &k, (char)(0x80 | (cp & 0x3f))))
				return false;
		}
	}
	out[k] = 0;
	return true;
}

int vdb_json_parse_at(const struct vdb_doc *doc, size_t off, size_t n, struct json_object **out,
                      struct hull_err *err)
{
	return hull_json_parse_at(doc->data, doc->len, off, n, doc->name, out, err);
}
