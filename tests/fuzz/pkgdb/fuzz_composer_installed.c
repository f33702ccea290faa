/* fuzz_composer_installed: installed.json (Composer 1 and 2 forms). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_composer_installed_parse, data, size, "app/vendor/composer/installed.json");
	return 0;
}
