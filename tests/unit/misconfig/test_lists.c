/* Kubernetes lists as the API server and kubectl write them
 * (tests/data/k8s-lists): the items of a typed list (PodList,
 * DeploymentList, NetworkPolicyList, NamespaceList, ServiceList) have no
 * kind of their own and take the list's; a kubectl `List` carries typed
 * items; whatever cannot be classified is a warning naming the file and
 * the item, and an input without any object says so. */
#include "helpers.h"
#include "misconfig/fe.h"
#include "tap.h"

/* A file of tests/data/k8s-lists loaded into a new model (NULL on error,
 * printed). */
static struct hull_model *load_data(const char *name)
{
	char path[4096];
	const char *root = getenv("HULL_SRC");
	snprintf(path, sizeof(path), "%s/tests/data/k8s-lists/%s", root ? root : ".", name);
	char *data = NULL;
	size_t len = 0;
	struct hull_err err = {0};
	struct hull_model *m = hull_model_new();
	enum hull_config_kind kind = HULL_CONFIG_UNKNOWN;
	if (!m || hull_fs_read_file(path, HULL_LOAD_MAX_BYTES, &data, &len, &err) < 0 ||
	    hull_config_load(m, data, len, name, HULL_CONFIG_UNKNOWN, NULL, &kind, &err) < 0 ||
	    kind != HULL_CONFIG_K8S) {
		printf("# %s: %s (kind %s)\n", name, err.msg, hull_config_kind_name(kind));
		hull_model_free(m);
		m = NULL;
	}
	free(data);
	return m;
}

static struct hull_model *load_text(const char *text, const char *name)
{
	struct hull_err err = {0};
	struct hull_model *m = hull_model_new();
	if (hull_config_load(m, text, strlen(text), name, HULL_CONFIG_UNKNOWN, NULL, NULL, &err) <
	    0) {
		printf("# %s: %s\n", name, err.msg);
		hull_model_free(m);
		return NULL;
	}
	return m;
}

/* How many objects of this kind and apiVersion the model holds. */
static size_t objects_of(const struct hull_model *m, const char *kind, const char *api)
{
	size_t n = 0;
	for (size_t i = 0; m && i < m->objects.n; i++)
		n += m->objects.v[i].kind && !strcmp(m->objects.v[i].kind, kind) &&
		     m->objects.v[i].api_version && !strcmp(m->objects.v[i].api_version, api);
	return n;
}

static const struct hull_workload *workload(const struct hull_model *m, const char *ns,
                                            const char *name)
{
	for (size_t i = 0; m && i < m->workloads.n; i++) {
		const struct hull_workload *w = &m->workloads.v[i];
		if (w->name && !strcmp(w->name, name) && w->namespace && !strcmp(w->namespace, ns))
			return w;
	}
	return NULL;
}

/* Does some warning of the model contain every one of the pieces? */
static bool warned(const struct hull_model *m, const char *a, const char *b)
{
	for (size_t i = 0; m && i < m->warnings.n; i++)
		if (strstr(m->warnings.msgs[i], a) && (!b || strstr(m->warnings.msgs[i], b)))
			return true;
	return false;
}

static void print_warnings(const struct hull_model *m)
{
	for (size_t i = 0; m && i < m->warnings.n; i++)
		printf("# warning: %s\n", m->warnings.msgs[i]);
}

/* `kubectl get --raw /api/v1/pods`: a PodList, items without kind. */
static void api_server_pods(void)
{
	struct hull_model *m = load_data("pods.json");
	TAP_OK(m && m->workloads.n == 5 && objects_of(m, "Pod", "v1") == 5,
	       "PodList: the 5 items are Pods of v1 (%zu workloads)", m ? m->workloads.n : 0);
	const struct hull_workload *ne = workload(m, "monitoring", "node-exporter-8kq2w");
	TAP_OK(ne && !strcmp(ne->kind, "Pod") && !strcmp(ne->api_version, "v1") &&
	           ne->host_network.v == HULL_TRUE && ne->host_pid.v == HULL_TRUE &&
	           ne->containers.n == 1,
	       "node-exporter: a Pod with hostNetwork, hostPID and its container");
	const struct hull_workload *web = workload(m, "shop", "web-7c9f8d6b5-x2k9p");
	const struct hull_pair *app = web ? hull_pair_find(&web->labels, "app") : NULL;
	TAP_OK(web && app && !strcmp(app->value, "web") && web->containers.n == 1 &&
	           web->containers.v[0].ports.n == 2,
	       "web: labels and named ports read from the item");
	TAP_OK(m && m->warnings.n == 0, "no warning for a well-formed PodList");
	print_warnings(m);
	hull_model_free(m);
}

/* The same pods as `kubectl get pods -A -o yaml` writes them: a List of
 * typed items, keys sorted, managedFields left out. The same findings. */
static void kubectl_pods(void)
{
	struct hull_findings a = {0}, b = {0};
	struct hull_err err = {0};
	struct hull_check_opts o = {.profile = HULL_PROFILE_ALL};
	struct hull_model *raw = load_data("pods.json");
	struct hull_model *yml = load_data("pods.kubectl.yaml");
	TAP_OK(yml && yml->workloads.n == 5 && objects_of(yml, "Pod", "v1") == 5 &&
	           yml->warnings.n == 0,
	       "kubectl's List: 5 Pods, no warning");
	bool ok = raw && yml && hull_misconfig_check(raw, &o, &a, &err) == 0 &&
	          hull_misconfig_check(yml, &o, &b, &err) == 0 && a.n == b.n && a.n > 0;
	for (size_t i = 0; ok && i < a.n; i++)
		ok = !strcmp(a.items[i].id, b.items[i].id) &&
		     !strcmp(a.items[i].loc.object, b.items[i].loc.object);
	TAP_OK(ok, "the API server's PodList and kubectl's List give the same %zu findings (%s)",
	       a.n, err.msg);
	ok = count_id(&a, "HULL-C014") == 1 && count_id(&a, "HULL-C015") == 1;
	TAP_OK(ok, "node-exporter's host network and host PID are found%s%s", ok ? "" : ": ",
	       ok ? "" : ids_of(&a));
	hull_findings_release(&a);
	hull_findings_release(&b);
	hull_model_free(raw);
	hull_model_free(yml);
}

/* A DeploymentList (apps/v1) as `kubectl cluster-info dump` writes it. */
static void deployments(void)
{
	struct hull_model *m = load_data("deployments.json");
	const struct hull_workload *p = workload(m, "monitoring", "prometheus");
	TAP_OK(m && m->workloads.n == 3 && objects_of(m, "Deployment", "apps/v1") == 3,
	       "DeploymentList: 3 Deployments of apps/v1");
	TAP_OK(p && p->containers.n == 1 && p->containers.v[0].privileged.v == HULL_TRUE,
	       "prometheus' pod template is read (privileged container)");
	/* the item has no kind key: positions point at the item */
	TAP_OK(p && p->pos.line > 1 && p->pos.file && !strcmp(p->pos.file, "deployments.json"),
	       "the workload points at its item (line %u)", p ? p->pos.line : 0);
	struct hull_findings f = {0};
	struct hull_err err = {0};
	struct hull_check_opts o = {.profile = HULL_PROFILE_ALL};
	bool ok = m && hull_misconfig_check(m, &o, &f, &err) == 0 && count_id(&f, "HULL-C001") == 1;
	TAP_OK(ok, "the privileged container is found%s%s", ok ? "" : ": ", ok ? "" : ids_of(&f));
	hull_findings_release(&f);
	hull_model_free(m);
}

static void other_lists(void)
{
	struct hull_model *np = load_data("networkpolicies.yaml");
	TAP_OK(objects_of(np, "NetworkPolicy", "networking.k8s.io/v1") == 6 && np->warnings.n == 0,
	       "NetworkPolicyList (the API server's YAML): 6 NetworkPolicies");
	struct hull_model *npk = load_data("networkpolicies.kubectl.json");
	TAP_OK(objects_of(npk, "NetworkPolicy", "networking.k8s.io/v1") == 6,
	       "kubectl's List of NetworkPolicies: 6");
	struct hull_model *ns = load_data("namespaces.json");
	TAP_OK(objects_of(ns, "Namespace", "v1") == 4, "NamespaceList: 4 Namespaces");
	struct hull_model *svc = load_data("services.yaml");
	TAP_OK(objects_of(svc, "Service", "v1") == 4, "ServiceList: 4 Services");
	bool named = svc && svc->objects.n == 4;
	for (size_t i = 0; named && i < svc->objects.n; i++)
		named = svc->objects.v[i].name && svc->objects.v[i].namespace;
	TAP_OK(named, "each item keeps its name and namespace");
	hull_model_free(np);
	hull_model_free(npk);
	hull_model_free(ns);
	hull_model_free(svc);
}

/* What cannot be classified is said, with the file, line and item. */
static void unclassified(void)
{
	struct hull_model *m =
	    load_text("{\"apiVersion\": \"v1\", \"kind\": \"List\",\n"
	              " \"metadata\": {\"resourceVersion\": \"\"},\n"
	              " \"items\": [\n"
	              "  {\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n"
	              "   \"metadata\": {\"name\": \"a\"}, \"spec\": {}},\n"
	              "  {\"metadata\": {\"name\": \"lost\"}},\n"
	              "  \"junk\",\n"
	              "  {\"apiVersion\": \"v1\", \"kind\": \"PodList\",\n"
	              "   \"items\": [{\"metadata\": {\"name\": \"b\"}, \"spec\": {}}, 7]}\n"
	              " ]}\n",
	              "dump.json");
	TAP_OK(m && m->workloads.n == 2 && objects_of(m, "Pod", "v1") == 2,
	       "the classifiable items are read (a typed list inside a List too)");
	TAP_OK(warned(m, "dump.json: line 6: items[1]: no kind", NULL),
	       "an item of a List without kind: warning with file, line and item");
	TAP_OK(warned(m, "dump.json: line 7: items[2]: not an object", NULL),
	       "an item that is not an object: warning");
	TAP_OK(warned(m, "dump.json: line 9: items[3].items[1]: not an object", NULL),
	       "nested lists name the path of the item");
	TAP_OK(m && m->warnings.n == 3, "three warnings, no more (%zu)", m ? m->warnings.n : 0);
	print_warnings(m);
	hull_model_free(m);

	m = load_text("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
	              "{\"resourceVersion\":\"912\"},\"items\":[]}\n",
	              "empty.json");
	TAP_OK(m && m->objects.n == 0 && warned(m, "empty.json: no Kubernetes object", NULL),
	       "an empty PodList: no object, and a warning says so");
	hull_model_free(m);

	m = load_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n"
	              "metadata: {name: orphan}\nspec: {containers: [{name: c, image: x}]}\n",
	              "two.yaml");
	TAP_OK(m && m->objects.n == 1 && warned(m, "two.yaml: line 5: no kind", NULL),
	       "a document of a manifest stream without kind: warning");
	hull_model_free(m);

	/* an item with a kind of its own keeps it, even in a typed list */
	m = load_text("kind: PodList\napiVersion: v1\nitems:\n"
	              "- {kind: ConfigMap, apiVersion: v1, metadata: {name: cm}}\n"
	              "- {apiVersion: v2, metadata: {name: p}, spec: {containers: []}}\n",
	              "mixed.yaml");
	TAP_OK(objects_of(m, "ConfigMap", "v1") == 1 && objects_of(m, "Pod", "v2") == 1 &&
	           m->warnings.n == 0,
	       "an item's own kind and apiVersion win over the list's");
	hull_model_free(m);
}

/* An AdmissionReview's object whose request says its kind. */
static void typed_object(void)
{
	struct hull_model *m = hull_model_new();
	struct hull_err err = {0};
	struct json_object *o = json_tokener_parse(
	    "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
	    "\"image\":\"x:1\"}]}}");
	struct fe f = {.m = m, .file = hull_model_file(m, "request.object")};
	TAP_OK(hull_k8s_load_typed(&f, o, "Pod", "v1", &err) == 0 && m->workloads.n == 1 &&
	           !strcmp(m->workloads.v[0].kind, "Pod") &&
	           !strcmp(m->workloads.v[0].api_version, "v1"),
	       "an object without kind takes the kind it is given");
	TAP_OK(hull_k8s_load_typed(&f, o, NULL, NULL, &err) == 0 && m->workloads.n == 1 &&
	           m->warnings.n == 1 && strstr(m->warnings.msgs[0], "request.object: no kind"),
	       "without one either: a warning, not a silent drop");
	json_object_put(o);
	hull_model_free(m);
}

int main(void)
{
	api_server_pods();
	kubectl_pods();
	deployments();
	other_lists();
	unclassified();
	typed_object();
	return tap_done();
}
