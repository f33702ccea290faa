/* without-syscall NAME[,NAME...] CMD [ARG...]: runs CMD with the named system
 * calls answering ENOSYS, as on a kernel that lacks them (openat2 before
 * Linux 5.6) or under a container runtime's seccomp profile that does not
 * know them. For tests of how hull behaves there; the filter is inherited
 * across exec (PR_SET_NO_NEW_PRIVS). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: without-syscall NAME[,NAME...] CMD [ARG...]\n");
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	char *names = strdup(argv[1]);
	if (!ctx || !names) {
		fprintf(stderr, "without-syscall: out of memory\n");
		return 2;
	}
	for (char *save = NULL, *n = strtok_r(names, ",", &save); n;
	     n = strtok_r(NULL, ",", &save)) {
		int nr = seccomp_syscall_resolve_name(n);
		if (nr == __NR_SCMP_ERROR) {
			fprintf(stderr, "without-syscall: unknown system call '%s'\n", n);
			return 2;
		}
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) < 0) {
			fprintf(stderr, "without-syscall: cannot filter '%s'\n", n);
			return 2;
		}
	}
	free(names);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load(ctx) < 0) {
		fprintf(stderr, "without-syscall: cannot load the filter: %s\n", strerror(errno));
		return 2;
	}
	seccomp_release(ctx);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "without-syscall: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
