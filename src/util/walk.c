/* walk: a bounded, sorted directory walk that reports what it skips (see
 * walk.h). */
#include "util/walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define SHOWN_MAX 120 /* bytes of a path in a message */

struct walker {
	const struct hull_walk_opts *o;
	struct hull_err *err;
	char path[HULL_WALK_PATH_MAX]; /* the directory being read */
	size_t len;
	char file[HULL_WALK_PATH_MAX]; /* a file handed to o->file */
};

/* path as messages show it: a path of thousands of bytes would push the
 * reason out of the message, so a long one keeps its two ends. */
static const char *shown(const char *path, char buf[SHOWN_MAX])
{
	size_t len = strlen(path), half = (SHOWN_MAX - 4) / 2;
	if (len < SHOWN_MAX)
		return path;
	snprintf(buf, SHOWN_MAX, "%.*s...%s", (int)half, path, path + len - half + 1);
	return buf;
}

/* Reports one skipped entry; returns the skip callback's verdict. */
__attribute__((format(printf, 4, 5))) static int skipped(struct walker *w, enum hull_err_kind kind,
                                                         int errnum, const char *fmt, ...)
{
	struct hull_err why = {0};
	char msg[HULL_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (errnum)
		hull_err_errno(&why, errnum, "%s", msg);
	else
		hull_err_set(&why, kind, "%s", msg);
	why.kind = kind; /* the contract in walk.h; errnum keeps the detail */
	return w->o->skip ? w->o->skip(w->o->ctx, &why, w->err) : 0;
}

/* out[cap] = dir "/" name, cut at cap - 1 bytes; true when nothing was
 * cut. */
static bool join(char *out, size_t cap, const char *dir, size_t dl, const char *name)
{
	size_t nl = strlen(name), room = cap - 1;
	size_t a = dl < room ? dl : room;
	memcpy(out, dir, a);
	if (a < room)
		out[a++] = '/';
	size_t b = nl < room - a ? nl : room - a;
	memcpy(out + a, name, b);
	out[a + b] = '\0';
	return dl + 1 + nl <= room;
}

static bool ignored(const struct hull_walk_opts *o, const char *name)
{
	if (name[0] == '.')
		return true;
	for (const char *const *p = o->ignore; p && *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct hull_walk_entry *)a)->name,
	              ((const struct hull_walk_entry *)b)->name);
}

struct listing {
	struct hull_walk_entry *v;
	size_t n, cap;
};

static void listing_release(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->v[i].name);
	free(l->v);
}

/* Adds name; 1 when the directory has more entries than allowed. */
static int add_name(struct walker *w, struct listing *l, const char *name)
{
	if (l->n == w->o->max_entries)
		return 1;
	struct hull_err e = {0};
	if (HULL_ARRAY_PUSH_ROOM(l->v, l->n, l->cap, w->o->max_entries, &e) < 0)
		return -1;
	struct hull_walk_entry *en = &l->v[l->n];
	memset(en, 0, sizeof(*en));
	if (!(en->name = strdup(name)))
		return -1;
	l->n++;
	return 0;
}

/* The entries of w->path, sorted; 0 with nothing read when it was skipped
 * (and reported), -1 when the skip callback stopped the walk. */
static int list_dir(struct walker *w, struct listing *l)
{
	char sb[SHOWN_MAX];
	DIR *d = opendir(w->path);
	if (!d) {
		int e = errno;
		return skipped(w, HULL_ERR_IO, e, "%s", shown(w->path, sb));
	}
	int rc = 0;
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			int en = errno;
			if (en)
				rc = skipped(w, HULL_ERR_IO, en, "%s: reading the directory",
				             shown(w->path, sb));
			break;
		}
		if (ignored(w->o, e->d_name))
			continue;
		int added = add_name(w, l, e->d_name);
		if (added > 0) {
			rc = skipped(w, HULL_ERR_LIMIT, 0,
			             "%s: more than %zu entries, the rest is not read",
			             shown(w->path, sb), w->o->max_entries);
			break;
		}
		if (added < 0) {
			listing_release(l);
			*l = (struct listing){0};
			rc = skipped(w, HULL_ERR_NOMEM, 0, "%s: out of memory, not read",
			             shown(w->path, sb));
			break;
		}
	}
	closedir(d);
	if (l->n) /* an empty folder: l->v is NULL, which qsort may not take */
		qsort(l->v, l->n, sizeof(*l->v), cmp_entries);
	return rc;
}

/* lstat (stat) of every entry, errors kept for the report in order. */
static void stat_all(struct walker *w, struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct hull_walk_entry *e = &l->v[i];
		char path[HULL_WALK_PATH_MAX];
		if (!join(path, sizeof(path), w->path, w->len, e->name))
			continue; /* visit reports the length */
		int rc = w->o->follow ? stat(path, &e->st) : lstat(path, &e->st);
		if (rc < 0) {
			e->error = errno ? errno : EIO;
			memset(&e->st, 0, sizeof(e->st));
		}
	}
}

static int walk_dir(struct walker *w, unsigned depth);

/* Recurses into the directory entry at w->file. */
static int descend(struct walker *w, const struct hull_walk_dir *dir, size_t nl)
{
	char sb[SHOWN_MAX];
	if (dir->depth + 1 > w->o->max_depth)
		return skipped(w, HULL_ERR_LIMIT, 0,
		               "%s: directory nested more than %u deep, not read",
		               shown(w->file, sb), w->o->max_depth);
	size_t len = w->len;
	memcpy(w->path + len, w->file + len, nl + 2); /* "/name" and its NUL */
	w->len += 1 + nl;
	int rc = walk_dir(w, dir->depth + 1);
	w->len = len;
	w->path[len] = '\0';
	return rc;
}

/* One entry of the directory in w->path. */
static int visit(struct walker *w, const struct hull_walk_dir *dir, size_t i)
{
	const struct hull_walk_entry *e = &dir->entries[i];
	size_t nl = strlen(e->name);
	char sb[SHOWN_MAX];
	if (!join(w->file, sizeof(w->file), w->path, w->len, e->name)) {
		char full[HULL_WALK_PATH_MAX + NAME_MAX + 2];
		join(full, sizeof(full), w->path, w->len, e->name);
		return skipped(w, HULL_ERR_LIMIT, 0, "%s: path longer than %d bytes, not read",
		               shown(full, sb), HULL_WALK_PATH_MAX - 1);
	}
	mode_t m = e->st.st_mode;
	if (e->error)
		return skipped(w, HULL_ERR_IO, e->error, "%s", shown(w->file, sb));
	if (S_ISDIR(m))
		return descend(w, dir, nl);
	bool want = !w->o->want || w->o->want(e->name);
	if (S_ISREG(m))
		return want ? w->o->file(w->o->ctx, w->file, dir, i, w->err) : 0;
	if (S_ISLNK(m))
		return skipped(w, HULL_ERR_INPUT, 0, "%s: symbolic link, not followed",
		               shown(w->file, sb));
	return want ? skipped(w, HULL_ERR_INPUT, 0, "%s: not a regular file, not read",
	                      shown(w->file, sb))
	            : 0;
}

static int walk_dir(struct walker *w, unsigned depth)
{
	struct listing l = {0};
	int rc = list_dir(w, &l);
	stat_all(w, &l);
	struct hull_walk_dir dir = {.path = w->path, .entries = l.v, .n = l.n, .depth = depth};
	for (size_t i = 0; rc >= 0 && i < l.n; i++)
		rc = visit(w, &dir, i);
	listing_release(&l);
	return rc < 0 ? rc : 0;
}

int hull_walk(const char *root, const struct hull_walk_opts *opts, struct hull_err *err)
{
	cleanup_free struct walker *w = calloc(1, sizeof(*w));
	if (!w)
		return hull_err_nomem(err);
	w->o = opts;
	w->err = err;
	w->len = strlen(root);
	if (w->len >= sizeof(w->path)) {
		char sb[SHOWN_MAX];
		return skipped(w, HULL_ERR_LIMIT, 0, "%s: path longer than %d bytes, not read",
		               shown(root, sb), HULL_WALK_PATH_MAX - 1);
	}
	memcpy(w->path, root, w->len + 1);
	return walk_dir(w, 0);
}
