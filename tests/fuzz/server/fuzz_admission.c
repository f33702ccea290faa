/* libFuzzer harness: AdmissionReview requests through the whole review
 * (front end, rules, modes, response and decision line). The answer must
 * be JSON whenever the review succeeds. */
#include <stdint.h>
#include <stdlib.h>

#include "server/nslabels.h"
#include "server/review.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hull_review_cfg *cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg) {
		static const char adm[] =
		    "defaults: {enforce: baseline, warn: restricted, audit: all}\n"
		    "rules: {HULL-C040: enforce}\n"
		    "namespaces: {kube-system: exempt, dev: {enforce: none, "
		    "enforce-version: v1.24}}\n";
		/* namespaces' pod-security labels are learnt across inputs, as
		 * in a running server (bounded by HULL_NS_MAX) */
		static struct hull_review_opts o = {
		    .levels = {HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT}};
		if (!(o.ns_store = hull_ns_store_new()) ||
		    hull_review_cfg_parse(NULL, 0, adm, sizeof(adm) - 1, &o, &cfg, NULL) < 0)
			abort();
	}
	struct hull_buf resp;
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	struct hull_decision d;
	struct hull_err err = {0};
	if (hull_review_admission(cfg, (const char *)data, size, &resp, &d, &err) == 0) {
		struct json_object *o = NULL;
		if (hull_json_parse(resp.data, resp.len, "response", &o, NULL) < 0)
			abort();
		json_object_put(o);
		if (d.log.len && hull_json_parse(d.log.data, d.log.len, "log", &o, NULL) == 0)
			json_object_put(o);
		else if (d.log.len)
			abort();
	} else if (!err.msg[0]) {
		abort();
	}
	hull_decision_release(&d);
	hull_buf_release(&resp);
	return 0;
}
