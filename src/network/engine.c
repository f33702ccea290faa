/* engine: a live Docker or podman engine through its Engine API, and
 * `docker inspect` / `podman inspect` output, into the graph.
 *
 * GET /networks gives each network's driver, `Internal` flag and options
 * (com.docker.network.bridge.enable_icc); each container's inspect object
 * (GET /containers/{id}/json) gives HostConfig.NetworkMode, the networks
 * it is attached to with their aliases and addresses, and the published
 * ports with their bind address. The list form of /containers/json is
 * read as well (podman omits HostConfig there, so the fetcher asks for
 * every container's inspect object, through the engine client of
 * src/engine). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/model.h"
#include "network/internal.h"
#include "util/buf.h"
#include "util/json.h"

#define MAX_CONTAINERS HULL_ENGINE_MAX_CONTAINERS

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !v ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static int64_t jint(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);
	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_string))
		return strtoll(json_object_get_string(v), NULL, 10);
	return 0;
}

/* ---- networks ---------------------------------------------------------------------- */

static void engine_network(struct hull_net *net, size_t domain, struct json_object *n,
                           const char *source)
{
	const char *name = jstr(n, "Name");
	if (!name)
		return;
	size_t idx = net_add_network(net, domain, name, name);
	if (idx == NET_NONE)
		return;
	struct net_network *nw = &net->nets[idx];
	struct json_object *opts = jget(n, "Options");
	const char *driver = jstr(n, "Driver"),
	           *icc = jstr(opts, "com.docker.network.bridge.enable_icc");
	const char *defb = jstr(opts, "com.docker.network.bridge.default_bridge");
	struct json_object *internal = jget(n, "Internal");
	nw->driver = net_strdup(net, driver ? driver : "bridge");
	nw->internal = internal && json_object_is_type(internal, json_type_boolean) &&
	               json_object_get_boolean(internal);
	nw->icc = !icc || strcasecmp(icc, "false");
	nw->icc_explicit = icc != NULL;
	nw->default_bridge = (defb && !strcasecmp(defb, "true")) ||
	                     (!strcmp(name, "bridge") && !strcmp(nw->driver, "bridge")) ||
	                     !strcmp(name, "podman");
	nw->pos.file = source;
}

/* ---- containers -------------------------------------------------------------------- */

static void publish(struct hull_net *net, struct net_workload *w, const char *ip, uint8_t proto,
                    int64_t port, int64_t host, const char *source)
{
	if (port < 1 || port > 65535 || host < 0 || host > 65535)
		return;
	net_add_port(net, w, proto, (uint16_t)port, (uint16_t)port, NULL, NET_PORT_DECLARED,
	             (struct net_pos){.file = source});
	if (host == 0)
		return; /* exposed, not published */
	for (size_t i = 0; i < w->npubs; i++) {
		struct net_publish *p = &w->pubs[i];
		if (p->proto == proto && p->lo == port && p->host_lo == host &&
		    ((!p->host_ip && !ip) || (p->host_ip && ip && !strcmp(p->host_ip, ip))))
			return;
	}
	struct net_publish *p = NET_PUSH(net, w->pubs, w->npubs, w->cappubs, HULL_NET_MAX_ITEMS);
	if (!p)
		return;
	struct net_addr a;
	bool parsed = ip && *ip && net_addr_parse(ip, strlen(ip), &a);
	p->host_ip = parsed && !net_addr_any(&a) ? net_strdup(net, ip) : NULL;
	p->loopback = parsed && net_addr_loopback(&a);
	p->proto = proto;
	p->lo = p->hi = (uint16_t)port;
	p->host_lo = p->host_hi = (uint16_t)host;
	p->pos.file = source;
}

/* List form: "Ports": [{"IP", "PrivatePort", "PublicPort", "Type"}]. */
static void list_ports(struct hull_net *net, struct net_workload *w, struct json_object *ports,
                       const char *source)
{
	for (size_t i = 0; ports && json_object_is_type(ports, json_type_array) &&
	                   i < json_object_array_length(ports);
	     i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);
		uint8_t proto = NET_TCP;
		if (jstr(p, "Type") && !net_proto_parse(jstr(p, "Type"), &proto))
			continue;
		publish(net, w, jstr(p, "IP"), proto, jint(p, "PrivatePort"), jint(p, "PublicPort"),
		        source);
	}
}

/* Inspect form: "Ports": {"80/tcp": [{"HostIp", "HostPort"}] | null}. */
static void map_ports(struct hull_net *net, struct net_workload *w, struct json_object *ports,
                      const char *source)
{
	if (!ports || !json_object_is_type(ports, json_type_object))
		return;
	json_object_object_foreach(ports, spec, binds)
	{
		int64_t lo, hi;
		const char *proto_s = NULL;
		uint8_t proto = NET_TCP;
		if (!hull_parse_port_range(spec, &lo, &hi, &proto_s))
			continue;
		if (proto_s && !net_proto_parse(proto_s, &proto))
			continue;
		size_t n = binds && json_object_is_type(binds, json_type_array)
		               ? json_object_array_length(binds)
		               : 0;
		if (n == 0)
			publish(net, w, NULL, proto, lo, 0, source);
		for (size_t i = 0; i < n; i++) {
			struct json_object *b = json_object_array_get_idx(binds, i);
			publish(net, w, jstr(b, "HostIp"), proto, lo, jint(b, "HostPort"), source);
		}
	}
}

struct pending {
	size_t w;
	const char *target; /* container:<x> */
};

static void engine_container(struct hull_net *net, size_t domain, struct json_object *c,
                             const char *source, struct pending *pend)
{
	struct json_object *names = jget(c, "Names");
	const char *name = jstr(c, "Name");
	/* podman's list form has "Name": "" beside "Names" */
	if ((!name || !*name) && names && json_object_is_type(names, json_type_array) &&
	    json_object_array_length(names))
		name = json_object_get_string(json_object_array_get_idx(names, 0));
	if (name && name[0] == '/')
		name++;
	const char *id = jstr(c, "Id");
	struct net_workload *w = net_add_workload(net, domain, "container", name ? name : id, NULL,
	                                          (struct net_pos){.file = source});
	if (!w)
		return;
	const char *image = jstr(jget(c, "Config"), "Image");
	w->image = net_strdup(net, image ? image : jstr(c, "Image"));
	struct json_object *ns = jget(c, "NetworkSettings");
	list_ports(net, w, jget(c, "Ports"), source);
	map_ports(net, w, jget(ns, "Ports"), source);
	struct json_object *exposed = jget(jget(c, "Config"), "ExposedPorts");
	if (exposed && json_object_is_type(exposed, json_type_object)) {
		json_object_object_foreach(exposed, spec, v)
		{
			(void)v;
			int64_t lo, hi;
			const char *ps = NULL;
			uint8_t proto = NET_TCP;
			if (hull_parse_port_range(spec, &lo, &hi, &ps) && lo >= 1 && hi <= 65535 &&
			    (!ps || net_proto_parse(ps, &proto)))
				net_add_port(net, w, proto, (uint16_t)lo, (uint16_t)hi, NULL,
				             NET_PORT_EXPOSE, w->pos);
		}
	}
	net_image_ports(net, w, w->pos);
	const char *mode = jstr(jget(c, "HostConfig"), "NetworkMode");
	w->mode = net_strdup(net, mode);
	if (mode && !strcmp(mode, "host"))
		w->host_network = true;
	else if (mode && !strcmp(mode, "none"))
		w->no_network = true;
	else if (mode && !strncmp(mode, "container:", 10))
		pend->target = net_strdup(net, mode + 10);
	struct json_object *nets = jget(ns, "Networks");
	if (nets && json_object_is_type(nets, json_type_object) && !w->host_network &&
	    !w->no_network) {
		json_object_object_foreach(nets, nname, ep)
		{
			size_t idx = net_add_network(net, domain, nname, nname);
			if (idx == NET_NONE)
				return;
			net_attach(net, w, idx, w->pos);
			struct net_attach *a = &w->attach[w->nattach - 1];
			struct json_object *al = jget(ep, "Aliases");
			for (size_t i = 0; al && json_object_is_type(al, json_type_array) &&
			                   i < json_object_array_length(al) && a->network == idx;
			     i++) {
				const char **slot = NET_PUSH(net, a->aliases, a->naliases,
				                             a->capaliases, HULL_NET_MAX_ITEMS);
				if (slot)
					*slot =
					    net_strdup(net, json_object_get_string(
					                        json_object_array_get_idx(al, i)));
			}
			const char *ip = jstr(ep, "IPAddress");
			struct net_addr addr;
			struct net_addr *slot =
			    ip && net_addr_parse(ip, strlen(ip), &addr)
			        ? NET_PUSH(net, w->ips, w->nips, w->capips, HULL_NET_MAX_ITEMS)
			        : NULL;
			if (slot)
				*slot = addr;
		}
	}
	pend->w = net->nw - 1;
	(void)id;
}

/* container:<name or id> once every container is known. */
static void resolve_shares(struct hull_net *net, size_t domain, const struct pending *pend,
                           size_t n, struct json_object *arr)
{
	for (size_t i = 0; i < n; i++) {
		if (!pend[i].target || pend[i].w == NET_NONE)
			continue;
		struct net_workload *w = &net->w[pend[i].w];
		size_t tl = strlen(pend[i].target);
		for (size_t k = 0; k < n && w->share == NET_NONE; k++) {
			if (pend[k].w == NET_NONE || k == i)
				continue;
			const char *id = jstr(json_object_array_get_idx(arr, k), "Id");
			const struct net_workload *o = &net->w[pend[k].w];
			if (o->domain == domain &&
			    (!strcmp(o->name, pend[i].target) ||
			     (id && tl >= 12 && !strncmp(id, pend[i].target, tl))))
				w->share = pend[k].w;
		}
		if (w->share == NET_NONE)
			w->share_unknown = true;
	}
}

int net_load_engine_json(struct hull_net *net, const char *source, struct json_object *networks,
                         struct json_object *containers, struct hull_err *err);
int net_load_engine_json(struct hull_net *net, const char *source, struct json_object *networks,
                         struct json_object *containers, struct hull_err *err)
{
	const char *src = net_strdup(net, source);
	size_t domain = net_add_domain(net, HULL_NET_ENGINE, source, source);
	if (networks && json_object_is_type(networks, json_type_array))
		for (size_t i = 0; i < json_object_array_length(networks); i++)
			engine_network(net, domain, json_object_array_get_idx(networks, i), src);
	size_t n = json_object_array_length(containers);
	if (n > MAX_CONTAINERS)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: more than %u containers", source,
		                    MAX_CONTAINERS);
	struct pending *pend = calloc(n ? n : 1, sizeof(*pend));
	if (!pend)
		return hull_err_nomem(err);
	for (size_t i = 0; i < n && !net->failed; i++) {
		pend[i].w = NET_NONE;
		struct json_object *c = json_object_array_get_idx(containers, i);
		if (c && json_object_is_type(c, json_type_object))
			engine_container(net, domain, c, src, &pend[i]);
	}
	if (!net->failed)
		resolve_shares(net, domain, pend, n, containers);
	free(pend);
	if (net->failed) {
		*err = net->err;
		return -1;
	}
	return 0;
}

int hull_net_load_engine(struct hull_net *net, const char *source, const char *networks,
                         size_t nlen, const char *containers, size_t clen, struct hull_err *err)
{
	struct json_object *nj = NULL, *cj = NULL;
	if (net->computed)
		return hull_err_set(err, HULL_ERR_USAGE, "network graph already computed");
	if (networks && hull_json_parse(networks, nlen, "GET /networks", &nj, err) < 0)
		return hull_err_wrap(err, "%s", source);
	if (hull_json_parse(containers, clen, "GET /containers", &cj, err) < 0) {
		json_object_put(nj);
		return hull_err_wrap(err, "%s", source);
	}
	int rc = 0;
	if (!json_object_is_type(cj, json_type_array) ||
	    (nj && !json_object_is_type(nj, json_type_array)))
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: the engine's answers are not JSON arrays", source);
	else
		rc = net_load_engine_json(net, source, nj, cj, err);
	json_object_put(nj);
	json_object_put(cj);
	return rc;
}

/* ---- fetching through the engine client ---------------------------------------------- */

struct joined {
	struct hull_buf all;
	const char *engine;
};

/* Each container's inspect answer, appended to one JSON array. */
static int join_inspect(void *ctx, const char *id, struct hull_str inspect, const char *name,
                        struct hull_err *err)
{
	struct joined *j = ctx;
	(void)id;
	(void)name;
	if ((j->all.len > 1 && hull_buf_putc(&j->all, ',', err) < 0) ||
	    hull_buf_append(&j->all, inspect.len ? inspect.ptr : "null",
	                    inspect.len ? inspect.len : 4, err) < 0)
		return err->kind != HULL_ERR_LIMIT
		           ? -1
		           : hull_err_set(err, HULL_ERR_LIMIT,
		                          "engine %s: the containers' answers are over %u MiB",
		                          j->engine, HULL_NET_ENGINE_MAX >> 20);
	return 0;
}

int hull_net_engine_fetch(struct hull_engine *e, char **networks, size_t *nlen, char **containers,
                          size_t *clen, struct hull_err *err)
{
	*networks = *containers = NULL;
	struct joined j = {.engine = hull_engine_url(e)};
	if (hull_engine_get(e, "/networks", networks, nlen, err) < 0)
		return -1;
	hull_buf_init(&j.all, HULL_NET_ENGINE_MAX);
	int rc = hull_buf_putc(&j.all, '[', err);
	if (rc == 0)
		rc = hull_engine_each_container(e, join_inspect, &j, NULL, err);
	if (rc == 0)
		rc = hull_buf_putc(&j.all, ']', err);
	if (rc == 0 && !(*containers = hull_buf_detach(&j.all, clen)))
		rc = hull_err_nomem(err);
	if (rc < 0) {
		hull_buf_release(&j.all);
		free(*networks);
		*networks = NULL;
	}
	return rc;
}
