/* explain: `hull network --can SRC DST:PORT`, one question answered with
 * the policies (Kubernetes) or the networks and published ports (Compose,
 * engines) that decide it. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "network/internal.h"
#include "util/term.h"

enum end_kind { END_WORKLOAD, END_WORLD, END_IP };

struct end {
	enum end_kind kind;
	size_t w;
	struct net_addr ip;
	const char *text;
	size_t textlen;
};

struct question {
	struct end src, dst;
	uint8_t proto;
	uint16_t port;
	const char *port_text;
};

static int parse_end(const struct hull_net *net, const char *s, size_t n, struct end *e,
                     struct hull_err *err)
{
	char buf[512];
	if (n == 0 || n >= sizeof(buf))
		return hull_err_set(err, HULL_ERR_USAGE, "--can: empty or overlong name");
	memcpy(buf, s, n);
	buf[n] = 0;
	e->text = s;
	e->textlen = n;
	if (!strcasecmp(buf, "internet") || !strcasecmp(buf, "world")) {
		e->kind = END_WORLD;
		return 0;
	}
	const char *ip = buf;
	size_t iplen = n;
	if (buf[0] == '[' && buf[n - 1] == ']') {
		ip = buf + 1;
		iplen = n - 2;
	}
	if (net_addr_parse(ip, iplen, &e->ip)) {
		e->kind = END_IP;
		return 0;
	}
	bool amb;
	e->kind = END_WORKLOAD;
	e->w = net_find_workload(net, buf, &amb);
	if (e->w == NET_NONE)
		return hull_err_set(err, HULL_ERR_USAGE, "--can: %s workload '%s'",
		                    amb ? "ambiguous" : "no", buf);
	return 0;
}

static int parse_port(const struct hull_net *net, struct question *q, const char *s,
                      struct hull_err *err)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	bool proto_given = slash != NULL;
	q->proto = NET_TCP;
	if (slash) {
		*slash = 0;
		if (!net_proto_parse(slash + 1, &q->proto))
			return hull_err_set(err, HULL_ERR_USAGE, "--can: unknown protocol '%s'",
			                    slash + 1);
	}
	char *end;
	long v = strtol(buf, &end, 10);
	if (*buf && !*end) {
		if (v < 1 || v > 65535)
			return hull_err_set(err, HULL_ERR_USAGE, "--can: port %ld out of range", v);
		q->port = (uint16_t)v;
		return 0;
	}
	if (q->dst.kind != END_WORKLOAD)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--can: a port name needs a workload as destination");
	const struct net_workload *w = &net->w[q->dst.w];
	for (size_t i = 0; i < w->nports; i++)
		if (w->ports[i].name && !strcmp(w->ports[i].name, buf) &&
		    (!proto_given || w->ports[i].proto == q->proto)) {
			q->port = w->ports[i].lo;
			q->proto = w->ports[i].proto;
			return 0;
		}
	return hull_err_set(err, HULL_ERR_USAGE, "--can: %s has no port named '%s'", w->id, buf);
}

static int parse_question(const struct hull_net *net, const char *src, const char *dst,
                          struct question *q, struct hull_err *err)
{
	memset(q, 0, sizeof(*q));
	const char *colon = dst ? strrchr(dst, ':') : NULL;
	if (!src || !colon || !colon[1])
		return hull_err_set(err, HULL_ERR_USAGE, "--can SRC DST:PORT[/PROTO]");
	if (parse_end(net, src, strlen(src), &q->src, err) < 0 ||
	    parse_end(net, dst, (size_t)(colon - dst), &q->dst, err) < 0)
		return -1;
	if (q->src.kind != END_WORKLOAD && q->dst.kind != END_WORKLOAD)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--can: one side must be a workload of the input");
	q->port_text = colon + 1;
	return parse_port(net, q, colon + 1, err);
}

/* ---- the answer ------------------------------------------------------------------------ */

struct side {
	bool applies; /* a Kubernetes pod on this side */
	bool isolated;
	bool ok;
	struct json_object *policies, *allowed_by;
	char note[256];
};

static struct json_object *pos_obj(const struct net_policy *p, const struct net_rule *r)
{
	struct json_object *o = json_object_new_object();
	char name[512];
	snprintf(name, sizeof(name), "%s/%s", p->ns, p->name);
	json_object_object_add(o, "policy", json_object_new_string(name));
	if (r) {
		json_object_object_add(o, "rule", json_object_new_int((int)r->index + 1));
		json_object_object_add(o, "direction",
		                       json_object_new_string(r->ingress ? "ingress" : "egress"));
	}
	const struct net_pos *pos = r ? &r->pos : &p->pos;
	json_object_object_add(o, "file", pos->file ? json_object_new_string(pos->file) : NULL);
	json_object_object_add(o, "line", json_object_new_int((int)pos->line));
	return o;
}

/* Does rule r match the far end? */
static bool rule_matches(const struct hull_net *net, const struct net_rule *r,
                         const struct end *far)
{
	if (r->any_peer)
		return true;
	if (far->kind == END_WORLD)
		return net_cls_bit(r->bits, net->world_cls);
	if (far->kind == END_WORKLOAD)
		return net_cls_bit(r->bits, net->w[far->w].cls);
	for (size_t i = 0; i < r->npeers; i++)
		if (r->peers[i].kind == NET_PEER_IPBLOCK &&
		    net_ipblock_contains(&r->peers[i].block, &far->ip))
			return true;
	return false;
}

/* One direction: `self` is the pod whose policies apply; `far` the other
 * end; the port is on the destination (`dst`, NET_NONE when outside). */
static void side(struct hull_net *net, const struct question *q, size_t self, const struct end *far,
                 bool ingress, size_t dst, struct side *s)
{
	const struct net_workload *w = &net->w[self];
	s->applies = true;
	s->policies = json_object_new_array();
	s->allowed_by = json_object_new_array();
	if (!net_pod_seen(w, net->opts.hostnet_select)) {
		s->ok = true;
		snprintf(s->note, sizeof(s->note),
		         "not isolated: no NetworkPolicy selects a hostNetwork pod");
		return;
	}
	for (size_t p = 0; p < net->npols; p++) {
		struct net_policy *pol = &net->pols[p];
		if (!(ingress ? pol->ingress : pol->egress) || !net_selects(net, pol, w))
			continue;
		s->isolated = true;
		json_object_array_add(s->policies, pos_obj(pol, NULL));
		struct net_rule *rules = ingress ? pol->in : pol->eg;
		size_t n = ingress ? pol->nin : pol->neg;
		for (size_t r = 0; r < n; r++) {
			if (!rule_matches(net, &rules[r], far))
				continue;
			if (!net_ps_has(net->ps, net_rule_ports(net, &rules[r], dst), q->proto,
			                q->port))
				continue;
			s->ok = true;
			json_object_array_add(s->allowed_by, pos_obj(pol, &rules[r]));
		}
	}
	if (!s->isolated) {
		s->ok = true;
		snprintf(s->note, sizeof(s->note),
		         "not isolated: no NetworkPolicy with %s selects it",
		         ingress ? "Ingress" : "Egress");
	} else if (!s->ok) {
		snprintf(s->note, sizeof(s->note),
		         "isolated, and no %s rule allows this peer and port",
		         ingress ? "ingress" : "egress");
	} else {
		snprintf(s->note, sizeof(s->note), "isolated, and allowed by %zu rule%s",
		         json_object_array_length(s->allowed_by),
		         json_object_array_length(s->allowed_by) == 1 ? "" : "s");
	}
}

static const char *end_name(const struct hull_net *net, const struct end *e, char *buf, size_t cap)
{
	if (e->kind == END_WORKLOAD)
		return net->w[e->w].id;
	if (e->kind == END_WORLD)
		return "internet";
	snprintf(buf, cap, "%.*s", (int)e->textlen, e->text);
	return buf;
}

static struct json_object *side_json(const struct side *s)
{
	if (!s->applies)
		return NULL;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "isolated", json_object_new_boolean(s->isolated));
	json_object_object_add(o, "allowed", json_object_new_boolean(s->ok));
	json_object_object_add(o, "policies", json_object_get(s->policies));
	json_object_object_add(o, "allowed_by", json_object_get(s->allowed_by));
	json_object_object_add(o, "note", json_object_new_string(s->note));
	return o;
}

/* One line of the text answer: names, notes and file names in it come
 * from the inputs, so the line goes through util/term.h whole. */
__attribute__((format(printf, 3, 4))) static int line(struct hull_buf *out, struct hull_err *err,
                                                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = hull_term_vprintf(out, err, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : hull_buf_putc(out, '\n', err);
}

static int text_side(struct hull_buf *out, const char *dir, const char *who, const struct side *s,
                     struct hull_err *err)
{
	if (!s->applies)
		return 0;
	if (line(out, err, "  %s of %s: %s", dir, who, s->note) < 0)
		return -1;
	size_t n = json_object_array_length(s->policies);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(s->policies, i);
		if (line(out, err, "    selected by NetworkPolicy %s (%s:%d)",
		         json_object_get_string(json_object_object_get(p, "policy")),
		         json_object_get_string(json_object_object_get(p, "file")),
		         json_object_get_int(json_object_object_get(p, "line"))) < 0)
			return -1;
	}
	n = json_object_array_length(s->allowed_by);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(s->allowed_by, i);
		if (line(out, err, "    allowed by %s rule %d of %s (%s:%d)", dir,
		         json_object_get_int(json_object_object_get(p, "rule")),
		         json_object_get_string(json_object_object_get(p, "policy")),
		         json_object_get_string(json_object_object_get(p, "file")),
		         json_object_get_int(json_object_object_get(p, "line"))) < 0)
			return -1;
	}
	return 0;
}

static bool listens(const struct net_workload *w, uint8_t proto, uint16_t port)
{
	for (size_t i = 0; i < w->nports; i++)
		if (w->ports[i].proto == proto && w->ports[i].lo <= port && port <= w->ports[i].hi)
			return true;
	return false;
}

/* With a hostNetwork pod on either side: the answer under the other
 * model (NetworkPolicies seeing hostNetwork pods or not). */
struct hostnet_answer {
	bool involved, other_ok;
};

static struct hostnet_answer hostnet_other(struct hull_net *net, const struct question *q)
{
	struct hostnet_answer h = {0};
	size_t s = q->src.kind == END_WORKLOAD ? q->src.w : NET_NONE;
	size_t d = q->dst.kind == END_WORKLOAD ? q->dst.w : NET_NONE;
	h.involved =
	    (s != NET_NONE && net->w[s].host_network) || (d != NET_NONE && net->w[d].host_network);
	if (!h.involved)
		return h;
	const struct net_addr *ip = q->src.kind == END_IP   ? &q->src.ip
	                            : q->dst.kind == END_IP ? &q->dst.ip
	                                                    : NULL;
	uint32_t p = net_k8s_pair_direct(net, s, d, ip, !net->opts.hostnet_select);
	h.other_ok = net_ps_has(net->ps, p, q->proto, q->port);
	return h;
}

static struct json_object *hostnet_json(const struct hull_net *net, const struct hostnet_answer *h,
                                        bool ok)
{
	if (!h->involved)
		return NULL;
	struct json_object *o = json_object_new_object();
	bool sel = net->opts.hostnet_select;
	json_object_object_add(o, "policy", json_object_new_string(sel ? "select" : "ignore"));
	json_object_object_add(o, "depends", json_object_new_boolean(h->other_ok != ok));
	json_object_object_add(o, "allowed_other_model", json_object_new_boolean(h->other_ok));
	return o;
}

static int answer(struct hull_net *net, const struct question *q, bool json, struct hull_buf *out,
                  bool *allowed, struct hull_err *err)
{
	struct hostnet_answer hn = {0};
	struct side in = {0}, eg = {0};
	char sb[128], db[128], reason[512] = "";
	const char *sname = end_name(net, &q->src, sb, sizeof(sb));
	const char *dname = end_name(net, &q->dst, db, sizeof(db));
	const struct net_workload *sw = q->src.kind == END_WORKLOAD ? &net->w[q->src.w] : NULL;
	const struct net_workload *dw = q->dst.kind == END_WORKLOAD ? &net->w[q->dst.w] : NULL;
	const struct net_workload *any = sw ? sw : dw;
	bool k8s = net->domains[any->domain].k8s;
	bool ok;
	if (sw && dw && sw->domain != dw->domain) {
		ok = false;
		snprintf(reason, sizeof(reason), "they belong to different deployments (%s, %s)",
		         net->domains[sw->domain].name, net->domains[dw->domain].name);
	} else if (k8s) {
		if (dw)
			side(net, q, q->dst.w, &q->src, true, q->dst.w, &in);
		if (sw)
			side(net, q, q->src.w, &q->dst, false, dw ? q->dst.w : NET_NONE, &eg);
		ok = (!in.applies || in.ok) && (!eg.applies || eg.ok);
		hn = hostnet_other(net, q);
		if (sw && dw && sw == dw)
			snprintf(
			    reason, sizeof(reason),
			    "source and destination are the same workload: this is about two of "
			    "its pods (a pod always reaches itself)");
	} else {
		const char *why = NULL;
		uint32_t p =
		    net_docker_pair(net, sw ? q->src.w : NET_NONE, dw ? q->dst.w : NET_NONE, &why);
		ok = net_ps_has(net->ps, p, q->proto, q->port);
		if (ok)
			snprintf(reason, sizeof(reason), "through %s", why ? why : "?");
		else if (p != NET_PS_EMPTY)
			snprintf(reason, sizeof(reason), "only %s is reachable (through %s)",
			         "some ports", why ? why : "?");
		else
			snprintf(reason, sizeof(reason),
			         "no shared network, no published port and no host network between "
			         "them");
	}
	char note[256] = "";
	if (ok && dw && !listens(dw, q->proto, q->port))
		snprintf(note, sizeof(note),
		         "%s declares no port %u/%s: allowed, if it listens there", dw->id, q->port,
		         net_proto_name(q->proto));
	*allowed = ok;
	int rc;
	if (json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "source", json_object_new_string(sname));
		json_object_object_add(o, "destination", json_object_new_string(dname));
		json_object_object_add(o, "port", json_object_new_int(q->port));
		json_object_object_add(o, "protocol",
		                       json_object_new_string(net_proto_name(q->proto)));
		json_object_object_add(o, "allowed", json_object_new_boolean(ok));
		json_object_object_add(o, "egress", side_json(&eg));
		json_object_object_add(o, "ingress", side_json(&in));
		json_object_object_add(o, "reason",
		                       *reason ? json_object_new_string(reason) : NULL);
		json_object_object_add(o, "note", *note ? json_object_new_string(note) : NULL);
		if (hn.involved)
			json_object_object_add(o, "hostnetwork", hostnet_json(net, &hn, ok));
		rc = hull_buf_printf(out, err, "%s\n",
		                     json_object_to_json_string_ext(
		                         o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                                JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		rc = line(out, err, "%s -> %s port %u/%s: %s", sname, dname, q->port,
		          net_proto_name(q->proto), ok ? "ALLOWED" : "DENIED");
		if (rc == 0)
			rc = text_side(out, "egress", sname, &eg, err);
		if (rc == 0)
			rc = text_side(out, "ingress", dname, &in, err);
		if (rc == 0 && *reason)
			rc = line(out, err, "  %s", reason);
		if (rc == 0 && *note)
			rc = line(out, err, "  note: %s", note);
		if (rc == 0 && hn.involved && hn.other_ok != ok)
			rc = line(
			    out, err,
			    "  depends on the hostNetwork model: %s with "
			    "--hostnetwork-policy=%s (whether NetworkPolicies select and match "
			    "hostNetwork pods is up to the network plugin)",
			    hn.other_ok ? "ALLOWED" : "DENIED",
			    net->opts.hostnet_select ? "ignore" : "select");
	}
	json_object_put(in.policies);
	json_object_put(in.allowed_by);
	json_object_put(eg.policies);
	json_object_put(eg.allowed_by);
	return rc;
}

int hull_net_can(struct hull_net *net, const char *src, const char *dst, bool json,
                 struct hull_buf *out, bool *allowed, struct hull_err *err)
{
	struct question q;
	*allowed = false;
	if (!net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph not computed");
	if (parse_question(net, src, dst, &q, err) < 0)
		return -1;
	return answer(net, &q, json, out, allowed, err);
}
