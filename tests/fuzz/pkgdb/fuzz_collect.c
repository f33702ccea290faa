/* fuzz_collect: hull_inventory_collect over a fileset built from the input,
 * to reach what only the collector does: attributing layers from a
 * database's history, the distribution fallbacks, status.d next to status.
 *
 * Input: chunks separated by "\n--\n"; each chunk's first byte picks a
 * path (below) and the rest is the file's content, written by the next
 * layer (so a path picked twice gets a history). */
#include "fuzz_common.h"
#include "image/fileset.h"

static const char *const paths[] = {
    "var/lib/dpkg/status",  "lib/apk/db/installed",        "var/lib/dpkg/status.d/a",
    "etc/os-release",       "usr/lib/os-release",          "etc/alpine-release",
    "etc/debian_version",   "node_modules/a/package.json", "package-lock.json",
    "a.dist-info/METADATA",
};

#define MAX_CHUNKS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_fileset *fs = hull_fileset_new();
	if (!fs)
		return 0;
	struct hull_err err = {0};
	const char *p = (const char *)data, *end = p + size;
	for (int layer = 0; p < end && layer < MAX_CHUNKS; layer++) {
		const char *sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		const char *stop = sep ? sep : end;
		size_t n = (size_t)(stop - p);
		if (n > 0) {
			const char *path =
			    paths[(unsigned char)p[0] % (sizeof(paths) / sizeof(paths[0]))];
			char *content = malloc(n);
			if (content) {
				memcpy(content, p + 1, n - 1);
				hull_fileset_put_file(fs, path, content, n - 1, 0644, layer,
				                      hull_pkgdb_wants(path, NULL), &err);
			}
		}
		p = sep ? sep + 4 : end;
	}
	if (hull_fileset_finish(fs, &err) == 0) {
		struct hull_inventory inv = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		hull_inventory_collect(fs, &inv, &diag, &err);
		for (size_t i = 1; i < inv.npkgs; i++)
			if (inv.pkgs[i - 1].type > inv.pkgs[i].type)
				abort(); /* sorted */
		hull_inventory_release(&inv);
		hull_diag_release(&diag);
	}
	hull_fileset_free(fs);
	return 0;
}
