/* registry: an OCI Distribution API client (Docker Registry HTTP API v2)
 * with libcurl, the remote store behind hull_image_open_remote.
 *
 * One handle per repository. What it does for every request:
 *  - auth: anonymous first; on 401 it answers the WWW-Authenticate
 *    challenge: Bearer (a token from the realm, with service and scope,
 *    the credentials given as Basic when there are any) or Basic; tokens
 *    are kept for the handle's life;
 *  - TLS verified (the system CAs, or ca_file); a host listed as insecure
 *    may use plain HTTP or an unverified certificate, no other may;
 *  - proxies from the environment (libcurl's http_proxy, https_proxy,
 *    no_proxy); redirects followed (blob storage), credentials are not
 *    sent to another host;
 *  - retries (HULL_REGISTRY_RETRIES) with exponential backoff on 429, 5xx,
 *    a reset or cut connection; a blob cut mid-way resumes with Range;
 *  - every answer capped: manifests and tokens by the caller's max, error
 *    bodies at 4 KiB; blobs stream and are never held whole.
 * Blob bytes pass through unverified: the image reader checks every digest.
 *
 * Errors name the registry, the repository and what was asked:
 * "registry 127.0.0.1:5000: app:1: manifest: HTTP 404 (MANIFEST_UNKNOWN:
 * manifest unknown)". HULL_ERR_NOTFOUND for 404, HULL_ERR_IO for the
 * network, TLS and authentication, HULL_ERR_INPUT for a malformed answer.
 *
 * No environment is read here except by libcurl for proxies: the CLI
 * passes the Docker config file path and the credentials. One caller
 * thread per handle; the handle runs HULL_REGISTRY_FETCHERS threads of its
 * own for layer blobs (see client.c), joined by hull_registry_free. */
#ifndef HULL_REGISTRY_REGISTRY_H
#define HULL_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "registry/ref.h"
#include "util/err.h"

#define HULL_REGISTRY_RETRIES      4
#define HULL_REGISTRY_MAX_INSECURE 16
#define HULL_REGISTRY_MAX_MIRRORS  8
#define HULL_REGISTRY_CONNECT_S    10L
#define HULL_REGISTRY_STALL_S      60L /* a transfer without a byte for this long is cut */
#define HULL_REGISTRY_MAX_TOKEN    (1u << 20)
/* Blobs downloaded at once, each through a ring of at most
 * HULL_REGISTRY_STREAM_BUFFER bytes, all rings within
 * HULL_REGISTRY_RINGS_MAX (a blob the reader waits for always starts). */
#define HULL_REGISTRY_FETCHERS      3
#define HULL_REGISTRY_STREAM_BUFFER (4u << 20)
#define HULL_REGISTRY_RINGS_MAX     (16u << 20)

/* Progress of blob downloads, for a terminal: called at most a few times
 * a second, and once with done set at the end of each blob. */
typedef void (*hull_registry_progress_fn)(void *ctx, const char *digest, uint64_t got,
                                          uint64_t size, bool done);

struct hull_registry_opts {
	const char *username; /* with password: Basic, and for the token realm */
	const char *password;
	const char
	    *docker_config;  /* config.json path: auths, credsStore, credHelpers; may be NULL */
	const char *ca_file; /* extra CA bundle; may be NULL */
	const char *insecure[HULL_REGISTRY_MAX_INSECURE]; /* "host[:port]" */
	size_t ninsecure;
	/* "[REGISTRY=]MIRROR": MIRROR ("host[:port]" or a URL; its path is
	 * ignored) is tried before REGISTRY (default docker.io), in the order
	 * given; any failure of a mirror's manifest request falls back to the
	 * next, then to the registry itself. */
	const char *mirrors[HULL_REGISTRY_MAX_MIRRORS];
	size_t nmirrors;
	hull_registry_progress_fn progress;
	void *progress_ctx;
	/* tests: the first retry waits this many ms (0: 250) */
	unsigned backoff_ms;
};

struct hull_registry;

/* A handle on ref's repository (the registry of ref->domain, docker.io
 * meaning registry-1.docker.io, its mirrors first). Nothing is sent yet.
 * opts and its strings are borrowed for the handle's life. HULL_ERR_USAGE
 * for a malformed mirror. */
int hull_registry_open(const struct hull_ref *ref, const struct hull_registry_opts *opts,
                       struct hull_registry **out, struct hull_err *err);
void hull_registry_free(struct hull_registry *r);

/* Fetches the manifest or index reference names and keeps it: the next
 * request for it (through the remote store) is answered from it, without
 * a second request. Authentication, a credential helper included, happens
 * here, so a caller may give up exec (a sandbox) afterwards. */
int hull_registry_resolve(struct hull_registry *r, const char *reference, struct hull_err *err);

/* The remote store for hull_image_open_remote; valid while r lives. */
void hull_registry_remote(struct hull_registry *r, struct hull_image_remote *out);

/* Requests made so far (all attempts, auth included), and blob GETs. */
struct hull_registry_stats {
	unsigned requests, blob_requests, retries;
	uint64_t blob_bytes;
};
void hull_registry_stats(struct hull_registry *r, struct hull_registry_stats *out);

/* A WWW-Authenticate challenge: `Bearer realm="..",service="..",scope=".."`
 * or `Basic realm=".."`. Parsed from untrusted text (fuzzed): quoted
 * strings with backslash escapes, tokens, at most 16 parameters, values
 * truncated to their fields. */
struct hull_auth_challenge {
	char scheme[16]; /* "bearer" or "basic", lower case; "" when unknown */
	char realm[1024];
	char service[256];
	char scope[512];
	char error[64];
};
int hull_auth_parse(const char *header, size_t len, struct hull_auth_challenge *out,
                    struct hull_err *err);

/* Credentials for registry host from a Docker config file's text: auths
 * (base64 "user:password", or username/password, or identitytoken),
 * credHelpers, credsStore (through `docker-credential-NAME get`, which is
 * run with the server on standard input and 10 s to answer). 1 and
 * malloc'ed strings when found, 0 when the file has none for host. */
int hull_registry_config_creds(const char *config_text, size_t len, const char *host,
                               char **username, char **password, struct hull_err *err);

#endif
