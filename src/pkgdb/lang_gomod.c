/* go.mod: the modules a Go module requires (type golang).
 *
 * Directives one per line or in "directive ( ... )" blocks; "//" starts a
 * comment; paths and versions may be quoted ("..." or `...`). Every
 * "require" is a package at its version, with the property go:indirect
 * when its comment says "// indirect". A "replace old [v] => new [v']"
 * applies as the Go command does (a replacement naming old's version wins
 * over one for every version): the package is what is compiled, new at v'
 * with go:replaces naming the original; a directory replacement keeps
 * the original path with no version and go:replace-dir. The module itself
 * has no version and is not listed. A "toolchain go1.21.3" directive
 * (the Go release the module is built with) lists the stdlib at that
 * release, with go:from toolchain; the "go" directive is only the minimum
 * language version and gives none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"
#include "util/mem.h"

#define GOMOD_MAX_REPLACES 100000u
#define GOMOD_MAX_TOKENS   8u
#define GOMOD_TOKEN_MAX    4096u

struct replace {
	struct hull_str old, oldv, new_, newv;
};

struct require {
	struct hull_str path, version;
	bool indirect;
	unsigned line;
};

struct gomod {
	const char *file;
	struct replace *reps;
	size_t nreps, capreps;
	struct require *reqs;
	size_t nreqs, capreqs;
	struct hull_str toolchain;
	struct hull_pkgdb_problems probs;
};

/* Splits a line into tokens (quotes removed) and its comment. */
static size_t tokens(struct hull_str l, struct hull_str *tok, size_t max, struct hull_str *comment,
                     bool *bad)
{
	size_t n = 0, i = 0;
	*comment = hull_str(NULL, 0);
	*bad = false;
	while (i < l.len) {
		char c = l.ptr[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '/' && i + 1 < l.len && l.ptr[i + 1] == '/') {
			*comment = hull_str_trim(hull_str(l.ptr + i + 2, l.len - i - 2));
			break;
		}
		size_t s = i;
		struct hull_str t;
		if (c == '"' || c == '`') {
			i++;
			while (i < l.len && l.ptr[i] != c)
				i += (c == '"' && l.ptr[i] == '\\') ? 2 : 1;
			if (i >= l.len) {
				*bad = true;
				return n;
			}
			t = hull_str(l.ptr + s + 1, i - s - 1);
			i++;
		} else {
			while (i < l.len && l.ptr[i] != ' ' && l.ptr[i] != '\t' &&
			       l.ptr[i] != '\r' &&
			       !(l.ptr[i] == '/' && i + 1 < l.len && l.ptr[i + 1] == '/'))
				i++;
			t = hull_str(l.ptr + s, i - s);
		}
		if (n == max || t.len > GOMOD_TOKEN_MAX) {
			*bad = true;
			return n;
		}
		tok[n++] = t;
	}
	return n;
}

static bool ok_path(struct hull_str p)
{
	return p.len && hull_pkgdb_printable(p) && hull_str_index(p, ' ') < 0;
}

static bool ok_modversion(struct hull_str v)
{
	return v.len > 1 && v.ptr[0] == 'v' && hull_pkgdb_printable(v) &&
	       hull_str_index(v, ' ') < 0;
}

/* One directive's arguments (the verb already taken off). */
static int directive(struct gomod *g, struct hull_str verb, struct hull_str *t, size_t n,
                     struct hull_str comment, unsigned line, struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (hull_str_eq_c(verb, "require")) {
		if (n != 2 || !ok_path(t[0]) || !ok_modversion(t[1])) {
			hull_pkgdb_problem(&g->probs,
			                   "%s: line %u: require: expected \"path version\"",
			                   g->file, line);
			return 0;
		}
		if (HULL_ARRAY_PUSH_ROOM(g->reqs, g->nreqs, g->capreqs, HULL_INVENTORY_MAX_PKGS,
		                         err) < 0)
			return hull_err_wrap(err, "%s: line %u", g->file, line);
		/* "// indirect" or "// indirect; other words" */
		bool ind =
		    hull_str_eq_c(comment, "indirect") || hull_str_has_prefix(comment, "indirect;");
		g->reqs[g->nreqs++] = (struct require){t[0], t[1], ind, line};
		return 0;
	}
	if (hull_str_eq_c(verb, "replace")) {
		/* old [v] => new [v] */
		size_t arrow = 0;
		while (arrow < n && !hull_str_eq_c(t[arrow], "=>"))
			arrow++;
		size_t right = n - arrow - 1;
		if (arrow == n || arrow < 1 || arrow > 2 || right < 1 || right > 2 ||
		    !ok_path(t[0]) || !ok_path(t[arrow + 1])) {
			hull_pkgdb_problem(&g->probs,
			                   "%s: line %u: replace: expected \"old [version] => new "
			                   "[version]\" (%s)",
			                   g->file, line,
			                   hull_pkgdb_quote(n ? t[0] : hull_str("", 0), q));
			return 0;
		}
		if (HULL_ARRAY_PUSH_ROOM(g->reps, g->nreps, g->capreps, GOMOD_MAX_REPLACES, err) <
		    0)
			return hull_err_wrap(err, "%s: line %u", g->file, line);
		g->reps[g->nreps++] = (struct replace){
		    .old = t[0],
		    .oldv = arrow == 2 ? t[1] : hull_str(NULL, 0),
		    .new_ = t[arrow + 1],
		    .newv = right == 2 ? t[arrow + 2] : hull_str(NULL, 0),
		};
		return 0;
	}
	if (hull_str_eq_c(verb, "toolchain") && n == 1 && hull_str_has_prefix(t[0], "go1") &&
	    hull_pkgdb_printable(t[0]))
		g->toolchain = t[0];
	return 0;
}

static const struct replace *find_replace(const struct gomod *g, const struct require *r)
{
	const struct replace *any = NULL;
	for (size_t i = 0; i < g->nreps; i++) {
		const struct replace *p = &g->reps[i];
		if (!hull_str_eq(p->old, r->path))
			continue;
		if (p->oldv.ptr && hull_str_eq(p->oldv, r->version))
			return p;
		if (!p->oldv.ptr)
			any = p; /* the last one wins, as the Go command keeps one */
	}
	return any;
}

static int prop(struct hull_buf *b, const char *key, struct hull_str v, struct hull_err *err)
{
	if (hull_buf_append_str(b, key, err) < 0 || hull_buf_append(b, "\t", 1, err) < 0 ||
	    hull_buf_append(b, v.ptr, v.len, err) < 0 || hull_buf_append(b, "\n", 1, err) < 0)
		return -1;
	return 0;
}

static int add_require(const struct gomod *g, const struct require *r, int layer,
                       struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_buf props;
	hull_buf_init(&props, 64u << 10);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_GOLANG, .name = r->path, .version = r->version};
	const struct replace *rep = find_replace(g, r);
	int rc = -1;
	if (r->indirect && prop(&props, "go:indirect", HULL_STR_LIT("true"), err) < 0)
		goto out;
	if (rep) {
		char orig[GOMOD_TOKEN_MAX * 2 + 2];
		snprintf(orig, sizeof(orig), "%.*s %.*s", (int)r->path.len, r->path.ptr,
		         (int)r->version.len, r->version.ptr);
		if (prop(&props, "go:replaces", hull_str_c(orig), err) < 0)
			goto out;
		if (rep->newv.ptr) {
			s.name = rep->new_;
			s.version = rep->newv;
		} else {
			if (prop(&props, "go:replace-dir", rep->new_, err) < 0)
				goto out;
			s.version = hull_str("", 0);
		}
	}
	struct hull_str pr = hull_buf_str(&props);
	if (pr.len)
		s.props = pr;
	rc = hull_pkgdb_add(inv, &s, g->file, layer, err);
out:
	hull_buf_release(&props);
	return rc;
}

int hull_gomod_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     struct hull_err *err)
{
	struct gomod g = {.file = file};
	struct hull_str rest = data, line, block = {0};
	unsigned lineno = 0;
	int rc = 0;
	size_t first = inv->npkgs;
	while (rc == 0 && hull_str_next_line(&rest, &line)) {
		lineno++;
		struct hull_str t[GOMOD_MAX_TOKENS], comment;
		bool bad;
		size_t n = tokens(line, t, GOMOD_MAX_TOKENS, &comment, &bad);
		if (bad) {
			hull_pkgdb_problem(&g.probs, "%s: line %u: unreadable line", file, lineno);
			continue;
		}
		if (n == 0)
			continue;
		if (block.ptr) {
			if (n == 1 && hull_str_eq_c(t[0], ")")) {
				block = hull_str(NULL, 0);
				continue;
			}
			rc = directive(&g, block, t, n, comment, lineno, err);
			continue;
		}
		if (n == 2 && hull_str_eq_c(t[1], "(")) {
			block = t[0];
			continue;
		}
		/* "require (" written without a blank: "require(" */
		if (n == 1 && t[0].len > 1 && t[0].ptr[t[0].len - 1] == '(') {
			block = hull_str(t[0].ptr, t[0].len - 1);
			continue;
		}
		rc = directive(&g, t[0], t + 1, n - 1, comment, lineno, err);
	}
	if (rc == 0 && block.ptr)
		hull_pkgdb_problem(&g.probs, "%s: line %u: block not closed", file, lineno);
	for (size_t i = 0; rc == 0 && i < g.nreqs; i++)
		rc = add_require(&g, &g.reqs[i], layer, inv, err);
	if (rc == 0 && g.toolchain.len) {
		struct hull_pkg_slices s = {.type = HULL_PKG_GOLANG,
		                            .name = HULL_STR_LIT("stdlib"),
		                            .version = g.toolchain,
		                            .props = HULL_STR_LIT("go:from\ttoolchain\n")};
		rc = hull_pkgdb_add(inv, &s, file, layer, err);
	}
	free(g.reqs);
	free(g.reps);
	if (rc < 0)
		return rc;
	return hull_pkgdb_parsed(inv, first, &g.probs, err);
}
