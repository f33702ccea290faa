/* Fuzzes what a registry answers (hull_image_open_remote): the top
 * manifest or index, the manifests it names, the config and the layer
 * blobs, as src/registry hands them over.
 *
 * The input is records separated by "\n@@\n": record 0 is the answer for
 * the tag, each other one a blob or manifest the registry holds. Since the
 * fuzzer cannot compute SHA-256, "sha256:@N" (N one digit, naming a later
 * record) is replaced by the digest of record N and "@zN" by its size,
 * records resolved from the last to the first; a digest that names no
 * record is answered "not found", as a registry would (404). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "image/image.h"
#include "util/digest.h"

#define SEP      "\n@@\n"
#define MAX_RECS 10

struct rec {
	char *data;
	size_t len;
	char digest[HULL_DIGEST_STRLEN + 1];
};

struct fake {
	struct rec r[MAX_RECS];
	size_t n;
};

struct stream {
	const struct rec *r;
	size_t off;
};

static char *dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

/* Record i with its placeholders replaced (records after i are final). */
static int resolve(struct fake *f, size_t i, const char *p, size_t n)
{
	size_t cap = n + 1, len = 0;
	char *out = malloc(cap);
	if (!out)
		return -1;
	for (size_t k = 0; k < n;) {
		const char *rep = NULL;
		char num[24];
		size_t skip = 0;
		if (n - k >= 9 && !memcmp(p + k, "sha256:@", 8) && p[k + 8] >= '0' &&
		    p[k + 8] <= '9' && (size_t)(p[k + 8] - '0') > i &&
		    (size_t)(p[k + 8] - '0') < f->n) {
			rep = f->r[p[k + 8] - '0'].digest;
			skip = 9;
		} else if (n - k >= 3 && p[k] == '@' && p[k + 1] == 'z' && p[k + 2] >= '0' &&
		           p[k + 2] <= '9' && (size_t)(p[k + 2] - '0') > i &&
		           (size_t)(p[k + 2] - '0') < f->n) {
			snprintf(num, sizeof(num), "%zu", f->r[p[k + 2] - '0'].len);
			rep = num;
			skip = 3;
		}
		size_t add = rep ? strlen(rep) : 1;
		if (len + add + 1 > cap) {
			cap = (len + add + 1) * 2;
			char *g = realloc(out, cap);
			if (!g) {
				free(out);
				return -1;
			}
			out = g;
		}
		if (rep) {
			memcpy(out + len, rep, add);
			k += skip;
		} else {
			out[len] = p[k++];
		}
		len += add;
	}
	out[len] = '\0';
	f->r[i].data = out;
	f->r[i].len = len;
	return hull_sha256_digest(out, len, f->r[i].digest, NULL);
}

static const struct rec *find(const struct fake *f, const char *digest)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->r[i].digest, digest))
			return &f->r[i];
	return NULL;
}

static int get_manifest(void *ctx, const char *reference, size_t max, char **data, size_t *len,
                        char **media_type, char **digest, struct hull_err *err)
{
	const struct fake *f = ctx;
	const struct rec *r = strcmp(reference, "latest") ? find(f, reference) : &f->r[0];
	if (!r)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "manifest %s: not found", reference);
	if (r->len > max)
		return hull_err_set(err, HULL_ERR_LIMIT, "manifest %s: too big", reference);
	*data = dup_bytes(r->data, r->len);
	*media_type = NULL;
	*digest = dup_bytes(r->digest, strlen(r->digest));
	if (!*data || !*digest) {
		free(*data);
		free(*digest);
		return hull_err_nomem(err);
	}
	*len = r->len;
	return 0;
}

static int get_blob(void *ctx, const char *digest, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	const struct rec *r = find(ctx, digest);
	if (!r)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "blob %s: not found", digest);
	if (r->len > max)
		return hull_err_set(err, HULL_ERR_LIMIT, "blob %s: too big", digest);
	if (!(*data = dup_bytes(r->data, r->len)))
		return hull_err_nomem(err);
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
	if (!s)
		return hull_err_nomem(err);
	s->r = r;
	*out = s;
	return 0;
}

/* Answers in pieces of at most 1000 bytes, as a network would. */
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
	return (ssize_t)n;
}

/* Lends its bytes in place, in runs that end at multiples of 777 (as a
 * ring's end cuts them), so the layer reader's lent mode meets runs of a
 * few bytes, gzip members ending across them, and read_blob in between. */
static ssize_t peek_blob(void *stream, const void **buf, size_t n, struct hull_err *err)
{
	(void)err;
	struct stream *s = stream;
	size_t left = s->r->len - s->off, to_cut = 777 - s->off % 777;
	if (n > left)
		n = left;
	if (n > to_cut)
		n = to_cut;
	*buf = s->r->data + s->off;
	return (ssize_t)n;
}

static void consume_blob(void *stream, size_t k)
{
	struct stream *s = stream;
	s->off += k;
}

static void close_blob(void *stream)
{
	free(stream);
}

static enum hull_keep keep(const char *path, void *ctx)
{
	(void)ctx;
	return strstr(path, "status") || strstr(path, "release") ? HULL_KEEP_HISTORY : HULL_KEEP_NO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake f = {0};
	const char *starts[MAX_RECS];
	size_t lens[MAX_RECS];
	const char *p = (const char *)data, *end = p + size;
	while (f.n < MAX_RECS) {
		const char *sep = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
		starts[f.n] = p;
		lens[f.n] = sep ? (size_t)(sep - p) : (size_t)(end - p);
		f.n++;
		if (!sep)
			break;
		p = sep + strlen(SEP);
	}
	int ok = 1;
	for (size_t i = f.n; i-- > 0 && ok;)
		ok = resolve(&f, i, starts[i], lens[i]) == 0;
	if (ok) {
		struct hull_image_remote remote = {.ctx = &f,
		                                   .get_manifest = get_manifest,
		                                   .get_blob = get_blob,
		                                   .open_blob = open_blob,
		                                   .read_blob = read_blob,
		                                   .peek_blob = peek_blob,
		                                   .consume_blob = consume_blob,
		                                   .close_blob = close_blob};
		struct hull_image_opts opts = {.keep = keep, .max_layer_bytes = 64u << 20};
		struct hull_image *img = NULL;
		struct hull_err err = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		if (hull_image_open_remote(&remote, "latest", "registry.fuzz/img:latest", &opts,
		                           &img, &diag, &err) == 0)
			hull_image_free(img);
		else if (!err.msg[0])
			__builtin_trap(); /* a failure always says why */
		hull_diag_release(&diag);
	}
	for (size_t i = 0; i < f.n; i++)
		free(f.r[i].data);
	return 0;
}
