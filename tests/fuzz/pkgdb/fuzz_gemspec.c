/* fuzz_gemspec: installed gem specifications (string literals, arrays). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_gemspec_parse, data, size, "var/lib/gems/3.1.0/specifications/x-1.gemspec");
	return 0;
}
