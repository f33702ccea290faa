/* yaml: YAML streams (and JSON, which is YAML) parsed into json-c values,
 * with the line and column of every node.
 *
 * One loader for every YAML hull reads (Alpine secdb, PyPI advisories,
 * Compose, Kubernetes, policy files), so all of them get the same limits
 * and the same error messages, and consumers use the json-c accessors of
 * util/json.h whatever the input syntax was.
 *
 * Semantics: YAML 1.2 core schema for plain scalars (null, true/false,
 * integers in decimal, 0o octal and 0x hex, floats, .inf/.nan; everything
 * else, and every quoted or block scalar, is a string; `22:22` and `yes`
 * are strings). `!!str` forces a string. Mapping keys become strings;
 * a non-scalar key is an error. Anchors and aliases are resolved by
 * sharing the anchored json-c value (json_object_get), merge keys (`<<`,
 * a mapping or a sequence of mappings) are applied with explicit keys
 * winning, and a duplicate key in one mapping is an error naming both
 * lines.
 *
 * Limits (errors, never crashes): HULL_MAX_DEPTH nesting levels (util/limits.h);
 * HULL_YAML_MAX_NODES nodes per stream counting every alias as the size
 * of what it expands to (so an alias bomb fails fast, in bounded memory);
 * HULL_YAML_MAX_BYTES of estimated memory for the values made (a flat
 * document of many small mappings costs ~50 times its size); the caller
 * caps the input size. Errors name the input, line and column.
 *
 * Ownership: a struct hull_yaml owns its documents; pointers returned by
 * hull_yaml_doc live until hull_yaml_free (take a json_object_get to keep
 * one longer). */
#ifndef HULL_UTIL_YAML_H
#define HULL_UTIL_YAML_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/limits.h"

#define HULL_YAML_MAX_NODES 4000000u
#define HULL_YAML_MAX_DOCS  100000u
/* Estimated bytes of the values one stream loads into (a mapping costs
 * about 1 KiB in json-c): a 12 MB JSON list of 100,000 pods would take
 * 750 MiB; it is refused at this size, naming the line reached. */
#define HULL_YAML_MAX_BYTES (128u << 20)

struct hull_yaml;

/* Parses every document of the stream data[0..len). `name` is used in
 * error messages ("deploy.yaml: line 12, column 3: duplicate key 'image'
 * (first at line 9)"). */
int hull_yaml_parse(const char *data, size_t len, const char *name, struct hull_yaml **out,
                    struct hull_err *err);

/* Number of documents; an empty stream has none. */
size_t hull_yaml_ndocs(const struct hull_yaml *y);

/* Document i (borrowed). An empty document ("---" alone) is NULL. */
struct json_object *hull_yaml_doc(const struct hull_yaml *y, size_t i);

/* Line and column (1-based) where node starts; false for a node that did
 * not come from this stream. For an alias, the anchored node's position. */
bool hull_yaml_pos(const struct hull_yaml *y, const struct json_object *node, unsigned *line,
                   unsigned *col);

/* Line and column of `key` in the mapping `map` (where the key is written,
 * not its value): what a report points at for a missing-or-bad value. */
bool hull_yaml_key_pos(const struct hull_yaml *y, const struct json_object *map, const char *key,
                       unsigned *line, unsigned *col);

void hull_yaml_free(struct hull_yaml *y);

#endif
