/* fuzz_gradle_lock: gradle.lockfile (group:name:version=configurations). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(hull_gradle_lock_parse, data, size, "app/gradle.lockfile");
	return 0;
}
