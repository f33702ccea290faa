/* What hull network reads from Kubernetes objects, into the model: the
 * specs of Services, Ingresses and NetworkPolicies (typed views on the
 * object) and the addresses of Pods. Values stay as written, with their
 * types and positions: deciding what the API server would refuse and
 * what a policy allows is network/'s business. */
#include <string.h>

#include "misconfig/fe.h"

/* The type of map[key] as a port-like value. */
static enum hull_k8s_value value(struct json_object *map, const char *key, int64_t *n,
                                 struct json_object **node)
{
	struct json_object *v = fe_get(map, key);
	*node = v;
	if (!v)
		return HULL_VAL_ABSENT;
	if (json_object_is_type(v, json_type_int)) {
		*n = json_object_get_int64(v);
		return HULL_VAL_INT;
	}
	return json_object_is_type(v, json_type_string) ? HULL_VAL_STRING : HULL_VAL_OTHER;
}

/* The items of a sequence as text; an item that is not a scalar is kept
 * with v NULL. */
static void texts(const struct fe *f, struct json_object *arr, hull_strlist *out)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *it = json_object_array_get_idx(arr, i);
		struct hull_vstr *e = hull_model_push(f->m, out);
		if (e) {
			e->v = fe_text(f, it);
			e->pos = fe_pos(f, it);
		}
	}
}

/* ---- Services and Ingresses ---------------------------------------------------- */

static void service(const struct fe *f, struct hull_object *o, struct json_object *spec)
{
	struct hull_k8s_service *s = hull_model_alloc(f->m, sizeof(*s));
	if (!s)
		return;
	o->service = s;
	s->type = fe_scalar(f, spec, "type");
	fe_pairs(f, fe_obj(spec, "selector"), &s->selector);
	struct json_object *ports = fe_arr(spec, "ports");
	for (size_t i = 0; ports && i < json_object_array_length(ports); i++) {
		struct json_object *pj = json_object_array_get_idx(ports, i), *node;
		struct hull_k8s_svc_port *p = hull_model_push(f->m, &s->ports);
		if (!p)
			return;
		p->name = fe_scalar(f, pj, "name");
		p->protocol = fe_scalar(f, pj, "protocol");
		p->port_type = value(pj, "port", &p->port, &node);
		p->node_port_type = value(pj, "nodePort", &p->node_port, &node);
		p->target_type = value(pj, "targetPort", &p->target_port, &node);
		if (p->target_type == HULL_VAL_STRING)
			p->target_name = fe_text(f, node);
	}
	struct json_object *ext = fe_arr(spec, "externalIPs");
	for (size_t i = 0; ext && i < json_object_array_length(ext); i++) {
		struct json_object *it = json_object_array_get_idx(ext, i);
		const char *ip = fe_text(f, it);
		struct hull_vstr *e = ip ? hull_model_push(f->m, &s->external_ips) : NULL;
		if (e) {
			e->v = ip;
			e->pos = fe_pos(f, it);
		}
	}
	s->load_balancer_ip = fe_scalar(f, spec, "loadBalancerIP");
}

static void backend(const struct fe *f, struct hull_k8s_ingress *ing, struct json_object *b,
                    const char *host, const char *path)
{
	if (!b)
		return;
	struct json_object *svc = fe_obj(b, "service"), *node;
	const char *name = svc ? fe_scalar(f, svc, "name") : fe_scalar(f, b, "serviceName");
	if (!name)
		return;
	struct hull_k8s_backend *e = hull_model_push(f->m, &ing->backends);
	if (!e)
		return;
	e->service = name;
	e->host = host;
	e->path = path;
	e->port_type = svc ? value(fe_obj(svc, "port"), "number", &e->port, &node)
	                   : value(b, "servicePort", &e->port, &node);
	e->port_name = svc ? fe_scalar(f, fe_obj(svc, "port"), "name") : NULL;
	if (e->port_type == HULL_VAL_STRING)
		e->port_name = fe_text(f, node);
}

static void ingress(const struct fe *f, struct hull_object *o, struct json_object *spec)
{
	struct hull_k8s_ingress *ing = hull_model_alloc(f->m, sizeof(*ing));
	if (!ing)
		return;
	o->ingress = ing;
	struct json_object *def = fe_obj(spec, "defaultBackend");
	backend(f, ing, def ? def : fe_obj(spec, "backend"), NULL, NULL);
	struct json_object *rules = fe_arr(spec, "rules");
	for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);
		struct json_object *paths = fe_arr(fe_obj(r, "http"), "paths");
		for (size_t j = 0; paths && j < json_object_array_length(paths); j++) {
			struct json_object *p = json_object_array_get_idx(paths, j);
			backend(f, ing, fe_obj(p, "backend"), fe_scalar(f, r, "host"),
			        fe_scalar(f, p, "path"));
		}
	}
}

/* ---- NetworkPolicies ---------------------------------------------------------------- */

static void selector(const struct fe *f, struct json_object *sel, struct hull_k8s_selector *out)
{
	if (!sel)
		return;
	out->set = true;
	out->pos = fe_pos(f, sel);
	out->is_map = json_object_is_type(sel, json_type_object);
	fe_pairs(f, fe_obj(sel, "matchLabels"), &out->match_labels);
	struct json_object *me = fe_arr(sel, "matchExpressions");
	for (size_t i = 0; me && i < json_object_array_length(me); i++) {
		struct json_object *e = json_object_array_get_idx(me, i);
		struct hull_k8s_req *r = hull_model_push(f->m, &out->match_expressions);
		if (!r)
			return;
		r->key = fe_scalar(f, e, "key");
		r->op = fe_scalar(f, e, "operator");
		r->pos = fe_pos(f, e);
		texts(f, fe_arr(e, "values"), &r->values);
	}
}

static void peer(const struct fe *f, struct json_object *pj, struct hull_k8s_peer *p)
{
	p->pos = fe_pos(f, pj);
	p->is_map = pj && json_object_is_type(pj, json_type_object);
	selector(f, fe_get(pj, "podSelector"), &p->pod);
	selector(f, fe_get(pj, "namespaceSelector"), &p->ns);
	struct json_object *ib = fe_get(pj, "ipBlock");
	if (!ib)
		return;
	p->ip_block = true;
	p->ip_block_pos = fe_pos(f, ib);
	p->cidr = fe_scalar(f, ib, "cidr");
	texts(f, fe_arr(ib, "except"), &p->except);
}

static void np_port(const struct fe *f, struct json_object *pj, struct hull_k8s_np_port *p)
{
	struct json_object *node;
	p->pos = fe_pos(f, pj);
	p->protocol = fe_scalar(f, pj, "protocol");
	p->port_type = value(pj, "port", &p->port, &node);
	p->port_pos = fe_pos(f, node);
	if (p->port_type == HULL_VAL_STRING)
		p->port_name = fe_text(f, node);
	p->end_type = value(pj, "endPort", &p->end_port, &node);
	p->end_pos = fe_pos(f, node);
}

static void rules(const struct fe *f, struct json_object *arr, bool ingress,
                  struct hull_k8s_netpol *np)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *rj = json_object_array_get_idx(arr, i);
		struct hull_k8s_np_rule *r =
		    hull_model_push(f->m, ingress ? &np->ingress : &np->egress);
		if (!r)
			return;
		r->pos = fe_pos(f, rj);
		r->bad_type = rj && !json_object_is_type(rj, json_type_object);
		struct json_object *peers = fe_arr(rj, ingress ? "from" : "to");
		for (size_t k = 0; peers && k < json_object_array_length(peers); k++) {
			struct hull_k8s_peer *p = hull_model_push(f->m, &r->peers);
			if (p)
				peer(f, json_object_array_get_idx(peers, k), p);
		}
		struct json_object *ports = fe_arr(rj, "ports");
		for (size_t k = 0; ports && k < json_object_array_length(ports); k++) {
			struct hull_k8s_np_port *p = hull_model_push(f->m, &r->ports);
			if (p)
				np_port(f, json_object_array_get_idx(ports, k), p);
		}
	}
}

static void netpol(const struct fe *f, struct hull_object *o, struct json_object *spec)
{
	struct hull_k8s_netpol *np = hull_model_alloc(f->m, sizeof(*np));
	if (!np)
		return;
	o->netpol = np;
	selector(f, fe_get(spec, "podSelector"), &np->pod_selector);
	texts(f, fe_arr(spec, "policyTypes"), &np->policy_types);
	struct json_object *eg = fe_arr(spec, "egress");
	np->has_egress = eg && json_object_array_length(eg) > 0;
	rules(f, fe_arr(spec, "ingress"), true, np);
	rules(f, eg, false, np);
}

void fe_k8s_net_object(const struct fe *f, struct hull_object *o, struct json_object *doc)
{
	struct json_object *spec = fe_obj(doc, "spec");
	if (!strcmp(o->kind, "Service"))
		service(f, o, spec);
	else if (!strcmp(o->kind, "Ingress"))
		ingress(f, o, spec);
	else if (!strcmp(o->kind, "NetworkPolicy"))
		netpol(f, o, spec);
}

void fe_k8s_pod_ips(const struct fe *f, struct hull_workload *w, struct json_object *status)
{
	struct json_object *ips = fe_arr(status, "podIPs");
	for (size_t i = 0; ips && i < json_object_array_length(ips); i++) {
		struct json_object *it = json_object_array_get_idx(ips, i);
		struct hull_vstr e = {0};
		if (fe_str(f, it, "ip", &e)) {
			struct hull_vstr *slot = hull_model_push(f->m, &w->pod_ips);
			if (slot)
				*slot = e;
		}
	}
	struct hull_vstr one = {0};
	if (fe_str(f, status, "podIP", &one)) {
		struct hull_vstr *slot = hull_model_push(f->m, &w->pod_ips);
		if (slot)
			*slot = one;
	}
}
