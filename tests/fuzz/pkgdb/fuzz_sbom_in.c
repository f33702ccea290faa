/* Fuzzes reading an inventory from a CycloneDX / SPDX document. */
#include <stdint.h>
#include <stdlib.h>

#include "pkgdb/sbom_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_inventory inv = {0};
	struct hull_diag d;
	struct hull_err err = {0};
	hull_diag_init(&d);
	hull_inventory_from_sbom(hull_str((const char *)data, size), "fuzz.json", &inv, &d, &err);
	hull_inventory_release(&inv);
	hull_diag_release(&d);
	return 0;
}
