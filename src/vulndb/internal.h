/* vulndb internals: the in-memory model a build fills, the feed parsers,
 * and the blob encoding shared by the writer and the reader.
 *
 * Every string and array of the model lives in the builder's arena and is
 * freed at once with the builder. Parsers report a bad record through
 * vdb_bad(): in strict mode it fails, otherwise the record is skipped,
 * counted and listed in the database. */
#ifndef HULL_VULNDB_INTERNAL_H
#define HULL_VULNDB_INTERNAL_H

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/str.h"
#include "util/yaml.h"
#include "vulndb/vulndb.h"

#define VDB_MAX_FILE        (1ull << 31) /* one input document */
#define VDB_MAX_SKIPPED     1000         /* listed; more are only counted */
#define VDB_MAX_IGNORED     1000
#define VDB_MAX_ORIGINS     16
#define VDB_MAX_LIST        100000 /* aliases, versions, events per record */
#define VDB_TITLE_MAX       160
#define VDB_MAX_DIR_DEPTH   32         /* directories below a feed directory */
#define VDB_MAX_DIR_ENTRIES (1u << 20) /* entries of one directory */
#define VDB_MAX_NS          100000     /* namespaces */
#define VDB_MAX_PKGS        (1u << 24) /* (namespace, package) pairs */
#define VDB_MAX_DETAILS     (1u << 24) /* vulnerability ids with texts */
/* The build's arena: a real build of every feed holds well under 2 GiB.
 * Allocation failures in the readers are reported as out of memory. */
#define VDB_MAX_BYTES ((size_t)8 << 30)

/* ---- model --------------------------------------------------------------- */

struct vdb_event {
	uint8_t kind; /* enum hull_osv_event_kind */
	const char *version;
};

struct vdb_range {
	uint8_t type; /* enum hull_osv_range_type */
	struct vdb_event *ev;
	size_t n_ev;
};

struct vdb_affected {
	struct vdb_range *ranges;
	size_t n_ranges;
	const char **versions;
	size_t n_versions;
};

struct vdb_adv {
	const char *id;
	uint8_t source, kind, eco, status, fix_status, severity;
	bool negligible;
	uint8_t cvss10; /* base score x 10 */
	const char *sev_source;
	const char *vendor_sev;
	const char *cvss_vector;
	const char *fixed;
	const char *title;
	const char *url; /* NULL: derived from source and id */
	const char **aliases;
	size_t n_aliases;
	const char **related;
	size_t n_related;
	struct vdb_affected *aff;
	size_t n_aff;
	const char *vulnerable, *patched;
};

struct vdb_pkg {
	uint32_t ns;
	const char *name;
	struct vdb_adv **advs; /* malloc'ed array */
	size_t n, cap;
};

struct vdb_details {
	const char *id;
	const char *description;
	const char *published, *modified;
	const char **refs;
	size_t n_refs;
	const char *cvss_v3, *cvss_v4;
};

struct vdb_source_stats {
	uint64_t files, records, entries, withdrawn, skipped, unsupported;
	char timestamp[40]; /* newest timestamp the feed states, or empty */
	const char *origins[VDB_MAX_ORIGINS];
	size_t n_origins;
};

struct vdb_skip {
	uint8_t source;
	const char *file;
	unsigned line, col;
	uint64_t offset;
	const char *message;
};

/* What hull db update knows about one downloaded feed. */
struct vdb_feed_state {
	const char *name, *url, *etag, *last_modified, *sha256, *fetched;
	uint64_t size;
};

struct hull_vulndb_builder {
	struct hull_vulndb_build_opts opts;
	struct hull_arena arena;
	const char *origin; /* current top-level input */
	/* namespaces */
	char **ns;
	size_t n_ns, cap_ns;
	struct hull_hash ns_map; /* name -> id + 1 */
	/* packages by (namespace id, name) */
	struct hull_hash pkg_map; /* (ns, name) -> struct vdb_pkg */
	struct vdb_pkg **pkgs;
	size_t n_pkgs, cap_pkgs;
	/* per-id texts */
	struct hull_hash details_map; /* id -> struct vdb_details */
	struct vdb_details **details;
	size_t n_details, cap_details;
	struct vdb_source_stats src[HULL_VULNDB_SRC_COUNT];
	struct vdb_skip *skips;
	size_t n_skips;
	uint64_t skipped_total;
	const char **ignored;
	size_t n_ignored;
	uint64_t ignored_total;
	uint64_t input_bytes, input_total;
	uint64_t records;
	unsigned relocated; /* positions looked up again for JSON errors */
	/* download state of each feed, recorded by hull db update */
	struct vdb_feed_state *feeds;
	size_t n_feeds;
};

/* The namespace id for name (created on first use). */
int vdb_ns(struct hull_vulndb_builder *b, const char *name, uint32_t *id, struct hull_err *err);
/* Appends adv (arena-owned) to (ns, pkg). */
int vdb_add(struct hull_vulndb_builder *b, uint32_t ns, const char *pkg, struct vdb_adv *adv,
            struct hull_err *err);
/* The details record of id (created on first use; arena-owned). */
struct vdb_details *vdb_details(struct hull_vulndb_builder *b, const char *id,
                                struct hull_err *err);
void vdb_note_origin(struct hull_vulndb_builder *b, enum hull_vulndb_source s);
void vdb_note_timestamp(struct hull_vulndb_builder *b, enum hull_vulndb_source s, const char *ts);

/* Sorts each package's advisories by (id, kind) and merges duplicates
 * (same id and kind): the stronger source wins for distro statements,
 * OSV affected[] lists are concatenated. Sorts packages by (ns, name). */
int vdb_finish(struct hull_vulndb_builder *b, struct hull_err *err);

/* ---- documents and bad records ------------------------------------------- */

/* One input document being parsed. `data` is its raw text (for positions);
 * `yaml` is set when it came through the YAML loader. */
struct vdb_doc {
	const char *name;
	const char *data;
	size_t len;
	const struct hull_yaml *yaml;
};

/* Where a bad record is: a byte offset in the raw text (line and column
 * computed from it), or a node of a YAML document, or neither. */
struct vdb_pos {
	bool has_off;
	size_t off;
	const struct json_object *node;
};

/* Records a bad record. Strict: fills err and returns -1. Otherwise
 * counts and lists it and returns 0 (the caller skips the record). */
int vdb_bad(struct hull_vulndb_builder *b, enum hull_vulndb_source s, const struct vdb_doc *doc,
            struct vdb_pos pos, struct hull_err *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Line and column (1-based) of byte off in data. */
void vdb_line_col(const char *data, size_t len, size_t off, unsigned *line, unsigned *col);

/* ---- JSON scanning (jsonscan.c) ----------------------------------------- */

/* Skips one JSON value starting at *pos (after blanks), string- and
 * depth-aware, without building it. false on malformed or truncated input
 * (then *pos is where it went wrong). */
bool vdb_json_skip_value(const char *data, size_t len, size_t *pos);
/* Iterates the members of the top-level object: call with *pos = 0 first.
 * Returns 1 with key (raw, escapes undecoded) and value span, 0 at the end,
 * -1 on malformed input (*pos says where). */
int vdb_json_next_member(const char *data, size_t len, size_t *pos, struct hull_str *key,
                         size_t *val_off, size_t *val_len);
/* Decodes a raw JSON string body (escapes) into out (NUL-terminated);
 * false on a bad escape or when it does not fit. */
bool vdb_json_unescape(struct hull_str raw, char *out, size_t cap);
/* Parses data[off..off+n) with json-c; errors give the absolute line and
 * column in doc. */
int vdb_json_parse_at(const struct vdb_doc *doc, size_t off, size_t n, struct json_object **out,
                      struct hull_err *err);

/* ---- parsers ------------------------------------------------------------- */

enum vdb_format {
	VDB_FMT_UNKNOWN = 0,
	VDB_FMT_DEBIAN_TRACKER,
	VDB_FMT_DSA_LIST,
	VDB_FMT_DLA_LIST,
	VDB_FMT_SECDB,
	VDB_FMT_OSV,
	VDB_FMT_OSV_LIST, /* an array of OSV records, or {"vulns": [...]} */
	VDB_FMT_NODEJS_WG,
	VDB_FMT_CVE_LIST,
	VDB_FMT_CSAF, /* a CSAF 2.0 advisory or VEX document */
};

/* Parses one document of any supported format (detected by content). Sets
 * *fmt (VDB_FMT_UNKNOWN when nothing bid). */
int vdb_parse_document(struct hull_vulndb_builder *b, const char *name, const char *data,
                       size_t len, enum vdb_format *fmt, struct hull_err *err);

int vdb_parse_debian_tracker(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                             struct hull_err *err);
int vdb_parse_dsa_list(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                       enum hull_vulndb_source s, struct hull_err *err);
int vdb_parse_cve_list(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                       struct hull_err *err);
/* Which secdb a document is: Alpine (it names its branch), Wolfi or
 * Chainguard (by urlprefix). */
enum hull_vulndb_source vdb_secdb_source(struct json_object *root);
int vdb_parse_secdb(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                    struct json_object *root, struct hull_err *err);
int vdb_parse_osv(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                  struct json_object *root, struct hull_err *err);
int vdb_parse_csaf(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                   struct json_object *root, struct hull_err *err);
int vdb_parse_nodejs_wg(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                        struct json_object *root, struct hull_err *err);

/* "12" for "bookworm", "unstable" for "sid", "3.0" for "woody"; NULL when
 * unknown. */
const char *vdb_debian_release(struct hull_str codename);
/* Severity of a Debian urgency word ("high**", "unimportant", ...). false
 * when the word is unknown. */
bool vdb_debian_urgency(struct hull_str u, enum hull_severity *sev, bool *negligible);

/* low / medium (moderate) / high (important) / critical / negligible
 * (LOW, flagged), any case. false for other words. */
bool vdb_vendor_severity(const char *w, enum hull_severity *sev, bool *negligible);

/* CVSS base scores (cvss.c). Returns the score x 10 (0..100) or -1 when the
 * vector is not a valid base vector of that version. */
int vdb_cvss3_score10(struct hull_str vector);
int vdb_cvss2_score10(struct hull_str vector);
enum hull_severity vdb_cvss3_severity(int score10);
enum hull_severity vdb_cvss2_severity(int score10);

/* PEP 503 normalisation into out; false when it does not fit. */
bool vdb_pep503(struct hull_str name, char *out, size_t cap);

/* The lookup key of a package name in OSV namespace ns: PyPI names PEP 503
 * normalised, Packagist and NuGet names (case-insensitive in their
 * registries) in ASCII lower case, others as written. Into out; false when
 * it does not fit. */
bool vdb_pkg_key(const char *ns, struct hull_str name, char *out, size_t cap);

/* ---- blob encoding (blob.c) ---------------------------------------------- */

/* Appends the encoding of a package's advisories to out. */
int vdb_blob_encode(struct vdb_adv *const *advs, size_t n, struct hull_buf *out,
                    struct hull_err *err);

/* Decoding scratch space, reused across lookups. */
struct vdb_scratch {
	const char **strs;
	size_t n_strs, cap_strs;
	struct hull_osv_event *ev;
	size_t n_ev, cap_ev;
	struct hull_osv_range *ranges;
	size_t n_ranges, cap_ranges;
	struct hull_str *vers;
	size_t n_vers, cap_vers;
	struct hull_osv_affected *aff;
	size_t n_aff, cap_aff;
	char url[512];
};

/* Decodes blob[0..len) and calls fn for each advisory. Pointers in the
 * advisory point into blob and into sc. */
int vdb_blob_decode(const unsigned char *blob, size_t len, const char *ns, const char *pkg,
                    struct vdb_scratch *sc, hull_vulndb_visit_fn fn, void *ctx,
                    struct hull_err *err);
void vdb_scratch_release(struct vdb_scratch *sc);

/* The primary URL derived from source and id (when none is stored). */
void vdb_default_url(enum hull_vulndb_source s, const char *id, char *out, size_t cap);

/* ---- row compression (zpack.c) ------------------------------------------- */

struct vdb_zpack {
	void *dict;
	size_t dict_len; /* 0: no dictionary (too little material) */
	int level;
	struct ZSTD_CDict_s *cd;
	struct ZSTD_CCtx_s *cc;
};

/* Trains a dictionary on rows (a sample of them when they are many). */
int vdb_zpack_train(struct vdb_zpack *z, const char *const *rows, const size_t *lens, size_t n,
                    int level, struct hull_err *err);
/* out = the row compressed, or the row itself when that is not smaller. */
int vdb_zpack(struct vdb_zpack *z, const void *in, size_t n, struct hull_buf *out,
              struct hull_err *err);
void vdb_zpack_release(struct vdb_zpack *z);

struct vdb_zunpack {
	struct ZSTD_DDict_s *dd;
	struct ZSTD_DCtx_s *dc;
	char *buf; /* last decoded row, NUL-terminated */
	size_t cap;
};

int vdb_zunpack_init(struct vdb_zunpack *z, const void *dict, size_t n, struct hull_err *err);
/* *out is in itself (a stored row) or z's buffer (valid until the next call). */
int vdb_zunpack(struct vdb_zunpack *z, const void *in, size_t n, const void **out, size_t *outn,
                struct hull_err *err);
void vdb_zunpack_release(struct vdb_zunpack *z);

/* ---- end of life (eol.c) --------------------------------------------------- */

/* One row of the eol table: the end of security support of a namespace. */
struct vdb_eol {
	const char *ns;     /* "ubuntu:16.04:lts" */
	const char *date;   /* "2021-04-30" (UTC, inclusive) */
	const char *source; /* the vendor page it comes from */
};

/* The built-in table (static storage), in namespace order of vendors. */
const struct vdb_eol *vdb_eol_table(size_t *n);

/* ---- store (store.c) ----------------------------------------------------- */

int vdb_store_write(struct hull_vulndb_builder *b, const char *path, struct hull_err *err);
/* Fails unless db has the schema version this hull reads. */
int vdb_schema_check(sqlite3 *db, const char *path, struct hull_err *err);
/* Checks a finished database file: schema, integrity. */
int vdb_store_check(const char *path, struct hull_err *err);
/* Atomically replaces path's contents with the file tmp (same directory):
 * fsync tmp, rename, fsync the directory. */
int vdb_install(const char *tmp, const char *path, struct hull_err *err);
/* Creates an exclusive temporary file next to path; returns the fd (which
 * holds an flock until closed) and the name (malloc'ed). Removes stale
 * temporaries of earlier, killed writers first. */
int vdb_tmpfile(const char *path, char **tmp_name, struct hull_err *err);

#endif
