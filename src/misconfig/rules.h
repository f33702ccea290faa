/* rules: the misconfiguration rule catalogue and the engine that runs it
 * over a workload model.
 *
 * One table (rules_table.c) gives every rule a stable id (HULL-C001 ...),
 * title, severity, the inputs it applies to, its rationale and remediation,
 * and cross-references: Trivy check ids (KSV/DS/KCV), the CIS Docker
 * Benchmark section, the Pod Security Standards profile and control,
 * Kubesec and kube-score names. `hull config --list-rules` and docs/rules.md
 * are generated from this table. Ids are never reused or renumbered.
 *
 * The engine takes a model and options (a PSS profile, a policy) and
 * appends one finding per occurrence to a findings list: suppressed findings
 * (policy exemptions, inline `# hull:ignore=` comments) stay in the list
 * with `suppressed` set and the reason, so reports can show them and exit
 * codes ignore them. The engine has no state: `hull config`, `hull
 * runtime` and the admission webhook call it on models their front ends
 * built, and the same settings give the same ids everywhere. */
#ifndef HULL_MISCONFIG_RULES_H
#define HULL_MISCONFIG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "misconfig/model.h"
#include "report/findings.h"
#include "util/buf.h"
#include "util/err.h"

/* What a rule's check function is called for. */
enum hull_rule_scope {
	HULL_SCOPE_CONTAINER, /* each container of each workload */
	HULL_SCOPE_WORKLOAD,  /* each workload */
	HULL_SCOPE_BUILD,     /* each Dockerfile build (workload->build) */
	HULL_SCOPE_OBJECT,    /* each non-workload Kubernetes object */
};

/* Pod Security Standards level a rule implements a control of. */
enum hull_pss {
	HULL_PSS_NONE = 0,
	HULL_PSS_BASELINE,
	HULL_PSS_RESTRICTED,
};

struct hull_rule_ctx; /* private to the engine and the rules */

struct hull_rule {
	const char *id;    /* "HULL-C001" */
	const char *title; /* one line */
	enum hull_severity severity;
	enum hull_rule_scope scope;
	unsigned inputs; /* HULL_INPUT_BIT() mask of the inputs it applies to */
	enum hull_pss pss;
	const char *pss_control; /* the control's name in the PSS page */
	const char *rationale;
	const char *remediation;
	const char *trivy;      /* "KSV-0017" or "DS-0002,KSV-0012"; NULL: none */
	const char *cis;        /* CIS Docker Benchmark v1.6.0 section: "5.5" */
	const char *kubesec;    /* Kubesec rule: "Privileged" */
	const char *kube_score; /* kube-score check id */
	void (*check)(struct hull_rule_ctx *ctx);
	/* PSS rules: how Kubernetes workloads are judged (exactly as Pod
	 * Security Admission, with the policy versions) where that differs
	 * from the other inputs or changed between versions */
	const char *pss_k8s;
};

/* The catalogue, in id order. */
const struct hull_rule *hull_rules(size_t *n);
/* The rule with this id (case-insensitive), or NULL. */
const struct hull_rule *hull_rule_find(const char *id);

/* --profile: which rules run. */
enum hull_profile_sel {
	HULL_PROFILE_ALL = 0,   /* every rule (the default) */
	HULL_PROFILE_BASELINE,  /* only the PSS Baseline controls */
	HULL_PROFILE_RESTRICTED /* Baseline and Restricted controls */
};
/* "all", "baseline", "restricted"; else HULL_ERR_USAGE. */
int hull_profile_parse(const char *s, enum hull_profile_sel *out, struct hull_err *err);

/* A Pod Security Standards policy version, as Pod Security Admission names
 * them: "latest" or "v1.N". Kubernetes workloads are judged by the controls
 * of that version exactly as the admission plugin's checks decide (each
 * check's own version gates: no seccomp requirement before v1.19, no drop of
 * ALL before v1.22, the safe sysctls of each release ...). Other inputs are
 * not Kubernetes and ignore it. The zero value is latest, which is also what
 * any version newer than HULL_PSS_NEWEST_MINOR means (as in Kubernetes,
 * where a version past the newest policy change has that policy). */
struct hull_pss_version {
	bool pinned;    /* false: latest */
	unsigned minor; /* v1.<minor> when pinned */
};
#define HULL_PSS_NEWEST_MINOR 37 /* the newest release whose policy changed */

/* "latest" or "v1.N" (N without leading zeros, as Kubernetes' own parser
 * takes them). Anything else is HULL_ERR_USAGE naming the value; *out is
 * then latest, which is what Pod Security Admission evaluates a namespace
 * with an unparsable version label at. */
int hull_pss_version_parse(const char *s, struct hull_pss_version *out, struct hull_err *err);
/* "latest" or "v1.N" in buf (at least 16 bytes); returns buf. */
const char *hull_pss_version_name(struct hull_pss_version v, char *buf, size_t n);

struct hull_policy; /* misconfig/policy.h */

struct hull_check_opts {
	enum hull_profile_sel profile;
	const struct hull_policy *policy; /* may be NULL */
	/* Kubernetes workloads: the Pod Security Standards version, and the
	 * level they are judged at: HULL_PSS_NONE means the profile's
	 * (Restricted for HULL_PROFILE_ALL). A few controls differ between the
	 * levels beyond which rules run (hull_pss_level_matters). */
	struct hull_pss_version pss_version;
	enum hull_pss pss_level;
};

/* Whether judging m's Kubernetes workloads at the Baseline or at the
 * Restricted level can give a Baseline rule a different answer: a Windows
 * pod (the Restricted capabilities and seccomp checks replace the Baseline
 * ones and admit it) or one with hostUsers: false (/proc mount). When false,
 * one run at the Restricted level answers for both levels. */
bool hull_pss_level_matters(const struct hull_model *m);

/* Runs every selected rule over m and appends the findings to out (which
 * owns them). Findings are in model order; sort with hull_findings_sort.
 * Errors: out of memory only (out keeps what was added). */
int hull_misconfig_check(const struct hull_model *m, const struct hull_check_opts *opts,
                         struct hull_findings *out, struct hull_err *err);

/* The catalogue as Markdown (docs/rules.md) or as an aligned text table
 * (`hull config --list-rules`), appended to out. */
int hull_rules_markdown(struct hull_buf *out, struct hull_err *err);
int hull_rules_table(struct hull_buf *out, struct hull_err *err);

#endif
