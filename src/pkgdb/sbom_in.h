/* sbom_in: an inventory read back from an SBOM (CycloneDX or SPDX JSON),
 * so `hull sbom-scan` matches what another tool, or an earlier hull run,
 * listed.
 *
 * Packages come from package URLs (CycloneDX `purl`, SPDX externalRefs of
 * type purl): deb, apk, rpm, npm and pypi; other types are counted in one
 * warning. The source package comes from the `upstream` qualifier
 * ("openssl" or "openssl@3.0.11-1"), else from hull's or trivy's source
 * properties; an `epoch` qualifier is folded into the version. The
 * distribution comes from an operating-system component / package, else
 * from the `distro` qualifier ("debian-12"). The document is untrusted:
 * sizes and counts are capped, errors name the file. */
#ifndef HULL_PKGDB_SBOM_IN_H
#define HULL_PKGDB_SBOM_IN_H

#include "pkgdb/pkgdb.h"
#include "util/str.h"

/* Fills inv (zeroed by the caller). HULL_ERR_INPUT for a document that is
 * neither CycloneDX nor SPDX JSON. */
int hull_inventory_from_sbom(struct hull_str data, const char *name, struct hull_inventory *inv,
                             struct hull_diag *diag, struct hull_err *err);

#endif
