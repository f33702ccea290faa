/* What the sshd configuration files share inside src/host. */
#ifndef HULL_HOST_SSHD_INTERNAL_H
#define HULL_HOST_SSHD_INTERNAL_H

#include <stdbool.h>

/* OpenSSH's match_pattern: `*` and `?`, case-sensitive. */
bool sshd_match_pattern(const char *s, const char *pattern);

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
