/* Fuzzes the Docker Engine API answers `hull runtime` reads
 * (hull_runtime_engine): GET /containers/json through the engine client
 * (src/engine, libcurl on a unix socket), then each container's
 * /containers/{id}/json through the inspect front end and the summary.
 *
 * The input is answers separated by a NUL byte: the first answers
 * /containers/json, the next ones the inspect requests in order (an
 * answer starting "404\n" is a 404, one starting "500\n" a 500). A thread
 * of this process serves them on a socket in a private temporary folder. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine/engine.h"
#include "host/runtime.h"
#include "misconfig/model.h"

#define MAX_ANSWERS 16

static struct {
	pthread_mutex_t mu;
	const uint8_t *data;
	size_t size, off; /* the next answer starts at off */
	char url[128];
	int listener;
} srv = {.mu = PTHREAD_MUTEX_INITIALIZER, .listener = -1};

static void write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL); /* the client may be gone */
		if (k <= 0)
			return;
		c += k;
		n -= (size_t)k;
	}
}

/* One connection: reads the request head, answers the next answer. */
static void serve_one(int fd)
{
	char req[4096];
	size_t got = 0;
	while (got < sizeof(req) - 1) {
		ssize_t k = read(fd, req + got, sizeof(req) - 1 - got);
		if (k <= 0)
			break;
		got += (size_t)k;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	/* a copy: the input is gone once the harness returns, which it may do
	 * before this answer is written (the client gave up) */
	pthread_mutex_lock(&srv.mu);
	char *copy = NULL;
	size_t len = 0;
	if (srv.data && srv.off <= srv.size) {
		const char *p = (const char *)srv.data + srv.off;
		const char *nul = memchr(p, 0, srv.size - srv.off);
		len = nul ? (size_t)(nul - p) : srv.size - srv.off;
		srv.off += len + 1;
		copy = malloc(len + 1);
		if (copy)
			memcpy(copy, p, len);
	}
	pthread_mutex_unlock(&srv.mu);
	if (!copy)
		len = 0;
	const char *body = copy ? copy : "";
	int status = 200;
	if (len >= 4 && (!memcmp(body, "404\n", 4) || !memcmp(body, "500\n", 4))) {
		status = body[0] == '4' ? 404 : 500;
		body += 4;
		len -= 4;
	}
	char head[160];
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: "
	                 "%zu\r\nConnection: close\r\n\r\n",
	                 status, len);
	write_all(fd, head, (size_t)n);
	write_all(fd, body, len);
	free(copy);
}

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(srv.listener, NULL, NULL);
		if (fd < 0)
			continue;
		serve_one(fd);
		close(fd);
	}
	return NULL;
}

static char dir[] = "/tmp/hull-fuzz-runtime.XXXXXX";
static struct sockaddr_un addr = {.sun_family = AF_UNIX};

/* Nothing left in /tmp once the harness exits. */
static void remove_socket(void)
{
	unlink(addr.sun_path);
	rmdir(dir);
}

static int start_server(void)
{
	if (!mkdtemp(dir))
		return -1;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/engine.sock", dir);
	addr = a;
	atexit(remove_socket);
	srv.listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.listener < 0 || bind(srv.listener, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(srv.listener, 16) < 0)
		return -1;
	snprintf(srv.url, sizeof(srv.url), "unix://%s", a.sun_path);
	pthread_t t;
	if (pthread_create(&t, NULL, serve, NULL))
		return -1;
	pthread_detach(t);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready = 0;
	if (!ready)
		ready = start_server() == 0 ? 1 : -1;
	if (ready < 0)
		__builtin_trap(); /* no socket: nothing would be tested */
	/* more answers than the engine client asks for are never read */
	size_t answers = 1;
	for (size_t i = 0; i < size; i++)
		if (!data[i] && ++answers > MAX_ANSWERS)
			return 0;
	pthread_mutex_lock(&srv.mu);
	srv.data = data;
	srv.size = size;
	srv.off = 0;
	pthread_mutex_unlock(&srv.mu);

	struct hull_engine *e = NULL;
	struct hull_err err = {0};
	if (hull_engine_open(srv.url, &e, &err) == 0) {
		struct hull_model *m = hull_model_new();
		struct hull_rt_list l = {0};
		if (m && hull_runtime_engine(e, m, &l, &err) < 0 && !err.msg[0])
			__builtin_trap(); /* a failure always says why */
		for (size_t i = 0; i < l.n; i++)
			if (!memchr(l.v[i].id, 0, sizeof(l.v[i].id)) ||
			    !memchr(l.v[i].capeff, 0, sizeof(l.v[i].capeff)))
				__builtin_trap();
		hull_rt_list_release(&l);
		hull_model_free(m);
		hull_engine_free(e);
	}
	pthread_mutex_lock(&srv.mu);
	srv.data = NULL;
	pthread_mutex_unlock(&srv.mu);
	return 0;
}
