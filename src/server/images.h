/* images: the image check of hull serve: the last `hull image` report of
 * an image, found by its manifest digest in a directory of reports.
 *
 * The directory holds documents written by `hull image --format
 * json=DIR/NAME.json` (any names ending in .json). Each is indexed by its
 * target.digest; when several name one digest, the newest createdAt wins.
 * The index is refreshed at most every HULL_IMAGES_REFRESH_S seconds,
 * re-reading only files whose size or modification time changed, so
 * reports can be added or rewritten while the server runs.
 *
 * Limits: HULL_IMAGES_MAX_FILES reports, HULL_IMAGES_MAX_BYTES each;
 * larger or unreadable files, and findings reports without a usable
 * target.digest, are skipped, counted, and listed with the reason
 * (hull_images_errors). Thread-safe. */
#ifndef HULL_SERVER_IMAGES_H
#define HULL_SERVER_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "report/findings.h"
#include "util/buf.h"
#include "util/err.h"

#define HULL_IMAGES_MAX_FILES 10000u
#define HULL_IMAGES_MAX_BYTES (64u << 20)
#define HULL_IMAGES_REFRESH_S 2

struct hull_images;

/* dir is copied. Fails when dir is not a readable directory. */
int hull_images_open(const char *dir, struct hull_images **out, struct hull_err *err);
void hull_images_free(struct hull_images *im);

struct hull_image_result {
	unsigned by_severity[HULL_SEV_COUNT]; /* unsuppressed findings */
	char created[32];                     /* the report's createdAt */
};

/* "sha256:<64 hex>" fits with room to spare; a longer digest is skipped. */
#define HULL_IMAGES_DIGEST_MAX 136

/* Reads one report document (untrusted, data[0..len), `name` for
 * messages): 1 with digest and *out filled for a findings report
 * (documentType "findings") that names its target's digest
 * ("sha256:<64 lowercase hex>", what `hull image` writes) and has
 * summary.bySeverity; 0, with digest "" and *out zeroed, for a document of
 * another type (an SBOM beside the reports); -1, digest "" and *out
 * zeroed, for a findings report the check cannot use (invalid JSON,
 * target.digest missing, empty or malformed, no summary.bySeverity), with
 * err naming the file and the field. Counts are capped at 10^9. Exported
 * for the fuzz harness. */
int hull_images_parse_report(const char *data, size_t len, const char *name,
                             char digest[HULL_IMAGES_DIGEST_MAX], struct hull_image_result *out,
                             struct hull_err *err);

/* Looks up a digest ("sha256:<hex>"). Returns 1 with *out filled when a
 * report exists, 0 when none does. */
int hull_images_lookup(struct hull_images *im, const char *digest, struct hull_image_result *out);

/* Reports indexed, files skipped (for the start-up log and tests). */
void hull_images_stats(struct hull_images *im, size_t *indexed, size_t *skipped);

/* Appends "FILE: reason" for each report refused (hull_images_parse_report
 * failed, too large, unreadable), "; "-separated, at most 10 (then
 * "; and N more"); returns how many were refused. For the server's log. */
size_t hull_images_errors(struct hull_images *im, struct hull_buf *out);

#endif
