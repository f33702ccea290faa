/* k8s: Kubernetes objects of a loaded model into the graph: pod templates
 * of every workload kind (with the template's labels, not the owner's),
 * Namespaces, Services, Ingresses and NetworkPolicies.
 *
 * The misconfig front end keeps every object as parsed (model->objects,
 * json-c with positions); the pieces its workload model lacks (pod
 * template labels, selectors, policy specs) are read here. A policy the
 * API server would reject (a peer with ipBlock and a selector, a bad
 * CIDR, endPort with a named port, an unknown operator...) is left out
 * with a warning naming the file and line: it cannot exist in a cluster. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "misconfig/model.h"
#include "network/internal.h"
#include "util/yaml.h"

struct kctx {
	struct hull_net *net;
	const struct hull_yaml *y;
	const char *file;
	bool bad; /* the object being read would be rejected */
	char why[256];
	struct net_pos why_pos;
};

struct net_pos net_pos_of(struct hull_net *net, const struct hull_yaml *y, const char *file,
                          const struct json_object *node)
{
	(void)net;
	struct net_pos p = {.file = file};
	if (y && node)
		hull_yaml_pos(y, node, &p.line, &p.col);
	return p;
}

struct net_pos net_key_pos(struct hull_net *net, const struct hull_yaml *y, const char *file,
                           const struct json_object *map, const char *key)
{
	(void)net;
	struct net_pos p = {.file = file};
	if (y && map && !hull_yaml_key_pos(y, map, key, &p.line, &p.col))
		hull_yaml_pos(y, map, &p.line, &p.col);
	return p;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static struct json_object *obj(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

static struct json_object *arr(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* A scalar as text (numbers and booleans printed by json-c), or NULL. */
static const char *text(struct json_object *v)
{
	if (!v || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	return json_object_get_string(v);
}

static const char *str(struct json_object *o, const char *key)
{
	return text(get(o, key));
}

static size_t alen(struct json_object *a)
{
	return a ? json_object_array_length(a) : 0;
}

static void reject(struct kctx *k, struct json_object *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reject(struct kctx *k, struct json_object *at, const char *fmt, ...)
{
	if (k->bad)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->why, sizeof(k->why), fmt, ap);
	va_end(ap);
	k->bad = true;
	k->why_pos = net_pos_of(k->net, k->y, k->file, at);
}

/* A port number: a JSON integer 1..65535. */
static bool port_num(struct json_object *v, uint16_t *out)
{
	if (!v || !json_object_is_type(v, json_type_int))
		return false;
	int64_t n = json_object_get_int64(v);
	if (n < 1 || n > 65535)
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

static void labels_from(struct hull_net *net, struct json_object *map, struct net_labels *out)
{
	if (!map || !json_object_is_type(map, json_type_object))
		return;
	json_object_object_foreach(map, key, val)
	{
		const char *v = text(val);
		net_label_set(net, out, key, v ? v : "");
	}
}

static bool parse_req(struct kctx *k, struct json_object *e, struct net_req *r)
{
	static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
	const char *key = str(e, "key"), *op = str(e, "operator");
	struct json_object *vals = get(e, "values");
	if (!key || !*key || !op) {
		reject(k, e, "matchExpressions entry without key or operator");
		return false;
	}
	size_t o = 0;
	while (o < 4 && strcmp(op, ops[o]))
		o++;
	if (o == 4) {
		reject(k, e, "unknown selector operator '%.64s'", op);
		return false;
	}
	r->key = net_intern(k->net, key);
	r->op = (enum net_op)o;
	size_t n = vals && json_object_is_type(vals, json_type_array) ? alen(vals) : 0;
	if ((r->op == NET_OP_IN || r->op == NET_OP_NOTIN) && n == 0) {
		reject(k, e, "operator %s needs values", op);
		return false;
	}
	if ((r->op == NET_OP_EXISTS || r->op == NET_OP_DNE) && n > 0) {
		reject(k, e, "operator %s takes no values", op);
		return false;
	}
	if (n > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: more than %u selector values", k->file,
		         HULL_NET_MAX_ITEMS);
		return false;
	}
	r->values = n ? net_alloc(k->net, n * sizeof(*r->values)) : NULL;
	for (size_t i = 0; r->values && i < n; i++) {
		const char *v = text(json_object_array_get_idx(vals, i));
		/* a value nobody carries matches nothing: no need to intern it */
		r->values[i] = v ? net_intern_find(k->net, v) : 0;
		if (v && !r->values[i])
			r->values[i] = net_intern(k->net, v);
	}
	r->nvalues = n;
	return true;
}

/* A LabelSelector; NULL (absent or null) selects everything, as {} does. */
static void parse_selector(struct kctx *k, struct json_object *sel, struct net_selector *out)
{
	memset(out, 0, sizeof(*out));
	if (!sel)
		return;
	if (!json_object_is_type(sel, json_type_object)) {
		reject(k, sel, "a label selector must be a mapping");
		return;
	}
	struct json_object *ml = get(sel, "matchLabels"), *me = get(sel, "matchExpressions");
	size_t nml =
	    ml && json_object_is_type(ml, json_type_object) ? json_object_object_length(ml) : 0;
	size_t nme = me && json_object_is_type(me, json_type_array) ? alen(me) : 0;
	if (nml + nme > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: selector with more than %u terms", k->file,
		         HULL_NET_MAX_ITEMS);
		return;
	}
	out->reqs = nml + nme ? net_alloc(k->net, (nml + nme) * sizeof(*out->reqs)) : NULL;
	if (!out->reqs)
		return;
	if (nml) {
		json_object_object_foreach(ml, key, val)
		{
			struct net_req *r = &out->reqs[out->n++];
			const char *v = text(val);
			r->key = net_intern(k->net, key);
			r->op = NET_OP_IN;
			r->values = net_alloc(k->net, sizeof(*r->values));
			if (r->values)
				r->values[0] = net_intern(k->net, v ? v : "");
			r->nvalues = 1;
		}
	}
	for (size_t i = 0; i < nme; i++)
		if (parse_req(k, json_object_array_get_idx(me, i), &out->reqs[out->n]))
			out->n++;
}

/* ---- NetworkPolicy -------------------------------------------------------------- */

static bool parse_cidr(struct kctx *k, struct json_object *at, const char *s, struct net_cidr *c)
{
	if (!s || !net_cidr_parse(s, strlen(s), true, c)) {
		reject(k, at, "ipBlock: '%.64s' is not a CIDR", s ? s : "");
		return false;
	}
	return true;
}

static void parse_ipblock(struct kctx *k, struct json_object *ib, struct net_ipblock *b)
{
	if (!parse_cidr(k, ib, str(ib, "cidr"), &b->cidr))
		return;
	struct json_object *ex = arr(ib, "except");
	size_t n = alen(ex);
	if (n > HULL_NET_MAX_ITEMS) {
		net_fail(k->net, HULL_ERR_LIMIT, "%s: ipBlock with more than %u excepts", k->file,
		         HULL_NET_MAX_ITEMS);
		return;
	}
	b->except = n ? net_alloc(k->net, n * sizeof(*b->except)) : NULL;
	for (size_t i = 0; b->except && i < n; i++) {
		struct json_object *e = json_object_array_get_idx(ex, i);
		if (!parse_cidr(k, e, text(e), &b->except[i]))
			return;
		/* the API server wants each except strictly inside cidr */
		if (!net_cidr_covers(&b->cidr, &b->except[i]) ||
		    b->except[i].bits <= b->cidr.bits) {
			reject(k, e, "ipBlock except '%.64s' is not inside cidr %.64s", text(e),
			       str(ib, "cidr"));
			return;
		}
		b->nexcept++;
	}
	b->world = net_ipblock_is_world(b);
}

static void parse_peer(struct kctx *k, struct json_object *pj, struct net_rule *r)
{
	struct json_object *ps = get(pj, "podSelector"), *ns = get(pj, "namespaceSelector");
	struct json_object *ib = get(pj, "ipBlock");
	if (!pj || !json_object_is_type(pj, json_type_object) || (!ps && !ns && !ib)) {
		reject(k, pj, "a peer must set podSelector, namespaceSelector or ipBlock");
		return;
	}
	if (ib && (ps || ns)) {
		reject(k, pj, "a peer with ipBlock may not set podSelector or namespaceSelector");
		return;
	}
	struct net_peer *p = NET_PUSH(k->net, r->peers, r->npeers, r->cappeers, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	p->pos = net_pos_of(k->net, k->y, k->file, pj);
	if (ib) {
		p->kind = NET_PEER_IPBLOCK;
		parse_ipblock(k, ib, &p->block);
		return;
	}
	p->kind = ps && ns ? NET_PEER_BOTH : ps ? NET_PEER_POD : NET_PEER_NS;
	parse_selector(k, ps, &p->pod);
	parse_selector(k, ns, &p->ns);
}

static void parse_port(struct kctx *k, struct json_object *pj, struct net_rule *r)
{
	struct net_pport *p =
	    NET_PUSH(k->net, r->ports, r->nports, r->capports, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	const char *proto = str(pj, "protocol");
	struct json_object *port = get(pj, "port"), *end = get(pj, "endPort");
	p->proto = NET_TCP;
	if (proto &&
	    (!net_proto_parse(proto, &p->proto) || strcmp(proto, net_proto_name(p->proto))))
		reject(k, pj, "protocol '%.32s' (expected TCP, UDP or SCTP)", proto);
	if (!port) {
		p->all = true;
		if (end)
			reject(k, pj, "endPort without port");
		return;
	}
	if (json_object_is_type(port, json_type_string)) {
		const char *name = json_object_get_string(port);
		if (!port_name_ok(name))
			reject(k, port, "port '%.32s' is neither a number nor a port name", name);
		if (end)
			reject(k, end, "endPort needs a numeric port");
		p->name = net_strdup(k->net, name);
		r->has_named = true;
		return;
	}
	if (!port_num(port, &p->lo)) {
		reject(k, port, "port out of range 1-65535");
		return;
	}
	p->hi = p->lo;
	if (end && (!port_num(end, &p->hi) || p->hi < p->lo))
		reject(k, end, "endPort must be a port number at or above port");
}

static void parse_rule(struct kctx *k, struct net_policy *pol, size_t pidx, struct json_object *rj,
                       bool ingress)
{
	struct net_rule *r =
	    ingress ? NET_PUSH(k->net, pol->in, pol->nin, pol->capin, HULL_NET_MAX_ITEMS)
	            : NET_PUSH(k->net, pol->eg, pol->neg, pol->capeg, HULL_NET_MAX_ITEMS);
	if (!r)
		return;
	r->policy = pidx;
	r->ingress = ingress;
	r->index = (ingress ? pol->nin : pol->neg) - 1;
	r->pos = net_pos_of(k->net, k->y, k->file, rj);
	if (rj && !json_object_is_type(rj, json_type_object)) {
		reject(k, rj, "a %s rule must be a mapping", ingress ? "ingress" : "egress");
		return;
	}
	struct json_object *peers = arr(rj, ingress ? "from" : "to"), *ports = arr(rj, "ports");
	for (size_t i = 0; i < alen(peers); i++)
		parse_peer(k, json_object_array_get_idx(peers, i), r);
	r->any_peer = alen(peers) == 0;
	for (size_t i = 0; i < alen(ports); i++)
		parse_port(k, json_object_array_get_idx(ports, i), r);
	r->any_port = alen(ports) == 0;
}

static void policy_types(struct kctx *k, struct net_policy *p, struct json_object *spec)
{
	struct json_object *types = arr(spec, "policyTypes");
	if (alen(types) == 0) {
		/* the API server's default: Ingress always, Egress when there
		 * are egress rules */
		p->ingress = true;
		p->egress = alen(arr(spec, "egress")) > 0;
		return;
	}
	for (size_t i = 0; i < alen(types); i++) {
		struct json_object *t = json_object_array_get_idx(types, i);
		const char *s = text(t);
		if (s && !strcmp(s, "Ingress"))
			p->ingress = true;
		else if (s && !strcmp(s, "Egress"))
			p->egress = true;
		else
			reject(k, t, "policyTypes entry '%.32s' (expected Ingress or Egress)",
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
	struct json_object *spec = obj(o->obj, "spec");
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
	p->pos = net_pos_of(net, k->y, k->file, o->obj);
	parse_selector(k, get(spec, "podSelector"), &p->sel);
	policy_types(k, p, spec);
	struct json_object *in = arr(spec, "ingress"), *eg = arr(spec, "egress");
	for (size_t i = 0; i < alen(in); i++)
		parse_rule(k, p, idx, json_object_array_get_idx(in, i), true);
	for (size_t i = 0; i < alen(eg); i++)
		parse_rule(k, p, idx, json_object_array_get_idx(eg, i), false);
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

/* The pod template of a workload object and its metadata. */
static struct json_object *pod_template(struct json_object *doc, const char *kind,
                                        struct json_object **meta)
{
	struct json_object *spec = obj(doc, "spec");
	*meta = obj(doc, "metadata");
	if (!strcmp(kind, "Pod"))
		return spec;
	struct json_object *t;
	if (!strcmp(kind, "PodTemplate"))
		t = obj(doc, "template");
	else if (!strcmp(kind, "CronJob"))
		t = obj(obj(obj(spec, "jobTemplate"), "spec"), "template");
	else if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") ||
	         !strcmp(kind, "DaemonSet") || !strcmp(kind, "ReplicaSet") ||
	         !strcmp(kind, "ReplicationController") || !strcmp(kind, "Job"))
		t = obj(spec, "template");
	else
		return NULL;
	*meta = obj(t, "metadata");
	return obj(t, "spec");
}

static void container_ports(struct kctx *k, struct net_workload *w, struct json_object *c,
                            bool host_network)
{
	struct hull_net *net = k->net;
	struct json_object *ports = arr(c, "ports");
	for (size_t i = 0; i < alen(ports); i++) {
		struct json_object *pj = json_object_array_get_idx(ports, i);
		uint16_t port, hport = 0;
		uint8_t proto = NET_TCP;
		const char *ps = str(pj, "protocol");
		if (!port_num(get(pj, "containerPort"), &port))
			continue;
		if (ps && !net_proto_parse(ps, &proto))
			continue;
		struct net_pos pos = net_pos_of(net, k->y, k->file, pj);
		net_add_port(net, w, proto, port, port, str(pj, "name"), NET_PORT_DECLARED, pos);
		/* hostNetwork pods default hostPort to containerPort */
		if (!port_num(get(pj, "hostPort"), &hport) && !host_network)
			continue;
		struct net_publish *pub =
		    NET_PUSH(net, w->pubs, w->npubs, w->cappubs, HULL_NET_MAX_ITEMS);
		if (!pub)
			return;
		const char *ip = str(pj, "hostIP");
		struct net_addr a;
		pub->host_ip = ip && *ip ? net_strdup(net, ip) : NULL;
		pub->loopback = ip && net_addr_parse(ip, strlen(ip), &a) && net_addr_loopback(&a);
		pub->proto = proto;
		pub->host_lo = pub->host_hi = hport ? hport : port;
		pub->lo = pub->hi = port;
		pub->pos =
		    net_key_pos(net, k->y, k->file, pj, hport ? "hostPort" : "containerPort");
	}
}

static void pod_ips(struct kctx *k, struct net_workload *w, struct json_object *status)
{
	struct json_object *ips = arr(status, "podIPs");
	const char *one = str(status, "podIP");
	for (size_t i = 0; i <= alen(ips); i++) {
		const char *s = i < alen(ips) ? str(json_object_array_get_idx(ips, i), "ip") : one;
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

static void workload(struct kctx *k, size_t domain, const struct hull_object *o)
{
	struct json_object *meta;
	struct json_object *spec = pod_template(o->obj, o->kind, &meta);
	if (!spec)
		return;
	struct hull_net *net = k->net;
	struct net_pos pos = net_key_pos(net, k->y, k->file, o->obj, "kind");
	const char *ns = o->namespace ? o->namespace : net->opts.default_namespace;
	struct net_workload *w = net_add_workload(net, domain, o->kind, o->name, ns, pos);
	if (!w)
		return;
	labels_from(net, obj(meta, "labels"), &w->labels);
	struct json_object *hn = get(spec, "hostNetwork");
	w->host_network =
	    hn && json_object_is_type(hn, json_type_boolean) && json_object_get_boolean(hn);
	if (w->host_network)
		w->mode_pos = net_key_pos(net, k->y, k->file, spec, "hostNetwork");
	struct json_object *cs = arr(spec, "containers");
	for (size_t i = 0; i < alen(cs); i++) {
		struct json_object *c = json_object_array_get_idx(cs, i);
		if (!w->image)
			w->image = net_strdup(net, str(c, "image"));
		container_ports(k, w, c, w->host_network);
	}
	if (!strcmp(o->kind, "Pod"))
		pod_ips(k, w, obj(o->obj, "status"));
	if (!w->nports)
		net_image_ports(net, w, pos);
}

/* ---- Services, Ingresses, Namespaces ---------------------------------------------------- */

static void service(struct kctx *k, const struct hull_object *o)
{
	struct hull_net *net = k->net;
	struct json_object *spec = obj(o->obj, "spec");
	struct net_service *s =
	    NET_PUSH(net, net->svcs, net->nsvcs, net->capsvcs, HULL_NET_MAX_ITEMS);
	if (!s)
		return;
	s->name = net_strdup(net, o->name ? o->name : "(unnamed)");
	s->ns_idx = net_namespace(net, o->namespace);
	s->ns = net->nnss > s->ns_idx ? net->nss[s->ns_idx].name : "";
	s->type = net_strdup(net, str(spec, "type") ? str(spec, "type") : "ClusterIP");
	s->pos = net_pos_of(net, k->y, k->file, o->obj);
	struct json_object *sel = obj(spec, "selector");
	s->has_selector = sel && json_object_object_length(sel) > 0;
	labels_from(net, sel, &s->selector);
	struct json_object *ports = arr(spec, "ports");
	for (size_t i = 0; i < alen(ports); i++) {
		struct json_object *pj = json_object_array_get_idx(ports, i);
		struct net_svc_port *p =
		    NET_PUSH(net, s->ports, s->nports, s->capports, HULL_NET_MAX_ITEMS);
		if (!p)
			return;
		p->name = net_strdup(net, str(pj, "name"));
		p->proto = NET_TCP;
		if (str(pj, "protocol"))
			net_proto_parse(str(pj, "protocol"), &p->proto);
		port_num(get(pj, "port"), &p->port);
		port_num(get(pj, "nodePort"), &p->node_port);
		struct json_object *t = get(pj, "targetPort");
		if (t && json_object_is_type(t, json_type_string))
			p->target_name = net_strdup(net, json_object_get_string(t));
		else if (!port_num(t, &p->target))
			p->target = p->port;
	}
	struct json_object *ext = arr(spec, "externalIPs");
	for (size_t i = 0; i <= alen(ext); i++) {
		const char *ip = i < alen(ext) ? text(json_object_array_get_idx(ext, i))
		                               : str(spec, "loadBalancerIP");
		const char **slot = ip ? NET_PUSH(net, s->external_ips, s->nexternal,
		                                  s->capexternal, HULL_NET_MAX_ITEMS)
		                       : NULL;
		if (slot)
			*slot = net_strdup(net, ip);
	}
}

static void ing_backend(struct kctx *k, struct net_ingress *ing, struct json_object *b,
                        const char *host, const char *path)
{
	if (!b)
		return;
	struct json_object *svc = obj(b, "service");
	const char *name = svc ? str(svc, "name") : str(b, "serviceName");
	struct json_object *port = svc ? get(obj(svc, "port"), "number") : get(b, "servicePort");
	const char *pname = svc ? str(obj(svc, "port"), "name") : NULL;
	if (!name)
		return;
	struct net_ing_backend *e =
	    NET_PUSH(k->net, ing->backends, ing->nbackends, ing->capbackends, HULL_NET_MAX_ITEMS);
	if (!e)
		return;
	e->service = net_strdup(k->net, name);
	if (port && json_object_is_type(port, json_type_string))
		pname = json_object_get_string(port);
	else
		port_num(port, &e->port);
	e->port_name = net_strdup(k->net, pname);
	e->host = net_strdup(k->net, host);
	e->path = net_strdup(k->net, path);
}

static void ingress(struct kctx *k, const struct hull_object *o)
{
	struct hull_net *net = k->net;
	struct json_object *spec = obj(o->obj, "spec");
	struct net_ingress *ing =
	    NET_PUSH(net, net->ings, net->nings, net->caping, HULL_NET_MAX_ITEMS);
	if (!ing)
		return;
	ing->name = net_strdup(net, o->name ? o->name : "(unnamed)");
	ing->ns_idx = net_namespace(net, o->namespace);
	ing->ns = net->nnss > ing->ns_idx ? net->nss[ing->ns_idx].name : "";
	ing->pos = net_pos_of(net, k->y, k->file, o->obj);
	struct json_object *def = obj(spec, "defaultBackend");
	ing_backend(k, ing, def ? def : obj(spec, "backend"), NULL, NULL);
	struct json_object *rules = arr(spec, "rules");
	for (size_t i = 0; i < alen(rules); i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);
		struct json_object *paths = arr(obj(r, "http"), "paths");
		for (size_t j = 0; j < alen(paths); j++) {
			struct json_object *p = json_object_array_get_idx(paths, j);
			ing_backend(k, ing, obj(p, "backend"), str(r, "host"), str(p, "path"));
		}
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
	ns->pos = net_pos_of(net, k->y, k->file, o->obj);
	labels_from(net, obj(obj(o->obj, "metadata"), "labels"), &ns->labels);
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
		struct kctx k = {.net = net, .y = o->yaml, .file = o->pos.file};
		if (!o->kind || !o->obj)
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
