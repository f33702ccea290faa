/* The webhook's objects in the API server's shape (tests/data/k8s-lists:
 * managedFields, status, ownerReferences): an object with its kind, one
 * whose kind only the request says, one nobody says, and lists. Nothing is
 * allowed without evaluation and without a word. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/review.h"
#include "util/fs.h"
#include "util/json.h"
#include "tap.h"

/* The parsed tests/data/k8s-lists file, or NULL. */
static struct json_object *data(const char *name)
{
	char path[4096];
	const char *root = getenv("HULL_SRC");
	snprintf(path, sizeof(path), "%s/tests/data/k8s-lists/%s", root ? root : ".", name);
	char *text = NULL;
	size_t len = 0;
	struct hull_err err = {0};
	struct json_object *o = NULL;
	if (hull_fs_read_file(path, 64u << 20, &text, &len, &err) < 0 ||
	    hull_json_parse(text, len, name, &o, &err) < 0)
		printf("# %s: %s\n", name, err.msg);
	free(text);
	return o;
}

/* items[i] of a list, by metadata.name. */
static struct json_object *item(struct json_object *list, const char *name)
{
	struct json_object *items = hull_json_get_arr(list, "items");
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		const char *n = hull_json_get_str(hull_json_get_obj(it, "metadata"), "name");
		if (n && !strcmp(n, name))
			return it;
	}
	return NULL;
}

static void print_lines(const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\n");
		printf("# %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

struct answer {
	bool ok, allowed;
	char warnings[4096];
	char message[4096];
	char head[256];
};

/* Reviews `object` (borrowed) for a CREATE of request kind `kind` (NULL:
 * no request.kind) in namespace ns. */
static struct answer review(const struct hull_review_cfg *c, struct json_object *object,
                            const char *kind, const char *ns)
{
	struct answer a = {0};
	struct json_object *req = json_object_new_object(), *doc = json_object_new_object();
	json_object_object_add(doc, "apiVersion", json_object_new_string("admission.k8s.io/v1"));
	json_object_object_add(doc, "kind", json_object_new_string("AdmissionReview"));
	json_object_object_add(req, "uid", json_object_new_string("705ab4f5-6393-11e8-b7cc"));
	json_object_object_add(req, "operation", json_object_new_string("CREATE"));
	json_object_object_add(req, "namespace", json_object_new_string(ns));
	if (kind) {
		struct json_object *gvk = json_object_new_object();
		json_object_object_add(gvk, "group", json_object_new_string(""));
		json_object_object_add(gvk, "version", json_object_new_string("v1"));
		json_object_object_add(gvk, "kind", json_object_new_string(kind));
		json_object_object_add(req, "kind", gvk);
	}
	json_object_object_add(req, "object", json_object_get(object));
	json_object_object_add(doc, "request", req);
	const char *body = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	struct hull_buf resp;
	struct hull_decision d;
	struct hull_err err = {0};
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	struct json_object *out = NULL;
	a.ok = hull_review_admission(c, body, strlen(body), &resp, &d, &err) == 0 &&
	       hull_json_parse(resp.data, resp.len, "response", &out, &err) == 0;
	if (!a.ok)
		printf("# review: %s\n", err.msg);
	struct json_object *r = hull_json_get_obj(out, "response");
	a.allowed = d.allowed;
	struct json_object *w = hull_json_get_arr(r, "warnings");
	for (size_t i = 0; w && i < json_object_array_length(w); i++) {
		size_t used = strlen(a.warnings);
		snprintf(a.warnings + used, sizeof(a.warnings) - used, "%s\n",
		         json_object_get_string(json_object_array_get_idx(w, i)));
	}
	const char *msg = hull_json_get_str(hull_json_get_obj(r, "status"), "message");
	/* the first line, for test messages: "hull denied Pod ns/name:" */
	snprintf(a.message, sizeof(a.message), "%s", msg ? msg : "");
	snprintf(a.head, sizeof(a.head), "%.*s", (int)strcspn(a.message, "\n"), msg ? msg : "");
	json_object_put(out);
	json_object_put(doc);
	hull_decision_release(&d);
	hull_buf_release(&resp);
	return a;
}

int main(void)
{
	struct hull_review_cfg *c = NULL;
	struct hull_err err = {0};
	/* enforce baseline, nothing warned: warnings come from the front end */
	static const char adm[] = "defaults: {enforce: baseline, warn: none, audit: none}\n";
	TAP_OK(hull_review_cfg_parse(NULL, 0, adm, sizeof(adm) - 1, NULL, &c, &err) == 0,
	       "config: %s", err.msg);
	struct json_object *pods = data("pods.json"), *deps = data("deployments.json");
	struct json_object *ne = item(pods, "node-exporter-8kq2w");
	TAP_OK(ne && !hull_json_get_str(ne, "kind"), "the PodList item has no kind of its own");

	/* the API server sends the object with its kind */
	struct json_object *typed = NULL;
	json_object_deep_copy(ne, &typed, NULL);
	json_object_object_add(typed, "apiVersion", json_object_new_string("v1"));
	json_object_object_add(typed, "kind", json_object_new_string("Pod"));
	struct answer a = review(c, typed, "Pod", "monitoring");
	TAP_OK(a.ok && !a.allowed && strstr(a.message, "HULL-C014") &&
	           strstr(a.message, "HULL-C015"),
	       "a hostNetwork, hostPID pod with managedFields and status: denied (%s)", a.head);
	json_object_put(typed);

	/* no kind in the object: the request's kind is the object's */
	a = review(c, ne, "Pod", "monitoring");
	TAP_OK(a.ok && !a.allowed && strstr(a.message, "HULL-C014"),
	       "the object without kind is evaluated as the request's Pod: denied (%s)", a.head);
	TAP_OK(!*a.warnings, "and nothing is skipped");

	/* nobody says the kind: allowed, but never without a word */
	a = review(c, ne, NULL, "monitoring");
	TAP_OK(a.ok && a.allowed && strstr(a.warnings, "hull: request.object: no kind") &&
	           strstr(a.warnings, "not evaluated"),
	       "no kind anywhere: allowed with warnings saying it was not evaluated");
	print_lines(a.warnings);

	/* lists go through the same loader: each item is evaluated */
	a = review(c, pods, "PodList", "monitoring");
	TAP_OK(a.ok && !a.allowed && strstr(a.message, "HULL-C014") && !*a.warnings,
	       "a PodList as the object: its kindless items are evaluated (%s)", a.head);
	a = review(c, deps, "DeploymentList", "monitoring");
	TAP_OK(a.ok && !a.allowed && strstr(a.message, "HULL-C001"),
	       "a DeploymentList: the privileged prometheus template is denied (%s)", a.head);
	struct json_object *bad = json_tokener_parse(
	    "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"x\"}},"
	    "\"junk\"]}");
	a = review(c, bad, "List", "monitoring");
	TAP_OK(a.ok && a.allowed && strstr(a.warnings, "items[0]: no kind") &&
	           strstr(a.warnings, "items[1]: not an object") &&
	           strstr(a.warnings, "no Kubernetes object"),
	       "a List of items hull cannot classify: each one is named");
	print_lines(a.warnings);
	json_object_put(bad);
	json_object_put(pods);
	json_object_put(deps);
	hull_review_cfg_free(c);
	return tap_done();
}
