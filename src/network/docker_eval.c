/* docker_eval: reachability between Compose services and engine
 * containers, as Docker's bridge driver wires them.
 *
 *  - network_mode service:X / container:X: one network namespace with X,
 *    so every port, and X's networks and published ports are its own;
 *  - members of one network reach each other on every port the
 *    destination listens on, unless the network turns icc off;
 *  - a port published on the host (not on a loopback address) is reached
 *    through the host by every container that can reach the host: one
 *    attached to a network that is not `internal`;
 *  - the host network: the container's ports are the host's; containers
 *    reach them through their gateway address (on internal networks too:
 *    the bridge keeps its address), and it reaches every container
 *    address directly;
 *  - internal networks: no route out and nothing published, so members
 *    reach each other and the host's own addresses only;
 *  - network_mode none: nothing in or out.
 * The internet (NET_NONE) reaches published ports (not loopback ones) and
 * host-network containers, and is reached by containers with a way out. */
#include <string.h>

#include "network/internal.h"

static const struct net_workload *owner(const struct hull_net *net, const struct net_workload *w)
{
	/* service:a -> service:b -> ...; a loop (rejected by docker) stops */
	for (size_t i = 0; i < 64 && w->share != NET_NONE; i++)
		w = &net->w[w->share];
	return w;
}

static bool has_outside_net(const struct hull_net *net, const struct net_workload *o)
{
	for (size_t i = 0; i < o->nattach; i++)
		if (!net->nets[o->attach[i].network].internal)
			return true;
	return false;
}

/* Can o's namespace open connections through the host: to published
 * ports forwarded to other containers, and to the internet? */
static bool reaches_host(const struct hull_net *net, const struct net_workload *o)
{
	if (o->host_network)
		return true;
	if (o->no_network || o->share_unknown)
		return false;
	return has_outside_net(net, o);
}

/* Can o reach the host's own addresses (its gateway on any network)? */
static bool reaches_gateway(const struct net_workload *o)
{
	return o->host_network || (!o->no_network && !o->share_unknown && o->nattach > 0);
}

static const struct net_network *
shared_net(const struct hull_net *net, const struct net_workload *a, const struct net_workload *b)
{
	for (size_t i = 0; i < a->nattach; i++)
		for (size_t k = 0; k < b->nattach; k++)
			if (a->attach[i].network == b->attach[k].network &&
			    net->nets[a->attach[i].network].icc)
				return &net->nets[a->attach[i].network];
	return NULL;
}

/* The container ports of o's non-loopback publications (o must be able
 * to publish: attached to a network with a way out). */
static uint32_t published(struct hull_net *net, const struct net_workload *o, bool loopback_too)
{
	struct net_range r[256];
	size_t n = 0;
	uint32_t acc = NET_PS_EMPTY;
	if (o->host_network || o->no_network || o->share_unknown || !has_outside_net(net, o))
		return NET_PS_EMPTY;
	for (size_t i = 0; i < o->npubs; i++) {
		const struct net_publish *p = &o->pubs[i];
		if (p->loopback && !loopback_too)
			continue;
		r[n++] = (struct net_range){.proto = p->proto, .lo = p->lo, .hi = p->hi};
		if (n == sizeof(r) / sizeof(r[0])) {
			bool oom = false;
			acc = net_ps_union(net->ps, acc, net_ps_make(net->ps, r, n, &oom));
			n = 0;
		}
	}
	bool oom = false;
	return net_ps_union(net->ps, acc, net_ps_make(net->ps, r, n, &oom));
}

uint32_t net_docker_pair(struct hull_net *net, size_t s, size_t d, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	if (s == NET_NONE && d == NET_NONE)
		return NET_PS_EMPTY;
	if (s == NET_NONE) {
		const struct net_workload *D = owner(net, &net->w[d]);
		if (net->w[d].share_unknown)
			return NET_PS_EMPTY;
		if (D->host_network) {
			*why = "host network";
			return NET_PS_ALL;
		}
		uint32_t p = published(net, D, false);
		*why = p != NET_PS_EMPTY ? "published port" : NULL;
		return p;
	}
	const struct net_workload *S = owner(net, &net->w[s]);
	if (d == NET_NONE) {
		bool out = reaches_host(net, S);
		*why =
		    out ? (S->host_network ? "host network" : "outbound through the host") : NULL;
		return out ? NET_PS_ALL : NET_PS_EMPTY;
	}
	const struct net_workload *D = owner(net, &net->w[d]);
	if (net->w[s].share_unknown || net->w[d].share_unknown)
		return NET_PS_EMPTY;
	if (S == D) {
		*why = "shared network namespace";
		return NET_PS_ALL;
	}
	if (S->no_network || D->no_network)
		return NET_PS_EMPTY;
	if (S->host_network && D->host_network) {
		*why = "host network";
		return NET_PS_ALL;
	}
	if (D->host_network) {
		*why = reaches_gateway(S) ? "host network (through the gateway)" : NULL;
		return *why ? NET_PS_ALL : NET_PS_EMPTY;
	}
	if (S->host_network) {
		/* the host has an address on every bridge; loopback
		 * publications are the host's own too */
		if (D->nattach) {
			*why = "from the host network";
			return NET_PS_ALL;
		}
		return NET_PS_EMPTY;
	}
	const struct net_network *n = shared_net(net, S, D);
	if (n) {
		*why = n->name;
		return NET_PS_ALL;
	}
	if (!reaches_host(net, S))
		return NET_PS_EMPTY;
	uint32_t p = published(net, D, false);
	*why = p != NET_PS_EMPTY ? "published port" : NULL;
	return p;
}
