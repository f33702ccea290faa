/* fuzz_requirements_tree: requirements.txt with its -r/-c includes
 * followed through a fileset (hull_inventory_collect), to reach the
 * include walk: relative paths, "..", symlinks, cycles, depth.
 *
 * Input: chunks separated by "\n--\n"; each chunk's first byte picks a
 * path (below); the rest is the file's content, or, when the second byte
 * is '>', a symlink to what follows it. */
#include "fuzz_common.h"
#include "image/fileset.h"

static const char *const paths[] = {
    "app/requirements.txt", "app/requirements-dev.txt", "app/reqs/base.txt",
    "app/reqs/a-req.txt",   "app/constraints.txt",      "app/deps.txt",
    "requirements.txt",     "app/sub/b-req.txt",
};

#define MAX_CHUNKS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_fileset *fs = hull_fileset_new();
	if (!fs)
		return 0;
	struct hull_err err = {0};
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; p < end && i < MAX_CHUNKS; i++) {
		const char *sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		const char *stop = sep ? sep : end;
		size_t n = (size_t)(stop - p);
		if (n > 0) {
			const char *path =
			    paths[(unsigned char)p[0] % (sizeof(paths) / sizeof(paths[0]))];
			if (n > 1 && p[1] == '>') {
				char target[256];
				size_t tl = n - 2 < sizeof(target) - 1 ? n - 2 : sizeof(target) - 1;
				memcpy(target, p + 2, tl);
				target[tl] = '\0';
				if (!memchr(target, '\0', tl))
					hull_fileset_put_symlink(fs, path, target, 0, &err);
			} else {
				char *content = malloc(n);
				if (content) {
					memcpy(content, p + 1, n - 1);
					hull_fileset_put_file(fs, path, content, n - 1, 0644, 0,
					                      hull_pkgdb_wants(path, NULL), &err);
				}
			}
		}
		p = sep ? sep + 4 : end;
	}
	if (hull_fileset_finish(fs, &err) == 0) {
		struct hull_inventory inv = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		hull_inventory_collect(fs, &inv, &diag, &err);
		for (size_t i = 0; i < inv.npkgs; i++)
			if (!inv.pkgs[i].name || !inv.pkgs[i].name[0] || !inv.pkgs[i].file)
				abort();
		hull_inventory_release(&inv);
		hull_diag_release(&diag);
	}
	hull_fileset_free(fs);
	return 0;
}
