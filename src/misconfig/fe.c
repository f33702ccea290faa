/* Typed, positioned reads of YAML/JSON nodes for the front ends. */
#include "misconfig/fe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct hull_pos fe_pos(const struct fe *f, const struct json_object *node)
{
	struct hull_pos p = {f->file, 0, 0};
	if (node && f->y)
		hull_yaml_pos(f->y, node, &p.line, &p.col);
	return p;
}

struct hull_pos fe_key_pos(const struct fe *f, const struct json_object *map, const char *key)
{
	struct hull_pos p = {f->file, 0, 0};
	if (map && f->y && !hull_yaml_key_pos(f->y, map, key, &p.line, &p.col))
		hull_yaml_pos(f->y, map, &p.line, &p.col);
	return p;
}

struct json_object *fe_get(struct json_object *map, const char *key)
{
	struct json_object *v = NULL;
	if (!map || !json_object_is_type(map, json_type_object) ||
	    !json_object_object_get_ex(map, key, &v))
		return NULL;
	return v;
}

struct json_object *fe_obj(struct json_object *map, const char *key)
{
	struct json_object *v = fe_get(map, key);
	return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

struct json_object *fe_arr(struct json_object *map, const char *key)
{
	struct json_object *v = fe_get(map, key);
	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

const char *fe_text(const struct fe *f, struct json_object *v)
{
	if (!v)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
		if (f->interp)
			return f->interp(f, json_object_get_string(v));
		return hull_model_strndup(f->m, json_object_get_string(v),
		                          (size_t)json_object_get_string_len(v));
	case json_type_int:
		return hull_model_printf(f->m, "%lld", (long long)json_object_get_int64(v));
	case json_type_double:
		return hull_model_printf(f->m, "%.17g", json_object_get_double(v));
	case json_type_boolean:
		return json_object_get_boolean(v) ? "true" : "false";
	default:
		return NULL;
	}
}

const char *fe_scalar(const struct fe *f, struct json_object *map, const char *key)
{
	return fe_text(f, fe_get(map, key));
}

/* YAML 1.1's boolean words (go-yaml v2, which kubectl's YAML reader is):
 * 1 true, 0 false, -1 neither. */
static int yaml11_bool(const char *s)
{
	static const char *const t[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
	static const char *const n[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!strcmp(s, t[i]))
			return 1;
		if (!strcmp(s, n[i]))
			return 0;
	}
	return -1;
}

bool fe_bool(const struct fe *f, struct json_object *map, const char *key, struct hull_vbool *out)
{
	struct json_object *v = fe_get(map, key);
	const char *s = v && json_object_is_type(v, json_type_string) ? fe_text(f, v) : NULL;
	bool b;
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_boolean))
		b = json_object_get_boolean(v);
	else if (s && !strcasecmp(s, "true"))
		b = true;
	else if (s && !strcasecmp(s, "false"))
		b = false;
	else if (s && f->yaml11_bools && yaml11_bool(s) >= 0)
		b = yaml11_bool(s);
	else
		return false;
	out->v = b ? HULL_TRUE : HULL_FALSE;
	out->pos = fe_key_pos(f, map, key);
	return true;
}

bool fe_int(const struct fe *f, struct json_object *map, const char *key, struct hull_vint *out)
{
	struct json_object *v = fe_get(map, key);
	int64_t n;
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
	} else if (json_object_is_type(v, json_type_string)) {
		const char *s = fe_text(f, v);
		char *end;
		if (!s || !*s)
			return false;
		n = strtoll(s, &end, 10);
		if (*end)
			return false;
	} else {
		return false;
	}
	out->set = true;
	out->v = n;
	out->pos = fe_key_pos(f, map, key);
	return true;
}

bool fe_str(const struct fe *f, struct json_object *map, const char *key, struct hull_vstr *out)
{
	const char *s = fe_scalar(f, map, key);
	if (!s)
		return false;
	out->v = s;
	out->pos = fe_key_pos(f, map, key);
	return true;
}

void fe_strlist(const struct fe *f, struct json_object *node, hull_strlist *list)
{
	if (!node)
		return;
	if (!json_object_is_type(node, json_type_array)) {
		const char *s = fe_text(f, node);
		struct hull_vstr *e = s ? hull_model_push(f->m, list) : NULL;
		if (e) {
			e->v = s;
			e->pos = fe_pos(f, node);
		}
		return;
	}
	for (size_t i = 0; i < json_object_array_length(node); i++) {
		struct json_object *it = json_object_array_get_idx(node, i);
		const char *s = fe_text(f, it);
		struct hull_vstr *e = s ? hull_model_push(f->m, list) : NULL;
		if (e) {
			e->v = s;
			e->pos = fe_pos(f, it);
		}
	}
}

void fe_pairs(const struct fe *f, struct json_object *map, hull_pairlist *list)
{
	if (!map || !json_object_is_type(map, json_type_object))
		return;
	json_object_object_foreach(map, k, v)
	{
		struct hull_pair *p = hull_model_push(f->m, list);
		if (!p)
			return;
		p->key = hull_model_strdup(f->m, k);
		p->value = fe_text(f, v);
		p->pos = fe_key_pos(f, map, k);
	}
}

void fe_add_bind(const struct fe *f, struct hull_workload *w, struct hull_container *c,
                 const char *host, const char *target, bool read_only, const char *propagation,
                 struct hull_pos pos)
{
	struct hull_volume *v = hull_model_push(f->m, &w->volumes);
	if (v) {
		v->name = host;
		v->type = "bind";
		v->host_path = host;
		v->read_only = read_only;
		v->pos = v->type_pos = pos;
	}
	struct hull_mount *mt = c ? hull_model_push(f->m, &c->mounts) : NULL;
	if (mt) {
		mt->kind = HULL_MOUNT_BIND;
		mt->source = host;
		mt->target = target;
		mt->read_only = read_only;
		mt->propagation = propagation;
		mt->pos = pos;
	}
}

static void set_profile(const struct fe *f, struct hull_profile *p, const char *value,
                        struct hull_pos pos)
{
	p->value = hull_model_strdup(f->m, value);
	p->pos = pos;
	if (!strcasecmp(value, "unconfined"))
		p->type = HULL_PROFILE_UNCONFINED;
	else if (!strcasecmp(value, "default") || !strcasecmp(value, "runtime/default") ||
	         !strcasecmp(value, "docker-default") || !strcasecmp(value, "docker/default"))
		p->type = HULL_PROFILE_RUNTIME_DEFAULT;
	else
		p->type = HULL_PROFILE_LOCALHOST; /* a profile file or name */
}

void fe_security_opt(const struct fe *f, struct hull_container *c, const char *opt,
                     struct hull_pos pos)
{
	/* docker accepts both "key=value" and the older "key:value" */
	const char *sep = strpbrk(opt, "=:");
	size_t klen = sep ? (size_t)(sep - opt) : strlen(opt);
	const char *val = sep ? sep + 1 : "";
	if (klen == 17 && !strncmp(opt, "no-new-privileges", 17)) {
		bool on = !*val || !strcasecmp(val, "true") || !strcasecmp(val, "1");
		c->allow_priv_esc.v = on ? HULL_FALSE : HULL_TRUE;
		c->allow_priv_esc.pos = pos;
	} else if (klen == 7 && !strncmp(opt, "seccomp", 7)) {
		set_profile(f, &c->seccomp, val, pos);
	} else if (klen == 8 && !strncmp(opt, "apparmor", 8)) {
		set_profile(f, &c->apparmor, val, pos);
	} else if (klen == 5 && !strncmp(opt, "label", 5)) {
		struct hull_vstr *dst = NULL;
		const char *v2 = strchr(val, ':');
		if (!strcmp(val, "disable")) {
			c->selinux.disabled.v = HULL_TRUE;
			c->selinux.disabled.pos = pos;
			return;
		}
		if (!v2)
			return;
		if (!strncmp(val, "type", 4))
			dst = &c->selinux.type;
		else if (!strncmp(val, "user", 4))
			dst = &c->selinux.user;
		else if (!strncmp(val, "role", 4))
			dst = &c->selinux.role;
		else if (!strncmp(val, "level", 5))
			dst = &c->selinux.level;
		if (dst) {
			dst->v = hull_model_strdup(f->m, v2 + 1);
			dst->pos = pos;
		}
	}
}
