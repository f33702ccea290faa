#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/mem.h"

int store_open(struct store *s, const char *target, bool is_dir, struct hull_err *err)
{
	memset(s, 0, sizeof(*s));
	s->target = target;
	s->kind = is_dir ? STORE_DIR : STORE_TAR;
	s->fd = open(target, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));
	if (s->fd < 0)
		return hull_err_errno(err, errno, "%s", target);
	if (!is_dir && tarindex_build(&s->index, s->fd, target, err) < 0) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

int store_open_tar_fd(struct store *s, int fd, const char *target, struct hull_err *err)
{
	memset(s, 0, sizeof(*s));
	s->target = target;
	s->kind = STORE_TAR;
	s->fd = fd;
	if (tarindex_build(&s->index, s->fd, target, err) < 0) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

void store_release(struct store *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	tarindex_release(&s->index);
}

bool store_has(const struct store *s, const char *path)
{
	if (s->kind == STORE_REMOTE)
		return false;
	if (s->kind == STORE_TAR)
		return tarindex_find(&s->index, path) != NULL;
	struct stat st;
	int fd = hull_fs_open_in_root(s->fd, path, O_RDONLY | O_PATH, NULL);
	if (fd < 0)
		return false;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

int store_open_blob(const struct store *s, const char *path, struct blob *out, struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	snprintf(out->name, sizeof(out->name), "%s: %s", s->target, path);
	if (s->kind == STORE_REMOTE) {
		/* nothing is requested until the first read: a cached layer
		 * is never downloaded */
		char hex[65];
		if (strncmp(path, "blobs/sha256/", 13) ||
		    !hull_is_sha256_hex(path + 13, strlen(path + 13)))
			return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: not a blob", out->name);
		memcpy(hex, path + 13, 65);
		snprintf(out->digest, sizeof(out->digest), "sha256:%s", hex);
		snprintf(out->name, sizeof(out->name), "%s: blob %s", s->target, out->digest);
		out->remote = s->remote;
		return 0;
	}
	if (s->kind == STORE_TAR) {
		const struct tar_member *m = tarindex_find(&s->index, path);
		if (!m)
			return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: missing from the archive",
			                    out->name);
		out->fd = dup(s->fd);
		if (out->fd < 0)
			return hull_err_errno(err, errno, "%s", out->name);
		out->offset = m->offset;
		out->size = m->size;
		return 0;
	}
	struct hull_err local = {0};
	out->fd = hull_fs_open_in_root(s->fd, path, O_RDONLY, &local);
	if (out->fd < 0) {
		if (local.errnum == ENOENT)
			return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: missing", out->name);
		return hull_err_set(err, local.kind, "%s: %s", s->target, local.msg);
	}
	struct stat st;
	if (fstat(out->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		blob_close(out);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file", path);
	}
	out->size = (uint64_t)st.st_size;
	return 0;
}

int store_open_digest(const struct store *s, const char *digest, struct blob *out,
                      struct hull_err *err)
{
	char hex[65], path[128];
	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (hull_digest_parse(digest, hex, err) < 0)
		return hull_err_wrap(err, "%s", s->target);
	snprintf(path, sizeof(path), "blobs/sha256/%s", hex);
	return store_open_blob(s, path, out, err);
}

int blob_read_all(struct blob *b, size_t max, char **data, size_t *len, struct hull_err *err)
{
	if (b->remote) {
		if (b->remote->get_blob(b->remote->ctx, b->digest, max, data, len, err) < 0)
			return -1;
		b->size = *len;
		return 0;
	}
	if (b->size > max)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "%s: %llu bytes, more than the limit of %zu", b->name,
		                    (unsigned long long)b->size, max);
	char *p = malloc(b->size + 1);
	if (!p)
		return hull_err_nomem(err);
	if (hull_fs_pread_full(b->fd, p, b->size, b->offset, b->name, err) < 0) {
		free(p);
		return -1;
	}
	p[b->size] = '\0';
	*data = p;
	*len = b->size;
	return 0;
}

void blob_close(struct blob *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (b->stream)
		b->remote->close_blob(b->stream);
	b->stream = NULL;
}

bool blob_lends(const struct blob *b)
{
	return b->remote && b->remote->peek_blob && b->remote->consume_blob;
}

ssize_t blob_peek(struct blob *b, const void **buf, size_t n, struct hull_err *err)
{
	if (!b->stream &&
	    b->remote->open_blob(b->remote->ctx, b->digest, b->size, &b->stream, err) < 0)
		return -1;
	return b->remote->peek_blob(b->stream, buf, n, err);
}

void blob_consume(struct blob *b, size_t k)
{
	if (b->stream && k)
		b->remote->consume_blob(b->stream, k);
}

ssize_t blob_read_at(struct blob *b, uint64_t pos, void *buf, size_t n, struct hull_err *err)
{
	if (!b->remote) {
		if (hull_fs_pread_full(b->fd, buf, n, b->offset + (off_t)pos, b->name, err) < 0)
			return -1;
		return (ssize_t)n;
	}
	if (!b->stream &&
	    b->remote->open_blob(b->remote->ctx, b->digest, b->size, &b->stream, err) < 0)
		return -1;
	size_t got = 0;
	while (got < n) {
		ssize_t k = b->remote->read_blob(b->stream, (char *)buf + got, n - got, err);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* A manifest or index of a remote store: the top one is already here. */
static int remote_manifest(const struct store *s, const char *digest, char **data, size_t *len,
                           struct hull_err *err)
{
	if (s->top_digest && !strcmp(s->top_digest, digest)) {
		*data = malloc(s->top_len + 1);
		if (!*data)
			return hull_err_nomem(err);
		memcpy(*data, s->top_data, s->top_len);
		(*data)[s->top_len] = '\0';
		*len = s->top_len;
		return 0;
	}
	char *mt = NULL, *got = NULL;
	int rc = s->remote->get_manifest(s->remote->ctx, digest, HULL_IMAGE_MAX_JSON, data, len,
	                                 &mt, &got, err);
	free(mt);
	free(got);
	return rc;
}

int store_read_json_digest(const struct store *s, const char *digest, int64_t size, bool manifest,
                           struct json_object **out, struct hull_err *err)
{
	struct blob b;
	cleanup_free char *data = NULL;
	size_t len = 0;
	char hex[65];
	if (s->kind == STORE_REMOTE && manifest) {
		if (hull_digest_parse(digest, hex, err) < 0)
			return hull_err_wrap(err, "%s", s->target);
		if (remote_manifest(s, digest, &data, &len, err) < 0)
			return -1;
	} else if (s->kind == STORE_REMOTE &&
	           cache_blob_get(s->cache, digest, HULL_IMAGE_MAX_JSON, &data, &len) == 1) {
		/* a config seen before: no request (verified below) */
	} else {
		if (store_open_digest(s, digest, &b, err) < 0)
			return -1;
		int rc = blob_read_all(&b, HULL_IMAGE_MAX_JSON, &data, &len, err);
		blob_close(&b);
		if (rc < 0)
			return -1;
		if (s->kind == STORE_REMOTE && size >= 0 && (uint64_t)size == len) {
			char sum[HULL_DIGEST_STRLEN + 1];
			if (hull_sha256_digest(data, len, sum, NULL) == 0 && !strcmp(sum, digest))
				cache_blob_put(s->cache, digest, data, len);
		}
	}
	if (size >= 0 && (uint64_t)size != len)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: blob %s is %zu bytes, its descriptor says %lld", s->target,
		                    digest, len, (long long)size);
	char got[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(data, len, got, err) < 0)
		return -1;
	if (strcmp(got, digest) != 0)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: blob %s does not match its digest (content hashes to %s)",
		                    s->target, digest, got);
	return hull_json_parse(data, len, b.name, out, err);
}
