/* Ruby: gem specifications as RubyGems writes them (old and new to_ruby
 * forms) and Gemfile.lock as Bundler writes it (GEM, GIT, PATH, platforms,
 * CHECKSUMS), and the damaged forms of both. Real Debian gemspecs are
 * checked by tests/integration/vuln/ecosys.py. */
#include "pkgdb_test.h"

struct ruby_case {
	const char *what, *file, *text;
	int rc;
	/* the packages as "name version arch license props" lines, sorted,
	 * joined with '|'; props with ',' for '\n' and ':' kept */
	const char *want;
	const char *err; /* a substring of the error, or NULL */
};

static const char gemspec_new[] =
    "# -*- encoding: utf-8 -*-\n"
    "# stub: nokogiri 1.13.10 x86_64-linux lib\n"
    "\n"
    "Gem::Specification.new do |s|\n"
    "  s.name = \"nokogiri\".freeze\n"
    "  s.version = \"1.13.10\"\n"
    "  s.platform = \"x86_64-linux\".freeze\n"
    "\n"
    "  s.required_rubygems_version = Gem::Requirement.new(\">= 0\".freeze) if "
    "s.respond_to? :required_rubygems_version=\n"
    "  s.licenses = [\"MIT\".freeze, \"Ruby\".freeze]\n"
    "  s.add_runtime_dependency(%q<racc>.freeze, [\"~> 1.4\"])\n"
    "end\n";

static const char gemspec_old[] = "# -*- encoding: utf-8 -*-\n"
                                  "\n"
                                  "Gem::Specification.new do |s|\n"
                                  "  s.name = %q{rack}\n"
                                  "  s.version = \"1.1.0\"\n"
                                  "  s.license = %q{MIT}\n"
                                  "  s.summary = %q{a name = \"x\"}\n"
                                  "end\n";

static const char lock[] = "GIT\n"
                           "  remote: https://github.com/rails/rails.git\n"
                           "  revision: 0123456789abcdef0123456789abcdef01234567\n"
                           "  branch: main\n"
                           "  specs:\n"
                           "    actionpack (7.1.0.alpha)\n"
                           "      rack (>= 2.2.4)\n"
                           "\n"
                           "PATH\n"
                           "  remote: .\n"
                           "  specs:\n"
                           "    myapp (0.1.0)\n"
                           "      rack\n"
                           "\n"
                           "GEM\n"
                           "  remote: https://rubygems.org/\n"
                           "  specs:\n"
                           "    nokogiri (1.13.10-x86_64-linux)\n"
                           "      racc (~> 1.4)\n"
                           "    nokogiri (1.13.10-arm64-darwin)\n"
                           "      racc (~> 1.4)\n"
                           "    racc (1.6.2)\n"
                           "    rack (2.2.4)\n"
                           "\n"
                           "PLATFORMS\n"
                           "  arm64-darwin\n"
                           "  x86_64-linux\n"
                           "\n"
                           "DEPENDENCIES\n"
                           "  actionpack!\n"
                           "  myapp!\n"
                           "  nokogiri\n"
                           "\n"
                           "CHECKSUMS\n"
                           "  rack (2.2.4) sha256=0123\n"
                           "\n"
                           "RUBY VERSION\n"
                           "   ruby 3.2.2p53\n"
                           "\n"
                           "BUNDLED WITH\n"
                           "   2.4.10\n";

static const struct ruby_case cases[] = {
    {"gemspec (to_ruby, RubyGems 3)", "var/lib/gems/3.1.0/specifications/nokogiri-1.13.10.gemspec",
     gemspec_new, 0, "nokogiri 1.13.10 x86_64-linux [MIT, Ruby] -", NULL},
    {"gemspec (RubyGems 1.x %q{})", "usr/lib/ruby/gems/1.8/specifications/rack-1.1.0.gemspec",
     gemspec_old, 0, "rack 1.1.0 - [MIT] -", NULL},
    {"gemspec without a literal version", "x/specifications/a-1.gemspec",
     "Gem::Specification.new do |s|\n  s.name = \"a\"\n  s.version = A::VERSION\nend\n", -1, "",
     "no literal s.version"},
    {"gemspec with an interpolated name", "x/specifications/a-1.gemspec",
     "  s.name = \"a#{x}\"\n  s.version = \"1\"\n", -1, "", "no literal s.name"},
    {"gemspec with a bad name", "x/specifications/a-1.gemspec",
     "  s.name = \"a b\"\n  s.version = \"1\"\n", -1, "", "bad gem name"},
    {"not a gemspec", "x/specifications/a-1.gemspec", "\x01\x02\xff", -1, "", "no literal s.name"},
    {"Gemfile.lock: GEM, GIT, PATH, platforms", "app/Gemfile.lock", lock, 0,
     "actionpack 7.1.0.alpha - - "
     "gem:source=git,gem:remote=https://github.com/rails/rails.git,"
     "gem:revision=0123456789abcdef0123456789abcdef01234567,|"
     "myapp 0.1.0 - - gem:source=path,gem:remote=.,|"
     "nokogiri 1.13.10 * - gem:source=rubygems,gem:remote=https://rubygems.org/,|"
     "racc 1.6.2 - - gem:source=rubygems,gem:remote=https://rubygems.org/,|"
     "rack 2.2.4 - - gem:source=rubygems,gem:remote=https://rubygems.org/,",
     NULL},
    {"Gemfile.lock: a damaged spec line is skipped", "Gemfile.lock",
     "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.4\n    a (1.0)\n"
     "    b c (1.0)\n",
     -1, "a 1.0 - - gem:source=rubygems,gem:remote=https://rubygems.org/,",
     "Gemfile.lock: line 4: expected \"name (version)\""},
    {"Gemfile.lock: an empty file", "Gemfile.lock", "", 0, "", NULL},
    {"Gemfile.lock: specs outside a source section", "Gemfile.lock",
     "DEPENDENCIES\n  specs:\n    rack (1.0)\n", 0, "", NULL},
};

static void props_flat(const char *p, char *out, size_t cap)
{
	size_t o = 0;
	for (; p && *p && o + 1 < cap; p++)
		out[o++] = *p == '\n' ? ',' : *p == '\t' ? '=' : *p;
	out[o] = '\0';
}

static void run_case(const struct ruby_case *c)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	bool lockfile = strstr(c->file, "Gemfile.lock") != NULL;
	int rc = str_parse(lockfile ? hull_gemfile_lock_parse : hull_gemspec_parse, c->text,
	                   c->file, &inv, &err);
	hull_inventory_sort(&inv);
	char got[4096] = "";
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		char props[1024], lic[256];
		props_flat(p->props, props, sizeof(props));
		snprintf(lic, sizeof(lic), "[%s]", p->license ? p->license : "");
		/* two platforms of one version: either may be kept */
		bool any_arch = !strcmp(p->name, "nokogiri") && lockfile;
		size_t o = strlen(got);
		snprintf(got + o, sizeof(got) - o, "%s%s %s %s %s %s", i ? "|" : "", p->name,
		         p->version,
		         any_arch  ? "*"
		         : p->arch ? p->arch
		                   : "-",
		         p->license ? lic : "-", props[0] ? props : "-");
		TAP_OK(p->type == HULL_PKG_GEM && !strcmp(p->file, c->file),
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
