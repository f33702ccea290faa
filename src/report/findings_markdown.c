/* findings_markdown: a findings list as a pull-request comment (GitHub
 * flavoured Markdown).
 *
 * A heading with the summary line, the target, one table for
 * vulnerabilities and one for the other kinds (findings in severity
 * order), and the warnings in a <details> block. The whole comment stays
 * under HULL_MARKDOWN_MAX bytes (GitHub refuses comments over 65536
 * characters): rows that do not fit are counted in a closing line instead.
 *
 * Text from the scanned input can neither inject Markdown or HTML (every
 * punctuation character is escaped, see hull_md_text) nor notify anyone
 * ('@' never starts a mention); links are made only from URLs that pass
 * hull_report_uri_ok and hold no character that could end the link. */
#include <stdio.h>
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"

#define MAX_WARNINGS 20
#define CELL_ID      60
#define CELL_NAME    60
#define CELL_VERSION 40
#define CELL_TEXT    120
#define RESERVE      512 /* bytes kept for the closing lines */

static bool shown(const struct hull_fctx *c, const struct hull_finding *f)
{
	return !f->suppressed || c->in->show_suppressed;
}

static bool link_ok(const char *url)
{
	return hull_report_uri_ok(url) && !strpbrk(url, "()<>\"'`\\") &&
	       (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
}

static void cell(struct hull_tw *t, const char *s, size_t limit)
{
	hull_tw_puts(t, " ");
	hull_md_text(t, s ? s : "", limit, true);
	hull_tw_puts(t, " |");
}

static void id_cell(struct hull_tw *t, const struct hull_finding *f)
{
	hull_tw_puts(t, " ");
	if (link_ok(f->primary_url)) {
		hull_tw_puts(t, "[");
		hull_md_text(t, f->id, CELL_ID, true);
		hull_tw_puts(t, "](");
		hull_tw_puts(t, f->primary_url);
		hull_tw_puts(t, ")");
	} else {
		hull_md_text(t, f->id, CELL_ID, true);
	}
	hull_tw_puts(t, " |");
}

static void severity_cell(struct hull_tw *t, const struct hull_finding *f)
{
	hull_tw_printf(t, "| %s%s%s |", f->suppressed ? "~~" : "**",
	               hull_severity_name(f->severity), f->suppressed ? "~~" : "**");
}

static void text_cell(struct hull_tw *t, const struct hull_finding *f, const char *text)
{
	hull_tw_puts(t, " ");
	hull_md_text(t, text, CELL_TEXT, true);
	if (f->suppressed) {
		hull_tw_puts(t, " _(suppressed: ");
		hull_md_text(t, f->suppression ? f->suppression : "no reason given", CELL_TEXT,
		             true);
		hull_tw_puts(t, ")_");
	}
	hull_tw_puts(t, " |");
}

static const char *fixed_cell(const struct hull_vuln_info *v)
{
	if (v->fixed_version && *v->fixed_version)
		return v->fixed_version;
	switch (v->status) {
	case HULL_VULN_AFFECTED:
		return "no fix yet";
	case HULL_VULN_WILL_NOT_FIX:
		return "will not fix";
	case HULL_VULN_FIX_DEFERRED:
		return "fix deferred";
	case HULL_VULN_END_OF_LIFE:
		return "end of life";
	default:
		return "";
	}
}

static void vuln_row(struct hull_tw *t, const struct hull_finding *f)
{
	const struct hull_vuln_info *v = &f->vuln;
	severity_cell(t, f);
	id_cell(t, f);
	cell(t, v->pkg_name, CELL_NAME);
	cell(t, v->pkg_version, CELL_VERSION);
	cell(t, fixed_cell(v), CELL_VERSION);
	text_cell(t, f, f->title);
	hull_tw_puts(t, "\n");
}

static void other_row(struct hull_tw *t, const struct hull_finding *f)
{
	char pos[32] = "";
	if (f->loc.line && f->loc.col)
		snprintf(pos, sizeof(pos), "%u:%u", f->loc.line, f->loc.col);
	else if (f->loc.line)
		snprintf(pos, sizeof(pos), "%u", f->loc.line);
	severity_cell(t, f);
	id_cell(t, f);
	cell(t, f->loc.file, CELL_NAME);
	cell(t, pos, 16);
	cell(t, f->loc.object, CELL_NAME);
	text_cell(t, f, f->message && *f->message ? f->message : f->title);
	hull_tw_puts(t, "\n");
}

struct md {
	const struct hull_fctx *c;
	struct hull_buf *out;
	struct hull_err *err;
	size_t start;   /* where the document began in out */
	size_t trailer; /* bytes the closing lines will take */
	size_t left;    /* rows that did not fit */
	bool full;
};

/* Appends one table, row by row while they fit. */
static int table(struct md *m, bool vulns)
{
	static const char *const head[2] = {
	    "| Severity | ID | File | Line | Object | Message |\n"
	    "| --- | --- | --- | --- | --- | --- |\n",
	    "| Severity | ID | Package | Installed | Fixed in | Title |\n"
	    "| --- | --- | --- | --- | --- | --- |\n",
	};
	struct hull_buf row;
	struct hull_tw t = {.out = &row, .err = m->err};
	bool any = false;
	hull_buf_init(&row, 1u << 20);
	for (size_t i = 0; i < m->c->n && t.rc == 0; i++) {
		const struct hull_finding *f = m->c->sorted[i];
		if ((f->kind == HULL_FINDING_VULNERABILITY) != vulns || !shown(m->c, f))
			continue;
		if (m->full) {
			m->left++;
			continue;
		}
		hull_buf_reset(&row);
		if (!any)
			hull_tw_puts(&t, head[vulns]);
		if (vulns)
			vuln_row(&t, f);
		else
			other_row(&t, f);
		size_t used = m->out->len - m->start;
		if (t.rc == 0 && used + row.len + m->trailer + RESERVE > HULL_MARKDOWN_MAX) {
			m->full = true;
			m->left++;
			continue;
		}
		if (t.rc == 0 && hull_buf_append(m->out, row.data, row.len, m->err) < 0)
			t.rc = -1;
		any = true;
	}
	hull_buf_release(&row);
	if (t.rc == 0 && any && hull_buf_putc(m->out, '\n', m->err) < 0)
		t.rc = -1;
	return t.rc;
}

static void warnings(struct hull_tw *t, const struct hull_diag *d)
{
	if (!d || (!d->n && !d->dropped))
		return;
	size_t total = d->n + d->dropped;
	hull_tw_printf(t, "<details><summary>%zu warning%s</summary>\n\n", total,
	               total == 1 ? "" : "s");
	for (size_t i = 0; i < d->n && i < MAX_WARNINGS; i++) {
		hull_tw_puts(t, "- ");
		hull_md_text(t, d->msgs[i] ? d->msgs[i] : "", 300, true);
		hull_tw_puts(t, "\n");
	}
	if (total > MAX_WARNINGS)
		hull_tw_printf(t, "- ... and %zu more\n", total - MAX_WARNINGS);
	hull_tw_puts(t, "\n</details>\n\n");
}

static void header(struct hull_tw *t, const struct hull_fctx *c, const char *summary)
{
	const struct hull_scan_target *tg = &c->in->target;
	hull_tw_puts(t, "### hull: ");
	hull_md_text(t, summary, 400, true);
	hull_tw_puts(t, "\n\n**Target:** ");
	hull_md_text(t, tg->name, 200, true);
	hull_tw_printf(t, " (%s", hull_target_kind_name(tg->kind));
	if (c->os) {
		hull_tw_puts(t, ", ");
		hull_md_text(t, c->os, 100, true);
	}
	hull_tw_puts(t, ")");
	if (tg->digest) {
		hull_tw_puts(t, "  \n**Digest:** ");
		hull_md_text(t, tg->digest, 100, true);
	}
	hull_tw_puts(t, "\n\n");
}

static int write_markdown(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct hull_buf summary, trailer;
	hull_buf_init(&summary, 4096);
	hull_buf_init(&trailer, HULL_MARKDOWN_MAX);
	struct hull_tw tt = {.out = &trailer, .err = err};
	struct hull_tw t = {.out = out, .err = err};
	struct md m = {.c = c, .out = out, .err = err, .start = out->len};
	int rc = hull_findings_summary_line(c, &summary, err);
	if (rc == 0) {
		warnings(&tt, c->in->diag);
		hull_tw_printf(&tt, "<sub>hull %.32s, %s</sub>\n", c->tool_version, c->created);
		rc = tt.rc;
	}
	m.trailer = trailer.len;
	if (rc == 0) {
		header(&t, c, summary.data ? summary.data : "");
		rc = t.rc;
	}
	if (rc == 0)
		rc = table(&m, true);
	if (rc == 0)
		rc = table(&m, false);
	if (rc == 0 && m.left)
		hull_tw_printf(&t, "_%zu more finding%s not shown: see the full report._\n\n",
		               m.left, m.left == 1 ? "" : "s");
	if (rc == 0)
		hull_tw_put(&t, trailer.data, trailer.len);
	if (rc == 0)
		rc = t.rc;
	hull_buf_release(&summary);
	hull_buf_release(&trailer);
	return rc;
}

const struct hull_findings_writer hull_writer_markdown = {
    .format = HULL_FINDINGS_MARKDOWN,
    .name = "markdown",
    .alias = "md",
    .write = write_markdown,
};
