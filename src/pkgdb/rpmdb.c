/* rpmdb: hull_rpmdb_parse, the rpm database reader (no librpm).
 *
 * The container format is told by its first bytes (SQLite, NDB, Berkeley DB
 * hash); its walker hands each header blob here, and each valid header
 * becomes one package. A header that fails validation is skipped and
 * counted: the packages of the other headers are kept, and the parse ends
 * with an error that names the first bad record, so the collector can warn
 * about a damaged database without losing what it could read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/parsers.h"
#include "pkgdb/rpmdb_internal.h"
#include "util/mem.h"

struct walk {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	size_t nheaders;
	size_t nbad;
	uint64_t first_bad_id;
	struct hull_err first_bad;
};

static void pkg_free(struct hull_pkg *p)
{
	char **fields[] = {&p->name,        &p->version, &p->arch,        &p->src_name,
	                   &p->src_version, &p->license, &p->rpm_version, &p->release,
	                   &p->modularity,  &p->file};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		free(*fields[i]);
		*fields[i] = NULL;
	}
}

/* "(none)" is what rpm stores for an absent value in some headers. */
static char *dup_value(struct hull_str s, bool *oom)
{
	if (s.len == 0 || hull_str_eq_c(s, "(none)"))
		return NULL;
	char *c = hull_str_dup(s);
	if (!c)
		*oom = true;
	return c;
}

/* "openssl-3.0.7-27.el9.src.rpm" -> "openssl", "3.0.7-27.el9". Leaves both
 * NULL when the name does not have that shape. */
static void split_sourcerpm(struct hull_str s, struct hull_pkg *p, bool *oom)
{
	if (hull_str_has_suffix(s, ".src.rpm"))
		s.len -= strlen(".src.rpm");
	else if (hull_str_has_suffix(s, ".nosrc.rpm"))
		s.len -= strlen(".nosrc.rpm");
	else
		return;
	const char *rel = memrchr(s.ptr, '-', s.len);
	if (!rel || rel == s.ptr)
		return;
	const char *ver = memrchr(s.ptr, '-', (size_t)(rel - s.ptr));
	if (!ver || ver == s.ptr || ver + 1 == rel || rel + 1 == s.ptr + s.len)
		return;
	p->src_name = hull_str_dup(hull_str(s.ptr, (size_t)(ver - s.ptr)));
	p->src_version = hull_str_dup(hull_str(ver + 1, (size_t)(s.ptr + s.len - ver - 1)));
	if (!p->src_name || !p->src_version)
		*oom = true;
}

static int required(const struct hull_rpmhdr *h, uint32_t tag, const char *what,
                    struct hull_str *out, struct hull_err *err)
{
	int rc = hull_rpmhdr_get_string(h, tag, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || out->len == 0)
		return hull_err_set(err, HULL_ERR_INPUT, "header: no %s", what);
	return 0;
}

static int optional(const struct hull_rpmhdr *h, uint32_t tag, struct hull_str *out,
                    struct hull_err *err)
{
	*out = hull_str("", 0);
	return hull_rpmhdr_get_string(h, tag, out, err) < 0 ? -1 : 0;
}

/* Fills p's strings from one header blob (p zeroed by the caller). */
static int pkg_from_header(struct hull_str blob, struct hull_pkg *p, struct hull_err *err)
{
	struct hull_rpmhdr h;
	struct hull_str name, version, release, arch, srpm, license, module;
	int32_t epoch = 0;
	if (hull_rpmhdr_open(blob, &h, err) < 0 ||
	    required(&h, HULL_RPMTAG_NAME, "name", &name, err) < 0 ||
	    required(&h, HULL_RPMTAG_VERSION, "version", &version, err) < 0 ||
	    required(&h, HULL_RPMTAG_RELEASE, "release", &release, err) < 0 ||
	    optional(&h, HULL_RPMTAG_ARCH, &arch, err) < 0 ||
	    optional(&h, HULL_RPMTAG_SOURCERPM, &srpm, err) < 0 ||
	    optional(&h, HULL_RPMTAG_LICENSE, &license, err) < 0 ||
	    optional(&h, HULL_RPMTAG_MODULARITYLABEL, &module, err) < 0)
		return -1;
	int has_epoch = hull_rpmhdr_get_int32(&h, HULL_RPMTAG_EPOCH, &epoch, err);
	if (has_epoch < 0)
		return -1;
	/* rpm treats the epoch as unsigned. */
	p->epoch = has_epoch ? (long)(uint32_t)epoch : -1;
	bool oom = false;
	p->name = dup_value(name, &oom);
	p->rpm_version = dup_value(version, &oom);
	p->release = dup_value(release, &oom);
	p->arch = dup_value(arch, &oom);
	p->license = dup_value(license, &oom);
	p->modularity = dup_value(module, &oom);
	split_sourcerpm(srpm, p, &oom);
	int n = has_epoch ? asprintf(&p->version, "%ld:%.*s-%.*s", p->epoch, (int)version.len,
	                             version.ptr, (int)release.len, release.ptr)
	                  : asprintf(&p->version, "%.*s-%.*s", (int)version.len, version.ptr,
	                             (int)release.len, release.ptr);
	if (n < 0) {
		p->version = NULL;
		oom = true;
	}
	if (oom)
		return hull_err_nomem(err);
	return 0;
}

static int on_blob(void *arg, uint64_t id, struct hull_str blob, struct hull_err *err)
{
	struct walk *w = arg;
	struct hull_pkg p = {.type = HULL_PKG_RPM, .layer = w->layer};
	struct hull_err herr = {0};
	w->nheaders++;
	if (pkg_from_header(blob, &p, &herr) < 0) {
		pkg_free(&p);
		if (herr.kind == HULL_ERR_NOMEM)
			return hull_err_nomem(err);
		if (w->nbad++ == 0) {
			w->first_bad = herr;
			w->first_bad_id = id;
		}
		return 0;
	}
	p.file = strdup(w->file);
	if (!p.file) {
		pkg_free(&p);
		return hull_err_nomem(err);
	}
	return hull_inventory_add(w->inv, &p, err);
}

static bool is_bdb_magic(const unsigned char *p, uint32_t magic)
{
	return hull_rd_le32(p + 12) == magic || hull_rd_be32(p + 12) == magic;
}

/* Hands every header blob of data to fn with the walker of its container,
 * told by its first bytes. */
static int walk_container(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                          struct hull_err *err)
{
	const unsigned char *p = (const unsigned char *)data.ptr;
	if (data.len >= 16 && memcmp(p, "SQLite format 3", 16) == 0)
		return hull_rpmdb_sqlite_walk(data, fn, ctx, err);
	if (data.len >= 4 && memcmp(p, "RpmP", 4) == 0)
		return hull_rpmdb_ndb_walk(data, fn, ctx, err);
	if (data.len >= 16 && is_bdb_magic(p, 0x00061561))
		return hull_rpmdb_bdb_walk(data, fn, ctx, err);
	if (data.len >= 16 && is_bdb_magic(p, 0x00053162))
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "a Berkeley DB btree (an rpm index, not the Packages database)");
	return hull_err_set(err, HULL_ERR_INPUT,
	                    "not an rpm database (SQLite, Berkeley DB hash or NDB)");
}

int hull_rpmdb_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     struct hull_err *err)
{
	struct walk w = {.file = file, .layer = layer, .inv = inv};
	if (walk_container(data, on_blob, &w, err) < 0)
		return hull_err_wrap(err, "%s", file);
	if (w.nbad > 0) {
		hull_err_set(err, w.first_bad.kind,
		             "%s: %zu of %zu package headers skipped; the first (record %llu): %s",
		             file, w.nbad, w.nheaders, (unsigned long long)w.first_bad_id,
		             w.first_bad.msg);
		return -1;
	}
	return 0;
}

/* More folders than this in one package is not a package. */
#define MAX_DIRS (1u << 20)

struct files_walk {
	hull_rpmdb_file_fn fn;
	void *ctx;
};

/* The folders of a header, for lookup by DIRINDEXES (NULL, 0 when none or
 * on OOM: *oom says which). */
static struct hull_str *dir_table(struct hull_str dirs, uint32_t n, bool *oom)
{
	struct hull_str *v = n && n <= MAX_DIRS ? calloc(n, sizeof(*v)) : NULL;
	if (n && n <= MAX_DIRS && !v)
		*oom = true;
	for (uint32_t i = 0; v && i < n; i++)
		if (!hull_rpmhdr_next_string(&dirs, &v[i])) {
			free(v);
			return NULL;
		}
	return v;
}

static int on_files(void *arg, uint64_t id, struct hull_str blob, struct hull_err *err)
{
	(void)id;
	struct files_walk *w = arg;
	struct hull_rpmhdr h;
	struct hull_err ignored = {0};
	struct hull_str bases, dirs;
	const unsigned char *index;
	uint32_t nbases, ndirs, nindex;
	if (hull_rpmhdr_open(blob, &h, &ignored) < 0 ||
	    hull_rpmhdr_get_strings(&h, HULL_RPMTAG_BASENAMES, &bases, &nbases, &ignored) != 1 ||
	    hull_rpmhdr_get_strings(&h, HULL_RPMTAG_DIRNAMES, &dirs, &ndirs, &ignored) != 1 ||
	    hull_rpmhdr_get_int32s(&h, HULL_RPMTAG_DIRINDEXES, &index, &nindex, &ignored) != 1 ||
	    nindex != nbases)
		return 0;
	bool oom = false;
	cleanup_free struct hull_str *dir = dir_table(dirs, ndirs, &oom);
	if (oom)
		return hull_err_nomem(err);
	struct hull_str base;
	for (uint32_t i = 0; dir && i < nbases && hull_rpmhdr_next_string(&bases, &base); i++) {
		uint32_t d = hull_rd_be32(index + (size_t)i * 4);
		if (d < ndirs && w->fn(w->ctx, dir[d], base, err) < 0)
			return -1;
	}
	return 0;
}

int hull_rpmdb_each_file(struct hull_str data, const char *file, hull_rpmdb_file_fn fn, void *ctx,
                         struct hull_err *err)
{
	struct files_walk w = {.fn = fn, .ctx = ctx};
	if (walk_container(data, on_files, &w, err) < 0)
		return hull_err_wrap(err, "%s", file);
	return 0;
}
