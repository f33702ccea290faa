/* fuzz_cvelist: the Debian tracker's data/CVE/list. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_vulndb_builder *b;
	struct hull_err err = {0};
	if (hull_vulndb_builder_new(NULL, &b, &err) < 0)
		return 0;
	struct vdb_doc doc = {.name = "fuzz", .data = (const char *)data, .len = size};
	vdb_parse_cve_list(b, &doc, &err);
	fuzz_roundtrip(b);
	hull_vulndb_builder_free(b);
	return 0;
}
