/* Running containers from the kernel's view alone: /proc/PID/{status,
 * cgroup,ns,mountinfo} and the cgroup limit files, under a root. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/internal.h"
#include "host/runtime.h"
#include "misconfig/fe.h"
#include "util/mem.h"

#define MAX_PROCS 65536
#define N(a)      (sizeof(a) / sizeof((a)[0]))

static const char *const cap_names[] = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};

/* The default set of Docker, podman and containerd (moby's defaults). */
#define DEFAULT_CAPS      0x00000000a80425fbull
#define CAP_SYS_ADMIN_BIT 21

void hull_cap_names(unsigned long long mask, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		char one[32];
		if (b < N(cap_names))
			snprintf(one, sizeof(one), "CAP_%s", cap_names[b]);
		else
			snprintf(one, sizeof(one), "CAP_%u", b);
		int k = snprintf(out + used, n - used, "%s%s", used ? "," : "", one);
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
}

static unsigned long long hexmask(const char *s)
{
	return strtoull(s, NULL, 16);
}

void hull_proc_status_parse(const char *data, size_t len, struct hull_proc_status *st)
{
	memset(st, 0, sizeof(*st));
	st->uid = st->gid = st->ppid = st->nspid_last = -1;
	st->no_new_privs = st->seccomp = -1;
	struct hull_str rest = hull_str(data, len), line;
	unsigned lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		struct hull_str key, val;
		if (!hull_str_split(line, ':', &key, &val))
			continue;
		char v[256];
		val = hull_str_trim(val);
		snprintf(v, sizeof(v), "%.*s", (int)(val.len < 255 ? val.len : 255), val.ptr);
		if (hull_str_eq_c(key, "Uid")) {
			/* real, effective, saved, fs: the effective one decides */
			long r, e;
			if (sscanf(v, "%ld %ld", &r, &e) == 2)
				st->uid = e;
			st->uid_line = lineno;
		} else if (hull_str_eq_c(key, "Gid")) {
			long r, e;
			if (sscanf(v, "%ld %ld", &r, &e) == 2)
				st->gid = e;
		} else if (hull_str_eq_c(key, "CapEff")) {
			st->capeff = hexmask(v);
			st->have_capeff = true;
		} else if (hull_str_eq_c(key, "CapBnd")) {
			st->capbnd = hexmask(v);
			st->have_capbnd = true;
			st->capbnd_line = lineno;
		} else if (hull_str_eq_c(key, "NoNewPrivs")) {
			st->no_new_privs = atoi(v);
			st->nnp_line = lineno;
		} else if (hull_str_eq_c(key, "Seccomp")) {
			st->seccomp = atoi(v);
			st->seccomp_line = lineno;
		} else if (hull_str_eq_c(key, "PPid")) {
			st->ppid = atol(v);
		} else if (hull_str_eq_c(key, "NSpid")) {
			const char *last = strrchr(v, '\t');
			if (!last)
				last = strrchr(v, ' ');
			st->nspid_last = atol(last ? last + 1 : v);
		}
	}
}

/* ---- processes ------------------------------------------------------------ */

struct proc {
	int pid;
	long ppid;
	char id[72];
	char runtime[16];
	char cgroup[1024]; /* the file's text, for limits */
	char ns[7][64];    /* pid net ipc uts mnt user cgroup */
};

static const char *const ns_names[] = {"pid", "net", "ipc", "uts", "mnt", "user", "cgroup"};

static void read_ns(const struct hroot *r, const char *pid, char ns[7][64])
{
	char rel[64];
	snprintf(rel, sizeof(rel), "/proc/%s/ns", pid);
	int dfd = hroot_opendir(r, rel);
	for (size_t i = 0; i < N(ns_names); i++) {
		ns[i][0] = '\0';
		if (dfd < 0)
			continue;
		ssize_t n = readlinkat(dfd, ns_names[i], ns[i], 63);
		ns[i][n > 0 ? n : 0] = '\0';
	}
	if (dfd >= 0)
		close(dfd);
}

/* The container id (64 hex digits) a cgroup file names, the runtime, and
 * false for runtime helpers (conmon) and ordinary processes. */
static bool container_of(const char *cgroup, char *id, size_t idn, char *rt, size_t rtn)
{
	id[0] = rt[0] = '\0';
	if (strstr(cgroup, "conmon"))
		return false;
	for (const char *p = cgroup; *p; p++) {
		size_t k = 0;
		while (isxdigit((unsigned char)p[k]) && !isupper((unsigned char)p[k]))
			k++;
		bool edge = p == cgroup || !isxdigit((unsigned char)p[-1]);
		if (k == 64 && edge) {
			snprintf(id, idn, "%.64s", p);
			const char *line = p;
			while (line > cgroup && line[-1] != '\n')
				line--;
			char path[1024];
			snprintf(path, sizeof(path), "%.*s", (int)(p - line), line);
			snprintf(rt, rtn, "%s",
			         strstr(path, "libpod")       ? "podman"
			         : strstr(path, "crio")       ? "cri-o"
			         : strstr(path, "kubepods")   ? "kubepods"
			         : strstr(path, "containerd") ? "containerd"
			         : strstr(path, "docker")     ? "docker"
			                                      : "?");
			p += 63;
		}
	}
	return id[0] != '\0';
}

/* ---- limits ------------------------------------------------------------ */

/* The cgroup path of a controller ("memory") or of the v2 hierarchy
 * (controller ""), from /proc/PID/cgroup. */
static bool cg_path(const char *cgroup, const char *ctrl, char *out, size_t n)
{
	struct hull_str rest = hull_str_c(cgroup), line;
	while (hull_str_next_line(&rest, &line)) {
		struct hull_str hier, r, ctrls, path;
		if (!hull_str_split(line, ':', &hier, &r) || !hull_str_split(r, ':', &ctrls, &path))
			continue;
		bool match = !*ctrl ? ctrls.len == 0 : false;
		for (struct hull_str c = ctrls, one, more; *ctrl && c.len; c = more) {
			hull_str_split(c, ',', &one, &more);
			if (hull_str_eq_c(one, ctrl))
				match = true;
			if (!more.len)
				break;
		}
		if (match) {
			snprintf(out, n, "%.*s", (int)path.len, path.ptr);
			return true;
		}
	}
	return false;
}

struct limit {
	bool found;
	double v; /* 0: unlimited */
	char raw[64];
	char file[PATH_MAX];
};

/* memory/pids/cpu from v2 (unified) or v1 files */
static void read_limit(const struct hroot *r, const char *cgroup, const char *what,
                       struct limit *lim)
{
	memset(lim, 0, sizeof(*lim));
	char path[1024], rel[PATH_MAX];
	struct stat st;
	bool v2 = hroot_stat(r, "/sys/fs/cgroup/cgroup.controllers", &st) == 0;
	/* v1 first where its controller is mounted (hybrid hosts keep limits there) */
	const char *v1ctrl = !strcmp(what, "cpu") ? "cpu" : what;
	if (!v2 && cg_path(cgroup, v1ctrl, path, sizeof(path))) {
		static const struct {
			const char *what, *dir, *file;
		} v1[] = {{"memory", "memory", "memory.limit_in_bytes"},
		          {"pids", "pids", "pids.max"},
		          {"cpu", "cpu", "cpu.cfs_quota_us"}};
		for (size_t i = 0; i < N(v1); i++) {
			if (strcmp(v1[i].what, what))
				continue;
			snprintf(rel, sizeof(rel), "/sys/fs/cgroup/%s%s/%s", v1[i].dir, path,
			         v1[i].file);
			char *val = hroot_read_trim(r, rel);
			if (!val)
				continue;
			lim->found = true;
			snprintf(lim->file, sizeof(lim->file), "%s", rel);
			snprintf(lim->raw, sizeof(lim->raw), "%s", val);
			if (!strcmp(what, "memory")) {
				double b = strtod(val, NULL);
				lim->v = b >= 4611686018427387904.0
				             ? 0
				             : b; /* "no limit" is near 2^63 */
			} else if (!strcmp(what, "pids")) {
				lim->v = !strcmp(val, "max") ? 0 : strtod(val, NULL);
			} else {
				double q = strtod(val, NULL);
				char prel[PATH_MAX];
				snprintf(prel, sizeof(prel),
				         "/sys/fs/cgroup/cpu%s/cpu.cfs_period_us", path);
				char *per = hroot_read_trim(r, prel);
				double p = per ? strtod(per, NULL) : 100000;
				free(per);
				lim->v = q > 0 && p > 0 ? q / p : 0;
			}
			free(val);
		}
		return;
	}
	if (!cg_path(cgroup, "", path, sizeof(path)))
		return;
	const char *file = !strcmp(what, "memory") ? "memory.max"
	                   : !strcmp(what, "pids") ? "pids.max"
	                                           : "cpu.max";
	snprintf(rel, sizeof(rel), "/sys/fs/cgroup%s%s/%s", v2 ? "" : "/unified", path, file);
	char *val = hroot_read_trim(r, rel);
	if (!val)
		return;
	lim->found = true;
	snprintf(lim->file, sizeof(lim->file), "%s", rel);
	snprintf(lim->raw, sizeof(lim->raw), "%s", val);
	if (!strncmp(val, "max", 3)) {
		lim->v = 0;
	} else if (!strcmp(what, "cpu")) {
		double q = 0, p = 100000;
		sscanf(val, "%lf %lf", &q, &p);
		lim->v = p > 0 ? q / p : 0;
	} else {
		lim->v = strtod(val, NULL);
	}
	free(val);
}

/* ---- mounts ------------------------------------------------------------ */

struct mnt {
	char dev[32], root[512], point[512], opts[128], optional[128], fstype[32];
};

/* id parent major:minor root mountpoint opts [optional...] - fstype src super */
static bool mnt_parse(struct hull_str line, struct mnt *m)
{
	char buf[2048];
	if (line.len >= sizeof(buf))
		return false;
	memcpy(buf, line.ptr, line.len);
	buf[line.len] = '\0';
	char *f[32];
	size_t n = 0;
	for (char *save, *w = strtok_r(buf, " ", &save); w && n < N(f);
	     w = strtok_r(NULL, " ", &save))
		f[n++] = w;
	size_t dash = 6;
	while (dash < n && strcmp(f[dash], "-"))
		dash++;
	if (n < 7 || dash + 1 >= n)
		return false;
	snprintf(m->dev, sizeof(m->dev), "%s", f[2]);
	snprintf(m->root, sizeof(m->root), "%s", f[3]);
	snprintf(m->point, sizeof(m->point), "%s", f[4]);
	snprintf(m->opts, sizeof(m->opts), "%s", f[5]);
	m->optional[0] = '\0';
	for (size_t i = 6; i < dash; i++) {
		size_t l = strlen(m->optional);
		snprintf(m->optional + l, sizeof(m->optional) - l, "%s%s", l ? " " : "", f[i]);
	}
	snprintf(m->fstype, sizeof(m->fstype), "%s", f[dash + 1]);
	return true;
}

static bool has_opt(const char *opts, const char *o)
{
	size_t n = strlen(o);
	for (const char *p = opts; (p = strstr(p, o)); p += n)
		if ((p == opts || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

static bool runtime_mount(const struct mnt *m)
{
	static const char *const fstypes[] = {
	    "proc",     "sysfs",      "tmpfs",   "devpts",  "mqueue", "cgroup", "cgroup2",
	    "devtmpfs", "securityfs", "debugfs", "overlay", "shm",    "fusectl"};
	static const char *const points[] = {
	    "/etc/hosts",  "/etc/hostname", "/etc/resolv.conf",    "/run/.containerenv",
	    "/.dockerenv", "/dev/shm",      "/dev/termination-log"};
	static const char *const stores[] = {"/var/lib/docker/", "/var/lib/containers/",
	                                     "/var/lib/kubelet/", "/run/containers/",
	                                     "/var/lib/containerd/"};
	for (size_t i = 0; i < N(fstypes); i++)
		if (!strcmp(m->fstype, fstypes[i]))
			return true;
	for (size_t i = 0; i < N(points); i++)
		if (!strcmp(m->point, points[i]))
			return true;
	for (size_t i = 0; i < N(stores); i++)
		if (!strncmp(m->root, stores[i], strlen(stores[i])))
			return true;
	return !strcmp(m->point, "/") || !strncmp(m->point, "/proc", 5) ||
	       !strncmp(m->point, "/sys", 4) || !strncmp(m->point, "/dev", 4);
}

/* Where a container mount's source is on the host: the host mount of the
 * same device whose root is the longest prefix of ours. */
static bool host_path(const char *host_mounts, const struct mnt *m, char *out, size_t n)
{
	struct hull_str rest = hull_str_c(host_mounts), line;
	size_t best = 0;
	bool found = false;
	while (hull_str_next_line(&rest, &line)) {
		struct mnt h;
		if (!mnt_parse(line, &h) || strcmp(h.dev, m->dev))
			continue;
		size_t rl = strlen(h.root);
		bool prefix = !strcmp(h.root, "/") || (!strncmp(m->root, h.root, rl) &&
		                                       (m->root[rl] == '/' || !m->root[rl]));
		if (!prefix || (found && rl <= best))
			continue;
		best = rl;
		found = true;
		const char *tail = !strcmp(h.root, "/") ? m->root : m->root + rl;
		snprintf(out, n, "%s%s", strcmp(h.point, "/") ? h.point : "", tail);
		if (!out[0])
			snprintf(out, n, "/");
	}
	return found;
}

/* ---- the model ------------------------------------------------------------- */

struct ctx {
	struct hroot root;
	struct hull_model *m;
	struct hull_rt_list *l;
	struct hull_diag *diag;
	struct hull_err *err;
	char host_ns[7][64];
	struct hull_proc_status host_status;
	char *host_mounts;
	bool apparmor;
};

static struct hull_pos pos_at(struct ctx *x, const char *file, unsigned line)
{
	return (struct hull_pos){hull_model_file(x->m, file), line, 0};
}

static void fill_caps(struct ctx *x, struct hull_container *c, const struct hull_proc_status *st,
                      const char *status_file, bool privileged)
{
	struct hull_pos p = pos_at(x, status_file, st->capbnd_line);
	unsigned long long bnd = st->capbnd;
	if (!st->have_capbnd)
		return;
	if (!privileged) {
		/* what the container may hold beyond the engines' defaults */
		for (unsigned b = 0; b < 64 && b < N(cap_names); b++)
			if ((bnd & (1ull << b)) && !(DEFAULT_CAPS & (1ull << b)))
				hull_model_add_cap(x->m, &c->cap_add, cap_names[b], p);
	}
	if (bnd == 0) {
		hull_model_add_cap(x->m, &c->cap_drop, "ALL", p);
		return;
	}
	for (unsigned b = 0; b < 64 && b < N(cap_names); b++)
		if ((DEFAULT_CAPS & (1ull << b)) && !(bnd & (1ull << b)))
			hull_model_add_cap(x->m, &c->cap_drop, cap_names[b], p);
}

static void fill_limits(struct ctx *x, struct hull_container *c, const char *cgroup,
                        struct hull_rt_container *rc)
{
	static const char *const whats[] = {"memory", "cpu", "pids"};
	for (size_t i = 0; i < N(whats); i++) {
		struct limit lim;
		read_limit(&x->root, cgroup, whats[i], &lim);
		char *out = i == 0 ? rc->memory : i == 1 ? rc->cpu : rc->pids;
		if (!lim.found) {
			snprintf(out, 32, "?");
			continue;
		}
		if (lim.v <= 0)
			snprintf(out, 32, "max");
		else if (i == 0)
			snprintf(out, 32, "%.0f MiB", lim.v / 1048576.0);
		else
			snprintf(out, 32, "%g", lim.v);
		struct hull_vqty *q = i == 0   ? &c->res.mem_limit
		                      : i == 1 ? &c->res.cpu_limit
		                               : &c->res.pids_limit;
		hull_model_set_qty(x->m, q, hull_model_strdup(x->m, lim.raw), lim.v, true,
		                   pos_at(x, lim.file, 1));
	}
}

static void fill_mounts(struct ctx *x, struct hull_workload *w, struct hull_container *c, int pid)
{
	char rel[64], *data;
	size_t len;
	struct hull_err e = {0};
	snprintf(rel, sizeof(rel), "/proc/%d/mountinfo", pid);
	if (hroot_read(&x->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
		return;
	struct fe f = {.m = x->m, .file = hull_model_file(x->m, rel)};
	struct hull_str rest = hull_str(data, len), line;
	unsigned lineno = 0;
	while (hull_str_next_line(&rest, &line)) {
		lineno++;
		struct mnt mt;
		if (!mnt_parse(line, &mt))
			continue;
		struct hull_pos p = {f.file, lineno, 0};
		if (!strcmp(mt.point, "/")) {
			c->read_only_root.v = has_opt(mt.opts, "ro") ? HULL_TRUE : HULL_FALSE;
			c->read_only_root.pos = p;
			continue;
		}
		char host[1024];
		if (runtime_mount(&mt) || !x->host_mounts ||
		    !host_path(x->host_mounts, &mt, host, sizeof(host)))
			continue;
		const char *prop = strstr(mt.optional, "shared:") ? "shared" : NULL;
		fe_add_bind(&f, w, c, hull_model_strdup(x->m, host),
		            hull_model_strdup(x->m, mt.point), has_opt(mt.opts, "ro"), prop, p);
	}
	free(data);
}

static void one(struct ctx *x, const struct proc *p)
{
	char rel[64], pidtxt[16], *data;
	size_t len;
	struct hull_err e = {0};
	snprintf(pidtxt, sizeof(pidtxt), "%d", p->pid);
	snprintf(rel, sizeof(rel), "/proc/%d/status", p->pid);
	if (hroot_read(&x->root, rel, HOST_MAX_FILE, &data, &len, &e) < 0)
		return;
	struct hull_proc_status st;
	hull_proc_status_parse(data, len, &st);
	free(data);
	struct hull_rt_container rc = {0};
	snprintf(rc.id, sizeof(rc.id), "%s", p->id);
	snprintf(rc.name, sizeof(rc.name), "%.12s", p->id);
	snprintf(rc.source, sizeof(rc.source), "proc");
	snprintf(rc.runtime, sizeof(rc.runtime), "%s", p->runtime[0] ? p->runtime : "?");
	rc.pid = p->pid;
	snprintf(rel, sizeof(rel), "/proc/%d/comm", p->pid);
	char *comm = hroot_read_trim(&x->root, rel);
	snprintf(rc.comm, sizeof(rc.comm), "%s", comm ? comm : "?");
	free(comm);
	for (char *q = rc.comm; *q; q++)
		if (!isprint((unsigned char)*q))
			*q = '?';
	rc.uid = st.uid;
	rc.gid = st.gid;
	rc.no_new_privs = st.no_new_privs;
	rc.seccomp = st.seccomp;
	if (st.have_capeff)
		hull_cap_names(st.capeff, rc.capeff, sizeof(rc.capeff));
	else
		snprintf(rc.capeff, sizeof(rc.capeff), "?");
	rc.cap_sys_admin = (st.capeff >> CAP_SYS_ADMIN_BIT) & 1;

	const char *name = hull_model_printf(x->m, "%s (pid %d, %s)", rc.name, p->pid, rc.comm);
	snprintf(rel, sizeof(rel), "/proc/%d/status", p->pid);
	struct hull_pos pos = pos_at(x, rel, 1);
	struct hull_workload *w =
	    hull_model_add_workload(x->m, HULL_INPUT_RUNTIME, "container", name, pos);
	struct hull_container *c = w ? hull_model_add_container(x->m, w, name, pos) : NULL;
	if (!c)
		return;
	if (st.uid >= 0) {
		char spec[48];
		snprintf(spec, sizeof(spec), "%ld:%ld", st.uid, st.gid);
		hull_model_set_user(x->m, &c->user, hull_model_strdup(x->m, spec),
		                    hull_model_printf(x->m, "%s Uid", rel),
		                    pos_at(x, rel, st.uid_line));
	}
	/* privileged: the host's whole bounding set and no seccomp filter */
	bool privileged = st.have_capbnd && x->host_status.have_capbnd &&
	                  (st.capbnd & x->host_status.capbnd) == x->host_status.capbnd &&
	                  st.seccomp == 0;
	if (privileged) {
		c->privileged.v = HULL_TRUE;
		c->privileged.pos = pos_at(x, rel, st.capbnd_line);
	}
	fill_caps(x, c, &st, rel, privileged);
	if (st.no_new_privs >= 0) {
		c->allow_priv_esc.v = st.no_new_privs ? HULL_FALSE : HULL_TRUE;
		c->allow_priv_esc.pos = pos_at(x, rel, st.nnp_line);
	}
	/* privileged implies no seccomp: the engine view reports only C001 */
	if (st.seccomp >= 0 && !privileged) {
		c->seccomp.type =
		    st.seccomp == 0 ? HULL_PROFILE_UNCONFINED : HULL_PROFILE_RUNTIME_DEFAULT;
		c->seccomp.value = st.seccomp == 0   ? "unconfined"
		                   : st.seccomp == 1 ? "strict"
		                                     : "filter";
		c->seccomp.pos = pos_at(x, rel, st.seccomp_line);
	}
	if (x->apparmor) {
		char arel[64];
		snprintf(arel, sizeof(arel), "/proc/%d/attr/current", p->pid);
		char *aa = hroot_read_trim(&x->root, arel);
		if (aa && !strcmp(aa, "unconfined")) {
			c->apparmor.type = HULL_PROFILE_UNCONFINED;
			c->apparmor.value = "unconfined";
			c->apparmor.pos = pos_at(x, arel, 1);
		}
		free(aa);
	}
	/* namespaces shared with PID 1 */
	struct hull_vbool *nsb[] = {&w->host_pid, &w->host_network, &w->host_ipc, &w->host_uts};
	snprintf(rel, sizeof(rel), "/proc/%d/ns", p->pid);
	for (size_t i = 0; i < 4; i++) {
		if (!p->ns[i][0] || !x->host_ns[i][0])
			continue;
		bool same = !strcmp(p->ns[i], x->host_ns[i]);
		nsb[i]->v = same ? HULL_TRUE : HULL_FALSE;
		nsb[i]->pos = pos_at(x, hull_model_printf(x->m, "%s/%s", rel, ns_names[i]), 0);
		if (same) {
			size_t l = strlen(rc.host_ns);
			snprintf(rc.host_ns + l, sizeof(rc.host_ns) - l, "%s%s", l ? "," : "",
			         ns_names[i]);
		}
	}
	fill_limits(x, c, p->cgroup, &rc);
	fill_mounts(x, w, c, p->pid);
	if (HULL_ARRAY_PUSH_ROOM(x->l->v, x->l->n, x->l->cap, HULL_RUNTIME_MAX_CONTAINERS, NULL) ==
	    0)
		x->l->v[x->l->n++] = rc;
}

static bool digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : x->pid - y->pid;
}

/* The processes that belong to containers. */
static size_t find(struct ctx *x, struct proc **out)
{
	char **pids;
	size_t npids, n = 0, cap = 0;
	struct proc *v = NULL;
	hroot_list(&x->root, "/proc", MAX_PROCS, &pids, &npids);
	for (size_t i = 0; i < npids; i++) {
		if (!digits(pids[i]) || !strcmp(pids[i], "1"))
			continue;
		char rel[64];
		snprintf(rel, sizeof(rel), "/proc/%s/cgroup", pids[i]);
		char *cg = hroot_read_trim(&x->root, rel);
		if (!cg)
			continue;
		struct proc p = {.pid = atoi(pids[i])};
		snprintf(p.cgroup, sizeof(p.cgroup), "%s", cg);
		free(cg);
		read_ns(&x->root, pids[i], p.ns);
		bool in = container_of(p.cgroup, p.id, sizeof(p.id), p.runtime, sizeof(p.runtime));
		if (!in && !strstr(p.cgroup, "conmon") && p.ns[0][0] && x->host_ns[0][0] &&
		    strcmp(p.ns[0], x->host_ns[0])) {
			/* another PID namespace with no runtime cgroup: name it by the namespace */
			snprintf(p.id, sizeof(p.id), "%s", p.ns[0]);
			in = true;
		}
		if (!in)
			continue;
		snprintf(rel, sizeof(rel), "/proc/%s/status", pids[i]);
		char *data;
		size_t len;
		struct hull_err e = {0};
		if (hroot_read(&x->root, rel, HOST_MAX_FILE, &data, &len, &e) == 0) {
			struct hull_proc_status st;
			hull_proc_status_parse(data, len, &st);
			p.ppid = st.ppid;
			free(data);
		}
		if (HULL_ARRAY_PUSH_ROOM(v, n, cap, MAX_PROCS, NULL) < 0)
			break;
		v[n++] = p;
	}
	hroot_names_free(pids, npids);
	if (n)
		qsort(v, n, sizeof(*v), cmp_proc);
	*out = v;
	return n;
}

/* Per container, its init: the process whose parent is outside it. */
static const struct proc *init_of(const struct proc *v, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		bool parent_inside = false;
		for (size_t k = from; k < to && !parent_inside; k++)
			parent_inside = v[k].pid == v[i].ppid;
		if (!parent_inside)
			return &v[i];
	}
	return &v[from];
}

int hull_runtime_proc(const char *root, struct hull_model *m, struct hull_rt_list *l,
                      struct hull_diag *diag, struct hull_err *err)
{
	struct ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return hull_err_nomem(err);
	*x = (struct ctx){.m = m, .l = l, .diag = diag, .err = err};
	if (hroot_open(&x->root, root, err) < 0) {
		free(x);
		return -1;
	}
	read_ns(&x->root, "1", x->host_ns);
	char *data;
	size_t len;
	struct hull_err e = {0};
	if (hroot_read(&x->root, "/proc/1/status", HOST_MAX_FILE, &data, &len, &e) == 0) {
		hull_proc_status_parse(data, len, &x->host_status);
		free(data);
	} else {
		hull_diag_warn(
		    diag, "/proc/1/status: %s: privileged containers cannot be told apart", e.msg);
	}
	if (hroot_read(&x->root, "/proc/1/mountinfo", HOST_MAX_FILE, &x->host_mounts, &len, &e) < 0)
		x->host_mounts = NULL;
	char *aa = hroot_read_trim(&x->root, "/sys/module/apparmor/parameters/enabled");
	x->apparmor = aa && aa[0] == 'Y';
	free(aa);
	struct proc *v = NULL;
	size_t n = find(x, &v);
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && !strcmp(v[k].id, v[i].id))
			k++;
		one(x, init_of(v, i, k));
		i = k;
	}
	free(v);
	free(x->host_mounts);
	hroot_close(&x->root);
	free(x);
	if (m->failed) {
		*err = m->err;
		return -1;
	}
	return 0;
}

bool hull_runtime_proc_rule(const char *id)
{
	static const char *const mapped[] = {
	    "HULL-C001", "HULL-C002", "HULL-C003", "HULL-C004", "HULL-C005", "HULL-C006",
	    "HULL-C007", "HULL-C008", "HULL-C012", "HULL-C013", "HULL-C014", "HULL-C015",
	    "HULL-C016", "HULL-C017", "HULL-C020", "HULL-C021", "HULL-C022", "HULL-C024",
	    "HULL-C031", "HULL-C033", "HULL-C039", "HULL-C040", "HULL-C041",
	};
	for (size_t i = 0; i < N(mapped); i++)
		if (!strcmp(id, mapped[i]))
			return true;
	return false;
}

void hull_rt_list_release(struct hull_rt_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
