/* Reading a database: immutable, memory-mapped, one prepared statement per
 * query kind; info, export and import. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "util/digest.h"
#include "util/json.h"
#include "util/mem.h"
#include "vulndb/internal.h"

struct hull_vulndb {
	sqlite3 *db;
	sqlite3_stmt *lookup, *details, *eol;
	char eolbuf[2][512];
	char **ns; /* id -> name, sorted by name (ids are in name order) */
	size_t n_ns;
	struct vdb_scratch sc;
	struct vdb_zunpack zpkg, ztext;
	char pkgbuf[520];
	/* details strings (copied: valid until the next call) */
	struct hull_buf dbuf;
	const char **refs;
	size_t cap_refs;
};

/* "file:<path>?immutable=1" with the path percent-encoded as URIs need. */
static char *uri_of(const char *path)
{
	struct hull_buf b;
	hull_buf_init(&b, 1 << 16);
	struct hull_err err;
	int rc = hull_buf_append_str(&b, "file:", &err);
	for (const unsigned char *p = (const unsigned char *)path; *p && rc == 0; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f)
			rc = hull_buf_printf(&b, &err, "%%%02X", *p);
		else
			rc = hull_buf_putc(&b, (char)*p, &err);
	}
	if (rc == 0)
		rc = hull_buf_append_str(&b, "?immutable=1", &err);
	if (rc < 0) {
		hull_buf_release(&b);
		return NULL;
	}
	return hull_buf_detach(&b, NULL);
}

static int open_ro(const char *path, sqlite3 **out, struct hull_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return hull_err_set(err, errno == ENOENT ? HULL_ERR_NOTFOUND : HULL_ERR_IO,
		                    "%s: %s%s", path, strerror(errno),
		                    errno == ENOENT ? " (run 'hull db build' or 'hull db update')"
		                                    : "");
	if (!S_ISREG(st.st_mode))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file", path);
	cleanup_free char *uri = uri_of(path);
	if (!uri)
		return hull_err_nomem(err);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		hull_err_set(err, HULL_ERR_INPUT, "%s: %s", path,
		             db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_exec(db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	if (vdb_schema_check(db, path, err) < 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void hull_vulndb_close(struct hull_vulndb *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->lookup);
	sqlite3_finalize(db->details);
	sqlite3_finalize(db->eol);
	for (size_t i = 0; i < db->n_ns; i++)
		free(db->ns[i]);
	free(db->ns);
	vdb_scratch_release(&db->sc);
	vdb_zunpack_release(&db->zpkg);
	vdb_zunpack_release(&db->ztext);
	hull_buf_release(&db->dbuf);
	free(db->refs);
	sqlite3_close(db->db);
	free(db);
}

static int load_namespaces(struct hull_vulndb *db, const char *path, struct hull_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "SELECT id, name FROM ns ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: %s", path, sqlite3_errmsg(db->db));
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (id < 0 || !name || (size_t)id < db->n_ns || id > 1000000) {
			sqlite3_finalize(st);
			return hull_err_set(err, HULL_ERR_INPUT, "%s: damaged namespace table",
			                    path);
		}
		/* ids can have gaps (namespaces whose entries all merged away) */
		while (db->n_ns <= (size_t)id) {
			if (HULL_ARRAY_PUSH_ROOM(db->ns, db->n_ns, cap, 1000001, err) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
			db->ns[db->n_ns++] = NULL;
		}
		if (!(db->ns[id] = strdup(name))) {
			sqlite3_finalize(st);
			return hull_err_nomem(err);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: %s", path, sqlite3_errmsg(db->db));
	return 0;
}

static int load_dict(sqlite3 *db, const char *name, struct vdb_zunpack *z, struct hull_err *err)
{
	sqlite3_stmt *st;
	const void *d = NULL;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT data FROM dict WHERE name=?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return hull_err_set(err, HULL_ERR_INPUT, "dictionary: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		d = sqlite3_column_blob(st, 0);
		n = sqlite3_column_bytes(st, 0);
	}
	int rc = vdb_zunpack_init(z, d, d ? (size_t)n : 0, err);
	sqlite3_finalize(st);
	return rc;
}

int hull_vulndb_open(const char *path, struct hull_vulndb **out, struct hull_err *err)
{
	struct hull_vulndb *db = calloc(1, sizeof(*db));
	if (!db)
		return hull_err_nomem(err);
	hull_buf_init(&db->dbuf, 64u << 20);
	if (open_ro(path, &db->db, err) < 0 || load_namespaces(db, path, err) < 0 ||
	    load_dict(db->db, "pkg", &db->zpkg, err) < 0 ||
	    load_dict(db->db, "text", &db->ztext, err) < 0)
		goto fail;
	if (sqlite3_prepare_v3(db->db, "SELECT data FROM pkg WHERE ns=?1 AND name=?2", -1,
	                       SQLITE_PREPARE_PERSISTENT, &db->lookup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(db->db,
	                       "SELECT id, text, published, modified, cvss_v3, cvss_v4 FROM "
	                       "vuln WHERE id=?1",
	                       -1, SQLITE_PREPARE_PERSISTENT, &db->details, NULL) != SQLITE_OK) {
		hull_err_set(err, HULL_ERR_INPUT, "%s: %s", path, sqlite3_errmsg(db->db));
		goto fail;
	}
	*out = db;
	return 0;
fail:
	hull_vulndb_close(db);
	return -1;
}

int hull_vulndb_eol(struct hull_vulndb *db, const char *ns, struct hull_vulndb_eol *out,
                    struct hull_err *err)
{
	if (!db->eol && sqlite3_prepare_v3(db->db, "SELECT date, source FROM eol WHERE ns=?1", -1,
	                                   SQLITE_PREPARE_PERSISTENT, &db->eol, NULL) != SQLITE_OK)
		return hull_err_set(err, HULL_ERR_INPUT, "eol: %s", sqlite3_errmsg(db->db));
	sqlite3_reset(db->eol);
	sqlite3_bind_text(db->eol, 1, ns, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(db->eol);
	if (rc == SQLITE_DONE)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "no end of life known for %s", ns);
	const unsigned char *d = sqlite3_column_text(db->eol, 0);
	const unsigned char *s = sqlite3_column_text(db->eol, 1);
	if (rc != SQLITE_ROW || !d || !s || strlen((const char *)d) >= sizeof(db->eolbuf[0]) ||
	    strlen((const char *)s) >= sizeof(db->eolbuf[1]))
		return hull_err_set(err, HULL_ERR_INPUT, "eol %s: a damaged row", ns);
	snprintf(db->eolbuf[0], sizeof(db->eolbuf[0]), "%s", d);
	snprintf(db->eolbuf[1], sizeof(db->eolbuf[1]), "%s", s);
	out->date = db->eolbuf[0];
	out->source = db->eolbuf[1];
	return 0;
}

static int ns_id(struct hull_vulndb *db, const char *ns)
{
	for (size_t i = 0; i < db->n_ns; i++)
		if (db->ns[i] && strcmp(db->ns[i], ns) == 0)
			return (int)i;
	return -1;
}

bool hull_vulndb_has_namespace(struct hull_vulndb *db, const char *ns)
{
	return ns_id(db, ns) >= 0;
}

int hull_vulndb_lookup(struct hull_vulndb *db, const char *ns, struct hull_str name,
                       hull_vulndb_visit_fn fn, void *ctx, struct hull_err *err)
{
	int id = ns_id(db, ns);
	if (id < 0 || !name.len)
		return 0;
	const char *key = db->pkgbuf;
	if (!vdb_pkg_key(ns, name, db->pkgbuf, sizeof(db->pkgbuf)))
		return 0;
	sqlite3_stmt *st = db->lookup;
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int out = 0;
	if (rc == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0), *raw;
		int n = sqlite3_column_bytes(st, 0);
		size_t rawn;
		out = vdb_zunpack(&db->zpkg, blob, blob ? (size_t)n : 0, &raw, &rawn, err);
		if (out == 0)
			out = vdb_blob_decode(raw, rawn, db->ns[id], key, &db->sc, fn, ctx, err);
		else
			hull_err_wrap(err, "%s %s", ns, key);
	} else if (rc != SQLITE_DONE) {
		out = hull_err_set(err, HULL_ERR_IO, "lookup %s %s: %s", ns, key,
		                   sqlite3_errmsg(db->db));
	}
	sqlite3_reset(st);
	return out;
}

int hull_vulndb_details(struct hull_vulndb *db, const char *id, struct hull_vulndb_details *out,
                        struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = db->details;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: no details", id);
		return hull_err_set(err, HULL_ERR_IO, "%s: %s", id, sqlite3_errmsg(db->db));
	}
	/* copy every column into one buffer: offsets first, pointers after,
	 * since the buffer may move while it grows */
	hull_buf_reset(&db->dbuf);
	size_t off[7];
	bool null[7];
	int r = 0;
	for (int c = 0; c < 6 && r == 0; c++) {
		off[c] = db->dbuf.len;
		if (c == 1) {
			/* description NUL references, compressed */
			const void *t = sqlite3_column_blob(st, 1), *raw = NULL;
			size_t rawn = 0;
			null[1] = !t;
			r = t ? vdb_zunpack(&db->ztext, t, (size_t)sqlite3_column_bytes(st, 1),
			                    &raw, &rawn, err)
			      : 0;
			if (r == 0 && raw) {
				size_t dl = strnlen(raw, rawn);
				null[1] = dl == 0;
				r = hull_buf_append(&db->dbuf, raw, dl, err);
				if (r == 0)
					r = hull_buf_putc(&db->dbuf, 0, err);
				off[6] = db->dbuf.len;
				null[6] = dl + 1 >= rawn;
				if (r == 0 && !null[6])
					r = hull_buf_append(&db->dbuf, (const char *)raw + dl + 1,
					                    rawn - dl - 1, err);
				if (r == 0)
					r = hull_buf_putc(&db->dbuf, 0, err);
			} else {
				null[6] = true;
			}
			continue;
		}
		const unsigned char *t = sqlite3_column_text(st, c);
		null[c] = !t;
		if (t)
			r = hull_buf_append(&db->dbuf, t, strlen((const char *)t) + 1, err);
	}
	sqlite3_reset(st);
	if (r < 0)
		return -1;
	const char *base = db->dbuf.data;
	const char **fields[] = {&out->id,       &out->description, &out->published,
	                         &out->modified, &out->cvss_v3,     &out->cvss_v4};
	for (int c = 0; c < 6; c++)
		*fields[c] = null[c] ? NULL : base + off[c];
	if (!null[6]) {
		/* references: newline-separated, split in place */
		char *p = db->dbuf.data + off[6];
		size_t n = 0;
		for (char *q = p;; q++) {
			if (*q == '\n' || !*q) {
				bool end = !*q;
				*q = 0;
				if (HULL_ARRAY_PUSH_ROOM(db->refs, n, db->cap_refs, VDB_MAX_LIST,
				                         err) < 0)
					return -1;
				db->refs[n++] = p;
				p = q + 1;
				if (end)
					break;
			}
		}
		out->references = db->refs;
		out->n_references = n;
	}
	return 0;
}

/* ---- info -------------------------------------------------------------------- */

static struct json_object *jstr(const unsigned char *s)
{
	return s ? json_object_new_string((const char *)s) : NULL;
}

static int add_rows(sqlite3 *db, const char *sql, struct json_object *arr, const char *const *names,
                    struct hull_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return hull_err_set(err, HULL_ERR_INPUT, "%s", sqlite3_errmsg(db));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct json_object *o = json_object_new_object();
		for (int c = 0; names[c]; c++) {
			struct json_object *v = NULL;
			if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
				v = json_object_new_int64(sqlite3_column_int64(st, c));
			else
				v = jstr(sqlite3_column_text(st, c));
			if (!strcmp(names[c], "origin") && v) {
				/* newline-separated origins -> list */
				struct json_object *l = json_object_new_array();
				struct hull_str rest = hull_str_c(json_object_get_string(v)), line;
				while (hull_str_next_line(&rest, &line))
					json_object_array_add(
					    l, json_object_new_string_len(line.ptr, (int)line.len));
				json_object_put(v);
				v = l;
			}
			json_object_object_add(o, names[c], v);
		}
		json_object_array_add(arr, o);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : hull_err_set(err, HULL_ERR_IO, "%s", sqlite3_errmsg(db));
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *meta(sqlite3 *db, const char *key, char *out, size_t cap)
{
	sqlite3_stmt *st;
	const char *r = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
			snprintf(out, cap, "%s", sqlite3_column_text(st, 0));
			r = out;
		}
	}
	sqlite3_finalize(st);
	return r;
}

int hull_vulndb_info(const char *path, struct json_object **out, struct hull_err *err)
{
	sqlite3 *db;
	if (open_ro(path, &db, err) < 0)
		return -1;
	struct json_object *o = json_object_new_object();
	char built[64], buf[64];
	struct stat st;
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "schema", json_object_new_int(HULL_VULNDB_SCHEMA));
	if (meta(db, "built", built, sizeof(built))) {
		json_object_object_add(o, "built", json_object_new_string(built));
		struct tm tm = {0};
		if (strptime(built, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
			double age = difftime(time(NULL), timegm(&tm)) / 86400.0;
			json_object_object_add(o, "age_days", json_object_new_double(age));
		}
	}
	if (meta(db, "hull_version", buf, sizeof(buf)))
		json_object_object_add(o, "hull_version", json_object_new_string(buf));
	if (stat(path, &st) == 0)
		json_object_object_add(o, "size", json_object_new_int64(st.st_size));
	if (meta(db, "input_bytes", buf, sizeof(buf)))
		json_object_object_add(o, "input_bytes", json_object_new_int64(atoll(buf)));
	json_object_object_add(o, "namespaces",
	                       json_object_new_int64(scalar(db, "SELECT count(*) FROM ns")));
	json_object_object_add(o, "packages",
	                       json_object_new_int64(scalar(db, "SELECT count(*) FROM pkg")));
	json_object_object_add(
	    o, "advisories",
	    json_object_new_int64(scalar(db, "SELECT coalesce(sum(advisories),0) FROM ns")));
	static const char *const src_cols[] = {"name",        "origin",  "timestamp", "files",
	                                       "records",     "entries", "withdrawn", "skipped",
	                                       "unsupported", NULL};
	static const char *const skip_cols[] = {"source", "file",    "line", "column",
	                                        "offset", "message", NULL};
	static const char *const ns_cols[] = {"name", "packages", "advisories", NULL};
	static const char *const feed_cols[] = {"name",   "url",  "etag",    "last_modified",
	                                        "sha256", "size", "fetched", NULL};
	static const char *const ign_cols[] = {"what", NULL};
	static const char *const eol_cols[] = {"ns", "date", "source", NULL};
	struct json_object *srcs = json_object_new_array(), *skips = json_object_new_array(),
	                   *nss = json_object_new_array(), *feeds = json_object_new_array(),
	                   *ign = json_object_new_array(), *eol = json_object_new_array();
	json_object_object_add(o, "sources", srcs);
	json_object_object_add(o, "namespace_list", nss);
	json_object_object_add(o, "skipped", skips);
	json_object_object_add(o, "ignored", ign);
	json_object_object_add(o, "feeds", feeds);
	json_object_object_add(o, "eol", eol);
	int rc = add_rows(db,
	                  "SELECT name, origin, timestamp, files, records, entries, withdrawn, "
	                  "skipped, unsupported FROM source ORDER BY name",
	                  srcs, src_cols, err);
	if (rc == 0)
		rc = add_rows(db, "SELECT name, packages, advisories FROM ns ORDER BY name", nss,
		              ns_cols, err);
	if (rc == 0)
		rc = add_rows(db,
		              "SELECT source, file, line, col, offset, message FROM skipped ORDER "
		              "BY seq",
		              skips, skip_cols, err);
	if (rc == 0)
		rc = add_rows(db, "SELECT what FROM ignored ORDER BY seq", ign, ign_cols, err);
	if (rc == 0)
		rc = add_rows(db,
		              "SELECT name, url, etag, last_modified, sha256, size, fetched FROM "
		              "feed ORDER BY name",
		              feeds, feed_cols, err);
	if (rc == 0)
		rc = add_rows(db, "SELECT ns, date, source FROM eol ORDER BY ns", eol, eol_cols,
		              err);
	if (meta(db, "skipped_total", buf, sizeof(buf)))
		json_object_object_add(o, "skipped_total", json_object_new_int64(atoll(buf)));
	if (meta(db, "ignored_total", buf, sizeof(buf)))
		json_object_object_add(o, "ignored_total", json_object_new_int64(atoll(buf)));
	sqlite3_close(db);
	if (rc < 0) {
		json_object_put(o);
		return hull_err_wrap(err, "%s", path);
	}
	*out = o;
	return 0;
}

/* ---- export / import ----------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n, const char *name, struct hull_err *err)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return hull_err_errno(err, errno, "%s: write", name);
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void free_cctx(ZSTD_CCtx **c)
{
	ZSTD_freeCCtx(*c); /* NULL is fine */
}

static void free_dctx(ZSTD_DCtx **d)
{
	ZSTD_freeDCtx(*d);
}

#define cleanup_cctx __attribute__((cleanup(free_cctx)))
#define cleanup_dctx __attribute__((cleanup(free_dctx)))

/* Copies src to the open fd, compressing with zstd or decompressing. */
static int copy_stream(int in, int out, const char *src, const char *dst, int mode,
                       struct hull_err *err)
{
	enum { PLAIN, COMPRESS, DECOMPRESS };
	size_t inbuf_n = 1 << 17;
	size_t outcap = ZSTD_CStreamOutSize() > ZSTD_DStreamOutSize() ? ZSTD_CStreamOutSize()
	                                                              : ZSTD_DStreamOutSize();
	cleanup_free char *ib = malloc(inbuf_n);
	cleanup_free char *ob = malloc(outcap);
	cleanup_cctx ZSTD_CCtx *cc = mode == COMPRESS ? ZSTD_createCCtx() : NULL;
	cleanup_dctx ZSTD_DCtx *dc = mode == DECOMPRESS ? ZSTD_createDCtx() : NULL;
	uint64_t total = 0;
	size_t last = 1;
	if (!ib || !ob || (mode == COMPRESS && !cc) || (mode == DECOMPRESS && !dc))
		return hull_err_nomem(err);
	if (cc)
		ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 19);
	for (;;) {
		ssize_t n = read(in, ib, inbuf_n);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return hull_err_errno(err, errno, "%s: read", src);
		if (mode == PLAIN) {
			if (n == 0)
				break;
			if (write_all(out, ib, (size_t)n, dst, err) < 0)
				return -1;
			continue;
		}
		ZSTD_inBuffer zin = {ib, (size_t)n, 0};
		bool end = n == 0;
		for (;;) {
			ZSTD_outBuffer zout = {ob, outcap, 0};
			size_t r = cc ? ZSTD_compressStream2(cc, &zout, &zin,
			                                     end ? ZSTD_e_end : ZSTD_e_continue)
			              : ZSTD_decompressStream(dc, &zout, &zin);
			if (ZSTD_isError(r))
				return hull_err_set(err, HULL_ERR_INPUT, "%s: zstd: %s", src,
				                    ZSTD_getErrorName(r));
			total += zout.pos;
			if (dc && total > (64ull << 30))
				return hull_err_set(err, HULL_ERR_LIMIT, "%s: too large", src);
			if (write_all(out, ob, zout.pos, dst, err) < 0)
				return -1;
			if (dc && !end)
				last = r;
			bool done = cc ? (end ? r == 0 : zin.pos == zin.size)
			               : (zin.pos == zin.size && zout.pos < outcap);
			if (done)
				break;
		}
		if (end)
			break;
	}
	if (dc && last != 0)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: truncated zstd stream", src);
	return 0;
}

int hull_vulndb_export(const char *db_path, const char *dest, struct hull_err *err)
{
	if (vdb_store_check(db_path, err) < 0)
		return -1;
	int in = open(db_path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return hull_err_errno(err, errno, "%s", db_path);
	char *tmp = NULL;
	int out = vdb_tmpfile(dest, &tmp, err);
	if (out < 0) {
		close(in);
		return -1;
	}
	bool zst = strlen(dest) > 4 && !strcmp(dest + strlen(dest) - 4, ".zst");
	int rc = copy_stream(in, out, db_path, tmp, zst ? 1 : 0, err);
	close(in);
	if (rc == 0)
		rc = vdb_install(tmp, dest, err);
	if (rc < 0)
		unlink(tmp);
	close(out);
	free(tmp);
	return rc;
}

int hull_vulndb_import(const char *db_path, const char *src, struct hull_err *err)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return hull_err_errno(err, errno, "%s", src);
	unsigned char magic[4] = {0};
	ssize_t m = pread(in, magic, 4, 0);
	bool zst = m == 4 && !memcmp(magic, "\x28\xb5\x2f\xfd", 4);
	char *tmp = NULL;
	int out = vdb_tmpfile(db_path, &tmp, err);
	if (out < 0) {
		close(in);
		return -1;
	}
	int rc = copy_stream(in, out, src, tmp, zst ? 2 : 0, err);
	close(in);
	if (rc == 0 && vdb_store_check(tmp, err) < 0)
		rc = hull_err_wrap(err, "%s", src);
	if (rc == 0)
		rc = vdb_install(tmp, db_path, err);
	if (rc < 0)
		unlink(tmp);
	close(out);
	free(tmp);
	return rc;
}

int hull_vulndb_build_id(struct hull_vulndb *db, char out[HULL_VULNDB_BUILD_ID_MAX],
                         struct hull_err *err)
{
	/* Every row of meta and source, in key order: two builds from other
	 * feeds, or at other times, differ; copies of one file agree. */
	static const char *const q[] = {
	    "SELECT key, value FROM meta ORDER BY key",
	    "SELECT name, coalesce(origin,''), coalesce(timestamp,''), files, records FROM source "
	    "ORDER BY name",
	};
	struct hull_sha256 h;
	char built[32] = "";
	if (hull_sha256_init(&h, err) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(q) / sizeof(*q); k++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->db, q[k], -1, &st, NULL) != SQLITE_OK) {
			hull_sha256_release(&h);
			return hull_err_set(err, HULL_ERR_INPUT, "build id: %s",
			                    sqlite3_errmsg(db->db));
		}
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int n = sqlite3_column_count(st);
			for (int c = 0; c < n; c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				int len = sqlite3_column_bytes(st, c);
				hull_sha256_update(&h, v ? (const void *)v : "", (size_t)len);
				hull_sha256_update(&h, "\0", 1);
			}
			const unsigned char *key = sqlite3_column_text(st, 0);
			const unsigned char *val = sqlite3_column_text(st, 1);
			if (k == 0 && key && val && !strcmp((const char *)key, "built"))
				snprintf(built, sizeof(built), "%.20s", (const char *)val);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			hull_sha256_release(&h);
			return hull_err_set(err, HULL_ERR_INPUT, "build id: %s",
			                    sqlite3_errmsg(db->db));
		}
	}
	char d[HULL_DIGEST_STRLEN + 1];
	hull_sha256_final(&h, d);
	hull_sha256_release(&h);
	/* "sha256:" then 64 hex: the first 16 are plenty to tell builds apart */
	snprintf(out, HULL_VULNDB_BUILD_ID_MAX, "%s/%.16s", built[0] ? built : "unknown", d + 7);
	return 0;
}
