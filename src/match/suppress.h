/* suppress: findings a team has decided about, from a .hullignore file and
 * from VEX documents (OpenVEX, CycloneDX VEX).
 *
 * A suppressed finding stays in the list, marked `suppressed` with the
 * reason, so reports can audit it (--show-suppressed) and the exit code
 * ignores it.
 *
 * .hullignore (YAML): a list of entries, or a mapping whose `ignore` key
 * holds the list. Each entry has a required `reason` and at least one of
 *   id:       a vulnerability id, matched against the finding's id and
 *             aliases (glob patterns allowed: "GHSA-*")
 *   package:  a package URL pattern ("pkg:deb/debian/openssl*"), matched
 *             against the finding's package URL without its qualifiers
 *   path:     a glob matched against the file the package came from
 *   expires:  YYYY-MM-DD; from that day on the entry no longer suppresses
 *             and is reported as expired
 * Every criterion given must match. A malformed file is an error naming
 * the file and line.
 *
 * VEX: OpenVEX statements and CycloneDX `vulnerabilities[].analysis`
 * suppress a finding when they say not_affected (OpenVEX also `fixed`;
 * CycloneDX also false_positive and resolved) for its id or an alias and
 * for its package (a product or subcomponent purl; an image product with no
 * subcomponents covers every package). The reason carries the
 * justification and impact statement. */
#ifndef HULL_MATCH_SUPPRESS_H
#define HULL_MATCH_SUPPRESS_H

#include <time.h>

#include "report/findings.h"
#include "util/diag.h"
#include "util/err.h"

struct hull_suppressions;

int hull_suppressions_new(struct hull_suppressions **out, struct hull_err *err);
/* now decides which entries have expired. Expired entries are warnings. */
int hull_suppressions_load_ignorefile(struct hull_suppressions *s, const char *path, time_t now,
                                      struct hull_diag *diag, struct hull_err *err);
int hull_suppressions_load_vex(struct hull_suppressions *s, const char *path,
                               struct hull_diag *diag, struct hull_err *err);
/* The same from a document in memory (data[0..len), not NUL-terminated;
 * borrowed), named `path` in messages: for tests and the fuzz harnesses.
 * At most 16 MiB, as for files. */
int hull_suppressions_parse_ignore(struct hull_suppressions *s, const char *data, size_t len,
                                   const char *path, time_t now, struct hull_diag *diag,
                                   struct hull_err *err);
int hull_suppressions_parse_vex(struct hull_suppressions *s, const char *data, size_t len,
                                const char *path, struct hull_diag *diag, struct hull_err *err);
/* Marks the findings the rules cover. An entry that matched nothing is a
 * warning (a stale suppression). */
void hull_suppressions_apply(const struct hull_suppressions *s, struct hull_findings *list,
                             struct hull_diag *diag);
void hull_suppressions_free(struct hull_suppressions *s);

#endif
