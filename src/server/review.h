/* review: what hull serve decides, independent of sockets and TLS.
 *
 * An AdmissionReview (Kubernetes validating webhook) or a Docker
 * authorization request goes in, a response document and a decision come
 * out. The object under review is turned into the workload model by the
 * misconfig front ends (Kubernetes objects through hull_k8s_load_doc, a
 * container-create body through the inspect front end), checked by the
 * one rule engine with the operator's policy file, and each finding is
 * sorted into modes like Pod Security Admission's:
 *
 *   enforce  the request is denied; status.message / Msg lists each rule
 *            with the occurrences and the remediation
 *   warn     allowed, with a `warnings` entry per finding (Kubernetes)
 *   audit    allowed, logged (the decision's audit line) and named in the
 *            response's auditAnnotations
 *
 * Which mode a finding gets: a per-rule mode from the admission config
 * wins; else each mode applies when the rule belongs to that mode's level
 * (none, baseline, restricted, all), per namespace, with defaults. Modes
 * are independent: a finding can be enforced and warned about. Exempted
 * namespaces and users are allowed without evaluation; the policy file's
 * own exemptions suppress single findings (then not enforced, not warned,
 * not audited).
 *
 * Thread safety: a struct hull_review_cfg is immutable once built and may
 * be used by many threads at once (its image report index has its own
 * lock). Functions here never print. */
#ifndef HULL_SERVER_REVIEW_H
#define HULL_SERVER_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "misconfig/policy.h"
#include "misconfig/rules.h"
#include "report/findings.h"
#include "util/buf.h"
#include "util/err.h"

#define HULL_REVIEW_MAX_BODY   (8u << 20) /* request documents */
#define HULL_REVIEW_MAX_RESP   (1u << 20) /* response documents */
#define HULL_REVIEW_MAX_MSG    16384u     /* status.message / Msg */
#define HULL_REVIEW_MAX_WARN   64u        /* warnings per response */
#define HULL_REVIEW_WARN_CHARS 256u       /* per warning (the API server's advice) */
#define HULL_REVIEW_CFG_MAX    (1u << 20) /* admission config file */
#define HULL_REVIEW_CFG_ITEMS  10000u     /* entries per list of it */

enum {
	HULL_MODE_ENFORCE = 1,
	HULL_MODE_WARN = 2,
	HULL_MODE_AUDIT = 4,
};

/* A mode's level: HULL_LEVEL_NONE, or a hull_profile_sel (ALL, BASELINE,
 * RESTRICTED). HULL_LEVEL_INHERIT only inside namespace entries. Each mode
 * also has a Pod Security Standards version (version[0] enforce, [1] warn,
 * [2] audit, the HULL_MODE_* bit order); a bit of vset says the version is
 * set at this level (namespace entries and labels inherit the others). */
#define HULL_LEVEL_NONE    (-1)
#define HULL_LEVEL_INHERIT (-2)
struct hull_levels {
	int enforce, warn, audit;
	struct hull_pss_version version[3];
	unsigned vset;
};

/* "none" (or "privileged"), "baseline", "restricted", "all". */
int hull_level_parse(const char *s, int *out, struct hull_err *err);
const char *hull_level_name(int level);

struct hull_review_cfg;
struct hull_ns_store; /* server/nslabels.h */

/* Options from the command line; every field may be left zero. */
struct hull_review_opts {
	const char *policy_path;    /* hull config's policy file, or NULL */
	const char *admission_path; /* modes, namespaces, images (docs/serve.md) */
	/* Command-line overrides of the admission file's defaults
	 * (HULL_LEVEL_INHERIT: keep). */
	struct hull_levels levels;
	const char *const *exempt_namespaces;
	size_t nexempt_namespaces;
	const char *image_reports; /* directory of `hull image --format json` reports */
	const char *image_severity;
	bool fail_closed;
	bool no_decision_log; /* leave hull_decision.log empty (saves the work) */
	/* the default Pod Security Standards version of every mode (over the
	 * admission file's defaults) when pss_version_set */
	struct hull_pss_version pss_version;
	bool pss_version_set;
	/* where the pod-security.kubernetes.io labels of reviewed Namespace
	 * objects are kept and looked up (borrowed; NULL: labels are not
	 * honoured) */
	struct hull_ns_store *ns_store;
};

/* Builds a configuration from the files and overrides. Without any, the
 * defaults are: enforce the policy file's profile (else baseline), warn
 * and audit every rule. Errors name the file and line. *out is freed with
 * hull_review_cfg_free. */
int hull_review_cfg_load(const struct hull_review_opts *o, struct hull_review_cfg **out,
                         struct hull_err *err);
/* The same from in-memory documents (tests, fuzzers); either may be NULL. */
int hull_review_cfg_parse(const char *policy, size_t policy_len, const char *admission,
                          size_t admission_len, const struct hull_review_opts *o,
                          struct hull_review_cfg **out, struct hull_err *err);
void hull_review_cfg_free(struct hull_review_cfg *c);
/* One line describing the configuration, for the start-up log. */
void hull_review_cfg_describe(const struct hull_review_cfg *c, struct hull_buf *out);

/* The image check's pseudo rule id (denials are counted under it). */
#define HULL_REVIEW_IMAGE_RULE "HULL-IMAGE"

/* What one review decided, for metrics and logs. */
struct hull_decision {
	bool allowed;
	bool dry_run;
	bool exempt;    /* namespace / user exemption, or not a reviewed request */
	bool evaluated; /* rules ran */
	bool internal_error;
	/* Rules that denied, as indexes into hull_rules() (the image pseudo
	 * rule is index nrules); each at most once. */
	unsigned denied[64];
	size_t ndenied;
	size_t nwarn, naudit;
	/* One JSON line for the audit log, or empty (dry runs, exemptions
	 * without findings). Owned: release with hull_decision_release. */
	struct hull_buf log;
};
void hull_decision_release(struct hull_decision *d);

/* POST /validate: body is an admission.k8s.io/v1 (or v1beta1)
 * AdmissionReview. On success (0) *resp holds the AdmissionReview response
 * to send with status 200, also when the object is denied, and *d the
 * decision. A body that is not a usable AdmissionReview (bad JSON, wrong
 * kind, no request or uid) fails (-1) with HULL_ERR_INPUT: answer 400 with
 * the message. An internal failure while evaluating is answered in the
 * review: denied (cfg fail-closed) or allowed with a warning. */
int hull_review_admission(const struct hull_review_cfg *cfg, const char *body, size_t len,
                          struct hull_buf *resp, struct hull_decision *d, struct hull_err *err);

/* POST /AuthZPlugin.AuthZReq: a Docker authorization request. Container
 * creation (POST [/vX.Y]/containers/create) is evaluated; everything else
 * is allowed. *resp gets {"Allow":..,"Msg":..,"Err":..}. Fails (-1,
 * HULL_ERR_INPUT) only when the body is not a JSON object. */
int hull_review_authz_req(const struct hull_review_cfg *cfg, const char *body, size_t len,
                          struct hull_buf *resp, struct hull_decision *d, struct hull_err *err);
/* POST /AuthZPlugin.AuthZRes: responses are always allowed. */
int hull_review_authz_res(const char *body, size_t len, struct hull_buf *resp,
                          struct hull_err *err);

/* Base64 (standard alphabet, padding optional, no whitespace) into out,
 * which must hold len / 4 * 3 + 3 bytes. Returns the decoded length or -1. */
long hull_base64_decode(const char *in, size_t len, unsigned char *out);

#endif
