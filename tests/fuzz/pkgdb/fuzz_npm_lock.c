/* fuzz_npm_lock: package-lock.json v1-v3 (links, nesting, dedup). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_npm_lock_parse, data, size, "app/package-lock.json");
	return 0;
}
