/* fuzz_owned: the file lists of the system's packages (owned.c) read by
 * hull_inventory_collect: dpkg's info/<pkg>.list, a status.d md5sums, apk's
 * F:/R: lines, next to language files they may name and a symlink.
 *
 * Input: chunks separated by "\n--\n"; each chunk's first byte picks a
 * path (below) and the rest is the file's content, written by the next
 * layer. The root also has lib -> usr/lib. */
#include "fuzz_common.h"
#include "image/fileset.h"

static const char *const paths[] = {
    "var/lib/dpkg/info/a.list",
    "var/lib/dpkg/status.d/a.md5sums",
    "lib/apk/db/installed",
    "usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
    "srv/node_modules/a/package.json",
    "var/lib/dpkg/status",
};

#define MAX_CHUNKS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_fileset *fs = hull_fileset_new();
	if (!fs)
		return 0;
	struct hull_err err = {0};
	hull_fileset_put_symlink(fs, "lib", "usr/lib", 0, &err);
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
				                      HULL_KEEP_LAST, &err);
			}
		}
		p = sep ? sep + 4 : end;
	}
	if (hull_fileset_finish(fs, &err) == 0) {
		struct hull_inventory inv = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		hull_inventory_collect(fs, &inv, &diag, &err);
		hull_inventory_release(&inv);
		hull_diag_release(&diag);
	}
	hull_fileset_free(fs);
	return 0;
}
