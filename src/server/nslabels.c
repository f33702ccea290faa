/* Namespace Pod Security labels: parsing as Pod Security Admission does,
 * and the shared store (a sorted array under a mutex). */
#include "server/nslabels.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "pod-security.kubernetes.io/"

static const char *const mode_names[3] = {"enforce", "warn", "audit"};

static void add_error(struct hull_ns_policy *p, const char *label, const char *value,
                      const char *want)
{
	size_t used = strlen(p->error);
	snprintf(p->error + used, sizeof(p->error) - used, "%s%s%s=%.64s: %s", used ? "; " : "",
	         PREFIX, label, value, want);
}

static int *mode_level(struct hull_levels *lv, int mode)
{
	return mode == 0 ? &lv->enforce : mode == 1 ? &lv->warn : &lv->audit;
}

/* A level label: privileged, baseline or restricted (api.ParseLevel). */
static void level_label(struct hull_ns_policy *p, int mode, const char *v)
{
	int *dst = mode_level(&p->lv, mode);
	if (!strcmp(v, "privileged"))
		*dst = HULL_LEVEL_NONE;
	else if (!strcmp(v, "baseline"))
		*dst = HULL_PROFILE_BASELINE;
	else if (!strcmp(v, "restricted"))
		*dst = HULL_PROFILE_RESTRICTED;
	else {
		/* enforce fails closed, warn and audit fail open */
		*dst = mode == 0 ? HULL_PROFILE_RESTRICTED : HULL_LEVEL_NONE;
		add_error(p, mode_names[mode], v,
		          "must be one of privileged, baseline, restricted");
		return;
	}
	if (mode == 0)
		p->enforce_label = true;
}

static void version_label(struct hull_ns_policy *p, int mode, const char *v)
{
	char label[32];
	snprintf(label, sizeof(label), "%s-version", mode_names[mode]);
	if (hull_pss_version_parse(v, &p->lv.version[mode], NULL) < 0)
		add_error(p, label, v, "must be \"latest\" or \"v1.x\" (evaluated at latest)");
	p->lv.vset |= 1u << mode;
}

/* A label's value as text, or NULL when absent. */
static const char *label(struct json_object *labels, const char *name)
{
	char key[64];
	struct json_object *v;
	snprintf(key, sizeof(key), PREFIX "%s", name);
	if (!json_object_object_get_ex(labels, key, &v))
		return NULL;
	/* label values are strings; anything else is not a level */
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
	                                                : "(not a string)";
}

void hull_ns_policy_parse(struct json_object *labels, struct hull_ns_policy *out)
{
	memset(out, 0, sizeof(*out));
	out->lv.enforce = out->lv.warn = out->lv.audit = HULL_LEVEL_INHERIT;
	if (!labels || !json_object_is_type(labels, json_type_object))
		return;
	/* a fixed order, so that the same labels give the same error text
	 * (an update is refused only when its errors differ) */
	for (int m = 0; m < 3; m++) {
		char vname[32];
		snprintf(vname, sizeof(vname), "%s-version", mode_names[m]);
		const char *level = label(labels, mode_names[m]), *version = label(labels, vname);
		if (level)
			level_label(out, m, level);
		if (version)
			version_label(out, m, version);
	}
}

/* ---- the store ------------------------------------------------------- */

struct entry {
	char *name;
	struct hull_ns_policy p;
};

struct hull_ns_store {
	pthread_mutex_t mu;
	struct entry *v;
	size_t n, cap;
};

struct hull_ns_store *hull_ns_store_new(void)
{
	struct hull_ns_store *s = calloc(1, sizeof(*s));
	if (s && pthread_mutex_init(&s->mu, NULL)) {
		free(s);
		return NULL;
	}
	return s;
}

void hull_ns_store_free(struct hull_ns_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* Index of name, or where it would go (*found false). Under the lock. */
static size_t find(const struct hull_ns_store *s, const char *name, bool *found)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid].name, name);
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static bool insert(struct hull_ns_store *s, size_t at, const char *name,
                   const struct hull_ns_policy *p)
{
	if (s->n == HULL_NS_MAX)
		return false;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct entry *nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv)
			return false;
		s->v = nv;
		s->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return false;
	memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof(*s->v));
	s->v[at] = (struct entry){copy, *p};
	s->n++;
	return true;
}

bool hull_ns_store_put(struct hull_ns_store *s, const char *name, const struct hull_ns_policy *p)
{
	bool found, ok = true;
	if (!s || !name)
		return false;
	pthread_mutex_lock(&s->mu);
	size_t i = find(s, name, &found);
	if (found)
		s->v[i].p = *p;
	else
		ok = insert(s, i, name, p);
	pthread_mutex_unlock(&s->mu);
	return ok;
}

void hull_ns_store_del(struct hull_ns_store *s, const char *name)
{
	bool found;
	if (!s || !name)
		return;
	pthread_mutex_lock(&s->mu);
	size_t i = find(s, name, &found);
	if (found) {
		free(s->v[i].name);
		memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
		s->n--;
	}
	pthread_mutex_unlock(&s->mu);
}

bool hull_ns_store_get(struct hull_ns_store *s, const char *name, struct hull_ns_policy *out)
{
	bool found;
	if (!s || !name)
		return false;
	pthread_mutex_lock(&s->mu);
	size_t i = find(s, name, &found);
	if (found)
		*out = s->v[i].p;
	pthread_mutex_unlock(&s->mu);
	return found;
}
