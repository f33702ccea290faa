/* check: the computed graph into findings (HULL-N001...). Each finding
 * points at the object that causes it (the workload, the port, the
 * Namespace or the policy) and says in its message what the matrix shows;
 * inline `# hull:ignore=` comments of the files read suppress it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/model.h"
#include "network/internal.h"

#define NETPOL_URL "https://kubernetes.io/docs/concepts/services-networking/network-policies/"

struct ck {
	struct hull_net *net;
	struct hull_findings *out;
	struct hull_err *err;
	int rc;
};

static const struct hull_rule *rule(const char *id)
{
	size_t n;
	const struct hull_rule *r = hull_net_rules(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].id, id))
			return &r[i];
	return NULL;
}

static const struct hull_ignore *ignored(const struct hull_net *net, const char *id,
                                         struct net_pos pos)
{
	if (!pos.file || !pos.line)
		return NULL;
	for (size_t m = 0; m < net->nmodels; m++) {
		const struct hull_model *md = net->models[m];
		for (size_t i = 0; i < md->ignores.n; i++) {
			const struct hull_ignore *ig = &md->ignores.v[i];
			if (!ig->file || strcmp(ig->file, pos.file) ||
			    (ig->line != pos.line && ig->next_line != pos.line))
				continue;
			for (size_t k = 0; k < ig->ids.n; k++)
				if (!strcasecmp(ig->ids.v[k].v, id) ||
				    !strcasecmp(ig->ids.v[k].v, "all"))
					return ig;
		}
	}
	return NULL;
}

static void report(struct ck *c, const char *id, struct net_pos pos, const char *object,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct ck *c, const char *id, struct net_pos pos, const char *object,
                   const char *fmt, ...)
{
	if (c->rc < 0)
		return;
	const struct hull_rule *r = rule(id);
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the rules about policies point at the page that defines them */
	bool netpol = r->inputs == HULL_INPUT_BIT(HULL_INPUT_K8S);
	struct hull_finding f = {
	    .kind = HULL_FINDING_NETWORK,
	    .id = strdup(r->id),
	    .severity = r->severity,
	    .title = strdup(r->title),
	    .message = strdup(msg),
	    .description = strdup(r->rationale),
	    .remediation = strdup(r->remediation),
	    .primary_url = netpol ? strdup(NETPOL_URL) : NULL,
	    .loc = {.file = pos.file ? strdup(pos.file) : NULL,
	            .line = pos.line,
	            .col = pos.col,
	            .object = object ? strdup(object) : NULL},
	};
	const struct hull_ignore *ig = ignored(c->net, id, pos);
	if (ig) {
		f.suppressed = true;
		f.suppress_kind = HULL_SUPPRESS_IN_SOURCE;
		f.suppression = strdup(ig->reason ? ig->reason : "hull:ignore");
	}
	if (!f.id || !f.title || !f.message || !f.description || !f.remediation ||
	    (netpol && !f.primary_url)) {
		hull_finding_release(&f);
		c->rc = hull_err_nomem(c->err);
		return;
	}
	if (hull_findings_add(c->out, &f, c->err) < 0)
		c->rc = -1;
}

static const char *label(const struct hull_net *net, size_t w, char *buf, size_t cap)
{
	const struct net_workload *x = &net->w[w];
	if (net->domains[x->domain].k8s)
		snprintf(buf, cap, "%s %s/%s", x->kind, x->ns, x->name);
	else
		snprintf(buf, cap, "%s %s", x->kind, x->id);
	return buf;
}

/* ---- Kubernetes namespaces and policies --------------------------------------------- */

static void namespaces(struct ck *c)
{
	struct hull_net *net = c->net;
	for (size_t n = 0; n < net->nnss; n++) {
		size_t first = NET_NONE, pods = 0;
		for (size_t i = 0; i < net->nw; i++)
			if (net->domains[net->w[i].domain].k8s && net->w[i].ns_idx == n &&
			    net_pod_seen(&net->w[i], net->opts.hostnet_select)) {
				pods++;
				if (first == NET_NONE)
					first = i;
			}
		if (!pods)
			continue;
		bool din = false, deg = false;
		for (size_t p = 0; p < net->npols; p++) {
			const struct net_policy *pol = &net->pols[p];
			if (pol->ns_idx != n || pol->sel.n)
				continue;
			din |= pol->ingress;
			deg |= pol->egress;
		}
		const struct net_namespace *ns = &net->nss[n];
		struct net_pos pos = ns->declared ? ns->pos : net->w[first].pos;
		char obj[300];
		snprintf(obj, sizeof(obj), "Namespace %s", ns->name);
		size_t open_in = 0, open_eg = 0;
		for (size_t i = 0; i < net->nw; i++) {
			const struct net_workload *w = &net->w[i];
			if (!net->domains[w->domain].k8s || w->ns_idx != n ||
			    !net_pod_seen(w, net->opts.hostnet_select))
				continue;
			open_in += !net->iso_in[w->cls];
			open_eg += !net->iso_eg[w->cls];
		}
		if (!din)
			report(c, "HULL-N001", pos, obj,
			       "namespace %s has no NetworkPolicy selecting every pod for Ingress: "
			       "%zu of "
			       "its %zu workloads accept connections from any source",
			       ns->name, open_in, pods);
		if (!deg)
			report(c, "HULL-N002", pos, obj,
			       "namespace %s has no NetworkPolicy selecting every pod for Egress: "
			       "%zu of "
			       "its %zu workloads may connect anywhere",
			       ns->name, open_eg, pods);
	}
}

static void idle_policies(struct ck *c)
{
	struct hull_net *net = c->net;
	for (size_t p = 0; p < net->npols; p++) {
		const struct net_policy *pol = &net->pols[p];
		if (pol->nselected)
			continue;
		char obj[300];
		snprintf(obj, sizeof(obj), "NetworkPolicy %s/%s", pol->ns, pol->name);
		report(c, "HULL-N009", pol->pos, obj,
		       "NetworkPolicy %s/%s selects no pod of the input", pol->ns, pol->name);
	}
}

/* ---- workloads --------------------------------------------------------------------------- */

static void everyone(struct ck *c, size_t i)
{
	struct hull_net *net = c->net;
	const struct net_workload *w = &net->w[i];
	const struct net_summary *s = &net->sum[i];
	char obj[400];
	if (!net->domains[w->domain].k8s || s->sources < 2 || s->reached_by < s->sources)
		return;
	report(c, "HULL-N003", w->pos, label(net, i, obj, sizeof(obj)),
	       "%s is reachable from all %zu other workloads of the cluster (%s)", w->id,
	       s->sources,
	       net->iso_in[w->cls] ? "its ingress policies allow every pod"
	                           : "no NetworkPolicy isolates it for ingress");
}

static const char *expo_word(enum net_expo_kind k)
{
	static const char *const w[] = {"published",    "host network", "hostPort", "NodePort",
	                                "LoadBalancer", "external IP",  "Ingress"};
	return (unsigned)k < sizeof(w) / sizeof(w[0]) ? w[k] : "?";
}

static void db_from_internet(struct ck *c, size_t i)
{
	struct hull_net *net = c->net;
	const struct net_workload *w = &net->w[i];
	for (size_t k = 0; k < w->nports; k++) {
		const struct net_port *p = &w->ports[k];
		const char *db = net_db_port(p->lo);
		if (!db)
			continue;
		char how[1024];
		size_t len = 0;
		struct net_pos pos = {0};
		how[0] = 0;
		for (size_t e = 0; e < net->nexpo; e++) {
			const struct net_exposure *x = &net->expo[e];
			bool covers =
			    x->target ? x->target <= p->lo && p->lo <= x->target_end : true;
			if (x->w != i || !x->world || !x->policy_allows ||
			    x->kind == NET_EXPO_INGRESS || !covers ||
			    (x->target && x->proto != p->proto))
				continue;
			if (!pos.line)
				pos = x->pos;
			int n =
			    snprintf(how + len, sizeof(how) - len, "%s%s %s%s%u", len ? ", " : "",
			             expo_word(x->kind), x->address ? x->address : "",
			             x->address ? ":" : "port ", x->port ? x->port : p->lo);
			if (n > 0 && (size_t)n < sizeof(how) - len)
				len += (size_t)n;
		}
		if (!len)
			continue;
		char obj[400];
		report(c, "HULL-N004", pos.line ? pos : w->pos, label(net, i, obj, sizeof(obj)),
		       "%s port %u/%s of %s is reachable from the internet (%s)", db, p->lo,
		       net_proto_name(p->proto), w->id, how);
	}
}

static void db_from_everyone(struct ck *c, size_t i)
{
	struct hull_net *net = c->net;
	const struct net_workload *w = &net->w[i];
	const struct net_summary *s = &net->sum[i];
	for (size_t k = 0; k < s->ndb; k++) {
		if (s->sources < 2 || s->db_reached_by[k] < s->sources)
			continue;
		struct net_pos pos = w->pos;
		for (size_t j = 0; j < w->nports; j++)
			if (w->ports[j].lo == s->db_port[k] && w->ports[j].pos.line)
				pos = w->ports[j].pos;
		char obj[400];
		report(c, "HULL-N005", pos, label(net, i, obj, sizeof(obj)),
		       "%s port %u/%s of %s is reachable from all %zu other workloads of the %s",
		       net_db_port(s->db_port[k]), s->db_port[k], net_proto_name(s->db_proto[k]),
		       w->id, s->sources, net->domains[w->domain].k8s ? "cluster" : "deployment");
	}
}

static void host_net(struct ck *c, size_t i)
{
	struct hull_net *net = c->net;
	const struct net_workload *w = &net->w[i];
	if (!w->host_network)
		return;
	char ports[512] = "", obj[400];
	size_t len = 0;
	for (size_t k = 0; k < w->nports && len + 16 < sizeof(ports); k++) {
		int n = snprintf(ports + len, sizeof(ports) - len, "%s%u/%s", len ? ", " : "",
		                 w->ports[k].lo, net_proto_name(w->ports[k].proto));
		if (n > 0)
			len += (size_t)n;
	}
	report(c, "HULL-N007", w->mode_pos.line ? w->mode_pos : w->pos,
	       label(net, i, obj, sizeof(obj)), "%s uses the host's network: %s%s", w->id,
	       len ? "its ports are open on the host's interfaces: "
	           : "every port it listens on is open on the host's interfaces",
	       ports);
}

static bool related(const struct hull_net *net, const struct net_workload *a,
                    const struct net_workload *b)
{
	(void)net;
	for (size_t i = 0; i < a->nrelated; i++)
		if (!strcmp(a->related[i], b->name))
			return true;
	for (size_t i = 0; i < b->nrelated; i++)
		if (!strcmp(b->related[i], a->name))
			return true;
	return false;
}

static void default_network(struct ck *c, size_t i)
{
	struct hull_net *net = c->net;
	const struct net_workload *w = &net->w[i];
	if (!w->default_only || net->domains[w->domain].kind != HULL_NET_COMPOSE)
		return;
	char others[1024] = "", obj[400];
	size_t len = 0, n = 0;
	for (size_t k = 0; k < net->nw; k++) {
		const struct net_workload *o = &net->w[k];
		if (k == i || o->domain != w->domain || !o->default_only || related(net, w, o))
			continue;
		int m =
		    snprintf(others + len, sizeof(others) - len, "%s%s", n ? ", " : "", o->name);
		if (m > 0 && (size_t)m < sizeof(others) - len)
			len += (size_t)m;
		n++;
	}
	if (!n)
		return;
	report(c, "HULL-N006", w->pos, label(net, i, obj, sizeof(obj)),
	       "service %s is on the default network with %s, which it neither depends on nor "
	       "links to (and which do not depend on it): they can reach each other on every port",
	       w->name, others);
}

static void icc(struct ck *c)
{
	struct hull_net *net = c->net;
	for (size_t n = 0; n < net->nnets; n++) {
		const struct net_network *nw = &net->nets[n];
		if (net->domains[nw->domain].kind != HULL_NET_ENGINE || !nw->default_bridge ||
		    !nw->icc || !nw->used)
			continue;
		size_t members = 0;
		for (size_t i = 0; i < net->nw; i++)
			for (size_t k = 0; k < net->w[i].nattach; k++)
				members += net->w[i].attach[k].network == n;
		char obj[300];
		snprintf(obj, sizeof(obj), "network %s", nw->name);
		report(c, "HULL-N008", nw->pos, obj,
		       "the default bridge network %s has inter-container communication enabled%s: "
		       "its "
		       "%zu containers reach each other on every port",
		       nw->name, nw->icc_explicit ? "" : " (the default)", members);
	}
}

int hull_net_check(struct hull_net *net, struct hull_findings *out, struct hull_err *err)
{
	if (!net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph not computed");
	struct ck c = {.net = net, .out = out, .err = err};
	namespaces(&c);
	idle_policies(&c);
	icc(&c);
	for (size_t i = 0; i < net->nw && c.rc == 0; i++) {
		everyone(&c, i);
		db_from_internet(&c, i);
		db_from_everyone(&c, i);
		host_net(&c, i);
		default_network(&c, i);
	}
	return c.rc;
}
