/* store: connection, transactions, runs, images, layers (store.h). */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/digest.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/utf8.h"

/* ---- connection and helpers ------------------------------------------- */

static void trim(char *m)
{
	size_t n = strlen(m);
	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
}

static int pq_fail(struct hull_store *s, PGresult *r, const char *what, struct hull_err *err)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(s->sqlstate, sizeof(s->sqlstate), "%s", st ? st : "");
	char msg[600];
	snprintf(msg, sizeof(msg), "%s",
	         r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(s->conn));
	trim(msg);
	PQclear(r);
	return hull_err_set(err, HULL_ERR_IO, "store: %s: %s", what, msg);
}

void hull_store_keep_plans(struct hull_store *s)
{
	s->keep_plans = true;
}

/* The statement of sql prepared on s (named by its slot), or -1 when it is
 * not kept (no slot left, or the prepare failed: then run unprepared). */
static int prepared_slot(struct hull_store *s, const char *sql, int n)
{
	size_t i = 0;
	for (; i < ST_PREPARED_MAX && s->prepared[i]; i++)
		if (s->prepared[i] == sql)
			return (int)i;
	if (i == ST_PREPARED_MAX)
		return -1;
	char name[16];
	snprintf(name, sizeof(name), "hull_%zu", i);
	PGresult *r = PQprepare(s->conn, name, sql, n, NULL);
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		return -1;
	s->prepared[i] = sql;
	return (int)i;
}

PGresult *st_exec(struct hull_store *s, const char *what, const char *sql, int n,
                  const char *const *vals, struct hull_err *err)
{
	int slot = s->keep_plans ? prepared_slot(s, sql, n) : -1;
	PGresult *r;
	if (slot >= 0) {
		char name[16];
		snprintf(name, sizeof(name), "hull_%d", slot);
		r = PQexecPrepared(s->conn, name, n, vals, NULL, NULL, 0);
	} else
		r = PQexecParams(s->conn, sql, n, NULL, vals, NULL, NULL, 0);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		s->sqlstate[0] = '\0';
		return r;
	}
	pq_fail(s, r, what, err);
	return NULL;
}

int st_run(struct hull_store *s, const char *what, const char *sql, int n, const char *const *vals,
           struct hull_err *err)
{
	PGresult *r = st_exec(s, what, sql, n, vals, err);
	PQclear(r);
	return r ? 0 : -1;
}

static bool retryable(const struct hull_store *s)
{
	return !strcmp(s->sqlstate, "40001") || !strcmp(s->sqlstate, "40P01");
}

int st_transaction(struct hull_store *s, const char *what,
                   int (*fn)(struct hull_store *s, void *ctx, struct hull_err *err), void *ctx,
                   struct hull_err *err)
{
	for (int attempt = 0;; attempt++) {
		if (st_run(s, what, "BEGIN", 0, NULL, err) < 0)
			return -1;
		int rc = fn(s, ctx, err);
		if (rc == 0 && st_run(s, what, "COMMIT", 0, NULL, err) == 0)
			return 0;
		bool again = retryable(s) && attempt < HULL_STORE_RETRIES;
		PGresult *r = PQexec(s->conn, "ROLLBACK");
		PQclear(r);
		if (!again)
			return -1;
		/* random back-off, growing: 5 ms .. ~1 s */
		unsigned ms = (5u << (attempt < 7 ? attempt : 7)) + (unsigned)(rand() % 50);
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

char *st_utf8(const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	if (hull_utf8_valid(s, len))
		return strdup(s);
	char *out = malloc(len * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		if (n == 0)
			n = 1;
		if (valid) {
			memcpy(o, s + i, n);
			o += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
		}
		i += n;
	}
	*o = '\0';
	return out;
}

void st_copy_field(struct hull_buf *b, const char *v, bool last, struct hull_err *err)
{
	if (!v) {
		hull_buf_append(b, "\\N", 2, err);
	} else {
		char *u = st_utf8(v);
		const char *p = u ? u : "";
		size_t start = 0, i = 0;
		for (; p[i]; i++) {
			const char *esc = p[i] == '\\'   ? "\\\\"
			                  : p[i] == '\n' ? "\\n"
			                  : p[i] == '\r' ? "\\r"
			                  : p[i] == '\t' ? "\\t"
			                                 : NULL;
			if (!esc)
				continue;
			hull_buf_append(b, p + start, i - start, err);
			hull_buf_append_str(b, esc, err);
			start = i + 1;
		}
		hull_buf_append(b, p + start, i - start, err);
		free(u);
	}
	hull_buf_putc(b, last ? '\n' : '\t', err);
}

void st_copy_int(struct hull_buf *b, long long v, bool last, struct hull_err *err)
{
	hull_buf_printf(b, err, "%lld%c", v, last ? '\n' : '\t');
}

int st_copy(struct hull_store *s, const char *table_cols, const struct hull_buf *b,
            struct hull_err *err)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "COPY %s FROM STDIN", table_cols);
	PGresult *r = PQexec(s->conn, sql);
	if (!r || PQresultStatus(r) != PGRES_COPY_IN)
		return pq_fail(s, r, "copy", err);
	PQclear(r);
	int ok = 1;
	const size_t chunk = 1u << 20;
	for (size_t off = 0; ok == 1 && off < b->len; off += chunk) {
		size_t n = b->len - off < chunk ? b->len - off : chunk;
		ok = PQputCopyData(s->conn, b->data + off, (int)n);
	}
	if (ok == 1)
		ok = PQputCopyEnd(s->conn, NULL);
	else
		PQputCopyEnd(s->conn, "hull: send failed");
	r = PQgetResult(s->conn);
	int rc = 0;
	if (ok != 1 || !r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pq_fail(s, r, table_cols, err);
	else
		PQclear(r);
	while ((r = PQgetResult(s->conn)))
		PQclear(r);
	return rc;
}

void st_lock_key(const char *prefix, const char *key, char *out, size_t cap)
{
	/* FNV-1a over prefix and key: a 64-bit advisory lock key. Collisions
	 * only serialise two unrelated scans. */
	uint64_t h = hull_hash_more(hull_hash_bytes(prefix, strlen(prefix)), key, strlen(key));
	snprintf(out, cap, "%" PRId64, (int64_t)h);
}

int st_connect(const char *url, struct hull_store **out, struct hull_err *err)
{
	*out = NULL;
	if (!url || !*url)
		return hull_err_set(err, HULL_ERR_USAGE, "--store: missing connection URL");
	if (strlen(url) > HULL_STORE_URL_MAX)
		return hull_err_set(err, HULL_ERR_USAGE, "--store: URL longer than %d bytes",
		                    HULL_STORE_URL_MAX);
	struct hull_store *s = calloc(1, sizeof(*s));
	if (!s)
		return hull_err_nomem(err);
	const char *keys[] = {"dbname", "application_name", "connect_timeout", NULL};
	const char *vals[] = {url, "hull", "15", NULL};
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		char msg[600];
		snprintf(msg, sizeof(msg), "%s", s->conn ? PQerrorMessage(s->conn) : "no memory");
		trim(msg);
		hull_store_close(s);
		return hull_err_set(err, HULL_ERR_IO, "store: cannot connect: %s", msg);
	}
	/* One round trip (a CLI query pays for each): the fleet queries
	 * aggregate every current result, in memory; the server ends the
	 * session of a client that died even while its backend waits on a
	 * lock. No JIT: hull's queries read thousands of rows, not millions,
	 * and a planner's estimate over jit_above_cost made fleet changes
	 * spend 94-109 ms compiling a query that runs in 30 (EXPLAIN ANALYZE
	 * on bench/store.sh's database). The check interval is last and its
	 * error not checked: PostgreSQL before 14 does not know it, and a
	 * failed statement ends the string. */
	PGresult *r = PQexec(s->conn, "SET client_min_messages = warning; SET work_mem = '64MB'; "
	                              "SET jit = off; SET client_connection_check_interval = 1000");
	PQclear(r);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	*out = s;
	return 0;
}

int hull_store_open(const char *url, struct hull_store **out, struct hull_err *err)
{
	struct hull_store *s;
	*out = NULL;
	if (st_connect(url, &s, err) < 0)
		return -1;
	if (st_check_version(s, err) < 0) {
		hull_store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void hull_store_close(struct hull_store *s)
{
	if (!s)
		return;
	PQfinish(s->conn);
	free(s);
}

const char *hull_store_error(const struct hull_store *s)
{
	return s->put_error[0] ? s->put_error : NULL;
}

/* ---- runs --------------------------------------------------------------- */

static void ts(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A JSON array of the non-NULL strings, or NULL when there are none. */
static char *str_list(char *const *v, size_t n)
{
	struct json_object *a = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		if (!a)
			a = json_object_new_array();
		char *u = st_utf8(v[i]);
		json_object_array_add(a, json_object_new_string(u ? u : ""));
		free(u);
	}
	if (!a)
		return NULL;
	char *out = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return out;
}

static void copy_finding(struct hull_buf *b, const char *run, size_t seq,
                         const struct hull_finding *f, struct hull_err *err)
{
	const struct hull_location *l = &f->loc;
	const struct hull_vuln_info *v = &f->vuln;
	bool vuln = f->kind == HULL_FINDING_VULNERABILITY;
	char *aliases = str_list(f->aliases, f->naliases);
	char *refs = str_list(f->references, f->nreferences);
	char score[32];
	snprintf(score, sizeof(score), "%.17g", v->cvss_score);
	st_copy_field(b, run, false, err);
	st_copy_int(b, (long long)seq, false, err);
	st_copy_field(b, hull_finding_kind_name(f->kind), false, err);
	st_copy_field(b, f->id, false, err);
	st_copy_int(b, f->severity, false, err);
	st_copy_field(b, f->title, false, err);
	st_copy_field(b, f->message, false, err);
	st_copy_field(b, f->description, false, err);
	st_copy_field(b, f->remediation, false, err);
	st_copy_field(b, f->primary_url, false, err);
	st_copy_field(b, aliases, false, err);
	st_copy_field(b, refs, false, err);
	st_copy_field(b, l->file, false, err);
	st_copy_int(b, l->line, false, err);
	st_copy_int(b, l->col, false, err);
	st_copy_int(b, l->end_line, false, err);
	st_copy_int(b, l->end_col, false, err);
	st_copy_field(b, l->layer_digest, false, err);
	st_copy_field(b, l->layer_diff_id, false, err);
	st_copy_field(b, l->object, false, err);
	st_copy_field(b, vuln ? v->pkg_name : NULL, false, err);
	st_copy_field(b, vuln ? v->pkg_version : NULL, false, err);
	st_copy_field(b, vuln ? v->pkg_type : NULL, false, err);
	st_copy_field(b, vuln ? v->pkg_purl : NULL, false, err);
	st_copy_field(b, vuln ? v->src_name : NULL, false, err);
	st_copy_field(b, vuln ? v->fixed_version : NULL, false, err);
	if (vuln)
		st_copy_int(b, v->status, false, err);
	else
		st_copy_field(b, NULL, false, err);
	st_copy_field(b, vuln ? score : NULL, false, err);
	st_copy_field(b, vuln ? v->cvss_vector : NULL, false, err);
	st_copy_field(b, vuln ? v->severity_source : NULL, false, err);
	st_copy_field(b, f->suppressed ? "t" : "f", false, err);
	st_copy_field(b, f->suppression, false, err);
	st_copy_int(b, f->suppress_kind, false, err);
	st_copy_int(b, f->vex_state, false, err);
	st_copy_field(b, f->vex_justification, true, err);
	free(aliases);
	free(refs);
}

#define FINDING_COLS                                                                               \
	"run_id, seq, kind, id, severity, title, message, description, remediation, "              \
	"primary_url, aliases, refs, file, line, col, end_line, end_col, layer_digest, "           \
	"layer_diff_id, object, pkg_name, pkg_version, pkg_type, pkg_purl, src_name, "             \
	"fixed_version, vuln_status, cvss_score, cvss_vector, severity_source, suppressed, "       \
	"suppression, suppress_kind, vex_state, vex_justification"

/* The narrow rows of an image result (schema 4): one per finding, one per
 * alias of it. */
static int copy_image_findings(struct hull_store *s, const char *run, const struct hull_findings *f,
                               struct hull_err *err)
{
	struct hull_buf b;
	struct hull_err e = {0};
	hull_buf_init(&b, 1u << 30);
	for (size_t i = 0; i < f->n; i++) {
		const struct hull_finding *x = &f->items[i];
		bool vuln = x->kind == HULL_FINDING_VULNERABILITY;
		char score[32];
		snprintf(score, sizeof(score), "%.9g", x->vuln.cvss_score);
		for (size_t a = 0; a <= x->naliases; a++) {
			const char *id = a == 0 ? x->id : x->aliases[a - 1];
			if (!id)
				continue;
			st_copy_field(&b, run, false, &e);
			st_copy_int(&b, (long long)i, false, &e);
			st_copy_field(&b, id, false, &e);
			st_copy_field(&b, a ? "t" : "f", false, &e);
			st_copy_field(&b, hull_finding_kind_name(x->kind), false, &e);
			st_copy_int(&b, x->severity, false, &e);
			st_copy_field(&b, vuln ? score : NULL, false, &e);
			st_copy_field(&b, vuln && x->vuln.fixed_version ? "t" : "f", false, &e);
			st_copy_field(&b, x->suppressed ? "t" : "f", true, &e);
		}
	}
	int rc = e.kind ? (*err = e, -1) : 0;
	if (rc == 0 && b.len)
		rc =
		    st_copy(s,
		            "image_findings(run_id, seq, id, alias, kind, severity, cvss, fixable, "
		            "suppressed)",
		            &b, err);
	hull_buf_release(&b);
	return rc;
}

struct record_ctx {
	const struct hull_store_run *run;
	const struct hull_findings *f;
	const struct hull_store_image *image;
	int64_t run_id;
};

static int copy_packages(struct hull_store *s, const char *key, const struct hull_inventory *inv,
                         struct hull_err *err)
{
	struct hull_buf b;
	struct hull_err e = {0};
	hull_buf_init(&b, 1u << 30);
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct hull_pkg *p = &inv->pkgs[i];
		st_copy_field(&b, key, false, &e);
		st_copy_int(&b, (long long)i, false, &e);
		st_copy_int(&b, p->type, false, &e);
		st_copy_field(&b, p->name ? p->name : "", false, &e);
		st_copy_field(&b, p->version ? p->version : "", false, &e);
		st_copy_field(&b, p->arch, false, &e);
		st_copy_field(&b, p->src_name, false, &e);
		st_copy_field(&b, p->src_version, false, &e);
		st_copy_field(&b, p->license, false, &e);
		st_copy_int(&b, p->epoch, false, &e);
		st_copy_field(&b, p->rpm_version, false, &e);
		st_copy_field(&b, p->release, false, &e);
		st_copy_field(&b, p->modularity, false, &e);
		st_copy_field(&b, p->file, false, &e);
		st_copy_int(&b, p->layer, true, &e);
	}
	int rc = e.kind ? (*err = e, -1) : 0;
	if (rc == 0 && b.len)
		rc = st_copy(s,
		             "packages(image_key, seq, type, name, version, arch, src_name, "
		             "src_version, license, epoch, rpm_version, release, modularity, file, "
		             "layer)",
		             &b, err);
	hull_buf_release(&b);
	return rc;
}

static int copy_layers(struct hull_store *s, const char *key, const struct hull_image *img,
                       struct hull_err *err)
{
	struct hull_buf b;
	struct hull_err e = {0};
	hull_buf_init(&b, 1u << 24);
	for (size_t i = 0; img && i < img->nlayers; i++) {
		const struct hull_layer *l = &img->layers[i];
		st_copy_field(&b, key, false, &e);
		st_copy_int(&b, (long long)i, false, &e);
		st_copy_field(&b, l->diff_id ? l->diff_id : "", false, &e);
		st_copy_field(&b, l->digest, false, &e);
		st_copy_int(&b, (long long)l->size, true, &e);
	}
	int rc = e.kind ? (*err = e, -1) : 0;
	if (rc == 0 && b.len)
		rc =
		    st_copy(s, "image_layers(image_key, position, diff_id, digest, size)", &b, err);
	hull_buf_release(&b);
	return rc;
}

/* The image, its name, layers and inventory: the first writer of a key
 * writes them, later ones only add their name. */
static int record_image(struct hull_store *s, const char *run, const struct hull_store_image *im,
                        struct hull_err *err)
{
	char npkgs[24];
	const struct hull_inventory *inv = im->inv;
	const struct hull_os *os = inv ? &inv->os : NULL;
	snprintf(npkgs, sizeof(npkgs), "%zu", inv ? inv->npkgs : 0);
	char *u[7] = {0};
	const char *osv[7] = {os ? os->id : NULL,         os ? os->version_id : NULL,
	                      os ? os->codename : NULL,   os ? os->pretty_name : NULL,
	                      os ? os->id_like : NULL,    os ? os->platform_id : NULL,
	                      os ? os->source_file : NULL};
	for (int i = 0; i < 7; i++)
		u[i] = st_utf8(osv[i]);
	const char *vals[] = {im->key, u[0], u[1], u[2], u[3], u[4], u[5], u[6], npkgs, run};
	PGresult *r = NULL;
	if (inv)
		r = st_exec(
		    s, "image",
		    "INSERT INTO images(key, os_id, os_version_id, os_codename, "
		    "os_pretty_name, os_id_like, os_platform_id, os_source_file, npkgs, "
		    "first_run) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9::int, $10::bigint) "
		    "ON CONFLICT (key) DO NOTHING RETURNING key",
		    10, vals, err);
	for (int i = 0; i < 7; i++)
		free(u[i]);
	if (inv && !r)
		return -1;
	bool first = r && PQntuples(r) == 1;
	PQclear(r);
	if (first &&
	    (copy_layers(s, im->key, im->img, err) < 0 || copy_packages(s, im->key, inv, err) < 0))
		return -1;
	char *name = st_utf8(im->name);
	const char *rv[] = {im->key, name ? name : im->key, im->manifest_digest};
	int rc = st_run(s, "image name",
	                "INSERT INTO image_refs(image_key, name, manifest_digest) "
	                "SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM images WHERE key = $1) "
	                "ON CONFLICT (image_key, name) DO UPDATE SET manifest_digest = "
	                "coalesce(EXCLUDED.manifest_digest, image_refs.manifest_digest)",
	                3, rv, err);
	free(name);
	return rc;
}

static int record_tx(struct hull_store *s, void *vctx, struct hull_err *err)
{
	struct record_ctx *c = vctx;
	const struct hull_store_run *run = c->run;
	const struct hull_store_image *im = c->image;
	char started[32], finished[32], n[24], frun[24];
	ts(run->started, started);
	ts(run->finished, finished);
	bool own = !im || im->findings_run == 0;
	snprintf(n, sizeof(n), "%zu", own && c->f ? c->f->n : 0);
	snprintf(frun, sizeof(frun), "%" PRId64, im ? im->findings_run : 0);
	char *target = st_utf8(run->target), *node = st_utf8(run->node), *ns = st_utf8(run->ns);
	const char *vals[] = {run->kind,
	                      target,
	                      node,
	                      started,
	                      finished,
	                      HULL_VERSION,
	                      run->db_build,
	                      n,
	                      im ? im->key : NULL,
	                      own ? NULL : frun,
	                      im ? im->reused : NULL,
	                      ns};
	PGresult *r = st_exec(s, "run",
	                      "INSERT INTO runs(kind, target, node, started, finished, "
	                      "hull_version, db_build, nfindings, image_key, findings_run, reused, "
	                      "namespace) VALUES($1, $2, $3, $4, $5, $6, $7, $8::int, $9, "
	                      "$10::bigint, $11, $12) RETURNING id",
	                      12, vals, err);
	free(target);
	free(node);
	free(ns);
	if (!r)
		return -1;
	c->run_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	char id[24];
	snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (own && c->f && c->f->n) {
		struct hull_buf b;
		struct hull_err e = {0};
		hull_buf_init(&b, 1u << 30);
		for (size_t i = 0; i < c->f->n && !e.kind; i++)
			copy_finding(&b, id, i, &c->f->items[i], &e);
		int rc =
		    e.kind ? (*err = e, -1) : st_copy(s, "findings(" FINDING_COLS ")", &b, err);
		hull_buf_release(&b);
		if (rc < 0)
			return -1;
	}
	if (!im)
		return 0;
	if (record_image(s, id, im, err) < 0)
		return -1;
	if (own && run->db_build && c->f && c->f->n && copy_image_findings(s, id, c->f, err) < 0)
		return -1;
	if (own && run->db_build) {
		const char *rv[] = {im->key, run->db_build, id};
		if (st_run(
		        s, "image result",
		        "INSERT INTO image_results(image_key, db_build, run_id) "
		        "SELECT $1, $2, $3::bigint WHERE EXISTS (SELECT 1 FROM images WHERE key = "
		        "$1) ON CONFLICT (image_key, db_build) DO NOTHING",
		        3, rv, err) < 0)
			return -1;
	}
	return 0;
}

int hull_store_record(struct hull_store *s, const struct hull_store_run *run,
                      const struct hull_findings *f, const struct hull_store_image *image,
                      int64_t *run_id, struct hull_err *err)
{
	if (!run->kind || !run->target || !run->node)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "store: a run needs kind, target and node");
	struct record_ctx c = {.run = run, .f = f, .image = image};
	if (st_transaction(s, "record run", record_tx, &c, err) < 0)
		return hull_err_wrap(err, "%s %s", run->kind, run->target);
	if (run_id)
		*run_id = c.run_id;
	return 0;
}

/* ---- image locks, results, inventories --------------------------------- */

int hull_store_lock_image(struct hull_store *s, const char *key, struct hull_err *err)
{
	char k[32];
	st_lock_key("image:", key, k, sizeof(k));
	const char *v[] = {k};
	return st_run(s, "image lock", "SELECT pg_advisory_lock($1::bigint)", 1, v, err);
}

int hull_store_unlock_image(struct hull_store *s, const char *key, struct hull_err *err)
{
	char k[32];
	st_lock_key("image:", key, k, sizeof(k));
	const char *v[] = {k};
	return st_run(s, "image lock", "SELECT pg_advisory_unlock($1::bigint)", 1, v, err);
}

static char *col(PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? NULL : strdup(PQgetvalue(r, row, c));
}

static int col_int(PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? 0 : atoi(PQgetvalue(r, row, c));
}

/* A JSON array of strings back into a string vector. */
static int str_vec(const char *json, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!json)
		return 0;
	struct json_object *a = json_tokener_parse(json);
	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return -1;
	}
	size_t len = json_object_array_length(a);
	char **v = calloc(len ? len : 1, sizeof(*v));
	if (!v) {
		json_object_put(a);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		v[i] = strdup(json_object_get_string(json_object_array_get_idx(a, i)));
	json_object_put(a);
	*out = v;
	*n = len;
	return 0;
}

static int load_findings(struct hull_store *s, const char *run, struct hull_findings *out,
                         struct hull_err *err)
{
	const char *v[] = {run};
	PGresult *r = st_exec(s, "findings",
	                      "SELECT " FINDING_COLS " FROM findings WHERE run_id = $1::bigint "
	                      "ORDER BY seq",
	                      1, v, err);
	if (!r)
		return -1;
	int rc = 0;
	for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
		struct hull_finding f = {0};
		int c = 2;
		const char *kind = PQgetvalue(r, i, c++);
		for (int k = 0; k < HULL_FINDING_KIND_COUNT; k++)
			if (!strcmp(kind, hull_finding_kind_name(k)))
				f.kind = k;
		f.id = col(r, i, c++);
		f.severity = col_int(r, i, c++);
		f.title = col(r, i, c++);
		f.message = col(r, i, c++);
		f.description = col(r, i, c++);
		f.remediation = col(r, i, c++);
		f.primary_url = col(r, i, c++);
		if (str_vec(PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c), &f.aliases,
		            &f.naliases) < 0 ||
		    str_vec(PQgetisnull(r, i, c + 1) ? NULL : PQgetvalue(r, i, c + 1),
		            &f.references, &f.nreferences) < 0) {
			hull_finding_release(&f);
			rc = hull_err_set(err, HULL_ERR_INPUT,
			                  "store: run %s: finding %d: bad lists", run, i);
			break;
		}
		c += 2;
		f.loc.file = col(r, i, c++);
		f.loc.line = (unsigned)col_int(r, i, c++);
		f.loc.col = (unsigned)col_int(r, i, c++);
		f.loc.end_line = (unsigned)col_int(r, i, c++);
		f.loc.end_col = (unsigned)col_int(r, i, c++);
		f.loc.layer_digest = col(r, i, c++);
		f.loc.layer_diff_id = col(r, i, c++);
		f.loc.object = col(r, i, c++);
		f.vuln.pkg_name = col(r, i, c++);
		f.vuln.pkg_version = col(r, i, c++);
		f.vuln.pkg_type = col(r, i, c++);
		f.vuln.pkg_purl = col(r, i, c++);
		f.vuln.src_name = col(r, i, c++);
		f.vuln.fixed_version = col(r, i, c++);
		f.vuln.status = col_int(r, i, c++);
		f.vuln.cvss_score = PQgetisnull(r, i, c) ? 0 : strtod(PQgetvalue(r, i, c), NULL);
		c++;
		f.vuln.cvss_vector = col(r, i, c++);
		f.vuln.severity_source = col(r, i, c++);
		f.suppressed = PQgetvalue(r, i, c++)[0] == 't';
		f.suppression = col(r, i, c++);
		f.suppress_kind = col_int(r, i, c++);
		f.vex_state = col_int(r, i, c++);
		f.vex_justification = col(r, i, c++);
		rc = hull_findings_add(out, &f, err);
	}
	PQclear(r);
	return rc;
}

int hull_store_image_result(struct hull_store *s, const char *key, const char *db_build,
                            struct hull_findings *out, int64_t *run_id, struct hull_err *err)
{
	const char *v[] = {key, db_build};
	PGresult *r = st_exec(s, "image result",
	                      "SELECT run_id FROM image_results WHERE image_key = $1 AND "
	                      "db_build = $2",
	                      2, v, err);
	if (!r)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	char id[24];
	snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (load_findings(s, id, out, err) < 0)
		return -1;
	*run_id = strtoll(id, NULL, 10);
	return 1;
}

static int load_inventory(struct hull_store *s, const char *key, struct hull_inventory *inv,
                          struct hull_image **layers, struct hull_err *err)
{
	const char *v[] = {key};
	PGresult *r =
	    st_exec(s, "inventory",
	            "SELECT os_id, os_version_id, os_codename, os_pretty_name, "
	            "os_id_like, os_platform_id, os_source_file FROM images WHERE key = $1",
	            1, v, err);
	if (!r)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	inv->os.id = col(r, 0, 0);
	inv->os.version_id = col(r, 0, 1);
	inv->os.codename = col(r, 0, 2);
	inv->os.pretty_name = col(r, 0, 3);
	inv->os.id_like = col(r, 0, 4);
	inv->os.platform_id = col(r, 0, 5);
	inv->os.source_file = col(r, 0, 6);
	PQclear(r);
	r = st_exec(s, "inventory",
	            "SELECT type, name, version, arch, src_name, src_version, license, epoch, "
	            "rpm_version, release, modularity, file, layer FROM packages WHERE image_key "
	            "= $1 ORDER BY seq",
	            1, v, err);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		int t = col_int(r, i, 0);
		if (t < 0 || t >= HULL_PKG_TYPE_COUNT) {
			PQclear(r);
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "store: image %s: package %d has type %d", key, i, t);
		}
		struct hull_pkg p = {
		    .type = t,
		    .name = col(r, i, 1),
		    .version = col(r, i, 2),
		    .arch = col(r, i, 3),
		    .src_name = col(r, i, 4),
		    .src_version = col(r, i, 5),
		    .license = col(r, i, 6),
		    .epoch = PQgetisnull(r, i, 7) ? -1 : strtol(PQgetvalue(r, i, 7), NULL, 10),
		    .rpm_version = col(r, i, 8),
		    .release = col(r, i, 9),
		    .modularity = col(r, i, 10),
		    .file = col(r, i, 11),
		    .layer = col_int(r, i, 12),
		};
		if (hull_inventory_add(inv, &p, err) < 0) {
			PQclear(r);
			return -1;
		}
	}
	PQclear(r);
	r = st_exec(s, "layers",
	            "SELECT diff_id, digest, size FROM image_layers WHERE image_key = $1 ORDER BY "
	            "position",
	            1, v, err);
	if (!r)
		return -1;
	struct hull_image *img = calloc(1, sizeof(*img));
	int n = PQntuples(r);
	if (!img || !(img->layers = calloc(n ? (size_t)n : 1, sizeof(*img->layers)))) {
		free(img);
		PQclear(r);
		return hull_err_nomem(err);
	}
	img->format = HULL_IMAGE_OCI_LAYOUT;
	img->nlayers = (size_t)n;
	for (int i = 0; i < n; i++) {
		img->layers[i].diff_id = col(r, i, 0);
		img->layers[i].digest = col(r, i, 1);
		img->layers[i].size = strtoull(PQgetvalue(r, i, 2), NULL, 10);
	}
	PQclear(r);
	img->config_digest = strdup(key);
	*layers = img;
	return 1;
}

int hull_store_image_inventory(struct hull_store *s, const char *key, struct hull_inventory *inv,
                               struct hull_image **layers, struct hull_err *err)
{
	*layers = NULL;
	int rc = load_inventory(s, key, inv, layers, err);
	if (rc <= 0)
		hull_inventory_release(inv);
	return rc;
}

int hull_store_each_unmatched(struct hull_store *s, const char *db_build, hull_store_rematch_fn fn,
                              void *ctx, size_t *count, struct hull_err *err)
{
	const char *v[] = {db_build};
	PGresult *r =
	    st_exec(s, "unmatched images",
	            "SELECT i.key, (SELECT name FROM image_refs WHERE image_key = i.key "
	            "ORDER BY name LIMIT 1), (SELECT manifest_digest FROM image_refs WHERE "
	            "image_key = i.key AND manifest_digest IS NOT NULL LIMIT 1) FROM "
	            "images i WHERE NOT EXISTS (SELECT 1 FROM image_results ir WHERE "
	            "ir.image_key = i.key AND ir.db_build = $1) ORDER BY i.key",
	            1, v, err);
	if (!r)
		return -1;
	int rc = 0;
	*count = 0;
	for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
		const char *key = PQgetvalue(r, i, 0);
		struct hull_inventory inv = {0};
		struct hull_image *layers = NULL;
		rc = hull_store_image_inventory(s, key, &inv, &layers, err);
		if (rc > 0)
			rc = fn(ctx, key, PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1),
			        PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2), &inv, layers,
			        err);
		if (rc == 0)
			(*count)++;
		else if (rc > 0)
			rc = 0;
		hull_inventory_release(&inv);
		hull_image_free(layers);
	}
	PQclear(r);
	return rc;
}

/* ---- layers --------------------------------------------------------------- */

static int layer_get(void *ctx, const char *diff_id, uint32_t keep_version, char **log, size_t *len,
                     struct hull_err *err)
{
	struct hull_store *s = ctx;
	char kv[16], key[32] = "";
	snprintf(kv, sizeof(kv), "%u", keep_version);
	const char *v[] = {diff_id, kv};
	const char *sql = "SELECT log, sha256 FROM layers WHERE diff_id = $1 AND keep_version = "
	                  "$2::int";
	for (int pass = 0; pass < 2; pass++) {
		PGresult *r = PQexecParams(s->conn, sql, 2, NULL, v, NULL, NULL, 1);
		if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
			pq_fail(s, r, "stored layer", err);
			goto fail;
		}
		if (PQntuples(r) == 1) {
			size_t n = (size_t)PQgetlength(r, 0, 0);
			char want[HULL_DIGEST_STRLEN + 1], got[HULL_DIGEST_STRLEN + 1];
			snprintf(want, sizeof(want), "%.*s", PQgetlength(r, 0, 1),
			         PQgetvalue(r, 0, 1));
			char *data = malloc(n ? n : 1);
			if (!data) {
				PQclear(r);
				hull_err_nomem(err);
				goto fail;
			}
			memcpy(data, PQgetvalue(r, 0, 0), n);
			PQclear(r);
			if (hull_sha256_digest(data, n, got, err) < 0 || strcmp(want, got)) {
				free(data);
				if (!err->kind)
					hull_err_set(err, HULL_ERR_INPUT,
					             "store: layer %s: stored log hashes to %s, "
					             "expected %s",
					             diff_id, got, want);
				goto fail;
			}
			if (pass == 1) /* another writer stored it while we waited */
				st_run(s, "layer lock", "SELECT pg_advisory_unlock($1::bigint)", 1,
				       (const char *[]){key}, NULL);
			*log = data;
			*len = n;
			return 1;
		}
		PQclear(r);
		if (pass == 0) {
			/* a miss: take the layer's lock, then look again (another
			 * writer may be reading it now) */
			st_lock_key("layer:", diff_id, key, sizeof(key));
			const char *lv[] = {key};
			if (st_run(s, "layer lock", "SELECT pg_advisory_lock($1::bigint)", 1, lv,
			           err) < 0)
				return -1;
		}
	}
	return 0; /* the lock is held until put */
fail:
	if (key[0])
		st_run(s, "layer lock", "SELECT pg_advisory_unlock($1::bigint)", 1,
		       (const char *[]){key}, NULL);
	return -1;
}

static void layer_put(void *ctx, const char *diff_id, uint32_t keep_version, const char *log,
                      size_t len)
{
	struct hull_store *s = ctx;
	struct hull_err err = {0};
	char key[32];
	st_lock_key("layer:", diff_id, key, sizeof(key));
	if (log) {
		char kv[16], sum[HULL_DIGEST_STRLEN + 1], host[256] = "";
		snprintf(kv, sizeof(kv), "%u", keep_version);
		gethostname(host, sizeof(host) - 1);
		char *node = st_utf8(host);
		if (hull_sha256_digest(log, len, sum, &err) == 0) {
			const char *v[] = {diff_id, kv, log, sum, node};
			int lens[] = {0, 0, (int)len, 0, 0};
			int fmts[] = {0, 0, 1, 0, 0};
			PGresult *r = PQexecParams(s->conn,
			                           "INSERT INTO layers(diff_id, keep_version, log, "
			                           "sha256, node) VALUES($1, "
			                           "$2::int, $3, $4, $5) ON CONFLICT (diff_id, "
			                           "keep_version) DO UPDATE SET "
			                           "scans = layers.scans + 1",
			                           5, NULL, v, lens, fmts, 0);
			if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
				pq_fail(s, r, "store layer", &err);
			else
				PQclear(r);
		}
		free(node);
		if (err.kind && !s->put_error[0])
			snprintf(s->put_error, sizeof(s->put_error), "layer %.80s: %.900s", diff_id,
			         err.msg);
	}
	st_run(s, "layer lock", "SELECT pg_advisory_unlock($1::bigint)", 1, (const char *[]){key},
	       NULL);
}

void hull_store_layer_remote(struct hull_store *s, struct hull_layer_remote *out)
{
	out->get = layer_get;
	out->put = layer_put;
	out->ctx = s;
}
