/* Pod Security Standards per policy version: data/pss-vectors.txt holds
 * (versions, level, allow|deny, rules, tweaks) lines; each is expanded to
 * every version of its range, applied to that version's minimal valid pod
 * (built as the upstream fixtures build theirs) and checked with
 * `--profile LEVEL --pss-version V` semantics: an allowed pod gets no
 * finding at all, a denied one at least one, from the control's rules.
 * The file's header describes the format. */
#include <ctype.h>

#include "helpers.h"
#include "tap.h"

#define MAX_KEYS   24
#define MAX_TWEAKS 16

/* One place of the pod (spec, a securityContext, a container, the
 * annotations): ordered keys with YAML values. */
struct place {
	const char *name;
	const char *key[MAX_KEYS];
	char *val[MAX_KEYS];
	size_t n;
};

enum { P_POD, P_PODSC, P_CTR, P_CTRSC, P_INIT, P_INITSC, P_ANN, P__N };
static const char *const place_names[P__N] = {"pod",  "podsc",  "ctr", "ctrsc",
                                              "init", "initsc", "ann"};

struct pod {
	struct place p[P__N];
};

static void pod_release(struct pod *pd)
{
	for (size_t i = 0; i < P__N; i++)
		for (size_t k = 0; k < pd->p[i].n; k++) {
			free((char *)pd->p[i].key[k]);
			free(pd->p[i].val[k]);
		}
	memset(pd, 0, sizeof(*pd));
}

/* Sets (val non-NULL) or removes key. */
static bool place_set(struct place *pl, const char *key, size_t klen, const char *val)
{
	for (size_t i = 0; i < pl->n; i++) {
		if (strlen(pl->key[i]) != klen || strncmp(pl->key[i], key, klen))
			continue;
		free(pl->val[i]);
		if (val) {
			pl->val[i] = strdup(val);
			return true;
		}
		free((char *)pl->key[i]);
		memmove(&pl->key[i], &pl->key[i + 1], (pl->n - i - 1) * sizeof(pl->key[0]));
		memmove(&pl->val[i], &pl->val[i + 1], (pl->n - i - 1) * sizeof(pl->val[0]));
		pl->n--;
		return true;
	}
	if (!val || pl->n == MAX_KEYS)
		return !val;
	pl->key[pl->n] = strndup(key, klen);
	pl->val[pl->n++] = strdup(val);
	return true;
}

/* The minimal valid pod of a level and version (test/fixtures.go). */
static void minimal_pod(struct pod *pd, bool restricted, unsigned minor)
{
	for (size_t i = 0; i < P__N; i++)
		pd->p[i].name = place_names[i];
	if (!restricted)
		return;
	place_set(&pd->p[P_PODSC], "runAsNonRoot", 12, "true");
	for (size_t c = P_CTRSC; c <= P_INITSC; c += 2) {
		if (minor >= 8)
			place_set(&pd->p[c], "allowPrivilegeEscalation", 24, "false");
		if (minor >= 22)
			place_set(&pd->p[c], "capabilities", 12, "{drop: [ALL]}");
	}
	if (minor >= 19)
		place_set(&pd->p[P_PODSC], "seccompProfile", 14, "{type: RuntimeDefault}");
}

/* "where.key=value" or "where.key!" */
static bool tweak(struct pod *pd, const char *t)
{
	const char *dot = strchr(t, '.');
	if (!dot)
		return false;
	size_t wl = (size_t)(dot - t);
	int where = -1;
	for (int i = 0; i < P__N; i++)
		if (strlen(place_names[i]) == wl && !strncmp(t, place_names[i], wl))
			where = i;
	const char *key = dot + 1, *eq = strchr(key, '=');
	if (where < 0)
		return false;
	if (!eq) {
		size_t kl = strlen(key);
		return kl > 1 && key[kl - 1] == '!' && place_set(&pd->p[where], key, kl - 1, NULL);
	}
	return eq > key && place_set(&pd->p[where], key, (size_t)(eq - key), eq + 1);
}

static void put_map(struct hull_buf *b, const struct place *pl)
{
	hull_buf_append_str(b, "{", NULL);
	for (size_t i = 0; i < pl->n; i++)
		hull_buf_printf(b, NULL, "%s%s: %s", i ? ", " : "", pl->key[i], pl->val[i]);
	hull_buf_append_str(b, "}", NULL);
}

static void put_keys(struct hull_buf *b, const struct place *pl, const char *indent)
{
	for (size_t i = 0; i < pl->n; i++)
		hull_buf_printf(b, NULL, "%s%s: %s\n", indent, pl->key[i], pl->val[i]);
}

static void render(struct hull_buf *b, const struct pod *pd)
{
	const struct place *ann = &pd->p[P_ANN];
	hull_buf_append_str(b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: vector\n", NULL);
	hull_buf_append_str(b, "  annotations: {", NULL);
	/* annotation values are text: quote both sides */
	for (size_t i = 0; i < ann->n; i++)
		hull_buf_printf(b, NULL, "%s\"%s\": \"%s\"", i ? ", " : "", ann->key[i],
		                ann->val[i]);
	hull_buf_append_str(b, "}\nspec:\n", NULL);
	put_keys(b, &pd->p[P_POD], "  ");
	hull_buf_append_str(b, "  securityContext: ", NULL);
	put_map(b, &pd->p[P_PODSC]);
	hull_buf_append_str(b,
	                    "\n  initContainers:\n  - name: initcontainer1\n"
	                    "    image: registry.k8s.io/pause\n",
	                    NULL);
	put_keys(b, &pd->p[P_INIT], "    ");
	hull_buf_append_str(b, "    securityContext: ", NULL);
	put_map(b, &pd->p[P_INITSC]);
	hull_buf_append_str(b,
	                    "\n  containers:\n  - name: container1\n"
	                    "    image: registry.k8s.io/pause\n",
	                    NULL);
	put_keys(b, &pd->p[P_CTR], "    ");
	hull_buf_append_str(b, "    securityContext: ", NULL);
	put_map(b, &pd->p[P_CTRSC]);
	hull_buf_append_str(b, "\n", NULL);
}

struct vector {
	unsigned line;
	bool restricted, deny;
	const char *rules; /* "-": any */
	char *tweaks[MAX_TWEAKS];
	size_t ntweaks;
};

static int run_one(const struct vector *v, struct hull_pss_version ver, struct hull_findings *out,
                   char *yaml_out, size_t yaml_cap, struct hull_err *err)
{
	struct pod pd = {0};
	struct hull_buf b;
	int rc = -1;
	minimal_pod(&pd, v->restricted, ver.pinned ? ver.minor : 1000);
	for (size_t i = 0; i < v->ntweaks; i++) {
		if (!tweak(&pd, v->tweaks[i])) {
			hull_err_set(err, HULL_ERR_INPUT, "line %u: bad tweak '%s'", v->line,
			             v->tweaks[i]);
			pod_release(&pd);
			return -1;
		}
	}
	hull_buf_init(&b, 1 << 20);
	render(&b, &pd);
	snprintf(yaml_out, yaml_cap, "%s", b.data ? b.data : "");
	struct hull_model *m = hull_model_new();
	if (m && hull_config_load(m, b.data, b.len, "vector.yaml", HULL_CONFIG_K8S, NULL, NULL,
	                          err) == 0) {
		struct hull_check_opts o = {.profile = v->restricted ? HULL_PROFILE_RESTRICTED
		                                                     : HULL_PROFILE_BASELINE,
		                            .pss_version = ver};
		rc = hull_misconfig_check(m, &o, out, err);
	}
	hull_model_free(m);
	hull_buf_release(&b);
	pod_release(&pd);
	return rc;
}

static size_t unsuppressed(const struct hull_findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += !f->items[i].suppressed;
	return n;
}

static bool from_rules(const struct hull_findings *f, const char *rules)
{
	if (!strcmp(rules, "-"))
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (!f->items[i].suppressed && list_has(rules, f->items[i].id))
			return true;
	return false;
}

static void check_version(const struct vector *v, struct hull_pss_version ver, size_t *counts)
{
	struct hull_findings f = {0};
	struct hull_err err = {0};
	char yaml[8192], name[16];
	hull_pss_version_name(ver, name, sizeof(name));
	if (run_one(v, ver, &f, yaml, sizeof(yaml), &err) < 0) {
		TAP_OK(0, "line %u %s: scans (%s)", v->line, name, err.msg);
		return;
	}
	bool ok =
	    v->deny ? unsuppressed(&f) > 0 && from_rules(&f, v->rules) : unsuppressed(&f) == 0;
	counts[v->deny]++;
	if (!TAP_OK(ok, "line %u %s %s: %s%s (got: %s)", v->line, name,
	            v->restricted ? "restricted" : "baseline", v->deny ? "denied by " : "allowed",
	            v->deny ? v->rules : "", ids_of(&f)))
		printf("# the pod:\n# %s\n", yaml);
	hull_findings_release(&f);
}

/* "v1.N", "latest", "v1.N-v1.M", "v1.N-latest" -> [lo, hi], hi > newest
 * meaning latest too. */
static bool parse_range(const char *s, unsigned *lo, unsigned *hi, bool *to_latest)
{
	struct hull_pss_version a, b;
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (hull_pss_version_parse(buf, &a, NULL) < 0 ||
	    (dash && hull_pss_version_parse(dash + 1, &b, NULL) < 0))
		return false;
	if (!dash)
		b = a;
	*to_latest = !b.pinned;
	*lo = a.pinned ? a.minor : HULL_PSS_NEWEST_MINOR + 1;
	*hi = b.pinned ? b.minor : HULL_PSS_NEWEST_MINOR;
	return *lo <= *hi + 1;
}

static bool parse_line(char *line, unsigned lineno, struct vector *v, char **range)
{
	char *save = NULL;
	memset(v, 0, sizeof(*v));
	v->line = lineno;
	*range = strtok_r(line, " \t", &save);
	char *level = strtok_r(NULL, " \t", &save);
	char *verdict = strtok_r(NULL, " \t", &save);
	v->rules = strtok_r(NULL, " \t", &save);
	char *rest = strtok_r(NULL, "", &save);
	if (!*range || !level || !verdict || !v->rules)
		return false;
	v->restricted = !strcmp(level, "restricted");
	v->deny = !strcmp(verdict, "deny");
	if ((!v->restricted && strcmp(level, "baseline")) || (!v->deny && strcmp(verdict, "allow")))
		return false;
	while (rest && *rest && v->ntweaks < MAX_TWEAKS) {
		char *sep = strstr(rest, " ; ");
		if (sep)
			*sep = 0;
		while (isspace((unsigned char)*rest))
			rest++;
		if (*rest)
			v->tweaks[v->ntweaks++] = rest;
		rest = sep ? sep + 3 : NULL;
	}
	return !rest;
}

int main(void)
{
	const char *src = getenv("HULL_SRC");
	if (!src)
		return tap_skip_missing("HULL_SRC (run through meson test)");
	char path[4096], line[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/misconfig/data/pss-vectors.txt", src);
	FILE *fp = fopen(path, "r");
	if (!TAP_OK(fp != NULL, "%s opens", path))
		return tap_done();
	size_t counts[2] = {0}, lines = 0;
	unsigned lineno = 0, covered_lo[2][2] = {{99, 99}, {99, 99}}, covered_hi[2][2] = {{0}};
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		struct vector v;
		char *range;
		unsigned lo = 0, hi = 0;
		bool to_latest = false;
		if (!TAP_OK(parse_line(line, lineno, &v, &range) &&
		                parse_range(range, &lo, &hi, &to_latest),
		            "line %u parses", lineno))
			continue;
		lines++;
		for (unsigned m = lo; m <= hi; m++)
			check_version(&v, (struct hull_pss_version){.pinned = true, .minor = m},
			              counts);
		if (to_latest)
			check_version(&v, (struct hull_pss_version){0}, counts);
		unsigned *clo = &covered_lo[v.restricted][v.deny],
		         *chi = &covered_hi[v.restricted][v.deny];
		*clo = lo < *clo ? lo : *clo;
		*chi = hi > *chi ? hi : *chi;
	}
	fclose(fp);
	/* every version has pass and fail cases at both levels */
	for (int r = 0; r < 2; r++)
		for (int d = 0; d < 2; d++)
			TAP_OK(covered_lo[r][d] == 0 && covered_hi[r][d] == HULL_PSS_NEWEST_MINOR,
			       "%s %s cases cover v1.0 to v1.%d", r ? "restricted" : "baseline",
			       d ? "deny" : "allow", HULL_PSS_NEWEST_MINOR);
	printf("# %zu vector lines: %zu allowed and %zu denied pods checked\n", lines, counts[0],
	       counts[1]);
	TAP_OK(lines >= 150, "%zu vector lines read", lines);
	return tap_done();
}
