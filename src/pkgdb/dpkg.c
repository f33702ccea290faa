/* dpkg's status database: deb822 stanzas separated by blank lines,
 * "Field: value" lines, continuation lines starting with a blank.
 *
 * Which stanzas are installed packages: those whose Status (want, error
 * flag, state) has a state in which the package's files are unpacked on
 * disk: unpacked, half-configured, triggers-awaited, triggers-pending,
 * installed. That is the set dpkg itself accepts as satisfying a dependency
 * (lib/dpkg/depcon.c); not-installed, config-files (removed, only conffiles
 * left) and half-installed (an interrupted unpack or removal) are not.
 * The desired action does not matter: "deinstall ok installed" is still
 * installed.
 *
 * Distroless images have no status file but one file per package in
 * status.d/, written without a Status field: there a stanza without Status
 * is installed. In the status file it is not (dpkg would read it as
 * not-installed). */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"

struct stanza {
	size_t line; /* of its first field */
	bool any;
	struct hull_str package, version, arch, source, status; /* ptr NULL: absent */
};

struct dpkg_ctx {
	const char *file;
	int layer;
	bool status_d;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool has_blank(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (is_blank(s.ptr[i]))
			return true;
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool all_of(struct hull_str s, const char *extra)
{
	for (size_t i = 0; i < s.len; i++)
		if (!is_alnum(s.ptr[i]) && !strchr(extra, s.ptr[i]))
			return false;
	return true;
}

/* dpkg's version syntax ([epoch:]upstream[-revision], lib/dpkg/parsehelp.c
 * parseversion): returns NULL when valid, else what is wrong. An upstream
 * version not starting with a digit is only a warning for dpkg. */
static const char *version_problem(struct hull_str v)
{
	if (!v.len)
		return "empty version";
	if (has_blank(v))
		return "blank inside the version";
	long colon = hull_str_index(v, ':');
	if (colon >= 0) {
		struct hull_str epoch = hull_str(v.ptr, (size_t)colon);
		if (!epoch.len || epoch.len > 9)
			return "epoch is not a number";
		for (size_t i = 0; i < epoch.len; i++)
			if (!is_digit(epoch.ptr[i]))
				return "epoch is not a number";
		v = hull_str(v.ptr + colon + 1, v.len - (size_t)colon - 1);
		if (!v.len)
			return "nothing after the epoch";
	}
	const char *dash = memrchr(v.ptr, '-', v.len);
	struct hull_str upstream = v, rev = {NULL, 0};
	if (dash) {
		upstream = hull_str(v.ptr, (size_t)(dash - v.ptr));
		rev = hull_str(dash + 1, v.len - upstream.len - 1);
		if (!rev.len)
			return "empty revision";
	}
	if (!upstream.len)
		return "empty upstream version";
	if (!all_of(upstream, ".-+~:"))
		return "invalid character in the version";
	if (rev.ptr && !all_of(rev, ".+~"))
		return "invalid character in the revision";
	return NULL;
}

static bool word_in(struct hull_str w, const char *const *list)
{
	for (; *list; list++)
		if (hull_str_eq_c(w, *list))
			return true;
	return false;
}

static struct hull_str next_word(struct hull_str *s)
{
	while (s->len && is_blank(s->ptr[0])) {
		s->ptr++;
		s->len--;
	}
	size_t n = 0;
	while (n < s->len && !is_blank(s->ptr[n]))
		n++;
	struct hull_str w = hull_str(s->ptr, n);
	s->ptr += n;
	s->len -= n;
	return w;
}

/* 1 installed, 0 not, -1 malformed. */
static int status_installed(struct hull_str status)
{
	static const char *const wants[] = {"unknown",   "install", "hold",
	                                    "deinstall", "purge",   NULL};
	static const char *const eflags[] = {"ok", "reinstreq", "hold", "hold-reinstreq", NULL};
	static const char *const present[] = {"installed",        "unpacked",
	                                      "half-configured",  "triggers-awaited",
	                                      "triggers-pending", NULL};
	static const char *const absent[] = {"not-installed", "config-files", "half-installed",
	                                     NULL};
	struct hull_str rest = status;
	struct hull_str want = next_word(&rest), eflag = next_word(&rest), state = next_word(&rest);
	if (!word_in(want, wants) || !word_in(eflag, eflags) || next_word(&rest).len)
		return -1;
	if (word_in(state, present))
		return 1;
	return word_in(state, absent) ? 0 : -1;
}

/* "Source: name" or "Source: name (version)". */
static bool split_source(struct hull_str src, struct hull_str *name, struct hull_str *version)
{
	struct hull_str rest = src;
	*name = next_word(&rest);
	rest = hull_str_trim(rest);
	*version = hull_str(NULL, 0);
	if (!name->len)
		return false;
	if (!rest.len)
		return true;
	if (rest.len < 2 || rest.ptr[0] != '(' || rest.ptr[rest.len - 1] != ')')
		return false;
	*version = hull_str_trim(hull_str(rest.ptr + 1, rest.len - 2));
	return version_problem(*version) == NULL;
}

static int add_stanza(struct dpkg_ctx *c, const struct stanza *st, struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	const char *name = hull_pkgdb_quote(st->package, q);
	const char *why;
	struct hull_str src_name = st->package, src_version = st->version;
	if (st->arch.ptr &&
	    (!st->arch.len || has_blank(st->arch) || !hull_pkgdb_printable(st->arch))) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: bad Architecture (package %s)",
		                   c->file, st->line, name);
		return 0;
	}
	if ((why = version_problem(st->version))) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: bad Version: %s (package %s)", c->file,
		                   st->line, why, name);
		return 0;
	}
	if (st->source.ptr) {
		struct hull_str sv;
		if (!split_source(st->source, &src_name, &sv) || !hull_pkgdb_printable(src_name)) {
			hull_pkgdb_problem(&c->probs, "%s: line %zu: bad Source (package %s)",
			                   c->file, st->line, name);
			return 0;
		}
		if (sv.ptr)
			src_version = sv;
	}
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_DEB,
	    .name = st->package,
	    .version = st->version,
	    .arch = st->arch,
	    .src_name = src_name,
	    .src_version = src_version,
	};
	return hull_pkgdb_add(c->inv, &s, c->file, c->layer, err);
}

static int end_stanza(struct dpkg_ctx *c, struct stanza *st, struct hull_err *err)
{
	struct stanza s = *st;
	*st = (struct stanza){0};
	if (!s.any)
		return 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4], q2[HULL_PKGDB_QUOTE_MAX + 4];
	if (!s.package.ptr) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: stanza without Package", c->file,
		                   s.line);
		return 0;
	}
	int installed = s.status.ptr ? status_installed(s.status) : c->status_d;
	if (installed < 0) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: bad Status \"%s\" (package %s)",
		                   c->file, s.line, hull_pkgdb_quote(s.status, q),
		                   hull_pkgdb_quote(s.package, q2));
		return 0;
	}
	/* what is not installed is not listed, damaged or not */
	if (!installed)
		return 0;
	if (!s.package.len || has_blank(s.package) || !hull_pkgdb_printable(s.package)) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: bad Package name \"%s\"", c->file,
		                   s.line, hull_pkgdb_quote(s.package, q));
		return 0;
	}
	if (!s.version.ptr || !s.version.len) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: missing Version (package %s)", c->file,
		                   s.line, hull_pkgdb_quote(s.package, q));
		return 0;
	}
	return add_stanza(c, &s, err);
}

static struct hull_str *field_slot(struct stanza *st, struct hull_str name)
{
	if (hull_str_eq_nocase(name, "Package"))
		return &st->package;
	if (hull_str_eq_nocase(name, "Version"))
		return &st->version;
	if (hull_str_eq_nocase(name, "Architecture"))
		return &st->arch;
	if (hull_str_eq_nocase(name, "Source"))
		return &st->source;
	if (hull_str_eq_nocase(name, "Status"))
		return &st->status;
	return NULL;
}

static void field_line(struct dpkg_ctx *c, struct stanza *st, struct hull_str line, size_t lineno)
{
	struct hull_str name, value;
	if (!hull_str_split(line, ':', &name, &value) || !name.len || has_blank(name)) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: expected \"Field: value\"", c->file,
		                   lineno);
		return;
	}
	if (!st->any) {
		st->any = true;
		st->line = lineno;
	}
	struct hull_str *slot = field_slot(st, name);
	if (!slot)
		return;
	if (slot->ptr) {
		hull_pkgdb_problem(&c->probs, "%s: line %zu: duplicate field %.*s", c->file, lineno,
		                   (int)name.len, name.ptr);
		return;
	}
	/* value.ptr is never NULL here: a present but empty field is not absent */
	*slot = hull_str_trim(value);
}

static bool is_status_d(const char *file)
{
	const char *p = strstr(file, "status.d/");
	while (p && p != file && p[-1] != '/')
		p = strstr(p + 1, "status.d/");
	return p != NULL;
}

int hull_dpkg_status_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err)
{
	struct dpkg_ctx c = {
	    .file = file, .layer = layer, .status_d = is_status_d(file), .inv = inv};
	struct stanza st = {0};
	struct hull_str rest = data, line;
	size_t lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		if (!hull_str_trim(line).len) {
			if (end_stanza(&c, &st, err) < 0)
				return -1;
		} else if (is_blank(line.ptr[0])) {
			/* continuation: only multi-line fields (Description,
			 * Conffiles) have them, and hull reads none */
			if (!st.any)
				hull_pkgdb_problem(
				    &c.probs, "%s: line %zu: continuation line outside a field",
				    file, lineno);
		} else {
			field_line(&c, &st, line, lineno);
		}
	}
	if (end_stanza(&c, &st, err) < 0)
		return -1;
	return hull_pkgdb_problems_finish(&c.probs, err);
}
