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
 * on success and on failure. Strings may be NULL unless noted.
 *
 * Strings are arbitrary bytes (names from images, values from manifests):
 * every writer escapes them for its format, replaces ill-formed UTF-8 by
 * U+FFFD and never lets them drive a terminal. Writers never modify the
 * list, and give the same document for the same list whatever its order. */
#ifndef HULL_REPORT_FINDINGS_H
#define HULL_REPORT_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"

enum hull_severity {
	HULL_SEV_UNKNOWN = 0,
	HULL_SEV_LOW,
	HULL_SEV_MEDIUM,
	HULL_SEV_HIGH,
	HULL_SEV_CRITICAL,
};
#define HULL_SEV_COUNT (HULL_SEV_CRITICAL + 1)

/* "UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL" */
const char *hull_severity_name(enum hull_severity s);
/* Case-insensitive; also accepts "negligible" (as LOW), "moderate" (as
 * MEDIUM) and "important" (Red Hat's, as HIGH). Unknown words are
 * HULL_ERR_USAGE naming the choices. s may be NULL (an error). */
int hull_severity_parse(const char *s, enum hull_severity *out, struct hull_err *err);

enum hull_finding_kind {
	HULL_FINDING_VULNERABILITY,
	HULL_FINDING_MISCONFIG,
	HULL_FINDING_HOST,
	HULL_FINDING_NETWORK,
	HULL_FINDING_SECRET,
};
#define HULL_FINDING_KIND_COUNT (HULL_FINDING_SECRET + 1)

/* "vulnerability", "misconfiguration", "host", "network", "secret" */
const char *hull_finding_kind_name(enum hull_finding_kind k);

/* Where a finding is: a file position (Dockerfile, manifest, sshd_config),
 * an image layer, and/or an object inside the file. Columns count Unicode
 * code points (as libyaml does), not bytes; SARIF says so in columnKind. */
struct hull_location {
	char *file;         /* path as given by the user, or inside the image */
	unsigned line, col; /* 1-based; 0 when unknown */
	unsigned end_line, end_col;
	char *layer_digest; /* image findings: the layer that brought it */
	char *layer_diff_id;
	char *object; /* "Deployment default/web", "service web", "container app" */
};

/* Vulnerability status, as the distributions say it. */
enum hull_vuln_status {
	HULL_VULN_FIXED = 0, /* a fixed version exists */
	HULL_VULN_AFFECTED,  /* no fix yet */
	HULL_VULN_WILL_NOT_FIX,
	HULL_VULN_FIX_DEFERRED,
	HULL_VULN_END_OF_LIFE,
};
#define HULL_VULN_STATUS_COUNT (HULL_VULN_END_OF_LIFE + 1)
const char *hull_vuln_status_name(enum hull_vuln_status s); /* "fixed", "affected", ... */
/* The names above, case-sensitive; HULL_ERR_USAGE otherwise. */
int hull_vuln_status_parse(const char *s, enum hull_vuln_status *out, struct hull_err *err);

struct hull_vuln_info {
	char *pkg_name;
	char *pkg_version;   /* installed */
	char *pkg_type;      /* "deb", "apk", "rpm", "npm", "pypi" */
	char *pkg_purl;      /* as hull_purl_of_pkg makes it: cyclonedx links by it */
	char *src_name;      /* the source package the advisory names */
	char *fixed_version; /* NULL: no fix */
	enum hull_vuln_status status;
	double cvss_score;     /* 0 when unknown */
	char *cvss_vector;     /* "CVSS:3.1/AV:N/...", "CVSS:4.0/...", or a v2 "AV:N/AC:L/..." */
	char *severity_source; /* "debian", "nvd", "ghsa", "cvss" ... */
};

/* How a suppressed finding was suppressed (ignored when not suppressed). */
enum hull_suppress_kind {
	HULL_SUPPRESS_EXTERNAL = 0, /* .hullignore, --policy, --vex: outside the scanned file */
	HULL_SUPPRESS_IN_SOURCE,    /* an inline "# hull:ignore=ID reason" comment */
};

/* A VEX-style analysis state of a suppressed vulnerability. NONE on a
 * suppressed finding means "suppressed by the user" (an ignore entry);
 * cyclonedx then writes not_affected with the reason as detail. */
enum hull_vex_state {
	HULL_VEX_NONE = 0,
	HULL_VEX_NOT_AFFECTED,
	HULL_VEX_FALSE_POSITIVE,
};

struct hull_finding {
	enum hull_finding_kind kind;
	char *id;       /* required: "CVE-2023-1234", "GHSA-...", "HULL-C001" */
	char **aliases; /* other ids of the same vulnerability; NULL entries are skipped */
	size_t naliases;
	enum hull_severity severity;
	char *title;       /* required: one line */
	char *message;     /* this occurrence: "container app runs as root (no USER ...)" */
	char *description; /* longer rationale; for SARIF rule help */
	char *remediation;
	char *primary_url;
	char **references; /* further URLs; NULL entries are skipped */
	size_t nreferences;
	struct hull_location loc;
	struct hull_vuln_info vuln; /* kind == HULL_FINDING_VULNERABILITY only */
	bool suppressed;            /* kept for --show-suppressed, ignored by the exit code */
	char *suppression;          /* why: ".hullignore: reason", "VEX not_affected: ..." */
	enum hull_suppress_kind suppress_kind;
	enum hull_vex_state vex_state;
	/* A CycloneDX justification ("code_not_present", "requires_environment"
	 * ...) or an OpenVEX one ("vulnerable_code_not_in_execute_path" ...),
	 * which cyclonedx maps to the nearest CycloneDX value. */
	char *vex_justification;
	/* id, aliases, title, description, remediation, primary_url and
	 * references are borrowed from storage that outlives every list (a
	 * rule catalogue) and are not freed: a rule engine reports the same
	 * text thousands of times. Everything else is still owned. */
	bool static_text;
	/* hull scan: the id of the workload it was found in (one of
	 * in->deploy's), and for vulnerabilities the priority of docs/
	 * priority.md, 1 (first) to 4, with the rule's terms that give it
	 * ("CRITICAL 4 + fix 1 + internet 2 + privileged 2 = 9"). Owned; NULL
	 * and 0 elsewhere, and the writers then print none of them. */
	char *workload;
	unsigned priority;
	char *priority_why;
};
#define HULL_PRIORITY_COUNT 5 /* 0 (none), 1 .. 4 */

#define HULL_FINDINGS_MAX 1000000u /* findings in one list */

struct hull_findings {
	struct hull_finding *items;
	size_t n, cap;
};

/* Appends f (moved in: f's strings now belong to the list, and *f is
 * zeroed, so releasing it again is harmless). Fails with HULL_ERR_INPUT
 * when id or title is missing or empty or an enumeration is out of its
 * range (writers rely on it: fill lists with this), HULL_ERR_LIMIT past
 * HULL_FINDINGS_MAX, HULL_ERR_NOMEM; on failure f's strings are freed. */
int hull_findings_add(struct hull_findings *list, struct hull_finding *f, struct hull_err *err);
/* Sorts by severity (highest first), then id, file, line, object. */
void hull_findings_sort(struct hull_findings *list);
/* The order of hull_findings_sort (then package, column, message), for
 * qsort over `const struct hull_finding *` pointers. */
int hull_finding_cmp(const struct hull_finding *a, const struct hull_finding *b);
/* Highest severity among the findings that are not suppressed, or -1 when
 * there are none. */
int hull_findings_max_severity(const struct hull_findings *list);
/* True when an unsuppressed finding is at or above min. */
bool hull_findings_any_at_least(const struct hull_findings *list, enum hull_severity min);

/* Keeps the findings for which keep returns true, in their order, and
 * releases the others. Returns how many were dropped. */
typedef bool (*hull_finding_keep_fn)(const struct hull_finding *f, void *ctx);
size_t hull_findings_filter(struct hull_findings *list, hull_finding_keep_fn keep, void *ctx);
/* The same for the findings from index `from` on (those added since a list
 * held `from`): a caller filtering as it goes never holds what it drops. */
size_t hull_findings_filter_from(struct hull_findings *list, size_t from, hull_finding_keep_fn keep,
                                 void *ctx);

/* A deep copy of src into dst (owned strings copied; static_text ones
 * still borrowed). On failure nothing is left to release. */
int hull_finding_copy(struct hull_finding *dst, const struct hull_finding *src,
                      struct hull_err *err);
void hull_finding_release(struct hull_finding *f);
void hull_findings_release(struct hull_findings *list);

/* ---- Writers ------------------------------------------------------------
 *
 *   table      grouped by package (vulnerabilities) or by file and object
 *              (the others), one summary line at the end; colour only when
 *              asked; terminal-safe
 *   json       hull's own schema (docs/report-json.md,
 *              docs/schemas/hull-findings.schema.json)
 *   sarif      SARIF 2.1.0: one rule per id, results with regions,
 *              logical locations, partialFingerprints and suppressions
 *   junit      JUnit XML: one testsuite per target, one testcase per
 *              package (vulnerabilities) or per rule x object (the others)
 *   markdown   a summary and a table sized for a pull-request comment
 *   cyclonedx  CycloneDX 1.6: the SBOM of the target (report.h) plus a
 *              `vulnerabilities` array with VEX analysis for suppressed ones
 *
 * Which findings a document shows: json, sarif and cyclonedx always carry
 * the suppressed findings, marked as such (a SARIF `suppressions` entry, a
 * CycloneDX analysis state), so tools can audit them; table, markdown and
 * junit show them only with show_suppressed. Every format counts them and
 * every format shows the warnings of the scan (diag). */

enum hull_findings_format {
	HULL_FINDINGS_TABLE,
	HULL_FINDINGS_JSON,
	HULL_FINDINGS_SARIF,
	HULL_FINDINGS_JUNIT,
	HULL_FINDINGS_MARKDOWN,
	HULL_FINDINGS_CYCLONEDX,
	HULL_FINDINGS_HTML,
};
#define HULL_FINDINGS_FORMAT_COUNT (HULL_FINDINGS_HTML + 1)

/* "table", "json", "sarif", "junit", "markdown", "cyclonedx", "html". */
const char *hull_findings_format_name(enum hull_findings_format f);
/* Parses a format name (the names above, plus "md" and "cdx"). Unknown
 * names fail with HULL_ERR_USAGE listing the choices. */
int hull_findings_format_parse(const char *name, enum hull_findings_format *out,
                               struct hull_err *err);

enum hull_target_kind {
	HULL_TARGET_IMAGE,      /* a container image (any form hull reads) */
	HULL_TARGET_ROOTFS,     /* a directory holding a root filesystem */
	HULL_TARGET_CONFIG,     /* configuration files (Dockerfile, compose, manifests) */
	HULL_TARGET_SBOM,       /* an SBOM document (hull sbom-scan) */
	HULL_TARGET_HOST,       /* the running system */
	HULL_TARGET_DEPLOYMENT, /* hull scan: manifests and the images they run */
};
/* "image", "rootfs", "config", "sbom", "host", "deployment" */
const char *hull_target_kind_name(enum hull_target_kind k);

struct hull_image;
struct hull_inventory;

/* What was scanned. All borrowed. */
struct hull_scan_target {
	const char *name; /* required: "debian:12", "k8s/", "Dockerfile" */
	enum hull_target_kind kind;
	const char *path;   /* the argument as given; NULL when it is name */
	const char *digest; /* image manifest digest; NULL when none */
	const char *os;     /* "debian 12 (bookworm)"; NULL: from inv, else unknown */
	/* The image and the inventory of image, rootfs and sbom scans, each
	 * optional. cyclonedx makes its components from the inventory (and
	 * from the findings' packages it does not hold) and describes the
	 * image (else the target by name); junit lists every package of the
	 * inventory as a test case, passing or failing. */
	const struct hull_image *image;
	const struct hull_inventory *inv;
};

/* A deployment (hull scan): its workloads with what makes a finding in
 * them urgent, and who reaches whom. All borrowed. Writers given one
 * group findings by workload (finding->workload) and show priorities;
 * without one (every other command) they are unchanged. */
/* An image change hull measured (hull scan, docs/priority.md): both
 * images were read and matched, and `instead` has fewer OS package
 * vulnerabilities than `image`. text says it in words for the table and
 * HTML. */
struct hull_image_change {
	const char *image;   /* as the workload names it (a Dockerfile: its final base) */
	const char *instead; /* the image of the same repository to use */
	bool base;           /* image is a Dockerfile's base image */
	unsigned had;        /* OS package vulnerabilities of image */
	unsigned removes;    /* of those, not in instead */
	unsigned adds;       /* vulnerabilities of instead that image does not have */
	const char *source;  /* where hull read instead: "the engine", "--image archive" ... */
	const char *text;
};

struct hull_deploy_workload {
	const char *id;   /* unique: hull network's id, else "Dockerfile path" */
	const char *kind; /* "Deployment", "service", "Dockerfile" ... */
	const char *file; /* the manifest that defines it */
	unsigned line;
	const char *const *images; /* one per container: the reference as written */
	size_t nimages;
	const char *const *privileges; /* "privileged (container app)", "runs as root" ... */
	size_t nprivileges;
	const char *const *exposures; /* "published 0.0.0.0:8080->80/TCP", "ingress a.example" */
	size_t nexposures;
	const char *const *reached_by, *const *reaches; /* workload ids */
	size_t nreached_by, nreaches;
	bool internet;         /* an exposure reaches it from outside */
	const char *exposure;  /* the exposure term of the priority rule, in words */
	const char *privilege; /* the privilege term, in words */
	const struct hull_image_change *changes; /* may be NULL */
	size_t nchanges;
};

struct hull_deploy_edge {
	const char *src, *dst; /* workload ids; "(internet)" for the outside */
	const char *ports;     /* "TCP 5432", "all ports" */
};

struct hull_deployment {
	const struct hull_deploy_workload *workloads;
	size_t nworkloads;
	const struct hull_deploy_edge *edges;
	size_t nedges;
};

struct hull_findings_input {
	const struct hull_deployment *deploy; /* hull scan; NULL otherwise */
	const struct hull_findings *findings; /* required */
	struct hull_scan_target target;
	const struct hull_diag
	    *diag; /* warnings of the scan ("unsupported distribution"); may be NULL */
	const char *tool_version; /* NULL means HULL_VERSION */
	time_t now;               /* document time (UTC) */
	bool color;               /* table: ANSI colours */
	bool show_suppressed;     /* table, markdown, junit: list suppressed findings */
	/* junit: a testcase fails when it carries an unsuppressed finding at
	 * or above this (HULL_SEV_UNKNOWN: any finding fails it). */
	enum hull_severity junit_threshold;
};

/* Appends the document of in, in format f, to out. out's max caps the
 * size: a document that does not fit fails with HULL_ERR_LIMIT (out then
 * holds a partial document the caller discards), except markdown, which
 * cuts its table to stay under HULL_MARKDOWN_MAX bytes (a GitHub comment
 * holds 65536 characters) and says how many rows it left out. cyclonedx
 * takes random bytes for its serial number from OpenSSL. Errors:
 * HULL_ERR_USAGE for a missing target name or findings list, and
 * cyclonedx for a config or
 * host scan (it lists packages; other kinds of findings are left out of
 * it); HULL_ERR_LIMIT, HULL_ERR_NOMEM. The message names the format.
 * Formats, layouts and exit codes for users: docs/outputs.md. */
int hull_report_findings(enum hull_findings_format f, const struct hull_findings_input *in,
                         struct hull_buf *out, struct hull_err *err);

#define HULL_MARKDOWN_MAX 60000u

#endif
