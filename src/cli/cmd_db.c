/* hull db: build, inspect, update, import and export the vulnerability
 * database. */
#include <errno.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "util/json.h"
#include "vulndb/vulndb.h"
#include "util/term.h"

#define DEFAULT_MAX_AGE_DAYS 7

static const char db_usage[] =
    "usage: hull db build --from PATH... [--strict] [--db PATH]\n"
    "       hull db info [--format table|json] [--max-age DAYS] [--db PATH]\n"
    "       hull db update [--offline] [--mirror URL]... [--key PUB.pem] [--strict]\n"
    "                      [--list-feeds] [--db PATH]\n"
    "       hull db verify FILE [--key PUB.pem] [--sig FILE.sig]\n"
    "       hull db import FILE [--db PATH]\n"
    "       hull db export FILE [--db PATH]\n"
    "The database is --db, else $HULL_DB, else $XDG_CACHE_HOME/hull/db.sqlite\n"
    "(~/.cache/hull/db.sqlite). --key is an Ed25519 public key (else $HULL_DB_KEY):\n"
    "update then requires a valid FEED.sig beside every feed it fetches.\n";

/* Creates the directory that will hold path. */
static int make_parent(const char *path)
{
	char buf[4096];
	if (strlen(path) >= sizeof(buf))
		return -1;
	strcpy(buf, path);
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = 0;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* ---- progress bar (only on a terminal) ------------------------------------------ */

struct bar {
	bool on;
	time_t last;
	const char *label;
};

static void bar_draw(struct bar *b, const char *label, uint64_t done, uint64_t total)
{
	time_t now = time(NULL);
	if (!b->on || (now == b->last && done != total))
		return;
	b->last = now;
	char line[160];
	if (total) {
		int pct = (int)(done * 100 / (total ? total : 1));
		if (pct > 100)
			pct = 100;
		int fill = pct * 30 / 100;
		snprintf(line, sizeof(line), "%-22.22s [%.*s%*s] %3d%% %7.1f/%.1f MB", label, fill,
		         "==============================", 30 - fill, "", pct, done / 1e6,
		         total / 1e6);
	} else {
		snprintf(line, sizeof(line), "%-22.22s %7.1f MB", label, done / 1e6);
	}
	fputs("\r\033[K", stderr);
	hull_term_fputs(stderr, line);
	fflush(stderr);
}

static void bar_clear(struct bar *b)
{
	if (b->on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static void build_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	bar_draw(b, "building", done, total);
}

static void update_progress(void *ctx, const char *feed, uint64_t done, uint64_t total)
{
	bar_draw(ctx, feed, done, total);
}

/* ---- options ------------------------------------------------------------------- */

struct db_args {
	const char *db;
	const char *format;
	const char **from;
	size_t n_from;
	const char **mirrors;
	size_t n_mirrors;
	bool strict, offline, list_feeds;
	long max_age;
	const char *file;
	const char *key, *sig;
};

static void usage(void)
{
	fputs(db_usage, stdout);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct db_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case 'd':
		a->db = arg;
		return 0;
	case 'F':
		a->from[a->n_from++] = arg;
		return 0;
	case 'f':
		a->format = arg;
		return 0;
	case 'm':
		a->mirrors[a->n_mirrors++] = arg;
		return 0;
	case 'k':
		a->key = arg;
		return 0;
	case 'S':
		a->sig = arg;
		return 0;
	case 's':
		a->strict = true;
		return 0;
	case 'o':
		a->offline = true;
		return 0;
	case 'l':
		a->list_feeds = true;
		return 0;
	case 'a': {
		char *end;
		errno = 0;
		a->max_age = strtol(arg, &end, 10);
		if (errno || *end || a->max_age < 0)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--max-age '%s': expected a number of days", arg);
		return 0;
	}
	}
	return 1;
}

/* Parses the options; optind is then the first operand. */
static int parse(int argc, char **argv, struct db_args *a)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"from", required_argument, NULL, 'F'},
	    {"format", required_argument, NULL, 'f'},
	    {"mirror", required_argument, NULL, 'm'},
	    {"strict", no_argument, NULL, 's'},
	    {"offline", no_argument, NULL, 'o'},
	    {"max-age", required_argument, NULL, 'a'},
	    {"list-feeds", no_argument, NULL, 'l'},
	    {"key", required_argument, NULL, 'k'},
	    {"sig", required_argument, NULL, 'S'},
	    {0},
	};
	a->from = calloc((size_t)argc + 1, sizeof(*a->from));
	a->mirrors = calloc((size_t)argc + 1, sizeof(*a->mirrors));
	if (!a->from || !a->mirrors)
		return -1;
	a->max_age = DEFAULT_MAX_AGE_DAYS;
	const char *env_key = getenv("HULL_DB_KEY");
	if (env_key && *env_key)
		a->key = env_key;
	const char *env_age = getenv("HULL_DB_MAX_AGE");
	if (env_age && *env_age)
		a->max_age = strtol(env_age, NULL, 10);
	const struct hull_cli_spec spec = {
	    .cmd = "db",
	    .shortopts = "d:F:f:m:",
	    .longopts = longopts,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	};
	struct hull_err err = {0};
	if (hull_cli_parse(&spec, argc, argv, &err) < 0) {
		hull_cli_usage_error("db", &err);
		return -1;
	}
	return 0;
}

/* ---- subcommands --------------------------------------------------------------- */

static int db_build(struct db_args *a, const char *path, int argc, char **argv)
{
	/* "--from a b c": the paths after the options are inputs too */
	for (int i = optind; i < argc; i++)
		a->from[a->n_from++] = argv[i];
	if (!a->n_from) {
		hull_cli_error("db build: expected --from PATH (feed files, directories or zip "
		               "exports)");
		return HULL_EXIT_ERROR;
	}
	if (make_parent(path) < 0) {
		hull_cli_error("db build: %s: cannot create its directory: %s", path,
		               strerror(errno));
		return HULL_EXIT_ERROR;
	}
	struct bar bar = {.on = isatty(STDERR_FILENO)};
	struct hull_vulndb_build_opts o = {
	    .strict = a->strict, .progress = bar.on ? build_progress : NULL, .progress_ctx = &bar};
	struct hull_err err = {0};
	struct hull_vulndb_builder *b;
	if (hull_vulndb_builder_new(&o, &b, &err) < 0) {
		hull_cli_error("db build: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	int rc = 0;
	for (size_t i = 0; i < a->n_from && rc == 0; i++)
		rc = hull_vulndb_builder_add_path(b, a->from[i], &err);
	uint64_t records = hull_vulndb_builder_records(b);
	if (rc == 0)
		rc = hull_vulndb_builder_write(b, path, &err);
	hull_vulndb_builder_free(b);
	bar_clear(&bar);
	if (rc < 0) {
		hull_cli_error("db build: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "hull: %llu advisory records written to %s\n",
		        (unsigned long long)records, path);
	return HULL_EXIT_OK;
}

static const char *jget(struct json_object *o, const char *k)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !v)
		return "";
	return json_object_get_string(v);
}

static void print_table(struct json_object *info)
{
	printf("database   %s\n", jget(info, "path"));
	printf("built      %s", jget(info, "built"));
	struct json_object *age;
	if (json_object_object_get_ex(info, "age_days", &age))
		printf(" (%.1f days ago)", json_object_get_double(age));
	printf("\nsize       %s bytes (input %s bytes)\n", jget(info, "size"),
	       jget(info, "input_bytes"));
	printf("contents   %s advisories, %s packages, %s namespaces\n\n", jget(info, "advisories"),
	       jget(info, "packages"), jget(info, "namespaces"));
	printf("%-20s %9s %9s %7s %9s %7s %-20s %s\n", "SOURCE", "RECORDS", "ENTRIES", "FILES",
	       "WITHDRAWN", "SKIPPED", "TIMESTAMP", "ORIGIN");
	struct json_object *srcs = NULL;
	json_object_object_get_ex(info, "sources", &srcs);
	for (size_t i = 0; srcs && i < json_object_array_length(srcs); i++) {
		struct json_object *s = json_object_array_get_idx(srcs, i);
		struct json_object *orig = NULL;
		json_object_object_get_ex(s, "origin", &orig);
		size_t no = orig ? json_object_array_length(orig) : 0;
		char line[1200];
		snprintf(line, sizeof(line), "%-20s %9s %9s %7s %9s %7s %-20s %s%s",
		         jget(s, "name"), jget(s, "records"), jget(s, "entries"), jget(s, "files"),
		         jget(s, "withdrawn"), jget(s, "skipped"), jget(s, "timestamp"),
		         no ? json_object_get_string(json_object_array_get_idx(orig, 0)) : "",
		         no > 1 ? " (+more)" : "");
		hull_term_fputs(stdout, line);
		putchar('\n');
	}
	struct json_object *skips = NULL;
	json_object_object_get_ex(info, "skipped", &skips);
	size_t ns = skips ? json_object_array_length(skips) : 0;
	if (ns) {
		printf("\nskipped records (%s):\n", jget(info, "skipped_total"));
		for (size_t i = 0; i < ns; i++) {
			struct json_object *k = json_object_array_get_idx(skips, i);
			char line[1600];
			if (strcmp(jget(k, "line"), "0") != 0)
				snprintf(line, sizeof(line), "  %s: %s: line %s: %s",
				         jget(k, "source"), jget(k, "file"), jget(k, "line"),
				         jget(k, "message"));
			else
				snprintf(line, sizeof(line), "  %s: %s: %s", jget(k, "source"),
				         jget(k, "file"), jget(k, "message"));
			hull_term_fputs(stdout, line);
			putchar('\n');
		}
	}
	struct json_object *feeds = NULL;
	json_object_object_get_ex(info, "feeds", &feeds);
	size_t nf = feeds ? json_object_array_length(feeds) : 0;
	if (nf) {
		printf("\nfeeds:\n");
		for (size_t i = 0; i < nf; i++) {
			struct json_object *f = json_object_array_get_idx(feeds, i);
			char line[1600];
			snprintf(line, sizeof(line), "  %-24s %s  %s", jget(f, "name"),
			         jget(f, "fetched"), jget(f, "url"));
			hull_term_fputs(stdout, line);
			putchar('\n');
		}
	}
}

static void warn_age(struct json_object *info, long max_age)
{
	struct json_object *age;
	if (max_age > 0 && json_object_object_get_ex(info, "age_days", &age) &&
	    json_object_get_double(age) > (double)max_age)
		hull_cli_error("warning: the database is %.0f days old (more than %ld); run 'hull "
		               "db update'",
		               json_object_get_double(age), max_age);
}

static int db_info(struct db_args *a, const char *path)
{
	const char *fmt = a->format ? a->format : "table";
	if (strcmp(fmt, "table") && strcmp(fmt, "json")) {
		hull_cli_error("db info: --format '%s': expected table or json", fmt);
		return HULL_EXIT_ERROR;
	}
	struct json_object *info;
	struct hull_err err = {0};
	if (hull_vulndb_info(path, &info, &err) < 0) {
		hull_cli_error("db info: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	if (!strcmp(fmt, "json"))
		printf("%s\n", json_object_to_json_string_ext(
		                   info, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_table(info);
	warn_age(info, a->max_age);
	json_object_put(info);
	return HULL_EXIT_OK;
}

static int db_update(struct db_args *a, const char *path)
{
	if (a->list_feeds) {
		size_t n;
		const struct hull_vulndb_feed *f = hull_vulndb_default_feeds(&n);
		for (size_t i = 0; i < n; i++)
			printf("%-24s %-28s %s\n", f[i].name, f[i].path, f[i].url);
		return HULL_EXIT_OK;
	}
	struct hull_err err = {0};
	if (a->offline) {
		/* never touch the network: say what the database is */
		struct json_object *info;
		if (hull_vulndb_info(path, &info, &err) < 0) {
			hull_cli_error("db update --offline: %s", err.msg);
			return HULL_EXIT_ERROR;
		}
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "hull: offline: %s left as it is (built %s)\n", path,
			        jget(info, "built"));
		warn_age(info, a->max_age);
		json_object_put(info);
		return HULL_EXIT_OK;
	}
	if (make_parent(path) < 0) {
		hull_cli_error("db update: %s: cannot create its directory: %s", path,
		               strerror(errno));
		return HULL_EXIT_ERROR;
	}
	struct bar bar = {.on = isatty(STDERR_FILENO)};
	struct hull_vulndb_update_opts o = {.mirrors = a->mirrors,
	                                    .n_mirrors = a->n_mirrors,
	                                    .strict = a->strict,
	                                    .key_path = a->key,
	                                    .retries = -1,
	                                    .progress = bar.on ? update_progress : NULL,
	                                    .progress_ctx = &bar};
	const char *to = getenv("HULL_DB_TIMEOUT");
	if (to && *to)
		o.timeout_s = (unsigned)strtoul(to, NULL, 10);
	const char *rt = getenv("HULL_DB_RETRIES");
	if (rt && *rt)
		o.retries = (int)strtol(rt, NULL, 10);
	struct hull_vulndb_update_result r;
	int rc = hull_vulndb_update(path, &o, &r, &err);
	bar_clear(&bar);
	if (rc < 0) {
		hull_cli_error("db update: %s (the previous database is kept)", err.msg);
		return HULL_EXIT_ERROR;
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr,
		        "hull: %u feeds downloaded, %u not modified, %u not found; database %s\n",
		        r.downloaded, r.not_modified, r.missing,
		        r.rebuilt ? "rebuilt" : "up to date");
	return HULL_EXIT_OK;
}

/* hull db verify FILE: the file against FILE.sig (or --sig) and the key. */
static int db_verify(struct db_args *a, const char *file)
{
	struct hull_err err = {0};
	if (!a->key) {
		hull_cli_error("db verify: %s: no key: give --key PUB.pem or set $HULL_DB_KEY",
		               file);
		return HULL_EXIT_ERROR;
	}
	char sigbuf[4096];
	const char *sig = a->sig;
	if (!sig) {
		snprintf(sigbuf, sizeof(sigbuf), "%s.sig", file);
		sig = sigbuf;
	}
	EVP_PKEY *key = NULL;
	int rc = hull_sig_load_key(a->key, &key, &err);
	if (rc == 0)
		rc = hull_sig_verify_file(file, sig, key, a->key, &err);
	EVP_PKEY_free(key);
	if (rc < 0) {
		hull_cli_error("db verify: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	char line[8400];
	snprintf(line, sizeof(line), "%s: signature verified with %s", file, a->key);
	hull_term_fputs(stdout, line);
	putchar('\n');
	return HULL_EXIT_OK;
}

int hull_cmd_db(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(db_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HULL_EXIT_ERROR : HULL_EXIT_OK;
	}
	const char *sub = argv[1];
	struct db_args a = {0};
	int status = HULL_EXIT_ERROR;
	char pathbuf[4096];
	const char *path = NULL;
	if (parse(argc - 1, argv + 1, &a) < 0)
		goto out;
	path = hull_cli_db_path(a.db, pathbuf, sizeof(pathbuf));
	int rest = argc - 1 - optind;
	if (!strcmp(sub, "build")) {
		status = db_build(&a, path, argc - 1, argv + 1);
	} else if (!strcmp(sub, "info") || !strcmp(sub, "update")) {
		if (rest > 0) {
			hull_cli_error("db %s: unexpected argument '%s'", sub, argv[1 + optind]);
			goto out;
		}
		status = !strcmp(sub, "info") ? db_info(&a, path) : db_update(&a, path);
	} else if (!strcmp(sub, "verify")) {
		if (rest != 1) {
			hull_cli_error("db verify: expected one FILE");
			goto out;
		}
		status = db_verify(&a, argv[1 + optind]);
	} else if (!strcmp(sub, "import") || !strcmp(sub, "export")) {
		if (rest != 1) {
			hull_cli_error("db %s: expected one FILE", sub);
			goto out;
		}
		const char *file = argv[1 + optind];
		struct hull_err err = {0};
		bool imp = !strcmp(sub, "import");
		if (imp && make_parent(path) < 0) {
			hull_cli_error("db import: %s: cannot create its directory: %s", path,
			               strerror(errno));
			goto out;
		}
		int rc = imp ? hull_vulndb_import(path, file, &err)
		             : hull_vulndb_export(path, file, &err);
		if (rc < 0)
			hull_cli_error("db %s: %s", sub, err.msg);
		else
			status = HULL_EXIT_OK;
	} else {
		hull_cli_error(
		    "db: unknown subcommand '%s' (build, info, update, verify, import, export)",
		    sub);
	}
out:
	free(a.from);
	free(a.mirrors);
	return status;
}
