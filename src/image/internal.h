/* internal: what the readers inside src/image share. Not a public API.
 *
 * A store is where an image's files live: a directory (OCI layout) or an
 * uncompressed tar on disk (docker-archive, OCI archive) read in place
 * through its index. A blob is one file of a store, read with pread. A
 * layer stream turns a blob into the bytes of its tar (inflating gzip or
 * zstd), hashing both sides so the digest and the DiffID can be checked. */
#ifndef HULL_IMAGE_INTERNAL_H
#define HULL_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "image/image.h"
#include "image/tarindex.h"
#include "util/digest.h"

#define BLOB_NAME_MAX 512

enum store_kind { STORE_DIR, STORE_TAR, STORE_REMOTE };

struct store {
	enum store_kind kind;
	int fd; /* the directory, or the tar file */
	struct tarindex index;
	const char *target; /* for messages */
	/* STORE_REMOTE: the source, and the top manifest already fetched */
	const struct hull_image_remote *remote;
	const char *top_digest;
	const char *top_media_type; /* from the server; may be NULL */
	const char *top_data;
	size_t top_len;
	struct hull_layer_cache *cache; /* configs of remote images; may be NULL */
};

/* A blob is a byte range of a file read with pread, or (remote) a stream
 * read in order through the remote's callbacks, opened on the first read. */
struct blob {
	int fd; /* owned */
	off_t offset;
	uint64_t size;
	char name[BLOB_NAME_MAX]; /* "target: path", for messages */
	const struct hull_image_remote *remote;
	void *stream; /* owned; NULL until the first read */
	char digest[HULL_DIGEST_STRLEN + 1];
};

/* img->layers and *paths (caller frees both) for the n layers a manifest
 * lists, img->nlayers set; HULL_ERR_LIMIT past HULL_IMAGE_MAX_LAYERS
 * (naming target), HULL_ERR_NOMEM. Docker archives and OCI layouts alike. */
int layers_alloc(struct hull_image *img, size_t n, char ***paths, const char *target,
                 struct hull_err *err);

int store_open(struct store *s, const char *target, bool is_dir, struct hull_err *err);
/* A tar already open: takes ownership of fd (also on failure). */
int store_open_tar_fd(struct store *s, int fd, const char *target, struct hull_err *err);
/* The next bytes of a blob, in order from its start (pread blobs: at pos).
 * Fills buf with n bytes unless the blob ends; returns the count. */
ssize_t blob_read_at(struct blob *b, uint64_t pos, void *buf, size_t n, struct hull_err *err);
/* A remote blob whose store lends its memory (peek_blob): the next run of
 * at most n bytes where the store holds them (>0, 0 at the end, -1 with
 * err), in place until blob_consume gives k of them back. */
bool blob_lends(const struct blob *b);
ssize_t blob_peek(struct blob *b, const void **buf, size_t n, struct hull_err *err);
void blob_consume(struct blob *b, size_t k);
void store_release(struct store *s);
bool store_has(const struct store *s, const char *path);
int store_open_blob(const struct store *s, const char *path, struct blob *out,
                    struct hull_err *err);
/* The blob of a "sha256:<hex>" digest: blobs/sha256/<hex>. */
int store_open_digest(const struct store *s, const char *digest, struct blob *out,
                      struct hull_err *err);
/* Reads a whole blob of at most max bytes into a malloc'ed NUL-terminated buffer. */
int blob_read_all(struct blob *b, size_t max, char **data, size_t *len, struct hull_err *err);
void blob_close(struct blob *b);

/* Reads a JSON blob by digest, checks its sha256 (and size when known).
 * `manifest` says it is a manifest or index (a registry serves those
 * under /manifests/, other blobs under /blobs/). */
int store_read_json_digest(const struct store *s, const char *digest, int64_t size, bool manifest,
                           struct json_object **out, struct hull_err *err);

enum compression { COMP_NONE, COMP_GZIP, COMP_ZSTD };

struct stream_limits {
	uint64_t max_out; /* bytes of tar */
};

struct layer_stream;

/* Opens a stream over blob (takes ownership of it, also on failure).
 * `label` names the layer in messages. */
int stream_open(struct layer_stream **out, struct blob *blob, const char *label,
                const struct stream_limits *limits, struct hull_err *err);
/* Next chunk of the uncompressed tar: >0 bytes, 0 at the end, -1 on error. */
ssize_t stream_read(struct layer_stream *s, const void **buf, struct hull_err *err);
/* Reads to the end and gives the sha256 of the blob and of the tar. */
int stream_finish(struct layer_stream *s, char digest[HULL_DIGEST_STRLEN + 1],
                  char diff_id[HULL_DIGEST_STRLEN + 1], struct hull_err *err);
enum compression stream_compression(const struct layer_stream *s);
uint64_t stream_blob_size(const struct layer_stream *s);
void stream_free(struct layer_stream *s);

/* Applies one layer's tar to the fileset (whiteouts, links, kept files).
 * Every change goes through the op_* functions below, which also append it
 * to `log` when it is not NULL (the layer cache stores that log). */
struct apply_ctx {
	struct hull_fileset *files;
	int layer;
	hull_keep_fn keep;
	void *keep_ctx;
	const struct hull_content_probe *probe; /* may be NULL */
	struct hull_diag *diag;
	const char *label;
	struct hull_buf *log; /* may be NULL; set to NULL when it overflows */
};
int layer_apply(struct layer_stream *s, struct apply_ctx *ctx, struct hull_err *err);

/* Layer operations: applied to ctx->files and recorded in ctx->log. */
int op_file(struct apply_ctx *ctx, const char *path, char *data, size_t len, unsigned mode,
            enum hull_keep keep, struct hull_err *err);
void op_drop(struct apply_ctx *ctx, const char *path);
int op_symlink(struct apply_ctx *ctx, const char *path, const char *target, struct hull_err *err);
/* Returns 1 when the target's content was not kept (see the fileset). */
int op_hardlink(struct apply_ctx *ctx, const char *path, const char *target, enum hull_keep keep,
                struct hull_err *err);
void op_whiteout(struct apply_ctx *ctx, const char *path);
void op_opaque(struct apply_ctx *ctx, const char *dir);
/* A warning about this layer: "label: message" in the diag. */
void op_warn(struct apply_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Applies a recorded log to ctx->files (ctx->log must be NULL). A damaged
 * log is an error and may leave part of it applied. */
int layerlog_replay(struct apply_ctx *ctx, const char *data, size_t len, struct hull_err *err);

/* The layer cache (cache.h) as the readers use it. */
struct hull_layer_cache;
struct cache_key {
	const char *diff_id;
	uint32_t keep_version;
};
/* 1 and the log (caller frees) on a hit, 0 on a miss, -1 on error. */
int cache_lookup(struct hull_layer_cache *c, const struct cache_key *k, char **log, size_t *len,
                 struct hull_err *err);
/* Whether an entry for k exists (not checked: a lookup may still miss). */
bool cache_has(struct hull_layer_cache *c, const struct cache_key *k);
/* Stores a verified layer's log; failures only cost the cache entry. */
void cache_store(struct hull_layer_cache *c, const struct cache_key *k, const struct hull_buf *log);
/* Image configs of remote images, by digest (1 on a hit, data caller's;
 * the caller verifies the digest again). c may be NULL. */
int cache_blob_get(struct hull_layer_cache *c, const char *digest, size_t max, char **data,
                   size_t *len);
void cache_blob_put(struct hull_layer_cache *c, const char *digest, const char *data, size_t len);
/* The compression of a blob, from its first bytes (a remote blob: from
 * its media type, as reading would download it). */
enum compression stream_sniff(struct blob *b, const char *media_type);

/* Fills img->config from the config JSON (kept in img->config_json). */
int config_parse(struct hull_image *img, struct json_object *config, struct hull_err *err);
void config_release(struct hull_image_config *c);

/* Readers for each format; they fill img (layers, config, files). */
int oci_read(struct hull_image *img, const struct store *s, const struct hull_image_opts *opts,
             const char *tag, struct hull_diag *diag, struct hull_err *err);
int docker_read(struct hull_image *img, const struct store *s, const struct hull_image_opts *opts,
                const char *tag, struct hull_diag *diag, struct hull_err *err);
int rootfs_read(struct hull_image *img, const char *dir, const struct hull_image_opts *opts,
                struct hull_diag *diag, struct hull_err *err);

/* Before the config is read (img->layers from the manifest): a remote
 * store that will read every layer (no layer cache) is told which now,
 * so the downloads overlap the config request. Else nothing. */
void layers_prefetch(const struct hull_image *img, const struct store *s,
                     const struct hull_image_opts *opts);
/* Streams and applies every layer of img, in order, checking each blob
 * digest (when known) and DiffID against the config. `paths[i]` is the
 * store path of layer i. */
int layers_apply(struct hull_image *img, const struct store *s, char *const *paths,
                 const struct hull_image_opts *opts, struct hull_diag *diag, struct hull_err *err);

/* The host platform as "os/arch[/variant]" (static string). */
const char *platform_host(void);

#endif
