/* The engine client (src/engine) against a fake engine on a unix socket
 * (tests/tools/fake_engine.h): URLs it accepts and refuses, the status,
 * size and JSON errors with their kinds and messages, the container walk
 * (404 skipped, other failures stop it, ids checked before they reach a
 * path), and the search for the usual sockets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine/engine.h"
#include "fake_engine.h"
#include "util/json.h"
#include "tap.h"

#define ID_A "2a5797ccd39420acc53f521c01e2c2ab92f3611f18e9d7e26f0812c5009a7621"
#define ID_B "36f2becb7bf7"
#define ID_C "49e5c2ffb60cffce400f9314d64ec6f41b987e61e0ab02e5a2873b7d864e6a24"

static char dir[256], sock[300];

static struct hull_engine *open_ok(const char *url)
{
	struct hull_engine *e = NULL;
	struct hull_err err = {0};
	if (hull_engine_open(url, &e, &err) < 0)
		printf("# open %s: %s\n", url, err.msg);
	return e;
}

static void urls(void)
{
	static const struct {
		const char *url, *want; /* want NULL: refused as usage */
	} cases[] = {
	    {"unix:///run/docker.sock", "unix:///run/docker.sock"},
	    {"/run/docker.sock", "unix:///run/docker.sock"},
	    {"engine.sock", "unix://engine.sock"},
	    {"tcp://127.0.0.1:2375", NULL},
	    {"ssh://user@host", NULL},
	    {"npipe:////./pipe/docker_engine", NULL},
	    {"unix://", NULL},
	    {"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_engine *e = NULL;
		struct hull_err err = {0};
		int rc = hull_engine_open(cases[i].url, &e, &err);
		if (cases[i].want)
			TAP_OK(rc == 0 && !strcmp(hull_engine_url(e), cases[i].want),
			       "'%s' is the engine %s", cases[i].url,
			       e ? hull_engine_url(e) : err.msg);
		else
			TAP_OK(rc < 0 && !e && err.kind == HULL_ERR_USAGE,
			       "'%s' refused as usage: %s", cases[i].url, err.msg);
		hull_engine_free(e);
	}
	char longp[200];
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	struct hull_engine *e = NULL;
	struct hull_err err = {0};
	TAP_OK(hull_engine_open(longp, &e, &err) < 0 && err.kind == HULL_ERR_USAGE,
	       "a path longer than a socket address is refused: %s", err.msg);
}

static void ids(void)
{
	TAP_OK(hull_engine_id_ok(ID_A) && hull_engine_id_ok(ID_B) &&
	           hull_engine_id_ok("ABCDEF012345"),
	       "12 to 64 hex digits pass");
	TAP_OK(!hull_engine_id_ok(NULL) && !hull_engine_id_ok("") && !hull_engine_id_ok("abc") &&
	           !hull_engine_id_ok("../../../../x") && !hull_engine_id_ok("36f2becb7bf7/../x") &&
	           !hull_engine_id_ok("36f2becb7bf7?all=1") && !hull_engine_id_ok(ID_A "0") &&
	           !hull_engine_id_ok("36f2becb7bg7"),
	       "short, long, non-hex and path-like ids are refused");
}

static void no_engine(void)
{
	struct hull_engine *e = open_ok(sock);
	char *body = NULL;
	size_t len;
	struct hull_err err = {0};
	TAP_OK(e && hull_engine_get(e, "/_ping", &body, &len, &err) < 0 &&
	           err.kind == HULL_ERR_IO && strstr(err.msg, "engine unix://") &&
	           strstr(err.msg, "GET /_ping") && !body,
	       "no socket: an I/O error naming the engine and request: %s", err.msg);
	hull_engine_free(e);
}

/* Answers of every kind, one request each. */
static void answers(void)
{
	static const struct fake_route routes[] = {
	    {.path = "/version", .body = "{\"ApiVersion\":\"1.41\"}"},
	    {.path = "/broken", .status = 500, .body = "{\"message\":\"boom\"}"},
	    {.path = "/notjson", .body = "<html>"},
	    {.path = "/cap", .size = HULL_ENGINE_MAX_RESPONSE, .no_length = true},
	    {.path = "/over", .size = HULL_ENGINE_MAX_RESPONSE + 1},
	    {.path = "/over-stream", .size = HULL_ENGINE_MAX_RESPONSE + 1, .no_length = true},
	};
	struct fake_engine *fe = fake_engine_start(sock, routes, sizeof(routes) / sizeof(*routes));
	struct hull_engine *e = open_ok(sock);
	if (!TAP_OK(fe && e, "fake engine on %s", sock))
		return;
	struct hull_err err = {0};
	struct json_object *j = NULL;
	TAP_OK(hull_engine_get_json(e, "/version", &j, &err) == 0 &&
	           !strcmp(hull_json_get_str(j, "ApiVersion"), "1.41"),
	       "GET /version parsed: %s", err.msg);
	json_object_put(j);
	char *body = NULL;
	size_t len = 0;
	TAP_OK(hull_engine_get(e, "/broken", &body, &len, &err) < 0 && err.kind == HULL_ERR_IO &&
	           strstr(err.msg, "GET /broken: HTTP 500") && !body,
	       "HTTP 500 is an I/O error: %s", err.msg);
	TAP_OK(hull_engine_get(e, "/missing", &body, &len, &err) < 0 &&
	           err.kind == HULL_ERR_NOTFOUND && strstr(err.msg, "HTTP 404"),
	       "HTTP 404 is not-found: %s", err.msg);
	TAP_OK(hull_engine_get_json(e, "/notjson", &j, &err) < 0 && err.kind == HULL_ERR_INPUT &&
	           strstr(err.msg, "GET /notjson") && !j,
	       "an answer that is not JSON is an input error naming the request: %s", err.msg);
	TAP_OK(hull_engine_get(e, "/cap", &body, &len, &err) == 0 &&
	           len == HULL_ENGINE_MAX_RESPONSE && body && body[len] == '\0',
	       "an answer of exactly the cap is read whole");
	free(body);
	body = NULL;
	TAP_OK(hull_engine_get(e, "/over", &body, &len, &err) < 0 && err.kind == HULL_ERR_LIMIT &&
	           strstr(err.msg, "answer over 64 MiB") && !body,
	       "an announced length over the cap: %s", err.msg);
	TAP_OK(hull_engine_get(e, "/over-stream", &body, &len, &err) < 0 &&
	           err.kind == HULL_ERR_LIMIT && strstr(err.msg, "GET /over-stream: answer over") &&
	           !body,
	       "a streamed answer over the cap: %s", err.msg);
	TAP_OK(hull_engine_get(e, "version", &body, &len, &err) < 0 && err.kind == HULL_ERR_USAGE,
	       "a path without a leading slash is refused: %s", err.msg);
	hull_engine_free(e);
	fake_engine_stop(fe);
}

struct seen {
	char ids[4][72];
	char names[4][200];
	size_t n;
	int fail_at; /* 1-based call that fails, 0 none */
};

static int collect(void *ctx, const char *id, struct hull_str inspect, const char *name,
                   struct hull_err *err)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", id);
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	}
	s->n++;
	if (!inspect.len || inspect.ptr[0] != '{')
		return hull_err_set(err, HULL_ERR_INPUT, "not an inspect object");
	if (s->fail_at && (int)s->n == s->fail_at)
		return hull_err_set(err, HULL_ERR_INPUT, "stop here");
	return 0;
}

static void walk(void)
{
	const char *list = "[{\"Id\":\"" ID_A "\"},{\"Id\":\"../../../../etc\"},"
	                   "{\"Id\":\"" ID_B "\"},{\"Id\":\"abc\"},{\"Names\":[\"/no-id\"]},"
	                   "{\"Id\":\"36f2becb7bf7/../../x\"},{\"Id\":\"" ID_C "\"}]";
	const struct fake_route routes[] = {
	    {.path = "/containers/json", .body = list},
	    {.path = "/containers/" ID_A "/json", .body = "{\"Id\":\"" ID_A "\"}"},
	    {.path = "/containers/" ID_C "/json", .body = "{\"Id\":\"" ID_C "\"}"},
	};
	struct fake_engine *fe = fake_engine_start(sock, routes, sizeof(routes) / sizeof(*routes));
	struct hull_engine *e = open_ok(sock);
	if (!TAP_OK(fe && e, "fake engine with three containers, one gone"))
		return;
	struct seen s = {0};
	size_t count = 0;
	struct hull_err err = {0};
	int rc = hull_engine_each_container(e, collect, &s, &count, &err);
	TAP_OK(rc == 0 && count == 2 && s.n == 2 && !strcmp(s.ids[0], ID_A) &&
	           !strcmp(s.ids[1], ID_C),
	       "the walk passes the two live containers in list order: %s", err.msg);
	char want[512];
	snprintf(want, sizeof(want), "unix://%s/containers/%s/json", sock, ID_A);
	TAP_OK(!strcmp(s.names[0], want), "each is named by engine and path: %s", s.names[0]);
	TAP_OK(fake_engine_count(fe, "/containers/" ID_B "/json") == 1,
	       "the container gone since the list was asked for once, and skipped");
	TAP_OK(!fake_engine_saw(fe, "..") && !fake_engine_saw(fe, "/abc/") &&
	           fake_engine_requests(fe) == 4,
	       "no other request: ids that are not 12-64 hex digits never reach a path (%zu)",
	       fake_engine_requests(fe));
	struct seen stop = {.fail_at = 1};
	rc = hull_engine_each_container(e, collect, &stop, &count, &err);
	TAP_OK(rc < 0 && stop.n == 1 && !strcmp(err.msg, "stop here") && count == 0,
	       "a failing callback stops the walk with its error: %s", err.msg);
	hull_engine_free(e);
	fake_engine_stop(fe);
}

static void walk_fails(const char *what, const struct fake_route *routes, size_t n,
                       enum hull_err_kind kind, const char *msg)
{
	struct fake_engine *fe = fake_engine_start(sock, routes, n);
	struct hull_engine *e = open_ok(sock);
	struct seen s = {0};
	struct hull_err err = {0};
	int rc = fe && e ? hull_engine_each_container(e, collect, &s, NULL, &err) : 0;
	TAP_OK(rc < 0 && err.kind == kind && strstr(err.msg, msg), "%s: %s", what, err.msg);
	hull_engine_free(e);
	fake_engine_stop(fe);
}

static void walk_errors(void)
{
	const char *one = "[{\"Id\":\"" ID_A "\"},{\"Id\":\"" ID_C "\"}]";
	const struct fake_route inspect500[] = {
	    {.path = "/containers/json", .body = one},
	    {.path = "/containers/" ID_A "/json", .status = 500, .body = "{}"},
	    {.path = "/containers/" ID_C "/json", .body = "{}"},
	};
	walk_fails("an inspect answered with HTTP 500 stops the walk (never skipped)", inspect500,
	           3, HULL_ERR_IO, "GET /containers/" ID_A "/json: HTTP 500");
	const struct fake_route inspect_over[] = {
	    {.path = "/containers/json", .body = one},
	    {.path = "/containers/" ID_A "/json", .size = HULL_ENGINE_MAX_RESPONSE + 1},
	};
	walk_fails("an inspect over the cap stops the walk", inspect_over, 2, HULL_ERR_LIMIT,
	           "answer over 64 MiB");
	const struct fake_route not_array[] = {{.path = "/containers/json", .body = "{}"}};
	walk_fails("a list that is not an array", not_array, 1, HULL_ERR_INPUT,
	           "GET /containers/json: not a JSON array");
	const struct fake_route not_json[] = {{.path = "/containers/json", .body = "[{"}};
	walk_fails("a list that is not JSON", not_json, 1, HULL_ERR_INPUT, "GET /containers/json");
	const struct fake_route list500[] = {{.path = "/containers/json", .status = 503}};
	walk_fails("a list answered with HTTP 503", list500, 1, HULL_ERR_IO, "HTTP 503");
}

static void make_socket(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%.100s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		perror(path);
	if (fd >= 0)
		close(fd);
}

static bool is_socket(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISSOCK(st.st_mode);
}

static void find(void)
{
	char xdg[300], podman[400], out[512];
	bool system = is_socket("/var/run/docker.sock") || is_socket("/run/podman/podman.sock");
	snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
	snprintf(podman, sizeof(podman), "%s/podman", xdg);
	mkdir(xdg, 0700);
	mkdir(podman, 0700);
	bool found = hull_engine_find(xdg, out, sizeof(out));
	TAP_OK(found == system && (found || !out[0]),
	       "no podman socket under XDG_RUNTIME_DIR: only the system sockets count ('%s')", out);
	snprintf(podman, sizeof(podman), "%s/podman/podman.sock", xdg);
	make_socket(podman);
	found = hull_engine_find(xdg, out, sizeof(out));
	char want[512];
	snprintf(want, sizeof(want), "unix://%s", podman);
	TAP_OK(found && (system ? is_socket(out + 7) : !strcmp(out, want)),
	       "the user's podman socket is found after the system ones: %s", out);
	TAP_OK(!hull_engine_find(xdg, out, 8) || system,
	       "a result that does not fit is not returned cut");
	unlink(podman);
	snprintf(podman, sizeof(podman), "%s/podman", xdg);
	rmdir(podman);
	rmdir(xdg);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/hull-engine-XXXXXX");
	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	snprintf(sock, sizeof(sock), "%s/engine.sock", dir);
	urls();
	ids();
	no_engine();
	answers();
	walk();
	walk_errors();
	find();
	rmdir(dir);
	return tap_done();
}
