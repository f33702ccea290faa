/* term: terminal-safe text (see term.h). */
#include "util/term.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/utf8.h"

bool hull_term_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

const char *hull_term_next(const char *s, size_t len, size_t *i, char tmp[4], size_t *nb,
                           int *width, uint32_t *cpp)
{
	uint32_t cp;
	bool valid;
	size_t n = hull_utf8_next(s + *i, len - *i, &cp, &valid);
	const char *bytes = s + *i;
	*nb = n;
	*i += n;
	if (!valid) {
		*nb = hull_utf8_encode(HULL_UTF8_REPLACEMENT, tmp);
		bytes = tmp;
		cp = HULL_UTF8_REPLACEMENT;
	} else if (hull_term_unsafe(cp)) {
		tmp[0] = '?';
		*nb = 1;
		bytes = tmp;
		cp = '?';
	}
	*width = hull_utf8_width(cp);
	if (cpp)
		*cpp = cp;
	return bytes;
}

size_t hull_term_width(const char *s, size_t limit)
{
	size_t len = s ? strlen(s) : 0, i = 0, w = 0;
	while (i < len && w <= limit) {
		char tmp[4];
		size_t nb;
		int cw;
		hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		w += (size_t)cw;
	}
	return w;
}

int hull_term_append(struct hull_buf *b, const char *s, size_t len, struct hull_err *err)
{
	size_t i = 0;
	while (i < len) {
		/* runs of safe ASCII in one append: most text is just that */
		size_t run = i;
		while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
			run++;
		if (run > i && hull_buf_append(b, s + i, run - i, err) < 0)
			return -1;
		if ((i = run) == len)
			break;
		char tmp[4];
		size_t nb;
		int cw;
		const char *c = hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		if (hull_buf_append(b, c, nb, err) < 0)
			return -1;
	}
	return 0;
}

int hull_term_append_cut(struct hull_buf *b, const char *s, size_t limit, size_t *cols,
                         struct hull_err *err)
{
	size_t len = s ? strlen(s) : 0, i = 0, w = 0;
	bool fits = hull_term_width(s, limit) <= limit;
	size_t room = fits ? limit : (limit ? limit - 1 : 0);
	if (cols)
		*cols = 0;
	while (i < len) {
		char tmp[4];
		size_t nb;
		int cw;
		const char *c = hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		if (w + (size_t)cw > room)
			break;
		if (hull_buf_append(b, c, nb, err) < 0)
			return -1;
		w += (size_t)cw;
	}
	if (!fits && limit) {
		if (hull_buf_append_str(b, HULL_TERM_ELLIPSIS, err) < 0)
			return -1;
		w++;
	}
	if (cols)
		*cols = w;
	return 0;
}

int hull_term_append_cell(struct hull_buf *b, const char *s, size_t width, struct hull_err *err)
{
	size_t w = hull_term_width(s, width);
	if (hull_term_append(b, s ? s : "", s ? strlen(s) : 0, err) < 0)
		return -1;
	for (; w < width; w++)
		if (hull_buf_putc(b, ' ', err) < 0)
			return -1;
	return 0;
}

int hull_term_vprintf(struct hull_buf *b, struct hull_err *err, const char *fmt, va_list ap)
{
	char stack[1024];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(stack, sizeof(stack), fmt, ap);
	if (n < 0 || (size_t)n < sizeof(stack)) {
		va_end(again);
		return n < 0 ? hull_err_set(err, HULL_ERR_INPUT, "bad format string")
		             : hull_term_append(b, stack, (size_t)n, err);
	}
	cleanup_free char *heap = malloc((size_t)n + 1);
	if (heap)
		vsnprintf(heap, (size_t)n + 1, fmt, again);
	va_end(again);
	return heap ? hull_term_append(b, heap, (size_t)n, err) : hull_err_nomem(err);
}

int hull_term_printf(struct hull_buf *b, struct hull_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = hull_term_vprintf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

const char *hull_term_str(char *dst, size_t cap, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, o = 0;
	while (i < len) {
		char tmp[4];
		size_t nb;
		int cw;
		const char *c = hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		if (o + nb >= cap)
			break;
		memcpy(dst + o, c, nb);
		o += nb;
	}
	dst[o] = '\0';
	return dst;
}

static void put_filtered(FILE *f, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		char tmp[4];
		size_t nb;
		int cw;
		const char *c = hull_term_next(s, len, &i, tmp, &nb, &cw, NULL);
		fwrite(c, 1, nb, f);
	}
}

void hull_term_fputs(FILE *f, const char *s)
{
	put_filtered(f, s ? s : "", s ? strlen(s) : 0);
}

int hull_term_fwrite_lines(FILE *f, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n' && s[i] != '\t')
			continue;
		put_filtered(f, s + start, i - start);
		if (i < len)
			fputc(s[i], f);
		start = i + 1;
	}
	return ferror(f) ? -1 : 0;
}
