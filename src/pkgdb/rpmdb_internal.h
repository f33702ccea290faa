/* rpmdb_internal: the pieces behind hull_rpmdb_parse (private to src/pkgdb;
 * unit tests and the fuzzer use them directly).
 *
 * An rpm database is a container of rpm header blobs. Three containers
 * exist: SQLite (rpmdb.sqlite), Berkeley DB hash (Packages) and NDB
 * (Packages.db). Each container reader walks its file, held in memory as a
 * slice, and hands every header blob it finds to a callback; the header
 * reader validates one blob and answers tag look-ups with slices into it.
 *
 * Invariants: nothing here writes to disk or reads past its input; every
 * count, length and chain read from the file is checked against the input
 * size and a hard cap before it is used; slices handed out point into the
 * caller's buffer (or into a buffer the walker owns for the duration of the
 * callback only). */
#ifndef HULL_PKGDB_RPMDB_INTERNAL_H
#define HULL_PKGDB_RPMDB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "util/str.h"

/* rpm tags we read (rpm's lib/rpmtag.h). */
enum {
	HULL_RPMTAG_NAME = 1000,
	HULL_RPMTAG_VERSION = 1001,
	HULL_RPMTAG_RELEASE = 1002,
	HULL_RPMTAG_EPOCH = 1003,
	HULL_RPMTAG_LICENSE = 1014,
	HULL_RPMTAG_ARCH = 1022,
	HULL_RPMTAG_SOURCERPM = 1044,
	HULL_RPMTAG_DIRINDEXES = 1116,
	HULL_RPMTAG_BASENAMES = 1117,
	HULL_RPMTAG_DIRNAMES = 1118,
	HULL_RPMTAG_MODULARITYLABEL = 5096,
};

/* rpm header data types. */
enum hull_rpm_type {
	HULL_RPM_NULL = 0,
	HULL_RPM_CHAR = 1,
	HULL_RPM_INT8 = 2,
	HULL_RPM_INT16 = 3,
	HULL_RPM_INT32 = 4,
	HULL_RPM_INT64 = 5,
	HULL_RPM_STRING = 6,
	HULL_RPM_BIN = 7,
	HULL_RPM_STRING_ARRAY = 8,
	HULL_RPM_I18NSTRING = 9,
};

/* Caps (rpm's own: 65535 tags, 256 MiB of data). */
#define HULL_RPMHDR_MAX_TAGS 0xffff
#define HULL_RPMHDR_MAX_DATA 0x0fffffff

/* A validated header blob: il index entries of 16 bytes, then dl bytes of
 * data. Points into the blob it was opened on (borrowed). */
struct hull_rpmhdr {
	const unsigned char *index;
	uint32_t il;
	const unsigned char *store;
	uint32_t dl;
};

/* Validates a header blob as stored in an rpmdb (no lead magic): entry
 * count and data length within caps and equal to the blob size, every
 * entry's type known, offset inside the store and aligned for its type,
 * data (strings up to their NUL) inside the store, entries in offset order
 * without overlap, and the region tag (if any) well formed. On error fills
 * err ("header: entry 3 (tag 1000): ...") and returns -1. */
int hull_rpmhdr_open(struct hull_str blob, struct hull_rpmhdr *h, struct hull_err *err);

/* The string value of tag (a STRING, or the first element of a
 * STRING_ARRAY / I18NSTRING), without its NUL. Returns 1 when found, 0 when
 * the tag is absent, -1 (err filled) when it has another type. */
int hull_rpmhdr_get_string(const struct hull_rpmhdr *h, uint32_t tag, struct hull_str *out,
                           struct hull_err *err);

/* The first INT32 value of tag. Same returns as hull_rpmhdr_get_string. */
int hull_rpmhdr_get_int32(const struct hull_rpmhdr *h, uint32_t tag, int32_t *out,
                          struct hull_err *err);

/* The values of a STRING_ARRAY tag: *count NUL-terminated strings from
 * data->ptr on (hull_rpmhdr_open checked that they end inside the store);
 * take them with hull_rpmhdr_next_string. Same returns as
 * hull_rpmhdr_get_string. */
int hull_rpmhdr_get_strings(const struct hull_rpmhdr *h, uint32_t tag, struct hull_str *data,
                            uint32_t *count, struct hull_err *err);

/* The next string of *rest (without its NUL) into *out, *rest advanced past
 * it; false when *rest holds no further NUL-terminated string. */
bool hull_rpmhdr_next_string(struct hull_str *rest, struct hull_str *out);

/* The values of an INT32 tag: *count big-endian 32-bit values at *values
 * (inside the store). Same returns as hull_rpmhdr_get_string. */
int hull_rpmhdr_get_int32s(const struct hull_rpmhdr *h, uint32_t tag, const unsigned char **values,
                           uint32_t *count, struct hull_err *err);

/* Called by the container walkers with each header blob, in file order; id
 * is the record's number in its container (hnum, key, pkgidx). The blob is
 * only valid during the call. A negative return stops the walk and is
 * returned by the walker as is (err already filled). */
typedef int (*hull_rpmdb_blob_fn)(void *ctx, uint64_t id, struct hull_str blob,
                                  struct hull_err *err);

/* Container walkers. Each returns 0 after the last blob, or -1 with err
 * naming the position (page, slot, offset) of the first structural error.
 * Blobs handed out before an error stay handed out. */
int hull_rpmdb_sqlite_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                           struct hull_err *err);
int hull_rpmdb_bdb_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                        struct hull_err *err);
int hull_rpmdb_ndb_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                        struct hull_err *err);

/* Called by hull_rpmdb_each_file with each file an installed package
 * lists: its folder as rpm stores it (absolute, ending in '/') and its
 * name. A negative return stops the walk (err filled). */
typedef int (*hull_rpmdb_file_fn)(void *ctx, struct hull_str dir, struct hull_str base,
                                  struct hull_err *err);

/* Every file of every package of the rpm database data (any container),
 * from the DIRNAMES, BASENAMES and DIRINDEXES tags of each header. A
 * header that fails validation, or whose three lists disagree, lends no
 * files (hull_rpmdb_parse reports damaged headers). -1 with err naming
 * `file` when the container is not an rpm database or is damaged, or when
 * fn fails. The old uncompressed OLDFILENAMES form (rpm before 4.0) is
 * not read. */
int hull_rpmdb_each_file(struct hull_str data, const char *file, hull_rpmdb_file_fn fn, void *ctx,
                         struct hull_err *err);

/* Little- and big-endian reads from a byte pointer (no alignment needed). */
static inline uint32_t hull_rd_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t hull_rd_be32(const unsigned char *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static inline uint16_t hull_rd_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint16_t hull_rd_be16(const unsigned char *p)
{
	return (uint16_t)(p[1] | p[0] << 8);
}

#endif
