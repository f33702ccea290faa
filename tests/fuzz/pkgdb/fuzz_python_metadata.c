/* fuzz_python_metadata: Python METADATA / PKG-INFO headers. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_python_metadata_parse, data, size, "x.dist-info/METADATA");
	return 0;
}
