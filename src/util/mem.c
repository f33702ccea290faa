#include "util/mem.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_ALIGN ((size_t)2 << 20)

static size_t bigbuf_span(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (size + page - 1) / page * page;
}

void *hull_bigbuf_alloc(size_t size)
{
	if (!size || size > SIZE_MAX / 2 - HUGE_ALIGN)
		return NULL;
	size_t span = bigbuf_span(size);
	/* map more, then cut it to a 2 MiB-aligned start */
	size_t over = span >= HUGE_ALIGN ? HUGE_ALIGN : 0;
	char *m =
	    mmap(NULL, span + over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	if (!over)
		return m;
	char *p = (char *)(((uintptr_t)m + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
	if (p > m)
		munmap(m, (size_t)(p - m));
	if (m + over > p)
		munmap(p + span, (size_t)(m + over - p));
	/* a hint: without THP the pages are ordinary ones */
	madvise(p, span, MADV_HUGEPAGE);
	return p;
}

void hull_bigbuf_free(void *p, size_t size)
{
	if (p)
		munmap(p, bigbuf_span(size));
}

int hull_array_grow(void **items, size_t *cap, size_t need, size_t elem, size_t max,
                    struct hull_err *err)
{
	if (need <= *cap)
		return 0;
	if (need > max)
		return hull_err_set(err, HULL_ERR_LIMIT, "more than %zu entries", max);
	size_t ncap = *cap ? *cap * 2 : 8;
	if (ncap < need)
		ncap = need;
	if (ncap > max)
		ncap = max;
	if (elem && ncap > SIZE_MAX / elem)
		return hull_err_nomem(err);
	void *p = realloc(*items, ncap * elem);
	if (!p)
		return hull_err_nomem(err);
	*items = p;
	*cap = ncap;
	return 0;
}

char *hull_strdup(const char *s, struct hull_err *err)
{
	char *p = strdup(s ? s : "");
	if (!p)
		hull_err_nomem(err);
	return p;
}
