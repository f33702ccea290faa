/* fuzz_apk: the apk installed-database parser. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_apk_parse, data, size, "lib/apk/db/installed");
	return 0;
}
