/* sample: in-memory images and inventories for the report tests.
 *
 * Built by hand (no pkgdb or image code involved) so the writers are
 * tested on exactly the shapes their inputs may take: every package type,
 * layered images and a plain rootfs, an unknown distribution, and hostile
 * strings (quotes, control characters, terminal escapes, bidi overrides,
 * invalid UTF-8, very long values, duplicates). */
#ifndef HULL_TESTS_REPORT_SAMPLE_H
#define HULL_TESTS_REPORT_SAMPLE_H

#include "report/report.h"

enum sample_kind {
	SAMPLE_DEBIAN, /* docker-archive, 3 layers, deb + npm + pypi, hostile strings */
	SAMPLE_ALPINE, /* OCI layout, apk */
	SAMPLE_RPM,    /* OCI archive, rpm with epochs */
	SAMPLE_ROOTFS, /* plain directory, no layers, unknown distribution */
	SAMPLE_EMPTY,  /* an image with no packages */
	SAMPLE_COUNT
};

struct sample {
	struct hull_image img;
	struct hull_inventory inv;
	struct hull_diag diag;
	struct hull_sbom_input in;
};

extern const char *const sample_names[SAMPLE_COUNT];

/* Fills s (aborts on allocation failure: test code). now is fixed. */
void sample_build(struct sample *s, enum sample_kind kind);
void sample_free(struct sample *s);

#endif
