#include "util/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* What the C library and OpenSSL read by themselves after the sandbox is
 * entered (time zone, users, NSS and gconv modules, OpenSSL's config). */
static const char *const system_read[] = {
    "/usr",        "/lib",       "/lib64",           "/etc/localtime", "/etc/nsswitch.conf",
    "/etc/passwd", "/etc/group", "/etc/ld.so.cache", "/etc/ssl",       "/sys/devices/system/cpu",
#ifdef UNDER_ASAN
    "/proc", /* LeakSanitizer reads /proc/self/maps and task/ at exit */
#endif
};

/* What the resolver reads, for a sandbox that allows the network. */
static const char *const net_read[] = {
    "/etc/resolv.conf", "/etc/hosts", "/etc/gai.conf", "/etc/host.conf", "/etc/services",
};

static int add_path(const char **list, size_t *n, const char *path, struct hull_err *err)
{
	if (!path)
		return 0;
	if (*n >= HULL_SANDBOX_MAX_PATHS)
		return hull_err_set(err, HULL_ERR_LIMIT, "sandbox: more than %d paths",
		                    HULL_SANDBOX_MAX_PATHS);
	list[(*n)++] = path;
	return 0;
}

int hull_sandbox_allow_read(struct hull_sandbox *sb, const char *path, struct hull_err *err)
{
	return add_path(sb->read, &sb->nread, path, err);
}

int hull_sandbox_allow_write(struct hull_sandbox *sb, const char *dir, struct hull_err *err)
{
	return add_path(sb->write, &sb->nwrite, dir, err);
}

static void note(struct hull_sandbox_status *st, const char *what, const char *why)
{
	size_t len = strlen(st->note);
	snprintf(st->note + len, sizeof(st->note) - len, "%s%s%s", len ? "; " : "", what, why);
}

/* ---- Landlock ---------------------------------------------------------- */

#define READ_RIGHTS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define WRITE_RIGHTS                                                                               \
	(READ_RIGHTS | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG |               \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |                            \
	 LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE)
/* rights that only make sense on a directory */
#define DIR_ONLY                                                                                   \
	(LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |                             \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |                           \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |                               \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |                             \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER)

/* Adds one rule; a path that does not exist is skipped. */
static int ll_rule(int ruleset, const char *path, uint64_t rights, uint64_t handled,
                   struct hull_err *err)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		rights &= ~(uint64_t)DIR_ONLY;
	struct landlock_path_beneath_attr pb = {.allowed_access = rights & handled,
	                                        .parent_fd = fd};
	int rc = 0;
	if (pb.allowed_access &&
	    syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		rc = hull_err_errno(err, errno, "sandbox: landlock rule for %s", path);
	close(fd);
	return rc;
}

static int enter_landlock(const struct hull_sandbox *sb, struct hull_sandbox_status *st,
                          struct hull_err *err)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		note(st, "Landlock not applied: ", strerror(errno));
		return 0;
	}
	uint64_t handled = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0..12 */
	if (abi >= 2)
		handled |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	/* only the first field: accepted by every ABI */
	struct landlock_ruleset_attr attr = {.handled_access_fs = handled};
	int rs =
	    (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr.handled_access_fs), 0);
	if (rs < 0)
		return hull_err_errno(err, errno, "sandbox: landlock_create_ruleset");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(system_read) / sizeof(system_read[0]); i++)
		rc = ll_rule(rs, system_read[i], READ_RIGHTS, handled, err);
	if (rc == 0)
		rc = ll_rule(rs, "/dev/null",
		             LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE, handled,
		             err);
	for (size_t i = 0; rc == 0 && sb->allow_net && i < sizeof(net_read) / sizeof(net_read[0]);
	     i++)
		rc = ll_rule(rs, net_read[i], READ_RIGHTS, handled, err);
	for (size_t i = 0; rc == 0 && i < sb->nread; i++)
		rc = ll_rule(rs, sb->read[i], READ_RIGHTS, handled, err);
	for (size_t i = 0; rc == 0 && i < sb->nwrite; i++)
		rc = ll_rule(rs, sb->write[i], WRITE_RIGHTS, handled, err);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		rc = hull_err_errno(err, errno, "sandbox: landlock_restrict_self");
	close(rs);
	if (rc == 0)
		st->landlock_abi = (int)abi;
	return rc;
}

/* ---- seccomp ----------------------------------------------------------- */

static int enter_seccomp(const struct hull_sandbox *sb, struct hull_sandbox_status *st,
                         struct hull_err *err)
{
	static const int denied[] = {
	    SCMP_SYS(execve),
	    SCMP_SYS(execveat),
	    SCMP_SYS(socket),
	    SCMP_SYS(socketpair),
	    SCMP_SYS(io_uring_setup),
	    SCMP_SYS(unshare),
	    SCMP_SYS(setns),
	    SCMP_SYS(mount),
	    SCMP_SYS(bpf),
	    SCMP_SYS(perf_event_open),
	    SCMP_SYS(userfaultfd),
	    SCMP_SYS(keyctl),
	    SCMP_SYS(add_key),
	    SCMP_SYS(request_key),
	    SCMP_SYS(process_vm_readv),
	    SCMP_SYS(process_vm_writev),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return hull_err_set(err, HULL_ERR_IO, "sandbox: seccomp_init failed");
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; rc == 0 && i < sizeof(denied) / sizeof(denied[0]); i++) {
		bool net = denied[i] == SCMP_SYS(socket) || denied[i] == SCMP_SYS(socketpair);
		if (!(net && sb->allow_net))
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	}
	/* with the network: still no packet sockets, no raw ones */
	if (rc == 0 && sb->allow_net)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
		                      SCMP_A0(SCMP_CMP_EQ, AF_PACKET));
	if (rc == 0 && sb->allow_net)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
		                      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_RAW));
#ifndef UNDER_ASAN
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 0);
	st->ptrace_denied = rc == 0;
#else
	note(st, "ptrace allowed: ", "LeakSanitizer needs it");
#endif
	/* clone3 hides its flags in memory: make the C library use clone */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0)
		return hull_err_errno(err, -rc, "sandbox: seccomp filter");
	st->seccomp = true;
	return 0;
}

int hull_sandbox_enter(const struct hull_sandbox *sb, struct hull_sandbox_status *st,
                       struct hull_err *err)
{
	memset(st, 0, sizeof(*st));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hull_err_errno(err, errno, "sandbox: PR_SET_NO_NEW_PRIVS");
	st->no_new_privs = true;
	if (enter_landlock(sb, st, err) < 0)
		return -1;
	return enter_seccomp(sb, st, err);
}
