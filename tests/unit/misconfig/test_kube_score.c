/* kube-score's security checks on kube-score's own test manifests: the
 * grades kube-score expects (misconfig/kube-score/expected-grades.tsv) and
 * what hull reports agree. CRITICAL: a mapped rule fires. WARNING: the
 * critical rules stay quiet and, where hull has a rule for the warning, it
 * fires. OK: none of the mapped rules fire. Rows that need kube-score
 * options hull does not have (ignoring the CPU or memory limit) are
 * skipped and listed. */
#include "helpers.h"
#include "tap.h"

struct mapping {
	const char *check;
	const char *critical; /* rule ids, comma-separated */
	const char *warning;  /* may be NULL */
};

static const struct mapping map[] = {
    {"Container Security Context Privileged", "HULL-C001", NULL},
    {"Container Security Context ReadOnlyRootFilesystem", "HULL-C013", NULL},
    {"Container Security Context User Group ID", "HULL-C010,HULL-C011", NULL},
    {"Container Seccomp Profile", NULL, "HULL-C032"},
    {"Container Image Tag", "HULL-C045", NULL},
    {"Container Image Pull Policy", "HULL-C046", NULL},
    {"Container Resources", "HULL-C039,HULL-C040", "HULL-C042,HULL-C043"},
    {"Container Ephemeral Storage Request and Limit", "HULL-C044", NULL},
    /* readiness only: kube-score does not ask for a liveness probe */
    {"Pod Probes", "HULL-C049", NULL},
};

/* kube-score run with --ignore-container-cpu-limit / -memory-limit */
static const char *const needs_options[] = {"TestPodContainerResourceLimitCpuNotRequired",
                                            "TestPodContainerResourceNoLimitRequired"};

/* kube-score accepts the legacy seccomp.security.alpha.kubernetes.io
 * annotations; Pod Security Admission reads only the seccompProfile fields
 * from policy v1.19, and hull judges Kubernetes workloads as it does: these
 * rows must get the Restricted seccomp finding instead of OK. */
static const char *const pss_differs[] = {"TestContainerSeccompAllGood",
                                          "TestContainerSeccompAllGoodAnnotation"};

static bool listed(const char *const *l, size_t n, const char *fn)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(fn, l[i]))
			return true;
	return false;
}

static size_t hits(const struct hull_findings *f, const char *ids)
{
	size_t n = 0;
	char buf[256];
	if (!ids)
		return 0;
	snprintf(buf, sizeof(buf), "%s", ids);
	for (char *save, *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save))
		n += count_id(f, id);
	return n;
}

static void row(const char *dir, const char *file, const struct mapping *mp, const char *grade,
                const char *fn)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	struct hull_findings f = {0};
	struct hull_err err = {0};
	if (!TAP_OK(scan_path(path, HULL_CONFIG_K8S, HULL_PROFILE_ALL, &f, &err) == 0,
	            "%s scans (%s)", file, err.msg))
		return;
	size_t crit = hits(&f, mp->critical), warn = hits(&f, mp->warning);
	if (listed(pss_differs, sizeof(pss_differs) / sizeof(pss_differs[0]), fn))
		TAP_OK(crit == 0 && warn > 0,
		       "%s / %s (%s): kube-score OK with the alpha annotation; Pod Security "
		       "Admission (v1.19+) ignores it -> %s (got: %s)",
		       file, mp->check, fn, mp->warning, ids_of(&f));
	else if (!strncmp(grade, "CRITICAL", 8))
		TAP_OK(crit > 0, "%s / %s (%s): CRITICAL -> hull reports %s (got: %s)", file,
		       mp->check, fn, mp->critical, ids_of(&f));
	else if (!strncmp(grade, "WARNING", 7))
		TAP_OK(crit == 0 && (!mp->warning || warn > 0),
		       "%s / %s (%s): WARNING -> not %s%s%s (got: %s)", file, mp->check, fn,
		       mp->critical ? mp->critical : "-", mp->warning ? ", but " : "",
		       mp->warning ? mp->warning : "", ids_of(&f));
	else
		TAP_OK(crit == 0 && warn == 0, "%s / %s (%s): OK -> none of %s %s (got: %s)", file,
		       mp->check, fn, mp->critical ? mp->critical : "",
		       mp->warning ? mp->warning : "", ids_of(&f));
	hull_findings_release(&f);
}

int main(void)
{
	const char *tsv = tap_shared("misconfig/kube-score/expected-grades.tsv");
	if (!tsv)
		return tap_done(); /* tap_shared failed loudly */
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", tsv);
	*strrchr(dir, '/') = 0;
	strcat(dir, "/testdata");
	FILE *fp = fopen(tsv, "r");
	if (!fp)
		return TAP_OK(0, "cannot open %s", tsv), tap_done();
	char line[8192];
	size_t checked = 0;
	while (fgets(line, sizeof(line), fp)) {
		char *cols[6] = {0}, *rest = line;
		size_t n = 0;
		line[strcspn(line, "\n")] = 0;
		while (rest && n < 6)
			cols[n++] = strsep(&rest, "\t");
		if (n < 5)
			continue;
		const struct mapping *mp = NULL;
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcmp(cols[1], map[i].check))
				mp = &map[i];
		if (!mp || !strncmp(cols[2], "SKIPPED", 7))
			continue;
		if (listed(needs_options, sizeof(needs_options) / sizeof(needs_options[0]),
		           cols[4])) {
			printf("# skipped %s (%s): needs a kube-score option\n", cols[0], cols[4]);
			continue;
		}
		row(dir, cols[0], mp, cols[2], cols[4]);
		checked++;
	}
	fclose(fp);
	TAP_OK(checked >= 30, "%zu kube-score expectations checked", checked);
	return tap_done();
}
