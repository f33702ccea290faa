/* apk installed database: trivy's and syft's fixtures with their expected
 * package lists, the Alpine-like test image when built, and edge cases. */
#include "pkgdb_test.h"

/* name version origin arch [license] */
static void pkg_lines(const struct hull_inventory *inv, struct lines *out, bool license)
{
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct hull_pkg *p = &inv->pkgs[i];
		if (license)
			lines_add(out, "%s %s %s %s %s", p->name, p->version, or_dash(p->src_name),
			          or_dash(p->arch), or_dash(p->license));
		else
			lines_add(out, "%s %s %s %s", p->name, p->version, or_dash(p->src_name),
			          or_dash(p->arch));
	}
}

/* trivy: name version origin origin_version arch licenses(SPDX-normalised,
 * which hull does not do: not compared) */
static void trivy_row(char **f, size_t n, void *ctx)
{
	if (n >= 5)
		lines_add(ctx, "%s %s %s %s", f[0], f[1], f[2], f[4]);
}

static void test_trivy(void)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_apk_parse, "apk-installed/trivy/analyzer-pkg-apk/installed",
	                      "lib/apk/db/installed", 2, &inv, &err);
	/* the record without V is reported with its line, the rest listed */
	TAP_OK(rc < 0 && strcmp(err.msg, "lib/apk/db/installed: line 23: package record without V "
	                                 "(version) for invalidPackageWithoutAVersion") == 0,
	       "trivy: the record without a version is reported: %s", err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got, false);
	tsv_rows("apk-installed/trivy/analyzer-pkg-apk/expected-packages.tsv", "name", trivy_row,
	         &want);
	TAP_OK(inv.npkgs == 15 && want.n == 15, "trivy: 15 packages (got %zu)", inv.npkgs);
	lines_same(&got, &want, "trivy analyzer-pkg-apk");
	bool ok = true;
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		ok &= p->type == HULL_PKG_APK && p->layer == 2 && p->src_version &&
		      strcmp(p->src_version, p->version) == 0 &&
		      strcmp(p->file, "lib/apk/db/installed") == 0;
		if (strcmp(p->name, "ada-libs") == 0)
			ok &= p->license &&
			      strcmp(p->license, "( Apache-2.0 OR MIT ) AND MPL-2.0") == 0;
		if (strcmp(p->name, "musl-utils") == 0)
			ok &= p->license && strcmp(p->license, "MIT BSD GPL2+") == 0;
	}
	TAP_OK(ok, "trivy: origin version, layer, file, raw L: licenses");
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

/* syft: licenses are the raw L: tokens, joined with ';' */
static void syft_row(char **f, size_t n, void *ctx, size_t first)
{
	if (n < first + 5)
		return;
	char *lic = strdup(f[first + 4]);
	for (char *p = lic; *p; p++)
		if (*p == ';')
			*p = ' ';
	lines_add(ctx, "%s %s %s %s %s", f[first], f[first + 1], f[first + 2], f[first + 3], lic);
	free(lic);
}

struct single_ctx {
	const char *fixture;
	struct lines *lines;
};

static void syft_single_row(char **f, size_t n, void *ctx)
{
	struct single_ctx *c = ctx;
	if (n > 0 && strcmp(f[0], c->fixture) == 0)
		syft_row(f, n, c->lines, 1);
}

static void syft_multi_row(char **f, size_t n, void *ctx)
{
	if (n > 0 && strcmp(f[0], "dependency-of") != 0)
		syft_row(f, n, ctx, 0);
}

static void test_syft_single(const char *fixture)
{
	char rel[256], what[128];
	snprintf(rel, sizeof(rel), "apk-installed/syft/%s/installed", fixture);
	snprintf(what, sizeof(what), "syft %s", fixture);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc =
	    shared_parse(hull_apk_parse, rel, "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0, "%s: parses (%s)", what, err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got, true);
	struct single_ctx c = {fixture, &want};
	tsv_rows("apk-installed/syft/expected-single-package-fixtures.tsv", "fixture",
	         syft_single_row, &c);
	lines_same(&got, &want, what);
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

static void test_syft_multiple(void)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_apk_parse, "apk-installed/syft/multiple-1/installed",
	                      "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0, "syft multiple-1: parses (%s)", err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got, true);
	tsv_rows("apk-installed/syft/multiple-1/expected-packages.tsv", "name", syft_multi_row,
	         &want);
	lines_same(&got, &want, "syft multiple-1");
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);

	/* a real alpine:3.16 base image: 14 packages (MANIFEST.md); the
	 * dependency table names 10 of them */
	rc = shared_parse(hull_apk_parse, "apk-installed/syft/multiple-2/installed",
	                  "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	bool named = true;
	static const char *const some[] = {"apk-tools", "busybox",      "musl",       "zlib",
	                                   "libssl1.1", "libcrypto1.1", "ssl_client", "scanelf"};
	for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		bool found = false;
		for (size_t j = 0; j < inv.npkgs; j++)
			found |= strcmp(inv.pkgs[j].name, some[i]) == 0;
		named &= found;
	}
	TAP_OK(rc == 0 && inv.npkgs == 14 && named,
	       "syft multiple-2: the 14 packages of alpine:3.16");
	hull_inventory_release(&inv);

	rc = shared_parse(hull_apk_parse, "apk-installed/syft/extra-file-attributes/installed",
	                  "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, "openjdk8-jre") == 0 &&
	           strcmp(inv.pkgs[0].version, "8.212.04-r0") == 0,
	       "syft extra-file-attributes: openjdk8-jre 8.212.04-r0 (%s)", err.msg);
	hull_inventory_release(&inv);

	rc = shared_parse(hull_apk_parse, "apk-installed/syft/corrupt/installed",
	                  "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "lib/apk/db/installed: line 1: expected \"X:value\""),
	       "syft corrupt: an error naming line 1: %s", err.msg);
	hull_inventory_release(&inv);

	rc = shared_parse(hull_apk_parse, "apk-installed/trivy/vm-alpine-aarch64/installed",
	                  "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, "musl") == 0 &&
	           strcmp(inv.pkgs[0].version, "1.2.3-r5") == 0 &&
	           strcmp(inv.pkgs[0].arch, "aarch64") == 0,
	       "trivy vm-alpine-aarch64: musl 1.2.3-r5 aarch64, no trailing newline");
	hull_inventory_release(&inv);

	rc = shared_parse(hull_apk_parse, "apk-installed/trivy/analyzer-testdata-musl/installed",
	                  "lib/apk/db/installed", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].version, "1.1.24-r2") == 0,
	       "trivy analyzer-testdata-musl: musl 1.1.24-r2");
	hull_inventory_release(&inv);
}

/* The generator script's own table: lines ` ("name", "ver", "origin",
 * "license", ...`. */
static void fake_alpine_expected(const char *script, struct lines *want)
{
	FILE *f = fopen(script, "r");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		char q[4][128];
		if (strncmp(line, " (\"", 3) == 0 &&
		    sscanf(line, " (\"%127[^\"]\", \"%127[^\"]\", \"%127[^\"]\", \"%127[^\"]\"",
		           q[0], q[1], q[2], q[3]) == 4)
			lines_add(want, "%s %s %s x86_64 %s", q[0], q[1], q[2], q[3]);
	}
	free(line);
	if (f)
		fclose(f);
}

static void test_fake_alpine(void)
{
	const char *cache = getenv("HULL_TEST_CACHE");
	char db[4096], script[4096];
	snprintf(db, sizeof(db), "%s/img/alpine-fake/rootfs/lib/apk/db/installed",
	         cache ? cache : "/var/cache/hull-test");
	snprintf(script, sizeof(script), "%s/tools/mk-fake-alpine-image.sh",
	         getenv("HULL_SHARED") ? getenv("HULL_SHARED") : "/nonexistent");
	char *data;
	size_t len;
	struct hull_err err = {0};
	if (access(script, R_OK) != 0 || hull_fs_read_file(db, 1u << 20, &data, &len, &err) < 0) {
		printf("# the Alpine-like image is not built (scripts/test-images.sh): skipped\n");
		return;
	}
	struct hull_inventory inv = {0};
	int rc = hull_apk_parse(hull_str(data, len), "lib/apk/db/installed", 0, &inv, &err);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got, true);
	fake_alpine_expected(script, &want);
	TAP_OK(rc == 0, "alpine-fake: parses (%s)", err.msg);
	lines_same(&got, &want, "alpine-fake image (mk-fake-alpine-image.sh table)");
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
	free(data);
}

struct hand_case {
	const char *what, *text;
	int rc;
	size_t n;
	const char *err;
};

static const struct hand_case hand_cases[] = {
    {"CRLF and no trailing newline", "P:a\r\nV:1-r0\r\nA:x86_64\r\n\r\nP:b\r\nV:2-r1", 0, 2, NULL},
    {"record without P", "V:1-r0\nA:x86_64\n\nP:b\nV:1-r0\n", -1, 1,
     "line 1: package record without P (name)"},
    {"duplicate tag", "P:a\nV:1-r0\nV:2-r0\n", -1, 1, "line 3: duplicate V: line"},
    {"short and tagless lines", "P:a\nV:1\nX\n:x\n", -1, 1, "line 3: expected \"X:value\""},
    {"control byte in a version", "P:a\nV:1\x02\n", -1, 0, "control character in package a"},
    {"only blank lines", "\n\n\n", 0, 0, NULL},
    {"empty value of P", "P:\nV:1\n", -1, 0, "without P (name)"},
};

static void test_hand(void)
{
	for (size_t i = 0; i < sizeof(hand_cases) / sizeof(hand_cases[0]); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = str_parse(hull_apk_parse, c->text, "lib/apk/db/installed", &inv, &err);
		bool ok = rc == c->rc && inv.npkgs == c->n && (!c->err || strstr(err.msg, c->err));
		if (!ok)
			printf("# rc %d, %zu packages, err \"%s\"\n", rc, inv.npkgs, err.msg);
		TAP_OK(ok, "%s", c->what);
		hull_inventory_release(&inv);
	}
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	str_parse(hull_apk_parse, "P:a\nV:1.0-r0\n", "lib/apk/db/installed", &inv, &err);
	TAP_OK(inv.npkgs == 1 && !inv.pkgs[0].arch && !inv.pkgs[0].src_name &&
	           !inv.pkgs[0].src_version && !inv.pkgs[0].license,
	       "absent A, o, L stay NULL");
	hull_inventory_release(&inv);
}

int main(void)
{
	if (!tap_shared("apk-installed/trivy/analyzer-pkg-apk/installed"))
		return tap_done(); /* tap_shared failed loudly */
	test_trivy();
	test_syft_single("single");
	test_syft_single("empty-deps-and-provides");
	test_syft_single("base");
	test_syft_multiple();
	test_fake_alpine();
	test_hand();
	return tap_done();
}
