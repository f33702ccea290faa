/* Python core metadata: trivy's fixtures with their expected results, and
 * edge cases. */
#include "pkgdb_test.h"

/* expected.tsv: fixture test_case name version licenses expect_error;
 * trivy's TSV joins several licenses with ';', hull with ", ". */
static void row(char **f, size_t n, void *ctx)
{
	(void)ctx;
	if (n < 6)
		return;
	char rel[256], lic[512] = "";
	snprintf(rel, sizeof(rel), "python-npm-meta/python-metadata/%s", f[0]);
	size_t o = 0;
	for (const char *p = f[4]; *p && o < sizeof(lic) - 3; p++) {
		lic[o++] = *p == ';' ? ',' : *p;
		if (*p == ';')
			lic[o++] = ' ';
	}
	lic[o] = '\0';
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_python_metadata_parse, rel,
	                      "usr/lib/python3/dist-packages/x.dist-info/METADATA", 5, &inv, &err);
	if (strcmp(f[5], "true") == 0) {
		TAP_OK(rc < 0 && inv.npkgs == 0 && strstr(err.msg, "missing Name or Version"),
		       "%s: an error (%s)", f[0], err.msg);
	} else {
		bool ok = rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, f[2]) == 0 &&
		          strcmp(inv.pkgs[0].version, f[3]) == 0 &&
		          strcmp(or_dash(inv.pkgs[0].license), or_dash(lic)) == 0 &&
		          inv.pkgs[0].type == HULL_PKG_PYPI && inv.pkgs[0].layer == 5;
		if (!ok && inv.npkgs)
			printf("# got %s %s [%s]\n", inv.pkgs[0].name, inv.pkgs[0].version,
			       or_dash(inv.pkgs[0].license));
		TAP_OK(ok, "%s: %s %s license [%s] (%s)", f[0], f[2], f[3], lic, err.msg);
	}
	hull_inventory_release(&inv);
}

struct hand_case {
	const char *what, *text;
	int rc;
	const char *want; /* name version [license] */
};

static const struct hand_case hand_cases[] = {
    {"License-Expression wins over License and classifiers",
     "Name: a\nVersion: 1\nLicense: BSD\nLicense-Expression: MIT OR Apache-2.0\n"
     "Classifier: License :: OSI Approved :: MIT License\n",
     0, "a 1 [MIT OR Apache-2.0]"},
    {"a classifier naming a license wins over License",
     "Name: a\nVersion: 1\nLicense: BSD-ish\nClassifier: License :: OSI Approved :: BSD License\n",
     0, "a 1 [BSD License]"},
    {"bare license categories do not count",
     "Name: a\nVersion: 1\nLicense: EPL\nClassifier: License :: OSI Approved\n"
     "Classifier: License :: DFSG approved\n",
     0, "a 1 [EPL]"},
    {"multi-line License joined",
     "Name: a\nVersion: 1\nLicense: Free to use\n"
     "        for any\n        purpose.\n\nbody",
     0, "a 1 [Free to use for any purpose.]"},
    {"several License-File", "Name: a\nVersion: 1\nLicense-File: LICENSE\nLicense-File: NOTICE\n",
     0, "a 1 [file://LICENSE, file://NOTICE]"},
    {"keys are case-insensitive, CRLF", "name: a\r\nversion: 2.0\r\nlicense: MIT\r\n", 0,
     "a 2.0 [MIT]"},
    {"headers end at the first empty line", "Name: a\n\nVersion: 1\n", -1, ""},
    {"a non-header line ends the headers", "Name: a\nthis is body\nVersion: 1\n", -1, ""},
    {"no license at all", "Name: a\nVersion: 1\n", 0, "a 1 [-]"},
    {"empty input", "", -1, ""},
    {"control byte in the name", "Name: a\x01\nVersion: 1\n", -1, ""},
    {"first Name wins", "Name: a\nName: b\nVersion: 1\n", 0, "a 1 [-]"},
};

static void test_hand(void)
{
	for (size_t i = 0; i < sizeof(hand_cases) / sizeof(hand_cases[0]); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = str_parse(hull_python_metadata_parse, c->text, "x.egg-info/PKG-INFO", &inv,
		                   &err);
		char got[512] = "";
		if (inv.npkgs)
			snprintf(got, sizeof(got), "%s %s [%s]", inv.pkgs[0].name,
			         inv.pkgs[0].version, or_dash(inv.pkgs[0].license));
		bool ok = rc == c->rc && strcmp(got, c->want) == 0 &&
		          (rc == 0 || strstr(err.msg, "x.egg-info/PKG-INFO: "));
		if (!ok)
			printf("# rc %d, got \"%s\", err \"%s\"\n", rc, got, err.msg);
		TAP_OK(ok, "%s", c->what);
		hull_inventory_release(&inv);
	}
}

int main(void)
{
	if (!tap_shared("python-npm-meta/python-metadata/expected.tsv"))
		return tap_done(); /* tap_shared failed loudly */
	long rows = tsv_rows("python-npm-meta/python-metadata/expected.tsv", "fixture", row, NULL);
	TAP_OK(rows == 11, "11 expected rows checked");
	test_hand();
	return tap_done();
}
