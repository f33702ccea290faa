/* Fuzzes WWW-Authenticate challenges: every field stays NUL-terminated
 * within its size, whatever the header. */
#include <stdint.h>
#include <string.h>

#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_auth_challenge c;
	if (hull_auth_parse((const char *)data, size, &c, NULL) == 0) {
		if (strnlen(c.scheme, sizeof(c.scheme)) == sizeof(c.scheme) ||
		    strnlen(c.realm, sizeof(c.realm)) == sizeof(c.realm) ||
		    strnlen(c.service, sizeof(c.service)) == sizeof(c.service) ||
		    strnlen(c.scope, sizeof(c.scope)) == sizeof(c.scope) ||
		    strnlen(c.error, sizeof(c.error)) == sizeof(c.error))
			__builtin_trap();
	}
	return 0;
}
