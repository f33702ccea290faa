/* confine: the sandbox each scanning command enters once its inputs,
 * database, cache and output directories are known (util/sandbox.h). The
 * table of which command gets what is in docs/limits.md. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "util/sandbox.h"

#define POOL 32

/* copies of the paths handed to the sandbox (it borrows them) */
static char pool[POOL][4096];
static size_t npool;

static const char *keep(const char *s)
{
	if (npool >= POOL)
		return NULL;
	snprintf(pool[npool], sizeof(pool[npool]), "%s", s);
	return pool[npool++];
}

int hull_cli_confine_read(struct hull_sandbox *sb, const char *path, struct hull_err *err)
{
	if (!path || !strcmp(path, "-"))
		return 0;
	/* only a path that exists as given: "name:tag" or "oci:dir" may be a
	 * reference the command fetches (cli/source.c) */
	struct stat st;
	if (stat(path, &st) == 0)
		return hull_sandbox_allow_read(sb, keep(path), err); /* may be entered later */
	return 1;
}

int hull_cli_confine_output(struct hull_sandbox *sb, const char *file, struct hull_err *err)
{
	if (!file || !strcmp(file, "-"))
		return 0;
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", file);
	return hull_sandbox_allow_write(sb, keep(dirname(buf)), err);
}

int hull_cli_confine(const char *cmd, const struct hull_sandbox *sb, struct hull_err *err)
{
	const char *debug_env = getenv("HULL_DEBUG");
	bool debug = debug_env && *debug_env;
	const char *off = getenv("HULL_NO_SANDBOX");
	if (off && !strcmp(off, "1")) {
		if (debug)
			fprintf(stderr, "hull: debug: %s: HULL_NO_SANDBOX=1, no sandbox\n", cmd);
		return 0;
	}
	struct hull_sandbox_status st;
	if (hull_sandbox_enter(sb, &st, err) < 0)
		return hull_err_wrap(err, "%s (HULL_NO_SANDBOX=1 runs without it)", cmd);
	if (debug) {
		fprintf(stderr,
		        "hull: debug: %s: sandbox: no_new_privs; seccomp denies exec, %s, "
		        "namespaces%s; Landlock ",
		        cmd, sb->allow_net ? "raw and packet sockets" : "sockets",
		        st.ptrace_denied ? ", ptrace" : "");
		if (st.landlock_abi)
			fprintf(stderr, "ABI %d: %zu read paths, %zu write directories",
			        st.landlock_abi, sb->nread, sb->nwrite);
		else
			fputs("off", stderr);
		fprintf(stderr, "%s%s\n", st.note[0] ? "; " : "", st.note);
	}
	return 0;
}
