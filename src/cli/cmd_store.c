/* hull store migrate|rematch|workloads: the results store's schema, the
 * re-matching of stored inventories after a database update, and the
 * workloads of a Kubernetes pod list (docs/store.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/store.h"
#include "match/match.h"
#include "store/store.h"
#include "vulndb/vulndb.h"

enum { OPT_TO = 256, OPT_DB, OPT_HELP };

static void usage(FILE *out)
{
	fprintf(out, "usage: hull store migrate --store URL [--to VERSION]\n"
	             "       hull store rematch --store URL [--db FILE] [--node NAME]\n"
	             "       hull store workloads --store URL [--node NAME] PODS.json|-\n"
	             "  migrate    create or upgrade the schema (each version in one transaction)\n"
	             "  rematch    match every stored inventory without a result for this\n"
	             "             database build (after 'hull db update'), without the images\n"
	             "  workloads  record which workloads run which images, from\n"
	             "             'kubectl get pods -A -o json' (replaces those namespaces)\n");
}

struct rematch_ctx {
	struct hull_store *st;
	struct hull_vulndb *db;
	const char *build;
	const char *node;
	size_t findings;
};

static int rematch_one(void *vctx, const char *key, const char *name, const char *manifest,
                       const struct hull_inventory *inv, const struct hull_image *layers,
                       struct hull_err *err)
{
	struct rematch_ctx *c = vctx;
	struct hull_findings f = {0}, had = {0};
	struct hull_match_result res;
	struct hull_diag diag;
	int64_t frun;
	time_t started = time(NULL);
	hull_diag_init(&diag);
	if (hull_store_lock_image(c->st, key, err) < 0)
		return -1;
	/* another rematcher (or a scan) may have done it meanwhile */
	int rc = hull_store_image_result(c->st, key, c->build, &had, &frun, err);
	if (rc == 0 && (hull_match_inventory(c->db, inv, layers, &f, &res, &diag, err) < 0 ||
	                hull_match_eol(c->db, inv, time(NULL), &f, &diag, err) < 0))
		rc = -1;
	if (rc == 0) {
		struct hull_store_image im = {
		    .key = key,
		    .manifest_digest = manifest,
		    .name = name,
		    .img = layers,
		    .inv = inv,
		    .reused = "inventory",
		};
		struct hull_store_run run = {
		    .kind = "rematch",
		    .target = name ? name : key,
		    .node = c->node,
		    .db_build = c->build,
		    .started = started,
		    .finished = time(NULL),
		};
		rc = hull_store_record(c->st, &run, &f, &im, NULL, err);
		c->findings += f.n;
	} else if (rc > 0) {
		rc = 1; /* done elsewhere: not counted */
	}
	struct hull_err e = {0};
	hull_store_unlock_image(c->st, key, &e);
	hull_findings_release(&f);
	hull_findings_release(&had);
	hull_diag_release(&diag);
	return rc;
}

static int rematch(struct hull_cli_store *so, const char *dbopt, struct hull_err *err)
{
	char dbbuf[4096], build[HULL_VULNDB_BUILD_ID_MAX];
	const char *dbpath = hull_cli_db_path(dbopt, dbbuf, sizeof(dbbuf));
	struct rematch_ctx c = {.node = hull_cli_store_node(so), .build = build};
	size_t n = 0;
	int rc = -1;
	if (hull_vulndb_open(dbpath, &c.db, err) < 0 ||
	    hull_vulndb_build_id(c.db, build, err) < 0 || hull_store_open(so->url, &c.st, err) < 0)
		goto out;
	rc = hull_store_each_unmatched(c.st, build, rematch_one, &c, &n, err);
	if (rc == 0)
		printf("rematched %zu image(s) against database build %s: %zu finding(s)\n", n,
		       build, c.findings);
out:
	hull_store_close(c.st);
	hull_vulndb_close(c.db);
	return rc;
}

static int workloads(struct hull_cli_store *so, const char *path, struct hull_err *err)
{
	size_t len, n = 0;
	char *data = hull_cli_read_input(path, HULL_STORE_PODS_MAX, &len, err);
	if (!data)
		return -1;
	struct hull_store *st = NULL;
	int rc = hull_store_open(so->url, &st, err);
	if (rc == 0)
		rc = hull_store_workloads_from_pods(st, data, len,
		                                    strcmp(path, "-") ? path : "stdin",
		                                    hull_cli_store_node(so), &n, err);
	if (rc == 0)
		printf("recorded %zu workload container(s)\n", n);
	hull_store_close(st);
	free(data);
	return rc;
}

int hull_cmd_store(int argc, char **argv)
{
	static const struct option longopts[] = {
	    HULL_STORE_LONGOPTS,
	    {"to", required_argument, NULL, OPT_TO},
	    {"db", required_argument, NULL, OPT_DB},
	    {"help", no_argument, NULL, OPT_HELP},
	    {0},
	};
	struct hull_cli_store so = {0};
	struct hull_err err = {0};
	const char *db = NULL;
	int to = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			usage(stdout);
			return HULL_EXIT_OK;
		}
		if (hull_cli_store_option(c, optarg, &so))
			continue;
		if (c == OPT_DB) {
			db = optarg;
		} else if (c == OPT_TO) {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > HULL_STORE_SCHEMA) {
				hull_cli_error("store: --to '%s': expected 1 to %d", optarg,
				               HULL_STORE_SCHEMA);
				return HULL_EXIT_ERROR;
			}
			to = (int)v;
		} else {
			hull_cli_error("store: unknown or incomplete option '%s' (see 'hull store "
			               "--help')",
			               argv[optind - 1]);
			return HULL_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	const char *sub = argv[optind++];
	if (!so.url) {
		hull_cli_error("store %s: --store URL is required", sub);
		return HULL_EXIT_ERROR;
	}
	int rc;
	if (!strcmp(sub, "migrate") && optind == argc) {
		int from = 0, now = 0;
		rc = hull_store_migrate(so.url, to, &from, &now, &err);
		if (rc == 0 && from == now)
			printf("schema version %d: up to date\n", now);
		else if (rc == 0)
			printf("schema version %d -> %d\n", from, now);
	} else if (!strcmp(sub, "rematch") && optind == argc) {
		rc = rematch(&so, db, &err);
	} else if (!strcmp(sub, "workloads") && optind == argc - 1) {
		rc = workloads(&so, argv[optind], &err);
	} else {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	if (rc < 0) {
		hull_cli_error("store %s: %s", sub, err.msg);
		return HULL_EXIT_ERROR;
	}
	return HULL_EXIT_OK;
}
