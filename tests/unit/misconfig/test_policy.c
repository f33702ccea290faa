/* Policy files (rules off, severities, exemptions by name, namespace,
 * kind and labels with a reason; strict parsing) and inline
 * `# hull:ignore=` comments in Dockerfiles and YAML. */
#include "helpers.h"
#include "tap.h"

static const char *manifest =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: node-exporter, namespace: monitoring, labels: {app: node-exporter}}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      hostPID: true\n"
    "      containers:\n"
    "      - name: exporter\n"
    "        image: prom/node-exporter:v1.8.0\n"
    "        securityContext: {privileged: true}\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web, namespace: shop}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      hostPID: true\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: shop/web:2.1\n"
    "        securityContext: {privileged: true}\n";

static const struct hull_finding *find(const struct hull_findings *f, const char *id,
                                       const char *object_part)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].id, id) && strstr(f->items[i].loc.object, object_part))
			return &f->items[i];
	return NULL;
}

static void bad_policy(const char *text, const char *word)
{
	struct hull_policy *p = NULL;
	struct hull_err err = {0};
	TAP_OK(hull_policy_parse(text, strlen(text), "policy.yaml", &p, &err) < 0 &&
	           strstr(err.msg, word) && strstr(err.msg, "line"),
	       "rejected with '%s': %s", word, err.msg);
	hull_policy_free(p);
}

static void parsing(void)
{
	bad_policy("rulez: {}\n", "unknown key 'rulez'");
	bad_policy("rules:\n  HULL-C999: off\n", "unknown rule id");
	bad_policy("rules:\n  HULL-C001: {severity: huge}\n", "unknown severity");
	bad_policy("rules:\n  HULL-C001: {enabled: false, level: 3}\n", "unknown or mistyped key");
	bad_policy("exemptions:\n  - namespace: kube-system\n", "needs a reason");
	bad_policy("exemptions:\n  - reason: because\n", "needs rules or a selector");
	bad_policy("exemptions:\n  - rules: [HULL-C001]\n    reason: x\n    owner: me\n",
	           "unknown key 'owner'");
	bad_policy("exemptions:\n  - rules: [NOPE]\n    reason: x\n", "unknown rule id");
	/* the campaign's leak: the second list replaced the first one's */
	bad_policy("exemptions:\n  - rule: HULL-C001\n    rules: [HULL-C002]\n    reason: x\n",
	           "both 'rule' and 'rules'");
	bad_policy("profile: strict\n", "profile must be");
	bad_policy("pss-version: 1.29\n", "pss-version must be");
	bad_policy("pss-version: v1.29.1\n", "pss-version must be");
	bad_policy("- a\n- b\n", "must be a mapping");
	struct hull_policy *p = NULL;
	struct hull_err err = {0};
	TAP_OK(hull_policy_parse("", 0, "empty.yaml", &p, &err) == 0 && p,
	       "an empty policy is fine");
	enum hull_profile_sel prof;
	TAP_OK(!hull_policy_profile(p, &prof), "it names no profile");
	hull_policy_free(p);
	const char *json = "{\"profile\": \"restricted\", \"rules\": {\"HULL-C013\": false}}";
	TAP_OK(hull_policy_parse(json, strlen(json), "p.json", &p, &err) == 0 &&
	           hull_policy_profile(p, &prof) && prof == HULL_PROFILE_RESTRICTED &&
	           !hull_policy_rule_enabled(p, "HULL-C013") &&
	           hull_policy_rule_enabled(p, "HULL-C001"),
	       "JSON policy with profile and a rule off (%s)", err.msg);
	hull_policy_free(p);
	/* pss-version: the default Pod Security Standards version */
	const char *pv = "pss-version: v1.26\n";
	struct hull_pss_version v = {0};
	TAP_OK(hull_policy_parse(pv, strlen(pv), "p.yaml", &p, &err) == 0 &&
	           hull_policy_pss_version(p, &v) && v.pinned && v.minor == 26,
	       "pss-version v1.26 (%s)", err.msg);
	const char *pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
	                  "  securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, "
	                  "value: \"80\"}]}\n  containers: [{name: c, image: x:1}]\n";
	struct hull_findings f = {0};
	struct hull_model *m = hull_model_new();
	struct hull_check_opts o = {.profile = HULL_PROFILE_BASELINE, .policy = p};
	hull_policy_pss_version(p, &o.pss_version);
	TAP_OK(m &&
	           hull_config_load(m, pod, strlen(pod), "pod.yaml", HULL_CONFIG_K8S, NULL, NULL,
	                            &err) == 0 &&
	           hull_misconfig_check(m, &o, &f, &err) == 0 && count_id(&f, "HULL-C037") == 1,
	       "judged at v1.26: a v1.27 sysctl is unsafe (%s)", ids_of(&f));
	hull_findings_release(&f);
	hull_model_free(m);
	hull_policy_free(p);
}

static void applying(void)
{
	const char *text = "rules:\n"
	                   "  HULL-C013: off\n"
	                   "  HULL-C039: {enabled: false}\n"
	                   "  HULL-C040: {severity: high}\n"
	                   "  HULL-C045: critical\n"
	                   "exemptions:\n"
	                   "  - rules: [HULL-C015, HULL-C001]\n"
	                   "    namespace: monitor*\n"
	                   "    labels: {app: node-exporter}\n"
	                   "    reason: node-exporter reads host processes by design\n"
	                   "  - rule: HULL-C010\n"
	                   "    kind: Deployment\n"
	                   "    name: w?b\n"
	                   "    reason: UID set by the platform\n";
	struct hull_policy *p = NULL;
	struct hull_err err = {0};
	if (!TAP_OK(hull_policy_parse(text, strlen(text), "policy.yaml", &p, &err) == 0,
	            "policy parses (%s)", err.msg))
		return;
	struct hull_findings f = {0};
	TAP_OK(scan_data(manifest, strlen(manifest), "d.yaml", HULL_CONFIG_K8S, HULL_PROFILE_ALL, p,
	                 &f, &err) == 0,
	       "scan with policy");
	TAP_OK(!find(&f, "HULL-C013", "") && !find(&f, "HULL-C039", ""),
	       "rules turned off do not run");
	const struct hull_finding *x = find(&f, "HULL-C040", "web");
	TAP_OK(x && x->severity == HULL_SEV_HIGH, "severity changed to HIGH");
	x = find(&f, "HULL-C015", "node-exporter");
	TAP_OK(x && x->suppressed && x->suppress_kind == HULL_SUPPRESS_EXTERNAL &&
	           !strcmp(x->suppression, "policy: node-exporter reads host processes by design"),
	       "exempted by namespace glob and label: %s", x ? x->suppression : "missing");
	x = find(&f, "HULL-C001", "node-exporter");
	TAP_OK(x && x->suppressed, "the exemption covers both its rules");
	x = find(&f, "HULL-C015", "web");
	TAP_OK(x && !x->suppressed, "other workloads stay reported");
	x = find(&f, "HULL-C010", "web");
	TAP_OK(x && x->suppressed, "exempted by kind and name glob");
	x = find(&f, "HULL-C010", "node-exporter");
	TAP_OK(x && !x->suppressed, "name glob does not match node-exporter");
	TAP_OK(hull_findings_max_severity(&f) == HULL_SEV_CRITICAL, "web stays privileged");
	hull_findings_release(&f);
	hull_policy_free(p);
}

static void inline_ignores(void)
{
	const char *df = "# hull:ignore=HULL-C008 the base image drops to an app user at start\n"
	                 "FROM registry.example/app-base:2.3\n"
	                 "EXPOSE 22 # hull:ignore=HULL-C029\n"
	                 "HEALTHCHECK CMD /bin/check\n";
	struct hull_findings f = {0};
	struct hull_err err = {0};
	TAP_OK(scan_data(df, strlen(df), "Dockerfile", HULL_CONFIG_DOCKERFILE, HULL_PROFILE_ALL,
	                 NULL, &f, &err) == 0,
	       "Dockerfile scans");
	const struct hull_finding *x = find(&f, "HULL-C008", "");
	TAP_OK(x && x->suppressed && x->suppress_kind == HULL_SUPPRESS_IN_SOURCE &&
	           !strcmp(x->suppression, "the base image drops to an app user at start"),
	       "comment line above FROM covers the FROM line: %s", x ? x->suppression : "missing");
	x = find(&f, "HULL-C029", "");
	TAP_OK(x && x->suppressed && strstr(x->suppression, "no reason"),
	       "trailing comment covers its own line, without a reason");
	hull_findings_release(&f);

	const char *yaml = "apiVersion: v1\n"
	                   "kind: Pod\n"
	                   "metadata: {name: p}\n"
	                   "spec:\n"
	                   "  containers:\n"
	                   "  # hull:ignore=HULL-C039,HULL-C040 limits come from a LimitRange\n"
	                   "  # (a second comment line)\n"
	                   "\n"
	                   "  - name: a\n"
	                   "    image: a:1\n"
	                   "    securityContext:\n"
	                   "      privileged: true # hull:ignore=all debugging pod\n"
	                   "      runAsUser: 0\n";
	TAP_OK(scan_data(yaml, strlen(yaml), "p.yaml", HULL_CONFIG_K8S, HULL_PROFILE_ALL, NULL, &f,
	                 &err) == 0,
	       "YAML scans");
	x = find(&f, "HULL-C039", "");
	TAP_OK(x && x->suppressed && !strcmp(x->suppression, "limits come from a LimitRange"),
	       "comment covers the next content line (the container)");
	x = find(&f, "HULL-C040", "");
	TAP_OK(x && x->suppressed, "several ids in one comment");
	x = find(&f, "HULL-C001", "");
	TAP_OK(x && x->suppressed && !strcmp(x->suppression, "debugging pod"), "ignore=all");
	x = find(&f, "HULL-C008", "");
	TAP_OK(x && !x->suppressed, "other lines are not covered");
	hull_findings_release(&f);
}

int main(void)
{
	parsing();
	applying();
	inline_ignores();
	return tap_done();
}
