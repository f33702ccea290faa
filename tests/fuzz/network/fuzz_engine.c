/* libFuzzer harness: Engine API answers (GET /networks, then the
 * containers' inspect objects, separated by a NUL byte) into the graph. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	const char *nets = (const char *)data, *ctrs = nul ? (const char *)nul + 1 : "[]";
	size_t nlen = nul ? (size_t)(nul - data) : size;
	size_t clen = nul ? size - nlen - 1 : 2;
	struct hull_net *net = hull_net_new(NULL, NULL);
	struct hull_err err = {0};
	if (!net)
		return 0;
	int rc = hull_net_load_engine(net, "unix:///fuzz.sock", nets, nlen, ctrs, clen, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	if (rc == 0)
		fuzz_use(net);
	hull_net_free(net);
	return 0;
}
