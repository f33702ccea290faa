/* The layer cache: a replayed layer gives the same fileset as the layer
 * itself; damaged entries are misses; eviction keeps the newest. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/cache.h"
#include "image/internal.h"
#include "tap.h"
#include "util/buf.h"

static const char *D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
static const char *D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

static char *dup_text(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

/* Records a small layer into log while applying it to fs. */
static void record(struct hull_fileset *fs, struct hull_buf *log, struct hull_diag *diag)
{
	struct hull_err err = {0};
	struct apply_ctx ctx = {.files = fs, .layer = 1, .diag = diag, .label = "L", .log = log};
	op_file(&ctx, "var/lib/dpkg/status", dup_text("Package: a\n"), 11, 0644, HULL_KEEP_HISTORY,
	        &err);
	op_symlink(&ctx, "etc/os-release", "../usr/lib/os-release", &err);
	op_whiteout(&ctx, "etc/motd");
	op_opaque(&ctx, "usr/share/man");
	op_drop(&ctx, "bin/ls");
	op_hardlink(&ctx, "var/lib/dpkg/status-old", "var/lib/dpkg/status", HULL_KEEP_LAST, &err);
	op_warn(&ctx, "something odd");
}

static size_t count_files(const char *dir)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/hull-cache-test-XXXXXX";
	if (!mkdtemp(dir))
		return TAP_OK(0, "mkdtemp %s", dir), tap_done();
	struct hull_err err = {0};
	struct hull_layer_cache *c;
	TAP_OK(hull_layer_cache_open(dir, 0, &c, &err) == 0, "open (%s)", err.msg);

	struct hull_fileset *live = hull_fileset_new(), *replayed = hull_fileset_new();
	struct hull_diag d1, d2;
	hull_diag_init(&d1);
	hull_diag_init(&d2);
	/* a lower layer both filesets share */
	struct hull_err e2 = {0};
	hull_fileset_put_file(live, "etc/motd", dup_text("hi"), 2, 0644, 0, HULL_KEEP_LAST, &e2);
	hull_fileset_put_file(replayed, "etc/motd", dup_text("hi"), 2, 0644, 0, HULL_KEEP_LAST,
	                      &e2);
	struct hull_buf log;
	hull_buf_init(&log, 1 << 20);
	record(live, &log, &d1);
	struct cache_key k = {D1, 7};
	cache_store(c, &k, &log);
	char *got;
	size_t len;
	TAP_OK(cache_lookup(c, &k, &got, &len, &err) == 1 && len == log.len &&
	           !memcmp(got, log.data, len),
	       "a stored log comes back byte for byte");
	struct apply_ctx ctx = {.files = replayed, .layer = 1, .diag = &d2, .label = "L"};
	TAP_OK(layerlog_replay(&ctx, got, len, &err) == 0, "replay (%s)", err.msg);
	free(got);
	hull_fileset_finish(live, &err);
	hull_fileset_finish(replayed, &err);
	int same = hull_fileset_count(live) == hull_fileset_count(replayed);
	for (size_t i = 0; same && i < hull_fileset_count(live); i++) {
		const struct hull_file *a = hull_fileset_at(live, i),
		                       *b = hull_fileset_at(replayed, i);
		same = !strcmp(a->path, b->path) && a->len == b->len &&
		       !memcmp(a->data, b->data, a->len) && a->layer == b->layer &&
		       a->nversions == b->nversions;
	}
	TAP_OK(same && hull_fileset_count(live) == 2, "the replayed fileset equals the live one");
	TAP_OK(hull_fileset_get(replayed, "etc/motd") == NULL, "the whiteout was replayed");
	TAP_OK(d2.n == 1 && strstr(d2.msgs[0], "something odd"), "warnings are replayed");

	struct cache_key other = {D1, 8};
	TAP_OK(cache_has(c, &k) && !cache_has(c, &other),
	       "cache_has: the entry is there for its keep version only");
	TAP_OK(cache_lookup(c, &other, &got, &len, &err) == 0, "another keep version is a miss");
	cache_store(c, &k, &log);
	/* flip one byte of the entry: the trailer hash no longer matches */
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.hlc", dir, D1 + 7);
	FILE *f = fopen(path, "r+b");
	fseek(f, -70, SEEK_END);
	int ch = fgetc(f);
	fseek(f, -70, SEEK_END);
	fputc(ch ^ 1, f);
	fclose(f);
	TAP_OK(cache_lookup(c, &k, &got, &len, &err) == 0 && access(path, F_OK) != 0,
	       "a damaged entry is a miss and is removed");
	TAP_OK(layerlog_replay(&ctx, "\x01\xff\xff\xff\x7f", 5, &err) < 0 &&
	           strstr(err.msg, "damaged cache entry"),
	       "a damaged log is an error (%s)", err.msg);

	/* eviction: a cache smaller than two entries keeps the newest */
	struct hull_fileset *scratch = hull_fileset_new();
	struct apply_ctx big = {
	    .files = scratch, .layer = 1, .diag = &d1, .label = "L", .log = &log};
	char *blob = calloc(1, 8001);
	memset(blob, 'x', 8000);
	op_file(&big, "big", blob, 8000, 0644, HULL_KEEP_LAST, &err);
	hull_fileset_free(scratch);
	hull_layer_cache_close(c);
	hull_layer_cache_open(dir, log.len + 4096 + 200, &c, &err);
	struct cache_key k2 = {D2, 7};
	cache_store(c, &k, &log);
	sleep(1);
	cache_store(c, &k2, &log);
	snprintf(path, sizeof(path), "%s/%s.hlc", dir, D2 + 7);
	TAP_OK(count_files(dir) == 1 && access(path, F_OK) == 0, "LRU eviction keeps the newest");
	struct hull_cache_info info;
	TAP_OK(hull_layer_cache_info(c, &info, &err) == 0 && info.entries == 1,
	       "info counts entries");
	TAP_OK(hull_layer_cache_clean(c, &err) == 0 && count_files(dir) == 0, "clean empties it");

	hull_buf_release(&log);
	hull_fileset_free(live);
	hull_fileset_free(replayed);
	hull_diag_release(&d1);
	hull_diag_release(&d2);
	hull_layer_cache_close(c);
	rmdir(dir);
	return tap_done();
}
