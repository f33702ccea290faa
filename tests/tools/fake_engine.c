#include "fake_engine.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct fake_engine {
	int listen_fd, stop_pipe[2];
	pthread_t thread;
	pthread_mutex_t lock;
	struct fake_route *routes;
	size_t nroutes;
	char *seen[FAKE_ENGINE_MAX_SEEN];
	size_t nseen, nrequests;
	char *sock;
};

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return; /* the client hung up (a capped answer): fine */
		p += k;
		n -= (size_t)k;
	}
}

static void send_spaces(int fd, size_t n)
{
	static char chunk[1 << 16];
	if (!chunk[0])
		memset(chunk, ' ', sizeof(chunk));
	while (n) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
		ssize_t w = send(fd, chunk, k, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		n -= (size_t)w;
	}
}

static const struct fake_route *find(struct fake_engine *fe, const char *path)
{
	for (size_t i = 0; i < fe->nroutes; i++)
		if (!strcmp(fe->routes[i].path, path))
			return &fe->routes[i];
	return NULL;
}

static void record(struct fake_engine *fe, const char *path)
{
	pthread_mutex_lock(&fe->lock);
	fe->nrequests++;
	if (fe->nseen < FAKE_ENGINE_MAX_SEEN)
		fe->seen[fe->nseen++] = strdup(path);
	pthread_mutex_unlock(&fe->lock);
}

/* "GET /path?query HTTP/1.1" -> "/path" in path; false for anything else. */
static bool request_path(const char *req, char *path, size_t n)
{
	if (strncmp(req, "GET ", 4))
		return false;
	size_t len = strcspn(req + 4, " ?\r\n");
	if (len == 0 || len >= n)
		return false;
	memcpy(path, req + 4, len);
	path[len] = '\0';
	return true;
}

static void answer(struct fake_engine *fe, int fd)
{
	char req[16384], path[4096], head[256];
	size_t got = 0;
	while (got < sizeof(req) - 1) {
		ssize_t k = recv(fd, req + got, sizeof(req) - 1 - got, 0);
		if (k <= 0)
			break;
		got += (size_t)k;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[got] = '\0';
	if (!request_path(req, path, sizeof(path)))
		return;
	record(fe, path);
	const struct fake_route *r = find(fe, path);
	static const char missing[] = "{\"message\":\"no such container\"}";
	int status = r ? (r->status ? r->status : 200) : 404;
	const char *body = r ? r->body : missing;
	size_t len = body && !(r && r->body && r->size) ? strlen(body) : r->size;
	if (r && r->no_length)
		snprintf(head, sizeof(head),
		         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		         "Connection: close\r\n\r\n",
		         status);
	else
		snprintf(head, sizeof(head),
		         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		         status, len);
	send_all(fd, head, strlen(head));
	if (body)
		send_all(fd, body, len);
	else
		send_spaces(fd, len);
}

static void *serve(void *arg)
{
	struct fake_engine *fe = arg;
	for (;;) {
		struct pollfd p[2] = {{fe->listen_fd, POLLIN, 0}, {fe->stop_pipe[0], POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		int fd = accept(fe->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		answer(fe, fd);
		shutdown(fd, SHUT_RDWR);
		close(fd);
	}
	return NULL;
}

static int listen_on(const char *sock)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(sock) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, sock);
	unlink(sock);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct fake_engine *fake_engine_start(const char *sock, const struct fake_route *routes, size_t n)
{
	struct fake_engine *fe = calloc(1, sizeof(*fe));
	if (!fe)
		abort();
	fe->listen_fd = listen_on(sock);
	if (fe->listen_fd < 0 || pipe(fe->stop_pipe) < 0) {
		if (fe->listen_fd >= 0)
			close(fe->listen_fd);
		free(fe);
		return NULL;
	}
	fe->sock = strdup(sock);
	fe->routes = calloc(n ? n : 1, sizeof(*fe->routes));
	if (!fe->sock || !fe->routes)
		abort();
	for (size_t i = 0; i < n; i++) {
		fe->routes[i] = routes[i];
		fe->routes[i].path = strdup(routes[i].path);
		size_t blen = routes[i].body && routes[i].size ? routes[i].size
		              : routes[i].body                 ? strlen(routes[i].body) + 1
		                                               : 0;
		char *copy = blen ? malloc(blen) : NULL;
		if (copy)
			memcpy(copy, routes[i].body, blen);
		fe->routes[i].body = copy;
		if (!fe->routes[i].path || (routes[i].body && !fe->routes[i].body))
			abort();
	}
	fe->nroutes = n;
	pthread_mutex_init(&fe->lock, NULL);
	if (pthread_create(&fe->thread, NULL, serve, fe) != 0)
		abort();
	return fe;
}

void fake_engine_stop(struct fake_engine *fe)
{
	if (!fe)
		return;
	if (write(fe->stop_pipe[1], "x", 1) != 1)
		abort();
	pthread_join(fe->thread, NULL);
	close(fe->listen_fd);
	close(fe->stop_pipe[0]);
	close(fe->stop_pipe[1]);
	unlink(fe->sock);
	for (size_t i = 0; i < fe->nroutes; i++) {
		free((char *)fe->routes[i].path);
		free((char *)fe->routes[i].body);
	}
	for (size_t i = 0; i < fe->nseen; i++)
		free(fe->seen[i]);
	pthread_mutex_destroy(&fe->lock);
	free(fe->routes);
	free(fe->sock);
	free(fe);
}

size_t fake_engine_count(struct fake_engine *fe, const char *path)
{
	size_t n = 0;
	pthread_mutex_lock(&fe->lock);
	for (size_t i = 0; i < fe->nseen; i++)
		n += !strcmp(fe->seen[i], path);
	pthread_mutex_unlock(&fe->lock);
	return n;
}

size_t fake_engine_requests(struct fake_engine *fe)
{
	pthread_mutex_lock(&fe->lock);
	size_t n = fe->nrequests;
	pthread_mutex_unlock(&fe->lock);
	return n;
}

bool fake_engine_saw(struct fake_engine *fe, const char *s)
{
	bool hit = false;
	pthread_mutex_lock(&fe->lock);
	for (size_t i = 0; i < fe->nseen && !hit; i++)
		hit = strstr(fe->seen[i], s) != NULL;
	pthread_mutex_unlock(&fe->lock);
	return hit;
}
