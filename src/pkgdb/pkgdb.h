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

#include <stddef.h>

#include "image/fileset.h"
#include "util/diag.h"
#include "util/err.h"

enum hull_pkg_type {
	HULL_PKG_DEB,
	HULL_PKG_APK,
	HULL_PKG_RPM,
	HULL_PKG_NPM,
	HULL_PKG_PYPI,
};

/* "deb", "apk", "rpm", "npm", "pypi" */
const char *hull_pkg_type_name(enum hull_pkg_type t);

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
	char *file; /* the database or manifest it was read from */
	int layer;  /* layer that introduced it, or HULL_LAYER_NONE */
};

struct hull_os {
	char *id;          /* "debian", "alpine", ... NULL when unknown */
	char *version_id;  /* "12", "3.20.3" */
	char *codename;    /* "bookworm"; may be NULL */
	char *pretty_name; /* may be NULL */
	char *id_like;     /* may be NULL */
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
#define HULL_PKGDB_KEEP_VERSION 1
enum hull_keep hull_pkgdb_wants(const char *path, void *ctx);

/* Fills inv (which must be zeroed) from the fileset. Warnings go to diag. */
int hull_inventory_collect(const struct hull_fileset *fs, struct hull_inventory *inv,
                           struct hull_diag *diag, struct hull_err *err);

/* Appends a package, taking ownership of pkg's strings (on success and on
 * failure). Used by the individual parsers. */
int hull_inventory_add(struct hull_inventory *inv, struct hull_pkg *pkg, struct hull_err *err);

/* Sorts packages by type, name, version, arch. */
void hull_inventory_sort(struct hull_inventory *inv);

void hull_pkg_release(struct hull_pkg *pkg);
void hull_inventory_release(struct hull_inventory *inv);

#endif
