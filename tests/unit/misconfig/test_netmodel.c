/* What the model carries for hull network: Compose networks (top-level
 * and per service, aliases, network_mode, links, depends_on) and the
 * Kubernetes views (Services, Ingresses, NetworkPolicies, pod addresses,
 * port positions), as written, with positions. */
#include "helpers.h"
#include "tap.h"

static struct hull_model *load(const char *text, const char *name)
{
	struct hull_err err = {0};
	struct hull_model *m = hull_model_new();
	if (hull_config_load(m, text, strlen(text), name, HULL_CONFIG_UNKNOWN, "NET=back\n", NULL,
	                     &err) < 0) {
		printf("# %s\n", err.msg);
		hull_model_free(m);
		return NULL;
	}
	return m;
}

static const struct hull_workload *find(const struct hull_model *m, const char *name)
{
	for (size_t i = 0; m && i < m->workloads.n; i++)
		if (!strcmp(m->workloads.v[i].name, name))
			return &m->workloads.v[i];
	return NULL;
}

static const struct hull_object *object(const struct hull_model *m, const char *kind)
{
	for (size_t i = 0; m && i < m->objects.n; i++)
		if (!strcmp(m->objects.v[i].kind, kind))
			return &m->objects.v[i];
	return NULL;
}

static void compose(void)
{
	struct hull_model *m = load("name: shop\n"
	                            "services:\n"
	                            "  web:\n"
	                            "    image: nginx\n"
	                            "    networks:\n"
	                            "      front: {aliases: [www, site]}\n"
	                            "      ${NET}:\n"
	                            "    links: [\"db:database\"]\n"
	                            "    depends_on: {db: {condition: service_healthy}}\n"
	                            "  db:\n"
	                            "    image: postgres\n"
	                            "    network_mode: \"service:web\"\n"
	                            "networks:\n"
	                            "  front: {driver: bridge, driver_opts: "
	                            "{com.docker.network.bridge.enable_icc: \"false\"}}\n"
	                            "  back: {internal: true, external: {name: corp}}\n",
	                            "compose.yaml");
	TAP_OK(m && m->compose_project.v && !strcmp(m->compose_project.v, "shop"),
	       "the project's name");
	TAP_OK(m && m->networks.n == 2, "two top-level networks");
	const struct hull_compose_network *f = m ? &m->networks.v[0] : NULL;
	const struct hull_compose_network *b = m && m->networks.n > 1 ? &m->networks.v[1] : NULL;
	TAP_OK(f && !strcmp(f->key, "front") && f->icc && !strcmp(f->icc, "false") && f->driver &&
	           !strcmp(f->driver, "bridge") && f->pos.line == 14,
	       "front: driver, enable_icc as written, position of its key");
	TAP_OK(b && b->internal.v == HULL_TRUE && b->external.v == HULL_TRUE && b->name &&
	           !strcmp(b->name, "corp"),
	       "back: internal, external with the legacy {name:}");
	const struct hull_workload *web = find(m, "web"), *db = find(m, "db");
	TAP_OK(web && web->networks_set && web->networks.n == 2 &&
	           !strcmp(web->networks.v[0].network, "front") &&
	           web->networks.v[0].aliases.n == 2 && web->networks.v[0].pos.line == 6,
	       "web joins front with its aliases");
	/* interpolation applies to keys only where Compose does: the value's
	 * key is as written */
	TAP_OK(web && web->networks.n == 2 && !strcmp(web->networks.v[1].network, "${NET}"),
	       "a mapping key is a key, not interpolated");
	TAP_OK(web && web->links.n == 1 && !strcmp(web->links.v[0].v, "db:database") &&
	           web->depends_on.n == 1 && !strcmp(web->depends_on.v[0].v, "db"),
	       "links and depends_on as written");
	TAP_OK(db && db->network_mode.v && !strcmp(db->network_mode.v, "service:web") &&
	           db->network_mode.pos.line == 12 && !db->networks_set,
	       "db's network_mode with its position");
	hull_model_free(m);
}

static void kubernetes(void)
{
	struct hull_model *m = load(
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: a}}\n"     /* 1-3 */
	    "spec:\n  containers:\n  - name: c\n    image: x\n    ports:\n"          /* 4-8 */
	    "    - {containerPort: 80, name: http}\n"                                /* 9 */
	    "    - containerPort: 81\n      hostPort: 8081\n"                        /* 10-11 */
	    "status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: 'fd00::1'}]}\n" /* 12 */
	    "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
	    "spec: {type: NodePort, selector: {app: a}, ports: [{port: 80, targetPort: http, "
	    "nodePort: 30080}, {port: '81', targetPort: 8181}], externalIPs: [1.2.3.4], "
	    "loadBalancerIP: 5.6.7.8}\n"
	    "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n"
	    "spec:\n  defaultBackend: {service: {name: s, port: {number: 80}}}\n"
	    "  rules: [{host: h, http: {paths: [{path: /, backend: {serviceName: s, "
	    "servicePort: http}}]}}]\n"
	    "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\n"
	    "spec:\n"
	    "  podSelector: {matchLabels: {app: a}, matchExpressions: [{key: t, operator: In, "
	    "values: [x, 5]}]}\n"
	    "  policyTypes: [Ingress, Egress]\n"
	    "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}, "
	    "{namespaceSelector: {}, podSelector: null}]\n"
	    "    ports: [{port: http}, {port: 80, endPort: 90, protocol: UDP}]\n"
	    "  - 7\n"
	    "  egress: [null]\n",
	    "k8s.yaml");
	const struct hull_workload *p = find(m, "p");
	const struct hull_port *pt = p && p->containers.n ? p->containers.v[0].ports.v : NULL;
	TAP_OK(p && p->pod_ips.n == 3 && !strcmp(p->pod_ips.v[1].v, "fd00::1"),
	       "a Pod's podIPs then podIP, as written");
	TAP_OK(pt && pt[1].item_pos.line == 10 && pt[1].container_port_pos.line == 10 &&
	           pt[1].pos.line == 11,
	       "a port keeps its item, containerPort and hostPort positions");
	const struct hull_object *so = object(m, "Service");
	const struct hull_k8s_service *s = so ? so->service : NULL;
	TAP_OK(s && !strcmp(s->type, "NodePort") && s->selector.n == 1 && s->ports.n == 2 &&
	           s->ports.v[0].target_type == HULL_VAL_STRING &&
	           !strcmp(s->ports.v[0].target_name, "http") && s->ports.v[0].node_port == 30080,
	       "Service: type, selector, a named targetPort, nodePort");
	TAP_OK(s && s->ports.v[1].port_type == HULL_VAL_STRING &&
	           s->ports.v[1].target_type == HULL_VAL_INT && s->external_ips.n == 1 &&
	           !strcmp(s->load_balancer_ip, "5.6.7.8"),
	       "a port written as a string stays one; external addresses");
	const struct hull_object *io = object(m, "Ingress");
	const struct hull_k8s_ingress *ing = io ? io->ingress : NULL;
	TAP_OK(ing && ing->backends.n == 2 && ing->backends.v[0].port == 80 &&
	           !strcmp(ing->backends.v[1].port_name, "http") &&
	           !strcmp(ing->backends.v[1].host, "h"),
	       "Ingress: the default backend first, then v1beta1 serviceName/servicePort");
	const struct hull_object *no = object(m, "NetworkPolicy");
	const struct hull_k8s_netpol *np = no ? no->netpol : NULL;
	TAP_OK(np && np->pod_selector.set && np->pod_selector.is_map &&
	           np->pod_selector.match_labels.n == 1 &&
	           np->pod_selector.match_expressions.n == 1 &&
	           np->pod_selector.match_expressions.v[0].values.n == 2,
	       "NetworkPolicy: its pod selector");
	const struct hull_k8s_np_rule *r = np && np->ingress.n ? &np->ingress.v[0] : NULL;
	TAP_OK(r && r->peers.n == 2 && r->peers.v[0].ip_block &&
	           !strcmp(r->peers.v[0].cidr, "10.0.0.0/8") && r->peers.v[0].except.n == 1 &&
	           r->peers.v[1].ns.set && !r->peers.v[1].pod.set,
	       "peers: an ipBlock; a namespaceSelector with a null podSelector");
	TAP_OK(r && r->ports.n == 2 && r->ports.v[0].port_type == HULL_VAL_STRING &&
	           r->ports.v[1].end_type == HULL_VAL_INT && r->ports.v[1].end_port == 90 &&
	           !strcmp(r->ports.v[1].protocol, "UDP"),
	       "ports: a named port, a range with its protocol");
	TAP_OK(np && np->ingress.n == 2 && np->ingress.v[1].bad_type && np->egress.n == 1 &&
	           !np->egress.v[0].bad_type && np->has_egress && np->policy_types.n == 2,
	       "a rule that is not a mapping is marked; a null rule is an empty one");
	hull_model_free(m);
}

int main(void)
{
	compose();
	kubernetes();
	return tap_done();
}
