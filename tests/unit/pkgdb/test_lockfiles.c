/* Lockfiles read by name: yarn.lock (classic, berry), pnpm-lock.yaml (5.4,
 * 6.0, 9.0), requirements.txt, poetry.lock, Pipfile.lock, uv.lock, go.mod,
 * Cargo.lock. The files under tests/data/lockfiles were written by the real
 * tools (tests/data/lockfiles/README.md says which and how); each is
 * compared with a list the tool itself gave (its installed tree, its own
 * listing), then edge cases in literal inputs. */
#include "pkgdb_test.h"

/* A file of tests/data/lockfiles, or NULL. */
static char *data_read(const char *rel, size_t *len)
{
	const char *src = getenv("HULL_SRC");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/data/lockfiles/%s", src ? src : ".", rel);
	char *data = NULL;
	struct hull_err err = {0};
	if (hull_fs_read_file(path, 64u << 20, &data, len, &err) < 0)
		return NULL;
	return data;
}

/* Parses a data file from an exact-size copy (ASan sees overreads). */
static int data_parse(test_parser parse, const char *rel, const char *file,
                      struct hull_inventory *inv, struct hull_err *err)
{
	size_t len;
	char *data = data_read(rel, &len);
	if (!data)
		return -2;
	char *exact = malloc(len ? len : 1);
	memcpy(exact, data, len);
	free(data);
	int rc = parse(hull_str(exact, len), file, 3, inv, err);
	free(exact);
	return rc;
}

/* "name version" lines of a TSV in tests/data/lockfiles. */
static void expected_lines(const char *rel, struct lines *out)
{
	size_t len;
	char *data = data_read(rel, &len);
	if (!data)
		return;
	struct hull_str rest = hull_str(data, len), line;
	while (hull_str_next_line(&rest, &line)) {
		if (!line.len || line.ptr[0] == '#')
			continue;
		struct hull_str name, version;
		hull_str_split(line, '\t', &name, &version);
		lines_add(out, "%.*s %.*s", (int)name.len, name.ptr, (int)version.len, version.ptr);
	}
	free(data);
}

static void pkg_lines(const struct hull_inventory *inv, enum hull_pkg_type type, const char *file,
                      struct lines *out, size_t *bad)
{
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct hull_pkg *p = &inv->pkgs[i];
		lines_add(out, "%s %s", p->name, p->version);
		if (p->type != type || strcmp(p->file, file) != 0 || p->layer != 3)
			(*bad)++;
	}
}

/* A real lockfile against its expected list. */
static void real_file(test_parser parse, const char *rel, const char *file, const char *expected,
                      enum hull_pkg_type type)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = data_parse(parse, rel, file, &inv, &err);
	struct lines got = {0}, want = {0};
	size_t bad = 0;
	if (rc == -2) {
		TAP_OK(0, "%s: missing", rel);
		return;
	}
	TAP_OK(rc == 0, "%s: read without problems (%s)", rel, err.msg);
	pkg_lines(&inv, type, file, &got, &bad);
	expected_lines(expected, &want);
	lines_same(&got, &want, rel);
	TAP_OK(bad == 0, "%s: type, file and layer set on every package", rel);
	lines_free(&got);
	lines_free(&want);
	hull_inventory_release(&inv);
}

/* A literal input: its packages as sorted "name version" lines joined by
 * ", ", and whether it parsed cleanly. */
static void literal(test_parser parse, const char *file, const char *text, int want_rc,
                    const char *want, const char *err_has, const char *what)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = str_parse(parse, text, file, &inv, &err);
	hull_inventory_sort(&inv);
	char got[4096] = "";
	for (size_t i = 0; i < inv.npkgs; i++) {
		size_t n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "%s%s %s", i ? ", " : "", inv.pkgs[i].name,
		         inv.pkgs[i].version);
	}
	bool ok = rc == want_rc && !strcmp(got, want) && (!err_has || strstr(err.msg, err_has));
	if (!ok)
		printf("# rc %d, got \"%s\", error \"%s\"\n", rc, got, err.msg);
	TAP_OK(ok, "%s", what);
	hull_inventory_release(&inv);
}

/* The property key=value of the first package named name. */
__attribute__((unused)) static bool has_prop(test_parser parse, const char *file, const char *text,
                                             const char *name, const char *prop)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	str_parse(parse, text, file, &inv, &err);
	bool found = false;
	for (size_t i = 0; i < inv.npkgs; i++)
		if (!strcmp(inv.pkgs[i].name, name) && inv.pkgs[i].props &&
		    strstr(inv.pkgs[i].props, prop))
			found = true;
	hull_inventory_release(&inv);
	return found;
}

/* ---- JavaScript ---- */

static void js(void)
{
	static const struct {
		test_parser parse;
		const char *rel, *file;
	} files[] = {
	    {hull_yarn_lock_parse, "js/yarn-v1.lock", "app/yarn.lock"},
	    {hull_yarn_lock_parse, "js/yarn-berry.lock", "app/yarn.lock"},
	    {hull_pnpm_lock_parse, "js/pnpm-v5.4.yaml", "app/pnpm-lock.yaml"},
	    {hull_pnpm_lock_parse, "js/pnpm-v6.0.yaml", "app/pnpm-lock.yaml"},
	    {hull_pnpm_lock_parse, "js/pnpm-v9.0.yaml", "app/pnpm-lock.yaml"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		real_file(files[i].parse, files[i].rel, files[i].file, "js/expected.tsv",
		          HULL_PKG_NPM);

	literal(hull_yarn_lock_parse, "yarn.lock",
	        "# yarn lockfile v1\n\n\n"
	        "abbrev@1, abbrev@^1.0.0:\n  version \"1.1.1\"\n  resolved \"x\"\n\n"
	        "\"@types/node@*\":\n  version \"18.0.0\"\n  dependencies:\n    version \"9\"\n\n"
	        "\"alias-x@npm:string-width@^4\":\n  version \"4.2.3\"\n\n"
	        "\"local@file:../local\":\n  version \"0.1.0\"\n",
	        0, "@types/node 18.0.0, abbrev 1.1.1, local 0.1.0, string-width 4.2.3", NULL,
	        "yarn classic: bare and quoted specs, an alias lists the real package, a "
	        "dependency's \"version\" is not the entry's");
	literal(
	    hull_yarn_lock_parse, "yarn.lock",
	    "a@1:\n  version \"1.0.0\"\nb@1:\n  resolved \"x\"\nc@1:\n  version \"bad version\"\n"
	    "d\n",
	    -1, "a 1.0.0", "yarn.lock: line 3: b: no version (and 2 more problems)",
	    "yarn classic: an entry without a version, a bad version and a stray line are "
	    "problems, the rest is listed");
	literal(
	    hull_yarn_lock_parse, "yarn.lock",
	    "__metadata:\n  version: 8\n\n"
	    "\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n"
	    "\"left-pad@npm:^1.3.0\":\n  version: 1.3.0\n  resolution: \"left-pad@npm:1.3.0\"\n"
	    "\"fsevents@patch:fsevents@npm%3A2.3.2#~builtin<compat/fsevents>\":\n"
	    "  version: 2.3.2\n  resolution: \"fsevents@patch:fsevents@npm%3A2.3.2#x\"\n"
	    "\"lib@link:./lib\":\n  version: 0.0.0-use.local\n  resolution: \"lib@link:./lib\"\n",
	    0, "fsevents 2.3.2, left-pad 1.3.0", NULL,
	    "yarn berry: npm and patched packages listed, workspaces and links not");
	literal(hull_yarn_lock_parse, "yarn.lock", "__metadata:\n  version: 8\nx: [\n", -1, "",
	        "yarn.lock: line", "yarn berry: broken YAML names the file and line");

	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml",
	        "lockfileVersion: 5.4\npackages:\n"
	        "  /@babel/core/7.22.0_@types+node@18.0.0:\n    dev: false\n"
	        "  /left-pad/1.3.0:\n    dev: true\n"
	        "  github.com/user/repo/abcdef:\n    name: repo\n    version: 2.0.0\n"
	        "  github.com/user/other/abcdef:\n    resolution: {tarball: x}\n",
	        0, "@babel/core 7.22.0, left-pad 1.3.0, repo 2.0.0", NULL,
	        "pnpm 5.x: scoped key with a peer suffix, a git dependency by its fields, one "
	        "without fields skipped");
	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml",
	        "lockfileVersion: '6.0'\npackages:\n"
	        "  /@scope/a@1.0.0(react@18.2.0)(b@2.0.0):\n    dev: false\n"
	        "  /a@1.0.0:\n    dev: false\n  /a@1.0.0(x@1.0.0):\n    dev: false\n",
	        0, "@scope/a 1.0.0, a 1.0.0", NULL, "pnpm 6.x: peers cut, each name@version once");
	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml",
	        "lockfileVersion: '9.0'\nimporters:\n  .: {}\npackages:\n"
	        "  '@x/y@1.0.0-rc.1':\n    resolution: {integrity: z}\n"
	        "  'bad name@1.0.0':\n    resolution: {integrity: z}\n"
	        "snapshots:\n  '@x/y@1.0.0-rc.1(q@1.0.0)': {}\n",
	        -1, "@x/y 1.0.0-rc.1", "packages[\"bad name@1.0.0\"]: bad name or version",
	        "pnpm 9.x: packages listed, a bad name is a problem, snapshots not read again");
	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml", "packages: {}\n", -1, "",
	        "no lockfileVersion", "pnpm: a YAML file without lockfileVersion is refused");
}

int main(void)
{
	js();
	return tap_done();
}
