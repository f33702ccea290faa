/* json: parsing untrusted JSON with json-c, and typed accessors.
 *
 * Parsing is strict (RFC 8259), depth-capped (HULL_MAX_DEPTH, util/limits.h) and
 * size-capped by the caller; errors name the input, line and column.
 * Accessors return NULL when a key is missing or has the wrong type, so
 * callers decide what is required. Returned pointers are borrowed from the
 * parent object. */
#ifndef HULL_UTIL_JSON_H
#define HULL_UTIL_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/limits.h"
#include "util/str.h"

static inline void hull_json_putp(struct json_object **o)
{
	json_object_put(*o); /* NULL is fine */
}

/* `cleanup_json struct json_object *doc = NULL;` drops the reference when
 * doc goes out of scope; move it out with `*out = doc; doc = NULL;`. */
#define cleanup_json __attribute__((cleanup(hull_json_putp)))

/* Parses data[0..len) as one JSON value. *out is owned by the caller
 * (json_object_put). `name` is used in error messages. */
int hull_json_parse(const char *data, size_t len, const char *name, struct json_object **out,
                    struct hull_err *err);
/* The same, for a document that must be an object ("NAME: not a JSON
 * object" otherwise, *out NULL): the lockfiles and manifests. */
int hull_json_parse_object(const char *data, size_t len, const char *name, struct json_object **out,
                           struct hull_err *err);
/* The same for the one value at data[off..off+n) of a larger document (a
 * feed read member by member, vulndb/jsonscan.c): line and column in
 * messages count from data's start. */
int hull_json_parse_at(const char *data, size_t len, size_t off, size_t n, const char *name,
                       struct json_object **out, struct hull_err *err);

/* obj[key] of any type; NULL when obj is not an object (or NULL), key is
 * missing or its value is JSON null. */
struct json_object *hull_json_member(struct json_object *obj, const char *key);
/* o's text as a slice (it may hold NUL bytes) when o is a string, else
 * {NULL, 0}. */
struct hull_str hull_json_str(struct json_object *o);

const char *hull_json_get_str(struct json_object *obj, const char *key);
struct json_object *hull_json_get_obj(struct json_object *obj, const char *key);
struct json_object *hull_json_get_arr(struct json_object *obj, const char *key);
/* Integer value of obj[key] into *out; false when missing or not an integer. */
bool hull_json_get_int(struct json_object *obj, const char *key, int64_t *out);
bool hull_json_get_bool(struct json_object *obj, const char *key, bool *out);

#endif
