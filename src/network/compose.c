/* compose: a Compose project (one or more files merged in order) into the
 * graph, from the misconfig Compose front end's model (hull_compose_load):
 * the merged, interpolated services with their ports and images, the
 * top-level networks (name, external, internal, driver, enable_icc), each
 * service's networks with aliases, network_mode, links and depends_on.
 * The files are not read again here.
 *
 * Docker's rules: a service without `networks` (and without network_mode)
 * joins the project's `default` network; one with `networks` joins only
 * those. network_mode host / none / service:X / container:X replaces
 * every network. A network is named "<project>_<key>" unless it sets
 * `name:` or is external. */
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/load.h"
#include "misconfig/model.h"
#include "network/internal.h"

static struct net_pos npos(struct hull_pos p)
{
	return (struct net_pos){.file = p.file, .line = p.line, .col = p.col};
}

/* docker compose's project name: lower case letters, digits, '-' and '_'. */
static const char *project_name(struct hull_net *net, const struct hull_model *m,
                                const char *first_file)
{
	const char *name = m->compose_project.v;
	char buf[256];
	if (!name)
		name = net->opts.project;
	if (!name) {
		char path[4096];
		char *real = realpath(first_file, NULL);
		snprintf(path, sizeof(path), "%s", real ? real : first_file);
		free(real);
		name = basename(dirname(path));
		snprintf(buf, sizeof(buf), "%s", name);
		name = buf;
	}
	char out[256];
	size_t k = 0;
	for (size_t i = 0; name[i] && k + 1 < sizeof(out); i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)name[i]);
		if (isalnum(c) || c == '-' || c == '_')
			out[k++] = (char)c;
	}
	out[k] = 0;
	return net_strdup(net, k ? out : "project");
}

/* ---- top-level networks --------------------------------------------------------- */

static void network_def(struct hull_net *net, size_t domain, const char *project,
                        const struct hull_compose_network *def)
{
	size_t idx = net_add_network(net, domain, def->key, NULL);
	if (idx == NET_NONE)
		return;
	struct net_network *n = &net->nets[idx];
	n->pos = npos(def->pos);
	if (def->external.v != HULL_UNSET)
		n->external = def->external.v == HULL_TRUE;
	if (def->internal.v != HULL_UNSET)
		n->internal = def->internal.v == HULL_TRUE;
	if (def->driver)
		n->driver = net_strdup(net, def->driver);
	if (def->icc) {
		n->icc = strcasecmp(def->icc, "false") && strcmp(def->icc, "0");
		n->icc_explicit = true;
	}
	if (def->name)
		n->name = net_strdup(net, def->name);
	else if (!n->external)
		n->name = net_printf(net, "%s_%s", project, def->key);
	else
		n->name = n->key;
}

/* ---- services ----------------------------------------------------------------------- */

static void add_related(struct hull_net *net, struct net_workload *w, const char *name)
{
	if (!name || !*name)
		return;
	for (size_t i = 0; i < w->nrelated; i++)
		if (!strcmp(w->related[i], name))
			return;
	const char **slot =
	    NET_PUSH(net, w->related, w->nrelated, w->caprelated, HULL_NET_MAX_ITEMS);
	if (slot)
		*slot = net_strdup(net, name);
}

static void add_alias(struct hull_net *net, struct net_attach *a, const char *alias)
{
	const char **slot =
	    NET_PUSH(net, a->aliases, a->naliases, a->capaliases, HULL_NET_MAX_ITEMS);
	if (slot)
		*slot = net_strdup(net, alias);
}

static void service_networks(struct hull_net *net, size_t domain, const char *project,
                             const struct hull_workload *mw, struct net_workload *w)
{
	for (size_t i = 0; i < mw->networks.n; i++) {
		const struct hull_net_attach *ma = &mw->networks.v[i];
		size_t before = net->nnets;
		size_t idx = net_add_network(net, domain, ma->network, NULL);
		if (idx == NET_NONE)
			return;
		/* a network no file declares (docker compose refuses it) is
		 * named like the project's own; a declared one keeps the name
		 * network_def gave it (an external one its own) */
		if (idx >= before)
			net->nets[idx].name = net_printf(net, "%s_%s", project, ma->network);
		net_attach(net, w, idx, npos(ma->pos));
		for (size_t a = 0; a < w->nattach; a++)
			for (size_t k = 0; w->attach[a].network == idx && k < ma->aliases.n; k++)
				add_alias(net, &w->attach[a], ma->aliases.v[k].v);
	}
}

static void service_relations(struct hull_net *net, const struct hull_workload *mw,
                              struct net_workload *w)
{
	for (size_t i = 0; i < mw->links.n; i++) {
		const char *s = mw->links.v[i].v;
		const char *colon = strchr(s, ':');
		add_related(net, w, colon ? net_strndup(net, s, (size_t)(colon - s)) : s);
	}
	for (size_t i = 0; i < mw->depends_on.n; i++)
		add_related(net, w, mw->depends_on.v[i].v);
}

/* Ports of the misconfig model's container into the graph. */
static void model_ports(struct hull_net *net, struct net_workload *w,
                        const struct hull_container *c)
{
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *p = &c->ports.v[i];
		struct net_pos pos = {.file = p->pos.file, .line = p->pos.line, .col = p->pos.col};
		uint8_t proto = NET_TCP;
		if (p->protocol && !net_proto_parse(p->protocol, &proto))
			continue;
		if (p->container_port < 1 || p->container_port > 65535) {
			hull_diag_warn(
			    net->diag, "%s: line %u: service %s: port '%s' not understood",
			    pos.file ? pos.file : "?", pos.line, w->name, p->name ? p->name : "?");
			continue;
		}
		uint16_t lo = (uint16_t)p->container_port;
		uint16_t hi = p->container_port_end >= lo && p->container_port_end <= 65535
		                  ? (uint16_t)p->container_port_end
		                  : lo;
		net_add_port(net, w, proto, lo, hi, NULL,
		             p->exposed_only ? NET_PORT_EXPOSE : NET_PORT_DECLARED, pos);
		if (p->exposed_only || !p->published)
			continue;
		struct net_publish *pub =
		    NET_PUSH(net, w->pubs, w->npubs, w->cappubs, HULL_NET_MAX_ITEMS);
		if (!pub)
			return;
		struct net_addr a;
		const char *ip = p->host_ip && *p->host_ip ? p->host_ip : NULL;
		pub->host_ip = net_strdup(net, ip);
		pub->loopback = ip && net_addr_parse(ip, strlen(ip), &a) && net_addr_loopback(&a);
		pub->proto = proto;
		pub->lo = lo;
		pub->hi = hi;
		if (p->host_port > 0 && p->host_port <= 65535) {
			pub->host_lo = (uint16_t)p->host_port;
			uint32_t h = (uint32_t)pub->host_lo + (hi - lo);
			pub->host_hi = h <= 65535 ? (uint16_t)h : 65535;
		}
		pub->pos = pos;
	}
}

/* network_mode into the workload, once every service exists. */
static void apply_mode(struct hull_net *net, size_t domain, struct net_workload *w,
                       const struct hull_workload *mw)
{
	w->mode = net_strdup(net, mw->network_mode.v);
	if (mw->network_mode.v)
		w->mode_pos = npos(mw->network_mode.pos);
	if (!w->mode) {
		if (!mw->networks_set) {
			size_t d = net_add_network(net, domain, "default", NULL);
			if (d != NET_NONE) {
				net->nets[d].is_default = true;
				net_attach(net, w, d, w->pos);
				w->default_only = true;
			}
		}
		return;
	}
	const char *m = w->mode;
	if (!strcmp(m, "host")) {
		w->host_network = true;
	} else if (!strcmp(m, "none")) {
		w->no_network = true;
	} else if (!strncmp(m, "service:", 8)) {
		for (size_t i = 0; i < net->nw; i++)
			if (net->w[i].domain == domain && !strcmp(net->w[i].name, m + 8))
				w->share = i;
		if (w->share == NET_NONE) {
			w->share_unknown = true;
			hull_diag_warn(net->diag, "%s: line %u: network_mode %s names no service",
			               w->mode_pos.file ? w->mode_pos.file : "?", w->mode_pos.line,
			               m);
		}
	} else if (!strncmp(m, "container:", 10)) {
		w->share_unknown = true; /* a container outside the project */
	} else {
		/* bridge / default: the engine's default bridge; anything else
		 * is a network by name, created outside the project */
		bool bridge = !strcmp(m, "bridge") || !strcmp(m, "default");
		size_t d =
		    net_add_network(net, domain, bridge ? "bridge" : m, bridge ? "bridge" : m);
		if (d != NET_NONE) {
			net->nets[d].external = true;
			net->nets[d].default_bridge = bridge;
			net_attach(net, w, d, w->mode_pos);
		}
	}
}

/* Does text name host `name` as a word ("db", "db:5432", "postgres://db/x")? */
static bool mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	if (!text || !n)
		return false;
	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		bool left = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
		                           p[-1] == '-' || p[-1] == '.');
		char r = p[n];
		bool right = !(isalnum((unsigned char)r) || r == '_' || r == '-' || r == '.');
		if (left && right)
			return true;
	}
	return false;
}

/* A service that names another in its environment or command talks to
 * it, as much as one with depends_on does (WORDPRESS_DB_HOST=db). */
static void implied_relations(struct hull_net *net, const struct hull_model *m, size_t first)
{
	for (size_t i = first; i < net->nw; i++) {
		struct net_workload *w = &net->w[i];
		const struct hull_container *c = NULL;
		for (size_t k = 0; k < m->workloads.n && !c; k++)
			if (m->workloads.v[k].input == HULL_INPUT_COMPOSE &&
			    m->workloads.v[k].containers.n &&
			    !strcmp(m->workloads.v[k].name, w->name))
				c = &m->workloads.v[k].containers.v[0];
		for (size_t j = first; c && j < net->nw; j++) {
			const char *other = net->w[j].name;
			bool hit = false;
			for (size_t e = 0; j != i && e < c->env.n && !hit; e++)
				hit = mentions(c->env.v[e].value, other);
			for (size_t e = 0; j != i && e < c->command.n && !hit; e++)
				hit = mentions(c->command.v[e].v, other);
			if (hit)
				add_related(net, w, other);
		}
	}
}

static int load_project(struct hull_net *net, const struct hull_model *m, const char *first_file)
{
	const char *project = project_name(net, m, first_file);
	size_t domain = net_add_domain(net, HULL_NET_COMPOSE, project, first_file);
	size_t first = net->nw;
	for (size_t i = 0; i < m->networks.n; i++)
		network_def(net, domain, project, &m->networks.v[i]);
	for (size_t i = 0; i < m->workloads.n && !net->failed; i++) {
		const struct hull_workload *mw = &m->workloads.v[i];
		if (mw->input != HULL_INPUT_COMPOSE || !mw->containers.n)
			continue;
		struct net_workload *w =
		    net_add_workload(net, domain, "service", mw->name, NULL, npos(mw->pos));
		if (!w)
			break;
		const struct hull_container *c = &mw->containers.v[0];
		w->image = net_strdup(net, c->image.v);
		model_ports(net, w, c);
		net_image_ports(net, w, w->pos);
		service_networks(net, domain, project, mw, w);
		service_relations(net, mw, w);
	}
	for (size_t i = 0, k = first; i < m->workloads.n && k < net->nw && !net->failed; i++) {
		const struct hull_workload *mw = &m->workloads.v[i];
		if (mw->input != HULL_INPUT_COMPOSE || !mw->containers.n)
			continue;
		apply_mode(net, domain, &net->w[k++], mw);
	}
	if (!net->failed)
		implied_relations(net, m, first);
	return net->failed ? -1 : 0;
}

int net_keep_model(struct hull_net *net, struct hull_model *m);
int net_keep_model(struct hull_net *net, struct hull_model *m)
{
	struct hull_model **slot =
	    NET_PUSH(net, net->models, net->nmodels, net->capmodels, HULL_NET_MAX_ITEMS);
	if (!slot) {
		hull_model_free(m);
		return -1;
	}
	*slot = m;
	return 0;
}

int net_load_compose_model(struct hull_net *net, const struct hull_model *m, const char *first_file,
                           struct hull_err *err)
{
	if (load_project(net, m, first_file) < 0) {
		*err = net->err;
		return -1;
	}
	return 0;
}

int hull_net_load_compose(struct hull_net *net, const char *const *datas, const size_t *lens,
                          const char *const *names, size_t n, const char *env, struct hull_err *err)
{
	if (net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph already computed");
	if (n == 0 || n > HULL_COMPOSE_MAX_FILES)
		return hull_err_set(err, HULL_ERR_USAGE, "between 1 and %u compose files",
		                    HULL_COMPOSE_MAX_FILES);
	struct hull_model *m = hull_model_new();
	if (!m)
		return hull_err_nomem(err);
	int lrc = hull_compose_load(m, datas, lens, names, n, env, err);
	hull_model_move_warnings(m, net->diag);
	if (lrc < 0) {
		hull_model_free(m);
		return -1;
	}
	if (net_keep_model(net, m) < 0) {
		*err = net->err;
		return -1;
	}
	return net_load_compose_model(net, m, names[0], err);
}
