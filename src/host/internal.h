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

/* The scan's shared state. */
struct hscan {
	const struct hull_host_opts *opts;
	struct hroot root;
	struct hull_findings *out;
	struct hull_diag *diag;
	struct hull_err *err;
	int rc; /* sticky: set on out-of-memory */
};

/* Adds a finding of rule id (which must exist) at file:line (file may be
 * NULL) about object (may be NULL). */
void host_report(struct hscan *s, const char *id, const char *file, unsigned line,
                 const char *object, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

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
