/* Running containers from the Docker Engine API (docker, or podman's
 * compatible service) through the engine client (src/engine); each
 * container's /containers/{id}/json goes through the inspect front end of
 * hull config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/runtime.h"
#include "misconfig/load.h"
#include "util/json.h"

static void summary(struct hull_model *m, size_t w0, struct json_object *doc,
                    struct hull_rt_list *l)
{
	if (m->workloads.n <= w0)
		return;
	const struct hull_workload *w = &m->workloads.v[m->workloads.n - 1];
	const struct hull_container *c = w->containers.n ? &w->containers.v[0] : NULL;
	struct hull_rt_container rc = {0};
	const char *id = hull_json_get_str(doc, "Id");
	snprintf(rc.id, sizeof(rc.id), "%s", id ? id : "?");
	snprintf(rc.name, sizeof(rc.name), "%s", w->name ? w->name : "?");
	snprintf(rc.source, sizeof(rc.source), "engine");
	snprintf(rc.runtime, sizeof(rc.runtime), "engine");
	int64_t pid = 0;
	hull_json_get_int(hull_json_get_obj(doc, "State"), "Pid", &pid);
	rc.pid = (int)pid;
	snprintf(rc.comm, sizeof(rc.comm), "-");
	rc.uid = c && c->user.uid_known ? c->user.uid : c && !c->user.spec.v ? 0 : -1;
	rc.gid = c && c->user.gid_known ? c->user.gid : -1;
	rc.no_new_privs = c && c->allow_priv_esc.v == HULL_FALSE ? 1 : 0;
	rc.seccomp = c && c->seccomp.type == HULL_PROFILE_UNCONFINED ? 0 : 2;
	snprintf(rc.capeff, sizeof(rc.capeff), "%s",
	         c && c->privileged.v == HULL_TRUE ? "ALL (privileged)" : "default");
	for (size_t i = 0; c && i < c->cap_add.n; i++) {
		size_t n = strlen(rc.capeff);
		snprintf(rc.capeff + n, sizeof(rc.capeff) - n, ",+%s", c->cap_add.v[i].v);
		if (!strcmp(c->cap_add.v[i].v, "SYS_ADMIN") || !strcmp(c->cap_add.v[i].v, "ALL"))
			rc.cap_sys_admin = true;
	}
	if (c && c->privileged.v == HULL_TRUE)
		rc.cap_sys_admin = true;
	const struct hull_vqty *q[3] = {c ? &c->res.mem_limit : NULL, c ? &c->res.cpu_limit : NULL,
	                                c ? &c->res.pids_limit : NULL};
	char *outs[3] = {rc.memory, rc.cpu, rc.pids};
	for (int i = 0; i < 3; i++) {
		if (!q[i] || !q[i]->set || q[i]->v <= 0)
			snprintf(outs[i], 32, "max");
		else if (i == 0)
			snprintf(outs[i], 32, "%.0f MiB", q[i]->v / 1048576.0);
		else
			snprintf(outs[i], 32, "%g", q[i]->v);
	}
	const struct hull_vbool *ns[] = {&w->host_network, &w->host_pid, &w->host_ipc,
	                                 &w->host_uts};
	const char *names[] = {"net", "pid", "ipc", "uts"};
	for (int i = 0; i < 4; i++) {
		if (ns[i]->v != HULL_TRUE)
			continue;
		size_t n = strlen(rc.host_ns);
		snprintf(rc.host_ns + n, sizeof(rc.host_ns) - n, "%s%s", n ? "," : "", names[i]);
	}
	snprintf(rc.image, sizeof(rc.image), "%s", c && c->image.v ? c->image.v : "");
	struct hull_rt_container *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return;
	l->v = nv;
	l->v[l->n++] = rc;
}

struct walk {
	struct hull_model *m;
	struct hull_rt_list *l;
};

static int one(void *ctx, const char *id, struct hull_str inspect, const char *name,
               struct hull_err *err)
{
	struct walk *w = ctx;
	size_t w0 = w->m->workloads.n;
	enum hull_config_kind kind;
	(void)id;
	if (hull_config_load(w->m, inspect.ptr, inspect.len, name, HULL_CONFIG_INSPECT, NULL, &kind,
	                     err) < 0)
		return -1;
	struct json_object *doc = NULL;
	struct hull_err jerr = {0};
	if (hull_json_parse(inspect.ptr, inspect.len, name, &doc, &jerr) == 0) {
		summary(w->m, w0, doc, w->l);
		json_object_put(doc);
	}
	return 0;
}

int hull_runtime_engine(struct hull_engine *e, struct hull_model *m, struct hull_rt_list *l,
                        struct hull_err *err)
{
	struct walk w = {m, l};
	return hull_engine_each_container(e, one, &w, NULL, err);
}
