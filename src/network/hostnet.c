/* hostnet: which answers depend on how the network plugin treats
 * hostNetwork pods.
 *
 * The Kubernetes documentation leaves it to the plugin: in the most common
 * implementation no NetworkPolicy selects a hostNetwork pod and no pod or
 * namespace selector matches it (its traffic is the node's); some plugins
 * treat it as an ordinary pod. hull computes the matrix under one model
 * (net->opts.hostnet_select) and, for every pair with a hostNetwork pod on
 * either side, evaluates the pair directly under the other: the pairs
 * where the two differ are listed, so no answer silently rests on the
 * model. Pairs of ordinary pods never depend on it (selection and peer
 * matching only change for the hostNetwork pod itself). */
#include "network/internal.h"

/* Does rule r of policy p match the far end: a workload, or (NET_NONE)
 * the address ip, or the internet when ip is NULL? */
static bool rule_matches(const struct hull_net *net, const struct net_policy *p,
                         const struct net_rule *r, size_t far, const struct net_addr *ip,
                         bool select)
{
	if (r->any_peer)
		return true;
	for (size_t i = 0; i < r->npeers; i++) {
		const struct net_peer *peer = &r->peers[i];
		bool block = peer->kind == NET_PEER_IPBLOCK;
		if (far != NET_NONE ? net_peer_matches_as(net, p, peer, &net->w[far], select)
		    : ip            ? block && net_ipblock_contains(&peer->block, ip)
		                    : block && peer->block.world)
			return true;
	}
	return false;
}

/* What the policies of `self` allow in one direction towards / from
 * `far`; ports resolve on the destination `dst`. */
static uint32_t direction(struct hull_net *net, size_t self, size_t far, const struct net_addr *ip,
                          size_t dst, bool ingress, bool select)
{
	const struct net_workload *w = &net->w[self];
	bool isolated = false;
	uint32_t ports = NET_PS_EMPTY;
	for (size_t i = 0; i < net->npols; i++) {
		const struct net_policy *p = &net->pols[i];
		if (!(ingress ? p->ingress : p->egress) || !net_selects_as(net, p, w, select))
			continue;
		isolated = true;
		const struct net_rule *rules = ingress ? p->in : p->eg;
		size_t n = ingress ? p->nin : p->neg;
		for (size_t r = 0; r < n; r++)
			if (rule_matches(net, p, &rules[r], far, ip, select))
				ports = net_ps_union(net->ps, ports,
				                     net_rule_ports(net, &rules[r], dst));
	}
	return isolated ? ports : NET_PS_ALL;
}

uint32_t net_k8s_pair_direct(struct hull_net *net, size_t s, size_t d, const struct net_addr *ip,
                             bool select)
{
	uint32_t in = d == NET_NONE ? NET_PS_ALL : direction(net, d, s, ip, d, true, select);
	uint32_t eg = s == NET_NONE ? NET_PS_ALL : direction(net, s, d, ip, d, false, select);
	return net_ps_inter(net->ps, in, eg);
}

static bool host_pod(const struct hull_net *net, size_t w)
{
	return w != NET_NONE && net->w[w].host_network;
}

static int check_pair(struct hull_net *net, size_t s, size_t d)
{
	bool select = net->opts.hostnet_select;
	uint32_t cur = net_k8s_pair(net, s == NET_NONE ? net->world_cls : net->w[s].cls,
	                            d == NET_NONE ? net->world_cls : net->w[d].cls, NULL, NULL);
	uint32_t alt = net_k8s_pair_direct(net, s, d, NULL, !select);
	if (alt == cur)
		return 0;
	struct net_hdep *h =
	    NET_PUSH(net, net->hdeps, net->nhdeps, net->caphdeps, HULL_NET_MAX_WORKLOADS * 4u);
	if (!h)
		return -1;
	*h = (struct net_hdep){.s = s, .d = d, .cur = cur, .alt = alt};
	return 0;
}

int net_hostnet_deps(struct hull_net *net)
{
	size_t dom = NET_NONE;
	for (size_t i = 0; i < net->nw; i++)
		if (net->domains[net->w[i].domain].k8s && net->w[i].host_network) {
			net->hostnet_pods = true;
			dom = net->w[i].domain;
		}
	if (!net->hostnet_pods || !net->npols)
		return 0;
	/* every ordered pair with a hostNetwork pod on one side, the internet
	 * (NET_NONE, last) included; the Kubernetes domain is one */
	for (size_t s = 0; s <= net->nw; s++) {
		size_t ss = s == net->nw ? NET_NONE : s;
		if (ss != NET_NONE && net->w[ss].domain != dom)
			continue;
		for (size_t d = 0; d <= net->nw; d++) {
			size_t dd = d == net->nw ? NET_NONE : d;
			if (dd == ss || (dd != NET_NONE && net->w[dd].domain != dom) ||
			    !(host_pod(net, ss) || host_pod(net, dd)))
				continue;
			if (check_pair(net, ss, dd) < 0)
				return -1;
		}
	}
	return net_ps_failed(net->ps) ? -1 : 0;
}

const struct net_hdep *net_hostnet_dep(const struct hull_net *net, size_t s, size_t d)
{
	if (!host_pod(net, s) && !host_pod(net, d))
		return NULL;
	for (size_t i = 0; i < net->nhdeps; i++)
		if (net->hdeps[i].s == s && net->hdeps[i].d == d)
			return &net->hdeps[i];
	return NULL;
}
