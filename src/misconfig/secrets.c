/* Secret detection for environment variables, build arguments and
 * ConfigMap data: secret-looking names with literal values, and values that
 * are secrets whatever their name (cloud keys, private keys, tokens,
 * credentials in URLs). References ($VAR, ${VAR}, {{ .Values.x }}) and
 * switches (ALLOW_EMPTY_PASSWORD=yes) are not secrets. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"

#define MAX_TOKENS 16

/* Splits a name into upper-case tokens at non-alphanumerics and at
 * camelCase boundaries ("dbPassword" -> DB PASSWORD). */
static size_t tokens(const char *name, char tok[MAX_TOKENS][32])
{
	size_t n = 0, len = 0;
	for (const char *p = name;; p++) {
		bool boundary =
		    !*p || !isalnum((unsigned char)*p) ||
		    (len && isupper((unsigned char)*p) && islower((unsigned char)p[-1]));
		if (boundary && len) {
			tok[n][len] = 0;
			if (++n == MAX_TOKENS)
				return n;
			len = 0;
		}
		if (!*p)
			return n;
		if (isalnum((unsigned char)*p) && len < 31)
			tok[n][len++] = (char)toupper((unsigned char)*p);
	}
}

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

static bool in(const char *tok, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tok, set[i]))
			return true;
	return false;
}

/* KEY names a secret when something says which key (STRIPE_KEY, tls.key,
 * SSH_KEY_CONTENT), unless that says it is public or not a credential at
 * all (PUBLIC_KEY, SITE_KEY, CACHE_KEY, PARTITION_KEY, LOG_S3_KEY). Only
 * the key's content may follow it; KEY alone is too vague to report. */
static bool key_name(char tok[][32], size_t n)
{
	static const char *const content[] = {"CONTENT", "CONTENTS", "DATA", "PEM",  "B64",
	                                      "BASE64",  "VALUE",    "RAW",  "TEXT", "STRING"};
	static const char *const harmless[] = {
	    "PUBLIC", "PUB",         "PUBLISHABLE", "SITE",          "CACHE",       "PRIMARY",
	    "SORT",   "PARTITION",   "FOREIGN",     "ROUTING",       "RANGE",       "S3",
	    "OBJECT", "LOOKUP",      "INDEX",       "SHARD",         "UNIQUE",      "COMPOSITE",
	    "CURSOR", "IDEMPOTENCY", "DEDUP",       "DEDUPLICATION", "TRANSLATION", "I18N",
	    "MAP",    "GROUP",       "LOCALE",      "SEARCH"};
	size_t k = n;
	while (k > 0 && in(tok[k - 1], content, NWORDS(content)))
		k--;
	return k >= 2 && !strcmp(tok[k - 1], "KEY") && !in(tok[k - 2], harmless, NWORDS(harmless));
}

/* Names are split into tokens; a name is secret-looking when a token is a
 * credential word (PASSWORD, TOKEN, SECRET, BEARER ...), when it names a
 * key (key_name), or when it is an access key id (Trivy's KSV-0109 counts
 * aws_access_key_id; other *_KEY_ID are public identifiers). A last token
 * that says the value is about the secret but not the secret (a FILE,
 * PATH, NAME, URL, TTL, LENGTH ...) makes it harmless: KEY_FILE,
 * TOKEN_URL, PASSWORD_MIN_LENGTH. */
bool hull_secret_name(const char *name)
{
	static const char *const words[] = {
	    "PASSWORD",  "PASSWD",     "PASSWRD",    "PSWRD",   "PWORD",       "PASS",
	    "PWD",       "SECRET",     "SECRETS",    "TOKEN",   "APIKEY",      "APITOKEN",
	    "SECRETKEY", "ACCESSKEY",  "PRIVATEKEY", "AUTHKEY", "CREDENTIALS", "CREDENTIAL",
	    "CREDS",     "PASSPHRASE", "BEARER"};
	static const char *const not_secret[] = {
	    "FILE",     "FILENAME", "PATH",     "DIR",    "DIRECTORY", "LOCATION",  "NAME",
	    "URL",      "URI",      "ENDPOINT", "ID",     "TTL",       "EXPIRY",    "EXPIRATION",
	    "LIFETIME", "TIMEOUT",  "LENGTH",   "HEADER", "TYPE",      "REF",       "POLICY",
	    "MIN",      "MAX",      "LEN",      "SIZE",   "BITS",      "ALGORITHM", "ALG",
	    "FORMAT",   "VERSION",  "PREFIX",   "SUFFIX", "COUNT",     "ENABLED",   "REQUIRED",
	    "METHOD",   "HOST",     "PORT",     "USER",   "USERNAME"};
	char tok[MAX_TOKENS][32];
	if (!name)
		return false;
	size_t n = tokens(name, tok);
	if (!n)
		return false;
	if (n >= 3 && !strcmp(tok[n - 3], "ACCESS") && !strcmp(tok[n - 2], "KEY") &&
	    !strcmp(tok[n - 1], "ID"))
		return true;
	if (in(tok[n - 1], not_secret, NWORDS(not_secret)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (in(tok[i], words, NWORDS(words)))
			return true;
	return key_name(tok, n);
}

static bool is_switch(const char *v)
{
	static const char *const words[] = {"yes",     "no",       "true", "false", "on",
	                                    "off",     "0",        "1",    "y",     "n",
	                                    "enabled", "disabled", "none", "null"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(v, words[i]))
			return true;
	return false;
}

bool hull_secret_literal(const char *v)
{
	if (!v)
		return false;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!*v || is_switch(v))
		return false;
	/* references and templates are filled in elsewhere */
	if (*v == '$' || !strncmp(v, "{{", 2) || !strncmp(v, "<%", 2))
		return false;
	/* files holding the secret */
	if (*v == '/' && !strchr(v, ' '))
		return false;
	return true;
}

static bool run_of(const char *p, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!p[i] || !strchr(set, p[i]))
			return false;
	return true;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM        UPPER_DIGITS "abcdefghijklmnopqrstuvwxyz"

/* header.payload.signature, the first two base64url JSON ("eyJ" is "{"") */
static bool jwt(const char *p)
{
	size_t seg = 0, len = 0;
	for (; *p && (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.'); p++) {
		if (*p != '.') {
			len++;
			continue;
		}
		if (len < 10)
			return false;
		seg++;
		len = 0;
		if (seg == 1 && strncmp(p + 1, "eyJ", 3))
			return false;
	}
	return seg == 2 && len > 0;
}

const char *hull_secret_value(const char *v)
{
	if (!v)
		return NULL;
	for (const char *p = v; *p; p++) {
		if ((!strncmp(p, "AKIA", 4) || !strncmp(p, "ASIA", 4)) &&
		    run_of(p + 4, 16, UPPER_DIGITS))
			return "an AWS access key";
		if (!strncmp(p, "-----BEGIN ", 11) && strstr(p, "PRIVATE KEY"))
			return "a private key";
		if (p[0] == 'g' && p[1] == 'h' && p[2] && strchr("pousr", p[2]) && p[3] == '_' &&
		    run_of(p + 4, 36, ALNUM))
			return "a GitHub token";
		if (!strncmp(p, "glpat-", 6) && run_of(p + 6, 20, ALNUM "-_"))
			return "a GitLab token";
		if (!strncmp(p, "xox", 3) && p[3] && strchr("abprs", p[3]) && p[4] == '-')
			return "a Slack token";
		if (!strncmp(p, "sk_live_", 8) && run_of(p + 8, 16, ALNUM))
			return "a Stripe secret key";
		if (!strncmp(p, "AIza", 4) && run_of(p + 4, 35, ALNUM "-_"))
			return "a Google API key";
		if (!strncmp(p, "npm_", 4) && run_of(p + 4, 36, ALNUM))
			return "an npm token";
		if (!strncmp(p, "eyJ", 3) && jwt(p))
			return "a JSON Web Token";
		if (!strncasecmp(p, "Bearer ", 7) && run_of(p + 7, 20, ALNUM "-._~+/"))
			return "a bearer token";
		if (!strncmp(p, "://", 3)) {
			/* scheme://user:password@host */
			const char *at = strchr(p + 3, '@');
			const char *colon = strchr(p + 3, ':');
			const char *slash = strchr(p + 3, '/');
			if (at && colon && colon < at && (!slash || at < slash) &&
			    colon[1] != '@' && colon[1] != '$')
				return "a password in a URL";
		}
	}
	return NULL;
}
