/* nslabels: the Pod Security Admission labels of namespaces, as hull serve
 * learns them.
 *
 * A validating webhook is sent the object under review, never its
 * namespace. When the webhook configuration also sends Namespace objects,
 * hull serve reads their pod-security.kubernetes.io/{enforce,warn,audit}
 * and {enforce,warn,audit}-version labels and applies them to the
 * namespace's later requests, the way Pod Security Admission applies them
 * (api.PolicyToEvaluate): an unparsable level label is `restricted` for
 * enforce and `privileged` for warn and audit, an unparsable version label
 * `latest`, each with an error; a Namespace created (or relabelled) with
 * invalid labels is denied, as Pod Security Admission denies it.
 *
 * The store is shared by every worker thread (a mutex), outlives
 * configuration reloads, and holds at most HULL_NS_MAX namespaces (further
 * ones are not remembered and get the configured defaults). */
#ifndef HULL_SERVER_NSLABELS_H
#define HULL_SERVER_NSLABELS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "server/review.h"

#define HULL_NS_MAX       100000u
#define HULL_NS_ERROR_MAX 512u

/* One namespace's labels: levels HULL_LEVEL_INHERIT where no label says,
 * versions in levels.vset where a version label is present. */
struct hull_ns_policy {
	struct hull_levels lv;
	bool enforce_label;            /* a valid enforce level label (warn may follow it) */
	char error[HULL_NS_ERROR_MAX]; /* "" or what was unparsable */
};

/* Reads metadata.labels (a JSON object, may be NULL) into *out. */
void hull_ns_policy_parse(struct json_object *labels, struct hull_ns_policy *out);

struct hull_ns_store;

/* A new empty store, or NULL when out of memory. */
struct hull_ns_store *hull_ns_store_new(void);
void hull_ns_store_free(struct hull_ns_store *s);
/* Records (or replaces) the policy of namespace name. False when the store
 * is full or out of memory (the namespace then gets the defaults). */
bool hull_ns_store_put(struct hull_ns_store *s, const char *name, const struct hull_ns_policy *p);
void hull_ns_store_del(struct hull_ns_store *s, const char *name);
/* Copies the policy of name into *out; false when it is not known. */
bool hull_ns_store_get(struct hull_ns_store *s, const char *name, struct hull_ns_policy *out);

#endif
