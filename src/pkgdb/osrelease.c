/* os-release(5): newline-separated KEY=VALUE assignments in a shell-like
 * syntax. Values may be double-quoted (backslash escapes \\ \" \$ \`),
 * single-quoted (no escapes) or bare (a backslash escapes the next byte).
 * Blank lines and lines starting with '#' are ignored. */
#include <stdlib.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"

/* os-release files are a few hundred bytes; anything far larger is not one. */
#define OSRELEASE_MAX_SIZE  (64u << 10)
#define OSRELEASE_MAX_VALUE 4096u

static bool key_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

static bool valid_key(struct hull_str k)
{
	if (!k.len)
		return false;
	for (size_t i = 0; i < k.len; i++)
		if (!key_char(k.ptr[i], i == 0))
			return false;
	return true;
}

static bool only_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* Unquotes v into out. Returns NULL on success, else what is wrong. */
static const char *unquote(struct hull_str v, struct hull_buf *out, struct hull_err *err, int *oom)
{
	size_t i = 0;
	char q = v.len && (v.ptr[0] == '"' || v.ptr[0] == '\'') ? v.ptr[0] : 0;
	if (q)
		i = 1;
	for (; i < v.len; i++) {
		char c = v.ptr[i];
		if (q && c == q) {
			if (!only_blank(v.ptr + i + 1, v.len - i - 1))
				return "text after the closing quote";
			return NULL;
		}
		if (!q && (c == ' ' || c == '\t'))
			return "unquoted value with blanks";
		if (c == '\\' && q != '\'' && i + 1 < v.len) {
			char n = v.ptr[i + 1];
			/* inside double quotes only these are escapes */
			if (!q || n == '\\' || n == '"' || n == '$' || n == '`') {
				c = n;
				i++;
			}
		}
		if (hull_buf_putc(out, c, err) < 0) {
			*oom = err->kind == HULL_ERR_NOMEM;
			return "value too long";
		}
	}
	return q ? "missing closing quote" : NULL;
}

static char **field_for(struct hull_os *os, struct hull_str key, char **version)
{
	if (hull_str_eq_c(key, "ID"))
		return &os->id;
	if (hull_str_eq_c(key, "VERSION_ID"))
		return &os->version_id;
	if (hull_str_eq_c(key, "VERSION_CODENAME"))
		return &os->codename;
	if (hull_str_eq_c(key, "PRETTY_NAME"))
		return &os->pretty_name;
	if (hull_str_eq_c(key, "ID_LIKE"))
		return &os->id_like;
	if (hull_str_eq_c(key, "PLATFORM_ID"))
		return &os->platform_id;
	if (hull_str_eq_c(key, "VERSION"))
		return version;
	return NULL;
}

/* VERSION="12 (bookworm)" -> "bookworm"; VERSION="22.04 LTS (Jammy
 * Jellyfish)" -> "jammy": the first word, lowercased, as codenames are. */
static int codename_from_version(const char *version, char **codename, struct hull_err *err)
{
	const char *open = strchr(version, '(');
	const char *close = open ? strchr(open, ')') : NULL;
	if (!close)
		return 0;
	struct hull_str inner = hull_str_trim(hull_str(open + 1, (size_t)(close - open - 1)));
	struct hull_str word, rest;
	hull_str_split(inner, ' ', &word, &rest);
	if (!word.len)
		return 0;
	char *c = hull_str_dup(word);
	if (!c)
		return hull_err_nomem(err);
	for (char *p = c; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	*codename = c;
	return 0;
}

static int assign(struct hull_os *os, struct hull_str key, struct hull_str raw, char **version,
                  struct hull_buf *val, struct hull_pkgdb_problems *probs, const char *file,
                  size_t lineno, struct hull_err *err)
{
	char **dst = field_for(os, key, version);
	if (!dst)
		return 0;
	hull_buf_reset(val);
	int oom = 0;
	const char *why = unquote(raw, val, err, &oom);
	if (oom)
		return -1;
	if (!why && !hull_pkgdb_printable(hull_buf_str(val)))
		why = "control character in value";
	if (why) {
		hull_pkgdb_problem(probs, "%s: line %zu: %.*s: %s", file, lineno, (int)key.len,
		                   key.ptr, why);
		return 0;
	}
	char *copy = hull_str_dup(hull_buf_str(val));
	if (!copy)
		return hull_err_nomem(err);
	free(*dst);
	*dst = copy;
	return 0;
}

static int parse_lines(struct hull_str data, const char *file, struct hull_os *os, char **version,
                       struct hull_pkgdb_problems *probs, struct hull_err *err)
{
	struct hull_buf val;
	hull_buf_init(&val, OSRELEASE_MAX_VALUE);
	struct hull_str rest = data, line;
	size_t lineno = 0;
	int rc = 0;
	while (rc == 0 && hull_str_next_line(&rest, &line)) {
		lineno++;
		line = hull_str_trim(line);
		if (!line.len || line.ptr[0] == '#')
			continue;
		struct hull_str key, raw;
		if (!hull_str_split(line, '=', &key, &raw) || !valid_key(key)) {
			hull_pkgdb_problem(probs, "%s: line %zu: expected KEY=VALUE", file, lineno);
			continue;
		}
		rc = assign(os, key, raw, version, &val, probs, file, lineno, err);
	}
	hull_buf_release(&val);
	return rc;
}

int hull_osrelease_parse(struct hull_str data, const char *file, struct hull_os *os,
                         struct hull_err *err)
{
	if (data.len > OSRELEASE_MAX_SIZE)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: %zu bytes, more than an os-release",
		                    file, data.len);
	char *src = strdup(file);
	if (!src)
		return hull_err_nomem(err);
	free(os->source_file);
	os->source_file = src;
	struct hull_pkgdb_problems probs = {0};
	char *version = NULL;
	int rc = parse_lines(data, file, os, &version, &probs, err);
	if (rc == 0 && !os->codename && version)
		rc = codename_from_version(version, &os->codename, err);
	free(version);
	if (rc < 0)
		return rc;
	return hull_pkgdb_problems_finish(&probs, err);
}
