/* cyclonedx: the SBOM as CycloneDX 1.6 JSON.
 *
 * Layout (as trivy and syft do it, so tools that read theirs read ours):
 *   metadata.component   the image (type container, version = manifest
 *                        digest) or the root filesystem (type file)
 *   components           one operating-system component for the
 *                        distribution, then one library per package with
 *                        its purl, licences and hull:* properties
 *   dependencies         target -> distribution and language packages,
 *                        distribution -> its packages
 * Package bom-refs are their purls; a purl shared by two packages (the
 * same npm package in two node_modules trees) gets "package-id=<n>" added,
 * which no purl of ours can contain, so refs are always unique.
 *
 * With findings (hull_report_write_cyclonedx_vulns), the same document
 * carries a `vulnerabilities` array (one entry per id and analysis, with
 * ratings, advisories, VEX analysis for suppressed findings) whose
 * `affects` point at the package components; a package known only from
 * the findings (no inventory given) gets a component of its own, ref
 * "hull:vulnpkg:<n>". The scan's warnings go in metadata properties
 * "hull:warning". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/findings_internal.h"
#include "report/internal.h"
#include "report/jsonw.h"
#include "report/license.h"
#include "util/utf8.h"

#define SPEC_VERSION    "1.6"
#define REF_TARGET      "hull:target"
#define REF_OS          "hull:os"
#define CDX_VERSION_MAX 1024 /* the schema's maxLength for versions */

static char *rename_ref(const char *ref, size_t index)
{
	char *r = NULL;
	if (asprintf(&r, "%s%cpackage-id=%zu", ref, strchr(ref, '?') ? '&' : '?', index) < 0)
		return NULL;
	return r;
}

static int make_refs(const struct hull_report_ctx *c, char ***out, struct hull_err *err)
{
	char **refs = calloc(c->npkgs ? c->npkgs : 1, sizeof(*refs));
	if (!refs)
		return hull_err_nomem(err);
	for (size_t i = 0; i < c->npkgs; i++) {
		int rc = c->pkgs[i].purl ? ((refs[i] = strdup(c->pkgs[i].purl)) ? 0 : -1)
		                         : asprintf(&refs[i], "hull:pkg:%zu", i);
		if (rc < 0 || !refs[i]) {
			refs[i] = NULL;
			for (size_t k = 0; k < i; k++)
				free(refs[k]);
			free(refs);
			return hull_err_nomem(err);
		}
	}
	if (hull_report_make_unique(refs, c->npkgs, rename_ref, err) < 0) {
		for (size_t k = 0; k < c->npkgs; k++)
			free(refs[k]);
		free(refs);
		return -1;
	}
	*out = refs;
	return 0;
}

static void free_refs(char **refs, size_t n)
{
	for (size_t i = 0; refs && i < n; i++)
		free(refs[i]);
	free(refs);
}

/* Byte length of the first CDX_VERSION_MAX characters of s. */
static size_t version_len(const char *s)
{
	size_t len = strlen(s), i = 0, chars = 0;
	while (i < len && chars < CDX_VERSION_MAX) {
		uint32_t cp;
		bool valid;
		i += hull_utf8_next(s + i, len - i, &cp, &valid);
		chars++;
	}
	return i;
}

static void prop(struct hull_jw *w, const char *name, const char *value)
{
	if (!value)
		return;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", name);
	hull_jw_kstr(w, "value", value);
	hull_jw_obj_end(w);
}

/* The ecosystem's own facts ("key\tvalue" lines) as hull:key properties. */
static void write_pkg_props(struct hull_jw *w, const char *props)
{
	for (const char *l = props; l && *l;) {
		const char *nl = strchr(l, '\n'), *tab = strchr(l, '\t');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (tab && tab < l + n) {
			char name[160];
			snprintf(name, sizeof(name), "hull:%.*s", (int)(tab - l), l);
			hull_jw_obj_begin(w);
			hull_jw_kstr(w, "name", name);
			hull_jw_key(w, "value");
			hull_jw_strn(w, tab + 1, (size_t)(l + n - tab - 1));
			hull_jw_obj_end(w);
		}
		l += n + (nl ? 1 : 0);
	}
}

static int write_licenses(struct hull_jw *w, const char *license, struct hull_err *err)
{
	char *canon = NULL;
	int kind = hull_license_classify(license, &canon, err);
	if (kind < 0)
		return -1;
	if (kind == HULL_LICENSE_NONE)
		return 0;
	hull_jw_key(w, "licenses");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	if (kind == HULL_LICENSE_EXPRESSION) {
		hull_jw_kstr(w, "expression", canon);
	} else {
		hull_jw_key(w, "license");
		hull_jw_obj_begin(w);
		if (kind == HULL_LICENSE_ID)
			hull_jw_kstr(w, "id", canon);
		else
			hull_jw_kstr(w, "name", license);
		hull_jw_obj_end(w);
	}
	hull_jw_obj_end(w);
	hull_jw_arr_end(w);
	free(canon);
	return 0;
}

static int write_component(struct hull_jw *w, const struct hull_report_pkg *rp, const char *ref,
                           struct hull_err *err)
{
	const struct hull_pkg *p = rp->pkg;
	char num[24];
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "bom-ref", ref);
	hull_jw_kstr(w, "type", "library");
	hull_jw_kstr(w, "name", p->name ? p->name : "");
	if (p->version && *p->version) {
		hull_jw_key(w, "version");
		hull_jw_strn(w, p->version, version_len(p->version));
	}
	if (write_licenses(w, p->license, err) < 0)
		return -1;
	hull_jw_kstr_opt(w, "purl", rp->purl);
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	prop(w, "hull:type", hull_pkg_type_name(p->type));
	prop(w, "hull:file", p->file);
	if (rp->layer) {
		snprintf(num, sizeof(num), "%d", rp->layer_index);
		prop(w, "hull:layer:index", num);
		prop(w, "hull:layer:digest", rp->layer->digest);
		prop(w, "hull:layer:diff_id", rp->layer->diff_id);
	}
	prop(w, "hull:source:name", p->src_name);
	prop(w, "hull:source:version", p->src_version);
	write_pkg_props(w, p->props);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	return 0;
}

/* A target known only by name (findings without the scanned image). */
static void write_named_target(struct hull_jw *w, const struct hull_fctx *fc)
{
	const struct hull_scan_target *t = &fc->in->target;
	hull_jw_key(w, "component");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "bom-ref", REF_TARGET);
	hull_jw_kstr(w, "type",
	             t->kind == HULL_TARGET_IMAGE    ? "container"
	             : t->kind == HULL_TARGET_ROOTFS ? "file"
	                                             : "application");
	hull_jw_kstr(w, "name", t->name);
	hull_jw_kstr_opt(w, "version", t->digest);
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	prop(w, "hull:target:kind", hull_target_kind_name(t->kind));
	prop(w, "hull:target:path", t->path);
	prop(w, "hull:os", fc->os);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
}

static void write_warnings(struct hull_jw *w, const struct hull_diag *d)
{
	if (!d || (!d->n && !d->dropped))
		return;
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < d->n; i++)
		prop(w, "hull:warning", d->msgs[i] ? d->msgs[i] : "");
	if (d->dropped) {
		char more[64];
		snprintf(more, sizeof(more), "%zu more warnings not listed", d->dropped);
		prop(w, "hull:warning", more);
	}
	hull_jw_arr_end(w);
}

static void write_metadata(struct hull_jw *w, const struct hull_report_ctx *c,
                           const struct hull_fctx *fc)
{
	const struct hull_image *img = c->img;
	hull_jw_key(w, "metadata");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "timestamp", c->created);
	hull_jw_key(w, "tools");
	hull_jw_obj_begin(w);
	hull_jw_key(w, "components");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "type", "application");
	hull_jw_kstr(w, "name", "hull");
	hull_jw_kstr(w, "version", c->tool_version);
	hull_jw_obj_end(w);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);

	if (fc && !fc->in->target.image) {
		write_named_target(w, fc);
		write_warnings(w, fc->in->diag);
		hull_jw_obj_end(w);
		return;
	}
	hull_jw_key(w, "component");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "bom-ref", REF_TARGET);
	hull_jw_kstr(w, "type", img->format == HULL_IMAGE_ROOTFS ? "file" : "container");
	hull_jw_kstr(w, "name", hull_report_target_name(img));
	hull_jw_kstr_opt(w, "version", img->manifest_digest);
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	prop(w, "hull:image:format", hull_image_format_name(img->format));
	prop(w, "hull:image:path", img->target);
	prop(w, "hull:image:config_digest", img->config_digest);
	prop(w, "hull:image:os", img->config.os);
	prop(w, "hull:image:architecture", img->config.architecture);
	for (size_t i = 0; i < img->nlayers; i++)
		prop(w, "hull:image:layer:diff_id", img->layers[i].diff_id);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	if (fc)
		write_warnings(w, fc->in->diag);
	hull_jw_obj_end(w);
}

static void write_os(struct hull_jw *w, const struct hull_os *os)
{
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "bom-ref", REF_OS);
	hull_jw_kstr(w, "type", "operating-system");
	hull_jw_kstr(w, "name", os->id);
	if (os->version_id && *os->version_id) {
		hull_jw_key(w, "version");
		hull_jw_strn(w, os->version_id, version_len(os->version_id));
	}
	hull_jw_kstr_opt(w, "description", os->pretty_name);
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	prop(w, "hull:os:codename", os->codename);
	prop(w, "hull:os:id_like", os->id_like);
	prop(w, "hull:file", os->source_file);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
}

/* dependsOn lists: the target holds the distribution (or, without one,
 * the OS packages) and the language packages; the distribution holds its
 * packages. */
static void write_dependencies(struct hull_jw *w, const struct hull_report_ctx *c, char **refs)
{
	hull_jw_key(w, "dependencies");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "ref", REF_TARGET);
	hull_jw_key(w, "dependsOn");
	hull_jw_arr_begin(w);
	if (c->os)
		hull_jw_str(w, REF_OS);
	for (size_t i = 0; i < c->npkgs; i++)
		if (!c->os || !hull_report_is_os_pkg(c->pkgs[i].pkg->type))
			hull_jw_str(w, refs[i]);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	if (c->os) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "ref", REF_OS);
		hull_jw_key(w, "dependsOn");
		hull_jw_arr_begin(w);
		for (size_t i = 0; i < c->npkgs; i++)
			if (hull_report_is_os_pkg(c->pkgs[i].pkg->type))
				hull_jw_str(w, refs[i]);
		hull_jw_arr_end(w);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
}

/* ---- Vulnerabilities ---------------------------------------------------- */

struct cdx_vulns {
	const struct hull_report_ctx *c;
	const struct hull_fctx *fc;
	struct hull_fgroups pkgs;  /* vulnerability findings by package */
	const char **pkg_refs;     /* per pkgs group: its component's bom-ref */
	char **extra_refs;         /* per pkgs group: owned ref of an own component, or NULL */
	struct hull_fgroups vulns; /* by id and analysis: one entry each */
};

static bool want_vuln(const struct hull_finding *f, const void *ctx)
{
	(void)ctx;
	return f->kind == HULL_FINDING_VULNERABILITY;
}

/* One vulnerabilities[] entry per id and suppression: the analysis
 * belongs to the entry, so findings of one id suppressed differently are
 * separate entries. */
static int vuln_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err)
{
	hull_buf_reset(out);
	return hull_buf_printf(out, err, "%s%c%d%c%d%c%s%c%s", f->id, 0x1f, f->suppressed, 0x1f,
	                       f->suppressed ? (int)f->vex_state : 0, 0x1f,
	                       f->suppressed && f->vex_justification ? f->vex_justification : "",
	                       0x1f, f->suppressed && f->suppression ? f->suppression : "");
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The inventory package a finding is about: same purl (and file when
 * both have one), else same type, name and version. -1 when none. */
static long find_pkg(const struct hull_report_ctx *c, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	long best = -1;
	for (size_t i = 0; i < c->npkgs; i++) {
		const struct hull_report_pkg *rp = &c->pkgs[i];
		bool match = v->pkg_purl && *v->pkg_purl
		                 ? same(rp->purl, v->pkg_purl)
		                 : same(hull_pkg_type_name(rp->pkg->type), v->pkg_type) &&
		                       same(rp->pkg->name, v->pkg_name) &&
		                       same(rp->pkg->version, v->pkg_version);
		if (!match)
			continue;
		if (!f->loc.file || same(rp->pkg->file, f->loc.file))
			return (long)i;
		if (best < 0)
			best = (long)i;
	}
	return best;
}

static void cdx_vulns_release(struct cdx_vulns *v)
{
	for (size_t i = 0; v->extra_refs && i < v->pkgs.n; i++)
		free(v->extra_refs[i]);
	free(v->extra_refs);
	free(v->pkg_refs);
	hull_fgroups_release(&v->pkgs);
	hull_fgroups_release(&v->vulns);
}

static int cdx_vulns_init(struct cdx_vulns *v, const struct hull_report_ctx *c,
                          const struct hull_fctx *fc, char **refs, struct hull_err *err)
{
	memset(v, 0, sizeof(*v));
	v->c = c;
	v->fc = fc;
	if (hull_fgroups_build(fc, want_vuln, NULL, hull_finding_pkg_key, &v->pkgs, err) < 0 ||
	    hull_fgroups_build(fc, want_vuln, NULL, vuln_key, &v->vulns, err) < 0)
		goto fail;
	size_t n = v->pkgs.n ? v->pkgs.n : 1;
	v->pkg_refs = calloc(n, sizeof(*v->pkg_refs));
	v->extra_refs = calloc(n, sizeof(*v->extra_refs));
	if (!v->pkg_refs || !v->extra_refs) {
		hull_err_nomem(err);
		goto fail;
	}
	for (size_t g = 0; g < v->pkgs.n; g++) {
		long i = find_pkg(c, v->pkgs.g[g].items[0]);
		if (i >= 0) {
			v->pkg_refs[g] = refs[i];
			continue;
		}
		/* "hull:" refs never clash with purls ("pkg:...") nor with the
		 * "hull:pkg:<n>" refs of nameless packages. */
		if (asprintf(&v->extra_refs[g], "hull:vulnpkg:%zu", g) < 0) {
			v->extra_refs[g] = NULL;
			hull_err_nomem(err);
			goto fail;
		}
		v->pkg_refs[g] = v->extra_refs[g];
	}
	return 0;
fail:
	cdx_vulns_release(v);
	return -1;
}

static void cdx_vulns_components(struct hull_jw *w, const struct cdx_vulns *v)
{
	for (size_t g = 0; g < v->pkgs.n; g++) {
		if (!v->extra_refs[g])
			continue;
		const struct hull_finding *f = v->pkgs.g[g].items[0];
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "bom-ref", v->extra_refs[g]);
		hull_jw_kstr(w, "type", "library");
		hull_jw_kstr(w, "name", f->vuln.pkg_name ? f->vuln.pkg_name : "");
		if (f->vuln.pkg_version && *f->vuln.pkg_version) {
			hull_jw_key(w, "version");
			hull_jw_strn(w, f->vuln.pkg_version, version_len(f->vuln.pkg_version));
		}
		hull_jw_kstr_opt(w, "purl", f->vuln.pkg_purl);
		hull_jw_key(w, "properties");
		hull_jw_arr_begin(w);
		prop(w, "hull:type", f->vuln.pkg_type);
		prop(w, "hull:file", f->loc.file);
		prop(w, "hull:layer:digest", f->loc.layer_digest);
		prop(w, "hull:layer:diff_id", f->loc.layer_diff_id);
		prop(w, "hull:source:name", f->vuln.src_name);
		hull_jw_arr_end(w);
		hull_jw_obj_end(w);
	}
}

static bool id_urlsafe(const char *id)
{
	if (!*id)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == ':'))
			return false;
	return true;
}

/* Who publishes an id, from its prefix; url NULL when unknown. */
static const char *id_source(const char *id, const char **url_prefix)
{
	static const struct {
		const char *prefix, *name, *url;
	} known[] = {
	    {"CVE-", "NVD", "https://nvd.nist.gov/vuln/detail/"},
	    {"GHSA-", "GitHub", "https://github.com/advisories/"},
	    {"DSA-", "Debian", "https://security-tracker.debian.org/tracker/"},
	    {"DLA-", "Debian", "https://security-tracker.debian.org/tracker/"},
	    {"PYSEC-", "OSV", "https://osv.dev/vulnerability/"},
	    {"OSV-", "OSV", "https://osv.dev/vulnerability/"},
	    {"GO-", "OSV", "https://osv.dev/vulnerability/"},
	    {"RUSTSEC-", "OSV", "https://osv.dev/vulnerability/"},
	    {"ALSA-", "AlmaLinux", NULL},
	    {"RHSA-", "Red Hat", "https://access.redhat.com/errata/"},
	};
	*url_prefix = NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!strncmp(id, known[i].prefix, strlen(known[i].prefix))) {
			*url_prefix = id_urlsafe(id) ? known[i].url : NULL;
			return known[i].name;
		}
	}
	return NULL;
}

static void write_source(struct hull_jw *w, const char *key, const char *id, const char *fallback)
{
	const char *url;
	const char *name = id_source(id, &url);
	hull_jw_key(w, key);
	hull_jw_obj_begin(w);
	hull_jw_kstr_opt(w, "name", name ? name : fallback);
	if (url) {
		char *u = NULL;
		if (asprintf(&u, "%s%s", url, id) >= 0) {
			hull_jw_kstr(w, "url", u);
			free(u);
		}
	}
	hull_jw_obj_end(w);
}

static const char *cdx_severity(enum hull_severity s)
{
	switch (s) {
	case HULL_SEV_CRITICAL:
		return "critical";
	case HULL_SEV_HIGH:
		return "high";
	case HULL_SEV_MEDIUM:
		return "medium";
	case HULL_SEV_LOW:
		return "low";
	default:
		return "unknown";
	}
}

static const char *cvss_method(const char *vector)
{
	if (!vector)
		return NULL;
	if (!strncmp(vector, "CVSS:3.1/", 9))
		return "CVSSv31";
	if (!strncmp(vector, "CVSS:3.0/", 9))
		return "CVSSv3";
	if (!strncmp(vector, "CVSS:4.0/", 9))
		return "CVSSv4";
	if (!strncmp(vector, "AV:", 3))
		return "CVSSv2";
	return "other";
}

static bool is_cvss_source(const char *s)
{
	return !s || !strcmp(s, "cvss") || !strcmp(s, "nvd");
}

/* hull's severity with its source; and the CVSS rating when the severity
 * came from a vendor (their scales differ, so they are not merged). */
static void write_ratings(struct hull_jw *w, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	bool cvss = v->cvss_score > 0 || v->cvss_vector;
	hull_jw_key(w, "ratings");
	hull_jw_arr_begin(w);
	hull_jw_obj_begin(w);
	if (v->severity_source) {
		hull_jw_key(w, "source");
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "name", v->severity_source);
		hull_jw_obj_end(w);
	}
	bool merged = cvss && is_cvss_source(v->severity_source);
	if (merged && v->cvss_score > 0) {
		hull_jw_key(w, "score");
		hull_jw_num(w, v->cvss_score);
	}
	hull_jw_kstr(w, "severity", cdx_severity(f->severity));
	hull_jw_kstr_opt(w, "method", merged ? cvss_method(v->cvss_vector) : "other");
	if (merged)
		hull_jw_kstr_opt(w, "vector", v->cvss_vector);
	hull_jw_obj_end(w);
	if (cvss && !merged) {
		hull_jw_obj_begin(w);
		if (v->cvss_score > 0) {
			hull_jw_key(w, "score");
			hull_jw_num(w, v->cvss_score);
			hull_jw_kstr(w, "severity",
			             cdx_severity(hull_severity_of_score(v->cvss_score)));
		}
		hull_jw_kstr_opt(w, "method", cvss_method(v->cvss_vector));
		hull_jw_kstr_opt(w, "vector", v->cvss_vector);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
}

/* CycloneDX justification for a CycloneDX or OpenVEX one; NULL when it
 * is neither. */
static const char *cdx_justification(const char *j)
{
	static const char *const cdx[] = {
	    "code_not_present",     "code_not_reachable",     "requires_configuration",
	    "requires_dependency",  "requires_environment",   "protected_by_compiler",
	    "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control",
	};
	static const struct {
		const char *openvex, *cdx;
	} map[] = {
	    {"component_not_present", "code_not_present"},
	    {"vulnerable_code_not_present", "code_not_present"},
	    {"vulnerable_code_not_in_execute_path", "code_not_reachable"},
	    {"vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"},
	    {"inline_mitigations_already_exist", "protected_by_mitigating_control"},
	};
	if (!j)
		return NULL;
	for (size_t i = 0; i < sizeof(cdx) / sizeof(cdx[0]); i++)
		if (!strcmp(j, cdx[i]))
			return cdx[i];
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(j, map[i].openvex))
			return map[i].cdx;
	return NULL;
}

static void write_analysis(struct hull_jw *w, const struct hull_finding *f)
{
	if (!f->suppressed)
		return;
	const char *just = cdx_justification(f->vex_justification);
	hull_jw_key(w, "analysis");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "state",
	             f->vex_state == HULL_VEX_FALSE_POSITIVE ? "false_positive" : "not_affected");
	hull_jw_kstr_opt(w, "justification", just);
	struct hull_buf b;
	hull_buf_init(&b, 1u << 20);
	/* A justification CycloneDX has no word for is kept in the detail. */
	if (f->vex_justification && !just)
		hull_buf_printf(&b, NULL, "%s%s", f->vex_justification, f->suppression ? ": " : "");
	if (f->suppression)
		hull_buf_append_str(&b, f->suppression, NULL);
	if (b.len)
		hull_jw_kstr(w, "detail", b.data);
	hull_buf_release(&b);
	hull_jw_obj_end(w);
}

static void write_advisories(struct hull_jw *w, const struct hull_finding *f)
{
	bool any = hull_report_uri_ok(f->primary_url);
	for (size_t i = 0; !any && f->references && i < f->nreferences; i++)
		any = hull_report_uri_ok(f->references[i]);
	if (!any)
		return;
	hull_jw_key(w, "advisories");
	hull_jw_arr_begin(w);
	if (hull_report_uri_ok(f->primary_url)) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "url", f->primary_url);
		hull_jw_obj_end(w);
	}
	for (size_t i = 0; f->references && i < f->nreferences; i++) {
		if (!hull_report_uri_ok(f->references[i]) || same(f->references[i], f->primary_url))
			continue;
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "url", f->references[i]);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
}

static void affected_version(struct hull_jw *w, const char *version, const char *status)
{
	hull_jw_obj_begin(w);
	hull_jw_key(w, "version");
	hull_jw_strn(w, version, version_len(version));
	hull_jw_kstr(w, "status", status);
	hull_jw_obj_end(w);
}

static int write_affects(struct hull_jw *w, const struct cdx_vulns *v, const struct hull_fgroup *g,
                         struct hull_err *err)
{
	struct hull_buf key;
	int rc = 0;
	hull_buf_init(&key, 1u << 24);
	hull_jw_key(w, "affects");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		const struct hull_finding *f = g->items[i];
		size_t pi;
		if ((rc = hull_finding_pkg_key(f, &key, err)) < 0 ||
		    !hull_fgroups_find(&v->pkgs, key.data, &pi))
			continue;
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++) {
			size_t pk;
			if (hull_finding_pkg_key(g->items[k], &key, err) == 0 &&
			    hull_fgroups_find(&v->pkgs, key.data, &pk) && pk == pi)
				dup = true;
		}
		if (dup)
			continue;
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "ref", v->pkg_refs[pi]);
		hull_jw_key(w, "versions");
		hull_jw_arr_begin(w);
		if (f->vuln.pkg_version && *f->vuln.pkg_version)
			affected_version(w, f->vuln.pkg_version,
			                 f->suppressed ? "unaffected" : "affected");
		if (f->vuln.fixed_version && *f->vuln.fixed_version)
			affected_version(w, f->vuln.fixed_version, "unaffected");
		hull_jw_arr_end(w);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
	hull_buf_release(&key);
	return rc;
}

static int write_vuln(struct hull_jw *w, const struct cdx_vulns *v, const struct hull_fgroup *g,
                      struct hull_err *err)
{
	const struct hull_finding *f = g->items[0];
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "id", f->id);
	write_source(w, "source", f->id, f->vuln.severity_source);
	if (f->naliases) {
		hull_jw_key(w, "references");
		hull_jw_arr_begin(w);
		for (size_t i = 0; i < f->naliases; i++) {
			if (!f->aliases[i] || !*f->aliases[i])
				continue;
			hull_jw_obj_begin(w);
			hull_jw_kstr(w, "id", f->aliases[i]);
			write_source(w, "source", f->aliases[i], NULL);
			hull_jw_obj_end(w);
		}
		hull_jw_arr_end(w);
	}
	write_ratings(w, f);
	hull_jw_kstr(w, "description", f->title);
	hull_jw_kstr_opt(w, "detail", f->description);
	if (f->remediation) {
		hull_jw_kstr(w, "recommendation", f->remediation);
	} else if (f->vuln.fixed_version && *f->vuln.fixed_version) {
		struct hull_buf b;
		hull_buf_init(&b, 1u << 20);
		hull_buf_printf(&b, NULL, "Upgrade %s to %s",
		                f->vuln.pkg_name ? f->vuln.pkg_name : "the package",
		                f->vuln.fixed_version);
		hull_jw_kstr(w, "recommendation", b.data ? b.data : "");
		hull_buf_release(&b);
	}
	write_advisories(w, f);
	write_analysis(w, f);
	int rc = write_affects(w, v, g, err);
	hull_jw_key(w, "properties");
	hull_jw_arr_begin(w);
	prop(w, "hull:status", hull_vuln_status_name(f->vuln.status));
	prop(w, "hull:severity", hull_severity_name(f->severity));
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	return rc;
}

static int cdx_vulns_write(struct hull_jw *w, const struct cdx_vulns *v, struct hull_err *err)
{
	int rc = 0;
	hull_jw_key(w, "vulnerabilities");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < v->vulns.n && rc == 0; i++)
		rc = write_vuln(w, v, &v->vulns.g[i], err);
	hull_jw_arr_end(w);
	return rc;
}

/* The SBOM; with fc, plus the components of packages known only from
 * findings and the vulnerabilities. */
static int write_bom(const struct hull_report_ctx *c, const struct hull_fctx *fc,
                     struct hull_buf *out, struct hull_err *err)
{
	char **refs = NULL;
	struct cdx_vulns v = {0};
	if (make_refs(c, &refs, err) < 0)
		return -1;
	if (fc && cdx_vulns_init(&v, c, fc, refs, err) < 0) {
		free_refs(refs, c->npkgs);
		return -1;
	}
	char serial[48];
	snprintf(serial, sizeof(serial), "urn:uuid:%s", c->uuid);

	struct hull_jw w;
	hull_jw_init(&w, out, err);
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "$schema", "http://cyclonedx.org/schema/bom-" SPEC_VERSION ".schema.json");
	hull_jw_kstr(&w, "bomFormat", "CycloneDX");
	hull_jw_kstr(&w, "specVersion", SPEC_VERSION);
	hull_jw_kstr(&w, "serialNumber", serial);
	hull_jw_kint(&w, "version", 1);
	write_metadata(&w, c, fc);
	hull_jw_key(&w, "components");
	hull_jw_arr_begin(&w);
	if (c->os)
		write_os(&w, c->os);
	int rc = 0;
	for (size_t i = 0; i < c->npkgs && rc == 0; i++)
		rc = write_component(&w, &c->pkgs[i], refs[i], err);
	if (fc && rc == 0)
		cdx_vulns_components(&w, &v);
	hull_jw_arr_end(&w);
	write_dependencies(&w, c, refs);
	if (fc && rc == 0)
		rc = cdx_vulns_write(&w, &v, err);
	hull_jw_obj_end(&w);
	if (fc)
		cdx_vulns_release(&v);
	free_refs(refs, c->npkgs);
	if (rc < 0)
		return -1;
	return hull_jw_finish(&w);
}

int hull_report_write_cyclonedx(const struct hull_report_ctx *c, struct hull_buf *out,
                                struct hull_err *err)
{
	return write_bom(c, NULL, out, err);
}

int hull_report_write_cyclonedx_vulns(const struct hull_report_ctx *sc, const struct hull_fctx *c,
                                      struct hull_buf *out, struct hull_err *err)
{
	return write_bom(sc, c, out, err);
}
