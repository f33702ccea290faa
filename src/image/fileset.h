/* fileset: the files an image keeps for its analyzers, after every layer
 * has been applied.
 *
 * Reading an image never extracts it: a keep function (given by the caller,
 * usually hull_pkgdb_wants) picks the few paths analyzers need (package
 * databases, os-release, language manifests) and only those are held in
 * memory, each with the index of the layer that last wrote it. Paths chosen
 * with HULL_KEEP_HISTORY also keep every earlier version (one per layer that
 * wrote the path), so an analyzer can tell which layer introduced a package.
 *
 * Paths are relative to the image root, normalised, without a leading '/'
 * ("var/lib/dpkg/status"). Symlinks are recorded and resolved on lookup,
 * always inside the image root.
 *
 * Invariants: a fileset is read-only once the image is open; every pointer
 * it returns lives as long as the fileset. Total kept bytes are capped
 * (HULL_FILESET_MAX_BYTES) and one file is capped (HULL_FILESET_MAX_FILE):
 * a file over the cap is dropped with a warning, never truncated. */
#ifndef HULL_IMAGE_FILESET_H
#define HULL_IMAGE_FILESET_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/err.h"

#define HULL_FILESET_MAX_FILE  (32u << 20)
#define HULL_FILESET_MAX_BYTES (192u << 20)
#define HULL_FILESET_MAX_PATHS 1000000u

enum hull_keep {
	HULL_KEEP_NO = 0,
	HULL_KEEP_LAST,    /* keep the final content only */
	HULL_KEEP_HISTORY, /* keep every layer's version too */
	/* Offer the content to the probe (struct hull_content_probe): what it makes of
	 * the file, if anything, is kept at the path instead of the content. */
	HULL_KEEP_PROBE
};

/* Decides whether `path` (relative, normalised) is kept. */
typedef enum hull_keep (*hull_keep_fn)(const char *path, void *ctx);

/* Files whose kind is told by their content, not their name (executables,
 * archives): a reader gives a HULL_KEEP_PROBE file's first bytes to
 * wants(); only when it says yes is the whole file (at most
 * HULL_PROBE_MAX_FILE bytes) read, handed to digest() and freed. What
 * digest() returns is kept at the path (as with HULL_KEEP_LAST), so the
 * layer cache and whiteouts treat it like any kept file. Files are never
 * written anywhere nor executed. */
#define HULL_PROBE_HEAD     16u
#define HULL_PROBE_MAX_FILE (512u << 20)
struct hull_content_probe {
	/* head: the first min(size, HULL_PROBE_HEAD) bytes; size: the whole
	 * file's. */
	bool (*wants)(const char *head, size_t n, unsigned long long size);
	/* *out: malloc'ed with one spare byte after *outlen (for the NUL), or
	 * NULL when the file holds nothing to keep. -1 only when reading must
	 * stop (out of memory). */
	int (*digest)(const char *path, const char *data, size_t len, char **out, size_t *outlen,
	              struct hull_err *err);
};

/* Layer index of files read from a plain root filesystem. */
#define HULL_LAYER_NONE (-1)

struct hull_file_version {
	const char *data; /* NUL-terminated after len bytes */
	size_t len;
	int layer;
};

struct hull_file {
	const char *path;
	const char *data; /* final content, NUL-terminated after len bytes */
	size_t len;
	int layer; /* layer that last wrote it, or HULL_LAYER_NONE */
	unsigned mode;
	/* Only for HULL_KEEP_HISTORY paths: every version still visible in its
	 * own layer, oldest first; the last one is the final content. */
	const struct hull_file_version *versions;
	size_t nversions;
};

struct hull_fileset;

/* The kept file at path, following symlinks (in any component) inside the
 * root, or NULL. */
const struct hull_file *hull_fileset_get(const struct hull_fileset *fs, const char *path);

/* Layer that wrote what is recorded at exactly path (no link followed):
 * a layer index, HULL_LAYER_NONE, or HULL_LAYER_ABSENT when nothing is. */
#define HULL_LAYER_ABSENT (-2)
int hull_fileset_layer_at(const struct hull_fileset *fs, const char *path);

/* Calls fn for every symlink whose resolution takes more than 40 links (a
 * loop, or a chain no kernel would follow); returns how many. Lookups
 * through them find nothing. */
size_t hull_fileset_loops(const struct hull_fileset *fs,
                          void (*fn)(const char *path, const char *target, void *ctx), void *ctx);

/* Iteration in path order. */
size_t hull_fileset_count(const struct hull_fileset *fs);
const struct hull_file *hull_fileset_at(const struct hull_fileset *fs, size_t i);

/* Building a fileset (done by the image readers, and by tests).
 *
 * Paths given here must already be normalised with hull_path_normalize.
 * Layers must be applied in order: a whiteout or an opaque directory in
 * layer L removes only what layers below L wrote. */
struct hull_fileset *hull_fileset_new(void);
void hull_fileset_free(struct hull_fileset *fs);

/* Stores a regular file. Takes ownership of data (malloc'ed, with one spare
 * byte after len for the NUL), also on failure. Replaces what was at path;
 * with HULL_KEEP_HISTORY the earlier content stays as a version. */
int hull_fileset_put_file(struct hull_fileset *fs, const char *path, char *data, size_t len,
                          unsigned mode, int layer, enum hull_keep keep, struct hull_err *err);
/* Records that path was (re)written by a file that is not kept, so any
 * earlier kept content at path is gone. */
void hull_fileset_drop(struct hull_fileset *fs, const char *path);
/* Records a symlink; target is kept as written (absolute or relative). */
int hull_fileset_put_symlink(struct hull_fileset *fs, const char *path, const char *target,
                             int layer, struct hull_err *err);
/* A hard link: path gets the content of the kept file at target (if any). */
int hull_fileset_put_hardlink(struct hull_fileset *fs, const char *path, const char *target,
                              int layer, enum hull_keep keep, struct hull_err *err);
/* `.wh.NAME`: removes path and everything below it written before layer. */
void hull_fileset_whiteout(struct hull_fileset *fs, const char *path, int layer);
/* `.wh..wh..opq`: removes everything below dir written before layer. */
void hull_fileset_opaque(struct hull_fileset *fs, const char *dir, int layer);
/* Ends building: orders files for iteration. */
int hull_fileset_finish(struct hull_fileset *fs, struct hull_err *err);
/* Bytes of file content held. */
size_t hull_fileset_bytes(const struct hull_fileset *fs);

/* How hull_path_join treats "..": refuse it, stop it at the root (what the
 * kernel does), or refuse only one that climbs above the root. */
enum hull_dotdot { HULL_DOTDOT_REJECT, HULL_DOTDOT_CLAMP, HULL_DOTDOT_NO_ESCAPE };

/* Appends the components of rel to the normalised path out[0..*len)
 * (NUL-terminated, cap bytes), dropping "." and empty components. Returns
 * 0; -1 for a ".." the mode refuses; -2 when out is too small. */
int hull_path_join(char *out, size_t *len, size_t cap, const char *rel, enum hull_dotdot dotdot);

/* Normalises a path from an archive or a directory walk into out: strips
 * leading "/" and "./", collapses "//" and "." components. A ".." component
 * is an error (it could lead outside the root). The root itself gives "". */
int hull_path_normalize(const char *in, char *out, size_t outsz, struct hull_err *err);

#endif
