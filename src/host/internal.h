/* What the host checks share: the audited root and the finding builder. */
#ifndef HULL_HOST_INTERNAL_H
#define HULL_HOST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "host/host.h"

#define HOST_MAX_FILE (4u << 20) /* any one configuration or /proc file */

/* The tree audited: an open directory, its path, and whether it is the
 * live system (then /proc and the kernel are this machine's). */
struct hroot {
	int fd;
	const char *path;
	bool live;
};

int hroot_open(struct hroot *r, const char *path, struct hull_err *err);
void hroot_close(struct hroot *r);
/* Reads rel (absolute, as on the target) under the root; HULL_ERR_NOTFOUND
 * when it does not exist. *data is NUL-terminated, caller frees. */
int hroot_read(const struct hroot *r, const char *rel, size_t max, char **data, size_t *len,
               struct hull_err *err);
/* lstat-like for the final component only when nofollow; else stat
 * following links inside the root. -1 when absent. */
int hroot_stat(const struct hroot *r, const char *rel, struct stat *st);
/* An O_DIRECTORY fd of rel under the root, or -1. */
int hroot_opendir(const struct hroot *r, const char *rel);
/* Sorted names of the entries of directory rel (no . and ..), at most max;
 * *names freed with hroot_names_free. 0 entries when it does not exist. */
int hroot_list(const struct hroot *r, const char *rel, size_t max, char ***names, size_t *n);
void hroot_names_free(char **names, size_t n);
/* Reads a small file and trims it (sysctl values, /proc/sys); NULL when
 * absent. Caller frees. */
char *hroot_read_trim(const struct hroot *r, const char *rel);

/* The rules of the table (rules.c), by what they check. A check reports
 * through its entry: a rule cannot be named wrong, and a rule that goes
 * away takes its checks' references with it (they stop compiling). */
enum host_rule {
	HR_SSH_PASSWORD,             /* HULL-H001 */
	HR_SSH_ROOT_PASSWORD,        /* HULL-H002 */
	HR_SSH_ROOT_KEY,             /* HULL-H003 */
	HR_SSH_EMPTY_PASSWORD,       /* HULL-H004 */
	HR_SSH_PORT22,               /* HULL-H005 */
	HR_SSH_PROTOCOL1,            /* HULL-H006 */
	HR_SSH_CIPHERS,              /* HULL-H007 */
	HR_SSH_MACS,                 /* HULL-H008 */
	HR_SSH_KEX,                  /* HULL-H009 */
	HR_SSH_KEY_ALGOS,            /* HULL-H010 */
	HR_SSH_X11,                  /* HULL-H011 */
	HR_SSH_FORWARDING,           /* HULL-H012 */
	HR_SSH_AUTH_TRIES,           /* HULL-H013 */
	HR_SSH_USER_ENV,             /* HULL-H014 */
	HR_SSH_HOSTBASED,            /* HULL-H015 */
	HR_SSH_STRICT_MODES,         /* HULL-H016 */
	HR_SSH_TUNNEL,               /* HULL-H017 */
	HR_SSH_REFUSED,              /* HULL-H018 */
	HR_NET_DOCKER_API,           /* HULL-H020 */
	HR_NET_DOCKER_TLS,           /* HULL-H021 */
	HR_NET_DATABASE,             /* HULL-H022 */
	HR_NET_SSH,                  /* HULL-H023 */
	HR_NET_RDP,                  /* HULL-H024 */
	HR_NET_EVERY_ADDRESS,        /* HULL-H025 */
	HR_NET_PUBLIC,               /* HULL-H026 */
	HR_NET_RAW,                  /* HULL-H027 */
	HR_NET_ORCHESTRATION,        /* HULL-H028 */
	HR_DAEMON_TCP,               /* HULL-H030 */
	HR_DAEMON_ICC,               /* HULL-H031 */
	HR_DAEMON_USERNS,            /* HULL-H032 */
	HR_DAEMON_NO_NEW_PRIVS,      /* HULL-H033 */
	HR_DAEMON_LIVE_RESTORE,      /* HULL-H034 */
	HR_DAEMON_USERLAND_PROXY,    /* HULL-H035 */
	HR_DAEMON_INSECURE_REGISTRY, /* HULL-H036 */
	HR_DAEMON_IPTABLES,          /* HULL-H037 */
	HR_DAEMON_AUFS,              /* HULL-H038 */
	HR_DAEMON_DEBUG,             /* HULL-H039 */
	HR_DAEMON_EXPERIMENTAL,      /* HULL-H040 */
	HR_DAEMON_FILES,             /* HULL-H041 */
	HR_DAEMON_TLS_FILES,         /* HULL-H042 */
	HR_DAEMON_GROUP,             /* HULL-H043 */
	HR_DAEMON_SOCKET,            /* HULL-H044 */
	HR_KERNEL_USERNS,            /* HULL-H050 */
	HR_KERNEL_FORWARDING,        /* HULL-H051 */
	HR_KERNEL_KPTR,              /* HULL-H052 */
	HR_KERNEL_DMESG,             /* HULL-H053 */
	HR_KERNEL_BPF,               /* HULL-H054 */
	HR_KERNEL_MAC,               /* HULL-H055 */
	HR_KERNEL_CGROUP_V1,         /* HULL-H056 */
	HR__COUNT
};

/* The scan's shared state. */
struct hscan {
	const struct hull_host_opts *opts;
	struct hroot root;
	struct hull_findings *out;
	struct hull_diag *diag;
	struct hull_err *err;
	int rc; /* sticky: out of memory, or a rule outside the table */
};

/* Adds a finding of rule r at file:line (file may be NULL) about object
 * (may be NULL), at the rule's severity. A rule outside the table is an
 * error in s (s->rc), never a silent drop. */
void host_report(struct hscan *s, enum host_rule r, const char *file, unsigned line,
                 const char *object, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same at severity sev instead of the rule's (an exposure that
 * concerns some clients only). */
void host_report_sev(struct hscan *s, enum host_rule r, enum hull_severity sev, const char *file,
                     unsigned line, const char *object, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The rule's severity in the table. */
enum hull_severity host_rule_severity(enum host_rule r);

/* The areas. */
void host_check_ssh(struct hscan *s);
void host_check_net(struct hscan *s);
void host_check_daemon(struct hscan *s);
void host_check_kernel(struct hscan *s);

/* Address exposure of a bound address (text form). */
enum exposure { EXPOSE_LOOPBACK, EXPOSE_PRIVATE, EXPOSE_ALL, EXPOSE_PUBLIC };
enum exposure host_exposure(const char *addr);
const char *host_exposure_name(enum exposure e);

#endif
