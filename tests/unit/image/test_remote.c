/* Layers read from a remote store that lends its memory (peek_blob, as
 * the registry's download ring does): every way the lent runs can be cut
 * gives the same image as copying. Gzip layers of many members whose
 * ends fall at every offset from a run's start (ISA-L then hands back up
 * to 8 bytes read before the run), zstd and plain tar layers, and a
 * layer large enough for the inflating thread. The image opening checks
 * the blob digest and the DiffID, so any byte lost or doubled fails. */
#include <isa-l/igzip_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "image/fileset.h"
#include "image/image.h"
#include "tap.h"
#include "util/buf.h"
#include "util/digest.h"

#define MAX_RECS 4

struct rec {
	const char *data;
	size_t len;
	char digest[HULL_DIGEST_STRLEN + 1];
};

struct fake {
	struct rec r[MAX_RECS]; /* manifest, config, layer */
	size_t n;
	size_t cut; /* lent runs end at multiples of this; 0: no lending */
	unsigned peeks, reads;
	bool all_consumed;
};

struct stream {
	struct fake *f;
	const struct rec *r;
	size_t off;
};

static const struct rec *find(struct fake *f, const char *digest)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->r[i].digest, digest))
			return &f->r[i];
	return NULL;
}

static char *dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static int get_manifest(void *ctx, const char *ref, size_t max, char **data, size_t *len, char **mt,
                        char **digest, struct hull_err *err)
{
	(void)ref, (void)max, (void)err;
	struct fake *f = ctx;
	*data = dup_bytes(f->r[0].data, f->r[0].len);
	*len = f->r[0].len;
	*mt = strdup("application/vnd.oci.image.manifest.v1+json");
	*digest = strdup(f->r[0].digest);
	return 0;
}

static int get_blob(void *ctx, const char *digest, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	(void)max;
	const struct rec *r = find(ctx, digest);
	if (!r)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "blob %s: not found", digest);
	*data = dup_bytes(r->data, r->len);
	*len = r->len;
	return 0;
}

static int open_blob(void *ctx, const char *digest, uint64_t size, void **out, struct hull_err *err)
{
	(void)size;
	const struct rec *r = find(ctx, digest);
	if (!r)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "blob %s: not found", digest);
	struct stream *s = calloc(1, sizeof(*s));
	s->f = ctx;
	s->r = r;
	*out = s;
	return 0;
}

/* Copies in pieces of at most 1000 bytes. */
static ssize_t read_blob(void *stream, void *buf, size_t n, struct hull_err *err)
{
	(void)err;
	struct stream *s = stream;
	size_t left = s->r->len - s->off;
	if (n > left)
		n = left;
	if (n > 1000)
		n = 1000;
	memcpy(buf, s->r->data + s->off, n);
	s->off += n;
	s->f->reads++;
	return (ssize_t)n;
}

static ssize_t peek_blob(void *stream, const void **buf, size_t n, struct hull_err *err)
{
	(void)err;
	struct stream *s = stream;
	size_t left = s->r->len - s->off, to_cut = s->f->cut - s->off % s->f->cut;
	if (n > left)
		n = left;
	if (n > to_cut)
		n = to_cut;
	*buf = s->r->data + s->off;
	s->f->peeks++;
	return (ssize_t)n;
}

static void consume_blob(void *stream, size_t k)
{
	struct stream *s = stream;
	s->off += k;
}

static void close_blob(void *stream)
{
	struct stream *s = stream;
	s->f->all_consumed = s->off == s->r->len;
	free(s);
}

static enum hull_keep keep(const char *path, void *ctx)
{
	(void)ctx;
	return strstr(path, "os-release") ? HULL_KEEP_LAST : HULL_KEEP_NO;
}

/* A ustar header and content for name. */
static void tar_add(struct hull_buf *t, const char *name, const char *data, size_t len)
{
	char h[512] = {0};
	snprintf(h, 100, "%s", name);
	snprintf(h + 100, 8, "%07o", 0644);
	snprintf(h + 108, 8, "%07o", 0);
	snprintf(h + 116, 8, "%07o", 0);
	snprintf(h + 124, 12, "%011zo", len);
	snprintf(h + 136, 12, "%011o", 0);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (size_t i = 0; i < sizeof(h); i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	hull_buf_append(t, h, sizeof(h), NULL);
	hull_buf_append(t, data, len, NULL);
	static const char zero[512];
	if (len % 512)
		hull_buf_append(t, zero, 512 - len % 512, NULL);
}

/* The tar of a small image: os-release, files of `filler` bytes each
 * (pseudo-random when big, so they do not compress). */
static void make_tar(struct hull_buf *t, size_t files, size_t filler)
{
	static const char osr[] = "ID=debian\nVERSION_ID=\"12\"\n";
	char *junk = malloc(filler + 1);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < filler; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		junk[i] = filler > 4096 ? (char)x : (char)('a' + i % 7);
	}
	tar_add(t, "etc/os-release", osr, sizeof(osr) - 1);
	for (size_t i = 0; i < files; i++) {
		char name[32];
		snprintf(name, sizeof(name), "usr/share/f%zu", i);
		tar_add(t, name, junk, filler);
	}
	static const char end[1024];
	hull_buf_append(t, end, sizeof(end), NULL);
	free(junk);
}

/* gzip of src in members of `piece` bytes of input each. */
static void gzip_members(struct hull_buf *out, const char *src, size_t len, size_t piece)
{
	size_t cap = piece + piece / 2 + 1024;
	unsigned char *tmp = malloc(cap);
	for (size_t off = 0; off < len; off += piece) {
		struct isal_zstream z;
		isal_deflate_init(&z);
		z.gzip_flag = IGZIP_GZIP;
		z.end_of_stream = 1;
		z.next_in = (uint8_t *)src + off;
		z.avail_in = (uint32_t)(len - off < piece ? len - off : piece);
		z.next_out = tmp;
		z.avail_out = (uint32_t)cap;
		isal_deflate(&z);
		hull_buf_append(out, tmp, z.total_out, NULL);
	}
	free(tmp);
}

static void set_rec(struct fake *f, size_t i, const char *data, size_t len)
{
	f->r[i].data = data;
	f->r[i].len = len;
	hull_sha256_digest(data, len, f->r[i].digest, NULL);
}

/* Opens the image made of layer (of media type mt, tar digest diff) with
 * runs cut at `cut` (0: copied); whether it opened and found os-release. */
static bool open_with(const char *layer, size_t len, const char *mt, const char *diff, size_t cut,
                      struct fake *f, char *msg, size_t msglen)
{
	memset(f, 0, sizeof(*f));
	f->cut = cut;
	set_rec(f, 2, layer, len);
	char cfg[512], man[1024];
	snprintf(cfg, sizeof(cfg),
	         "{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\","
	         "\"diff_ids\":[\"%s\"]}}",
	         diff);
	set_rec(f, 1, cfg, strlen(cfg));
	snprintf(
	    man, sizeof(man),
	    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	    "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
	    "\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\"%s\","
	    "\"digest\":\"%s\",\"size\":%zu}]}",
	    f->r[1].digest, strlen(cfg), mt, f->r[2].digest, len);
	set_rec(f, 0, man, strlen(man));
	f->n = 3;
	struct hull_image_remote remote = {
	    .ctx = f,
	    .get_manifest = get_manifest,
	    .get_blob = get_blob,
	    .open_blob = open_blob,
	    .read_blob = read_blob,
	    .peek_blob = cut ? peek_blob : NULL,
	    .consume_blob = cut ? consume_blob : NULL,
	    .close_blob = close_blob,
	};
	struct hull_image_opts opts = {.keep = keep};
	struct hull_image *img = NULL;
	struct hull_err err = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	int rc = hull_image_open_remote(&remote, "1", "test/img:1", &opts, &img, &diag, &err);
	snprintf(msg, msglen, "%.400s", rc < 0 ? err.msg : "");
	bool ok = rc == 0 && hull_fileset_get(img->files, "etc/os-release") != NULL;
	hull_image_free(img);
	hull_diag_release(&diag);
	return ok;
}

static void check_layer(const char *what, const char *layer, size_t len, const char *mt,
                        const char *diff)
{
	static const size_t cuts[] = {0, 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 31, 100, 777, 4096};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct fake f;
		char msg[512];
		bool ok = open_with(layer, len, mt, diff, cuts[i], &f, msg, sizeof(msg));
		TAP_OK(ok && f.all_consumed && (cuts[i] ? f.peeks > 0 : f.peeks == 0),
		       "%s, runs cut every %zu bytes%s: opens, digests match, blob all read "
		       "(%u peeks, %u copies) %s",
		       what, cuts[i], cuts[i] ? "" : " (copied)", f.peeks, f.reads, msg);
	}
}

int main(void)
{
	struct hull_buf tar, gz, gz1, big, biggz;
	hull_buf_init(&tar, 1u << 30);
	hull_buf_init(&gz, 1u << 30);
	hull_buf_init(&gz1, 1u << 30);
	hull_buf_init(&big, 1u << 30);
	hull_buf_init(&biggz, 1u << 30);
	make_tar(&tar, 12, 300);
	char diff[HULL_DIGEST_STRLEN + 1], bigdiff[HULL_DIGEST_STRLEN + 1];
	hull_sha256_digest(tar.data, tar.len, diff, NULL);
	/* members of 37 bytes of tar: their ends fall at every offset of
	 * the runs cut below */
	gzip_members(&gz, tar.data, tar.len, 37);
	gzip_members(&gz1, tar.data, tar.len, tar.len);
	const char *gzmt = "application/vnd.oci.image.layer.v1.tar+gzip";
	check_layer("gzip, one member", gz1.data, gz1.len, gzmt, diff);
	check_layer("gzip, members of 37 bytes", gz.data, gz.len, gzmt, diff);

	size_t zcap = ZSTD_compressBound(tar.len);
	char *z = malloc(zcap);
	size_t zn = ZSTD_compress(z, zcap, tar.data, tar.len, 3);
	TAP_OK(!ZSTD_isError(zn), "zstd layer made");
	check_layer("zstd", z, zn, "application/vnd.oci.image.layer.v1.tar+zstd", diff);
	free(z);
	check_layer("plain tar", tar.data, tar.len, "application/vnd.oci.image.layer.v1.tar", diff);

	/* over 1 MiB compressed: inflated by its own thread */
	make_tar(&big, 3, 700u << 10);
	hull_sha256_digest(big.data, big.len, bigdiff, NULL);
	gzip_members(&biggz, big.data, big.len, 300u << 10);
	TAP_OK(biggz.len > (1u << 20), "large layer: %zu bytes of gzip", biggz.len);
	struct fake f;
	char msg[512];
	bool ok = open_with(biggz.data, biggz.len, gzmt, bigdiff, 777, &f, msg, sizeof(msg));
	TAP_OK(ok && f.all_consumed,
	       "large gzip layer through the inflating thread, runs of 777 %s", msg);
	ok = open_with(biggz.data, biggz.len, gzmt, bigdiff, 1u << 20, &f, msg, sizeof(msg));
	TAP_OK(ok && f.all_consumed, "large gzip layer, runs of 1 MiB %s", msg);

	/* a flipped byte is still caught when lent */
	char *bad = malloc(gz1.len);
	memcpy(bad, gz1.data, gz1.len);
	bad[gz1.len / 2] ^= 0x20;
	ok = open_with(bad, gz1.len, gzmt, diff, 13, &f, msg, sizeof(msg));
	TAP_OK(!ok && msg[0], "a damaged lent layer fails: %s", msg);
	free(bad);
	hull_buf_release(&tar);
	hull_buf_release(&gz);
	hull_buf_release(&gz1);
	hull_buf_release(&big);
	hull_buf_release(&biggz);
	return tap_done();
}
