/* hull scan: one deployment, one prioritised report.
 *
 * Reads what describes a deployment under the PATHs (Dockerfiles, Compose
 * files with their .env, Kubernetes manifests, ECS task definitions), runs
 * the misconfiguration rules on each file once, computes the network once
 * (src/network), reads each image the workloads run once (an --image
 * NAME=ARCHIVE, else the engine, else the registry: cli/source.h; with
 * --offline only archives and the engine) and the base image of each
 * Dockerfile, matches them against the vulnerability database, then
 * joins everything per workload: its findings, its exposure (published
 * ports, LoadBalancer, NodePort, hostPort, Ingress; who reaches it, whom it
 * reaches) and its privileges (root, privileged, capabilities, host
 * namespaces, docker.sock, service account token). Each vulnerability
 * found in a workload gets a priority by the rule of docs/priority.md.
 * An image it cannot read is a warning naming the workload. */
#include <errno.h>
#include <json-c/json.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/source.h"
#include "image/cache.h"
#include "image/image.h"
#include "match/match.h"
#include "match/suppress.h"
#include "misconfig/load.h"
#include "misconfig/rules.h"
#include "network/network.h"
#include "pkgdb/pkgdb.h"
#include "registry/ref.h"
#include "util/fs.h"
#include "util/walk.h"
#include "vulndb/vulndb.h"

#define MAX_IMAGES 256
#define MAX_SKIP   64
#define MAX_FILES  100000u
/* engine images read as candidates for one repository's image change */
#define MAX_CANDIDATES 8

struct image_arg {
	const char *name, *path;
};

struct scan_args {
	struct hull_output_opts out;
	struct hull_image_opts img;
	struct hull_cli_cache_opts cache;
	struct hull_cli_source_opts src;
	const char *db;
	struct image_arg images[MAX_IMAGES];
	size_t nimages;
	const char *skip_dirs[MAX_SKIP + 2]; /* NULL-terminated, node_modules first */
	size_t nskip_dirs;
	const char *skip_files[MAX_SKIP];
	size_t nskip_files;
	const char *ignorefile;
	const char *profiles[MAX_SKIP];
	size_t nprofiles;
	bool offline;
	const char *env_file;
	unsigned fail_on_priority; /* 0: none */
	char **paths;
	size_t npaths;
};

/* An image read once: its findings, shared by every workload running it. */
struct scanned {
	const char *ref;
	struct hull_findings findings; /* vulnerabilities, and the image config's checks */
	char *user;                    /* the image config's USER; NULL: none (root) */
	char *why;                     /* why not ok */
	bool ok;
	char *os_id, *os_version; /* os-release ID, VERSION_ID; NULL: none */
	char *owned;              /* ref, when the run owns it (an engine's name) */
	const char *source;       /* where it was read, for image changes */
	/* image changes (docs/priority.md): the sorted "id\tpackage" keys of
	 * its OS packages' vulnerabilities, and the image of the same
	 * repository and distribution that removes the most of them (index in
	 * run.imgs, -1: none) */
	char **keys;
	size_t nkeys;
	long better;
	unsigned removes, adds;
};

/* A workload of the deployment, with what the report borrows. */
struct wl {
	struct hull_deploy_workload d;
	const struct hull_workload *mw; /* in its model; NULL for a lockfile */
	const struct lockfile *lock;    /* a lockfile's packages; NULL otherwise */
	char *label;                    /* the rule engine's object label */
	size_t net;                     /* network workload, or (size_t)-1 */
	unsigned expo, priv;            /* terms of the priority rule */
	char **strs;                    /* owned strings behind d's lists */
	size_t nstrs, capstrs;
	const char **images, **privs, **expos, **from, **to;
	size_t cap_from, cap_to;
	struct hull_image_change *changes;
};

/* A lockfile of the tree (package-lock.json) and its packages. */
struct lockfile {
	char *path;
	struct hull_inventory inv;
};

struct run {
	struct scan_args *a;
	struct lockfile *locks;
	size_t nlocks;
	struct hull_diag diag;
	struct hull_findings findings;
	struct hull_model **models;
	size_t nmodels, capmodels;
	struct hull_net *net;
	size_t files;
	int errors;
	struct wl *w;
	size_t nw;
	struct hull_deploy_edge *edges;
	size_t nedges, capedges;
	struct scanned *imgs;
	size_t nimgs;
	struct hull_vulndb *db;
	bool db_tried; /* the database and the layer cache were opened (or failed) */
};

static void usage(void)
{
	printf("usage: hull scan [OPTIONS] PATH...\n"
	       "  PATH                   a repository checkout (walked) or files: Dockerfiles,\n"
	       "                         Compose files (.env beside them), Kubernetes manifests,\n"
	       "                         ECS task definitions\n"
	       "  --image NAME=ARCHIVE   the image a workload names NAME is read from ARCHIVE\n"
	       "                         (docker save / OCI layout or archive); repeatable.\n"
	       "                         Other images: the engine, then the registry\n"
	       "                         (--source), as for hull image\n"
	       "  --offline              only local image sources: archives, the engine and\n"
	       "                         the layer cache (never the registry)\n"
	       "  --db FILE              the vulnerability database (as for hull image)\n"
	       "  --env-file FILE        Compose variables (default: .env beside each file)\n"
	       "  --skip-dirs LIST       directory names not walked (comma-separated)\n"
	       "  --skip-files LIST      file name patterns not read (comma-separated, fnmatch)\n"
	       "  --ignorefile FILE      suppressions (default: ./.hullignore when present)\n"
	       "  --profile NAME         enable a Compose profile (repeatable; '*': every one);\n"
	       "                         services of other profiles are left out, as compose does\n"
	       "  --fail-on-priority N   exit 1 when a vulnerability of priority N or more\n"
	       "                         urgent (1 is first) remains\n");
	hull_cli_output_usage(stdout, "table|json|sarif|junit|markdown|html");
	printf("  --platform OS/ARCH, --cache-dir DIR, --no-cache ...   as for hull "
	       "image\n" HULL_SOURCE_USAGE "Priorities: docs/priority.md.\n");
}

enum {
	OPT_IMAGE = 256,
	OPT_OFFLINE,
	OPT_DB,
	OPT_ENV_FILE,
	OPT_SKIP_DIRS,
	OPT_SKIP_FILES,
	OPT_IGNOREFILE,
	OPT_FAIL_PRIO,
	OPT_PROFILE,
};

static int add_list(const char **v, size_t *n, size_t max, char *list, const char *opt,
                    struct hull_err *err)
{
	for (char *save, *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return hull_err_set(err, HULL_ERR_USAGE, "%s: at most %zu names", opt, max);
		v[(*n)++] = w;
	}
	return 0;
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct scan_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case OPT_IMAGE: {
		const char *eq = strrchr(arg, '=');
		if (!eq || eq == arg || !eq[1])
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--image '%s': expected NAME=ARCHIVE", arg);
		if (a->nimages == MAX_IMAGES)
			return hull_err_set(err, HULL_ERR_USAGE, "at most %d --image", MAX_IMAGES);
		char *name = strndup(arg, (size_t)(eq - arg));
		if (!name)
			return hull_err_nomem(err);
		a->images[a->nimages++] = (struct image_arg){name, eq + 1};
		return 0;
	}
	case OPT_OFFLINE:
		a->offline = true;
		return 0;
	case OPT_DB:
		a->db = arg;
		return 0;
	case OPT_ENV_FILE:
		a->env_file = arg;
		return 0;
	case OPT_SKIP_DIRS:
		/* argv strings are ours to cut */
		return add_list(a->skip_dirs, &a->nskip_dirs, MAX_SKIP + 1, (char *)arg,
		                "--skip-dirs", err);
	case OPT_SKIP_FILES:
		return add_list(a->skip_files, &a->nskip_files, MAX_SKIP, (char *)arg,
		                "--skip-files", err);
	case OPT_IGNOREFILE:
		a->ignorefile = arg;
		return 0;
	case OPT_PROFILE:
		return add_list(a->profiles, &a->nprofiles, MAX_SKIP, (char *)arg, "--profile",
		                err);
	case OPT_FAIL_PRIO:
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '4')
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--fail-on-priority '%s': expected 1, 2, 3 or 4", arg);
		a->fail_on_priority = (unsigned)(arg[0] - '0');
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct scan_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"image", required_argument, NULL, OPT_IMAGE},
	    {"offline", no_argument, NULL, OPT_OFFLINE},
	    {"db", required_argument, NULL, OPT_DB},
	    {"env-file", required_argument, NULL, OPT_ENV_FILE},
	    {"skip-dirs", required_argument, NULL, OPT_SKIP_DIRS},
	    {"skip-files", required_argument, NULL, OPT_SKIP_FILES},
	    {"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
	    {"fail-on-priority", required_argument, NULL, OPT_FAIL_PRIO},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "scan",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .image = true,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .img = &a->img,
	    .cache = &a->cache,
	    .src = &a->src,
	};
	a->skip_dirs[a->nskip_dirs++] = "node_modules";
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	a->paths = argv + first;
	a->npaths = (size_t)(argc - first);
	if (!a->npaths)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "nothing to scan: give a PATH (see 'hull scan --help')");
	/* images named by the inputs are references, never paths */
	a->src.refs_only = true;
	a->src.offline = a->offline;
	if (!a->ignorefile && access(".hullignore", F_OK) == 0)
		a->ignorefile = ".hullignore";
	return hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
}

/* ---- reading the deployment ----------------------------------------------------------- */

static void fail(struct run *r, const struct hull_err *err)
{
	hull_cli_error("%s", err->msg);
	r->errors++;
}

static bool skipped_file(const struct scan_args *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < a->nskip_files; i++)
		if (!fnmatch(a->skip_files[i], base, 0) || !fnmatch(a->skip_files[i], path, 0))
			return true;
	return false;
}

static int keep_model(struct run *r, struct hull_model *m)
{
	if (r->nmodels == r->capmodels) {
		size_t cap = r->capmodels ? 2 * r->capmodels : 16;
		struct hull_model **v = realloc(r->models, cap * sizeof(*v));
		if (!v)
			return -1;
		r->models = v;
		r->capmodels = cap;
	}
	r->models[r->nmodels++] = m;
	return 0;
}

/* A lockfile: its packages, matched later like an image's. Returns true
 * when path is one (read, or failed with an error printed). */
static bool read_lockfile(struct run *r, const char *path, const char *data, size_t len)
{
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	bool known = false;
	int rc = hull_inventory_from_lockfile(hull_str(data, len), path, &inv, &known, &err);
	if (!known) {
		hull_inventory_release(&inv);
		return false;
	}
	struct lockfile *v = rc == 0 ? realloc(r->locks, (r->nlocks + 1) * sizeof(*v)) : NULL;
	char *p = v ? strdup(path) : NULL;
	if (rc == 0 && (!v || !p)) {
		free(p);
		rc = hull_err_nomem(&err);
	}
	if (v)
		r->locks = v;
	if (rc < 0) {
		fail(r, &err);
		hull_inventory_release(&inv);
		return true;
	}
	r->locks[r->nlocks++] = (struct lockfile){.path = p, .inv = inv};
	r->files++;
	return true;
}

/* One file: misconfiguration rules on its model (kept for the join), and
 * the network graph for Compose and Kubernetes. quiet: from a walk, where
 * files of no known kind are passed over. */
static void read_file(struct run *r, const char *path, bool quiet)
{
	struct hull_err err = {0};
	size_t len;
	if (r->files >= MAX_FILES) {
		hull_diag_warn(&r->diag, "%s: not read: more than %u files", path, MAX_FILES);
		return;
	}
	char *data = hull_cli_read_input(path, HULL_LOAD_MAX_BYTES, &len, &err);
	if (!data) {
		fail(r, &err);
		return;
	}
	enum hull_config_kind kind = hull_config_detect(data, len);
	if (kind == HULL_CONFIG_UNKNOWN && read_lockfile(r, path, data, len)) {
		free(data);
		return;
	}
	if (kind == HULL_CONFIG_UNKNOWN || kind == HULL_CONFIG_INSPECT) {
		if (!quiet) {
			/* named on the command line: the loader says what is wrong
			 * (a YAML error and its position) when it can */
			struct hull_model *m = hull_model_new();
			if (!m || hull_config_load(m, data, len, path, HULL_CONFIG_UNKNOWN, NULL,
			                           NULL, &err) == 0)
				hull_err_set(
				    &err, HULL_ERR_INPUT,
				    "%s: not a Dockerfile, Compose file, Kubernetes manifest or "
				    "ECS task definition",
				    path);
			hull_model_free(m);
			fail(r, &err);
		}
		free(data);
		return;
	}
	char *env = hull_cli_compose_env(r->a->env_file, path);
	struct hull_model *m = hull_model_new();
	int rc =
	    m ? hull_config_load(m, data, len, path, kind, env, NULL, &err) : hull_err_nomem(&err);
	if (m)
		hull_model_move_warnings(m, &r->diag);
	struct hull_check_opts opts = {0};
	if (rc == 0)
		rc = hull_misconfig_check(m, &opts, &r->findings, &err);
	if (rc == 0 && (kind == HULL_CONFIG_COMPOSE || kind == HULL_CONFIG_K8S))
		rc = hull_net_load(r->net, data, len, path, env, NULL, &err);
	if (rc == 0 && keep_model(r, m) < 0)
		rc = hull_err_nomem(&err);
	if (rc < 0) {
		fail(r, &err);
		hull_model_free(m);
	} else {
		r->files++;
	}
	free(env);
	free(data);
}

static int walk_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                     struct hull_err *err)
{
	struct run *r = ctx;
	(void)dir, (void)i, (void)err;
	if (!skipped_file(r->a, path))
		read_file(r, path, true);
	return 0;
}

static void walk(struct run *r, const char *dir)
{
	const struct hull_cli_walk w = {
	    .ignore = r->a->skip_dirs,
	    .want = hull_cli_manifest_name,
	    .file = walk_file,
	    .ctx = r,
	    .diag = &r->diag,
	    .errors = &r->errors,
	    .files = &r->files,
	    .what = "Dockerfile, Compose file, Kubernetes manifest or ECS task definition",
	};
	hull_cli_walk(dir, &w);
}

/* ---- workloads ---------------------------------------------------------------------------- */

static const char *keep_str(struct wl *w, char *s)
{
	if (!s)
		return NULL;
	if (w->nstrs == w->capstrs) {
		size_t cap = w->capstrs ? 2 * w->capstrs : 8;
		char **v = realloc(w->strs, cap * sizeof(*v));
		if (!v) {
			free(s);
			return NULL;
		}
		w->strs = v;
		w->capstrs = cap;
	}
	return w->strs[w->nstrs++] = s;
}

static const char *fmt_str(struct wl *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static const char *fmt_str(struct wl *w, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return keep_str(w, s);
}

/* Appends s to a list of w (grown by 8). */
static void push(const char ***v, size_t *n, const char *s)
{
	if (!s)
		return;
	if ((*n & 7) == 0) {
		const char **nv = realloc(*v, (*n + 8) * sizeof(*nv));
		if (!nv)
			return;
		*v = nv;
	}
	(*v)[(*n)++] = s;
}

static const struct scanned *find_scanned(const struct run *r, const char *ref)
{
	for (size_t i = 0; ref && i < r->nimgs; i++)
		if (r->imgs[i].ok && !strcmp(r->imgs[i].ref, ref))
			return &r->imgs[i];
	return NULL;
}

/* A user spec that is root: "0", "root", "0:x", "root:x". */
static bool root_spec(const char *u)
{
	size_t n = strcspn(u, ":");
	return (n == 1 && u[0] == '0') || (n == 4 && !strncmp(u, "root", 4));
}

static bool is_root(const struct hull_container *c, const struct scanned *img)
{
	if (c->user.uid_known)
		return c->user.uid == 0;
	/* a user by name ("postgres", "app:app"): not root */
	if (c->user.spec.v && *c->user.spec.v)
		return false;
	if (c->user.non_root.v == HULL_TRUE)
		return false; /* the kubelet refuses to start it as root */
	/* nothing in the chain sets a user: the image's USER, root when the
	 * image sets none or was not read */
	return !img || !img->user || root_spec(img->user);
}

static const char *container_ref(const struct hull_workload *m, const struct hull_container *c);

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool has_star(struct json_object *arr)
{
	for (size_t i = 0;
	     arr && json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr);
	     i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(arr, i));
		if (v && !strcmp(v, "*"))
			return true;
	}
	return false;
}

/* A Role / ClusterRole named role (in ns for a Role) that allows every
 * verb on every resource of some API group, in the deployment's files. */
static bool role_is_wildcard(const struct run *r, const char *kind, const char *role,
                             const char *ns)
{
	for (size_t i = 0; i < r->nmodels; i++) {
		for (size_t k = 0; k < r->models[i]->objects.n; k++) {
			const struct hull_object *o = &r->models[i]->objects.v[k];
			if (!o->kind || strcmp(o->kind, kind) || !o->name || strcmp(o->name, role))
				continue;
			if (!strcmp(kind, "Role") && ns && o->namespace && strcmp(o->namespace, ns))
				continue;
			struct json_object *rules = jget(o->obj, "rules");
			for (size_t j = 0; rules && json_object_is_type(rules, json_type_array) &&
			                   j < json_object_array_length(rules);
			     j++) {
				struct json_object *rule = json_object_array_get_idx(rules, j);
				if (has_star(jget(rule, "verbs")) &&
				    has_star(jget(rule, "resources")))
					return true;
			}
		}
	}
	return false;
}

/* What the workload's service account may do, from the RoleBindings and
 * ClusterRoleBindings of the deployment's files: cluster-admin or a
 * wildcard role is level 2; any other binding level 1. Returns the words
 * for the strongest, or NULL when no binding names it. */
static const char *sa_rights(const struct run *r, struct wl *w, const char *sa, const char *ns,
                             unsigned *level)
{
	const char *best = NULL;
	*level = 0;
	for (size_t i = 0; i < r->nmodels; i++) {
		for (size_t k = 0; k < r->models[i]->objects.n; k++) {
			const struct hull_object *o = &r->models[i]->objects.v[k];
			bool cluster = o->kind && !strcmp(o->kind, "ClusterRoleBinding");
			if (!o->kind || (!cluster && strcmp(o->kind, "RoleBinding")))
				continue;
			if (!cluster && o->namespace && ns && strcmp(o->namespace, ns))
				continue;
			struct json_object *subs = jget(o->obj, "subjects");
			bool bound = false;
			for (size_t j = 0; subs && json_object_is_type(subs, json_type_array) &&
			                   j < json_object_array_length(subs);
			     j++) {
				struct json_object *sub = json_object_array_get_idx(subs, j);
				const char *sk = jstr(sub, "kind"), *sn = jstr(sub, "name");
				const char *sns = jstr(sub, "namespace");
				if (sk && !strcmp(sk, "ServiceAccount") && sn && !strcmp(sn, sa) &&
				    (!sns || !ns || !strcmp(sns, ns)))
					bound = true;
			}
			if (!bound)
				continue;
			struct json_object *ref = jget(o->obj, "roleRef");
			const char *rk = jstr(ref, "kind"), *rn = jstr(ref, "name");
			if (!rk || !rn)
				continue;
			unsigned lvl =
			    !strcmp(rn, "cluster-admin") || role_is_wildcard(r, rk, rn, ns) ? 2 : 1;
			if (lvl > *level) {
				*level = lvl;
				best = fmt_str(w, "service account %s bound to %s %s%s (%s %s)", sa,
				               rk, rn,
				               lvl == 2 ? ": every verb on every resource" : "",
				               o->kind, o->name ? o->name : "?");
			}
		}
	}
	return best;
}

static void privileges(const struct run *r, struct wl *w)
{
	const struct hull_workload *m = w->mw;
	unsigned level = 0;
	const char *top = NULL;
#define PRIV(lvl, ...)                                                                             \
	do {                                                                                       \
		const char *s_ = fmt_str(w, __VA_ARGS__);                                          \
		push(&w->privs, &w->d.nprivileges, s_);                                            \
		if ((lvl) > level || !top) {                                                       \
			if ((lvl) > level)                                                         \
				level = (lvl);                                                     \
			top = s_;                                                                  \
		}                                                                                  \
	} while (0)
	if (m->host_network.v == HULL_TRUE)
		PRIV(2, "host network namespace");
	if (m->host_pid.v == HULL_TRUE)
		PRIV(2, "host PID namespace");
	if (m->host_ipc.v == HULL_TRUE)
		PRIV(2, "host IPC namespace");
	for (size_t i = 0; i < m->containers.n; i++) {
		const struct hull_container *c = &m->containers.v[i];
		const char *cn = c->name ? c->name : "(unnamed)";
		if (c->privileged.v == HULL_TRUE)
			PRIV(2, "privileged (container %s)", cn);
		for (size_t k = 0; k < c->cap_add.n; k++) {
			const char *cap = c->cap_add.v[k].v;
			if (!cap)
				continue;
			bool strong = !strcmp(cap, "ALL") || !strcmp(cap, "SYS_ADMIN") ||
			              !strcmp(cap, "SYS_PTRACE") || !strcmp(cap, "SYS_MODULE") ||
			              !strcmp(cap, "DAC_READ_SEARCH") || !strcmp(cap, "NET_ADMIN");
			PRIV(strong ? 2 : 1, "capability %s added (container %s)", cap, cn);
		}
		for (size_t k = 0; k < c->mounts.n; k++) {
			const struct hull_mount *mt = &c->mounts.v[k];
			if (mt->kind == HULL_MOUNT_BIND && mt->source &&
			    strstr(mt->source, "docker.sock"))
				PRIV(2, "docker.sock mounted (container %s)", cn);
			else if (mt->kind == HULL_MOUNT_BIND && mt->source &&
			         !strcmp(mt->source, "/"))
				PRIV(2, "host root filesystem mounted (container %s)", cn);
		}
		const struct scanned *img = find_scanned(r, container_ref(m, c));
		bool root = is_root(c, img);
		if (root && m->input != HULL_INPUT_DOCKERFILE)
			PRIV(1, "runs as root (container %s%s)", cn,
			     c->user.uid_known ? ""
			     : img             ? ": neither it nor its image sets a non-root user"
			                       : ": no non-root user set");
		else if (root)
			PRIV(1, "runs as root (%s)",
			     c->user.uid_known ? "USER root" : "no USER instruction");
	}
	if (m->input == HULL_INPUT_K8S && m->automount_token.v != HULL_FALSE) {
		const char *sa = m->service_account.v ? m->service_account.v : "default";
		unsigned lvl = 0;
		const char *rights =
		    sa_rights(r, w, sa, m->namespace ? m->namespace : "default", &lvl);
		if (rights)
			PRIV(lvl, "%s", rights);
		else
			PRIV(1, "service account token mounted (%s)", sa);
	}
#undef PRIV
	w->priv = level;
	w->d.privileges = w->privs;
	w->d.privilege = level ? fmt_str(w, "%s (%u)", top, level) : NULL;
}

static char *label_of(const struct hull_workload *m)
{
	char *s = NULL;
	const char *name = m->input == HULL_INPUT_DOCKERFILE ? NULL : m->name;
	if (asprintf(&s, "%s%s%s%s%s", m->kind ? m->kind : "object", name ? " " : "",
	             m->namespace ? m->namespace : "", m->namespace && name ? "/" : "",
	             name ? name : "") < 0)
		return NULL;
	return s;
}

/* Compose profiles: a service with profiles runs only when one is
 * enabled (--profile, '*' for all). */
static const struct hull_vstr *inactive_profile(const struct scan_args *a,
                                                const struct hull_workload *m)
{
	if (m->input != HULL_INPUT_COMPOSE || !m->profiles.n)
		return NULL;
	for (size_t i = 0; i < a->nprofiles; i++) {
		if (!strcmp(a->profiles[i], "*"))
			return NULL;
		for (size_t k = 0; k < m->profiles.n; k++)
			if (m->profiles.v[k].v && !strcmp(m->profiles.v[k].v, a->profiles[i]))
				return NULL;
	}
	return &m->profiles.v[0];
}

/* Findings about a workload left out (its profile is not enabled). */
struct left_out {
	const char *file;
	char *label;
};

struct drop_ctx {
	const struct left_out *v;
	size_t n;
};

static bool keep_enabled(const struct hull_finding *f, void *ctx)
{
	const struct drop_ctx *d = ctx;
	for (size_t i = 0; f->loc.object && f->loc.file && i < d->n; i++) {
		size_t n = strlen(d->v[i].label);
		if (!strcmp(f->loc.file, d->v[i].file) &&
		    !strncmp(f->loc.object, d->v[i].label, n) &&
		    (f->loc.object[n] == '\0' || f->loc.object[n] == ','))
			return false;
	}
	return true;
}

static int add_model_workload(struct run *r, const struct hull_workload *m)
{
	size_t nnet = hull_net_workload_count(r->net);
	struct wl *w = &r->w[r->nw++];
	w->mw = m;
	w->net = (size_t)-1;
	w->label = label_of(m);
	for (size_t j = 0; j < nnet; j++) {
		struct hull_net_workload_view v;
		hull_net_workload_get(r->net, j, &v);
		if (v.file && m->pos.file && !strcmp(v.file, m->pos.file) &&
		    v.line == m->pos.line && v.name && m->name && !strcmp(v.name, m->name)) {
			w->net = j;
			w->d.id = keep_str(w, strdup(v.id));
			break;
		}
	}
	if (!w->d.id)
		w->d.id = m->input == HULL_INPUT_DOCKERFILE
		              ? fmt_str(w, "Dockerfile %s", m->pos.file)
		              : keep_str(w, label_of(m));
	w->d.kind = m->kind;
	w->d.file = m->pos.file;
	w->d.line = m->pos.line;
	for (size_t c = 0; !m->build && c < m->containers.n; c++)
		if (m->containers.v[c].image.v)
			push(&w->images, &w->d.nimages, m->containers.v[c].image.v);
	if (m->build)
		for (size_t s = 0; s < m->build->stages.n; s++)
			if (m->build->stages.v[s].base)
				push(&w->images, &w->d.nimages,
				     fmt_str(w, "%s (base of stage %zu)",
				             m->build->stages.v[s].base, s));
	w->d.images = w->images;
	return w->d.id && w->label ? 0 : -1;
}

static int collect_workloads(struct run *r)
{
	size_t n = r->nlocks;
	for (size_t i = 0; i < r->nmodels; i++)
		n += r->models[i]->workloads.n;
	r->w = calloc(n ? n : 1, sizeof(*r->w));
	struct left_out *out = calloc(n ? n : 1, sizeof(*out));
	size_t nout = 0;
	int rc = r->w && out ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < r->nmodels; i++) {
		for (size_t k = 0; rc == 0 && k < r->models[i]->workloads.n; k++) {
			const struct hull_workload *m = &r->models[i]->workloads.v[k];
			const struct hull_vstr *p = inactive_profile(r->a, m);
			if (!p) {
				rc = add_model_workload(r, m);
				continue;
			}
			hull_diag_warn(&r->diag,
			               "%s:%u: service %s left out: its profile %s is not enabled "
			               "(--profile %s, or '*' for every one)",
			               m->pos.file ? m->pos.file : "?", m->pos.line, m->name, p->v,
			               p->v);
			out[nout].file = m->pos.file ? m->pos.file : "";
			if (!(out[nout++].label = label_of(m)))
				rc = -1;
		}
	}
	for (size_t i = 0; rc == 0 && i < r->nlocks; i++) {
		struct wl *w = &r->w[r->nw++];
		w->lock = &r->locks[i];
		w->net = (size_t)-1;
		w->d.id = fmt_str(w, "lockfile %s", r->locks[i].path);
		w->d.kind = "lockfile";
		w->d.file = r->locks[i].path;
		w->d.line = 1;
		if (!w->d.id)
			rc = -1;
	}
	if (rc == 0 && nout) {
		struct drop_ctx d = {out, nout};
		hull_findings_filter(&r->findings, keep_enabled, &d);
	}
	for (size_t i = 0; out && i < nout; i++)
		free(out[i].label);
	free(out);
	return rc;
}

static struct wl *wl_of_net(struct run *r, size_t net)
{
	for (size_t i = 0; i < r->nw; i++)
		if (r->w[i].net == net)
			return &r->w[i];
	return NULL;
}

static int on_edge(void *ctx, size_t s, size_t d, const char *ports)
{
	struct run *r = ctx;
	struct wl *ws = s == HULL_NET_INTERNET ? NULL : wl_of_net(r, s);
	struct wl *wd = d == HULL_NET_INTERNET ? NULL : wl_of_net(r, d);
	if ((s != HULL_NET_INTERNET && !ws) || (d != HULL_NET_INTERNET && !wd))
		return 0;
	if (r->nedges == r->capedges) {
		size_t cap = r->capedges ? 2 * r->capedges : 64;
		struct hull_deploy_edge *v = realloc(r->edges, cap * sizeof(*v));
		if (!v)
			return -1;
		r->edges = v;
		r->capedges = cap;
	}
	struct wl *owner = ws ? ws : wd;
	r->edges[r->nedges++] = (struct hull_deploy_edge){
	    .src = ws ? ws->d.id : "(internet)",
	    .dst = wd ? wd->d.id : "(internet)",
	    .ports = fmt_str(owner, "%s", ports),
	};
	if (ws && wd) {
		push(&ws->to, &ws->d.nreaches, wd->d.id);
		push(&wd->from, &wd->d.nreached_by, ws->d.id);
	}
	return 0;
}

static void exposure(struct run *r)
{
	size_t ne = hull_net_exposure_count(r->net);
	for (size_t k = 0; k < ne; k++) {
		struct hull_net_exposure_view e;
		hull_net_exposure_get(r->net, k, &e);
		struct wl *w = wl_of_net(r, e.workload);
		if (!w)
			continue;
		char port[32] = "", target[48] = "";
		if (e.port && e.port_end > e.port)
			snprintf(port, sizeof(port), ":%u-%u", e.port, e.port_end);
		else if (e.port)
			snprintf(port, sizeof(port), ":%u", e.port);
		if (e.target)
			snprintf(target, sizeof(target), "->%u", e.target);
		const char *s =
		    fmt_str(w, "%s %s%s%s/%s%s%s%s", e.how, e.address ? e.address : "0.0.0.0", port,
		            target, e.protocol, e.via ? " via " : "", e.via ? e.via : "",
		            e.world ? "" : " (not from outside)");
		push(&w->expos, &w->d.nexposures, s);
		if (e.world) {
			w->d.internet = true;
			w->expo = 2;
			if (!w->d.exposure)
				w->d.exposure = fmt_str(w, "internet via %s (2)", s ? s : e.how);
		}
	}
	for (size_t i = 0; i < r->nw; i++) {
		struct wl *w = &r->w[i];
		w->d.exposures = w->expos;
		w->d.reached_by = w->from;
		w->d.reaches = w->to;
		if (!w->d.internet && w->d.nreached_by) {
			w->expo = 1;
			w->d.exposure = fmt_str(w, "reached by %zu workload%s (1)",
			                        w->d.nreached_by, w->d.nreached_by == 1 ? "" : "s");
		} else if (!w->d.internet) {
			w->d.exposure = fmt_str(w, "none (0)");
		}
	}
}

/* Misconfiguration, network and secret findings to their workload: the
 * same file, and the rule engine's object label or hull network's id. */
static void attribute(struct run *r)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		struct hull_finding *f = &r->findings.items[i];
		if (f->workload || !f->loc.object)
			continue;
		for (size_t k = 0; k < r->nw; k++) {
			const struct wl *w = &r->w[k];
			if (!w->label)
				continue;
			size_t n = strlen(w->label);
			bool file = f->loc.file && w->d.file && !strcmp(f->loc.file, w->d.file);
			bool label = !strncmp(f->loc.object, w->label, n) &&
			             (f->loc.object[n] == '\0' || f->loc.object[n] == ',');
			if ((file && label) || !strcmp(f->loc.object, w->d.id)) {
				f->workload = strdup(w->d.id);
				break;
			}
		}
	}
}

/* ---- images ---------------------------------------------------------------------------------- */

static const char *archive_of(const struct scan_args *a, const char *ref)
{
	size_t n = strlen(ref);
	for (size_t i = 0; i < a->nimages; i++) {
		const char *name = a->images[i].name;
		if (!strcmp(name, ref))
			return a->images[i].path;
		/* "nginx" names "nginx:latest", and the reverse */
		size_t m = strlen(name);
		if ((m == n + 7 && !strncmp(name, ref, n) && !strcmp(name + n, ":latest")) ||
		    (n == m + 7 && !strncmp(ref, name, m) && !strcmp(ref + m, ":latest")))
			return a->images[i].path;
	}
	return NULL;
}

/* Opens the database and the layer cache the first time an image or a
 * lockfile needs them; NULL (warned once) when there is no database. */
static struct hull_vulndb *need_db(struct run *r)
{
	if (r->db_tried)
		return r->db;
	r->db_tried = true;
	char dbbuf[4096];
	struct hull_err err = {0};
	const char *dbpath = hull_cli_db_path(r->a->db, dbbuf, sizeof(dbbuf));
	if (hull_vulndb_open(dbpath, &r->db, &err) < 0) {
		hull_diag_warn(&r->diag, "%s: no vulnerability database (%s): images not scanned",
		               dbpath, err.msg);
		r->db = NULL;
	}
	r->a->img.cache = hull_cli_cache_open(&r->a->cache);
	return r->db;
}

/* The image's packages against the database, and its config through the
 * misconfiguration rules. img is borrowed; what is read is called `from`
 * in messages. */
static int scan_image(struct run *r, struct scanned *s, struct hull_image *img, const char *from,
                      struct hull_err *err)
{
	struct hull_inventory inv = {0};
	struct hull_match_result res;
	int rc = hull_inventory_collect(img->files, &inv, &r->diag, err);
	if (rc == 0)
		rc = hull_match_inventory(r->db, &inv, img, &s->findings, &res, &r->diag, err);
	if (rc == 0)
		rc = hull_match_eol(r->db, &inv, time(NULL), &s->findings, &r->diag, err);
	/* the image config through the same rules (secrets in ENV, ...) */
	struct hull_model *m = rc == 0 ? hull_model_new() : NULL;
	struct hull_check_opts opts = {0};
	if (rc == 0 && !m)
		rc = hull_err_nomem(err);
	if (rc == 0)
		rc = hull_image_config_load(m, img, s->ref, err);
	if (rc == 0)
		rc = hull_misconfig_check(m, &opts, &s->findings, err);
	if (m)
		hull_model_move_warnings(m, &r->diag);
	hull_model_free(m);
	if (rc == 0 && img->config.user && *img->config.user &&
	    !(s->user = strdup(img->config.user)))
		rc = hull_err_nomem(err);
	/* the distribution: an image change stays within it */
	if (rc == 0 && inv.os.id &&
	    (!(s->os_id = strdup(inv.os.id)) ||
	     (inv.os.version_id && !(s->os_version = strdup(inv.os.version_id)))))
		rc = hull_err_nomem(err);
	hull_inventory_release(&inv);
	if (rc < 0)
		hull_err_wrap(err, "image %s (%s)", s->ref, from);
	return rc;
}

/* The image of ref, read once for the whole deployment, from src (the
 * run's sources, or only the engine for a candidate); NULL when it cannot
 * be had (the caller warns naming the workload). */
static struct scanned *image_from(struct run *r, const char *ref,
                                  const struct hull_cli_source_opts *src, const char **why)
{
	for (size_t i = 0; i < r->nimgs; i++)
		if (!strcmp(r->imgs[i].ref, ref)) {
			*why = r->imgs[i].why ? r->imgs[i].why : "";
			return r->imgs[i].ok ? &r->imgs[i] : NULL;
		}
	struct scanned *v = realloc(r->imgs, (r->nimgs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	r->imgs = v;
	struct scanned *s = &r->imgs[r->nimgs++];
	*s = (struct scanned){.ref = ref, .better = -1};
	*why = "";
	const char *path = archive_of(r->a, ref);
	s->source = path                ? "an --image archive"
	            : src == &r->a->src ? "this deployment's sources"
	                                : "the engine";
	if (!need_db(r)) {
		*why = s->why = strdup("no vulnerability database");
		return NULL;
	}
	/* --image first, then the sources: the engine, the registry (not
	 * --offline); the inputs' names are references, never paths */
	struct hull_err err = {0};
	struct hull_image *img = NULL;
	int rc = path ? hull_image_open(path, &r->a->img, &img, &r->diag, &err)
	              : hull_cli_open_image(ref, &r->a->img, src, &img, &r->diag, &err);
	if (rc < 0 && path) {
		/* an archive the user named: an error */
		hull_err_wrap(&err, "image %s (--image %s)", ref, path);
		fail(r, &err);
		*why = s->why = strdup("could not be read");
		return NULL;
	}
	if (rc < 0) {
		/* a source that does not have it: a warning naming the workload */
		if (asprintf(&s->why, "%s%s", r->a->offline ? "not available offline: " : "",
		             err.msg) < 0)
			s->why = NULL;
		*why = s->why ? s->why : "";
		return NULL;
	}
	rc = scan_image(r, s, img, path ? path : img->target ? img->target : ref, &err);
	hull_image_free(img);
	if (rc < 0) {
		fail(r, &err);
		free(s->why);
		*why = s->why = strdup("could not be read");
		return NULL;
	}
	s->ok = true;
	return s;
}

static struct scanned *image(struct run *r, const char *ref, const char **why)
{
	return image_from(r, ref, &r->a->src, why);
}

/* ---- image changes (docs/priority.md) ------------------------------------------------------ */

/* The repository of ref, "domain/path"; false when ref is not a reference.
 * podman names an image tagged with a short name "localhost/NAME": that is
 * the repository the short name NAME (docker.io/[library/]NAME) resolves
 * to in that engine, so "localhost/" reads as docker.io. */
static bool repo_of(const char *ref, char *out, size_t n)
{
	struct hull_ref p;
	struct hull_err err = {0};
	if (hull_ref_parse(ref, &p, &err) < 0)
		return false;
	if (!strcmp(p.domain, "localhost"))
		snprintf(out, n, "docker.io/%s%s", strchr(p.path, '/') ? "" : "library/", p.path);
	else
		snprintf(out, n, "%s/%s", p.domain, p.path);
	return true;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *vuln_key(const struct hull_finding *f)
{
	char *k = NULL;
	if (asprintf(&k, "%s\t%s", f->id, f->vuln.pkg_name ? f->vuln.pkg_name : "") < 0)
		return NULL;
	return k;
}

/* A vulnerability of an OS package, or the distribution's end of support
 * (package type "os"): what a base image change can fix. */
static bool os_vuln(const struct hull_finding *f)
{
	enum hull_pkg_type t;
	if (f->kind != HULL_FINDING_VULNERABILITY || !f->vuln.pkg_type)
		return false;
	return !strcmp(f->vuln.pkg_type, "os") ||
	       (hull_pkg_type_from_purl(f->vuln.pkg_type, &t) && hull_pkg_type_is_os(t));
}

/* s's OS package vulnerability keys, sorted and unique. */
static int image_keys(struct scanned *s)
{
	s->keys = calloc(s->findings.n ? s->findings.n : 1, sizeof(*s->keys));
	if (!s->keys)
		return -1;
	for (size_t i = 0; i < s->findings.n; i++) {
		const struct hull_finding *f = &s->findings.items[i];
		if (!os_vuln(f))
			continue;
		if (!(s->keys[s->nkeys] = vuln_key(f)))
			return -1;
		s->nkeys++;
	}
	qsort(s->keys, s->nkeys, sizeof(*s->keys), cmp_key);
	size_t u = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		if (u && !strcmp(s->keys[i], s->keys[u - 1]))
			free(s->keys[i]);
		else
			s->keys[u++] = s->keys[i];
	}
	s->nkeys = u;
	return 0;
}

static bool has_key(const struct scanned *s, const char *key)
{
	return key && bsearch(&key, s->keys, s->nkeys, sizeof(*s->keys), cmp_key);
}

/* Keys of a that b does not have. */
static unsigned missing(const struct scanned *a, const struct scanned *b)
{
	unsigned n = 0;
	for (size_t i = 0; i < a->nkeys; i++)
		n += !has_key(b, a->keys[i]);
	return n;
}

/* os-release VERSION_IDs compared by their dot-separated numbers ("12.5" >
 * "12.4" > "11"); no version is the oldest. */
static int cmp_os_version(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a || eb == b) { /* not numbers: the rest as text */
			int c = strcmp(ea, eb);
			return (c > 0) - (c < 0);
		}
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

/* Whether two references of one repository name the same tag. */
static bool same_tag(const char *a, const char *b)
{
	struct hull_ref x, y;
	struct hull_err err = {0};
	if (hull_ref_parse(a, &x, &err) < 0 || hull_ref_parse(b, &y, &err) < 0)
		return false;
	return !strcmp(x.tag[0] ? x.tag : "latest", y.tag[0] ? y.tag : "latest") &&
	       !strcmp(x.digest, y.digest);
}

/* Whether c may replace s: another image read, of the same repository and
 * the same distribution (os-release ID: debian stays debian). */
static bool same_kind(const struct scanned *s, const struct scanned *c, const char *repo)
{
	char rc[2 * HULL_REF_NAME_MAX + 16];
	return c != s && c->ok && repo_of(c->ref, rc, sizeof(rc)) && !strcmp(repo, rc) &&
	       s->os_id && c->os_id && !strcmp(s->os_id, c->os_id);
}

/* The engine's images of the repositories the workloads' images come
 * from, read as candidates (only from the engine: never a registry, also
 * without --offline), at most MAX_CANDIDATES per repository. No engine, or
 * one that does not answer: nothing; a list that is not one, or an image
 * of it that cannot be read: a warning. */
static void engine_candidates(struct run *r, size_t n0)
{
	char **tags = NULL;
	size_t ntags = 0;
	struct hull_err err = {0};
	bool want = false;
	for (size_t i = 0; i < n0; i++)
		want |= r->imgs[i].ok && r->imgs[i].nkeys;
	if (!want)
		return;
	if (hull_cli_engine_tags(&r->a->src, &tags, &ntags, &err) < 0) {
		/* an engine that does not answer or has no image list holds no
		 * candidate (the workloads' warnings already say when it was
		 * needed); one that answers nonsense is worth a word */
		if (err.kind != HULL_ERR_IO && err.kind != HULL_ERR_NOTFOUND)
			hull_diag_warn(&r->diag, "image changes: the engine's images not read: %s",
			               err.msg);
		return;
	}
	struct hull_cli_source_opts engine_only = r->a->src;
	engine_only.sources = "engine";
	char ra[2 * HULL_REF_NAME_MAX + 16], rb[2 * HULL_REF_NAME_MAX + 16];
	for (size_t i = 0; i < n0; i++) {
		if (!r->imgs[i].ok || !r->imgs[i].nkeys || !repo_of(r->imgs[i].ref, ra, sizeof(ra)))
			continue;
		unsigned taken = 0;
		for (size_t k = 0; k < ntags && taken < MAX_CANDIDATES; k++) {
			bool known = false;
			if (!tags[k] || !repo_of(tags[k], rb, sizeof(rb)) || strcmp(ra, rb))
				continue;
			for (size_t j = 0; j < r->nimgs && !known; j++)
				known = !strcmp(r->imgs[j].ref, tags[k]) ||
				        (repo_of(r->imgs[j].ref, rb, sizeof(rb)) &&
				         !strcmp(ra, rb) && same_tag(r->imgs[j].ref, tags[k]));
			if (known)
				continue;
			const char *why;
			size_t at = r->nimgs;
			image_from(r, tags[k], &engine_only, &why);
			if (r->nimgs > at) {
				r->imgs[at].owned = tags[k]; /* the run owns the name now */
				tags[k] = NULL;
				taken++;
			}
			if (r->nimgs > at && !r->imgs[at].ok)
				hull_diag_warn(&r->diag,
				               "image changes: engine image %s not read: %s",
				               r->imgs[at].ref, why);
		}
	}
	for (size_t k = 0; k < ntags; k++)
		free(tags[k]);
	free(tags);
}

/* For every image read, the image of the same repository and
 * distribution, among those hull knows locally (the workloads', the
 * --image archives of that repository, the engine's images of it), that
 * removes the most of its OS package vulnerabilities (then adds the
 * fewest, then is the newer release) and has fewer in all: measured on
 * both, never guessed from tags. */
static int image_changes(struct run *r)
{
	char ra[2 * HULL_REF_NAME_MAX + 16], rb[2 * HULL_REF_NAME_MAX + 16];
	/* an --image archive of a repository a workload runs is read too:
	 * it is a candidate hull knows locally */
	size_t n0 = r->nimgs;
	for (size_t i = 0; i < r->a->nimages; i++) {
		const char *name = r->a->images[i].name, *why;
		bool known = false, same = false;
		if (!repo_of(name, ra, sizeof(ra)))
			continue;
		for (size_t k = 0; k < r->nimgs; k++)
			known |= !strcmp(r->imgs[k].ref, name);
		for (size_t k = 0; !known && k < n0; k++)
			same |= r->imgs[k].ok && repo_of(r->imgs[k].ref, rb, sizeof(rb)) &&
			        !strcmp(ra, rb);
		if (same)
			image(r, name, &why);
	}
	for (size_t i = 0; i < r->nimgs; i++)
		if (r->imgs[i].ok && !r->imgs[i].keys && image_keys(&r->imgs[i]) < 0)
			return -1;
	size_t n1 = r->nimgs;
	engine_candidates(r, n0);
	for (size_t i = n1; i < r->nimgs; i++)
		if (r->imgs[i].ok && image_keys(&r->imgs[i]) < 0)
			return -1;
	for (size_t i = 0; i < r->nimgs; i++) {
		struct scanned *s = &r->imgs[i];
		if (!s->ok || !s->nkeys || !repo_of(s->ref, ra, sizeof(ra)))
			continue;
		for (size_t k = 0; k < r->nimgs; k++) {
			const struct scanned *c = &r->imgs[k];
			if (!same_kind(s, c, ra))
				continue;
			unsigned rm = missing(s, c), add = missing(c, s);
			if (rm <= add)
				continue; /* not fewer in all */
			const struct scanned *b = s->better >= 0 ? &r->imgs[s->better] : NULL;
			int newer = b ? cmp_os_version(c->os_version, b->os_version) : 1;
			if (!b || rm > s->removes || (rm == s->removes && add < s->adds) ||
			    (rm == s->removes && add == s->adds &&
			     (newer > 0 || (newer == 0 && strcmp(c->ref, b->ref) < 0)))) {
				s->better = (long)k;
				s->removes = rm;
				s->adds = add;
			}
		}
	}
	return 0;
}

/* The change for the image s a container of w runs, once per image. */
static void add_change(struct run *r, struct wl *w, const struct scanned *s, bool base)
{
	if (s->better < 0)
		return;
	const struct scanned *c = &r->imgs[s->better];
	for (size_t i = 0; i < w->d.nchanges; i++)
		if (!strcmp(w->changes[i].image, s->ref))
			return;
	if ((w->d.nchanges & 7) == 0) {
		struct hull_image_change *v = realloc(w->changes, (w->d.nchanges + 8) * sizeof(*v));
		if (!v)
			return;
		w->changes = v;
	}
	const char *text = fmt_str(w,
	                           "%s %s -> %s: %u finding%s removed, %u introduced (of %zu OS "
	                           "finding%s; hull read both images, %s from %s)",
	                           base ? "base image" : "image", s->ref, c->ref, s->removes,
	                           s->removes == 1 ? "" : "s", s->adds, s->nkeys,
	                           s->nkeys == 1 ? "" : "s", c->ref, c->source);
	if (!text)
		return;
	w->changes[w->d.nchanges++] = (struct hull_image_change){
	    .image = s->ref,
	    .instead = c->ref,
	    .base = base,
	    .had = (unsigned)s->nkeys,
	    .removes = s->removes,
	    .adds = s->adds,
	    .source = c->source,
	    .text = text,
	};
	w->d.changes = w->changes;
}

/* ---- priority (docs/priority.md) ------------------------------------------------------------ */

static unsigned sev_points(enum hull_severity s)
{
	switch (s) {
	case HULL_SEV_CRITICAL:
		return 4;
	case HULL_SEV_HIGH:
		return 3;
	case HULL_SEV_MEDIUM:
		return 2;
	default:
		return 1;
	}
}

static void prioritise(struct hull_finding *f, const struct wl *w)
{
	unsigned sev = sev_points(f->severity);
	unsigned fix = f->vuln.fixed_version && *f->vuln.fixed_version ? 1 : 0;
	unsigned score = sev + fix + w->expo + w->priv;
	f->priority = score >= 8 ? 1 : score >= 6 ? 2 : score >= 4 ? 3 : 4;
	char *s = NULL;
	if (asprintf(&s, "P%u = %s %u + %s %u + exposure: %s + privilege: %s = %u", f->priority,
	             hull_severity_name(f->severity), sev, fix ? "fix available" : "no fix", fix,
	             w->d.exposure ? w->d.exposure : "none (0)",
	             w->d.privilege ? w->d.privilege : "none (0)", score) >= 0)
		f->priority_why = s;
}

static int add_image_findings(struct run *r, struct wl *w, const struct scanned *s,
                              const char *container, bool base, struct hull_err *err)
{
	for (size_t i = 0; i < s->findings.n; i++) {
		struct hull_finding f;
		if (hull_finding_copy(&f, &s->findings.items[i], err) < 0)
			return -1;
		free(f.loc.file);
		free(f.loc.object);
		free(f.workload);
		f.loc.file = w->d.file ? strdup(w->d.file) : NULL;
		f.loc.line = w->d.line;
		f.loc.col = f.loc.end_line = f.loc.end_col = 0;
		if ((w->lock ? asprintf(&f.loc.object, "%s", w->d.id)
		             : asprintf(&f.loc.object, "%s, %s (image %s)", w->d.id, container,
		                        s->ref)) < 0)
			f.loc.object = NULL;
		f.workload = strdup(w->d.id);
		if (f.kind == HULL_FINDING_VULNERABILITY)
			prioritise(&f, w);
		if (f.kind == HULL_FINDING_VULNERABILITY && s->better >= 0 && !f.static_text &&
		    !f.remediation) {
			const struct scanned *c = &r->imgs[s->better];
			char *key = os_vuln(&f) ? vuln_key(&f) : NULL;
			if (key && !has_key(c, key) &&
			    asprintf(&f.remediation,
			             "or %s %s instead of %s: hull read both, %s does not have it",
			             base ? "base image" : "image", c->ref, s->ref, c->ref) < 0)
				f.remediation = NULL;
			free(key);
		}
		if (hull_findings_add(&r->findings, &f, err) < 0)
			return -1;
	}
	return 0;
}

/* A lockfile's packages against the database, as a workload of their own
 * (nothing reaches it, it holds no privilege: the workloads that ship the
 * code carry those once their images are scanned). */
static int scan_lockfile(struct run *r, struct wl *w, struct hull_err *err)
{
	if (!need_db(r)) {
		hull_diag_warn(&r->diag, "%s: not matched: no vulnerability database", w->d.id);
		return 0;
	}
	struct scanned s = {.ref = w->lock->path, .better = -1};
	struct hull_match_result res;
	int rc = hull_match_inventory(r->db, &w->lock->inv, NULL, &s.findings, &res, &r->diag, err);
	if (rc == 0)
		rc = add_image_findings(r, w, &s, "packages", false, err);
	hull_findings_release(&s.findings);
	return rc;
}

/* The image a container runs: its reference, or for a Dockerfile the base
 * image of its final stage's chain; NULL when none (scratch, build: only). */
static const char *container_ref(const struct hull_workload *m, const struct hull_container *c)
{
	if (c->image.v)
		return c->image.v;
	if (!m->build || !m->build->stages.n)
		return NULL;
	long st = (long)m->build->stages.n - 1;
	while (st >= 0 && m->build->stages.v[st].parent >= 0)
		st = m->build->stages.v[st].parent;
	const char *ref = st >= 0 ? m->build->stages.v[st].base : NULL;
	return ref && strcmp(ref, "scratch") ? ref : NULL;
}

static void container_what(const struct hull_workload *m, const struct hull_container *c, char *buf,
                           size_t cap)
{
	if (!c->image.v && m->build)
		snprintf(buf, cap, "base image");
	else
		snprintf(buf, cap, "container %s", c->name ? c->name : "(unnamed)");
}

/* Every image once (warnings name the workloads that cannot have theirs),
 * then the privileges (the image's USER counts), then the findings. */
static int images(struct run *r, struct hull_err *err)
{
	for (size_t i = 0; i < r->nw; i++) {
		const struct hull_workload *m = r->w[i].mw;
		for (size_t c = 0; m && c < m->containers.n; c++) {
			const struct hull_container *ct = &m->containers.v[c];
			const char *ref = container_ref(m, ct), *why = "";
			char what[512];
			container_what(m, ct, what, sizeof(what));
			if (!ref && !m->build)
				hull_diag_warn(
				    &r->diag,
				    ct->image_built
				        ? "workload %s: %s is built here (build:) with no "
				          "image name; scan its Dockerfile"
				        : "workload %s: %s names no image",
				    r->w[i].d.id, what);
			else if (ref && !image(r, ref, &why))
				hull_diag_warn(&r->diag,
				               "workload %s: %s: image %s not scanned: %s",
				               r->w[i].d.id, what, ref, why);
		}
	}
	if (image_changes(r) < 0)
		return hull_err_nomem(err);
	for (size_t i = 0; i < r->nw; i++)
		if (r->w[i].mw)
			privileges(r, &r->w[i]);
	for (size_t i = 0; i < r->nw; i++) {
		struct wl *w = &r->w[i];
		if (w->lock) {
			if (scan_lockfile(r, w, err) < 0)
				return -1;
			continue;
		}
		for (size_t c = 0; c < w->mw->containers.n; c++) {
			const struct hull_container *ct = &w->mw->containers.v[c];
			const struct scanned *s = find_scanned(r, container_ref(w->mw, ct));
			char what[512];
			container_what(w->mw, ct, what, sizeof(what));
			bool base = w->mw->input == HULL_INPUT_DOCKERFILE;
			if (s)
				add_change(r, w, s, base);
			if (s && add_image_findings(r, w, s, what, base, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- report ---------------------------------------------------------------------------------- */

static int apply_suppressions(struct run *r, struct hull_err *err)
{
	if (!r->a->ignorefile)
		return 0;
	struct hull_suppressions *s = NULL;
	int rc = hull_suppressions_new(&s, err);
	if (rc == 0)
		rc = hull_suppressions_load_ignorefile(s, r->a->ignorefile, time(NULL), &r->diag,
		                                       err);
	if (rc == 0)
		hull_suppressions_apply(s, &r->findings, &r->diag);
	hull_suppressions_free(s);
	return rc;
}

static int report(struct run *r)
{
	struct hull_deploy_workload *dw = calloc(r->nw ? r->nw : 1, sizeof(*dw));
	if (!dw) {
		hull_cli_error("out of memory");
		return HULL_EXIT_ERROR;
	}
	for (size_t i = 0; i < r->nw; i++)
		dw[i] = r->w[i].d;
	struct hull_deployment dep = {
	    .workloads = dw, .nworkloads = r->nw, .edges = r->edges, .nedges = r->nedges};
	struct hull_err err = {0};
	hull_output_filter(&r->a->out, &r->findings);
	hull_findings_sort(&r->findings);
	struct hull_findings_input in = {
	    .deploy = &dep,
	    .findings = &r->findings,
	    .target = {.name = r->a->paths[0], .kind = HULL_TARGET_DEPLOYMENT},
	    .diag = &r->diag,
	    .now = time(NULL),
	};
	int rc;
	if (hull_output_write(&r->a->out, &in, stdout, isatty(STDOUT_FILENO), &err) < 0) {
		hull_cli_error("%s", err.msg);
		rc = HULL_EXIT_ERROR;
	} else if (r->errors) {
		rc = HULL_EXIT_ERROR;
	} else {
		rc = hull_output_status(&r->a->out, &r->findings);
		for (size_t i = 0; r->a->fail_on_priority && i < r->findings.n; i++) {
			const struct hull_finding *f = &r->findings.items[i];
			if (!f->suppressed && f->priority && f->priority <= r->a->fail_on_priority)
				rc = HULL_EXIT_FINDINGS;
		}
	}
	free(dw);
	return rc;
}

static void release(struct run *r)
{
	for (size_t i = 0; i < r->nw; i++) {
		struct wl *w = &r->w[i];
		for (size_t k = 0; k < w->nstrs; k++)
			free(w->strs[k]);
		free(w->strs);
		free(w->label);
		free(w->images);
		free(w->privs);
		free(w->expos);
		free(w->from);
		free(w->to);
		free(w->changes);
	}
	free(r->w);
	for (size_t i = 0; i < r->nlocks; i++) {
		free(r->locks[i].path);
		hull_inventory_release(&r->locks[i].inv);
	}
	free(r->locks);
	free(r->edges);
	for (size_t i = 0; i < r->nimgs; i++) {
		hull_findings_release(&r->imgs[i].findings);
		free(r->imgs[i].user);
		free(r->imgs[i].why);
		free(r->imgs[i].os_id);
		free(r->imgs[i].os_version);
		free(r->imgs[i].owned);
		for (size_t k = 0; k < r->imgs[i].nkeys; k++)
			free(r->imgs[i].keys[k]);
		free(r->imgs[i].keys);
	}
	free(r->imgs);
	for (size_t i = 0; i < r->nmodels; i++)
		hull_model_free(r->models[i]);
	free(r->models);
	hull_findings_release(&r->findings);
	hull_net_free(r->net);
	hull_diag_release(&r->diag);
	hull_vulndb_close(r->db);
}

int hull_cmd_scan(int argc, char **argv)
{
	struct scan_args a = {
	    .img = {.keep = hull_pkgdb_wants, .keep_version = HULL_PKGDB_KEEP_VERSION},
	};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	int rc = parse_args(argc, argv, &a, &err);
	if (rc < 0) {
		hull_cli_error("scan: %s", err.msg);
		for (size_t i = 0; i < a.nimages; i++)
			free((char *)a.images[i].name);
		return HULL_EXIT_ERROR;
	}
	struct run r = {.a = &a};
	hull_diag_init(&r.diag);
	r.net = hull_net_new(NULL, &r.diag);
	if (!r.net) {
		hull_cli_error("out of memory");
		rc = HULL_EXIT_ERROR;
		goto out;
	}
	for (size_t i = 0; i < a.npaths; i++) {
		struct stat st;
		if (stat(a.paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(&r, a.paths[i]);
		else
			read_file(&r, a.paths[i], false);
	}
	if (hull_cli_source_password(&a.src, &err) < 0) {
		hull_cli_error("scan: %s", err.msg);
		rc = HULL_EXIT_ERROR;
		goto out;
	}
	if (hull_net_compute(r.net, &err) < 0 || hull_net_check(r.net, &r.findings, &err) < 0 ||
	    collect_workloads(&r) < 0 || hull_net_each_edge(r.net, on_edge, &r, &err) < 0) {
		if (!err.msg[0])
			hull_err_nomem(&err);
		hull_cli_error("%s", err.msg);
		rc = HULL_EXIT_ERROR;
		goto out;
	}
	exposure(&r);
	attribute(&r);
	if (images(&r, &err) < 0 || apply_suppressions(&r, &err) < 0) {
		hull_cli_error("%s", err.msg);
		rc = HULL_EXIT_ERROR;
		goto out;
	}
	rc = report(&r);
out:
	release(&r);
	hull_layer_cache_close(a.img.cache);
	hull_cli_source_release(&a.src);
	for (size_t i = 0; i < a.nimages; i++)
		free((char *)a.images[i].name);
	return rc;
}
