/* types: the package-type table. One row per ecosystem: its name in
 * reports, its purl type, its vulnerability namespace, whether it belongs
 * to the operating system, and where it is read from (paths and parser).
 * Everything else in hull (collecting, matching, purls, SBOM input,
 * report summaries) reads this table instead of naming types. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"

/* ---- paths ---- */

/* Takes the last '/'-separated component off *dir; empty when none left. */
static struct hull_str pop_component(struct hull_str *dir)
{
	if (dir->len == 0)
		return hull_str(dir->ptr, 0);
	const char *slash = memrchr(dir->ptr, '/', dir->len);
	size_t start = slash ? (size_t)(slash - dir->ptr) + 1 : 0;
	struct hull_str c = hull_str(dir->ptr + start, dir->len - start);
	dir->len = slash ? start - 1 : 0;
	return c;
}

static struct hull_str basename_of(const char *path)
{
	struct hull_str dir = hull_str_c(path);
	return pop_component(&dir);
}

#define DPKG_STATUS_D "var/lib/dpkg/status.d/"

/* A status.d entry; the .md5sums lists next to the entries are not. */
static bool is_dpkg_status_d(const char *path)
{
	struct hull_str s = hull_str_c(path);
	if (!hull_str_has_prefix(s, DPKG_STATUS_D))
		return false;
	struct hull_str name =
	    hull_str(path + strlen(DPKG_STATUS_D), s.len - strlen(DPKG_STATUS_D));
	return name.len && name.ptr[0] != '.' && hull_str_index(name, '/') < 0 &&
	       !hull_str_has_suffix(name, ".md5sums");
}

/* node_modules/<name>/package.json or node_modules/@scope/<name>/package.json,
 * at any depth: the manifest of an installed module, not the package.json
 * files that modules ship in their own subdirectories. */
static bool is_npm_module_manifest(const char *path)
{
	struct hull_str dir = hull_str_c(path);
	if (!hull_str_eq_c(pop_component(&dir), "package.json"))
		return false;
	struct hull_str name = pop_component(&dir);
	if (name.len == 0 || name.ptr[0] == '.' || name.ptr[0] == '@')
		return false;
	struct hull_str parent = pop_component(&dir);
	if (hull_str_eq_c(parent, "node_modules"))
		return true;
	return parent.len > 1 && parent.ptr[0] == '@' &&
	       hull_str_eq_c(pop_component(&dir), "node_modules");
}

static bool is_npm_lock(const char *path)
{
	return hull_str_eq_c(basename_of(path), "package-lock.json");
}

/* dir ends with suffix and has a name before it ("x.dist-info"). */
static bool named_dir(struct hull_str dir, const char *suffix)
{
	return dir.len > strlen(suffix) && hull_str_has_suffix(dir, suffix);
}

static bool is_python_metadata(const char *path)
{
	struct hull_str dir = hull_str_c(path);
	struct hull_str base = pop_component(&dir);
	if (hull_str_eq_c(base, "METADATA"))
		return named_dir(pop_component(&dir), ".dist-info");
	if (hull_str_eq_c(base, "PKG-INFO"))
		return named_dir(pop_component(&dir), ".egg-info");
	return named_dir(base, ".egg-info");
}

/* A lockfile or manifest of the project at path, not one shipped inside a
 * dependency that a package manager unpacked (Go's module cache, Cargo's
 * registry and git checkouts, node_modules, Python's site-packages): those
 * describe how a dependency was developed, not what is installed. */
static bool in_dependency(const char *path)
{
	static const char *const dirs[] = {"pkg/mod/",      ".cargo/registry/", ".cargo/git/",
	                                   "node_modules/", "site-packages/",   "dist-packages/"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *p = strstr(path, dirs[i]);
		if (p && (p == path || p[-1] == '/'))
			return true;
	}
	return false;
}

static bool project_file(const char *path, const char *name)
{
	return hull_str_eq_c(basename_of(path), name) && !in_dependency(path);
}

static bool is_yarn_lock(const char *path)
{
	return project_file(path, "yarn.lock");
}

static bool is_pnpm_lock(const char *path)
{
	return project_file(path, "pnpm-lock.yaml");
}

/* GEM_HOME/specifications/<name>-<version>.gemspec: what RubyGems
 * installed (a project's own <name>.gemspec elsewhere is source code). */
static bool is_gemspec(const char *path)
{
	struct hull_str dir = hull_str_c(path);
	return named_dir(pop_component(&dir), ".gemspec") &&
	       hull_str_eq_c(pop_component(&dir), "specifications");
}

static bool is_gemfile_lock(const char *path)
{
	return project_file(path, "Gemfile.lock") || project_file(path, "gems.locked");
}

/* composer.lock of a project; one that a dependency under the vendor
 * directory ships describes how that dependency was developed. */
static bool is_composer_lock(const char *path)
{
	const char *v = strstr(path, "vendor/");
	bool in_vendor = v && (v == path || v[-1] == '/');
	return project_file(path, "composer.lock") && !in_vendor;
}

/* <vendor-dir>/composer/installed.json: what Composer installed. */
static bool is_composer_installed(const char *path)
{
	struct hull_str dir = hull_str_c(path);
	return hull_str_eq_c(pop_component(&dir), "installed.json") &&
	       hull_str_eq_c(pop_component(&dir), "composer");
}

/* requirements.txt, requirements-dev.txt, dev-requirements.txt,
 * requirements/base.txt: pip's usual names. */
static bool is_requirements(const char *path)
{
	if (in_dependency(path))
		return false;
	struct hull_str dir = hull_str_c(path);
	struct hull_str base = pop_component(&dir);
	if (!hull_str_has_suffix(base, ".txt") || base.len < 5)
		return false;
	if (memmem(base.ptr, base.len, "requirements", 12))
		return true;
	return hull_str_eq_c(pop_component(&dir), "requirements");
}

/* Files a requirements.txt may include (-r, -c) that are not read on
 * their own: names with "req", "constraint" or "deps" ending in .txt, or
 * any .txt in a reqs directory
 * (constraints.txt, deps.txt, reqs/base.txt). Only kept for the includes. */
static bool is_requirements_include(const char *path)
{
	if (in_dependency(path))
		return false;
	struct hull_str dir = hull_str_c(path);
	struct hull_str base = pop_component(&dir);
	if (!hull_str_has_suffix(base, ".txt"))
		return false;
	return memmem(base.ptr, base.len, "req", 3) ||
	       memmem(base.ptr, base.len, "constraint", 10) ||
	       memmem(base.ptr, base.len, "deps", 4) || hull_str_eq_c(pop_component(&dir), "reqs");
}

static bool is_poetry_lock(const char *path)
{
	return project_file(path, "poetry.lock");
}

static bool is_pipfile_lock(const char *path)
{
	return project_file(path, "Pipfile.lock");
}

static bool is_uv_lock(const char *path)
{
	return project_file(path, "uv.lock");
}

static bool is_gomod(const char *path)
{
	return project_file(path, "go.mod");
}

/* gradle.lockfile and buildscript-gradle.lockfile (Gradle 6+), and the
 * older per-configuration gradle/dependency-locks/<conf>.lockfile. */
static bool is_gradle_lock(const char *path)
{
	if (project_file(path, "gradle.lockfile") ||
	    project_file(path, "buildscript-gradle.lockfile"))
		return true;
	struct hull_str dir = hull_str_c(path);
	struct hull_str base = pop_component(&dir);
	return hull_str_has_suffix(base, ".lockfile") && base.len > 9 && !in_dependency(path) &&
	       hull_str_eq_c(pop_component(&dir), "dependency-locks") &&
	       hull_str_eq_c(pop_component(&dir), "gradle");
}

/* A project's pom.xml; the copy Maven puts in a jar's META-INF/maven/
 * (here unpacked) describes how that artifact was built, not what is
 * installed: the jar's pom.properties says that. */
static bool is_pom(const char *path)
{
	const char *m = strstr(path, "META-INF/maven/");
	return project_file(path, "pom.xml") && !(m && (m == path || m[-1] == '/'));
}

static bool is_cargo_lock(const char *path)
{
	return project_file(path, "Cargo.lock");
}

/* packages.lock.json of a project (NuGet's lock); *.deps.json of a built
 * .NET application (the SDK writes <App>.deps.json next to <App>.dll).
 * Neither counts inside NuGet's package cache, whose packages ship the
 * files of their own build. */
static bool in_nuget_cache(const char *path)
{
	const char *p = strstr(path, ".nuget/packages/");
	return p && (p == path || p[-1] == '/');
}

static bool is_nuget_lock(const char *path)
{
	return project_file(path, "packages.lock.json") && !in_nuget_cache(path);
}

static bool is_dotnet_deps(const char *path)
{
	return named_dir(basename_of(path), ".deps.json") && !in_dependency(path) &&
	       !in_nuget_cache(path);
}

/* ---- sources ---- */

static const char *const dpkg_status[] = {"var/lib/dpkg/status", NULL};
static const char *const apk_installed[] = {"lib/apk/db/installed", NULL};
/* In order of preference: the first one present is the live database
 * (sqlite replaced Berkeley DB; /usr/lib/sysimage/rpm replaced
 * /var/lib/rpm, which is then often a symlink to it). */
static const char *const rpm_dbs[] = {
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages",
    "var/lib/rpm/rpmdb.sqlite",
    "var/lib/rpm/Packages.db",
    "var/lib/rpm/Packages",
    NULL,
};

static const struct hull_pkg_source deb_sources[] = {
    {.db_paths = dpkg_status, .parse = hull_dpkg_status_parse},
    {.match = is_dpkg_status_d, .parse = hull_dpkg_status_parse},
    {0},
};
static const struct hull_pkg_source apk_sources[] = {
    {.db_paths = apk_installed, .parse = hull_apk_parse},
    {0},
};
static const struct hull_pkg_source rpm_sources[] = {
    {.db_paths = rpm_dbs, .parse = hull_rpmdb_parse},
    {0},
};
static const struct hull_pkg_source npm_sources[] = {
    {.match = is_npm_module_manifest, .parse = hull_npm_package_json_parse},
    {.match = is_npm_lock, .parse = hull_npm_lock_parse},
    {.match = is_yarn_lock, .parse = hull_yarn_lock_parse},
    {.match = is_pnpm_lock, .parse = hull_pnpm_lock_parse},
    {0},
};
static const struct hull_pkg_source pypi_sources[] = {
    {.match = is_python_metadata, .parse = hull_python_metadata_parse},
    {.match = is_requirements,
     .parse = hull_requirements_parse,
     .parse_tree = hull_requirements_tree_parse},
    {.match = is_requirements_include, .parse = hull_requirements_parse, .include_only = true},
    {.match = is_poetry_lock, .parse = hull_poetry_lock_parse},
    {.match = is_pipfile_lock, .parse = hull_pipfile_lock_parse},
    {.match = is_uv_lock, .parse = hull_uv_lock_parse},
    {0},
};

static const struct hull_pkg_source golang_sources[] = {
    {.magic = "\x7f"
              "ELF",
     .magic_len = 4,
     .digest = hull_go_digest,
     .tag = "go-buildinfo",
     .parse = hull_go_buildinfo_parse},
    /* PE (Windows) and Mach-O (macOS, 64 and 32 bits) Go binaries: the
     * same digest, read from the header the magic names */
    {.magic = "MZ",
     .magic_len = 2,
     .digest = hull_go_digest,
     .tag = "go-buildinfo",
     .parse = hull_go_buildinfo_parse},
    {.magic = "\xcf\xfa\xed\xfe",
     .magic_len = 4,
     .digest = hull_go_digest,
     .tag = "go-buildinfo",
     .parse = hull_go_buildinfo_parse},
    {.magic = "\xce\xfa\xed\xfe",
     .magic_len = 4,
     .digest = hull_go_digest,
     .tag = "go-buildinfo",
     .parse = hull_go_buildinfo_parse},
    {.match = is_gomod, .parse = hull_gomod_parse},
    {0},
};

static const struct hull_pkg_source maven_sources[] = {
    {.magic = "PK\x03\x04",
     .magic_len = 4,
     .digest = hull_java_digest,
     .tag = "java-archive",
     .parse = hull_java_parse},
    {.match = is_gradle_lock, .parse = hull_gradle_lock_parse},
    {.match = is_pom, .parse = hull_pom_parse},
    {0},
};

static const struct hull_pkg_source gem_sources[] = {
    {.match = is_gemspec, .parse = hull_gemspec_parse},
    {.match = is_gemfile_lock, .parse = hull_gemfile_lock_parse},
    {0},
};

static const struct hull_pkg_source composer_sources[] = {
    {.match = is_composer_installed, .parse = hull_composer_installed_parse},
    {.match = is_composer_lock, .parse = hull_composer_lock_parse},
    {0},
};

static const struct hull_pkg_source cargo_sources[] = {
    {.match = is_cargo_lock, .parse = hull_cargo_lock_parse},
    {.magic = "\x7f"
              "ELF",
     .magic_len = 4,
     .digest = hull_cargo_audit_digest,
     .tag = "cargo-auditable",
     .parse = hull_cargo_audit_parse},
    /* the same section in PE (Windows) and Mach-O (macOS) binaries */
    {.magic = "MZ",
     .magic_len = 2,
     .digest = hull_cargo_audit_digest,
     .tag = "cargo-auditable",
     .parse = hull_cargo_audit_parse},
    {.magic = "\xcf\xfa\xed\xfe",
     .magic_len = 4,
     .digest = hull_cargo_audit_digest,
     .tag = "cargo-auditable",
     .parse = hull_cargo_audit_parse},
    {.magic = "\xce\xfa\xed\xfe",
     .magic_len = 4,
     .digest = hull_cargo_audit_digest,
     .tag = "cargo-auditable",
     .parse = hull_cargo_audit_parse},
    {0},
};

static const struct hull_pkg_source nuget_sources[] = {
    {.match = is_dotnet_deps, .parse = hull_dotnet_deps_parse},
    {.match = is_nuget_lock, .parse = hull_nuget_lock_parse},
    {0},
};

/* ---- the table ---- */

static const struct hull_pkg_type_info types[HULL_PKG_TYPE_COUNT] = {
    [HULL_PKG_DEB] = {.name = "deb",
                      .purl_type = "deb",
                      .os = true,
                      .match_src_version = true,
                      .sources = deb_sources},
    [HULL_PKG_APK] = {.name = "apk", .purl_type = "apk", .os = true, .sources = apk_sources},
    [HULL_PKG_RPM] = {.name = "rpm",
                      .purl_type = "rpm",
                      .os = true,
                      .match_binary_name = true,
                      .sources = rpm_sources},
    [HULL_PKG_NPM] = {.name = "npm",
                      .purl_type = "npm",
                      .ecosystem = "npm",
                      .ns_sep = '/',
                      .sources = npm_sources},
    [HULL_PKG_PYPI] = {.name = "pypi",
                       .purl_type = "pypi",
                       .ecosystem = "PyPI",
                       .sources = pypi_sources},
    [HULL_PKG_GOLANG] = {.name = "golang",
                         .purl_type = "golang",
                         .ecosystem = "Go",
                         .ns_sep = '/',
                         .sources = golang_sources},
    [HULL_PKG_MAVEN] = {.name = "maven",
                        .purl_type = "maven",
                        .ecosystem = "Maven",
                        .ns_sep = ':',
                        .sources = maven_sources},
    [HULL_PKG_GEM] = {.name = "gem",
                      .purl_type = "gem",
                      .ecosystem = "RubyGems",
                      .sources = gem_sources},
    [HULL_PKG_COMPOSER] = {.name = "composer",
                           .purl_type = "composer",
                           .ecosystem = "Packagist",
                           .ns_sep = '/',
                           .sources = composer_sources},
    [HULL_PKG_CARGO] = {.name = "cargo",
                        .purl_type = "cargo",
                        .ecosystem = "crates.io",
                        .sources = cargo_sources},
    [HULL_PKG_NUGET] = {.name = "nuget",
                        .purl_type = "nuget",
                        .ecosystem = "NuGet",
                        .sources = nuget_sources},
};

const struct hull_pkg_type_info *hull_pkg_type_info(enum hull_pkg_type t)
{
	return (unsigned)t < HULL_PKG_TYPE_COUNT ? &types[t] : NULL;
}

const char *hull_pkg_type_name(enum hull_pkg_type t)
{
	return (unsigned)t < HULL_PKG_TYPE_COUNT ? types[t].name : "unknown";
}

bool hull_pkg_type_is_os(enum hull_pkg_type t)
{
	return (unsigned)t < HULL_PKG_TYPE_COUNT && types[t].os;
}

bool hull_pkg_type_from_purl(const char *purl_type, enum hull_pkg_type *out)
{
	for (size_t t = 0; purl_type && t < HULL_PKG_TYPE_COUNT; t++) {
		if (!strcmp(types[t].purl_type, purl_type)) {
			*out = (enum hull_pkg_type)t;
			return true;
		}
	}
	return false;
}
