/* Engine API container JSON (/containers/{id}/json) through the same path
 * hull runtime takes: the inspect front end, then every rule. */
#include <stdint.h>

#include "misconfig/load.h"
#include "misconfig/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_model *m = hull_model_new();
	if (!m)
		return 0;
	struct hull_err err = {0};
	enum hull_config_kind kind;
	if (hull_config_load(m, (const char *)data, size, "engine:/containers/x/json",
	                     HULL_CONFIG_INSPECT, NULL, &kind, &err) == 0) {
		struct hull_findings f = {0};
		struct hull_check_opts o = {0};
		hull_misconfig_check(m, &o, &f, &err);
		hull_findings_release(&f);
	}
	hull_model_free(m);
	return 0;
}
