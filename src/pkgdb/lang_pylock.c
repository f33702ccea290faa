/* Python lockfiles and pinned requirements: requirements.txt, poetry.lock,
 * Pipfile.lock, uv.lock. Packages are type pypi, named as written (the
 * matcher normalises PyPI names).
 *
 * requirements.txt: one requirement per logical line (a trailing '\'
 * continues it; "#" after a blank starts a comment). A requirement pinned
 * to one version, "name[extras]==1.2.3" or "===", with any environment
 * marker after ';' and any "--hash=" options, is a package. Anything else
 * that names a package (ranges, "==1.*", URLs, "-e" editables) is not
 * invented into one: each is noted, and the notes end up as the file's
 * warning ("line 4: flask>=2: not pinned with ==; not listed"). Option
 * lines ("-i", "--index-url") are skipped. When collecting (the fileset at
 * hand), "-r FILE" and "-c FILE" are followed relative to the including
 * file, inside the scanned root only (no absolute path, no ".." above the
 * root; symlinks resolve inside it): a missing one is a problem naming the
 * file and line; an included manifest (requirements*.txt) is read on its
 * own, not again; another kept file (*req*.txt, *constraint*.txt,
 * *deps*.txt) is read with its packages attributed to it, 8 includes deep
 * at most, a cycle being a problem; a constraints file (-c) lists nothing:
 * pip installs nothing from it.
 *
 * poetry.lock: every "[[package]]" but those of "[package.source]" type
 * "directory" (the project's own folders). uv.lock: every "[[package]]"
 * but the project and its workspace members (source editable, virtual or
 * directory). Pipfile.lock: "default" and "develop", versions "==x". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "pkgdb/toml.h"
#include "util/json.h"

#define PY_NAME_MAX  256u
#define REQ_LINE_MAX (64u << 10)

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* PEP 508 names: letters, digits, '.', '_', '-', starting and ending with
 * a letter or digit. */
static bool ok_name(struct hull_str n)
{
	if (!n.len || n.len > PY_NAME_MAX)
		return false;
	for (size_t i = 0; i < n.len; i++)
		if (!name_char(n.ptr[i]))
			return false;
	return n.ptr[0] != '.' && n.ptr[0] != '_' && n.ptr[0] != '-';
}

static bool ok_version(struct hull_str v)
{
	if (!v.len || v.len > 256 || !hull_pkgdb_printable(v))
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ' || v.ptr[i] == '*' || v.ptr[i] == ',' || v.ptr[i] == ';')
			return false;
	return true;
}

static int add_py(struct hull_inventory *inv, struct hull_str name, struct hull_str version,
                  const char *file, int layer, struct hull_err *err)
{
	struct hull_pkg_slices s = {.type = HULL_PKG_PYPI, .name = name, .version = version};
	return hull_pkgdb_add(inv, &s, file, layer, err);
}

/* ---- requirements.txt ---- */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One logical line, comments cut: the requirement it pins, if any. Returns
 * 1 with name and version, 0 for nothing to list (blank, option), -1 for a
 * requirement that is not pinned (*name set when known), -2 for one pinned
 * with "==" to what is no PEP 440 version (name and version set). */
static int requirement(struct hull_str l, struct hull_str *name, struct hull_str *version)
{
	*name = hull_str(NULL, 0);
	l = hull_str_trim(l);
	if (!l.len)
		return 0;
	if (l.ptr[0] == '-')
		return hull_str_has_prefix(l, "-e") || hull_str_has_prefix(l, "--editable") ? -1
		                                                                            : 0;
	size_t i = 0;
	while (i < l.len && name_char(l.ptr[i]))
		i++;
	*name = hull_str(l.ptr, i);
	if (!ok_name(*name))
		return -1;
	while (i < l.len && blank(l.ptr[i]))
		i++;
	if (i < l.len && l.ptr[i] == '[') { /* extras */
		while (i < l.len && l.ptr[i] != ']')
			i++;
		if (i == l.len)
			return -1;
		i++;
		while (i < l.len && blank(l.ptr[i]))
			i++;
	}
	/* the specifiers end at a marker or an option */
	size_t end = i;
	while (end < l.len && l.ptr[end] != ';' &&
	       !(blank(l.ptr[end]) && end + 1 < l.len && l.ptr[end + 1] == '-'))
		end++;
	struct hull_str spec = hull_str_trim(hull_str(l.ptr + i, end - i));
	size_t op = hull_str_has_prefix(spec, "===") ? 3 : hull_str_has_prefix(spec, "==") ? 2 : 0;
	if (!op)
		return -1;
	*version = hull_str_trim(hull_str(spec.ptr + op, spec.len - op));
	if (!ok_version(*version))
		return -1;
	/* "==" takes a PEP 440 version, whose characters are these (the
	 * local label included); pip refuses the line otherwise ("3.0.0#x",
	 * a quoted or templated version). "===" compares any string. */
	for (size_t k = 0; op == 2 && k < version->len; k++) {
		char c = version->ptr[k];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == '!' || c == '+' || c == '_' || c == '-'))
			return -2;
	}
	return 1;
}

/* "-r FILE", "-rFILE", "--requirement FILE", "--requirement=FILE" give 'r'
 * and FILE; the same with -c / --constraint give 'c'; else 0. */
static char include_of(struct hull_str l, struct hull_str *target)
{
	static const struct {
		const char *opt;
		char kind;
	} opts[] = {{"--requirement", 'r'}, {"--constraint", 'c'}, {"-r", 'r'}, {"-c", 'c'}};
	l = hull_str_trim(l);
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		size_t n = strlen(opts[i].opt);
		if (!hull_str_has_prefix(l, opts[i].opt))
			continue;
		struct hull_str rest = hull_str(l.ptr + n, l.len - n);
		bool long_opt = opts[i].opt[1] == '-';
		if (long_opt && rest.len && rest.ptr[0] == '=')
			rest = hull_str(rest.ptr + 1, rest.len - 1);
		else if (long_opt && rest.len && !blank(rest.ptr[0]))
			continue; /* --requirementsfoo */
		*target = hull_str_trim(rest);
		return opts[i].kind;
	}
	return 0;
}

#define REQ_INCLUDES_MAX 64u   /* include lines followed per file */
#define REQ_DEPTH_MAX    8     /* files included through includes */
#define REQ_SEEN_MAX     4096u /* files read through includes per collection */
#define REQ_PATH_MAX     4096u

struct req_include {
	unsigned line;
	char kind;
	char *target;
};

struct req_includes {
	struct req_include v[REQ_INCLUDES_MAX];
	size_t n;
};

static void includes_release(struct req_includes *inc)
{
	for (size_t i = 0; i < inc->n; i++)
		free(inc->v[i].target);
	inc->n = 0;
}

/* Reads one requirements file into inv (its packages listed once); when
 * inc is given, its -r/-c lines are appended there. */
static int req_lines(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     struct hull_pkgdb_problems *probs, struct req_includes *inc,
                     struct hull_err *err)
{
	struct hull_str rest = data, line;
	unsigned lineno = 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	char *buf = NULL;
	size_t first = inv->npkgs;
	int rc = 0;
	if (!(buf = malloc(REQ_LINE_MAX)))
		return hull_err_nomem(err);
	while (hull_str_next_line(&rest, &line)) {
		unsigned start = ++lineno;
		/* join continuation lines into buf, comments cut per line */
		size_t n = 0;
		bool more = true, too_long = false;
		while (more) {
			struct hull_str part = line;
			for (size_t i = 0; i < part.len; i++)
				if (part.ptr[i] == '#' && (i == 0 || blank(part.ptr[i - 1]))) {
					part.len = i;
					break;
				}
			struct hull_str t = part;
			while (t.len && blank(t.ptr[t.len - 1]))
				t.len--;
			more = t.len && t.ptr[t.len - 1] == '\\' && t.len == part.len;
			if (more)
				t.len--;
			if (n + t.len + 1 > REQ_LINE_MAX)
				too_long = true;
			else {
				memcpy(buf + n, t.ptr, t.len);
				n += t.len;
				buf[n++] = ' ';
			}
			if (more && !hull_str_next_line(&rest, &line))
				break;
			if (more)
				lineno++;
		}
		if (too_long) {
			hull_pkgdb_problem(probs, "%s: line %u: longer than %u bytes", file, start,
			                   REQ_LINE_MAX);
			continue;
		}
		struct hull_str name, version, target;
		char kind = inc ? include_of(hull_str(buf, n), &target) : 0;
		if (kind) {
			if (inc->n == REQ_INCLUDES_MAX) {
				hull_pkgdb_problem(probs, "%s: line %u: more than %u includes",
				                   file, start, REQ_INCLUDES_MAX);
				continue;
			}
			char *t = hull_str_dup(target);
			if (!t) {
				rc = hull_err_nomem(err);
				break;
			}
			inc->v[inc->n++] = (struct req_include){start, kind, t};
			continue;
		}
		int r = requirement(hull_str(buf, n), &name, &version);
		if (r == -2) {
			char qv[HULL_PKGDB_QUOTE_MAX + 4];
			hull_pkgdb_problem(
			    probs, "%s: line %u: %s==%s: not a PEP 440 version; not listed", file,
			    start, hull_pkgdb_quote(name, q), hull_pkgdb_quote(version, qv));
		} else if (r < 0) {
			struct hull_str what = name.len ? name : hull_str_trim(hull_str(buf, n));
			hull_pkgdb_problem(probs, "%s: line %u: %s: not pinned with ==; not listed",
			                   file, start, hull_pkgdb_quote(what, q));
		} else if (r > 0 && (rc = add_py(inv, name, version, file, layer, err)) < 0) {
			break;
		}
	}
	free(buf);
	if (rc == 0)
		hull_pkgdb_dedup(inv, first);
	return rc;
}

static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* pip reads a requirements file by its byte-order mark (pip's
 * auto_decode): UTF-16 (LE or BE; Windows editors and PowerShell's
 * "pip freeze > requirements.txt" write it) is turned into UTF-8 in *out
 * (malloc'ed, caller frees), a UTF-8 mark is skipped. An unpaired
 * surrogate becomes U+FFFD. */
static int req_decode(struct hull_str *data, char **out, struct hull_err *err)
{
	const unsigned char *p = (const unsigned char *)data->ptr;
	*out = NULL;
	if (data->len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*data = hull_str(data->ptr + 3, data->len - 3);
		return 0;
	}
	if (data->len < 2 || !((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
		return 0;
	bool be = p[0] == 0xfe;
	size_t units = (data->len - 2) / 2, n = 0;
	char *o = malloc(units * 3 + 1); /* a unit gives at most 3 bytes (a pair 4) */
	if (!o)
		return hull_err_nomem(err);
	for (size_t i = 0; i < units; i++) {
		const unsigned char *u = p + 2 + 2 * i;
		uint32_t c = be ? (uint32_t)u[0] << 8 | u[1] : (uint32_t)u[1] << 8 | u[0];
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
			const unsigned char *v = u + 2;
			uint32_t d = be ? (uint32_t)v[0] << 8 | v[1] : (uint32_t)v[1] << 8 | v[0];
			if (d >= 0xdc00 && d < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
				i++;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		n += put_utf8(o + n, c);
	}
	o[n] = '\0';
	*out = o;
	*data = hull_str(o, n);
	return 0;
}

static int req_read(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                    struct hull_pkgdb_problems *probs, struct req_includes *inc,
                    struct hull_err *err)
{
	char *decoded;
	if (req_decode(&data, &decoded, err) < 0)
		return -1;
	int rc = req_lines(data, file, layer, inv, probs, inc, err);
	free(decoded);
	return rc;
}

int hull_requirements_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	if (req_read(data, file, layer, inv, &probs, NULL, err) < 0)
		return -1;
	return hull_pkgdb_problems_finish(&probs, err);
}

/* One walk of includes from a manifest: the files on the way (cycles). */
struct req_walk {
	const struct hull_fileset *fs;
	struct hull_pkg_tree_seen *seen;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems *probs;
	const char *stack[REQ_DEPTH_MAX + 1];
	size_t depth;
};

static bool seen_has(const struct hull_pkg_tree_seen *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->paths[i], path))
			return true;
	return false;
}

static int seen_add(struct hull_pkg_tree_seen *s, const char *path, struct hull_err *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->paths, cap * sizeof(*v));
		if (!v)
			return hull_err_nomem(err);
		s->paths = v;
		s->cap = cap;
	}
	if (!(s->paths[s->n] = strdup(path)))
		return hull_err_nomem(err);
	s->n++;
	return 0;
}

static int walk_file(struct req_walk *w, const struct hull_file *f, struct hull_err *err);

/* Follows one include of file (line, kind, target). */
static int follow(struct req_walk *w, const char *file, const struct req_include *in,
                  struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	const char *opt = in->kind == 'r' ? "-r" : "-c";
	const char *t = hull_pkgdb_quote(hull_str_c(in->target), q);
	if (!in->target[0] || strstr(in->target, "://")) {
		hull_pkgdb_problem(w->probs,
		                   "%s: line %u: %s %s: not a file of the tree, not followed", file,
		                   in->line, opt, t);
		return 0;
	}
	if (in->target[0] == '/') {
		hull_pkgdb_problem(w->probs, "%s: line %u: %s %s: an absolute path, not followed",
		                   file, in->line, opt, t);
		return 0;
	}
	/* relative to the including file's directory, never above the root */
	char path[REQ_PATH_MAX];
	const char *slash = strrchr(file, '/');
	size_t len = slash ? (size_t)(slash - file) : 0;
	if (len >= sizeof(path))
		return 0;
	memcpy(path, file, len);
	path[len] = '\0';
	int j = hull_path_join(path, &len, sizeof(path), in->target, HULL_DOTDOT_NO_ESCAPE);
	if (j < 0) {
		hull_pkgdb_problem(w->probs, "%s: line %u: %s %s: %s, not followed", file, in->line,
		                   opt, t,
		                   j == -1 ? "outside the scanned root" : "too long a path");
		return 0;
	}
	const struct hull_file *g = hull_fileset_get(w->fs, path);
	if (!g) {
		hull_pkgdb_problem(
		    w->probs,
		    "%s: line %u: %s %s: not found in the scanned root (or not a name "
		    "hull keeps)",
		    file, in->line, opt, t);
		return 0;
	}
	/* a manifest is read on its own (with its own includes); pip installs
	 * nothing from a constraints file */
	if (hull_pkgdb_lockfile_name(g->path) || in->kind == 'c')
		return 0;
	for (size_t i = 0; i < w->depth; i++) {
		if (!strcmp(w->stack[i], g->path)) {
			hull_pkgdb_problem(w->probs,
			                   "%s: line %u: %s %s: an include cycle, not read again",
			                   file, in->line, opt, t);
			return 0;
		}
	}
	if (w->depth > REQ_DEPTH_MAX) {
		hull_pkgdb_problem(w->probs,
		                   "%s: line %u: %s %s: includes nested more than %d deep", file,
		                   in->line, opt, t, REQ_DEPTH_MAX);
		return 0;
	}
	if (seen_has(w->seen, g->path))
		return 0;
	if (w->seen->n == REQ_SEEN_MAX) {
		hull_pkgdb_problem(w->probs, "%s: line %u: more than %u included files", file,
		                   in->line, REQ_SEEN_MAX);
		return 0;
	}
	if (seen_add(w->seen, g->path, err) < 0)
		return -1;
	return walk_file(w, g, err);
}

/* Reads f (its packages attributed to it), then follows its includes. */
static int walk_file(struct req_walk *w, const struct hull_file *f, struct hull_err *err)
{
	struct req_includes *inc = calloc(1, sizeof(*inc));
	if (!inc)
		return hull_err_nomem(err);
	int rc = req_read(hull_str(f->data, f->len), f->path, f->layer, w->inv, w->probs, inc, err);
	w->stack[w->depth++] = f->path;
	for (size_t i = 0; rc == 0 && i < inc->n; i++)
		rc = follow(w, f->path, &inc->v[i], err);
	w->depth--;
	includes_release(inc);
	free(inc);
	return rc;
}

int hull_requirements_tree_parse(const struct hull_fileset *fs, const struct hull_file *f,
                                 struct hull_pkg_tree_seen *seen, struct hull_inventory *inv,
                                 struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	struct req_walk w = {.fs = fs, .seen = seen, .inv = inv, .probs = &probs};
	if (walk_file(&w, f, err) < 0)
		return -1;
	return hull_pkgdb_problems_finish(&probs, err);
}

/* ---- poetry.lock, uv.lock ---- */

struct toml_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
	bool uv;
};

static int toml_pkg(const struct hull_toml_package *p, void *ctx, struct hull_err *err)
{
	struct toml_ctx *c = ctx;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (c->uv) {
		/* the project and its workspace members, not packages */
		if (hull_toml_inline_get(p->source, "editable").ptr ||
		    hull_toml_inline_get(p->source, "virtual").ptr ||
		    hull_toml_inline_get(p->source, "directory").ptr)
			return 0;
	} else if (hull_str_eq_c(p->source_type, "directory")) {
		return 0;
	}
	if (!ok_name(p->name) || !ok_version(p->version)) {
		hull_pkgdb_problem(&c->probs, "%s: line %u: package %s: bad name or version",
		                   c->file, p->line,
		                   hull_pkgdb_quote(p->name.ptr ? p->name : hull_str("?", 1), q));
		return 0;
	}
	return add_py(c->inv, p->name, p->version, c->file, c->layer, err);
}

static int toml_lock(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     bool uv, struct hull_err *err)
{
	struct toml_ctx c = {.file = file, .layer = layer, .inv = inv, .uv = uv};
	size_t first = inv->npkgs;
	if (hull_toml_packages(data, file, toml_pkg, &c, err) < 0)
		return -1;
	return hull_pkgdb_parsed(inv, first, &c.probs, err);
}

int hull_poetry_lock_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err)
{
	return toml_lock(data, file, layer, inv, false, err);
}

int hull_uv_lock_parse(struct hull_str data, const char *file, int layer,
                       struct hull_inventory *inv, struct hull_err *err)
{
	return toml_lock(data, file, layer, inv, true, err);
}

/* ---- Pipfile.lock ---- */

int hull_pipfile_lock_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse_object(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	int rc = 0;
	struct hull_pkgdb_problems probs = {0};
	size_t first = inv->npkgs;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	static const char *const sections[] = {"default", "develop"};
	for (size_t s = 0; s < 2; s++) {
		struct json_object *sec = hull_json_get_obj(root, sections[s]);
		if (!sec)
			continue;
		json_object_object_foreach(sec, key, val)
		{
			const char *v = hull_json_get_str(val, "version");
			struct hull_str name = hull_str_c(key), version = hull_str_c(v);
			if (!v) /* git, path and editable entries pin no version */
				continue;
			if (hull_str_has_prefix(version, "=="))
				version = hull_str(version.ptr + 2, version.len - 2);
			if (!ok_name(name) || !ok_version(version)) {
				hull_pkgdb_problem(&probs, "%s: %s[\"%s\"]: bad name or version",
				                   file, sections[s], hull_pkgdb_quote(name, q));
				continue;
			}
			if ((rc = add_py(inv, name, version, file, layer, err)) < 0)
				goto out;
		}
	}
	rc = hull_pkgdb_parsed(inv, first, &probs, err);
out:
	json_object_put(root);
	return rc;
}
