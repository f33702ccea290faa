/* libFuzzer harness: policy files, and the queries the engine makes. */
#include <stdint.h>
#include <stdlib.h>

#include "misconfig/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_policy *p = NULL;
	struct hull_err err = {0};
	if (hull_policy_parse((const char *)data, size, "fuzz", &p, &err) < 0) {
		if (!err.msg[0] || p)
			abort();
		return 0;
	}
	enum hull_profile_sel prof;
	hull_policy_profile(p, &prof);
	hull_policy_rule_enabled(p, "HULL-C001");
	hull_policy_severity(p, "HULL-C008", HULL_SEV_HIGH);
	hull_pairlist labels = {0};
	hull_policy_exempt(p, "HULL-C015", "Deployment", "web", "default", &labels);
	hull_policy_free(p);
	return 0;
}
