/* fuzz_pnpm_lock: pnpm-lock.yaml 5.x, 6.x, 9.x. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_pnpm_lock_parse, data, size, "app/pnpm-lock.yaml");
	return 0;
}
