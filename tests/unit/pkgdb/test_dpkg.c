/* dpkg status parsing: trivy's and syft's fixtures with their expected
 * package lists, and hand-made edge cases. */
#include "pkgdb_test.h"

/* name version arch src_name src_version, "-" for none */
static void pkg_lines(const struct hull_inventory *inv, struct lines *out)
{
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct hull_pkg *p = &inv->pkgs[i];
		lines_add(out, "%s %s %s %s %s", p->name, or_dash(p->version), or_dash(p->arch),
		          or_dash(p->src_name), or_dash(p->src_version));
	}
}

static char *compose(const char *epoch, const char *version, const char *release)
{
	char *s = NULL;
	if (asprintf(&s, "%s%s%s%s%s", *epoch ? epoch : "", *epoch ? ":" : "", version,
	             *release ? "-" : "", release) < 0)
		return NULL;
	return s;
}

/* trivy: id name epoch version release src_name src_epoch src_version
 * src_release arch ... */
static void trivy_row(char **f, size_t n, void *ctx)
{
	if (n < 10)
		return;
	char *v = compose(f[2], f[3], f[4]), *sv = compose(f[6], f[7], f[8]);
	lines_add(ctx, "%s %s %s %s %s", f[1], v, or_dash(f[9]), or_dash(f[5]), sv);
	free(v);
	free(sv);
}

static void test_trivy_case(const char *name, size_t want_n)
{
	char rel[256], tsv[256];
	snprintf(rel, sizeof(rel), "dpkg-status/trivy/%s/var/lib/dpkg/status", name);
	snprintf(tsv, sizeof(tsv), "dpkg-status/trivy/%s/expected-packages.tsv", name);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_dpkg_status_parse, rel, "var/lib/dpkg/status", 3, &inv, &err);
	TAP_OK(rc == 0, "trivy %s: parses without problems (%s)", name, err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got);
	long rows = tsv_rows(tsv, "id", trivy_row, &want);
	TAP_OK(rows == (long)want_n && inv.npkgs == want_n, "trivy %s: %zu packages (got %zu)",
	       name, want_n, inv.npkgs);
	char what[64];
	snprintf(what, sizeof(what), "trivy %s", name);
	lines_same(&got, &want, what);
	bool meta = true;
	for (size_t i = 0; i < inv.npkgs; i++)
		meta &= inv.pkgs[i].type == HULL_PKG_DEB && inv.pkgs[i].layer == 3 &&
		        inv.pkgs[i].license == NULL && inv.pkgs[i].epoch == -1 &&
		        strcmp(inv.pkgs[i].file, "var/lib/dpkg/status") == 0;
	TAP_OK(meta, "trivy %s: type, layer, file set", name);
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

/* syft expected-parse.tsv: fixture test_case package source version
 * source_version arch ... (source empty: the package's own name) */
struct syft_want {
	const char *fixture;
	struct lines *lines;
};

static void syft_row(char **f, size_t n, void *ctx)
{
	struct syft_want *w = ctx;
	if (n < 7 || strcmp(f[0], w->fixture) != 0)
		return;
	/* hull does not list a stanza without a version (syft does, empty) */
	if (!*f[4])
		return;
	lines_add(w->lines, "%s %s %s %s %s", f[2], f[4], or_dash(f[6]), *f[3] ? f[3] : f[2],
	          *f[5] ? f[5] : f[4]);
}

static void test_syft_status_d(const char *name, int want_rc, size_t want_n)
{
	char rel[256], file[128];
	snprintf(rel, sizeof(rel), "dpkg-status/syft/var/lib/dpkg/status.d/%s", name);
	snprintf(file, sizeof(file), "var/lib/dpkg/status.d/%s", name);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = shared_parse(hull_dpkg_status_parse, rel, file, HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == want_rc, "syft status.d/%s: returns %d (%s)", name, want_rc, err.msg);
	if (want_rc < 0)
		TAP_OK(strncmp(err.msg, file, strlen(file)) == 0 && strstr(err.msg, "line "),
		       "syft status.d/%s: the error names the file and line: %s", name, err.msg);
	struct lines got = {0}, want = {0};
	pkg_lines(&inv, &got);
	struct syft_want w = {file, &want};
	tsv_rows("dpkg-status/syft/expected-parse.tsv", "fixture", syft_row, &w);
	TAP_OK(inv.npkgs == want_n, "syft status.d/%s: %zu packages (got %zu)", name, want_n,
	       inv.npkgs);
	char what[96];
	snprintf(what, sizeof(what), "syft status.d/%s", name);
	if (want.n)
		lines_same(&got, &want, what);
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

static bool has_pkg(const struct hull_inventory *inv, const char *name, const char *version)
{
	for (size_t i = 0; i < inv->npkgs; i++)
		if (strcmp(inv->pkgs[i].name, name) == 0 &&
		    (!version || strcmp(inv->pkgs[i].version, version) == 0))
			return true;
	return false;
}

static void test_syft_other(void)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	/* expected-images.tsv: libsqlite3-0 3.34.1-3, source sqlite3, arm64 */
	int rc = shared_parse(hull_dpkg_status_parse,
	                      "dpkg-status/syft/image-distroless-deb/var/lib/dpkg/status.d/"
	                      "libsqlite3-0",
	                      "var/lib/dpkg/status.d/libsqlite3-0", 1, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, "libsqlite3-0") == 0 &&
	           strcmp(inv.pkgs[0].version, "3.34.1-3") == 0 &&
	           strcmp(inv.pkgs[0].src_name, "sqlite3") == 0 &&
	           strcmp(inv.pkgs[0].arch, "arm64") == 0 && inv.pkgs[0].layer == 1,
	       "distroless status.d entry without Status is installed (%s)", err.msg);
	hull_inventory_release(&inv);

	rc = shared_parse(hull_dpkg_status_parse, "dpkg-status/syft/image-dpkg/var/lib/dpkg/status",
	                  "var/lib/dpkg/status", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && strcmp(inv.pkgs[0].name, "libpam-runtime") == 0 &&
	           strcmp(inv.pkgs[0].version, "1.1.8-3.6") == 0 &&
	           strcmp(inv.pkgs[0].src_name, "pam") == 0 && strcmp(inv.pkgs[0].arch, "all") == 0,
	       "image-dpkg status: libpam-runtime 1.1.8-3.6 (pam, all)");
	hull_inventory_release(&inv);

	/* expected-relationships.tsv names these packages; all have versions */
	static const char *const rel_pkgs[][2] = {
	    {"coreutils-relationships", "coreutils"}, {"coreutils-relationships", "libselinux1"},
	    {"coreutils-relationships", "libgcc-s1"}, {"doc-examples", "mutt"},
	    {"doc-examples", "made-up-package-4"},    {"libpam-runtime", "libpam-runtime"},
	};
	for (size_t i = 0; i < sizeof(rel_pkgs) / sizeof(rel_pkgs[0]); i++) {
		char rel[256], file[128];
		snprintf(rel, sizeof(rel), "dpkg-status/syft/var/lib/dpkg/status.d/%s",
		         rel_pkgs[i][0]);
		snprintf(file, sizeof(file), "var/lib/dpkg/status.d/%s", rel_pkgs[i][0]);
		shared_parse(hull_dpkg_status_parse, rel, file, HULL_LAYER_NONE, &inv, &err);
		TAP_OK(has_pkg(&inv, rel_pkgs[i][1], NULL), "status.d/%s lists %s", rel_pkgs[i][0],
		       rel_pkgs[i][1]);
		hull_inventory_release(&inv);
	}
	rc = shared_parse(hull_dpkg_status_parse,
	                  "dpkg-status/syft/var/lib/dpkg/status.d/coreutils-relationships",
	                  "var/lib/dpkg/status.d/coreutils-relationships", HULL_LAYER_NONE, &inv,
	                  &err);
	TAP_OK(rc == 0 && inv.npkgs == 9, "coreutils-relationships: 9 installed packages");
	hull_inventory_release(&inv);
	/* doc-examples: 16 stanzas, 5 with a version; the 11 others are
	 * reported, not listed with an empty version */
	rc = shared_parse(hull_dpkg_status_parse,
	                  "dpkg-status/syft/var/lib/dpkg/status.d/doc-examples",
	                  "var/lib/dpkg/status.d/doc-examples", HULL_LAYER_NONE, &inv, &err);
	TAP_OK(rc < 0 && inv.npkgs == 5 && strstr(err.msg, "line 25: missing Version") &&
	           strstr(err.msg, "(and 10 more problems)"),
	       "doc-examples: 5 packages, 11 stanzas without Version reported: %s", err.msg);
	hull_inventory_release(&inv);
}

struct hand_case {
	const char *what;
	const char *file;
	const char *text;
	int rc;
	const char *want; /* "name version arch src src_version;..." */
	const char *err;  /* substring of the error */
};

static const struct hand_case hand_cases[] = {
    {"CRLF line ends and continuation lines", "var/lib/dpkg/status",
     "Package: a\r\nStatus: install ok installed\r\nVersion: 1.0-1\r\nDescription: x\r\n"
     " more\r\n .\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2\r\n",
     0, "a 1.0-1 - a 1.0-1;b 2 - b 2", NULL},
    {"field names are case-insensitive, values trimmed", "var/lib/dpkg/status",
     "package:  a \nSTATUS: install ok installed\nversion:\t1:2.3-4 \narchitecture: amd64\n", 0,
     "a 1:2.3-4 amd64 a 1:2.3-4", NULL},
    {"Source with and without version", "var/lib/dpkg/status",
     "Package: libx1\nStatus: install ok installed\nSource: x (1.2-3)\nVersion: 1.2-3+b1\n\n"
     "Package: liby\nStatus: install ok installed\nSource: y\nVersion: 4.5\n",
     0, "libx1 1.2-3+b1 - x 1.2-3;liby 4.5 - y 4.5", NULL},
    {"installed-ish states are listed, others not", "var/lib/dpkg/status",
     "Package: s1\nStatus: install ok installed\nVersion: 1\n\n"
     "Package: s2\nStatus: install ok unpacked\nVersion: 1\n\n"
     "Package: s3\nStatus: install ok half-configured\nVersion: 1\n\n"
     "Package: s4\nStatus: install ok triggers-awaited\nVersion: 1\n\n"
     "Package: s5\nStatus: install ok triggers-pending\nVersion: 1\n\n"
     "Package: s6\nStatus: deinstall ok installed\nVersion: 1\n\n"
     "Package: s7\nStatus: hold reinstreq installed\nVersion: 1\n\n"
     "Package: n1\nStatus: deinstall ok config-files\nVersion: 1\n\n"
     "Package: n2\nStatus: install reinstreq half-installed\nVersion: 1\n\n"
     "Package: n3\nStatus: purge ok not-installed\n\n"
     "Package: n4\nVersion: 1\n",
     0, "s1 1 - s1 1;s2 1 - s2 1;s3 1 - s3 1;s4 1 - s4 1;s5 1 - s5 1;s6 1 - s6 1;s7 1 - s7 1",
     NULL},
    {"missing Version names the stanza's line", "var/lib/dpkg/status",
     "Package: ok\nStatus: install ok installed\nVersion: 1\n\n\n"
     "Package: broken\nStatus: install ok installed\nArchitecture: amd64\n",
     -1, "ok 1 - ok 1", "var/lib/dpkg/status: line 6: missing Version (package broken)"},
    {"a bad Status is reported", "var/lib/dpkg/status",
     "Package: a\nStatus: install ok installd\nVersion: 1\n", -1, "",
     "line 1: bad Status \"install ok installd\""},
    {"dpkg version syntax", "var/lib/dpkg/status",
     "Package: a\nStatus: install ok installed\nVersion: 1:5.#\n\n"
     "Package: b\nStatus: install ok installed\nVersion: x:1\n\n"
     "Package: c\nStatus: install ok installed\nVersion: 1.0-\n\n"
     "Package: d\nStatus: install ok installed\nVersion: 1.0-a_b\n\n"
     "Package: e\nStatus: install ok installed\nVersion: 2:1.0-1~bpo1\n",
     -1, "e 2:1.0-1~bpo1 - e 2:1.0-1~bpo1",
     "line 1: bad Version: invalid character in the version (package a) (and 3 more"},
    {"garbage line and stray continuation", "var/lib/dpkg/status",
     " stray\nPackage: a\nStatus: install ok installed\nnot a field\nVersion: 1\n", -1, "a 1 - a 1",
     "line 1: continuation line outside a field (and 1 more problems)"},
    {"no trailing newline, several blank lines", "var/lib/dpkg/status",
     "\n\n\nPackage: a\nStatus: install ok installed\nVersion: 1", 0, "a 1 - a 1", NULL},
    {"empty file", "var/lib/dpkg/status", "", 0, "", NULL},
    {"duplicate field", "var/lib/dpkg/status",
     "Package: a\nStatus: install ok installed\nVersion: 1\nVersion: 2\n", -1, "a 1 - a 1",
     "line 4: duplicate field Version"},
    {"a control byte in a name", "var/lib/dpkg/status.d/x", "Package: a\x01z\nVersion: 1\n", -1, "",
     "bad Package name \"a?z\""},
    {"status.d: no Status means installed", "var/lib/dpkg/status.d/a",
     "Package: a\nVersion: 1\nArchitecture: arm64\n", 0, "a 1 arm64 a 1", NULL},
    {"status.d: an empty Package", "var/lib/dpkg/status.d/empty", "Package:", -1, "",
     "line 1: bad Package name \"\""},
    {"bad Source", "var/lib/dpkg/status",
     "Package: a\nStatus: install ok installed\nSource: x (1.0\nVersion: 1\n", -1, "",
     "bad Source (package a)"},
};

static void test_hand(void)
{
	for (size_t i = 0; i < sizeof(hand_cases) / sizeof(hand_cases[0]); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = str_parse(hull_dpkg_status_parse, c->text, c->file, &inv, &err);
		struct lines got = {0};
		pkg_lines(&inv, &got);
		lines_sort(&got);
		char joined[1024] = "";
		for (size_t j = 0; j < got.n; j++)
			snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
			         j ? ";" : "", got.v[j]);
		bool ok = rc == c->rc && strcmp(joined, c->want) == 0 &&
		          (!c->err || strstr(err.msg, c->err));
		if (!ok)
			printf("# rc %d, got \"%s\", err \"%s\"\n", rc, joined, err.msg);
		TAP_OK(ok, "%s", c->what);
		lines_free(&got);
		hull_inventory_release(&inv);
	}
}

int main(void)
{
	if (!tap_shared("dpkg-status/trivy/valid/var/lib/dpkg/status"))
		return tap_done(); /* tap_shared failed loudly */
	test_trivy_case("valid", 90);
	test_trivy_case("corrupsed", 4);
	test_trivy_case("digest", 2);
	test_trivy_case("md5sums", 1);
	test_trivy_case("only-apt", 1);
	test_trivy_case("third-party", 2);
	test_syft_status_d("single", 0, 1);
	test_syft_status_d("installed-size-4KB", 0, 1);
	/* "Package:" (empty) and "no-version" are reported, not listed */
	test_syft_status_d("multiple", -1, 2);
	test_syft_status_d("deinstall", 0, 1);
	test_syft_status_d("corrupt", -1, 0);
	test_syft_status_d("empty", -1, 0);
	test_syft_other();
	test_hand();
	return tap_done();
}
