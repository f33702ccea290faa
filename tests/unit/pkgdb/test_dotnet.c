/* .NET: packages.lock.json (versions 1 and 2, several target frameworks,
 * project references) and *.deps.json (package, project and reference
 * libraries) in the forms the .NET SDK writes, and their damaged forms. */
#include "pkgdb_test.h"

struct dotnet_case {
	const char *what, *file, *text;
	int rc;
	const char *want; /* "name version" joined with '|' */
	const char *err;
};

static const char lock[] =
    "{\n  \"version\": 1,\n  \"dependencies\": {\n"
    "    \"net6.0\": {\n"
    "      \"Newtonsoft.Json\": {\"type\": \"Direct\", \"requested\": \"[12.0.3, )\", "
    "\"resolved\": \"12.0.3\", \"contentHash\": "
    "\"6mgjfnRB4jKMlzHSl+VD+oUc1IebOZabkbyWj2RiTgWwYPPuaK1H97G1sHqGwPlS5npiF5Q0OrxN1wni2n5QWg==\"},"
    "\n"
    "      \"System.Text.Json\": {\"type\": \"Transitive\", \"resolved\": \"6.0.0\"},\n"
    "      \"MyLib\": {\"type\": \"Project\", \"dependencies\": {}}\n"
    "    },\n"
    "    \"net6.0/linux-x64\": {\n"
    "      \"Newtonsoft.Json\": {\"type\": \"Direct\", \"resolved\": \"12.0.3\"},\n"
    "      \"runtime.native.System\": {\"type\": \"CentralTransitive\", \"resolved\": \"4.3.0\"}\n"
    "    }\n  }\n}\n";

static const char deps[] =
    "{\n  \"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v6.0\", \"signature\": \"\"},\n"
    "  \"compilationOptions\": {},\n"
    "  \"targets\": {\".NETCoreApp,Version=v6.0\": {\"App/1.0.0\": {\"dependencies\": "
    "{\"Newtonsoft.Json\": \"12.0.3\"}}}},\n"
    "  \"libraries\": {\n"
    "    \"App/1.0.0\": {\"type\": \"project\", \"serviceable\": false, \"sha512\": \"\"},\n"
    "    \"Newtonsoft.Json/12.0.3\": {\"type\": \"package\", \"serviceable\": true, "
    "\"sha512\": \"sha512-x\", \"path\": \"newtonsoft.json/12.0.3\", "
    "\"hashPath\": \"newtonsoft.json.12.0.3.nupkg.sha512\"},\n"
    "    \"Microsoft.Extensions.Logging/6.0.0-preview.7.21377.19\": {\"type\": \"package\"},\n"
    "    \"System.Private.CoreLib/6.0.0.0\": {\"type\": \"reference\"}\n"
    "  }\n}\n";

/* A self-contained deployment (dotnet publish --self-contained): the
 * runtime is a library of type "runtimepack" named with the SDK's
 * "runtimepack." prefix; an analyzer package has no runtime, native or
 * runtimeTargets asset in the runtime target (compile time only, never
 * deployed); a native-only package has runtimeTargets. */
static const char deps_self_contained[] =
    "{\"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v8.0/linux-x64\"},\n"
    " \"targets\": {\".NETCoreApp,Version=v8.0\": {},\n"
    "  \".NETCoreApp,Version=v8.0/linux-x64\": {\n"
    "   \"App/1.0.0\": {\"dependencies\": {\"Serilog\": \"3.1.1\", "
    "\"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64\": \"8.0.0\"}, \"runtime\": "
    "{\"App.dll\": {}}},\n"
    "   \"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0\": {\"runtime\": "
    "{\"System.Private.CoreLib.dll\": {\"assemblyVersion\": \"8.0.0.0\"}}, \"native\": "
    "{\"libclrjit.so\": {}}},\n"
    "   \"Serilog/3.1.1\": {\"runtime\": {\"lib/net7.0/Serilog.dll\": {}}},\n"
    "   \"StyleCop.Analyzers/1.1.118\": {},\n"
    "   \"SQLitePCLRaw.lib.e_sqlite3/2.1.6\": {\"runtimeTargets\": "
    "{\"runtimes/linux-x64/native/libe_sqlite3.so\": {\"rid\": \"linux-x64\"}}}\n"
    "  }},\n"
    " \"libraries\": {\"App/1.0.0\": {\"type\": \"project\"},\n"
    "  \"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0\": {\"type\": "
    "\"runtimepack\"},\n"
    "  \"Serilog/3.1.1\": {\"type\": \"package\"},\n"
    "  \"StyleCop.Analyzers/1.1.118\": {\"type\": \"package\"},\n"
    "  \"SQLitePCLRaw.lib.e_sqlite3/2.1.6\": {\"type\": \"Package\"}}}\n";

static const struct dotnet_case cases[] = {
    {"deps.json: self-contained: the runtime pack, not compile-only packages", "app/App.deps.json",
     deps_self_contained, 0,
     "Microsoft.NETCore.App.Runtime.linux-x64 8.0.0|SQLitePCLRaw.lib.e_sqlite3 2.1.6|"
     "Serilog 3.1.1",
     NULL},
    {"packages.lock.json: frameworks, not projects", "src/App/packages.lock.json", lock, 0,
     "Newtonsoft.Json 12.0.3|System.Text.Json 6.0.0|runtime.native.System 4.3.0", NULL},
    {"deps.json: packages only", "app/App.deps.json", deps, 0,
     "Microsoft.Extensions.Logging 6.0.0-preview.7.21377.19|Newtonsoft.Json 12.0.3", NULL},
    {"deps.json: a bad key is skipped", "app/App.deps.json",
     "{\"libraries\": {\"NoVersion\": {\"type\": \"package\"}, \"A/1.0\": {\"type\": "
     "\"package\"}}}",
     -1, "A 1.0", "app/App.deps.json: libraries[\"NoVersion\"]: expected \"Id/version\""},
    {"lock: a bad entry is skipped", "packages.lock.json",
     "{\"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\"}, \"B\": {\"resolved\": "
     "\"2.0\"}}, \"x\": 3}}",
     -1, "B 2.0", "packages.lock.json: dependencies[\"net8.0\"][\"A\"]: bad id"},
    {"lock: no dependencies", "packages.lock.json", "{\"version\": 2}", -1, "",
     "expected {\"dependencies\""},
    {"deps.json: not an object", "a.deps.json", "[]", -1, "", "a.deps.json: not a JSON object"},
};

static void run_case(const struct dotnet_case *c)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	bool lockfile = strstr(c->file, "packages.lock.json") != NULL;
	int rc = str_parse(lockfile ? hull_nuget_lock_parse : hull_dotnet_deps_parse, c->text,
	                   c->file, &inv, &err);
	hull_inventory_sort(&inv);
	char got[4096] = "";
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		size_t o = strlen(got);
		snprintf(got + o, sizeof(got) - o, "%s%s %s", i ? "|" : "", p->name, p->version);
		TAP_OK(p->type == HULL_PKG_NUGET && !strcmp(p->file, c->file),
		       "%s: type and file of %s", c->what, p->name);
	}
	TAP_OK(rc == c->rc && !strcmp(got, c->want), "%s: rc %d, packages [%s]", c->what, rc, got);
	if (strcmp(got, c->want))
		printf("# want [%s]\n", c->want);
	if (c->err)
		TAP_OK(strstr(err.msg, c->err) != NULL, "%s: error '%s'", c->what, err.msg);
	hull_inventory_release(&inv);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	return tap_done();
}
