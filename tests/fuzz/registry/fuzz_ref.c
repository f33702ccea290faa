/* Fuzzes image references: whatever parses must print a canonical and a
 * familiar form that parse back to the same reference (domain, path, tag
 * and digest). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/ref.h"

static void same_after_reparse(const struct hull_ref *r, const char *text)
{
	struct hull_ref back;
	/* the printed forms add ":latest" when there is neither tag nor digest */
	const char *tag = r->tag[0] ? r->tag : r->digest[0] ? "" : "latest";
	if (hull_ref_parse(text, &back, NULL) < 0 || strcmp(back.domain, r->domain) ||
	    strcmp(back.path, r->path) || strcmp(back.digest, r->digest) || strcmp(back.tag, tag))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct hull_ref r;
	if (hull_ref_parse(s, &r, NULL) == 0) {
		char c[HULL_REF_STR_MAX + 32], f[HULL_REF_STR_MAX + 32];
		if (hull_ref_format(&r, c, sizeof(c)) >= sizeof(c) ||
		    hull_ref_familiar(&r, f, sizeof(f)) >= sizeof(f))
			abort();
		same_after_reparse(&r, c);
		same_after_reparse(&r, f);
		(void)hull_ref_reference(&r);
	}
	free(s);
	return 0;
}
