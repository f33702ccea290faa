/* fuzz_pipfile_lock: Pipfile.lock. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_pipfile_lock_parse, data, size, "app/Pipfile.lock");
	return 0;
}
