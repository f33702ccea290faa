/* What review_cfg.c and review.c share. */
#ifndef HULL_SERVER_REVIEW_INTERNAL_H
#define HULL_SERVER_REVIEW_INTERNAL_H

#include <strings.h>

#include "server/review.h"

#define HULL_RULE_MODE_UNSET 0xff

struct hull_ns_entry {
	char *pattern; /* a namespace name or an fnmatch pattern */
	bool exempt;
	struct hull_levels lv; /* HULL_LEVEL_INHERIT: the default's */
};

struct hull_images;

struct hull_review_cfg {
	struct hull_policy *policy; /* may be NULL */
	struct hull_levels defaults;
	struct hull_ns_entry *ns;
	size_t nns;
	char **exempt_ns, **exempt_users; /* fnmatch patterns */
	size_t nexempt_ns, nexempt_users;
	unsigned char *rule_modes; /* per rule index (+ the image rule), or UNSET */
	size_t nrules;
	struct hull_images *images; /* NULL: no image check */
	enum hull_severity image_sev;
	unsigned image_modes;
	bool fail_closed;
	bool no_log;
	struct hull_ns_store *ns_store; /* borrowed, may be NULL */
};

bool hull_review_exempt(const struct hull_review_cfg *c, const char *ns, const char *user);
const struct hull_ns_entry *hull_review_ns(const struct hull_review_cfg *c, const char *ns);
/* The levels and versions of namespace ns: the defaults, then the
 * namespace's pod-security labels (when known), then its entry in the
 * admission file. label_err (may be NULL, HULL_NS_ERROR_MAX bytes) gets what
 * was wrong with the labels, or "". */
struct hull_levels hull_review_levels(const struct hull_review_cfg *c, const char *ns,
                                      char *label_err);
/* The modes of rule index idx (nrules: the image rule) at these levels. */
unsigned hull_review_modes(const struct hull_review_cfg *c, const struct hull_levels *lv, int idx);
/* A rule id's index (the image rule: nrules), or -1. */
int hull_review_rule_index(const char *id);

#endif
