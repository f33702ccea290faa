/* runtime: the containers running on a host (`hull runtime`), seen two
 * ways, both checked by the misconfiguration rule set of `hull config`
 * (src/misconfig) so the rule ids agree:
 *
 *  - from the engine: the Docker Engine API over its unix socket (which
 *    podman's `podman system service` serves too): /containers/json, then
 *    /containers/{id}/json for each, fed to the same inspect front end as
 *    `hull config` uses for `docker inspect` output;
 *  - from the kernel, with no engine: processes under <root>/proc whose
 *    cgroup path names a container runtime (docker, libpod, containerd,
 *    cri-o, kubepods) or whose PID namespace differs from PID 1's, grouped
 *    by container; the model gets the effective uid/gid, capabilities
 *    (CapEff/CapBnd: added beyond the engines' default set, dropped,
 *    privileged when the bounding set is the host's and seccomp is off),
 *    NoNewPrivs, Seccomp, the host namespaces (links equal to PID 1's), a
 *    read-only root and host binds (mountinfo), and memory / CPU / pids
 *    limits from cgroup v1 or v2 files ("max" is no limit). Only the rules
 *    whose values this view has are kept (hull_runtime_proc_rule).
 *
 * The engine is read through src/engine (one timeout policy, capped
 * answers, at most HULL_ENGINE_MAX_CONTAINERS containers). */
#ifndef HULL_HOST_RUNTIME_H
#define HULL_HOST_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "misconfig/model.h"
#include "report/findings.h"
#include "util/diag.h"
#include "util/err.h"

/* At most this many containers are read from /proc (the engine has its
 * own cap, HULL_ENGINE_MAX_CONTAINERS). */
#define HULL_RUNTIME_MAX_CONTAINERS 10000u

/* What one container looks like, for `hull runtime --list` and --watch. */
struct hull_rt_container {
	char id[72];      /* engine id, or the 64-hex id from the cgroup path */
	char name[128];   /* engine name; the id's first 12 digits from /proc */
	char source[8];   /* "engine" or "proc" */
	char runtime[16]; /* "docker", "podman", "containerd", "cri-o", "kubepods", "?" */
	int pid;
	char comm[20];
	long uid, gid;    /* -1 unknown */
	char capeff[700]; /* CAP_ names, comma-separated; "" none; "?" unknown */
	bool cap_sys_admin;
	int no_new_privs;                   /* -1 unknown */
	int seccomp;                        /* 0 off, 1 strict, 2 filter; -1 unknown */
	char memory[32], cpu[32], pids[32]; /* "max" when unlimited, "?" unknown */
	char host_ns[40];                   /* "net,pid,ipc,uts" shared with the host */
	char image[256];
};

struct hull_rt_list {
	struct hull_rt_container *v;
	size_t n, cap;
};
void hull_rt_list_release(struct hull_rt_list *l);

/* Reads every running container of the engine e into m (one workload
 * each, named "unix://PATH/containers/{id}/json") and l. A container
 * whose inspect answer the inspect front end refuses stops the read. */
int hull_runtime_engine(struct hull_engine *e, struct hull_model *m, struct hull_rt_list *l,
                        struct hull_err *err);

/* Reads the containerised processes under root's /proc (NULL: "/") into
 * m and l. */
int hull_runtime_proc(const char *root, struct hull_model *m, struct hull_rt_list *l,
                      struct hull_diag *diag, struct hull_err *err);

/* Whether a misconfiguration rule's inputs exist in the kernel view. */
bool hull_runtime_proc_rule(const char *id);

/* Capability names of a CapEff-style mask ("CAP_CHOWN,CAP_KILL"). */
void hull_cap_names(unsigned long long mask, char *out, size_t n);

/* Parses /proc/PID/status text into the fields of c (uid, gid, capeff,
 * no_new_privs, seccomp) and the masks; exported for tests and fuzzing. */
struct hull_proc_status {
	long uid, gid;
	unsigned long long capeff, capbnd;
	bool have_capeff, have_capbnd;
	int no_new_privs, seccomp;
	unsigned uid_line, capbnd_line, nnp_line, seccomp_line;
	long ppid;
	long nspid_last; /* the pid inside its own namespace (NSpid's last) */
};
void hull_proc_status_parse(const char *data, size_t len, struct hull_proc_status *st);

#endif
