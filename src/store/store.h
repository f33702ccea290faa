/* store: scan results of a fleet in PostgreSQL (libpq).
 *
 * hull stays one binary; many of them (CI jobs, a DaemonSet, a CronJob,
 * webhook replicas) write to one PostgreSQL database and `hull fleet`
 * reads it. docs/store.md describes the schema and its guarantees.
 *
 * Invariants:
 * - The schema is versioned (schema_version table). hull_store_migrate
 *   applies each missing migration in its own transaction; every other
 *   entry point refuses a database at another version than
 *   HULL_STORE_SCHEMA ("run 'hull store migrate'").
 * - A run (what, where, when, hull version, database build) and all of its
 *   findings are written in one transaction: a writer killed at any point
 *   leaves either the whole run or nothing.
 * - Everything keyed by content uses a unique key and INSERT ... ON
 *   CONFLICT, so writers racing on the same image or layer neither
 *   duplicate rows nor fail; serialization failures and deadlocks are
 *   retried (HULL_STORE_RETRIES times, with a random back-off).
 * - Image results are keyed by the image's config digest (which pins
 *   every layer's DiffID) and the database build (hull_vulndb_build_id);
 *   inventories by config digest; layer replay logs by DiffID and keep
 *   version. A writer holds a session advisory lock on an image (and on a
 *   layer it is reading) while it scans, so other writers wait and reuse
 *   its result instead of scanning again; a killed writer's locks go with
 *   its connection.
 *
 * Not thread-safe per handle: one struct hull_store per thread. */
#ifndef HULL_STORE_STORE_H
#define HULL_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings.h"
#include "util/buf.h"
#include "util/err.h"

/* 1: runs and findings; 2: images, inventories, layers, image results;
 * 3: workloads, namespaces, fleet indexes; 4: image_findings, the narrow
 * index of image results the fleet queries read; 5, 6: what the fleet
 * queries aggregate, kept by triggers; 7: the index fleet changes reads
 * (docs/store.md has the table). */
#define HULL_STORE_SCHEMA  7
#define HULL_STORE_RETRIES 10
#define HULL_STORE_URL_MAX 4096

struct hull_store;

/* Connects to url (a libpq connection URI or key=value string) and checks
 * the schema version unless migrating. Errors: HULL_ERR_IO (connection;
 * the message is libpq's, which never repeats the password),
 * HULL_ERR_INPUT (no schema, another version). */
int hull_store_open(const char *url, struct hull_store **out, struct hull_err *err);
void hull_store_close(struct hull_store *s);
/* For a connection kept for many queries (hull serve's fleet API): each
 * statement is prepared on it the first time and executed by name after,
 * so PostgreSQL parses and plans it once per connection (or per custom
 * plan it decides on) instead of on every call. Not worth it for a
 * connection that runs each statement once: a prepare is a round trip. */
void hull_store_keep_plans(struct hull_store *s);

/* Applies the migrations from the database's version up to `to` (0: the
 * latest), each in its own transaction, serialised between concurrent
 * migrators by an advisory lock. *from / *now receive the versions before
 * and after (may be NULL). A database newer than this hull is an error. */
int hull_store_migrate(const char *url, int to, int *from, int *now, struct hull_err *err);

/* What a run was. Strings borrowed; NULL where unknown. */
struct hull_store_run {
	const char *kind;   /* required: "image", "host", "runtime", "config", "rematch" */
	const char *target; /* required: what was scanned, as named */
	const char *node;   /* required: where (host name, Kubernetes node) */
	const char *ns;     /* Kubernetes namespace of the scanned workload, if any */
	const char *db_build;
	time_t started, finished;
};

/* An image's part of a run (hull image). findings_run: when the findings
 * were reused, the run that holds them (then no findings are written). */
struct hull_store_image {
	const char *key;                  /* config digest; required */
	const char *manifest_digest;      /* may be NULL */
	const char *name;                 /* may be NULL */
	const struct hull_image *img;     /* layers; may be NULL when reused */
	const struct hull_inventory *inv; /* written once per key; may be NULL */
	int64_t findings_run;             /* 0: this run's findings are the result */
	const char *reused;               /* NULL, "result" or "inventory" */
};

/* Records one run and its findings (all of them, suppressed included) in
 * one transaction, retried on serialization failures and deadlocks. With
 * image: also the image, its layers and inventory (first writer wins) and
 * the image result for run->db_build. *run_id receives the run's id. */
int hull_store_record(struct hull_store *s, const struct hull_store_run *run,
                      const struct hull_findings *f, const struct hull_store_image *image,
                      int64_t *run_id, struct hull_err *err);

/* The session advisory lock of an image key: held while an image is
 * scanned, so concurrent writers of the same image wait for the result.
 * Released by unlock or when the connection ends. */
int hull_store_lock_image(struct hull_store *s, const char *key, struct hull_err *err);
int hull_store_unlock_image(struct hull_store *s, const char *key, struct hull_err *err);

/* The recorded result of image `key` for database build `db_build`: 1 and
 * its findings appended to out (and *run_id the run holding them), 0 when
 * there is none. */
int hull_store_image_result(struct hull_store *s, const char *key, const char *db_build,
                            struct hull_findings *out, int64_t *run_id, struct hull_err *err);

/* The stored inventory of image `key`: 1 with inv filled (zeroed before)
 * and *layers set to an image holding only its layer list (digest,
 * DiffID, size; files empty; caller frees with hull_image_free), 0 when
 * none is stored. */
int hull_store_image_inventory(struct hull_store *s, const char *key, struct hull_inventory *inv,
                               struct hull_image **layers, struct hull_err *err);

/* The layer store over this connection (image.h): replay logs keyed by
 * DiffID and keep version, each checked against its SHA-256 when read; a
 * miss holds the layer's advisory lock until put. Each put of a log adds
 * 1 to the layer's `scans` count (a layer read from its blob). Errors of
 * put cannot be returned: the first is kept in s (hull_store_error). */
void hull_store_layer_remote(struct hull_store *s, struct hull_layer_remote *out);
/* The first error a layer put met, or NULL. */
const char *hull_store_error(const struct hull_store *s);

/* Images with an inventory but no result for db_build: for each, calls fn
 * with its key, inventory and layer list (borrowed during the call). */
typedef int (*hull_store_rematch_fn)(void *ctx, const char *key, const char *name,
                                     const char *manifest_digest, const struct hull_inventory *inv,
                                     const struct hull_image *layers, struct hull_err *err);
int hull_store_each_unmatched(struct hull_store *s, const char *db_build, hull_store_rematch_fn fn,
                              void *ctx, size_t *count, struct hull_err *err);

/* ---- workloads ---------------------------------------------------------
 * Which workloads run which images, from a Kubernetes pod list
 * (`kubectl get pods -A -o json`, or the API's PodList): one row per
 * (namespace, owner kind, owner name, container), with the image
 * reference and the digest the kubelet resolved (status.containerStatuses
 * imageID). Replaces the rows of the namespaces present in the list (in
 * one transaction). */
#define HULL_STORE_PODS_MAX (256u << 20)

/* The parse alone (no database): one call of fn per workload container
 * row, strings borrowed for the call. At most 1,000,000 pods and 64
 * containers of each list per pod; names are cut at 255 bytes (owner
 * names at 63 for the kind). Errors: not JSON, not a pod list, limits, or
 * fn's own. */
struct hull_store_pod_row {
	const char *ns, *kind, *name, *container, *image;
	const char *image_digest; /* "sha256:.." or NULL */
	const char *node;         /* spec.nodeName, or NULL */
};
typedef int (*hull_store_pod_row_fn)(void *ctx, const struct hull_store_pod_row *row,
                                     struct hull_err *err);
int hull_store_pods_parse(const char *json, size_t len, const char *source,
                          hull_store_pod_row_fn fn, void *ctx, struct hull_err *err);
int hull_store_workloads_from_pods(struct hull_store *s, const char *json, size_t len,
                                   const char *source, const char *node, size_t *count,
                                   struct hull_err *err);

/* The images the workloads run that have no result for db_build, one
 * reference per line into out: "REPO@sha256:..." when the kubelet
 * resolved a digest (what runs, exactly), else the reference as written.
 * References with characters outside [A-Za-z0-9._:/@-] are left out (the
 * list feeds shell loops).
 * *count receives how many. */
int hull_store_workload_images_todo(struct hull_store *s, const char *db_build,
                                    struct hull_buf *out, size_t *count, struct hull_err *err);

/* ---- fleet queries -----------------------------------------------------
 * Each appends its answer to out as one compact JSON document, written
 * straight from the query's rows (the CLI parses it to print a table; the
 * fleet API sends it as it is); docs/store.md gives their shapes. The
 * "current" result of an image is its latest recorded result. On an
 * error out may hold part of a document: the caller drops it. */
int hull_store_fleet_cve(struct hull_store *s, const char *cve, struct hull_buf *out,
                         struct hull_err *err);
/* Findings that appeared or went away in runs finished after since. */
int hull_store_fleet_changes(struct hull_store *s, time_t since, struct hull_buf *out,
                             struct hull_err *err);
/* Vulnerabilities across the fleet's current results, highest severity,
 * then CVSS, then most images first; at most limit. */
int hull_store_fleet_top(struct hull_store *s, unsigned limit, struct hull_buf *out,
                         struct hull_err *err);
/* Per namespace: workloads, images, findings by severity. */
int hull_store_fleet_namespaces(struct hull_store *s, struct hull_buf *out, struct hull_err *err);

/* The queries by name, one place for `hull fleet` and the fleet API of
 * `hull serve --store --fleet-api`: "cve" (with .cve), "changes" (with
 * .since), "top" (with .limit), "namespaces". */
#define HULL_STORE_FLEET_LIMIT_MAX  100000u
#define HULL_STORE_FLEET_ID_MAX     128u        /* a vulnerability id, bytes */
#define HULL_STORE_FLEET_PARAM_MAX  256u        /* a decoded request parameter, bytes */
#define HULL_STORE_FLEET_ANSWER_MAX (64u << 20) /* what a caller should allow */
struct hull_store_fleet_query {
	const char *name; /* static: one of the names above */
	const char *cve;
	time_t since;
	unsigned limit;                         /* 1..HULL_STORE_FLEET_LIMIT_MAX */
	char idbuf[HULL_STORE_FLEET_PARAM_MAX]; /* hull_store_fleet_request's copy */
};
/* The query's static name when name is one, else NULL. */
const char *hull_store_fleet_name(const char *name);
/* WHEN as a time: 24h, 7d, 90m, 30s (before now), "yesterday",
 * YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). -1 with HULL_ERR_USAGE
 * "'WHEN': expected ..." (the caller names the option). */
int hull_store_fleet_since(const char *when, time_t now, struct hull_store_fleet_query *q,
                           struct hull_err *err);
/* A served request, untrusted: what is the path after "/v1/fleet/"
 * ("cve/ID", "top", "namespaces", "changes"), query the query string
 * without '?' (NAME=VALUE&..., values percent-encoded; "limit" for top,
 * "since" for changes, nothing else). Fills *q (defaults: limit 20, since
 * a day before now). -1 with HULL_ERR_NOTFOUND (no such query) or
 * HULL_ERR_USAGE (a bad id or parameter), the message naming it. */
int hull_store_fleet_request(const char *what, const char *query, time_t now,
                             struct hull_store_fleet_query *q, struct hull_err *err);
/* Runs q, its document appended to out. */
int hull_store_fleet_run(struct hull_store *s, const struct hull_store_fleet_query *q,
                         struct hull_buf *out, struct hull_err *err);

/* Prometheus text of the store's contents (runs by kind, images, layers,
 * current findings by severity, workloads) appended to out. */
int hull_store_metrics(struct hull_store *s, struct hull_buf *out, struct hull_err *err);

#endif
