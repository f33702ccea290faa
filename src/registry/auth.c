/* WWW-Authenticate challenges and Docker config credentials. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registry/registry.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#define MAX_PARAMS     16
#define HELPER_MAX     (64u << 10)
#define HELPER_TIMEOUT 10000 /* ms */

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~/:", c));
}

static void skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

/* Copies a value into a field, truncating (always NUL-terminated). */
static void put(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int hull_auth_parse(const char *h, size_t len, struct hull_auth_challenge *out,
                    struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	skip_ws(h, len, &i);
	size_t s = i;
	while (i < len && is_tchar(h[i]) && h[i] != '/' && h[i] != ':')
		i++;
	if (i == s)
		return hull_err_set(err, HULL_ERR_INPUT, "WWW-Authenticate: no scheme");
	char scheme[16];
	put(scheme, sizeof(scheme), h + s, i - s);
	for (char *p = scheme; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!strcmp(scheme, "bearer") || !strcmp(scheme, "basic"))
		memcpy(out->scheme, scheme, sizeof(scheme));
	char value[2048];
	for (int n = 0; n < MAX_PARAMS; n++) {
		skip_ws(h, len, &i);
		while (i < len && h[i] == ',')
			i++, skip_ws(h, len, &i);
		if (i >= len)
			return 0;
		size_t ks = i;
		while (i < len && is_tchar(h[i]) && h[i] != '/' && h[i] != ':')
			i++;
		size_t klen = i - ks;
		skip_ws(h, len, &i);
		if (klen == 0 || i >= len || h[i] != '=')
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "WWW-Authenticate: expected name=value at offset %zu",
			                    i);
		i++;
		skip_ws(h, len, &i);
		size_t vlen = 0;
		if (i < len && h[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return hull_err_set(err, HULL_ERR_INPUT,
					                    "WWW-Authenticate: unterminated quoted "
					                    "string");
				char c = h[i++];
				if (c == '"')
					break;
				if (c == '\\') {
					if (i >= len)
						return hull_err_set(
						    err, HULL_ERR_INPUT,
						    "WWW-Authenticate: unterminated "
						    "quoted string");
					c = h[i++];
				}
				if (vlen < sizeof(value) - 1)
					value[vlen++] = c;
			}
		} else {
			size_t vs = i;
			while (i < len && is_tchar(h[i]))
				i++;
			vlen = i - vs < sizeof(value) - 1 ? i - vs : sizeof(value) - 1;
			memcpy(value, h + vs, vlen);
		}
		value[vlen] = '\0';
		const char *k = h + ks;
#define KEY(name) (klen == strlen(name) && !strncasecmp(k, name, klen))
		if (KEY("realm"))
			put(out->realm, sizeof(out->realm), value, vlen);
		else if (KEY("service"))
			put(out->service, sizeof(out->service), value, vlen);
		else if (KEY("scope"))
			put(out->scope, sizeof(out->scope), value, vlen);
		else if (KEY("error"))
			put(out->error, sizeof(out->error), value, vlen);
#undef KEY
		skip_ws(h, len, &i);
		if (i < len && h[i] != ',')
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "WWW-Authenticate: expected ',' at offset %zu", i);
	}
	return hull_err_set(err, HULL_ERR_LIMIT, "WWW-Authenticate: more than %d parameters",
	                    MAX_PARAMS);
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decodes base64 (padding optional) into a malloc'ed string. */
static char *b64decode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n / 4 * 3 + 4);
	if (!out)
		return NULL;
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		int v = b64val(s[i]);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

/* The keys a config file may use for host. */
static int host_keys(const char *host, char keys[4][320])
{
	if (!strcmp(host, "docker.io") || !strcmp(host, "index.docker.io") ||
	    !strcmp(host, "registry-1.docker.io")) {
		snprintf(keys[0], 320, "https://index.docker.io/v1/");
		snprintf(keys[1], 320, "index.docker.io");
		snprintf(keys[2], 320, "docker.io");
		snprintf(keys[3], 320, "registry-1.docker.io");
		return 4;
	}
	snprintf(keys[0], 320, "%s", host);
	snprintf(keys[1], 320, "https://%s", host);
	snprintf(keys[2], 320, "http://%s", host);
	snprintf(keys[3], 320, "https://%s/v1/", host);
	return 4;
}

static struct json_object *lookup(struct json_object *obj, char keys[4][320], int n,
                                  const char **key)
{
	for (int i = 0; obj && i < n; i++) {
		struct json_object *v;
		if (json_object_object_get_ex(obj, keys[i], &v)) {
			*key = keys[i];
			return v;
		}
	}
	return NULL;
}

/* Runs docker-credential-NAME get with server on stdin. */
static int run_helper(const char *name, const char *server, char **user, char **pass,
                      struct hull_err *err)
{
	char prog[160];
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "Docker config: credential helper name '%s' is not a "
			                    "plain name",
			                    name);
	if (snprintf(prog, sizeof(prog), "docker-credential-%s", name) >= (int)sizeof(prog))
		return hull_err_set(err, HULL_ERR_INPUT, "Docker config: helper name too long");
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		int e = errno;
		if (in[0] >= 0)
			close(in[0]), close(in[1]);
		return hull_err_errno(err, e, "%s", prog);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	char *argv[] = {prog, "get", NULL};
	extern char **environ;
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		return hull_err_errno(err, rc, "Docker config: credential helper %s", prog);
	}
	/* the server name is short: the pipe takes it at once */
	signal(SIGPIPE, SIG_IGN);
	ssize_t w = write(in[1], server, strlen(server));
	(void)w;
	close(in[1]);
	struct hull_buf b;
	hull_buf_init(&b, HELPER_MAX);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool timeout = false, over = false;
	for (;;) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= HELPER_TIMEOUT) {
			timeout = true;
			break;
		}
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (poll(&p, 1, (int)(HELPER_TIMEOUT - ms)) <= 0)
			continue;
		char chunk[4096];
		ssize_t k = read(out[0], chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (hull_buf_append(&b, chunk, (size_t)k, NULL) < 0) {
			over = true;
			break;
		}
	}
	close(out[0]);
	if (timeout || over)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int ret = 0;
	if (timeout)
		ret = hull_err_set(err, HULL_ERR_IO, "Docker config: %s get: no answer in %d s",
		                   prog, HELPER_TIMEOUT / 1000);
	else if (over)
		ret = hull_err_set(err, HULL_ERR_LIMIT,
		                   "Docker config: %s get: answer over %u bytes", prog, HELPER_MAX);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ret = 0; /* "credentials not found": anonymous */
	else {
		struct json_object *j;
		char label[200];
		snprintf(label, sizeof(label), "%s get", prog);
		if (hull_json_parse(b.data ? b.data : "", b.len, label, &j, err) < 0) {
			ret = -1;
		} else {
			const char *u = hull_json_get_str(j, "Username");
			const char *s = hull_json_get_str(j, "Secret");
			if (s && *s) {
				*user = strdup(u && strcmp(u, "<token>") ? u : "");
				*pass = strdup(s);
				ret = *user && *pass ? 1 : hull_err_nomem(err);
			}
			json_object_put(j);
		}
	}
	hull_buf_release(&b);
	return ret;
}

int hull_registry_config_creds(const char *text, size_t len, const char *host, char **username,
                               char **password, struct hull_err *err)
{
	*username = *password = NULL;
	struct json_object *cfg;
	if (hull_json_parse(text, len, "Docker config", &cfg, err) < 0)
		return -1;
	char keys[4][320];
	int nkeys = host_keys(host, keys);
	const char *key = NULL;
	int ret = 0;
	struct json_object *helpers = hull_json_get_obj(cfg, "credHelpers");
	struct json_object *helper = lookup(helpers, keys, nkeys, &key);
	const char *store = hull_json_get_str(cfg, "credsStore");
	struct json_object *auth = lookup(hull_json_get_obj(cfg, "auths"), keys, nkeys, &key);
	if (helper && json_object_is_type(helper, json_type_string)) {
		ret = run_helper(json_object_get_string(helper), key, username, password, err);
	} else if (auth && json_object_is_type(auth, json_type_object) &&
	           (hull_json_get_str(auth, "auth") || hull_json_get_str(auth, "username") ||
	            hull_json_get_str(auth, "identitytoken"))) {
		const char *a = hull_json_get_str(auth, "auth");
		const char *u = hull_json_get_str(auth, "username");
		const char *p = hull_json_get_str(auth, "password");
		const char *tok = hull_json_get_str(auth, "identitytoken");
		if (a && *a) {
			char *dec = b64decode(a);
			char *colon = dec ? strchr(dec, ':') : NULL;
			if (!colon) {
				free(dec);
				ret = hull_err_set(err, HULL_ERR_INPUT,
				                   "Docker config: auths.%s.auth is not base64 of "
				                   "user:password",
				                   key);
			} else {
				*colon = '\0';
				*username = strdup(dec);
				*password = strdup(colon + 1);
				free(dec);
				ret = *username && *password ? 1 : hull_err_nomem(err);
			}
		} else if (tok || (u && p)) {
			*username = strdup(tok ? "" : u);
			*password = strdup(tok ? tok : p);
			ret = *username && *password ? 1 : hull_err_nomem(err);
		}
	} else if (store && *store) {
		ret = run_helper(store, keys[0], username, password, err);
	}
	json_object_put(cfg);
	if (ret <= 0) {
		free(*username);
		free(*password);
		*username = *password = NULL;
	}
	return ret;
}
