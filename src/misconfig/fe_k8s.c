/* Kubernetes front end: every document with a kind becomes an object of
 * the model; Pods and the workload kinds (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate)
 * also become workloads whose containers (init and ephemeral included)
 * carry the effective settings: the container securityContext over the
 * pod's, fields over the legacy seccomp / AppArmor annotations.
 *
 * Lists: `List` (kubectl's, items with their own kind) and typed lists as
 * the API server writes them (`PodList`, `NetworkPolicyList`... whose
 * items carry neither kind nor apiVersion: they take the list's). What
 * cannot be classified is a warning naming the file, line and item. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "misconfig/fe.h"

#define MAX_LIST_DEPTH 4

/* The pod spec and the metadata its annotations come from. */
static struct json_object *pod_spec(struct json_object *doc, const char *kind,
                                    struct json_object **meta)
{
	struct json_object *spec = fe_obj(doc, "spec");
	*meta = fe_obj(doc, "metadata");
	if (!strcmp(kind, "Pod"))
		return spec;
	if (!strcmp(kind, "PodTemplate")) {
		struct json_object *t = fe_obj(doc, "template");
		*meta = fe_obj(t, "metadata");
		return fe_obj(t, "spec");
	}
	if (!strcmp(kind, "CronJob"))
		spec = fe_obj(fe_obj(spec, "jobTemplate"), "spec");
	else if (strcmp(kind, "Deployment") && strcmp(kind, "StatefulSet") &&
	         strcmp(kind, "DaemonSet") && strcmp(kind, "ReplicaSet") &&
	         strcmp(kind, "ReplicationController") && strcmp(kind, "Job"))
		return NULL;
	struct json_object *t = fe_obj(spec, "template");
	*meta = fe_obj(t, "metadata");
	return fe_obj(t, "spec");
}

static void profile_from_field(const struct fe *f, struct json_object *sc, const char *key,
                               struct hull_profile *p)
{
	struct json_object *prof = fe_obj(sc, key);
	const char *type = fe_scalar(f, prof, "type");
	if (!type)
		return;
	p->value = type;
	p->pos = fe_key_pos(f, prof, "type");
	if (!strcmp(type, "RuntimeDefault"))
		p->type = HULL_PROFILE_RUNTIME_DEFAULT;
	else if (!strcmp(type, "Localhost"))
		p->type = HULL_PROFILE_LOCALHOST;
	else if (!strcmp(type, "Unconfined"))
		p->type = HULL_PROFILE_UNCONFINED;
	else
		p->type = HULL_PROFILE_INVALID;
}

/* Legacy annotation values: runtime/default, docker/default, localhost/x,
 * unconfined. */
static void profile_from_annotation(const struct fe *f, struct json_object *ann, const char *key,
                                    struct hull_profile *p)
{
	const char *v = fe_scalar(f, ann, key);
	if (!v)
		return;
	p->value = v;
	p->pos = fe_key_pos(f, ann, key);
	if (!strcmp(v, "runtime/default") || !strcmp(v, "docker/default"))
		p->type = HULL_PROFILE_RUNTIME_DEFAULT;
	else if (!strncmp(v, "localhost/", 10))
		p->type = HULL_PROFILE_LOCALHOST;
	else if (!strcmp(v, "unconfined"))
		p->type = HULL_PROFILE_UNCONFINED;
	else
		p->type = HULL_PROFILE_INVALID;
}

/* seccompProfile / appArmorProfile as the Pod Security Standards read it:
 * a mapping without a type has the empty type, which no profile allows. */
static void profile_written(const struct fe *f, struct json_object *sc, const char *key,
                            struct hull_profile *p)
{
	struct json_object *prof = fe_obj(sc, key);
	if (!prof)
		return;
	profile_from_field(f, sc, key, p);
	if (p->type == HULL_PROFILE_UNSET) {
		p->type = HULL_PROFILE_INVALID;
		p->value = "";
		p->pos = fe_key_pos(f, sc, key);
	}
}

/* The securityContext fields the Pod Security Standards judge per level. */
static void sc_written(const struct fe *f, struct json_object *sc, struct hull_k8s_sc *out)
{
	struct json_object *caps = fe_obj(sc, "capabilities");
	fe_int(f, sc, "runAsUser", &out->run_as_user);
	fe_bool(f, sc, "runAsNonRoot", &out->run_as_non_root);
	fe_bool(f, fe_obj(sc, "windowsOptions"), "hostProcess", &out->host_process);
	profile_written(f, sc, "seccompProfile", &out->seccomp);
	profile_written(f, sc, "appArmorProfile", &out->apparmor);
	fe_strlist(f, fe_arr(caps, "add"), &out->cap_add);
	fe_strlist(f, fe_arr(caps, "drop"), &out->cap_drop);
}

static void selinux(const struct fe *f, struct json_object *sc, struct hull_selinux *s)
{
	struct json_object *o = fe_obj(sc, "seLinuxOptions");
	fe_str(f, o, "type", &s->type);
	fe_str(f, o, "user", &s->user);
	fe_str(f, o, "role", &s->role);
	fe_str(f, o, "level", &s->level);
}

struct podctx {
	const struct fe *f;
	struct hull_workload *w;
	struct json_object *spec, *psc, *ann;
	/* pod-level values containers inherit */
	struct hull_vint run_as_user, run_as_group;
	struct hull_vbool non_root, host_process;
};

static void qty(const struct fe *f, struct json_object *map, const char *key, struct hull_vqty *q)
{
	const char *raw = fe_scalar(f, map, key);
	double v = 0;
	if (!raw)
		return;
	bool ok = hull_parse_k8s_quantity(raw, &v);
	hull_model_set_qty(f->m, q, raw, v, ok, fe_key_pos(f, map, key));
}

static void resources(const struct fe *f, struct json_object *c, struct hull_resources *r)
{
	struct json_object *res = fe_obj(c, "resources");
	struct json_object *lim = fe_obj(res, "limits"), *req = fe_obj(res, "requests");
	qty(f, lim, "memory", &r->mem_limit);
	qty(f, lim, "cpu", &r->cpu_limit);
	qty(f, lim, "ephemeral-storage", &r->ephemeral_limit);
	qty(f, req, "memory", &r->mem_request);
	qty(f, req, "cpu", &r->cpu_request);
	qty(f, req, "ephemeral-storage", &r->ephemeral_request);
}

static void probe_host(const struct fe *f, struct json_object *h, struct hull_container *c)
{
	const char *kinds[] = {"httpGet", "tcpSocket"};
	for (size_t i = 0; i < 2; i++) {
		struct json_object *o = fe_obj(h, kinds[i]);
		struct hull_vstr host = {0};
		if (fe_str(f, o, "host", &host)) {
			struct hull_vstr *e = hull_model_push(f->m, &c->probe_hosts);
			if (e)
				*e = host;
		}
	}
}

static void probe(const struct fe *f, struct json_object *cj, const char *key, struct hull_probe *p,
                  struct hull_container *c)
{
	struct json_object *o = fe_obj(cj, key);
	if (!o)
		return;
	p->set = true;
	p->pos = fe_key_pos(f, cj, key);
	static const char *const kinds[] = {"exec", "httpGet", "tcpSocket", "grpc"};
	for (size_t i = 0; i < 4; i++)
		if (fe_get(o, kinds[i]))
			p->kind = kinds[i];
	probe_host(f, o, c);
}

static void ports(const struct fe *f, struct json_object *cj, struct hull_container *c)
{
	struct json_object *arr = fe_arr(cj, "ports");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *pj = json_object_array_get_idx(arr, i);
		struct hull_port *p = hull_model_push(f->m, &c->ports);
		if (!p)
			return;
		struct hull_vint v = {0};
		p->pos = p->item_pos = fe_pos(f, pj);
		if (fe_int(f, pj, "containerPort", &v)) {
			p->container_port = p->container_port_end = v.v;
			p->container_port_pos = v.pos;
		}
		if (fe_int(f, pj, "hostPort", &v)) {
			p->host_port = v.v;
			p->pos = v.pos;
			p->published = v.v != 0;
		}
		p->host_ip = fe_scalar(f, pj, "hostIP");
		p->protocol = fe_scalar(f, pj, "protocol");
		p->name = fe_scalar(f, pj, "name");
	}
}

static void env(const struct fe *f, struct json_object *cj, struct hull_container *c)
{
	struct json_object *arr = fe_arr(cj, "env");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *ej = json_object_array_get_idx(arr, i);
		struct hull_env *e = hull_model_push(f->m, &c->env);
		if (!e)
			return;
		fe_str(f, ej, "name", &e->name);
		e->value = fe_scalar(f, ej, "value");
		e->value_pos = fe_key_pos(f, ej, "value");
		e->from_ref = fe_get(ej, "valueFrom") != NULL;
	}
}

static const struct hull_volume *find_volume(const struct hull_workload *w, const char *name)
{
	for (size_t i = 0; name && i < w->volumes.n; i++)
		if (w->volumes.v[i].name && !strcmp(w->volumes.v[i].name, name))
			return &w->volumes.v[i];
	return NULL;
}

static void mounts(const struct fe *f, struct hull_workload *w, struct json_object *cj,
                   struct hull_container *c)
{
	struct json_object *arr = fe_arr(cj, "volumeMounts");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *mj = json_object_array_get_idx(arr, i);
		struct hull_mount *mt = hull_model_push(f->m, &c->mounts);
		if (!mt)
			return;
		const char *name = fe_scalar(f, mj, "name");
		const struct hull_volume *v = find_volume(w, name);
		struct hull_vbool ro = {0};
		fe_bool(f, mj, "readOnly", &ro);
		mt->read_only = ro.v == HULL_TRUE;
		mt->target = fe_scalar(f, mj, "mountPath");
		mt->propagation = fe_scalar(f, mj, "mountPropagation");
		mt->pos = fe_pos(f, mj);
		mt->kind = v && v->host_path ? HULL_MOUNT_BIND : HULL_MOUNT_VOLUME;
		mt->source = v && v->host_path ? v->host_path : name;
	}
}

/* A hostPath volume counts as read-only when every mount of it is. */
static void volume_modes(struct hull_workload *w)
{
	for (size_t i = 0; i < w->volumes.n; i++) {
		struct hull_volume *v = &w->volumes.v[i];
		size_t n = 0, ro = 0;
		for (size_t k = 0; k < w->containers.n; k++) {
			const struct hull_container *c = &w->containers.v[k];
			for (size_t j = 0; j < c->mounts.n; j++) {
				if (c->mounts.v[j].kind != HULL_MOUNT_BIND || !v->host_path ||
				    !c->mounts.v[j].source ||
				    strcmp(c->mounts.v[j].source, v->host_path))
					continue;
				n++;
				ro += c->mounts.v[j].read_only;
			}
		}
		v->read_only = n && n == ro;
	}
}

static void volumes(const struct fe *f, struct hull_workload *w, struct json_object *spec)
{
	struct json_object *arr = fe_arr(spec, "volumes");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *vj = json_object_array_get_idx(arr, i);
		struct hull_volume *v = hull_model_push(f->m, &w->volumes);
		if (!v)
			return;
		v->name = fe_scalar(f, vj, "name");
		v->pos = fe_pos(f, vj);
		/* the volume source is the one other key; none means emptyDir
		 * (the API server's default) */
		v->type = "emptyDir";
		if (json_object_is_type(vj, json_type_object)) {
			json_object_object_foreach(vj, k, val)
			{
				(void)val;
				if (!strcmp(k, "name"))
					continue;
				v->type = hull_model_strdup(f->m, k);
				v->type_pos = fe_key_pos(f, vj, k);
			}
		}
		struct json_object *hp = fe_obj(vj, "hostPath");
		if (hp) {
			v->type = "hostPath";
			v->type_pos = fe_key_pos(f, vj, "hostPath");
			v->host_path = fe_scalar(f, hp, "path");
			if (!v->host_path)
				v->host_path = "";
		}
	}
}

/* The effective user: the container's own values over the pod's (c->sc
 * is read before). */
static void user(struct podctx *pc, struct json_object *sc, struct hull_container *c)
{
	const struct fe *f = pc->f;
	struct hull_vint uid = pc->run_as_user, gid = pc->run_as_group;
	const char *origin = "pod securityContext.runAsUser";
	if (c->sc.run_as_user.set) {
		uid = c->sc.run_as_user;
		origin = "container securityContext.runAsUser";
	}
	fe_int(f, sc, "runAsGroup", &gid);
	if (uid.set) {
		c->user.spec.v = hull_model_printf(f->m, "%lld", (long long)uid.v);
		c->user.spec.pos = uid.pos;
		c->user.uid_known = true;
		c->user.uid = uid.v;
		c->user.origin = origin;
	}
	if (gid.set) {
		c->user.group = gid;
		c->user.gid_known = true;
		c->user.gid = gid.v;
	}
	c->user.non_root = c->sc.run_as_non_root.v ? c->sc.run_as_non_root : pc->non_root;
}

static void security(struct podctx *pc, struct json_object *cj, struct hull_container *c)
{
	const struct fe *f = pc->f;
	struct json_object *sc = fe_obj(cj, "securityContext");
	sc_written(f, sc, &c->sc);
	user(pc, sc, c);
	fe_bool(f, sc, "privileged", &c->privileged);
	fe_bool(f, sc, "allowPrivilegeEscalation", &c->allow_priv_esc);
	fe_bool(f, sc, "readOnlyRootFilesystem", &c->read_only_root);
	fe_str(f, sc, "procMount", &c->proc_mount);
	c->host_process = c->sc.host_process.v ? c->sc.host_process : pc->host_process;
	for (size_t i = 0; i < c->sc.cap_add.n; i++)
		hull_model_add_cap(f->m, &c->cap_add, c->sc.cap_add.v[i].v, c->sc.cap_add.v[i].pos);
	for (size_t i = 0; i < c->sc.cap_drop.n; i++)
		hull_model_add_cap(f->m, &c->cap_drop, c->sc.cap_drop.v[i].v,
		                   c->sc.cap_drop.v[i].pos);
	/* seccomp: container field > container annotation > pod field > pod
	 * annotation (set on the pod before containers are read) */
	c->seccomp = pc->w->pod_seccomp;
	char key[320];
	snprintf(key, sizeof(key), "container.seccomp.security.alpha.kubernetes.io/%s",
	         c->name ? c->name : "");
	profile_from_annotation(f, pc->ann, key, &c->seccomp);
	profile_from_field(f, sc, "seccompProfile", &c->seccomp);
	c->apparmor = pc->w->pod_apparmor;
	snprintf(key, sizeof(key), "container.apparmor.security.beta.kubernetes.io/%s",
	         c->name ? c->name : "");
	profile_from_annotation(f, pc->ann, key, &c->apparmor);
	profile_from_field(f, sc, "appArmorProfile", &c->apparmor);
	selinux(f, sc, &c->selinux);
}

static void container(struct podctx *pc, struct json_object *cj, enum hull_ctr_role role)
{
	const struct fe *f = pc->f;
	struct hull_container *c =
	    hull_model_add_container(f->m, pc->w, fe_scalar(f, cj, "name"), fe_pos(f, cj));
	if (!c)
		return;
	c->role = role;
	const char *image = fe_scalar(f, cj, "image");
	if (image)
		hull_model_set_image(f->m, c, image, fe_key_pos(f, cj, "image"));
	fe_str(f, cj, "imagePullPolicy", &c->pull_policy);
	security(pc, cj, c);
	resources(f, cj, &c->res);
	ports(f, cj, c);
	env(f, cj, c);
	mounts(f, pc->w, cj, c);
	probe(f, cj, "livenessProbe", &c->liveness, c);
	probe(f, cj, "readinessProbe", &c->readiness, c);
	probe(f, cj, "startupProbe", &c->startup, c);
	struct json_object *lc = fe_obj(cj, "lifecycle");
	probe_host(f, fe_obj(lc, "postStart"), c);
	probe_host(f, fe_obj(lc, "preStop"), c);
	fe_bool(f, cj, "stdin", &c->stdin_open);
	fe_bool(f, cj, "tty", &c->tty);
	fe_strlist(f, fe_arr(cj, "command"), &c->command);
	fe_strlist(f, fe_arr(cj, "args"), &c->command);
}

static void pod_security(struct podctx *pc)
{
	const struct fe *f = pc->f;
	struct hull_workload *w = pc->w;
	struct json_object *psc = pc->psc;
	sc_written(f, psc, &w->pod_sc);
	pc->run_as_user = w->pod_sc.run_as_user;
	pc->non_root = w->pod_sc.run_as_non_root;
	pc->host_process = w->pod_sc.host_process;
	fe_int(f, psc, "runAsGroup", &pc->run_as_group);
	w->pod_run_as_group = pc->run_as_group;
	fe_int(f, psc, "fsGroup", &w->fs_group);
	struct json_object *sg = fe_arr(psc, "supplementalGroups");
	for (size_t i = 0; sg && i < json_object_array_length(sg); i++) {
		struct json_object *g = json_object_array_get_idx(sg, i);
		if (!json_object_is_type(g, json_type_int))
			continue;
		struct hull_vint *e = hull_model_push(f->m, &w->supplemental_groups);
		if (e) {
			e->set = true;
			e->v = json_object_get_int64(g);
			e->pos = fe_pos(f, g);
		}
	}
	profile_from_annotation(
	    f, pc->ann, "seccomp.security.alpha.kubernetes.io/defaultProfileName", &w->pod_seccomp);
	profile_from_annotation(f, pc->ann, "seccomp.security.alpha.kubernetes.io/pod",
	                        &w->pod_seccomp);
	profile_from_field(f, psc, "seccompProfile", &w->pod_seccomp);
	profile_from_field(f, psc, "appArmorProfile", &w->pod_apparmor);
	selinux(f, psc, &w->pod_selinux);
	struct json_object *sys = fe_arr(psc, "sysctls");
	for (size_t i = 0; sys && i < json_object_array_length(sys); i++) {
		struct json_object *s = json_object_array_get_idx(sys, i);
		struct hull_pair *p = hull_model_push(f->m, &w->sysctls);
		if (p) {
			p->key = fe_scalar(f, s, "name");
			p->value = fe_scalar(f, s, "value");
			p->pos = fe_pos(f, s);
		}
	}
}

static void pod(const struct fe *f, struct hull_workload *w, struct json_object *spec,
                struct json_object *meta)
{
	struct podctx pc = {.f = f,
	                    .w = w,
	                    .spec = spec,
	                    .psc = fe_obj(spec, "securityContext"),
	                    .ann = fe_obj(meta, "annotations")};
	fe_bool(f, spec, "hostNetwork", &w->host_network);
	fe_bool(f, spec, "hostPID", &w->host_pid);
	fe_bool(f, spec, "hostIPC", &w->host_ipc);
	fe_bool(f, spec, "hostUsers", &w->host_users);
	fe_bool(f, spec, "automountServiceAccountToken", &w->automount_token);
	if (!fe_str(f, spec, "serviceAccountName", &w->service_account))
		fe_str(f, spec, "serviceAccount", &w->service_account);
	fe_str(f, fe_obj(spec, "os"), "name", &w->os_name);
	fe_str(f, spec, "restartPolicy", &w->restart_policy);
	struct json_object *ha = fe_arr(spec, "hostAliases");
	for (size_t i = 0; ha && i < json_object_array_length(ha); i++) {
		struct json_object *h = json_object_array_get_idx(ha, i);
		struct hull_vstr *e = hull_model_push(f->m, &w->host_aliases);
		if (e) {
			e->v = fe_scalar(f, h, "ip");
			e->pos = fe_pos(f, h);
		}
	}
	fe_pairs(f, fe_obj(meta, "annotations"), &w->annotations);
	fe_pairs(f, fe_obj(meta, "labels"), &w->pod_labels);
	pod_security(&pc);
	volumes(f, w, spec);
	static const struct {
		const char *key;
		enum hull_ctr_role role;
	} lists[] = {{"initContainers", HULL_CTR_INIT},
	             {"containers", HULL_CTR_MAIN},
	             {"ephemeralContainers", HULL_CTR_EPHEMERAL}};
	for (size_t l = 0; l < 3; l++) {
		struct json_object *arr = fe_arr(spec, lists[l].key);
		for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
			container(&pc, json_object_array_get_idx(arr, i), lists[l].role);
	}
	volume_modes(w);
}

/* What the container of an object says about it: a typed list gives its
 * items their kind and apiVersion (the API server writes the items of a
 * PodList without either), an AdmissionReview's request gives its object
 * one. `path` names the object in messages ("items[3]"; "" at the top). */
struct k8s_ctx {
	const char *kind, *api_version;
	const char *path;
	int depth;
};

static void warn_at(const struct fe *f, struct json_object *node, const char *path,
                    const char *what)
{
	struct hull_pos p = fe_pos(f, node);
	char line[32] = "";
	if (p.line)
		snprintf(line, sizeof(line), " line %u:", p.line);
	hull_model_warn(f->m, "%s:%s%s%s%s %s", f->file, line, *path ? " " : "", path,
	                *path ? ":" : "", what);
}

static int object(const struct fe *f, struct json_object *doc, const struct k8s_ctx *ctx,
                  struct hull_err *err);

/* "PodList" -> "Pod"; NULL for the untyped "List", whose items say their
 * own kind. */
static const char *item_kind(const struct fe *f, const char *list_kind)
{
	size_t n = strlen(list_kind);
	return n > 4 ? hull_model_strndup(f->m, list_kind, n - 4) : NULL;
}

static int list(const struct fe *f, struct json_object *doc, const char *kind,
                const struct k8s_ctx *ctx, struct hull_err *err)
{
	struct json_object *items = fe_arr(doc, "items");
	if (ctx->depth >= MAX_LIST_DEPTH) {
		struct hull_pos p = fe_pos(f, doc);
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: line %u: Lists nested too deep",
		                    f->file, p.line);
	}
	if (!items && fe_get(doc, "items")) {
		warn_at(f, doc, ctx->path, "items is not a sequence: skipped");
		return 0;
	}
	struct k8s_ctx in = {.kind = item_kind(f, kind),
	                     .api_version = fe_scalar(f, doc, "apiVersion"),
	                     .depth = ctx->depth + 1};
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s%sitems[%zu]", ctx->path, *ctx->path ? "." : "", i);
		in.path = path;
		if (object(f, json_object_array_get_idx(items, i), &in, err) < 0)
			return -1;
	}
	return 0;
}

static int object(const struct fe *f, struct json_object *doc, const struct k8s_ctx *ctx,
                  struct hull_err *err)
{
	if (!doc)
		return 0; /* an empty document */
	if (!json_object_is_type(doc, json_type_object)) {
		struct hull_pos p = fe_pos(f, doc);
		if (*ctx->path) {
			/* one bad item does not make the rest of a list unusable */
			warn_at(f, doc, ctx->path, "not an object: skipped");
			return 0;
		}
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: line %u, column %u: a Kubernetes object must be a mapping",
		                    f->file, p.line, p.col);
	}
	const char *kind = fe_scalar(f, doc, "kind");
	const char *api_version = fe_scalar(f, doc, "apiVersion");
	if (!kind || !*kind) {
		kind = ctx->kind;
		if (!api_version)
			api_version = ctx->api_version;
	}
	if (!kind || !*kind) {
		warn_at(f, doc, ctx->path, "no kind: skipped");
		return 0;
	}
	size_t klen = strlen(kind);
	if (klen >= 4 && !strcmp(kind + klen - 4, "List"))
		return list(f, doc, kind, ctx, err);
	struct json_object *meta = fe_obj(doc, "metadata");
	struct hull_object *o = hull_model_push(f->m, &f->m->objects);
	if (!o)
		return 0;
	o->kind = kind;
	o->api_version = api_version;
	o->name = fe_scalar(f, meta, "name");
	o->namespace = fe_scalar(f, meta, "namespace");
	fe_pairs(f, fe_obj(meta, "labels"), &o->labels);
	o->obj = doc;
	o->yaml = f->y;
	o->pos = fe_pos(f, doc);
	fe_k8s_net_object(f, o, doc);

	struct json_object *pmeta;
	struct json_object *spec = pod_spec(doc, kind, &pmeta);
	if (!spec)
		return 0;
	struct hull_workload *w = hull_model_add_workload(f->m, HULL_INPUT_K8S, kind, o->name,
	                                                  fe_key_pos(f, doc, "kind"));
	if (!w)
		return 0;
	o->is_workload = true;
	o->workload = f->m->workloads.n - 1;
	w->namespace = o->namespace;
	w->api_version = o->api_version;
	w->labels = o->labels;
	if (!strcmp(kind, "Pod"))
		fe_k8s_pod_ips(f, w, fe_obj(doc, "status"));
	/* a Pod's own annotations are its metadata's; a template's come from
	 * the template */
	pod(f, w, spec, pmeta);
	return 0;
}

int hull_k8s_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err)
{
	return object(f, doc, &(struct k8s_ctx){.path = ""}, err);
}

int hull_k8s_load_typed(const struct fe *f, struct json_object *doc, const char *kind,
                        const char *api_version, struct hull_err *err)
{
	return object(f, doc,
	              &(struct k8s_ctx){.kind = kind, .api_version = api_version, .path = ""}, err);
}
