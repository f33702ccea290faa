/* findings_table: a findings list for a terminal.
 *
 *   Target:        debian:12
 *   ...
 *   libssl3 3.0.11-1~deb12u2 (deb, source openssl, layer 0a1b2c3d4e5f)
 *     CRITICAL  CVE-2024-0001  fixed in 3.0.13-1~deb12u1  openssl: ...
 *
 *   k8s/web.yaml: Deployment default/web
 *     HIGH      HULL-C003  12:9  Container is privileged
 *                                container app sets privileged: true
 *
 *   2 warnings: ...
 *   12 vulnerabilities (CRITICAL 1, HIGH 3, ...) in 8 packages; 2 suppressed
 *
 * Vulnerabilities are grouped by package, the other kinds by file and
 * object; groups come in key order, findings in severity order. Column
 * widths are shared by the whole document and capped, so one long title
 * cannot push the rest off screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"

#define BOLD     "\033[1m"
#define DIM      "\033[2m"
#define RED      "\033[31m"
#define YELLOW   "\033[33m"
#define BLUE     "\033[34m"
#define RESET    "\033[0m"
#define GAP      2
#define INDENT   2
#define SEV_W    8
#define ID_MAX   28
#define MID_MAX  36 /* status / position column */
#define TEXT_MAX 80
#define HDR_MAX  200

static const char *sev_style(enum hull_severity s)
{
	switch (s) {
	case HULL_SEV_CRITICAL:
		return BOLD RED;
	case HULL_SEV_HIGH:
		return RED;
	case HULL_SEV_MEDIUM:
		return YELLOW;
	case HULL_SEV_LOW:
		return BLUE;
	default:
		return "";
	}
}

static void header_line(struct hull_tw *t, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	hull_tw_style(t, BOLD);
	hull_tw_puts(t, key);
	hull_tw_style(t, RESET);
	hull_tw_pad(t, 15 - strlen(key));
	hull_tw_text(t, value, HDR_MAX);
	hull_tw_puts(t, "\n");
}

static void write_header(struct hull_tw *t, const struct hull_fctx *c)
{
	const struct hull_scan_target *tg = &c->in->target;
	header_line(t, "Target:", tg->name);
	header_line(t, "Kind:", hull_target_kind_name(tg->kind));
	if (tg->path && strcmp(tg->path, tg->name))
		header_line(t, "Path:", tg->path);
	header_line(t, "Digest:", tg->digest);
	if (tg->kind == HULL_TARGET_IMAGE || tg->kind == HULL_TARGET_ROOTFS ||
	    tg->kind == HULL_TARGET_SBOM || c->os)
		header_line(t, "Distribution:", c->os ? c->os : "unknown");
	hull_tw_puts(t, "\n");
}

static bool shown(const struct hull_fctx *c, const struct hull_finding *f)
{
	return !f->suppressed || c->in->show_suppressed;
}

static bool want_vuln(const struct hull_finding *f, const void *ctx)
{
	return f->kind == HULL_FINDING_VULNERABILITY && shown(ctx, f) && !f->workload;
}

static bool want_other(const struct hull_finding *f, const void *ctx)
{
	return f->kind != HULL_FINDING_VULNERABILITY && shown(ctx, f) && !f->workload;
}

/* The middle column: what can be done (vulnerabilities) or where (others). */
static const char *mid_cell(const struct hull_finding *f, char *tmp, size_t tmpsz)
{
	if (f->suppressed)
		return "suppressed";
	if (f->kind != HULL_FINDING_VULNERABILITY) {
		if (!f->loc.line)
			return "";
		if (f->loc.col)
			snprintf(tmp, tmpsz, "%u:%u", f->loc.line, f->loc.col);
		else
			snprintf(tmp, tmpsz, "%u", f->loc.line);
		return tmp;
	}
	switch (f->vuln.status) {
	case HULL_VULN_FIXED:
		if (f->vuln.fixed_version && *f->vuln.fixed_version) {
			snprintf(tmp, tmpsz, "fixed in %s", f->vuln.fixed_version);
			return tmp;
		}
		return "fixed";
	case HULL_VULN_AFFECTED:
		return "no fix yet";
	case HULL_VULN_WILL_NOT_FIX:
		return "will not fix";
	case HULL_VULN_FIX_DEFERRED:
		return "fix deferred";
	case HULL_VULN_END_OF_LIFE:
		return "end of life";
	}
	return "";
}

struct widths {
	size_t id, mid;
};

static void measure(const struct hull_fgroups *gs, struct widths *w)
{
	char tmp[1100];
	for (size_t i = 0; i < gs->n; i++) {
		for (size_t k = 0; k < gs->g[i].n; k++) {
			const struct hull_finding *f = gs->g[i].items[k];
			size_t iw = hull_term_width(f->id, ID_MAX);
			size_t mw = hull_term_width(mid_cell(f, tmp, sizeof(tmp)), MID_MAX);
			w->id = iw > w->id ? (iw > ID_MAX ? ID_MAX : iw) : w->id;
			w->mid = mw > w->mid ? (mw > MID_MAX ? MID_MAX : mw) : w->mid;
		}
	}
}

/* A second line under the text column (message, suppression reason). */
static void sub_line(struct hull_tw *t, const struct widths *w, const char *prefix,
                     const char *text)
{
	hull_tw_pad(t, INDENT + SEV_W + GAP + w->id + GAP + (w->mid ? w->mid + GAP : 0));
	hull_tw_style(t, DIM);
	hull_tw_puts(t, prefix);
	hull_tw_text(t, text, TEXT_MAX);
	hull_tw_style(t, RESET);
	hull_tw_puts(t, "\n");
}

static void row(struct hull_tw *t, const struct widths *w, const struct hull_finding *f)
{
	char tmp[1100];
	hull_tw_pad(t, INDENT);
	hull_tw_style(t, f->suppressed ? DIM : sev_style(f->severity));
	const char *sev = hull_severity_name(f->severity);
	hull_tw_puts(t, sev);
	hull_tw_style(t, RESET);
	hull_tw_pad(t, SEV_W - strlen(sev) + GAP);
	size_t used = hull_tw_text(t, f->id, w->id);
	hull_tw_pad(t, w->id - used + GAP);
	if (w->mid) {
		used = hull_tw_text(t, mid_cell(f, tmp, sizeof(tmp)), w->mid);
		hull_tw_pad(t, w->mid - used + GAP);
	}
	hull_tw_text(t, f->title, TEXT_MAX);
	hull_tw_trim(t);
	hull_tw_puts(t, "\n");
	if (f->kind != HULL_FINDING_VULNERABILITY && f->message && *f->message &&
	    strcmp(f->message, f->title))
		sub_line(t, w, "", f->message);
	if (f->suppressed)
		sub_line(t, w,
		         "suppressed: ", f->suppression ? f->suppression : "(no reason given)");
}

static void pkg_header(struct hull_tw *t, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	char tmp[64];
	hull_tw_style(t, BOLD);
	hull_tw_text(t, v->pkg_name && *v->pkg_name ? v->pkg_name : "(unnamed package)", HDR_MAX);
	if (v->pkg_version && *v->pkg_version) {
		hull_tw_puts(t, " ");
		hull_tw_text(t, v->pkg_version, HDR_MAX);
	}
	hull_tw_style(t, RESET);
	bool open = false;
	const char *sep = " (";
#define DETAIL(label, value)                                                                       \
	do {                                                                                       \
		hull_tw_style(t, DIM);                                                             \
		hull_tw_puts(t, sep);                                                              \
		hull_tw_puts(t, label);                                                            \
		hull_tw_text(t, value, HDR_MAX);                                                   \
		hull_tw_style(t, RESET);                                                           \
		sep = ", ";                                                                        \
		open = true;                                                                       \
	} while (0)
	if (v->pkg_type && *v->pkg_type)
		DETAIL("", v->pkg_type);
	if (v->src_name && *v->src_name && (!v->pkg_name || strcmp(v->src_name, v->pkg_name)))
		DETAIL("source ", v->src_name);
	const char *layer = f->loc.layer_digest ? f->loc.layer_digest : f->loc.layer_diff_id;
	if (layer) {
		const char *colon = strchr(layer, ':');
		snprintf(tmp, sizeof(tmp), "%.12s", colon ? colon + 1 : layer);
		DETAIL("layer ", tmp);
	}
	if (f->loc.file && *f->loc.file)
		DETAIL("", f->loc.file);
#undef DETAIL
	if (open) {
		hull_tw_style(t, DIM);
		hull_tw_puts(t, ")");
		hull_tw_style(t, RESET);
	}
	hull_tw_puts(t, "\n");
}

static void object_header(struct hull_tw *t, const struct hull_finding *f)
{
	bool file = f->loc.file && *f->loc.file, obj = f->loc.object && *f->loc.object;
	hull_tw_style(t, BOLD);
	if (file)
		hull_tw_text(t, f->loc.file, HDR_MAX);
	if (file && obj)
		hull_tw_puts(t, ": ");
	if (obj)
		hull_tw_text(t, f->loc.object, HDR_MAX);
	if (!file && !obj)
		hull_tw_puts(t, "(no file)");
	hull_tw_style(t, RESET);
	hull_tw_puts(t, "\n");
}

static void write_groups(struct hull_tw *t, const struct hull_fgroups *gs, bool vulns)
{
	struct widths w = {0};
	measure(gs, &w);
	for (size_t i = 0; i < gs->n; i++) {
		const struct hull_fgroup *g = &gs->g[i];
		if (vulns)
			pkg_header(t, g->items[0]);
		else
			object_header(t, g->items[0]);
		for (size_t k = 0; k < g->n; k++)
			row(t, &w, g->items[k]);
		hull_tw_puts(t, "\n");
	}
}

static void write_warnings(struct hull_tw *t, const struct hull_diag *d)
{
	if (!d || (d->n == 0 && d->dropped == 0))
		return;
	size_t total = d->n + d->dropped;
	hull_tw_style(t, YELLOW);
	hull_tw_printf(t, "%zu warning%s:", total, total == 1 ? "" : "s");
	hull_tw_style(t, RESET);
	hull_tw_puts(t, "\n");
	for (size_t i = 0; i < d->n; i++) {
		hull_tw_puts(t, "  - ");
		hull_tw_text(t, d->msgs[i] ? d->msgs[i] : "", HDR_MAX);
		hull_tw_puts(t, "\n");
	}
	if (d->dropped)
		hull_tw_printf(t, "  ... and %zu more\n", d->dropped);
	hull_tw_puts(t, "\n");
}

/* ---- hull scan: by workload, priorities first ---- */

struct wl {
	const struct hull_deploy_workload *w;
	const struct hull_finding **items; /* priority, then the findings' order */
	size_t n;
	unsigned best; /* best priority (HULL_PRIORITY_COUNT: none) */
};

static unsigned prio_key(const struct hull_finding *f)
{
	return f->priority ? f->priority : HULL_PRIORITY_COUNT;
}

static int cmp_prio(const void *pa, const void *pb)
{
	const struct hull_finding *a = *(const struct hull_finding *const *)pa;
	const struct hull_finding *b = *(const struct hull_finding *const *)pb;
	if (prio_key(a) != prio_key(b))
		return prio_key(a) < prio_key(b) ? -1 : 1;
	return hull_finding_cmp(a, b);
}

static int cmp_wl(const void *pa, const void *pb)
{
	const struct wl *a = pa, *b = pb;
	if (a->best != b->best)
		return a->best < b->best ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->w->id, b->w->id);
}

static void wl_list(struct hull_tw *t, const char *label, const char *const *v, size_t n)
{
	if (!n)
		return;
	hull_tw_pad(t, INDENT);
	hull_tw_style(t, DIM);
	hull_tw_puts(t, label);
	hull_tw_style(t, RESET);
	for (size_t i = 0; i < n; i++) {
		hull_tw_puts(t, i ? ", " : "");
		hull_tw_text(t, v[i], HDR_MAX);
	}
	hull_tw_puts(t, "\n");
}

static void wl_row(struct hull_tw *t, const struct hull_finding *f)
{
	char tmp[1100];
	hull_tw_pad(t, INDENT);
	if (f->priority)
		hull_tw_printf(t, "P%u  ", f->priority);
	else
		hull_tw_puts(t, "--  ");
	hull_tw_style(t, f->suppressed ? DIM : sev_style(f->severity));
	const char *sev = hull_severity_name(f->severity);
	hull_tw_puts(t, sev);
	hull_tw_style(t, RESET);
	hull_tw_pad(t, SEV_W - strlen(sev) + GAP);
	size_t used = hull_tw_text(t, f->id, ID_MAX);
	hull_tw_pad(t, (used < 20 ? 20 - used : 0) + GAP);
	if (f->kind == HULL_FINDING_VULNERABILITY) {
		hull_tw_text(t, f->vuln.pkg_name ? f->vuln.pkg_name : "?", HDR_MAX);
		hull_tw_puts(t, " ");
		hull_tw_text(t, f->vuln.pkg_version ? f->vuln.pkg_version : "", HDR_MAX);
		hull_tw_puts(t, ": ");
		hull_tw_text(t, mid_cell(f, tmp, sizeof(tmp)), MID_MAX);
	} else {
		hull_tw_text(t, f->title, TEXT_MAX);
	}
	hull_tw_trim(t);
	hull_tw_puts(t, "\n");
	hull_tw_pad(t, INDENT + 4 + SEV_W + GAP);
	hull_tw_style(t, DIM);
	if (f->priority_why)
		hull_tw_text(t, f->priority_why, HDR_MAX);
	else if (f->message)
		hull_tw_text(t, f->message, TEXT_MAX);
	else if (f->loc.file)
		hull_tw_text(t, f->loc.file, HDR_MAX);
	hull_tw_style(t, RESET);
	hull_tw_trim(t);
	hull_tw_puts(t, "\n");
}

static int write_workloads(struct hull_tw *t, const struct hull_fctx *c)
{
	const struct hull_deployment *d = c->in->deploy;
	struct wl *v = calloc(d->nworkloads ? d->nworkloads : 1, sizeof(*v));
	const struct hull_finding **all = calloc(c->n ? c->n : 1, sizeof(*all));
	if (!v || !all) {
		free(v);
		free(all);
		return hull_err_nomem(t->err);
	}
	size_t used = 0;
	for (size_t i = 0; i < d->nworkloads; i++) {
		struct wl *x = &v[i];
		x->w = &d->workloads[i];
		x->items = all + used;
		x->best = HULL_PRIORITY_COUNT;
		for (size_t k = 0; k < c->n; k++) {
			const struct hull_finding *f = c->sorted[k];
			if (!f->workload || strcmp(f->workload, x->w->id) || !shown(c, f))
				continue;
			if (used == c->n)
				break; /* a finding in two workloads of one id: ids are unique */
			x->items[x->n++] = f;
			used++;
			if (!f->suppressed && prio_key(f) < x->best)
				x->best = prio_key(f);
		}
		qsort(x->items, x->n, sizeof(*x->items), cmp_prio);
	}
	qsort(v, d->nworkloads, sizeof(*v), cmp_wl);
	for (size_t i = 0; i < d->nworkloads; i++) {
		const struct wl *x = &v[i];
		hull_tw_style(t, BOLD);
		hull_tw_text(t, x->w->id, HDR_MAX);
		hull_tw_style(t, RESET);
		hull_tw_style(t, DIM);
		hull_tw_puts(t, " (");
		hull_tw_text(t, x->w->kind ? x->w->kind : "?", HDR_MAX);
		if (x->w->file) {
			hull_tw_puts(t, ", ");
			hull_tw_text(t, x->w->file, HDR_MAX);
			if (x->w->line)
				hull_tw_printf(t, ":%u", x->w->line);
		}
		hull_tw_puts(t, ")");
		hull_tw_style(t, RESET);
		hull_tw_puts(t, "\n");
		hull_tw_pad(t, INDENT);
		hull_tw_style(t, DIM);
		hull_tw_puts(t, "exposure: ");
		hull_tw_style(t, RESET);
		hull_tw_text(t, x->w->exposure ? x->w->exposure : "none", HDR_MAX);
		hull_tw_style(t, DIM);
		hull_tw_puts(t, "; privileges: ");
		hull_tw_style(t, RESET);
		hull_tw_text(t, x->w->privilege ? x->w->privilege : "none", HDR_MAX);
		hull_tw_puts(t, "\n");
		wl_list(t, "images: ", x->w->images, x->w->nimages);
		wl_list(t, "reachable through: ", x->w->exposures, x->w->nexposures);
		wl_list(t, "privileges: ", x->w->privileges, x->w->nprivileges);
		wl_list(t, "reached by: ", x->w->reached_by, x->w->nreached_by);
		wl_list(t, "can reach: ", x->w->reaches, x->w->nreaches);
		for (size_t k = 0; k < x->w->nchanges; k++) {
			hull_tw_pad(t, INDENT);
			hull_tw_style(t, DIM);
			hull_tw_puts(t, "fix: ");
			hull_tw_style(t, RESET);
			hull_tw_text(t, x->w->changes[k].text, HDR_MAX);
			hull_tw_puts(t, "\n");
		}
		for (size_t k = 0; k < x->n; k++)
			wl_row(t, x->items[k]);
		if (!x->n) {
			hull_tw_pad(t, INDENT);
			hull_tw_puts(t, "no findings\n");
		}
		hull_tw_puts(t, "\n");
	}
	free(v);
	free(all);
	return t->rc;
}

static int write_table(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct hull_tw t = {.out = out, .err = err, .color = c->in->color};
	struct hull_fgroups vulns, others;
	if (hull_fgroups_build(c, want_vuln, c, hull_finding_pkg_key, &vulns, err) < 0)
		return -1;
	if (hull_fgroups_build(c, want_other, c, hull_finding_object_key, &others, err) < 0) {
		hull_fgroups_release(&vulns);
		return -1;
	}
	write_header(&t, c);
	if (c->in->deploy && write_workloads(&t, c) < 0)
		t.rc = -1;
	write_groups(&t, &vulns, true);
	write_groups(&t, &others, false);
	write_warnings(&t, c->in->diag);
	hull_fgroups_release(&vulns);
	hull_fgroups_release(&others);
	if (t.rc < 0)
		return -1;
	/* The summary is plain text whatever the colours: its words and
	 * counts are what scripts grep. */
	hull_tw_style(&t, BOLD);
	if (t.rc == 0 && hull_findings_summary_line(c, out, err) < 0)
		t.rc = -1;
	hull_tw_style(&t, RESET);
	hull_tw_puts(&t, "\n");
	return t.rc;
}

const struct hull_findings_writer hull_writer_table = {
    .format = HULL_FINDINGS_TABLE,
    .name = "table",
    .alias = NULL,
    .write = write_table,
};
