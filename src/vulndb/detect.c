/* Inputs of a build: files, directory trees, zip exports and compressed
 * files; each document's format is detected by its content (libarchive
 * style bidding: the cheapest test that tells formats apart), never by its
 * name. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/walk.h"
#include "vulndb/internal.h"

#define VDB_MAX_YAML    (256u << 20) /* YAML is only tried below this size */
#define VDB_MAX_NEST    2            /* archive in compressed file in ... */
#define VDB_MAX_ENTRIES 10000000u

static int add_buffer(struct hull_vulndb_builder *b, const char *name, const char *data, size_t len,
                      unsigned nest, struct hull_err *err);

/* Records one input that is not a feed (a line of `hull db info`). */
static int ignore_line(struct hull_vulndb_builder *b, const char *line, struct hull_err *err)
{
	b->ignored_total++;
	if (b->n_ignored >= VDB_MAX_IGNORED)
		return 0;
	if (!b->ignored && !(b->ignored = calloc(VDB_MAX_IGNORED, sizeof(*b->ignored))))
		return hull_err_nomem(err);
	if (!(b->ignored[b->n_ignored] = hull_arena_strdup(&b->arena, line, NULL)))
		return hull_err_nomem(err);
	b->n_ignored++;
	return 0;
}

static int ignore(struct hull_vulndb_builder *b, const char *name, const char *why,
                  struct hull_err *err)
{
	char line[1200];
	snprintf(line, sizeof(line), "%s: %s", name, why);
	return ignore_line(b, line, err);
}

/* ---- bidding ---------------------------------------------------------------- */

static bool has(struct json_object *o, const char *k)
{
	return json_object_object_get_ex(o, k, NULL);
}

static enum vdb_format bid_object(struct json_object *o)
{
	if (!json_object_is_type(o, json_type_object))
		return VDB_FMT_UNKNOWN;
	if (hull_json_get_str(hull_json_get_obj(o, "document"), "csaf_version") &&
	    has(o, "vulnerabilities"))
		return VDB_FMT_CSAF;
	if ((has(o, "module_name") && has(o, "vulnerable_versions")) ||
	    (has(o, "vulnerable") && has(o, "patched") && has(o, "cve")))
		return VDB_FMT_NODEJS_WG;
	if ((has(o, "packages") || has(o, "secfixes")) &&
	    (has(o, "distroversion") || has(o, "reponame") || has(o, "urlprefix") ||
	     has(o, "apkurl")))
		return VDB_FMT_SECDB;
	if (hull_json_get_str(o, "id") && (has(o, "affected") || has(o, "modified") ||
	                                   has(o, "withdrawn") || has(o, "schema_version")))
		return VDB_FMT_OSV;
	if (hull_json_get_arr(o, "vulns"))
		return VDB_FMT_OSV_LIST;
	return VDB_FMT_UNKNOWN;
}

/* The tracker document: {"pkg": {"CVE-...": {"releases": ...}}}; decided
 * on its first member without building the whole document. */
static bool bid_tracker(const char *d, size_t len)
{
	size_t pos = 0, voff, vlen;
	struct hull_str key;
	if (vdb_json_next_member(d, len, &pos, &key, &voff, &vlen) != 1 || d[voff] != '{')
		return false;
	size_t p2 = 0, v2, l2;
	struct hull_str id;
	if (vdb_json_next_member(d + voff, vlen, &p2, &id, &v2, &l2) != 1)
		return false;
	if (!hull_str_has_prefix(id, "CVE-") && !hull_str_has_prefix(id, "TEMP-") &&
	    !hull_str_has_prefix(id, "DSA-") && !hull_str_has_prefix(id, "DLA-"))
		return false;
	/* the id's object has a "releases" member */
	size_t p3 = 0, v3, l3;
	struct hull_str k3;
	int r;
	while ((r = vdb_json_next_member(d + voff + v2, l2, &p3, &k3, &v3, &l3)) == 1)
		if (hull_str_eq_c(k3, "releases"))
			return true;
	return false;
}

static bool bid_dsa(const char *d, size_t len, const char **prefix)
{
	struct hull_str rest = hull_str(d, len), line;
	while (hull_str_next_line(&rest, &line)) {
		if (!hull_str_trim(line).len)
			continue;
		/* "[29 Mar 2023] DSA-" */
		if (line.len < 18 || line.ptr[0] != '[' || line.ptr[12] != ']')
			return false;
		struct hull_str id = hull_str(line.ptr + 14, line.len - 14);
		if (hull_str_has_prefix(id, "DSA-"))
			*prefix = "DSA-";
		else if (hull_str_has_prefix(id, "DLA-"))
			*prefix = "DLA-";
		else
			return false;
		return true;
	}
	return false;
}

/* data/CVE/list: "CVE-2021-36373 (When reading ...)" first */
static bool bid_cve_list(const char *d, size_t len)
{
	struct hull_str rest = hull_str(d, len), line;
	while (hull_str_next_line(&rest, &line)) {
		if (!hull_str_trim(line).len)
			continue;
		if (!hull_str_has_prefix(line, "CVE-") || line.len < 13)
			return false;
		struct hull_str id, after;
		if (!hull_str_split(line, ' ', &id, &after))
			return false;
		after = hull_str_trim(after);
		return after.len && (after.ptr[0] == '(' || after.ptr[0] == '[');
	}
	return false;
}

static enum hull_vulndb_source source_of(enum vdb_format f, struct json_object *o)
{
	switch (f) {
	case VDB_FMT_DEBIAN_TRACKER:
		return HULL_VULNDB_SRC_DEBIAN_TRACKER;
	case VDB_FMT_DSA_LIST:
		return HULL_VULNDB_SRC_DEBIAN_DSA;
	case VDB_FMT_DLA_LIST:
		return HULL_VULNDB_SRC_DEBIAN_DLA;
	case VDB_FMT_SECDB:
		return vdb_secdb_source(o);
	case VDB_FMT_NODEJS_WG:
		return HULL_VULNDB_SRC_NODEJS_WG;
	case VDB_FMT_CSAF:
		return HULL_VULNDB_SRC_REDHAT_CSAF;
	default:
		return HULL_VULNDB_SRC_OSV;
	}
}

static int parse_object(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                        struct json_object *o, enum vdb_format f, struct hull_err *err)
{
	if (f != VDB_FMT_OSV_LIST)
		b->src[source_of(f, o)].files++;
	switch (f) {
	case VDB_FMT_SECDB:
		return vdb_parse_secdb(b, doc, o, err);
	case VDB_FMT_NODEJS_WG:
		return vdb_parse_nodejs_wg(b, doc, o, err);
	case VDB_FMT_OSV:
		return vdb_parse_osv(b, doc, o, err);
	case VDB_FMT_CSAF:
		return vdb_parse_csaf(b, doc, o, err);
	case VDB_FMT_OSV_LIST: {
		struct json_object *arr =
		    json_object_is_type(o, json_type_array) ? o : hull_json_get_arr(o, "vulns");
		size_t n = json_object_array_length(arr);
		b->src[HULL_VULNDB_SRC_OSV].files++;
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(arr, i);
			if (bid_object(e) != VDB_FMT_OSV) {
				if (vdb_bad(b, HULL_VULNDB_SRC_OSV, doc,
				            (struct vdb_pos){.node = e}, err,
				            "[%zu]: expected an OSV record", i) < 0)
					return -1;
				continue;
			}
			if (vdb_parse_osv(b, doc, e, err) < 0)
				return -1;
		}
		return 0;
	}
	default:
		return 0;
	}
}

static int parse_yaml(struct hull_vulndb_builder *b, const struct vdb_doc *base,
                      enum vdb_format *fmt, struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	struct hull_err yerr = {0};
	if (hull_yaml_parse(base->data, base->len, base->name, &y, &yerr) < 0) {
		*fmt = VDB_FMT_UNKNOWN;
		return ignore(b, base->name, "neither JSON nor YAML of a known feed", err);
	}
	struct vdb_doc doc = *base;
	doc.yaml = y;
	int rc = 0;
	bool any = false;
	for (size_t i = 0; i < hull_yaml_ndocs(y) && rc == 0; i++) {
		struct json_object *o = hull_yaml_doc(y, i);
		enum vdb_format f = bid_object(o);
		if (f == VDB_FMT_UNKNOWN)
			continue;
		any = true;
		*fmt = f;
		rc = parse_object(b, &doc, o, f, err);
	}
	hull_yaml_free(y);
	if (rc == 0 && !any) {
		*fmt = VDB_FMT_UNKNOWN;
		return ignore(b, base->name, "YAML, but no known feed", err);
	}
	return rc;
}

static bool looks_textual(const char *d, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	for (size_t i = 0; i < n; i++)
		if (d[i] == 0)
			return false;
	return true;
}

int vdb_parse_document(struct hull_vulndb_builder *b, const char *name, const char *data,
                       size_t len, enum vdb_format *fmt, struct hull_err *err)
{
	*fmt = VDB_FMT_UNKNOWN;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	struct vdb_doc doc = {.name = name, .data = data, .len = len};
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i == len)
		return ignore(b, name, "empty", err);
	const char *prefix;
	if (data[i] == '[' && bid_dsa(data, len, &prefix)) {
		bool dla = !strcmp(prefix, "DLA-");
		*fmt = dla ? VDB_FMT_DLA_LIST : VDB_FMT_DSA_LIST;
		enum hull_vulndb_source s =
		    dla ? HULL_VULNDB_SRC_DEBIAN_DLA : HULL_VULNDB_SRC_DEBIAN_DSA;
		b->src[s].files++;
		return vdb_parse_dsa_list(b, &doc, s, err);
	}
	if (data[i] == 'C' && bid_cve_list(data + i, len - i)) {
		*fmt = VDB_FMT_CVE_LIST;
		b->src[HULL_VULNDB_SRC_DEBIAN_CVE_LIST].files++;
		return vdb_parse_cve_list(b, &doc, err);
	}
	if (data[i] == '{' && bid_tracker(data, len)) {
		*fmt = VDB_FMT_DEBIAN_TRACKER;
		b->src[HULL_VULNDB_SRC_DEBIAN_TRACKER].files++;
		return vdb_parse_debian_tracker(b, &doc, err);
	}
	if (data[i] == '{' || data[i] == '[') {
		struct json_object *o;
		struct hull_err jerr = {0};
		if (hull_json_parse(data, len, name, &o, &jerr) < 0) {
			/* not JSON after all: YAML flow mappings start with '{' too */
			if (len <= VDB_MAX_YAML && looks_textual(data, len)) {
				struct hull_yaml *y = NULL;
				struct hull_err yerr = {0};
				if (hull_yaml_parse(data, len, name, &y, &yerr) == 0) {
					hull_yaml_free(y);
					return parse_yaml(b, &doc, fmt, err);
				}
			}
			if (b->opts.strict)
				return hull_err_set(err, HULL_ERR_INPUT, "%s", jerr.msg);
			return ignore(b, name, jerr.msg, err);
		}
		enum vdb_format f = bid_object(o);
		if (f == VDB_FMT_UNKNOWN && json_object_is_type(o, json_type_array) &&
		    json_object_array_length(o) &&
		    bid_object(json_object_array_get_idx(o, 0)) == VDB_FMT_OSV)
			f = VDB_FMT_OSV_LIST;
		int rc = 0;
		if (f == VDB_FMT_UNKNOWN)
			rc = ignore(b, name, "JSON, but no known feed", err);
		else
			rc = parse_object(b, &doc, o, f, err);
		*fmt = f;
		json_object_put(o);
		return rc;
	}
	if (len > VDB_MAX_YAML || !looks_textual(data, len))
		return ignore(b, name, "not a known feed", err);
	return parse_yaml(b, &doc, fmt, err);
}

/* ---- containers -------------------------------------------------------------- */

static bool is_container(const unsigned char *d, size_t len)
{
	if (len >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return true; /* zip */
	if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return true; /* gzip */
	if (len >= 6 && !memcmp(d,
	                        "\xfd"
	                        "7zXZ\x00",
	                        6))
		return true; /* xz */
	if (len >= 3 && !memcmp(d, "BZh", 3))
		return true; /* bzip2 */
	if (len >= 4 && !memcmp(d, "\x28\xb5\x2f\xfd", 4))
		return true; /* zstd */
	if (len >= 262 && !memcmp(d + 257, "ustar", 5))
		return true; /* tar */
	return false;
}

static int read_entry(struct archive *a, const char *name, char **out, size_t *n,
                      struct hull_err *err)
{
	struct hull_buf buf;
	hull_buf_init(&buf, VDB_MAX_FILE);
	char chunk[65536];
	for (;;) {
		la_ssize_t r = archive_read_data(a, chunk, sizeof(chunk));
		if (r == 0)
			break;
		if (r < 0) {
			hull_buf_release(&buf);
			return hull_err_set(err, HULL_ERR_INPUT, "%s: %s", name,
			                    archive_error_string(a) ? archive_error_string(a)
			                                            : "damaged archive");
		}
		if (hull_buf_append(&buf, chunk, (size_t)r, err) < 0) {
			hull_buf_release(&buf);
			return hull_err_wrap(err, "%s", name);
		}
	}
	*out = hull_buf_detach(&buf, n);
	return *out ? 0 : hull_err_nomem(err);
}

static int add_container(struct hull_vulndb_builder *b, const char *name, const char *data,
                         size_t len, unsigned nest, struct hull_err *err)
{
	struct archive *a = archive_read_new();
	if (!a)
		return hull_err_nomem(err);
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_raw(a);
	int rc = 0;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: %s", name,
		                  archive_error_string(a) ? archive_error_string(a)
		                                          : "unreadable archive");
		goto out;
	}
	struct archive_entry *e;
	unsigned long count = 0;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (++count > VDB_MAX_ENTRIES) {
			rc = hull_err_set(err, HULL_ERR_LIMIT, "%s: too many entries", name);
			goto out;
		}
		if (archive_entry_filetype(e) != AE_IFREG &&
		    archive_format(a) != ARCHIVE_FORMAT_RAW)
			continue;
		const char *ename = archive_entry_pathname(e);
		char *full = NULL;
		bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
		if (asprintf(&full, raw ? "%s" : "%s:%s", name, ename ? ename : "?") < 0) {
			rc = hull_err_nomem(err);
			goto out;
		}
		char *body = NULL;
		size_t n = 0;
		rc = read_entry(a, full, &body, &n, err);
		if (rc == 0)
			rc = add_buffer(b, full, body, n, nest + 1, err);
		free(body);
		free(full);
		if (rc < 0)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: %s", name,
		                  archive_error_string(a) ? archive_error_string(a)
		                                          : "damaged archive");
out:
	archive_read_free(a);
	return rc;
}

static int add_buffer(struct hull_vulndb_builder *b, const char *name, const char *data, size_t len,
                      unsigned nest, struct hull_err *err)
{
	if (is_container((const unsigned char *)data, len)) {
		if (nest >= VDB_MAX_NEST)
			return hull_err_set(err, HULL_ERR_LIMIT, "%s: archives nested too deep",
			                    name);
		return add_container(b, name, data, len, nest, err);
	}
	enum vdb_format fmt;
	return vdb_parse_document(b, name, data, len, &fmt, err);
}

int hull_vulndb_builder_add_buffer(struct hull_vulndb_builder *b, const char *name,
                                   const void *data, size_t len, struct hull_err *err)
{
	if (!b->origin)
		b->origin = name;
	int rc = add_buffer(b, name, data, len, 0, err);
	b->input_bytes += len;
	return rc;
}

/* ---- files and directories --------------------------------------------------- */

struct file_list {
	struct hull_vulndb_builder *b;
	char **paths;
	size_t n, cap;
	uint64_t total;
};

static int list_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                     struct hull_err *err)
{
	struct file_list *fl = ctx;
	if (HULL_ARRAY_PUSH_ROOM(fl->paths, fl->n, fl->cap, 10000000, err) < 0)
		return -1;
	if (!(fl->paths[fl->n] = strdup(path)))
		return hull_err_nomem(err);
	fl->n++;
	fl->total += (uint64_t)dir->entries[i].st.st_size;
	return 0;
}

/* What the walk did not read: a FIFO or a socket among the feeds is
 * listed with the files ignored; anything else stops the build. */
static int list_skipped(void *ctx, const struct hull_err *why, struct hull_err *err)
{
	struct file_list *fl = ctx;
	if (why->kind == HULL_ERR_INPUT)
		return ignore_line(fl->b, why->msg, err);
	*err = *why;
	return -1;
}

static int list_files(const char *path, struct file_list *fl, struct hull_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return hull_err_errno(err, errno, "%s", path);
	if (S_ISREG(st.st_mode)) {
		struct hull_walk_entry e = {.name = path, .st = st};
		struct hull_walk_dir one = {.path = "", .entries = &e, .n = 1};
		return list_file(fl, path, &one, 0, err);
	}
	if (!S_ISDIR(st.st_mode))
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file or a directory",
		                    path);
	struct hull_walk_opts o = {
	    .max_depth = VDB_MAX_DIR_DEPTH,
	    .max_entries = VDB_MAX_DIR_ENTRIES,
	    .follow = true,
	    .file = list_file,
	    .skip = list_skipped,
	    .ctx = fl,
	};
	return hull_walk(path, &o, err);
}

int hull_vulndb_builder_add_path(struct hull_vulndb_builder *b, const char *path,
                                 struct hull_err *err)
{
	struct file_list fl = {.b = b};
	int rc = list_files(path, &fl, err);
	b->origin = hull_arena_strdup(&b->arena, path, NULL);
	b->input_total += fl.total;
	for (size_t i = 0; rc == 0 && i < fl.n; i++) {
		char *data = NULL;
		size_t len = 0;
		rc = hull_fs_read_file(fl.paths[i], VDB_MAX_FILE, &data, &len, err);
		if (rc == 0) {
			rc = add_buffer(b, fl.paths[i], data, len, 0, err);
			b->input_bytes += len;
		}
		free(data);
		if (b->opts.progress)
			b->opts.progress(b->opts.progress_ctx, b->input_bytes, b->input_total);
	}
	for (size_t i = 0; i < fl.n; i++)
		free(fl.paths[i]);
	free(fl.paths);
	return rc;
}
