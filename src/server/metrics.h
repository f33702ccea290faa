/* metrics: hull serve's counters, written as Prometheus text.
 *
 * Every counter is an atomic updated with relaxed ordering: workers never
 * wait on each other to count, and a scrape sees each counter exactly
 * (the set of them is not one snapshot, as usual for Prometheus). */
#ifndef HULL_SERVER_METRICS_H
#define HULL_SERVER_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum hull_endpoint {
	HULL_EP_VALIDATE = 0,
	HULL_EP_AUTHZ_REQ,
	HULL_EP_AUTHZ_RES,
	HULL_EP_OTHER,
	HULL_EP__COUNT
};

enum hull_outcome {
	HULL_OUT_ALLOWED = 0,
	HULL_OUT_DENIED,
	HULL_OUT_ERROR,       /* evaluation failed: answered per --fail-closed */
	HULL_OUT_BAD_REQUEST, /* not a usable request: 4xx */
	HULL_OUT__COUNT
};

struct hull_metrics;

struct hull_metrics *hull_metrics_new(void);
void hull_metrics_free(struct hull_metrics *m);

/* One answered request: denied[] are rule indexes (review.h). */
void hull_metrics_request(struct hull_metrics *m, enum hull_endpoint ep, enum hull_outcome out,
                          bool dry_run, const unsigned *denied, size_t ndenied, uint64_t ns);
void hull_metrics_conn(struct hull_metrics *m, int delta);
void hull_metrics_rejected(struct hull_metrics *m);
void hull_metrics_tls_error(struct hull_metrics *m);
void hull_metrics_http_error(struct hull_metrics *m);
void hull_metrics_timeout(struct hull_metrics *m);
void hull_metrics_reload(struct hull_metrics *m, bool ok);

/* Appends the exposition text to out. */
void hull_metrics_write(struct hull_metrics *m, struct hull_buf *out);

#endif
