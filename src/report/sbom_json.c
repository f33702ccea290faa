/* json: hull's own SBOM document (docs/report-json.md).
 *
 * Every member listed in the schema is always present (null when unknown)
 * so consumers can rely on the shape; packages come in the report's stable
 * order. HULL_SBOM_JSON_SCHEMA_VERSION changes only on incompatible
 * changes; adding members is compatible. */
#include <string.h>

#include "report/internal.h"
#include "report/jsonw.h"

#define HULL_SBOM_JSON_SCHEMA_VERSION 1

static void write_target(struct hull_jw *w, const struct hull_report_ctx *c)
{
	const struct hull_image *img = c->img;
	hull_jw_key(w, "target");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", hull_report_target_name(img));
	hull_jw_kstr(w, "path", img->target);
	hull_jw_kstr(w, "reference", img->name);
	hull_jw_kstr(w, "format", hull_image_format_name(img->format));
	hull_jw_key(w, "digests");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "manifest", img->manifest_digest);
	hull_jw_kstr(w, "config", img->config_digest);
	hull_jw_obj_end(w);
	hull_jw_key(w, "platform");
	if (img->config.os || img->config.architecture) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "os", img->config.os);
		hull_jw_kstr(w, "architecture", img->config.architecture);
		hull_jw_kstr(w, "variant", img->config.variant);
		hull_jw_obj_end(w);
	} else {
		hull_jw_null(w);
	}
	hull_jw_obj_end(w);
}

static void write_os(struct hull_jw *w, const struct hull_report_ctx *c)
{
	hull_jw_key(w, "os");
	if (!c->os) {
		hull_jw_null(w);
		return;
	}
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "id", c->os->id);
	hull_jw_kstr(w, "versionId", c->os->version_id);
	hull_jw_kstr(w, "codename", c->os->codename);
	hull_jw_kstr(w, "prettyName", c->os->pretty_name);
	hull_jw_kstr(w, "idLike", c->os->id_like);
	hull_jw_kstr(w, "file", c->os->source_file);
	hull_jw_obj_end(w);
}

static void write_layers(struct hull_jw *w, const struct hull_report_ctx *c)
{
	hull_jw_key(w, "layers");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < c->img->nlayers; i++) {
		const struct hull_layer *l = &c->img->layers[i];
		hull_jw_obj_begin(w);
		hull_jw_kint(w, "index", (int64_t)i);
		hull_jw_kstr(w, "digest", l->digest);
		hull_jw_kstr(w, "diffId", l->diff_id);
		hull_jw_kstr(w, "mediaType", l->media_type);
		hull_jw_kstr(w, "compression", l->compression);
		hull_jw_kint(w, "size", (int64_t)l->size);
		hull_jw_kstr(w, "createdBy", l->created_by);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
}

static void write_pkg(struct hull_jw *w, const struct hull_report_pkg *rp)
{
	const struct hull_pkg *p = rp->pkg;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "type", hull_pkg_type_name(p->type));
	hull_jw_kstr(w, "name", p->name ? p->name : "");
	hull_jw_kstr(w, "version", p->version ? p->version : "");
	hull_jw_kstr(w, "arch", p->arch);
	hull_jw_key(w, "source");
	if (p->src_name || p->src_version) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "name", p->src_name);
		hull_jw_kstr(w, "version", p->src_version);
		hull_jw_obj_end(w);
	} else {
		hull_jw_null(w);
	}
	if (p->type == HULL_PKG_RPM) {
		hull_jw_key(w, "rpm");
		hull_jw_obj_begin(w);
		hull_jw_key(w, "epoch");
		if (p->epoch >= 0)
			hull_jw_int(w, p->epoch);
		else
			hull_jw_null(w);
		hull_jw_kstr(w, "version", p->rpm_version);
		hull_jw_kstr(w, "release", p->release);
		hull_jw_obj_end(w);
	}
	hull_jw_kstr(w, "license", p->license);
	hull_jw_kstr(w, "purl", rp->purl);
	hull_jw_kstr(w, "file", p->file);
	hull_jw_key(w, "layer");
	if (rp->layer) {
		hull_jw_obj_begin(w);
		hull_jw_kint(w, "index", rp->layer_index);
		hull_jw_kstr(w, "digest", rp->layer->digest);
		hull_jw_kstr(w, "diffId", rp->layer->diff_id);
		hull_jw_obj_end(w);
	} else {
		hull_jw_null(w);
	}
	hull_jw_obj_end(w);
}

static void write_summary(struct hull_jw *w, const struct hull_report_ctx *c)
{
	hull_jw_key(w, "summary");
	hull_jw_obj_begin(w);
	hull_jw_kint(w, "packages", (int64_t)c->npkgs);
	hull_jw_key(w, "byType");
	hull_jw_obj_begin(w);
	for (int t = 0; t < HULL_PKG_TYPE_COUNT; t++)
		if (c->count_by_type[t])
			hull_jw_kint(w, hull_pkg_type_name((enum hull_pkg_type)t),
			             (int64_t)c->count_by_type[t]);
	hull_jw_obj_end(w);
	hull_jw_obj_end(w);
}

static void write_warnings(struct hull_jw *w, const struct hull_diag *d)
{
	hull_jw_key(w, "warnings");
	hull_jw_arr_begin(w);
	for (size_t i = 0; d && i < d->n; i++)
		hull_jw_str(w, d->msgs[i] ? d->msgs[i] : "");
	hull_jw_arr_end(w);
	hull_jw_kint(w, "warningsDropped", d ? (int64_t)d->dropped : 0);
}

int hull_report_write_json(const struct hull_report_ctx *c, struct hull_buf *out,
                           struct hull_err *err)
{
	struct hull_jw w;
	hull_jw_init(&w, out, err);
	hull_jw_obj_begin(&w);
	hull_jw_kint(&w, "schemaVersion", HULL_SBOM_JSON_SCHEMA_VERSION);
	hull_jw_key(&w, "tool");
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "name", "hull");
	hull_jw_kstr(&w, "version", c->tool_version);
	hull_jw_obj_end(&w);
	hull_jw_kstr(&w, "createdAt", c->created);
	write_target(&w, c);
	write_os(&w, c);
	write_layers(&w, c);
	hull_jw_key(&w, "packages");
	hull_jw_arr_begin(&w);
	for (size_t i = 0; i < c->npkgs; i++)
		write_pkg(&w, &c->pkgs[i]);
	hull_jw_arr_end(&w);
	write_summary(&w, c);
	write_warnings(&w, c->in->diag);
	hull_jw_obj_end(&w);
	return hull_jw_finish(&w);
}
