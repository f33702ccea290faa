/* cli store: the --store options the scan commands share and the one call
 * that records a run (src/store does the work; docs/store.md).
 *
 *   --store URL     PostgreSQL connection URI or key=value string (libpq;
 *                   give the password through PGPASSWORD or ~/.pgpass,
 *                   not in the URL, which other users can see in ps)
 *   --node NAME     where the run happened (default: $HULL_NODE, else the
 *                   host name)
 *   --namespace NS  the Kubernetes namespace the scanned thing belongs to */
#ifndef HULL_CLI_STORE_H
#define HULL_CLI_STORE_H

#include <getopt.h>
#include <time.h>

#include "report/findings.h"
#include "util/buf.h"
#include "util/err.h"

enum {
	HULL_OPT_STORE = 1100,
	HULL_OPT_NODE,
	HULL_OPT_NAMESPACE,
};

#define HULL_STORE_LONGOPTS                                                                        \
	{"store", required_argument, NULL, HULL_OPT_STORE},                                        \
	    {"node", required_argument, NULL, HULL_OPT_NODE},                                      \
	{                                                                                          \
		"namespace", required_argument, NULL, HULL_OPT_NAMESPACE                           \
	}

struct hull_cli_store {
	const char *url; /* NULL: no store */
	const char *node;
	const char *ns;
	char nodebuf[256];
};

/* 1 when c is a store option (applied), else 0. */
int hull_cli_store_option(int c, const char *arg, struct hull_cli_store *o);

/* --node, else $HULL_NODE, else the host name. */
const char *hull_cli_store_node(struct hull_cli_store *o);

/* Records a run of kind (host, runtime, config) with its findings when
 * --store was given (does nothing otherwise). */
int hull_cli_store_record(struct hull_cli_store *o, const char *kind, const char *target,
                          time_t started, const struct hull_findings *f, struct hull_err *err);

/* `hull serve --store`: the store's contents as Prometheus gauges on
 * /metrics (hull_store_metrics), over one connection made on first use
 * and made again after an error, answers cached for 10 seconds so many
 * scrapers cost one query; thread-safe. When the store cannot answer,
 * hull_store_up is 0. */
struct hull_cli_store_metrics;
struct hull_cli_store_metrics *hull_cli_store_metrics_new(const char *url);
void hull_cli_store_metrics_write(void *ctx, struct hull_buf *out);
void hull_cli_store_metrics_free(struct hull_cli_store_metrics *m);

/* `hull serve --store`: every decision of the webhook (and the Docker
 * plugin) recorded as a run of kind "admission" ("authz"), target "KIND
 * NAMESPACE/NAME", its findings the rules that fired. The server's
 * workers only queue the line (at most HULL_CLI_DECISIONS_QUEUE; past
 * that a line is dropped and counted); one writer thread records them, so
 * PostgreSQL's latency never reaches an admission answer. free drains the
 * queue for up to 5 seconds, then says what it could not write. */
#define HULL_CLI_DECISIONS_QUEUE 4096
struct hull_cli_store_decisions;
struct hull_cli_store_decisions *hull_cli_store_decisions_new(struct hull_cli_store *o);
void hull_cli_store_decision(void *ctx, const char *line, size_t len);
void hull_cli_store_decisions_free(struct hull_cli_store_decisions *q);

#endif
