/* network: who can reach whom, and what is open to the world.
 *
 * `hull network` reads Docker Compose files, Kubernetes manifests and a
 * live Docker / podman engine into one graph of workloads (a pod
 * template, a Compose service, a running container), the networks they
 * are attached to, and for Kubernetes the namespaces, Services, Ingresses
 * and NetworkPolicies. hull_net_compute then decides, for every ordered
 * pair of workloads of one deployment (a cluster, a Compose project, an
 * engine), which ports and protocols the source may open on the
 * destination, plus what the internet can reach and through what
 * (published ports, hostNetwork, hostPort, NodePort, LoadBalancer,
 * externalIPs, Ingress). hull_net_check turns that into findings of the
 * one result model (report/findings.h) with ids HULL-N001... from the
 * catalogue hull_net_rules; hull_net_write renders the matrix as a table,
 * JSON or a Graphviz graph; hull_net_can answers one question with the
 * rules that decide it.
 *
 * Semantics (docs/network.md): NetworkPolicies exactly as the Kubernetes
 * documentation specifies them (additive; isolation per direction; a
 * connection needs the source's egress and the destination's ingress;
 * podSelector / namespaceSelector / both in one peer / ipBlock with
 * except; ports with protocol, endPort and named ports resolved per
 * destination pod; policyTypes defaulting; empty selectors select all).
 * Compose and engines as Docker's bridge driver wires them: members of a
 * network reach each other on every port unless icc is off; published
 * ports reach through the host except loopback binds; internal networks
 * have no way out; network_mode host / none / service: / container:.
 *
 * Invariants: a graph is filled by the loaders, then computed once, then
 * read (check, write, can) any number of times; loading after compute is
 * an error. Evaluation groups equivalent pods into classes so a cluster of
 * thousands of pods costs classes squared, not pods squared.
 *
 * Limits: HULL_NET_MAX_WORKLOADS workloads, HULL_NET_MAX_POLICIES
 * policies, HULL_NET_MAX_ITEMS entries in any one list (rules, peers,
 * ports, labels), HULL_NET_MAX_BYTES of memory for the graph. Inputs go
 * through the misconfig loaders (their YAML caps apply). Every limit is an
 * error naming the input, never a silent truncation. */
#ifndef HULL_NETWORK_NETWORK_H
#define HULL_NETWORK_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "misconfig/rules.h"
#include "report/findings.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"

#define HULL_NET_MAX_WORKLOADS 100000u
#define HULL_NET_MAX_POLICIES  50000u
#define HULL_NET_MAX_ITEMS     20000u
#define HULL_NET_MAX_BYTES     (1024u << 20)
#define HULL_NET_MAX_EDGES     200000u /* edges listed in a document */

enum hull_net_domain_kind {
	HULL_NET_KUBERNETES,
	HULL_NET_COMPOSE,
	HULL_NET_ENGINE,
};

struct hull_net_opts {
	const char *default_namespace; /* objects without one; NULL: "default" */
	/* Compose project name for files without a top-level `name:`; NULL:
	 * the name of the first file's directory, as docker compose does */
	const char *project;
	/* hostNetwork pods: false (the documented model, most network
	 * plugins) when no NetworkPolicy selects them and no peer matches them
	 * but by address; true (--hostnetwork-policy=select) to evaluate them
	 * as ordinary pods, for plugins that do. Either way, answers that the
	 * other model would change are marked (table, JSON, --can). */
	bool hostnet_select;
};

struct hull_net;

/* A new empty graph, or NULL when out of memory. opts may be NULL; its
 * strings are copied. diag (borrowed, may be NULL) collects warnings:
 * a policy the API server would reject, a Service with no pods. */
struct hull_net *hull_net_new(const struct hull_net_opts *opts, struct hull_diag *diag);
void hull_net_free(struct hull_net *net);

/* --namespace-labels "ns=key=value[,key=value...]": labels of a namespace
 * not given as a Namespace object (kubernetes.io/metadata.name is always
 * set). Repeatable; HULL_ERR_USAGE on a malformed spec. */
int hull_net_namespace_labels(struct hull_net *net, const char *spec, struct hull_err *err);

/* One file: Kubernetes objects (any number of documents, Lists) or one
 * Compose file, by content. *loaded (may be NULL) is false, and nothing
 * happens, for anything else. `env` is the Compose .env text (may be
 * NULL). Errors name the file and position. */
int hull_net_load(struct hull_net *net, const char *data, size_t len, const char *name,
                  const char *env, bool *loaded, struct hull_err *err);

/* Compose files merged in order (-f a -f b) as one project. */
int hull_net_load_compose(struct hull_net *net, const char *const *datas, const size_t *lens,
                          const char *const *names, size_t n, const char *env,
                          struct hull_err *err);

/* A live engine from its Engine API answers: GET /networks and GET
 * /containers/json (JSON text). `source` names it ("unix:///run/docker.sock"). */
int hull_net_load_engine(struct hull_net *net, const char *source, const char *networks,
                         size_t nlen, const char *containers, size_t clen, struct hull_err *err);

/* GET /networks, then every container's inspect answer (joined into one
 * JSON array), from the engine e (src/engine: its timeouts, caps and
 * errors). The joined array is capped at HULL_NET_ENGINE_MAX bytes.
 * *networks and *containers are malloc'ed (caller frees). */
#define HULL_NET_ENGINE_MAX (64u << 20)
int hull_net_engine_fetch(struct hull_engine *e, char **networks, size_t *nlen, char **containers,
                          size_t *clen, struct hull_err *err);

/* Evaluates everything loaded. Errors: out of memory, limits. */
int hull_net_compute(struct hull_net *net, struct hull_err *err);

/* Appends the findings (kind HULL_FINDING_NETWORK) to out, honouring
 * inline `# hull:ignore=HULL-N00x reason` comments of the files read. */
int hull_net_check(struct hull_net *net, struct hull_findings *out, struct hull_err *err);

enum hull_net_format {
	HULL_NET_TABLE, /* the matrix, exposures, then the findings table */
	HULL_NET_JSON,  /* docs/network.md: workloads, edges, exposures, findings */
	HULL_NET_DOT,   /* Graphviz: workloads as nodes, allowed edges */
};

/* Renders the computed graph (and the findings of `in`, which may carry
 * an empty list) into out. HULL_ERR_LIMIT past out's max. */
int hull_net_write(struct hull_net *net, enum hull_net_format f,
                   const struct hull_findings_input *in, struct hull_buf *out,
                   struct hull_err *err);

/* `--can SRC DST:PORT[/PROTO]`: SRC and DST are workloads ("ns/name",
 * "name", "Kind/ns/name", "project:service"), an IP address, or
 * "internet"; PORT a number or a port name of DST. Writes the answer and
 * the policies or networks that decide it to out (text, or one JSON
 * object when json), and sets *allowed. HULL_ERR_USAGE for an unknown or
 * ambiguous name or a bad port. */
int hull_net_can(struct hull_net *net, const char *src, const char *dst, bool json,
                 struct hull_buf *out, bool *allowed, struct hull_err *err);

struct hull_net_stats {
	size_t workloads, classes, policies, networks, services, exposures;
	size_t edges;           /* ordered workload pairs with some port allowed */
	double compute_seconds; /* hull_net_compute, wall clock */
};
void hull_net_stats(const struct hull_net *net, struct hull_net_stats *out);

/* The network rule catalogue (HULL-N001...), in id order, in the same
 * struct as hull config's rules (check is NULL: the checks live in
 * hull_net_check). Ids are stable and never reused. */
const struct hull_rule *hull_net_rules(size_t *n);
/* The catalogue as an aligned table (like hull config --list-rules) or as
 * Markdown (docs/network.md's rule section), appended to out. */
int hull_net_rules_table(struct hull_buf *out, struct hull_err *err);
int hull_net_rules_markdown(struct hull_buf *out, struct hull_err *err);

/* ---- the computed graph for other modules (hull scan) ---------------------------
 *
 * Read-only views after hull_net_compute; the strings belong to the graph
 * and live until hull_net_free. Workloads are numbered 0..n-1 in load
 * order; HULL_NET_INTERNET stands for the outside world. */
#define HULL_NET_INTERNET ((size_t)-1)

struct hull_net_workload_view {
	const char *id;                       /* unique display name, as hull network prints it */
	const char *kind;                     /* "Deployment", "service", "container" ... */
	const char *name, *ns, *file, *image; /* ns, image: NULL when none */
	unsigned line;                        /* of the object in file */
	bool host_network;
	size_t reached_by, reaches; /* other workloads of its deployment */
};

struct hull_net_exposure_view {
	size_t workload;
	const char *how;      /* "published", "host-network", "host-port", "node-port",
	                         "load-balancer", "external-ip", "ingress" */
	const char *address;  /* bind address, external IP, ingress host; NULL: any */
	const char *protocol; /* "TCP", "UDP", "SCTP" */
	unsigned port, port_end, target;
	const char *via;    /* Service / Ingress name, or NULL */
	bool world;         /* reachable from outside the host / cluster */
	bool policy_allows; /* Kubernetes: NetworkPolicies let the internet in */
	const char *file;
	unsigned line;
};

size_t hull_net_workload_count(const struct hull_net *net);
void hull_net_workload_get(const struct hull_net *net, size_t i,
                           struct hull_net_workload_view *out);
size_t hull_net_exposure_count(const struct hull_net *net);
void hull_net_exposure_get(const struct hull_net *net, size_t k,
                           struct hull_net_exposure_view *out);
/* Every allowed edge (as the table and JSON list them, at most
 * HULL_NET_MAX_EDGES): fn gets source and destination (either may be
 * HULL_NET_INTERNET) and the ports as text ("TCP 80, 443", "all ports").
 * A negative return from fn stops and is returned. */
int hull_net_each_edge(struct hull_net *net,
                       int (*fn)(void *ctx, size_t src, size_t dst, const char *ports), void *ctx,
                       struct hull_err *err);

#endif
