/* findings_sarif: a findings list as SARIF 2.1.0, for code scanning
 * dashboards (GitHub, GitLab, Azure DevOps, Defect Dojo).
 *
 * One run. tool.driver.rules holds one reportingDescriptor per finding id
 * (sorted by id), with the level and security-severity of the highest
 * severity seen for that id; results point at their rule by id and index.
 * Shape as in trivy's image SARIF, with what trivy leaves out:
 *   - regions only where the finding has a line; a finding without one
 *     (a package inside an image) is placed on line 1 of its file, the
 *     "whole file" convention code scanning needs to show it;
 *   - files inside an image or root filesystem are relative to the
 *     uriBaseId "ROOTFS", described in originalUriBaseIds;
 *   - logicalLocations for the object (a Kubernetes resource, a compose
 *     service), the package and the image layer;
 *   - partialFingerprints ("hull/v1", see hull_finding_fingerprint) so a
 *     dashboard keeps one alert across runs and line moves;
 *   - suppressions (external: .hullignore, policy, VEX; inSource: inline
 *     comments) on suppressed findings;
 *   - the scan's warnings as invocations[0].toolExecutionNotifications.
 * Columns are Unicode code points (columnKind unicodeCodePoints). */
#include <stdio.h>
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"                      \
	"sarif-schema-2.1.0.json"
#define URI_BASE "ROOTFS"

static const char *level(enum hull_severity s)
{
	switch (s) {
	case HULL_SEV_CRITICAL:
	case HULL_SEV_HIGH:
		return "error";
	case HULL_SEV_MEDIUM:
		return "warning";
	default:
		return "note";
	}
}

static bool is_os_type(const char *t)
{
	return t && (!strcmp(t, "deb") || !strcmp(t, "apk") || !strcmp(t, "rpm"));
}

static const char *rule_name(const struct hull_finding *f)
{
	switch (f->kind) {
	case HULL_FINDING_VULNERABILITY:
		return is_os_type(f->vuln.pkg_type) ? "OsPackageVulnerability"
		                                    : "LanguagePackageVulnerability";
	case HULL_FINDING_MISCONFIG:
		return "Misconfiguration";
	case HULL_FINDING_HOST:
		return "HostMisconfiguration";
	case HULL_FINDING_NETWORK:
		return "NetworkExposure";
	case HULL_FINDING_SECRET:
		return "Secret";
	}
	return "Finding";
}

/* GitHub reads security-severity as a CVSS-like number and maps it to its
 * own bands (>9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, <4.0 low). The
 * finding's own score is used when it falls in the band of hull's
 * severity (a vendor severity can differ from the CVSS one); otherwise a
 * value in the middle of that band, so the dashboard agrees with hull. */
static bool security_severity(const struct hull_fgroup *g, enum hull_severity sev, char out[8])
{
	static const double mid[HULL_SEV_COUNT] = {
	    [HULL_SEV_LOW] = 2.0,
	    [HULL_SEV_MEDIUM] = 5.5,
	    [HULL_SEV_HIGH] = 8.0,
	    [HULL_SEV_CRITICAL] = 9.5,
	};
	if (sev == HULL_SEV_UNKNOWN || (unsigned)sev >= HULL_SEV_COUNT)
		return false;
	double score = 0;
	for (size_t i = 0; i < g->n; i++) {
		double s = g->items[i]->vuln.cvss_score;
		if (g->items[i]->severity == sev && hull_severity_of_score(s) == sev &&
		    !(sev == HULL_SEV_CRITICAL && s <= 9.0) && s <= 10.0 && s > score)
			score = s;
	}
	snprintf(out, 8, "%.1f", score > 0 ? score : mid[sev]);
	return true;
}

static enum hull_severity group_max(const struct hull_fgroup *g)
{
	enum hull_severity m = HULL_SEV_UNKNOWN;
	for (size_t i = 0; i < g->n; i++)
		if (g->items[i]->severity > m)
			m = g->items[i]->severity;
	return m;
}

static void kind_tag(struct hull_jw *w, const struct hull_finding *f)
{
	hull_jw_str(w, hull_finding_kind_name(f->kind));
}

static int help_text(struct hull_buf *b, const struct hull_finding *f, enum hull_severity sev,
                     struct hull_err *err)
{
	int rc =
	    hull_buf_printf(b, err, "%s %s: %s\nSeverity: %s\n", hull_finding_kind_name(f->kind),
	                    f->id, f->title, hull_severity_name(sev));
	if (rc == 0 && f->description)
		rc = hull_buf_printf(b, err, "\n%s\n", f->description);
	if (rc == 0 && f->remediation)
		rc = hull_buf_printf(b, err, "\nRemediation: %s\n", f->remediation);
	if (rc == 0 && f->primary_url)
		rc = hull_buf_printf(b, err, "\nMore: %s\n", f->primary_url);
	for (size_t i = 0; rc == 0 && f->references && i < f->nreferences; i++)
		if (f->references[i])
			rc = hull_buf_printf(b, err, "- %s\n", f->references[i]);
	return rc;
}

static int help_markdown(struct hull_buf *b, const struct hull_finding *f, enum hull_severity sev,
                         struct hull_err *err)
{
	struct hull_tw t = {.out = b, .err = err};
	hull_tw_puts(&t, "**");
	hull_md_text(&t, hull_finding_kind_name(f->kind), 100, true);
	hull_tw_puts(&t, " ");
	hull_md_text(&t, f->id, 200, true);
	hull_tw_puts(&t, "**: ");
	hull_md_text(&t, f->title, 1000, true);
	hull_tw_printf(&t, "\n\n**Severity**: %s\n", hull_severity_name(sev));
	if (f->description) {
		hull_tw_puts(&t, "\n");
		hull_md_text(&t, f->description, 20000, false);
		hull_tw_puts(&t, "\n");
	}
	if (f->remediation) {
		hull_tw_puts(&t, "\n**Remediation**: ");
		hull_md_text(&t, f->remediation, 5000, false);
		hull_tw_puts(&t, "\n");
	}
	if (hull_report_uri_ok(f->primary_url) && !strpbrk(f->primary_url, "()<> ")) {
		hull_tw_puts(&t, "\n[");
		hull_md_text(&t, f->id, 200, true);
		hull_tw_printf(&t, "](");
		hull_tw_puts(&t, f->primary_url);
		hull_tw_puts(&t, ")\n");
	}
	return t.rc;
}

static int write_rule(struct hull_jw *w, const struct hull_fgroup *g, struct hull_err *err)
{
	const struct hull_finding *f = g->items[0];
	enum hull_severity sev = group_max(g);
	struct hull_buf b;
	char ss[8];
	hull_buf_init(&b, 1u << 22);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "id", f->id);
	hull_jw_kstr(w, "name", rule_name(f));
	hull_jw_key(w, "shortDescription");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "text", f->title);
	hull_jw_obj_end(w);
	hull_jw_key(w, "fullDescription");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "text", f->description && *f->description ? f->description : f->title);
	hull_jw_obj_end(w);
	hull_jw_key(w, "defaultConfiguration");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "level", level(sev));
	hull_jw_obj_end(w);
	if (hull_report_uri_ok(f->primary_url))
		hull_jw_kstr(w, "helpUri", f->primary_url);
	int rc = help_text(&b, f, sev, err);
	hull_jw_key(w, "help");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "text", b.data ? b.data : "");
	hull_buf_reset(&b);
	if (rc == 0)
		rc = help_markdown(&b, f, sev, err);
	hull_jw_kstr(w, "markdown", b.data ? b.data : "");
	hull_jw_obj_end(w);
	hull_buf_release(&b);
	hull_jw_key(w, "properties");
	hull_jw_obj_begin(w);
	if (security_severity(g, sev, ss))
		hull_jw_kstr(w, "security-severity", ss);
	hull_jw_key(w, "tags");
	hull_jw_arr_begin(w);
	kind_tag(w, f);
	hull_jw_str(w, "security");
	hull_jw_str(w, hull_severity_name(sev));
	hull_jw_arr_end(w);
	if (f->naliases) {
		hull_jw_key(w, "aliases");
		hull_jw_arr_begin(w);
		for (size_t i = 0; i < f->naliases; i++)
			if (f->aliases[i])
				hull_jw_str(w, f->aliases[i]);
		hull_jw_arr_end(w);
	}
	hull_jw_obj_end(w);
	hull_jw_obj_end(w);
	return rc;
}

static int result_message(struct hull_buf *b, const struct hull_finding *f, struct hull_err *err)
{
	if (f->kind != HULL_FINDING_VULNERABILITY)
		return hull_buf_append_str(b, f->message && *f->message ? f->message : f->title,
		                           err);
	const struct hull_vuln_info *v = &f->vuln;
	int rc = hull_buf_printf(b, err, "%s %s is affected by %s (%s): %s",
	                         v->pkg_name ? v->pkg_name : "(unnamed package)",
	                         v->pkg_version ? v->pkg_version : "", f->id,
	                         hull_severity_name(f->severity), f->title);
	if (rc == 0 && v->status == HULL_VULN_FIXED && v->fixed_version)
		rc = hull_buf_printf(b, err, ". Fixed in %s.", v->fixed_version);
	else if (rc == 0)
		rc = hull_buf_printf(b, err, ". Status: %s.", hull_vuln_status_name(v->status));
	return rc;
}

static bool inside_target(const struct hull_fctx *c, const struct hull_finding *f)
{
	enum hull_target_kind k = c->in->target.kind;
	return f->loc.file && *f->loc.file && f->kind == HULL_FINDING_VULNERABILITY &&
	       (k == HULL_TARGET_IMAGE || k == HULL_TARGET_ROOTFS);
}

static int write_physical(struct hull_jw *w, const struct hull_fctx *c,
                          const struct hull_finding *f, struct hull_err *err)
{
	const struct hull_location *l = &f->loc;
	bool inside = inside_target(c, f);
	const char *path = l->file && *l->file ? l->file : c->in->target.name;
	if (inside)
		while (*path == '/')
			path++; /* relative to ROOTFS */
	struct hull_buf uri;
	hull_buf_init(&uri, 1u << 20);
	int rc = hull_report_uri_path(&uri, path, err);
	hull_jw_key(w, "physicalLocation");
	hull_jw_obj_begin(w);
	hull_jw_key(w, "artifactLocation");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "uri", uri.data ? uri.data : "");
	if (inside)
		hull_jw_kstr(w, "uriBaseId", URI_BASE);
	hull_jw_obj_end(w);
	hull_buf_release(&uri);
	hull_jw_key(w, "region");
	hull_jw_obj_begin(w);
	hull_jw_kint(w, "startLine", l->line ? l->line : 1);
	if (l->line && l->col)
		hull_jw_kint(w, "startColumn", l->col);
	/* An end before the start would be invalid SARIF: keep only a
	 * consistent end. */
	bool end_ok = l->line && l->end_line >= l->line;
	if (end_ok)
		hull_jw_kint(w, "endLine", l->end_line);
	if (end_ok && l->end_col && l->col && (l->end_line > l->line || l->end_col >= l->col))
		hull_jw_kint(w, "endColumn", l->end_col);
	hull_jw_obj_end(w);
	hull_jw_obj_end(w);
	return rc;
}

static void logical(struct hull_jw *w, const char *name, const char *fqn, const char *kind)
{
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", name);
	hull_jw_kstr_opt(w, "fullyQualifiedName", fqn);
	hull_jw_kstr(w, "kind", kind);
	hull_jw_obj_end(w);
}

static int write_logical(struct hull_jw *w, const struct hull_finding *f, struct hull_err *err)
{
	const struct hull_location *l = &f->loc;
	bool pkg = f->kind == HULL_FINDING_VULNERABILITY && f->vuln.pkg_name && *f->vuln.pkg_name;
	bool obj = l->object && *l->object;
	const char *layer = l->layer_digest ? l->layer_digest : l->layer_diff_id;
	if (!pkg && !obj && !layer)
		return 0;
	hull_jw_key(w, "logicalLocations");
	hull_jw_arr_begin(w);
	if (obj)
		logical(w, l->object, NULL, "resource");
	int rc = 0;
	if (pkg) {
		struct hull_buf b;
		hull_buf_init(&b, 1u << 20);
		rc = hull_buf_printf(&b, err, "%s@%s", f->vuln.pkg_name,
		                     f->vuln.pkg_version ? f->vuln.pkg_version : "");
		logical(w, b.data ? b.data : "", f->vuln.pkg_purl, "package");
		hull_buf_release(&b);
	}
	if (layer)
		logical(w, layer, l->layer_diff_id, "layer");
	hull_jw_arr_end(w);
	return rc;
}

static void write_result_properties(struct hull_jw *w, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	hull_jw_key(w, "properties");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "severity", hull_severity_name(f->severity));
	if (f->kind == HULL_FINDING_VULNERABILITY) {
		hull_jw_kstr_opt(w, "pkgName", v->pkg_name);
		hull_jw_kstr_opt(w, "installedVersion", v->pkg_version);
		hull_jw_kstr_opt(w, "pkgType", v->pkg_type);
		hull_jw_kstr_opt(w, "purl", v->pkg_purl);
		hull_jw_kstr_opt(w, "sourceName", v->src_name);
		hull_jw_kstr_opt(w, "fixedVersion", v->fixed_version);
		hull_jw_kstr(w, "status", hull_vuln_status_name(v->status));
		if (v->cvss_score > 0) {
			hull_jw_key(w, "cvssScore");
			hull_jw_num(w, v->cvss_score);
		}
		hull_jw_kstr_opt(w, "cvssVector", v->cvss_vector);
		hull_jw_kstr_opt(w, "severitySource", v->severity_source);
	}
	if (f->remediation)
		hull_jw_kstr(w, "remediation", f->remediation);
	if (f->workload)
		hull_jw_kstr(w, "workload", f->workload);
	if (f->priority) {
		hull_jw_kint(w, "priority", f->priority);
		hull_jw_kstr_opt(w, "priorityReason", f->priority_why);
	}
	hull_jw_obj_end(w);
}

static int write_result(struct hull_jw *w, const struct hull_fctx *c,
                        const struct hull_fgroups *rules, const struct hull_finding *f,
                        struct hull_err *err)
{
	size_t index = 0;
	char fp[65];
	struct hull_buf msg;
	hull_fgroups_find(rules, f->id, &index);
	if (hull_finding_fingerprint(f, fp, err) < 0)
		return -1;
	hull_buf_init(&msg, 1u << 22);
	int rc = result_message(&msg, f, err);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "ruleId", f->id);
	hull_jw_kint(w, "ruleIndex", (int64_t)index);
	hull_jw_kstr(w, "level", level(f->severity));
	hull_jw_key(w, "message");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "text", msg.data ? msg.data : "");
	hull_jw_obj_end(w);
	hull_buf_release(&msg);
	hull_jw_key(w, "locations");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	if (rc == 0)
		rc = write_physical(w, c, f, err);
	if (rc == 0)
		rc = write_logical(w, f, err);
	hull_jw_obj_end(w);
	hull_jw_arr_end(w);
	hull_jw_key(w, "partialFingerprints");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "hull/v1", fp);
	hull_jw_obj_end(w);
	if (f->suppressed) {
		hull_jw_key(w, "suppressions");
		hull_jw_arr_begin(w);
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "kind",
		             f->suppress_kind == HULL_SUPPRESS_IN_SOURCE ? "inSource" : "external");
		hull_jw_kstr(w, "status", "accepted");
		hull_jw_kstr_opt(w, "justification", f->suppression);
		hull_jw_obj_end(w);
		hull_jw_arr_end(w);
	}
	write_result_properties(w, f);
	hull_jw_obj_end(w);
	return rc;
}

static void write_invocation(struct hull_jw *w, const struct hull_fctx *c)
{
	const struct hull_diag *d = c->in->diag;
	hull_jw_key(w, "invocations");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	hull_jw_key(w, "executionSuccessful");
	hull_jw_bool(w, true);
	hull_jw_kstr(w, "endTimeUtc", c->created);
	if (d && (d->n || d->dropped)) {
		hull_jw_key(w, "toolExecutionNotifications");
		hull_jw_arr_begin(w);
		for (size_t i = 0; i <= d->n; i++) {
			char more[64];
			const char *text = i < d->n ? (d->msgs[i] ? d->msgs[i] : "") : NULL;
			if (i == d->n) {
				if (!d->dropped)
					break;
				snprintf(more, sizeof(more), "%zu more warnings not listed",
				         d->dropped);
				text = more;
			}
			hull_jw_obj_begin(w);
			hull_jw_kstr(w, "level", "warning");
			hull_jw_key(w, "message");
			hull_jw_obj_begin(w);
			hull_jw_kstr(w, "text", text);
			hull_jw_obj_end(w);
			hull_jw_obj_end(w);
		}
		hull_jw_arr_end(w);
	}
	hull_jw_obj_end(w);
	hull_jw_arr_end(w);
}

static void write_run_header(struct hull_jw *w, const struct hull_fctx *c)
{
	const struct hull_scan_target *t = &c->in->target;
	char id[64];
	snprintf(id, sizeof(id), "hull/%s/", hull_target_kind_name(t->kind));
	hull_jw_key(w, "automationDetails");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "id", id);
	hull_jw_obj_end(w);
	if (t->kind == HULL_TARGET_IMAGE || t->kind == HULL_TARGET_ROOTFS) {
		hull_jw_key(w, "originalUriBaseIds");
		hull_jw_obj_begin(w);
		hull_jw_key(w, URI_BASE);
		hull_jw_obj_begin(w);
		hull_jw_key(w, "description");
		hull_jw_obj_begin(w);
		hull_jw_kstr(
		    w, "text",
		    t->kind == HULL_TARGET_IMAGE
		        ? "The root filesystem of the scanned image (run.properties.target)"
		        : "The scanned root filesystem (run.properties.target)");
		hull_jw_obj_end(w);
		hull_jw_obj_end(w);
		hull_jw_obj_end(w);
	}
}

static int write_run_properties(struct hull_jw *w, const struct hull_fctx *c, struct hull_err *err)
{
	const struct hull_scan_target *t = &c->in->target;
	struct hull_buf line;
	hull_buf_init(&line, 4096);
	int rc = hull_findings_summary_line(c, &line, err);
	hull_jw_key(w, "properties");
	hull_jw_obj_begin(w);
	hull_jw_key(w, "target");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", t->name);
	hull_jw_kstr(w, "kind", hull_target_kind_name(t->kind));
	hull_jw_kstr_opt(w, "path", t->path);
	hull_jw_kstr_opt(w, "digest", t->digest);
	hull_jw_kstr_opt(w, "os", c->os);
	hull_jw_obj_end(w);
	hull_jw_kstr(w, "summary", line.data ? line.data : "");
	hull_jw_obj_end(w);
	hull_buf_release(&line);
	return rc;
}

static bool want_all(const struct hull_finding *f, const void *ctx)
{
	(void)f;
	(void)ctx;
	return true;
}

static int write_sarif(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct hull_fgroups rules;
	if (hull_fgroups_build(c, want_all, NULL, hull_finding_id_key, &rules, err) < 0)
		return -1;
	struct hull_jw w;
	hull_jw_init(&w, out, err);
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "$schema", SARIF_SCHEMA);
	hull_jw_kstr(&w, "version", "2.1.0");
	hull_jw_key(&w, "runs");
	hull_jw_arr_begin(&w);
	hull_jw_obj_begin(&w);
	hull_jw_key(&w, "tool");
	hull_jw_obj_begin(&w);
	hull_jw_key(&w, "driver");
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "name", "hull");
	hull_jw_kstr(&w, "fullName", "hull container security scanner");
	hull_jw_kstr(&w, "version", c->tool_version);
	hull_jw_key(&w, "rules");
	hull_jw_arr_begin(&w);
	int rc = 0;
	for (size_t i = 0; i < rules.n && rc == 0; i++)
		rc = write_rule(&w, &rules.g[i], err);
	hull_jw_arr_end(&w);
	hull_jw_obj_end(&w);
	hull_jw_obj_end(&w);
	write_invocation(&w, c);
	write_run_header(&w, c);
	hull_jw_key(&w, "results");
	hull_jw_arr_begin(&w);
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = write_result(&w, c, &rules, c->sorted[i], err);
	hull_jw_arr_end(&w);
	hull_jw_kstr(&w, "columnKind", "unicodeCodePoints");
	if (rc == 0)
		rc = write_run_properties(&w, c, err);
	hull_jw_obj_end(&w);
	hull_jw_arr_end(&w);
	hull_jw_obj_end(&w);
	hull_fgroups_release(&rules);
	if (rc < 0)
		return -1;
	return hull_jw_finish(&w);
}

const struct hull_findings_writer hull_writer_sarif = {
    .format = HULL_FINDINGS_SARIF,
    .name = "sarif",
    .alias = NULL,
    .write = write_sarif,
};
