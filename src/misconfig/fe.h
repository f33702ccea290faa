/* fe: what the YAML/JSON front ends (Compose, Kubernetes, ECS, inspect)
 * share: typed reads of json-c nodes that record where each value is, and
 * the entry points of each front end.
 *
 * A value's position is the position of its key in the mapping (what a
 * report should point at); list items point at the item. */
#ifndef HULL_MISCONFIG_FE_H
#define HULL_MISCONFIG_FE_H

#include <json-c/json.h>

#include "misconfig/model.h"
#include "util/yaml.h"

struct fe {
	struct hull_model *m;
	const struct hull_yaml *y;
	const char *file; /* interned */
	/* Compose: string values pass through interpolation (ctx is the
	 * front end's); NULL elsewhere */
	const char *(*interp)(const struct fe *f, const char *s);
	void *ctx;
	/* Kubernetes YAML: kubectl reads it as YAML 1.1, where yes / no / on /
	 * off / y / n are booleans, so the API server gets true and false */
	bool yaml11_bools;
};

struct hull_pos fe_pos(const struct fe *f, const struct json_object *node);
struct hull_pos fe_key_pos(const struct fe *f, const struct json_object *map, const char *key);

/* map[key] of any type, or NULL (also when map is not a mapping). */
struct json_object *fe_get(struct json_object *map, const char *key);
struct json_object *fe_obj(struct json_object *map, const char *key); /* a mapping */
struct json_object *fe_arr(struct json_object *map, const char *key); /* a sequence */
/* A scalar as text (strings as they are; numbers and booleans printed) in
 * the arena, or NULL for a missing key or a collection. */
const char *fe_scalar(const struct fe *f, struct json_object *map, const char *key);
const char *fe_text(const struct fe *f, struct json_object *node);

/* Typed reads that fill a model value with its position when the key is
 * present with a usable type. Booleans also accept the strings "true" and
 * "false" (Compose writes them quoted), and YAML 1.1's words with
 * f->yaml11_bools; integers accept numeric strings. */
bool fe_bool(const struct fe *f, struct json_object *map, const char *key, struct hull_vbool *out);
bool fe_int(const struct fe *f, struct json_object *map, const char *key, struct hull_vint *out);
bool fe_str(const struct fe *f, struct json_object *map, const char *key, struct hull_vstr *out);
/* Appends the strings of a sequence (or one string) to list. */
void fe_strlist(const struct fe *f, struct json_object *node, hull_strlist *list);
/* Appends the items of a string->scalar mapping to list. */
void fe_pairs(const struct fe *f, struct json_object *map, hull_pairlist *list);

/* Sets a workload volume for a host path bind (Compose, docker, ECS). */
void fe_add_bind(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                 const char *host, const char *target, bool read_only, const char *propagation,
                 struct hull_pos pos);

/* Parses docker-style security options ("seccomp=unconfined",
 * "apparmor:unconfined", "label=disable", "label=type:x",
 * "no-new-privileges[:true|=true]") into c. */
void fe_security_opt(const struct fe *f, struct hull_container *c, const char *opt,
                     struct hull_pos pos);

/* Compose networking (fe_compose_net.c): a file's top-level `networks`
 * and `name` into f->m, and one service's network_mode, networks with
 * aliases, links and depends_on into w. Applied file after file. */
void fe_compose_networks(const struct fe *f, struct json_object *doc);
void fe_compose_service_networks(const struct fe *f, struct json_object *svc,
                                 struct hull_workload *w);

/* Kubernetes for reachability (fe_k8s_net.c): the typed views of a
 * Service, Ingress or NetworkPolicy object (o->service ...), and a Pod's
 * status.podIPs / podIP into w->pod_ips. */
void fe_k8s_net_object(const struct fe *f, struct hull_object *o, struct json_object *doc);
void fe_k8s_pod_ips(const struct fe *f, struct hull_workload *w, struct json_object *status);

/* Compose with already parsed streams (takes ownership of ys[0..n)). */
int hull_compose_load_yaml(struct hull_model *m, struct hull_yaml **ys, const char *const *names,
                           size_t n, const char *env, struct hull_err *err);

/* Front ends: each adds workloads (and objects) of one stream to f->m.
 * Errors name the file and position; what is skipped (a list item without
 * a kind, an item that is not an object) is a warning in f->m->warnings
 * naming the file, line and item ("items[3]"). */
int hull_k8s_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err);
/* Like hull_k8s_load_doc for an object whose container says its kind (an
 * AdmissionReview's object, with the request's kind): the object's own
 * kind and apiVersion win; kind and api_version (may be NULL) apply when
 * it has none, as for the items of a typed list. */
int hull_k8s_load_typed(const struct fe *f, struct json_object *doc, const char *kind,
                        const char *api_version, struct hull_err *err);
int hull_ecs_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err);
int hull_inspect_load_doc(const struct fe *f, struct json_object *doc, struct hull_err *err);

#endif
