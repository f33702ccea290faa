/* Shared by the network harnesses: everything a caller does with a graph
 * once loaded (compute, check, every writer, a few --can questions), with
 * the invariants it relies on: an error always says why; the bulk matrix
 * equals the cell-by-cell evaluation; every finding has a known id. */
#ifndef HULL_FUZZ_NETWORK_COMMON_H
#define HULL_FUZZ_NETWORK_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/internal.h"
#include "network/network.h"

static inline bool fuzz_rule_known(const char *id)
{
	size_t n;
	const struct hull_rule *r = hull_net_rules(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].id, id))
			return true;
	return false;
}

static inline void fuzz_bulk_equals_cells(struct hull_net *net)
{
	uint32_t nc = net->nclasses;
	if (nc > 512)
		return;
	uint32_t *m = calloc((size_t)nc * nc, sizeof(*m));
	if (!m || net_k8s_matrix(net, m) < 0) {
		free(m);
		return;
	}
	for (uint32_t s = 0; s < nc; s++)
		for (uint32_t d = 0; d < nc; d++)
			if (!(s == d && d == net->world_cls) &&
			    m[(size_t)s * nc + d] != net_k8s_pair(net, s, d, NULL, NULL))
				abort();
	free(m);
}

/* Computes and exercises a loaded graph. */
static inline void fuzz_use(struct hull_net *net)
{
	struct hull_err err = {0};
	if (hull_net_compute(net, &err) < 0) {
		if (!err.msg[0])
			abort();
		return;
	}
	fuzz_bulk_equals_cells(net);
	struct hull_findings f = {0};
	if (hull_net_check(net, &f, &err) < 0 && !err.msg[0])
		abort();
	for (size_t i = 0; i < f.n; i++)
		if (!f.items[i].title || !fuzz_rule_known(f.items[i].id))
			abort();
	struct hull_findings_input in = {.findings = &f, .target = {.name = "fuzz"}};
	for (int fmt = HULL_NET_TABLE; fmt <= HULL_NET_DOT; fmt++) {
		struct hull_buf b;
		hull_buf_init(&b, 64u << 20);
		if (hull_net_write(net, (enum hull_net_format)fmt, &in, &b, &err) < 0 &&
		    !err.msg[0])
			abort();
		hull_buf_release(&b);
	}
	hull_findings_release(&f);
	size_t n = net->nw < 3 ? net->nw : 3;
	for (size_t s = 0; s < n; s++) {
		for (size_t d = 0; d < n; d++) {
			char dst[1024];
			struct hull_buf b;
			bool allowed;
			snprintf(dst, sizeof(dst), "%s:80", net->w[d].id);
			hull_buf_init(&b, 1u << 20);
			hull_net_can(net, net->w[s].id, dst, s == d, &b, &allowed, &err);
			hull_buf_release(&b);
		}
		char dst[1024];
		struct hull_buf b;
		bool allowed;
		snprintf(dst, sizeof(dst), "%s:http", net->w[s].id);
		hull_buf_init(&b, 1u << 20);
		hull_net_can(net, "internet", dst, false, &b, &allowed, &err);
		hull_net_can(net, net->w[s].id, "203.0.113.7:443/udp", true, &b, &allowed, &err);
		hull_buf_release(&b);
	}
}

#endif
