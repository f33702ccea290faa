/* rpmdb_ndb: rpm's "new database" Packages.db (SUSE), read from memory.
 *
 * Layout (little-endian): a 32-byte header ("RpmP", version 0, generation,
 * slot page count, next package index), then slot pages of 4096 bytes
 * holding 16-byte slots {"Slot", pkgidx, blkoff, blkcnt} (the header takes
 * the first two slots of page 0). A used slot points at blkcnt blocks of 16
 * bytes at blkoff*16: a blob head {"BlbS", pkgidx, timestamp, bloblen},
 * the header blob, zero padding, and a tail {adler32, bloblen, "BlbE"}. The
 * adler32 covers everything from the head to the tail. */
#include <string.h>

#include "pkgdb/rpmdb_internal.h"

#define NDB_MAGIC      0x506d7052u /* "RpmP" */
#define SLOT_MAGIC     0x746f6c53u /* "Slot" */
#define BLOBHEAD_MAGIC 0x53626c42u /* "BlbS" */
#define BLOBTAIL_MAGIC 0x45626c42u /* "BlbE" */
#define NDB_PAGE       4096u
#define SLOT_SIZE      16u
#define BLK_SIZE       16u
#define HEAD_SIZE      16u
#define TAIL_SIZE      12u
/* rpm never grows past a few thousand slot pages; this bounds the scan. */
#define MAX_SLOT_PAGES 65536u

static uint32_t adler32(const unsigned char *p, size_t len)
{
	uint32_t a = 1, b = 0;
	while (len > 0) {
		/* 5552 bytes is the longest run before b can overflow. */
		size_t n = len < 5552 ? len : 5552;
		len -= n;
		while (n--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

static int read_blob(struct hull_str data, uint32_t slotno, uint32_t pkgidx, uint32_t blkoff,
                     uint32_t blkcnt, struct hull_str *blob, struct hull_err *err)
{
	uint64_t start = (uint64_t)blkoff * BLK_SIZE, size = (uint64_t)blkcnt * BLK_SIZE;
	if (start + size > data.len || size < HEAD_SIZE + TAIL_SIZE)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "ndb: slot %u: blocks %u+%u outside the %zu-byte file", slotno,
		                    blkoff, blkcnt, data.len);
	const unsigned char *p = (const unsigned char *)data.ptr + start;
	uint32_t len = hull_rd_le32(p + 12);
	const unsigned char *tail = p + size - TAIL_SIZE;
	const char *why = NULL;
	if (hull_rd_le32(p) != BLOBHEAD_MAGIC || hull_rd_le32(p + 4) != pkgidx)
		why = "bad blob head";
	else if ((uint64_t)HEAD_SIZE + len + TAIL_SIZE + BLK_SIZE - 1 < size ||
	         (uint64_t)HEAD_SIZE + len + TAIL_SIZE > size)
		why = "blob length does not match the block count";
	else if (hull_rd_le32(tail + 4) != len || hull_rd_le32(tail + 8) != BLOBTAIL_MAGIC)
		why = "bad blob tail";
	else if (hull_rd_le32(tail) != adler32(p, size - TAIL_SIZE))
		why = "blob checksum mismatch";
	if (why)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "ndb: slot %u (package %u at offset %llu): %s", slotno, pkgidx,
		                    (unsigned long long)start, why);
	*blob = hull_str((const char *)p + HEAD_SIZE, len);
	return 0;
}

int hull_rpmdb_ndb_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                        struct hull_err *err)
{
	const unsigned char *p = (const unsigned char *)data.ptr;
	if (data.len < 32 || hull_rd_le32(p) != NDB_MAGIC)
		return hull_err_set(err, HULL_ERR_INPUT, "ndb: not an NDB Packages.db");
	uint32_t version = hull_rd_le32(p + 4), npages = hull_rd_le32(p + 12);
	if (version != 0)
		return hull_err_set(err, HULL_ERR_INPUT, "ndb: unsupported version %u", version);
	if (npages == 0 || npages > MAX_SLOT_PAGES || (uint64_t)npages * NDB_PAGE > data.len)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "ndb: %u slot pages do not fit in the %zu-byte file", npages,
		                    data.len);
	/* Blobs live after the slot pages. */
	uint32_t minblk = npages * (NDB_PAGE / BLK_SIZE);
	uint32_t nslots = npages * (NDB_PAGE / SLOT_SIZE);
	for (uint32_t slotno = 2; slotno < nslots; slotno++) {
		const unsigned char *s = p + (size_t)slotno * SLOT_SIZE;
		if (hull_rd_le32(s) != SLOT_MAGIC)
			return hull_err_set(err, HULL_ERR_INPUT, "ndb: slot %u: bad magic", slotno);
		uint32_t pkgidx = hull_rd_le32(s + 4), blkoff = hull_rd_le32(s + 8),
		         blkcnt = hull_rd_le32(s + 12);
		if (blkoff == 0)
			continue; /* free slot */
		if (pkgidx == 0 || blkcnt == 0 || blkoff < minblk)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "ndb: slot %u: bad entry (package %u, blocks %u+%u)",
			                    slotno, pkgidx, blkoff, blkcnt);
		struct hull_str blob;
		if (read_blob(data, slotno, pkgidx, blkoff, blkcnt, &blob, err) < 0)
			return -1;
		int rc = fn(ctx, pkgidx, blob, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
