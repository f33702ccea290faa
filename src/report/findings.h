/* findings: the one result model of every hull scan.
 *
 * Vulnerabilities (hull image / rootfs / sbom-scan), misconfigurations
 * (hull config), host and network checks all produce `struct hull_finding`
 * values in a `struct hull_findings` list, and one set of writers (table,
 * json, sarif, junit, markdown; cyclonedx for vulnerabilities) turns any
 * list into a document, so one pipeline step can gate on all of them with
 * one exit-code rule (hull_findings_max_severity).
 *
 * Ownership: a findings list owns every finding and every string in it
 * (malloc'ed); hull_findings_add takes ownership of the finding's strings,
 * on success and on failure. Strings may be NULL unless noted. */
#ifndef HULL_REPORT_FINDINGS_H
#define HULL_REPORT_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum hull_severity {
	HULL_SEV_UNKNOWN = 0,
	HULL_SEV_LOW,
	HULL_SEV_MEDIUM,
	HULL_SEV_HIGH,
	HULL_SEV_CRITICAL,
};

/* "UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL" */
const char *hull_severity_name(enum hull_severity s);
/* Case-insensitive; also accepts "negligible" (as LOW) and "moderate"
 * (as MEDIUM). Unknown words are HULL_ERR_USAGE. */
int hull_severity_parse(const char *s, enum hull_severity *out, struct hull_err *err);

enum hull_finding_kind {
	HULL_FINDING_VULNERABILITY,
	HULL_FINDING_MISCONFIG,
	HULL_FINDING_HOST,
	HULL_FINDING_NETWORK,
	HULL_FINDING_SECRET,
};

/* "vulnerability", "misconfiguration", "host", "network", "secret" */
const char *hull_finding_kind_name(enum hull_finding_kind k);

/* Where a finding is: a file position (Dockerfile, manifest, sshd_config),
 * an image layer, and/or an object inside the file. */
struct hull_location {
	char *file;	      /* path as given by the user, or inside the image */
	unsigned line, col;   /* 1-based; 0 when unknown */
	unsigned end_line, end_col;
	char *layer_digest;   /* image findings: the layer that brought it */
	char *layer_diff_id;
	char *object;	      /* "Deployment default/web", "service web", "container app" */
};

/* Vulnerability status, as the distributions say it. */
enum hull_vuln_status {
	HULL_VULN_FIXED = 0,	 /* a fixed version exists */
	HULL_VULN_AFFECTED,	 /* no fix yet */
	HULL_VULN_WILL_NOT_FIX,
	HULL_VULN_FIX_DEFERRED,
	HULL_VULN_END_OF_LIFE,
};
const char *hull_vuln_status_name(enum hull_vuln_status s); /* "fixed", "affected", ... */

struct hull_vuln_info {
	char *pkg_name;
	char *pkg_version;	  /* installed */
	char *pkg_type;		  /* "deb", "apk", "rpm", "npm", "pypi" */
	char *pkg_purl;
	char *src_name;		  /* the source package the advisory names */
	char *fixed_version;	  /* NULL: no fix */
	enum hull_vuln_status status;
	double cvss_score;	  /* 0 when unknown */
	char *cvss_vector;
	char *severity_source;	  /* "debian", "nvd", "ghsa", "cvss" ... */
};

struct hull_finding {
	enum hull_finding_kind kind;
	char *id;		/* required: "CVE-2023-1234", "GHSA-...", "HULL-C001" */
	char **aliases;		/* other ids of the same vulnerability */
	size_t naliases;
	enum hull_severity severity;
	char *title;		/* required: one line */
	char *message;		/* this occurrence: "container app runs as root (no USER ...)" */
	char *description;	/* longer rationale; for SARIF rule help */
	char *remediation;
	char *primary_url;
	char **references;	/* further URLs */
	size_t nreferences;
	struct hull_location loc;
	struct hull_vuln_info vuln; /* kind == HULL_FINDING_VULNERABILITY only */
	bool suppressed;	    /* kept for --show-suppressed, ignored by the exit code */
	char *suppression;	    /* why: ".hullignore: reason", "VEX not_affected: ..." */
};

struct hull_findings {
	struct hull_finding *items;
	size_t n, cap;
};

/* Appends f (moved in: f's strings now belong to the list). */
int hull_findings_add(struct hull_findings *list, struct hull_finding *f, struct hull_err *err);
/* Sorts by severity (highest first), then id, file, line, object. */
void hull_findings_sort(struct hull_findings *list);
/* Highest severity among the findings that are not suppressed, or -1 when
 * there are none. */
int hull_findings_max_severity(const struct hull_findings *list);
void hull_finding_release(struct hull_finding *f);
void hull_findings_release(struct hull_findings *list);

#endif
