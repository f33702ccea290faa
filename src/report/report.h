/* report: turning what a scan found into documents people and tools read.
 *
 * One input model (the image, its inventory and the warnings of the scan)
 * and one writer per output format. Writers never print and never touch
 * files: they append the whole document to a capped hull_buf, and the CLI
 * writes that buffer atomically to a file or to stdout.
 *
 * SBOM formats:
 *   table      aligned columns for a terminal (colour only when asked)
 *   json       hull's own schema (docs/report-json.md,
 *              docs/schemas/hull-sbom.schema.json)
 *   cyclonedx  CycloneDX 1.6 JSON
 *   spdx       SPDX 2.3 JSON
 *
 * Invariants: packages appear in a stable order (type, name, version, arch,
 * file, layer) whatever order the inventory holds, so two runs over the
 * same input differ only in the fields that must change (timestamps, the
 * CycloneDX serial number and the SPDX document namespace, both random
 * UUIDs). Every string from the image is escaped for its format; invalid
 * UTF-8 becomes U+FFFD. The input is never modified. */
#ifndef HULL_REPORT_REPORT_H
#define HULL_REPORT_REPORT_H

#include <stdbool.h>
#include <time.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"

enum hull_sbom_format {
	HULL_SBOM_TABLE,
	HULL_SBOM_JSON,
	HULL_SBOM_CYCLONEDX,
	HULL_SBOM_SPDX,
};

/* "table", "json", "cyclonedx", "spdx". */
const char *hull_sbom_format_name(enum hull_sbom_format f);

/* Parses a --format value (the names above, plus the aliases "cdx" and
 * "spdx-json"). Unknown names fail with HULL_ERR_USAGE listing the choices. */
int hull_sbom_format_parse(const char *name, enum hull_sbom_format *out, struct hull_err *err);

struct hull_sbom_input {
	const struct hull_image *image;   /* required; a rootfs has no layers nor digests */
	const struct hull_inventory *inv; /* required */
	const struct hull_diag *diag;     /* warnings of the scan; may be NULL */
	const char *tool_version;         /* "0.1.0"; NULL means HULL_VERSION */
	time_t now;                       /* document creation time (UTC) */
	bool color;                       /* table only: ANSI colours */
};

/* Appends the SBOM of in, in format f, to out. out's max caps the document
 * size: a document that does not fit fails with HULL_ERR_LIMIT (and out
 * holds a partial document the caller must discard). Random UUIDs come
 * from OpenSSL's RAND_bytes; failing to get them is an error. */
int hull_report_sbom(enum hull_sbom_format f, const struct hull_sbom_input *in,
                     struct hull_buf *out, struct hull_err *err);

#endif
