/* fuzz_dotnet_deps: .NET *.deps.json (libraries of type package). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_dotnet_deps_parse, data, size, "app/App.deps.json");
	return 0;
}
