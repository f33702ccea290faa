/* fake_engine: a stand-in for the Docker Engine API on a unix socket, for
 * tests of src/engine and of the commands that read an engine (hull
 * runtime, hull network --docker).
 *
 * It answers GET requests from a route table, one connection at a time,
 * on a thread of its own; a path without a route is a 404 with the
 * engine's {"message": ...} body. Every request path is recorded (the
 * first FAKE_ENGINE_MAX_SEEN), so a test can assert what was asked and,
 * as important, what never was. Test code: aborts on set-up failures. */
#ifndef HULL_TESTS_FAKE_ENGINE_H
#define HULL_TESTS_FAKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#define FAKE_ENGINE_MAX_SEEN 256

struct fake_route {
	const char *path; /* "/containers/json"; the query string is ignored */
	int status;       /* 0 means 200 */
	const char *body; /* the answer (copied), or NULL */
	size_t size;      /* with body NULL: an answer of `size` spaces; with a body:
	                     its length (binary: an image export), 0: strlen */
	bool no_length;   /* no Content-Length: the body ends when the socket closes */
};

struct fake_engine;

/* Listens on sock (replaced if it exists) and serves routes (copied).
 * NULL when the socket cannot be made. */
struct fake_engine *fake_engine_start(const char *sock, const struct fake_route *routes, size_t n);
/* Stops the thread, removes the socket, frees everything. */
void fake_engine_stop(struct fake_engine *fe);

/* How many requests asked for exactly path (without the query). */
size_t fake_engine_count(struct fake_engine *fe, const char *path);
/* How many requests there were in all. */
size_t fake_engine_requests(struct fake_engine *fe);
/* Whether any request path contained s. */
bool fake_engine_saw(struct fake_engine *fe, const char *s);

#endif
