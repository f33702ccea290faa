/* fuzz_rpmdb: the rpm database reader (SQLite, Berkeley DB hash, NDB, told
 * apart by content) and, on the same bytes, the header blob validator
 * directly: NDB checksums every blob, so mutations of a header inside a
 * container rarely get past them, while a raw blob reaches every check.
 * The file lists (hull_rpmdb_each_file) are read from the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "pkgdb/parsers.h"
#include "pkgdb/rpmdb_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch_file(void *ctx, struct hull_str dir, struct hull_str base, struct hull_err *err)
{
	(void)ctx;
	(void)err;
	if (dir.len)
		(void)*(volatile const char *)(dir.ptr + dir.len - 1);
	if (base.len)
		(void)*(volatile const char *)(base.ptr + base.len - 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_str in = hull_str((const char *)data, size);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	hull_rpmdb_parse(in, "fuzz/Packages", 0, &inv, &err);
	hull_inventory_release(&inv);
	hull_rpmdb_each_file(in, "fuzz/Packages", touch_file, NULL, &err);

	struct hull_rpmhdr h;
	if (hull_rpmhdr_open(in, &h, &err) == 0) {
		static const uint32_t tags[] = {HULL_RPMTAG_NAME,      HULL_RPMTAG_VERSION,
		                                HULL_RPMTAG_RELEASE,   HULL_RPMTAG_ARCH,
		                                HULL_RPMTAG_SOURCERPM, HULL_RPMTAG_LICENSE};
		struct hull_str s;
		int32_t v;
		for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			if (hull_rpmhdr_get_string(&h, tags[i], &s, &err) == 1 && s.len > 0)
				(void)*(volatile const char *)(s.ptr + s.len - 1);
		hull_rpmhdr_get_int32(&h, HULL_RPMTAG_EPOCH, &v, &err);
	}
	return 0;
}
