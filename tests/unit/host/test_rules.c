/* The host rule catalogue against the checks: every rule of the table fires
 * on a "loud" tree (and nothing outside the table does), none fires on a
 * hardened "quiet" tree, a report against a rule that is not in the table
 * is an error rather than a silent drop, and docs/host-rules.md is the
 * table's Markdown. A check bound to a rule that went missing, or a rule no
 * check reaches any more, fails here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/internal.h"
#include "tap.h"

static char root[256];

static void put(const char *rel, const char *text, mode_t mode)
{
	char path[1024], dir[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

static void link_to(const char *rel, const char *target)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	put(rel, "", 0644);
	unlink(path);
	if (symlink(target, path) < 0)
		perror(path);
}

static void sock(const char *rel, mode_t mode)
{
	char path[1024];
	put(rel, "", 0644);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%.100s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		chmod(path, mode);
	if (fd >= 0)
		close(fd);
}

#define TCP_HEAD                                                                                   \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
	"timeout inode\n"
/* one listening socket line: address:port in /proc/net hex, inode */
#define LISTEN(sl, addr, inode)                                                                    \
	"   " sl ": " addr                                                                         \
	" 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 0 " inode                  \
	" 1 0 100 0 0 10 0\n"

static void proc_owner(const char *pid, const char *comm, const char *inode)
{
	char rel[128], target[64], text[64];
	snprintf(rel, sizeof(rel), "proc/%s/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	put(rel, text, 0444);
	snprintf(rel, sizeof(rel), "proc/%s/fd/3", pid);
	snprintf(target, sizeof(target), "socket:[%s]", inode);
	link_to(rel, target);
}

/* Everything wrong at once. The sshd configuration turns root logins with
 * a key on for one user's connections (H003) while the global section lets
 * root in with a password (H002); a second one sshd refuses (H018). */
static void build_loud(void)
{
	put("etc/ssh/sshd_config",
	    "PermitRootLogin yes\n"
	    "PermitEmptyPasswords yes\n"
	    "Protocol 2\n"
	    "Ciphers +aes128-cbc\n"
	    "MACs +hmac-md5\n"
	    "KexAlgorithms +diffie-hellman-group1-sha1\n"
	    "HostKeyAlgorithms +ssh-rsa\n"
	    "X11Forwarding yes\n"
	    "PermitUserEnvironment yes\n"
	    "HostbasedAuthentication yes\n"
	    "StrictModes no\n"
	    "PermitTunnel yes\n"
	    "Match User bob\n"
	    "  PermitRootLogin prohibit-password\n",
	    0644);
	/* and a configuration sshd would not start with */
	put("etc/ssh/refused.conf", "Subsystem sftp internal-sftp\nSubsystem sftp /bin/false\n",
	    0644);
	put("etc/docker/daemon.json",
	    "{\n  \"hosts\": [\"tcp://0.0.0.0:2375\"],\n"
	    "  \"insecure-registries\": [\"registry.local:5000\"],\n"
	    "  \"iptables\": false,\n  \"storage-driver\": \"aufs\",\n"
	    "  \"log-level\": \"debug\",\n  \"experimental\": true,\n"
	    "  \"tlscacert\": \"/etc/docker/ca.pem\"\n}\n",
	    0666);
	put("etc/docker/ca.pem", "-----BEGIN CERTIFICATE-----\n", 0666);
	put("etc/group", "root:x:0:\ndocker:x:998:alice\n", 0644);
	put("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644);
	sock("var/run/docker.sock", 0666);
	put("proc/sys/net/ipv4/ip_forward", "1\n", 0644);
	put("proc/sys/kernel/kptr_restrict", "0\n", 0644);
	put("proc/sys/kernel/dmesg_restrict", "0\n", 0644);
	put("proc/sys/kernel/unprivileged_bpf_disabled", "0\n", 0644);
	put("proc/sys/kernel/unprivileged_userns_clone", "1\n", 0644);
	put("sys/module/apparmor/parameters/enabled", "N\n", 0644);
	put("sys/fs/cgroup/memory/tasks", "", 0644);
	/* 2375 docker, 2376 docker TLS, 6379 redis, 22 sshd, 3389 RDP,
	 * 10250 kubelet, 8080 on every address, 80 on a public address */
	put("proc/net/tcp",
	    TCP_HEAD LISTEN("0", "00000000:0947", "1001") LISTEN("1", "00000000:0948", "1002")
	        LISTEN("2", "00000000:18EB", "1003") LISTEN("3", "00000000:0016", "1004")
	            LISTEN("4", "00000000:0D3D", "1005") LISTEN("5", "00000000:280A", "1006")
	                LISTEN("6", "00000000:1F90", "1007") LISTEN("7", "0A0000CB:0050", "1008"),
	    0444);
	/* the address above is 203.0.0.10 in /proc's byte order: public */
	put("proc/net/raw",
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode ref pointer drops\n"
	    "   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0 0 "
	    "1009 2 0 0\n",
	    0444);
	proc_owner("100", "dockerd", "1001");
	proc_owner("101", "dockerd", "1002");
	proc_owner("102", "redis-server", "1003");
	proc_owner("103", "sshd", "1004");
	proc_owner("104", "xrdp", "1005");
	proc_owner("105", "kubelet", "1006");
	proc_owner("106", "python3", "1007");
	proc_owner("107", "nginx", "1008");
	proc_owner("108", "ping", "1009");
}

/* A hardened host: keys only, no root login, sshd on a private address,
 * a locked-down daemon, loopback listeners only, restrictive sysctls,
 * AppArmor on, cgroup v2. */
static void build_quiet(void)
{
	put("etc/ssh/sshd_config",
	    "PasswordAuthentication no\n"
	    "KbdInteractiveAuthentication no\n"
	    "PermitRootLogin no\n"
	    "ListenAddress 10.0.0.1\n"
	    "AllowTcpForwarding no\n"
	    "AllowAgentForwarding no\n"
	    "MaxAuthTries 3\n",
	    0644);
	put("etc/docker/daemon.json",
	    "{\n  \"icc\": false,\n  \"userns-remap\": \"default\",\n"
	    "  \"no-new-privileges\": true,\n  \"live-restore\": true,\n"
	    "  \"userland-proxy\": false\n}\n",
	    0644);
	chmod(root, 0755);
	put("etc/group", "root:x:0:\ndocker:x:998:\n", 0644);
	put("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644);
	sock("var/run/docker.sock", 0660);
	put("proc/sys/net/ipv4/ip_forward", "0\n", 0644);
	put("proc/sys/kernel/kptr_restrict", "1\n", 0644);
	put("proc/sys/kernel/dmesg_restrict", "1\n", 0644);
	put("proc/sys/kernel/unprivileged_bpf_disabled", "2\n", 0644);
	put("proc/sys/kernel/unprivileged_userns_clone", "0\n", 0644);
	put("sys/module/apparmor/parameters/enabled", "Y\n", 0644);
	put("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n", 0644);
	put("proc/net/tcp", TCP_HEAD LISTEN("0", "0100007F:18EB", "2001"), 0444);
	proc_owner("200", "redis-server", "2001");
}

static int scan(const char *ssh_match, struct hull_findings *f)
{
	struct hull_host_opts o = {.root = root, .ssh_match = ssh_match};
	if (ssh_match && ssh_match[0] == '/') /* another sshd_config */
		o = (struct hull_host_opts){.root = root, .sshd_config = ssh_match};
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	int rc = hull_host_scan(&o, f, &diag, &err);
	for (size_t i = 0; i < diag.n; i++)
		printf("# warning: %s\n", diag.msgs[i]);
	if (rc < 0)
		printf("# %s\n", err.msg);
	hull_diag_release(&diag);
	return rc;
}

static void fresh_root(void)
{
	snprintf(root, sizeof(root), "/tmp/hull-host-rules-XXXXXX");
	if (!mkdtemp(root))
		root[0] = '\0';
}

static void remove_root(void)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
}

static bool has_id(const struct hull_findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].id, id))
			return true;
	return false;
}

static void test_loud(void)
{
	fresh_root();
	build_loud();
	struct hull_findings f = {0};
	TAP_OK(scan(NULL, &f) == 0, "loud tree: scan succeeds");
	/* the Match block's key-only root login shows in bob's connection */
	TAP_OK(scan("user=bob,host=h,addr=10.0.0.9", &f) == 0, "loud tree: bob's view");
	TAP_OK(scan("/etc/ssh/refused.conf", &f) == 0, "loud tree: a refused configuration");
	size_t n;
	const struct hull_host_rule *r = hull_host_rules(&n);
	TAP_OK(n == HR__COUNT, "the table has an entry per rule (%zu, %d)", n, (int)HR__COUNT);
	bool complete = true;
	for (size_t i = 0; i < n; i++)
		complete &= r[i].id && r[i].title && r[i].rationale && r[i].remediation &&
		            (i == 0 || strcmp(r[i - 1].id, r[i].id) < 0);
	TAP_OK(complete, "every entry is filled in, ids in increasing order");
	for (size_t i = 0; i < n && complete; i++)
		TAP_OK(has_id(&f, r[i].id), "%s (%s) fires on the loud tree", r[i].id, r[i].title);
	for (size_t i = 0; i < f.n; i++)
		TAP_OK(hull_host_rule_find(f.items[i].id) != NULL, "%s is in the table",
		       f.items[i].id);
	hull_findings_release(&f);
	remove_root();
}

static void test_quiet(void)
{
	fresh_root();
	build_quiet();
	struct hull_findings f = {0};
	TAP_OK(scan(NULL, &f) == 0, "quiet tree: scan succeeds");
	/* ownership checks need the tree's files to be root's */
	bool as_root = geteuid() == 0;
	size_t quiet = 0;
	for (size_t i = 0; i < f.n; i++) {
		const struct hull_finding *x = &f.items[i];
		bool owner_rule = !strcmp(x->id, "HULL-H041") || !strcmp(x->id, "HULL-H042") ||
		                  !strcmp(x->id, "HULL-H044");
		if (!as_root && owner_rule)
			continue;
		printf("# unexpected: %s %s:%u %s\n", x->id, x->loc.file ? x->loc.file : "-",
		       x->loc.line, x->message);
		quiet++;
	}
	TAP_OK(quiet == 0, "no rule fires on the quiet tree (%zu did)", quiet);
	hull_findings_release(&f);
	remove_root();
}

/* A check that names a rule the table does not have must not vanish. */
static void test_unknown_rule(void)
{
	struct hull_findings f = {0};
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	struct hscan s = {.out = &f, .diag = &diag, .err = &err};
	host_report(&s, HR__COUNT, NULL, 0, "test", "a rule that does not exist");
	TAP_OK(s.rc < 0 && err.msg[0], "a report against a rule outside the table is an error (%s)",
	       err.msg);
	hull_findings_release(&f);
	hull_diag_release(&diag);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 4096);
			if (!nb)
				break;
			buf = nb;
		}
		size_t k = fread(buf + *len, 1, cap - *len, fp);
		if (!k)
			break;
		*len += k;
	}
	fclose(fp);
	return buf;
}

static void test_doc(void)
{
	const char *src = getenv("HULL_SRC");
	char path[1024];
	snprintf(path, sizeof(path), "%s/docs/host-rules.md", src ? src : ".");
	size_t len = 0;
	char *doc = slurp(path, &len);
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1u << 20);
	int rc = hull_host_rules_markdown(&b, &err);
	TAP_OK(doc && rc == 0 && b.len == len && !memcmp(b.data, doc, len),
	       "%s is `hull host --list-rules --format markdown` (%zu vs %zu bytes)", path, len,
	       b.len);
	hull_buf_release(&b);
	free(doc);
}

int main(void)
{
	test_loud();
	test_quiet();
	test_unknown_rule();
	test_doc();
	return tap_done();
}
