/* The sshd configuration: files parsed into lines (includes resolved once,
 * as sshd caches them), then, for each view, sshd's two passes over the
 * lines (start-up, then the Match blocks for one kind of client), then
 * defaults and the algorithm lists. What sshd would refuse is recorded on
 * the first evaluation. */
#include "host/sshd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/sshd_internal.h"
#include "host/sshd_keywords.h"
#include "util/mem.h"
#include "util/str.h"

#define MAX_DEPTH      16
#define MAX_PORTS      256
#define MAX_LISTEN     256
#define MAX_LEGACY     64
#define MAX_REFUSALS   64
#define MAX_SUBSYSTEMS 256
#define MAX_ITEMS      4096 /* AllowUsers and friends, per view */
#define MAX_BLOCKS     4096
#define MAX_CRIT       64 /* criteria kept per Match line */
#define SSHDIR         "/etc/ssh"
#define NCOMP          64 /* room for the computed keywords */

/* ---- parsed files ------------------------------------------------------ */

struct line {
	unsigned lineno;
	char *keyword; /* lower case */
	char *written; /* as written, for messages */
	char *rest;    /* what follows the keyword (NULL: nothing) */
	char **argv;
	size_t argc;
	bool bad_quotes;
	/* Match: the criteria as sshd's strdelim splits them; ntok counts
	 * the tokens before the one strdelim would not give */
	char **tok;
	size_t ntok;
	struct sfile **inc; /* Include: the files, in glob order */
	size_t ninc;
};

struct sfile {
	char *path;
	struct line *lines;
	size_t n;
};

/* ---- one view's options (sshd's ServerOptions) ------------------------ */

struct item {
	const char *val;
	const char *name; /* Subsystem: the name */
	const char *file;
	unsigned line;
};

struct opt {
	bool set;
	const char *val;
	const char *file;
	unsigned line;
	struct item *items; /* SK_USERS, SK_GROUPS, SK_SUBSYSTEM */
	size_t nitems, cap;
	unsigned count; /* SK_AUTHMETHODS: methods appended (num_auth_methods) */
};

struct port {
	int port;
	const char *file;
	unsigned line;
};

struct listen {
	const char *addr;
	int port; /* 0: every Port */
	const char *file;
	unsigned line;
};

struct opts {
	struct opt o[NCOMP];
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
	struct hull_sshd_refusal refusals[MAX_REFUSALS];
	size_t nrefusals;
	struct hull_sshd_block *blocks;
	const struct line **block_lines; /* the Match line of each block */
	size_t nblocks, capblocks;
	char **strings; /* owned strings the values point at */
	size_t nstrings, capstrings;
	char *passwd, *group; /* the root's, for Match Group; NULL: unknown */
	char *hosts;          /* the root's /etc/hosts, for ListenAddress names */
};

/* Who the connection pass is for. */
struct who {
	const struct hull_sshd_conn *conn; /* a connection (sshd -C) */
	const struct line *block;          /* or the clients of this block */
	const char *user;                  /* ... logging in as user (NULL: any) */
};

struct loader {
	const struct hull_sshd_source *src; /* while loading files */
	struct hull_sshd *c;
	struct hull_diag *diag;
	struct hull_err *err;
	int rc;
	/* include cache: sshd globs a pattern once */
	struct {
		char *pattern;
		struct sfile **files;
		size_t n;
		bool loading;
	} cache[HULL_SSHD_MAX_FILES];
	size_t ncache;
	/* evaluation */
	const struct who *who;
	struct opts *dst;
	bool match_pass;
	bool record; /* the first evaluation: keep refusals, warnings, legacy */
};

static void warn(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void refuse(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

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

/* A problem sshd logs and lives with. */
static void warn(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
{
	if (!l->record || l->match_pass)
		return; /* the other passes see the same lines: once */
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!file) /* the message names its file */
		hull_diag_warn(l->diag, "%s", msg);
	else if (line)
		hull_diag_warn(l->diag, "%s: line %u: %s", file, line, msg);
	else
		hull_diag_warn(l->diag, "%s: %s", file, msg);
}

/* A problem sshd exits on: kept once per line. */
static void refuse(struct loader *l, const char *file, unsigned line, const char *fmt, ...)
{
	struct hull_sshd *c = l->c;
	if (!l->record || c->nrefusals == MAX_REFUSALS)
		return;
	for (size_t i = 0; i < c->nrefusals; i++)
		if (c->refusals[i].line == line && c->refusals[i].file == file)
			return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *m = keep(c, strdup(msg));
	if (m)
		c->refusals[c->nrefusals++] = (struct hull_sshd_refusal){file, line, m};
}

static void line_release(struct line *ln)
{
	free(ln->keyword);
	free(ln->written);
	free(ln->rest);
	sshd_free_args(ln->argv, ln->argc);
	sshd_free_args(ln->tok, ln->ntok);
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

/* Match criteria: every token strdelim gives, up to the end or to a
 * quote never closed (where sshd's loop stops too). */
static void split_criteria(struct line *ln)
{
	char *copy = strdup(ln->rest), *cp = copy;
	for (char *t; copy && ln->ntok < MAX_CRIT && (t = sshd_strdelim(&cp, true));) {
		char **nv = realloc(ln->tok, (ln->ntok + 2) * sizeof(*nv));
		if (!nv)
			break;
		ln->tok = nv;
		if (!(ln->tok[ln->ntok] = strdup(t)))
			break;
		ln->tok[++ln->ntok] = NULL;
	}
	free(copy);
}

/* One line of text into ln, as process_server_config_line reads it; false
 * for what sshd skips without a word (blank, comment, a quoted keyword
 * whose quote never closes). */
static bool parse_line(struct hull_str text, unsigned lineno, struct line *ln)
{
	/* sshd strips leading blanks when loading, trailing ones per line;
	 * an embedded NUL ends the line, as for sshd's C strings */
	size_t a = 0, b = text.len;
	const char *nul = memchr(text.ptr, '\0', text.len);
	if (nul)
		b = (size_t)(nul - text.ptr);
	while (a < b && strchr(" \t\r", text.ptr[a]))
		a++;
	while (b > a && strchr(" \t\r\n\f", text.ptr[b - 1]))
		b--;
	if (a == b)
		return false;
	char *buf = strndup(text.ptr + a, b - a), *str = buf;
	if (!buf)
		return false;
	char *kw = sshd_strdelim(&str, true);
	if (kw && !*kw)
		kw = sshd_strdelim(&str, true);
	if (!kw || !*kw || *kw == '#') {
		free(buf);
		return false;
	}
	memset(ln, 0, sizeof(*ln));
	ln->lineno = lineno;
	ln->written = strdup(kw);
	ln->keyword = strdup(kw);
	if (str && *str)
		ln->rest = strdup(str);
	free(buf);
	if (!ln->keyword || !ln->written) {
		line_release(ln);
		return false;
	}
	for (char *p = ln->keyword; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (ln->rest && sshd_split_args(ln->rest, &ln->argv, &ln->argc) < 0)
		ln->bad_quotes = true;
	if (ln->rest && !strcmp(ln->keyword, "match"))
		split_criteria(ln);
	return true;
}

static struct sfile *load_file(struct loader *l, const char *path, int depth);

static bool is_include(const struct line *ln)
{
	return !strcmp(ln->keyword, "include");
}

/* A new cache entry for pattern: globbed, each file loaded. */
static size_t glob_pattern(struct loader *l, struct sfile *f, struct line *ln, const char *pattern,
                           int depth)
{
	size_t ci = l->ncache;
	char **paths = NULL;
	size_t n = 0;
	struct hull_err gerr = {0};
	if (l->src->glob && l->src->glob(l->src->ctx, pattern, &paths, &n, &gerr) < 0) {
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
	/* sshd caches a pattern only after reading its files: a file that
	 * includes itself recurses until the depth limit */
	l->cache[ci].loading = true;
	for (size_t i = 0; i < n; i++) {
		struct sfile *inc = l->rc == 0 ? load_file(l, paths[i], depth + 1) : NULL;
		if (inc)
			l->cache[ci].files[l->cache[ci].n++] = inc;
		free(paths[i]);
	}
	l->cache[ci].loading = false;
	free(paths);
	return ci;
}

/* Resolves one Include line's patterns into files, through the cache. */
static void resolve_include(struct loader *l, struct sfile *f, struct line *ln, int depth)
{
	for (size_t a = 0; a < ln->argc && l->rc == 0; a++) {
		char pattern[PATH_MAX];
		const char *arg = ln->argv[a];
		if (!*arg)
			return; /* refused when the line is read */
		if (arg[0] == '~') {
			warn(l, f->path, ln->lineno,
			     "Include of a home directory path is not followed");
			continue;
		}
		snprintf(pattern, sizeof(pattern), arg[0] == '/' ? "%s" : SSHDIR "/%s", arg);
		size_t ci = 0;
		while (ci < l->ncache && strcmp(l->cache[ci].pattern, pattern))
			ci++;
		if (ci < l->ncache && l->cache[ci].loading) {
			l->rc = 1; /* a cycle: sshd gives up at the depth limit */
			return;
		}
		if (ci == l->ncache) {
			if (l->ncache == HULL_SSHD_MAX_FILES) {
				warn(l, f->path, ln->lineno, "too many Include patterns");
				return;
			}
			ci = glob_pattern(l, f, ln, pattern, depth);
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
		l->rc = 1; /* refused by the caller, which knows the line */
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
		warn(l, NULL, 0, "%s", rerr.msg);
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
	for (size_t i = 0; i < f->n && l->rc == 0; i++) {
		if (!is_include(&f->lines[i]))
			continue;
		resolve_include(l, f, &f->lines[i], depth);
		if (l->rc > 0) {
			/* too deep or a cycle: sshd's fatal, at the Include line */
			refuse(l, f->path, f->lines[i].lineno,
			       "Too many recursive configuration includes");
			l->rc = 0;
		}
	}
	return f;
}

/* ---- Match ------------------------------------------------------------- */

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

int hull_sshd_user_group(const struct hull_sshd *c, const char *user, const char *pattern,
                         bool list)
{
	if (!c->passwd || !c->group)
		return -1;
	struct hull_str rest = hull_str_c(c->passwd), line, gid = {0};
	bool exists = false;
	while (!exists && hull_str_next_line(&rest, &line)) {
		if (hull_str_eq_c(field(line, 0), user)) {
			gid = field(line, 3);
			exists = true;
		}
	}
	if (!exists)
		return -1;
	/* getgrouplist: the primary group, then every group naming the user */
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
		char name[256];
		struct hull_str g = field(line, 0);
		if (!member || g.len >= sizeof(name))
			continue;
		memcpy(name, g.ptr, g.len);
		name[g.len] = '\0';
		int r = list ? hull_sshd_match_list(name, pattern, false)
		             : sshd_match_pattern(name, pattern);
		if (r == -1)
			return 0; /* a negated group vetoes */
		found |= r == 1;
	}
	return found;
}

/* Whether an address criterion arg of another block holds for every
 * address of b's list: each of b's networks lies in one of arg's, and arg
 * excludes nothing. */
static bool addresses_within(const char *blist, const char *alist)
{
	if (strchr(alist, '!'))
		return false;
	bool any = false;
	char *copy = strdup(blist), *rest = copy;
	for (char *cp; copy && (cp = strsep(&rest, ","));) {
		if (*cp == '!')
			continue; /* exclusions only make b's set smaller */
		struct sshd_net bn;
		if (sshd_net_parse(cp, &bn) != 0) {
			any = false;
			break;
		}
		bool inside = false;
		char *acopy = strdup(alist), *arest = acopy;
		for (char *ap; acopy && !inside && (ap = strsep(&arest, ","));) {
			struct sshd_net an;
			inside = sshd_net_parse(ap, &an) == 0 && sshd_net_within(&bn, &an);
		}
		free(acopy);
		if (!inside) {
			any = false;
			break;
		}
		any = true;
	}
	free(copy);
	return any;
}

/* Whether block b (a Match line) has the criterion attrib arg, or one
 * implying it for all of b's clients. */
static bool block_implies(const struct line *b, const char *attrib, const char *arg)
{
	bool addr = !strcasecmp(attrib, "address") || !strcasecmp(attrib, "localaddress");
	for (size_t i = 0; i + 1 < b->ntok; i += 2) {
		if (strcasecmp(b->tok[i], attrib))
			continue;
		if (!strcmp(b->tok[i + 1], arg))
			return true;
		if (addr && addresses_within(b->tok[i + 1], arg))
			return true;
	}
	/* a wildcard holds for every user, group member and host */
	return !strcmp(arg, "*") && (!strcasecmp(attrib, "user") || !strcasecmp(attrib, "group") ||
	                             !strcasecmp(attrib, "host"));
}

/* In a forced view: whether a criterion holds for all the view's clients. */
static bool implied(const struct who *w, const char *attrib, const char *arg)
{
	return w->block && block_implies(w->block, attrib, arg);
}

static const struct hull_sshd_conn blank;

/* One criterion: 1 holds, 0 not, -1 invalid (sshd's Bad Match condition).
 * ci NULL: the start-up pass (syntax only). */
static int criterion(struct loader *l, const char *attrib, const char *arg,
                     const struct hull_sshd_conn *ci)
{
	const struct who *w = l->who;
	bool forced = ci && w && !w->conn;
	bool user_known = forced && w->user;
	if (!strcasecmp(attrib, "user") || !strcasecmp(attrib, "group")) {
		bool group = attrib[0] == 'g' || attrib[0] == 'G';
		const char *user = user_known ? w->user : ci && !forced ? ci->user : NULL;
		if (!user)
			return forced && implied(w, attrib, arg);
		if (group)
			return hull_sshd_user_group(l->c, user, arg, true) == 1;
		return hull_sshd_match_list(user, arg, false) == 1;
	}
	if (!strcasecmp(attrib, "address") || !strcasecmp(attrib, "localaddress")) {
		if (hull_sshd_addr_match_list(NULL, arg) == -2)
			return -1;
		if (forced)
			return implied(w, attrib, arg);
		const char *a = !ci                                        ? NULL
		                : tolower((unsigned char)attrib[0]) == 'a' ? ci->addr
		                                                           : ci->laddr;
		return a && hull_sshd_addr_match_list(a, arg) == 1;
	}
	if (!strcasecmp(attrib, "localport")) {
		int port = sshd_a2port(arg);
		if (port < 0)
			return -1;
		if (forced)
			return implied(w, attrib, arg);
		/* sshd -T aborts on a LocalPort criterion without lport=; a
		 * connection without one simply does not match it here */
		return ci && ci->lport > 0 && ci->lport == port;
	}
	if (!strcasecmp(attrib, "host") || !strcasecmp(attrib, "rdomain")) {
		bool host = tolower((unsigned char)attrib[0]) == 'h';
		if (forced)
			return implied(w, attrib, arg);
		const char *v = !ci ? NULL : host ? ci->host : ci->rdomain;
		if (!v)
			return 0;
		if (!host)
			return hull_sshd_match_list(v, arg, false) == 1;
		char lower[256];
		size_t n = 0;
		for (; v[n] && n < sizeof(lower) - 1; n++)
			lower[n] = (char)tolower((unsigned char)v[n]);
		lower[n] = '\0';
		return hull_sshd_match_list(lower, arg, true) == 1;
	}
	return -1; /* Unsupported Match attribute */
}

/* match_cfg_line over the line's tokens: 1 match, 0 no match, -1 a bad
 * Match line. ci NULL: the start-up pass. */
static int match_line(struct loader *l, const struct line *ln, const struct hull_sshd_conn *ci)
{
	int result = 1, attributes = 0;
	bool forced = ci && l->who && !l->who->conn;
	if (forced && ln == l->who->block)
		ci = NULL; /* the block itself: only its syntax matters */
	size_t i = 0;
#define NEXT() (i < ln->ntok ? ln->tok[i++] : NULL)
	for (const char *attrib; (attrib = NEXT()) && *attrib;) {
		if (*attrib == '#')
			break;
		attributes++;
		if (!strcasecmp(attrib, "all")) {
			const char *arg = NEXT();
			if (attributes > 1 || (arg && *arg && *arg != '#'))
				return -1;
			return 1;
		}
		const char *arg = NEXT();
		if (!arg || !*arg || *arg == '#')
			return -1;
		int r = criterion(l, attrib, arg, ci);
		if (r < 0)
			return -1;
		if (r == 0)
			result = 0;
	}
#undef NEXT
	if (!attributes)
		return -1;
	if (forced && ln == l->who->block)
		return 1;
	return ci ? result : 0;
}

/* ---- values -------------------------------------------------------------- */

/* The index of a computed keyword (name must be one). */
static size_t kw_index(const char *name)
{
	struct sshd_keyword k;
	return (size_t)sshd_keyword_find(name, &k);
}

static bool push_item(struct opt *o, struct item it)
{
	if (o->nitems >= MAX_ITEMS ||
	    HULL_ARRAY_PUSH_ROOM(o->items, o->nitems, o->cap, MAX_ITEMS, NULL) < 0)
		return false;
	o->items[o->nitems++] = it;
	return true;
}

/* ListenAddress ARG [rdomain NAME] */
static void queue_listen(struct loader *l, const struct sfile *f, const struct line *ln,
                         bool active)
{
	struct opts *o = l->dst;
	const char *arg = ln->argv[0];
	char host[256] = "";
	int port = 0;
	const char *colon = strchr(arg, ':');
	if (!strchr(arg, '[') && colon && strchr(colon + 1, ':')) {
		snprintf(host, sizeof(host), "%s", arg); /* a bare IPv6 address */
	} else if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (!close || (close[1] && close[1] != ':')) {
			refuse(l, f->path, ln->lineno, "bad address:port usage");
			return;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(close - arg - 1), arg + 1);
		if (close[1] == ':' && (port = sshd_a2port(close + 2)) <= 0) {
			refuse(l, f->path, ln->lineno, "bad port number");
			return;
		}
	} else {
		snprintf(host, sizeof(host), "%.*s",
		         (int)(colon ? (size_t)(colon - arg) : strlen(arg)), arg);
		if (colon && (port = sshd_a2port(colon + 1)) <= 0) {
			refuse(l, f->path, ln->lineno, "bad port number");
			return;
		}
	}
	if (ln->argc > 1) {
		if (ln->argc < 3 || strcmp(ln->argv[1], "rdomain")) {
			refuse(l, f->path, ln->lineno, "bad ListenAddress syntax");
			return;
		}
		if (ln->argc > 3) {
			refuse(l, f->path, ln->lineno,
			       "ListenAddress extra arguments at end of line");
			return;
		}
		/* Debian's sshd has no routing domains: valid_rdomain fails */
		refuse(l, f->path, ln->lineno, "bad routing domain");
		return;
	}
	if (!active)
		return;
	if (o->nlisten == MAX_LISTEN) {
		refuse(l, f->path, ln->lineno, "too many ListenAddress lines");
		return;
	}
	struct listen *q = &o->listen[o->nlisten];
	q->addr = keep(l->c, strdup(host));
	q->port = port;
	q->file = f->path;
	q->line = ln->lineno;
	if (q->addr)
		o->nlisten++;
}

static void legacy_note(struct loader *l, const struct sfile *f, const struct line *ln)
{
	struct hull_sshd *c = l->c;
	if (!l->record || l->match_pass || c->nlegacy == MAX_LEGACY)
		return;
	struct hull_sshd_legacy *g = &c->legacy[c->nlegacy];
	g->keyword = keep(c, strdup(ln->keyword));
	g->value = keep(c, strdup(ln->rest ? ln->rest : ""));
	g->file = f->path;
	g->line = ln->lineno;
	if (g->keyword && g->value)
		c->nlegacy++;
}

/* AllowUsers / DenyUsers / AllowGroups / DenyGroups: every argument of
 * every active line, in order. */
static void apply_patterns(struct loader *l, const struct sfile *f, const struct line *ln,
                           const struct sshd_kw *k, struct opt *o, bool active)
{
	for (size_t i = 0; i < ln->argc; i++) {
		const char *arg = ln->argv[i];
		const char *at = strchr(arg, '@');
		bool bad = !*arg || (k->kind == SK_USERS && at &&
		                     hull_sshd_addr_match_list(NULL, at + 1) == -2);
		if (bad) {
			refuse(l, f->path, ln->lineno, "invalid %s pattern: \"%s\"", ln->written,
			       arg);
			return;
		}
		if (active && !push_item(o, (struct item){arg, NULL, f->path, ln->lineno}))
			refuse(l, f->path, ln->lineno, "too many %s patterns", ln->written);
	}
}

static const char *const auth_methods[] = {
    "none", "publickey", "password", "keyboard-interactive", "hostbased", "gssapi-with-mic"};

/* auth2_methods_valid without the enabled check: every method known. */
static bool methods_known(const char *list)
{
	if (!*list)
		return false;
	for (const char *p = list; p;) {
		const char *e = strchr(p, ','), *colon = strchr(p, ':');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (colon && (!e || colon < e))
			len = (size_t)(colon - p);
		bool known = false;
		for (size_t i = 0; i < sizeof(auth_methods) / sizeof(auth_methods[0]); i++)
			known |=
			    strlen(auth_methods[i]) == len && !strncmp(auth_methods[i], p, len);
		if (!known)
			return false;
		p = e ? e + 1 : NULL;
	}
	return true;
}

/* AuthenticationMethods: the first line that sets any, "any" only alone. */
static void apply_methods(struct loader *l, const struct sfile *f, const struct line *ln,
                          struct opt *o, bool active)
{
	bool first = o->count == 0, any = false, parsed = false;
	char joined[4096] = "";
	size_t used = 0;
	for (size_t i = 0; i < ln->argc; i++) {
		const char *arg = ln->argv[i];
		if (!strcmp(arg, "any")) {
			if (o->count > 0) {
				refuse(l, f->path, ln->lineno,
				       "\"any\" must appear alone in AuthenticationMethods");
				return;
			}
			any = true;
		} else if (any) {
			refuse(l, f->path, ln->lineno,
			       "\"any\" must appear alone in AuthenticationMethods");
			return;
		} else if (!methods_known(arg)) {
			refuse(l, f->path, ln->lineno,
			       "invalid AuthenticationMethods method list.");
			return;
		}
		parsed = true;
		if (!first || !active)
			continue;
		o->count++;
		int k =
		    snprintf(joined + used, sizeof(joined) - used, "%s%s", used ? " " : "", arg);
		if (k > 0 && (size_t)k < sizeof(joined) - used)
			used += (size_t)k;
	}
	if (!parsed) {
		refuse(l, f->path, ln->lineno, "no AuthenticationMethods specified");
		return;
	}
	if (first && active && used) {
		o->set = true;
		o->val = keep(l->c, strdup(joined));
		o->file = f->path;
		o->line = ln->lineno;
	}
}

static void apply_subsystem(struct loader *l, const struct sfile *f, const struct line *ln,
                            struct opt *o, bool active)
{
	if (!active)
		return;
	if (o->nitems >= MAX_SUBSYSTEMS) {
		refuse(l, f->path, ln->lineno, "too many subsystems defined.");
		return;
	}
	const char *name = ln->argv[0];
	for (size_t i = 0; i < o->nitems; i++) {
		if (!strcmp(o->items[i].name, name)) {
			refuse(l, f->path, ln->lineno, "Subsystem '%s' already defined", name);
			return;
		}
	}
	if (ln->argc < 2 || !*ln->argv[1]) {
		refuse(l, f->path, ln->lineno, "Missing subsystem command.");
		return;
	}
	/* sshd -T prints the name, then the command and its words */
	char text[4096];
	size_t used = (size_t)snprintf(text, sizeof(text), "%s", name);
	for (size_t i = 1; i < ln->argc && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s", ln->argv[i]);
	struct item it = {keep(l->c, strdup(text)), name, f->path, ln->lineno};
	if (it.val && !push_item(o, it))
		refuse(l, f->path, ln->lineno, "too many subsystems defined.");
}

/* A single-valued keyword: first value wins; the value is checked even
 * where it does not apply, as sshd does. */
static void apply_value(struct loader *l, const struct sfile *f, const struct line *ln,
                        const struct sshd_kw *k, struct opt *o, bool active)
{
	const char *why;
	char *v = sshd_value_of(k, ln->argc ? ln->argv[0] : NULL, &why);
	if (!v) {
		refuse(l, f->path, ln->lineno, "%s: %s '%s'", ln->written, why,
		       ln->argc ? ln->argv[0] : "");
		return;
	}
	if (ln->argc > 1) {
		free(v);
		refuse(l, f->path, ln->lineno, "keyword %s extra arguments at end of line",
		       ln->written);
		return;
	}
	if (!active || o->set) {
		free(v);
		return;
	}
	o->set = true;
	o->val = keep(l->c, v);
	o->file = f->path;
	o->line = ln->lineno;
}

static void apply_port(struct loader *l, const struct sfile *f, const struct line *ln, bool active)
{
	int p = ln->argc ? sshd_a2port(ln->argv[0]) : -1;
	if (p <= 0) {
		refuse(l, f->path, ln->lineno, "Badly formatted port number.");
		return;
	}
	if (ln->argc > 1) {
		refuse(l, f->path, ln->lineno, "keyword %s extra arguments at end of line",
		       ln->written);
		return;
	}
	if (!active)
		return;
	if (l->dst->nports == MAX_PORTS) {
		refuse(l, f->path, ln->lineno, "too many ports.");
		return;
	}
	l->dst->ports[l->dst->nports++] = (struct port){p, f->path, ln->lineno};
}

/* One computed keyword's line (sshd's process_server_config_line). */
static void apply(struct loader *l, const struct sfile *f, const struct line *ln, size_t idx,
                  bool active)
{
	size_t n;
	const struct sshd_kw *k = &sshd_computed(&n)[idx];
	struct opt *o = &l->dst->o[idx];
	if (!ln->argc && k->kind != SK_AUTHMETHODS) {
		refuse(l, f->path, ln->lineno, "%s missing argument.", ln->written);
		return;
	}
	switch (k->kind) {
	case SK_PORT:
		apply_port(l, f, ln, active);
		return;
	case SK_LISTEN:
		queue_listen(l, f, ln, active);
		return;
	case SK_USERS:
	case SK_GROUPS:
		apply_patterns(l, f, ln, k, o, active);
		return;
	case SK_AUTHMETHODS:
		apply_methods(l, f, ln, o, active);
		return;
	case SK_SUBSYSTEM:
		apply_subsystem(l, f, ln, o, active);
		return;
	default:
		apply_value(l, f, ln, k, o, active);
		return;
	}
}

/* ---- the passes ---------------------------------------------------------- */

#define NEVERMATCH 1u
#define MATCH_ONLY 2u

static void walk(struct loader *l, const struct sfile *f, unsigned *flags, bool *active, int depth);

static void include(struct loader *l, const struct sfile *f, const struct line *ln, unsigned *flags,
                    bool *active, int depth)
{
	for (size_t i = 0; i < ln->argc; i++) {
		if (!*ln->argv[i]) {
			refuse(l, f->path, ln->lineno, "keyword %s empty argument", ln->written);
			return;
		}
	}
	if (!ln->argc) {
		refuse(l, f->path, ln->lineno, "%s missing filename argument", ln->written);
		return;
	}
	/* included files never clobber the including file's Match state */
	bool oactive = *active;
	for (size_t i = 0; i < ln->ninc && l->rc == 0; i++) {
		unsigned fl = (*flags & MATCH_ONLY) ? MATCH_ONLY : oactive ? 0 : NEVERMATCH;
		walk(l, ln->inc[i], &fl, active, depth + 1);
		*active = oactive;
	}
}

static void note_block(struct loader *l, const struct sfile *f, const struct line *ln)
{
	struct hull_sshd *c = l->c;
	if (!l->record || l->match_pass || c->nblocks == MAX_BLOCKS)
		return;
	for (size_t i = 0; i < c->nblocks; i++)
		if (c->block_lines[i] == ln)
			return;
	if (HULL_ARRAY_PUSH_ROOM(c->blocks, c->nblocks, c->capblocks, MAX_BLOCKS, NULL) < 0)
		return;
	const struct line **nl = realloc(c->block_lines, c->capblocks * sizeof(*nl));
	if (!nl)
		return;
	c->block_lines = nl;
	bool all = false, by_user = false;
	for (size_t i = 0; i < ln->ntok; i++) {
		all |= !strcasecmp(ln->tok[i], "all");
		/* User * names every user: it singles nobody out */
		by_user |= i % 2 == 0 && i + 1 < ln->ntok && strcmp(ln->tok[i + 1], "*") &&
		           (!strcasecmp(ln->tok[i], "user") || !strcasecmp(ln->tok[i], "group"));
	}
	c->block_lines[c->nblocks] = ln;
	c->blocks[c->nblocks++] =
	    (struct hull_sshd_block){f->path, ln->lineno, ln->rest, all, by_user};
}

static void match(struct loader *l, const struct sfile *f, const struct line *ln, unsigned *flags,
                  bool *active)
{
	note_block(l, f, ln);
	const struct hull_sshd_conn *ci = NULL;
	if (l->match_pass && !(*flags & NEVERMATCH))
		ci = l->who && l->who->conn ? l->who->conn : &blank;
	int v = match_line(l, ln, ci);
	if (v < 0) {
		refuse(l, f->path, ln->lineno, "Bad Match condition");
		v = 0;
	}
	*active = (*flags & NEVERMATCH) ? false : v;
	*flags &= ~MATCH_ONLY;
}

/* One line of the start-up or the connection pass. */
static void walk_line(struct loader *l, const struct sfile *f, const struct line *ln,
                      unsigned *flags, bool *active, int depth)
{
	if (!ln->rest) {
		refuse(l, f->path, ln->lineno, "no argument after keyword \"%s\"", ln->written);
		return;
	}
	struct sshd_keyword k;
	int idx = sshd_keyword_find(ln->keyword, &k);
	if (idx == -2) {
		refuse(l, f->path, ln->lineno, "Bad configuration option: %s", ln->written);
		return;
	}
	if (ln->bad_quotes) {
		refuse(l, f->path, ln->lineno, "invalid quotes");
		return;
	}
	if (!*active && !(k.flags & SSHD_KW_MATCH)) {
		/* at start-up sshd exits; the connection pass has seen it */
		if (!l->match_pass)
			refuse(l, f->path, ln->lineno,
			       "Directive '%s' is not allowed within a Match block", ln->written);
		return;
	}
	switch (k.cls) {
	case SSHD_CLASS_MATCH:
		match(l, f, ln, flags, active);
		return;
	case SSHD_CLASS_INCLUDE:
		include(l, f, ln, flags, active, depth);
		return;
	case SSHD_CLASS_DEPRECATED:
		if (*active && (k.flags & SSHD_KW_LEGACY))
			legacy_note(l, f, ln);
		return;
	case SSHD_CLASS_KNOWN: {
		const char *why = sshd_check_other(&k, ln->argv, ln->argc);
		if (why)
			refuse(l, f->path, ln->lineno, "%s: %s", ln->written, why);
		return;
	}
	case SSHD_CLASS_COMPUTED:
		apply(l, f, ln, (size_t)idx, *active);
		return;
	}
}

static void walk(struct loader *l, const struct sfile *f, unsigned *flags, bool *active, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (size_t i = 0; i < f->n && l->rc == 0; i++)
		walk_line(l, f, &f->lines[i], flags, active, depth);
}

/* ---- results ------------------------------------------------------------- */

static void add_value(struct loader *l, const char *kw, const char *val, const char *file,
                      unsigned line)
{
	struct hull_sshd *c = l->c;
	if (l->rc < 0 || !val)
		return;
	if (HULL_ARRAY_PUSH_ROOM(c->values, c->nvalues, c->capvalues, 100000, l->err) < 0) {
		l->rc = -1;
		return;
	}
	c->values[c->nvalues++] = (struct hull_sshd_value){kw, val, file, line};
}

static char *listen_text(const char *addr, int port, bool v6)
{
	char *s = NULL;
	if (asprintf(&s, v6 ? "[%s]:%d" : "%s:%d", addr, port) < 0)
		return NULL;
	return s;
}

#define MAX_RESOLVED 16

struct resolved {
	char addr[64]; /* getnameinfo's numeric form */
	bool v6;
};

/* A literal as getaddrinfo(AI_NUMERICHOST) reads it ("10.1" is 10.0.0.1,
 * "010.0.0.1" octal): 1, with its family; 0 not a literal. */
static int numeric(const char *in, struct resolved *r)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE,
	                         .ai_socktype = SOCK_STREAM},
	                *ai = NULL;
	if (getaddrinfo(in, NULL, &hints, &ai) != 0 || !ai)
		return 0;
	int ok = getnameinfo(ai->ai_addr, ai->ai_addrlen, r->addr, sizeof(r->addr), NULL, 0,
	                     NI_NUMERICHOST) == 0;
	r->v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return ok;
}

/* The addresses the root's /etc/hosts gives name, IPv6 ones first (as
 * getaddrinfo sorts loopback), then in file order. */
static size_t hosts_lookup(const struct hull_sshd *c, const char *name, struct resolved *r,
                           size_t max)
{
	size_t n = 0;
	struct hull_str rest = hull_str_c(c->hosts), line;
	for (int pass = 0; pass < 2; pass++) {
		rest = hull_str_c(c->hosts);
		while (n < max && hull_str_next_line(&rest, &line)) {
			char buf[512];
			snprintf(buf, sizeof(buf), "%.*s", (int)line.len, line.ptr);
			char *hash = strchr(buf, '#'), *save = NULL;
			if (hash)
				*hash = '\0';
			char *addr = strtok_r(buf, " \t", &save);
			bool named = false;
			for (char *w; addr && (w = strtok_r(NULL, " \t", &save));)
				named |= !strcasecmp(w, name);
			struct resolved one;
			if (named && numeric(addr, &one) && one.v6 == (pass == 0))
				r[n++] = one;
		}
	}
	return n;
}

/* A ListenAddress as sshd's getaddrinfo(AI_PASSIVE) resolves it: 0 when
 * it cannot be known here (a name only DNS knows). */
static size_t resolve(struct loader *l, const struct listen *q, struct resolved *r, size_t max)
{
	if (numeric(q->addr, r))
		return 1;
	size_t n = l->c->hosts ? hosts_lookup(l->c, q->addr, r, max) : 0;
	if (!n)
		warn(l, q->file, q->line,
		     "ListenAddress %s is not in /etc/hosts: kept as written (sshd resolves it)",
		     q->addr);
	return n;
}

/* The listen addresses, in sshd -T's order: per ListenAddress line, each
 * address it resolves to, for each Port unless it gave its own. */
static void listen_group(struct loader *l, const struct opts *o, const char *family)
{
	bool only4 = !strcmp(family, "inet"), only6 = !strcmp(family, "inet6");
	for (size_t i = 0; i < o->nlisten; i++) {
		const struct listen *q = &o->listen[i];
		struct resolved r[MAX_RESOLVED];
		size_t n = resolve(l, q, r, MAX_RESOLVED);
		if (!n) {
			snprintf(r[0].addr, sizeof(r[0].addr), "%s", q->addr);
			r[0].v6 = strchr(q->addr, ':') != NULL;
			n = 1;
		}
		size_t kept = 0;
		for (size_t k = 0; k < n; k++)
			if (!(only4 && r[k].v6) && !(only6 && !r[k].v6))
				r[kept++] = r[k];
		if (!kept) {
			/* getaddrinfo with the family set fails: sshd exits */
			refuse(l, q->file, q->line,
			       "bad addr or host: %s (Address family for hostname not supported)",
			       q->addr);
			continue;
		}
		for (size_t k = 0; k < kept; k++) {
			for (size_t p = 0; p < (q->port ? 1 : o->nports); p++) {
				int port = q->port ? q->port : o->ports[p].port;
				char *t = keep(l->c, listen_text(r[k].addr, port, r[k].v6));
				add_value(l, "listenaddress", t, q->file, q->line);
			}
		}
	}
}

static void listen_values(struct loader *l, struct opts *o, const char *family)
{
	if (!o->nlisten) {
		/* getaddrinfo(NULL, AI_PASSIVE): sshd -T prints [::] first */
		for (size_t p = 0; p < o->nports; p++) {
			if (strcmp(family, "inet"))
				add_value(l, "listenaddress",
				          keep(l->c, listen_text("::", o->ports[p].port, true)),
				          o->ports[p].file, o->ports[p].line);
			if (strcmp(family, "inet6"))
				add_value(
				    l, "listenaddress",
				    keep(l->c, listen_text("0.0.0.0", o->ports[p].port, false)),
				    o->ports[p].file, o->ports[p].line);
		}
		return;
	}
	listen_group(l, o, family);
}

static const char *opt_val(const struct opts *g, const char *name)
{
	size_t n, i = kw_index(name);
	const struct sshd_kw *t = sshd_computed(&n);
	return g->o[i].set ? g->o[i].val : t[i].dflt;
}

/* The check sshd makes after reading: some AuthenticationMethods list
 * must consist of enabled methods. */
static void check_methods(struct loader *l, const struct opts *g)
{
	const struct opt *o = &g->o[kw_index("authenticationmethods")];
	if (!o->set || !strcmp(o->val, "any"))
		return;
	static const char *const enabled_by[] = {NULL,
	                                         "pubkeyauthentication",
	                                         "passwordauthentication",
	                                         "kbdinteractiveauthentication",
	                                         "hostbasedauthentication",
	                                         "gssapiauthentication"};
	char *copy = strdup(o->val), *rest = copy;
	bool ok = false;
	for (char *list; copy && !ok && (list = strsep(&rest, " "));) {
		ok = true;
		for (char *m, *lr = list; ok && (m = strsep(&lr, ","));) {
			char *colon = strchr(m, ':');
			if (colon)
				*colon = '\0';
			for (size_t i = 0; i < sizeof(auth_methods) / sizeof(auth_methods[0]); i++)
				if (!strcmp(m, auth_methods[i]) && enabled_by[i])
					ok = !strcmp(opt_val(g, enabled_by[i]), "yes");
		}
	}
	free(copy);
	if (!ok)
		refuse(l, o->file, o->line,
		       "AuthenticationMethods cannot be satisfied by enabled authentication "
		       "methods");
}

static void finish_items(struct loader *l, const struct sshd_kw *k, const struct opt *o)
{
	for (size_t i = 0; i < o->nitems; i++)
		add_value(l, k->name, o->items[i].val, o->items[i].file, o->items[i].line);
}

static void finish(struct loader *l, struct opts *g)
{
	if (!g->nports)
		g->ports[g->nports++] = (struct port){22, NULL, 0};
	size_t n;
	const struct sshd_kw *t = sshd_computed(&n);
	for (size_t i = 0; i < n && l->rc == 0; i++) {
		const struct sshd_kw *k = &t[i];
		struct opt *o = &g->o[i];
		if (k->kind == SK_PORT) {
			for (size_t p = 0; p < g->nports; p++) {
				char buf[16];
				snprintf(buf, sizeof(buf), "%d", g->ports[p].port);
				add_value(l, "port", keep(l->c, strdup(buf)), g->ports[p].file,
				          g->ports[p].line);
			}
		} else if (k->kind == SK_LISTEN) {
			const char *af = opt_val(g, "addressfamily");
			listen_values(l, g, af);
		} else if (k->kind == SK_USERS || k->kind == SK_GROUPS || k->kind == SK_SUBSYSTEM) {
			finish_items(l, k, o);
		} else if (o->set) {
			add_value(l, k->name, o->val, o->file, o->line);
		} else {
			add_value(l, k->name,
			          k->kind == SK_ALGO ? sshd_algo_default(k->algo) : k->dflt, NULL,
			          0);
		}
	}
}

static void opts_release(struct opts *o)
{
	for (size_t i = 0; i < NCOMP; i++)
		free(o->o[i].items);
}

/* What the connection pass set overrides the start-up value, for the
 * keywords sshd copies (copy_set_server_options). */
static void copy_set(struct opts *g, struct opts *m)
{
	size_t n;
	const struct sshd_kw *t = sshd_computed(&n);
	for (size_t i = 0; i < n; i++) {
		if (!(t[i].flags & SSHD_KW_COPIED))
			continue;
		if (t[i].kind == SK_USERS || t[i].kind == SK_GROUPS) {
			if (!m->o[i].nitems)
				continue;
			free(g->o[i].items);
			g->o[i] = m->o[i];
			m->o[i].items = NULL;
		} else if (m->o[i].set) {
			g->o[i] = m->o[i];
		}
	}
}

/* Computes one view into c->values (sshd's two passes). */
static int evaluate(struct hull_sshd *c, const struct who *who, bool record, struct hull_diag *diag,
                    struct hull_err *err)
{
	size_t ncomputed;
	sshd_computed(&ncomputed);
	if (ncomputed > NCOMP)
		return hull_err_set(err, HULL_ERR_LIMIT, "sshd: %zu computed keywords, room for %d",
		                    ncomputed, NCOMP);
	struct loader *l = calloc(1, sizeof(*l));
	struct opts *g = calloc(1, sizeof(*g)), *m = calloc(1, sizeof(*m));
	if (!l || !g || !m) {
		free(l);
		free(g);
		free(m);
		return hull_err_nomem(err);
	}
	*l = (struct loader){.c = c, .diag = diag, .err = err, .record = record};
	c->nvalues = 0;
	/* start-up: the global lines and `Match all` blocks */
	bool active = true;
	unsigned flags = 0;
	l->dst = g;
	walk(l, c->main, &flags, &active, 0);
	if (record)
		check_methods(l, g);
	/* the connection: only matching blocks, into fresh options */
	active = false;
	flags = MATCH_ONLY;
	l->dst = m;
	l->match_pass = true;
	l->who = who;
	walk(l, c->main, &flags, &active, 0);
	l->match_pass = false;
	copy_set(g, m);
	finish(l, g);
	int rc = l->rc;
	opts_release(g);
	opts_release(m);
	free(l);
	free(g);
	free(m);
	return rc < 0 ? -1 : 0;
}

static void load_ids(const struct hull_sshd_source *src, struct hull_sshd *c)
{
	size_t len;
	struct hull_err e = {0};
	if (src->read(src->ctx, "/etc/passwd", &c->passwd, &len, &e) < 0)
		c->passwd = NULL;
	if (src->read(src->ctx, "/etc/group", &c->group, &len, &e) < 0)
		c->group = NULL;
	if (src->read(src->ctx, "/etc/hosts", &c->hosts, &len, &e) < 0)
		c->hosts = NULL;
}

int hull_sshd_load(const struct hull_sshd_source *src, const char *path,
                   const struct hull_sshd_conn *conn, struct hull_sshd **out,
                   struct hull_diag *diag, struct hull_err *err)
{
	*out = NULL;
	struct hull_sshd *c = calloc(1, sizeof(*c));
	struct loader *l = calloc(1, sizeof(*l));
	if (!c || !l) {
		free(c);
		free(l);
		return hull_err_nomem(err);
	}
	*l = (struct loader){.src = src, .c = c, .diag = diag, .err = err, .record = true};
	c->main = load_file(l, path, 0);
	int rc = c->main ? l->rc : -1;
	for (size_t i = 0; i < l->ncache; i++) {
		free(l->cache[i].pattern);
		free(l->cache[i].files);
	}
	free(l);
	if (rc == 0) {
		load_ids(src, c);
		struct who w = {.conn = conn ? conn : &blank};
		rc = evaluate(c, &w, true, diag, err);
	}
	if (rc < 0) {
		hull_sshd_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int hull_sshd_view_conn(struct hull_sshd *c, const struct hull_sshd_conn *conn,
                        struct hull_err *err)
{
	struct who w = {.conn = conn ? conn : &blank};
	return evaluate(c, &w, false, NULL, err);
}

int hull_sshd_view_clients(struct hull_sshd *c, const struct hull_sshd_block *b, const char *user,
                           bool *applies, struct hull_err *err)
{
	*applies = true;
	const struct line *bl = b ? c->block_lines[b - c->blocks] : NULL;
	struct who w = {.block = bl, .user = user};
	if (bl && user) {
		/* the block's own User and Group criteria must hold for user */
		struct loader l = {.c = c};
		for (size_t i = 0; i + 1 < bl->ntok && *applies; i += 2) {
			const char *a = bl->tok[i];
			if (!strcasecmp(a, "user") || !strcasecmp(a, "group")) {
				struct who only = {.block = NULL, .user = user};
				l.who = &only;
				*applies = criterion(&l, a, bl->tok[i + 1], &blank) == 1;
			}
		}
		if (!*applies)
			return hull_sshd_view_conn(c, NULL, err);
	}
	return evaluate(c, &w, false, NULL, err);
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

const struct hull_sshd_refusal *hull_sshd_refusals(const struct hull_sshd *c, size_t *n)
{
	*n = c->nrefusals;
	return c->refusals;
}

const struct hull_sshd_block *hull_sshd_blocks(const struct hull_sshd *c, size_t *n)
{
	*n = c->nblocks;
	return c->blocks;
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
	free(c->blocks);
	free(c->block_lines);
	for (size_t i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
	free(c->strings);
	free(c->passwd);
	free(c->group);
	free(c->hosts);
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
			c->lport = sshd_a2port(p + 6);
			if (c->lport < 0)
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
