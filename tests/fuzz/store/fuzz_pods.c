/* libFuzzer harness: pod lists (kubectl get pods -A -o json, the API's
 * PodList) as hull store workloads reads them, before any database. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(void *ctx, const struct hull_store_pod_row *r, struct hull_err *err)
{
	size_t *n = ctx;
	(void)err;
	/* every field the writer reads is a string (or a NULL digest / node) */
	if (!r->ns || !r->kind || !r->name || !r->container || !r->image ||
	    (r->image_digest && strncmp(r->image_digest, "sha256:", 7)))
		abort();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_err err = {0};
	size_t n = 0;
	hull_store_pods_parse((const char *)data, size, "fuzz", row, &n, &err);
	return 0;
}
