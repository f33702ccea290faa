/* The semantics tables: data/policy.cases (NetworkPolicies) and
 * data/compose.cases (Docker's bridge driver). Each case's assertions go
 * through hull_net_can and hull_net_check; for Kubernetes the bulk matrix
 * is also checked against the cell-by-cell evaluation. */
#include "helpers.h"

struct tcase {
	char name[256];
	char *labels[8];
	size_t nlabels;
	char *includes[8];
	size_t nincludes;
	char *yaml;
	char *expect;
};

static char *dup_range(const char *a, const char *b)
{
	return strndup(a, (size_t)(b - a));
}

static void run_case(struct tcase *c)
{
	struct hull_diag diag;
	hull_diag_init(&diag);
	struct hull_net_opts opts = {.project = "t"};
	struct hull_net *net = hull_net_new(&opts, &diag);
	struct hull_err err = {0};
	bool ok = net != NULL;
	for (size_t i = 0; ok && i < c->nlabels; i++)
		ok = hull_net_namespace_labels(net, c->labels[i], &err) == 0;
	for (size_t i = 0; ok && i < c->nincludes; i++) {
		const char *path = tap_shared(c->includes[i]);
		if (!path) { /* tap_shared failed loudly */
			hull_net_free(net);
			hull_diag_release(&diag);
			return;
		}
		char *data = NULL;
		size_t len;
		bool loaded;
		ok = hull_fs_read_file(path, 1u << 20, &data, &len, &err) == 0 &&
		     hull_net_load(net, data, len, path, NULL, &loaded, &err) == 0 && loaded;
		free(data);
	}
	ok = ok && load_text(net, c->yaml, "case.yaml") == 0 && hull_net_compute(net, &err) == 0;
	if (!TAP_OK(ok, "%s: loads and computes", c->name)) {
		printf("# %s\n", err.msg);
		hull_net_free(net);
		hull_diag_release(&diag);
		return;
	}
	for (size_t i = 0; i < diag.n; i++)
		printf("# warning: %s\n", diag.msgs[i]);
	struct hull_findings f = {0};
	if (hull_net_check(net, &f, &err) < 0)
		TAP_OK(0, "%s: check: %s", c->name, err.msg);
	char *save = NULL;
	for (char *line = strtok_r(c->expect, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char verdict[16], src[256], dst[256];
		if (line[0] == '#' || sscanf(line, "%15s %255s %255[^\n]", verdict, src, dst) != 3)
			continue;
		if (!strcmp(verdict, "finding") || !strcmp(verdict, "nofinding")) {
			bool found = false;
			for (size_t i = 0; i < f.n && !found; i++)
				found = !strcmp(f.items[i].id, src) && f.items[i].loc.object &&
				        strstr(f.items[i].loc.object, dst);
			TAP_OK(found == !strcmp(verdict, "finding"), "%s: %s %s %s", c->name,
			       verdict, src, dst);
			continue;
		}
		int want = !strcmp(verdict, "allow");
		int got = can(net, src, dst);
		TAP_OK(got == want, "%s: %s %s %s", c->name, verdict, src, dst);
	}
	TAP_OK(bulk_matches_cells(net), "%s: bulk matrix = cells", c->name);
	TAP_OK(direct_matches_cells(net), "%s: pod-by-pod evaluation = cells", c->name);
	hull_findings_release(&f);
	hull_net_free(net);
	hull_diag_release(&diag);
}

static void free_case(struct tcase *c)
{
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	for (size_t i = 0; i < c->nincludes; i++)
		free(c->includes[i]);
	free(c->yaml);
	free(c->expect);
	memset(c, 0, sizeof(*c));
}

/* Parses one case from p (at "=== "); returns where the next starts. */
static const char *parse_case(const char *p, struct tcase *c)
{
	const char *eol = strchr(p, '\n');
	snprintf(c->name, sizeof(c->name), "%.*s", (int)(eol - p - 4), p + 4);
	p = eol + 1;
	while (strncmp(p, "--- yaml\n", 9)) {
		eol = strchr(p, '\n');
		if (!strncmp(p, "labels ", 7) && c->nlabels < 8)
			c->labels[c->nlabels++] = dup_range(p + 7, eol);
		else if (!strncmp(p, "include ", 8) && c->nincludes < 8)
			c->includes[c->nincludes++] = dup_range(p + 8, eol);
		p = eol + 1;
	}
	p += 9;
	const char *ex = strstr(p, "--- expect\n");
	c->yaml = dup_range(p, ex);
	p = ex + 11;
	const char *next = strstr(p, "\n=== ");
	const char *end = next ? next + 1 : p + strlen(p);
	c->expect = dup_range(p, end);
	return end;
}

static int run_file(const char *rel)
{
	size_t len;
	char *text = src_file(rel, &len);
	int cases = 0;
	if (!text)
		return -1;
	const char *p = strstr(text, "\n=== ");
	for (p = p ? p + 1 : NULL; p && *p;) {
		struct tcase c = {0};
		p = parse_case(p, &c);
		run_case(&c);
		free_case(&c);
		cases++;
	}
	free(text);
	return cases;
}

int main(void)
{
	int k8s = run_file("tests/unit/network/data/policy.cases");
	if (k8s < 0)
		return tap_skip_missing("policy.cases: HULL_SRC (run through meson test)");
	int compose = run_file("tests/unit/network/data/compose.cases");
	TAP_OK(k8s >= 30, "%d NetworkPolicy cases", k8s);
	TAP_OK(compose >= 12, "%d Compose cases", compose);
	return tap_done();
}
