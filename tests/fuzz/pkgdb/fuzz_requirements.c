/* fuzz_requirements: requirements.txt (pinned lines, continuations, options). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_requirements_parse, data, size, "app/requirements.txt");
	return 0;
}
