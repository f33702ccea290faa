/* Fuzzes the purl parser (SBOM, VEX and CSAF input) and checks that the
 * canonical form is a fixed point: whatever parses, formats, and its
 * canonical string parses back to the same canonical string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/purl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_purl p, q;
	struct hull_err err = {0};
	if (hull_purl_parse((const char *)data, size, &p, &err) < 0)
		return 0;
	struct hull_buf a, b;
	hull_buf_init(&a, 4 * HULL_PURL_MAX_LEN);
	hull_buf_init(&b, 4 * HULL_PURL_MAX_LEN);
	if (hull_purl_format(&p, &a, &err) < 0)
		abort(); /* every parsed purl can be written */
	if (hull_purl_parse(a.data, a.len, &q, &err) == 0) {
		if (hull_purl_format(&q, &b, &err) < 0 || b.len != a.len ||
		    memcmp(a.data, b.data, a.len))
			abort(); /* the canonical form is stable */
		hull_purl_release(&q);
	} else if (err.kind != HULL_ERR_LIMIT) {
		abort(); /* a canonical purl always reads back */
	}
	hull_buf_release(&a);
	hull_buf_release(&b);
	hull_purl_release(&p);
	return 0;
}
