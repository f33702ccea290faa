/* Running containers from the Docker Engine API (docker, or podman's
 * compatible service) over its unix socket, with libcurl; each container's
 * /containers/{id}/json goes through the inspect front end of hull config. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/runtime.h"
#include "misconfig/load.h"
#include "util/buf.h"
#include "util/json.h"

struct sink {
	struct hull_buf *b;
	struct hull_err *err;
	bool over;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	if (hull_buf_append(s->b, p, size * n, s->err) < 0) {
		s->over = true;
		return 0; /* abort the transfer */
	}
	return size * n;
}

static int get(const char *sock, const char *path, struct hull_buf *out, struct hull_err *err)
{
	CURL *c = curl_easy_init();
	if (!c)
		return hull_err_nomem(err);
	char url[1024];
	snprintf(url, sizeof(url), "http://localhost%s", path);
	struct sink s = {out, err, false};
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (s.over)
		return hull_err_wrap(err, "engine %s: GET %s", sock, path);
	if (rc != CURLE_OK)
		return hull_err_set(err, HULL_ERR_IO, "engine %s: GET %s: %s", sock, path,
		                    curl_easy_strerror(rc));
	if (status != 200)
		return hull_err_set(err, HULL_ERR_IO, "engine %s: GET %s: HTTP %ld", sock, path,
		                    status);
	return 0;
}

static const char *socket_path(const char *url)
{
	if (!strncmp(url, "unix://", 7))
		return url + 7;
	return url;
}

static void summary(struct hull_model *m, size_t w0, struct json_object *doc,
                    struct hull_rt_list *l)
{
	if (m->workloads.n <= w0)
		return;
	const struct hull_workload *w = &m->workloads.v[m->workloads.n - 1];
	const struct hull_container *c = w->containers.n ? &w->containers.v[0] : NULL;
	struct hull_rt_container rc = {0};
	const char *id = hull_json_get_str(doc, "Id");
	snprintf(rc.id, sizeof(rc.id), "%s", id ? id : "?");
	snprintf(rc.name, sizeof(rc.name), "%s", w->name ? w->name : "?");
	snprintf(rc.source, sizeof(rc.source), "engine");
	snprintf(rc.runtime, sizeof(rc.runtime), "engine");
	int64_t pid = 0;
	hull_json_get_int(hull_json_get_obj(doc, "State"), "Pid", &pid);
	rc.pid = (int)pid;
	snprintf(rc.comm, sizeof(rc.comm), "-");
	rc.uid = c && c->user.uid_known ? c->user.uid : c && !c->user.spec.v ? 0 : -1;
	rc.gid = c && c->user.gid_known ? c->user.gid : -1;
	rc.no_new_privs = c && c->allow_priv_esc.v == HULL_FALSE ? 1 : 0;
	rc.seccomp = c && c->seccomp.type == HULL_PROFILE_UNCONFINED ? 0 : 2;
	snprintf(rc.capeff, sizeof(rc.capeff), "%s",
	         c && c->privileged.v == HULL_TRUE ? "ALL (privileged)" : "default");
	for (size_t i = 0; c && i < c->cap_add.n; i++) {
		size_t n = strlen(rc.capeff);
		snprintf(rc.capeff + n, sizeof(rc.capeff) - n, ",+%s", c->cap_add.v[i].v);
		if (!strcmp(c->cap_add.v[i].v, "SYS_ADMIN") || !strcmp(c->cap_add.v[i].v, "ALL"))
			rc.cap_sys_admin = true;
	}
	if (c && c->privileged.v == HULL_TRUE)
		rc.cap_sys_admin = true;
	const struct hull_vqty *q[3] = {c ? &c->res.mem_limit : NULL, c ? &c->res.cpu_limit : NULL,
	                                c ? &c->res.pids_limit : NULL};
	char *outs[3] = {rc.memory, rc.cpu, rc.pids};
	for (int i = 0; i < 3; i++) {
		if (!q[i] || !q[i]->set || q[i]->v <= 0)
			snprintf(outs[i], 32, "max");
		else if (i == 0)
			snprintf(outs[i], 32, "%.0f MiB", q[i]->v / 1048576.0);
		else
			snprintf(outs[i], 32, "%g", q[i]->v);
	}
	const struct hull_vbool *ns[] = {&w->host_network, &w->host_pid, &w->host_ipc,
	                                 &w->host_uts};
	const char *names[] = {"net", "pid", "ipc", "uts"};
	for (int i = 0; i < 4; i++) {
		if (ns[i]->v != HULL_TRUE)
			continue;
		size_t n = strlen(rc.host_ns);
		snprintf(rc.host_ns + n, sizeof(rc.host_ns) - n, "%s%s", n ? "," : "", names[i]);
	}
	snprintf(rc.image, sizeof(rc.image), "%s", c && c->image.v ? c->image.v : "");
	struct hull_rt_container *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return;
	l->v = nv;
	l->v[l->n++] = rc;
}

static int one(const char *sock, const char *url, const char *id, struct hull_model *m,
               struct hull_rt_list *l, struct hull_err *err)
{
	char path[256];
	snprintf(path, sizeof(path), "/containers/%.128s/json", id);
	struct hull_buf b;
	hull_buf_init(&b, HULL_RUNTIME_MAX_RESPONSE);
	int rc = get(sock, path, &b, err);
	if (rc == 0) {
		char name[512];
		snprintf(name, sizeof(name), "%s%s", url, path);
		size_t w0 = m->workloads.n;
		enum hull_config_kind kind;
		rc =
		    hull_config_load(m, b.data, b.len, name, HULL_CONFIG_INSPECT, NULL, &kind, err);
		struct json_object *doc = NULL;
		struct hull_err jerr = {0};
		if (rc == 0 && hull_json_parse(b.data, b.len, name, &doc, &jerr) == 0) {
			summary(m, w0, doc, l);
			json_object_put(doc);
		}
	}
	hull_buf_release(&b);
	return rc;
}

int hull_runtime_engine(const char *url, struct hull_model *m, struct hull_rt_list *l,
                        struct hull_err *err)
{
	const char *sock = socket_path(url);
	struct hull_buf b;
	hull_buf_init(&b, HULL_RUNTIME_MAX_RESPONSE);
	if (get(sock, "/containers/json", &b, err) < 0) {
		hull_buf_release(&b);
		return -1;
	}
	struct json_object *list = NULL;
	int rc = hull_json_parse(b.data, b.len, "/containers/json", &list, err);
	hull_buf_release(&b);
	if (rc < 0)
		return hull_err_wrap(err, "engine %s", sock);
	if (!json_object_is_type(list, json_type_array)) {
		json_object_put(list);
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "engine %s: /containers/json is not a list", sock);
	}
	size_t n = json_object_array_length(list);
	if (n > HULL_RUNTIME_MAX_CONTAINERS)
		n = HULL_RUNTIME_MAX_CONTAINERS;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *id = hull_json_get_str(json_object_array_get_idx(list, i), "Id");
		/* ids are hex: anything else would be a path injection */
		if (!id || !*id || strspn(id, "0123456789abcdef") != strlen(id))
			continue;
		rc = one(sock, url, id, m, l, err);
	}
	json_object_put(list);
	return rc;
}
