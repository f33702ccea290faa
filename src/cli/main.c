#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/term.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct hull_command commands[] = {
    {
        .name = "sbom",
        .usage = "[--format table|json|cyclonedx|spdx] [--output FILE] [--platform OS/ARCH] "
                 "[--tag TAG] TARGET[:TAG]",
        .summary = "list what is installed in an image or a root filesystem",
        .run = hull_cmd_sbom,
    },
    {
        .name = "image",
        .usage = "[--format F[=FILE]]... [--fail-on SEVERITY] [--db FILE] TARGET[:TAG]",
        .summary = "find known vulnerabilities in an image (any form hull sbom reads)",
        .run = hull_cmd_image,
    },
    {
        .name = "rootfs",
        .usage = "[--format F[=FILE]]... [--fail-on SEVERITY] [--db FILE] DIR",
        .summary = "find known vulnerabilities in a root filesystem",
        .run = hull_cmd_rootfs,
    },
    {
        .name = "sbom-scan",
        .usage = "[--format F[=FILE]]... [--fail-on SEVERITY] [--db FILE] SBOM.json",
        .summary = "find known vulnerabilities in the packages of a CycloneDX or SPDX SBOM",
        .run = hull_cmd_sbom_scan,
    },
    {
        .name = "config",
        .usage = "[--profile all|baseline|restricted] [--policy FILE] [--list-rules] "
                 "[-f compose.yaml ...] [--format F[=FILE]] [--fail-on SEVERITY] PATH...",
        .summary = "find misconfigurations in Dockerfiles, Compose, Kubernetes, ECS and "
                   "inspect output",
        .run = hull_cmd_config,
    },
    {
        .name = "scan",
        .usage = "[--image NAME=ARCHIVE]... [--format F[=FILE]]... [--fail-on-priority N] "
                 "PATH...",
        .summary = "scan a deployment (Compose, Kubernetes, ECS, Dockerfiles and their "
                   "images): one prioritised report",
        .run = hull_cmd_scan,
    },
    {
        .name = "host",
        .usage = "[--root DIR] [--checks ssh,network,daemon,kernel] [--ssh-match SPEC] "
                 "[--list-rules] [--format F[=FILE]] [--fail-on SEVERITY]",
        .summary = "audit the container host: sshd, listening sockets, engine daemon, kernel",
        .run = hull_cmd_host,
    },
    {
        .name = "runtime",
        .usage = "[--engine unix:///PATH.sock | --proc] [--root DIR] [--list] [--watch] "
                 "[--format F[=FILE]] [--fail-on SEVERITY]",
        .summary = "check running containers (engine API or /proc) with the hull config rules",
        .run = hull_cmd_runtime,
    },
    {
        .name = "network",
        .usage = "[-f compose.yaml ...] [--docker[=SOCKET]] [--can SRC DST:PORT] "
                 "[--format F[=FILE]] [--fail-on SEVERITY] PATH...",
        .summary = "who can reach whom: Compose, Kubernetes NetworkPolicies, live engines",
        .run = hull_cmd_network,
    },
    {
        .name = "serve",
        .usage = "[--listen ADDR:PORT --tls-cert FILE --tls-key FILE] [--docker-authz SOCKET] "
                 "[--policy FILE] [--admission FILE] [--fail-closed]",
        .summary = "admission webhook (Kubernetes) and authorization plugin (Docker) "
                   "enforcing the config rules",
        .run = hull_cmd_serve,
    },
    {
        .name = "cache",
        .usage = "[--cache-dir DIR] info|clean",
        .summary = "show or empty the cache of image layers",
        .run = hull_cmd_cache,
    },
    {
        .name = "db",
        .usage = "build|info|update|import|export [--db PATH] [OPTIONS]",
        .summary = "build, inspect or update the vulnerability database",
        .run = hull_cmd_db,
    },
    {
        .name = "store",
        .usage = "migrate|rematch|workloads --store URL [OPTIONS]",
        .summary = "create or upgrade the PostgreSQL results store, re-match stored "
                   "inventories, record workloads",
        .run = hull_cmd_store,
    },
    {
        .name = "fleet",
        .usage = "--store URL [--format table|json|html] cve ID|changes|top|namespaces",
        .summary = "ask the results store about the fleet: CVEs, changes, priorities, "
                   "namespaces",
        .run = hull_cmd_fleet,
    },
    {
        .name = "version",
        .usage = "",
        .summary = "print hull's version",
        .run = cmd_version,
    },
    {
        .name = "help",
        .usage = "[COMMAND]",
        .summary = "show this help",
        .run = cmd_help,
    },
};

void hull_cli_error(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("hull: ", stderr);
	/* messages quote names from inputs: never let them drive the terminal */
	hull_term_fputs(stderr, msg);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: hull COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'hull help COMMAND' for a command's options.\n");
}

static const struct hull_command *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("hull %s\n", HULL_VERSION);
	return HULL_EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		const struct hull_command *c = find(argv[1]);
		if (!c) {
			hull_cli_error("unknown command '%s'", argv[1]);
			return HULL_EXIT_ERROR;
		}
		printf("usage: hull %s %s\n%s\n", c->name, c->usage, c->summary);
		return HULL_EXIT_OK;
	}
	usage(stdout);
	return HULL_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	const struct hull_command *c = find(argv[1]);
	if (!c) {
		hull_cli_error("unknown command '%s' (see 'hull help')", argv[1]);
		return HULL_EXIT_ERROR;
	}
	return c->run(argc - 1, argv + 1);
}
