/* php: Composer's composer.lock and vendor/composer/installed.json.
 *
 * composer.lock: {"packages": [...], "packages-dev": [...]}; the packages
 * are what `composer install --no-dev` installs, so packages-dev are not
 * listed (as Trivy does: a production image built from the lock has none
 * of them; the installed.json of a dev install lists them).
 * installed.json: Composer 1 wrote an array of packages, Composer 2 writes
 * {"packages": [...], "dev": bool, "dev-package-names": [...]}; every
 * package there is installed, those named in dev-package-names get the
 * prop composer:dev true.
 *
 * A package is {"name": "vendor/package", "version": "v1.2.3",
 * "license": ["MIT"], "version_normalized": ...}: the name is lowercased
 * (Composer compares names case-insensitively and Packagist stores them in
 * lower case), the version kept as written ("v2.0.1", "dev-main"), the
 * normalised version kept in props (composer:version_normalized). A
 * package without a string name and version is a problem, the rest stay. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"
#include "util/json.h"

#define PHP_NAME_MAX    256u
#define PHP_LICENSE_MAX 4096u
#define PHP_PROPS_MAX   1024u

/* vendor/package: lower-case letters, digits, '_', '.', '-' on each side
 * (Composer's name pattern, case folded). */
static bool valid_name(struct hull_str n)
{
	if (!n.len || n.len > PHP_NAME_MAX)
		return false;
	struct hull_str vendor, pkg;
	if (!hull_str_split(n, '/', &vendor, &pkg) || !vendor.len || !pkg.len)
		return false;
	for (size_t i = 0; i < n.len; i++) {
		char c = n.ptr[i] | (char)((n.ptr[i] >= 'A' && n.ptr[i] <= 'Z') ? 0x20 : 0);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-' || (c == '/' && n.ptr + i == vendor.ptr + vendor.len)))
			return false;
	}
	return true;
}

struct php_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
	struct json_object *dev_names; /* installed.json v2, or NULL */
};

static bool is_dev(const struct php_ctx *c, struct hull_str name)
{
	if (!c->dev_names || !json_object_is_type(c->dev_names, json_type_array))
		return false;
	for (size_t i = 0; i < json_object_array_length(c->dev_names); i++) {
		struct hull_str d = hull_json_str(json_object_array_get_idx(c->dev_names, i));
		if (d.len == name.len && !strncasecmp(d.ptr, name.ptr, d.len))
			return true;
	}
	return false;
}

static int append(struct hull_buf *b, const char *sep, struct hull_str s, struct hull_err *err)
{
	if (b->len && hull_buf_append_str(b, sep, err) < 0)
		return -1;
	return hull_buf_append(b, s.ptr, s.len, err);
}

/* "license": ["MIT", "GPL-2.0-or-later"] or a string. */
static int licenses(struct json_object *pkg, struct hull_buf *b, struct hull_err *err)
{
	struct json_object *l = hull_json_member(pkg, "license");
	if (json_object_is_type(l, json_type_string))
		return append(b, ", ", hull_str_trim(hull_json_str(l)), err);
	if (!json_object_is_type(l, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(l); i++) {
		struct hull_str s = hull_str_trim(hull_json_str(json_object_array_get_idx(l, i)));
		if (s.len && append(b, ", ", s, err) < 0)
			return -1;
	}
	return 0;
}

static int add_package(struct php_ctx *c, struct json_object *pkg, size_t idx, const char *list,
                       struct hull_err *err)
{
	struct hull_str name = hull_json_str(hull_json_member(pkg, "name")),
	                version = hull_json_str(hull_json_member(pkg, "version"));
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!valid_name(name) || !version.len || !hull_pkgdb_printable(version)) {
		hull_pkgdb_problem(&c->probs, "%s: %s[%zu] \"%s\": bad or missing name or version",
		                   c->file, list, idx, hull_pkgdb_quote(name, q));
		return 0;
	}
	char lname[PHP_NAME_MAX + 1];
	for (size_t i = 0; i < name.len; i++)
		lname[i] = (char)((name.ptr[i] >= 'A' && name.ptr[i] <= 'Z') ? name.ptr[i] + 0x20
		                                                             : name.ptr[i]);
	struct hull_buf lic, props;
	hull_buf_init(&lic, PHP_LICENSE_MAX);
	hull_buf_init(&props, PHP_PROPS_MAX);
	struct hull_err e = {0};
	struct hull_str norm = hull_json_str(hull_json_member(pkg, "version_normalized"));
	bool lic_ok = licenses(pkg, &lic, &e) == 0;
	if (e.kind == HULL_ERR_NOMEM)
		goto nomem;
	if (norm.len && hull_pkgdb_printable(norm) &&
	    (hull_buf_append_str(&props, "composer:version_normalized\t", &e) < 0 ||
	     hull_buf_append(&props, norm.ptr, norm.len, &e) < 0 ||
	     hull_buf_append(&props, "\n", 1, &e) < 0)) {
		if (e.kind == HULL_ERR_NOMEM)
			goto nomem;
		hull_buf_reset(&props);
	}
	if (is_dev(c, name) && hull_buf_append_str(&props, "composer:dev\ttrue\n", &e) < 0)
		goto nomem;
	struct hull_str l = hull_buf_str(&lic), p = hull_buf_str(&props);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_COMPOSER,
	    .name = hull_str(lname, name.len),
	    .version = version,
	    .license = lic_ok && l.len && hull_pkgdb_printable(l) ? l : hull_str(NULL, 0),
	    .props = p.len ? p : hull_str(NULL, 0),
	};
	int rc = hull_pkgdb_add(c->inv, &s, c->file, c->layer, err);
	hull_buf_release(&lic);
	hull_buf_release(&props);
	return rc;
nomem:
	hull_buf_release(&lic);
	hull_buf_release(&props);
	return hull_err_nomem(err);
}

static int add_list(struct php_ctx *c, struct json_object *arr, const char *list,
                    struct hull_err *err)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *pkg = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(pkg, json_type_object)) {
			hull_pkgdb_problem(&c->probs, "%s: %s[%zu]: not an object", c->file, list,
			                   i);
			continue;
		}
		if (add_package(c, pkg, i, list, err) < 0)
			return -1;
	}
	return 0;
}

/* installed (true): installed.json, either form; else composer.lock. */
static int parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                 bool installed, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	struct php_ctx c = {.file = file, .layer = layer, .inv = inv};
	struct json_object *pkgs = NULL;
	if (installed && json_object_is_type(root, json_type_array)) {
		pkgs = root; /* Composer 1 */
	} else if (json_object_is_type(root, json_type_object)) {
		pkgs = hull_json_member(root, "packages");
		if (installed)
			c.dev_names = hull_json_member(root, "dev-package-names");
	}
	int rc = 0;
	if (!pkgs || !json_object_is_type(pkgs, json_type_array)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: expected %s", file,
		                  installed ? "an array of packages or {\"packages\": [...]}"
		                            : "{\"packages\": [...]}");
	} else {
		size_t first = inv->npkgs;
		rc = add_list(&c, pkgs, "packages", err);
		if (rc == 0)
			rc = hull_pkgdb_parsed(inv, first, &c.probs, err);
	}
	json_object_put(root);
	return rc;
}

int hull_composer_lock_parse(struct hull_str data, const char *file, int layer,
                             struct hull_inventory *inv, struct hull_err *err)
{
	return parse(data, file, layer, inv, false, err);
}

int hull_composer_installed_parse(struct hull_str data, const char *file, int layer,
                                  struct hull_inventory *inv, struct hull_err *err)
{
	return parse(data, file, layer, inv, true, err);
}
