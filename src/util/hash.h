/* hash: one open-addressing hash table, within a cap.
 *
 * The table holds (hash, value) pairs. A value is the caller's: a pointer
 * to a record that holds its key, or a small non-zero integer cast to a
 * pointer (an id into the caller's array). Lookups give the hash and a
 * key, and the caller's eq says whether a value has that key, so the
 * table never copies or frees keys or values.
 *
 * Invariants: a value is never NULL; the table holds at most the cap given
 * to hull_hash_init (required, non-zero) values, and hull_hash_add past it
 * fails with HULL_ERR_LIMIT; the load stays under 3/4 (the table doubles,
 * from 16 slots). Iterate with `for (i = 0; i < h->cap; i++) if
 * (h->slots[i].val)`; the order is unspecified. A zeroed struct is not
 * usable: init it. */
#ifndef HULL_UTIL_HASH_H
#define HULL_UTIL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct hull_hash_slot {
	uint64_t hash;
	void *val; /* NULL: empty */
};

struct hull_hash {
	struct hull_hash_slot *slots;
	size_t cap; /* slots, a power of two (0 before the first add) */
	size_t n;   /* values held */
	size_t max; /* the cap on n */
};

/* Whether val has the key `key` (ctx: the caller's context). */
typedef bool (*hull_hash_eq_fn)(const void *val, const void *key, const void *ctx);

/* FNV-1a (64-bit) of n bytes; hull_hash_more goes on from an earlier
 * hash (hull_hash_more(hull_hash_bytes(a), b) is the hash of a then b);
 * hull_hash_mix folds another 64-bit value in. */
uint64_t hull_hash_bytes(const void *p, size_t n);
uint64_t hull_hash_more(uint64_t h, const void *p, size_t n);
uint64_t hull_hash_mix(uint64_t h, uint64_t v);

/* max: the cap on the values held, required (> 0). Allocates nothing. */
void hull_hash_init(struct hull_hash *h, size_t max);

/* The value with hash `hash` for which eq(value, key, ctx) holds, or NULL. */
void *hull_hash_get(const struct hull_hash *h, uint64_t hash, hull_hash_eq_fn eq, const void *key,
                    const void *ctx);

/* Adds val (non-NULL) under hash; the caller has made sure its key is not
 * there. HULL_ERR_LIMIT past the cap, HULL_ERR_NOMEM. */
int hull_hash_add(struct hull_hash *h, uint64_t hash, void *val, struct hull_err *err);

/* Keeps only the values keep(val, ctx) accepts (keep may free the others),
 * in a rebuilt table of the same size. */
void hull_hash_filter(struct hull_hash *h, bool (*keep)(void *val, void *ctx), void *ctx);

/* Frees the table (not the values); it stays initialised with its cap. */
void hull_hash_release(struct hull_hash *h);

#endif
