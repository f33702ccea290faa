/* Prometheus counters of hull serve (see metrics.h). */
#include "server/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "misconfig/rules.h"
#include "server/review.h"

/* seconds; chosen around the 2 ms goal and the API server's 10 s timeout */
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                0.01,   0.025,   0.05,   0.1,   0.25,   1.0};
#define NB (sizeof(bounds) / sizeof(bounds[0]))

struct hull_metrics {
	atomic_uint_fast64_t req[HULL_EP__COUNT][HULL_OUT__COUNT];
	atomic_uint_fast64_t dry_run[HULL_EP__COUNT];
	atomic_uint_fast64_t bucket[HULL_EP__COUNT][NB + 1];
	atomic_uint_fast64_t sum_ns[HULL_EP__COUNT];
	atomic_uint_fast64_t conns_total, tls_errors, http_errors, timeouts, rejected;
	atomic_int_fast64_t conns_open;
	atomic_uint_fast64_t reload_ok, reload_fail;
	size_t nrules;
	atomic_uint_fast64_t *denials; /* nrules + 1 (the image rule) */
};

#define INC(x) atomic_fetch_add_explicit(&(x), 1, memory_order_relaxed)
#define GET(x) ((unsigned long long)atomic_load_explicit(&(x), memory_order_relaxed))

struct hull_metrics *hull_metrics_new(void)
{
	struct hull_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	hull_rules(&m->nrules);
	m->denials = calloc(m->nrules + 1, sizeof(*m->denials));
	if (!m->denials) {
		free(m);
		return NULL;
	}
	return m;
}

void hull_metrics_free(struct hull_metrics *m)
{
	if (m) {
		free(m->denials);
		free(m);
	}
}

void hull_metrics_request(struct hull_metrics *m, enum hull_endpoint ep, enum hull_outcome out,
                          bool dry_run, const unsigned *denied, size_t ndenied, uint64_t ns)
{
	INC(m->req[ep][out]);
	if (dry_run)
		INC(m->dry_run[ep]);
	for (size_t i = 0; i < ndenied; i++)
		if (denied[i] <= m->nrules)
			INC(m->denials[denied[i]]);
	double s = (double)ns / 1e9;
	size_t b = 0;
	while (b < NB && s > bounds[b])
		b++;
	INC(m->bucket[ep][b]);
	atomic_fetch_add_explicit(&m->sum_ns[ep], ns, memory_order_relaxed);
}

void hull_metrics_conn(struct hull_metrics *m, int delta)
{
	atomic_fetch_add_explicit(&m->conns_open, delta, memory_order_relaxed);
	if (delta > 0)
		INC(m->conns_total);
}

void hull_metrics_rejected(struct hull_metrics *m)
{
	INC(m->rejected);
}
void hull_metrics_tls_error(struct hull_metrics *m)
{
	INC(m->tls_errors);
}
void hull_metrics_http_error(struct hull_metrics *m)
{
	INC(m->http_errors);
}
void hull_metrics_timeout(struct hull_metrics *m)
{
	INC(m->timeouts);
}
void hull_metrics_reload(struct hull_metrics *m, bool ok)
{
	if (ok)
		INC(m->reload_ok);
	else
		INC(m->reload_fail);
}

static const char *const ep_names[] = {"validate", "authz_request", "authz_response", "other"};
static const char *const out_names[] = {"allowed", "denied", "error", "bad_request"};

static void head(struct hull_buf *o, const char *name, const char *type, const char *help)
{
	hull_buf_printf(o, NULL, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void hull_metrics_write(struct hull_metrics *m, struct hull_buf *o)
{
	head(o, "hull_requests_total", "counter", "Reviews answered, by endpoint and decision.");
	for (int e = 0; e < HULL_EP_OTHER; e++)
		for (int r = 0; r < HULL_OUT__COUNT; r++)
			hull_buf_printf(
			    o, NULL, "hull_requests_total{endpoint=\"%s\",decision=\"%s\"} %llu\n",
			    ep_names[e], out_names[r], GET(m->req[e][r]));
	head(o, "hull_dry_run_requests_total", "counter",
	     "Dry-run reviews (evaluated, never logged as deployments).");
	for (int e = 0; e < HULL_EP_OTHER; e++)
		hull_buf_printf(o, NULL, "hull_dry_run_requests_total{endpoint=\"%s\"} %llu\n",
		                ep_names[e], GET(m->dry_run[e]));
	head(o, "hull_denials_total", "counter", "Denied reviews, by rule that denied them.");
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	for (size_t i = 0; i <= m->nrules && i <= n; i++) {
		unsigned long long v = GET(m->denials[i]);
		if (v)
			hull_buf_printf(o, NULL, "hull_denials_total{rule=\"%s\"} %llu\n",
			                i < n ? rules[i].id : HULL_REVIEW_IMAGE_RULE, v);
	}
	head(o, "hull_request_duration_seconds", "histogram",
	     "Time from a complete request to its answer, by endpoint.");
	for (int e = 0; e < HULL_EP_OTHER; e++) {
		unsigned long long cum = 0;
		for (size_t b = 0; b <= NB; b++) {
			cum += GET(m->bucket[e][b]);
			if (b < NB)
				hull_buf_printf(
				    o, NULL,
				    "hull_request_duration_seconds_bucket{endpoint=\"%s\","
				    "le=\"%g\"} %llu\n",
				    ep_names[e], bounds[b], cum);
			else
				hull_buf_printf(
				    o, NULL,
				    "hull_request_duration_seconds_bucket{endpoint=\"%s\","
				    "le=\"+Inf\"} %llu\n",
				    ep_names[e], cum);
		}
		hull_buf_printf(o, NULL,
		                "hull_request_duration_seconds_sum{endpoint=\"%s\"} %.9f\n",
		                ep_names[e], (double)GET(m->sum_ns[e]) / 1e9);
		hull_buf_printf(o, NULL,
		                "hull_request_duration_seconds_count{endpoint=\"%s\"} %llu\n",
		                ep_names[e], cum);
	}
	head(o, "hull_connections_open", "gauge", "Open client connections.");
	hull_buf_printf(o, NULL, "hull_connections_open %lld\n",
	                (long long)atomic_load_explicit(&m->conns_open, memory_order_relaxed));
	head(o, "hull_connections_total", "counter", "Accepted client connections.");
	hull_buf_printf(o, NULL, "hull_connections_total %llu\n", GET(m->conns_total));
	head(o, "hull_connections_rejected_total", "counter",
	     "Connections closed at once because the connection limit was reached.");
	hull_buf_printf(o, NULL, "hull_connections_rejected_total %llu\n", GET(m->rejected));
	head(o, "hull_tls_handshake_errors_total", "counter", "Failed or aborted TLS handshakes.");
	hull_buf_printf(o, NULL, "hull_tls_handshake_errors_total %llu\n", GET(m->tls_errors));
	head(o, "hull_http_errors_total", "counter", "Malformed or oversized HTTP requests.");
	hull_buf_printf(o, NULL, "hull_http_errors_total %llu\n", GET(m->http_errors));
	head(o, "hull_timeouts_total", "counter",
	     "Connections closed for a slow handshake or request, or idleness.");
	hull_buf_printf(o, NULL, "hull_timeouts_total %llu\n", GET(m->timeouts));
	head(o, "hull_config_reloads_total", "counter", "Reloads of certificate, key and policy.");
	hull_buf_printf(o, NULL, "hull_config_reloads_total{result=\"success\"} %llu\n",
	                GET(m->reload_ok));
	hull_buf_printf(o, NULL, "hull_config_reloads_total{result=\"failure\"} %llu\n",
	                GET(m->reload_fail));
}
