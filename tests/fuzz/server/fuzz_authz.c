/* libFuzzer harness: Docker authorization requests (the JSON envelope,
 * the request URI, base64 bodies and container-create bodies). */
#include <stdint.h>
#include <stdlib.h>

#include "server/review.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hull_review_cfg *cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg && hull_review_cfg_parse(NULL, 0, NULL, 0, NULL, &cfg, NULL) < 0)
		abort();
	struct hull_buf resp;
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	struct hull_decision d;
	struct hull_err err = {0};
	if (hull_review_authz_req(cfg, (const char *)data, size, &resp, &d, &err) == 0) {
		struct json_object *o = NULL;
		if (hull_json_parse(resp.data, resp.len, "response", &o, NULL) < 0)
			abort();
		json_object_put(o);
	}
	hull_decision_release(&d);
	hull_buf_release(&resp);
	/* the raw bytes as a base64 body too */
	unsigned char out[4096];
	if (size < 4096)
		hull_base64_decode((const char *)data, size, out);
	return 0;
}
