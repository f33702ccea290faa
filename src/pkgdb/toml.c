/* toml: the lockfile TOML reader (toml.h). */
#include "pkgdb/toml.h"

#include <string.h>

#include "util/limits.h"

void hull_toml_init(struct hull_toml *t, struct hull_str data, const char *file)
{
	t->rest = data;
	t->line = 0;
	t->file = file;
}

static void skip_blank(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* Moves *p past a string starting at *p (its quote); counts newlines of
 * multi-line strings into *lines. false when it does not end. */
static bool skip_string(const char **p, const char *end, unsigned *lines)
{
	char q = **p;
	bool multi = end - *p >= 3 && (*p)[1] == q && (*p)[2] == q;
	const char *s = *p + (multi ? 3 : 1);
	while (s < end) {
		if (q == '"' && *s == '\\') {
			if (s + 1 < end && s[1] == '\n')
				(*lines)++;
			s += 2;
			continue;
		}
		if (*s == '\n') {
			if (!multi)
				return false;
			(*lines)++;
		}
		if (*s == q) {
			if (!multi) {
				*p = s + 1;
				return true;
			}
			if (end - s >= 3 && s[1] == q && s[2] == q) {
				/* up to two more quotes belong to the string */
				s += 3;
				while (s < end && *s == q)
					s++;
				*p = s;
				return true;
			}
		}
		s++;
	}
	return false;
}

/* Moves *p past the value starting at *p: a string, an array or inline
 * table (balanced, strings and comments inside skipped), or a bare word up
 * to the end of the line or a comment. */
static bool skip_value(const char **p, const char *end, unsigned *lines)
{
	const char *s = *p;
	if (s < end && (*s == '"' || *s == '\''))
		return skip_string(p, end, lines);
	if (s < end && (*s == '[' || *s == '{')) {
		unsigned depth = 0;
		while (s < end) {
			char c = *s;
			if (c == '"' || c == '\'') {
				if (!skip_string(&s, end, lines))
					return false;
				continue;
			}
			if (c == '#') {
				while (s < end && *s != '\n')
					s++;
				continue;
			}
			if (c == '\n')
				(*lines)++;
			if (c == '[' || c == '{') {
				if (++depth > HULL_MAX_DEPTH)
					return false;
			} else if (c == ']' || c == '}') {
				if (--depth == 0) {
					*p = s + 1;
					return true;
				}
			}
			s++;
		}
		return false;
	}
	while (s < end && *s != '\n' && *s != '#')
		s++;
	while (s > *p && (s[-1] == ' ' || s[-1] == '\t' || s[-1] == '\r'))
		s--;
	*p = s;
	return true;
}

/* The rest of the line after an item: blanks and maybe a comment. */
static bool line_end(const char **p, const char *end)
{
	skip_blank(p, end);
	if (*p < end && **p == '#')
		while (*p < end && **p != '\n')
			(*p)++;
	if (*p < end && **p == '\r')
		(*p)++;
	if (*p == end)
		return true;
	if (**p != '\n')
		return false;
	(*p)++;
	return true;
}

static struct hull_str one_line_string(struct hull_str v)
{
	if (v.len < 2 || (v.ptr[0] != '"' && v.ptr[0] != '\'') || v.ptr[v.len - 1] != v.ptr[0])
		return hull_str(NULL, 0);
	if (v.len >= 6 && v.ptr[1] == v.ptr[0] && v.ptr[2] == v.ptr[0]) {
		/* a multi-line string written on one line (version = """1.7.2""")
		 * is that text; one that spans lines, escapes or holds its quote
		 * is not read */
		struct hull_str in = hull_str(v.ptr + 3, v.len - 6);
		if (v.ptr[v.len - 2] != v.ptr[0] || v.ptr[v.len - 3] != v.ptr[0] ||
		    memchr(in.ptr, '\n', in.len) || memchr(in.ptr, '\\', in.len) ||
		    memchr(in.ptr, v.ptr[0], in.len))
			return hull_str(NULL, 0);
		return in;
	}
	struct hull_str in = hull_str(v.ptr + 1, v.len - 2);
	if (v.ptr[0] == '"' && memchr(in.ptr, '\\', in.len))
		return hull_str(NULL, 0);
	return in;
}

int hull_toml_next(struct hull_toml *t, struct hull_toml_item *it, struct hull_err *err)
{
	memset(it, 0, sizeof(*it));
	const char *p = t->rest.ptr, *end = t->rest.ptr + t->rest.len;
	for (;;) {
		if (p >= end) {
			t->rest = hull_str(end, 0);
			it->kind = HULL_TOML_END;
			return 0;
		}
		t->line++;
		skip_blank(&p, end);
		if (p == end)
			continue; /* blanks at the end of the input */
		if (*p == '\n' || *p == '#' || *p == '\r') {
			if (!line_end(&p, end))
				break;
			continue;
		}
		it->line = t->line;
		if (*p == '[') {
			bool array = end - p >= 2 && p[1] == '[';
			const char *s = p + (array ? 2 : 1), *close = s;
			while (close < end && *close != ']' && *close != '\n')
				close++;
			if (close == end || *close != ']' ||
			    (array && (end - close < 2 || close[1] != ']')))
				break;
			it->kind = HULL_TOML_TABLE;
			it->array = array;
			it->table = hull_str_trim(hull_str(s, (size_t)(close - s)));
			p = close + (array ? 2 : 1);
			if (!line_end(&p, end))
				break;
			t->rest = hull_str(p, (size_t)(end - p));
			return 0;
		}
		/* key = value */
		const char *ks = p, *ke;
		if (*p == '"' || *p == '\'') {
			unsigned dummy = 0;
			if (!skip_string(&p, end, &dummy))
				break;
			ke = p;
		} else {
			while (p < end && *p != '=' && *p != '\n')
				p++;
			ke = p;
		}
		while (p < end && *p != '=' && *p != '\n')
			p++;
		if (p == end || *p != '=')
			break;
		struct hull_str key = hull_str_trim(hull_str(ks, (size_t)(ke - ks)));
		if (key.len >= 2 && (key.ptr[0] == '"' || key.ptr[0] == '\''))
			key = hull_str(key.ptr + 1, key.len - 2);
		p++;
		skip_blank(&p, end);
		const char *vs = p;
		unsigned lines = 0;
		if (!skip_value(&p, end, &lines)) {
			hull_err_set(err, HULL_ERR_INPUT, "%s: line %u: value does not end",
			             t->file, it->line);
			return -1;
		}
		it->kind = HULL_TOML_KEY;
		it->key = key;
		it->value = hull_str(vs, (size_t)(p - vs));
		it->str = one_line_string(it->value);
		t->line += lines;
		if (!line_end(&p, end))
			break;
		t->rest = hull_str(p, (size_t)(end - p));
		return 0;
	}
	return hull_err_set(err, HULL_ERR_INPUT, "%s: line %u: expected a table or key = value",
	                    t->file, t->line);
}

struct hull_str hull_toml_inline_get(struct hull_str tbl, const char *key)
{
	if (!tbl.ptr)
		return hull_str(NULL, 0);
	size_t k = strlen(key);
	const char *p = tbl.ptr, *end = tbl.ptr + tbl.len;
	if (p < end && *p == '{')
		p++;
	while (p < end) {
		while (p < end &&
		       (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n' || *p == '\r'))
			p++;
		const char *ks = p;
		while (p < end && *p != '=' && *p != '}')
			p++;
		if (p == end || *p == '}')
			break;
		struct hull_str name = hull_str_trim(hull_str(ks, (size_t)(p - ks)));
		p++;
		skip_blank(&p, end);
		const char *vs = p;
		unsigned lines = 0;
		if (!skip_value(&p, end, &lines))
			break;
		/* a bare value ends at ',' or '}' too */
		if (vs < end && *vs != '"' && *vs != '\'' && *vs != '[' && *vs != '{') {
			p = vs;
			while (p < end && *p != ',' && *p != '}')
				p++;
		}
		if (name.len == k && !memcmp(name.ptr, key, k)) {
			struct hull_str v = hull_str_trim(hull_str(vs, (size_t)(p - vs)));
			struct hull_str s = one_line_string(v);
			return s.ptr ? s : v;
		}
	}
	return hull_str(NULL, 0);
}

int hull_toml_packages(struct hull_str data, const char *file,
                       int (*fn)(const struct hull_toml_package *p, void *ctx,
                                 struct hull_err *err),
                       void *ctx, struct hull_err *err)
{
	struct hull_toml t;
	struct hull_toml_item it;
	struct hull_toml_package pkg = {0};
	/* where the current key lands: 0 elsewhere, 1 the package, 2 its source */
	int where = 0;
	bool open = false;
	hull_toml_init(&t, data, file);
	for (;;) {
		if (hull_toml_next(&t, &it, err) < 0)
			return -1;
		if (it.kind != HULL_TOML_KEY && open &&
		    (it.kind == HULL_TOML_END ||
		     !(hull_str_has_prefix(it.table, "package.") ||
		       hull_str_has_prefix(it.table, "distribution.")))) {
			open = false;
			if (fn(&pkg, ctx, err) < 0)
				return -1;
		}
		if (it.kind == HULL_TOML_END)
			return 0;
		if (it.kind == HULL_TOML_TABLE) {
			if (it.array && (hull_str_eq_c(it.table, "package") ||
			                 hull_str_eq_c(it.table, "distribution"))) {
				pkg = (struct hull_toml_package){.line = it.line};
				open = true;
				where = 1;
			} else if (open && (hull_str_eq_c(it.table, "package.source") ||
			                    hull_str_eq_c(it.table, "distribution.source"))) {
				where = 2;
			} else {
				where = 0;
			}
			continue;
		}
		if (where == 1 && hull_str_eq_c(it.key, "name"))
			pkg.name = it.str;
		else if (where == 1 && hull_str_eq_c(it.key, "version"))
			pkg.version = it.str;
		else if (where == 1 && hull_str_eq_c(it.key, "source"))
			pkg.source = it.str.ptr ? it.str : it.value;
		else if (where == 2 && hull_str_eq_c(it.key, "type"))
			pkg.source_type = it.str;
	}
}
