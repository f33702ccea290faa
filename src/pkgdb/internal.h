/* internal: helpers shared by the pkgdb parsers (private to src/pkgdb).
 *
 * The parsers follow one pattern for damaged input: a damaged record is a
 * "problem", the parser skips it and goes on, and at the end the first
 * problem becomes the error (with a count of the others) while the packages
 * of the intact records stay appended. Only allocation failures stop a
 * parser early. */
#ifndef HULL_PKGDB_INTERNAL_H
#define HULL_PKGDB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"

/* Hard cap on the packages of one inventory. */
#define HULL_INVENTORY_MAX_PKGS (1u << 20)

/* Longest name shown in a message; longer ones end in "...". */
#define HULL_PKGDB_QUOTE_MAX 64

/* The problems of one parse: the first message is kept, the rest counted. */
struct hull_pkgdb_problems {
	struct hull_err first;
	size_t n;
};

void hull_pkgdb_problem(struct hull_pkgdb_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* 0 when there was no problem; else fills err with the first problem (and
 * "(N more problems)") and returns -1. */
int hull_pkgdb_problems_finish(const struct hull_pkgdb_problems *p, struct hull_err *err);

/* Writes s into out for a message: non-printable bytes become '?', and
 * anything past HULL_PKGDB_QUOTE_MAX bytes is cut and marked with "...". */
const char *hull_pkgdb_quote(struct hull_str s, char out[HULL_PKGDB_QUOTE_MAX + 4]);

/* True when s has no control byte (< 0x20, 0x7f): names and versions with
 * them are refused, as they would corrupt every report format. */
bool hull_pkgdb_printable(struct hull_str s);

/* A package described by slices into the parser's input. A slice whose ptr
 * is NULL is absent (the field becomes NULL); name and version must be
 * present (version may be empty). */
struct hull_pkg_slices {
	enum hull_pkg_type type;
	struct hull_str name, version, arch, src_name, src_version, license, props;
};

/* Copies the slices and appends the package (epoch -1, rpm fields NULL).
 * Fails only on OOM or the inventory cap. */
int hull_pkgdb_add(struct hull_inventory *inv, const struct hull_pkg_slices *s, const char *file,
                   int layer, struct hull_err *err);

/* A parser of one file's content (parsers.h). */
typedef int (*hull_pkg_parser)(struct hull_str data, const char *file, int layer,
                               struct hull_inventory *inv, struct hull_err *err);

/* The files a collection read through includes (requirements.txt's -r),
 * so that one included by several manifests is listed once. */
struct hull_pkg_tree_seen {
	char **paths;
	size_t n, cap;
};

/* Where a package type is read from: a row of the package-type table
 * lists its sources, ended by one whose parse is NULL. */
struct hull_pkg_source {
	/* A database at fixed paths, in order of preference: the first
	 * present is read and kept with its history (layer attribution); any
	 * other present is named in a warning. NULL for manifests. */
	const char *const *db_paths;
	/* Manifests anywhere in the tree: every path match() accepts, kept
	 * last. A manifest's package that the type's database also lists
	 * (same name and arch) is dropped: one installed package, one entry. */
	bool (*match)(const char *path);
	/* Files told by their content (HULL_KEEP_PROBE): a file starting with
	 * the magic bytes is given whole to digest(), which appends what parse
	 * later reads to out and returns 1, or returns 0 when the file holds
	 * nothing of the type, -1 when out is full or memory is out. The
	 * digest is kept behind a header naming `tag`. */
	const char *magic;
	size_t magic_len;
	int (*digest)(const char *data, size_t len, struct hull_buf *out, struct hull_err *err);
	const char *tag;
	hull_pkg_parser parse;
	/* Kept (match) for another source's parse_tree only: a file a manifest
	 * may include, never read on its own nor named a lockfile. */
	bool include_only;
	/* A manifest naming other files of the tree (requirements.txt's -r):
	 * hull_inventory_collect reads it with this, the fileset at hand;
	 * parse still reads one content alone (layer history,
	 * hull_inventory_from_lockfile). Same contract as parse. */
	int (*parse_tree)(const struct hull_fileset *fs, const struct hull_file *f,
	                  struct hull_pkg_tree_seen *seen, struct hull_inventory *inv,
	                  struct hull_err *err);
};

/* Sorts inv->pkgs[first..] by name and version and releases every package
 * whose name@version was already seen, so a manifest lists each once. */
void hull_pkgdb_dedup(struct hull_inventory *inv, size_t first);

/* The end of a lockfile's parse, the same for every reader: the packages
 * it added from inv->pkgs[first] on listed once (hull_pkgdb_dedup), then
 * hull_pkgdb_problems_finish's answer. */
int hull_pkgdb_parsed(struct hull_inventory *inv, size_t first, const struct hull_pkgdb_problems *p,
                      struct hull_err *err);

/* The kept files an operating-system package installed (owned.c): read
 * from dpkg's and apk's file lists, only those wanted() accepts. */
struct hull_owned {
	const struct hull_file **v; /* sorted by address */
	size_t n, cap;
};

/* Whether path is one of the file lists hull_owned_collect reads (dpkg's
 * info/<pkg>.list, status.d/<pkg>.md5sums): kept for it. */
bool hull_owned_list_path(const char *path);

/* Fills *out (released on failure); fails only on OOM. */
int hull_owned_collect(const struct hull_fileset *fs, bool (*wanted)(const struct hull_file *f),
                       struct hull_owned *out, struct hull_err *err);
bool hull_owned_has(const struct hull_owned *o, const struct hull_file *f);
void hull_owned_release(struct hull_owned *o);

#endif
