/* Unit tests of the findings model (findings.h) and of what its writers
 * say, format by format, on in-memory lists (findings_sample.h). The
 * schemas and goldens are checked by validate_findings.sh. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings_sample.h"
#include "report/findings_internal.h"
#include "util/utf8.h"
#include "tap.h"
#include "util/json.h"

/* ---- helpers ------------------------------------------------------------ */

static char *render_in(const struct hull_findings_input *in, enum hull_findings_format f,
                       size_t max, struct hull_err *err)
{
	struct hull_buf out;
	hull_buf_init(&out, max);
	if (hull_report_findings(f, in, &out, err) < 0) {
		hull_buf_release(&out);
		return NULL;
	}
	return hull_buf_detach(&out, NULL);
}

static char *render(struct fsample *s, enum hull_findings_format f)
{
	struct hull_err err = {0};
	char *doc = render_in(&s->in, f, 64u << 20, &err);
	if (!doc)
		printf("# render %s: %s\n", hull_findings_format_name(f), err.msg);
	return doc;
}

static struct json_object *parse(const char *doc)
{
	struct json_object *o = NULL;
	struct hull_err err = {0};
	if (!doc || hull_json_parse(doc, strlen(doc), "doc", &o, &err) < 0) {
		printf("# parse: %s\n", err.msg);
		return NULL;
	}
	return o;
}

static struct json_object *jo(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static struct json_object *ja(struct json_object *o, size_t i)
{
	if (!o || !json_object_is_type(o, json_type_array) || i >= json_object_array_length(o))
		return NULL;
	return json_object_array_get_idx(o, i);
}

static size_t jlen(struct json_object *o)
{
	return o && json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 0;
}

static const char *js(struct json_object *o, const char *key)
{
	struct json_object *v = jo(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static size_t count_sub(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *last_line(const char *doc)
{
	size_t len = strlen(doc);
	if (len && doc[len - 1] == '\n')
		len--;
	while (len && doc[len - 1] != '\n')
		len--;
	return doc + len;
}

/* ---- the model ---------------------------------------------------------- */

static void test_severity(void)
{
	static const struct {
		const char *word;
		enum hull_severity want;
	} ok[] = {
	    {"CRITICAL", HULL_SEV_CRITICAL}, {"high", HULL_SEV_HIGH},
	    {"Medium", HULL_SEV_MEDIUM},     {"low", HULL_SEV_LOW},
	    {"UNKNOWN", HULL_SEV_UNKNOWN},   {"negligible", HULL_SEV_LOW},
	    {"Moderate", HULL_SEV_MEDIUM},   {"important", HULL_SEV_HIGH},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		enum hull_severity s = HULL_SEV_UNKNOWN;
		struct hull_err err = {0};
		int rc = hull_severity_parse(ok[i].word, &s, &err);
		TAP_OK(rc == 0 && s == ok[i].want, "severity '%s' parses", ok[i].word);
	}
	const char *bad[] = {"severe", "", "HIGH ", "crit", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum hull_severity s;
		struct hull_err err = {0};
		int rc = hull_severity_parse(bad[i], &s, &err);
		TAP_OK(rc < 0 && err.kind == HULL_ERR_USAGE && strstr(err.msg, "CRITICAL"),
		       "severity '%s' is refused, naming the choices", bad[i] ? bad[i] : "(null)");
	}
	TAP_OK(streq(hull_severity_name(HULL_SEV_CRITICAL), "CRITICAL") &&
	           streq(hull_severity_name((enum hull_severity)99), "UNKNOWN"),
	       "severity names, out of range is UNKNOWN");
	TAP_OK(streq(hull_finding_kind_name(HULL_FINDING_MISCONFIG), "misconfiguration") &&
	           streq(hull_vuln_status_name(HULL_VULN_WILL_NOT_FIX), "will_not_fix"),
	       "kind and status names");
	enum hull_vuln_status st;
	TAP_OK(hull_vuln_status_parse("fix_deferred", &st, NULL) == 0 &&
	           st == HULL_VULN_FIX_DEFERRED && hull_vuln_status_parse("Fixed", &st, NULL) < 0,
	       "status parse");
	enum hull_findings_format f;
	TAP_OK(hull_findings_format_parse("md", &f, NULL) == 0 && f == HULL_FINDINGS_MARKDOWN &&
	           hull_findings_format_parse("cdx", &f, NULL) == 0 &&
	           f == HULL_FINDINGS_CYCLONEDX &&
	           hull_findings_format_parse("sarif", &f, NULL) == 0 && f == HULL_FINDINGS_SARIF,
	       "format names and aliases");
	struct hull_err err = {0};
	TAP_OK(hull_findings_format_parse("spdx", &f, &err) < 0 && err.kind == HULL_ERR_USAGE &&
	           strstr(err.msg, "junit"),
	       "unknown format refused, naming the choices");
}

static struct hull_finding mk(const char *id, enum hull_severity sev, const char *file,
                              unsigned line, bool suppressed)
{
	struct hull_finding f = {.kind = HULL_FINDING_MISCONFIG, .severity = sev};
	f.id = id ? strdup(id) : NULL;
	f.title = strdup("t");
	f.loc.file = file ? strdup(file) : NULL;
	f.loc.line = line;
	f.suppressed = suppressed;
	return f;
}

static void test_list(void)
{
	struct hull_findings l = {0};
	struct hull_err err = {0};
	struct hull_finding f = mk(NULL, HULL_SEV_LOW, "a", 1, false);
	TAP_OK(hull_findings_add(&l, &f, &err) < 0 && err.kind == HULL_ERR_INPUT && l.n == 0 &&
	           !f.title,
	       "a finding without an id is refused and released: %s", err.msg);
	f = mk("X", HULL_SEV_LOW, NULL, 0, false);
	free(f.title);
	f.title = strdup("");
	TAP_OK(hull_findings_add(&l, &f, &err) < 0 && l.n == 0, "an empty title is refused");
	f = mk("X", (enum hull_severity)7, NULL, 0, false);
	err = (struct hull_err){0};
	TAP_OK(hull_findings_add(&l, &f, &err) < 0 && err.kind == HULL_ERR_INPUT && l.n == 0,
	       "a severity out of range is refused");
	f = mk("X", HULL_SEV_LOW, NULL, 0, false);
	f.vex_state = (enum hull_vex_state)3;
	TAP_OK(hull_findings_add(&l, &f, &err) < 0 && l.n == 0,
	       "a VEX state out of range is refused");
	TAP_OK(hull_findings_max_severity(&l) == -1, "empty list: max severity -1");

	struct hull_finding in[] = {
	    mk("B", HULL_SEV_LOW, "z", 3, false),     mk("A", HULL_SEV_CRITICAL, "b", 9, true),
	    mk("B", HULL_SEV_LOW, "z", 1, false),     mk("A", HULL_SEV_HIGH, "a", 2, false),
	    mk("C", HULL_SEV_HIGH, "a", 1, false),    mk("A", HULL_SEV_HIGH, NULL, 0, false),
	    mk("A", HULL_SEV_UNKNOWN, "a", 1, false),
	};
	bool ok = true;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ok &= hull_findings_add(&l, &in[i], &err) == 0;
		ok &= in[i].id == NULL; /* moved */
	}
	TAP_OK(ok && l.n == 7, "findings are moved into the list");
	TAP_OK(hull_findings_max_severity(&l) == HULL_SEV_HIGH,
	       "max severity skips the suppressed CRITICAL");
	TAP_OK(hull_findings_any_at_least(&l, HULL_SEV_HIGH) &&
	           !hull_findings_any_at_least(&l, HULL_SEV_CRITICAL),
	       "any_at_least");
	hull_findings_sort(&l);
	const char *want[][2] = {{"A", "b"}, {"A", NULL}, {"A", "a"}, {"C", "a"},
	                         {"B", "z"}, {"B", "z"},  {"A", "a"}};
	ok = true;
	for (size_t i = 0; i < l.n; i++) {
		const struct hull_finding *x = &l.items[i];
		ok &= streq(x->id, want[i][0]);
		ok &= want[i][1] ? streq(x->loc.file, want[i][1]) : x->loc.file == NULL;
	}
	/* NULL sorts before any file, line orders within a file */
	ok &= l.items[4].loc.line == 1 && l.items[5].loc.line == 3;
	TAP_OK(ok, "sort: severity, then id, file (none first), line");

	hull_findings_release(&l);
	TAP_OK(l.n == 0 && l.items == NULL, "release empties the list");
}

static bool keep_not_low(const struct hull_finding *f, void *ctx)
{
	(*(int *)ctx)++;
	return f->severity != HULL_SEV_LOW;
}

static void test_filter(void)
{
	struct hull_findings l = {0};
	struct hull_finding in[] = {
	    mk("1", HULL_SEV_LOW, "a", 1, false),
	    mk("2", HULL_SEV_HIGH, "a", 1, false),
	    mk("3", HULL_SEV_LOW, "a", 1, false),
	    mk("4", HULL_SEV_MEDIUM, "a", 1, false),
	};
	for (size_t i = 0; i < 4; i++)
		hull_findings_add(&l, &in[i], NULL);
	int calls = 0;
	size_t dropped = hull_findings_filter(&l, keep_not_low, &calls);
	TAP_OK(dropped == 2 && l.n == 2 && calls == 4 && streq(l.items[0].id, "2") &&
	           streq(l.items[1].id, "4"),
	       "filter drops and keeps the order");
	hull_findings_release(&l);
}

/* ---- writers ------------------------------------------------------------ */

static void test_usage_errors(void)
{
	struct fsample s;
	fsample_build(&s, FS_CONFIG);
	struct hull_err err = {0};
	s.in.target.name = NULL;
	TAP_OK(!render_in(&s.in, HULL_FINDINGS_JSON, 1 << 20, &err) && err.kind == HULL_ERR_USAGE,
	       "no target name: usage error");
	s.in.target.name = "deploy/";
	err = (struct hull_err){0};
	TAP_OK(!render_in(&s.in, HULL_FINDINGS_CYCLONEDX, 1 << 20, &err) &&
	           err.kind == HULL_ERR_USAGE && strstr(err.msg, "config"),
	       "cyclonedx of a config scan is refused: %s", err.msg);
	for (int f = 0; f < HULL_FINDINGS_FORMAT_COUNT; f++) {
		if (f == HULL_FINDINGS_CYCLONEDX || f == HULL_FINDINGS_MARKDOWN)
			continue;
		err = (struct hull_err){0};
		TAP_OK(!render_in(&s.in, (enum hull_findings_format)f, 300, &err) &&
		           err.kind == HULL_ERR_LIMIT,
		       "%s: a document over the buffer cap fails with LIMIT",
		       hull_findings_format_name((enum hull_findings_format)f));
	}
	fsample_free(&s);
}

static void test_every_format_valid_utf8(void)
{
	for (int k = 0; k < FS_COUNT; k++) {
		struct fsample s;
		fsample_build(&s, (enum fsample_kind)k);
		for (int f = 0; f < HULL_FINDINGS_FORMAT_COUNT; f++) {
			if (f == HULL_FINDINGS_CYCLONEDX && k == FS_CONFIG)
				continue;
			char *doc = render(&s, (enum hull_findings_format)f);
			TAP_OK(doc && hull_utf8_valid(doc, strlen(doc)),
			       "%s/%s renders as valid UTF-8", fsample_names[k],
			       hull_findings_format_name((enum hull_findings_format)f));
			bool json = f == HULL_FINDINGS_JSON || f == HULL_FINDINGS_SARIF ||
			            f == HULL_FINDINGS_CYCLONEDX;
			if (json) {
				struct json_object *o = parse(doc);
				TAP_OK(o != NULL, "%s/%s is JSON", fsample_names[k],
				       hull_findings_format_name((enum hull_findings_format)f));
				json_object_put(o);
			}
			if (f == HULL_FINDINGS_TABLE || f == HULL_FINDINGS_MARKDOWN) {
				TAP_OK(doc && !strchr(doc, '\x1b'),
				       "%s/%s: no escape byte reaches the output", fsample_names[k],
				       hull_findings_format_name((enum hull_findings_format)f));
			}
			free(doc);
		}
		fsample_free(&s);
	}
}

/* The writers sort: the same findings in another order give the same
 * document (cyclonedx has a random serial number: compared without it). */
static void test_order_independent(void)
{
	for (int k = 0; k < FS_COUNT; k++) {
		struct fsample s;
		fsample_build(&s, (enum fsample_kind)k);
		for (int f = 0; f < HULL_FINDINGS_FORMAT_COUNT; f++) {
			if (f == HULL_FINDINGS_CYCLONEDX)
				continue;
			char *a = render(&s, (enum hull_findings_format)f);
			/* reverse the list */
			for (size_t i = 0, j = s.list.n ? s.list.n - 1 : 0; i < j; i++, j--) {
				struct hull_finding t = s.list.items[i];
				s.list.items[i] = s.list.items[j];
				s.list.items[j] = t;
			}
			char *b = render(&s, (enum hull_findings_format)f);
			TAP_OK(a && b && !strcmp(a, b), "%s/%s does not depend on the list's order",
			       fsample_names[k],
			       hull_findings_format_name((enum hull_findings_format)f));
			free(a);
			free(b);
		}
		fsample_free(&s);
	}
}

static void test_summary_lines(void)
{
	static const struct {
		enum fsample_kind k;
		const char *want;
	} cases[] = {
	    {FS_VULNS, "7 vulnerabilities (CRITICAL 2, HIGH 2, MEDIUM 1, LOW 1, UNKNOWN 1) in 6 "
	               "packages; 3 suppressed"},
	    {FS_CONFIG, "7 misconfigurations (CRITICAL 2, HIGH 2, MEDIUM 1, LOW 1, UNKNOWN 1) in 3 "
	                "files; 1 host finding (MEDIUM 1) in 1 file; 1 suppressed"},
	    {FS_EMPTY, "0 vulnerabilities"},
	    {FS_ALPINE, "3 vulnerabilities (HIGH 3) in 3 packages"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fsample s;
		fsample_build(&s, cases[i].k);
		char *doc = render(&s, HULL_FINDINGS_TABLE);
		const char *line = doc ? last_line(doc) : "";
		TAP_OK(doc && !strncmp(line, cases[i].want, strlen(cases[i].want)) &&
		           line[strlen(cases[i].want)] == '\n',
		       "%s table ends with '%s'", fsample_names[cases[i].k], cases[i].want);
		if (doc && strncmp(line, cases[i].want, strlen(cases[i].want)))
			printf("# got: %s", line);
		free(doc);
		doc = render(&s, HULL_FINDINGS_JSON);
		struct json_object *o = parse(doc);
		TAP_OK(streq(js(o, "summaryText"), cases[i].want), "%s json summaryText",
		       fsample_names[cases[i].k]);
		json_object_put(o);
		free(doc);
		fsample_free(&s);
	}
}

static void test_table(void)
{
	struct fsample s;
	fsample_build(&s, FS_VULNS);
	char *doc = render(&s, HULL_FINDINGS_TABLE);
	TAP_OK(doc && !strstr(doc, "left-pad 1.3.0") && !strstr(doc, "GHSA-abcd"),
	       "table: suppressed findings hidden by default");
	TAP_OK(doc && strstr(doc, "libssl3 3.0.11-1~deb12u2 (deb, source openssl, layer ") &&
	           strstr(doc, "fixed in 3.0.13-1~deb12u1") && strstr(doc, "no fix yet") &&
	           strstr(doc, "end of life"),
	       "table: package headers and statuses");
	TAP_OK(doc && count_sub(doc, "libssl3 3.0.11") == 1, "table: one group per package");
	TAP_OK(doc && strstr(doc, "unsupported") == NULL && strstr(doc, "2 warnings:"),
	       "table: warnings shown");
	free(doc);
	s.in.show_suppressed = true;
	s.in.color = true;
	doc = render(&s, HULL_FINDINGS_TABLE);
	TAP_OK(doc && strstr(doc, "GHSA-abcd-efgh-ijkl") &&
	           strstr(doc, "suppressed: VEX not_affected: the app never pads user input"),
	       "table --show-suppressed: suppressed findings with their reason");
	TAP_OK(doc && strstr(doc, "\x1b[1m\x1b[31mCRITICAL\x1b[0m") && !strstr(doc, "\x1b[2J") &&
	           !strstr(doc, "\x1b]0;"),
	       "table: colour codes are ours only");
	free(doc);
	fsample_free(&s);

	fsample_build(&s, FS_CONFIG);
	doc = render(&s, HULL_FINDINGS_TABLE);
	TAP_OK(doc && strstr(doc, "k8s/web.yaml: Deployment default/web\n") &&
	           strstr(doc, "22:11") && strstr(doc, "container app sets securityContext"),
	       "table: misconfigurations grouped by file and object, with positions");
	TAP_OK(doc && strstr(doc, "(no file)") == NULL && strstr(doc, "container app\n"),
	       "table: a finding with only an object");
	free(doc);
	fsample_free(&s);
}

static struct json_object *find_by(struct json_object *arr, const char *key, const char *value,
                                   size_t nth)
{
	for (size_t i = 0; i < jlen(arr); i++)
		if (streq(js(ja(arr, i), key), value) && nth-- == 0)
			return ja(arr, i);
	return NULL;
}

static void test_json(void)
{
	struct fsample s;
	fsample_build(&s, FS_VULNS);
	char *doc = render(&s, HULL_FINDINGS_JSON);
	struct json_object *o = parse(doc);
	struct json_object *fs = jo(o, "findings");
	TAP_OK(jlen(fs) == s.list.n, "json: every finding, suppressed included (%zu)", jlen(fs));
	struct json_object *lp = find_by(fs, "id", "GHSA-abcd-efgh-ijkl", 0);
	struct json_object *sup = jo(lp, "suppression");
	TAP_OK(json_object_get_boolean(jo(lp, "suppressed")) &&
	           streq(js(sup, "vexState"), "not_affected") &&
	           streq(js(sup, "justification"), "vulnerable_code_not_in_execute_path") &&
	           streq(js(sup, "kind"), "external"),
	       "json: suppression details");
	struct json_object *ev = find_by(fs, "id", "CVE-2024-31337", 0);
	const char *title = js(ev, "title");
	TAP_OK(title && strstr(title, "\x1b[31mred") && strstr(title, "<script>") &&
	           strstr(title, "\xef\xbf\xbd bad"),
	       "json: hostile title kept, escaped, invalid UTF-8 as U+FFFD");
	struct json_object *pkg = jo(ev, "package");
	TAP_OK(streq(js(pkg, "status"), "end_of_life") && jo(pkg, "fixedVersion") == NULL &&
	           json_object_get_double(jo(jo(pkg, "cvss"), "score")) == 11.0,
	       "json: package, status, cvss");
	struct json_object *first = ja(fs, 0);
	TAP_OK(streq(js(first, "severity"), "CRITICAL") &&
	           streq(js(jo(first, "package"), "name"), "libssl3"),
	       "json: sorted, critical first, then by package");
	struct json_object *sum = jo(o, "summary");
	TAP_OK(json_object_get_int(jo(sum, "total")) == 7 &&
	           json_object_get_int(jo(sum, "suppressed")) == 3 &&
	           json_object_get_int(jo(jo(sum, "bySeverity"), "CRITICAL")) == 2 &&
	           json_object_get_int(jo(sum, "packages")) == 6,
	       "json: summary counts");
	TAP_OK(jlen(jo(o, "warnings")) == 2 && streq(js(jo(o, "target"), "kind"), "image") &&
	           streq(js(jo(o, "target"), "os"), "debian 12 (bookworm)"),
	       "json: warnings and target");
	/* fingerprints: distinct findings, distinct fingerprints; the two
	 * CVE-2024-0001 findings differ by package */
	bool distinct = true;
	for (size_t i = 0; i < jlen(fs); i++)
		for (size_t k = 0; k < i; k++)
			distinct &=
			    !streq(js(ja(fs, i), "fingerprint"), js(ja(fs, k), "fingerprint"));
	TAP_OK(distinct, "json: fingerprints are distinct");
	json_object_put(o);
	free(doc);

	/* A fingerprint survives an upgrade that keeps the finding and a move
	 * of the line. */
	char a[65], b[65];
	struct hull_finding *f0 = &s.list.items[0];
	hull_finding_fingerprint(f0, a, NULL);
	free(f0->vuln.pkg_version);
	f0->vuln.pkg_version = strdup("3.0.11-1~deb12u3");
	f0->loc.line = 99;
	hull_finding_fingerprint(f0, b, NULL);
	TAP_OK(!strcmp(a, b) && strlen(a) == 64, "fingerprint ignores version and line");
	fsample_free(&s);
}

static void test_sarif(void)
{
	struct fsample s;
	fsample_build(&s, FS_VULNS);
	char *doc = render(&s, HULL_FINDINGS_SARIF);
	struct json_object *o = parse(doc);
	struct json_object *run = ja(jo(o, "runs"), 0);
	struct json_object *rules = jo(jo(jo(run, "tool"), "driver"), "rules");
	struct json_object *results = jo(run, "results");
	TAP_OK(streq(js(o, "version"), "2.1.0") && jlen(results) == s.list.n,
	       "sarif: one result per finding");
	bool unique = true, index_ok = true;
	for (size_t i = 0; i < jlen(rules); i++)
		for (size_t k = 0; k < i; k++)
			unique &= !streq(js(ja(rules, i), "id"), js(ja(rules, k), "id"));
	for (size_t i = 0; i < jlen(results); i++) {
		struct json_object *r = ja(results, i);
		struct json_object *rule =
		    ja(rules, (size_t)json_object_get_int(jo(r, "ruleIndex")));
		index_ok &= streq(js(rule, "id"), js(r, "ruleId"));
	}
	TAP_OK(unique && jlen(rules) == 9, "sarif: one rule per id (%zu)", jlen(rules));
	TAP_OK(index_ok, "sarif: every ruleIndex points at its rule");
	struct json_object *r0 = find_by(rules, "id", "CVE-2024-0001", 0);
	struct json_object *props = jo(r0, "properties");
	TAP_OK(streq(js(props, "security-severity"), "9.8") &&
	           streq(js(jo(r0, "defaultConfiguration"), "level"), "error") &&
	           streq(js(r0, "name"), "OsPackageVulnerability") &&
	           streq(js(r0, "helpUri"),
	                 "https://security-tracker.debian.org/tracker/CVE-2024-0001"),
	       "sarif: rule level, name, helpUri, security-severity from CVSS");
	struct json_object *py = find_by(rules, "id", "PYSEC-2023-74", 0);
	TAP_OK(streq(js(jo(py, "properties"), "security-severity"), "8.0") &&
	           streq(js(py, "name"), "LanguagePackageVulnerability"),
	       "sarif: a CVSS score outside hull's severity band is not used");
	struct json_object *ev = find_by(rules, "id", "CVE-2024-31337", 0);
	TAP_OK(ev && !jo(ev, "helpUri"), "sarif: a javascript: URL is no helpUri");
	struct json_object *unk = find_by(rules, "id", "CVE-2022-1111", 0);
	TAP_OK(unk && !jo(jo(unk, "properties"), "security-severity") &&
	           streq(js(jo(unk, "defaultConfiguration"), "level"), "note"),
	       "sarif: UNKNOWN has no security-severity, level note");
	struct json_object *sup = find_by(results, "ruleId", "GHSA-abcd-efgh-ijkl", 0);
	struct json_object *supp0 = ja(jo(sup, "suppressions"), 0);
	TAP_OK(streq(js(supp0, "kind"), "external") && streq(js(supp0, "status"), "accepted") &&
	           streq(js(supp0, "justification"),
	                 "VEX not_affected: the app never pads user input"),
	       "sarif: suppressions");
	struct json_object *loc = ja(jo(sup, "locations"), 0);
	struct json_object *art = jo(jo(loc, "physicalLocation"), "artifactLocation");
	TAP_OK(streq(js(art, "uri"), "srv/other/node_modules/left-pad/package.json") &&
	           streq(js(art, "uriBaseId"), "ROOTFS") &&
	           json_object_get_int(
	               jo(jo(jo(loc, "physicalLocation"), "region"), "startLine")) == 1,
	       "sarif: a package file inside the image, on line 1");
	struct json_object *ll = jo(loc, "logicalLocations");
	TAP_OK(jlen(ll) == 2 && streq(js(ja(ll, 0), "kind"), "package") &&
	           streq(js(ja(ll, 1), "kind"), "layer"),
	       "sarif: package and layer logical locations");
	struct json_object *notes = jo(ja(jo(run, "invocations"), 0), "toolExecutionNotifications");
	TAP_OK(jlen(notes) == 2 && streq(js(ja(notes, 0), "level"), "warning"),
	       "sarif: warnings as tool execution notifications");
	bool fp = true;
	for (size_t i = 0; i < jlen(results); i++)
		fp &= js(jo(ja(results, i), "partialFingerprints"), "hull/v1") != NULL;
	TAP_OK(fp, "sarif: partialFingerprints on every result");
	json_object_put(o);
	free(doc);
	fsample_free(&s);

	fsample_build(&s, FS_CONFIG);
	doc = render(&s, HULL_FINDINGS_SARIF);
	o = parse(doc);
	run = ja(jo(o, "runs"), 0);
	results = jo(run, "results");
	struct json_object *lat = find_by(results, "ruleId", "HULL-C010", 0);
	struct json_object *reg = jo(jo(ja(jo(lat, "locations"), 0), "physicalLocation"), "region");
	TAP_OK(json_object_get_int(jo(reg, "startLine")) == 1 &&
	           json_object_get_int(jo(reg, "startColumn")) == 1 &&
	           json_object_get_int(jo(reg, "endLine")) == 1 &&
	           json_object_get_int(jo(reg, "endColumn")) == 17,
	       "sarif: a full region");
	struct json_object *probe = find_by(results, "ruleId", "HULL-C050", 0);
	reg = jo(jo(ja(jo(probe, "locations"), 0), "physicalLocation"), "region");
	TAP_OK(json_object_get_int(jo(reg, "startLine")) == 30 && !jo(reg, "endLine") &&
	           !jo(reg, "endColumn"),
	       "sarif: an end before the start is dropped");
	struct json_object *priv = find_by(results, "ruleId", "HULL-C003", 0);
	struct json_object *l0 = ja(jo(priv, "locations"), 0);
	TAP_OK(streq(js(ja(jo(l0, "logicalLocations"), 0), "name"), "Deployment default/web") &&
	           streq(js(ja(jo(l0, "logicalLocations"), 0), "kind"), "resource") &&
	           !js(jo(jo(l0, "physicalLocation"), "artifactLocation"), "uriBaseId"),
	       "sarif: objects as resource logical locations; config files have no base");
	struct json_object *inl = find_by(results, "ruleId", "HULL-C020", 0);
	TAP_OK(streq(js(ja(jo(inl, "suppressions"), 0), "kind"), "inSource"),
	       "sarif: inline suppression is inSource");
	struct json_object *nofile = find_by(results, "ruleId", "HULL-C040", 0);
	TAP_OK(
	    streq(js(jo(jo(ja(jo(nofile, "locations"), 0), "physicalLocation"), "artifactLocation"),
	             "uri"),
	          "deploy/"),
	    "sarif: a finding without a file points at the target");
	TAP_OK(streq(js(jo(run, "automationDetails"), "id"), "hull/config/"),
	       "sarif: automation id per target kind");
	json_object_put(o);
	free(doc);
	fsample_free(&s);
}

static bool has_component(struct json_object *bom, const char *ref)
{
	struct json_object *cs = jo(bom, "components");
	for (size_t i = 0; i < jlen(cs); i++)
		if (streq(js(ja(cs, i), "bom-ref"), ref))
			return true;
	return false;
}

static void check_cdx(enum fsample_kind k)
{
	struct fsample s;
	fsample_build(&s, k);
	const char *name = fsample_names[k];
	char *doc = render(&s, HULL_FINDINGS_CYCLONEDX);
	struct json_object *o = parse(doc);
	struct json_object *vs = jo(o, "vulnerabilities");
	/* 10 findings: CVE-2024-0001 twice (one entry, two affects) */
	TAP_OK(jlen(vs) == 9, "%s cdx: one entry per id and analysis (%zu)", name, jlen(vs));
	bool refs_ok = jlen(vs) > 0;
	for (size_t i = 0; i < jlen(vs); i++) {
		struct json_object *af = jo(ja(vs, i), "affects");
		refs_ok &= jlen(af) > 0;
		for (size_t k2 = 0; k2 < jlen(af); k2++)
			refs_ok &= has_component(o, js(ja(af, k2), "ref"));
	}
	TAP_OK(refs_ok, "%s cdx: every affects ref is a component", name);
	struct json_object *c1 = find_by(vs, "id", "CVE-2024-0001", 0);
	TAP_OK(jlen(jo(c1, "affects")) == 2 && streq(js(jo(c1, "source"), "name"), "NVD") &&
	           streq(js(ja(jo(c1, "references"), 0), "id"), "DSA-5678-1") &&
	           streq(js(c1, "recommendation"), "Upgrade libssl3 to 3.0.13-1~deb12u1") &&
	           !jo(c1, "analysis"),
	       "%s cdx: CVE-2024-0001 affects both packages, with source, alias, recommendation",
	       name);
	struct json_object *r = ja(jo(c1, "ratings"), 0);
	TAP_OK(jlen(jo(c1, "ratings")) == 1 && streq(js(r, "method"), "CVSSv31") &&
	           json_object_get_double(jo(r, "score")) == 9.8 &&
	           streq(js(r, "severity"), "critical"),
	       "%s cdx: an NVD severity and its CVSS in one rating", name);
	struct json_object *m = find_by(vs, "id", "CVE-2023-5678", 0);
	TAP_OK(jlen(jo(m, "ratings")) == 2 &&
	           streq(js(jo(ja(jo(m, "ratings"), 0), "source"), "name"), "debian") &&
	           streq(js(ja(jo(m, "ratings"), 0), "severity"), "medium") &&
	           streq(js(ja(jo(m, "ratings"), 1), "severity"), "high"),
	       "%s cdx: vendor severity and CVSS rating kept apart", name);
	struct json_object *lp = find_by(vs, "id", "GHSA-abcd-efgh-ijkl", 0);
	struct json_object *an = jo(lp, "analysis");
	TAP_OK(streq(js(an, "state"), "not_affected") &&
	           streq(js(an, "justification"), "code_not_reachable") &&
	           streq(js(an, "detail"), "VEX not_affected: the app never pads user input"),
	       "%s cdx: VEX not_affected with the OpenVEX justification mapped", name);
	struct json_object *fp = jo(find_by(vs, "id", "CVE-2023-7777", 0), "analysis");
	TAP_OK(streq(js(fp, "state"), "false_positive") &&
	           streq(js(fp, "justification"), "code_not_present"),
	       "%s cdx: false_positive", name);
	struct json_object *ig = jo(find_by(vs, "id", "CVE-2023-9999", 0), "analysis");
	TAP_OK(streq(js(ig, "state"), "not_affected") && !jo(ig, "justification") &&
	           strstr(js(ig, "detail") ? js(ig, "detail") : "", ".hullignore"),
	       "%s cdx: an ignore entry is not_affected with its reason", name);
	struct json_object *ghost = find_by(jo(o, "components"), "name", "ghost-pkg", 0);
	const char *gref = js(ghost, "bom-ref");
	TAP_OK(gref && !strncmp(gref, "hull:vulnpkg:", 13) &&
	           streq(js(ghost, "purl"), "pkg:npm/ghost-pkg@0.0.1"),
	       "%s cdx: a package missing from the inventory gets a component", name);
	struct json_object *ev = find_by(vs, "id", "CVE-2024-31337", 0);
	TAP_OK(!jo(ev, "advisories") || jlen(jo(ev, "advisories")) == 1,
	       "%s cdx: only http(s) URLs become advisories", name);
	struct json_object *mp = jo(jo(o, "metadata"), "properties");
	TAP_OK(jlen(mp) == 2 && streq(js(ja(mp, 0), "name"), "hull:warning"),
	       "%s cdx: warnings in metadata", name);
	json_object_put(o);
	free(doc);
	fsample_free(&s);
}

static void test_cyclonedx(void)
{
	check_cdx(FS_VULNS);
	check_cdx(FS_NOINV);
	struct fsample s;
	fsample_build(&s, FS_NOINV);
	char *doc = render(&s, HULL_FINDINGS_CYCLONEDX);
	struct json_object *o = parse(doc);
	struct json_object *mc = jo(jo(o, "metadata"), "component");
	TAP_OK(streq(js(mc, "type"), "application") &&
	           streq(js(mc, "name"), "registry.example/hull-test:bookworm") &&
	           jlen(jo(o, "components")) == 9,
	       "noinv cdx: the target by name, components from the findings' packages (%zu)",
	       jlen(jo(o, "components")));
	json_object_put(o);
	free(doc);

	/* An SBOM scan with the inventory read from the SBOM but no image:
	 * the inventory's components, the target by name. */
	s.in.target.inv = &s.img.inv;
	doc = render(&s, HULL_FINDINGS_CYCLONEDX);
	o = parse(doc);
	mc = jo(jo(o, "metadata"), "component");
	struct json_object *cs = jo(o, "components");
	TAP_OK(streq(js(mc, "name"), "registry.example/hull-test:bookworm") &&
	           streq(js(ja(cs, 0), "type"), "operating-system") &&
	           jlen(cs) == 1 + s.img.inv.npkgs + 1,
	       "sbom scan with an inventory: OS, every package, ghost-pkg (%zu)", jlen(cs));
	json_object_put(o);
	free(doc);
	doc = render(&s, HULL_FINDINGS_JUNIT);
	TAP_OK(doc && count_sub(doc, "<testcase ") == 21,
	       "sbom scan with an inventory: junit lists every package");
	free(doc);
	fsample_free(&s);
}

static size_t attr_count(const char *doc, const char *elem, const char *attr)
{
	/* the number in <elem ... attr="N" of the first elem */
	const char *p = strstr(doc, elem);
	char key[64];
	snprintf(key, sizeof(key), " %s=\"", attr);
	const char *a = p ? strstr(p, key) : NULL;
	return a ? strtoul(a + strlen(key), NULL, 10) : (size_t)-1;
}

static void test_junit(void)
{
	struct fsample s;
	fsample_build(&s, FS_VULNS);
	static const struct {
		enum hull_severity threshold;
		size_t failures;
	} th[] = {{HULL_SEV_CRITICAL, 2}, {HULL_SEV_HIGH, 4}, {HULL_SEV_UNKNOWN, 6}};
	for (size_t i = 0; i < 3; i++) {
		s.in.junit_threshold = th[i].threshold;
		char *doc = render(&s, HULL_FINDINGS_JUNIT);
		TAP_OK(doc && attr_count(doc, "<testsuites", "failures") == th[i].failures,
		       "junit: %zu failing packages at threshold %s", th[i].failures,
		       hull_severity_name(th[i].threshold));
		free(doc);
	}
	s.in.junit_threshold = HULL_SEV_HIGH;
	char *doc = render(&s, HULL_FINDINGS_JUNIT);
	/* 20 inventory packages (two identical left-pad records among them)
	 * + ghost-pkg, known only from its finding. */
	TAP_OK(doc && attr_count(doc, "<testsuites", "tests") == 21 &&
	           count_sub(doc, "<testcase ") == 21 && count_sub(doc, "<testsuite ") == 1,
	       "junit: one case per package of the inventory, plus ghost-pkg");
	TAP_OK(doc &&
	           strstr(doc, "<failure message=\"2 vulnerabilities at or above HIGH: "
	                       "CVE-2024-0001 (CRITICAL), PYSEC") == NULL &&
	           strstr(doc, "message=\"1 vulnerability at or above HIGH: CVE-2024-0001 "
	                       "(CRITICAL)\" type=\"CRITICAL\""),
	       "junit: failure message and type");
	TAP_OK(doc && strstr(doc, "name=\"base-files 12.4+deb12u5\"") &&
	           strstr(doc, "<system-out>LOW CVE-2023-8888 (affected): TTT"),
	       "junit: a finding below the threshold is output, not a failure");
	TAP_OK(doc && !strstr(doc, "\x1b") && strstr(doc, "&lt;script&gt;") &&
	           strstr(doc, "&amp; &quot;q&quot;") == NULL && strstr(doc, "&amp; \"q\""),
	       "junit: text escaped, ESC replaced");
	TAP_OK(doc && strstr(doc, "<system-err>warning: layer ") &&
	           strstr(doc, "name=\"hull.summary\" value=\"7 vulnerabilities"),
	       "junit: warnings and summary");
	free(doc);
	s.in.show_suppressed = true;
	doc = render(&s, HULL_FINDINGS_JUNIT);
	TAP_OK(doc && attr_count(doc, "<testsuites", "skipped") == 3 &&
	           count_sub(doc, "<skipped message=") == 3,
	       "junit --show-suppressed: packages with only suppressed findings are skipped");
	free(doc);
	fsample_free(&s);

	fsample_build(&s, FS_CONFIG);
	s.in.junit_threshold = HULL_SEV_MEDIUM;
	doc = render(&s, HULL_FINDINGS_JUNIT);
	/* suites: deploy/ (target, holds the no-file finding), Dockerfile,
	 * k8s/web.yaml, compose.yaml (C020 hidden: suppressed), sshd_config */
	TAP_OK(doc && count_sub(doc, "<testsuite ") == 5 && count_sub(doc, "<testcase ") == 8 &&
	           attr_count(doc, "<testsuites", "failures") == 6,
	       "junit: misconfigurations, one suite per file, one case per rule and object");
	TAP_OK(doc && strstr(doc, "name=\"HULL-C003: Container is privileged [Deployment "
	                          "default/worker]\" classname=\"k8s/web.yaml\""),
	       "junit: rule x object case names");
	TAP_OK(doc && strstr(doc, "(line 22, column 11)"), "junit: positions in the text");
	free(doc);
	fsample_free(&s);
}

static void test_markdown(void)
{
	struct fsample s;
	fsample_build(&s, FS_VULNS);
	char *doc = render(&s, HULL_FINDINGS_MARKDOWN);
	TAP_OK(doc && !strncmp(doc, "### hull: 7 vulnerabilities (CRITICAL 2", 39),
	       "markdown: summary heading");
	TAP_OK(doc && strstr(doc, "[CVE-2024-0001](https://security-tracker.debian.org/") &&
	           !strstr(doc, "](javascript:"),
	       "markdown: http(s) links only");
	TAP_OK(doc && !strstr(doc, "@octocat") && strstr(doc, "@\xe2\x80\x8boctocat") &&
	           !strstr(doc, "<script>") && strstr(doc, "\\<script\\>") &&
	           strstr(doc, "\\| pipe"),
	       "markdown: no mention, no HTML, no broken table");
	TAP_OK(doc && strstr(doc, "<details><summary>2 warnings</summary>"), "markdown: warnings");
	free(doc);
	fsample_free(&s);

	/* A list far over a comment's size: cut, counted, under the cap. */
	fsample_build(&s, FS_CONFIG);
	for (size_t i = 0; i < 3000; i++) {
		struct hull_finding f =
		    mk("HULL-C999", HULL_SEV_HIGH, "big.yaml", (unsigned)i + 1, false);
		free(f.title);
		f.title = strdup("A finding repeated to fill a pull request comment past its size");
		hull_findings_add(&s.list, &f, NULL);
	}
	doc = render(&s, HULL_FINDINGS_MARKDOWN);
	TAP_OK(doc && strlen(doc) <= HULL_MARKDOWN_MAX && strstr(doc, " more findings not shown") &&
	           strstr(doc, "</details>"),
	       "markdown: cut under %u bytes (%zu), rows counted, warnings kept", HULL_MARKDOWN_MAX,
	       doc ? strlen(doc) : 0);
	free(doc);
	fsample_free(&s);
}

/* hull_finding_copy: every owned string copied, the copy independent. */
static void test_copy(void)
{
	struct hull_finding f = mk("CVE-1", HULL_SEV_HIGH, "k8s/web.yaml", 3, false);
	f.kind = HULL_FINDING_VULNERABILITY;
	f.vuln.pkg_name = strdup("libssl3");
	f.vuln.fixed_version = strdup("3.0.2");
	f.workload = strdup("default/web");
	f.priority = 2;
	f.priority_why = strdup("P2 = HIGH 3 + fix available 1 + ...");
	f.aliases = calloc(1, sizeof(char *));
	f.aliases[0] = strdup("GHSA-1");
	f.naliases = 1;
	struct hull_finding c;
	struct hull_err err = {0};
	TAP_OK(hull_finding_copy(&c, &f, &err) == 0, "copy");
	bool ok = c.id != f.id && streq(c.id, "CVE-1") && c.aliases != f.aliases &&
	          streq(c.aliases[0], "GHSA-1") && c.vuln.pkg_name != f.vuln.pkg_name &&
	          streq(c.vuln.fixed_version, "3.0.2") && streq(c.workload, "default/web") &&
	          c.priority == 2 && c.priority_why != f.priority_why && c.loc.line == 3;
	hull_finding_release(&f);
	ok &= streq(c.loc.file, "k8s/web.yaml"); /* still there after the original is gone */
	TAP_OK(ok, "the copy owns its strings (ASan checks the releases)");
	hull_finding_release(&c);
}

/* html: input strings never open an element; with a deployment the page
 * has the graph, a section per workload, the priority and its terms. */
static void test_html(void)
{
	struct hull_findings l = {0};
	struct hull_err err = {0};
	struct hull_finding f = mk("CVE-<1>", HULL_SEV_CRITICAL, "web.yaml", 4, false);
	f.kind = HULL_FINDING_VULNERABILITY;
	free(f.title);
	f.title = strdup("<script>alert(1)</script>");
	f.vuln.pkg_name = strdup("openssl\"'&");
	f.vuln.fixed_version = strdup("3.0.13");
	f.primary_url = strdup("javascript:alert(1)");
	f.workload = strdup("default/<web>");
	f.priority = 1;
	f.priority_why = strdup("P1 = CRITICAL 4 + fix available 1 + exposure: internet (2) = 9");
	TAP_OK(hull_findings_add(&l, &f, &err) == 0, "add");
	const char *imgs[] = {"nginx:1"};
	const char *expos[] = {"published 0.0.0.0:80->80/TCP"};
	struct hull_deploy_workload w = {.id = "default/<web>",
	                                 .kind = "Deployment",
	                                 .file = "web.yaml",
	                                 .line = 1,
	                                 .images = imgs,
	                                 .nimages = 1,
	                                 .exposures = expos,
	                                 .nexposures = 1,
	                                 .internet = true,
	                                 .exposure = "internet (2)"};
	struct hull_deploy_edge e = {"(internet)", "default/<web>", "TCP 80"};
	struct hull_deployment d = {.workloads = &w, .nworkloads = 1, .edges = &e, .nedges = 1};
	struct hull_findings_input in = {.deploy = &d,
	                                 .findings = &l,
	                                 .target = {.name = "app", .kind = HULL_TARGET_DEPLOYMENT}};
	char *doc = render_in(&in, HULL_FINDINGS_HTML, 1u << 20, &err);
	TAP_OK(doc != NULL, "renders: %s", doc ? "" : err.msg);
	TAP_OK(doc && !strstr(doc, "<script>alert") && strstr(doc, "&lt;script&gt;alert(1)") &&
	           !strstr(doc, "<web>") && strstr(doc, "default/&lt;web&gt;") &&
	           strstr(doc, "openssl&quot;&#39;&amp;"),
	       "every input string escaped");
	TAP_OK(doc && !strstr(doc, "href=\"javascript"), "no link but http(s)");
	TAP_OK(doc && strstr(doc, "<svg") && strstr(doc, "id=\"workload-0\"") &&
	           strstr(doc, "P1 = CRITICAL 4") && strstr(doc, "upgrade openssl") &&
	           strstr(doc, "default-src 'none'"),
	       "graph, workload section, priority with its terms, the fix, the CSP");
	free(doc);
	hull_findings_release(&l);
}

int main(void)
{
	test_copy();
	test_html();
	test_severity();
	test_list();
	test_filter();
	test_usage_errors();
	test_every_format_valid_utf8();
	test_order_independent();
	test_summary_lines();
	test_table();
	test_json();
	test_sarif();
	test_cyclonedx();
	test_junit();
	test_markdown();
	return tap_done();
}
