/* Golden test of hull host on a crafted --root tree: sshd_config with an
 * Include and a Match block, a daemon.json and a docker.service drop-in,
 * the docker group, sysctl values in proc/sys and sysctl.d, /proc/net
 * tables whose sockets map to processes through proc/PID/fd links, socket
 * and file modes. Every finding (id, file:line, object) must be expected,
 * and every expected one must appear. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/host.h"
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

static void build(void)
{
	put("etc/ssh/sshd_config",
	    "# test\n"
	    "Include sshd_config.d/*.conf\n"
	    "PermitRootLogin yes\n"
	    "Protocol 2,1\n"
	    "Ciphers aes128-cbc,aes256-ctr\n"
	    "MACs hmac-md5,hmac-sha2-256\n"
	    "KexAlgorithms diffie-hellman-group1-sha1,curve25519-sha256\n"
	    "AllowTcpForwarding no\n"
	    "AllowAgentForwarding no\n"
	    "MaxAuthTries 3\n"
	    "ListenAddress 127.0.0.1\n"
	    "Match User deploy\n"
	    "  PermitEmptyPasswords yes\n",
	    0644);
	put("etc/ssh/sshd_config.d/10-local.conf", "PasswordAuthentication no\nStrictModes no\n",
	    0644);
	put("etc/docker/daemon.json",
	    "{\n  \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"],\n"
	    "  \"icc\": false,\n  \"insecure-registries\": [\"registry.local:5000\"],\n"
	    "  \"live-restore\": true,\n  \"userland-proxy\": false,\n"
	    "  \"no-new-privileges\": true\n}\n",
	    0666);
	put("lib/systemd/system/docker.service",
	    "[Unit]\nDescription=Docker\n[Service]\nExecStart=/usr/bin/dockerd -H fd://\n", 0644);
	put("etc/systemd/system/docker.service.d/override.conf",
	    "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// \\\n"
	    "  --userns-remap=default --log-level=debug\n",
	    0644);
	put("etc/group", "root:x:0:\ndocker:x:998:alice,bob\n", 0644);
	put("etc/passwd", "root:x:0:0::/root:/bin/sh\nci:x:1001:998::/home/ci:/bin/sh\n", 0644);
	sock("var/run/docker.sock", 0666);
	put("proc/sys/net/ipv4/ip_forward", "1\n", 0644);
	put("proc/sys/kernel/kptr_restrict", "0\n", 0644);
	put("proc/sys/kernel/dmesg_restrict", "1\n", 0644);
	put("proc/sys/kernel/unprivileged_bpf_disabled", "0\n", 0644);
	put("proc/sys/kernel/unprivileged_userns_clone", "1\n", 0644);
	put("etc/sysctl.d/90-bpf.conf", "# mine\nkernel.unprivileged_bpf_disabled = 0\n", 0644);
	put("sys/module/apparmor/parameters/enabled", "N\n", 0644);
	put("sys/fs/cgroup/memory/tasks", "", 0644);
	/* sockets: redis on every address, sshd on every address, a DB on
	 * loopback (fine), dockerd on 2375, a web server on a public address */
	put("proc/net/tcp",
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode\n"
	    "   0: 00000000:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999 0 "
	    "1001 1 0 100 0 0 10 0\n"
	    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 0 "
	    "1002 1 0 100 0 0 10 0\n"
	    "   2: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999 0 "
	    "1003 1 0 100 0 0 10 0\n"
	    "   3: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 0 "
	    "1004 1 0 100 0 0 10 0\n"
	    "   4: 0A00000A:0016 0B00000A:C350 01 00000000:00000000 00:00000000 00000000     0 0 "
	    "1005 1 0 100 0 0 10 0\n",
	    0444);
	put("proc/net/tcp6",
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode\n"
	    "   0: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000    33 0 1006 1 0 100 0 0 10 0\n",
	    0444);
	put("proc/net/udp",
	    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode ref pointer drops\n"
	    "  10: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0 0 "
	    "1007 2 0 0\n",
	    0444);
	put("proc/100/comm", "redis-server\n", 0444);
	link_to("proc/100/fd/3", "socket:[1001]");
	put("proc/200/comm", "sshd\n", 0444);
	link_to("proc/200/fd/3", "socket:[1002]");
	put("proc/300/comm", "dockerd\n", 0444);
	link_to("proc/300/fd/4", "socket:[1004]");
	put("proc/400/comm", "nginx\n", 0444);
	link_to("proc/400/fd/6", "socket:[1006]");
	link_to("proc/400/fd/7", "/dev/null");
	put("proc/500/comm", "dhclient\n", 0444);
	link_to("proc/500/fd/5", "socket:[1007]");
}

static const char *const expected[] = {
    /* PermitRootLogin yes, but the drop-in turned passwords off (and PAM
     * is off by default): root logs in with a key only */
    "HULL-H003 /etc/ssh/sshd_config:3 sshd",
    "HULL-H006 /etc/ssh/sshd_config:4 sshd",
    "HULL-H007 /etc/ssh/sshd_config:5 sshd",
    "HULL-H008 /etc/ssh/sshd_config:6 sshd",
    "HULL-H009 /etc/ssh/sshd_config:7 sshd",
    "HULL-H016 /etc/ssh/sshd_config.d/10-local.conf:2 sshd",
    "HULL-H020 - tcp 0.0.0.0:2375 (dockerd pid 300)",
    "HULL-H022 - tcp 0.0.0.0:6379 (redis-server pid 100)",
    "HULL-H023 - tcp 0.0.0.0:22 (sshd pid 200)",
    "HULL-H025 - udp 0.0.0.0:68 (dhclient pid 500)",
    "HULL-H026 - tcp6 [2001:db8::1]:80 (nginx pid 400)",
    "HULL-H030 /etc/docker/daemon.json:2 dockerd",
    "HULL-H036 /etc/docker/daemon.json:4 dockerd",
    "HULL-H039 /etc/systemd/system/docker.service.d/override.conf:3 dockerd",
    "HULL-H041 /etc/docker/daemon.json:0 /etc/docker/daemon.json",
    "HULL-H043 /etc/group:0 group docker",
    "HULL-H044 /var/run/docker.sock:0 /var/run/docker.sock",
    ("HULL-H050 /proc/sys/kernel/unprivileged_userns_clone:0 sysctl "
     "kernel.unprivileged_userns_clone"),
    "HULL-H051 /proc/sys/net/ipv4/ip_forward:0 sysctl net.ipv4.ip_forward",
    "HULL-H052 /proc/sys/kernel/kptr_restrict:0 sysctl kernel.kptr_restrict",
    "HULL-H054 /etc/sysctl.d/90-bpf.conf:2 sysctl kernel.unprivileged_bpf_disabled",
    "HULL-H055 - kernel",
    "HULL-H056 - /sys/fs/cgroup",
};

static void line_of(const struct hull_finding *f, char *out, size_t n)
{
	if (f->loc.file)
		snprintf(out, n, "%s %s:%u %s", f->id, f->loc.file, f->loc.line,
		         f->loc.object ? f->loc.object : "-");
	else
		snprintf(out, n, "%s - %s", f->id, f->loc.object ? f->loc.object : "-");
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/hull-host-root-XXXXXX");
	if (!mkdtemp(root))
		return TAP_OK(0, "mkdtemp %s", root), tap_done();
	build();
	struct hull_host_opts o = {.root = root};
	struct hull_findings f = {0};
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	int rc = hull_host_scan(&o, &f, &diag, &err);
	TAP_OK(rc == 0, "scan of the crafted tree succeeds %s", err.msg);
	size_t n = sizeof(expected) / sizeof(expected[0]);
	bool *hit = calloc(n, sizeof(bool));
	for (size_t i = 0; i < f.n; i++) {
		char got[1024];
		line_of(&f.items[i], got, sizeof(got));
		size_t k = 0;
		while (k < n && strcmp(expected[k], got))
			k++;
		if (k < n)
			hit[k] = true;
		TAP_OK(k < n, "expected: %s (%s)", got, f.items[i].message);
	}
	for (size_t k = 0; k < n; k++)
		TAP_OK(hit[k], "found: %s", expected[k]);
	/* with a connection in the Match block, empty passwords show up, but
	 * only while passwords are on: the drop-in turned them off */
	struct hull_findings g = {0};
	o.ssh_match = "user=deploy,host=h,addr=10.0.0.1";
	o.areas = HULL_HOST_SSH;
	rc = hull_host_scan(&o, &g, &diag, &err);
	bool h004 = false;
	for (size_t i = 0; i < g.n; i++)
		h004 |= !strcmp(g.items[i].id, "HULL-H004");
	TAP_OK(rc == 0 && !h004, "PermitEmptyPasswords in Match has no effect without passwords");
	for (size_t i = 0; i < diag.n; i++)
		printf("# warning: %s\n", diag.msgs[i]);
	free(hit);
	hull_findings_release(&f);
	hull_findings_release(&g);
	hull_diag_release(&diag);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return tap_done();
}
