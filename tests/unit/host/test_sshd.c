/* The sshd_config evaluator without sshd: OpenSSH's pattern and address
 * lists, algorithm list assembly, and values with the file and line that
 * set them through Include and Match (the integration test compares the
 * same machinery with sshd -T itself). */
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"
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

int main(void)
{
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
		for (size_t i = 0; i < diag.n; i++)
			printf("# %s\n", diag.msgs[i]);
		TAP_OK(diag.n == 1 && strcasestr(diag.msgs[0], "BogusKeyword") &&
		           strstr(diag.msgs[0], "50-cloud.conf: line 2"),
		       "an unknown keyword is a warning with file and line");
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
