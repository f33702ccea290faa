/* fake-engine SOCKET ROUTE... -- COMMAND [ARG...]: serves the routes on
 * the unix socket SOCKET while COMMAND runs, then exits with COMMAND's
 * status (for golden CLI cases of hull runtime and hull network --docker).
 *
 * ROUTE is PATH=FILE (a 200 answer with FILE's bytes) or PATH=!STATUS
 * (that status, with an engine-style message). Every other path is a 404,
 * as a container removed since the list would be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_engine.h"

#define MAX_ROUTES 64

static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, len = 0, k;
	char *buf = malloc(cap + 1);
	while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	fclose(f);
	if (!buf)
		exit(2);
	buf[len] = '\0';
	*size = len;
	return buf;
}

static void parse_route(char *arg, struct fake_route *r)
{
	char *eq = strchr(arg, '=');
	if (!eq || arg[0] != '/') {
		fprintf(stderr, "fake-engine: bad route '%s' (PATH=FILE or PATH=!STATUS)\n", arg);
		exit(2);
	}
	*eq = '\0';
	r->path = arg;
	if (eq[1] == '!') {
		r->status = atoi(eq + 2);
		r->body = "{\"message\":\"fake engine error\"}";
	} else {
		r->body = slurp(eq + 1, &r->size);
	}
}

int main(int argc, char **argv)
{
	struct fake_route routes[MAX_ROUTES] = {{0}};
	int i = 2, n = 0;
	if (argc < 4) {
		fprintf(stderr, "usage: fake-engine SOCKET ROUTE... -- COMMAND [ARG...]\n");
		return 2;
	}
	for (; i < argc && strcmp(argv[i], "--") && n < MAX_ROUTES; i++)
		parse_route(argv[i], &routes[n++]);
	if (i >= argc - 1 || strcmp(argv[i], "--")) {
		fprintf(stderr, "fake-engine: no command after --\n");
		return 2;
	}
	struct fake_engine *fe = fake_engine_start(argv[1], routes, (size_t)n);
	if (!fe) {
		perror(argv[1]);
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[i + 1], argv + i + 1);
		perror(argv[i + 1]);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 2 << 8;
	fake_engine_stop(fe);
	for (int k = 0; k < n; k++)
		if (!routes[k].status)
			free((char *)routes[k].body);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
