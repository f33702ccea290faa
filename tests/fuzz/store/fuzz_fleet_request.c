/* libFuzzer harness: the requests of hull serve's fleet API (GET
 * /v1/fleet/WHAT?QUERY, from the network) as store/ reads them, before any
 * database. The input is WHAT, then optionally '?' and QUERY. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *what = malloc(size + 1);
	if (!what)
		return 0;
	memcpy(what, data, size);
	what[size] = '\0';
	char *query = strchr(what, '?');
	if (query)
		*query++ = '\0';
	struct hull_store_fleet_query q;
	struct hull_err err = {0};
	if (hull_store_fleet_request(what, query ? query : "", 1700000000, &q, &err) == 0) {
		/* what is accepted names a query with what it needs, in range */
		bool cve = !strcmp(q.name, "cve");
		if (hull_store_fleet_name(q.name) != q.name || cve != (q.cve != NULL) ||
		    q.limit < 1 || q.limit > HULL_STORE_FLEET_LIMIT_MAX ||
		    (cve &&
		     (!q.cve[0] || strlen(q.cve) > HULL_STORE_FLEET_ID_MAX ||
		      q.cve[strspn(q.cve, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                          "0123456789.-_:")])))
			abort();
	} else if (!err.kind || !err.msg[0]) {
		abort(); /* a refusal always says why */
	}
	free(what);
	return 0;
}
