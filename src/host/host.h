/* host: a fast audit of a container host (`hull host`): the effective sshd
 * configuration, listening sockets and the processes behind them, the
 * Docker / containerd / podman daemon's configuration and files, and the
 * kernel settings that matter to containers.
 *
 * Everything is read under a configurable root (the live system is "/"),
 * through util/fs's root-confined opens, so a mounted disk image or a test
 * tree is audited the same way and nothing under it can lead outside it.
 * Checks that need the running kernel (firewall rules over netlink) run
 * only when the root is "/".
 *
 * Results are hull_findings of kind HULL_FINDING_HOST with stable ids
 * (HULL-H001 ...) from one table (hull_host_rules), each with title,
 * severity, rationale, remediation and cross-references to the CIS Docker
 * Benchmark (sections 1-3) and lynis test ids. Configuration values carry
 * file:line; sockets and processes name themselves in loc.object
 * ("tcp 0.0.0.0:22 (sshd pid 123)"). Unreadable or damaged inputs are
 * warnings in diag, never a stop. */
#ifndef HULL_HOST_HOST_H
#define HULL_HOST_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "report/findings.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"

struct hull_host_rule {
	const char *id;    /* "HULL-H001" */
	const char *area;  /* "ssh", "network", "daemon", "kernel" */
	const char *title; /* one line */
	enum hull_severity severity;
	const char *rationale;
	const char *remediation;
	const char *cis;   /* CIS Docker Benchmark v1.6.0 ids, "2.7" or "3.15,3.16"; NULL */
	const char *lynis; /* lynis test ids, "SSH-7408"; NULL */
};

/* The catalogue, in id order; ids are never reused. */
const struct hull_host_rule *hull_host_rules(size_t *n);
/* By id (case-insensitive), or NULL. */
const struct hull_host_rule *hull_host_rule_find(const char *id);
/* The catalogue as an aligned text table (`hull host --list-rules`) or as
 * Markdown (docs/host-rules.md), appended to out. */
int hull_host_rules_table(struct hull_buf *out, struct hull_err *err);
int hull_host_rules_markdown(struct hull_buf *out, struct hull_err *err);

enum hull_host_area {
	HULL_HOST_SSH = 1u << 0,
	HULL_HOST_NET = 1u << 1,
	HULL_HOST_DAEMON = 1u << 2,
	HULL_HOST_KERNEL = 1u << 3,
	HULL_HOST_ALL = 0xfu,
};

/* "ssh,network,daemon,kernel" (any subset, or "all") into a mask. */
int hull_host_areas_parse(const char *list, unsigned *mask, struct hull_err *err);

struct hull_host_opts {
	const char *root;        /* NULL or "/": the live system */
	unsigned areas;          /* HULL_HOST_* mask; 0 means all */
	const char *sshd_config; /* path under root; NULL: /etc/ssh/sshd_config */
	/* sshd -C style connection for Match blocks ("user=,host=,addr=");
	 * NULL: the start-up view. Borrowed. */
	const char *ssh_match;
};

/* Runs the selected checks and appends findings to out (which owns them).
 * Errors: an unusable root, a bad ssh_match (HULL_ERR_USAGE), out of
 * memory; everything else is a warning in diag. */
int hull_host_scan(const struct hull_host_opts *o, struct hull_findings *out,
                   struct hull_diag *diag, struct hull_err *err);

/* The effective sshd configuration as `sshd -T` lines for the keywords
 * hull computes (`hull host --sshd-effective`), appended to out. */
int hull_host_sshd_dump(const struct hull_host_opts *o, struct hull_buf *out,
                        struct hull_diag *diag, struct hull_err *err);

#endif
