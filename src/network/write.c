/* write: the computed graph as a table (the matrix as an edge list, the
 * exposures, then the findings table), as JSON (docs/network.md), or as a
 * Graphviz digraph. Workload-to-workload edges come from the matrix;
 * what the internet reaches comes from the exposures (a policy that lets
 * the internet in does not make a ClusterIP pod reachable). Documents
 * list at most HULL_NET_MAX_EDGES edges and say when they stop. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/internal.h"
#include "util/json.h"
#include "util/term.h"

struct edge_cb {
	struct hull_net *net;
	int (*fn)(struct edge_cb *cb, size_t s, size_t d, uint32_t ports, const char *via);
	void *ctx;
	size_t n;
	bool truncated;
	struct hull_err *err;
};

static const char *hostnet_model(bool select)
{
	return select ? "select" : "ignore";
}

/* "; hostNetwork model: none with --hostnetwork-policy=select" when the
 * other model gives another answer for the pair. */
static void hostnet_via(struct hull_net *net, size_t s, size_t d, char *buf, size_t cap)
{
	const struct net_hdep *h = net_hostnet_dep(net, s, d);
	size_t len = strlen(buf);
	char p[256];
	if (!h || len >= cap)
		return;
	net_ps_format(net->ps, h->alt, p, sizeof(p));
	snprintf(buf + len, cap - len, "; hostNetwork model: %s with --hostnetwork-policy=%s", p,
	         hostnet_model(!net->opts.hostnet_select));
}

/* The policies behind an allowed Kubernetes edge, for the "via" column. */
static const char *k8s_via(struct hull_net *net, size_t s, size_t d, char *buf, size_t cap)
{
	uint32_t cs = s == NET_NONE ? net->world_cls : net->w[s].cls;
	uint32_t cd = d == NET_NONE ? net->world_cls : net->w[d].cls;
	size_t len = 0;
	buf[0] = 0;
	const struct {
		bool iso;
		const struct net_cls_rules *l;
		uint32_t other;
		const char *word;
	} dir[2] = {
	    {net->iso_in[cd], &net->in_rules[cd], cs, "ingress"},
	    {net->iso_eg[cs], &net->eg_rules[cs], cd, "egress"},
	};
	for (int k = 0; k < 2; k++) {
		int n = snprintf(buf + len, cap - len, "%s%s", k ? "; " : "", dir[k].word);
		len += n > 0 && (size_t)n < cap - len ? (size_t)n : 0;
		if (!dir[k].iso) {
			n = snprintf(buf + len, cap - len, " open");
			len += n > 0 && (size_t)n < cap - len ? (size_t)n : 0;
			continue;
		}
		const char *last = NULL;
		for (size_t i = 0; i < dir[k].l->n; i++) {
			const struct net_rule *r = dir[k].l->v[i].r;
			const char *name = net->pols[r->policy].name;
			if (!net_cls_bit(r->bits, dir[k].other) || name == last)
				continue;
			n = snprintf(buf + len, cap - len, "%s%s", last ? "," : " ", name);
			len += n > 0 && (size_t)n < cap - len ? (size_t)n : 0;
			last = name;
		}
	}
	return buf;
}

static int each_edge(struct edge_cb *cb)
{
	struct hull_net *net = cb->net;
	char via[512];
	for (size_t s = 0; s < net->nw; s++) {
		bool k8s = net->domains[net->w[s].domain].k8s;
		for (size_t d = 0; d <= net->nw; d++) {
			size_t dd = d == net->nw ? NET_NONE : d;
			if (dd == s || (dd != NET_NONE && net->w[dd].domain != net->w[s].domain))
				continue;
			const char *why = NULL;
			uint32_t p =
			    k8s ? net_k8s_pair(net, net->w[s].cls,
			                       dd == NET_NONE ? net->world_cls : net->w[dd].cls,
			                       NULL, NULL)
			        : net_docker_pair(net, s, dd, &why);
			if (p == NET_PS_EMPTY)
				continue;
			if (cb->n >= HULL_NET_MAX_EDGES) {
				cb->truncated = true;
				return 0;
			}
			if (k8s) {
				why = k8s_via(net, s, dd, via, sizeof(via));
				hostnet_via(net, s, dd, via, sizeof(via));
			}
			cb->n++;
			if (cb->fn(cb, s, dd, p, why ? why : "") < 0)
				return -1;
		}
	}
	return 0;
}

static const char *node_name(const struct hull_net *net, size_t w)
{
	return w == NET_NONE ? "(internet)" : net->w[w].id;
}

static const char *expo_kind(enum net_expo_kind k)
{
	static const char *const w[] = {"published",     "host-network", "host-port", "node-port",
	                                "load-balancer", "external-ip",  "ingress"};
	return (unsigned)k < sizeof(w) / sizeof(w[0]) ? w[k] : "?";
}

static void port_text(char *buf, size_t cap, uint16_t lo, uint16_t hi, const char *none)
{
	if (!lo)
		snprintf(buf, cap, "%s", none);
	else if (hi > lo)
		snprintf(buf, cap, "%u-%u", lo, hi);
	else
		snprintf(buf, cap, "%u", lo);
}

/* ---- table ------------------------------------------------------------------------------ */

struct table_ctx {
	struct hull_buf *out;
	size_t wsrc, wdst;
};

/* Names and policy names come from the inputs: every one goes through
 * util/term.h, and columns are padded in terminal columns. */
static int table_edge(struct edge_cb *cb, size_t s, size_t d, uint32_t ports, const char *via)
{
	struct table_ctx *t = cb->ctx;
	char p[256];
	net_ps_format(cb->net->ps, ports, p, sizeof(p));
	if (hull_term_append_cell(t->out, node_name(cb->net, s), t->wsrc, cb->err) < 0 ||
	    hull_buf_append_str(t->out, "  ", cb->err) < 0 ||
	    hull_term_append_cell(t->out, node_name(cb->net, d), t->wdst, cb->err) < 0 ||
	    hull_term_printf(t->out, cb->err, "  %-18s %s", p, via) < 0)
		return -1;
	return hull_buf_putc(t->out, '\n', cb->err);
}

/* Every pair whose answer the hostNetwork model decides, allowed or not
 * under the model in force. */
static int table_hostnet(struct hull_net *net, const struct table_ctx *t, struct hull_buf *out,
                         struct hull_err *err)
{
	bool sel = net->opts.hostnet_select;
	if (!net->nhdeps)
		return 0;
	char other[64];
	snprintf(other, sizeof(other), "WITH --hostnetwork-policy=%s", hostnet_model(!sel));
	if (hull_buf_printf(out, err,
	                    "\nDepends on the hostNetwork model (%zu pairs): NetworkPolicies %s "
	                    "hostNetwork pods here (--hostnetwork-policy=%s); the network plugin "
	                    "decides\n%-*s  %-*s  %-18s %s\n",
	                    net->nhdeps, sel ? "select" : "do not select", hostnet_model(sel),
	                    (int)t->wsrc, "SOURCE", (int)t->wdst, "DESTINATION", "PORTS",
	                    other) < 0)
		return -1;
	for (size_t i = 0; i < net->nhdeps; i++) {
		const struct net_hdep *h = &net->hdeps[i];
		char cur[256], alt[256];
		net_ps_format(net->ps, h->cur, cur, sizeof(cur));
		net_ps_format(net->ps, h->alt, alt, sizeof(alt));
		if (hull_term_append_cell(out, node_name(net, h->s), t->wsrc, err) < 0 ||
		    hull_buf_append_str(out, "  ", err) < 0 ||
		    hull_term_append_cell(out, node_name(net, h->d), t->wdst, err) < 0 ||
		    hull_buf_printf(out, err, "  %-18s %s\n", cur, alt) < 0)
			return -1;
	}
	return 0;
}

static int table_exposures(struct hull_net *net, struct hull_buf *out, struct hull_err *err)
{
	if (!net->nexpo)
		return hull_buf_printf(out, err, "\nExposed outside: nothing\n");
	if (hull_buf_printf(out, err, "\nExposed outside (%zu)\n%-32s %-14s %-18s %-11s %-14s %s\n",
	                    net->nexpo, "WORKLOAD", "HOW", "ADDRESS", "PORT", "TARGET",
	                    "POLICY / VIA") < 0)
		return -1;
	for (size_t i = 0; i < net->nexpo; i++) {
		const struct net_exposure *e = &net->expo[i];
		char port[32], target[48], tp[32];
		port_text(port, sizeof(port), e->port, e->port_end,
		          e->kind == NET_EXPO_HOST_NETWORK ? "every" : "ephemeral");
		port_text(tp, sizeof(tp), e->target, e->target_end, "every");
		snprintf(target, sizeof(target), "%s/%s", tp, net_proto_name(e->proto));
		const char *pol = !net->domains[net->w[e->w].domain].k8s ? "-"
		                  : e->policy_allows                     ? "allows"
		                                                         : "blocks";
		if (hull_term_append_cell(out, net->w[e->w].id, 32, err) < 0 ||
		    hull_term_printf(
		        out, err, " %-14s %-18s %-11s %-14s %s%s%s%s", expo_kind(e->kind),
		        e->address ? e->address : (e->world ? "*" : "loopback"), port, target, pol,
		        e->via ? " (" : "", e->via ? e->via : "", e->via ? ")" : "") < 0 ||
		    hull_buf_putc(out, '\n', err) < 0)
			return -1;
	}
	return 0;
}

static int write_table(struct hull_net *net, const struct hull_findings_input *in,
                       struct hull_buf *out, struct hull_err *err)
{
	struct table_ctx t = {.out = out, .wsrc = 10, .wdst = 11};
	for (size_t i = 0; i < net->nw; i++) {
		size_t w = hull_term_width(net->w[i].id, 40);
		int n = w > 40 ? 40 : (int)w;
		t.wsrc = (size_t)n > t.wsrc ? (size_t)n : t.wsrc;
		t.wdst = t.wsrc > t.wdst ? t.wsrc : t.wdst;
	}
	if (hull_buf_printf(out, err,
	                    "Reachability: %zu workloads, %zu policies, %zu networks; %zu ordered "
	                    "pairs allowed\n%-*s  %-*s  %-18s %s\n",
	                    net->nw, net->npols, net->nnets, net->edges_allowed, (int)t.wsrc,
	                    "SOURCE", (int)t.wdst, "DESTINATION", "PORTS", "VIA") < 0)
		return -1;
	struct edge_cb cb = {.net = net, .fn = table_edge, .ctx = &t, .err = err};
	if (each_edge(&cb) < 0)
		return -1;
	if (cb.truncated &&
	    hull_buf_printf(out, err, "... the first %u edges only\n", HULL_NET_MAX_EDGES) < 0)
		return -1;
	if (table_hostnet(net, &t, out, err) < 0 || table_exposures(net, out, err) < 0 ||
	    hull_buf_printf(out, err, "\n") < 0)
		return -1;
	return hull_report_findings(HULL_FINDINGS_TABLE, in, out, err);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *ports_json(const struct hull_net *net, uint32_t id)
{
	if (id == NET_PS_ALL)
		return json_object_new_string("all");
	size_t n;
	const struct net_range *r = net_ps_ranges(net->ps, id, &n);
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "protocol",
		                       json_object_new_string(net_proto_name(r[i].proto)));
		json_object_object_add(o, "from", json_object_new_int(r[i].lo));
		json_object_object_add(o, "to", json_object_new_int(r[i].hi));
		json_object_array_add(a, o);
	}
	return a;
}

/* Ports, or "none" for the empty set. */
static struct json_object *ports_or_none(const struct hull_net *net, uint32_t id)
{
	return id == NET_PS_EMPTY ? json_object_new_string("none") : ports_json(net, id);
}

static int json_edge(struct edge_cb *cb, size_t s, size_t d, uint32_t ports, const char *via)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "source", jstr(node_name(cb->net, s)));
	json_object_object_add(o, "destination", jstr(node_name(cb->net, d)));
	json_object_object_add(o, "ports", ports_json(cb->net, ports));
	json_object_object_add(o, "via", jstr(via));
	const struct net_hdep *h = net_hostnet_dep(cb->net, s, d);
	if (h)
		json_object_object_add(o, "ports_other_hostnetwork_model",
		                       ports_or_none(cb->net, h->alt));
	json_object_array_add(cb->ctx, o);
	return 0;
}

/* "hostnetwork": the model in force and the pairs it decides. */
static struct json_object *hostnet_json(struct hull_net *net)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	json_object_object_add(o, "policy", jstr(hostnet_model(net->opts.hostnet_select)));
	for (size_t i = 0; i < net->nhdeps; i++) {
		const struct net_hdep *h = &net->hdeps[i];
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "source", jstr(node_name(net, h->s)));
		json_object_object_add(e, "destination", jstr(node_name(net, h->d)));
		json_object_object_add(e, "ports", ports_or_none(net, h->cur));
		json_object_object_add(e, "ports_other_model", ports_or_none(net, h->alt));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "dependent", a);
	return o;
}

static const char *port_src(enum net_port_src s)
{
	return s == NET_PORT_DECLARED ? "declared" : s == NET_PORT_EXPOSE ? "expose" : "image";
}

static struct json_object *workload_json(const struct hull_net *net, size_t i)
{
	const struct net_workload *w = &net->w[i];
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", jstr(w->id));
	json_object_object_add(o, "kind", jstr(w->kind));
	json_object_object_add(o, "name", jstr(w->name));
	json_object_object_add(o, "namespace", jstr(w->ns));
	json_object_object_add(o, "deployment", jstr(net->domains[w->domain].name));
	json_object_object_add(o, "file", jstr(w->pos.file));
	json_object_object_add(o, "line", json_object_new_int((int)w->pos.line));
	if (w->labels.n) {
		struct json_object *l = json_object_new_object();
		for (size_t k = 0; k < w->labels.n; k++)
			json_object_object_add(l, net_interned(net, w->labels.v[k].key),
			                       jstr(net_interned(net, w->labels.v[k].value)));
		json_object_object_add(o, "labels", l);
	}
	struct json_object *ports = json_object_new_array();
	for (size_t k = 0; k < w->nports; k++) {
		const struct net_port *p = &w->ports[k];
		struct json_object *po = json_object_new_object();
		json_object_object_add(po, "protocol", jstr(net_proto_name(p->proto)));
		json_object_object_add(po, "port", json_object_new_int(p->lo));
		if (p->hi != p->lo)
			json_object_object_add(po, "end", json_object_new_int(p->hi));
		if (p->name)
			json_object_object_add(po, "name", jstr(p->name));
		json_object_object_add(po, "source", jstr(port_src(p->src)));
		json_object_array_add(ports, po);
	}
	json_object_object_add(o, "ports", ports);
	if (!net->domains[w->domain].k8s) {
		struct json_object *nets = json_object_new_array();
		for (size_t k = 0; k < w->nattach; k++)
			json_object_array_add(nets, jstr(net->nets[w->attach[k].network].name));
		json_object_object_add(o, "networks", nets);
		json_object_object_add(o, "network_mode", jstr(w->mode));
	}
	json_object_object_add(o, "host_network", json_object_new_boolean(w->host_network));
	const struct net_summary *s = &net->sum[i];
	json_object_object_add(o, "reached_by", json_object_new_int64((int64_t)s->reached_by));
	json_object_object_add(o, "reaches", json_object_new_int64((int64_t)s->reaches));
	return o;
}

static struct json_object *exposure_json(const struct hull_net *net, const struct net_exposure *e)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "workload", jstr(net->w[e->w].id));
	json_object_object_add(o, "how", jstr(expo_kind(e->kind)));
	json_object_object_add(o, "address", jstr(e->address));
	json_object_object_add(o, "protocol", jstr(net_proto_name(e->proto)));
	json_object_object_add(o, "port", e->port ? json_object_new_int(e->port) : NULL);
	json_object_object_add(o, "port_end",
	                       e->port_end > e->port ? json_object_new_int(e->port_end) : NULL);
	json_object_object_add(o, "target", e->target ? json_object_new_int(e->target) : NULL);
	json_object_object_add(
	    o, "target_end", e->target_end > e->target ? json_object_new_int(e->target_end) : NULL);
	json_object_object_add(o, "world", json_object_new_boolean(e->world));
	if (net->domains[net->w[e->w].domain].k8s)
		json_object_object_add(o, "policy_allows",
		                       json_object_new_boolean(e->policy_allows));
	json_object_object_add(o, "via", jstr(e->via));
	json_object_object_add(o, "file", jstr(e->pos.file));
	json_object_object_add(o, "line", json_object_new_int((int)e->pos.line));
	return o;
}

static struct json_object *networks_json(const struct hull_net *net)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < net->nnets; i++) {
		const struct net_network *n = &net->nets[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", jstr(n->name));
		json_object_object_add(o, "key", jstr(n->key));
		json_object_object_add(o, "deployment", jstr(net->domains[n->domain].name));
		json_object_object_add(o, "driver", jstr(n->driver));
		json_object_object_add(o, "internal", json_object_new_boolean(n->internal));
		json_object_object_add(o, "external", json_object_new_boolean(n->external));
		json_object_object_add(o, "icc", json_object_new_boolean(n->icc));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *policies_json(const struct hull_net *net)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < net->npols; i++) {
		const struct net_policy *p = &net->pols[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "namespace", jstr(p->ns));
		json_object_object_add(o, "name", jstr(p->name));
		json_object_object_add(o, "file", jstr(p->pos.file));
		json_object_object_add(o, "line", json_object_new_int((int)p->pos.line));
		json_object_object_add(o, "ingress", json_object_new_boolean(p->ingress));
		json_object_object_add(o, "egress", json_object_new_boolean(p->egress));
		json_object_object_add(o, "selects", json_object_new_int64((int64_t)p->nselected));
		json_object_array_add(a, o);
	}
	return a;
}

static int write_json(struct hull_net *net, const struct hull_findings_input *in,
                      struct hull_buf *out, struct hull_err *err)
{
	struct hull_buf fb;
	struct json_object *findings = NULL;
	hull_buf_init(&fb, HULL_NET_MAX_BYTES);
	if (hull_report_findings(HULL_FINDINGS_JSON, in, &fb, err) < 0 ||
	    hull_json_parse(fb.data ? fb.data : "", fb.len, "findings", &findings, err) < 0) {
		hull_buf_release(&fb);
		return -1;
	}
	hull_buf_release(&fb);
	struct json_object *doc = json_object_new_object(), *edges = json_object_new_array();
	json_object_object_add(doc, "schema", jstr("hull-network/1"));
	json_object_object_add(doc, "target", jstr(in->target.name));
	struct json_object *ws = json_object_new_array();
	for (size_t i = 0; i < net->nw; i++)
		json_object_array_add(ws, workload_json(net, i));
	json_object_object_add(doc, "workloads", ws);
	json_object_object_add(doc, "networks", networks_json(net));
	json_object_object_add(doc, "policies", policies_json(net));
	struct edge_cb cb = {.net = net, .fn = json_edge, .ctx = edges, .err = err};
	int rc = each_edge(&cb);
	json_object_object_add(doc, "edges", edges);
	json_object_object_add(doc, "edges_truncated", json_object_new_boolean(cb.truncated));
	if (net->hostnet_pods)
		json_object_object_add(doc, "hostnetwork", hostnet_json(net));
	struct json_object *ex = json_object_new_array();
	for (size_t i = 0; i < net->nexpo; i++)
		json_object_array_add(ex, exposure_json(net, &net->expo[i]));
	json_object_object_add(doc, "exposures", ex);
	struct json_object *sum = json_object_new_object();
	json_object_object_add(sum, "workloads", json_object_new_int64((int64_t)net->nw));
	json_object_object_add(sum, "pairs_allowed",
	                       json_object_new_int64((int64_t)net->edges_allowed));
	json_object_object_add(sum, "policies", json_object_new_int64((int64_t)net->npols));
	json_object_object_add(sum, "exposures", json_object_new_int64((int64_t)net->nexpo));
	json_object_object_add(doc, "summary", sum);
	json_object_object_add(doc, "findings", findings);
	if (rc == 0)
		rc = hull_buf_printf(out, err, "%s\n",
		                     json_object_to_json_string_ext(
		                         doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                                  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return rc;
}

/* ---- DOT ------------------------------------------------------------------------------------- */

/* A DOT quoted string: quotes and backslashes escaped, controls and
 * bidirectional overrides replaced (util/term.h), so names from manifests
 * can neither break out of it nor drive the terminal it is printed on. */
static int dot_str(struct hull_buf *out, const char *s, struct hull_err *err)
{
	if (hull_buf_putc(out, '"', err) < 0)
		return -1;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		char tmp[4];
		size_t nb;
		int cw;
		const char *c = hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		if ((*c == '"' || *c == '\\') && hull_buf_putc(out, '\\', err) < 0)
			return -1;
		if (hull_buf_append(out, c, nb, err) < 0)
			return -1;
	}
	return hull_buf_putc(out, '"', err);
}

static int dot_edge(struct edge_cb *cb, size_t s, size_t d, uint32_t ports, const char *via)
{
	struct hull_buf *out = cb->ctx;
	char p[256];
	(void)via;
	net_ps_format(cb->net->ps, ports, p, sizeof(p));
	if (hull_buf_printf(out, cb->err, "  ") < 0 ||
	    dot_str(out, node_name(cb->net, s), cb->err) < 0 ||
	    hull_buf_printf(out, cb->err, " -> ") < 0 ||
	    dot_str(out, node_name(cb->net, d), cb->err) < 0 ||
	    hull_buf_printf(out, cb->err, " [label=") < 0 ||
	    dot_str(out, ports == NET_PS_ALL ? "all" : p, cb->err) < 0)
		return -1;
	return hull_buf_printf(out, cb->err, "%s];\n",
	                       d == NET_NONE ? ", style=dashed, color=\"#888888\"" : "");
}

static int dot_nodes(struct hull_net *net, struct hull_buf *out, struct hull_err *err)
{
	/* one cluster per namespace (Kubernetes) or per deployment */
	for (size_t dom = 0; dom < net->ndomains; dom++) {
		size_t groups = net->domains[dom].k8s ? net->nnss : 1;
		for (size_t g = 0; g < groups; g++) {
			bool any = false;
			for (size_t i = 0; i < net->nw; i++) {
				const struct net_workload *w = &net->w[i];
				if (w->domain != dom || (net->domains[dom].k8s && w->ns_idx != g))
					continue;
				if (!any) {
					const char *title =
					    net->domains[dom].k8s
					        ? net_printf(net, "namespace %s", net->nss[g].name)
					        : net->domains[dom].name;
					if (hull_buf_printf(
					        out, err,
					        "  subgraph \"cluster_%zu_%zu\" {\n    label=", dom,
					        g) < 0 ||
					    dot_str(out, title ? title : "", err) < 0 ||
					    hull_buf_printf(out, err, ";\n") < 0)
						return -1;
					any = true;
				}
				if (hull_buf_printf(out, err, "    ") < 0 ||
				    dot_str(out, w->id, err) < 0 ||
				    hull_buf_printf(out, err, "%s;\n",
				                    w->host_network
				                        ? " [style=filled, fillcolor=\"#fde2c4\"]"
				                        : "") < 0)
					return -1;
			}
			if (any && hull_buf_printf(out, err, "  }\n") < 0)
				return -1;
		}
	}
	return 0;
}

static int write_dot(struct hull_net *net, struct hull_buf *out, struct hull_err *err)
{
	if (hull_buf_printf(
	        out, err,
	        "digraph hull_network {\n  rankdir=LR;\n  node [shape=box, "
	        "fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", "
	        "fontsize=8];\n  \"(internet)\" [shape=ellipse, style=filled, "
	        "fillcolor=\"#f4cccc\"];\n") < 0 ||
	    dot_nodes(net, out, err) < 0)
		return -1;
	struct edge_cb cb = {.net = net, .fn = dot_edge, .ctx = out, .err = err};
	if (each_edge(&cb) < 0)
		return -1;
	for (size_t i = 0; i < net->nexpo; i++) {
		const struct net_exposure *e = &net->expo[i];
		if (!e->world)
			continue;
		char port[32], label[160];
		port_text(port, sizeof(port), e->port, e->port_end, "*");
		snprintf(label, sizeof(label), "%s %s:%s%s", expo_kind(e->kind),
		         e->address ? e->address : "*", port,
		         e->policy_allows ? "" : " (policy blocks)");
		if (hull_buf_printf(out, err, "  \"(internet)\" -> ") < 0 ||
		    dot_str(out, net->w[e->w].id, err) < 0 ||
		    hull_buf_printf(out, err, " [label=") < 0 || dot_str(out, label, err) < 0 ||
		    hull_buf_printf(out, err, ", color=\"%s\", fontcolor=\"%s\"];\n",
		                    e->policy_allows ? "#cc0000" : "#999999",
		                    e->policy_allows ? "#cc0000" : "#999999") < 0)
			return -1;
	}
	if (cb.truncated &&
	    hull_buf_printf(out, err, "  // the first %u edges only\n", HULL_NET_MAX_EDGES) < 0)
		return -1;
	return hull_buf_printf(out, err, "}\n");
}

int hull_net_write(struct hull_net *net, enum hull_net_format f,
                   const struct hull_findings_input *in, struct hull_buf *out, struct hull_err *err)
{
	if (!net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph not computed");
	switch (f) {
	case HULL_NET_TABLE:
		return write_table(net, in, out, err);
	case HULL_NET_JSON:
		return write_json(net, in, out, err);
	case HULL_NET_DOT:
		return write_dot(net, out, err);
	}
	return hull_err_set(err, HULL_ERR_USAGE, "unknown network format");
}

/* ---- views (network.h) ------------------------------------------------------------------ */

size_t hull_net_workload_count(const struct hull_net *net)
{
	return net->nw;
}

void hull_net_workload_get(const struct hull_net *net, size_t i, struct hull_net_workload_view *out)
{
	const struct net_workload *w = &net->w[i];
	*out = (struct hull_net_workload_view){
	    .id = w->id,
	    .kind = w->kind,
	    .name = w->name,
	    .ns = w->ns,
	    .file = w->pos.file,
	    .image = w->image,
	    .line = w->pos.line,
	    .host_network = w->host_network,
	    .reached_by = net->sum ? net->sum[i].reached_by : 0,
	    .reaches = net->sum ? net->sum[i].reaches : 0,
	};
}

size_t hull_net_exposure_count(const struct hull_net *net)
{
	return net->nexpo;
}

void hull_net_exposure_get(const struct hull_net *net, size_t k, struct hull_net_exposure_view *out)
{
	const struct net_exposure *e = &net->expo[k];
	*out = (struct hull_net_exposure_view){
	    .workload = e->w,
	    .how = expo_kind(e->kind),
	    .address = e->address,
	    .protocol = net_proto_name(e->proto),
	    .port = e->port,
	    .port_end = e->port_end,
	    .target = e->target,
	    .via = e->via,
	    .world = e->world,
	    .policy_allows = e->policy_allows,
	    .file = e->pos.file,
	    .line = e->pos.line,
	};
}

struct view_edge {
	int (*fn)(void *ctx, size_t src, size_t dst, const char *ports);
	void *ctx;
};

static int view_edge(struct edge_cb *cb, size_t s, size_t d, uint32_t ports, const char *via)
{
	struct view_edge *v = cb->ctx;
	char p[256];
	(void)via;
	net_ps_format(cb->net->ps, ports, p, sizeof(p));
	return v->fn(v->ctx, s == NET_NONE ? HULL_NET_INTERNET : s,
	             d == NET_NONE ? HULL_NET_INTERNET : d, p);
}

int hull_net_each_edge(struct hull_net *net,
                       int (*fn)(void *ctx, size_t src, size_t dst, const char *ports), void *ctx,
                       struct hull_err *err)
{
	struct view_edge v = {fn, ctx};
	struct edge_cb cb = {.net = net, .fn = view_edge, .ctx = &v, .err = err};
	return each_edge(&cb);
}
