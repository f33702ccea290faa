/* spdx: the SBOM as an SPDX 2.3 JSON document.
 *
 * Layout: one package for the target (purpose CONTAINER, or FILE for a
 * root filesystem) that the document DESCRIBES; it CONTAINS the
 * distribution (purpose OPERATING_SYSTEM) and the language packages; the
 * distribution CONTAINS its packages. Each package carries its purl as a
 * PACKAGE-MANAGER external reference and hull's details (file, layer,
 * source) as annotations.
 *
 * Validity beyond the JSON schema, which SPDX tools check:
 *   - SPDXIDs are "SPDXRef-" + [A-Za-z0-9.-]; a package's ID is its type and
 *     name (sanitised, capped) plus 16 hex digits of a SHA-256 over its
 *     identity, so IDs stay stable across runs; a duplicate gets "-<n>".
 *   - licenseDeclared is a valid license expression: the canonical form when
 *     the declared licence is one (see license.h), else a LicenseRef- with
 *     the original text in hasExtractedLicensingInfos, else NOASSERTION.
 *     licenseConcluded is NOASSERTION: hull reads declarations, it does not
 *     conclude anything about licensing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"
#include "report/jsonw.h"
#include "report/license.h"
#include "util/digest.h"

#define ID_ROOT     "SPDXRef-Target"
#define ID_OS       "SPDXRef-OperatingSystem"
#define ID_NAME_MAX 64
#define HASH_HEX    16
#define NAMESPACE   "https://hull.invalid/spdx/"
#define NS_NAME_MAX 128

struct license_ref {
	char *id;
	const char *text; /* borrowed from the package */
};

struct spdx {
	const struct hull_report_ctx *c;
	char **ids;               /* per package */
	char **declared;          /* per package: expression, LicenseRef or NULL */
	struct license_ref *refs; /* extracted licences, sorted by id, unique */
	size_t nrefs;
	struct hull_err *err;
};

/* Appends s to out with every run of bytes outside [A-Za-z0-9.-] as one
 * '-', reading at most max bytes of s. */
static int put_idstring(struct hull_buf *out, const char *s, size_t max, struct hull_err *err)
{
	bool replaced = false;
	for (size_t i = 0; s && s[i] && i < max; i++) {
		char ch = s[i];
		bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		          (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
		if (!ok && replaced)
			continue;
		replaced = !ok;
		if (hull_buf_putc(out, ok ? ch : '-', err) < 0)
			return -1;
	}
	return 0;
}

static int hash_hex(const char *data, size_t len, char out[HASH_HEX + 1], struct hull_err *err)
{
	char d[HULL_DIGEST_STRLEN + 1];
	if (hull_sha256_digest(data, len, d, err) < 0)
		return -1;
	memcpy(out, d + 7, HASH_HEX);
	out[HASH_HEX] = '\0';
	return 0;
}

/* The fields that make a package distinct, NUL-separated, hashed. */
static int package_id(const struct hull_report_pkg *rp, char **out, struct hull_err *err)
{
	const struct hull_pkg *p = rp->pkg;
	const char *fields[] = {hull_pkg_type_name(p->type), p->name, p->version, p->arch, p->file};
	cleanup_buf struct hull_buf key;
	cleanup_buf struct hull_buf id;
	hull_buf_init(&key, 1u << 20);
	hull_buf_init(&id, 256);
	char hex[HASH_HEX + 1], layer[16];
	snprintf(layer, sizeof(layer), "%d", rp->layer_index);
	/* A key over the cap (a hostile megabyte-long name) still gets an
	 * ID: what fitted is hashed, so the local error is dropped. */
	struct hull_err kerr = {0};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (hull_buf_append(&key, fields[i] ? fields[i] : "",
		                    fields[i] ? strlen(fields[i]) + 1 : 1, &kerr) < 0)
			break;
	hull_buf_append_str(&key, layer, &kerr);
	if (kerr.kind == HULL_ERR_NOMEM)
		return hull_err_nomem(err);
	int rc = hash_hex(key.data ? key.data : "", key.len, hex, err);
	if (rc == 0)
		rc = hull_buf_append_str(&id, "SPDXRef-Package-", err);
	if (rc == 0)
		rc = put_idstring(&id, hull_pkg_type_name(p->type), 8, err);
	if (rc == 0)
		rc = hull_buf_putc(&id, '-', err);
	if (rc == 0)
		rc = put_idstring(&id, p->name, ID_NAME_MAX, err);
	if (rc == 0)
		rc = hull_buf_printf(&id, err, "-%s", hex);
	if (rc < 0)
		return -1;
	*out = hull_buf_detach(&id, NULL);
	return *out ? 0 : hull_err_nomem(err);
}

static char *rename_id(const char *ref, size_t index)
{
	char *r = NULL;
	return asprintf(&r, "%s-%zu", ref, index) < 0 ? NULL : r;
}

/* "LicenseRef-<sanitised text>-<hash>" for a free-text licence. */
static int license_ref_id(const char *text, char **out, struct hull_err *err)
{
	struct hull_buf b;
	hull_buf_init(&b, 256);
	char hex[HASH_HEX + 1];
	int rc = hash_hex(text, strlen(text), hex, err);
	if (rc == 0)
		rc = hull_buf_append_str(&b, "LicenseRef-", err);
	if (rc == 0)
		rc = put_idstring(&b, text, 48, err);
	if (rc == 0)
		rc = hull_buf_printf(&b, err, "-%s", hex);
	if (rc < 0) {
		hull_buf_release(&b);
		return -1;
	}
	*out = hull_buf_detach(&b, NULL);
	return *out ? 0 : hull_err_nomem(err);
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct license_ref *)a)->id, ((const struct license_ref *)b)->id);
}

static int add_license(struct spdx *s, size_t i)
{
	const char *lic = s->c->pkgs[i].pkg->license;
	char *canon = NULL;
	int kind = hull_license_classify(lic, &canon, s->err);
	if (kind < 0)
		return -1;
	if (kind == HULL_LICENSE_ID || kind == HULL_LICENSE_EXPRESSION) {
		s->declared[i] = canon;
		return 0;
	}
	if (kind == HULL_LICENSE_NONE)
		return 0;
	char *id;
	if (license_ref_id(lic, &id, s->err) < 0)
		return -1;
	s->declared[i] = id;
	char *copy = strdup(id);
	if (!copy)
		return hull_err_nomem(s->err);
	s->refs[s->nrefs++] = (struct license_ref){copy, lic};
	return 0;
}

static void spdx_release(struct spdx *s)
{
	size_t n = s->c->npkgs;
	for (size_t i = 0; i < n; i++) {
		if (s->ids)
			free(s->ids[i]);
		if (s->declared)
			free(s->declared[i]);
	}
	for (size_t i = 0; i < s->nrefs; i++)
		free(s->refs[i].id);
	free(s->ids);
	free(s->declared);
	free(s->refs);
}

static int spdx_prepare(struct spdx *s)
{
	size_t n = s->c->npkgs, m = n ? n : 1;
	s->ids = calloc(m, sizeof(*s->ids));
	s->declared = calloc(m, sizeof(*s->declared));
	s->refs = calloc(m, sizeof(*s->refs));
	if (!s->ids || !s->declared || !s->refs)
		return hull_err_nomem(s->err);
	for (size_t i = 0; i < n; i++)
		if (package_id(&s->c->pkgs[i], &s->ids[i], s->err) < 0 || add_license(s, i) < 0)
			return -1;
	if (hull_report_make_unique(s->ids, n, rename_id, s->err) < 0)
		return -1;
	/* One extracted-licence entry per distinct LicenseRef. */
	qsort(s->refs, s->nrefs, sizeof(*s->refs), cmp_ref);
	size_t k = 0;
	for (size_t i = 0; i < s->nrefs; i++) {
		if (k && !strcmp(s->refs[k - 1].id, s->refs[i].id)) {
			free(s->refs[i].id);
			continue;
		}
		s->refs[k++] = s->refs[i];
	}
	s->nrefs = k;
	return 0;
}

static void annotation(struct hull_jw *w, const struct hull_report_ctx *c, const char *key,
                       const char *value)
{
	if (!value)
		return;
	char annotator[128];
	snprintf(annotator, sizeof(annotator), "Tool: hull-%s", c->tool_version);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "annotator", annotator);
	hull_jw_kstr(w, "annotationDate", c->created);
	hull_jw_kstr(w, "annotationType", "OTHER");
	/* "key: value", the value kept whole whatever its bytes. */
	size_t klen = strlen(key), vlen = strlen(value);
	char *comment = malloc(klen + 2 + vlen + 1);
	if (comment) {
		memcpy(comment, key, klen);
		memcpy(comment + klen, ": ", 2);
		memcpy(comment + klen + 2, value, vlen + 1);
	}
	hull_jw_kstr(w, "comment", comment ? comment : key);
	free(comment);
	hull_jw_obj_end(w);
}

static void write_root(struct hull_jw *w, const struct hull_report_ctx *c)
{
	const struct hull_image *img = c->img;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", hull_report_target_name(img));
	hull_jw_kstr(w, "SPDXID", ID_ROOT);
	hull_jw_kstr_opt(w, "versionInfo", img->manifest_digest);
	hull_jw_kstr(w, "downloadLocation", "NOASSERTION");
	hull_jw_key(w, "filesAnalyzed");
	hull_jw_bool(w, false);
	hull_jw_kstr(w, "licenseConcluded", "NOASSERTION");
	hull_jw_kstr(w, "licenseDeclared", "NOASSERTION");
	hull_jw_kstr(w, "primaryPackagePurpose",
	             img->format == HULL_IMAGE_ROOTFS ? "FILE" : "CONTAINER");
	hull_jw_key(w, "annotations");
	hull_jw_arr_begin(w);
	annotation(w, c, "hull:image:format", hull_image_format_name(img->format));
	annotation(w, c, "hull:image:path", img->target);
	annotation(w, c, "hull:image:config_digest", img->config_digest);
	for (size_t i = 0; i < img->nlayers; i++)
		annotation(w, c, "hull:image:layer:diff_id", img->layers[i].diff_id);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
}

static void write_os(struct hull_jw *w, const struct hull_report_ctx *c)
{
	const struct hull_os *os = c->os;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", os->id);
	hull_jw_kstr(w, "SPDXID", ID_OS);
	if (os->version_id && *os->version_id)
		hull_jw_kstr(w, "versionInfo", os->version_id);
	hull_jw_kstr(w, "downloadLocation", "NOASSERTION");
	hull_jw_key(w, "filesAnalyzed");
	hull_jw_bool(w, false);
	hull_jw_kstr(w, "licenseConcluded", "NOASSERTION");
	hull_jw_kstr(w, "licenseDeclared", "NOASSERTION");
	hull_jw_kstr_opt(w, "description", os->pretty_name);
	hull_jw_kstr(w, "primaryPackagePurpose", "OPERATING_SYSTEM");
	hull_jw_obj_end(w);
}

static void write_package(struct hull_jw *w, const struct spdx *s, size_t i)
{
	const struct hull_report_ctx *c = s->c;
	const struct hull_report_pkg *rp = &c->pkgs[i];
	const struct hull_pkg *p = rp->pkg;
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "name", p->name ? p->name : "");
	hull_jw_kstr(w, "SPDXID", s->ids[i]);
	if (p->version && *p->version)
		hull_jw_kstr(w, "versionInfo", p->version);
	hull_jw_kstr(w, "downloadLocation", "NOASSERTION");
	hull_jw_key(w, "filesAnalyzed");
	hull_jw_bool(w, false);
	hull_jw_kstr(w, "licenseConcluded", "NOASSERTION");
	hull_jw_kstr(w, "licenseDeclared", s->declared[i] ? s->declared[i] : "NOASSERTION");
	if (rp->purl) {
		hull_jw_key(w, "externalRefs");
		hull_jw_arr_begin(w);
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "referenceCategory", "PACKAGE-MANAGER");
		hull_jw_kstr(w, "referenceType", "purl");
		hull_jw_kstr(w, "referenceLocator", rp->purl);
		hull_jw_obj_end(w);
		hull_jw_arr_end(w);
	}
	hull_jw_kstr(w, "primaryPackagePurpose", "LIBRARY");
	hull_jw_key(w, "annotations");
	hull_jw_arr_begin(w);
	annotation(w, c, "hull:type", hull_pkg_type_name(p->type));
	annotation(w, c, "hull:file", p->file);
	if (rp->layer) {
		annotation(w, c, "hull:layer:digest", rp->layer->digest);
		annotation(w, c, "hull:layer:diff_id", rp->layer->diff_id);
	}
	annotation(w, c, "hull:source:name", p->src_name);
	annotation(w, c, "hull:source:version", p->src_version);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
}

static void relationship(struct hull_jw *w, const char *from, const char *type, const char *to)
{
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "spdxElementId", from);
	hull_jw_kstr(w, "relatedSpdxElement", to);
	hull_jw_kstr(w, "relationshipType", type);
	hull_jw_obj_end(w);
}

static void write_relationships(struct hull_jw *w, const struct spdx *s)
{
	const struct hull_report_ctx *c = s->c;
	hull_jw_key(w, "relationships");
	hull_jw_arr_begin(w);
	relationship(w, "SPDXRef-DOCUMENT", "DESCRIBES", ID_ROOT);
	if (c->os)
		relationship(w, ID_ROOT, "CONTAINS", ID_OS);
	for (size_t i = 0; i < c->npkgs; i++) {
		bool in_os = c->os && hull_report_is_os_pkg(c->pkgs[i].pkg->type);
		relationship(w, in_os ? ID_OS : ID_ROOT, "CONTAINS", s->ids[i]);
	}
	hull_jw_arr_end(w);
}

static void write_extracted(struct hull_jw *w, const struct spdx *s)
{
	if (!s->nrefs)
		return;
	hull_jw_key(w, "hasExtractedLicensingInfos");
	hull_jw_arr_begin(w);
	for (size_t i = 0; i < s->nrefs; i++) {
		hull_jw_obj_begin(w);
		hull_jw_kstr(w, "licenseId", s->refs[i].id);
		hull_jw_kstr(w, "name", s->refs[i].text);
		hull_jw_kstr(w, "extractedText", s->refs[i].text);
		hull_jw_obj_end(w);
	}
	hull_jw_arr_end(w);
}

/* NAMESPACE + kind + "/" + percent-encoded target name + "-" + uuid. */
static int document_namespace(const struct hull_report_ctx *c, char **out, struct hull_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	struct hull_buf b;
	hull_buf_init(&b, 4096);
	int rc = hull_buf_append_str(&b, NAMESPACE, err);
	if (rc == 0)
		rc = hull_buf_append_str(
		    &b, c->img->format == HULL_IMAGE_ROOTFS ? "rootfs/" : "image/", err);
	const unsigned char *n = (const unsigned char *)hull_report_target_name(c->img);
	for (size_t i = 0; rc == 0 && n[i] && i < NS_NAME_MAX; i++) {
		unsigned char ch = n[i];
		bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		          (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_' ||
		          ch == '~';
		char t[3] = {'%', hex[ch >> 4], hex[ch & 15]};
		rc = ok ? hull_buf_putc(&b, (char)ch, err) : hull_buf_append(&b, t, 3, err);
	}
	if (rc == 0)
		rc = hull_buf_printf(&b, err, "-%s", c->uuid);
	if (rc < 0) {
		hull_buf_release(&b);
		return -1;
	}
	*out = hull_buf_detach(&b, NULL);
	return *out ? 0 : hull_err_nomem(err);
}

static int write_document(struct hull_jw *w, const struct spdx *s, struct hull_err *err)
{
	const struct hull_report_ctx *c = s->c;
	char *ns = NULL;
	if (document_namespace(c, &ns, err) < 0)
		return -1;
	char creator[128];
	snprintf(creator, sizeof(creator), "Tool: hull-%s", c->tool_version);
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "spdxVersion", "SPDX-2.3");
	hull_jw_kstr(w, "dataLicense", "CC0-1.0");
	hull_jw_kstr(w, "SPDXID", "SPDXRef-DOCUMENT");
	hull_jw_kstr(w, "name", hull_report_target_name(c->img));
	hull_jw_kstr(w, "documentNamespace", ns);
	free(ns);
	hull_jw_key(w, "creationInfo");
	hull_jw_obj_begin(w);
	hull_jw_kstr(w, "created", c->created);
	hull_jw_key(w, "creators");
	hull_jw_arr_begin(w);
	hull_jw_str(w, creator);
	hull_jw_arr_end(w);
	hull_jw_obj_end(w);
	hull_jw_key(w, "packages");
	hull_jw_arr_begin(w);
	write_root(w, c);
	if (c->os)
		write_os(w, c);
	for (size_t i = 0; i < c->npkgs; i++)
		write_package(w, s, i);
	hull_jw_arr_end(w);
	write_extracted(w, s);
	write_relationships(w, s);
	hull_jw_obj_end(w);
	return 0;
}

int hull_report_write_spdx(const struct hull_report_ctx *c, struct hull_buf *out,
                           struct hull_err *err)
{
	struct spdx s = {.c = c, .err = err};
	int rc = spdx_prepare(&s);
	struct hull_jw w;
	hull_jw_init(&w, out, err);
	if (rc == 0)
		rc = write_document(&w, &s, err);
	if (rc == 0)
		rc = hull_jw_finish(&w);
	spdx_release(&s);
	return rc;
}
