/* hull runtime's kernel view against the engine's, on the podman captures
 * of tools/run-test-containers.sh (samples/podman): a /proc and cgroup
 * tree is built from each container's captured status, cgroup file and
 * limit files (namespaces and the root mount as the options imply), read
 * by hull_runtime_proc, and its rule ids must equal those hull config
 * gives for the same container's inspect summary, for every rule both
 * views can see (hull_runtime_proc_rule) except the two the engine does
 * not state: C012 (the kernel sees gid 0 behind --user 0) and C033
 * (AppArmor, absent from the captured host). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/runtime.h"
#include "misconfig/load.h"
#include "misconfig/rules.h"
#include "tap.h"
#include "util/fs.h"

static char root[256];

static void put(const char *rel, const char *text)
{
	char path[2048], dir[2048];
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
}

static void ns_links(int pid, const char *shared)
{
	static const char *const names[] = {"pid", "net", "ipc", "uts", "mnt", "user", "cgroup"};
	for (int i = 0; i < 7; i++) {
		char rel[128], path[512], target[64];
		bool host = pid == 1 || strstr(shared, names[i]) || !strcmp(names[i], "user");
		snprintf(target, sizeof(target), "%s:[%d]", names[i],
		         host ? 40265318 + i : pid * 10 + i);
		snprintf(rel, sizeof(rel), "proc/%d/ns/x", pid);
		put(rel, "");
		snprintf(path, sizeof(path), "%s/proc/%d/ns/x", root, pid);
		unlink(path);
		snprintf(path, sizeof(path), "%s/proc/%d/ns/%s", root, pid, names[i]);
		if (symlink(target, path) < 0)
			perror(path);
	}
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len;
	struct hull_err err = {0};
	hull_fs_read_file(path, 1 << 20, &data, &len, &err);
	return data;
}

struct scenario {
	const char *dir;
	const char *shared_ns;
	bool read_only;
	const char *binds; /* extra mountinfo lines */
	const char *must;  /* ids the kernel view must give */
	const char *extra; /* ids only the kernel view can see */
};

static const struct scenario scenarios[] = {
    {"c-default", "", false, "", "HULL-C006 HULL-C007 HULL-C039 HULL-C040"},
    {"c-privileged", "", false, "", "HULL-C001 HULL-C008"},
    {"c-capsysadmin", "", false, "", "HULL-C002 HULL-C008"},
    {"c-root", "", false, "", "HULL-C008"},
    {"c-limits", "", false, "", ""},
    {"c-hostnet", "net", false, "", "HULL-C014"},
    {"c-hostns-mounts", "pid,ipc,uts", false,
     "30 20 8:1 /etc /host-etc ro,relatime - ext4 /dev/sda1 rw\n"
     "31 20 8:1 /var/log /host-log rw,relatime - ext4 /dev/sda1 rw\n",
     /* podman 4.3's inspect says IpcMode "shareable" for --ipc host; the
      * captured ns links show the host's IPC namespace */
     "HULL-C015 HULL-C016 HULL-C017 HULL-C020 HULL-C021 HULL-C031", "HULL-C016 "},
    {"c-hardened", "", true, "", "HULL-C040"},
};

static void ids_of(const struct hull_findings *f, char *out, size_t n, const char *skip)
{
	out[0] = '\0';
	/* sorted, unique, mapped rules only (minus the two the engine cannot state) */
	const struct hull_rule *rules;
	size_t nr;
	rules = hull_rules(&nr);
	for (size_t r = 0; r < nr; r++) {
		const char *id = rules[r].id;
		if (!hull_runtime_proc_rule(id) || !strcmp(id, "HULL-C012") ||
		    !strcmp(id, "HULL-C033") || (skip && strstr(skip, id)))
			continue;
		for (size_t i = 0; i < f->n; i++) {
			if (!strcmp(f->items[i].id, id)) {
				strncat(out, id, n - strlen(out) - 1);
				strncat(out, " ", n - strlen(out) - 1);
				break;
			}
		}
	}
}

static void run(const char *samples, const struct scenario *sc)
{
	char path[2200], rel[256];
	snprintf(path, sizeof(path), "%s/%s/summary.json", samples, sc->dir);
	char *summary = slurp(path);
	snprintf(path, sizeof(path), "%s/%s/proc-status.txt", samples, sc->dir);
	char *status = slurp(path);
	snprintf(path, sizeof(path), "%s/%s/proc-cgroup.txt", samples, sc->dir);
	char *cgroup = slurp(path);
	snprintf(path, sizeof(path), "%s/%s/cgroup-files.txt", samples, sc->dir);
	char *files = slurp(path);
	if (!summary || !status || !cgroup || !files) {
		TAP_OK(0, "%s: samples readable", sc->dir);
		goto out;
	}
	snprintf(root, sizeof(root), "/tmp/hull-rt-XXXXXX");
	if (!mkdtemp(root))
		goto out;
	/* the host: PID 1 with the full bounding set of the captured machine */
	put("proc/1/status", "Name:\tinit\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
	                     "CapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\nSeccomp:\t0\n");
	put("proc/1/cgroup", "0::/\n");
	put("proc/1/mountinfo", "20 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
	ns_links(1, "");
	int pid = 4242;
	snprintf(rel, sizeof(rel), "proc/%d/status", pid);
	put(rel, status);
	snprintf(rel, sizeof(rel), "proc/%d/cgroup", pid);
	put(rel, cgroup);
	snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
	put(rel, "sleep\n");
	char mi[2048];
	snprintf(mi, sizeof(mi), "1 0 0:50 / / %s,relatime - overlay overlay rw\n%s",
	         sc->read_only ? "ro" : "rw", sc->binds);
	snprintf(rel, sizeof(rel), "proc/%d/mountinfo", pid);
	put(rel, mi);
	ns_links(pid, sc->shared_ns);
	/* "/sys/fs/cgroup/X/path/file = value" lines */
	for (char *save, *l = strtok_r(files, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(l, " = ");
		if (!eq)
			continue;
		*eq = '\0';
		char val[128];
		snprintf(val, sizeof(val), "%s\n", eq + 3);
		put(l + 1, val);
	}
	struct hull_model *m = hull_model_new();
	struct hull_rt_list list = {0};
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	struct hull_findings kf = {0}, ef = {0};
	struct hull_check_opts opts = {0};
	int rc = hull_runtime_proc(root, m, &list, &diag, &err);
	if (rc == 0)
		rc = hull_misconfig_check(m, &opts, &kf, &err);
	TAP_OK(rc == 0 && list.n == 1, "%s: one container from /proc (%zu) %s", sc->dir, list.n,
	       err.msg);
	hull_model_free(m);
	m = hull_model_new();
	enum hull_config_kind kind;
	rc = hull_config_load(m, summary, strlen(summary), "summary.json", HULL_CONFIG_INSPECT,
	                      NULL, &kind, &err);
	if (rc == 0)
		rc = hull_misconfig_check(m, &opts, &ef, &err);
	hull_model_free(m);
	char kids[1024], eids[1024];
	char kall[1024];
	ids_of(&kf, kall, sizeof(kall), NULL);
	ids_of(&kf, kids, sizeof(kids), sc->extra);
	ids_of(&ef, eids, sizeof(eids), NULL);
	TAP_OK(rc == 0 && !strcmp(kids, eids), "%s: /proc gives [%s], the engine view [%s]",
	       sc->dir, kids, eids);
	char must[256];
	snprintf(must, sizeof(must), "%s", sc->must);
	for (char *save, *id = strtok_r(must, " ", &save); id; id = strtok_r(NULL, " ", &save))
		TAP_OK(strstr(kall, id) != NULL, "%s: /proc view reports %s", sc->dir, id);
	if (!strcmp(sc->dir, "c-hardened"))
		TAP_OK(!strcmp(kids, "HULL-C040 "), "c-hardened: only the missing CPU limit (%s)",
		       kids);
	if (list.n) {
		const struct hull_rt_container *c = &list.v[0];
		printf("# %s: uid %ld nnp %d seccomp %d mem %s cpu %s pids %s ns %s caps %s\n",
		       sc->dir, c->uid, c->no_new_privs, c->seccomp, c->memory, c->cpu, c->pids,
		       c->host_ns, c->capeff);
		if (!strcmp(sc->dir, "c-limits"))
			TAP_OK(!strcmp(c->memory, "256 MiB") && !strcmp(c->cpu, "0.5") &&
			           !strcmp(c->pids, "128"),
			       "c-limits: memory, CPU and pids limits from cgroup v1 files");
		if (!strcmp(sc->dir, "c-capsysadmin"))
			TAP_OK(c->cap_sys_admin && strstr(c->capeff, "CAP_SYS_ADMIN"),
			       "c-capsysadmin: CapEff decodes to CAP_SYS_ADMIN");
	}
	hull_findings_release(&kf);
	hull_findings_release(&ef);
	hull_rt_list_release(&list);
	hull_diag_release(&diag);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
out:
	free(summary);
	free(status);
	free(cgroup);
	free(files);
}

int main(void)
{
	const char *shared = getenv("HULL_SHARED");
	char samples[1024];
	snprintf(samples, sizeof(samples), "%s/tools/samples/podman", shared ? shared : "");
	if (!shared || access(samples, R_OK) != 0)
		return TAP_OK(0, "%s is missing: the unit tests read ../shared in place", samples),
		       tap_done();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run(samples, &scenarios[i]);
	/* the v2 layout: memory.max, cpu.max and pids.max */
	char buf[700];
	hull_cap_names(0xa80425fbull, buf, sizeof(buf));
	TAP_OK(!strcmp(buf,
	               "CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,"
	               "CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT,"
	               "CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP"),
	       "the default capability set decodes (%s)", buf);
	return tap_done();
}
