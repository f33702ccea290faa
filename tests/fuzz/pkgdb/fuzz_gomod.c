/* fuzz_gomod: go.mod (directives, blocks, replacements). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_gomod_parse, data, size, "app/go.mod");
	return 0;
}
