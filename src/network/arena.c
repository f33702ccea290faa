/* arena: the graph's memory, freed at once. Chunks of CHUNK bytes; an
 * allocation larger than a quarter chunk gets a chunk of its own. The
 * total is capped (HULL_NET_MAX_BYTES): past it every allocation fails and
 * the graph is marked failed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/internal.h"

#define CHUNK (256u << 10)
#define ALIGN 16u

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct net_arena {
	struct chunk *head;
	size_t total, max;
};

struct net_arena *net_arena_new(size_t max)
{
	struct net_arena *a = calloc(1, sizeof(*a));
	if (a)
		a->max = max;
	return a;
}

void net_arena_free(struct net_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static struct chunk *new_chunk(struct net_arena *a, size_t size)
{
	if (size > a->max || a->total > a->max - size)
		return NULL;
	struct chunk *c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->used = 0;
	c->size = size;
	a->total += size;
	return c;
}

static void *arena_alloc(struct net_arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	if (n > CHUNK / 4) {
		struct chunk *c = new_chunk(a, n);
		if (!c)
			return NULL;
		/* behind the head, so the head keeps its free space */
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = NULL;
			a->head = c;
		}
		c->used = n;
		return memset(c->data, 0, n);
	}
	if (!a->head || a->head->size - a->head->used < n) {
		struct chunk *c = new_chunk(a, CHUNK);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	void *p = a->head->data + a->head->used;
	a->head->used += n;
	return memset(p, 0, n);
}

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
	void *p = arena_alloc(net->arena, n);
	if (!p)
		net_fail(net, HULL_ERR_LIMIT, "network graph: out of memory or over %u MiB",
		         HULL_NET_MAX_BYTES >> 20);
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
