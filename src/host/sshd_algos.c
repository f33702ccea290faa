/* OpenSSH 9.2's algorithm tables and how sshd assembles a configured list
 * (servconf.c assemble_algorithms / kex.c kex_assemble_names). The tables
 * are those of Debian 12's openssh-server (`ssh -Q cipher|mac|kex|key`,
 * `sshd -T` with an empty configuration). */
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"
#include "host/sshd_internal.h"

static const char *const all_lists[ALGO__COUNT] = {
    [ALGO_CIPHER] = "3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr,"
                    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com",
    [ALGO_MAC] = "hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96,"
                 "umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,"
                 "hmac-sha1-96-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
                 "hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com,"
                 "hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com",
    [ALGO_KEX] = "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,"
                 "diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
                 "diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,"
                 "diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
                 "ecdh-sha2-nistp521,curve25519-sha256,curve25519-sha256@libssh.org,"
                 "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com",
    [ALGO_KEY] = "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,"
                 "sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,"
                 "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,"
                 "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,"
                 "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
                 "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
                 "webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,"
                 "ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,"
                 "rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com",
};

static const char *const default_lists[ALGO__COUNT] = {
    [ALGO_CIPHER] = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
                    "aes128-gcm@openssh.com,aes256-gcm@openssh.com",
    [ALGO_MAC] = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
                 "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
                 "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    [ALGO_KEX] = "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
                 "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
                 "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
                 "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
                 "diffie-hellman-group14-sha256",
    [ALGO_KEY] = "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
                 "ecdsa-sha2-nistp384-cert-v01@openssh.com,"
                 "ecdsa-sha2-nistp521-cert-v01@openssh.com,"
                 "sk-ssh-ed25519-cert-v01@openssh.com,"
                 "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
                 "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,"
                 "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
                 "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,"
                 "rsa-sha2-256",
};

const char *sshd_algo_all(enum sshd_algo_kind k)
{
	return all_lists[k];
}

const char *sshd_algo_default(enum sshd_algo_kind k)
{
	return default_lists[k];
}

/* Is name (of length n) an item of the comma list? */
static bool in_list(const char *list, const char *name, size_t n)
{
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !memcmp(p, name, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* Appends the items of add not yet in *list (kex_names_cat). */
static bool cat(char **list, const char *add, size_t addlen)
{
	size_t have = *list ? strlen(*list) : 0;
	char *out = realloc(*list, have + addlen + 2);
	if (!out)
		return false;
	if (!*list)
		out[0] = '\0';
	*list = out;
	for (const char *p = add, *end = add + addlen; p < end;) {
		const char *e = memchr(p, ',', (size_t)(end - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
		if (len && !in_list(*list, p, len)) {
			size_t cur = strlen(*list);
			if (cur)
				(*list)[cur++] = ',';
			memcpy(*list + cur, p, len);
			(*list)[cur + len] = '\0';
		}
		p = e ? e + 1 : end;
	}
	return true;
}

/* The items of `from` whose match against the pattern list is `want`
 * (1: allowlist; for the denylist, keep the ones that are not 1). */
static char *filter(const char *from, const char *patterns, bool deny)
{
	char *out = NULL;
	if (!cat(&out, "", 0))
		return NULL;
	for (const char *p = from; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char name[128];
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			int r = hull_sshd_match_list(name, patterns, false);
			if ((deny && r != 1) || (!deny && r == 1)) {
				if (!cat(&out, name, len)) {
					free(out);
					return NULL;
				}
			}
		}
		p = e ? e + 1 : NULL;
	}
	return out;
}

/* sshd's validity check of a configured list: ciphers, MACs and KEX must
 * be exact names; key types may be wildcards matching a known type. */
static bool names_valid(enum sshd_algo_kind k, const char *list)
{
	if (!*list)
		return false;
	for (const char *p = list; p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char name[256];
		if (!len || len >= sizeof(name))
			return false;
		memcpy(name, p, len);
		name[len] = '\0';
		if (!in_list(all_lists[k], name, len)) {
			if (k != ALGO_KEY)
				return false;
			char *m = filter(all_lists[k], name, false);
			bool any = m && *m;
			free(m);
			if (!any)
				return false;
		}
		p = e ? e + 1 : NULL;
	}
	return true;
}

char *sshd_algo_assemble(enum sshd_algo_kind k, const char *value, const char **why)
{
	const char *def = default_lists[k], *all = all_lists[k];
	*why = NULL;
	if (*value != '-' && !names_valid(k, *value == '+' || *value == '^' ? value + 1 : value)) {
		*why = "unknown or empty algorithm name";
		return NULL;
	}
	if (*value == '-')
		return filter(def, value + 1, true);
	char *list = NULL;
	bool ok = true;
	if (*value == '+')
		ok = cat(&list, def, strlen(def)) && cat(&list, value + 1, strlen(value + 1));
	else if (*value == '^')
		ok = cat(&list, value + 1, strlen(value + 1)) && cat(&list, def, strlen(def));
	else
		ok = cat(&list, value, strlen(value));
	char *ret = NULL;
	if (ok && !cat(&ret, "", 0))
		ok = false;
	/* each (possibly wildcard) item, in order, expands to the matching
	 * supported names in the table's order */
	for (const char *p = list; ok && p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char pat[256];
		if (len >= sizeof(pat) || p[0] == '!') {
			*why = "negated or overlong algorithm pattern";
			ok = false;
			break;
		}
		memcpy(pat, p, len);
		pat[len] = '\0';
		char *m = filter(all, pat, false);
		ok = m && cat(&ret, m, strlen(m));
		free(m);
		p = e ? e + 1 : NULL;
	}
	free(list);
	if (ok && (!ret || !*ret)) {
		*why = "the list is empty";
		ok = false;
	}
	if (!ok) {
		free(ret);
		return NULL;
	}
	return ret;
}
