/* fuzz_csaf: one CSAF 2.0 document (Red Hat advisory or VEX), JSON (first
 * byte even) or YAML (odd). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_object(vdb_parse_csaf, data, size);
	return 0;
}
