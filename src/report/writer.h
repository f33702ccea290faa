/* writer: one row of the table of findings writers.
 *
 * hull_report_findings (findings_report.c) walks a table of these rows to
 * name, parse and render a format; nothing else names a format. A format
 * is one file that defines one `const struct hull_findings_writer` row
 * (hull_writer_<name>) and reads only the shared context of
 * findings_internal.h: it knows nothing of the other formats, and adding
 * a format is one more file and one more row. Not a public header. */
#ifndef HULL_REPORT_WRITER_H
#define HULL_REPORT_WRITER_H

#include "report/findings.h"

struct hull_fctx;

struct hull_findings_writer {
	enum hull_findings_format format;
	const char *name;  /* what --format takes and documents print */
	const char *alias; /* a second accepted name ("md"), or NULL */
	/* Appends one whole document for c to out (see hull_report_findings
	 * for errors and limits). */
	int (*write)(const struct hull_fctx *c, struct hull_buf *out, struct hull_err *err);
};

#endif
