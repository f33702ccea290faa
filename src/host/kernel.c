/* Kernel settings that matter to containers: sysctls (the running value
 * from <root>/proc/sys, and where sysctl.d sets it), mandatory access
 * control, the cgroup version, and whether a forwarding host has any
 * firewall rules (asked of the live kernel over netlink and the legacy
 * iptables socket options; for another root, from its saved rule files). */
#include <errno.h>
#include <limits.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "host/internal.h"
#include "util/mem.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct sysctl {
	char value[128];
	char file[PATH_MAX];
	unsigned line;
	bool configured;
};

/* sysctl.d(5): files by name across these directories (earlier ones
 * shadow later ones of the same name), in name order, then
 * /etc/sysctl.conf; the last assignment wins. */
static const char *const sysctl_dirs[] = {"/etc/sysctl.d", "/run/sysctl.d",
                                          "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
                                          "/lib/sysctl.d"};

static void scan_conf(struct hscan *s, const char *rel, const char *key, struct sysctl *out)
{
	char *data;
	size_t len;
	struct hull_err e = {0};
	if (hroot_read(&s->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
		return;
	struct hull_str rest = hull_str(data, len), line;
	unsigned lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		struct hull_str t = hull_str_trim(line), k, v;
		if (!t.len || t.ptr[0] == '#' || t.ptr[0] == ';')
			continue;
		if (t.ptr[0] == '-')
			t = hull_str(t.ptr + 1, t.len - 1); /* "-key = v": ignore errors */
		if (!hull_str_split(t, '=', &k, &v))
			continue;
		k = hull_str_trim(k);
		v = hull_str_trim(v);
		if (k.len != strlen(key))
			continue;
		bool same = true;
		for (size_t i = 0; i < k.len && same; i++)
			same = (k.ptr[i] == '/' ? '.' : k.ptr[i]) == key[i];
		if (!same)
			continue;
		snprintf(out->value, sizeof(out->value), "%.*s", (int)v.len, v.ptr);
		snprintf(out->file, sizeof(out->file), "%s", rel);
		out->line = lineno;
		out->configured = true;
	}
	free(data);
}

static void sysctl_config(struct hscan *s, const char *key, struct sysctl *out)
{
	char **all = NULL;
	size_t nall = 0, cap = 0;
	for (size_t d = 0; d < N(sysctl_dirs); d++) {
		char **names;
		size_t n;
		hroot_list(&s->root, sysctl_dirs[d], 1024, &names, &n);
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(names[i]);
			bool dup = false;
			for (size_t k = 0; k < nall && !dup; k++)
				dup = !strcmp(strrchr(all[k], '/') + 1, names[i]);
			char *p = NULL;
			if (dup || l < 6 || strcmp(names[i] + l - 5, ".conf") ||
			    HULL_ARRAY_PUSH_ROOM(all, nall, cap, 4096, NULL) < 0 ||
			    asprintf(&p, "%s/%s", sysctl_dirs[d], names[i]) < 0)
				continue;
			all[nall++] = p;
		}
		hroot_names_free(names, n);
	}
	/* in name order whatever the directory */
	for (size_t i = 1; i < nall; i++)
		for (size_t k = i;
		     k > 0 && strcmp(strrchr(all[k - 1], '/'), strrchr(all[k], '/')) > 0; k--) {
			char *t = all[k];
			all[k] = all[k - 1];
			all[k - 1] = t;
		}
	for (size_t i = 0; i < nall; i++)
		scan_conf(s, all[i], key, out);
	scan_conf(s, "/etc/sysctl.conf", key, out);
	hroot_names_free(all, nall);
}

/* The running value (or, without /proc/sys, the configured one), and
 * where it is set. false when neither exists. */
static bool sysctl_get(struct hscan *s, const char *key, struct sysctl *out)
{
	memset(out, 0, sizeof(*out));
	sysctl_config(s, key, out);
	char rel[PATH_MAX] = "/proc/sys/";
	size_t n = strlen(rel);
	for (size_t i = 0; key[i] && n < sizeof(rel) - 1; i++)
		rel[n++] = key[i] == '.' ? '/' : key[i];
	rel[n] = '\0';
	char *v = hroot_read_trim(&s->root, rel);
	if (v) {
		/* the kernel's value is the truth; keep the file when it agrees */
		if (!out->configured || strcmp(out->value, v)) {
			snprintf(out->file, sizeof(out->file), "%s", rel);
			out->line = 0;
		}
		snprintf(out->value, sizeof(out->value), "%s", v);
		free(v);
		return true;
	}
	return out->configured;
}

static void report_sysctl(struct hscan *s, enum host_rule id, const char *key,
                          const struct sysctl *v, const char *why)
{
	char obj[128];
	snprintf(obj, sizeof(obj), "sysctl %s", key);
	host_report(s, id, v->file, v->line, obj, "%s = %s: %s", key, v->value, why);
}

/* ---- firewall ------------------------------------------------------------ */

/* Rules in nf_tables outside nat tables, or -1 when the kernel cannot be
 * asked (no permission, no nf_tables). */
static long nft_rules(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return -1;
	struct timeval tv = {2, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	struct {
		struct nlmsghdr nh;
		struct nfgenmsg g;
	} req = {0};
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.g.nfgen_family = AF_UNSPEC;
	req.g.version = NFNETLINK_V0;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		close(fd);
		return -1;
	}
	long count = 0;
	static char buf[1 << 16];
	for (int rounds = 0; rounds < 100000; rounds++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0) {
			count = -1;
			break;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				goto done;
			if (h->nlmsg_type == NLMSG_ERROR) {
				count = -1;
				goto done;
			}
			if ((h->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
				continue;
			/* the table's name: nat tables translate, they do not filter */
			size_t off = NLMSG_LENGTH(sizeof(struct nfgenmsg));
			bool nat = false;
			while (off + sizeof(struct nlattr) <= h->nlmsg_len) {
				struct nlattr *a = (struct nlattr *)((char *)h + off);
				if (a->nla_len < sizeof(*a) || off + a->nla_len > h->nlmsg_len)
					break;
				if ((a->nla_type & NLA_TYPE_MASK) == NFTA_RULE_TABLE)
					nat = !strncmp((char *)(a + 1), "nat",
					               a->nla_len - sizeof(*a));
				off += NLA_ALIGN(a->nla_len);
			}
			if (!nat)
				count++;
		}
	}
done:
	close(fd);
	return count;
}

/* Rules in legacy iptables' filter table (entries past the built-in
 * chains' policies and the final error entry), or -1. */
static long legacy_rules(struct hscan *s)
{
	char *names = hroot_read_trim(&s->root, "/proc/net/ip_tables_names");
	bool filter = names && strstr(names, "filter");
	free(names);
	if (!filter)
		return 0;
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	struct ipt_getinfo info = {0};
	socklen_t len = sizeof(info);
	snprintf(info.name, sizeof(info.name), "filter");
	long rules = -1;
	if (getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &info, &len) == 0)
		rules = (long)info.num_entries - (long)__builtin_popcount(info.valid_hooks) - 1;
	close(fd);
	return rules;
}

/* Saved rule sets a boot would load. */
static bool saved_rules(struct hscan *s, char *where, size_t n)
{
	static const struct {
		const char *rel, *needle;
	} files[] = {
	    {"/etc/nftables.conf", "hook"},       {"/etc/iptables/rules.v4", "-A "},
	    {"/etc/iptables/rules.v6", "-A "},    {"/etc/sysconfig/iptables", "-A "},
	    {"/etc/ufw/ufw.conf", "ENABLED=yes"},
	};
	for (size_t i = 0; i < N(files); i++) {
		char *data;
		size_t len;
		struct hull_err e = {0};
		if (hroot_read(&s->root, files[i].rel, HOST_MAX_FILE, &data, &len, &e) < 0)
			continue;
		bool has = strstr(data, files[i].needle) != NULL;
		free(data);
		if (has) {
			snprintf(where, n, "%s", files[i].rel);
			return true;
		}
	}
	struct stat st;
	if (hroot_stat(&s->root, "/etc/firewalld/firewalld.conf", &st) == 0) {
		snprintf(where, n, "/etc/firewalld/firewalld.conf");
		return true;
	}
	return false;
}

static void check_forwarding(struct hscan *s)
{
	struct sysctl v;
	if (!sysctl_get(s, "net.ipv4.ip_forward", &v) || strcmp(v.value, "1"))
		return;
	char where[PATH_MAX] = "";
	long kernel = -1;
	if (s->root.live) {
		long a = nft_rules(), b = legacy_rules(s);
		if (a >= 0 || b >= 0)
			kernel = (a > 0 ? a : 0) + (b > 0 ? b : 0);
	}
	if (kernel > 0)
		return;
	if (kernel < 0 && saved_rules(s, where, sizeof(where)))
		return;
	report_sysctl(s, HR_KERNEL_FORWARDING, "net.ipv4.ip_forward", &v,
	              kernel == 0 ? "the host routes packets and the kernel has no filtering rules"
	                          : "the host routes packets and no saved firewall rule set was "
	                            "found");
}

/* ---- MAC and cgroups --------------------------------------------------- */

static void check_mac(struct hscan *s)
{
	char *aa = hroot_read_trim(&s->root, "/sys/module/apparmor/parameters/enabled");
	char *se = hroot_read_trim(&s->root, "/sys/fs/selinux/enforce");
	struct stat st;
	bool have_sys = hroot_stat(&s->root, "/sys/module", &st) == 0 ||
	                hroot_stat(&s->root, "/sys/fs", &st) == 0;
	bool apparmor = aa && aa[0] == 'Y';
	bool selinux = se && !strcmp(se, "1");
	if (have_sys && !apparmor && !selinux)
		host_report(s, HR_KERNEL_MAC, NULL, 0, "kernel",
		            "neither AppArmor (%s) nor SELinux (%s) is enforcing",
		            aa ? (aa[0] == 'Y' ? "enabled" : "disabled") : "not in the kernel",
		            se ? "permissive" : "not in the kernel");
	free(aa);
	free(se);
}

static void check_cgroup(struct hscan *s)
{
	struct stat st;
	if (hroot_stat(&s->root, "/sys/fs/cgroup", &st) < 0)
		return;
	if (hroot_stat(&s->root, "/sys/fs/cgroup/cgroup.controllers", &st) == 0)
		return; /* unified (v2) */
	bool v1 = hroot_stat(&s->root, "/sys/fs/cgroup/memory", &st) == 0 ||
	          hroot_stat(&s->root, "/sys/fs/cgroup/pids", &st) == 0 ||
	          hroot_stat(&s->root, "/sys/fs/cgroup/cpu", &st) == 0;
	if (!v1)
		return;
	bool hybrid = hroot_stat(&s->root, "/sys/fs/cgroup/unified", &st) == 0;
	host_report(s, HR_KERNEL_CGROUP_V1, NULL, 0, "/sys/fs/cgroup", "the host runs cgroup v1%s",
	            hybrid ? " (hybrid: v1 controllers with an empty v2 hierarchy)" : "");
}

void host_check_kernel(struct hscan *s)
{
	struct sysctl v;
	if (sysctl_get(s, "kernel.unprivileged_userns_clone", &v)) {
		if (!strcmp(v.value, "1"))
			report_sysctl(s, HR_KERNEL_USERNS, "kernel.unprivileged_userns_clone", &v,
			              "any user can create user namespaces");
	} else if (sysctl_get(s, "user.max_user_namespaces", &v) && strcmp(v.value, "0")) {
		report_sysctl(s, HR_KERNEL_USERNS, "user.max_user_namespaces", &v,
		              "any user can create user namespaces");
	}
	check_forwarding(s);
	if (sysctl_get(s, "kernel.kptr_restrict", &v) && !strcmp(v.value, "0"))
		report_sysctl(s, HR_KERNEL_KPTR, "kernel.kptr_restrict", &v,
		              "kernel addresses are shown to users");
	if (sysctl_get(s, "kernel.dmesg_restrict", &v) && !strcmp(v.value, "0"))
		report_sysctl(s, HR_KERNEL_DMESG, "kernel.dmesg_restrict", &v,
		              "any user can read the kernel log");
	if (sysctl_get(s, "kernel.unprivileged_bpf_disabled", &v) && !strcmp(v.value, "0"))
		report_sysctl(s, HR_KERNEL_BPF, "kernel.unprivileged_bpf_disabled", &v,
		              "any user can load BPF programs");
	check_mac(s);
	check_cgroup(s);
}
