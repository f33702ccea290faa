/* daemon: dockerd's effective settings from its configuration inputs
 * (daemon.json, the ExecStart of docker.service and its drop-ins,
 * /etc/default/docker), parsed from untrusted bytes. Exported for tests
 * and fuzzing; host_check_daemon (internal.h) runs the checks.
 *
 * A setting keeps the file and line that set it; command-line flags are
 * read before daemon.json and the first source wins (dockerd refuses a
 * setting given in both). List settings (hosts, insecure-registries)
 * accumulate, comma-joined. Limits: HULL_DOCKERD_MAX settings, values cut
 * at 1 KiB. */
#ifndef HULL_HOST_DAEMON_H
#define HULL_HOST_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define HULL_DOCKERD_MAX 128

struct hull_dockerd_setting {
	bool set;
	char key[64];
	char value[1024];
	char file[256];
	unsigned line;
};

struct hull_dockerd {
	struct hull_dockerd_setting v[HULL_DOCKERD_MAX];
	size_t n;
};

/* The ExecStart in force after a unit file (or drop-in) is applied. */
struct hull_dockerd_exec {
	bool set;
	char cmd[8192];
	char file[256];
	unsigned line;
};

/* daemon.json (JSON, with line numbers): top-level keys into d. */
int hull_dockerd_json_parse(const char *data, size_t len, const char *file, struct hull_dockerd *d,
                            struct hull_err *err);
/* Applies one unit file's [Service] ExecStart= lines to ex (an empty one
 * resets it, continuation lines are joined). Never fails. */
int hull_dockerd_unit_parse(const char *data, size_t len, const char *file,
                            struct hull_dockerd_exec *ex);
/* The setting, or NULL when unset. */
const struct hull_dockerd_setting *hull_dockerd_get(const struct hull_dockerd *d, const char *key);

#endif
