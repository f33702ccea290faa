/* Unit tests of src/cli/output.c: the scan commands' --format / --output /
 * --severity / --fail-on handling, document writing and exit codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "findings_sample.h"
#include "tap.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/json.h"

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_parse(void)
{
	struct hull_output_opts o;
	struct hull_err err = {0};
	hull_output_init(&o);
	TAP_OK(hull_output_add_format(&o, "json", &err) == 0 &&
	           hull_output_add_format(&o, "sarif=out/x.sarif", &err) == 0 &&
	           hull_output_add_format(&o, "md=-", &err) == 0 && o.nouts == 3 &&
	           o.outs[0].format == HULL_FINDINGS_JSON && !o.outs[0].path &&
	           o.outs[1].format == HULL_FINDINGS_SARIF &&
	           streq(o.outs[1].path, "out/x.sarif") &&
	           o.outs[2].format == HULL_FINDINGS_MARKDOWN && streq(o.outs[2].path, "-"),
	       "--format F and F=FILE");
	err = (struct hull_err){0};
	TAP_OK(hull_output_add_format(&o, "xml=a", &err) < 0 && err.kind == HULL_ERR_USAGE &&
	           strstr(err.msg, "--format") && strstr(err.msg, "'xml'") && o.nouts == 3,
	       "unknown format refused: %s", err.msg);
	err = (struct hull_err){0};
	TAP_OK(hull_output_add_format(&o, "json=", &err) < 0 && strstr(err.msg, "missing file"),
	       "F= without a file refused");
	err = (struct hull_err){0};
	TAP_OK(hull_output_add_format(&o, "averyveryveryverylongformatnamethatgoesonandon", &err) <
	               0 &&
	           err.kind == HULL_ERR_USAGE,
	       "an overlong name is refused, not overflowed");
	hull_output_init(&o);
	int rc = 0;
	for (int i = 0; i < HULL_OUTPUT_MAX; i++)
		rc |= hull_output_add_format(&o, "json=f", &err);
	err = (struct hull_err){0};
	TAP_OK(rc == 0 && hull_output_add_format(&o, "json", &err) < 0 &&
	           strstr(err.msg, "at most"),
	       "at most %d formats", HULL_OUTPUT_MAX);

	hull_output_init(&o);
	TAP_OK(hull_output_set_severity(&o, "CRITICAL,high", &err) == 0 &&
	           hull_output_set_severity(&o, "low", &err) == 0 && o.severity_set &&
	           o.severities[HULL_SEV_CRITICAL] && o.severities[HULL_SEV_HIGH] &&
	           o.severities[HULL_SEV_LOW] && !o.severities[HULL_SEV_MEDIUM] &&
	           !o.severities[HULL_SEV_UNKNOWN],
	       "--severity lists add up");
	struct hull_output_opts before = o;
	err = (struct hull_err){0};
	TAP_OK(hull_output_set_severity(&o, "MEDIUM,bogus", &err) < 0 &&
	           strstr(err.msg, "--severity") && !memcmp(&before, &o, sizeof(o)),
	       "a bad item leaves --severity unchanged: %s", err.msg);
	err = (struct hull_err){0};
	TAP_OK(hull_output_set_severity(&o, "HIGH,,LOW", &err) < 0 && strstr(err.msg, "empty") &&
	           hull_output_set_severity(&o, "", &err) < 0 &&
	           hull_output_set_severity(&o, "HIGH,", &err) < 0,
	       "empty items refused");
	TAP_OK(hull_output_set_fail_on(&o, "moderate", &err) == 0 && o.fail_on_set &&
	           o.fail_on == HULL_SEV_MEDIUM && hull_output_set_fail_on(&o, "major", &err) < 0 &&
	           strstr(err.msg, "--fail-on"),
	       "--fail-on");
	TAP_OK(hull_output_set_file(&o, "", &err) < 0, "--output needs a name");
}

static void test_finish(void)
{
	struct hull_output_opts o;
	struct hull_err err = {0};
	hull_output_init(&o);
	TAP_OK(hull_output_finish(&o, true, &err) == 0 && o.nouts == 1 &&
	           o.outs[0].format == HULL_FINDINGS_TABLE && !o.outs[0].path,
	       "default: a table on a terminal");
	hull_output_init(&o);
	TAP_OK(hull_output_finish(&o, false, &err) == 0 && o.outs[0].format == HULL_FINDINGS_JSON,
	       "default: json into a pipe");
	hull_output_init(&o);
	hull_output_set_file(&o, "r.json", &err);
	TAP_OK(hull_output_finish(&o, true, &err) == 0 && o.outs[0].format == HULL_FINDINGS_JSON &&
	           streq(o.outs[0].path, "r.json"),
	       "default with --output: json into the file");
	hull_output_init(&o);
	hull_output_add_format(&o, "sarif", &err);
	hull_output_add_format(&o, "table=-", &err);
	hull_output_set_file(&o, "r.sarif", &err);
	TAP_OK(hull_output_finish(&o, true, &err) == 0 && streq(o.outs[0].path, "r.sarif") &&
	           streq(o.outs[1].path, "-"),
	       "--output takes the --format without a file");
	hull_output_init(&o);
	hull_output_add_format(&o, "json", &err);
	hull_output_add_format(&o, "table", &err);
	err = (struct hull_err){0};
	TAP_OK(hull_output_finish(&o, true, &err) < 0 && strstr(err.msg, "standard output"),
	       "two documents on stdout refused: %s", err.msg);
	hull_output_init(&o);
	hull_output_add_format(&o, "json=a", &err);
	hull_output_add_format(&o, "sarif=a", &err);
	err = (struct hull_err){0};
	TAP_OK(hull_output_finish(&o, true, &err) < 0 && strstr(err.msg, "'a'"),
	       "two documents into one file refused");
	hull_output_init(&o);
	hull_output_add_format(&o, "json=a", &err);
	hull_output_set_file(&o, "b", &err);
	err = (struct hull_err){0};
	TAP_OK(hull_output_finish(&o, true, &err) < 0 && strstr(err.msg, "not used"),
	       "an unused --output refused");
}

/* Exit codes: (sample, --severity, --fail-on, --show-suppressed) -> status. */
static void test_status(void)
{
	static const struct {
		enum fsample_kind k;
		const char *severity, *fail_on;
		int want;
		size_t kept;
	} cases[] = {
	    {FS_VULNS, NULL, NULL, HULL_EXIT_OK, 10}, /* no --fail-on: 0 */
	    {FS_VULNS, NULL, "HIGH", HULL_EXIT_FINDINGS, 10},
	    {FS_VULNS, NULL, "critical", HULL_EXIT_FINDINGS, 10},
	    {FS_VULNS, NULL, "UNKNOWN", HULL_EXIT_FINDINGS, 10},
	    {FS_VULNS, "LOW,MEDIUM", "HIGH", HULL_EXIT_OK, 4}, /* filtered out first */
	    {FS_VULNS, "LOW", "LOW", HULL_EXIT_FINDINGS, 2},   /* base-files LOW remains */
	    {FS_VULNS, "HIGH", "CRITICAL", HULL_EXIT_OK, 3},   /* 2 HIGH, 1 suppressed HIGH */
	    {FS_CONFIG, NULL, "CRITICAL", HULL_EXIT_FINDINGS, 9},
	    {FS_CONFIG, "LOW", "LOW", HULL_EXIT_FINDINGS, 2}, /* C050 (C020 is suppressed) */
	    {FS_EMPTY, NULL, "UNKNOWN", HULL_EXIT_OK, 0},
	    {FS_ALPINE, NULL, "CRITICAL", HULL_EXIT_OK, 3},
	    {FS_ALPINE, NULL, "HIGH", HULL_EXIT_FINDINGS, 3},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fsample s;
		struct hull_output_opts o;
		struct hull_err err = {0};
		fsample_build(&s, cases[i].k);
		hull_output_init(&o);
		int rc = 0;
		if (cases[i].severity)
			rc |= hull_output_set_severity(&o, cases[i].severity, &err);
		if (cases[i].fail_on)
			rc |= hull_output_set_fail_on(&o, cases[i].fail_on, &err);
		hull_output_filter(&o, &s.list);
		int status = hull_output_status(&o, &s.list);
		TAP_OK(rc == 0 && status == cases[i].want && s.list.n == cases[i].kept,
		       "%s --severity %s --fail-on %s: exit %d (%zu findings kept)",
		       fsample_names[cases[i].k], cases[i].severity ? cases[i].severity : "-",
		       cases[i].fail_on ? cases[i].fail_on : "-", cases[i].want, cases[i].kept);
		fsample_free(&s);
	}
	/* Only suppressed findings at the threshold: exit 0. */
	struct fsample s;
	struct hull_output_opts o;
	fsample_build(&s, FS_VULNS);
	hull_output_init(&o);
	for (size_t i = 0; i < s.list.n; i++)
		if (s.list.items[i].severity >= HULL_SEV_HIGH)
			s.list.items[i].suppressed = true;
	hull_output_set_fail_on(&o, "HIGH", NULL);
	TAP_OK(hull_output_status(&o, &s.list) == HULL_EXIT_OK,
	       "suppressed findings do not fail the run");
	fsample_free(&s);
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len;
	if (hull_fs_read_file(path, 64u << 20, &data, &len, NULL) < 0)
		return NULL;
	return data;
}

static char *stream_text(FILE *f)
{
	long n = ftell(f);
	char *buf = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	rewind(f);
	if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_write(void)
{
	char dir[] = "/tmp/hull-output-XXXXXX";
	if (!mkdtemp(dir)) {
		TAP_OK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	char a[4200], b[4200], c[4200], bad[4200];
	snprintf(a, sizeof(a), "json=%s/r.json", dir);
	snprintf(b, sizeof(b), "sarif=%s/r.sarif", dir);
	snprintf(c, sizeof(c), "junit=%s/r.xml", dir);
	snprintf(bad, sizeof(bad), "markdown=%s/missing/dir/r.md", dir);

	struct fsample s;
	struct hull_output_opts o;
	struct hull_err err = {0};
	fsample_build(&s, FS_VULNS);
	hull_output_init(&o);
	int rc = hull_output_add_format(&o, a, &err) | hull_output_add_format(&o, b, &err) |
	         hull_output_add_format(&o, c, &err) | hull_output_add_format(&o, "table", &err) |
	         hull_output_set_fail_on(&o, "CRITICAL", &err) | hull_output_finish(&o, true, &err);
	FILE *out = tmpfile();
	unsetenv("NO_COLOR");
	rc |= hull_output_write(&o, &s.in, out, true, &err);
	TAP_OK(rc == 0, "four documents written: %s", err.msg);
	char *text = stream_text(out);
	TAP_OK(text && strstr(text, "\x1b[1m") && strstr(text, "7 vulnerabilities"),
	       "the table goes to the terminal stream, in colour");
	free(text);
	fclose(out);
	snprintf(a, sizeof(a), "%s/r.json", dir);
	snprintf(b, sizeof(b), "%s/r.sarif", dir);
	snprintf(c, sizeof(c), "%s/r.xml", dir);
	char *ja = slurp(a), *jb = slurp(b), *jc = slurp(c);
	struct json_object *o1 = NULL, *o2 = NULL;
	TAP_OK(ja && hull_json_parse(ja, strlen(ja), "r.json", &o1, NULL) == 0 && jb &&
	           hull_json_parse(jb, strlen(jb), "r.sarif", &o2, NULL) == 0 &&
	           strstr(jb, "2.1.0"),
	       "json and sarif files written");
	TAP_OK(jc && strstr(jc, "<testsuites name=\"hull\" tests=\"21\" failures=\"2\""),
	       "junit's threshold is --fail-on (CRITICAL: 2 failing packages)");
	json_object_put(o1);
	json_object_put(o2);
	free(ja);
	free(jb);
	free(jc);

	/* Colour: never into a pipe, never with NO_COLOR, never into a file. */
	out = tmpfile();
	setenv("NO_COLOR", "1", 1);
	hull_output_write(&o, &s.in, out, true, &err);
	text = stream_text(out);
	TAP_OK(text && !strchr(text, '\x1b') && strstr(text, "7 vulnerabilities"),
	       "NO_COLOR: no colour");
	free(text);
	fclose(out);
	unsetenv("NO_COLOR");
	out = tmpfile();
	hull_output_write(&o, &s.in, out, false, &err);
	text = stream_text(out);
	TAP_OK(text && !strchr(text, '\x1b'), "not a terminal: no colour");
	free(text);
	fclose(out);

	/* A failing write: an error naming the file; the others are written. */
	unlink(a);
	hull_output_init(&o);
	snprintf(a, sizeof(a), "json=%s/r.json", dir);
	hull_output_add_format(&o, bad, &err);
	hull_output_add_format(&o, a, &err);
	hull_output_finish(&o, false, &err);
	err = (struct hull_err){0};
	out = tmpfile();
	rc = hull_output_write(&o, &s.in, out, false, &err);
	snprintf(a, sizeof(a), "%s/r.json", dir);
	struct stat st;
	TAP_OK(rc < 0 && strstr(err.msg, "--format markdown=") && strstr(err.msg, "missing/dir") &&
	           stat(a, &st) == 0 && st.st_size > 0,
	       "a failed write is reported and the other documents written: %s", err.msg);
	fclose(out);
	fsample_free(&s);

	/* cyclonedx of a config scan: the error, and the other documents. */
	fsample_build(&s, FS_CONFIG);
	hull_output_init(&o);
	snprintf(b, sizeof(b), "cyclonedx=%s/c.cdx.json", dir);
	snprintf(c, sizeof(c), "sarif=%s/c.sarif", dir);
	hull_output_add_format(&o, b, &err);
	hull_output_add_format(&o, c, &err);
	hull_output_finish(&o, false, &err);
	err = (struct hull_err){0};
	out = tmpfile();
	rc = hull_output_write(&o, &s.in, out, false, &err);
	snprintf(b, sizeof(b), "%s/c.cdx.json", dir);
	snprintf(c, sizeof(c), "%s/c.sarif", dir);
	TAP_OK(rc < 0 && err.kind == HULL_ERR_USAGE && stat(b, &st) < 0 && stat(c, &st) == 0,
	       "an impossible document leaves no file, the others are written: %s", err.msg);
	fclose(out);
	fsample_free(&s);

	/* tidy up */
	const char *names[] = {"r.json", "r.sarif", "r.xml", "c.sarif"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(a, sizeof(a), "%s/%s", dir, names[i]);
		unlink(a);
	}
	TAP_OK(rmdir(dir) == 0, "no temporary file left behind");
}

/* A command's own format words (hull sbom's): parsed, defaulted, checked
 * and written through the same layer. */
static int words(const char *name, unsigned *out, struct hull_err *err)
{
	static const char *const w[] = {"table", "json", "spdx", "spdx-json"};
	for (unsigned i = 0; i < 4; i++)
		if (!strcmp(name, w[i])) {
			*out = i == 3 ? 2 : i;
			return 0;
		}
	return hull_err_set(err, HULL_ERR_USAGE, "unknown format '%s' (choose table, json or spdx)",
	                    name);
}

static int draw_word(void *ctx, const struct hull_output *dst, bool color, struct hull_buf *doc,
                     struct hull_err *err)
{
	(void)ctx;
	char line[64];
	snprintf(line, sizeof(line), "doc %u %s%s\n", dst->id, dst->name, color ? " color" : "");
	return hull_buf_append(doc, line, strlen(line), err);
}

static void test_words(void)
{
	struct hull_output_opts o;
	struct hull_err err = {0};
	hull_output_init(&o);
	o.parse = words;
	TAP_OK(hull_output_finish(&o, true, &err) == 0 && o.nouts == 1 && o.outs[0].id == 0 &&
	           streq(o.outs[0].name, "table"),
	       "own words: a table on a terminal by default");
	hull_output_init(&o);
	o.parse = words;
	TAP_OK(hull_output_finish(&o, false, &err) == 0 && o.outs[0].id == 1,
	       "own words: json into a pipe by default");
	hull_output_init(&o);
	o.parse = words;
	err = (struct hull_err){0};
	TAP_OK(hull_output_add_format(&o, "sarif", &err) < 0 && err.kind == HULL_ERR_USAGE &&
	           streq(err.msg, "--format: unknown format 'sarif' (choose table, json or spdx)"),
	       "own words: a findings format is not one: %s", err.msg);
	err = (struct hull_err){0};
	TAP_OK(hull_output_add_format(&o, "spdx-json", &err) == 0 &&
	           hull_output_add_format(&o, "json", &err) == 0 &&
	           hull_output_finish(&o, false, &err) < 0 &&
	           streq(err.msg, "--format spdx-json and --format json both write to standard "
	                          "output: give one of them a file (F=FILE)"),
	       "own words: the same checks, naming the words: %s", err.msg);
	hull_output_init(&o);
	o.parse = words;
	err = (struct hull_err){0};
	FILE *out = tmpfile();
	unsetenv("NO_COLOR");
	int rc =
	    hull_output_add_format(&o, "spdx", &err) | hull_output_add_format(&o, "table=-", &err);
	hull_output_set_file(&o, "/nonexistent/dir/x.spdx", &err);
	rc |= hull_output_finish(&o, true, &err);
	TAP_OK(rc == 0 && hull_output_write_docs(&o, out, true, draw_word, NULL, &err) < 0 &&
	           strstr(err.msg, "--format spdx=/nonexistent/dir/x.spdx"),
	       "own words: a failed file names the word: %s", err.msg);
	char *text = stream_text(out);
	TAP_OK(streq(text, "doc 0 table color\n"), "own words: the other document is written");
	free(text);
	fclose(out);
}

int main(void)
{
	test_parse();
	test_finish();
	test_words();
	test_status();
	test_write();
	return tap_done();
}
