/* arena: the graph's memory (a util/arena capped at HULL_NET_MAX_BYTES),
 * freed at once; past the cap every allocation fails and the graph is
 * marked failed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/internal.h"

int net_fail(struct hull_net *net, enum hull_err_kind kind, const char *fmt, ...)
{
	if (net->failed)
		return -1;
	char msg[HULL_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hull_err_set(&net->err, kind, "%s", msg);
	net->failed = true;
	return -1;
}

void *net_alloc(struct hull_net *net, size_t n)
{
	if (net->failed)
		return NULL;
	struct hull_err e = {0};
	void *p = hull_arena_alloc(&net->arena, n, &e);
	if (!p && e.kind == HULL_ERR_LIMIT)
		net_fail(net, HULL_ERR_LIMIT, "network graph: over %u MiB",
		         HULL_NET_MAX_BYTES >> 20);
	else if (!p)
		net_fail(net, HULL_ERR_NOMEM, "network graph: out of memory");
	return p;
}

const char *net_strndup(struct hull_net *net, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = net_alloc(net, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

const char *net_strdup(struct hull_net *net, const char *s)
{
	return s ? net_strndup(net, s, strlen(s)) : NULL;
}

const char *net_printf(struct hull_net *net, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof(buf))
		return net_strndup(net, buf, (size_t)n);
	char *p = net_alloc(net, (size_t)n + 1);
	if (p) {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

void *net_push_(struct hull_net *net, void **arr, size_t *n, size_t *cap, size_t elem, size_t max)
{
	if (net->failed)
		return NULL;
	if (*n >= max) {
		net_fail(net, HULL_ERR_LIMIT, "more than %zu entries in one list", max);
		return NULL;
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		if (ncap > max)
			ncap = max;
		unsigned char *p = net_alloc(net, ncap * elem);
		if (!p)
			return NULL;
		if (*n)
			memcpy(p, *arr, *n * elem);
		*arr = p;
		*cap = ncap;
	}
	unsigned char *slot = (unsigned char *)*arr + *n * elem;
	(*n)++;
	return memset(slot, 0, elem);
}
