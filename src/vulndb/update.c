/* hull db update: download the feeds with libcurl and rebuild.
 *
 * Per feed: a conditional GET with the ETag / Last-Modified of the copy in
 * the feed cache, mirrors in order, retries with exponential backoff, and
 * a partial download kept as <name>.part (with the validator it was
 * fetched under) so the next try resumes it with Range + If-Range. Every
 * payload is parsed before anything is replaced; then the new downloads
 * are moved into the cache and the rebuilt database is installed. Killed
 * between the two steps, the cache is newer than the database: the next
 * update sees the database's old validators, downloads again and
 * rebuilds, so nothing is lost. */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/fs.h"
#include "util/mem.h"
#include "vulndb/internal.h"

#define MAX_DOWNLOAD (4ull << 30)

#define OSV_BASE "https://osv-vulnerabilities.storage.googleapis.com/"
#define ALPINE(br, repo)                                                                           \
	{                                                                                          \
		"alpine-" br "-" repo, "https://secdb.alpinelinux.org/" br "/" repo ".json",       \
		    "alpine/" br "/" repo ".json"                                                  \
	}
#define OSV_DISTRO(name, dir)                                                                      \
	{                                                                                          \
		"osv-" name, OSV_BASE dir "/all.zip", "osv/" dir "/all.zip"                        \
	}
#define REDHAT_CSAF "https://security.access.redhat.com/data/csaf/v2/"
#define TRACKER_RAW "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/"

static const struct hull_vulndb_feed default_feeds[] = {
    {"debian-tracker", "https://security-tracker.debian.org/tracker/data/json",
     "debian/tracker.json"},
    {"debian-dsa", TRACKER_RAW "data/DSA/list", "debian/DSA-list"},
    {"debian-dla", TRACKER_RAW "data/DLA/list", "debian/DLA-list"},
    ALPINE("v3.17", "main"),
    ALPINE("v3.17", "community"),
    ALPINE("v3.18", "main"),
    ALPINE("v3.18", "community"),
    ALPINE("v3.19", "main"),
    ALPINE("v3.19", "community"),
    ALPINE("v3.20", "main"),
    ALPINE("v3.20", "community"),
    ALPINE("v3.21", "main"),
    ALPINE("v3.21", "community"),
    ALPINE("v3.22", "main"),
    ALPINE("v3.22", "community"),
    ALPINE("edge", "main"),
    ALPINE("edge", "community"),
    {"wolfi", "https://packages.wolfi.dev/os/security.json", "wolfi/security.json"},
    {"osv-npm", OSV_BASE "npm/all.zip", "osv/npm/all.zip"},
    {"osv-PyPI", OSV_BASE "PyPI/all.zip", "osv/PyPI/all.zip"},
    {"osv-Go", OSV_BASE "Go/all.zip", "osv/Go/all.zip"},
    {"osv-Maven", OSV_BASE "Maven/all.zip", "osv/Maven/all.zip"},
    {"osv-RubyGems", OSV_BASE "RubyGems/all.zip", "osv/RubyGems/all.zip"},
    {"osv-Packagist", OSV_BASE "Packagist/all.zip", "osv/Packagist/all.zip"},
    {"osv-crates.io", OSV_BASE "crates.io/all.zip", "osv/crates.io/all.zip"},
    {"osv-NuGet", OSV_BASE "NuGet/all.zip", "osv/NuGet/all.zip"},
    /* the distributions' OSV exports (docs/match.md: which image reads which) */
    OSV_DISTRO("Debian", "Debian"),
    OSV_DISTRO("Ubuntu", "Ubuntu"),
    OSV_DISTRO("Alpine", "Alpine"),
    OSV_DISTRO("AlmaLinux", "AlmaLinux"),
    OSV_DISTRO("Rocky-Linux", "Rocky%20Linux"),
    OSV_DISTRO("Red-Hat", "Red%20Hat"),
    OSV_DISTRO("SUSE", "SUSE"),
    OSV_DISTRO("openSUSE", "openSUSE"),
    OSV_DISTRO("Wolfi", "Wolfi"),
    OSV_DISTRO("Chainguard", "Chainguard"),
    {"chainguard", "https://packages.cgr.dev/chainguard/security.json", "chainguard/security.json"},
    /* Red Hat CSAF: each directory's archive_latest.txt names its archive */
    {"redhat-csaf-advisories", REDHAT_CSAF "advisories/archive_latest.txt",
     "redhat/csaf/advisories/archive_latest.txt", true},
    {"redhat-csaf-vex", REDHAT_CSAF "vex/archive_latest.txt", "redhat/csaf/vex/archive_latest.txt",
     true},
};

const struct hull_vulndb_feed *hull_vulndb_default_feeds(size_t *n)
{
	*n = sizeof(default_feeds) / sizeof(default_feeds[0]);
	return default_feeds;
}

/* What the previous database says about a feed. */
struct prev {
	char *etag, *last_modified;
	char *url; /* where it was fetched from (an indexed feed's payload) */
};

struct fetch {
	const struct hull_vulndb_feed *feed;
	const struct hull_vulndb_update_opts *opts;
	char *cache_path; /* <cache>/<name> */
	char *part_path;  /* <cache>/<name>.part */
	char *new_path;   /* <cache>/<name>.new: complete, not yet checked */
	FILE *out;
	uint64_t written;
	char etag[512], last_modified[128];
	char url[2048];
	long status;
	bool changed, missing;
};

static char *path_join(const char *a, const char *b)
{
	char *p = NULL;
	return asprintf(&p, "%s/%s", a, b) < 0 ? NULL : p;
}

static int mkdir_p(const char *dir, struct hull_err *err)
{
	char buf[4096];
	if (strlen(dir) >= sizeof(buf))
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: path too long", dir);
	strcpy(buf, dir);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return hull_err_errno(err, errno, "%s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return hull_err_errno(err, errno, "%s", buf);
	return 0;
}

/* ---- curl callbacks ---------------------------------------------------------- */

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct fetch *f = ctx;
	size_t len = size * n;
	if (!f->out)
		return len; /* a body we do not keep (errors, 304) */
	if (f->written + len > MAX_DOWNLOAD)
		return 0;
	if (fwrite(p, 1, len, f->out) != len)
		return 0;
	f->written += len;
	return len;
}

static void copy_header(const char *v, size_t n, char *out, size_t cap)
{
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	while (n && *v == ' ') {
		v++;
		n--;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct fetch *f = ctx;
	size_t len = size * n;
	if (len > 5 && !strncmp(p, "HTTP/", 5)) {
		/* a new response (after a redirect): forget the old headers */
		f->etag[0] = f->last_modified[0] = 0;
	} else if (len > 5 && !strncasecmp(p, "ETag:", 5)) {
		copy_header(p + 5, len - 5, f->etag, sizeof(f->etag));
	} else if (len > 14 && !strncasecmp(p, "Last-Modified:", 14)) {
		copy_header(p + 14, len - 14, f->last_modified, sizeof(f->last_modified));
	}
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)ultotal;
	(void)ulnow;
	struct fetch *f = ctx;
	if (f->opts->progress)
		f->opts->progress(f->opts->progress_ctx, f->feed->name, (uint64_t)dlnow,
		                  (uint64_t)dltotal);
	return 0;
}

/* ---- one transfer -------------------------------------------------------------- */

enum outcome { OK_BODY, NOT_MODIFIED, NOT_FOUND, RETRY, FAIL };

/* The validator a partial file was fetched under ("<name>.part.v"). */
static void read_part_validator(const char *part, char *out, size_t cap)
{
	out[0] = 0;
	char *vp = NULL;
	if (asprintf(&vp, "%s.v", part) < 0)
		return;
	char *data = NULL;
	size_t n = 0;
	struct hull_err e = {0};
	if (hull_fs_read_file(vp, 4096, &data, &n, &e) == 0) {
		copy_header(data, n, out, cap);
		free(data);
	}
	free(vp);
}

static void write_part_validator(const char *part, const char *v)
{
	char *vp = NULL;
	struct hull_err e = {0};
	if (asprintf(&vp, "%s.v", part) < 0)
		return;
	if (v && *v)
		hull_fs_write_atomic(vp, v, strlen(v), &e);
	else
		unlink(vp);
	free(vp);
}

static void drop_part(const char *part)
{
	unlink(part);
	write_part_validator(part, NULL);
}

static enum outcome transfer(struct fetch *f, const struct prev *pv, bool have_cache, char *why,
                             size_t why_cap)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(why, why_cap, "cannot start libcurl");
		return FAIL;
	}
	struct stat st;
	char validator[600];
	read_part_validator(f->part_path, validator, sizeof(validator));
	uint64_t have = (stat(f->part_path, &st) == 0 && validator[0]) ? (uint64_t)st.st_size : 0;
	if (!have)
		drop_part(f->part_path);
	f->out = fopen(f->part_path, have ? "ab" : "wb");
	if (!f->out) {
		snprintf(why, why_cap, "%s: %s", f->part_path, strerror(errno));
		curl_easy_cleanup(c);
		return FAIL;
	}
	f->written = have;
	f->etag[0] = f->last_modified[0] = 0;
	struct curl_slist *hdr = NULL;
	char line[700];
	if (have) {
		snprintf(line, sizeof(line), "Range: bytes=%llu-", (unsigned long long)have);
		hdr = curl_slist_append(hdr, line);
		snprintf(line, sizeof(line), "If-Range: %s", validator);
		hdr = curl_slist_append(hdr, line);
	} else if (have_cache && pv->etag && *pv->etag) {
		snprintf(line, sizeof(line), "If-None-Match: %s", pv->etag);
		hdr = curl_slist_append(hdr, line);
	}
	if (!have && have_cache && pv->last_modified && *pv->last_modified) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", pv->last_modified);
		hdr = curl_slist_append(hdr, line);
	}
	char ua[64];
	snprintf(ua, sizeof(ua), "hull/%s", HULL_VERSION);
	curl_easy_setopt(c, CURLOPT_URL, f->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)f->opts->timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)f->opts->timeout_s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MAX_DOWNLOAD);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	if (f->opts->progress) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, f);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	bool flushed = fflush(f->out) == 0 && fsync(fileno(f->out)) == 0;
	fclose(f->out);
	f->out = NULL;
	f->status = code;
	const char *v = f->etag[0] ? f->etag : f->last_modified;
	bool file_url = !strncmp(f->url, "file:", 5);
	if (rc == CURLE_OK && (code == 200 || code == 206 || (file_url && code == 0))) {
		if (!flushed) {
			snprintf(why, why_cap, "%s: write failed", f->part_path);
			return FAIL;
		}
		if (code == 200 && have) {
			/* the server ignored Range (the file changed): what it sent
			 * was appended to an old prefix, start over */
			drop_part(f->part_path);
			snprintf(why, why_cap, "server restarted the download");
			return RETRY;
		}
		return OK_BODY;
	}
	if (rc == CURLE_OK && code == 304) {
		drop_part(f->part_path);
		return NOT_MODIFIED;
	}
	if (rc == CURLE_OK && (code == 404 || code == 410)) {
		drop_part(f->part_path);
		return NOT_FOUND;
	}
	if (rc == CURLE_OK && code == 416) {
		drop_part(f->part_path);
		snprintf(why, why_cap, "HTTP 416 (range not satisfiable)");
		return RETRY;
	}
	if (rc == CURLE_OK) {
		/* the error body was written to the part file; it is not data */
		if (!have)
			drop_part(f->part_path);
		else if (truncate(f->part_path, (off_t)have) < 0)
			drop_part(f->part_path);
		snprintf(why, why_cap, "HTTP %ld", code);
		return code >= 500 || code == 408 || code == 429 ? RETRY : FAIL;
	}
	/* a transfer error: keep what arrived if the server gave a validator
	 * to resume under */
	if (v && *v && f->written > 0)
		write_part_validator(f->part_path, v);
	else
		drop_part(f->part_path);
	snprintf(why, why_cap, "%s", curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_FILE_COULDNT_READ_FILE:
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		return rc == CURLE_FILE_COULDNT_READ_FILE ? NOT_FOUND : FAIL;
	default:
		return RETRY;
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One transfer with its retries. */
static enum outcome with_retries(struct fetch *f, const struct prev *pv, bool have_cache, char *why,
                                 size_t cap)
{
	unsigned delay = 250;
	enum outcome r = FAIL;
	for (int t = 0; t <= f->opts->retries; t++) {
		r = transfer(f, pv, have_cache, why, cap);
		if (r != RETRY)
			return r;
		if (t < f->opts->retries) {
			sleep_ms(delay);
			delay *= 2;
		}
	}
	return r;
}

/* The payload name an index file gives: its first line, a plain file name
 * ("csaf_vex_2024-11-17.tar.zst"); false when it is anything else. */
static bool index_name(const char *path, char *out, size_t cap)
{
	char *data = NULL;
	size_t n = 0;
	struct hull_err e = {0};
	if (hull_fs_read_file(path, 4096, &data, &n, &e) < 0)
		return false;
	struct hull_str rest = hull_str(data, n), line = {data, 0};
	hull_str_next_line(&rest, &line);
	line = hull_str_trim(line);
	bool ok = line.len > 0 && line.len < cap && line.ptr[0] != '.';
	for (size_t i = 0; ok && i < line.len; i++)
		ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+",
		            line.ptr[i]) != NULL;
	if (ok) {
		memcpy(out, line.ptr, line.len);
		out[line.len] = 0;
	}
	free(data);
	return ok;
}

/* An indexed feed: fetches the index at f->url (always: it is a few bytes)
 * and points f->url at the payload it names, next to it. */
static enum outcome follow_index(struct fetch *f, char *why, size_t cap)
{
	struct fetch idx = *f;
	struct prev none = {0};
	char *part = NULL;
	if (asprintf(&part, "%s.index", f->part_path) < 0) {
		snprintf(why, cap, "out of memory");
		return FAIL;
	}
	idx.part_path = part;
	drop_part(part);
	enum outcome r = with_retries(&idx, &none, false, why, cap);
	char name[256];
	if (r == OK_BODY && !index_name(part, name, sizeof(name))) {
		snprintf(why, cap, "%.400s: not an index naming one file", f->url);
		r = FAIL;
	}
	drop_part(part);
	free(part);
	if (r != OK_BODY)
		return r;
	char *slash = strrchr(f->url, '/');
	size_t keep = slash ? (size_t)(slash - f->url) + 1 : 0;
	if (keep + strlen(name) >= sizeof(f->url)) {
		snprintf(why, cap, "%.400s: URL too long", f->url);
		return FAIL;
	}
	strcpy(f->url + keep, name);
	return OK_BODY;
}

/* With a key: fetches FEED.sig from where the feed came from and checks
 * the downloaded file against it. */
static int check_signature(struct fetch *f, EVP_PKEY *key, struct hull_err *err)
{
	struct fetch sf = *f;
	struct prev none = {0};
	char *part = NULL;
	if (asprintf(&part, "%s.sig", f->part_path) < 0)
		return hull_err_nomem(err);
	if ((size_t)snprintf(sf.url, sizeof(sf.url), "%s.sig", f->url) >= sizeof(sf.url)) {
		free(part);
		return hull_err_set(err, HULL_ERR_LIMIT, "feed %s: URL too long", f->feed->name);
	}
	sf.part_path = part;
	drop_part(part);
	char why[512] = "";
	enum outcome r = with_retries(&sf, &none, false, why, sizeof(why));
	int rc = 0;
	if (r == NOT_FOUND)
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "feed %s: no signature: %.600s is not on the mirror (--key "
		                  "requires one beside every feed)",
		                  f->feed->name, sf.url);
	else if (r != OK_BODY)
		rc = hull_err_set(err, HULL_ERR_IO, "feed %s: %.600s: %s", f->feed->name, sf.url,
		                  why);
	else if (hull_sig_verify_file(f->part_path, part, key, f->opts->key_path, err) < 0)
		rc = hull_err_wrap(err, "feed %s (%.600s)", f->feed->name, f->url);
	drop_part(part);
	free(part);
	return rc;
}

/* Tries every mirror (retrying each) until one answers. */
static int fetch_feed(struct fetch *f, const struct prev *pv, bool have_cache, struct hull_err *err)
{
	const struct hull_vulndb_update_opts *o = f->opts;
	size_t n = o->n_mirrors ? o->n_mirrors : 1;
	char why[512] = "";
	for (size_t m = 0; m < n; m++) {
		if (o->n_mirrors) {
			const char *base = o->mirrors[m];
			size_t bl = strlen(base);
			snprintf(f->url, sizeof(f->url), "%s%s%s", base,
			         bl && base[bl - 1] == '/' ? "" : "/", f->feed->path);
		} else {
			snprintf(f->url, sizeof(f->url), "%s", f->feed->url);
		}
		if (f->feed->indexed) {
			enum outcome r = follow_index(f, why, sizeof(why));
			if (r == NOT_FOUND) {
				snprintf(why, sizeof(why), "not found");
				continue;
			}
			if (r != OK_BODY) {
				if (m + 1 == n)
					return hull_err_set(err, HULL_ERR_IO, "feed %s: %s",
					                    f->feed->name, why);
				continue;
			}
			/* a new archive name: the stored validators were another file's */
			if (!pv->url || strcmp(pv->url, f->url) != 0)
				have_cache = false;
		}
		unsigned delay = 250;
		for (int t = 0; t <= o->retries; t++) {
			enum outcome r = transfer(f, pv, have_cache, why, sizeof(why));
			if (r == OK_BODY) {
				f->changed = true;
				return 0;
			}
			if (r == NOT_MODIFIED)
				return 0;
			if (r == NOT_FOUND) {
				snprintf(why, sizeof(why), "not found");
				break;
			}
			if (r == FAIL)
				break;
			if (t < o->retries) {
				sleep_ms(delay);
				delay *= 2;
			}
		}
		if (strcmp(why, "not found") != 0 && m + 1 == n)
			return hull_err_set(err, HULL_ERR_IO, "feed %s: %s: %s", f->feed->name,
			                    f->url, why);
	}
	f->missing = true;
	return 0;
}

/* ---- the previous database's feed table ----------------------------------------- */

static void load_prev(const char *db_path, const struct hull_vulndb_feed *feeds, size_t n,
                      struct prev *pv)
{
	sqlite3 *db = NULL;
	if (access(db_path, R_OK) != 0 ||
	    sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name, etag, last_modified, url FROM feed", -1, &st,
	                       NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			const char *etag = (const char *)sqlite3_column_text(st, 1);
			const char *lm = (const char *)sqlite3_column_text(st, 2);
			const char *u = (const char *)sqlite3_column_text(st, 3);
			for (size_t i = 0; name && i < n; i++) {
				if (strcmp(feeds[i].name, name) != 0)
					continue;
				pv[i].etag = etag ? strdup(etag) : NULL;
				pv[i].last_modified = lm ? strdup(lm) : NULL;
				pv[i].url = u ? strdup(u) : NULL;
			}
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

static int file_sha256(const char *path, char out[HULL_DIGEST_STRLEN + 1], uint64_t *size,
                       struct hull_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", path);
	struct hull_sha256 h;
	if (hull_sha256_init(&h, err) < 0) {
		close(fd);
		return -1;
	}
	char buf[65536];
	ssize_t r;
	*size = 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		hull_sha256_update(&h, buf, (size_t)r);
		*size += (uint64_t)r;
	}
	close(fd);
	hull_sha256_final(&h, out);
	if (r < 0)
		return hull_err_errno(err, errno, "%s", path);
	return 0;
}

/* Adds one feed file to the build; it must be a known format. */
static int add_feed(struct hull_vulndb_builder *b, const char *name, const char *path,
                    struct hull_err *err)
{
	uint64_t ign = b->ignored_total;
	uint64_t files = 0;
	for (int s = 0; s < HULL_VULNDB_SRC_COUNT; s++)
		files += b->src[s].files;
	if (hull_vulndb_builder_add_path(b, path, err) < 0)
		return hull_err_wrap(err, "feed %s", name);
	uint64_t files2 = 0;
	for (int s = 0; s < HULL_VULNDB_SRC_COUNT; s++)
		files2 += b->src[s].files;
	if (b->ignored_total != ign || files2 == files)
		return hull_err_set(
		    err, HULL_ERR_INPUT, "feed %s: %s: corrupt payload (%s)", name, path,
		    b->n_ignored ? b->ignored[b->n_ignored - 1] : "no known format");
	return 0;
}

int hull_vulndb_update(const char *db_path, const struct hull_vulndb_update_opts *opts_in,
                       struct hull_vulndb_update_result *res, struct hull_err *err)
{
	struct hull_vulndb_update_opts o = *opts_in;
	memset(res, 0, sizeof(*res));
	if (!o.feeds)
		o.feeds = hull_vulndb_default_feeds(&o.n_feeds);
	if (o.retries < 0)
		o.retries = 3;
	if (!o.timeout_s)
		o.timeout_s = 30;
	cleanup_free char *cache = NULL;
	if (o.cache_dir)
		cache = strdup(o.cache_dir);
	else if (asprintf(&cache, "%s.feeds", db_path) < 0)
		cache = NULL;
	if (!cache)
		return hull_err_nomem(err);
	if (mkdir_p(cache, err) < 0)
		return -1;
	/* one update at a time per database: the feed cache is shared */
	cleanup_free char *lockpath = path_join(cache, ".lock");
	if (!lockpath)
		return hull_err_nomem(err);
	cleanup_close int lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lockfd < 0)
		return hull_err_errno(err, errno, "%s", lockpath);
	if (flock(lockfd, LOCK_EX | LOCK_NB) < 0)
		return hull_err_set(err, HULL_ERR_IO, "%s: another hull db update is running",
		                    db_path);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return hull_err_set(err, HULL_ERR_IO, "libcurl initialisation failed");
	EVP_PKEY *key = NULL;
	if (o.key_path && hull_sig_load_key(o.key_path, &key, err) < 0)
		return -1;
	size_t n = o.n_feeds;
	struct prev *pv = calloc(n, sizeof(*pv));
	struct fetch *f = calloc(n, sizeof(*f));
	struct hull_vulndb_builder *b = NULL;
	int rc = pv && f ? 0 : hull_err_nomem(err);
	if (rc == 0)
		load_prev(db_path, o.feeds, n, pv);
	bool db_exists = access(db_path, R_OK) == 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		f[i].feed = &o.feeds[i];
		f[i].opts = &o;
		f[i].cache_path = path_join(cache, o.feeds[i].name);
		if (f[i].cache_path) {
			if (asprintf(&f[i].part_path, "%s.part", f[i].cache_path) < 0)
				f[i].part_path = NULL;
			if (asprintf(&f[i].new_path, "%s.new", f[i].cache_path) < 0)
				f[i].new_path = NULL;
		}
		if (!f[i].cache_path || !f[i].part_path || !f[i].new_path) {
			rc = hull_err_nomem(err);
			break;
		}
		/* a cached copy without a database that names it is not trusted
		 * for a conditional request */
		bool have_cache = db_exists && access(f[i].cache_path, R_OK) == 0;
		rc = fetch_feed(&f[i], &pv[i], have_cache, err);
		if (rc == 0 && f[i].changed && key)
			rc = check_signature(&f[i], key, err);
		if (rc < 0) {
			if (f[i].changed)
				drop_part(f[i].part_path);
			break;
		}
		if (f[i].changed) {
			if (rename(f[i].part_path, f[i].new_path) < 0)
				rc = hull_err_errno(err, errno, "%s", f[i].new_path);
			write_part_validator(f[i].part_path, NULL);
			res->downloaded++;
		} else if (f[i].missing) {
			res->missing++;
		} else {
			res->not_modified++;
		}
	}
	bool rebuild = rc == 0 && (res->downloaded > 0 || !db_exists);
	if (rc == 0 && res->missing == n)
		rc = hull_err_set(err, HULL_ERR_NOTFOUND, "no feed found on %s",
		                  o.n_mirrors ? "any mirror" : "the official servers");
	if (rc == 0 && rebuild) {
		struct hull_vulndb_build_opts bo = {.strict = o.strict};
		rc = hull_vulndb_builder_new(&bo, &b, err);
		if (rc == 0) {
			b->feeds = hull_arena_alloc(&b->arena, (n + 1) * sizeof(*b->feeds), NULL);
			if (!b->feeds)
				rc = hull_err_nomem(err);
		}
		char now[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const char *src = f[i].changed ? f[i].new_path : f[i].cache_path;
			if (access(src, R_OK) != 0)
				continue; /* missing everywhere and never cached */
			/* an indexed feed's origin is the payload its index named */
			b->opts.origin =
			    f[i].changed || o.feeds[i].indexed ? f[i].url : o.feeds[i].url;
			rc = add_feed(b, o.feeds[i].name, src, err);
			char sha[HULL_DIGEST_STRLEN + 1];
			uint64_t size = 0;
			if (rc == 0)
				rc = file_sha256(src, sha, &size, err);
			if (rc < 0)
				break;
			struct vdb_feed_state *s = &b->feeds[b->n_feeds++];
			s->name = o.feeds[i].name;
			s->url = hull_arena_strdup(&b->arena, b->opts.origin, NULL);
			s->etag =
			    f[i].changed
			        ? (f[i].etag[0] ? hull_arena_strdup(&b->arena, f[i].etag, NULL)
			                        : NULL)
			        : (pv[i].etag ? hull_arena_strdup(&b->arena, pv[i].etag, NULL)
			                      : NULL);
			s->last_modified =
			    f[i].changed
			        ? (f[i].last_modified[0]
			               ? hull_arena_strdup(&b->arena, f[i].last_modified, NULL)
			               : NULL)
			        : (pv[i].last_modified
			               ? hull_arena_strdup(&b->arena, pv[i].last_modified, NULL)
			               : NULL);
			s->sha256 = hull_arena_strdup(&b->arena, sha, NULL);
			s->size = size;
			s->fetched = hull_arena_strdup(&b->arena, now, NULL);
		}
		if (b)
			b->opts.origin = NULL;
		/* write the database to a temporary file first: only a database
		 * that checked out lets the new downloads into the cache */
		char *tmpdb = NULL;
		if (rc == 0 && asprintf(&tmpdb, "%s.new", db_path) < 0)
			rc = hull_err_nomem(err);
		if (rc == 0)
			rc = hull_vulndb_builder_write(b, tmpdb, err);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (f[i].changed && rename(f[i].new_path, f[i].cache_path) < 0)
				rc = hull_err_errno(err, errno, "%s", f[i].cache_path);
		if (rc == 0)
			rc = vdb_install(tmpdb, db_path, err);
		if (rc < 0 && tmpdb)
			unlink(tmpdb);
		free(tmpdb);
		res->rebuilt = rc == 0;
	}
	for (size_t i = 0; f && pv && i < n; i++) {
		if (f[i].new_path && rc < 0)
			unlink(f[i].new_path);
		free(f[i].cache_path);
		free(f[i].part_path);
		free(f[i].new_path);
		free(pv[i].etag);
		free(pv[i].last_modified);
		free(pv[i].url);
	}
	free(f);
	free(pv);
	EVP_PKEY_free(key);
	hull_vulndb_builder_free(b);
	curl_global_cleanup();
	return rc;
}
