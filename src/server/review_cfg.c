/* The admission configuration of hull serve: modes, namespaces, images. */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/images.h"
#include "server/nslabels.h"
#include "server/review_internal.h"
#include "util/fs.h"
#include "util/yaml.h"

int hull_level_parse(const char *s, int *out, struct hull_err *err)
{
	if (s && (!strcmp(s, "none") || !strcmp(s, "privileged") || !strcmp(s, "off"))) {
		*out = HULL_LEVEL_NONE;
		return 0;
	}
	enum hull_profile_sel p;
	if (!s || hull_profile_parse(s, &p, NULL) < 0)
		return hull_err_set(
		    err, HULL_ERR_USAGE,
		    "unknown level '%.64s' (choose none, baseline, restricted or all)", s ? s : "");
	*out = (int)p;
	return 0;
}

const char *hull_level_name(int level)
{
	switch (level) {
	case HULL_PROFILE_ALL:
		return "all";
	case HULL_PROFILE_BASELINE:
		return "baseline";
	case HULL_PROFILE_RESTRICTED:
		return "restricted";
	default:
		return "none";
	}
}

void hull_review_cfg_free(struct hull_review_cfg *c)
{
	if (!c)
		return;
	hull_policy_free(c->policy);
	for (size_t i = 0; i < c->nns; i++)
		free(c->ns[i].pattern);
	free(c->ns);
	for (size_t i = 0; i < c->nexempt_ns; i++)
		free(c->exempt_ns[i]);
	free(c->exempt_ns);
	for (size_t i = 0; i < c->nexempt_users; i++)
		free(c->exempt_users[i]);
	free(c->exempt_users);
	free(c->rule_modes);
	hull_images_free(c->images);
	free(c);
}

/* ---- the admission file ---------------------------------------------- */

struct parse {
	const struct hull_yaml *y;
	const char *name;
	struct hull_err *err;
};

__attribute__((format(printf, 3, 4))) static int
bad(const struct parse *p, const struct json_object *node, const char *fmt, ...)
{
	unsigned line = 0, col = 0;
	if (node)
		hull_yaml_pos(p->y, node, &line, &col);
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return hull_err_set(p->err, HULL_ERR_INPUT, "%s: line %u, column %u: %s", p->name, line,
	                    col, what);
}

static const char *str_of(struct json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int level_of(const struct parse *p, struct json_object *v, int *out)
{
	const char *s = str_of(v);
	if (!s || hull_level_parse(s, out, NULL) < 0)
		return bad(p, v, "%s: a level is none, baseline, restricted or all",
		           s ? s : "not a string");
	return 0;
}

/* enforce-version: v1.29 (the spelling of the namespace labels) */
static int version_of(const struct parse *p, struct json_object *v, const char *k,
                      struct hull_levels *lv)
{
	static const char *const keys[] = {"enforce-version", "warn-version", "audit-version"};
	for (unsigned m = 0; m < 3; m++) {
		if (strcmp(k, keys[m]))
			continue;
		struct hull_err e = {0};
		if (!str_of(v) || hull_pss_version_parse(str_of(v), &lv->version[m], &e) < 0)
			return bad(p, v, "%s: %s", k,
			           str_of(v) ? e.msg : "expected latest or v1.N");
		lv->vset |= 1u << m;
		return 0;
	}
	return bad(p, v,
	           "unknown key '%.64s' (enforce, warn, audit, enforce-version, warn-version, "
	           "audit-version)",
	           k);
}

static int levels(const struct parse *p, struct json_object *map, struct hull_levels *lv)
{
	if (!json_object_is_type(map, json_type_object))
		return bad(p, map, "%s", "expected a mapping of enforce, warn and audit levels");
	json_object_object_foreach(map, k, v)
	{
		int *dst = !strcmp(k, "enforce") ? &lv->enforce
		           : !strcmp(k, "warn")  ? &lv->warn
		           : !strcmp(k, "audit") ? &lv->audit
		                                 : NULL;
		if (!dst) {
			if (version_of(p, v, k, lv) < 0)
				return -1;
			continue;
		}
		if (level_of(p, v, dst) < 0)
			return -1;
	}
	return 0;
}

static int mode_word(const char *s, unsigned *out)
{
	if (!strcmp(s, "enforce"))
		*out |= HULL_MODE_ENFORCE;
	else if (!strcmp(s, "warn"))
		*out |= HULL_MODE_WARN;
	else if (!strcmp(s, "audit"))
		*out |= HULL_MODE_AUDIT;
	else if (strcmp(s, "off") != 0)
		return -1;
	return 0;
}

/* "warn", "off", [warn, audit] */
static int modes_of(const struct parse *p, struct json_object *v, unsigned *out)
{
	*out = 0;
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			if (!str_of(e) || mode_word(str_of(e), out) < 0)
				return bad(p, e, "%s: a mode is enforce, warn, audit or off",
				           str_of(e) ? str_of(e) : "not a string");
		}
		return 0;
	}
	if (json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v))
		return 0;
	if (!str_of(v) || mode_word(str_of(v), out) < 0)
		return bad(p, v, "%s: a mode is enforce, warn, audit or off (or a list of them)",
		           str_of(v) ? str_of(v) : "not a string");
	return 0;
}

static int rule_index(const char *id)
{
	size_t n;
	const struct hull_rule *all = hull_rules(&n);
	if (!strcasecmp(id, HULL_REVIEW_IMAGE_RULE))
		return (int)n;
	/* the catalogue is in id order: findings' ids are looked up per request */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(all[mid].id, id);
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct hull_rule *r = hull_rule_find(id); /* other spellings */
	return r ? (int)(r - all) : -1;
}

static int rules_section(const struct parse *p, struct hull_review_cfg *c, struct json_object *map)
{
	if (!json_object_is_type(map, json_type_object))
		return bad(p, map, "%s", "rules: expected a mapping of rule ids to modes");
	json_object_object_foreach(map, k, v)
	{
		int idx = rule_index(k);
		if (idx < 0)
			return bad(p, v, "unknown rule id '%.64s'", k);
		unsigned m;
		if (modes_of(p, v, &m) < 0)
			return -1;
		c->rule_modes[idx] = (unsigned char)m;
	}
	return 0;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	if (*n >= HULL_REVIEW_CFG_ITEMS)
		return -1;
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static int str_list(const struct parse *p, struct json_object *arr, char ***v, size_t *n)
{
	if (!json_object_is_type(arr, json_type_array))
		return bad(p, arr, "%s", "expected a list of strings");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		if (!str_of(e))
			return bad(p, e, "%s", "expected a string");
		if (push_str(v, n, str_of(e)) < 0)
			return bad(p, e, "%s", "too many entries, or out of memory");
	}
	return 0;
}

static int exemptions(const struct parse *p, struct hull_review_cfg *c, struct json_object *map)
{
	if (!json_object_is_type(map, json_type_object))
		return bad(p, map, "%s", "exemptions: expected a mapping");
	json_object_object_foreach(map, k, v)
	{
		int rc;
		if (!strcmp(k, "namespaces"))
			rc = str_list(p, v, &c->exempt_ns, &c->nexempt_ns);
		else if (!strcmp(k, "usernames"))
			rc = str_list(p, v, &c->exempt_users, &c->nexempt_users);
		else
			rc = bad(p, v, "unknown key '%.64s' (namespaces, usernames)", k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int namespaces(const struct parse *p, struct hull_review_cfg *c, struct json_object *map)
{
	if (!json_object_is_type(map, json_type_object))
		return bad(p, map, "%s", "namespaces: expected a mapping of namespaces to levels");
	size_t n = (size_t)json_object_object_length(map);
	if (n > HULL_REVIEW_CFG_ITEMS)
		return bad(p, map, "%s", "namespaces: too many entries");
	c->ns = calloc(n ? n : 1, sizeof(*c->ns));
	if (!c->ns)
		return hull_err_nomem(p->err);
	json_object_object_foreach(map, k, v)
	{
		struct hull_ns_entry *e = &c->ns[c->nns];
		if (!(e->pattern = strdup(k)))
			return hull_err_nomem(p->err);
		c->nns++;
		e->lv = (struct hull_levels){HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT,
		                             HULL_LEVEL_INHERIT};
		if (str_of(v) && !strcmp(str_of(v), "exempt")) {
			e->exempt = true;
			continue;
		}
		if (str_of(v)) {
			/* a bare level sets all three modes, like `enforce: x, warn: x, audit: x`
			 */
			int l;
			if (level_of(p, v, &l) < 0)
				return -1;
			e->lv = (struct hull_levels){l, l, l};
			continue;
		}
		if (levels(p, v, &e->lv) < 0)
			return -1;
	}
	return 0;
}

static int images_section(const struct parse *p, struct hull_review_cfg *c, struct json_object *map,
                          const char **dir)
{
	if (!json_object_is_type(map, json_type_object))
		return bad(p, map, "%s", "images: expected a mapping");
	json_object_object_foreach(map, k, v)
	{
		if (!strcmp(k, "reports")) {
			if (!(*dir = str_of(v)))
				return bad(p, v, "%s", "images.reports: expected a directory");
		} else if (!strcmp(k, "severity")) {
			if (!str_of(v) || hull_severity_parse(str_of(v), &c->image_sev, NULL) < 0)
				return bad(p, v, "%s", "images.severity: expected a severity");
		} else if (!strcmp(k, "mode")) {
			unsigned m;
			if (modes_of(p, v, &m) < 0)
				return -1;
			c->image_modes = m;
		} else {
			return bad(p, v, "unknown key '%.64s' (reports, severity, mode)", k);
		}
	}
	return 0;
}

static int admission_doc(struct hull_review_cfg *c, const char *data, size_t len, const char *name,
                         const char **image_dir, struct hull_yaml **keep, struct hull_err *err)
{
	struct hull_yaml *y;
	if (hull_yaml_parse(data, len, name, &y, err) < 0)
		return -1;
	*keep = y;
	struct parse p = {y, name, err};
	struct json_object *doc = hull_yaml_ndocs(y) ? hull_yaml_doc(y, 0) : NULL;
	if (!doc)
		return 0;
	if (hull_yaml_ndocs(y) > 1)
		return bad(&p, hull_yaml_doc(y, 1), "%s", "one document expected");
	if (!json_object_is_type(doc, json_type_object))
		return bad(&p, doc, "%s", "expected a mapping");
	json_object_object_foreach(doc, k, v)
	{
		int rc;
		if (!strcmp(k, "defaults"))
			rc = levels(&p, v, &c->defaults);
		else if (!strcmp(k, "rules"))
			rc = rules_section(&p, c, v);
		else if (!strcmp(k, "namespaces"))
			rc = namespaces(&p, c, v);
		else if (!strcmp(k, "exemptions"))
			rc = exemptions(&p, c, v);
		else if (!strcmp(k, "images"))
			rc = images_section(&p, c, v, image_dir);
		else if (!strcmp(k, "failClosed"))
			rc = json_object_is_type(v, json_type_boolean)
			         ? (c->fail_closed = json_object_get_boolean(v), 0)
			         : bad(&p, v, "%s", "failClosed: expected true or false");
		else
			rc = bad(&p, v,
			         "unknown key '%.64s' (defaults, rules, namespaces, exemptions, "
			         "images, failClosed)",
			         k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void apply_opts(struct hull_review_cfg *c, const struct hull_review_opts *o)
{
	if (o->levels.enforce != HULL_LEVEL_INHERIT)
		c->defaults.enforce = o->levels.enforce;
	if (o->levels.warn != HULL_LEVEL_INHERIT)
		c->defaults.warn = o->levels.warn;
	if (o->levels.audit != HULL_LEVEL_INHERIT)
		c->defaults.audit = o->levels.audit;
	if (o->fail_closed)
		c->fail_closed = true;
	if (o->pss_version_set) {
		for (int m = 0; m < 3; m++)
			c->defaults.version[m] = o->pss_version;
		c->defaults.vset = 7;
	}
	c->no_log = o->no_decision_log;
	c->ns_store = o->ns_store;
}

int hull_review_cfg_parse(const char *policy, size_t policy_len, const char *admission,
                          size_t admission_len, const struct hull_review_opts *o,
                          struct hull_review_cfg **out, struct hull_err *err)
{
	static const struct hull_review_opts none = {
	    .levels = {HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT}};
	if (!o)
		o = &none;
	size_t nrules;
	hull_rules(&nrules);
	struct hull_review_cfg *c = calloc(1, sizeof(*c));
	if (!c || !(c->rule_modes = malloc(nrules + 1))) {
		free(c);
		return hull_err_nomem(err);
	}
	c->nrules = nrules;
	memset(c->rule_modes, HULL_RULE_MODE_UNSET, nrules + 1);
	c->image_sev = HULL_SEV_CRITICAL;
	c->image_modes = HULL_MODE_ENFORCE | HULL_MODE_AUDIT;
	const char *pname = o->policy_path ? o->policy_path : "policy";
	const char *aname = o->admission_path ? o->admission_path : "admission config";
	if (policy && hull_policy_parse(policy, policy_len, pname, &c->policy, err) < 0)
		goto fail;
	enum hull_profile_sel prof = HULL_PROFILE_BASELINE;
	struct hull_pss_version pv = {0};
	if (c->policy)
		hull_policy_profile(c->policy, &prof);
	c->defaults = (struct hull_levels){(int)prof, HULL_PROFILE_ALL, HULL_PROFILE_ALL};
	/* the policy file's version is every mode's, below the admission file */
	if (hull_policy_pss_version(c->policy, &pv))
		c->defaults.version[0] = c->defaults.version[1] = c->defaults.version[2] = pv;
	const char *image_dir = o->image_reports;
	struct hull_yaml *y = NULL;
	if (admission) {
		const char *dir = NULL;
		int rc = admission_doc(c, admission, admission_len, aname, &dir, &y, err);
		/* image_dir may point into y: use it before freeing */
		if (rc == 0 && !image_dir && dir && hull_images_open(dir, &c->images, err) < 0)
			rc = hull_err_wrap(err, "%s", aname);
		hull_yaml_free(y);
		if (rc < 0)
			goto fail;
	}
	if (image_dir && hull_images_open(image_dir, &c->images, err) < 0)
		goto fail;
	if (o->image_severity && hull_severity_parse(o->image_severity, &c->image_sev, err) < 0)
		goto fail;
	for (size_t i = 0; i < o->nexempt_namespaces; i++)
		if (push_str(&c->exempt_ns, &c->nexempt_ns, o->exempt_namespaces[i]) < 0) {
			hull_err_nomem(err);
			goto fail;
		}
	apply_opts(c, o);
	*out = c;
	return 0;
fail:
	hull_review_cfg_free(c);
	return -1;
}

int hull_review_cfg_load(const struct hull_review_opts *o, struct hull_review_cfg **out,
                         struct hull_err *err)
{
	char *pol = NULL, *adm = NULL;
	size_t pol_len = 0, adm_len = 0;
	int rc = -1;
	if (o->policy_path &&
	    hull_fs_read_file(o->policy_path, HULL_POLICY_MAX_BYTES, &pol, &pol_len, err) < 0)
		goto out;
	if (o->admission_path &&
	    hull_fs_read_file(o->admission_path, HULL_REVIEW_CFG_MAX, &adm, &adm_len, err) < 0)
		goto out;
	rc = hull_review_cfg_parse(pol, pol_len, adm, adm_len, o, out, err);
out:
	free(pol);
	free(adm);
	return rc;
}

void hull_review_cfg_describe(const struct hull_review_cfg *c, struct hull_buf *out)
{
	hull_buf_printf(out, NULL,
	                "enforce=%s warn=%s audit=%s, %zu namespace entries, "
	                "%zu exempt namespaces, %zu exempt users, policy %s, image check %s, %s",
	                hull_level_name(c->defaults.enforce), hull_level_name(c->defaults.warn),
	                hull_level_name(c->defaults.audit), c->nns, c->nexempt_ns, c->nexempt_users,
	                c->policy ? "loaded" : "none", c->images ? "on" : "off",
	                c->fail_closed ? "fail-closed" : "fail-open");
	if (c->images) {
		/* a report the check cannot use is named here, with the reason */
		size_t indexed = 0, skipped = 0;
		hull_images_stats(c->images, &indexed, &skipped);
		hull_buf_printf(out, NULL, ", image reports: %zu indexed", indexed);
		struct hull_buf e;
		hull_buf_init(&e, 4096);
		size_t refused = hull_images_errors(c->images, &e);
		if (refused)
			hull_buf_printf(out, NULL, ", %zu refused (%s)", refused,
			                e.data ? e.data : "");
		hull_buf_release(&e);
	}
}

/* ---- lookups --------------------------------------------------------- */

static bool glob_any(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!fnmatch(v[i], s, 0))
			return true;
	return false;
}

bool hull_review_exempt(const struct hull_review_cfg *c, const char *ns, const char *user)
{
	if (glob_any(c->exempt_ns, c->nexempt_ns, ns) ||
	    glob_any(c->exempt_users, c->nexempt_users, user))
		return true;
	const struct hull_ns_entry *e = hull_review_ns(c, ns);
	return e && e->exempt;
}

const struct hull_ns_entry *hull_review_ns(const struct hull_review_cfg *c, const char *ns)
{
	if (!ns)
		return NULL;
	/* an exact name wins over a pattern, then the first pattern in file order */
	for (size_t i = 0; i < c->nns; i++)
		if (!strcmp(c->ns[i].pattern, ns))
			return &c->ns[i];
	for (size_t i = 0; i < c->nns; i++)
		if (!fnmatch(c->ns[i].pattern, ns, 0))
			return &c->ns[i];
	return NULL;
}

static int *level_ref(struct hull_levels *lv, int mode)
{
	return mode == 0 ? &lv->enforce : mode == 1 ? &lv->warn : &lv->audit;
}

static int level_get(const struct hull_levels *lv, int mode)
{
	return mode == 0 ? lv->enforce : mode == 1 ? lv->warn : lv->audit;
}

/* Modes of `over` that are set replace those of lv. */
static void overlay(struct hull_levels *lv, const struct hull_levels *over)
{
	for (int m = 0; m < 3; m++) {
		int l = level_get(over, m);
		if (l != HULL_LEVEL_INHERIT)
			*level_ref(lv, m) = l;
		if (over->vset & (1u << m))
			lv->version[m] = over->version[m];
	}
	lv->vset |= over->vset;
}

static int strictness(int level)
{
	return level == HULL_PROFILE_ALL          ? 3
	       : level == HULL_PROFILE_RESTRICTED ? 2
	       : level == HULL_PROFILE_BASELINE   ? 1
	                                          : 0;
}

/* A namespace's labels over the defaults. As Pod Security Admission: warn
 * follows a valid enforce label that is stricter than it, with its
 * version unless a warn-version label says otherwise. */
static void apply_labels(struct hull_levels *lv, const struct hull_ns_policy *np)
{
	bool warn_label = np->lv.warn != HULL_LEVEL_INHERIT, warn_version = np->lv.vset & 2;
	overlay(lv, &np->lv);
	if (np->enforce_label && !warn_label && strictness(lv->enforce) > strictness(lv->warn)) {
		lv->warn = lv->enforce;
		if (!warn_version)
			lv->version[1] = lv->version[0];
	}
}

struct hull_levels hull_review_levels(const struct hull_review_cfg *c, const char *ns,
                                      char *label_err)
{
	struct hull_levels lv = c->defaults;
	struct hull_ns_policy np;
	if (label_err)
		*label_err = 0;
	if (c->ns_store && hull_ns_store_get(c->ns_store, ns, &np)) {
		apply_labels(&lv, &np);
		if (label_err)
			snprintf(label_err, HULL_NS_ERROR_MAX, "%s", np.error);
	}
	const struct hull_ns_entry *e = hull_review_ns(c, ns);
	if (e)
		overlay(&lv, &e->lv);
	return lv;
}

static bool in_level(int level, const struct hull_rule *r)
{
	switch (level) {
	case HULL_PROFILE_ALL:
		return true;
	case HULL_PROFILE_BASELINE:
		return r->pss == HULL_PSS_BASELINE;
	case HULL_PROFILE_RESTRICTED:
		return r->pss != HULL_PSS_NONE;
	default:
		return false;
	}
}

unsigned hull_review_modes(const struct hull_review_cfg *c, const struct hull_levels *lv, int idx)
{
	if (idx < 0 || (size_t)idx > c->nrules)
		return 0;
	if (c->rule_modes[idx] != HULL_RULE_MODE_UNSET)
		return c->rule_modes[idx];
	if ((size_t)idx == c->nrules)
		return c->image_modes;
	size_t n;
	const struct hull_rule *r = &hull_rules(&n)[idx];
	unsigned m = 0;
	if (in_level(lv->enforce, r))
		m |= HULL_MODE_ENFORCE;
	if (in_level(lv->warn, r))
		m |= HULL_MODE_WARN;
	if (in_level(lv->audit, r))
		m |= HULL_MODE_AUDIT;
	return m;
}

int hull_review_rule_index(const char *id)
{
	return rule_index(id);
}
