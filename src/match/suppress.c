#include "match/suppress.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fs.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/purl.h"
#include "util/yaml.h"

#define MAX_FILE  (16u << 20)
#define MAX_RULES 100000u
#define MAX_PURLS 4096u

struct rule {
	char *id;      /* glob; NULL: any */
	char *package; /* purl glob without qualifiers; NULL: any */
	char **purls;  /* VEX: exact package identities (type/ns/name[@version]) */
	size_t npurls;
	bool any_package; /* VEX: an image product without subcomponents */
	char *path;       /* glob; NULL: any */
	char *reason;     /* the finding's suppression text */
	char *origin;     /* "file:line" for warnings */
	size_t hits;
};

struct hull_suppressions {
	struct rule *rules;
	size_t n, cap;
};

int hull_suppressions_new(struct hull_suppressions **out, struct hull_err *err)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : hull_err_nomem(err);
}

static void rule_release(struct rule *r)
{
	free(r->id);
	free(r->package);
	for (size_t i = 0; i < r->npurls; i++)
		free(r->purls[i]);
	free(r->purls);
	free(r->path);
	free(r->reason);
	free(r->origin);
}

void hull_suppressions_free(struct hull_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		rule_release(&s->rules[i]);
	free(s->rules);
	free(s);
}

static struct rule *new_rule(struct hull_suppressions *s, struct hull_err *err)
{
	if (HULL_ARRAY_PUSH_ROOM(s->rules, s->n, s->cap, MAX_RULES, err) < 0)
		return NULL;
	struct rule *r = &s->rules[s->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* ---- package URLs -------------------------------------------------------- */

/* "pkg:npm/%40scope/name@1.0?x=y#p" -> "pkg:npm/@scope/name@1.0": the
 * purl read by util/purl (type and per-type case normalised), written back
 * decoded without qualifiers or subpath, and without the version unless
 * keep_version. NULL when s is not a purl. */
static char *purl_key(const char *s, bool keep_version)
{
	struct hull_purl p;
	if (!s || hull_purl_parse(s, strlen(s), &p, NULL) < 0)
		return NULL;
	bool v = keep_version && p.version;
	char *out = NULL;
	if (asprintf(&out, "pkg:%s/%s%s%s%s%s", p.type, p.ns ? p.ns : "", p.ns ? "/" : "", p.name,
	             v ? "@" : "", v ? p.version : "") < 0)
		out = NULL;
	hull_purl_release(&p);
	return out;
}

/* A VEX product matches a package when type, namespace and name agree and,
 * if the product names a version, the version too. */
static bool purl_matches(const char *product, const char *pkg_purl)
{
	char *pk = purl_key(pkg_purl, true);
	if (!pk)
		return false;
	bool ok = !strcmp(product, pk);
	if (!ok) {
		const char *slash = strrchr(product, '/');
		bool versioned = strchr(slash ? slash : product, '@') != NULL;
		if (!versioned) {
			char *bare = purl_key(pkg_purl, false);
			ok = bare && !strcmp(product, bare);
			free(bare);
		}
	}
	free(pk);
	return ok;
}

/* ---- matching -------------------------------------------------------------- */

static bool id_matches(const struct rule *r, const struct hull_finding *f)
{
	if (!r->id)
		return true;
	if (!fnmatch(r->id, f->id, 0))
		return true;
	for (size_t i = 0; i < f->naliases; i++)
		if (!fnmatch(r->id, f->aliases[i], 0))
			return true;
	return false;
}

static bool package_matches(const struct rule *r, const struct hull_finding *f)
{
	const char *purl = f->vuln.pkg_purl;
	if (r->package) {
		char *bare = purl_key(purl, true);
		bool ok = bare && !fnmatch(r->package, bare, 0);
		free(bare);
		if (!ok)
			return false;
	}
	if (r->npurls && !r->any_package) {
		for (size_t i = 0; i < r->npurls; i++)
			if (purl && purl_matches(r->purls[i], purl))
				return true;
		return false;
	}
	return true;
}

static bool rule_matches(const struct rule *r, const struct hull_finding *f)
{
	if (!id_matches(r, f) || !package_matches(r, f))
		return false;
	return !r->path || (f->loc.file && !fnmatch(r->path, f->loc.file, 0));
}

void hull_suppressions_apply(const struct hull_suppressions *s, struct hull_findings *list,
                             struct hull_diag *diag)
{
	for (size_t i = 0; i < list->n; i++) {
		struct hull_finding *f = &list->items[i];
		for (size_t j = 0; j < s->n && !f->suppressed; j++) {
			struct rule *r = &s->rules[j];
			if (!rule_matches(r, f))
				continue;
			char *why = strdup(r->reason);
			if (!why)
				continue;
			f->suppressed = true;
			f->suppression = why;
			r->hits++;
		}
	}
	for (size_t j = 0; j < s->n; j++)
		if (!s->rules[j].hits)
			hull_diag_warn(diag, "%s: suppresses nothing in this scan",
			               s->rules[j].origin);
}

/* ---- .hullignore ------------------------------------------------------------ */

static int parse_date(const char *s, time_t *out)
{
	struct tm tm = {0};
	char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
	if (!end || *end)
		return -1;
	tm.tm_isdst = -1;
	*out = timegm(&tm);
	return 0;
}

static char *str_field(struct json_object *e, const char *key, bool *bad)
{
	struct json_object *v;
	if (!json_object_object_get_ex(e, key, &v) || !v)
		return NULL;
	if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_int)) {
		*bad = true;
		return NULL;
	}
	return strdup(json_object_get_string(v));
}

static int ignore_entry(struct hull_suppressions *s, const struct hull_yaml *y, const char *path,
                        struct json_object *e, time_t now, struct hull_diag *diag,
                        struct hull_err *err)
{
	unsigned line = 0, col = 0;
	hull_yaml_pos(y, e, &line, &col);
	if (!json_object_is_type(e, json_type_object))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: line %u: an entry must be a mapping",
		                    path, line);
	bool bad = false;
	cleanup_free char *reason = str_field(e, "reason", &bad);
	cleanup_free char *expires = str_field(e, "expires", &bad);
	struct rule r = {.id = str_field(e, "id", &bad),
	                 .package = str_field(e, "package", &bad),
	                 .path = str_field(e, "path", &bad)};
	int rc = 0;
	time_t until = 0;
	if (bad)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %u: id, package, path, expires and "
		                  "reason must be strings",
		                  path, line);
	else if ((r.id && !*r.id) || (r.package && !*r.package) || (r.path && !*r.path))
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %u: an empty id, package or path (it would match "
		                  "nothing)",
		                  path, line);
	else if (!reason || !*reason)
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: line %u: the entry has no reason", path,
		                  line);
	else if (!r.id && !r.package && !r.path)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %u: the entry needs an id, a package or a path", path,
		                  line);
	else if (expires && parse_date(expires, &until) < 0)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %u: expires '%s' is not a YYYY-MM-DD date", path, line,
		                  expires);
	if (rc == 0 && expires && now >= until) {
		hull_diag_warn(diag,
		               "%s: line %u: the entry for %s expired on %s and no longer "
		               "suppresses (reason was: %s)",
		               path, line,
		               r.id        ? r.id
		               : r.package ? r.package
		                           : r.path,
		               expires, reason);
		rule_release(&r);
		return 0;
	}
	struct rule *slot = rc == 0 ? new_rule(s, err) : NULL;
	if (!slot) {
		rule_release(&r);
		return -1;
	}
	if (asprintf(&r.reason, "%s: line %u: %s", path, line, reason) < 0 ||
	    asprintf(&r.origin, "%s: line %u", path, line) < 0) {
		s->n--;
		rule_release(&r);
		return hull_err_nomem(err);
	}
	*slot = r;
	return 0;
}

int hull_suppressions_load_ignorefile(struct hull_suppressions *s, const char *path, time_t now,
                                      struct hull_diag *diag, struct hull_err *err)
{
	char *data;
	size_t len;
	if (hull_fs_read_file(path, MAX_FILE, &data, &len, err) < 0)
		return -1;
	int rc = hull_suppressions_parse_ignore(s, data, len, path, now, diag, err);
	free(data);
	return rc;
}

int hull_suppressions_parse_ignore(struct hull_suppressions *s, const char *data, size_t len,
                                   const char *path, time_t now, struct hull_diag *diag,
                                   struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	if (len > MAX_FILE)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: over %u MiB", path, MAX_FILE >> 20);
	int rc = hull_yaml_parse(data, len, path, &y, err);
	if (rc < 0)
		return -1;
	struct json_object *doc = hull_yaml_doc(y, 0);
	struct json_object *list =
	    json_object_is_type(doc, json_type_array) ? doc : hull_json_get_arr(doc, "ignore");
	if (!list && doc)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: expected a list of entries (or a mapping with 'ignore:')",
		                  path);
	size_t n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = ignore_entry(s, y, path, json_object_array_get_idx(list, i), now, diag, err);
	hull_yaml_free(y);
	return rc;
}

/* ---- VEX -------------------------------------------------------------------- */

static int add_purl(struct rule *r, size_t *cap, const char *purl, struct hull_err *err)
{
	char *k = purl_key(purl, true);
	if (!k)
		return 0;
	if (HULL_ARRAY_PUSH_ROOM(r->purls, r->npurls, *cap, MAX_PURLS, err) < 0) {
		free(k);
		return -1;
	}
	r->purls[r->npurls++] = k;
	return 0;
}

static const char *id_of(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
	                                                : hull_json_get_str(v, "@id");
}

/* One OpenVEX statement: its products (and their subcomponents). */
static int openvex_products(struct rule *r, struct json_object *st, struct hull_err *err)
{
	size_t cap = 0;
	struct json_object *products = hull_json_get_arr(st, "products");
	size_t n = products ? json_object_array_length(products) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(products, i);
		struct json_object *subs = hull_json_get_arr(p, "subcomponents");
		size_t ns = subs ? json_object_array_length(subs) : 0;
		const char *pid = id_of(p);
		if (ns == 0 && pid && !strncmp(pid, "pkg:oci/", 8))
			r->any_package = true; /* the image as a whole is not affected */
		if (add_purl(r, &cap, pid, err) < 0)
			return -1;
		for (size_t j = 0; j < ns; j++)
			if (add_purl(r, &cap, id_of(json_object_array_get_idx(subs, j)), err) < 0)
				return -1;
	}
	return 0;
}

static int vex_rule(struct hull_suppressions *s, const char *path, const char *id,
                    const char *state, const char *justification, const char *detail,
                    struct rule *r, struct hull_err *err)
{
	struct rule *slot = new_rule(s, err);
	if (!slot)
		return -1;
	r->id = strdup(id);
	if (!r->id ||
	    asprintf(&r->reason, "VEX %s: %s%s%s%s%s%s", path, state, justification ? " (" : "",
	             justification ? justification : "", justification ? ")" : "",
	             detail ? ": " : "", detail ? detail : "") < 0 ||
	    asprintf(&r->origin, "VEX %s: %s", path, id) < 0) {
		s->n--;
		return hull_err_nomem(err);
	}
	*slot = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

static int load_openvex(struct hull_suppressions *s, const char *path, struct json_object *doc,
                        struct hull_err *err)
{
	struct json_object *sts = hull_json_get_arr(doc, "statements");
	size_t n = json_object_array_length(sts);
	for (size_t i = 0; i < n; i++) {
		struct json_object *st = json_object_array_get_idx(sts, i);
		const char *status = hull_json_get_str(st, "status");
		struct json_object *v = NULL;
		json_object_object_get_ex(st, "vulnerability", &v);
		const char *id = json_object_is_type(v, json_type_string)
		                     ? json_object_get_string(v)
		                     : hull_json_get_str(v, "name");
		if (!status || !id)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: statement %zu has no status or vulnerability",
			                    path, i + 1);
		if (!*id)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: statement %zu: the vulnerability's name is empty",
			                    path, i + 1);
		if (strcmp(status, "not_affected") && strcmp(status, "fixed"))
			continue;
		struct rule r = {0};
		int rc = openvex_products(&r, st, err);
		if (rc == 0 && !r.npurls && !r.any_package)
			rc = hull_err_set(err, HULL_ERR_INPUT, "%s: statement %zu names no product",
			                  path, i + 1);
		if (rc == 0)
			rc = vex_rule(s, path, id, status, hull_json_get_str(st, "justification"),
			              hull_json_get_str(st, "impact_statement"), &r, err);
		rule_release(&r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* CycloneDX: bom-refs of components resolve to their purls. */
static const char *cdx_ref_purl(struct json_object *doc, const char *ref)
{
	if (!ref)
		return NULL;
	if (!strncmp(ref, "pkg:", 4))
		return ref;
	struct json_object *comps = hull_json_get_arr(doc, "components");
	size_t n = comps ? json_object_array_length(comps) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(comps, i);
		const char *bref = hull_json_get_str(c, "bom-ref");
		if (bref && !strcmp(bref, ref))
			return hull_json_get_str(c, "purl");
	}
	return NULL;
}

static int load_cdx(struct hull_suppressions *s, const char *path, struct json_object *doc,
                    struct hull_diag *diag, struct hull_err *err)
{
	struct json_object *vulns = hull_json_get_arr(doc, "vulnerabilities");
	size_t n = vulns ? json_object_array_length(vulns) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vulns, i);
		struct json_object *an = hull_json_get_obj(v, "analysis");
		const char *id = hull_json_get_str(v, "id"),
		           *state = hull_json_get_str(an, "state");
		if (!state || (strcmp(state, "not_affected") && strcmp(state, "false_positive") &&
		               strcmp(state, "resolved")))
			continue;
		if (!id || !*id) { /* an analysis that would suppress, of nothing */
			hull_diag_warn(diag, "VEX %s: vulnerabilities[%zu] has %s id; ignored",
			               path, i, id ? "an empty" : "no");
			continue;
		}
		struct rule r = {0};
		size_t cap = 0;
		struct json_object *affects = hull_json_get_arr(v, "affects");
		size_t na = affects ? json_object_array_length(affects) : 0;
		int rc = 0;
		for (size_t j = 0; rc == 0 && j < na; j++) {
			const char *ref =
			    hull_json_get_str(json_object_array_get_idx(affects, j), "ref");
			rc = add_purl(&r, &cap, cdx_ref_purl(doc, ref), err);
		}
		if (rc == 0 && !r.npurls)
			hull_diag_warn(diag,
			               "VEX %s: %s: affects no package hull can resolve; "
			               "ignored",
			               path, id);
		if (rc == 0 && r.npurls)
			rc = vex_rule(s, path, id, state, hull_json_get_str(an, "justification"),
			              hull_json_get_str(an, "detail"), &r, err);
		rule_release(&r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int hull_suppressions_load_vex(struct hull_suppressions *s, const char *path,
                               struct hull_diag *diag, struct hull_err *err)
{
	char *data;
	size_t len;
	if (hull_fs_read_file(path, MAX_FILE, &data, &len, err) < 0)
		return -1;
	int rc = hull_suppressions_parse_vex(s, data, len, path, diag, err);
	free(data);
	return rc;
}

int hull_suppressions_parse_vex(struct hull_suppressions *s, const char *data, size_t len,
                                const char *path, struct hull_diag *diag, struct hull_err *err)
{
	struct json_object *doc = NULL;
	if (len > MAX_FILE)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: over %u MiB", path, MAX_FILE >> 20);
	int rc = hull_json_parse(data, len, path, &doc, err);
	if (rc < 0)
		return -1;
	if (hull_json_get_arr(doc, "statements"))
		rc = load_openvex(s, path, doc, err);
	else if (hull_json_get_str(doc, "bomFormat"))
		rc = load_cdx(s, path, doc, diag, err);
	else
		rc = hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: neither OpenVEX (no statements) nor CycloneDX (no bomFormat)", path);
	json_object_put(doc);
	return rc;
}
