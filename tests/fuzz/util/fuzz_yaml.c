/* Fuzzes the YAML loader: events, scalars, anchors, merges, positions. */
#include <stdint.h>
#include <stdlib.h>

#include "util/yaml.h"

static void touch(const struct hull_yaml *y, struct json_object *o, int depth)
{
	unsigned line, col;
	if (!o || depth > 300)
		return;
	hull_yaml_pos(y, o, &line, &col);
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			hull_yaml_key_pos(y, o, k, &line, &col);
			touch(y, v, depth + 1);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n && i < 10000; i++)
			touch(y, json_object_array_get_idx(o, i), depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_yaml *y;
	struct hull_err err = {0};
	if (hull_yaml_parse((const char *)data, size, "fuzz.yaml", &y, &err) == 0) {
		for (size_t i = 0; i < hull_yaml_ndocs(y) && i < 100; i++)
			touch(y, hull_yaml_doc(y, i), 0);
		hull_yaml_free(y);
	}
	return 0;
}
