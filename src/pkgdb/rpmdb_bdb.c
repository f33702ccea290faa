/* rpmdb_bdb: the Berkeley DB hash file `Packages` of older rpm (RHEL/CentOS
 * up to 8, Amazon Linux 2), read from memory without libdb.
 *
 * Page 0 is the hash metadata page (magic 0x061561 at offset 12, in the
 * byte order of the machine that wrote the file; page size, last page,
 * max bucket, and the `spares` table that maps a bucket to its first page).
 * Every page starts with a 26-byte header {lsn, pgno, prev, next, entries,
 * hf_offset, level, type}. A hash page holds `entries` item offsets (key,
 * data, key, data...) growing up from the header and the items growing down
 * from the page end; an item is either inline (H_KEYDATA: type byte + bytes)
 * or a reference to a chain of overflow pages (H_OFFPAGE: type, 3 unused,
 * first page, total length). The bucket pages are walked as rpm's bdb_ro
 * does; every page may be visited once, which stops loops in hash and
 * overflow chains. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/rpmdb_internal.h"
#include "util/mem.h"

#define HASH_MAGIC      0x00061561u
#define PAGE_HDR        26u
#define P_INVALID       0
#define P_HASH_UNSORTED 2
#define P_OVERFLOW      7
#define P_HASHMETA      8
#define P_HASH          13
#define H_KEYDATA       1
#define H_DUPLICATE     2
#define H_OFFPAGE       3
#define H_OFFDUP        4
#define HOFFPAGE_SIZE   12u
#define META_MAX_BUCKET 72
#define META_SPARES     96
#define DBMETA_CHKSUM   0x01

struct bdb {
	const unsigned char *p;
	size_t len;
	bool be; /* file written on a big-endian machine */
	uint32_t pagesize;
	uint32_t last_pgno;
	uint32_t max_bucket;
	uint32_t spares[32];
	unsigned char *seen; /* one bit per page */
	unsigned char *ov;   /* overflow item assembly */
	size_t ov_cap;
};

static uint32_t rd32(const struct bdb *db, const unsigned char *p)
{
	return db->be ? hull_rd_be32(p) : hull_rd_le32(p);
}

static uint16_t rd16(const struct bdb *db, const unsigned char *p)
{
	return db->be ? hull_rd_be16(p) : hull_rd_le16(p);
}

static int open_meta(struct bdb *db, struct hull_str data, struct hull_err *err)
{
	const unsigned char *p = (const unsigned char *)data.ptr;
	db->p = p;
	db->len = data.len;
	if (data.len < 512)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: %zu bytes, too short", data.len);
	if (hull_rd_le32(p + 12) == HASH_MAGIC)
		db->be = false;
	else if (hull_rd_be32(p + 12) == HASH_MAGIC)
		db->be = true;
	else
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: not a Berkeley DB hash file");
	uint32_t version = rd32(db, p + 16);
	db->pagesize = rd32(db, p + 20);
	db->last_pgno = rd32(db, p + 32);
	db->max_bucket = rd32(db, p + META_MAX_BUCKET);
	if (version < 8 || version > 10)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: unsupported hash version %u",
		                    version);
	if (db->pagesize < 512 || db->pagesize > 65536 || (db->pagesize & (db->pagesize - 1)))
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: bad page size %u", db->pagesize);
	if (p[24] != 0)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "bdb: encrypted databases are not supported");
	/* Checksummed pages have a longer header; rpm never creates them. */
	if (p[25] != P_HASHMETA || (p[26] & DBMETA_CHKSUM))
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "bdb: page 0 is not a plain hash metadata page (type %u flags %#x)", p[25],
		    p[26]);
	if ((uint64_t)db->last_pgno + 1 > data.len / db->pagesize)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "bdb: truncated: last page %u of %u bytes past the %zu-byte file",
		    db->last_pgno, db->pagesize, data.len);
	/* Every bucket has its own page: more buckets than pages is corrupt. */
	if (db->max_bucket > db->last_pgno)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: max bucket %u past last page %u",
		                    db->max_bucket, db->last_pgno);
	for (int i = 0; i < 32; i++)
		db->spares[i] = rd32(db, p + META_SPARES + 4 * i);
	db->seen = calloc(db->last_pgno / 8 + 1, 1);
	if (!db->seen)
		return hull_err_nomem(err);
	return 0;
}

/* The page pgno, checked to exist, to name itself, and to be visited for the
 * first time (so no chain can loop). A bucket page may also be blank (all
 * zero: libdb allocates bucket pages in batches and writes one only when a
 * key lands in it); it then has type P_INVALID (0). */
static const unsigned char *get_page(struct bdb *db, uint32_t pgno, bool blank_ok,
                                     struct hull_err *err)
{
	if (pgno == 0 || pgno > db->last_pgno) {
		hull_err_set(err, HULL_ERR_INPUT, "bdb: page %u out of range (last page %u)", pgno,
		             db->last_pgno);
		return NULL;
	}
	if (db->seen[pgno / 8] & (1u << (pgno % 8))) {
		hull_err_set(err, HULL_ERR_INPUT, "bdb: page %u reached twice (a loop)", pgno);
		return NULL;
	}
	db->seen[pgno / 8] |= (unsigned char)(1u << (pgno % 8));
	const unsigned char *page = db->p + (size_t)pgno * db->pagesize;
	if (blank_ok && rd32(db, page + 8) == 0 && page[25] == P_INVALID)
		return page;
	if (rd32(db, page + 8) != pgno) {
		hull_err_set(err, HULL_ERR_INPUT, "bdb: page %u claims to be page %u", pgno,
		             rd32(db, page + 8));
		return NULL;
	}
	return page;
}

/* Gathers an overflow chain of tlen bytes starting at pgno into db->ov. */
static int read_overflow(struct bdb *db, uint32_t pgno, uint32_t tlen, struct hull_err *err)
{
	if (tlen == 0 || tlen > db->len || tlen > HULL_RPMHDR_MAX_DATA)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: overflow item of %u bytes", tlen);
	if (tlen > db->ov_cap) {
		unsigned char *n = realloc(db->ov, tlen);
		if (!n)
			return hull_err_nomem(err);
		db->ov = n;
		db->ov_cap = tlen;
	}
	uint32_t got = 0;
	while (got < tlen) {
		if (pgno == 0)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: overflow chain ends after %u of %u bytes", got,
			                    tlen);
		const unsigned char *page = get_page(db, pgno, false, err);
		if (!page)
			return -1;
		uint32_t plen = rd16(db, page + 22);
		if (page[25] != P_OVERFLOW || plen == 0 || plen > db->pagesize - PAGE_HDR ||
		    plen > tlen - got)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: page %u: bad overflow page (type %u, %u bytes)",
			                    pgno, page[25], plen);
		memcpy(db->ov + got, page + PAGE_HDR, plen);
		got += plen;
		pgno = rd32(db, page + 16);
	}
	if (pgno != 0)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "bdb: overflow chain goes on (page %u) past its %u bytes", pgno,
		                    tlen);
	return 0;
}

/* One data item [off, end) of a hash page, as a slice (inline or gathered
 * from its overflow chain). */
static int get_item(struct bdb *db, uint32_t pgno, const unsigned char *page, uint32_t off,
                    uint32_t end, struct hull_str *out, struct hull_err *err)
{
	switch (page[off]) {
	case H_KEYDATA:
		*out = hull_str((const char *)page + off + 1, end - off - 1);
		return 0;
	case H_OFFPAGE: {
		if (end - off != HOFFPAGE_SIZE)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: page %u: off-page item of %u bytes", pgno,
			                    end - off);
		uint32_t tlen = rd32(db, page + off + 8);
		if (read_overflow(db, rd32(db, page + off + 4), tlen, err) < 0)
			return -1;
		*out = hull_str((const char *)db->ov, tlen);
		return 0;
	}
	case H_DUPLICATE:
	case H_OFFDUP:
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "bdb: page %u: duplicate keys (not used by rpm)", pgno);
	default:
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: page %u: unknown item type %u", pgno,
		                    page[off]);
	}
}

static int walk_page(struct bdb *db, uint32_t pgno, const unsigned char *page,
                     hull_rpmdb_blob_fn fn, void *ctx, struct hull_err *err)
{
	uint32_t n = rd16(db, page + 20);
	uint32_t minoff = PAGE_HDR + 2 * n;
	if (n % 2 != 0 || minoff > db->pagesize)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: page %u: bad item count %u", pgno,
		                    n);
	uint32_t end = db->pagesize;
	for (uint32_t i = 0; i < n; i += 2) {
		uint32_t koff = rd16(db, page + PAGE_HDR + 2 * i);
		uint32_t voff = rd16(db, page + PAGE_HDR + 2 * i + 2);
		/* Items grow down from the page end: data < key < previous item. */
		if (voff < minoff || voff >= koff || koff >= end)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: page %u: item %u: offsets %u/%u out of order",
			                    pgno, i / 2, koff, voff);
		if (page[koff] != H_KEYDATA)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: page %u: item %u: key of type %u", pgno, i / 2,
			                    page[koff]);
		struct hull_str key = hull_str((const char *)page + koff + 1, end - koff - 1);
		end = voff;
		/* Key 0 holds rpm's next-instance counter, not a header. */
		if (key.len == 4 && memcmp(key.ptr, "\0\0\0\0", 4) == 0)
			continue;
		struct hull_str blob;
		if (get_item(db, pgno, page, voff, koff, &blob, err) < 0)
			return -1;
		uint64_t id = key.len == 4 ? rd32(db, (const unsigned char *)key.ptr) : 0;
		int rc = fn(ctx, id, blob, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int walk_bucket(struct bdb *db, uint32_t bucket, hull_rpmdb_blob_fn fn, void *ctx,
                       struct hull_err *err)
{
	int bits = 0;
	for (uint32_t b = bucket; b; b >>= 1)
		bits++;
	uint64_t pg = (uint64_t)bucket + db->spares[bits];
	if (pg > db->last_pgno)
		return hull_err_set(err, HULL_ERR_INPUT, "bdb: bucket %u maps to page %llu", bucket,
		                    (unsigned long long)pg);
	for (uint32_t pgno = (uint32_t)pg; pgno != 0;) {
		const unsigned char *page = get_page(db, pgno, true, err);
		if (!page)
			return -1;
		if (page[25] == P_INVALID)
			break; /* an empty bucket */
		if (page[25] != P_HASH && page[25] != P_HASH_UNSORTED)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "bdb: bucket %u: page %u has type %u, not a hash page",
			                    bucket, pgno, page[25]);
		int rc = walk_page(db, pgno, page, fn, ctx, err);
		if (rc < 0)
			return rc;
		pgno = rd32(db, page + 16);
	}
	return 0;
}

int hull_rpmdb_bdb_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                        struct hull_err *err)
{
	struct bdb db = {0};
	int rc = open_meta(&db, data, err);
	for (uint32_t b = 0; rc == 0 && b <= db.max_bucket; b++)
		rc = walk_bucket(&db, b, fn, ctx, err);
	free(db.seen);
	free(db.ov);
	return rc;
}
