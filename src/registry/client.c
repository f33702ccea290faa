/* The OCI Distribution client: requests, auth, retries, blob streams. */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "registry/registry.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/mem.h"

#define ERRBODY_MAX   4096
#define HEADER_MAX    2048
#define MAX_HOSTS     (HULL_REGISTRY_MAX_MIRRORS + 1)
#define RETRY_MAX_MS  10000
#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)

static const char *const accept_manifests =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.5, "
    "application/vnd.docker.distribution.manifest.v1+json;q=0.5";

struct host {
	char name[HULL_REF_NAME_MAX + 1]; /* "host[:port]" as in URLs */
	bool insecure;
	bool http; /* insecure and found to speak plain HTTP */
};

struct hull_registry {
	struct hull_ref ref;
	const struct hull_registry_opts *o;
	struct host hosts[MAX_HOSTS]; /* the mirrors first, when there are any */
	size_t nhosts, cur;           /* cur: the host in use */
	char *authz;                  /* "Authorization: ..." header, or NULL (mu) */
	unsigned authz_gen;           /* bumped when authz changes (mu) */
	char *user, *pass;            /* auth_mu */
	bool creds_loaded;            /* auth_mu */
	CURL *curl;                   /* the caller's thread: manifests, configs */
	CURLSH *share;                /* connections, TLS sessions, DNS */
	pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
	struct hull_registry_stats stats;       /* mu */
	char label[2 * HULL_REF_NAME_MAX + 32]; /* "registry HOST: path" */
	/* blob downloads (see the jobs below) */
	pthread_mutex_t mu, auth_mu;
	pthread_cond_t cv;
	struct job *jobs, **jobs_tail;
	size_t ring_bytes;
	pthread_t workers[HULL_REGISTRY_FETCHERS];
	size_t nworkers;
	bool quit;
	/* the manifest hull_registry_resolve fetched, until get_manifest
	 * takes it (the caller's thread only) */
	char *kept_ref, *kept_data, *kept_type, *kept_digest;
	size_t kept_len;
};

static void stat_add(struct hull_registry *r, unsigned *field, unsigned n)
{
	pthread_mutex_lock(&r->mu);
	*field += n;
	pthread_mutex_unlock(&r->mu);
}

struct job;
static void job_free(struct job *j);

static void share_lock(CURL *c, curl_lock_data data, curl_lock_access access, void *ctx)
{
	(void)c, (void)access;
	struct hull_registry *r = ctx;
	pthread_mutex_lock(&r->share_mu[data < CURL_LOCK_DATA_LAST ? data : 0]);
}

static void share_unlock(CURL *c, curl_lock_data data, void *ctx)
{
	(void)c;
	struct hull_registry *r = ctx;
	pthread_mutex_unlock(&r->share_mu[data < CURL_LOCK_DATA_LAST ? data : 0]);
}

/* What one answer said in its headers. */
struct answer {
	long status;
	char content_type[256];
	char digest[HULL_DIGEST_STRLEN + 8];
	char challenge[HEADER_MAX];
	long retry_after;
	long long range_start; /* Content-Range start, -1 when absent */
};

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct job {
	struct job *next;
	struct hull_registry *r;
	char digest[HULL_DIGEST_STRLEN + 1];
	uint64_t size;
	enum job_state state;
	bool attached;  /* the reader opened it */
	bool closed;    /* the reader closed it */
	bool cancelled; /* stop: closed early, skipped, or shutting down */
	unsigned char *ring;
	size_t cap, head, len;
	/* wake-ups: the reader sleeps until the ring holds `want` bytes (0:
	 * not sleeping), the worker until it has room (`worker_waits`); each
	 * side wakes the other only then, not for every TLS record */
	size_t want;
	bool worker_waits;
	int rc; /* when DONE: 0, or -1 with err */
	struct hull_err err;
	char hashed[HULL_DIGEST_STRLEN + 1]; /* when DONE with rc 0: sha256 of the blob */
	/* worker-only */
	struct hull_sha256 hash; /* of the bytes put in the ring, as they come */
	CURL *easy;
	struct answer a;
	uint64_t received; /* bytes put in the ring, over all attempts */
	uint64_t skip;     /* bytes to drop: a 200 answer to a resumed request */
	uint64_t requested_from;
	unsigned attempts;
	bool authed, overlong;
	struct hull_buf errbody;
	char ebuf[CURL_ERROR_SIZE];
	struct timespec last_byte;
	/* reader-only */
	uint64_t delivered;
	struct timespec last_progress;
	bool reported;
};

static void answer_reset(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->range_start = -1;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;
	size_t len = size * n;
	struct hull_str line = hull_str_trim(hull_str(p, len));
	if (hull_str_has_prefix(line, "HTTP/")) {
		answer_reset(a); /* a redirect's headers are not the answer's */
		return len;
	}
	struct hull_str name, value;
	if (!hull_str_split(line, ':', &name, &value))
		return len;
	value = hull_str_trim(value);
	char v[HEADER_MAX];
	size_t vn = value.len < sizeof(v) - 1 ? value.len : sizeof(v) - 1;
	memcpy(v, value.ptr, vn);
	v[vn] = '\0';
	if (hull_str_eq_nocase(name, "content-type"))
		snprintf(a->content_type, sizeof(a->content_type), "%.*s", (int)strcspn(v, "; "),
		         v);
	else if (hull_str_eq_nocase(name, "docker-content-digest") && vn < sizeof(a->digest))
		memcpy(a->digest, v, vn + 1);
	else if (hull_str_eq_nocase(name, "www-authenticate") && !a->challenge[0])
		memcpy(a->challenge, v, vn + 1);
	else if (hull_str_eq_nocase(name, "retry-after"))
		a->retry_after = strtol(v, NULL, 10);
	else if (hull_str_eq_nocase(name, "content-range") && !strncasecmp(v, "bytes ", 6))
		a->range_start = strtoll(v + 6, NULL, 10);
	return len;
}

static bool host_listed(const struct hull_registry_opts *o, const char *host)
{
	for (size_t i = 0; i < o->ninsecure; i++)
		if (o->insecure[i] && !strcmp(o->insecure[i], host))
			return true;
	return false;
}

static bool is_hub(const char *domain, size_t n)
{
	static const char *const names[] = {"docker.io", "index.docker.io", "registry-1.docker.io"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !strncasecmp(domain, names[i], n))
			return true;
	return false;
}

/* Whether mirror "[REGISTRY=]MIRROR" is one for ref; its "host[:port]"
 * (the URL's scheme and path dropped) in out. */
static int mirror_for(const char *m, const struct hull_ref *ref, char *out, size_t n, bool *applies,
                      struct hull_err *err)
{
	const char *eq = strchr(m, '='), *host = eq ? eq + 1 : m;
	const char *p = strstr(host, "://");
	p = p ? p + 3 : host;
	size_t len = strcspn(p, "/");
	if (!len || len >= n || (eq && eq == m) || strpbrk(p, " \t@?#") != NULL)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--registry-mirror '%.200s': expected [REGISTRY=]HOST[:PORT] "
		                    "or [REGISTRY=]https://HOST[:PORT]",
		                    m);
	snprintf(out, n, "%.*s", (int)len, p);
	if (!eq || is_hub(m, (size_t)(eq - m)))
		*applies = hull_ref_is_docker_hub(ref);
	else
		*applies = strlen(ref->domain) == (size_t)(eq - m) &&
		           !strncasecmp(ref->domain, m, (size_t)(eq - m));
	return 0;
}

int hull_registry_open(const struct hull_ref *ref, const struct hull_registry_opts *o,
                       struct hull_registry **out, struct hull_err *err)
{
	*out = NULL;
	struct hull_registry *r = calloc(1, sizeof(*r));
	if (!r)
		return hull_err_nomem(err);
	r->ref = *ref;
	r->o = o;
	bool hub = hull_ref_is_docker_hub(ref);
	for (size_t i = 0; i < o->nmirrors && i < HULL_REGISTRY_MAX_MIRRORS; i++) {
		bool applies = false;
		if (mirror_for(o->mirrors[i], ref, r->hosts[r->nhosts].name,
		               sizeof(r->hosts[0].name), &applies, err) < 0) {
			free(r);
			return -1;
		}
		if (applies)
			r->nhosts++;
	}
	snprintf(r->hosts[r->nhosts++].name, sizeof(r->hosts[0].name), "%s",
	         hub ? "registry-1.docker.io" : ref->domain);
	for (size_t i = 0; i < r->nhosts; i++)
		r->hosts[i].insecure = host_listed(o, r->hosts[i].name) ||
		                       (hub && i == r->nhosts - 1 && host_listed(o, "docker.io"));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(r);
		return hull_err_set(err, HULL_ERR_IO, "libcurl initialisation failed");
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->auth_mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&r->share_mu[i], NULL);
	r->jobs_tail = &r->jobs;
	r->curl = curl_easy_init();
	r->share = curl_share_init();
	if (!r->curl || !r->share) {
		hull_registry_free(r);
		return hull_err_nomem(err);
	}
	curl_share_setopt(r->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(r->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(r->share, CURLSHOPT_USERDATA, r);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	int ln = snprintf(r->label, sizeof(r->label), "registry %s: %s", ref->domain, ref->path);
	(void)ln;
	*out = r;
	return 0;
}

void hull_registry_free(struct hull_registry *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->quit = true;
	for (struct job *j = r->jobs; j; j = j->next)
		j->cancelled = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	for (size_t i = 0; i < r->nworkers; i++)
		pthread_join(r->workers[i], NULL);
	while (r->jobs) {
		struct job *j = r->jobs;
		r->jobs = j->next;
		job_free(j);
	}
	free(r->kept_ref);
	free(r->kept_data);
	free(r->kept_type);
	free(r->kept_digest);
	if (r->curl)
		curl_easy_cleanup(r->curl);
	if (r->share)
		curl_share_cleanup(r->share);
	pthread_mutex_destroy(&r->mu);
	pthread_mutex_destroy(&r->auth_mu);
	pthread_cond_destroy(&r->cv);
	for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&r->share_mu[i]);
	free(r->authz);
	free(r->user);
	if (r->pass)
		explicit_bzero(r->pass, strlen(r->pass));
	free(r->pass);
	free(r);
	curl_global_cleanup();
}

void hull_registry_stats(struct hull_registry *r, struct hull_registry_stats *out)
{
	pthread_mutex_lock(&r->mu);
	*out = r->stats;
	pthread_mutex_unlock(&r->mu);
}

static const struct host *host_cur(const struct hull_registry *r)
{
	return &r->hosts[r->cur];
}

/* Options every request shares: TLS policy, timeouts, protocols. */
static void common_options(struct hull_registry *r, CURL *c, const char *url)
{
	const struct host *h = host_cur(r);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HULL_REGISTRY_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, HULL_REGISTRY_STALL_S);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, h->insecure ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, h->insecure ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hull/" HULL_VERSION);
	curl_easy_setopt(c, CURLOPT_SHARE, r->share);
	/* HTTP/1.1 everywhere: a blob over HTTP/2 costs twice the system
	 * calls (docs/image.md), and one version lets the blob reuse the
	 * manifest's connection */
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	if (r->o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->o->ca_file);
	if (h->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

static void make_url(const struct hull_registry *r, const char *kind, const char *what, char *url,
                     size_t n)
{
	const struct host *h = host_cur(r);
	snprintf(url, n, "%s://%s/v2/%s/%s/%s", h->http ? "http" : "https", h->name, r->ref.path,
	         kind, what);
}

static bool retryable_curl(CURLcode rc)
{
	return rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_PARTIAL_FILE || rc == CURLE_OPERATION_TIMEDOUT ||
	       rc == CURLE_HTTP2_STREAM || rc == CURLE_HTTP2;
}

static bool retryable_status(long s)
{
	return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static void backoff(const struct hull_registry *r, unsigned attempt, long retry_after)
{
	unsigned base = r->o->backoff_ms ? r->o->backoff_ms : 250;
	unsigned long ms = (unsigned long)base << (attempt < 8 ? attempt : 8);
	if (retry_after > 0)
		ms = (unsigned long)retry_after * 1000;
	if (ms > RETRY_MAX_MS)
		ms = RETRY_MAX_MS;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The registry's own words from an error body ({"errors":[{code,message}]}). */
static void registry_words(const struct hull_buf *body, char *out, size_t n)
{
	out[0] = '\0';
	struct json_object *j;
	if (!body->len || hull_json_parse(body->data, body->len, "error", &j, NULL) < 0)
		return;
	struct json_object *errs = hull_json_get_arr(j, "errors");
	struct json_object *e0 = errs ? json_object_array_get_idx(errs, 0) : NULL;
	const char *code = hull_json_get_str(e0, "code"), *msg = hull_json_get_str(e0, "message");
	if (code || msg)
		snprintf(out, n, " (%s%s%s)", code ? code : "", code && msg ? ": " : "",
		         msg ? msg : "");
	json_object_put(j);
}

/* One message per curl failure, saying what to do about TLS ones. */
static int curl_error(struct hull_registry *r, const char *what, CURLcode rc, const char *detail,
                      struct hull_err *err)
{
	const char *host = host_cur(r)->name;
	const char *d = detail && *detail ? detail : curl_easy_strerror(rc);
	if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: %s: certificate not trusted (%s): give its CA with "
		                    "--registry-ca FILE (or --insecure-registry %s)",
		                    r->label, what, d, host);
	if (rc == CURLE_SSL_CONNECT_ERROR && !host_cur(r)->insecure)
		return hull_err_set(
		    err, HULL_ERR_IO,
		    "%s: %s: TLS handshake failed (%s); if the registry serves plain "
		    "HTTP, allow it with --insecure-registry %s",
		    r->label, what, d, host);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: %s: refused to follow a redirect to plain HTTP (%s)",
		                    r->label, what, d);
	return hull_err_set(err, HULL_ERR_IO, "%s: %s: %s", r->label, what, d);
}

static int load_creds(struct hull_registry *r, struct hull_err *err)
{
	if (r->creds_loaded)
		return 0;
	r->creds_loaded = true;
	if (r->o->username || r->o->password) {
		r->user = strdup(r->o->username ? r->o->username : "");
		r->pass = strdup(r->o->password ? r->o->password : "");
		return r->user && r->pass ? 0 : hull_err_nomem(err);
	}
	if (!r->o->docker_config)
		return 0;
	char *text;
	size_t len;
	struct hull_err local = {0};
	if (hull_fs_read_file(r->o->docker_config, 1u << 20, &text, &len, &local) < 0)
		return 0; /* no config file: anonymous */
	int rc = hull_registry_config_creds(text, len, r->ref.domain, &r->user, &r->pass, err);
	free(text);
	if (rc < 0)
		return hull_err_wrap(err, "%s", r->o->docker_config);
	return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct hull_buf *b = ctx;
	return hull_buf_append(b, p, size * n, NULL) < 0 ? 0 : size * n;
}

static char *basic_header(const char *user, const char *pass)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t ul = strlen(user), pl = strlen(pass), n = ul + 1 + pl;
	char *raw = malloc(n + 1), *out = malloc(32 + (n + 2) / 3 * 4 + 1);
	if (!raw || !out) {
		free(raw);
		free(out);
		return NULL;
	}
	snprintf(raw, n + 1, "%s:%s", user, pass);
	char *o = out + sprintf(out, "Authorization: Basic ");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)raw[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)raw[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)raw[i + 2];
		*o++ = tbl[(v >> 18) & 63];
		*o++ = tbl[(v >> 12) & 63];
		*o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? tbl[v & 63] : '=';
	}
	*o = '\0';
	explicit_bzero(raw, n);
	free(raw);
	return out;
}

/* Takes ownership of h, the new Authorization header. */
static void set_authz(struct hull_registry *r, char *h)
{
	pthread_mutex_lock(&r->mu);
	free(r->authz);
	r->authz = h;
	r->authz_gen++;
	pthread_mutex_unlock(&r->mu);
}

/* Appends the Authorization header in use (if any) to *h; *gen says
 * which one it was (0: none yet). */
static int auth_header(struct hull_registry *r, struct curl_slist **h, unsigned *gen,
                       struct hull_err *err)
{
	pthread_mutex_lock(&r->mu);
	*gen = r->authz_gen;
	bool some = r->authz != NULL;
	struct curl_slist *n = some ? curl_slist_append(*h, r->authz) : NULL;
	pthread_mutex_unlock(&r->mu);
	if (some && !n)
		return hull_err_nomem(err);
	if (some)
		*h = n;
	return 0;
}

/* Gets a token from the challenge's realm. */
static int bearer_token(struct hull_registry *r, const struct hull_auth_challenge *c,
                        struct hull_err *err)
{
	if (strncmp(c->realm, "https://", 8) && strncmp(c->realm, "http://", 7))
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: the token realm '%.200s' is not an HTTP URL", r->label,
		                    c->realm);
	if (!strncmp(c->realm, "http://", 7) && !host_cur(r)->insecure)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: the token realm %.200s is plain HTTP (allowed only with "
		                    "--insecure-registry %s)",
		                    r->label, c->realm, host_cur(r)->name);
	char scope[600];
	if (c->scope[0])
		snprintf(scope, sizeof(scope), "%s", c->scope);
	else
		snprintf(scope, sizeof(scope), "repository:%s:pull", r->ref.path);
	CURL *t = curl_easy_init();
	if (!t)
		return hull_err_nomem(err);
	char *svc = curl_easy_escape(t, c->service, 0), *sc = curl_easy_escape(t, scope, 0);
	struct hull_buf url, body;
	hull_buf_init(&url, 8192);
	hull_buf_init(&body, HULL_REGISTRY_MAX_TOKEN);
	int rc = hull_buf_printf(&url, err, "%s%s%s%s&scope=%s", c->realm,
	                         strchr(c->realm, '?') ? "&" : "?", c->service[0] ? "service=" : "",
	                         c->service[0] && svc ? svc : "", sc ? sc : "");
	curl_free(svc);
	curl_free(sc);
	unsigned attempt = 0;
	CURLcode cr = CURLE_OK;
	long status = 0;
	while (rc == 0) {
		curl_easy_reset(t);
		common_options(r, t, url.data);
		curl_easy_setopt(t, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(t, CURLOPT_WRITEDATA, &body);
		curl_easy_setopt(t, CURLOPT_TIMEOUT, 60L);
		if (r->user && r->pass && (r->user[0] || r->pass[0])) {
			curl_easy_setopt(t, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			curl_easy_setopt(t, CURLOPT_USERNAME, r->user);
			curl_easy_setopt(t, CURLOPT_PASSWORD, r->pass);
		}
		hull_buf_reset(&body);
		stat_add(r, &r->stats.requests, 1);
		cr = curl_easy_perform(t);
		status = 0;
		curl_easy_getinfo(t, CURLINFO_RESPONSE_CODE, &status);
		if ((cr != CURLE_OK && retryable_curl(cr)) || retryable_status(status)) {
			if (attempt++ < HULL_REGISTRY_RETRIES) {
				stat_add(r, &r->stats.retries, 1);
				backoff(r, attempt - 1, 0);
				continue;
			}
		}
		break;
	}
	if (rc == 0 && cr != CURLE_OK)
		rc = curl_error(r, "token", cr, NULL, err);
	else if (rc == 0 && (status == 401 || status == 403))
		rc =
		    hull_err_set(err, HULL_ERR_IO,
		                 "%s: authentication failed: the token service %s refused %s (HTTP "
		                 "%ld)",
		                 r->label, c->realm,
		                 r->user ? "the credentials: wrong username or password?"
		                         : "anonymous access: give credentials (--username, "
		                           "--password-stdin, docker login)",
		                 status);
	else if (rc == 0 && status != 200)
		rc = hull_err_set(err, HULL_ERR_IO, "%s: token service %s: HTTP %ld", r->label,
		                  c->realm, status);
	struct json_object *j = NULL;
	if (rc == 0)
		rc = hull_json_parse(body.data ? body.data : "", body.len, "token answer", &j, err);
	if (rc == 0) {
		const char *tok = hull_json_get_str(j, "token");
		if (!tok || !*tok)
			tok = hull_json_get_str(j, "access_token");
		if (!tok || !*tok || strpbrk(tok, "\r\n"))
			rc = hull_err_set(err, HULL_ERR_INPUT,
			                  "%s: token service %s: answer without a usable token",
			                  r->label, c->realm);
		else {
			char *h;
			if (asprintf(&h, "Authorization: Bearer %s", tok) < 0)
				rc = hull_err_nomem(err);
			else
				set_authz(r, h);
		}
	}
	json_object_put(j);
	hull_buf_release(&url);
	hull_buf_release(&body);
	curl_easy_cleanup(t);
	return rc;
}

/* Answers a 401 challenge: sets r->authz. */
static int authenticate(struct hull_registry *r, const char *challenge, struct hull_err *err)
{
	struct hull_auth_challenge c;
	if (hull_auth_parse(challenge, strlen(challenge), &c, err) < 0)
		return hull_err_wrap(err, "%s", r->label);
	if (load_creds(r, err) < 0)
		return -1;
	if (!strcmp(c.scheme, "bearer"))
		return bearer_token(r, &c, err);
	if (!strcmp(c.scheme, "basic")) {
		if (!r->user || !r->pass)
			return hull_err_set(
			    err, HULL_ERR_IO,
			    "%s: authentication required (HTTP 401): give credentials "
			    "(--username, --password-stdin, docker login)",
			    r->label);
		char *h = basic_header(r->user, r->pass);
		if (!h)
			return hull_err_nomem(err);
		set_authz(r, h);
		return 0;
	}
	return hull_err_set(err, HULL_ERR_IO, "%s: unsupported authentication scheme in '%.100s'",
	                    r->label, challenge);
}

/* Answers a 401 to a request sent with the header of generation gen,
 * one thread at a time: when another one changed the header meanwhile,
 * the request is simply tried again with it (one token per scope). */
static int reauthenticate(struct hull_registry *r, const char *challenge, unsigned gen,
                          struct hull_err *err)
{
	pthread_mutex_lock(&r->auth_mu);
	pthread_mutex_lock(&r->mu);
	bool changed = r->authz_gen != gen;
	pthread_mutex_unlock(&r->mu);
	int rc = changed ? 0 : authenticate(r, challenge, err);
	pthread_mutex_unlock(&r->auth_mu);
	return rc;
}

/* The failure of an answer that is not 200. */
static int status_error(struct hull_registry *r, const char *what, long status,
                        const struct hull_buf *body, bool authed, struct hull_err *err)
{
	char words[300];
	registry_words(body, words, sizeof(words));
	pthread_mutex_lock(&r->auth_mu);
	bool user = r->user != NULL;
	pthread_mutex_unlock(&r->auth_mu);
	if (status == 401 || status == 403)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: %s: authentication failed (HTTP %ld%s)%s", r->label, what,
		                    status, words,
		                    authed && user ? ": wrong username or password?"
		                    : authed       ? ""
		                                   : ": give credentials (--username, "
		                                     "--password-stdin, docker login)");
	if (status == 404)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: %s: not found (HTTP 404%s)",
		                    r->label, what, words);
	return hull_err_set(err, HULL_ERR_IO, "%s: %s: HTTP %ld%s", r->label, what, status, words);
}

/* GET a small answer (a manifest, a config, an error) into body. */
static int get_small(struct hull_registry *r, const char *kind, const char *ref, const char *what,
                     size_t max, struct hull_buf *body, struct answer *a, struct hull_err *err)
{
	char url[HULL_REF_STR_MAX * 2 + 64];
	unsigned attempt = 0;
	bool authed = false;
	for (;;) {
		make_url(r, kind, ref, url, sizeof(url));
		struct curl_slist *h = NULL;
		unsigned gen;
		if (!strcmp(kind, "manifests") && !(h = curl_slist_append(h, accept_manifests)))
			return hull_err_nomem(err);
		if (auth_header(r, &h, &gen, err) < 0) {
			curl_slist_free_all(h);
			return -1;
		}
		hull_buf_release(body);
		hull_buf_init(body, max);
		answer_reset(a);
		CURL *c = r->curl;
		curl_easy_reset(c);
		common_options(r, c, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
		char ebuf[CURL_ERROR_SIZE] = "";
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
		stat_add(r, &r->stats.requests, 1);
		CURLcode rc = curl_easy_perform(c);
		curl_slist_free_all(h);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
		if (rc == CURLE_WRITE_ERROR && body->len + CURL_MAX_WRITE_SIZE > max)
			return hull_err_set(err, HULL_ERR_LIMIT, "%s: %s: answer over %zu bytes",
			                    r->label, what, max);
		if (rc == CURLE_SSL_CONNECT_ERROR && host_cur(r)->insecure && !host_cur(r)->http) {
			r->hosts[r->cur].http = true; /* an insecure registry on plain HTTP */
			continue;
		}
		if (rc != CURLE_OK) {
			if (retryable_curl(rc) && attempt++ < HULL_REGISTRY_RETRIES) {
				stat_add(r, &r->stats.retries, 1);
				backoff(r, attempt - 1, 0);
				continue;
			}
			return curl_error(r, what, rc, ebuf, err);
		}
		if (a->status == 200)
			return 0;
		if (a->status == 401 && a->challenge[0] && !authed) {
			authed = true;
			if (reauthenticate(r, a->challenge, gen, err) < 0)
				return -1;
			continue;
		}
		if (retryable_status(a->status) && attempt++ < HULL_REGISTRY_RETRIES) {
			stat_add(r, &r->stats.retries, 1);
			backoff(r, attempt - 1, a->retry_after);
			continue;
		}
		return status_error(r, what, a->status, body, authed || gen > 0, err);
	}
}

static int fetch_manifest(struct hull_registry *r, const char *reference, size_t max, char **data,
                          size_t *len, char **media_type, char **digest, struct hull_err *err)
{
	*data = *media_type = *digest = NULL;
	struct hull_buf body;
	struct answer a;
	char what[HULL_REF_STR_MAX + 32];
	snprintf(what, sizeof(what), "manifest %s", reference);
	hull_buf_init(&body, max);
	int rc = -1;
	/* the mirrors first, then the registry itself */
	for (size_t i = r->cur; i < r->nhosts; i++) {
		if (i != r->cur)
			set_authz(r, NULL); /* a mirror's token is not the next host's */
		r->cur = i;
		rc = get_small(r, "manifests", reference, what, max, &body, &a, err);
		if (rc == 0 || i + 1 == r->nhosts)
			break;
		hull_err_clear(err);
	}
	if (rc < 0) {
		hull_buf_release(&body);
		return -1;
	}
	char got[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(body.data ? body.data : "", body.len, got, err) < 0) {
		hull_buf_release(&body);
		return -1;
	}
	/* the digest header is only a claim: the image reader checks the bytes */
	const char *d = !strncmp(reference, "sha256:", 7) ? reference
	                : a.digest[0]                     ? a.digest
	                                                  : got;
	*media_type = a.content_type[0] ? strdup(a.content_type) : NULL;
	*digest = strdup(d);
	*data = hull_buf_detach(&body, len);
	if (!*data || !*digest || (a.content_type[0] && !*media_type)) {
		free(*data);
		free(*digest);
		free(*media_type);
		*data = *media_type = *digest = NULL;
		return hull_err_nomem(err);
	}
	return 0;
}

int hull_registry_resolve(struct hull_registry *r, const char *reference, struct hull_err *err)
{
	free(r->kept_ref);
	free(r->kept_data);
	free(r->kept_type);
	free(r->kept_digest);
	r->kept_data = r->kept_type = r->kept_digest = NULL;
	if (!(r->kept_ref = strdup(reference)))
		return hull_err_nomem(err);
	if (fetch_manifest(r, reference, HULL_IMAGE_MAX_JSON, &r->kept_data, &r->kept_len,
	                   &r->kept_type, &r->kept_digest, err) < 0) {
		free(r->kept_ref);
		r->kept_ref = NULL;
		return -1;
	}
	return 0;
}

static int get_manifest(void *ctx, const char *reference, size_t max, char **data, size_t *len,
                        char **media_type, char **digest, struct hull_err *err)
{
	struct hull_registry *r = ctx;
	if (r->kept_ref && !strcmp(r->kept_ref, reference) && r->kept_len <= max) {
		*data = r->kept_data;
		*len = r->kept_len;
		*media_type = r->kept_type;
		*digest = r->kept_digest;
		free(r->kept_ref);
		r->kept_ref = r->kept_data = r->kept_type = r->kept_digest = NULL;
		return 0;
	}
	return fetch_manifest(r, reference, max, data, len, media_type, digest, err);
}

static int get_blob(void *ctx, const char *digest, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	struct hull_registry *r = ctx;
	struct hull_buf body;
	struct answer a;
	char what[128];
	snprintf(what, sizeof(what), "blob %s", digest);
	hull_buf_init(&body, max);
	stat_add(r, &r->stats.blob_requests, 1);
	if (get_small(r, "blobs", digest, what, max, &body, &a, err) < 0) {
		hull_buf_release(&body);
		return -1;
	}
	*data = hull_buf_detach(&body, len);
	return *data ? 0 : hull_err_nomem(err);
}

/* Layer blobs. A few worker threads (HULL_REGISTRY_FETCHERS) download
 * the blobs the image reader announced (prefetch) or opened, in that
 * order, each into a ring of at most HULL_REGISTRY_STREAM_BUFFER bytes
 * that the reader drains: the socket, TLS and the next layers' transfers
 * run while the reader inflates and parses. A worker whose ring is full
 * waits (TCP holds the rest), so memory stays bounded by the rings.
 * Retries, Range resumes and re-authentication happen in the worker; the
 * reader sees bytes in order, then the end or the one error.
 *
 * Jobs are kept in the order they were asked for. Opening a blob takes
 * the first matching job and cancels the unopened ones before it (the
 * reader skipped them); a blob nobody announced cancels every unopened
 * job, so the job the reader waits for is always the next a worker takes
 * and a full ring can never hold it up. Everything below is guarded by
 * r->mu, except the fields marked worker-only. */
static void job_free(struct job *j)
{
	if (j->hash.ctx)
		hull_sha256_release(&j->hash);
	hull_buf_release(&j->errbody);
	hull_bigbuf_free(j->ring, j->cap);
	free(j);
}

/* Frees the jobs nobody will touch again. */
static void sweep_locked(struct hull_registry *r)
{
	for (struct job **pp = &r->jobs; *pp;) {
		struct job *j = *pp;
		bool reader_gone = !j->attached || j->closed;
		bool worker_gone = j->state == JOB_DONE || (j->state == JOB_QUEUED && j->cancelled);
		if (reader_gone && worker_gone && (j->cancelled || j->closed)) {
			*pp = j->next;
			if (r->ring_bytes >= j->cap)
				r->ring_bytes -= j->cap;
			job_free(j);
		} else {
			pp = &j->next;
		}
	}
	r->jobs_tail = &r->jobs;
	while (*r->jobs_tail)
		r->jobs_tail = &(*r->jobs_tail)->next;
}

static double elapsed_s(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
}

static size_t on_job_data(char *p, size_t size, size_t n, void *ctx)
{
	struct job *j = ctx;
	struct hull_registry *r = j->r;
	size_t len = size * n;
	if (j->a.status == 0)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->a.status);
	if (j->a.status != 200 && j->a.status != 206) {
		hull_buf_append(&j->errbody, p, len, NULL);
		return len;
	}
	/* a 200 to a resumed request starts over: drop what we have */
	size_t drop = j->a.status == 200 && j->skip ? (j->skip < len ? (size_t)j->skip : len) : 0;
	j->skip -= drop;
	const char *q = p + drop;
	size_t keep = len - drop;
	if (keep > j->size - j->received) {
		/* more than the manifest says: what the reader needs is here (its
		 * digest decides), the rest is not the blob */
		keep = (size_t)(j->size - j->received);
		j->overlong = true;
	}
	/* hashed here, on the download thread, while the reader inflates */
	hull_sha256_update(&j->hash, q, keep);
	pthread_mutex_lock(&r->mu);
	while (keep) {
		if (j->cancelled) {
			pthread_mutex_unlock(&r->mu);
			return 0; /* ends the transfer */
		}
		if (j->len == j->cap) {
			j->worker_waits = true;
			pthread_cond_wait(&r->cv, &r->mu);
			continue;
		}
		size_t tail = (j->head + j->len) % j->cap;
		size_t k = keep;
		if (k > j->cap - j->len)
			k = j->cap - j->len;
		if (k > j->cap - tail)
			k = j->cap - tail;
		memcpy(j->ring + tail, q, k);
		j->len += k;
		j->received += k;
		q += k;
		keep -= k;
		if (j->want && j->len >= j->want)
			pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	/* waiting for the reader is not a stall of the server */
	clock_gettime(CLOCK_MONOTONIC, &j->last_byte);
	return j->overlong ? 0 : len;
}

/* Called by libcurl at least once a second: stops a cancelled job, and
 * one whose server sent nothing for HULL_REGISTRY_STALL_S (the time spent
 * waiting for the reader does not count). */
static int on_job_tick(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt, (void)dn, (void)ut, (void)un;
	struct job *j = ctx;
	pthread_mutex_lock(&j->r->mu);
	bool stop = j->cancelled;
	pthread_mutex_unlock(&j->r->mu);
	return stop || elapsed_s(&j->last_byte) > (double)HULL_REGISTRY_STALL_S;
}

static bool job_cancelled(struct job *j)
{
	pthread_mutex_lock(&j->r->mu);
	bool c = j->cancelled;
	pthread_mutex_unlock(&j->r->mu);
	return c;
}

/* One request for the rest of the blob: 0 at its end, 1 to try again,
 * -1 on error. */
static int job_attempt(struct job *j, CURL *c, struct hull_err *err)
{
	struct hull_registry *r = j->r;
	char url[HULL_REF_STR_MAX * 2 + 64], range[64], what[128];
	snprintf(what, sizeof(what), "blob %s", j->digest);
	make_url(r, "blobs", j->digest, url, sizeof(url));
	unsigned gen;
	struct curl_slist *h = NULL;
	if (auth_header(r, &h, &gen, err) < 0)
		return -1;
	curl_easy_reset(c);
	common_options(r, c, url);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 0L); /* on_job_tick instead */
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_job_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &j->a);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->ebuf);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L << 10);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_job_tick);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, j);
	if (j->received) {
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)j->received);
		curl_easy_setopt(c, CURLOPT_RANGE, range);
	}
	j->easy = c;
	j->requested_from = j->received;
	j->skip = j->received; /* used only if the server ignores the Range */
	answer_reset(&j->a);
	hull_buf_reset(&j->errbody);
	j->ebuf[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &j->last_byte);
	stat_add(r, &r->stats.requests, 1);
	stat_add(r, &r->stats.blob_requests, 1);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (job_cancelled(j))
		return hull_err_set(err, HULL_ERR_IO, "%s: %s: cancelled", r->label, what);
	long status = j->a.status;
	if (!status)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	bool ok_status = status == 200 || status == 206;
	if (j->overlong && j->received >= j->size)
		return 0;
	if (rc == CURLE_OK && ok_status && j->received >= j->size)
		return 0;
	if (status == 206 && j->a.range_start >= 0 &&
	    (uint64_t)j->a.range_start != j->requested_from)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: %s: asked to resume at byte %llu, the answer starts at %lld", r->label,
		    what, (unsigned long long)j->requested_from, j->a.range_start);
	if (rc == CURLE_OK && status == 401 && j->a.challenge[0] && !j->authed) {
		j->authed = true;
		return reauthenticate(r, j->a.challenge, gen, err) < 0 ? -1 : 1;
	}
	bool stalled = rc == CURLE_ABORTED_BY_CALLBACK;
	bool cut = (rc == CURLE_OK && ok_status) || retryable_curl(rc) || stalled;
	if ((cut || (rc == CURLE_OK && retryable_status(status))) &&
	    j->attempts++ < HULL_REGISTRY_RETRIES) {
		stat_add(r, &r->stats.retries, 1);
		backoff(r, j->attempts - 1, j->a.retry_after);
		return 1;
	}
	if (rc != CURLE_OK && !cut)
		return curl_error(r, what, rc, j->ebuf, err);
	if (rc == CURLE_OK && !ok_status)
		return status_error(r, what, status, &j->errbody, gen > 0, err);
	return hull_err_set(
	    err, HULL_ERR_IO, "%s: %s: transfer cut after %llu of %llu bytes (%s), %u attempts",
	    r->label, what, (unsigned long long)j->received, (unsigned long long)j->size,
	    rc == CURLE_OK ? "the answer ended early"
	    : stalled      ? "nothing received for " STRINGIFY(HULL_REGISTRY_STALL_S) " s"
	    : j->ebuf[0]   ? j->ebuf
	                   : curl_easy_strerror(rc),
	    j->attempts);
}

static size_t job_cap(const struct job *j)
{
	return j->size == 0                            ? 1
	       : j->size < HULL_REGISTRY_STREAM_BUFFER ? (size_t)j->size
	                                               : HULL_REGISTRY_STREAM_BUFFER;
}

/* The next job for a worker: one the reader waits for first, else the
 * oldest announced one while the rings' total allows. NULL: none. */
static struct job *next_job_locked(struct hull_registry *r)
{
	struct job *first = NULL;
	for (struct job *j = r->jobs; j; j = j->next) {
		if (j->state != JOB_QUEUED || j->cancelled)
			continue;
		if (j->attached)
			return j;
		if (!first)
			first = j;
	}
	if (first && r->ring_bytes + job_cap(first) <= HULL_REGISTRY_RINGS_MAX)
		return first;
	return NULL;
}

static void *worker(void *arg)
{
	struct hull_registry *r = arg;
	CURL *c = curl_easy_init();
	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct job *j = r->quit ? NULL : next_job_locked(r);
		if (r->quit)
			break;
		if (!j) {
			pthread_cond_wait(&r->cv, &r->mu);
			continue;
		}
		j->state = JOB_RUNNING;
		j->cap = job_cap(j);
		r->ring_bytes += j->cap;
		pthread_mutex_unlock(&r->mu);
		struct hull_err err = {0};
		int rc;
		j->ring = hull_bigbuf_alloc(j->cap); /* huge pages: see util/mem.h */
		char hashed[HULL_DIGEST_STRLEN + 1] = "";
		if (!c || !j->ring)
			rc = hull_err_nomem(&err);
		else if ((rc = hull_sha256_init(&j->hash, &err)) == 0)
			while ((rc = job_attempt(j, c, &err)) == 1 && !job_cancelled(j))
				hull_err_clear(&err);
		if (rc == 0)
			hull_sha256_final(&j->hash, hashed); /* frees the context */
		pthread_mutex_lock(&r->mu);
		j->state = JOB_DONE;
		j->rc = rc < 0 ? -1 : 0;
		j->err = err;
		memcpy(j->hashed, hashed, sizeof(hashed));
		pthread_cond_broadcast(&r->cv);
		sweep_locked(r);
	}
	pthread_mutex_unlock(&r->mu);
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

static int start_workers_locked(struct hull_registry *r, struct hull_err *err)
{
	while (r->nworkers < HULL_REGISTRY_FETCHERS) {
		int e = pthread_create(&r->workers[r->nworkers], NULL, worker, r);
		if (e) {
			if (r->nworkers)
				return 0; /* fewer at once, still works */
			return hull_err_errno(err, e, "%s: starting a download thread", r->label);
		}
		r->nworkers++;
	}
	return 0;
}

static struct job *job_new(struct hull_registry *r, const char *digest, uint64_t size)
{
	struct job *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->r = r;
	snprintf(j->digest, sizeof(j->digest), "%s", digest);
	j->size = size;
	hull_buf_init(&j->errbody, ERRBODY_MAX);
	*r->jobs_tail = j;
	r->jobs_tail = &j->next;
	return j;
}

static void prefetch_blob(void *ctx, const char *digest, uint64_t size)
{
	struct hull_registry *r = ctx;
	pthread_mutex_lock(&r->mu);
	if (size && start_workers_locked(r, NULL) == 0 && job_new(r, digest, size))
		pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static int open_blob(void *ctx, const char *digest, uint64_t size, void **out, struct hull_err *err)
{
	struct hull_registry *r = ctx;
	*out = NULL;
	pthread_mutex_lock(&r->mu);
	int rc = start_workers_locked(r, err);
	struct job *found = NULL;
	for (struct job *j = r->jobs; j && rc == 0 && !found; j = j->next)
		if (!j->attached && !j->cancelled && j->size == size && !strcmp(j->digest, digest))
			found = j;
	/* the unopened jobs before it were skipped; with none found, the
	 * reader left the announced order: drop them all */
	for (struct job *j = r->jobs; j && j != found && rc == 0; j = j->next)
		if (!j->attached)
			j->cancelled = true;
	if (rc == 0 && !found && !(found = job_new(r, digest, size)))
		rc = hull_err_nomem(err);
	if (found)
		found->attached = true;
	pthread_cond_broadcast(&r->cv);
	sweep_locked(r);
	pthread_mutex_unlock(&r->mu);
	*out = found;
	return rc;
}

static void close_blob(void *p)
{
	struct job *j = p;
	if (!j)
		return;
	struct hull_registry *r = j->r;
	pthread_mutex_lock(&r->mu);
	j->closed = true;
	if (j->state != JOB_DONE)
		j->cancelled = true;
	pthread_cond_broadcast(&r->cv);
	sweep_locked(r);
	pthread_mutex_unlock(&r->mu);
}

static void progress(struct job *j, bool done)
{
	const struct hull_registry_opts *o = j->r->o;
	if (o->progress)
		o->progress(o->progress_ctx, j->digest, j->delivered, j->size, done);
}

/* Sleeps until a good share of n is in the ring (or the rest of the
 * blob), not one wake-up per TLS record (cap is 0 until a worker starts
 * the job); with r->mu held: 1 when bytes are there, else 0 (the end) or
 * -1 (err set), the mutex released. */
static int wait_bytes(struct job *j, size_t n, struct hull_err *err)
{
	struct hull_registry *r = j->r;
	uint64_t left = j->size - j->delivered;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		size_t want = n < j->cap / 2 ? n : j->cap / 2;
		if (want > left)
			want = (size_t)left;
		if (!want)
			want = 1;
		if (j->len >= want || j->state == JOB_DONE)
			break;
		j->want = want;
		pthread_cond_wait(&r->cv, &r->mu);
	}
	j->want = 0;
	if (j->len)
		return 1;
	int rc = j->rc;
	if (rc < 0 && err)
		*err = j->err;
	pthread_mutex_unlock(&r->mu);
	if (rc < 0)
		return -1;
	if (!j->reported) {
		j->reported = true;
		progress(j, true);
	}
	return 0;
}

/* k bytes left the ring (r->mu held, released here). */
static void delivered(struct job *j, size_t k)
{
	struct hull_registry *r = j->r;
	r->stats.blob_bytes += k;
	if (j->worker_waits) {
		j->worker_waits = false;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	j->delivered += k;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != j->last_progress.tv_sec ||
	    now.tv_nsec - j->last_progress.tv_nsec > 200000000L) {
		j->last_progress = now;
		progress(j, false);
	}
}

static ssize_t read_blob(void *p, void *buf, size_t n, struct hull_err *err)
{
	struct job *j = p;
	int w = wait_bytes(j, n, err);
	if (w <= 0)
		return w;
	size_t k = 0;
	while (k < n && j->len) {
		size_t m = n - k;
		if (m > j->len)
			m = j->len;
		if (m > j->cap - j->head)
			m = j->cap - j->head;
		memcpy((char *)buf + k, j->ring + j->head, m);
		j->head = (j->head + m) % j->cap;
		j->len -= m;
		k += m;
	}
	delivered(j, k);
	return (ssize_t)k;
}

/* The reader inflates straight from the ring: the bytes from head on, up
 * to the ring's end, stay where they are (the worker writes only past
 * head + len) until consume_blob moves head past them. */
static ssize_t peek_blob(void *p, const void **buf, size_t n, struct hull_err *err)
{
	struct job *j = p;
	struct hull_registry *r = j->r;
	int w = wait_bytes(j, n, err);
	if (w <= 0)
		return w;
	size_t m = j->len < n ? j->len : n;
	if (m > j->cap - j->head)
		m = j->cap - j->head;
	*buf = j->ring + j->head;
	pthread_mutex_unlock(&r->mu);
	return (ssize_t)m;
}

static void consume_blob(void *p, size_t k)
{
	struct job *j = p;
	struct hull_registry *r = j->r;
	if (!k)
		return;
	pthread_mutex_lock(&r->mu);
	if (k > j->len)
		k = j->len;
	j->head = (j->head + k) % j->cap;
	j->len -= k;
	delivered(j, k);
}

/* The sha256 the worker computed, once the reader has read the whole
 * blob (the worker is then finishing, or done). */
static int blob_digest(void *p, char out[HULL_DIGEST_STRLEN + 1])
{
	struct job *j = p;
	struct hull_registry *r = j->r;
	pthread_mutex_lock(&r->mu);
	while (j->state != JOB_DONE)
		pthread_cond_wait(&r->cv, &r->mu);
	int rc = j->rc < 0 || j->len || !j->hashed[0] ? -1 : 0;
	if (rc == 0)
		memcpy(out, j->hashed, sizeof(j->hashed));
	pthread_mutex_unlock(&r->mu);
	if (rc == 0 && !j->reported) {
		j->reported = true;
		progress(j, true);
	}
	return rc;
}

void hull_registry_remote(struct hull_registry *r, struct hull_image_remote *out)
{
	*out = (struct hull_image_remote){
	    .ctx = r,
	    .get_manifest = get_manifest,
	    .get_blob = get_blob,
	    .prefetch = prefetch_blob,
	    .open_blob = open_blob,
	    .read_blob = read_blob,
	    .peek_blob = peek_blob,
	    .consume_blob = consume_blob,
	    .close_blob = close_blob,
	    .blob_digest = blob_digest,
	};
}
