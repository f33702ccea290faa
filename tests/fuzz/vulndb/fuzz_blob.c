/* fuzz_blob: the reader of database rows (a database is user-supplied
 * through hull db import): a hostile row is an error, never a crash or an
 * out-of-bounds read. Also the CVSS vector scorers. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdb_scratch sc = {0};
	struct hull_err err = {0};
	size_t seen = 0;
	/* the reader needs its own copy: sqlite hands out exact-size blobs */
	unsigned char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	vdb_blob_decode(copy, size, "ns", "pkg", &sc, fuzz_count, &seen, &err);
	struct vdb_zunpack z;
	if (vdb_zunpack_init(&z, NULL, 0, &err) == 0) {
		const void *out;
		size_t n;
		vdb_zunpack(&z, copy, size, &out, &n, &err);
		vdb_zunpack_release(&z);
	}
	int s3 = vdb_cvss3_score10(hull_str((const char *)copy, size));
	int s2 = vdb_cvss2_score10(hull_str((const char *)copy, size));
	if (s3 > 100 || s2 > 100)
		abort();
	free(copy);
	vdb_scratch_release(&sc);
	return 0;
}
