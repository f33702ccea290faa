/* Policy files: strict YAML into a small struct the engine queries. */
#include "misconfig/policy.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/fs.h"
#include "util/mem.h"
#include "util/yaml.h"

struct prule {
	char *id;
	bool disabled, has_sev;
	enum hull_severity sev;
};

struct pexempt {
	char **rules;
	size_t nrules;
	char *name, *namespace, *kind;
	char **label_keys, **label_values;
	size_t nlabels;
	char *reason;
};

struct hull_policy {
	bool has_profile, has_pss_version;
	enum hull_profile_sel profile;
	struct hull_pss_version pss_version;
	struct prule *rules;
	size_t nrules, caprules;
	struct pexempt *ex;
	size_t nex, capex;
};

struct pctx {
	struct hull_yaml *y;
	const char *name;
	struct hull_err *err;
};

__attribute__((format(printf, 4, 0))) static int report(struct pctx *p, unsigned line, unsigned col,
                                                        const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return hull_err_set(p->err, HULL_ERR_INPUT, "%s: line %u, column %u: %s", p->name, line,
	                    col, msg);
}

__attribute__((format(printf, 3, 4))) static int bad(struct pctx *p, const struct json_object *node,
                                                     const char *fmt, ...)
{
	unsigned line = 0, col = 0;
	hull_yaml_pos(p->y, node, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	int rc = report(p, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

/* fmt gets the key as its one argument */
__attribute__((format(printf, 4, 5))) static int bad_key(struct pctx *p, struct json_object *map,
                                                         const char *key, const char *fmt, ...)
{
	unsigned line = 0, col = 0;
	hull_yaml_key_pos(p->y, map, key, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	int rc = report(p, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

static int check_rule_id(struct pctx *p, struct json_object *node, const char *id)
{
	if (!hull_rule_find(id))
		return bad(p, node, "unknown rule id '%.64s'", id);
	return 0;
}

static int parse_rule(struct pctx *p, struct hull_policy *pol, const char *id,
                      struct json_object *v, struct json_object *map)
{
	if (!hull_rule_find(id))
		return bad_key(p, map, id, "unknown rule id '%.64s'", id);
	struct hull_err e = {0};
	if (HULL_ARRAY_PUSH_ROOM(pol->rules, pol->nrules, pol->caprules, HULL_POLICY_MAX_ITEMS,
	                         &e) < 0)
		return hull_err_set(p->err, e.kind, "%s: %s", p->name, e.msg);
	struct prule *r = &pol->rules[pol->nrules];
	memset(r, 0, sizeof(*r));
	if (!(r->id = strdup(hull_rule_find(id)->id)))
		return hull_err_nomem(p->err);
	pol->nrules++;
	if (json_object_is_type(v, json_type_boolean)) {
		r->disabled = !json_object_get_boolean(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		if (!strcasecmp(s, "off") || !strcasecmp(s, "disabled")) {
			r->disabled = true;
			return 0;
		}
		if (!strcasecmp(s, "on") || !strcasecmp(s, "enabled"))
			return 0;
		if (hull_severity_parse(s, &r->sev, NULL) == 0) {
			r->has_sev = true;
			return 0;
		}
		return bad(p, v, "expected off, on or a severity, got '%.64s'", s);
	}
	if (!json_object_is_type(v, json_type_object))
		return bad(p, v, "expected off, on, a severity or a mapping");
	json_object_object_foreach(v, k, val)
	{
		if (!strcmp(k, "enabled") && json_object_is_type(val, json_type_boolean)) {
			r->disabled = !json_object_get_boolean(val);
		} else if (!strcmp(k, "severity") && json_object_is_type(val, json_type_string)) {
			if (hull_severity_parse(json_object_get_string(val), &r->sev, NULL) < 0)
				return bad(p, val, "unknown severity '%.64s'",
				           json_object_get_string(val));
			r->has_sev = true;
		} else {
			return bad_key(p, v, k, "unknown or mistyped key '%.64s' in a rule setting",
			               k);
		}
	}
	return 0;
}

static char *dup_str(struct pctx *p, struct json_object *v, const char *what, int *rc)
{
	if (!json_object_is_type(v, json_type_string)) {
		*rc = bad(p, v, "%s must be a string", what);
		return NULL;
	}
	char *s = strdup(json_object_get_string(v));
	if (!s)
		*rc = hull_err_nomem(p->err);
	return s;
}

static int exempt_rules(struct pctx *p, struct pexempt *e, struct json_object *v)
{
	int rc = 0;
	size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;
	if (e->rules) /* a second list would replace (and overrun) the first */
		return bad(p, v, "an exemption has both 'rule' and 'rules': give one list");
	if (n > HULL_POLICY_MAX_ITEMS)
		return bad(p, v, "too many rules");
	e->rules = calloc(n ? n : 1, sizeof(*e->rules));
	if (!e->rules)
		return hull_err_nomem(p->err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct json_object *it =
		    json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, i) : v;
		char *id = dup_str(p, it, "a rule id", &rc);
		if (!id)
			break;
		e->rules[e->nrules++] = id;
		rc = check_rule_id(p, it, id);
	}
	return rc;
}

static int exempt_labels(struct pctx *p, struct pexempt *e, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return bad(p, v, "labels must be a mapping");
	size_t n = (size_t)json_object_object_length(v);
	e->label_keys = calloc(n ? n : 1, sizeof(char *));
	e->label_values = calloc(n ? n : 1, sizeof(char *));
	if (!e->label_keys || !e->label_values)
		return hull_err_nomem(p->err);
	int rc = 0;
	json_object_object_foreach(v, k, val)
	{
		char *vs = dup_str(p, val, "a label value", &rc);
		if (!vs)
			return rc;
		e->label_values[e->nlabels] = vs;
		if (!(e->label_keys[e->nlabels++] = strdup(k)))
			return hull_err_nomem(p->err);
	}
	return 0;
}

static void exempt_release(struct pexempt *e)
{
	for (size_t i = 0; i < e->nrules; i++)
		free(e->rules[i]);
	free(e->rules);
	for (size_t i = 0; i < e->nlabels; i++) {
		free(e->label_keys[i]);
		free(e->label_values[i]);
	}
	free(e->label_keys);
	free(e->label_values);
	free(e->name);
	free(e->namespace);
	free(e->kind);
	free(e->reason);
}

static int parse_exemption(struct pctx *p, struct hull_policy *pol, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return bad(p, v, "an exemption must be a mapping");
	struct hull_err e = {0};
	if (HULL_ARRAY_PUSH_ROOM(pol->ex, pol->nex, pol->capex, HULL_POLICY_MAX_ITEMS, &e) < 0)
		return hull_err_set(p->err, e.kind, "%s: %s", p->name, e.msg);
	struct pexempt *x = &pol->ex[pol->nex++];
	memset(x, 0, sizeof(*x));
	int rc = 0;
	json_object_object_foreach(v, k, val)
	{
		if (rc)
			break;
		if (!strcmp(k, "rules") || !strcmp(k, "rule"))
			rc = exempt_rules(p, x, val);
		else if (!strcmp(k, "name"))
			x->name = dup_str(p, val, "name", &rc);
		else if (!strcmp(k, "namespace"))
			x->namespace = dup_str(p, val, "namespace", &rc);
		else if (!strcmp(k, "kind"))
			x->kind = dup_str(p, val, "kind", &rc);
		else if (!strcmp(k, "labels"))
			rc = exempt_labels(p, x, val);
		else if (!strcmp(k, "reason"))
			x->reason = dup_str(p, val, "reason", &rc);
		else
			rc = bad_key(p, v, k, "unknown key '%.64s' in an exemption", k);
	}
	if (rc)
		return rc;
	if (!x->reason || !*x->reason)
		return bad(p, v, "an exemption needs a reason");
	if (!x->nrules && !x->name && !x->namespace && !x->kind && !x->nlabels)
		return bad(p, v,
		           "an exemption needs rules or a selector (name, namespace, kind, "
		           "labels)");
	return 0;
}

static int parse_doc(struct pctx *p, struct hull_policy *pol, struct json_object *doc)
{
	if (!doc)
		return 0;
	if (!json_object_is_type(doc, json_type_object))
		return bad(p, doc, "a policy must be a mapping");
	int rc = 0;
	json_object_object_foreach(doc, key, val)
	{
		if (rc)
			break;
		if (!strcmp(key, "profile")) {
			const char *s = json_object_is_type(val, json_type_string)
			                    ? json_object_get_string(val)
			                    : NULL;
			if (hull_profile_parse(s, &pol->profile, NULL) < 0)
				return bad(p, val, "profile must be all, baseline or restricted");
			pol->has_profile = true;
		} else if (!strcmp(key, "pss-version")) {
			const char *s = json_object_is_type(val, json_type_string)
			                    ? json_object_get_string(val)
			                    : NULL;
			if (hull_pss_version_parse(s, &pol->pss_version, NULL) < 0)
				return bad(p, val,
				           "pss-version must be latest or v1.N (a Pod Security "
				           "Standards version)");
			pol->has_pss_version = true;
		} else if (!strcmp(key, "rules")) {
			if (!json_object_is_type(val, json_type_object))
				return bad(p, val, "rules must be a mapping of rule ids");
			json_object_object_foreach(val, id, setting)
			{
				if ((rc = parse_rule(p, pol, id, setting, val)) < 0)
					break;
			}
		} else if (!strcmp(key, "exemptions")) {
			if (!json_object_is_type(val, json_type_array))
				return bad(p, val, "exemptions must be a list");
			for (size_t i = 0; rc == 0 && i < json_object_array_length(val); i++)
				rc = parse_exemption(p, pol, json_object_array_get_idx(val, i));
		} else {
			rc = bad_key(p, doc, key,
			             "unknown key '%.64s' (expected profile, pss-version, rules, "
			             "exemptions)",
			             key);
		}
	}
	return rc;
}

int hull_policy_parse(const char *data, size_t len, const char *name, struct hull_policy **out,
                      struct hull_err *err)
{
	*out = NULL;
	if (len > HULL_POLICY_MAX_BYTES)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: policy larger than %u bytes", name,
		                    HULL_POLICY_MAX_BYTES);
	struct pctx p = {.name = name, .err = err};
	if (hull_yaml_parse(data, len, name, &p.y, err) < 0)
		return -1;
	struct hull_policy *pol = calloc(1, sizeof(*pol));
	if (!pol) {
		hull_yaml_free(p.y);
		return hull_err_nomem(err);
	}
	int rc = 0;
	if (hull_yaml_ndocs(p.y) > 1)
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: a policy is one YAML document", name);
	else if (hull_yaml_ndocs(p.y) == 1)
		rc = parse_doc(&p, pol, hull_yaml_doc(p.y, 0));
	hull_yaml_free(p.y);
	if (rc < 0) {
		hull_policy_free(pol);
		return rc;
	}
	*out = pol;
	return 0;
}

int hull_policy_load(const char *path, struct hull_policy **out, struct hull_err *err)
{
	char *data;
	size_t len;
	*out = NULL;
	if (hull_fs_read_file(path, HULL_POLICY_MAX_BYTES, &data, &len, err) < 0)
		return -1;
	int rc = hull_policy_parse(data, len, path, out, err);
	free(data);
	return rc;
}

void hull_policy_free(struct hull_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].id);
	free(p->rules);
	for (size_t i = 0; i < p->nex; i++)
		exempt_release(&p->ex[i]);
	free(p->ex);
	free(p);
}

bool hull_policy_pss_version(const struct hull_policy *p, struct hull_pss_version *out)
{
	if (!p || !p->has_pss_version)
		return false;
	*out = p->pss_version;
	return true;
}

bool hull_policy_profile(const struct hull_policy *p, enum hull_profile_sel *out)
{
	if (!p || !p->has_profile)
		return false;
	*out = p->profile;
	return true;
}

static const struct prule *find_rule(const struct hull_policy *p, const char *id)
{
	for (size_t i = p ? p->nrules : 0; i-- > 0;)
		if (!strcasecmp(p->rules[i].id, id))
			return &p->rules[i];
	return NULL;
}

bool hull_policy_rule_enabled(const struct hull_policy *p, const char *rule_id)
{
	const struct prule *r = find_rule(p, rule_id);
	return !r || !r->disabled;
}

enum hull_severity hull_policy_severity(const struct hull_policy *p, const char *rule_id,
                                        enum hull_severity def)
{
	const struct prule *r = find_rule(p, rule_id);
	return r && r->has_sev ? r->sev : def;
}

static bool glob(const char *pattern, const char *s)
{
	return !pattern || (s && fnmatch(pattern, s, 0) == 0);
}

static bool labels_match(const struct pexempt *e, const hull_pairlist *labels)
{
	for (size_t i = 0; i < e->nlabels; i++) {
		const struct hull_pair *kv =
		    labels ? hull_pair_find(labels, e->label_keys[i]) : NULL;
		if (!kv || !glob(e->label_values[i], kv->value ? kv->value : ""))
			return false;
	}
	return true;
}

const char *hull_policy_exempt(const struct hull_policy *p, const char *rule_id, const char *kind,
                               const char *name, const char *namespace, const hull_pairlist *labels)
{
	for (size_t i = 0; p && i < p->nex; i++) {
		const struct pexempt *e = &p->ex[i];
		bool rule_ok = !e->nrules;
		for (size_t k = 0; k < e->nrules && !rule_ok; k++)
			rule_ok = !strcasecmp(e->rules[k], rule_id);
		if (rule_ok && glob(e->name, name) && glob(e->namespace, namespace) &&
		    glob(e->kind, kind) && labels_match(e, labels))
			return e->reason;
	}
	return NULL;
}
