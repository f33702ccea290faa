#include "pkgdb/pkgdb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/mem.h"

/* ---- packages and inventories ---- */

void hull_pkg_release(struct hull_pkg *pkg)
{
	if (!pkg)
		return;
	free(pkg->name);
	free(pkg->version);
	free(pkg->arch);
	free(pkg->src_name);
	free(pkg->src_version);
	free(pkg->license);
	free(pkg->rpm_version);
	free(pkg->release);
	free(pkg->modularity);
	free(pkg->props);
	free(pkg->file);
	memset(pkg, 0, sizeof(*pkg));
}

static void os_release(struct hull_os *os)
{
	free(os->id);
	free(os->version_id);
	free(os->codename);
	free(os->pretty_name);
	free(os->id_like);
	free(os->platform_id);
	free(os->source_file);
	memset(os, 0, sizeof(*os));
}

void hull_inventory_release(struct hull_inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->npkgs; i++)
		hull_pkg_release(&inv->pkgs[i]);
	free(inv->pkgs);
	os_release(&inv->os);
	memset(inv, 0, sizeof(*inv));
}

int hull_inventory_add(struct hull_inventory *inv, struct hull_pkg *pkg, struct hull_err *err)
{
	if (HULL_ARRAY_PUSH_ROOM(inv->pkgs, inv->npkgs, inv->cap, HULL_INVENTORY_MAX_PKGS, err) <
	    0) {
		hull_pkg_release(pkg);
		return hull_err_wrap(err, "inventory");
	}
	inv->pkgs[inv->npkgs++] = *pkg;
	memset(pkg, 0, sizeof(*pkg));
	return 0;
}

static int strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_pkg(const void *pa, const void *pb)
{
	const struct hull_pkg *a = pa, *b = pb;
	int c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = strcmp_null(a->name, b->name)) || (c = strcmp_null(a->version, b->version)) ||
	    (c = strcmp_null(a->arch, b->arch)) || (c = strcmp_null(a->file, b->file)))
		return c;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

void hull_inventory_sort(struct hull_inventory *inv)
{
	if (inv->npkgs > 1)
		qsort(inv->pkgs, inv->npkgs, sizeof(*inv->pkgs), cmp_pkg);
}

/* ---- helpers shared by the parsers (internal.h) ---- */

void hull_pkgdb_problem(struct hull_pkgdb_problems *p, const char *fmt, ...)
{
	if (p->n++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->first.msg, sizeof(p->first.msg), fmt, ap);
		va_end(ap);
		p->first.kind = HULL_ERR_INPUT;
	}
}

int hull_pkgdb_problems_finish(const struct hull_pkgdb_problems *p, struct hull_err *err)
{
	if (p->n == 0)
		return 0;
	if (p->n == 1)
		return hull_err_set(err, HULL_ERR_INPUT, "%s", p->first.msg);
	return hull_err_set(err, HULL_ERR_INPUT, "%s (and %zu more problems)", p->first.msg,
	                    p->n - 1);
}

const char *hull_pkgdb_quote(struct hull_str s, char out[HULL_PKGDB_QUOTE_MAX + 4])
{
	size_t n = s.len < HULL_PKGDB_QUOTE_MAX ? s.len : HULL_PKGDB_QUOTE_MAX;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		out[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (s.len > n) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

bool hull_pkgdb_printable(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* NULL for an absent slice; *ok turns false on OOM. */
static char *dup_opt(struct hull_str s, bool *ok)
{
	if (!s.ptr)
		return NULL;
	char *p = hull_str_dup(s);
	if (!p)
		*ok = false;
	return p;
}

int hull_pkgdb_add(struct hull_inventory *inv, const struct hull_pkg_slices *s, const char *file,
                   int layer, struct hull_err *err)
{
	bool ok = true;
	struct hull_pkg pkg = {
	    .type = s->type,
	    .name = dup_opt(s->name.ptr ? s->name : hull_str("", 0), &ok),
	    .version = dup_opt(s->version.ptr ? s->version : hull_str("", 0), &ok),
	    .arch = dup_opt(s->arch, &ok),
	    .src_name = dup_opt(s->src_name, &ok),
	    .src_version = dup_opt(s->src_version, &ok),
	    .license = dup_opt(s->license, &ok),
	    .props = dup_opt(s->props, &ok),
	    .epoch = -1,
	    .file = dup_opt(hull_str_c(file ? file : ""), &ok),
	    .layer = layer,
	};
	if (!ok) {
		hull_pkg_release(&pkg);
		return hull_err_nomem(err);
	}
	return hull_inventory_add(inv, &pkg, err);
}

static int cmp_name_version(const void *pa, const void *pb)
{
	const struct hull_pkg *a = pa, *b = pb;
	int c = strcmp_null(a->name, b->name);
	return c ? c : strcmp_null(a->version, b->version);
}

void hull_pkgdb_dedup(struct hull_inventory *inv, size_t first)
{
	if (inv->npkgs - first < 2)
		return;
	struct hull_pkg *p = inv->pkgs + first;
	size_t n = inv->npkgs - first, out = 1;
	qsort(p, n, sizeof(*p), cmp_name_version);
	for (size_t i = 1; i < n; i++) {
		if (cmp_name_version(&p[out - 1], &p[i]) == 0)
			hull_pkg_release(&p[i]);
		else
			p[out++] = p[i];
	}
	inv->npkgs = first + out;
}

int hull_pkgdb_parsed(struct hull_inventory *inv, size_t first, const struct hull_pkgdb_problems *p,
                      struct hull_err *err)
{
	hull_pkgdb_dedup(inv, first);
	return hull_pkgdb_problems_finish(p, err);
}

/* ---- what analyzers read ---- */

static const char *const os_files[] = {
    "etc/os-release",     "usr/lib/os-release", "etc/alpine-release",
    "etc/debian_version", "etc/redhat-release", "etc/system-release",
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *path, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(path, list[i]) == 0)
			return true;
	return false;
}

static bool in_paths(const char *path, const char *const *paths)
{
	for (; *paths; paths++)
		if (strcmp(path, *paths) == 0)
			return true;
	return false;
}

/* What the package-type table's sources read. */
static enum hull_keep source_wants(const struct hull_pkg_source *s, const char *path)
{
	for (; s->parse; s++) {
		if (s->db_paths && in_paths(path, s->db_paths))
			return HULL_KEEP_HISTORY;
		if (s->match && s->match(path))
			return HULL_KEEP_LAST;
	}
	return HULL_KEEP_NO;
}

enum hull_keep hull_pkgdb_wants(const char *path, void *ctx)
{
	(void)ctx;
	if (in_list(path, os_files, N_ELEMS(os_files)) || hull_owned_list_path(path))
		return HULL_KEEP_LAST;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		enum hull_keep k = source_wants(hull_pkg_type_info(t)->sources, path);
		if (k != HULL_KEEP_NO)
			return k;
	}
	/* anything else may be a binary or an archive: told by content */
	return HULL_KEEP_PROBE;
}

/* ---- files told by content ---- */

/* A digest in the fileset: this header, the source's tag, '\n', then
 * what the source's digest() wrote. The NUL keeps it apart from any text
 * manifest. */
#define PROBE_HDR     "\0hull-probe:"
#define PROBE_HDR_LEN (sizeof(PROBE_HDR) - 1)
#define PROBE_MAX     (8u << 20)

static bool probe_wants(const char *head, size_t n, unsigned long long size)
{
	(void)size;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++)
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++)
			if (s->digest && n >= s->magic_len && !memcmp(head, s->magic, s->magic_len))
				return true;
	return false;
}

static int probe_digest(const char *path, const char *data, size_t len, char **out, size_t *outlen,
                        struct hull_err *err)
{
	*out = NULL;
	*outlen = 0;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++) {
			if (!s->digest || len < s->magic_len ||
			    memcmp(data, s->magic, s->magic_len))
				continue;
			struct hull_buf b;
			hull_buf_init(&b, PROBE_MAX);
			struct hull_err derr = {0};
			int rc = -1;
			if (hull_buf_append(&b, PROBE_HDR, PROBE_HDR_LEN, &derr) == 0 &&
			    hull_buf_append_str(&b, s->tag, &derr) == 0 &&
			    hull_buf_append(&b, "\n", 1, &derr) == 0)
				rc = s->digest(data, len, &b, &derr);
			if (rc > 0) {
				/* NUL-terminated: the fileset's spare byte */
				*out = hull_buf_detach(&b, outlen);
				return *out ? 0 : hull_err_nomem(err);
			}
			hull_buf_release(&b);
			if (rc < 0 && derr.kind == HULL_ERR_NOMEM)
				return hull_err_nomem(err);
			(void)path; /* a digest too big for PROBE_MAX is dropped */
		}
	}
	return 0;
}

const struct hull_content_probe hull_pkgdb_probe = {.wants = probe_wants, .digest = probe_digest};

/* The source whose digest f holds, and the digest after its header. */
static const struct hull_pkg_source *digest_source(const struct hull_file *f, int *type,
                                                   struct hull_str *payload)
{
	struct hull_str d = hull_str(f->data, f->len);
	if (d.len < PROBE_HDR_LEN || memcmp(d.ptr, PROBE_HDR, PROBE_HDR_LEN) != 0)
		return NULL;
	struct hull_str rest = hull_str(d.ptr + PROBE_HDR_LEN, d.len - PROBE_HDR_LEN), tag;
	if (!hull_str_split(rest, '\n', &tag, payload))
		return NULL;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++) {
			if (s->tag && hull_str_eq_c(tag, s->tag)) {
				*type = t;
				return s;
			}
		}
	}
	return NULL;
}

/* ---- collecting ---- */

static void warn_err(struct hull_diag *diag, int layer, const struct hull_err *e)
{
	if (layer != HULL_LAYER_NONE)
		hull_diag_warn(diag, "layer %d: %s", layer, e->msg);
	else
		hull_diag_warn(diag, "%s", e->msg);
}

/* A parser's answer: a damaged file becomes a warning, only OOM is
 * returned. */
static int parse_result(int rc, const struct hull_err *perr, int layer, struct hull_diag *diag,
                        struct hull_err *err)
{
	if (rc == 0)
		return 0;
	if (perr->kind == HULL_ERR_NOMEM) {
		*err = *perr;
		return -1;
	}
	warn_err(diag, layer, perr);
	return 0;
}

/* Runs parse over one content; a damaged file becomes a warning, only OOM
 * is returned. */
static int run_parser(hull_pkg_parser parse, struct hull_str data, const char *file, int layer,
                      struct hull_inventory *inv, struct hull_diag *diag, struct hull_err *err)
{
	struct hull_err perr = {0};
	return parse_result(parse(data, file, layer, inv, &perr), &perr, layer, diag, err);
}

static int cmp_name_arch(const void *pa, const void *pb)
{
	const struct hull_pkg *a = pa, *b = pb;
	int c = strcmp_null(a->name, b->name);
	return c ? c : strcmp_null(a->arch, b->arch);
}

/* Sets pkgs[i].layer for a database kept with its history: walking the
 * versions from the newest back, a package keeps being attributed to the
 * older layer while that layer's database lists it with the same version.
 * The earliest such layer introduced it. Damage in an old version is not
 * reported again (the final content was), it just ends the walk for the
 * packages it hides. */
static int attribute_layers(const struct hull_file *f, hull_pkg_parser parse, struct hull_pkg *pkgs,
                            size_t n, struct hull_err *err)
{
	if (f->nversions < 2 || n == 0)
		return 0;
	bool *alive = malloc(n);
	if (!alive)
		return hull_err_nomem(err);
	memset(alive, 1, n);
	size_t nalive = n;
	for (size_t v = f->nversions - 1; v-- > 0 && nalive;) {
		const struct hull_file_version *ver = &f->versions[v];
		struct hull_inventory old = {0};
		struct hull_err perr = {0};
		if (parse(hull_str(ver->data, ver->len), f->path, ver->layer, &old, &perr) < 0 &&
		    perr.kind == HULL_ERR_NOMEM) {
			hull_inventory_release(&old);
			free(alive);
			*err = perr;
			return -1;
		}
		if (old.npkgs > 1)
			qsort(old.pkgs, old.npkgs, sizeof(*old.pkgs), cmp_name_arch);
		for (size_t i = 0; i < n; i++) {
			if (!alive[i])
				continue;
			const struct hull_pkg *o = old.npkgs
			                               ? bsearch(&pkgs[i], old.pkgs, old.npkgs,
			                                         sizeof(*old.pkgs), cmp_name_arch)
			                               : NULL;
			if (o && strcmp(o->version, pkgs[i].version) == 0) {
				pkgs[i].layer = ver->layer;
			} else {
				alive[i] = false;
				nalive--;
			}
		}
		hull_inventory_release(&old);
	}
	free(alive);
	return 0;
}

/* Parses a database kept with HULL_KEEP_HISTORY: the final content gives
 * the packages, the history their introducing layers. */
static int collect_db(const struct hull_file *f, hull_pkg_parser parse, struct hull_inventory *inv,
                      struct hull_diag *diag, struct hull_err *err)
{
	size_t first = inv->npkgs;
	if (run_parser(parse, hull_str(f->data, f->len), f->path, f->layer, inv, diag, err) < 0)
		return -1;
	if (inv->npkgs == first)
		return 0;
	return attribute_layers(f, parse, inv->pkgs + first, inv->npkgs - first, err);
}

static int set_str(char **dst, struct hull_str s, struct hull_err *err)
{
	char *p = hull_str_dup(s);
	if (!p)
		return hull_err_nomem(err);
	free(*dst);
	*dst = p;
	return 0;
}

static struct hull_str first_line(const struct hull_file *f)
{
	struct hull_str rest = hull_str(f->data, f->len), line = {f->data, 0};
	hull_str_next_line(&rest, &line);
	return hull_str_trim(line);
}

/* /etc/alpine-release: "3.20.3". */
static int os_from_alpine_release(const struct hull_fileset *fs, struct hull_os *os,
                                  struct hull_err *err)
{
	const struct hull_file *f = hull_fileset_get(fs, "etc/alpine-release");
	if (!f || (os->id && strcmp(os->id, "alpine") != 0) || (os->id && os->version_id))
		return 0;
	struct hull_str v = first_line(f);
	if (!v.len || !hull_pkgdb_printable(v))
		return 0;
	if ((!os->id && set_str(&os->id, HULL_STR_LIT("alpine"), err) < 0) ||
	    set_str(&os->version_id, v, err) < 0)
		return -1;
	if (!os->source_file)
		return set_str(&os->source_file, hull_str_c(f->path), err);
	return 0;
}

/* /etc/debian_version: "12.5" gives version 12; "bookworm/sid" (testing
 * and unstable, whose os-release has no VERSION_ID) gives the codename. */
static int os_from_debian_version(const struct hull_fileset *fs, struct hull_os *os,
                                  struct hull_err *err)
{
	const struct hull_file *f = hull_fileset_get(fs, "etc/debian_version");
	if (!f || (os->id && strcmp(os->id, "debian") != 0))
		return 0;
	struct hull_str v = first_line(f);
	if (!v.len || !hull_pkgdb_printable(v))
		return 0;
	if (v.ptr[0] >= '0' && v.ptr[0] <= '9') {
		struct hull_str major, minor;
		hull_str_split(v, '.', &major, &minor);
		if (!os->version_id && set_str(&os->version_id, major, err) < 0)
			return -1;
	} else {
		struct hull_str name, rest;
		hull_str_split(v, '/', &name, &rest);
		if (!os->codename && name.len && set_str(&os->codename, name, err) < 0)
			return -1;
	}
	if (!os->id && set_str(&os->id, HULL_STR_LIT("debian"), err) < 0)
		return -1;
	if (!os->source_file)
		return set_str(&os->source_file, hull_str_c(f->path), err);
	return 0;
}

/* The distribution names of etc/redhat-release and etc/system-release
 * ("Rocky Linux release 9.3 (Blue Onyx)"), as the os-release ID they stand
 * for. Longer prefixes first. */
static const struct {
	const char *prefix, *id;
} release_names[] = {
    {"Red Hat Enterprise Linux", "rhel"},
    {"CentOS Stream", "centos"},
    {"CentOS", "centos"},
    {"Rocky Linux", "rocky"},
    {"AlmaLinux", "almalinux"},
    {"Fedora", "fedora"},
    {"Oracle Linux", "ol"},
    {"Amazon Linux", "amzn"},
};

/* "<name> release <version> (<codename>)": the ID and the version. */
static bool parse_release_line(struct hull_str line, const char **id, struct hull_str *version)
{
	for (size_t i = 0; i < N_ELEMS(release_names); i++) {
		if (!hull_str_has_prefix(line, release_names[i].prefix))
			continue;
		const char *rel = memmem(line.ptr, line.len, " release ", 9);
		if (!rel)
			return false;
		struct hull_str rest = hull_str(rel + 9, line.len - (size_t)(rel + 9 - line.ptr));
		size_t n = 0;
		while (n < rest.len && rest.ptr[n] != ' ')
			n++;
		*id = release_names[i].id;
		*version = hull_str(rest.ptr, n);
		return n > 0;
	}
	return false;
}

/* Images without an os-release (CentOS 6, old Amazon Linux) name their
 * distribution in etc/redhat-release or etc/system-release; they also fill
 * a VERSION_ID an os-release lacks when both name the same distribution. */
static int os_from_redhat_release(const struct hull_fileset *fs, struct hull_os *os,
                                  struct hull_err *err)
{
	static const char *const files[] = {"etc/redhat-release", "etc/system-release"};
	for (size_t i = 0; i < N_ELEMS(files); i++) {
		const struct hull_file *f = hull_fileset_get(fs, files[i]);
		const char *id;
		struct hull_str v;
		if (!f || !parse_release_line(first_line(f), &id, &v) || !hull_pkgdb_printable(v))
			continue;
		if (os->id && (strcmp(os->id, id) != 0 || os->version_id))
			return 0;
		if ((!os->id && set_str(&os->id, hull_str_c(id), err) < 0) ||
		    set_str(&os->version_id, v, err) < 0)
			return -1;
		if (!os->source_file)
			return set_str(&os->source_file, hull_str_c(f->path), err);
		return 0;
	}
	return 0;
}

static int collect_os(const struct hull_fileset *fs, struct hull_os *os, struct hull_diag *diag,
                      struct hull_err *err)
{
	const struct hull_file *f = hull_fileset_get(fs, "etc/os-release");
	if (!f)
		f = hull_fileset_get(fs, "usr/lib/os-release");
	if (f) {
		struct hull_err perr = {0};
		if (hull_osrelease_parse(hull_str(f->data, f->len), f->path, os, &perr) < 0) {
			if (perr.kind == HULL_ERR_NOMEM) {
				*err = perr;
				return -1;
			}
			warn_err(diag, f->layer, &perr);
		}
	}
	if (os_from_alpine_release(fs, os, err) < 0 || os_from_debian_version(fs, os, err) < 0 ||
	    os_from_redhat_release(fs, os, err) < 0)
		return -1;
	if (os->id)
		return 0;
	if (f)
		hull_diag_warn(diag, "unknown distribution: %s has no ID", f->path);
	else
		hull_diag_warn(diag, "unknown distribution: none of etc/os-release, "
		                     "usr/lib/os-release, etc/alpine-release, etc/debian_version, "
		                     "etc/redhat-release, etc/system-release was found");
	return 0;
}

/* A manifest's packages that the type's database already lists are
 * dropped: one installed package is listed once. */
static void drop_listed(struct hull_inventory *inv, size_t first, const struct hull_pkg *listed,
                        size_t nlisted)
{
	size_t out = first;
	for (size_t i = first; i < inv->npkgs; i++) {
		if (nlisted &&
		    bsearch(&inv->pkgs[i], listed, nlisted, sizeof(*listed), cmp_name_arch))
			hull_pkg_release(&inv->pkgs[i]);
		else
			inv->pkgs[out++] = inv->pkgs[i];
	}
	inv->npkgs = out;
}

/* The database of a source: the first of its paths present. */
static const struct hull_file *pick_db(const struct hull_fileset *fs,
                                       const struct hull_pkg_source *s, const char *type,
                                       struct hull_diag *diag)
{
	const struct hull_file *db = NULL;
	for (const char *const *p = s->db_paths; *p; p++) {
		const struct hull_file *f = hull_fileset_get(fs, *p);
		if (!f || f == db)
			continue;
		if (!db)
			db = f;
		else
			hull_diag_warn(diag, "%s: ignored, the %s database %s is read instead",
			               f->path, type, db->path);
	}
	return db;
}

/* The packages each type's databases listed: shallow copies sorted by
 * name and arch (the strings belong to the inventory). */
struct listed {
	struct hull_pkg *v;
	size_t n;
};

static int collect_dbs(const struct hull_fileset *fs, struct hull_inventory *inv,
                       struct listed listed[HULL_PKG_TYPE_COUNT], struct hull_diag *diag,
                       struct hull_err *err)
{
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		const struct hull_pkg_type_info *ti = hull_pkg_type_info(t);
		size_t first = inv->npkgs;
		for (const struct hull_pkg_source *s = ti->sources; s->parse; s++) {
			const struct hull_file *db =
			    s->db_paths ? pick_db(fs, s, ti->name, diag) : NULL;
			if (db && collect_db(db, s->parse, inv, diag, err) < 0)
				return -1;
		}
		size_t n = inv->npkgs - first;
		if (!n)
			continue;
		if (!(listed[t].v = malloc(n * sizeof(*listed[t].v))))
			return hull_err_nomem(err);
		memcpy(listed[t].v, inv->pkgs + first, n * sizeof(*listed[t].v));
		qsort(listed[t].v, n, sizeof(*listed[t].v), cmp_name_arch);
		listed[t].n = n;
	}
	return 0;
}

/* The first manifest source, in table order, that reads path. */
static const struct hull_pkg_source *manifest_source(const char *path, int *type)
{
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++) {
			if (s->match && !s->include_only && s->match(path)) {
				*type = t;
				return s;
			}
		}
	}
	return NULL;
}

/* The source that reads f (a manifest by its path, else a digest), or NULL. */
static const struct hull_pkg_source *file_source(const struct hull_file *f, int *type,
                                                 struct hull_str *data)
{
	*data = hull_str(f->data, f->len);
	const struct hull_pkg_source *s = manifest_source(f->path, type);
	return s ? s : digest_source(f, type, data);
}

/* A file a language source reads (owned.c keeps only those). */
static bool language_file(const struct hull_file *f)
{
	int t;
	struct hull_str data;
	return file_source(f, &t, &data) && !hull_pkg_type_is_os((enum hull_pkg_type)t);
}

/* The manifests, in path order; a language file that an operating-system
 * package installed is not read (owned.c says why). */
static int collect_files(const struct hull_fileset *fs, struct hull_inventory *inv,
                         const struct listed listed[HULL_PKG_TYPE_COUNT], struct hull_diag *diag,
                         struct hull_err *err)
{
	struct hull_owned owned;
	if (hull_owned_collect(fs, language_file, &owned, err) < 0)
		return -1;
	int rc = 0;
	struct hull_pkg_tree_seen seen = {0};
	for (size_t i = 0; rc == 0 && i < hull_fileset_count(fs); i++) {
		const struct hull_file *f = hull_fileset_at(fs, i);
		int t;
		struct hull_str data;
		const struct hull_pkg_source *s = file_source(f, &t, &data);
		if (!s ||
		    (!hull_pkg_type_is_os((enum hull_pkg_type)t) && hull_owned_has(&owned, f)))
			continue;
		size_t first = inv->npkgs;
		if (s->parse_tree) {
			struct hull_err perr = {0};
			rc = parse_result(s->parse_tree(fs, f, &seen, inv, &perr), &perr, f->layer,
			                  diag, err);
		} else {
			rc = run_parser(s->parse, data, f->path, f->layer, inv, diag, err);
		}
		if (rc == 0 && listed[t].n)
			drop_listed(inv, first, listed[t].v, listed[t].n);
	}
	for (size_t i = 0; i < seen.n; i++)
		free(seen.paths[i]);
	free(seen.paths);
	hull_owned_release(&owned);
	return rc;
}

int hull_inventory_collect(const struct hull_fileset *fs, struct hull_inventory *inv,
                           struct hull_diag *diag, struct hull_err *err)
{
	struct listed listed[HULL_PKG_TYPE_COUNT] = {{0}};
	if (collect_os(fs, &inv->os, diag, err) < 0)
		return -1;
	int rc = collect_dbs(fs, inv, listed, diag, err);
	if (rc == 0)
		rc = collect_files(fs, inv, listed, diag, err);
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++)
		free(listed[t].v);
	if (rc < 0)
		return -1;
	hull_inventory_sort(inv);
	return 0;
}

bool hull_pkgdb_lockfile_name(const char *name)
{
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++)
		for (const struct hull_pkg_source *s = hull_pkg_type_info(t)->sources; s->parse;
		     s++)
			if (!s->db_paths && s->match && !s->include_only && s->match(name))
				return true;
	return false;
}

int hull_inventory_from_lockfile(struct hull_str data, const char *path, struct hull_inventory *inv,
                                 bool *known, struct hull_err *err)
{
	*known = false;
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++) {
		const struct hull_pkg_type_info *ti = hull_pkg_type_info((enum hull_pkg_type)t);
		for (const struct hull_pkg_source *s = ti ? ti->sources : NULL; s && s->parse;
		     s++) {
			if (s->db_paths || !s->match || s->include_only || !s->match(path))
				continue;
			*known = true;
			size_t first = inv->npkgs;
			if (s->parse(data, path, HULL_LAYER_NONE, inv, err) < 0)
				return -1;
			hull_pkgdb_dedup(inv, first);
			hull_inventory_sort(inv);
			return 0;
		}
	}
	return 0;
}
