/* findings_report: hull_report_findings, which walks the table of writers
 * (writer.h). The one place that lists the formats. */
#include <string.h>

#include "report/findings_internal.h"
#include "report/writer.h"

extern const struct hull_findings_writer hull_writer_table, hull_writer_json, hull_writer_sarif,
    hull_writer_junit, hull_writer_markdown, hull_writer_cyclonedx, hull_writer_html;

static const struct hull_findings_writer *const writers[] = {
    &hull_writer_table,    &hull_writer_json,      &hull_writer_sarif, &hull_writer_junit,
    &hull_writer_markdown, &hull_writer_cyclonedx, &hull_writer_html,
};
#define NWRITERS (sizeof(writers) / sizeof(writers[0]))

static const struct hull_findings_writer *writer_of(enum hull_findings_format f)
{
	for (size_t i = 0; i < NWRITERS; i++)
		if (writers[i]->format == f)
			return writers[i];
	return NULL;
}

const char *hull_findings_format_name(enum hull_findings_format f)
{
	const struct hull_findings_writer *w = writer_of(f);
	return w ? w->name : "?";
}

int hull_findings_format_parse(const char *name, enum hull_findings_format *out,
                               struct hull_err *err)
{
	for (size_t i = 0; name && i < NWRITERS; i++) {
		if (!strcmp(name, writers[i]->name) ||
		    (writers[i]->alias && !strcmp(name, writers[i]->alias))) {
			*out = writers[i]->format;
			return 0;
		}
	}
	char choices[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < NWRITERS; i++) {
		int n = snprintf(choices + len, sizeof(choices) - len, "%s%s",
		                 i == 0             ? ""
		                 : i + 1 < NWRITERS ? ", "
		                                    : " or ",
		                 writers[i]->name);
		if (n > 0 && (size_t)n < sizeof(choices) - len)
			len += (size_t)n;
	}
	return hull_err_set(err, HULL_ERR_USAGE, "unknown format '%.64s' (choose %s)",
	                    name ? name : "", choices);
}

int hull_report_findings(enum hull_findings_format f, const struct hull_findings_input *in,
                         struct hull_buf *out, struct hull_err *err)
{
	const struct hull_findings_writer *w = writer_of(f);
	if (!w)
		return hull_err_set(err, HULL_ERR_USAGE, "report: unknown format %d", (int)f);
	struct hull_fctx c;
	if (hull_fctx_init(&c, in, err) < 0)
		return -1;
	int rc = w->write(&c, out, err);
	hull_fctx_release(&c);
	if (rc < 0)
		hull_err_wrap(err, "%s report", w->name);
	return rc;
}
