/* Rules on Kubernetes objects other than pod specs: ConfigMaps, Ingress
 * annotations, NetworkPolicies, Services, RBAC roles and bindings, and API
 * versions that were removed. They read the object as written (json-c)
 * with positions from the YAML loader. */
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"
#include "util/json.h"

#define REPORT hull_rule_report

static bool kind_is(const struct hull_rule_ctx *ctx, const char *kind)
{
	return ctx->obj->kind && !strcmp(ctx->obj->kind, kind);
}

static struct hull_pos pos_of(const struct hull_rule_ctx *ctx, const struct json_object *node)
{
	struct hull_pos p = ctx->obj->pos;
	unsigned line, col;
	if (node && ctx->obj->yaml && hull_yaml_pos(ctx->obj->yaml, node, &line, &col)) {
		p.line = line;
		p.col = col;
	}
	return p;
}

static struct hull_pos key_pos(const struct hull_rule_ctx *ctx, const struct json_object *map,
                               const char *key)
{
	struct hull_pos p = ctx->obj->pos;
	unsigned line, col;
	if (map && ctx->obj->yaml && hull_yaml_key_pos(ctx->obj->yaml, map, key, &line, &col)) {
		p.line = line;
		p.col = col;
	}
	return p;
}

static const char *str(struct json_object *o)
{
	return o && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : NULL;
}

/* ---- ConfigMaps ------------------------------------------------------- */

/* NAME=value / NAME: value lines inside a ConfigMap value */
static bool secret_line(const char *v, char *name, size_t namesz)
{
	while (v && *v) {
		const char *eol = strchr(v, '\n');
		size_t len = eol ? (size_t)(eol - v) : strlen(v);
		while (len && (*v == ' ' || *v == '\t' || *v == '-')) {
			v++;
			len--;
		}
		size_t k = 0;
		while (k < len && v[k] != '=' && v[k] != ':' && v[k] != ' ')
			k++;
		if (k && k < len && k < namesz) {
			memcpy(name, v, k);
			name[k] = 0;
			size_t vs = k + 1;
			while (vs < len && (v[vs] == ' ' || v[vs] == '"' || v[vs] == '\''))
				vs++;
			char val[256];
			size_t vl = len - vs < sizeof(val) - 1 ? len - vs : sizeof(val) - 1;
			memcpy(val, v + vs, vl);
			val[vl] = 0;
			if (hull_secret_name(name) && hull_secret_literal(val) &&
			    strcmp(val, "\"\"") && strcmp(val, "''"))
				return true;
		}
		v = eol ? eol + 1 : NULL;
	}
	return false;
}

HULL_CHECK(k8s_configmap_secret)
{
	if (!kind_is(ctx, "ConfigMap"))
		return;
	struct json_object *data = hull_json_member(ctx->obj->obj, "data");
	if (!data || !json_object_is_type(data, json_type_object))
		return;
	json_object_object_foreach(data, key, val)
	{
		const char *v = str(val);
		const char *what = hull_secret_value(v);
		char name[128];
		if (what)
			REPORT(ctx, key_pos(ctx, data, key), "key %s holds %s", key, what);
		else if (hull_secret_name(key) && hull_secret_literal(v))
			REPORT(
			    ctx, key_pos(ctx, data, key),
			    "key %s looks like a secret; ConfigMaps are not encrypted nor access "
			    "controlled like Secrets",
			    key);
		else if (secret_line(v, name, sizeof(name)))
			REPORT(ctx, key_pos(ctx, data, key),
			       "key %s sets %s to a literal value; keep it in a Secret", key, name);
	}
}

/* ---- ingress-nginx annotations (CVE-2025-1097/1098/24514) --------------- */

HULL_CHECK(k8s_ingress_nginx)
{
	static const char *const keys[] = {
	    "nginx.ingress.kubernetes.io/auth-url", "nginx.ingress.kubernetes.io/auth-tls-match-cn",
	    "nginx.ingress.kubernetes.io/mirror-target", "nginx.ingress.kubernetes.io/mirror-host"};
	if (!kind_is(ctx, "Ingress"))
		return;
	struct json_object *ann =
	    hull_json_member(hull_json_member(ctx->obj->obj, "metadata"), "annotations");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = str(hull_json_member(ann, keys[i]));
		if (!v)
			continue;
		const char *bad = strpbrk(v, "|#;\n\r'\"{}`$\\");
		if (bad)
			REPORT(ctx, key_pos(ctx, ann, keys[i]),
			       "annotation %s contains '%s', which ingress-nginx copies into its "
			       "configuration (configuration injection)",
			       keys[i],
			       *bad == '\n'   ? "\\n"
			       : *bad == '\r' ? "\\r"
			                      : (char[]){*bad, 0});
	}
}

/* ---- NetworkPolicy, Service, API versions ------------------------------- */

HULL_CHECK(k8s_netpol_selector)
{
	if (!kind_is(ctx, "NetworkPolicy"))
		return;
	struct json_object *spec = hull_json_member(ctx->obj->obj, "spec");
	if (!hull_json_member(spec, "podSelector"))
		REPORT(ctx, spec ? key_pos(ctx, ctx->obj->obj, "spec") : ctx->obj->pos,
		       "NetworkPolicy has no spec.podSelector");
}

HULL_CHECK(k8s_external_ips)
{
	if (!kind_is(ctx, "Service"))
		return;
	struct json_object *spec = hull_json_member(ctx->obj->obj, "spec");
	struct json_object *ips = hull_json_member(spec, "externalIPs");
	if (ips && json_object_is_type(ips, json_type_array) && json_object_array_length(ips))
		REPORT(ctx, key_pos(ctx, spec, "externalIPs"),
		       "Service sets externalIPs (%s ...): traffic to that address on any node is "
		       "routed to it (CVE-2020-8554)",
		       str(json_object_array_get_idx(ips, 0))
		           ? str(json_object_array_get_idx(ips, 0))
		           : "?");
}

HULL_CHECK(k8s_deprecated_api)
{
	static const struct {
		const char *api, *kind, *since, *use;
	} removed[] = {
	    {"extensions/v1beta1", "Deployment", "1.16", "apps/v1"},
	    {"extensions/v1beta1", "DaemonSet", "1.16", "apps/v1"},
	    {"extensions/v1beta1", "ReplicaSet", "1.16", "apps/v1"},
	    {"extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1"},
	    {"extensions/v1beta1", "PodSecurityPolicy", "1.16", "(removed in 1.25)"},
	    {"extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"},
	    {"apps/v1beta1", NULL, "1.16", "apps/v1"},
	    {"apps/v1beta2", NULL, "1.16", "apps/v1"},
	    {"networking.k8s.io/v1beta1", NULL, "1.22", "networking.k8s.io/v1"},
	    {"batch/v1beta1", "CronJob", "1.25", "batch/v1"},
	    {"batch/v2alpha1", NULL, "1.21", "batch/v1"},
	    {"policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"},
	    {"policy/v1beta1", "PodSecurityPolicy", "1.25", "Pod Security Admission"},
	    {"rbac.authorization.k8s.io/v1beta1", NULL, "1.22", "rbac.authorization.k8s.io/v1"},
	    {"rbac.authorization.k8s.io/v1alpha1", NULL, "1.22", "rbac.authorization.k8s.io/v1"},
	    {"autoscaling/v2beta1", NULL, "1.25", "autoscaling/v2"},
	    {"autoscaling/v2beta2", NULL, "1.26", "autoscaling/v2"},
	    {"admissionregistration.k8s.io/v1beta1", NULL, "1.22",
	     "admissionregistration.k8s.io/v1"},
	    {"apiextensions.k8s.io/v1beta1", NULL, "1.22", "apiextensions.k8s.io/v1"},
	    {"storage.k8s.io/v1beta1", "CSIDriver", "1.22", "storage.k8s.io/v1"},
	    {"discovery.k8s.io/v1beta1", NULL, "1.25", "discovery.k8s.io/v1"},
	    {"flowcontrol.apiserver.k8s.io/v1beta1", NULL, "1.26",
	     "flowcontrol.apiserver.k8s.io/v1"},
	};
	const char *api = ctx->obj->api_version, *kind = ctx->obj->kind;
	if (!api || !kind)
		return;
	for (size_t i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
		if (strcmp(api, removed[i].api) ||
		    (removed[i].kind && strcmp(kind, removed[i].kind)))
			continue;
		REPORT(ctx, key_pos(ctx, ctx->obj->obj, "apiVersion"),
		       "%s %s was removed in Kubernetes %s; use %s", api, kind, removed[i].since,
		       removed[i].use);
		return;
	}
}

/* ---- RBAC ------------------------------------------------------------- */

static bool has(struct json_object *arr, const char *s)
{
	if (!arr || !json_object_is_type(arr, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		const char *v = str(json_object_array_get_idx(arr, i));
		if (v && !strcmp(v, s))
			return true;
	}
	return false;
}

static bool has_any(struct json_object *arr, const char *const *set)
{
	for (; *set; set++)
		if (has(arr, *set))
			return true;
	return false;
}

typedef void (*rbac_fn)(struct hull_rule_ctx *ctx, struct json_object *rule,
                        struct json_object *resources, struct json_object *verbs);

static void each_rbac_rule(struct hull_rule_ctx *ctx, rbac_fn fn)
{
	if (!kind_is(ctx, "Role") && !kind_is(ctx, "ClusterRole"))
		return;
	struct json_object *rules = hull_json_member(ctx->obj->obj, "rules");
	if (!rules || !json_object_is_type(rules, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(rules); i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);
		fn(ctx, r, hull_json_member(r, "resources"), hull_json_member(r, "verbs"));
	}
}

static const char *const read_verbs[] = {"get", "list", "watch", "*", NULL};
static const char *const write_verbs[] = {"create", "update", "patch", "delete", "*", NULL};

static void rbac_wildcard(struct hull_rule_ctx *ctx, struct json_object *r, struct json_object *res,
                          struct json_object *verbs)
{
	if (has(verbs, "*") && has(res, "*"))
		REPORT(ctx, pos_of(ctx, r),
		       "grants every verb on every resource (cluster-admin "
		       "equivalent in its scope)");
	else if (has(verbs, "*"))
		REPORT(ctx, pos_of(ctx, r), "grants every verb ('*') on its resources");
	else if (has(res, "*"))
		REPORT(ctx, pos_of(ctx, r), "grants access to every resource ('*')");
}

static void rbac_secrets(struct hull_rule_ctx *ctx, struct json_object *r, struct json_object *res,
                         struct json_object *verbs)
{
	if (has(res, "secrets") && has_any(verbs, read_verbs))
		REPORT(ctx, pos_of(ctx, r), "can read Secrets (service account tokens included)");
}

static void rbac_exec(struct hull_rule_ctx *ctx, struct json_object *r, struct json_object *res,
                      struct json_object *verbs)
{
	static const char *const ev[] = {"create", "get", "*", NULL};
	static const char *const workloads[] = {
	    "pods",        "deployments", "daemonsets", "statefulsets",
	    "replicasets", "jobs",        "cronjobs",   "replicationcontrollers",
	    NULL};
	if ((has(res, "pods/exec") || has(res, "pods/attach")) && has_any(verbs, ev))
		REPORT(ctx, pos_of(ctx, r), "can exec or attach into pods");
	else if (has_any(res, workloads) && has_any(verbs, write_verbs))
		REPORT(ctx, pos_of(ctx, r),
		       "can create or change workloads, and so run code "
		       "with any service account and host access admission "
		       "allows");
}

static void rbac_escalate(struct hull_rule_ctx *ctx, struct json_object *r, struct json_object *res,
                          struct json_object *verbs)
{
	static const char *const esc[] = {"escalate", "bind", "impersonate", NULL};
	static const char *const bindings[] = {"rolebindings", "clusterrolebindings", NULL};
	static const char *const cv[] = {"create", "update", "patch", "*", NULL};
	if (has_any(verbs, esc))
		REPORT(ctx, pos_of(ctx, r),
		       "grants escalate, bind or impersonate: a way to any "
		       "permission");
	else if (has_any(res, bindings) && has_any(verbs, cv))
		REPORT(ctx, pos_of(ctx, r), "can create or change role bindings");
}

static void rbac_nodes_proxy(struct hull_rule_ctx *ctx, struct json_object *r,
                             struct json_object *res, struct json_object *verbs)
{
	static const char *const v[] = {"get", "create", "*", NULL};
	if (has(res, "nodes/proxy") && has_any(verbs, v))
		REPORT(ctx, pos_of(ctx, r),
		       "can use nodes/proxy: direct kubelet API access, "
		       "bypassing admission and audit");
}

static void rbac_webhooks(struct hull_rule_ctx *ctx, struct json_object *r, struct json_object *res,
                          struct json_object *verbs)
{
	static const char *const hooks[] = {"mutatingwebhookconfigurations",
	                                    "validatingwebhookconfigurations", NULL};
	static const char *const net[] = {"networkpolicies", "services", "endpoints",
	                                  "endpointslices", NULL};
	if (has_any(res, hooks) && has_any(verbs, write_verbs))
		REPORT(ctx, pos_of(ctx, r),
		       "can change admission webhooks: intercept or mutate "
		       "every object, Secrets included");
	else if (has_any(res, net) && has_any(verbs, write_verbs))
		REPORT(ctx, pos_of(ctx, r),
		       "can change network policies, services or endpoints: "
		       "redirect or open traffic");
	else if (has(res, "configmaps") && has(hull_json_member(r, "resourceNames"), "aws-auth") &&
	         has_any(verbs, write_verbs))
		REPORT(ctx, pos_of(ctx, r),
		       "can change the EKS aws-auth ConfigMap: map any AWS "
		       "identity to cluster roles");
}

HULL_CHECK(k8s_rbac_wildcard)
{
	each_rbac_rule(ctx, rbac_wildcard);
}

HULL_CHECK(k8s_rbac_secrets)
{
	each_rbac_rule(ctx, rbac_secrets);
}

HULL_CHECK(k8s_rbac_exec)
{
	each_rbac_rule(ctx, rbac_exec);
}

HULL_CHECK(k8s_rbac_escalate)
{
	each_rbac_rule(ctx, rbac_escalate);
}

HULL_CHECK(k8s_rbac_nodes_proxy)
{
	each_rbac_rule(ctx, rbac_nodes_proxy);
}

HULL_CHECK(k8s_rbac_webhooks)
{
	each_rbac_rule(ctx, rbac_webhooks);
}

HULL_CHECK(k8s_rbac_group_binding)
{
	static const char *const groups[] = {"system:anonymous", "system:unauthenticated",
	                                     "system:authenticated", "system:masters"};
	if (!kind_is(ctx, "RoleBinding") && !kind_is(ctx, "ClusterRoleBinding"))
		return;
	struct json_object *subjects = hull_json_member(ctx->obj->obj, "subjects");
	for (size_t i = 0; subjects && json_object_is_type(subjects, json_type_array) &&
	                   i < json_object_array_length(subjects);
	     i++) {
		struct json_object *s = json_object_array_get_idx(subjects, i);
		const char *name = str(hull_json_member(s, "name"));
		for (size_t k = 0; name && k < sizeof(groups) / sizeof(groups[0]); k++)
			if (!strcmp(name, groups[k]))
				REPORT(ctx, pos_of(ctx, s), "binds a role to %s", name);
	}
	const char *role =
	    str(hull_json_member(hull_json_member(ctx->obj->obj, "roleRef"), "name"));
	if (role && !strcmp(role, "cluster-admin"))
		REPORT(ctx, key_pos(ctx, ctx->obj->obj, "roleRef"), "grants cluster-admin");
}

HULL_CHECK(k8s_tiller)
{
	const struct hull_container *c = ctx->c;
	const char *repo = c->image_repo;
	const char *base = repo ? strrchr(repo, '/') : NULL;
	base = base ? base + 1 : repo;
	if (base && !strcmp(base, "tiller"))
		REPORT(ctx, c->image.pos,
		       "runs Helm 2's Tiller (%s): an unauthenticated "
		       "cluster-admin API inside the cluster",
		       c->image.v);
}
