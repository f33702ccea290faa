/* sshd_auth: how a client can authenticate to sshd under one view of its
 * configuration (hull_sshd_get's values), the single model every SSH
 * authentication rule reads.
 *
 * Methods are those of OpenSSH 9.2's auth2.c: none, publickey, password,
 * keyboard-interactive, hostbased, gssapi-with-mic. A method is usable
 * when its keyword enables it; keyboard-interactive asks for a password
 * through PAM only (UsePAM yes: Linux has no other device), and "none"
 * logs in only accounts with an empty password (PermitEmptyPasswords and
 * PasswordAuthentication both yes). AuthenticationMethods lists restrict
 * which combinations log a user in; a list with a disabled method is
 * dropped as sshd drops it. Root: PermitRootLogin yes allows every method,
 * prohibit-password only publickey, hostbased and GSSAPI,
 * forced-commands-only a key with a forced command (not counted: the key
 * can only run that command), no none; AllowUsers, DenyUsers, AllowGroups
 * and DenyGroups that exclude root everywhere close root's logins. */
#ifndef HULL_HOST_SSHD_AUTH_H
#define HULL_HOST_SSHD_AUTH_H

#include <stdbool.h>

#include "host/sshd.h"

enum sshd_root_login {
	SSHD_ROOT_NONE,
	SSHD_ROOT_KEY,      /* with a key, host-based or GSSAPI authentication */
	SSHD_ROOT_PASSWORD, /* with a password alone */
};

struct sshd_auth {
	bool password; /* some account logs in with a password alone */
	bool empty;    /* an account with an empty password logs in */
	enum sshd_root_login root;
	/* the value each verdict points at, and how it comes about */
	const struct hull_sshd_value *password_at, *empty_at, *root_at;
	char password_how[320], root_how[400];
};

/* Fills a from c's current view. Pointers into c's values: valid until
 * another view is computed. */
void sshd_auth_eval(const struct hull_sshd *c, struct sshd_auth *a);

#endif
