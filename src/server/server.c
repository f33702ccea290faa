/* hull serve: listeners, workers, connections, routing, reload (server.h). */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "server/http.h"
#include "server/metrics.h"
#include "server/nslabels.h"

#define MAX_WORKERS 64
#define IN_INITIAL  4096
#define IN_KEEP     65536 /* an idle connection's buffer shrinks back below this */

struct cfg_ref {
	struct hull_review_cfg *cfg;
	atomic_int refs;
};

struct listener {
	int fd;
	bool tls;
	char desc[160];
};

struct conn;
static void conn_drive(struct conn *c);

struct worker {
	struct srv *s;
	pthread_t th;
	int ep, evfd;
	struct conn *head; /* every connection of this worker */
	char scratch[16384];
};

struct conn {
	struct worker *w;
	struct conn *prev, *next;
	int fd;
	SSL *ssl; /* NULL on the unix socket */
	bool handshaken, closing, sent_continue;
	char *in;
	size_t in_len, in_cap;
	struct hull_buf out;
	size_t out_off;
	uint64_t deadline;  /* ms, CLOCK_MONOTONIC */
	uint64_t req_start; /* first byte of the request being read; 0 none */
};

struct watched {
	const char *path;
	struct timespec mtime;
	off_t size;
};

struct srv {
	const struct hull_server_opts *o;
	struct hull_http_limits limits;
	size_t in_max;
	struct listener lis[2];
	size_t nlis;
	pthread_mutex_t mu; /* ctx and cfg */
	SSL_CTX *ctx;
	struct cfg_ref *cfg;
	pthread_mutex_t log_mu;
	struct hull_metrics *metrics;
	atomic_uint nconns;
	struct worker *workers;
	unsigned nworkers;
	struct watched watch[4];
	size_t nwatch;
	struct hull_ns_store *ns; /* namespaces' pod-security labels, across reloads */
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- logging --------------------------------------------------------- */

static void log_write(struct srv *s, const char *line, size_t len)
{
	if (s->o->log_fd < 0)
		return;
	pthread_mutex_lock(&s->log_mu);
	while (len) {
		ssize_t n = write(s->o->log_fd, line, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		line += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&s->log_mu);
}

__attribute__((format(printf, 3, 4))) static void slog(struct srv *s, const char *level,
                                                       const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_string(ts));
	json_object_object_add(o, "level", json_object_new_string(level));
	json_object_object_add(o, "msg", json_object_new_string(msg));
	const char *str = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE);
	char line[4096];
	int n = snprintf(line, sizeof(line), "%s\n", str ? str : "{}");
	if (n > 0)
		log_write(s, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	json_object_put(o);
}

static void openssl_error(struct hull_err *err, const char *what, const char *path)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "unknown error";
	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	hull_err_set(err, HULL_ERR_INPUT, "%s %s: %s", what, path, buf);
}

/* ---- configuration (TLS, review) -------------------------------------- */

static SSL_CTX *tls_load(const char *cert, const char *key, struct hull_err *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		openssl_error(err, "TLS", "context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	                             SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
	                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* TLS 1.2: forward-secret AEAD suites only */
	SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5:!SHA1");
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		openssl_error(err, "TLS certificate", cert);
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		openssl_error(err, "TLS key", key);
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static struct cfg_ref *cfg_get(struct srv *s)
{
	pthread_mutex_lock(&s->mu);
	struct cfg_ref *r = s->cfg;
	atomic_fetch_add(&r->refs, 1);
	pthread_mutex_unlock(&s->mu);
	return r;
}

static void cfg_put(struct cfg_ref *r)
{
	if (r && atomic_fetch_sub(&r->refs, 1) == 1) {
		hull_review_cfg_free(r->cfg);
		free(r);
	}
}

static int cfg_load(struct srv *s, struct hull_err *err)
{
	struct hull_review_cfg *c;
	struct hull_review_opts ro = s->o->review;
	ro.ns_store = s->ns;
	if (hull_review_cfg_load(&ro, &c, err) < 0)
		return -1;
	struct cfg_ref *r = calloc(1, sizeof(*r));
	if (!r) {
		hull_review_cfg_free(c);
		return hull_err_nomem(err);
	}
	r->cfg = c;
	atomic_init(&r->refs, 1);
	pthread_mutex_lock(&s->mu);
	struct cfg_ref *old = s->cfg;
	s->cfg = r;
	pthread_mutex_unlock(&s->mu);
	cfg_put(old);
	struct hull_buf b;
	hull_buf_init(&b, 4096);
	hull_review_cfg_describe(c, &b);
	slog(s, "info", "review configuration: %s", b.data ? b.data : "");
	hull_buf_release(&b);
	return 0;
}

static int tls_reload(struct srv *s, struct hull_err *err)
{
	if (!s->o->listen)
		return 0;
	SSL_CTX *ctx = tls_load(s->o->tls_cert, s->o->tls_key, err);
	if (!ctx)
		return -1;
	pthread_mutex_lock(&s->mu);
	SSL_CTX *old = s->ctx;
	s->ctx = ctx;
	pthread_mutex_unlock(&s->mu);
	SSL_CTX_free(old); /* open connections hold their own reference */
	return 0;
}

static void watch_snapshot(struct srv *s, bool *changed)
{
	*changed = false;
	for (size_t i = 0; i < s->nwatch; i++) {
		struct stat st;
		struct watched *w = &s->watch[i];
		if (stat(w->path, &st) < 0)
			continue; /* mid-rename: look again next time */
		if (st.st_mtim.tv_sec != w->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != w->mtime.tv_nsec || st.st_size != w->size) {
			*changed = true;
			w->mtime = st.st_mtim;
			w->size = st.st_size;
		}
	}
}

static void watch_add(struct srv *s, const char *path)
{
	if (path && s->nwatch < sizeof(s->watch) / sizeof(s->watch[0]))
		s->watch[s->nwatch++] = (struct watched){.path = path};
}

static void reload_all(struct srv *s, const char *why)
{
	struct hull_err err = {0};
	bool ok = true;
	if (tls_reload(s, &err) < 0) {
		slog(s, "error", "reload (%s): %s; keeping the previous certificate", why, err.msg);
		ok = false;
	}
	if (cfg_load(s, &err) < 0) {
		slog(s, "error", "reload (%s): %s; keeping the previous policy", why, err.msg);
		ok = false;
	}
	hull_metrics_reload(s->metrics, ok);
	if (ok)
		slog(s, "info", "reloaded certificate, key and policy (%s)", why);
}

/* ---- listeners ------------------------------------------------------- */

static int listen_tcp(struct srv *s, const char *spec, struct hull_err *err)
{
	char host[256] = "", port[32];
	const char *colon = strrchr(spec, ':');
	if (!colon || !colon[1] || strlen(colon + 1) >= sizeof(port))
		return hull_err_set(err, HULL_ERR_USAGE, "--listen %s: expected HOST:PORT or :PORT",
		                    spec);
	snprintf(port, sizeof(port), "%s", colon + 1);
	size_t hl = (size_t)(colon - spec);
	if (hl >= sizeof(host))
		return hull_err_set(err, HULL_ERR_USAGE, "--listen %s: host too long", spec);
	memcpy(host, spec, hl);
	host[hl] = 0;
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = 0;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
	                *ai = NULL;
	int rc = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (rc)
		return hull_err_set(err, HULL_ERR_USAGE, "--listen %s: %s", spec, gai_strerror(rc));
	/* without a host, prefer the IPv6 wildcard (dual stack) */
	struct addrinfo *pick = ai;
	for (struct addrinfo *a = ai; !*host && a; a = a->ai_next)
		if (a->ai_family == AF_INET6)
			pick = a;
	int fd = socket(pick->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, zero = 0;
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (pick->ai_family == AF_INET6 && !*host)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	}
	if (fd < 0 || bind(fd, pick->ai_addr, pick->ai_addrlen) < 0 || listen(fd, 4096) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return hull_err_errno(err, e, "--listen %s", spec);
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned p = 0;
	if (!getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
			p = ntohs(in->sin_port);
		} else {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
			p = ntohs(in6->sin6_port);
		}
	}
	struct listener *l = &s->lis[s->nlis++];
	l->fd = fd;
	l->tls = true;
	snprintf(l->desc, sizeof(l->desc),
	         ss.ss_family == AF_INET6 ? "https://[%s]:%u" : "https://%s:%u", addr, p);
	return 0;
}

static int listen_unix(struct srv *s, const char *path, struct hull_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return hull_err_set(err, HULL_ERR_USAGE, "--docker-authz %s: path too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	struct stat st;
	/* a stale socket from an earlier run; never remove anything else */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--docker-authz %s: exists and is not a socket", path);
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	mode_t old = umask(0077); /* only root (the daemon) may talk to it */
	int rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, 4096) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return hull_err_errno(err, e, "--docker-authz %s", path);
	}
	struct listener *l = &s->lis[s->nlis++];
	l->fd = fd;
	l->tls = false;
	snprintf(l->desc, sizeof(l->desc), "unix:%s", path);
	return 0;
}

/* ---- connections ----------------------------------------------------- */

static void conn_close(struct conn *c)
{
	struct worker *w = c->w;
	epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->ssl) {
		if (c->handshaken && !c->closing)
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c->in);
	hull_buf_release(&c->out);
	free(c);
	atomic_fetch_sub(&w->s->nconns, 1);
	hull_metrics_conn(w->s->metrics, -1);
}

static void accept_all(struct worker *w, struct listener *l)
{
	struct srv *s = w->s;
	for (int i = 0; i < 64; i++) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or another worker took it, or EMFILE */
		unsigned limit = s->o->max_conns ? s->o->max_conns : 10000;
		if (atomic_fetch_add(&s->nconns, 1) >= limit) {
			atomic_fetch_sub(&s->nconns, 1);
			hull_metrics_rejected(s->metrics);
			close(fd);
			continue;
		}
		struct conn *c = calloc(1, sizeof(*c));
		if (!c) {
			atomic_fetch_sub(&s->nconns, 1);
			close(fd);
			continue;
		}
		c->w = w;
		c->fd = fd;
		hull_buf_init(&c->out, HULL_SERVER_ANSWER_MAX + 4096);
		if (l->tls) {
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			pthread_mutex_lock(&s->mu);
			c->ssl = SSL_new(s->ctx);
			pthread_mutex_unlock(&s->mu);
			if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
				SSL_free(c->ssl);
				free(c);
				close(fd);
				atomic_fetch_sub(&s->nconns, 1);
				continue;
			}
			SSL_set_accept_state(c->ssl);
		} else {
			c->handshaken = true;
		}
		c->deadline = now_ms() + (s->o->read_timeout_ms ? s->o->read_timeout_ms : 10000);
		c->next = w->head;
		if (w->head)
			w->head->prev = c;
		w->head = c;
		hull_metrics_conn(s->metrics, +1);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		                         .data.ptr = c};
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			conn_close(c);
			continue;
		}
		conn_drive(c);
	}
}

/* Reads into c->in. Returns >0 bytes read, 0 would block, -1 closed/error. */
static ssize_t conn_read(struct conn *c, size_t room)
{
	if (c->ssl) {
		int n =
		    SSL_read(c->ssl, c->in + c->in_len, room > INT32_MAX ? INT32_MAX : (int)room);
		if (n > 0)
			return n;
		int e = SSL_get_error(c->ssl, n);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return 0;
		ERR_clear_error();
		c->closing = e != SSL_ERROR_ZERO_RETURN; /* no close_notify after an error */
		return -1;
	}
	ssize_t n = read(c->fd, c->in + c->in_len, room);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

/* Writes what is pending. Returns 1 all written, 0 would block, -1 error. */
static int conn_flush(struct conn *c)
{
	while (c->out_off < c->out.len) {
		size_t left = c->out.len - c->out_off;
		if (c->ssl) {
			int n = SSL_write(c->ssl, c->out.data + c->out_off,
			                  left > INT32_MAX ? INT32_MAX : (int)left);
			if (n <= 0) {
				int e = SSL_get_error(c->ssl, n);
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
					return 0;
				ERR_clear_error();
				c->closing = true;
				return -1;
			}
			c->out_off += (size_t)n;
		} else {
			ssize_t n = send(c->fd, c->out.data + c->out_off, left, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				return -1;
			}
			c->out_off += (size_t)n;
		}
	}
	hull_buf_reset(&c->out);
	c->out_off = 0;
	return 1;
}

static void respond(struct conn *c, int status, const char *ctype, const char *body, size_t len,
                    bool close_after)
{
	hull_buf_printf(&c->out, NULL,
	                "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n",
	                status, hull_http_reason(status), ctype, len,
	                close_after ? "Connection: close\r\n" : "");
	hull_buf_append(&c->out, body, len, NULL);
	if (close_after)
		c->closing = true;
}

static void respond_error(struct conn *c, int status, const char *msg, bool close_after)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "status", json_object_new_int(status));
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                      JSON_C_TO_STRING_NOSLASHESCAPE);
	respond(c, status, "application/json", s, strlen(s), close_after);
	json_object_put(o);
}

static void log_decision(struct srv *s, struct hull_decision *d)
{
	if (d->log.len && s->o->on_decision)
		s->o->on_decision(s->o->on_decision_ctx, d->log.data, d->log.len);
	if (!s->o->log_decisions || !d->log.len)
		return;
	hull_buf_putc(&d->log, '\n', NULL);
	log_write(s, d->log.data, d->log.len);
}

#define FLEET_PREFIX    "/v1/fleet/"
#define FLEET_PARAM_MAX 1024u /* the path after the prefix, the query string */

static void fleet(struct conn *c, struct hull_http_req *req, bool close_after)
{
	const struct hull_server_opts *o = c->w->s->o;
	if (!hull_str_eq_c(req->method, "GET") && !hull_str_eq_c(req->method, "HEAD"))
		return respond_error(c, 405, "use GET", close_after);
	size_t pl = sizeof(FLEET_PREFIX) - 1;
	if (req->path.len - pl >= FLEET_PARAM_MAX || req->query.len >= FLEET_PARAM_MAX)
		return respond_error(c, 414, "fleet query: path or query string too long",
		                     close_after);
	char what[FLEET_PARAM_MAX], query[FLEET_PARAM_MAX];
	memcpy(what, req->path.ptr + pl, req->path.len - pl);
	what[req->path.len - pl] = '\0';
	if (req->query.len)
		memcpy(query, req->query.ptr, req->query.len);
	query[req->query.len] = '\0';
	struct hull_buf b;
	hull_buf_init(&b, HULL_SERVER_ANSWER_MAX);
	int status = o->fleet_get(o->fleet_get_ctx, what, query, &b);
	if (status == 200)
		respond(c, status, "application/json", b.data ? b.data : "", b.len, close_after);
	else
		respond_error(c, status, b.data ? b.data : "fleet query failed", close_after);
	hull_buf_release(&b);
}

static void handle(struct conn *c, struct hull_http_req *req)
{
	struct srv *s = c->w->s;
	uint64_t t0 = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	bool close_after = !req->keep_alive;
	bool get = hull_str_eq_c(req->method, "GET") || hull_str_eq_c(req->method, "HEAD");
	bool post = hull_str_eq_c(req->method, "POST");
	enum hull_endpoint ep = HULL_EP_OTHER;
	struct hull_str path = req->path;

	if (hull_str_eq_c(path, "/healthz") || hull_str_eq_c(path, "/readyz")) {
		if (!get)
			return respond_error(c, 405, "use GET", close_after);
		return respond(c, 200, "text/plain; charset=utf-8", "ok\n", 3, close_after);
	}
	if (hull_str_eq_c(path, "/metrics")) {
		if (!get)
			return respond_error(c, 405, "use GET", close_after);
		struct hull_buf b;
		hull_buf_init(&b, 4u << 20);
		hull_metrics_write(s->metrics, &b);
		if (s->o->extra_metrics)
			s->o->extra_metrics(s->o->extra_metrics_ctx, &b);
		respond(c, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "",
		        b.len, close_after);
		hull_buf_release(&b);
		return;
	}
	if (path.len > sizeof(FLEET_PREFIX) - 1 &&
	    !memcmp(path.ptr, FLEET_PREFIX, sizeof(FLEET_PREFIX) - 1) && s->o->fleet_get)
		return fleet(c, req, close_after);
	if (hull_str_eq_c(path, "/Plugin.Activate")) {
		if (!post)
			return respond_error(c, 405, "use POST", close_after);
		static const char act[] = "{\"Implements\":[\"authz\"]}";
		return respond(c, 200, "application/vnd.docker.plugins.v1+json", act,
		               sizeof(act) - 1, close_after);
	}
	if (hull_str_eq_c(path, "/validate"))
		ep = HULL_EP_VALIDATE;
	else if (hull_str_eq_c(path, "/AuthZPlugin.AuthZReq"))
		ep = HULL_EP_AUTHZ_REQ;
	else if (hull_str_eq_c(path, "/AuthZPlugin.AuthZRes"))
		ep = HULL_EP_AUTHZ_RES;
	else
		return respond_error(c, 404, "no such endpoint", close_after);
	if (!post)
		return respond_error(c, 405, "use POST", close_after);

	struct cfg_ref *cr = cfg_get(s);
	struct hull_buf resp;
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	struct hull_decision d = {0};
	struct hull_err err = {0};
	int rc;
	if (ep == HULL_EP_VALIDATE)
		rc = hull_review_admission(cr->cfg, req->body.ptr ? req->body.ptr : "",
		                           req->body.len, &resp, &d, &err);
	else if (ep == HULL_EP_AUTHZ_REQ)
		rc = hull_review_authz_req(cr->cfg, req->body.ptr ? req->body.ptr : "",
		                           req->body.len, &resp, &d, &err);
	else {
		hull_buf_init(&d.log, 1);
		d.allowed = d.exempt = true;
		rc = hull_review_authz_res(req->body.ptr ? req->body.ptr : "", req->body.len, &resp,
		                           &err);
	}
	cfg_put(cr);
	enum hull_outcome outcome;
	if (rc < 0) {
		outcome = HULL_OUT_BAD_REQUEST;
		respond_error(c,
		              err.kind == HULL_ERR_NOMEM   ? 500
		              : err.kind == HULL_ERR_LIMIT ? 413
		                                           : 400,
		              err.msg, close_after);
	} else {
		outcome = d.internal_error ? HULL_OUT_ERROR
		          : d.allowed      ? HULL_OUT_ALLOWED
		                           : HULL_OUT_DENIED;
		respond(c, 200,
		        ep == HULL_EP_VALIDATE ? "application/json"
		                               : "application/vnd.docker.plugins.v1+json",
		        resp.data ? resp.data : "", resp.len, close_after);
		log_decision(s, &d);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t t1 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	hull_metrics_request(s->metrics, ep, outcome, d.dry_run, d.denied, d.ndenied, t1 - t0);
	hull_decision_release(&d);
	hull_buf_release(&resp);
}

static bool grow_in(struct conn *c, size_t max)
{
	if (c->in_len < c->in_cap)
		return true;
	if (c->in_cap >= max)
		return false;
	size_t cap = c->in_cap ? c->in_cap * 2 : IN_INITIAL;
	if (cap > max)
		cap = max;
	char *p = realloc(c->in, cap);
	if (!p)
		return false;
	c->in = p;
	c->in_cap = cap;
	return true;
}

/* Parses and answers every complete request in c->in. */
static void process(struct conn *c)
{
	struct srv *s = c->w->s;
	struct hull_http_req req;
	while (c->in_len && !c->closing) {
		int status = 0;
		bool head_done = false;
		struct hull_err err = {0};
		int rc =
		    hull_http_parse(c->in, c->in_len, &s->limits, &req, &head_done, &status, &err);
		if (rc == HULL_HTTP_MORE) {
			if (head_done && req.expect_continue && !c->sent_continue) {
				hull_buf_append_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n", NULL);
				c->sent_continue = true;
			}
			if (!c->req_start)
				c->req_start = now_ms();
			return;
		}
		if (rc < 0) {
			hull_metrics_http_error(s->metrics);
			respond_error(c, status, err.msg, true);
			return;
		}
		handle(c, &req);
		memmove(c->in, c->in + req.consumed, c->in_len - req.consumed);
		c->in_len -= req.consumed;
		c->req_start = c->in_len ? now_ms() : 0;
		c->sent_continue = false;
	}
	if (!c->in_len && c->in_cap > IN_KEEP) {
		free(c->in);
		c->in = NULL;
		c->in_cap = 0;
	}
}

static void set_deadline(struct conn *c)
{
	const struct hull_server_opts *o = c->w->s->o;
	uint64_t rt = o->read_timeout_ms ? o->read_timeout_ms : 10000;
	uint64_t it = o->idle_timeout_ms ? o->idle_timeout_ms : 60000;
	if (!c->handshaken)
		return; /* the accept deadline stands */
	if (c->out.len > c->out_off || c->req_start)
		c->deadline = (c->req_start ? c->req_start : now_ms()) + rt;
	else
		c->deadline = now_ms() + it;
}

static void conn_drive(struct conn *c)
{
	struct srv *s = c->w->s;
	if (!c->handshaken) {
		int r = SSL_do_handshake(c->ssl);
		if (r != 1) {
			int e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
				return;
			ERR_clear_error();
			hull_metrics_tls_error(s->metrics);
			c->closing = true;
			conn_close(c);
			return;
		}
		c->handshaken = true;
	}
	for (;;) {
		int f = conn_flush(c);
		if (f < 0) {
			conn_close(c);
			return;
		}
		if (f == 0)
			break; /* wait for EPOLLOUT */
		if (c->closing) {
			conn_close(c);
			return;
		}
		if (!grow_in(c, s->in_max)) {
			/* the parser caps heads and bodies below in_max: only OOM gets here */
			respond_error(c, 413, "request too large", true);
			continue;
		}
		ssize_t n = conn_read(c, c->in_cap - c->in_len);
		if (n < 0) {
			conn_close(c);
			return;
		}
		if (n == 0)
			break;
		c->in_len += (size_t)n;
		if (!c->req_start)
			c->req_start = now_ms();
		process(c);
	}
	set_deadline(c);
}

static void expire(struct worker *w, uint64_t now)
{
	for (struct conn *c = w->head, *next; c; c = next) {
		next = c->next;
		if (c->deadline > now)
			continue;
		hull_metrics_timeout(w->s->metrics);
		if (c->handshaken && c->req_start && c->out.len == c->out_off) {
			/* best effort: tell a slow client why */
			respond_error(c, 408, "request not received in time", true);
			conn_flush(c);
		}
		c->closing = true;
		conn_close(c);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[128];
	uint64_t last = now_ms();
	for (;;) {
		int n = epoll_wait(w->ep, evs, 128, 250);
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;
			if (p == w) { /* the stop event */
				while (w->head)
					conn_close(w->head);
				return NULL;
			}
			if (p >= (void *)&w->s->lis[0] && p < (void *)&w->s->lis[w->s->nlis]) {
				accept_all(w, p);
				continue;
			}
			conn_drive(p);
		}
		uint64_t now = now_ms();
		if (now - last >= 250) {
			expire(w, now);
			last = now;
		}
	}
}

/* ---- run ------------------------------------------------------------- */

static int start_workers(struct srv *s, struct hull_err *err)
{
	unsigned n = s->o->threads;
	if (!n) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	s->workers = calloc(n, sizeof(*s->workers));
	if (!s->workers)
		return hull_err_nomem(err);
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &s->workers[i];
		w->s = s;
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (w->ep < 0 || w->evfd < 0)
			return hull_err_errno(err, errno, "epoll");
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};
		epoll_ctl(w->ep, EPOLL_CTL_ADD, w->evfd, &ev);
		for (size_t l = 0; l < s->nlis; l++) {
			struct epoll_event le = {.events = EPOLLIN | EPOLLEXCLUSIVE,
			                         .data.ptr = &s->lis[l]};
			if (epoll_ctl(w->ep, EPOLL_CTL_ADD, s->lis[l].fd, &le) < 0)
				return hull_err_errno(err, errno, "epoll");
		}
		if (pthread_create(&w->th, NULL, worker_main, w)) {
			close(w->ep);
			close(w->evfd);
			w->ep = w->evfd = -1;
			return hull_err_set(err, HULL_ERR_NOMEM, "cannot start a worker thread");
		}
		s->nworkers++;
	}
	return 0;
}

static void stop_workers(struct srv *s)
{
	for (unsigned i = 0; i < s->nworkers; i++) {
		uint64_t one = 1;
		if (write(s->workers[i].evfd, &one, sizeof(one)) < 0)
			continue;
	}
	for (unsigned i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i].th, NULL);
	for (unsigned i = 0; s->workers && i < (s->nworkers ? s->nworkers : 0); i++) {
		close(s->workers[i].ep);
		close(s->workers[i].evfd);
	}
	free(s->workers);
}

int hull_server_run(const struct hull_server_opts *o, volatile sig_atomic_t *stop,
                    volatile sig_atomic_t *reload, struct hull_err *err)
{
	if (!o->listen && !o->authz_socket)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "nothing to serve: give --listen and/or "
		                    "--docker-authz");
	if (o->listen && (!o->tls_cert || !o->tls_key))
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--listen needs --tls-cert and --tls-key (HTTPS only)");
	struct srv s = {.o = o};
	size_t max_body = o->max_body ? o->max_body : HULL_REVIEW_MAX_BODY;
	s.limits =
	    (struct hull_http_limits){.max_head = 16384, .max_headers = 64, .max_body = max_body};
	s.in_max = s.limits.max_head + max_body + max_body / 8 + 4096;
	pthread_mutex_init(&s.mu, NULL);
	pthread_mutex_init(&s.log_mu, NULL);
	int rc = -1;
	if (!(s.metrics = hull_metrics_new()) || !(s.ns = hull_ns_store_new())) {
		hull_err_nomem(err);
		goto out;
	}
	if (cfg_load(&s, err) < 0)
		goto out;
	if (o->listen && tls_reload(&s, err) < 0)
		goto out;
	if (o->listen && listen_tcp(&s, o->listen, err) < 0)
		goto out;
	if (o->authz_socket && listen_unix(&s, o->authz_socket, err) < 0)
		goto out;
	if (o->listen) {
		watch_add(&s, o->tls_cert);
		watch_add(&s, o->tls_key);
	}
	watch_add(&s, o->review.policy_path);
	watch_add(&s, o->review.admission_path);
	bool changed;
	watch_snapshot(&s, &changed);
	if (start_workers(&s, err) < 0) {
		stop_workers(&s);
		goto out;
	}
	for (size_t i = 0; i < s.nlis; i++)
		slog(&s, "info", "listening on %s", s.lis[i].desc);
	uint64_t watch_ms = o->watch_ms ? o->watch_ms : 2000, last = now_ms();
	while (!*stop) {
		struct timespec ts = {0, 100 * 1000000};
		nanosleep(&ts, NULL);
		if (reload && *reload) {
			*reload = 0;
			watch_snapshot(&s, &changed);
			reload_all(&s, "SIGHUP");
		} else if (now_ms() - last >= watch_ms) {
			last = now_ms();
			watch_snapshot(&s, &changed);
			if (changed)
				reload_all(&s, "file change");
		}
	}
	slog(&s, "info", "stopping");
	stop_workers(&s);
	rc = 0;
out:
	for (size_t i = 0; i < s.nlis; i++) {
		close(s.lis[i].fd);
		if (!s.lis[i].tls && o->authz_socket)
			unlink(o->authz_socket);
	}
	SSL_CTX_free(s.ctx);
	cfg_put(s.cfg);
	hull_metrics_free(s.metrics);
	hull_ns_store_free(s.ns);
	pthread_mutex_destroy(&s.mu);
	pthread_mutex_destroy(&s.log_mu);
	return rc;
}
