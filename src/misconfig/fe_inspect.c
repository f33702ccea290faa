/* Live containers: `docker inspect` / `podman inspect` output, the Docker
 * Engine API's /containers/{id}/json (which podman's service serves too),
 * and the condensed captures of tools/run-test-containers.sh (same keys,
 * User at the top level). One container is one workload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/fe.h"

static void ns_mode(const struct fe *f, struct json_object *hc, const char *key,
                    struct hull_vbool *b)
{
	const char *v = fe_scalar(f, hc, key);
	if (v && *v) {
		b->v = !strcmp(v, "host") ? HULL_TRUE : HULL_FALSE;
		b->pos = fe_key_pos(f, hc, key);
	}
}

static void caps(const struct fe *f, struct json_object *hc, const char *key, hull_strlist *l)
{
	hull_strlist tmp = {0};
	fe_strlist(f, fe_arr(hc, key), &tmp);
	for (size_t i = 0; i < tmp.n; i++)
		hull_model_add_cap(f->m, l, tmp.v[i].v, tmp.v[i].pos);
}

/* Memory, NanoCpus ...: a number where 0 (and -1) means unlimited */
static void limit(const struct fe *f, struct json_object *hc, const char *key, double scale,
                  struct hull_vqty *q)
{
	struct hull_vint v = {0};
	if (fe_int(f, hc, key, &v))
		hull_model_set_qty(f->m, q, fe_scalar(f, hc, key), (double)v.v * scale, true,
		                   v.pos);
}

static void ports(const struct fe *f, struct json_object *hc, struct json_object *cfg,
                  struct hull_container *c)
{
	struct json_object *pb = fe_obj(hc, "PortBindings");
	if (pb) {
		json_object_object_foreach(pb, spec, binds)
		{
			struct hull_pos pos = fe_key_pos(f, pb, spec);
			if (!binds || !json_object_is_type(binds, json_type_array) ||
			    !json_object_array_length(binds)) {
				hull_model_add_exposed(f->m, c, spec, pos);
				continue;
			}
			for (size_t i = 0; i < json_object_array_length(binds); i++) {
				struct json_object *b = json_object_array_get_idx(binds, i);
				int64_t lo, hi;
				const char *proto;
				struct hull_port *p = hull_model_push(f->m, &c->ports);
				if (!p)
					return;
				p->pos = fe_pos(f, b);
				p->published = true;
				p->host_ip = fe_scalar(f, b, "HostIp");
				const char *hp = fe_scalar(f, b, "HostPort");
				if (hp && *hp)
					p->host_port = strtoll(hp, NULL, 10);
				p->protocol = "tcp";
				if (hull_parse_port_range(spec, &lo, &hi, &proto)) {
					p->container_port = lo;
					p->container_port_end = hi;
					if (proto)
						p->protocol = hull_model_strdup(f->m, proto);
				}
			}
		}
	}
	struct json_object *ex = fe_obj(cfg, "ExposedPorts");
	if (ex && !pb) {
		json_object_object_foreach(ex, spec, v)
		{
			(void)v;
			hull_model_add_exposed(f->m, c, spec, fe_key_pos(f, ex, spec));
		}
	}
}

/* "SRC:DST[:opts]" */
static void bind(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                 const char *spec, struct hull_pos pos)
{
	const char *c1 = strchr(spec, ':');
	if (!c1 || spec[0] != '/')
		return; /* a named volume */
	const char *c2 = strchr(c1 + 1, ':');
	const char *opts = c2 ? c2 + 1 : "";
	bool ro = false;
	const char *prop = NULL;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *save, *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "ro"))
			ro = true;
		else if (!strcmp(o, "shared") || !strcmp(o, "rshared"))
			prop = hull_model_strdup(f->m, o);
	}
	fe_add_bind(f, w, c, hull_model_strndup(f->m, spec, (size_t)(c1 - spec)),
	            c2 ? hull_model_strndup(f->m, c1 + 1, (size_t)(c2 - c1 - 1))
	               : hull_model_strdup(f->m, c1 + 1),
	            ro, prop, pos);
}

static void mounts(const struct fe *f, struct json_object *doc, struct json_object *hc,
                   struct hull_workload *w, struct hull_container *c)
{
	hull_strlist binds = {0};
	fe_strlist(f, fe_arr(hc, "Binds"), &binds);
	for (size_t i = 0; i < binds.n; i++)
		bind(f, w, c, binds.v[i].v, binds.v[i].pos);
	struct json_object *arr = fe_arr(hc, "Mounts");
	bool from_hc = arr != NULL;
	if (!arr && !binds.n)
		arr = fe_arr(doc, "Mounts"); /* what is actually mounted */
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *m = json_object_array_get_idx(arr, i);
		const char *type = fe_scalar(f, m, "Type");
		if (!type || strcmp(type, "bind"))
			continue;
		struct hull_vbool ro = {0}, rw = {0};
		fe_bool(f, m, "ReadOnly", &ro);
		fe_bool(f, m, "RW", &rw);
		const char *prop = from_hc ? fe_scalar(f, fe_obj(m, "BindOptions"), "Propagation")
		                           : fe_scalar(f, m, "Propagation");
		fe_add_bind(f, w, c, fe_scalar(f, m, "Source"),
		            fe_scalar(f, m, from_hc ? "Target" : "Destination"),
		            ro.v == HULL_TRUE || rw.v == HULL_FALSE, prop, fe_pos(f, m));
	}
}

static void healthcheck(const struct fe *f, struct json_object *cfg, struct hull_container *c)
{
	struct json_object *hc = fe_obj(cfg, "Healthcheck");
	struct json_object *test = fe_arr(hc, "Test");
	if (!test || !json_object_array_length(test))
		return;
	c->healthcheck.set = true;
	c->healthcheck.kind = "cmd";
	c->healthcheck.pos = fe_key_pos(f, cfg, "Healthcheck");
	const char *t0 = fe_text(f, json_object_array_get_idx(test, 0));
	c->healthcheck.disabled = t0 && !strcmp(t0, "NONE");
}

static bool limited_cpu(const struct hull_vqty *q)
{
	return q->set && q->v > 0;
}

static void resources(const struct fe *f, struct json_object *hc, struct hull_container *c)
{
	limit(f, hc, "Memory", 1.0, &c->res.mem_limit);
	limit(f, hc, "MemoryReservation", 1.0, &c->res.mem_request);
	limit(f, hc, "PidsLimit", 1.0, &c->res.pids_limit);
	limit(f, hc, "CpuShares", 1.0, &c->res.cpu_shares);
	limit(f, hc, "NanoCpus", 1e-9, &c->res.cpu_limit);
	struct hull_vint quota = {0}, period = {0};
	if (!limited_cpu(&c->res.cpu_limit) && fe_int(f, hc, "CpuQuota", &quota) && quota.v > 0) {
		fe_int(f, hc, "CpuPeriod", &period);
		hull_model_set_qty(f->m, &c->res.cpu_limit, fe_scalar(f, hc, "CpuQuota"),
		                   (double)quota.v / (double)(period.v > 0 ? period.v : 100000),
		                   true, quota.pos);
	}
}

static void restart(const struct fe *f, struct json_object *hc, struct hull_workload *w)
{
	struct json_object *rp = fe_obj(hc, "RestartPolicy");
	const char *name = fe_scalar(f, rp, "Name");
	struct hull_vint max = {0};
	if (!name || !*name || !strcmp(name, "no"))
		return;
	fe_int(f, rp, "MaximumRetryCount", &max);
	w->restart_policy.v = !strcmp(name, "on-failure") && max.set && max.v > 0
	                          ? hull_model_printf(f->m, "on-failure:%lld", (long long)max.v)
	                          : name;
	w->restart_policy.pos = fe_key_pos(f, hc, "RestartPolicy");
}

static void one(const struct fe *f, struct json_object *doc)
{
	struct json_object *hc = fe_obj(doc, "HostConfig"), *cfg = fe_obj(doc, "Config");
	const char *name = fe_scalar(f, doc, "Name");
	if (name && *name == '/')
		name++;
	struct hull_pos pos = fe_pos(f, doc);
	struct hull_workload *w = hull_model_add_workload(f->m, HULL_INPUT_RUNTIME, "container",
	                                                  name ? name : "container", pos);
	struct hull_container *c = w ? hull_model_add_container(f->m, w, name, pos) : NULL;
	if (!c)
		return;
	const char *image = fe_scalar(f, cfg, "Image");
	if (!image)
		image = fe_scalar(f, doc, "ImageName");
	if (!image)
		image = fe_scalar(f, doc, "Image");
	if (image)
		hull_model_set_image(f->m, c, image, pos);
	/* an empty User means root: report it as set from Config.User */
	struct json_object *umap = fe_get(cfg, "User") ? cfg : doc;
	const char *user = fe_scalar(f, umap, "User");
	if (user && *user)
		hull_model_set_user(f->m, &c->user, user, "Config.User",
		                    fe_key_pos(f, umap, "User"));
	fe_bool(f, hc, "Privileged", &c->privileged);
	fe_bool(f, hc, "ReadonlyRootfs", &c->read_only_root);
	caps(f, hc, "CapAdd", &c->cap_add);
	caps(f, hc, "CapDrop", &c->cap_drop);
	hull_strlist so = {0};
	fe_strlist(f, fe_arr(hc, "SecurityOpt"), &so);
	for (size_t i = 0; i < so.n; i++)
		fe_security_opt(f, c, so.v[i].v, so.v[i].pos);
	const char *aa = fe_scalar(f, doc, "AppArmorProfile");
	if (aa && !strcmp(aa, "unconfined") && c->apparmor.type == HULL_PROFILE_UNSET) {
		c->apparmor.type = HULL_PROFILE_UNCONFINED;
		c->apparmor.value = aa;
		c->apparmor.pos = fe_key_pos(f, doc, "AppArmorProfile");
	}
	resources(f, hc, c);
	ports(f, hc, cfg, c);
	mounts(f, doc, hc, w, c);
	struct json_object *dev = fe_arr(hc, "Devices");
	for (size_t i = 0; dev && i < json_object_array_length(dev); i++) {
		struct json_object *d = json_object_array_get_idx(dev, i);
		struct hull_vstr *e = hull_model_push(f->m, &c->devices);
		if (e) {
			e->v = fe_scalar(f, d, "PathOnHost");
			e->pos = fe_pos(f, d);
		}
	}
	hull_strlist env = {0};
	fe_strlist(f, fe_arr(cfg, "Env"), &env);
	for (size_t i = 0; i < env.n; i++) {
		struct hull_env *e = hull_model_push(f->m, &c->env);
		const char *eq = strchr(env.v[i].v, '=');
		if (e) {
			e->name.v =
			    eq ? hull_model_strndup(f->m, env.v[i].v, (size_t)(eq - env.v[i].v))
			       : env.v[i].v;
			e->name.pos = e->value_pos = env.v[i].pos;
			e->value = eq ? eq + 1 : NULL;
		}
	}
	healthcheck(f, cfg, c);
	fe_strlist(f, fe_arr(cfg, "Entrypoint"), &c->command);
	fe_strlist(f, fe_arr(cfg, "Cmd"), &c->command);
	ns_mode(f, hc, "NetworkMode", &w->host_network);
	ns_mode(f, hc, "PidMode", &w->host_pid);
	ns_mode(f, hc, "IpcMode", &w->host_ipc);
	ns_mode(f, hc, "UTSMode", &w->host_uts);
	ns_mode(f, hc, "UsernsMode", &w->host_users);
	fe_pairs(f, fe_obj(hc, "Sysctls"), &w->sysctls);
	fe_pairs(f, fe_obj(cfg, "Labels"), &w->labels);
	fe_str(f, hc, "CgroupParent", &w->cgroup_parent);
	if (w->cgroup_parent.v && !*w->cgroup_parent.v)
		w->cgroup_parent.v = NULL;
	restart(f, hc, w);
}

int hull_inspect_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err)
{
	if (json_object_is_type(doc, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(doc); i++) {
			struct json_object *d = json_object_array_get_idx(doc, i);
			if (fe_get(d, "HostConfig"))
				one(f, d);
		}
		return 0;
	}
	if (!fe_get(doc, "HostConfig")) {
		struct hull_pos p = fe_pos(f, doc);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: line %u: no HostConfig: not inspect output", f->file,
		                    p.line);
	}
	one(f, doc);
	return 0;
}
