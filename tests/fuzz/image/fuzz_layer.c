/* Fuzzes one layer blob (raw, gzip or zstd tar) through the decompressors,
 * the tar reader and the whiteout/link logic of the fileset. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/internal.h"

static enum hull_keep keep_all(const char *path, void *ctx)
{
	(void)ctx;
	return strlen(path) % 2 ? HULL_KEEP_HISTORY : HULL_KEEP_LAST;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("layer", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	struct blob b = {.fd = fd, .offset = 0, .size = size};
	strcpy(b.name, "fuzz-layer");
	struct stream_limits limits = {.max_out = 64u << 20};
	struct layer_stream *s;
	struct hull_err err = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	struct hull_fileset *fs = hull_fileset_new();
	if (stream_open(&s, &b, "fuzz", &limits, &err) == 0) {
		for (int layer = 0; layer < 2; layer++) {
			struct apply_ctx ctx = {.files = fs,
			                        .layer = layer,
			                        .keep = keep_all,
			                        .diag = &diag,
			                        .label = "fuzz"};
			if (layer_apply(s, &ctx, &err) != 0)
				break;
		}
		char d[HULL_DIGEST_STRLEN + 1], di[HULL_DIGEST_STRLEN + 1];
		stream_finish(s, d, di, &err);
		stream_free(s);
	}
	hull_fileset_finish(fs, &err);
	hull_fileset_get(fs, "etc/os-release");
	hull_fileset_free(fs);
	hull_diag_release(&diag);
	return 0;
}
