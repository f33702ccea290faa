/* portset: interned sets of (protocol, port range), with memoised union
 * and intersection. A set is stored once, normalised (sorted, disjoint,
 * adjacent ranges merged), so equal sets have equal ids and the
 * evaluator's results are small integers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "network/internal.h"
#include "util/hash.h"

#define MAX_SETS   (1u << 24)
#define MAX_RANGES (1u << 26)
/* A memo past this many results stops remembering (it is an
 * optimisation): at most 16 MiB of entries and 32 MiB of slots each. */
#define MAX_MEMO (1u << 20)

struct set {
	uint32_t off, n;
};

/* The result of an operation on the pair of sets `key` (pair_key). */
struct memo_entry {
	uint64_t key;
	uint32_t val;
};

/* util/hash over entry indexes + 1 (its values are never NULL). */
struct memo {
	struct hull_hash index;
	struct memo_entry *entries;
	size_t n, cap;
};

struct net_portsets {
	struct set *sets;
	size_t nsets, capsets;
	struct net_range *pool;
	size_t npool, cappool;
	struct hull_hash index; /* set ids + 1, by hash_ranges */
	struct memo uni, inter;
	bool failed;
	struct net_range *scratch;
	size_t capscratch;
};

const char *net_proto_name(uint8_t proto)
{
	static const char *const names[] = {"TCP", "UDP", "SCTP"};
	return proto < NET_NPROTO ? names[proto] : "?";
}

bool net_proto_parse(const char *s, uint8_t *out)
{
	static const char *const names[] = {"tcp", "udp", "sctp"};
	for (uint8_t i = 0; s && i < NET_NPROTO; i++) {
		if (!strcasecmp(s, names[i])) {
			*out = i;
			return true;
		}
	}
	return false;
}

static uint64_t hash_ranges(const struct net_range *r, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = ((uint64_t)r[i].proto << 32) | ((uint64_t)r[i].lo << 16) | r[i].hi;
		h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h *= 1099511628211ull;
	}
	return h;
}

static int cmp_range(const void *a, const void *b)
{
	const struct net_range *x = a, *y = b;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Sorts and merges r in place; returns the new count. Drops empty and
 * invalid ranges (lo > hi, port 0 alone). */
static size_t normalise(struct net_range *r, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i].lo == 0)
			r[i].lo = 1;
		if (r[i].proto < NET_NPROTO && r[i].hi >= r[i].lo && r[i].hi != 0)
			r[k++] = r[i];
	}
	n = k;
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_range);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && r[k - 1].proto == r[i].proto && (uint32_t)r[k - 1].hi + 1 >= r[i].lo) {
			if (r[i].hi > r[k - 1].hi)
				r[k - 1].hi = r[i].hi;
			continue;
		}
		r[k++] = r[i];
	}
	return k;
}

/* The ranges being interned (a key of ps->index). */
struct ranges_key {
	const struct net_range *r;
	size_t n;
};

static bool set_has_ranges(const void *val, const void *key, const void *ctx)
{
	const struct net_portsets *ps = ctx;
	const struct ranges_key *k = key;
	const struct set *s = &ps->sets[(uintptr_t)val - 1];
	return s->n == k->n &&
	       (k->n == 0 || !memcmp(ps->pool + s->off, k->r, k->n * sizeof(*k->r)));
}

static uint32_t fail(struct net_portsets *ps, bool *oom)
{
	ps->failed = true;
	if (oom)
		*oom = true;
	return NET_PS_EMPTY;
}

/* Interns normalised ranges. */
static uint32_t intern(struct net_portsets *ps, const struct net_range *r, size_t n, bool *oom)
{
	uint64_t h = hash_ranges(r, n);
	const struct ranges_key key = {r, n};
	void *found = hull_hash_get(&ps->index, h, set_has_ranges, &key, ps);
	if (found)
		return (uint32_t)((uintptr_t)found - 1);
	if (ps->nsets >= MAX_SETS || ps->npool + n > MAX_RANGES)
		return fail(ps, oom);
	if (ps->nsets == ps->capsets) {
		size_t ncap = ps->capsets ? ps->capsets * 2 : 256;
		struct set *ns = realloc(ps->sets, ncap * sizeof(*ns));
		if (!ns)
			return fail(ps, oom);
		ps->sets = ns;
		ps->capsets = ncap;
	}
	if (ps->npool + n > ps->cappool) {
		size_t ncap = ps->cappool ? ps->cappool * 2 : 1024;
		while (ncap < ps->npool + n)
			ncap *= 2;
		struct net_range *np = realloc(ps->pool, ncap * sizeof(*np));
		if (!np)
			return fail(ps, oom);
		ps->pool = np;
		ps->cappool = ncap;
	}
	if (hull_hash_add(&ps->index, h, (void *)(uintptr_t)(ps->nsets + 1), NULL) < 0)
		return fail(ps, oom);
	if (n)
		memcpy(ps->pool + ps->npool, r, n * sizeof(*r));
	ps->sets[ps->nsets] = (struct set){.off = (uint32_t)ps->npool, .n = (uint32_t)n};
	ps->npool += n;
	return (uint32_t)ps->nsets++;
}

static struct net_range *scratch(struct net_portsets *ps, size_t n)
{
	if (n > ps->capscratch) {
		size_t ncap = ps->capscratch ? ps->capscratch : 64;
		while (ncap < n)
			ncap *= 2;
		struct net_range *s = realloc(ps->scratch, ncap * sizeof(*s));
		if (!s)
			return NULL;
		ps->scratch = s;
		ps->capscratch = ncap;
	}
	return ps->scratch;
}

uint32_t net_ps_make(struct net_portsets *ps, const struct net_range *r, size_t n, bool *oom)
{
	struct net_range *s = scratch(ps, n ? n : 1);
	if (!s)
		return fail(ps, oom);
	if (n)
		memcpy(s, r, n * sizeof(*r));
	n = normalise(s, n);
	return intern(ps, s, n, oom);
}

struct net_portsets *net_ps_new(void)
{
	struct net_portsets *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	hull_hash_init(&ps->index, MAX_SETS);
	hull_hash_init(&ps->uni.index, MAX_MEMO);
	hull_hash_init(&ps->inter.index, MAX_MEMO);
	struct net_range all[NET_NPROTO];
	for (uint8_t p = 0; p < NET_NPROTO; p++)
		all[p] = (struct net_range){.proto = p, .lo = 1, .hi = 65535};
	bool oom = false;
	uint32_t e = intern(ps, NULL, 0, &oom);
	uint32_t a = intern(ps, all, NET_NPROTO, &oom);
	if (oom || e != NET_PS_EMPTY || a != NET_PS_ALL) {
		net_ps_free(ps);
		return NULL;
	}
	return ps;
}

void net_ps_free(struct net_portsets *ps)
{
	if (!ps)
		return;
	free(ps->sets);
	free(ps->pool);
	hull_hash_release(&ps->index);
	hull_hash_release(&ps->uni.index);
	hull_hash_release(&ps->inter.index);
	free(ps->uni.entries);
	free(ps->inter.entries);
	free(ps->scratch);
	free(ps);
}

bool net_ps_failed(const struct net_portsets *ps)
{
	return ps->failed;
}

static bool entry_has_key(const void *val, const void *key, const void *ctx)
{
	const struct memo *m = ctx;
	return m->entries[(uintptr_t)val - 1].key == *(const uint64_t *)key;
}

static bool memo_get(const struct memo *m, uint64_t key, uint32_t *out)
{
	void *v = hull_hash_get(&m->index, hull_hash_mix(0, key), entry_has_key, &key, m);
	if (v)
		*out = m->entries[(uintptr_t)v - 1].val;
	return v != NULL;
}

/* A memo is an optimisation: when full or out of memory, it forgets. */
static void memo_put(struct memo *m, uint64_t key, uint32_t val)
{
	if (m->n >= MAX_MEMO)
		return;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024;
		struct memo_entry *e = realloc(m->entries, ncap * sizeof(*e));
		if (!e)
			return;
		m->entries = e;
		m->cap = ncap;
	}
	if (hull_hash_add(&m->index, hull_hash_mix(0, key), (void *)(uintptr_t)(m->n + 1), NULL) <
	    0)
		return;
	m->entries[m->n++] = (struct memo_entry){key, val};
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
	if (a > b) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	return ((uint64_t)a << 32) | b;
}

uint32_t net_ps_union(struct net_portsets *ps, uint32_t a, uint32_t b)
{
	if (a == b || b == NET_PS_EMPTY || a == NET_PS_ALL)
		return a;
	if (a == NET_PS_EMPTY || b == NET_PS_ALL)
		return b;
	uint64_t key = pair_key(a, b);
	uint32_t r;
	if (memo_get(&ps->uni, key, &r))
		return r;
	const struct set *x = &ps->sets[a], *y = &ps->sets[b];
	struct net_range *s = scratch(ps, (size_t)x->n + y->n);
	if (!s)
		return fail(ps, NULL);
	/* pool may move while interning: copy first */
	memcpy(s, ps->pool + x->off, x->n * sizeof(*s));
	memcpy(s + x->n, ps->pool + y->off, y->n * sizeof(*s));
	size_t n = normalise(s, (size_t)x->n + y->n);
	r = intern(ps, s, n, NULL);
	if (!ps->failed)
		memo_put(&ps->uni, key, r);
	return r;
}

uint32_t net_ps_inter(struct net_portsets *ps, uint32_t a, uint32_t b)
{
	if (a == b || b == NET_PS_ALL || a == NET_PS_EMPTY)
		return a;
	if (a == NET_PS_ALL || b == NET_PS_EMPTY)
		return b;
	uint64_t key = pair_key(a, b);
	uint32_t r;
	if (memo_get(&ps->inter, key, &r))
		return r;
	const struct set x = ps->sets[a], y = ps->sets[b];
	struct net_range *s = scratch(ps, (size_t)x.n + y.n);
	if (!s)
		return fail(ps, NULL);
	size_t i = 0, j = 0, n = 0;
	while (i < x.n && j < y.n) {
		const struct net_range *p = &ps->pool[x.off + i], *q = &ps->pool[y.off + j];
		if (p->proto != q->proto) {
			if (p->proto < q->proto)
				i++;
			else
				j++;
			continue;
		}
		uint16_t lo = p->lo > q->lo ? p->lo : q->lo, hi = p->hi < q->hi ? p->hi : q->hi;
		if (lo <= hi)
			s[n++] = (struct net_range){.proto = p->proto, .lo = lo, .hi = hi};
		if (p->hi < q->hi)
			i++;
		else
			j++;
	}
	r = intern(ps, s, n, NULL);
	if (!ps->failed)
		memo_put(&ps->inter, key, r);
	return r;
}

bool net_ps_has(const struct net_portsets *ps, uint32_t id, uint8_t proto, uint16_t port)
{
	if (id >= ps->nsets)
		return false;
	const struct set *s = &ps->sets[id];
	for (uint32_t i = 0; i < s->n; i++) {
		const struct net_range *r = &ps->pool[s->off + i];
		if (r->proto == proto && r->lo <= port && port <= r->hi)
			return true;
	}
	return false;
}

const struct net_range *net_ps_ranges(const struct net_portsets *ps, uint32_t id, size_t *n)
{
	if (id >= ps->nsets) {
		*n = 0;
		return NULL;
	}
	*n = ps->sets[id].n;
	return ps->pool + ps->sets[id].off;
}

void net_ps_format(const struct net_portsets *ps, uint32_t id, char *buf, size_t cap)
{
	size_t n, len = 0;
	const struct net_range *r = net_ps_ranges(ps, id, &n);
	if (cap)
		buf[0] = 0;
	if (id == NET_PS_ALL) {
		snprintf(buf, cap, "all ports");
		return;
	}
	if (n == 0) {
		snprintf(buf, cap, "none");
		return;
	}
	int last = -1;
	for (size_t i = 0; i < n && len + 1 < cap; i++) {
		int w;
		const char *sep = last < 0 ? "" : last == r[i].proto ? ", " : "; ";
		if (last != r[i].proto && r[i].lo == 1 && r[i].hi == 65535)
			w = snprintf(buf + len, cap - len, "%s%s all", sep,
			             net_proto_name(r[i].proto));
		else if (last != r[i].proto)
			w = snprintf(buf + len, cap - len, "%s%s %u", sep,
			             net_proto_name(r[i].proto), r[i].lo);
		else
			w = snprintf(buf + len, cap - len, "%s%u", sep, r[i].lo);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
		if (r[i].hi != r[i].lo && !(r[i].lo == 1 && r[i].hi == 65535)) {
			w = snprintf(buf + len, cap - len, "-%u", r[i].hi);
			if (w < 0 || (size_t)w >= cap - len)
				break;
			len += (size_t)w;
		}
		last = r[i].proto;
	}
}
