/* The catalogue as documents: docs/rules.md and `hull config --list-rules`. */
#include <ctype.h>
#include <string.h>

#include "misconfig/rules_internal.h"

static const char *pss_name(enum hull_pss p)
{
	return p == HULL_PSS_BASELINE ? "Baseline" : p == HULL_PSS_RESTRICTED ? "Restricted" : "";
}

static int inputs_text(struct hull_buf *out, unsigned mask, struct hull_err *err)
{
	bool first = true;
	for (int i = 0; i < HULL_INPUT__COUNT; i++) {
		if (!(mask & HULL_INPUT_BIT(i)))
			continue;
		if (hull_buf_printf(out, err, "%s%s", first ? "" : ", ",
		                    hull_input_name((enum hull_input)i)) < 0)
			return -1;
		first = false;
	}
	return 0;
}

static int xrefs(struct hull_buf *out, const struct hull_rule *r, struct hull_err *err)
{
	const char *sep = "";
	int rc = 0;
	if (r->trivy && rc == 0) {
		rc = hull_buf_printf(out, err, "%sTrivy %s", sep, r->trivy);
		sep = " · ";
	}
	if (r->cis && rc == 0) {
		rc = hull_buf_printf(out, err, "%sCIS Docker Benchmark %s", sep, r->cis);
		sep = " · ";
	}
	if (r->pss && rc == 0) {
		rc = hull_buf_printf(out, err, "%sPod Security Standards %s: %s", sep,
		                     pss_name(r->pss), r->pss_control);
		sep = " · ";
	}
	if (r->kubesec && rc == 0) {
		rc = hull_buf_printf(out, err, "%sKubesec %s", sep, r->kubesec);
		sep = " · ";
	}
	if (r->kube_score && rc == 0) {
		rc = hull_buf_printf(out, err, "%skube-score %s", sep, r->kube_score);
		sep = " · ";
	}
	if (!*sep && rc == 0)
		rc = hull_buf_printf(out, err, "none");
	return rc;
}

static const char *or_dash(const char *s)
{
	return s ? s : "";
}

int hull_rules_markdown(struct hull_buf *out, struct hull_err *err)
{
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	if (hull_buf_printf(
	        out, err,
	        "# hull misconfiguration rules\n\n"
	        "<!-- Generated from src/misconfig/rules_table.c by hull-rules-doc. "
	        "Do not edit: run `BUILD/src/misconfig/hull-rules-doc > docs/rules.md`. -->\n\n"
	        "%zu rules. `hull config --list-rules` prints the same catalogue; "
	        "`--profile baseline` runs the Pod Security Standards Baseline "
	        "controls, `--profile restricted` Baseline and Restricted. Ids are "
	        "stable and never reused.\n\n"
	        "Kubernetes workloads are judged by the Pod Security Standards controls "
	        "exactly as Pod Security Admission decides them, for the policy version "
	        "of `--pss-version` (default `latest`, which is v1.%d): values are "
	        "compared as written (capability names are not normalised) and each "
	        "control applies from the version that introduced it. Compose, ECS, "
	        "Dockerfiles and running containers are not Kubernetes: there "
	        "capability names are normalised as the runtime does. Each PSS rule "
	        "says below how it treats Kubernetes.\n\n"
	        "| Id | Title | Severity | Applies to | PSS | Trivy | CIS Docker |\n"
	        "|---|---|---|---|---|---|---|\n",
	        n, HULL_PSS_NEWEST_MINOR) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct hull_rule *r = &rules[i];
		char anchor[32];
		size_t k = 0;
		for (; r->id[k] && k + 1 < sizeof(anchor); k++)
			anchor[k] = (char)tolower((unsigned char)r->id[k]);
		anchor[k] = 0;
		if (hull_buf_printf(out, err, "| [%s](#%s) | %s | %s | ", r->id, anchor, r->title,
		                    hull_severity_name(r->severity)) < 0 ||
		    inputs_text(out, r->inputs, err) < 0 ||
		    hull_buf_printf(out, err, " | %s | %s | %s |\n", pss_name(r->pss),
		                    or_dash(r->trivy), or_dash(r->cis)) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hull_rule *r = &rules[i];
		if (hull_buf_printf(out, err, "\n## %s\n\n**%s** · %s · applies to ", r->id,
		                    r->title, hull_severity_name(r->severity)) < 0 ||
		    inputs_text(out, r->inputs, err) < 0 ||
		    hull_buf_printf(out, err, "\n\n%s\n\n", r->rationale) < 0 ||
		    (r->pss_k8s && hull_buf_printf(out, err, "**Pod Security Admission:** %s\n\n",
		                                   r->pss_k8s) < 0) ||
		    hull_buf_printf(out, err, "**Remediation:** %s\n\n**See also:** ",
		                    r->remediation) < 0 ||
		    xrefs(out, r, err) < 0 || hull_buf_printf(out, err, "\n") < 0)
			return -1;
	}
	return 0;
}

int hull_rules_table(struct hull_buf *out, struct hull_err *err)
{
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	if (hull_buf_printf(out, err, "%-10s %-8s %-10s %-48s %s\n", "ID", "SEVERITY", "PSS",
	                    "TITLE", "APPLIES TO") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct hull_rule *r = &rules[i];
		if (hull_buf_printf(out, err, "%-10s %-8s %-10s %-48s ", r->id,
		                    hull_severity_name(r->severity),
		                    r->pss ? pss_name(r->pss) : "-", r->title) < 0 ||
		    inputs_text(out, r->inputs, err) < 0 || hull_buf_printf(out, err, "\n") < 0)
			return -1;
	}
	return 0;
}
