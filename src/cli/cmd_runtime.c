/* hull runtime: the running containers, from the engine API or from /proc
 * alone, through the misconfiguration rules of hull config; --list shows
 * what each container runs with, --watch reports containers as they appear
 * or change. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "host/runtime.h"
#include "misconfig/rules.h"
#include "util/json.h"
#include "util/term.h"

struct rt_args {
	struct hull_cli_store store;
	struct hull_output_opts out;
	const char *engine, *root;
	bool proc, list, watch;
	double interval;
	bool json_list;
};

static void usage(void)
{
	printf(
	    "usage: hull runtime [OPTIONS]\n"
	    "  --engine URL           the Engine API socket (unix:///var/run/docker.sock,\n"
	    "                         podman's service socket ...)\n"
	    "  --proc                 read containers from /proc only (no engine)\n"
	    "  --root DIR             the tree whose /proc and /sys are read (default /)\n"
	    "  --list                 list the containers (uid, capabilities, no_new_privs,\n"
	    "                         seccomp, limits, host namespaces) and exit\n"
	    "  --watch                keep watching; report containers that appear or change\n"
	    "  --interval SECONDS     --watch polling interval (default 2)\n"
	    "  --store URL            record each report (each change under --watch) in\n"
	    "                         PostgreSQL (docs/store.md); --node NAME, --namespace NS\n");
	hull_cli_output_usage(stdout, "table|json|sarif|junit|markdown");
	printf("Without --engine or --proc: $DOCKER_HOST (unix://), /var/run/docker.sock or\n"
	       "/run/podman/podman.sock when one answers, else /proc.\n");
}

enum {
	OPT_ENGINE = 256,
	OPT_PROC,
	OPT_ROOT,
	OPT_LIST,
	OPT_WATCH,
	OPT_INTERVAL,
};

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct rt_args *a = ctx;
	char *end;
	(void)argc, (void)argv;
	switch (c) {
	case HULL_OPT_FORMAT:
		if (!strcmp(arg, "json"))
			a->json_list = true; /* --list as JSON; parsed by the shared layer */
		return 1;
	case OPT_ENGINE:
		a->engine = arg; /* checked by hull_engine_open */
		return 0;
	case OPT_PROC:
		a->proc = true;
		return 0;
	case OPT_ROOT:
		a->root = arg;
		return 0;
	case OPT_LIST:
		a->list = true;
		return 0;
	case OPT_WATCH:
		a->watch = true;
		return 0;
	case OPT_INTERVAL:
		a->interval = strtod(arg, &end);
		if (*end || a->interval < 0.1 || a->interval > 86400)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--interval '%s': seconds between 0.1 and 86400", arg);
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct rt_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"engine", required_argument, NULL, OPT_ENGINE},
	    {"proc", no_argument, NULL, OPT_PROC},
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"list", no_argument, NULL, OPT_LIST},
	    {"watch", no_argument, NULL, OPT_WATCH},
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "runtime",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .store = &a->store,
	};
	a->interval = 2;
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	if (first < argc)
		return hull_err_set(err, HULL_ERR_USAGE, "unexpected argument '%s'", argv[first]);
	if (a->engine && a->proc)
		return hull_err_set(err, HULL_ERR_USAGE, "--engine and --proc exclude each other");
	if (a->list)
		return 0;
	return hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
}

static bool is_socket(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* The engine to ask when none is named; NULL: use /proc. */
static const char *default_engine(char *buf, size_t n)
{
	const char *dh = getenv("DOCKER_HOST");
	if (dh && !strncmp(dh, "unix://", 7) && is_socket(dh + 7))
		return dh;
	return hull_engine_find(getenv("XDG_RUNTIME_DIR"), buf, n) ? buf : NULL;
}

static bool keep_proc(const struct hull_finding *f, void *ctx)
{
	(void)ctx;
	return hull_runtime_proc_rule(f->id);
}

/* One look at the containers: findings and the list. */
static int scan(struct rt_args *a, struct hull_engine *engine, struct hull_findings *out,
                struct hull_rt_list *l, struct hull_diag *diag, struct hull_err *err)
{
	struct hull_model *m = hull_model_new();
	if (!m)
		return hull_err_nomem(err);
	int rc = engine ? hull_runtime_engine(engine, m, l, err)
	                : hull_runtime_proc(a->root, m, l, diag, err);
	struct hull_check_opts opts = {0};
	if (rc == 0)
		rc = hull_misconfig_check(m, &opts, out, err);
	if (rc == 0 && !engine)
		hull_findings_filter(out, keep_proc, NULL);
	hull_model_move_warnings(m, diag);
	hull_model_free(m);
	return rc;
}

/* One container as a JSON object: json-c escapes what the engine or /proc
 * put in names (quotes, controls). */
static struct json_object *container_json(const struct hull_rt_container *c)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "source", json_object_new_string(c->source));
	json_object_object_add(o, "runtime", json_object_new_string(c->runtime));
	json_object_object_add(o, "pid", json_object_new_int(c->pid));
	json_object_object_add(o, "comm", json_object_new_string(c->comm));
	json_object_object_add(o, "uid", json_object_new_int64(c->uid));
	json_object_object_add(o, "gid", json_object_new_int64(c->gid));
	json_object_object_add(o, "cap_eff", json_object_new_string(c->capeff));
	json_object_object_add(o, "cap_sys_admin", json_object_new_boolean(c->cap_sys_admin));
	json_object_object_add(o, "no_new_privs", json_object_new_int(c->no_new_privs));
	json_object_object_add(o, "seccomp", json_object_new_int(c->seccomp));
	json_object_object_add(o, "memory", json_object_new_string(c->memory));
	json_object_object_add(o, "cpu", json_object_new_string(c->cpu));
	json_object_object_add(o, "pids", json_object_new_string(c->pids));
	json_object_object_add(o, "host_namespaces", json_object_new_string(c->host_ns));
	return o;
}

static void print_list(const struct hull_rt_list *l, bool json)
{
	if (json) {
		printf("[");
		for (size_t i = 0; i < l->n; i++) {
			struct json_object *o = container_json(&l->v[i]);
			printf("%s\n  %s", i ? "," : "",
			       json_object_to_json_string_ext(
			           o, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
		}
		printf("\n]\n");
		return;
	}
	printf("%-14s %-7s %-8s %-5s %-5s %-3s %-7s %-10s %-5s %-6s %-15s %s\n", "CONTAINER",
	       "SOURCE", "PID", "UID", "GID", "NNP", "SECCOMP", "MEMORY", "CPU", "PIDS", "HOST NS",
	       "CAPABILITIES");
	static const char *const seccomp[] = {"off", "strict", "filter"};
	for (size_t i = 0; i < l->n; i++) {
		const struct hull_rt_container *c = &l->v[i];
		char name[15];
		snprintf(name, sizeof(name), "%.14s", c->name);
		hull_term_fputs(stdout, name);
		printf("%*s %-7s %-8d %-5ld %-5ld %-3s %-7s %-10s %-5s %-6s %-15s %s%s\n",
		       (int)(14 - strlen(name)), "", c->source, c->pid, c->uid, c->gid,
		       c->no_new_privs < 0 ? "?"
		       : c->no_new_privs   ? "yes"
		                           : "no",
		       c->seccomp >= 0 && c->seccomp <= 2 ? seccomp[c->seccomp] : "?", c->memory,
		       c->cpu, c->pids, c->host_ns[0] ? c->host_ns : "-",
		       c->capeff[0] ? c->capeff : "(none)",
		       c->cap_sys_admin ? "  [CAP_SYS_ADMIN]" : "");
	}
}

/* One report; the exit status is the caller's (--watch keeps going). */
static int report(struct rt_args *a, struct hull_findings *f, struct hull_diag *diag,
                  const char *target)
{
	struct hull_cli_report rep = {
	    .findings = f,
	    .target = {.name = target, .kind = HULL_TARGET_HOST},
	    .diag = diag,
	    .store = &a->store,
	    .store_kind = "runtime",
	};
	int rc = hull_cli_report(&a->out, &rep);
	fflush(stdout);
	return rc == HULL_EXIT_ERROR ? HULL_EXIT_ERROR : HULL_EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The findings about one container, as one text (to see changes). */
static char *signature(const struct hull_findings *f, const char *name)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1u << 22);
	hull_buf_append_str(&b, "", &err);
	for (size_t i = 0; i < f->n; i++) {
		const char *o = f->items[i].loc.object;
		if (o && strstr(o, name))
			hull_buf_printf(&b, &err, "%s %s\n", f->items[i].id,
			                f->items[i].message ? f->items[i].message : "");
	}
	return hull_buf_detach(&b, NULL);
}

struct seen {
	char id[72];
	char *sig;
};

static bool keep_changed(const struct hull_finding *f, void *ctx)
{
	const struct hull_rt_list *changed = ctx;
	for (size_t i = 0; i < changed->n; i++)
		if (f->loc.object && strstr(f->loc.object, changed->v[i].name))
			return true;
	return false;
}

static int watch(struct rt_args *a, struct hull_engine *engine, const char *target)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct seen *seen = NULL;
	size_t nseen = 0;
	int rc = HULL_EXIT_OK;
	while (!stop) {
		struct hull_findings f = {0};
		struct hull_rt_list l = {0}, changed = {0};
		struct hull_diag diag;
		struct hull_err err = {0};
		hull_diag_init(&diag);
		if (scan(a, engine, &f, &l, &diag, &err) < 0) {
			hull_cli_error("%s", err.msg);
		} else {
			for (size_t i = 0; i < l.n; i++) {
				char *sig = signature(&f, l.v[i].name);
				size_t k = 0;
				while (k < nseen && strcmp(seen[k].id, l.v[i].id))
					k++;
				bool fresh = k == nseen;
				/* either signature may be missing (out of memory) */
				if (!fresh && sig && seen[k].sig && !strcmp(seen[k].sig, sig)) {
					free(sig);
					continue;
				}
				hull_cli_error("container %s %s", l.v[i].name,
				               fresh ? "appeared" : "changed");
				if (fresh) {
					struct seen *ns = realloc(seen, (nseen + 1) * sizeof(*ns));
					if (!ns) {
						free(sig);
						continue;
					}
					seen = ns;
					snprintf(seen[nseen].id, sizeof(seen[nseen].id), "%s",
					         l.v[i].id);
					seen[nseen++].sig = sig;
				} else {
					free(seen[k].sig);
					seen[k].sig = sig;
				}
				struct hull_rt_container *nc =
				    realloc(changed.v, (changed.n + 1) * sizeof(*nc));
				if (nc) {
					changed.v = nc;
					changed.v[changed.n++] = l.v[i];
				}
			}
			if (changed.n) {
				hull_findings_filter(&f, keep_changed, &changed);
				if (report(a, &f, &diag, target) != HULL_EXIT_OK)
					rc = HULL_EXIT_ERROR;
			}
		}
		hull_findings_release(&f);
		hull_rt_list_release(&l);
		hull_rt_list_release(&changed);
		hull_diag_release(&diag);
		for (double t = 0; t < a->interval && !stop; t += 0.1)
			nanosleep(&(struct timespec){0, 100000000}, NULL);
	}
	for (size_t i = 0; i < nseen; i++)
		free(seen[i].sig);
	free(seen);
	return rc;
}

int hull_cmd_runtime(int argc, char **argv)
{
	struct rt_args a = {0};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	if (parse_args(argc, argv, &a, &err) < 0)
		return hull_cli_usage_error("runtime", &err);
	char buf[HULL_ENGINE_URL_MAX + 8];
	const char *url = a.engine           ? a.engine
	                  : a.proc || a.root ? NULL
	                                     : default_engine(buf, sizeof(buf));
	struct hull_engine *engine = NULL;
	if (url && hull_engine_open(url, &engine, &err) < 0) {
		hull_cli_error("--engine: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	const char *target = engine ? hull_engine_url(engine) : a.root ? a.root : "/proc";
	if (a.watch) {
		int wrc = watch(&a, engine, target);
		hull_engine_free(engine);
		return wrc;
	}
	struct hull_findings f = {0};
	struct hull_rt_list l = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	int rc;
	if (scan(&a, engine, &f, &l, &diag, &err) < 0) {
		hull_cli_error("%s", err.msg);
		rc = HULL_EXIT_ERROR;
	} else if (a.list) {
		print_list(&l, a.json_list);
		rc = HULL_EXIT_OK;
	} else {
		rc = report(&a, &f, &diag, target);
		if (rc == HULL_EXIT_OK)
			rc = hull_output_status(&a.out, &f);
	}
	hull_findings_release(&f);
	hull_rt_list_release(&l);
	hull_diag_release(&diag);
	hull_engine_free(engine);
	return rc;
}
