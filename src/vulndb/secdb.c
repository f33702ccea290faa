/* Alpine and Wolfi secdb: per branch, per origin package, "secfixes" maps a
 * fixed version to the ids it fixes; version "0" means the branch was never
 * affected. Two shapes: the whole-branch document ({"distroversion",
 * "packages": [{"pkg": {...}}]}) and the per-package one ({"name",
 * "secfixes", "distroversion", ...}). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "vulndb/internal.h"

struct secdb_ctx {
	struct hull_vulndb_builder *b;
	const struct vdb_doc *doc;
	enum hull_vulndb_source src;
	uint32_t ns;
};

static struct vdb_pos at(const struct json_object *node)
{
	return (struct vdb_pos){.node = node};
}

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Normalises one token into an id ("CVE_2019-2426" -> "CVE-2019-2426",
 * "CVE-2017-8073.patch" -> "CVE-2017-8073", "CVE-2017-17434-1" ->
 * "CVE-2017-17434"). false for something that is not an id (placeholders
 * such as "CVE-????-?????" included). */
static bool secdb_id(struct hull_str tok, char *out, size_t cap)
{
	if (hull_str_has_suffix(tok, ".patch"))
		tok.len -= 6;
	if (tok.len < 3 || tok.len >= cap || !isalpha((unsigned char)tok.ptr[0]))
		return false;
	bool dash = false;
	for (size_t i = 0; i < tok.len; i++) {
		if (!id_char(tok.ptr[i]))
			return false;
		dash |= tok.ptr[i] == '-' || tok.ptr[i] == '_';
	}
	if (!dash)
		return false;
	memcpy(out, tok.ptr, tok.len);
	out[tok.len] = 0;
	if ((out[0] == 'C' || out[0] == 'c') && strncasecmp(out, "CVE", 3) == 0 &&
	    (out[3] == '-' || out[3] == '_')) {
		/* CVE-YYYY-N, whatever follows */
		size_t i = 4, y = 0, d = 0;
		while (isdigit((unsigned char)out[i]) && y < 4)
			i++, y++;
		if (y != 4 || out[i] != '-')
			return false;
		i++;
		while (isdigit((unsigned char)out[i]))
			i++, d++;
		if (d < 4)
			return false;
		memcpy(out, "CVE-", 4);
		out[i] = 0;
	}
	return true;
}

/* Splits one secfixes entry ("CVE-2018-3620 CVE-2018-3646 XSA-273 (notes)",
 * "CVE 2018-16859") into its first id and the aliases after it. Returns the
 * number of ids found (0: not an id). */
static size_t secdb_ids(const char *s, char ids[][80], size_t max)
{
	size_t n = 0;
	struct hull_str rest = hull_str_c(s);
	long paren = hull_str_index(rest, '(');
	if (paren >= 0)
		rest.len = (size_t)paren;
	char joined[160];
	while (n < max) {
		rest = hull_str_trim(rest);
		if (!rest.len)
			break;
		size_t k = 0;
		while (k < rest.len && rest.ptr[k] != ' ' && rest.ptr[k] != '\t')
			k++;
		struct hull_str tok = hull_str(rest.ptr, k);
		rest = hull_str(rest.ptr + k, rest.len - k);
		if (hull_str_eq_nocase(tok, "CVE")) {
			/* "CVE 2018-16859" */
			struct hull_str r2 = hull_str_trim(rest);
			size_t k2 = 0;
			while (k2 < r2.len && r2.ptr[k2] != ' ' && r2.ptr[k2] != '\t')
				k2++;
			if (k2 && k2 < 100) {
				snprintf(joined, sizeof(joined), "CVE-%.*s", (int)k2, r2.ptr);
				tok = hull_str_c(joined);
				rest = hull_str(r2.ptr + k2, r2.len - k2);
			}
		}
		if (secdb_id(tok, ids[n], sizeof(ids[n])))
			n++;
	}
	return n;
}

static int secdb_entry(struct secdb_ctx *c, const char *pkg, const char *fixed, bool never,
                       char ids[][80], size_t n, size_t self, struct hull_err *err)
{
	struct hull_vulndb_builder *b = c->b;
	struct vdb_adv *a = hull_arena_alloc(&b->arena, sizeof(*a), NULL);
	if (!a)
		return hull_err_nomem(err);
	memset(a, 0, sizeof(*a));
	a->source = (uint8_t)c->src;
	a->kind = HULL_VULNDB_DISTRO;
	a->eco = HULL_ECO_APK;
	a->status = HULL_VULN_FIXED;
	a->fix_status = never ? HULL_DISTRO_NOT_AFFECTED : HULL_DISTRO_FIXED;
	a->fixed = fixed;
	a->id = hull_arena_strdup(&b->arena, ids[self], NULL);
	a->aliases = hull_arena_alloc(&b->arena, n * sizeof(*a->aliases), NULL);
	if (!a->id || !a->aliases)
		return hull_err_nomem(err);
	for (size_t k = 0; k < n; k++) {
		if (k == self || strncmp(ids[k], "CVE-", 4) == 0)
			continue;
		if (!(a->aliases[a->n_aliases++] = hull_arena_strdup(&b->arena, ids[k], NULL)))
			return hull_err_nomem(err);
	}
	if (vdb_add(b, c->ns, pkg, a, err) < 0)
		return -1;
	b->src[c->src].records++;
	b->records++;
	return 0;
}

static int secdb_fix(struct secdb_ctx *c, const char *pkg, const char *ver, struct json_object *ids,
                     struct hull_err *err)
{
	struct hull_vulndb_builder *b = c->b;
	struct hull_err verr = {0};
	bool never = strcmp(ver, "0") == 0;
	if (!never && hull_version_validate(HULL_ECO_APK, hull_str_c(ver), &verr) < 0)
		return vdb_bad(b, c->src, c->doc, at(ids), err, "package '%s': %s", pkg, verr.msg);
	if (!json_object_is_type(ids, json_type_array)) {
		if (json_object_is_type(ids, json_type_null))
			return 0; /* "1.2-r0:" with nothing under it */
		return vdb_bad(b, c->src, c->doc, at(ids), err,
		               "package '%s', version '%s': expected a list of ids", pkg, ver);
	}
	const char *fixed = hull_arena_strdup(&b->arena, ver, NULL);
	const char *pname = hull_arena_strdup(&b->arena, pkg, NULL);
	if (!fixed || !pname)
		return hull_err_nomem(err);
	size_t n = json_object_array_length(ids);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(ids, i);
		const char *s =
		    json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL;
		char found[8][80];
		size_t nf = s ? secdb_ids(s, found, 8) : 0;
		if (!nf) {
			if (vdb_bad(b, c->src, c->doc, at(e), err,
			            "package '%s', version '%s': expected a vulnerability id, got "
			            "'%.80s'",
			            pkg, ver, s ? s : json_object_get_string(e)) < 0)
				return -1;
			continue;
		}
		/* every CVE is an entry; other ids (XSA-, ZBX-, TALOS-) are its
		 * aliases, or the entry itself when no CVE is named */
		size_t ncve = 0;
		for (size_t k = 0; k < nf; k++)
			ncve += strncmp(found[k], "CVE-", 4) == 0;
		for (size_t k = 0; k < nf; k++) {
			bool cve = strncmp(found[k], "CVE-", 4) == 0;
			if (ncve ? !cve : k > 0)
				continue;
			if (secdb_entry(c, pname, fixed, never, found, nf, k, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int secdb_pkg(struct secdb_ctx *c, struct json_object *pkg, struct hull_err *err)
{
	const char *name = hull_json_get_str(pkg, "name");
	if (!name || !*name || strlen(name) > 255)
		return vdb_bad(c->b, c->src, c->doc, at(pkg), err,
		               "expected a package with a string 'name'");
	struct json_object *fixes = NULL;
	if (!json_object_object_get_ex(pkg, "secfixes", &fixes) ||
	    json_object_is_type(fixes, json_type_null))
		return 0; /* a package without fixes yet */
	if (!json_object_is_type(fixes, json_type_object))
		return vdb_bad(c->b, c->src, c->doc, at(fixes), err,
		               "package '%s': expected 'secfixes' to map versions to ids", name);
	json_object_object_foreach(fixes, ver, ids)
	{
		if (secdb_fix(c, name, ver, ids, err) < 0)
			return -1;
	}
	return 0;
}

enum hull_vulndb_source vdb_secdb_source(struct json_object *root)
{
	const char *prefix = hull_json_get_str(root, "urlprefix");
	if (hull_json_get_str(root, "distroversion") || !prefix)
		return HULL_VULNDB_SRC_ALPINE_SECDB;
	/* https://packages.wolfi.dev/os/security.json, and Chainguard's
	 * https://packages.cgr.dev/chainguard/security.json */
	if (strstr(prefix, "wolfi.dev"))
		return HULL_VULNDB_SRC_WOLFI_SECDB;
	if (strstr(prefix, "packages.cgr.dev"))
		return HULL_VULNDB_SRC_CHAINGUARD_SECDB;
	return HULL_VULNDB_SRC_ALPINE_SECDB;
}

int vdb_parse_secdb(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                    struct json_object *root, struct hull_err *err)
{
	const char *branch = hull_json_get_str(root, "distroversion");
	enum hull_vulndb_source src = vdb_secdb_source(root);
	struct secdb_ctx c = {.b = b, .doc = doc, .src = src};
	vdb_note_origin(b, c.src);
	char ns[80];
	if (src != HULL_VULNDB_SRC_ALPINE_SECDB) {
		snprintf(ns, sizeof(ns), "%s",
		         src == HULL_VULNDB_SRC_WOLFI_SECDB ? "wolfi" : "chainguard");
	} else {
		if (!branch || !*branch || strlen(branch) > 32 || strchr(branch, ':'))
			return vdb_bad(
			    b, c.src, doc, at(root), err,
			    "expected a string 'distroversion' (the branch, e.g. v3.20)");
		/* "v3.20"; the secdb of edge says "edge" */
		snprintf(ns, sizeof(ns), "alpine:%s", branch);
		for (char *p = ns; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (vdb_ns(b, ns, &c.ns, err) < 0)
		return -1;
	struct json_object *pkgs = NULL;
	if (json_object_object_get_ex(root, "packages", &pkgs)) {
		if (json_object_is_type(pkgs, json_type_null))
			return 0; /* an empty branch: "packages:" */
		if (!json_object_is_type(pkgs, json_type_array))
			return vdb_bad(b, c.src, doc, at(pkgs), err,
			               "expected 'packages' to be a list");
		size_t n = json_object_array_length(pkgs);
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(pkgs, i);
			struct json_object *pkg = hull_json_get_obj(e, "pkg");
			if (!pkg) {
				if (vdb_bad(b, c.src, doc, at(e), err,
				            "packages[%zu]: expected an object with 'pkg'", i) < 0)
					return -1;
				continue;
			}
			if (secdb_pkg(&c, pkg, err) < 0)
				return -1;
		}
		return 0;
	}
	return secdb_pkg(&c, root, err);
}
