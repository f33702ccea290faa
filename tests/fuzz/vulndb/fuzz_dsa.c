/* fuzz_dsa: Debian's native DSA / DLA lists; the first byte picks which. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	struct hull_vulndb_builder *b;
	struct hull_err err = {0};
	if (hull_vulndb_builder_new(NULL, &b, &err) < 0)
		return 0;
	struct vdb_doc doc = {.name = "fuzz", .data = (const char *)data + 1, .len = size - 1};
	vdb_parse_dsa_list(
	    b, &doc, data[0] & 1 ? HULL_VULNDB_SRC_DEBIAN_DLA : HULL_VULNDB_SRC_DEBIAN_DSA, &err);
	fuzz_roundtrip(b);
	hull_vulndb_builder_free(b);
	return 0;
}
