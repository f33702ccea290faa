/* What the sshd configuration files share inside src/host. */
#ifndef HULL_HOST_SSHD_INTERNAL_H
#define HULL_HOST_SSHD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "host/sshd.h"

#define SSHD_MAX_ARGS HULL_SSHD_MAX_ARGS

/* OpenSSH's match_pattern: `*` and `?`, case-sensitive. */
bool sshd_match_pattern(const char *s, const char *pattern);

/* OpenSSH's strdelim: the next token of *s (modified in place), splitting
 * at blanks, a double-quoted string (quotes dropped) and, with
 * split_equals, one '='. NULL at the end, or at a quote never closed. */
char *sshd_strdelim(char **s, bool split_equals);

/* OpenSSH's argv_split (terminating at a '#' word): at most SSHD_MAX_ARGS
 * words into a malloc'ed, NULL-terminated array freed with
 * sshd_free_args. -1 for a quote never closed, -2 out of memory. */
int sshd_split_args(const char *s, char ***argv, size_t *argc);
void sshd_free_args(char **argv, size_t argc);

/* An address with CIDR as OpenSSH's addr_pton_cidr reads it: 0 a network,
 * -1 not one (a wildcard pattern then), -2 a network sshd rejects (mask
 * too long, host bits set). */
struct sshd_net {
	int af;
	unsigned char b[16];
	unsigned masklen;
};
int sshd_net_parse(const char *s, struct sshd_net *n);
/* Whether every address of a is in b. */
bool sshd_net_within(const struct sshd_net *a, const struct sshd_net *b);

enum sshd_algo_kind { ALGO_CIPHER, ALGO_MAC, ALGO_KEX, ALGO_KEY, ALGO__COUNT };

/* OpenSSH 9.2's supported algorithms (ssh -Q) and the server defaults,
 * comma-separated. */
const char *sshd_algo_all(enum sshd_algo_kind k);
const char *sshd_algo_default(enum sshd_algo_kind k);

/* kex_assemble_names: the effective list for a configured value (an
 * explicit list, or +add, -remove, ^prepend against the default). Returns
 * a malloc'ed list, or NULL with *why set when sshd would refuse it. */
char *sshd_algo_assemble(enum sshd_algo_kind k, const char *value, const char **why);

#endif
