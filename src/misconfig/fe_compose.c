/* Docker Compose front end (v2, v3 and the Compose Specification).
 *
 * Several files (-f a -f b) are applied in order onto the same workloads:
 * a later file's value replaces an earlier one, list settings (ports,
 * cap_add, security_opt, devices) add up, volumes and environment merge by
 * target and name. So every value keeps the position of the file that set
 * it. `extends` applies the base service (same file or `file:`) first.
 * String values are interpolated from the .env text: ${VAR}, $VAR,
 * ${VAR:-def}, ${VAR-def}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?msg}, $$.
 *
 * What needs every service first is resolved once all files are read
 * (resolve()): named volumes whose driver_opts bind a host directory,
 * `volumes_from`, namespaces shared with another service
 * (`network_mode: service:x`, `pid: container:x` ...) and services others
 * wait for with `condition: service_completed_successfully`. */
#include <arpa/inet.h>
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/fe.h"
#include "misconfig/load.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

#define MAX_EXTENDS     8
#define MAX_INTERP      (256u << 10)
#define MAX_INTERP_NEST 16

/* A named volume whose local driver binds a host directory
 * (driver_opts: {type: none, o: bind, device: /srv/data}). */
struct bindvol {
	const char *key, *device;
};

/* `network_mode`, `pid` or `ipc` set to service:X or container:X. */
enum ns_kind { NS_NET, NS_PID, NS_IPC };
struct nsref {
	size_t w; /* index of the workload that shares */
	enum ns_kind kind;
	const char *target;
	bool container; /* container:X names a container_name (or a service) */
	struct hull_pos pos;
};

/* One `volumes_from` entry: "svc[:ro|:rw]" or "container:name[:ro|:rw]". */
struct volfrom {
	size_t w;
	const char *target;
	bool container, ro;
	struct hull_pos pos;
};

/* What the front end carries across files: the .env variables and the
 * references resolved once every service is loaded. */
struct cenv {
	hull_pairlist vars;
	size_t nfiles; /* files read for extends, against HULL_COMPOSE_MAX_FILES */
	HULL_LIST(struct bindvol) bindvols;
	HULL_LIST(struct nsref) nsrefs;
	HULL_LIST(struct volfrom) volfroms;
};

/* ---- .env and interpolation ------------------------------------------------ */

static void parse_env(struct hull_model *m, const char *text, hull_pairlist *out)
{
	struct hull_str rest = hull_str_c(text), line;
	while (hull_str_next_line(&rest, &line)) {
		line = hull_str_trim(line);
		if (!line.len || line.ptr[0] == '#')
			continue;
		if (hull_str_has_prefix(line, "export "))
			line = hull_str_trim(hull_str(line.ptr + 7, line.len - 7));
		struct hull_str k, v;
		if (!hull_str_split(line, '=', &k, &v))
			continue;
		k = hull_str_trim(k);
		v = hull_str_trim(v);
		if (v.len >= 2 && (v.ptr[0] == '"' || v.ptr[0] == '\'') &&
		    v.ptr[v.len - 1] == v.ptr[0]) {
			v.ptr++;
			v.len -= 2;
		} else {
			/* an unquoted value ends at " #" */
			for (size_t i = 1; i < v.len; i++)
				if (v.ptr[i] == '#' &&
				    (v.ptr[i - 1] == ' ' || v.ptr[i - 1] == '\t')) {
					v = hull_str_trim(hull_str(v.ptr, i));
					break;
				}
		}
		struct hull_pair *p = hull_model_push(m, out);
		if (p) {
			p->key = hull_model_strndup(m, k.ptr, k.len);
			p->value = hull_model_strndup(m, v.ptr, v.len);
		}
	}
}

static const char *lookup(const struct cenv *e, const char *name, size_t n)
{
	for (size_t i = e->vars.n; i-- > 0;)
		if (strlen(e->vars.v[i].key) == n && !strncmp(e->vars.v[i].key, name, n))
			return e->vars.v[i].value;
	return NULL;
}

static void interp_into(const struct cenv *e, const char *s, size_t n, struct hull_buf *out,
                        int depth);

/* ${...} body [b, b+n): NAME[(:?)[-+?]WORD] */
static void brace(const struct cenv *e, const char *b, size_t n, struct hull_buf *out, int depth)
{
	size_t k = 0;
	while (k < n && (isalnum((unsigned char)b[k]) || b[k] == '_'))
		k++;
	const char *val = lookup(e, b, k);
	if (k == n) {
		if (val)
			hull_buf_append_str(out, val, NULL);
		return;
	}
	bool colon = b[k] == ':';
	size_t o = k + colon;
	char op = o < n ? b[o] : 0;
	const char *word = b + o + 1;
	size_t wlen = o + 1 <= n ? n - o - 1 : 0;
	bool set = val != NULL, usable = colon ? val && *val : set;
	if (op == '-' || op == '?') {
		if (usable)
			hull_buf_append_str(out, val, NULL);
		else if (op == '-')
			interp_into(e, word, wlen, out, depth + 1);
	} else if (op == '+') {
		if (usable)
			interp_into(e, word, wlen, out, depth + 1);
	} else if (val) {
		hull_buf_append_str(out, val, NULL);
	}
}

static void interp_into(const struct cenv *e, const char *s, size_t n, struct hull_buf *out,
                        int depth)
{
	if (depth > MAX_INTERP_NEST) {
		hull_buf_append(out, s, n, NULL);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '$' || i + 1 >= n) {
			hull_buf_putc(out, s[i], NULL);
			continue;
		}
		if (s[i + 1] == '$') {
			hull_buf_putc(out, '$', NULL);
			i++;
		} else if (s[i + 1] == '{') {
			size_t j = i + 2;
			int nest = 1;
			for (; j < n; j++) {
				if (s[j] == '{')
					nest++;
				else if (s[j] == '}' && --nest == 0)
					break;
			}
			if (j >= n) { /* unterminated: keep as written */
				hull_buf_append(out, s + i, n - i, NULL);
				return;
			}
			brace(e, s + i + 2, j - i - 2, out, depth);
			i = j;
		} else if (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_') {
			size_t j = i + 1;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			const char *val = lookup(e, s + i + 1, j - i - 1);
			if (val)
				hull_buf_append_str(out, val, NULL);
			i = j - 1;
		} else {
			hull_buf_putc(out, '$', NULL);
		}
	}
}

static const char *interp(const struct fe *f, const char *s)
{
	if (!strchr(s, '$'))
		return hull_model_strdup(f->m, s);
	struct hull_buf out;
	hull_buf_init(&out, MAX_INTERP);
	interp_into(f->ctx, s, strlen(s), &out, 0);
	const char *r = hull_model_strndup(f->m, out.data ? out.data : "", out.len);
	hull_buf_release(&out);
	return r;
}

/* ---- typed values ------------------------------------------------------------ */

static bool word_in(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

/* Compose booleans: YAML booleans and the strings compose-go converts
 * (true/false, yes/no, on/off, y/n in any case), so `privileged: "yes"`
 * counts. An empty string (a variable .env does not set) leaves the value
 * unset; anything else fails the file, as `docker compose` refuses it. */
static bool cbool(const struct fe *f, struct json_object *map, const char *key,
                  struct hull_vbool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "y"};
	static const char *const no[] = {"false", "no", "off", "n"};
	struct json_object *v = fe_get(map, key);
	if (!v || json_object_is_type(v, json_type_null))
		return false;
	struct hull_pos pos = fe_key_pos(f, map, key);
	const char *s = json_object_is_type(v, json_type_boolean) ? NULL : fe_text(f, v);
	bool b = json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
	if (s && !*s)
		return false;
	if (s && word_in(s, yes, 4)) {
		b = true;
	} else if (s && word_in(s, no, 4)) {
		b = false;
	} else if (!json_object_is_type(v, json_type_boolean)) {
		hull_model_fail(f->m, HULL_ERR_INPUT,
		                "%s: line %u, column %u: %s: '%s' is not a boolean (true or false)",
		                f->file, pos.line, pos.col, key, s ? s : "(a collection)");
		return false;
	}
	out->v = b ? HULL_TRUE : HULL_FALSE;
	out->pos = pos;
	return true;
}

/* A "list or dict" setting (labels, sysctls): {k: v} or ["k=v", "k"]. */
static void list_or_dict(const struct fe *f, struct json_object *node, hull_pairlist *out)
{
	if (node && json_object_is_type(node, json_type_object)) {
		fe_pairs(f, node, out);
		return;
	}
	hull_strlist l = {0};
	fe_strlist(f, node, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct hull_pair *p = hull_model_push(f->m, out);
		const char *eq = strchr(l.v[i].v, '=');
		if (p) {
			p->key = eq ? hull_model_strndup(f->m, l.v[i].v, (size_t)(eq - l.v[i].v))
			            : l.v[i].v;
			p->value = eq ? eq + 1 : NULL;
			p->pos = l.v[i].pos;
		}
	}
}

/* ---- ports ---------------------------------------------------------------- */

static bool range(const char *s, size_t n, int64_t *lo, int64_t *hi)
{
	char buf[32];
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	return hull_parse_port_range(buf, lo, hi, NULL);
}

/* A host port that is neither a number nor a range ("127.0.0.1:8080" as
 * the long syntax's `published`, "abc"): Compose refuses it, so it is a
 * configuration error (HULL-C030), not a random host port. */
static void bad_host_port(const struct fe *f, struct hull_port *p, const char *s, size_t n)
{
	p->host_port = -1;
	p->host_raw = hull_model_strndup(f->m, s, n);
	p->published = false;
}

static bool ip_address(const char *s, size_t n)
{
	char buf[64];
	unsigned char addr[16];
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

/* A mapping the engine refuses: a HULL-C030 error, published nowhere. */
static void bad_spec(struct hull_port *p, const char *spec)
{
	p->container_port = -1;
	p->name = spec;
	p->published = false;
}

/* "[HOST_IP:][HOST:]CONTAINER[/PROTO]", split from the right as the
 * engine does (docker/go-connections): the host IP is all before the
 * second-last colon, so an IPv6 address needs no brackets
 * ("fe80::1:8080:80"), and must be an address. */
static void short_port(const struct fe *f, struct hull_container *c, const char *spec,
                       struct hull_pos pos)
{
	struct hull_port *p = hull_model_push(f->m, &c->ports);
	if (!p)
		return;
	p->pos = pos;
	p->protocol = "tcp";
	p->published = true;
	const char *slash = strrchr(spec, '/');
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
	if (slash)
		p->protocol = hull_model_strdup(f->m, slash + 1);
	const char *s = spec, *ip = NULL;
	size_t iplen = 0;
	if (*s == '[') { /* [::1]:8080:80 */
		const char *rb = memchr(s, ']', n);
		if (!rb || rb[1] != ':') {
			bad_spec(p, spec);
			return;
		}
		ip = s + 1;
		iplen = (size_t)(rb - s - 1);
		n -= (size_t)(rb + 2 - s);
		s = rb + 2;
	}
	const char *last = NULL, *second = NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':') {
			second = last;
			last = s + i;
		}
	}
	if (second && ip) { /* [ip]:a:b:c */
		bad_spec(p, spec);
		return;
	}
	if (second) {
		ip = s;
		iplen = (size_t)(second - s);
	}
	if (ip && iplen && !ip_address(ip, iplen)) {
		bad_spec(p, spec);
		return;
	}
	if (ip)
		p->host_ip = hull_model_strndup(f->m, ip, iplen);
	const char *cport = last ? last + 1 : s;
	const char *hport = second ? second + 1 : s;
	size_t hlen = last ? (size_t)(last - hport) : 0;
	int64_t lo, hi;
	if (!range(cport, (size_t)(s + n - cport), &lo, &hi)) {
		bad_spec(p, hull_model_strndup(f->m, cport, (size_t)(s + n - cport)));
		return;
	}
	p->container_port = lo;
	p->container_port_end = hi;
	/* "127.0.0.1::80" leaves the host port empty: a random one */
	if (hlen && !range(hport, hlen, &lo, &hi))
		bad_host_port(f, p, hport, hlen);
	else if (hlen)
		p->host_port = lo;
}

static void long_port(const struct fe *f, struct hull_container *c, struct json_object *pj)
{
	struct hull_port *p = hull_model_push(f->m, &c->ports);
	if (!p)
		return;
	p->pos = fe_pos(f, pj);
	p->protocol = fe_scalar(f, pj, "protocol");
	if (!p->protocol)
		p->protocol = "tcp";
	p->host_ip = fe_scalar(f, pj, "host_ip");
	p->name = fe_scalar(f, pj, "name");
	p->published = true;
	int64_t lo, hi;
	const char *t = fe_scalar(f, pj, "target");
	if (t && hull_parse_port_range(t, &lo, &hi, NULL)) {
		p->container_port = lo;
		p->container_port_end = hi;
	} else if (t) {
		p->container_port = -1;
		p->name = t;
	}
	const char *pub = fe_scalar(f, pj, "published");
	if (pub && *pub && hull_parse_port_range(pub, &lo, &hi, NULL))
		p->host_port = lo;
	else if (pub && *pub)
		bad_host_port(f, p, pub, strlen(pub));
}

static void ports(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *arr = fe_arr(svc, "ports");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *pj = json_object_array_get_idx(arr, i);
		if (json_object_is_type(pj, json_type_object))
			long_port(f, c, pj);
		else if (fe_text(f, pj))
			short_port(f, c, fe_text(f, pj), fe_pos(f, pj));
	}
	hull_strlist exp = {0};
	fe_strlist(f, fe_arr(svc, "expose"), &exp);
	for (size_t i = 0; i < exp.n; i++)
		hull_model_add_exposed(f->m, c, exp.v[i].v, exp.v[i].pos);
}

/* ---- volumes ---------------------------------------------------------------- */

/* Compose's test: absolute, relative, home, a Windows drive, or a Windows
 * named pipe (\\.\pipe\x); anything else names a volume. */
static bool is_path(const char *s)
{
	return *s == '/' || *s == '.' || *s == '~' ||
	       (isalpha((unsigned char)s[0]) && s[1] == ':') || !strncmp(s, "\\\\", 2);
}

static bool same_pos(struct hull_pos a, struct hull_pos b)
{
	return a.file == b.file && a.line == b.line && a.col == b.col;
}

/* A later file's volume on the same target replaces the earlier one, and
 * so does the host path the earlier one declared. */
static void drop_mount(struct hull_workload *w, struct hull_container *c, const char *target)
{
	for (size_t i = 0; target && i < c->mounts.n; i++) {
		struct hull_mount *mt = &c->mounts.v[i];
		if (!mt->target || strcmp(mt->target, target))
			continue;
		for (size_t k = 0; mt->kind == HULL_MOUNT_BIND && k < w->volumes.n; k++) {
			if (same_pos(w->volumes.v[k].pos, mt->pos)) {
				memmove(&w->volumes.v[k], &w->volumes.v[k + 1],
				        (w->volumes.n - k - 1) * sizeof(w->volumes.v[0]));
				w->volumes.n--;
				break;
			}
		}
		memmove(mt, mt + 1, (c->mounts.n - i - 1) * sizeof(*mt));
		c->mounts.n--;
		return;
	}
}

static void add_mount(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                      const char *src, const char *target, bool ro, const char *prop,
                      const char *type, struct hull_pos pos)
{
	drop_mount(w, c, target);
	/* npipe is a host named pipe (\\.\pipe\docker_engine): a host path */
	if (src && (type ? !strcmp(type, "bind") || !strcmp(type, "npipe") : is_path(src))) {
		fe_add_bind(f, w, c, src, target, ro, prop, pos);
		return;
	}
	struct hull_mount *mt = hull_model_push(f->m, &c->mounts);
	if (mt) {
		mt->kind = type && !strcmp(type, "tmpfs") ? HULL_MOUNT_TMPFS : HULL_MOUNT_VOLUME;
		mt->source = src;
		mt->target = target;
		mt->read_only = ro;
		mt->propagation = prop;
		mt->pos = pos;
	}
}

/* "SRC:TARGET[:MODE]" or "TARGET" */
static void short_volume(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                         const char *spec, struct hull_pos pos)
{
	char *copy = strdup(spec);
	if (!copy) {
		hull_model_fail(f->m, HULL_ERR_NOMEM, "out of memory");
		return;
	}
	/* a Windows drive letter "C:\x:/y" keeps its colon */
	char *fields[3] = {copy, NULL, NULL};
	size_t nf = 1;
	for (char *p = copy + ((isalpha((unsigned char)copy[0]) && copy[1] == ':') ? 2 : 0);
	     *p && nf < 3; p++) {
		if (*p == ':') {
			*p = 0;
			fields[nf++] = p + 1;
		}
	}
	if (nf == 1) {
		add_mount(f, w, c, NULL, hull_model_strdup(f->m, fields[0]), false, NULL, "volume",
		          pos);
	} else {
		bool ro = false;
		const char *prop = NULL;
		for (char *save, *o = nf == 3 ? strtok_r(fields[2], ",", &save) : NULL; o;
		     o = strtok_r(NULL, ",", &save)) {
			if (!strcmp(o, "ro"))
				ro = true;
			else if (strstr(o, "shared") || strstr(o, "slave") || strstr(o, "private"))
				prop = hull_model_strdup(f->m, o);
		}
		add_mount(f, w, c, hull_model_strdup(f->m, fields[0]),
		          hull_model_strdup(f->m, fields[1]), ro, prop, NULL, pos);
	}
	free(copy);
}

static void volumes(const struct fe *f, struct json_object *svc, struct hull_workload *w,
                    struct hull_container *c)
{
	struct json_object *arr = fe_arr(svc, "volumes");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *vj = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(vj, json_type_object)) {
			const char *s = fe_text(f, vj);
			if (s)
				short_volume(f, w, c, s, fe_pos(f, vj));
			continue;
		}
		struct hull_vbool ro = {0};
		cbool(f, vj, "read_only", &ro);
		add_mount(f, w, c, fe_scalar(f, vj, "source"), fe_scalar(f, vj, "target"),
		          ro.v == HULL_TRUE, fe_scalar(f, fe_obj(vj, "bind"), "propagation"),
		          fe_scalar(f, vj, "type"), fe_pos(f, vj));
	}
	/* use_api_socket: the engine's API socket is mounted into the container */
	struct hull_vbool api = {0};
	if (cbool(f, svc, "use_api_socket", &api) && api.v == HULL_TRUE)
		add_mount(f, w, c, "/var/run/docker.sock", "/var/run/docker.sock", false, NULL,
		          "bind", api.pos);
}

/* "name[:ro|:rw]" or "container:name[:ro|:rw]", kept for resolve() */
static void volumes_from(const struct fe *f, struct json_object *svc, size_t widx)
{
	struct cenv *e = f->ctx;
	hull_strlist l = {0};
	fe_strlist(f, fe_get(svc, "volumes_from"), &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *s = l.v[i].v;
		struct volfrom *vf = hull_model_push(f->m, &e->volfroms);
		if (!vf)
			return;
		vf->w = widx;
		vf->pos = l.v[i].pos;
		vf->container = !strncmp(s, "container:", 10);
		if (vf->container)
			s += 10;
		const char *colon = strchr(s, ':');
		vf->ro = colon && !strcmp(colon + 1, "ro");
		vf->target = colon ? hull_model_strndup(f->m, s, (size_t)(colon - s)) : s;
	}
}

static void devices(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *arr = fe_arr(svc, "devices");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *d = json_object_array_get_idx(arr, i);
		const char *s = json_object_is_type(d, json_type_object) ? fe_scalar(f, d, "source")
		                                                         : fe_text(f, d);
		struct hull_vstr *e = s ? hull_model_push(f->m, &c->devices) : NULL;
		if (e) {
			const char *colon = strchr(s, ':');
			e->v = colon ? hull_model_strndup(f->m, s, (size_t)(colon - s)) : s;
			e->pos = fe_pos(f, d);
		}
	}
	/* a device cgroup rule lets the container use (and mknod) those devices */
	hull_strlist rules = {0};
	fe_strlist(f, fe_get(svc, "device_cgroup_rules"), &rules);
	for (size_t i = 0; i < rules.n; i++) {
		struct hull_vstr *e = hull_model_push(f->m, &c->devices);
		if (e) {
			e->v = hull_model_printf(f->m, "devices the cgroup rule '%s' allows",
			                         rules.v[i].v);
			e->pos = rules.v[i].pos;
		}
	}
}

/* ---- environment ---------------------------------------------------------- */

static struct hull_env *env_slot(const struct fe *f, struct hull_container *c, const char *name)
{
	for (size_t i = 0; i < c->env.n; i++)
		if (!c->env.v[i].build_arg && c->env.v[i].name.v &&
		    !strcmp(c->env.v[i].name.v, name))
			return &c->env.v[i];
	return hull_model_push(f->m, &c->env);
}

static void set_env(const struct fe *f, struct hull_container *c, const char *name,
                    const char *value, bool from_ref, struct hull_pos pos)
{
	/* NULL: the copy failed (the model's cap, recorded by the model) */
	struct hull_env *e = name ? env_slot(f, c, name) : NULL;
	if (!e)
		return;
	e->name.v = name;
	e->name.pos = pos;
	e->value = value;
	e->value_pos = pos;
	e->from_ref = from_ref;
}

static void environment(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *env = fe_get(svc, "environment");
	if (env && json_object_is_type(env, json_type_object)) {
		json_object_object_foreach(env, k, v)
		{
			const char *val =
			    v && !json_object_is_type(v, json_type_null) ? fe_text(f, v) : NULL;
			set_env(f, c, hull_model_strdup(f->m, k), val, val == NULL,
			        fe_key_pos(f, env, k));
		}
	} else if (env && json_object_is_type(env, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(env); i++) {
			struct json_object *it = json_object_array_get_idx(env, i);
			const char *s = fe_text(f, it);
			if (!s)
				continue;
			const char *eq = strchr(s, '=');
			/* "NAME" alone takes the value from the shell: not a literal */
			set_env(f, c, eq ? hull_model_strndup(f->m, s, (size_t)(eq - s)) : s,
			        eq ? eq + 1 : NULL, !eq, fe_pos(f, it));
		}
	}
}

/* build.args go to the image build, where ARG values stay in the image
 * history: a secret-looking one is reported like a Dockerfile ARG. Kept
 * apart from the environment of the same name. */
static void build_args(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	hull_pairlist args = {0};
	list_or_dict(f, fe_get(fe_obj(svc, "build"), "args"), &args);
	for (size_t i = 0; i < args.n; i++) {
		struct hull_env *e = NULL;
		for (size_t k = 0; k < c->env.n && !e; k++)
			if (c->env.v[k].build_arg && !strcmp(c->env.v[k].name.v, args.v[i].key))
				e = &c->env.v[k];
		if (!e && !(e = hull_model_push(f->m, &c->env)))
			return;
		e->name.v = args.v[i].key;
		e->name.pos = e->value_pos = args.v[i].pos;
		e->value = args.v[i].value;
		e->build_arg = true;
	}
}

/* ---- resources -------------------------------------------------------------- */

static void bytes(const struct fe *f, struct json_object *map, const char *key, struct hull_vqty *q)
{
	const char *raw = fe_scalar(f, map, key);
	double v = 0;
	if (!raw)
		return;
	bool ok = hull_parse_docker_bytes(raw, &v);
	hull_model_set_qty(f->m, q, raw, v, ok, fe_key_pos(f, map, key));
}

static void number(const struct fe *f, struct json_object *map, const char *key,
                   struct hull_vqty *q)
{
	const char *raw = fe_scalar(f, map, key);
	if (!raw)
		return;
	char *end;
	double v = strtod(raw, &end);
	hull_model_set_qty(f->m, q, raw, v, end != raw && !*end, fe_key_pos(f, map, key));
}

static void resources(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct hull_resources *r = &c->res;
	bytes(f, svc, "mem_limit", &r->mem_limit);
	bytes(f, svc, "mem_reservation", &r->mem_request);
	number(f, svc, "cpus", &r->cpu_limit);
	number(f, svc, "cpu_shares", &r->cpu_shares);
	number(f, svc, "pids_limit", &r->pids_limit);
	struct hull_vint quota = {0}, period = {0};
	if (fe_int(f, svc, "cpu_quota", &quota) && quota.v > 0) {
		fe_int(f, svc, "cpu_period", &period);
		double cores =
		    (double)quota.v / (double)(period.set && period.v > 0 ? period.v : 100000);
		hull_model_set_qty(f->m, &r->cpu_limit, fe_scalar(f, svc, "cpu_quota"), cores, true,
		                   quota.pos);
	}
	struct json_object *res = fe_obj(fe_obj(svc, "deploy"), "resources");
	struct json_object *lim = fe_obj(res, "limits"), *resv = fe_obj(res, "reservations");
	bytes(f, lim, "memory", &r->mem_limit);
	number(f, lim, "cpus", &r->cpu_limit);
	number(f, lim, "pids", &r->pids_limit);
	bytes(f, resv, "memory", &r->mem_request);
	number(f, resv, "cpus", &r->cpu_request);
}

/* ---- services --------------------------------------------------------------- */

/* network_mode / pid / ipc: "host" shares the host's namespace;
 * "service:x" and "container:x" share another one's, which resolve()
 * follows. */
static void ns_mode(const struct fe *f, struct json_object *svc, const char *key, enum ns_kind kind,
                    size_t widx, struct hull_vbool *out)
{
	const char *v = fe_scalar(f, svc, key);
	if (!v)
		return;
	out->v = !strcmp(v, "host") ? HULL_TRUE : HULL_FALSE;
	out->pos = fe_key_pos(f, svc, key);
	bool svc_ref = !strncmp(v, "service:", 8), ctr_ref = !strncmp(v, "container:", 10);
	struct cenv *e = f->ctx;
	/* a later file's value replaces the reference of an earlier one */
	for (size_t i = 0; i < e->nsrefs.n; i++) {
		if (e->nsrefs.v[i].w == widx && e->nsrefs.v[i].kind == kind) {
			memmove(&e->nsrefs.v[i], &e->nsrefs.v[i + 1],
			        (e->nsrefs.n - i - 1) * sizeof(e->nsrefs.v[0]));
			e->nsrefs.n--;
			break;
		}
	}
	struct nsref *r = svc_ref || ctr_ref ? hull_model_push(f->m, &e->nsrefs) : NULL;
	if (r) {
		r->w = widx;
		r->kind = kind;
		r->container = ctr_ref;
		r->target = v + (ctr_ref ? 10 : 8);
		r->pos = out->pos;
	}
}

static void caps(const struct fe *f, struct json_object *svc, const char *key, hull_strlist *l)
{
	hull_strlist tmp = {0};
	fe_strlist(f, fe_get(svc, key), &tmp);
	for (size_t i = 0; i < tmp.n; i++)
		if (!hull_strlist_has(l, tmp.v[i].v)) /* merged files repeat entries */
			hull_model_add_cap(f->m, l, tmp.v[i].v, tmp.v[i].pos);
}

/* healthcheck: {test: ["NONE"]} and {disable: true} turn off the image's
 * check; any other test (or one from the image, with only timings here)
 * enables it. Keys a later file leaves out keep the earlier file's. */
static void healthcheck(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *h = fe_obj(svc, "healthcheck");
	if (!h)
		return;
	struct hull_probe *hc = &c->healthcheck;
	if (!hc->set)
		hc->pos = fe_key_pos(f, svc, "healthcheck");
	hc->set = true;
	hc->kind = "cmd";
	struct json_object *ta = fe_arr(h, "test");
	const char *t = ta && json_object_array_length(ta)
	                    ? fe_text(f, json_object_array_get_idx(ta, 0))
	                    : fe_scalar(f, h, "test");
	if (t) {
		hc->disabled = !strcasecmp(t, "NONE");
		hc->pos = fe_key_pos(f, h, "test");
	}
	struct hull_vbool dis = {0};
	if (cbool(f, h, "disable", &dis) && dis.v == HULL_TRUE) {
		hc->disabled = true;
		hc->pos = dis.pos;
	} else if (dis.v == HULL_FALSE && !t) {
		hc->disabled = false;
	}
}

static void security(const struct fe *f, struct json_object *svc, struct hull_workload *w,
                     struct hull_container *c)
{
	const char *u = fe_scalar(f, svc, "user");
	if (u)
		hull_model_set_user(f->m, &c->user, u, "compose user", fe_key_pos(f, svc, "user"));
	cbool(f, svc, "privileged", &c->privileged);
	cbool(f, svc, "read_only", &c->read_only_root);
	caps(f, svc, "cap_add", &c->cap_add);
	caps(f, svc, "cap_drop", &c->cap_drop);
	hull_strlist so = {0};
	fe_strlist(f, fe_get(svc, "security_opt"), &so);
	for (size_t i = 0; i < so.n; i++)
		fe_security_opt(f, c, so.v[i].v, so.v[i].pos);
	/* group_add: supplementary groups of the process, root's among them */
	hull_strlist groups = {0};
	fe_strlist(f, fe_get(svc, "group_add"), &groups);
	for (size_t i = 0; i < groups.n; i++) {
		const char *g = groups.v[i].v;
		struct hull_vint *e = !strcmp(g, "0") || !strcmp(g, "root")
		                          ? hull_model_push(f->m, &w->supplemental_groups)
		                          : NULL;
		if (e) {
			e->set = true;
			e->v = 0;
			e->pos = groups.v[i].pos;
		}
	}
}

static void command(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *ep = fe_get(svc, "entrypoint"), *cmd = fe_get(svc, "command");
	if (ep || cmd)
		c->command.n = 0;
	fe_strlist(f, ep, &c->command);
	fe_strlist(f, cmd, &c->command);
}

/* restart: as written; deploy.restart_policy in the same terms: its
 * condition defaults to "any" (restart always) and max_attempts to no
 * limit. */
static void restart(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	fe_str(f, svc, "restart", &w->restart_policy);
	struct json_object *dep = fe_obj(svc, "deploy");
	struct json_object *rp = fe_obj(dep, "restart_policy");
	if (!rp)
		return;
	const char *cond = fe_scalar(f, rp, "condition");
	const char *kind = !cond || !strcmp(cond, "any") ? "always"
	                   : !strcmp(cond, "on-failure") ? "on-failure"
	                   : !strcmp(cond, "none")       ? "no"
	                                                 : cond;
	struct hull_vint max = {0};
	fe_int(f, rp, "max_attempts", &max);
	w->deploy_restart.pos =
	    cond ? fe_key_pos(f, rp, "condition") : fe_key_pos(f, dep, "restart_policy");
	w->deploy_restart.v = kind;
	if (max.set && max.v > 0 && strcmp(kind, "no")) {
		w->deploy_restart.v = hull_model_printf(f->m, "%s:%lld", kind, (long long)max.v);
		w->deploy_restart.pos = max.pos;
	}
}

/* A service that is expected to exit: a job mode of deploy (Compose runs
 * it to completion) */
static void job_mode(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	const char *mode = fe_scalar(f, fe_obj(svc, "deploy"), "mode");
	if (mode && (!strcmp(mode, "replicated-job") || !strcmp(mode, "global-job")))
		w->run_to_completion = true;
}

static void apply(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	struct hull_container *c = &w->containers.v[0];
	size_t widx = (size_t)(w - f->m->workloads.v);
	const char *image = fe_scalar(f, svc, "image");
	if (image)
		hull_model_set_image(f->m, c, image, fe_key_pos(f, svc, "image"));
	if (fe_get(svc, "build"))
		c->image_built = true;
	if (fe_arr(svc, "profiles")) {
		w->profiles.n = 0; /* a later file's list replaces an earlier one's */
		fe_strlist(f, fe_arr(svc, "profiles"), &w->profiles);
	}
	const char *cname = fe_scalar(f, svc, "container_name");
	if (cname)
		c->name = cname;
	security(f, svc, w, c);
	resources(f, svc, c);
	ports(f, svc, c);
	volumes(f, svc, w, c);
	volumes_from(f, svc, widx);
	devices(f, svc, c);
	environment(f, svc, c);
	build_args(f, svc, c);
	healthcheck(f, svc, c);
	command(f, svc, c);
	list_or_dict(f, fe_get(svc, "sysctls"), &w->sysctls);
	cbool(f, svc, "stdin_open", &c->stdin_open);
	cbool(f, svc, "tty", &c->tty);
	ns_mode(f, svc, "network_mode", NS_NET, widx, &w->host_network);
	ns_mode(f, svc, "pid", NS_PID, widx, &w->host_pid);
	ns_mode(f, svc, "ipc", NS_IPC, widx, &w->host_ipc);
	struct hull_vstr uts = {0}, userns = {0};
	if (fe_str(f, svc, "uts", &uts)) {
		w->host_uts.v = !strcmp(uts.v, "host") ? HULL_TRUE : HULL_FALSE;
		w->host_uts.pos = uts.pos;
	}
	if (fe_str(f, svc, "userns_mode", &userns)) {
		w->host_users.v = !strcmp(userns.v, "host") ? HULL_TRUE : HULL_FALSE;
		w->host_users.pos = userns.pos;
	}
	restart(f, svc, w);
	job_mode(f, svc, w);
	fe_str(f, svc, "cgroup_parent", &w->cgroup_parent);
	list_or_dict(f, fe_get(svc, "labels"), &w->labels);
	fe_compose_service_networks(f, svc, w);
}

/* ---- after every file: references between services ------------------------ */

/* The service named by service:X, or the one whose container is X. */
static struct hull_workload *ref_target(struct hull_model *m, size_t first, const char *name,
                                        bool container)
{
	for (size_t i = first; i < m->workloads.n; i++) {
		struct hull_workload *w = &m->workloads.v[i];
		if (w->input != HULL_INPUT_COMPOSE)
			continue;
		if (!strcmp(w->name, name) ||
		    (container && w->containers.n && w->containers.v[0].name &&
		     !strcmp(w->containers.v[0].name, name)))
			return w;
	}
	return NULL;
}

static struct hull_vbool *ns_of(struct hull_workload *w, enum ns_kind k)
{
	return k == NS_NET ? &w->host_network : k == NS_PID ? &w->host_pid : &w->host_ipc;
}

/* network_mode: service:vpn where vpn runs with network_mode: host is on
 * the host's network too; chains are followed (each pass settles one
 * link, so as many passes as references suffice). */
static void resolve_namespaces(struct hull_model *m, const struct cenv *e, size_t first)
{
	for (size_t pass = 0; pass <= e->nsrefs.n; pass++) {
		bool changed = false;
		for (size_t i = 0; i < e->nsrefs.n; i++) {
			const struct nsref *r = &e->nsrefs.v[i];
			struct hull_workload *t = ref_target(m, first, r->target, r->container);
			struct hull_vbool *mine = ns_of(&m->workloads.v[r->w], r->kind);
			if (t && ns_of(t, r->kind)->v == HULL_TRUE && mine->v != HULL_TRUE) {
				mine->v = HULL_TRUE;
				mine->pos = r->pos;
				changed = true;
			}
		}
		if (!changed)
			return;
	}
}

static bool has_target(const struct hull_container *c, const char *target)
{
	for (size_t i = 0; target && i < c->mounts.n; i++)
		if (c->mounts.v[i].target && !strcmp(c->mounts.v[i].target, target))
			return true;
	return false;
}

/* volumes_from copies the other service's host paths (read-only with
 * :ro); chains are followed like namespaces. Copies point at the
 * volumes_from entry. */
static void resolve_volumes_from(const struct fe *f, const struct cenv *e, size_t first)
{
	struct hull_model *m = f->m;
	for (size_t pass = 0; pass <= e->volfroms.n; pass++) {
		bool changed = false;
		for (size_t i = 0; i < e->volfroms.n; i++) {
			const struct volfrom *vf = &e->volfroms.v[i];
			struct hull_workload *t = ref_target(m, first, vf->target, vf->container);
			struct hull_workload *w = &m->workloads.v[vf->w];
			if (!t || t == w)
				continue;
			const struct hull_container *tc = &t->containers.v[0];
			for (size_t k = 0; k < tc->mounts.n; k++) {
				const struct hull_mount mt = tc->mounts.v[k];
				if (mt.kind != HULL_MOUNT_BIND ||
				    has_target(&w->containers.v[0], mt.target))
					continue;
				fe_add_bind(f, w, &w->containers.v[0], mt.source, mt.target,
				            mt.read_only || vf->ro, mt.propagation, vf->pos);
				changed = true;
			}
		}
		if (!changed)
			return;
	}
}

/* A mount of a named volume whose driver binds a host directory is that
 * host directory. */
static void resolve_bind_volumes(const struct fe *f, const struct cenv *e, size_t first)
{
	struct hull_model *m = f->m;
	for (size_t i = first; e->bindvols.n && i < m->workloads.n; i++) {
		struct hull_workload *w = &m->workloads.v[i];
		struct hull_container *c = w->containers.n ? &w->containers.v[0] : NULL;
		for (size_t k = 0; c && w->input == HULL_INPUT_COMPOSE && k < c->mounts.n; k++) {
			struct hull_mount *mt = &c->mounts.v[k];
			for (size_t b = 0;
			     mt->kind == HULL_MOUNT_VOLUME && mt->source && b < e->bindvols.n;
			     b++) {
				if (strcmp(mt->source, e->bindvols.v[b].key))
					continue;
				struct hull_volume *v = hull_model_push(m, &w->volumes);
				if (!v)
					return;
				mt->kind = HULL_MOUNT_BIND;
				mt->source = e->bindvols.v[b].device;
				v->name = e->bindvols.v[b].key;
				v->type = "bind";
				v->host_path = mt->source;
				v->read_only = mt->read_only;
				v->pos = v->type_pos = mt->pos;
				break;
			}
		}
	}
}

static bool bind_option(const char *o)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", o ? o : "");
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, "bind") || !strcmp(t, "rbind"))
			return true;
	return false;
}

/* Top-level volumes that are host directories: the local driver with
 * o: bind and a device, or a driver's mountpoint (local-persist). A later
 * file's definition replaces an earlier one's. */
static void named_volumes(const struct fe *f, struct json_object *doc)
{
	struct cenv *e = f->ctx;
	struct json_object *vols = fe_obj(doc, "volumes");
	if (!vols)
		return;
	json_object_object_foreach(vols, key, v)
	{
		struct json_object *opts = fe_obj(v, "driver_opts");
		const char *driver = fe_scalar(f, v, "driver");
		const char *dev = fe_scalar(f, opts, "device");
		/* the local-persist plugin keeps the volume in a host directory */
		const char *mp = fe_scalar(f, opts, "mountpoint");
		if (!dev || !*dev || (driver && strcmp(driver, "local")) ||
		    !bind_option(fe_scalar(f, opts, "o")))
			dev = mp && *mp ? mp : NULL;
		if (!dev)
			continue;
		struct bindvol *bv = NULL;
		for (size_t i = 0; i < e->bindvols.n && !bv; i++)
			if (!strcmp(e->bindvols.v[i].key, key))
				bv = &e->bindvols.v[i];
		if (!bv && !(bv = hull_model_push(f->m, &e->bindvols)))
			return;
		bv->key = hull_model_strdup(f->m, key);
		bv->device = dev;
	}
}

/* depends_on: {x: {condition: service_completed_successfully}} says x is
 * a job that runs to completion. */
static void completions(const struct fe *f, struct json_object *services, size_t first)
{
	json_object_object_foreach(services, sname, svc)
	{
		struct json_object *deps = fe_obj(svc, "depends_on");
		(void)sname; /* the waiting service does not matter, its targets do */
		if (!deps)
			continue;
		json_object_object_foreach(deps, target, dep)
		{
			const char *cond = fe_scalar(f, dep, "condition");
			struct hull_workload *t =
			    cond && !strcmp(cond, "service_completed_successfully")
			        ? ref_target(f->m, first, target, false)
			        : NULL;
			if (t)
				t->run_to_completion = true;
		}
	}
}

struct loader {
	struct hull_model *m;
	struct cenv env;
	struct hull_err *err;
};

static struct hull_workload *find_service(struct hull_model *m, size_t first, const char *name)
{
	for (size_t i = first; i < m->workloads.n; i++)
		if (m->workloads.v[i].input == HULL_INPUT_COMPOSE && m->workloads.v[i].name &&
		    !strcmp(m->workloads.v[i].name, name))
			return &m->workloads.v[i];
	return NULL;
}

static int apply_service(struct loader *L, const struct fe *f, struct json_object *services,
                         const char *name, struct hull_workload *w, int depth);

/* Reads and parses a Compose file that another one names (extends: file:,
 * include:), relative to the naming file, against the project's file
 * count. *path gets its name (arena). what says who names it, for errors. */
static int open_named(struct loader *L, const struct fe *f, const char *file, struct hull_pos pos,
                      const char *what, const char **path, struct hull_yaml **y)
{
	if (++L->env.nfiles > HULL_COMPOSE_MAX_FILES)
		return hull_err_set(L->err, HULL_ERR_LIMIT, "%s: more than %u compose files",
		                    f->file, HULL_COMPOSE_MAX_FILES);
	char *dircopy = strdup(f->file);
	if (!dircopy)
		return hull_err_nomem(L->err);
	*path = file[0] == '/' ? file : hull_model_printf(L->m, "%s/%s", dirname(dircopy), file);
	free(dircopy);
	char *data;
	size_t len;
	if (!*path || hull_fs_read_file(*path, HULL_LOAD_MAX_BYTES, &data, &len, L->err) < 0)
		return hull_err_wrap(L->err, "%s: line %u: %s", f->file, pos.line, what);
	int rc = hull_yaml_parse(data, len, *path, y, L->err);
	if (rc == 0)
		hull_ignores_scan(L->m, *path, data, len);
	free(data);
	return rc;
}

/* extends: {service: base, file: other.yaml} or extends: base */
static int extends(struct loader *L, const struct fe *f, struct json_object *services,
                   struct json_object *svc, struct hull_workload *w, int depth)
{
	struct json_object *ext = fe_get(svc, "extends");
	if (!ext)
		return 0;
	struct hull_pos pos = fe_key_pos(f, svc, "extends");
	if (depth >= MAX_EXTENDS)
		return hull_err_set(L->err, HULL_ERR_LIMIT, "%s: line %u: extends nested too deep",
		                    f->file, pos.line);
	const char *base = json_object_is_type(ext, json_type_object) ? fe_scalar(f, ext, "service")
	                                                              : fe_text(f, ext);
	const char *file = fe_scalar(f, ext, "file");
	if (!base)
		return hull_err_set(L->err, HULL_ERR_INPUT,
		                    "%s: line %u: extends without a service", f->file, pos.line);
	if (!file)
		return apply_service(L, f, services, base, w, depth + 1);
	const char *path;
	struct hull_yaml *y;
	if (open_named(L, f, file, pos, "extends", &path, &y) < 0)
		return -1;
	struct fe f2 = {.m = L->m,
	                .y = y,
	                .file = hull_model_file(L->m, path),
	                .interp = interp,
	                .ctx = &L->env};
	int rc = apply_service(L, &f2,
	                       fe_obj(hull_yaml_ndocs(y) ? hull_yaml_doc(y, 0) : NULL, "services"),
	                       base, w, depth + 1);
	hull_yaml_free(y);
	return rc;
}

static int apply_service(struct loader *L, const struct fe *f, struct json_object *services,
                         const char *name, struct hull_workload *w, int depth)
{
	struct json_object *svc = fe_obj(services, name);
	if (!svc)
		return hull_err_set(L->err, HULL_ERR_INPUT,
		                    "%s: extends names an unknown service '%s'", f->file, name);
	if (extends(L, f, services, svc, w, depth) < 0)
		return -1;
	apply(f, svc, w);
	return 0;
}

static int load_file(struct loader *L, struct hull_yaml *y, const char *name, size_t first,
                     int depth);

/* include: [path, {path: [a, b]}]: those files' services join the project
 * (each path relative to the including file). */
static int includes(struct loader *L, const struct fe *f, struct json_object *doc, size_t first,
                    int depth)
{
	struct json_object *inc = fe_arr(doc, "include");
	for (size_t i = 0; inc && i < json_object_array_length(inc); i++) {
		struct json_object *it = json_object_array_get_idx(inc, i);
		hull_strlist paths = {0};
		fe_strlist(f, json_object_is_type(it, json_type_object) ? fe_get(it, "path") : it,
		           &paths);
		for (size_t k = 0; k < paths.n; k++) {
			const char *path;
			struct hull_yaml *y;
			if (depth >= MAX_EXTENDS)
				return hull_err_set(L->err, HULL_ERR_LIMIT,
				                    "%s: line %u: include nested too deep", f->file,
				                    paths.v[k].pos.line);
			if (open_named(L, f, paths.v[k].v, paths.v[k].pos, "include", &path, &y) <
			    0)
				return -1;
			int rc = load_file(L, y, path, first, depth + 1);
			hull_yaml_free(y);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int load_file(struct loader *L, struct hull_yaml *y, const char *name, size_t first,
                     int depth)
{
	struct fe f = {.m = L->m,
	               .y = y,
	               .file = hull_model_file(L->m, name),
	               .interp = interp,
	               .ctx = &L->env};
	struct json_object *doc = hull_yaml_ndocs(y) ? hull_yaml_doc(y, 0) : NULL;
	if (hull_yaml_ndocs(y) > 1)
		return hull_err_set(L->err, HULL_ERR_INPUT,
		                    "%s: a Compose file is one YAML document", name);
	if (!doc)
		return 0;
	if (includes(L, &f, doc, first, depth) < 0)
		return -1;
	named_volumes(&f, doc);
	fe_compose_networks(&f, doc);
	struct json_object *services = fe_get(doc, "services");
	if (!services || json_object_is_type(services, json_type_null))
		return 0;
	if (!json_object_is_type(services, json_type_object)) {
		struct hull_pos p = fe_key_pos(&f, doc, "services");
		return hull_err_set(L->err, HULL_ERR_INPUT,
		                    "%s: line %u, column %u: services must be a mapping", name,
		                    p.line, p.col);
	}
	json_object_object_foreach(services, sname, svc)
	{
		if (!json_object_is_type(svc, json_type_object) &&
		    !json_object_is_type(svc, json_type_null)) {
			struct hull_pos p = fe_key_pos(&f, services, sname);
			return hull_err_set(L->err, HULL_ERR_INPUT,
			                    "%s: line %u, column %u: service %s must be a mapping",
			                    name, p.line, p.col, sname);
		}
		struct hull_workload *w = find_service(L->m, first, sname);
		if (!w) {
			struct hull_pos p = fe_key_pos(&f, services, sname);
			w = hull_model_add_workload(L->m, HULL_INPUT_COMPOSE, "service", sname, p);
			if (!w || !hull_model_add_container(L->m, w, sname, p))
				return hull_model_failed(L->m, L->err), -1;
		}
		if (svc && apply_service(L, &f, services, sname, w, 0) < 0)
			return -1;
	}
	completions(&f, services, first);
	return hull_model_failed(L->m, L->err) ? -1 : 0;
}

int hull_compose_load_yaml(struct hull_model *m, struct hull_yaml **ys, const char *const *names,
                           size_t n, const char *env, struct hull_err *err)
{
	struct loader L = {.m = m, .err = err, .env = {.nfiles = n}};
	size_t first = m->workloads.n;
	int rc = 0;
	if (env)
		parse_env(m, env, &L.env.vars);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = load_file(&L, ys[i], names[i], first, 0);
	if (rc == 0) {
		/* file and y only serve positions, which resolve() copies */
		struct fe f = {.m = m, .interp = interp, .ctx = &L.env};
		resolve_bind_volumes(&f, &L.env, first);
		resolve_volumes_from(&f, &L.env, first);
		resolve_namespaces(m, &L.env, first);
		rc = hull_model_failed(m, err) ? -1 : 0;
	}
	for (size_t i = 0; i < n; i++)
		hull_yaml_free(ys[i]);
	return rc;
}

int hull_compose_load(struct hull_model *m, const char *const *datas, const size_t *lens,
                      const char *const *names, size_t n, const char *env, struct hull_err *err)
{
	struct hull_yaml *ys[HULL_COMPOSE_MAX_FILES];
	if (n > HULL_COMPOSE_MAX_FILES)
		return hull_err_set(err, HULL_ERR_LIMIT, "more than %u compose files",
		                    HULL_COMPOSE_MAX_FILES);
	for (size_t i = 0; i < n; i++) {
		if (lens[i] > HULL_LOAD_MAX_BYTES ||
		    hull_yaml_parse(datas[i], lens[i], names[i], &ys[i], err) < 0) {
			if (lens[i] > HULL_LOAD_MAX_BYTES)
				hull_err_set(err, HULL_ERR_LIMIT, "%s: larger than %u MiB",
				             names[i], HULL_LOAD_MAX_BYTES >> 20);
			for (size_t k = 0; k < i; k++)
				hull_yaml_free(ys[k]);
			return -1;
		}
		hull_ignores_scan(m, names[i], datas[i], lens[i]);
	}
	return hull_compose_load_yaml(m, ys, names, n, env, err);
}
