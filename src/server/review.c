/* AdmissionReview and Docker authorization requests -> decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "misconfig/fe.h"
#include "server/images.h"
#include "server/nslabels.h"
#include "server/review_internal.h"
#include "report/jsonw.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

void hull_decision_release(struct hull_decision *d)
{
	hull_buf_release(&d->log);
}

static void decision_init(struct hull_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->allowed = true;
	hull_buf_init(&d->log, HULL_REVIEW_MAX_RESP);
}

/* ---- evaluation ------------------------------------------------------ */

struct verdict {
	struct hull_findings findings;
	unsigned *modes;          /* per finding */
	struct hull_diag skipped; /* what the front end could not classify */
	bool internal_error;
	char error[HULL_ERR_MSG_MAX];
};

static void verdict_release(struct verdict *v)
{
	hull_findings_release(&v->findings);
	free(v->modes);
	hull_diag_release(&v->skipped);
}

/* One finding per container whose image's last report has findings at
 * or above the configured severity. */
static int image_check(const struct hull_review_cfg *c, const struct hull_model *m,
                       struct hull_findings *out, struct hull_err *err)
{
	for (size_t w = 0; w < m->workloads.n; w++) {
		const struct hull_workload *wl = &m->workloads.v[w];
		for (size_t i = 0; i < wl->containers.n; i++) {
			const struct hull_container *ct = &wl->containers.v[i];
			struct hull_image_result r;
			if (!ct->image_digest ||
			    !hull_images_lookup(c->images, ct->image_digest, &r))
				continue;
			int worst = -1;
			char counts[256] = "";
			size_t used = 0;
			for (int s = HULL_SEV_CRITICAL; s >= (int)c->image_sev; s--) {
				if (!r.by_severity[s])
					continue;
				if (worst < 0)
					worst = s;
				int k = snprintf(counts + used, sizeof(counts) - used, "%s%u %s",
				                 used ? ", " : "", r.by_severity[s],
				                 hull_severity_name((enum hull_severity)s));
				if (k > 0 && (size_t)k < sizeof(counts) - used)
					used += (size_t)k;
			}
			if (worst < 0)
				continue;
			char msg[1024], obj[512];
			snprintf(msg, sizeof(msg),
			         "image %s has %s finding(s) in its last hull image report (%s)",
			         ct->image.v ? ct->image.v : ct->image_digest, counts, r.created);
			snprintf(obj, sizeof(obj), "%s%s%s%s%s, container %s",
			         wl->kind ? wl->kind : "workload", wl->name ? " " : "",
			         wl->namespace ? wl->namespace : "",
			         wl->namespace && wl->name ? "/" : "", wl->name ? wl->name : "",
			         ct->name ? ct->name : "(unnamed)");
			struct hull_finding f = {
			    .kind = HULL_FINDING_VULNERABILITY,
			    .id = strdup(HULL_REVIEW_IMAGE_RULE),
			    .severity = (enum hull_severity)worst,
			    .title = strdup("Image has known vulnerabilities"),
			    .message = strdup(msg),
			    .remediation =
			        strdup("Rebuild the image on updated packages, scan it "
			               "again with hull image, and deploy the new digest."),
			};
			f.loc.object = strdup(obj);
			if (hull_findings_add(out, &f, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* What a mode's findings are computed with: the level Kubernetes
 * workloads are judged at and the policy version. Modes with equal keys
 * share one run of the rules. */
struct eval_key {
	bool baseline;
	struct hull_pss_version v;
};

static struct eval_key mode_key(const struct hull_levels *lv, int mode, bool level_matters)
{
	int level = mode == 0 ? lv->enforce : mode == 1 ? lv->warn : lv->audit;
	struct eval_key k = {level_matters && level == HULL_PROFILE_BASELINE, lv->version[mode]};
	/* every version past the newest policy change is the same policy */
	if (k.v.pinned && k.v.minor > HULL_PSS_NEWEST_MINOR)
		k.v = (struct hull_pss_version){0};
	return k;
}

static bool same_key(struct eval_key a, struct eval_key b)
{
	return a.baseline == b.baseline && a.v.pinned == b.v.pinned &&
	       (!a.v.pinned || a.v.minor == b.v.minor);
}

/* The findings of every run with their modes, before sorting. */
struct gathered {
	struct hull_findings all;
	unsigned *modes;
	size_t cap;
};

static int gather_modes(struct gathered *g, const struct hull_review_cfg *c,
                        const struct hull_levels *lv, size_t from, unsigned mask)
{
	if (g->all.n > g->cap) {
		unsigned *nm = realloc(g->modes, g->all.n * 2 * sizeof(*nm));
		if (!nm)
			return -1;
		g->modes = nm;
		g->cap = g->all.n * 2;
	}
	for (size_t i = from; i < g->all.n; i++) {
		const struct hull_finding *f = &g->all.items[i];
		g->modes[i] = f->suppressed
		                  ? 0
		                  : hull_review_modes(c, lv, hull_review_rule_index(f->id)) & mask;
	}
	return 0;
}

static int cmp_index(const void *a, const void *b, void *ctx)
{
	const struct gathered *g = ctx;
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	int r = hull_finding_cmp(&g->all.items[i], &g->all.items[k]);
	return r ? r : (i > k) - (i < k);
}

/* Moves the gathered findings into v in report order; a finding that
 * several runs made (identical id, place and message) is kept once with
 * the modes of all of them. */
static int sorted_into(struct gathered *g, struct verdict *v, struct hull_err *err)
{
	size_t n = g->all.n, *idx = malloc((n ? n : 1) * sizeof(*idx));
	v->modes = calloc(n ? n : 1, sizeof(*v->modes));
	if (!idx || !v->modes) {
		free(idx);
		return hull_err_nomem(err);
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_index, g);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct hull_finding *f = &g->all.items[idx[i]];
		if (v->findings.n && !hull_finding_cmp(&v->findings.items[v->findings.n - 1], f)) {
			v->modes[v->findings.n - 1] |= g->modes[idx[i]];
			continue; /* released with g->all */
		}
		v->modes[v->findings.n] = g->modes[idx[i]];
		rc = hull_findings_add(&v->findings, f, err);
	}
	free(idx);
	return rc;
}

/* Runs the rules (and the image check) over m, once per distinct
 * evaluation key of the three modes; fills v. Failures are recorded in v
 * as internal errors, never returned. */
static void evaluate(const struct hull_review_cfg *c, const struct hull_model *m,
                     const struct hull_levels *lv, struct verdict *v)
{
	struct hull_err err = {0};
	struct gathered g = {0};
	struct eval_key keys[3];
	unsigned masks[3] = {0};
	size_t nkeys = 0;
	bool matters = hull_pss_level_matters(m);
	for (int mode = 0; mode < 3; mode++) {
		struct eval_key k = mode_key(lv, mode, matters);
		size_t j = 0;
		while (j < nkeys && !same_key(keys[j], k))
			j++;
		if (j == nkeys)
			keys[nkeys++] = k;
		masks[j] |= 1u << mode;
	}
	int rc = hull_model_failed(m, &err) ? -1 : 0;
	for (size_t j = 0; j < nkeys && rc == 0; j++) {
		struct hull_check_opts opts = {.profile = HULL_PROFILE_ALL,
		                               .policy = c->policy,
		                               .pss_version = keys[j].v,
		                               .pss_level = keys[j].baseline ? HULL_PSS_BASELINE
		                                                             : HULL_PSS_RESTRICTED};
		size_t from = g.all.n;
		rc = hull_misconfig_check(m, &opts, &g.all, &err);
		if (rc == 0 && gather_modes(&g, c, lv, from, masks[j]) < 0)
			rc = hull_err_nomem(&err);
	}
	size_t from = g.all.n;
	if (rc == 0 && c->images && (rc = image_check(c, m, &g.all, &err)) == 0 &&
	    gather_modes(&g, c, lv, from, 7) < 0)
		rc = hull_err_nomem(&err);
	if (rc == 0)
		rc = sorted_into(&g, v, &err);
	if (rc < 0) {
		v->internal_error = true;
		snprintf(v->error, sizeof(v->error), "%s", err.msg);
	}
	hull_findings_release(&g.all);
	free(g.modes);
}

static bool any_mode(const struct verdict *v, unsigned mode)
{
	for (size_t i = 0; i < v->findings.n; i++)
		if (v->modes[i] & mode)
			return true;
	return false;
}

/* Cuts s to at most max bytes on a UTF-8 boundary, marking the cut. */
static void cut_utf8(struct hull_buf *b, size_t max)
{
	if (b->len <= max)
		return;
	size_t n = max - 3;
	while (n && ((unsigned char)b->data[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	b->data[n] = 0;
	hull_buf_append_str(b, "...", NULL);
}

/* Appends each piece (NULL pieces are skipped): messages are long, and
 * printf is a slow way to concatenate. */
static void append_all(struct hull_buf *b, const char *const *pieces, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pieces[i])
			hull_buf_append_str(b, pieces[i], NULL);
}

/* The deny message stops growing once past HULL_REVIEW_MAX_MSG and is then
 * cut; one piece (an object label, a message, a remediation) is at most a
 * few KiB, so with this much room no append ever fails half-way. */
#define DENY_MSG_BUF (HULL_REVIEW_MAX_MSG + 16384u)

/* status.message / Msg: each enforced rule once, its occurrences, and its
 * remediation. */
static void deny_message(const struct verdict *v, const char *what, struct hull_buf *out)
{
	hull_buf_printf(out, NULL, "hull denied %s:", what);
	for (size_t i = 0; i < v->findings.n; i++) {
		const struct hull_finding *f = &v->findings.items[i];
		if (!(v->modes[i] & HULL_MODE_ENFORCE))
			continue;
		bool first = true;
		for (size_t k = 0; k < i; k++)
			if ((v->modes[k] & HULL_MODE_ENFORCE) &&
			    !strcmp(v->findings.items[k].id, f->id))
				first = false;
		if (!first)
			continue;
		const char *head[] = {"\n[", f->id,    " ", hull_severity_name(f->severity),
		                      "] ",  f->title, ":"};
		append_all(out, head, sizeof(head) / sizeof(head[0]));
		for (size_t k = i; k < v->findings.n; k++) {
			const struct hull_finding *g = &v->findings.items[k];
			if (out->len > HULL_REVIEW_MAX_MSG)
				break;
			if (!(v->modes[k] & HULL_MODE_ENFORCE) || strcmp(g->id, f->id))
				continue;
			const char *occ[] = {" ", g->loc.object, ": ", g->message, ";"};
			append_all(out, occ, sizeof(occ) / sizeof(occ[0]));
		}
		if (f->remediation) {
			const char *fix[] = {" fix: ", f->remediation};
			append_all(out, fix, 2);
		}
		if (out->len > HULL_REVIEW_MAX_MSG)
			break; /* cut below: the rest would not be shown */
	}
	cut_utf8(out, HULL_REVIEW_MAX_MSG);
}

/* Appends s as a JSON string (quotes included; invalid UTF-8 becomes
 * U+FFFD). NULL is written as null. For the decision line, which is
 * assembled from pieces. */
static void jstr_append(struct hull_buf *b, const char *s)
{
	if (!s)
		hull_buf_append_str(b, "null", NULL);
	else
		hull_json_quote(b, s, strlen(s), NULL);
}

static void jfield(struct hull_buf *b, const char *key, const char *val)
{
	hull_buf_printf(b, NULL, ",\"%s\":", key);
	if (val)
		jstr_append(b, val);
	else
		hull_buf_append_str(b, "null", NULL);
}

/* The decision line: one JSON object, each finding once with its modes.
 * base holds the request's fields, already written ("{"event":..). */
static void audit_line(const struct hull_review_cfg *c, const struct verdict *v,
                       struct hull_buf *base, struct hull_decision *d)
{
	if (c->no_log)
		return;
	struct hull_buf *b = &d->log;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	hull_buf_printf(b, NULL, "{\"time\":\"%s\"", ts);
	hull_buf_append(b, base->data ? base->data : "", base->len, NULL);
	hull_buf_printf(b, NULL, ",\"allowed\":%s,\"findings\":[", d->allowed ? "true" : "false");
	size_t suppressed = 0, n = 0;
	for (size_t i = 0; v && v->modes && i < v->findings.n; i++) {
		const struct hull_finding *f = &v->findings.items[i];
		suppressed += f->suppressed;
		if (!v->modes[i])
			continue;
		hull_buf_printf(b, NULL, "%s{\"rule\":", n++ ? "," : "");
		jstr_append(b, f->id);
		jfield(b, "severity", hull_severity_name(f->severity));
		jfield(b, "object", f->loc.object ? f->loc.object : "");
		jfield(b, "message", f->message ? f->message : "");
		hull_buf_printf(b, NULL, ",\"modes\":[%s%s%s]}",
		                v->modes[i] & HULL_MODE_ENFORCE ? "\"enforce\"" : "",
		                v->modes[i] & HULL_MODE_WARN
		                    ? (v->modes[i] & HULL_MODE_ENFORCE ? ",\"warn\"" : "\"warn\"")
		                    : "",
		                v->modes[i] & HULL_MODE_AUDIT
		                    ? (v->modes[i] & (HULL_MODE_ENFORCE | HULL_MODE_WARN)
		                           ? ",\"audit\""
		                           : "\"audit\"")
		                    : "");
	}
	hull_buf_printf(b, NULL, "],\"suppressed\":%zu", suppressed);
	if (v && v->internal_error)
		jfield(b, "error", v->error);
	hull_buf_putc(b, '}', NULL);
}

static void count_denials(const struct verdict *v, struct hull_decision *d)
{
	size_t nrules;
	hull_rules(&nrules);
	for (size_t i = 0; i < v->findings.n; i++) {
		if (!(v->modes[i] & HULL_MODE_ENFORCE))
			continue;
		int idx = hull_review_rule_index(v->findings.items[i].id);
		bool seen = idx < 0;
		for (size_t k = 0; k < d->ndenied && !seen; k++)
			seen = d->denied[k] == (unsigned)idx;
		if (!seen && d->ndenied < sizeof(d->denied) / sizeof(d->denied[0]))
			d->denied[d->ndenied++] = (unsigned)idx;
	}
	for (size_t i = 0; i < v->findings.n; i++) {
		d->nwarn += !!(v->modes[i] & HULL_MODE_WARN);
		d->naudit += !!(v->modes[i] & HULL_MODE_AUDIT);
	}
}

/* ---- Kubernetes ------------------------------------------------------ */

struct areq {
	const char *api_version, *uid, *operation, *ns, *name, *user, *kind, *subresource;
	char object_api[256]; /* request.kind's group/version: the object's apiVersion */
	bool dry_run;
	struct json_object *object, *old_object;
	/* pod-security labels: what was wrong with the namespace's (its pods
	 * are evaluated anyway, as Pod Security Admission does), and why a
	 * Namespace's new labels are refused */
	char label_err[HULL_NS_ERROR_MAX], label_deny[HULL_NS_ERROR_MAX + 128];
};

static int read_review(struct json_object *doc, struct areq *r, struct hull_err *err)
{
	if (!json_object_is_type(doc, json_type_object))
		return hull_err_set(err, HULL_ERR_INPUT, "AdmissionReview: not a JSON object");
	const char *kind = hull_json_get_str(doc, "kind");
	r->api_version = hull_json_get_str(doc, "apiVersion");
	if (!kind || strcmp(kind, "AdmissionReview"))
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "AdmissionReview: kind is %s%.64s%s, not AdmissionReview",
		                    kind ? "'" : "", kind ? kind : "missing", kind ? "'" : "");
	if (!r->api_version || (strcmp(r->api_version, "admission.k8s.io/v1") &&
	                        strcmp(r->api_version, "admission.k8s.io/v1beta1")))
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "AdmissionReview: apiVersion %.64s is not admission.k8s.io/v1",
		                    r->api_version ? r->api_version : "missing");
	struct json_object *req = hull_json_get_obj(doc, "request");
	if (!req)
		return hull_err_set(err, HULL_ERR_INPUT, "AdmissionReview: no request");
	r->uid = hull_json_get_str(req, "uid");
	if (!r->uid || !*r->uid || strlen(r->uid) > 256)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "AdmissionReview: request.uid missing or invalid");
	r->operation = hull_json_get_str(req, "operation");
	r->ns = hull_json_get_str(req, "namespace");
	r->name = hull_json_get_str(req, "name");
	r->subresource = hull_json_get_str(req, "subResource");
	r->user = hull_json_get_str(hull_json_get_obj(req, "userInfo"), "username");
	struct json_object *gvk = hull_json_get_obj(req, "kind");
	const char *group = hull_json_get_str(gvk, "group");
	const char *version = hull_json_get_str(gvk, "version");
	r->kind = hull_json_get_str(gvk, "kind");
	if (version && *version)
		snprintf(r->object_api, sizeof(r->object_api), "%s%s%s", group ? group : "",
		         group && *group ? "/" : "", version);
	hull_json_get_bool(req, "dryRun", &r->dry_run);
	r->object = hull_json_get_obj(req, "object");
	r->old_object = hull_json_get_obj(req, "oldObject");
	return 0;
}

/* ---- Namespaces and their pod-security labels --------------------------- */

static struct json_object *labels_of(struct json_object *obj)
{
	return hull_json_get_obj(hull_json_get_obj(obj, "metadata"), "labels");
}

static bool is_namespace(const struct areq *r)
{
	return r->kind && !strcmp(r->kind, "Namespace") && (!r->subresource || !*r->subresource);
}

/* A Namespace created or updated: invalid labels are refused as Pod
 * Security Admission refuses them (on update only when they changed),
 * valid ones are remembered for the namespace's later requests. A deleted
 * Namespace is forgotten. Dry runs change nothing. */
static void namespace_labels(const struct hull_review_cfg *cfg, struct areq *r)
{
	const char *name =
	    r->name && *r->name
	        ? r->name
	        : hull_json_get_str(hull_json_get_obj(r->object, "metadata"), "name");
	if (!cfg->ns_store || !is_namespace(r) || !r->operation || !name)
		return;
	if (!strcmp(r->operation, "DELETE")) {
		if (!r->dry_run)
			hull_ns_store_del(cfg->ns_store, name);
		return;
	}
	if (!r->object || (strcmp(r->operation, "CREATE") && strcmp(r->operation, "UPDATE")))
		return;
	struct hull_ns_policy np, old;
	hull_ns_policy_parse(labels_of(r->object), &np);
	if (np.error[0]) {
		bool update = !strcmp(r->operation, "UPDATE");
		if (update)
			hull_ns_policy_parse(labels_of(r->old_object), &old);
		if (!update || !old.error[0] || strcmp(old.error, np.error)) {
			snprintf(r->label_deny, sizeof(r->label_deny),
			         "namespace %s: invalid Pod Security labels: %s", name, np.error);
			return;
		}
	}
	if (!r->dry_run)
		hull_ns_store_put(cfg->ns_store, name, &np);
}

/* The API server leaves metadata.namespace (and name, with generateName)
 * empty on CREATE: the request says them. */
static void complete_object(struct json_object *obj, const struct areq *r)
{
	struct json_object *meta = hull_json_get_obj(obj, "metadata");
	if (!meta) {
		meta = json_object_new_object();
		if (!meta || json_object_object_add(obj, "metadata", meta) < 0)
			return;
	}
	const char *ns = hull_json_get_str(meta, "namespace");
	if ((!ns || !*ns) && r->ns && *r->ns)
		json_object_object_add(meta, "namespace", json_object_new_string(r->ns));
	const char *name = hull_json_get_str(meta, "name");
	if (!name || !*name) {
		const char *n =
		    r->name && *r->name ? r->name : hull_json_get_str(meta, "generateName");
		if (n && *n)
			json_object_object_add(meta, "name", json_object_new_string(n));
	}
}

/* The name for messages: the request's, else the object's (complete_object
 * has copied one into the other when only one was given). */
static const char *object_name(const struct areq *r)
{
	if (r->name && *r->name)
		return r->name;
	const char *n = hull_json_get_str(hull_json_get_obj(r->object, "metadata"), "name");
	return n && *n ? n : "(unnamed)";
}

/* A warning for each finding in warn mode, except those the deny message
 * already lists. */
static bool warned(const struct verdict *v, size_t i)
{
	return (v->modes[i] & (HULL_MODE_WARN | HULL_MODE_ENFORCE)) == HULL_MODE_WARN;
}

/* One warning, or the last one saying how many more there are; false
 * once the list is full. */
static bool add_warning(struct hull_jw *w, struct hull_buf *b, const char *const *text, size_t nt,
                        size_t *n, size_t total)
{
	hull_buf_reset(b);
	if (*n + 1 == HULL_REVIEW_MAX_WARN && total > HULL_REVIEW_MAX_WARN) {
		hull_buf_printf(b, NULL, "hull: %zu more warnings not shown", total - *n);
		hull_jw_str(w, b->data ? b->data : "");
		return false;
	}
	append_all(b, text, nt);
	cut_utf8(b, HULL_REVIEW_WARN_CHARS);
	hull_jw_str(w, b->data ? b->data : "");
	(*n)++;
	return true;
}

/* "warnings": [...] when the front end skipped something (said first: the
 * object was not, or not wholly, evaluated) or any finding is in warn
 * mode only. */
static void write_warnings(const struct verdict *v, const struct areq *r, struct hull_jw *w)
{
	size_t n = 0, total = v->skipped.n;
	for (size_t i = 0; i < v->findings.n; i++)
		total += warned(v, i);
	if (!total && !r->label_err[0])
		return;
	hull_jw_key(w, "warnings");
	hull_jw_arr_begin(w);
	if (r->label_err[0]) {
		char msg[HULL_NS_ERROR_MAX + 128];
		snprintf(msg, sizeof(msg),
		         "hull: namespace %s: invalid Pod Security labels (%s); evaluated as Pod "
		         "Security Admission does",
		         r->ns ? r->ns : "", r->label_err);
		hull_jw_str(w, msg);
	}
	struct hull_buf b;
	hull_buf_init(&b, 4096);
	bool room = true;
	for (size_t i = 0; room && i < v->skipped.n; i++) {
		const char *text[] = {"hull: ", v->skipped.msgs[i]};
		room = add_warning(w, &b, text, 2, &n, total);
	}
	for (size_t i = 0; room && i < v->findings.n; i++) {
		const struct hull_finding *f = &v->findings.items[i];
		if (!warned(v, i))
			continue;
		const char *text[] = {"[",  f->id,
		                      " ",  hull_severity_name(f->severity),
		                      "] ", f->loc.object ? f->loc.object : "",
		                      ": ", f->message};
		room = add_warning(w, &b, text, sizeof(text) / sizeof(text[0]), &n, total);
	}
	hull_buf_release(&b);
	hull_jw_arr_end(w);
}

/* "auditAnnotations": {...} when any finding is in audit mode. */
static void write_audit_annotations(const struct verdict *v, struct hull_jw *w)
{
	struct hull_buf ids;
	hull_buf_init(&ids, 8192);
	for (size_t i = 0; i < v->findings.n; i++) {
		if (!(v->modes[i] & HULL_MODE_AUDIT))
			continue;
		const char *id = v->findings.items[i].id;
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup =
			    (v->modes[k] & HULL_MODE_AUDIT) && !strcmp(v->findings.items[k].id, id);
		if (!dup && ((ids.len && hull_buf_putc(&ids, ',', NULL) < 0) ||
		             hull_buf_append_str(&ids, id, NULL) < 0))
			break; /* 8 KiB of rule ids: the rest are in the decision log */
	}
	if (ids.len) {
		hull_jw_key(w, "auditAnnotations");
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "hull.dev/audit-violations", ids.data);
		hull_jw_obj_end(w);
	}
	hull_buf_release(&ids);
}

/* "status": {"code": .., "reason": .., "message": ..} */
static void write_status(struct hull_jw *w, int code, const char *reason, const char *msg)
{
	hull_jw_key(w, "status");
	hull_jw_obj_begin(w);
	hull_jw_kint(w, "code", code);
	hull_jw_kstr_opt(w, "reason", reason);
	hull_jw_kstr(w, "message", msg);
	hull_jw_obj_end(w);
}

/* Ends a response document; one past its cap is an error, never cut. */
static int finish_response(struct hull_jw *w, struct hull_buf *resp, const char *what)
{
	if (hull_jw_finish(w) == 0)
		return 0;
	hull_buf_reset(resp);
	return hull_err_wrap(w->err, "%s response", what);
}

static void admission_log_base(const struct areq *r, bool exempt, struct hull_buf *b)
{
	jfield(b, "event", "admission");
	jfield(b, "uid", r->uid);
	jfield(b, "operation", r->operation);
	jfield(b, "kind", r->kind);
	jfield(b, "namespace", r->ns);
	jfield(b, "name", r->name);
	jfield(b, "user", r->user);
	if (r->label_err[0])
		jfield(b, "namespaceLabelError", r->label_err);
	if (exempt)
		hull_buf_append_str(b, ",\"exempt\":true", NULL);
}

static bool reviewed(const struct areq *r)
{
	if (!r->object || !r->operation)
		return false;
	if (strcmp(r->operation, "CREATE") && strcmp(r->operation, "UPDATE"))
		return false; /* DELETE and CONNECT carry nothing to check */
	/* status and other subresources do not change how pods run, except
	 * ephemeral containers */
	return !r->subresource || !*r->subresource ||
	       !strcmp(r->subresource, "ephemeralcontainers");
}

int hull_review_admission(const struct hull_review_cfg *cfg, const char *body, size_t len,
                          struct hull_buf *resp, struct hull_decision *d, struct hull_err *err)
{
	decision_init(d);
	struct json_object *doc = NULL;
	if (len > HULL_REVIEW_MAX_BODY)
		return hull_err_set(err, HULL_ERR_LIMIT, "AdmissionReview: larger than %u MiB",
		                    HULL_REVIEW_MAX_BODY >> 20);
	if (hull_json_parse(body, len, "AdmissionReview", &doc, err) < 0)
		return -1;
	struct areq r = {0};
	if (read_review(doc, &r, err) < 0) {
		json_object_put(doc);
		return -1;
	}
	d->dry_run = r.dry_run;

	struct verdict v = {0};
	bool have_verdict = false;
	namespace_labels(cfg, &r);
	if (r.label_deny[0]) {
		d->allowed = false; /* not a rule's verdict: nothing else is evaluated */
	} else if (!reviewed(&r) || hull_review_exempt(cfg, r.ns, r.user)) {
		d->exempt = true;
	} else {
		struct hull_levels lv = hull_review_levels(cfg, r.ns, r.label_err);
		complete_object(r.object, &r);
		struct hull_model *m = hull_model_new();
		struct hull_err lerr = {0};
		if (!m) {
			v.internal_error = true;
			snprintf(v.error, sizeof(v.error), "out of memory");
		} else {
			struct fe f = {.m = m, .file = hull_model_file(m, "request.object")};
			/* an object without kind is of the request's kind */
			if (hull_k8s_load_typed(&f, r.object, r.kind,
			                        *r.object_api ? r.object_api : NULL, &lerr) < 0) {
				v.internal_error = true;
				snprintf(v.error, sizeof(v.error), "%s", lerr.msg);
			} else {
				if (!m->objects.n)
					hull_model_warn(m,
					                "request.object: no Kubernetes object in "
					                "it: not evaluated");
				evaluate(cfg, m, &lv, &v);
			}
			hull_model_move_warnings(m, &v.skipped);
			hull_model_free(m);
		}
		have_verdict = true;
		d->evaluated = !v.internal_error;
	}

	/* the response is written directly: it is small, and a json-c tree
	 * for it cost as much as the rules */
	struct hull_jw w;
	hull_jw_init_compact(&w, resp, err);
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "apiVersion", r.api_version);
	hull_jw_kstr(&w, "kind", "AdmissionReview");
	hull_jw_key(&w, "response");
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "uid", r.uid);
	if (r.label_deny[0]) {
		write_status(&w, 422, "Invalid", r.label_deny);
	} else if (have_verdict && v.internal_error) {
		d->internal_error = true;
		char msg[HULL_ERR_MSG_MAX + 64];
		snprintf(msg, sizeof(msg), "hull could not evaluate the object: %s", v.error);
		d->allowed = !cfg->fail_closed;
		if (cfg->fail_closed) {
			write_status(&w, 500, NULL, msg);
		} else {
			hull_jw_key(&w, "warnings");
			hull_jw_arr_begin(&w);
			hull_jw_str(&w, msg);
			hull_jw_arr_end(&w);
		}
	} else if (have_verdict) {
		d->allowed = !any_mode(&v, HULL_MODE_ENFORCE);
		count_denials(&v, d);
		if (!d->allowed) {
			struct hull_buf msg;
			char what[600];
			snprintf(what, sizeof(what), "%s %s%s%s", r.kind ? r.kind : "object",
			         r.ns && *r.ns ? r.ns : "", r.ns && *r.ns ? "/" : "",
			         object_name(&r));
			hull_buf_init(&msg, DENY_MSG_BUF);
			deny_message(&v, what, &msg);
			write_status(&w, 403, "Forbidden", msg.data ? msg.data : "");
			hull_buf_release(&msg);
		}
		write_warnings(&v, &r, &w);
		if (!r.dry_run)
			write_audit_annotations(&v, &w);
	}
	hull_jw_key(&w, "allowed");
	hull_jw_bool(&w, d->allowed);
	hull_jw_obj_end(&w);
	hull_jw_obj_end(&w);
	int wrc = finish_response(&w, resp, "AdmissionReview");
	/* dry runs are evaluated and answered, never logged as deployments */
	if (!r.dry_run && !cfg->no_log) {
		struct hull_buf base;
		hull_buf_init(&base, HULL_REVIEW_MAX_RESP);
		admission_log_base(&r, d->exempt, &base);
		audit_line(cfg, have_verdict ? &v : NULL, &base, d);
		hull_buf_release(&base);
	}
	if (have_verdict)
		verdict_release(&v);
	json_object_put(doc);
	return wrc;
}

/* ---- Docker ---------------------------------------------------------- */

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

long hull_base64_decode(const char *in, size_t len, unsigned char *out)
{
	while (len && in[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return -1;
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = b64val((unsigned char)in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)o;
}

static int hexd(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Is uri "[/vX.Y]/containers/create[?...]"? Copies the name= query
 * parameter (percent-decoded) into name. */
static bool is_create(const char *uri, char *name, size_t cap)
{
	name[0] = 0;
	if (!uri || uri[0] != '/')
		return false;
	const char *p = uri;
	if (p[1] == 'v' && p[2] >= '0' && p[2] <= '9') {
		p += 2;
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
	}
	const char *path = "/containers/create";
	size_t pl = strlen(path);
	if (strncmp(p, path, pl) || (p[pl] && p[pl] != '?' && !(p[pl] == '/' && !p[pl + 1])))
		return false;
	const char *q = strchr(p, '?');
	while (q && *q) {
		q++;
		if (!strncmp(q, "name=", 5)) {
			size_t o = 0;
			for (q += 5; *q && *q != '&' && o + 1 < cap; q++) {
				if (*q == '%' && hexd(q[1]) >= 0 && hexd(q[2]) >= 0) {
					name[o++] = (char)(hexd(q[1]) * 16 + hexd(q[2]));
					q += 2;
				} else {
					name[o++] = *q == '+' ? ' ' : *q;
				}
			}
			name[o] = 0;
			break;
		}
		q = strchr(q, '&');
	}
	return true;
}

static int authz_answer(bool allow, const char *msg, const char *e, struct hull_buf *resp,
                        struct hull_err *err)
{
	struct hull_jw w;
	hull_jw_init_compact(&w, resp, err);
	hull_jw_obj_begin(&w);
	hull_jw_key(&w, "Allow");
	hull_jw_bool(&w, allow);
	hull_jw_kstr(&w, "Msg", msg ? msg : "");
	hull_jw_kstr(&w, "Err", e ? e : "");
	hull_jw_obj_end(&w);
	return finish_response(&w, resp, "AuthZ");
}

/* The create body is the Engine API's Config with HostConfig inside:
 * the inspect front end reads {"Config": .., "HostConfig": ..}. */
static void evaluate_create(const struct hull_review_cfg *cfg, struct json_object *body,
                            const char *name, struct verdict *v)
{
	struct hull_model *m = hull_model_new();
	if (!m) {
		v->internal_error = true;
		snprintf(v->error, sizeof(v->error), "out of memory");
		return;
	}
	struct json_object *doc = json_object_new_object();
	json_object_object_add(doc, "Name", json_object_new_string(*name ? name : "container"));
	json_object_object_add(doc, "Config", json_object_get(body));
	struct json_object *hc = hull_json_get_obj(body, "HostConfig");
	json_object_object_add(doc, "HostConfig",
	                       hc ? json_object_get(hc) : json_object_new_object());
	struct fe f = {.m = m, .file = hull_model_file(m, "containers/create")};
	struct hull_err lerr = {0};
	struct hull_levels lv = cfg->defaults;
	if (hull_inspect_load_doc(&f, doc, &lerr) < 0) {
		v->internal_error = true;
		snprintf(v->error, sizeof(v->error), "%s", lerr.msg);
	} else {
		evaluate(cfg, m, &lv, v);
	}
	hull_model_free(m);
	json_object_put(doc);
}

int hull_review_authz_req(const struct hull_review_cfg *cfg, const char *body, size_t len,
                          struct hull_buf *resp, struct hull_decision *d, struct hull_err *err)
{
	decision_init(d);
	cleanup_json struct json_object *doc = NULL;
	if (len > HULL_REVIEW_MAX_BODY)
		return hull_err_set(err, HULL_ERR_LIMIT, "AuthZReq: larger than %u MiB",
		                    HULL_REVIEW_MAX_BODY >> 20);
	if (hull_json_parse(body, len, "AuthZReq", &doc, err) < 0)
		return -1;
	if (!json_object_is_type(doc, json_type_object))
		return hull_err_set(err, HULL_ERR_INPUT, "AuthZReq: not a JSON object");
	const char *method = hull_json_get_str(doc, "RequestMethod");
	const char *uri = hull_json_get_str(doc, "RequestURI");
	const char *user = hull_json_get_str(doc, "User");
	char name[256];
	if (!method || strcmp(method, "POST") || !is_create(uri, name, sizeof(name))) {
		d->exempt = true;
		return authz_answer(true, NULL, NULL, resp, err);
	}
	struct verdict v = {0};
	const char *b64 = hull_json_get_str(doc, "RequestBody");
	size_t blen = b64 ? strlen(b64) : 0;
	cleanup_free unsigned char *raw = NULL;
	long rawlen = -1;
	cleanup_json struct json_object *cbody = NULL;
	struct hull_err perr = {0};
	if (!b64 || !blen) {
		v.internal_error = true;
		snprintf(v.error, sizeof(v.error),
		         "container create request without a body (the daemon sends bodies "
		         "of JSON requests under 1 MiB)");
	} else if (blen > HULL_REVIEW_MAX_BODY / 3 * 4 + 4 || !(raw = malloc(blen / 4 * 3 + 3)) ||
	           (rawlen = hull_base64_decode(b64, blen, raw)) < 0) {
		v.internal_error = true;
		snprintf(v.error, sizeof(v.error), "RequestBody is not base64 (or too large)");
	} else if (hull_json_parse((const char *)raw, (size_t)rawlen, "containers/create body",
	                           &cbody, &perr) < 0 ||
	           !json_object_is_type(cbody, json_type_object)) {
		v.internal_error = true;
		snprintf(v.error, sizeof(v.error), "%s",
		         perr.msg[0] ? perr.msg : "containers/create body: not a JSON object");
	} else {
		evaluate_create(cfg, cbody, name, &v);
	}

	d->evaluated = !v.internal_error;
	int rc;
	cleanup_buf struct hull_buf msg;
	hull_buf_init(&msg, DENY_MSG_BUF);
	if (v.internal_error) {
		d->internal_error = true;
		d->allowed = !cfg->fail_closed;
		hull_buf_printf(&msg, NULL, "hull could not evaluate the request: %s", v.error);
		/* Err makes the daemon refuse the request: only when failing closed */
		rc = authz_answer(d->allowed, msg.data, cfg->fail_closed ? msg.data : NULL, resp,
		                  err);
	} else {
		d->allowed = !any_mode(&v, HULL_MODE_ENFORCE);
		count_denials(&v, d);
		if (!d->allowed) {
			char what[300];
			snprintf(what, sizeof(what), "container %s", *name ? name : "(unnamed)");
			deny_message(&v, what, &msg);
		}
		rc = authz_answer(d->allowed, msg.data, NULL, resp, err);
	}
	cleanup_buf struct hull_buf base;
	hull_buf_init(&base, HULL_REVIEW_MAX_RESP);
	jfield(&base, "event", "authz");
	jfield(&base, "method", method);
	jfield(&base, "uri", uri);
	jfield(&base, "user", user && *user ? user : NULL);
	jfield(&base, "name", *name ? name : NULL);
	audit_line(cfg, v.modes || v.internal_error ? &v : NULL, &base, d);
	verdict_release(&v);
	return rc;
}

int hull_review_authz_res(const char *body, size_t len, struct hull_buf *resp, struct hull_err *err)
{
	struct json_object *doc = NULL;
	if (hull_json_parse(body, len, "AuthZRes", &doc, err) < 0)
		return -1;
	bool obj = json_object_is_type(doc, json_type_object);
	json_object_put(doc);
	if (!obj)
		return hull_err_set(err, HULL_ERR_INPUT, "AuthZRes: not a JSON object");
	return authz_answer(true, NULL, NULL, resp, err);
}
