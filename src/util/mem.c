#include "util/mem.h"

#include <stdint.h>
#include <string.h>

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
