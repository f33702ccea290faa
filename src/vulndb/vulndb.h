/* vulndb: advisory feeds in, one SQLite file out, and the per-package query
 * that matching runs against it.
 *
 * Feeds (detected by content, never by file name): the Debian security
 * tracker JSON and its source data/CVE/list, Debian's DSA and DLA lists, Alpine and Wolfi secdb
 * (YAML and JSON, whole-branch and per-package forms), OSV records (JSON or YAML; single files,
 * directories, zip exports) of any ecosystem, and the Node security WG advisory format.
 * docs/vulndb.md describes the mapping of each feed and the file format.
 *
 * Invariants:
 * - A database file is never modified in place. Builds, updates and
 *   imports write a temporary file in the same directory, check it
 *   (PRAGMA integrity_check), fsync it and rename it over the old one, so
 *   an interrupted writer leaves the previous database intact, and readers
 *   can open it immutable (no locks, memory-mapped).
 * - One row per (namespace, package) holds every advisory of that package
 *   in a compact blob: a lookup is one index probe.
 * - Namespaces: distributions are "<distro>:<release>" in lower case
 *   ("debian:12", "debian:unstable", "alpine:v3.20", "ubuntu:22.04:lts",
 *   "wolfi"); language ecosystems keep their OSV spelling ("npm", "PyPI",
 *   "Go", "Maven", "crates.io"). Distro packages are keyed by source package
 *   (Debian) or origin (Alpine); PyPI names are stored PEP 503-normalised.
 *
 * Not thread-safe per handle: use one struct hull_vulndb per thread. */
#ifndef HULL_VULNDB_VULNDB_H
#define HULL_VULNDB_VULNDB_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"
#include "util/err.h"
#include "util/str.h"
#include "version/version.h"

/* Version of the SQLite layout; a reader refuses any other. 2: the
 * chainguard-secdb and redhat-csaf sources, the eol table. */
#define HULL_VULNDB_SCHEMA 2

/* Where an advisory came from. */
enum hull_vulndb_source {
	HULL_VULNDB_SRC_DEBIAN_TRACKER = 0,
	HULL_VULNDB_SRC_DEBIAN_DSA,
	HULL_VULNDB_SRC_DEBIAN_DLA,
	HULL_VULNDB_SRC_ALPINE_SECDB,
	HULL_VULNDB_SRC_WOLFI_SECDB,
	HULL_VULNDB_SRC_OSV,
	HULL_VULNDB_SRC_NODEJS_WG,
	HULL_VULNDB_SRC_DEBIAN_CVE_LIST, /* the tracker's own data/CVE/list */
	HULL_VULNDB_SRC_CHAINGUARD_SECDB,
	HULL_VULNDB_SRC_REDHAT_CSAF,
	HULL_VULNDB_SRC_COUNT
};

/* "debian-tracker", "debian-dsa", "debian-dla", "alpine-secdb",
 * "wolfi-secdb", "osv", "nodejs-security-wg", "debian-cve-list",
 * "chainguard-secdb", "redhat-csaf"; "?" when out of range. */
const char *hull_vulndb_source_name(enum hull_vulndb_source s);

/* How the affected versions are expressed. */
enum hull_vulndb_kind {
	HULL_VULNDB_DISTRO,   /* `fix`: fixed in a version / unfixed / not affected */
	HULL_VULNDB_OSV,      /* `affected`: OSV ranges + versions lists */
	HULL_VULNDB_NPM_RANGE /* `vulnerable` / `patched`: npm range expressions */
};

/* One advisory for one package, as hull_vulndb_lookup hands it out. Every
 * pointer is borrowed and valid only during the callback. */
struct hull_vulndb_advisory {
	const char *id;      /* "CVE-2023-1234", "GHSA-...", "DSA-5380-1" */
	const char *ns;      /* the namespace looked up */
	const char *package; /* the package name looked up (normalised) */
	enum hull_vulndb_source source;
	enum hull_vulndb_kind kind;
	enum hull_ecosystem eco; /* the comparator to use */
	/* For reports: fixed / affected / will_not_fix / fix_deferred /
	 * end_of_life. A "not affected" distro statement is HULL_VULN_FIXED
	 * with fix.status == HULL_DISTRO_NOT_AFFECTED. */
	enum hull_vuln_status status;
	/* HULL_VULNDB_DISTRO: feed to hull_distro_fix_affects(). */
	struct hull_distro_fix fix;
	/* The fixed version when the feed states one (DISTRO fixed, or the
	 * last `fixed` event of an OSV record), else NULL. */
	const char *fixed;
	/* HULL_VULNDB_OSV: one entry per affected[] of this package (GIT
	 * ranges dropped); feed each to hull_osv_affected_match(). */
	const struct hull_osv_affected *affected;
	size_t n_affected;
	/* HULL_VULNDB_NPM_RANGE: affected when the version satisfies
	 * `vulnerable` and does not satisfy `patched` (which may be empty). */
	struct hull_str vulnerable, patched;

	enum hull_severity severity; /* vendor first, else CVSS */
	const char *severity_source; /* "debian", "ubuntu", "ghsa", "nodejs-wg",
	                              * "cvss_v3", "cvss_v2", or NULL */
	bool negligible;             /* vendor says negligible/unimportant (LOW) */
	const char *vendor_severity; /* the feed's own word ("high**"), or NULL */
	double cvss_score;           /* base score, 0 when unknown */
	const char *cvss_vector;     /* the vector the score came from, or NULL */
	const char *title;           /* one line, or NULL (see hull_vulndb_details) */
	const char *url;             /* primary URL, never NULL */
	const char *const *aliases;  /* other ids of the same vulnerability */
	size_t n_aliases;
	const char *const *related; /* DSA/DLA ids fixing it, OSV `related` */
	size_t n_related;
	bool withdrawn; /* never set by lookup: withdrawn records
	                 * are not indexed */
};

/* Returns 0 to go on, non-zero to stop the lookup (which then returns 0). */
typedef int (*hull_vulndb_visit_fn)(const struct hull_vulndb_advisory *adv, void *ctx);

struct hull_vulndb;

/* Opens path read-only (immutable, memory-mapped) and checks the schema
 * version. Errors: HULL_ERR_NOTFOUND when the file does not exist,
 * HULL_ERR_INPUT for a file that is not a hull database of this schema. */
int hull_vulndb_open(const char *path, struct hull_vulndb **out, struct hull_err *err);
void hull_vulndb_close(struct hull_vulndb *db);

/* The identity of the build of the database: "<built time>/<16 hex>", a
 * hash of its meta and source tables. Copies of one file (hull db export
 * / import) have the same id; any rebuild or update has another. The
 * results store (src/store) keys an image's findings by it. */
#define HULL_VULNDB_BUILD_ID_MAX 64
int hull_vulndb_build_id(struct hull_vulndb *db, char out[HULL_VULNDB_BUILD_ID_MAX],
                         struct hull_err *err);

/* True when the database has at least one advisory in namespace ns: the
 * way to tell "no findings" from "no feed for this release". */
bool hull_vulndb_has_namespace(struct hull_vulndb *db, const char *ns);

/* Calls fn for each advisory of (ns, name), in id order. name is taken as
 * given except for PyPI, which is PEP 503-normalised here. One index probe;
 * no allocation after the first few calls. An unknown namespace or package
 * is not an error (fn is never called). A damaged row is HULL_ERR_INPUT. */
int hull_vulndb_lookup(struct hull_vulndb *db, const char *ns, struct hull_str name,
                       hull_vulndb_visit_fn fn, void *ctx, struct hull_err *err);

/* The texts of one vulnerability id (per id, not per package). Strings are
 * borrowed until the next call on db; any may be NULL. */
struct hull_vulndb_details {
	const char *id;
	const char *description;
	const char *published; /* RFC 3339 when the feed says */
	const char *modified;
	const char *const *references; /* URLs */
	size_t n_references;
	const char *cvss_v3; /* vectors as the feed wrote them */
	const char *cvss_v4; /* stored, not scored (see docs/vulndb.md) */
};
/* HULL_ERR_NOTFOUND when the id has no texts. */
int hull_vulndb_details(struct hull_vulndb *db, const char *id, struct hull_vulndb_details *out,
                        struct hull_err *err);

/* The end of security support of a namespace's release, from the eol
 * table: date "YYYY-MM-DD" (the last day of fixes) and the vendor page it
 * comes from. Strings are borrowed until the next call on db.
 * HULL_ERR_NOTFOUND when the table has no row for ns. */
struct hull_vulndb_eol {
	const char *date;
	const char *source;
};
int hull_vulndb_eol(struct hull_vulndb *db, const char *ns, struct hull_vulndb_eol *out,
                    struct hull_err *err);

/* ---- building ---------------------------------------------------------- */

struct hull_vulndb_build_opts {
	bool strict; /* a bad record is fatal instead of skipped */
	/* Called now and then with bytes of input processed so far and the
	 * total (0 when unknown). May be NULL. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	/* Origin recorded for every source (a URL for updates); NULL: the
	 * path given. */
	const char *origin;
};

struct hull_vulndb_builder;

int hull_vulndb_builder_new(const struct hull_vulndb_build_opts *opts,
                            struct hull_vulndb_builder **out, struct hull_err *err);
/* Adds a file or a directory tree (regular files only, symlinks to files
 * followed, hidden entries skipped), zip archives and gzip/xz/bzip2/zstd
 * compressed files included. Files in no known format are counted as
 * ignored. Errors: I/O, limits, and in strict mode any bad record. */
int hull_vulndb_builder_add_path(struct hull_vulndb_builder *b, const char *path,
                                 struct hull_err *err);
/* Same for one in-memory document; `name` is used in messages. */
int hull_vulndb_builder_add_buffer(struct hull_vulndb_builder *b, const char *name,
                                   const void *data, size_t len, struct hull_err *err);
/* Total bytes of input read so far. */
uint64_t hull_vulndb_builder_input_bytes(const struct hull_vulndb_builder *b);
/* Number of advisory records accepted so far, all sources. */
uint64_t hull_vulndb_builder_records(const struct hull_vulndb_builder *b);
/* Writes the database atomically to path (see the invariants). The
 * builder can be freed afterwards, nothing else. */
int hull_vulndb_builder_write(struct hull_vulndb_builder *b, const char *path,
                              struct hull_err *err);
void hull_vulndb_builder_free(struct hull_vulndb_builder *b);

/* Convenience: builder_new + add_path for each input + write. */
int hull_vulndb_build(const char *path, const char *const *inputs, size_t n_inputs,
                      const struct hull_vulndb_build_opts *opts, struct hull_err *err);

/* ---- info, import, export ---------------------------------------------- */

/* Describes the database at path as a JSON object (caller puts it):
 * {"path", "schema", "built", "age_days", "size", "namespaces", "packages",
 *  "advisories", "sources": [{"name", "origin", "timestamp", "files",
 *  "records", "entries", "withdrawn", "skipped", "ignored_files"}],
 *  "skipped": [{"source", "file", "line", "column", "offset", "message"}],
 *  "skipped_total", "feeds": [{"name", "url", "etag", "last_modified"}],
 *  "eol": [{"ns", "date", "source"}]}.
 * Opens the file read-only; never writes. */
int hull_vulndb_info(const char *path, struct json_object **out, struct hull_err *err);

/* Copies the database to dest (atomically; "-" is not accepted). A dest
 * ending in ".zst" is zstd-compressed. */
int hull_vulndb_export(const char *db_path, const char *dest, struct hull_err *err);
/* Checks src (a database or its zstd-compressed export: schema version,
 * integrity) and installs it at db_path atomically. The previous database
 * is kept when anything fails. */
int hull_vulndb_import(const char *db_path, const char *src, struct hull_err *err);

/* ---- signatures ------------------------------------------------------------ */

/* A mirror may publish FILE.sig beside each feed: the Ed25519 signature of
 * the whole file, 64 raw bytes (or their base64 on one line), as made by
 * `openssl pkeyutl -sign -inkey KEY -rawin -in FILE -out FILE.sig`. */
typedef struct evp_pkey_st EVP_PKEY;
/* Loads a PEM Ed25519 public key (caller frees it with EVP_PKEY_free). */
int hull_sig_load_key(const char *path, EVP_PKEY **out, struct hull_err *err);
#define HULL_SIG_LEN 64
/* The signature in the content of a .sig file (name is for the error). */
int hull_sig_parse(const char *data, size_t len, unsigned char sig[HULL_SIG_LEN], const char *name,
                   struct hull_err *err);
/* 0 when sig is key's signature of msg[0..len), else -1. */
int hull_sig_verify_mem(EVP_PKEY *key, const void *msg, size_t len,
                        const unsigned char sig[HULL_SIG_LEN]);
/* Checks path against the signature in sig_path (files up to 8 GiB,
 * mapped, not read). Errors name the file; a bad signature says the file
 * was changed or signed by another key. key_name is for the message. */
int hull_sig_verify_file(const char *path, const char *sig_path, EVP_PKEY *key,
                         const char *key_name, struct hull_err *err);

/* ---- update ------------------------------------------------------------ */

/* One downloadable feed: `path` is where it lives under a mirror root, and
 * `url` the official location. An indexed feed's url and path name a small
 * text file whose first line names the payload, relative to that file's
 * directory (Red Hat's CSAF "archive_latest.txt" -> "csaf_vex_2024-11-17
 * .tar.zst"): the index is fetched first, then the payload it names. */
struct hull_vulndb_feed {
	const char *name; /* "debian-tracker", "alpine-v3.20-main", "osv-PyPI" ... */
	const char *url;
	const char *path;
	bool indexed;
};

/* The built-in feed list (static storage). */
const struct hull_vulndb_feed *hull_vulndb_default_feeds(size_t *n);

struct hull_vulndb_update_opts {
	const char *const *mirrors; /* base URLs; when given, only these are used */
	size_t n_mirrors;
	const struct hull_vulndb_feed *feeds; /* NULL: the default list */
	size_t n_feeds;
	const char *cache_dir; /* where downloaded feeds are kept; NULL: <db>.feeds */
	int retries;           /* after the first try, per mirror and feed; < 0: 3 */
	unsigned timeout_s;    /* per transfer without progress; default 30 */
	bool strict;
	/* An Ed25519 public key (PEM): every feed fetched must have a valid
	 * FEED.sig beside it on the mirror, or the update fails and nothing
	 * changes. NULL: signatures are not checked. */
	const char *key_path;
	void (*progress)(void *ctx, const char *feed, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct hull_vulndb_update_result {
	unsigned downloaded;   /* feeds fetched (200/206) */
	unsigned not_modified; /* feeds answered 304 */
	unsigned missing;      /* feeds no mirror has (404) */
	bool rebuilt;          /* the database was rewritten */
};

/* Fetches every feed (conditional GET with the ETag / Last-Modified of
 * the previous download, retries with exponential backoff, resume of a
 * partial download with Range + If-Range, mirrors in order), checks every
 * payload by parsing it, and rebuilds the database when something
 * changed. A feed no mirror has (404) is skipped and counted. Any other
 * failure leaves both the database and the cached feeds as they were. */
int hull_vulndb_update(const char *db_path, const struct hull_vulndb_update_opts *opts,
                       struct hull_vulndb_update_result *res, struct hull_err *err);

#endif
