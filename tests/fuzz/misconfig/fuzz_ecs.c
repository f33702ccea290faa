/* libFuzzer harness: the ecs front end and every rule over what it builds. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config(data, size, HULL_CONFIG_ECS);
	return 0;
}
