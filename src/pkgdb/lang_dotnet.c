/* dotnet: NuGet's packages.lock.json and the .NET runtime's *.deps.json.
 *
 * packages.lock.json (version 1 and 2): {"dependencies": {"<target
 * framework>": {"<Package.Id>": {"type": "Direct" | "Transitive" |
 * "CentralTransitive" | "Project", "resolved": "13.0.1", ...}}}}; every
 * entry but "Project" (a project reference, not a package) is a package at
 * its "resolved" version, listed once across frameworks.
 *
 * *.deps.json, written by the SDK next to a built application:
 * {"libraries": {"<Id>/<version>": {"type": "package" | "project" |
 * "reference" | "runtimepack" | ..., ...}}}; libraries of type "package"
 * came from NuGet (the application itself is "project"); "runtimepack" is
 * the .NET runtime a self-contained application carries, keyed
 * "runtimepack.<Id>/<version>": it is listed as <Id> (the name NuGet and
 * the advisories give it, Microsoft.NETCore.App.Runtime.<rid>). A library
 * that the runtime target ("runtimeTarget": {"name"} in "targets") lists
 * without any runtime, native or runtimeTargets asset was used at compile
 * time only (analyzers, reference packages) and was not deployed: it is
 * left out, as Trivy does; one the target does not list is kept.
 *
 * Package ids keep their case (NuGet ids are case-insensitive: the
 * database keys NuGet names in lower case); type nuget, purl pkg:nuget. */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/json.h"

#define NUGET_ID_MAX 100u /* nuget.org's limit on a package id */

/* NuGet's id rule: letters, digits, '.', '-', '_', starting with a letter,
 * digit or '_'. */
static bool valid_id(struct hull_str id)
{
	if (!id.len || id.len > NUGET_ID_MAX || id.ptr[0] == '.' || id.ptr[0] == '-')
		return false;
	for (size_t i = 0; i < id.len; i++) {
		char c = id.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static bool valid_version(struct hull_str v)
{
	if (!v.len || !hull_pkgdb_printable(v))
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == ' ' || v.ptr[i] == '/')
			return false;
	return true;
}

static int add(struct hull_inventory *inv, struct hull_str id, struct hull_str version,
               const char *file, int layer, struct hull_err *err)
{
	struct hull_pkg_slices s = {.type = HULL_PKG_NUGET, .name = id, .version = version};
	return hull_pkgdb_add(inv, &s, file, layer, err);
}

int hull_nuget_lock_parse(struct hull_str data, const char *file, int layer,
                          struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse_object(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	struct json_object *deps = hull_json_member(root, "dependencies");
	struct hull_pkgdb_problems probs = {0};
	size_t first = inv->npkgs;
	int rc = 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4], q2[HULL_PKGDB_QUOTE_MAX + 4];
	if (!json_object_is_type(deps, json_type_object)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: expected {\"dependencies\": {...}}",
		                  file);
		goto out;
	}
	json_object_object_foreach(deps, tfm, pkgs)
	{
		if (!json_object_is_type(pkgs, json_type_object)) {
			hull_pkgdb_problem(&probs, "%s: dependencies[\"%s\"]: not an object", file,
			                   hull_pkgdb_quote(hull_str_c(tfm), q));
			continue;
		}
		json_object_object_foreach(pkgs, id, entry)
		{
			struct hull_str type = hull_json_str(hull_json_member(entry, "type"));
			if (hull_str_eq_nocase(type, "Project"))
				continue;
			struct hull_str i = hull_str_c(id),
			                v = hull_json_str(hull_json_member(entry, "resolved"));
			if (!valid_id(i) || !valid_version(v)) {
				hull_pkgdb_problem(&probs,
				                   "%s: dependencies[\"%s\"][\"%s\"]: bad id or "
				                   "resolved version",
				                   file, hull_pkgdb_quote(hull_str_c(tfm), q),
				                   hull_pkgdb_quote(i, q2));
				continue;
			}
			if ((rc = add(inv, i, v, file, layer, err)) < 0)
				goto out;
		}
	}
	rc = hull_pkgdb_parsed(inv, first, &probs, err);
out:
	json_object_put(root);
	return rc;
}

#define RUNTIMEPACK_PREFIX "runtimepack."

/* targets[runtimeTarget.name], or NULL. */
static struct json_object *runtime_target(struct json_object *root)
{
	const char *name = hull_json_get_str(hull_json_get_obj(root, "runtimeTarget"), "name");
	return name ? hull_json_get_obj(hull_json_get_obj(root, "targets"), name) : NULL;
}

static bool has_assets(struct json_object *o)
{
	return (json_object_is_type(o, json_type_object) && json_object_object_length(o) > 0) ||
	       (json_object_is_type(o, json_type_array) && json_object_array_length(o) > 0);
}

/* Listed by the runtime target without an asset to deploy. */
static bool compile_only(struct json_object *target, const char *key)
{
	struct json_object *lib = target ? hull_json_member(target, key) : NULL;
	if (!lib)
		return false;
	return !has_assets(hull_json_member(lib, "runtime")) &&
	       !has_assets(hull_json_member(lib, "runtimeTargets")) &&
	       !has_assets(hull_json_member(lib, "native"));
}

int hull_dotnet_deps_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse_object(data.ptr, data.len, file, &root, err) < 0)
		return -1;
	struct json_object *libs = hull_json_member(root, "libraries");
	struct hull_pkgdb_problems probs = {0};
	size_t first = inv->npkgs;
	int rc = 0;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!json_object_is_type(libs, json_type_object)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: expected {\"libraries\": {...}}", file);
		goto out;
	}
	struct json_object *target = runtime_target(root);
	json_object_object_foreach(libs, key, lib)
	{
		struct hull_str type = hull_json_str(hull_json_member(lib, "type"));
		bool pack = hull_str_eq_nocase(type, "runtimepack");
		if ((!pack && !hull_str_eq_nocase(type, "package")) || compile_only(target, key))
			continue;
		struct hull_str id, v;
		bool split = hull_str_split(hull_str_c(key), '/', &id, &v);
		if (split && pack && hull_str_has_prefix(id, RUNTIMEPACK_PREFIX)) {
			id.ptr += strlen(RUNTIMEPACK_PREFIX);
			id.len -= strlen(RUNTIMEPACK_PREFIX);
		}
		if (!split || !valid_id(id) || !valid_version(v)) {
			hull_pkgdb_problem(&probs, "%s: libraries[\"%s\"]: expected \"Id/version\"",
			                   file, hull_pkgdb_quote(hull_str_c(key), q));
			continue;
		}
		if ((rc = add(inv, id, v, file, layer, err)) < 0)
			goto out;
	}
	rc = hull_pkgdb_parsed(inv, first, &probs, err);
out:
	json_object_put(root);
	return rc;
}
