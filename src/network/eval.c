/* eval: reachability.
 *
 * Kubernetes. A connection from pod S to pod D on port P is allowed when
 * D's ingress allows it (D is not selected by any policy with Ingress in
 * its policyTypes, or some ingress rule of such a policy matches S and P)
 * and S's egress allows it (the same with Egress and egress rules). Rules
 * only add: the result is a union over rules, then an intersection of the
 * two directions. Ports depend on D (named ports resolve against D's
 * container ports), peers on S.
 *
 * Pods that every selector and peer treats alike (the same policies
 * select them, the same peers match them, the same named ports) are one
 * class: the matrix is computed on classes, so thousands of replicas or
 * look-alike pods cost nothing. The internet is one more class, matched
 * by rules without peers and by ipBlocks that hold every public address.
 *
 * The bulk pass (hull_net_compute) walks destination classes and builds
 * each column from the rules that touch it (sparse), so its cost is
 * classes squared plus the matches of the rules, not classes squared
 * times rules; net_k8s_pair evaluates one cell directly and is what
 * explanations and the per-edge output use. Tests check that both agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "network/internal.h"

#define WORDS(n) (((size_t)(n) + 63) / 64)

bool net_cls_bit(const uint64_t *bits, uint32_t c)
{
	return !bits || (bits[c >> 6] >> (c & 63)) & 1;
}

static void set_bit(uint64_t *bits, size_t i)
{
	bits[i >> 6] |= 1ull << (i & 63);
}

static bool test_bit(const uint64_t *bits, size_t i)
{
	return (bits[i >> 6] >> (i & 63)) & 1;
}

/* ---- matching ---------------------------------------------------------------------- */

bool net_selects_as(const struct hull_net *net, const struct net_policy *p,
                    const struct net_workload *w, bool select)
{
	(void)net;
	/* hostNetwork pods share the node's address: the common plugins cannot
	 * tell them apart from the node, so no policy selects them */
	return net_pod_seen(w, select) && w->ns_idx == p->ns_idx &&
	       net_selector_match(&p->sel, &w->labels);
}

bool net_selects(const struct hull_net *net, const struct net_policy *p,
                 const struct net_workload *w)
{
	return net_selects_as(net, p, w, net->opts.hostnet_select);
}

static bool ns_match(const struct hull_net *net, const struct net_selector *sel, size_t ns)
{
	return ns < net->nnss && net_selector_match(sel, &net->nss[ns].labels);
}

bool net_peer_matches_as(const struct hull_net *net, const struct net_policy *p,
                         const struct net_peer *peer, const struct net_workload *w, bool select)
{
	bool seen = net_pod_seen(w, select);
	switch (peer->kind) {
	case NET_PEER_POD:
		return seen && w->ns_idx == p->ns_idx && net_selector_match(&peer->pod, &w->labels);
	case NET_PEER_NS:
		return seen && ns_match(net, &peer->ns, w->ns_idx);
	case NET_PEER_BOTH:
		return seen && ns_match(net, &peer->ns, w->ns_idx) &&
		       net_selector_match(&peer->pod, &w->labels);
	case NET_PEER_IPBLOCK:
		for (size_t i = 0; i < w->nips; i++)
			if (net_ipblock_contains(&peer->block, &w->ips[i]))
				return true;
		return false;
	}
	return false;
}

bool net_peer_matches(const struct hull_net *net, const struct net_policy *p,
                      const struct net_peer *peer, const struct net_workload *w)
{
	return net_peer_matches_as(net, p, peer, w, net->opts.hostnet_select);
}

/* ---- ports ------------------------------------------------------------------------- */

#define MAX_RULE_RANGES 4096

uint32_t net_rule_ports(struct hull_net *net, const struct net_rule *r, size_t dst)
{
	if (r->any_port)
		return NET_PS_ALL;
	if (!r->has_named && r->fixed != NET_PS_EMPTY)
		return r->fixed;
	struct net_range rr[MAX_RULE_RANGES];
	size_t n = 0;
	const struct net_workload *d = dst == NET_NONE ? NULL : &net->w[dst];
	for (size_t i = 0; i < r->nports && n < MAX_RULE_RANGES; i++) {
		const struct net_pport *p = &r->ports[i];
		if (p->all) {
			rr[n++] = (struct net_range){.proto = p->proto, .lo = 1, .hi = 65535};
		} else if (!p->name) {
			rr[n++] = (struct net_range){.proto = p->proto, .lo = p->lo, .hi = p->hi};
		} else {
			/* a named port means the port of that name on the
			 * destination pod, with the same protocol */
			for (size_t k = 0; d && k < d->nports && n < MAX_RULE_RANGES; k++)
				if (d->ports[k].name && d->ports[k].proto == p->proto &&
				    !strcmp(d->ports[k].name, p->name))
					rr[n++] = (struct net_range){.proto = p->proto,
					                             .lo = d->ports[k].lo,
					                             .hi = d->ports[k].hi};
		}
	}
	bool oom = false;
	return net_ps_make(net->ps, rr, n, &oom);
}

/* ---- classes ------------------------------------------------------------------------ */

struct prep {
	size_t *kw; /* Kubernetes workloads */
	size_t nk;
	size_t nitems;    /* policies then peers */
	uint64_t **items; /* per item: workloads (over kw) matched */
	struct net_peer **peers;
	size_t npeers;
	size_t *rep_k;  /* the representative of each class, as an index in kw */
	uint64_t *pool; /* the items' bits */
};

static int collect_peers(struct hull_net *net, struct prep *pp)
{
	size_t n = 0;
	for (size_t i = 0; i < net->npols; i++) {
		const struct net_policy *p = &net->pols[i];
		for (size_t r = 0; r < p->nin; r++)
			n += p->in[r].npeers;
		for (size_t r = 0; r < p->neg; r++)
			n += p->eg[r].npeers;
	}
	pp->peers = calloc(n ? n : 1, sizeof(*pp->peers));
	if (!pp->peers)
		return -1;
	for (size_t i = 0; i < net->npols; i++) {
		struct net_policy *p = &net->pols[i];
		for (size_t r = 0; r < p->nin; r++)
			for (size_t k = 0; k < p->in[r].npeers; k++)
				pp->peers[pp->npeers++] = &p->in[r].peers[k];
		for (size_t r = 0; r < p->neg; r++)
			for (size_t k = 0; k < p->eg[r].npeers; k++)
				pp->peers[pp->npeers++] = &p->eg[r].peers[k];
	}
	return 0;
}

static const struct net_policy *peer_policy(const struct hull_net *net, const struct net_peer *peer,
                                            size_t *hint)
{
	/* peers were collected policy by policy: walk forward from the hint */
	for (; *hint < net->npols; (*hint)++) {
		const struct net_policy *p = &net->pols[*hint];
		for (size_t r = 0; r < p->nin; r++)
			if (p->in[r].npeers && peer >= p->in[r].peers &&
			    peer < p->in[r].peers + p->in[r].npeers)
				return p;
		for (size_t r = 0; r < p->neg; r++)
			if (p->eg[r].npeers && peer >= p->eg[r].peers &&
			    peer < p->eg[r].peers + p->eg[r].npeers)
				return p;
	}
	return NULL;
}

/* Which pods each policy selects and each peer matches. Namespace
 * selectors are evaluated once per namespace. */
static int match_items(struct hull_net *net, struct prep *pp)
{
	size_t words = WORDS(pp->nk);
	pp->nitems = net->npols + pp->npeers;
	/* policies and peers times pods, one bit each: bounded like the graph */
	if (words && pp->nitems > HULL_NET_MAX_BYTES / 8 / words)
		return net_fail(net, HULL_ERR_LIMIT,
		                "%zu policies and peers over %zu pods: more than %u MiB of matches",
		                pp->nitems, pp->nk, HULL_NET_MAX_BYTES >> 20);
	pp->items = calloc(pp->nitems ? pp->nitems : 1, sizeof(*pp->items));
	uint64_t *pool = calloc((pp->nitems ? pp->nitems : 1) * (words ? words : 1), sizeof(*pool));
	bool *nsok = calloc(net->nnss ? net->nnss : 1, sizeof(*nsok));
	if (!pp->items || !pool || !nsok) {
		free(pool);
		free(nsok);
		return -1;
	}
	pp->pool = pool;
	for (size_t i = 0; i < pp->nitems; i++)
		pp->items[i] = pool + i * words;
	for (size_t i = 0; i < net->npols; i++) {
		const struct net_policy *p = &net->pols[i];
		for (size_t k = 0; k < pp->nk; k++)
			if (net_selects(net, p, &net->w[pp->kw[k]]))
				set_bit(pp->items[i], k);
	}
	size_t hint = 0;
	for (size_t i = 0; i < pp->npeers; i++) {
		const struct net_peer *peer = pp->peers[i];
		const struct net_policy *p = peer_policy(net, peer, &hint);
		uint64_t *bits = pp->items[net->npols + i];
		if (!p)
			continue;
		if (peer->kind == NET_PEER_NS || peer->kind == NET_PEER_BOTH)
			for (size_t n = 0; n < net->nnss; n++)
				nsok[n] = ns_match(net, &peer->ns, n);
		for (size_t k = 0; k < pp->nk; k++) {
			const struct net_workload *w = &net->w[pp->kw[k]];
			bool seen = net_pod_seen(w, net->opts.hostnet_select), m;
			if (peer->kind == NET_PEER_NS)
				m = seen && w->ns_idx < net->nnss && nsok[w->ns_idx];
			else if (peer->kind == NET_PEER_BOTH)
				m = seen && w->ns_idx < net->nnss && nsok[w->ns_idx] &&
				    net_selector_match(&peer->pod, &w->labels);
			else
				m = net_peer_matches(net, p, peer, w);
			if (m)
				set_bit(bits, k);
		}
	}
	free(nsok);
	return 0;
}

/* The named ports of a workload as one interned string: pods with the
 * same table resolve every named port alike. */
static uint32_t named_table(struct hull_net *net, const struct net_workload *w)
{
	char buf[4096];
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < w->nports; i++) {
		if (!w->ports[i].name)
			continue;
		int n = snprintf(buf + len, sizeof(buf) - len, "%s/%u/%u-%u;", w->ports[i].name,
		                 w->ports[i].proto, w->ports[i].lo, w->ports[i].hi);
		if (n < 0 || (size_t)n >= sizeof(buf) - len) {
			/* too many to spell: unique per workload */
			snprintf(buf, sizeof(buf), "#%p", (const void *)w);
			break;
		}
		len += (size_t)n;
	}
	return net_intern(net, buf);
}

struct sig {
	uint64_t hash;
	uint32_t named;
	bool host;
	size_t k; /* index in kw */
};

static int cmp_sig(const void *a, const void *b)
{
	const struct sig *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->named != y->named)
		return x->named < y->named ? -1 : 1;
	if (x->host != y->host)
		return x->host ? 1 : -1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static uint64_t zobrist(size_t i)
{
	uint64_t z = (uint64_t)i * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static bool same_items(const struct prep *pp, size_t a, size_t b)
{
	for (size_t i = 0; i < pp->nitems; i++)
		if (test_bit(pp->items[i], a) != test_bit(pp->items[i], b))
			return false;
	return true;
}

static int make_classes(struct hull_net *net, struct prep *pp)
{
	struct sig *sg = calloc(pp->nk ? pp->nk : 1, sizeof(*sg));
	if (!sg)
		return -1;
	for (size_t k = 0; k < pp->nk; k++) {
		const struct net_workload *w = &net->w[pp->kw[k]];
		sg[k].k = k;
		sg[k].named = named_table(net, w);
		sg[k].host = w->host_network;
	}
	/* item by item, word by word: cheaper than workload by workload */
	for (size_t i = 0; i < pp->nitems; i++) {
		uint64_t z = zobrist(i);
		for (size_t wd = 0; wd < WORDS(pp->nk); wd++)
			for (uint64_t m = pp->items[i][wd]; m; m &= m - 1)
				sg[wd * 64 + (size_t)__builtin_ctzll(m)].hash += z;
	}
	qsort(sg, pp->nk, sizeof(*sg), cmp_sig);
	net->cls_rep = net_alloc(net, (pp->nk + 1) * sizeof(*net->cls_rep));
	net->cls_size = net_alloc(net, (pp->nk + 1) * sizeof(*net->cls_size));
	pp->rep_k = calloc(pp->nk + 1, sizeof(*pp->rep_k));
	if (!net->cls_rep || !net->cls_size || !pp->rep_k) {
		free(sg);
		return -1;
	}
	uint32_t nc = 0;
	for (size_t i = 0; i < pp->nk; i++) {
		/* a run of equal hashes may still hold different signatures:
		 * look for an equal class among the run's classes */
		uint32_t cls = UINT32_MAX;
		for (size_t j = i; j-- > 0 && sg[j].hash == sg[i].hash;) {
			const struct net_workload *o = &net->w[pp->kw[sg[j].k]];
			if (sg[j].named == sg[i].named && sg[j].host == sg[i].host &&
			    same_items(pp, sg[j].k, sg[i].k)) {
				cls = o->cls;
				break;
			}
		}
		struct net_workload *w = &net->w[pp->kw[sg[i].k]];
		if (cls == UINT32_MAX) {
			cls = nc++;
			net->cls_rep[cls] = pp->kw[sg[i].k];
			pp->rep_k[cls] = sg[i].k;
		}
		w->cls = cls;
		net->cls_size[cls]++;
	}
	free(sg);
	net->world_cls = nc;
	net->cls_rep[nc] = NET_NONE;
	net->cls_size[nc] = 0;
	net->nclasses = nc + 1;
	net->words = WORDS(net->nclasses);
	return 0;
}

/* Class bitsets of policies (selection) and rules (peers), and each
 * class's rules. */
static int class_sets(struct hull_net *net, struct prep *pp)
{
	size_t words = net->words;
	size_t peer = 0;
	for (size_t i = 0; i < net->npols; i++) {
		struct net_policy *p = &net->pols[i];
		p->selects = net_alloc(net, words * sizeof(uint64_t));
		if (!p->selects)
			return -1;
		/* the class's representative decides for the class */
		for (uint32_t c = 0; c + 1 < net->nclasses; c++)
			if (test_bit(pp->items[i], pp->rep_k[c]))
				set_bit(p->selects, c);
		for (size_t k = 0; k < pp->nk; k++)
			p->nselected += test_bit(pp->items[i], k);
		struct net_rule *lists[2] = {p->in, p->eg};
		size_t counts[2] = {p->nin, p->neg};
		for (int l = 0; l < 2; l++) {
			for (size_t r = 0; r < counts[l]; r++) {
				struct net_rule *rule = &lists[l][r];
				rule->fixed = rule->has_named ? NET_PS_EMPTY
				                              : net_rule_ports(net, rule, NET_NONE);
				if (rule->any_peer) {
					rule->bits = NULL;
					rule->world = true;
					continue;
				}
				rule->bits = net_alloc(net, words * sizeof(uint64_t));
				if (!rule->bits)
					return -1;
				for (size_t q = 0; q < rule->npeers; q++, peer++) {
					struct net_peer *pe = &rule->peers[q];
					pe->bits = net_alloc(net, words * sizeof(uint64_t));
					if (!pe->bits)
						return -1;
					const uint64_t *wb = pp->items[net->npols + peer];
					for (uint32_t c = 0; c + 1 < net->nclasses; c++)
						if (test_bit(wb, pp->rep_k[c]))
							set_bit(pe->bits, c);
					pe->world = pe->kind == NET_PEER_IPBLOCK && pe->block.world;
					if (pe->world)
						set_bit(pe->bits, net->world_cls);
					if (pe->kind == NET_PEER_IPBLOCK && !pe->block.world)
						rule->world_partial = true;
					for (size_t wd = 0; wd < words; wd++)
						rule->bits[wd] |= pe->bits[wd];
					rule->world |= pe->world;
				}
			}
		}
	}
	return 0;
}

static int class_rules(struct hull_net *net)
{
	uint32_t nc = net->nclasses;
	net->in_rules = net_alloc(net, nc * sizeof(*net->in_rules));
	net->eg_rules = net_alloc(net, nc * sizeof(*net->eg_rules));
	net->iso_in = net_alloc(net, nc * sizeof(*net->iso_in));
	net->iso_eg = net_alloc(net, nc * sizeof(*net->iso_eg));
	if (!net->in_rules || !net->eg_rules || !net->iso_in || !net->iso_eg)
		return -1;
	for (size_t i = 0; i < net->npols; i++) {
		struct net_policy *p = &net->pols[i];
		for (uint32_t c = 0; c + 1 < nc; c++) {
			if (!test_bit(p->selects, c))
				continue;
			if (p->ingress) {
				net->iso_in[c] = true;
				for (size_t r = 0; r < p->nin; r++) {
					struct net_cls_rule *e =
					    NET_PUSH(net, net->in_rules[c].v, net->in_rules[c].n,
					             net->in_rules[c].cap, SIZE_MAX / 2);
					if (!e)
						return -1;
					e->r = &p->in[r];
					e->ports = net_rule_ports(net, &p->in[r], net->cls_rep[c]);
				}
			}
			if (p->egress) {
				net->iso_eg[c] = true;
				for (size_t r = 0; r < p->neg; r++) {
					struct net_cls_rule *e =
					    NET_PUSH(net, net->eg_rules[c].v, net->eg_rules[c].n,
					             net->eg_rules[c].cap, SIZE_MAX / 2);
					if (!e)
						return -1;
					e->r = &p->eg[r];
					e->ports = p->eg[r].fixed;
				}
			}
		}
	}
	return 0;
}

/* ---- one cell ------------------------------------------------------------------------- */

uint32_t net_k8s_pair(struct hull_net *net, uint32_t cs, uint32_t cd, uint32_t *in_ports,
                      uint32_t *eg_ports)
{
	struct net_portsets *ps = net->ps;
	uint32_t in = NET_PS_ALL, eg = NET_PS_ALL;
	if (net->iso_in[cd]) {
		in = NET_PS_EMPTY;
		const struct net_cls_rules *l = &net->in_rules[cd];
		for (size_t i = 0; i < l->n; i++)
			if (net_cls_bit(l->v[i].r->bits, cs))
				in = net_ps_union(ps, in, l->v[i].ports);
	}
	if (net->iso_eg[cs]) {
		eg = NET_PS_EMPTY;
		const struct net_cls_rules *l = &net->eg_rules[cs];
		for (size_t i = 0; i < l->n; i++)
			if (net_cls_bit(l->v[i].r->bits, cd))
				eg = net_ps_union(
				    ps, eg,
				    l->v[i].r->has_named
				        ? net_rule_ports(net, l->v[i].r, net->cls_rep[cd])
				        : l->v[i].ports);
	}
	if (in_ports)
		*in_ports = in;
	if (eg_ports)
		*eg_ports = eg;
	return net_ps_inter(ps, in, eg);
}

/* ---- the bulk pass -------------------------------------------------------------------- */

struct cls_sum {
	size_t reached_by, reaches;
	uint32_t from_world, to_world;
	/* distinct database ports of the class's members, with counts */
	struct net_range db[8];
	size_t db_by[8];
	size_t ndb;
};

struct bulk {
	uint32_t *colin, *coleg;
	struct net_cls_rules *eg_by_dst; /* egress rules whose peers hold the class */
	struct net_cls_rules any_eg;     /* egress rules without peers */
	struct net_rule **eg_pol_rules;
	struct cls_sum *cs;
};

static int egress_index(struct hull_net *net, struct bulk *b)
{
	b->eg_by_dst = calloc(net->nclasses, sizeof(*b->eg_by_dst));
	if (!b->eg_by_dst)
		return -1;
	for (size_t i = 0; i < net->npols; i++) {
		struct net_policy *p = &net->pols[i];
		if (!p->egress)
			continue;
		for (size_t r = 0; r < p->neg; r++) {
			struct net_rule *rule = &p->eg[r];
			if (!rule->bits) {
				struct net_cls_rule *e = NET_PUSH(net, b->any_eg.v, b->any_eg.n,
				                                  b->any_eg.cap, SIZE_MAX / 2);
				if (!e)
					return -1;
				e->r = rule;
				continue;
			}
			for (size_t wd = 0; wd < net->words; wd++) {
				for (uint64_t m = rule->bits[wd]; m; m &= m - 1) {
					size_t c = wd * 64 + (size_t)__builtin_ctzll(m);
					struct net_cls_rule *e =
					    NET_PUSH(net, b->eg_by_dst[c].v, b->eg_by_dst[c].n,
					             b->eg_by_dst[c].cap, SIZE_MAX / 2);
					if (!e)
						return -1;
					e->r = rule;
				}
			}
		}
	}
	return 0;
}

static void add_egress(struct hull_net *net, struct bulk *b, const struct net_rule *r, uint32_t d)
{
	uint32_t ports = net_rule_ports(net, r, net->cls_rep[d]);
	const struct net_policy *p = &net->pols[r->policy];
	if (ports == NET_PS_EMPTY)
		return;
	for (size_t wd = 0; wd < net->words; wd++)
		for (uint64_t m = p->selects[wd]; m; m &= m - 1) {
			size_t s = wd * 64 + (size_t)__builtin_ctzll(m);
			b->coleg[s] = net_ps_union(net->ps, b->coleg[s], ports);
		}
}

/* Column d: what every class may open on class d. */
static void column(struct hull_net *net, struct bulk *b, uint32_t d)
{
	struct net_portsets *ps = net->ps;
	uint32_t nc = net->nclasses, any_in = NET_PS_EMPTY;
	bool iso = net->iso_in[d];
	for (uint32_t s = 0; s < nc; s++) {
		b->colin[s] = iso ? NET_PS_EMPTY : NET_PS_ALL;
		b->coleg[s] = net->iso_eg[s] ? NET_PS_EMPTY : NET_PS_ALL;
	}
	const struct net_cls_rules *l = &net->in_rules[d];
	for (size_t i = 0; iso && i < l->n; i++) {
		const struct net_rule *r = l->v[i].r;
		if (!r->bits) {
			any_in = net_ps_union(ps, any_in, l->v[i].ports);
			continue;
		}
		for (size_t wd = 0; wd < net->words; wd++)
			for (uint64_t m = r->bits[wd]; m; m &= m - 1) {
				size_t s = wd * 64 + (size_t)__builtin_ctzll(m);
				b->colin[s] = net_ps_union(ps, b->colin[s], l->v[i].ports);
			}
	}
	for (size_t i = 0; i < b->eg_by_dst[d].n; i++)
		add_egress(net, b, b->eg_by_dst[d].v[i].r, d);
	for (size_t i = 0; i < b->any_eg.n; i++)
		add_egress(net, b, b->any_eg.v[i].r, d);
	if (any_in != NET_PS_EMPTY)
		for (uint32_t s = 0; s < nc; s++)
			b->colin[s] = net_ps_union(ps, b->colin[s], any_in);
}

static void account(struct hull_net *net, struct bulk *b, uint32_t s, uint32_t d, uint32_t res)
{
	struct cls_sum *cd = &b->cs[d], *cs = &b->cs[s];
	if (s == net->world_cls) {
		cd->from_world = res;
		return;
	}
	if (d == net->world_cls) {
		cs->to_world = res;
		return;
	}
	if (res == NET_PS_EMPTY)
		return;
	size_t pairs_from = net->cls_size[s] - (s == d);
	cd->reached_by += pairs_from;
	cs->reaches += net->cls_size[d] - (s == d);
	net->edges_allowed += net->cls_size[s] * net->cls_size[d] - (s == d ? net->cls_size[s] : 0);
	for (size_t i = 0; i < cd->ndb; i++)
		if (net_ps_has(net->ps, res, cd->db[i].proto, cd->db[i].lo))
			cd->db_by[i] += pairs_from;
}

static void class_db_ports(struct hull_net *net, struct bulk *b, const size_t *kw, size_t nk)
{
	for (size_t k = 0; k < nk; k++) {
		const struct net_workload *w = &net->w[kw[k]];
		struct cls_sum *c = &b->cs[w->cls];
		for (size_t i = 0; i < w->nports; i++) {
			const struct net_port *p = &w->ports[i];
			if (!net_db_port(p->lo))
				continue;
			bool have = false;
			for (size_t j = 0; j < c->ndb && !have; j++)
				have = c->db[j].proto == p->proto && c->db[j].lo == p->lo;
			if (!have && c->ndb < 8)
				c->db[c->ndb++] =
				    (struct net_range){.proto = p->proto, .lo = p->lo, .hi = p->lo};
		}
	}
}

static void k8s_summary(struct hull_net *net, const struct bulk *b, const size_t *kw, size_t nk)
{
	for (size_t k = 0; k < nk; k++) {
		struct net_workload *w = &net->w[kw[k]];
		struct net_summary *s = &net->sum[kw[k]];
		const struct cls_sum *c = &b->cs[w->cls];
		s->sources = nk - 1;
		s->reached_by = c->reached_by;
		s->reaches = c->reaches;
		s->from_world = c->from_world;
		s->to_world = c->to_world;
		for (size_t i = 0; i < w->nports && s->ndb < 4; i++) {
			const struct net_port *p = &w->ports[i];
			for (size_t j = 0; net_db_port(p->lo) && j < c->ndb; j++) {
				if (c->db[j].proto != p->proto || c->db[j].lo != p->lo)
					continue;
				s->db_port[s->ndb] = p->lo;
				s->db_proto[s->ndb] = p->proto;
				s->db_reached_by[s->ndb++] = c->db_by[j];
			}
		}
	}
}

static void bulk_free(struct bulk *b)
{
	free(b->colin);
	free(b->coleg);
	free(b->cs);
	free(b->eg_by_dst);
}

static int bulk_init(struct hull_net *net, struct bulk *b)
{
	uint32_t nc = net->nclasses;
	memset(b, 0, sizeof(*b));
	b->colin = calloc(nc, sizeof(*b->colin));
	b->coleg = calloc(nc, sizeof(*b->coleg));
	b->cs = calloc(nc, sizeof(*b->cs));
	if (!b->colin || !b->coleg || !b->cs || egress_index(net, b) < 0) {
		bulk_free(b);
		return -1;
	}
	return 0;
}

static int k8s_bulk(struct hull_net *net, const size_t *kw, size_t nk)
{
	struct bulk b;
	uint32_t nc = net->nclasses;
	if (bulk_init(net, &b) < 0)
		return -1;
	class_db_ports(net, &b, kw, nk);
	for (uint32_t d = 0; d < nc; d++) {
		column(net, &b, d);
		for (uint32_t s = 0; s < nc; s++) {
			if (s == d && d == net->world_cls)
				continue;
			account(net, &b, s, d, net_ps_inter(net->ps, b.colin[s], b.coleg[s]));
		}
	}
	k8s_summary(net, &b, kw, nk);
	bulk_free(&b);
	return net_ps_failed(net->ps) ? -1 : 0;
}

int net_k8s_matrix(struct hull_net *net, uint32_t *m)
{
	struct bulk b;
	uint32_t nc = net->nclasses;
	if (!net->computed || bulk_init(net, &b) < 0)
		return -1;
	for (uint32_t d = 0; d < nc; d++) {
		column(net, &b, d);
		for (uint32_t s = 0; s < nc; s++)
			m[(size_t)s * nc + d] = net_ps_inter(net->ps, b.colin[s], b.coleg[s]);
	}
	bulk_free(&b);
	return 0;
}

static int k8s_compute(struct hull_net *net)
{
	struct prep pp = {0};
	int rc = -1;
	pp.kw = calloc(net->nw ? net->nw : 1, sizeof(*pp.kw));
	if (!pp.kw)
		return -1;
	for (size_t i = 0; i < net->nw; i++)
		if (net->domains[net->w[i].domain].k8s)
			pp.kw[pp.nk++] = i;
	if (collect_peers(net, &pp) < 0 || match_items(net, &pp) < 0 ||
	    make_classes(net, &pp) < 0 || class_sets(net, &pp) < 0 || class_rules(net) < 0 ||
	    k8s_bulk(net, pp.kw, pp.nk) < 0 || net_hostnet_deps(net) < 0)
		goto out;
	rc = 0;
out:
	free(pp.pool);
	free(pp.items);
	free(pp.peers);
	free(pp.rep_k);
	free(pp.kw);
	return rc;
}

/* ---- every domain ------------------------------------------------------------------------ */

uint32_t net_reach(struct hull_net *net, size_t s, size_t d)
{
	const struct net_workload *ws = s == NET_NONE ? NULL : &net->w[s];
	const struct net_workload *wd = d == NET_NONE ? NULL : &net->w[d];
	bool k8s = (ws && net->domains[ws->domain].k8s) || (wd && net->domains[wd->domain].k8s);
	if (ws && wd && ws->domain != wd->domain)
		return NET_PS_EMPTY;
	if (k8s)
		return net_k8s_pair(net, ws ? ws->cls : net->world_cls,
		                    wd ? wd->cls : net->world_cls, NULL, NULL);
	return net_docker_pair(net, s, d, NULL);
}

static void docker_summary(struct hull_net *net, size_t dom)
{
	size_t n = 0;
	for (size_t i = 0; i < net->nw; i++)
		n += net->w[i].domain == dom;
	for (size_t d = 0; d < net->nw; d++) {
		struct net_workload *w = &net->w[d];
		if (w->domain != dom)
			continue;
		struct net_summary *sm = &net->sum[d];
		sm->sources = n - 1;
		sm->from_world = net_docker_pair(net, NET_NONE, d, NULL);
		sm->to_world = net_docker_pair(net, d, NET_NONE, NULL);
		for (size_t i = 0; i < w->nports && sm->ndb < 4; i++)
			if (net_db_port(w->ports[i].lo)) {
				sm->db_port[sm->ndb] = w->ports[i].lo;
				sm->db_proto[sm->ndb++] = w->ports[i].proto;
			}
		for (size_t s = 0; s < net->nw; s++) {
			if (s == d || net->w[s].domain != dom)
				continue;
			uint32_t r = net_docker_pair(net, s, d, NULL);
			if (r == NET_PS_EMPTY)
				continue;
			sm->reached_by++;
			net->sum[s].reaches++;
			net->edges_allowed++;
			for (size_t i = 0; i < sm->ndb; i++)
				sm->db_reached_by[i] +=
				    net_ps_has(net->ps, r, sm->db_proto[i], sm->db_port[i]);
		}
	}
}

int hull_net_compute(struct hull_net *net, struct hull_err *err)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph already computed");
	if (net->failed) {
		*err = net->err;
		return -1;
	}
	net->computed = true;
	net_assign_ids(net);
	net->sum = net_alloc(net, (net->nw ? net->nw : 1) * sizeof(*net->sum));
	if (!net->sum || k8s_compute(net) < 0) {
		if (!net->failed)
			net_fail(net, HULL_ERR_NOMEM, "out of memory while computing reachability");
		*err = net->err;
		return -1;
	}
	for (size_t i = 0; i < net->ndomains; i++)
		if (!net->domains[i].k8s)
			docker_summary(net, i);
	net_exposures(net);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	net->compute_seconds =
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (net->failed || net_ps_failed(net->ps)) {
		if (!net->failed)
			net_fail(net, HULL_ERR_LIMIT, "too many distinct port sets");
		*err = net->err;
		return -1;
	}
	return 0;
}

void hull_net_stats(const struct hull_net *net, struct hull_net_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->workloads = net->nw;
	out->classes = net->nclasses ? net->nclasses - 1 : 0;
	out->policies = net->npols;
	out->networks = net->nnets;
	out->services = net->nsvcs;
	out->exposures = net->nexpo;
	out->edges = net->edges_allowed;
	out->compute_seconds = net->compute_seconds;
}
