/* fuzz_secdb: Alpine / Wolfi secdb, JSON (first byte even) or YAML (odd). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_object(vdb_parse_secdb, data, size);
	return 0;
}
