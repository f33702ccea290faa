#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 16u

uint64_t hull_hash_bytes(const void *p, size_t n)
{
	return hull_hash_more(1469598103934665603ull, p, n);
}

uint64_t hull_hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

uint64_t hull_hash_mix(uint64_t h, uint64_t v)
{
	/* one round of splitmix64 over the combination */
	uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void hull_hash_init(struct hull_hash *h, size_t max)
{
	memset(h, 0, sizeof(*h));
	h->max = max;
}

/* The slot of (hash, key), or the empty slot where it would go. */
static struct hull_hash_slot *probe(const struct hull_hash *h, uint64_t hash, hull_hash_eq_fn eq,
                                    const void *key, const void *ctx)
{
	size_t mask = h->cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		struct hull_hash_slot *s = &h->slots[i];
		if (!s->val || (eq && s->hash == hash && eq(s->val, key, ctx)))
			return s;
	}
}

void *hull_hash_get(const struct hull_hash *h, uint64_t hash, hull_hash_eq_fn eq, const void *key,
                    const void *ctx)
{
	if (!h->cap)
		return NULL;
	return probe(h, hash, eq, key, ctx)->val;
}

/* Moves every value into a fresh table of ncap slots. */
static int rebuild(struct hull_hash *h, size_t ncap, struct hull_err *err)
{
	struct hull_hash_slot *old = h->slots;
	size_t oldcap = h->cap;
	struct hull_hash_slot *slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return hull_err_nomem(err);
	h->slots = slots;
	h->cap = ncap;
	h->n = 0;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].val)
			continue;
		*probe(h, old[i].hash, NULL, NULL, NULL) = old[i];
		h->n++;
	}
	free(old);
	return 0;
}

int hull_hash_add(struct hull_hash *h, uint64_t hash, void *val, struct hull_err *err)
{
	if (h->n >= h->max)
		return hull_err_set(err, HULL_ERR_LIMIT, "more than %zu entries (the limit)",
		                    h->max);
	if ((h->n + 1) * 4 > h->cap * 3) {
		size_t ncap = h->cap ? h->cap * 2 : FIRST_CAP;
		if (ncap > SIZE_MAX / sizeof(struct hull_hash_slot) / 2)
			return hull_err_set(err, HULL_ERR_LIMIT, "hash table too large");
		if (rebuild(h, ncap, err) < 0)
			return -1;
	}
	struct hull_hash_slot *s = probe(h, hash, NULL, NULL, NULL);
	s->hash = hash;
	s->val = val;
	h->n++;
	return 0;
}

void hull_hash_filter(struct hull_hash *h, bool (*keep)(void *val, void *ctx), void *ctx)
{
	if (!h->cap)
		return;
	/* Removing in place would break probe chains: rebuild. When even the
	 * new table cannot be had, drop nothing (the old one stays valid). */
	struct hull_hash_slot *old = h->slots;
	size_t oldcap = h->cap, kept = 0;
	struct hull_hash_slot *slots = calloc(oldcap, sizeof(*slots));
	if (!slots)
		return;
	h->slots = slots;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].val || !keep(old[i].val, ctx))
			continue;
		*probe(h, old[i].hash, NULL, NULL, NULL) = old[i];
		kept++;
	}
	h->n = kept;
	free(old);
}

void hull_hash_release(struct hull_hash *h)
{
	free(h->slots);
	hull_hash_init(h, h->max);
}
