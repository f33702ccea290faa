/* pkgdb: what is installed in a file tree, read from the package databases
 * and manifests kept in a fileset.
 *
 * Operating-system packages (dpkg, apk, rpm) and language packages (npm,
 * Python) become one flat list of `struct hull_pkg`, plus the distribution
 * from os-release. A damaged database is a warning (recorded in the diag)
 * and the scan goes on; only allocation failures stop it.
 *
 * Ownership: an inventory owns its packages and every string in them;
 * hull_inventory_release frees all of it. */
#ifndef HULL_PKGDB_PKGDB_H
#define HULL_PKGDB_PKGDB_H

#include <stdbool.h>
#include <stddef.h>

#include "image/fileset.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/str.h"

/* Package types, in the order reports list them. Each has a row in the
 * package-type table (src/pkgdb/types.c); adding an ecosystem is an
 * enum value here, its row there and its parser. */
enum hull_pkg_type {
	HULL_PKG_DEB,
	HULL_PKG_APK,
	HULL_PKG_RPM,
	HULL_PKG_NPM,
	HULL_PKG_PYPI,
	HULL_PKG_GOLANG,
	HULL_PKG_MAVEN,
	HULL_PKG_GEM,
	HULL_PKG_COMPOSER,
	HULL_PKG_CARGO,
	HULL_PKG_NUGET,
	HULL_PKG_TYPE_COUNT /* not a type: how many there are */
};

/* Where a type is read from (private to src/pkgdb). */
struct hull_pkg_source;

/* One row of the package-type table: what the rest of hull needs to know
 * about an ecosystem. */
struct hull_pkg_type_info {
	const char *name;      /* "deb": reports, JSON byType, hull:type */
	const char *purl_type; /* the purl-spec type: "deb", "npm", "pypi" */
	/* The vulnerability namespace of a language ecosystem as OSV spells it
	 * ("npm", "PyPI"); NULL for a distribution's packages, which are
	 * matched against the distribution's feed by source package. */
	const char *ecosystem;
	bool os;                /* a package of the operating system */
	bool match_src_version; /* the distribution's feed is keyed by source version */
	/* The distributions' feeds name binary packages as well as source
	 * packages (RPM: AlmaLinux and SUSE binaries, Rocky and Red Hat
	 * sources): looked up under both names. */
	bool match_binary_name;
	/* How a purl namespace joins hull's package name: '/' gives npm's
	 * "@scope/name"; 0 when names carry no namespace. */
	char ns_sep;
	const struct hull_pkg_source *sources; /* NULL-terminated by parse */
};

/* The row of t; NULL when t is not a type. Borrowed, static. */
const struct hull_pkg_type_info *hull_pkg_type_info(enum hull_pkg_type t);

/* "deb", "apk", "rpm", "npm", "pypi"; "unknown" when t is not a type. */
const char *hull_pkg_type_name(enum hull_pkg_type t);

/* Whether t is a package of the operating system (false for no type). */
bool hull_pkg_type_is_os(enum hull_pkg_type t);

/* The type of a purl type ("npm"); false when hull has no such type. */
bool hull_pkg_type_from_purl(const char *purl_type, enum hull_pkg_type *out);

struct hull_pkg {
	enum hull_pkg_type type;
	char *name;
	/* The version as the ecosystem compares it: deb "[epoch:]upstream[-rev]",
	 * apk "1.2.3-r4", rpm "[epoch:]version-release", npm/pypi as written. */
	char *version;
	char *arch;        /* may be NULL */
	char *src_name;    /* deb Source, apk origin, rpm source rpm name; may be NULL */
	char *src_version; /* deb source version, rpm source version; may be NULL */
	char *license;     /* may be NULL */
	/* rpm only (NULL / -1 elsewhere): the parts of `version`. */
	long epoch;
	char *rpm_version;
	char *release;
	/* rpm only: the MODULARITYLABEL of a package built for a module stream
	 * ("ruby:3.3:9040020240517190711:9"), else NULL. */
	char *modularity;
	/* Facts of the ecosystem that have no field here, as "key\tvalue\n"
	 * lines ("go:build:-buildmode\texe"); NULL when none. */
	char *props;
	char *file; /* the database or manifest it was read from */
	int layer;  /* layer that introduced it, or HULL_LAYER_NONE */
};

struct hull_os {
	char *id;          /* "debian", "alpine", ... NULL when unknown */
	char *version_id;  /* "12", "3.20.3" */
	char *codename;    /* "bookworm"; may be NULL */
	char *pretty_name; /* may be NULL */
	char *id_like;     /* may be NULL */
	char *platform_id; /* os-release PLATFORM_ID ("platform:el9"); may be NULL */
	char *source_file; /* the file it came from */
};

struct hull_inventory {
	struct hull_os os;
	struct hull_pkg *pkgs;
	size_t npkgs;
	size_t cap;
};

/* The keep function for hull_image_open / the rootfs reader: every path
 * any analyzer below reads. ctx is unused. Bump HULL_PKGDB_KEEP_VERSION
 * whenever the set of kept paths changes: cached layers depend on it. */
#define HULL_PKGDB_KEEP_VERSION 7
enum hull_keep hull_pkgdb_wants(const char *path, void *ctx);

/* The probe for the files hull_pkgdb_wants answers HULL_KEEP_PROBE (every
 * file no source names): executables and archives, told by their first
 * bytes, become the digest the package-type table's sources read. */
extern const struct hull_content_probe hull_pkgdb_probe;

/* Fills inv (which must be zeroed) from the fileset. Warnings go to diag. */
int hull_inventory_collect(const struct hull_fileset *fs, struct hull_inventory *inv,
                           struct hull_diag *diag, struct hull_err *err);

/* A lockfile of a source tree (package-lock.json, and whatever manifest
 * the package-type table reads by name: the match of a source without
 * database paths), read into inv (zeroed or filled before). *known is false,
 * and nothing happens, when no parser reads such a file. Errors name the
 * file and position; packages are deduplicated by name and version. */
int hull_inventory_from_lockfile(struct hull_str data, const char *path, struct hull_inventory *inv,
                                 bool *known, struct hull_err *err);

/* Whether hull_inventory_from_lockfile reads a file of this name (a base
 * name: "yarn.lock", "Cargo.lock"): what a walk of a source tree picks. */
bool hull_pkgdb_lockfile_name(const char *name);

/* Appends a package, taking ownership of pkg's strings (on success and on
 * failure). Used by the individual parsers. */
int hull_inventory_add(struct hull_inventory *inv, struct hull_pkg *pkg, struct hull_err *err);

/* Sorts packages by type, name, version, arch. */
void hull_inventory_sort(struct hull_inventory *inv);

void hull_pkg_release(struct hull_pkg *pkg);
void hull_inventory_release(struct hull_inventory *inv);

#endif
