/* Helpers shared by the network unit tests: build a graph from YAML text
 * or files, compute it, and ask it questions. */
#ifndef HULL_TESTS_NETWORK_HELPERS_H
#define HULL_TESTS_NETWORK_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/internal.h"
#include "network/network.h"
#include "tap.h"
#include "util/fs.h"

/* Reads a file of the source tree (HULL_SRC) or NULL. */
static inline char *src_file(const char *rel, size_t *len)
{
	char path[4096];
	const char *root = getenv("HULL_SRC");
	char *data = NULL;
	struct hull_err err = {0};
	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	if (hull_fs_read_file(path, 64u << 20, &data, len, &err) < 0)
		return NULL;
	return data;
}

/* Loads text as a file named name; returns 0 or -1 (message printed). */
static inline int load_text(struct hull_net *net, const char *text, const char *name)
{
	struct hull_err err = {0};
	bool loaded;
	if (hull_net_load(net, text, strlen(text), name, NULL, &loaded, &err) < 0) {
		printf("# load %s: %s\n", name, err.msg);
		return -1;
	}
	return loaded ? 0 : -1;
}

/* 1 allowed, 0 denied, -1 error (printed). */
static inline int can(struct hull_net *net, const char *src, const char *dst)
{
	struct hull_buf b;
	struct hull_err err = {0};
	bool allowed;
	hull_buf_init(&b, 1u << 20);
	int rc = hull_net_can(net, src, dst, false, &b, &allowed, &err);
	hull_buf_release(&b);
	if (rc < 0) {
		printf("# can %s %s: %s\n", src, dst, err.msg);
		return -1;
	}
	return allowed;
}

/* Does the bulk matrix equal the cell-by-cell evaluation? */
static inline bool bulk_matches_cells(struct hull_net *net)
{
	uint32_t nc = net->nclasses;
	uint32_t *m = calloc((size_t)nc * nc, sizeof(*m));
	bool ok = m && net_k8s_matrix(net, m) == 0;
	for (uint32_t s = 0; ok && s < nc; s++)
		for (uint32_t d = 0; ok && d < nc; d++) {
			if (s == d && d == net->world_cls)
				continue;
			uint32_t cell = net_k8s_pair(net, s, d, NULL, NULL);
			if (cell != m[(size_t)s * nc + d]) {
				char a[256], b[256];
				net_ps_format(net->ps, m[(size_t)s * nc + d], a, sizeof(a));
				net_ps_format(net->ps, cell, b, sizeof(b));
				printf("# class %u -> %u: bulk %s, cell %s\n", s, d, a, b);
				ok = false;
			}
		}
	free(m);
	return ok;
}

/* Does the pod-by-pod evaluation (hostnet.c) give the class matrix's
 * answer on every Kubernetes pair, the internet included? */
static inline bool direct_matches_cells(struct hull_net *net)
{
	bool ok = true;
	for (size_t s = 0; s <= net->nw; s++)
		for (size_t d = 0; d <= net->nw; d++) {
			size_t ss = s == net->nw ? NET_NONE : s, dd = d == net->nw ? NET_NONE : d;
			const struct net_workload *w = ss != NET_NONE   ? &net->w[ss]
			                               : dd != NET_NONE ? &net->w[dd]
			                                                : NULL;
			if (ss == dd || !w || !net->domains[w->domain].k8s ||
			    (ss != NET_NONE && dd != NET_NONE &&
			     net->w[ss].domain != net->w[dd].domain))
				continue;
			uint32_t direct =
			    net_k8s_pair_direct(net, ss, dd, NULL, net->opts.hostnet_select);
			uint32_t cell = net_reach(net, ss, dd);
			if (direct != cell) {
				char a[256], b[256];
				net_ps_format(net->ps, direct, a, sizeof(a));
				net_ps_format(net->ps, cell, b, sizeof(b));
				printf("# %s -> %s: direct %s, classes %s\n",
				       ss == NET_NONE ? "internet" : net->w[ss].id,
				       dd == NET_NONE ? "internet" : net->w[dd].id, a, b);
				ok = false;
			}
		}
	return ok;
}

#endif
