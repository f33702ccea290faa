/* fuzz_composer_lock: composer.lock (packages, licenses). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_composer_lock_parse, data, size, "app/composer.lock");
	return 0;
}
