#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/mem.h"

int hull_fs_read_fd(int fd, const char *name, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_err_errno(err, errno, "%s", name);
	if (!S_ISREG(st.st_mode))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file", name);
	if ((unsigned long long)st.st_size > max)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "%s: file of %lld bytes exceeds limit of %zu", name,
		                    (long long)st.st_size, max);
	/* st_size is a hint: /proc and /sys files say 0 and have content */
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, got = 0;
	char *p = malloc(cap);
	if (!p)
		return hull_err_nomem(err);
	for (;;) {
		if (got + 1 >= cap) {
			if (cap > max) {
				free(p);
				return hull_err_set(err, HULL_ERR_LIMIT,
				                    "%s: more than the limit of %zu bytes", name,
				                    max);
			}
			size_t ncap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			char *q = realloc(p, ncap);
			if (!q) {
				free(p);
				return hull_err_nomem(err);
			}
			p = q;
			cap = ncap;
		}
		ssize_t n = read(fd, p + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(p);
			return hull_err_errno(err, errno, "%s: read", name);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > max) {
		free(p);
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: more than the limit of %zu bytes",
		                    name, max);
	}
	p[got] = '\0';
	*data = p;
	*len = got;
	return 0;
}

int hull_fs_read_file(const char *path, size_t max, char **data, size_t *len, struct hull_err *err)
{
	/* O_NONBLOCK: opening a FIFO with no writer would wait forever; it is
	 * then refused as not a regular file, a regular file reads as usual */
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", path);
	return hull_fs_read_fd(fd, path, max, data, len, err);
}

int hull_fs_pread_full(int fd, void *buf, size_t n, off_t off, const char *name,
                       struct hull_err *err)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return hull_err_errno(err, errno, "%s: read at offset %lld", name,
			                      (long long)(off + (off_t)got));
		if (r == 0)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: truncated: %zu bytes missing at offset %lld", name,
			                    n - got, (long long)(off + (off_t)got));
		got += (size_t)r;
	}
	return 0;
}

int hull_fs_open_in_root(int rootfd, const char *rel, int flags, struct hull_err *err)
{
	while (*rel == '/')
		rel++;
	if (*rel == '\0')
		rel = ".";
	struct open_how how = {
	    .flags = (unsigned long long)(flags | O_CLOEXEC),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == EXDEV) {
		/* crossing a mount point is fine for a live "/" */
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	}
	if (fd < 0 && errno == ENOSYS) {
		hull_err_set(err, HULL_ERR_IO,
		             "%s: openat2(2) is not available (Linux 5.6 or later needed)", rel);
		if (err)
			err->errnum = ENOSYS;
		return -1;
	}
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", rel);
	return (int)fd;
}

int hull_fs_root_usable(int rootfd, const char *what, struct hull_err *err)
{
	struct hull_err e = {0};
	int fd = hull_fs_open_in_root(rootfd, ".", O_PATH, &e);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (e.errnum == ENOSYS)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: cannot be read safely here: openat2(2) is not available "
		                    "(Linux 5.6 or later, and a seccomp profile that allows it, "
		                    "are needed to open paths inside a tree without following a "
		                    "symlink out of it)",
		                    what);
	return hull_err_set(err, e.kind ? e.kind : HULL_ERR_IO, "%s: %s", what, e.msg);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A device or FIFO (`-o /dev/null`, a pipe) is written in place: renaming a
 * file over it would replace the device itself. */
static int write_in_place(const char *path, const void *data, size_t len, struct hull_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s: open", path);
	if (write_all(fd, data, len) < 0) {
		int e = errno;
		close(fd);
		return hull_err_errno(err, e, "%s: write", path);
	}
	if (close(fd) < 0)
		return hull_err_errno(err, errno, "%s: write", path);
	return 0;
}

/* A failed write: the temporary file goes, errno (e) is reported. */
static int write_failed(int fd, const char *tmp, const char *path, int e, struct hull_err *err)
{
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return hull_err_errno(err, e, "%s: write", path);
}

int hull_fs_write_atomic(const char *path, const void *data, size_t len, struct hull_err *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len, err);
	cleanup_free char *dircopy = strdup(path);
	cleanup_free char *tmp = NULL;
	if (!dircopy || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dircopy),
	                         strrchr(path, '/') ? strrchr(path, '/') + 1 : path) < 0)
		return hull_err_nomem(err);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s: cannot create temporary file", path);
	if (write_all(fd, data, len) < 0)
		return write_failed(fd, tmp, path, errno, err);
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		return write_failed(fd, tmp, path, errno, err);
	if (close(fd) < 0)
		return write_failed(-1, tmp, path, errno, err);
	if (rename(tmp, path) < 0)
		return write_failed(-1, tmp, path, errno, err);
	return 0;
}
