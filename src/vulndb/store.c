/* Writing a database: a temporary file next to the target (flock'ed while
 * it is being written, so that a later writer can tell a stale one left by
 * a killed process from a live one), one transaction without a journal,
 * PRAGMA integrity_check, fsync, rename, fsync of the directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"
#include "vulndb/internal.h"

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE ns(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, packages INTEGER,"
    " advisories INTEGER);"
    "CREATE TABLE pkg(ns INTEGER NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(ns, name)) WITHOUT ROWID;"
    "CREATE TABLE vuln(id TEXT PRIMARY KEY, text BLOB, published TEXT, modified TEXT,"
    " cvss_v3 TEXT, cvss_v4 TEXT) WITHOUT ROWID;"
    "CREATE TABLE dict(name TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID;"
    "CREATE TABLE source(name TEXT PRIMARY KEY, origin TEXT, timestamp TEXT, files INTEGER,"
    " records INTEGER, entries INTEGER, withdrawn INTEGER, skipped INTEGER,"
    " unsupported INTEGER) WITHOUT ROWID;"
    "CREATE TABLE skipped(seq INTEGER PRIMARY KEY, source TEXT, file TEXT, line INTEGER,"
    " col INTEGER, offset INTEGER, message TEXT);"
    "CREATE TABLE ignored(seq INTEGER PRIMARY KEY, what TEXT);"
    "CREATE TABLE feed(name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
    " sha256 TEXT, size INTEGER, fetched TEXT) WITHOUT ROWID;"
    "CREATE TABLE eol(ns TEXT PRIMARY KEY, date TEXT NOT NULL, source TEXT NOT NULL)"
    " WITHOUT ROWID;";

static int sql_err(sqlite3 *db, const char *what, struct hull_err *err)
{
	return hull_err_set(err, HULL_ERR_IO, "%s: %s", what, db ? sqlite3_errmsg(db) : "sqlite");
}

/* ---- temporary files ---------------------------------------------------------- */

static int split_path(const char *path, char **dir, char **base, struct hull_err *err)
{
	char *d1 = strdup(path), *d2 = strdup(path);
	if (!d1 || !d2) {
		free(d1);
		free(d2);
		return hull_err_nomem(err);
	}
	*dir = strdup(dirname(d1));
	*base = strdup(basename(d2));
	free(d1);
	free(d2);
	if (!*dir || !*base) {
		free(*dir);
		free(*base);
		return hull_err_nomem(err);
	}
	return 0;
}

/* Removes ".<base>.tmp.*" files nobody holds a lock on any more. */
static void remove_stale(const char *dir, const char *base)
{
	char prefix[512];
	snprintf(prefix, sizeof(prefix), ".%s.tmp.", base);
	cleanup_dir DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	time_t now = time(NULL);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		cleanup_free char *p = NULL;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			p = NULL; /* undefined after a failure */
			continue;
		}
		cleanup_close int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat st;
		/* a file just created has no lock for a few instructions: leave
		 * young files alone */
		if (fd >= 0 && fstat(fd, &st) == 0 && now - st.st_mtime > 2 &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(p);
	}
}

int vdb_tmpfile(const char *path, char **tmp_name, struct hull_err *err)
{
	char *dir, *base;
	if (split_path(path, &dir, &base, err) < 0)
		return -1;
	remove_stale(dir, base);
	char *tmp = NULL;
	int rc = asprintf(&tmp, "%s/.%s.tmp.XXXXXX", dir, base);
	free(dir);
	free(base);
	if (rc < 0)
		return hull_err_nomem(err);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		hull_err_errno(err, errno, "%s: cannot create a temporary file", path);
		free(tmp);
		return -1;
	}
	if (flock(fd, LOCK_EX) < 0 || fchmod(fd, 0644) < 0) {
		hull_err_errno(err, errno, "%s", tmp);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	*tmp_name = tmp;
	return fd;
}

int vdb_install(const char *tmp, const char *path, struct hull_err *err)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", tmp);
	if (fsync(fd) < 0) {
		int e = errno;
		close(fd);
		return hull_err_errno(err, e, "%s: fsync", tmp);
	}
	close(fd);
	if (rename(tmp, path) < 0)
		return hull_err_errno(err, errno, "%s: rename", path);
	char *dir, *base;
	if (split_path(path, &dir, &base, err) < 0)
		return -1;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	free(base);
	return 0;
}

/* ---- checks -------------------------------------------------------------------- */

static int integrity(sqlite3 *db, const char *path, struct hull_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return sql_err(db, path, err);
	int rc = sqlite3_step(st);
	const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	int out = 0;
	if (!r || strcmp(r, "ok") != 0)
		out = hull_err_set(err, HULL_ERR_INPUT, "%s: integrity check failed: %s", path,
		                   r ? r : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

int vdb_store_check(const char *path, struct hull_err *err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sql_err(db, path, err);
		sqlite3_close(db);
		return -1;
	}
	int rc = vdb_schema_check(db, path, err);
	if (rc == 0)
		rc = integrity(db, path, err);
	sqlite3_close(db);
	return rc;
}

int vdb_schema_check(sqlite3 *db, const char *path, struct hull_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema'", -1, &st, NULL) !=
	    SQLITE_OK)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a hull vulnerability database",
		                    path);
	int rc = sqlite3_step(st);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (v != HULL_VULNDB_SCHEMA)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: database schema %d, this hull reads schema %d (run 'hull "
		                    "db update' or 'hull db build')",
		                    path, v, HULL_VULNDB_SCHEMA);
	return 0;
}

/* ---- writing ------------------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql, struct hull_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		hull_err_set(err, HULL_ERR_IO, "sqlite: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct hull_err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return sql_err(db, "prepare", err);
	return 0;
}

static int step_reset(sqlite3 *db, sqlite3_stmt *st, struct hull_err *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return sql_err(db, "insert", err);
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int put_meta(sqlite3 *db, sqlite3_stmt *st, const char *k, const char *v,
                    struct hull_err *err)
{
	bind_text(st, 1, k);
	bind_text(st, 2, v);
	return step_reset(db, st, err);
}

static int write_meta(struct hull_vulndb_builder *b, sqlite3 *db, struct hull_err *err)
{
	sqlite3_stmt *st;
	if (prep(db, "INSERT INTO meta VALUES(?1, ?2)", &st, err) < 0)
		return -1;
	char now[32], num[32], num2[32], num3[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(num, sizeof(num), "%d", HULL_VULNDB_SCHEMA);
	snprintf(num2, sizeof(num2), "%llu", (unsigned long long)b->skipped_total);
	snprintf(num3, sizeof(num3), "%llu", (unsigned long long)b->ignored_total);
	char in[32];
	snprintf(in, sizeof(in), "%llu", (unsigned long long)b->input_bytes);
	int rc = put_meta(db, st, "schema", num, err) < 0 ||
	                 put_meta(db, st, "built", now, err) < 0 ||
	                 put_meta(db, st, "hull_version", HULL_VERSION, err) < 0 ||
	                 put_meta(db, st, "skipped_total", num2, err) < 0 ||
	                 put_meta(db, st, "ignored_total", num3, err) < 0 ||
	                 put_meta(db, st, "input_bytes", in, err) < 0
	             ? -1
	             : 0;
	sqlite3_finalize(st);
	return rc;
}

static int write_sources(struct hull_vulndb_builder *b, sqlite3 *db, struct hull_err *err)
{
	sqlite3_stmt *st;
	if (prep(db, "INSERT INTO source VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", &st, err) < 0)
		return -1;
	int rc = 0;
	for (int s = 0; s < HULL_VULNDB_SRC_COUNT && rc == 0; s++) {
		struct vdb_source_stats *x = &b->src[s];
		if (!x->files && !x->records && !x->skipped)
			continue;
		struct hull_buf o;
		hull_buf_init(&o, 1 << 20);
		for (size_t i = 0; i < x->n_origins && rc == 0; i++)
			rc = hull_buf_printf(&o, err, "%s%s", i ? "\n" : "", x->origins[i]);
		bind_text(st, 1, hull_vulndb_source_name((enum hull_vulndb_source)s));
		bind_text(st, 2, o.data);
		bind_text(st, 3, x->timestamp[0] ? x->timestamp : NULL);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)x->files);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)x->records);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)x->entries);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)x->withdrawn);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)x->skipped);
		sqlite3_bind_int64(st, 9, (sqlite3_int64)x->unsupported);
		if (rc == 0)
			rc = step_reset(db, st, err);
		hull_buf_release(&o);
	}
	sqlite3_finalize(st);
	if (rc < 0 || prep(db, "INSERT INTO skipped VALUES(NULL,?1,?2,?3,?4,?5,?6)", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n_skips && rc == 0; i++) {
		struct vdb_skip *k = &b->skips[i];
		bind_text(st, 1, hull_vulndb_source_name((enum hull_vulndb_source)k->source));
		bind_text(st, 2, k->file);
		sqlite3_bind_int(st, 3, (int)k->line);
		sqlite3_bind_int(st, 4, (int)k->col);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)k->offset);
		bind_text(st, 6, k->message);
		rc = step_reset(db, st, err);
	}
	sqlite3_finalize(st);
	if (rc < 0 || prep(db, "INSERT INTO ignored VALUES(NULL,?1)", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n_ignored && rc == 0; i++) {
		bind_text(st, 1, b->ignored[i]);
		rc = step_reset(db, st, err);
	}
	sqlite3_finalize(st);
	if (rc < 0 || prep(db, "INSERT INTO feed VALUES(?1,?2,?3,?4,?5,?6,?7)", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n_feeds && rc == 0; i++) {
		const struct vdb_feed_state *f = &b->feeds[i];
		bind_text(st, 1, f->name);
		bind_text(st, 2, f->url);
		bind_text(st, 3, f->etag);
		bind_text(st, 4, f->last_modified);
		bind_text(st, 5, f->sha256);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)f->size);
		bind_text(st, 7, f->fetched);
		rc = step_reset(db, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Rows encoded in one buffer, then compressed with a dictionary trained on
 * them. */
struct rows {
	struct hull_buf all;
	size_t *off, *len;
	const char **ptr;
	size_t n;
};

static void rows_release(struct rows *r)
{
	hull_buf_release(&r->all);
	free(r->off);
	free(r->len);
	free(r->ptr);
}

static int rows_init(struct rows *r, size_t n, struct hull_err *err)
{
	memset(r, 0, sizeof(*r));
	hull_buf_init(&r->all, 16ull << 30);
	r->off = calloc(n + 1, sizeof(*r->off));
	r->len = calloc(n + 1, sizeof(*r->len));
	r->ptr = calloc(n + 1, sizeof(*r->ptr));
	return r->off && r->len && r->ptr ? 0 : hull_err_nomem(err);
}

/* Call after every row is in: pointers are stable from here on. */
static void rows_seal(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->ptr[i] = r->all.data + r->off[i];
}

static int put_dict(sqlite3 *db, const char *name, const struct vdb_zpack *z, struct hull_err *err)
{
	if (!z->dict_len)
		return 0;
	sqlite3_stmt *st;
	if (prep(db, "INSERT INTO dict VALUES(?1, ?2)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, z->dict, (int)z->dict_len, SQLITE_STATIC);
	int rc = step_reset(db, st, err);
	sqlite3_finalize(st);
	return rc;
}

static int write_packages(struct hull_vulndb_builder *b, sqlite3 *db, struct hull_err *err)
{
	struct rows r;
	struct vdb_zpack z = {0};
	struct hull_buf packed;
	hull_buf_init(&packed, 1u << 30);
	sqlite3_stmt *st = NULL, *nst = NULL;
	uint64_t *npk = calloc(b->n_ns + 1, sizeof(*npk)),
	         *nadv = calloc(b->n_ns + 1, sizeof(*nadv));
	int rc = rows_init(&r, b->n_pkgs, err);
	if (rc == 0 && (!npk || !nadv))
		rc = hull_err_nomem(err);
	for (size_t i = 0; i < b->n_pkgs && rc == 0; i++) {
		struct vdb_pkg *p = b->pkgs[i];
		r.off[i] = r.all.len;
		rc = vdb_blob_encode(p->advs, p->n, &r.all, err);
		r.len[i] = r.all.len - r.off[i];
		r.n = i + 1;
		npk[p->ns] += p->n > 0;
		nadv[p->ns] += p->n;
	}
	if (rc == 0) {
		rows_seal(&r);
		rc = vdb_zpack_train(&z, r.ptr, r.len, r.n, 9, err);
	}
	if (rc == 0)
		rc = put_dict(db, "pkg", &z, err);
	if (rc == 0)
		rc = prep(db, "INSERT INTO pkg VALUES(?1, ?2, ?3)", &st, err);
	if (rc == 0)
		rc = prep(db, "INSERT INTO ns VALUES(?1, ?2, ?3, ?4)", &nst, err);
	for (size_t i = 0; i < r.n && rc == 0; i++) {
		struct vdb_pkg *p = b->pkgs[i];
		if (!p->n)
			continue;
		rc = vdb_zpack(&z, r.ptr[i], r.len[i], &packed, err);
		if (rc < 0)
			break;
		sqlite3_bind_int(st, 1, (int)p->ns);
		sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, packed.data, (int)packed.len, SQLITE_STATIC);
		rc = step_reset(db, st, err);
		if (b->opts.progress && i % 4096 == 0)
			b->opts.progress(b->opts.progress_ctx, b->input_total, b->input_total);
	}
	for (size_t i = 0; i < b->n_ns && rc == 0; i++) {
		if (!npk[i])
			continue;
		sqlite3_bind_int(nst, 1, (int)i);
		sqlite3_bind_text(nst, 2, b->ns[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(nst, 3, (sqlite3_int64)npk[i]);
		sqlite3_bind_int64(nst, 4, (sqlite3_int64)nadv[i]);
		rc = step_reset(db, nst, err);
	}
	rows_release(&r);
	vdb_zpack_release(&z);
	hull_buf_release(&packed);
	free(npk);
	free(nadv);
	sqlite3_finalize(st);
	sqlite3_finalize(nst);
	return rc;
}

static int details_cmp(const void *a, const void *b)
{
	return strcmp((*(struct vdb_details *const *)a)->id, (*(struct vdb_details *const *)b)->id);
}

/* The texts of one id: description, NUL, newline-separated references. */
static int encode_text(const struct vdb_details *d, struct hull_buf *o, struct hull_err *err)
{
	if (d->description && hull_buf_append_str(o, d->description, err) < 0)
		return -1;
	if (hull_buf_putc(o, 0, err) < 0)
		return -1;
	for (size_t k = 0; k < d->n_refs; k++)
		if (hull_buf_printf(o, err, "%s%s", k ? "\n" : "", d->refs[k]) < 0)
			return -1;
	return 0;
}

static int write_details(struct hull_vulndb_builder *b, sqlite3 *db, struct hull_err *err)
{
	if (b->n_details)
		qsort(b->details, b->n_details, sizeof(*b->details), details_cmp);
	struct rows r;
	struct vdb_zpack z = {0};
	struct hull_buf packed;
	hull_buf_init(&packed, 1u << 30);
	sqlite3_stmt *st = NULL;
	int rc = rows_init(&r, b->n_details, err);
	for (size_t i = 0; i < b->n_details && rc == 0; i++) {
		r.off[i] = r.all.len;
		rc = encode_text(b->details[i], &r.all, err);
		r.len[i] = r.all.len - r.off[i];
		r.n = i + 1;
	}
	if (rc == 0) {
		rows_seal(&r);
		rc = vdb_zpack_train(&z, r.ptr, r.len, r.n, 9, err);
	}
	if (rc == 0)
		rc = put_dict(db, "text", &z, err);
	if (rc == 0)
		rc = prep(db, "INSERT INTO vuln VALUES(?1,?2,?3,?4,?5,?6)", &st, err);
	for (size_t i = 0; i < r.n && rc == 0; i++) {
		struct vdb_details *d = b->details[i];
		rc = vdb_zpack(&z, r.ptr[i], r.len[i], &packed, err);
		if (rc < 0)
			break;
		bind_text(st, 1, d->id);
		sqlite3_bind_blob(st, 2, packed.data, (int)packed.len, SQLITE_STATIC);
		bind_text(st, 3, d->published);
		bind_text(st, 4, d->modified);
		bind_text(st, 5, d->cvss_v3);
		bind_text(st, 6, d->cvss_v4);
		rc = step_reset(db, st, err);
	}
	rows_release(&r);
	vdb_zpack_release(&z);
	hull_buf_release(&packed);
	sqlite3_finalize(st);
	return rc;
}

static int write_eol(sqlite3 *db, struct hull_err *err)
{
	sqlite3_stmt *st;
	size_t n;
	const struct vdb_eol *t = vdb_eol_table(&n);
	if (prep(db, "INSERT INTO eol VALUES(?1,?2,?3)", &st, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		bind_text(st, 1, t[i].ns);
		bind_text(st, 2, t[i].date);
		bind_text(st, 3, t[i].source);
		rc = step_reset(db, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int fill(struct hull_vulndb_builder *b, sqlite3 *db, const char *tmp, struct hull_err *err)
{
	if (exec(db,
	         "PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	         "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-65536;",
	         err) < 0 ||
	    exec(db, "BEGIN", err) < 0 || exec(db, schema_sql, err) < 0)
		return -1;
	if (write_meta(b, db, err) < 0 || write_sources(b, db, err) < 0 ||
	    write_packages(b, db, err) < 0 || write_details(b, db, err) < 0 ||
	    write_eol(db, err) < 0)
		return -1;
	if (exec(db, "COMMIT", err) < 0)
		return -1;
	return integrity(db, tmp, err);
}

int vdb_store_write(struct hull_vulndb_builder *b, const char *path, struct hull_err *err)
{
	if (vdb_finish(b, err) < 0)
		return -1;
	char *tmp = NULL;
	int lockfd = vdb_tmpfile(path, &tmp, err);
	if (lockfd < 0)
		return -1;
	sqlite3 *db = NULL;
	int rc = 0;
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		rc = sql_err(db, tmp, err);
	if (rc == 0)
		rc = fill(b, db, tmp, err);
	if (db && sqlite3_close(db) != SQLITE_OK && rc == 0)
		rc = hull_err_set(err, HULL_ERR_IO, "%s: close failed", tmp);
	if (rc == 0)
		rc = vdb_install(tmp, path, err);
	if (rc < 0) {
		hull_err_wrap(err, "%s", path);
		unlink(tmp);
	}
	close(lockfd);
	free(tmp);
	return rc;
}

int hull_vulndb_builder_write(struct hull_vulndb_builder *b, const char *path, struct hull_err *err)
{
	/* an empty database would make every later scan look clean: build,
	 * update and the library call all refuse to write one */
	if (hull_vulndb_builder_records(b) == 0)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "no advisory record in %s: database not written",
		                    b->origin ? b->origin : "the feeds read");
	return vdb_store_write(b, path, err);
}

int hull_vulndb_build(const char *path, const char *const *inputs, size_t n_inputs,
                      const struct hull_vulndb_build_opts *opts, struct hull_err *err)
{
	struct hull_vulndb_builder *b;
	if (hull_vulndb_builder_new(opts, &b, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n_inputs && rc == 0; i++)
		rc = hull_vulndb_builder_add_path(b, inputs[i], err);
	if (rc == 0)
		rc = hull_vulndb_builder_write(b, path, err);
	hull_vulndb_builder_free(b);
	return rc;
}
