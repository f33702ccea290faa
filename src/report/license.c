#include "report/license.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

#define MAX_TOKENS 64
#define MAX_DEPTH  16

static const char *const known_ids[] = {
    "0BSD",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "Beerware",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CPL-1.0",
    "curl",
    "ECL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FSFAP",
    "FSFUL",
    "FSFULLR",
    "FTL",
    "GFDL-1.1-only",
    "GFDL-1.1-or-later",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "NCSA",
    "OFL-1.1",
    "OLDAP-2.8",
    "OpenSSL",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "TCL",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.0",
    "ZPL-2.1",
};

/* Deprecated SPDX ids and their replacements; with a trailing "+" the
 * "-or-later" form is used. */
static const struct {
	const char *old, *only, *later;
} gnu_aliases[] = {
    {"GPL-1.0", "GPL-1.0-only", "GPL-1.0-or-later"},
    {"GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later"},
    {"GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later"},
    {"LGPL-2.0", "LGPL-2.0-only", "LGPL-2.0-or-later"},
    {"LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later"},
    {"LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later"},
    {"AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later"},
    {"GFDL-1.1", "GFDL-1.1-only", "GFDL-1.1-or-later"},
    {"GFDL-1.2", "GFDL-1.2-only", "GFDL-1.2-or-later"},
    {"GFDL-1.3", "GFDL-1.3-only", "GFDL-1.3-or-later"},
};

static const char *const known_exceptions[] = {
    "Autoconf-exception-2.0",  "Autoconf-exception-3.0", "Bison-exception-2.2",
    "Classpath-exception-2.0", "eCos-exception-2.0",     "FLTK-exception",
    "Font-exception-2.0",      "GCC-exception-2.0",      "GCC-exception-3.1",
    "Libtool-exception",       "Linux-syscall-note",     "LLVM-exception",
    "LZMA-exception",          "mif-exception",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

size_t hull_license_known_ids(const char *const **ids)
{
	*ids = known_ids;
	return N(known_ids);
}

enum tok_kind { T_WORD, T_LPAREN, T_RPAREN, T_AND, T_OR, T_WITH };

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t len;
	bool plus;
};

static bool word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

static bool word_is(const struct tok *t, const char *w)
{
	return t->len == strlen(w) && !strncasecmp(t->p, w, t->len);
}

/* Splits s into tokens; false on a character no expression contains. */
static bool tokenize(const char *s, struct tok *toks, size_t *n)
{
	*n = 0;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
			continue;
		}
		if (*n == MAX_TOKENS)
			return false;
		struct tok *t = &toks[(*n)++];
		memset(t, 0, sizeof(*t));
		t->p = s;
		if (*s == '(' || *s == ')') {
			t->kind = *s == '(' ? T_LPAREN : T_RPAREN;
			t->len = 1;
			s++;
			continue;
		}
		if (!word_char(*s))
			return false;
		while (word_char(*s))
			s++;
		t->len = (size_t)(s - t->p);
		if (*s == '+') {
			t->plus = true;
			s++;
		}
		t->kind = T_WORD;
		if (!t->plus) {
			if (word_is(t, "AND"))
				t->kind = T_AND;
			else if (word_is(t, "OR"))
				t->kind = T_OR;
			else if (word_is(t, "WITH"))
				t->kind = T_WITH;
		}
	}
	return *n > 0;
}

static const char *lookup(const char *const *table, size_t n, const struct tok *t)
{
	for (size_t i = 0; i < n; i++)
		if (word_is(t, table[i]))
			return table[i];
	return NULL;
}

struct parser {
	const struct tok *toks;
	size_t n, pos;
	unsigned depth;
	struct hull_buf *out;
	struct hull_err *err;
	int rc; /* -1 after an allocation failure */
	bool compound;
};

static void emit(struct parser *ps, const char *s)
{
	if (ps->rc == 0 && hull_buf_append_str(ps->out, s, ps->err) < 0)
		ps->rc = -1;
}

static bool parse_or(struct parser *ps);

static bool parse_license(struct parser *ps)
{
	const struct tok *t = &ps->toks[ps->pos];
	const char *id = lookup(known_ids, N(known_ids), t);
	if (id) {
		emit(ps, id);
		if (t->plus) {
			emit(ps, "+");
			ps->compound = true;
		}
		ps->pos++;
		return true;
	}
	for (size_t i = 0; i < N(gnu_aliases); i++) {
		if (word_is(t, gnu_aliases[i].old)) {
			emit(ps, t->plus ? gnu_aliases[i].later : gnu_aliases[i].only);
			ps->pos++;
			return true;
		}
	}
	return false;
}

static bool parse_primary(struct parser *ps)
{
	if (ps->pos >= ps->n)
		return false;
	const struct tok *t = &ps->toks[ps->pos];
	if (t->kind == T_LPAREN) {
		if (++ps->depth > MAX_DEPTH)
			return false;
		ps->pos++;
		ps->compound = true;
		emit(ps, "(");
		if (!parse_or(ps) || ps->pos >= ps->n || ps->toks[ps->pos].kind != T_RPAREN)
			return false;
		ps->pos++;
		ps->depth--;
		emit(ps, ")");
		return true;
	}
	if (t->kind != T_WORD || !parse_license(ps))
		return false;
	if (ps->pos < ps->n && ps->toks[ps->pos].kind == T_WITH) {
		ps->pos++;
		if (ps->pos >= ps->n || ps->toks[ps->pos].kind != T_WORD || ps->toks[ps->pos].plus)
			return false;
		const char *exc = lookup(known_exceptions, N(known_exceptions), &ps->toks[ps->pos]);
		if (!exc)
			return false;
		ps->pos++;
		ps->compound = true;
		emit(ps, " WITH ");
		emit(ps, exc);
	}
	return true;
}

static bool parse_binary(struct parser *ps, enum tok_kind op)
{
	if (!(op == T_AND ? parse_primary(ps) : parse_binary(ps, T_AND)))
		return false;
	while (ps->pos < ps->n && ps->toks[ps->pos].kind == op) {
		ps->pos++;
		ps->compound = true;
		emit(ps, op == T_AND ? " AND " : " OR ");
		if (!(op == T_AND ? parse_primary(ps) : parse_binary(ps, T_AND)))
			return false;
	}
	return true;
}

static bool parse_or(struct parser *ps)
{
	return parse_binary(ps, T_OR);
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int hull_license_classify(const char *s, char **canon, struct hull_err *err)
{
	*canon = NULL;
	if (blank(s))
		return HULL_LICENSE_NONE;
	struct tok toks[MAX_TOKENS];
	size_t n;
	if (!tokenize(s, toks, &n))
		return HULL_LICENSE_OTHER;
	struct hull_buf out;
	hull_buf_init(&out, 4096);
	struct parser ps = {.toks = toks, .n = n, .out = &out, .err = err};
	bool ok = parse_or(&ps) && ps.pos == n;
	if (ps.rc < 0) {
		hull_buf_release(&out);
		return -1;
	}
	if (!ok) {
		hull_buf_release(&out);
		return HULL_LICENSE_OTHER;
	}
	*canon = hull_buf_detach(&out, NULL);
	if (!*canon)
		return hull_err_nomem(err);
	return ps.compound ? HULL_LICENSE_EXPRESSION : HULL_LICENSE_ID;
}
