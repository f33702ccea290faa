/* findings_sample: in-memory findings lists for the findings writers'
 * tests.
 *
 * Built by hand, so the writers are tested on every shape their input can
 * take: vulnerabilities with aliases, CVSS v2/v3/v4 vectors, vendor
 * severities, fixed / unfixed / will-not-fix statuses, ignore-file and
 * VEX suppressions, a package missing from the inventory; misconfigurations
 * with file, line, column, end positions and objects, an inline
 * suppression, findings without a file; and hostile strings (terminal
 * escapes, bidi overrides, invalid UTF-8, XML and Markdown syntax, quotes,
 * @mentions, very long values) in every field. The image and inventory of
 * the vulnerability samples are those of ../sample.h. */
#ifndef HULL_TESTS_REPORT_FINDINGS_SAMPLE_H
#define HULL_TESTS_REPORT_FINDINGS_SAMPLE_H

#include "../sample.h"
#include "report/findings.h"

enum fsample_kind {
	FS_VULNS,  /* the Debian sample image with its inventory, vulnerabilities */
	FS_NOINV,  /* the same findings, target known by name only (an SBOM scan) */
	FS_CONFIG, /* misconfigurations (and a host finding) over config files */
	FS_EMPTY,  /* no findings; an "unsupported distribution" warning */
	FS_ALPINE, /* a small clean-cut case: two packages, three findings */
	FS_COUNT
};

struct fsample {
	struct sample img; /* image + inventory (FS_VULNS, FS_ALPINE, FS_EMPTY) */
	bool has_img;
	struct hull_findings list;
	struct hull_diag diag;
	struct hull_findings_input in;
};

extern const char *const fsample_names[FS_COUNT];

/* Fills s (aborts on allocation failure: test code). now is fixed. */
void fsample_build(struct fsample *s, enum fsample_kind kind);
void fsample_free(struct fsample *s);

#endif
