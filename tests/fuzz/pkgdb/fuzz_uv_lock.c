/* fuzz_uv_lock: uv.lock (the TOML reader, inline tables). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_uv_lock_parse, data, size, "app/uv.lock");
	return 0;
}
