/* graph: the hull_net object, interned strings, labels, namespaces,
 * workloads and networks, display names and lookup by name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/model.h"
#include "network/internal.h"

struct hull_net *hull_net_new(const struct hull_net_opts *opts, struct hull_diag *diag)
{
	struct hull_net *net = calloc(1, sizeof(*net));
	if (!net)
		return NULL;
	hull_arena_init(&net->arena, HULL_NET_MAX_BYTES);
	hull_hash_init(&net->strtab, NET_MAX_STRS);
	net->ps = net_ps_new();
	if (!net->ps) {
		hull_net_free(net);
		return NULL;
	}
	net->diag = diag;
	if (opts) {
		net->opts.default_namespace = net_strdup(net, opts->default_namespace);
		net->opts.project = net_strdup(net, opts->project);
		net->opts.hostnet_select = opts->hostnet_select;
	}
	if (!net->opts.default_namespace)
		net->opts.default_namespace = "default";
	return net->failed ? (hull_net_free(net), NULL) : net;
}

void hull_net_free(struct hull_net *net)
{
	if (!net)
		return;
	for (size_t i = 0; i < net->nmodels; i++)
		hull_model_free(net->models[i]);
	hull_hash_release(&net->strtab);
	net_ps_free(net->ps);
	hull_arena_release(&net->arena);
	free(net);
}

/* ---- interned strings --------------------------------------------------------- */

static bool str_is(const void *val, const void *key, const void *ctx)
{
	const struct hull_net *net = ctx;
	return !strcmp(net->strs[(uintptr_t)val - 1], key);
}

uint32_t net_intern_find(const struct hull_net *net, const char *s)
{
	if (!s)
		return 0;
	void *v = hull_hash_get(&net->strtab, hull_hash_bytes(s, strlen(s)), str_is, s, net);
	return (uint32_t)(uintptr_t)v;
}

uint32_t net_intern(struct hull_net *net, const char *s)
{
	if (!s)
		s = "";
	uint32_t id = net_intern_find(net, s);
	if (id || net->failed)
		return id;
	const char **slot = NET_PUSH(net, net->strs, net->nstrs, net->capstrs, NET_MAX_STRS);
	const char *copy = net_strdup(net, s);
	if (!slot || !copy)
		return 0;
	*slot = copy;
	struct hull_err e = {0};
	if (hull_hash_add(&net->strtab, hull_hash_bytes(s, strlen(s)),
	                  (void *)(uintptr_t)net->nstrs, &e) < 0) {
		net_fail(net, e.kind, "network graph: names: %s", e.msg);
		return 0;
	}
	return (uint32_t)net->nstrs;
}

const char *net_interned(const struct hull_net *net, uint32_t id)
{
	return id && id <= net->nstrs ? net->strs[id - 1] : "";
}

/* ---- labels and selectors -------------------------------------------------------- */

void net_label_set(struct hull_net *net, struct net_labels *l, const char *key, const char *value)
{
	uint32_t k = net_intern(net, key), v = net_intern(net, value ? value : "");
	if (!k || !v)
		return;
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].key == k) {
			l->v[i].value = v;
			return;
		}
	}
	struct net_label *e = NET_PUSH(net, l->v, l->n, l->cap, HULL_NET_MAX_ITEMS);
	if (e) {
		e->key = k;
		e->value = v;
	}
}

uint32_t net_label_get(const struct net_labels *l, uint32_t key)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].key == key)
			return l->v[i].value;
	return 0;
}

bool net_selector_match(const struct net_selector *s, const struct net_labels *l)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct net_req *r = &s->reqs[i];
		uint32_t v = r->key ? net_label_get(l, r->key) : 0;
		bool in = false;
		switch (r->op) {
		case NET_OP_EXISTS:
			if (!v)
				return false;
			break;
		case NET_OP_DNE:
			if (v)
				return false;
			break;
		case NET_OP_IN:
		case NET_OP_NOTIN:
			for (size_t k = 0; v && k < r->nvalues && !in; k++)
				in = r->values[k] == v;
			if (in != (r->op == NET_OP_IN))
				return false;
			break;
		}
	}
	return true;
}

/* ---- namespaces -------------------------------------------------------------------- */

size_t net_namespace(struct hull_net *net, const char *name)
{
	if (!name || !*name)
		name = net->opts.default_namespace;
	for (size_t i = 0; i < net->nnss; i++)
		if (!strcmp(net->nss[i].name, name))
			return i;
	struct net_namespace *ns =
	    NET_PUSH(net, net->nss, net->nnss, net->capnss, HULL_NET_MAX_ITEMS);
	if (!ns)
		return 0;
	ns->name = net_strdup(net, name);
	net_label_set(net, &ns->labels, "kubernetes.io/metadata.name", name);
	return net->nnss - 1;
}

int hull_net_namespace_labels(struct hull_net *net, const char *spec, struct hull_err *err)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	if (!eq || eq == spec)
		return hull_err_set(
		    err, HULL_ERR_USAGE,
		    "--namespace-labels '%.200s': expected NS=KEY=VALUE[,KEY=VALUE...]",
		    spec ? spec : "");
	const char *name = net_strndup(net, spec, (size_t)(eq - spec));
	size_t idx = name ? net_namespace(net, name) : 0;
	for (const char *p = eq + 1; !net->failed;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *e = memchr(p, '=', n);
		if (!e || e == p)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--namespace-labels '%.200s': '%.*s' is not KEY=VALUE",
			                    spec, (int)(n > 100 ? 100 : n), p);
		const char *k = net_strndup(net, p, (size_t)(e - p));
		const char *v = net_strndup(net, e + 1, n - (size_t)(e - p) - 1);
		if (k && v && net->nnss > idx)
			net_label_set(net, &net->nss[idx].labels, k, v);
		if (!comma)
			break;
		p = comma + 1;
	}
	if (net->failed) {
		*err = net->err;
		return -1;
	}
	return 0;
}

/* ---- domains, workloads, networks ------------------------------------------------------ */

size_t net_add_domain(struct hull_net *net, enum hull_net_domain_kind kind, const char *name,
                      const char *file)
{
	struct net_domain *d =
	    NET_PUSH(net, net->domains, net->ndomains, net->capdomains, HULL_NET_MAX_ITEMS);
	if (!d)
		return 0;
	d->kind = kind;
	d->k8s = kind == HULL_NET_KUBERNETES;
	d->name = net_strdup(net, name);
	d->file = net_strdup(net, file);
	d->first = net->nw;
	return net->ndomains - 1;
}

struct net_workload *net_add_workload(struct hull_net *net, size_t domain, const char *kind,
                                      const char *name, const char *ns, struct net_pos pos)
{
	struct net_workload *w = NET_PUSH(net, net->w, net->nw, net->capw, HULL_NET_MAX_WORKLOADS);
	if (!w)
		return NULL;
	w->domain = domain;
	w->kind = net_strdup(net, kind);
	w->name = net_strdup(net, name ? name : "(unnamed)");
	w->ns = ns ? net_strdup(net, ns) : NULL;
	w->ns_idx = ns ? net_namespace(net, ns) : NET_NONE;
	w->share = NET_NONE;
	w->pos = pos;
	net->domains[domain].count++;
	return w;
}

size_t net_add_network(struct hull_net *net, size_t domain, const char *key, const char *name)
{
	for (size_t i = 0; i < net->nnets; i++)
		if (net->nets[i].domain == domain && !strcmp(net->nets[i].key, key))
			return i;
	struct net_network *n =
	    NET_PUSH(net, net->nets, net->nnets, net->capnets, HULL_NET_MAX_ITEMS);
	if (!n)
		return NET_NONE;
	n->domain = domain;
	n->key = net_strdup(net, key);
	n->name = net_strdup(net, name ? name : key);
	n->driver = "bridge";
	n->icc = true;
	return net->nnets - 1;
}

void net_add_port(struct hull_net *net, struct net_workload *w, uint8_t proto, uint16_t lo,
                  uint16_t hi, const char *name, enum net_port_src src, struct net_pos pos)
{
	if (hi < lo)
		hi = lo;
	for (size_t i = 0; i < w->nports; i++) {
		struct net_port *p = &w->ports[i];
		if (p->proto == proto && p->lo == lo && p->hi == hi) {
			if (!p->name && name)
				p->name = net_strdup(net, name);
			if (src < p->src)
				p->src = src;
			return;
		}
	}
	struct net_port *p = NET_PUSH(net, w->ports, w->nports, w->capports, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	p->proto = proto;
	p->lo = lo;
	p->hi = hi;
	p->name = net_strdup(net, name);
	p->src = src;
	p->pos = pos;
}

void net_attach(struct hull_net *net, struct net_workload *w, size_t network, struct net_pos pos)
{
	for (size_t i = 0; i < w->nattach; i++)
		if (w->attach[i].network == network)
			return;
	struct net_attach *a =
	    NET_PUSH(net, w->attach, w->nattach, w->capattach, HULL_NET_MAX_ITEMS);
	if (a) {
		a->network = network;
		a->pos = pos;
		net->nets[network].used = true;
	}
}

/* ---- well-known ports ---------------------------------------------------------------- */

static const struct {
	uint16_t port;
	const char *what;
} db_ports[] = {
    {1433, "SQL Server"},    {1521, "Oracle"},        {2379, "etcd"},
    {3306, "MySQL/MariaDB"}, {5432, "PostgreSQL"},    {5984, "CouchDB"},
    {6379, "Redis"},         {7474, "Neo4j"},         {7687, "Neo4j Bolt"},
    {8086, "InfluxDB"},      {8123, "ClickHouse"},    {8529, "ArangoDB"},
    {9042, "Cassandra"},     {9200, "Elasticsearch"}, {9300, "Elasticsearch transport"},
    {11211, "Memcached"},    {26257, "CockroachDB"},  {27017, "MongoDB"},
    {28015, "RethinkDB"},    {50000, "DB2"},
};

const char *net_db_port(uint16_t port)
{
	for (size_t i = 0; i < sizeof(db_ports) / sizeof(db_ports[0]); i++)
		if (db_ports[i].port == port)
			return db_ports[i].what;
	return NULL;
}

static const struct {
	const char *repo; /* last path component, or "a/b" for the last two */
	uint16_t ports[2];
} image_ports[] = {
    {"postgres", {5432, 0}},      {"postgis", {5432, 0}},
    {"timescaledb", {5432, 0}},   {"mysql", {3306, 0}},
    {"mariadb", {3306, 0}},       {"percona", {3306, 0}},
    {"redis", {6379, 0}},         {"valkey", {6379, 0}},
    {"keydb", {6379, 0}},         {"mongo", {27017, 0}},
    {"mongodb", {27017, 0}},      {"elasticsearch", {9200, 9300}},
    {"opensearch", {9200, 9300}}, {"memcached", {11211, 0}},
    {"cassandra", {9042, 0}},     {"couchdb", {5984, 0}},
    {"mssql/server", {1433, 0}},  {"influxdb", {8086, 0}},
    {"neo4j", {7474, 7687}},      {"clickhouse-server", {8123, 0}},
    {"cockroach", {26257, 0}},    {"etcd", {2379, 0}},
    {"arangodb", {8529, 0}},      {"rethinkdb", {28015, 0}},
};

/* The repository path of an image reference, without registry, tag and
 * digest: "docker.io/library/postgres:16@sha256:.." -> "library/postgres". */
static void image_repo(const char *image, char *out, size_t cap)
{
	size_t n = strcspn(image, "@");
	const char *slash = memchr(image, '/', n);
	/* a first component with '.' or ':' or "localhost" is a registry */
	if (slash) {
		size_t first = (size_t)(slash - image);
		if (memchr(image, '.', first) || memchr(image, ':', first) ||
		    (first == 9 && !strncmp(image, "localhost", 9))) {
			n -= first + 1;
			image = slash + 1;
		}
	}
	const char *last = image;
	for (size_t i = 0; i < n; i++)
		if (image[i] == '/')
			last = image + i + 1;
	const char *colon = memchr(last, ':', n - (size_t)(last - image));
	if (colon)
		n = (size_t)(colon - image);
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)image[i]);
	out[n] = 0;
}

void net_image_ports(struct hull_net *net, struct net_workload *w, struct net_pos pos)
{
	if (!w->image)
		return;
	char repo[256];
	image_repo(w->image, repo, sizeof(repo));
	const char *base = strrchr(repo, '/');
	base = base ? base + 1 : repo;
	for (size_t i = 0; i < sizeof(image_ports) / sizeof(image_ports[0]); i++) {
		const char *r = image_ports[i].repo;
		size_t rl = strlen(r), n = strlen(repo);
		bool two = strchr(r, '/') != NULL;
		bool hit = two ? n >= rl && !strcmp(repo + n - rl, r) &&
		                     (n == rl || repo[n - rl - 1] == '/')
		               : !strcmp(base, r);
		if (!hit)
			continue;
		for (size_t k = 0; k < 2 && image_ports[i].ports[k]; k++)
			net_add_port(net, w, NET_TCP, image_ports[i].ports[k],
			             image_ports[i].ports[k], NULL, NET_PORT_IMAGE, pos);
		return;
	}
}

/* ---- names ----------------------------------------------------------------------------- */

static bool multi_domain(const struct hull_net *net)
{
	size_t other = 0;
	for (size_t i = 0; i < net->ndomains; i++)
		other += net->domains[i].count > 0;
	return other > 1;
}

static int cmp_id(const void *a, const void *b, void *ctx)
{
	const struct hull_net *net = ctx;
	int c = strcmp(net->w[*(const size_t *)a].id, net->w[*(const size_t *)b].id);
	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1
	                                               : *(const size_t *)a > *(const size_t *)b;
}

/* Workload indices sorted by id; NULL when out of memory. */
static size_t *by_id(struct hull_net *net)
{
	size_t *ord = malloc((net->nw ? net->nw : 1) * sizeof(*ord));
	if (!ord)
		return NULL;
	for (size_t i = 0; i < net->nw; i++)
		ord[i] = i;
	qsort_r(ord, net->nw, sizeof(*ord), cmp_id, net);
	return ord;
}

void net_assign_ids(struct hull_net *net)
{
	bool prefix = multi_domain(net);
	for (size_t i = 0; i < net->nw; i++) {
		struct net_workload *w = &net->w[i];
		const struct net_domain *d = &net->domains[w->domain];
		if (d->k8s)
			w->id = net_printf(net, "%s/%s", w->ns, w->name);
		else if (prefix)
			w->id = net_printf(net, "%s:%s", d->name, w->name);
		else
			w->id = w->name;
	}
	/* the same name twice (a Deployment and a Pod called alike, one
	 * service in two projects of the same name): say the kind, and failing
	 * that the position */
	for (int pass = 0; pass < 2 && !net->failed; pass++) {
		size_t *ord = by_id(net);
		if (!ord) {
			net_fail(net, HULL_ERR_NOMEM, "out of memory");
			return;
		}
		for (size_t k = 0, e; k < net->nw; k = e) {
			const char *id = net->w[ord[k]].id;
			for (e = k + 1; e < net->nw && !strcmp(net->w[ord[e]].id, id); e++)
				;
			for (size_t j = k; e - k > 1 && j < e; j++) {
				struct net_workload *x = &net->w[ord[j]];
				if (pass == 0 && net->domains[x->domain].k8s)
					x->id =
					    net_printf(net, "%s/%s/%s", x->kind, x->ns, x->name);
				else if (pass == 1 && j > k)
					x->id = net_printf(net, "%s@%s:%u", x->id,
					                   x->pos.file ? x->pos.file : "?",
					                   x->pos.line);
			}
		}
		free(ord);
	}
}

static bool name_is(const struct net_workload *w, const char *s)
{
	if (!strcmp(w->id, s))
		return true;
	if (!w->ns)
		return !strcmp(w->name, s);
	/* name, ns/name, Kind/ns/name, ns/Kind/name, Kind/name */
	const char *a = strchr(s, '/');
	if (!a)
		return !strcmp(w->name, s);
	const char *b = strchr(a + 1, '/');
	size_t la = (size_t)(a - s);
	if (!b) {
		if (strlen(w->ns) == la && !strncmp(w->ns, s, la) && !strcmp(w->name, a + 1))
			return true;
		return strlen(w->kind) == la && !strncasecmp(w->kind, s, la) &&
		       !strcmp(w->name, a + 1);
	}
	size_t lb = (size_t)(b - a - 1);
	if (strcmp(w->name, b + 1))
		return false;
	return (strlen(w->kind) == la && !strncasecmp(w->kind, s, la) && strlen(w->ns) == lb &&
	        !strncmp(w->ns, a + 1, lb)) ||
	       (strlen(w->ns) == la && !strncmp(w->ns, s, la) && strlen(w->kind) == lb &&
	        !strncasecmp(w->kind, a + 1, lb));
}

size_t net_find_workload(const struct hull_net *net, const char *s, bool *ambiguous)
{
	size_t found = NET_NONE;
	*ambiguous = false;
	for (size_t i = 0; i < net->nw; i++)
		if (!strcmp(net->w[i].id, s))
			return i;
	for (size_t i = 0; i < net->nw; i++) {
		if (!name_is(&net->w[i], s))
			continue;
		if (found != NET_NONE) {
			*ambiguous = true;
			return NET_NONE;
		}
		found = i;
	}
	return found;
}
