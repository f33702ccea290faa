/* npm: trivy's package.json and package-lock.json fixtures with their
 * expected lists, and edge cases. */
#include "pkgdb_test.h"

/* name version license ("-" when none) */
static void pkg_lines(const struct hull_inventory *inv, struct lines *out)
{
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct hull_pkg *p = &inv->pkgs[i];
		lines_add(out, "%s %s %s", p->name, or_dash(p->version), or_dash(p->license));
	}
}

/* trivy joins licenses with ';' in the TSV; hull with ", " */
static char *licenses(const char *tsv)
{
	char *out = malloc(strlen(tsv) * 2 + 2), *o = out;
	for (const char *p = tsv; *p; p++) {
		if (*p == ';') {
			*o++ = ',';
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* package-json expected.tsv: fixture test_case id name version licenses ...
 * expect_error (column 11) */
static void package_json_row(char **f, size_t n, void *ctx)
{
	(void)ctx;
	if (n < 5)
		return;
	char rel[256];
	snprintf(rel, sizeof(rel), "python-npm-meta/package-json/%s", f[0]);
	const char *want_err = n > 10 ? f[10] : "";
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_npm_package_json_parse, rel, "node_modules/x/package.json", 4,
	                      &inv, &err);
	if (*want_err) {
		bool match = rc < 0 && strcasestr(err.msg, want_err) != NULL;
		/* json-c words its parse errors its own way */
		if (strcmp(want_err, "JSON decode error") == 0)
			match = rc < 0 && strstr(err.msg, "invalid JSON");
		TAP_OK(match, "package.json %s: error \"%s\" (%s)", f[0], want_err, err.msg);
	} else if (!*f[3]) {
		/* no name: trivy returns an empty package, hull none */
		TAP_OK(rc == 0 && inv.npkgs == 0, "package.json %s: no package", f[0]);
	} else {
		char *lic = licenses(n > 5 ? f[5] : "");
		bool ok = rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, f[3]) == 0 &&
		          strcmp(inv.pkgs[0].version, f[4]) == 0 &&
		          strcmp(or_dash(inv.pkgs[0].license), or_dash(lic)) == 0 &&
		          inv.pkgs[0].layer == 4 && inv.pkgs[0].type == HULL_PKG_NPM;
		if (!ok && inv.npkgs)
			printf("# got %s %s %s\n", inv.pkgs[0].name, inv.pkgs[0].version,
			       or_dash(inv.pkgs[0].license));
		TAP_OK(ok, "package.json %s: %s@%s license %s (%s)", f[0], f[3], f[4], or_dash(lic),
		       err.msg);
		free(lic);
	}
	hull_inventory_release(&inv);
}

/* lock expected: id name version dev relationship licenses ... */
static void lock_row(char **f, size_t n, void *ctx)
{
	if (n < 6)
		return;
	char *lic = licenses(f[5]);
	lines_add(ctx, "%s %s %s", f[1], or_dash(f[2]), or_dash(lic));
	free(lic);
}

static void test_lock(const char *name, size_t want_n)
{
	char rel[256], tsv[256];
	snprintf(rel, sizeof(rel), "python-npm-meta/npm-lock/%s.json", name);
	snprintf(tsv, sizeof(tsv), "python-npm-meta/npm-lock/%s.expected.tsv", name);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_npm_lock_parse, rel, "app/package-lock.json", 1, &inv, &err);
	TAP_OK(rc == 0, "%s: parses (%s)", name, err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got);
	/* the expected block of dependencies starts with "#id" and is skipped
	 * with the comments; its rows have 2 columns */
	tsv_rows(tsv, "id", lock_row, &want);
	TAP_OK(inv.npkgs == want_n && want.n == want_n, "%s: %zu packages (got %zu)", name, want_n,
	       inv.npkgs);
	if (want_n)
		lines_same(&got, &want, name);
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

static void test_lock_versions_agree(void)
{
	struct lines l[3] = {{0}};
	static const char *const names[] = {"package-lock_v1", "package-lock_v2",
	                                    "package-lock_v3"};
	for (int i = 0; i < 3; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "python-npm-meta/npm-lock/%s.json", names[i]);
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		shared_parse(hull_npm_lock_parse, rel, "package-lock.json", 0, &inv, &err);
		for (size_t j = 0; j < inv.npkgs; j++)
			lines_add(&l[i], "%s@%s", inv.pkgs[j].name, inv.pkgs[j].version);
		hull_inventory_release(&inv);
	}
	TAP_OK(l[0].n == 31, "lockfile v1 gives 31 packages");
	lines_same(&l[1], &l[0], "lockfile v2 = v1");
	lines_same(&l[2], &l[0], "lockfile v3 = v1");
	for (int i = 0; i < 3; i++)
		lines_free(&l[i]);
}

struct hand_case {
	const char *what;
	test_parser parse;
	const char *text;
	int rc;
	const char *want; /* "name@version[license];..." sorted */
	const char *err;
};

static const struct hand_case hand_cases[] = {
    {"scoped name, licenses object", hull_npm_package_json_parse,
     "{\"name\":\"@s/a\",\"version\":\"1.0.0\",\"license\":{\"type\":\"MIT\"}}", 0,
     "@s/a@1.0.0[MIT]", NULL},
    {"legacy licenses array", hull_npm_package_json_parse,
     "{\"name\":\"a\",\"version\":\"1\",\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"GPL\"}]}", 0,
     "a@1[MIT, GPL]", NULL},
    {"version that is not a string", hull_npm_package_json_parse, "{\"name\":\"a\",\"version\":1}",
     -1, "", "version of a is not a string"},
    {"not an object", hull_npm_package_json_parse, "[1,2]", -1, "", "not a JSON object"},
    {"truncated JSON", hull_npm_package_json_parse, "{\"name\":\"a\"", -1, "",
     "unexpected end of JSON"},
    {"name with a slash too many", hull_npm_package_json_parse,
     "{\"name\":\"@a/b/c\",\"version\":\"1\"}", -1, "", "URL-friendly"},
    {"lock v2: alias name, nested path, link with no target", hull_npm_lock_parse,
     "{\"lockfileVersion\":2,\"packages\":{\"\":{\"name\":\"root\"},"
     "\"node_modules/alias\":{\"name\":\"real\",\"version\":\"2.0.0\"},"
     "\"node_modules/a/node_modules/@s/b\":{\"version\":\"1.0.0\"},"
     "\"node_modules/l\":{\"link\":true},"
     "\"lib/x\":{\"version\":\"9\"}}}",
     0, "@s/b@1.0.0[];real@2.0.0[]", NULL},
    {"lock v2: link target matched on a path boundary", hull_npm_lock_parse,
     "{\"packages\":{\"node_modules/w\":{\"link\":true,\"resolved\":\"pk/w\"},"
     "\"pk/w\":{\"version\":\"1\"},\"pk/w2\":{\"version\":\"2\"},"
     "\"pk/w/node_modules/d\":{\"version\":\"3\"}}}",
     0, "d@3[];w@1[]", NULL},
    {"lock v1: nested dependencies, duplicates once", hull_npm_lock_parse,
     "{\"lockfileVersion\":1,\"dependencies\":{\"a\":{\"version\":\"1\",\"dependencies\":"
     "{\"b\":{\"version\":\"2\"}}},\"b\":{\"version\":\"2\"},\"c\":{\"version\":\"3\"}}}",
     0, "a@1[];b@2[];c@3[]", NULL},
    {"lock: bad names are reported", hull_npm_lock_parse,
     "{\"packages\":{\"node_modules/\":{\"version\":\"1\"},\"node_modules/ok\":{\"version\":"
     "\"1\"}}}",
     -1, "ok@1[]", "packages[\"node_modules/\"]: bad name or version"},
    {"lock without packages or dependencies", hull_npm_lock_parse, "{\"name\":\"x\"}", 0, "", NULL},
};

static void test_hand(void)
{
	for (size_t i = 0; i < sizeof(hand_cases) / sizeof(hand_cases[0]); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = str_parse(c->parse, c->text, "x/package.json", &inv, &err);
		hull_inventory_sort(&inv);
		char got[1024] = "";
		for (size_t j = 0; j < inv.npkgs; j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s@%s[%s]",
			         j ? ";" : "", inv.pkgs[j].name, inv.pkgs[j].version,
			         inv.pkgs[j].license ? inv.pkgs[j].license : "");
		bool ok = rc == c->rc && strcmp(got, c->want) == 0 &&
		          (!c->err || strstr(err.msg, c->err));
		if (!ok)
			printf("# rc %d, got \"%s\", err \"%s\"\n", rc, got, err.msg);
		TAP_OK(ok, "%s", c->what);
		hull_inventory_release(&inv);
	}
}

/* hull_inventory_from_lockfile: a source tree's lockfile by its name;
 * other files are not known (nothing read). */
static void test_from_lockfile(void)
{
	static const char lock[] =
	    "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"
	    "\"node_modules/lodash\":{\"version\":\"4.17.15\"},"
	    "\"node_modules/a/node_modules/lodash\":{\"version\":\"4.17.15\"},"
	    "\"node_modules/minimist\":{\"version\":\"1.2.0\"}}}";
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	bool known = false;
	int rc = hull_inventory_from_lockfile(hull_str(lock, sizeof(lock) - 1),
	                                      "app/package-lock.json", &inv, &known, &err);
	TAP_OK(rc == 0 && known && inv.npkgs == 2 && !strcmp(inv.pkgs[0].name, "lodash") &&
	           !strcmp(inv.pkgs[1].name, "minimist"),
	       "package-lock.json: 2 packages, lodash once (%s)", err.msg);
	hull_inventory_release(&inv);
	inv = (struct hull_inventory){0};
	rc = hull_inventory_from_lockfile(hull_str(lock, sizeof(lock) - 1), "app/config.json", &inv,
	                                  &known, &err);
	TAP_OK(rc == 0 && !known && inv.npkgs == 0, "another JSON file is not a lockfile");
	rc =
	    hull_inventory_from_lockfile(hull_str("{", 1), "package-lock.json", &inv, &known, &err);
	TAP_OK(rc < 0 && known && strstr(err.msg, "package-lock.json"),
	       "a broken lockfile is an error naming it: %s", err.msg);
	hull_inventory_release(&inv);
}

int main(void)
{
	test_from_lockfile();
	if (!tap_shared("python-npm-meta/package-json/expected.tsv"))
		return tap_done(); /* tap_shared failed loudly */
	long rows = tsv_rows("python-npm-meta/package-json/expected.tsv", "fixture",
	                     package_json_row, NULL);
	TAP_OK(rows == 13, "package-json: 13 expected rows checked");
	test_lock("package-lock_v1", 31);
	test_lock("package-lock_v2", 31);
	test_lock("package-lock_v3", 31);
	test_lock("package-lock_v3_broken_link", 0);
	test_lock("package-lock_v3_with-same-dev-and-non-dev", 4);
	test_lock("package-lock_v3_with_legacy_licenses", 3);
	test_lock("package-lock_v3_with_peer", 5);
	test_lock("package-lock_v3_with_workspace", 6);
	test_lock("package-lock_v3_with_workspace_as_object", 2);
	test_lock("package-lock_v3_without_root_deps_field", 3);
	test_lock_versions_agree();
	test_hand();
	return tap_done();
}
