#include "image/tarindex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/fileset.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

#define BLOCK        512
#define MAX_NAME     4096
#define MAX_PAX      (1u << 20)
#define MAX_LINK_HOP 16

/* Where the header bytes come from: a file or memory. */
struct source {
	int fd;
	const unsigned char *mem;
	uint64_t size;
	const char *name;
};

static int source_read(const struct source *src, void *buf, size_t n, uint64_t off,
                       struct hull_err *err)
{
	if (off > src->size || n > src->size - off)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: truncated tar: entry at offset %llu runs past the end of the file",
		    src->name, (unsigned long long)off);
	if (src->mem) {
		memcpy(buf, src->mem + off, n);
		return 0;
	}
	return hull_fs_pread_full(src->fd, buf, n, (off_t)off, src->name, err);
}

static bool parse_octal(const unsigned char *p, size_t n, uint64_t *out)
{
	/* GNU base-256 for values that do not fit in octal */
	if (p[0] & 0x80) {
		uint64_t v = p[0] & 0x7f;
		for (size_t i = 1; i < n; i++) {
			if (v >> 55)
				return false;
			v = (v << 8) | p[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	uint64_t v = 0;
	bool any = false;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (uint64_t)(p[i] - '0');
		any = true;
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return false;
	*out = v;
	return any || n == 0 || p[0] == '\0' || p[0] == ' ';
}

bool tarindex_is_header(const unsigned char block[BLOCK])
{
	uint64_t stored;
	if (!parse_octal(block + 148, 8, &stored))
		return false;
	uint64_t sum = 0;
	for (size_t i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : block[i];
	return sum == stored && sum != 8 * ' ';
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Values from pax 'x' headers and GNU 'L'/'K' entries for the next entry. */
struct pending {
	char *path;
	char *link;
	bool has_size;
	uint64_t size;
};

static void pending_clear(struct pending *p)
{
	free(p->path);
	free(p->link);
	memset(p, 0, sizeof(*p));
}

static int read_long_value(const struct source *src, uint64_t off, uint64_t size, char **out,
                           struct hull_err *err)
{
	if (size >= MAX_NAME)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "%s: long name of %llu bytes at offset %llu", src->name,
		                    (unsigned long long)size, (unsigned long long)off);
	char *p = malloc(size + 1);
	if (!p)
		return hull_err_nomem(err);
	if (source_read(src, p, size, off, err) < 0) {
		free(p);
		return -1;
	}
	p[size] = '\0';
	p[strnlen(p, size)] = '\0';
	free(*out);
	*out = p;
	return 0;
}

/* Parses pax records "LEN key=value\n". */
static int parse_pax(const struct source *src, uint64_t off, uint64_t size, struct pending *pd,
                     struct hull_err *err)
{
	if (size > MAX_PAX)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "%s: pax header of %llu bytes at offset %llu", src->name,
		                    (unsigned long long)size, (unsigned long long)off);
	cleanup_free char *buf = malloc(size + 1);
	if (!buf)
		return hull_err_nomem(err);
	if (source_read(src, buf, size, off, err) < 0)
		return -1;
	size_t pos = 0;
	while (pos < size) {
		size_t len = 0, i = pos;
		while (i < size && buf[i] >= '0' && buf[i] <= '9' && len < MAX_PAX)
			len = len * 10 + (size_t)(buf[i++] - '0');
		if (i >= size || buf[i] != ' ' || len <= i - pos || len > size - pos ||
		    buf[pos + len - 1] != '\n')
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: malformed pax record at offset %llu", src->name,
			                    (unsigned long long)(off + pos));
		char *kv = buf + i + 1;
		buf[pos + len - 1] = '\0';
		char *eq = strchr(kv, '=');
		if (eq) {
			*eq = '\0';
			const char *val = eq + 1;
			size_t vlen = (size_t)(buf + pos + len - 1 - val);
			if (!strcmp(kv, "path") || !strcmp(kv, "linkpath")) {
				char **dst = kv[0] == 'p' ? &pd->path : &pd->link;
				if (vlen >= MAX_NAME)
					return hull_err_set(err, HULL_ERR_LIMIT,
					                    "%s: pax %s too long", src->name, kv);
				free(*dst);
				*dst = strndup(val, vlen);
				if (!*dst)
					return hull_err_nomem(err);
			} else if (!strcmp(kv, "size")) {
				uint64_t v = 0;
				const char *q = val;
				for (; *q >= '0' && *q <= '9' && v < (1ull << 60); q++)
					v = v * 10 + (uint64_t)(*q - '0');
				if (*q || q == val)
					return hull_err_set(err, HULL_ERR_INPUT, "%s: bad pax size",
					                    src->name);
				pd->has_size = true;
				pd->size = v;
			}
		}
		pos += len;
	}
	return 0;
}

static enum tar_type type_of(char flag)
{
	switch (flag) {
	case '0':
	case '\0':
	case '7':
		return TAR_FILE;
	case '5':
		return TAR_DIR;
	case '2':
		return TAR_SYMLINK;
	case '1':
		return TAR_HARDLINK;
	default:
		return TAR_OTHER;
	}
}

static int add_member(struct tarindex *ti, const struct source *src, const char *rawname,
                      const char *rawlink, enum tar_type type, uint64_t off, uint64_t size,
                      struct hull_err *err)
{
	char name[MAX_NAME];
	if (hull_path_normalize(rawname, name, sizeof(name), err) < 0)
		return hull_err_wrap(err, "%s: entry at offset %llu", src->name,
		                     (unsigned long long)off);
	if (HULL_ARRAY_PUSH_ROOM(ti->members, ti->n, ti->cap, TARINDEX_MAX_ENTRIES, err) < 0)
		return hull_err_wrap(err, "%s", src->name);
	struct tar_member *m = &ti->members[ti->n];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	m->link = rawlink ? strdup(rawlink) : NULL;
	if (!m->name || (rawlink && !m->link)) {
		free(m->name);
		free(m->link);
		return hull_err_nomem(err);
	}
	m->type = type;
	m->offset = (off_t)off;
	m->size = size;
	ti->n++;
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	const struct tar_member *ma = a, *mb = b;
	int c = strcmp(ma->name, mb->name);
	if (c)
		return c;
	/* later entries win: keep the higher offset last */
	return ma->offset < mb->offset ? -1 : ma->offset > mb->offset;
}

static int build(struct tarindex *ti, const struct source *src, struct hull_err *err)
{
	memset(ti, 0, sizeof(*ti));
	struct pending pd = {0};
	uint64_t off = 0;
	unsigned char h[BLOCK];
	int rc = 0;
	while (off + BLOCK <= src->size) {
		if ((rc = source_read(src, h, BLOCK, off, err)) < 0)
			break;
		if (all_zero(h, BLOCK))
			break; /* end-of-archive marker */
		if (!tarindex_is_header(h)) {
			rc = hull_err_set(err, HULL_ERR_INPUT,
			                  "%s: damaged tar header at offset %llu (bad checksum)",
			                  src->name, (unsigned long long)off);
			break;
		}
		uint64_t size;
		if (!parse_octal(h + 124, 12, &size)) {
			rc = hull_err_set(err, HULL_ERR_INPUT,
			                  "%s: bad size in tar header at offset %llu", src->name,
			                  (unsigned long long)off);
			break;
		}
		if (pd.has_size)
			size = pd.size;
		uint64_t data = off + BLOCK;
		if (size > src->size - data) {
			rc = hull_err_set(
			    err, HULL_ERR_INPUT,
			    "%s: truncated tar: entry at offset %llu needs %llu bytes, "
			    "the file has %llu",
			    src->name, (unsigned long long)off, (unsigned long long)size,
			    (unsigned long long)(src->size - data));
			break;
		}
		char flag = (char)h[156];
		if (flag == 'x') {
			rc = parse_pax(src, data, size, &pd, err);
		} else if (flag == 'L') {
			rc = read_long_value(src, data, size, &pd.path, err);
		} else if (flag == 'K') {
			rc = read_long_value(src, data, size, &pd.link, err);
		} else if (flag == 'g') {
			/* global pax header: nothing hull needs */
		} else {
			char name[MAX_NAME], link[101];
			if (pd.path) {
				snprintf(name, sizeof(name), "%s", pd.path);
			} else if (!memcmp(h + 257, "ustar", 5) && h[345]) {
				snprintf(name, sizeof(name), "%.155s/%.100s", (const char *)h + 345,
				         (const char *)h + 0);
			} else {
				snprintf(name, sizeof(name), "%.100s", (const char *)h + 0);
			}
			snprintf(link, sizeof(link), "%.100s", (const char *)h + 157);
			const char *lk = pd.link ? pd.link : link;
			enum tar_type t = type_of(flag);
			bool is_link = t == TAR_SYMLINK || t == TAR_HARDLINK;
			if (t == TAR_HARDLINK)
				size = 0;
			rc = add_member(ti, src, name, is_link ? lk : NULL, t, data, size, err);
			pending_clear(&pd);
		}
		if (rc < 0)
			break;
		uint64_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
		off = data + padded;
	}
	pending_clear(&pd);
	if (rc < 0) {
		tarindex_release(ti);
		return -1;
	}
	if (ti->n)
		qsort(ti->members, ti->n, sizeof(*ti->members), cmp_member);
	/* tar lets a later copy replace an earlier one, but tools disagree on
	 * which they read: an image whose blobs or manifest exist twice is
	 * ambiguous, so it is refused (directories may repeat) */
	for (size_t i = 1; i < ti->n; i++) {
		const struct tar_member *a = &ti->members[i - 1], *b = &ti->members[i];
		if (!strcmp(a->name, b->name) && (a->type != TAR_DIR || b->type != TAR_DIR)) {
			rc = hull_err_set(
			    err, HULL_ERR_INPUT,
			    "%s: '%.200s' appears twice in the archive (at offsets %lld "
			    "and %lld)",
			    src->name, a->name, (long long)a->offset, (long long)b->offset);
			tarindex_release(ti);
			return rc;
		}
	}
	return 0;
}

int tarindex_build(struct tarindex *ti, int fd, const char *name, struct hull_err *err)
{
	off_t end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		return hull_err_errno(err, errno, "%s", name);
	struct source src = {.fd = fd, .size = (uint64_t)end, .name = name};
	return build(ti, &src, err);
}

int tarindex_build_mem(struct tarindex *ti, const unsigned char *data, size_t len, const char *name,
                       struct hull_err *err)
{
	struct source src = {.fd = -1, .mem = data, .size = len, .name = name};
	return build(ti, &src, err);
}

/* The last member named exactly name (a later duplicate replaces an earlier one). */
static const struct tar_member *lookup(const struct tarindex *ti, const char *name)
{
	size_t lo = 0, hi = ti->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ti->members[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct tar_member *found = NULL;
	for (size_t i = lo; i < ti->n && !strcmp(ti->members[i].name, name); i++)
		found = &ti->members[i];
	return found;
}

/* Resolves a symlink target relative to the member's directory; false when
 * it leads outside the archive. */
static bool resolve_link(const char *from, const char *target, bool relative_to_dir, char *out,
                         size_t outsz)
{
	char joined[2 * MAX_NAME];
	if (relative_to_dir && target[0] != '/') {
		const char *slash = strrchr(from, '/');
		int dirlen = slash ? (int)(slash - from) : 0;
		snprintf(joined, sizeof(joined), "%.*s/%s", dirlen, from, target);
	} else {
		snprintf(joined, sizeof(joined), "%s", target);
	}
	/* lexical resolution of ".." without leaving the root */
	size_t len = 0;
	return hull_path_join(out, &len, outsz, joined, HULL_DOTDOT_NO_ESCAPE) == 0;
}

const struct tar_member *tarindex_find(const struct tarindex *ti, const char *path)
{
	char cur[MAX_NAME];
	if (hull_path_normalize(path, cur, sizeof(cur), NULL) < 0)
		return NULL;
	for (int hop = 0; hop <= MAX_LINK_HOP; hop++) {
		const struct tar_member *m = lookup(ti, cur);
		if (!m)
			return NULL;
		if (m->type == TAR_FILE)
			return m;
		if (m->type != TAR_SYMLINK && m->type != TAR_HARDLINK)
			return NULL;
		char next[MAX_NAME];
		if (!resolve_link(m->name, m->link, m->type == TAR_SYMLINK, next, sizeof(next)))
			return NULL;
		memcpy(cur, next, sizeof(cur));
	}
	return NULL;
}

void tarindex_release(struct tarindex *ti)
{
	for (size_t i = 0; i < ti->n; i++) {
		free(ti->members[i].name);
		free(ti->members[i].link);
	}
	free(ti->members);
	memset(ti, 0, sizeof(*ti));
}
