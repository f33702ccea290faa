#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/buf.h"
#include "util/mem.h"

#define PATH_CAP 4096

struct reader {
	struct layer_stream *stream;
	struct hull_err *err;
	bool stream_failed;
};

static la_ssize_t read_cb(struct archive *a, void *ud, const void **buf)
{
	struct reader *r = ud;
	ssize_t n = stream_read(r->stream, buf, r->err);
	if (n < 0) {
		r->stream_failed = true;
		archive_set_error(a, EIO, "%s", r->err->msg);
		return -1;
	}
	return n;
}

/* Lexically resolves a relative symlink target from the link's directory;
 * false when it climbs above the root. */
static bool stays_inside(const char *path, const char *target)
{
	if (target[0] == '/')
		return true; /* absolute targets are resolved from the image root */
	char buf[PATH_CAP];
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	memcpy(buf, path, len);
	buf[len] = '\0';
	return hull_path_join(buf, &len, sizeof(buf), target, HULL_DOTDOT_NO_ESCAPE) != -1;
}

static int entry_path(struct apply_ctx *ctx, const char *raw, const char *what, char *out,
                      struct hull_err *err)
{
	if (!raw)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: tar entry without a %s", ctx->label,
		                    what);
	if (raw[0] == '/' && raw[strspn(raw, "/.")] != '\0')
		return hull_err_set(err, HULL_ERR_INPUT, "%s: tar %s '%.200s' is an absolute path",
		                    ctx->label, what, raw);
	if (hull_path_normalize(raw, out, PATH_CAP, err) < 0)
		return hull_err_wrap(err, "%s: tar %s", ctx->label, what);
	return 0;
}

static int read_content(struct archive *a, struct apply_ctx *ctx, const char *path, int64_t size,
                        char **out, struct hull_err *err)
{
	*out = NULL;
	if (size < 0 || (uint64_t)size > HULL_FILESET_MAX_FILE) {
		op_warn(ctx, "%s: %lld bytes, over the %u-byte limit; not read", path,
		        (long long)size, HULL_FILESET_MAX_FILE);
		return 0;
	}
	if (hull_fileset_bytes(ctx->files) + (uint64_t)size > HULL_FILESET_MAX_BYTES) {
		/* depends on the lower layers: such a layer is not cached */
		if (ctx->log) {
			hull_buf_release(ctx->log);
			ctx->log = NULL;
		}
		op_warn(ctx, "%s: kept files exceed %u bytes; not read", path,
		        HULL_FILESET_MAX_BYTES);
		return 0;
	}
	char *data = malloc((size_t)size + 1);
	if (!data)
		return hull_err_nomem(err);
	size_t got = 0;
	while (got < (size_t)size) {
		la_ssize_t n = archive_read_data(a, data + got, (size_t)size - got);
		if (n < 0) {
			free(data);
			return hull_err_set(err, HULL_ERR_INPUT, "%s: %s: %s", ctx->label, path,
			                    archive_error_string(a));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)size) {
		free(data);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: %s: truncated file content",
		                    ctx->label, path);
	}
	*out = data;
	return 0;
}

/* Reads up to n bytes of the current entry's data into buf; the count, or
 * -1 with err set. */
static la_ssize_t read_fully(struct archive *a, struct apply_ctx *ctx, const char *path, char *buf,
                             size_t n, struct hull_err *err)
{
	size_t got = 0;
	while (got < n) {
		la_ssize_t r = archive_read_data(a, buf + got, n - got);
		if (r < 0)
			return hull_err_set(err, HULL_ERR_INPUT, "%s: %s: %s", ctx->label, path,
			                    archive_error_string(a));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (la_ssize_t)got;
}

/* One buffer for the probed files of a layer, read whole one after the
 * other (a Debian base image probes ~7 MB of executables): a fresh
 * allocation per file touched fresh pages each time, ~1 700 page faults
 * per scan, dear on a VM (util/mem.h); this one grows to the largest file
 * and lives until the layer ends. */
struct scratch {
	char *p;
	size_t cap;
};

#define SCRATCH_STEP ((size_t)2 << 20)

static char *scratch_get(struct scratch *sc, size_t n)
{
	if (n <= sc->cap)
		return sc->p;
	size_t cap = (n + SCRATCH_STEP - 1) / SCRATCH_STEP * SCRATCH_STEP;
	char *p = hull_bigbuf_alloc(cap);
	if (!p)
		return NULL;
	hull_bigbuf_free(sc->p, sc->cap);
	sc->p = p;
	sc->cap = cap;
	return p;
}

/* A HULL_KEEP_PROBE file: its first bytes decide whether it is read whole;
 * its digest, if any, is kept. The rest of a file not wanted is skipped by
 * libarchive. */
static int probe_entry(struct archive *a, struct apply_ctx *ctx, struct scratch *sc,
                       const char *path, int64_t size, unsigned mode, struct hull_err *err)
{
	char head[HULL_PROBE_HEAD];
	if (!ctx->probe || size < 0) {
		op_drop(ctx, path);
		return 0;
	}
	size_t hn = (uint64_t)size < sizeof(head) ? (size_t)size : sizeof(head);
	la_ssize_t got = read_fully(a, ctx, path, head, hn, err);
	if (got < 0)
		return -1;
	if ((size_t)got != hn || !ctx->probe->wants(head, hn, (unsigned long long)size)) {
		op_drop(ctx, path);
		return 0;
	}
	if ((uint64_t)size > HULL_PROBE_MAX_FILE) {
		op_warn(ctx,
		        "%s: %lld bytes, over the %u-byte limit for executables and archives; "
		        "not read",
		        path, (long long)size, HULL_PROBE_MAX_FILE);
		op_drop(ctx, path);
		return 0;
	}
	char *data = scratch_get(sc, (size_t)size + 1);
	if (!data)
		return hull_err_nomem(err);
	memcpy(data, head, hn);
	got = read_fully(a, ctx, path, data + hn, (size_t)size - hn, err);
	if (got < 0 || (size_t)got != (size_t)size - hn) {
		if (got < 0)
			return -1;
		return hull_err_set(err, HULL_ERR_INPUT, "%s: %s: truncated file content",
		                    ctx->label, path);
	}
	char *dig = NULL;
	size_t diglen = 0;
	int rc = ctx->probe->digest(path, data, (size_t)size, &dig, &diglen, err);
	if (rc < 0)
		return -1;
	if (!dig) {
		op_drop(ctx, path);
		return 0;
	}
	return op_file(ctx, path, dig, diglen, mode, HULL_KEEP_LAST, err);
}

static int apply_whiteout(struct apply_ctx *ctx, const char *path, const char *base,
                          struct hull_err *err)
{
	size_t dirlen = (size_t)(base - path);
	char target[PATH_CAP];
	const char *name = base + 4;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: whiteout '%s' names '%s'", ctx->label,
		                    path, *name ? name : "");
	if (!strcmp(base, ".wh..wh..opq")) {
		snprintf(target, sizeof(target), "%.*s", (int)(dirlen ? dirlen - 1 : 0), path);
		op_opaque(ctx, target);
	} else if (strncmp(base, ".wh..wh.", 8) != 0 && *name) {
		/* ".wh..wh.*" other than opq are aufs internals: nothing to apply */
		snprintf(target, sizeof(target), "%.*s%s", (int)dirlen, path, name);
		op_whiteout(ctx, target);
	}
	return 0;
}

static int apply_entry(struct archive *a, struct archive_entry *e, struct apply_ctx *ctx,
                       struct scratch *sc, struct hull_err *err)
{
	char path[PATH_CAP];
	if (entry_path(ctx, archive_entry_pathname(e), "entry", path, err) < 0)
		return -1;
	if (!path[0])
		return 0; /* the root directory itself */
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!strncmp(base, ".wh.", 4))
		return apply_whiteout(ctx, path, base, err);

	const char *hardlink = archive_entry_hardlink(e);
	if (hardlink) {
		char target[PATH_CAP];
		if (entry_path(ctx, hardlink, "hard link target", target, err) < 0)
			return -1;
		enum hull_keep keep = ctx->keep(path, ctx->keep_ctx);
		/* a probed file's link shares its digest, if it has one */
		bool probed = keep == HULL_KEEP_PROBE;
		int rc = op_hardlink(ctx, path, target, probed ? HULL_KEEP_LAST : keep, err);
		if (rc > 0 && !probed)
			op_warn(ctx, "%s: hard link to '%s', whose content was not kept", path,
			        target);
		return rc < 0 ? -1 : 0;
	}
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: {
		enum hull_keep keep = ctx->keep(path, ctx->keep_ctx);
		if (keep == HULL_KEEP_NO) {
			op_drop(ctx, path);
			return 0;
		}
		if (hull_fileset_layer_at(ctx->files, path) == ctx->layer)
			op_warn(ctx, "%s: written twice in this layer; the last copy is used",
			        path);
		if (keep == HULL_KEEP_PROBE)
			return probe_entry(a, ctx, sc, path, archive_entry_size(e),
			                   archive_entry_perm(e), err);
		char *data;
		if (read_content(a, ctx, path, archive_entry_size(e), &data, err) < 0)
			return -1;
		if (!data) {
			op_drop(ctx, path);
			return 0;
		}
		return op_file(ctx, path, data, (size_t)archive_entry_size(e),
		               archive_entry_perm(e), keep, err);
	}
	case AE_IFLNK: {
		const char *target = archive_entry_symlink(e);
		if (!target)
			return hull_err_set(err, HULL_ERR_INPUT, "%s: symlink '%s' has no target",
			                    ctx->label, path);
		if (!stays_inside(path, target))
			return hull_err_set(
			    err, HULL_ERR_INPUT,
			    "%s: symlink '%s' -> '%.200s' points outside the image root",
			    ctx->label, path, target);
		return op_symlink(ctx, path, target, err);
	}
	case AE_IFCHR:
	case AE_IFBLK:
		/* never created or opened; said because no image needs one */
		op_warn(ctx, "%s: %s device in a layer, ignored", path,
		        archive_entry_filetype(e) == AE_IFCHR ? "character" : "block");
		op_drop(ctx, path);
		return 0;
	default:
		/* directories, fifos: replace whatever was kept at path */
		op_drop(ctx, path);
		return 0;
	}
}

/* Returns 0, -1 on error, or 1 when the tar itself is damaged (err says
 * how) while the stream read fine. */
int layer_apply(struct layer_stream *s, struct apply_ctx *ctx, struct hull_err *err)
{
	struct archive *a = archive_read_new();
	if (!a)
		return hull_err_nomem(err);
	struct reader r = {.stream = s, .err = err};
	archive_read_support_format_tar(a);
	int rc = 0;
	if (archive_read_open(a, &r, NULL, read_cb, NULL) != ARCHIVE_OK) {
		rc = r.stream_failed
		         ? -1
		         : hull_err_set(err, HULL_ERR_INPUT, "%s: not a tar archive: %s",
		                        ctx->label, archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	struct archive_entry *e;
	struct scratch sc = {0};
	size_t count = 0, warned = 0;
	for (;;) {
		int ar = archive_read_next_header(a, &e);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar == ARCHIVE_WARN && warned++ < 5)
			op_warn(ctx, "entry %zu: %s", count + 1, archive_error_string(a));
		if (ar < ARCHIVE_WARN) {
			if (r.stream_failed) {
				rc = -1;
			} else {
				/* positive: the tar is damaged, the caller decides once the
				 * blob's digests are checked */
				hull_err_set(err, HULL_ERR_INPUT,
				             "damaged tar after %zu entries: %s", count,
				             archive_error_string(a));
				rc = 1;
			}
			break;
		}
		count++;
		if (apply_entry(a, e, ctx, &sc, err) < 0) {
			rc = -1;
			break;
		}
	}
	hull_bigbuf_free(sc.p, sc.cap);
	archive_read_free(a);
	return rc;
}
