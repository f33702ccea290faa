/* fuzz_findings: every findings writer over findings taken from the input.
 *
 * Input: two selector bytes, then newline-separated fields (id, alias,
 * title, message, description, file, object, package name, version, purl,
 * fixed version, URL, suppression reason, VEX justification, CVSS vector,
 * warning). The selectors pick kinds, severities, statuses, positions,
 * suppression and VEX states, the target kind, whether an image and an
 * inventory (with a package of the same name) are given, and the junit
 * threshold. Three
 * findings are built from the fields, the third a near-copy of the first
 * (same id, another package) so grouping and de-duplication run. Checked
 * properties, which abort on failure:
 *   - every writer succeeds, except cyclonedx for config and host scans
 *     (a usage error), and markdown stays under HULL_MARKDOWN_MAX;
 *   - every document is valid UTF-8; json, sarif and cyclonedx parse
 *     strictly; table and markdown hold no control byte but '\n' (and
 *     SGR codes in a coloured table); junit holds only XML 1.0 characters;
 *   - rendering the list in reverse order gives the same document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings.h"
#include "util/utf8.h"
#include "util/json.h"

#define NFIELDS 16

static void check(int cond)
{
	if (!cond)
		abort();
}

static void check_text(const char *t, size_t len, bool color)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (ch == 0x1b) {
			check(color && i + 1 < len && t[i + 1] == '[');
			for (i += 2; i < len && ((t[i] >= '0' && t[i] <= '9') || t[i] == ';'); i++)
				;
			check(i < len && t[i] == 'm');
			continue;
		}
		check(ch == '\n' || (ch >= 0x20 && ch != 0x7f));
	}
}

static void check_xml(const char *t, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		bool valid;
		i += hull_utf8_next(t + i, len - i, &cp, &valid);
		check(valid && (cp == 0x9 || cp == 0xA || (cp >= 0x20 && cp <= 0xD7FF) ||
		                (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000));
	}
}

/* HTML: inputs never open an element: the page's one script and style
 * are the only ones, and no byte of an input survives as '<' (escaped). */
static size_t count(const char *t, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (size_t i = 0; i + k <= len; i++)
		n += !strncasecmp(t + i, needle, k);
	return n;
}

/* The attributes of the tag starting at p (after its '<'): each href
 * value is an http(s) URL. Returns where the tag ends. */
static const char *check_tag_links(const char *p, const char *end)
{
	/* the page's own script and style: code, not markup; skipped whole */
	static const char *const raw[][2] = {{"script", "</script"}, {"style", "</style"}};
	for (size_t i = 0; i < 2; i++) {
		size_t k = strlen(raw[i][0]);
		if ((size_t)(end - p) > k && !strncasecmp(p, raw[i][0], k) &&
		    (p[k] == '>' || p[k] == ' ')) {
			const char *close =
			    memmem(p, (size_t)(end - p), raw[i][1], strlen(raw[i][1]));
			return close ? close : end;
		}
	}
	while (p < end && *p != '>' && *p != ' ')
		p++;
	while (p < end && *p != '>') {
		while (p < end && *p == ' ')
			p++;
		const char *name = p;
		while (p < end && *p != '=' && *p != ' ' && *p != '>')
			p++;
		size_t nlen = (size_t)(p - name);
		if (p + 1 < end && p[0] == '=' && p[1] == '"') {
			const char *v = p + 2, *q = memchr(v, '"', (size_t)(end - v));
			check(q != NULL);
			if (nlen == 4 && !strncasecmp(name, "href", 4))
				check((q - v >= 8 && !strncmp(v, "https://", 8)) ||
				      (q - v >= 7 && !strncmp(v, "http://", 7)));
			p = q + 1;
		} else if (p < end && *p != '>') {
			p++;
		}
	}
	return p;
}

static void check_html(const char *t, size_t len)
{
	check(count(t, len, "<script") == 1 && count(t, len, "</script") == 1);
	check(count(t, len, "<style") == 1 && count(t, len, "<iframe") == 0);
	check(count(t, len, "<img") == 0 && count(t, len, "<link") == 0);
	/* links: only the advisories' http(s) URLs. Attributes are read as a
	 * browser reads them, tag by tag: an input's text may hold "href="
	 * inside a quoted value (escaped, a value never holds a raw '"'),
	 * which is not a link. */
	for (const char *p = t, *end = t + len; (p = memchr(p, '<', (size_t)(end - p))) != NULL;)
		p = check_tag_links(p + 1, end);
}

static char *render(const struct hull_findings_input *in, enum hull_findings_format f)
{
	struct hull_buf out;
	struct hull_err err = {0};
	hull_buf_init(&out, 16u << 20);
	int rc = hull_report_findings(f, in, &out, &err);
	bool refused = f == HULL_FINDINGS_CYCLONEDX && (in->target.kind == HULL_TARGET_CONFIG ||
	                                                in->target.kind == HULL_TARGET_HOST);
	if (refused) {
		check(rc < 0 && err.kind == HULL_ERR_USAGE);
		hull_buf_release(&out);
		return NULL;
	}
	check(rc == 0);
	check(hull_utf8_valid(out.data, out.len));
	switch (f) {
	case HULL_FINDINGS_TABLE:
		check_text(out.data, out.len, in->color);
		break;
	case HULL_FINDINGS_MARKDOWN:
		check_text(out.data, out.len, false);
		check(out.len <= HULL_MARKDOWN_MAX);
		break;
	case HULL_FINDINGS_JUNIT:
		check_xml(out.data, out.len);
		break;
	case HULL_FINDINGS_HTML:
		check_html(out.data, out.len);
		break;
	default: {
		struct json_object *o = NULL;
		check(hull_json_parse(out.data, out.len, "doc", &o, &err) == 0);
		json_object_put(o);
	}
	}
	return hull_buf_detach(&out, NULL);
}

static char *dup_or_null(const char *s, bool keep)
{
	return keep ? strdup(s) : NULL;
}

static void add(struct hull_findings *l, char **f, unsigned s1, unsigned s2, int variant)
{
	struct hull_finding x = {
	    .kind = (enum hull_finding_kind)((s1 + (unsigned)variant) % 5),
	    .severity = (enum hull_severity)((s1 >> 3) % 5),
	};
	x.id = strdup(*f[0] ? f[0] : "X");
	x.aliases = calloc(1, sizeof(char *));
	if (x.aliases) {
		x.aliases[0] = strdup(f[1]);
		x.naliases = 1;
	}
	x.title = strdup(*f[2] ? f[2] : "t");
	x.message = dup_or_null(f[3], s2 & 1);
	x.description = dup_or_null(f[4], s2 & 2);
	x.loc.file = dup_or_null(f[5], s2 & 4);
	x.loc.object = dup_or_null(f[6], s2 & 8);
	x.loc.line = (s1 >> 6) * (unsigned)variant;
	x.loc.col = s2 >> 5;
	x.loc.end_line = (s2 & 16) ? x.loc.line + (unsigned)variant - 1 : 0;
	x.loc.end_col = s1 % 7;
	x.loc.layer_diff_id = dup_or_null(f[9], s2 & 32);
	x.vuln.pkg_name = strdup(variant == 2 ? "other" : f[7]);
	x.vuln.pkg_version = strdup(f[8]);
	x.vuln.pkg_type = strdup((s1 & 1) ? "npm" : "deb");
	x.vuln.pkg_purl = dup_or_null(f[9], s2 & 64);
	x.vuln.fixed_version = dup_or_null(f[10], s1 & 2);
	x.vuln.status = (enum hull_vuln_status)(s2 % 5);
	x.vuln.cvss_score = (double)(s1 % 110) / 10.0;
	x.vuln.cvss_vector = dup_or_null(f[14], s1 & 4);
	x.vuln.severity_source = dup_or_null(f[1], s2 & 128);
	x.primary_url = strdup(f[11]);
	x.references = calloc(1, sizeof(char *));
	if (x.references) {
		x.references[0] = strdup(f[11]);
		x.nreferences = 1;
	}
	x.suppressed = (s1 >> 4) & variant & 1;
	x.suppression = dup_or_null(f[12], x.suppressed);
	x.suppress_kind = (enum hull_suppress_kind)((s2 >> 3) & 1);
	x.vex_state = (enum hull_vex_state)((s2 >> 1) % 3);
	x.vex_justification = dup_or_null(f[13], s2 & 8);
	/* hull scan: a workload (f[6] names the deployment's one) and a priority */
	x.workload = dup_or_null(*f[6] ? f[6] : "w", s1 & 0x20);
	x.priority = x.workload ? (s2 + (unsigned)variant) % 5 : 0;
	x.priority_why = dup_or_null(f[3], x.priority != 0);
	check(hull_findings_add(l, &x, NULL) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 1 << 16)
		return 0;
	unsigned s1 = data[0], s2 = data[1];
	char *f[NFIELDS] = {0};
	const char *p = (const char *)data + 2, *end = (const char *)data + size;
	for (int i = 0; i < NFIELDS; i++) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		const char *stop = nl ? nl : end;
		f[i] = strndup(p, (size_t)(stop - p));
		p = nl ? nl + 1 : end;
	}
	for (int i = 0; i < NFIELDS; i++)
		if (!f[i])
			abort();

	struct hull_findings list = {0};
	for (int v = 1; v <= 3; v++)
		add(&list, f, s1, s2, v);

	struct hull_layer layer = {.digest = f[9], .diff_id = f[9]};
	struct hull_image img = {
	    .format = HULL_IMAGE_DOCKER_ARCHIVE, .target = f[5], .layers = &layer, .nlayers = 1};
	struct hull_pkg pkg = {.type = (s1 & 1) ? HULL_PKG_NPM : HULL_PKG_DEB,
	                       .name = f[7],
	                       .version = f[8],
	                       .file = f[5],
	                       .layer = 0,
	                       .epoch = -1};
	struct hull_inventory inv = {
	    .os = {.id = (s2 & 4) ? f[6] : NULL}, .pkgs = &pkg, .npkgs = 1};
	struct hull_diag diag;
	hull_diag_init(&diag);
	hull_diag_warn(&diag, "%s", f[15]);

	struct hull_findings_input in = {
	    .findings = &list,
	    .target = {.name = *f[5] ? f[5] : "target",
	               .kind = (enum hull_target_kind)((s2 >> 2) % 5),
	               .digest = (s1 & 8) ? f[9] : NULL},
	    .diag = &diag,
	    .tool_version = "fuzz",
	    .now = 0,
	    .color = s2 & 1,
	    .show_suppressed = s2 & 2,
	    .junit_threshold = (enum hull_severity)(s2 % 5),
	};
	/* a deployment of one workload, named by the fields */
	const char *list1[] = {f[7], f[8]};
	struct hull_deploy_workload dw = {.id = *f[6] ? f[6] : "w",
	                                  .kind = f[4],
	                                  .file = f[5],
	                                  .line = s1,
	                                  .images = list1,
	                                  .nimages = 2,
	                                  .privileges = list1,
	                                  .nprivileges = 1,
	                                  .exposures = list1 + 1,
	                                  .nexposures = 1,
	                                  .reached_by = list1,
	                                  .nreached_by = 1,
	                                  .reaches = list1,
	                                  .nreaches = 2,
	                                  .internet = s2 & 1,
	                                  .exposure = f[12],
	                                  .privilege = (s2 & 2) ? f[13] : NULL};
	struct hull_deploy_edge edges[2] = {{"(internet)", dw.id, f[14]}, {dw.id, f[15], f[1]}};
	struct hull_deployment dep = {
	    .workloads = &dw, .nworkloads = 1, .edges = edges, .nedges = 2};
	in.deploy = (s1 & 0x20) ? &dep : NULL;
	in.target.image = (s1 & 0x80) ? &img : NULL;
	in.target.inv = (s1 & 0x40) ? &inv : NULL;
	for (int fmt = 0; fmt < HULL_FINDINGS_FORMAT_COUNT; fmt++) {
		char *a = render(&in, (enum hull_findings_format)fmt);
		/* reverse the list: the same document (cyclonedx has a random
		 * serial number) */
		struct hull_finding t = list.items[0];
		list.items[0] = list.items[2];
		list.items[2] = t;
		char *b = render(&in, (enum hull_findings_format)fmt);
		if (fmt != HULL_FINDINGS_CYCLONEDX)
			check((!a && !b) || (a && b && !strcmp(a, b)));
		free(a);
		free(b);
	}
	hull_findings_release(&list);
	hull_diag_release(&diag);
	for (int i = 0; i < NFIELDS; i++)
		free(f[i]);
	return 0;
}
