/* findings: the list functions of the result model, and names. */
#include "report/findings.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

static const char *const severity_names[HULL_SEV_COUNT] = {
    [HULL_SEV_UNKNOWN] = "UNKNOWN", [HULL_SEV_LOW] = "LOW",           [HULL_SEV_MEDIUM] = "MEDIUM",
    [HULL_SEV_HIGH] = "HIGH",       [HULL_SEV_CRITICAL] = "CRITICAL",
};

const char *hull_severity_name(enum hull_severity s)
{
	return (size_t)s < HULL_SEV_COUNT ? severity_names[s] : "UNKNOWN";
}

int hull_severity_parse(const char *s, enum hull_severity *out, struct hull_err *err)
{
	static const struct {
		const char *word;
		enum hull_severity sev;
	} words[] = {
	    {"unknown", HULL_SEV_UNKNOWN}, {"low", HULL_SEV_LOW},
	    {"negligible", HULL_SEV_LOW},  {"medium", HULL_SEV_MEDIUM},
	    {"moderate", HULL_SEV_MEDIUM}, {"high", HULL_SEV_HIGH},
	    {"important", HULL_SEV_HIGH},  {"critical", HULL_SEV_CRITICAL},
	};
	for (size_t i = 0; s && i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcasecmp(s, words[i].word)) {
			*out = words[i].sev;
			return 0;
		}
	}
	/* The word is quoted by the caller's message as given: keep it short
	 * and let the CLI make it terminal-safe. */
	return hull_err_set(
	    err, HULL_ERR_USAGE,
	    "unknown severity '%.64s' (choose UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)", s ? s : "");
}

const char *hull_finding_kind_name(enum hull_finding_kind k)
{
	static const char *const names[HULL_FINDING_KIND_COUNT] = {
	    [HULL_FINDING_VULNERABILITY] = "vulnerability",
	    [HULL_FINDING_MISCONFIG] = "misconfiguration",
	    [HULL_FINDING_HOST] = "host",
	    [HULL_FINDING_NETWORK] = "network",
	    [HULL_FINDING_SECRET] = "secret",
	};
	return (size_t)k < HULL_FINDING_KIND_COUNT ? names[k] : "unknown";
}

static const char *const status_names[HULL_VULN_STATUS_COUNT] = {
    [HULL_VULN_FIXED] = "fixed",
    [HULL_VULN_AFFECTED] = "affected",
    [HULL_VULN_WILL_NOT_FIX] = "will_not_fix",
    [HULL_VULN_FIX_DEFERRED] = "fix_deferred",
    [HULL_VULN_END_OF_LIFE] = "end_of_life",
};

const char *hull_vuln_status_name(enum hull_vuln_status s)
{
	return (size_t)s < HULL_VULN_STATUS_COUNT ? status_names[s] : "unknown";
}

int hull_vuln_status_parse(const char *s, enum hull_vuln_status *out, struct hull_err *err)
{
	for (size_t i = 0; s && i < HULL_VULN_STATUS_COUNT; i++) {
		if (!strcmp(s, status_names[i])) {
			*out = (enum hull_vuln_status)i;
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_USAGE,
	                    "unknown status '%.64s' (choose fixed, affected, will_not_fix, "
	                    "fix_deferred or end_of_life)",
	                    s ? s : "");
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static bool dup_s(char **p)
{
	if (!*p)
		return true;
	*p = strdup(*p);
	return *p != NULL;
}

static bool dup_v(char ***p, size_t n)
{
	if (!*p)
		return true;
	char **v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		*p = NULL;
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		v[i] = (*p)[i];
		ok &= dup_s(&v[i]);
	}
	*p = v;
	return ok;
}

int hull_finding_copy(struct hull_finding *dst, const struct hull_finding *src,
                      struct hull_err *err)
{
	*dst = *src;
	bool ok = true;
	if (!src->static_text) {
		ok &= dup_s(&dst->id);
		ok &= dup_v(&dst->aliases, dst->naliases);
		ok &= dup_s(&dst->title);
		ok &= dup_s(&dst->description);
		ok &= dup_s(&dst->remediation);
		ok &= dup_s(&dst->primary_url);
		ok &= dup_v(&dst->references, dst->nreferences);
	}
	char **owned[] = {&dst->message,
	                  &dst->loc.file,
	                  &dst->loc.layer_digest,
	                  &dst->loc.layer_diff_id,
	                  &dst->loc.object,
	                  &dst->workload,
	                  &dst->priority_why,
	                  &dst->vuln.pkg_name,
	                  &dst->vuln.pkg_version,
	                  &dst->vuln.pkg_type,
	                  &dst->vuln.pkg_purl,
	                  &dst->vuln.src_name,
	                  &dst->vuln.fixed_version,
	                  &dst->vuln.cvss_vector,
	                  &dst->vuln.severity_source,
	                  &dst->suppression,
	                  &dst->vex_justification};
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		ok &= dup_s(owned[i]);
	if (!ok) {
		hull_finding_release(dst);
		return hull_err_nomem(err);
	}
	return 0;
}

void hull_finding_release(struct hull_finding *f)
{
	if (!f)
		return;
	if (!f->static_text) {
		free(f->id);
		free_strv(f->aliases, f->naliases);
		free(f->title);
		free(f->description);
		free(f->remediation);
		free(f->primary_url);
		free_strv(f->references, f->nreferences);
	}
	free(f->message);
	free(f->loc.file);
	free(f->loc.layer_digest);
	free(f->loc.layer_diff_id);
	free(f->loc.object);
	free(f->workload);
	free(f->priority_why);
	struct hull_vuln_info *v = &f->vuln;
	free(v->pkg_name);
	free(v->pkg_version);
	free(v->pkg_type);
	free(v->pkg_purl);
	free(v->src_name);
	free(v->fixed_version);
	free(v->cvss_vector);
	free(v->severity_source);
	free(f->suppression);
	free(f->vex_justification);
	memset(f, 0, sizeof(*f));
}

void hull_findings_release(struct hull_findings *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++)
		hull_finding_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Enumerations from a caller are checked once here, so writers can index
 * tables with them. */
static bool enums_ok(const struct hull_finding *f)
{
	return (unsigned)f->kind < HULL_FINDING_KIND_COUNT &&
	       (unsigned)f->severity < HULL_SEV_COUNT &&
	       (unsigned)f->vuln.status < HULL_VULN_STATUS_COUNT &&
	       (unsigned)f->suppress_kind <= HULL_SUPPRESS_IN_SOURCE &&
	       (unsigned)f->vex_state <= HULL_VEX_FALSE_POSITIVE;
}

int hull_findings_add(struct hull_findings *list, struct hull_finding *f, struct hull_err *err)
{
	if (!enums_ok(f)) {
		hull_err_set(err, HULL_ERR_INPUT,
		             "finding %.64s: kind, severity, status or VEX state out of range",
		             f->id ? f->id : "(no id)");
		hull_finding_release(f);
		return -1;
	}
	if (!f->id || !*f->id || !f->title || !*f->title) {
		hull_err_set(err, HULL_ERR_INPUT, "finding %.64s: %s is required",
		             f->id && *f->id ? f->id : "(no id)",
		             f->id && *f->id ? "a title" : "an id");
		hull_finding_release(f);
		return -1;
	}
	if (HULL_ARRAY_PUSH_ROOM(list->items, list->n, list->cap, HULL_FINDINGS_MAX, err) < 0) {
		if (err && err->kind == HULL_ERR_LIMIT)
			hull_err_wrap(err, "findings list");
		hull_finding_release(f);
		return -1;
	}
	list->items[list->n++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_uint(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

int hull_finding_cmp(const struct hull_finding *a, const struct hull_finding *b)
{
	int r;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((r = cmp_str(a->id, b->id)) || (r = cmp_str(a->loc.file, b->loc.file)) ||
	    (r = cmp_uint(a->loc.line, b->loc.line)) || (r = cmp_str(a->loc.object, b->loc.object)))
		return r;
	/* Beyond the documented keys, enough to make the order total over
	 * distinct findings so that writers are deterministic. */
	if ((r = cmp_str(a->vuln.pkg_name, b->vuln.pkg_name)) ||
	    (r = cmp_str(a->vuln.pkg_version, b->vuln.pkg_version)) ||
	    (r = cmp_str(a->vuln.pkg_purl, b->vuln.pkg_purl)) ||
	    (r = cmp_uint(a->loc.col, b->loc.col)) || (r = cmp_str(a->message, b->message)) ||
	    (r = cmp_str(a->title, b->title)) ||
	    (r = cmp_str(a->vuln.fixed_version, b->vuln.fixed_version)) ||
	    (r = cmp_str(a->loc.layer_diff_id, b->loc.layer_diff_id)))
		return r;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (int)a->suppressed - (int)b->suppressed;
}

static int cmp_items(const void *pa, const void *pb)
{
	return hull_finding_cmp(pa, pb);
}

void hull_findings_sort(struct hull_findings *list)
{
	if (list && list->n > 1)
		qsort(list->items, list->n, sizeof(*list->items), cmp_items);
}

int hull_findings_max_severity(const struct hull_findings *list)
{
	int max = -1;
	for (size_t i = 0; list && i < list->n; i++)
		if (!list->items[i].suppressed && (int)list->items[i].severity > max)
			max = (int)list->items[i].severity;
	return max;
}

bool hull_findings_any_at_least(const struct hull_findings *list, enum hull_severity min)
{
	return hull_findings_max_severity(list) >= (int)min;
}

size_t hull_findings_filter(struct hull_findings *list, hull_finding_keep_fn keep, void *ctx)
{
	return hull_findings_filter_from(list, 0, keep, ctx);
}

size_t hull_findings_filter_from(struct hull_findings *list, size_t from, hull_finding_keep_fn keep,
                                 void *ctx)
{
	size_t kept = from, dropped = 0;
	for (size_t i = from; list && i < list->n; i++) {
		if (keep(&list->items[i], ctx)) {
			if (kept != i)
				list->items[kept] = list->items[i];
			kept++;
		} else {
			hull_finding_release(&list->items[i]);
			dropped++;
		}
	}
	if (list)
		list->n = kept;
	return dropped;
}
