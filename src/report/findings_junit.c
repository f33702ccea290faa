/* findings_junit: a findings list as JUnit XML, so CI systems that show
 * test results (Jenkins, GitLab, Azure DevOps, CircleCI) show findings.
 *
 * Layout, in the shape Jenkins' junit-10.xsd and Ant's formatter use:
 *   <testsuites>        totals
 *     <testsuite>       one per scan target: the image / rootfs / SBOM for
 *                       vulnerabilities, each file for the other kinds
 *       <properties>    hull.target, hull.kind, hull.threshold, hull.summary
 *       <testcase>      vulnerabilities: one per package (every package of
 *                       the inventory when the caller gives it, else the
 *                       packages with findings); other kinds: one per rule
 *                       and object
 *         <failure>     an unsuppressed finding at or above the threshold
 *         <skipped>     only suppressed findings (with show_suppressed)
 *         <system-out>  findings below the threshold
 *       <system-err>    the scan's warnings (first suite)
 *
 * Everything is XML-escaped; characters XML 1.0 cannot carry (controls
 * other than tab / newline / CR, U+FFFE, U+FFFF) and invalid UTF-8 become
 * U+FFFD, so the document is always well-formed. Timestamps are UTC
 * without a zone suffix, as Ant's schema requires. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings_internal.h"
#include "report/writer.h"
#include "util/utf8.h"
#include "util/mem.h"

#define MAX_IDS_IN_MESSAGE 10

struct xw {
	struct hull_buf *out;
	struct hull_err *err;
	int rc;
};

static void put(struct xw *x, const char *s)
{
	if (x->rc == 0 && hull_buf_append_str(x->out, s, x->err) < 0)
		x->rc = -1;
}

static bool xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Escaped text; in an attribute, whitespace controls are character
 * references so attribute normalisation keeps them. */
static void esc(struct xw *x, const char *s, bool attr)
{
	if (!s)
		return;
	size_t len = strlen(s), i = 0;
	while (i < len && x->rc == 0) {
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		const char *rep = NULL;
		char enc[4];
		if (!valid || !xml_char(cp)) {
			cp = HULL_UTF8_REPLACEMENT;
			valid = false;
		}
		switch (cp) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\r':
			rep = "&#13;";
			break;
		}
		if (rep) {
			put(x, rep);
		} else if (!valid) {
			size_t k = hull_utf8_encode(cp, enc);
			if (x->rc == 0 && hull_buf_append(x->out, enc, k, x->err) < 0)
				x->rc = -1;
		} else if (x->rc == 0 && hull_buf_append(x->out, s + i, n, x->err) < 0) {
			x->rc = -1;
		}
		i += n;
	}
}

static void attr(struct xw *x, const char *name, const char *value)
{
	put(x, " ");
	put(x, name);
	put(x, "=\"");
	esc(x, value ? value : "", true);
	put(x, "\"");
}

static void attr_n(struct xw *x, const char *name, size_t v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%zu", v);
	attr(x, name, tmp);
}

/* One test case: a name, and the findings it carries (may be none). */
struct tcase {
	char *name;                  /* owned */
	const struct hull_fgroup *g; /* NULL: a package without findings */
};

struct tsuite {
	const char *name;
	struct tcase *cases;
	size_t n, cap;
	size_t failures, skipped;
};

struct jctx {
	const struct hull_fctx *c;
	enum hull_severity threshold;
	struct tsuite *suites;
	size_t nsuites;
	struct xw x;
};

static bool failing(const struct jctx *j, const struct hull_finding *f)
{
	return !f->suppressed && f->severity >= j->threshold;
}

static struct tsuite *suite_for(struct jctx *j, const char *name, struct hull_err *err)
{
	/* Groups come file by file (file_rule_object_key): the last suite is
	 * almost always the one; the scan stays linear. */
	for (size_t i = j->nsuites; i-- > 0;)
		if (!strcmp(j->suites[i].name, name))
			return &j->suites[i];
	struct tsuite *s = realloc(j->suites, (j->nsuites + 1) * sizeof(*s));
	if (!s) {
		hull_err_nomem(err);
		return NULL;
	}
	j->suites = s;
	s = &j->suites[j->nsuites++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	return s;
}

static int add_case(struct tsuite *s, char *name, const struct hull_fgroup *g, struct hull_err *err)
{
	if (!name)
		return hull_err_nomem(err);
	if (HULL_ARRAY_PUSH_ROOM(s->cases, s->n, s->cap, HULL_FINDINGS_MAX * 2, err) < 0) {
		free(name);
		return -1;
	}
	s->cases[s->n++] = (struct tcase){name, g};
	return 0;
}

static bool is_os_type(const char *t)
{
	return t && (!strcmp(t, "deb") || !strcmp(t, "apk") || !strcmp(t, "rpm"));
}

/* "libssl3 3.0.11-1", plus the file for language packages, which can be
 * installed twice in different places. */
static char *pkg_case_name(const char *name, const char *version, const char *type,
                           const char *file)
{
	char *s = NULL;
	bool show_file = file && *file && !is_os_type(type);
	if (asprintf(&s, "%s%s%s%s%s%s", name && *name ? name : "(unnamed package)",
	             version && *version ? " " : "", version ? version : "", show_file ? " (" : "",
	             show_file ? file : "", show_file ? ")" : "") < 0)
		return NULL;
	return s;
}

/* file, then rule and object: the cases of one file are adjacent. */
static int file_rule_object_key(const struct hull_finding *f, struct hull_buf *out,
                                struct hull_err *err)
{
	hull_buf_reset(out);
	return hull_buf_printf(out, err, "%s%c%s%c%s%c%s", f->loc.file ? f->loc.file : "", 0x1f,
	                       f->id, 0x1f, f->loc.object ? f->loc.object : "", 0x1f,
	                       f->loc.object ? "o" : "-");
}

static bool want_vuln(const struct hull_finding *f, const void *ctx)
{
	const struct hull_fctx *c = ctx;
	return f->kind == HULL_FINDING_VULNERABILITY && (!f->suppressed || c->in->show_suppressed);
}

static bool want_other(const struct hull_finding *f, const void *ctx)
{
	const struct hull_fctx *c = ctx;
	return f->kind != HULL_FINDING_VULNERABILITY && (!f->suppressed || c->in->show_suppressed);
}

/* Key of an inventory package as hull_finding_pkg_key builds it for a
 * finding on that package (file: the package's, or none). */
static int inv_key(struct hull_buf *b, const struct hull_report_pkg *rp, const char *file,
                   struct hull_err *err)
{
	struct hull_finding f = {0};
	f.vuln.pkg_purl = rp->purl;
	f.vuln.pkg_type = (char *)hull_pkg_type_name(rp->pkg->type);
	f.vuln.pkg_name = rp->pkg->name;
	f.vuln.pkg_version = rp->pkg->version;
	f.loc.file = (char *)file;
	return hull_finding_pkg_key(&f, b, err);
}

/* Every inventory package without findings becomes a passing case; one
 * with findings is the findings group's case (matched with or without
 * the file, as the matcher may not record it). */
static int add_inventory(struct jctx *j, struct tsuite *s, const struct hull_fgroups *vulns,
                         struct hull_err *err)
{
	struct hull_image img;
	struct hull_inventory inv;
	struct hull_sbom_input sin;
	struct hull_report_ctx sc;
	hull_fctx_sbom_input(j->c, &img, &inv, &sin);
	struct hull_buf b;
	if (hull_report_ctx_init(&sc, &sin, err) < 0)
		return -1;
	hull_buf_init(&b, 1u << 24);
	int rc = 0;
	for (size_t i = 0; i < sc.npkgs && rc == 0; i++) {
		const struct hull_report_pkg *rp = &sc.pkgs[i];
		const struct hull_fgroup *g = NULL;
		if ((rc = inv_key(&b, rp, rp->pkg->file, err)) == 0)
			g = hull_fgroups_find(vulns, b.data, NULL);
		if (rc == 0 && !g && (rc = inv_key(&b, rp, NULL, err)) == 0)
			g = hull_fgroups_find(vulns, b.data, NULL);
		if (rc < 0 || g)
			continue; /* the findings' group makes this package's case */
		rc = add_case(s,
		              pkg_case_name(rp->pkg->name, rp->pkg->version,
		                            hull_pkg_type_name(rp->pkg->type), rp->pkg->file),
		              NULL, err);
	}
	hull_buf_release(&b);
	hull_report_ctx_release(&sc);
	return rc;
}

static int collect_vulns(struct jctx *j, const struct hull_fgroups *vulns, struct hull_err *err)
{
	const struct hull_fctx *c = j->c;
	struct tsuite *s = suite_for(j, c->in->target.name, err);
	if (!s)
		return -1;
	int rc = c->in->target.inv ? add_inventory(j, s, vulns, err) : 0;
	for (size_t i = 0; i < vulns->n && rc == 0; i++) {
		const struct hull_finding *f = vulns->g[i].items[0];
		rc = add_case(s,
		              pkg_case_name(f->vuln.pkg_name, f->vuln.pkg_version, f->vuln.pkg_type,
		                            f->loc.file),
		              &vulns->g[i], err);
	}
	return rc;
}

static char *rule_case_name(const struct hull_finding *f)
{
	char *s = NULL;
	bool obj = f->loc.object && *f->loc.object;
	if (asprintf(&s, "%s: %s%s%s%s", f->id, f->title, obj ? " [" : "", obj ? f->loc.object : "",
	             obj ? "]" : "") < 0)
		return NULL;
	return s;
}

static int collect_others(struct jctx *j, const struct hull_fgroups *others, struct hull_err *err)
{
	for (size_t i = 0; i < others->n; i++) {
		const struct hull_finding *f = others->g[i].items[0];
		const char *suite =
		    f->loc.file && *f->loc.file ? f->loc.file : j->c->in->target.name;
		struct tsuite *s = suite_for(j, suite, err);
		if (!s || add_case(s, rule_case_name(f), &others->g[i], err) < 0)
			return -1;
	}
	return 0;
}

static int cmp_case(const void *pa, const void *pb)
{
	const struct tcase *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);
	if (r || a->g == b->g)
		return r;
	/* Same name (two copies of a package): the group key decides. */
	if (!a->g || !b->g)
		return a->g ? 1 : -1;
	return strcmp(a->g->key, b->g->key);
}

static void finding_line(struct jctx *j, const struct hull_finding *f)
{
	struct xw *x = &j->x;
	char pos[48] = "";
	put(x, hull_severity_name(f->severity));
	put(x, " ");
	esc(x, f->id, false);
	if (f->kind == HULL_FINDING_VULNERABILITY) {
		if (f->vuln.fixed_version && *f->vuln.fixed_version) {
			put(x, " (fixed in ");
			esc(x, f->vuln.fixed_version, false);
			put(x, ")");
		} else {
			put(x, " (");
			put(x, hull_vuln_status_name(f->vuln.status));
			put(x, ")");
		}
	} else if (f->loc.line) {
		if (f->loc.col)
			snprintf(pos, sizeof(pos), " (line %u, column %u)", f->loc.line,
			         f->loc.col);
		else
			snprintf(pos, sizeof(pos), " (line %u)", f->loc.line);
		put(x, pos);
	}
	put(x, ": ");
	esc(x, f->kind == HULL_FINDING_VULNERABILITY || !f->message ? f->title : f->message, false);
	if (f->primary_url) {
		put(x, " ");
		esc(x, f->primary_url, false);
	}
	if (f->suppressed) {
		put(x, " [suppressed: ");
		esc(x, f->suppression ? f->suppression : "no reason given", false);
		put(x, "]");
	}
	put(x, "\n");
}

/* "2 findings at or above HIGH: CVE-1, CVE-2" */
static void failure_message(struct jctx *j, const struct hull_fgroup *g, size_t nfail)
{
	struct hull_buf b;
	struct xw *x = &j->x;
	hull_buf_init(&b, 1u << 20);
	bool vuln = g->items[0]->kind == HULL_FINDING_VULNERABILITY;
	int rc = hull_buf_printf(&b, x->err, "%zu %s at or above %s:", nfail,
	                         vuln ? (nfail == 1 ? "vulnerability" : "vulnerabilities")
	                              : (nfail == 1 ? "finding" : "findings"),
	                         hull_severity_name(j->threshold));
	size_t shown = 0;
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		if (!failing(j, g->items[i]))
			continue;
		if (shown++ == MAX_IDS_IN_MESSAGE) {
			rc = hull_buf_append_str(&b, " ...", x->err);
			break;
		}
		rc = hull_buf_printf(&b, x->err, "%s %s (%s)", shown > 1 ? "," : "",
		                     g->items[i]->id, hull_severity_name(g->items[i]->severity));
	}
	if (rc < 0)
		x->rc = -1;
	attr(x, "message", b.data ? b.data : "");
	hull_buf_release(&b);
}

static void write_case(struct jctx *j, const struct tsuite *s, const struct tcase *tc)
{
	struct xw *x = &j->x;
	const struct hull_fgroup *g = tc->g;
	size_t nfail = 0, nsupp = 0;
	for (size_t i = 0; g && i < g->n; i++) {
		nfail += failing(j, g->items[i]);
		nsupp += g->items[i]->suppressed;
	}
	put(x, "    <testcase");
	attr(x, "name", tc->name);
	attr(x, "classname", s->name);
	attr(x, "time", "0");
	if (!g) {
		put(x, "/>\n");
		return;
	}
	put(x, ">\n");
	if (nfail) {
		put(x, "      <failure");
		failure_message(j, g, nfail);
		attr(x, "type", hull_severity_name(g->max));
		put(x, ">");
		for (size_t i = 0; i < g->n; i++)
			finding_line(j, g->items[i]);
		put(x, "</failure>\n");
	} else if (nsupp == g->n) {
		put(x, "      <skipped");
		attr(x, "message", g->n == 1 ? "suppressed" : "all findings suppressed");
		put(x, ">");
		for (size_t i = 0; i < g->n; i++)
			finding_line(j, g->items[i]);
		put(x, "</skipped>\n");
	} else {
		put(x, "      <system-out>");
		for (size_t i = 0; i < g->n; i++)
			finding_line(j, g->items[i]);
		put(x, "</system-out>\n");
	}
	put(x, "    </testcase>\n");
}

static void count_suite(struct jctx *j, struct tsuite *s)
{
	for (size_t k = 0; k < s->n; k++) {
		const struct hull_fgroup *g = s->cases[k].g;
		size_t nfail = 0, nsupp = 0;
		for (size_t i = 0; g && i < g->n; i++) {
			nfail += failing(j, g->items[i]);
			nsupp += g->items[i]->suppressed;
		}
		if (nfail)
			s->failures++;
		else if (g && nsupp == g->n)
			s->skipped++;
	}
}

static void property(struct xw *x, const char *name, const char *value)
{
	put(x, "      <property");
	attr(x, "name", name);
	attr(x, "value", value);
	put(x, "/>\n");
}

static void write_suite(struct jctx *j, const struct tsuite *s, bool first, const char *summary)
{
	const struct hull_fctx *c = j->c;
	struct xw *x = &j->x;
	char stamp[32];
	/* Ant's schema: no zone suffix. The time is UTC. */
	snprintf(stamp, sizeof(stamp), "%.19s", c->created);
	put(x, "  <testsuite");
	attr(x, "name", s->name);
	attr_n(x, "tests", s->n);
	attr_n(x, "failures", s->failures);
	attr_n(x, "errors", 0);
	attr_n(x, "skipped", s->skipped);
	attr(x, "time", "0");
	attr(x, "timestamp", stamp);
	attr(x, "hostname", "hull");
	put(x, ">\n    <properties>\n");
	property(x, "hull.target", c->in->target.name);
	property(x, "hull.kind", hull_target_kind_name(c->in->target.kind));
	if (c->os)
		property(x, "hull.os", c->os);
	property(x, "hull.threshold", hull_severity_name(j->threshold));
	property(x, "hull.summary", summary);
	property(x, "hull.version", c->tool_version);
	put(x, "    </properties>\n");
	for (size_t k = 0; k < s->n; k++)
		write_case(j, s, &s->cases[k]);
	const struct hull_diag *d = c->in->diag;
	if (first && d && (d->n || d->dropped)) {
		put(x, "    <system-err>");
		for (size_t i = 0; i < d->n; i++) {
			put(x, "warning: ");
			esc(x, d->msgs[i] ? d->msgs[i] : "", false);
			put(x, "\n");
		}
		if (d->dropped) {
			char more[64];
			snprintf(more, sizeof(more), "warning: %zu more warnings not listed\n",
			         d->dropped);
			put(x, more);
		}
		put(x, "</system-err>\n");
	}
	put(x, "  </testsuite>\n");
}

static void write_doc(struct jctx *j, const char *summary)
{
	struct xw *x = &j->x;
	size_t tests = 0, failures = 0, skipped = 0;
	for (size_t i = 0; i < j->nsuites; i++) {
		count_suite(j, &j->suites[i]);
		if (j->suites[i].n > 1)
			qsort(j->suites[i].cases, j->suites[i].n, sizeof(struct tcase), cmp_case);
		tests += j->suites[i].n;
		failures += j->suites[i].failures;
		skipped += j->suites[i].skipped;
	}
	put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(x, "name", "hull");
	attr_n(x, "tests", tests);
	attr_n(x, "failures", failures);
	attr_n(x, "errors", 0);
	attr_n(x, "skipped", skipped);
	attr(x, "time", "0");
	put(x, ">\n");
	for (size_t i = 0; i < j->nsuites; i++)
		write_suite(j, &j->suites[i], i == 0, summary);
	put(x, "</testsuites>\n");
}

static int write_junit(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err)
{
	struct jctx j = {.c = c, .threshold = c->in->junit_threshold, .x = {out, err, 0}};
	struct hull_fgroups vulns = {0}, others = {0};
	struct hull_buf summary;
	hull_buf_init(&summary, 4096);
	int rc = hull_findings_summary_line(c, &summary, err);
	if (rc == 0)
		rc = hull_fgroups_build(c, want_vuln, c, hull_finding_pkg_key, &vulns, err);
	if (rc == 0)
		rc = hull_fgroups_build(c, want_other, c, file_rule_object_key, &others, err);
	/* The target's suite first, even when empty: it carries the warnings
	 * and says what was scanned. */
	if (rc == 0 && !suite_for(&j, c->in->target.name, err))
		rc = -1;
	if (rc == 0 && (vulns.n || c->in->target.inv))
		rc = collect_vulns(&j, &vulns, err);
	if (rc == 0)
		rc = collect_others(&j, &others, err);
	if (rc == 0) {
		write_doc(&j, summary.data ? summary.data : "");
		rc = j.x.rc;
	}
	for (size_t i = 0; i < j.nsuites; i++) {
		for (size_t k = 0; k < j.suites[i].n; k++)
			free(j.suites[i].cases[k].name);
		free(j.suites[i].cases);
	}
	free(j.suites);
	hull_fgroups_release(&vulns);
	hull_fgroups_release(&others);
	hull_buf_release(&summary);
	return rc;
}

const struct hull_findings_writer hull_writer_junit = {
    .format = HULL_FINDINGS_JUNIT,
    .name = "junit",
    .alias = NULL,
    .write = write_junit,
};
