/* JavaScript lockfiles other than npm's: yarn.lock (classic v1 and berry)
 * and pnpm-lock.yaml (v5, v6, v9). Packages are type npm.
 *
 * yarn classic: its own format. An entry starts on an unindented line
 * "spec, spec:" (specs quoted or bare, "name@range"), its fields follow
 * indented two spaces ("  version \"1.2.3\""). The name is what precedes
 * the '@' after the first byte of the first spec; an alias
 * ("alias@npm:real@^1") lists the real package.
 *
 * yarn berry: YAML with a top-level "__metadata"; each other key is an
 * entry whose "resolution" is "name@protocol:reference". npm: entries (and
 * patch: entries over npm ones) are packages, at their "version";
 * workspace:, link:, portal: and file: entries are the project's own.
 *
 * pnpm: YAML "packages" keys: "/name/1.2.3_peer@1" (lockfile 5.x),
 * "/name@1.2.3(peer@1)" (6.x), "name@1.2.3" (9.x, peers in "snapshots").
 * An entry's "name" and "version" fields (tarball and git dependencies)
 * win over the key; from 6.x a tarball or file: key ("name@https://...")
 * names the package, the "version" field its version. A key naming no
 * version (a git URL or a directory without those fields) is not a
 * package.
 *
 * Each name@version is listed once per file. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/json.h"
#include "util/yaml.h"

#define JS_NAME_MAX    214u
#define YARN_MAX_SPECS 100000u

/* A name as npm accepts it, loosely: "@scope/name" or "name", printable,
 * no blanks, no '@' past the scope. */
static bool ok_name(struct hull_str n)
{
	if (!n.len || n.len > JS_NAME_MAX || !hull_pkgdb_printable(n))
		return false;
	for (size_t i = 0; i < n.len; i++)
		if (n.ptr[i] == ' ' || n.ptr[i] == '"' || (n.ptr[i] == '@' && i > 0))
			return false;
	if (n.ptr[0] == '@')
		return hull_str_index(n, '/') > 1 && n.ptr[n.len - 1] != '/';
	return true;
}

static bool ok_version(struct hull_str v)
{
	if (!v.len || v.len > 256 || !hull_pkgdb_printable(v))
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ')
			return false;
	return true;
}

/* "name@rest": the '@' after the first byte. */
static bool split_at(struct hull_str spec, struct hull_str *name, struct hull_str *rest)
{
	if (spec.len < 2)
		return false;
	const char *at = memchr(spec.ptr + 1, '@', spec.len - 1);
	if (!at)
		return false;
	*name = hull_str(spec.ptr, (size_t)(at - spec.ptr));
	*rest = hull_str(at + 1, spec.len - (size_t)(at + 1 - spec.ptr));
	return true;
}

static int add_js(struct hull_inventory *inv, struct hull_str name, struct hull_str version,
                  const char *file, int layer, struct hull_err *err)
{
	struct hull_pkg_slices s = {.type = HULL_PKG_NPM, .name = name, .version = version};
	return hull_pkgdb_add(inv, &s, file, layer, err);
}

/* ---- yarn classic ---- */

/* The first spec of an entry line, unquoted. */
static struct hull_str first_spec(struct hull_str line)
{
	if (line.len && line.ptr[0] == '"') {
		const char *q = memchr(line.ptr + 1, '"', line.len - 1);
		return q ? hull_str(line.ptr + 1, (size_t)(q - line.ptr - 1)) : hull_str(NULL, 0);
	}
	size_t n = 0;
	while (n < line.len && line.ptr[n] != ',' && line.ptr[n] != ':')
		n++;
	/* "name@npm:x" bare: the ':' of the protocol is not the end */
	if (n < line.len && line.ptr[n] == ':' && n + 1 < line.len && line.ptr[n + 1] != ' ') {
		n = 0;
		while (n < line.len && line.ptr[n] != ',')
			n++;
		if (n == line.len && n && line.ptr[n - 1] == ':')
			n--;
	}
	return hull_str_trim(hull_str(line.ptr, n));
}

/* The package a spec resolves to: an alias "a@npm:b@^1" names b. */
static bool spec_name(struct hull_str spec, struct hull_str *name)
{
	struct hull_str range;
	if (!split_at(spec, name, &range))
		return false;
	if (hull_str_has_prefix(range, "npm:")) {
		struct hull_str real = hull_str(range.ptr + 4, range.len - 4), r2;
		if (split_at(real, &real, &r2))
			*name = real;
	}
	return true;
}

/* "  version \"1.2.3\"" or "  version 1.2.3": the value. */
static bool yarn_field(struct hull_str line, const char *key, struct hull_str *val)
{
	size_t k = strlen(key);
	if (line.len < 2 + k + 2 || memcmp(line.ptr, "  ", 2) != 0 || line.ptr[2] == ' ')
		return false;
	/* the field name is a bare word or, as yarn's parser also reads it, a
	 * quoted string */
	size_t q = line.ptr[2] == '"' ? 1 : 0;
	if (line.len < 2 + q + k + q + 2 || memcmp(line.ptr + 2 + q, key, k) != 0 ||
	    (q && line.ptr[2 + q + k] != '"') || line.ptr[2 + 2 * q + k] != ' ')
		return false;
	size_t at = 3 + 2 * q + k;
	struct hull_str v = hull_str_trim(hull_str(line.ptr + at, line.len - at));
	if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
		v = hull_str(v.ptr + 1, v.len - 2);
	*val = v;
	return true;
}

struct yarn_entry {
	struct hull_str name;
	unsigned line;
	bool open, have_version;
};

static int yarn_close(struct yarn_entry *e, const char *file, int layer, struct hull_inventory *inv,
                      struct hull_pkgdb_problems *probs, struct hull_str version,
                      struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	e->open = false;
	if (!ok_version(version)) {
		hull_pkgdb_problem(probs, "%s: line %u: %s: bad version \"%s\"", file, e->line,
		                   hull_pkgdb_quote(e->name, q), hull_pkgdb_quote(version, q));
		return 0;
	}
	return add_js(inv, e->name, version, file, layer, err);
}

static int yarn_v1_parse(struct hull_str data, const char *file, int layer,
                         struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	struct hull_str rest = data, line;
	struct yarn_entry e = {0};
	unsigned lineno = 0, entries = 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		if (!line.len || line.ptr[0] == '#')
			continue;
		if (line.ptr[0] != ' ') {
			if (e.open)
				hull_pkgdb_problem(&probs, "%s: line %u: %s: no version", file,
				                   e.line, hull_pkgdb_quote(e.name, q));
			e.open = false;
			if (line.ptr[line.len - 1] != ':') {
				hull_pkgdb_problem(&probs, "%s: line %u: expected \"name@range:\"",
				                   file, lineno);
				continue;
			}
			if (++entries > YARN_MAX_SPECS)
				return hull_err_set(err, HULL_ERR_LIMIT,
				                    "%s: line %u: more than %u entries", file,
				                    lineno, YARN_MAX_SPECS);
			struct hull_str spec = first_spec(line), name;
			if (!spec_name(spec, &name) || !ok_name(name)) {
				hull_pkgdb_problem(&probs, "%s: line %u: bad entry \"%s\"", file,
				                   lineno, hull_pkgdb_quote(spec, q));
				continue;
			}
			e = (struct yarn_entry){.name = name, .line = lineno, .open = true};
			continue;
		}
		struct hull_str v;
		if (e.open && yarn_field(line, "version", &v) &&
		    yarn_close(&e, file, layer, inv, &probs, v, err) < 0)
			return -1;
	}
	if (e.open)
		hull_pkgdb_problem(&probs, "%s: line %u: %s: no version", file, e.line,
		                   hull_pkgdb_quote(e.name, q));
	return hull_pkgdb_problems_finish(&probs, err);
}

/* ---- yarn berry ---- */

static int berry_entry(const char *key, struct json_object *val, const char *file, int layer,
                       struct hull_inventory *inv, struct hull_pkgdb_problems *probs,
                       struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!strcmp(key, "__metadata") || !json_object_is_type(val, json_type_object))
		return 0;
	struct hull_str res = hull_json_str(hull_json_member(val, "resolution")), name, ref;
	if (!split_at(res, &name, &ref) || !ok_name(name)) {
		hull_pkgdb_problem(probs, "%s: \"%s\": no resolution \"name@protocol:reference\"",
		                   file, hull_pkgdb_quote(hull_str_c(key), q));
		return 0;
	}
	/* the project's own packages: workspaces, links, portals, folders */
	if (hull_str_has_prefix(ref, "workspace:") || hull_str_has_prefix(ref, "link:") ||
	    hull_str_has_prefix(ref, "portal:") || hull_str_has_prefix(ref, "file:"))
		return 0;
	struct hull_str version = hull_json_str(hull_json_member(val, "version"));
	if (!ok_version(version)) {
		hull_pkgdb_problem(probs, "%s: \"%s\": bad version", file,
		                   hull_pkgdb_quote(hull_str_c(key), q));
		return 0;
	}
	return add_js(inv, name, version, file, layer, err);
}

static int yarn_berry_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	if (hull_yaml_parse(data.ptr, data.len, file, &y, err) < 0)
		return -1;
	struct json_object *root = hull_yaml_ndocs(y) ? hull_yaml_doc(y, 0) : NULL;
	int rc = 0;
	struct hull_pkgdb_problems probs = {0};
	if (!root || !json_object_is_type(root, json_type_object)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: not a YAML mapping", file);
		goto out;
	}
	json_object_object_foreach(root, key, val)
	{
		if ((rc = berry_entry(key, val, file, layer, inv, &probs, err)) < 0)
			goto out;
	}
	rc = hull_pkgdb_problems_finish(&probs, err);
out:
	hull_yaml_free(y);
	return rc;
}

/* Berry writes "__metadata:" as the first key; classic never has it. */
static bool is_berry(struct hull_str data)
{
	struct hull_str rest = data, line;
	while (hull_str_next_line(&rest, &line)) {
		if (!line.len || line.ptr[0] == '#')
			continue;
		return hull_str_has_prefix(line, "__metadata:");
	}
	return false;
}

int hull_yarn_lock_parse(struct hull_str data, const char *file, int layer,
                         struct hull_inventory *inv, struct hull_err *err)
{
	size_t first = inv->npkgs;
	int rc = is_berry(data) ? yarn_berry_parse(data, file, layer, inv, err)
	                        : yarn_v1_parse(data, file, layer, inv, err);
	if (!(rc < 0 && err->kind == HULL_ERR_NOMEM))
		hull_pkgdb_dedup(inv, first);
	return rc;
}

/* ---- pnpm ---- */

/* A version read from a key: it starts with a digit (a registry version),
 * and ends before the peer suffix ("_peer@1" in 5.x, "(peer@1)" later). */
static struct hull_str key_version(struct hull_str v)
{
	size_t n = 0;
	while (n < v.len && v.ptr[n] != '(' && v.ptr[n] != '_')
		n++;
	v.len = n;
	if (!v.len || v.ptr[0] < '0' || v.ptr[0] > '9')
		return hull_str(NULL, 0);
	return v;
}

/* "/name/1.2.3_peer" (5.x): the name is one path segment, two when scoped. */
static bool pnpm_key_v5(struct hull_str k, struct hull_str *name, struct hull_str *version)
{
	size_t segs = k.len && k.ptr[0] == '@' ? 2 : 1, i = 0;
	for (size_t s = 0; s < segs; s++) {
		while (i < k.len && k.ptr[i] != '/')
			i++;
		if (i == k.len)
			return false;
		if (s + 1 < segs)
			i++;
	}
	*name = hull_str(k.ptr, i);
	*version = key_version(hull_str(k.ptr + i + 1, k.len - i - 1));
	return version->ptr != NULL;
}

/* "/name@1.2.3(peer)" (6.x) and "name@1.2.3" (9.x). */
static bool pnpm_key_v6(struct hull_str k, struct hull_str *name, struct hull_str *version)
{
	struct hull_str rest;
	if (!split_at(k, name, &rest))
		return false;
	*version = key_version(rest);
	return version->ptr != NULL;
}

static int pnpm_entry(const char *key, struct json_object *val, bool v5, const char *file,
                      int layer, struct hull_inventory *inv, struct hull_pkgdb_problems *probs,
                      struct hull_err *err)
{
	struct hull_str k = hull_str_c(key), name = {0}, version = {0};
	if (k.len && k.ptr[0] == '/')
		k = hull_str(k.ptr + 1, k.len - 1);
	bool from_key = v5 ? pnpm_key_v5(k, &name, &version) : pnpm_key_v6(k, &name, &version);
	struct hull_str fname = hull_json_str(hull_json_member(val, "name")),
	                fversion = hull_json_str(hull_json_member(val, "version"));
	if (fname.len)
		name = fname;
	if (fversion.len)
		version = fversion;
	/* a git or tarball key: from 6.x on the key still starts with the
	 * name ("name@https://...", "name@file:x.tgz") and the entry gives the
	 * version; in 5.x the key is a path, and only the fields say */
	if (!from_key && !(fname.len && fversion.len) && (v5 || !name.len || !fversion.len))
		return 0; /* without a name and a version: not a package */
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!ok_name(name) || !ok_version(version)) {
		hull_pkgdb_problem(probs, "%s: packages[\"%s\"]: bad name or version", file,
		                   hull_pkgdb_quote(hull_str_c(key), q));
		return 0;
	}
	return add_js(inv, name, version, file, layer, err);
}

/* pnpm 11 writes the env lockfile (its own packages and config
 * dependencies) as a first YAML document of pnpm-lock.yaml: its importers
 * have configDependencies or packageManagerDependencies. They are the
 * package manager's, not the project's, and are not listed. */
static bool pnpm_env_doc(struct json_object *doc)
{
	struct json_object *imp = hull_json_member(doc, "importers");
	if (!json_object_is_type(imp, json_type_object))
		return false;
	json_object_object_foreach(imp, path, importer)
	{
		(void)path;
		if (hull_json_member(importer, "configDependencies") ||
		    hull_json_member(importer, "packageManagerDependencies"))
			return true;
	}
	return false;
}

/* lockfileVersion 5.x is a number (5.3, 5.4) or, rarely, a string. */
static bool pnpm_v5(struct json_object *doc)
{
	struct json_object *v = hull_json_member(doc, "lockfileVersion");
	if (v &&
	    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return json_object_get_double(v) < 6.0;
	struct hull_str s = hull_json_str(v);
	return s.len && s.ptr[0] == '5';
}

int hull_pnpm_lock_parse(struct hull_str data, const char *file, int layer,
                         struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	if (hull_yaml_parse(data.ptr, data.len, file, &y, err) < 0)
		return -1;
	size_t first = inv->npkgs;
	struct hull_pkgdb_problems probs = {0};
	int rc = 0;
	bool any = false;
	for (size_t d = 0; d < hull_yaml_ndocs(y); d++) {
		struct json_object *doc = hull_yaml_doc(y, d);
		if (!hull_json_member(doc, "lockfileVersion"))
			continue;
		any = true;
		if (pnpm_env_doc(doc))
			continue;
		bool v5 = pnpm_v5(doc);
		struct json_object *pkgs = hull_json_member(doc, "packages");
		if (!pkgs || !json_object_is_type(pkgs, json_type_object))
			continue;
		json_object_object_foreach(pkgs, key, val)
		{
			if ((rc = pnpm_entry(key, val, v5, file, layer, inv, &probs, err)) < 0)
				goto out;
		}
	}
	if (!any)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: no lockfileVersion: not a pnpm lockfile", file);
	else
		rc = hull_pkgdb_problems_finish(&probs, err);
	hull_pkgdb_dedup(inv, first);
out:
	hull_yaml_free(y);
	return rc;
}
