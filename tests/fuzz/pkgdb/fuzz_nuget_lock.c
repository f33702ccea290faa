/* fuzz_nuget_lock: packages.lock.json (frameworks, projects). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_nuget_lock_parse, data, size, "src/App/packages.lock.json");
	return 0;
}
