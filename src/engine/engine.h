/* engine: the one Docker Engine API client of hull (`hull runtime`,
 * `hull network --docker`), for docker and for podman's compatible
 * `podman system service`, over the engine's unix socket with libcurl
 * (CURLOPT_UNIX_SOCKET_PATH).
 *
 * One policy for every caller:
 *  - only unix sockets: "unix://PATH" or a bare PATH; any other scheme
 *    (tcp://, ssh://, npipe://) is HULL_ERR_USAGE;
 *  - HULL_ENGINE_CONNECT_TIMEOUT_S to connect, HULL_ENGINE_TIMEOUT_S for
 *    a whole request;
 *  - every answer capped at HULL_ENGINE_MAX_RESPONSE bytes (HULL_ERR_LIMIT),
 *    at most HULL_ENGINE_MAX_CONTAINERS containers read;
 *  - container ids go into a request path only when they are 12 to 64 hex
 *    digits (an id from the engine is data, not a path);
 *  - errors name the engine and the request:
 *    "engine unix:///run/docker.sock: GET /containers/json: HTTP 500";
 *    HULL_ERR_IO when the engine does not answer or answers with another
 *    status than 200, HULL_ERR_NOTFOUND for 404, HULL_ERR_INPUT when an
 *    answer that must be JSON is not.
 *
 * Only cli/ reads the environment: hull_engine_find takes
 * $XDG_RUNTIME_DIR as a parameter. Not thread-safe: one handle per thread. */
#ifndef HULL_ENGINE_ENGINE_H
#define HULL_ENGINE_ENGINE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/str.h"

#define HULL_ENGINE_MAX_RESPONSE      (64u << 20)
#define HULL_ENGINE_MAX_CONTAINERS    10000u
#define HULL_ENGINE_CONNECT_TIMEOUT_S 5L
#define HULL_ENGINE_TIMEOUT_S         60L
#define HULL_ENGINE_URL_MAX           4096u

struct hull_engine;

/* Opens a handle on the engine at url (copied). Nothing is sent yet, so a
 * missing socket is reported by the first request. Free with
 * hull_engine_free. HULL_ERR_USAGE for another scheme than unix:// or a
 * path that is empty or longer than a socket address holds. */
int hull_engine_open(const char *url, struct hull_engine **out, struct hull_err *err);
void hull_engine_free(struct hull_engine *e);

/* "unix://PATH": how reports and messages name the engine. Borrowed. */
const char *hull_engine_url(const struct hull_engine *e);

/* GET path ("/containers/json"). On a 200 answer *body is its bytes,
 * NUL-terminated, malloc'ed (the caller frees) and *len their count. */
int hull_engine_get(struct hull_engine *e, const char *path, char **body, size_t *len,
                    struct hull_err *err);

/* GET path, parsed as JSON (depth-capped as hull_json_parse). *out is the
 * caller's (json_object_put). */
int hull_engine_get_json(struct hull_engine *e, const char *path, struct json_object **out,
                         struct hull_err *err);

/* Called for each container with its inspect answer (GET
 * /containers/{id}/json, raw JSON text, borrowed for the call) and the
 * name it goes by in reports ("unix:///PATH/containers/{id}/json").
 * A negative return stops the walk; that error is the walk's. */
typedef int (*hull_engine_container_fn)(void *ctx, const char *id, struct hull_str inspect,
                                        const char *name, struct hull_err *err);

/* GET /containers/json, then each listed container's inspect answer in
 * list order. Ids that are not 12-64 hex digits are skipped; so is a
 * container removed between the list and its inspect (404). Any other
 * failure stops the walk. HULL_ERR_INPUT when the list is not a JSON
 * array. *count (may be NULL) is the number of containers passed to fn. */
int hull_engine_each_container(struct hull_engine *e, hull_engine_container_fn fn, void *ctx,
                               size_t *count, struct hull_err *err);

/* GET path, the 200 answer's bytes written to fd as they arrive (an image
 * export: GET /images/{id}/get), at most max bytes (HULL_ERR_LIMIT past
 * it). No total timeout: a transfer that moves less than 1 byte a second
 * for HULL_ENGINE_TIMEOUT_S is cut. *written (may be NULL) is the count. */
int hull_engine_get_to_fd(struct hull_engine *e, const char *path, int fd, uint64_t max,
                          uint64_t *written, struct hull_err *err);

/* Whether name may go into a request path as an image name: 1 to 512
 * bytes of letters, digits and "._-/:@" (what image references are made
 * of; hull_ref_parse checks the grammar). */
bool hull_engine_name_ok(const char *name);

/* Whether id may go into a request path: 12 to 64 hex digits. */
bool hull_engine_id_ok(const char *id);

/* The first existing socket of /var/run/docker.sock,
 * /run/podman/podman.sock and <xdg_runtime_dir>/podman/podman.sock
 * (xdg_runtime_dir may be NULL), written to out as "unix:///PATH". False
 * when none exists (out is then ""). */
bool hull_engine_find(const char *xdg_runtime_dir, char *out, size_t n);

#endif
