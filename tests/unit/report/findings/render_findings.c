/* render_findings DIR: writes every findings sample (findings_sample.h) in
 * every format into DIR as <sample>.<ext>, plus a coloured table and the
 * --show-suppressed variants of the vulnerability sample, for
 * validate_findings.sh to check against goldens and schemas. */
#include <stdio.h>
#include <string.h>

#include "findings_sample.h"
#include "util/fs.h"

static const char *const ext[HULL_FINDINGS_FORMAT_COUNT] = {
    [HULL_FINDINGS_TABLE] = "table.txt",  [HULL_FINDINGS_JSON] = "json",
    [HULL_FINDINGS_SARIF] = "sarif.json", [HULL_FINDINGS_JUNIT] = "junit.xml",
    [HULL_FINDINGS_MARKDOWN] = "md",      [HULL_FINDINGS_CYCLONEDX] = "cdx.json",
};

static int render(const struct fsample *s, enum hull_findings_format f, const char *dir,
                  const char *name, const char *suffix)
{
	char path[4096];
	struct hull_buf out;
	struct hull_err err = {0};
	snprintf(path, sizeof(path), "%s/%s%s.%s", dir, name, suffix, ext[f]);
	hull_buf_init(&out, 64u << 20);
	int rc = hull_report_findings(f, &s->in, &out, &err);
	if (rc == 0)
		rc = hull_fs_write_atomic(path, out.data ? out.data : "", out.len, &err);
	if (rc < 0)
		fprintf(stderr, "render_findings: %s: %s\n", path, err.msg);
	hull_buf_release(&out);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: render_findings DIR\n");
		return 2;
	}
	int failed = 0;
	for (int k = 0; k < FS_COUNT; k++) {
		struct fsample s;
		fsample_build(&s, (enum fsample_kind)k);
		for (int f = 0; f < HULL_FINDINGS_FORMAT_COUNT; f++) {
			if (f == HULL_FINDINGS_CYCLONEDX && k == FS_CONFIG)
				continue; /* refused: tested in test_findings */
			failed |= render(&s, (enum hull_findings_format)f, argv[1],
			                 fsample_names[k], "") < 0;
		}
		if (k == FS_VULNS || k == FS_CONFIG) {
			s.in.show_suppressed = true;
			failed |= render(&s, HULL_FINDINGS_TABLE, argv[1], fsample_names[k],
			                 "-suppressed") < 0;
			failed |= render(&s, HULL_FINDINGS_MARKDOWN, argv[1], fsample_names[k],
			                 "-suppressed") < 0;
			failed |= render(&s, HULL_FINDINGS_JUNIT, argv[1], fsample_names[k],
			                 "-suppressed") < 0;
			s.in.color = true;
			failed |= render(&s, HULL_FINDINGS_TABLE, argv[1], fsample_names[k],
			                 "-color") < 0;
		}
		fsample_free(&s);
	}
	return failed ? 1 : 0;
}
