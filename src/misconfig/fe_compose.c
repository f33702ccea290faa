/* Docker Compose front end (v2, v3 and the Compose Specification).
 *
 * Several files (-f a -f b) are applied in order onto the same workloads:
 * a later file's value replaces an earlier one, list settings (ports,
 * cap_add, security_opt, devices) add up, volumes and environment merge by
 * target and name. So every value keeps the position of the file that set
 * it. `extends` applies the base service (same file or `file:`) first.
 * String values are interpolated from the .env text: ${VAR}, $VAR,
 * ${VAR:-def}, ${VAR-def}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?msg}, $$. */
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

struct cenv {
	hull_pairlist vars;
	size_t nfiles; /* files read for extends, against HULL_COMPOSE_MAX_FILES */
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

/* "[HOST_IP:][HOST:]CONTAINER[/PROTO]", IPv6 hosts in brackets */
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
	const char *s = spec;
	if (*s == '[') { /* [::1]:8080:80 */
		const char *rb = memchr(s, ']', n);
		if (!rb || rb[1] != ':') {
			p->container_port = -1;
			p->name = spec;
			return;
		}
		p->host_ip = hull_model_strndup(f->m, s + 1, (size_t)(rb - s - 1));
		n -= (size_t)(rb + 2 - s);
		s = rb + 2;
	}
	size_t colons = 0;
	for (size_t i = 0; i < n; i++)
		colons += s[i] == ':';
	if (colons > 2) { /* an IPv6 address without brackets */
		p->container_port = -1;
		p->name = spec;
		return;
	}
	const char *parts[3];
	size_t lens[3], np = 0;
	const char *st = s;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ':') {
			parts[np] = st;
			lens[np++] = (size_t)(s + i - st);
			st = s + i + 1;
		}
	}
	int64_t lo, hi;
	if (!range(parts[np - 1], lens[np - 1], &lo, &hi)) {
		p->container_port = -1;
		p->name = hull_model_strndup(f->m, parts[np - 1], lens[np - 1]);
		return;
	}
	p->container_port = lo;
	p->container_port_end = hi;
	if (np >= 2 && lens[np - 2] && range(parts[np - 2], lens[np - 2], &lo, &hi))
		p->host_port = lo;
	if (np == 3)
		p->host_ip = hull_model_strndup(f->m, parts[0], lens[0]);
}

static void long_port(const struct fe *f, struct hull_container *c, struct json_object *pj)
{
	struct hull_port *p = hull_model_push(f->m, &c->ports);
	if (!p)
		return;
	p->pos = fe_pos(f, pj);
	p->protocol = fe_scalar(f, pj, "protocol");
	p->host_ip = fe_scalar(f, pj, "host_ip");
	p->name = fe_scalar(f, pj, "name");
	p->published = true;
	int64_t lo, hi;
	const char *t = fe_scalar(f, pj, "target");
	if (t && hull_parse_port_range(t, &lo, &hi, NULL)) {
		p->container_port = lo;
		p->container_port_end = hi;
	}
	const char *pub = fe_scalar(f, pj, "published");
	if (pub && hull_parse_port_range(pub, &lo, &hi, NULL))
		p->host_port = lo;
	const char *mode = fe_scalar(f, pj, "mode");
	if (mode && !strcmp(mode, "host"))
		p->published = true;
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

static bool is_path(const char *s)
{
	return *s == '/' || *s == '.' || *s == '~' || (isalpha((unsigned char)s[0]) && s[1] == ':');
}

static void drop_mount(struct hull_container *c, const char *target)
{
	for (size_t i = 0; target && i < c->mounts.n; i++) {
		if (c->mounts.v[i].target && !strcmp(c->mounts.v[i].target, target)) {
			memmove(&c->mounts.v[i], &c->mounts.v[i + 1],
			        (c->mounts.n - i - 1) * sizeof(c->mounts.v[0]));
			c->mounts.n--;
			return;
		}
	}
}

static void add_mount(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                      const char *src, const char *target, bool ro, const char *prop,
                      const char *type, struct hull_pos pos)
{
	drop_mount(c, target);
	if (src && (type ? !strcmp(type, "bind") : is_path(src))) {
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
		fe_bool(f, vj, "read_only", &ro);
		add_mount(f, w, c, fe_scalar(f, vj, "source"), fe_scalar(f, vj, "target"),
		          ro.v == HULL_TRUE, fe_scalar(f, fe_obj(vj, "bind"), "propagation"),
		          fe_scalar(f, vj, "type"), fe_pos(f, vj));
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
}

/* ---- environment ---------------------------------------------------------- */

static struct hull_env *env_slot(const struct fe *f, struct hull_container *c, const char *name)
{
	for (size_t i = 0; i < c->env.n; i++)
		if (c->env.v[i].name.v && !strcmp(c->env.v[i].name.v, name))
			return &c->env.v[i];
	return hull_model_push(f->m, &c->env);
}

static void set_env(const struct fe *f, struct hull_container *c, const char *name,
                    const char *value, bool from_ref, struct hull_pos pos)
{
	struct hull_env *e = env_slot(f, c, name);
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

static void ns_mode(const struct fe *f, struct json_object *svc, const char *key,
                    struct hull_vbool *out)
{
	const char *v = fe_scalar(f, svc, key);
	if (!v)
		return;
	out->v = !strcmp(v, "host") ? HULL_TRUE : HULL_FALSE;
	out->pos = fe_key_pos(f, svc, key);
}

static void caps(const struct fe *f, struct json_object *svc, const char *key, hull_strlist *l)
{
	hull_strlist tmp = {0};
	fe_strlist(f, fe_get(svc, key), &tmp);
	for (size_t i = 0; i < tmp.n; i++)
		if (!hull_strlist_has(l, tmp.v[i].v)) /* merged files repeat entries */
			hull_model_add_cap(f->m, l, tmp.v[i].v, tmp.v[i].pos);
}

static void sysctls(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	struct json_object *s = fe_get(svc, "sysctls");
	if (s && json_object_is_type(s, json_type_object)) {
		fe_pairs(f, s, &w->sysctls);
		return;
	}
	hull_strlist l = {0};
	fe_strlist(f, s, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct hull_pair *p = hull_model_push(f->m, &w->sysctls);
		const char *eq = strchr(l.v[i].v, '=');
		if (p) {
			p->key = eq ? hull_model_strndup(f->m, l.v[i].v, (size_t)(eq - l.v[i].v))
			            : l.v[i].v;
			p->value = eq ? eq + 1 : NULL;
			p->pos = l.v[i].pos;
		}
	}
}

static void healthcheck(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *h = fe_obj(svc, "healthcheck");
	if (!h)
		return;
	struct hull_vbool dis = {0};
	fe_bool(f, h, "disable", &dis);
	c->healthcheck.set = true;
	c->healthcheck.pos = fe_key_pos(f, svc, "healthcheck");
	c->healthcheck.kind = "cmd";
	c->healthcheck.disabled = dis.v == HULL_TRUE;
	const char *t = fe_scalar(f, h, "test");
	if (t && !strcasecmp(t, "NONE"))
		c->healthcheck.disabled = true;
	struct json_object *ta = fe_arr(h, "test");
	const char *t0 = ta && json_object_array_length(ta)
	                     ? fe_text(f, json_object_array_get_idx(ta, 0))
	                     : NULL;
	if (t0 && !strcmp(t0, "NONE"))
		c->healthcheck.disabled = true;
}

static void security(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	const char *u = fe_scalar(f, svc, "user");
	if (u)
		hull_model_set_user(f->m, &c->user, u, "compose user", fe_key_pos(f, svc, "user"));
	fe_bool(f, svc, "privileged", &c->privileged);
	fe_bool(f, svc, "read_only", &c->read_only_root);
	caps(f, svc, "cap_add", &c->cap_add);
	caps(f, svc, "cap_drop", &c->cap_drop);
	hull_strlist so = {0};
	fe_strlist(f, fe_get(svc, "security_opt"), &so);
	for (size_t i = 0; i < so.n; i++)
		fe_security_opt(f, c, so.v[i].v, so.v[i].pos);
}

static void command(const struct fe *f, struct json_object *svc, struct hull_container *c)
{
	struct json_object *ep = fe_get(svc, "entrypoint"), *cmd = fe_get(svc, "command");
	if (ep || cmd)
		c->command.n = 0;
	fe_strlist(f, ep, &c->command);
	fe_strlist(f, cmd, &c->command);
}

static void apply(const struct fe *f, struct json_object *svc, struct hull_workload *w)
{
	struct hull_container *c = &w->containers.v[0];
	const char *image = fe_scalar(f, svc, "image");
	if (image)
		hull_model_set_image(f->m, c, image, fe_key_pos(f, svc, "image"));
	if (fe_get(svc, "build"))
		c->image_built = true;
	const char *cname = fe_scalar(f, svc, "container_name");
	if (cname)
		c->name = cname;
	security(f, svc, c);
	resources(f, svc, c);
	ports(f, svc, c);
	volumes(f, svc, w, c);
	devices(f, svc, c);
	environment(f, svc, c);
	healthcheck(f, svc, c);
	command(f, svc, c);
	sysctls(f, svc, w);
	fe_bool(f, svc, "stdin_open", &c->stdin_open);
	fe_bool(f, svc, "tty", &c->tty);
	const char *nm = fe_scalar(f, svc, "network_mode");
	if (nm) {
		w->host_network.v = !strcmp(nm, "host") ? HULL_TRUE : HULL_FALSE;
		w->host_network.pos = fe_key_pos(f, svc, "network_mode");
	}
	ns_mode(f, svc, "pid", &w->host_pid);
	ns_mode(f, svc, "ipc", &w->host_ipc);
	ns_mode(f, svc, "uts", &w->host_uts);
	ns_mode(f, svc, "userns_mode", &w->host_users);
	fe_str(f, svc, "restart", &w->restart_policy);
	fe_str(f, svc, "cgroup_parent", &w->cgroup_parent);
	fe_pairs(f, fe_obj(svc, "labels"), &w->labels);
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
	if (++L->env.nfiles > HULL_COMPOSE_MAX_FILES)
		return hull_err_set(L->err, HULL_ERR_LIMIT, "%s: more than %u compose files",
		                    f->file, HULL_COMPOSE_MAX_FILES);
	/* the file is relative to the file that names it */
	char *dircopy = strdup(f->file);
	if (!dircopy)
		return hull_err_nomem(L->err);
	const char *path =
	    file[0] == '/' ? file : hull_model_printf(L->m, "%s/%s", dirname(dircopy), file);
	free(dircopy);
	char *data;
	size_t len;
	struct hull_yaml *y;
	if (!path || hull_fs_read_file(path, HULL_LOAD_MAX_BYTES, &data, &len, L->err) < 0)
		return hull_err_wrap(L->err, "%s: line %u: extends", f->file, pos.line);
	int rc = hull_yaml_parse(data, len, path, &y, L->err);
	free(data);
	if (rc < 0)
		return -1;
	struct fe f2 = {.m = L->m,
	                .y = y,
	                .file = hull_model_file(L->m, path),
	                .interp = interp,
	                .ctx = &L->env};
	rc = apply_service(L, &f2,
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

static int load_file(struct loader *L, struct hull_yaml *y, const char *name, size_t first)
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
		rc = load_file(&L, ys[i], names[i], first);
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
