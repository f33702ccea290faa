/* zstd with a dictionary trained on the rows themselves: per-package blobs
 * and per-id texts are short (most under 2 KiB) and alike, which is where
 * a dictionary turns a 1.5x ratio into 4x and more, while each row stays
 * independently decodable in a few microseconds (docs/vulndb.md has the
 * measurements). A row that does not shrink is stored as it is; readers
 * tell the two apart by the zstd frame magic. */
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "util/mem.h"
#include "vulndb/internal.h"

#define DICT_MAX    (112u << 10)
#define SAMPLE_MAX  (2u << 20) /* bytes of rows the dictionary learns from */
#define ROW_MAX     (256u << 20)
#define MIN_TO_PACK 64

void vdb_zpack_release(struct vdb_zpack *z)
{
	ZSTD_freeCDict(z->cd);
	ZSTD_freeCCtx(z->cc);
	free(z->dict);
	memset(z, 0, sizeof(*z));
}

int vdb_zpack_train(struct vdb_zpack *z, const char *const *rows, const size_t *lens, size_t n,
                    int level, struct hull_err *err)
{
	memset(z, 0, sizeof(*z));
	z->level = level;
	z->cc = ZSTD_createCCtx();
	if (!z->cc)
		return hull_err_nomem(err);
	/* an evenly spread sample, concatenated as ZDICT wants it */
	size_t total = 0, picked = 0;
	for (size_t i = 0; i < n; i++)
		total += lens[i];
	size_t step = total > SAMPLE_MAX ? total / SAMPLE_MAX + 1 : 1;
	size_t cap = total < SAMPLE_MAX ? total : SAMPLE_MAX;
	cleanup_free char *buf = malloc(cap + 1);
	cleanup_free size_t *sizes = malloc((n + 1) * sizeof(*sizes));
	if (!buf || !sizes)
		return hull_err_nomem(err);
	size_t used = 0;
	for (size_t i = 0; i < n; i += step) {
		if (lens[i] < MIN_TO_PACK || used + lens[i] > cap)
			continue;
		memcpy(buf + used, rows[i], lens[i]);
		used += lens[i];
		sizes[picked++] = lens[i];
	}
	/* ZDICT needs a fair amount of material; without it plain zstd */
	if (picked < 64 || used < 16 * 1024)
		return 0;
	z->dict = malloc(DICT_MAX);
	if (!z->dict)
		return hull_err_nomem(err);
	size_t dn = ZDICT_trainFromBuffer(z->dict, DICT_MAX, buf, sizes, (unsigned)picked);
	if (ZDICT_isError(dn)) {
		free(z->dict);
		z->dict = NULL;
		return 0;
	}
	z->dict_len = dn;
	z->cd = ZSTD_createCDict(z->dict, dn, level);
	if (!z->cd)
		return hull_err_nomem(err);
	return 0;
}

int vdb_zpack(struct vdb_zpack *z, const void *in, size_t n, struct hull_buf *out,
              struct hull_err *err)
{
	hull_buf_reset(out);
	if (n >= MIN_TO_PACK) {
		size_t bound = ZSTD_compressBound(n);
		if (hull_buf_reserve(out, bound, err) < 0)
			return -1;
		size_t r = z->cd ? ZSTD_compress_usingCDict(z->cc, out->data, bound, in, n, z->cd)
		                 : ZSTD_compressCCtx(z->cc, out->data, bound, in, n, z->level);
		if (!ZSTD_isError(r) && r < n) {
			out->len = r;
			return 0;
		}
	}
	return hull_buf_append(out, in, n, err);
}

int vdb_zunpack_init(struct vdb_zunpack *z, const void *dict, size_t n, struct hull_err *err)
{
	memset(z, 0, sizeof(*z));
	z->dc = ZSTD_createDCtx();
	if (!z->dc)
		return hull_err_nomem(err);
	if (dict && n) {
		z->dd = ZSTD_createDDict(dict, n);
		if (!z->dd)
			return hull_err_set(err, HULL_ERR_INPUT, "damaged compression dictionary");
	}
	return 0;
}

void vdb_zunpack_release(struct vdb_zunpack *z)
{
	ZSTD_freeDDict(z->dd);
	ZSTD_freeDCtx(z->dc);
	free(z->buf);
	memset(z, 0, sizeof(*z));
}

int vdb_zunpack(struct vdb_zunpack *z, const void *in, size_t n, const void **out, size_t *outn,
                struct hull_err *err)
{
	if (n < 4 || memcmp(in, "\x28\xb5\x2f\xfd", 4) != 0) {
		*out = in;
		*outn = n;
		return 0;
	}
	unsigned long long size = ZSTD_getFrameContentSize(in, n);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > ROW_MAX)
		return hull_err_set(err, HULL_ERR_INPUT, "damaged compressed row");
	if (size + 1 > z->cap) {
		char *nb = realloc(z->buf, (size_t)size + 1);
		if (!nb)
			return hull_err_nomem(err);
		z->buf = nb;
		z->cap = (size_t)size + 1;
	}
	size_t r = z->dd ? ZSTD_decompress_usingDDict(z->dc, z->buf, z->cap, in, n, z->dd)
	                 : ZSTD_decompressDCtx(z->dc, z->buf, z->cap, in, n);
	if (ZSTD_isError(r) || r != size)
		return hull_err_set(err, HULL_ERR_INPUT, "damaged compressed row: %s",
		                    ZSTD_isError(r) ? ZSTD_getErrorName(r) : "size mismatch");
	z->buf[r] = 0;
	*out = z->buf;
	*outn = r;
	return 0;
}
