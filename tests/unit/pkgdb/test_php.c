/* PHP: composer.lock and vendor/composer/installed.json in the forms
 * Composer 1 and 2 write, and their damaged forms. The real installed.json
 * Debian's icingaweb2 ships is checked by tests/integration/vuln/ecosys.py. */
#include "pkgdb_test.h"

struct php_case {
	const char *what, *file, *text;
	int rc;
	const char *want; /* "name version [license] props" lines joined with '|' */
	const char *err;
};

static const struct php_case cases[] = {
    {"installed.json (Composer 2)", "app/vendor/composer/installed.json",
     "{\"packages\": [{\"name\": \"Dompdf/Dompdf\", \"version\": \"v2.0.1\", "
     "\"version_normalized\": \"2.0.1.0\", \"license\": [\"LGPL-2.1\"]},"
     "{\"name\": \"phpunit/phpunit\", \"version\": \"9.6.0\", \"license\": \"BSD-3-Clause\"}],"
     "\"dev\": true, \"dev-package-names\": [\"phpunit/phpunit\"]}",
     0,
     "dompdf/dompdf v2.0.1 [LGPL-2.1] composer:version_normalized=2.0.1.0,|"
     "phpunit/phpunit 9.6.0 [BSD-3-Clause] composer:dev=true,",
     NULL},
    {"installed.json (Composer 1 array)", "vendor/composer/installed.json",
     "[{\"name\": \"psr/log\", \"version\": \"1.1.4\", \"license\": [\"MIT\", \"X\"]}]", 0,
     "psr/log 1.1.4 [MIT, X] -", NULL},
    {"composer.lock: packages, not packages-dev", "srv/composer.lock",
     "{\"_readme\": [], \"packages\": [{\"name\": \"symfony/console\", \"version\": "
     "\"v5.4.0\"}, {\"name\": \"symfony/console\", \"version\": \"v5.4.0\"}],"
     "\"packages-dev\": [{\"name\": \"phpunit/phpunit\", \"version\": \"9.6.0\"}]}",
     0, "symfony/console v5.4.0 - -", NULL},
    {"composer.lock: a bad entry is skipped", "composer.lock",
     "{\"packages\": [{\"name\": \"noslash\", \"version\": \"1\"}, 3, "
     "{\"name\": \"a/b\", \"version\": \"1.0\"}, {\"name\": \"c/d\"}]}",
     -1, "a/b 1.0 - -", "composer.lock: packages[0] \"noslash\": bad or missing name"},
    {"composer.lock: not an object", "composer.lock", "[1, 2]", -1, "",
     "composer.lock: expected {\"packages\": [...]}"},
    {"installed.json: not JSON", "vendor/composer/installed.json", "{\"packages\": [", -1, "",
     "vendor/composer/installed.json"},
};

static void props_flat(const char *p, char *out, size_t cap)
{
	size_t o = 0;
	for (; p && *p && o + 1 < cap; p++)
		out[o++] = *p == '\n' ? ',' : *p == '\t' ? '=' : *p;
	out[o] = '\0';
}

static void run_case(const struct php_case *c)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	bool lock = strstr(c->file, "composer.lock") != NULL;
	int rc = str_parse(lock ? hull_composer_lock_parse : hull_composer_installed_parse, c->text,
	                   c->file, &inv, &err);
	hull_inventory_sort(&inv);
	char got[4096] = "";
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		char props[1024], lic[256];
		props_flat(p->props, props, sizeof(props));
		snprintf(lic, sizeof(lic), "[%s]", p->license ? p->license : "");
		size_t o = strlen(got);
		snprintf(got + o, sizeof(got) - o, "%s%s %s %s %s", i ? "|" : "", p->name,
		         p->version, p->license ? lic : "-", props[0] ? props : "-");
		TAP_OK(p->type == HULL_PKG_COMPOSER && !strcmp(p->file, c->file),
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
