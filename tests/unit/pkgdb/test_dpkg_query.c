/* hull's dpkg reader against dpkg-query itself, on this machine's
 * /var/lib/dpkg and on the debootstrap root filesystems of the cached test
 * images ($HULL_TEST_CACHE/img/{bookworm,bullseye}/rootfs) when present.
 *
 * dpkg-query -W lists every package that is not in state not-installed
 * (config-files too); hull lists the states whose files are on disk. To
 * compare honestly, dpkg-query's own ${db:Status-Status} selects the rows:
 * unpacked, half-configured, triggers-awaited, triggers-pending, installed.
 * The status file goes through a fileset and hull_inventory_collect, as in
 * a scan. */
#include <sys/stat.h>

#include "image/fileset.h"
#include "pkgdb_test.h"

#define QUERY_FMT                                                                                  \
	"'${db:Status-Status}\\t${Package} ${Version} ${Architecture} ${source:Package} "          \
	"${source:Version}\\n'"

static bool installed_state(const char *s)
{
	static const char *const states[] = {"installed", "unpacked", "half-configured",
	                                     "triggers-awaited", "triggers-pending"};
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(s, states[i]) == 0)
			return true;
	return false;
}

/* dpkg-query's rows for the installed states; -1 when it cannot run. */
static int query(const char *admindir, struct lines *want, size_t *others)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "dpkg-query --admindir='%s' -W -f " QUERY_FMT " 2>/dev/null",
	         admindir);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, p) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		if (installed_state(line))
			lines_add(want, "%s", tab + 1);
		else
			(*others)++;
	}
	free(line);
	return pclose(p) == 0 ? 0 : -1;
}

static int put(struct hull_fileset *fs, const char *path, const char *real, int layer,
               enum hull_keep keep)
{
	char *data;
	size_t len;
	struct hull_err err = {0};
	if (hull_fs_read_file(real, 64u << 20, &data, &len, &err) < 0)
		return -1;
	return hull_fileset_put_file(fs, path, data, len, 0644, layer, keep, &err);
}

/* Adds path from root the way an image reader would: a symlink as a
 * symlink, a file with its content. */
static void put_from_root(struct hull_fileset *fs, const char *root, const char *path)
{
	char real[4096], target[4096];
	struct stat st;
	snprintf(real, sizeof(real), "%s/%s", root, path);
	if (lstat(real, &st) < 0)
		return;
	struct hull_err err = {0};
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(real, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			hull_fileset_put_symlink(fs, path, target, HULL_LAYER_NONE, &err);
		}
	} else {
		put(fs, path, real, HULL_LAYER_NONE, hull_pkgdb_wants(path, NULL));
	}
}

static void compare(const char *what, const char *root, const char *admindir, bool want_debian)
{
	struct lines want = {0}, got = {0};
	size_t others = 0;
	if (query(admindir, &want, &others) < 0) {
		TAP_OK(0, "%s: dpkg-query --admindir=%s runs", what, admindir);
		return;
	}
	printf("# %s: dpkg-query lists %zu installed, %zu in other states (not listed by hull)\n",
	       what, want.n, others);
	if (strcmp(what, "every dpkg state") == 0)
		TAP_OK(want.n == 7 && others == 2,
		       "%s: dpkg-query sees 7 installed-ish and 2 other packages", what);
	struct hull_fileset *fs = hull_fileset_new();
	char status[4096];
	snprintf(status, sizeof(status), "%s/status", admindir);
	TAP_OK(put(fs, "var/lib/dpkg/status", status, HULL_LAYER_NONE, HULL_KEEP_HISTORY) == 0,
	       "%s: status read", what);
	put_from_root(fs, root, "etc/os-release");
	put_from_root(fs, root, "usr/lib/os-release");
	put_from_root(fs, root, "etc/debian_version");
	struct hull_err err = {0};
	struct hull_inventory inv = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	hull_fileset_finish(fs, &err);
	int rc = hull_inventory_collect(fs, &inv, &diag, &err);
	/* only the synthetic case has no distribution */
	size_t want_warnings = access(root, F_OK) == 0 ? 0 : 1;
	TAP_OK(rc == 0 && diag.n == want_warnings, "%s: collected (%zu warnings)", what, diag.n);
	for (size_t i = 0; i < diag.n; i++)
		printf("# warning: %s\n", diag.msgs[i]);
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		if (p->type == HULL_PKG_DEB)
			lines_add(&got, "%s %s %s %s %s", p->name, p->version,
			          p->arch ? p->arch : "", p->src_name, p->src_version);
	}
	lines_same(&got, &want, what);
	if (want_debian)
		TAP_OK(inv.os.id && strcmp(inv.os.id, "debian") == 0 && inv.os.version_id &&
		           inv.os.codename,
		       "%s: distribution debian %s (%s) from %s", what, or_dash(inv.os.version_id),
		       or_dash(inv.os.codename), or_dash(inv.os.source_file));
	lines_free(&want);
	lines_free(&got);
	hull_inventory_release(&inv);
	hull_diag_release(&diag);
	hull_fileset_free(fs);
}

/* Every dpkg state, written here so that dpkg-query judges them too. */
static const char synthetic_status[] =
    "Package: s-installed\nStatus: install ok installed\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 1.0-1\nDescription: x\n\n"
    "Package: s-unpacked\nStatus: install ok unpacked\nMaintainer: m <m@x>\n"
    "Architecture: all\nSource: srcu (0.9-1)\nVersion: 1.0-1+b1\nDescription: x\n\n"
    "Package: s-halfconf\nStatus: install ok half-configured\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 2:1.0\nDescription: x\n\n"
    "Package: s-halfinst\nStatus: install reinstreq half-installed\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 1.0\nDescription: x\n\n"
    "Package: s-conffiles\nStatus: deinstall ok config-files\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 1.0\nConfig-Version: 1.0\nDescription: x\n\n"
    "Package: s-trigpend\nStatus: install ok triggers-pending\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 1.0\nTriggers-Pending: foo\nDescription: x\n\n"
    "Package: s-trigawait\nStatus: install ok triggers-awaited\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nVersion: 1.0\nTriggers-Awaited: s-trigpend\nDescription: x\n\n"
    "Package: s-multi\nStatus: deinstall ok installed\nMaintainer: m <m@x>\n"
    "Architecture: amd64\nMulti-Arch: same\nVersion: 3\nDescription: x\n\n"
    "Package: s-multi\nStatus: hold ok installed\nMaintainer: m <m@x>\n"
    "Architecture: i386\nMulti-Arch: same\nVersion: 3\nDescription: x\n\n"
    "Package: s-notinst\nStatus: purge ok not-installed\nArchitecture: amd64\n";

static void compare_synthetic(void)
{
	char dir[] = "/tmp/hull-dpkg-XXXXXX", path[64];
	if (!mkdtemp(dir)) {
		TAP_OK(0, "synthetic admindir created");
		return;
	}
	snprintf(path, sizeof(path), "%s/status", dir);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(synthetic_status, f);
		fclose(f);
	}
	compare("every dpkg state", "/nonexistent", dir, false);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	if (system("dpkg-query --version >/dev/null 2>&1") != 0)
		return tap_skip_missing("dpkg-query (apt-get install dpkg)");
	compare_synthetic();
	if (access("/var/lib/dpkg/status", R_OK) == 0) {
		compare("this machine", "/", "/var/lib/dpkg", false);
	}
	const char *cache = getenv("HULL_TEST_CACHE");
	static const char *const releases[] = {"bookworm", "bullseye"};
	for (size_t i = 0; i < 2; i++) {
		char root[4096], admindir[4200], status[4300];
		snprintf(root, sizeof(root), "%s/img/%s/rootfs",
		         cache ? cache : "/var/cache/hull-test", releases[i]);
		snprintf(admindir, sizeof(admindir), "%s/var/lib/dpkg", root);
		snprintf(status, sizeof(status), "%s/status", admindir);
		if (access(status, R_OK) != 0) {
			printf("# %s rootfs not built (scripts/test-images.sh): skipped\n",
			       releases[i]);
			continue;
		}
		compare(releases[i], root, admindir, true);
	}
	return tap_done();
}
