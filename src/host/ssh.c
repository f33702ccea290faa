/* The SSH checks: the effective sshd configuration (sshd.c) read under the
 * root, and one finding per risky value, pointing at the line that set it
 * (or saying it is OpenSSH's default). */
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"
#include "host/sshd.h"
#include "host/sshd_auth.h"
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

/* One finding-to-be: rule, the value it points at (copied: views come and
 * go) and its message. A view's verdicts are compared with the start-up
 * view's before any is reported. */
struct verdict {
	enum host_rule rule;
	struct hull_sshd_value at;
	char msg[768];
};

#define MAX_VERDICTS 128

struct verdicts {
	struct verdict v[MAX_VERDICTS];
	size_t n;
};

static const char *where(const struct hull_sshd_value *v, char *buf, size_t n)
{
	if (!v->file)
		return "the OpenSSH default";
	snprintf(buf, n, "%s line %u", v->file, v->line);
	return buf;
}

static void add(struct verdicts *out, enum host_rule rule, const struct hull_sshd_value *at,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct verdicts *out, enum host_rule rule, const struct hull_sshd_value *at,
                const char *fmt, ...)
{
	if (out->n == MAX_VERDICTS || !at)
		return;
	struct verdict *v = &out->v[out->n++];
	v->rule = rule;
	v->at = *at;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

/* "keyword value (where)[: what]" */
static void add_value(struct verdicts *out, enum host_rule rule, const struct hull_sshd_value *v,
                      const char *what)
{
	char w[PATH_MAX + 32];
	if (v)
		add(out, rule, v, "%s %s (%s)%s%s", v->keyword, v->value, where(v, w, sizeof(w)),
		    what ? ": " : "", what ? what : "");
}

static bool is(const struct hull_sshd *c, const char *kw, const char *val)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	return v && !strcmp(v->value, val);
}

/* The items of the list v that match one of the glob patterns. */
static void weak_items(struct verdicts *out, const struct hull_sshd_value *v, enum host_rule id,
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
	add(out, id, v, "%s includes %s (%s)", v->keyword, found, where(v, w, sizeof(w)));
}

static void check_algorithms(struct verdicts *out, const struct hull_sshd *c)
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
		weak_items(out, v, HR_SSH_CIPHERS, ciphers, N(ciphers));
	if ((v = hull_sshd_get(c, "macs")))
		weak_items(out, v, HR_SSH_MACS, macs, N(macs));
	if ((v = hull_sshd_get(c, "kexalgorithms")))
		weak_items(out, v, HR_SSH_KEX, kex, N(kex));
	if ((v = hull_sshd_get(c, "hostkeyalgorithms")))
		weak_items(out, v, HR_SSH_KEY_ALGOS, keys, N(keys));
	if ((v = hull_sshd_get(c, "pubkeyacceptedalgorithms")))
		weak_items(out, v, HR_SSH_KEY_ALGOS, keys, N(keys));
#undef N
}

/* Port 22 on a wildcard or public listen address. */
static void check_listen(struct verdicts *out, const struct hull_sshd *c)
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
		add(out, HR_SSH_PORT22, &v[i], "sshd listens on %s port 22 (listenaddress %s, %s)",
		    host_exposure_name(e), v[i].value, where(&v[i], w, sizeof(w)));
	}
}

static void check_legacy(struct verdicts *out, const struct hull_sshd *c)
{
	size_t n;
	const struct hull_sshd_legacy *g = hull_sshd_legacy(c, &n);
	for (size_t i = 0; i < n; i++) {
		struct hull_sshd_value at = {g[i].keyword, g[i].value, g[i].file, g[i].line};
		add(out, HR_SSH_PROTOCOL1, &at,
		    "%s %s: a protocol 1 era setting (ignored by OpenSSH 7.4 and later)",
		    g[i].keyword, g[i].value);
	}
}

/* Root's logins (H002, H003), from the authentication model. */
static void check_root(struct verdicts *out, const struct hull_sshd *c)
{
	struct sshd_auth a;
	sshd_auth_eval(c, &a);
	if (a.root == SSHD_ROOT_PASSWORD)
		add_value(out, HR_SSH_ROOT_PASSWORD, a.root_at, a.root_how);
	else if (a.root == SSHD_ROOT_KEY)
		add_value(out, HR_SSH_ROOT_KEY, a.root_at, a.root_how);
}

/* Everyone's logins (H001, H004), from the authentication model. */
static void check_auth(struct verdicts *out, const struct hull_sshd *c)
{
	struct sshd_auth a;
	sshd_auth_eval(c, &a);
	char w[PATH_MAX + 32];
	if (a.password && a.password_at)
		add(out, HR_SSH_PASSWORD, a.password_at, "passwords are accepted: %s%s%s",
		    a.password_how,
		    is(c, "authenticationmethods", "any") ? "" : "; authenticationmethods ",
		    is(c, "authenticationmethods", "any")
		        ? ""
		        : hull_sshd_get(c, "authenticationmethods")->value);
	if (a.empty && a.empty_at)
		add(out, HR_SSH_EMPTY_PASSWORD, a.empty_at,
		    "%s %s (%s): accounts without a password log in", a.empty_at->keyword,
		    a.empty_at->value, where(a.empty_at, w, sizeof(w)));
}

/* Every verdict but root's on the current view. */
static void check_view(struct verdicts *out, const struct hull_sshd *c)
{
	const struct hull_sshd_value *v;
	check_auth(out, c);
	check_listen(out, c);
	check_legacy(out, c);
	check_algorithms(out, c);
	if (is(c, "x11forwarding", "yes"))
		add_value(out, HR_SSH_X11, hull_sshd_get(c, "x11forwarding"), NULL);
	if (!is(c, "disableforwarding", "yes")) {
		if ((v = hull_sshd_get(c, "allowtcpforwarding")) && strcmp(v->value, "no"))
			add_value(out, HR_SSH_FORWARDING, v, NULL);
		if (is(c, "allowagentforwarding", "yes"))
			add_value(out, HR_SSH_FORWARDING, hull_sshd_get(c, "allowagentforwarding"),
			          NULL);
	}
	if ((v = hull_sshd_get(c, "maxauthtries")) && atoi(v->value) > 4)
		add_value(out, HR_SSH_AUTH_TRIES, v, NULL);
	if ((v = hull_sshd_get(c, "permituserenvironment")) && strcmp(v->value, "no"))
		add_value(out, HR_SSH_USER_ENV, v, NULL);
	if (is(c, "hostbasedauthentication", "yes"))
		add_value(out, HR_SSH_HOSTBASED, hull_sshd_get(c, "hostbasedauthentication"), NULL);
	if ((v = hull_sshd_get(c, "ignorerhosts")) && strcmp(v->value, "yes"))
		add_value(out, HR_SSH_HOSTBASED, v, NULL);
	if (is(c, "strictmodes", "no"))
		add_value(out, HR_SSH_STRICT_MODES, hull_sshd_get(c, "strictmodes"), NULL);
	if ((v = hull_sshd_get(c, "permittunnel")) && strcmp(v->value, "no"))
		add_value(out, HR_SSH_TUNNEL, v, NULL);
	if ((v = hull_sshd_get(c, "gatewayports")) && strcmp(v->value, "no"))
		add_value(out, HR_SSH_TUNNEL, v, NULL);
}

static bool is_root_rule(enum host_rule r)
{
	return r == HR_SSH_ROOT_PASSWORD || r == HR_SSH_ROOT_KEY;
}

/* The scan of one configuration. */
struct sshscan {
	struct hscan *s;
	struct hull_sshd *c;
	const char *main; /* a default is the main file's doing */
};

static void report(struct sshscan *x, const struct verdict *v, enum hull_severity sev,
                   const struct hull_sshd_block *b, const char *file, unsigned line)
{
	char obj[300];
	if (!b) {
		host_report(x->s, v->rule, v->at.file ? v->at.file : x->main, v->at.line, "sshd",
		            "%s", v->msg);
		return;
	}
	snprintf(obj, sizeof(obj), "sshd (Match %.280s)", b->criteria);
	host_report_sev(x->s, v->rule, sev, file, line, obj,
	                "%s, for the clients of Match %s (%s line %u)", v->msg, b->criteria,
	                b->file, b->line);
}

/* The start-up view's values of every keyword, to tell what a block
 * changed. */
struct snapshot {
	struct hull_sshd_value *v;
	size_t n;
};

static bool snap(const struct hull_sshd *c, struct snapshot *s)
{
	size_t n;
	const struct hull_sshd_value *v = hull_sshd_values(c, &n);
	s->v = malloc((n ? n : 1) * sizeof(*s->v));
	if (!s->v)
		return false;
	memcpy(s->v, v, n * sizeof(*v));
	s->n = n;
	return true;
}

static bool unchanged(const struct snapshot *s, const struct hull_sshd_value *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].keyword, v->keyword))
			return s->v[i].file == v->file && s->v[i].line == v->line;
	return false;
}

static bool known(const struct verdicts *g, const struct verdict *v)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].rule == v->rule && !strcmp(g->v[i].at.keyword, v->at.keyword))
			return true;
	return false;
}

/* A block's verdicts the start-up view does not have: exposures of its
 * clients. A block on users or groups narrows who gets it: one severity
 * lower, except for root's logins, which concern root alone anyway. */
static void report_new(struct sshscan *x, const struct hull_sshd_block *b,
                       const struct verdicts *global, const struct verdicts *bv,
                       const struct snapshot *before)
{
	for (size_t i = 0; i < bv->n; i++) {
		const struct verdict *v = &bv->v[i];
		if (known(global, v))
			continue;
		enum hull_severity sev = host_rule_severity(v->rule);
		if (b->by_user && !is_root_rule(v->rule) && sev > HULL_SEV_LOW)
			sev--;
		/* point at the block's own line when the value is the block's */
		bool own = v->at.file && !unchanged(before, &v->at);
		report(x, v, sev, b, own ? v->at.file : b->file, own ? v->at.line : b->line);
	}
}

static void filter_rules(struct verdicts *v, bool root)
{
	size_t k = 0;
	for (size_t i = 0; i < v->n; i++)
		if (is_root_rule(v->v[i].rule) == root)
			v->v[k++] = v->v[i];
	v->n = k;
}

/* Verdicts of block b's clients (any user), and of b's root clients. */
static int block_verdicts(struct sshscan *x, const struct hull_sshd_block *b, struct verdicts *out,
                          struct hull_err *err)
{
	bool applies;
	out->n = 0;
	if (hull_sshd_view_clients(x->c, b, NULL, &applies, err) < 0)
		return -1;
	check_view(out, x->c);
	if (hull_sshd_view_clients(x->c, b, "root", &applies, err) < 0)
		return -1;
	if (applies)
		check_root(out, x->c);
	return 0;
}

/* Global verdicts: any client no criterion singles out, and root's
 * logins from anywhere (blocks on user root apply to them). */
static int global_verdicts(struct sshscan *x, struct verdicts *out, struct snapshot *before,
                           struct snapshot *root_before, struct hull_err *err)
{
	bool applies;
	if (hull_sshd_view_conn(x->c, NULL, err) < 0 || !snap(x->c, before))
		return -1;
	check_view(out, x->c);
	if (hull_sshd_view_clients(x->c, NULL, "root", &applies, err) < 0 ||
	    !snap(x->c, root_before))
		return -1;
	check_root(out, x->c);
	return 0;
}

static void check_blocks(struct sshscan *x)
{
	struct verdicts *global = calloc(1, sizeof(*global)), *bv = calloc(1, sizeof(*bv));
	struct snapshot before = {0}, root_before = {0};
	struct hull_err err = {0};
	int rc = global && bv ? global_verdicts(x, global, &before, &root_before, &err) : -1;
	for (size_t i = 0; rc == 0 && i < global->n; i++)
		report(x, &global->v[i], HULL_SEV_UNKNOWN, NULL, NULL, 0);
	size_t nb;
	const struct hull_sshd_block *b = hull_sshd_blocks(x->c, &nb);
	for (size_t i = 0; rc == 0 && i < nb && x->s->rc == 0; i++) {
		if (b[i].all)
			continue; /* its values are the start-up view's already */
		rc = block_verdicts(x, &b[i], bv, &err);
		struct verdicts *root_part = rc == 0 ? calloc(1, sizeof(*root_part)) : NULL;
		if (!root_part) {
			rc = -1;
			break;
		}
		*root_part = *bv;
		filter_rules(bv, false);
		filter_rules(root_part, true);
		report_new(x, &b[i], global, bv, &before);
		report_new(x, &b[i], global, root_part, &root_before);
		free(root_part);
	}
	if (rc < 0 && x->s->rc == 0) {
		/* a view failed (its error says why) or an allocation here did */
		if (err.msg[0])
			*x->s->err = err;
		else
			hull_err_nomem(x->s->err);
		x->s->rc = -1;
	}
	free(before.v);
	free(root_before.v);
	free(global);
	free(bv);
}

/* sshd would exit: say so, and judge nothing else. */
static bool check_refusals(struct sshscan *x)
{
	size_t n;
	const struct hull_sshd_refusal *r = hull_sshd_refusals(x->c, &n);
	for (size_t i = 0; i < n; i++)
		host_report(x->s, HR_SSH_REFUSED, r[i].file ? r[i].file : x->main, r[i].line,
		            "sshd",
		            "%s: sshd refuses to start with this configuration; the other SSH "
		            "checks were not run",
		            r[i].msg);
	return n > 0;
}

void host_check_ssh(struct hscan *s)
{
	struct hull_sshd *c = NULL;
	struct hull_err err = {0};
	struct hscan local = *s;
	local.err = &err;
	if (load(&local, &c) < 0) {
		/* a file named with --sshd-config that cannot be read is an error:
		 * a warning would leave a report that looks like a clean SSH audit */
		if (err.kind == HULL_ERR_USAGE || err.kind == HULL_ERR_NOMEM ||
		    s->opts->sshd_config) {
			if (s->opts->sshd_config && err.kind != HULL_ERR_NOMEM)
				hull_err_wrap(&err, "--sshd-config");
			*s->err = err;
			s->rc = -1;
		} else if (err.kind != HULL_ERR_NOTFOUND) {
			hull_diag_warn(s->diag, "sshd: %s", err.msg);
		}
		return;
	}
	size_t nf;
	const char *const *files = hull_sshd_files(c, &nf);
	struct sshscan x = {.s = s, .c = c, .main = nf ? files[0] : NULL};
	if (!check_refusals(&x)) {
		if (s->opts->ssh_match) {
			/* one connection's view: every verdict on its values */
			struct verdicts *v = calloc(1, sizeof(*v));
			if (!v) {
				s->rc = hull_err_nomem(s->err);
			} else {
				check_view(v, c);
				check_root(v, c);
				for (size_t i = 0; i < v->n; i++)
					report(&x, &v->v[i], HULL_SEV_UNKNOWN, NULL, NULL, 0);
			}
			free(v);
		} else {
			check_blocks(&x);
		}
	}
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
	size_t n = 0;
	const struct hull_sshd_refusal *r = rc == 0 ? hull_sshd_refusals(c, &n) : NULL;
	if (n && r[0].line)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %u: %s: sshd refuses to start with this configuration",
		                  r[0].file, r[0].line, r[0].msg);
	else if (n)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: %s: sshd refuses to start with this configuration",
		                  r[0].file ? r[0].file : "sshd", r[0].msg);
	if (rc == 0)
		rc = hull_sshd_dump(c, out, err);
	hull_sshd_free(c);
	hroot_close(&s.root);
	return rc;
}
