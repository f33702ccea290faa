/* Every keyword OpenSSH 9.2's sshd (Debian's build) accepts, where it may
 * appear, and how its value is read: the ones hull computes (in sshd -T's
 * order, with their defaults) and the others, whose arguments are still
 * checked as sshd checks them so that a line sshd refuses is refused here. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/sshd_keywords.h"

static const struct sshd_word w_root[] = {{"without-password", "without-password"},
                                          {"prohibit-password", "without-password"},
                                          {"forced-commands-only", "forced-commands-only"},
                                          {"yes", "yes"},
                                          {"no", "no"},
                                          {0}};
static const struct sshd_word w_rhosts[] = {
    {"yes", "yes"}, {"no", "no"}, {"shosts-only", "shosts-only"}, {0}};
static const struct sshd_word w_af[] = {{"inet", "inet"}, {"inet6", "inet6"}, {"any", "any"}, {0}};
static const struct sshd_word w_comp[] = {{"yes", "yes"}, {"delayed", "yes"}, {"no", "no"}, {0}};
static const struct sshd_word w_gw[] = {
    {"clientspecified", "clientspecified"}, {"yes", "yes"}, {"no", "no"}, {0}};
static const struct sshd_word w_fwd[] = {{"yes", "yes"},       {"all", "yes"},     {"no", "no"},
                                         {"remote", "remote"}, {"local", "local"}, {0}};
/* PermitTunnel compares case-sensitively (strcmp), unlike the others */
static const struct sshd_word w_tun[] = {{"no", "no"},
                                         {"point-to-point", "point-to-point"},
                                         {"ethernet", "ethernet"},
                                         {"yes", "yes"},
                                         {0}};
/* Debian's sshd accepts SILENT and QUIET for the same level and prints
 * SILENT; DEBUG and DEBUG1 are one level printed DEBUG */
static const struct sshd_word w_log[] = {{"QUIET", "SILENT"},
                                         {"SILENT", "SILENT"},
                                         {"FATAL", "FATAL"},
                                         {"ERROR", "ERROR"},
                                         {"INFO", "INFO"},
                                         {"VERBOSE", "VERBOSE"},
                                         {"DEBUG", "DEBUG"},
                                         {"DEBUG1", "DEBUG"},
                                         {"DEBUG2", "DEBUG2"},
                                         {"DEBUG3", "DEBUG3"},
                                         {0}};
static const struct sshd_word w_flag[] = {{"yes", "yes"}, {"no", "no"}, {0}};

#define GM (SSHD_KW_GLOBAL | SSHD_KW_MATCH | SSHD_KW_COPIED)
#define G  SSHD_KW_GLOBAL

static const struct sshd_kw computed[] = {
    {"port", SK_PORT, G, "22", NULL, 0},
    {"addressfamily", SK_MULTI, G, "any", w_af, 0},
    {"listenaddress", SK_LISTEN, G, NULL, NULL, 0},
    {"usepam", SK_MULTI, G, "no", w_flag, 0},
    {"logingracetime", SK_TIME, G, "120", NULL, 0},
    {"maxauthtries", SK_INT, GM, "6", NULL, 0},
    {"maxsessions", SK_INT, GM, "10", NULL, 0},
    {"clientaliveinterval", SK_TIME, GM, "0", NULL, 0},
    {"clientalivecountmax", SK_INT, GM, "3", NULL, 0},
    {"permitrootlogin", SK_MULTI, GM, "without-password", w_root, 0},
    {"ignorerhosts", SK_MULTI, GM, "yes", w_rhosts, 0},
    {"hostbasedauthentication", SK_MULTI, GM, "no", w_flag, 0},
    {"pubkeyauthentication", SK_MULTI, GM, "yes", w_flag, 0},
    {"kerberosauthentication", SK_MULTI, GM, "no", w_flag, 0},
    {"gssapiauthentication", SK_MULTI, GM, "no", w_flag, 0},
    {"passwordauthentication", SK_MULTI, GM, "yes", w_flag, 0},
    {"kbdinteractiveauthentication", SK_MULTI, GM, "yes", w_flag, 0},
    {"printlastlog", SK_MULTI, G, "yes", w_flag, 0},
    {"x11forwarding", SK_MULTI, GM, "no", w_flag, 0},
    {"strictmodes", SK_MULTI, G, "yes", w_flag, 0},
    {"tcpkeepalive", SK_MULTI, G, "yes", w_flag, 0},
    {"permitemptypasswords", SK_MULTI, GM, "no", w_flag, 0},
    {"compression", SK_MULTI, G, "yes", w_comp, 0},
    {"gatewayports", SK_MULTI, GM, "no", w_gw, 0},
    {"usedns", SK_MULTI, G, "no", w_flag, 0},
    {"allowtcpforwarding", SK_MULTI, GM, "yes", w_fwd, 0},
    {"allowagentforwarding", SK_MULTI, GM, "yes", w_flag, 0},
    {"disableforwarding", SK_MULTI, GM, "no", w_flag, 0},
    {"ciphers", SK_ALGO, G, NULL, NULL, ALGO_CIPHER},
    {"macs", SK_ALGO, G, NULL, NULL, ALGO_MAC},
    {"kexalgorithms", SK_ALGO, G, NULL, NULL, ALGO_KEX},
    {"hostkeyalgorithms", SK_ALGO, G, NULL, NULL, ALGO_KEY},
    {"pubkeyacceptedalgorithms", SK_ALGO, GM, NULL, NULL, ALGO_KEY},
    {"loglevel", SK_MULTI, GM, "INFO", w_log, 0},
    {"allowusers", SK_USERS, GM, NULL, NULL, 0},
    {"denyusers", SK_USERS, GM, NULL, NULL, 0},
    {"allowgroups", SK_GROUPS, GM, NULL, NULL, 0},
    {"denygroups", SK_GROUPS, GM, NULL, NULL, 0},
    {"authenticationmethods", SK_AUTHMETHODS, GM, "any", NULL, 0},
    {"subsystem", SK_SUBSYSTEM, G, NULL, NULL, 0},
    {"permittunnel", SK_MULTI_CS, GM, "no", w_tun, 0},
    {"permituserenvironment", SK_PUE, G, "no", NULL, 0},
};
#define NCOMPUTED (sizeof(computed) / sizeof(computed[0]))

/* Other names for computed keywords; where they may appear is the alias's
 * own (dsaauthentication sets PubkeyAuthentication, globally only). */
static const struct {
	const char *name, *to;
	unsigned flags;
} aliases[] = {
    {"challengeresponseauthentication", "kbdinteractiveauthentication", SSHD_KW_MATCH},
    {"skeyauthentication", "kbdinteractiveauthentication", SSHD_KW_MATCH},
    {"pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms", SSHD_KW_MATCH},
    {"keepalive", "tcpkeepalive", 0},
    {"dsaauthentication", "pubkeyauthentication", 0},
};

#define M  SSHD_KW_MATCH
#define L  SSHD_KW_LEGACY
#define KN SSHD_CLASS_KNOWN
#define DP SSHD_CLASS_DEPRECATED

/* The keywords hull does not compute. */
static const struct sshd_keyword others[] = {
    {"acceptenv", KN, M, SA_ENVNAME},
    {"afstokenpassing", DP, 0, SA_ANY},
    {"allowstreamlocalforwarding", KN, M, SA_FORWARD},
    {"authorizedkeyscommand", KN, M, SA_COMMAND},
    {"authorizedkeyscommanduser", KN, M, SA_ONE},
    {"authorizedkeysfile", KN, M, SA_WORDS},
    {"authorizedkeysfile2", DP, M, SA_ANY},
    {"authorizedprincipalscommand", KN, M, SA_COMMAND},
    {"authorizedprincipalscommanduser", KN, M, SA_ONE},
    {"authorizedprincipalsfile", KN, M, SA_ONE},
    {"banner", KN, M, SA_ONE},
    {"casignaturealgorithms", KN, M, SA_KEYALGOS},
    {"channeltimeout", KN, M, SA_CHANNEL},
    {"checkmail", DP, 0, SA_ANY},
    {"chrootdirectory", KN, M, SA_ONE},
    {"debianbanner", KN, 0, SA_FLAG},
    {"exposeauthinfo", KN, M, SA_FLAG},
    {"fingerprinthash", KN, 0, SA_FPHASH},
    {"forcecommand", KN, M, SA_REST},
    {"gssapicleanupcredentials", KN, 0, SA_FLAG},
    {"gssapikeyexchange", KN, 0, SA_FLAG},
    {"gssapikexalgorithms", KN, 0, SA_ONE},
    {"gssapistorecredentialsonrekey", KN, 0, SA_FLAG},
    {"gssapistrictacceptorcheck", KN, 0, SA_FLAG},
    {"hostbasedacceptedalgorithms", KN, M, SA_KEYALGOS},
    {"hostbasedacceptedkeytypes", KN, M, SA_KEYALGOS},
    {"hostbasedusesnamefrompacketonly", KN, M, SA_FLAG},
    {"hostcertificate", KN, 0, SA_ONE},
    {"hostdsakey", KN, 0, SA_ONE},
    {"hostkey", KN, 0, SA_ONE},
    {"hostkeyagent", KN, 0, SA_ONE},
    {"ignoreuserknownhosts", KN, 0, SA_FLAG},
    {"ipqos", KN, M, SA_IPQOS},
    {"kerberosgetafstoken", DP, 0, SA_ANY},
    {"kerberosorlocalpasswd", KN, 0, SA_FLAG},
    {"kerberostgtpassing", DP, 0, SA_ANY},
    {"kerberosticketcleanup", KN, 0, SA_FLAG},
    {"keyregenerationinterval", DP, L, SA_ANY},
    {"logverbose", KN, M, SA_LOGVERBOSE},
    {"maxstartups", KN, 0, SA_MAXSTARTUPS},
    {"modulifile", KN, 0, SA_ONE},
    {"pamauthenticationviakbdint", DP, L, SA_ANY},
    {"permitlisten", KN, M, SA_PERMITLISTEN},
    {"permitopen", KN, M, SA_PERMITOPEN},
    {"permittty", KN, M, SA_FLAG},
    {"permituserrc", KN, M, SA_FLAG},
    {"persourcemaxstartups", KN, 0, SA_INT_NONE},
    {"persourcenetblocksize", KN, 0, SA_NETBLOCK},
    {"pidfile", KN, 0, SA_ONE},
    {"printmotd", KN, 0, SA_FLAG},
    {"protocol", DP, L, SA_ANY},
    {"pubkeyauthoptions", KN, M, SA_PKOPTS},
    {"rdomain", KN, M, SA_REFUSED},
    {"rekeylimit", KN, M, SA_REKEY},
    {"requiredrsasize", KN, M, SA_INT},
    {"reversemappingcheck", DP, 0, SA_ANY},
    {"revokedkeys", KN, M, SA_ONE},
    {"rhostsauthentication", DP, L, SA_ANY},
    {"rhostsrsaauthentication", DP, M | L, SA_ANY},
    {"rsaauthentication", DP, M | L, SA_ANY},
    {"securitykeyprovider", KN, 0, SA_ONE},
    {"serverkeybits", DP, L, SA_ANY},
    {"setenv", KN, M, SA_ENVSET},
    {"streamlocalbindmask", KN, M, SA_OCTAL},
    {"streamlocalbindunlink", KN, M, SA_FLAG},
    {"syslogfacility", KN, 0, SA_FACILITY},
    {"trustedusercakeys", KN, M, SA_ONE},
    {"unusedconnectiontimeout", KN, M, SA_TIME_NONE},
    {"uselogin", DP, L, SA_ANY},
    {"useprivilegeseparation", DP, L, SA_ANY},
    {"verifyreversemapping", DP, 0, SA_ANY},
    {"versionaddendum", KN, 0, SA_REST},
    {"x11displayoffset", KN, M, SA_INT},
    {"x11uselocalhost", KN, M, SA_FLAG},
    {"xauthlocation", KN, 0, SA_ONE},
    {"match", SSHD_CLASS_MATCH, M, SA_REST},
    {"include", SSHD_CLASS_INCLUDE, M, SA_ANY},
};

const struct sshd_kw *sshd_computed(size_t *n)
{
	*n = NCOMPUTED;
	return computed;
}

int sshd_keyword_find(const char *name, struct sshd_keyword *out)
{
	unsigned flags = ~0u;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcmp(name, aliases[i].name)) {
			flags = aliases[i].flags;
			name = aliases[i].to;
		}
	}
	for (size_t i = 0; i < NCOMPUTED; i++) {
		if (!strcmp(name, computed[i].name)) {
			unsigned f = flags == ~0u ? computed[i].flags : flags;
			*out = (struct sshd_keyword){computed[i].name, SSHD_CLASS_COMPUTED,
			                             f & SSHD_KW_MATCH, SA_ANY};
			return (int)i;
		}
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		if (!strcmp(name, others[i].name)) {
			*out = others[i];
			return -1;
		}
	}
	return -2;
}

long sshd_parse_int(const char *s, long max)
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

int sshd_a2port(const char *s)
{
	long v = sshd_parse_int(s, 65535);
	if (v >= 0)
		return (int)v;
	/* a service name, as sshd's getservbyname */
	struct servent *se = getservbyname(s, "tcp");
	return se ? ntohs((unsigned short)se->s_port) : -1;
}

/* convtime of OpenSSH's misc.c: "1h30m", "90", "2w" */
long sshd_convtime(const char *s)
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

static const char *word(const struct sshd_word *w, const char *in, bool nocase)
{
	for (; w->in; w++)
		if (nocase ? !strcasecmp(w->in, in) : !strcmp(w->in, in))
			return w->out;
	return NULL;
}

char *sshd_value_of(const struct sshd_kw *k, const char *arg, const char **why)
{
	char buf[32];
	*why = "missing argument";
	if (!arg || !*arg)
		return NULL;
	*why = "unsupported value";
	switch (k->kind) {
	case SK_MULTI:
	case SK_MULTI_CS: {
		const char *w = word(k->words, arg, k->kind == SK_MULTI);
		return w ? strdup(w) : NULL;
	}
	case SK_INT: {
		long v = sshd_parse_int(arg, INT_MAX);
		if (v < 0)
			return NULL;
		snprintf(buf, sizeof(buf), "%ld", v);
		return strdup(buf);
	}
	case SK_TIME: {
		long v = sshd_convtime(arg);
		if (v < 0)
			return NULL;
		snprintf(buf, sizeof(buf), "%ld", v);
		return strdup(buf);
	}
	case SK_ALGO:
		return sshd_algo_assemble(k->algo, arg, why);
	case SK_PUE:
		/* yes, no, or a pattern list of the variables allowed (as written) */
		return strdup(arg);
	default:
		return NULL;
	}
}

/* ---- the other keywords' arguments, as servconf.c checks them ---------- */

static bool in_list(const char *const *names, const char *s)
{
	for (; *names; names++)
		if (!strcasecmp(*names, s))
			return true;
	return false;
}

static const char *facility(const char *arg)
{
	static const char *const names[] = {"DAEMON", "USER",   "AUTH",   "AUTHPRIV", "LOCAL0",
	                                    "LOCAL1", "LOCAL2", "LOCAL3", "LOCAL4",   "LOCAL5",
	                                    "LOCAL6", "LOCAL7", NULL};
	return in_list(names, arg) ? NULL : "unsupported log facility";
}

static const char *fphash(const char *arg)
{
	static const char *const names[] = {"MD5", "SHA1", "SHA256", "SHA384", "SHA512", NULL};
	return in_list(names, arg) ? NULL : "Invalid FingerprintHash algorithm";
}

/* begin[:rate:full], read with sscanf as sshd does (trailing text is
 * ignored there too) */
static const char *maxstartups(const char *arg)
{
	int begin = -1, rate = -1, full = -1;
	int n = sscanf(arg, "%d:%d:%d", &begin, &rate, &full);
	if (n == 3 && (begin > full || rate > 100 || rate < 1))
		return "Invalid MaxStartups spec.";
	if (n != 3 && n != 1)
		return "Invalid MaxStartups spec.";
	if (n == 1)
		full = begin;
	return full <= 0 || begin <= 0 ? "Invalid MaxStartups spec." : NULL;
}

static bool ipqos_ok(const char *arg)
{
	static const char *const names[] = {
	    "none", "af11", "af12", "af13", "af21", "af22",     "af23",       "af31",        "af32",
	    "af33", "af41", "af42", "af43", "cs0",  "cs1",      "cs2",        "cs3",         "cs4",
	    "cs5",  "cs6",  "cs7",  "ef",   "le",   "lowdelay", "throughput", "reliability", NULL};
	if (in_list(names, arg))
		return true;
	char *end;
	long v = strtol(arg, &end, 0);
	return *arg && !*end && v >= 0 && v <= 255;
}

/* scan_scaled: [blanks][sign]digits[.digits][one of BKMGTPE, not followed
 * by a letter or digit] */
static bool scaled(const char *s, long long *out)
{
	while (isspace((unsigned char)*s))
		s++;
	int sign = 1;
	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	long long whole = 0;
	bool dot = false;
	for (; isdigit((unsigned char)*s) || *s == '.'; s++) {
		if (*s == '.') {
			if (dot)
				return false;
			dot = true;
		} else if (!dot) {
			if (whole > (LLONG_MAX - 9) / 10)
				return false;
			whole = whole * 10 + (*s - '0');
		}
	}
	if (!*s) {
		*out = sign * whole;
		return true;
	}
	static const char units[] = "BKMGTPE";
	const char *u = *s ? strchr(units, toupper((unsigned char)*s)) : NULL;
	if (!u || isalnum((unsigned char)s[1]))
		return false;
	/* only whether it is zero or below 16 matters: a unit makes it big */
	*out = u == units ? sign * whole : sign * (whole ? whole * 1024 : (dot ? 1024 : 0));
	return true;
}

static const char *rekey(char *const *argv, size_t argc)
{
	long long v = 0;
	if (strcmp(argv[0], "default")) {
		if (!scaled(argv[0], &v))
			return "Bad RekeyLimit number";
		if (v != 0 && v < 16)
			return "RekeyLimit too small";
	}
	if (argc > 1 && strcmp(argv[1], "none") && sshd_convtime(argv[1]) < 0)
		return "invalid time value.";
	return argc > 2 ? "extra arguments at end of line" : NULL;
}

static const char *env_words(char *const *argv, size_t argc, bool set)
{
	for (size_t i = 0; i < argc; i++)
		if (!*argv[i] || (strchr(argv[i], '=') != NULL) != set)
			return set ? "Invalid environment." : "Invalid environment name.";
	return NULL;
}

static const char *pkopts(char *const *argv, size_t argc)
{
	static const char *const names[] = {"none", "touch-required", "verify-required", NULL};
	for (size_t i = 0; i < argc; i++)
		if (!in_list(names, argv[i]))
			return "unsupported option";
	return NULL;
}

static const char *netblock(const char *arg)
{
	int v4 = -1, v6 = -1;
	int n = sscanf(arg, "%d:%d", &v4, &v6);
	if (n == 2 && (v6 < 0 || v6 > 128))
		n = -1;
	if ((n == 1 || n == 2) && (v4 < 0 || v4 > 32))
		n = -1;
	return n == 1 || n == 2 ? NULL : "Invalid PerSourceNetBlockSize spec.";
}

static const char *keyalgos(const char *arg)
{
	if (*arg == '-')
		return NULL; /* removals are not checked */
	const char *why;
	char *list = sshd_algo_assemble(ALGO_KEY, arg, &why);
	bool ok = list != NULL;
	free(list);
	return ok ? NULL : "Bad key types";
}

/* "none" only alone; every word non-empty */
static const char *none_alone(char *const *argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++) {
		if (!*argv[i])
			return "empty argument";
		if (!strcasecmp(argv[i], "none") && (i > 0 || argc > 1))
			return "\"none\" argument must appear alone.";
	}
	return NULL;
}

static const char *channel(char *const *argv, size_t argc)
{
	const char *why = none_alone(argv, argc);
	if (why)
		return why;
	for (size_t i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (strcasecmp(argv[i], "none") &&
		    (!eq || eq == argv[i] || sshd_convtime(eq + 1) < 0))
			return "invalid channel timeout";
	}
	return NULL;
}

/* hpdelim: "[v6]:port" or "host:port"; a '/' separator is refused */
static const char *host_port(const char *arg)
{
	const char *sep;
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (!close)
			return "missing host";
		sep = close[1] ? close + 1 : NULL;
		if (sep && *sep != ':')
			return "missing host";
	} else {
		sep = strpbrk(arg, ":/");
	}
	if (sep && *sep == '/')
		return "missing host";
	const char *port = sep ? sep + 1 : NULL;
	if (!port || (strcmp(port, "*") && sshd_a2port(port) <= 0))
		return "bad port number";
	return NULL;
}

static const char *permit(char *const *argv, size_t argc, bool listen)
{
	if (!strcmp(argv[0], "any") || !strcmp(argv[0], "none"))
		return argc > 1 ? "extra arguments at end of line" : NULL;
	for (size_t i = 0; i < argc; i++) {
		const char *arg = argv[i], *why;
		/* PermitListen takes a bare port for any address */
		if (listen && !strchr(arg, ':'))
			why = strcmp(arg, "*") && sshd_a2port(arg) <= 0 ? "bad port number" : NULL;
		else
			why = host_port(arg);
		if (why)
			return why;
	}
	return NULL;
}

/* One argument, checked by fn. */
static const char *one(char *const *argv, size_t argc, const char *(*fn)(const char *))
{
	if (argc == 0 || !*argv[0])
		return "missing argument";
	const char *why = fn(argv[0]);
	return why ? why : argc > 1 ? "extra arguments at end of line" : NULL;
}

static const char *time_none(const char *arg)
{
	return strcasecmp(arg, "none") && sshd_convtime(arg) < 0 ? "invalid time value." : NULL;
}

static const char *int_none(const char *arg)
{
	return strcmp(arg, "none") && sshd_parse_int(arg, INT_MAX) < 0 ? "integer value invalid"
	                                                               : NULL;
}

static const char *octal(const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 8);
	return end == arg || v < 0 || v > 0777 ? "Invalid StreamLocalBindMask." : NULL;
}

static const char *ipqos(char *const *argv, size_t argc)
{
	if (!ipqos_ok(argv[0]) || (argc > 1 && !ipqos_ok(argv[1])))
		return "Bad IPQoS value";
	return argc > 2 ? "extra arguments at end of line" : NULL;
}

/* The checks of a single word (flag, integer, forwarding word). */
static const char *simple(const struct sshd_keyword *k, char *const *argv, size_t argc)
{
	if (argc == 0 || !*argv[0])
		return "missing argument";
	if (k->args == SA_FLAG && !word(w_flag, argv[0], true))
		return "unsupported option";
	if (k->args == SA_INT && sshd_parse_int(argv[0], INT_MAX) < 0)
		return "integer value invalid";
	if (k->args == SA_FORWARD && !word(w_fwd, argv[0], true))
		return "unsupported option";
	return argc > 1 ? "extra arguments at end of line" : NULL;
}

const char *sshd_check_other(const struct sshd_keyword *k, char *const *argv, size_t argc)
{
	if (argc == 0 && k->args != SA_REST && k->args != SA_COMMAND && k->args != SA_REFUSED)
		return "missing argument";
	switch (k->args) {
	case SA_ONE:
	case SA_FLAG:
	case SA_INT:
	case SA_FORWARD:
		return simple(k, argv, argc);
	case SA_ONE_TWO:
		return argc > 2 ? "extra arguments at end of line" : NULL;
	case SA_COMMAND:
		/* AuthorizedKeysCommand and friends: an absolute path or none */
		if (argc == 0 || (argv[0][0] != '/' && strcasecmp(argv[0], "none")))
			return "must be an absolute path";
		return NULL;
	case SA_WORDS:
		for (size_t i = 0; i < argc; i++)
			if (!*argv[i])
				return "empty argument";
		return NULL;
	case SA_FACILITY:
		return one(argv, argc, facility);
	case SA_FPHASH:
		return one(argv, argc, fphash);
	case SA_MAXSTARTUPS:
		return one(argv, argc, maxstartups);
	case SA_IPQOS:
		return ipqos(argv, argc);
	case SA_REKEY:
		return rekey(argv, argc);
	case SA_OCTAL:
		return one(argv, argc, octal);
	case SA_ENVNAME:
	case SA_ENVSET:
		return env_words(argv, argc, k->args == SA_ENVSET);
	case SA_PKOPTS:
		return pkopts(argv, argc);
	case SA_TIME_NONE:
		return one(argv, argc, time_none);
	case SA_INT_NONE:
		return one(argv, argc, int_none);
	case SA_NETBLOCK:
		return one(argv, argc, netblock);
	case SA_KEYALGOS:
		return one(argv, argc, keyalgos);
	case SA_LOGVERBOSE:
		return none_alone(argv, argc);
	case SA_CHANNEL:
		return channel(argv, argc);
	case SA_PERMITOPEN:
	case SA_PERMITLISTEN:
		return permit(argv, argc, k->args == SA_PERMITLISTEN);
	case SA_REFUSED:
		return "setting RDomain not supported on this platform.";
	case SA_REST:
	case SA_ANY:
		return NULL;
	}
	return NULL;
}
