/* OSV records (https://ossf.github.io/osv-schema/), from JSON or YAML: one
 * entry per (namespace, package) named in affected[], with its ranges
 * (GIT ranges dropped) and versions lists. Withdrawn records are counted,
 * not indexed; database_specific and ecosystem_specific are ignored. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "vulndb/internal.h"

#define S HULL_VULNDB_SRC_OSV

struct osv_ctx {
	struct hull_vulndb_builder *b;
	const struct vdb_doc *doc;
	const char *id;
};

static int bad(struct osv_ctx *c, const struct json_object *node, struct hull_err *err,
               const char *what, const char *where)
{
	return vdb_bad(c->b, S, c->doc, (struct vdb_pos){.node = node}, err, "%s%s%s: %s",
	               c->id ? c->id : "record", where ? ": " : "", where ? where : "", what);
}

static const char **str_list(struct hull_vulndb_builder *b, struct json_object *arr,
                             const char **prev, size_t n_prev, size_t *n, bool *ok)
{
	*ok = true;
	*n = n_prev;
	if (!arr)
		return prev;
	if (!json_object_is_type(arr, json_type_array)) {
		*ok = false;
		return prev;
	}
	size_t m = json_object_array_length(arr);
	if (m > VDB_MAX_LIST) {
		*ok = false;
		return prev;
	}
	const char **out = hull_arena_alloc(&b->arena, (n_prev + m + 1) * sizeof(*out), NULL);
	if (!out)
		return NULL;
	if (n_prev)
		memcpy(out, prev, n_prev * sizeof(*out));
	for (size_t i = 0; i < m; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(e, json_type_string)) {
			*ok = false;
			return prev;
		}
		if (!(out[(*n)++] = hull_arena_strdup(&b->arena, json_object_get_string(e), NULL)))
			return NULL;
	}
	return out;
}

/* The namespace of an OSV ecosystem: distributions in lower case with
 * blanks as '-' ("Ubuntu:22.04:LTS" -> "ubuntu:22.04:lts", "Rocky Linux:9"
 * -> "rocky-linux:9"), language ecosystems as written. Red Hat's main
 * line, which OSV splits by repository ("Red Hat:enterprise_linux:9::
 * appstream", "...::baseos"), is one release, "redhat:9", as in the
 * CSAF documents; its other streams (rhel_eus, rhel_aus...) keep their
 * own names. */
static void osv_namespace(const char *eco_name, enum hull_ecosystem eco, char *out, size_t cap)
{
	static const char rh[] = "Red Hat:enterprise_linux:";
	bool distro = eco == HULL_ECO_DPKG || eco == HULL_ECO_APK || eco == HULL_ECO_RPM;
	if (!strncmp(eco_name, rh, strlen(rh))) {
		const char *v = eco_name + strlen(rh);
		size_t n = strspn(v, "0123456789");
		if (n && n < 4 && (!v[n] || v[n] == ':')) {
			snprintf(out, cap, "redhat:%.*s", (int)n, v);
			return;
		}
	}
	size_t k = 0;
	for (const char *p = eco_name; *p && k + 1 < cap; p++)
		out[k++] = !distro ? *p : *p == ' ' ? '-' : (char)tolower((unsigned char)*p);
	out[k] = 0;
}

/* The module stream an advisory of the RHEL family is about, from its
 * summary ("Moderate: ruby:3.3 security update" -> "ruby:3.3"): the first
 * word holding one ':' between two names. Empty when there is none. */
static void module_stream(const char *summary, char *out, size_t cap)
{
	out[0] = 0;
	for (const char *p = summary; p && *p;) {
		size_t n = strcspn(p, " ");
		const char *colon = memchr(p, ':', n);
		bool one = colon && colon > p && colon + 1 < p + n &&
		           !memchr(colon + 1, ':', (size_t)(p + n - colon - 1));
		bool name =
		    strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		              "._+-:") >= n;
		if (one && name && n < cap) {
			memcpy(out, p, n);
			out[n] = 0;
			return;
		}
		p += n;
		p += strspn(p, " ");
	}
}

/* Whether an affected[] entry's versions are module builds
 * ("3:10.3.39-1.module_el8.8.0+3609+204d4ab0", "...module+el9.4.0+..."). */
static bool modular_fix(const struct vdb_affected *aff)
{
	for (size_t i = 0; i < aff->n_ranges; i++)
		for (size_t k = 0; k < aff->ranges[i].n_ev; k++)
			if (strstr(aff->ranges[i].ev[k].version, ".module"))
				return true;
	return false;
}

/* "UBUNTU-CVE-2020-36325", "ALPINE-CVE-2023-46850", "DEBIAN-CVE-...": the
 * CVE a vendor's record is named after, which it does not always list
 * among its aliases. NULL when id is not of that form. */
static const char *vendor_cve(const char *id)
{
	const char *c = strstr(id, "-CVE-");
	if (!c || c == id || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != (size_t)(c - id))
		return NULL;
	c++;
	const char *y = c + 4;
	if (strspn(y, "0123456789") != 4 || y[4] != '-' || strspn(y + 5, "0123456789") < 4 ||
	    y[5 + strspn(y + 5, "0123456789")])
		return NULL;
	return c;
}

/* Vendor words (Ubuntu priorities, GHSA and Node WG severities). */
bool vdb_vendor_severity(const char *w, enum hull_severity *sev, bool *negligible)
{
	*negligible = false;
	if (!strcasecmp(w, "negligible")) {
		*negligible = true;
		*sev = HULL_SEV_LOW;
		return true;
	}
	if (!strcasecmp(w, "low")) {
		*sev = HULL_SEV_LOW;
		return true;
	}
	if (!strcasecmp(w, "medium") || !strcasecmp(w, "moderate")) {
		*sev = HULL_SEV_MEDIUM;
		return true;
	}
	if (!strcasecmp(w, "high") || !strcasecmp(w, "important")) {
		*sev = HULL_SEV_HIGH;
		return true;
	}
	if (!strcasecmp(w, "critical")) {
		*sev = HULL_SEV_CRITICAL;
		return true;
	}
	return false;
}

struct osv_sev {
	enum hull_severity sev;
	const char *source;
	const char *vendor;
	bool negligible;
	int score10;
	const char *vector;
	const char *v3, *v4;
};

/* Reads a severity[] array: vendor word first, else CVSS v3, else v2. */
static bool osv_severity(struct json_object *arr, struct osv_sev *out)
{
	if (!arr)
		return true;
	if (!json_object_is_type(arr, json_type_array))
		return false;
	int v3 = -1, v2 = -1;
	const char *v3vec = NULL, *v2vec = NULL;
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *type = hull_json_get_str(e, "type");
		const char *score = hull_json_get_str(e, "score");
		if (!type || !score)
			return false;
		if (!strcmp(type, "CVSS_V3")) {
			int s = vdb_cvss3_score10(hull_str_c(score));
			if (s > v3) {
				v3 = s;
				v3vec = score;
			}
			out->v3 = score;
		} else if (!strcmp(type, "CVSS_V2")) {
			int s = vdb_cvss2_score10(hull_str_c(score));
			if (s > v2) {
				v2 = s;
				v2vec = score;
			}
		} else if (!strcmp(type, "CVSS_V4")) {
			out->v4 = score;
		} else if (!strcmp(type, "Ubuntu")) {
			enum hull_severity sev;
			bool neg;
			if (vdb_vendor_severity(score, &sev, &neg)) {
				out->sev = sev;
				out->negligible = neg;
				out->source = "ubuntu";
			}
			out->vendor = score;
		}
	}
	if (v3 >= 0) {
		out->score10 = v3;
		out->vector = v3vec;
		if (!out->source) {
			out->sev = vdb_cvss3_severity(v3);
			out->source = "cvss_v3";
		}
	} else if (v2 >= 0) {
		out->score10 = v2;
		out->vector = v2vec;
		if (!out->source) {
			out->sev = vdb_cvss2_severity(v2);
			out->source = "cvss_v2";
		}
	}
	return true;
}

static const char *make_title(struct hull_vulndb_builder *b, const char *summary,
                              const char *details)
{
	const char *t = summary && *summary ? summary : details;
	if (!t || !*t)
		return NULL;
	while (*t == ' ' || *t == '\n' || *t == '#')
		t++;
	size_t n = strcspn(t, "\n");
	if (n > VDB_TITLE_MAX) {
		n = VDB_TITLE_MAX;
		while (n > VDB_TITLE_MAX / 2 && t[n] != ' ')
			n--;
		/* never cut a UTF-8 sequence */
		while (n && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;
	}
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\r'))
		n--;
	return n ? hull_arena_strndup(&b->arena, t, n, NULL) : NULL;
}

static int osv_event(struct osv_ctx *c, struct json_object *e, struct vdb_event *out,
                     struct hull_err *err, bool *skip)
{
	static const char *const kinds[] = {[HULL_OSV_INTRODUCED] = "introduced",
	                                    [HULL_OSV_FIXED] = "fixed",
	                                    [HULL_OSV_LAST_AFFECTED] = "last_affected",
	                                    [HULL_OSV_LIMIT] = "limit"};
	int found = -1;
	if (json_object_is_type(e, json_type_object)) {
		for (int k = 0; k < 4; k++) {
			struct json_object *v;
			if (!json_object_object_get_ex(e, kinds[k], &v))
				continue;
			if (found >= 0 || !json_object_is_type(v, json_type_string)) {
				found = -2;
				break;
			}
			found = k;
			if (!(out->version =
			          hull_arena_strdup(&c->b->arena, json_object_get_string(v), NULL)))
				return hull_err_nomem(err);
		}
	}
	if (found < 0) {
		*skip = true;
		return bad(c, e, err,
		           "expected an event with one string 'introduced', 'fixed', "
		           "'last_affected' or 'limit'",
		           "affected[].ranges[].events[]");
	}
	out->kind = (uint8_t)found;
	return 0;
}

/* Fills aff from one affected[] entry; *skip when the record is bad. */
static int osv_ranges(struct osv_ctx *c, struct json_object *ranges, struct vdb_affected *aff,
                      const char **fixed, struct hull_err *err, bool *skip)
{
	if (!ranges)
		return 0;
	if (!json_object_is_type(ranges, json_type_array)) {
		*skip = true;
		return bad(c, ranges, err, "expected a list", "affected[].ranges");
	}
	size_t n = json_object_array_length(ranges);
	if (n > VDB_MAX_LIST) {
		*skip = true;
		return bad(c, ranges, err, "too many ranges", "affected[].ranges");
	}
	aff->ranges = hull_arena_alloc(&c->b->arena, (n + 1) * sizeof(*aff->ranges), NULL);
	if (!aff->ranges)
		return hull_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(ranges, i);
		const char *type = hull_json_get_str(r, "type");
		struct json_object *evs = hull_json_get_arr(r, "events");
		if (!type || !evs) {
			*skip = true;
			return bad(c, r, err, "expected a range with a string 'type' and 'events'",
			           "affected[].ranges[]");
		}
		struct vdb_range *out = &aff->ranges[aff->n_ranges];
		if (!strcmp(type, "GIT"))
			continue; /* commits, not versions */
		if (!strcmp(type, "ECOSYSTEM"))
			out->type = HULL_OSV_RANGE_ECOSYSTEM;
		else if (!strcmp(type, "SEMVER"))
			out->type = HULL_OSV_RANGE_SEMVER;
		else {
			*skip = true;
			return bad(c, r, err,
			           "unknown range type (expected ECOSYSTEM, SEMVER or GIT)",
			           "affected[].ranges[].type");
		}
		size_t ne = json_object_array_length(evs);
		if (ne > VDB_MAX_LIST) {
			*skip = true;
			return bad(c, evs, err, "too many events", "affected[].ranges[].events");
		}
		out->ev = hull_arena_alloc(&c->b->arena, (ne + 1) * sizeof(*out->ev), NULL);
		if (!out->ev)
			return hull_err_nomem(err);
		for (size_t k = 0; k < ne; k++) {
			if (osv_event(c, json_object_array_get_idx(evs, k), &out->ev[k], err,
			              skip) < 0 ||
			    *skip)
				return *skip && !c->b->opts.strict ? 0 : -1;
			if (out->ev[k].kind == HULL_OSV_FIXED)
				*fixed = out->ev[k].version;
		}
		out->n_ev = ne;
		aff->n_ranges++;
	}
	return 0;
}

static int osv_details(struct osv_ctx *c, struct json_object *root, const struct osv_sev *sev,
                       struct hull_err *err)
{
	struct hull_vulndb_builder *b = c->b;
	struct vdb_details *d = vdb_details(b, c->id, err);
	if (!d)
		return -1;
	const char *det = hull_json_get_str(root, "details");
	const char *pub = hull_json_get_str(root, "published");
	const char *mod = hull_json_get_str(root, "modified");
	if (det && !d->description && !(d->description = hull_arena_strdup(&b->arena, det, NULL)))
		return hull_err_nomem(err);
	if (pub && !d->published && !(d->published = hull_arena_strdup(&b->arena, pub, NULL)))
		return hull_err_nomem(err);
	if (mod && !d->modified && !(d->modified = hull_arena_strdup(&b->arena, mod, NULL)))
		return hull_err_nomem(err);
	if (sev->v3 && !d->cvss_v3 && !(d->cvss_v3 = hull_arena_strdup(&b->arena, sev->v3, NULL)))
		return hull_err_nomem(err);
	if (sev->v4 && !d->cvss_v4 && !(d->cvss_v4 = hull_arena_strdup(&b->arena, sev->v4, NULL)))
		return hull_err_nomem(err);
	struct json_object *refs = hull_json_get_arr(root, "references");
	if (refs && !d->n_refs) {
		size_t n = json_object_array_length(refs);
		if (n > VDB_MAX_LIST)
			n = VDB_MAX_LIST;
		d->refs = hull_arena_alloc(&b->arena, (n + 1) * sizeof(*d->refs), NULL);
		if (!d->refs)
			return hull_err_nomem(err);
		for (size_t i = 0; i < n; i++) {
			const char *url =
			    hull_json_get_str(json_object_array_get_idx(refs, i), "url");
			if (url &&
			    !(d->refs[d->n_refs++] = hull_arena_strdup(&b->arena, url, NULL)))
				return hull_err_nomem(err);
		}
	}
	return 0;
}

/* ADVISORY reference first, else the osv.dev page (derived, not stored). */
static const char *primary_url(struct hull_vulndb_builder *b, struct json_object *root)
{
	struct json_object *refs = hull_json_get_arr(root, "references");
	size_t n = refs ? json_object_array_length(refs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(refs, i);
		const char *type = hull_json_get_str(r, "type");
		const char *url = hull_json_get_str(r, "url");
		if (type && url && !strcmp(type, "ADVISORY") && strlen(url) < 400)
			return hull_arena_strdup(&b->arena, url, NULL);
	}
	return "";
}

/* Adds the CVE of a vendor-named record to its aliases when missing. */
static int add_vendor_cve(struct hull_vulndb_builder *b, const char *id, const char ***aliases,
                          size_t *n)
{
	const char *cve = vendor_cve(id);
	for (size_t i = 0; cve && i < *n; i++)
		if (!strcmp((*aliases)[i], cve))
			return 0;
	if (!cve)
		return 0;
	const char **out = hull_arena_alloc(&b->arena, (*n + 1) * sizeof(*out), NULL);
	if (!out)
		return -1;
	if (*n)
		memcpy(out, *aliases, *n * sizeof(*out));
	if (!(out[*n] = hull_arena_strdup(&b->arena, cve, NULL)))
		return -1;
	*aliases = out;
	(*n)++;
	return 0;
}

struct pending {
	uint32_t ns;
	const char *pkg;
	struct vdb_adv *adv;
};

int vdb_parse_osv(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                  struct json_object *root, struct hull_err *err)
{
	struct osv_ctx c = {.b = b, .doc = doc};
	vdb_note_origin(b, S);
	c.id = hull_json_get_str(root, "id");
	if (!c.id || !*c.id || strlen(c.id) > 255)
		return bad(&c, root, err, "expected a string 'id'", NULL);
	const char *mod = hull_json_get_str(root, "modified");
	vdb_note_timestamp(b, S, mod);
	struct json_object *w = NULL;
	if (json_object_object_get_ex(root, "withdrawn", &w) &&
	    !json_object_is_type(w, json_type_null)) {
		b->src[S].withdrawn++;
		return 0;
	}
	struct osv_sev rsev = {0};
	if (!osv_severity(hull_json_member(root, "severity"), &rsev))
		return bad(&c, root, err, "expected a list of {type, score}", "severity");
	/* GHSA's own word, when CVSS says nothing better */
	const char *ghsa =
	    hull_json_get_str(hull_json_get_obj(root, "database_specific"), "severity");
	if (ghsa && !strncmp(c.id, "GHSA-", 5)) {
		enum hull_severity sev;
		bool neg;
		if (vdb_vendor_severity(ghsa, &sev, &neg)) {
			rsev.sev = sev;
			rsev.source = "ghsa";
			rsev.vendor = ghsa;
		}
	}
	bool ok1, ok2, ok3;
	size_t n_alias, n_rel;
	const char **aliases =
	    str_list(b, hull_json_member(root, "aliases"), NULL, 0, &n_alias, &ok1);
	struct json_object *up = hull_json_member(root, "upstream"),
	                   *rel = hull_json_member(root, "related");
	if (aliases || !n_alias)
		aliases = str_list(b, up, aliases, n_alias, &n_alias, &ok2);
	else
		ok2 = true;
	const char **related = str_list(b, rel, NULL, 0, &n_rel, &ok3);
	if ((!aliases && n_alias) || (!related && n_rel))
		return hull_err_nomem(err);
	if (!ok1 || !ok2 || !ok3)
		return bad(&c, root, err, "expected a list of strings", "aliases/upstream/related");
	if (add_vendor_cve(b, c.id, &aliases, &n_alias) < 0)
		return hull_err_nomem(err);
	const char *summary = hull_json_get_str(root, "summary");
	const char *title = make_title(b, summary, hull_json_get_str(root, "details"));
	char stream[128];
	module_stream(summary, stream, sizeof(stream));
	const char *url = primary_url(b, root);
	const char *id = hull_arena_strdup(&b->arena, c.id, NULL);
	if (!id || !url)
		return hull_err_nomem(err);

	struct json_object *affected = hull_json_member(root, "affected");
	size_t n_aff = 0;
	if (affected && !json_object_is_type(affected, json_type_null)) {
		if (!json_object_is_type(affected, json_type_array))
			return bad(&c, affected, err, "expected a list", "affected");
		n_aff = json_object_array_length(affected);
	}
	struct pending *pend =
	    n_aff ? hull_arena_alloc(&b->arena, n_aff * sizeof(*pend), NULL) : NULL;
	if (n_aff && !pend)
		return hull_err_nomem(err);
	size_t n_pend = 0;
	for (size_t i = 0; i < n_aff; i++) {
		struct json_object *a = json_object_array_get_idx(affected, i);
		struct json_object *pkg = hull_json_member(a, "package");
		if (!pkg && json_object_is_type(a, json_type_object)) {
			/* allowed by the schema: commits only (GIT ranges) */
			b->src[S].unsupported++;
			continue;
		}
		const char *eco_name = hull_json_get_str(pkg, "ecosystem");
		const char *name = hull_json_get_str(pkg, "name");
		if (!eco_name || !name || !*name || strlen(name) > 512 || strlen(eco_name) > 64) {
			char where[48];
			snprintf(where, sizeof(where), "affected[%zu]", i);
			return bad(&c, a, err,
			           "expected 'package' with string 'ecosystem' and 'name'", where);
		}
		enum hull_ecosystem eco;
		struct hull_err eerr = {0};
		if (hull_ecosystem_from_osv(hull_str_c(eco_name), &eco, &eerr) < 0) {
			b->src[S].unsupported++;
			continue;
		}
		struct vdb_adv *v = hull_arena_alloc(&b->arena, sizeof(*v), NULL);
		struct vdb_affected *aff = hull_arena_alloc(&b->arena, sizeof(*aff), NULL);
		if (!v || !aff)
			return hull_err_nomem(err);
		memset(v, 0, sizeof(*v));
		memset(aff, 0, sizeof(*aff));
		bool skip = false;
		const char *fixed = NULL;
		if (osv_ranges(&c, hull_json_member(a, "ranges"), aff, &fixed, err, &skip) < 0)
			return -1;
		if (skip)
			return 0;
		struct json_object *vers = hull_json_member(a, "versions");
		bool okv;
		aff->versions = str_list(b, vers, NULL, 0, &aff->n_versions, &okv);
		if (!aff->versions && aff->n_versions)
			return hull_err_nomem(err);
		if (!okv)
			return bad(&c, vers, err, "expected a list of strings",
			           "affected[].versions");
		struct osv_sev sev = rsev;
		struct json_object *asev = hull_json_member(a, "severity");
		if (asev) {
			struct osv_sev s2 = {0};
			if (!osv_severity(asev, &s2))
				return bad(&c, asev, err, "expected a list of {type, score}",
				           "affected[].severity");
			if (s2.source)
				sev = s2;
		}
		v->id = id;
		v->source = S;
		v->kind = HULL_VULNDB_OSV;
		v->eco = (uint8_t)eco;
		v->status = fixed ? HULL_VULN_FIXED : HULL_VULN_AFFECTED;
		v->fix_status = fixed ? HULL_DISTRO_FIXED : HULL_DISTRO_UNFIXED;
		v->fixed = fixed;
		v->severity = (uint8_t)sev.sev;
		v->sev_source = sev.source;
		v->negligible = sev.negligible;
		v->vendor_sev = sev.vendor ? hull_arena_strdup(&b->arena, sev.vendor, NULL) : NULL;
		v->cvss10 = sev.score10 > 0 ? (uint8_t)sev.score10 : 0;
		v->cvss_vector = sev.vector ? hull_arena_strdup(&b->arena, sev.vector, NULL) : NULL;
		v->title = title;
		v->url = *url ? url : NULL;
		v->aliases = aliases;
		v->n_aliases = n_alias;
		v->related = related;
		v->n_related = n_rel;
		v->aff = aff;
		v->n_aff = 1;
		char ns[80];
		osv_namespace(eco_name, eco, ns, sizeof(ns));
		char norm[660];
		const char *pname = name;
		if ((eco == HULL_ECO_PEP440 || eco == HULL_ECO_COMPOSER || eco == HULL_ECO_NUGET) &&
		    vdb_pkg_key(ns, hull_str_c(name), norm, sizeof(norm)))
			pname = norm;
		if (eco == HULL_ECO_RPM && modular_fix(aff)) {
			/* a module build fixes only its stream: keyed
			 * "<module>:<stream>::<name>", as matching looks up a
			 * package that carries a modularity label */
			if (!stream[0]) {
				b->src[S].unsupported++;
				continue;
			}
			snprintf(norm, sizeof(norm), "%s::%s", stream, name);
			pname = norm;
		}
		pend[n_pend].pkg = hull_arena_strdup(&b->arena, pname, NULL);
		pend[n_pend].adv = v;
		if (!pend[n_pend].pkg || vdb_ns(b, ns, &pend[n_pend].ns, err) < 0)
			return pend[n_pend].pkg ? -1 : hull_err_nomem(err);
		n_pend++;
	}
	for (size_t i = 0; i < n_pend; i++)
		if (vdb_add(b, pend[i].ns, pend[i].pkg, pend[i].adv, err) < 0)
			return -1;
	if (osv_details(&c, root, &rsev, err) < 0)
		return -1;
	b->src[S].records++;
	b->records++;
	return 0;
}
