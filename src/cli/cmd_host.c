/* hull host: audit the container host (sshd, listening sockets, the
 * container engine's daemon and files, kernel settings) under --root,
 * with the report options of every scan. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "host/host.h"
#include "util/buf.h"
#include "util/term.h"

struct host_args {
	struct hull_cli_store store;
	unsigned every; /* --every: seconds between scans; 0: once */
	struct hull_output_opts out;
	struct hull_host_opts host;
	bool list_rules, sshd_effective;
	const char *list_format;
};

static void usage(void)
{
	printf("usage: hull host [OPTIONS]\n"
	       "  --root DIR             audit the tree under DIR (default /, the live system)\n"
	       "  --checks LIST          ssh,network,daemon,kernel (default: all)\n"
	       "  --sshd-config FILE     sshd configuration under the root (/etc/ssh/sshd_config)\n"
	       "  --ssh-match SPEC       judge one connection, user=U,host=H,addr=A[,laddr=,\n"
	       "                         lport=,rdomain=], as sshd -C does (default: the start-up\n"
	       "                         view, then what each Match block's clients get)\n"
	       "  --sshd-effective       print the effective sshd values (sshd -T form) and exit;\n"
	       "                         exit 2 when sshd would refuse the configuration\n"
	       "  --list-rules           print the rule catalogue (--format markdown: docs table)\n"
	       "  --every SECONDS        scan again every SECONDS until stopped (a node agent)\n"
	       "  --store URL            record each run and its findings in PostgreSQL\n"
	       "                         (docs/store.md); --node NAME, --namespace NS\n");
	hull_cli_output_usage(stdout, "table|json|sarif|junit|markdown");
}

enum {
	OPT_ROOT = 256,
	OPT_CHECKS,
	OPT_SSHD_CONFIG,
	OPT_SSH_MATCH,
	OPT_SSHD_EFFECTIVE,
	OPT_LIST_RULES,
	OPT_EVERY,
};

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct host_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case OPT_EVERY: {
		unsigned long v;
		if (hull_cli_parse_number("every", arg, 1, 7 * 86400, &v, err) < 0)
			return -1;
		a->every = (unsigned)v;
		return 0;
	}
	case HULL_OPT_FORMAT:
		a->list_format = arg;
		return 1; /* noted for --list-rules, parsed by the shared layer */
	case OPT_ROOT:
		a->host.root = arg;
		return 0;
	case OPT_CHECKS:
		return hull_host_areas_parse(arg, &a->host.areas, err);
	case OPT_SSHD_CONFIG:
		a->host.sshd_config = arg;
		return 0;
	case OPT_SSH_MATCH:
		a->host.ssh_match = arg;
		return 0;
	case OPT_SSHD_EFFECTIVE:
		a->sshd_effective = true;
		return 0;
	case OPT_LIST_RULES:
		a->list_rules = true;
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct host_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"checks", required_argument, NULL, OPT_CHECKS},
	    {"sshd-config", required_argument, NULL, OPT_SSHD_CONFIG},
	    {"ssh-match", required_argument, NULL, OPT_SSH_MATCH},
	    {"sshd-effective", no_argument, NULL, OPT_SSHD_EFFECTIVE},
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
	    {"every", required_argument, NULL, OPT_EVERY},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "host",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .store = &a->store,
	};
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	if (first < argc)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "unexpected argument '%s' (use --root DIR for another tree)",
		                    argv[first]);
	if (a->list_rules || a->sshd_effective)
		return 0;
	return hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
}

static int print_buf(int (*fill)(struct hull_buf *, struct hull_err *))
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1u << 20);
	if (fill(&b, &err) < 0) {
		hull_buf_release(&b);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	fwrite(b.data, 1, b.len, stdout);
	hull_buf_release(&b);
	return HULL_EXIT_OK;
}

static void print_warnings(const struct hull_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		hull_cli_error("warning: %s", d->msgs[i]);
}

static int sshd_effective(const struct host_args *a)
{
	struct hull_buf b;
	struct hull_err err = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	hull_buf_init(&b, 1u << 20);
	int rc = hull_host_sshd_dump(&a->host, &b, &diag, &err);
	print_warnings(&diag);
	hull_diag_release(&diag);
	if (rc < 0) {
		hull_buf_release(&b);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	/* values as the sshd_config files spell them: filtered, lines kept */
	hull_term_fwrite_lines(stdout, b.data ? b.data : "", b.len);
	hull_buf_release(&b);
	return HULL_EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int scan_once(struct host_args *a)
{
	struct hull_err err = {0};
	struct hull_findings findings = {0};
	struct hull_diag diag;
	time_t started = time(NULL);
	hull_diag_init(&diag);
	int rc;
	if (hull_host_scan(&a->host, &findings, &diag, &err) < 0) {
		hull_cli_error("%s", err.msg);
		rc = HULL_EXIT_ERROR;
	} else {
		struct hull_cli_report rep = {
		    .findings = &findings,
		    .target = {.name = a->host.root ? a->host.root : "/", .kind = HULL_TARGET_HOST},
		    .diag = &diag,
		    .store = &a->store,
		    .store_kind = "host",
		    .started = started,
		};
		rc = hull_cli_report(&a->out, &rep);
	}
	hull_findings_release(&findings);
	hull_diag_release(&diag);
	return rc;
}

int hull_cmd_host(int argc, char **argv)
{
	struct host_args a = {0};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	if (parse_args(argc, argv, &a, &err) < 0)
		return hull_cli_usage_error("host", &err);
	if (a.list_rules)
		return print_buf(a.list_format && !strncmp(a.list_format, "markdown", 8)
		                     ? hull_host_rules_markdown
		                     : hull_host_rules_table);
	if (a.sshd_effective)
		return sshd_effective(&a);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	int rc;
	do {
		rc = scan_once(&a);
		fflush(stdout);
		for (unsigned s = 0; a.every && s < a.every && !stop; s++)
			sleep(1);
	} while (a.every && !stop);
	return rc;
}
