/* The sshd_config evaluator without sshd: OpenSSH's pattern and address
 * lists, algorithm list assembly, and values with the file and line that
 * set them through Include and Match (the integration test compares the
 * same machinery with sshd -T itself). */
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"
#include "host/sshd_auth.h"
#include "tap.h"

struct file {
	const char *path, *text;
};

static const struct file files[] = {
    {"/etc/ssh/sshd_config", "# main\n"
                             "Include sshd_config.d/*.conf\n"
                             "PasswordAuthentication yes\n"
                             "Port 2222\n"
                             "port = 22\n"
                             "Ciphers -*-cbc,3des*\n"
                             "MACs +hmac-md5\n"
                             "PermitRootLogin \"prohibit-password\" # trailing comment\n"
                             "Match Group wheel Address 10.0.0.0/8,!10.66.0.0/16\n"
                             "  MaxAuthTries 2\n"
                             "  PermitRootLogin yes\n"
                             "Match all\n"
                             "  X11Forwarding yes\n"},
    {"/etc/ssh/sshd_config.d/50-cloud.conf", "PasswordAuthentication no\nBogusKeyword 1\n"},
    {"/etc/ssh/sshd_config.d/60-more.conf", "PasswordAuthentication yes\nMaxSessions 3\n"},
    {"/etc/passwd", "root:x:0:0::/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/sh\n"},
    {"/etc/group", "root:x:0:\nwheel:x:10:ann\nann:x:1000:\n"},
};

static int rd(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!strcmp(files[i].path, path)) {
			*data = strdup(files[i].text);
			*len = strlen(files[i].text);
			return *data ? 0 : hull_err_nomem(err);
		}
	}
	return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: not found", path);
}

static int gl(void *ctx, const char *pattern, char ***paths, size_t *n, struct hull_err *err)
{
	(void)ctx;
	(void)err;
	*paths = NULL;
	*n = 0;
	if (strcmp(pattern, "/etc/ssh/sshd_config.d/*.conf"))
		return 0;
	*paths = calloc(2, sizeof(char *));
	(*paths)[0] = strdup(files[1].path);
	(*paths)[1] = strdup(files[2].path);
	*n = 2;
	return 0;
}

static void expect(const struct hull_sshd *c, const char *kw, const char *val, const char *file,
                   unsigned line)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	TAP_OK(v && !strcmp(v->value, val) &&
	           (file ? v->file && !strcmp(v->file, file) : !v->file) && v->line == line,
	       "%s = %s at %s:%u (got %s at %s:%u)", kw, val, file ? file : "default", line,
	       v ? v->value : "-", v && v->file ? v->file : "default", v ? v->line : 0);
}

/* ---- one file at a time ---- */

static const char *text;  /* /etc/ssh/sshd_config */
static const char *text2; /* /etc/ssh/b.conf */

static int rd1(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err)
{
	(void)ctx;
	const char *t =
	    !strcmp(path, "/etc/ssh/sshd_config") ? text
	    : !strcmp(path, "/etc/ssh/b.conf")    ? text2
	    : !strcmp(path, "/etc/passwd")        ? files[3].text
	    : !strcmp(path, "/etc/group")         ? files[4].text
	    : !strcmp(path, "/etc/hosts")
	        ? "127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.0.0.7 mgmt # x\n"
	        : NULL;
	if (!t)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "%s: not found", path);
	*data = strdup(t);
	*len = strlen(t);
	return *data ? 0 : hull_err_nomem(err);
}

static int gl1(void *ctx, const char *pattern, char ***paths, size_t *n, struct hull_err *err)
{
	(void)ctx;
	(void)err;
	*paths = NULL;
	*n = 0;
	const char *p = !strcmp(pattern, "/etc/ssh/b.conf")        ? "/etc/ssh/b.conf"
	                : !strcmp(pattern, "/etc/ssh/sshd_config") ? "/etc/ssh/sshd_config"
	                                                           : NULL;
	if (p && (*paths = calloc(1, sizeof(char *))) && ((*paths)[0] = strdup(p)))
		*n = 1;
	return 0;
}

static struct hull_sshd *load1(const char *t, const struct hull_sshd_conn *conn)
{
	struct hull_sshd_source src = {rd1, gl1, NULL};
	struct hull_sshd *c = NULL;
	struct hull_diag diag;
	struct hull_err err = {0};
	text = t;
	hull_diag_init(&diag);
	if (hull_sshd_load(&src, "/etc/ssh/sshd_config", conn, &c, &diag, &err) < 0)
		printf("# load: %s\n", err.msg);
	hull_diag_release(&diag);
	return c;
}

static const char *value1(const char *t, const char *kw)
{
	static char buf[512];
	struct hull_sshd *c = load1(t, NULL);
	const struct hull_sshd_value *v = c ? hull_sshd_get(c, kw) : NULL;
	snprintf(buf, sizeof(buf), "%s", v ? v->value : "(none)");
	hull_sshd_free(c);
	return buf;
}

/* The first refusal's line, 0 for none (-1 when it does not load). */
static int refused_at(const char *t, char *msg, size_t n)
{
	struct hull_sshd *c = load1(t, NULL);
	if (!c)
		return -1;
	size_t nr;
	const struct hull_sshd_refusal *r = hull_sshd_refusals(c, &nr);
	int line = nr ? (int)r[0].line : 0;
	snprintf(msg, n, "%s", nr ? r[0].msg : "");
	hull_sshd_free(c);
	return line;
}

static void test_values(void)
{
	static const struct {
		const char *text, *kw, *want, *why;
	} cases[] = {
	    {"PasswordAuthentication yes\nMatch all\n  PasswordAuthentication no\n",
	     "passwordauthentication", "no", "a Match all value is the effective one"},
	    {"LogLevel QUIET\n", "loglevel", "SILENT", "QUIET prints as SILENT"},
	    {"LogLevel debug1\n", "loglevel", "DEBUG", "DEBUG1 prints as DEBUG"},
	    {"\"PasswordAuthentication\" no\n", "passwordauthentication", "no",
	     "a quoted keyword (strdelim)"},
	    {"PasswordAuthentication=no\n", "passwordauthentication", "no", "keyword=value"},
	    {"\"PasswordAuthentication no\n", "passwordauthentication", "yes",
	     "a keyword quote never closed: sshd skips the line"},
	    {"DSAAuthentication no\n", "pubkeyauthentication", "no",
	     "DSAAuthentication is PubkeyAuthentication's old name"},
	    {"Port http\n", "port", "80", "a service name"},
	    {"AuthenticationMethods publickey,password publickey\nAuthenticationMethods any\n",
	     "authenticationmethods", "publickey,password publickey",
	     "the first AuthenticationMethods line wins"},
	    {"AllowUsers a b\nAllowUsers c\nMatch all\n  AllowUsers d\n", "allowusers", "d",
	     "a Match block's AllowUsers replace the global ones"},
	    {"Subsystem sftp /usr/lib/sftp-server -l  INFO\n", "subsystem",
	     "sftp /usr/lib/sftp-server -l INFO", "Subsystem: name, command and words"},
	    {"Match User=bob\n  X11Forwarding yes\nMatch all\n  MaxSessions 2\n", "maxsessions",
	     "2", "Match criteria split at '=' as sshd does"},
	    {"ListenAddress 10.1\n", "listenaddress", "10.0.0.1:22",
	     "a listen address as getaddrinfo reads it"},
	    {"ListenAddress 010.0.0.1:2222\n", "listenaddress", "8.0.0.1:2222", "octal, too"},
	    {"ListenAddress mgmt\n", "listenaddress", "10.0.0.7:22", "a name from /etc/hosts"},
	    {"ListenAddress localhost\n", "listenaddress", "[::1]:22",
	     "both families of a name, IPv6 first"},
	    {"AddressFamily inet\nListenAddress localhost\n", "listenaddress", "127.0.0.1:22",
	     "the family AddressFamily allows"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = value1(cases[i].text, cases[i].kw);
		TAP_OK(!strcmp(got, cases[i].want), "%s: %s %s (got %s)", cases[i].why, cases[i].kw,
		       cases[i].want, got);
	}
}

static void test_refusals(void)
{
	static const struct {
		const char *text;
		int line;
		const char *why;
	} cases[] = {
	    {"Match User x\n  Port 2222\n", 2, "a global-only keyword inside Match"},
	    {"Match User x\n  Protocol 2\n", 2, "a deprecated global keyword inside Match"},
	    {"Match User x\n  DSAAuthentication no\n", 2, "an alias that is global only"},
	    {"Subsystem sftp a\nSubsystem sftp b\n", 2, "a second Subsystem of the same name"},
	    {"Subsystem sftp\n", 1, "a Subsystem without a command"},
	    {"AuthenticationMethods publickey,otp\n", 1, "an unknown authentication method"},
	    {"AuthenticationMethods publickey any\n", 1, "any not alone"},
	    {"AuthenticationMethods password\nPasswordAuthentication no\n", 1,
	     "AuthenticationMethods no enabled method satisfies"},
	    {"PasswordAuthentication yes no\n", 1, "extra arguments"},
	    {"PermitTunnel YES\n", 1, "PermitTunnel is case-sensitive"},
	    {"MaxAuthTries 0x3\n", 1, "not a decimal integer"},
	    {"Protocol\n", 1, "no argument after the keyword"},
	    {"PasswordAuthentication \"no\n", 1, "a quote never closed"},
	    {"AllowUsers alice@10.0.0.0/33\n", 1, "an AllowUsers host that is not a network"},
	    {"Match Address 10.1.2.0/16\n  X11Forwarding yes\n", 1, "host bits past the mask"},
	    {"Match all User x\n", 1, "all with another criterion"},
	    {"Match Colour blue\n", 1, "an unknown criterion"},
	    {"UseBlacklist no\n", 1, "a keyword Debian's sshd does not have"},
	    {"Include /etc/ssh/sshd_config\n", 1, "a file including itself"},
	    {"SyslogFacility bogus\n", 1, "an unknown syslog facility"},
	    {"FingerprintHash crc\n", 1, "an unknown digest"},
	    {"MaxStartups 100:30:10\n", 1, "MaxStartups begin past full"},
	    {"IPQoS af21 cs1 ef\n", 1, "three IPQoS values"},
	    {"RekeyLimit 15\n", 1, "RekeyLimit under 16 bytes"},
	    {"RekeyLimit 1KB\n", 1, "RekeyLimit with two units"},
	    {"StreamLocalBindMask 1777\n", 1, "a mask past 0777"},
	    {"AcceptEnv A=B\n", 1, "AcceptEnv with a value"},
	    {"SetEnv A\n", 1, "SetEnv without a value"},
	    {"PubkeyAuthOptions bogus\n", 1, "an unknown PubkeyAuthOptions word"},
	    {"UnusedConnectionTimeout x\n", 1, "not a time"},
	    {"PerSourceNetBlockSize 24:129\n", 1, "an IPv6 mask past 128"},
	    {"HostbasedAcceptedAlgorithms bogus\n", 1, "an unknown key type"},
	    {"LogVerbose a none\n", 1, "none not alone"},
	    {"ChannelTimeout =5\n", 1, "a channel timeout without a type"},
	    {"PermitOpen a/22\n", 1, "host/port in PermitOpen"},
	    {"PermitListen any none\n", 1, "any with more"},
	    {"RDomain rd1\n", 1, "routing domains (not in Debian's build)"},
	    {"ListenAddress 10.0.0.1 rdomain rd1\n", 1, "a listen address in a routing domain"},
	    {"AuthorizedKeysFile \"\"\n", 1, "an empty AuthorizedKeysFile"},
	};
	char msg[512];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int line = refused_at(cases[i].text, msg, sizeof(msg));
		TAP_OK(line == cases[i].line, "refused at line %d: %s (got %d: %s)", cases[i].line,
		       cases[i].why, line, msg);
	}
	static const char *const fine[] = {
	    "Match all\n  Port 2222\n  Subsystem sftp x\n",      /* active at start-up */
	    "RSAAuthentication yes\nProtocol 2\n",               /* deprecated, logged */
	    "AuthenticationMethods publickey:foo none\n",        /* submethods, none */
	    "Match Address 10.0.0.0/129\n  X11Forwarding yes\n", /* not CIDR: a pattern */
	    "Include /etc/ssh/b.conf /etc/ssh/b.conf\n",         /* twice is fine */
	    /* read as sshd's sscanf and strtol read them */
	    "MaxStartups 10:30:100x\nRekeyLimit 1.5K 1h\nIPQoS 0x10 cs1\n",
	    "PermitOpen [::1]:22 host:*\nPermitListen 2222\nChannelTimeout session=5m\n",
	    "StreamLocalBindMask 0999\nPerSourceMaxStartups none\nFingerprintHash md5\n",
	};
	text2 = "X11Forwarding yes\n";
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		int line = refused_at(fine[i], msg, sizeof(msg));
		TAP_OK(line == 0, "accepted as sshd does: case %zu (got %d: %s)", i, line, msg);
	}
}

/* The clients of one Match block: blocks that cover all of them apply,
 * narrower ones do not; root's view decides User criteria. */
static void test_views(void)
{
	struct hull_sshd *c = load1("PasswordAuthentication no\n"
	                            "Match Address 10.0.0.0/8\n"
	                            "  PasswordAuthentication yes\n"
	                            "  MaxSessions 3\n"
	                            "Match Address 10.1.0.0/16 User ann\n"
	                            "  X11Forwarding yes\n"
	                            "  MaxSessions 5\n"
	                            "Match User root\n"
	                            "  PermitRootLogin no\n"
	                            "Match User bob\n"
	                            "  PermitRootLogin yes\n",
	                            NULL);
	TAP_OK(c != NULL, "loads");
	if (!c)
		return;
	size_t nb;
	const struct hull_sshd_block *b = hull_sshd_blocks(c, &nb);
	TAP_OK(nb == 4 && b[1].line == 5 && b[1].by_user && !b[0].by_user &&
	           !strcmp(b[1].criteria, "Address 10.1.0.0/16 User ann"),
	       "four blocks, with line, criteria and whether they name users");
	bool applies;
	struct hull_err err = {0};
	if (nb == 4 && hull_sshd_view_clients(c, &b[1], NULL, &applies, &err) == 0) {
		expect(c, "passwordauthentication", "yes", "/etc/ssh/sshd_config", 3);
		expect(c, "x11forwarding", "yes", "/etc/ssh/sshd_config", 6);
		expect(c, "maxsessions", "3", "/etc/ssh/sshd_config", 4);
	}
	if (nb == 4 && hull_sshd_view_clients(c, &b[0], NULL, &applies, &err) == 0) {
		expect(c, "x11forwarding", "no", NULL, 0);
		expect(c, "maxsessions", "3", "/etc/ssh/sshd_config", 4);
	}
	if (hull_sshd_view_clients(c, NULL, "root", &applies, &err) == 0)
		expect(c, "permitrootlogin", "no", "/etc/ssh/sshd_config", 9);
	TAP_OK(nb == 4 && hull_sshd_view_clients(c, &b[3], "root", &applies, &err) == 0 && !applies,
	       "Match User bob does not apply to root");
	if (hull_sshd_view_conn(c, NULL, &err) == 0)
		expect(c, "permitrootlogin", "without-password", NULL, 0);
	hull_sshd_free(c);
	/* User * singles nobody out: its clients are everyone's */
	c = load1("Match User * Address 10.0.0.0/8\n  X11Forwarding yes\n", NULL);
	b = c ? hull_sshd_blocks(c, &nb) : NULL;
	TAP_OK(b && nb == 1 && !b[0].by_user, "Match User * is not a block on users");
	hull_sshd_free(c);
}

/* The authentication model. */
static void test_auth(void)
{
	static const struct {
		const char *text;
		bool password, empty;
		enum sshd_root_login root;
	} cases[] = {
	    {"", true, false, SSHD_ROOT_KEY},
	    {"PasswordAuthentication no\n", false, false, SSHD_ROOT_KEY},
	    {"PasswordAuthentication no\nUsePAM yes\n", true, false, SSHD_ROOT_KEY},
	    {"PasswordAuthentication no\nUsePAM yes\nKbdInteractiveAuthentication no\n", false,
	     false, SSHD_ROOT_KEY},
	    {"PermitEmptyPasswords yes\nPermitRootLogin yes\n", true, true, SSHD_ROOT_PASSWORD},
	    {"PermitEmptyPasswords yes\nPermitRootLogin yes\nAuthenticationMethods publickey\n",
	     false, false, SSHD_ROOT_KEY},
	    {"PermitRootLogin yes\nAuthenticationMethods publickey,password\n", false, false,
	     SSHD_ROOT_KEY},
	    {"AuthenticationMethods publickey,password\n", false, false, SSHD_ROOT_NONE},
	    {"PubkeyAuthentication no\n", true, false, SSHD_ROOT_NONE},
	    {"PubkeyAuthentication no\nHostbasedAuthentication yes\n", true, false, SSHD_ROOT_KEY},
	    {"PermitRootLogin forced-commands-only\n", true, false, SSHD_ROOT_NONE},
	    {"PermitRootLogin yes\nDenyUsers root\n", true, false, SSHD_ROOT_NONE},
	    {"PermitRootLogin yes\nDenyUsers root@10.0.0.1\n", true, false, SSHD_ROOT_PASSWORD},
	    {"PermitRootLogin yes\nAllowUsers ann\n", true, false, SSHD_ROOT_NONE},
	    {"PermitRootLogin yes\nAllowGroups wheel\n", true, false, SSHD_ROOT_NONE},
	    {"PermitRootLogin yes\nAllowGroups root\n", true, false, SSHD_ROOT_PASSWORD},
	    {"KbdInteractiveAuthentication no\nPasswordAuthentication no\n"
	     "AuthenticationMethods none\n",
	     false, false, SSHD_ROOT_NONE},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_sshd *c = load1(cases[i].text, NULL);
		struct sshd_auth a = {0};
		if (c)
			sshd_auth_eval(c, &a);
		TAP_OK(c && a.password == cases[i].password && a.empty == cases[i].empty &&
		           a.root == cases[i].root,
		       "auth model %zu: password %d empty %d root %d (got %d %d %d)", i,
		       cases[i].password, cases[i].empty, cases[i].root, a.password, a.empty,
		       a.root);
		hull_sshd_free(c);
	}
}

int main(void)
{
	test_values();
	test_refusals();
	test_views();
	test_auth();

	TAP_OK(hull_sshd_match_list("alice", "a*,!al?ce", false) == -1, "a negated item vetoes");
	TAP_OK(hull_sshd_match_list("bob", "a*,b?b", false) == 1, "wildcards");
	TAP_OK(hull_sshd_match_list("Bob", "bob", false) == 0, "case-sensitive by default");
	TAP_OK(hull_sshd_addr_match_list("10.1.2.3", "10.0.0.0/8") == 1, "IPv4 CIDR");
	TAP_OK(hull_sshd_addr_match_list("10.66.2.3", "10.0.0.0/8,!10.66.0.0/16") == -1,
	       "negated CIDR");
	TAP_OK(hull_sshd_addr_match_list("2001:db8::5", "2001:db8::/32") == 1, "IPv6 CIDR");
	TAP_OK(hull_sshd_addr_match_list("10.1.2.3", "10.1.2.0/16") == -2,
	       "host bits past the mask are an error, as in sshd");
	TAP_OK(hull_sshd_addr_match_list("192.0.2.7", "192.0.2.*") == 1, "wildcard addresses");

	struct hull_sshd_source src = {rd, gl, NULL};
	struct hull_sshd *c = NULL;
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	int rc = hull_sshd_load(&src, "/etc/ssh/sshd_config", NULL, &c, &diag, &err);
	TAP_OK(rc == 0, "loads %s", err.msg);
	if (c) {
		expect(c, "passwordauthentication", "no", "/etc/ssh/sshd_config.d/50-cloud.conf",
		       1);
		expect(c, "permitrootlogin", "without-password", "/etc/ssh/sshd_config", 8);
		expect(c, "x11forwarding", "yes", "/etc/ssh/sshd_config", 13);
		expect(c, "maxsessions", "3", "/etc/ssh/sshd_config.d/60-more.conf", 2);
		expect(c, "maxauthtries", "6", NULL, 0);
		expect(c, "ciphers",
		       "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
		       "aes128-gcm@openssh.com,aes256-gcm@openssh.com",
		       "/etc/ssh/sshd_config", 6);
		const struct hull_sshd_value *m = hull_sshd_get(c, "macs");
		TAP_OK(m && strstr(m->value, ",hmac-md5") && !strncmp(m->value, "umac-64-etm", 11),
		       "MACs +hmac-md5 appends to the default list");
		size_t n;
		const struct hull_sshd_value *v = hull_sshd_values(c, &n);
		int ports = 0, listens = 0;
		for (size_t i = 0; i < n; i++) {
			ports += !strcmp(v[i].keyword, "port");
			listens += !strcmp(v[i].keyword, "listenaddress");
		}
		TAP_OK(ports == 2 && listens == 4,
		       "two ports, four wildcard listen addresses (%d, %d)", ports, listens);
		/* sshd exits on an unknown keyword: a refusal, not a warning */
		size_t nr;
		const struct hull_sshd_refusal *r = hull_sshd_refusals(c, &nr);
		TAP_OK(nr == 1 && strstr(r[0].msg, "BogusKeyword") && r[0].line == 2 &&
		           !strcmp(r[0].file, "/etc/ssh/sshd_config.d/50-cloud.conf"),
		       "an unknown keyword is a refusal with file and line (%zu: %s)", nr,
		       nr ? r[0].msg : "-");
		TAP_OK(diag.n == 0, "and no warning (%zu)", diag.n);
	}
	hull_sshd_free(c);
	/* a connection in the Match block: ann is in wheel, the address fits */
	struct hull_sshd_conn conn = {.user = "ann", .host = "h", .addr = "10.1.2.3"};
	c = NULL;
	rc = hull_sshd_load(&src, "/etc/ssh/sshd_config", &conn, &c, &diag, &err);
	if (c) {
		expect(c, "maxauthtries", "2", "/etc/ssh/sshd_config", 10);
		expect(c, "permitrootlogin", "yes", "/etc/ssh/sshd_config", 11);
	}
	hull_sshd_free(c);
	conn.addr = "10.66.0.1";
	c = NULL;
	rc = hull_sshd_load(&src, "/etc/ssh/sshd_config", &conn, &c, &diag, &err);
	if (c)
		expect(c, "maxauthtries", "6", NULL, 0);
	hull_sshd_free(c);
	hull_diag_release(&diag);
	return tap_done();
}
