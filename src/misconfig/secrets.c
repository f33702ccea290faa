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

bool hull_secret_name(const char *name)
{
	static const char *const words[] = {"PASSWORD",   "PASSWD",     "PASS",      "PWD",
	                                    "SECRET",     "TOKEN",      "APIKEY",    "CREDENTIALS",
	                                    "CREDENTIAL", "PASSPHRASE", "PRIVATEKEY"};
	static const char *const pairs[][2] = {
	    {"API", "KEY"},  {"ACCESS", "KEY"},     {"PRIVATE", "KEY"}, {"SECRET", "KEY"},
	    {"AUTH", "KEY"}, {"ENCRYPTION", "KEY"}, {"SIGNING", "KEY"}, {"MASTER", "KEY"}};
	static const char *const not_secret[] = {
	    "FILE",   "PATH", "DIR",    "NAME",   "URL",     "URI",     "ENDPOINT",
	    "ID",     "TTL",  "EXPIRY", "LENGTH", "HEADER",  "TYPE",    "REF",
	    "POLICY", "MIN",  "MAX",    "LEN",    "COUNT",   "ENABLED", "REQUIRED",
	    "METHOD", "HOST", "PORT",   "USER",   "USERNAME"};
	char tok[MAX_TOKENS][32];
	if (!name)
		return false;
	size_t n = tokens(name, tok);
	if (!n)
		return false;
	for (size_t i = 0; i < sizeof(not_secret) / sizeof(not_secret[0]); i++)
		if (!strcmp(tok[n - 1], not_secret[i]))
			return false;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (!strcmp(tok[i], words[k]))
				return true;
		for (size_t k = 0; i + 1 < n && k < sizeof(pairs) / sizeof(pairs[0]); k++)
			if (!strcmp(tok[i], pairs[k][0]) && !strcmp(tok[i + 1], pairs[k][1]))
				return true;
	}
	return false;
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
