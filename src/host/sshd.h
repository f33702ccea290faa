/* sshd: the effective OpenSSH server configuration, computed the way sshd
 * computes it, with the file and line that set every value.
 *
 * Semantics follow OpenSSH 9.2 (Debian 12) servconf.c: compiled-in
 * defaults; for each keyword the first value obtained wins; Port,
 * ListenAddress, AllowUsers and friends accumulate; `Include` takes glob
 * patterns (relative ones are under /etc/ssh), files in glob(3) order,
 * nested at most 16 deep; `Match` blocks are evaluated twice as sshd does:
 * a start-up pass where only `Match all` applies, then, for a connection,
 * a pass over the matching blocks whose values override the global ones
 * for the keywords sshd copies from Match blocks. The view sshd -T prints
 * without -C is that of a connection no criterion matches: `Match all`
 * values are the effective ones. Algorithm lists accept the +, - and ^
 * forms against OpenSSH 9.2's algorithm tables. Values are printed as
 * `sshd -T` prints them.
 *
 * A configuration sshd refuses to start with (an unknown keyword, a bad
 * value, a global-only keyword inside Match, a second Subsystem of a name,
 * AuthenticationMethods no enabled method can satisfy ...) loads anyway,
 * with the offending lines skipped, and lists its refusals: callers must
 * not judge it as if sshd ran it.
 *
 * Views: one configuration gives several sets of values (the start-up
 * view, a connection's, the clients of one Match block). hull_sshd_get and
 * hull_sshd_values return those of the view computed last; computing
 * another view invalidates the pointers they returned (strings stay valid
 * until hull_sshd_free).
 *
 * Limits: HULL_SSHD_MAX_FILE bytes per file, HULL_SSHD_MAX_FILES files,
 * HULL_SSHD_MAX_ARGS words per line, include depth 16, 64 refusals kept.
 * Nothing here reads the file system: files come through a struct
 * hull_sshd_source. */
#ifndef HULL_HOST_SSHD_H
#define HULL_HOST_SSHD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"

#define HULL_SSHD_MAX_FILE  (1u << 20)
#define HULL_SSHD_MAX_FILES 256
#define HULL_SSHD_MAX_ARGS  256

/* Where configuration files come from. read gets a malloc'ed buffer the
 * caller frees, or fails with HULL_ERR_NOTFOUND / HULL_ERR_IO; glob gives
 * the sorted matching paths (an array of malloc'ed strings, both freed by
 * the caller; none is not an error). */
struct hull_sshd_source {
	int (*read)(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err);
	int (*glob)(void *ctx, const char *pattern, char ***paths, size_t *n, struct hull_err *err);
	void *ctx;
};

/* A connection to evaluate Match blocks for (sshd -C). Strings borrowed;
 * NULL fields are missing (a criterion on them does not match). */
struct hull_sshd_conn {
	const char *user, *host, *addr, *laddr, *rdomain;
	int lport; /* 0: not given */
};

/* Parses "user=alice,host=h,addr=1.2.3.4[,laddr=..][,lport=..][,rdomain=..]"
 * (sshd -C syntax). spec is modified in place (commas become NULs) and the
 * fields point into it. */
int hull_sshd_conn_parse(char *spec, struct hull_sshd_conn *c, struct hull_err *err);

struct hull_sshd;

/* Loads path (as sshd would, with its includes) from src, and /etc/passwd
 * and /etc/group for Match Group. conn NULL: the view of sshd -T without
 * -C (global values, then `Match all` blocks); else conn's (sshd -T -C).
 * *out is freed with hull_sshd_free. Fails only when path cannot be read
 * or memory runs out: what sshd would refuse is in hull_sshd_refusals. */
int hull_sshd_load(const struct hull_sshd_source *src, const char *path,
                   const struct hull_sshd_conn *conn, struct hull_sshd **out,
                   struct hull_diag *diag, struct hull_err *err);

/* One effective value: for keywords that keep several (port,
 * listenaddress), one per entry. file NULL and line 0: OpenSSH's default.
 * Strings live as long as the configuration. */
struct hull_sshd_value {
	const char *keyword; /* lower case, as sshd -T prints it */
	const char *value;
	const char *file;
	unsigned line;
};

/* The first value of keyword (sshd -T's name, lower case), or NULL when
 * hull does not compute that keyword. */
const struct hull_sshd_value *hull_sshd_get(const struct hull_sshd *c, const char *keyword);
/* Every value, in sshd -T's order; *n gets the count. */
const struct hull_sshd_value *hull_sshd_values(const struct hull_sshd *c, size_t *n);

/* A setting sshd ignores today but that shows an old protocol
 * configuration (Protocol, RSAAuthentication, ServerKeyBits ...). */
struct hull_sshd_legacy {
	const char *keyword; /* as written */
	const char *value;
	const char *file;
	unsigned line;
};
const struct hull_sshd_legacy *hull_sshd_legacy(const struct hull_sshd *c, size_t *n);

/* Why sshd would not start with this configuration: every offending line,
 * in the order sshd meets them, then the checks sshd makes after reading
 * (AuthenticationMethods, at the line that set it). n 0: sshd accepts it.
 * msg is sshd's message (its first fatal is the first entry). */
struct hull_sshd_refusal {
	const char *file;
	unsigned line;
	const char *msg;
};
const struct hull_sshd_refusal *hull_sshd_refusals(const struct hull_sshd *c, size_t *n);

/* The Match blocks, in the order sshd reads them (a file included twice
 * gives its blocks once). */
struct hull_sshd_block {
	const char *file;
	unsigned line;
	const char *criteria; /* after "Match", as written */
	bool all;             /* Match all */
	bool by_user;         /* has User or Group criteria (other than *) */
};
const struct hull_sshd_block *hull_sshd_blocks(const struct hull_sshd *c, size_t *n);

/* Recomputes the values for a connection (conn NULL: as hull_sshd_load
 * with conn NULL). Errors: out of memory. */
int hull_sshd_view_conn(struct hull_sshd *c, const struct hull_sshd_conn *conn,
                        struct hull_err *err);

/* Recomputes the values for the clients of block b (an element of
 * hull_sshd_blocks), or, b NULL, for clients no block but `Match all` and
 * user's applies to. user non-NULL: the clients log in as user (User and
 * Group criteria are decided for it); NULL: any user. Every other block
 * applies only when its criteria hold for all of b's clients (`Match all`,
 * the same criteria, an address range containing b's): the values are
 * those of b's clients that no narrower block catches. *applies is false
 * (and the values are the start-up view's) when b's own criteria exclude
 * user. Errors: out of memory. */
int hull_sshd_view_clients(struct hull_sshd *c, const struct hull_sshd_block *b, const char *user,
                           bool *applies, struct hull_err *err);

/* Whether user belongs to a group matching pattern (an OpenSSH pattern
 * list when list, else one pattern, as AllowGroups compares), from the
 * configuration root's /etc/passwd and /etc/group: 1 yes, 0 no, -1 the
 * user or the files are unknown. */
int hull_sshd_user_group(const struct hull_sshd *c, const char *user, const char *pattern,
                         bool list);

/* The values as `sshd -T` lines ("keyword value\n"), for the keywords hull
 * computes, appended to out. */
int hull_sshd_dump(const struct hull_sshd *c, struct hull_buf *out, struct hull_err *err);

/* The files read (the main one first), for reports. */
const char *const *hull_sshd_files(const struct hull_sshd *c, size_t *n);

void hull_sshd_free(struct hull_sshd *c);

/* Matching helpers, exported for tests: OpenSSH's pattern lists ("a*,!b",
 * 1 match, 0 none, -1 a negated match) and address lists with CIDR
 * (same, -2 for an invalid list). */
int hull_sshd_match_list(const char *s, const char *list, bool nocase);
int hull_sshd_addr_match_list(const char *addr, const char *list);

#endif
