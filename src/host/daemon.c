/* The container engine's host side: dockerd's settings from daemon.json
 * and from the flags of its systemd unit (drop-ins applied) or
 * /etc/default/docker, the ownership and modes of its files and sockets
 * (CIS Docker Benchmark sections 2 and 3), and the docker group. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/daemon.h"
#include "host/internal.h"
#include "host/procnet.h"
#include "util/mem.h"
#include "util/yaml.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                        "/usr/lib/systemd/system", "/lib/systemd/system"};

/* ---- settings ------------------------------------------------------------ */

static struct hull_dockerd_setting *set_of(struct hull_dockerd *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].key, key))
			return &d->v[i];
	if (d->n == HULL_DOCKERD_MAX)
		return NULL;
	struct hull_dockerd_setting *s = &d->v[d->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->key, sizeof(s->key), "%s", key);
	return s;
}

static void put(struct hull_dockerd *d, const char *key, const char *val, const char *file,
                unsigned line, bool list)
{
	struct hull_dockerd_setting *s = set_of(d, key);
	if (s && s->set && list && d->n < HULL_DOCKERD_MAX) {
		/* list items keep their own file and line: one entry each */
		s = &d->v[d->n++];
		memset(s, 0, sizeof(*s));
		snprintf(s->key, sizeof(s->key), "%s", key);
	}
	if (!s || s->set)
		return; /* the first source read wins: flags before daemon.json */
	s->set = true;
	snprintf(s->value, sizeof(s->value), "%s", val);
	snprintf(s->file, sizeof(s->file), "%s", file ? file : "");
	s->line = line;
}

const struct hull_dockerd_setting *hull_dockerd_get(const struct hull_dockerd *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].key, key) && d->v[i].set)
			return &d->v[i];
	return NULL;
}

/* dockerd flags: "--icc=false", "--icc", "-H tcp://...", "--host=..." */
static void flag_words(struct hull_dockerd *d, char **w, size_t n, const char *file, unsigned line)
{
	static const struct {
		const char *flag, *key;
		bool takes_value, list;
	} flags[] = {
	    {"-H", "hosts", true, true},
	    {"--host", "hosts", true, true},
	    {"--tlsverify", "tlsverify", false, false},
	    {"--tls", "tls", false, false},
	    {"--tlscacert", "tlscacert", true, false},
	    {"--tlscert", "tlscert", true, false},
	    {"--tlskey", "tlskey", true, false},
	    {"--icc", "icc", false, false},
	    {"--userns-remap", "userns-remap", true, false},
	    {"--no-new-privileges", "no-new-privileges", false, false},
	    {"--live-restore", "live-restore", false, false},
	    {"--userland-proxy", "userland-proxy", false, false},
	    {"--insecure-registry", "insecure-registries", true, true},
	    {"--iptables", "iptables", false, false},
	    {"--storage-driver", "storage-driver", true, false},
	    {"-s", "storage-driver", true, false},
	    {"--log-level", "log-level", true, false},
	    {"-l", "log-level", true, false},
	    {"--experimental", "experimental", false, false},
	};
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(w[i], '=');
		size_t flen = eq ? (size_t)(eq - w[i]) : strlen(w[i]);
		for (size_t k = 0; k < N(flags); k++) {
			if (strlen(flags[k].flag) != flen || strncmp(flags[k].flag, w[i], flen))
				continue;
			const char *val = eq ? eq + 1 : NULL;
			if (!val && flags[k].takes_value)
				val = i + 1 < n ? w[++i] : "";
			if (!val)
				val = "true";
			put(d, flags[k].key, val, file, line, flags[k].list);
			break;
		}
	}
}

/* Splits a command line (systemd and shell quoting, simplified) into
 * words; caller frees words and array. */
static size_t split_words(const char *s, char ***out)
{
	char **v = NULL;
	size_t n = 0;
	while (*s && n < 4096) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char buf[4096];
		size_t k = 0;
		char q = 0;
		for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
			if (!q && (*s == '"' || *s == '\'')) {
				q = *s;
			} else if (q && *s == q) {
				q = 0;
			} else if (k < sizeof(buf) - 1) {
				buf[k++] = *s;
			}
		}
		buf[k] = '\0';
		char **nv = realloc(v, (n + 1) * sizeof(*nv));
		if (!nv)
			break;
		v = nv;
		if (!(v[n] = strdup(buf)))
			break;
		n++;
	}
	*out = v;
	return n;
}

static void words_free(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

int hull_dockerd_unit_parse(const char *data, size_t len, const char *file,
                            struct hull_dockerd_exec *ex)
{
	struct hull_str rest = hull_str(data, len), line;
	unsigned lineno = 0;
	char joined[8192];
	size_t jl = 0;
	unsigned start = 0;
	bool in_service = false;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		struct hull_str t = hull_str_trim(line);
		if (!jl && (!t.len || t.ptr[0] == '#' || t.ptr[0] == ';'))
			continue;
		if (!jl && t.ptr[0] == '[') {
			in_service = hull_str_eq_c(t, "[Service]");
			continue;
		}
		if (!jl)
			start = lineno;
		bool cont = t.len && t.ptr[t.len - 1] == '\\';
		size_t take = cont ? t.len - 1 : t.len;
		if (jl + take + 2 < sizeof(joined)) {
			memcpy(joined + jl, t.ptr, take);
			jl += take;
			joined[jl++] = ' ';
		}
		if (cont)
			continue;
		joined[jl] = '\0';
		jl = 0;
		if (!in_service || strncmp(joined, "ExecStart", 9))
			continue;
		const char *p = joined + 9;
		while (*p == ' ')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ')
			p++;
		/* systemd prefixes: -, @, +, !, : */
		while (*p && strchr("-@+!:", *p))
			p++;
		if (!*p) {
			ex->set = false; /* "ExecStart=" clears the list */
			continue;
		}
		ex->set = true;
		snprintf(ex->cmd, sizeof(ex->cmd), "%s", p);
		snprintf(ex->file, sizeof(ex->file), "%s", file);
		ex->line = start;
	}
	return 0;
}

static void apply_exec(struct hull_dockerd *d, const struct hull_dockerd_exec *ex)
{
	char **w;
	size_t n = split_words(ex->cmd, &w);
	/* only dockerd's own command line carries daemon flags */
	if (n && strstr(w[0], "dockerd"))
		flag_words(d, w + 1, n - 1, ex->file, ex->line);
	words_free(w, n);
}

/* The effective ExecStart of docker.service: the unit from the first
 * directory that has it, then its drop-ins in name order. */
static void read_unit(struct hscan *s, struct hull_dockerd *d, char *unit_file, size_t ufsz)
{
	struct hull_dockerd_exec ex = {0};
	unit_file[0] = '\0';
	for (size_t i = 0; i < N(unit_dirs); i++) {
		char rel[PATH_MAX], *data;
		size_t len;
		struct hull_err e = {0};
		snprintf(rel, sizeof(rel), "%s/docker.service", unit_dirs[i]);
		if (hroot_read(&s->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
			continue;
		hull_dockerd_unit_parse(data, len, rel, &ex);
		free(data);
		snprintf(unit_file, ufsz, "%s", rel);
		break;
	}
	for (size_t i = 0; i < N(unit_dirs); i++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s/docker.service.d", unit_dirs[i]);
		char **names;
		size_t n;
		hroot_list(&s->root, dir, 256, &names, &n);
		for (size_t k = 0; k < n; k++) {
			char rel[PATH_MAX + 256], *data;
			size_t len;
			struct hull_err e = {0};
			size_t nl = strlen(names[k]);
			if (nl < 5 || strcmp(names[k] + nl - 5, ".conf"))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", dir, names[k]);
			if (hroot_read(&s->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
				continue;
			hull_dockerd_unit_parse(data, len, rel, &ex);
			free(data);
		}
		hroot_names_free(names, n);
	}
	if (ex.set)
		apply_exec(d, &ex);
}

/* DOCKER_OPTS="..." of /etc/default/docker */
static void read_default(struct hscan *s, struct hull_dockerd *d)
{
	char *data;
	size_t len;
	struct hull_err e = {0};
	const char *rel = "/etc/default/docker";
	if (hroot_read(&s->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
		return;
	struct hull_str rest = hull_str(data, len), line;
	unsigned lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		struct hull_str t = hull_str_trim(line);
		if (!hull_str_has_prefix(t, "DOCKER_OPTS="))
			continue;
		char *v = hull_str_dup(hull_str(t.ptr + 12, t.len - 12));
		if (!v)
			break;
		char **w;
		size_t n = split_words(v, &w);
		flag_words(d, w, n, rel, lineno);
		words_free(w, n);
		free(v);
	}
	free(data);
}

static void json_value(struct hull_dockerd *d, const char *key, struct json_object *v,
                       const char *file, unsigned line)
{
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *it = json_object_array_get_idx(v, i);
			if (it && !json_object_is_type(it, json_type_object) &&
			    !json_object_is_type(it, json_type_array))
				put(d, key, json_object_get_string(it), file, line, true);
		}
		return;
	}
	if (json_object_is_type(v, json_type_object) || !v)
		return;
	put(d, key, json_object_get_string(v), file, line, false);
}

int hull_dockerd_json_parse(const char *data, size_t len, const char *file, struct hull_dockerd *d,
                            struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	if (hull_yaml_parse(data, len, file, &y, err) < 0)
		return -1;
	struct json_object *doc = hull_yaml_ndocs(y) ? hull_yaml_doc(y, 0) : NULL;
	if (!doc || !json_object_is_type(doc, json_type_object)) {
		hull_yaml_free(y);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a JSON object", file);
	}
	json_object_object_foreach(doc, key, v)
	{
		unsigned line = 0, col = 0;
		hull_yaml_key_pos(y, doc, key, &line, &col);
		json_value(d, key, v, file, line);
	}
	hull_yaml_free(y);
	return 0;
}

/* ---- checks ---------------------------------------------------------------- */

static bool truthy(const struct hull_dockerd_setting *v)
{
	return v && (!strcasecmp(v->value, "true") || !strcmp(v->value, "1"));
}

static bool falsy(const struct hull_dockerd_setting *v)
{
	return v && (!strcasecmp(v->value, "false") || !strcmp(v->value, "0"));
}

/* what is the setting's value (arg, prefixed by what) */
static void at(struct hscan *s, enum host_rule id, const struct hull_dockerd_setting *v,
               const char *fallback_file, const char *what, const char *arg)
{
	host_report(s, id, v && v->file[0] ? v->file : fallback_file, v ? v->line : 0, "dockerd",
	            "%s%s", what, arg);
}

static void check_settings(struct hscan *s, const struct hull_dockerd *d, bool installed,
                           const char *cfg)
{
	const struct hull_dockerd_setting *v;
	bool verify = truthy(hull_dockerd_get(d, "tlsverify"));
	for (size_t i = 0; i < d->n; i++) {
		v = &d->v[i];
		if (v->set && !strcmp(v->key, "hosts") && !strncmp(v->value, "tcp://", 6) &&
		    !verify) {
			char msg[1100];
			snprintf(msg, sizeof(msg), "%.1024s without --tlsverify", v->value);
			at(s, HR_DAEMON_TCP, v, cfg, "dockerd listens on ", msg);
		}
	}
	if (installed) {
		if (!falsy(hull_dockerd_get(d, "icc")))
			at(s, HR_DAEMON_ICC, hull_dockerd_get(d, "icc"), cfg, "",
			   "icc is not false: containers on the default bridge reach each other");
		v = hull_dockerd_get(d, "userns-remap");
		if (!v || !v->value[0])
			at(s, HR_DAEMON_USERNS, v, cfg, "", "userns-remap is not set");
		if (!truthy(hull_dockerd_get(d, "no-new-privileges")))
			at(s, HR_DAEMON_NO_NEW_PRIVS, hull_dockerd_get(d, "no-new-privileges"), cfg,
			   "", "no-new-privileges is not true");
		if (!truthy(hull_dockerd_get(d, "live-restore")))
			at(s, HR_DAEMON_LIVE_RESTORE, hull_dockerd_get(d, "live-restore"), cfg, "",
			   "live-restore is not true");
		if (!falsy(hull_dockerd_get(d, "userland-proxy")))
			at(s, HR_DAEMON_USERLAND_PROXY, hull_dockerd_get(d, "userland-proxy"), cfg,
			   "", "userland-proxy is not false");
	}
	if ((v = hull_dockerd_get(d, "insecure-registries")) && v->value[0])
		at(s, HR_DAEMON_INSECURE_REGISTRY, v, cfg, "insecure registries: ", v->value);
	if ((v = hull_dockerd_get(d, "iptables")) && falsy(v))
		at(s, HR_DAEMON_IPTABLES, v, cfg, "", "iptables is false");
	if ((v = hull_dockerd_get(d, "storage-driver")) && !strcmp(v->value, "aufs"))
		at(s, HR_DAEMON_AUFS, v, cfg, "", "storage-driver is aufs");
	if ((v = hull_dockerd_get(d, "log-level")) && !strcasecmp(v->value, "debug"))
		at(s, HR_DAEMON_DEBUG, v, cfg, "", "log-level is debug");
	if ((v = hull_dockerd_get(d, "experimental")) && truthy(v))
		at(s, HR_DAEMON_EXPERIMENTAL, v, cfg, "", "experimental is true");
}

static void mode_str(mode_t m, char *out)
{
	snprintf(out, 8, "%04o", (unsigned)(m & 07777));
}

/* owner must be root; no write for group/others (dir or file) */
static void check_owner_mode(struct hscan *s, const char *rel, enum host_rule id, mode_t forbid)
{
	struct stat st;
	if (hroot_stat(&s->root, rel, &st) < 0)
		return;
	char m[8];
	mode_str(st.st_mode, m);
	if (st.st_uid != 0)
		host_report(s, id, rel, 0, rel, "%s is owned by uid %u, not root (mode %s)", rel,
		            (unsigned)st.st_uid, m);
	else if (st.st_mode & forbid)
		host_report(s, id, rel, 0, rel, "%s has mode %s", rel, m);
}

/* The gid of group name from /etc/group, or -1 */
static long group_gid(const char *groups, const char *name, char *members, size_t msz)
{
	struct hull_str rest = hull_str_c(groups), line;
	size_t nl = strlen(name);
	while (hull_str_next_line(&rest, &line)) {
		if (line.len > nl && !memcmp(line.ptr, name, nl) && line.ptr[nl] == ':') {
			/* name:x:gid:members */
			struct hull_str r = hull_str(line.ptr + nl + 1, line.len - nl - 1), a, b;
			hull_str_split(r, ':', &a, &b);
			hull_str_split(b, ':', &a, &r);
			char gid[16];
			snprintf(gid, sizeof(gid), "%.*s", (int)(a.len < 15 ? a.len : 15), a.ptr);
			if (members)
				snprintf(members, msz, "%.*s", (int)r.len, r.ptr);
			return isdigit((unsigned char)gid[0]) ? strtol(gid, NULL, 10) : -1;
		}
	}
	return -1;
}

static void check_group(struct hscan *s, long *docker_gid)
{
	char *groups = NULL, *passwd = NULL;
	size_t len;
	struct hull_err e = {0};
	*docker_gid = -1;
	if (hroot_read(&s->root, "/etc/group", HOST_MAX_FILE, &groups, &len, &e) < 0)
		return;
	char members[1024] = "";
	*docker_gid = group_gid(groups, "docker", members, sizeof(members));
	if (*docker_gid >= 0 &&
	    hroot_read(&s->root, "/etc/passwd", HOST_MAX_FILE, &passwd, &len, &e) == 0) {
		/* users whose primary group is docker are members too */
		struct hull_str rest = hull_str_c(passwd), line;
		while (hull_str_next_line(&rest, &line)) {
			struct hull_str name, r, x, uid, gid, tail;
			hull_str_split(line, ':', &name, &r);
			hull_str_split(r, ':', &x, &r);
			hull_str_split(r, ':', &uid, &r);
			hull_str_split(r, ':', &gid, &tail);
			char g[16];
			snprintf(g, sizeof(g), "%.*s", (int)(gid.len < 15 ? gid.len : 15), gid.ptr);
			if (name.len && isdigit((unsigned char)g[0]) &&
			    strtol(g, NULL, 10) == *docker_gid) {
				size_t ml = strlen(members);
				snprintf(members + ml, sizeof(members) - ml, "%s%.*s",
				         ml ? "," : "", (int)name.len, name.ptr);
			}
		}
	}
	if (*docker_gid >= 0 && members[0])
		host_report(s, HR_DAEMON_GROUP, "/etc/group", 0, "group docker",
		            "members of the docker group (root-equivalent): %s", members);
	free(groups);
	free(passwd);
}

static void check_socket(struct hscan *s, const char *rel, long docker_gid)
{
	struct stat st;
	if (hroot_stat(&s->root, rel, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	char m[8];
	mode_str(st.st_mode, m);
	bool group_ok = st.st_gid == 0 || (docker_gid >= 0 && (long)st.st_gid == docker_gid);
	if (st.st_uid != 0)
		host_report(s, HR_DAEMON_SOCKET, rel, 0, rel, "%s is owned by uid %u (mode %s)",
		            rel, (unsigned)st.st_uid, m);
	else if (st.st_mode & 0006)
		host_report(s, HR_DAEMON_SOCKET, rel, 0, rel, "%s is open to every user (mode %s)",
		            rel, m);
	else if ((st.st_mode & 0060) && !group_ok)
		host_report(s, HR_DAEMON_SOCKET, rel, 0, rel, "%s is open to group %u (mode %s)",
		            rel, (unsigned)st.st_gid, m);
}

static bool engine_socket_name(const char *path)
{
	static const char *const names[] = {"/docker.sock", "/containerd.sock", "/podman.sock",
	                                    "/crio.sock"};
	size_t n = strlen(path);
	for (size_t i = 0; i < N(names); i++) {
		size_t k = strlen(names[i]);
		if (n >= k && !strcmp(path + n - k, names[i]))
			return true;
	}
	return false;
}

static void check_sockets(struct hscan *s, long docker_gid)
{
	static const char *const known[] = {"/var/run/docker.sock",
	                                    "/run/containerd/containerd.sock",
	                                    "/run/podman/podman.sock", "/var/run/crio/crio.sock"};
	char seen[64][108];
	size_t nseen = 0;
	for (size_t i = 0; i < N(known); i++) {
		check_socket(s, known[i], docker_gid);
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", known[i]);
	}
	/* engines listening elsewhere (podman system service, rootless docker) */
	char *data;
	size_t len;
	struct hull_err e = {0};
	if (hroot_read(&s->root, "/proc/net/unix", 64u << 20, &data, &len, &e) < 0)
		return;
	struct hull_sock_list l = {0};
	hull_procnet_parse(data, len, HULL_SOCK_UNIX, false, &l);
	free(data);
	for (size_t i = 0; i < l.n; i++) {
		const char *p = l.v[i].path;
		if (!l.v[i].listening || p[0] != '/' || !engine_socket_name(p))
			continue;
		bool dup = false;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = !strcmp(seen[k], p) ||
			      (!strncmp(p, "/run/", 5) && !strcmp(seen[k] + 4, p)); /* /var/run */
		if (dup)
			continue;
		check_socket(s, p, docker_gid);
		if (nseen < N(seen))
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", p);
	}
	hull_sock_list_release(&l);
}

static void check_files(struct hscan *s, const struct hull_dockerd *d, const char *unit_file)
{
	check_owner_mode(s, "/etc/docker", HR_DAEMON_FILES, 0022);
	check_owner_mode(s, "/etc/docker/daemon.json", HR_DAEMON_FILES, 0022);
	check_owner_mode(s, "/etc/default/docker", HR_DAEMON_FILES, 0022);
	check_owner_mode(s, "/etc/sysconfig/docker", HR_DAEMON_FILES, 0022);
	if (unit_file[0])
		check_owner_mode(s, unit_file, HR_DAEMON_FILES, 0022);
	for (size_t i = 0; i < N(unit_dirs); i++) {
		char rel[PATH_MAX];
		snprintf(rel, sizeof(rel), "%s/docker.socket", unit_dirs[i]);
		check_owner_mode(s, rel, HR_DAEMON_FILES, 0022);
	}
	static const char *const certs[] = {"tlscacert", "tlscert"};
	for (size_t i = 0; i < N(certs); i++) {
		const struct hull_dockerd_setting *v = hull_dockerd_get(d, certs[i]);
		if (v && v->value[0] == '/')
			check_owner_mode(s, v->value, HR_DAEMON_TLS_FILES, 0333);
	}
	const struct hull_dockerd_setting *key = hull_dockerd_get(d, "tlskey");
	if (key && key->value[0] == '/')
		check_owner_mode(s, key->value, HR_DAEMON_TLS_FILES, 0377);
}

static bool docker_installed(struct hscan *s, const char *unit_file)
{
	static const char *const bins[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd",
	                                   "/usr/local/bin/dockerd", "/etc/docker/daemon.json"};
	struct stat st;
	if (unit_file[0])
		return true;
	for (size_t i = 0; i < N(bins); i++)
		if (hroot_stat(&s->root, bins[i], &st) == 0)
			return true;
	return false;
}

void host_check_daemon(struct hscan *s)
{
	struct hull_dockerd *d = calloc(1, sizeof(*d));
	if (!d) {
		s->rc = hull_err_nomem(s->err);
		return;
	}
	char unit_file[PATH_MAX];
	read_unit(s, d, unit_file, sizeof(unit_file));
	read_default(s, d);
	const char *cfg = "/etc/docker/daemon.json";
	char *data;
	size_t len;
	struct hull_err e = {0};
	if (hroot_read(&s->root, cfg, HOST_MAX_FILE, &data, &len, &e) == 0) {
		if (hull_dockerd_json_parse(data, len, cfg, d, &e) < 0)
			hull_diag_warn(s->diag, "%s (dockerd would not start)", e.msg);
		free(data);
	} else if (e.kind != HULL_ERR_NOTFOUND) {
		hull_diag_warn(s->diag, "%s", e.msg);
	}
	bool installed = docker_installed(s, unit_file);
	check_settings(s, d, installed, cfg);
	check_files(s, d, unit_file);
	long docker_gid;
	check_group(s, &docker_gid);
	check_sockets(s, docker_gid);
	free(d);
}
