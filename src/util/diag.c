#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/mem.h"

void hull_diag_init(struct hull_diag *d)
{
	d->msgs = NULL;
	d->n = d->cap = d->dropped = 0;
}

void hull_diag_warn(struct hull_diag *d, const char *fmt, ...)
{
	if (!d)
		return;
	if (HULL_ARRAY_PUSH_ROOM(d->msgs, d->n, d->cap, HULL_DIAG_MAX, NULL) < 0) {
		d->dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	int rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		d->dropped++;
		return;
	}
	d->msgs[d->n++] = msg;
}

void hull_diag_release(struct hull_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	hull_diag_init(d);
}
