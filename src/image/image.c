#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/fs.h"
#include "util/mem.h"

const char *hull_image_format_name(enum hull_image_format f)
{
	switch (f) {
	case HULL_IMAGE_ROOTFS:
		return "rootfs";
	case HULL_IMAGE_DOCKER_ARCHIVE:
		return "docker-archive";
	case HULL_IMAGE_OCI_LAYOUT:
		return "oci-layout";
	case HULL_IMAGE_OCI_ARCHIVE:
		return "oci-archive";
	case HULL_IMAGE_REGISTRY:
		return "registry";
	}
	return "unknown";
}

const char *platform_host(void)
{
	static char buf[160];
	struct utsname u;
	if (uname(&u) < 0)
		return "linux/amd64";
	const char *arch = u.machine, *variant = NULL;
	if (!strcmp(arch, "x86_64"))
		arch = "amd64";
	else if (!strcmp(arch, "aarch64"))
		arch = "arm64";
	else if (!strncmp(arch, "armv7", 5))
		arch = "arm", variant = "v7";
	else if (!strncmp(arch, "armv6", 5))
		arch = "arm", variant = "v6";
	else if (!strcmp(arch, "i686") || !strcmp(arch, "i386"))
		arch = "386";
	snprintf(buf, sizeof(buf), "linux/%s%s%s", arch, variant ? "/" : "",
	         variant ? variant : "");
	return buf;
}

/* What a regular file is, from its first bytes and its tar index. Takes
 * ownership of fd. */
static int bid_fd(int fd, const char *target, struct store *s, enum hull_image_format *fmt,
                  struct hull_err *err)
{
	unsigned char head[512];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		int e = errno;
		close(fd);
		return hull_err_errno(err, e, "%s", target);
	}
	const char *why = NULL;
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		why = "a gzip-compressed file; hull reads docker-archive and OCI archive tars: "
		      "decompress it first (gunzip)";
	else if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
		why = "a zstd-compressed file; decompress it first (zstd -d)";
	else if (n < 512 || !tarindex_is_header(head))
		why = "not a container image: expected a docker-archive or OCI archive (tar), an "
		      "OCI layout directory or a root filesystem";
	if (why) {
		close(fd);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: %s", target, why);
	}
	if (store_open_tar_fd(s, fd, target, err) < 0)
		return -1;
	if (store_has(s, "manifest.json")) {
		*fmt = HULL_IMAGE_DOCKER_ARCHIVE;
	} else if (store_has(s, "oci-layout") && store_has(s, "index.json")) {
		*fmt = HULL_IMAGE_OCI_ARCHIVE;
	} else {
		store_release(s);
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: a tar archive, but neither a docker-archive (no "
		    "manifest.json) nor an OCI archive (no oci-layout and index.json)",
		    target);
	}
	return 0;
}

static int bid_file(const char *target, struct store *s, enum hull_image_format *fmt,
                    struct hull_err *err)
{
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", target);
	return bid_fd(fd, target, s, fmt, err);
}

static int bid_dir(const char *target, struct store *s, enum hull_image_format *fmt,
                   struct hull_err *err)
{
	if (store_open(s, target, true, err) < 0)
		return -1;
	/* what the directory is, is read through openat2: without it every
	 * lookup fails and an OCI layout would pass for a root filesystem */
	if (hull_fs_root_usable(s->fd, target, err) < 0)
		return -1;
	if (store_has(s, "oci-layout") && store_has(s, "index.json"))
		*fmt = HULL_IMAGE_OCI_LAYOUT;
	else if (store_has(s, "manifest.json") && !store_has(s, "etc/os-release"))
		*fmt = HULL_IMAGE_DOCKER_ARCHIVE; /* an unpacked `docker save` */
	else
		*fmt = HULL_IMAGE_ROOTFS;
	return 0;
}

/* Splits "path:tag" when path itself does not exist. */
static int split_target(const char *target, char **path, char **tag, struct hull_err *err)
{
	struct stat st;
	const char *colon = strrchr(target, ':');
	*tag = NULL;
	if (stat(target, &st) == 0 || !colon || strchr(colon, '/') || !colon[1]) {
		*path = strdup(target);
		return *path ? 0 : hull_err_nomem(err);
	}
	*path = strndup(target, (size_t)(colon - target));
	*tag = strdup(colon + 1);
	if (!*path || !*tag)
		return hull_err_nomem(err);
	return 0;
}

static int read_format(struct hull_image *img, const char *path, struct store *s,
                       const struct hull_image_opts *opts, const char *tag, struct hull_diag *diag,
                       struct hull_err *err)
{
	switch (img->format) {
	case HULL_IMAGE_ROOTFS:
		if (tag)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "%s: a root filesystem has no tags (got '%s')", path,
			                    tag);
		if (opts->metadata_only) /* a tree has no metadata of its own */
			return 0;
		return rootfs_read(img, path, opts, diag, err);
	case HULL_IMAGE_DOCKER_ARCHIVE:
		return docker_read(img, s, opts, tag, diag, err);
	case HULL_IMAGE_OCI_LAYOUT:
	case HULL_IMAGE_OCI_ARCHIVE:
	case HULL_IMAGE_REGISTRY:
		return oci_read(img, s, opts, tag, diag, err);
	}
	return hull_err_set(err, HULL_ERR_INPUT, "%s: unknown format", path);
}

static void warn_loop(const char *path, const char *target, void *diag)
{
	hull_diag_warn(diag, "symlink '%s' -> '%.200s' loops (more than 40 links); not followed",
	               path, target);
}

int hull_image_open(const char *target, const struct hull_image_opts *opts, struct hull_image **out,
                    struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	cleanup_free char *path = NULL, *tag = NULL;
	if (split_target(target, &path, &tag, err) < 0)
		return -1;
	if (opts->tag) {
		free(tag);
		if (!(tag = strdup(opts->tag)))
			return hull_err_nomem(err);
	}
	struct stat st;
	if (stat(path, &st) < 0)
		return hull_err_errno(err, errno, "%s", path);
	struct hull_image *img = calloc(1, sizeof(*img));
	if (!img || !(img->files = hull_fileset_new()) || !(img->target = strdup(path))) {
		hull_image_free(img);
		return hull_err_nomem(err);
	}
	struct store s = {.fd = -1};
	int rc;
	if (S_ISDIR(st.st_mode))
		rc = bid_dir(path, &s, &img->format, err);
	else if (S_ISREG(st.st_mode))
		rc = bid_file(path, &s, &img->format, err);
	else
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: not a file or a directory", path);
	if (rc == 0)
		rc = read_format(img, path, &s, opts, tag, diag, err);
	if (rc == 0)
		rc = hull_fileset_finish(img->files, err);
	if (rc == 0) /* lookups through them found nothing: say why */
		hull_fileset_loops(img->files, warn_loop, diag);
	store_release(&s);
	if (rc < 0) {
		hull_image_free(img);
		return -1;
	}
	*out = img;
	return 0;
}

static struct hull_image *image_new(const char *target)
{
	struct hull_image *img = calloc(1, sizeof(*img));
	if (!img || !(img->files = hull_fileset_new()) || !(img->target = strdup(target))) {
		hull_image_free(img);
		return NULL;
	}
	return img;
}

/* Reads the format found in s, then closes s; frees img on failure. */
static int finish(struct hull_image *img, const char *path, struct store *s,
                  const struct hull_image_opts *opts, const char *tag, struct hull_image **out,
                  struct hull_diag *diag, struct hull_err *err)
{
	int rc = read_format(img, path, s, opts, tag, diag, err);
	if (rc == 0)
		rc = hull_fileset_finish(img->files, err);
	store_release(s);
	if (rc < 0) {
		hull_image_free(img);
		return -1;
	}
	*out = img;
	return 0;
}

int hull_image_open_fd(int fd, const char *label, const struct hull_image_opts *opts,
                       struct hull_image **out, struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	struct hull_image *img = image_new(label);
	if (!img)
		return hull_err_nomem(err);
	struct store s = {.fd = -1};
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0) {
		hull_image_free(img);
		return hull_err_errno(err, errno, "%s", label);
	}
	if (bid_fd(own, label, &s, &img->format, err) < 0) {
		hull_image_free(img);
		return -1;
	}
	return finish(img, label, &s, opts, opts->tag, out, diag, err);
}

int hull_image_open_remote(const struct hull_image_remote *remote, const char *reference,
                           const char *label, const struct hull_image_opts *opts,
                           struct hull_image **out, struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	cleanup_free char *data = NULL, *mt = NULL, *digest = NULL;
	size_t len;
	if (remote->get_manifest(remote->ctx, reference, HULL_IMAGE_MAX_JSON, &data, &len, &mt,
	                         &digest, err) < 0)
		return -1;
	char hex[65];
	if (hull_digest_parse(digest, hex, err) < 0)
		return hull_err_wrap(err, "%s: manifest digest", label);
	/* a reference by digest must get exactly those bytes */
	if (!strncmp(reference, "sha256:", 7) && strcmp(reference, digest))
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: asked for manifest %s, the registry answered %s", label,
		                    reference, digest);
	struct hull_image *img = image_new(label);
	if (!img)
		return hull_err_nomem(err);
	img->format = HULL_IMAGE_REGISTRY;
	struct store s = {
	    .kind = STORE_REMOTE,
	    .fd = -1,
	    .target = img->target,
	    .remote = remote,
	    .top_digest = digest,
	    .top_media_type = mt,
	    .top_data = data,
	    .top_len = len,
	    .cache = opts->cache,
	};
	return finish(img, label, &s, opts, NULL, out, diag, err);
}

void hull_image_free(struct hull_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nlayers; i++) {
		struct hull_layer *l = &img->layers[i];
		free(l->digest);
		free(l->diff_id);
		free(l->media_type);
		free(l->compression);
		free(l->created_by);
	}
	free(img->layers);
	config_release(&img->config);
	json_object_put(img->config_json);
	hull_fileset_free(img->files);
	free(img->target);
	free(img->name);
	free(img->manifest_digest);
	free(img->config_digest);
	free(img);
}
