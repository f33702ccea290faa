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
 * which no purl of ours can contain, so refs are always unique. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"
#include "report/jsonw.h"
#include "report/license.h"
#include "report/utf8.h"

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
	prop(w, "hull:type", hull_report_type_name(p->type));
	prop(w, "hull:file", p->file);
	if (rp->layer) {
		snprintf(num, sizeof(num), "%d", rp->layer_index);
		prop(w, "hull:layer:index", num);
		prop(w, "hull:layer:digest", rp->layer->digest);
		prop(w, "hull:layer:diff_id", rp->layer->diff_id);
	}
	prop(w, "hull:source:name", p->src_name);
	prop(w, "hull:source:version", p->src_version);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	return 0;
}

static void write_metadata(struct hull_jw *w, const struct hull_report_ctx *c)
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

int hull_report_write_cyclonedx(const struct hull_report_ctx *c, struct hull_buf *out,
                                struct hull_err *err)
{
	char **refs = NULL;
	if (make_refs(c, &refs, err) < 0)
		return -1;
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
	write_metadata(&w, c);
	hull_jw_key(&w, "components");
	hull_jw_arr_begin(&w);
	if (c->os)
		write_os(&w, c->os);
	int rc = 0;
	for (size_t i = 0; i < c->npkgs && rc == 0; i++)
		rc = write_component(&w, &c->pkgs[i], refs[i], err);
	hull_jw_arr_end(&w);
	write_dependencies(&w, c, refs);
	hull_jw_obj_end(&w);
	free_refs(refs, c->npkgs);
	if (rc < 0)
		return -1;
	return hull_jw_finish(&w);
}
