/* Amazon ECS task definitions (the RegisterTaskDefinition JSON, or the
 * {"taskDefinition": ...} of describe-task-definition). One task is one
 * workload; task-level cpu and memory are hard limits for containers that
 * set none themselves (container `cpu` is a relative share). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/fe.h"

/* ECS memory: MiB as a number, or "1GB" / "1 GB" on the task. */
static bool ecs_mib(const char *s, double *bytes)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return false;
	while (*end == ' ')
		end++;
	if (!strcasecmp(end, "GB"))
		v *= 1024;
	else if (*end && strcasecmp(end, "MB") && strcasecmp(end, "MiB"))
		return false;
	*bytes = v * 1048576.0;
	return true;
}

/* ECS CPU units (1024 = one vCPU), or "1 vCPU". */
static bool ecs_cores(const char *s, double *cores)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return false;
	while (*end == ' ')
		end++;
	if (!strcasecmp(end, "vCPU"))
		*cores = v;
	else if (!*end)
		*cores = v / 1024.0;
	else
		return false;
	return true;
}

static void task_qty(const struct fe *f, struct json_object *map, const char *key,
                     bool (*parse)(const char *, double *), struct hull_vqty *q)
{
	const char *raw = fe_scalar(f, map, key);
	double v = 0;
	if (raw) {
		bool ok = parse(raw, &v);
		hull_model_set_qty(f->m, q, raw, v, ok, fe_key_pos(f, map, key));
	}
}

static void ns(const struct fe *f, struct json_object *td, const char *key, struct hull_vbool *b)
{
	const char *v = fe_scalar(f, td, key);
	if (v) {
		b->v = !strcmp(v, "host") ? HULL_TRUE : HULL_FALSE;
		b->pos = fe_key_pos(f, td, key);
	}
}

static const struct hull_volume *volume(const struct hull_workload *w, const char *name)
{
	for (size_t i = 0; name && i < w->volumes.n; i++)
		if (w->volumes.v[i].name && !strcmp(w->volumes.v[i].name, name))
			return &w->volumes.v[i];
	return NULL;
}

static void volumes(const struct fe *f, struct json_object *td, struct hull_workload *w)
{
	struct json_object *arr = fe_arr(td, "volumes");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *vj = json_object_array_get_idx(arr, i);
		struct hull_volume *v = hull_model_push(f->m, &w->volumes);
		if (!v)
			return;
		v->name = fe_scalar(f, vj, "name");
		v->pos = v->type_pos = fe_pos(f, vj);
		v->host_path = fe_scalar(f, fe_obj(vj, "host"), "sourcePath");
		v->type = v->host_path                              ? "host"
		          : fe_get(vj, "efsVolumeConfiguration")    ? "efs"
		          : fe_get(vj, "dockerVolumeConfiguration") ? "docker"
		                                                    : "task";
	}
}

static void mounts(const struct fe *f, struct json_object *cd, struct hull_workload *w,
                   struct hull_container *c)
{
	struct json_object *arr = fe_arr(cd, "mountPoints");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *mj = json_object_array_get_idx(arr, i);
		struct hull_mount *mt = hull_model_push(f->m, &c->mounts);
		if (!mt)
			return;
		const struct hull_volume *v = volume(w, fe_scalar(f, mj, "sourceVolume"));
		struct hull_vbool ro = {0};
		fe_bool(f, mj, "readOnly", &ro);
		mt->read_only = ro.v == HULL_TRUE;
		mt->target = fe_scalar(f, mj, "containerPath");
		mt->kind = v && v->host_path ? HULL_MOUNT_BIND : HULL_MOUNT_VOLUME;
		mt->source = v && v->host_path ? v->host_path : fe_scalar(f, mj, "sourceVolume");
		mt->pos = fe_pos(f, mj);
	}
}

static void linux_params(const struct fe *f, struct json_object *cd, struct hull_container *c)
{
	struct json_object *lp = fe_obj(cd, "linuxParameters");
	struct json_object *caps = fe_obj(lp, "capabilities");
	hull_strlist add = {0}, drop = {0};
	fe_strlist(f, fe_arr(caps, "add"), &add);
	fe_strlist(f, fe_arr(caps, "drop"), &drop);
	for (size_t i = 0; i < add.n; i++)
		hull_model_add_cap(f->m, &c->cap_add, add.v[i].v, add.v[i].pos);
	for (size_t i = 0; i < drop.n; i++)
		hull_model_add_cap(f->m, &c->cap_drop, drop.v[i].v, drop.v[i].pos);
	struct json_object *dev = fe_arr(lp, "devices");
	for (size_t i = 0; dev && i < json_object_array_length(dev); i++) {
		struct json_object *d = json_object_array_get_idx(dev, i);
		struct hull_vstr *e = hull_model_push(f->m, &c->devices);
		if (e) {
			e->v = fe_scalar(f, d, "hostPath");
			e->pos = fe_pos(f, d);
		}
	}
}

static void container(const struct fe *f, struct json_object *td, struct json_object *cd,
                      struct hull_workload *w, const struct hull_resources *task)
{
	struct hull_container *c =
	    hull_model_add_container(f->m, w, fe_scalar(f, cd, "name"), fe_pos(f, cd));
	if (!c)
		return;
	const char *image = fe_scalar(f, cd, "image");
	if (image)
		hull_model_set_image(f->m, c, image, fe_key_pos(f, cd, "image"));
	const char *u = fe_scalar(f, cd, "user");
	if (u)
		hull_model_set_user(f->m, &c->user, u, "task definition user",
		                    fe_key_pos(f, cd, "user"));
	fe_bool(f, cd, "privileged", &c->privileged);
	fe_bool(f, cd, "readonlyRootFilesystem", &c->read_only_root);
	linux_params(f, cd, c);
	hull_strlist so = {0};
	fe_strlist(f, fe_arr(cd, "dockerSecurityOptions"), &so);
	for (size_t i = 0; i < so.n; i++)
		fe_security_opt(f, c, so.v[i].v, so.v[i].pos);
	task_qty(f, cd, "memory", ecs_mib, &c->res.mem_limit);
	task_qty(f, cd, "memoryReservation", ecs_mib, &c->res.mem_request);
	task_qty(f, cd, "cpu", ecs_cores, &c->res.cpu_shares);
	if (!c->res.mem_limit.set)
		c->res.mem_limit = task->mem_limit;
	c->res.cpu_limit = task->cpu_limit;
	struct json_object *pm = fe_arr(cd, "portMappings");
	for (size_t i = 0; pm && i < json_object_array_length(pm); i++) {
		struct json_object *pj = json_object_array_get_idx(pm, i);
		struct hull_port *p = hull_model_push(f->m, &c->ports);
		struct hull_vint v = {0};
		if (!p)
			break;
		p->pos = fe_pos(f, pj);
		if (fe_int(f, pj, "containerPort", &v))
			p->container_port = p->container_port_end = v.v;
		/* awsvpc requires hostPort == containerPort: not a host binding */
		const char *mode = fe_scalar(f, td, "networkMode");
		if (fe_int(f, pj, "hostPort", &v) && v.v && !(mode && !strcmp(mode, "awsvpc"))) {
			p->host_port = v.v;
			p->published = true;
		}
		p->protocol = fe_scalar(f, pj, "protocol");
	}
	struct json_object *env = fe_arr(cd, "environment");
	for (size_t i = 0; env && i < json_object_array_length(env); i++) {
		struct json_object *ej = json_object_array_get_idx(env, i);
		struct hull_env *e = hull_model_push(f->m, &c->env);
		if (e) {
			fe_str(f, ej, "name", &e->name);
			e->value = fe_scalar(f, ej, "value");
			e->value_pos = fe_key_pos(f, ej, "value");
		}
	}
	mounts(f, cd, w, c);
	struct json_object *hc = fe_obj(cd, "healthCheck");
	if (hc) {
		c->healthcheck.set = true;
		c->healthcheck.kind = "cmd";
		c->healthcheck.pos = fe_key_pos(f, cd, "healthCheck");
	}
	fe_strlist(f, fe_arr(cd, "entryPoint"), &c->command);
	fe_strlist(f, fe_arr(cd, "command"), &c->command);
	struct json_object *sc = fe_arr(cd, "systemControls");
	for (size_t i = 0; sc && i < json_object_array_length(sc); i++) {
		struct json_object *s = json_object_array_get_idx(sc, i);
		struct hull_pair *p = hull_model_push(f->m, &w->sysctls);
		if (p) {
			p->key = fe_scalar(f, s, "namespace");
			p->value = fe_scalar(f, s, "value");
			p->pos = fe_pos(f, s);
		}
	}
}

int hull_ecs_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err)
{
	struct json_object *td = fe_obj(doc, "taskDefinition");
	if (!td)
		td = doc;
	struct json_object *cds = fe_arr(td, "containerDefinitions");
	if (!cds) {
		struct hull_pos p = fe_pos(f, doc);
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: line %u: not an ECS task definition (no containerDefinitions)", f->file,
		    p.line);
	}
	const char *family = fe_scalar(f, td, "family");
	struct hull_workload *w =
	    hull_model_add_workload(f->m, HULL_INPUT_ECS, "task", family ? family : "task",
	                            family ? fe_key_pos(f, td, "family") : fe_pos(f, td));
	if (!w)
		return 0;
	ns(f, td, "networkMode", &w->host_network);
	ns(f, td, "pidMode", &w->host_pid);
	ns(f, td, "ipcMode", &w->host_ipc);
	volumes(f, td, w);
	struct hull_resources task = {0};
	task_qty(f, td, "memory", ecs_mib, &task.mem_limit);
	task_qty(f, td, "cpu", ecs_cores, &task.cpu_limit);
	for (size_t i = 0; i < json_object_array_length(cds); i++)
		container(f, td, json_object_array_get_idx(cds, i), w, &task);
	/* a host volume counts as read-only when every mount of it is */
	for (size_t i = 0; i < w->volumes.n; i++) {
		size_t n = 0, ro = 0;
		for (size_t k = 0; k < w->containers.n; k++)
			for (size_t j = 0; j < w->containers.v[k].mounts.n; j++) {
				const struct hull_mount *mt = &w->containers.v[k].mounts.v[j];
				if (mt->kind == HULL_MOUNT_BIND && w->volumes.v[i].host_path &&
				    mt->source && !strcmp(mt->source, w->volumes.v[i].host_path)) {
					n++;
					ro += mt->read_only;
				}
			}
		w->volumes.v[i].read_only = n && n == ro;
	}
	return 0;
}
