#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CHUNK (4u << 10)
#define MAX_CHUNK   (1u << 20)
#define ALIGN       16u

struct hull_arena_chunk {
	struct hull_arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void hull_arena_init(struct hull_arena *a, size_t max)
{
	memset(a, 0, sizeof(*a));
	a->max = max;
	a->next = FIRST_CHUNK;
}

static struct hull_arena_chunk *new_chunk(struct hull_arena *a, size_t size, struct hull_err *err)
{
	if (size > a->max || a->total > a->max - size) {
		hull_err_set(err, HULL_ERR_LIMIT, "more than %zu bytes held (the limit)", a->max);
		return NULL;
	}
	struct hull_arena_chunk *c = malloc(sizeof(*c) + size);
	if (!c) {
		hull_err_nomem(err);
		return NULL;
	}
	c->used = 0;
	c->size = size;
	a->total += size;
	return c;
}

/* n bytes aligned to align (a power of two, at most ALIGN), zeroed. */
static void *take(struct hull_arena *a, size_t n, size_t align, struct hull_err *err)
{
	if (n > SIZE_MAX / 2) {
		hull_err_set(err, HULL_ERR_LIMIT, "allocation of %zu bytes", n);
		return NULL;
	}
	struct hull_arena_chunk *c = a->head;
	if (c) {
		size_t at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->size && c->size - at >= n) {
			c->used = at + n;
			return memset(c->data + at, 0, n);
		}
	}
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	if (need > a->next / 4) {
		/* its own chunk, behind the current one */
		struct hull_arena_chunk *big = new_chunk(a, need, err);
		if (!big)
			return NULL;
		big->used = need;
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			big->next = NULL;
			a->head = big;
		}
		return memset(big->data, 0, n);
	}
	/* a regular chunk; near the cap, a smaller one that still fits */
	size_t size = a->next, room = a->max - a->total; /* total <= max always */
	if (size > room && room >= need)
		size = room;
	struct hull_arena_chunk *nc = new_chunk(a, size, err);
	if (!nc)
		return NULL;
	if (a->next < MAX_CHUNK)
		a->next *= 2;
	nc->next = c;
	a->head = nc;
	nc->used = n;
	return memset(nc->data, 0, n);
}

void *hull_arena_alloc(struct hull_arena *a, size_t n, struct hull_err *err)
{
	return take(a, n ? n : 1, ALIGN, err);
}

char *hull_arena_strndup(struct hull_arena *a, const char *s, size_t n, struct hull_err *err)
{
	if (!s)
		return NULL;
	if (n == SIZE_MAX) {
		hull_err_set(err, HULL_ERR_LIMIT, "string of %zu bytes", n);
		return NULL;
	}
	char *p = take(a, n + 1, 1, err); /* strings are packed */
	if (p)
		memcpy(p, s, n); /* the NUL is there: take zeroes */
	return p;
}

char *hull_arena_strdup(struct hull_arena *a, const char *s, struct hull_err *err)
{
	return s ? hull_arena_strndup(a, s, strlen(s), err) : NULL;
}

void hull_arena_release(struct hull_arena *a)
{
	for (struct hull_arena_chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	hull_arena_init(a, a->max);
}
