/* One body for every misconfig harness: load the input as one kind (or
 * detected), run every rule over the model, and check the invariants a
 * caller relies on: success or a non-empty error message, never both, and
 * every finding with an id, a title and a known rule. */
#ifndef HULL_FUZZ_MISCONFIG_COMMON_H
#define HULL_FUZZ_MISCONFIG_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "misconfig/load.h"
#include "misconfig/rules.h"

static inline void fuzz_config(const uint8_t *data, size_t size, enum hull_config_kind kind)
{
	struct hull_model *m = hull_model_new();
	struct hull_err err = {0};
	enum hull_config_kind got;
	if (!m)
		return;
	int rc =
	    hull_config_load(m, (const char *)data, size, "fuzz", kind, "A=1\nB=two\n", &got, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* an error always says why */
	if (rc == 0) {
		struct hull_findings f = {0};
		for (int p = HULL_PROFILE_ALL; p <= HULL_PROFILE_RESTRICTED; p++) {
			struct hull_check_opts o = {.profile = (enum hull_profile_sel)p};
			if (hull_misconfig_check(m, &o, &f, &err) < 0)
				break;
		}
		for (size_t i = 0; i < f.n; i++)
			if (!f.items[i].title || !hull_rule_find(f.items[i].id) ||
			    (f.items[i].loc.line && !f.items[i].loc.file))
				abort();
		hull_findings_release(&f);
	}
	hull_model_free(m);
}

#endif
