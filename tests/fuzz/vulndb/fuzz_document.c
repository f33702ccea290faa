/* fuzz_document: format detection and containers (zip, gzip, xz, zstd,
 * tar) over any input, as hull db build sees a file. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_vulndb_builder *b;
	struct hull_err err = {0};
	if (hull_vulndb_builder_new(NULL, &b, &err) < 0)
		return 0;
	hull_vulndb_builder_add_buffer(b, "fuzz", data, size, &err);
	fuzz_roundtrip(b);
	hull_vulndb_builder_free(b);
	return 0;
}
