/* sandbox: what a scanning command gives up once its inputs are open.
 *
 * A parser bug in hull should not become a foothold: after a command has
 * opened what it needs (database, cache, output directory), it enters a
 * sandbox that
 *
 *   - sets PR_SET_NO_NEW_PRIVS (no setuid gain through exec, and what
 *     seccomp and Landlock need);
 *   - loads a seccomp filter (libseccomp) under which execve/execveat,
 *     ptrace and process_vm_readv/writev, socket/socketpair (unless
 *     allow_net: then only packet and raw sockets), io_uring,
 *     unshare/setns/mount, new user namespaces, bpf, perf_event_open,
 *     userfaultfd and the keyring calls fail with EPERM (clone3 with ENOSYS
 *     so the C library falls back to clone, whose flags the filter sees);
 *   - where the kernel has Landlock (ABI 1 or later), restricts the file
 *     system: reading below the `read` paths (plus the system directories
 *     the C library itself reads: /etc, /usr, /lib*, /proc, /sys, /dev),
 *     creating, replacing and writing files only below the `write` paths,
 *     and nothing else (no exec, no device nodes, no symlinks elsewhere).
 *
 * Invariants: entering is one-way and covers every thread started later;
 * it never fails half-way silently: a step that cannot be taken is either
 * an error (NO_NEW_PRIVS, an invalid rule) or said in the status note
 * (Landlock missing from the kernel). Under AddressSanitizer, ptrace stays
 * allowed because LeakSanitizer stops the process with it at exit; the
 * note says so.
 *
 * Which command gets what is in docs/limits.md ("Self-protection"). */
#ifndef HULL_UTIL_SANDBOX_H
#define HULL_UTIL_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define HULL_SANDBOX_MAX_PATHS 32

struct hull_sandbox {
	const char *read[HULL_SANDBOX_MAX_PATHS]; /* borrowed; files or directories */
	size_t nread;
	const char *write[HULL_SANDBOX_MAX_PATHS]; /* borrowed; directories */
	size_t nwrite;
	/* A command still downloading (a registry's layers): socket and
	 * socketpair stay allowed, except packet and raw sockets, and the
	 * resolver's files (/etc/resolv.conf, hosts, gai.conf, host.conf,
	 * services) are readable. Everything else holds. */
	bool allow_net;
};

struct hull_sandbox_status {
	bool no_new_privs;
	bool seccomp;
	bool ptrace_denied;
	int landlock_abi; /* 0: not applied */
	char note[512];   /* what was not applied, and why; "" when everything was */
};

/* Adds a path that may be read (a file or a directory and what is below
 * it). NULL is ignored; past HULL_SANDBOX_MAX_PATHS, HULL_ERR_LIMIT. */
int hull_sandbox_allow_read(struct hull_sandbox *sb, const char *path, struct hull_err *err);
/* Adds a directory below which files may be created, written, replaced and
 * removed (an output file's directory, the layer cache). */
int hull_sandbox_allow_write(struct hull_sandbox *sb, const char *dir, struct hull_err *err);

/* Enters the sandbox described above. Paths that do not exist are left
 * out (nothing below them can be opened). Fills st; returns 0, or -1 with
 * err when a restriction the kernel offers could not be applied. */
int hull_sandbox_enter(const struct hull_sandbox *sb, struct hull_sandbox_status *st,
                       struct hull_err *err);

#endif
