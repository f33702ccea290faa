/* options: the command-line options several commands share, parsed once.
 *
 * Every command parses its arguments with hull_cli_parse (below), asking
 * for the shared blocks it takes (output, image, store), so `--platform`,
 * `--fail-on` or `--store` mean the same, and a bad value is refused with
 * the same message, in every command (tests/golden/cases/cli-options-same).
 * hull_cli_image_option / hull_cli_output_option apply one option of a
 * block: for a command's own short alias (`-f F` for `--format F`). */
#ifndef HULL_CLI_OPTIONS_H
#define HULL_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/source.h"
#include "cli/store.h"
#include "image/image.h"
#include "misconfig/load.h"
#include "util/diag.h"
#include "util/walk.h"

/* Option codes above any command's own (which start at 256). */
enum {
	HULL_OPT_PLATFORM = 1000,
	HULL_OPT_TAG,
	HULL_OPT_MAX_LAYER,
	HULL_OPT_CACHE_DIR,
	HULL_OPT_CACHE_MAX,
	HULL_OPT_SOURCE,
	HULL_OPT_ENGINE,
	HULL_OPT_USERNAME,
	HULL_OPT_PASSWORD_STDIN,
	HULL_OPT_REGISTRY_CA,
	HULL_OPT_INSECURE_REGISTRY,
	HULL_OPT_REGISTRY_MIRROR,
	HULL_OPT_NO_CACHE, /* the last image option */
	HULL_OPT_FORMAT,
	HULL_OPT_OUTPUT,
	HULL_OPT_SEVERITY,
	HULL_OPT_FAIL_ON,
	HULL_OPT_SHOW_SUPPRESSED,
	HULL_OPT_ENV_FILE,
};

/* --platform --tag --max-layer-size --cache-dir --cache-max --no-cache,
 * and where images come from (cli/source.h): --source --engine --username
 * --password-stdin --registry-ca --insecure-registry --registry-mirror */
#define HULL_IMAGE_LONGOPTS                                                                        \
	{"platform", required_argument, NULL, HULL_OPT_PLATFORM},                                  \
	    {"tag", required_argument, NULL, HULL_OPT_TAG},                                        \
	    {"max-layer-size", required_argument, NULL, HULL_OPT_MAX_LAYER},                       \
	    {"cache-dir", required_argument, NULL, HULL_OPT_CACHE_DIR},                            \
	    {"cache-max", required_argument, NULL, HULL_OPT_CACHE_MAX},                            \
	    {"source", required_argument, NULL, HULL_OPT_SOURCE},                                  \
	    {"engine", required_argument, NULL, HULL_OPT_ENGINE},                                  \
	    {"username", required_argument, NULL, HULL_OPT_USERNAME},                              \
	    {"password-stdin", no_argument, NULL, HULL_OPT_PASSWORD_STDIN},                        \
	    {"registry-ca", required_argument, NULL, HULL_OPT_REGISTRY_CA},                        \
	    {"insecure-registry", required_argument, NULL, HULL_OPT_INSECURE_REGISTRY},            \
	    {"registry-mirror", required_argument, NULL, HULL_OPT_REGISTRY_MIRROR},                \
	{                                                                                          \
		"no-cache", no_argument, NULL, HULL_OPT_NO_CACHE                                   \
	}

/* --format --output --severity --fail-on --show-suppressed (findings) */
#define HULL_OUTPUT_LONGOPTS                                                                       \
	{"format", required_argument, NULL, HULL_OPT_FORMAT},                                      \
	    {"output", required_argument, NULL, HULL_OPT_OUTPUT},                                  \
	    {"severity", required_argument, NULL, HULL_OPT_SEVERITY},                              \
	    {"fail-on", required_argument, NULL, HULL_OPT_FAIL_ON},                                \
	{                                                                                          \
		"show-suppressed", no_argument, NULL, HULL_OPT_SHOW_SUPPRESSED                     \
	}

/* A byte count: digits with an optional K, M or G suffix; 0 is refused. */
int hull_cli_parse_size(const char *s, uint64_t *out);

/* 1 when c is an image option (applied), 0 when it is not, -1 (err set)
 * for a bad value. */
int hull_cli_image_option(int c, const char *arg, struct hull_image_opts *img,
                          struct hull_cli_cache_opts *cache, struct hull_cli_source_opts *src,
                          struct hull_err *err);

/* The lines of --help for the image source options. */
#define HULL_SOURCE_USAGE                                                                          \
	"  --source LIST          engine,registry (default): where a reference is looked for\n"    \
	"  --engine URL           the engine socket (unix:///PATH; default $DOCKER_HOST, ...)\n"   \
	"  --username U, --password-stdin   registry credentials (else ~/.docker/config.json)\n"   \
	"  --registry-ca FILE     trust this CA for registries\n"                                  \
	"  --insecure-registry HOST   plain HTTP or unverified TLS for HOST (repeatable)\n"        \
	"  --registry-mirror [REGISTRY=]HOST   try HOST first for REGISTRY's images\n"             \
	"                         (default Docker Hub's; repeatable)\n"

/* The same for the findings output options. */
int hull_cli_output_option(int c, const char *arg, struct hull_output_opts *o,
                           struct hull_err *err);

/* The content of path, or of standard input for "-" (a pipe: read to the
 * end), capped at max bytes. NUL-terminated, caller frees; NULL on error. */
char *hull_cli_read_input(const char *path, size_t max, size_t *len, struct hull_err *err);

/* Compose variables: env_file when given, else the .env beside path (none
 * for standard input). NULL when there are none; caller frees. */
char *hull_cli_compose_env(const char *env_file, const char *path);

/* -f FILE (repeatable; merged in order) and --env-file FILE: the Compose
 * files of hull config and hull network, one option block (a command asks
 * for it with hull_cli_spec.compose). */
struct hull_cli_compose {
	const char *files[HULL_COMPOSE_MAX_FILES];
	size_t nfiles;
	const char *env_file; /* NULL: the .env beside the first file */
};
#define HULL_COMPOSE_USAGE                                                                         \
	"  -f, --file FILE        a Compose file; several are merged in order\n"                   \
	"  --env-file FILE        Compose variables (default: .env beside the first -f)\n"

/* Compose files read together, with their variables, for a loader. */
struct hull_cli_compose_docs {
	const char *datas[HULL_COMPOSE_MAX_FILES];
	size_t lens[HULL_COMPOSE_MAX_FILES];
	char *owned[HULL_COMPOSE_MAX_FILES];
	char *env; /* NULL: none */
};
/* Reads paths[0..n) (n <= HULL_COMPOSE_MAX_FILES; "-" is standard input)
 * and the variables (env_file, else the .env beside paths[0]) into d. An
 * env_file given that cannot be read is an error naming it, as a file is.
 * Release d with hull_cli_compose_docs_release, also after an error. */
int hull_cli_compose_read(const char *env_file, const char *const *paths, size_t n,
                          struct hull_cli_compose_docs *d, struct hull_err *err);
void hull_cli_compose_docs_release(struct hull_cli_compose_docs *d);

/* Limits of the directory walk of `hull config` and `hull network`
 * (util/walk.h): directories nested deeper are not read, nor the entries
 * of one directory past the count. */
#define HULL_CLI_WALK_DEPTH   32
#define HULL_CLI_WALK_ENTRIES (1u << 20)

/* The directory walk of hull config, hull network and hull scan, one for
 * the three: bounded (HULL_CLI_WALK_DEPTH, _ENTRIES), the names of ignore
 * (NULL: node_modules) never read, only files want() takes (NULL:
 * hull_cli_manifest_name). Every entry it skips is reported: one that
 * could not be read (I/O, out of memory) is an error, printed and counted
 * in *errors; a limit, a symbolic link or a FIFO is a warning in diag, so
 * the report says what it did not cover. When *files (the command's count
 * of files read) did not grow, a warning says that nothing (what) was
 * found in dir: an empty result must not read as a clean one. */
struct hull_cli_walk {
	const char *const *ignore;
	bool (*want)(const char *name);
	/* as hull_walk's (util/walk.h), with the command's ctx */
	int (*file)(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
	            struct hull_err *err);
	void *ctx;
	struct hull_diag *diag;
	int *errors;
	const size_t *files;
	const char *what; /* "Dockerfile, Compose file or Kubernetes manifest" */
};
void hull_cli_walk(const char *dir, const struct hull_cli_walk *w);

/* Whether a walk of hull config or hull scan reads a file of this name:
 * Dockerfiles and Containerfiles, YAML and JSON manifests, and the
 * lockfiles pkgdb reads (yarn.lock, go.mod, Cargo.lock, ...). */
bool hull_cli_manifest_name(const char *name);

/* ---- one parser for every command -------------------------------------
 *
 * A command describes its own options in a hull_cli_spec; hull_cli_parse
 * runs getopt_long over them plus the shared ones it asks for (output,
 * image), so `-o`, `--format F[=FILE]`, `--severity`, `--fail-on`,
 * `--show-suppressed`, `--platform` ... are parsed in one place and mean
 * the same in every command. `-h` / `--help` print the usage and exit 0.
 *
 * Each option goes first to the command's own `option` callback, which
 * returns 0 when it took it, 1 to hand it to the shared parser (a command
 * may note a shared option and pass it on), or -1 with err set. The
 * callback may consume more arguments by advancing optind (`--can SRC DST`). */
/* Which shared output options a command takes. */
enum hull_cli_output_set {
	HULL_CLI_OUTPUT_NONE,
	HULL_CLI_OUTPUT_DOCUMENTS, /* --format F[=FILE], --output/-o: a command that
	                              writes documents but has no findings */
	HULL_CLI_OUTPUT_FINDINGS,  /* those, and --severity --fail-on --show-suppressed */
};

struct hull_cli_spec {
	const char *cmd;                 /* "config": for messages */
	const char *shortopts;           /* the command's own, e.g. "f:p:"; may be NULL */
	const struct option *longopts;   /* the command's own, {0}-terminated; may be NULL */
	enum hull_cli_output_set output; /* into out */
	/* with output: the formats the command writes, as a mask of
	 * 1u << enum hull_findings_format; 0 takes every one. Another is
	 * refused as an unknown format is, naming the ones it takes. */
	unsigned formats;
	bool image; /* takes HULL_IMAGE_LONGOPTS into img, cache, src */
	void (*usage)(void);
	int (*option)(void *ctx, int c, const char *arg, int argc, char **argv,
	              struct hull_err *err);
	void *ctx;
	struct hull_output_opts *out;
	struct hull_image_opts *img;
	struct hull_cli_cache_opts *cache;
	struct hull_cli_source_opts *src;
	struct hull_cli_store *store;     /* non-NULL: takes HULL_STORE_LONGOPTS into it */
	struct hull_cli_compose *compose; /* non-NULL: takes -f/--file, --env-file */
};

/* Parses argv[1..] and returns the index of the first operand, or -1 with
 * err set (HULL_ERR_USAGE naming the option and 'hull CMD --help'). At most
 * 64 long options in all. */
int hull_cli_parse(const struct hull_cli_spec *s, int argc, char **argv, struct hull_err *err);

/* The one way a command reports a usage error: "hull: CMD: MESSAGE" on
 * standard error; returns HULL_EXIT_ERROR (2) for the command to return. */
int hull_cli_usage_error(const char *cmd, const struct hull_err *err);

/* A whole number option: arg in [min, max], else HULL_ERR_USAGE
 * "--NAME 'ARG': expected a number from MIN to MAX". name without "--". */
int hull_cli_parse_number(const char *name, const char *arg, unsigned long min, unsigned long max,
                          unsigned long *out, struct hull_err *err);

/* The usage lines of the shared output options, formats listed as given
 * ("table|json|sarif|junit|markdown"), in one column layout for every
 * command. */
void hull_cli_output_usage(FILE *out, const char *formats);

/* ---- one report step for every command ---------------------------------
 *
 * What every findings command does once its scan is done: --severity
 * (unless the command applied it per input already), the sort, every
 * --format written (hull_output_write; `render` may draw some formats
 * itself, as hull network does its table and JSON), warnings kept in the
 * documents, and the exit status: 2 when the scan had errors or a write
 * failed (printed), else hull_output_status. */
struct hull_cli_report {
	struct hull_findings *findings;
	struct hull_scan_target target;
	const struct hull_diag *diag; /* may be NULL */
	bool filtered;                /* --severity already applied */
	int errors;                   /* inputs that failed (already printed) */
	hull_output_render_fn render; /* may be NULL */
	void *render_ctx;
	/* --store (cli/store.h): the run is recorded, with the findings as
	 * reported, before any document is written; a failure is exit 2.
	 * store may be NULL; store_kind names the command ("host"). */
	struct hull_cli_store *store;
	const char *store_kind;
	time_t started;
};
int hull_cli_report(const struct hull_output_opts *o, struct hull_cli_report *r);

#endif
