#include "image/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

/* Entry: MAGIC, then header fields as "key value\n" lines up to a blank
 * line, then the log, then "sha256:<hex>" of everything before it. */
#define MAGIC       "hull-layer-cache 1\n"
#define ENTRY_MAX   (512u << 20)
#define SUFFIX      ".hlc"
#define BLOB_SUFFIX ".cfg" /* image configs of registry images, by digest */
#define MAX_ENTRIES 100000

struct hull_layer_cache {
	char *dir;
	uint64_t max_bytes;
	uint64_t hits, misses, stores;
};

const char *hull_layer_cache_dir(const struct hull_layer_cache *c)
{
	return c ? c->dir : NULL;
}

static int mkdir_p(const char *dir, struct hull_err *err)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return hull_err_set(err, HULL_ERR_USAGE, "cache directory name too long");
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return hull_err_errno(err, errno, "cache directory %s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return hull_err_errno(err, errno, "cache directory %s", buf);
	return 0;
}

int hull_layer_cache_open(const char *dir, uint64_t max_bytes, struct hull_layer_cache **out,
                          struct hull_err *err)
{
	*out = NULL;
	if (mkdir_p(dir, err) < 0)
		return -1;
	struct hull_layer_cache *c = calloc(1, sizeof(*c));
	if (!c || !(c->dir = strdup(dir))) {
		free(c);
		return hull_err_nomem(err);
	}
	c->max_bytes = max_bytes ? max_bytes : HULL_CACHE_DEFAULT_MAX;
	*out = c;
	return 0;
}

void hull_layer_cache_close(struct hull_layer_cache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c);
}

static void entry_path(const struct hull_layer_cache *c, const char *diff_id, char *out, size_t cap)
{
	const char *hex = strchr(diff_id, ':');
	snprintf(out, cap, "%s/%s%s", c->dir, hex ? hex + 1 : diff_id, SUFFIX);
}

/* The log depends only on the tar (named by its DiffID, which the verified
 * config vouches for) and on which paths are kept: not on how the blob is
 * compressed, so every form of an image shares one entry. */
static int header(struct hull_buf *b, const struct cache_key *k)
{
	return hull_buf_printf(b, NULL, MAGIC "diff_id %s\nkeep %u\n\n", k->diff_id,
	                       k->keep_version);
}

bool cache_has(struct hull_layer_cache *c, const struct cache_key *k)
{
	char path[4096], hex[65], got[512];
	if (!c || hull_digest_parse(k->diff_id, hex, NULL) < 0)
		return false;
	entry_path(c, k->diff_id, path, sizeof(path));
	/* the header only: an entry of another keep version is a miss */
	struct hull_buf want;
	hull_buf_init(&want, sizeof(got));
	bool has = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && header(&want, k) == 0) {
		ssize_t n = pread(fd, got, want.len, 0);
		has = n == (ssize_t)want.len && !memcmp(got, want.data, want.len);
	}
	if (fd >= 0)
		close(fd);
	hull_buf_release(&want);
	return has;
}

int cache_lookup(struct hull_layer_cache *c, const struct cache_key *k, char **log, size_t *len,
                 struct hull_err *err)
{
	char path[4096];
	char hex[65];
	*log = NULL;
	if (hull_digest_parse(k->diff_id, hex, NULL) < 0)
		return 0;
	entry_path(c, k->diff_id, path, sizeof(path));
	char *data;
	size_t n;
	struct hull_err local = {0};
	if (hull_fs_read_file(path, ENTRY_MAX, &data, &n, &local) < 0) {
		c->misses++;
		return local.kind == HULL_ERR_NOMEM ? hull_err_nomem(err) : 0;
	}
	/* the expected header must match byte for byte, then the trailer hash */
	struct hull_buf want;
	hull_buf_init(&want, 4096);
	bool hit = false;
	if (header(&want, k) == 0 && n > want.len + HULL_DIGEST_STRLEN &&
	    !memcmp(data, want.data, want.len)) {
		char sum[HULL_DIGEST_STRLEN + 1];
		size_t body = n - HULL_DIGEST_STRLEN;
		if (hull_sha256_digest(data, body, sum, NULL) == 0 &&
		    !memcmp(sum, data + body, HULL_DIGEST_STRLEN)) {
			hit = true;
			memmove(data, data + want.len, body - want.len);
			*len = body - want.len;
		}
	}
	hull_buf_release(&want);
	if (!hit) {
		free(data);
		unlink(path); /* damaged, or for another keep version: rebuilt on store */
		c->misses++;
		return 0;
	}
	utimensat(AT_FDCWD, path, NULL, 0); /* most recently used */
	*log = data;
	c->hits++;
	return 1;
}

struct entry {
	char name[128];
	off_t size;
	struct timespec mtime;
};

static int by_age(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	return (x->mtime.tv_nsec > y->mtime.tv_nsec) - (x->mtime.tv_nsec < y->mtime.tv_nsec);
}

/* Lists the entries; the caller frees *out. */
static int list_entries(const struct hull_layer_cache *c, struct entry **out, size_t *count,
                        uint64_t *bytes, struct hull_err *err)
{
	*out = NULL;
	*count = 0;
	*bytes = 0;
	cleanup_dir DIR *d = opendir(c->dir);
	if (!d)
		return hull_err_errno(err, errno, "%s", c->dir);
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name);
		struct stat st;
		if (nl < sizeof(SUFFIX) || nl >= sizeof((*out)->name) ||
		    (strcmp(de->d_name + nl - strlen(SUFFIX), SUFFIX) &&
		     strcmp(de->d_name + nl - strlen(BLOB_SUFFIX), BLOB_SUFFIX)) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(*out, *count, cap, MAX_ENTRIES, err) < 0)
			return -1;
		struct entry *e = &(*out)[(*count)++];
		memcpy(e->name, de->d_name, nl + 1);
		e->size = st.st_size;
		e->mtime = st.st_mtim;
		*bytes += (uint64_t)st.st_size;
	}
	return 0;
}

static void evict(struct hull_layer_cache *c)
{
	struct entry *e;
	size_t n;
	uint64_t bytes;
	if (list_entries(c, &e, &n, &bytes, NULL) < 0 || bytes <= c->max_bytes) {
		free(e);
		return;
	}
	qsort(e, n, sizeof(*e), by_age);
	for (size_t i = 0; i < n && bytes > c->max_bytes; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", c->dir, e[i].name);
		if (unlink(path) == 0)
			bytes -= (uint64_t)e[i].size;
	}
	free(e);
}

void cache_store(struct hull_layer_cache *c, const struct cache_key *k, const struct hull_buf *log)
{
	char path[4096], hex[65];
	if (hull_digest_parse(k->diff_id, hex, NULL) < 0 || log->len > ENTRY_MAX / 2 ||
	    log->len + 4096 > c->max_bytes)
		return;
	struct hull_buf b;
	hull_buf_init(&b, ENTRY_MAX);
	char sum[HULL_DIGEST_STRLEN + 1];
	if (header(&b, k) == 0 && hull_buf_append(&b, log->data, log->len, NULL) == 0 &&
	    hull_sha256_digest(b.data, b.len, sum, NULL) == 0 &&
	    hull_buf_append(&b, sum, HULL_DIGEST_STRLEN, NULL) == 0) {
		entry_path(c, k->diff_id, path, sizeof(path));
		if (hull_fs_write_atomic(path, b.data, b.len, NULL) == 0) {
			chmod(path, 0600);
			c->stores++;
		}
	}
	hull_buf_release(&b);
	evict(c);
}

/* Configs are content-addressed: the reader checks the digest of what it
 * gets, so a damaged entry is only a miss (and is replaced). */
int cache_blob_get(struct hull_layer_cache *c, const char *digest, size_t max, char **data,
                   size_t *len)
{
	char hex[65], path[4096];
	if (!c || hull_digest_parse(digest, hex, NULL) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s%s", c->dir, hex, BLOB_SUFFIX);
	struct hull_err local = {0};
	if (hull_fs_read_file(path, max, data, len, &local) < 0)
		return 0;
	char got[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(*data, *len, got, NULL) < 0 || strcmp(got, digest)) {
		free(*data);
		*data = NULL;
		unlink(path);
		return 0;
	}
	utimensat(AT_FDCWD, path, NULL, 0);
	return 1;
}

void cache_blob_put(struct hull_layer_cache *c, const char *digest, const char *data, size_t len)
{
	char hex[65], path[4096];
	if (!c || hull_digest_parse(digest, hex, NULL) < 0 || len > (1u << 20))
		return;
	snprintf(path, sizeof(path), "%s/%s%s", c->dir, hex, BLOB_SUFFIX);
	if (hull_fs_write_atomic(path, data, len, NULL) == 0)
		chmod(path, 0600);
}

int hull_layer_cache_info(struct hull_layer_cache *c, struct hull_cache_info *info,
                          struct hull_err *err)
{
	struct entry *e;
	size_t n;
	uint64_t bytes;
	if (list_entries(c, &e, &n, &bytes, err) < 0) {
		free(e);
		return -1;
	}
	free(e);
	*info = (struct hull_cache_info){.entries = n,
	                                 .bytes = bytes,
	                                 .max_bytes = c->max_bytes,
	                                 .hits = c->hits,
	                                 .misses = c->misses,
	                                 .stores = c->stores};
	return 0;
}

int hull_layer_cache_clean(struct hull_layer_cache *c, struct hull_err *err)
{
	struct entry *e;
	size_t n;
	uint64_t bytes;
	if (list_entries(c, &e, &n, &bytes, err) < 0) {
		free(e);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", c->dir, e[i].name);
		if (unlink(path) < 0 && errno != ENOENT) {
			rc = hull_err_errno(err, errno, "%s", path);
			break;
		}
	}
	free(e);
	return rc;
}
