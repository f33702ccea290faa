/* cache: what each layer contributed to the fileset, kept between scans,
 * keyed by DiffID, so a second scan of an image, or of another image on the
 * same base, reads only its new layers.
 *
 * An entry is the replay log of one layer: the kept files with their
 * content, symlinks, hard links, whiteouts, opaque directories and the paths
 * the layer overwrote, exactly as applying the layer's tar produced them.
 * It is valid for one keep-function version (a scanner that keeps other
 * paths must not reuse it) and one blob (digest and size, when known).
 * Entries end with a SHA-256 of their content; a damaged entry is a miss
 * and is removed. Files are written atomically, the directory is 0700.
 * The cache is bounded: past max_bytes, least recently used entries (by
 * modification time, refreshed on every hit) are deleted.
 *
 * Trust: a hit skips reading the blob, so the cache directory must be as
 * trusted as the binary (it is created private to the user). */
#ifndef HULL_IMAGE_CACHE_H
#define HULL_IMAGE_CACHE_H

#include <stdint.h>

#include "util/err.h"

#define HULL_CACHE_DEFAULT_MAX (512ull << 20)

struct hull_layer_cache;

/* Opens (creating it when missing) the cache directory dir. */
int hull_layer_cache_open(const char *dir, uint64_t max_bytes, struct hull_layer_cache **out,
                          struct hull_err *err);
void hull_layer_cache_close(struct hull_layer_cache *c);
/* The directory it lives in (owned by c); NULL for a NULL cache. */
const char *hull_layer_cache_dir(const struct hull_layer_cache *c);

struct hull_cache_info {
	uint64_t entries;
	uint64_t bytes;
	uint64_t max_bytes;
	uint64_t hits, misses, stores; /* of this process */
};

int hull_layer_cache_info(struct hull_layer_cache *c, struct hull_cache_info *info,
                          struct hull_err *err);
/* Deletes every entry. */
int hull_layer_cache_clean(struct hull_layer_cache *c, struct hull_err *err);

#endif
