/* The rule engine: runs the selected rules over a model and turns each
 * occurrence into a finding, applying the policy (rules off, severities,
 * exemptions) and inline ignore comments on the way. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/policy.h"
#include "misconfig/rules_internal.h"

#define PSS_URL "https://kubernetes.io/docs/concepts/security/pod-security-standards/"

int hull_profile_parse(const char *s, enum hull_profile_sel *out, struct hull_err *err)
{
	static const char *const names[] = {"all", "baseline", "restricted"};
	for (size_t i = 0; s && i < 3; i++) {
		if (!strcasecmp(s, names[i])) {
			*out = (enum hull_profile_sel)i;
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_USAGE,
	                    "unknown profile '%.64s' (choose all, baseline or restricted)",
	                    s ? s : "");
}

struct hull_pos hull_pos_pick(struct hull_pos a, struct hull_pos b, struct hull_pos c)
{
	if (a.line)
		return a;
	return b.line ? b : c;
}

static bool selected(const struct hull_rule *r, const struct hull_check_opts *o)
{
	if (o->profile == HULL_PROFILE_BASELINE && r->pss != HULL_PSS_BASELINE)
		return false;
	if (o->profile == HULL_PROFILE_RESTRICTED && r->pss == HULL_PSS_NONE)
		return false;
	return hull_policy_rule_enabled(o->policy, r->id);
}

static const char *role_word(enum hull_ctr_role r)
{
	return r == HULL_CTR_INIT        ? "init container"
	       : r == HULL_CTR_EPHEMERAL ? "ephemeral container"
	                                 : "container";
}

static char *object_label(const struct hull_rule_ctx *ctx)
{
	char buf[512];
	const char *kind, *name, *ns;
	if (ctx->obj) {
		kind = ctx->obj->kind;
		name = ctx->obj->name;
		ns = ctx->obj->namespace;
	} else {
		kind = ctx->w->kind;
		/* a Dockerfile's name is its file, which the location says already */
		name = ctx->w->input == HULL_INPUT_DOCKERFILE ? NULL : ctx->w->name;
		ns = ctx->w->namespace;
	}
	int n = snprintf(buf, sizeof(buf), "%s%s%s%s%s", kind ? kind : "object", name ? " " : "",
	                 ns ? ns : "", ns && name ? "/" : "", name ? name : "");
	/* a compose service or a running container is its one container */
	bool same =
	    ctx->c && ctx->c->name && ctx->w && ctx->w->name && !strcmp(ctx->c->name, ctx->w->name);
	if (ctx->c && !same && n >= 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, ", %s %s", role_word(ctx->c->role),
		         ctx->c->name ? ctx->c->name : "(unnamed)");
	return strdup(buf);
}

static const struct hull_ignore *inline_ignore(const struct hull_model *m, const char *rule,
                                               const char *file, unsigned line)
{
	if (!file || !line)
		return NULL;
	for (size_t i = 0; i < m->ignores.n; i++) {
		const struct hull_ignore *ig = &m->ignores.v[i];
		if (ig->file != file || (ig->line != line && ig->next_line != line))
			continue;
		for (size_t k = 0; k < ig->ids.n; k++)
			if (!strcasecmp(ig->ids.v[k].v, rule) || !strcasecmp(ig->ids.v[k].v, "all"))
				return ig;
	}
	return NULL;
}

/* The catalogue's Trivy ids as alias vectors, split once for the process
 * (findings borrow them, see hull_finding.static_text). Rules without
 * Trivy ids, and a process out of memory, get none. */
struct alias_vec {
	char **v;
	size_t n;
};
static struct alias_vec *alias_table;
static pthread_once_t alias_once = PTHREAD_ONCE_INIT;

static void split_ids(const char *list, struct alias_vec *out)
{
	size_t cap = 1;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	if (!(out->v = calloc(cap, sizeof(*out->v))))
		return;
	for (const char *s = list; out->n < cap;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (!(out->v[out->n] = strndup(s, len)))
			return;
		out->n++;
		if (!e)
			break;
		s = e + 1;
	}
}

static void build_alias_table(void)
{
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	if (!(alias_table = calloc(n, sizeof(*alias_table))))
		return;
	for (size_t i = 0; i < n; i++)
		if (rules[i].trivy && *rules[i].trivy)
			split_ids(rules[i].trivy, &alias_table[i]);
}

static struct alias_vec rule_aliases(const struct hull_rule *r)
{
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	pthread_once(&alias_once, build_alias_table);
	if (!alias_table || r < rules || r >= rules + n)
		return (struct alias_vec){0};
	return alias_table[r - rules];
}

/* The finding borrows the catalogue's text (static_text). */
static char *borrow(const char *s)
{
	return (char *)s;
}

void hull_rule_report(struct hull_rule_ctx *ctx, struct hull_pos pos, const char *fmt, ...)
{
	const struct hull_rule *r = ctx->rule;
	if (ctx->rc < 0)
		return;
	if (!pos.line) {
		if (ctx->c && ctx->c->pos.line)
			pos = ctx->c->pos;
		else if (ctx->w && ctx->w->pos.line)
			pos = ctx->w->pos;
		else if (ctx->obj)
			pos = ctx->obj->pos;
	}
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	struct hull_finding f = {0};
	f.kind = HULL_FINDING_MISCONFIG;
	f.static_text = true;
	f.id = borrow(r->id);
	f.title = borrow(r->title);
	f.message = strdup(msg);
	f.description = borrow(r->rationale);
	f.remediation = borrow(r->remediation);
	f.severity = hull_policy_severity(ctx->opts->policy, r->id, r->severity);
	struct alias_vec al = rule_aliases(r);
	f.aliases = al.v;
	f.naliases = al.n;
	if (r->pss != HULL_PSS_NONE)
		f.primary_url = borrow(PSS_URL);
	f.loc.file = pos.file ? strdup(pos.file) : NULL;
	f.loc.line = pos.line;
	f.loc.col = pos.col;
	f.loc.object = object_label(ctx);

	const char *kind = ctx->obj ? ctx->obj->kind : ctx->w->kind;
	const char *name = ctx->obj ? ctx->obj->name : ctx->w->name;
	const char *ns = ctx->obj ? ctx->obj->namespace : ctx->w->namespace;
	const char *reason = hull_policy_exempt(ctx->opts->policy, r->id, kind, name, ns,
	                                        ctx->w ? &ctx->w->labels : NULL);
	const struct hull_ignore *ig = inline_ignore(ctx->m, r->id, pos.file, pos.line);
	if (ig) {
		f.suppressed = true;
		f.suppress_kind = HULL_SUPPRESS_IN_SOURCE;
		f.suppression = ig->reason && *ig->reason
		                    ? strdup(ig->reason)
		                    : strdup("inline hull:ignore comment (no reason given)");
	} else if (reason) {
		f.suppressed = true;
		f.suppress_kind = HULL_SUPPRESS_EXTERNAL;
		size_t n = strlen(reason) + 9;
		f.suppression = malloc(n);
		if (f.suppression)
			snprintf(f.suppression, n, "policy: %s", reason);
	}
	if (!f.message || !f.loc.object || (r->trivy && *r->trivy && !f.aliases) ||
	    (f.suppressed && !f.suppression)) {
		hull_finding_release(&f);
		ctx->rc = hull_err_nomem(ctx->err);
		return;
	}
	if (hull_findings_add(ctx->out, &f, ctx->err) < 0)
		ctx->rc = -1;
}

static bool applies(const struct hull_rule *r, enum hull_input in)
{
	return r->inputs & HULL_INPUT_BIT(in);
}

static void run_workload(struct hull_rule_ctx *ctx, const struct hull_rule *rules, size_t nrules)
{
	const struct hull_workload *w = ctx->w;
	for (size_t i = 0; i < nrules && ctx->rc == 0; i++) {
		const struct hull_rule *r = &rules[i];
		if (!selected(r, ctx->opts) || !applies(r, w->input))
			continue;
		ctx->rule = r;
		ctx->c = NULL;
		switch (r->scope) {
		case HULL_SCOPE_CONTAINER:
			for (size_t k = 0; k < w->containers.n && ctx->rc == 0; k++) {
				ctx->c = &w->containers.v[k];
				r->check(ctx);
			}
			ctx->c = NULL;
			break;
		case HULL_SCOPE_WORKLOAD:
			r->check(ctx);
			break;
		case HULL_SCOPE_BUILD:
			if (w->build)
				r->check(ctx);
			break;
		case HULL_SCOPE_OBJECT:
			break;
		}
	}
}

int hull_misconfig_check(const struct hull_model *m, const struct hull_check_opts *opts,
                         struct hull_findings *out, struct hull_err *err)
{
	static const struct hull_check_opts none = {0};
	size_t nrules;
	const struct hull_rule *rules = hull_rules(&nrules);
	struct hull_rule_ctx ctx = {.m = m, .opts = opts ? opts : &none, .out = out, .err = err};
	for (size_t i = 0; i < m->workloads.n && ctx.rc == 0; i++) {
		ctx.w = &m->workloads.v[i];
		run_workload(&ctx, rules, nrules);
	}
	ctx.w = NULL;
	for (size_t i = 0; i < m->objects.n && ctx.rc == 0; i++) {
		ctx.obj = &m->objects.v[i];
		for (size_t k = 0; k < nrules && ctx.rc == 0; k++) {
			const struct hull_rule *r = &rules[k];
			if (r->scope != HULL_SCOPE_OBJECT || !selected(r, ctx.opts) ||
			    !applies(r, HULL_INPUT_K8S))
				continue;
			ctx.rule = r;
			r->check(&ctx);
		}
	}
	if (ctx.cache_free)
		ctx.cache_free(ctx.cache);
	return ctx.rc;
}
