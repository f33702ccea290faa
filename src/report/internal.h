/* internal: what the report writers share (not a public API).
 *
 * hull_report_ctx_init resolves, once per document, everything several
 * writers need: the packages in their stable order, each with its purl and
 * its layer, the creation time, and a fresh UUID. The writers only read
 * the context. */
#ifndef HULL_REPORT_INTERNAL_H
#define HULL_REPORT_INTERNAL_H

#include "report/report.h"

struct hull_report_pkg {
	const struct hull_pkg *pkg;
	char *purl;                     /* owned; NULL when none can be made */
	const struct hull_layer *layer; /* NULL for a rootfs or an unknown layer */
	int layer_index;                /* HULL_LAYER_NONE when layer is NULL */
};

struct hull_report_ctx {
	const struct hull_sbom_input *in;
	const struct hull_image *img;
	const struct hull_os *os;     /* NULL when the distribution is unknown */
	struct hull_report_pkg *pkgs; /* stable order */
	size_t npkgs;
	const char *tool_version;
	char created[32]; /* "2024-05-01T12:00:00Z" */
	char uuid[37];    /* random v4, lowercase */
	size_t count_by_type[HULL_PKG_TYPE_COUNT];
};

int hull_report_ctx_init(struct hull_report_ctx *c, const struct hull_sbom_input *in,
                         struct hull_err *err);
void hull_report_ctx_release(struct hull_report_ctx *c);

/* True for packages of the operating system (the type table's `os`). */
bool hull_report_is_os_pkg(enum hull_pkg_type t);

/* The name a document gives the target: the image's reference name when
 * known, else the path it was read from. */
const char *hull_report_target_name(const struct hull_image *img);

/* Gives a new name to a duplicate reference: returns a malloc'ed string
 * built from ref and the element's index (unique per document). */
typedef char *(*hull_report_rename_fn)(const char *ref, size_t index);

/* Makes the malloc'ed strings refs[0..n) pairwise distinct: every string
 * equal to an earlier one is replaced by rename(ref, index). Fails when
 * renaming does not resolve the clash (a rename function whose results can
 * collide) or on allocation failure. */
int hull_report_make_unique(char **refs, size_t n, hull_report_rename_fn rename,
                            struct hull_err *err);

/* Writers, each appending one whole document. */
int hull_report_write_table(const struct hull_report_ctx *c, struct hull_buf *out,
                            struct hull_err *err);
int hull_report_write_json(const struct hull_report_ctx *c, struct hull_buf *out,
                           struct hull_err *err);
int hull_report_write_cyclonedx(const struct hull_report_ctx *c, struct hull_buf *out,
                                struct hull_err *err);
int hull_report_write_spdx(const struct hull_report_ctx *c, struct hull_buf *out,
                           struct hull_err *err);

#endif
