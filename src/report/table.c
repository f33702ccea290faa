/* table: the SBOM as aligned columns for a terminal.
 *
 * Nothing from the image reaches the terminal unfiltered: every value
 * goes through util/term.h (controls and bidirectional overrides become
 * '?', invalid UTF-8 U+FFFD). Widths are counted in terminal columns, and
 * a value wider than its column is cut with "…". */
#include <stdio.h>
#include <string.h>

#include "report/internal.h"
#include "util/term.h"

#define COL_GAP    2
#define HEADER_MAX 200 /* columns for one header value or warning */
#define LAYER_HEX  12

#define BOLD   "\033[1m"
#define DIM    "\033[2m"
#define YELLOW "\033[33m"
#define RESET  "\033[0m"

enum col { C_NAME, C_VERSION, C_TYPE, C_SOURCE, C_LAYER, NCOLS };

static const struct {
	const char *title;
	size_t max;
} cols[NCOLS] = {
    [C_NAME] = {"NAME", 40},     [C_VERSION] = {"VERSION", 32},    [C_TYPE] = {"TYPE", 4},
    [C_SOURCE] = {"SOURCE", 32}, [C_LAYER] = {"LAYER", LAYER_HEX},
};

struct tw {
	struct hull_buf *out;
	struct hull_err *err;
	int rc;
	bool color;
};

static void put(struct tw *t, const char *s, size_t n)
{
	if (t->rc == 0 && hull_buf_append(t->out, s, n, t->err) < 0)
		t->rc = -1;
}

static void puts_(struct tw *t, const char *s)
{
	put(t, s, strlen(s));
}

static void style(struct tw *t, const char *code)
{
	if (t->color)
		puts_(t, code);
}

/* Writes s safely in at most limit columns ("…" marks a cut); returns the
 * columns used. */
static size_t put_text(struct tw *t, const char *s, size_t limit)
{
	size_t w = 0;
	if (t->rc == 0 && hull_term_append_cut(t->out, s, limit, &w, t->err) < 0)
		t->rc = -1;
	return w;
}

static void pad(struct tw *t, size_t n)
{
	static const char spaces[] = "                                        ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(t, spaces, k);
		n -= k;
	}
}

/* Drops the padding left at the end of a line when its last cells are empty. */
static void trim_line(struct tw *t)
{
	if (t->rc || !t->out->data)
		return;
	while (t->out->len && t->out->data[t->out->len - 1] == ' ')
		t->out->len--;
	t->out->data[t->out->len] = '\0';
}

static bool differs(const char *a, const char *b)
{
	return a && *a && (!b || strcmp(a, b) != 0);
}

/* The text of one cell; tmp holds composed values. */
static const char *cell(const struct hull_report_ctx *c, const struct hull_report_pkg *rp,
                        enum col col, char *tmp, size_t tmpsz)
{
	const struct hull_pkg *p = rp->pkg;
	switch (col) {
	case C_NAME:
		return p->name ? p->name : "";
	case C_VERSION:
		return p->version ? p->version : "";
	case C_TYPE:
		return hull_pkg_type_name(p->type);
	case C_SOURCE:
		if (!differs(p->src_name, p->name) && !differs(p->src_version, p->version))
			return "";
		if (differs(p->src_version, p->version))
			snprintf(tmp, tmpsz, "%s (%s)", p->src_name ? p->src_name : p->name,
			         p->src_version);
		else
			snprintf(tmp, tmpsz, "%s", p->src_name);
		return tmp;
	case C_LAYER: {
		(void)c;
		if (!rp->layer)
			return "";
		const char *d = rp->layer->digest ? rp->layer->digest : rp->layer->diff_id;
		if (!d)
			return "";
		const char *colon = strchr(d, ':');
		snprintf(tmp, tmpsz, "%.*s", LAYER_HEX, colon ? colon + 1 : d);
		return tmp;
	}
	case NCOLS:
		break;
	}
	return "";
}

static void header_line(struct tw *t, const char *key, const char *value)
{
	style(t, BOLD);
	puts_(t, key);
	style(t, RESET);
	pad(t, 14 - strlen(key));
	put_text(t, value, HEADER_MAX);
	puts_(t, "\n");
}

static void write_header(struct tw *t, const struct hull_report_ctx *c)
{
	const struct hull_image *img = c->img;
	char tmp[512];
	header_line(t, "Target:", hull_report_target_name(img));
	if (img->name && img->target && strcmp(img->name, img->target))
		header_line(t, "Path:", img->target);
	header_line(t, "Format:", hull_image_format_name(img->format));
	if (img->manifest_digest)
		header_line(t, "Digest:", img->manifest_digest);
	if (img->config.os && img->config.architecture) {
		snprintf(tmp, sizeof(tmp), "%s/%s%s%s", img->config.os, img->config.architecture,
		         img->config.variant ? "/" : "",
		         img->config.variant ? img->config.variant : "");
		header_line(t, "Platform:", tmp);
	}
	if (c->os) {
		const struct hull_os *os = c->os;
		snprintf(tmp, sizeof(tmp), "%s%s%s%s%s%s", os->id, os->version_id ? " " : "",
		         os->version_id ? os->version_id : "", os->codename ? " (" : "",
		         os->codename ? os->codename : "", os->codename ? ")" : "");
		header_line(t, "Distribution:", tmp);
	} else {
		header_line(t, "Distribution:", "unknown");
	}
	if (img->nlayers) {
		snprintf(tmp, sizeof(tmp), "%zu", img->nlayers);
		header_line(t, "Layers:", tmp);
	}
	puts_(t, "\n");
}

static void write_rows(struct tw *t, const struct hull_report_ctx *c)
{
	bool show[NCOLS] = {true, true, true, false, c->img->nlayers > 0};
	size_t width[NCOLS];
	char tmp[1024];
	for (int k = 0; k < NCOLS; k++)
		width[k] = strlen(cols[k].title);
	for (size_t i = 0; i < c->npkgs; i++) {
		for (int k = 0; k < NCOLS; k++) {
			size_t w = hull_term_width(
			    cell(c, &c->pkgs[i], (enum col)k, tmp, sizeof(tmp)), cols[k].max);
			if (k == C_SOURCE && w)
				show[C_SOURCE] = true;
			if (w > width[k])
				width[k] = w > cols[k].max ? cols[k].max : w;
		}
	}
	int last = NCOLS - 1;
	while (!show[last])
		last--;
	style(t, BOLD);
	for (int k = 0; k <= last; k++) {
		if (!show[k])
			continue;
		size_t w = put_text(t, cols[k].title, width[k]);
		if (k < last)
			pad(t, width[k] - w + COL_GAP);
	}
	style(t, RESET);
	puts_(t, "\n");
	for (size_t i = 0; i < c->npkgs; i++) {
		for (int k = 0; k <= last; k++) {
			if (!show[k])
				continue;
			const char *text = cell(c, &c->pkgs[i], (enum col)k, tmp, sizeof(tmp));
			bool dim = k == C_LAYER && *text;
			if (dim)
				style(t, DIM);
			size_t w = put_text(t, text, width[k]);
			if (dim)
				style(t, RESET);
			if (k < last)
				pad(t, width[k] - w + COL_GAP);
		}
		trim_line(t);
		puts_(t, "\n");
	}
}

static void write_summary(struct tw *t, const struct hull_report_ctx *c)
{
	char tmp[64];
	if (c->npkgs)
		puts_(t, "\n");
	style(t, BOLD);
	snprintf(tmp, sizeof(tmp), "%zu package%s", c->npkgs, c->npkgs == 1 ? "" : "s");
	puts_(t, tmp);
	style(t, RESET);
	bool first = true;
	for (int ty = 0; ty < HULL_PKG_TYPE_COUNT; ty++) {
		if (!c->count_by_type[ty])
			continue;
		snprintf(tmp, sizeof(tmp), "%s%zu %s", first ? ": " : ", ", c->count_by_type[ty],
		         hull_pkg_type_name((enum hull_pkg_type)ty));
		puts_(t, tmp);
		first = false;
	}
	puts_(t, "\n");
}

static void write_warnings(struct tw *t, const struct hull_diag *d)
{
	if (!d || (d->n == 0 && d->dropped == 0))
		return;
	char tmp[64];
	size_t total = d->n + d->dropped;
	puts_(t, "\n");
	style(t, YELLOW);
	snprintf(tmp, sizeof(tmp), "%zu warning%s:", total, total == 1 ? "" : "s");
	puts_(t, tmp);
	style(t, RESET);
	puts_(t, "\n");
	for (size_t i = 0; i < d->n; i++) {
		puts_(t, "  - ");
		put_text(t, d->msgs[i] ? d->msgs[i] : "", HEADER_MAX);
		puts_(t, "\n");
	}
	if (d->dropped) {
		snprintf(tmp, sizeof(tmp), "  ... and %zu more\n", d->dropped);
		puts_(t, tmp);
	}
}

int hull_report_write_table(const struct hull_report_ctx *c, struct hull_buf *out,
                            struct hull_err *err)
{
	struct tw t = {.out = out, .err = err, .color = c->in->color};
	write_header(&t, c);
	if (c->npkgs)
		write_rows(&t, c);
	write_summary(&t, c);
	write_warnings(&t, c->in->diag);
	return t.rc;
}
