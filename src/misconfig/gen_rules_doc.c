/* hull-rules-doc: prints docs/rules.md from the rule table. Run
 *     build/src/misconfig/hull-rules-doc > docs/rules.md
 * after changing src/misconfig/rules_table.c; a unit test fails while the
 * committed file differs. */
#include <stdio.h>

#include "misconfig/rules.h"

int main(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 16u << 20);
	if (hull_rules_markdown(&b, &err) < 0) {
		fprintf(stderr, "hull-rules-doc: %s\n", err.msg);
		hull_buf_release(&b);
		return 1;
	}
	int rc = fwrite(b.data, 1, b.len, stdout) == b.len ? 0 : 1;
	hull_buf_release(&b);
	return rc;
}
