/* Fuzzes a whole image file (docker-archive or OCI archive): the outer tar,
 * manifest.json / index.json / manifests / config, digests and layers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/image.h"

static enum hull_keep keep(const char *path, void *ctx)
{
	(void)ctx;
	return strstr(path, "status") || strstr(path, "release") ? HULL_KEEP_HISTORY : HULL_KEEP_NO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("image", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct hull_image_opts opts = {.keep = keep, .max_layer_bytes = 64u << 20};
	struct hull_image *img = NULL;
	struct hull_err err = {0};
	struct hull_diag diag;
	hull_diag_init(&diag);
	if (hull_image_open(path, &opts, &img, &diag, &err) == 0)
		hull_image_free(img);
	hull_diag_release(&diag);
	close(fd);
	return 0;
}
