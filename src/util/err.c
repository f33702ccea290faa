#define HULL_ERR_IMPL /* the functions, not the analyzer's view of them (err.h) */
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 0))) static void vset(struct hull_err *err, const char *fmt,
                                                       va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int hull_err_set(struct hull_err *err, enum hull_err_kind kind, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vset(err, fmt, ap);
	va_end(ap);
	err->kind = kind;
	err->errnum = 0;
	return -1;
}

int hull_err_errno(struct hull_err *err, int errnum, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vset(err, fmt, ap);
	va_end(ap);
	size_t len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	err->kind = errnum == ENOMEM   ? HULL_ERR_NOMEM
	            : errnum == ENOENT ? HULL_ERR_NOTFOUND
	                               : HULL_ERR_IO;
	err->errnum = errnum;
	return -1;
}

int hull_err_wrap(struct hull_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char prefix[HULL_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	char old[HULL_ERR_MSG_MAX];
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	/* prefix + ": " + old, truncated to the buffer */
	size_t cap = sizeof(err->msg) - 1, n = strlen(prefix), m = strlen(old);
	if (n > cap)
		n = cap;
	memcpy(err->msg, prefix, n);
	size_t sep = cap - n < 2 ? cap - n : 2;
	memcpy(err->msg + n, ": ", sep);
	n += sep;
	if (m > cap - n)
		m = cap - n;
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
	if (err->kind == HULL_ERR_NONE)
		err->kind = HULL_ERR_INPUT;
	return -1;
}

int hull_err_nomem(struct hull_err *err)
{
	if (!err)
		return -1;
	snprintf(err->msg, sizeof(err->msg), "out of memory");
	err->kind = HULL_ERR_NOMEM;
	err->errnum = 0;
	return -1;
}

void hull_err_clear(struct hull_err *err)
{
	if (!err)
		return;
	err->kind = HULL_ERR_NONE;
	err->errnum = 0;
	err->msg[0] = '\0';
}
