/* policy: what a team changes about the rule set, in one YAML file
 * (`hull config --policy FILE`, and the admission webhook's policy).
 *
 *   profile: restricted        # optional: the default for --profile
 *   pss-version: v1.29         # optional: the default for --pss-version
 *   rules:
 *     HULL-C013: off           # turn a rule off ("off", false, {enabled: false})
 *     HULL-C040: {severity: high}
 *   exemptions:
 *     - rules: [HULL-C015]     # or `rule: HULL-C015`; absent: every rule
 *       namespace: monitoring  # selectors, all must match; globs allowed
 *       name: node-exporter*
 *       kind: DaemonSet
 *       labels: {app: node-exporter}
 *       reason: reads host processes by design   # required
 *
 * Strict: unknown keys, unknown rule ids, an exemption without a reason or
 * without any rule or selector are errors naming the file and line, so a
 * typo never silently widens or narrows what is checked. Exempted findings
 * are kept, marked suppressed with "policy: <reason>". */
#ifndef HULL_MISCONFIG_POLICY_H
#define HULL_MISCONFIG_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "misconfig/model.h"
#include "misconfig/rules.h"
#include "report/findings.h"
#include "util/err.h"

#define HULL_POLICY_MAX_BYTES (4u << 20)
#define HULL_POLICY_MAX_ITEMS 10000u

struct hull_policy;

/* Parses a policy document (YAML or JSON). *out is owned by the caller. */
int hull_policy_parse(const char *data, size_t len, const char *name, struct hull_policy **out,
                      struct hull_err *err);
/* Reads and parses a policy file (at most HULL_POLICY_MAX_BYTES). */
int hull_policy_load(const char *path, struct hull_policy **out, struct hull_err *err);
void hull_policy_free(struct hull_policy *p);

/* The profile the policy asks for; false when it names none. */
bool hull_policy_profile(const struct hull_policy *p, enum hull_profile_sel *out);
/* The Pod Security Standards version it asks for; false when none. */
bool hull_policy_pss_version(const struct hull_policy *p, struct hull_pss_version *out);
/* False when the policy turns the rule off. p may be NULL. */
bool hull_policy_rule_enabled(const struct hull_policy *p, const char *rule_id);
/* The severity of a rule after the policy (def when it does not change it). */
enum hull_severity hull_policy_severity(const struct hull_policy *p, const char *rule_id,
                                        enum hull_severity def);
/* The reason of the first exemption covering (rule, workload), or NULL.
 * For objects (no workload), kind/name/namespace are the object's. */
const char *hull_policy_exempt(const struct hull_policy *p, const char *rule_id, const char *kind,
                               const char *name, const char *namespace,
                               const hull_pairlist *labels);

#endif
