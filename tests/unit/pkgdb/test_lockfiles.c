/* Lockfiles read by name: yarn.lock (classic, berry), pnpm-lock.yaml (5.4,
 * 6.0, 9.0), requirements.txt, poetry.lock, Pipfile.lock, uv.lock, go.mod,
 * Cargo.lock, gradle.lockfile, pom.xml. The files under tests/data/lockfiles were written by the
 * real tools (tests/data/lockfiles/README.md says which and how); each is compared with a list the
 * tool itself gave (its installed tree, its own listing), then edge cases in literal inputs. */
#include <stdint.h>
#include <zlib.h>

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
		struct hull_str name, version, more;
		hull_str_split(line, '\t', &name, &version);
		hull_str_split(version, '\t', &version, &more);
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
static bool has_prop(test_parser parse, const char *file, const char *text, const char *name,
                     const char *prop)
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

	/* field names may be quoted too (yarn's own parser reads them as
	 * strings; Trivy's yarn_with_npm fixture) */
	literal(hull_yarn_lock_parse, "yarn.lock",
	        "\"jquery@^3.6.0\":\n  \"integrity\" \"sha512-x\"\n"
	        "  \"resolved\" \"https://registry.npmjs.org/jquery/-/jquery-3.6.0.tgz\"\n"
	        "  \"version\" \"3.6.0\"\n\n\"a@1\":\n  \"dependencies\":\n    \"version\" \"9\"\n"
	        "  \"version\" \"1.0.0\"\n",
	        0, "a 1.0.0, jquery 3.6.0", NULL, "yarn classic: quoted field names");
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
	/* 9.x tarball and file: dependencies: the key names the package, the
	 * entry's version field its version (pnpm writes no name field); a
	 * directory dependency has no version and is the project's own */
	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml",
	        "lockfileVersion: '9.0'\npackages:\n"
	        "  asynckit@https://github.com/alexindigo/asynckit/tarball/v0.4.0:\n"
	        "    resolution: {tarball: https://github.com/alexindigo/asynckit/tarball/v0.4.0}\n"
	        "    version: 0.4.0\n"
	        "  '@s/neg@https://codeload.github.com/s/neg/tar.gz/2fa0531':\n"
	        "    resolution: {tarball: https://codeload.github.com/s/neg/tar.gz/2fa0531}\n"
	        "    version: 2.0.1\n"
	        "  lodash@file:vendor/lodash.tgz:\n"
	        "    resolution: {integrity: sha512-x, tarball: file:vendor/lodash.tgz}\n"
	        "    version: 4.17.21\n"
	        "  own@file:packages/own:\n    resolution: {directory: packages/own, type: "
	        "directory}\n",
	        0, "@s/neg 2.0.1, asynckit 0.4.0, lodash 4.17.21", NULL,
	        "pnpm 9.x: tarball and file: packages named by their key, at their version field");
	/* pnpm 11: the env lockfile (the package manager's own packages) is a
	 * first document; only the project's is listed */
	literal(
	    hull_pnpm_lock_parse, "pnpm-lock.yaml",
	    "lockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\n"
	    "    packageManagerDependencies:\n      pnpm: {specifier: ^11.7.0, version: 11.9.0}\n"
	    "packages:\n  pnpm@11.9.0:\n    resolution: {integrity: x}\n"
	    "---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n"
	    "      is-number: {specifier: ^7.0.0, version: 7.0.0}\n"
	    "packages:\n  is-number@7.0.0:\n    resolution: {integrity: y}\n",
	    0, "is-number 7.0.0", NULL, "pnpm 11: the env lockfile document is not listed");
	literal(hull_pnpm_lock_parse, "pnpm-lock.yaml", "packages: {}\n", -1, "",
	        "no lockfileVersion", "pnpm: a YAML file without lockfileVersion is refused");
}

/* ---- Python ---- */

static void python(void)
{
	real_file(hull_poetry_lock_parse, "python/poetry.lock", "app/poetry.lock",
	          "python/poetry.expected.tsv", HULL_PKG_PYPI);
	real_file(hull_pipfile_lock_parse, "python/Pipfile.lock", "app/Pipfile.lock",
	          "python/pipenv.expected.tsv", HULL_PKG_PYPI);
	real_file(hull_requirements_parse, "python/requirements-pipenv.txt", "app/requirements.txt",
	          "python/pipenv.expected.tsv", HULL_PKG_PYPI);
	real_file(hull_requirements_parse, "python/requirements-freeze.txt", "app/requirements.txt",
	          "python/freeze.expected.tsv", HULL_PKG_PYPI);

	literal(
	    hull_requirements_parse, "requirements.txt",
	    "# comment\n"
	    "requests==2.31.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n"
	    "Django[argon2, bcrypt] == 4.2.1 ; python_version >= \"3.8\"  # pinned\n"
	    "-r base.txt\n-c constraints.txt\n--index-url https://x/simple\n"
	    "zope.interface===5.4.0\n",
	    0, "Django 4.2.1, requests 2.31.0, zope.interface 5.4.0", NULL,
	    "requirements: continuations with hashes, extras and markers, ===, options skipped");
	literal(
	    hull_requirements_parse, "requirements.txt",
	    "flask>=2.0\nnumpy==1.*\nattrs==21.4.0\n-e git+https://x/y#egg=z\n"
	    "pkg @ https://x/pkg.whl\nsix\n",
	    -1, "attrs 21.4.0",
	    "requirements.txt: line 1: flask: not pinned with ==; not listed (and 4 more problems)",
	    "requirements: ranges, wildcards, editables, URLs and bare names are noted, not "
	    "invented");
	/* "==" takes a PEP 440 version (pip refuses the line otherwise); "#"
	 * starts a comment only after a blank, as in pip */
	literal(hull_requirements_parse, "requirements.txt",
	        "Flask==2.0.0 #comment\nJinja2==3.0.0#comment\nfoo=='1.2.4'\n"
	        "torch==2.1.0+cu121\nlegacy===1.0-custom#x\n",
	        -1, "Flask 2.0.0, legacy 1.0-custom#x, torch 2.1.0+cu121",
	        "line 2: Jinja2==3.0.0#comment: not a PEP 440 version; not listed (and 1 more",
	        "requirements: a version that is no PEP 440 version is a problem, not a package");
	literal(hull_poetry_lock_parse, "poetry.lock",
	        "[[package]]\nname = \"mylib\"\nversion = \"0.1.0\"\ndescription = \"a = [\"\n"
	        "files = []\n\n[package.source]\ntype = \"directory\"\nurl = \"../mylib\"\n\n"
	        "[[package]]\nname = \"attrs\"\nversion = \"21.4.0\"\n"
	        "files = [\n    {file = \"a.whl\", hash = \"sha256:1\"},  # ]\n]\n\n"
	        "[package.extras]\ndev = [\"x (>=1)\"]\n\n[metadata]\nlock-version = \"2.0\"\n"
	        "content-hash = \"\"\"\nabc\"\"\"\n",
	        0, "attrs 21.4.0", NULL,
	        "poetry: a directory source is the project's own; brackets in strings and comments "
	        "do not end an array");
	literal(hull_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"x\"\nversion = [\n",
	        -1, "", "poetry.lock: line 3: value does not end",
	        "poetry: an unterminated array names the file and line");
	literal(hull_uv_lock_parse, "uv.lock",
	        "version = 1\nrequires-python = \">=3.12\"\n\n"
	        "[[package]]\nname = \"project\"\nversion = \"0.1.0\"\n"
	        "source = { editable = \".\" }\ndependencies = [\n    { name = \"anyio\" },\n]\n\n"
	        "[[package]]\nname = \"member\"\nversion = \"0.2.0\"\n"
	        "source = { virtual = \"packages/member\" }\n\n"
	        "[[package]]\nname = \"anyio\"\nversion = \"3.7.0\"\n"
	        "source = { registry = \"https://pypi.org/simple\" }\n"
	        "sdist = { url = \"https://x/anyio-3.7.0.tar.gz\", hash = \"sha256:27\", size = "
	        "142737 }\n"
	        "wheels = [\n    { url = \"https://x/anyio-3.7.0-py3-none-any.whl\", hash = "
	        "\"sha256:ed\", size = 80873 },\n]\n\n"
	        "[[package]]\nname = \"idna\"\nversion = \"3.6\"\n"
	        "source = { git = \"https://github.com/kjd/idna?rev=1#abc\" }\n",
	        0, "anyio 3.7.0, idna 3.6", NULL,
	        "uv: registry and git packages, not the editable project or a virtual member");
	literal(hull_uv_lock_parse, "uv.lock",
	        "version = 1\n\n[[distribution]]\nname = \"anyio\"\nversion = \"3.7.0\"\n"
	        "source = { registry = \"https://pypi.org/simple\" }\n",
	        0, "anyio 3.7.0", NULL, "uv: the first lockfiles' [[distribution]] tables");
	literal(hull_pipfile_lock_parse, "Pipfile.lock",
	        "{\"default\": {\"a\": {\"version\": \"==1.0\"}, \"b\": {\"git\": \"x\"}, "
	        "\"c d\": {\"version\": \"==1\"}}, \"develop\": {\"e\": {\"version\": \"==2.0\"}}}",
	        -1, "a 1.0, e 2.0", "Pipfile.lock: default[\"c d\"]: bad name or version",
	        "Pipfile.lock: default and develop, git entries skipped, a bad name a problem");
	literal(hull_pipfile_lock_parse, "Pipfile.lock", "[1]", -1, "", "not a JSON object",
	        "Pipfile.lock: not an object");
}

/* ---- Go ---- */

static void go(void)
{
	real_file(hull_gomod_parse, "go/go.mod", "src/app/go.mod", "go/expected.tsv",
	          HULL_PKG_GOLANG);
	/* the indirect flags of go mod edit -json */
	size_t len;
	char *exp = data_read("go/expected.tsv", &len);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	data_parse(hull_gomod_parse, "go/go.mod", "go.mod", &inv, &err);
	size_t bad = 0, n = 0;
	for (size_t i = 0; exp && i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		bool ind = p->props && strstr(p->props, "go:indirect\ttrue\n");
		char want[512];
		snprintf(want, sizeof(want), "\n%s\t%s\t%s\n", p->name, p->version,
		         ind ? "true" : "false");
		n++;
		if (!strstr(exp, want))
			bad++;
	}
	TAP_OK(exp && n == 12 && bad == 0,
	       "go.mod: go:indirect as go mod edit -json says (%zu of %zu)", n - bad, n);
	free(exp);
	hull_inventory_release(&inv);

	const char *mod =
	    "module example.com/app\n\ngo 1.21\n\ntoolchain go1.21.3\n\n"
	    "require (\n\tgolang.org/x/text v0.3.7 // indirect\n"
	    "\t\"github.com/a/b\" v1.2.3\n)\n\n"
	    "require github.com/c/d v1.0.0\n"
	    "exclude github.com/a/b v1.2.2\n"
	    "replace github.com/a/b => github.com/fork/b v1.2.4\n"
	    "replace (\n\tgithub.com/c/d v1.0.0 => ./d\n\tgithub.com/c/d => x.org/d v9.0.0\n)\n"
	    "retract v0.1.0 // broken\n";
	literal(
	    hull_gomod_parse, "go.mod", mod, 0,
	    "github.com/c/d , github.com/fork/b v1.2.4, golang.org/x/text v0.3.7, stdlib go1.21.3",
	    NULL,
	    "go.mod: blocks, quoted paths, a version's replacement wins over the path's, the "
	    "toolchain as stdlib");
	TAP_OK(has_prop(hull_gomod_parse, "go.mod", mod, "github.com/fork/b",
	                "go:replaces\tgithub.com/a/b v1.2.3\n") &&
	           has_prop(hull_gomod_parse, "go.mod", mod, "github.com/c/d",
	                    "go:replace-dir\t./d\n") &&
	           has_prop(hull_gomod_parse, "go.mod", mod, "stdlib", "go:from\ttoolchain\n"),
	       "go.mod: go:replaces, go:replace-dir and go:from");
	literal(hull_gomod_parse, "go.mod", "replace\n", -1, "", "replace: expected",
	        "go.mod: a replace without arguments (fuzz)");
	literal(
	    hull_gomod_parse, "go.mod",
	    "module m\nrequire x.org/a\nrequire (\n\tx.org/b v1.0.0\n\t\"x.org/c v1\n", -1,
	    "x.org/b v1.0.0", "go.mod: line 2: require: expected \"path version\" (and 2 more",
	    "go.mod: a require without a version, an open quote and an open block are problems");
}

/* ---- Gradle ---- */

static void gradle(void)
{
	/* the layout of Gradle's user guide, "Locking dependency versions" */
	const char *lock =
	    "# This is a Gradle generated file for dependency locking.\n"
	    "# Manual edits can break the build and are not advised.\n"
	    "# This file is expected to be part of source control.\n"
	    "org.springframework:spring-beans:5.0.5.RELEASE=compileClasspath, runtimeClasspath\n"
	    "org.springframework:spring-core:5.0.5.RELEASE=compileClasspath, runtimeClasspath\r\n"
	    "org.springframework:spring-jcl:5.0.5.RELEASE=compileClasspath, runtimeClasspath\n"
	    "empty=annotationProcessor\n";
	literal(hull_gradle_lock_parse, "gradle.lockfile", lock, 0,
	        "org.springframework:spring-beans 5.0.5.RELEASE, "
	        "org.springframework:spring-core 5.0.5.RELEASE, "
	        "org.springframework:spring-jcl 5.0.5.RELEASE",
	        NULL, "gradle.lockfile: comments, CRLF, configurations, empty= skipped");
	TAP_OK(has_prop(hull_gradle_lock_parse, "gradle.lockfile", lock,
	                "org.springframework:spring-jcl",
	                "gradle:configurations\tcompileClasspath, runtimeClasspath\n"),
	       "gradle.lockfile: gradle:configurations");
	literal(hull_gradle_lock_parse, "gradle/dependency-locks/compileClasspath.lockfile",
	        "# old\ncom.google.guava:guava:23.0\n", 0, "com.google.guava:guava 23.0", NULL,
	        "gradle: a per-configuration lock (no '=')");
	literal(hull_gradle_lock_parse, "gradle.lockfile",
	        "a:b:1.0=x\nnot-a-coordinate=x\na:b=x\n:b:1=x\na:b:c:d=x\na:b: =x\n", -1, "a:b 1.0",
	        "gradle.lockfile: line 2: not group:name:version \"not-a-coordinate\"",
	        "gradle.lockfile: bad coordinates are problems naming the line, the rest stay");
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = str_parse(hull_gradle_lock_parse, "a:b:1=c\n", "gradle.lockfile", &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && inv.pkgs[0].type == HULL_PKG_MAVEN &&
	           !strcmp(inv.pkgs[0].file, "gradle.lockfile") &&
	           inv.pkgs[0].layer == HULL_LAYER_NONE,
	       "gradle.lockfile: type maven, file and layer");
	hull_inventory_release(&inv);
}

/* ---- Maven pom.xml ---- */

#define POM_HEAD                                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"                                  \
	"  <modelVersion>4.0.0</modelVersion>\n"

static void pom(void)
{
	/* the layout of Maven's POM reference (maven.apache.org/pom.html) */
	const char *full = POM_HEAD
	    "  <parent><groupId>org.example</groupId><artifactId>parent</artifactId>\n"
	    "    <version>3.1.0</version></parent>\n"
	    "  <artifactId>app</artifactId>\n"
	    "  <properties>\n"
	    "    <jackson.version>2.13.2</jackson.version>\n"
	    "    <lib.version>${base.version}.1</lib.version>\n"
	    "    <base.version>1.4</base.version>\n"
	    "    <dup>1</dup><dup>2</dup>\n"
	    "  </properties>\n"
	    "  <dependencyManagement><dependencies>\n"
	    "    <dependency><groupId>com.thoughtworks.xstream</groupId>\n"
	    "      <artifactId>xstream</artifactId><version>1.4.20</version></dependency>\n"
	    "    <dependency><groupId>io.netty</groupId>\n"
	    "      <artifactId>netty-codec-http</artifactId><version>4.1.48.Final</version>\n"
	    "    </dependency>\n"
	    "  </dependencies></dependencyManagement>\n"
	    "  <dependencies>\n"
	    "    <dependency><groupId>com.fasterxml.jackson.core</groupId>\n"
	    "      <artifactId>jackson-databind</artifactId>\n"
	    "      <version>${jackson.version}</version></dependency>\n"
	    "    <dependency><groupId>org.apache.commons</groupId>\n"
	    "      <artifactId>commons-text</artifactId><version> 1.9 </version>\n"
	    "      <scope>compile</scope></dependency>\n"
	    "    <dependency><groupId>${project.groupId}</groupId>\n"
	    "      <artifactId>app-core</artifactId><version>${project.version}</version>\n"
	    "      <scope>runtime</scope></dependency>\n"
	    "    <dependency><groupId>a</groupId><artifactId>lib</artifactId>\n"
	    "      <version>${lib.version}</version></dependency>\n"
	    "    <dependency><groupId>a</groupId><artifactId>dup</artifactId>\n"
	    "      <version>${dup}</version></dependency>\n"
	    "    <dependency><groupId>com.thoughtworks.xstream</groupId>\n"
	    "      <artifactId>xstream</artifactId></dependency>\n"
	    "    <dependency><groupId>junit</groupId><artifactId>junit</artifactId>\n"
	    "      <version>4.12</version><scope>test</scope></dependency>\n"
	    "    <dependency><groupId>javax.servlet</groupId><artifactId>api</artifactId>\n"
	    "      <version>4.0</version><scope>provided</scope></dependency>\n"
	    "    <dependency><groupId>o</groupId><artifactId>opt</artifactId>\n"
	    "      <version>1.0</version><optional>true</optional></dependency>\n"
	    "  </dependencies>\n"
	    "  <build><plugins><plugin><artifactId>p</artifactId><dependencies>\n"
	    "    <dependency><groupId>b</groupId><artifactId>plugin-dep</artifactId>\n"
	    "      <version>1</version></dependency>\n"
	    "  </dependencies></plugin></plugins></build>\n"
	    "  <profiles><profile><dependencies>\n"
	    "    <dependency><groupId>b</groupId><artifactId>profile-dep</artifactId>\n"
	    "      <version>1</version></dependency>\n"
	    "  </dependencies></profile></profiles>\n"
	    "</project>\n";
	literal(hull_pom_parse, "app/pom.xml", full, 0,
	        "a:dup 2, a:lib 1.4.1, com.fasterxml.jackson.core:jackson-databind 2.13.2, "
	        "com.thoughtworks.xstream:xstream 1.4.20, org.apache.commons:commons-text 1.9, "
	        "org.example:app-core 3.1.0",
	        NULL,
	        "pom.xml: properties (nested, last of a name wins), ${project.*} from <parent>, "
	        "a managed version; test/provided/optional, managed-only, plugin and profile "
	        "dependencies left out");
	TAP_OK(has_prop(hull_pom_parse, "pom.xml", full, "org.example:app-core",
	                "maven:scope\truntime\n") &&
	           has_prop(hull_pom_parse, "pom.xml", full, "a:lib", "maven:scope\tcompile\n"),
	       "pom.xml: maven:scope");
	literal(hull_pom_parse, "pom.xml",
	        POM_HEAD "<groupId>g</groupId><version>2.0</version>\n"
	                 "<parent><groupId>pg</groupId><version>9</version></parent>\n"
	                 "<dependencies><dependency><groupId>${project.groupId}</groupId>\n"
	                 "<artifactId>x</artifactId><version>${project.version}</version>\n"
	                 "</dependency><dependency><groupId>${project.parent.groupId}</groupId>\n"
	                 "<artifactId>y</artifactId><version>${pom.version}</version>\n"
	                 "</dependency><dependency><groupId>z</groupId><artifactId>z</artifactId>"
	                 "<version><![CDATA[3.0]]></version></dependency></dependencies>"
	                 "</project>\n",
	        0, "g:x 2.0, pg:y 2.0, z:z 3.0", NULL,
	        "pom.xml: the project's own version wins over the parent's; CDATA");
	literal(hull_pom_parse, "app/pom.xml",
	        POM_HEAD
	        "<version>1</version><properties><c1>${c2}</c1><c2>${c1}</c2></properties>\n"
	        "<dependencies>\n"
	        "<dependency><groupId>g</groupId><artifactId>ok</artifactId>"
	        "<version>1.0</version></dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>from-parent</artifactId>\n"
	        "  <version>${spring.version}</version></dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>range</artifactId>"
	        "<version>[1.0,2.0)</version></dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>none</artifactId>"
	        "</dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>cycle</artifactId>"
	        "<version>${c1}</version></dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>latest</artifactId>"
	        "<version>LATEST</version></dependency>\n"
	        "<dependency><groupId>g</groupId><artifactId>open</artifactId>"
	        "<version>${x</version></dependency>\n"
	        "<dependency><groupId>g:h</groupId><artifactId>bad</artifactId>"
	        "<version>1</version></dependency>\n"
	        "</dependencies></project>\n",
	        -1, "g:ok 1.0",
	        "app/pom.xml: line 8: g:from-parent: version: ${spring.version} is not defined in "
	        "this pom (and 6 more problems)",
	        "pom.xml: an unresolved property, a range, no version, a cycle, LATEST, an open "
	        "${ and a bad groupId are problems naming the line; nothing is guessed");
	static const struct {
		const char *text, *err, *what;
	} bad[] = {
	    {"<project><dependencies><dependency>", "pom.xml: line 1: not well-formed XML",
	     "pom.xml: truncated XML names the line"},
	    {"<?xml version=\"1.0\"?>\n<settings/>\n", "line 2: the root element is not <project>",
	     "pom.xml: another root element"},
	    {"", "not well-formed XML", "pom.xml: empty"},
	    {"<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n<!ENTITY a \"b\">\n]>\n<project/>\n",
	     "pom.xml: line 2: a DOCTYPE, refused", "pom.xml: a DOCTYPE is refused"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		literal(hull_pom_parse, "pom.xml", bad[i].text, -1, "", bad[i].err, bad[i].what);

	/* XXE: an external entity naming a file with a marker, a parameter
	 * entity naming a URL of this machine, and the billion laughs: none
	 * is read, fetched or expanded, and nothing is listed. */
	char dir[] = "/tmp/hull-pom-XXXXXX", secret[64], text[2048];
	bool made = mkdtemp(dir) != NULL;
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	FILE *f = made ? fopen(secret, "w") : NULL;
	if (f) {
		fputs("9.9.9-SECRET-MARKER", f);
		fclose(f);
	}
	snprintf(
	    text, sizeof(text),
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE project [\n"
	    "  <!ENTITY xxe SYSTEM \"file://%s\">\n"
	    "  <!ENTITY %% remote SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
	    "  %%remote;\n"
	    "  <!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    "]>\n"
	    "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>\n"
	    "<version>&xxe;</version></dependency>\n"
	    "<dependency><groupId>g</groupId><artifactId>b</artifactId>"
	    "<version>&lol2;</version></dependency></dependencies></project>\n",
	    secret);
	literal(hull_pom_parse, "pom.xml", text, -1, "", "a DOCTYPE, refused",
	        "pom.xml: XXE (file, URL, parameter and nested entities): refused, nothing read");
	literal(hull_pom_parse, "pom.xml",
	        "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>"
	        "<version>&xxe;</version></dependency></dependencies></project>",
	        -1, "", "not well-formed XML", "pom.xml: an undeclared entity is not well-formed");
	if (made) {
		unlink(secret);
		rmdir(dir);
	}

	char *big = malloc((2u << 20) + 1);
	memset(big, ' ', 2u << 20);
	big[2u << 20] = '\0';
	memcpy(big, "<project>", 9);
	literal(hull_pom_parse, "pom.xml", big, -1, "", "more than the 1048576 a pom.xml may have",
	        "pom.xml: a file over the cap is refused before parsing");
	free(big);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc =
	    str_parse(hull_pom_parse,
	              "<project><dependencies><dependency><groupId>g</groupId><artifactId>a"
	              "</artifactId><version>1</version></dependency></dependencies></project>",
	              "pom.xml", &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && inv.pkgs[0].type == HULL_PKG_MAVEN &&
	           !strcmp(inv.pkgs[0].file, "pom.xml") && inv.pkgs[0].layer == HULL_LAYER_NONE,
	       "pom.xml: no namespace; type maven, file and layer");
	hull_inventory_release(&inv);
	TAP_OK(hull_pkgdb_lockfile_name("app/pom.xml") && hull_pkgdb_lockfile_name("pom.xml") &&
	           !hull_pkgdb_lockfile_name("app/classes/META-INF/maven/g/a/pom.xml") &&
	           !hull_pkgdb_lockfile_name("META-INF/maven/g/a/pom.xml") &&
	           !hull_pkgdb_lockfile_name("app/node_modules/x/pom.xml") &&
	           !hull_pkgdb_lockfile_name("app/pom.xml.bak"),
	       "pom.xml: read by name, not below META-INF/maven/ nor inside a dependency");
}

/* requirements.txt in UTF-16 with its byte-order mark (pip decodes it by
 * the mark; Trivy's requirements_utf16le fixture), little- and
 * big-endian, a character outside the BMP (a surrogate pair) and an
 * unpaired surrogate in comments. */
static void requirements_utf16(void)
{
	static const uint16_t text[] = {'#', ' ', 0xd83d, 0xde00, '\n', '#',  0xd800, '\n',
	                                'a', 't', 't',    'r',    's',  '=',  '=',    '2',
	                                '0', '.', '3',    '.',    '0',  '\r', '\n'};
	size_t n = sizeof(text) / sizeof(text[0]);
	for (int be = 0; be < 2; be++) {
		unsigned char buf[2 + 2 * sizeof(text) / sizeof(text[0])];
		buf[0] = be ? 0xfe : 0xff, buf[1] = be ? 0xff : 0xfe;
		for (size_t i = 0; i < n; i++) {
			buf[2 + 2 * i + (be ? 1 : 0)] = (unsigned char)(text[i] & 0xff);
			buf[2 + 2 * i + (be ? 0 : 1)] = (unsigned char)(text[i] >> 8);
		}
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = hull_requirements_parse(hull_str((const char *)buf, sizeof(buf)),
		                                 "requirements.txt", HULL_LAYER_NONE, &inv, &err);
		TAP_OK(rc == 0 && inv.npkgs == 1 && !strcmp(inv.pkgs[0].name, "attrs") &&
		           !strcmp(inv.pkgs[0].version, "20.3.0"),
		       "requirements.txt in UTF-16%s with its mark: attrs 20.3.0 (%d, %zu, %s)",
		       be ? "BE" : "LE", rc, inv.npkgs, err.msg);
		hull_inventory_release(&inv);
	}
	literal(hull_requirements_parse, "requirements.txt", "\xef\xbb\xbfsix==1.16.0\n", 0,
	        "six 1.16.0", NULL, "requirements.txt with a UTF-8 mark");
}

/* ---- Rust ---- */

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A binary of the given format ('p' PE, 'm' Mach-O 64, 'n' Mach-O 32)
 * with one section ".dep-v0" holding zsec (zsec_len bytes) at offset
 * 0x200, laid out as the PE/COFF and Mach-O specifications give it (what
 * the linker writes for cargo-auditable's section, minus the code).
 * Returns the file length; buf holds at least 0x200 + zsec_len bytes. */
static size_t audit_binary(char fmt, unsigned char *buf, const unsigned char *zsec, size_t zsec_len,
                           uint64_t claimed_off)
{
	memset(buf, 0, 0x200);
	if (fmt == 'p') {
		memcpy(buf, "MZ", 2);
		put32(buf + 0x3c, 0x40);
		memcpy(buf + 0x40, "PE\0\0", 4);
		buf[0x44] = 0x64, buf[0x45] = 0x86; /* x86-64 */
		buf[0x46] = 1;                      /* one section, no optional header */
		unsigned char *sec = buf + 0x40 + 24;
		memcpy(sec, ".dep-v0", 7);
		put32(sec + 8, (uint32_t)zsec_len);              /* VirtualSize */
		put32(sec + 12, 0x1000);                         /* VirtualAddress */
		put32(sec + 16, (uint32_t)(zsec_len + 3) & ~3u); /* SizeOfRawData, padded */
		put32(sec + 20, (uint32_t)claimed_off);          /* PointerToRawData */
		put32(sec + 36, 0xc0000040u);                    /* initialized data, RW */
	} else {
		bool is64 = fmt == 'm';
		unsigned w = is64 ? 8 : 4, hdr = is64 ? 32 : 28, seg = is64 ? 72 : 56;
		unsigned sect = is64 ? 80 : 68;
		put32(buf, is64 ? 0xfeedfacfu : 0xfeedfaceu);
		put32(buf + 4, is64 ? 0x01000007u : 7u); /* x86(-64) */
		put32(buf + 12, 2);                      /* MH_EXECUTE */
		put32(buf + 16, 1);                      /* ncmds */
		put32(buf + 20, seg + sect);
		unsigned char *c = buf + hdr;
		put32(c, is64 ? 0x19 : 0x1);
		put32(c + 4, seg + sect);
		memcpy(c + 8, "__DATA", 6);
		put32(c + 24 + 4 * w + 8, 1); /* nsects */
		unsigned char *q = c + seg;
		memcpy(q, ".dep-v0", 7);
		memcpy(q + 16, "__DATA", 6);
		if (is64) {
			put64(q + 32, 0x100004000);
			put64(q + 40, zsec_len);
		} else {
			put32(q + 32, 0x4000);
			put32(q + 36, (uint32_t)zsec_len);
		}
		put32(q + 32 + 2 * w, (uint32_t)claimed_off);
	}
	memcpy(buf + 0x200, zsec, zsec_len);
	return 0x200 + zsec_len;
}

/* PE and Mach-O binaries carry the same section (cargo-auditable's
 * Windows and macOS builds; checked on its own test binaries too, see
 * docs/pkgdb.md): found, inflated and listed; a section pointing past the
 * end of the file gives nothing. */
static void audit_pe_macho(void)
{
	const char *json = "{\"packages\":[{\"name\":\"app\",\"version\":\"0.1.0\","
	                   "\"source\":\"local\",\"root\":true},{\"name\":\"regex\","
	                   "\"version\":\"1.5.4\",\"source\":\"crates.io\"}]}";
	unsigned char z[512], bin[0x200 + 512];
	uLongf zlen = sizeof(z);
	if (compress(z, &zlen, (const Bytef *)json, strlen(json)) != Z_OK) {
		TAP_OK(0, "zlib compress");
		return;
	}
	static const struct {
		char fmt;
		const char *what;
	} kinds[] = {{'p', "PE"}, {'m', "Mach-O 64-bit"}, {'n', "Mach-O 32-bit"}};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t len = audit_binary(kinds[k].fmt, bin, z, zlen, 0x200);
		struct hull_buf out;
		hull_buf_init(&out, 8u << 20);
		struct hull_err err = {0};
		int rc = hull_cargo_audit_digest((const char *)bin, len, &out, &err);
		struct hull_inventory inv = {0};
		if (rc > 0)
			hull_cargo_audit_parse(hull_buf_str(&out), "app.exe", 1, &inv, &err);
		hull_inventory_sort(&inv);
		TAP_OK(rc == 1 && inv.npkgs == 2 && !strcmp(inv.pkgs[0].name, "app") &&
		           !strcmp(inv.pkgs[1].name, "regex") &&
		           !strcmp(inv.pkgs[1].version, "1.5.4"),
		       "cargo-auditable %s: .dep-v0 found and listed (%d, %zu packages)",
		       kinds[k].what, rc, inv.npkgs);
		hull_inventory_release(&inv);
		hull_buf_reset(&out);
		len = audit_binary(kinds[k].fmt, bin, z, zlen, 0x200 + zlen);
		rc = hull_cargo_audit_digest((const char *)bin, len, &out, &err);
		TAP_OK(rc == 0 && out.len == 0,
		       "cargo-auditable %s: a section past the end: nothing (%d)", kinds[k].what,
		       rc);
		hull_buf_release(&out);
	}
}

static void rust(void)
{
	real_file(hull_cargo_lock_parse, "rust/Cargo-v3.lock", "src/Cargo.lock",
	          "rust/expected.tsv", HULL_PKG_CARGO);
	real_file(hull_cargo_lock_parse, "rust/Cargo-v4.lock", "src/Cargo.lock",
	          "rust/expected.tsv", HULL_PKG_CARGO);
	/* v1: [root], checksums in [metadata]; v2: no version key, inline checksums */
	literal(hull_cargo_lock_parse, "Cargo.lock",
	        "[root]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n"
	        " \"libc 0.2.40 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n"
	        "[[package]]\nname = \"libc\"\nversion = \"0.2.40\"\n"
	        "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
	        "[metadata]\n\"checksum libc 0.2.40 (registry+https://github.com/rust-lang/"
	        "crates.io-index)\" = "
	        "\"6fd41f331ac7c5b8ac259b8bf82c75c0fb2e469bbf37d2becbba9a6a2221965b\"\n",
	        0, "libc 0.2.40", NULL, "Cargo.lock v1: [root] and [metadata] checksums");
	const char *v2 = "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n"
	                 "[[package]]\nname = \"regex\"\nversion = \"1.5.4\"\n"
	                 "source = \"sparse+https://index.crates.io/\"\nchecksum = \"d0\"\n\n"
	                 "[[package]]\nname = \"fork\"\nversion = \"0.3.0\"\n"
	                 "source = \"git+https://github.com/a/fork?branch=x#abcdef\"\n";
	literal(hull_cargo_lock_parse, "Cargo.lock", v2, 0, "fork 0.3.0, regex 1.5.4", NULL,
	        "Cargo.lock v2: sparse and git sources listed, the workspace member not");
	TAP_OK(has_prop(hull_cargo_lock_parse, "Cargo.lock", v2, "fork",
	                "cargo:source\tgit+https://github.com/a/fork?branch=x#abcdef\n") &&
	           !has_prop(hull_cargo_lock_parse, "Cargo.lock", v2, "regex", "cargo:source"),
	       "Cargo.lock: cargo:source for a source other than crates.io");
	/* TOML's multi-line strings written on one line (Trivy's cargo_mixed
	 * fixture): the version is the text between the triple quotes */
	literal(
	    hull_cargo_lock_parse, "Cargo.lock",
	    "[[package]]\nname = \"url\"\nversion = \"\"\"1.7.2\"\"\"\n"
	    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
	    "[[package]]\nname = \"idna\"\nversion = \'\'\'0.1.5\'\'\'\n"
	    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
	    "[[package]]\nname = \"bad\"\nversion = \"\"\"1.0\n.1\"\"\"\n"
	    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	    -1, "idna 0.1.5, url 1.7.2", "package bad: bad name or version",
	    "Cargo.lock: a one-line multi-line string is its text; one across lines is not read");
	/* found by fuzzing: blanks at the very end, no source at all (uv) */
	literal(hull_cargo_lock_parse, "Cargo.lock", "x = 1\n  ", 0, "", NULL,
	        "Cargo.lock: blanks after the last line (fuzz)");
	literal(hull_uv_lock_parse, "uv.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\n", 0,
	        "a 1", NULL, "uv.lock: a package without a source (fuzz)");
	literal(hull_cargo_lock_parse, "Cargo.lock",
	        "version = 3\n[[package]]\nname = \"bad name\"\nversion = \"1.0.0\"\n"
	        "source = \"registry+https://github.com/rust-lang/crates.io-index\"\nstray\n",
	        -1, "", "Cargo.lock: line 6: expected a table or key = value",
	        "Cargo.lock: a line that is no TOML names the line");

	const char *audit =
	    "{\"packages\":[{\"name\":\"app\",\"version\":\"0.1.0\",\"source\":\"local\","
	    "\"dependencies\":[1,2],\"root\":true},{\"name\":\"regex\",\"version\":\"1.5.4\","
	    "\"source\":\"crates.io\"},{\"name\":\"cc\",\"version\":\"1.0.73\",\"source\":"
	    "\"crates.io\",\"kind\":\"build\"},{\"name\":\"x\",\"version\":\"not\"}]}";
	literal(hull_cargo_audit_parse, "usr/bin/app", audit, -1,
	        "app 0.1.0, cc 1.0.73, regex 1.5.4", "packages[3] x: bad name or version",
	        "cargo-auditable: every package listed, a bad version a problem");
	TAP_OK(has_prop(hull_cargo_audit_parse, "usr/bin/app", audit, "app",
	                "cargo:source\tlocal\ncargo:root\ttrue\n") &&
	           has_prop(hull_cargo_audit_parse, "usr/bin/app", audit, "cc",
	                    "cargo:kind\tbuild\n") &&
	           !has_prop(hull_cargo_audit_parse, "usr/bin/app", audit, "regex", "cargo:"),
	       "cargo-auditable: cargo:source, cargo:kind and cargo:root");

	/* an ELF binary with a .dep-v0 section (objcopy --add-section, see README) */
	size_t len;
	char *elf = data_read("rust/auditable.elf", &len);
	struct hull_buf out;
	hull_buf_init(&out, 8u << 20);
	struct hull_err err = {0};
	int rc = elf ? hull_cargo_audit_digest(elf, len, &out, &err) : -2;
	struct hull_inventory inv = {0};
	if (rc > 0)
		hull_cargo_audit_parse(hull_buf_str(&out), "usr/bin/app", 1, &inv, &err);
	TAP_OK(rc == 1 && inv.npkgs == 7, "auditable.elf: .dep-v0 found and inflated, %zu packages",
	       inv.npkgs);
	hull_inventory_release(&inv);
	hull_buf_reset(&out);
	/* the same binary cut short inside the section, and one without it */
	struct hull_str sec = {0};
	if (elf && hull_cargo_audit_section(elf, len, &sec) > 0) {
		size_t cut = (size_t)(sec.ptr - elf) + sec.len / 2;
		rc = hull_cargo_audit_digest(elf, cut, &out, &err);
		TAP_OK(rc == 0, "auditable.elf cut in its section: nothing read (%d)", rc);
	} else {
		TAP_OK(0, "auditable.elf: section found");
	}
	TAP_OK(elf && hull_cargo_audit_digest(elf, 64, &out, &err) == 0,
	       "an ELF header alone: no section");
	hull_buf_release(&out);
	free(elf);
	audit_pe_macho();
}

int main(void)
{
	js();
	python();
	go();
	rust();
	gradle();
	pom();
	requirements_utf16();
	return tap_done();
}
