/* hull host: opens the root once and runs the selected areas. */
#include <string.h>

#include "host/internal.h"

int hull_host_scan(const struct hull_host_opts *o, struct hull_findings *out,
                   struct hull_diag *diag, struct hull_err *err)
{
	struct hscan s = {.opts = o, .out = out, .diag = diag, .err = err};
	if (hroot_open(&s.root, o->root, err) < 0)
		return -1;
	unsigned areas = o->areas ? o->areas : HULL_HOST_ALL;
	if ((areas & HULL_HOST_SSH) && s.rc == 0)
		host_check_ssh(&s);
	if ((areas & HULL_HOST_NET) && s.rc == 0)
		host_check_net(&s);
	if ((areas & HULL_HOST_DAEMON) && s.rc == 0)
		host_check_daemon(&s);
	if ((areas & HULL_HOST_KERNEL) && s.rc == 0)
		host_check_kernel(&s);
	hroot_close(&s.root);
	return s.rc;
}
