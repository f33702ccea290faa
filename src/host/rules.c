/* The host rule catalogue and the finding builder. Ids are stable: a rule
 * that goes away leaves its id unused, a new rule takes the next free
 * number in its area's range (ssh H001-H019, network H020-H029, daemon
 * H030-H049, kernel H050-H069). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/internal.h"

#define HIGH HULL_SEV_HIGH
#define MED  HULL_SEV_MEDIUM
#define LOW  HULL_SEV_LOW
#define CRIT HULL_SEV_CRITICAL

static const struct hull_host_rule rules[HR__COUNT] = {
    /* ---- ssh ---- */
    [HR_SSH_PASSWORD] =
        {"HULL-H001", "ssh", "SSH password authentication enabled", MED,
         "Passwords can be guessed, phished and reused; a host that accepts them is open to "
         "brute force from anywhere the port reaches, and containers on it inherit that exposure.",
         "Set PasswordAuthentication no and KbdInteractiveAuthentication no (unless a second "
         "factor needs it) and use keys or certificates.",
         NULL, "SSH-7408"},
    [HR_SSH_ROOT_PASSWORD] =
        {"HULL-H002", "ssh", "SSH root login with a password permitted", HIGH,
         "PermitRootLogin yes lets anyone who guesses or steals root's password log in as root "
         "directly, with no trace of who it was.",
         "Set PermitRootLogin no (or prohibit-password where automation needs root with a key).",
         NULL, "SSH-7408"},
    [HR_SSH_ROOT_KEY] =
        {"HULL-H003", "ssh", "SSH root login with a key permitted", LOW,
         "Direct root logins (prohibit-password, the OpenSSH default) skip the audit trail a "
         "personal account plus sudo leaves.",
         "Set PermitRootLogin no and log in as a named user.", NULL, NULL},
    [HR_SSH_EMPTY_PASSWORD] =
        {"HULL-H004", "ssh", "SSH accepts empty passwords", HIGH,
         "PermitEmptyPasswords yes lets accounts without a password log in over the network.",
         "Set PermitEmptyPasswords no.", NULL, "SSH-7408"},
    [HR_SSH_PORT22] =
        {"HULL-H005", "ssh", "SSH on port 22 on every or a public address", LOW,
         "The default port on a reachable address receives constant automated scans and "
         "password guessing; it fills logs and finds every weak account.",
         "Bind sshd to a management address (ListenAddress), filter port 22 at the firewall, or "
         "move it to another port.",
         NULL, "SSH-7408"},
    [HR_SSH_PROTOCOL1] =
        {"HULL-H006", "ssh", "SSH protocol 1 era settings", MED,
         "Protocol 1 and its options (RSAAuthentication, RhostsRSAAuthentication, ServerKeyBits, "
         "KeyRegenerationInterval, UsePrivilegeSeparation, UseLogin) are ignored by current "
         "OpenSSH but show a configuration written for, and maybe still deployed with, an sshd "
         "that had known weaknesses.",
         "Remove these lines and review the file against the current sshd_config(5).", NULL,
         "SSH-7408"},
    [HR_SSH_CIPHERS] =
        {"HULL-H007", "ssh", "Weak SSH ciphers enabled", MED,
         "CBC mode ciphers, 3DES, Blowfish, CAST and RC4 (arcfour) are open to plaintext "
         "recovery attacks or have small blocks.",
         "Use the OpenSSH default Ciphers (chacha20-poly1305, AES-GCM, AES-CTR).", NULL, NULL},
    [HR_SSH_MACS] = {"HULL-H008", "ssh", "Weak SSH MACs enabled", MED,
                     "MD5-based, 96-bit truncated and RIPEMD-160 MACs are weak or obsolete.",
                     "Use the OpenSSH default MACs, preferring the -etm@openssh.com ones.", NULL,
                     NULL},
    [HR_SSH_KEX] =
        {"HULL-H009", "ssh", "Weak SSH key exchange enabled", MED,
         "diffie-hellman-group1-sha1 (1024-bit), group14-sha1 and group-exchange-sha1 rely on "
         "SHA-1 or short groups within reach of well-funded attackers (Logjam).",
         "Use the OpenSSH default KexAlgorithms (sntrup761x25519, curve25519, ECDH, DH group "
         "16/18 with SHA-2).",
         NULL, NULL},
    [HR_SSH_KEY_ALGOS] =
        {"HULL-H010", "ssh", "Weak SSH host key or signature algorithms enabled", LOW,
         "ssh-dss (1024-bit DSA) and ssh-rsa (RSA with SHA-1 signatures) are deprecated; SHA-1 "
         "signatures are forgeable with chosen-prefix collisions.",
         "Remove ssh-dss and ssh-rsa from HostKeyAlgorithms and PubkeyAcceptedAlgorithms; keep "
         "rsa-sha2-256/512 for RSA keys.",
         NULL, NULL},
    [HR_SSH_X11] =
        {"HULL-H011", "ssh", "SSH X11 forwarding enabled", LOW,
         "X11 forwarding exposes the client's display to the server side: a compromised host "
         "can read keystrokes and screens of the administrators who connect.",
         "Set X11Forwarding no.", NULL, "SSH-7408"},
    [HR_SSH_FORWARDING] =
        {"HULL-H012", "ssh", "SSH TCP or agent forwarding allowed", LOW,
         "Forwarding turns the host into a pivot into networks behind it (TCP) or lets it use "
         "the connecting user's keys (agent).",
         "Set AllowTcpForwarding no and AllowAgentForwarding no, or allow them in a Match block "
         "for the accounts that need them.",
         NULL, "SSH-7408"},
    [HR_SSH_AUTH_TRIES] =
        {"HULL-H013", "ssh", "SSH allows many authentication attempts", LOW,
         "A high MaxAuthTries gives a password guesser more tries per connection.",
         "Set MaxAuthTries 4 or lower.", NULL, "SSH-7408"},
    [HR_SSH_USER_ENV] =
        {"HULL-H014", "ssh", "SSH user environment processing enabled", MED,
         "PermitUserEnvironment lets users set variables such as LD_PRELOAD through "
         "~/.ssh/environment, which can bypass ForceCommand and other restrictions.",
         "Set PermitUserEnvironment no.", NULL, "SSH-7408"},
    [HR_SSH_HOSTBASED] =
        {"HULL-H015", "ssh", "SSH host-based or rhosts authentication", MED,
         "Host-based authentication and .rhosts files trust the client machine's word about who "
         "the user is.",
         "Set HostbasedAuthentication no and IgnoreRhosts yes.", NULL, "SSH-7408"},
    [HR_SSH_STRICT_MODES] =
        {"HULL-H016", "ssh", "SSH StrictModes disabled", MED,
         "Without StrictModes sshd accepts keys and configuration from home directories that "
         "other users can write to.",
         "Set StrictModes yes.", NULL, "SSH-7408"},
    [HR_SSH_TUNNEL] =
        {"HULL-H017", "ssh", "SSH tunnels or gateway ports allowed", LOW,
         "PermitTunnel gives clients layer 2/3 tunnels into the host's networks; GatewayPorts "
         "publishes forwarded ports on every address instead of loopback.",
         "Set PermitTunnel no and GatewayPorts no.", NULL, "SSH-7408"},
    [HR_SSH_REFUSED] = {"HULL-H018", "ssh", "sshd refuses this configuration", HIGH,
                        "sshd exits at start-up, and on a reload, with a configuration it "
                        "cannot read (an unknown keyword, a bad value, a global-only keyword "
                        "inside Match, a second Subsystem of a name, AuthenticationMethods no "
                        "enabled method satisfies): the next restart leaves the host without "
                        "SSH, and the sshd still running uses an older configuration that "
                        "the files no longer show. The other SSH checks would judge a "
                        "configuration sshd does not run, so hull does not run them.",
                        "Fix the line sshd names (sshd -t prints sshd's own message), then "
                        "scan again.",
                        NULL, NULL},
    /* ---- network ---- */
    [HR_NET_DOCKER_API] =
        {"HULL-H020", "network", "Docker Engine API exposed without TLS", CRIT,
         "Anyone who reaches an unauthenticated Engine API (port 2375) can start a privileged "
         "container that mounts the host's root: full control of the host.",
         "Listen on the unix socket only, or on 2376 with --tlsverify and client certificates; "
         "firewall the port.",
         "2.7", "NETW-3012"},
    [HR_NET_DOCKER_TLS] =
        {"HULL-H021", "network", "Docker Engine API with TLS exposed", MED,
         "The TLS port (2376) is only as strong as the certificate authority and key handling "
         "behind it; exposing it widely invites attempts.",
         "Bind the API to a management address and restrict it at the firewall.", "2.7",
         "NETW-3012"},
    [HR_NET_DATABASE] =
        {"HULL-H022", "network", "Database exposed on every or a public address", HIGH,
         "Databases (MySQL, PostgreSQL, Redis, MongoDB, Elasticsearch, Memcached ...) listening "
         "beyond loopback are a common source of data leaks and ransom attacks, especially when "
         "a container publishes them by accident.",
         "Bind the database to 127.0.0.1 or a private network, or publish the container port on "
         "127.0.0.1 only.",
         NULL, "NETW-3012"},
    [HR_NET_SSH] = {"HULL-H023", "network", "SSH exposed on every or a public address", LOW,
                    "sshd reachable from everywhere receives constant automated guessing.",
                    "Bind sshd to a management address or filter it at the firewall.", NULL,
                    "NETW-3012"},
    [HR_NET_RDP] =
        {"HULL-H024", "network", "Remote desktop (RDP) exposed", HIGH,
         "RDP (3389, xrdp) reachable from untrusted networks is a favourite entry point for "
         "ransomware.",
         "Bind the service to loopback and reach it through a VPN or an SSH tunnel.", NULL,
         "NETW-3012"},
    [HR_NET_EVERY_ADDRESS] =
        {"HULL-H025", "network", "Service listening on every address", LOW,
         "A socket bound to 0.0.0.0 or :: is reachable on every interface, including ones added "
         "later (container bridges, VPNs, public addresses).",
         "Bind the service to the addresses that need it.", NULL, "NETW-3012"},
    [HR_NET_PUBLIC] =
        {"HULL-H026", "network", "Service listening on a public address", MED,
         "The socket is bound to a globally routable address.",
         "Make sure the service is meant to be public; otherwise bind it to a private address.",
         NULL, "NETW-3012"},
    [HR_NET_RAW] =
        {"HULL-H027", "network", "Raw socket open", LOW,
         "A process with a raw socket can sniff or forge packets on the host's network.",
         "Make sure the process needs it (DHCP clients, ping); remove CAP_NET_RAW elsewhere.", NULL,
         "NETW-3012"},
    [HR_NET_ORCHESTRATION] =
        {"HULL-H028", "network", "Container orchestration port exposed", HIGH,
         "The kubelet API (10250, read-only 10255) and etcd (2379/2380) hand out pod execution "
         "and cluster secrets; on a reachable address they are a cluster takeover.",
         "Bind them to the node's private address, require authentication, and firewall them.",
         NULL, "NETW-3012"},
    /* ---- daemon ---- */
    [HR_DAEMON_TCP] =
        {"HULL-H030", "daemon", "Docker daemon listens on TCP without TLS verification", CRIT,
         "A TCP host (-H tcp://, \"hosts\" in daemon.json) without --tlsverify lets anyone who "
         "reaches it control the daemon, which is root on the host.",
         "Remove the tcp:// host, or set tlsverify with tlscacert, tlscert and tlskey.", "2.7",
         NULL},
    [HR_DAEMON_ICC] =
        {"HULL-H031", "daemon", "Inter-container communication not restricted", LOW,
         "With icc enabled (the default) every container on the default bridge can reach every "
         "other one's ports.",
         "Set \"icc\": false in daemon.json and link or network the containers that must talk.",
         "2.2", NULL},
    [HR_DAEMON_USERNS] =
        {"HULL-H032", "daemon", "User namespace remapping not enabled", LOW,
         "Without userns-remap, root in a container is uid 0 on the host: any escape is a root "
         "escape.",
         "Set \"userns-remap\": \"default\" in daemon.json (test images with it first).", "2.9",
         NULL},
    [HR_DAEMON_NO_NEW_PRIVS] =
        {"HULL-H033", "daemon", "no-new-privileges not set by default", LOW,
         "Without it, setuid binaries inside containers can raise privileges.",
         "Set \"no-new-privileges\": true in daemon.json.", "2.14", NULL},
    [HR_DAEMON_LIVE_RESTORE] =
        {"HULL-H034", "daemon", "Live restore not enabled", LOW,
         "Without live-restore, restarting or upgrading the daemon kills every container, which "
         "discourages timely security updates.",
         "Set \"live-restore\": true in daemon.json.", "2.15", NULL},
    [HR_DAEMON_USERLAND_PROXY] =
        {"HULL-H035", "daemon", "Userland proxy enabled", LOW,
         "docker-proxy processes widen the attack surface; iptables rules (hairpin NAT) do the "
         "same job in the kernel.",
         "Set \"userland-proxy\": false in daemon.json.", "2.16", NULL},
    [HR_DAEMON_INSECURE_REGISTRY] =
        {"HULL-H036", "daemon", "Insecure registries configured", MED,
         "Images from an insecure registry are pulled over plain HTTP or unverified TLS and can be "
         "replaced in transit.",
         "Remove insecure-registries; give the registry a certificate the host trusts.", "2.5",
         NULL},
    [HR_DAEMON_IPTABLES] =
        {"HULL-H037", "daemon", "Docker not allowed to manage iptables", MED,
         "With iptables=false, published ports and inter-container rules are not enforced by the "
         "daemon and are easy to get wrong by hand.",
         "Remove \"iptables\": false unless another firewall manager owns the rules.", "2.4", NULL},
    [HR_DAEMON_AUFS] =
        {"HULL-H038", "daemon", "aufs storage driver", MED,
         "aufs is unmaintained, not in mainline kernels, and had container escape bugs.",
         "Use overlay2.", "2.6", NULL},
    [HR_DAEMON_DEBUG] = {"HULL-H039", "daemon", "Daemon logging at debug level", LOW,
                         "Debug logs are verbose and may record secrets from API calls.",
                         "Set \"log-level\": \"info\".", "2.3", NULL},
    [HR_DAEMON_EXPERIMENTAL] =
        {"HULL-H040", "daemon", "Experimental daemon features enabled", LOW,
         "Experimental features are not meant for production and get less security review.",
         "Remove \"experimental\": true.", "2.18", NULL},
    [HR_DAEMON_FILES] =
        {"HULL-H041", "daemon", "Container engine file not owned by root or writable by others",
         HIGH,
         "Whoever can write daemon.json, /etc/docker, the service units or /etc/default/docker "
         "chooses how the root daemon runs.",
         "chown root:root and chmod 644 (files) or 755 (directories).",
         "3.1,3.2,3.3,3.4,3.5,3.6,3.17,3.18,3.19,3.20,3.21,3.22", NULL},
    [HR_DAEMON_TLS_FILES] =
        {"HULL-H042", "daemon", "Docker TLS certificate or key with loose permissions", HIGH,
         "A readable server key or a writable CA file lets a local user impersonate the daemon or "
         "trust their own clients.",
         "chown root:root; chmod 400 for keys and 444 for certificates.",
         "3.7,3.8,3.9,3.10,3.11,3.12,3.13,3.14", NULL},
    [HR_DAEMON_GROUP] =
        {"HULL-H043", "daemon", "Users in the docker group", MED,
         "Members of the docker group can start privileged containers: the group is root "
         "without a password or an audit trail.",
         "Keep only trusted administrators in the group (gpasswd -d USER docker); prefer sudo or "
         "rootless engines.",
         "1.1.2", "AUTH-9208"},
    [HR_DAEMON_SOCKET] =
        {"HULL-H044", "daemon", "Container engine socket open to other users", CRIT,
         "Anyone who can write to docker.sock, containerd.sock or podman.sock controls the "
         "engine and so the host.",
         "chown root:docker (root:root for containerd) and chmod 660 or stricter.",
         "3.15,3.16,3.23,3.24", NULL},
    /* ---- kernel ---- */
    [HR_KERNEL_USERNS] =
        {"HULL-H050", "kernel", "Unprivileged user namespaces allowed", LOW,
         "User namespaces let unprivileged users reach kernel code paths (netfilter, mounts) that "
         "were written for root; many container escapes and local root exploits start there.",
         "Set kernel.unprivileged_userns_clone=0 (Debian) or user.max_user_namespaces=0 where "
         "rootless containers are not used.",
         NULL, "KRNL-6000"},
    [HR_KERNEL_FORWARDING] =
        {"HULL-H051", "kernel", "IP forwarding on with no firewall rules", MED,
         "A host that forwards packets with an empty firewall routes between every network it "
         "touches, container bridges included.",
         "Add filtering rules (a FORWARD policy of DROP with explicit accepts) or turn "
         "net.ipv4.ip_forward off.",
         NULL, "KRNL-6000,FIRE-4512"},
    [HR_KERNEL_KPTR] =
        {"HULL-H052", "kernel", "Kernel pointers visible to users", LOW,
         "kernel.kptr_restrict=0 prints kernel addresses in /proc, defeating KASLR for local "
         "exploits, including from containers.",
         "Set kernel.kptr_restrict=1 (or 2).", NULL, "KRNL-6000"},
    [HR_KERNEL_DMESG] =
        {"HULL-H053", "kernel", "Kernel log readable by users", LOW,
         "kernel.dmesg_restrict=0 lets any user read the kernel log, which leaks addresses and "
         "hardware details useful to exploits.",
         "Set kernel.dmesg_restrict=1.", NULL, "KRNL-6000"},
    [HR_KERNEL_BPF] =
        {"HULL-H054", "kernel", "Unprivileged BPF allowed", MED,
         "Unprivileged eBPF programs have been the vehicle of several kernel privilege "
         "escalations and Spectre-style leaks.",
         "Set kernel.unprivileged_bpf_disabled=1 (or 2).", NULL, "KRNL-6000"},
    [HR_KERNEL_MAC] =
        {"HULL-H055", "kernel", "No mandatory access control enforced", MED,
         "Without AppArmor or SELinux, containers run with no mandatory access control profile: "
         "the docker-default / container_t confinement is missing.",
         "Enable AppArmor (Debian, Ubuntu) or SELinux in enforcing mode (Fedora, RHEL).", "1.2.1",
         "MACF-6204,MACF-6232"},
    [HR_KERNEL_CGROUP_V1] =
        {"HULL-H056", "kernel", "cgroup v1 in use", LOW,
         "On cgroup v1 (or hybrid) hosts some limits cannot be enforced for rootless containers "
         "and the memory controller lacks v2's protections; runtimes are moving to v2 only.",
         "Boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2).", NULL, NULL},
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

const struct hull_host_rule *hull_host_rules(size_t *n)
{
	*n = NRULES;
	return rules;
}

const struct hull_host_rule *hull_host_rule_find(const char *id)
{
	for (size_t i = 0; id && i < NRULES; i++)
		if (!strcasecmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

int hull_host_areas_parse(const char *list, unsigned *mask, struct hull_err *err)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"ssh", HULL_HOST_SSH},       {"network", HULL_HOST_NET},
	             {"net", HULL_HOST_NET},       {"daemon", HULL_HOST_DAEMON},
	             {"kernel", HULL_HOST_KERNEL}, {"all", HULL_HOST_ALL}};
	*mask = 0;
	const char *p = list;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t i = 0;
		while (i < sizeof(names) / sizeof(names[0]) &&
		       (strlen(names[i].name) != len || strncasecmp(names[i].name, p, len)))
			i++;
		if (i == sizeof(names) / sizeof(names[0]))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--checks: unknown area '%.*s' (ssh, network, daemon, "
			                    "kernel, all)",
			                    (int)len, p);
		*mask |= names[i].bit;
		p = e ? e + 1 : NULL;
	}
	if (!*mask)
		return hull_err_set(err, HULL_ERR_USAGE, "--checks: empty list");
	return 0;
}

/* Comma list into an array of "PREFIX<item>" strings. */
static int add_refs(char ***v, size_t *n, const char *list, const char *prefix)
{
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
		if (asprintf(&nv[*n], "%s%.*s", prefix, (int)len, p) < 0)
			return -1;
		(*n)++;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static void vreport(struct hscan *s, enum host_rule rule, int sev, const char *file, unsigned line,
                    const char *object, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

/* sev < 0: the rule's own */
static void vreport(struct hscan *s, enum host_rule rule, int sev, const char *file, unsigned line,
                    const char *object, const char *fmt, va_list ap)
{
	if (s->rc < 0)
		return;
	/* an index past the table is a programming error: say so loudly */
	if ((unsigned)rule >= NRULES || !rules[rule].id) {
		s->rc = hull_err_set(
		    s->err, HULL_ERR_INPUT,
		    "internal: a host check reported rule %d, which the table does not have",
		    (int)rule);
		return;
	}
	const struct hull_host_rule *r = &rules[rule];
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	struct hull_finding f = {0};
	f.kind = HULL_FINDING_HOST;
	f.severity = sev < 0 ? r->severity : (enum hull_severity)sev;
	f.id = strdup(r->id);
	f.title = strdup(r->title);
	f.message = strdup(msg);
	f.description = strdup(r->rationale);
	f.remediation = strdup(r->remediation);
	f.loc.file = file ? strdup(file) : NULL;
	f.loc.line = line;
	f.loc.object = object ? strdup(object) : NULL;
	bool ok = f.id && f.title && f.message && f.description && f.remediation &&
	          (!file || f.loc.file) && (!object || f.loc.object);
	/* cross-references travel as aliases: "CIS-DOCKER-2.7", "SSH-7408" */
	if (ok && (add_refs(&f.aliases, &f.naliases, r->cis, "CIS-DOCKER-") < 0 ||
	           add_refs(&f.aliases, &f.naliases, r->lynis, "") < 0))
		ok = false;
	if (!ok) {
		hull_finding_release(&f);
		s->rc = hull_err_nomem(s->err);
		return;
	}
	if (hull_findings_add(s->out, &f, s->err) < 0)
		s->rc = -1;
}

void host_report(struct hscan *s, enum host_rule rule, const char *file, unsigned line,
                 const char *object, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(s, rule, -1, file, line, object, fmt, ap);
	va_end(ap);
}

void host_report_sev(struct hscan *s, enum host_rule rule, enum hull_severity sev, const char *file,
                     unsigned line, const char *object, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(s, rule, (int)sev, file, line, object, fmt, ap);
	va_end(ap);
}

enum hull_severity host_rule_severity(enum host_rule r)
{
	return (unsigned)r < NRULES ? rules[r].severity : HULL_SEV_UNKNOWN;
}

static const char *sev(enum hull_severity v)
{
	return hull_severity_name(v);
}

int hull_host_rules_table(struct hull_buf *out, struct hull_err *err)
{
	if (hull_buf_printf(out, err, "%-10s %-8s %-9s %-14s %-20s %s\n", "ID", "AREA", "SEVERITY",
	                    "CIS DOCKER", "LYNIS", "TITLE") < 0)
		return -1;
	for (size_t i = 0; i < NRULES; i++) {
		const struct hull_host_rule *r = &rules[i];
		char cis[16];
		/* long CIS lists are cut in the table; the Markdown has them all */
		if (r->cis && strlen(r->cis) > 14)
			snprintf(cis, sizeof(cis), "%.11s...", r->cis);
		else
			snprintf(cis, sizeof(cis), "%s", r->cis ? r->cis : "-");
		if (hull_buf_printf(out, err, "%-10s %-8s %-9s %-14s %-20s %s\n", r->id, r->area,
		                    sev(r->severity), cis, r->lynis ? r->lynis : "-", r->title) < 0)
			return -1;
	}
	return hull_buf_printf(out, err, "%zu rules\n", NRULES);
}

int hull_host_rules_markdown(struct hull_buf *out, struct hull_err *err)
{
	if (hull_buf_printf(
	        out, err,
	        "# hull host rules\n\n"
	        "<!-- Generated from src/host/rules.c by `hull host --list-rules "
	        "--format markdown`. Do not edit. -->\n\n"
	        "%zu rules. `hull host --list-rules` prints the same catalogue. Ids are "
	        "stable and never reused. CIS Docker is the CIS Docker Benchmark "
	        "v1.6.0 section; lynis names the lynis test that looks at the same "
	        "thing.\n\n"
	        "| Id | Area | Title | Severity | CIS Docker | lynis |\n"
	        "|---|---|---|---|---|---|\n",
	        NRULES) < 0)
		return -1;
	for (size_t i = 0; i < NRULES; i++) {
		const struct hull_host_rule *r = &rules[i];
		char anchor[16];
		for (size_t k = 0; k < sizeof(anchor); k++)
			if (!(anchor[k] = (char)tolower((unsigned char)r->id[k])))
				break;
		anchor[sizeof(anchor) - 1] = '\0';
		if (hull_buf_printf(out, err, "| [%s](#%s) | %s | %s | %s | %s | %s |\n", r->id,
		                    anchor, r->area, r->title, sev(r->severity),
		                    r->cis ? r->cis : "", r->lynis ? r->lynis : "") < 0)
			return -1;
	}
	for (size_t i = 0; i < NRULES; i++) {
		const struct hull_host_rule *r = &rules[i];
		if (hull_buf_printf(out, err, "\n## %s\n\n**%s** (%s, %s)\n\n%s\n\n**Fix:** %s\n",
		                    r->id, r->title, r->area, sev(r->severity), r->rationale,
		                    r->remediation) < 0)
			return -1;
	}
	return 0;
}
