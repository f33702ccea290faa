#include "report/report.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"
#include "pkgdb/purl.h"
#include "util/mem.h"

static const char *const format_names[] = {
    [HULL_SBOM_TABLE] = "table",
    [HULL_SBOM_JSON] = "json",
    [HULL_SBOM_CYCLONEDX] = "cyclonedx",
    [HULL_SBOM_SPDX] = "spdx",
};

const char *hull_sbom_format_name(enum hull_sbom_format f)
{
	return (size_t)f < sizeof(format_names) / sizeof(format_names[0]) ? format_names[f] : "?";
}

int hull_sbom_format_parse(const char *name, enum hull_sbom_format *out, struct hull_err *err)
{
	static const struct {
		const char *name;
		enum hull_sbom_format f;
	} names[] = {
	    {"table", HULL_SBOM_TABLE},         {"json", HULL_SBOM_JSON},
	    {"cyclonedx", HULL_SBOM_CYCLONEDX}, {"cdx", HULL_SBOM_CYCLONEDX},
	    {"spdx", HULL_SBOM_SPDX},           {"spdx-json", HULL_SBOM_SPDX},
	};
	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i].name)) {
			*out = names[i].f;
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_USAGE,
	                    "unknown format '%s' (choose table, json, cyclonedx or spdx)",
	                    name ? name : "");
}

bool hull_report_is_os_pkg(enum hull_pkg_type t)
{
	return hull_pkg_type_is_os(t);
}

const char *hull_report_target_name(const struct hull_image *img)
{
	if (img->name && *img->name)
		return img->name;
	return img->target && *img->target ? img->target : "unknown";
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pkg(const void *pa, const void *pb)
{
	const struct hull_report_pkg *x = pa, *y = pb;
	const struct hull_pkg *a = x->pkg, *b = y->pkg;
	int r;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((r = cmp_str(a->name, b->name)) || (r = cmp_str(a->version, b->version)) ||
	    (r = cmp_str(a->arch, b->arch)) || (r = cmp_str(a->file, b->file)))
		return r;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	/* Fully equal records keep the inventory's order (qsort is not
	 * stable): compare their addresses, which follow that order. */
	return a < b ? -1 : a > b;
}

static int make_uuid(char out[37], struct hull_err *err)
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return hull_err_set(err, HULL_ERR_IO, "cannot get random bytes for a UUID");
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
	return 0;
}

static int resolve_pkg(struct hull_report_ctx *c, struct hull_report_pkg *rp, struct hull_err *err)
{
	const struct hull_image *img = c->img;
	rp->layer = NULL;
	rp->layer_index = HULL_LAYER_NONE;
	if (rp->pkg->layer >= 0 && (size_t)rp->pkg->layer < img->nlayers) {
		rp->layer_index = rp->pkg->layer;
		rp->layer = &img->layers[rp->pkg->layer];
	}
	struct hull_err perr = {0};
	rp->purl = hull_purl_of_pkg(rp->pkg, c->os, &perr);
	if (!rp->purl && (perr.kind == HULL_ERR_NOMEM || perr.kind == HULL_ERR_LIMIT)) {
		*err = perr;
		return -1;
	}
	return 0; /* a package without a name simply has no purl */
}

int hull_report_ctx_init(struct hull_report_ctx *c, const struct hull_sbom_input *in,
                         struct hull_err *err)
{
	memset(c, 0, sizeof(*c));
	if (!in || !in->image || !in->inv)
		return hull_err_set(err, HULL_ERR_USAGE, "report: no image or inventory");
	c->in = in;
	c->img = in->image;
	c->os = in->inv->os.id && *in->inv->os.id ? &in->inv->os : NULL;
	c->tool_version = in->tool_version ? in->tool_version : HULL_VERSION;

	struct tm tm;
	if (!gmtime_r(&in->now, &tm) ||
	    !strftime(c->created, sizeof(c->created), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return hull_err_set(err, HULL_ERR_INPUT, "report: bad creation time");
	if (make_uuid(c->uuid, err) < 0)
		return -1;

	size_t n = in->inv->npkgs;
	if (n) {
		c->pkgs = calloc(n, sizeof(*c->pkgs));
		if (!c->pkgs)
			return hull_err_nomem(err);
		for (size_t i = 0; i < n; i++)
			c->pkgs[i].pkg = &in->inv->pkgs[i];
		qsort(c->pkgs, n, sizeof(*c->pkgs), cmp_pkg);
	}
	c->npkgs = n;
	for (size_t i = 0; i < n; i++) {
		if (resolve_pkg(c, &c->pkgs[i], err) < 0) {
			hull_report_ctx_release(c);
			return -1;
		}
		if ((unsigned)c->pkgs[i].pkg->type < HULL_PKG_TYPE_COUNT)
			c->count_by_type[c->pkgs[i].pkg->type]++;
	}
	return 0;
}

void hull_report_ctx_release(struct hull_report_ctx *c)
{
	for (size_t i = 0; i < c->npkgs; i++)
		free(c->pkgs[i].purl);
	free(c->pkgs);
	c->pkgs = NULL;
	c->npkgs = 0;
}

struct ref_idx {
	const char *ref;
	size_t i;
};

static int cmp_ref(const void *pa, const void *pb)
{
	const struct ref_idx *a = pa, *b = pb;
	int r = strcmp(a->ref, b->ref);
	return r ? r : (a->i > b->i) - (a->i < b->i);
}

/* Indexes of the strings equal to an earlier one (malloc'ed into *dups). */
static int find_dups(char **refs, size_t n, size_t **dups, size_t *ndups, struct hull_err *err)
{
	*ndups = 0;
	*dups = NULL;
	if (n < 2)
		return 0;
	struct ref_idx *v = calloc(n, sizeof(*v));
	*dups = calloc(n, sizeof(**dups));
	if (!v || !*dups) {
		free(v);
		free(*dups);
		*dups = NULL;
		return hull_err_nomem(err);
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct ref_idx){refs[i], i};
	qsort(v, n, sizeof(*v), cmp_ref);
	for (size_t k = 1; k < n; k++)
		if (!strcmp(v[k].ref, v[k - 1].ref))
			(*dups)[(*ndups)++] = v[k].i;
	free(v);
	return 0;
}

int hull_report_make_unique(char **refs, size_t n, hull_report_rename_fn rename,
                            struct hull_err *err)
{
	/* One renaming pass suffices with the writers' rename schemes; the
	 * loop re-checks so a scheme that can collide fails loudly instead of
	 * producing a document with clashing references. */
	for (int pass = 0;; pass++) {
		size_t *dups, ndups;
		if (find_dups(refs, n, &dups, &ndups, err) < 0)
			return -1;
		if (ndups == 0) {
			free(dups);
			return 0;
		}
		if (pass == 2) {
			free(dups);
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "report: cannot make references unique");
		}
		for (size_t k = 0; k < ndups; k++) {
			char *r = rename(refs[dups[k]], dups[k]);
			if (!r) {
				free(dups);
				return hull_err_nomem(err);
			}
			free(refs[dups[k]]);
			refs[dups[k]] = r;
		}
		free(dups);
	}
}

int hull_report_sbom(enum hull_sbom_format f, const struct hull_sbom_input *in,
                     struct hull_buf *out, struct hull_err *err)
{
	struct hull_report_ctx c;
	if (hull_report_ctx_init(&c, in, err) < 0)
		return -1;
	int rc;
	switch (f) {
	case HULL_SBOM_TABLE:
		rc = hull_report_write_table(&c, out, err);
		break;
	case HULL_SBOM_JSON:
		rc = hull_report_write_json(&c, out, err);
		break;
	case HULL_SBOM_CYCLONEDX:
		rc = hull_report_write_cyclonedx(&c, out, err);
		break;
	case HULL_SBOM_SPDX:
		rc = hull_report_write_spdx(&c, out, err);
		break;
	default:
		rc = hull_err_set(err, HULL_ERR_USAGE, "report: unknown format %d", (int)f);
	}
	hull_report_ctx_release(&c);
	if (rc < 0)
		hull_err_wrap(err, "%s report", hull_sbom_format_name(f));
	return rc;
}
