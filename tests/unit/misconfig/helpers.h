/* Shared by the misconfig unit tests: load a file or a string into a
 * model, run the rules, and ask which rule ids fired. */
#ifndef HULL_TESTS_MISCONFIG_HELPERS_H
#define HULL_TESTS_MISCONFIG_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misconfig/load.h"
#include "misconfig/policy.h"
#include "misconfig/rules.h"
#include "util/fs.h"

/* Loads data (kind detected unless given) and appends the findings of the
 * rules selected by profile to out. Returns 0, or -1 with err set. */
static inline int scan_data(const char *data, size_t len, const char *name,
                            enum hull_config_kind kind, enum hull_profile_sel profile,
                            const struct hull_policy *policy, struct hull_findings *out,
                            struct hull_err *err)
{
	struct hull_model *m = hull_model_new();
	enum hull_config_kind got;
	int rc = -1;
	if (!m)
		return hull_err_nomem(err);
	if (hull_config_load(m, data, len, name, kind, NULL, &got, err) == 0) {
		if (got == HULL_CONFIG_UNKNOWN) {
			hull_err_set(err, HULL_ERR_INPUT, "%s: unknown kind", name);
		} else {
			struct hull_check_opts o = {.profile = profile, .policy = policy};
			rc = hull_misconfig_check(m, &o, out, err);
		}
	}
	hull_model_free(m);
	return rc;
}

static inline int scan_path(const char *path, enum hull_config_kind kind,
                            enum hull_profile_sel profile, struct hull_findings *out,
                            struct hull_err *err)
{
	char *data;
	size_t len;
	if (hull_fs_read_file(path, HULL_LOAD_MAX_BYTES, &data, &len, err) < 0)
		return -1;
	int rc = scan_data(data, len, path, kind, profile, NULL, out, err);
	free(data);
	return rc;
}

/* How many unsuppressed findings have this id. */
static inline size_t count_id(const struct hull_findings *l, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !l->items[i].suppressed && !strcmp(l->items[i].id, id);
	return n;
}

/* Comma-separated list contains item exactly. */
static inline bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, item, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* The ids (space-separated) of the unsuppressed findings, for messages. */
static inline const char *ids_of(const struct hull_findings *l)
{
	static char buf[4096];
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < l->n && o + 16 < sizeof(buf); i++)
		if (!l->items[i].suppressed)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? " " : "",
			                      l->items[i].id);
	return buf;
}

#endif
