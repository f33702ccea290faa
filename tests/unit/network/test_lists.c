/* Cluster dumps as the API server and kubectl write them
 * (tests/data/k8s-lists): PodList, NamespaceList, NetworkPolicyList and
 * ServiceList items take their kind from the list, so the dump is the
 * cluster it describes, not an empty one; kubectl's List of the same
 * objects gives the same matrix. The hostNetwork model: the matrix under
 * each, the pairs that depend on it, and the direct evaluation against
 * the classes. */
#include <json-c/json.h>

#include "helpers.h"
#include "util/buf.h"
#include "util/json.h"

static const char *const API_SERVER[] = {"pods.json", "namespaces.json", "networkpolicies.yaml",
                                         "services.yaml"};
static const char *const KUBECTL[] = {"pods.kubectl.yaml", "namespaces.json",
                                      "networkpolicies.kubectl.json", "services.yaml"};

#define WEB "shop/web-7c9f8d6b5-x2k9p"
#define NE  "monitoring/node-exporter-8kq2w"

/* A computed graph of the files (NULL on error, printed). */
static struct hull_net *cluster(const char *const *files, size_t n, bool select,
                                struct hull_diag *diag)
{
	struct hull_net_opts o = {.hostnet_select = select};
	struct hull_net *net = hull_net_new(&o, diag);
	struct hull_err err = {0};
	for (size_t i = 0; net && i < n; i++) {
		char rel[256];
		size_t len = 0;
		bool loaded = false;
		snprintf(rel, sizeof(rel), "tests/data/k8s-lists/%s", files[i]);
		char *data = src_file(rel, &len);
		int rc = data ? hull_net_load(net, data, len, files[i], NULL, &loaded, &err) : -1;
		free(data);
		if (rc < 0 || !loaded) {
			printf("# %s: %s\n", files[i], data ? err.msg : "unreadable");
			hull_net_free(net);
			return NULL;
		}
	}
	if (net && hull_net_compute(net, &err) < 0) {
		printf("# compute: %s\n", err.msg);
		hull_net_free(net);
		return NULL;
	}
	return net;
}

static size_t workload(const struct hull_net *net, const char *id)
{
	for (size_t i = 0; net && i < net->nw; i++)
		if (!strcmp(net->w[i].id, id))
			return i;
	return NET_NONE;
}

static void api_server_dump(void)
{
	struct hull_diag diag;
	hull_diag_init(&diag);
	struct hull_net *net = cluster(API_SERVER, 4, false, &diag);
	struct hull_net_stats st = {0};
	if (net)
		hull_net_stats(net, &st);
	TAP_OK(st.workloads == 5 && st.policies == 6 && st.services == 4,
	       "the dump is a cluster: %zu pods, %zu policies, %zu services", st.workloads,
	       st.policies, st.services);
	TAP_OK(diag.n == 0, "no warning (%zu)", diag.n);
	TAP_OK(net && can(net, WEB, "shop/db-0:5432") == 1, "web reaches db on 5432 (db-from-web)");
	TAP_OK(net && can(net, "monitoring/prometheus-5b7d9c8f4-qq8zt", WEB ":metrics") == 1,
	       "prometheus scrapes web's named port (namespaceSelector on the Namespace's labels)");
	TAP_OK(net && can(net, "shop/db-0", WEB ":8080") == 0, "db's egress is denied by default");
	TAP_OK(net && can(net, "internet", "shop/db-0:5432") == 0,
	       "the internet does not reach db");
	/* NamespaceList labels are read: a namespaceSelector on team */
	size_t ns = NET_NONE;
	for (size_t i = 0; net && i < net->nnss; i++)
		if (!strcmp(net->nss[i].name, "monitoring"))
			ns = i;
	uint32_t team = net ? net_intern_find(net, "team") : 0;
	uint32_t obs = net ? net_intern_find(net, "observability") : 0;
	TAP_OK(ns != NET_NONE && net->nss[ns].declared && team &&
	           net_label_get(&net->nss[ns].labels, team) == obs,
	       "the NamespaceList item is a declared namespace with its labels");
	TAP_OK(net && bulk_matches_cells(net), "bulk matrix = cells");
	hull_net_free(net);
	hull_diag_release(&diag);
}

/* kubectl get -o yaml/json of the same objects: the same matrix. */
static void kubectl_dump(void)
{
	struct hull_net *a = cluster(API_SERVER, 4, false, NULL);
	struct hull_net *b = cluster(KUBECTL, 4, false, NULL);
	bool same = a && b && a->nw == b->nw && a->npols == b->npols;
	size_t cells = 0;
	for (size_t s = 0; same && s < a->nw; s++)
		for (size_t d = 0; same && d <= a->nw; d++) {
			size_t da = d == a->nw ? NET_NONE : d;
			size_t sb = workload(b, a->w[s].id);
			size_t db = da == NET_NONE ? NET_NONE : workload(b, a->w[da].id);
			if (da == s)
				continue;
			same = sb != NET_NONE && (da == NET_NONE || db != NET_NONE);
			if (!same)
				break;
			char pa[256], pb[256];
			net_ps_format(a->ps, net_reach(a, s, da), pa, sizeof(pa));
			net_ps_format(b->ps, net_reach(b, sb, db), pb, sizeof(pb));
			same = !strcmp(pa, pb);
			if (!same)
				printf("# %s -> %s: %s vs %s\n", a->w[s].id,
				       da == NET_NONE ? "internet" : a->w[da].id, pa, pb);
			cells++;
		}
	TAP_OK(same && cells == 25, "kubectl's Lists give the API server dump's matrix (%zu cells)",
	       cells);
	hull_net_free(a);
	hull_net_free(b);
}

/* The pairs that depend on the hostNetwork model, under each model. */
static void hostnet_model(void)
{
	struct hull_net *ign = cluster(API_SERVER, 4, false, NULL);
	struct hull_net *sel = cluster(API_SERVER, 4, true, NULL);
	TAP_OK(ign && can(ign, NE, WEB ":9090") == 0 && can(ign, "internet", NE ":9100") == 1,
	       "ignore: node-exporter is not in monitoring for web's policy; nothing isolates it");
	TAP_OK(sel && can(sel, NE, WEB ":9090") == 1 && can(sel, "internet", NE ":9100") == 0,
	       "select: it is a monitoring pod, and monitoring's default deny isolates it");
	TAP_OK(sel && can(sel, "monitoring/prometheus-5b7d9c8f4-qq8zt", NE ":9100") == 1,
	       "select: prometheus is still allowed in");
	TAP_OK(ign && sel && ign->nhdeps == 3 && sel->nhdeps == 3,
	       "3 pairs depend on the model, seen from either (%zu, %zu)", ign ? ign->nhdeps : 0,
	       sel ? sel->nhdeps : 0);
	bool mirror = ign && sel && ign->nhdeps == sel->nhdeps;
	for (size_t i = 0; mirror && i < ign->nhdeps; i++) {
		const struct net_hdep *h = &ign->hdeps[i];
		char a[256], b[256], c[256], d[256];
		const struct net_hdep *k = net_hostnet_dep(sel, h->s, h->d);
		mirror = k != NULL;
		if (!mirror)
			break;
		net_ps_format(ign->ps, h->cur, a, sizeof(a));
		net_ps_format(sel->ps, k->alt, b, sizeof(b));
		net_ps_format(ign->ps, h->alt, c, sizeof(c));
		net_ps_format(sel->ps, k->cur, d, sizeof(d));
		mirror = !strcmp(a, b) && !strcmp(c, d);
	}
	TAP_OK(mirror, "each model's alternative is the other's answer");
	TAP_OK(sel && bulk_matches_cells(sel), "select: bulk matrix = cells");
	/* the direct evaluation equals the classes on every pair */
	struct hull_net *nets[2] = {ign, sel};
	bool agree = ign && sel;
	for (int m = 0; agree && m < 2; m++) {
		struct hull_net *net = nets[m];
		for (size_t s = 0; agree && s <= net->nw; s++)
			for (size_t d = 0; agree && d <= net->nw; d++) {
				size_t ss = s == net->nw ? NET_NONE : s,
				       dd = d == net->nw ? NET_NONE : d;
				if (ss == dd)
					continue;
				agree = net_k8s_pair_direct(net, ss, dd, NULL, m == 1) ==
				        net_reach(net, ss, dd);
			}
	}
	TAP_OK(agree, "pod-by-pod evaluation = the class matrix, under both models");
	hull_net_free(ign);
	hull_net_free(sel);
}

/* What the outputs say about it. */
static void hostnet_outputs(void)
{
	struct hull_net *net = cluster(API_SERVER, 4, false, NULL);
	struct hull_findings f = {0};
	struct hull_findings_input in = {.findings = &f, .target = {.name = "dump"}};
	struct hull_buf t, j, c;
	struct hull_err err = {0};
	bool allowed = true;
	hull_buf_init(&t, 1u << 22);
	hull_buf_init(&j, 1u << 22);
	hull_buf_init(&c, 1u << 20);
	bool ok = net && hull_net_write(net, HULL_NET_TABLE, &in, &t, &err) == 0 &&
	          hull_net_write(net, HULL_NET_JSON, &in, &j, &err) == 0 &&
	          hull_net_can(net, NE, WEB ":9090", false, &c, &allowed, &err) == 0;
	TAP_OK(ok && strstr(t.data, "Depends on the hostNetwork model (3 pairs)") &&
	           strstr(t.data,
	                  "hostNetwork model: TCP 8080, 9090 with --hostnetwork-policy=select"),
	       "the table lists the dependent pairs and marks the edge (%s)", err.msg);
	struct json_object *doc = NULL;
	ok = ok && hull_json_parse(j.data, j.len, "json", &doc, &err) == 0;
	struct json_object *hn = hull_json_get_obj(doc, "hostnetwork");
	struct json_object *dep = hull_json_get_arr(hn, "dependent");
	const char *pol = hull_json_get_str(hn, "policy");
	TAP_OK(ok && pol && !strcmp(pol, "ignore") && dep && json_object_array_length(dep) == 3,
	       "JSON: hostnetwork.policy and its 3 dependent pairs");
	TAP_OK(!allowed && c.data &&
	           strstr(c.data, "depends on the hostNetwork model: ALLOWED with "
	                          "--hostnetwork-policy=select"),
	       "--can says the answer depends on it");
	json_object_put(doc);
	hull_buf_release(&t);
	hull_buf_release(&j);
	hull_buf_release(&c);
	hull_net_free(net);

	/* no hostNetwork pod: nothing is said */
	const char *const no_host[] = {"namespaces.json", "networkpolicies.yaml", "services.yaml",
	                               "deployments.json"};
	net = cluster(no_host, 4, false, NULL);
	hull_buf_init(&j, 1u << 22);
	doc = NULL;
	ok = net && hull_net_write(net, HULL_NET_JSON, &in, &j, &err) == 0 &&
	     hull_json_parse(j.data, j.len, "json", &doc, &err) == 0;
	TAP_OK(ok && net->nw == 3 && !hull_json_get_obj(doc, "hostnetwork"),
	       "without hostNetwork pods (a DeploymentList) the JSON has no hostnetwork key");
	json_object_put(doc);
	hull_buf_release(&j);
	hull_net_free(net);
}

/* Items hull cannot classify reach the run's warnings. */
static void warnings(void)
{
	struct hull_diag diag;
	hull_diag_init(&diag);
	struct hull_net *net = hull_net_new(NULL, &diag);
	static const char text[] =
	    "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"metadata\":"
	    "{\"name\":\"x\"}}]}";
	struct hull_err err = {0};
	bool loaded = false;
	TAP_OK(net &&
	           hull_net_load(net, text, sizeof(text) - 1, "l.json", NULL, &loaded, &err) == 0,
	       "a List of unclassifiable items loads (%s)", err.msg);
	TAP_OK(diag.n == 2 && strstr(diag.msgs[0], "l.json: line 1: items[0]: no kind") &&
	           strstr(diag.msgs[1], "l.json: no Kubernetes object"),
	       "the item and the empty result are warnings of the run");
	hull_net_free(net);
	hull_diag_release(&diag);
}

int main(void)
{
	api_server_dump();
	kubectl_dump();
	hostnet_model();
	hostnet_outputs();
	warnings();
	return tap_done();
}
