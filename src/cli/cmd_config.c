/* hull config: misconfigurations in Dockerfiles, Compose files, Kubernetes
 * manifests, ECS task definitions and docker/podman inspect output, with
 * one rule set (src/misconfig) and the report options of every scan. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "misconfig/load.h"
#include "misconfig/policy.h"
#include "misconfig/rules.h"
#include "network/network.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/sandbox.h"
#include "util/walk.h"

struct config_args {
	struct hull_cli_store store;
	struct hull_output_opts out;
	struct hull_check_opts check;
	bool profile_set, pss_version_set;
	const char *policy_path;
	struct hull_cli_compose compose;
	enum hull_config_kind kind;
	bool list_rules;
	char **paths;
	size_t npaths;
};

struct run {
	struct config_args *a;
	struct hull_findings findings;
	struct hull_diag diag;
	size_t files, docs;
	int errors;
	time_t started;
};

static void usage(void)
{
	printf("usage: hull config [OPTIONS] [-f compose.yaml ...] PATH...\n"
	       "  PATH                   a file, a directory (walked), or - for standard "
	       "input\n" HULL_COMPOSE_USAGE
	       "  --kind KIND            read PATHs as dockerfile|compose|kubernetes|ecs|inspect\n"
	       "  --profile P            all (default) | baseline | restricted (Pod Security)\n"
	       "  --pss-version V        Pod Security Standards version for Kubernetes:\n"
	       "                         latest (default) | v1.N\n"
	       "  --policy FILE          rules off, severities, exemptions (docs/misconfig.md)\n"
	       "  --list-rules           print the rule catalogue and exit\n"
	       "  --store URL            record the run and its findings in PostgreSQL\n"
	       "                         (docs/store.md); --node NAME, --namespace NS\n");
	hull_cli_output_usage(stdout, "table|json|sarif|junit|markdown|html");
}

enum {
	OPT_PROFILE = 256,
	OPT_PSS_VERSION,
	OPT_POLICY,
	OPT_LIST_RULES,
	OPT_KIND,
};

static int parse_kind(const char *s, enum hull_config_kind *out, struct hull_err *err)
{
	for (int k = HULL_CONFIG_DOCKERFILE; k <= HULL_CONFIG_INSPECT; k++) {
		if (!strcmp(s, hull_config_kind_name((enum hull_config_kind)k))) {
			*out = (enum hull_config_kind)k;
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_USAGE,
	                    "--kind '%s': expected dockerfile, compose, kubernetes, ecs or inspect",
	                    s);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct config_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case OPT_PROFILE:
		a->profile_set = true;
		return hull_profile_parse(arg, &a->check.profile, err);
	case OPT_PSS_VERSION:
		a->pss_version_set = true;
		if (hull_pss_version_parse(arg, &a->check.pss_version, err) < 0)
			return hull_err_wrap(err, "--pss-version");
		return 0;
	case OPT_POLICY:
		a->policy_path = arg;
		return 0;
	case OPT_LIST_RULES:
		a->list_rules = true;
		return 0;
	case OPT_KIND:
		return parse_kind(arg, &a->kind, err);
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct config_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"pss-version", required_argument, NULL, OPT_PSS_VERSION},
	    {"policy", required_argument, NULL, OPT_POLICY},
	    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
	    {"kind", required_argument, NULL, OPT_KIND},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "config",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .store = &a->store,
	    .compose = &a->compose,
	};
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	a->paths = argv + first;
	a->npaths = (size_t)(argc - first);
	if (a->list_rules)
		return 0;
	if (!a->npaths && !a->compose.nfiles)
		return hull_err_set(
		    err, HULL_ERR_USAGE,
		    "nothing to scan: give a PATH or -f compose.yaml (see 'hull config "
		    "--help')");
	return hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
}

/* ---- scanning -------------------------------------------------------------- */

static int check_model(struct run *r, struct hull_model *m, struct hull_err *err)
{
	r->docs += m->workloads.n + m->objects.n;
	size_t from = r->findings.n;
	int rc = hull_misconfig_check(m, &r->a->check, &r->findings, err);
	hull_output_filter_from(&r->a->out, &r->findings, from);
	return rc;
}

static void fail(struct run *r, const struct hull_err *err)
{
	hull_cli_error("%s", err->msg);
	r->errors++;
}

/* One file. quiet_unknown: in a directory walk, files of no known kind are
 * skipped; named on the command line they are an error. */
static void scan_file(struct run *r, const char *path, bool quiet_unknown)
{
	struct hull_err err = {0};
	size_t len;
	char *data = hull_cli_read_input(path, HULL_LOAD_MAX_BYTES, &len, &err);
	if (!data) {
		fail(r, &err);
		return;
	}
	struct hull_model *m = hull_model_new();
	char *env = hull_cli_compose_env(r->a->compose.env_file, path);
	enum hull_config_kind kind = HULL_CONFIG_UNKNOWN;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	if (!m)
		hull_err_nomem(&err);
	int rc = m ? hull_config_load(m, data, len, name, r->a->kind, env, &kind, &err) : -1;
	if (m)
		hull_model_move_warnings(m, &r->diag);
	if (rc < 0) {
		fail(r, &err);
	} else if (kind == HULL_CONFIG_UNKNOWN) {
		if (!quiet_unknown) {
			hull_err_set(
			    &err, HULL_ERR_INPUT,
			    "%s: not a Dockerfile, Compose file, Kubernetes manifest, ECS task "
			    "definition or inspect output",
			    name);
			fail(r, &err);
		}
	} else {
		r->files++;
		if (check_model(r, m, &err) < 0)
			fail(r, &err);
	}
	hull_model_free(m);
	free(env);
	free(data);
}

static int walk_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                     struct hull_err *err)
{
	(void)dir, (void)i, (void)err;
	scan_file(ctx, path, true);
	return 0;
}

static void walk(struct run *r, const char *dir)
{
	const struct hull_cli_walk w = {
	    .file = walk_file,
	    .ctx = r,
	    .diag = &r->diag,
	    .errors = &r->errors,
	    .files = &r->files,
	    .what = "Dockerfile, Compose file, Kubernetes manifest, ECS task definition or "
	            "inspect output",
	};
	hull_cli_walk(dir, &w);
}

static void scan_compose(struct run *r)
{
	const struct hull_cli_compose *c = &r->a->compose;
	struct hull_cli_compose_docs d;
	struct hull_err err = {0};
	struct hull_model *m = NULL;
	if (hull_cli_compose_read(c->env_file, c->files, c->nfiles, &d, &err) < 0)
		fail(r, &err);
	else if (!(m = hull_model_new()))
		fail(r, (hull_err_nomem(&err), &err));
	else if (hull_compose_load(m, d.datas, d.lens, c->files, c->nfiles, d.env, &err) < 0 ||
	         check_model(r, m, &err) < 0)
		fail(r, &err);
	else
		r->files += c->nfiles;
	if (m)
		hull_model_move_warnings(m, &r->diag);
	hull_model_free(m);
	hull_cli_compose_docs_release(&d);
}

static int list_rules(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1u << 20);
	/* one catalogue: the network rules share the ids' namespace and model */
	if (hull_rules_table(&b, &err) < 0 ||
	    hull_buf_append_str(&b, "\nNetwork rules (hull network):\n", &err) < 0 ||
	    hull_net_rules_table(&b, &err) < 0) {
		hull_buf_release(&b);
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	fwrite(b.data, 1, b.len, stdout);
	hull_buf_release(&b);
	return HULL_EXIT_OK;
}

/* Everything config reads is named on its command line (files, walked
 * directories, compose files and the .env beside each): it is read in the
 * sandbox (cli.h), writing only its outputs' directories. */
static int confine(const struct config_args *a, struct hull_err *err)
{
	enum { MAX_NAMED = 12 }; /* two rules each, within HULL_SANDBOX_MAX_PATHS */
	struct hull_sandbox sb = {0};
	char envs[MAX_NAMED][4096];
	const char *all[MAX_NAMED];
	size_t n = 0;
	if (a->compose.nfiles + a->npaths > MAX_NAMED)
		return 0; /* a long list of paths: not confined (docs/limits.md) */
	if (a->store.url)
		return 0; /* the store is a database server: no sandbox */
	for (size_t i = 0; i < a->compose.nfiles; i++)
		all[n++] = a->compose.files[i];
	for (size_t i = 0; i < a->npaths; i++)
		all[n++] = a->paths[i];
	for (size_t i = 0; i < n; i++) {
		if (hull_cli_confine_read(&sb, all[i], err) < 0)
			return -1;
		char copy[4096];
		snprintf(copy, sizeof(copy), "%s", all[i]);
		snprintf(envs[i], sizeof(envs[i]), "%s/.env", dirname(copy));
		if (hull_cli_confine_read(&sb, envs[i], err) < 0)
			return -1;
	}
	if (hull_cli_confine_read(&sb, a->compose.env_file, err) < 0)
		return -1;
	for (size_t i = 0; i < a->out.nouts; i++) {
		const char *p = a->out.outs[i].path ? a->out.outs[i].path : a->out.output;
		if (hull_cli_confine_output(&sb, p, err) < 0)
			return -1;
	}
	return hull_cli_confine("config", &sb, err);
}

static int report(struct run *r)
{
	struct hull_cli_report rep = {
	    .findings = &r->findings,
	    .target = {.name = r->a->npaths ? r->a->paths[0] : r->a->compose.files[0],
	               .kind = HULL_TARGET_CONFIG},
	    .diag = &r->diag,
	    .filtered = true, /* per file, in check_model */
	    .errors = r->errors,
	    .store = &r->a->store,
	    .store_kind = "config",
	    .started = r->started,
	};
	return hull_cli_report(&r->a->out, &rep);
}

int hull_cmd_config(int argc, char **argv)
{
	struct config_args a = {0};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	if (parse_args(argc, argv, &a, &err) < 0)
		return hull_cli_usage_error("config", &err);
	if (a.list_rules)
		return list_rules();
	struct hull_policy *policy = NULL;
	if (a.policy_path && hull_policy_load(a.policy_path, &policy, &err) < 0) {
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	a.check.policy = policy;
	if (confine(&a, &err) < 0) {
		hull_cli_error("%s", err.msg);
		hull_policy_free(policy);
		return HULL_EXIT_ERROR;
	}
	if (!a.profile_set)
		hull_policy_profile(policy, &a.check.profile);
	if (!a.pss_version_set)
		hull_policy_pss_version(policy, &a.check.pss_version);
	struct run r = {.a = &a, .started = time(NULL)};
	hull_diag_init(&r.diag);
	if (a.compose.nfiles)
		scan_compose(&r);
	for (size_t i = 0; i < a.npaths; i++) {
		struct stat st;
		if (strcmp(a.paths[i], "-") && stat(a.paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(&r, a.paths[i]);
		else
			scan_file(&r, a.paths[i], false);
	}
	int rc = report(&r);
	hull_findings_release(&r.findings);
	hull_diag_release(&r.diag);
	hull_policy_free(policy);
	return rc;
}
