/* layerlog: the changes a layer makes to the fileset, applied and recorded.
 *
 * A log is a sequence of records: one byte of type, then fields, each
 * string as a 32-bit little-endian length and its bytes:
 *   FILE path mode(u32) keep(u8) data | DROP path | SYMLINK path target |
 *   HARDLINK path target keep(u8) | WHITEOUT path | OPAQUE dir | WARN text */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/buf.h"

#define LOG_MAX  (256u << 20)
#define PATH_CAP 4096

enum op { OP_FILE = 1, OP_DROP, OP_SYMLINK, OP_HARDLINK, OP_WHITEOUT, OP_OPAQUE, OP_WARN };

/* Appends to the log; on overflow the log is dropped (the layer will not be
 * cached) rather than failing the scan. */
static void rec(struct apply_ctx *ctx, const void *p, size_t n)
{
	if (ctx->log && hull_buf_append(ctx->log, p, n, NULL) < 0) {
		hull_buf_release(ctx->log);
		ctx->log = NULL;
	}
}

static void rec_u8(struct apply_ctx *ctx, unsigned v)
{
	unsigned char b = (unsigned char)v;
	rec(ctx, &b, 1);
}

static void rec_u32(struct apply_ctx *ctx, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	rec(ctx, b, 4);
}

static void rec_bytes(struct apply_ctx *ctx, const void *p, size_t n)
{
	rec_u32(ctx, (uint32_t)n);
	rec(ctx, p, n);
}

static void rec_str(struct apply_ctx *ctx, const char *s)
{
	rec_bytes(ctx, s, strlen(s));
}

int op_file(struct apply_ctx *ctx, const char *path, char *data, size_t len, unsigned mode,
            enum hull_keep keep, struct hull_err *err)
{
	if (ctx->log) {
		rec_u8(ctx, OP_FILE);
		rec_str(ctx, path);
		rec_u32(ctx, mode);
		rec_u8(ctx, keep);
		rec_bytes(ctx, data, len);
	}
	return hull_fileset_put_file(ctx->files, path, data, len, mode, ctx->layer, keep, err);
}

void op_drop(struct apply_ctx *ctx, const char *path)
{
	if (ctx->log) {
		rec_u8(ctx, OP_DROP);
		rec_str(ctx, path);
	}
	hull_fileset_drop(ctx->files, path);
}

int op_symlink(struct apply_ctx *ctx, const char *path, const char *target, struct hull_err *err)
{
	if (ctx->log) {
		rec_u8(ctx, OP_SYMLINK);
		rec_str(ctx, path);
		rec_str(ctx, target);
	}
	return hull_fileset_put_symlink(ctx->files, path, target, ctx->layer, err);
}

int op_hardlink(struct apply_ctx *ctx, const char *path, const char *target, enum hull_keep keep,
                struct hull_err *err)
{
	if (ctx->log) {
		rec_u8(ctx, OP_HARDLINK);
		rec_str(ctx, path);
		rec_str(ctx, target);
		rec_u8(ctx, keep);
	}
	return hull_fileset_put_hardlink(ctx->files, path, target, ctx->layer, keep, err);
}

void op_whiteout(struct apply_ctx *ctx, const char *path)
{
	if (ctx->log) {
		rec_u8(ctx, OP_WHITEOUT);
		rec_str(ctx, path);
	}
	hull_fileset_whiteout(ctx->files, path, ctx->layer);
}

void op_opaque(struct apply_ctx *ctx, const char *dir)
{
	if (ctx->log) {
		rec_u8(ctx, OP_OPAQUE);
		rec_str(ctx, dir);
	}
	hull_fileset_opaque(ctx->files, dir, ctx->layer);
}

void op_warn(struct apply_ctx *ctx, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->log) {
		rec_u8(ctx, OP_WARN);
		rec_str(ctx, msg);
	}
	hull_diag_warn(ctx->diag, "%s: %s", ctx->label, msg);
}

/* ---- replay ------------------------------------------------------------ */

struct reader {
	const unsigned char *p, *end;
};

static bool get_u8(struct reader *r, unsigned *v)
{
	if (r->p >= r->end)
		return false;
	*v = *r->p++;
	return true;
}

static bool get_u32(struct reader *r, uint32_t *v)
{
	if (r->end - r->p < 4)
		return false;
	*v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	     (uint32_t)r->p[3] << 24;
	r->p += 4;
	return true;
}

/* A string field into buf (NUL-terminated); paths are capped. */
static bool get_str(struct reader *r, char *buf, size_t cap)
{
	uint32_t n;
	if (!get_u32(r, &n) || n >= cap || (size_t)(r->end - r->p) < n || memchr(r->p, '\0', n))
		return false;
	memcpy(buf, r->p, n);
	buf[n] = '\0';
	r->p += n;
	return true;
}

static bool valid_keep(unsigned k)
{
	return k == HULL_KEEP_NO || k == HULL_KEEP_LAST || k == HULL_KEEP_HISTORY;
}

static int replay_file(struct apply_ctx *ctx, struct reader *r, const char *path,
                       struct hull_err *err)
{
	uint32_t mode, n;
	unsigned keep;
	if (!get_u32(r, &mode) || !get_u8(r, &keep) || !valid_keep(keep) || !get_u32(r, &n) ||
	    (size_t)(r->end - r->p) < n || n > HULL_FILESET_MAX_FILE)
		return -1;
	char *data = malloc((size_t)n + 1);
	if (!data)
		return hull_err_nomem(err);
	memcpy(data, r->p, n);
	r->p += n;
	return hull_fileset_put_file(ctx->files, path, data, n, mode, ctx->layer, keep, err) < 0
	           ? -2
	           : 0;
}

static int replay_one(struct apply_ctx *ctx, struct reader *r, unsigned op, struct hull_err *err)
{
	char path[PATH_CAP], target[PATH_CAP];
	unsigned keep;
	if (!get_str(r, path, sizeof(path)))
		return -1;
	switch (op) {
	case OP_FILE:
		return replay_file(ctx, r, path, err);
	case OP_DROP:
		hull_fileset_drop(ctx->files, path);
		return 0;
	case OP_SYMLINK:
		if (!get_str(r, target, sizeof(target)))
			return -1;
		return hull_fileset_put_symlink(ctx->files, path, target, ctx->layer, err) < 0 ? -2
		                                                                               : 0;
	case OP_HARDLINK:
		if (!get_str(r, target, sizeof(target)) || !get_u8(r, &keep) || !valid_keep(keep))
			return -1;
		return hull_fileset_put_hardlink(ctx->files, path, target, ctx->layer, keep, err) <
		               0
		           ? -2
		           : 0;
	case OP_WHITEOUT:
		hull_fileset_whiteout(ctx->files, path, ctx->layer);
		return 0;
	case OP_OPAQUE:
		hull_fileset_opaque(ctx->files, path, ctx->layer);
		return 0;
	case OP_WARN:
		hull_diag_warn(ctx->diag, "%s: %s", ctx->label, path);
		return 0;
	default:
		return -1;
	}
}

int layerlog_replay(struct apply_ctx *ctx, const char *data, size_t len, struct hull_err *err)
{
	struct reader r = {(const unsigned char *)data, (const unsigned char *)data + len};
	unsigned op;
	while (get_u8(&r, &op)) {
		int rc = replay_one(ctx, &r, op, err);
		if (rc == -2)
			return -1;
		if (rc < 0)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: damaged cache entry at byte %zu", ctx->label,
			                    (size_t)(r.p - (const unsigned char *)data));
	}
	return 0;
}
