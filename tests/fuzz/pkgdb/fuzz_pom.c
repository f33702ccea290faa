/* fuzz_pom: Maven's pom.xml (libxml2, properties, dependencies). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_pom_parse, data, size, "app/pom.xml");
	return 0;
}
