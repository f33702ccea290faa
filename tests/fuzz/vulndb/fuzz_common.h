/* fuzz_common: shared by the vulndb harnesses. Every harness parses its
 * input in a fresh builder (records may be skipped, never crash), then
 * encodes every package's blob and decodes it again: what the writer
 * encodes, the reader must read back, advisory for advisory. */
#ifndef HULL_FUZZ_VULNDB_COMMON_H
#define HULL_FUZZ_VULNDB_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/yaml.h"
#include "vulndb/internal.h"

static inline int fuzz_count(const struct hull_vulndb_advisory *a, void *ctx)
{
	/* an advisory always has an id (an empty one would be stored, matched
	 * and reported as "") */
	if (!a->id[0])
		abort();
	/* touch every string the reader hands out */
	size_t n = strlen(a->id) + strlen(a->url);
	for (size_t i = 0; i < a->n_aliases; i++)
		n += strlen(a->aliases[i]);
	for (size_t i = 0; i < a->n_affected; i++)
		for (size_t r = 0; r < a->affected[i].n_ranges; r++)
			n += a->affected[i].ranges[r].n_events;
	(void)n;
	(*(size_t *)ctx)++;
	return 0;
}

/* Encodes and decodes every package of b; aborts on a mismatch. */
static inline void fuzz_roundtrip(struct hull_vulndb_builder *b)
{
	struct hull_err err = {0};
	if (vdb_finish(b, &err) < 0)
		return;
	struct vdb_scratch sc = {0};
	struct hull_buf blob;
	hull_buf_init(&blob, 1u << 30);
	for (size_t i = 0; i < b->n_pkgs; i++) {
		if (!b->pkgs[i]->name[0]) /* every package has a name */
			abort();
		hull_buf_reset(&blob);
		if (vdb_blob_encode(b->pkgs[i]->advs, b->pkgs[i]->n, &blob, &err) < 0)
			abort();
		size_t seen = 0;
		if (vdb_blob_decode((const unsigned char *)blob.data, blob.len, "ns",
		                    b->pkgs[i]->name, &sc, fuzz_count, &seen, &err) < 0 ||
		    seen != b->pkgs[i]->n)
			abort();
	}
	hull_buf_release(&blob);
	vdb_scratch_release(&sc);
}

typedef int (*fuzz_object_fn)(struct hull_vulndb_builder *, const struct vdb_doc *,
                              struct json_object *, struct hull_err *);

/* Parses data as JSON (first byte even) or YAML (odd) and hands the root
 * object to fn. */
static inline void fuzz_object(fuzz_object_fn fn, const uint8_t *data, size_t size)
{
	if (size == 0)
		return;
	bool yaml = data[0] & 1;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct hull_vulndb_builder *b;
	struct hull_err err = {0};
	if (hull_vulndb_builder_new(NULL, &b, &err) < 0)
		return;
	struct vdb_doc doc = {.name = "fuzz", .data = text, .len = len};
	if (yaml) {
		struct hull_yaml *y = NULL;
		if (hull_yaml_parse(text, len, "fuzz", &y, &err) == 0) {
			doc.yaml = y;
			for (size_t i = 0; i < hull_yaml_ndocs(y); i++) {
				struct json_object *o = hull_yaml_doc(y, i);
				if (o)
					fn(b, &doc, o, &err);
			}
			fuzz_roundtrip(b);
			hull_yaml_free(y);
		}
	} else {
		struct json_object *o = NULL;
		if (hull_json_parse(text, len, "fuzz", &o, &err) == 0) {
			fn(b, &doc, o, &err);
			fuzz_roundtrip(b);
			json_object_put(o);
		}
	}
	hull_vulndb_builder_free(b);
}

#endif
