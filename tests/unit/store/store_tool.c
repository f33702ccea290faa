/* store_tool: bench/store.sh's writer. Records N image results in the
 * store, one transaction each as hull image --store does, each a variant
 * of one real scan already in the store (its findings and inventory), and
 * writes the same N results as hull's JSON reports for the jq baseline.
 *
 *   store_tool write URL KEY DB_BUILD N OUTDIR [SEED [RECORD_BUILD]]
 *
 * The base is KEY's result for DB_BUILD; the variants are recorded for
 * RECORD_BUILD (default DB_BUILD): another build makes them the images'
 * current results.
 * Variant i: image key and manifest digest made from i, name
 * bench/img-NNNN, node bench-node-(i % 50), every finding j of the base
 * kept unless (j * 31 + i + SEED) % 5 == 0. Prints one line: images and
 * the seconds spent in hull_store_record only.
 *
 *   store_tool query URL RUNS CVE SINCE_EPOCH
 *
 * The four fleet queries over one connection, RUNS times each: one line
 * per query, "NAME MEDIAN_SECONDS", the latency a long-lived client
 * (hull serve, a dashboard) sees, without process start or connection. */
#include <json-c/json.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/findings.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/fs.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int query(int argc, char **argv)
{
	struct hull_err err = {0};
	struct hull_store *s;
	long runs = strtol(argv[3], NULL, 10);
	const char *cve = argv[4];
	time_t since = (time_t)strtoll(argv[5], NULL, 10);
	(void)argc;
	if (runs < 1 || runs > 1000 || hull_store_open(argv[2], &s, &err) < 0) {
		fprintf(stderr, "store_tool: %s\n", err.kind ? err.msg : "bad RUNS");
		return 1;
	}
	static const char *names[] = {"cve", "top", "namespaces", "changes"};
	double t[1000];
	for (int q = 0; q < 4; q++) {
		for (long i = 0; i < runs; i++) {
			struct hull_buf doc;
			hull_buf_init(&doc, 64u << 20);
			double t0 = now_s();
			int rc = q == 0   ? hull_store_fleet_cve(s, cve, &doc, &err)
			         : q == 1 ? hull_store_fleet_top(s, 20, &doc, &err)
			         : q == 2 ? hull_store_fleet_namespaces(s, &doc, &err)
			                  : hull_store_fleet_changes(s, since, &doc, &err);
			t[i] = now_s() - t0;
			hull_buf_release(&doc);
			if (rc < 0) {
				fprintf(stderr, "store_tool: %s\n", err.msg);
				return 1;
			}
		}
		qsort(t, (size_t)runs, sizeof(*t), cmp_double);
		printf("%s %.6f\n", names[q], t[runs / 2]);
	}
	hull_store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "query"))
		return query(argc, argv);
	if (argc < 7 || strcmp(argv[1], "write")) {
		fprintf(stderr,
		        "usage: store_tool write URL KEY DB_BUILD N OUTDIR [SEED [RECORD_BUILD]]\n"
		        "       store_tool query URL RUNS CVE SINCE_EPOCH\n");
		return 2;
	}
	const char *url = argv[2], *key = argv[3], *build = argv[4], *out = argv[6];
	long n = strtol(argv[5], NULL, 10), seed = argc > 7 ? strtol(argv[7], NULL, 10) : 0;
	const char *record_build = argc > 8 ? argv[8] : build;
	struct hull_err err = {0};
	struct hull_store *s;
	struct hull_findings base = {0};
	struct hull_inventory inv = {0};
	struct hull_image *layers = NULL;
	int64_t frun;
	if (hull_store_open(url, &s, &err) < 0 ||
	    hull_store_image_result(s, key, build, &base, &frun, &err) <= 0 ||
	    hull_store_image_inventory(s, key, &inv, &layers, &err) <= 0) {
		fprintf(stderr, "store_tool: %s\n", err.kind ? err.msg : "no result for that key");
		return 1;
	}
	struct hull_finding *view = calloc(base.n ? base.n : 1, sizeof(*view));
	double spent = 0;
	for (long i = 0; i < n; i++) {
		char seedtxt[64], kd[HULL_DIGEST_STRLEN + 1], md[HULL_DIGEST_STRLEN + 1], name[64];
		char node[32], path[4096];
		snprintf(seedtxt, sizeof(seedtxt), "bench-config-%ld", i);
		hull_sha256_digest(seedtxt, strlen(seedtxt), kd, &err);
		snprintf(seedtxt, sizeof(seedtxt), "bench-manifest-%ld", i);
		hull_sha256_digest(seedtxt, strlen(seedtxt), md, &err);
		snprintf(name, sizeof(name), "bench/img-%04ld", i);
		snprintf(node, sizeof(node), "bench-node-%ld", i % 50);
		/* a shallow view: record and the writers only read */
		struct hull_findings f = {.items = view};
		for (size_t j = 0; j < base.n; j++)
			if ((j * 31 + (size_t)i + (size_t)seed) % 5 != 0)
				view[f.n++] = base.items[j];
		struct hull_store_image im = {
		    .key = kd, .manifest_digest = md, .name = name, .img = layers, .inv = &inv};
		struct hull_store_run run = {.kind = "image",
		                             .target = name,
		                             .node = node,
		                             .db_build = record_build,
		                             .started = time(NULL),
		                             .finished = time(NULL)};
		double t0 = now_s();
		if (hull_store_record(s, &run, &f, &im, NULL, &err) < 0) {
			fprintf(stderr, "store_tool: %s\n", err.msg);
			return 1;
		}
		spent += now_s() - t0;
		struct hull_findings_input in = {
		    .findings = &f,
		    .target = {.name = name, .kind = HULL_TARGET_IMAGE, .digest = md},
		    .now = time(NULL),
		};
		struct hull_buf doc;
		hull_buf_init(&doc, 1u << 28);
		snprintf(path, sizeof(path), "%s/img-%04ld.json", out, i);
		if (hull_report_findings(HULL_FINDINGS_JSON, &in, &doc, &err) < 0 ||
		    hull_fs_write_atomic(path, doc.data, doc.len, &err) < 0) {
			fprintf(stderr, "store_tool: %s\n", err.msg);
			return 1;
		}
		hull_buf_release(&doc);
	}
	printf("images %ld seconds %.3f\n", n, spent);
	free(view);
	hull_findings_release(&base);
	hull_inventory_release(&inv);
	hull_image_free(layers);
	hull_store_close(s);
	return 0;
}
