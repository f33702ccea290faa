#include "pkgdb/sbom_in.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/mem.h"
#include "util/purl.h"

#define MAX_COMPONENTS 1000000u

struct reader {
	struct hull_inventory *inv;
	const char *file;
	size_t other_types;
	char other_example[64];
	struct hull_err *err;
};

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The first operating-system entry that says anything names the
 * distribution, unless a package's distro qualifier already did. */
static void take_os(struct hull_os *os, const char *id, const char *version)
{
	if (os->id || os->version_id)
		return;
	os->id = dup_opt(id);
	os->version_id = dup_opt(version);
}

/* Version with a separate epoch qualifier folded in ("1:" + version). */
static char *with_epoch(const char *version, const char *epoch)
{
	char *v = NULL;
	if (!version)
		return strdup("");
	if (epoch && *epoch && strcmp(epoch, "0") && !strchr(version, ':')) {
		if (asprintf(&v, "%s:%s", epoch, version) < 0)
			return NULL;
		return v;
	}
	return strdup(version);
}

static void os_from_distro(struct hull_os *os, const char *distro, const char *id)
{
	if (os->id || os->version_id || !distro)
		return; /* an operating-system entry or an earlier package said it */
	const char *dash = strrchr(distro, '-');
	if (dash) {
		os->id = strndup(distro, (size_t)(dash - distro));
		os->version_id = strdup(dash + 1);
	} else if (id) {
		os->id = strdup(id);
		os->version_id = strdup(distro);
	}
}

static int add_pkg(struct reader *r, const char *purl_s, const char *src_name,
                   const char *src_version)
{
	struct hull_purl p;
	struct hull_err perr = {0};
	if (!purl_s)
		return 0;
	if (hull_purl_parse(purl_s, strlen(purl_s), &p, &perr) < 0) /* not a purl: skipped */
		return perr.kind == HULL_ERR_NOMEM ? hull_err_nomem(r->err) : 0;
	struct hull_pkg pkg = {.epoch = -1, .layer = HULL_LAYER_NONE};
	if (!hull_pkg_type_from_purl(p.type, &pkg.type)) {
		if (!r->other_types++)
			snprintf(r->other_example, sizeof(r->other_example), "%s", p.type);
		hull_purl_release(&p);
		return 0;
	}
	const struct hull_pkg_type_info *ti = hull_pkg_type_info(pkg.type);
	const char *epoch = hull_purl_qualifier(&p, "epoch");
	if (ti->ns_sep && p.ns) {
		if (asprintf(&pkg.name, "%s%c%s", p.ns, ti->ns_sep, p.name) < 0)
			pkg.name = NULL;
	} else {
		pkg.name = strdup(p.name);
	}
	pkg.version = with_epoch(p.version, pkg.type == HULL_PKG_DEB ? epoch : NULL);
	pkg.arch = dup_opt(hull_purl_qualifier(&p, "arch"));
	if (ti->os) {
		os_from_distro(&r->inv->os, hull_purl_qualifier(&p, "distro"), p.ns);
		const char *up = hull_purl_qualifier(&p, "upstream");
		if (up) {
			const char *at = strchr(up, '@');
			pkg.src_name = at ? strndup(up, (size_t)(at - up)) : strdup(up);
			pkg.src_version = at ? strdup(at + 1) : NULL;
		} else if (src_name) {
			pkg.src_name = strdup(src_name);
			pkg.src_version = dup_opt(src_version);
		}
		if (!pkg.src_name)
			pkg.src_name = strdup(p.name);
		if (!pkg.src_version && ti->match_src_version)
			pkg.src_version = strdup(pkg.version ? pkg.version : "");
	}
	if (pkg.type == HULL_PKG_RPM) {
		pkg.epoch = epoch ? atol(epoch) : -1;
		const char *dash = p.version ? strrchr(p.version, '-') : NULL;
		pkg.rpm_version = dash ? strndup(p.version, (size_t)(dash - p.version)) : NULL;
		pkg.release = dash ? strdup(dash + 1) : NULL;
		free(pkg.version);
		pkg.version = with_epoch(p.version, epoch);
	}
	pkg.file = strdup(r->file);
	hull_purl_release(&p);
	if (!pkg.name || !pkg.version || !pkg.file) {
		hull_pkg_release(&pkg);
		return hull_err_nomem(r->err);
	}
	return hull_inventory_add(r->inv, &pkg, r->err);
}

static const char *cdx_property(struct json_object *c, const char *const *names)
{
	struct json_object *props = hull_json_get_arr(c, "properties");
	size_t n = props ? json_object_array_length(props) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(props, i);
		const char *k = hull_json_get_str(p, "name");
		for (const char *const *w = names; k && *w; w++)
			if (!strcmp(k, *w))
				return hull_json_get_str(p, "value");
	}
	return NULL;
}

static int cdx_components(struct reader *r, struct json_object *list, int depth)
{
	static const char *const src_names[] = {"hull:source:name", "aquasecurity:trivy:SrcName",
	                                        NULL};
	static const char *const src_versions[] = {"hull:source:version",
	                                           "aquasecurity:trivy:SrcVersion", NULL};
	size_t n = list ? json_object_array_length(list) : 0;
	if (depth > HULL_MAX_DEPTH)
		return hull_err_set(r->err, HULL_ERR_LIMIT, "%s: components nested too deep",
		                    r->file);
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(list, i);
		const char *type = hull_json_get_str(c, "type");
		if (type && !strcmp(type, "operating-system")) {
			take_os(&r->inv->os, hull_json_get_str(c, "name"),
			        hull_json_get_str(c, "version"));
			continue;
		}
		if (add_pkg(r, hull_json_get_str(c, "purl"), cdx_property(c, src_names),
		            cdx_property(c, src_versions)) < 0 ||
		    cdx_components(r, hull_json_get_arr(c, "components"), depth + 1) < 0)
			return -1;
	}
	return 0;
}

static const char *spdx_purl(struct json_object *pkg)
{
	struct json_object *refs = hull_json_get_arr(pkg, "externalRefs");
	size_t n = refs ? json_object_array_length(refs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *ref = json_object_array_get_idx(refs, i);
		const char *t = hull_json_get_str(ref, "referenceType");
		if (t && !strcmp(t, "purl"))
			return hull_json_get_str(ref, "referenceLocator");
	}
	return NULL;
}

static int spdx_packages(struct reader *r, struct json_object *list)
{
	size_t n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(list, i);
		const char *purpose = hull_json_get_str(p, "primaryPackagePurpose");
		if (purpose && !strcmp(purpose, "OPERATING_SYSTEM")) {
			take_os(&r->inv->os, hull_json_get_str(p, "name"),
			        hull_json_get_str(p, "versionInfo"));
			continue;
		}
		if (add_pkg(r, spdx_purl(p), NULL, NULL) < 0)
			return -1;
	}
	return 0;
}

int hull_inventory_from_sbom(struct hull_str data, const char *name, struct hull_inventory *inv,
                             struct hull_diag *diag, struct hull_err *err)
{
	struct json_object *doc;
	if (hull_json_parse(data.ptr, data.len, name, &doc, err) < 0)
		return -1;
	struct reader r = {.inv = inv, .file = name, .err = err};
	int rc;
	if (hull_json_get_str(doc, "bomFormat")) {
		struct json_object *meta = hull_json_get_obj(doc, "metadata");
		struct json_object *top = hull_json_get_obj(meta, "component");
		rc = cdx_components(&r, hull_json_get_arr(doc, "components"), 0);
		if (rc == 0 && top)
			rc = cdx_components(&r, hull_json_get_arr(top, "components"), 1);
	} else if (hull_json_get_str(doc, "spdxVersion")) {
		rc = spdx_packages(&r, hull_json_get_arr(doc, "packages"));
	} else {
		rc = hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: neither CycloneDX (no bomFormat) nor SPDX (no spdxVersion) JSON", name);
	}
	json_object_put(doc);
	if (rc < 0)
		return -1;
	if (r.other_types)
		hull_diag_warn(diag,
		               "%s: %zu components of other package types (%s, ...) are not "
		               "matched",
		               name, r.other_types, r.other_example);
	if (inv->os.id) {
		inv->os.source_file = strdup(name);
	} else {
		for (size_t i = 0; i < inv->npkgs; i++)
			if (hull_pkg_type_is_os(inv->pkgs[i].type)) {
				hull_diag_warn(diag, "%s: the SBOM names no distribution", name);
				break;
			}
	}
	hull_inventory_sort(inv);
	return 0;
}
