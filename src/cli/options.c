#include "cli/options.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pkgdb/pkgdb.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/str.h"

#define MAX_ENV_BYTES (1u << 20)

int hull_cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (errno || end == s || s[0] == '-' || (shift ? end[1] != '\0' : *end != '\0') || v == 0 ||
	    v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int size_option(const char *name, const char *arg, const char *example, uint64_t *out,
                       struct hull_err *err)
{
	if (hull_cli_parse_size(arg, out) < 0)
		return hull_err_set(err, HULL_ERR_USAGE, "--%s '%s': expected a size such as %s",
		                    name, arg, example);
	return 1;
}

int hull_cli_image_option(int c, const char *arg, struct hull_image_opts *img,
                          struct hull_cli_cache_opts *cache, struct hull_cli_source_opts *src,
                          struct hull_err *err)
{
	switch (c) {
	case HULL_OPT_SOURCE:
		src->sources = arg;
		return 1;
	case HULL_OPT_ENGINE:
		src->engine = arg;
		return 1;
	case HULL_OPT_USERNAME:
		src->username = arg;
		return 1;
	case HULL_OPT_PASSWORD_STDIN:
		src->password_stdin = true;
		return 1;
	case HULL_OPT_REGISTRY_CA:
		src->registry_ca = arg;
		return 1;
	case HULL_OPT_INSECURE_REGISTRY:
		if (src->ninsecure == HULL_CLI_MAX_INSECURE)
			return hull_err_set(err, HULL_ERR_USAGE, "at most %d --insecure-registry",
			                    HULL_CLI_MAX_INSECURE);
		src->insecure[src->ninsecure++] = arg;
		return 1;
	case HULL_OPT_REGISTRY_MIRROR:
		if (src->nmirrors == HULL_CLI_MAX_MIRRORS)
			return hull_err_set(err, HULL_ERR_USAGE, "at most %d --registry-mirror",
			                    HULL_CLI_MAX_MIRRORS);
		src->mirrors[src->nmirrors++] = arg;
		return 1;
	case HULL_OPT_PLATFORM:
		img->platform = arg;
		return 1;
	case HULL_OPT_TAG:
		img->tag = arg;
		return 1;
	case HULL_OPT_MAX_LAYER:
		return size_option("max-layer-size", arg, "20G", &img->max_layer_bytes, err);
	case HULL_OPT_CACHE_DIR:
		cache->dir = arg;
		return 1;
	case HULL_OPT_CACHE_MAX:
		return size_option("cache-max", arg, "512M", &cache->max_bytes, err);
	case HULL_OPT_NO_CACHE:
		cache->disabled = true;
		return 1;
	default:
		return 0;
	}
}

int hull_cli_output_option(int c, const char *arg, struct hull_output_opts *o, struct hull_err *err)
{
	int rc;
	switch (c) {
	case HULL_OPT_FORMAT:
		rc = hull_output_add_format(o, arg, err);
		break;
	case HULL_OPT_OUTPUT:
		rc = hull_output_set_file(o, arg, err);
		break;
	case HULL_OPT_SEVERITY:
		rc = hull_output_set_severity(o, arg, err);
		break;
	case HULL_OPT_FAIL_ON:
		rc = hull_output_set_fail_on(o, arg, err);
		break;
	case HULL_OPT_SHOW_SUPPRESSED:
		o->show_suppressed = true;
		rc = 0;
		break;
	default:
		return 0;
	}
	return rc < 0 ? -1 : 1;
}

static char *read_stdin(size_t max, size_t *len, struct hull_err *err)
{
	struct hull_buf b;
	char chunk[65536];
	hull_buf_init(&b, max);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hull_buf_release(&b);
			hull_err_errno(err, errno, "standard input");
			return NULL;
		}
		if (n == 0)
			break;
		if (hull_buf_append(&b, chunk, (size_t)n, err) < 0) {
			hull_buf_release(&b);
			hull_err_wrap(err, "standard input");
			return NULL;
		}
	}
	return hull_buf_detach(&b, len);
}

char *hull_cli_read_input(const char *path, size_t max, size_t *len, struct hull_err *err)
{
	char *data = NULL;
	if (!strcmp(path, "-"))
		return read_stdin(max, len, err);
	if (hull_fs_read_file(path, max, &data, len, err) < 0)
		return NULL;
	return data;
}

char *hull_cli_compose_env(const char *env_file, const char *path)
{
	char *data = NULL;
	size_t len;
	struct hull_err err = {0};
	if (env_file) {
		hull_fs_read_file(env_file, MAX_ENV_BYTES, &data, &len, &err);
		return data;
	}
	if (!strcmp(path, "-"))
		return NULL;
	char *copy = strdup(path);
	if (!copy)
		return NULL;
	char envpath[4096];
	snprintf(envpath, sizeof(envpath), "%s/.env", dirname(copy));
	free(copy);
	if (access(envpath, R_OK) == 0)
		hull_fs_read_file(envpath, MAX_ENV_BYTES, &data, &len, &err);
	return data;
}

int hull_cli_compose_read(const char *env_file, const char *const *paths, size_t n,
                          struct hull_cli_compose_docs *d, struct hull_err *err)
{
	memset(d, 0, sizeof(*d));
	if (n > HULL_COMPOSE_MAX_FILES)
		return hull_err_set(err, HULL_ERR_USAGE, "at most %d -f files",
		                    HULL_COMPOSE_MAX_FILES);
	for (size_t i = 0; i < n; i++) {
		d->owned[i] = hull_cli_read_input(paths[i], HULL_LOAD_MAX_BYTES, &d->lens[i], err);
		if (!d->owned[i])
			return -1;
		d->datas[i] = d->owned[i];
	}
	if (env_file) {
		size_t len;
		if (hull_fs_read_file(env_file, MAX_ENV_BYTES, &d->env, &len, err) < 0)
			return hull_err_wrap(err, "--env-file");
		return 0;
	}
	d->env = n ? hull_cli_compose_env(NULL, paths[0]) : NULL;
	return 0;
}

void hull_cli_compose_docs_release(struct hull_cli_compose_docs *d)
{
	for (size_t i = 0; i < HULL_COMPOSE_MAX_FILES; i++)
		free(d->owned[i]);
	free(d->env);
	memset(d, 0, sizeof(*d));
}

static int walk_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                     struct hull_err *err)
{
	const struct hull_cli_walk *w = ctx;
	return w->file(w->ctx, path, dir, i, err);
}

static int walk_skipped(void *ctx, const struct hull_err *why, struct hull_err *err)
{
	const struct hull_cli_walk *w = ctx;
	(void)err;
	if (why->kind == HULL_ERR_IO || why->kind == HULL_ERR_NOMEM) {
		hull_cli_error("%s", why->msg);
		(*w->errors)++;
	} else {
		hull_diag_warn(w->diag, "%s", why->msg);
	}
	return 0;
}

void hull_cli_walk(const char *dir, const struct hull_cli_walk *w)
{
	static const char *const node_modules[] = {"node_modules", NULL};
	struct hull_walk_opts o = {
	    .max_depth = HULL_CLI_WALK_DEPTH,
	    .max_entries = HULL_CLI_WALK_ENTRIES,
	    .ignore = w->ignore ? w->ignore : node_modules,
	    .want = w->want ? w->want : hull_cli_manifest_name,
	    .file = walk_file,
	    .skip = walk_skipped,
	    .ctx = (void *)w,
	};
	size_t before = *w->files;
	hull_walk(dir, &o, NULL);
	if (*w->files == before)
		hull_diag_warn(w->diag, "%s: no %s found in this directory", dir, w->what);
}

#define MAX_LONGOPTS 64

static size_t add_opts(struct option *all, size_t n, const struct option *src, size_t count)
{
	for (size_t i = 0; i < count && src[i].name && n < MAX_LONGOPTS; i++)
		all[n++] = src[i];
	return n;
}

/* --format F[=FILE] where the command writes only some formats
 * (spec.formats): the same refusal as for an unknown format, naming the
 * ones it writes. */
static int check_format(const struct hull_cli_spec *s, const char *arg, struct hull_err *err)
{
	char name[33];
	size_t cut = strcspn(arg, "=");
	snprintf(name, sizeof(name), "%.*s", (int)(cut > 32 ? 32 : cut), arg);
	enum hull_findings_format f;
	struct hull_err e = {0};
	if (!s->formats ||
	    (hull_findings_format_parse(name, &f, &e) == 0 && (s->formats & (1u << f))))
		return 0;
	char list[128] = "";
	size_t len = 0, n = 0, total = (size_t)__builtin_popcount(s->formats);
	for (int i = 0; i < HULL_FINDINGS_FORMAT_COUNT && len < sizeof(list); i++) {
		if (!(s->formats & (1u << i)))
			continue;
		n++;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		                        n == 1       ? ""
		                        : n == total ? " or "
		                                     : ", ",
		                        hull_findings_format_name((enum hull_findings_format)i));
	}
	return hull_err_set(err, HULL_ERR_USAGE, "--format: unknown format '%s' (choose %s)", name,
	                    list);
}

/* The shared options a command takes, after its own. */
static size_t shared_opts(const struct hull_cli_spec *s, struct option *all, size_t n)
{
	static const struct option findings[] = {HULL_OUTPUT_LONGOPTS};
	static const struct option image[] = {HULL_IMAGE_LONGOPTS};
	static const struct option store[] = {HULL_STORE_LONGOPTS};
	static const struct option compose[] = {
	    {"file", required_argument, NULL, 'f'},
	    {"env-file", required_argument, NULL, HULL_OPT_ENV_FILE}};
	static const struct option help[] = {{"help", no_argument, NULL, 'h'}};
	/* --format and --output lead HULL_OUTPUT_LONGOPTS */
	if (s->output == HULL_CLI_OUTPUT_DOCUMENTS)
		n = add_opts(all, n, findings, 2);
	else if (s->output == HULL_CLI_OUTPUT_FINDINGS)
		n = add_opts(all, n, findings, sizeof(findings) / sizeof(findings[0]));
	if (s->image)
		n = add_opts(all, n, image, sizeof(image) / sizeof(image[0]));
	if (s->store)
		n = add_opts(all, n, store, sizeof(store) / sizeof(store[0]));
	if (s->compose)
		n = add_opts(all, n, compose, sizeof(compose) / sizeof(compose[0]));
	return add_opts(all, n, help, 1);
}

/* A shared option: 1 when applied, 0 when it is none of the command's
 * shared ones, -1 with err set. */
static int shared_option(const struct hull_cli_spec *s, int c, const char *arg,
                         struct hull_err *err)
{
	int rc = 0;
	if (s->output && c == HULL_OPT_FORMAT && check_format(s, arg, err) < 0)
		return -1;
	if (s->output)
		rc = hull_cli_output_option(c, arg, s->out, err);
	if (rc == 0 && s->image)
		rc = hull_cli_image_option(c, arg, s->img, s->cache, s->src, err);
	if (rc == 0 && s->store)
		rc = hull_cli_store_option(c, arg, s->store);
	if (rc == 0 && s->compose && c == 'f') {
		if (s->compose->nfiles == HULL_COMPOSE_MAX_FILES)
			return hull_err_set(err, HULL_ERR_USAGE, "at most %d -f files",
			                    HULL_COMPOSE_MAX_FILES);
		s->compose->files[s->compose->nfiles++] = arg;
		rc = 1;
	} else if (rc == 0 && s->compose && c == HULL_OPT_ENV_FILE) {
		/* named by the user: one that cannot be read must not mean "no
		 * variables" (every ${VAR} would then take its default) */
		if (access(arg, R_OK) < 0)
			return hull_err_set(err, HULL_ERR_USAGE, "--env-file '%s': %s", arg,
			                    strerror(errno));
		s->compose->env_file = arg;
		rc = 1;
	}
	return rc;
}

int hull_cli_parse(const struct hull_cli_spec *s, int argc, char **argv, struct hull_err *err)
{
	struct option all[MAX_LONGOPTS + 1];
	size_t n = 0;
	if (s->longopts)
		n = add_opts(all, n, s->longopts, MAX_LONGOPTS);
	n = shared_opts(s, all, n);
	memset(&all[n], 0, sizeof(all[n]));
	char shortopts[64];
	snprintf(shortopts, sizeof(shortopts), "%s%s%sh", s->shortopts ? s->shortopts : "",
	         s->output ? "o:" : "", s->compose ? "f:" : "");
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		if (c == 'h') {
			s->usage();
			exit(HULL_EXIT_OK);
		}
		if (c == '?' || c == ':')
			return hull_err_set(
			    err, HULL_ERR_USAGE,
			    "unknown or incomplete option '%s' (see 'hull %s --help')",
			    argv[optind - 1], s->cmd);
		if (c == 'o' && s->output)
			c = HULL_OPT_OUTPUT;
		int rc = s->option ? s->option(s->ctx, c, optarg, argc, argv, err) : 1;
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		rc = shared_option(s, c, optarg, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "unknown option (see 'hull %s --help')", s->cmd);
	}
	return optind;
}

int hull_cli_usage_error(const char *cmd, const struct hull_err *err)
{
	hull_cli_error("%s: %s", cmd, err->msg);
	return HULL_EXIT_ERROR;
}

int hull_cli_parse_number(const char *name, const char *arg, unsigned long min, unsigned long max,
                          unsigned long *out, struct hull_err *err)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || !*arg || *end || arg[0] == '-' || arg[0] == '+' || v < min || v > max)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--%s '%s': expected a number from %lu to %lu", name, arg, min,
		                    max);
	*out = v;
	return 0;
}

void hull_cli_output_usage(FILE *out, const char *formats)
{
	fprintf(out,
	        "  --format F[=FILE]      %s (repeatable)\n"
	        "  --output FILE          where the --format without =FILE goes\n"
	        "  --severity LIST        report only these severities\n"
	        "  --fail-on SEVERITY     exit 1 when a finding at or above it remains\n"
	        "  --show-suppressed      list suppressed findings too\n",
	        formats);
}

int hull_cli_report(const struct hull_output_opts *o, struct hull_cli_report *r)
{
	struct hull_err err = {0};
	if (!r->filtered)
		hull_output_filter(o, r->findings);
	hull_findings_sort(r->findings);
	if (r->store &&
	    hull_cli_store_record(r->store, r->store_kind, r->target.name,
	                          r->started ? r->started : time(NULL), r->findings, &err) < 0) {
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	struct hull_findings_input in = {
	    .findings = r->findings,
	    .target = r->target,
	    .diag = r->diag,
	    .now = time(NULL),
	};
	if (hull_output_write_with(o, &in, stdout, isatty(STDOUT_FILENO), r->render, r->render_ctx,
	                           &err) < 0) {
		hull_cli_error("%s", err.msg);
		return HULL_EXIT_ERROR;
	}
	if (r->errors)
		return HULL_EXIT_ERROR;
	return hull_output_status(o, r->findings);
}

bool hull_cli_manifest_name(const char *name)
{
	static const char *const exts[] = {".yaml", ".yml", ".json", ".dockerfile",
	                                   ".containerfile"};
	if (!strncmp(name, "Dockerfile", 10) || !strncmp(name, "Containerfile", 13) ||
	    hull_pkgdb_lockfile_name(name))
		return true;
	return hull_str_name_has_ext(name, exts, sizeof(exts) / sizeof(exts[0]));
}
