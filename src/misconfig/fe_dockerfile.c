/* Dockerfile front end: the final stage (with the stages it is built FROM)
 * becomes the one container of a "Dockerfile" workload. */
#include <string.h>
#include <strings.h>

#include "misconfig/dockerfile.h"

static void add_env(struct hull_model *m, struct hull_container *c, const char *kv, bool arg,
                    struct hull_pos pos)
{
	const char *eq = strchr(kv, '=');
	struct hull_env *e = hull_model_push(m, &c->env);
	if (!e)
		return;
	e->name.v = eq ? hull_model_strndup(m, kv, (size_t)(eq - kv)) : kv;
	e->name.pos = pos;
	e->value = eq ? eq + 1 : NULL;
	e->value_pos = pos;
	e->build_arg = arg;
}

static void set_healthcheck(struct hull_container *c, const struct hull_instr *in)
{
	c->healthcheck.set = true;
	c->healthcheck.pos = in->pos;
	c->healthcheck.kind = "cmd";
	c->healthcheck.detail = in->args;
	c->healthcheck.disabled = in->argv.n && !strcasecmp(in->argv.v[0].v, "NONE");
}

static void set_command(struct hull_model *m, hull_strlist *dst, const struct hull_instr *in)
{
	dst->n = 0;
	for (size_t i = 0; i < in->argv.n; i++) {
		struct hull_vstr *s = hull_model_push(m, dst);
		if (s)
			*s = in->argv.v[i];
	}
}

static void apply_stage(struct hull_model *m, const struct hull_build *b, size_t si,
                        struct hull_container *c, hull_strlist *entry, hull_strlist *cmd)
{
	const struct hull_stage *st = &b->stages.v[si];
	for (size_t k = st->first + 1; k < st->first + st->count; k++) {
		const struct hull_instr *in = &b->instrs.v[k];
		if (!strcmp(in->cmd, "USER") && in->argv.n) {
			hull_model_set_user(m, &c->user, in->argv.v[0].v, "USER instruction",
			                    in->pos);
		} else if (!strcmp(in->cmd, "ENV") || !strcmp(in->cmd, "ARG")) {
			for (size_t i = 0; i < in->argv.n; i++)
				add_env(m, c, in->argv.v[i].v, in->cmd[0] == 'A', in->pos);
		} else if (!strcmp(in->cmd, "EXPOSE")) {
			for (size_t i = 0; i < in->argv.n; i++)
				hull_model_add_exposed(m, c, in->argv.v[i].v, in->pos);
		} else if (!strcmp(in->cmd, "HEALTHCHECK")) {
			set_healthcheck(c, in);
		} else if (!strcmp(in->cmd, "ENTRYPOINT")) {
			set_command(m, entry, in);
			cmd->n = 0; /* an ENTRYPOINT resets an inherited CMD */
		} else if (!strcmp(in->cmd, "CMD")) {
			set_command(m, cmd, in);
		}
	}
}

int hull_dockerfile_load(struct hull_model *m, const char *data, size_t len, const char *name,
                         struct hull_err *err)
{
	struct hull_build *b;
	if (hull_dockerfile_parse(m, data, len, name, &b, err) < 0)
		return -1;
	size_t last = b->stages.n - 1;
	const struct hull_stage *fs = &b->stages.v[last];
	struct hull_workload *w =
	    hull_model_add_workload(m, HULL_INPUT_DOCKERFILE, "Dockerfile", name, fs->pos);
	struct hull_container *c =
	    w ? hull_model_add_container(m, w, fs->alias ? fs->alias : "final stage", fs->pos)
	      : NULL;
	size_t *chain = hull_model_alloc(m, b->stages.n * sizeof(*chain));
	if (!c || !chain)
		return hull_model_failed(m, err), -1;
	w->build = b;
	/* the chain of stages the final one is built FROM; parents always
	 * come earlier, so this ends */
	size_t n = 0;
	for (long s = (long)last; s >= 0; s = b->stages.v[s].parent)
		chain[n++] = (size_t)s;
	const struct hull_stage *root = &b->stages.v[chain[n - 1]];
	hull_model_set_image(m, c, root->base, root->pos);
	hull_strlist entry = {0}, cmd = {0};
	while (n-- > 0)
		apply_stage(m, b, chain[n], c, &entry, &cmd);
	for (size_t i = 0; i < entry.n + cmd.n; i++) {
		struct hull_vstr *s = hull_model_push(m, &c->command);
		if (s)
			*s = i < entry.n ? entry.v[i] : cmd.v[i - entry.n];
	}
	return hull_model_failed(m, err) ? -1 : 0;
}
