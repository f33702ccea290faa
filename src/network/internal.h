/* network internals: the graph every front end fills and the evaluator
 * reads. Not a public header: only src/network includes it.
 *
 * Memory: everything hangs off one arena per graph (arena.c) and is freed
 * at once by hull_net_free; arrays grow by copying into the arena (the old
 * copy is dropped, so growth wastes at most as much again). Allocation
 * failures and limits are sticky (net->failed), like the misconfig model:
 * builders then do nothing and the loader checks once at the end.
 *
 * Names: label keys and values are interned (net_intern) so selectors
 * compare integers; id 0 means "no such string". */
#ifndef HULL_NETWORK_INTERNAL_H
#define HULL_NETWORK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "network/network.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/hash.h"

#define NET_TCP    0
#define NET_UDP    1
#define NET_SCTP   2
#define NET_NPROTO 3

#define NET_NONE ((size_t)-1)

/* ---- arena and growable arrays ------------------------------------------- */

void *net_alloc(struct hull_net *net, size_t n); /* zeroed; NULL (sticky) */
const char *net_strdup(struct hull_net *net, const char *s);
const char *net_strndup(struct hull_net *net, const char *s, size_t n);
const char *net_printf(struct hull_net *net, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int net_fail(struct hull_net *net, enum hull_err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a zeroed element to *arr (n used, cap allocated) and returns
 * it, or NULL past max or when out of memory (sticky). */
void *net_push_(struct hull_net *net, void **arr, size_t *n, size_t *cap, size_t elem, size_t max);
#define NET_PUSH(net, arr, n, cap, max)                                                            \
	((__typeof__(arr))net_push_((net), (void **)&(arr), &(n), &(cap), sizeof(*(arr)), (max)))

/* ---- interned strings ------------------------------------------------------- */

/* The id of s (added when new); 0 only on failure. */
#define NET_MAX_STRS (1u << 30)
uint32_t net_intern(struct hull_net *net, const char *s);
/* The id of s, or 0 when no one interned it (matches nothing). */
uint32_t net_intern_find(const struct hull_net *net, const char *s);
const char *net_interned(const struct hull_net *net, uint32_t id);

/* ---- positions, labels ------------------------------------------------------ */

struct net_pos {
	const char *file; /* arena */
	unsigned line, col;
};

struct net_label {
	uint32_t key, value;
};

struct net_labels {
	struct net_label *v;
	size_t n, cap;
};

void net_label_set(struct hull_net *net, struct net_labels *l, const char *key, const char *value);
/* The value id of key in l, or 0. */
uint32_t net_label_get(const struct net_labels *l, uint32_t key);

/* ---- addresses ------------------------------------------------------------ */

struct net_addr {
	bool v6;
	uint8_t b[16]; /* IPv4 in the first 4 bytes */
};

struct net_cidr {
	struct net_addr a;
	uint8_t bits;
};

/* "10.0.0.1", "fe80::1" (no zone), into *out. */
bool net_addr_parse(const char *s, size_t n, struct net_addr *out);
/* "10.0.0.0/8", "::/0"; host bits must be zero unless loose. */
bool net_cidr_parse(const char *s, size_t n, bool loose, struct net_cidr *out);
bool net_cidr_contains(const struct net_cidr *c, const struct net_addr *a);
/* Is every address of inner in outer? */
bool net_cidr_covers(const struct net_cidr *outer, const struct net_cidr *inner);
bool net_cidr_overlaps(const struct net_cidr *a, const struct net_cidr *b);
/* Loopback (127/8, ::1), unspecified (0.0.0.0, ::). */
bool net_addr_loopback(const struct net_addr *a);
bool net_addr_any(const struct net_addr *a);
/* Writes "10.0.0.0/8" into buf. */
void net_cidr_format(const struct net_cidr *c, char *buf, size_t cap);

/* An ipBlock: cidr minus except. "world": it holds every public address
 * of its family (cidr /0 and every except inside private, loopback,
 * link-local or shared space), so it stands for "the internet". */
struct net_ipblock {
	struct net_cidr cidr;
	struct net_cidr *except;
	size_t nexcept;
	bool world;
};
bool net_ipblock_contains(const struct net_ipblock *b, const struct net_addr *a);
bool net_ipblock_is_world(const struct net_ipblock *b);

/* ---- port sets ---------------------------------------------------------------
 *
 * A set of (protocol, port range) values, interned: equal sets have equal
 * ids, so results compare and cache as integers. Id 0 is the empty set,
 * id 1 every port of every protocol. Unions and intersections are
 * memoised. */

#define NET_PS_EMPTY 0u
#define NET_PS_ALL   1u

/* No padding (memcmp compares interned sets): three uint16_t. */
struct net_range {
	uint16_t proto;
	uint16_t lo, hi;
};

struct net_portsets;
struct net_portsets *net_ps_new(void);
void net_ps_free(struct net_portsets *ps);
/* Interns the set made of ranges r[0..n) (any order, overlaps allowed).
 * Returns the id, or NET_PS_EMPTY and sets *oom on failure. */
uint32_t net_ps_make(struct net_portsets *ps, const struct net_range *r, size_t n, bool *oom);
uint32_t net_ps_union(struct net_portsets *ps, uint32_t a, uint32_t b);
uint32_t net_ps_inter(struct net_portsets *ps, uint32_t a, uint32_t b);
bool net_ps_has(const struct net_portsets *ps, uint32_t id, uint8_t proto, uint16_t port);
/* The normalised ranges of id (sorted by protocol then port, disjoint). */
const struct net_range *net_ps_ranges(const struct net_portsets *ps, uint32_t id, size_t *n);
bool net_ps_failed(const struct net_portsets *ps);
/* "TCP 80, 443; UDP 53" / "all ports" / "none" into buf. */
void net_ps_format(const struct net_portsets *ps, uint32_t id, char *buf, size_t cap);

const char *net_proto_name(uint8_t proto); /* "TCP", "UDP", "SCTP" */
/* Case-insensitive "tcp" / "TCP" ...; false for anything else. */
bool net_proto_parse(const char *s, uint8_t *out);

/* ---- label selectors -------------------------------------------------------- */

enum net_op { NET_OP_IN, NET_OP_NOTIN, NET_OP_EXISTS, NET_OP_DNE };

struct net_req {
	uint32_t key;
	enum net_op op;
	uint32_t *values;
	size_t nvalues;
};

/* No requirements: selects everything. */
struct net_selector {
	struct net_req *reqs;
	size_t n;
};

bool net_selector_match(const struct net_selector *s, const struct net_labels *l);

/* ---- the graph ---------------------------------------------------------------- */

enum net_port_src {
	NET_PORT_DECLARED, /* containerPort, compose ports target, engine PrivatePort */
	NET_PORT_EXPOSE,   /* compose expose / image EXPOSE */
	NET_PORT_IMAGE,    /* the well-known port of the image (postgres: 5432) */
};

struct net_port {
	uint8_t proto;
	uint16_t lo, hi;
	const char *name; /* Kubernetes port name; NULL */
	enum net_port_src src;
	struct net_pos pos;
};

/* A port published on the host (compose ports, engine Ports, hostPort). */
struct net_publish {
	const char *host_ip; /* as written; NULL: every interface */
	bool loopback;       /* 127.0.0.0/8 or ::1: the host only */
	uint8_t proto;
	uint16_t host_lo, host_hi; /* 0: an ephemeral port the engine picks */
	uint16_t lo, hi;           /* container ports */
	struct net_pos pos;
};

struct net_attach {
	size_t network;
	const char **aliases;
	size_t naliases, capaliases;
	struct net_pos pos;
};

struct net_workload {
	size_t domain;
	const char *kind; /* "Deployment", "Pod", "service", "container" */
	const char *name;
	const char *ns; /* Kubernetes namespace; NULL elsewhere */
	size_t ns_idx;
	const char *id; /* unique display name */
	const char *image;
	struct net_labels labels; /* pod labels (Kubernetes) */
	struct net_port *ports;
	size_t nports, capports;
	struct net_publish *pubs;
	size_t npubs, cappubs;
	struct net_attach *attach;
	size_t nattach, capattach;
	const char **related; /* compose depends_on / links targets */
	size_t nrelated, caprelated;
	bool host_network;
	bool no_network;      /* network_mode: none */
	const char *mode;     /* network_mode as written */
	size_t share;         /* service:/container: owner, NET_NONE */
	bool share_unknown;   /* names a container outside the input */
	bool default_only;    /* compose: on the default network by default */
	struct net_addr *ips; /* pod IPs / container addresses */
	size_t nips, capips;
	struct net_pos pos, mode_pos;
	uint32_t cls; /* evaluation class (Kubernetes) */
};

struct net_network {
	size_t domain;
	const char *key;  /* compose key ("default", "backend"); engine name */
	const char *name; /* real name ("proj_backend", or name:) */
	const char *driver;
	bool internal, external, icc, is_default, default_bridge, used;
	bool icc_explicit;
	struct net_pos pos;
};

struct net_namespace {
	const char *name;
	struct net_labels labels;
	bool declared; /* a Namespace object */
	struct net_pos pos;
};

/* A NetworkPolicy port: `all` when port is absent. */
struct net_pport {
	uint8_t proto;
	bool all;
	uint16_t lo, hi;
	const char *name;
};

enum net_peer_kind { NET_PEER_POD, NET_PEER_NS, NET_PEER_BOTH, NET_PEER_IPBLOCK };

struct net_peer {
	enum net_peer_kind kind;
	struct net_selector pod, ns;
	struct net_ipblock block;
	struct net_pos pos;
	/* evaluation */
	uint64_t *bits; /* classes matched */
	bool world;
};

struct net_rule {
	size_t policy;
	bool ingress;
	size_t index; /* in its list */
	struct net_peer *peers;
	size_t npeers, cappeers;
	bool any_peer; /* from/to absent or empty: every source/destination */
	struct net_pport *ports;
	size_t nports, capports;
	bool any_port;
	bool has_named;
	uint32_t fixed; /* port set when no named ports */
	struct net_pos pos;
	/* evaluation */
	uint64_t *bits; /* classes matched by any peer (NULL with any_peer) */
	bool world, world_partial;
};

struct net_policy {
	const char *name, *ns;
	size_t ns_idx;
	struct net_selector sel;
	bool ingress, egress; /* policyTypes, defaulted */
	struct net_rule *in, *eg;
	size_t nin, capin, neg, capeg;
	struct net_pos pos;
	bool default_deny_in, default_deny_eg; /* selects all pods, no rules */
	/* evaluation */
	uint64_t *selects; /* classes */
	size_t nselected;  /* workloads */
};

struct net_svc_port {
	const char *name;
	uint8_t proto;
	uint16_t port, node_port;
	uint16_t target;         /* 0: by name or same as port */
	const char *target_name; /* named targetPort */
};

struct net_service {
	const char *name, *ns, *type;
	size_t ns_idx;
	struct net_labels selector;
	bool has_selector;
	struct net_svc_port *ports;
	size_t nports, capports;
	const char **external_ips;
	size_t nexternal, capexternal;
	struct net_pos pos;
};

struct net_ing_backend {
	const char *service;
	uint16_t port;
	const char *port_name;
	const char *host, *path;
};

struct net_ingress {
	const char *name, *ns;
	size_t ns_idx;
	struct net_ing_backend *backends;
	size_t nbackends, capbackends;
	struct net_pos pos;
};

struct net_domain {
	enum hull_net_domain_kind kind;
	const char *name;    /* "kubernetes", the compose project, the socket */
	const char *file;    /* first file */
	size_t first, count; /* workloads */
	bool k8s;
};

/* An exposure to the outside world, with what the policies say about it. */
enum net_expo_kind {
	NET_EXPO_PUBLISH,
	NET_EXPO_HOST_NETWORK,
	NET_EXPO_HOST_PORT,
	NET_EXPO_NODE_PORT,
	NET_EXPO_LOAD_BALANCER,
	NET_EXPO_EXTERNAL_IP,
	NET_EXPO_INGRESS,
};

struct net_exposure {
	size_t w;
	enum net_expo_kind kind;
	const char *address; /* bind address, external IP, ingress host; NULL: any */
	uint8_t proto;
	uint16_t port, port_end;     /* where it is reachable (host/node/LB port); 0: any/unknown */
	uint16_t target, target_end; /* container ports; 0: every port */
	const char *via;             /* Service / Ingress name */
	bool world;                  /* reachable from outside the host / cluster */
	bool policy_allows;          /* NetworkPolicy lets the internet in (Kubernetes) */
	struct net_pos pos;
};

/* A pair whose answer the hostNetwork model decides: `cur` under the
 * model in force, `alt` under the other (s or d NET_NONE: the internet). */
struct net_hdep {
	size_t s, d;
	uint32_t cur, alt;
};

struct hull_net {
	struct hull_arena arena; /* capped at HULL_NET_MAX_BYTES */
	bool failed;
	struct hull_err err;
	struct hull_diag *diag; /* borrowed */
	struct hull_net_opts opts;

	/* strings */
	const char **strs;
	size_t nstrs, capstrs;
	struct hull_hash strtab; /* string -> id (index in strs + 1) */

	struct net_domain *domains;
	size_t ndomains, capdomains;
	struct net_workload *w;
	size_t nw, capw;
	struct net_network *nets;
	size_t nnets, capnets;
	struct net_namespace *nss;
	size_t nnss, capnss;
	struct net_policy *pols;
	size_t npols, cappols;
	struct net_service *svcs;
	size_t nsvcs, capsvcs;
	struct net_ingress *ings;
	size_t nings, caping;
	struct net_exposure *expo;
	size_t nexpo, capexpo;

	/* models kept for inline ignores and positions (owned) */
	struct hull_model **models;
	size_t nmodels, capmodels;

	/* evaluation (eval.c) */
	struct net_portsets *ps;
	bool computed;
	uint32_t nclasses; /* Kubernetes classes; the last one is the internet */
	uint32_t world_cls;
	size_t *cls_rep;  /* a workload of each class (NET_NONE: the internet) */
	size_t *cls_size; /* workloads in each class */
	size_t words;     /* uint64 words of a class bitset */
	struct net_cls_rules *in_rules, *eg_rules;
	bool *iso_in, *iso_eg;
	/* per-workload summary */
	struct net_summary *sum;
	size_t edges_allowed;
	double compute_seconds;
	/* pairs with a hostNetwork pod whose answer depends on the model
	 * (hostnet.c), in source then destination order */
	struct net_hdep *hdeps;
	size_t nhdeps, caphdeps;
	bool hostnet_pods; /* Kubernetes hostNetwork pods were read */
};

/* Per workload: what the whole matrix says about it. */
struct net_summary {
	size_t sources;      /* other workloads of its domain */
	size_t reached_by;   /* of them, how many reach it on some port */
	size_t reaches;      /* workloads it reaches */
	uint32_t from_world; /* port set allowed from the internet */
	uint32_t to_world;   /* port set it may open to the internet */
	uint16_t db_port[4]; /* database-like listening ports */
	uint8_t db_proto[4];
	size_t db_reached_by[4]; /* sources that reach each */
	size_t ndb;
};

/* The rules of one class: (rule, port set for this class) pairs. */
struct net_cls_rule {
	struct net_rule *r;
	uint32_t ports; /* ingress: resolved for the class; egress: fixed or 0 (named) */
};
struct net_cls_rules {
	struct net_cls_rule *v;
	size_t n, cap;
};

/* ---- builders (graph.c) --------------------------------------------------------- */

size_t net_add_domain(struct hull_net *net, enum hull_net_domain_kind kind, const char *name,
                      const char *file);
struct net_workload *net_add_workload(struct hull_net *net, size_t domain, const char *kind,
                                      const char *name, const char *ns, struct net_pos pos);
size_t net_add_network(struct hull_net *net, size_t domain, const char *key, const char *name);
size_t net_namespace(struct hull_net *net, const char *name);
void net_add_port(struct hull_net *net, struct net_workload *w, uint8_t proto, uint16_t lo,
                  uint16_t hi, const char *name, enum net_port_src src, struct net_pos pos);
void net_attach(struct hull_net *net, struct net_workload *w, size_t network, struct net_pos pos);
/* Well-known ports of the image's repository basename (postgres, redis...). */
void net_image_ports(struct hull_net *net, struct net_workload *w, struct net_pos pos);
/* Database-like port: its product name, or NULL. */
const char *net_db_port(uint16_t port);
/* Gives every workload a unique id (display name) after loading. */
void net_assign_ids(struct hull_net *net);
/* The workload named s ("ns/name", "name", "kind/ns/name", "project:service"), or NET_NONE;
 * *ambiguous when several match. */
size_t net_find_workload(const struct hull_net *net, const char *s, bool *ambiguous);

/* ---- front ends ---------------------------------------------------------------- */

struct hull_model;
/* A Compose project from its loaded model (hull_compose_load); the
 * project is named after first_file's directory unless it names itself. */
int net_load_compose_model(struct hull_net *net, const struct hull_model *m, const char *first_file,
                           struct hull_err *err);

/* ---- evaluation (eval.c, compose_eval.c) ---------------------------------------- */

/* The port set workload s may open to workload d (same domain; s != d).
 * Either may be NET_NONE for the internet. */
uint32_t net_reach(struct hull_net *net, size_t s, size_t d);

/* Kubernetes pair evaluation on classes, with the rules that decided.
 * in_ports / eg_ports: what each side allows. */
uint32_t net_k8s_pair(struct hull_net *net, uint32_t cs, uint32_t cd, uint32_t *in_ports,
                      uint32_t *eg_ports);
/* Resolves a rule's ports for a destination workload (NET_NONE: the
 * internet, where named ports match nothing). */
uint32_t net_rule_ports(struct hull_net *net, const struct net_rule *r, size_t dst);
/* Compose / engine: the port set and why ("network backend", "published
 * 0.0.0.0:8080", "shared network namespace", "host network"). */
uint32_t net_docker_pair(struct hull_net *net, size_t s, size_t d, const char **why);

/* The whole class matrix by the bulk method, m[s * nclasses + d] (tests
 * compare it with net_k8s_pair). After compute; -1 when out of memory. */
int net_k8s_matrix(struct hull_net *net, uint32_t *m);

bool net_cls_bit(const uint64_t *bits, uint32_t c);
/* Do NetworkPolicies see w as a pod (select it, match it by a pod or
 * namespace selector)? A hostNetwork pod only when `select` (the model of
 * --hostnetwork-policy=select). */
static inline bool net_pod_seen(const struct net_workload *w, bool select)
{
	return !w->host_network || select;
}
/* Selection and peer matching under the model in force (net->opts) or
 * under `select`. */
bool net_selects(const struct hull_net *net, const struct net_policy *p,
                 const struct net_workload *w);
bool net_selects_as(const struct hull_net *net, const struct net_policy *p,
                    const struct net_workload *w, bool select);
bool net_peer_matches(const struct hull_net *net, const struct net_policy *p,
                      const struct net_peer *peer, const struct net_workload *w);
bool net_peer_matches_as(const struct hull_net *net, const struct net_policy *p,
                         const struct net_peer *peer, const struct net_workload *w, bool select);

/* hostnet.c. The port set workload s may open to workload d (same
 * Kubernetes domain) evaluated pod by pod, every policy and peer, under
 * the hostNetwork model `select`. One side may be NET_NONE: the address
 * ip, or the internet when ip is NULL. For the few pairs with a
 * hostNetwork pod; tests compare it with the classes (net_k8s_pair) under
 * the model in force. */
uint32_t net_k8s_pair_direct(struct hull_net *net, size_t s, size_t d, const struct net_addr *ip,
                             bool select);
/* Fills net->hdeps after the matrix. -1 when out of memory. */
int net_hostnet_deps(struct hull_net *net);
/* The entry for (s, d), or NULL when the models agree on it. */
const struct net_hdep *net_hostnet_dep(const struct hull_net *net, size_t s, size_t d);

void net_exposures(struct hull_net *net);

#endif
