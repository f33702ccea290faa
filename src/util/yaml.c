#include "util/yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/arena.h"
#include "util/hash.h"
#include "util/mem.h"

#define MERGE_KEY "<<"

/* Positions: (node) -> where it starts, (mapping, key) -> where the key is. */
struct pos {
	const void *node;
	const char *key; /* NULL for a node's own position; in the arena */
	unsigned line, col;
};

struct anchor {
	char *name;
	struct json_object *value; /* a reference held by the anchor table */
	size_t size;               /* nodes it expands to */
};

struct frame {
	struct json_object *obj; /* array or object */
	bool is_map;
	bool have_key;
	const char *key; /* pending key of a mapping (in the key arena) */
	unsigned key_line, key_col;
	bool key_is_merge;
	struct json_object **merges; /* sources of `<<`, in order, referenced */
	size_t nmerges, capmerges;
	char *anchor; /* anchor of this collection, registered at its end */
	size_t nodes_at_start;
	unsigned line, col;
};

struct hull_yaml {
	struct json_object **docs;
	size_t ndocs, capdocs;
	/* Positions and the mapping keys they name live in the arena; the
	 * table finds them. Both are capped by the input's size. */
	struct hull_arena mem;
	struct hull_hash pos;
};

struct loader {
	struct hull_yaml *y;
	const char *name;
	struct hull_err *err;
	struct frame *stack; /* grown on demand: most documents are shallow */
	size_t depth, capstack;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t nodes; /* expanded nodes in the stream */
	size_t bytes; /* estimated memory of the values made (aliases share) */
	struct json_object *root;
	bool have_root;
};

/* ---- position table ---------------------------------------------------- */

/* What one input byte can make the loader keep: a key is at most its text
 * plus a NUL, a position (32 bytes) is made by at most one node or key per
 * byte, two for a key with an implicit null value ("a:"). */
#define ARENA_PER_BYTE 96u
#define POS_PER_BYTE   2u

/* A NUL-terminated copy of s[0..n) that lives until hull_yaml_free. */
static const char *key_copy(struct hull_yaml *y, const char *s, size_t n, struct hull_err *err)
{
	return hull_arena_strndup(&y->mem, s, n, err);
}

struct pos_key {
	const void *node;
	const char *key;
};

static uint64_t pos_hash(const void *node, const char *key)
{
	uint64_t h = key ? hull_hash_bytes(key, strlen(key)) : 0;
	return hull_hash_mix(h, (uint64_t)(uintptr_t)node);
}

static bool pos_same(const void *val, const void *key, const void *ctx)
{
	const struct pos *p = val;
	const struct pos_key *k = key;
	(void)ctx;
	if (p->node != k->node)
		return false;
	if (!k->key || !p->key)
		return !k->key && !p->key;
	return strcmp(p->key, k->key) == 0;
}

/* key, when given, is in y's arena (key_copy): the table keeps the
 * pointer. */
static int pos_put(struct hull_yaml *y, const void *node, const char *key, unsigned line,
                   unsigned col, struct hull_err *err)
{
	uint64_t h = pos_hash(node, key);
	struct pos_key k = {node, key};
	if (hull_hash_get(&y->pos, h, pos_same, &k, NULL))
		return 0; /* shared (aliased) node: its first position stands */
	struct pos *p = hull_arena_alloc(&y->mem, sizeof(*p), err);
	if (!p)
		return -1;
	*p = (struct pos){node, key, line, col};
	return hull_hash_add(&y->pos, h, p, err);
}

static const struct pos *pos_get(const struct hull_yaml *y, const void *node, const char *key)
{
	if (!node)
		return NULL;
	struct pos_key k = {node, key};
	return hull_hash_get(&y->pos, pos_hash(node, key), pos_same, &k, NULL);
}

/* ---- errors -------------------------------------------------------------- */

static int fail_at(struct loader *l, unsigned line, unsigned col, enum hull_err_kind kind,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct loader *l, unsigned line, unsigned col, enum hull_err_kind kind,
                   const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return hull_err_set(l->err, kind, "%s: line %u, column %u: %s", l->name, line, col, what);
}

static int parser_error(struct loader *l, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->error == YAML_MEMORY_ERROR)
		return hull_err_nomem(l->err);
	unsigned line = (unsigned)p->problem_mark.line + 1,
	         col = (unsigned)p->problem_mark.column + 1;
	if (p->context)
		return fail_at(l, line, col, HULL_ERR_INPUT, "%s %s", p->context, problem);
	return fail_at(l, line, col, HULL_ERR_INPUT, "%s", problem);
}

/* ---- scalars ------------------------------------------------------------- */

static bool is_null(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 &&
	        (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int is_bool(const char *s, size_t n)
{
	if ((n == 4) && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
		return 1;
	if ((n == 5) &&
	    (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
		return 0;
	return -1;
}

/* YAML 1.2 core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+.
 * Returns 1 for an int64, 0 for not an integer, -1 for an integer that does
 * not fit (kept as a string, never rounded through a double). */
static int parse_int(const char *s, size_t n, int64_t *out)
{
	char buf[32];
	if (n == 0)
		return 0;
	if (n >= sizeof(buf)) {
		size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		return i == n ? -1 : 0;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	int base = 10;
	const char *digits = buf;
	if (n > 2 && buf[0] == '0' && buf[1] == 'o')
		base = 8, digits = buf + 2;
	else if (n > 2 && buf[0] == '0' && buf[1] == 'x')
		base = 16, digits = buf + 2;
	const char *d = digits;
	if (base == 10 && (*d == '-' || *d == '+'))
		d++;
	if (!*d)
		return 0;
	for (const char *q = d; *q; q++) {
		bool ok = base == 16 ? ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
		                        (*q >= 'A' && *q <= 'F'))
		                     : (*q >= '0' && *q <= (base == 8 ? '7' : '9'));
		if (!ok)
			return 0;
	}
	errno = 0;
	char *end;
	long long v = strtoll(digits, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 1;
}

static bool parse_float(const char *s, size_t n, double *out)
{
	char buf[64];
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	const char *p = buf;
	int sign = 1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
		*out = sign * INFINITY;
		return true;
	}
	if (p == buf && (!strcmp(p, ".nan") || !strcmp(p, ".NaN") || !strcmp(p, ".NAN"))) {
		*out = NAN;
		return true;
	}
	/* [0-9]+(\.[0-9]*)? | \.[0-9]+, then an optional exponent */
	const char *q = p;
	bool digits = false;
	while (*q >= '0' && *q <= '9')
		q++, digits = true;
	if (*q == '.') {
		q++;
		while (*q >= '0' && *q <= '9')
			q++, digits = true;
	}
	if (!digits)
		return false;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '-' || *q == '+')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return false;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q)
		return false;
	*out = strtod(buf, NULL);
	return true;
}

static struct json_object *scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	bool force_str = tag && (!strcmp(tag, "tag:yaml.org,2002:str") || !strcmp(tag, "!!str"));
	if (plain && !force_str) {
		int64_t i;
		double d;
		int b;
		if (is_null(s, n))
			return NULL;
		if ((b = is_bool(s, n)) >= 0)
			return json_object_new_boolean(b);
		int isint = parse_int(s, n, &i);
		if (isint > 0)
			return json_object_new_int64(i);
		if (isint == 0 && parse_float(s, n, &d))
			return json_object_new_double(d);
	}
	return json_object_new_string_len(s, (int)n);
}

/* ---- building -------------------------------------------------------------- */

static struct anchor *find_anchor(struct loader *l, const char *name)
{
	for (size_t i = l->nanchors; i-- > 0;)
		if (!strcmp(l->anchors[i].name, name))
			return &l->anchors[i];
	return NULL;
}

static int add_anchor(struct loader *l, const char *name, struct json_object *value, size_t size)
{
	struct anchor *a = find_anchor(l, name);
	if (!a) {
		if (HULL_ARRAY_PUSH_ROOM(l->anchors, l->nanchors, l->capanchors,
		                         HULL_YAML_MAX_NODES, l->err) < 0)
			return -1;
		a = &l->anchors[l->nanchors++];
		a->name = strdup(name);
		a->value = NULL;
		if (!a->name) {
			l->nanchors--;
			return hull_err_nomem(l->err);
		}
	}
	json_object_put(a->value);
	a->value = json_object_get(value);
	a->size = size;
	return 0;
}

static int count_nodes(struct loader *l, size_t n, unsigned line, unsigned col)
{
	if (n > HULL_YAML_MAX_NODES || l->nodes > HULL_YAML_MAX_NODES - n)
		return fail_at(l, line, col, HULL_ERR_LIMIT,
		               "more than %u nodes once aliases are expanded (an alias bomb?)",
		               HULL_YAML_MAX_NODES);
	l->nodes += n;
	return 0;
}

/* What a value costs once loaded, measured on this loader's output
 * (peak RSS over 200,000 one-key mappings and 1,000,000 scalars): a
 * json-c object starts with a 16-entry hash table, and every node also
 * has its position. */
#define MAP_COST  1024u
#define NODE_COST 160u

static int count_bytes(struct loader *l, size_t n, unsigned line, unsigned col)
{
	if (n > HULL_YAML_MAX_BYTES || l->bytes > HULL_YAML_MAX_BYTES - n)
		return fail_at(l, line, col, HULL_ERR_LIMIT,
		               "more than %u MiB once loaded (hull's limit for one YAML or JSON "
		               "input)",
		               HULL_YAML_MAX_BYTES >> 20);
	l->bytes += n;
	return 0;
}

static int key_text(struct loader *l, const yaml_event_t *ev, const char **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (memchr(s, '\0', n))
		return fail_at(l, (unsigned)ev->start_mark.line + 1,
		               (unsigned)ev->start_mark.column + 1, HULL_ERR_INPUT,
		               "a mapping key contains a NUL character");
	*out = key_copy(l->y, s, n, l->err);
	return *out ? 0 : -1;
}

/* Hands a finished value to its parent (or makes it the document root).
 * Takes the reference to v. `ev` is the scalar event for keys. */
static int attach(struct loader *l, struct json_object *v, unsigned line, unsigned col,
                  const yaml_event_t *scalar_ev)
{
	if (l->depth == 0) {
		l->root = v;
		l->have_root = true;
		return 0;
	}
	struct frame *f = &l->stack[l->depth - 1];
	if (!f->is_map) {
		json_object_array_add(f->obj, v);
		return 0;
	}
	if (!f->have_key) {
		if (!scalar_ev) {
			json_object_put(v);
			return fail_at(l, line, col, HULL_ERR_INPUT,
			               "a mapping key that is a collection is not supported");
		}
		json_object_put(v);
		f->key_is_merge = scalar_ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		                  scalar_ev->data.scalar.length == 2 &&
		                  !memcmp(scalar_ev->data.scalar.value, MERGE_KEY, 2);
		if (key_text(l, scalar_ev, &f->key) < 0)
			return -1;
		f->key_line = line;
		f->key_col = col;
		f->have_key = true;
		if (!f->key_is_merge && json_object_object_get_ex(f->obj, f->key, NULL)) {
			const struct pos *first = pos_get(l->y, f->obj, f->key);
			return fail_at(l, line, col, HULL_ERR_INPUT,
			               "duplicate key '%.100s' (first at line %u)", f->key,
			               first ? first->line : 0);
		}
		return 0;
	}
	f->have_key = false;
	if (f->key_is_merge) {
		bool ok = json_object_is_type(v, json_type_object);
		size_t n = ok                                        ? 0
		           : json_object_is_type(v, json_type_array) ? json_object_array_length(v)
		                                                     : 0;
		for (size_t i = 0; i < n; i++)
			if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_object))
				n = 0, ok = false;
		if (!ok && !json_object_is_type(v, json_type_array)) {
			json_object_put(v);
			return fail_at(l, f->key_line, f->key_col, HULL_ERR_INPUT,
			               "'<<' merges a mapping or a list of mappings");
		}
		/* a list merges each mapping; earlier ones win */
		size_t count = ok ? 1 : n;
		for (size_t i = 0; i < count; i++) {
			struct json_object *src = ok ? v : json_object_array_get_idx(v, i);
			if (HULL_ARRAY_PUSH_ROOM(f->merges, f->nmerges, f->capmerges, 1024,
			                         l->err) < 0) {
				json_object_put(v);
				return -1;
			}
			f->merges[f->nmerges++] = json_object_get(src);
		}
		json_object_put(v);
		f->key = NULL;
		return 0;
	}
	if (pos_put(l->y, f->obj, f->key, f->key_line, f->key_col, l->err) < 0) {
		json_object_put(v);
		return -1;
	}
	json_object_object_add(f->obj, f->key, v);
	f->key = NULL;
	return 0;
}

static void apply_merges(struct frame *f)
{
	for (size_t i = 0; i < f->nmerges; i++) {
		json_object_object_foreach(f->merges[i], key, val)
		{
			if (!json_object_object_get_ex(f->obj, key, NULL))
				json_object_object_add(f->obj, key, json_object_get(val));
		}
	}
}

static void frame_release(struct frame *f)
{
	for (size_t i = 0; i < f->nmerges; i++)
		json_object_put(f->merges[i]);
	free(f->merges);
	free(f->anchor);
	json_object_put(f->obj);
	memset(f, 0, sizeof(*f));
}

static int start_collection(struct loader *l, const yaml_event_t *ev, bool is_map)
{
	unsigned line = (unsigned)ev->start_mark.line + 1,
	         col = (unsigned)ev->start_mark.column + 1;
	if (l->depth >= HULL_MAX_DEPTH)
		return fail_at(l, line, col, HULL_ERR_LIMIT, "nested deeper than %d levels",
		               HULL_MAX_DEPTH);
	if (HULL_ARRAY_PUSH_ROOM(l->stack, l->depth, l->capstack, HULL_MAX_DEPTH, l->err) < 0)
		return -1;
	if (count_nodes(l, 1, line, col) < 0 ||
	    count_bytes(l, is_map ? MAP_COST : NODE_COST, line, col) < 0)
		return -1;
	const char *anchor =
	    (const char *)(is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor);
	struct frame *f = &l->stack[l->depth];
	memset(f, 0, sizeof(*f));
	f->obj = is_map ? json_object_new_object() : json_object_new_array();
	f->anchor = anchor ? strdup(anchor) : NULL;
	if (!f->obj || (anchor && !f->anchor)) {
		frame_release(f);
		return hull_err_nomem(l->err);
	}
	f->is_map = is_map;
	f->nodes_at_start = l->nodes;
	f->line = line;
	f->col = col;
	l->depth++;
	return pos_put(l->y, f->obj, NULL, line, col, l->err);
}

static int end_collection(struct loader *l)
{
	struct frame *f = &l->stack[--l->depth];
	if (f->is_map)
		apply_merges(f);
	struct json_object *obj = f->obj;
	f->obj = NULL;
	size_t size = l->nodes - f->nodes_at_start + 1;
	int rc = f->anchor ? add_anchor(l, f->anchor, obj, size) : 0;
	unsigned line = f->line, col = f->col;
	frame_release(f);
	if (rc < 0) {
		json_object_put(obj);
		return -1;
	}
	return attach(l, obj, line, col, NULL);
}

static int on_scalar(struct loader *l, const yaml_event_t *ev)
{
	unsigned line = (unsigned)ev->start_mark.line + 1,
	         col = (unsigned)ev->start_mark.column + 1;
	if (count_nodes(l, 1, line, col) < 0 ||
	    count_bytes(l, NODE_COST + ev->data.scalar.length, line, col) < 0)
		return -1;
	if (ev->data.scalar.length > INT32_MAX)
		return fail_at(l, line, col, HULL_ERR_LIMIT, "scalar too long");
	bool is_key = l->depth && l->stack[l->depth - 1].is_map && !l->stack[l->depth - 1].have_key;
	/* a key is kept as text; only an anchored one is also a value */
	struct json_object *v = is_key && !ev->data.scalar.anchor ? NULL : scalar_value(ev);
	if (!is_key && v && pos_put(l->y, v, NULL, line, col, l->err) < 0) {
		json_object_put(v);
		return -1;
	}
	if (ev->data.scalar.anchor &&
	    add_anchor(l, (const char *)ev->data.scalar.anchor, v, 1) < 0) {
		json_object_put(v);
		return -1;
	}
	return attach(l, v, line, col, ev);
}

static int on_alias(struct loader *l, const yaml_event_t *ev)
{
	unsigned line = (unsigned)ev->start_mark.line + 1,
	         col = (unsigned)ev->start_mark.column + 1;
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = find_anchor(l, name);
	if (!a)
		return fail_at(l, line, col, HULL_ERR_INPUT, "alias '*%.100s' to an unknown anchor",
		               name);
	if (count_nodes(l, a->size, line, col) < 0)
		return -1;
	bool is_key = l->depth && l->stack[l->depth - 1].is_map && !l->stack[l->depth - 1].have_key;
	if (is_key)
		return fail_at(l, line, col, HULL_ERR_INPUT,
		               "an alias as a mapping key is not supported");
	return attach(l, json_object_get(a->value), line, col, NULL);
}

static int push_doc(struct loader *l)
{
	struct hull_yaml *y = l->y;
	if (HULL_ARRAY_PUSH_ROOM(y->docs, y->ndocs, y->capdocs, HULL_YAML_MAX_DOCS, l->err) < 0) {
		json_object_put(l->root);
		l->root = NULL;
		return hull_err_wrap(l->err, "%s: documents", l->name);
	}
	y->docs[y->ndocs++] = l->root;
	l->root = NULL;
	l->have_root = false;
	/* anchors do not cross documents */
	for (size_t i = 0; i < l->nanchors; i++) {
		free(l->anchors[i].name);
		json_object_put(l->anchors[i].value);
	}
	l->nanchors = 0;
	return 0;
}

static int on_event(struct loader *l, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_END_EVENT:
		return push_doc(l);
	case YAML_SEQUENCE_START_EVENT:
		return start_collection(l, ev, false);
	case YAML_MAPPING_START_EVENT:
		return start_collection(l, ev, true);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return end_collection(l);
	case YAML_SCALAR_EVENT:
		return on_scalar(l, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(l, ev);
	default:
		return 0;
	}
}

static void loader_release(struct loader *l)
{
	while (l->depth)
		frame_release(&l->stack[--l->depth]);
	free(l->stack);
	for (size_t i = 0; i < l->nanchors; i++) {
		free(l->anchors[i].name);
		json_object_put(l->anchors[i].value);
	}
	free(l->anchors);
	json_object_put(l->root);
}

int hull_yaml_parse(const char *data, size_t len, const char *name, struct hull_yaml **out,
                    struct hull_err *err)
{
	*out = NULL;
	struct hull_yaml *y = calloc(1, sizeof(*y));
	struct loader *l = calloc(1, sizeof(*l));
	if (!y || !l) {
		free(y);
		free(l);
		return hull_err_nomem(err);
	}
	size_t room =
	    len < SIZE_MAX / ARENA_PER_BYTE - 4096 ? len + 4096 : SIZE_MAX / ARENA_PER_BYTE;
	hull_arena_init(&y->mem, room * ARENA_PER_BYTE);
	hull_hash_init(&y->pos, room * POS_PER_BYTE);
	l->y = y;
	l->name = name;
	l->err = err;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		free(l);
		free(y);
		return hull_err_nomem(err);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	int rc = 0;
	for (bool done = false; !done && rc == 0;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(l, &p);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(l, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	loader_release(l);
	free(l);
	if (rc < 0) {
		hull_yaml_free(y);
		return -1;
	}
	*out = y;
	return 0;
}

size_t hull_yaml_ndocs(const struct hull_yaml *y)
{
	return y ? y->ndocs : 0;
}

struct json_object *hull_yaml_doc(const struct hull_yaml *y, size_t i)
{
	return y && i < y->ndocs ? y->docs[i] : NULL;
}

bool hull_yaml_pos(const struct hull_yaml *y, const struct json_object *node, unsigned *line,
                   unsigned *col)
{
	const struct pos *p = pos_get(y, node, NULL);
	if (!p)
		return false;
	*line = p->line;
	*col = p->col;
	return true;
}

bool hull_yaml_key_pos(const struct hull_yaml *y, const struct json_object *map, const char *key,
                       unsigned *line, unsigned *col)
{
	if (!key)
		return false;
	const struct pos *p = pos_get(y, map, key);
	if (!p)
		return false;
	*line = p->line;
	*col = p->col;
	return true;
}

void hull_yaml_free(struct hull_yaml *y)
{
	if (!y)
		return;
	for (size_t i = 0; i < y->ndocs; i++)
		json_object_put(y->docs[i]);
	free(y->docs);
	hull_hash_release(&y->pos);
	hull_arena_release(&y->mem);
	free(y);
}
