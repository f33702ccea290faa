/* fuzz_poetry_lock: poetry.lock (the TOML reader). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_poetry_lock_parse, data, size, "app/poetry.lock");
	return 0;
}
