/* The in-memory model of a build: arena, hash maps, namespaces, packages,
 * per-id texts, statistics, and the merge of duplicate advisories. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "version/version.h"
#include "vulndb/internal.h"

/* ---- hash keys ------------------------------------------------------------- */

static bool ns_eq(const void *val, const void *key, const void *ctx)
{
	const struct hull_vulndb_builder *b = ctx;
	return !strcmp(b->ns[(uintptr_t)val - 1], key);
}

struct pkg_key {
	uint32_t ns;
	const char *name;
};

static bool pkg_eq(const void *val, const void *key, const void *ctx)
{
	const struct vdb_pkg *p = val;
	const struct pkg_key *k = key;
	(void)ctx;
	return p->ns == k->ns && !strcmp(p->name, k->name);
}

static bool details_eq(const void *val, const void *key, const void *ctx)
{
	(void)ctx;
	return !strcmp(((const struct vdb_details *)val)->id, key);
}

static uint64_t str_hash(const char *s)
{
	return hull_hash_bytes(s, strlen(s));
}

/* ---- builder -------------------------------------------------------------- */

int hull_vulndb_builder_new(const struct hull_vulndb_build_opts *opts,
                            struct hull_vulndb_builder **out, struct hull_err *err)
{
	struct hull_vulndb_builder *b = calloc(1, sizeof(*b));
	if (!b)
		return hull_err_nomem(err);
	if (opts)
		b->opts = *opts;
	hull_arena_init(&b->arena, VDB_MAX_BYTES);
	hull_hash_init(&b->ns_map, VDB_MAX_NS);
	hull_hash_init(&b->pkg_map, VDB_MAX_PKGS);
	hull_hash_init(&b->details_map, VDB_MAX_DETAILS);
	*out = b;
	return 0;
}

void hull_vulndb_builder_free(struct hull_vulndb_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_pkgs; i++)
		free(b->pkgs[i]->advs);
	free(b->pkgs);
	free(b->ns);
	free(b->details);
	free(b->skips);
	free(b->ignored);
	hull_hash_release(&b->ns_map);
	hull_hash_release(&b->pkg_map);
	hull_hash_release(&b->details_map);
	hull_arena_release(&b->arena);
	free(b);
}

uint64_t hull_vulndb_builder_input_bytes(const struct hull_vulndb_builder *b)
{
	return b->input_bytes;
}

uint64_t hull_vulndb_builder_records(const struct hull_vulndb_builder *b)
{
	return b->records;
}

int vdb_ns(struct hull_vulndb_builder *b, const char *name, uint32_t *id, struct hull_err *err)
{
	uint64_t h = str_hash(name);
	void *v = hull_hash_get(&b->ns_map, h, ns_eq, name, b);
	if (v) {
		*id = (uint32_t)((uintptr_t)v - 1);
		return 0;
	}
	if (b->n_ns >= VDB_MAX_NS)
		return hull_err_set(err, HULL_ERR_LIMIT, "too many namespaces");
	if (HULL_ARRAY_PUSH_ROOM(b->ns, b->n_ns, b->cap_ns, VDB_MAX_NS, err) < 0)
		return -1;
	char *copy = hull_arena_strdup(&b->arena, name, err);
	if (!copy)
		return -1;
	b->ns[b->n_ns] = copy;
	if (hull_hash_add(&b->ns_map, h, (void *)(uintptr_t)(b->n_ns + 1), err) < 0)
		return hull_err_wrap(err, "namespaces");
	*id = (uint32_t)b->n_ns++;
	return 0;
}

int vdb_add(struct hull_vulndb_builder *b, uint32_t ns, const char *pkg, struct vdb_adv *adv,
            struct hull_err *err)
{
	if (strlen(pkg) > 1000)
		return hull_err_set(err, HULL_ERR_LIMIT, "package name too long: '%.64s...'", pkg);
	/* the parsers refuse a record without a name; this is the backstop: a
	 * nameless package would be stored and matched by nothing */
	if (!pkg[0])
		return hull_err_set(err, HULL_ERR_INPUT, "an advisory (%s) names no package",
		                    adv->id ? adv->id : "no id");
	/* the same for the id: the blob reader reads a record without one as
	 * damaged, so it must never be written */
	if (!adv->id || !adv->id[0])
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "package '%.64s': an advisory without an id", pkg);
	struct pkg_key key = {ns, pkg};
	uint64_t h = hull_hash_mix(str_hash(pkg), ns);
	struct vdb_pkg *p = hull_hash_get(&b->pkg_map, h, pkg_eq, &key, NULL);
	if (!p) {
		p = hull_arena_alloc(&b->arena, sizeof(*p), err);
		char *name = hull_arena_strdup(&b->arena, pkg, err);
		if (!p || !name)
			return -1;
		p->ns = ns;
		p->name = name;
		if (HULL_ARRAY_PUSH_ROOM(b->pkgs, b->n_pkgs, b->cap_pkgs, VDB_MAX_PKGS, err) < 0 ||
		    hull_hash_add(&b->pkg_map, h, p, err) < 0)
			return hull_err_wrap(err, "packages");
		b->pkgs[b->n_pkgs++] = p;
	}
	if (HULL_ARRAY_PUSH_ROOM(p->advs, p->n, p->cap, 10000000, err) < 0)
		return -1;
	p->advs[p->n++] = adv;
	return 0;
}

struct vdb_details *vdb_details(struct hull_vulndb_builder *b, const char *id, struct hull_err *err)
{
	uint64_t h = str_hash(id);
	struct vdb_details *d = hull_hash_get(&b->details_map, h, details_eq, id, NULL);
	if (d)
		return d;
	d = hull_arena_alloc(&b->arena, sizeof(*d), err);
	char *k = hull_arena_strdup(&b->arena, id, err);
	if (!d || !k)
		return NULL;
	d->id = k;
	if (HULL_ARRAY_PUSH_ROOM(b->details, b->n_details, b->cap_details, VDB_MAX_DETAILS, err) <
	        0 ||
	    hull_hash_add(&b->details_map, h, d, err) < 0) {
		hull_err_wrap(err, "vulnerability texts");
		return NULL;
	}
	b->details[b->n_details++] = d;
	return d;
}

void vdb_note_origin(struct hull_vulndb_builder *b, enum hull_vulndb_source s)
{
	struct vdb_source_stats *st = &b->src[s];
	const char *o = b->opts.origin ? b->opts.origin : b->origin;
	if (!o)
		return;
	for (size_t i = 0; i < st->n_origins; i++)
		if (strcmp(st->origins[i], o) == 0)
			return;
	if (st->n_origins < VDB_MAX_ORIGINS) {
		const char *copy = hull_arena_strdup(&b->arena, o, NULL);
		if (copy)
			st->origins[st->n_origins++] = copy;
	}
}

void vdb_note_timestamp(struct hull_vulndb_builder *b, enum hull_vulndb_source s, const char *ts)
{
	/* RFC 3339 strings in UTC order lexically; keep the newest */
	struct vdb_source_stats *st = &b->src[s];
	if (ts && *ts && strlen(ts) < sizeof(st->timestamp) && strcmp(ts, st->timestamp) > 0)
		strcpy(st->timestamp, ts);
}

void vdb_line_col(const char *data, size_t len, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Depth-first search for a subtree equal to node. */
static const struct json_object *find_equal(struct json_object *t, const struct json_object *node,
                                            unsigned depth)
{
	if (!t || depth > HULL_MAX_DEPTH)
		return NULL;
	if (json_object_equal(t, (struct json_object *)node))
		return t;
	if (json_object_is_type(t, json_type_object)) {
		json_object_object_foreach(t, k, v)
		{
			(void)k;
			const struct json_object *r = find_equal(v, node, depth + 1);
			if (r)
				return r;
		}
	} else if (json_object_is_type(t, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(t); i++) {
			const struct json_object *r =
			    find_equal(json_object_array_get_idx(t, i), node, depth + 1);
			if (r)
				return r;
		}
	}
	return NULL;
}

/* A bad node of a JSON document parsed by json-c has no position: read
 * the text again through the YAML loader (JSON is YAML), which keeps one,
 * and look for the equal subtree. Only on errors, and at most
 * VDB_MAX_SKIPPED times per build. */
static void relocate(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                     const struct json_object *node, unsigned *line, unsigned *col)
{
	if (doc->len > (64u << 20))
		return;
	b->relocated++;
	struct hull_yaml *y = NULL;
	struct hull_err e = {0};
	if (hull_yaml_parse(doc->data, doc->len, doc->name, &y, &e) < 0)
		return;
	for (size_t i = 0; i < hull_yaml_ndocs(y); i++) {
		const struct json_object *n = find_equal(hull_yaml_doc(y, i), node, 0);
		if (n && hull_yaml_pos(y, n, line, col))
			break;
	}
	hull_yaml_free(y);
}

int vdb_bad(struct hull_vulndb_builder *b, enum hull_vulndb_source s, const struct vdb_doc *doc,
            struct vdb_pos pos, struct hull_err *err, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	unsigned line = 0, col = 0;
	if (pos.has_off && doc->data)
		vdb_line_col(doc->data, doc->len, pos.off, &line, &col);
	else if (pos.node && doc->yaml)
		hull_yaml_pos(doc->yaml, pos.node, &line, &col);
	else if (pos.node && doc->data && b->relocated < VDB_MAX_SKIPPED)
		relocate(b, doc, pos.node, &line, &col);
	char msg[1024];
	if (line)
		snprintf(msg, sizeof(msg), "%s: line %u, column %u: %s", doc->name, line, col,
		         what);
	else
		snprintf(msg, sizeof(msg), "%s: %s", doc->name, what);
	if (b->opts.strict)
		return hull_err_set(err, HULL_ERR_INPUT, "%s", msg);
	b->src[s].skipped++;
	b->skipped_total++;
	if (b->n_skips < VDB_MAX_SKIPPED) {
		if (!b->skips) {
			b->skips = calloc(VDB_MAX_SKIPPED, sizeof(*b->skips));
			if (!b->skips)
				return hull_err_nomem(err);
		}
		struct vdb_skip *k = &b->skips[b->n_skips];
		k->source = (uint8_t)s;
		k->file = hull_arena_strdup(&b->arena, doc->name, NULL);
		k->line = line;
		k->col = col;
		k->offset = pos.has_off ? pos.off : 0;
		k->message = hull_arena_strdup(&b->arena, what, NULL);
		if (!k->file || !k->message)
			return hull_err_nomem(err);
		b->n_skips++;
	}
	return 0;
}

/* ---- merging -------------------------------------------------------------- */

static int adv_cmp(const void *pa, const void *pb)
{
	const struct vdb_adv *a = *(struct vdb_adv *const *)pa, *b = *(struct vdb_adv *const *)pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* the tracker before the DSA/DLA lists: it is the authority */
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return 0;
}

static int pkg_cmp(const void *pa, const void *pb)
{
	const struct vdb_pkg *a = *(struct vdb_pkg *const *)pa, *b = *(struct vdb_pkg *const *)pb;
	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	return strcmp(a->name, b->name);
}

static const char **merge_lists(struct hull_arena *ar, const char **a, size_t na, const char **b,
                                size_t nb, size_t *n)
{
	const char **out = hull_arena_alloc(ar, (na + nb + 1) * sizeof(*out), NULL);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < na; i++)
		out[k++] = a[i];
	for (size_t i = 0; i < nb; i++) {
		bool dup = false;
		for (size_t j = 0; j < k && !dup; j++)
			dup = strcmp(out[j], b[i]) == 0;
		if (!dup)
			out[k++] = b[i];
	}
	*n = k;
	return out;
}

/* Whether distro statement y should replace x (same id, same package). */
static bool distro_stronger(const struct vdb_adv *x, const struct vdb_adv *y)
{
	if (x->source != y->source)
		return false; /* sorted: x is the more authoritative source */
	/* two statements of one source (two DSAs for one CVE): the later fix
	 * is the one that closes it; "unfixed" beats any fix */
	if (y->fix_status == HULL_DISTRO_UNFIXED)
		return x->fix_status != HULL_DISTRO_UNFIXED;
	if (x->fix_status != HULL_DISTRO_FIXED || y->fix_status != HULL_DISTRO_FIXED)
		return x->fix_status == HULL_DISTRO_NOT_AFFECTED &&
		       y->fix_status == HULL_DISTRO_FIXED;
	int c = 0;
	struct hull_err e = {0};
	if (hull_version_compare((enum hull_ecosystem)x->eco, hull_str_c(y->fixed),
	                         hull_str_c(x->fixed), &c, &e) < 0)
		c = strcmp(y->fixed, x->fixed);
	return c > 0;
}

static int merge_into(struct hull_arena *ar, struct vdb_adv *x, const struct vdb_adv *y,
                      struct hull_err *err)
{
	const char **rel =
	    merge_lists(ar, x->related, x->n_related, y->related, y->n_related, &x->n_related);
	const char **ali =
	    merge_lists(ar, x->aliases, x->n_aliases, y->aliases, y->n_aliases, &x->n_aliases);
	if (!rel || !ali)
		return hull_err_nomem(err);
	x->related = rel;
	x->aliases = ali;
	if (x->kind == HULL_VULNDB_OSV) {
		struct vdb_affected *aff =
		    hull_arena_alloc(ar, (x->n_aff + y->n_aff) * sizeof(*aff) + 1, NULL);
		if (!aff)
			return hull_err_nomem(err);
		if (x->n_aff)
			memcpy(aff, x->aff, x->n_aff * sizeof(*aff));
		if (y->n_aff)
			memcpy(aff + x->n_aff, y->aff, y->n_aff * sizeof(*aff));
		x->aff = aff;
		x->n_aff += y->n_aff;
		return 0;
	}
	if (x->kind == HULL_VULNDB_DISTRO && distro_stronger(x, y)) {
		x->fix_status = y->fix_status;
		x->status = y->status;
		x->fixed = y->fixed;
	}
	if (!x->title)
		x->title = y->title;
	if (x->severity == HULL_SEV_UNKNOWN && y->severity != HULL_SEV_UNKNOWN) {
		x->severity = y->severity;
		x->sev_source = y->sev_source;
		x->negligible = y->negligible;
		x->vendor_sev = y->vendor_sev;
	}
	return 0;
}

int vdb_finish(struct hull_vulndb_builder *b, struct hull_err *err)
{
	for (size_t i = 0; i < b->n_pkgs; i++) {
		struct vdb_pkg *p = b->pkgs[i];
		qsort(p->advs, p->n, sizeof(*p->advs), adv_cmp);
		size_t k = 0;
		for (size_t j = 0; j < p->n; j++) {
			if (k && strcmp(p->advs[k - 1]->id, p->advs[j]->id) == 0 &&
			    p->advs[k - 1]->kind == p->advs[j]->kind) {
				if (merge_into(&b->arena, p->advs[k - 1], p->advs[j], err) < 0)
					return -1;
				continue;
			}
			p->advs[k++] = p->advs[j];
		}
		p->n = k;
		for (size_t j = 0; j < k; j++)
			b->src[p->advs[j]->source].entries++;
	}
	/* namespace ids in name order, so that the file does not depend on
	 * the order of the inputs */
	size_t nn = b->n_ns;
	uint32_t *remap = malloc((nn + 1) * sizeof(*remap));
	size_t *order = malloc((nn + 1) * sizeof(*order));
	if (!remap || !order) {
		free(remap);
		free(order);
		return hull_err_nomem(err);
	}
	for (size_t i = 0; i < nn; i++)
		order[i] = i;
	for (size_t i = 1; i < nn; i++) /* few namespaces: insertion sort */
		for (size_t j = i; j > 0 && strcmp(b->ns[order[j - 1]], b->ns[order[j]]) > 0; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	char **sorted = malloc((nn + 1) * sizeof(*sorted));
	if (!sorted) {
		free(remap);
		free(order);
		return hull_err_nomem(err);
	}
	for (size_t i = 0; i < nn; i++) {
		remap[order[i]] = (uint32_t)i;
		sorted[i] = b->ns[order[i]];
	}
	for (size_t i = 0; i < b->n_pkgs; i++)
		b->pkgs[i]->ns = remap[b->pkgs[i]->ns];
	if (nn)
		memcpy(b->ns, sorted, nn * sizeof(*sorted));
	free(sorted);
	free(remap);
	free(order);
	if (b->n_pkgs)
		qsort(b->pkgs, b->n_pkgs, sizeof(*b->pkgs), pkg_cmp);
	return 0;
}

/* ---- small shared helpers ------------------------------------------------- */

const char *hull_vulndb_source_name(enum hull_vulndb_source s)
{
	static const char *const names[] = {
	    [HULL_VULNDB_SRC_DEBIAN_TRACKER] = "debian-tracker",
	    [HULL_VULNDB_SRC_DEBIAN_DSA] = "debian-dsa",
	    [HULL_VULNDB_SRC_DEBIAN_DLA] = "debian-dla",
	    [HULL_VULNDB_SRC_ALPINE_SECDB] = "alpine-secdb",
	    [HULL_VULNDB_SRC_WOLFI_SECDB] = "wolfi-secdb",
	    [HULL_VULNDB_SRC_OSV] = "osv",
	    [HULL_VULNDB_SRC_NODEJS_WG] = "nodejs-security-wg",
	    [HULL_VULNDB_SRC_DEBIAN_CVE_LIST] = "debian-cve-list",
	    [HULL_VULNDB_SRC_CHAINGUARD_SECDB] = "chainguard-secdb",
	    [HULL_VULNDB_SRC_REDHAT_CSAF] = "redhat-csaf",
	};
	return (unsigned)s < HULL_VULNDB_SRC_COUNT ? names[s] : "?";
}

bool vdb_pkg_key(const char *ns, struct hull_str name, char *out, size_t cap)
{
	if (!strcmp(ns, "PyPI"))
		return vdb_pep503(name, out, cap);
	if (name.len >= cap)
		return false;
	bool lower = !strcmp(ns, "Packagist") || !strcmp(ns, "NuGet");
	for (size_t i = 0; i < name.len; i++)
		out[i] = lower && name.ptr[i] >= 'A' && name.ptr[i] <= 'Z'
		             ? (char)(name.ptr[i] + 0x20)
		             : name.ptr[i];
	out[name.len] = '\0';
	return true;
}

bool vdb_pep503(struct hull_str name, char *out, size_t cap)
{
	size_t k = 0;
	bool sep = false;
	for (size_t i = 0; i < name.len; i++) {
		char c = name.ptr[i];
		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep && k) {
			if (k + 1 >= cap)
				return false;
			out[k++] = '-';
		}
		sep = false;
		if (k + 1 >= cap)
			return false;
		out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[k] = 0;
	return k > 0;
}

void vdb_default_url(enum hull_vulndb_source s, const char *id, char *out, size_t cap)
{
	switch (s) {
	case HULL_VULNDB_SRC_DEBIAN_TRACKER:
	case HULL_VULNDB_SRC_DEBIAN_DSA:
	case HULL_VULNDB_SRC_DEBIAN_DLA:
	case HULL_VULNDB_SRC_DEBIAN_CVE_LIST:
		snprintf(out, cap, "https://security-tracker.debian.org/tracker/%s", id);
		break;
	case HULL_VULNDB_SRC_ALPINE_SECDB:
		snprintf(out, cap, "https://security.alpinelinux.org/vuln/%s", id);
		break;
	case HULL_VULNDB_SRC_WOLFI_SECDB:
	case HULL_VULNDB_SRC_CHAINGUARD_SECDB:
		snprintf(out, cap, "https://images.chainguard.dev/security/%s", id);
		break;
	case HULL_VULNDB_SRC_NODEJS_WG:
		snprintf(out, cap, "https://github.com/nodejs/security-wg/tree/main/vuln");
		break;
	case HULL_VULNDB_SRC_REDHAT_CSAF:
		snprintf(out, cap, "https://access.redhat.com/security/cve/%s", id);
		break;
	default:
		snprintf(out, cap, "https://osv.dev/vulnerability/%s", id);
		break;
	}
}
