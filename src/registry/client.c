/* The OCI Distribution client: requests, auth, retries, blob streams. */
#include <curl/curl.h>
#include <errno.h>
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

#define ERRBODY_MAX  4096
#define HEADER_MAX   2048
#define MAX_HOSTS    2
#define RETRY_MAX_MS 10000

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
	struct host hosts[MAX_HOSTS]; /* the mirror first, when there is one */
	size_t nhosts, cur;           /* cur: the host in use */
	char *authz;                  /* "Authorization: ..." header, or NULL */
	char *user, *pass;
	bool creds_loaded;
	CURL *curl;
	CURLM *multi;
	struct hull_registry_stats stats;
	char label[2 * HULL_REF_NAME_MAX + 32]; /* "registry HOST: path" */
};

/* What one answer said in its headers. */
struct answer {
	long status;
	char content_type[256];
	char digest[HULL_DIGEST_STRLEN + 8];
	char challenge[HEADER_MAX];
	long retry_after;
	long long range_start; /* Content-Range start, -1 when absent */
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

/* "host[:port]" of a mirror given as a host or a URL. */
static void mirror_host(const char *m, char *out, size_t n)
{
	const char *p = strstr(m, "://");
	p = p ? p + 3 : m;
	snprintf(out, n, "%.*s", (int)strcspn(p, "/"), p);
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
	if (hub && o->mirror && *o->mirror)
		mirror_host(o->mirror, r->hosts[r->nhosts++].name, sizeof(r->hosts[0].name));
	snprintf(r->hosts[r->nhosts++].name, sizeof(r->hosts[0].name), "%s",
	         hub ? "registry-1.docker.io" : ref->domain);
	for (size_t i = 0; i < r->nhosts; i++)
		r->hosts[i].insecure = host_listed(o, r->hosts[i].name) ||
		                       (hub && i == r->nhosts - 1 && host_listed(o, "docker.io"));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(r);
		return hull_err_set(err, HULL_ERR_IO, "libcurl initialisation failed");
	}
	r->curl = curl_easy_init();
	r->multi = curl_multi_init();
	if (!r->curl || !r->multi) {
		hull_registry_free(r);
		return hull_err_nomem(err);
	}
	int ln = snprintf(r->label, sizeof(r->label), "registry %s: %s", ref->domain, ref->path);
	(void)ln;
	*out = r;
	return 0;
}

void hull_registry_free(struct hull_registry *r)
{
	if (!r)
		return;
	if (r->curl)
		curl_easy_cleanup(r->curl);
	if (r->multi)
		curl_multi_cleanup(r->multi);
	free(r->authz);
	free(r->user);
	if (r->pass)
		explicit_bzero(r->pass, strlen(r->pass));
	free(r->pass);
	free(r);
	curl_global_cleanup();
}

void hull_registry_stats(const struct hull_registry *r, struct hull_registry_stats *out)
{
	*out = r->stats;
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
		r->stats.requests++;
		cr = curl_easy_perform(t);
		status = 0;
		curl_easy_getinfo(t, CURLINFO_RESPONSE_CODE, &status);
		if ((cr != CURLE_OK && retryable_curl(cr)) || retryable_status(status)) {
			if (attempt++ < HULL_REGISTRY_RETRIES) {
				r->stats.retries++;
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
			free(r->authz);
			if (asprintf(&r->authz, "Authorization: Bearer %s", tok) < 0) {
				r->authz = NULL;
				rc = hull_err_nomem(err);
			}
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
		free(r->authz);
		if (!(r->authz = basic_header(r->user, r->pass)))
			return hull_err_nomem(err);
		return 0;
	}
	return hull_err_set(err, HULL_ERR_IO, "%s: unsupported authentication scheme in '%.100s'",
	                    r->label, challenge);
}

/* The failure of an answer that is not 200. */
static int status_error(struct hull_registry *r, const char *what, long status,
                        const struct hull_buf *body, bool authed, struct hull_err *err)
{
	char words[300];
	registry_words(body, words, sizeof(words));
	if (status == 401 || status == 403)
		return hull_err_set(err, HULL_ERR_IO,
		                    "%s: %s: authentication failed (HTTP %ld%s)%s", r->label, what,
		                    status, words,
		                    authed && r->user ? ": wrong username or password?"
		                    : authed          ? ""
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
		if (!strcmp(kind, "manifests"))
			h = curl_slist_append(h, accept_manifests);
		if (r->authz)
			h = curl_slist_append(h, r->authz);
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
		r->stats.requests++;
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
				r->stats.retries++;
				backoff(r, attempt - 1, 0);
				continue;
			}
			return curl_error(r, what, rc, ebuf, err);
		}
		if (a->status == 200)
			return 0;
		if (a->status == 401 && a->challenge[0] && !authed) {
			authed = true;
			if (authenticate(r, a->challenge, err) < 0)
				return -1;
			continue;
		}
		if (retryable_status(a->status) && attempt++ < HULL_REGISTRY_RETRIES) {
			r->stats.retries++;
			backoff(r, attempt - 1, a->retry_after);
			continue;
		}
		return status_error(r, what, a->status, body, authed || r->authz, err);
	}
}

static int get_manifest(void *ctx, const char *reference, size_t max, char **data, size_t *len,
                        char **media_type, char **digest, struct hull_err *err)
{
	struct hull_registry *r = ctx;
	*data = *media_type = *digest = NULL;
	struct hull_buf body;
	struct answer a;
	char what[HULL_REF_STR_MAX + 32];
	snprintf(what, sizeof(what), "manifest %s", reference);
	hull_buf_init(&body, max);
	int rc = -1;
	/* the mirror first, then the registry itself */
	for (size_t i = r->cur; i < r->nhosts; i++) {
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

static int get_blob(void *ctx, const char *digest, size_t max, char **data, size_t *len,
                    struct hull_err *err)
{
	struct hull_registry *r = ctx;
	struct hull_buf body;
	struct answer a;
	char what[128];
	snprintf(what, sizeof(what), "blob %s", digest);
	hull_buf_init(&body, max);
	r->stats.blob_requests++;
	if (get_small(r, "blobs", digest, what, max, &body, &a, err) < 0) {
		hull_buf_release(&body);
		return -1;
	}
	*data = hull_buf_detach(&body, len);
	return *data ? 0 : hull_err_nomem(err);
}

/* A layer blob, pulled from the socket as the reader asks for bytes:
 * libcurl's multi interface fills a bounded buffer and is paused when it
 * is full, so memory stays at HULL_REGISTRY_STREAM_BUFFER per stream. */
struct stream {
	struct hull_registry *r;
	char digest[HULL_DIGEST_STRLEN + 1];
	uint64_t size;
	CURL *easy;
	struct curl_slist *headers;
	struct answer a;
	bool running, paused, done;
	CURLcode result;
	unsigned char *buf;
	size_t start, len;
	uint64_t received; /* bytes of the blob accepted so far, over all attempts */
	uint64_t skip;     /* bytes to drop: a 200 answer to a resumed request */
	uint64_t requested_from;
	unsigned attempts;
	bool authed;
	struct hull_buf errbody;
	char ebuf[CURL_ERROR_SIZE];
	struct timespec last_progress;
};

static size_t on_blob(char *p, size_t size, size_t n, void *ctx)
{
	struct stream *s = ctx;
	size_t len = size * n;
	if (s->a.status == 0)
		curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->a.status);
	if (s->a.status != 200 && s->a.status != 206) {
		hull_buf_append(&s->errbody, p, len, NULL);
		return len;
	}
	/* a 200 to a resumed request starts over: drop what we have */
	size_t drop = s->a.status == 200 && s->skip ? (s->skip < len ? (size_t)s->skip : len) : 0;
	size_t keep = len - drop;
	if (s->start + s->len + keep > HULL_REGISTRY_STREAM_BUFFER) {
		memmove(s->buf, s->buf + s->start, s->len);
		s->start = 0;
	}
	if (s->len + keep > HULL_REGISTRY_STREAM_BUFFER) {
		s->paused = true; /* libcurl hands the same bytes again after the pause */
		return CURL_WRITEFUNC_PAUSE;
	}
	s->skip -= drop;
	memcpy(s->buf + s->start + s->len, p + drop, keep);
	s->len += keep;
	s->received += keep;
	return len;
}

static void stream_stop(struct stream *s)
{
	if (s->easy) {
		if (s->running)
			curl_multi_remove_handle(s->r->multi, s->easy);
		curl_easy_cleanup(s->easy);
	}
	curl_slist_free_all(s->headers);
	s->easy = NULL;
	s->headers = NULL;
	s->running = s->paused = false;
}

static int stream_start(struct stream *s, struct hull_err *err)
{
	struct hull_registry *r = s->r;
	char url[HULL_REF_STR_MAX * 2 + 64], range[64];
	make_url(r, "blobs", s->digest, url, sizeof(url));
	s->easy = curl_easy_init();
	if (!s->easy)
		return hull_err_nomem(err);
	if (r->authz)
		s->headers = curl_slist_append(s->headers, r->authz);
	common_options(r, s->easy, url);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_blob);
	curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, &s->a);
	curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->ebuf);
	curl_easy_setopt(s->easy, CURLOPT_BUFFERSIZE, 256L << 10);
	if (s->received) {
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)s->received);
		curl_easy_setopt(s->easy, CURLOPT_RANGE, range);
	}
	s->requested_from = s->received;
	s->skip = s->received; /* used only if the server ignores the Range */
	answer_reset(&s->a);
	hull_buf_reset(&s->errbody);
	s->ebuf[0] = '\0';
	s->done = false;
	s->result = CURLE_OK;
	if (curl_multi_add_handle(r->multi, s->easy) != CURLM_OK)
		return hull_err_set(err, HULL_ERR_IO, "%s: blob %s: cannot start the transfer",
		                    r->label, s->digest);
	s->running = true;
	r->stats.requests++;
	r->stats.blob_requests++;
	return 0;
}

static int open_blob(void *ctx, const char *digest, uint64_t size, void **out, struct hull_err *err)
{
	struct stream *s = calloc(1, sizeof(*s));
	if (!s || !(s->buf = malloc(HULL_REGISTRY_STREAM_BUFFER))) {
		free(s);
		return hull_err_nomem(err);
	}
	s->r = ctx;
	snprintf(s->digest, sizeof(s->digest), "%s", digest);
	s->size = size;
	hull_buf_init(&s->errbody, ERRBODY_MAX);
	*out = s;
	return 0;
}

static void close_blob(void *p)
{
	struct stream *s = p;
	if (!s)
		return;
	stream_stop(s);
	hull_buf_release(&s->errbody);
	free(s->buf);
	free(s);
}

static void progress(struct stream *s, bool done)
{
	const struct hull_registry_opts *o = s->r->o;
	if (o->progress)
		o->progress(o->progress_ctx, s->digest, s->received, s->size, done);
}

/* Runs the transfer until bytes are buffered or it ends. */
static int pump(struct stream *s, struct hull_err *err)
{
	struct hull_registry *r = s->r;
	int still;
	if (s->paused && s->len < HULL_REGISTRY_STREAM_BUFFER / 2) {
		s->paused = false;
		curl_easy_pause(s->easy, CURLPAUSE_CONT);
	}
	if (curl_multi_perform(r->multi, &still) != CURLM_OK)
		return hull_err_set(err, HULL_ERR_IO, "%s: blob %s: transfer failed", r->label,
		                    s->digest);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(r->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == s->easy) {
			s->done = true;
			s->result = m->data.result;
		}
	if (!s->len && !s->done && !s->paused)
		curl_multi_poll(r->multi, NULL, 0, 200, NULL);
	return 0;
}

/* A finished attempt: 1 to go on (retried), 0 at the blob's end, -1 error. */
static int attempt_over(struct stream *s, struct hull_err *err)
{
	struct hull_registry *r = s->r;
	long status = s->a.status;
	if (!status)
		curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	CURLcode rc = s->result;
	char what[128];
	snprintf(what, sizeof(what), "blob %s", s->digest);
	struct hull_buf body = s->errbody;
	bool ok_status = status == 200 || status == 206;
	if (rc == CURLE_OK && ok_status && s->received >= s->size)
		return 0;
	if (status == 206 && s->a.range_start >= 0 &&
	    (uint64_t)s->a.range_start != s->requested_from)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: %s: asked to resume at byte %llu, the answer starts at %lld", r->label,
		    what, (unsigned long long)s->requested_from, s->a.range_start);
	if (rc == CURLE_OK && status == 401 && s->a.challenge[0] && !s->authed) {
		s->authed = true;
		char challenge[HEADER_MAX];
		memcpy(challenge, s->a.challenge, sizeof(challenge));
		stream_stop(s);
		if (authenticate(r, challenge, err) < 0)
			return -1;
		return stream_start(s, err) < 0 ? -1 : 1;
	}
	bool cut = (rc == CURLE_OK && ok_status) || retryable_curl(rc);
	if ((cut || (rc == CURLE_OK && retryable_status(status))) &&
	    s->attempts++ < HULL_REGISTRY_RETRIES) {
		long ra = s->a.retry_after;
		stream_stop(s);
		r->stats.retries++;
		backoff(r, s->attempts - 1, ra);
		return stream_start(s, err) < 0 ? -1 : 1;
	}
	if (rc != CURLE_OK && !cut)
		return curl_error(r, what, rc, s->ebuf, err);
	if (rc == CURLE_OK && !ok_status)
		return status_error(r, what, status, &body, r->authz != NULL, err);
	return hull_err_set(
	    err, HULL_ERR_IO, "%s: %s: transfer cut after %llu of %llu bytes (%s), %u attempts",
	    r->label, what, (unsigned long long)s->received, (unsigned long long)s->size,
	    rc == CURLE_OK ? "the answer ended early"
	    : s->ebuf[0]   ? s->ebuf
	                   : curl_easy_strerror(rc),
	    s->attempts);
}

static ssize_t read_blob(void *p, void *buf, size_t n, struct hull_err *err)
{
	struct stream *s = p;
	if (!s->easy && s->received == 0 && !s->done) {
		if (stream_start(s, err) < 0)
			return -1;
	}
	for (;;) {
		if (s->len) {
			size_t k = n < s->len ? n : s->len;
			memcpy(buf, s->buf + s->start, k);
			s->start += k;
			s->len -= k;
			if (!s->len)
				s->start = 0;
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec != s->last_progress.tv_sec ||
			    now.tv_nsec - s->last_progress.tv_nsec > 200000000L) {
				s->last_progress = now;
				progress(s, false);
			}
			s->r->stats.blob_bytes += k;
			return (ssize_t)k;
		}
		if (s->done) {
			int rc = attempt_over(s, err);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				progress(s, true);
				return 0;
			}
			continue;
		}
		if (!s->easy)
			return 0;
		if (pump(s, err) < 0)
			return -1;
	}
}

void hull_registry_remote(struct hull_registry *r, struct hull_image_remote *out)
{
	*out = (struct hull_image_remote){
	    .ctx = r,
	    .get_manifest = get_manifest,
	    .get_blob = get_blob,
	    .open_blob = open_blob,
	    .read_blob = read_blob,
	    .close_blob = close_blob,
	};
}
