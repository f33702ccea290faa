/* libFuzzer harness: a .hullignore (YAML: a list of entries or a mapping
 * with `ignore:`) parsed at a fixed date, then applied to the fixed
 * findings of fuzz_common.h. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_suppressions *s = NULL;
	struct hull_diag diag;
	struct hull_err err = {0};
	if (hull_suppressions_new(&s, &err) < 0)
		return 0;
	hull_diag_init(&diag);
	/* 2026-01-01: entries expire on either side of it */
	int rc = hull_suppressions_parse_ignore(s, (const char *)data, size, ".hullignore",
	                                        1767225600, &diag, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* every refusal names the file and line */
	if (rc == 0)
		fuzz_apply(s);
	hull_diag_release(&diag);
	hull_suppressions_free(s);
	return 0;
}
