/* The rule table is well formed (ids in order, unique and dense, every
 * text present, cross-references that exist), and the committed
 * docs/rules.md is what hull-rules-doc prints from it. */
#include "helpers.h"
#include "tap.h"

static void table(void)
{
	size_t n;
	const struct hull_rule *r = hull_rules(&n);
	TAP_OK(n >= 90, "%zu rules", n);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof(want), "HULL-C%03zu", i + 1);
		TAP_OK(!strcmp(r[i].id, want), "rule %zu is %s (got %s)", i, want, r[i].id);
		TAP_OK(r[i].title && *r[i].title && r[i].rationale && strlen(r[i].rationale) > 30 &&
		           r[i].remediation && *r[i].remediation && r[i].check && r[i].inputs &&
		           r[i].severity >= HULL_SEV_LOW,
		       "%s has title, rationale, remediation, severity, inputs and a check",
		       r[i].id);
		TAP_OK(r[i].scope != HULL_SCOPE_OBJECT ||
		           r[i].inputs == HULL_INPUT_BIT(HULL_INPUT_K8S),
		       "%s: object rules are Kubernetes-only", r[i].id);
		TAP_OK(r[i].scope != HULL_SCOPE_BUILD ||
		           r[i].inputs == HULL_INPUT_BIT(HULL_INPUT_DOCKERFILE),
		       "%s: build rules are Dockerfile-only", r[i].id);
		TAP_OK(hull_rule_find(r[i].id) == &r[i], "%s found by id", r[i].id);
	}
	TAP_OK(hull_rule_find("hull-c001") == &r[0], "ids are case-insensitive");
	TAP_OK(!hull_rule_find("HULL-C999"), "unknown ids are not found");
}

/* Every Trivy id a rule names is a real check of the index. */
static void trivy_ids(void)
{
	const char *index = tap_shared("misconfig/trivy-checks/index.tsv");
	if (!index) {
		printf("# trivy index not found: cross-references not checked\n");
		return;
	}
	char *data;
	size_t len;
	struct hull_err err = {0};
	if (!TAP_OK(hull_fs_read_file(index, 1u << 24, &data, &len, &err) == 0, "read index"))
		return;
	size_t n;
	const struct hull_rule *r = hull_rules(&n);
	for (size_t i = 0; i < n; i++) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", r[i].trivy ? r[i].trivy : "");
		for (char *save, *id = strtok_r(buf, ",", &save); id;
		     id = strtok_r(NULL, ",", &save)) {
			char needle[64];
			snprintf(needle, sizeof(needle), "\n%s\t", id);
			TAP_OK(strstr(data, needle) != NULL, "%s: %s is in the trivy index",
			       r[i].id, id);
		}
	}
	free(data);
}

static void doc(void)
{
	const char *src = getenv("HULL_SRC");
	if (!src) {
		printf("# HULL_SRC not set: docs/rules.md not compared\n");
		return;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/docs/rules.md", src);
	char *data = NULL;
	size_t len = 0;
	struct hull_err err = {0};
	struct hull_buf b;
	hull_buf_init(&b, 16u << 20);
	TAP_OK(hull_rules_markdown(&b, &err) == 0, "render rules.md");
	bool same = hull_fs_read_file(path, 16u << 20, &data, &len, &err) == 0 && len == b.len &&
	            !memcmp(data, b.data, len);
	TAP_OK(same,
	       "docs/rules.md is up to date (regenerate: build/src/misconfig/hull-rules-doc > "
	       "docs/rules.md)");
	free(data);
	hull_buf_release(&b);
}

int main(void)
{
	table();
	trivy_ids();
	doc();
	return tap_done();
}
