/* output: the report options every scan command shares (see output.h). */
#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/fs.h"

void hull_output_init(struct hull_output_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/* out's format from its word, in the command's words or the findings'. */
static int set_format(const struct hull_output_opts *o, struct hull_output *out, const char *name,
                      struct hull_err *err)
{
	if (o->parse) {
		if (o->parse(name, &out->id, err) < 0)
			return -1;
		out->format = HULL_FINDINGS_FORMAT_COUNT; /* none */
	} else {
		if (hull_findings_format_parse(name, &out->format, err) < 0)
			return -1;
		out->id = out->format;
		name = hull_findings_format_name(out->format);
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

int hull_output_add_format(struct hull_output_opts *o, const char *arg, struct hull_err *err)
{
	if (o->nouts == HULL_OUTPUT_MAX)
		return hull_err_set(err, HULL_ERR_USAGE, "--format: at most %d formats in one run",
		                    HULL_OUTPUT_MAX);
	const char *eq = arg ? strchr(arg, '=') : NULL;
	char name[32];
	size_t n = eq ? (size_t)(eq - arg) : (arg ? strlen(arg) : 0);
	if (n >= sizeof(name))
		n = sizeof(name) - 1; /* parse fails on the cut name, naming it */
	memcpy(name, arg ? arg : "", n);
	name[n] = '\0';
	struct hull_output *out = &o->outs[o->nouts];
	if (set_format(o, out, name, err) < 0)
		return hull_err_wrap(err, "--format");
	out->path = NULL;
	out->explicit_path = eq != NULL;
	if (eq) {
		if (!eq[1])
			return hull_err_set(err, HULL_ERR_USAGE, "--format %s=: missing file name",
			                    name);
		out->path = eq + 1;
	}
	o->nouts++;
	return 0;
}

int hull_output_set_file(struct hull_output_opts *o, const char *path, struct hull_err *err)
{
	if (!path || !*path)
		return hull_err_set(err, HULL_ERR_USAGE, "--output: missing file name");
	o->output = path;
	return 0;
}

int hull_output_set_fail_on(struct hull_output_opts *o, const char *arg, struct hull_err *err)
{
	if (hull_severity_parse(arg, &o->fail_on, err) < 0)
		return hull_err_wrap(err, "--fail-on");
	o->fail_on_set = true;
	return 0;
}

int hull_output_set_severity(struct hull_output_opts *o, const char *list, struct hull_err *err)
{
	bool add[HULL_SEV_COUNT] = {0};
	const char *p = list ? list : "";
	/* Parse the whole list before changing o, so a bad item leaves the
	 * options as they were. */
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char word[32];
		enum hull_severity s;
		if (n == 0)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--severity: empty item in '%.64s' (expected e.g. "
			                    "CRITICAL,HIGH)",
			                    list ? list : "");
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (hull_severity_parse(word, &s, err) < 0)
			return hull_err_wrap(err, "--severity");
		add[s] = true;
		if (!comma)
			break;
		p = comma + 1;
	}
	for (size_t i = 0; i < HULL_SEV_COUNT; i++)
		o->severities[i] |= add[i];
	o->severity_set = true;
	return 0;
}

static bool to_stdout(const struct hull_output *out)
{
	return !out->path || !strcmp(out->path, "-");
}

int hull_output_finish(struct hull_output_opts *o, bool stdout_is_tty, struct hull_err *err)
{
	if (o->nouts == 0) {
		if (set_format(o, &o->outs[0], stdout_is_tty && !o->output ? "table" : "json",
		               err) < 0)
			return -1;
		o->outs[0].path = NULL;
		o->outs[0].explicit_path = false;
		o->nouts = 1;
	}
	bool output_used = false;
	for (size_t i = 0; i < o->nouts; i++) {
		if (!o->outs[i].explicit_path && o->output) {
			o->outs[i].path = o->output;
			output_used = true;
		}
	}
	if (o->output && !output_used)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "--output '%.200s' is not used: every --format names its own "
		                    "file (F=FILE)",
		                    o->output);
	for (size_t i = 0; i < o->nouts; i++) {
		for (size_t k = 0; k < i; k++) {
			const struct hull_output *a = &o->outs[k], *b = &o->outs[i];
			if (to_stdout(a) && to_stdout(b))
				return hull_err_set(
				    err, HULL_ERR_USAGE,
				    "--format %s and --format %s both write to standard "
				    "output: give one of them a file (F=FILE)",
				    a->name, b->name);
			if (!to_stdout(a) && !to_stdout(b) && !strcmp(a->path, b->path))
				return hull_err_set(
				    err, HULL_ERR_USAGE,
				    "--format %s and --format %s both write to '%.200s'", a->name,
				    b->name, a->path);
		}
	}
	return 0;
}

static bool keep_severity(const struct hull_finding *f, void *ctx)
{
	const struct hull_output_opts *o = ctx;
	return (size_t)f->severity < HULL_SEV_COUNT && o->severities[f->severity];
}

size_t hull_output_filter(const struct hull_output_opts *o, struct hull_findings *list)
{
	return hull_output_filter_from(o, list, 0);
}

size_t hull_output_filter_from(const struct hull_output_opts *o, struct hull_findings *list,
                               size_t from)
{
	if (!o->severity_set)
		return 0;
	return hull_findings_filter_from(list, from, keep_severity, (void *)o);
}

static int write_stream(FILE *out, const struct hull_buf *doc, struct hull_err *err)
{
	if (doc->len && fwrite(doc->data, 1, doc->len, out) != doc->len)
		return hull_err_errno(err, errno, "standard output");
	if (fflush(out) != 0)
		return hull_err_errno(err, errno, "standard output");
	return 0;
}

/* One document: drawn, then written to its file atomically or to out. */
static int write_doc(const struct hull_output *dst, FILE *out, bool out_is_tty,
                     hull_output_draw_fn draw, void *ctx, struct hull_err *err)
{
	struct hull_buf doc;
	bool std = to_stdout(dst);
	bool color = !strcmp(dst->name, "table") && std && out_is_tty && !getenv("NO_COLOR");
	hull_buf_init(&doc, HULL_OUTPUT_DOC_MAX);
	int rc = draw(ctx, dst, color, &doc, err);
	if (rc == 0)
		rc = std ? write_stream(out, &doc, err)
		         : hull_fs_write_atomic(dst->path, doc.data ? doc.data : "", doc.len, err);
	hull_buf_release(&doc);
	if (rc < 0 && !std)
		hull_err_wrap(err, "--format %s=%.200s", dst->name, dst->path);
	return rc;
}

int hull_output_write_docs(const struct hull_output_opts *o, FILE *out, bool out_is_tty,
                           hull_output_draw_fn draw, void *ctx, struct hull_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < o->nouts; i++) {
		struct hull_err e = {0};
		if (write_doc(&o->outs[i], out, out_is_tty, draw, ctx, &e) < 0 && rc == 0) {
			if (err)
				*err = e;
			rc = -1;
		}
	}
	return rc;
}

/* A findings report: the command's render first, else the writers. */
struct findings_draw {
	const struct hull_output_opts *o;
	const struct hull_findings_input *in;
	hull_output_render_fn render;
	void *ctx;
};

static int draw_findings(void *ctx, const struct hull_output *dst, bool color, struct hull_buf *doc,
                         struct hull_err *err)
{
	const struct findings_draw *d = ctx;
	struct hull_findings_input my = *d->in;
	my.color = color;
	my.show_suppressed = d->o->show_suppressed;
	if (d->o->fail_on_set)
		my.junit_threshold = d->o->fail_on;
	int rc = d->render ? d->render(d->ctx, dst->format, &my, doc, err) : 1;
	if (rc == 1)
		rc = hull_report_findings(dst->format, &my, doc, err);
	return rc;
}

int hull_output_write(const struct hull_output_opts *o, const struct hull_findings_input *in,
                      FILE *out, bool out_is_tty, struct hull_err *err)
{
	return hull_output_write_with(o, in, out, out_is_tty, NULL, NULL, err);
}

int hull_output_write_with(const struct hull_output_opts *o, const struct hull_findings_input *in,
                           FILE *out, bool out_is_tty, hull_output_render_fn render, void *ctx,
                           struct hull_err *err)
{
	struct findings_draw d = {.o = o, .in = in, .render = render, .ctx = ctx};
	return hull_output_write_docs(o, out, out_is_tty, draw_findings, &d, err);
}

int hull_output_status(const struct hull_output_opts *o, const struct hull_findings *list)
{
	if (o->fail_on_set && hull_findings_any_at_least(list, o->fail_on))
		return HULL_EXIT_FINDINGS;
	return HULL_EXIT_OK;
}
