/* sshd_keywords: the keyword table of OpenSSH 9.2's sshd (Debian's build)
 * and the readers of its values, shared by the evaluator (sshd.c). Names
 * are lower case; every string here is static. */
#ifndef HULL_HOST_SSHD_KEYWORDS_H
#define HULL_HOST_SSHD_KEYWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "host/sshd_internal.h"

#define SSHD_KW_GLOBAL 1u /* allowed in the global section */
#define SSHD_KW_MATCH  2u /* allowed inside Match too (SSHCFG_ALL) */
#define SSHD_KW_COPIED 4u /* a Match value overrides the global one */
#define SSHD_KW_LEGACY 8u /* a protocol 1 era setting (HULL-H006) */

/* How a computed keyword's value is read and kept. */
enum sshd_kind {
	SK_MULTI,    /* a word from a table, any case (flags too) */
	SK_MULTI_CS, /* a word from a table, exact case (PermitTunnel) */
	SK_INT,      /* non-negative integer */
	SK_TIME,     /* seconds, with s/m/h/d/w units */
	SK_ALGO,     /* algorithm list with +, -, ^ */
	SK_PUE,      /* PermitUserEnvironment: yes, no or a pattern list */
	SK_PORT,
	SK_LISTEN,
	SK_USERS,       /* AllowUsers, DenyUsers: patterns, accumulated */
	SK_GROUPS,      /* AllowGroups, DenyGroups */
	SK_AUTHMETHODS, /* the first line's lists, "any" alone */
	SK_SUBSYSTEM,   /* name and command, names unique */
};

struct sshd_word {
	const char *in, *out; /* accepted spelling, as sshd -T prints it */
};

/* A keyword hull computes, in sshd -T's order. */
struct sshd_kw {
	const char *name;
	enum sshd_kind kind;
	unsigned flags;
	const char *dflt; /* as sshd -T prints it; NULL: none or computed */
	const struct sshd_word *words;
	enum sshd_algo_kind algo;
};
const struct sshd_kw *sshd_computed(size_t *n);

enum sshd_class {
	SSHD_CLASS_COMPUTED,
	SSHD_CLASS_KNOWN,      /* accepted, arguments checked, value not kept */
	SSHD_CLASS_DEPRECATED, /* sshd logs it and goes on */
	SSHD_CLASS_MATCH,
	SSHD_CLASS_INCLUDE,
};

/* What a keyword's arguments must be. */
enum sshd_args {
	SA_ANY,      /* one or more words */
	SA_ONE,      /* exactly one */
	SA_FLAG,     /* yes or no */
	SA_INT,      /* one integer */
	SA_FORWARD,  /* yes, all, no, local, remote */
	SA_ONE_TWO,  /* one or two words */
	SA_COMMAND,  /* an absolute path or none, then anything */
	SA_REST,     /* the rest of the line as written */
	SA_WORDS,    /* one or more non-empty words */
	SA_FACILITY, /* a syslog facility */
	SA_FPHASH,   /* a digest name */
	SA_MAXSTARTUPS,
	SA_IPQOS,        /* one or two DSCP names or numbers */
	SA_REKEY,        /* a size and an optional interval */
	SA_OCTAL,        /* a mode up to 0777 */
	SA_ENVNAME,      /* AcceptEnv: names without '=' */
	SA_ENVSET,       /* SetEnv: NAME=value */
	SA_PKOPTS,       /* PubkeyAuthOptions words */
	SA_TIME_NONE,    /* a time or none */
	SA_INT_NONE,     /* an integer or none */
	SA_NETBLOCK,     /* v4[:v6] mask lengths */
	SA_KEYALGOS,     /* a key algorithm list */
	SA_LOGVERBOSE,   /* words, none alone */
	SA_CHANNEL,      /* type=time clauses, none alone */
	SA_PERMITOPEN,   /* host:port, any, none */
	SA_PERMITLISTEN, /* [host:]port, any, none */
	SA_REFUSED,      /* Debian's sshd refuses the keyword (RDomain) */
};

struct sshd_keyword {
	const char *name;
	enum sshd_class cls;
	unsigned flags; /* SSHD_KW_MATCH, SSHD_KW_LEGACY */
	enum sshd_args args;
};

/* Looks name (lower case) up, aliases resolved: the index in
 * sshd_computed() for a computed keyword, -1 for another known one, -2
 * for a keyword sshd does not know. *out is filled unless -2. */
int sshd_keyword_find(const char *name, struct sshd_keyword *out);

/* The value sshd stores for a single-valued computed keyword's first
 * argument, as sshd -T prints it (malloc'ed), or NULL with *why when sshd
 * would refuse it. */
char *sshd_value_of(const struct sshd_kw *k, const char *arg, const char **why);

/* Why sshd would refuse these arguments of a known (not computed)
 * keyword, or NULL when it accepts them. */
const char *sshd_check_other(const struct sshd_keyword *k, char *const *argv, size_t argc);

/* a2port (numbers and tcp service names; -1 invalid), convtime (-1
 * invalid) and a non-negative integer up to max (-1 invalid). */
int sshd_a2port(const char *s);
long sshd_convtime(const char *s);
long sshd_parse_int(const char *s, long max);

#endif
