/* The same insecure settings written as a Dockerfile, a Compose file, a
 * Kubernetes Deployment, an ECS task definition, and captured from podman
 * (docker inspect format, the Docker API and the condensed summaries of
 * tools/run-test-containers.sh) give the same rule ids.
 *
 * Each data/same/<scenario>/scenario file lists the captures, the rules
 * compared (those every input kind of the scenario can express) and the
 * ids expected; every input must give exactly that set within `compare`
 * (a Dockerfile, which cannot set privileges or limits, its `dockerfile`
 * subset). */
#include <dirent.h>

#include "helpers.h"
#include "tap.h"

#define MAX_IDS 64

struct idset {
	char ids[MAX_IDS][16];
	size_t n;
};

static void parse_ids(const char *text, struct idset *s)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s", text);
	s->n = 0;
	for (char *save, *w = strtok_r(buf, " \n", &save); w && s->n < MAX_IDS;
	     w = strtok_r(NULL, " \n", &save))
		snprintf(s->ids[s->n++], sizeof(s->ids[0]), "%s", w);
}

static bool in_set(const struct idset *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return true;
	return false;
}

/* ids of f within compare, as a sorted space-separated string */
static void got_ids(const struct hull_findings *f, const struct idset *compare, char *out, size_t n)
{
	out[0] = 0;
	for (size_t k = 0; k < compare->n; k++)
		if (count_id(f, compare->ids[k])) {
			strncat(out, compare->ids[k], n - strlen(out) - 1);
			strncat(out, " ", n - strlen(out) - 1);
		}
}

static void expect_str(const struct idset *compare, const struct idset *expect, char *out, size_t n)
{
	out[0] = 0;
	for (size_t k = 0; k < compare->n; k++)
		if (in_set(expect, compare->ids[k])) {
			strncat(out, compare->ids[k], n - strlen(out) - 1);
			strncat(out, " ", n - strlen(out) - 1);
		}
}

static void check_input(const char *scenario, const char *path, const struct idset *compare,
                        const struct idset *expect)
{
	struct hull_findings f = {0};
	struct hull_err err = {0};
	char got[1024], want[1024];
	int rc = scan_path(path, HULL_CONFIG_UNKNOWN, HULL_PROFILE_ALL, &f, &err);
	got_ids(&f, compare, got, sizeof(got));
	expect_str(compare, expect, want, sizeof(want));
	TAP_OK(rc == 0 && !strcmp(got, want), "%s: %s gives [%s] (expected [%s]) %s", scenario,
	       strrchr(path, '/') + 1, got, want, err.msg);
	hull_findings_release(&f);
}

static void scenario(const char *dir, const char *name, const char *samples)
{
	char path[8192], line[2048];
	snprintf(path, sizeof(path), "%s/%s/scenario", dir, name);
	FILE *fp = fopen(path, "r");
	if (!TAP_OK(fp != NULL, "%s: scenario file", name))
		return;
	struct idset compare = {0}, expect = {0}, dockerfile = {0};
	char captures[4][2048];
	size_t ncap = 0;
	bool has_df = false;
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, "compare ", 8))
			parse_ids(line + 8, &compare);
		else if (!strncmp(line, "expect ", 7))
			parse_ids(line + 7, &expect);
		else if (!strncmp(line, "dockerfile ", 11))
			parse_ids(line + 11, &dockerfile), has_df = true;
		else if (!strncmp(line, "capture ", 8) && ncap < 4) {
			line[strcspn(line, "\n")] = 0;
			snprintf(captures[ncap++], sizeof(captures[0]), "%s", line + 8);
		}
	}
	fclose(fp);
	TAP_OK(expect.n > 0 && compare.n >= expect.n, "%s: expects %zu of %zu compared rules", name,
	       expect.n, compare.n);
	size_t inputs = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	DIR *d = opendir(path);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "scenario"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, name, e->d_name);
		bool df = !strcmp(e->d_name, "Dockerfile");
		if (df && !has_df)
			continue;
		check_input(name, path, &compare, df ? &dockerfile : &expect);
		inputs++;
	}
	if (d)
		closedir(d);
	for (size_t i = 0; samples && i < ncap; i++) {
		snprintf(path, sizeof(path), "%s/%s", samples, captures[i]);
		if (access(path, R_OK) == 0) {
			check_input(name, path, &compare, &expect);
			inputs++;
		} else {
			printf("# %s: capture %s not found\n", name, captures[i]);
		}
	}
	TAP_OK(inputs >= 2, "%s: %zu inputs compared", name, inputs);
}

int main(void)
{
	const char *src = getenv("HULL_SRC"), *shared = getenv("HULL_SHARED");
	if (!src)
		return tap_skip_missing("HULL_SRC (run through meson test)");
	char dir[4096], samples[4096];
	snprintf(dir, sizeof(dir), "%s/tests/unit/misconfig/data/same", src);
	snprintf(samples, sizeof(samples), "%s/tools/samples", shared ? shared : "/nonexistent");
	const char *const scenarios[] = {"privileged", "capsysadmin", "hostnet", "hostns-mounts",
	                                 "hardened",   "limits",      "ports"};
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		scenario(dir, scenarios[i], access(samples, R_OK) == 0 ? samples : NULL);
	return tap_done();
}
