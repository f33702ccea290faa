#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "image/internal.h"
#include "util/fs.h"
#include "util/mem.h"
#include "util/str.h"

#define MAX_DEPTH 128
#define PATH_CAP  4096

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

struct walk {
	const struct hull_image_opts *opts;
	struct hull_fileset *files;
	struct hull_diag *diag;
	const char *root;
	size_t warned;
};

/* Kernel pseudo-filesystems of a live "/" hold no packages. */
static bool pseudo_fs(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
		return true;
	default:
		return false;
	}
}

static void warn(struct walk *w, const char *path, const char *what, int e)
{
	if (w->warned++ < 20)
		hull_diag_warn(w->diag, "%s: %s: %s: %s", w->root, path, what, strerror(e));
}

static int keep_file(struct walk *w, int dirfd, const char *name, const char *path,
                     const struct stat *st, enum hull_keep keep, struct hull_err *err)
{
	if ((uint64_t)st->st_size > HULL_FILESET_MAX_FILE ||
	    hull_fileset_bytes(w->files) + (uint64_t)st->st_size > HULL_FILESET_MAX_BYTES) {
		hull_diag_warn(w->diag, "%s: %s: %lld bytes, over the kept-file limits; not read",
		               w->root, path, (long long)st->st_size);
		return 0;
	}
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		warn(w, path, "cannot open", errno);
		return 0;
	}
	char *data;
	size_t len;
	struct hull_err local = {0};
	if (hull_fs_read_fd(fd, path, HULL_FILESET_MAX_FILE, &data, &len, &local) < 0) {
		if (local.kind == HULL_ERR_NOMEM)
			return hull_err_nomem(err);
		hull_diag_warn(w->diag, "%s: %s", w->root, local.msg);
		return 0;
	}
	return hull_fileset_put_file(w->files, path, data, len, st->st_mode & 07777,
	                             HULL_LAYER_NONE, keep, err);
}

/* In a directory (a live "/" holds millions of files) only executables and
 * files named like archives are opened to look at their first bytes:
 * reading the first block of every file costs more than the whole scan.
 * An image layer's files go through the probe whatever their name and
 * mode (their bytes are decompressed anyway). */
static bool probe_candidate(const char *name, const struct stat *st)
{
	static const char *const ext[] = {".jar", ".war", ".ear", ".rar", ".sar", ".par",
	                                  ".kar", ".hpi", ".jpi", ".zip", ".bin"};
	if (st->st_mode & 0111)
		return true;
	return hull_str_name_has_ext(name, ext, sizeof(ext) / sizeof(ext[0]));
}

/* A HULL_KEEP_PROBE file: the first bytes decide; a wanted file is mapped
 * (only the pages the probe touches are read) and its digest kept. */
static int probe_file(struct walk *w, int dirfd, const char *name, const char *path,
                      const struct stat *st, struct hull_err *err)
{
	const struct hull_content_probe *pr = w->opts->probe;
	if (!pr || st->st_size <= 0 || !probe_candidate(name, st))
		return 0;
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		warn(w, path, "cannot open", errno);
		return 0;
	}
	char head[HULL_PROBE_HEAD];
	size_t hn = (uint64_t)st->st_size < sizeof(head) ? (size_t)st->st_size : sizeof(head);
	ssize_t got = pread(fd, head, hn, 0);
	if (got != (ssize_t)hn || !pr->wants(head, hn, (unsigned long long)st->st_size))
		return 0;
	if ((uint64_t)st->st_size > HULL_PROBE_MAX_FILE) {
		hull_diag_warn(w->diag,
		               "%s: %s: %lld bytes, over the %u-byte limit for executables and "
		               "archives; not read",
		               w->root, path, (long long)st->st_size, HULL_PROBE_MAX_FILE);
		return 0;
	}
	size_t len = (size_t)st->st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		warn(w, path, "cannot map", errno);
		return 0;
	}
	char *dig = NULL;
	size_t diglen = 0;
	/* a file truncated while mapped would fault: the walk reads trees
	 * that are not changing (an image root, a checkout) */
	int rc = pr->digest(path, map, len, &dig, &diglen, err);
	munmap(map, len);
	if (rc < 0 || !dig)
		return rc < 0 ? -1 : 0;
	return hull_fileset_put_file(w->files, path, dig, diglen, st->st_mode & 07777,
	                             HULL_LAYER_NONE, HULL_KEEP_LAST, err);
}

static int walk_dir(struct walk *w, int dirfd, char *path, size_t len, int depth,
                    struct hull_err *err);

static int visit(struct walk *w, int dirfd, const char *name, char *path, size_t len, int depth,
                 struct hull_err *err)
{
	size_t n = strlen(name);
	if (len + n + 2 > PATH_CAP) {
		hull_diag_warn(w->diag, "%s: %s/%s: path too long; skipped", w->root, path, name);
		return 0;
	}
	size_t sub = len;
	if (len)
		path[sub++] = '/';
	memcpy(path + sub, name, n + 1);
	sub += n;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		warn(w, path, "stat", errno);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth >= MAX_DEPTH) {
			hull_diag_warn(w->diag, "%s: %s: deeper than %d levels; skipped", w->root,
			               path, MAX_DEPTH);
			return 0;
		}
		cleanup_close int fd =
		    openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			warn(w, path, "cannot open directory", errno);
			return 0;
		}
		if (pseudo_fs(fd))
			return 0;
		return walk_dir(w, fd, path, sub, depth + 1, err);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_CAP];
		ssize_t t = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (t < 0) {
			warn(w, path, "readlink", errno);
			return 0;
		}
		target[t] = '\0';
		return hull_fileset_put_symlink(w->files, path, target, HULL_LAYER_NONE, err);
	}
	enum hull_keep keep = w->opts->keep(path, w->opts->keep_ctx);
	if (!S_ISREG(st.st_mode)) {
		/* a FIFO or device where a package database should be would
		 * otherwise read as "nothing installed" */
		if (keep == HULL_KEEP_LAST || keep == HULL_KEEP_HISTORY)
			hull_diag_warn(w->diag, "%s: %s: %s, not a regular file; not read", w->root,
			               path,
			               S_ISFIFO(st.st_mode)   ? "a FIFO"
			               : S_ISSOCK(st.st_mode) ? "a socket"
			                                      : "a device");
		return 0;
	}
	if (keep == HULL_KEEP_NO)
		return 0;
	if (keep == HULL_KEEP_PROBE)
		return probe_file(w, dirfd, name, path, &st, err);
	return keep_file(w, dirfd, name, path, &st, keep, err);
}

static int walk_dir(struct walk *w, int dirfd, char *path, size_t len, int depth,
                    struct hull_err *err)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		warn(w, len ? path : "/", "cannot read directory", errno);
		return 0;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = visit(w, dirfd, de->d_name, path, len, depth, err);
		path[len] = '\0';
	}
	closedir(d);
	return rc;
}

int rootfs_read(struct hull_image *img, const char *dir, const struct hull_image_opts *opts,
                struct hull_diag *diag, struct hull_err *err)
{
	cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", dir);
	struct walk w = {.opts = opts, .files = img->files, .diag = diag, .root = dir};
	char path[PATH_CAP] = "";
	if (walk_dir(&w, fd, path, 0, 0, err) < 0)
		return hull_err_wrap(err, "%s", dir);
	if (w.warned > 20)
		hull_diag_warn(diag, "%s: %zu more unreadable paths", dir, w.warned - 20);
	return 0;
}
