/* pkgdb_test: helpers for the pkgdb unit tests: reading shared test data in
 * place, splitting TSV lines, and comparing two sets of lines (a package
 * per line) with the differences printed as TAP comments. */
#ifndef HULL_TESTS_PKGDB_TEST_H
#define HULL_TESTS_PKGDB_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/parsers.h"
#include "tap.h"
#include "util/fs.h"

typedef int (*test_parser)(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

/* Contents of a shared data file (caller frees), or NULL when absent. */
static inline char *shared_read(const char *rel, size_t *len)
{
	const char *path = tap_shared(rel);
	char *data = NULL;
	struct hull_err err = {0};
	if (!path || hull_fs_read_file(path, 64u << 20, &data, len, &err) < 0)
		return NULL;
	return data;
}

/* Parses a shared file with `file` as its name in the image. Returns the
 * parser's result, or -2 when the file is absent. The content is copied to
 * an exact-size buffer so that ASan sees any read past its end. */
static inline int shared_parse(test_parser parse, const char *rel, const char *file, int layer,
                               struct hull_inventory *inv, struct hull_err *err)
{
	size_t len;
	char *data = shared_read(rel, &len);
	if (!data)
		return -2;
	char *exact = malloc(len ? len : 1);
	memcpy(exact, data, len);
	free(data);
	int rc = parse(hull_str(exact, len), file, layer, inv, err);
	free(exact);
	return rc;
}

/* Same for a literal input. */
static inline int str_parse(test_parser parse, const char *text, const char *file,
                            struct hull_inventory *inv, struct hull_err *err)
{
	size_t len = strlen(text);
	char *exact = malloc(len ? len : 1);
	memcpy(exact, text, len);
	int rc = parse(hull_str(exact, len), file, HULL_LAYER_NONE, inv, err);
	free(exact);
	return rc;
}

struct lines {
	char **v;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) static inline void lines_add(struct lines *l, const char *fmt,
                                                                   ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&l->v[l->n], fmt, ap) >= 0)
		l->n++;
	va_end(ap);
}

static inline void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static inline int lines_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void lines_sort(struct lines *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(char *), lines_cmp);
}

/* One test point: got and want hold the same lines (as multisets). */
static inline int lines_same(struct lines *got, struct lines *want, const char *what)
{
	lines_sort(got);
	lines_sort(want);
	size_t i = 0, j = 0, diffs = 0;
	while (i < got->n || j < want->n) {
		int c = i == got->n ? 1 : j == want->n ? -1 : strcmp(got->v[i], want->v[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		if (diffs++ < 20)
			printf("# %s: %s %s\n", what, c < 0 ? "unexpected" : "missing",
			       c < 0 ? got->v[i] : want->v[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	return TAP_OK(diffs == 0 && want->n > 0, "%s: %zu packages as expected (%zu differences)",
	              what, want->n, diffs);
}

/* Splits line (in place) at tabs into at most max fields; returns the count. */
static inline size_t tsv_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

/* Calls fn for each data row of a shared TSV file (skipping '#' comments
 * and the header row, whose first field is header0). Returns the number of
 * rows, or -1 when the file is absent. */
static inline long tsv_rows(const char *rel, const char *header0,
                            void (*fn)(char **f, size_t n, void *ctx), void *ctx)
{
	const char *path = tap_shared(rel);
	FILE *fp = path ? fopen(path, "r") : NULL;
	if (!fp)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	long rows = 0;
	while (getline(&line, &cap, fp) > 0) {
		char *f[32];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		size_t n = tsv_split(line, f, 32);
		if (strcmp(f[0], header0) == 0)
			continue;
		fn(f, n, ctx);
		rows++;
	}
	free(line);
	fclose(fp);
	return rows;
}

static inline const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

#endif
