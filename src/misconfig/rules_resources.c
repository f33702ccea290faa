/* Resource limits and requests, images, secrets in the environment. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"

#define REPORT hull_rule_report

/* Ephemeral containers cannot have resources; limits do not apply. */
static bool resourced(const struct hull_container *c)
{
	return c->role != HULL_CTR_EPHEMERAL;
}

/* A limit counts when it is set to a positive value (0 and -1 mean
 * unlimited in Docker). An unparsable value counts as set. */
static bool limited(const struct hull_vqty *q)
{
	return q->set && (!q->valid || q->v > 0);
}

static void missing(struct hull_rule_ctx *ctx, const struct hull_vqty *q, const char *what,
                    const char *consequence)
{
	const struct hull_container *c = ctx->c;
	if (!resourced(c) || limited(q))
		return;
	if (q->set)
		REPORT(ctx, q->pos, "sets %s to %s, which means unlimited: %s", what,
		       q->raw ? q->raw : "0", consequence);
	else
		REPORT(ctx, c->pos, "has no %s: %s", what, consequence);
}

HULL_CHECK(mem_limit)
{
	missing(ctx, &ctx->c->res.mem_limit, "memory limit",
	        "it can use all the host's memory and trigger the OOM killer on others");
}

HULL_CHECK(cpu_limit)
{
	missing(ctx, &ctx->c->res.cpu_limit, "CPU limit",
	        "it can take every CPU of the host from its neighbours");
}

HULL_CHECK(pids_limit)
{
	missing(ctx, &ctx->c->res.pids_limit, "pids limit",
	        "a fork bomb in it exhausts the host's process table");
}

HULL_CHECK(mem_request)
{
	missing(ctx, &ctx->c->res.mem_request, "memory request",
	        "the scheduler cannot place it well and it is evicted first");
}

HULL_CHECK(cpu_request)
{
	missing(ctx, &ctx->c->res.cpu_request, "CPU request",
	        "the scheduler cannot place it well and it gets the least CPU under load");
}

HULL_CHECK(ephemeral_limit)
{
	missing(ctx, &ctx->c->res.ephemeral_limit, "ephemeral-storage limit",
	        "it can fill the node's disk with logs and writable-layer files");
}

/* ---- images ------------------------------------------------------------- */

struct ref {
	bool tag, digest, latest;
};

static struct ref parse_ref(const char *s)
{
	struct ref r = {0};
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);
	r.digest = at != NULL;
	const char *slash = NULL, *colon = NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/')
			slash = s + i;
		else if (s[i] == ':')
			colon = s + i;
	}
	if (colon && (!slash || colon > slash)) {
		r.tag = true;
		r.latest = (size_t)(s + n - colon - 1) == 6 && !strncmp(colon + 1, "latest", 6);
	}
	return r;
}

static void check_ref(struct hull_rule_ctx *ctx, const char *image, struct hull_pos pos)
{
	if (!image || !*image || !strcmp(image, "scratch") || strchr(image, '$'))
		return;
	struct ref r = parse_ref(image);
	if (r.digest && !r.latest)
		return;
	if (r.latest)
		REPORT(ctx, pos,
		       "uses image %s: ':latest' changes under you; pin a version (and a "
		       "digest)",
		       image);
	else if (!r.tag)
		REPORT(ctx, pos,
		       "uses image %s without a tag, which means ':latest'; pin a version", image);
}

HULL_CHECK(image_tag)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_build *b = w->build;
	if (!b) {
		if (!ctx->c->image_built)
			check_ref(ctx, ctx->c->image.v, ctx->c->image.pos);
		return;
	}
	/* a Dockerfile: every stage built from an outside image */
	for (size_t i = 0; i < b->stages.n; i++)
		if (b->stages.v[i].parent < 0)
			check_ref(ctx, b->stages.v[i].base, b->stages.v[i].pos);
}

HULL_CHECK(pull_policy)
{
	const struct hull_container *c = ctx->c;
	const char *pp = c->pull_policy.v;
	if (pp && !strcmp(pp, "Always"))
		return;
	if (!pp) {
		/* Kubernetes defaults to Always for :latest and untagged images */
		struct ref r = c->image.v ? parse_ref(c->image.v) : (struct ref){0};
		if (!c->image.v || r.latest || (!r.tag && !r.digest))
			return;
		REPORT(ctx, c->image.pos,
		       "has no imagePullPolicy, so it defaults to IfNotPresent: "
		       "a cached image is used without checking the registry "
		       "credentials");
		return;
	}
	REPORT(ctx, c->pull_policy.pos,
	       "sets imagePullPolicy: %s: a cached image is used "
	       "without checking the registry credentials",
	       pp);
}

/* ---- secrets in the environment ------------------------------------------ */

HULL_CHECK(env_secret)
{
	const struct hull_container *c = ctx->c;
	for (size_t i = 0; i < c->env.n; i++) {
		const struct hull_env *e = &c->env.v[i];
		const char *name = e->name.v;
		if (e->from_ref || !name)
			continue;
		const char *what = hull_secret_value(e->value);
		bool named = hull_secret_name(name);
		if (what) {
			REPORT(ctx, e->name.pos, "%s %s holds %s in plain text",
			       e->build_arg ? "build argument" : "environment variable", name,
			       what);
		} else if (named && e->build_arg && !hull_secret_literal(e->value)) {
			REPORT(ctx, e->name.pos,
			       "build argument %s looks like a secret: build arguments are "
			       "recorded in "
			       "the image history (use a secret mount)",
			       name);
		} else if (named && hull_secret_literal(e->value)) {
			REPORT(ctx, e->name.pos,
			       "%s %s looks like a secret and has a literal value: anyone who can "
			       "read "
			       "the configuration (or inspect the container) reads it",
			       e->build_arg ? "build argument" : "environment variable", name);
		}
	}
}
