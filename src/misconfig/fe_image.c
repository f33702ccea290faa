/* Image config front end: what an image says about how it runs (User,
 * Env, ExposedPorts, Healthcheck), for `hull image` and for the image
 * behind a runtime container. Positions name the image, without lines. */
#include <string.h>

#include "misconfig/load.h"

int hull_image_config_load(struct hull_model *m, const struct hull_image *img, const char *name,
                           struct hull_err *err)
{
	const struct hull_image_config *cfg = &img->config;
	struct hull_pos pos = {hull_model_file(m, name), 0, 0};
	struct hull_workload *w = hull_model_add_workload(m, HULL_INPUT_IMAGE, "image", name, pos);
	struct hull_container *c = w ? hull_model_add_container(m, w, name, pos) : NULL;
	if (!c)
		return hull_model_failed(m, err), -1;
	if (img->name)
		hull_model_set_image(m, c, img->name, pos);
	if (cfg->user && *cfg->user)
		hull_model_set_user(m, &c->user, cfg->user, "the image config User", pos);
	for (size_t i = 0; i < cfg->env.n; i++) {
		const char *kv = cfg->env.v[i];
		const char *eq = kv ? strchr(kv, '=') : NULL;
		struct hull_env *e = kv ? hull_model_push(m, &c->env) : NULL;
		if (!e)
			continue;
		e->name.v =
		    eq ? hull_model_strndup(m, kv, (size_t)(eq - kv)) : hull_model_strdup(m, kv);
		e->name.pos = e->value_pos = pos;
		e->value = eq ? hull_model_strdup(m, eq + 1) : NULL;
	}
	for (size_t i = 0; i < cfg->exposed_ports.n; i++)
		hull_model_add_exposed(m, c, cfg->exposed_ports.v[i], pos);
	if (cfg->has_healthcheck && cfg->healthcheck_test.n) {
		c->healthcheck.set = true;
		c->healthcheck.kind = "cmd";
		c->healthcheck.pos = pos;
		c->healthcheck.disabled =
		    cfg->healthcheck_test.v[0] && !strcmp(cfg->healthcheck_test.v[0], "NONE");
	}
	for (size_t i = 0; i < cfg->entrypoint.n + cfg->cmd.n; i++) {
		struct hull_vstr *s = hull_model_push(m, &c->command);
		if (s) {
			s->v = hull_model_strdup(m, i < cfg->entrypoint.n
			                                ? cfg->entrypoint.v[i]
			                                : cfg->cmd.v[i - cfg->entrypoint.n]);
			s->pos = pos;
		}
	}
	return hull_model_failed(m, err) ? -1 : 0;
}
