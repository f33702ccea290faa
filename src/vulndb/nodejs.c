/* The Node.js security WG advisory format (nodejs/security-wg vuln/npm and
 * vuln/core): npm range expressions, not OSV events. npm advisories are
 * keyed ("npm", module_name) with id NSWG-ECO-<id>; runtime advisories
 * ("nodejs", "node") with id NSWG-CORE-<file number>. */
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "vulndb/internal.h"

#define S HULL_VULNDB_SRC_NODEJS_WG

static int bad(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
               const struct json_object *node, struct hull_err *err, const char *what)
{
	return vdb_bad(b, S, doc, (struct vdb_pos){.node = node}, err, "%s", what);
}

/* The number of "vuln/core/123.json", or NULL. */
static const char *file_number(const char *name, char *out, size_t cap)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t n = strspn(base, "0123456789");
	if (!n || n >= cap || strcmp(base + n, ".json") != 0)
		return NULL;
	memcpy(out, base, n);
	out[n] = 0;
	return out;
}

int vdb_parse_nodejs_wg(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                        struct json_object *root, struct hull_err *err)
{
	vdb_note_origin(b, S);
	bool core = !hull_json_get_str(root, "module_name");
	const char *vuln = hull_json_get_str(root, core ? "vulnerable" : "vulnerable_versions");
	const char *patched = hull_json_get_str(root, core ? "patched" : "patched_versions");
	struct json_object *cves = hull_json_get_arr(root, core ? "cve" : "cves");
	char id[96], num[32];
	int64_t n;
	if (!core && hull_json_get_int(root, "id", &n) && n >= 0)
		snprintf(id, sizeof(id), "NSWG-ECO-%lld", (long long)n);
	else if (core && file_number(doc->name, num, sizeof(num)))
		snprintf(id, sizeof(id), "NSWG-CORE-%s", num);
	else if (core && cves && json_object_array_length(cves) &&
	         json_object_is_type(json_object_array_get_idx(cves, 0), json_type_string) &&
	         json_object_get_string_len(json_object_array_get_idx(cves, 0)) > 0)
		snprintf(id, sizeof(id), "%.80s",
		         json_object_get_string(json_object_array_get_idx(cves, 0)));
	else
		return bad(b, doc, root, err,
		           core ? "expected a numbered file name or a 'cve' list"
		                : "expected an integer 'id'");
	if (!vuln || !*vuln)
		return bad(b, doc, root, err,
		           core ? "expected a string 'vulnerable'"
		                : "expected a string 'vulnerable_versions'");
	/* the range must be one npm can evaluate */
	bool sat;
	struct hull_err rerr = {0};
	if (hull_npm_range_satisfies(hull_str_c(vuln), HULL_STR_LIT("0.0.0"), 0, &sat, &rerr) < 0 ||
	    (patched && *patched &&
	     hull_npm_range_satisfies(hull_str_c(patched), HULL_STR_LIT("0.0.0"), 0, &sat, &rerr) <
	         0)) {
		char what[1200];
		snprintf(what, sizeof(what), "%s: %s", id, rerr.msg);
		return bad(b, doc, root, err, what);
	}
	struct vdb_adv *a = hull_arena_alloc(&b->arena, sizeof(*a), NULL);
	if (!a)
		return hull_err_nomem(err);
	memset(a, 0, sizeof(*a));
	a->id = hull_arena_strdup(&b->arena, id, NULL);
	a->source = S;
	a->kind = HULL_VULNDB_NPM_RANGE;
	a->eco = HULL_ECO_SEMVER;
	a->vulnerable = hull_arena_strdup(&b->arena, vuln, NULL);
	a->patched = hull_arena_strdup(&b->arena, patched ? patched : "", NULL);
	a->status = patched && *patched ? HULL_VULN_FIXED : HULL_VULN_AFFECTED;
	a->fix_status = patched && *patched ? HULL_DISTRO_FIXED : HULL_DISTRO_UNFIXED;
	if (!a->id || !a->vulnerable || !a->patched)
		return hull_err_nomem(err);
	size_t nc = cves ? json_object_array_length(cves) : 0;
	a->aliases = hull_arena_alloc(&b->arena, (nc + 1) * sizeof(*a->aliases), NULL);
	if (!a->aliases)
		return hull_err_nomem(err);
	for (size_t i = 0; i < nc && i < VDB_MAX_LIST; i++) {
		struct json_object *c = json_object_array_get_idx(cves, i);
		if (json_object_is_type(c, json_type_string) &&
		    strcmp(json_object_get_string(c), id))
			if (!(a->aliases[a->n_aliases++] =
			          hull_arena_strdup(&b->arena, json_object_get_string(c), NULL)))
				return hull_err_nomem(err);
	}
	const char *sev = hull_json_get_str(root, "severity");
	if (sev) {
		enum hull_severity s;
		bool neg;
		if (vdb_vendor_severity(sev, &s, &neg)) {
			a->severity = (uint8_t)s;
			a->sev_source = "nodejs-wg";
		}
		a->vendor_sev = hull_arena_strdup(&b->arena, sev, NULL);
	}
	const char *vec = hull_json_get_str(root, "cvss_vector");
	if (vec) {
		int s10 = vdb_cvss3_score10(hull_str_c(vec));
		if (s10 >= 0) {
			a->cvss10 = (uint8_t)s10;
			a->cvss_vector = hull_arena_strdup(&b->arena, vec, NULL);
			if (!a->sev_source) {
				a->severity = (uint8_t)vdb_cvss3_severity(s10);
				a->sev_source = "cvss_v3";
			}
		}
	}
	const char *title = hull_json_get_str(root, core ? "description" : "title");
	if (title && *title)
		a->title = hull_arena_strndup(
		    &b->arena, title, strlen(title) < VDB_TITLE_MAX ? strlen(title) : VDB_TITLE_MAX,
		    NULL);
	struct json_object *refs = hull_json_get_arr(root, "references");
	const char *ref = core ? hull_json_get_str(root, "ref") : NULL;
	if (!ref && refs && json_object_array_length(refs) &&
	    json_object_is_type(json_object_array_get_idx(refs, 0), json_type_string))
		ref = json_object_get_string(json_object_array_get_idx(refs, 0));
	if (ref && strlen(ref) < 400)
		a->url = hull_arena_strdup(&b->arena, ref, NULL);
	const char *overview = hull_json_get_str(root, "overview");
	if (overview && *overview) {
		struct vdb_details *d = vdb_details(b, id, err);
		if (!d)
			return -1;
		if (!d->description &&
		    !(d->description = hull_arena_strdup(&b->arena, overview, NULL)))
			return hull_err_nomem(err);
		const char *pub = hull_json_get_str(root, "publish_date");
		const char *upd = hull_json_get_str(root, "updated_at");
		if (pub && !d->published)
			d->published = hull_arena_strdup(&b->arena, pub, NULL);
		if (upd && !d->modified)
			d->modified = hull_arena_strdup(&b->arena, upd, NULL);
		vdb_note_timestamp(b, S, upd);
	}
	uint32_t ns;
	const char *pkg = core ? "node" : hull_json_get_str(root, "module_name");
	if (!*pkg || strlen(pkg) > 512)
		return bad(b, doc, root, err, "expected a non-empty 'module_name'");
	const char *pcopy = hull_arena_strdup(&b->arena, pkg, NULL);
	if (!pcopy)
		return hull_err_nomem(err);
	if (vdb_ns(b, core ? "nodejs" : "npm", &ns, err) < 0 || vdb_add(b, ns, pcopy, a, err) < 0)
		return -1;
	b->src[S].records++;
	b->records++;
	return 0;
}
