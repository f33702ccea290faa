/* What the suppression harnesses share: a fixed list of findings (ids,
 * aliases, purls with scopes, qualifiers and versions, files) that each
 * parsed rule set is applied to, so matching runs too, not only parsing. */
#ifndef HULL_FUZZ_MATCH_COMMON_H
#define HULL_FUZZ_MATCH_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_add(struct hull_findings *l, const char *id, const char *alias, const char *purl,
                     const char *file)
{
	struct hull_finding f = {.kind = HULL_FINDING_VULNERABILITY,
	                         .id = strdup(id),
	                         .title = strdup("t"),
	                         .severity = HULL_SEV_HIGH};
	if (alias && (f.aliases = calloc(1, sizeof(char *))) && (f.aliases[0] = strdup(alias)))
		f.naliases = 1;
	f.vuln.pkg_purl = purl ? strdup(purl) : NULL;
	f.loc.file = file ? strdup(file) : NULL;
	struct hull_err err = {0};
	if (hull_findings_add(l, &f, &err) < 0)
		abort();
}

/* Applies s to the fixed findings; every marked finding has a reason. */
static void fuzz_apply(const struct hull_suppressions *s)
{
	struct hull_findings l = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	fuzz_add(&l, "CVE-2023-0464", "DSA-5417-1", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64",
	         "var/lib/dpkg/status");
	fuzz_add(&l, "GHSA-jf85-cpcp-j695", "CVE-2019-10744", "pkg:npm/%40scope/lodash@4.17.15",
	         "app/node_modules/lodash/package.json");
	fuzz_add(&l, "CVE-2022-40897", NULL, "pkg:pypi/setuptools@65.5.0", NULL);
	fuzz_add(&l, "CVE-2024-0001", NULL, NULL, "etc/app.conf");
	hull_suppressions_apply(s, &l, &diag);
	for (size_t i = 0; i < l.n; i++)
		if (l.items[i].suppressed && !l.items[i].suppression)
			abort();
	hull_findings_release(&l);
	hull_diag_release(&diag);
}

#endif
