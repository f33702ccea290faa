/* suppress: VEX products name packages by purl, spelled as their authors
 * like; a product suppresses the finding whose package it names however
 * either purl is spelled (type case, per-type name rules, encoding). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/suppress.h"
#include "util/buf.h"
#include "tap.h"

static void add(struct hull_findings *l, const char *id, const char *purl)
{
	struct hull_finding f = {.kind = HULL_FINDING_VULNERABILITY,
	                         .id = strdup(id),
	                         .title = strdup("t"),
	                         .severity = HULL_SEV_HIGH};
	f.vuln.pkg_purl = strdup(purl);
	struct hull_err err = {0};
	if (hull_findings_add(l, &f, &err) < 0)
		abort();
}

/* Whether an OpenVEX not_affected statement for CVE-1 naming `product`
 * suppresses a finding CVE-1 on the package `pkg_purl`. */
static bool suppresses(const char *product, const char *pkg_purl)
{
	char doc[1024];
	snprintf(doc, sizeof(doc),
	         "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{"
	         "\"vulnerability\":{\"name\":\"CVE-1\"},\"products\":[{\"@id\":\"%s\"}],"
	         "\"status\":\"not_affected\",\"justification\":\"component_not_present\"}]}",
	         product);
	struct hull_suppressions *s = NULL;
	struct hull_findings l = {0};
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	bool hit = false;
	if (hull_suppressions_new(&s, &err) == 0 &&
	    hull_suppressions_parse_vex(s, doc, strlen(doc), "vex.json", &diag, &err) == 0) {
		add(&l, "CVE-1", pkg_purl);
		hull_suppressions_apply(s, &l, &diag);
		hit = l.items[0].suppressed;
	}
	hull_findings_release(&l);
	hull_suppressions_free(s);
	hull_diag_release(&diag);
	return hit;
}

/* A required field given empty is refused naming the file and the entry,
 * like a missing one: an empty id or package matches nothing, so the entry
 * would silently suppress nothing (the class of server_images' empty
 * digest). */
static void test_empty_fields(void)
{
	static const struct {
		bool vex;
		const char *doc, *says;
	} cases[] = {
	    {false, "- id: \"\"\n  reason: r\n", "line 1"},
	    {false, "- id: CVE-1\n  package: \"\"\n  reason: r\n", "line 1"},
	    {false, "- path: \"\"\n  reason: r\n", "line 1"},
	    {true,
	     "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{"
	     "\"vulnerability\":{\"name\":\"\"},\"products\":[{\"@id\":\"pkg:npm/x\"}],"
	     "\"status\":\"not_affected\"}]}",
	     "statement 1"},
	    {true,
	     "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{"
	     "\"vulnerability\":\"\",\"products\":[{\"@id\":\"pkg:npm/x\"}],"
	     "\"status\":\"fixed\"}]}",
	     "statement 1"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_suppressions *s = NULL;
		struct hull_diag diag;
		struct hull_err err = {0};
		hull_diag_init(&diag);
		const char *name = cases[i].vex ? "vex.json" : ".hullignore";
		int rc = hull_suppressions_new(&s, &err);
		if (rc == 0)
			rc = cases[i].vex
			         ? hull_suppressions_parse_vex(
			               s, cases[i].doc, strlen(cases[i].doc), name, &diag, &err)
			         : hull_suppressions_parse_ignore(
			               s, cases[i].doc, strlen(cases[i].doc), name, 0, &diag, &err);
		TAP_OK(rc < 0 && strstr(err.msg, name) && strstr(err.msg, cases[i].says) &&
		           strstr(err.msg, "empty"),
		       "%s case %zu: an empty required field is refused (%s)", name, i, err.msg);
		hull_suppressions_free(s);
		hull_diag_release(&diag);
	}
}

/* CycloneDX: a suppressing analysis of a vulnerability without an id is
 * ignored with a warning naming it. */
static void test_cdx_empty_id(void)
{
	const char *doc = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
	                  "\"vulnerabilities\":[{\"id\":\"\",\"analysis\":{\"state\":"
	                  "\"not_affected\"},\"affects\":[{\"ref\":\"pkg:npm/x@1\"}]}]}";
	struct hull_suppressions *s = NULL;
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	int rc = hull_suppressions_new(&s, &err);
	if (rc == 0)
		rc = hull_suppressions_parse_vex(s, doc, strlen(doc), "bom.json", &diag, &err);
	struct hull_buf b;
	hull_buf_init(&b, 1 << 16);
	for (size_t i = 0; i < diag.n; i++)
		hull_buf_printf(&b, NULL, "%s;", diag.msgs[i]);
	TAP_OK(rc == 0 && b.data && strstr(b.data, "bom.json") &&
	           strstr(b.data, "vulnerabilities[0] has an empty id"),
	       "CycloneDX: an empty id is a warning naming the entry (%s)",
	       b.data ? b.data : err.msg);
	hull_buf_release(&b);
	hull_suppressions_free(s);
	hull_diag_release(&diag);
}

int main(void)
{
	test_empty_fields();
	test_cdx_empty_id();
	const char *hull_pypi = "pkg:pypi/django-package@1.11.1?x=y";
	TAP_OK(suppresses("pkg:pypi/django-package@1.11.1", hull_pypi), "same spelling");
	TAP_OK(suppresses("pkg:pypi/django-package", hull_pypi), "a product without version");
	TAP_OK(suppresses("pkg:PYPI/Django_Package@1.11.1", hull_pypi),
	       "type case and pypi's name rules (the spec's own example spelling)");
	TAP_OK(suppresses("pkg:npm/@scope/x@1.0.0", "pkg:npm/%40scope/x@1.0.0"),
	       "an unencoded npm scope");
	TAP_OK(suppresses("pkg://deb/Debian/OpenSSL@3.0.11-1", "pkg:deb/debian/openssl@3.0.11-1"),
	       "slashes after the scheme, deb namespace and name case");
	TAP_OK(suppresses("pkg:deb/debian/openssl@3.0.11-1%2Bb1",
	                  "pkg:deb/debian/openssl@3.0.11-1+b1"),
	       "an encoded '+' in the version");
	TAP_OK(!suppresses("pkg:pypi/django-package@1.11.2", hull_pypi), "another version");
	TAP_OK(!suppresses("pkg:npm/django-package@1.11.1", hull_pypi), "another type");
	TAP_OK(!suppresses("pkg:maven/Org.X/Lib@1", "pkg:maven/org.x/lib@1"),
	       "maven names are case-sensitive");
	return tap_done();
}
