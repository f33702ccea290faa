#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hull_buf_init(struct hull_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int hull_buf_reserve(struct hull_buf *b, size_t n, struct hull_err *err)
{
	if (n > b->max || b->len > b->max - n)
		return hull_err_set(err, HULL_ERR_LIMIT, "buffer limit of %zu bytes exceeded",
		                    b->max);
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return hull_err_nomem(err);
	b->data = p;
	b->cap = cap;
	return 0;
}

int hull_buf_append(struct hull_buf *b, const void *p, size_t n, struct hull_err *err)
{
	if (hull_buf_reserve(b, n, err) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int hull_buf_append_str(struct hull_buf *b, const char *s, struct hull_err *err)
{
	return hull_buf_append(b, s, strlen(s), err);
}

int hull_buf_putc(struct hull_buf *b, char c, struct hull_err *err)
{
	return hull_buf_append(b, &c, 1, err);
}

#define PRINTF_GUESS 200

int hull_buf_printf(struct hull_buf *b, struct hull_err *err, const char *fmt, ...)
{
	/* one pass when the text fits in the room already there (the usual
	 * case), a second only after growing; an empty buffer first gets room
	 * for a line, so that its first printf is not measured and redone */
	if (b->cap <= b->len + 1 && b->len < b->max) {
		size_t guess = b->max - b->len < PRINTF_GUESS ? b->max - b->len : PRINTF_GUESS;
		if (hull_buf_reserve(b, guess, err) < 0)
			return -1;
	}
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return hull_err_set(err, HULL_ERR_INPUT, "bad format string");
	if ((size_t)n < room && (size_t)n <= b->max - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (b->data)
		b->data[b->len] = '\0'; /* undo a truncated first pass */
	if (hull_buf_reserve(b, (size_t)n, err) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void hull_buf_reset(struct hull_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *hull_buf_detach(struct hull_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	if (!p)
		p = calloc(1, 1);
	hull_buf_init(b, b->max);
	return p;
}

void hull_buf_release(struct hull_buf *b)
{
	free(b->data);
	hull_buf_init(b, b->max);
}
