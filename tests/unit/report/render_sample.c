/* render_sample DIR: writes every sample (sample.h) in every SBOM format
 * into DIR as <sample>.<format>.{txt,json}, plus debian.table-color.txt,
 * for validate.sh to check against the official schemas and goldens. */
#include <stdio.h>
#include <string.h>

#include "sample.h"
#include "util/fs.h"

static const char *const ext[] = {
    [HULL_SBOM_TABLE] = "table.txt",
    [HULL_SBOM_JSON] = "json",
    [HULL_SBOM_CYCLONEDX] = "cdx.json",
    [HULL_SBOM_SPDX] = "spdx.json",
};

static int render(struct sample *s, enum hull_sbom_format f, const char *path)
{
	struct hull_buf out;
	struct hull_err err = {0};
	hull_buf_init(&out, 64u << 20);
	int rc = hull_report_sbom(f, &s->in, &out, &err);
	if (rc == 0)
		rc = hull_fs_write_atomic(path, out.data ? out.data : "", out.len, &err);
	if (rc < 0)
		fprintf(stderr, "render_sample: %s: %s\n", path, err.msg);
	hull_buf_release(&out);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: render_sample DIR\n");
		return 2;
	}
	char path[4096];
	int failed = 0;
	for (int k = 0; k < SAMPLE_COUNT; k++) {
		struct sample s;
		sample_build(&s, (enum sample_kind)k);
		for (int f = HULL_SBOM_TABLE; f <= HULL_SBOM_SPDX; f++) {
			snprintf(path, sizeof(path), "%s/%s.%s", argv[1], sample_names[k], ext[f]);
			failed |= render(&s, (enum hull_sbom_format)f, path) < 0;
		}
		if (k == SAMPLE_DEBIAN) {
			s.in.color = true;
			snprintf(path, sizeof(path), "%s/%s.table-color.txt", argv[1],
			         sample_names[k]);
			failed |= render(&s, HULL_SBOM_TABLE, path) < 0;
		}
		sample_free(&s);
	}
	return failed ? 1 : 0;
}
