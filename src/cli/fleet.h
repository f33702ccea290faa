/* cli fleet: the fleet API of `hull serve --store URL --fleet-api`
 * (docs/store.md): GET /v1/fleet/cve/ID, /v1/fleet/top[?limit=N],
 * /v1/fleet/namespaces, /v1/fleet/changes[?since=WHEN], each answering
 * the document `hull fleet --format json` prints (the queries and the
 * request's reading are store/'s: hull_store_fleet_request and _run).
 *
 * The queries run on a pool of connections made on first use and made
 * again after an error, so a request neither pays a connection's start-up
 * nor waits for another request's query while a connection is free;
 * thread-safe. */
#ifndef HULL_CLI_FLEET_H
#define HULL_CLI_FLEET_H

#include "util/buf.h"

#define HULL_FLEET_API_CONNS_MAX 16u

struct hull_cli_fleet_api;
/* conns: the pool's size, 1..HULL_FLEET_API_CONNS_MAX (clamped). url is
 * borrowed for the life of the API. NULL when out of memory. */
struct hull_cli_fleet_api *hull_cli_fleet_api_new(const char *url, unsigned conns);
/* A request (what: the path after "/v1/fleet/", query: the query string
 * without '?', "" when none): fills out (compact JSON with 200, else the
 * error message: hull_server_opts.fleet_get) and returns the HTTP status:
 * 200, 400 (a bad id or parameter), 404 (no such query), 503 (the store
 * did not answer: libpq's reason), 500 (the answer is over out's maximum). */
int hull_cli_fleet_api_get(void *ctx, const char *what, const char *query, struct hull_buf *out);
void hull_cli_fleet_api_free(struct hull_cli_fleet_api *a);

#endif
