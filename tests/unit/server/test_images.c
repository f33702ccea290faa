/* The image check's report index (server/images.h): what a report must
 * hold to be indexed, and that a findings report hull cannot use is
 * refused with a message naming the file and the field (server_images
 * found a report with "digest":"" indexed under the empty digest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/images.h"
#include "util/buf.h"
#include "tap.h"

#define DG "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static char *report(const char *digest_json)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
	         "{\"schemaVersion\":1,\"documentType\":\"findings\","
	         "\"createdAt\":\"2026-01-01T00:00:00Z\",\"target\":{\"name\":\"app\"%s%s},"
	         "\"findings\":[],\"summary\":{\"total\":1,\"bySeverity\":{\"CRITICAL\":1}}}",
	         digest_json ? ",\"digest\":" : "", digest_json ? digest_json : "");
	return buf;
}

static int parse(const char *doc, char digest[HULL_IMAGES_DIGEST_MAX], struct hull_image_result *r,
                 struct hull_err *err)
{
	return hull_images_parse_report(doc, strlen(doc), "a.json", digest, r, err);
}

static void test_parse(void)
{
	char digest[HULL_IMAGES_DIGEST_MAX];
	struct hull_image_result r;
	struct hull_err err = {0};
	TAP_OK(parse(report("\"" DG "\""), digest, &r, &err) == 1 && !strcmp(digest, DG) &&
	           r.by_severity[HULL_SEV_CRITICAL] == 1,
	       "a findings report with a digest is indexed");
	static const struct {
		const char *digest_json, *says;
	} bad[] = {
	    {"\"\"", "target.digest: empty"},    {NULL, "target.digest: missing"},
	    {"null", "target.digest: missing"},  {"7", "target.digest: missing"},
	    {"\"sha256:xyz\"", "target.digest"}, {"\"sha256:" DG "\"", "target.digest"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = (struct hull_err){0};
		int rc = parse(report(bad[i].digest_json), digest, &r, &err);
		TAP_OK(rc < 0 && digest[0] == '\0' && strstr(err.msg, "a.json") &&
		           strstr(err.msg, bad[i].says),
		       "digest %s: refused, naming file and field (%s)",
		       bad[i].digest_json ? bad[i].digest_json : "(none)", err.msg);
	}
	err = (struct hull_err){0};
	const char *nosev = "{\"documentType\":\"findings\",\"target\":{\"digest\":\"" DG "\"}}";
	TAP_OK(parse(nosev, digest, &r, &err) < 0 && strstr(err.msg, "summary.bySeverity"),
	       "a findings report without summary.bySeverity is refused (%s)", err.msg);
	err = (struct hull_err){0};
	const char *sbom = "{\"documentType\":\"sbom\",\"target\":{\"digest\":\"\"}}";
	TAP_OK(parse(sbom, digest, &r, &err) == 0 && digest[0] == '\0',
	       "another document type is not a findings report: ignored, no error");
	TAP_OK(parse("{", digest, &r, &err) < 0 && strstr(err.msg, "a.json"),
	       "bad JSON is refused naming the file (%s)", err.msg);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_index(void)
{
	char dir[] = "/tmp/hull-test-images-XXXXXX";
	if (!TAP_OK(mkdtemp(dir), "temporary directory"))
		return;
	put(dir, "good.json", report("\"" DG "\""));
	put(dir, "bad.json", report("\"\""));
	struct hull_images *im = NULL;
	struct hull_err err = {0};
	if (!TAP_OK(hull_images_open(dir, &im, &err) == 0, "open (%s)", err.msg))
		return;
	size_t indexed = 0, skipped = 0;
	hull_images_stats(im, &indexed, &skipped);
	TAP_OK(indexed == 1 && skipped == 1, "one indexed, one skipped (%zu, %zu)", indexed,
	       skipped);
	struct hull_image_result r;
	TAP_OK(hull_images_lookup(im, "", &r) == 0, "nothing is found under the empty digest");
	TAP_OK(hull_images_lookup(im, DG, &r) == 1, "the good report is found");
	struct hull_buf b;
	hull_buf_init(&b, 4096);
	size_t n = hull_images_errors(im, &b);
	TAP_OK(n == 1 && b.data && strstr(b.data, "bad.json") &&
	           strstr(b.data, "target.digest: empty") && !strstr(b.data, "good.json"),
	       "the refused report is listed with its reason (%s)", b.data ? b.data : "");
	hull_buf_release(&b);
	hull_images_free(im);
	char path[4096];
	snprintf(path, sizeof(path), "%s/good.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_parse();
	test_index();
	return tap_done();
}
