/* Compose networking into the model, for hull network: the top-level
 * networks (name, external, internal, driver, the enable_icc driver
 * option) and project name, and per service network_mode, the networks
 * joined with their aliases, links and depends_on. Values are kept as
 * written (interpolated); what they mean for reachability is network/'s
 * business. Later files add to or override earlier ones, like the rest
 * of the Compose front end. */
#include <string.h>
#include <strings.h>

#include "misconfig/fe.h"

/* A YAML boolean, or the strings "true" / "1" (any case). */
static bool truthy(const struct fe *f, struct json_object *v)
{
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	const char *s = fe_text(f, v);
	return s && (!strcasecmp(s, "true") || !strcmp(s, "1"));
}

static void set_bool(const struct fe *f, struct json_object *map, const char *key, bool v,
                     struct hull_vbool *out)
{
	out->v = v ? HULL_TRUE : HULL_FALSE;
	out->pos = fe_key_pos(f, map, key);
}

static struct hull_compose_network *project_network(const struct fe *f, const char *key,
                                                    struct hull_pos pos)
{
	struct hull_model *m = f->m;
	for (size_t i = 0; i < m->networks.n; i++)
		if (!strcmp(m->networks.v[i].key, key))
			return &m->networks.v[i];
	struct hull_compose_network *n = hull_model_push(m, &m->networks);
	if (n) {
		n->key = hull_model_strdup(m, key);
		n->pos = pos;
	}
	return n;
}

static void network_def(const struct fe *f, struct json_object *nets, const char *key,
                        struct json_object *def)
{
	struct hull_compose_network *n = project_network(f, key, fe_key_pos(f, nets, key));
	if (!n)
		return;
	struct json_object *ext = fe_get(def, "external");
	const char *name = fe_scalar(f, def, "name");
	if (ext) {
		set_bool(f, def, "external",
		         truthy(f, ext) || json_object_is_type(ext, json_type_object),
		         &n->external);
		/* the legacy external: {name: x} form */
		const char *en = fe_scalar(f, ext, "name");
		if (en)
			name = en;
	}
	if (fe_get(def, "internal"))
		set_bool(f, def, "internal", truthy(f, fe_get(def, "internal")), &n->internal);
	const char *driver = fe_scalar(f, def, "driver");
	if (driver)
		n->driver = driver;
	const char *icc =
	    fe_scalar(f, fe_obj(def, "driver_opts"), "com.docker.network.bridge.enable_icc");
	if (icc)
		n->icc = icc;
	/* the last definition names it */
	n->name = name;
}

void fe_compose_networks(const struct fe *f, struct json_object *doc)
{
	struct hull_vstr name = {0};
	if (fe_str(f, doc, "name", &name) && *name.v)
		f->m->compose_project = name;
	struct json_object *nets = fe_obj(doc, "networks");
	if (!nets)
		return;
	json_object_object_foreach(nets, key, def)
	{
		network_def(f, nets, key, def);
	}
}

/* Joins a network once; a later mention adds its aliases only. */
static struct hull_net_attach *attach(const struct fe *f, struct hull_workload *w, const char *key,
                                      struct hull_pos pos)
{
	for (size_t i = 0; i < w->networks.n; i++)
		if (!strcmp(w->networks.v[i].network, key))
			return &w->networks.v[i];
	struct hull_net_attach *a = hull_model_push(f->m, &w->networks);
	if (a) {
		a->network = hull_model_strdup(f->m, key);
		a->pos = pos;
	}
	return a;
}

static void service_networks(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	struct json_object *nets = fe_get(svc, "networks");
	if (nets && json_object_is_type(nets, json_type_array)) {
		size_t n = json_object_array_length(nets);
		w->networks_set |= n > 0;
		for (size_t i = 0; i < n; i++) {
			struct json_object *it = json_object_array_get_idx(nets, i);
			const char *key = fe_text(f, it);
			if (key)
				attach(f, w, key, fe_pos(f, it));
		}
		return;
	}
	if (!nets || !json_object_is_type(nets, json_type_object))
		return;
	w->networks_set |= json_object_object_length(nets) > 0;
	json_object_object_foreach(nets, key, cfg)
	{
		struct hull_net_attach *a = attach(f, w, key, fe_key_pos(f, nets, key));
		if (!a)
			return;
		fe_strlist(f, fe_arr(cfg, "aliases"), &a->aliases);
	}
}

static void add_unique(const struct fe *f, hull_strlist *l, const char *s, struct hull_pos pos)
{
	if (!s || hull_strlist_has(l, s))
		return;
	struct hull_vstr *e = hull_model_push(f->m, l);
	if (e) {
		e->v = s;
		e->pos = pos;
	}
}

void fe_compose_service_networks(const struct fe *f, struct json_object *svc,
                                 struct hull_workload *w)
{
	fe_str(f, svc, "network_mode", &w->network_mode);
	service_networks(f, svc, w);
	struct json_object *links = fe_arr(svc, "links"), *deps = fe_get(svc, "depends_on");
	for (size_t i = 0; links && i < json_object_array_length(links); i++) {
		struct json_object *it = json_object_array_get_idx(links, i);
		add_unique(f, &w->links, fe_text(f, it), fe_pos(f, it));
	}
	if (deps && json_object_is_type(deps, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(deps); i++) {
			struct json_object *it = json_object_array_get_idx(deps, i);
			add_unique(f, &w->depends_on, fe_text(f, it), fe_pos(f, it));
		}
	} else if (deps && json_object_is_type(deps, json_type_object)) {
		json_object_object_foreach(deps, key, val)
		{
			(void)val;
			add_unique(f, &w->depends_on, hull_model_strdup(f->m, key),
			           fe_key_pos(f, deps, key));
		}
	}
}
