/* The pieces: addresses and ipBlocks, port sets, selectors, the rule
 * catalogue (and its copy in docs/network.md), the Engine API reader on
 * podman's real answers, Compose merging and project names, --can's
 * argument errors, hostile names in the DOT writer, and what is not an
 * input. */
#include "helpers.h"
#include "util/buf.h"

static void addresses(void)
{
	struct net_addr a;
	struct net_cidr c, d;
	TAP_OK(net_addr_parse("10.1.2.3", 8, &a) && !a.v6 && a.b[3] == 3, "IPv4 address");
	TAP_OK(net_addr_parse("fe80::1", 7, &a) && a.v6 && a.b[15] == 1, "IPv6 address");
	TAP_OK(!net_addr_parse("10.1.2", 6, &a) && !net_addr_parse("", 0, &a) &&
	           !net_addr_parse("1.2.3.4.5", 9, &a),
	       "bad addresses refused");
	TAP_OK(net_cidr_parse("172.17.0.0/16", 13, false, &c) && c.bits == 16, "CIDR");
	TAP_OK(!net_cidr_parse("172.17.0.1/16", 13, false, &c) &&
	           net_cidr_parse("172.17.0.1/16", 13, true, &c) && c.a.b[3] == 0,
	       "host bits: refused strict, masked loose");
	TAP_OK(!net_cidr_parse("10.0.0.0/33", 11, true, &c) &&
	           !net_cidr_parse("10.0.0.0/", 9, true, &c) &&
	           !net_cidr_parse("10.0.0.0", 8, true, &c),
	       "bad prefixes refused");
	net_cidr_parse("10.0.0.0/8", 10, false, &c);
	net_cidr_parse("10.1.0.0/16", 11, false, &d);
	TAP_OK(net_cidr_covers(&c, &d) && !net_cidr_covers(&d, &c) && net_cidr_overlaps(&d, &c),
	       "covers / overlaps");
	net_addr_parse("10.1.9.9", 8, &a);
	TAP_OK(net_cidr_contains(&d, &a), "contains");
	struct net_ipblock b = {.cidr = c, .except = &d, .nexcept = 1};
	TAP_OK(!net_ipblock_contains(&b, &a), "except wins");
	struct net_cidr all, priv[2];
	net_cidr_parse("0.0.0.0/0", 9, false, &all);
	net_cidr_parse("10.0.0.0/8", 10, false, &priv[0]);
	net_cidr_parse("8.8.8.0/24", 10, false, &priv[1]);
	struct net_ipblock w = {.cidr = all, .except = priv, .nexcept = 1};
	TAP_OK(net_ipblock_is_world(&w), "0.0.0.0/0 except private space is the internet");
	w.nexcept = 2;
	TAP_OK(!net_ipblock_is_world(&w), "... but not when it leaves out public addresses");
	char buf[64];
	net_cidr_format(&d, buf, sizeof(buf));
	TAP_OK(!strcmp(buf, "10.1.0.0/16"), "format: %s", buf);
}

static void portsets(void)
{
	struct net_portsets *ps = net_ps_new();
	bool oom = false;
	struct net_range r1[] = {{NET_TCP, 80, 80}, {NET_TCP, 81, 90}, {NET_UDP, 53, 53}};
	struct net_range r2[] = {{NET_UDP, 53, 53}, {NET_TCP, 80, 90}};
	uint32_t a = net_ps_make(ps, r1, 3, &oom), b = net_ps_make(ps, r2, 2, &oom);
	TAP_OK(a == b && a > NET_PS_ALL, "equal sets have one id (normalised, merged)");
	struct net_range r3[] = {{NET_TCP, 85, 100}, {NET_SCTP, 1, 65535}};
	uint32_t c = net_ps_make(ps, r3, 2, &oom);
	uint32_t i = net_ps_inter(ps, a, c), u = net_ps_union(ps, a, c);
	char t[128];
	net_ps_format(ps, i, t, sizeof(t));
	TAP_OK(!strcmp(t, "TCP 85-90"), "intersection: %s", t);
	net_ps_format(ps, u, t, sizeof(t));
	TAP_OK(!strcmp(t, "TCP 80-100; UDP 53; SCTP all"), "union: %s", t);
	TAP_OK(net_ps_union(ps, a, NET_PS_ALL) == NET_PS_ALL &&
	           net_ps_inter(ps, a, NET_PS_EMPTY) == NET_PS_EMPTY &&
	           net_ps_inter(ps, a, NET_PS_ALL) == a,
	       "identities");
	TAP_OK(net_ps_has(ps, u, NET_SCTP, 7) && !net_ps_has(ps, u, NET_UDP, 54), "membership");
	struct net_range all[] = {{NET_TCP, 1, 65535}, {NET_UDP, 0, 65535}, {NET_SCTP, 1, 65535}};
	TAP_OK(net_ps_make(ps, all, 3, &oom) == NET_PS_ALL, "every port of every protocol is ALL");
	net_ps_format(ps, NET_PS_EMPTY, t, sizeof(t));
	TAP_OK(!strcmp(t, "none") && !oom && !net_ps_failed(ps), "none");
	net_ps_free(ps);
}

static void selectors(void)
{
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct net_labels l = {0};
	net_label_set(net, &l, "app", "web");
	net_label_set(net, &l, "env", "prod");
	uint32_t vals[2] = {net_intern(net, "prod"), net_intern(net, "dev")};
	struct net_req in = {net_intern(net, "env"), NET_OP_IN, vals, 2};
	struct net_req notin = {net_intern(net, "env"), NET_OP_NOTIN, vals + 1, 1};
	struct net_req ex = {net_intern(net, "app"), NET_OP_EXISTS, NULL, 0};
	struct net_req dne = {net_intern(net, "tier"), NET_OP_DNE, NULL, 0};
	struct net_req all[] = {in, notin, ex, dne};
	struct net_selector s = {all, 4}, empty = {0};
	TAP_OK(net_selector_match(&s, &l), "In, NotIn, Exists, DoesNotExist all match");
	all[3].key = net_intern(net, "app");
	TAP_OK(!net_selector_match(&s, &l), "DoesNotExist on a present key fails");
	TAP_OK(net_selector_match(&empty, &l), "the empty selector selects everything");
	hull_net_free(net);
}

static void catalogue(void)
{
	size_t n;
	const struct hull_rule *r = hull_net_rules(&n);
	bool ok = n >= 9;
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof(want), "HULL-N%03zu", i + 1);
		ok = ok && !strcmp(r[i].id, want) && r[i].title && r[i].rationale &&
		     r[i].remediation && !r[i].check && !hull_rule_find(r[i].id);
	}
	TAP_OK(ok, "%zu rules, HULL-N001.. in order, none clashing with hull config's", n);
	struct hull_buf md;
	struct hull_err err = {0};
	size_t len;
	hull_buf_init(&md, 1u << 20);
	hull_net_rules_markdown(&md, &err);
	char *doc = src_file("docs/network.md", &len);
	TAP_OK(doc && md.data && strstr(doc, md.data),
	       "docs/network.md holds the current rule table (hull_net_rules_markdown)");
	free(doc);
	hull_buf_release(&md);
}

static char *shared_text(const char *rel, size_t *len)
{
	const char *p = tap_shared(rel);
	char *data = NULL;
	struct hull_err err = {0};
	if (!p || hull_fs_read_file(p, 16u << 20, &data, len, &err) < 0)
		return NULL;
	return data;
}

static void engine(void)
{
	size_t clen, ilen;
	char *list = NULL, *insp = NULL;
	char *ctrs = NULL;
	const char *p = getenv("HULL_SHARED");
	char path[4096];
	struct hull_err err = {0};
	snprintf(path, sizeof(path), "%s/tools/samples/podman/api-containers.json", p ? p : "");
	if (hull_fs_read_file(path, 16u << 20, &list, &clen, &err) < 0) {
		TAP_OK(0, "%s: %s (the unit tests read ../shared in place)", path, err.msg);
		return;
	}
	snprintf(path, sizeof(path), "%s/tools/samples/podman/api-inspect-c-ports.json", p);
	hull_fs_read_file(path, 16u << 20, &insp, &ilen, &err);
	const char *nets =
	    "[{\"Name\":\"podman\",\"Driver\":\"bridge\",\"Internal\":false,\"Options\":{}}]";
	struct hull_net *net = hull_net_new(NULL, NULL);
	bool ok = hull_net_load_engine(net, "unix:///run/podman.sock", nets, strlen(nets), list,
	                               clen, &err) == 0 &&
	          hull_net_compute(net, &err) == 0;
	TAP_OK(ok, "podman's /containers/json loads: %s", err.msg);
	TAP_OK(net->nw == 9, "9 containers (%zu)", net->nw);
	TAP_OK(can(net, "c-default", "c-root:80") == 1 && can(net, "c-hostnet", "c-root:80") == 0,
	       "list form: same network reaches; no HostConfig means no mode (c-hostnet has no "
	       "network)");
	TAP_OK(can(net, "internet", "c-ports:80") == 1 && can(net, "internet", "c-ports:22") == 0,
	       "c-ports: 8080 -> 80 on every interface (no IP: podman's 0.0.0.0), 22 on 127.0.0.1");
	struct hull_findings f = {0};
	hull_net_check(net, &f, &err);
	bool n008 = false;
	for (size_t i = 0; i < f.n; i++)
		n008 |= !strcmp(f.items[i].id, "HULL-N008");
	TAP_OK(n008, "HULL-N008: icc on podman's default network");
	hull_findings_release(&f);
	hull_net_free(net);

	/* inspect objects: HostConfig.NetworkMode and NetworkSettings.Ports */
	if (insp) {
		size_t n = strlen(insp);
		ctrs = malloc(n + 3);
		snprintf(ctrs, n + 3, "[%s]", insp);
		net = hull_net_new(NULL, NULL);
		ok = hull_net_load_engine(net, "unix:///x", NULL, 0, ctrs, strlen(ctrs), &err) ==
		         0 &&
		     hull_net_compute(net, &err) == 0;
		TAP_OK(ok && net->nw == 1 && net->w[0].npubs == 2, "inspect form: 2 publications");
		TAP_OK(ok && can(net, "internet", "c-ports:80") == 1,
		       "inspect form: 80 from the internet");
		hull_net_free(net);
		net = hull_net_new(NULL, NULL);
		bool loaded = false;
		ok = hull_net_load(net, insp, strlen(insp), "inspect.json", NULL, &loaded, &err) ==
		         0 &&
		     loaded && hull_net_compute(net, &err) == 0 && net->nw == 1;
		TAP_OK(ok, "docker/podman inspect output as a file: %s", err.msg);
		hull_net_free(net);
	}
	net = hull_net_new(NULL, NULL);
	TAP_OK(hull_net_load_engine(net, "s", "{}", 2, "[]", 2, &err) < 0 &&
	           strstr(err.msg, "arrays"),
	       "non-array answers refused: %s", err.msg);
	TAP_OK(hull_net_load_engine(net, "s", "[", 1, "[]", 2, &err) < 0 && err.msg[0],
	       "broken JSON refused: %s", err.msg);
	hull_net_free(net);
	free(list);
	free(insp);
	free(ctrs);
	(void)shared_text;
}

static void compose_merge(void)
{
	const char *base =
	    "name: Shop!\nservices:\n  web:\n    image: nginx\n    networks: [front]\n"
	    "  db:\n    image: postgres\n    networks: [back]\nnetworks:\n  front: {}\n"
	    "  back: {}\n";
	const char *over = "services:\n  web:\n    networks: [back]\n    ports: ['8080:80']\n"
	                   "  db:\n    network_mode: none\n";
	const char *datas[2] = {base, over},
	           *names[2] = {"a/compose.yaml", "a/compose.override.yaml"};
	size_t lens[2] = {strlen(base), strlen(over)};
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	bool ok = hull_net_load_compose(net, datas, lens, names, 2, NULL, &err) == 0 &&
	          hull_net_compute(net, &err) == 0;
	TAP_OK(ok, "two files merge: %s", err.msg);
	TAP_OK(ok && !strcmp(net->domains[0].name, "shop"), "project from name:, lower case: %s",
	       net->domains[0].name);
	TAP_OK(ok && net->w[0].nattach == 2 && net->w[0].npubs == 1,
	       "networks add up across files; ports from the override");
	TAP_OK(ok && net->w[1].no_network && can(net, "web", "db:5432") == 0,
	       "network_mode from the override wins");
	TAP_OK(ok && !strcmp(net->nets[0].name, "shop_front"), "network names: %s",
	       net->nets[0].name);
	hull_net_free(net);
}

static void questions(void)
{
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	const char *y =
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n"
	    "spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 80}]}]}\n"
	    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: y}\n"
	    "spec: {containers: [{name: c, image: i}]}\n";
	load_text(net, y, "q.yaml");
	hull_net_compute(net, &err);
	struct hull_buf b;
	bool allowed;
	hull_buf_init(&b, 1u << 20);
	TAP_OK(hull_net_can(net, "a", "x/a:80", false, &b, &allowed, &err) < 0 &&
	           strstr(err.msg, "ambiguous"),
	       "ambiguous name: %s", err.msg);
	TAP_OK(hull_net_can(net, "x/a", "nope:80", false, &b, &allowed, &err) < 0 &&
	           strstr(err.msg, "no workload"),
	       "unknown name: %s", err.msg);
	TAP_OK(hull_net_can(net, "x/a", "y/a:99999", false, &b, &allowed, &err) < 0,
	       "port range: %s", err.msg);
	TAP_OK(hull_net_can(net, "x/a", "y/a:web", false, &b, &allowed, &err) < 0,
	       "no such port name: %s", err.msg);
	TAP_OK(hull_net_can(net, "x/a", "y/a", false, &b, &allowed, &err) < 0, "missing port: %s",
	       err.msg);
	TAP_OK(hull_net_can(net, "internet", "10.0.0.1:80", false, &b, &allowed, &err) < 0,
	       "no workload on either side: %s", err.msg);
	TAP_OK(hull_net_can(net, "y/a", "x/a:web/tcp", true, &b, &allowed, &err) == 0 && allowed &&
	           strstr(b.data, "\"allowed\": true"),
	       "JSON answer by port name");
	hull_buf_release(&b);
	TAP_OK(hull_net_namespace_labels(net, "prod", &err) < 0 &&
	           hull_net_namespace_labels(net, "prod=x", &err) < 0 &&
	           hull_net_namespace_labels(net, "=a=b", &err) < 0,
	       "malformed --namespace-labels: %s", err.msg);
	hull_net_free(net);
}

static void hostile_names(void)
{
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	const char *y = "services:\n  \"a\\\"b\\\\c\\u001b[31m\": {image: x}\n  ok: {image: x}\n";
	bool loaded;
	hull_net_load(net, y, strlen(y), "h.yaml", NULL, &loaded, &err);
	hull_net_compute(net, &err);
	struct hull_findings f = {0};
	struct hull_findings_input in = {.findings = &f, .target = {.name = "h"}};
	struct hull_buf d;
	hull_buf_init(&d, 1u << 20);
	hull_net_write(net, HULL_NET_DOT, &in, &d, &err);
	TAP_OK(loaded && d.data && strstr(d.data, "\"a\\\"b\\\\c?[31m\"") && !strchr(d.data, 0x1b),
	       "DOT escapes quotes and backslashes and drops control bytes");
	hull_buf_release(&d);
	hull_net_free(net);
}

static void not_inputs(void)
{
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	bool loaded = true;
	const char *df = "FROM debian\nUSER app\n";
	TAP_OK(hull_net_load(net, df, strlen(df), "Dockerfile", NULL, &loaded, &err) == 0 &&
	           !loaded,
	       "a Dockerfile is not a network input");
	const char *bad = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n";
	TAP_OK(hull_net_load(net, bad, strlen(bad), "dup.yaml", NULL, &loaded, &err) < 0 &&
	           strstr(err.msg, "dup.yaml") && strstr(err.msg, "line"),
	       "YAML errors name the file and line: %s", err.msg);
	hull_net_compute(net, &err);
	TAP_OK(hull_net_load(net, df, strlen(df), "x", NULL, &loaded, &err) < 0,
	       "no loading after compute: %s", err.msg);
	hull_net_free(net);
}

int main(void)
{
	addresses();
	portsets();
	selectors();
	catalogue();
	engine();
	compose_merge();
	questions();
	hostile_names();
	not_inputs();
	return tap_done();
}
