/* parsers: the per-format readers behind hull_inventory_collect (internal
 * to src/pkgdb; tests and fuzzers use them directly).
 *
 * Each parser reads one file's content (a slice; never NUL-terminated as far
 * as the parser knows), appends what it finds to inv with `file` and
 * `layer` set, and returns 0. A damaged file returns -1 with err naming the
 * file and line/offset ("var/lib/dpkg/status: line 812: missing Version");
 * the collector turns that into a warning and goes on. Parsers never read
 * past their input, and cap what they allocate. */
#ifndef HULL_PKGDB_PARSERS_H
#define HULL_PKGDB_PARSERS_H

#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/str.h"

struct hull_pkg_tree_seen; /* internal.h */

/* /etc/os-release (and /usr/lib/os-release) KEY=VALUE syntax. */
int hull_osrelease_parse(struct hull_str data, const char *file, struct hull_os *os,
                         struct hull_err *err);

/* var/lib/dpkg/status and var/lib/dpkg/status.d/<pkg>: installed stanzas only. */
int hull_dpkg_status_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

/* lib/apk/db/installed */
int hull_apk_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                   struct hull_err *err);

/* rpm databases: rpmdb.sqlite, Berkeley DB Packages, NDB Packages.db.
 * The format is detected from the content. */
int hull_rpmdb_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     struct hull_err *err);

/* npm: node_modules/<pkg>/package.json, and package-lock.json v1-v3. */
int hull_npm_package_json_parse(struct hull_str data, const char *file, int layer,
                                struct hull_inventory *inv, struct hull_err *err);
int hull_npm_lock_parse(struct hull_str data, const char *file, int layer,
                        struct hull_inventory *inv, struct hull_err *err);

/* Python: *.dist-info/METADATA and *.egg-info/PKG-INFO (or an .egg-info file). */
int hull_python_metadata_parse(struct hull_str data, const char *file, int layer,
                               struct hull_inventory *inv, struct hull_err *err);

/* Go: the build information of a Go binary (lang_go.c). _read finds the
 * version and module strings in an ELF file (slices into data; 0 when it
 * is not a Go binary with build info). _digest keeps them for _parse. */
int hull_go_buildinfo_read(const char *data, size_t len, struct hull_str *version,
                           struct hull_str *modinfo);
int hull_go_digest(const char *data, size_t len, struct hull_buf *out, struct hull_err *err);
int hull_go_buildinfo_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err);

/* Java archives (lang_java.c): Maven artifacts of a jar/war/ear and the
 * archives nested in it, kept as a digest; _parse lists them. */
int hull_java_digest(const char *data, size_t len, struct hull_buf *out, struct hull_err *err);
int hull_java_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                    struct hull_err *err);

/* JavaScript lockfiles (lang_js.c): yarn.lock (classic and berry, told
 * apart by content) and pnpm-lock.yaml (5.x, 6.x, 9.x). Type npm. */
int hull_yarn_lock_parse(struct hull_str data, const char *file, int layer,
                         struct hull_inventory *inv, struct hull_err *err);
int hull_pnpm_lock_parse(struct hull_str data, const char *file, int layer,
                         struct hull_inventory *inv, struct hull_err *err);

/* Ruby (lang_ruby.c): an installed gem's specifications/<gem>.gemspec, and
 * Gemfile.lock / gems.locked. */
int hull_gemspec_parse(struct hull_str data, const char *file, int layer,
                       struct hull_inventory *inv, struct hull_err *err);
int hull_gemfile_lock_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err);

/* PHP (lang_php.c): composer.lock, and vendor/composer/installed.json
 * (Composer 1 array or Composer 2 object). */
int hull_composer_lock_parse(struct hull_str data, const char *file, int layer,
                             struct hull_inventory *inv, struct hull_err *err);
int hull_composer_installed_parse(struct hull_str data, const char *file, int layer,
                                  struct hull_inventory *inv, struct hull_err *err);

/* .NET (lang_dotnet.c): NuGet's packages.lock.json, and the *.deps.json
 * the .NET SDK writes next to a built application. Type nuget. */
int hull_nuget_lock_parse(struct hull_str data, const char *file, int layer,
                          struct hull_inventory *inv, struct hull_err *err);
int hull_dotnet_deps_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

/* Python lockfiles (lang_pylock.c): pinned requirements, poetry.lock,
 * Pipfile.lock, uv.lock. Type pypi. */
/* requirements.txt with its -r/-c includes followed in fs (lang_pylock.c);
 * seen: the files already read through includes in this collection. */
int hull_requirements_tree_parse(const struct hull_fileset *fs, const struct hull_file *f,
                                 struct hull_pkg_tree_seen *seen, struct hull_inventory *inv,
                                 struct hull_err *err);
int hull_requirements_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err);
int hull_poetry_lock_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);
int hull_pipfile_lock_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err);
int hull_uv_lock_parse(struct hull_str data, const char *file, int layer,
                       struct hull_inventory *inv, struct hull_err *err);

/* go.mod (lang_gomod.c). Type golang. */
int hull_gomod_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                     struct hull_err *err);

/* Gradle's dependency lock (lang_gradle.c): gradle.lockfile lines
 * group:name:version=configurations. Type maven. */
int hull_gradle_lock_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

/* Maven's pom.xml (lang_pom.c): the compile and runtime <dependencies>
 * whose version the pom states or resolves from its own properties. Type
 * maven. */
int hull_pom_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                   struct hull_err *err);

/* Rust (lang_rust.c): Cargo.lock, and the cargo-auditable data of an ELF
 * binary. _section finds the ".dep-v0" section (a slice of data; 0 when
 * there is none); _digest inflates it (1 when found, 0 when none, -1 when
 * it inflates past out's cap or memory is out); _parse lists its JSON. */
int hull_cargo_lock_parse(struct hull_str data, const char *file, int layer,
                          struct hull_inventory *inv, struct hull_err *err);
int hull_cargo_audit_section(const char *data, size_t len, struct hull_str *out);
int hull_cargo_audit_digest(const char *data, size_t len, struct hull_buf *out,
                            struct hull_err *err);
int hull_cargo_audit_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

#endif
