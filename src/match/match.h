/* match: an inventory joined with the vulnerability database through the
 * version comparators, giving vulnerability findings.
 *
 * Operating-system packages are matched only against their own
 * distribution's feed for that release: Debian by source package and source
 * version (binary packages inherit their source's advisories), Alpine by
 * origin. Language packages are matched against OSV for their ecosystem
 * (PyPI names PEP 503-normalised by the database, npm scopes as written).
 * One vulnerability is reported once per package: the Debian tracker is
 * authoritative over DSA/DLA lists for the CVEs it covers, and OSV records
 * that alias each other (GHSA and PYSEC) are merged.
 *
 * Packages that cannot be matched are never silently clean: an unknown
 * distribution, a release the database has no feed for, or a package a
 * third party built is a warning in the diag and counted in the result. */
#ifndef HULL_MATCH_MATCH_H
#define HULL_MATCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings.h"
#include "util/diag.h"
#include "util/err.h"
#include "vulndb/vulndb.h"

struct hull_match_result {
	size_t packages;       /* packages looked at */
	size_t matched;        /* packages looked up in a feed */
	size_t unsupported;    /* packages with no feed for their ecosystem / release */
	size_t third_party;    /* OS packages not built by the distribution */
	bool os_unsupported;   /* the distribution or release has no feed */
	char os_namespace[64]; /* "debian:12", "alpine:v3.20"; "" when none */
};

/* The database namespaces a distribution's packages are matched against,
 * the release's own first: "debian:12"; "ubuntu:22.04:lts" then
 * "ubuntu:pro:22.04:lts"; "redhat:9", "rocky-linux:9", "almalinux:9";
 * "suse:linux-enterprise-server-15-sp5" (and its Basesystem module),
 * "opensuse:leap-15.5", "opensuse:tumbleweed"; "alpine:v3.20", "wolfi",
 * "chainguard". */
#define HULL_MATCH_MAX_NS 4
struct hull_match_ns {
	char name[HULL_MATCH_MAX_NS][64];
	size_t n;
};

/* Fills out; -1 (HULL_ERR_NOTFOUND) for a distribution hull has no feed
 * format for, or a release it cannot name. */
int hull_match_os_namespaces(const struct hull_os *os, struct hull_match_ns *out,
                             struct hull_err *err);
/* The first of them (the release's own). */
int hull_match_os_namespace(const struct hull_os *os, char *out, size_t cap, struct hull_err *err);

/* True when a Debian or Alpine version says a third party built it (a
 * vendor repository such as docker's "5:20.10.7~3-0~debian-buster"). */
bool hull_match_third_party(const struct hull_os *os, const struct hull_pkg *pkg);

/* Appends to out one finding per (vulnerability, package) of inv. img
 * (may be NULL) names the layers. Warnings go to diag. Errors: a damaged
 * database row, or out of memory; an invalid installed version is a
 * warning for that package. */
int hull_match_inventory(struct hull_vulndb *db, const struct hull_inventory *inv,
                         const struct hull_image *img, struct hull_findings *out,
                         struct hull_match_result *res, struct hull_diag *diag,
                         struct hull_err *err);

/* End of security support: when the release's vendor has stopped security
 * fixes before `now` (the eol table of the database), appends one finding
 * (id HULL-EOSL, status end_of_life, severity HIGH, package type "os")
 * naming the date and the vendor's page. An Ubuntu image with packages
 * from Ubuntu Pro (ESM) is judged by the Pro end date. Nothing is added for
 * a release the table does not know, or before its date. Errors: a damaged
 * row, out of memory. */
int hull_match_eol(struct hull_vulndb *db, const struct hull_inventory *inv, time_t now,
                   struct hull_findings *out, struct hull_diag *diag, struct hull_err *err);

#endif
