#include "cli/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/engine.h"
#include "registry/ref.h"
#include "registry/registry.h"
#include "util/json.h"
#include "util/mem.h"

#define MAX_PASSWORD (64u << 10)

enum kind {
	K_AUTO,
	K_FILE,
	K_DOCKER_ARCHIVE,
	K_OCI,
	K_OCI_ARCHIVE,
	K_DOCKER,
	K_PODMAN,
	K_REGISTRY
};

static const struct {
	const char *prefix;
	enum kind kind;
} prefixes[] = {
    {"docker-archive:", K_DOCKER_ARCHIVE},
    {"oci-archive:", K_OCI_ARCHIVE},
    {"oci:", K_OCI},
    {"docker://", K_DOCKER},
    {"podman://", K_PODMAN},
    {"registry://", K_REGISTRY},
};

/* An existing path, or PATH:TAG whose PATH exists. */
static bool is_path(const char *t)
{
	struct stat st;
	if (stat(t, &st) == 0)
		return true;
	const char *colon = strrchr(t, ':');
	if (!colon || strchr(colon, '/') || colon == t)
		return false;
	char path[4096];
	snprintf(path, sizeof(path), "%.*s", (int)(colon - t), t);
	return stat(path, &st) == 0;
}

static int open_file(const char *path, enum kind k, const struct hull_image_opts *opts,
                     struct hull_image **out, struct hull_diag *diag, struct hull_err *err)
{
	if (hull_image_open(path, opts, out, diag, err) < 0)
		return -1;
	enum hull_image_format want = k == K_DOCKER_ARCHIVE ? HULL_IMAGE_DOCKER_ARCHIVE
	                              : k == K_OCI          ? HULL_IMAGE_OCI_LAYOUT
	                                                    : HULL_IMAGE_OCI_ARCHIVE;
	if (k != K_FILE && (*out)->format != want) {
		const char *got = hull_image_format_name((*out)->format);
		const char *w = hull_image_format_name(want);
		int rc = hull_err_set(err, HULL_ERR_USAGE, "%s: %s %s, not %s %s", path,
		                      got[0] == 'o' ? "an" : "a", got, w[0] == 'o' ? "an" : "a", w);
		hull_image_free(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

static bool env_set(const char *name, const char **out)
{
	const char *v = getenv(name);
	*out = v && *v ? v : NULL;
	return *out != NULL;
}

/* The socket of an engine kind; false when none is there. */
static bool engine_url(enum kind k, const struct hull_cli_source_opts *src, char *out, size_t n)
{
	const char *v;
	if (src->engine) {
		snprintf(out, n, "%s", src->engine);
		return true;
	}
	if (k == K_PODMAN) {
		if (env_set("CONTAINER_HOST", &v)) {
			snprintf(out, n, "%s", v);
			return true;
		}
		static const char *const sys = "/run/podman/podman.sock";
		struct stat st;
		if (stat(sys, &st) == 0 && S_ISSOCK(st.st_mode)) {
			snprintf(out, n, "unix://%s", sys);
			return true;
		}
		if (env_set("XDG_RUNTIME_DIR", &v)) {
			char p[4096];
			snprintf(p, sizeof(p), "%s/podman/podman.sock", v);
			if (stat(p, &st) == 0 && S_ISSOCK(st.st_mode)) {
				snprintf(out, n, "unix://%s", p);
				return true;
			}
		}
		return false;
	}
	if (env_set("DOCKER_HOST", &v)) {
		snprintf(out, n, "%s", v);
		return true;
	}
	if (k == K_DOCKER) {
		struct stat st;
		if (stat("/var/run/docker.sock", &st) == 0 && S_ISSOCK(st.st_mode)) {
			snprintf(out, n, "unix:///var/run/docker.sock");
			return true;
		}
		return false;
	}
	return hull_engine_find(getenv("XDG_RUNTIME_DIR"), out, n);
}

/* A private temp file nobody else can open: unlinked from the start. */
static int private_tmp(struct hull_err *err)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char path[4096];
	snprintf(path, sizeof(path), "%s/hull-engine-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "temporary file in %s", dir);
	unlink(path);
	return fd;
}

/* The image from an engine: 0, -1 (err), or 1 when the engine does not
 * have it (the next source is tried). */
static int from_engine(const char *url, const char *name, const char *label,
                       const struct hull_image_opts *opts, const struct hull_cli_source_opts *src,
                       struct hull_image **out, struct hull_diag *diag, struct hull_err *err)
{
	struct hull_engine *e = NULL;
	if (!hull_engine_name_ok(name))
		return hull_err_set(err, HULL_ERR_USAGE, "'%s': not an image name an engine takes",
		                    name);
	if (hull_engine_open(url, &e, err) < 0)
		return -1;
	char path[700];
	struct json_object *info = NULL;
	snprintf(path, sizeof(path), "/images/%s/json", name);
	int rc = hull_engine_get_json(e, path, &info, err);
	if (rc < 0) {
		hull_engine_free(e);
		return err->kind == HULL_ERR_NOTFOUND ? 1 : -1;
	}
	const char *id = hull_json_get_str(info, "Id");
	char hex[80] = "";
	if (id)
		snprintf(hex, sizeof(hex), "%s", strncmp(id, "sha256:", 7) ? id : id + 7);
	json_object_put(info);
	if (!hull_engine_id_ok(hex)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "engine %s: GET %s: no usable image Id",
		                  hull_engine_url(e), path);
		hull_engine_free(e);
		return rc;
	}
	int fd = private_tmp(err);
	if (fd < 0) {
		hull_engine_free(e);
		return -1;
	}
	snprintf(path, sizeof(path), "/images/%s/get", hex);
	rc = hull_engine_get_to_fd(e, path, fd, HULL_CLI_ENGINE_MAX_EXPORT, NULL, err);
	hull_engine_free(e);
	/* the export is here: the rest reads one open file, no socket */
	if (rc == 0 && src->sandbox)
		rc = hull_cli_confine(src->cmd, src->sandbox, err);
	if (rc == 0)
		rc = hull_image_open_fd(fd, label, opts, out, diag, err);
	close(fd);
	return rc;
}

static char *read_password(struct hull_err *err)
{
	char *buf = malloc(MAX_PASSWORD + 1);
	size_t len = 0;
	if (!buf) {
		hull_err_nomem(err);
		return NULL;
	}
	for (;;) {
		ssize_t k = read(STDIN_FILENO, buf + len, MAX_PASSWORD - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			hull_err_errno(err, errno, "--password-stdin: standard input");
			return NULL;
		}
		if (k == 0)
			break;
		len += (size_t)k;
		if (len == MAX_PASSWORD) {
			free(buf);
			hull_err_set(err, HULL_ERR_USAGE, "--password-stdin: over %u bytes",
			             MAX_PASSWORD);
			return NULL;
		}
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
}

/* Progress of blob downloads on standard error (a terminal only). */
struct progress {
	struct timespec t0;
	uint64_t done_bytes;
	unsigned blobs;
};

static void on_progress(void *ctx, const char *digest, uint64_t got, uint64_t size, bool done)
{
	struct progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->t0.tv_sec)
		p->t0 = now;
	double s = (double)(now.tv_sec - p->t0.tv_sec) + (now.tv_nsec - p->t0.tv_nsec) / 1e9;
	uint64_t total = p->done_bytes + got;
	fprintf(stderr, "\r\033[Khull: layer %u %.19s  %.1f/%.1f MiB  %.1f MiB/s", p->blobs + 1,
	        digest, got / 1048576.0, size / 1048576.0, s > 0 ? total / 1048576.0 / s : 0.0);
	if (done) {
		p->done_bytes += got;
		p->blobs++;
		fputs("\r\033[K", stderr);
	}
	fflush(stderr);
}

static int from_registry(const struct hull_ref *ref, const char *label,
                         const struct hull_image_opts *opts, const struct hull_cli_source_opts *src,
                         struct hull_image **out, struct hull_diag *diag, struct hull_err *err)
{
	struct hull_registry_opts ro = {
	    .username = src->username,
	    .ca_file = src->registry_ca,
	};
	for (size_t i = 0; i < src->nmirrors && i < HULL_REGISTRY_MAX_MIRRORS; i++)
		ro.mirrors[ro.nmirrors++] = src->mirrors[i];
	for (size_t i = 0; i < src->ninsecure; i++)
		ro.insecure[ro.ninsecure++] = src->insecure[i];
	cleanup_free char *password = NULL, *config = NULL;
	if (src->password) {
		ro.password = src->password;
	} else if (src->password_stdin) {
		if (!src->username)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--password-stdin needs --username");
		if (!(password = read_password(err)))
			return -1;
		ro.password = password;
	}
	const char *v;
	if (env_set("DOCKER_CONFIG", &v)) {
		if (asprintf(&config, "%s/config.json", v) < 0)
			config = NULL;
	} else if (env_set("HOME", &v)) {
		if (asprintf(&config, "%s/.docker/config.json", v) < 0)
			config = NULL;
	}
	ro.docker_config = config;
	struct progress pr = {0};
	if (!src->quiet && isatty(STDERR_FILENO)) {
		ro.progress = on_progress;
		ro.progress_ctx = &pr;
	}
	const char *envb = getenv("HULL_REGISTRY_BACKOFF_MS"); /* tests: short waits */
	if (envb && *envb)
		ro.backoff_ms = (unsigned)strtoul(envb, NULL, 10);
	/* tests and bench: the requests made, written at the end (opened
	 * now: the sandbox may not let it be created later) */
	const char *stats = getenv("HULL_REGISTRY_STATS");
	FILE *sf = stats && *stats ? fopen(stats, "w") : NULL;
	struct hull_registry *r;
	if (hull_registry_open(ref, &ro, &r, err) < 0) {
		if (sf)
			fclose(sf);
		return -1;
	}
	int rc = hull_registry_resolve(r, hull_ref_reference(ref), err);
	if (rc == 0 && src->sandbox) {
		src->sandbox->allow_net = true;
		if (hull_sandbox_allow_read(src->sandbox, ro.ca_file, err) < 0 ||
		    hull_sandbox_allow_read(src->sandbox, config, err) < 0 ||
		    hull_cli_confine(src->cmd, src->sandbox, err) < 0)
			rc = -1;
	}
	struct hull_image_remote remote;
	hull_registry_remote(r, &remote);
	if (rc == 0)
		rc = hull_image_open_remote(&remote, hull_ref_reference(ref), label, opts, out,
		                            diag, err);
	if (sf) {
		struct hull_registry_stats st;
		hull_registry_stats(r, &st);
		fprintf(sf, "requests %u\nblob_requests %u\nretries %u\nblob_bytes %llu\n",
		        st.requests, st.blob_requests, st.retries,
		        (unsigned long long)st.blob_bytes);
		fclose(sf);
	}
	hull_registry_free(r);
	if (password)
		explicit_bzero(password, strlen(password));
	return rc;
}

int hull_cli_source_password(struct hull_cli_source_opts *src, struct hull_err *err)
{
	if (!src->password_stdin || src->password)
		return 0;
	if (!src->username)
		return hull_err_set(err, HULL_ERR_USAGE, "--password-stdin needs --username");
	src->password = read_password(err);
	return src->password ? 0 : -1;
}

void hull_cli_source_release(struct hull_cli_source_opts *src)
{
	if (src->password) {
		explicit_bzero(src->password, strlen(src->password));
		free(src->password);
		src->password = NULL;
	}
}

/* Parses --source into an ordered list of K_DOCKER (any engine) / K_REGISTRY. */
static int parse_sources(const char *list, enum kind *out, size_t *n, struct hull_err *err)
{
	*n = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", list ? list : "engine,registry");
	for (char *save, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		enum kind k;
		if (!strcmp(w, "engine"))
			k = K_AUTO;
		else if (!strcmp(w, "registry"))
			k = K_REGISTRY;
		else
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--source '%s': expected engine, registry or both "
			                    "(engine,registry)",
			                    w);
		if (*n == 2)
			return hull_err_set(err, HULL_ERR_USAGE, "--source: at most two sources");
		out[(*n)++] = k;
	}
	if (!*n)
		return hull_err_set(err, HULL_ERR_USAGE, "--source: empty");
	return 0;
}

int hull_cli_open_image(const char *target, const struct hull_image_opts *opts,
                        const struct hull_cli_source_opts *src, struct hull_image **out,
                        struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	enum kind k = K_AUTO;
	const char *rest = target;
	for (size_t i = 0; !src->refs_only && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(target, prefixes[i].prefix, strlen(prefixes[i].prefix))) {
			k = prefixes[i].kind;
			rest = target + strlen(prefixes[i].prefix);
			break;
		}
	if (k == K_AUTO && !src->refs_only && is_path(target))
		k = K_FILE;
	if (k == K_REGISTRY && src->offline)
		return hull_err_set(err, HULL_ERR_USAGE, "%s: a registry source, and --offline",
		                    target);
	if (k == K_FILE || k == K_DOCKER_ARCHIVE || k == K_OCI || k == K_OCI_ARCHIVE)
		return open_file(rest, k, opts, out, diag, err);

	struct hull_ref ref;
	if (hull_ref_parse(rest, &ref, err) < 0) {
		if (k == K_AUTO) {
			char why[HULL_ERR_MSG_MAX];
			snprintf(why, sizeof(why), "%s", err->msg);
			return hull_err_set(
			    err, HULL_ERR_USAGE,
			    "%s: no such file or directory, and not an image reference "
			    "(%s)",
			    target, why);
		}
		return -1;
	}
	char name[HULL_REF_STR_MAX + 32], label[HULL_REF_STR_MAX + 64];
	hull_ref_familiar(&ref, name, sizeof(name));
	enum kind order[2];
	size_t n = 1;
	if (k == K_AUTO) {
		if (parse_sources(src->sources, order, &n, err) < 0)
			return -1;
		/* --offline: the registry is not asked */
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (!src->offline || order[i] != K_REGISTRY)
				order[kept++] = order[i];
		n = kept;
		if (!n)
			return hull_err_set(err, HULL_ERR_NOTFOUND,
			                    "%s: --offline, and no engine in --source", target);
	} else {
		order[0] = k;
	}
	int rc = -1;
	bool tried_engine = false;
	char engine_err[HULL_ERR_MSG_MAX] = "";
	for (size_t i = 0; i < n; i++) {
		hull_err_clear(err);
		if (order[i] == K_REGISTRY) {
			snprintf(label, sizeof(label), "registry://%s", name);
			rc = from_registry(&ref, label, opts, src, out, diag, err);
			break;
		}
		char url[4200];
		if (!engine_url(order[i], src, url, sizeof(url))) {
			if (k != K_AUTO)
				return hull_err_set(
				    err, HULL_ERR_NOTFOUND,
				    "%s: no %s engine socket (give one with --engine "
				    "unix:///PATH%s)",
				    target, k == K_PODMAN ? "podman" : "docker",
				    k == K_PODMAN ? ", or start 'podman system service'"
				                  : " or set DOCKER_HOST");
			continue;
		}
		tried_engine = true;
		snprintf(label, sizeof(label), "%s%s",
		         order[i] == K_PODMAN ? "podman://" : "docker://", name);
		/* the name as the user wrote it: the engine normalises it its way */
		rc = from_engine(url, rest, label, opts, src, out, diag, err);
		if (rc == 1) {
			snprintf(engine_err, sizeof(engine_err), "%s", err->msg);
			rc = hull_err_set(err, HULL_ERR_NOTFOUND, "%s: not in the engine (%s)",
			                  target, engine_err);
			continue;
		}
		if (rc < 0 && k == K_AUTO && i + 1 < n && err->kind == HULL_ERR_IO) {
			/* the engine does not answer: the registry may */
			snprintf(engine_err, sizeof(engine_err), "%s", err->msg);
			continue;
		}
		break;
	}
	if (rc < 0 && !err->kind)
		hull_err_set(err, HULL_ERR_NOTFOUND, "%s: %s", target,
		             tried_engine   ? engine_err
		             : src->offline ? "no engine found (--offline: no registry)"
		                            : "no engine found and no registry in --source");
	if (rc == 0 && !(*out)->name) {
		char canon[HULL_REF_STR_MAX + 32];
		hull_ref_format(&ref, canon, sizeof(canon));
		if (!((*out)->name = strdup(canon))) {
			hull_image_free(*out);
			*out = NULL;
			return hull_err_nomem(err);
		}
	}
	return rc < 0 ? -1 : 0;
}

static int keep_tag(char ***v, size_t *n, const char *tag)
{
	if (*n == HULL_CLI_ENGINE_MAX_TAGS || !hull_engine_name_ok(tag) ||
	    !strcmp(tag, "<none>:<none>"))
		return 0;
	if ((*n & 63) == 0) {
		char **g = realloc(*v, (*n + 64) * sizeof(*g));
		if (!g)
			return -1;
		*v = g;
	}
	if (!((*v)[*n] = strdup(tag)))
		return -1;
	(*n)++;
	return 0;
}

int hull_cli_engine_tags(const struct hull_cli_source_opts *src, char ***out, size_t *n,
                         struct hull_err *err)
{
	*out = NULL;
	*n = 0;
	enum kind order[2];
	size_t norder;
	if (parse_sources(src->sources, order, &norder, err) < 0)
		return -1;
	bool engine = false;
	for (size_t i = 0; i < norder; i++)
		engine |= order[i] == K_AUTO;
	char url[4200];
	if (!engine || !engine_url(K_AUTO, src, url, sizeof(url)))
		return 0;
	struct hull_engine *e = NULL;
	struct json_object *list = NULL;
	if (hull_engine_open(url, &e, err) < 0)
		return -1;
	int rc = hull_engine_get_json(e, "/images/json", &list, err);
	if (rc == 0 && !json_object_is_type(list, json_type_array))
		rc = hull_err_set(err, HULL_ERR_INPUT, "engine %s: GET /images/json: not a list",
		                  hull_engine_url(e));
	size_t len = rc == 0 ? json_object_array_length(list) : 0;
	for (size_t i = 0; rc == 0 && i < len; i++) {
		struct json_object *tags =
		    hull_json_get_arr(json_object_array_get_idx(list, i), "RepoTags");
		size_t nt = tags ? json_object_array_length(tags) : 0;
		for (size_t k = 0; rc == 0 && k < nt; k++) {
			struct json_object *t = json_object_array_get_idx(tags, k);
			if (json_object_is_type(t, json_type_string) &&
			    keep_tag(out, n, json_object_get_string(t)) < 0)
				rc = hull_err_nomem(err);
		}
	}
	json_object_put(list);
	hull_engine_free(e);
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
