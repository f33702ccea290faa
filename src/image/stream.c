#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "image/internal.h"
#include "util/fs.h"
#include "util/mem.h"

#define IN_CHUNK  (512u << 10)
#define OUT_CHUNK (512u << 10)
/* zstd windows above 64 MiB would break the memory bound */
#define ZSTD_MAX_WINDOW_LOG 26
/* A compressed blob of at least PIPE_MIN_BLOB bytes is read and inflated
 * by a thread of its own, PIPE_SLOTS chunks of OUT_CHUNK ahead of the
 * reader, which hashes the tar and parses it meanwhile. */
#define PIPE_SLOTS    4
#define PIPE_MIN_BLOB (1u << 20)

/* The inflating thread and the reader share only this, under mu. Slots
 * head .. head+count-1 hold tar bytes in order; the reader holds slot
 * head between two reads (`held`). Everything else in the stream belongs
 * to the thread until it is joined. */
struct pipe {
	pthread_t thread;
	bool started, joined;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *slot[PIPE_SLOTS];
	size_t len[PIPE_SLOTS];
	size_t head, count;
	bool held, done, cancel;
	int rc;
	struct hull_err err;
};

struct layer_stream {
	struct blob blob;
	const char *label;
	struct stream_limits limits;
	enum compression comp;
	uint64_t pos; /* blob bytes read */
	/* the input: in[in_pos .. in_len) is read next; `in` is our own
	 * buffer, or (lent) a run of the store's memory, given back once read
	 * (blob_lends: a registry's download ring, no copy) */
	const unsigned char *in;
	unsigned char *own;
	size_t in_len, in_pos;
	bool lends, lent;
	/* the last bytes read from runs given back, for a gzip member's end
	 * that hands back bytes read before the current run */
	unsigned char tail[16];
	size_t tail_len;
	unsigned char *out;
	uint64_t out_total;
	bool done;
	/* the store hashes the blob's bytes as they arrive (a registry's
	 * download thread): blob_hash stays unused */
	bool store_hashes;
	struct hull_sha256 blob_hash, diff_hash;
	struct inflate_state *gz;
	ZSTD_DCtx *zs;
	size_t zs_last;    /* last ZSTD_decompressStream result: 0 at a frame end */
	struct pipe *pipe; /* NULL: read and inflated by the reader */
};

static void pipe_start(struct layer_stream *s);

static void pipe_stop(struct layer_stream *s)
{
	struct pipe *p = s->pipe;
	if (!p)
		return;
	if (p->started && !p->joined) {
		pthread_mutex_lock(&p->mu);
		p->cancel = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
		p->joined = true;
	}
}

static void pipe_free(struct layer_stream *s)
{
	struct pipe *p = s->pipe;
	if (!p)
		return;
	pipe_stop(s);
	hull_bigbuf_free(p->slot[0], PIPE_SLOTS * OUT_CHUNK);
	s->out = NULL; /* it was one of the slots */
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	s->pipe = NULL;
}

enum compression stream_compression(const struct layer_stream *s)
{
	return s->comp;
}

uint64_t stream_blob_size(const struct layer_stream *s)
{
	return s->blob.size;
}

void stream_free(struct layer_stream *s)
{
	if (!s)
		return;
	pipe_free(s);
	blob_close(&s->blob);
	if (s->blob_hash.ctx)
		hull_sha256_release(&s->blob_hash);
	if (s->diff_hash.ctx)
		hull_sha256_release(&s->diff_hash);
	free(s->own);
	free(s->out);
	free(s->gz);
	ZSTD_freeDCtx(s->zs);
	free(s);
}

/* Bytes of already consumed input kept in front of the unread ones: at the
 * end of a gzip member ISA-L hands back the bytes it had buffered ahead
 * (up to 8) by moving next_in backwards, possibly into an earlier read. */
#define REWIND_MARGIN 16

static int short_blob(struct layer_stream *s, uint64_t got, struct hull_err *err)
{
	return hull_err_set(err, HULL_ERR_INPUT,
	                    "%s: the blob ends after %llu bytes, its descriptor says %llu",
	                    s->label, (unsigned long long)got, (unsigned long long)s->blob.size);
}

/* Remembers the last bytes of p[0..n), read and about to be given back. */
static void keep_tail(struct layer_stream *s, const unsigned char *p, size_t n)
{
	size_t cap = sizeof(s->tail);
	if (n >= cap) {
		memcpy(s->tail, p + n - cap, cap);
		s->tail_len = cap;
		return;
	}
	size_t old = s->tail_len + n > cap ? cap - n : s->tail_len;
	memmove(s->tail, s->tail + s->tail_len - old, old);
	memcpy(s->tail + old, p, n);
	s->tail_len = old + n;
}

/* Lent mode, the whole run read: gives it back, borrows the next one. */
static int lend_next(struct layer_stream *s, struct hull_err *err)
{
	if (s->lent) {
		keep_tail(s, s->in, s->in_len);
		blob_consume(&s->blob, s->in_len);
	}
	s->lent = false;
	s->in = s->own;
	s->in_len = s->in_pos = 0;
	uint64_t left = s->blob.size - s->pos;
	if (!left)
		return 0;
	/* room for a rewind in front of it, should it have to be copied */
	size_t n = left < IN_CHUNK - sizeof(s->tail) ? (size_t)left : IN_CHUNK - sizeof(s->tail);
	const void *p;
	ssize_t got = blob_peek(&s->blob, &p, n, err);
	if (got < 0)
		return -1;
	if (got == 0)
		return short_blob(s, s->pos, err);
	if ((size_t)got < n)
		n = (size_t)got;
	if (!s->store_hashes)
		hull_sha256_update(&s->blob_hash, p, n);
	s->in = p;
	s->in_len = n;
	s->lent = true;
	s->pos += n;
	return 0;
}

/* Lent mode, the run not all read (or a gzip member's end handed back
 * `back` bytes read before it): back bytes of the tail and the run from
 * in_pos are copied into our own buffer, the run given back; reading goes
 * on by copying until that buffer is drained. */
static void unlend(struct layer_stream *s, size_t back)
{
	bool rewound = back > 0;
	size_t from = rewound ? 0 : s->in_pos, n = s->in_len - from;
	if (!rewound) {
		keep_tail(s, s->in, s->in_pos);
		back = s->tail_len; /* read already: the rewind margin */
	}
	memcpy(s->own, s->tail + s->tail_len - back, back);
	memcpy(s->own + back, s->in + from, n);
	blob_consume(&s->blob, s->in_len);
	s->lent = false;
	s->in = s->own;
	s->in_len = back + n;
	s->in_pos = rewound ? 0 : back;
}

/* Moves unread input (and the rewind margin) to the front and reads more
 * of the blob. */
static int refill(struct layer_stream *s, struct hull_err *err)
{
	if (s->lends && s->in_pos == s->in_len) {
		if (!s->lent && s->in_len)
			keep_tail(s, s->own, s->in_len); /* from copying back to lending */
		return lend_next(s, err);
	}
	if (s->lent)
		unlend(s, 0);
	size_t start = s->in_pos > REWIND_MARGIN ? s->in_pos - REWIND_MARGIN : 0;
	size_t keep = s->in_len - start;
	memmove(s->own, s->own + start, keep);
	s->in_len = keep;
	s->in_pos -= start;
	uint64_t left = s->blob.size - s->pos;
	size_t n = left < IN_CHUNK - keep ? (size_t)left : IN_CHUNK - keep;
	if (n == 0)
		return 0;
	ssize_t got = blob_read_at(&s->blob, s->pos, s->own + keep, n, err);
	if (got < 0)
		return -1;
	if ((size_t)got != n)
		return short_blob(s, s->pos + (uint64_t)got, err);
	if (!s->store_hashes)
		hull_sha256_update(&s->blob_hash, s->own + keep, n);
	s->pos += n;
	s->in_len += n;
	return 0;
}

/* At least n unread bytes in `in`, unless the blob ends first (a lent run
 * may be shorter: it is then copied and topped up). */
static int need(struct layer_stream *s, size_t n, struct hull_err *err)
{
	while (s->in_len - s->in_pos < n && s->pos < s->blob.size)
		if (refill(s, err) < 0)
			return -1;
	return 0;
}

static bool input_exhausted(const struct layer_stream *s)
{
	return s->in_pos == s->in_len && s->pos == s->blob.size;
}

static enum compression sniff(const unsigned char *m, size_t n)
{
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return COMP_GZIP;
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return COMP_ZSTD;
	return COMP_NONE;
}

enum compression stream_sniff(struct blob *b, const char *media_type)
{
	if (b->remote) {
		size_t n = media_type ? strlen(media_type) : 0;
		if (n >= 4 && (!strcmp(media_type + n - 4, "gzip") || strstr(media_type, "+gzip")))
			return COMP_GZIP;
		if (n >= 4 && strstr(media_type, "zstd"))
			return COMP_ZSTD;
		return COMP_NONE;
	}
	unsigned char m[4];
	ssize_t n = pread(b->fd, m, sizeof(m), b->offset);
	return sniff(m, n > 0 && (uint64_t)n <= b->size ? (size_t)n : 0);
}

int stream_open(struct layer_stream **out, struct blob *blob, const char *label,
                const struct stream_limits *limits, struct hull_err *err)
{
	*out = NULL;
	struct layer_stream *s = calloc(1, sizeof(*s));
	if (!s) {
		blob_close(blob);
		return hull_err_nomem(err);
	}
	s->blob = *blob;
	blob->fd = -1;
	s->label = label;
	s->limits = *limits;
	s->store_hashes = s->blob.remote && s->blob.remote->blob_digest;
	s->lends = blob_lends(&s->blob);
	/* when lending, only touched (page faults) if a run must be copied */
	s->own = malloc(IN_CHUNK);
	s->in = s->own;
	if (!s->own || hull_sha256_init(&s->blob_hash, err) < 0 ||
	    hull_sha256_init(&s->diff_hash, err) < 0) {
		stream_free(s);
		return err && err->kind ? -1 : hull_err_nomem(err);
	}
	static const unsigned char xz_magic[] = {0xfd, '7', 'z', 'X', 'Z', 0};
	if (need(s, sizeof(xz_magic), err) < 0) {
		stream_free(s);
		return -1;
	}
	const unsigned char *m = s->in;
	s->comp = sniff(m, s->in_len);
	if (s->in_len >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
		stream_free(s);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: bzip2-compressed layers are not supported", label);
	}
	if (s->in_len >= 6 && !memcmp(m, xz_magic, 6)) {
		stream_free(s);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: xz-compressed layers are not supported", label);
	}
	if (s->comp == COMP_GZIP) {
		s->gz = malloc(sizeof(*s->gz));
		if (!s->gz) {
			stream_free(s);
			return hull_err_nomem(err);
		}
		isal_inflate_init(s->gz);
		s->gz->crc_flag = ISAL_GZIP;
	} else if (s->comp == COMP_ZSTD) {
		s->zs = ZSTD_createDCtx();
		if (!s->zs) {
			stream_free(s);
			return hull_err_nomem(err);
		}
		ZSTD_DCtx_setParameter(s->zs, ZSTD_d_windowLogMax, ZSTD_MAX_WINDOW_LOG);
	}
	if (s->comp != COMP_NONE && s->blob.size >= PIPE_MIN_BLOB)
		pipe_start(s);
	/* without the thread the reader inflates into a buffer of its own */
	if (s->comp != COMP_NONE && !s->pipe && !(s->out = malloc(OUT_CHUNK))) {
		stream_free(s);
		return hull_err_nomem(err);
	}
	*out = s;
	return 0;
}

static int check_limits(struct layer_stream *s, struct hull_err *err)
{
	if (s->out_total > s->limits.max_out)
		return hull_err_set(
		    err, HULL_ERR_LIMIT,
		    "%s: inflates to more than %llu bytes (limit; see --max-layer-size)", s->label,
		    (unsigned long long)s->limits.max_out);
	if (s->comp != COMP_NONE && s->out_total > HULL_IMAGE_RATIO_FLOOR &&
	    s->out_total / (s->pos ? s->pos : 1) > HULL_IMAGE_MAX_RATIO)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "%s: decompression bomb: %llu bytes of input inflate to more "
		                    "than %llu bytes (ratio over %u:1)",
		                    s->label, (unsigned long long)s->pos,
		                    (unsigned long long)s->out_total, HULL_IMAGE_MAX_RATIO);
	return 0;
}

static const char *isal_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK:
		return "invalid deflate block";
	case ISAL_INVALID_SYMBOL:
		return "invalid deflate symbol";
	case ISAL_INVALID_LOOKBACK:
		return "invalid lookback distance";
	case ISAL_INVALID_WRAPPER:
		return "invalid gzip header";
	case ISAL_UNSUPPORTED_METHOD:
		return "unsupported compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "CRC mismatch";
	default:
		return "corrupt data";
	}
}

/* After a gzip member: another member may follow, nothing else may. */
static int gzip_next_member(struct layer_stream *s, struct hull_err *err)
{
	if (need(s, 2, err) < 0)
		return -1;
	if (s->in_pos == s->in_len) {
		s->done = true;
		return 0;
	}
	const unsigned char *m = s->in + s->in_pos;
	if (s->in_len - s->in_pos >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
		isal_inflate_reset(s->gz);
		s->gz->crc_flag = ISAL_GZIP;
		return 0;
	}
	return hull_err_set(err, HULL_ERR_INPUT, "%s: unexpected data after the gzip stream",
	                    s->label);
}

static ssize_t read_gzip(struct layer_stream *s, struct hull_err *err)
{
	for (;;) {
		if (s->done)
			return 0;
		if (s->in_pos == s->in_len && refill(s, err) < 0)
			return -1;
		struct inflate_state *g = s->gz;
		g->next_in = (uint8_t *)(s->in + s->in_pos); /* only read */
		g->avail_in = (uint32_t)(s->in_len - s->in_pos);
		uint32_t before_in = g->avail_in;
		g->next_out = s->out;
		g->avail_out = OUT_CHUNK;
		int rc = isal_inflate(g);
		if (s->lent && g->next_in < s->in && (size_t)(s->in - g->next_in) <= s->tail_len) {
			/* a member's end handed back bytes of the run before */
			unlend(s, (size_t)(s->in - g->next_in));
			g->next_in = s->own;
		}
		if (g->next_in < s->in || g->next_in > s->in + s->in_len ||
		    (size_t)(s->in + s->in_len - g->next_in) != g->avail_in)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: corrupt gzip data near compressed offset %llu",
			                    s->label, (unsigned long long)s->pos);
		s->in_pos = (size_t)(g->next_in - s->in);
		size_t produced = OUT_CHUNK - g->avail_out;
		if (rc < 0)
			return hull_err_set(
			    err, HULL_ERR_INPUT,
			    "%s: corrupt gzip data (%s) near compressed offset %llu", s->label,
			    isal_error(rc), (unsigned long long)(s->pos - (s->in_len - s->in_pos)));
		if (g->block_state == ISAL_BLOCK_FINISH && gzip_next_member(s, err) < 0)
			return -1;
		if (produced)
			return (ssize_t)produced;
		if (input_exhausted(s) && !s->done)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: truncated gzip stream: the blob ends after %llu "
			                    "bytes, mid-stream",
			                    s->label, (unsigned long long)s->pos);
		if (!s->done && s->in_pos < s->in_len && g->avail_in == before_in) {
			/* no progress on buffered input: give the inflater more */
			if (s->pos == s->blob.size ||
			    (!s->lent && (s->in_pos > 0 || s->in_len == IN_CHUNK)))
				return hull_err_set(
				    err, HULL_ERR_INPUT,
				    "%s: gzip stream stalled at compressed offset %llu", s->label,
				    (unsigned long long)s->pos);
			if (refill(s, err) < 0)
				return -1;
		}
	}
}

static ssize_t read_zstd(struct layer_stream *s, struct hull_err *err)
{
	for (;;) {
		if (s->in_pos == s->in_len) {
			if (s->pos == s->blob.size) {
				if (s->zs_last != 0)
					return hull_err_set(
					    err, HULL_ERR_INPUT,
					    "%s: truncated zstd stream after %llu bytes", s->label,
					    (unsigned long long)s->pos);
				return 0;
			}
			if (refill(s, err) < 0)
				return -1;
		}
		ZSTD_inBuffer ib = {s->in, s->in_len, s->in_pos};
		ZSTD_outBuffer ob = {s->out, OUT_CHUNK, 0};
		size_t rc = ZSTD_decompressStream(s->zs, &ob, &ib);
		s->in_pos = ib.pos;
		if (ZSTD_isError(rc))
			return hull_err_set(err, HULL_ERR_INPUT, "%s: corrupt zstd data: %s",
			                    s->label, ZSTD_getErrorName(rc));
		s->zs_last = rc;
		if (ob.pos)
			return (ssize_t)ob.pos;
	}
}

static ssize_t decode(struct layer_stream *s, struct hull_err *err)
{
	ssize_t n = s->comp == COMP_GZIP ? read_gzip(s, err) : read_zstd(s, err);
	if (n > 0) {
		s->out_total += (uint64_t)n;
		if (check_limits(s, err) < 0)
			return -1;
	}
	return n;
}

static void *pipe_main(void *arg)
{
	struct layer_stream *s = arg;
	struct pipe *p = s->pipe;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->count == PIPE_SLOTS && !p->cancel)
			pthread_cond_wait(&p->cv, &p->mu);
		bool cancel = p->cancel;
		size_t idx = (p->head + p->count) % PIPE_SLOTS;
		pthread_mutex_unlock(&p->mu);
		if (cancel)
			return NULL;
		struct hull_err err = {0};
		s->out = p->slot[idx];
		ssize_t n = decode(s, &err);
		pthread_mutex_lock(&p->mu);
		if (n > 0) {
			p->len[idx] = (size_t)n;
			p->count++;
		} else {
			p->done = true;
			p->rc = n < 0 ? -1 : 0;
			p->err = err;
		}
		pthread_cond_broadcast(&p->cv);
		bool done = p->done;
		pthread_mutex_unlock(&p->mu);
		if (done)
			return NULL;
	}
}

/* Starts the inflating thread; on failure the reader inflates itself. */
static void pipe_start(struct layer_stream *s)
{
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return;
	/* the slots are one 2 MiB mapping: a huge page, not 512 faults */
	unsigned char *slots = hull_bigbuf_alloc(PIPE_SLOTS * OUT_CHUNK);
	if (!slots) {
		free(p);
		return;
	}
	for (size_t i = 0; i < PIPE_SLOTS; i++)
		p->slot[i] = slots + i * OUT_CHUNK;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	s->pipe = p; /* before the thread reads it */
	if (pthread_create(&p->thread, NULL, pipe_main, s) != 0) {
		s->pipe = NULL;
		hull_bigbuf_free(slots, PIPE_SLOTS * OUT_CHUNK);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return;
	}
	p->started = true;
}

static ssize_t pipe_read(struct layer_stream *s, const void **buf, struct hull_err *err)
{
	struct pipe *p = s->pipe;
	pthread_mutex_lock(&p->mu);
	if (p->held) {
		p->head = (p->head + 1) % PIPE_SLOTS;
		p->count--;
		p->held = false;
		pthread_cond_broadcast(&p->cv);
	}
	while (!p->count && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	ssize_t n;
	if (p->count) {
		p->held = true;
		*buf = p->slot[p->head];
		n = (ssize_t)p->len[p->head];
	} else {
		n = p->rc;
		if (n < 0 && err)
			*err = p->err;
	}
	pthread_mutex_unlock(&p->mu);
	if (n > 0)
		hull_sha256_update(&s->diff_hash, *buf, (size_t)n);
	return n;
}

ssize_t stream_read(struct layer_stream *s, const void **buf, struct hull_err *err)
{
	if (s->pipe)
		return pipe_read(s, buf, err);
	ssize_t n;
	if (s->comp == COMP_NONE) {
		if (s->in_pos == s->in_len) {
			if (!s->lent) /* a lent run is given back whole by refill */
				s->in_len = s->in_pos = 0;
			if (refill(s, err) < 0)
				return -1;
		}
		n = (ssize_t)(s->in_len - s->in_pos);
		*buf = s->in + s->in_pos;
		s->in_pos = s->in_len;
	} else {
		n = s->comp == COMP_GZIP ? read_gzip(s, err) : read_zstd(s, err);
		*buf = s->out;
		if (n > 0)
			hull_sha256_update(&s->diff_hash, s->out, (size_t)n);
	}
	if (n > 0) {
		s->out_total += (uint64_t)n;
		if (check_limits(s, err) < 0)
			return -1;
	}
	return n;
}

int stream_finish(struct layer_stream *s, char digest[HULL_DIGEST_STRLEN + 1],
                  char diff_id[HULL_DIGEST_STRLEN + 1], struct hull_err *err)
{
	const void *buf;
	ssize_t n;
	while ((n = stream_read(s, &buf, err)) > 0)
		;
	if (n < 0)
		return -1;
	if (s->pipe) {
		pthread_join(s->pipe->thread, NULL); /* it is done: the blob hash is complete */
		s->pipe->joined = true;
	}
	if (s->lent) { /* the last run, read: the store counts it delivered */
		blob_consume(&s->blob, s->in_len);
		s->lent = false;
		s->in = s->own;
		s->in_len = s->in_pos = 0;
	}
	if (s->store_hashes && s->blob.stream) {
		if (s->blob.remote->blob_digest(s->blob.stream, digest) < 0)
			return hull_err_set(err, HULL_ERR_IO,
			                    "%s: the blob's download did not complete", s->label);
	} else {
		/* with no stream nothing was read through the store (an empty
		 * blob): blob_hash is the empty hash */
		hull_sha256_final(&s->blob_hash, digest);
	}
	if (s->comp == COMP_NONE)
		memcpy(diff_id, digest, HULL_DIGEST_STRLEN + 1);
	else
		hull_sha256_final(&s->diff_hash, diff_id);
	return 0;
}
