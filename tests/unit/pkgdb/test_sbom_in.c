/* Reading an inventory back from SBOMs: trivy's real CycloneDX and SPDX
 * documents, and hostile package URLs. */
#include <stdlib.h>
#include <string.h>

#include "pkgdb/sbom_in.h"
#include "tap.h"
#include "util/fs.h"

static const struct hull_pkg *find(const struct hull_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->npkgs; i++)
		if (!strcmp(inv->pkgs[i].name, name))
			return &inv->pkgs[i];
	return NULL;
}

static int load(const char *rel, struct hull_inventory *inv, struct hull_diag *diag,
                struct hull_err *err)
{
	const char *path = tap_shared(rel);
	char *data;
	size_t len;
	if (!path || hull_fs_read_file(path, 1 << 24, &data, &len, err) < 0)
		return -1;
	int rc = hull_inventory_from_sbom(hull_str(data, len), rel, inv, diag, err);
	free(data);
	return rc;
}

static void test_trivy_cyclonedx(void)
{
	struct hull_inventory inv = {0};
	struct hull_diag d;
	struct hull_err err = {0};
	hull_diag_init(&d);
	int rc = load("schemas/cyclonedx/examples-trivy/centos-7-cyclonedx.json", &inv, &d, &err);
	const struct hull_pkg *ssl = find(&inv, "openssl-libs");
	TAP_OK(rc == 0 && inv.npkgs == 2, "trivy CentOS 7 CycloneDX: 2 rpm packages (%s)", err.msg);
	TAP_OK(ssl && ssl->type == HULL_PKG_RPM && !strcmp(ssl->version, "1:1.0.2k-16.el7") &&
	           ssl->epoch == 1 && !strcmp(ssl->release, "16.el7") &&
	           !strcmp(ssl->arch, "x86_64"),
	       "epoch qualifier folded into the rpm version (%s)", ssl ? ssl->version : "-");
	TAP_OK(inv.os.id && !strcmp(inv.os.id, "centos") && !strcmp(inv.os.version_id, "7.6.1810"),
	       "operating-system component gives the distribution");
	hull_inventory_release(&inv);
	memset(&inv, 0, sizeof(inv));
	rc = load("schemas/cyclonedx/examples-trivy/npm-cyclonedx.json.golden", &inv, &d, &err);
	TAP_OK(rc == 0 && inv.npkgs == 12 && inv.pkgs[0].type == HULL_PKG_NPM,
	       "trivy npm CycloneDX 1.7: 12 npm packages (%zu)", inv.npkgs);
	hull_inventory_release(&inv);
	hull_diag_release(&d);
}

static void test_trivy_spdx(void)
{
	struct hull_inventory inv = {0};
	struct hull_diag d;
	struct hull_err err = {0};
	hull_diag_init(&d);
	int rc = load("schemas/spdx/examples-trivy/centos-7-spdx.json", &inv, &d, &err);
	TAP_OK(rc == 0 && find(&inv, "bash") && inv.os.id && !strcmp(inv.os.id, "centos"),
	       "trivy CentOS 7 SPDX: packages and distribution (%s)", err.msg);
	hull_inventory_release(&inv);
	memset(&inv, 0, sizeof(inv));
	size_t before = d.n;
	rc = load("schemas/spdx/examples-trivy/conda-spdx.json.golden", &inv, &d, &err);
	TAP_OK(rc == 0 && inv.npkgs == 0 && d.n == before + 1 && strstr(d.msgs[before], "conda"),
	       "conda packages are counted in a warning, not guessed");
	hull_inventory_release(&inv);
	hull_diag_release(&d);
}

static void test_hostile(void)
{
	struct hull_inventory inv = {0};
	struct hull_diag d;
	struct hull_err err = {0};
	hull_diag_init(&d);
	const char *doc =
	    "{\"bomFormat\":\"CycloneDX\",\"components\":["
	    "{\"purl\":\"pkg:deb/debian/a%2\"},{\"purl\":\"pkg:\"},{\"purl\":\"pkg:npm/\"},"
	    "{\"purl\":\"pkg:npm/%40scope/x@1.0.0\"},{\"purl\":\"pkg:deb/debian/b@1.0?"
	    "upstream=bsrc%401.0-1&distro=debian-12\"},{\"purl\":42}]}";
	int rc = hull_inventory_from_sbom(hull_str_c(doc), "h.json", &inv, &d, &err);
	const struct hull_pkg *x = find(&inv, "@scope/x"), *b = find(&inv, "b");
	TAP_OK(rc == 0 && x && b && !strcmp(b->src_name, "bsrc") &&
	           !strcmp(b->src_version, "1.0-1"),
	       "scoped npm name, upstream name@version, broken purls skipped (%s)", err.msg);
	TAP_OK(inv.os.id && !strcmp(inv.os.id, "debian") && !strcmp(inv.os.version_id, "12"),
	       "distro qualifier gives the distribution");
	TAP_OK(inv.npkgs == 2 && !find(&inv, "a%2"),
	       "a cut escape is not a package name (%zu packages)", inv.npkgs);
	hull_inventory_release(&inv);
	memset(&inv, 0, sizeof(inv));
	TAP_OK(hull_inventory_from_sbom(hull_str_c("{\"x\":1}"), "n.json", &inv, &d, &err) < 0 &&
	           strstr(err.msg, "neither CycloneDX"),
	       "neither format: an error naming the file (%s)", err.msg);
	hull_diag_release(&d);
}

int main(void)
{
	if (!tap_shared("schemas"))
		return tap_done(); /* tap_shared failed loudly */
	test_trivy_cyclonedx();
	test_trivy_spdx();
	test_hostile();
	return tap_done();
}
