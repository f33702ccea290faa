#include "image/fileset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/mem.h"

#define MAX_SYMLINK_HOPS 40
#define PATH_MAX_LEN     4096

enum entry_type { ENTRY_FILE, ENTRY_SYMLINK };

struct entry {
	enum entry_type type;
	char *path;
	char *target; /* symlinks */
	int layer;
	struct hull_file file;              /* files: file.path == path */
	struct hull_file_version *versions; /* owned data of every version */
	size_t nversions, capversions;
	bool history; /* HULL_KEEP_HISTORY: expose versions */
	bool dead;
};

/* Dead entries (whited out, dropped) stay in the index until there are as
 * many as live ones (plus PURGE_SLACK): then they are freed at once. */
#define PURGE_SLACK 1024u

struct hull_fileset {
	struct hull_hash index; /* path -> entry, live or dead */
	size_t nlive;
	size_t bytes;
	struct hull_file **sorted;
	size_t nsorted;
};

static uint64_t hash_path(const char *s)
{
	return hull_hash_bytes(s, strlen(s));
}

static bool path_is(const void *val, const void *key, const void *ctx)
{
	(void)ctx;
	return strcmp(((const struct entry *)val)->path, key) == 0;
}

struct hull_fileset *hull_fileset_new(void)
{
	struct hull_fileset *fs = calloc(1, sizeof(struct hull_fileset));
	if (fs)
		hull_hash_init(&fs->index, 2 * (size_t)HULL_FILESET_MAX_PATHS + PURGE_SLACK + 1);
	return fs;
}

static void entry_clear_content(struct hull_fileset *fs, struct entry *e)
{
	for (size_t i = 0; i < e->nversions; i++) {
		fs->bytes -= e->versions[i].len;
		free((char *)e->versions[i].data);
	}
	free(e->versions);
	e->versions = NULL;
	e->nversions = e->capversions = 0;
	free(e->target);
	e->target = NULL;
	e->history = false;
	memset(&e->file, 0, sizeof(e->file));
}

static void entry_free(struct hull_fileset *fs, struct entry *e)
{
	entry_clear_content(fs, e);
	free(e->path);
	free(e);
}

void hull_fileset_free(struct hull_fileset *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->index.cap; i++)
		if (fs->index.slots[i].val)
			entry_free(fs, fs->index.slots[i].val);
	hull_hash_release(&fs->index);
	free(fs->sorted);
	free(fs);
}

/* The entry at path, live or dead, or NULL. */
static struct entry *find(const struct hull_fileset *fs, const char *path)
{
	return hull_hash_get(&fs->index, hash_path(path), path_is, path, NULL);
}

static struct entry *lookup(const struct hull_fileset *fs, const char *path)
{
	struct entry *e = find(fs, path);
	return e && !e->dead ? e : NULL;
}

static bool keep_live(void *val, void *ctx)
{
	struct entry *e = val;
	if (!e->dead)
		return true;
	entry_free(ctx, e);
	return false;
}

/* The live entry at path, created empty when absent. */
static struct entry *get_or_create(struct hull_fileset *fs, const char *path, struct hull_err *err)
{
	struct entry *e = find(fs, path);
	if (e) {
		if (e->dead) {
			e->dead = false;
			fs->nlive++;
		}
		return e;
	}
	if (fs->nlive >= HULL_FILESET_MAX_PATHS) {
		hull_err_set(err, HULL_ERR_LIMIT, "more than %u kept paths",
		             HULL_FILESET_MAX_PATHS);
		return NULL;
	}
	if (fs->index.n - fs->nlive >= fs->nlive + PURGE_SLACK)
		hull_hash_filter(&fs->index, keep_live, fs);
	e = calloc(1, sizeof(*e));
	if (!e || !(e->path = strdup(path))) {
		free(e);
		hull_err_nomem(err);
		return NULL;
	}
	if (hull_hash_add(&fs->index, hash_path(path), e, err) < 0) {
		entry_free(fs, e);
		return NULL;
	}
	fs->nlive++;
	return e;
}

static void kill_entry(struct hull_fileset *fs, struct entry *e)
{
	entry_clear_content(fs, e);
	e->dead = true;
	fs->nlive--;
}

void hull_fileset_drop(struct hull_fileset *fs, const char *path)
{
	struct entry *e = lookup(fs, path);
	if (e)
		kill_entry(fs, e);
}

static void refresh_file_view(struct entry *e)
{
	struct hull_file_version *last = &e->versions[e->nversions - 1];
	e->file.path = e->path;
	e->file.data = last->data;
	e->file.len = last->len;
	e->file.layer = last->layer;
	e->layer = last->layer;
	e->file.versions = e->history ? e->versions : NULL;
	e->file.nversions = e->file.versions ? e->nversions : 0;
}

int hull_fileset_put_file(struct hull_fileset *fs, const char *path, char *data, size_t len,
                          unsigned mode, int layer, enum hull_keep keep, struct hull_err *err)
{
	if (keep == HULL_KEEP_NO) {
		free(data);
		hull_fileset_drop(fs, path);
		return 0;
	}
	struct entry *e = get_or_create(fs, path, err);
	if (!e) {
		free(data);
		return -1;
	}
	if (keep == HULL_KEEP_HISTORY && e->type == ENTRY_FILE && e->nversions) {
		/* a layer rewriting its own file replaces its version */
		struct hull_file_version *last = &e->versions[e->nversions - 1];
		if (last->layer == layer) {
			fs->bytes -= last->len;
			free((char *)last->data);
			e->nversions--;
		}
	} else {
		entry_clear_content(fs, e);
	}
	e->type = ENTRY_FILE;
	size_t want = e->nversions + 1;
	if (hull_array_grow((void **)&e->versions, &e->capversions, want, sizeof(*e->versions),
	                    SIZE_MAX / sizeof(*e->versions), err) < 0) {
		free(data);
		kill_entry(fs, e);
		return -1;
	}
	e->history = keep == HULL_KEEP_HISTORY;
	data[len] = '\0';
	e->versions[e->nversions++] = (struct hull_file_version){data, len, layer};
	fs->bytes += len;
	e->file.mode = mode;
	refresh_file_view(e);
	return 0;
}

int hull_fileset_put_symlink(struct hull_fileset *fs, const char *path, const char *target,
                             int layer, struct hull_err *err)
{
	struct entry *e = get_or_create(fs, path, err);
	if (!e)
		return -1;
	entry_clear_content(fs, e);
	e->type = ENTRY_SYMLINK;
	e->layer = layer;
	e->target = strdup(target);
	if (!e->target) {
		kill_entry(fs, e);
		return hull_err_nomem(err);
	}
	return 0;
}

int hull_fileset_put_hardlink(struct hull_fileset *fs, const char *path, const char *target,
                              int layer, enum hull_keep keep, struct hull_err *err)
{
	struct entry *src = lookup(fs, target);
	if (keep == HULL_KEEP_NO || !src || src->type != ENTRY_FILE) {
		hull_fileset_drop(fs, path);
		return keep == HULL_KEEP_NO ? 0 : 1;
	}
	char *copy = malloc(src->file.len + 1);
	if (!copy)
		return hull_err_nomem(err);
	memcpy(copy, src->file.data, src->file.len);
	return hull_fileset_put_file(fs, path, copy, src->file.len, src->file.mode, layer, keep,
	                             err);
}

static bool is_below(const char *path, const char *dir, size_t dirlen)
{
	if (dirlen == 0)
		return true; /* the root */
	return strncmp(path, dir, dirlen) == 0 && path[dirlen] == '/';
}

static void remove_under(struct hull_fileset *fs, const char *dir, int layer, bool self)
{
	size_t dirlen = strlen(dir);
	for (size_t i = 0; i < fs->index.cap; i++) {
		struct entry *e = fs->index.slots[i].val;
		if (!e || e->dead || e->layer >= layer)
			continue;
		if ((self && strcmp(e->path, dir) == 0) || is_below(e->path, dir, dirlen))
			kill_entry(fs, e);
	}
}

void hull_fileset_whiteout(struct hull_fileset *fs, const char *path, int layer)
{
	remove_under(fs, path, layer, true);
}

void hull_fileset_opaque(struct hull_fileset *fs, const char *dir, int layer)
{
	remove_under(fs, dir, layer, false);
}

static int cmp_file(const void *a, const void *b)
{
	const struct hull_file *fa = *(struct hull_file *const *)a;
	const struct hull_file *fb = *(struct hull_file *const *)b;
	return strcmp(fa->path, fb->path);
}

int hull_fileset_finish(struct hull_fileset *fs, struct hull_err *err)
{
	free(fs->sorted);
	fs->sorted = NULL;
	fs->nsorted = 0;
	if (!fs->nlive)
		return 0;
	fs->sorted = malloc(fs->nlive * sizeof(*fs->sorted));
	if (!fs->sorted)
		return hull_err_nomem(err);
	for (size_t i = 0; i < fs->index.cap; i++) {
		struct entry *e = fs->index.slots[i].val;
		if (e && !e->dead && e->type == ENTRY_FILE)
			fs->sorted[fs->nsorted++] = &e->file;
	}
	qsort(fs->sorted, fs->nsorted, sizeof(*fs->sorted), cmp_file);
	return 0;
}

size_t hull_fileset_bytes(const struct hull_fileset *fs)
{
	return fs->bytes;
}

size_t hull_fileset_count(const struct hull_fileset *fs)
{
	return fs ? fs->nsorted : 0;
}

const struct hull_file *hull_fileset_at(const struct hull_fileset *fs, size_t i)
{
	return i < fs->nsorted ? fs->sorted[i] : NULL;
}

int hull_path_join(char *out, size_t *len, size_t cap, const char *rel, enum hull_dotdot dotdot)
{
	const char *p = rel;
	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (dotdot == HULL_DOTDOT_REJECT ||
			    (dotdot == HULL_DOTDOT_NO_ESCAPE && !*len))
				return -1;
			char *slash = memrchr(out, '/', *len);
			*len = slash ? (size_t)(slash - out) : 0;
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (*len + n + 2 > cap)
				return -2;
			if (*len)
				out[(*len)++] = '/';
			memcpy(out + *len, p, n);
			*len += n;
		}
		p = end;
	}
	if (cap)
		out[*len] = '\0';
	return cap ? 0 : -2;
}

/* Appends the components of `rel` to the resolved prefix in out (which has
 * length *len), ".." clamped at the root as the kernel does. */
static bool push_components(char *out, size_t *len, const char *rel)
{
	return hull_path_join(out, len, PATH_MAX_LEN, rel, HULL_DOTDOT_CLAMP) == 0;
}

/* Follows path to what it names; *loop is set when that takes more than
 * MAX_SYMLINK_HOPS links. */
static struct entry *resolve(const struct hull_fileset *fs, const char *path, bool *loop)
{
	char cur[PATH_MAX_LEN], rest[PATH_MAX_LEN];
	size_t len = 0;
	int hops = 0;
	cur[0] = '\0';
	if (strlen(path) >= sizeof(rest))
		return NULL;
	strcpy(rest, path);
	/* Walk component by component; a symlink restarts the walk with its
	 * target followed by what remained. */
	char *p = rest;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchrnul(p, '/');
		char saved = *end;
		*end = '\0';
		size_t before = len;
		if (!push_components(cur, &len, p))
			return NULL;
		*end = saved;
		p = end;
		struct entry *e = len > before ? lookup(fs, cur) : NULL;
		if (e && e->type == ENTRY_SYMLINK) {
			if (++hops > MAX_SYMLINK_HOPS) {
				*loop = true;
				return NULL;
			}
			char next[PATH_MAX_LEN];
			int n = snprintf(next, sizeof(next), "%s%s", e->target, p);
			if (n < 0 || (size_t)n >= sizeof(next))
				return NULL;
			if (e->target[0] == '/') {
				len = 0;
			} else {
				char *slash = memrchr(cur, '/', len);
				len = slash ? (size_t)(slash - cur) : 0;
			}
			cur[len] = '\0';
			strcpy(rest, next);
			p = rest;
		}
	}
	return lookup(fs, cur);
}

const struct hull_file *hull_fileset_get(const struct hull_fileset *fs, const char *path)
{
	bool loop = false;
	struct entry *e = resolve(fs, path, &loop);
	return e && e->type == ENTRY_FILE ? &e->file : NULL;
}

int hull_fileset_layer_at(const struct hull_fileset *fs, const char *path)
{
	struct entry *e = lookup(fs, path);
	return e ? e->layer : HULL_LAYER_ABSENT;
}

size_t hull_fileset_loops(const struct hull_fileset *fs,
                          void (*fn)(const char *path, const char *target, void *ctx), void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < fs->index.cap; i++) {
		struct entry *e = fs->index.slots[i].val;
		if (!e || e->dead || e->type != ENTRY_SYMLINK)
			continue;
		bool loop = false;
		resolve(fs, e->path, &loop);
		if (loop) {
			n++;
			fn(e->path, e->target, ctx);
		}
	}
	return n;
}

int hull_path_normalize(const char *in, char *out, size_t outsz, struct hull_err *err)
{
	size_t len = 0;
	int rc = hull_path_join(out, &len, outsz, in, HULL_DOTDOT_REJECT);
	if (rc == -1)
		return hull_err_set(err, HULL_ERR_INPUT, "path '%.200s' has a '..' component", in);
	if (rc < 0)
		return hull_err_set(err, HULL_ERR_LIMIT, "path '%.200s...' is too long", in);
	return 0;
}
