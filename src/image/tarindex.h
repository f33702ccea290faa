/* tarindex: a table of contents of an uncompressed tar file on disk (a
 * docker-archive or an OCI archive), so blobs can be read in place with
 * pread instead of being extracted or streamed in file order.
 *
 * Understands ustar (name + prefix), pax extended headers (path, linkpath,
 * size) and GNU long names ('L', 'K'); other entry types are recorded with
 * their type. Every header checksum is verified. Names are normalised
 * (hull_path_normalize): a name with a ".." component is an error.
 *
 * Limits: TARINDEX_MAX_ENTRIES entries, names up to 4095 bytes, pax
 * headers up to 1 MiB. Internal to src/image. */
#ifndef HULL_IMAGE_TARINDEX_H
#define HULL_IMAGE_TARINDEX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

#define TARINDEX_MAX_ENTRIES 100000u

enum tar_type { TAR_FILE, TAR_DIR, TAR_SYMLINK, TAR_HARDLINK, TAR_OTHER };

struct tar_member {
	char *name; /* normalised */
	char *link; /* symlink target or hard link name; NULL otherwise */
	enum tar_type type;
	off_t offset; /* of the data */
	uint64_t size;
};

struct tarindex {
	struct tar_member *members; /* sorted by name after build */
	size_t n, cap;
};

/* True when the 512-byte block looks like a tar header (valid checksum). */
bool tarindex_is_header(const unsigned char block[512]);

/* Reads the headers of the tar file open on fd (`name` for messages). */
int tarindex_build(struct tarindex *ti, int fd, const char *name, struct hull_err *err);

/* Builds the index from a tar held in memory (used by the fuzzer). */
int tarindex_build_mem(struct tarindex *ti, const unsigned char *data, size_t len, const char *name,
                       struct hull_err *err);

/* The regular file member at path, following symlinks and hard links
 * inside the archive (at most 16 hops), or NULL. */
const struct tar_member *tarindex_find(const struct tarindex *ti, const char *path);

void tarindex_release(struct tarindex *ti);

#endif
