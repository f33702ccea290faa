/* libFuzzer harness: a VEX document (OpenVEX statements or a CycloneDX BOM
 * with vulnerabilities[].analysis), then applied to the fixed findings of
 * fuzz_common.h. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_suppressions *s = NULL;
	struct hull_diag diag;
	struct hull_err err = {0};
	if (hull_suppressions_new(&s, &err) < 0)
		return 0;
	hull_diag_init(&diag);
	int rc = hull_suppressions_parse_vex(s, (const char *)data, size, "vex.json", &diag, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	if (rc == 0)
		fuzz_apply(s);
	hull_diag_release(&diag);
	hull_suppressions_free(s);
	return 0;
}
