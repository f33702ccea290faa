/* Container and workload rules: privileges, capabilities, users, host
 * namespaces, security profiles. Each check reads the model only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"

#define REPORT hull_rule_report

/* ---- capabilities --------------------------------------------------- */

static const struct {
	const char *cap, *why;
} dangerous_caps[] = {
    {"ALL", "every capability: most container escapes need only one of them"},
    {"SYS_ADMIN", "mount file systems, create namespaces, use BPF and many more kernel "
                  "interfaces: the most common container escape path"},
    {"SYS_MODULE", "load kernel modules: full control of the host kernel"},
    {"SYS_PTRACE", "trace and inject code into processes it can see, bypassing their "
                   "isolation"},
    {"DAC_READ_SEARCH", "bypass file read checks and open files by handle "
                        "(open_by_handle_at), the 'shocker' escape to host files"},
    {"NET_ADMIN", "reconfigure interfaces, routes and firewall rules, sniff or redirect "
                  "traffic (the host's too with host networking)"},
    {"SYS_RAWIO", "raw I/O ports and /dev/mem: read and write host memory and devices"},
    {"BPF", "load BPF programs into the kernel"},
    {"SYS_BOOT", "reboot the host or load a new kernel (kexec)"},
    {"SYS_TIME", "set the host's clock, which every container shares"},
    {"MAC_ADMIN", "change the AppArmor / SELinux policy that confines containers"},
    {"MAC_OVERRIDE", "bypass the AppArmor / SELinux policy that confines containers"},
};

static const char *const baseline_caps[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
};

bool hull_cap_dangerous(const char *cap, const char **why)
{
	for (size_t i = 0; i < sizeof(dangerous_caps) / sizeof(dangerous_caps[0]); i++) {
		if (!strcmp(cap, dangerous_caps[i].cap)) {
			if (why)
				*why = dangerous_caps[i].why;
			return true;
		}
	}
	return false;
}

bool hull_cap_baseline_allowed(const char *cap)
{
	for (size_t i = 0; i < sizeof(baseline_caps) / sizeof(baseline_caps[0]); i++)
		if (!strcmp(cap, baseline_caps[i]))
			return true;
	return false;
}

bool hull_cap_docker_default(const char *cap)
{
	return hull_cap_baseline_allowed(cap) || !strcmp(cap, "NET_RAW");
}

enum cap_class { CAP_DANGEROUS, CAP_OUTSIDE_BASELINE, CAP_OUTSIDE_RESTRICTED, CAP_NET_BIND };

/* A capability name as the rules see it: for Kubernetes the name as
 * written, compared exactly as Pod Security Admission does ("chown" and
 * "CAP_CHOWN" are not CHOWN); elsewhere the runtime's normalised name.
 * Escape-grade capabilities are recognised by their normalised name
 * everywhere. */
static enum cap_class classify(const char *cap, bool as_written)
{
	char norm[64];
	hull_cap_normalize(cap, norm, sizeof(norm));
	if (hull_cap_dangerous(as_written ? norm : cap, NULL))
		return CAP_DANGEROUS;
	if (!hull_cap_baseline_allowed(cap))
		return CAP_OUTSIDE_BASELINE;
	return strcmp(cap, "NET_BIND_SERVICE") ? CAP_OUTSIDE_RESTRICTED : CAP_NET_BIND;
}

static void report_outside_baseline(struct hull_rule_ctx *ctx, const struct hull_vstr *cap)
{
	char norm[64];
	hull_cap_normalize(cap->v, norm, sizeof(norm));
	if (hull_pss_k8s(ctx) && hull_cap_baseline_allowed(norm))
		REPORT(ctx, cap->pos,
		       "adds capability '%s', which is not in the Pod Security Baseline allowlist "
		       "as written: the admission check compares names exactly (write %s)",
		       cap->v, norm);
	else
		REPORT(ctx, cap->pos,
		       "adds capability %s, which is not in the Pod Security Baseline "
		       "allowlist (the runtime's default set minus NET_RAW)",
		       cap->v);
}

/* Which rules judge this container's capabilities at all. */
static bool caps_judged(struct hull_rule_ctx *ctx, enum cap_class cls)
{
	if (!hull_pss_k8s(ctx))
		return true;
	/* the Restricted check (from v1.22) replaces the Baseline one at that
	 * level and admits Windows pods from v1.25 */
	if (hull_pss_windows_exempt(ctx))
		return false;
	return cls != CAP_OUTSIDE_RESTRICTED || hull_pss_since(ctx, 22);
}

static void caps_of_class(struct hull_rule_ctx *ctx, enum cap_class cls)
{
	const struct hull_container *c = ctx->c;
	bool k8s = hull_pss_k8s(ctx);
	const hull_strlist *add = k8s ? &c->sc.cap_add : &c->cap_add;
	if (!caps_judged(ctx, cls))
		return;
	for (size_t i = 0; i < add->n; i++) {
		const char *cap = add->v[i].v;
		if (!cap || classify(cap, k8s) != cls)
			continue;
		const char *why = NULL;
		char norm[64];
		switch (cls) {
		case CAP_DANGEROUS:
			hull_cap_normalize(cap, norm, sizeof(norm));
			hull_cap_dangerous(norm, &why);
			REPORT(ctx, add->v[i].pos, "adds capability %s: %s", cap, why);
			break;
		case CAP_OUTSIDE_BASELINE:
			report_outside_baseline(ctx, &add->v[i]);
			break;
		case CAP_OUTSIDE_RESTRICTED:
			REPORT(ctx, add->v[i].pos,
			       "adds capability %s; the Restricted profile allows adding back only "
			       "NET_BIND_SERVICE",
			       cap);
			break;
		case CAP_NET_BIND:
			REPORT(
			    ctx, add->v[i].pos,
			    "adds capability %s: allowed by every profile, but rarely needed (a "
			    "port above 1023, or net.ipv4.ip_unprivileged_port_start, avoids it)",
			    cap);
			break;
		}
	}
}

HULL_CHECK(cap_dangerous)
{
	caps_of_class(ctx, CAP_DANGEROUS);
}

HULL_CHECK(cap_baseline)
{
	caps_of_class(ctx, CAP_OUTSIDE_BASELINE);
}

HULL_CHECK(cap_restricted)
{
	caps_of_class(ctx, CAP_OUTSIDE_RESTRICTED);
}

HULL_CHECK(cap_added)
{
	caps_of_class(ctx, CAP_NET_BIND);
}

/* Kubernetes: drop must contain exactly "ALL" (v1.22+). */
static void k8s_drop_all(struct hull_rule_ctx *ctx)
{
	const struct hull_container *c = ctx->c;
	const hull_strlist *drop = &c->sc.cap_drop;
	if (!hull_pss_since(ctx, 22) || hull_pss_windows_exempt(ctx) ||
	    hull_strlist_has(drop, "ALL"))
		return;
	for (size_t i = 0; i < drop->n; i++) {
		char norm[64];
		hull_cap_normalize(drop->v[i].v, norm, sizeof(norm));
		if (!strcmp(norm, "ALL")) {
			REPORT(ctx, drop->v[i].pos,
			       "drops '%s', which the admission check does not read as ALL: it "
			       "compares names exactly (write ALL)",
			       drop->v[i].v);
			return;
		}
	}
	if (!drop->n)
		REPORT(ctx, c->pos,
		       "does not drop any capability: it keeps the runtime's default "
		       "set (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW ...)");
	else
		REPORT(ctx, drop->v[0].pos,
		       "drops some capabilities but not ALL: the other default capabilities stay");
}

HULL_CHECK(cap_drop_all)
{
	const struct hull_container *c = ctx->c;
	if (hull_pss_k8s(ctx)) {
		k8s_drop_all(ctx);
		return;
	}
	if (hull_strlist_has(&c->cap_drop, "ALL"))
		return;
	/* an engine lists the default set one by one when ALL was dropped */
	size_t dropped_defaults = 0;
	for (size_t i = 0; i < c->cap_drop.n; i++)
		if (c->cap_drop.v[i].v && hull_cap_docker_default(c->cap_drop.v[i].v))
			dropped_defaults++;
	if (dropped_defaults >= sizeof(baseline_caps) / sizeof(baseline_caps[0]) + 1)
		return;
	if (!c->cap_drop.n) {
		REPORT(ctx, c->pos,
		       "does not drop any capability: it keeps the runtime's default "
		       "set (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW ...)");
		return;
	}
	char list[256] = "";
	for (size_t i = 0; i < c->cap_drop.n && strlen(list) < 200; i++) {
		if (i)
			strcat(list, ", ");
		strncat(list, c->cap_drop.v[i].v ? c->cap_drop.v[i].v : "", 40);
	}
	REPORT(ctx, c->cap_drop.v[0].pos,
	       "drops only %s instead of ALL: the other default capabilities stay", list);
}

/* ---- privileges ----------------------------------------------------- */

HULL_CHECK(privileged)
{
	const struct hull_container *c = ctx->c;
	if (c->privileged.v == HULL_TRUE)
		REPORT(ctx, c->privileged.pos,
		       "runs privileged: every capability, every host device, no seccomp or "
		       "AppArmor confinement");
}

HULL_CHECK(priv_esc)
{
	const struct hull_container *c = ctx->c;
	bool k8s = hull_pss_k8s(ctx);
	/* Kubernetes: the field exists from v1.8; Windows pods cannot set it */
	if (c->allow_priv_esc.v == HULL_FALSE ||
	    (k8s && (!hull_pss_since(ctx, 8) || hull_pss_windows_exempt(ctx))))
		return;
	if (c->allow_priv_esc.v == HULL_TRUE)
		REPORT(ctx, c->allow_priv_esc.pos, "%s",
		       k8s ? "sets allowPrivilegeEscalation: true: setuid binaries can raise "
		             "privileges"
		           : "allows privilege escalation: setuid binaries can raise privileges");
	else
		REPORT(ctx, c->pos, "%s",
		       k8s ? "does not set allowPrivilegeEscalation: false, so setuid binaries "
		             "can raise privileges"
		           : "does not set no-new-privileges, so setuid binaries can raise "
		             "privileges");
}

static const char *no_user_message(const struct hull_workload *w, const struct hull_container *c)
{
	switch (w->input) {
	case HULL_INPUT_DOCKERFILE:
		return "no USER instruction in the final stage or the stages it is built from: "
		       "the container runs as the base image's user, root unless the base image "
		       "sets another";
	case HULL_INPUT_K8S:
		return "no runAsUser in the container or pod securityContext and runAsNonRoot is "
		       "not true: the image's user applies, root unless the image sets USER";
	case HULL_INPUT_COMPOSE:
		return "no `user:` in the service: the image's user applies, root unless the image "
		       "sets USER";
	case HULL_INPUT_ECS:
		return "no `user` in the container definition: the image's user applies, root "
		       "unless the image sets USER";
	case HULL_INPUT_IMAGE:
		return "the image config sets no User: the container runs as root";
	default:
		(void)c;
		return "no user is set (Config.User is empty): the container runs as root";
	}
}

HULL_CHECK(root)
{
	const struct hull_container *c = ctx->c;
	const struct hull_user *u = &c->user;
	if (hull_pss_k8s(ctx)) {
		hull_pss_run_as_user(ctx);
		return;
	}
	if (u->uid_known && u->uid == 0) {
		REPORT(ctx, u->spec.pos, "runs as root: %s sets user '%s'",
		       u->origin ? u->origin : "the configuration", u->spec.v ? u->spec.v : "0");
		return;
	}
	if (u->spec.v && *u->spec.v)
		return;
	if (u->non_root.v == HULL_TRUE)
		return; /* the kubelet refuses to start it as root */
	REPORT(ctx, c->pos, "runs as root: %s", no_user_message(ctx->w, c));
}

HULL_CHECK(run_as_non_root)
{
	const struct hull_container *c = ctx->c;
	const struct hull_vbool *nr = &c->user.non_root;
	if (hull_pss_k8s(ctx)) {
		hull_pss_run_as_non_root(ctx);
		return;
	}
	if (nr->v == HULL_TRUE)
		return;
	if (nr->v == HULL_FALSE)
		REPORT(ctx, nr->pos, "sets runAsNonRoot: false");
	else
		REPORT(ctx, c->pos,
		       "does not set runAsNonRoot: true (in the container or the pod "
		       "securityContext), so nothing stops it from running as root");
}

HULL_CHECK(low_uid)
{
	const struct hull_container *c = ctx->c;
	const struct hull_user *u = &c->user;
	if (!u->uid_known)
		REPORT(ctx, c->pos,
		       "sets no numeric runAsUser: the UID comes from the image and "
		       "may collide with host users (use one above 10000)");
	else if (u->uid < 10000)
		REPORT(ctx, u->spec.pos,
		       "runs with UID %lld, below 10000: it may collide with a "
		       "host user's UID",
		       (long long)u->uid);
}

HULL_CHECK(low_gid)
{
	const struct hull_container *c = ctx->c;
	const struct hull_vint *g = &c->user.group;
	if (!g->set)
		REPORT(ctx, c->pos,
		       "sets no runAsGroup: the GID comes from the image (use one "
		       "above 10000)");
	else if (g->v < 10000)
		REPORT(ctx, g->pos,
		       "runs with GID %lld, below 10000: it may collide with a host "
		       "group's GID",
		       (long long)g->v);
}

HULL_CHECK(root_group)
{
	const struct hull_workload *w = ctx->w;
	for (size_t i = 0; i < w->containers.n; i++) {
		const struct hull_vint *g = &w->containers.v[i].user.group;
		if (g->set && g->v == 0) {
			ctx->c = &w->containers.v[i];
			REPORT(ctx, g->pos,
			       "runs with the root group (GID 0) as its primary group");
		}
	}
	ctx->c = NULL;
	if (w->fs_group.set && w->fs_group.v == 0)
		REPORT(ctx, w->fs_group.pos,
		       "sets fsGroup: 0: volumes are owned by the root group");
	for (size_t i = 0; i < w->supplemental_groups.n; i++)
		if (w->supplemental_groups.v[i].v == 0)
			REPORT(ctx, w->supplemental_groups.v[i].pos,
			       "adds the root group (GID 0) to %s",
			       w->input == HULL_INPUT_COMPOSE ? "group_add" : "supplementalGroups");
}

HULL_CHECK(rw_rootfs)
{
	const struct hull_container *c = ctx->c;
	if (c->read_only_root.v == HULL_TRUE)
		return;
	if (c->read_only_root.v == HULL_FALSE)
		REPORT(ctx, c->read_only_root.pos, "sets a writable root file system explicitly");
	else
		REPORT(ctx, c->pos,
		       "has a writable root file system: an intruder can change "
		       "binaries and drop tools");
}

/* ---- host namespaces -------------------------------------------------- */

static void host_ns(struct hull_rule_ctx *ctx, const struct hull_vbool *b, const char *what)
{
	if (b->v == HULL_TRUE)
		REPORT(ctx, b->pos, "shares the host's %s", what);
}

HULL_CHECK(host_network)
{
	host_ns(ctx, &ctx->w->host_network,
	        "network namespace: it sees every host interface and can bind host ports, and "
	        "services listening on localhost are reachable");
}

HULL_CHECK(host_pid)
{
	host_ns(ctx, &ctx->w->host_pid,
	        "PID namespace: it sees every host process and can signal or trace them");
}

HULL_CHECK(host_ipc)
{
	host_ns(ctx, &ctx->w->host_ipc,
	        "IPC namespace: it can read and write other processes' shared memory");
}

HULL_CHECK(host_uts)
{
	host_ns(ctx, &ctx->w->host_uts, "UTS namespace: it can change the host's hostname");
}

HULL_CHECK(host_userns)
{
	host_ns(ctx, &ctx->w->host_users,
	        "user namespace: root in the container is root on the host even where the "
	        "daemon remaps users");
}

HULL_CHECK(host_process)
{
	const struct hull_container *c = ctx->c;
	if (hull_pss_k8s(ctx)) {
		hull_pss_host_process(ctx);
		return;
	}
	if (c->host_process.v == HULL_TRUE)
		REPORT(
		    ctx, c->host_process.pos,
		    "runs as a Windows HostProcess container: direct access to the Windows host");
}

/* ---- host paths ------------------------------------------------------ */

/* docker_engine: the engine's named pipe on Windows (\\.\pipe\docker_engine) */
static const char *const sockets[] = {
    "docker.sock",     "containerd.sock",  "crio.sock",      "podman.sock",
    "dockershim.sock", "cri-dockerd.sock", "buildkitd.sock", "docker_engine",
};

static bool is_socket(const char *p, const char **name)
{
	const char *base = p + strlen(p);
	while (base > p && base[-1] != '/' && base[-1] != '\\')
		base--;
	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
		if (!strcmp(base, sockets[i])) {
			*name = sockets[i];
			return true;
		}
	}
	return false;
}

/* path with duplicate and trailing slashes removed */
static void normalize(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; *in && o + 1 < n; in++) {
		if (*in == '/' && o && out[o - 1] == '/')
			continue;
		out[o++] = *in;
	}
	while (o > 1 && out[o - 1] == '/')
		o--;
	out[o] = 0;
}

static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(p, dir, n) && (p[n] == '/' || p[n] == 0);
}

/* Why a host path is sensitive, or NULL. */
static const char *sensitive(const char *path, bool read_only)
{
	static const char *const exact[] = {"/",    "/bin",  "/sbin", "/lib", "/lib64",  "/usr",
	                                    "/var", "/home", "/etc",  "/run", "/var/run"};
	static const char *const trees[] = {"/proc",
	                                    "/sys",
	                                    "/boot",
	                                    "/dev",
	                                    "/root",
	                                    "/var/lib/docker",
	                                    "/var/lib/containerd",
	                                    "/var/lib/kubelet",
	                                    "/etc/kubernetes",
	                                    "/var/lib/etcd"};
	char p[512];
	normalize(path, p, sizeof(p));
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(p, exact[i]))
			return "a host system directory";
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++)
		if (under(p, trees[i]))
			return "a host system directory";
	if (!read_only && (under(p, "/etc") || under(p, "/usr") || under(p, "/lib") ||
	                   under(p, "/bin") || under(p, "/sbin")))
		return "a host system file, writable";
	return NULL;
}

enum path_class { PATH_SOCKET, PATH_SENSITIVE, PATH_OTHER };

static enum path_class classify_path(const struct hull_volume *v)
{
	const char *name;
	if (is_socket(v->host_path, &name))
		return PATH_SOCKET;
	return sensitive(v->host_path, v->read_only) ? PATH_SENSITIVE : PATH_OTHER;
}

/* Compose binds of the project's own files ("./src:/app") are how Compose
 * is used; they are not host paths in the PSS sense. */
static bool project_relative(const struct hull_workload *w, const char *p)
{
	return w->input == HULL_INPUT_COMPOSE && (!strcmp(p, ".") || !strncmp(p, "./", 2) ||
	                                          !strcmp(p, "..") || !strncmp(p, "../", 3));
}

static void host_paths(struct hull_rule_ctx *ctx, enum path_class cls)
{
	const struct hull_workload *w = ctx->w;
	for (size_t i = 0; i < w->volumes.n; i++) {
		const struct hull_volume *v = &w->volumes.v[i];
		if (!v->host_path || classify_path(v) != cls ||
		    (cls == PATH_OTHER && project_relative(w, v->host_path)))
			continue;
		const char *sock = NULL;
		switch (cls) {
		case PATH_SOCKET:
			is_socket(v->host_path, &sock);
			REPORT(ctx, v->pos,
			       "mounts the container runtime socket %s: whoever can talk to it "
			       "controls the host",
			       v->host_path);
			break;
		case PATH_SENSITIVE:
			REPORT(ctx, v->pos, "mounts %s from the host (%s%s)", v->host_path,
			       sensitive(v->host_path, v->read_only),
			       v->read_only ? ", read-only" : "");
			break;
		case PATH_OTHER:
			REPORT(ctx, v->pos, "mounts the host path %s%s", v->host_path,
			       v->read_only ? " (read-only)" : "");
			break;
		}
	}
}

HULL_CHECK(runtime_socket)
{
	host_paths(ctx, PATH_SOCKET);
}

HULL_CHECK(sensitive_mount)
{
	host_paths(ctx, PATH_SENSITIVE);
}

HULL_CHECK(host_path)
{
	host_paths(ctx, PATH_OTHER);
}

HULL_CHECK(volume_types)
{
	static const char *const allowed[] = {"configMap", "csi",       "downwardAPI",
	                                      "emptyDir",  "ephemeral", "image",
	                                      "projected", "secret",    "persistentVolumeClaim"};
	const struct hull_workload *w = ctx->w;
	for (size_t i = 0; i < w->volumes.n; i++) {
		const struct hull_volume *v = &w->volumes.v[i];
		bool ok = false;
		for (size_t k = 0; v->type && k < sizeof(allowed) / sizeof(allowed[0]); k++)
			ok |= !strcmp(v->type, allowed[k]);
		/* host paths have their own rules */
		if (!ok && !v->host_path)
			REPORT(
			    ctx, hull_pos_pick(v->type_pos, v->pos, w->pos),
			    "volume %s is of type %s, which the Restricted profile does not allow",
			    v->name ? v->name : "(unnamed)", v->type ? v->type : "(unknown)");
	}
}

HULL_CHECK(mount_propagation)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->mounts.n; i++) {
		const char *p = c->mounts.v[i].propagation;
		if (p && (!strcasecmp(p, "shared") || !strcasecmp(p, "rshared") ||
		          !strcasecmp(p, "Bidirectional")))
			REPORT(ctx, c->mounts.v[i].pos,
			       "mounts %s with %s propagation: mounts made in the container appear "
			       "on the host",
			       c->mounts.v[i].target ? c->mounts.v[i].target : "a volume", p);
	}
}

HULL_CHECK(devices)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->devices.n; i++)
		REPORT(ctx, c->devices.v[i].pos, "has direct access to the host %s%s",
		       c->devices.v[i].v && !strncmp(c->devices.v[i].v, "devices ", 8) ? ""
		                                                                       : "device ",
		       c->devices.v[i].v ? c->devices.v[i].v : "?");
}

/* ---- ports ----------------------------------------------------------- */

HULL_CHECK(host_port)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->ports.n; i++)
		if (c->ports.v[i].host_port != 0)
			REPORT(ctx, c->ports.v[i].pos,
			       "uses hostPort %lld: the pod binds a port on its node",
			       (long long)c->ports.v[i].host_port);
}

HULL_CHECK(privileged_port)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *p = &c->ports.v[i];
		if (p->host_port > 0 && p->host_port < 1024)
			REPORT(ctx, p->pos,
			       "maps container port %lld to the privileged host port %lld",
			       (long long)p->container_port, (long long)p->host_port);
	}
}

static bool all_interfaces(const char *ip)
{
	return !ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::") || !strcmp(ip, "[::]");
}

HULL_CHECK(port_all_interfaces)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *p = &c->ports.v[i];
		if (!p->published || !all_interfaces(p->host_ip))
			continue;
		if (p->host_port)
			REPORT(ctx, p->pos,
			       "publishes port %lld on every host interface (host port "
			       "%lld); bind it to one address",
			       (long long)p->container_port, (long long)p->host_port);
		else
			REPORT(ctx, p->pos,
			       "publishes port %lld on every host interface (a random "
			       "host port); bind it to one address",
			       (long long)p->container_port);
	}
}

HULL_CHECK(ssh_port)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *p = &c->ports.v[i];
		bool in_range =
		    p->container_port > 0 && p->container_port <= 22 &&
		    (p->container_port_end ? p->container_port_end : p->container_port) >= 22;
		if (in_range || p->host_port == 22)
			REPORT(ctx, p->pos,
			       "%s port 22 (SSH): containers should not run an SSH "
			       "server",
			       p->exposed_only ? "exposes" : "opens");
	}
}

HULL_CHECK(port_range)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->ports.n; i++) {
		const struct hull_port *p = &c->ports.v[i];
		int64_t end = p->container_port_end ? p->container_port_end : p->container_port;
		if (p->container_port < 0)
			REPORT(ctx, p->pos, "port '%s' is not a port number",
			       p->name ? p->name : "?");
		else if (p->host_port < 0 && p->host_raw)
			REPORT(ctx, p->pos,
			       "published port '%s' is neither a port number nor a range: the "
			       "engine refuses it (a host address goes in host_ip)",
			       p->host_raw);
		else if (p->container_port > 65535 || end > 65535 || end < p->container_port ||
		         p->host_port > 65535 || p->host_port < 0)
			REPORT(ctx, p->pos, "port %lld%s is outside 0-65535",
			       (long long)(p->host_port > 65535 || p->host_port < 0 ? p->host_port
			                                                            : end),
			       p->host_port > 65535 || p->host_port < 0 ? " (host)" : "");
	}
}

/* ---- security profiles ---------------------------------------------- */

HULL_CHECK(seccomp_unconfined)
{
	const struct hull_workload *w = ctx->w;
	bool pod_reported = false;
	if (hull_pss_k8s(ctx)) {
		hull_pss_seccomp_forbidden(ctx);
		return;
	}
	for (size_t i = 0; i < w->containers.n; i++) {
		const struct hull_container *c = &w->containers.v[i];
		if (c->seccomp.type != HULL_PROFILE_UNCONFINED)
			continue;
		bool from_pod = w->pod_seccomp.type == HULL_PROFILE_UNCONFINED &&
		                c->seccomp.pos.line == w->pod_seccomp.pos.line &&
		                c->seccomp.pos.col == w->pod_seccomp.pos.col;
		if (from_pod && pod_reported)
			continue;
		pod_reported |= from_pod;
		ctx->c = from_pod ? NULL : c;
		REPORT(ctx, c->seccomp.pos,
		       "runs without a seccomp profile (%s): every system call "
		       "is allowed",
		       c->seccomp.value ? c->seccomp.value : "Unconfined");
	}
	ctx->c = NULL;
	if (w->pod_seccomp.type == HULL_PROFILE_UNCONFINED && !pod_reported)
		REPORT(ctx, w->pod_seccomp.pos,
		       "sets the pod's seccomp profile to Unconfined (every container that does "
		       "not override it runs without seccomp)");
}

/* Kubernetes only: explicit bad values are HULL-C031's. */
HULL_CHECK(seccomp_unset)
{
	hull_pss_seccomp_missing(ctx);
}

HULL_CHECK(apparmor)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *c = ctx->c;
	const struct hull_profile *p = &c->apparmor;
	if (hull_pss_k8s(ctx)) {
		hull_pss_apparmor(ctx);
		return;
	}
	if (p->type == HULL_PROFILE_UNCONFINED)
		REPORT(ctx, p->pos, "runs without AppArmor confinement (%s)",
		       p->value ? p->value : "unconfined");
	else if (p->type == HULL_PROFILE_INVALID)
		REPORT(ctx, p->pos,
		       "sets AppArmor profile '%s', which is neither the runtime "
		       "default nor a localhost profile",
		       p->value ? p->value : "?");
	/* a pod-level Unconfined the container overrides still breaks the
	 * Baseline profile: report it once, on the first container */
	else if (c == &w->containers.v[0] && w->pod_apparmor.type == HULL_PROFILE_UNCONFINED) {
		ctx->c = NULL;
		REPORT(ctx, w->pod_apparmor.pos, "sets the pod's AppArmor profile to Unconfined");
		ctx->c = c;
	}
}

static void selinux_of(struct hull_rule_ctx *ctx, const struct hull_selinux *s, const char *lvl)
{
	if (s->type.v && !hull_pss_selinux_type_ok(ctx, s->type.v))
		REPORT(ctx, s->type.pos,
		       "sets the %s SELinux type '%s' (allowed: container_t, container_init_t, "
		       "container_kvm_t%s)",
		       lvl, s->type.v,
		       hull_pss_selinux_type_ok(ctx, "container_engine_t") ? ", container_engine_t"
		                                                           : "");
	if (s->user.v && *s->user.v)
		REPORT(ctx, s->user.pos, "sets a custom %s SELinux user '%s'", lvl, s->user.v);
	if (s->role.v && *s->role.v)
		REPORT(ctx, s->role.pos, "sets a custom %s SELinux role '%s'", lvl, s->role.v);
}

HULL_CHECK(selinux_custom)
{
	const struct hull_workload *w = ctx->w;
	selinux_of(ctx, &w->pod_selinux, "pod");
	for (size_t i = 0; i < w->containers.n; i++) {
		ctx->c = &w->containers.v[i];
		selinux_of(ctx, &ctx->c->selinux, "container");
	}
	ctx->c = NULL;
}

HULL_CHECK(selinux_disabled)
{
	const struct hull_container *c = ctx->c;
	if (c->selinux.disabled.v == HULL_TRUE)
		REPORT(ctx, c->selinux.disabled.pos, "disables SELinux separation (label=disable)");
}

HULL_CHECK(proc_mount)
{
	const struct hull_container *c = ctx->c;
	if (hull_pss_proc_mount_relaxed(ctx))
		return;
	if (c->proc_mount.v && strcmp(c->proc_mount.v, "Default"))
		REPORT(ctx, c->proc_mount.pos, "sets procMount: %s: /proc is not masked",
		       c->proc_mount.v);
}

/* Kubernetes: the safe set of the policy version; elsewhere the newest. */
HULL_CHECK(sysctls)
{
	const struct hull_workload *w = ctx->w;
	for (size_t i = 0; i < w->sysctls.n; i++) {
		const char *name = w->sysctls.v[i].key;
		int since = hull_pss_sysctl_since(name);
		if (since >= 0 && (!hull_pss_k8s(ctx) || hull_pss_since(ctx, (unsigned)since)))
			continue;
		if (since >= 0)
			REPORT(ctx, w->sysctls.v[i].pos,
			       "sets sysctl %s, which the Pod Security Standards allow only from "
			       "v1.%d (this check is for an older version)",
			       name, since);
		else
			REPORT(ctx, w->sysctls.v[i].pos,
			       "sets sysctl %s, which is not in the safe set (it may affect the "
			       "host or other pods)",
			       name ? name : "?");
	}
}

HULL_CHECK(probe_host)
{
	const struct hull_container *c = ctx->c;
	if (hull_pss_k8s(ctx) && !hull_pss_since(ctx, 34))
		return; /* a control since v1.34 */
	for (size_t i = 0; i < c->probe_hosts.n; i++)
		if (c->probe_hosts.v[i].v && *c->probe_hosts.v[i].v)
			REPORT(ctx, c->probe_hosts.v[i].pos,
			       "a probe or lifecycle hook targets host '%s': the kubelet connects "
			       "there from the node",
			       c->probe_hosts.v[i].v);
}

/* ---- namespaces ------------------------------------------------------ */

HULL_CHECK(kube_system)
{
	const struct hull_workload *w = ctx->w;
	if (w->namespace && !strcmp(w->namespace, "kube-system"))
		REPORT(ctx, w->pos, "is deployed in the kube-system namespace");
}

HULL_CHECK(default_namespace)
{
	const struct hull_workload *w = ctx->w;
	if (w->namespace && !strcmp(w->namespace, "default"))
		REPORT(ctx, w->pos, "is deployed in the default namespace");
}

HULL_CHECK(host_aliases)
{
	const struct hull_workload *w = ctx->w;
	if (w->host_aliases.n)
		REPORT(ctx, w->host_aliases.v[0].pos,
		       "manages /etc/hosts through hostAliases (%s ...)",
		       w->host_aliases.v[0].v ? w->host_aliases.v[0].v : "");
}

HULL_CHECK(cgroup_parent)
{
	const struct hull_workload *w = ctx->w;
	if (w->cgroup_parent.v && *w->cgroup_parent.v)
		REPORT(ctx, w->cgroup_parent.pos, "runs under the custom cgroup parent %s",
		       w->cgroup_parent.v);
}
