/* fuzz_common: runs one pkgdb parser over a fuzz input held in a buffer of
 * exactly its size, so that a read past the end is caught in replay mode
 * as well as under libFuzzer, then releases everything. */
#ifndef HULL_FUZZ_PKGDB_COMMON_H
#define HULL_FUZZ_PKGDB_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*fuzz_parser)(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err);

static inline void fuzz_parse(fuzz_parser parse, const uint8_t *data, size_t size, const char *file)
{
	char *exact = malloc(size ? size : 1);
	if (!exact)
		return;
	if (size)
		memcpy(exact, data, size);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	parse(hull_str(exact, size), file, 0, &inv, &err);
	/* every listed package has a name and a version; the name is never
	 * empty (an empty name has no purl and matches nothing), the version
	 * may be (a go.mod replace by a directory, a jar without one) */
	for (size_t i = 0; i < inv.npkgs; i++)
		if (!inv.pkgs[i].name || !inv.pkgs[i].version || !inv.pkgs[i].file ||
		    !inv.pkgs[i].name[0])
			abort();
	hull_inventory_release(&inv);
	free(exact);
}

#endif
