/* The SSH checks: the effective sshd configuration (sshd.c) read under the
 * root, and one finding per risky value, pointing at the line that set it
 * (or saying it is OpenSSH's default). */
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"
#include "host/sshd.h"
#include "util/mem.h"

#define DEFAULT_CONFIG "/etc/ssh/sshd_config"
#define MAX_GLOB       256

static int src_read(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err)
{
	return hroot_read(ctx, path, HULL_SSHD_MAX_FILE, data, len, err);
}

static bool has_magic(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

struct globbing {
	const struct hroot *root;
	char **paths;
	size_t n, cap;
};

/* Expands the components of pattern from `rest` on, under the directory
 * prefix (which has no magic), as glob(3) does. */
static void expand(struct globbing *g, const char *prefix, const char *rest, int depth)
{
	if (depth > 32 || g->n >= MAX_GLOB)
		return;
	while (*rest == '/')
		rest++;
	if (!*rest) {
		struct stat st;
		if (hroot_stat(g->root, prefix, &st) == 0 &&
		    HULL_ARRAY_PUSH_ROOM(g->paths, g->n, g->cap, MAX_GLOB, NULL) == 0 &&
		    (g->paths[g->n] = strdup(prefix)))
			g->n++;
		return;
	}
	const char *slash = strchr(rest, '/');
	size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
	char path[PATH_MAX];
	if (!has_magic(rest, clen)) {
		snprintf(path, sizeof(path), "%s/%.*s", strcmp(prefix, "/") ? prefix : "",
		         (int)clen, rest);
		expand(g, path, rest + clen, depth + 1);
		return;
	}
	char comp[NAME_MAX + 1];
	if (clen > NAME_MAX)
		return;
	memcpy(comp, rest, clen);
	comp[clen] = '\0';
	char **names;
	size_t n;
	hroot_list(g->root, prefix, 4096, &names, &n);
	for (size_t i = 0; i < n; i++) {
		if (fnmatch(comp, names[i], FNM_PERIOD) == 0) {
			snprintf(path, sizeof(path), "%s/%s", strcmp(prefix, "/") ? prefix : "",
			         names[i]);
			expand(g, path, rest + clen, depth + 1);
		}
	}
	hroot_names_free(names, n);
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int src_glob(void *ctx, const char *pattern, char ***paths, size_t *n, struct hull_err *err)
{
	(void)err;
	struct globbing g = {.root = ctx};
	if (pattern[0] == '/')
		expand(&g, "/", pattern + 1, 0);
	if (g.n)
		qsort(g.paths, g.n, sizeof(*g.paths), cmp_paths);
	*paths = g.paths;
	*n = g.n;
	return 0;
}

static int load(struct hscan *s, struct hull_sshd **out)
{
	const struct hull_host_opts *o = s->opts;
	struct hull_sshd_source src = {src_read, src_glob, &s->root};
	struct hull_sshd_conn conn, *connp = NULL;
	cleanup_free char *spec = NULL;
	if (o->ssh_match) {
		if (!(spec = strdup(o->ssh_match)))
			return hull_err_nomem(s->err);
		if (hull_sshd_conn_parse(spec, &conn, s->err) < 0)
			return -1;
		connp = &conn;
	}
	const char *path = o->sshd_config ? o->sshd_config : DEFAULT_CONFIG;
	/* the connection's strings live in spec, which load does not keep */
	return hull_sshd_load(&src, path, connp, out, s->diag, s->err);
}

static const char *s_main; /* the main sshd_config of the scan in progress */

static const char *where(const struct hull_sshd_value *v, char *buf, size_t n)
{
	if (!v->file)
		return "the OpenSSH default";
	snprintf(buf, n, "%s line %u", v->file, v->line);
	return buf;
}

static void report_value(struct hscan *s, enum host_rule id, const struct hull_sshd_value *v,
                         const char *what)
{
	char w[PATH_MAX + 32];
	/* a default is the main file's doing (it does not override it) */
	host_report(s, id, v->file ? v->file : s_main, v->line, "sshd", "%s %s (%s)%s%s",
	            v->keyword, v->value, where(v, w, sizeof(w)), what ? ": " : "",
	            what ? what : "");
}

static bool is(const struct hull_sshd *c, const char *kw, const char *val)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	return v && !strcmp(v->value, val);
}

/* The items of the list v that match one of the glob patterns. */
static void weak_items(struct hscan *s, const struct hull_sshd_value *v, enum host_rule id,
                       const char *const *weak, size_t nweak)
{
	char found[1024] = "";
	size_t used = 0;
	for (const char *p = v->value; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char name[128];
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			for (size_t i = 0; i < nweak; i++) {
				if (fnmatch(weak[i], name, 0) == 0) {
					int k = snprintf(found + used, sizeof(found) - used, "%s%s",
					                 used ? "," : "", name);
					if (k > 0 && (size_t)k < sizeof(found) - used)
						used += (size_t)k;
					break;
				}
			}
		}
		p = e ? e + 1 : NULL;
	}
	if (!used)
		return;
	char w[PATH_MAX + 32];
	host_report(s, id, v->file ? v->file : s_main, v->line, "sshd", "%s includes %s (%s)",
	            v->keyword, found, where(v, w, sizeof(w)));
}

static void check_algorithms(struct hscan *s, const struct hull_sshd *c)
{
	static const char *const ciphers[] = {"*-cbc",      "*-cbc@*",   "3des-*", "arcfour*",
	                                      "blowfish-*", "cast128-*", "none"};
	static const char *const macs[] = {"hmac-md5*", "*-96", "*-96-etm@*", "hmac-ripemd160*",
	                                   "umac-32*"};
	static const char *const kex[] = {"diffie-hellman-group1-sha1",
	                                  "diffie-hellman-group14-sha1",
	                                  "diffie-hellman-group-exchange-sha1", "gss-*-sha1-*"};
	static const char *const keys[] = {"ssh-dss", "ssh-dss-cert-v01@openssh.com", "ssh-rsa",
	                                   "ssh-rsa-cert-v01@openssh.com"};
#define N(a) (sizeof(a) / sizeof((a)[0]))
	const struct hull_sshd_value *v;
	if ((v = hull_sshd_get(c, "ciphers")))
		weak_items(s, v, HR_SSH_CIPHERS, ciphers, N(ciphers));
	if ((v = hull_sshd_get(c, "macs")))
		weak_items(s, v, HR_SSH_MACS, macs, N(macs));
	if ((v = hull_sshd_get(c, "kexalgorithms")))
		weak_items(s, v, HR_SSH_KEX, kex, N(kex));
	if ((v = hull_sshd_get(c, "hostkeyalgorithms")))
		weak_items(s, v, HR_SSH_KEY_ALGOS, keys, N(keys));
	if ((v = hull_sshd_get(c, "pubkeyacceptedalgorithms")))
		weak_items(s, v, HR_SSH_KEY_ALGOS, keys, N(keys));
#undef N
}

/* Port 22 on a wildcard or public listen address. */
static void check_listen(struct hscan *s, const struct hull_sshd *c)
{
	size_t n;
	const struct hull_sshd_value *v = hull_sshd_values(c, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].keyword, "listenaddress"))
			continue;
		char addr[128];
		const char *val = v[i].value, *end = strrchr(val, ':');
		if (!end || strcmp(end, ":22") || strchr(end, ' '))
			continue;
		size_t len = (size_t)(end - val);
		if (val[0] == '[') {
			val++;
			len -= 2;
		}
		if (len >= sizeof(addr))
			continue;
		memcpy(addr, val, len);
		addr[len] = '\0';
		enum exposure e = host_exposure(addr);
		if (e != EXPOSE_ALL && e != EXPOSE_PUBLIC)
			continue;
		char w[PATH_MAX + 32];
		host_report(s, HR_SSH_PORT22, v[i].file ? v[i].file : s_main, v[i].line, "sshd",
		            "sshd listens on %s port 22 (listenaddress %s, %s)",
		            host_exposure_name(e), v[i].value, where(&v[i], w, sizeof(w)));
	}
}

static void check_legacy(struct hscan *s, const struct hull_sshd *c)
{
	size_t n;
	const struct hull_sshd_legacy *g = hull_sshd_legacy(c, &n);
	for (size_t i = 0; i < n; i++)
		host_report(s, HR_SSH_PROTOCOL1, g[i].file, g[i].line, "sshd",
		            "%s %s: a protocol 1 era setting (ignored by OpenSSH 7.4 and later)",
		            g[i].keyword, g[i].value);
}

static void check(struct hscan *s, const struct hull_sshd *c)
{
	const struct hull_sshd_value *v;
	bool pw = is(c, "passwordauthentication", "yes");
	bool kbd = is(c, "kbdinteractiveauthentication", "yes") && is(c, "usepam", "yes");
	if (pw && (v = hull_sshd_get(c, "passwordauthentication")))
		report_value(s, HR_SSH_PASSWORD, v, "passwords are accepted");
	if ((v = hull_sshd_get(c, "permitrootlogin"))) {
		if (!strcmp(v->value, "yes"))
			report_value(s, HR_SSH_ROOT_PASSWORD, v,
			             pw || kbd
			                 ? "root may log in with a password"
			                 : "root may log in with any method that gets enabled");
		else if (!strcmp(v->value, "without-password"))
			report_value(s, HR_SSH_ROOT_KEY, v, "root may log in with a key");
	}
	if (is(c, "permitemptypasswords", "yes") && (pw || kbd))
		report_value(s, HR_SSH_EMPTY_PASSWORD, hull_sshd_get(c, "permitemptypasswords"),
		             NULL);
	check_listen(s, c);
	check_legacy(s, c);
	check_algorithms(s, c);
	if (is(c, "x11forwarding", "yes"))
		report_value(s, HR_SSH_X11, hull_sshd_get(c, "x11forwarding"), NULL);
	if (!is(c, "disableforwarding", "yes")) {
		if ((v = hull_sshd_get(c, "allowtcpforwarding")) && strcmp(v->value, "no"))
			report_value(s, HR_SSH_FORWARDING, v, NULL);
		if (is(c, "allowagentforwarding", "yes"))
			report_value(s, HR_SSH_FORWARDING, hull_sshd_get(c, "allowagentforwarding"),
			             NULL);
	}
	if ((v = hull_sshd_get(c, "maxauthtries")) && atoi(v->value) > 4)
		report_value(s, HR_SSH_AUTH_TRIES, v, NULL);
	if ((v = hull_sshd_get(c, "permituserenvironment")) && strcmp(v->value, "no"))
		report_value(s, HR_SSH_USER_ENV, v, NULL);
	if (is(c, "hostbasedauthentication", "yes"))
		report_value(s, HR_SSH_HOSTBASED, hull_sshd_get(c, "hostbasedauthentication"),
		             NULL);
	if ((v = hull_sshd_get(c, "ignorerhosts")) && strcmp(v->value, "yes"))
		report_value(s, HR_SSH_HOSTBASED, v, NULL);
	if (is(c, "strictmodes", "no"))
		report_value(s, HR_SSH_STRICT_MODES, hull_sshd_get(c, "strictmodes"), NULL);
	if ((v = hull_sshd_get(c, "permittunnel")) && strcmp(v->value, "no"))
		report_value(s, HR_SSH_TUNNEL, v, NULL);
	if ((v = hull_sshd_get(c, "gatewayports")) && strcmp(v->value, "no"))
		report_value(s, HR_SSH_TUNNEL, v, NULL);
}

void host_check_ssh(struct hscan *s)
{
	struct hull_sshd *c = NULL;
	struct hull_err err = {0};
	struct hscan local = *s;
	local.err = &err;
	if (load(&local, &c) < 0) {
		if (err.kind == HULL_ERR_USAGE || err.kind == HULL_ERR_NOMEM) {
			*s->err = err;
			s->rc = -1;
		} else if (err.kind != HULL_ERR_NOTFOUND || s->opts->sshd_config) {
			hull_diag_warn(s->diag, "sshd: %s", err.msg);
		}
		return;
	}
	size_t nf;
	const char *const *files = hull_sshd_files(c, &nf);
	s_main = nf ? files[0] : NULL;
	check(s, c);
	s_main = NULL;
	hull_sshd_free(c);
}

int hull_host_sshd_dump(const struct hull_host_opts *o, struct hull_buf *out,
                        struct hull_diag *diag, struct hull_err *err)
{
	struct hscan s = {.opts = o, .diag = diag, .err = err};
	if (hroot_open(&s.root, o->root, err) < 0)
		return -1;
	struct hull_sshd *c = NULL;
	int rc = load(&s, &c);
	if (rc == 0)
		rc = hull_sshd_dump(c, out, err);
	hull_sshd_free(c);
	hroot_close(&s.root);
	return rc;
}
