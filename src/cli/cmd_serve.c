/* hull serve: the admission webhook and Docker authorization plugin
 * (src/server/server.h, docs/serve.md). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/fleet.h"
#include "cli/store.h"
#include "server/server.h"

#define MAX_EXEMPT 256

static volatile sig_atomic_t stop_flag, reload_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_flag = 1;
}

static void usage(FILE *out)
{
	fputs("usage: hull serve [--listen ADDR:PORT --tls-cert FILE --tls-key FILE]\n"
	      "                  [--docker-authz SOCKET] [--policy FILE] [--admission FILE]\n"
	      "                  [--enforce LEVEL] [--warn LEVEL] [--audit LEVEL]\n"
	      "                  [--pss-version v1.N|latest]\n"
	      "                  [--exempt-namespace NS]... [--image-reports DIR]\n"
	      "                  [--image-severity SEV] [--fail-closed] [--threads N]\n"
	      "                  [--max-connections N] [--max-body BYTES]\n"
	      "                  [--read-timeout SECONDS] [--idle-timeout SECONDS]\n"
	      "                  [--log FILE] [--no-decision-log] [--store URL [--fleet-api]]\n"
	      "                  [--allow-root]\n"
	      "LEVEL is none, baseline, restricted or all. See docs/serve.md.\n",
	      out);
}

static int level(const char *opt, const char *s, int *out, struct hull_err *err)
{
	if (hull_level_parse(s, out, err) < 0)
		return hull_err_wrap(err, "%s", opt);
	return 0;
}

enum {
	O_LISTEN = 256,
	O_CERT,
	O_KEY,
	O_AUTHZ,
	O_POLICY,
	O_ADMISSION,
	O_ENFORCE,
	O_WARN,
	O_AUDIT,
	O_PSS_VERSION,
	O_EXEMPT,
	O_IMAGES,
	O_IMAGE_SEV,
	O_FAIL_CLOSED,
	O_THREADS,
	O_MAX_CONNS,
	O_MAX_BODY,
	O_READ_TO,
	O_IDLE_TO,
	O_LOG,
	O_NO_DLOG,
	O_WATCH,
	O_ALLOW_ROOT,
	O_FLEET_API,
};

struct serve_args {
	struct hull_server_opts o;
	const char *exempt[MAX_EXEMPT];
	size_t nexempt;
	struct hull_cli_store store;
	const char *log_path;
	bool allow_root;
	bool fleet_api;
};

static void usage_out(void)
{
	usage(stdout);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct serve_args *a = ctx;
	struct hull_server_opts *o = &a->o;
	unsigned long v;
	(void)argc, (void)argv;
	switch (c) {
	case O_LISTEN:
		o->listen = arg;
		return 0;
	case O_CERT:
		o->tls_cert = arg;
		return 0;
	case O_KEY:
		o->tls_key = arg;
		return 0;
	case O_AUTHZ:
		o->authz_socket = arg;
		return 0;
	case O_POLICY:
		o->review.policy_path = arg;
		return 0;
	case O_ADMISSION:
		o->review.admission_path = arg;
		return 0;
	case O_ENFORCE:
		return level("--enforce", arg, &o->review.levels.enforce, err);
	case O_WARN:
		return level("--warn", arg, &o->review.levels.warn, err);
	case O_AUDIT:
		return level("--audit", arg, &o->review.levels.audit, err);
	case O_PSS_VERSION:
		if (hull_pss_version_parse(arg, &o->review.pss_version, err) < 0)
			return hull_err_wrap(err, "--pss-version");
		o->review.pss_version_set = true;
		return 0;
	case O_EXEMPT:
		if (a->nexempt == MAX_EXEMPT)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--exempt-namespace: at most %d (use --admission)",
			                    MAX_EXEMPT);
		a->exempt[a->nexempt++] = arg;
		return 0;
	case O_IMAGES:
		o->review.image_reports = arg;
		return 0;
	case O_IMAGE_SEV:
		o->review.image_severity = arg;
		return 0;
	case O_FAIL_CLOSED:
		o->review.fail_closed = true;
		return 0;
	case O_THREADS:
		if (hull_cli_parse_number("threads", arg, 1, 64, &v, err) < 0)
			return -1;
		o->threads = (unsigned)v;
		return 0;
	case O_MAX_CONNS:
		if (hull_cli_parse_number("max-connections", arg, 1, 1000000, &v, err) < 0)
			return -1;
		o->max_conns = (unsigned)v;
		return 0;
	case O_MAX_BODY:
		if (hull_cli_parse_number("max-body", arg, 1024, HULL_REVIEW_MAX_BODY, &v, err) < 0)
			return -1;
		o->max_body = v;
		return 0;
	case O_READ_TO:
		if (hull_cli_parse_number("read-timeout", arg, 1, 3600, &v, err) < 0)
			return -1;
		o->read_timeout_ms = (unsigned)v * 1000;
		return 0;
	case O_IDLE_TO:
		if (hull_cli_parse_number("idle-timeout", arg, 1, 86400, &v, err) < 0)
			return -1;
		o->idle_timeout_ms = (unsigned)v * 1000;
		return 0;
	case O_WATCH:
		if (hull_cli_parse_number("watch-interval", arg, 1, 3600, &v, err) < 0)
			return -1;
		o->watch_ms = (unsigned)v * 1000;
		return 0;
	case O_LOG:
		a->log_path = arg;
		return 0;
	case O_ALLOW_ROOT:
		a->allow_root = true;
		return 0;
	case O_FLEET_API:
		a->fleet_api = true;
		return 0;
	case O_NO_DLOG:
		o->log_decisions = false;
		o->review.no_decision_log = true;
		return 0;
	}
	return 1;
}

int hull_cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"listen", required_argument, NULL, O_LISTEN},
	    {"tls-cert", required_argument, NULL, O_CERT},
	    {"tls-key", required_argument, NULL, O_KEY},
	    {"docker-authz", required_argument, NULL, O_AUTHZ},
	    {"policy", required_argument, NULL, O_POLICY},
	    {"admission", required_argument, NULL, O_ADMISSION},
	    {"enforce", required_argument, NULL, O_ENFORCE},
	    {"warn", required_argument, NULL, O_WARN},
	    {"audit", required_argument, NULL, O_AUDIT},
	    {"pss-version", required_argument, NULL, O_PSS_VERSION},
	    {"exempt-namespace", required_argument, NULL, O_EXEMPT},
	    {"image-reports", required_argument, NULL, O_IMAGES},
	    {"image-severity", required_argument, NULL, O_IMAGE_SEV},
	    {"fail-closed", no_argument, NULL, O_FAIL_CLOSED},
	    {"threads", required_argument, NULL, O_THREADS},
	    {"max-connections", required_argument, NULL, O_MAX_CONNS},
	    {"max-body", required_argument, NULL, O_MAX_BODY},
	    {"read-timeout", required_argument, NULL, O_READ_TO},
	    {"idle-timeout", required_argument, NULL, O_IDLE_TO},
	    {"watch-interval", required_argument, NULL, O_WATCH},
	    {"log", required_argument, NULL, O_LOG},
	    {"no-decision-log", no_argument, NULL, O_NO_DLOG},
	    {"allow-root", no_argument, NULL, O_ALLOW_ROOT},
	    {"fleet-api", no_argument, NULL, O_FLEET_API},
	    {NULL, 0, NULL, 0},
	};
	struct serve_args a = {
	    .o =
	        {
	            .log_fd = STDERR_FILENO,
	            .log_decisions = true,
	            .review.levels = {HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT},
	        },
	};
	const struct hull_cli_spec spec = {
	    .cmd = "serve",
	    .longopts = longopts,
	    .usage = usage_out,
	    .option = one_option,
	    .ctx = &a,
	    .store = &a.store,
	};
	struct hull_err perr = {0};
	int first = hull_cli_parse(&spec, argc, argv, &perr);
	if (first < 0)
		return hull_cli_usage_error("serve", &perr);
	if (first < argc) {
		hull_cli_error("serve: unexpected argument '%s'", argv[first]);
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	if (a.fleet_api && !a.store.url) {
		hull_cli_error("serve: --fleet-api needs --store URL");
		return HULL_EXIT_ERROR;
	}
	struct hull_server_opts o = a.o;
	const char *const *exempt = a.exempt;
	size_t nexempt = a.nexempt;
	struct hull_cli_store store = a.store;
	const char *log_path = a.log_path;
	bool allow_root = a.allow_root;
	/* a network-facing parser of requests from anyone: a bug in it must not
	 * hand out root */
	if (geteuid() == 0 && !allow_root) {
		hull_cli_error("serve: refusing to run as root: run it as an unprivileged user "
		               "(deploy/kubernetes runs it as 65532), or pass --allow-root");
		return HULL_EXIT_ERROR;
	}
	o.review.exempt_namespaces = exempt;
	o.review.nexempt_namespaces = nexempt;
	int log_fd = -1;
	if (log_path) {
		log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (log_fd < 0) {
			hull_cli_error("--log %s: %s", log_path, strerror(errno));
			return HULL_EXIT_ERROR;
		}
		o.log_fd = log_fd;
	}

	struct sigaction sa = {0};
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	struct hull_err err = {0};
	struct hull_cli_store_metrics *sm = NULL;
	struct hull_cli_store_decisions *dq = NULL;
	struct hull_cli_fleet_api *fa = NULL;
	if (a.fleet_api) {
		/* one connection per worker (up to 16): a query never waits for
		 * another's connection, nor pays for making one */
		if (!(fa = hull_cli_fleet_api_new(store.url, o.threads ? o.threads : 4))) {
			hull_cli_error("serve: out of memory");
			return HULL_EXIT_ERROR;
		}
		o.fleet_get = hull_cli_fleet_api_get;
		o.fleet_get_ctx = fa;
	}
	if (store.url) {
		/* /metrics also describes the store's contents */
		if (!(sm = hull_cli_store_metrics_new(store.url))) {
			hull_cli_fleet_api_free(fa);
			hull_cli_error("serve: out of memory");
			return HULL_EXIT_ERROR;
		}
		o.extra_metrics = hull_cli_store_metrics_write;
		o.extra_metrics_ctx = sm;
		/* every decision recorded, off the request path */
		if (!(dq = hull_cli_store_decisions_new(&store))) {
			hull_cli_store_metrics_free(sm);
			hull_cli_fleet_api_free(fa);
			hull_cli_error("serve: cannot start the store writer");
			return HULL_EXIT_ERROR;
		}
		o.on_decision = hull_cli_store_decision;
		o.on_decision_ctx = dq;
	}
	int rc = hull_server_run(&o, &stop_flag, &reload_flag, &err);
	/* the workers are stopped: every decision is queued; drain, then stop */
	hull_cli_store_decisions_free(dq);
	hull_cli_store_metrics_free(sm);
	hull_cli_fleet_api_free(fa);
	if (log_fd >= 0)
		close(log_fd);
	if (rc < 0) {
		hull_cli_error("serve: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	return HULL_EXIT_OK;
}
