/* hull store migrate|rematch|workloads: the results store's schema, the
 * re-matching of stored inventories after a database update, and the
 * workloads of a Kubernetes pod list (docs/store.md). */
#include <curl/curl.h>
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
#include "util/fs.h"
#include "vulndb/vulndb.h"

enum {
	OPT_TO = 256,
	OPT_DB,
	OPT_FROM_API,
	OPT_API,
	OPT_API_TOKEN,
	OPT_API_CA,
	OPT_IMAGES,
};

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

struct api_opts {
	bool from_api;
	const char *url;   /* NULL: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT */
	const char *token; /* file; NULL: SA_DIR/token */
	const char *ca;    /* file; NULL: SA_DIR/ca.crt */
	const char *images;
};

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hull store migrate --store URL [--to VERSION]\n"
	    "       hull store rematch --store URL [--db FILE] [--node NAME]\n"
	    "       hull store workloads --store URL [--node NAME] PODS.json|-\n"
	    "       hull store workloads --store URL --from-api [--api URL] [--api-token FILE]\n"
	    "                            [--api-ca FILE] [--db FILE --images FILE]\n"
	    "  migrate    create or upgrade the schema (each version in one transaction)\n"
	    "  rematch    match every stored inventory without a result for this\n"
	    "             database build (after 'hull db update'), without the images\n"
	    "  workloads  record which workloads run which images, from\n"
	    "             'kubectl get pods -A -o json' (replaces those namespaces), or\n"
	    "             from the API server (--from-api: in a pod, its service account,\n"
	    "             which needs only 'list pods'); --images FILE writes the images\n"
	    "             without a result for the --db build, one reference a line\n");
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

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct hull_buf *b = ctx;
	struct hull_err e = {0};
	return hull_buf_append(b, p, size * n, &e) < 0 ? 0 : size * n;
}

/* GET /api/v1/pods with the service account's token, checking the server
 * against its CA. The body is capped at HULL_STORE_PODS_MAX. */
static char *pods_from_api(const struct api_opts *o, size_t *len, struct hull_err *err)
{
	char url[1024], auth[8192 + 32];
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	if (o->url)
		snprintf(url, sizeof(url), "%.1000s/api/v1/pods", o->url);
	else if (host && port && strchr(host, ':'))
		snprintf(url, sizeof(url), "https://[%.200s]:%.16s/api/v1/pods", host, port);
	else if (host && port)
		snprintf(url, sizeof(url), "https://%.200s:%.16s/api/v1/pods", host, port);
	else {
		hull_err_set(
		    err, HULL_ERR_USAGE,
		    "--from-api: not in a pod (no KUBERNETES_SERVICE_HOST): give --api URL");
		return NULL;
	}
	const char *tpath = o->token ? o->token : SA_DIR "/token";
	size_t tlen;
	char *token = hull_cli_read_input(tpath, 8192, &tlen, err);
	if (!token)
		return NULL;
	while (tlen && (token[tlen - 1] == '\n' || token[tlen - 1] == '\r'))
		token[--tlen] = '\0';
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	memset(token, 0, tlen);
	free(token);
	struct hull_buf b;
	hull_buf_init(&b, HULL_STORE_PODS_MAX);
	CURL *c = curl_easy_init();
	struct curl_slist *hdrs = curl_slist_append(NULL, auth);
	hdrs = hdrs ? curl_slist_append(hdrs, "Accept: application/json") : NULL;
	memset(auth, 0, sizeof(auth));
	char cerr[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	if (c && hdrs) {
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca ? o->ca : SA_DIR "/ca.crt");
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK || code != 200) {
		if (rc != CURLE_OK)
			hull_err_set(err, HULL_ERR_IO, "%s: %s", url,
			             cerr[0] ? cerr : curl_easy_strerror(rc));
		else
			hull_err_set(err, HULL_ERR_IO,
			             "%s: HTTP %ld (the service account needs 'list pods')", url,
			             code);
		hull_buf_release(&b);
		return NULL;
	}
	char *data = hull_buf_detach(&b, len);
	if (!data)
		hull_err_set(err, HULL_ERR_INPUT, "%s: empty answer", url);
	return data;
}

static int write_todo(struct hull_store *st, const char *dbopt, const char *path,
                      struct hull_err *err)
{
	char dbbuf[4096], build[HULL_VULNDB_BUILD_ID_MAX];
	const char *dbpath = hull_cli_db_path(dbopt, dbbuf, sizeof(dbbuf));
	struct hull_vulndb *db = NULL;
	struct hull_buf b;
	size_t n = 0;
	hull_buf_init(&b, 64u << 20);
	int rc = hull_vulndb_open(dbpath, &db, err);
	if (rc == 0)
		rc = hull_vulndb_build_id(db, build, err);
	hull_vulndb_close(db);
	if (rc == 0)
		rc = hull_store_workload_images_todo(st, build, &b, &n, err);
	if (rc == 0)
		rc = hull_fs_write_atomic(path, b.data ? b.data : "", b.len, err);
	if (rc == 0)
		printf("%zu image(s) without a result for database build %s: %s\n", n, build, path);
	hull_buf_release(&b);
	return rc;
}

static int workloads(struct hull_cli_store *so, const struct api_opts *api, const char *dbopt,
                     const char *path, struct hull_err *err)
{
	size_t len, n = 0;
	char *data = api->from_api ? pods_from_api(api, &len, err)
	                           : hull_cli_read_input(path, HULL_STORE_PODS_MAX, &len, err);
	if (!data)
		return -1;
	struct hull_store *st = NULL;
	int rc = hull_store_open(so->url, &st, err);
	const char *source = api->from_api ? "api" : strcmp(path, "-") ? path : "stdin";
	if (rc == 0)
		rc = hull_store_workloads_from_pods(st, data, len, source, hull_cli_store_node(so),
		                                    &n, err);
	if (rc == 0)
		printf("recorded %zu workload container(s)\n", n);
	if (rc == 0 && api->images)
		rc = write_todo(st, dbopt, api->images, err);
	hull_store_close(st);
	free(data);
	return rc;
}

struct store_args {
	struct hull_cli_store store;
	const char *db;
	struct api_opts api;
	int to;
};

static void usage_out(void)
{
	usage(stdout);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct store_args *a = ctx;
	unsigned long v;
	(void)argc, (void)argv;
	switch (c) {
	case OPT_DB:
		a->db = arg;
		return 0;
	case OPT_FROM_API:
		a->api.from_api = true;
		return 0;
	case OPT_API:
		a->api.url = arg;
		return 0;
	case OPT_API_TOKEN:
		a->api.token = arg;
		return 0;
	case OPT_API_CA:
		a->api.ca = arg;
		return 0;
	case OPT_IMAGES:
		a->api.images = arg;
		return 0;
	case OPT_TO:
		if (hull_cli_parse_number("to", arg, 1, HULL_STORE_SCHEMA, &v, err) < 0)
			return -1;
		a->to = (int)v;
		return 0;
	}
	return 1;
}

int hull_cmd_store(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"to", required_argument, NULL, OPT_TO},
	    {"db", required_argument, NULL, OPT_DB},
	    {"from-api", no_argument, NULL, OPT_FROM_API},
	    {"api", required_argument, NULL, OPT_API},
	    {"api-token", required_argument, NULL, OPT_API_TOKEN},
	    {"api-ca", required_argument, NULL, OPT_API_CA},
	    {"images", required_argument, NULL, OPT_IMAGES},
	    {0},
	};
	struct store_args a = {0};
	const struct hull_cli_spec spec = {
	    .cmd = "store",
	    .longopts = longopts,
	    .usage = usage_out,
	    .option = one_option,
	    .ctx = &a,
	    .store = &a.store,
	};
	struct hull_err err = {0};
	int first = hull_cli_parse(&spec, argc, argv, &err);
	if (first < 0)
		return hull_cli_usage_error("store", &err);
	if (first >= argc) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	const char *sub = argv[first++];
	if (!a.store.url) {
		hull_cli_error("store %s: --store URL is required", sub);
		return HULL_EXIT_ERROR;
	}
	int rc;
	if (!strcmp(sub, "migrate") && first == argc) {
		int from = 0, now = 0;
		rc = hull_store_migrate(a.store.url, a.to, &from, &now, &err);
		if (rc == 0 && from == now)
			printf("schema version %d: up to date\n", now);
		else if (rc == 0)
			printf("schema version %d -> %d\n", from, now);
	} else if (!strcmp(sub, "rematch") && first == argc) {
		rc = rematch(&a.store, a.db, &err);
	} else if (!strcmp(sub, "workloads") && first == argc - (a.api.from_api ? 0 : 1)) {
		rc = workloads(&a.store, &a.api, a.db, a.api.from_api ? NULL : argv[first], &err);
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
