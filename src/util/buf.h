/* buf: a growable byte buffer that must be given a maximum size.
 *
 * Invariants: data is NULL or NUL-terminated at data[len]; len <= max;
 * appending past max fails with HULL_ERR_LIMIT and leaves the buffer as it
 * was. Lifecycle: hull_buf_init, appends, then hull_buf_release (frees) or
 * hull_buf_detach (hands the bytes to the caller). */
#ifndef HULL_UTIL_BUF_H
#define HULL_UTIL_BUF_H

#include <stddef.h>

#include "util/err.h"
#include "util/str.h"

struct hull_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void hull_buf_init(struct hull_buf *b, size_t max);
int hull_buf_append(struct hull_buf *b, const void *p, size_t n, struct hull_err *err);
int hull_buf_append_str(struct hull_buf *b, const char *s, struct hull_err *err);
int hull_buf_putc(struct hull_buf *b, char c, struct hull_err *err);
int hull_buf_printf(struct hull_buf *b, struct hull_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Makes room for n more bytes without changing len. */
int hull_buf_reserve(struct hull_buf *b, size_t n, struct hull_err *err);
static inline struct hull_str hull_buf_str(const struct hull_buf *b)
{
	return hull_str(b->data ? b->data : "", b->len);
}
/* Empties the buffer but keeps its memory. */
void hull_buf_reset(struct hull_buf *b);
/* Returns the bytes (NUL-terminated, caller frees; never NULL: an empty
 * buffer gives a fresh "" or NULL on OOM) and re-initialises b. */
char *hull_buf_detach(struct hull_buf *b, size_t *len);
void hull_buf_release(struct hull_buf *b);

/* `cleanup_buf struct hull_buf b;` releases b when it goes out of scope
 * (hull_buf_init it before any return; a detached buffer is empty). */
#define cleanup_buf __attribute__((cleanup(hull_buf_release)))

#endif
