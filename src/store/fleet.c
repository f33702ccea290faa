/* fleet: workloads from pod lists, the fleet queries and the store's
 * metrics (store.h). Every query is one SQL statement over the schema of
 * schema.c; results come back as JSON arrays of flat objects. */
#include <inttypes.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/json.h"

#define PODS_MAX_ITEMS      1000000u
#define PODS_MAX_CONTAINERS 64u

/* ---- workloads ---------------------------------------------------------- */

/* The owner of a pod as a workload: a ReplicaSet named "<deploy>-<hash>"
 * is its Deployment's (the ReplicaSet itself is an implementation detail);
 * a Job "<cronjob>-<n>" stays a Job; no owner: the Pod. */
static void owner_of(struct json_object *pod, char *kind, size_t kcap, char *name, size_t ncap)
{
	struct json_object *meta = hull_json_get_obj(pod, "metadata");
	struct json_object *refs = hull_json_get_arr(meta, "ownerReferences");
	struct json_object *o =
	    refs && json_object_array_length(refs) ? json_object_array_get_idx(refs, 0) : NULL;
	const char *k = hull_json_get_str(o, "kind"), *n = hull_json_get_str(o, "name");
	if (!k || !n) {
		snprintf(kind, kcap, "Pod");
		const char *pn = hull_json_get_str(meta, "name");
		snprintf(name, ncap, "%s", pn ? pn : "");
		return;
	}
	snprintf(kind, kcap, "%s", k);
	snprintf(name, ncap, "%s", n);
	const char *dash = strrchr(name, '-');
	if (!strcmp(k, "ReplicaSet") && dash && dash != name && strlen(dash + 1) >= 5) {
		snprintf(kind, kcap, "Deployment");
		name[dash - name] = '\0';
	}
}

/* The digest the kubelet resolved: "docker-pullable://repo@sha256:..",
 * "repo@sha256:..", "sha256:.." -> "sha256:.."; NULL when none. */
static const char *image_digest(const char *image_id)
{
	if (!image_id)
		return NULL;
	const char *at = strrchr(image_id, '@');
	const char *d = at ? at + 1 : image_id;
	return !strncmp(d, "sha256:", 7) && strlen(d) == 71 ? d : NULL;
}

static const char *status_image_id(struct json_object *pod, const char *container)
{
	struct json_object *st = hull_json_get_obj(pod, "status");
	const char *lists[] = {"containerStatuses", "initContainerStatuses"};
	for (size_t l = 0; l < 2; l++) {
		struct json_object *a = hull_json_get_arr(st, lists[l]);
		for (size_t i = 0; a && i < json_object_array_length(a); i++) {
			struct json_object *cs = json_object_array_get_idx(a, i);
			const char *n = hull_json_get_str(cs, "name");
			if (n && !strcmp(n, container))
				return hull_json_get_str(cs, "imageID");
		}
	}
	return NULL;
}

int hull_store_pods_parse(const char *json, size_t len, const char *source,
                          hull_store_pod_row_fn fn, void *ctx, struct hull_err *err)
{
	struct json_object *doc;
	if (len > HULL_STORE_PODS_MAX)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: pod list over %u bytes", source,
		                    HULL_STORE_PODS_MAX);
	if (hull_json_parse(json, len, source, &doc, err) < 0)
		return -1;
	struct json_object *items = hull_json_get_arr(doc, "items");
	const char *kind = hull_json_get_str(doc, "kind");
	if (!items || (kind && strcmp(kind, "PodList") && strcmp(kind, "List"))) {
		json_object_put(doc);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: not a pod list (expected kind PodList or List with items: "
		                    "'kubectl get pods -A -o json')",
		                    source);
	}
	size_t n = json_object_array_length(items);
	if (n > PODS_MAX_ITEMS) {
		json_object_put(doc);
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: more than %u pods", source,
		                    PODS_MAX_ITEMS);
	}
	/* several pods of one workload make one row: the key seen first wins */
	struct json_object *seen = json_object_new_object();
	int rc = seen ? 0 : hull_err_nomem(err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct json_object *pod = json_object_array_get_idx(items, i);
		struct json_object *meta = hull_json_get_obj(pod, "metadata");
		struct json_object *spec = hull_json_get_obj(pod, "spec");
		const char *ns = hull_json_get_str(meta, "namespace");
		const char *node = hull_json_get_str(spec, "nodeName");
		if (!ns)
			ns = "default";
		char wkind[64], name[256];
		owner_of(pod, wkind, sizeof(wkind), name, sizeof(name));
		const char *lists[] = {"initContainers", "containers"};
		for (size_t l = 0; rc == 0 && l < 2; l++) {
			struct json_object *a = hull_json_get_arr(spec, lists[l]);
			size_t nc = a ? json_object_array_length(a) : 0;
			for (size_t k = 0; rc == 0 && k < nc && k < PODS_MAX_CONTAINERS; k++) {
				struct json_object *ct = json_object_array_get_idx(a, k);
				const char *cn = hull_json_get_str(ct, "name");
				const char *img = hull_json_get_str(ct, "image");
				if (!cn || !img)
					continue;
				char key[1024];
				snprintf(key, sizeof(key), "%.200s\x1f%s\x1f%s\x1f%.300s", ns,
				         wkind, name, cn);
				if (json_object_object_get_ex(seen, key, NULL))
					continue;
				json_object_object_add(seen, key, NULL);
				struct hull_store_pod_row row = {
				    .ns = ns,
				    .kind = wkind,
				    .name = name,
				    .container = cn,
				    .image = img,
				    .image_digest = image_digest(status_image_id(pod, cn)),
				    .node = node,
				};
				rc = fn(ctx, &row, err);
			}
		}
	}
	json_object_put(seen);
	json_object_put(doc);
	return rc;
}

struct pods_ctx {
	const char *json, *source, *node;
	size_t len, count;
	struct hull_buf rows;
	struct json_object *namespaces;
	struct hull_err e;
};

static int add_row(void *vctx, const struct hull_store_pod_row *r, struct hull_err *err)
{
	struct pods_ctx *c = vctx;
	(void)err;
	json_object_object_add(c->namespaces, r->ns, NULL);
	st_copy_field(&c->rows, r->ns, false, &c->e);
	st_copy_field(&c->rows, r->kind, false, &c->e);
	st_copy_field(&c->rows, r->name, false, &c->e);
	st_copy_field(&c->rows, r->container, false, &c->e);
	st_copy_field(&c->rows, r->image, false, &c->e);
	st_copy_field(&c->rows, r->image_digest, false, &c->e);
	st_copy_field(&c->rows, r->node ? r->node : c->node, false, &c->e);
	st_copy_field(&c->rows, c->source, true, &c->e);
	c->count++;
	return 0;
}

static int pods_tx(struct hull_store *s, void *vctx, struct hull_err *err)
{
	struct pods_ctx *c = vctx;
	int rc = 0;
	/* the namespaces in the list are replaced: what is gone is gone */
	json_object_object_foreach(c->namespaces, ns, val)
	{
		(void)val;
		const char *v[] = {ns};
		if (rc == 0)
			rc = st_run(s, "workloads", "DELETE FROM workloads WHERE namespace = $1", 1,
			            v, err);
	}
	if (rc == 0 && c->rows.len)
		rc = st_copy(
		    s,
		    "workloads(namespace, kind, name, container, image, image_digest, node, "
		    "source)",
		    &c->rows, err);
	return rc;
}

int hull_store_workloads_from_pods(struct hull_store *s, const char *json, size_t len,
                                   const char *source, const char *node, size_t *count,
                                   struct hull_err *err)
{
	struct pods_ctx c = {.json = json, .len = len, .source = source, .node = node};
	hull_buf_init(&c.rows, 1u << 30);
	if (!(c.namespaces = json_object_new_object()))
		return hull_err_nomem(err);
	int rc = hull_store_pods_parse(json, len, source, add_row, &c, err);
	if (rc == 0 && c.e.kind) {
		*err = c.e;
		rc = -1;
	}
	if (rc == 0)
		rc = st_transaction(s, "workloads", pods_tx, &c, err);
	if (rc == 0 && count)
		*count = c.count;
	hull_buf_release(&c.rows);
	json_object_put(c.namespaces);
	return rc;
}

int hull_store_workload_images_todo(struct hull_store *s, const char *db_build,
                                    struct hull_buf *out, size_t *count, struct hull_err *err)
{
	const char *v[] = {db_build};
	/* repository of "repo:tag" / "repo@digest": the tag is the part
	 * after the last ':' that follows the last '/' */
	PGresult *r = st_exec(
	    s, "images to scan",
	    "SELECT DISTINCT CASE WHEN w.image_digest IS NULL THEN w.image ELSE "
	    "regexp_replace(split_part(w.image, '@', 1), ':[^:/]*$', '') || '@' || w.image_digest "
	    "END FROM workloads w WHERE NOT EXISTS (SELECT 1 FROM image_refs ir JOIN "
	    "image_results res ON res.image_key = ir.image_key AND res.db_build = $1 WHERE "
	    "ir.manifest_digest = w.image_digest OR ir.name = w.image OR ir.name = "
	    "regexp_replace(split_part(w.image, '@', 1), ':[^:/]*$', '') || '@' || "
	    "w.image_digest) AND w.image ~ '^[A-Za-z0-9._:/@-]+$' ORDER BY 1",
	    1, v, err);
	if (!r)
		return -1;
	struct hull_err e = {0};
	*count = (size_t)PQntuples(r);
	for (int i = 0; i < PQntuples(r); i++)
		hull_buf_printf(out, &e, "%s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	if (e.kind) {
		*err = e;
		return -1;
	}
	return 0;
}

/* ---- queries ------------------------------------------------------------ */

/* s as a JSON string (quotes included): '"' and '\\' escaped, control
 * characters as \\uXXXX (newline, tab... by their short forms); other
 * bytes as they are (PostgreSQL's text is the database's encoding). */
static void json_string(struct hull_buf *b, const char *s, struct hull_err *e)
{
	hull_buf_putc(b, '"', e);
	for (const char *run = s;; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		hull_buf_append(b, run, (size_t)(s - run), e);
		if (!c)
			break;
		const char *esc = c == '"'    ? "\\\""
		                  : c == '\\' ? "\\\\"
		                  : c == '\n' ? "\\n"
		                  : c == '\t' ? "\\t"
		                  : c == '\r' ? "\\r"
		                              : NULL;
		if (esc)
			hull_buf_append_str(b, esc, e);
		else
			hull_buf_printf(b, e, "\\u%04x", c);
		run = s + 1;
	}
	hull_buf_putc(b, '"', e);
}

/* True when s is a JSON number as written (PostgreSQL's "NaN" and
 * "Infinity" are not). */
static bool json_number(const char *s)
{
	s += *s == '-';
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return false;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9')
		s += 1 + strspn(s + 1, "0123456789");
	if (*s == 'e' || *s == 'E') {
		s++;
		s += *s == '+' || *s == '-';
		if (*s < '0' || *s > '9')
			return false;
		s += strspn(s, "0123456789");
	}
	return !*s;
}

/* Rows of r appended to b as a JSON array of objects named by the columns,
 * written straight from the result (no document is built: a fleet answer
 * can be thousands of rows). Columns whose name ends in "_n" are numbers
 * (the suffix dropped), booleans are true/false, NULL is null, the rest
 * strings. */
static void rows(PGresult *r, struct hull_buf *b, struct hull_err *e)
{
	int nf = PQnfields(r);
	char keys[32][72];
	bool num[32], boolean[32];
	if (nf > 32)
		nf = 32; /* our own statements: at most a dozen columns */
	for (int c = 0; c < nf; c++) {
		const char *name = PQfname(r, c);
		size_t len = strlen(name);
		num[c] = len > 2 && !strcmp(name + len - 2, "_n");
		boolean[c] = PQftype(r, c) == 16; /* bool */
		struct hull_buf k;
		hull_buf_init(&k, sizeof(keys[c]) - 2);
		char name_c[64];
		snprintf(name_c, sizeof(name_c), "%.*s", (int)(num[c] ? len - 2 : len), name);
		json_string(&k, name_c, e);
		snprintf(keys[c], sizeof(keys[c]), "%s:", k.data ? k.data : "\"\"");
		hull_buf_release(&k);
	}
	hull_buf_putc(b, '[', e);
	for (int i = 0; i < PQntuples(r); i++) {
		hull_buf_append_str(b, i ? ",{" : "{", e);
		for (int c = 0; c < nf; c++) {
			if (c)
				hull_buf_putc(b, ',', e);
			hull_buf_append_str(b, keys[c], e);
			const char *v = PQgetvalue(r, i, c);
			if (PQgetisnull(r, i, c) || (num[c] && !json_number(v)))
				hull_buf_append_str(b, "null", e);
			else if (num[c])
				hull_buf_append_str(b, v, e);
			else if (boolean[c])
				hull_buf_append_str(b, v[0] == 't' ? "true" : "false", e);
			else
				json_string(b, v, e);
		}
		hull_buf_putc(b, '}', e);
	}
	hull_buf_putc(b, ']', e);
}

static int query(struct hull_store *s, const char *what, const char *sql, int n,
                 const char *const *vals, struct hull_buf *out, struct hull_err *err)
{
	PGresult *r = st_exec(s, what, sql, n, vals, err);
	if (!r)
		return -1;
	struct hull_err e = {0};
	rows(r, out, &e);
	PQclear(r);
	if (e.kind) {
		*err = e;
		return hull_err_wrap(err, "store: %s", what);
	}
	return 0;
}

/* image refs of a workload: the view workload_images (schema 5) */
#define WORKLOAD_IMAGES                                                                            \
	"SELECT namespace, kind, name, container, image, image_key FROM workload_images"

#define SEVERITY_NAME "(ARRAY['UNKNOWN','LOW','MEDIUM','HIGH','CRITICAL'])[severity + 1]"

int hull_store_fleet_cve(struct hull_store *s, const char *cve, struct hull_buf *out,
                         struct hull_err *err)
{
	const char *v[] = {cve};
	struct hull_err e = {0};
	hull_buf_append_str(out, "{\"id\":", &e);
	json_string(out, cve, &e);
	hull_buf_append_str(out, ",\"images\":", &e);
	if (e.kind) {
		*err = e;
		return -1;
	}
	if (query(s, "fleet cve",
	          "SELECT DISTINCT coalesce((SELECT name FROM image_refs WHERE image_key = "
	          "c.image_key ORDER BY name LIMIT 1), c.image_key) AS image, c.image_key AS key, "
	          "f.pkg_name AS package, f.pkg_version AS version, f.fixed_version AS fixed, "
	          "(ARRAY['UNKNOWN','LOW','MEDIUM','HIGH','CRITICAL'])[f.severity + 1] AS "
	          "severity, f.suppressed, c.db_build AS db_build, c.finished::text AS scanned "
	          "FROM image_findings v JOIN current_image_results c ON c.run_id = v.run_id "
	          "JOIN findings f ON f.run_id = v.run_id AND f.seq = v.seq WHERE v.id = $1 "
	          "ORDER BY 1, 3",
	          1, v, out, err) < 0)
		return -1;
	if (hull_buf_append_str(out, ",\"workloads\":", err) < 0)
		return -1;
	if (query(s, "fleet cve",
	          "SELECT DISTINCT wi.namespace, wi.kind, wi.name, wi.container, wi.image FROM "
	          "(" WORKLOAD_IMAGES ") wi JOIN current_image_results c ON c.image_key = "
	          "wi.image_key WHERE EXISTS (SELECT 1 FROM image_findings v WHERE v.run_id = "
	          "c.run_id AND v.id = $1) ORDER BY 1, 2, 3, 4",
	          1, v, out, err) < 0)
		return -1;
	return hull_buf_putc(out, '}', err);
}

int hull_store_fleet_changes(struct hull_store *s, time_t since, struct hull_buf *out,
                             struct hull_err *err)
{
	char t[32];
	struct tm tm;
	gmtime_r(&since, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *v[] = {t};
	/* For each target with a run after WHEN: its latest run and the latest
	 * before WHEN (found by index, runs_target, never by scanning the
	 * history), and the two runs' distinct findings joined: a finding of
	 * one side only is new or resolved. One small join per target (about
	 * 80 rows a side, read from the index findings_changes alone) costs
	 * less than grouping every target's findings in one aggregate (with
	 * schema 7's index, bench/store.sh's served changes: 43 -> 21.7 ms),
	 * the same rows. A target with no run before WHEN has only new
	 * findings. */
	return query(
	    s, "fleet changes",
	    "WITH latest AS (SELECT DISTINCT ON (kind, target, node) kind, target, node, "
	    "coalesce(findings_run, id) AS fr FROM runs WHERE finished > $1::timestamptz "
	    "ORDER BY kind, target, node, finished DESC, id DESC), "
	    "pairs AS (SELECT l.kind, l.target, l.node, l.fr, p.fr AS pfr FROM latest l LEFT JOIN "
	    "LATERAL (SELECT coalesce(r.findings_run, r.id) AS fr FROM runs r WHERE r.kind = "
	    "l.kind AND r.target = l.target AND r.node = l.node AND r.finished <= $1::timestamptz "
	    "ORDER BY r.finished DESC, r.id DESC LIMIT 1) p ON true) "
	    "SELECT CASE WHEN d.b_id IS NULL THEN 'new' ELSE 'resolved' END AS change, x.kind, "
	    "x.target, x.node, coalesce(d.a_id, d.b_id) AS id, (ARRAY['UNKNOWN','LOW','MEDIUM',"
	    "'HIGH','CRITICAL'])[coalesce(d.a_sev, d.b_sev) + 1] AS severity, "
	    "coalesce(d.a_what, d.b_what) AS what FROM pairs x CROSS JOIN LATERAL "
	    "(SELECT a.id AS a_id, a.severity AS a_sev, a.what AS a_what, b.id AS b_id, "
	    "b.severity AS b_sev, b.what AS b_what FROM "
	    "(SELECT DISTINCT id, severity, coalesce(pkg_name, object, file, '') AS what FROM "
	    "findings WHERE run_id = x.fr AND NOT suppressed) a FULL JOIN "
	    "(SELECT DISTINCT id, severity, coalesce(pkg_name, object, file, '') AS what FROM "
	    "findings WHERE run_id = x.pfr AND NOT suppressed) b "
	    "ON a.id = b.id AND a.severity = b.severity AND a.what = b.what "
	    "WHERE a.id IS NULL OR b.id IS NULL) d "
	    "ORDER BY 1, 2, 3, 4, coalesce(d.a_sev, d.b_sev) DESC, 5, 7 LIMIT 100000",
	    1, v, out, err);
}

int hull_store_fleet_top(struct hull_store *s, unsigned limit, struct hull_buf *out,
                         struct hull_err *err)
{
	char lim[16];
	snprintf(lim, sizeof(lim), "%u", limit ? limit : 20);
	const char *v[] = {lim};
	/* Ranked on fleet_vulns, kept by the writers (one row per id and
	 * severity, score and fix). The workloads running a vulnerability
	 * only break ties of severity and score, so they are counted only for
	 * the candidates: every id ranked at or above the limit-th by
	 * (severity, score) -- no id below it can reach the top -- from
	 * current_vulns (schema 6), one row per id and image. */
	return query(
	    s, "fleet top",
	    "WITH fv AS (SELECT id, max(severity) AS severity, nullif(max(cvss), -1) AS cvss, "
	    "sum(images) AS images, bool_or(fixable) AS fixable FROM fleet_vulns WHERE images > 0 "
	    "GROUP BY id), "
	    "bound AS (SELECT severity, coalesce(cvss, -1) AS cvss FROM fv ORDER BY severity DESC, "
	    "cvss DESC NULLS LAST OFFSET $1::int - 1 LIMIT 1), "
	    "cand AS (SELECT fv.* FROM fv WHERE NOT EXISTS (SELECT 1 FROM bound) OR (fv.severity, "
	    "coalesce(fv.cvss, -1)) >= ((SELECT severity FROM bound), (SELECT cvss FROM bound))), "
	    "iw AS (SELECT image_key, count(DISTINCT (namespace, kind, name)) AS n FROM "
	    "workload_images GROUP BY image_key), "
	    "cw AS (SELECT cv.id, sum(iw.n) AS workloads FROM current_vulns cv JOIN iw USING "
	    "(image_key) WHERE cv.id IN (SELECT id FROM cand) GROUP BY cv.id), "
	    "top AS (SELECT cand.*, coalesce(cw.workloads, 0) AS workloads FROM cand LEFT JOIN cw "
	    "USING (id) ORDER BY severity DESC, cvss DESC NULLS LAST, workloads DESC, images DESC, "
	    "id LIMIT $1::int) "
	    "SELECT id, (ARRAY['UNKNOWN','LOW','MEDIUM','HIGH','CRITICAL'])[severity + 1] AS "
	    "severity, cvss AS cvss_n, images AS images_n, workloads AS workloads_n, fixable, "
	    "(SELECT title FROM findings f WHERE f.id = top.id LIMIT 1) AS title FROM top ORDER BY "
	    "top.severity DESC, cvss DESC NULLS LAST, workloads DESC, images DESC, id",
	    1, v, out, err);
}

int hull_store_fleet_namespaces(struct hull_store *s, struct hull_buf *out, struct hull_err *err)
{
	return query(
	    s, "fleet namespaces",
	    "WITH ni AS (SELECT DISTINCT namespace, image_key FROM workload_images), "
	    "nw AS (SELECT namespace, count(DISTINCT (kind, name)) AS n FROM workloads GROUP BY "
	    "namespace), "
	    "nf AS (SELECT ni.namespace, rc.severity, sum(rc.n) AS n FROM ni JOIN "
	    "current_image_results c ON c.image_key = ni.image_key JOIN result_counts rc ON "
	    "rc.run_id = c.run_id GROUP BY 1, 2), "
	    "ns AS (SELECT nw.namespace, nw.n AS workloads, (SELECT count(*) FROM ni WHERE "
	    "ni.namespace = nw.namespace) AS images, (SELECT count(*) FROM ni JOIN "
	    "current_image_results c USING (image_key) WHERE ni.namespace = nw.namespace) AS "
	    "scanned FROM nw) "
	    "SELECT ns.namespace, ns.workloads AS workloads_n, ns.images AS images_n, ns.scanned "
	    "AS "
	    "scanned_n, coalesce(sum(nf.n) FILTER (WHERE severity = 4), 0) AS critical_n, "
	    "coalesce(sum(nf.n) FILTER (WHERE severity = 3), 0) AS high_n, "
	    "coalesce(sum(nf.n) FILTER (WHERE severity = 2), 0) AS medium_n, "
	    "coalesce(sum(nf.n) FILTER (WHERE severity = 1), 0) AS low_n, "
	    "coalesce(sum(nf.n) FILTER (WHERE severity = 0), 0) AS unknown_n "
	    "FROM ns LEFT JOIN nf USING (namespace) GROUP BY ns.namespace, ns.workloads, "
	    "ns.images, ns.scanned ORDER BY critical_n DESC, high_n DESC, ns.namespace",
	    0, NULL, out, err);
}

/* ---- queries by name, and served requests ----------------------------- */

const char *hull_store_fleet_name(const char *name)
{
	static const char *const names[] = {"cve", "changes", "top", "namespaces"};
	for (size_t i = 0; name && i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(name, names[i]))
			return names[i];
	return NULL;
}

int hull_store_fleet_since(const char *when, time_t now, struct hull_store_fleet_query *q,
                           struct hull_err *err)
{
	char *end;
	if (!strcmp(when, "yesterday")) {
		q->since = now - 86400;
		return 0;
	}
	long v = strtol(when, &end, 10);
	if (end != when && when[0] != '-' && end[0] && !end[1] && strchr("smhd", end[0])) {
		long mul = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 86400;
		if (v >= 0 && v <= 100L * 366 * 86400 / mul) { /* a century at most */
			q->since = now - v * mul;
			return 0;
		}
	}
	struct tm tm = {0};
	const char *e = strptime(when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!e || *e) {
		memset(&tm, 0, sizeof(tm));
		e = strptime(when, "%Y-%m-%d", &tm);
	}
	if (!e || *e)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%.64s': expected 24h, 7d, yesterday, YYYY-MM-DD or "
		                    "YYYY-MM-DDTHH:MM:SSZ",
		                    when);
	q->since = timegm(&tm);
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* s[0..n) percent-decoded ('+' a space) into out[HULL_STORE_FLEET_PARAM_MAX];
 * -1 on a malformed escape, a NUL, or a value too long. */
static int pct_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		} else if (c == '+')
			c = ' ';
		if (c == 0 || o + 1 >= HULL_STORE_FLEET_PARAM_MAX)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

static int request_param(const char *p, size_t len, time_t now, struct hull_store_fleet_query *q,
                         struct hull_err *err)
{
	const char *eq = memchr(p, '=', len);
	int kl = (int)(eq ? (size_t)(eq - p) : len);
	int shown = kl > 64 ? 64 : kl;
	char val[HULL_STORE_FLEET_PARAM_MAX];
	if (!eq || pct_decode(eq + 1, len - (size_t)kl - 1, val) < 0)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "query parameter '%.*s': expected NAME=VALUE, the value "
		                    "percent-encoded, at most %u bytes",
		                    shown, p, HULL_STORE_FLEET_PARAM_MAX - 1);
	bool top = !strcmp(q->name, "top"), changes = !strcmp(q->name, "changes");
	if (top && kl == 5 && !memcmp(p, "limit", 5)) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);
		if (!val[0] || *end || val[0] < '0' || val[0] > '9' || v < 1 ||
		    v > HULL_STORE_FLEET_LIMIT_MAX)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "limit '%.64s': expected a number from 1 to %u", val,
			                    HULL_STORE_FLEET_LIMIT_MAX);
		q->limit = (unsigned)v;
		return 0;
	}
	if (changes && kl == 5 && !memcmp(p, "since", 5))
		return hull_store_fleet_since(val, now, q, err) < 0 ? hull_err_wrap(err, "since")
		                                                    : 0;
	return hull_err_set(err, HULL_ERR_USAGE, "query parameter '%.*s': %s", shown, p,
	                    top       ? "not 'limit', the only one of top"
	                    : changes ? "not 'since', the only one of changes"
	                              : "this query takes none");
}

int hull_store_fleet_request(const char *what, const char *query, time_t now,
                             struct hull_store_fleet_query *q, struct hull_err *err)
{
	*q = (struct hull_store_fleet_query){.limit = 20, .since = now - 86400};
	const char *slash = strchr(what, '/');
	char name[16] = "";
	size_t nl = slash ? (size_t)(slash - what) : strlen(what);
	if (nl < sizeof(name))
		memcpy(name, what, nl), name[nl] = '\0';
	q->name = hull_store_fleet_name(name);
	if (!q->name || (slash != NULL) != !strcmp(q->name, "cve"))
		return hull_err_set(err, HULL_ERR_NOTFOUND,
		                    "no such fleet query: use /v1/fleet/cve/ID, /v1/fleet/top, "
		                    "/v1/fleet/namespaces or /v1/fleet/changes");
	if (slash) {
		static const char idchars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                              "0123456789.-_:";
		if (pct_decode(slash + 1, strlen(slash + 1), q->idbuf) < 0 || !q->idbuf[0] ||
		    strlen(q->idbuf) > HULL_STORE_FLEET_ID_MAX ||
		    q->idbuf[strspn(q->idbuf, idchars)])
			return hull_err_set(
			    err, HULL_ERR_USAGE,
			    "vulnerability id: expected 1 to %u letters, digits, '.', "
			    "'-', '_' or ':'",
			    HULL_STORE_FLEET_ID_MAX);
		q->cve = q->idbuf;
	}
	for (const char *p = query; *p;) {
		size_t len = strcspn(p, "&");
		if (request_param(p, len, now, q, err) < 0)
			return -1;
		p += len + (p[len] == '&');
	}
	return 0;
}

int hull_store_fleet_run(struct hull_store *s, const struct hull_store_fleet_query *q,
                         struct hull_buf *out, struct hull_err *err)
{
	if (!strcmp(q->name, "cve"))
		return hull_store_fleet_cve(s, q->cve, out, err);
	if (!strcmp(q->name, "changes"))
		return hull_store_fleet_changes(s, q->since, out, err);
	if (!strcmp(q->name, "top"))
		return hull_store_fleet_top(s, q->limit, out, err);
	return hull_store_fleet_namespaces(s, out, err);
}

/* ---- metrics ------------------------------------------------------------ */

int hull_store_metrics(struct hull_store *s, struct hull_buf *out, struct hull_err *err)
{
	PGresult *r = st_exec(
	    s, "metrics",
	    "SELECT 'runs' AS m, kind AS l, count(*)::text AS v FROM runs GROUP BY kind "
	    "UNION ALL SELECT 'last_run', kind, extract(epoch FROM max(finished))::bigint::text "
	    "FROM runs GROUP BY kind "
	    "UNION ALL SELECT 'images', '', count(*)::text FROM images "
	    "UNION ALL SELECT 'layers', '', count(*)::text FROM layers "
	    "UNION ALL SELECT 'layer_bytes', '', coalesce(sum(length(log)), 0)::text FROM layers "
	    "UNION ALL SELECT 'workloads', '', count(*)::text FROM workloads "
	    "UNION ALL SELECT 'findings', " SEVERITY_NAME ", sum(n)::text FROM "
	    "current_image_results c JOIN result_counts rc ON rc.run_id = c.run_id GROUP BY "
	    "severity ORDER BY 1, 2",
	    0, NULL, err);
	if (!r)
		return -1;
	struct hull_err e = {0};
	static const struct {
		const char *m, *name, *label, *help;
	} defs[] = {
	    {"runs", "hull_store_runs", "kind", "Runs recorded in the store, by command."},
	    {"last_run", "hull_store_last_run_timestamp_seconds", "kind",
	     "End of the latest recorded run, by command."},
	    {"images", "hull_store_images", NULL, "Images with a stored inventory."},
	    {"layers", "hull_store_layers", NULL, "Layer replay logs in the store."},
	    {"layer_bytes", "hull_store_layer_bytes", NULL, "Bytes of stored layer logs."},
	    {"workloads", "hull_store_workloads", NULL, "Workload containers known."},
	    {"findings", "hull_store_image_findings", "severity",
	     "Unsuppressed findings in the current result of every image, by severity."},
	};
	for (size_t d = 0; d < sizeof(defs) / sizeof(*defs); d++) {
		hull_buf_printf(out, &e, "# HELP %s %s\n# TYPE %s gauge\n", defs[d].name,
		                defs[d].help, defs[d].name);
		bool any = false;
		for (int i = 0; i < PQntuples(r); i++) {
			if (strcmp(PQgetvalue(r, i, 0), defs[d].m))
				continue;
			any = true;
			if (defs[d].label)
				hull_buf_printf(out, &e, "%s{%s=\"%s\"} %s\n", defs[d].name,
				                defs[d].label, PQgetvalue(r, i, 1),
				                PQgetvalue(r, i, 2));
			else
				hull_buf_printf(out, &e, "%s %s\n", defs[d].name,
				                PQgetvalue(r, i, 2));
		}
		if (!any && !defs[d].label)
			hull_buf_printf(out, &e, "%s 0\n", defs[d].name);
	}
	PQclear(r);
	if (e.kind) {
		*err = e;
		return -1;
	}
	return 0;
}
