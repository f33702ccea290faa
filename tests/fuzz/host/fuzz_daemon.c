/* dockerd's inputs: daemon.json and systemd unit files (ExecStart flags),
 * plus /proc/PID/status as the runtime's kernel view reads it. */
#include <stdint.h>

#include "host/daemon.h"
#include "host/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hull_dockerd d;
	struct hull_err err = {0};
	d.n = 0;
	hull_dockerd_json_parse((const char *)data, size, "daemon.json", &d, &err);
	struct hull_dockerd_exec ex = {0};
	hull_dockerd_unit_parse((const char *)data, size, "docker.service", &ex);
	struct hull_proc_status st;
	hull_proc_status_parse((const char *)data, size, &st);
	char names[700];
	hull_cap_names(st.capeff, names, sizeof(names));
	return 0;
}
