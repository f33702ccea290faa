/* The workload model's memory (one arena per model), its builders and the
 * small parsers every front end shares (image references, users,
 * capabilities, quantities). */
#include "misconfig/model.h"

#include "util/arena.h"
#include "util/mem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena {
	struct hull_arena mem; /* capped at HULL_MODEL_MAX_BYTES */
	const char **files;    /* interned file names */
	size_t nfiles, capfiles;
};

static const char *const input_names[HULL_INPUT__COUNT] = {
    [HULL_INPUT_DOCKERFILE] = "dockerfile",
    [HULL_INPUT_IMAGE] = "image",
    [HULL_INPUT_COMPOSE] = "compose",
    [HULL_INPUT_K8S] = "kubernetes",
    [HULL_INPUT_ECS] = "ecs",
    [HULL_INPUT_RUNTIME] = "runtime",
};

const char *hull_input_name(enum hull_input in)
{
	return (unsigned)in < HULL_INPUT__COUNT ? input_names[in] : "unknown";
}

struct hull_model *hull_model_new(void)
{
	struct hull_model *m = calloc(1, sizeof(*m));
	struct arena *a = calloc(1, sizeof(*a));
	if (!m || !a) {
		free(m);
		free(a);
		return NULL;
	}
	hull_arena_init(&a->mem, HULL_MODEL_MAX_BYTES);
	m->arena_ = a;
	return m;
}

void hull_model_free(struct hull_model *m)
{
	if (!m)
		return;
	struct arena *a = m->arena_;
	if (a) {
		hull_arena_release(&a->mem);
		free(a->files);
		free(a);
	}
	for (size_t i = 0; i < m->nyamls_; i++)
		hull_yaml_free(m->yamls_[i]);
	free(m->yamls_);
	hull_diag_release(&m->warnings);
	free(m);
}

int hull_model_fail(struct hull_model *m, enum hull_err_kind kind, const char *fmt, ...)
{
	if (m->failed)
		return -1;
	m->failed = true;
	m->err.kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err.msg, sizeof(m->err.msg), fmt, ap);
	va_end(ap);
	return -1;
}

void hull_model_warn(struct hull_model *m, const char *fmt, ...)
{
	char msg[HULL_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hull_diag_warn(&m->warnings, "%s", msg);
}

void hull_model_move_warnings(struct hull_model *m, struct hull_diag *d)
{
	for (size_t i = 0; d && i < m->warnings.n; i++)
		hull_diag_warn(d, "%s", m->warnings.msgs[i]);
	if (d)
		d->dropped += m->warnings.dropped;
	hull_diag_release(&m->warnings);
}

bool hull_model_failed(const struct hull_model *m, struct hull_err *err)
{
	if (!m->failed)
		return false;
	if (err)
		*err = m->err;
	return true;
}

int hull_model_keep_yaml(struct hull_model *m, struct hull_yaml *y)
{
	struct hull_err err = {0};
	if (HULL_ARRAY_PUSH_ROOM(m->yamls_, m->nyamls_, m->capyamls_, 1u << 20, &err) < 0) {
		hull_yaml_free(y);
		return hull_model_fail(m, err.kind, "%s", err.msg);
	}
	m->yamls_[m->nyamls_++] = y;
	return 0;
}

void *hull_model_alloc(struct hull_model *m, size_t n)
{
	struct arena *a = m->arena_;
	if (m->failed)
		return NULL;
	struct hull_err e = {0};
	void *p = hull_arena_alloc(&a->mem, n, &e);
	if (!p && e.kind == HULL_ERR_LIMIT)
		hull_model_fail(m, HULL_ERR_LIMIT, "the workload model grew past %u MiB",
		                HULL_MODEL_MAX_BYTES >> 20);
	else if (!p)
		hull_model_fail(m, HULL_ERR_NOMEM, "out of memory");
	return p;
}

const char *hull_model_strndup(struct hull_model *m, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = hull_model_alloc(m, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

const char *hull_model_strdup(struct hull_model *m, const char *s)
{
	return s ? hull_model_strndup(m, s, strlen(s)) : NULL;
}

const char *hull_model_printf(struct hull_model *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = hull_model_alloc(m, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

const char *hull_model_file(struct hull_model *m, const char *name)
{
	struct arena *a = m->arena_;
	if (!name)
		return NULL;
	for (size_t i = a->nfiles; i-- > 0;)
		if (!strcmp(a->files[i], name))
			return a->files[i];
	const char *copy = hull_model_strdup(m, name);
	struct hull_err err = {0};
	if (!copy || HULL_ARRAY_PUSH_ROOM(a->files, a->nfiles, a->capfiles, 1u << 20, &err) < 0) {
		if (!m->failed)
			hull_model_fail(m, err.kind, "%s", err.msg);
		return NULL;
	}
	a->files[a->nfiles++] = copy;
	return copy;
}

/* Lists grow inside the arena: the old block is abandoned (at most as much
 * again as the final size), which keeps every list freeable at once. */
struct anylist {
	void *v;
	size_t n, cap;
};

void *hull_model_push_(struct hull_model *m, void *list, size_t elem, size_t max)
{
	struct anylist *l = list;
	if (m->failed)
		return NULL;
	if (l->n >= max) {
		hull_model_fail(m, HULL_ERR_LIMIT, "more than %zu entries in one list", max);
		return NULL;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		void *nv = hull_model_alloc(m, ncap * elem);
		if (!nv)
			return NULL;
		if (l->n)
			memcpy(nv, l->v, l->n * elem);
		l->v = nv;
		l->cap = ncap;
	}
	void *p = (char *)l->v + l->n * elem;
	memset(p, 0, elem);
	l->n++;
	return p;
}

struct hull_workload *hull_model_add_workload(struct hull_model *m, enum hull_input in,
                                              const char *kind, const char *name,
                                              struct hull_pos pos)
{
	struct hull_workload *w =
	    hull_model_push_(m, &m->workloads, sizeof(*m->workloads.v), HULL_MODEL_MAX_WORKLOADS);
	if (!w)
		return NULL;
	w->input = in;
	w->kind = hull_model_strdup(m, kind);
	w->name = hull_model_strdup(m, name);
	w->pos = pos;
	return w;
}

struct hull_container *hull_model_add_container(struct hull_model *m, struct hull_workload *w,
                                                const char *name, struct hull_pos pos)
{
	struct hull_container *c = hull_model_push_(m, &w->containers, sizeof(*w->containers.v),
	                                            HULL_MODEL_MAX_CONTAINERS);
	if (!c)
		return NULL;
	c->name = hull_model_strdup(m, name);
	c->pos = pos;
	return c;
}

void hull_model_set_image(struct hull_model *m, struct hull_container *c, const char *ref,
                          struct hull_pos pos)
{
	if (!ref)
		return;
	c->image.v = hull_model_strdup(m, ref);
	c->image.pos = pos;
	const char *at = strchr(ref, '@');
	size_t name_len = at ? (size_t)(at - ref) : strlen(ref);
	if (at)
		c->image_digest = hull_model_strdup(m, at + 1);
	/* the tag follows the last ':' after the last '/' (a registry port
	 * "host:5000/app" is not a tag) */
	const char *slash = NULL, *colon = NULL;
	for (size_t i = 0; i < name_len; i++) {
		if (ref[i] == '/')
			slash = ref + i;
		else if (ref[i] == ':')
			colon = ref + i;
	}
	if (colon && (!slash || colon > slash)) {
		c->image_repo = hull_model_strndup(m, ref, (size_t)(colon - ref));
		c->image_tag =
		    hull_model_strndup(m, colon + 1, (size_t)(ref + name_len - colon - 1));
	} else {
		c->image_repo = hull_model_strndup(m, ref, name_len);
	}
}

void hull_cap_normalize(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	if (!outsz)
		return;
	while (*in == ' ' || *in == '\t')
		in++;
	if (!strncasecmp(in, "CAP_", 4))
		in += 4;
	for (; *in && o + 1 < outsz; in++) {
		if (*in == ' ' || *in == '\t')
			break;
		out[o++] = (char)toupper((unsigned char)*in);
	}
	out[o] = 0;
}

void hull_model_add_cap(struct hull_model *m, hull_strlist *list, const char *cap,
                        struct hull_pos pos)
{
	char buf[64];
	if (!cap)
		return;
	hull_cap_normalize(cap, buf, sizeof(buf));
	if (!buf[0])
		return;
	struct hull_vstr *s = hull_model_push(m, list);
	if (!s)
		return;
	s->v = hull_model_strdup(m, buf);
	s->pos = pos;
}

static bool parse_id(const char *s, size_t n, int64_t *out)
{
	if (!n || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

void hull_model_set_user(struct hull_model *m, struct hull_user *u, const char *spec,
                         const char *origin, struct hull_pos pos)
{
	if (!spec)
		return;
	u->spec.v = hull_model_strdup(m, spec);
	u->spec.pos = pos;
	u->origin = origin;
	u->uid_known = u->gid_known = false;
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	if (ulen == 4 && !strncmp(spec, "root", 4)) {
		u->uid_known = true;
		u->uid = 0;
	} else if (parse_id(spec, ulen, &u->uid)) {
		u->uid_known = true;
	}
	if (colon) {
		const char *g = colon + 1;
		if (!strcmp(g, "root")) {
			u->gid_known = true;
			u->gid = 0;
		} else if (parse_id(g, strlen(g), &u->gid)) {
			u->gid_known = true;
		}
		if (u->gid_known) {
			u->group.set = true;
			u->group.v = u->gid;
			u->group.pos = pos;
		}
	}
}

/* strtod without locale surprises for the plain numbers quantities use. */
static bool parse_number(const char *s, double *v, const char **end)
{
	if (!(*s >= '0' && *s <= '9') && *s != '.' && *s != '-' && *s != '+')
		return false;
	errno = 0;
	char *e;
	double d = strtod(s, &e);
	if (e == s || errno == ERANGE || !isfinite(d))
		return false;
	/* strtod accepts "inf", "nan" and hex floats: quantities never are */
	for (const char *p = s; p < e; p++)
		if (!strchr("0123456789.eE+-", *p))
			return false;
	*v = d;
	*end = e;
	return true;
}

bool hull_parse_k8s_quantity(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double mul;
	} units[] = {
	    {"Ki", 1024.0},
	    {"Mi", 1048576.0},
	    {"Gi", 1073741824.0},
	    {"Ti", 1099511627776.0},
	    {"Pi", 1125899906842624.0},
	    {"Ei", 1152921504606846976.0},
	    {"n", 1e-9},
	    {"u", 1e-6},
	    {"m", 1e-3},
	    {"k", 1e3},
	    {"M", 1e6},
	    {"G", 1e9},
	    {"T", 1e12},
	    {"P", 1e15},
	    {"E", 1e18},
	    {"", 1.0},
	};
	double v;
	const char *end;
	if (!s || !parse_number(s, &v, &end))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(end, units[i].suffix)) {
			*out = v * units[i].mul;
			return true;
		}
	}
	return false;
}

bool hull_parse_docker_bytes(const char *s, double *out)
{
	double v;
	const char *end;
	if (!s || !parse_number(s, &v, &end))
		return false;
	while (*end == ' ')
		end++;
	double mul = 1;
	switch (tolower((unsigned char)*end)) {
	case 'k':
		mul = 1024.0;
		break;
	case 'm':
		mul = 1048576.0;
		break;
	case 'g':
		mul = 1073741824.0;
		break;
	case 't':
		mul = 1099511627776.0;
		break;
	case 'p':
		mul = 1125899906842624.0;
		break;
	case 'b':
	case 0:
		break;
	default:
		return false;
	}
	if (*end && tolower((unsigned char)*end) != 'b')
		end++;
	if (tolower((unsigned char)*end) == 'i')
		end++;
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end)
		return false;
	*out = v * mul;
	return true;
}

void hull_model_set_qty(struct hull_model *m, struct hull_vqty *q, const char *raw, double v,
                        bool valid, struct hull_pos pos)
{
	q->set = true;
	q->valid = valid;
	q->v = valid ? v : 0;
	q->raw = hull_model_strdup(m, raw);
	q->pos = pos;
}

const struct hull_pair *hull_pair_find(const hull_pairlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].key && !strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

bool hull_strlist_has(const hull_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].v && !strcmp(l->v[i].v, s))
			return true;
	return false;
}

const char *hull_workload_label(struct hull_model *m, const struct hull_workload *w)
{
	const char *kind = w->kind ? w->kind : "workload";
	if (w->namespace && w->name)
		return hull_model_printf(m, "%s %s/%s", kind, w->namespace, w->name);
	if (w->name)
		return hull_model_printf(m, "%s %s", kind, w->name);
	return kind;
}

/* "80", "80/tcp", "8000-8010/udp" */
bool hull_parse_port_range(const char *s, int64_t *lo, int64_t *hi, const char **proto_end)
{
	char *e;
	if (!s || !isdigit((unsigned char)*s))
		return false;
	long a = strtol(s, &e, 10), b = a;
	if (*e == '-') {
		if (!isdigit((unsigned char)e[1]))
			return false;
		b = strtol(e + 1, &e, 10);
	}
	if (*e && *e != '/')
		return false;
	*lo = a;
	*hi = b;
	if (proto_end)
		*proto_end = *e == '/' ? e + 1 : NULL;
	return true;
}

void hull_model_add_exposed(struct hull_model *m, struct hull_container *c, const char *spec,
                            struct hull_pos pos)
{
	int64_t lo, hi;
	const char *proto;
	struct hull_port *p = NULL;
	if (!spec || !*spec)
		return;
	p = hull_model_push(m, &c->ports);
	if (!p)
		return;
	p->exposed_only = true;
	p->pos = pos;
	p->protocol = "tcp";
	if (hull_parse_port_range(spec, &lo, &hi, &proto)) {
		p->container_port = lo;
		p->container_port_end = hi;
		if (proto && *proto)
			p->protocol = hull_model_strdup(m, proto);
	} else {
		/* kept so that "EXPOSE 99999" style mistakes can be reported */
		p->container_port = -1;
		p->name = hull_model_strdup(m, spec);
	}
}
