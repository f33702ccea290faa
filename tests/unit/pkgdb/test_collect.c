/* hull_inventory_collect over filesets built in memory: what is kept, the
 * layer that introduced each package (from the history of the dpkg and apk
 * databases), the distribution fallbacks, and the warnings. */
#include "image/fileset.h"
#include "pkgdb_test.h"

static void put(struct hull_fileset *fs, const char *path, const char *text, int layer)
{
	size_t len = strlen(text);
	char *data = malloc(len + 1);
	memcpy(data, text, len);
	struct hull_err err = {0};
	enum hull_keep keep = hull_pkgdb_wants(path, NULL);
	/* a file told by content is put as it is: the tests hand-make digests */
	if (keep == HULL_KEEP_PROBE)
		keep = HULL_KEEP_LAST;
	if (hull_fileset_put_file(fs, path, data, len, 0644, layer, keep ? keep : HULL_KEEP_LAST,
	                          &err) < 0)
		printf("# put %s: %s\n", path, err.msg);
}

struct run {
	struct hull_inventory inv;
	struct hull_diag diag;
	int rc;
};

static void collect(struct hull_fileset *fs, struct run *r)
{
	struct hull_err err = {0};
	memset(r, 0, sizeof(*r));
	hull_diag_init(&r->diag);
	hull_fileset_finish(fs, &err);
	r->rc = hull_inventory_collect(fs, &r->inv, &r->diag, &err);
	for (size_t i = 0; i < r->diag.n; i++)
		printf("# warning: %s\n", r->diag.msgs[i]);
}

static void run_release(struct run *r)
{
	hull_inventory_release(&r->inv);
	hull_diag_release(&r->diag);
}

static const struct hull_pkg *find(const struct run *r, const char *name, const char *arch)
{
	for (size_t i = 0; i < r->inv.npkgs; i++)
		if (strcmp(r->inv.pkgs[i].name, name) == 0 &&
		    (!arch || (r->inv.pkgs[i].arch && strcmp(r->inv.pkgs[i].arch, arch) == 0)))
			return &r->inv.pkgs[i];
	return NULL;
}

static int layer_of(const struct run *r, const char *name, const char *arch)
{
	const struct hull_pkg *p = find(r, name, arch);
	return p ? p->layer : -100;
}

static bool warned(const struct run *r, const char *needle)
{
	for (size_t i = 0; i < r->diag.n; i++)
		if (strstr(r->diag.msgs[i], needle))
			return true;
	return false;
}

static void test_wants(void)
{
	static const struct {
		const char *path;
		enum hull_keep keep;
	} cases[] = {
	    {"etc/os-release", HULL_KEEP_LAST},
	    {"usr/lib/os-release", HULL_KEEP_LAST},
	    {"etc/alpine-release", HULL_KEEP_LAST},
	    {"etc/debian_version", HULL_KEEP_LAST},
	    {"etc/redhat-release", HULL_KEEP_LAST},
	    {"etc/system-release", HULL_KEEP_LAST},
	    {"var/lib/dpkg/status", HULL_KEEP_HISTORY},
	    {"var/lib/dpkg/status-old", HULL_KEEP_PROBE},
	    {"var/lib/dpkg/status.d/libc6", HULL_KEEP_LAST},
	    {"var/lib/dpkg/status.d/python3.11-minimal", HULL_KEEP_LAST},
	    {"var/lib/dpkg/status.d/libc6.md5sums", HULL_KEEP_LAST},
	    {"var/lib/dpkg/info/libc6:amd64.list", HULL_KEEP_LAST},
	    {"var/lib/dpkg/info/python3-six.list", HULL_KEEP_LAST},
	    {"var/lib/dpkg/info/python3-six.md5sums", HULL_KEEP_PROBE},
	    {"var/lib/dpkg/info/.list", HULL_KEEP_PROBE},
	    {"var/lib/dpkg/info/sub/x.list", HULL_KEEP_PROBE},
	    {"var/lib/dpkg/status.d/sub/x", HULL_KEEP_PROBE},
	    {"lib/apk/db/installed", HULL_KEEP_HISTORY},
	    {"var/lib/rpm/Packages", HULL_KEEP_HISTORY},
	    {"var/lib/rpm/Packages.db", HULL_KEEP_HISTORY},
	    {"var/lib/rpm/rpmdb.sqlite", HULL_KEEP_HISTORY},
	    {"usr/lib/sysimage/rpm/rpmdb.sqlite", HULL_KEEP_HISTORY},
	    {"usr/lib/sysimage/rpm/Packages.db", HULL_KEEP_HISTORY},
	    {"usr/lib/sysimage/rpm/Packages", HULL_KEEP_HISTORY},
	    {"var/lib/rpm/Basenames", HULL_KEEP_PROBE},
	    {"node_modules/a/package.json", HULL_KEEP_LAST},
	    {"app/node_modules/@s/b/package.json", HULL_KEEP_LAST},
	    {"app/node_modules/a/node_modules/c/package.json", HULL_KEEP_LAST},
	    {"app/node_modules/a/lib/package.json", HULL_KEEP_PROBE},
	    {"app/node_modules/@s/package.json", HULL_KEEP_PROBE},
	    {"app/node_modules/.bin/package.json", HULL_KEEP_PROBE},
	    {"app/package.json", HULL_KEEP_PROBE},
	    {"app/package-lock.json", HULL_KEEP_LAST},
	    {"package-lock.json", HULL_KEEP_LAST},
	    {"app/.package-lock.json", HULL_KEEP_PROBE},
	    {"usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA", HULL_KEEP_LAST},
	    {"usr/lib/python3/dist-packages/x.dist-info/RECORD", HULL_KEEP_PROBE},
	    {"usr/lib/python3/dist-packages/.dist-info/METADATA", HULL_KEEP_PROBE},
	    {"usr/lib/python3/site-packages/six-1.16.0.egg-info/PKG-INFO", HULL_KEEP_LAST},
	    {"usr/lib/python3/dist-packages/distlib-0.3.1.egg-info", HULL_KEEP_LAST},
	    {"usr/lib/python3/dist-packages/METADATA", HULL_KEEP_PROBE},
	    {"usr/bin/ls", HULL_KEEP_PROBE},
	    /* kept for requirements.txt includes only */
	    {"app/reqs/base.txt", HULL_KEEP_LAST},
	    {"app/constraints.txt", HULL_KEEP_LAST},
	    {"app/deps.txt", HULL_KEEP_LAST},
	    {"usr/lib/python3/site-packages/x/constraints.txt", HULL_KEEP_PROBE},
	    {"usr/share/doc/x/README.txt", HULL_KEEP_PROBE},
	    {"", HULL_KEEP_PROBE},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum hull_keep k = hull_pkgdb_wants(cases[i].path, NULL);
		if (k != cases[i].keep) {
			printf("# %s: keep %d, want %d\n", cases[i].path, k, cases[i].keep);
			bad++;
		}
	}
	TAP_OK(bad == 0, "hull_pkgdb_wants: %zu paths", sizeof(cases) / sizeof(cases[0]));
}

#define STANZA(name, arch, version)                                                                \
	"Package: " name "\nStatus: install ok installed\nArchitecture: " arch                     \
	"\nVersion: " version "\n\n"

static void test_dpkg_layers(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\nVERSION_ID=12\n", 0);
	/* layer 0: the base; layer 1 upgrades b, adds c and the i386 libc;
	 * layer 2 rewrites the file without changing a (apt does that) */
	put(fs, "var/lib/dpkg/status",
	    STANZA("a", "amd64", "1.0") STANZA("b", "amd64", "1.0")
	        STANZA("libc6", "amd64", "2.36"),
	    0);
	put(fs, "var/lib/dpkg/status",
	    STANZA("a", "amd64", "1.0") STANZA("b", "amd64", "2.0") STANZA("c", "all", "1")
	        STANZA("libc6", "amd64", "2.36") STANZA("libc6", "i386", "2.36"),
	    1);
	put(fs, "var/lib/dpkg/status",
	    STANZA("a", "amd64", "1.0") STANZA("b", "amd64", "2.0") STANZA("c", "all", "1")
	        STANZA("libc6", "amd64", "2.36") STANZA("libc6", "i386", "2.36")
	            STANZA("d", "amd64", "4"),
	    2);
	struct run r;
	collect(fs, &r);
	TAP_OK(r.rc == 0 && r.inv.npkgs == 6 && r.diag.n == 0,
	       "dpkg layers: 6 packages, no warning");
	TAP_OK(layer_of(&r, "a", NULL) == 0, "a is introduced by layer 0 (unchanged since)");
	TAP_OK(layer_of(&r, "b", NULL) == 1, "b 2.0 is introduced by layer 1 (upgraded there)");
	TAP_OK(layer_of(&r, "c", NULL) == 1, "c is introduced by layer 1");
	TAP_OK(layer_of(&r, "d", NULL) == 2, "d is introduced by layer 2");
	TAP_OK(layer_of(&r, "libc6", "amd64") == 0 && layer_of(&r, "libc6", "i386") == 1,
	       "multi-arch: libc6:amd64 from layer 0, libc6:i386 from layer 1");
	run_release(&r);
	hull_fileset_free(fs);

	/* removed in layer 1, installed again in layer 2: layer 2 */
	fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\n", 0);
	put(fs, "var/lib/dpkg/status", STANZA("x", "amd64", "1") STANZA("y", "amd64", "1"), 0);
	put(fs, "var/lib/dpkg/status", STANZA("y", "amd64", "1"), 1);
	put(fs, "var/lib/dpkg/status", STANZA("x", "amd64", "1") STANZA("y", "amd64", "1"), 2);
	collect(fs, &r);
	TAP_OK(layer_of(&r, "x", NULL) == 2 && layer_of(&r, "y", NULL) == 0,
	       "removed and installed again: the later layer introduced it");
	run_release(&r);
	hull_fileset_free(fs);

	/* a plain root filesystem has no layers */
	fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\n", HULL_LAYER_NONE);
	put(fs, "var/lib/dpkg/status", STANZA("x", "amd64", "1"), HULL_LAYER_NONE);
	collect(fs, &r);
	TAP_OK(layer_of(&r, "x", NULL) == HULL_LAYER_NONE, "rootfs: HULL_LAYER_NONE");
	run_release(&r);
	hull_fileset_free(fs);
}

static void test_apk_layers(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n", 0);
	put(fs, "lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\n\nP:zlib\nV:1.3-r0\n\n", 0);
	put(fs, "lib/apk/db/installed",
	    "P:musl\nV:1.2.5-r0\nA:x86_64\n\nP:zlib\nV:1.3.1-r0\n\nP:curl\nV:8.9-r0\no:curl\n", 1);
	struct run r;
	collect(fs, &r);
	TAP_OK(r.rc == 0 && r.inv.npkgs == 3 && layer_of(&r, "musl", NULL) == 0 &&
	           layer_of(&r, "zlib", NULL) == 1 && layer_of(&r, "curl", NULL) == 1,
	       "apk layers: musl 0, upgraded zlib 1, curl 1");
	TAP_OK(r.inv.os.id && strcmp(r.inv.os.id, "alpine") == 0, "alpine from os-release");
	run_release(&r);
	hull_fileset_free(fs);
}

static void test_warnings(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\n", 0);
	put(fs, "var/lib/dpkg/status",
	    STANZA("a", "amd64", "1") "Package: z\nStatus: install ok installed\n", 1);
	put(fs, "lib/apk/db/installed", "garbage\n", HULL_LAYER_NONE);
	struct run r;
	collect(fs, &r);
	TAP_OK(r.rc == 0 && r.inv.npkgs == 1 && r.diag.n == 2,
	       "damaged databases: warnings, the intact package kept");
	TAP_OK(warned(&r, "layer 1: var/lib/dpkg/status: line 6: missing Version (package z)"),
	       "the dpkg warning names layer, file, line and package");
	TAP_OK(warned(&r, "lib/apk/db/installed: line 1: expected \"X:value\""),
	       "the apk warning names file and line");
	run_release(&r);
	hull_fileset_free(fs);
}

static void os_case(const char *what, const char *const *files, const char *id, const char *version,
                    const char *codename, const char *warning)
{
	struct hull_fileset *fs = hull_fileset_new();
	for (; files && files[0]; files += 2) {
		if (strncmp(files[1], "->", 2) == 0) {
			struct hull_err err = {0};
			hull_fileset_put_symlink(fs, files[0], files[1] + 2, 0, &err);
		} else {
			put(fs, files[0], files[1], 0);
		}
	}
	struct run r;
	collect(fs, &r);
	bool ok = r.rc == 0 && (id ? r.inv.os.id && strcmp(r.inv.os.id, id) == 0 : !r.inv.os.id) &&
	          (version ? r.inv.os.version_id && strcmp(r.inv.os.version_id, version) == 0
	                   : !r.inv.os.version_id) &&
	          (codename ? r.inv.os.codename && strcmp(r.inv.os.codename, codename) == 0
	                    : !r.inv.os.codename) &&
	          (warning ? warned(&r, warning) : r.diag.n == 0);
	if (!ok)
		printf("# id %s version %s codename %s\n", or_dash(r.inv.os.id),
		       or_dash(r.inv.os.version_id), or_dash(r.inv.os.codename));
	TAP_OK(ok, "distribution: %s", what);
	run_release(&r);
	hull_fileset_free(fs);
}

static void test_os(void)
{
	os_case("etc/os-release as a symlink to ../usr/lib/os-release",
	        (const char *[]){"usr/lib/os-release",
	                         "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
	                         "etc/os-release", "->../usr/lib/os-release", NULL},
	        "debian", "12", "bookworm", NULL);
	os_case("usr/lib/os-release alone",
	        (const char *[]){"usr/lib/os-release", "ID=fedora\nVERSION_ID=40\n", NULL},
	        "fedora", "40", NULL, NULL);
	os_case("etc/alpine-release alone",
	        (const char *[]){"etc/alpine-release", "3.20.3\n", NULL}, "alpine", "3.20.3", NULL,
	        NULL);
	os_case("etc/debian_version 12.5 alone",
	        (const char *[]){"etc/debian_version", "12.5\n", NULL}, "debian", "12", NULL, NULL);
	os_case("testing: os-release without VERSION_ID, debian_version bookworm/sid",
	        (const char *[]){"etc/os-release",
	                         "ID=debian\nPRETTY_NAME=\"Debian bookworm/sid\"\n",
	                         "etc/debian_version", "bookworm/sid\n", NULL},
	        "debian", NULL, "bookworm", NULL);
	os_case("Ubuntu ignores etc/debian_version",
	        (const char *[]){"etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n",
	                         "etc/debian_version", "bookworm/sid\n", NULL},
	        "ubuntu", "22.04", NULL, NULL);
	os_case("etc/redhat-release alone (CentOS 6)",
	        (const char *[]){"etc/redhat-release", "CentOS release 6.10 (Final)\n", NULL},
	        "centos", "6.10", NULL, NULL);
	os_case(
	    "etc/redhat-release names Rocky Linux",
	    (const char *[]){"etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n", NULL},
	    "rocky", "9.3", NULL, NULL);
	os_case("etc/system-release alone (Amazon Linux AMI)",
	        (const char *[]){"etc/system-release", "Amazon Linux AMI release 2018.03\n", NULL},
	        "amzn", "2018.03", NULL, NULL);
	os_case("etc/redhat-release fills the VERSION_ID an os-release lacks",
	        (const char *[]){"etc/os-release", "ID=\"almalinux\"\n", "etc/redhat-release",
	                         "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n", NULL},
	        "almalinux", "9.3", NULL, NULL);
	os_case("os-release wins over etc/redhat-release",
	        (const char *[]){"etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.4\"\n",
	                         "etc/redhat-release",
	                         "Red Hat Enterprise Linux release 9.2 (Plow)\n", NULL},
	        "rhel", "9.4", NULL, NULL);
	os_case("an unknown etc/redhat-release is not a distribution",
	        (const char *[]){"etc/redhat-release", "Something else\n", NULL}, NULL, NULL, NULL,
	        "unknown distribution: none of etc/os-release");
	os_case("nothing at all: a clear warning", NULL, NULL, NULL, NULL,
	        "unknown distribution: none of etc/os-release");
	os_case("os-release without ID: a clear warning",
	        (const char *[]){"etc/os-release", "NAME=Thing\n", NULL}, NULL, NULL, NULL,
	        "unknown distribution: etc/os-release has no ID");
	os_case("a damaged os-release: a warning and what could be read",
	        (const char *[]){"etc/os-release", "ID=debian\nVERSION_ID=\"12\n", NULL}, "debian",
	        NULL, NULL, "etc/os-release: line 2: VERSION_ID: missing closing quote");
}

static void test_files(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\n", 0);
	/* distroless: status.d entries and their md5sums lists; "dup" is also
	 * in the status file, so it is listed once */
	put(fs, "var/lib/dpkg/status", STANZA("dup", "amd64", "1"), 0);
	put(fs, "var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4\n", 0);
	put(fs, "var/lib/dpkg/status.d/base.md5sums", "d41d8cd98f00b204e9800998ecf8427e  x\n", 0);
	put(fs, "var/lib/dpkg/status.d/dup", "Package: dup\nVersion: 1\nArchitecture: amd64\n", 1);
	put(fs, "app/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\"}", 1);
	put(fs, "app/node_modules/a/lib/package.json", "{\"name\":\"inner\",\"version\":\"9\"}", 1);
	put(fs, "app/package-lock.json",
	    "{\"lockfileVersion\":3,\"packages\":{\"\":{},\"node_modules/"
	    "a\":{\"version\":\"1.0.0\"},"
	    "\"node_modules/b\":{\"version\":\"2.0.0\"}}}",
	    1);
	put(fs, "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
	    "Name: six\nVersion: 1.16.0\nLicense: MIT\n", 2);
	put(fs, "usr/lib/python3/dist-packages/bad-1.dist-info/METADATA", "nothing", 2);
	put(fs, "app/node_modules/broken/package.json", "{", 2);
	struct run r;
	collect(fs, &r);
	const struct hull_pkg *six = find(&r, "six", NULL), *base = find(&r, "base-files", NULL);
	size_t ndup = 0, na = 0;
	for (size_t i = 0; i < r.inv.npkgs; i++) {
		ndup += strcmp(r.inv.pkgs[i].name, "dup") == 0;
		na += strcmp(r.inv.pkgs[i].name, "a") == 0;
	}
	TAP_OK(r.rc == 0 && r.inv.npkgs == 6, "manifests: 6 packages (got %zu)", r.inv.npkgs);
	TAP_OK(ndup == 1 && layer_of(&r, "dup", NULL) == 0,
	       "a package in status and status.d is listed once, from status");
	TAP_OK(base && base->layer == 0 && strcmp(base->file, "var/lib/dpkg/status.d/base") == 0,
	       "status.d entry with its file and layer");
	TAP_OK(na == 2 && !find(&r, "inner", NULL),
	       "npm: the module and the lock entry both listed, a nested package.json is not");
	TAP_OK(six && six->type == HULL_PKG_PYPI && six->layer == 2 &&
	           strcmp(six->file, "usr/lib/python3/dist-packages/six-1.16.0.dist-info/"
	                             "METADATA") == 0,
	       "python: six with its file and layer");
	TAP_OK(r.diag.n == 2 &&
	           warned(&r, "layer 2: usr/lib/python3/dist-packages/bad-1.dist-info/"
	                      "METADATA: missing Name or Version") &&
	           warned(&r, "layer 2: app/node_modules/broken/package.json: line 1"),
	       "damaged manifests are warnings");
	bool sorted = true;
	for (size_t i = 1; i < r.inv.npkgs; i++)
		sorted &= r.inv.pkgs[i - 1].type < r.inv.pkgs[i].type ||
		          (r.inv.pkgs[i - 1].type == r.inv.pkgs[i].type &&
		           strcmp(r.inv.pkgs[i - 1].name, r.inv.pkgs[i].name) <= 0);
	TAP_OK(sorted, "sorted by type and name");
	run_release(&r);
	hull_fileset_free(fs);
}

#define GEMSPEC(name, version)                                                                     \
	"Gem::Specification.new do |s|\n  s.name = \"" name "\"\n  s.version = \"" version         \
	"\"\nend\n"

static void list_pkgs(const struct run *r, char *got, size_t cap)
{
	got[0] = '\0';
	for (size_t i = 0; i < r->inv.npkgs; i++) {
		const struct hull_pkg *p = &r->inv.pkgs[i];
		size_t o = strlen(got);
		snprintf(got + o, cap - o, "%s%s %s %s", i ? "|" : "", hull_pkg_type_name(p->type),
		         p->name, p->file);
	}
}

/* Language files an operating-system package installed are not read as
 * language packages (owned.c): named by dpkg's info/<pkg>.list (through
 * a merged-/usr symlink), a distroless status.d md5sums list, or apk's
 * F:/R: lines; the same files elsewhere still are, and a listed path that
 * climbs with ".." names nothing. */
static void test_owned(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	struct hull_err err = {0};
	put(fs, "etc/os-release", "ID=debian\n", 0);
	hull_fileset_put_symlink(fs, "lib", "usr/lib", 0, &err);
	put(fs, "var/lib/dpkg/status", STANZA("python3-six", "all", "1.16.0-4"), 0);
	put(fs, "var/lib/dpkg/info/python3-six.list",
	    "/.\n/usr\n/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO\n"
	    "/usr/../srv/app/six-1.16.0.dist-info/METADATA\n",
	    0);
	put(fs, "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO",
	    "Name: six\nVersion: 1.16.0\n", 0);
	put(fs, "srv/app/six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n", 1);
	put(fs, "var/lib/dpkg/status.d/ruby-rack", "Package: ruby-rack\nVersion: 2.2.22\n", 0);
	put(fs, "var/lib/dpkg/status.d/ruby-rack.md5sums",
	    "0123456789abcdef0123456789abcdef  "
	    "usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec\n",
	    0);
	put(fs, "usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec",
	    GEMSPEC("rack", "2.2.22"), 0);
	put(fs, "srv/gems/specifications/rack-2.2.22.gemspec", GEMSPEC("rack", "2.2.22"), 1);
	struct run r;
	collect(fs, &r);
	char got[1024];
	list_pkgs(&r, got, sizeof(got));
	const char *want = "deb python3-six var/lib/dpkg/status|"
	                   "deb ruby-rack var/lib/dpkg/status.d/ruby-rack|"
	                   "pypi six srv/app/six-1.16.0.dist-info/METADATA|"
	                   "gem rack srv/gems/specifications/rack-2.2.22.gemspec";
	TAP_OK(r.rc == 0 && !strcmp(got, want),
	       "dpkg: files of the system's packages are not language packages: [%s]", got);
	if (strcmp(got, want))
		printf("# want [%s]\n", want);
	run_release(&r);
	hull_fileset_free(fs);

	fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=alpine\n", 0);
	put(fs, "lib/apk/db/installed",
	    "P:npm\nV:10.2.5-r0\nA:x86_64\nF:usr/lib/node_modules/npm\nR:package.json\n"
	    "F:usr/lib/node_modules/npm/node_modules/abbrev\nR:LICENSE\n\n"
	    "P:other\nV:1-r0\nR:package.json\n\n",
	    0);
	put(fs, "usr/lib/node_modules/npm/package.json",
	    "{\"name\":\"npm\",\"version\":\"10.2.5\"}", 0);
	put(fs, "usr/lib/node_modules/npm/node_modules/abbrev/package.json",
	    "{\"name\":\"abbrev\",\"version\":\"2.0.0\"}", 0);
	collect(fs, &r);
	list_pkgs(&r, got, sizeof(got));
	want = "apk npm lib/apk/db/installed|apk other lib/apk/db/installed|"
	       "npm abbrev usr/lib/node_modules/npm/node_modules/abbrev/package.json";
	TAP_OK(r.rc == 0 && !strcmp(got, want),
	       "apk: files of the system's packages are not language packages: [%s]", got);
	if (strcmp(got, want))
		printf("# want [%s]\n", want);
	run_release(&r);
	hull_fileset_free(fs);
}

static void test_rpm_presence(void)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=fedora\nVERSION_ID=40\n", 0);
	put(fs, "usr/lib/sysimage/rpm/rpmdb.sqlite", "not a database", 0);
	put(fs, "var/lib/rpm/Packages", "stale", 0);
	struct run r;
	collect(fs, &r);
	TAP_OK(r.rc == 0 && r.inv.npkgs == 0 &&
	           warned(&r, "var/lib/rpm/Packages: ignored, the rpm database "
	                      "usr/lib/sysimage/rpm/rpmdb.sqlite is read instead") &&
	           warned(&r, "usr/lib/sysimage/rpm/rpmdb.sqlite"),
	       "rpm: one database read, a damaged one is a warning, a second one is named");
	run_release(&r);
	hull_fileset_free(fs);
}

/* requirements.txt includes over a tree: a set of files, the packages
 * "name version file" joined by "|" and the warnings joined by "|". */
static void req_case(const char *const *files, const char *want, const char *warn_has,
                     const char *what)
{
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian\n", 0);
	for (size_t i = 0; files[i]; i += 2) {
		if (!strncmp(files[i + 1], "->", 2)) {
			struct hull_err err = {0};
			hull_fileset_put_symlink(fs, files[i], files[i + 1] + 2, 0, &err);
		} else {
			put(fs, files[i], files[i + 1], 0);
		}
	}
	struct run r;
	collect(fs, &r);
	char got[4096] = "", warns[4096] = "";
	for (size_t i = 0; i < r.inv.npkgs; i++) {
		size_t o = strlen(got);
		snprintf(got + o, sizeof(got) - o, "%s%s %s %s", i ? "|" : "", r.inv.pkgs[i].name,
		         r.inv.pkgs[i].version, r.inv.pkgs[i].file);
	}
	for (size_t i = 0; i < r.diag.n; i++) {
		size_t o = strlen(warns);
		snprintf(warns + o, sizeof(warns) - o, "%s%s", i ? "|" : "", r.diag.msgs[i]);
	}
	bool ok = r.rc == 0 && !strcmp(got, want) &&
	          (warn_has ? strstr(warns, warn_has) != NULL : r.diag.n == 0);
	if (!ok)
		printf("# got \"%s\"\n# warnings \"%s\"\n", got, warns);
	TAP_OK(ok, "%s", what);
	run_release(&r);
	hull_fileset_free(fs);
}

static void test_requirements_includes(void)
{
	const char *const follow[] = {
	    "app/requirements.txt",
	    "flask==2.0.1\n-r requirements-dev.txt\n-r reqs/base.txt\n"
	    "--requirement=../app/./reqs/extra-deps.txt\n-c constraints.txt\n",
	    "app/requirements-dev.txt",
	    "pytest==7.0.0\n-r requirements.txt\n",
	    "app/reqs/base.txt",
	    "requests==2.25.0\n",
	    "app/reqs/extra-deps.txt",
	    "requests==2.25.0\nsix==1.16.0\n",
	    "app/constraints.txt",
	    "urllib3==1.26.0\n",
	    "other/requirements.txt",
	    "--requirement ../app/reqs/base.txt\n",
	    NULL};
	req_case(follow,
	         "flask 2.0.1 app/requirements.txt|pytest 7.0.0 app/requirements-dev.txt|"
	         "requests 2.25.0 app/reqs/base.txt|requests 2.25.0 app/reqs/extra-deps.txt|"
	         "six 1.16.0 app/reqs/extra-deps.txt",
	         NULL,
	         "requirements -r: followed relative to the including file, each package "
	         "attributed to its file; a manifest (and a cycle between two) read once on its "
	         "own, a file included twice listed once, a -c constraints file lists nothing");
	const char *const cycle[] = {"app/requirements.txt",
	                             "flask==2.0.1\n-r reqs/a-req.txt\n",
	                             "app/reqs/a-req.txt",
	                             "idna==2.10\n-r b-req.txt\n",
	                             "app/reqs/b-req.txt",
	                             "six==1.16.0\n\n-r a-req.txt\n",
	                             NULL};
	req_case(cycle,
	         "flask 2.0.1 app/requirements.txt|idna 2.10 app/reqs/a-req.txt|"
	         "six 1.16.0 app/reqs/b-req.txt",
	         "app/reqs/b-req.txt: line 3: -r a-req.txt: an include cycle, not read again",
	         "requirements -r: a includes b includes a: each read once, the cycle a "
	         "warning naming file and line");
	const char *const escape[] = {
	    "app/requirements.txt",
	    "flask==2.0.1\n-r ../../../etc/req.txt\n-r /etc/req.txt\n-r missing-req.txt\n"
	    "-r reqs/link-req.txt\n-r https://example.com/req.txt\n",
	    "app/reqs/link-req.txt", "->/etc/req.txt", NULL};
	req_case(escape, "flask 2.0.1 app/requirements.txt",
	         "app/requirements.txt: line 2: -r ../../../etc/req.txt: outside the scanned root, "
	         "not followed (and 4 more problems)",
	         "requirements -r: '..' above the root, an absolute path, a missing file, a "
	         "symlink out of the tree (resolved inside it: nothing there) and a URL are "
	         "problems naming file and line, nothing read");
	const char *const missing[] = {"app/requirements.txt", "a==1\n\n-r base-req.txt\n", NULL};
	req_case(missing, "a 1 app/requirements.txt",
	         "app/requirements.txt: line 3: -r base-req.txt: not found in the scanned root",
	         "requirements -r: a missing include is a warning naming file and line");
	static char chain[12][2][64];
	const char *deep[25];
	size_t n = 0;
	snprintf(chain[0][0], 64, "app/requirements.txt");
	snprintf(chain[0][1], 64, "-r d1-req.txt\n");
	for (int i = 1; i < 12; i++) {
		snprintf(chain[i][0], 64, "app/d%d-req.txt", i);
		snprintf(chain[i][1], 64, "p%d==1\n-r d%d-req.txt\n", i, i + 1);
	}
	for (int i = 0; i < 12; i++) {
		deep[n++] = chain[i][0];
		deep[n++] = chain[i][1];
	}
	deep[n] = NULL;
	req_case(deep,
	         "p1 1 app/d1-req.txt|p2 1 app/d2-req.txt|p3 1 app/d3-req.txt|p4 1 app/d4-req.txt|"
	         "p5 1 app/d5-req.txt|p6 1 app/d6-req.txt|p7 1 app/d7-req.txt|p8 1 app/d8-req.txt",
	         "app/d8-req.txt: line 2: -r d9-req.txt: includes nested more than 8 deep",
	         "requirements -r: 8 includes deep at most");
}

int main(void)
{
	test_wants();
	test_dpkg_layers();
	test_apk_layers();
	test_warnings();
	test_os();
	test_files();
	test_owned();
	test_rpm_presence();
	test_requirements_includes();
	return tap_done();
}
