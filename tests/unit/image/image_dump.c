/* image_dump: opens an image with hull's reader and prints what it kept.
 * Usage: image_dump TARGET [PATH...]  (PATH: a path to keep; default: a few
 * package databases). Prints the format, the layers, then one line per kept
 * file: "path layer length sha256". Exit 2 with the error on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/digest.h"

static char **keep_paths;
static int nkeep;

static enum hull_keep keep(const char *path, void *ctx)
{
	(void)ctx;
	for (int i = 0; i < nkeep; i++)
		if (!strcmp(path, keep_paths[i]))
			return HULL_KEEP_HISTORY;
	return HULL_KEEP_NO;
}

int main(int argc, char **argv)
{
	static char *defaults[] = {"var/lib/dpkg/status",     "etc/os-release",
	                           "usr/lib/os-release",      "lib/apk/db/installed",
	                           "etc/app/credentials.ini", "etc/motd",
	                           "usr/share/man/.keep"};
	if (argc < 2) {
		fprintf(stderr, "usage: image_dump TARGET [PATH...]\n");
		return 2;
	}
	keep_paths = argc > 2 ? argv + 2 : defaults;
	nkeep = argc > 2 ? argc - 2 : (int)(sizeof(defaults) / sizeof(defaults[0]));
	struct hull_image_opts opts = {.keep = keep, .platform = getenv("PLATFORM")};
	struct hull_image *img;
	struct hull_diag diag;
	struct hull_err err = {0};
	hull_diag_init(&diag);
	if (hull_image_open(argv[1], &opts, &img, &diag, &err) < 0) {
		fprintf(stderr, "error: %s\n", err.msg);
		hull_diag_release(&diag);
		return 2;
	}
	printf("format %s\nname %s\nlayers %zu\n", hull_image_format_name(img->format),
	       img->name ? img->name : "-", img->nlayers);
	for (size_t i = 0; i < img->nlayers; i++)
		printf("layer %zu %s %s %s\n", i,
		       img->layers[i].digest ? img->layers[i].digest : "-", img->layers[i].diff_id,
		       img->layers[i].compression);
	printf("user %s\n", img->config.user ? img->config.user : "-");
	for (size_t i = 0; i < hull_fileset_count(img->files); i++) {
		const struct hull_file *f = hull_fileset_at(img->files, i);
		char d[HULL_DIGEST_STRLEN + 1];
		hull_sha256_digest(f->data, f->len, d, &err);
		printf("file %s %d %zu %s versions=%zu\n", f->path, f->layer, f->len, d,
		       f->nversions);
	}
	for (int i = 0; i < nkeep; i++) {
		const struct hull_file *f = hull_fileset_get(img->files, keep_paths[i]);
		if (f && strcmp(f->path, keep_paths[i]))
			printf("resolved %s -> %s\n", keep_paths[i], f->path);
	}
	for (size_t i = 0; i < diag.n; i++)
		printf("warning %s\n", diag.msgs[i]);
	hull_image_free(img);
	hull_diag_release(&diag);
	return 0;
}
