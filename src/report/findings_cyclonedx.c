/* findings_cyclonedx: the cyclonedx row of the findings writers: the
 * target's SBOM (cyclonedx.c) with the findings as its vulnerabilities. */
#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings_internal.h"
#include "report/writer.h"

static int write_cyclonedx(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	const struct hull_scan_target *t = &c->in->target;
	if (t->kind == HULL_TARGET_CONFIG || t->kind == HULL_TARGET_HOST ||
	    t->kind == HULL_TARGET_DEPLOYMENT)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "cyclonedx lists packages and their vulnerabilities: not "
		                    "available for a %s scan",
		                    hull_target_kind_name(t->kind));
	struct hull_image img;
	struct hull_inventory inv;
	struct hull_sbom_input sin;
	hull_fctx_sbom_input(c, &img, &inv, &sin);
	struct hull_report_ctx sc;
	if (hull_report_ctx_init(&sc, &sin, err) < 0)
		return -1;
	int rc = hull_report_write_cyclonedx_vulns(&sc, c, out, err);
	hull_report_ctx_release(&sc);
	return rc;
}

const struct hull_findings_writer hull_writer_cyclonedx = {
    .format = HULL_FINDINGS_CYCLONEDX,
    .name = "cyclonedx",
    .alias = "cdx",
    .write = write_cyclonedx,
};
