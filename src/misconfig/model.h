/* model: the one workload model every misconfiguration rule is written
 * against.
 *
 * Front ends (Dockerfile, image config, Compose, Kubernetes, ECS, docker /
 * podman inspect, and later the live engine API and the admission webhook)
 * fill a struct hull_model; the rule engine (rules.h) reads it and never
 * looks at the input syntax. A model holds workloads (a pod, a compose
 * service, an ECS task, a running container, a Dockerfile's final stage),
 * each with its containers, and every value keeps the file, line and column
 * it came from, so a finding points at the setting that caused it (or, for
 * a missing setting, at the object that lacks it).
 *
 * Values: a `struct hull_vbool` / `hull_vstr` / `hull_vint` / `hull_vqty` is
 * "unset" until a front end sets it; rules distinguish unset (the runtime's
 * default applies) from an explicit value. Effective values are resolved by
 * the front end (a container inherits the pod securityContext, a Dockerfile
 * stage inherits its parent stage's USER), and the position says which level
 * set them.
 *
 * Ownership and memory: everything reachable from a model (strings, arrays,
 * positions' file names) lives in the model's arena and is freed at once by
 * hull_model_free. Borrowed inputs (YAML documents) are owned by the model
 * once handed over with hull_model_keep_yaml.
 *
 * Errors while filling: allocation failures and limit overflows are sticky
 * (hull_model_failed); builders then return NULL or do nothing, so a front
 * end checks once at the end instead of after every call. */
#ifndef HULL_MISCONFIG_MODEL_H
#define HULL_MISCONFIG_MODEL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/err.h"
#include "util/yaml.h"

/* Hard caps (hostile input): exceeding one is a sticky HULL_ERR_LIMIT. */
#define HULL_MODEL_MAX_WORKLOADS  200000u
#define HULL_MODEL_MAX_CONTAINERS 1000u        /* per workload */
#define HULL_MODEL_MAX_ITEMS      20000u       /* per list (env, ports, mounts ...) */
#define HULL_MODEL_MAX_BYTES      (512u << 20) /* arena total */

/* Where a model came from: decides which rules apply (a Dockerfile cannot
 * set memory limits, so "no memory limit" is not reported for one). */
enum hull_input {
	HULL_INPUT_DOCKERFILE = 0,
	HULL_INPUT_IMAGE,
	HULL_INPUT_COMPOSE,
	HULL_INPUT_K8S,
	HULL_INPUT_ECS,
	HULL_INPUT_RUNTIME, /* docker / podman inspect, the engine API */
	HULL_INPUT__COUNT
};
#define HULL_INPUT_BIT(i) (1u << (i))

/* "dockerfile", "image", "compose", "kubernetes", "ecs", "runtime" */
const char *hull_input_name(enum hull_input in);

struct hull_pos {
	const char *file; /* interned in the model; NULL when unknown */
	unsigned line, col;
};

enum hull_tri { HULL_UNSET = 0, HULL_FALSE, HULL_TRUE };

struct hull_vbool {
	enum hull_tri v;
	struct hull_pos pos;
};
struct hull_vstr {
	const char *v; /* NULL: unset */
	struct hull_pos pos;
};
struct hull_vint {
	bool set;
	int64_t v;
	struct hull_pos pos;
};
/* A quantity: memory in bytes, CPU in cores, pids as a count. `raw` is the
 * text as written ("512Mi", "0.5", "2g"); `valid` is false when it did not
 * parse (the rules then treat it as set but say so). A value <= 0 for a limit
 * means "unlimited" in Docker and is reported like a missing limit. */
struct hull_vqty {
	bool set, valid;
	double v;
	const char *raw;
	struct hull_pos pos;
};

struct hull_pair {
	const char *key, *value;
	struct hull_pos pos; /* of the key */
};

#define HULL_LIST(type)                                                                            \
	struct {                                                                                   \
		type *v;                                                                           \
		size_t n, cap;                                                                     \
	}

typedef HULL_LIST(struct hull_vstr) hull_strlist;
typedef HULL_LIST(struct hull_pair) hull_pairlist;

/* The user a container runs as, and where that came from. */
struct hull_user {
	struct hull_vstr spec;     /* as written: "root", "1000", "app:app", "0:0" */
	bool uid_known, gid_known; /* numeric or "root" */
	int64_t uid, gid;
	/* Human words for the level that set it: "USER instruction",
	 * "container securityContext.runAsUser", "compose user", ... NULL when
	 * nothing in the chain sets a user (the image default applies). */
	const char *origin;
	struct hull_vint group;     /* runAsGroup / the group part of spec */
	struct hull_vbool non_root; /* Kubernetes runAsNonRoot (effective) */
};

enum hull_profile_type {
	HULL_PROFILE_UNSET = 0,
	HULL_PROFILE_RUNTIME_DEFAULT,
	HULL_PROFILE_LOCALHOST,  /* a named profile on the node / a file */
	HULL_PROFILE_UNCONFINED, /* disabled */
	HULL_PROFILE_INVALID,    /* a value the runtime does not know */
};

/* seccomp or AppArmor: type plus the profile name or file. */
struct hull_profile {
	enum hull_profile_type type;
	const char *value; /* raw value as written */
	struct hull_pos pos;
};

/* A Kubernetes securityContext as written at one level, before the
 * container inherits the pod's values: the Pod Security Standards judge
 * each level on its own (a pod-level runAsNonRoot: false fails Restricted
 * even when every container sets true) and compare values exactly as
 * written. Filled by the Kubernetes front end only. */
struct hull_k8s_sc {
	struct hull_vint run_as_user;
	struct hull_vbool run_as_non_root;
	struct hull_vbool host_process; /* windowsOptions.hostProcess */
	/* seccompProfile / appArmorProfile: type UNSET when the mapping is
	 * absent; a mapping without a type is INVALID with value "" */
	struct hull_profile seccomp, apparmor;
	hull_strlist cap_add, cap_drop; /* capabilities as written: no case folding */
};

struct hull_selinux {
	struct hull_vstr type, user, role, level;
	struct hull_vbool disabled; /* docker `label=disable` / `label:disable` */
};

enum hull_ctr_role { HULL_CTR_MAIN = 0, HULL_CTR_INIT, HULL_CTR_EPHEMERAL };

struct hull_port {
	int64_t container_port;     /* 0 unknown */
	int64_t container_port_end; /* ranges: last port; == container_port otherwise */
	int64_t host_port;          /* 0: not published on the host; -1: not a number */
	const char *host_raw;       /* the host port as written when it is not a number */
	const char *host_ip;        /* NULL or "" means every interface */
	const char *protocol;       /* "tcp" (default), "udp", "sctp" */
	const char *name;           /* Kubernetes port name */
	bool published;             /* a host port or a publish-all mapping */
	bool exposed_only;          /* EXPOSE / image config: documentation only */
	struct hull_pos pos;
	/* Kubernetes: the list item and its containerPort (pos is the
	 * hostPort's when one is set) */
	struct hull_pos item_pos, container_port_pos;
};

enum hull_mount_kind {
	HULL_MOUNT_BIND = 0, /* a host path */
	HULL_MOUNT_VOLUME,   /* a named volume / PVC / emptyDir ... */
	HULL_MOUNT_TMPFS,
	HULL_MOUNT_OTHER,
};

struct hull_mount {
	enum hull_mount_kind kind;
	const char *source;      /* host path for binds, volume name otherwise */
	const char *target;      /* path in the container */
	const char *propagation; /* "shared", "rshared", "slave" ... or NULL */
	bool read_only;
	struct hull_pos pos;
};

/* A volume declared at the workload level (Kubernetes spec.volumes, ECS
 * volumes, and every host path a compose service or container binds). */
struct hull_volume {
	const char *name;
	const char *type;      /* "hostPath", "emptyDir", "bind", "scaleIO" ... */
	const char *host_path; /* set for host paths */
	bool read_only;        /* every mount of it is read-only */
	struct hull_pos pos;
	struct hull_pos type_pos;
};

struct hull_env {
	struct hull_vstr name;
	const char *value; /* NULL when taken from elsewhere (valueFrom, secrets) */
	bool from_ref;     /* valueFrom / secrets / a file: not a literal */
	bool build_arg;    /* Dockerfile ARG (not ENV) */
	struct hull_pos value_pos;
};

struct hull_probe {
	bool set;
	bool disabled;      /* HEALTHCHECK NONE, healthcheck.disable: true */
	const char *kind;   /* "exec", "httpGet", "tcpSocket", "grpc", "cmd" */
	const char *detail; /* command or path:port, for "identical probes" */
	struct hull_pos pos;
};

struct hull_resources {
	struct hull_vqty mem_limit, mem_request, cpu_limit, cpu_request, pids_limit;
	struct hull_vqty ephemeral_limit, ephemeral_request;
	struct hull_vqty cpu_shares; /* docker/compose cpu_shares (relative weight) */
};

struct hull_container {
	const char *name;
	enum hull_ctr_role role;
	struct hull_pos pos; /* where the container is defined */

	struct hull_vstr image;
	const char *image_repo, *image_tag, *image_digest; /* parsed from image.v */
	bool image_built; /* Compose `build:`: the image is built here, not pulled */
	struct hull_vstr pull_policy;

	struct hull_user user;
	struct hull_vbool privileged;
	struct hull_vbool allow_priv_esc; /* FALSE = no-new-privileges */
	hull_strlist cap_add, cap_drop;   /* upper case, no "CAP_" prefix; "ALL" */
	struct hull_k8s_sc sc;            /* Kubernetes: its own securityContext */
	struct hull_vbool read_only_root;
	struct hull_profile seccomp, apparmor;
	struct hull_selinux selinux;
	struct hull_vstr proc_mount;
	struct hull_vbool host_process; /* Windows hostProcess */

	struct hull_resources res;
	HULL_LIST(struct hull_port) ports;
	HULL_LIST(struct hull_mount) mounts;
	HULL_LIST(struct hull_env) env;
	hull_strlist devices;     /* host devices passed through */
	hull_strlist probe_hosts; /* probes' and lifecycle hooks' host fields */
	struct hull_probe liveness, readiness, startup, healthcheck;
	struct hull_vbool stdin_open, tty;
	hull_strlist command; /* entrypoint + command/args, as far as known */
};

/* Dockerfile: the parsed build, kept for the build-only rules. */
struct hull_instr {
	const char *cmd;       /* upper case keyword: "RUN", "FROM" ... */
	const char *args;      /* text after the keyword, continuations joined */
	hull_strlist argv;     /* JSON form, or whitespace-split words (quotes kept) */
	hull_pairlist flags;   /* --from=x, --chown=..., --mount=... */
	hull_strlist heredocs; /* bodies of <<EOF documents, in order */
	bool json_form;
	size_t stage; /* index into stages */
	struct hull_pos pos;
};

struct hull_stage {
	const char *base;  /* FROM image after ARG expansion */
	const char *alias; /* AS name, or NULL */
	const char *platform;
	size_t first, count; /* instructions of this stage (FROM included) */
	long parent;         /* stage index when FROM names an earlier stage, else -1 */
	struct hull_pos pos;
};

struct hull_build {
	HULL_LIST(struct hull_instr) instrs;
	HULL_LIST(struct hull_stage) stages;
	const char *escape; /* "\\" or "`" */
};

/* ---- reachability: what hull network reads (the rules do not) ---- */

/* A network a Compose service joins (`networks:`, list or mapping). */
struct hull_net_attach {
	const char *network; /* its key in the project's networks */
	hull_strlist aliases;
	struct hull_pos pos;
};

/* A top-level Compose network; a later file's keys over an earlier's. */
struct hull_compose_network {
	const char *key;
	const char *name;   /* name: (or external: {name: x}) where last defined; NULL */
	const char *driver; /* NULL: bridge */
	const char *icc;    /* driver_opts com.docker.network.bridge.enable_icc, as written */
	struct hull_vbool external, internal;
	struct hull_pos pos; /* the key where first defined */
};

/* Kubernetes objects hull network reads, typed but as written: a value
 * of the wrong type stays visible (NULL strings, `is_map` false, a port's
 * type), so reachability can tell what the API server would refuse.
 * Every position is the value's or the list item's. */

/* A matchExpressions entry. */
struct hull_k8s_req {
	const char *key, *op; /* NULL: absent or not a scalar */
	hull_strlist values;  /* when `values` is a sequence; v NULL: not a scalar */
	struct hull_pos pos;
};

/* A LabelSelector; unset (absent or null) selects everything. */
struct hull_k8s_selector {
	bool set, is_map;
	hull_pairlist match_labels; /* when a mapping; value NULL: null or not a scalar */
	HULL_LIST(struct hull_k8s_req) match_expressions; /* when a sequence */
	struct hull_pos pos;
};

/* A NetworkPolicy peer (from / to item). */
struct hull_k8s_peer {
	bool is_map;
	struct hull_k8s_selector pod, ns; /* podSelector, namespaceSelector */
	bool ip_block;                    /* ipBlock set (not null) */
	const char *cidr;                 /* NULL: absent or not a scalar */
	hull_strlist except;              /* v NULL: not a scalar */
	struct hull_pos pos, ip_block_pos;
};

enum hull_k8s_value { HULL_VAL_ABSENT = 0, HULL_VAL_INT, HULL_VAL_STRING, HULL_VAL_OTHER };

/* A NetworkPolicy port (ports item). */
struct hull_k8s_np_port {
	const char *protocol; /* NULL: absent */
	enum hull_k8s_value port_type, end_type;
	int64_t port, end_port; /* HULL_VAL_INT */
	const char *port_name;  /* HULL_VAL_STRING */
	struct hull_pos pos, port_pos, end_pos;
};

/* An ingress or egress rule; a null item is a rule with no peers and no
 * ports, an item of another type is `bad_type`. */
struct hull_k8s_np_rule {
	bool bad_type;
	HULL_LIST(struct hull_k8s_peer) peers; /* from (ingress) / to (egress) */
	HULL_LIST(struct hull_k8s_np_port) ports;
	struct hull_pos pos;
};

struct hull_k8s_netpol {
	struct hull_k8s_selector pod_selector;
	hull_strlist policy_types; /* v NULL: not a scalar */
	HULL_LIST(struct hull_k8s_np_rule) ingress, egress;
	bool has_egress; /* egress is a non-empty sequence */
};

/* A Service port; numbers are kept when written as integers. */
struct hull_k8s_svc_port {
	const char *name, *protocol;
	enum hull_k8s_value port_type, node_port_type, target_type;
	int64_t port, node_port, target_port;
	const char *target_name; /* a named targetPort */
};

struct hull_k8s_service {
	const char *type; /* NULL: ClusterIP */
	hull_pairlist selector;
	HULL_LIST(struct hull_k8s_svc_port) ports;
	hull_strlist external_ips; /* scalars of externalIPs */
	const char *load_balancer_ip;
};

/* An Ingress backend (networking.k8s.io/v1 service, or v1beta1
 * serviceName / servicePort), with the rule's host and path. */
struct hull_k8s_backend {
	const char *service, *port_name, *host, *path;
	enum hull_k8s_value port_type;
	int64_t port;
};

struct hull_k8s_ingress {
	HULL_LIST(struct hull_k8s_backend) backends; /* the default backend first */
};

/* A Kubernetes object as written (every document with a kind, workloads
 * included), for the rules about ConfigMaps, Ingresses, NetworkPolicies,
 * Services, RBAC and API versions, and for other consumers (reachability).
 * `obj` is borrowed from a YAML stream the model keeps
 * (hull_model_keep_yaml). */
struct hull_object {
	const char *kind, *api_version, *name, *namespace;
	hull_pairlist labels;
	struct json_object *obj;
	const struct hull_yaml *yaml;
	struct hull_pos pos;
	/* the workload it makes (is_workload), and the typed views of
	 * Services, Ingresses and NetworkPolicies (NULL for other kinds) */
	bool is_workload;
	size_t workload;
	struct hull_k8s_service *service;
	struct hull_k8s_ingress *ingress;
	struct hull_k8s_netpol *netpol;
};

struct hull_workload {
	enum hull_input input;
	const char
	    *kind; /* "Deployment", "Pod", "service", "task", "container", "Dockerfile", "image" */
	const char *name;
	const char *namespace; /* Kubernetes; NULL elsewhere */
	const char *api_version;
	hull_pairlist labels, annotations;
	/* Kubernetes: the labels of the pods it makes (the template's; a Pod's
	 * own), which Service selectors match. */
	hull_pairlist pod_labels;
	/* Kubernetes Pods: status.podIPs then status.podIP, as written */
	hull_strlist pod_ips;
	struct hull_pos pos;

	struct hull_vbool host_network, host_pid, host_ipc, host_uts;
	struct hull_vbool host_users; /* FALSE: a user namespace (hostUsers: false) */
	struct hull_vbool automount_token;
	struct hull_vstr service_account;
	struct hull_vstr os_name; /* spec.os.name */
	struct hull_vstr restart_policy;
	/* Compose deploy.restart_policy in restart: terms ("always",
	 * "on-failure", "on-failure:3", "no"); the position is the setting
	 * that decides it (max_attempts, condition, or restart_policy when
	 * its defaults apply). */
	struct hull_vstr deploy_restart;
	/* Compose `profiles:`: a service with profiles runs only when one of
	 * them is enabled (docker compose --profile); empty: always */
	hull_strlist profiles;
	struct hull_vstr cgroup_parent;
	/* Compose networking as written (hull network): network_mode, the
	 * networks joined (networks_set: a non-empty `networks`), links
	 * ("db" or "db:alias") and depends_on targets, over every file and
	 * `extends` base in order. */
	struct hull_vstr network_mode;
	HULL_LIST(struct hull_net_attach) networks;
	bool networks_set;
	hull_strlist links, depends_on;
	/* A workload that is expected to exit: Kubernetes Jobs and CronJobs,
	 * Compose job modes and services others wait for with
	 * service_completed_successfully. Health checks do not apply. */
	bool run_to_completion;
	hull_pairlist sysctls;
	HULL_LIST(struct hull_volume) volumes;
	hull_strlist host_aliases;

	/* Pod-level security context as written (containers hold the
	 * effective values): PSS treats some pod-level fields on their own. */
	struct hull_vint fs_group;
	HULL_LIST(struct hull_vint) supplemental_groups;
	struct hull_vint pod_run_as_group;
	struct hull_profile pod_seccomp, pod_apparmor;
	struct hull_selinux pod_selinux;
	struct hull_k8s_sc pod_sc; /* Kubernetes: spec.securityContext as written */

	HULL_LIST(struct hull_container) containers;
	struct hull_build *build; /* Dockerfile only */
};

/* An inline `# hull:ignore=HULL-C001[,HULL-C002] reason` comment. It covers
 * findings on its own line and, when it stands alone on its line, on the
 * next line that is neither blank nor a comment. */
struct hull_ignore {
	const char *file;
	unsigned line, next_line;
	hull_strlist ids;
	const char *reason;
};

struct hull_model {
	HULL_LIST(struct hull_workload) workloads;
	HULL_LIST(struct hull_object) objects;
	HULL_LIST(struct hull_ignore) ignores;
	/* Compose (one project per model): the top-level networks of every
	 * file, in the order first defined, and the project's `name:` */
	HULL_LIST(struct hull_compose_network) networks;
	struct hull_vstr compose_project;
	/* What the front ends skipped and why ("pods.json: items[3]: no
	 * kind"): input hull cannot classify is reported, never dropped in
	 * silence. Owned; capped like every hull_diag. */
	struct hull_diag warnings;
	struct hull_err err; /* sticky: the first failure while filling */
	bool failed;
	void *arena_; /* private */
	struct hull_yaml **yamls_;
	size_t nyamls_, capyamls_;
};

/* A new empty model, or NULL when out of memory. */
struct hull_model *hull_model_new(void);
void hull_model_free(struct hull_model *m);

/* True after an allocation failure or a limit; *err gets the message. */
bool hull_model_failed(const struct hull_model *m, struct hull_err *err);
/* Records a sticky failure (the first one wins). Returns -1. */
int hull_model_fail(struct hull_model *m, enum hull_err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a warning about the input (see `warnings`). */
void hull_model_warn(struct hull_model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Moves the model's warnings, in order, to the end of d (a scan's list;
 * may be NULL to discard them). */
void hull_model_move_warnings(struct hull_model *m, struct hull_diag *d);

/* The model takes ownership of y (freed with the model), also on failure. */
int hull_model_keep_yaml(struct hull_model *m, struct hull_yaml *y);

/* Arena helpers: never NULL-dereferenced by callers; NULL on failure
 * (and the model is marked failed). */
void *hull_model_alloc(struct hull_model *m, size_t n);
const char *hull_model_strdup(struct hull_model *m, const char *s);
const char *hull_model_strndup(struct hull_model *m, const char *s, size_t n);
const char *hull_model_printf(struct hull_model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The interned copy of a file name (positions point at it). */
const char *hull_model_file(struct hull_model *m, const char *name);

/* Appends a zeroed element to a HULL_LIST and returns it, or NULL. */
void *hull_model_push_(struct hull_model *m, void *list, size_t elem, size_t max);
#define hull_model_push(m, list)                                                                   \
	((__typeof__((list)->v))hull_model_push_((m), (list), sizeof(*(list)->v),                  \
	                                         HULL_MODEL_MAX_ITEMS))

struct hull_workload *hull_model_add_workload(struct hull_model *m, enum hull_input in,
                                              const char *kind, const char *name,
                                              struct hull_pos pos);
struct hull_container *hull_model_add_container(struct hull_model *m, struct hull_workload *w,
                                                const char *name, struct hull_pos pos);

/* Splits an image reference into repository, tag and digest (strings in the
 * arena): "nginx" has no tag, "nginx:1.25@sha256:.." both. */
void hull_model_set_image(struct hull_model *m, struct hull_container *c, const char *ref,
                          struct hull_pos pos);

/* Normalises a capability name: upper case, "CAP_" removed ("cap_sys_admin"
 * -> "SYS_ADMIN", "all" -> "ALL"). Writes at most outsz bytes. */
void hull_cap_normalize(const char *in, char *out, size_t outsz);
/* Appends a normalised capability to list. */
void hull_model_add_cap(struct hull_model *m, hull_strlist *list, const char *cap,
                        struct hull_pos pos);

/* Parses a user spec "name|uid[:group|gid]" into c->user (origin as given). */
void hull_model_set_user(struct hull_model *m, struct hull_user *u, const char *spec,
                         const char *origin, struct hull_pos pos);

/* Quantities: Kubernetes ("500m", "1.5", "128Mi", "1G", "1e3") and Docker
 * ("512m", "2g", "1024k", "100b") syntaxes into bytes / cores. */
bool hull_parse_k8s_quantity(const char *s, double *out);
bool hull_parse_docker_bytes(const char *s, double *out);
void hull_model_set_qty(struct hull_model *m, struct hull_vqty *q, const char *raw, double v,
                        bool valid, struct hull_pos pos);

/* Port specs "80", "80/tcp", "8000-8010/udp": *proto_end points after the
 * '/' (NULL without one). Numbers are not range-checked here. */
bool hull_parse_port_range(const char *s, int64_t *lo, int64_t *hi, const char **proto_end);
/* Adds an EXPOSE-style (documentation only) port; an unparsable spec is
 * kept with container_port -1 and the text in name. */
void hull_model_add_exposed(struct hull_model *m, struct hull_container *c, const char *spec,
                            struct hull_pos pos);

/* Looks up key in a kv list; NULL when absent. */
const struct hull_pair *hull_pair_find(const hull_pairlist *l, const char *key);
bool hull_strlist_has(const hull_strlist *l, const char *s);

/* "Deployment default/web" / "service web" / "Dockerfile" for messages. */
const char *hull_workload_label(struct hull_model *m, const struct hull_workload *w);

#endif
