/* hull network: who can reach whom (Compose files, Kubernetes manifests
 * with their NetworkPolicies, a live Docker / podman engine), what is open
 * to the world, and findings about it (src/network). Report options are
 * those of every scan (cli/output.h), plus `dot` and `svg` formats for a
 * Graphviz picture of the graph. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "misconfig/load.h"
#include "network/network.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/walk.h"
#include "util/str.h"

extern char **environ;

#define MAX_DOTS      4
#define MAX_SVG_BYTES (256u << 20)

struct dot_out {
	bool svg;
	const char *path; /* NULL or "-": standard output */
	bool explicit_path;
};

struct net_args {
	struct hull_output_opts out;
	struct dot_out dots[MAX_DOTS];
	size_t ndots;
	struct hull_cli_compose compose;
	const char *docker; /* socket, "" for the default */
	bool use_docker;
	const char *can_src, *can_dst;
	bool list_rules, stats;
	struct hull_net_opts nopts;
	const char *ns_labels[256];
	size_t nns_labels;
	char **paths;
	size_t npaths;
};

struct run {
	struct net_args *a;
	struct hull_net *net;
	struct hull_diag diag;
	size_t files;
	int errors;
};

static void usage(void)
{
	printf(
	    "usage: hull network [OPTIONS] [-f compose.yaml ...] [--docker[=SOCKET]] [PATH...]\n"
	    "  PATH                    Kubernetes manifests or Compose files; directories are "
	    "walked\n" HULL_COMPOSE_USAGE
	    "  -p, --project-name NAME Compose project name (default: the file's directory)\n"
	    "  --docker[=SOCKET]       a live Docker or podman engine (default: $DOCKER_HOST,\n"
	    "                          /var/run/docker.sock, the podman sockets)\n"
	    "  --namespace-labels NS=K=V[,K=V]  labels of a namespace without a Namespace "
	    "object\n"
	    "  --default-namespace NS  namespace of objects that name none (default: default)\n"
	    "  --hostnetwork-policy ignore|select  whether NetworkPolicies select hostNetwork\n"
	    "                          pods (default ignore, most plugins; select evaluates them\n"
	    "                          as ordinary pods)\n"
	    "  --can SRC DST:PORT[/PROTO]  may SRC connect to DST on PORT? (exit 0 yes, 1 no)\n"
	    "  --list-rules            print the network rules and exit\n"
	    "  --stats                 print counts and the time to compute to standard error\n");
	hull_cli_output_usage(stdout, "table|json|sarif|junit|markdown|dot|svg");
}

enum {
	OPT_LIST_RULES = 256,
	OPT_DOCKER,
	OPT_NS_LABELS,
	OPT_DEFAULT_NS,
	OPT_HOSTNET,
	OPT_CAN,
	OPT_STATS,
};

/* dot / svg are this command's own formats; the others are shared. */
static int add_format(struct net_args *a, const char *arg, struct hull_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	bool dot = n == 3 && !strncasecmp(arg, "dot", 3),
	     svg = n == 3 && !strncasecmp(arg, "svg", 3);
	if (!dot && !svg)
		return hull_output_add_format(&a->out, arg, err);
	if (a->ndots == MAX_DOTS)
		return hull_err_set(err, HULL_ERR_USAGE, "--format: at most %d dot/svg outputs",
		                    MAX_DOTS);
	if (eq && !eq[1])
		return hull_err_set(err, HULL_ERR_USAGE, "--format %.*s=: missing file name",
		                    (int)n, arg);
	struct dot_out *d = &a->dots[a->ndots++];
	d->path = eq ? eq + 1 : NULL;
	d->explicit_path = eq != NULL;
	/* dot=graph.svg renders too */
	size_t pl = d->path ? strlen(d->path) : 0;
	d->svg = svg || (pl > 4 && !strcasecmp(d->path + pl - 4, ".svg"));
	return 0;
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct net_args *a = ctx;
	switch (c) {
	case HULL_OPT_FORMAT:
		return add_format(a, arg, err);
	case OPT_CAN:
		/* two arguments: SRC and the next word, DST:PORT */
		if (optind >= argc)
			return hull_err_set(err, HULL_ERR_USAGE, "--can SRC DST:PORT[/PROTO]");
		a->can_src = arg;
		a->can_dst = argv[optind++];
		return 0;
	case OPT_LIST_RULES:
		a->list_rules = true;
		return 0;
	case OPT_STATS:
		a->stats = true;
		return 0;
	case OPT_DOCKER:
		a->use_docker = true;
		a->docker = arg;
		return 0;
	case OPT_NS_LABELS:
		if (a->nns_labels == sizeof(a->ns_labels) / sizeof(a->ns_labels[0]))
			return hull_err_set(err, HULL_ERR_USAGE, "too many --namespace-labels");
		a->ns_labels[a->nns_labels++] = arg;
		return 0;
	case OPT_DEFAULT_NS:
		a->nopts.default_namespace = arg;
		return 0;
	case OPT_HOSTNET:
		if (strcmp(arg, "ignore") && strcmp(arg, "select"))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--hostnetwork-policy '%s': expected ignore or select",
			                    arg);
		a->nopts.hostnet_select = !strcmp(arg, "select");
		return 0;
	case 'p':
		a->nopts.project = arg;
		return 0;
	}
	return 1;
}

static bool dot_to_stdout(const struct dot_out *d)
{
	return !d->path || !strcmp(d->path, "-");
}

/* --output and the dot outputs, checked against the shared ones. */
static int finish_outputs(struct net_args *a, struct hull_err *err)
{
	const char *output = a->out.output;
	size_t shared_free = 0;
	for (size_t i = 0; i < a->out.nouts; i++)
		shared_free += !a->out.outs[i].explicit_path;
	for (size_t i = 0; i < a->ndots; i++)
		if (!a->dots[i].explicit_path && output)
			a->dots[i].path = output;
	if (a->ndots && !a->out.nouts)
		return 0; /* only pictures: no default document */
	if (a->ndots && !shared_free)
		a->out.output = NULL; /* used by a dot output, not by the shared ones */
	int rc = hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
	a->out.output = output;
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < a->ndots; i++) {
		const struct dot_out *d = &a->dots[i];
		for (size_t k = 0; k < a->out.nouts; k++) {
			const struct hull_output *o = &a->out.outs[k];
			bool ostd = !o->path || !strcmp(o->path, "-");
			if ((ostd && dot_to_stdout(d)) ||
			    (!ostd && !dot_to_stdout(d) && !strcmp(o->path, d->path)))
				return hull_err_set(
				    err, HULL_ERR_USAGE,
				    "--format %s and --format %s write to the same place",
				    d->svg ? "svg" : "dot", hull_findings_format_name(o->format));
		}
		for (size_t k = 0; k < i; k++)
			if ((dot_to_stdout(d) && dot_to_stdout(&a->dots[k])) ||
			    (!dot_to_stdout(d) && !dot_to_stdout(&a->dots[k]) &&
			     !strcmp(d->path, a->dots[k].path)))
				return hull_err_set(err, HULL_ERR_USAGE,
				                    "two dot/svg outputs write to the same place");
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct net_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"docker", optional_argument, NULL, OPT_DOCKER},
	    {"namespace-labels", required_argument, NULL, OPT_NS_LABELS},
	    {"default-namespace", required_argument, NULL, OPT_DEFAULT_NS},
	    {"hostnetwork-policy", required_argument, NULL, OPT_HOSTNET},
	    {"project-name", required_argument, NULL, 'p'},
	    {"can", required_argument, NULL, OPT_CAN},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "network",
	    .shortopts = "p:",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .compose = &a->compose,
	};
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	a->paths = argv + first;
	a->npaths = (size_t)(argc - first);
	if (a->list_rules)
		return 0;
	if (!a->npaths && !a->compose.nfiles && !a->use_docker)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "nothing to read: give PATHs, -f compose.yaml or --docker (see "
		                    "'hull network --help')");
	if (a->can_src)
		return 0;
	return finish_outputs(a, err);
}

/* ---- reading ------------------------------------------------------------------------ */

static void fail(struct run *r, const struct hull_err *err)
{
	hull_cli_error("%s", err->msg);
	r->errors++;
}

/* Compose files given together (-f, or a file with its override). */
static void load_compose(struct run *r, const char *const *paths, size_t n)
{
	struct hull_cli_compose_docs d;
	struct hull_err err = {0};
	if (hull_cli_compose_read(r->a->compose.env_file, paths, n, &d, &err) < 0 ||
	    hull_net_load_compose(r->net, d.datas, d.lens, paths, n, d.env, &err) < 0)
		fail(r, &err);
	else
		r->files += n;
	hull_cli_compose_docs_release(&d);
}

static void load_file(struct run *r, const char *path, bool quiet_unknown)
{
	struct hull_err err = {0};
	size_t len;
	char *data = hull_cli_read_input(path, HULL_LOAD_MAX_BYTES, &len, &err);
	if (!data) {
		fail(r, &err);
		return;
	}
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	char *env = hull_cli_compose_env(r->a->compose.env_file, path);
	bool loaded = false;
	if (hull_net_load(r->net, data, len, name, env, &loaded, &err) < 0) {
		fail(r, &err);
	} else if (!loaded && !quiet_unknown) {
		hull_err_set(&err, HULL_ERR_INPUT,
		             "%s: not Kubernetes manifests, a Compose file or inspect output",
		             name);
		fail(r, &err);
	} else if (loaded) {
		r->files++;
	}
	free(env);
	free(data);
}

static bool interesting(const char *name)
{
	static const char *const exts[] = {".yaml", ".yml", ".json"};
	return hull_str_name_has_ext(name, exts, sizeof(exts) / sizeof(exts[0]));
}

/* "compose.override.yaml" -> "compose.yaml"; NULL when not an override. */
static bool override_base(const char *name, char *base, size_t cap)
{
	static const char *const stems[] = {"compose", "docker-compose"};
	for (size_t i = 0; i < 2; i++) {
		size_t sl = strlen(stems[i]);
		if (strncmp(name, stems[i], sl) || strncmp(name + sl, ".override.", 10))
			continue;
		snprintf(base, cap, "%s.%s", stems[i], name + sl + 10);
		return true;
	}
	return false;
}

/* A regular file of the same directory named name. */
static bool has_file(const struct hull_walk_dir *dir, const char *name)
{
	for (size_t i = 0; i < dir->n; i++)
		if (!strcmp(dir->entries[i].name, name) && S_ISREG(dir->entries[i].st.st_mode))
			return true;
	return false;
}

/* A file of a directory walk; a Compose file is read with its override
 * (compose.override.yaml beside compose.yaml) as one project. */
static int walk_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                     struct hull_err *unused)
{
	struct run *r = ctx;
	const char *name = dir->entries[i].name;
	char base[512], over[HULL_WALK_PATH_MAX];
	(void)unused;
	if (override_base(name, base, sizeof(base)) && has_file(dir, base))
		return 0; /* read with its base file */
	for (size_t k = 0; k < dir->n; k++) {
		char ob[512];
		const char *other = dir->entries[k].name;
		if (!S_ISREG(dir->entries[k].st.st_mode) || !override_base(other, ob, sizeof(ob)) ||
		    strcmp(ob, name))
			continue;
		int n = snprintf(over, sizeof(over), "%s/%s", dir->path, other);
		if (n < 0 || (size_t)n >= sizeof(over))
			continue; /* the walk reports it when it gets there */
		char *data = NULL;
		size_t len;
		struct hull_err err = {0};
		if (hull_fs_read_file(path, HULL_LOAD_MAX_BYTES, &data, &len, &err) == 0 &&
		    hull_config_detect(data, len) == HULL_CONFIG_COMPOSE) {
			const char *both[2] = {path, over};
			free(data);
			load_compose(r, both, 2);
			return 0;
		}
		free(data);
	}
	load_file(r, path, true);
	return 0;
}

static void walk(struct run *r, const char *dir)
{
	const struct hull_cli_walk w = {
	    .want = interesting,
	    .file = walk_file,
	    .ctx = r,
	    .diag = &r->diag,
	    .errors = &r->errors,
	    .files = &r->files,
	    .what = "Kubernetes manifests, Compose file or inspect output",
	};
	hull_cli_walk(dir, &w);
}

/* The engine: --docker=SOCKET, $DOCKER_HOST, then the usual places of
 * docker's and podman's sockets; /var/run/docker.sock when none exists
 * (the error then names it). */
static const char *engine_url(const char *arg, char *buf, size_t cap)
{
	const char *s = arg && *arg ? arg : getenv("DOCKER_HOST");
	if (s && *s)
		return s;
	if (!hull_engine_find(getenv("XDG_RUNTIME_DIR"), buf, cap))
		snprintf(buf, cap, "unix:///var/run/docker.sock");
	return buf;
}

static void load_docker(struct run *r)
{
	char buf[HULL_ENGINE_URL_MAX + 8];
	char *nets = NULL, *ctrs = NULL;
	size_t nl = 0, cl = 0;
	struct hull_err err = {0};
	struct hull_engine *e = NULL;
	if (hull_engine_open(engine_url(r->a->docker, buf, sizeof(buf)), &e, &err) < 0) {
		hull_err_wrap(&err, "--docker");
		fail(r, &err);
		return;
	}
	if (hull_net_engine_fetch(e, &nets, &nl, &ctrs, &cl, &err) < 0 ||
	    hull_net_load_engine(r->net, hull_engine_url(e), nets, nl, ctrs, cl, &err) < 0)
		fail(r, &err);
	free(nets);
	free(ctrs);
	hull_engine_free(e);
}

/* ---- writing -------------------------------------------------------------------------- */

static int write_doc(const char *path, const struct hull_buf *doc, struct hull_err *err)
{
	if (path && strcmp(path, "-"))
		return hull_fs_write_atomic(path, doc->data ? doc->data : "", doc->len, err);
	if (doc->len && fwrite(doc->data, 1, doc->len, stdout) != doc->len)
		return hull_err_errno(err, errno, "standard output");
	return fflush(stdout) ? hull_err_errno(err, errno, "standard output") : 0;
}

/* DOT through Graphviz's `dot -Tsvg`: the graph goes to a temporary file
 * (so dot's output can be read to the end without a second thread). */
static int render_svg(const struct hull_buf *dotdoc, struct hull_buf *svg, struct hull_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s/hull-network-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", tmp);
	ssize_t w = write(fd, dotdoc->data ? dotdoc->data : "", dotdoc->len);
	close(fd);
	if (w < 0 || (size_t)w != dotdoc->len) {
		unlink(tmp);
		return hull_err_errno(err, errno, "%s", tmp);
	}
	int pipefd[2];
	if (pipe(pipefd) < 0) {
		unlink(tmp);
		return hull_err_errno(err, errno, "pipe");
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	char *argv[] = {"dot", "-Tsvg", tmp, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		unlink(tmp);
		return hull_err_set(
		    err, HULL_ERR_IO,
		    "--format svg: cannot run Graphviz's dot (%s); install graphviz or "
		    "use --format dot",
		    strerror(rc));
	}
	char chunk[65536];
	int out = 0;
	for (;;) {
		ssize_t n = read(pipefd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out == 0 && hull_buf_append(svg, chunk, (size_t)n, err) < 0)
			out = -1; /* keep reading so dot can finish */
	}
	close(pipefd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	unlink(tmp);
	if (out < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return hull_err_set(err, HULL_ERR_IO, "--format svg: dot failed (status %d)",
		                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int write_dots(struct run *r, struct hull_err *err)
{
	for (size_t i = 0; i < r->a->ndots; i++) {
		const struct dot_out *d = &r->a->dots[i];
		struct hull_buf doc, svg;
		hull_buf_init(&doc, HULL_OUTPUT_DOC_MAX);
		hull_buf_init(&svg, MAX_SVG_BYTES);
		int rc = hull_net_write(r->net, HULL_NET_DOT, NULL, &doc, err);
		if (rc == 0 && d->svg)
			rc = render_svg(&doc, &svg, err);
		if (rc == 0)
			rc = write_doc(d->path, d->svg ? &svg : &doc, err);
		hull_buf_release(&doc);
		hull_buf_release(&svg);
		if (rc < 0)
			return hull_err_wrap(err, "--format %s%s%s", d->svg ? "svg" : "dot",
			                     d->path ? "=" : "", d->path ? d->path : "");
	}
	return 0;
}

/* The table and the JSON document carry the graph. */
static int render(void *ctx, enum hull_findings_format f, const struct hull_findings_input *in,
                  struct hull_buf *doc, struct hull_err *err)
{
	struct run *r = ctx;
	if (f == HULL_FINDINGS_TABLE)
		return hull_net_write(r->net, HULL_NET_TABLE, in, doc, err);
	if (f == HULL_FINDINGS_JSON)
		return hull_net_write(r->net, HULL_NET_JSON, in, doc, err);
	return 1;
}

static int list_rules(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1u << 20);
	if (hull_net_rules_table(&b, &err) < 0) {
		hull_buf_release(&b);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	fwrite(b.data, 1, b.len, stdout);
	hull_buf_release(&b);
	return HULL_EXIT_OK;
}

static int can(struct run *r)
{
	struct hull_buf b;
	struct hull_err err = {0};
	bool allowed = false, json = false;
	for (size_t i = 0; i < r->a->out.nouts; i++)
		json |= r->a->out.outs[i].format == HULL_FINDINGS_JSON;
	hull_buf_init(&b, 1u << 20);
	if (hull_net_can(r->net, r->a->can_src, r->a->can_dst, json, &b, &allowed, &err) < 0) {
		hull_buf_release(&b);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	fwrite(b.data, 1, b.len, stdout);
	hull_buf_release(&b);
	return r->errors ? HULL_EXIT_ERROR : allowed ? HULL_EXIT_OK : HULL_EXIT_FINDINGS;
}

static void print_stats(const struct run *r)
{
	struct hull_net_stats s;
	hull_net_stats(r->net, &s);
	fprintf(
	    stderr,
	    "hull network: %zu workloads (%zu classes), %zu policies, %zu networks, %zu services, "
	    "%zu exposures; %zu ordered pairs allowed; computed in %.3f s\n",
	    s.workloads, s.classes, s.policies, s.networks, s.services, s.exposures, s.edges,
	    s.compute_seconds);
}

static int report(struct run *r)
{
	struct hull_findings findings = {0};
	struct hull_err err = {0};
	if (hull_net_check(r->net, &findings, &err) < 0) {
		hull_findings_release(&findings);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	struct hull_cli_report rep = {
	    .findings = &findings,
	    .target = {.name = r->a->npaths           ? r->a->paths[0]
	                       : r->a->compose.nfiles ? r->a->compose.files[0]
	                                              : "docker",
	               .kind = HULL_TARGET_CONFIG},
	    .diag = &r->diag,
	    .errors = r->errors,
	    .render = render,
	    .render_ctx = r,
	};
	int status = r->a->out.nouts ? hull_cli_report(&r->a->out, &rep) : HULL_EXIT_OK;
	if (write_dots(r, &err) < 0) {
		hull_cli_error("%s", err.msg);
		status = HULL_EXIT_ERROR;
	} else if (!r->a->out.nouts) {
		hull_output_filter(&r->a->out, &findings);
		status = r->errors ? HULL_EXIT_ERROR : hull_output_status(&r->a->out, &findings);
	}
	hull_findings_release(&findings);
	return status;
}

static int run_all(struct run *r)
{
	struct net_args *a = r->a;
	struct hull_err err = {0};
	for (size_t i = 0; i < a->nns_labels; i++)
		if (hull_net_namespace_labels(r->net, a->ns_labels[i], &err) < 0) {
			hull_cli_error("%s", err.msg);
			return HULL_EXIT_ERROR;
		}
	if (a->compose.nfiles)
		load_compose(r, a->compose.files, a->compose.nfiles);
	for (size_t i = 0; i < a->npaths; i++) {
		struct stat st;
		if (strcmp(a->paths[i], "-") && stat(a->paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(r, a->paths[i]);
		else
			load_file(r, a->paths[i], false);
	}
	if (a->use_docker)
		load_docker(r);
	if (hull_net_compute(r->net, &err) < 0) {
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	if (a->stats)
		print_stats(r);
	/* reports carry the warnings; the answer to --can does not */
	for (size_t i = 0; a->can_src && i < r->diag.n; i++)
		hull_cli_error("warning: %s", r->diag.msgs[i]);
	return a->can_src ? can(r) : report(r);
}

int hull_cmd_network(int argc, char **argv)
{
	struct net_args a = {0};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	if (parse_args(argc, argv, &a, &err) < 0)
		return hull_cli_usage_error("network", &err);
	if (a.list_rules)
		return list_rules();
	struct run r = {.a = &a};
	hull_diag_init(&r.diag);
	r.net = hull_net_new(&a.nopts, &r.diag);
	if (!r.net) {
		hull_cli_error("out of memory");
		return HULL_EXIT_ERROR;
	}
	int rc = run_all(&r);
	hull_net_free(r.net);
	hull_diag_release(&r.diag);
	return rc;
}
