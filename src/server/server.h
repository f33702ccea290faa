/* server: `hull serve`, the admission webhook and Docker authorization
 * plugin.
 *
 * One process serves, on any of its listeners:
 *   POST /validate                 Kubernetes AdmissionReview (review.h)
 *   POST /Plugin.Activate          Docker plugin handshake
 *   POST /AuthZPlugin.AuthZReq     Docker authorization request
 *   POST /AuthZPlugin.AuthZRes     Docker authorization response (allowed)
 *   GET  /healthz                  "ok"
 *   GET  /metrics                  Prometheus text
 * over HTTPS (TLS 1.2 and 1.3 only, OpenSSL) on a TCP address, and over
 * plain HTTP on a unix socket (the Docker plugin socket).
 *
 * Design: N worker threads, each with its own epoll set; every listener is
 * in every set with EPOLLEXCLUSIVE, so a connection lives on one worker and
 * requests are evaluated on the worker that read them, in parallel across
 * workers. State shared between workers is the TLS context and the review
 * configuration (swapped on reload under a mutex, reference-counted so
 * requests in flight finish with the one they started with) and the metrics
 * (atomic counters). Nothing else is shared.
 *
 * Robustness: request head, header count and body are capped (http.h);
 * a request must arrive completely within the read timeout of its first
 * byte, a TLS handshake within the read timeout of the accept (slowloris),
 * an idle keep-alive connection is closed after the idle timeout, and the
 * number of connections is capped (further ones are closed at once).
 * Malformed requests get a 4xx JSON error and the connection is closed.
 *
 * Reload: on request (SIGHUP in the CLI) or when the modification time of
 * the certificate, key, policy or admission file changes, the server loads
 * them again; new connections use the new certificate, open ones keep
 * theirs; a reload that fails keeps everything as it was and is logged.
 *
 * Logs: one JSON object per line on log_fd: operational messages
 * ({"level":..,"msg":..}) and one decision line per reviewed request
 * (review.h; dry runs are not logged). */
#ifndef HULL_SERVER_SERVER_H
#define HULL_SERVER_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/review.h"
#include "util/buf.h"
#include "util/err.h"

struct hull_server_opts {
	const char *listen; /* "HOST:PORT", ":PORT", "[::1]:PORT"; NULL: no TLS listener */
	const char *tls_cert, *tls_key; /* PEM files; required with listen */
	const char *authz_socket;       /* unix socket path; NULL: none */
	unsigned threads;               /* 0: one per CPU */
	unsigned max_conns;             /* 0: 10000 */
	size_t max_body;                /* 0: HULL_REVIEW_MAX_BODY */
	unsigned read_timeout_ms;       /* 0: 10 s */
	unsigned idle_timeout_ms;       /* 0: 60 s */
	unsigned watch_ms;              /* file change checks; 0: 2 s */
	int log_fd;                     /* decisions and messages; < 0: none */
	bool log_decisions;             /* write decision lines */
	struct hull_review_opts review;
	/* More exposition text appended to every /metrics answer (the results
	 * store's contents with `hull serve --store`); called from any worker
	 * thread, so it serialises itself. May be NULL. */
	void (*extra_metrics)(void *ctx, struct hull_buf *out);
	void *extra_metrics_ctx;
	/* Each decision line (the JSON object of the decision log, whether or
	 * not it is logged), for `hull serve --store`: called from worker
	 * threads, must not block. May be NULL. */
	void (*on_decision)(void *ctx, const char *line, size_t len);
	void *on_decision_ctx;
	/* GET /v1/fleet/WHAT?QUERY, for `hull serve --store --fleet-api`:
	 * called from any worker thread (so it serialises itself) with WHAT and
	 * QUERY as NUL-terminated strings (QUERY "" when none); returns the
	 * HTTP status and fills out (max HULL_SERVER_ANSWER_MAX): with 200 the
	 * JSON answer, otherwise the error message, which the server sends as
	 * its usual {"error", "status"} document. May be NULL: those paths are
	 * then 404. */
	int (*fleet_get)(void *ctx, const char *what, const char *query, struct hull_buf *out);
	void *fleet_get_ctx;
};

/* The largest answer of any endpoint, bytes (a fleet answer; admission
 * answers are capped lower, at HULL_REVIEW_MAX_RESP). */
#define HULL_SERVER_ANSWER_MAX (32u << 20)

/* Serves until *stop becomes non-zero (then closes the listeners and every
 * connection). *reload non-zero asks for a reload; it is reset to 0.
 * Returns 0 after a stop, or -1 when start-up failed (bad address,
 * certificate, policy: err says which). */
int hull_server_run(const struct hull_server_opts *o, volatile sig_atomic_t *stop,
                    volatile sig_atomic_t *reload, struct hull_err *err);

#endif
