/* fuzz_yarn_lock: yarn.lock, classic and berry. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_yarn_lock_parse, data, size, "app/yarn.lock");
	return 0;
}
