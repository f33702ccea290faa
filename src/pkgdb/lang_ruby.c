/* ruby: installed gem specifications and Gemfile.lock.
 *
 * Specifications (GEM_HOME/specifications/<name>-<version>.gemspec) are
 * Ruby source written by Gem::Specification#to_ruby: one assignment per
 * line, `s.name = "rack".freeze`, `s.version = "2.2.22"`,
 * `s.licenses = ["MIT".freeze]`, `s.platform = "x86_64-linux".freeze`;
 * older RubyGems wrote %q{...} literals. The file is never evaluated: only
 * those assignments with a plain string literal (or an array of them) are
 * read, the first of each kind counts, and a name or version that is not a
 * literal is a problem, not a guess.
 *
 * Gemfile.lock (and gems.locked), as Bundler's LockfileParser reads it:
 * sections open at column 0; in GEM, GIT, PATH and PLUGIN SOURCE, the
 * lines indented by four spaces under "specs:" are `name (version)` or
 * `name (version-platform)` (the version ends at the first '-'), those
 * indented by six are their dependencies. The source of each gem is kept in
 * props (gem:source rubygems/git/path/plugin, gem:remote, gem:revision for
 * git); a platform other than "ruby" becomes the arch. PLATFORMS,
 * DEPENDENCIES, CHECKSUMS, RUBY VERSION and BUNDLED WITH list no installed
 * gem. A lock lists each name@version once. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"

#define GEM_LICENSE_MAX 4096u
#define GEM_PROPS_MAX   4096u
#define GEM_NAME_MAX    256u

static bool gem_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* RubyGems' name rule (Gem::Specification#validate): letters, digits,
 * '-', '_' and '.', and at least one letter. */
static bool valid_gem_name(struct hull_str n)
{
	if (!n.len || n.len > GEM_NAME_MAX)
		return false;
	bool letter = false;
	for (size_t i = 0; i < n.len; i++) {
		if (!gem_name_char(n.ptr[i]))
			return false;
		letter |= (n.ptr[i] | 0x20) >= 'a' && (n.ptr[i] | 0x20) <= 'z';
	}
	return letter;
}

static bool valid_version(struct hull_str v)
{
	if (!v.len || !hull_pkgdb_printable(v))
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ' || v.ptr[i] == '(' || v.ptr[i] == ')')
			return false;
	return true;
}

/* ---- gemspec ---- */

/* A Ruby string literal at s[*i]: "...", '...', %q{...}, %q(...), %q<...>,
 * %q[...], %{...}, %Q{...}, then an optional ".freeze". The literal's bytes
 * must contain no escape (gem names, versions and license ids never do);
 * *out is a slice of s. */
static bool string_literal(struct hull_str s, size_t *i, struct hull_str *out)
{
	size_t p = *i;
	char close;
	if (p < s.len && (s.ptr[p] == '"' || s.ptr[p] == '\'')) {
		close = s.ptr[p++];
	} else if (p + 1 < s.len && s.ptr[p] == '%') {
		p++;
		if (s.ptr[p] == 'q' || s.ptr[p] == 'Q')
			p++;
		if (p >= s.len)
			return false;
		char open = s.ptr[p++];
		close = open == '{'   ? '}'
		        : open == '(' ? ')'
		        : open == '<' ? '>'
		        : open == '[' ? ']'
		                      : 0;
		if (!close)
			return false;
	} else {
		return false;
	}
	size_t st = p;
	while (p < s.len && s.ptr[p] != close) {
		if (s.ptr[p] == '\\' || (close == '"' && s.ptr[p] == '#'))
			return false; /* an escape or an interpolation: not a plain literal */
		p++;
	}
	if (p >= s.len)
		return false;
	*out = hull_str(s.ptr + st, p - st);
	p++;
	if (s.len - p >= 7 && memcmp(s.ptr + p, ".freeze", 7) == 0)
		p += 7;
	*i = p;
	return true;
}

static size_t skip_blanks(struct hull_str s, size_t i)
{
	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
		i++;
	return i;
}

/* "<ident>.<key> = " at the start of a trimmed line: the offset of the
 * value, or 0. */
static size_t assignment(struct hull_str line, const char *key)
{
	size_t i = 0;
	while (i < line.len &&
	       (gem_name_char(line.ptr[i]) && line.ptr[i] != '.' && line.ptr[i] != '-'))
		i++;
	if (i == 0 || i >= line.len || line.ptr[i] != '.')
		return 0;
	i++;
	size_t k = strlen(key);
	if (line.len - i < k || memcmp(line.ptr + i, key, k) != 0)
		return 0;
	i = skip_blanks(line, i + k);
	if (i >= line.len || line.ptr[i] != '=' || (i + 1 < line.len && line.ptr[i + 1] == '='))
		return 0;
	return skip_blanks(line, i + 1);
}

/* ["MIT".freeze, "Ruby".freeze] or one literal, joined into b. */
static int read_licenses(struct hull_str line, size_t i, struct hull_buf *b, struct hull_err *err)
{
	bool array = i < line.len && line.ptr[i] == '[';
	if (array)
		i++;
	for (;;) {
		i = skip_blanks(line, i);
		struct hull_str l;
		if (!string_literal(line, &i, &l))
			return 0;
		l = hull_str_trim(l);
		if (l.len && hull_pkgdb_printable(l)) {
			if (b->len && hull_buf_append_str(b, ", ", err) < 0)
				return -1;
			if (hull_buf_append(b, l.ptr, l.len, err) < 0)
				return -1;
		}
		i = skip_blanks(line, i);
		if (!array || i >= line.len || line.ptr[i] != ',')
			return 0;
		i++;
	}
}

struct gemspec {
	struct hull_str name, version, platform; /* ptr NULL: not seen */
	bool bad_name, bad_version, licenses_seen;
	struct hull_buf lic;
	bool lic_too_long;
};

/* One assignment of the spec; only the first of each kind counts. */
static int spec_line(struct gemspec *g, struct hull_str line, struct hull_err *err)
{
	size_t i;
	struct hull_str v;
	if (!g->name.ptr && !g->bad_name && (i = assignment(line, "name"))) {
		if (string_literal(line, &i, &v))
			g->name = v;
		else
			g->bad_name = true;
	} else if (!g->version.ptr && !g->bad_version && (i = assignment(line, "version"))) {
		if (string_literal(line, &i, &v))
			g->version = v;
		else
			g->bad_version = true;
	} else if (!g->platform.ptr && (i = assignment(line, "platform"))) {
		if (string_literal(line, &i, &v))
			g->platform = v;
	} else if (!g->licenses_seen &&
	           ((i = assignment(line, "licenses")) || (i = assignment(line, "license")))) {
		g->licenses_seen = true;
		struct hull_err e = {0};
		if (read_licenses(line, i, &g->lic, &e) < 0) {
			if (e.kind == HULL_ERR_NOMEM)
				return hull_err_nomem(err);
			g->lic_too_long = true;
		}
	}
	return 0;
}

int hull_gemspec_parse(struct hull_str data, const char *file, int layer,
                       struct hull_inventory *inv, struct hull_err *err)
{
	struct gemspec g = {0};
	hull_buf_init(&g.lic, GEM_LICENSE_MAX);
	struct hull_str rest = data, line;
	int rc = 0;
	while (rc == 0 && hull_str_next_line(&rest, &line))
		rc = spec_line(&g, hull_str_trim(line), err);
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (rc < 0)
		goto out;
	if (!g.name.ptr || !g.version.ptr) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: no literal s.%s = \"...\" assignment",
		                  file, !g.name.ptr ? "name" : "version");
		goto out;
	}
	if (!valid_gem_name(g.name) || !valid_version(g.version)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: bad gem name or version \"%s\"", file,
		                  hull_pkgdb_quote(g.name, q));
		goto out;
	}
	struct hull_str l = hull_buf_str(&g.lic);
	bool plat = g.platform.len && !hull_str_eq_c(g.platform, "ruby") &&
	            hull_pkgdb_printable(g.platform);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_GEM,
	    .name = g.name,
	    .version = g.version,
	    .arch = plat ? g.platform : hull_str(NULL, 0),
	    .license = l.len && !g.lic_too_long ? l : hull_str(NULL, 0),
	};
	rc = hull_pkgdb_add(inv, &s, file, layer, err);
out:
	hull_buf_release(&g.lic);
	return rc;
}

/* ---- Gemfile.lock ---- */

enum lock_section { SEC_OTHER, SEC_GEM, SEC_GIT, SEC_PATH, SEC_PLUGIN };

struct lock_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
	enum lock_section sec;
	bool in_specs;
	struct hull_str remote, revision;
	size_t lineno;
};

static const char *section_source(enum lock_section s)
{
	switch (s) {
	case SEC_GEM:
		return "rubygems";
	case SEC_GIT:
		return "git";
	case SEC_PATH:
		return "path";
	default:
		return "plugin";
	}
}

static int prop(struct hull_buf *b, const char *key, struct hull_str v, struct hull_err *err)
{
	if (!v.len || !hull_pkgdb_printable(v))
		return 0;
	if (hull_buf_append_str(b, key, err) < 0 || hull_buf_append(b, "\t", 1, err) < 0 ||
	    hull_buf_append(b, v.ptr, v.len, err) < 0)
		return -1;
	return hull_buf_append(b, "\n", 1, err);
}

/* "name (version[-platform])" after the four spaces. */
static int lock_spec(struct lock_ctx *c, struct hull_str l, struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	const char *open = memchr(l.ptr, '(', l.len);
	if (!open || open == l.ptr || open[-1] != ' ' || l.ptr[l.len - 1] != ')') {
		hull_pkgdb_problem(&c->probs,
		                   "%s: line %zu: expected \"name (version)\", got \"%s\"", c->file,
		                   c->lineno, hull_pkgdb_quote(l, q));
		return 0;
	}
	struct hull_str name = hull_str(l.ptr, (size_t)(open - l.ptr) - 1);
	struct hull_str vp = hull_str(open + 1, l.len - (size_t)(open - l.ptr) - 2), version, plat;
	if (!hull_str_split(vp, '-', &version, &plat))
		plat = hull_str(NULL, 0);
	if (!valid_gem_name(name) || !valid_version(version)) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: bad gem name or version \"%s\"",
		                   c->file, c->lineno, hull_pkgdb_quote(l, q));
		return 0;
	}
	struct hull_buf props;
	hull_buf_init(&props, GEM_PROPS_MAX);
	struct hull_err perr = {0};
	if (prop(&props, "gem:source", hull_str_c(section_source(c->sec)), &perr) < 0 ||
	    prop(&props, "gem:remote", c->remote, &perr) < 0 ||
	    (c->sec == SEC_GIT && prop(&props, "gem:revision", c->revision, &perr) < 0)) {
		if (perr.kind == HULL_ERR_NOMEM) {
			hull_buf_release(&props);
			return hull_err_nomem(err);
		}
		hull_buf_reset(&props); /* an over-long remote: no props rather than cut ones */
	}
	bool p = plat.len && !hull_str_eq_c(plat, "ruby") && hull_pkgdb_printable(plat);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_GEM,
	    .name = name,
	    .version = version,
	    .arch = p ? plat : hull_str(NULL, 0),
	    .props = props.len ? hull_buf_str(&props) : hull_str(NULL, 0),
	};
	int rc = hull_pkgdb_add(c->inv, &s, c->file, c->layer, err);
	hull_buf_release(&props);
	return rc;
}

static bool count_spaces(struct hull_str l, size_t n)
{
	if (l.len <= n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (l.ptr[i] != ' ')
			return false;
	return l.ptr[n] != ' ';
}

static int lock_line(struct lock_ctx *c, struct hull_str l, struct hull_err *err)
{
	while (l.len && (l.ptr[l.len - 1] == ' ' || l.ptr[l.len - 1] == '\t'))
		l.len--;
	if (!l.len)
		return 0;
	if (l.ptr[0] != ' ') {
		c->sec = hull_str_eq_c(l, "GEM")             ? SEC_GEM
		         : hull_str_eq_c(l, "GIT")           ? SEC_GIT
		         : hull_str_eq_c(l, "PATH")          ? SEC_PATH
		         : hull_str_eq_c(l, "PLUGIN SOURCE") ? SEC_PLUGIN
		                                             : SEC_OTHER;
		c->in_specs = false;
		c->remote = c->revision = hull_str(NULL, 0);
		return 0;
	}
	if (c->sec == SEC_OTHER)
		return 0;
	if (count_spaces(l, 2)) {
		struct hull_str kv = hull_str(l.ptr + 2, l.len - 2), k, v;
		c->in_specs = hull_str_eq_c(kv, "specs:");
		if (hull_str_split(kv, ':', &k, &v)) {
			if (hull_str_eq_c(k, "remote"))
				c->remote = hull_str_trim(v);
			else if (hull_str_eq_c(k, "revision"))
				c->revision = hull_str_trim(v);
		}
		return 0;
	}
	if (c->in_specs && count_spaces(l, 4))
		return lock_spec(c, hull_str(l.ptr + 4, l.len - 4), err);
	return 0; /* a dependency (six spaces) or something Bundler ignores too */
}

int hull_gemfile_lock_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err)
{
	struct lock_ctx c = {.file = file, .layer = layer, .inv = inv};
	size_t first = inv->npkgs;
	struct hull_str rest = data, line;
	while (hull_str_next_line(&rest, &line)) {
		c.lineno++;
		if (lock_line(&c, line, err) < 0)
			return -1;
	}
	return hull_pkgdb_parsed(inv, first, &c.probs, err);
}
