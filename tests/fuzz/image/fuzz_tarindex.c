/* Fuzzes the table of contents of docker-archive / OCI archive tars. */
#include <stdint.h>
#include <stdlib.h>

#include "image/tarindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tarindex ti;
	struct hull_err err = {0};
	if (tarindex_build_mem(&ti, data, size, "fuzz.tar", &err) == 0) {
		for (size_t i = 0; i < ti.n; i++)
			tarindex_find(&ti, ti.members[i].name);
		tarindex_find(&ti, "manifest.json");
		tarindex_release(&ti);
	}
	return 0;
}
