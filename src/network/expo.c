/* expo: what the outside world can reach, and through what: published
 * ports (Compose, engines, hostPort), the host network, Services of type
 * NodePort and LoadBalancer, externalIPs, and Ingresses. For Kubernetes,
 * each exposure also says whether the NetworkPolicies let the internet in
 * on that port (source addresses may be rewritten on the way, so an
 * exposure is listed either way). */
#include <string.h>

#include "network/internal.h"

static struct net_exposure *add(struct hull_net *net, size_t w, enum net_expo_kind kind,
                                struct net_pos pos)
{
	struct net_exposure *e =
	    NET_PUSH(net, net->expo, net->nexpo, net->capexpo, HULL_NET_MAX_WORKLOADS);
	if (e) {
		e->w = w;
		e->kind = kind;
		e->pos = pos;
		e->world = true;
	}
	return e;
}

static bool k8s(const struct hull_net *net, size_t w)
{
	return net->domains[net->w[w].domain].k8s;
}

/* Does the internet get through the policies to w on proto/port (0: any)? */
static bool world_allows(struct hull_net *net, size_t w, uint8_t proto, uint16_t port)
{
	if (!k8s(net, w) || !net_pod_seen(&net->w[w], net->opts.hostnet_select))
		return true;
	uint32_t p = net->sum[w].from_world;
	return port ? net_ps_has(net->ps, p, proto, port) : p != NET_PS_EMPTY;
}

/* Does any pod of the cluster get through to w on proto/port? */
static bool some_pod_allows(struct hull_net *net, size_t w, uint8_t proto, uint16_t port)
{
	const struct net_workload *d = &net->w[w];
	for (uint32_t c = 0; c + 1 < net->nclasses; c++) {
		if (c == d->cls && net->cls_size[c] < 2)
			continue;
		uint32_t p = net_k8s_pair(net, c, d->cls, NULL, NULL);
		if (port ? net_ps_has(net->ps, p, proto, port) : p != NET_PS_EMPTY)
			return true;
	}
	return false;
}

/* Every port the workload listens on is a port of the host: one exposure
 * for all of them (declared or not). */
static void host_network(struct hull_net *net, size_t i)
{
	const struct net_workload *w = &net->w[i];
	struct net_exposure *e =
	    add(net, i, NET_EXPO_HOST_NETWORK, w->mode_pos.line ? w->mode_pos : w->pos);
	if (e)
		e->policy_allows = world_allows(net, i, 0, 0);
}

static void publications(struct hull_net *net, size_t i)
{
	const struct net_workload *w = &net->w[i];
	bool kube = k8s(net, i);
	/* Docker ignores ports of a container in another's namespace or on
	 * the host network, and internal networks publish nothing */
	if (!kube) {
		if (w->host_network || w->no_network || w->share != NET_NONE || w->share_unknown)
			return;
		bool out = false;
		for (size_t k = 0; k < w->nattach && !out; k++)
			out = !net->nets[w->attach[k].network].internal;
		if (!out)
			return;
	}
	for (size_t k = 0; k < w->npubs; k++) {
		const struct net_publish *p = &w->pubs[k];
		struct net_exposure *e =
		    add(net, i, kube ? NET_EXPO_HOST_PORT : NET_EXPO_PUBLISH, p->pos);
		if (!e)
			return;
		e->address = p->host_ip;
		e->world = !p->loopback;
		e->proto = p->proto;
		e->port = p->host_lo;
		e->port_end = p->host_hi;
		e->target = p->lo;
		e->target_end = p->hi;
		e->policy_allows = world_allows(net, i, p->proto, p->lo);
	}
}

/* The container ports a Service port lands on in pod w (numeric
 * targetPort, or the pod's port of that name). */
static size_t svc_targets(const struct net_workload *w, const struct net_svc_port *sp,
                          uint16_t *out, size_t cap)
{
	if (!sp->target_name) {
		out[0] = sp->target;
		return sp->target != 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < w->nports && n < cap; i++)
		if (w->ports[i].name && w->ports[i].proto == sp->proto &&
		    !strcmp(w->ports[i].name, sp->target_name))
			out[n++] = w->ports[i].lo;
	return n;
}

static bool svc_selects(const struct net_service *s, const struct net_workload *w)
{
	if (!s->has_selector || w->ns_idx != s->ns_idx)
		return false;
	for (size_t i = 0; i < s->selector.n; i++)
		if (net_label_get(&w->labels, s->selector.v[i].key) != s->selector.v[i].value)
			return false;
	return true;
}

static void svc_expose(struct hull_net *net, const struct net_service *s, size_t i,
                       const struct net_svc_port *sp, enum net_expo_kind kind, const char *addr,
                       uint16_t port, const char *via)
{
	uint16_t t[16];
	size_t nt = svc_targets(&net->w[i], sp, t, 16);
	for (size_t k = 0; k < nt; k++) {
		struct net_exposure *e = add(net, i, kind, s->pos);
		if (!e)
			return;
		e->address = addr;
		e->proto = sp->proto;
		e->port = e->port_end = port;
		e->target = e->target_end = t[k];
		e->via = via;
		e->policy_allows = kind == NET_EXPO_INGRESS
		                       ? world_allows(net, i, sp->proto, t[k]) ||
		                             some_pod_allows(net, i, sp->proto, t[k])
		                       : world_allows(net, i, sp->proto, t[k]);
	}
}

static void services(struct hull_net *net)
{
	for (size_t si = 0; si < net->nsvcs; si++) {
		const struct net_service *s = &net->svcs[si];
		bool lb = !strcmp(s->type, "LoadBalancer"), np = lb || !strcmp(s->type, "NodePort");
		size_t pods = 0;
		for (size_t i = 0; i < net->nw; i++) {
			if (!k8s(net, i) || !svc_selects(s, &net->w[i]))
				continue;
			pods++;
			for (size_t k = 0; k < s->nports; k++) {
				const struct net_svc_port *sp = &s->ports[k];
				if (np)
					svc_expose(net, s, i, sp, NET_EXPO_NODE_PORT, NULL,
					           sp->node_port, s->name);
				if (lb)
					svc_expose(net, s, i, sp, NET_EXPO_LOAD_BALANCER, NULL,
					           sp->port, s->name);
				for (size_t x = 0; x < s->nexternal; x++)
					svc_expose(net, s, i, sp, NET_EXPO_EXTERNAL_IP,
					           s->external_ips[x], sp->port, s->name);
			}
		}
		if (s->has_selector && !pods)
			hull_diag_warn(
			    net->diag, "%s: line %u: Service %s/%s selects no pod of the input",
			    s->pos.file ? s->pos.file : "?", s->pos.line, s->ns, s->name);
	}
}

static void ingresses(struct hull_net *net)
{
	for (size_t g = 0; g < net->nings; g++) {
		const struct net_ingress *ing = &net->ings[g];
		for (size_t b = 0; b < ing->nbackends; b++) {
			const struct net_ing_backend *be = &ing->backends[b];
			for (size_t si = 0; si < net->nsvcs; si++) {
				const struct net_service *s = &net->svcs[si];
				if (s->ns_idx != ing->ns_idx || strcmp(s->name, be->service))
					continue;
				for (size_t k = 0; k < s->nports; k++) {
					const struct net_svc_port *sp = &s->ports[k];
					if (be->port_name
					        ? !sp->name || strcmp(sp->name, be->port_name)
					        : sp->port != be->port)
						continue;
					for (size_t i = 0; i < net->nw; i++)
						if (k8s(net, i) && svc_selects(s, &net->w[i]))
							svc_expose(net, s, i, sp, NET_EXPO_INGRESS,
							           be->host ? be->host : "*", 80,
							           net_printf(net,
							                      "%s (Ingress %s)",
							                      s->name, ing->name));
				}
			}
		}
	}
}

void net_exposures(struct hull_net *net)
{
	for (size_t i = 0; i < net->nw && !net->failed; i++) {
		const struct net_workload *w = &net->w[i];
		if (w->host_network)
			host_network(net, i);
		publications(net, i);
	}
	services(net);
	ingresses(net);
}
