/* findings_html: one self-contained HTML page a person reads.
 *
 * Everything is in the one file: styles and the script inline, the network
 * drawn as inline SVG, no fonts, images or scripts from anywhere else; a
 * Content-Security-Policy of default-src 'none' makes the browser refuse
 * any request the page could make. The page opens with a summary that
 * reads in ten seconds (counts by priority and severity, what is exposed),
 * then with a deployment (hull scan) one section per workload and the
 * graph, then every finding in one table the reader sorts (click a column)
 * and filters (priority, severity, workload, text) without a server; each
 * finding carries its fix (the package version that removes it, or the
 * rule's remediation). A fragment such as #severity=4&workload=web sets the
 * filters on load (a view to link to). Printing hides the controls and
 * prints every row.
 *
 * Every string from an input is escaped for HTML text or a quoted
 * attribute ( & < > " ' ), controls and bidi overrides become U+FFFD and
 * ill-formed UTF-8 too, so no input can open an element or a script. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"
#include "util/utf8.h"

#define SVG_MAX_NODES 200 /* beyond, the graph is left out (and says so) */

struct page {
	struct hull_buf *out;
	struct hull_err *err;
	int rc;
};

static void put(struct page *p, const char *s)
{
	if (p->rc == 0 && hull_buf_append_str(p->out, s, p->err) < 0)
		p->rc = -1;
}

static void putf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct page *p, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(p, tmp);
}

static bool bad_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f;
}

/* s as HTML text or attribute value (both quoted kinds). */
static void esc(struct page *p, const char *s)
{
	if (!s)
		return;
	size_t len = strlen(s);
	for (size_t i = 0; i < len && p->rc == 0;) {
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		if (n == 0)
			n = 1;
		if (!valid || (bad_cp(cp) && cp != '\n' && cp != '\t'))
			put(p, "\xef\xbf\xbd");
		else if (cp == '&')
			put(p, "&amp;");
		else if (cp == '<')
			put(p, "&lt;");
		else if (cp == '>')
			put(p, "&gt;");
		else if (cp == '"')
			put(p, "&quot;");
		else if (cp == '\'')
			put(p, "&#39;");
		else if (hull_buf_append(p->out, s + i, n, p->err) < 0)
			p->rc = -1;
		i += n;
	}
}

static const char *const sev_class[HULL_SEV_COUNT] = {"unknown", "low", "medium", "high",
                                                      "critical"};

static const char style[] =
    "<style>\n"
    ":root{--c:#7a0019;--h:#c0392b;--m:#d68910;--l:#2e86c1;--u:#7f8c8d;--bg:#fff;--fg:#1b1b1b;"
    "--mut:#5f6368;--line:#d9d9d9}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);"
    "background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px}\n"
    "h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid var(--line);"
    "padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:6px 0}\n"
    ".meta{color:var(--mut)}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:96px}\n"
    ".card b{display:block;font-size:26px}.verdict{font-size:16px;margin:8px 0}\n"
    ".sev{display:inline-block;padding:0 6px;border-radius:4px;color:#fff;font-size:12px;"
    "font-weight:600}\n"
    ".critical{background:var(--c)}.high{background:var(--h)}.medium{background:var(--m)}"
    ".low{background:var(--l)}.unknown{background:var(--u)}\n"
    ".prio{display:inline-block;min-width:22px;text-align:center;border-radius:4px;"
    "font-weight:700;border:1px solid var(--fg)}.p1{background:#000;color:#fff}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
    "padding:4px 6px;border-bottom:1px solid var(--line)}\n"
    "th[data-col]{cursor:pointer;user-select:none}th[data-col]:after{content:' \\2195';"
    "color:var(--mut)}\n"
    ".controls{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}.controls label{color:var("
    "--mut)}\n"
    ".workload{border:1px solid var(--line);border-radius:6px;padding:6px 12px;margin:10px 0;"
    "break-inside:avoid}\n"
    ".workload ul{margin:2px 0 6px 18px;padding:0}.exposed{border-left:4px solid var(--h)}\n"
    "code{font-size:12px;word-break:break-all}.why{color:var(--mut);font-size:12px}\n"
    "svg{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}\n"
    "@media print{.controls,.noprint{display:none}tr[hidden]{display:table-row}"
    "body{max-width:none}}\n"
    "</style>\n";

/* Sorting and filtering: data-* attributes on the rows; no network. */
static const char script[] =
    "<script>\n"
    "(function(){\n"
    "var tb=document.getElementById('findings-body');if(!tb)return;\n"
    "var rows=Array.prototype.slice.call(tb.rows);\n"
    "var f={priority:document.getElementById('f-priority'),severity:document.getElementById("
    "'f-severity'),workload:document.getElementById('f-workload'),text:document."
    "getElementById('f-text')};\n"
    "var shown=document.getElementById('shown');\n"
    "function apply(){var n=0;rows.forEach(function(r){var ok=(!f.priority.value||r.dataset."
    "priority===f.priority.value)&&(!f.severity.value||r.dataset.severity===f.severity.value)"
    "&&(!f.workload.value||r.dataset.workload===f.workload.value)&&(!f.text.value||r."
    "textContent.toLowerCase().indexOf(f.text.value.toLowerCase())>=0);r.hidden=!ok;if(ok)n++;"
    "});shown.textContent=n+' of '+rows.length+' findings shown';}\n"
    "Object.keys(f).forEach(function(k){f[k].addEventListener('input',apply);f[k]."
    "addEventListener('change',apply);});\n"
    "var dir={};Array.prototype.forEach.call(document.querySelectorAll('th[data-col]'),"
    "function(th){th.addEventListener('click',function(){var c=th.dataset.col;dir[c]=-(dir[c]||"
    "-1);rows.sort(function(a,b){var x=a.dataset[c]||'',y=b.dataset[c]||'';var nx=Number(x),"
    "ny=Number(y);var r=(x!==''&&y!==''&&!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);"
    "return r*dir[c]||Number(a.dataset.order)-Number(b.dataset.order);});rows.forEach("
    "function(r){tb.appendChild(r);});});});\n"
    "var h=location.hash.slice(1).split('&');h.forEach(function(kv){var i=kv.indexOf('=');"
    "if(i>0){var k=decodeURIComponent(kv.slice(0,i)),v=decodeURIComponent(kv.slice(i+1));"
    "if(f[k])f[k].value=v;}});\n"
    "apply();\n"
    "})();\n"
    "</script>\n";

/* The workload a finding belongs to, for the table and the filter. */
static const char *workload_of(const struct hull_finding *f)
{
	if (f->workload)
		return f->workload;
	if (f->loc.object)
		return f->loc.object;
	return f->loc.file ? f->loc.file : "";
}

static void summary(struct page *p, const struct hull_fctx *c)
{
	const struct hull_findings_summary *s = &c->sum;
	size_t prio[HULL_PRIORITY_COUNT] = {0};
	for (size_t i = 0; i < c->n; i++)
		if (!c->sorted[i]->suppressed && c->sorted[i]->priority < HULL_PRIORITY_COUNT)
			prio[c->sorted[i]->priority]++;
	const struct hull_deployment *d = c->in->deploy;
	put(p, "<section id=\"summary\"><h2>Summary</h2>\n<p class=\"verdict\">");
	if (d) {
		size_t exposed = 0;
		for (size_t i = 0; i < d->nworkloads; i++)
			exposed += d->workloads[i].internet;
		if (prio[1])
			putf(p, "<b>%zu finding%s to fix first</b> (priority 1). ", prio[1],
			     prio[1] == 1 ? "" : "s");
		else
			put(p, "Nothing at priority 1. ");
		putf(p, "%zu workload%s, %zu reachable from outside.", d->nworkloads,
		     d->nworkloads == 1 ? "" : "s", exposed);
	} else if (s->by_severity[HULL_SEV_CRITICAL] + s->by_severity[HULL_SEV_HIGH]) {
		putf(p, "<b>%zu critical or high finding%s</b> to look at first.",
		     s->by_severity[HULL_SEV_CRITICAL] + s->by_severity[HULL_SEV_HIGH],
		     s->by_severity[HULL_SEV_CRITICAL] + s->by_severity[HULL_SEV_HIGH] == 1 ? ""
		                                                                            : "s");
	} else {
		put(p, "No critical or high finding.");
	}
	put(p, "</p>\n<div class=\"cards\">");
	if (d)
		for (unsigned k = 1; k < HULL_PRIORITY_COUNT; k++)
			putf(p, "<div class=\"card\" id=\"count-p%u\"><b>%zu</b>priority %u</div>",
			     k, prio[k], k);
	for (size_t j = 0; j < HULL_SEV_COUNT; j++) {
		enum hull_severity sev = hull_severity_desc[j];
		putf(p, "<div class=\"card\"><b>%zu</b><span class=\"sev %s\">%s</span></div>",
		     s->by_severity[sev], sev_class[sev], hull_severity_name(sev));
	}
	put(p, "</div>\n<p class=\"meta\">");
	struct hull_buf line;
	hull_buf_init(&line, 4096);
	if (hull_findings_summary_line(c, &line, p->err) < 0)
		p->rc = -1;
	esc(p, line.data ? line.data : "");
	hull_buf_release(&line);
	put(p, "</p></section>\n");
}

static void list(struct page *p, const char *title, const char *const *v, size_t n)
{
	if (!n)
		return;
	putf(p, "<div>%s:</div><ul>", title);
	for (size_t i = 0; i < n; i++) {
		put(p, "<li>");
		esc(p, v[i]);
		put(p, "</li>");
	}
	put(p, "</ul>");
}

static void workloads(struct page *p, const struct hull_fctx *c)
{
	const struct hull_deployment *d = c->in->deploy;
	put(p, "<section id=\"workloads\"><h2>Workloads</h2>\n");
	for (size_t i = 0; i < d->nworkloads; i++) {
		const struct hull_deploy_workload *w = &d->workloads[i];
		size_t counts[HULL_PRIORITY_COUNT] = {0}, total = 0;
		for (size_t k = 0; k < c->n; k++) {
			const struct hull_finding *f = c->sorted[k];
			if (f->suppressed || !f->workload || strcmp(f->workload, w->id))
				continue;
			total++;
			if (f->priority < HULL_PRIORITY_COUNT)
				counts[f->priority]++;
		}
		putf(p, "<section class=\"workload%s\" id=\"workload-%zu\"><h3>",
		     w->internet ? " exposed" : "", i);
		esc(p, w->id);
		put(p, "</h3><div class=\"meta\">");
		esc(p, w->kind);
		put(p, " &middot; <code>");
		esc(p, w->file);
		putf(p, ":%u</code> &middot; %zu finding%s", w->line, total, total == 1 ? "" : "s");
		for (unsigned k = 1; k < HULL_PRIORITY_COUNT; k++)
			if (counts[k])
				putf(p, ", %zu at priority %u", counts[k], k);
		put(p, "</div>");
		if (w->exposure) {
			put(p, "<div>Exposure: ");
			esc(p, w->exposure);
			put(p, "; privileges: ");
			esc(p, w->privilege ? w->privilege : "none");
			put(p, "</div>");
		}
		list(p, "Images", w->images, w->nimages);
		list(p, "Reachable through", w->exposures, w->nexposures);
		list(p, "Privileges", w->privileges, w->nprivileges);
		list(p, "Reached by", w->reached_by, w->nreached_by);
		list(p, "Can reach", w->reaches, w->nreaches);
		for (size_t k = 0; k < w->nchanges; k++) {
			put(p, "<div class=\"change\">Fix: ");
			esc(p, w->changes[k].text);
			put(p, "</div>");
		}
		put(p, "</section>\n");
	}
	put(p, "</section>\n");
}

static long node_index(const struct hull_deployment *d, const char *id)
{
	for (size_t i = 0; i < d->nworkloads; i++)
		if (!strcmp(d->workloads[i].id, id))
			return (long)i;
	return -1;
}

/* Workloads on a grid, the internet above them; an arrow per allowed
 * edge (every port of it in the tooltip). */
static void graph(struct page *p, const struct hull_deployment *d)
{
	put(p, "<section id=\"network\"><h2>Network</h2>\n");
	if (d->nworkloads > SVG_MAX_NODES) {
		putf(p,
		     "<p>%zu workloads: too many to draw (at most %d); the workload sections "
		     "list who reaches whom.</p></section>\n",
		     d->nworkloads, SVG_MAX_NODES);
		return;
	}
	size_t cols = d->nworkloads < 4 ? (d->nworkloads ? d->nworkloads : 1) : 4;
	size_t rows = (d->nworkloads + cols - 1) / cols;
	unsigned cw = 230, rh = 110, width = (unsigned)(cols * cw + 40),
	         height = (unsigned)(rows * rh + 130);
	putf(p,
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %u %u\" width=\"%u\" "
	     "role=\"img\" aria-label=\"network graph\">\n"
	     "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
	     "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 "
	     "5L0 10z\" fill=\"#555\"/></marker></defs>\n",
	     width, height, width);
	unsigned ix = width / 2, iy = 30;
#define NX(i) (unsigned)(20 + ((i) % cols) * cw + cw / 2)
#define NY(i) (unsigned)(110 + ((i) / cols) * rh + 20)
	for (size_t e = 0; e < d->nedges; e++) {
		const struct hull_deploy_edge *ed = &d->edges[e];
		long s = node_index(d, ed->src), t = node_index(d, ed->dst);
		bool s_net = !strcmp(ed->src, "(internet)"), t_net = !strcmp(ed->dst, "(internet)");
		/* what a workload may open to the internet is in its section:
		 * the picture shows who can come in */
		if ((s < 0 && !s_net) || t < 0 || t_net)
			continue;
		int x1 = s < 0 ? (int)ix : (int)NX((size_t)s),
		    y1 = s < 0 ? (int)iy : (int)NY((size_t)s);
		int x2 = (int)NX((size_t)t), y2 = (int)NY((size_t)t);
		/* end on the box's border, where the arrow head shows */
		if (y2 != y1)
			y2 += y2 > y1 ? -18 : 18;
		else
			x2 += x2 > x1 ? -100 : 100;
		putf(p,
		     "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		     "stroke-width=\"%s\" "
		     "marker-end=\"url(#arrow)\" opacity=\"0.7\"><title>",
		     x1, y1, x2, y2, s_net ? "#c0392b" : "#555", s_net ? "2.5" : "1.2");
		esc(p, ed->src);
		put(p, " \xe2\x86\x92 ");
		esc(p, ed->dst);
		put(p, ": ");
		esc(p, ed->ports);
		put(p, "</title></line>\n");
	}
	/* the internet's way in: every workload an exposure reaches */
	for (size_t i = 0; i < d->nworkloads; i++) {
		if (!d->workloads[i].internet)
			continue;
		putf(
		    p,
		    "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#c0392b\" "
		    "stroke-width=\"2.5\" marker-end=\"url(#arrow)\"><title>internet \xe2\x86\x92 ",
		    ix, iy + 18, NX(i), NY(i) - 18);
		esc(p, d->workloads[i].id);
		for (size_t k = 0; k < d->workloads[i].nexposures; k++) {
			put(p, k ? "; " : ": ");
			esc(p, d->workloads[i].exposures[k]);
		}
		put(p, "</title></line>\n");
	}
	putf(p,
	     "<g><ellipse cx=\"%u\" cy=\"%u\" rx=\"60\" ry=\"18\" fill=\"#fdecea\" "
	     "stroke=\"#c0392b\"/><text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
	     "font-size=\"12\">internet</text></g>\n",
	     ix, iy, ix, iy + 4);
	for (size_t i = 0; i < d->nworkloads; i++) {
		const struct hull_deploy_workload *w = &d->workloads[i];
		char label[40];
		snprintf(label, sizeof(label), "%s", w->id);
		if (strlen(w->id) >= sizeof(label) - 1)
			memcpy(label + sizeof(label) - 4, "...", 4);
		/* the cut may split a UTF-8 sequence: esc() shows it as U+FFFD */
		putf(p,
		     "<g><rect x=\"%u\" y=\"%u\" width=\"200\" height=\"36\" rx=\"6\" fill=\"%s\" "
		     "stroke=\"%s\"/><text x=\"%u\" y=\"%u\" text-anchor=\"middle\" "
		     "font-size=\"12\"><title>",
		     NX(i) - 100, NY(i) - 18, w->internet ? "#fdecea" : "#eef3f8",
		     w->internet ? "#c0392b" : "#7f8c8d", NX(i), NY(i) + 4);
		esc(p, w->id);
		put(p, "</title>");
		esc(p, label);
		put(p, "</text></g>\n");
	}
#undef NX
#undef NY
	put(p, "</svg>\n<p class=\"meta\">Red: reachable from the internet. An arrow is an "
	       "allowed connection (hover for its ports).</p></section>\n");
}

static void option_list(struct page *p, const char *id, const char *label, const char *const *v,
                        const char *const *text, size_t n)
{
	putf(p, "<label>%s <select id=\"%s\"><option value=\"\">all</option>", label, id);
	for (size_t i = 0; i < n; i++) {
		put(p, "<option value=\"");
		esc(p, v[i]);
		put(p, "\">");
		esc(p, text ? text[i] : v[i]);
		put(p, "</option>");
	}
	put(p, "</select></label>\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void controls(struct page *p, const struct hull_fctx *c)
{
	static const char *const pv[] = {"1", "2", "3", "4", "0"};
	static const char *const pt[] = {"1", "2", "3", "4", "none"};
	static const char *const sv[] = {"4", "3", "2", "1", "0"};
	static const char *const st[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"};
	put(p, "<div class=\"controls noprint\">\n");
	if (c->in->deploy)
		option_list(p, "f-priority", "Priority", pv, pt, 5);
	else
		put(p, "<select id=\"f-priority\" hidden><option value=\"\">all</option></select>");
	option_list(p, "f-severity", "Severity", sv, st, 5);
	/* the distinct workloads, sorted */
	const char **names = calloc(c->n ? c->n : 1, sizeof(*names));
	size_t nn = 0;
	if (!names) {
		p->rc = hull_err_nomem(p->err);
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		names[nn++] = workload_of(c->sorted[i]);
	qsort(names, nn, sizeof(*names), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < nn; i++)
		if (i == 0 || strcmp(names[i], names[u - 1]))
			names[u++] = names[i];
	option_list(p, "f-workload", c->in->deploy ? "Workload" : "Object", names, NULL, u);
	free(names);
	put(p, "<label>Text <input id=\"f-text\" type=\"search\"></label> <span id=\"shown\" "
	       "class=\"meta\"></span></div>\n");
}

/* Priorities first (none last), then the findings' own order. */
static int cmp_row(const void *pa, const void *pb)
{
	const struct hull_finding *a = *(const struct hull_finding *const *)pa;
	const struct hull_finding *b = *(const struct hull_finding *const *)pb;
	unsigned x = a->priority ? a->priority : HULL_PRIORITY_COUNT;
	unsigned y = b->priority ? b->priority : HULL_PRIORITY_COUNT;
	if (x != y)
		return x < y ? -1 : 1;
	return hull_finding_cmp(a, b);
}

static void fix_cell(struct page *p, const struct hull_finding *f)
{
	if (f->kind == HULL_FINDING_VULNERABILITY) {
		if (f->vuln.fixed_version) {
			put(p, "upgrade ");
			esc(p, f->vuln.pkg_name);
			put(p, " to ");
			esc(p, f->vuln.fixed_version);
		} else {
			put(p, "no fix yet (");
			esc(p, hull_vuln_status_name(f->vuln.status));
			put(p, ")");
		}
		if (f->remediation) {
			/* hull scan: the measured image change that removes it */
			put(p, "<div class=\"why\">");
			esc(p, f->remediation);
			put(p, "</div>");
		}
		return;
	}
	esc(p, f->remediation ? f->remediation : "");
}

static void findings(struct page *p, const struct hull_fctx *c)
{
	put(p, "<section id=\"findings\"><h2>Findings</h2>\n");
	controls(p, c);
	put(p, "<table id=\"findings-table\"><thead><tr>");
	if (c->in->deploy)
		put(p, "<th data-col=\"priority\">Priority</th>");
	put(p, "<th data-col=\"severity\">Severity</th><th data-col=\"id\">ID</th>"
	       "<th data-col=\"workload\">");
	put(p, c->in->deploy ? "Workload" : "Where");
	put(p, "</th><th data-col=\"pkg\">Package / setting</th><th>Fix</th><th>What</th></tr>"
	       "</thead>\n<tbody id=\"findings-body\">\n");
	const struct hull_finding **v = calloc(c->n ? c->n : 1, sizeof(*v));
	if (!v) {
		p->rc = hull_err_nomem(p->err);
		return;
	}
	memcpy(v, c->sorted, c->n * sizeof(*v));
	qsort(v, c->n, sizeof(*v), cmp_row);
	for (size_t i = 0; i < c->n && p->rc == 0; i++) {
		const struct hull_finding *f = v[i];
		const char *sev = hull_severity_name(f->severity);
		put(p, "<tr data-order=\"");
		putf(p, "%zu\" data-priority=\"%u\" data-severity=\"%d\" data-id=\"", i,
		     f->priority, (int)f->severity);
		esc(p, f->id);
		put(p, "\" data-workload=\"");
		esc(p, workload_of(f));
		put(p, "\" data-pkg=\"");
		esc(p, f->vuln.pkg_name ? f->vuln.pkg_name : f->loc.file);
		put(p, "\"");
		if (f->suppressed)
			put(p, " class=\"suppressed\"");
		put(p, ">");
		if (c->in->deploy) {
			if (f->priority)
				putf(p, "<td><span class=\"prio p%u\">P%u</span>", f->priority,
				     f->priority);
			else
				put(p, "<td>&ndash;");
			if (f->priority_why) {
				put(p, "<div class=\"why\">");
				esc(p, f->priority_why);
				put(p, "</div>");
			}
			put(p, "</td>");
		}
		putf(p, "<td><span class=\"sev %s\">%s</span></td><td>",
		     sev_class[(size_t)f->severity < HULL_SEV_COUNT ? f->severity : 0], sev);
		if (f->primary_url && hull_report_uri_ok(f->primary_url)) {
			put(p, "<a href=\"");
			esc(p, f->primary_url);
			put(p, "\" rel=\"noreferrer noopener\">");
			esc(p, f->id);
			put(p, "</a>");
		} else {
			esc(p, f->id);
		}
		put(p, "</td><td>");
		esc(p, workload_of(f));
		put(p, "</td><td>");
		if (f->kind == HULL_FINDING_VULNERABILITY) {
			esc(p, f->vuln.pkg_name);
			put(p, " <code>");
			esc(p, f->vuln.pkg_version);
			put(p, "</code>");
		} else {
			put(p, "<code>");
			esc(p, f->loc.file);
			if (f->loc.line)
				putf(p, ":%u", f->loc.line);
			put(p, "</code>");
		}
		put(p, "</td><td>");
		fix_cell(p, f);
		put(p, "</td><td>");
		esc(p, f->title);
		if (f->message) {
			put(p, "<div class=\"why\">");
			esc(p, f->message);
			put(p, "</div>");
		}
		if (f->suppressed) {
			put(p, "<div class=\"why\">suppressed: ");
			esc(p, f->suppression);
			put(p, "</div>");
		}
		put(p, "</td></tr>\n");
	}
	free(v);
	put(p, "</tbody></table></section>\n");
}

static void warnings(struct page *p, const struct hull_diag *d)
{
	if (!d || !d->n)
		return;
	put(p, "<section id=\"warnings\"><h2>Warnings</h2><ul>\n");
	for (size_t i = 0; i < d->n; i++) {
		put(p, "<li>");
		esc(p, d->msgs[i]);
		put(p, "</li>\n");
	}
	if (d->dropped)
		putf(p, "<li>%zu more warnings not kept</li>\n", d->dropped);
	put(p, "</ul></section>\n");
}

static int write_html(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct page p = {.out = out, .err = err};
	const struct hull_scan_target *t = &c->in->target;
	put(&p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<title>hull report: ");
	esc(&p, t->name);
	put(&p, "</title>\n");
	put(&p, style);
	put(&p, "</head><body>\n<h1>hull report: ");
	esc(&p, t->name);
	put(&p, "</h1>\n<p class=\"meta\">");
	esc(&p, hull_target_kind_name(t->kind));
	if (c->os) {
		put(&p, " &middot; ");
		esc(&p, c->os);
	}
	put(&p, " &middot; hull ");
	esc(&p, c->tool_version);
	put(&p, " &middot; ");
	esc(&p, c->created);
	put(&p, "</p>\n");
	summary(&p, c);
	if (c->in->deploy) {
		graph(&p, c->in->deploy);
		workloads(&p, c);
	}
	findings(&p, c);
	warnings(&p, c->in->diag);
	put(&p, script);
	put(&p, "</body></html>\n");
	return p.rc;
}

const struct hull_findings_writer hull_writer_html = {
    .format = HULL_FINDINGS_HTML,
    .name = "html",
    .alias = NULL,
    .write = write_html,
};
