/* fuzz_osrelease: the os-release KEY=VALUE parser. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *exact = malloc(size ? size : 1);
	if (!exact)
		return 0;
	if (size)
		memcpy(exact, data, size);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	hull_osrelease_parse(hull_str(exact, size), "etc/os-release", &inv.os, &err);
	hull_inventory_release(&inv);
	free(exact);
	return 0;
}
