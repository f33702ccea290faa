/* CSAF 2.0 documents (https://docs.oasis-open.org/csaf/csaf/v2.0/), as Red
 * Hat publishes them: one advisory per RHSA (category
 * csaf_security_advisory: the fixed products, sometimes known_not_affected
 * ones) and one VEX file per CVE (csaf_vex: every product status).
 *
 * A status names full product ids; the product tree resolves each one
 * through its relationships to a platform (a branch product with a CPE,
 * "cpe:/a:redhat:enterprise_linux:9::appstream") and a component (a
 * product with a purl, "pkg:rpm/redhat/python3.9@3.9.18-3.el9_4.5?arch=src",
 * possibly inside a module "pkg:rpmmod/redhat/gimp@2.8:..."). Platforms of
 * Red Hat Enterprise Linux's main line become the namespace "redhat:<major>";
 * other platforms (EUS, AUS, OpenShift...) are counted as unsupported.
 *
 * One entry per (namespace, rpm name, CVE): fixed in the component's
 * epoch:version-release, unfixed (known_affected, under_investigation, with
 * the remediation's reason) or not affected (known_not_affected). Binary
 * and source rpm names are both keys; a module's rpm is keyed
 * "<module>:<stream>::<name>", as matching looks it up. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/purl.h"
#include "vulndb/internal.h"

#define S                 HULL_VULNDB_SRC_REDHAT_CSAF
#define CSAF_MAX_DEPTH    16 /* nested branches, relationship chains */
#define CSAF_MAX_PRODUCTS VDB_MAX_LIST
#define CSAF_MAX_NAME     255

/* A product of the tree: its id and what identifies it. */
struct csaf_product {
	const char *id;
	const char *cpe;  /* platforms */
	const char *purl; /* components */
};

/* A relationship: full product id -> component and platform ids. */
struct csaf_rel {
	const char *id, *component, *platform;
};

struct csaf_ctx {
	struct hull_vulndb_builder *b;
	const struct vdb_doc *doc;
	struct csaf_product *prods;
	size_t n_prods;
	struct csaf_rel *rels;
	size_t n_rels;
	const char *advisory; /* the RHSA id of an advisory, else NULL */
};

/* What a status names once resolved. */
struct csaf_target {
	char ns[32]; /* "redhat:9"; empty: not a supported platform */
	char name[CSAF_MAX_NAME + 1];
	char evr[CSAF_MAX_NAME + 1]; /* empty: no version (a VEX component) */
	char arch[32];
	char stream[CSAF_MAX_NAME + 1]; /* "gimp:2.8"; empty outside modules */
};

static int bad(struct csaf_ctx *c, struct json_object *node, struct hull_err *err, const char *what)
{
	return vdb_bad(c->b, S, c->doc, (struct vdb_pos){.node = node}, err, "%s", what);
}

static int bad_status(struct csaf_ctx *c, struct json_object *node, const char *cve,
                      const char *list, struct hull_err *err)
{
	return vdb_bad(c->b, S, c->doc, (struct vdb_pos){.node = node}, err,
	               "%s: product_status.%s: expected a list of product ids", cve, list);
}

/* ---- product tree -------------------------------------------------------- */

static int add_product(struct csaf_ctx *c, struct json_object *prod, struct hull_err *err)
{
	const char *id = hull_json_get_str(prod, "product_id");
	if (!id)
		return 0;
	if (c->n_prods >= CSAF_MAX_PRODUCTS)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: more than %u products", c->doc->name,
		                    (unsigned)CSAF_MAX_PRODUCTS);
	struct json_object *h = hull_json_get_obj(prod, "product_identification_helper");
	struct csaf_product *p = &c->prods[c->n_prods++];
	p->id = id;
	p->cpe = hull_json_get_str(h, "cpe");
	p->purl = hull_json_get_str(h, "purl");
	return 0;
}

static int walk_branches(struct csaf_ctx *c, struct json_object *branches, unsigned depth,
                         struct hull_err *err)
{
	if (!branches || !json_object_is_type(branches, json_type_array))
		return 0;
	if (depth > CSAF_MAX_DEPTH)
		return bad(c, branches, err, "product_tree: branches nested too deep");
	size_t n = json_object_array_length(branches);
	for (size_t i = 0; i < n; i++) {
		struct json_object *br = json_object_array_get_idx(branches, i);
		struct json_object *prod = hull_json_get_obj(br, "product");
		if (prod && add_product(c, prod, err) < 0)
			return -1;
		if (walk_branches(c, hull_json_get_arr(br, "branches"), depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

static int cmp_prod(const void *a, const void *b)
{
	return strcmp(((const struct csaf_product *)a)->id, ((const struct csaf_product *)b)->id);
}

static int cmp_rel(const void *a, const void *b)
{
	return strcmp(((const struct csaf_rel *)a)->id, ((const struct csaf_rel *)b)->id);
}

static int read_relationships(struct csaf_ctx *c, struct json_object *rels, struct hull_err *err)
{
	size_t n = rels ? json_object_array_length(rels) : 0;
	if (n > CSAF_MAX_PRODUCTS)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: more than %u relationships",
		                    c->doc->name, (unsigned)CSAF_MAX_PRODUCTS);
	c->rels = hull_arena_alloc(&c->b->arena, (n + 1) * sizeof(*c->rels), NULL);
	if (!c->rels)
		return hull_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(rels, i);
		struct csaf_rel *out = &c->rels[c->n_rels];
		out->id =
		    hull_json_get_str(hull_json_get_obj(r, "full_product_name"), "product_id");
		out->component = hull_json_get_str(r, "product_reference");
		out->platform = hull_json_get_str(r, "relates_to_product_reference");
		if (out->id && out->component && out->platform)
			c->n_rels++;
	}
	qsort(c->rels, c->n_rels, sizeof(*c->rels), cmp_rel);
	return 0;
}

static size_t count_products(struct json_object *branches, unsigned depth)
{
	size_t n = 0, m = branches && json_object_is_type(branches, json_type_array)
	                      ? json_object_array_length(branches)
	                      : 0;
	for (size_t i = 0; i < m && depth <= CSAF_MAX_DEPTH; i++) {
		struct json_object *br = json_object_array_get_idx(branches, i);
		n += hull_json_get_obj(br, "product") != NULL;
		n += count_products(hull_json_get_arr(br, "branches"), depth + 1);
	}
	return n;
}

static int read_tree(struct csaf_ctx *c, struct json_object *tree, struct hull_err *err)
{
	struct json_object *branches = hull_json_get_arr(tree, "branches");
	struct json_object *full = hull_json_get_arr(tree, "full_product_names");
	size_t n = count_products(branches, 0) + (full ? json_object_array_length(full) : 0);
	c->prods = hull_arena_alloc(&c->b->arena, (n + 1) * sizeof(*c->prods), NULL);
	if (!c->prods)
		return hull_err_nomem(err);
	if (walk_branches(c, branches, 0, err) < 0)
		return -1;
	for (size_t i = 0; full && i < json_object_array_length(full); i++)
		if (add_product(c, json_object_array_get_idx(full, i), err) < 0)
			return -1;
	qsort(c->prods, c->n_prods, sizeof(*c->prods), cmp_prod);
	return read_relationships(c, hull_json_get_arr(tree, "relationships"), err);
}

static const struct csaf_product *product(const struct csaf_ctx *c, const char *id)
{
	struct csaf_product key = {.id = id};
	return c->n_prods ? bsearch(&key, c->prods, c->n_prods, sizeof(key), cmp_prod) : NULL;
}

static const struct csaf_rel *relationship(const struct csaf_ctx *c, const char *id)
{
	struct csaf_rel key = {.id = id};
	return c->n_rels ? bsearch(&key, c->rels, c->n_rels, sizeof(key), cmp_rel) : NULL;
}

/* ---- purls and CPEs --------------------------------------------------------- */

/* Copies s (NULL: "") into out; false when it does not fit or holds a
 * control byte. */
static bool clean_copy(const char *s, char *out, size_t cap)
{
	size_t n = s ? strlen(s) : 0;
	if (n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	memcpy(out, s ? s : "", n);
	out[n] = 0;
	return true;
}

/* "<module>:<stream>[:version:context]" -> "<module>:<stream>". */
static void stream_of(const char *mod, char *out, size_t cap)
{
	const char *c1 = strchr(mod, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	size_t n = c2 ? (size_t)(c2 - mod) : strlen(mod);
	if (!c1 || c1 == mod || n >= cap || (size_t)(c1 - mod) + 1 == n) {
		out[0] = 0;
		return;
	}
	memcpy(out, mod, n);
	out[n] = 0;
}

/* Fills t from a parsed pkg:rpm or pkg:rpmmod purl (with a vendor
 * namespace); false for any other. */
static bool from_parsed(const struct hull_purl *p, struct csaf_target *t)
{
	bool mod = !strcmp(p->type, "rpmmod");
	if ((!mod && strcmp(p->type, "rpm") != 0) || !p->ns)
		return false;
	char name[CSAF_MAX_NAME + 1], ver[CSAF_MAX_NAME + 1];
	if (!clean_copy(p->name, name, sizeof(name)) || !clean_copy(p->version, ver, sizeof(ver)))
		return false;
	if (mod) {
		/* pkg:rpmmod/redhat/gimp@2.8:8080020250623120629:0621e4ee */
		char full[2 * CSAF_MAX_NAME + 2];
		snprintf(full, sizeof(full), "%s:%s", name, ver);
		stream_of(full, t->stream, sizeof(t->stream));
		return true;
	}
	char epoch[16] = "", rpmmod[CSAF_MAX_NAME + 1] = "";
	snprintf(t->name, sizeof(t->name), "%s", name);
	const char *arch = hull_purl_qualifier(p, "arch");
	if (arch)
		clean_copy(arch, t->arch, sizeof(t->arch));
	if (!clean_copy(hull_purl_qualifier(p, "epoch"), epoch, sizeof(epoch)))
		epoch[0] = 0;
	if (clean_copy(hull_purl_qualifier(p, "rpmmod"), rpmmod, sizeof(rpmmod)) && *rpmmod)
		stream_of(rpmmod, t->stream, sizeof(t->stream));
	if (*ver && (size_t)snprintf(t->evr, sizeof(t->evr), "%s%s%s", *epoch ? epoch : "",
	                             *epoch ? ":" : "", ver) >= sizeof(t->evr))
		t->evr[0] = 0;
	return true;
}

static bool from_purl(const char *purl, struct csaf_target *t)
{
	struct hull_purl p;
	if (hull_purl_parse(purl, strlen(purl), &p, NULL) < 0)
		return false;
	bool ok = from_parsed(&p, t);
	hull_purl_release(&p);
	return ok;
}

/* "cpe:/o:redhat:enterprise_linux:9::baseos", "cpe:/a:redhat:
 * enterprise_linux:9": the main line of RHEL 9 -> "redhat:9". */
static void ns_of_cpe(const char *cpe, char *out, size_t cap)
{
	static const char *const pre[] = {"cpe:/o:redhat:enterprise_linux:",
	                                  "cpe:/a:redhat:enterprise_linux:"};
	out[0] = 0;
	for (size_t i = 0; cpe && i < 2; i++) {
		if (strncmp(cpe, pre[i], strlen(pre[i])) != 0)
			continue;
		const char *v = cpe + strlen(pre[i]);
		size_t n = strspn(v, "0123456789");
		if (n && n < 4 && (!v[n] || v[n] == ':'))
			snprintf(out, cap, "redhat:%.*s", (int)n, v);
	}
}

/* A product id in Red Hat's NEVRA form, for components without a purl:
 * "python3.9-0:3.9.18-3.el9_4.5.src". */
static bool from_nevra(const char *id, struct csaf_target *t)
{
	const char *colon = strchr(id, ':');
	if (!colon)
		return false;
	const char *dash = colon;
	while (dash > id && isdigit((unsigned char)dash[-1]))
		dash--;
	if (dash == colon || dash == id || dash[-1] != '-')
		return false;
	const char *dot = strrchr(colon, '.');
	if (!dot || !strchr(colon, '-'))
		return false;
	size_t nl = (size_t)(dash - 1 - id), el = (size_t)(colon - dash);
	if (nl > CSAF_MAX_NAME || strlen(dot + 1) >= sizeof(t->arch))
		return false;
	memcpy(t->name, id, nl);
	t->name[nl] = 0;
	bool zero = el == 1 && *dash == '0';
	snprintf(t->evr, sizeof(t->evr), "%.*s%s%.*s", zero ? 0 : (int)el, dash, zero ? "" : ":",
	         (int)(dot - colon - 1), colon + 1);
	snprintf(t->arch, sizeof(t->arch), "%s", dot + 1);
	return true;
}

/* Fills t from one component product id (a leaf of the tree). */
static void component(const struct csaf_ctx *c, const char *id, struct csaf_target *t)
{
	const struct csaf_product *p = product(c, id);
	if (p && p->purl && from_purl(p->purl, t))
		return;
	if (!t->name[0] && !from_nevra(id, t) && strlen(id) <= CSAF_MAX_NAME) {
		/* a VEX component named without a version: "python3.9", or
		 * inside a module "nodejs:18/nodejs" */
		const char *slash = strchr(id, '/');
		if (slash) {
			stream_of(id, t->stream, sizeof(t->stream));
			snprintf(t->name, sizeof(t->name), "%s", slash + 1);
		} else if (!strchr(id, ':')) {
			snprintf(t->name, sizeof(t->name), "%s", id);
		}
	}
}

/* Resolves a full product id: the relationship chain from the component up
 * to the platform. */
static void resolve(const struct csaf_ctx *c, const char *id, struct csaf_target *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned depth = 0; depth < CSAF_MAX_DEPTH; depth++) {
		const struct csaf_rel *r = relationship(c, id);
		if (!r) {
			const struct csaf_product *p = product(c, id);
			ns_of_cpe(p ? p->cpe : NULL, t->ns, sizeof(t->ns));
			return;
		}
		component(c, r->component, t);
		id = r->platform;
	}
}

/* ---- vulnerabilities ---------------------------------------------------------- */

/* What a CVE's remediations say about one product without a fix. */
static enum hull_vuln_status unfixed_status(struct json_object *remeds, const char *pid)
{
	size_t n = remeds ? json_object_array_length(remeds) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(remeds, i);
		struct json_object *ids = hull_json_get_arr(r, "product_ids");
		const char *cat = hull_json_get_str(r, "category");
		const char *det = hull_json_get_str(r, "details");
		bool mine = false;
		for (size_t k = 0; ids && !mine && k < json_object_array_length(ids); k++) {
			const char *s = json_object_get_string(json_object_array_get_idx(ids, k));
			mine = s && !strcmp(s, pid);
		}
		if (!mine || !cat)
			continue;
		if (!strcmp(cat, "no_fix_planned"))
			return HULL_VULN_WILL_NOT_FIX;
		if (strcmp(cat, "none_available") != 0 || !det)
			continue;
		if (!strcasecmp(det, "Will not fix"))
			return HULL_VULN_WILL_NOT_FIX;
		if (!strcasecmp(det, "Fix deferred"))
			return HULL_VULN_FIX_DEFERRED;
		if (!strcasecmp(det, "Out of support scope"))
			return HULL_VULN_END_OF_LIFE;
	}
	return HULL_VULN_AFFECTED;
}

/* The per-CVE parts every entry of one vulnerability shares. */
struct csaf_vuln {
	const char *cve;
	const char **related;
	size_t n_related;
	enum hull_severity sev;
	const char *vendor_sev;
	const char *vector;
	int score10;
	const char *title;
};

enum csaf_status { CSAF_FIXED, CSAF_AFFECTED, CSAF_NOT_AFFECTED };

static int emit(struct csaf_ctx *c, const struct csaf_vuln *v, const char *key, const char *ns,
                enum csaf_status st, const char *evr, enum hull_vuln_status why,
                struct hull_err *err)
{
	struct hull_vulndb_builder *b = c->b;
	struct vdb_adv *a = hull_arena_alloc(&b->arena, sizeof(*a), NULL);
	const char *pkg = hull_arena_strdup(&b->arena, key, NULL);
	uint32_t nsid;
	if (!a || !pkg)
		return hull_err_nomem(err);
	if (vdb_ns(b, ns, &nsid, err) < 0)
		return -1;
	memset(a, 0, sizeof(*a));
	a->id = v->cve;
	a->source = S;
	a->kind = HULL_VULNDB_DISTRO;
	a->eco = HULL_ECO_RPM;
	a->status = (uint8_t)(st == CSAF_AFFECTED ? why : HULL_VULN_FIXED);
	a->fix_status = st == CSAF_FIXED      ? HULL_DISTRO_FIXED
	                : st == CSAF_AFFECTED ? HULL_DISTRO_UNFIXED
	                                      : HULL_DISTRO_NOT_AFFECTED;
	a->fixed = st == CSAF_FIXED      ? hull_arena_strdup(&b->arena, evr, NULL)
	           : st == CSAF_AFFECTED ? NULL
	                                 : "0";
	if (st == CSAF_FIXED && !a->fixed)
		return hull_err_nomem(err);
	a->severity = (uint8_t)v->sev;
	a->sev_source = v->vendor_sev ? "redhat" : v->score10 > 0 ? "cvss_v3" : NULL;
	a->vendor_sev = v->vendor_sev;
	a->cvss10 = v->score10 > 0 ? (uint8_t)v->score10 : 0;
	a->cvss_vector = v->vector;
	a->title = v->title;
	a->related = v->related;
	a->n_related = v->n_related;
	return vdb_add(b, nsid, pkg, a, err);
}

/* One product id of a status list. */
static int status_entry(struct csaf_ctx *c, const struct csaf_vuln *v, const char *pid,
                        enum csaf_status st, struct json_object *remeds, struct hull_err *err)
{
	struct csaf_target t;
	resolve(c, pid, &t);
	if (!t.ns[0] || !t.name[0] || (st == CSAF_FIXED && !t.evr[0])) {
		c->b->src[S].unsupported++;
		return 0;
	}
	char key[2 * CSAF_MAX_NAME + 4];
	snprintf(key, sizeof(key), "%s%s%s", t.stream, t.stream[0] ? "::" : "", t.name);
	enum hull_vuln_status why =
	    st == CSAF_AFFECTED ? unfixed_status(remeds, pid) : HULL_VULN_FIXED;
	return emit(c, v, key, t.ns, st, t.evr, why, err);
}

static const char *const status_lists[] = {"fixed", "known_affected", "under_investigation",
                                           "known_not_affected"};
static const enum csaf_status status_kinds[] = {CSAF_FIXED, CSAF_AFFECTED, CSAF_AFFECTED,
                                                CSAF_NOT_AFFECTED};

static int product_status(struct csaf_ctx *c, const struct csaf_vuln *v, struct json_object *vul,
                          struct hull_err *err)
{
	struct json_object *ps = hull_json_get_obj(vul, "product_status");
	struct json_object *remeds = hull_json_get_arr(vul, "remediations");
	for (size_t k = 0; k < sizeof(status_lists) / sizeof(*status_lists); k++) {
		struct json_object *ids = NULL;
		if (!json_object_object_get_ex(ps, status_lists[k], &ids) || !ids)
			continue;
		if (!json_object_is_type(ids, json_type_array)) {
			if (bad_status(c, ids, v->cve, status_lists[k], err) < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < json_object_array_length(ids); i++) {
			struct json_object *e = json_object_array_get_idx(ids, i);
			if (!json_object_is_type(e, json_type_string)) {
				if (bad_status(c, e ? e : ids, v->cve, status_lists[k], err) < 0)
					return -1;
				continue;
			}
			if (status_entry(c, v, json_object_get_string(e), status_kinds[k], remeds,
			                 err) < 0)
				return -1;
		}
	}
	return 0;
}

/* Red Hat's impact ("Important") and the highest CVSS v3 vector. */
static void severity(struct csaf_ctx *c, struct json_object *vul, struct csaf_vuln *v)
{
	struct json_object *threats = hull_json_get_arr(vul, "threats");
	for (size_t i = 0; threats && i < json_object_array_length(threats); i++) {
		struct json_object *th = json_object_array_get_idx(threats, i);
		const char *cat = hull_json_get_str(th, "category");
		const char *det = hull_json_get_str(th, "details");
		bool neg;
		if (cat && det && !strcmp(cat, "impact") &&
		    vdb_vendor_severity(det, &v->sev, &neg)) {
			v->vendor_sev = hull_arena_strdup(&c->b->arena, det, NULL);
			break;
		}
	}
	struct json_object *scores = hull_json_get_arr(vul, "scores");
	for (size_t i = 0; scores && i < json_object_array_length(scores); i++) {
		struct json_object *s3 =
		    hull_json_get_obj(json_object_array_get_idx(scores, i), "cvss_v3");
		const char *vec = hull_json_get_str(s3, "vectorString");
		int s = vec ? vdb_cvss3_score10(hull_str_c(vec)) : -1;
		if (s > v->score10) {
			v->score10 = s;
			v->vector = hull_arena_strdup(&c->b->arena, vec, NULL);
		}
	}
	if (v->sev == HULL_SEV_UNKNOWN && v->score10 > 0)
		v->sev = vdb_cvss3_severity(v->score10);
}

/* RHSA ids: the advisory's own, and those its vendor_fix remediations
 * link ("https://access.redhat.com/errata/RHSA-2024:6163"). */
static int related_ids(struct csaf_ctx *c, struct json_object *vul, struct csaf_vuln *v,
                       struct hull_err *err)
{
	struct json_object *remeds = hull_json_get_arr(vul, "remediations");
	size_t n = remeds ? json_object_array_length(remeds) : 0;
	v->related = hull_arena_alloc(&c->b->arena, (n + 2) * sizeof(*v->related), NULL);
	if (!v->related)
		return hull_err_nomem(err);
	if (c->advisory)
		v->related[v->n_related++] = c->advisory;
	for (size_t i = 0; i < n; i++) {
		const char *url = hull_json_get_str(json_object_array_get_idx(remeds, i), "url");
		const char *id = url ? strrchr(url, '/') : NULL;
		if (!id || strncmp(id + 1, "RHSA-", 5) != 0 || strlen(id + 1) > 64)
			continue;
		bool dup = false;
		for (size_t k = 0; k < v->n_related && !dup; k++)
			dup = !strcmp(v->related[k], id + 1);
		if (!dup &&
		    !(v->related[v->n_related++] = hull_arena_strdup(&c->b->arena, id + 1, NULL)))
			return hull_err_nomem(err);
	}
	return 0;
}

static int details(struct csaf_ctx *c, struct json_object *vul, const struct csaf_vuln *v,
                   struct hull_err *err)
{
	struct vdb_details *d = vdb_details(c->b, v->cve, err);
	if (!d)
		return -1;
	struct json_object *notes = hull_json_get_arr(vul, "notes");
	for (size_t i = 0; notes && !d->description && i < json_object_array_length(notes); i++) {
		struct json_object *nt = json_object_array_get_idx(notes, i);
		const char *cat = hull_json_get_str(nt, "category");
		const char *text = hull_json_get_str(nt, "text");
		if (cat && text && !strcmp(cat, "description") &&
		    !(d->description = hull_arena_strdup(&c->b->arena, text, NULL)))
			return hull_err_nomem(err);
	}
	const char *pub = hull_json_get_str(vul, "release_date");
	if (pub && !d->published && !(d->published = hull_arena_strdup(&c->b->arena, pub, NULL)))
		return hull_err_nomem(err);
	if (v->vector && !d->cvss_v3)
		d->cvss_v3 = v->vector;
	return 0;
}

static int vulnerability(struct csaf_ctx *c, struct json_object *vul, struct hull_err *err)
{
	const char *cve = hull_json_get_str(vul, "cve");
	if (!cve || strncmp(cve, "CVE-", 4) != 0 || strlen(cve) > 64)
		return bad(c, vul, err, "vulnerabilities[]: expected a string 'cve'");
	struct csaf_vuln v = {.cve = hull_arena_strdup(&c->b->arena, cve, NULL)};
	const char *title = hull_json_get_str(vul, "title");
	if (!v.cve || (title && !(v.title = hull_arena_strndup(
	                              &c->b->arena, title, strnlen(title, VDB_TITLE_MAX), NULL))))
		return hull_err_nomem(err);
	severity(c, vul, &v);
	if (related_ids(c, vul, &v, err) < 0 || details(c, vul, &v, err) < 0)
		return -1;
	return product_status(c, &v, vul, err);
}

int vdb_parse_csaf(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                   struct json_object *root, struct hull_err *err)
{
	struct csaf_ctx c = {.b = b, .doc = doc};
	vdb_note_origin(b, S);
	struct json_object *document = hull_json_get_obj(root, "document");
	struct json_object *tracking = hull_json_get_obj(document, "tracking");
	const char *category = hull_json_get_str(document, "category");
	const char *id = hull_json_get_str(tracking, "id");
	vdb_note_timestamp(b, S, hull_json_get_str(tracking, "current_release_date"));
	if (!category)
		return bad(&c, document, err, "document: expected a string 'category'");
	if (id && !strcmp(category, "csaf_security_advisory") && strlen(id) <= 64 &&
	    !(c.advisory = hull_arena_strdup(&b->arena, id, NULL)))
		return hull_err_nomem(err);
	struct json_object *vulns = hull_json_get_arr(root, "vulnerabilities");
	if (!vulns)
		return bad(&c, root, err, "expected a list 'vulnerabilities'");
	if (read_tree(&c, hull_json_get_obj(root, "product_tree"), err) < 0)
		return -1;
	b->src[S].records++;
	b->records++;
	size_t n = json_object_array_length(vulns);
	for (size_t i = 0; i < n; i++)
		if (vulnerability(&c, json_object_array_get_idx(vulns, i), err) < 0)
			return -1;
	return 0;
}
