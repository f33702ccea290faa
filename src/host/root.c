/* The audited tree: every path is opened through hull_fs_open_in_root, so
 * symlinks in a mounted image resolve inside it; and what an address's
 * exposure is. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/internal.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

int hroot_open(struct hroot *r, const char *path, struct hull_err *err)
{
	if (!path || !*path)
		path = "/";
	r->path = path;
	r->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0)
		return hull_err_errno(err, errno, "--root %s", path);
	char what[PATH_MAX + 16];
	snprintf(what, sizeof(what), "--root %s", path);
	if (hull_fs_root_usable(r->fd, what, err) < 0) {
		hroot_close(r);
		return -1;
	}
	struct stat a, b;
	r->live = fstat(r->fd, &a) == 0 && stat("/", &b) == 0 && a.st_dev == b.st_dev &&
	          a.st_ino == b.st_ino;
	return 0;
}

void hroot_close(struct hroot *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Reads to end of file: /proc and /sys files say they are empty (st_size
 * 0), so the size cannot be trusted (util/fs's reader relies on it). */
static int read_all(int fd, const char *name, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	struct hull_buf b;
	char chunk[16384];
	hull_buf_init(&b, max);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hull_buf_release(&b);
			return hull_err_errno(err, errno, "%s: read", name);
		}
		if (n == 0)
			break;
		if (hull_buf_append(&b, chunk, (size_t)n, err) < 0) {
			hull_buf_release(&b);
			return hull_err_wrap(err, "%s", name);
		}
	}
	*data = hull_buf_detach(&b, len);
	return *data ? 0 : hull_err_nomem(err);
}

int hroot_read(const struct hroot *r, const char *rel, size_t max, char **data, size_t *len,
               struct hull_err *err)
{
	struct hull_err e = {0};
	int fd = hull_fs_open_in_root(r->fd, rel, O_RDONLY | O_NOCTTY | O_NONBLOCK, &e);
	if (fd < 0) {
		if (e.errnum == ENOENT || e.errnum == ENOTDIR)
			return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: not found", rel);
		return hull_err_set(err, HULL_ERR_IO, "%s", e.msg);
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file", rel);
	}
	int rc = read_all(fd, rel, max, data, len, err);
	close(fd);
	return rc;
}

int hroot_stat(const struct hroot *r, const char *rel, struct stat *st)
{
	struct hull_err e = {0};
	int fd = hull_fs_open_in_root(r->fd, rel, O_PATH, &e);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	close(fd);
	return rc;
}

int hroot_opendir(const struct hroot *r, const char *rel)
{
	struct hull_err e = {0};
	return hull_fs_open_in_root(r->fd, rel, O_RDONLY | O_DIRECTORY, &e);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hroot_list(const struct hroot *r, const char *rel, size_t max, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	int fd = hroot_opendir(r, rel);
	if (fd < 0)
		return 0;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	size_t cap = 0;
	for (struct dirent *e; (e = readdir(d)) && *n < max;) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(*names, *n, cap, max, NULL) < 0)
			break;
		if (!((*names)[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

void hroot_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *hroot_read_trim(const struct hroot *r, const char *rel)
{
	char *data = NULL;
	size_t len = 0;
	struct hull_err e = {0};
	if (hroot_read(r, rel, 65536, &data, &len, &e) < 0)
		return NULL;
	while (len && (data[len - 1] == '\n' || data[len - 1] == ' ' || data[len - 1] == '\t'))
		data[--len] = '\0';
	return data;
}

static bool v4_in(uint32_t a, uint32_t net, int bits)
{
	uint32_t mask = bits ? ~0u << (32 - bits) : 0;
	return (a & mask) == (net & mask);
}

enum exposure host_exposure(const char *addr)
{
	unsigned char b[16];
	if (inet_pton(AF_INET, addr, b) == 1) {
		uint32_t a =
		    (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		if (a == 0)
			return EXPOSE_ALL;
		if (v4_in(a, 0x7f000000u, 8))
			return EXPOSE_LOOPBACK;
		if (v4_in(a, 0x0a000000u, 8) || v4_in(a, 0xac100000u, 12) ||
		    v4_in(a, 0xc0a80000u, 16) || v4_in(a, 0xa9fe0000u, 16) ||
		    v4_in(a, 0x64400000u, 10))
			return EXPOSE_PRIVATE;
		return EXPOSE_PUBLIC;
	}
	if (inet_pton(AF_INET6, addr, b) == 1) {
		static const unsigned char any[16], lo[16] = {[15] = 1};
		static const unsigned char mapped[12] = {[10] = 0xff, [11] = 0xff};
		if (!memcmp(b, any, 16))
			return EXPOSE_ALL;
		if (!memcmp(b, lo, 16))
			return EXPOSE_LOOPBACK;
		if (!memcmp(b, mapped, 12)) {
			char v4[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, b + 12, v4, sizeof(v4));
			return host_exposure(v4);
		}
		if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
			return EXPOSE_PRIVATE; /* ULA fc00::/7, link-local fe80::/10 */
		return EXPOSE_PUBLIC;
	}
	return EXPOSE_PUBLIC; /* a name: assume the worst */
}

const char *host_exposure_name(enum exposure e)
{
	switch (e) {
	case EXPOSE_LOOPBACK:
		return "loopback";
	case EXPOSE_PRIVATE:
		return "a private address";
	case EXPOSE_ALL:
		return "every address";
	case EXPOSE_PUBLIC:
		return "a public address";
	}
	return "?";
}
