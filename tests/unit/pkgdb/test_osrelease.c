/* os-release parsing: real files (syft's Debian 12 fixture, this machine's,
 * the cached test images') and the syntax's edge cases. */
#include "pkgdb_test.h"

struct os_case {
	const char *what, *text;
	int rc;
	const char *id, *version_id, *codename, *pretty, *id_like;
	const char *err;
};

static const struct os_case cases[] = {
    {"Debian 12",
     "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
     "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\n"
     "ID=debian\n",
     0, "debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", NULL, NULL},
    {"codename from VERSION when VERSION_CODENAME is absent",
     "ID=debian\nVERSION_ID=\"9\"\nVERSION=\"9 (stretch)\"\n", 0, "debian", "9", "stretch", NULL,
     NULL, NULL},
    {"Ubuntu: VERSION_CODENAME wins, ID_LIKE kept",
     "NAME=\"Ubuntu\"\nVERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\nID=ubuntu\nID_LIKE=debian\n"
     "VERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n",
     0, "ubuntu", "22.04", "jammy", NULL, "debian", NULL},
    {"codename from a two-word VERSION, lowercased",
     "ID=ubuntu\nVERSION=\"16.04.7 LTS (Xenial Xerus)\"\n", 0, "ubuntu", NULL, "xenial", NULL, NULL,
     NULL},
    {"Alpine, unquoted, no trailing newline", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3",
     0, "alpine", "3.20.3", NULL, NULL, NULL, NULL},
    {"comments, blank lines, CRLF, single quotes",
     "# comment\r\n\r\n  ID='rhel'  \r\nVERSION_ID='9.3'\r\nID_LIKE=\"fedora\"\r\n", 0, "rhel",
     "9.3", NULL, NULL, "fedora", NULL},
    {"escapes in double quotes and bare values",
     "ID=a\\ b\nPRETTY_NAME=\"say \\\"hi\\\" \\$x \\\\ \\n\"\n", 0, "a b", NULL, NULL,
     "say \"hi\" $x \\ \\n", NULL, NULL},
    {"last assignment wins", "ID=one\nID=two\n", 0, "two", NULL, NULL, NULL, NULL, NULL},
    {"a line without '=' is reported, the rest read", "ID=debian\nthis is junk\nVERSION_ID=12\n",
     -1, "debian", "12", NULL, NULL, NULL, "etc/os-release: line 2: expected KEY=VALUE"},
    {"an unterminated quote", "ID=\"debian\nVERSION_ID=1\n", -1, NULL, "1", NULL, NULL, NULL,
     "line 1: ID: missing closing quote"},
    {"text after the closing quote", "ID=\"a\"b\n", -1, NULL, NULL, NULL, NULL, NULL,
     "text after the closing quote"},
    {"unquoted blanks", "ID=a b\n", -1, NULL, NULL, NULL, NULL, NULL, "unquoted value with blanks"},
    {"a control byte", "ID=\"a\x01\"\n", -1, NULL, NULL, NULL, NULL, NULL,
     "control character in value"},
    {"a bad key", "1D=x\nI D=y\n", -1, NULL, NULL, NULL, NULL, NULL, "line 1: expected KEY=VALUE"},
    {"empty file", "", 0, NULL, NULL, NULL, NULL, NULL, NULL},
};

static bool same(const char *got, const char *want)
{
	return want ? got && strcmp(got, want) == 0 : got == NULL;
}

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct os_case *c = &cases[i];
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		size_t len = strlen(c->text);
		char *exact = malloc(len ? len : 1);
		memcpy(exact, c->text, len);
		int rc =
		    hull_osrelease_parse(hull_str(exact, len), "etc/os-release", &inv.os, &err);
		free(exact);
		bool ok = rc == c->rc && same(inv.os.id, c->id) &&
		          same(inv.os.version_id, c->version_id) &&
		          same(inv.os.codename, c->codename) &&
		          (!c->pretty || same(inv.os.pretty_name, c->pretty)) &&
		          same(inv.os.id_like, c->id_like) &&
		          same(inv.os.source_file, "etc/os-release") &&
		          (!c->err || strstr(err.msg, c->err));
		if (!ok)
			printf("# rc %d id %s version %s codename %s pretty %s err \"%s\"\n", rc,
			       or_dash(inv.os.id), or_dash(inv.os.version_id),
			       or_dash(inv.os.codename), or_dash(inv.os.pretty_name), err.msg);
		TAP_OK(ok, "%s", c->what);
		hull_inventory_release(&inv);
	}
}

static void test_limits(void)
{
	/* a value over the 4 KiB cap is refused, the file still read */
	size_t n = 5000;
	char *big = malloc(n + 32);
	memcpy(big, "PRETTY_NAME=", 12);
	memset(big + 12, 'x', n);
	memcpy(big + 12 + n, "\nID=debian\n", 11);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = hull_osrelease_parse(hull_str(big, 12 + n + 11), "etc/os-release", &inv.os, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "value too long") && same(inv.os.id, "debian") &&
	           !inv.os.pretty_name,
	       "an overlong value is refused, the rest read (%s)", err.msg);
	hull_inventory_release(&inv);
	free(big);
	/* an os-release is small: a huge file is not one */
	big = calloc(1, 100000);
	rc = hull_osrelease_parse(hull_str(big, 100000), "etc/os-release", &inv.os, &err);
	TAP_OK(rc < 0 && err.kind == HULL_ERR_LIMIT && !inv.os.id, "a 100 kB file is refused");
	hull_inventory_release(&inv);
	free(big);
}

static void test_real(const char *what, const char *path, const char *id)
{
	char *data;
	size_t len;
	struct hull_err err = {0};
	if (!path || hull_fs_read_file(path, 1u << 20, &data, &len, &err) < 0) {
		printf("# %s: not present, skipped\n", what);
		return;
	}
	struct hull_inventory inv = {0};
	int rc = hull_osrelease_parse(hull_str(data, len), "usr/lib/os-release", &inv.os, &err);
	TAP_OK(rc == 0 && inv.os.id && (!id || strcmp(inv.os.id, id) == 0),
	       "%s: id %s version %s codename %s (%s)", what, or_dash(inv.os.id),
	       or_dash(inv.os.version_id), or_dash(inv.os.codename), err.msg);
	hull_inventory_release(&inv);
	free(data);
}

/* PLATFORM_ID: the RHEL family's "platform:el9" (UBI 9's os-release). */
static void test_platform_id(void)
{
	static const char ubi9[] = "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"9.4 (Plow)\"\n"
	                           "ID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.4\"\n"
	                           "PLATFORM_ID=\"platform:el9\"\n";
	struct hull_os os = {0};
	struct hull_err err = {0};
	int rc = hull_osrelease_parse(hull_str(ubi9, strlen(ubi9)), "etc/os-release", &os, &err);
	TAP_OK(rc == 0 && same(os.id, "rhel") && same(os.version_id, "9.4") &&
	           same(os.platform_id, "platform:el9") && same(os.codename, "plow"),
	       "UBI 9: ID rhel, VERSION_ID 9.4, PLATFORM_ID platform:el9");
	struct hull_inventory inv = {.os = os};
	hull_inventory_release(&inv);
}

int main(void)
{
	test_cases();
	test_platform_id();
	test_limits();
	test_real("syft image-dpkg", tap_shared("dpkg-status/syft/image-dpkg/etc/os-release"),
	          "debian");
	test_real("this machine", "/usr/lib/os-release", NULL);
	const char *cache =
	    getenv("HULL_TEST_CACHE") ? getenv("HULL_TEST_CACHE") : "/var/cache/hull-test";
	char path[4096];
	snprintf(path, sizeof(path), "%s/img/bookworm/rootfs/usr/lib/os-release", cache);
	test_real("bookworm rootfs", path, "debian");
	snprintf(path, sizeof(path), "%s/img/alpine-fake/rootfs/etc/os-release", cache);
	test_real("alpine-fake rootfs", path, "alpine");
	return tap_done();
}
