/* vdb_tool: the query API from the command line, for the tests and
 * bench/db.sh.
 *
 *   vdb_tool lookup DB NS NAME...   one JSON object per advisory (per line)
 *   vdb_tool details DB ID          the texts of one id as JSON
 *   vdb_tool keys DB                every "ns<TAB>name" (one per line)
 *   vdb_tool bench DB N [SEED]      N lookups of random (ns, name) keys,
 *                                   half of them absent; prints timings */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vulndb/vulndb.h"

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *jlist(const char *const *l, size_t n)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(l[i]));
	return a;
}

static struct json_object *jslice(struct hull_str s)
{
	return json_object_new_string_len(s.ptr, (int)s.len);
}

static const char *const kinds[] = {"distro", "osv", "npm_range"};
static const char *const fixes[] = {"fixed", "unfixed", "not_affected"};
static const char *const sevs[] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
static const char *const statuses[] = {"fixed", "affected", "will_not_fix", "fix_deferred",
                                       "end_of_life"};
static const char *const ev_kinds[] = {"introduced", "fixed", "last_affected", "limit"};

static int print_adv(const struct hull_vulndb_advisory *a, void *ctx)
{
	(void)ctx;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", jstr(a->id));
	json_object_object_add(o, "ns", jstr(a->ns));
	json_object_object_add(o, "package", jstr(a->package));
	json_object_object_add(o, "source", jstr(hull_vulndb_source_name(a->source)));
	json_object_object_add(o, "kind", jstr(kinds[a->kind]));
	json_object_object_add(o, "eco", jstr(hull_ecosystem_name(a->eco)));
	json_object_object_add(o, "status", jstr(statuses[a->status]));
	json_object_object_add(o, "fix", jstr(fixes[a->fix.status]));
	json_object_object_add(o, "fixed", jstr(a->fixed));
	json_object_object_add(o, "severity", jstr(sevs[a->severity]));
	json_object_object_add(o, "severity_source", jstr(a->severity_source));
	json_object_object_add(o, "negligible", json_object_new_boolean(a->negligible));
	json_object_object_add(o, "vendor_severity", jstr(a->vendor_severity));
	json_object_object_add(o, "cvss_score", json_object_new_double(a->cvss_score));
	json_object_object_add(o, "cvss_vector", jstr(a->cvss_vector));
	json_object_object_add(o, "title", jstr(a->title));
	json_object_object_add(o, "url", jstr(a->url));
	json_object_object_add(o, "aliases", jlist(a->aliases, a->n_aliases));
	json_object_object_add(o, "related", jlist(a->related, a->n_related));
	if (a->kind == HULL_VULNDB_NPM_RANGE) {
		json_object_object_add(o, "vulnerable", jslice(a->vulnerable));
		json_object_object_add(o, "patched", jslice(a->patched));
	}
	if (a->kind == HULL_VULNDB_OSV) {
		struct json_object *affs = json_object_new_array();
		for (size_t i = 0; i < a->n_affected; i++) {
			const struct hull_osv_affected *f = &a->affected[i];
			struct json_object *af = json_object_new_object(),
			                   *rs = json_object_new_array(),
			                   *vs = json_object_new_array();
			for (size_t r = 0; r < f->n_ranges; r++) {
				struct json_object *ro = json_object_new_object(),
				                   *evs = json_object_new_array();
				json_object_object_add(
				    ro, "type",
				    jstr(f->ranges[r].type == HULL_OSV_RANGE_SEMVER ? "SEMVER"
				                                                    : "ECOSYSTEM"));
				for (size_t e = 0; e < f->ranges[r].n_events; e++) {
					struct json_object *eo = json_object_new_object();
					json_object_object_add(
					    eo, ev_kinds[f->ranges[r].events[e].kind],
					    jslice(f->ranges[r].events[e].version));
					json_object_array_add(evs, eo);
				}
				json_object_object_add(ro, "events", evs);
				json_object_array_add(rs, ro);
			}
			for (size_t v = 0; v < f->n_versions; v++)
				json_object_array_add(vs, jslice(f->versions[v]));
			json_object_object_add(af, "ranges", rs);
			json_object_object_add(af, "versions", vs);
			json_object_array_add(affs, af);
		}
		json_object_object_add(o, "affected", affs);
	}
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static int count_adv(const struct hull_vulndb_advisory *a, void *ctx)
{
	(void)a;
	(*(size_t *)ctx)++;
	return 0;
}

struct key {
	char *ns, *name;
};

static struct key *load_keys(const char *path, size_t *n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT ns.name, pkg.name FROM pkg JOIN ns ON ns.id = pkg.ns",
	                       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		exit(2);
	}
	size_t cap = 1024;
	struct key *k = malloc(cap * sizeof(*k));
	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap)
			k = realloc(k, (cap *= 2) * sizeof(*k));
		k[*n].ns = strdup((const char *)sqlite3_column_text(st, 0));
		k[*n].name = strdup((const char *)sqlite3_column_text(st, 1));
		(*n)++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return k;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vdb_tool lookup|details|keys|bench DB ...\n");
		return 2;
	}
	struct hull_err err = {0};
	if (!strcmp(argv[1], "keys")) {
		size_t n;
		struct key *k = load_keys(argv[2], &n);
		for (size_t i = 0; i < n; i++) {
			printf("%s\t%s\n", k[i].ns, k[i].name);
			free(k[i].ns);
			free(k[i].name);
		}
		free(k);
		return 0;
	}
	struct hull_vulndb *db;
	if (hull_vulndb_open(argv[2], &db, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	int rc = 0;
	if (!strcmp(argv[1], "lookup") && argc >= 5) {
		for (int i = 4; i < argc && rc == 0; i++)
			rc = hull_vulndb_lookup(db, argv[3], hull_str_c(argv[i]), print_adv, NULL,
			                        &err);
	} else if (!strcmp(argv[1], "details") && argc == 4) {
		struct hull_vulndb_details d;
		rc = hull_vulndb_details(db, argv[3], &d, &err);
		if (rc == 0) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "id", jstr(d.id));
			json_object_object_add(o, "description", jstr(d.description));
			json_object_object_add(o, "published", jstr(d.published));
			json_object_object_add(o, "modified", jstr(d.modified));
			json_object_object_add(o, "references",
			                       jlist(d.references, d.n_references));
			json_object_object_add(o, "cvss_v3", jstr(d.cvss_v3));
			json_object_object_add(o, "cvss_v4", jstr(d.cvss_v4));
			printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		}
	} else if (!strcmp(argv[1], "bench") && argc >= 4) {
		size_t n, iters = strtoul(argv[3], NULL, 10), found = 0;
		unsigned seed = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 1;
		struct key *k = load_keys(argv[2], &n);
		srand(seed);
		char absent[600];
		double t0 = now();
		for (size_t i = 0; i < iters && rc == 0 && n; i++) {
			struct key *x = &k[(size_t)rand() % n];
			const char *name = x->name;
			if (i % 2) {
				snprintf(absent, sizeof(absent), "%s-absent", x->name);
				name = absent;
			}
			rc = hull_vulndb_lookup(db, x->ns, hull_str_c(name), count_adv, &found,
			                        &err);
		}
		double dt = now() - t0;
		printf(
		    "lookups %zu keys %zu advisories_visited %zu total_s %.6f per_lookup_us %.3f\n",
		    iters, n, found, dt, iters ? dt * 1e6 / (double)iters : 0);
		for (size_t i = 0; i < n; i++) {
			free(k[i].ns);
			free(k[i].name);
		}
		free(k);
	} else {
		fprintf(stderr, "vdb_tool: bad arguments\n");
		rc = -1;
		snprintf(err.msg, sizeof(err.msg), "usage");
	}
	if (rc < 0)
		fprintf(stderr, "%s\n", err.msg);
	hull_vulndb_close(db);
	return rc < 0 ? 2 : 0;
}
