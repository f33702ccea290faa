/* /proc/net socket tables: every table kind over the same bytes. */
#include <stdint.h>

#include "host/procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int p = HULL_SOCK_TCP; p <= HULL_SOCK_UNIX; p++) {
		for (int v6 = 0; v6 < 2; v6++) {
			struct hull_sock_list l = {0};
			hull_procnet_parse((const char *)data, size, (enum hull_sock_proto)p, v6,
			                   &l);
			hull_sock_list_release(&l);
		}
	}
	return 0;
}
