/* npm: the package.json of an installed module, and package-lock.json.
 *
 * Licenses: a string, the deprecated {"type": ...} object, or an array of
 * such objects (also under the deprecated "licenses" key); several are
 * joined with ", ". Other shapes (numbers, arrays of strings) are not a
 * documented form and give no license.
 *
 * Lock files: lockfileVersion 2 and 3 list every installed path under
 * "packages" ("node_modules/a/node_modules/b"); version 1 nests
 * "dependencies". A "link": true entry is a symlink (workspaces, local
 * packages) to another key: the target's entries are read as if they lived
 * under the link's path, and entries that do not end up under node_modules
 * (the project itself, an unlinked workspace) are not installed packages.
 * A lock lists each name@version once, however many paths hold it. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#define NPM_LICENSE_MAX  4096u
#define NPM_MAX_LINKS    4096u
#define NPM_NAME_MAX     214u /* npm's own limit */
#define NODE_MODULES     "node_modules/"
#define NODE_MODULES_LEN (sizeof(NODE_MODULES) - 1)

static int append_license(struct hull_buf *b, struct hull_str l, struct hull_err *err)
{
	l = hull_str_trim(l);
	if (!l.len)
		return 0;
	if (b->len && hull_buf_append_str(b, ", ", err) < 0)
		return -1;
	return hull_buf_append(b, l.ptr, l.len, err);
}

/* Fills b with the license(s) of a package object. */
static int read_license(struct json_object *pkg, struct hull_buf *b, struct hull_err *err)
{
	struct json_object *l = hull_json_member(pkg, "license");
	if (!l)
		l = hull_json_member(pkg, "licenses");
	if (!l)
		return 0;
	if (json_object_is_type(l, json_type_string))
		return append_license(b, hull_json_str(l), err);
	if (json_object_is_type(l, json_type_object))
		return append_license(b, hull_json_str(hull_json_member(l, "type")), err);
	if (!json_object_is_type(l, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(l); i++) {
		struct json_object *e = json_object_array_get_idx(l, i);
		if (json_object_is_type(e, json_type_object) &&
		    append_license(b, hull_json_str(hull_json_member(e, "type")), err) < 0)
			return -1;
	}
	return 0;
}

/* License text that is too long or odd is dropped, never the package. */
static int add_npm(struct hull_inventory *inv, struct hull_str name, struct hull_str version,
                   struct json_object *pkg, const char *file, int layer, struct hull_err *err)
{
	struct hull_buf lic;
	hull_buf_init(&lic, NPM_LICENSE_MAX);
	struct hull_err lerr = {0};
	if (read_license(pkg, &lic, &lerr) < 0 && lerr.kind == HULL_ERR_NOMEM) {
		hull_buf_release(&lic);
		return hull_err_nomem(err);
	}
	struct hull_str l = hull_buf_str(&lic);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_NPM,
	    .name = name,
	    .version = version.ptr ? version : hull_str("", 0),
	    .license = l.len && hull_pkgdb_printable(l) && lerr.kind == HULL_ERR_NONE
	                   ? l
	                   : hull_str(NULL, 0),
	};
	int rc = hull_pkgdb_add(inv, &s, file, layer, err);
	hull_buf_release(&lic);
	return rc;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!*'()", c));
}

/* One name part: URL-friendly characters, not starting with '.' or '_'. */
static bool valid_part(struct hull_str p)
{
	if (!p.len || p.ptr[0] == '.' || p.ptr[0] == '_')
		return false;
	for (size_t i = 0; i < p.len; i++)
		if (!name_char(p.ptr[i]))
			return false;
	return true;
}

/* npm's name rules (validate-npm-package-name): "@scope/name" or "name",
 * each part unchanged by encodeURIComponent. Old names are accepted, so
 * upper case is too. */
static bool valid_npm_name(struct hull_str n)
{
	if (!n.len || n.len > NPM_NAME_MAX)
		return false;
	if (n.ptr[0] != '@')
		return valid_part(n);
	struct hull_str scope, rest;
	if (!hull_str_split(hull_str(n.ptr + 1, n.len - 1), '/', &scope, &rest))
		return false;
	return valid_part(scope) && valid_part(rest);
}

int hull_npm_package_json_parse(struct hull_str data, const char *file, int layer,
                                struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse_object(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	struct hull_str name = hull_json_str(hull_json_member(root, "name"));
	struct json_object *v = hull_json_member(root, "version");
	struct hull_str version = hull_json_str(v);
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	int rc = 0;
	/* a package.json without a name declares no package (a private app
	 * or a bare folder); nothing to list */
	if (!hull_json_member(root, "name"))
		goto out;
	if (!valid_npm_name(name))
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: invalid package name \"%s\": name can only contain "
		                  "URL-friendly characters",
		                  file, hull_pkgdb_quote(name, q));
	else if (v && (!version.ptr || !hull_pkgdb_printable(version)))
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: version of %s is not a string", file,
		                  hull_pkgdb_quote(name, q));
	else
		rc = add_npm(inv, name, version, root, file, layer, err);
out:
	json_object_put(root);
	return rc;
}

/* ---- package-lock.json ---- */

struct npm_link {
	const char *path;   /* "node_modules/x", a key of "packages" */
	struct hull_str to; /* its "resolved": the key it points to */
};

struct lock_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
	struct npm_link *links;
	size_t nlinks, caplinks;
};

static bool has_path_prefix(struct hull_str path, struct hull_str dir)
{
	return path.len >= dir.len && memcmp(path.ptr, dir.ptr, dir.len) == 0 &&
	       (path.len == dir.len || path.ptr[dir.len] == '/');
}

/* Where key is installed: under a link's path when it lies in the link's
 * target, else where it is. */
static int install_path(const struct lock_ctx *c, const char *key, struct hull_buf *out,
                        struct hull_err *err)
{
	struct hull_str k = hull_str_c(key);
	hull_buf_reset(out);
	for (size_t i = 0; i < c->nlinks; i++) {
		if (!has_path_prefix(k, c->links[i].to))
			continue;
		if (hull_buf_append_str(out, c->links[i].path, err) < 0)
			return -1;
		return hull_buf_append(out, k.ptr + c->links[i].to.len, k.len - c->links[i].to.len,
		                       err);
	}
	return hull_buf_append(out, k.ptr, k.len, err);
}

/* The module name a node_modules path installs: what follows the last
 * "node_modules/". */
static struct hull_str name_from_path(struct hull_str p)
{
	for (size_t i = p.len; i >= NODE_MODULES_LEN; i--) {
		size_t start = i - NODE_MODULES_LEN;
		if (memcmp(p.ptr + start, NODE_MODULES, NODE_MODULES_LEN) == 0 &&
		    (start == 0 || p.ptr[start - 1] == '/'))
			return hull_str(p.ptr + i, p.len - i);
	}
	return hull_str(NULL, 0);
}

static int collect_links(struct lock_ctx *c, struct json_object *packages, struct hull_err *err)
{
	json_object_object_foreach(packages, key, val)
	{
		bool link = false;
		if (!hull_json_get_bool(val, "link", &link) || !link)
			continue;
		struct hull_str to = hull_json_str(hull_json_member(val, "resolved"));
		/* a link without a target points at nothing installed */
		if (!to.len || !strlen(key))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(c->links, c->nlinks, c->caplinks, NPM_MAX_LINKS, err) < 0)
			return hull_err_wrap(err, "%s: links", c->file);
		c->links[c->nlinks++] = (struct npm_link){key, to};
	}
	return 0;
}

static int lock_entry(struct lock_ctx *c, const char *key, struct json_object *val,
                      struct hull_buf *path, struct hull_err *err)
{
	bool link = false;
	if (!*key || !json_object_is_type(val, json_type_object) ||
	    (hull_json_get_bool(val, "link", &link) && link))
		return 0;
	if (install_path(c, key, path, err) < 0)
		return -1;
	struct hull_str p = hull_buf_str(path);
	if (!hull_str_has_prefix(p, NODE_MODULES))
		return 0;
	/* "name" is only written when it differs from the folder (aliases) */
	struct hull_str name = hull_json_str(hull_json_member(val, "name"));
	if (!name.len)
		name = name_from_path(p);
	struct hull_str version = hull_json_str(hull_json_member(val, "version"));
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!valid_npm_name(name) || !hull_pkgdb_printable(version)) {
		hull_pkgdb_problem(&c->probs, "%s: packages[\"%s\"]: bad name or version", c->file,
		                   hull_pkgdb_quote(hull_str_c(key), q));
		return 0;
	}
	return add_npm(c->inv, name, version, val, c->file, c->layer, err);
}

static int parse_v2(struct lock_ctx *c, struct json_object *packages, struct hull_err *err)
{
	if (collect_links(c, packages, err) < 0)
		return -1;
	struct hull_buf path;
	hull_buf_init(&path, 64u << 10);
	int rc = 0;
	json_object_object_foreach(packages, key, val)
	{
		if ((rc = lock_entry(c, key, val, &path, err)) < 0)
			break;
	}
	hull_buf_release(&path);
	return rc;
}

/* v1: {"dependencies": {name: {"version": ..., "dependencies": {...}}}};
 * nesting depth is bounded by the JSON parser's depth cap. */
static int parse_v1(struct lock_ctx *c, struct json_object *deps, struct hull_err *err)
{
	json_object_object_foreach(deps, name, val)
	{
		if (!json_object_is_type(val, json_type_object))
			continue;
		struct hull_str n = hull_str_c(name),
		                version = hull_json_str(hull_json_member(val, "version"));
		char q[HULL_PKGDB_QUOTE_MAX + 4];
		if (!valid_npm_name(n) || !hull_pkgdb_printable(version)) {
			hull_pkgdb_problem(&c->probs,
			                   "%s: dependencies[\"%s\"]: bad name or version", c->file,
			                   hull_pkgdb_quote(n, q));
			continue;
		}
		if (add_npm(c->inv, n, version, val, c->file, c->layer, err) < 0)
			return -1;
		struct json_object *sub = hull_json_get_obj(val, "dependencies");
		if (sub && parse_v1(c, sub, err) < 0)
			return -1;
	}
	return 0;
}

int hull_npm_lock_parse(struct hull_str data, const char *file, int layer,
                        struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse_object(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	struct lock_ctx c = {.file = file, .layer = layer, .inv = inv};
	size_t first = inv->npkgs;
	struct json_object *packages = hull_json_get_obj(root, "packages");
	struct json_object *deps = hull_json_get_obj(root, "dependencies");
	int rc = 0;
	if (packages)
		rc = parse_v2(&c, packages, err);
	else if (deps)
		rc = parse_v1(&c, deps, err);
	free(c.links);
	json_object_put(root);
	if (rc < 0)
		return rc;
	return hull_pkgdb_parsed(inv, first, &c.probs, err);
}
