/* fuzz_gemfile_lock: Gemfile.lock sections, specs and platforms. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_gemfile_lock_parse, data, size, "app/Gemfile.lock");
	return 0;
}
