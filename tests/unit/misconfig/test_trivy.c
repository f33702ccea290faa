/* trivy-checks fixtures: for every check hull maps (a rule whose Trivy
 * cross-reference names it), every bad example raises one of the mapped
 * rules and no good example raises any. A fixture whose check no rule maps
 * fails the test, so coverage cannot drop silently. */
#include "helpers.h"
#include "tap.h"

#define MAX_RULES 16

static size_t mapped(const char *check, const char **ids)
{
	size_t n, k = 0;
	const struct hull_rule *rules = hull_rules(&n);
	for (size_t i = 0; i < n && k < MAX_RULES; i++)
		if (rules[i].trivy && list_has(rules[i].trivy, check))
			ids[k++] = rules[i].id;
	return k;
}

static void one(const char *root, const char *check, const char *kind, const char *fixture,
                const char *expected)
{
	char path[8192];
	const char *ids[MAX_RULES];
	size_t nids = mapped(check, ids);
	snprintf(path, sizeof(path), "%s/%s", root, fixture);
	if (!TAP_OK(nids, "%s: a hull rule maps %s", fixture, check))
		return;
	struct hull_findings f = {0};
	struct hull_err err = {0};
	enum hull_config_kind k =
	    !strcmp(kind, "dockerfile") ? HULL_CONFIG_DOCKERFILE : HULL_CONFIG_K8S;
	if (!TAP_OK(scan_path(path, k, HULL_PROFILE_ALL, &f, &err) == 0, "%s: scans (%s)", fixture,
	            err.msg)) {
		hull_findings_release(&f);
		return;
	}
	size_t hits = 0;
	for (size_t i = 0; i < nids; i++)
		hits += count_id(&f, ids[i]);
	if (!strcmp(expected, "finding-expected"))
		TAP_OK(hits > 0, "%s: bad example raises a rule mapped to %s (got: %s)", fixture,
		       check, ids_of(&f));
	else
		TAP_OK(hits == 0, "%s: good example raises no rule mapped to %s (got: %s)", fixture,
		       check, ids_of(&f));
	hull_findings_release(&f);
}

int main(void)
{
	const char *index = tap_shared("misconfig/trivy-checks/index.tsv");
	if (!index)
		return tap_done(); /* tap_shared failed loudly */
	char root[4096];
	snprintf(root, sizeof(root), "%s", index);
	*strrchr(root, '/') = 0;
	FILE *fp = fopen(index, "r");
	if (!fp)
		return TAP_OK(0, "cannot open %s", index), tap_done();
	char line[65536];
	size_t checks = 0, with_rules = 0;
	const char *ids[MAX_RULES];
	char last[64] = "";
	while (fgets(line, sizeof(line), fp)) {
		char *cols[11] = {0}, *rest = line;
		size_t n = 0;
		line[strcspn(line, "\n")] = 0;
		while (rest && n < 11)
			cols[n++] = strsep(&rest, "\t");
		if (n < 10 || !strcmp(cols[0], "check_id"))
			continue;
		if (strcmp(cols[0], last)) {
			checks++;
			with_rules += mapped(cols[0], ids) > 0;
			snprintf(last, sizeof(last), "%s", cols[0]);
		}
		if (*cols[8])
			one(root, cols[0], cols[1], cols[8], cols[9]);
	}
	fclose(fp);
	printf("# %zu of %zu indexed trivy checks have a hull rule\n", with_rules, checks);
	return tap_done();
}
