/* libFuzzer harness: any file through hull_net_load (Kubernetes objects,
 * Compose, inspect output), then everything fuzz_use does. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_diag diag;
	hull_diag_init(&diag);
	struct hull_net *net = hull_net_new(NULL, &diag);
	struct hull_err err = {0};
	bool loaded;
	if (!net)
		return 0;
	hull_net_namespace_labels(net, "prod=env=prod,team=a", &err);
	int rc =
	    hull_net_load(net, (const char *)data, size, "fuzz.yaml", "PORT=8080\n", &loaded, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	if (rc == 0)
		fuzz_use(net);
	hull_net_free(net);
	hull_diag_release(&diag);
	return 0;
}
