/* k8s: Kubernetes objects of a loaded model into the graph: pod templates
 * of every workload kind (with the template's labels, not the owner's),
 * Namespaces, Services, Ingresses and NetworkPolicies.
 *
 * Everything comes from the misconfig model: workloads (pod labels,
 * hostNetwork, containers and ports, Pod addresses) and the typed views of
 * Services, Ingresses and NetworkPolicies, kept as written with their
 * positions. A policy the API server would reject (a peer with ipBlock
 * and a selector, a bad CIDR, endPort with a named port, an unknown
 * operator...) is left out with a warning naming the file and line: it
 * cannot exist in a cluster. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "misconfig/model.h"
#include "network/internal.h"

struct kctx {
	struct hull_net *net;
	const struct hull_model *m;
	const char *file;
	bool bad; /* the object being read would be rejected */
	char why[256];
	struct net_pos why_pos;
};

static struct net_pos npos(struct hull_pos p)
{
	return (struct net_pos){.file = p.file, .line = p.line, .col = p.col};
}

static void reject(struct kctx *k, struct hull_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reject(struct kctx *k, struct hull_pos at, const char *fmt, ...)
{
	if (k->bad)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->why, sizeof(k->why), fmt, ap);
	va_end(ap);
	k->bad = true;
	k->why_pos = npos(at);
}

/* A port number: an integer 1..65535. */
static bool port_num(enum hull_k8s_value t, int64_t n, uint16_t *out)
{
	if (t != HULL_VAL_INT || n < 1 || n > 65535)
		return false;
	*out = (uint16_t)n;
	return true;
}

/* IANA_SVC_NAME: at most 15 lower-case letters, digits and '-', at least
 * one letter, no leading, trailing or double '-'. */
static bool port_name_ok(const char *s)
{
	size_t n = strlen(s);
	bool letter = false;
	if (n == 0 || n > 15 || s[0] == '-' || s[n - 1] == '-' || strstr(s, "--"))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (islower((unsigned char)s[i]))
			letter = true;
		else if (!isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	return letter;
}

/* ---- selectors ---------------------------------------------------------------- */

static void labels_from(struct hull_net *net, const hull_pairlist *l, struct net_labels *out)
{
	for (size_t i = 0; i < l->n; i++)
		net_label_set(net, out, l->v[i].key, l->v[i].value ? l->v[i].value : "");
}

static bool parse_req(struct kctx *k, const struct hull_k8s_req *e, struct net_req *r)
{
	static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
	if (!e->key || !*e->key || !e->op) {
		reject(k, e->pos, "matchExpressions entry without key or operator");
		return false;
	}
	size_t o = 0;
	while (o < 4 && strcmp(e->op, ops[o]))
		o++;
	if (o == 4) {
		reject(k, e->pos, "unknown selector operator '%.64s'", e->op);
		return false;
	}
	r->key = net_intern(k->net, e->key);
	r->op = (enum net_op)o;
	size_t n = e->values.n;
	if ((r->op == NET_OP_IN || r->op == NET_OP_NOTIN) && n == 0) {
		reject(k, e->pos, "operator %s needs values", e->op);
		return false;
	}
	if ((r->op == NET_OP_EXISTS || r->op == NET_OP_DNE) && n > 0) {
		reject(k, e->pos, "operator %s takes no values", e->op);
		return false;
	}
	if (n > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: more than %u selector values", k->file,
		         HULL_NET_MAX_ITEMS);
		return false;
	}
	r->values = n ? net_alloc(k->net, n * sizeof(*r->values)) : NULL;
	for (size_t i = 0; r->values && i < n; i++) {
		const char *v = e->values.v[i].v;
		/* a value nobody carries matches nothing: no need to intern it */
		r->values[i] = v ? net_intern_find(k->net, v) : 0;
		if (v && !r->values[i])
			r->values[i] = net_intern(k->net, v);
	}
	r->nvalues = n;
	return true;
}

/* A LabelSelector; unset (absent or null) selects everything, as {} does. */
static void parse_selector(struct kctx *k, const struct hull_k8s_selector *sel,
                           struct net_selector *out)
{
	memset(out, 0, sizeof(*out));
	if (!sel->set)
		return;
	if (!sel->is_map) {
		reject(k, sel->pos, "a label selector must be a mapping");
		return;
	}
	size_t nml = sel->match_labels.n, nme = sel->match_expressions.n;
	if (nml + nme > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: selector with more than %u terms", k->file,
		         HULL_NET_MAX_ITEMS);
		return;
	}
	out->reqs = nml + nme ? net_alloc(k->net, (nml + nme) * sizeof(*out->reqs)) : NULL;
	if (!out->reqs)
		return;
	for (size_t i = 0; i < nml; i++) {
		const struct hull_pair *ml = &sel->match_labels.v[i];
		struct net_req *r = &out->reqs[out->n++];
		r->key = net_intern(k->net, ml->key);
		r->op = NET_OP_IN;
		r->values = net_alloc(k->net, sizeof(*r->values));
		if (r->values)
			r->values[0] = net_intern(k->net, ml->value ? ml->value : "");
		r->nvalues = 1;
	}
	for (size_t i = 0; i < nme; i++)
		if (parse_req(k, &sel->match_expressions.v[i], &out->reqs[out->n]))
			out->n++;
}

/* ---- NetworkPolicy -------------------------------------------------------------- */

static bool parse_cidr(struct kctx *k, struct hull_pos at, const char *s, struct net_cidr *c)
{
	if (!s || !net_cidr_parse(s, strlen(s), true, c)) {
		reject(k, at, "ipBlock: '%.64s' is not a CIDR", s ? s : "");
		return false;
	}
	return true;
}

static void parse_ipblock(struct kctx *k, const struct hull_k8s_peer *pj, struct net_ipblock *b)
{
	if (!parse_cidr(k, pj->ip_block_pos, pj->cidr, &b->cidr))
		return;
	size_t n = pj->except.n;
	if (n > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: ipBlock with more than %u excepts", k->file,
		         HULL_NET_MAX_ITEMS);
		return;
	}
	b->except = n ? net_alloc(k->net, n * sizeof(*b->except)) : NULL;
	for (size_t i = 0; b->except && i < n; i++) {
		const struct hull_vstr *e = &pj->except.v[i];
		if (!parse_cidr(k, e->pos, e->v, &b->except[i]))
			return;
		/* the API server wants each except strictly inside cidr */
		if (!net_cidr_covers(&b->cidr, &b->except[i]) ||
		    b->except[i].bits <= b->cidr.bits) {
			reject(k, e->pos, "ipBlock except '%.64s' is not inside cidr %.64s", e->v,
			       pj->cidr);
			return;
		}
		b->nexcept++;
	}
	b->world = net_ipblock_is_world(b);
}

static void parse_peer(struct kctx *k, const struct hull_k8s_peer *pj, struct net_rule *r)
{
	if (!pj->is_map || (!pj->pod.set && !pj->ns.set && !pj->ip_block)) {
		reject(k, pj->pos, "a peer must set podSelector, namespaceSelector or ipBlock");
		return;
	}
	if (pj->ip_block && (pj->pod.set || pj->ns.set)) {
		reject(k, pj->pos,
		       "a peer with ipBlock may not set podSelector or namespaceSelector");
		return;
	}
	struct net_peer *p = NET_PUSH(k->net, r->peers, r->npeers, r->cappeers, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	p->pos = npos(pj->pos);
	if (pj->ip_block) {
		p->kind = NET_PEER_IPBLOCK;
		parse_ipblock(k, pj, &p->block);
		return;
	}
	p->kind = pj->pod.set && pj->ns.set ? NET_PEER_BOTH
	          : pj->pod.set             ? NET_PEER_POD
	                                    : NET_PEER_NS;
	parse_selector(k, &pj->pod, &p->pod);
	parse_selector(k, &pj->ns, &p->ns);
}

static void parse_port(struct kctx *k, const struct hull_k8s_np_port *pj, struct net_rule *r)
{
	struct net_pport *p =
	    NET_PUSH(k->net, r->ports, r->nports, r->capports, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	const char *proto = pj->protocol;
	bool end = pj->end_type != HULL_VAL_ABSENT;
	p->proto = NET_TCP;
	if (proto &&
	    (!net_proto_parse(proto, &p->proto) || strcmp(proto, net_proto_name(p->proto))))
		reject(k, pj->pos, "protocol '%.32s' (expected TCP, UDP or SCTP)", proto);
	if (pj->port_type == HULL_VAL_ABSENT) {
		p->all = true;
		if (end)
			reject(k, pj->pos, "endPort without port");
		return;
	}
	if (pj->port_type == HULL_VAL_STRING) {
		const char *name = pj->port_name ? pj->port_name : "";
		if (!port_name_ok(name))
			reject(k, pj->port_pos, "port '%.32s' is neither a number nor a port name",
			       name);
		if (end)
			reject(k, pj->end_pos, "endPort needs a numeric port");
		p->name = net_strdup(k->net, name);
		r->has_named = true;
		return;
	}
	if (!port_num(pj->port_type, pj->port, &p->lo)) {
		reject(k, pj->port_pos, "port out of range 1-65535");
		return;
	}
	p->hi = p->lo;
	if (end && (!port_num(pj->end_type, pj->end_port, &p->hi) || p->hi < p->lo))
		reject(k, pj->end_pos, "endPort must be a port number at or above port");
}

static void parse_rule(struct kctx *k, struct net_policy *pol, size_t pidx,
                       const struct hull_k8s_np_rule *rj, bool ingress)
{
	struct net_rule *r =
	    ingress ? NET_PUSH(k->net, pol->in, pol->nin, pol->capin, HULL_NET_MAX_ITEMS)
	            : NET_PUSH(k->net, pol->eg, pol->neg, pol->capeg, HULL_NET_MAX_ITEMS);
	if (!r)
		return;
	r->policy = pidx;
	r->ingress = ingress;
	r->index = (ingress ? pol->nin : pol->neg) - 1;
	r->pos = npos(rj->pos);
	if (rj->bad_type) {
		reject(k, rj->pos, "a %s rule must be a mapping", ingress ? "ingress" : "egress");
		return;
	}
	for (size_t i = 0; i < rj->peers.n; i++)
		parse_peer(k, &rj->peers.v[i], r);
	r->any_peer = rj->peers.n == 0;
	for (size_t i = 0; i < rj->ports.n; i++)
		parse_port(k, &rj->ports.v[i], r);
	r->any_port = rj->ports.n == 0;
}

static void policy_types(struct kctx *k, struct net_policy *p, const struct hull_k8s_netpol *np)
{
	if (np->policy_types.n == 0) {
		/* the API server's default: Ingress always, Egress when there
		 * are egress rules */
		p->ingress = true;
		p->egress = np->has_egress;
		return;
	}
	for (size_t i = 0; i < np->policy_types.n; i++) {
		const char *s = np->policy_types.v[i].v;
		if (s && !strcmp(s, "Ingress"))
			p->ingress = true;
		else if (s && !strcmp(s, "Egress"))
			p->egress = true;
		else
			reject(k, np->policy_types.v[i].pos,
			       "policyTypes entry '%.32s' (expected Ingress or Egress)",
			       s ? s : "");
	}
}

/* The same NetworkPolicy twice (several files, overlays): like kubectl
 * apply, the later one replaces the earlier. */
static void replace_earlier(struct hull_net *net, size_t idx)
{
	struct net_policy *p = &net->pols[idx];
	for (size_t j = 0; j < idx; j++) {
		struct net_policy *q = &net->pols[j];
		if (q->ns_idx != p->ns_idx || strcmp(q->name, p->name))
			continue;
		hull_diag_warn(
		    net->diag,
		    "%s: line %u: NetworkPolicy %s/%s given again: it replaces the one of "
		    "%s line %u",
		    p->pos.file ? p->pos.file : "?", p->pos.line, p->ns, p->name,
		    q->pos.file ? q->pos.file : "?", q->pos.line);
		*q = *p;
		for (size_t r = 0; r < q->nin; r++)
			q->in[r].policy = j;
		for (size_t r = 0; r < q->neg; r++)
			q->eg[r].policy = j;
		net->npols--;
		return;
	}
}

static void network_policy(struct kctx *k, const struct hull_object *o)
{
	struct hull_net *net = k->net;
	const struct hull_k8s_netpol *np = o->netpol;
	if (!np)
		return;
	if (net->npols >= HULL_NET_MAX_POLICIES) {
		net_fail(net, HULL_ERR_LIMIT, "more than %u NetworkPolicies",
		         HULL_NET_MAX_POLICIES);
		return;
	}
	struct net_policy *p =
	    NET_PUSH(net, net->pols, net->npols, net->cappols, HULL_NET_MAX_POLICIES);
	if (!p)
		return;
	size_t idx = net->npols - 1;
	p->name = net_strdup(net, o->name ? o->name : "(unnamed)");
	p->ns_idx = net_namespace(net, o->namespace);
	p->ns = net->nnss > p->ns_idx ? net->nss[p->ns_idx].name : "";
	p->pos = npos(o->pos);
	parse_selector(k, &np->pod_selector, &p->sel);
	policy_types(k, p, np);
	for (size_t i = 0; i < np->ingress.n; i++)
		parse_rule(k, p, idx, &np->ingress.v[i], true);
	for (size_t i = 0; i < np->egress.n; i++)
		parse_rule(k, p, idx, &np->egress.v[i], false);
	p->default_deny_in = p->ingress && p->sel.n == 0 && p->nin == 0;
	p->default_deny_eg = p->egress && p->sel.n == 0 && p->neg == 0;
	if (k->bad) {
		hull_diag_warn(net->diag,
		               "%s: line %u: NetworkPolicy %s/%s left out: the API server would "
		               "reject it (%s)",
		               k->file, k->why_pos.line, p->ns, p->name, k->why);
		net->npols--;
		return;
	}
	replace_earlier(net, idx);
}

/* ---- workloads --------------------------------------------------------------------- */

static void container_ports(struct kctx *k, struct net_workload *w, const struct hull_container *c,
                            bool host_network)
{
	struct hull_net *net = k->net;
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *pm = &c->ports.v[i];
		uint16_t port, hport = 0;
		uint8_t proto = NET_TCP;
		if (!port_num(HULL_VAL_INT, pm->container_port, &port))
			continue;
		if (pm->protocol && !net_proto_parse(pm->protocol, &proto))
			continue;
		net_add_port(net, w, proto, port, port, pm->name, NET_PORT_DECLARED,
		             npos(pm->item_pos));
		/* hostNetwork pods default hostPort to containerPort */
		if (!port_num(HULL_VAL_INT, pm->host_port, &hport) && !host_network)
			continue;
		struct net_publish *pub =
		    NET_PUSH(net, w->pubs, w->npubs, w->cappubs, HULL_NET_MAX_ITEMS);
		if (!pub)
			return;
		const char *ip = pm->host_ip;
		struct net_addr a;
		pub->host_ip = ip && *ip ? net_strdup(net, ip) : NULL;
		pub->loopback = ip && net_addr_parse(ip, strlen(ip), &a) && net_addr_loopback(&a);
		pub->proto = proto;
		pub->host_lo = pub->host_hi = hport ? hport : port;
		pub->lo = pub->hi = port;
		pub->pos = npos(hport ? pm->pos : pm->container_port_pos);
	}
}

static void pod_ips(struct kctx *k, struct net_workload *w, const hull_strlist *ips)
{
	for (size_t i = 0; i < ips->n; i++) {
		const char *s = ips->v[i].v;
		struct net_addr a;
		if (!s || !net_addr_parse(s, strlen(s), &a))
			continue;
		bool dup = false;
		for (size_t j = 0; j < w->nips && !dup; j++)
			dup = !memcmp(&w->ips[j], &a, sizeof(a));
		struct net_addr *slot =
		    dup ? NULL : NET_PUSH(k->net, w->ips, w->nips, w->capips, HULL_NET_MAX_ITEMS);
		if (slot)
			*slot = a;
	}
}

/* A workload's pod template: its labels (not the owner's), hostNetwork,
 * the main containers' image and ports, a Pod's addresses. */
static void workload(struct kctx *k, size_t domain, const struct hull_object *o)
{
	if (!o->is_workload || o->workload >= k->m->workloads.n)
		return;
	const struct hull_workload *mw = &k->m->workloads.v[o->workload];
	struct hull_net *net = k->net;
	struct net_pos pos = npos(mw->pos);
	const char *ns = o->namespace ? o->namespace : net->opts.default_namespace;
	struct net_workload *w = net_add_workload(net, domain, o->kind, o->name, ns, pos);
	if (!w)
		return;
	labels_from(net, &mw->pod_labels, &w->labels);
	w->host_network = mw->host_network.v == HULL_TRUE;
	if (w->host_network)
		w->mode_pos = npos(mw->host_network.pos);
	for (size_t i = 0; i < mw->containers.n; i++) {
		const struct hull_container *c = &mw->containers.v[i];
		if (c->role != HULL_CTR_MAIN)
			continue;
		if (!w->image)
			w->image = net_strdup(net, c->image.v);
		container_ports(k, w, c, w->host_network);
	}
	if (!strcmp(o->kind, "Pod"))
		pod_ips(k, w, &mw->pod_ips);
	if (!w->nports)
		net_image_ports(net, w, pos);
}

/* ---- Services, Ingresses, Namespaces ---------------------------------------------------- */

static void service(struct kctx *k, const struct hull_object *o)
{
	struct hull_net *net = k->net;
	const struct hull_k8s_service *ms = o->service;
	if (!ms)
		return;
	struct net_service *s =
	    NET_PUSH(net, net->svcs, net->nsvcs, net->capsvcs, HULL_NET_MAX_ITEMS);
	if (!s)
		return;
	s->name = net_strdup(net, o->name ? o->name : "(unnamed)");
	s->ns_idx = net_namespace(net, o->namespace);
	s->ns = net->nnss > s->ns_idx ? net->nss[s->ns_idx].name : "";
	s->type = net_strdup(net, ms->type ? ms->type : "ClusterIP");
	s->pos = npos(o->pos);
	s->has_selector = ms->selector.n > 0;
	labels_from(net, &ms->selector, &s->selector);
	for (size_t i = 0; i < ms->ports.n; i++) {
		const struct hull_k8s_svc_port *pm = &ms->ports.v[i];
		struct net_svc_port *p =
		    NET_PUSH(net, s->ports, s->nports, s->capports, HULL_NET_MAX_ITEMS);
		if (!p)
			return;
		p->name = net_strdup(net, pm->name);
		p->proto = NET_TCP;
		if (pm->protocol)
			net_proto_parse(pm->protocol, &p->proto);
		port_num(pm->port_type, pm->port, &p->port);
		port_num(pm->node_port_type, pm->node_port, &p->node_port);
		if (pm->target_type == HULL_VAL_STRING)
			p->target_name = net_strdup(net, pm->target_name);
		else if (!port_num(pm->target_type, pm->target_port, &p->target))
			p->target = p->port;
	}
	for (size_t i = 0; i <= ms->external_ips.n; i++) {
		const char *ip =
		    i < ms->external_ips.n ? ms->external_ips.v[i].v : ms->load_balancer_ip;
		const char **slot = ip ? NET_PUSH(net, s->external_ips, s->nexternal,
		                                  s->capexternal, HULL_NET_MAX_ITEMS)
		                       : NULL;
		if (slot)
			*slot = net_strdup(net, ip);
	}
}

static void ingress(struct kctx *k, const struct hull_object *o)
{
	struct hull_net *net = k->net;
	const struct hull_k8s_ingress *mi = o->ingress;
	if (!mi)
		return;
	struct net_ingress *ing =
	    NET_PUSH(net, net->ings, net->nings, net->caping, HULL_NET_MAX_ITEMS);
	if (!ing)
		return;
	ing->name = net_strdup(net, o->name ? o->name : "(unnamed)");
	ing->ns_idx = net_namespace(net, o->namespace);
	ing->ns = net->nnss > ing->ns_idx ? net->nss[ing->ns_idx].name : "";
	ing->pos = npos(o->pos);
	for (size_t i = 0; i < mi->backends.n; i++) {
		const struct hull_k8s_backend *b = &mi->backends.v[i];
		struct net_ing_backend *e = NET_PUSH(net, ing->backends, ing->nbackends,
		                                     ing->capbackends, HULL_NET_MAX_ITEMS);
		if (!e)
			return;
		e->service = net_strdup(net, b->service);
		if (b->port_type != HULL_VAL_STRING)
			port_num(b->port_type, b->port, &e->port);
		e->port_name = net_strdup(net, b->port_name);
		e->host = net_strdup(net, b->host);
		e->path = net_strdup(net, b->path);
	}
}

static void namespace_obj(struct kctx *k, const struct hull_object *o)
{
	if (!o->name)
		return;
	struct hull_net *net = k->net;
	size_t idx = net_namespace(net, o->name);
	if (net->failed)
		return;
	struct net_namespace *ns = &net->nss[idx];
	ns->declared = true;
	ns->pos = npos(o->pos);
	labels_from(net, &o->labels, &ns->labels);
	/* the API server sets it whatever the manifest says */
	net_label_set(net, &ns->labels, "kubernetes.io/metadata.name", o->name);
}

static size_t k8s_domain(struct hull_net *net, const char *file)
{
	for (size_t i = 0; i < net->ndomains; i++)
		if (net->domains[i].k8s)
			return i;
	return net_add_domain(net, HULL_NET_KUBERNETES, "kubernetes", file);
}

int net_load_k8s_model(struct hull_net *net, const struct hull_model *m, struct hull_err *err);
int net_load_k8s_model(struct hull_net *net, const struct hull_model *m, struct hull_err *err)
{
	size_t domain = NET_NONE;
	for (size_t i = 0; i < m->objects.n && !net->failed; i++) {
		const struct hull_object *o = &m->objects.v[i];
		struct kctx k = {.net = net, .m = m, .file = o->pos.file};
		if (!o->kind)
			continue;
		if (domain == NET_NONE)
			domain = k8s_domain(net, o->pos.file);
		/* workloads must stay contiguous per domain: the k8s domain
		 * is one, so count them where they land */
		if (!strcmp(o->kind, "NetworkPolicy"))
			network_policy(&k, o);
		else if (!strcmp(o->kind, "Service"))
			service(&k, o);
		else if (!strcmp(o->kind, "Ingress"))
			ingress(&k, o);
		else if (!strcmp(o->kind, "Namespace"))
			namespace_obj(&k, o);
		else
			workload(&k, domain, o);
	}
	if (net->failed) {
		*err = net->err;
		return -1;
	}
	return 0;
}
