/* arena: many small allocations freed at once, within a cap.
 *
 * Memory comes in chunks (4 KiB doubling to 1 MiB; an allocation larger
 * than a quarter of the current chunk size gets a chunk of its own, behind
 * the current one so its free space stays usable). Every allocation is
 * zeroed and 16-byte aligned.
 *
 * Invariant: the bytes held in chunks never exceed the cap given to
 * hull_arena_init (required, non-zero); past it an allocation fails with
 * HULL_ERR_LIMIT and nothing is allocated. A zeroed struct is not usable:
 * init it. hull_arena_release frees everything and leaves it re-usable
 * with the same cap. */
#ifndef HULL_UTIL_ARENA_H
#define HULL_UTIL_ARENA_H

#include <stddef.h>

#include "util/err.h"

struct hull_arena_chunk;

struct hull_arena {
	struct hull_arena_chunk *head;
	size_t total; /* bytes held in chunks */
	size_t max;   /* the cap on total */
	size_t next;  /* size of the next regular chunk */
};

/* max: the cap on the bytes held, required (> 0). */
void hull_arena_init(struct hull_arena *a, size_t max);

/* n zeroed bytes, 16-byte aligned; NULL with HULL_ERR_LIMIT past the cap
 * (naming the cap) or HULL_ERR_NOMEM. err may be NULL. */
void *hull_arena_alloc(struct hull_arena *a, size_t n, struct hull_err *err);

/* A NUL-terminated copy of s[0..n) / of s (NULL gives NULL, no error). */
char *hull_arena_strndup(struct hull_arena *a, const char *s, size_t n, struct hull_err *err);
char *hull_arena_strdup(struct hull_arena *a, const char *s, struct hull_err *err);

/* Frees every chunk; the arena stays initialised with its cap. */
void hull_arena_release(struct hull_arena *a);

#endif
