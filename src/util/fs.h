/* fs: reading files with size caps, opening paths confined to a root, and
 * atomic writes.
 *
 * hull_fs_open_in_root resolves every component (symlinks included) as if
 * root were "/", so nothing under an untrusted tree can lead outside it. */
#ifndef HULL_UTIL_FS_H
#define HULL_UTIL_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* Reads a whole regular file of at most max bytes. *data is malloc'ed,
 * NUL-terminated, owned by the caller. */
int hull_fs_read_file(const char *path, size_t max, char **data, size_t *len, struct hull_err *err);
/* Same, from an open descriptor; `name` is used in messages. */
int hull_fs_read_fd(int fd, const char *name, size_t max, char **data, size_t *len,
                    struct hull_err *err);

/* Reads exactly n bytes at offset off; a short file is an error. */
int hull_fs_pread_full(int fd, void *buf, size_t n, off_t off, const char *name,
                       struct hull_err *err);

/* Opens rel (relative; a leading '/' is ignored) under the directory rootfd
 * with every symlink resolved inside that root. Returns an fd or -1. */
int hull_fs_open_in_root(int rootfd, const char *rel, int flags, struct hull_err *err);

/* Whether hull_fs_open_in_root works on this system: it needs openat2(2)
 * (Linux 5.6 or later, allowed by the seccomp profile hull runs under).
 * An opener of a tree calls this first, so that a tree is refused rather
 * than read some other way, or taken for something else because nothing
 * in it could be opened. 0, or -1 with a message naming `what`. */
int hull_fs_root_usable(int rootfd, const char *what, struct hull_err *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename. On failure the previous file, if any, is untouched. A path
 * that is a device or FIFO (/dev/null, a pipe) is written in place. */
int hull_fs_write_atomic(const char *path, const void *data, size_t len, struct hull_err *err);

#endif
