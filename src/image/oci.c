#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#define MAX_INDEX_DEPTH 4

#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_SCHEMA1  "application/vnd.docker.distribution.manifest.v1"
#define MT_OCI_CONFIG      "application/vnd.oci.image.config.v1+json"
#define MT_DOCKER_CONFIG   "application/vnd.docker.container.image.v1+json"
#define ANN_REF_NAME       "org.opencontainers.image.ref.name"
#define ANN_IMAGE_NAME     "io.containerd.image.name"

struct platform {
	char os[32], arch[32], variant[32];
};

static bool parse_platform(const char *s, struct platform *p)
{
	memset(p, 0, sizeof(*p));
	if (!s)
		return false;
	int n = sscanf(s, "%31[^/]/%31[^/]/%31s", p->os, p->arch, p->variant);
	return n >= 2;
}

static bool is_index_type(const char *mt)
{
	return mt && (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST));
}

static const char *desc_ref_name(struct json_object *desc)
{
	struct json_object *ann = hull_json_get_obj(desc, "annotations");
	const char *ref = hull_json_get_str(ann, ANN_REF_NAME);
	return ref ? ref : hull_json_get_str(ann, ANN_IMAGE_NAME);
}

static bool tag_matches(struct json_object *desc, const char *tag)
{
	struct json_object *ann = hull_json_get_obj(desc, "annotations");
	const char *ref = hull_json_get_str(ann, ANN_REF_NAME);
	const char *name = hull_json_get_str(ann, ANN_IMAGE_NAME);
	if (ref && !strcmp(ref, tag))
		return true;
	if (name) {
		size_t n = strlen(name), t = strlen(tag);
		if (!strcmp(name, tag) ||
		    (n > t && name[n - t - 1] == ':' && !strcmp(name + n - t, tag)))
			return true;
	}
	return false;
}

static bool platform_matches(struct json_object *desc, const struct platform *want)
{
	struct json_object *p = hull_json_get_obj(desc, "platform");
	const char *os = hull_json_get_str(p, "os"), *arch = hull_json_get_str(p, "architecture");
	const char *variant = hull_json_get_str(p, "variant");
	if (!os || !arch || strcmp(os, want->os) || strcmp(arch, want->arch))
		return false;
	return !want->variant[0] || (variant && !strcmp(variant, want->variant));
}

/* Lists what a user could choose from, for error messages. */
static void describe_choices(struct json_object **descs, size_t n, struct hull_buf *out)
{
	for (size_t i = 0; i < n && i < 20; i++) {
		const char *ref = desc_ref_name(descs[i]);
		struct json_object *p = hull_json_get_obj(descs[i], "platform");
		const char *os = hull_json_get_str(p, "os"),
		           *arch = hull_json_get_str(p, "architecture");
		const char *variant = hull_json_get_str(p, "variant");
		hull_buf_printf(out, NULL, "%s%s", i ? ", " : "", ref ? ref : "(untagged)");
		if (os && arch)
			hull_buf_printf(out, NULL, " [%s/%s%s%s]", os, arch, variant ? "/" : "",
			                variant ? variant : "");
	}
	if (n > 20)
		hull_buf_printf(out, NULL, ", ... (%zu in all)", n);
}

static size_t filter_platform(struct json_object **in, size_t n, const struct platform *p,
                              struct json_object **out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (platform_matches(in[i], p))
			out[k++] = in[i];
	return k;
}

/* Picks one descriptor of an index's manifests, by tag then platform. */
static int choose(const struct store *s, struct json_object *manifests, const char *tag,
                  const struct hull_image_opts *opts, struct json_object **chosen,
                  struct hull_err *err)
{
	size_t n = json_object_array_length(manifests);
	if (n == 0)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: the index lists no manifests",
		                    s->target);
	if (n > 4096)
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: the index lists %zu manifests",
		                    s->target, n);
	cleanup_free struct json_object **all = calloc(n, sizeof(*all));
	cleanup_free struct json_object **pick = calloc(n, sizeof(*pick));
	if (!all || !pick)
		return hull_err_nomem(err);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(manifests, i);
		const char *os = hull_json_get_str(hull_json_get_obj(d, "platform"), "os");
		if (!json_object_is_type(d, json_type_object) || (os && !strcmp(os, "unknown")) ||
		    hull_json_get_str(d, "artifactType"))
			continue; /* attestation manifests of buildx, signatures */
		all[m++] = d;
	}
	size_t k = 0;
	if (tag) {
		for (size_t i = 0; i < m; i++)
			if (tag_matches(all[i], tag))
				pick[k++] = all[i];
		if (k == 0) {
			struct hull_buf b;
			hull_buf_init(&b, 4096);
			describe_choices(all, m, &b);
			hull_err_set(err, HULL_ERR_NOTFOUND,
			             "%s: no image tagged '%s' (it has: %s)", s->target, tag,
			             b.data ? b.data : "nothing");
			hull_buf_release(&b);
			return -1;
		}
	} else {
		memcpy(pick, all, m * sizeof(*all));
		k = m;
	}
	if (k > 1) {
		struct platform want;
		struct json_object **narrowed = all; /* reuse: all is not needed any more */
		size_t j;
		if (opts->platform) {
			if (!parse_platform(opts->platform, &want))
				return hull_err_set(err, HULL_ERR_USAGE,
				                    "--platform '%s': expected OS/ARCH[/VARIANT]",
				                    opts->platform);
			j = filter_platform(pick, k, &want, narrowed);
		} else {
			parse_platform(platform_host(), &want);
			j = filter_platform(pick, k, &want, narrowed);
			if (j == 0) {
				parse_platform("linux/amd64", &want);
				j = filter_platform(pick, k, &want, narrowed);
			}
		}
		if (j == 0 || j > 1) {
			struct hull_buf b;
			hull_buf_init(&b, 4096);
			describe_choices(j ? narrowed : pick, j ? j : k, &b);
			if (j == 0 && opts->platform)
				hull_err_set(err, HULL_ERR_NOTFOUND,
				             "%s: no image for platform %s (it has: %s)", s->target,
				             opts->platform, b.data ? b.data : "");
			else
				hull_err_set(err, HULL_ERR_USAGE,
				             "%s: %zu images match; choose one with --tag or "
				             "--platform: %s",
				             s->target, j ? j : k, b.data ? b.data : "");
			hull_buf_release(&b);
			return -1;
		}
		pick[0] = narrowed[0];
	}
	*chosen = pick[0];
	return 0;
}

/* Follows indexes from the top-level one to an image manifest. *manifest
 * is owned by the caller; *ref_name is borrowed from top. */
static int resolve(const struct store *s, struct json_object *top, const char *tag,
                   const struct hull_image_opts *opts, struct json_object **manifest,
                   char **manifest_digest, const char **ref_name, struct hull_err *err)
{
	struct json_object *index = top, *owned = NULL;
	*manifest = NULL;
	*ref_name = NULL;
	int depth;
	for (depth = 0; depth < MAX_INDEX_DEPTH; depth++) {
		struct json_object *manifests = hull_json_get_arr(index, "manifests");
		struct json_object *desc = NULL;
		int rc = manifests ? choose(s, manifests, depth ? NULL : tag, opts, &desc, err)
		                   : hull_err_set(err, HULL_ERR_INPUT,
		                                  "%s: index without manifests", s->target);
		if (rc < 0)
			break;
		if (depth == 0)
			*ref_name = desc_ref_name(desc);
		const char *digest = hull_json_get_str(desc, "digest");
		int64_t size = -1;
		hull_json_get_int(desc, "size", &size);
		struct json_object *next;
		if (store_read_json_digest(s, digest, size, true, &next, err) < 0)
			break;
		const char *mt = hull_json_get_str(desc, "mediaType");
		if (!mt)
			mt = hull_json_get_str(next, "mediaType");
		if (is_index_type(mt) || (!mt && hull_json_get_arr(next, "manifests"))) {
			json_object_put(owned);
			owned = index = next;
			continue;
		}
		/* digest lives in the index being released: copy it first */
		*manifest_digest = strdup(digest);
		json_object_put(owned);
		*manifest = next;
		if (!*manifest_digest)
			return hull_err_nomem(err);
		return 0;
	}
	json_object_put(owned);
	if (depth == MAX_INDEX_DEPTH)
		hull_err_set(err, HULL_ERR_LIMIT, "%s: indexes nested deeper than %d", s->target,
		             MAX_INDEX_DEPTH);
	return -1;
}

static int read_layers(struct hull_image *img, const struct store *s, struct json_object *manifest,
                       char ***paths, struct hull_err *err)
{
	struct json_object *layers = hull_json_get_arr(manifest, "layers");
	size_t n = layers ? json_object_array_length(layers) : 0;
	if (!layers)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: manifest %s has no layers array",
		                    s->target, img->manifest_digest);
	if (layers_alloc(img, n, paths, s->target, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(layers, i);
		const char *digest = hull_json_get_str(d, "digest");
		const char *mt = hull_json_get_str(d, "mediaType");
		int64_t size = 0;
		char hex[65];
		if (hull_digest_parse(digest, hex, err) < 0)
			return hull_err_wrap(err, "%s: layer %zu", s->target, i + 1);
		hull_json_get_int(d, "size", &size);
		struct hull_layer *l = &img->layers[i];
		l->digest = strdup(digest);
		l->media_type = mt ? strdup(mt) : NULL;
		l->size = size > 0 ? (uint64_t)size : 0;
		if (asprintf(&(*paths)[i], "blobs/sha256/%s", hex) < 0)
			(*paths)[i] = NULL;
		if (!l->digest || (mt && !l->media_type) || !(*paths)[i])
			return hull_err_nomem(err);
	}
	return 0;
}

/* A remote store's top manifest: an index is the index; an image
 * manifest gets a one-entry index around it, so both go the same way. */
static int remote_index(const struct store *s, struct json_object **out, struct hull_err *err)
{
	char got[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(s->top_data, s->top_len, got, err) < 0)
		return -1;
	if (strcmp(got, s->top_digest))
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: manifest %s does not match its digest (content hashes to %s)", s->target,
		    s->top_digest, got);
	struct json_object *top;
	if (hull_json_parse(s->top_data, s->top_len, s->target, &top, err) < 0)
		return -1;
	const char *mt = hull_json_get_str(top, "mediaType");
	if (!mt)
		mt = s->top_media_type;
	if (is_index_type(mt) || (!mt && hull_json_get_arr(top, "manifests"))) {
		*out = top;
		return 0;
	}
	struct json_object *index = json_object_new_object(), *list = json_object_new_array(),
	                   *desc = json_object_new_object();
	if (!index || !list || !desc) {
		json_object_put(index);
		json_object_put(list);
		json_object_put(desc);
		json_object_put(top);
		return hull_err_nomem(err);
	}
	if (mt) /* mt may live in top: copied before top goes */
		json_object_object_add(desc, "mediaType", json_object_new_string(mt));
	json_object_put(top);
	json_object_object_add(desc, "digest", json_object_new_string(s->top_digest));
	json_object_object_add(desc, "size", json_object_new_int64((int64_t)s->top_len));
	json_object_array_add(list, desc);
	json_object_object_add(index, "manifests", list);
	*out = index;
	return 0;
}

static int read_index_json(const struct store *s, struct json_object **out, struct hull_err *err)
{
	if (s->kind == STORE_REMOTE)
		return remote_index(s, out, err);
	struct blob b;
	cleanup_free char *data = NULL;
	size_t len;
	if (store_open_blob(s, "index.json", &b, err) < 0)
		return -1;
	int rc = blob_read_all(&b, HULL_IMAGE_MAX_JSON, &data, &len, err);
	if (rc == 0)
		rc = hull_json_parse(data, len, b.name, out, err);
	blob_close(&b);
	return rc;
}

int oci_read(struct hull_image *img, const struct store *s, const struct hull_image_opts *opts,
             const char *tag, struct hull_diag *diag, struct hull_err *err)
{
	struct json_object *index = NULL, *manifest = NULL;
	char **paths = NULL;
	const char *ref = NULL;
	int rc = -1;
	if (read_index_json(s, &index, err) < 0)
		goto out;
	if (resolve(s, index, tag, opts, &manifest, &img->manifest_digest, &ref, err) < 0)
		goto out;
	if (ref && !(img->name = strdup(ref))) {
		hull_err_nomem(err);
		goto out;
	}
	const char *mt = hull_json_get_str(manifest, "mediaType");
	int64_t schema = 2;
	hull_json_get_int(manifest, "schemaVersion", &schema);
	if (schema == 1 || (mt && !strncmp(mt, MT_DOCKER_SCHEMA1, strlen(MT_DOCKER_SCHEMA1)))) {
		hull_err_set(err, HULL_ERR_INPUT,
		             "%s: manifest %s is a Docker schema 1 manifest, which hull does not "
		             "read (deprecated since 2017: push the image again with a current "
		             "client)",
		             s->target, img->manifest_digest);
		goto out;
	}
	if (mt && strcmp(mt, MT_OCI_MANIFEST) && strcmp(mt, MT_DOCKER_MANIFEST)) {
		hull_err_set(err, HULL_ERR_INPUT, "%s: manifest %s has media type %s, not an image",
		             s->target, img->manifest_digest, mt);
		goto out;
	}
	struct json_object *cdesc = hull_json_get_obj(manifest, "config");
	const char *cdigest = hull_json_get_str(cdesc, "digest");
	const char *cmt = hull_json_get_str(cdesc, "mediaType");
	const char *artifact = hull_json_get_str(manifest, "artifactType");
	if (artifact || (cmt && strcmp(cmt, MT_OCI_CONFIG) && strcmp(cmt, MT_DOCKER_CONFIG))) {
		hull_err_set(err, HULL_ERR_INPUT,
		             "%s: manifest %s is an artifact (%s), not a container image",
		             s->target, img->manifest_digest, artifact ? artifact : cmt);
		goto out;
	}
	int64_t csize = -1;
	hull_json_get_int(cdesc, "size", &csize);
	if (!cdigest) {
		hull_err_set(err, HULL_ERR_INPUT, "%s: manifest %s has no config", s->target,
		             img->manifest_digest);
		goto out;
	}
	/* the layers first: a registry may start downloading them now */
	if (read_layers(img, s, manifest, &paths, err) < 0)
		goto out;
	layers_prefetch(img, s, opts);
	if (store_read_json_digest(s, cdigest, csize, false, &img->config_json, err) < 0 ||
	    !(img->config_digest = strdup(cdigest)) || config_parse(img, img->config_json, err) < 0)
		goto out;
	rc = layers_apply(img, s, paths, opts, diag, err);
out:
	if (paths)
		for (size_t i = 0; i < img->nlayers; i++)
			free(paths[i]);
	free(paths);
	json_object_put(manifest);
	json_object_put(index);
	if (rc < 0 && err && err->kind == HULL_ERR_NONE)
		hull_err_nomem(err); /* a failed strdup above */
	return rc;
}
