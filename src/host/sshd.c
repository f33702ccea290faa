/* The sshd configuration: files parsed into lines (includes resolved once,
 * as sshd caches them), then one or two passes over the lines with sshd's
 * active/Match rules, then defaults and the algorithm lists. */
#include "host/sshd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/sshd_internal.h"
#include "util/mem.h"
#include "util/str.h"

#define MAX_DEPTH  16
#define MAX_PORTS  256
#define MAX_LISTEN 256
#define MAX_LEGACY 64
#define SSHDIR     "/etc/ssh"
#define ALLOWED_G  1u /* allowed in the global section */
#define ALLOWED_M  2u /* allowed inside Match */
#define COPIED     4u /* a Match value overrides the global one */

enum kind {
	K_FLAG,  /* yes / no */
	K_MULTI, /* a word from a table */
	K_INT,   /* non-negative integer */
	K_TIME,  /* seconds, with s/m/h/d/w units */
	K_ALGO,  /* algorithm list */
	K_LOGLEVEL,
	K_PUE, /* PermitUserEnvironment: yes, no or a pattern list */
	K_PORT,
	K_LISTEN,
	K_KNOWN,  /* a keyword sshd knows that hull does not compute */
	K_LEGACY, /* deprecated or ignored; kept for the old-protocol check */
	K_MATCH,
	K_INCLUDE,
};

struct word {
	const char *in, *out;
};

static const struct word w_root[] = {{"without-password", "without-password"},
                                     {"prohibit-password", "without-password"},
                                     {"forced-commands-only", "forced-commands-only"},
                                     {"yes", "yes"},
                                     {"no", "no"},
                                     {0}};
static const struct word w_rhosts[] = {
    {"yes", "yes"}, {"no", "no"}, {"shosts-only", "shosts-only"}, {0}};
static const struct word w_af[] = {{"inet", "inet"}, {"inet6", "inet6"}, {"any", "any"}, {0}};
static const struct word w_comp[] = {{"yes", "yes"}, {"delayed", "yes"}, {"no", "no"}, {0}};
static const struct word w_gw[] = {
    {"clientspecified", "clientspecified"}, {"yes", "yes"}, {"no", "no"}, {0}};
static const struct word w_fwd[] = {{"yes", "yes"},       {"all", "yes"},     {"no", "no"},
                                    {"remote", "remote"}, {"local", "local"}, {0}};
static const struct word w_tun[] = {{"no", "no"},
                                    {"point-to-point", "point-to-point"},
                                    {"ethernet", "ethernet"},
                                    {"yes", "yes"},
                                    {0}};
static const struct word w_log[] = {{"QUIET", "QUIET"},     {"FATAL", "FATAL"},
                                    {"ERROR", "ERROR"},     {"INFO", "INFO"},
                                    {"VERBOSE", "VERBOSE"}, {"DEBUG", "DEBUG"},
                                    {"DEBUG1", "DEBUG1"},   {"DEBUG2", "DEBUG2"},
                                    {"DEBUG3", "DEBUG3"},   {0}};

/* The computed keywords, in sshd -T's order. */
struct kw {
	const char *name;
	enum kind kind;
	unsigned flags;
	const char *dflt;
	const struct word *words; /* K_MULTI */
	enum sshd_algo_kind algo; /* K_ALGO */
};

#define GM (ALLOWED_G | ALLOWED_M | COPIED)
#define G  ALLOWED_G

static const struct kw computed[] = {
    {"port", K_PORT, G, "22", NULL, 0},
    {"addressfamily", K_MULTI, G, "any", w_af, 0},
    {"listenaddress", K_LISTEN, G, NULL, NULL, 0},
    {"usepam", K_FLAG, G, "no", NULL, 0},
    {"logingracetime", K_TIME, G, "120", NULL, 0},
    {"maxauthtries", K_INT, GM, "6", NULL, 0},
    {"maxsessions", K_INT, GM, "10", NULL, 0},
    {"clientaliveinterval", K_TIME, GM, "0", NULL, 0},
    {"clientalivecountmax", K_INT, GM, "3", NULL, 0},
    {"permitrootlogin", K_MULTI, GM, "without-password", w_root, 0},
    {"ignorerhosts", K_MULTI, GM, "yes", w_rhosts, 0},
    {"hostbasedauthentication", K_FLAG, GM, "no", NULL, 0},
    {"pubkeyauthentication", K_FLAG, GM, "yes", NULL, 0},
    {"passwordauthentication", K_FLAG, GM, "yes", NULL, 0},
    {"kbdinteractiveauthentication", K_FLAG, GM, "yes", NULL, 0},
    {"printlastlog", K_FLAG, G, "yes", NULL, 0},
    {"x11forwarding", K_FLAG, GM, "no", NULL, 0},
    {"strictmodes", K_FLAG, G, "yes", NULL, 0},
    {"tcpkeepalive", K_FLAG, G, "yes", NULL, 0},
    {"permitemptypasswords", K_FLAG, GM, "no", NULL, 0},
    {"compression", K_MULTI, G, "yes", w_comp, 0},
    {"gatewayports", K_MULTI, GM, "no", w_gw, 0},
    {"usedns", K_FLAG, G, "no", NULL, 0},
    {"allowtcpforwarding", K_MULTI, GM, "yes", w_fwd, 0},
    {"allowagentforwarding", K_FLAG, GM, "yes", NULL, 0},
    {"disableforwarding", K_FLAG, GM, "no", NULL, 0},
    {"ciphers", K_ALGO, G, NULL, NULL, ALGO_CIPHER},
    {"macs", K_ALGO, G, NULL, NULL, ALGO_MAC},
    {"kexalgorithms", K_ALGO, G, NULL, NULL, ALGO_KEX},
    {"hostkeyalgorithms", K_ALGO, G, NULL, NULL, ALGO_KEY},
    {"pubkeyacceptedalgorithms", K_ALGO, GM, NULL, NULL, ALGO_KEY},
    {"loglevel", K_LOGLEVEL, GM, "INFO", w_log, 0},
    {"permittunnel", K_MULTI, GM, "no", w_tun, 0},
    {"permituserenvironment", K_PUE, G, "no", NULL, 0},
};
#define NCOMPUTED (sizeof(computed) / sizeof(computed[0]))

struct alias {
	const char *name;
	const char *to;
};
static const struct alias aliases[] = {
    {"challengeresponseauthentication", "kbdinteractiveauthentication"},
    {"skeyauthentication", "kbdinteractiveauthentication"},
    {"pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms"},
    {"keepalive", "tcpkeepalive"},
};

/* Keywords sshd accepts that hull does not compute, with where they are
 * allowed (so a misplaced one is reported as sshd would). "m" = Match too. */
static const char *const known_m[] = {
    "acceptenv",
    "allowgroups",
    "allowstreamlocalforwarding",
    "allowusers",
    "authenticationmethods",
    "authorizedkeyscommand",
    "authorizedkeyscommanduser",
    "authorizedkeysfile",
    "authorizedprincipalscommand",
    "authorizedprincipalscommanduser",
    "authorizedprincipalsfile",
    "banner",
    "casignaturealgorithms",
    "channeltimeout",
    "chrootdirectory",
    "denygroups",
    "denyusers",
    "exposeauthinfo",
    "forcecommand",
    "gssapiauthentication",
    "hostbasedacceptedalgorithms",
    "hostbasedacceptedkeytypes",
    "hostbasedusesnamefrompacketonly",
    "ipqos",
    "kerberosauthentication",
    "logverbose",
    "permitlisten",
    "permitopen",
    "permittty",
    "permituserrc",
    "pubkeyauthoptions",
    "rdomain",
    "rekeylimit",
    "requiredrsasize",
    "revokedkeys",
    "setenv",
    "streamlocalbindmask",
    "streamlocalbindunlink",
    "trustedusercakeys",
    "unusedconnectiontimeout",
    "x11displayoffset",
    "x11uselocalhost",
    "rhostsrsaauthentication",
    "rsaauthentication",
    "authorizedkeysfile2",
};
static const char *const known_g[] = {
    "hostkey",
    "hostdsakey",
    "hostkeyagent",
    "hostcertificate",
    "pidfile",
    "modulifile",
    "syslogfacility",
    "printmotd",
    "ignoreuserknownhosts",
    "xauthlocation",
    "subsystem",
    "maxstartups",
    "persourcemaxstartups",
    "persourcenetblocksize",
    "versionaddendum",
    "fingerprinthash",
    "securitykeyprovider",
    "kerberosorlocalpasswd",
    "kerberosticketcleanup",
    "kerberosgetafstoken",
    "kerberostgtpassing",
    "afstokenpassing",
    "gssapicleanupcredentials",
    "gssapistrictacceptorcheck",
    "gssapikeyexchange",
    "gssapistorecredentialsonrekey",
    "gssapikexalgorithms",
    "debianbanner",
    "useblacklist",
    "useblocklist",
    "dsaauthentication",
    "pamauthenticationviakbdint",
    "serverkeybits",
    "keyregenerationinterval",
    "rhostsauthentication",
    "checkmail",
    "uselogin",
    "verifyreversemapping",
    "reversemappingcheck",
    "useprivilegeseparation",
    "protocol",
};
/* The deprecated (or, for Protocol, ignored) ones that betray a protocol 1
 * era configuration. */
static const char *const legacy[] = {
    "protocol",      "rsaauthentication",       "rhostsrsaauthentication",
    "serverkeybits", "keyregenerationinterval", "rhostsauthentication",
    "uselogin",      "useprivilegeseparation",  "pamauthenticationviakbdint",
};

/* ---- parsed files ------------------------------------------------------ */

struct line;

struct inc_item {
	struct sfile *file; /* NULL: the pattern matched nothing */
};

struct line {
	unsigned lineno;
	char *keyword; /* lower case */
	char *rest;    /* text after the keyword (and '='), as written */
	char **argv;
	size_t argc;
	bool bad_quotes;
	struct sfile **inc; /* Include: the files, in glob order */
	size_t ninc;
};

struct sfile {
	char *path;
	struct line *lines;
	size_t n;
};

struct opt {
	bool set;
	char *val;
	const char *file;
	unsigned line;
};

struct port {
	int port;
	const char *file;
	unsigned line;
};

struct listen {
	char *addr; /* NULL: every address */
	char *rdomain;
	int port; /* 0: every Port */
	const char *file;
	unsigned line;
};

/* One pass's options (sshd's ServerOptions). */
struct opts {
	struct opt o[NCOMPUTED];
	struct port ports[MAX_PORTS];
	size_t nports;
	struct listen listen[MAX_LISTEN];
	size_t nlisten;
};

struct hull_sshd {
	struct sfile **files; /* every file read, for freeing */
	size_t nfiles;
	const char **paths;
	struct sfile *main;
	struct hull_sshd_value *values;
	size_t nvalues, capvalues;
	struct hull_sshd_legacy legacy[MAX_LEGACY];
	size_t nlegacy;
	char **strings; /* owned strings the values point at */
	size_t nstrings, capstrings;
	/* group lookups for Match Group */
	char *passwd, *group;
	bool ids_loaded;
};

struct loader {
	const struct hull_sshd_source *src;
	struct hull_sshd *c;
	struct hull_diag *diag;
	struct hull_err *err;
	int rc;
	/* include cache: sshd globs a pattern once */
	struct {
		char *pattern;
		struct sfile **files;
		size_t n;
	} cache[HULL_SSHD_MAX_FILES];
	size_t ncache;
	const struct hull_sshd_conn *conn;
	struct opts *dst;
	bool match_pass;
};

static void warn(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the second (Match) pass sees the same lines: warn once */
	if (!l->match_pass)
		hull_diag_warn(l->diag, "%s: line %u: %s", file, line, msg);
}

static char *keep(struct hull_sshd *c, char *s)
{
	if (!s)
		return NULL;
	if (HULL_ARRAY_PUSH_ROOM(c->strings, c->nstrings, c->capstrings, SIZE_MAX / 2, NULL) < 0) {
		free(s);
		return NULL;
	}
	c->strings[c->nstrings++] = s;
	return s;
}

/* argv_split(..., terminate_on_comment=1) of OpenSSH's misc.c. */
static int split_args(const char *s, char ***argvp, size_t *argcp)
{
	char **argv = NULL;
	size_t argc = 0;
	size_t slen = strlen(s);
	for (size_t i = 0; s[i];) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if (argc >= HULL_SSHD_MAX_ARGS)
			break;
		char **nv = realloc(argv, (argc + 2) * sizeof(*nv));
		char *arg = malloc(slen - i + 1);
		if (!nv || !arg) {
			free(arg);
			argv = nv ? nv : argv;
			goto fail;
		}
		argv = nv;
		argv[argc++] = arg;
		argv[argc] = NULL;
		size_t j = 0;
		char quote = 0;
		for (; s[i]; i++) {
			if (s[i] == '\\') {
				char n = s[i + 1];
				if (n == '\'' || n == '"' || n == '\\' ||
				    (quote == 0 && n == ' ')) {
					i++;
					arg[j++] = s[i];
				} else {
					arg[j++] = s[i];
				}
			} else if (quote == 0 && (s[i] == ' ' || s[i] == '\t')) {
				break;
			} else if (quote == 0 && (s[i] == '"' || s[i] == '\'')) {
				quote = s[i];
			} else if (quote != 0 && s[i] == quote) {
				quote = 0;
			} else {
				arg[j++] = s[i];
			}
		}
		arg[j] = '\0';
		if (!s[i]) {
			if (quote)
				goto fail;
			break;
		}
	}
	*argvp = argv;
	*argcp = argc;
	return 0;
fail:
	for (size_t k = 0; k < argc; k++)
		free(argv[k]);
	free(argv);
	*argvp = NULL;
	*argcp = 0;
	return -1;
}

static void line_release(struct line *ln)
{
	free(ln->keyword);
	free(ln->rest);
	for (size_t i = 0; i < ln->argc; i++)
		free(ln->argv[i]);
	free(ln->argv);
	free(ln->inc);
}

static void file_free(struct sfile *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		line_release(&f->lines[i]);
	free(f->lines);
	free(f->path);
	free(f);
}

/* One line of text into ln; false for blank lines and comments. */
static bool parse_line(struct hull_str text, unsigned lineno, struct line *ln)
{
	/* sshd strips leading blanks when loading, trailing ones per line */
	size_t a = 0, b = text.len;
	while (a < b && (text.ptr[a] == ' ' || text.ptr[a] == '\t' || text.ptr[a] == '\r'))
		a++;
	while (b > a && strchr(" \t\r\n\f", text.ptr[b - 1]))
		b--;
	if (a == b || text.ptr[a] == '#')
		return false;
	/* an embedded NUL ends the line, as it would for sshd's C strings */
	const char *nul = memchr(text.ptr + a, '\0', b - a);
	if (nul)
		b = (size_t)(nul - text.ptr);
	size_t k = a;
	while (k < b && !strchr(" \t=\"", text.ptr[k]))
		k++;
	if (k == a)
		return false;
	memset(ln, 0, sizeof(*ln));
	ln->lineno = lineno;
	ln->keyword = strndup(text.ptr + a, k - a);
	if (!ln->keyword)
		return false;
	for (char *p = ln->keyword; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* skip blanks, at most one '=', blanks */
	while (k < b && (text.ptr[k] == ' ' || text.ptr[k] == '\t'))
		k++;
	if (k < b && text.ptr[k] == '=') {
		k++;
		while (k < b && (text.ptr[k] == ' ' || text.ptr[k] == '\t'))
			k++;
	}
	ln->rest = strndup(text.ptr + k, b - k);
	if (!ln->rest)
		return true;
	if (split_args(ln->rest, &ln->argv, &ln->argc) < 0)
		ln->bad_quotes = true;
	return true;
}

static struct sfile *load_file(struct loader *l, const char *path, int depth);

static bool is_include(const struct line *ln)
{
	return !strcmp(ln->keyword, "include");
}

/* Resolves one Include line's patterns into files, through the cache. */
static void resolve_include(struct loader *l, struct sfile *f, struct line *ln, int depth)
{
	for (size_t a = 0; a < ln->argc && l->rc == 0; a++) {
		char pattern[PATH_MAX];
		const char *arg = ln->argv[a];
		if (arg[0] == '~') {
			warn(l, f->path, ln->lineno,
			     "Include of a home directory path is not followed");
			continue;
		}
		if (arg[0] == '/')
			snprintf(pattern, sizeof(pattern), "%s", arg);
		else
			snprintf(pattern, sizeof(pattern), SSHDIR "/%s", arg);
		size_t ci = 0;
		while (ci < l->ncache && strcmp(l->cache[ci].pattern, pattern))
			ci++;
		if (ci == l->ncache) {
			if (l->ncache == HULL_SSHD_MAX_FILES) {
				warn(l, f->path, ln->lineno, "too many Include patterns");
				return;
			}
			char **paths = NULL;
			size_t n = 0;
			struct hull_err gerr = {0};
			if (l->src->glob &&
			    l->src->glob(l->src->ctx, pattern, &paths, &n, &gerr) < 0) {
				warn(l, f->path, ln->lineno, "Include %s: %s", pattern, gerr.msg);
				n = 0;
			}
			l->cache[ci].pattern = strdup(pattern);
			l->cache[ci].files = calloc(n ? n : 1, sizeof(struct sfile *));
			l->cache[ci].n = 0;
			l->ncache++;
			if (!l->cache[ci].pattern || !l->cache[ci].files) {
				l->rc = hull_err_nomem(l->err);
				n = 0;
			}
			for (size_t i = 0; i < n; i++) {
				struct sfile *inc =
				    l->rc == 0 ? load_file(l, paths[i], depth + 1) : NULL;
				if (inc)
					l->cache[ci].files[l->cache[ci].n++] = inc;
				free(paths[i]);
			}
			free(paths);
		}
		for (size_t i = 0; i < l->cache[ci].n && l->rc == 0; i++) {
			struct sfile **nv = realloc(ln->inc, (ln->ninc + 1) * sizeof(*nv));
			if (!nv) {
				l->rc = hull_err_nomem(l->err);
				return;
			}
			ln->inc = nv;
			ln->inc[ln->ninc++] = l->cache[ci].files[i];
		}
	}
}

static struct sfile *load_file(struct loader *l, const char *path, int depth)
{
	if (depth > MAX_DEPTH) {
		warn(l, path, 0, "too many nested Include levels (sshd stops at %d)", MAX_DEPTH);
		return NULL;
	}
	if (l->c->nfiles >= HULL_SSHD_MAX_FILES) {
		warn(l, path, 0, "more than %d configuration files: the rest is not read",
		     HULL_SSHD_MAX_FILES);
		return NULL;
	}
	char *data = NULL;
	size_t len = 0;
	struct hull_err rerr = {0};
	if (l->src->read(l->src->ctx, path, &data, &len, &rerr) < 0) {
		if (depth == 0) {
			l->rc = -1;
			*l->err = rerr;
			return NULL;
		}
		warn(l, path, 0, "%s", rerr.msg);
		return NULL;
	}
	struct sfile *f = calloc(1, sizeof(*f));
	struct sfile **nf = realloc(l->c->files, (l->c->nfiles + 1) * sizeof(*nf));
	if (nf)
		l->c->files = nf;
	if (!f || !nf || !(f->path = strdup(path))) {
		free(data);
		free(f);
		l->rc = hull_err_nomem(l->err);
		return NULL;
	}
	l->c->files[l->c->nfiles++] = f;
	struct hull_str rest = hull_str(data, len), text;
	unsigned lineno = 0;
	size_t cap = 0;
	while (hull_str_next_line(&rest, &text)) {
		lineno++;
		struct line ln;
		if (!parse_line(text, lineno, &ln))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(f->lines, f->n, cap, 1000000, l->err) < 0) {
			line_release(&ln);
			l->rc = -1;
			break;
		}
		f->lines[f->n++] = ln;
	}
	free(data);
	for (size_t i = 0; i < f->n && l->rc == 0; i++)
		if (is_include(&f->lines[i]))
			resolve_include(l, f, &f->lines[i], depth);
	return f;
}

/* ---- values ---------------------------------------------------------------- */

static const struct kw *find_computed(const char *name, size_t *idx)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].name))
			name = aliases[i].to;
	for (size_t i = 0; i < NCOMPUTED; i++) {
		if (!strcmp(name, computed[i].name)) {
			*idx = i;
			return &computed[i];
		}
	}
	return NULL;
}

static bool in_table(const char *const *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i], name))
			return true;
	return false;
}
#define IN(t, name) in_table((t), sizeof(t) / sizeof((t)[0]), (name))

/* convtime of OpenSSH's misc.c */
static long convtime(const char *s)
{
	long total = 0;
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p;) {
		char *end;
		errno = 0;
		long secs = strtol(p, &end, 10);
		if (p == end || errno == ERANGE || secs < 0)
			return -1;
		long mult = 1;
		switch (*end++) {
		case '\0':
			end--;
			break;
		case 's':
		case 'S':
			break;
		case 'm':
		case 'M':
			mult = 60;
			break;
		case 'h':
		case 'H':
			mult = 3600;
			break;
		case 'd':
		case 'D':
			mult = 86400;
			break;
		case 'w':
		case 'W':
			mult = 604800;
			break;
		default:
			return -1;
		}
		if (secs > INT_MAX / mult)
			return -1;
		secs *= mult;
		if (total > INT_MAX - secs)
			return -1;
		total += secs;
		p = end;
	}
	return total;
}

static long parse_uint(const char *s, long max)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < 0 || v > max)
		return -1;
	return v;
}

static int a2port(const char *s)
{
	if (!strcmp(s, "ssh"))
		return 22;
	return (int)parse_uint(s, 65535);
}

static const char *word(const struct word *w, const char *in)
{
	for (; w->in; w++)
		if (!strcasecmp(w->in, in))
			return w->out;
	return NULL;
}

/* The value sshd stores for this line, as sshd -T prints it, or NULL with
 * *why when sshd would refuse it. Caller frees. */
static char *value_of(const struct kw *k, const struct line *ln, const char **why)
{
	const char *arg = ln->argc ? ln->argv[0] : NULL;
	char buf[32];
	*why = "missing argument";
	if (!arg || !*arg)
		return NULL;
	*why = "unsupported value";
	switch (k->kind) {
	case K_FLAG: {
		static const struct word yn[] = {{"yes", "yes"}, {"no", "no"}, {0}};
		const char *w = word(yn, arg);
		return w ? strdup(w) : NULL;
	}
	case K_MULTI:
	case K_LOGLEVEL: {
		const char *w = word(k->words, arg);
		return w ? strdup(w) : NULL;
	}
	case K_INT: {
		long v = parse_uint(arg, INT_MAX);
		if (v < 0)
			return NULL;
		snprintf(buf, sizeof(buf), "%ld", v);
		return strdup(buf);
	}
	case K_TIME: {
		long v = convtime(arg);
		if (v < 0)
			return NULL;
		snprintf(buf, sizeof(buf), "%ld", v);
		return strdup(buf);
	}
	case K_ALGO:
		return sshd_algo_assemble(k->algo, arg, why);
	case K_PUE:
		if (!strcmp(arg, "yes") || !strcmp(arg, "no"))
			return strdup(arg);
		return strdup(arg); /* a pattern list of allowed variables */
	default:
		return NULL;
	}
}

/* ListenAddress ARG [rdomain NAME] */
static void queue_listen(struct loader *l, const struct sfile *f, const struct line *ln)
{
	struct opts *o = l->dst;
	const char *arg = ln->argc ? ln->argv[0] : "";
	char host[256] = "";
	int port = 0;
	const char *colon = strchr(arg, ':');
	if (!strchr(arg, '[') && colon && strchr(colon + 1, ':')) {
		snprintf(host, sizeof(host), "%s", arg); /* a bare IPv6 address */
	} else if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (!close || (close[1] && close[1] != ':')) {
			warn(l, f->path, ln->lineno, "bad address:port usage '%s'", arg);
			return;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(close - arg - 1), arg + 1);
		if (close[1] == ':' && (port = a2port(close + 2)) <= 0) {
			warn(l, f->path, ln->lineno, "bad port number '%s'", close + 2);
			return;
		}
	} else {
		snprintf(host, sizeof(host), "%.*s",
		         (int)(colon ? (size_t)(colon - arg) : strlen(arg)), arg);
		if (colon && (port = a2port(colon + 1)) <= 0) {
			warn(l, f->path, ln->lineno, "bad port number '%s'", colon + 1);
			return;
		}
	}
	const char *rdomain = NULL;
	if (ln->argc > 1) {
		if (ln->argc != 3 || strcmp(ln->argv[1], "rdomain")) {
			warn(l, f->path, ln->lineno, "bad ListenAddress syntax");
			return;
		}
		rdomain = ln->argv[2];
	}
	if (o->nlisten == MAX_LISTEN) {
		warn(l, f->path, ln->lineno, "too many ListenAddress lines");
		return;
	}
	struct listen *q = &o->listen[o->nlisten];
	q->addr = keep(l->c, strdup(host));
	q->rdomain = rdomain ? keep(l->c, strdup(rdomain)) : NULL;
	q->port = port;
	q->file = f->path;
	q->line = ln->lineno;
	if (q->addr)
		o->nlisten++;
}

static void legacy_note(struct loader *l, const struct sfile *f, const struct line *ln)
{
	struct hull_sshd *c = l->c;
	if (l->match_pass || c->nlegacy == MAX_LEGACY)
		return;
	struct hull_sshd_legacy *g = &c->legacy[c->nlegacy];
	g->keyword = keep(c, strdup(ln->keyword));
	g->value = keep(c, strdup(ln->rest ? ln->rest : ""));
	g->file = f->path;
	g->line = ln->lineno;
	if (g->keyword && g->value)
		c->nlegacy++;
}

/* One keyword line while *active: sshd's process_server_config_line. */
static void apply(struct loader *l, const struct sfile *f, const struct line *ln, bool active)
{
	size_t idx;
	const struct kw *k = find_computed(ln->keyword, &idx);
	if (!k) {
		if (IN(legacy, ln->keyword)) {
			if (active)
				legacy_note(l, f, ln);
			return;
		}
		if (!IN(known_m, ln->keyword) && !IN(known_g, ln->keyword))
			warn(l, f->path, ln->lineno, "Bad configuration option: %s", ln->keyword);
		else if (!active && !IN(known_m, ln->keyword) && !l->match_pass)
			warn(l, f->path, ln->lineno,
			     "Directive '%s' is not allowed within a Match block", ln->keyword);
		return;
	}
	if (!active && !(k->flags & ALLOWED_M)) {
		if (!l->match_pass)
			warn(l, f->path, ln->lineno,
			     "Directive '%s' is not allowed within a Match block", ln->keyword);
		return;
	}
	if (k->kind == K_PORT) {
		int p = ln->argc ? a2port(ln->argv[0]) : -1;
		if (p <= 0) {
			warn(l, f->path, ln->lineno, "Badly formatted port number");
			return;
		}
		if (active && l->dst->nports < MAX_PORTS)
			l->dst->ports[l->dst->nports++] = (struct port){p, f->path, ln->lineno};
		return;
	}
	if (k->kind == K_LISTEN) {
		if (active)
			queue_listen(l, f, ln);
		return;
	}
	const char *why;
	char *v = value_of(k, ln, &why);
	if (!v) {
		warn(l, f->path, ln->lineno, "%s: %s '%s'", ln->keyword, why,
		     ln->argc ? ln->argv[0] : "");
		return;
	}
	struct opt *o = &l->dst->o[idx];
	if (!active || o->set) {
		free(v);
		return;
	}
	o->set = true;
	o->val = keep(l->c, v);
	o->file = f->path;
	o->line = ln->lineno;
}

/* ---- Match ------------------------------------------------------------- */

static void load_ids(struct loader *l)
{
	struct hull_sshd *c = l->c;
	if (c->ids_loaded)
		return;
	c->ids_loaded = true;
	size_t len;
	struct hull_err e = {0};
	if (l->src->read(l->src->ctx, "/etc/passwd", &c->passwd, &len, &e) < 0)
		c->passwd = NULL;
	if (l->src->read(l->src->ctx, "/etc/group", &c->group, &len, &e) < 0)
		c->group = NULL;
}

/* field i (0-based) of a colon-separated line */
static struct hull_str field(struct hull_str line, int i)
{
	struct hull_str left, right;
	while (i-- > 0) {
		if (!hull_str_split(line, ':', &left, &right))
			return hull_str("", 0);
		line = right;
	}
	hull_str_split(line, ':', &left, &right);
	return left;
}

/* ga_match_pattern_list: the user's groups (primary from passwd, others
 * from group members) against the pattern list. */
static bool user_in_groups(struct loader *l, const char *user, const char *list)
{
	load_ids(l);
	struct hull_sshd *c = l->c;
	if (!c->passwd || !c->group)
		return false;
	struct hull_str rest = hull_str_c(c->passwd), line, gid = {0};
	bool exists = false;
	while (hull_str_next_line(&rest, &line)) {
		if (hull_str_eq_c(field(line, 0), user)) {
			gid = field(line, 3);
			exists = true;
			break;
		}
	}
	if (!exists)
		return false;
	bool found = false;
	rest = hull_str_c(c->group);
	while (hull_str_next_line(&rest, &line)) {
		bool member = gid.len && hull_str_eq(field(line, 2), gid);
		struct hull_str mem = field(line, 3), one, more;
		while (!member && mem.len) {
			hull_str_split(mem, ',', &one, &more);
			member = hull_str_eq_c(hull_str_trim(one), user);
			mem = more;
		}
		if (!member)
			continue;
		char name[256];
		struct hull_str g = field(line, 0);
		if (g.len >= sizeof(name))
			continue;
		memcpy(name, g.ptr, g.len);
		name[g.len] = '\0';
		int r = hull_sshd_match_list(name, list, false);
		if (r == -1)
			return false;
		if (r == 1)
			found = true;
	}
	return found;
}

/* match_cfg_line: 1 match, 0 no match, -1 a bad Match line. conn NULL: the
 * start-up pass (only `all` matches). */
static int match_line(struct loader *l, const struct line *ln, const struct hull_sshd_conn *ci)
{
	int result = 1, attributes = 0;
	for (size_t i = 0; i < ln->argc; i++) {
		const char *attrib = ln->argv[i];
		attributes++;
		if (!strcasecmp(attrib, "all")) {
			if (attributes > 1 || i + 1 < ln->argc)
				return -1;
			return 1;
		}
		if (i + 1 >= ln->argc)
			return -1;
		const char *arg = ln->argv[++i];
		if (!strcasecmp(attrib, "user")) {
			if (!ci || !ci->user || hull_sshd_match_list(ci->user, arg, false) != 1)
				result = 0;
		} else if (!strcasecmp(attrib, "group")) {
			if (!ci || !ci->user || !user_in_groups(l, ci->user, arg))
				result = 0;
		} else if (!strcasecmp(attrib, "host")) {
			char host[256];
			size_t n = 0;
			for (; ci && ci->host && ci->host[n] && n < sizeof(host) - 1; n++)
				host[n] = (char)tolower((unsigned char)ci->host[n]);
			host[n] = '\0';
			if (!ci || !ci->host || hull_sshd_match_list(host, arg, true) != 1)
				result = 0;
		} else if (!strcasecmp(attrib, "address") || !strcasecmp(attrib, "localaddress")) {
			const char *a = !ci                                    ? NULL
			                : attrib[0] == 'a' || attrib[0] == 'A' ? ci->addr
			                                                       : ci->laddr;
			int r = hull_sshd_addr_match_list(a, arg);
			if (r == -2)
				return -1;
			if (!a || r != 1)
				result = 0;
		} else if (!strcasecmp(attrib, "localport")) {
			int port = a2port(arg);
			if (port < 0)
				return -1;
			if (!ci || ci->lport <= 0 || ci->lport != port)
				result = 0;
		} else if (!strcasecmp(attrib, "rdomain")) {
			if (!ci || !ci->rdomain ||
			    hull_sshd_match_list(ci->rdomain, arg, false) != 1)
				result = 0;
		} else {
			return -1;
		}
	}
	return attributes ? result : -1;
}

#define NEVERMATCH 1u
#define MATCH_ONLY 2u

static void walk(struct loader *l, const struct sfile *f, unsigned *flags, bool *active, int depth);

static void include(struct loader *l, const struct line *ln, unsigned *flags, bool *active,
                    int depth)
{
	bool oactive = *active;
	for (size_t i = 0; i < ln->ninc && l->rc == 0; i++) {
		unsigned fl = (*flags & MATCH_ONLY) ? MATCH_ONLY : oactive ? 0 : NEVERMATCH;
		walk(l, ln->inc[i], &fl, active, depth + 1);
		*active = oactive;
	}
}

static void walk(struct loader *l, const struct sfile *f, unsigned *flags, bool *active, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (size_t i = 0; i < f->n && l->rc == 0; i++) {
		const struct line *ln = &f->lines[i];
		if (ln->bad_quotes) {
			warn(l, f->path, ln->lineno, "invalid quotes");
			continue;
		}
		if (!ln->rest || !*ln->rest) {
			warn(l, f->path, ln->lineno, "no argument after keyword \"%s\"",
			     ln->keyword);
			continue;
		}
		if (!strcmp(ln->keyword, "match")) {
			const struct hull_sshd_conn *ci = (*flags & NEVERMATCH) ? NULL : l->conn;
			int v = match_line(l, ln, l->match_pass ? ci : NULL);
			if (v < 0) {
				warn(l, f->path, ln->lineno, "Bad Match condition");
				v = 0;
			}
			*active = (*flags & NEVERMATCH) ? false : v;
			*flags &= ~MATCH_ONLY;
			continue;
		}
		if (is_include(ln)) {
			include(l, ln, flags, active, depth);
			continue;
		}
		apply(l, f, ln, *active);
	}
}

/* ---- results ------------------------------------------------------------- */

static void add_value(struct loader *l, const char *kw, const char *val, const char *file,
                      unsigned line)
{
	struct hull_sshd *c = l->c;
	if (l->rc < 0)
		return;
	if (HULL_ARRAY_PUSH_ROOM(c->values, c->nvalues, c->capvalues, 100000, l->err) < 0) {
		l->rc = -1;
		return;
	}
	c->values[c->nvalues++] = (struct hull_sshd_value){kw, val, file, line};
}

static char *listen_text(const char *addr, int port, const char *rdomain, bool v6)
{
	char *s = NULL;
	if (asprintf(&s, v6 ? "[%s]:%d%s%s" : "%s:%d%s%s", addr, port, rdomain ? " rdomain " : "",
	             rdomain ? rdomain : "") < 0)
		return NULL;
	return s;
}

/* A literal address in getnameinfo's numeric form, v6 says which family;
 * false for a name (kept as written). */
static bool canon_addr(const char *in, char *out, size_t n, bool *v6)
{
	unsigned char b[16];
	if (inet_pton(AF_INET, in, b) == 1) {
		*v6 = false;
		return inet_ntop(AF_INET, b, out, (socklen_t)n) != NULL;
	}
	if (inet_pton(AF_INET6, in, b) == 1) {
		*v6 = true;
		return inet_ntop(AF_INET6, b, out, (socklen_t)n) != NULL;
	}
	return false;
}

/* The listen addresses of one rdomain group, in sshd -T's order. */
static void listen_group(struct loader *l, const struct opts *o, const char *rdomain,
                         const char *family)
{
	for (size_t i = 0; i < o->nlisten; i++) {
		const struct listen *q = &o->listen[i];
		if ((q->rdomain == NULL) != (rdomain == NULL) ||
		    (rdomain && strcmp(q->rdomain, rdomain)))
			continue;
		char addr[64];
		bool v6 = strchr(q->addr, ':') != NULL;
		if (!canon_addr(q->addr, addr, sizeof(addr), &v6))
			snprintf(addr, sizeof(addr), "%s", q->addr);
		if ((!strcmp(family, "inet") && v6) ||
		    (!strcmp(family, "inet6") && !v6 && strchr(addr, '.'))) {
			warn(l, q->file, q->line, "ListenAddress %s does not fit AddressFamily %s",
			     q->addr, family);
			continue;
		}
		for (size_t p = 0; p < (q->port ? 1 : o->nports); p++) {
			int port = q->port ? q->port : o->ports[p].port;
			char *t = keep(l->c, listen_text(addr, port, q->rdomain, v6));
			if (t)
				add_value(l, "listenaddress", t, q->file, q->line);
		}
	}
}

static void listen_values(struct loader *l, struct opts *o, const char *family)
{
	if (!o->nlisten) {
		/* getaddrinfo(NULL, AI_PASSIVE): sshd -T prints [::] first */
		for (size_t p = 0; p < o->nports; p++) {
			char *t;
			if (strcmp(family, "inet") &&
			    (t = keep(l->c, listen_text("::", o->ports[p].port, NULL, true))))
				add_value(l, "listenaddress", t, o->ports[p].file,
				          o->ports[p].line);
			if (strcmp(family, "inet6") &&
			    (t = keep(l->c, listen_text("0.0.0.0", o->ports[p].port, NULL, false))))
				add_value(l, "listenaddress", t, o->ports[p].file,
				          o->ports[p].line);
		}
		return;
	}
	/* one group per rdomain, in order of first appearance */
	for (size_t i = 0; i < o->nlisten; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = (o->listen[k].rdomain == NULL) == (o->listen[i].rdomain == NULL) &&
			       (!o->listen[k].rdomain ||
			        !strcmp(o->listen[k].rdomain, o->listen[i].rdomain));
		if (!seen)
			listen_group(l, o, o->listen[i].rdomain, family);
	}
}

static void finish(struct loader *l, struct opts *g)
{
	if (!g->nports)
		g->ports[g->nports++] = (struct port){22, NULL, 0};
	for (size_t i = 0; i < NCOMPUTED && l->rc == 0; i++) {
		const struct kw *k = &computed[i];
		if (k->kind == K_PORT) {
			for (size_t p = 0; p < g->nports; p++) {
				char buf[16];
				snprintf(buf, sizeof(buf), "%d", g->ports[p].port);
				char *t = keep(l->c, strdup(buf));
				if (t)
					add_value(l, "port", t, g->ports[p].file, g->ports[p].line);
			}
			continue;
		}
		if (k->kind == K_LISTEN) {
			size_t af = 0;
			find_computed("addressfamily", &af);
			listen_values(l, g, g->o[af].set ? g->o[af].val : "any");
			continue;
		}
		struct opt *o = &g->o[i];
		if (!o->set) {
			o->val = k->kind == K_ALGO ? (char *)sshd_algo_default(k->algo)
			                           : (char *)k->dflt;
			o->file = NULL;
			o->line = 0;
		}
		add_value(l, k->name, o->val, o->file, o->line);
	}
}

int hull_sshd_load(const struct hull_sshd_source *src, const char *path,
                   const struct hull_sshd_conn *conn, struct hull_sshd **out,
                   struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	struct hull_sshd *c = calloc(1, sizeof(*c));
	struct loader *l = calloc(1, sizeof(*l));
	struct opts *g = calloc(1, sizeof(*g));
	struct opts *m = calloc(1, sizeof(*m));
	if (!c || !l || !g || !m) {
		free(c);
		free(l);
		free(g);
		free(m);
		return hull_err_nomem(err);
	}
	*l = (struct loader){.src = src, .c = c, .diag = diag, .err = err, .conn = conn};
	c->main = load_file(l, path, 0);
	if (c->main && l->rc == 0) {
		/* start-up pass: global lines and `Match all` blocks */
		bool active = true;
		unsigned flags = 0;
		l->dst = g;
		walk(l, c->main, &flags, &active, 0);
		if (conn && l->rc == 0) {
			/* connection pass: only matching blocks, into fresh options */
			active = false;
			flags = MATCH_ONLY;
			l->dst = m;
			l->match_pass = true;
			walk(l, c->main, &flags, &active, 0);
			l->match_pass = false;
			for (size_t i = 0; i < NCOMPUTED; i++)
				if ((computed[i].flags & COPIED) && m->o[i].set)
					g->o[i] = m->o[i];
		}
		finish(l, g);
	}
	for (size_t i = 0; i < l->ncache; i++) {
		free(l->cache[i].pattern);
		free(l->cache[i].files);
	}
	int rc = c->main ? l->rc : -1;
	free(l);
	free(g);
	free(m);
	if (rc < 0) {
		hull_sshd_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

const struct hull_sshd_value *hull_sshd_get(const struct hull_sshd *c, const char *keyword)
{
	for (size_t i = 0; i < c->nvalues; i++)
		if (!strcmp(c->values[i].keyword, keyword))
			return &c->values[i];
	return NULL;
}

const struct hull_sshd_value *hull_sshd_values(const struct hull_sshd *c, size_t *n)
{
	*n = c->nvalues;
	return c->values;
}

const struct hull_sshd_legacy *hull_sshd_legacy(const struct hull_sshd *c, size_t *n)
{
	*n = c->nlegacy;
	return c->legacy;
}

const char *const *hull_sshd_files(const struct hull_sshd *c, size_t *n)
{
	struct hull_sshd *mc = (struct hull_sshd *)c;
	if (!mc->paths) {
		mc->paths = calloc(c->nfiles ? c->nfiles : 1, sizeof(*mc->paths));
		if (!mc->paths) {
			*n = 0;
			return NULL;
		}
		for (size_t i = 0; i < c->nfiles; i++)
			mc->paths[i] = c->files[i]->path;
	}
	*n = c->nfiles;
	return mc->paths;
}

int hull_sshd_dump(const struct hull_sshd *c, struct hull_buf *out, struct hull_err *err)
{
	for (size_t i = 0; i < c->nvalues; i++)
		if (hull_buf_printf(out, err, "%s %s\n", c->values[i].keyword, c->values[i].value) <
		    0)
			return -1;
	return 0;
}

void hull_sshd_free(struct hull_sshd *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfiles; i++)
		file_free(c->files[i]);
	free(c->files);
	free(c->paths);
	free(c->values);
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
	free(c->strings);
	free(c->passwd);
	free(c->group);
	free(c);
}

int hull_sshd_conn_parse(char *spec, struct hull_sshd_conn *c, struct hull_err *err)
{
	memset(c, 0, sizeof(*c));
	for (char *p; (p = strsep(&spec, ",")) && *p;) {
		if (!strncmp(p, "addr=", 5)) {
			c->addr = p + 5;
		} else if (!strncmp(p, "host=", 5)) {
			c->host = p + 5;
		} else if (!strncmp(p, "user=", 5)) {
			c->user = p + 5;
		} else if (!strncmp(p, "laddr=", 6)) {
			c->laddr = p + 6;
		} else if (!strncmp(p, "rdomain=", 8)) {
			c->rdomain = p + 8;
		} else if (!strncmp(p, "lport=", 6)) {
			c->lport = a2port(p + 6);
			if (c->lport <= 0)
				return hull_err_set(err, HULL_ERR_USAGE,
				                    "--ssh-match: invalid port '%s'", p + 6);
		} else {
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--ssh-match: '%s' is not user=, host=, addr=, laddr=, "
			                    "lport= or rdomain=",
			                    p);
		}
	}
	return 0;
}
