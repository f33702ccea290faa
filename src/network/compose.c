/* compose: a Compose project (one or more files merged in order) into the
 * graph. Ports, images and the merged, interpolated service list come
 * from the misconfig Compose front end (hull_compose_load); what its
 * model does not keep (top-level networks with name / external /
 * internal / driver_opts, each service's networks with aliases,
 * network_mode, links and depends_on) is read here from the same files.
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
#include "util/yaml.h"

struct cfile {
	struct hull_yaml *y;
	const char *name; /* arena */
	struct json_object *doc;
};

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *text(struct json_object *v)
{
	if (!v || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	return json_object_get_string(v);
}

static bool truthy(struct json_object *v)
{
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	const char *s = text(v);
	return s && (!strcasecmp(s, "true") || !strcmp(s, "1"));
}

/* docker compose's project name: lower case letters, digits, '-' and '_'. */
static const char *project_name(struct hull_net *net, const struct cfile *f, size_t n)
{
	const char *name = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = text(get(f[i].doc, "name"));
		if (s && *s)
			name = s;
	}
	char buf[256];
	if (!name)
		name = net->opts.project;
	if (!name) {
		char path[4096];
		char *real = realpath(f[0].name, NULL);
		snprintf(path, sizeof(path), "%s", real ? real : f[0].name);
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
                        const struct cfile *f, const char *key, struct json_object *def)
{
	size_t idx = net_add_network(net, domain, key, NULL);
	if (idx == NET_NONE)
		return;
	struct net_network *n = &net->nets[idx];
	if (!n->pos.line)
		n->pos = net_key_pos(net, f->y, f->name, get(f->doc, "networks"), key);
	struct json_object *ext = get(def, "external");
	const char *name = text(get(def, "name"));
	if (ext) {
		n->external = truthy(ext) || json_object_is_type(ext, json_type_object);
		/* the legacy external: {name: x} form */
		const char *en = text(get(ext, "name"));
		if (en)
			name = en;
	}
	if (get(def, "internal"))
		n->internal = truthy(get(def, "internal"));
	const char *driver = text(get(def, "driver"));
	if (driver)
		n->driver = net_strdup(net, driver);
	const char *icc =
	    text(get(get(def, "driver_opts"), "com.docker.network.bridge.enable_icc"));
	if (icc) {
		n->icc = strcasecmp(icc, "false") && strcmp(icc, "0");
		n->icc_explicit = true;
	}
	if (name)
		n->name = net_strdup(net, name);
	else if (!n->external)
		n->name = net_printf(net, "%s_%s", project, key);
	else
		n->name = n->key;
}

static void networks_of_file(struct hull_net *net, size_t domain, const char *project,
                             const struct cfile *f)
{
	struct json_object *nets = get(f->doc, "networks");
	if (!nets || !json_object_is_type(nets, json_type_object))
		return;
	json_object_object_foreach(nets, key, def)
	{
		network_def(net, domain, project, f, key, def);
	}
}

/* ---- services ----------------------------------------------------------------------- */

struct svc_net {
	const char *mode;
	struct net_pos mode_pos;
	bool has_networks;
};

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
                             const struct cfile *f, struct json_object *svc, struct net_workload *w,
                             struct svc_net *sn)
{
	struct json_object *nets = get(svc, "networks");
	const char *mode = text(get(svc, "network_mode"));
	if (mode) {
		sn->mode = net_strdup(net, mode);
		sn->mode_pos = net_key_pos(net, f->y, f->name, svc, "network_mode");
	}
	if (!nets)
		return;
	bool list = json_object_is_type(nets, json_type_array);
	size_t n = 0;
	if (list)
		n = json_object_array_length(nets);
	else if (json_object_is_type(nets, json_type_object))
		n = (size_t)json_object_object_length(nets);
	if (n)
		sn->has_networks = true;
	if (list) {
		for (size_t i = 0; i < n; i++) {
			struct json_object *it = json_object_array_get_idx(nets, i);
			const char *key = text(it);
			if (!key)
				continue;
			size_t idx = net_add_network(net, domain, key, NULL);
			if (idx != NET_NONE && net->nets[idx].name == net->nets[idx].key)
				net->nets[idx].name = net_printf(net, "%s_%s", project, key);
			if (idx != NET_NONE)
				net_attach(net, w, idx, net_pos_of(net, f->y, f->name, it));
		}
		return;
	}
	if (!json_object_is_type(nets, json_type_object))
		return;
	json_object_object_foreach(nets, key, cfg)
	{
		size_t idx = net_add_network(net, domain, key, NULL);
		if (idx == NET_NONE)
			return;
		if (net->nets[idx].name == net->nets[idx].key)
			net->nets[idx].name = net_printf(net, "%s_%s", project, key);
		net_attach(net, w, idx, net_key_pos(net, f->y, f->name, nets, key));
		struct json_object *al = get(cfg, "aliases");
		for (size_t i = 0; al && json_object_is_type(al, json_type_array) &&
		                   i < json_object_array_length(al);
		     i++) {
			const char *s = text(json_object_array_get_idx(al, i));
			for (size_t a = 0; s && a < w->nattach; a++)
				if (w->attach[a].network == idx)
					add_alias(net, &w->attach[a], s);
		}
	}
}

static void service_relations(struct hull_net *net, struct json_object *svc, struct net_workload *w)
{
	struct json_object *links = get(svc, "links"), *deps = get(svc, "depends_on");
	for (size_t i = 0; links && json_object_is_type(links, json_type_array) &&
	                   i < json_object_array_length(links);
	     i++) {
		const char *s = text(json_object_array_get_idx(links, i));
		if (!s)
			continue;
		const char *colon = strchr(s, ':');
		add_related(net, w, colon ? net_strndup(net, s, (size_t)(colon - s)) : s);
	}
	if (deps && json_object_is_type(deps, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(deps); i++)
			add_related(net, w, text(json_object_array_get_idx(deps, i)));
	} else if (deps && json_object_is_type(deps, json_type_object)) {
		json_object_object_foreach(deps, key, val)
		{
			(void)val;
			add_related(net, w, key);
		}
	}
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

static struct json_object *service_json(const struct cfile *f, const char *name)
{
	return get(get(f->doc, "services"), name);
}

/* network_mode into the workload, once every service exists. */
static void apply_mode(struct hull_net *net, size_t domain, struct net_workload *w,
                       const struct svc_net *sn)
{
	w->mode = sn->mode;
	w->mode_pos = sn->mode_pos;
	if (!sn->mode) {
		if (!sn->has_networks) {
			size_t d = net_add_network(net, domain, "default", NULL);
			if (d != NET_NONE) {
				net->nets[d].is_default = true;
				net_attach(net, w, d, w->pos);
				w->default_only = true;
			}
		}
		return;
	}
	const char *m = sn->mode;
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

static int load_project(struct hull_net *net, struct hull_model *m, struct cfile *f, size_t nf)
{
	const char *project = project_name(net, f, nf);
	size_t domain = net_add_domain(net, HULL_NET_COMPOSE, project, f[0].name);
	size_t first = net->nw;
	for (size_t i = 0; i < nf; i++)
		networks_of_file(net, domain, project, &f[i]);
	struct svc_net *sn = calloc(m->workloads.n ? m->workloads.n : 1, sizeof(*sn));
	if (!sn)
		return net_fail(net, HULL_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < m->workloads.n && !net->failed; i++) {
		const struct hull_workload *mw = &m->workloads.v[i];
		if (mw->input != HULL_INPUT_COMPOSE || !mw->containers.n)
			continue;
		struct net_pos pos = {
		    .file = mw->pos.file, .line = mw->pos.line, .col = mw->pos.col};
		struct net_workload *w =
		    net_add_workload(net, domain, "service", mw->name, NULL, pos);
		if (!w)
			break;
		const struct hull_container *c = &mw->containers.v[0];
		w->image = net_strdup(net, c->image.v);
		model_ports(net, w, c);
		net_image_ports(net, w, pos);
		for (size_t k = 0; k < nf; k++) {
			struct json_object *svc = service_json(&f[k], mw->name);
			if (!svc)
				continue;
			service_networks(net, domain, project, &f[k], svc, w, &sn[i]);
			service_relations(net, svc, w);
		}
	}
	for (size_t i = 0, k = first; i < m->workloads.n && k < net->nw && !net->failed; i++) {
		const struct hull_workload *mw = &m->workloads.v[i];
		if (mw->input != HULL_INPUT_COMPOSE || !mw->containers.n)
			continue;
		apply_mode(net, domain, &net->w[k++], &sn[i]);
	}
	free(sn);
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
	struct cfile f[HULL_COMPOSE_MAX_FILES] = {0};
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		f[i].name = net_strdup(net, names[i]);
		rc = hull_yaml_parse(datas[i], lens[i], names[i], &f[i].y, err);
		if (rc == 0)
			f[i].doc = hull_yaml_ndocs(f[i].y) ? hull_yaml_doc(f[i].y, 0) : NULL;
	}
	if (rc == 0 && load_project(net, m, f, n) < 0) {
		*err = net->err;
		rc = -1;
	}
	for (size_t i = 0; i < n; i++)
		hull_yaml_free(f[i].y);
	return rc;
}
