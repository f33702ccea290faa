/* walk: the files of a directory tree, in a stable order, within limits,
 * and nothing left out without saying so.
 *
 * hull_walk reads a directory and the directories below it depth first,
 * the entries of each directory sorted by name (bytewise), so that reports
 * never depend on readdir order. Names starting with '.' and the names in
 * opts->ignore are never read (on purpose: no report). Every other entry
 * that the walk does not read is reported to opts->skip with why:
 *
 *   HULL_ERR_IO      a directory that cannot be opened or read, an entry
 *                    that cannot be stat'ed (errnum says why)
 *   HULL_ERR_LIMIT   a directory deeper than max_depth below the root, a
 *                    path longer than HULL_WALK_PATH_MAX, a directory of
 *                    more than max_entries entries (the rest is not read)
 *   HULL_ERR_INPUT   a symbolic link (not followed unless opts->follow),
 *                    an entry opts->want names that is not a regular file
 *                    (FIFO, socket, device)
 *   HULL_ERR_NOMEM   out of memory (the directory is not read)
 *
 * A regular file is handed to opts->file when opts->want accepts its name.
 * Limits: max_depth and max_entries are required (non-zero); memory is one
 * directory's names per level, at most max_depth + 1 levels. */
#ifndef HULL_UTIL_WALK_H
#define HULL_UTIL_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "util/err.h"

#define HULL_WALK_PATH_MAX 4096 /* bytes of a path, its NUL included */

struct hull_walk_entry {
	const char *name;
	struct stat st; /* lstat (stat with follow); zeroed when that failed */
	int error;      /* errno of a failed lstat / stat, else 0 */
};

/* One directory being walked: its path and its entries, sorted, the
 * ignored names left out. Borrowed for the callback's duration. */
struct hull_walk_dir {
	const char *path;
	const struct hull_walk_entry *entries;
	size_t n;
	unsigned depth; /* 0 for the root */
};

struct hull_walk_opts {
	unsigned max_depth;        /* directories deeper than this below the root are not read */
	size_t max_entries;        /* entries read in one directory */
	bool follow;               /* follow symbolic links */
	const char *const *ignore; /* NULL-terminated names never read; may be NULL */
	/* Whether a regular file is input, by name; NULL: every file. */
	bool (*want)(const char *name);
	/* A wanted regular file: path is dir->path + "/" + its name, and
	 * dir->entries[i] its entry. A negative return stops the walk. */
	int (*file)(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
	            struct hull_err *err);
	/* An entry not read: why->msg names its path and the reason, why->kind
	 * is one of the above. A negative return stops the walk. */
	int (*skip)(void *ctx, const struct hull_err *why, struct hull_err *err);
	void *ctx;
};

/* Walks the directory root. Returns 0, or the negative return of a
 * callback (which set err). */
int hull_walk(const char *root, const struct hull_walk_opts *opts, struct hull_err *err);

#endif
