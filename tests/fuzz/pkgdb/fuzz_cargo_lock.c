/* fuzz_cargo_lock: Cargo.lock v1-v4. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_cargo_lock_parse, data, size, "app/Cargo.lock");
	return 0;
}
