/* fuzz_dpkg: the dpkg status parser; the first byte picks the status file
 * or a status.d entry (where a stanza without Status is installed). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_parse(hull_dpkg_status_parse, data + 1, size - 1,
	           data[0] & 1 ? "var/lib/dpkg/status.d/pkg" : "var/lib/dpkg/status");
	return 0;
}
