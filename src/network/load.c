/* load: one input file into the graph, by content (the misconfig loader
 * decides the kind): Kubernetes objects, a Compose file, or docker /
 * podman inspect output (containers with their networks and ports). */
#include <string.h>

#include "misconfig/load.h"
#include "network/internal.h"
#include "util/json.h"

int net_load_k8s_model(struct hull_net *net, const struct hull_model *m, struct hull_err *err);
int net_keep_model(struct hull_net *net, struct hull_model *m);
int net_load_engine_json(struct hull_net *net, const char *source, struct json_object *networks,
                         struct json_object *containers, struct hull_err *err);

static int load_inspect(struct hull_net *net, const char *data, size_t len, const char *name,
                        struct hull_err *err)
{
	struct json_object *j = NULL;
	if (hull_json_parse(data, len, name, &j, err) < 0)
		return -1;
	struct json_object *arr = j;
	if (json_object_is_type(j, json_type_object)) {
		arr = json_object_new_array();
		if (!arr) {
			json_object_put(j);
			return hull_err_nomem(err);
		}
		json_object_array_add(arr, json_object_get(j));
	}
	int rc = net_load_engine_json(net, name, NULL, arr, err);
	if (arr != j)
		json_object_put(arr);
	json_object_put(j);
	return rc;
}

int hull_net_load(struct hull_net *net, const char *data, size_t len, const char *name,
                  const char *env, bool *loaded, struct hull_err *err)
{
	if (loaded)
		*loaded = false;
	if (net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph already computed");
	struct hull_model *m = hull_model_new();
	if (!m)
		return hull_err_nomem(err);
	enum hull_config_kind kind = HULL_CONFIG_UNKNOWN;
	int lrc = hull_config_load(m, data, len, name, HULL_CONFIG_UNKNOWN, env, &kind, err);
	hull_model_move_warnings(m, net->diag);
	if (lrc < 0) {
		hull_model_free(m);
		return -1;
	}
	int rc;
	if (kind == HULL_CONFIG_K8S || kind == HULL_CONFIG_COMPOSE) {
		/* the graph keeps the model: positions and inline ignores */
		if (net_keep_model(net, m) < 0) {
			*err = net->err;
			return -1;
		}
		rc = kind == HULL_CONFIG_K8S ? net_load_k8s_model(net, m, err)
		                             : net_load_compose_model(net, m, name, err);
	} else {
		hull_model_free(m);
		if (kind != HULL_CONFIG_INSPECT)
			return 0;
		rc = load_inspect(net, data, len, name, err);
	}
	if (rc == 0 && loaded)
		*loaded = true;
	return rc;
}
