#include "util/json.h"

#include <limits.h>

static void position(const char *data, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static bool only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

int hull_json_parse(const char *data, size_t len, const char *name, struct json_object **out,
                    struct hull_err *err)
{
	*out = NULL;
	if (len == 0 || only_space(data, len))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: empty document, expected JSON", name);
	return hull_json_parse_at(data, len, 0, len, name, out, err);
}

int hull_json_parse_object(const char *data, size_t len, const char *name, struct json_object **out,
                           struct hull_err *err)
{
	if (hull_json_parse(data, len, name, out, err) < 0)
		return -1;
	if (!json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a JSON object", name);
	}
	return 0;
}

int hull_json_parse_at(const char *data, size_t len, size_t off, size_t n, const char *name,
                       struct json_object **out, struct hull_err *err)
{
	*out = NULL;
	if (n > INT_MAX || off > len || n > len - off)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: JSON document too large", name);
	struct json_tokener *tok = json_tokener_new_ex(HULL_MAX_DEPTH);
	if (!tok)
		return hull_err_nomem(err);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *obj = json_tokener_parse_ex(tok, data + off, (int)n);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	int rc = 0;
	size_t line, col;
	if (end > n)
		end = n;
	if (jerr == json_tokener_continue) {
		position(data, off + n, &line, &col);
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %zu, column %zu: unexpected end of JSON", name, line,
		                  col);
	} else if (jerr == json_tokener_error_depth) {
		position(data, off + end, &line, &col);
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %zu, column %zu: nested deeper than %d levels", name,
		                  line, col, HULL_MAX_DEPTH);
	} else if (jerr == json_tokener_success && !obj) {
		/* json-c gives no value and no error when an allocation failed */
		position(data, off + end, &line, &col);
		rc = hull_err_set(
		    err, HULL_ERR_NOMEM,
		    "%s: line %zu, column %zu: out of memory loading %zu bytes of JSON", name, line,
		    col, n);
	} else if (jerr != json_tokener_success && end < n && data[off + end] == '\0') {
		position(data, off + end, &line, &col);
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %zu, column %zu: invalid JSON: a NUL byte", name, line,
		                  col);
	} else if (jerr != json_tokener_success || !obj) {
		position(data, off + end, &line, &col);
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: line %zu, column %zu: invalid JSON: %s",
		                  name, line, col, json_tokener_error_desc(jerr));
	} else if (end < n && !only_space(data + off + end, n - end)) {
		position(data, off + end, &line, &col);
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: line %zu, column %zu: trailing data after JSON value", name,
		                  line, col);
	}
	json_tokener_free(tok);
	if (rc < 0) {
		json_object_put(obj);
		return rc;
	}
	*out = obj;
	return 0;
}

static struct json_object *get_typed(struct json_object *obj, const char *key, json_type type)
{
	struct json_object *v = NULL;
	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

struct json_object *hull_json_member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

struct hull_str hull_json_str(struct json_object *o)
{
	if (!o || !json_object_is_type(o, json_type_string))
		return hull_str(NULL, 0);
	return hull_str(json_object_get_string(o), (size_t)json_object_get_string_len(o));
}

const char *hull_json_get_str(struct json_object *obj, const char *key)
{
	struct json_object *v = get_typed(obj, key, json_type_string);
	return v ? json_object_get_string(v) : NULL;
}

struct json_object *hull_json_get_obj(struct json_object *obj, const char *key)
{
	return get_typed(obj, key, json_type_object);
}

struct json_object *hull_json_get_arr(struct json_object *obj, const char *key)
{
	return get_typed(obj, key, json_type_array);
}

bool hull_json_get_int(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v = get_typed(obj, key, json_type_int);
	if (!v)
		return false;
	*out = json_object_get_int64(v);
	return true;
}

bool hull_json_get_bool(struct json_object *obj, const char *key, bool *out)
{
	struct json_object *v = get_typed(obj, key, json_type_boolean);
	if (!v)
		return false;
	*out = json_object_get_boolean(v);
	return true;
}
