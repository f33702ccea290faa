/* Input kind detection and dispatch to the front ends. */
#include "misconfig/load.h"

#include <string.h>

#include "misconfig/dockerfile.h"
#include "misconfig/fe.h"
#include "util/yaml.h"

const char *hull_config_kind_name(enum hull_config_kind k)
{
	static const char *const names[] = {"unknown",    "dockerfile", "compose",
	                                    "kubernetes", "ecs",        "inspect"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

static bool has(struct json_object *o, const char *key)
{
	return fe_get(o, key) != NULL;
}

static enum hull_config_kind kind_of_doc(struct json_object *d)
{
	if (json_object_is_type(d, json_type_array)) {
		struct json_object *first =
		    json_object_array_length(d) ? json_object_array_get_idx(d, 0) : NULL;
		return first && has(first, "HostConfig") ? HULL_CONFIG_INSPECT
		                                         : HULL_CONFIG_UNKNOWN;
	}
	if (!json_object_is_type(d, json_type_object))
		return HULL_CONFIG_UNKNOWN;
	if (has(d, "HostConfig"))
		return HULL_CONFIG_INSPECT;
	if (fe_arr(d, "containerDefinitions") ||
	    fe_arr(fe_obj(d, "taskDefinition"), "containerDefinitions"))
		return HULL_CONFIG_ECS;
	if (has(d, "apiVersion") && has(d, "kind"))
		return HULL_CONFIG_K8S;
	if (fe_obj(d, "services") && !has(d, "apiVersion"))
		return HULL_CONFIG_COMPOSE;
	return HULL_CONFIG_UNKNOWN;
}

static enum hull_config_kind kind_of_yaml(const struct hull_yaml *y)
{
	for (size_t i = 0; i < hull_yaml_ndocs(y); i++) {
		struct json_object *d = hull_yaml_doc(y, i);
		if (!d)
			continue;
		enum hull_config_kind k = kind_of_doc(d);
		if (k != HULL_CONFIG_UNKNOWN)
			return k;
	}
	return HULL_CONFIG_UNKNOWN;
}

enum hull_config_kind hull_config_detect(const char *data, size_t len)
{
	if (hull_dockerfile_sniff(data, len))
		return HULL_CONFIG_DOCKERFILE;
	struct hull_yaml *y;
	if (hull_yaml_parse(data, len, "input", &y, NULL) < 0)
		return HULL_CONFIG_UNKNOWN;
	enum hull_config_kind k = kind_of_yaml(y);
	hull_yaml_free(y);
	return k;
}

static int load_docs(struct hull_model *m, struct hull_yaml *y, const char *name,
                     enum hull_config_kind k, struct hull_err *err)
{
	struct fe f = {
	    .m = m, .y = y, .file = hull_model_file(m, name), .yaml11_bools = k == HULL_CONFIG_K8S};
	size_t objects = m->objects.n, workloads = m->workloads.n;
	for (size_t i = 0; i < hull_yaml_ndocs(y); i++) {
		struct json_object *d = hull_yaml_doc(y, i);
		int rc = 0;
		if (k == HULL_CONFIG_K8S)
			rc = hull_k8s_load_doc(&f, d, err);
		else if (k == HULL_CONFIG_ECS && d)
			rc = hull_ecs_load_doc(&f, d, err);
		else if (k == HULL_CONFIG_INSPECT && d)
			rc = hull_inspect_load_doc(&f, d, err);
		if (rc < 0)
			return rc;
	}
	if (hull_model_failed(m, err))
		return hull_err_wrap(err, "%s", name);
	/* an empty PodList, or items hull could not classify: a cluster dump
	 * must not pass for an empty cluster without a word */
	if (m->objects.n == objects && m->workloads.n == workloads)
		hull_model_warn(m, "%s: no %s in it", name,
		                k == HULL_CONFIG_K8S ? "Kubernetes object" : "workload");
	return 0;
}

int hull_config_load(struct hull_model *m, const char *data, size_t len, const char *name,
                     enum hull_config_kind expect, const char *env, enum hull_config_kind *kind,
                     struct hull_err *err)
{
	if (kind)
		*kind = HULL_CONFIG_UNKNOWN;
	if (len > HULL_LOAD_MAX_BYTES)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: larger than %u MiB", name,
		                    HULL_LOAD_MAX_BYTES >> 20);
	if (expect == HULL_CONFIG_DOCKERFILE ||
	    (expect == HULL_CONFIG_UNKNOWN && hull_dockerfile_sniff(data, len))) {
		if (kind)
			*kind = HULL_CONFIG_DOCKERFILE;
		hull_ignores_scan(m, name, data, len);
		return hull_dockerfile_load(m, data, len, name, err);
	}
	struct hull_yaml *y;
	if (hull_yaml_parse(data, len, name, &y, err) < 0)
		return -1;
	enum hull_config_kind k = expect != HULL_CONFIG_UNKNOWN ? expect : kind_of_yaml(y);
	if (k == HULL_CONFIG_UNKNOWN) {
		hull_yaml_free(y);
		return 0; /* the caller decides whether that is an error */
	}
	if (kind)
		*kind = k;
	if (k == HULL_CONFIG_COMPOSE) {
		hull_ignores_scan(m, name, data, len);
		return hull_compose_load_yaml(m, &y, &name, 1, env, err);
	}
	/* rules read objects as written: the model keeps the documents */
	if (hull_model_keep_yaml(m, y) < 0)
		return hull_model_failed(m, err), -1;
	hull_ignores_scan(m, name, data, len);
	return load_docs(m, y, name, k, err);
}
