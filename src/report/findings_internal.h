/* findings_internal: what the findings writers share (not a public API).
 *
 * hull_fctx_init resolves, once per document, what several writers need:
 * the findings in hull_finding_cmp order (pointers into the caller's list,
 * which is never modified), the counts of the summary line, the document
 * time and the display strings of the target. The writers themselves are
 * rows of a table (writer.h), not declared here. */
#ifndef HULL_REPORT_FINDINGS_INTERNAL_H
#define HULL_REPORT_FINDINGS_INTERNAL_H

#include "report/findings.h"
#include "report/internal.h"
#include "report/jsonw.h"
#include "util/term.h"

struct hull_findings_summary {
	size_t total; /* unsuppressed findings */
	size_t by_severity[HULL_SEV_COUNT];
	size_t by_kind[HULL_FINDING_KIND_COUNT];
	size_t by_kind_severity[HULL_FINDING_KIND_COUNT][HULL_SEV_COUNT];
	size_t suppressed;
	size_t packages; /* distinct packages with an unsuppressed vulnerability */
	size_t files;    /* distinct files with another unsuppressed finding */
	size_t where[HULL_FINDING_KIND_COUNT]; /* per kind: packages (vulnerabilities) or files */
};

struct hull_fctx {
	const struct hull_findings_input *in;
	const struct hull_finding **sorted; /* every finding, hull_finding_cmp order */
	size_t n;
	struct hull_findings_summary sum;
	const char *tool_version;
	const char *os; /* display string, or NULL when unknown */
	char os_buf[256];
	char created[32]; /* "2024-05-01T12:00:00Z" */
};

int hull_fctx_init(struct hull_fctx *c, const struct hull_findings_input *in, struct hull_err *err);
void hull_fctx_release(struct hull_fctx *c);

/* The SBOM input of the target: the caller's image and inventory, or,
 * for the one not given, stand-ins in *img / *inv (an image of no layers
 * named as the target, an empty inventory) that must outlive *sin. The
 * cyclonedx writer tells a stand-in image from c (target.image NULL). */
void hull_fctx_sbom_input(const struct hull_fctx *c, struct hull_image *img,
                          struct hull_inventory *inv, struct hull_sbom_input *sin);

/* "12 vulnerabilities (CRITICAL 1, HIGH 3) in 8 packages; 2 suppressed"
 * (no newline), appended to out. */
int hull_findings_summary_line(const struct hull_fctx *c, struct hull_buf *out,
                               struct hull_err *err);

/* "CVE-1\x1f" style identity of a finding's package: its purl, else type,
 * name and version; plus the file it came from. Written to out (reset). */
int hull_finding_pkg_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err);

/* Findings grouped by a key (a package, a file and object...). */
struct hull_fgroup {
	const struct hull_finding **items; /* hull_finding_cmp order */
	size_t n;
	const char *key;
	bool failing_set;       /* an unsuppressed item exists */
	enum hull_severity max; /* highest unsuppressed severity (valid with failing_set) */
};

struct hull_fgroups {
	struct hull_fgroup *g; /* in key order (bytes) */
	size_t n;
	const struct hull_finding **all; /* owned storage behind items */
	char **keys;                     /* owned, one per group */
};

typedef int (*hull_fgroup_key_fn)(const struct hull_finding *f, struct hull_buf *out,
                                  struct hull_err *err);
typedef bool (*hull_fgroup_want_fn)(const struct hull_finding *f, const void *ctx);

/* Groups the findings of c that want() selects by key(). */
int hull_fgroups_build(const struct hull_fctx *c, hull_fgroup_want_fn want, const void *ctx,
                       hull_fgroup_key_fn key, struct hull_fgroups *out, struct hull_err *err);
void hull_fgroups_release(struct hull_fgroups *g);
/* The group with this key (binary search), its index in *index. */
const struct hull_fgroup *hull_fgroups_find(const struct hull_fgroups *g, const char *key,
                                            size_t *index);

/* key functions: file \x1f object; file. */
int hull_finding_object_key(const struct hull_finding *f, struct hull_buf *out,
                            struct hull_err *err);
int hull_finding_file_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err);
/* The id alone (no separator): for hull_fgroups_find(groups, f->id). */
int hull_finding_id_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err);

/* SHA-256 (64 hex) of what identifies a finding across scans: kind, id,
 * file, object; for vulnerabilities the package (type, name, file), for
 * the others the message. Lines and versions are left out, so an edit
 * above a finding or an upgrade that keeps it vulnerable keeps its
 * fingerprint. */
int hull_finding_fingerprint(const struct hull_finding *f, char hex[65], struct hull_err *err);

/* True when s is an http(s) URL safe to emit where a "uri" is checked
 * (RFC 3986) and to offer as a link: a host, then only unreserved,
 * reserved and well-formed '%' escapes; no spaces, controls, non-ASCII
 * bytes or brackets. Other schemes (javascript:, file:) are refused. */
bool hull_report_uri_ok(const char *s);

/* Appends s as a URI reference (a relative path stays relative): bytes
 * outside unreserved / sub-delims / ':' '@' '/' are percent-encoded, and
 * a ':' in the first segment too, so it is never taken for a scheme. */
int hull_report_uri_path(struct hull_buf *out, const char *s, struct hull_err *err);

/* The CVSS qualitative band of a score (v3/v4): 0 none (UNKNOWN here),
 * 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL. */
enum hull_severity hull_severity_of_score(double score);

/* Severity counts in the summary's order, for "(CRITICAL 1, HIGH 3)". */
extern const enum hull_severity hull_severity_desc[HULL_SEV_COUNT];

/* cyclonedx.c: the SBOM of sc (its inventory's packages) plus the
 * vulnerabilities of c (for the cyclonedx row, findings_cyclonedx.c). */
int hull_report_write_cyclonedx_vulns(const struct hull_report_ctx *sc, const struct hull_fctx *c,
                                      struct hull_buf *out, struct hull_err *err);

/* Terminal-safe text for table and markdown (tty.c). Sticky errors as in
 * jsonw: the first failure is kept in rc and err, later calls do nothing. */
struct hull_tw {
	struct hull_buf *out;
	struct hull_err *err;
	int rc;
	bool color;
};

void hull_tw_put(struct hull_tw *t, const char *s, size_t n);
void hull_tw_puts(struct hull_tw *t, const char *s);
void hull_tw_printf(struct hull_tw *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes code only when colours are on. */
void hull_tw_style(struct hull_tw *t, const char *code);
void hull_tw_pad(struct hull_tw *t, size_t n);
/* Writes s in at most limit columns, filtered by util/term.h, "…" marking
 * a cut; returns the columns used. */
size_t hull_tw_text(struct hull_tw *t, const char *s, size_t limit);
/* Removes spaces at the end of the output (before a newline). */
void hull_tw_trim(struct hull_tw *t);

/* Appends s as Markdown text: the ASCII punctuation Markdown or GitHub
 * could read as syntax is backslash-escaped, '@' gets a zero-width space
 * after it (no one is mentioned), '&' is written &amp;, controls and bidi
 * overrides become '?', invalid UTF-8 U+FFFD. inline: for text that never
 * starts a line (table cells, after a list marker): newlines and tabs
 * become spaces and only inline syntax (\ ` * _ [ ] < > | ~) is escaped;
 * else newlines are kept and block syntax (# - + . = ! ...) is escaped
 * too. At most limit columns, "…" marking a cut. Returns the columns used. */
size_t hull_md_text(struct hull_tw *t, const char *s, size_t limit, bool inline_);

#endif
