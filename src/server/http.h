/* http: an incremental, bounded HTTP/1.1 request parser for hull serve.
 *
 * The server keeps a connection's received bytes in one buffer and calls
 * hull_http_parse after every read: it answers "need more", a complete
 * request (slices into the buffer), or an error with the HTTP status to
 * answer (400, 411, 413, 431, 501, 505) before closing.
 *
 * Supported: HTTP/1.0 and 1.1 request lines in origin form, headers (names
 * case-insensitive, no obsolete line folding), Content-Length bodies and
 * chunked bodies (decoded in place once complete; trailers dropped),
 * keep-alive per the version and the Connection header, pipelining (the
 * caller removes `consumed` bytes and parses again).
 *
 * Limits: the head (request line and headers) at most limits->max_head
 * bytes, at most limits->max_headers header lines, the body at most
 * limits->max_body bytes (decoded size; chunk framing at most 1/8 more).
 * Never reads past len; never allocates. */
#ifndef HULL_SERVER_HTTP_H
#define HULL_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/str.h"

#define HULL_HTTP_MAX_HEADERS 100

struct hull_http_limits {
	size_t max_head;    /* request line + headers, bytes */
	size_t max_headers; /* header lines, <= HULL_HTTP_MAX_HEADERS */
	size_t max_body;    /* decoded body, bytes */
};

struct hull_http_header {
	struct hull_str name, value; /* value trimmed of spaces and tabs */
};

struct hull_http_req {
	struct hull_str method, target; /* target as sent: "/validate?timeout=10s" */
	struct hull_str path, query;    /* target split at '?' (query without it) */
	int minor;                      /* HTTP/1.<minor> */
	struct hull_http_header headers[HULL_HTTP_MAX_HEADERS];
	size_t nheaders;
	bool keep_alive;
	bool expect_continue; /* "Expect: 100-continue" */
	struct hull_str body;
	size_t consumed; /* bytes of the input this request used */
};

enum {
	HULL_HTTP_MORE = 0,     /* incomplete: read more and call again */
	HULL_HTTP_COMPLETE = 1, /* *req holds a request */
	HULL_HTTP_HEAD_DONE = 2 /* internal; never returned */
};

/* Parses the request at the start of data[0..len). Returns HULL_HTTP_MORE,
 * HULL_HTTP_COMPLETE, or -1 with *status set to the status to answer and
 * err naming the problem. A chunked body is decoded in place inside data
 * (which is why it is not const) only when the request is complete. When
 * the head is complete but the body is not, *head_done is set (the caller
 * may answer "100 Continue"); may be NULL. */
int hull_http_parse(char *data, size_t len, const struct hull_http_limits *limits,
                    struct hull_http_req *req, bool *head_done, int *status, struct hull_err *err);

/* The value of header `name` (case-insensitive), or an empty slice with
 * ptr NULL when absent. */
struct hull_str hull_http_header(const struct hull_http_req *req, const char *name);

/* Reason phrase of a status code ("OK", "Bad Request"...). */
const char *hull_http_reason(int status);

#endif
