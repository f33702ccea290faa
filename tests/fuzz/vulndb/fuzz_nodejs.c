/* fuzz_nodejs: a Node.js security WG advisory (JSON first byte even,
 * YAML odd). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_object(vdb_parse_nodejs_wg, data, size);
	return 0;
}
