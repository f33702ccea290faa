#include <stdlib.h>
#include <string.h>

#include "image/fileset.h"
#include "tap.h"

static char *dupdata(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}

static void put(struct hull_fileset *fs, const char *path, const char *content, int layer,
                enum hull_keep keep)
{
	struct hull_err err = {0};
	if (hull_fileset_put_file(fs, path, dupdata(content), strlen(content), 0644, layer, keep,
	                          &err) < 0)
		TAP_OK(0, "put %s: %s", path, err.msg);
}

static const char *content(struct hull_fileset *fs, const char *path)
{
	const struct hull_file *f = hull_fileset_get(fs, path);
	return f ? f->data : NULL;
}

static void test_whiteouts(void)
{
	struct hull_err err = {0};
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/motd", "hello", 0, HULL_KEEP_LAST);
	put(fs, "usr/share/doc/zlib1g/copyright", "zlib", 0, HULL_KEEP_LAST);
	put(fs, "usr/share/man/a", "a", 0, HULL_KEEP_LAST);
	/* layer 1 whites out a file and a directory */
	hull_fileset_whiteout(fs, "etc/motd", 1);
	hull_fileset_whiteout(fs, "usr/share/doc/zlib1g", 1);
	/* layer 2: the opaque marker comes before the new file of the same layer */
	hull_fileset_opaque(fs, "usr/share/man", 2);
	put(fs, "usr/share/man/b", "b", 2, HULL_KEEP_LAST);
	hull_fileset_opaque(fs, "usr/share/man", 2); /* repeated marker: same-layer files stay */
	hull_fileset_finish(fs, &err);
	TAP_OK(!content(fs, "etc/motd"), "whiteout removes a file");
	TAP_OK(!content(fs, "usr/share/doc/zlib1g/copyright"), "whiteout removes a directory tree");
	TAP_OK(!content(fs, "usr/share/man/a"), "opaque dir hides lower layers");
	TAP_OK(content(fs, "usr/share/man/b") &&
	           hull_fileset_get(fs, "usr/share/man/b")->layer == 2,
	       "opaque dir keeps its own layer's files");
	TAP_OK(hull_fileset_count(fs) == 1, "one file left");
	hull_fileset_free(fs);
}

static void test_symlinks(void)
{
	struct hull_err err = {0};
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "usr/lib/os-release", "ID=debian", 0, HULL_KEEP_LAST);
	hull_fileset_put_symlink(fs, "etc/os-release", "../usr/lib/os-release", 0, &err);
	hull_fileset_put_symlink(fs, "lib", "usr/lib", 0, &err);
	hull_fileset_put_symlink(fs, "loop", "loop", 0, &err);
	hull_fileset_put_symlink(fs, "escape", "../../../../usr/lib/os-release", 0, &err);
	hull_fileset_finish(fs, &err);
	TAP_OK(content(fs, "etc/os-release") && !strcmp(content(fs, "etc/os-release"), "ID=debian"),
	       "relative symlink resolved");
	TAP_OK(content(fs, "lib/os-release") != NULL, "directory symlink resolved");
	TAP_OK(content(fs, "loop") == NULL, "symlink loop ends");
	TAP_OK(content(fs, "escape") != NULL, "'..' is clamped at the root");
	hull_fileset_free(fs);
}

static void count_loop(const char *path, const char *target, void *ctx)
{
	(void)target;
	if (!strcmp(path, "a") || !strcmp(path, "b") || !strcmp(path, "self"))
		++*(int *)ctx;
}

static void test_loops_and_layers(void)
{
	struct hull_err err = {0};
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "etc/os-release", "ID=debian", 1, HULL_KEEP_LAST);
	hull_fileset_put_symlink(fs, "a", "b", 0, &err);
	hull_fileset_put_symlink(fs, "b", "/a", 0, &err);
	hull_fileset_put_symlink(fs, "self", "x/../self", 0, &err);
	hull_fileset_put_symlink(fs, "ok", "etc/os-release", 0, &err);
	hull_fileset_finish(fs, &err);
	int named = 0;
	TAP_OK(hull_fileset_loops(fs, count_loop, &named) == 3 && named == 3,
	       "the three looping symlinks are reported, the good one is not");
	TAP_OK(hull_fileset_layer_at(fs, "etc/os-release") == 1, "layer_at names the writer");
	TAP_OK(hull_fileset_layer_at(fs, "ok") == 0, "layer_at does not follow a symlink");
	TAP_OK(hull_fileset_layer_at(fs, "etc/passwd") == HULL_LAYER_ABSENT, "layer_at: absent");
	hull_fileset_free(fs);
}

static void test_history(void)
{
	struct hull_err err = {0};
	struct hull_fileset *fs = hull_fileset_new();
	put(fs, "var/lib/dpkg/status", "v0", 0, HULL_KEEP_HISTORY);
	put(fs, "var/lib/dpkg/status", "v1", 1, HULL_KEEP_HISTORY);
	put(fs, "var/lib/dpkg/status", "v1b", 1, HULL_KEEP_HISTORY);
	put(fs, "other", "x", 0, HULL_KEEP_LAST);
	put(fs, "other", "y", 1, HULL_KEEP_LAST);
	hull_fileset_finish(fs, &err);
	const struct hull_file *f = hull_fileset_get(fs, "var/lib/dpkg/status");
	TAP_OK(f && f->nversions == 2 && !strcmp(f->versions[0].data, "v0") &&
	           !strcmp(f->versions[1].data, "v1b") && f->layer == 1,
	       "history keeps one version per layer");
	f = hull_fileset_get(fs, "other");
	TAP_OK(f && f->nversions == 0 && !strcmp(f->data, "y"), "KEEP_LAST keeps only the last");
	TAP_OK(hull_fileset_bytes(fs) == 2 + 3 + 1, "bytes accounted (%zu)",
	       hull_fileset_bytes(fs));
	hull_fileset_free(fs);
}

static void test_normalize(void)
{
	struct hull_err err = {0};
	char out[64];
	TAP_OK(hull_path_normalize("./etc//apt/./sources.list", out, sizeof(out), &err) == 0 &&
	           !strcmp(out, "etc/apt/sources.list"),
	       "normalize ./ and //");
	TAP_OK(hull_path_normalize("/", out, sizeof(out), &err) == 0 && !strcmp(out, ""),
	       "root is empty");
	TAP_OK(hull_path_normalize("a/../../etc/passwd", out, sizeof(out), &err) < 0,
	       "'..' rejected (%s)", err.msg);
}

int main(void)
{
	test_whiteouts();
	test_symlinks();
	test_loops_and_layers();
	test_history();
	test_normalize();
	return tap_done();
}
