/* findings_json: a findings list in hull's own JSON schema
 * (docs/report-json.md, docs/schemas/hull-findings.schema.json).
 *
 * Every member is always present (null when unknown), as in the SBOM
 * document, so `jq '.findings[].package.fixedVersion'` works everywhere;
 * findings come in hull_finding_cmp order. */
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"

static void str_array(struct hull_jw *w, const char *key, char **v, size_t n)
{
	hull_jw_key(w, key);
	hull_jw_arr_begin(w);
	for (size_t i = 0; v && i < n; i++)
		if (v[i])
			hull_jw_str(w, v[i]);
	hull_jw_arr_end(w);
}

static void opt_uint(struct hull_jw *w, const char *key, unsigned v)
{
	hull_jw_key(w, key);
	if (v)
		hull_jw_int(w, v);
	else
		hull_jw_null(w);
}

static void write_target(struct hull_jw *w, const struct hull_fctx *c)
{
	const struct hull_scan_target *t = &c->in->target;
	hull_jw_key(w, "target");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", t->name);
	hull_jw_kstr(w, "kind", hull_target_kind_name(t->kind));
	hull_jw_kstr(w, "path", t->path ? t->path : t->name);
	hull_jw_kstr(w, "digest", t->digest);
	hull_jw_kstr(w, "os", c->os);
	hull_jw_obj_end(w);
}

static void write_location(struct hull_jw *w, const struct hull_location *l)
{
	hull_jw_key(w, "location");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "file", l->file);
	opt_uint(w, "line", l->line);
	opt_uint(w, "column", l->col);
	opt_uint(w, "endLine", l->end_line);
	opt_uint(w, "endColumn", l->end_col);
	hull_jw_kstr(w, "object", l->object);
	hull_jw_key(w, "layer");
	if (l->layer_digest || l->layer_diff_id) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "digest", l->layer_digest);
		hull_jw_kstr(w, "diffId", l->layer_diff_id);
		hull_jw_obj_end(w);
	} else {
		hull_jw_null(w);
	}
	hull_jw_obj_end(w);
}

static void write_package(struct hull_jw *w, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	hull_jw_key(w, "package");
	if (f->kind != HULL_FINDING_VULNERABILITY) {
		hull_jw_null(w);
		return;
	}
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", v->pkg_name);
	hull_jw_kstr(w, "version", v->pkg_version);
	hull_jw_kstr(w, "type", v->pkg_type);
	hull_jw_kstr(w, "purl", v->pkg_purl);
	hull_jw_kstr(w, "sourceName", v->src_name);
	hull_jw_kstr(w, "fixedVersion", v->fixed_version);
	hull_jw_kstr(w, "status", hull_vuln_status_name(v->status));
	hull_jw_kstr(w, "severitySource", v->severity_source);
	hull_jw_key(w, "cvss");
	if (v->cvss_score > 0 || v->cvss_vector) {
		hull_jw_obj_begin(w);
		hull_jw_key(w, "score");
		if (v->cvss_score > 0)
			hull_jw_num(w, v->cvss_score);
		else
			hull_jw_null(w);
		hull_jw_kstr(w, "vector", v->cvss_vector);
		hull_jw_obj_end(w);
	} else {
		hull_jw_null(w);
	}
	hull_jw_obj_end(w);
}

static void write_suppression(struct hull_jw *w, const struct hull_finding *f)
{
	static const char *const states[] = {
	    [HULL_VEX_NONE] = NULL,
	    [HULL_VEX_NOT_AFFECTED] = "not_affected",
	    [HULL_VEX_FALSE_POSITIVE] = "false_positive",
	};
	hull_jw_key(w, "suppression");
	if (!f->suppressed) {
		hull_jw_null(w);
		return;
	}
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "reason", f->suppression);
	hull_jw_kstr(w, "kind",
	             f->suppress_kind == HULL_SUPPRESS_IN_SOURCE ? "inSource" : "external");
	hull_jw_kstr(w, "vexState",
	             (size_t)f->vex_state < sizeof(states) / sizeof(states[0])
	                 ? states[f->vex_state]
	                 : NULL);
	hull_jw_kstr(w, "justification", f->vex_justification);
	hull_jw_obj_end(w);
}

static int write_finding(struct hull_jw *w, const struct hull_finding *f, struct hull_err *err)
{
	char fp[65];
	if (hull_finding_fingerprint(f, fp, err) < 0)
		return -1;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "kind", hull_finding_kind_name(f->kind));
	hull_jw_kstr(w, "id", f->id);
	str_array(w, "aliases", f->aliases, f->naliases);
	hull_jw_kstr(w, "severity", hull_severity_name(f->severity));
	hull_jw_kstr(w, "title", f->title);
	hull_jw_kstr(w, "message", f->message);
	hull_jw_kstr(w, "description", f->description);
	hull_jw_kstr(w, "remediation", f->remediation);
	hull_jw_kstr(w, "primaryUrl", f->primary_url);
	str_array(w, "references", f->references, f->nreferences);
	write_location(w, &f->loc);
	write_package(w, f);
	hull_jw_key(w, "suppressed");
	hull_jw_bool(w, f->suppressed);
	write_suppression(w, f);
	hull_jw_kstr(w, "fingerprint", fp);
	if (f->workload) {
		hull_jw_kstr(w, "workload", f->workload);
		if (f->priority) {
			hull_jw_kint(w, "priority", f->priority);
			hull_jw_kstr(w, "priorityReason", f->priority_why);
		}
	}
	hull_jw_obj_end(w);
	return 0;
}

static void str_list(struct hull_jw *w, const char *key, const char *const *v, size_t n)
{
	hull_jw_key(w, key);
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		hull_jw_str(w, v[i] ? v[i] : "");
	hull_jw_arr_end(w);
}

/* hull scan: the workloads and the edges between them. */
static void write_deployment(struct hull_jw *w, const struct hull_deployment *d)
{
	hull_jw_key(w, "deployment");
	hull_jw_obj_begin(w);
	hull_jw_key(w, "workloads");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < d->nworkloads; i++) {
		const struct hull_deploy_workload *x = &d->workloads[i];
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "id", x->id);
		hull_jw_kstr(w, "kind", x->kind);
		hull_jw_kstr(w, "file", x->file);
		opt_uint(w, "line", x->line);
		str_list(w, "images", x->images, x->nimages);
		hull_jw_key(w, "internet");
		hull_jw_bool(w, x->internet);
		hull_jw_kstr(w, "exposure", x->exposure);
		hull_jw_kstr(w, "privilege", x->privilege);
		str_list(w, "exposures", x->exposures, x->nexposures);
		str_list(w, "privileges", x->privileges, x->nprivileges);
		str_list(w, "reachedBy", x->reached_by, x->nreached_by);
		str_list(w, "reaches", x->reaches, x->nreaches);
		if (x->nchanges) {
			hull_jw_key(w, "imageChanges");
			hull_jw_arr_begin(w);
			for (size_t k = 0; k < x->nchanges; k++) {
				const struct hull_image_change *c = &x->changes[k];
				hull_jw_obj_begin(w);
				hull_jw_kstr(w, "image", c->image);
				hull_jw_kstr(w, "instead", c->instead);
				hull_jw_key(w, "baseImage");
				hull_jw_bool(w, c->base);
				hull_jw_key(w, "vulnerabilities");
				hull_jw_int(w, c->had);
				hull_jw_key(w, "removes");
				hull_jw_int(w, c->removes);
				hull_jw_key(w, "adds");
				hull_jw_int(w, c->adds);
				hull_jw_kstr(w, "source", c->source);
				hull_jw_kstr(w, "text", c->text);
				hull_jw_obj_end(w);
			}
			hull_jw_arr_end(w);
		}
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
	hull_jw_key(w, "edges");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < d->nedges; i++) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "source", d->edges[i].src);
		hull_jw_kstr(w, "destination", d->edges[i].dst);
		hull_jw_kstr(w, "ports", d->edges[i].ports);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
}

static void write_summary(struct hull_jw *w, const struct hull_fctx *c)
{
	const struct hull_findings_summary *s = &c->sum;
	hull_jw_key(w, "summary");
	hull_jw_obj_begin(w);
	hull_jw_kint(w, "total", (int64_t)s->total);
	hull_jw_key(w, "bySeverity");
	hull_jw_obj_begin(w);
	for (size_t i = 0; i < HULL_SEV_COUNT; i++)
		hull_jw_kint(w, hull_severity_name(hull_severity_desc[i]),
		             (int64_t)s->by_severity[hull_severity_desc[i]]);
	hull_jw_obj_end(w);
	hull_jw_key(w, "byKind");
	hull_jw_obj_begin(w);
	for (size_t k = 0; k < HULL_FINDING_KIND_COUNT; k++)
		if (s->by_kind[k])
			hull_jw_kint(w, hull_finding_kind_name((enum hull_finding_kind)k),
			             (int64_t)s->by_kind[k]);
	hull_jw_obj_end(w);
	hull_jw_kint(w, "suppressed", (int64_t)s->suppressed);
	hull_jw_kint(w, "packages", (int64_t)s->packages);
	hull_jw_kint(w, "files", (int64_t)s->files);
	hull_jw_obj_end(w);
}

static int write_json(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct hull_jw w;
	struct hull_buf line;
	hull_buf_init(&line, 4096);
	if (hull_findings_summary_line(c, &line, err) < 0) {
		hull_buf_release(&line);
		return -1;
	}
	hull_jw_init(&w, out, err);
	hull_jw_obj_begin(&w);
	hull_jw_kint(&w, "schemaVersion", 1);
	hull_jw_kstr(&w, "documentType", "findings");
	hull_jw_key(&w, "tool");
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "name", "hull");
	hull_jw_kstr(&w, "version", c->tool_version);
	hull_jw_obj_end(&w);
	hull_jw_kstr(&w, "createdAt", c->created);
	write_target(&w, c);
	if (c->in->deploy)
		write_deployment(&w, c->in->deploy);
	hull_jw_key(&w, "findings");
	hull_jw_arr_begin(&w);
	int rc = 0;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = write_finding(&w, c->sorted[i], err);
	hull_jw_arr_end(&w);
	write_summary(&w, c);
	hull_jw_kstr(&w, "summaryText", line.data ? line.data : "");
	const struct hull_diag *d = c->in->diag;
	hull_jw_key(&w, "warnings");
	hull_jw_arr_begin(&w);
	for (size_t i = 0; d && i < d->n; i++)
		hull_jw_str(&w, d->msgs[i] ? d->msgs[i] : "");
	hull_jw_arr_end(&w);
	hull_jw_kint(&w, "warningsDropped", d ? (int64_t)d->dropped : 0);
	hull_jw_obj_end(&w);
	hull_buf_release(&line);
	if (rc < 0)
		return -1;
	return hull_jw_finish(&w);
}

const struct hull_findings_writer hull_writer_json = {
    .format = HULL_FINDINGS_JSON,
    .name = "json",
    .alias = NULL,
    .write = write_json,
};
