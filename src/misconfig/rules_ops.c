/* Rules on how a workload is kept running and what it is given to run:
 * restart policies, health checks and Kubernetes probes, and the
 * service-account token. Some read other objects of the same input (the
 * Services that send a pod traffic, the ServiceAccount it runs as), so a
 * manifest that has them is judged as the cluster would judge it. */
#include <stdlib.h>
#include <string.h>

#include "misconfig/rules_internal.h"
#include "util/json.h"

#define REPORT hull_rule_report

/* ---- restarts ---------------------------------------------------------- */

static bool word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && !strncmp(p, w, n);
}

/* One restart setting in `restart:` terms: "always", "unless-stopped",
 * "on-failure[:N]", and "always:N" for a deploy.restart_policy whose
 * condition is any with max_attempts. CIS 5.15 sets the on-failure limit
 * at 5; docker-bench-security and KICS report every other count, and so
 * does this rule. */
static void judge_restart(struct hull_rule_ctx *ctx, const struct hull_vstr *r, const char *where)
{
	const char *p = r->v;
	if (!p)
		return;
	size_t n = strcspn(p, ":");
	char *end = NULL;
	long long max = p[n] ? strtoll(p + n + 1, &end, 10) : 0;
	if (end && *end) /* "on-failure:x": the engine refuses it */
		max = 0;
	bool always = word_is(p, n, "always") || word_is(p, n, "unless-stopped");
	if (!always && !word_is(p, n, "on-failure"))
		return;
	if (max <= 0 && always)
		REPORT(ctx, r->pos,
		       "%srestarts %.*s with no retry limit: a crashing container loops forever "
		       "(use on-failure with a maximum of 5)",
		       where, (int)n, p);
	else if (max <= 0)
		REPORT(ctx, r->pos,
		       "%srestarts on-failure with no retry limit: a container that keeps failing "
		       "loops forever (use on-failure:5)",
		       where);
	else if (always && max != 5)
		REPORT(ctx, r->pos,
		       "%srestarts on every exit (up to %lld times): CIS 5.15 asks for on-failure "
		       "with a maximum of 5",
		       where, max);
	else if (max > 5)
		REPORT(ctx, r->pos, "%srestarts on failure up to %lld times (more than 5)", where,
		       max);
	else if (max < 5)
		REPORT(ctx, r->pos,
		       "%srestarts on failure up to %lld times: CIS 5.15 sets the limit at 5",
		       where, max);
}

HULL_CHECK(restart_policy)
{
	judge_restart(ctx, &ctx->w->restart_policy, "");
	judge_restart(ctx, &ctx->w->deploy_restart, "deploy.restart_policy: ");
}

/* ---- health checks and probes ------------------------------------------- */

static bool runs_to_completion(const struct hull_workload *w)
{
	return w->run_to_completion ||
	       (w->kind && (!strcmp(w->kind, "Job") || !strcmp(w->kind, "CronJob")));
}

HULL_CHECK(healthcheck)
{
	const struct hull_container *c = ctx->c;
	bool compose = ctx->w->input == HULL_INPUT_COMPOSE;
	if (c->role != HULL_CTR_MAIN || runs_to_completion(ctx->w))
		return;
	if (c->healthcheck.set && c->healthcheck.disabled)
		REPORT(ctx, c->healthcheck.pos,
		       compose ? "disables the health check (healthcheck: disable: true, or test: "
		                 "[\"NONE\"])"
		               : "disables the health check (HEALTHCHECK NONE)");
	else if (!c->healthcheck.set && compose)
		REPORT(ctx, c->pos,
		       "has no healthcheck: nothing tells a hung service from a working one, and "
		       "depends_on cannot wait for it to be healthy");
	else if (!c->healthcheck.set)
		REPORT(ctx, c->pos, "has no health check: a hung process is never restarted");
}

/* Objects written without a namespace land wherever they are applied, so
 * they can share anyone's. */
static bool same_ns(const char *a, const char *b)
{
	return !a || !b || !strcmp(a, b);
}

/* A Service's spec.selector picks every label it names, with that value. */
static bool selects(struct json_object *sel, const hull_pairlist *labels)
{
	if (!sel || !json_object_is_type(sel, json_type_object) || !json_object_object_length(sel))
		return false; /* no selector: the Service's endpoints are set by hand */
	json_object_object_foreach(sel, key, val)
	{
		const struct hull_pair *p = hull_pair_find(labels, key);
		const char *want =
		    json_object_is_type(val, json_type_string) ? json_object_get_string(val) : NULL;
		if (!p || !p->value || !want || strcmp(p->value, want))
			return false;
	}
	return true;
}

enum served { SERVED_NO, SERVED_YES, SERVED_UNKNOWN };

/* Whether a Service of the input sends the workload's pods traffic. With
 * no Service in the input at all, nobody knows (one is usually applied
 * from elsewhere). */
static enum served served(const struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	bool services = false;
	for (size_t i = 0; i < ctx->m->objects.n; i++) {
		const struct hull_object *o = &ctx->m->objects.v[i];
		if (!o->kind || strcmp(o->kind, "Service"))
			continue;
		services = true;
		if (same_ns(o->namespace, w->namespace) &&
		    selects(hull_json_member(hull_json_member(o->obj, "spec"), "selector"),
		            &w->pod_labels))
			return SERVED_YES;
	}
	return services ? SERVED_NO : SERVED_UNKNOWN;
}

/* Readiness gates the pod's traffic, so it is a property of the pod: one
 * container with a probe is enough. */
HULL_CHECK(readiness)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *first = NULL;
	if (runs_to_completion(w))
		return;
	for (size_t i = 0; i < w->containers.n; i++) {
		const struct hull_container *c = &w->containers.v[i];
		if (c->role != HULL_CTR_MAIN)
			continue;
		if (c->readiness.set)
			return;
		first = first ? first : c;
	}
	enum served s = first ? served(ctx) : SERVED_NO;
	/* at the container, where the probe goes */
	if (s == SERVED_YES)
		REPORT(ctx, first->pos,
		       "has no readiness probe: its Service sends it traffic before it is ready");
	else if (s == SERVED_UNKNOWN)
		REPORT(
		    ctx, first->pos,
		    "has no readiness probe: a Service would send it traffic before it is ready");
}

HULL_CHECK(liveness)
{
	const struct hull_container *c = ctx->c;
	if (c->role != HULL_CTR_MAIN || runs_to_completion(ctx->w) || c->liveness.set)
		return;
	REPORT(ctx, c->pos,
	       "has no liveness probe: Kubernetes restarts it only when its process exits, not "
	       "when it hangs");
}

/* ---- service-account token ---------------------------------------------- */

/* The ServiceAccount of the input the pods run as ("default" when the
 * spec names none), or NULL. */
static const struct hull_object *service_account(const struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	const char *name =
	    w->service_account.v && *w->service_account.v ? w->service_account.v : "default";
	for (size_t i = 0; i < ctx->m->objects.n; i++) {
		const struct hull_object *o = &ctx->m->objects.v[i];
		if (o->kind && !strcmp(o->kind, "ServiceAccount") && o->name &&
		    !strcmp(o->name, name) && same_ns(o->namespace, w->namespace))
			return o;
	}
	return NULL;
}

/* The ServiceAccount's own automountServiceAccountToken, with where it is
 * written. */
static enum hull_tri sa_automount(const struct hull_object *sa, struct hull_pos *pos)
{
	struct json_object *v =
	    sa ? hull_json_member(sa->obj, "automountServiceAccountToken") : NULL;
	if (!v || !json_object_is_type(v, json_type_boolean))
		return HULL_UNSET;
	*pos = sa->pos;
	if (sa->yaml)
		hull_yaml_key_pos(sa->yaml, sa->obj, "automountServiceAccountToken", &pos->line,
		                  &pos->col);
	return json_object_get_boolean(v) ? HULL_TRUE : HULL_FALSE;
}

/* The pod's setting wins; without one, the ServiceAccount's applies. */
HULL_CHECK(sa_token)
{
	const struct hull_workload *w = ctx->w;
	struct hull_pos pos;
	const struct hull_object *sa;
	if (w->automount_token.v == HULL_TRUE)
		REPORT(
		    ctx, w->automount_token.pos,
		    "sets automountServiceAccountToken: true: every container gets an API token");
	else if (w->automount_token.v == HULL_UNSET && (sa = service_account(ctx)) &&
	         sa_automount(sa, &pos) == HULL_TRUE)
		REPORT(ctx, pos,
		       "runs as service account %s, which sets automountServiceAccountToken: true: "
		       "every container gets an API token",
		       sa->name);
}

HULL_CHECK(sa_token_default)
{
	const struct hull_workload *w = ctx->w;
	struct hull_pos pos;
	if (w->automount_token.v != HULL_UNSET || !w->containers.n)
		return;
	const struct hull_object *sa = service_account(ctx);
	if (sa_automount(sa, &pos) != HULL_UNSET)
		return; /* the ServiceAccount decides: false is fine, true is HULL-C050 */
	REPORT(ctx, w->pos,
	       "does not set automountServiceAccountToken, so the API token of service account "
	       "%s is mounted in every container (the Kubernetes default)%s",
	       w->service_account.v && *w->service_account.v ? w->service_account.v : "default",
	       sa ? "; its ServiceAccount does not set it either" : "");
}
