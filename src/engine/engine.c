#include "engine/engine.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/json.h"

struct hull_engine {
	CURL *curl;
	char url[HULL_ENGINE_URL_MAX]; /* "unix://" + path */
	const char *path;              /* into url */
};

/* The scheme of url ("tcp" in "tcp://x"), or an empty slice for a path. */
static struct hull_str scheme_of(const char *url)
{
	const char *sep = strstr(url, "://");
	if (!sep || memchr(url, '/', (size_t)(sep - url)))
		return hull_str(url, 0);
	return hull_str(url, (size_t)(sep - url));
}

int hull_engine_open(const char *url, struct hull_engine **out, struct hull_err *err)
{
	*out = NULL;
	struct hull_str scheme = scheme_of(url ? url : "");
	const char *path = url ? url + (scheme.len ? scheme.len + 3 : 0) : "";
	if (scheme.len && !hull_str_eq_c(scheme, "unix"))
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "engine %s: only unix sockets are supported (unix:///PATH)",
		                    url);
	if (!*path || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return hull_err_set(err, HULL_ERR_USAGE, "engine '%s': no usable socket path",
		                    url ? url : "");
	struct hull_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return hull_err_nomem(err);
	snprintf(e->url, sizeof(e->url), "unix://%s", path);
	e->path = e->url + 7;
	/* refcounted by libcurl; vulndb's updater initialises it too */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(e);
		return hull_err_set(err, HULL_ERR_IO, "libcurl initialisation failed");
	}
	e->curl = curl_easy_init();
	if (!e->curl) {
		curl_global_cleanup();
		free(e);
		return hull_err_nomem(err);
	}
	*out = e;
	return 0;
}

void hull_engine_free(struct hull_engine *e)
{
	if (!e)
		return;
	curl_easy_cleanup(e->curl);
	curl_global_cleanup();
	free(e);
}

const char *hull_engine_url(const struct hull_engine *e)
{
	return e->url;
}

struct sink {
	struct hull_buf b;
	bool over;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	struct hull_err ignored;
	if (hull_buf_append(&s->b, p, size * n, &ignored) < 0) {
		s->over = true;
		return 0; /* aborts the transfer */
	}
	return size * n;
}

static void set_options(CURL *c, const char *socket, const char *url, struct sink *s)
{
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HULL_ENGINE_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, HULL_ENGINE_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	/* an announced length over the cap fails before any byte is read */
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HULL_ENGINE_MAX_RESPONSE);
}

static int status_error(const struct hull_engine *e, const char *path, CURLcode rc, bool over,
                        long status, struct hull_err *err)
{
	if (over || rc == CURLE_FILESIZE_EXCEEDED)
		return hull_err_set(err, HULL_ERR_LIMIT, "engine %s: GET %s: answer over %u MiB",
		                    e->url, path, HULL_ENGINE_MAX_RESPONSE >> 20);
	if (rc != CURLE_OK)
		return hull_err_set(err, HULL_ERR_IO, "engine %s: GET %s: %s", e->url, path,
		                    curl_easy_strerror(rc));
	return hull_err_set(err, status == 404 ? HULL_ERR_NOTFOUND : HULL_ERR_IO,
	                    "engine %s: GET %s: HTTP %ld", e->url, path, status);
}

int hull_engine_get(struct hull_engine *e, const char *path, char **body, size_t *len,
                    struct hull_err *err)
{
	*body = NULL;
	*len = 0;
	char url[1024];
	/* the host part is ignored on a unix socket; the API version prefix
	 * is optional for both docker and podman */
	int n = snprintf(url, sizeof(url), "http://localhost%s", path);
	if (n < 0 || (size_t)n >= sizeof(url) || path[0] != '/')
		return hull_err_set(err, HULL_ERR_USAGE, "engine %s: bad request path", e->url);
	struct sink s = {.over = false};
	hull_buf_init(&s.b, HULL_ENGINE_MAX_RESPONSE);
	set_options(e->curl, e->path, url, &s);
	CURLcode rc = curl_easy_perform(e->curl);
	long status = 0;
	curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK || s.over || status != 200) {
		hull_buf_release(&s.b);
		return status_error(e, path, rc, s.over, status, err);
	}
	*body = hull_buf_detach(&s.b, len);
	return *body ? 0 : hull_err_nomem(err);
}

int hull_engine_get_json(struct hull_engine *e, const char *path, struct json_object **out,
                         struct hull_err *err)
{
	char *body;
	size_t len;
	*out = NULL;
	if (hull_engine_get(e, path, &body, &len, err) < 0)
		return -1;
	char name[HULL_ENGINE_URL_MAX + 128];
	snprintf(name, sizeof(name), "engine %s: GET %s", e->url, path);
	int rc = hull_json_parse(body, len, name, out, err);
	free(body);
	return rc;
}

struct fd_sink {
	CURL *curl;
	int fd;
	uint64_t max, written;
	bool over, failed;
	int errnum;
	struct hull_buf errbody; /* the answer when it is not a 200 */
};

static size_t on_fd_data(char *p, size_t size, size_t n, void *ctx)
{
	struct fd_sink *s = ctx;
	size_t len = size * n;
	long status = 0;
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		hull_buf_append(&s->errbody, p, len, NULL); /* capped: the rest is dropped */
		return len;
	}
	if (s->written + len > s->max) {
		s->over = true;
		return 0;
	}
	for (size_t off = 0; off < len;) {
		ssize_t k = write(s->fd, p + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			s->failed = true;
			s->errnum = k < 0 ? errno : EIO;
			return 0;
		}
		off += (size_t)k;
	}
	s->written += len;
	return len;
}

int hull_engine_get_to_fd(struct hull_engine *e, const char *path, int fd, uint64_t max,
                          uint64_t *written, struct hull_err *err)
{
	char url[1024];
	int n = snprintf(url, sizeof(url), "http://localhost%s", path);
	if (n < 0 || (size_t)n >= sizeof(url) || path[0] != '/')
		return hull_err_set(err, HULL_ERR_USAGE, "engine %s: bad request path", e->url);
	struct fd_sink s = {.curl = e->curl, .fd = fd, .max = max};
	hull_buf_init(&s.errbody, 4096);
	set_options(e->curl, e->path, url, NULL);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, on_fd_data);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(e->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e->curl, CURLOPT_LOW_SPEED_TIME, HULL_ENGINE_TIMEOUT_S);
	curl_easy_setopt(e->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
	CURLcode rc = curl_easy_perform(e->curl);
	long status = 0;
	curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &status);
	if (written)
		*written = s.written;
	int ret = 0;
	if (s.over)
		ret = hull_err_set(err, HULL_ERR_LIMIT, "engine %s: GET %s: answer over %llu bytes",
		                   e->url, path, (unsigned long long)max);
	else if (s.failed)
		ret = hull_err_errno(err, s.errnum, "engine %s: GET %s: writing the answer", e->url,
		                     path);
	else if (rc != CURLE_OK || status != 200)
		ret = status_error(e, path, rc, false, status, err);
	hull_buf_release(&s.errbody);
	return ret;
}

bool hull_engine_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 512 || name[0] == '/' || strstr(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("._-/:@", c)))
			return false;
	}
	return true;
}

bool hull_engine_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n >= 12 && n <= 64 && strspn(id, "0123456789abcdefABCDEF") == n;
}

/* One container's inspect answer to fn; a container gone since the list
 * (404) is not an error. *passed tells whether fn saw it. */
static int one_container(struct hull_engine *e, const char *id, hull_engine_container_fn fn,
                         void *ctx, bool *passed, struct hull_err *err)
{
	char path[128], name[HULL_ENGINE_URL_MAX + 128];
	char *body;
	size_t len;
	*passed = false;
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	if (hull_engine_get(e, path, &body, &len, err) < 0) {
		if (err && err->kind == HULL_ERR_NOTFOUND) {
			hull_err_clear(err);
			return 0;
		}
		return -1;
	}
	snprintf(name, sizeof(name), "%s%s", e->url, path);
	int rc = fn(ctx, id, hull_str(body, len), name, err);
	free(body);
	*passed = rc == 0;
	return rc;
}

int hull_engine_each_container(struct hull_engine *e, hull_engine_container_fn fn, void *ctx,
                               size_t *count, struct hull_err *err)
{
	struct json_object *list;
	size_t seen = 0;
	if (count)
		*count = 0;
	if (hull_engine_get_json(e, "/containers/json", &list, err) < 0)
		return -1;
	if (!json_object_is_type(list, json_type_array)) {
		json_object_put(list);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "engine %s: GET /containers/json: not a JSON array", e->url);
	}
	size_t n = json_object_array_length(list);
	if (n > HULL_ENGINE_MAX_CONTAINERS)
		n = HULL_ENGINE_MAX_CONTAINERS;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *id = hull_json_get_str(json_object_array_get_idx(list, i), "Id");
		bool passed;
		if (!hull_engine_id_ok(id))
			continue;
		rc = one_container(e, id, fn, ctx, &passed, err);
		seen += passed;
	}
	json_object_put(list);
	if (count)
		*count = seen;
	return rc;
}

static bool is_socket(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

bool hull_engine_find(const char *xdg_runtime_dir, char *out, size_t n)
{
	static const char *const known[] = {"/var/run/docker.sock", "/run/podman/podman.sock"};
	char user[HULL_ENGINE_URL_MAX] = "";
	if (xdg_runtime_dir && *xdg_runtime_dir) {
		int k = snprintf(user, sizeof(user), "%s/podman/podman.sock", xdg_runtime_dir);
		if (k < 0 || (size_t)k >= sizeof(user))
			user[0] = '\0'; /* cut: it is not that socket */
	}
	const char *cands[] = {known[0], known[1], user};
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (!*cands[i] || !is_socket(cands[i]))
			continue;
		int k = snprintf(out, n, "unix://%s", cands[i]);
		if (k >= 0 && (size_t)k < n)
			return true;
	}
	if (n)
		out[0] = '\0';
	return false;
}
