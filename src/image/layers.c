#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/buf.h"
#include "util/json.h"

int layers_alloc(struct hull_image *img, size_t n, char ***paths, const char *target,
                 struct hull_err *err)
{
	if (n > HULL_IMAGE_MAX_LAYERS)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: %zu layers (limit %u)", target, n,
		                    HULL_IMAGE_MAX_LAYERS);
	img->layers = calloc(n ? n : 1, sizeof(*img->layers));
	*paths = calloc(n ? n : 1, sizeof(**paths));
	if (!img->layers || !*paths)
		return hull_err_nomem(err);
	img->nlayers = n;
	return 0;
}

static const char *comp_name(enum compression c)
{
	return c == COMP_GZIP ? "gzip" : c == COMP_ZSTD ? "zstd" : "none";
}

/* "created_by" of the i-th non-empty history entry. */
static const char *history_for_layer(const struct hull_image_config *c, size_t layer)
{
	size_t seen = 0;
	for (size_t i = 0; i < c->nhistory; i++) {
		if (c->history[i].empty_layer)
			continue;
		if (seen++ == layer)
			return c->history[i].created_by;
	}
	return NULL;
}

static int verify(const char *label, const char *what, const char *want, const char *got,
                  struct hull_err *err)
{
	if (!want || strcmp(want, got) == 0)
		return 0;
	return hull_err_set(err, HULL_ERR_INPUT,
	                    "%s: %s mismatch: content hashes to %s, expected %s", label, what, got,
	                    want);
}

/* Replays the layer from the cache; 1 on a hit. */
static int from_cache(struct hull_layer *l, struct blob *b, const struct cache_key *key,
                      struct apply_ctx *ctx, const struct hull_image_opts *opts,
                      struct hull_err *err)
{
	char *log;
	size_t len;
	int hit = cache_lookup(opts->cache, key, &log, &len, err);
	if (hit <= 0)
		return hit;
	int rc = layerlog_replay(ctx, log, len, err);
	free(log);
	if (rc < 0)
		return -1;
	l->compression = strdup(comp_name(stream_sniff(b, l->media_type)));
	return l->compression ? 1 : hull_err_nomem(err);
}

/* Replays the layer from the shared store; 1 on a hit, 0 on a miss (the
 * caller then owes remote->put). */
static int from_remote(struct hull_layer *l, struct blob *b, const char *diff_id,
                       struct apply_ctx *ctx, const struct hull_image_opts *opts,
                       struct hull_err *err)
{
	char *log = NULL;
	size_t len = 0;
	int hit =
	    opts->remote->get(opts->remote->ctx, diff_id, opts->keep_version, &log, &len, err);
	if (hit <= 0)
		return hit;
	int rc = layerlog_replay(ctx, log, len, err);
	free(log);
	if (rc < 0)
		return hull_err_wrap(err, "%s: stored layer", ctx->label);
	l->compression = strdup(comp_name(stream_sniff(b, l->media_type)));
	return l->compression ? 1 : hull_err_nomem(err);
}

/* Reads the blob through the decompressor and the tar reader, verifying
 * its digest and DiffID; ctx->log (when set) receives the replay log. */
static int read_blob(struct hull_layer *l, struct blob *b, const char *want_diff,
                     struct apply_ctx *ctx, const struct hull_image_opts *opts,
                     struct hull_err *err)
{
	const char *label = ctx->label;
	struct stream_limits limits = {
	    .max_out = opts->max_layer_bytes ? opts->max_layer_bytes : HULL_IMAGE_DEFAULT_MAX_LAYER,
	};
	struct layer_stream *st;
	if (stream_open(&st, b, label, &limits, err) < 0)
		return -1;
	struct hull_err tar_err = {0};
	int rc = layer_apply(st, ctx, &tar_err);
	if (rc < 0) {
		stream_free(st);
		*err = tar_err;
		return -1;
	}
	char digest[HULL_DIGEST_STRLEN + 1], diff_id[HULL_DIGEST_STRLEN + 1];
	l->compression = strdup(comp_name(stream_compression(st)));
	int frc = stream_finish(st, digest, diff_id, err);
	stream_free(st);
	if (frc == 0 && !l->compression)
		frc = hull_err_nomem(err);
	if (frc < 0 || verify(label, "blob digest", l->digest, digest, err) < 0 ||
	    verify(label, "DiffID", want_diff, diff_id, err) < 0)
		return -1;
	if (rc > 0) /* damaged tar inside a verified blob: what was read stands */
		op_warn(ctx, "%s", tar_err.msg);
	return 0;
}

static int apply_one(struct hull_image *img, const struct store *s, const char *path, size_t i,
                     const char *want_diff, const struct hull_image_opts *opts,
                     struct hull_diag *diag, struct hull_err *err)
{
	struct hull_layer *l = &img->layers[i];
	char label[BLOB_NAME_MAX + 64];
	snprintf(label, sizeof(label), "%s: layer %zu/%zu (%s)", s->target, i + 1, img->nlayers,
	         l->digest ? l->digest : path);
	struct blob b;
	if (store_open_blob(s, path, &b, err) < 0) {
		if (err->kind == HULL_ERR_NOTFOUND)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: layer blob is listed but missing", label);
		return -1;
	}
	if (b.remote) {
		if (!l->size) {
			blob_close(&b);
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: the manifest gives no size for this layer", label);
		}
		b.size = l->size; /* what is read past it is not the blob */
	}
	if (l->size && b.size != l->size) {
		blob_close(&b);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: blob is %llu bytes, the manifest says %llu", label,
		                    (unsigned long long)b.size, (unsigned long long)l->size);
	}
	l->size = b.size;
	struct apply_ctx ctx = {
	    .files = img->files,
	    .layer = (int)i,
	    .keep = opts->keep,
	    .keep_ctx = opts->keep_ctx,
	    .probe = opts->probe,
	    .diag = diag,
	    .label = label,
	};
	struct cache_key key = {want_diff, opts->keep_version};
	int hit = 0;
	if (opts->cache)
		hit = from_cache(l, &b, &key, &ctx, opts, err);
	if (hit == 0 && opts->remote)
		hit = from_remote(l, &b, want_diff, &ctx, opts, err);
	if (hit != 0) {
		blob_close(&b);
		return hit < 0 ? -1 : 0;
	}
	struct hull_buf log;
	hull_buf_init(&log, 256u << 20);
	ctx.log = opts->cache || opts->remote ? &log : NULL;
	int rc = read_blob(l, &b, want_diff, &ctx, opts, err);
	/* stream_open took b over (closed by stream_free) */
	if (rc == 0 && opts->cache)
		cache_store(opts->cache, &key, ctx.log);
	if (opts->remote) /* after its miss: exactly one put, NULL when reading failed */
		opts->remote->put(opts->remote->ctx, want_diff, opts->keep_version,
		                  rc == 0 ? (log.data ? log.data : "") : NULL,
		                  rc == 0 ? log.len : 0);
	hull_buf_release(&log);
	return rc;
}

static bool may_announce(const struct store *s, const struct hull_image_opts *opts)
{
	return s->kind == STORE_REMOTE && s->remote->prefetch && !opts->metadata_only &&
	       !opts->remote;
}

/* Without a layer cache every layer will be read, whatever the config's
 * DiffIDs: the layers are announced from the manifest, before the config
 * is asked for, so the first layer's download overlaps the config's. */
static bool announce_early(const struct store *s, const struct hull_image_opts *opts)
{
	return may_announce(s, opts) && !opts->cache;
}

void layers_prefetch(const struct hull_image *img, const struct store *s,
                     const struct hull_image_opts *opts)
{
	if (!announce_early(s, opts))
		return;
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct hull_layer *l = &img->layers[i];
		if (l->digest && l->size)
			s->remote->prefetch(s->remote->ctx, l->digest, l->size);
	}
}

/* Tells a remote store which layers will be read (those no cache holds),
 * so it can download the next ones while one is applied. A shared layer
 * store (opts->remote) is asked only at each layer: nothing is announced. */
static void announce(const struct hull_image *img, const struct store *s, struct json_object *diffs,
                     const struct hull_image_opts *opts)
{
	if (!may_announce(s, opts) || announce_early(s, opts))
		return; /* layers_prefetch did */
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct hull_layer *l = &img->layers[i];
		struct cache_key key = {
		    json_object_get_string(json_object_array_get_idx(diffs, i)),
		    opts->keep_version,
		};
		if (!l->digest || !l->size || !key.diff_id)
			continue;
		if (opts->cache && cache_has(opts->cache, &key))
			continue;
		s->remote->prefetch(s->remote->ctx, l->digest, l->size);
	}
}

int layers_apply(struct hull_image *img, const struct store *s, char *const *paths,
                 const struct hull_image_opts *opts, struct hull_diag *diag, struct hull_err *err)
{
	struct json_object *rootfs = hull_json_get_obj(img->config_json, "rootfs");
	struct json_object *diffs = hull_json_get_arr(rootfs, "diff_ids");
	size_t ndiffs = diffs ? json_object_array_length(diffs) : 0;
	if (ndiffs != img->nlayers)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: the manifest lists %zu layers but the config has %zu DiffIDs", s->target,
		    img->nlayers, ndiffs);
	announce(img, s, diffs, opts);
	for (size_t i = 0; i < img->nlayers; i++) {
		const char *want = json_object_get_string(json_object_array_get_idx(diffs, i));
		char hex[65];
		if (hull_digest_parse(want, hex, err) < 0)
			return hull_err_wrap(err, "%s: config DiffID %zu", s->target, i + 1);
		struct hull_layer *l = &img->layers[i];
		if (!(l->diff_id = strdup(want)))
			return hull_err_nomem(err);
		const char *by = history_for_layer(&img->config, i);
		if (by && !(l->created_by = strdup(by)))
			return hull_err_nomem(err);
		if (!opts->metadata_only &&
		    apply_one(img, s, paths[i], i, want, opts, diag, err) < 0)
			return -1;
	}
	return 0;
}
