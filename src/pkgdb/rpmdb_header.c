/* rpmdb_header: validation of one rpm header blob and tag look-ups.
 *
 * Layout (all integers big-endian): il (u32), dl (u32), il index entries of
 * {tag, type, offset, count} (4 x u32), then dl bytes of data. A header read
 * from an rpmdb usually opens with a region entry (tag 61-63, type BIN,
 * count 16) whose offset points at a 16-byte trailer in the data; entries
 * added after the region ("dribbles") follow it and override it. */
#include <string.h>

#include "pkgdb/rpmdb_internal.h"

#define ENTRY_SIZE          16u
#define TAG_HEADERIMAGE     61u
#define TAG_HEADERIMMUTABLE 63u
#define TAG_I18NTABLE       100u

struct entry {
	uint32_t tag, type, count;
	int32_t offset;
};

static struct entry entry_at(const struct hull_rpmhdr *h, uint32_t i)
{
	const unsigned char *p = h->index + (size_t)i * ENTRY_SIZE;
	return (struct entry){
	    .tag = hull_rd_be32(p),
	    .type = hull_rd_be32(p + 4),
	    .offset = (int32_t)hull_rd_be32(p + 8),
	    .count = hull_rd_be32(p + 12),
	};
}

static uint32_t type_align(uint32_t type)
{
	switch (type) {
	case HULL_RPM_INT16:
		return 2;
	case HULL_RPM_INT32:
		return 4;
	case HULL_RPM_INT64:
		return 8;
	default:
		return 1;
	}
}

static uint32_t type_size(uint32_t type)
{
	switch (type) {
	case HULL_RPM_CHAR:
	case HULL_RPM_INT8:
	case HULL_RPM_BIN:
		return 1;
	case HULL_RPM_INT16:
		return 2;
	case HULL_RPM_INT32:
		return 4;
	case HULL_RPM_INT64:
		return 8;
	default:
		return 0; /* strings: length found by their NULs */
	}
}

/* Bytes used by `count` NUL-terminated strings starting at store[off], or 0
 * when they do not all end inside the store. */
static uint64_t strings_len(const struct hull_rpmhdr *h, uint32_t off, uint32_t count)
{
	uint32_t pos = off;
	for (uint32_t i = 0; i < count; i++) {
		if (pos >= h->dl)
			return 0;
		const unsigned char *nul = memchr(h->store + pos, 0, h->dl - pos);
		if (!nul)
			return 0;
		pos = (uint32_t)(nul - h->store) + 1;
	}
	return pos - off;
}

/* Length of an entry's data, or 0 when it does not fit in the store. */
static uint64_t data_len(const struct hull_rpmhdr *h, const struct entry *e)
{
	uint32_t off = (uint32_t)e->offset;
	switch (e->type) {
	case HULL_RPM_STRING:
		return e->count == 1 ? strings_len(h, off, 1) : 0;
	case HULL_RPM_STRING_ARRAY:
	case HULL_RPM_I18NSTRING:
		/* Each string takes at least its NUL: a count past dl cannot fit. */
		return e->count <= h->dl ? strings_len(h, off, e->count) : 0;
	default: {
		uint64_t len = (uint64_t)type_size(e->type) * e->count;
		return len <= (uint64_t)h->dl - off ? len : 0;
	}
	}
}

static int check_region(const struct hull_rpmhdr *h, const struct entry *e, struct hull_err *err)
{
	if (e->type != HULL_RPM_BIN || e->count != ENTRY_SIZE)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "header: region tag %u has type %u count %u (want BIN, 16)",
		                    e->tag, e->type, e->count);
	if (e->offset < 0 || (uint64_t)(uint32_t)e->offset + ENTRY_SIZE > h->dl)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "header: region trailer offset %d outside the %u-byte store",
		                    e->offset, h->dl);
	const unsigned char *t = h->store + e->offset;
	uint32_t ttag = hull_rd_be32(t), ttype = hull_rd_be32(t + 4), tcount = hull_rd_be32(t + 12);
	int32_t toff = (int32_t)hull_rd_be32(t + 8);
	/* The trailer's offset is minus the region's size in index bytes. */
	int64_t rsize = -(int64_t)toff;
	if (ttag < TAG_HEADERIMAGE || ttag > TAG_HEADERIMMUTABLE || ttype != HULL_RPM_BIN ||
	    tcount != ENTRY_SIZE || rsize <= 0 || rsize % ENTRY_SIZE != 0 ||
	    rsize / ENTRY_SIZE > h->il)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "header: bad region trailer (tag %u type %u offset %d count %u)", ttag, ttype,
		    toff, tcount);
	return 0;
}

static int check_entry(const struct hull_rpmhdr *h, uint32_t i, uint64_t *end, struct hull_err *err)
{
	struct entry e = entry_at(h, i);
	const char *why = NULL;
	if (e.tag < TAG_I18NTABLE)
		why = "tag number below 100";
	else if (e.type < HULL_RPM_CHAR || e.type > HULL_RPM_I18NSTRING)
		why = "unknown data type";
	else if (e.offset < 0 || (uint32_t)e.offset >= h->dl)
		why = "offset outside the data store";
	else if ((uint32_t)e.offset % type_align(e.type) != 0)
		why = "offset not aligned for its type";
	else if ((uint64_t)(uint32_t)e.offset < *end)
		why = "data overlaps the previous entry";
	if (!why) {
		uint64_t len = data_len(h, &e);
		if (len == 0)
			why = "data runs past the store (or a string lacks its NUL)";
		else
			*end = (uint32_t)e.offset + len;
	}
	if (why)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "header: entry %u (tag %u type %u offset %d count %u): %s", i,
		                    e.tag, e.type, e.offset, e.count, why);
	return 0;
}

int hull_rpmhdr_open(struct hull_str blob, struct hull_rpmhdr *h, struct hull_err *err)
{
	const unsigned char *p = (const unsigned char *)blob.ptr;
	memset(h, 0, sizeof(*h));
	if (blob.len < 8)
		return hull_err_set(err, HULL_ERR_INPUT, "header: %zu bytes, too short", blob.len);
	uint32_t il = hull_rd_be32(p), dl = hull_rd_be32(p + 4);
	if (il < 1 || il > HULL_RPMHDR_MAX_TAGS || dl > HULL_RPMHDR_MAX_DATA)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "header: %u entries and %u data bytes are out of range", il,
		                    dl);
	uint64_t want = 8 + (uint64_t)il * ENTRY_SIZE + dl;
	if (want != blob.len)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "header: %u entries and %u data bytes need %llu bytes, blob has %zu", il, dl,
		    (unsigned long long)want, blob.len);
	h->index = p + 8;
	h->il = il;
	h->store = h->index + (size_t)il * ENTRY_SIZE;
	h->dl = dl;

	uint32_t first = 0;
	struct entry e0 = entry_at(h, 0);
	if (e0.tag >= TAG_HEADERIMAGE && e0.tag <= TAG_HEADERIMMUTABLE) {
		if (check_region(h, &e0, err) < 0)
			return -1;
		first = 1;
	}
	uint64_t end = 0;
	for (uint32_t i = first; i < il; i++)
		if (check_entry(h, i, &end, err) < 0)
			return -1;
	return 0;
}

/* Index of the last entry with tag (a dribble overrides the region). */
static long find_tag(const struct hull_rpmhdr *h, uint32_t tag)
{
	for (uint32_t i = h->il; i > 0; i--)
		if (hull_rd_be32(h->index + (size_t)(i - 1) * ENTRY_SIZE) == tag)
			return (long)(i - 1);
	return -1;
}

int hull_rpmhdr_get_string(const struct hull_rpmhdr *h, uint32_t tag, struct hull_str *out,
                           struct hull_err *err)
{
	long i = find_tag(h, tag);
	if (i < 0)
		return 0;
	struct entry e = entry_at(h, (uint32_t)i);
	if (e.type != HULL_RPM_STRING && e.type != HULL_RPM_STRING_ARRAY &&
	    e.type != HULL_RPM_I18NSTRING)
		return hull_err_set(err, HULL_ERR_INPUT, "header: tag %u has type %u, not a string",
		                    tag, e.type);
	/* Validated by hull_rpmhdr_open: the string ends inside the store. */
	const char *s = (const char *)h->store + e.offset;
	*out = hull_str(s, strnlen(s, h->dl - (uint32_t)e.offset));
	return 1;
}

/* The entry of tag, which must have type `type` (named `what` in the
 * error). Same returns as hull_rpmhdr_get_string. */
static int typed_entry(const struct hull_rpmhdr *h, uint32_t tag, uint32_t type, const char *what,
                       struct entry *e, struct hull_err *err)
{
	long i = find_tag(h, tag);
	if (i < 0)
		return 0;
	*e = entry_at(h, (uint32_t)i);
	if (e->type != type)
		return hull_err_set(err, HULL_ERR_INPUT, "header: tag %u has type %u, not %s", tag,
		                    e->type, what);
	return 1;
}

int hull_rpmhdr_get_strings(const struct hull_rpmhdr *h, uint32_t tag, struct hull_str *data,
                            uint32_t *count, struct hull_err *err)
{
	struct entry e;
	int rc = typed_entry(h, tag, HULL_RPM_STRING_ARRAY, "a string array", &e, err);
	if (rc == 1) {
		*data = hull_str((const char *)h->store + e.offset, h->dl - (uint32_t)e.offset);
		*count = e.count;
	}
	return rc;
}

bool hull_rpmhdr_next_string(struct hull_str *rest, struct hull_str *out)
{
	const char *nul = rest->len ? memchr(rest->ptr, 0, rest->len) : NULL;
	if (!nul)
		return false;
	*out = hull_str(rest->ptr, (size_t)(nul - rest->ptr));
	*rest = hull_str(nul + 1, rest->len - out->len - 1);
	return true;
}

int hull_rpmhdr_get_int32s(const struct hull_rpmhdr *h, uint32_t tag, const unsigned char **values,
                           uint32_t *count, struct hull_err *err)
{
	struct entry e;
	int rc = typed_entry(h, tag, HULL_RPM_INT32, "INT32", &e, err);
	if (rc == 1) {
		*values = h->store + e.offset;
		*count = e.count;
	}
	return rc;
}

int hull_rpmhdr_get_int32(const struct hull_rpmhdr *h, uint32_t tag, int32_t *out,
                          struct hull_err *err)
{
	struct entry e;
	int rc = typed_entry(h, tag, HULL_RPM_INT32, "INT32", &e, err);
	if (rc == 1)
		*out = (int32_t)hull_rd_be32(h->store + e.offset);
	return rc;
}
