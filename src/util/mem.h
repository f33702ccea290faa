/* mem: scoped cleanup and checked array growth.
 *
 * `cleanup_free char *p = ...;` frees p when it goes out of scope; move
 * ownership out with `*out = p; p = NULL;`. cleanup_close (fds) and
 * cleanup_dir (DIR *) do the same (src/ holds no FILE * in a local); json
 * values have cleanup_json (util/json.h), buffers cleanup_buf
 * (util/buf.h). A function uses scoped cleanup or one `cleanup:`/`out:`
 * label, never both. hull_array_grow never lets an
 * array pass its caller-given maximum element count. */
#ifndef HULL_UTIL_MEM_H
#define HULL_UTIL_MEM_H

#include <dirent.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/err.h"

static inline void hull_freep(void *p)
{
	free(*(void **)p);
}

static inline void hull_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void hull_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define cleanup_free  __attribute__((cleanup(hull_freep)))
#define cleanup_close __attribute__((cleanup(hull_closep)))
#define cleanup_dir   __attribute__((cleanup(hull_closedirp)))

/* Ensures *items has room for `need` elements of `elem` bytes, growing
 * geometrically. Fails with HULL_ERR_LIMIT when need > max. */
int hull_array_grow(void **items, size_t *cap, size_t need, size_t elem, size_t max,
                    struct hull_err *err);

/* Convenience: grows `arr` (a typed pointer) held with `n`/`cap` counters to
 * hold one more element. */
#define HULL_ARRAY_PUSH_ROOM(arr, n, cap, max, err)                                                \
	hull_array_grow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr)), (max), (err))

/* Large streaming buffers (download rings, inflate output), mapped on
 * their own and aligned to 2 MiB with MADV_HUGEPAGE, so the kernel can
 * back them with transparent huge pages: first touching a fresh 4 KiB page
 * costs a fault each (8-37 us on the VMs we measured, docs/image.md), a
 * 4 MiB ring touched page by page 27-38 ms, on huge pages under 1 ms.
 * Zeroed. NULL when the mapping fails; free with the same size. */
void *hull_bigbuf_alloc(size_t size);
void hull_bigbuf_free(void *p, size_t size);

/* strdup that reports OOM through err. */
char *hull_strdup(const char *s, struct hull_err *err);

#endif
