#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/json.h"
#include "util/mem.h"

#define MAX_LIST 65536

static int dup_str(struct json_object *obj, const char *key, char **out, struct hull_err *err)
{
	const char *v = hull_json_get_str(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	*out = strdup(v);
	return *out ? 0 : hull_err_nomem(err);
}

static void strv_release(struct hull_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

static int strv_push(struct hull_strv *sv, size_t *cap, const char *s, struct hull_err *err)
{
	if (HULL_ARRAY_PUSH_ROOM(sv->v, sv->n, *cap, MAX_LIST, err) < 0)
		return -1;
	if (!(sv->v[sv->n] = strdup(s)))
		return hull_err_nomem(err);
	sv->n++;
	return 0;
}

/* A JSON array of strings (non-strings are skipped). */
static int strv_from_array(struct json_object *arr, struct hull_strv *sv, struct hull_err *err)
{
	size_t cap = 0;
	if (!arr)
		return 0;
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		if (json_object_is_type(v, json_type_string) &&
		    strv_push(sv, &cap, json_object_get_string(v), err) < 0)
			return -1;
	}
	return 0;
}

/* The keys of a JSON object ({"80/tcp": {}} -> "80/tcp"). */
static int strv_from_keys(struct json_object *obj, struct hull_strv *sv, struct hull_err *err)
{
	size_t cap = 0;
	if (!obj)
		return 0;
	json_object_object_foreach(obj, key, val)
	{
		(void)val;
		if (strv_push(sv, &cap, key, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_labels(struct json_object *obj, struct hull_image_config *c, struct hull_err *err)
{
	size_t cap = 0;
	if (!obj)
		return 0;
	json_object_object_foreach(obj, key, val)
	{
		if (!json_object_is_type(val, json_type_string))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(c->labels, c->nlabels, cap, MAX_LIST, err) < 0)
			return -1;
		struct hull_kv *kv = &c->labels[c->nlabels];
		kv->key = strdup(key);
		kv->value = strdup(json_object_get_string(val));
		c->nlabels++;
		if (!kv->key || !kv->value)
			return hull_err_nomem(err);
	}
	return 0;
}

static int parse_history(struct json_object *arr, struct hull_image_config *c, struct hull_err *err)
{
	size_t cap = 0;
	size_t n = arr ? json_object_array_length(arr) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(h, json_type_object))
			continue;
		if (HULL_ARRAY_PUSH_ROOM(c->history, c->nhistory, cap, MAX_LIST, err) < 0)
			return -1;
		struct hull_history *e = &c->history[c->nhistory++];
		memset(e, 0, sizeof(*e));
		bool empty = false;
		hull_json_get_bool(h, "empty_layer", &empty);
		e->empty_layer = empty;
		if (dup_str(h, "created", &e->created, err) < 0 ||
		    dup_str(h, "created_by", &e->created_by, err) < 0 ||
		    dup_str(h, "comment", &e->comment, err) < 0)
			return -1;
	}
	return 0;
}

int config_parse(struct hull_image *img, struct json_object *config, struct hull_err *err)
{
	struct hull_image_config *c = &img->config;
	if (!json_object_is_type(config, json_type_object))
		return hull_err_set(err, HULL_ERR_INPUT, "image config is not a JSON object");
	struct json_object *cc = hull_json_get_obj(config, "config");
	struct json_object *hc = hull_json_get_obj(cc, "Healthcheck");
	if (dup_str(config, "os", &c->os, err) < 0 ||
	    dup_str(config, "architecture", &c->architecture, err) < 0 ||
	    dup_str(config, "variant", &c->variant, err) < 0 ||
	    dup_str(config, "created", &c->created, err) < 0 ||
	    dup_str(config, "author", &c->author, err) < 0 ||
	    dup_str(cc, "User", &c->user, err) < 0 ||
	    dup_str(cc, "WorkingDir", &c->workdir, err) < 0 ||
	    dup_str(cc, "StopSignal", &c->stop_signal, err) < 0 ||
	    strv_from_array(hull_json_get_arr(cc, "Env"), &c->env, err) < 0 ||
	    strv_from_array(hull_json_get_arr(cc, "Entrypoint"), &c->entrypoint, err) < 0 ||
	    strv_from_array(hull_json_get_arr(cc, "Cmd"), &c->cmd, err) < 0 ||
	    strv_from_array(hull_json_get_arr(cc, "Shell"), &c->shell, err) < 0 ||
	    strv_from_keys(hull_json_get_obj(cc, "ExposedPorts"), &c->exposed_ports, err) < 0 ||
	    strv_from_keys(hull_json_get_obj(cc, "Volumes"), &c->volumes, err) < 0 ||
	    parse_labels(hull_json_get_obj(cc, "Labels"), c, err) < 0 ||
	    strv_from_array(hull_json_get_arr(hc, "Test"), &c->healthcheck_test, err) < 0 ||
	    parse_history(hull_json_get_arr(config, "history"), c, err) < 0)
		return -1;
	c->has_healthcheck = hc != NULL;
	return 0;
}

void config_release(struct hull_image_config *c)
{
	free(c->os);
	free(c->architecture);
	free(c->variant);
	free(c->created);
	free(c->author);
	free(c->user);
	free(c->workdir);
	free(c->stop_signal);
	strv_release(&c->env);
	strv_release(&c->entrypoint);
	strv_release(&c->cmd);
	strv_release(&c->exposed_ports);
	strv_release(&c->volumes);
	strv_release(&c->shell);
	strv_release(&c->healthcheck_test);
	for (size_t i = 0; i < c->nlabels; i++) {
		free(c->labels[i].key);
		free(c->labels[i].value);
	}
	free(c->labels);
	for (size_t i = 0; i < c->nhistory; i++) {
		free(c->history[i].created);
		free(c->history[i].created_by);
		free(c->history[i].comment);
	}
	free(c->history);
	memset(c, 0, sizeof(*c));
}
