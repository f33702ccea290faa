#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

static bool repo_tag_matches(const char *repo_tag, const char *tag)
{
	size_t n = strlen(repo_tag), t = strlen(tag);
	if (!strcmp(repo_tag, tag))
		return true;
	/* "docker.io/library/debian:bookworm" matches "bookworm", "debian:bookworm"
	 * and "library/debian:bookworm" */
	if (n > t && !strcmp(repo_tag + n - t, tag)) {
		char before = repo_tag[n - t - 1];
		return before == ':' || (before == '/' && strchr(tag, ':'));
	}
	return false;
}

static bool entry_has_tag(struct json_object *entry, const char *tag)
{
	struct json_object *tags = hull_json_get_arr(entry, "RepoTags");
	size_t n = tags ? json_object_array_length(tags) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = json_object_get_string(json_object_array_get_idx(tags, i));
		if (t && repo_tag_matches(t, tag))
			return true;
	}
	return false;
}

static const char *first_tag(struct json_object *entry)
{
	struct json_object *tags = hull_json_get_arr(entry, "RepoTags");
	struct json_object *t = tags ? json_object_array_get_idx(tags, 0) : NULL;
	return t && json_object_is_type(t, json_type_string) ? json_object_get_string(t) : NULL;
}

static int choose(const struct store *s, struct json_object *list, const char *tag,
                  struct json_object **out, struct hull_err *err)
{
	size_t n = json_object_array_length(list);
	struct json_object *found = NULL;
	size_t matches = 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		if (!json_object_is_type(e, json_type_object))
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: manifest.json entry %zu is not an object",
			                    s->target, i + 1);
		if (!tag || entry_has_tag(e, tag)) {
			found = found ? found : e;
			matches++;
		}
	}
	if (matches == 1) {
		*out = found;
		return 0;
	}
	struct hull_buf b;
	hull_buf_init(&b, 4096);
	for (size_t i = 0; i < n && i < 20; i++) {
		const char *t = first_tag(json_object_array_get_idx(list, i));
		hull_buf_printf(&b, NULL, "%s%s", i ? ", " : "", t ? t : "(untagged)");
	}
	if (matches == 0 && tag)
		hull_err_set(err, HULL_ERR_NOTFOUND, "%s: no image tagged '%s' (it has: %s)",
		             s->target, tag, b.data ? b.data : "nothing");
	else if (matches == 0)
		hull_err_set(err, HULL_ERR_INPUT, "%s: manifest.json lists no image", s->target);
	else
		hull_err_set(err, HULL_ERR_USAGE, "%s: %zu images; choose one with --tag: %s",
		             s->target, matches, b.data ? b.data : "");
	hull_buf_release(&b);
	return -1;
}

/* The digest a docker-archive path names: "<hex>.json", "blobs/sha256/<hex>",
 * "<hex>.tar" (a DiffID); NULL when the name carries none. */
static bool digest_from_path(const char *path, char out[HULL_DIGEST_STRLEN + 1])
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n >= 64 && hull_is_sha256_hex(base, 64) &&
	    (n == 64 || !strcmp(base + 64, ".json") || !strcmp(base + 64, ".tar"))) {
		snprintf(out, HULL_DIGEST_STRLEN + 1, "sha256:%.64s", base);
		return true;
	}
	return false;
}

static int read_config(struct hull_image *img, const struct store *s, const char *path,
                       struct hull_err *err)
{
	struct blob b;
	cleanup_free char *data = NULL;
	size_t len;
	if (!path)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: manifest.json entry has no Config",
		                    s->target);
	if (store_open_blob(s, path, &b, err) < 0)
		return -1;
	int rc = blob_read_all(&b, HULL_IMAGE_MAX_JSON, &data, &len, err);
	blob_close(&b);
	if (rc < 0)
		return -1;
	char got[HULL_DIGEST_STRLEN + 1], named[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(data, len, got, err) < 0)
		return -1;
	if (digest_from_path(path, named) && strcmp(named, got))
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: config %s does not match its digest (content hashes to %s)", s->target,
		    path, got);
	if (!(img->config_digest = strdup(got)))
		return hull_err_nomem(err);
	if (hull_json_parse(data, len, b.name, &img->config_json, err) < 0)
		return -1;
	return config_parse(img, img->config_json, err);
}

static int read_layer_paths(struct hull_image *img, const struct store *s,
                            struct json_object *entry, char ***paths, struct hull_err *err)
{
	struct json_object *layers = hull_json_get_arr(entry, "Layers");
	size_t n = layers ? json_object_array_length(layers) : 0;
	if (layers_alloc(img, n, paths, s->target, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(layers, i));
		if (!p || !*p)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s: manifest.json layer %zu is not a path", s->target,
			                    i + 1);
		if (!((*paths)[i] = strdup(p)))
			return hull_err_nomem(err);
		/* OCI-style entries name their blob digest; legacy ones do not */
		char d[HULL_DIGEST_STRLEN + 1];
		if (!strncmp(p, "blobs/sha256/", 13) && digest_from_path(p, d) &&
		    !(img->layers[i].digest = strdup(d)))
			return hull_err_nomem(err);
	}
	return 0;
}

/* The layer paths of an image, one per layer (img->nlayers). */
struct layer_paths {
	const struct hull_image *img;
	char **v;
};

static void free_paths(struct layer_paths *lp)
{
	for (size_t i = 0; lp->v && i < lp->img->nlayers; i++)
		free(lp->v[i]);
	free(lp->v);
}

#define cleanup_paths __attribute__((cleanup(free_paths)))

int docker_read(struct hull_image *img, const struct store *s, const struct hull_image_opts *opts,
                const char *tag, struct hull_diag *diag, struct hull_err *err)
{
	cleanup_json struct json_object *list = NULL;
	struct json_object *entry = NULL;
	cleanup_free char *data = NULL;
	cleanup_paths struct layer_paths lp = {.img = img};
	size_t len;
	struct blob b;
	if (store_open_blob(s, "manifest.json", &b, err) < 0)
		return -1;
	int rc = blob_read_all(&b, HULL_IMAGE_MAX_JSON, &data, &len, err);
	blob_close(&b);
	if (rc < 0 || hull_json_parse(data, len, b.name, &list, err) < 0)
		return -1;
	if (!json_object_is_type(list, json_type_array))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: manifest.json is not a JSON array",
		                    s->target);
	if (choose(s, list, tag, &entry, err) < 0)
		return -1;
	const char *name = first_tag(entry);
	if (name && !(img->name = strdup(name)))
		return hull_err_nomem(err);
	if (read_config(img, s, hull_json_get_str(entry, "Config"), err) < 0 ||
	    read_layer_paths(img, s, entry, &lp.v, err) < 0)
		return -1;
	return layers_apply(img, s, lp.v, opts, diag, err);
}
