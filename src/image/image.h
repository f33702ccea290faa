/* image: open a container image or a root filesystem without extracting it.
 *
 * hull_image_open looks at TARGET (never at its name alone) and reads:
 *   - a docker-archive (`docker save`: manifest.json, config, layer tars,
 *     legacy `<id>/layer.tar` and OCI-style `blobs/sha256/..` entries),
 *   - an OCI image layout directory (oci-layout, index.json, blobs/),
 *   - an OCI archive (a tar of such a layout),
 *   - a plain root filesystem directory (an unpacked image, or "/").
 * Indexes with several manifests are resolved by tag, then platform;
 * nested indexes are followed. Every blob's sha256 is checked against its
 * digest and every layer's DiffID against the config; a mismatch is an
 * error naming the blob. Layers (uncompressed, gzip or zstd, detected by
 * magic) are applied in order with whiteouts; only the paths the keep
 * function chooses are held in memory (see fileset.h).
 *
 * Limits: manifests and configs are capped at HULL_IMAGE_MAX_JSON bytes;
 * a layer may not inflate past opts.max_layer_bytes, nor by more than
 * HULL_IMAGE_MAX_RATIO to 1 once past HULL_IMAGE_RATIO_FLOOR bytes
 * (decompression bombs). Memory stays bounded whatever the image size.
 *
 * Ownership: the returned image owns everything it points to;
 * hull_image_free releases it. */
#ifndef HULL_IMAGE_IMAGE_H
#define HULL_IMAGE_IMAGE_H

#include <json-c/json.h>
#include <stdint.h>
#include <sys/types.h>

#include "image/fileset.h"
#include "util/diag.h"
#include "util/digest.h"
#include "util/err.h"

#define HULL_IMAGE_MAX_JSON          (16u << 20)
#define HULL_IMAGE_DEFAULT_MAX_LAYER (16ull << 30)
#define HULL_IMAGE_MAX_RATIO         200u
#define HULL_IMAGE_RATIO_FLOOR       (256ull << 20)
#define HULL_IMAGE_MAX_LAYERS        512u

enum hull_image_format {
	HULL_IMAGE_ROOTFS,
	HULL_IMAGE_DOCKER_ARCHIVE,
	HULL_IMAGE_OCI_LAYOUT,
	HULL_IMAGE_OCI_ARCHIVE,
	HULL_IMAGE_REGISTRY,
};

/* "rootfs", "docker-archive", "oci-layout", "oci-archive" */
const char *hull_image_format_name(enum hull_image_format f);

/* A second-level layer store shared by many hosts (src/store offers one
 * over PostgreSQL): the same replay logs as the local cache, keyed by
 * DiffID and keep version. get returns 1 and a malloc'ed log (caller
 * frees) when the layer is held, 0 on a miss, -1 on error. After a miss
 * the reader reads the blob and calls put exactly once for that layer:
 * with the log once the layer is verified, or with log NULL when reading
 * failed, so an implementation may hold a lock from the miss to the put
 * (one host reads a layer, the others wait and reuse it). */
struct hull_layer_remote {
	int (*get)(void *ctx, const char *diff_id, uint32_t keep_version, char **log, size_t *len,
	           struct hull_err *err);
	void (*put)(void *ctx, const char *diff_id, uint32_t keep_version, const char *log,
	            size_t len);
	void *ctx;
};

struct hull_image_opts {
	const char *platform; /* "os/arch[/variant]"; NULL: the host's, else linux/amd64 */
	const char *tag;      /* NULL: TARGET:TAG, else the only image */
	hull_keep_fn keep;
	void *keep_ctx;
	/* For the paths keep() answers HULL_KEEP_PROBE; NULL: they are not
	 * read. Borrowed, static. Part of what keep_version versions. */
	const struct hull_content_probe *probe;
	uint64_t max_layer_bytes; /* 0: HULL_IMAGE_DEFAULT_MAX_LAYER */
	/* Optional layer cache (cache.h), borrowed. Entries are valid for one
	 * version of the keep function: bump keep_version when it changes. */
	struct hull_layer_cache *cache;
	uint32_t keep_version;
	/* Optional, borrowed: consulted after the local cache. */
	const struct hull_layer_remote *remote;
	/* Read the index, manifest and config only: layers are listed (digest,
	 * DiffID, size as the manifest says) but not read, files stays empty.
	 * For a caller that first asks whether the image is already known. */
	bool metadata_only;
};

struct hull_layer {
	char *digest;      /* blob digest ("sha256:..."); NULL for docker-archive legacy */
	char *diff_id;     /* digest of the uncompressed tar */
	char *media_type;  /* may be NULL */
	char *compression; /* "none", "gzip", "zstd" */
	uint64_t size;     /* bytes of the blob */
	char *created_by;  /* from the config history; may be NULL */
};

struct hull_kv {
	char *key;
	char *value;
};

struct hull_history {
	char *created;
	char *created_by;
	char *comment;
	bool empty_layer;
};

struct hull_strv {
	char **v;
	size_t n;
};

/* The parts of the image config later checks use. Strings may be NULL. */
struct hull_image_config {
	char *os, *architecture, *variant, *created, *author;
	char *user, *workdir, *stop_signal;
	struct hull_strv env, entrypoint, cmd, exposed_ports, volumes, shell;
	struct hull_kv *labels;
	size_t nlabels;
	bool has_healthcheck;
	struct hull_strv healthcheck_test;
	struct hull_history *history;
	size_t nhistory;
};

struct hull_image {
	enum hull_image_format format;
	char *target;          /* as given, without a ":TAG" suffix */
	char *name;            /* repo tag or ref name; may be NULL */
	char *manifest_digest; /* NULL for rootfs and legacy docker-archive */
	char *config_digest;   /* NULL for rootfs */
	struct hull_layer *layers;
	size_t nlayers;
	struct hull_image_config config;
	struct json_object *config_json; /* the raw config; NULL for rootfs */
	struct hull_fileset *files;
};

/* Where hull_image_open_remote reads an image: a registry (src/registry
 * implements it). Everything it hands over is verified here as for a file:
 * manifests and configs against their digests, layers against their digest
 * and DiffID. Callbacks return 0 / -1 with err set. */
struct hull_image_remote {
	void *ctx;
	/* The manifest or index that reference ("tag" or "sha256:..") names:
	 * bytes (caller frees, at most max), media type (caller frees; NULL
	 * when the server gave none) and digest (caller frees, "sha256:..";
	 * that of the bytes when the server gave none). */
	int (*get_manifest)(void *ctx, const char *reference, size_t max, char **data, size_t *len,
	                    char **media_type, char **digest, struct hull_err *err);
	/* A whole blob of at most max bytes (configs); caller frees. */
	int (*get_blob)(void *ctx, const char *digest, size_t max, char **data, size_t *len,
	                struct hull_err *err);
	/* Optional: the layer blobs about to be opened, in the order they
	 * will be (a hint: the store may start downloading a few at once).
	 * Called only for layers the caches do not hold. */
	void (*prefetch)(void *ctx, const char *digest, uint64_t size);
	/* A layer blob as a stream: open, read (>0 bytes, 0 at the end, -1 on
	 * error), close. */
	int (*open_blob)(void *ctx, const char *digest, uint64_t size, void **stream,
	                 struct hull_err *err);
	ssize_t (*read_blob)(void *stream, void *buf, size_t n, struct hull_err *err);
	/* Optional, both or neither: the next bytes where the store holds
	 * them instead of a copy (a registry's download ring). peek waits as
	 * read_blob does and gives at most n bytes (>0, 0 at the end, -1 on
	 * error) that stay in place until consume_blob gives back k <= that
	 * many; read_blob and peek take up where the other left off. */
	ssize_t (*peek_blob)(void *stream, const void **buf, size_t n, struct hull_err *err);
	void (*consume_blob)(void *stream, size_t k);
	void (*close_blob)(void *stream);
	/* Optional: the store hashes a blob's bytes as they arrive (on its own
	 * thread) and this gives their "sha256:<hex>" once read_blob has
	 * delivered the whole blob; the reader then does not hash them again.
	 * The image reader still compares it with the digest it expects.
	 * -1 when the stream did not complete. NULL: the reader hashes. */
	int (*blob_digest)(void *stream, char out[HULL_DIGEST_STRLEN + 1]);
};

/* Opens target. Warnings (skipped entries, files over the caps) go to diag
 * (may be NULL). On failure *out is NULL and err names the input. */
int hull_image_open(const char *target, const struct hull_image_opts *opts, struct hull_image **out,
                    struct hull_diag *diag, struct hull_err *err);
/* The same for a docker-archive or OCI archive already open as fd
 * (borrowed; read with pread). label names it in messages and becomes
 * img->target. */
int hull_image_open_fd(int fd, const char *label, const struct hull_image_opts *opts,
                       struct hull_image **out, struct hull_diag *diag, struct hull_err *err);

/* The image that reference names in a remote store (see above). label
 * names it in messages and becomes img->target. Layers whose DiffID is in
 * opts->cache are not requested at all. */
int hull_image_open_remote(const struct hull_image_remote *remote, const char *reference,
                           const char *label, const struct hull_image_opts *opts,
                           struct hull_image **out, struct hull_diag *diag, struct hull_err *err);
void hull_image_free(struct hull_image *img);

#endif
