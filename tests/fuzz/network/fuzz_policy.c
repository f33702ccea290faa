/* libFuzzer harness for the NetworkPolicy evaluator: the input bytes drive
 * a generator of namespaces, pods and policies (rendered as JSON
 * documents and loaded like any manifest), and three invariants of the
 * Kubernetes semantics are checked on the result:
 *
 *  1. the bulk matrix equals the cell-by-cell evaluation;
 *  2. adding an allow policy never removes an allowed edge: the same
 *     cluster plus a policy that selects only pods already isolated for
 *     its direction (same namespace and podSelector as an existing one)
 *     allows at least what the first one allowed, port by port;
 *  3. a default-deny policy (podSelector {}, Ingress and Egress, no rules)
 *     in every namespace, with nothing else, allows nothing between pods
 *     the policies can select, nor from or to the internet. */
#include "fuzz_common.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct gen {
	const uint8_t *p;
	size_t n, i;
	struct hull_buf out;
};

static unsigned pick(struct gen *g, unsigned max)
{
	if (max <= 1)
		return 0;
	return g->i < g->n ? g->p[g->i++] % max : 0;
}

#define EMIT(g, ...) hull_buf_printf(&(g)->out, NULL, __VA_ARGS__)

static const char *const keys[] = {"app", "tier", "env"};
static const char *const vals[] = {"a", "b", "c"};

static void labels(struct gen *g)
{
	EMIT(g, "{");
	bool first = true;
	for (size_t k = 0; k < 3; k++) {
		if (!pick(g, 2))
			continue;
		EMIT(g, "%s\"%s\": \"%s\"", first ? "" : ", ", keys[k], vals[pick(g, 3)]);
		first = false;
	}
	EMIT(g, "}");
}

static void selector(struct gen *g)
{
	switch (pick(g, 4)) {
	case 0:
		EMIT(g, "{}");
		return;
	case 1:
		EMIT(g, "{\"matchLabels\": ");
		labels(g);
		EMIT(g, "}");
		return;
	default: {
		static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
		unsigned op = pick(g, 4);
		EMIT(g, "{\"matchExpressions\": [{\"key\": \"%s\", \"operator\": \"%s\"",
		     keys[pick(g, 3)], ops[op]);
		if (op < 2)
			EMIT(g, ", \"values\": [\"%s\", \"%s\"]", vals[pick(g, 3)],
			     vals[pick(g, 3)]);
		EMIT(g, "}]}");
	}
	}
}

static void peer(struct gen *g)
{
	static const char *const blocks[] = {
	    "{\"cidr\": \"10.0.0.0/16\", \"except\": [\"10.0.1.0/24\"]}",
	    "{\"cidr\": \"0.0.0.0/0\"}",
	    "{\"cidr\": \"0.0.0.0/0\", \"except\": [\"10.0.0.0/8\"]}",
	    "{\"cidr\": \"10.0.2.0/24\"}",
	};
	switch (pick(g, 4)) {
	case 0:
		EMIT(g, "{\"podSelector\": ");
		selector(g);
		EMIT(g, "}");
		break;
	case 1:
		EMIT(g, "{\"namespaceSelector\": ");
		selector(g);
		EMIT(g, "}");
		break;
	case 2:
		EMIT(g, "{\"namespaceSelector\": ");
		selector(g);
		EMIT(g, ", \"podSelector\": ");
		selector(g);
		EMIT(g, "}");
		break;
	default:
		EMIT(g, "{\"ipBlock\": %s}", blocks[pick(g, 4)]);
	}
}

static void port(struct gen *g)
{
	static const char *const protos[] = {"TCP", "UDP", "SCTP"};
	static const unsigned nums[] = {53, 80, 8080, 9100};
	EMIT(g, "{\"protocol\": \"%s\"", protos[pick(g, 3)]);
	switch (pick(g, 4)) {
	case 0:
		break; /* every port */
	case 1:
		EMIT(g, ", \"port\": \"%s\"", pick(g, 2) ? "http" : "metrics");
		break;
	case 2: {
		unsigned lo = nums[pick(g, 4)];
		EMIT(g, ", \"port\": %u, \"endPort\": %u", lo, lo + pick(g, 40));
		break;
	}
	default:
		EMIT(g, ", \"port\": %u", nums[pick(g, 4)]);
	}
	EMIT(g, "}");
}

static void rule(struct gen *g, bool ingress)
{
	EMIT(g, "{");
	bool any = false;
	if (pick(g, 3)) {
		EMIT(g, "\"%s\": [", ingress ? "from" : "to");
		for (unsigned i = 0, n = 1 + pick(g, 2); i < n; i++) {
			EMIT(g, i ? ", " : "");
			peer(g);
		}
		EMIT(g, "]");
		any = true;
	}
	if (pick(g, 2)) {
		EMIT(g, "%s\"ports\": [", any ? ", " : "");
		for (unsigned i = 0, n = 1 + pick(g, 2); i < n; i++) {
			EMIT(g, i ? ", " : "");
			port(g);
		}
		EMIT(g, "]");
	}
	EMIT(g, "}");
}

static void rules(struct gen *g, const char *key, bool ingress)
{
	EMIT(g, ", \"%s\": [", key);
	for (unsigned i = 0, n = pick(g, 3); i < n; i++) {
		EMIT(g, i ? ", " : "");
		rule(g, ingress);
	}
	EMIT(g, "]");
}

/* types: 0 none given, 1 Ingress, 2 Egress, 3 both */
static void policy(struct gen *g, const char *name, unsigned ns, unsigned types, bool deny_all)
{
	EMIT(g,
	     "---\n{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", "
	     "\"metadata\": {\"name\": \"%s\", \"namespace\": \"n%u\"}, \"spec\": "
	     "{\"podSelector\": ",
	     name, ns);
	if (deny_all)
		EMIT(g, "{}");
	else
		selector(g);
	static const char *const tv[] = {"", "\"Ingress\"", "\"Egress\"",
	                                 "\"Ingress\", \"Egress\""};
	if (types)
		EMIT(g, ", \"policyTypes\": [%s]", tv[types]);
	if (!deny_all) {
		if (types != 2)
			rules(g, "ingress", true);
		if (types != 1 || pick(g, 2))
			rules(g, "egress", false);
	}
	EMIT(g, "}}\n");
}

static void pods(struct gen *g, unsigned nns)
{
	for (unsigned n = 0; n < nns; n++)
		EMIT(g,
		     "---\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": "
		     "{\"name\": "
		     "\"n%u\", \"labels\": {\"team\": \"t%u\"}}}\n",
		     n, pick(g, 2));
	for (unsigned i = 0, np = 1 + pick(g, 8); i < np; i++) {
		EMIT(g,
		     "---\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": "
		     "\"p%u\", "
		     "\"namespace\": \"n%u\", \"labels\": ",
		     i, pick(g, nns));
		labels(g);
		EMIT(g,
		     "}, \"spec\": {\"hostNetwork\": %s, \"containers\": [{\"name\": \"c\", "
		     "\"image\": \"x\", \"ports\": [",
		     pick(g, 8) ? "false" : "true");
		static const char *const names[] = {"http", "metrics"};
		static const unsigned nums[] = {80, 8080, 9100};
		for (unsigned k = 0, n = pick(g, 3); k < n; k++)
			EMIT(g, "%s{\"name\": \"%s\", \"containerPort\": %u, \"protocol\": \"%s\"}",
			     k ? ", " : "", names[pick(g, 2)], nums[pick(g, 3)],
			     pick(g, 3) ? "TCP" : "UDP");
		EMIT(g, "]}]}");
		if (pick(g, 3) == 0)
			EMIT(g, ", \"status\": {\"podIP\": \"10.0.%u.1\"}", pick(g, 3));
		EMIT(g, "}\n");
	}
}

static struct hull_net *build(const char *text)
{
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	bool loaded;
	if (!net)
		return NULL;
	if (hull_net_load(net, text, strlen(text), "gen.yaml", NULL, &loaded, &err) < 0 ||
	    hull_net_compute(net, &err) < 0) {
		hull_net_free(net);
		return NULL;
	}
	fuzz_bulk_equals_cells(net);
	return net;
}

static const uint16_t probe_ports[] = {1, 52, 53, 79, 80, 81, 8080, 8119, 9100, 9139, 65535};

/* Everything a allows, b allows too (same workloads, same order). */
static void check_superset(struct hull_net *a, struct hull_net *b)
{
	if (a->nw != b->nw)
		abort();
	for (size_t s = 0; s <= a->nw; s++)
		for (size_t d = 0; d <= a->nw; d++) {
			size_t ss = s == a->nw ? NET_NONE : s, dd = d == a->nw ? NET_NONE : d;
			if (ss == dd)
				continue;
			uint32_t pa = net_reach(a, ss, dd), pb = net_reach(b, ss, dd);
			for (uint8_t proto = 0; proto < NET_NPROTO; proto++)
				for (size_t k = 0; k < sizeof(probe_ports) / sizeof(probe_ports[0]);
				     k++)
					if (net_ps_has(a->ps, pa, proto, probe_ports[k]) &&
					    !net_ps_has(b->ps, pb, proto, probe_ports[k]))
						abort();
		}
}

static void check_nothing(struct hull_net *net)
{
	for (size_t s = 0; s <= net->nw; s++)
		for (size_t d = 0; d <= net->nw; d++) {
			size_t ss = s == net->nw ? NET_NONE : s, dd = d == net->nw ? NET_NONE : d;
			if (ss == dd || (ss != NET_NONE && net->w[ss].host_network) ||
			    (dd != NET_NONE && net->w[dd].host_network))
				continue;
			if (net_reach(net, ss, dd) != NET_PS_EMPTY)
				abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gen g = {.p = data, .n = size};
	hull_buf_init(&g.out, 4u << 20);
	unsigned nns = 1 + pick(&g, 3);
	pods(&g, nns);
	size_t pods_end = g.out.len;
	unsigned npol = pick(&g, 5);
	unsigned ns[8] = {0}, types[8] = {0};
	size_t sel_at[8] = {0};
	for (unsigned i = 0; i < npol; i++) {
		char name[16];
		snprintf(name, sizeof(name), "p%u", i);
		ns[i] = pick(&g, nns);
		types[i] = pick(&g, 4);
		sel_at[i] = g.i;
		policy(&g, name, ns[i], types[i], false);
	}
	if (!g.out.data) {
		hull_buf_release(&g.out);
		return 0;
	}
	char *base = strdup(g.out.data);
	struct hull_net *a = base ? build(base) : NULL;
	/* 2: one more policy with an existing policy's namespace and selector
	 * (the generator replays the same bytes), for one direction that
	 * policy isolates: it selects only pods already isolated there */
	if (a && npol && types[0] != 0 && a->npols == npol) {
		unsigned extra = types[0] == 2 ? 2 : 1;
		size_t resume = g.i;
		g.i = sel_at[0];
		struct hull_buf keep = g.out;
		hull_buf_init(&g.out, 4u << 20);
		hull_buf_append_str(&g.out, base, NULL);
		/* the same selector bytes, then fresh rules from where we were */
		EMIT(&g,
		     "---\n{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", "
		     "\"metadata\": {\"name\": \"extra\", \"namespace\": \"n%u\"}, \"spec\": "
		     "{\"podSelector\": ",
		     ns[0]);
		selector(&g);
		g.i = resume;
		EMIT(&g, ", \"policyTypes\": [\"%s\"]", extra == 1 ? "Ingress" : "Egress");
		rules(&g, extra == 1 ? "ingress" : "egress", extra == 1);
		EMIT(&g, "}}\n");
		struct hull_net *b = g.out.data ? build(g.out.data) : NULL;
		if (b)
			check_superset(a, b);
		hull_net_free(b);
		hull_buf_release(&g.out);
		g.out = keep;
	}
	hull_net_free(a);
	/* 3: the pods alone with a default deny in every namespace */
	if (base) {
		base[pods_end] = 0;
		struct hull_buf dd;
		hull_buf_init(&dd, 4u << 20);
		hull_buf_append_str(&dd, base, NULL);
		for (unsigned n = 0; n < nns; n++)
			hull_buf_printf(
			    &dd, NULL,
			    "---\n{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": "
			    "\"NetworkPolicy\", \"metadata\": {\"name\": \"deny\", \"namespace\": "
			    "\"n%u\"}, \"spec\": {\"podSelector\": {}, \"policyTypes\": "
			    "[\"Ingress\", \"Egress\"]}}\n",
			    n);
		struct hull_net *c = dd.data ? build(dd.data) : NULL;
		if (c)
			check_nothing(c);
		hull_net_free(c);
		hull_buf_release(&dd);
	}
	free(base);
	hull_buf_release(&g.out);
	return 0;
}
