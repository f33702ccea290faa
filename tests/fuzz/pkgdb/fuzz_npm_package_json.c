/* fuzz_npm_package_json: the package.json of an installed npm module. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_npm_package_json_parse, data, size, "node_modules/x/package.json");
	return 0;
}
