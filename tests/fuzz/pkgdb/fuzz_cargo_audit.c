/* fuzz_cargo_audit: cargo-auditable data. An input starting with the ELF,
 * PE ("MZ") or Mach-O magic goes through the section finder and the
 * inflater (the digest), then the parser; any other input is given to the
 * parser as the JSON. */
#include "fuzz_common.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool binary =
	    size >= 4 && (!memcmp(data,
	                          "\x7f"
	                          "ELF",
	                          4) ||
	                  !memcmp(data, "MZ", 2) || !memcmp(data, "\xcf\xfa\xed\xfe", 4) ||
	                  !memcmp(data, "\xce\xfa\xed\xfe", 4));
	if (!binary) {
		fuzz_parse(hull_cargo_audit_parse, data, size, "usr/bin/app");
		return 0;
	}
	char *exact = malloc(size);
	if (!exact)
		return 0;
	memcpy(exact, data, size);
	struct hull_buf out;
	hull_buf_init(&out, 1u << 20);
	struct hull_err err = {0};
	if (hull_cargo_audit_digest(exact, size, &out, &err) > 0) {
		struct hull_str j = hull_buf_str(&out);
		fuzz_parse(hull_cargo_audit_parse, (const uint8_t *)j.ptr, j.len, "usr/bin/app");
	}
	hull_buf_release(&out);
	free(exact);
	return 0;
}
