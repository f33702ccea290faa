/* fuzz_go: Go build info. An input starting with the ELF, PE ("MZ") or
 * Mach-O magic goes through that reader and the digest first (pointers,
 * sections, segments, load commands, varints); any other input is read as
 * a digest (the module lines). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool exe = (size >= 4 && (!memcmp(data,
	                                  "\x7f"
	                                  "ELF",
	                                  4) ||
	                          !memcmp(data, "\xcf\xfa\xed\xfe", 4) ||
	                          !memcmp(data, "\xce\xfa\xed\xfe", 4))) ||
	           (size >= 2 && !memcmp(data, "MZ", 2));
	if (exe) {
		char *exact = malloc(size);
		if (!exact)
			return 0;
		memcpy(exact, data, size);
		struct hull_buf d;
		hull_buf_init(&d, 1u << 20);
		struct hull_err err = {0};
		if (hull_go_digest(exact, size, &d, &err) > 0)
			fuzz_parse(hull_go_buildinfo_parse, (const uint8_t *)d.data, d.len,
			           "usr/bin/app");
		hull_buf_release(&d);
		free(exact);
		return 0;
	}
	fuzz_parse(hull_go_buildinfo_parse, data, size, "usr/bin/app");
	return 0;
}
