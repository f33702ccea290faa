/* diag: warnings collected during a scan.
 *
 * Scanners never print; they record warnings here ("layer sha256:..: a
 * damaged entry was skipped") and the CLI or the report shows them. The
 * list is capped: past HULL_DIAG_MAX messages only a counter grows. */
#ifndef HULL_UTIL_DIAG_H
#define HULL_UTIL_DIAG_H

#include <stddef.h>

#define HULL_DIAG_MAX 1000

struct hull_diag {
	char **msgs; /* owned */
	size_t n;
	size_t cap;
	size_t dropped; /* warnings past the cap */
};

void hull_diag_init(struct hull_diag *d);
/* Records a warning; on OOM or past the cap it only counts it. d may be NULL. */
void hull_diag_warn(struct hull_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hull_diag_release(struct hull_diag *d);

#endif
