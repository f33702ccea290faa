/* output: the report options every scan command shares, and its exit code.
 *
 * `hull image`, `hull rootfs`, `hull sbom-scan` and `hull config` take the
 * same options, parsed here so they behave the same everywhere:
 *
 *   --format F          one document in format F (table, json, sarif, junit,
 *                       markdown, cyclonedx) to --output or standard output
 *   --format F=FILE     one more document, to FILE ("-" is standard output);
 *                       repeat for several documents from one scan
 *   --output FILE       where the --format without "=FILE" goes
 *   --severity LIST     report only these severities (comma-separated)
 *   --fail-on SEVERITY  exit 1 when an unsuppressed finding at or above it
 *                       remains after filtering
 *   --show-suppressed   list suppressed findings in table, markdown, junit
 *
 * A command parses its own arguments with getopt and hands these option
 * values to the hull_output_* setters, then after the scan calls
 * hull_output_filter, hull_output_write and hull_output_status. Nothing
 * here prints: errors come back in a hull_err for the command to report.
 *
 * Exit status (cli.h): 0 done, nothing at or above --fail-on (or no
 * --fail-on); 1 (HULL_EXIT_FINDINGS) an unsuppressed finding at or above
 * --fail-on; 2 (HULL_EXIT_ERROR) any error, including a failed write. */
#ifndef HULL_CLI_OUTPUT_H
#define HULL_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/findings.h"
#include "util/err.h"

#define HULL_OUTPUT_MAX     16         /* --format options in one run */
#define HULL_OUTPUT_DOC_MAX (1u << 30) /* bytes of one document */

struct hull_output {
	enum hull_findings_format format; /* the findings formats (parse NULL) */
	unsigned id;        /* the format's number in the command's words (parse); = format */
	char name[16];      /* the findings format's name, or the command's word as given */
	const char *path;   /* borrowed (argv); NULL or "-": standard output */
	bool explicit_path; /* given as F=FILE */
};

/* A command whose documents are not findings reports (hull sbom: table,
 * json, cyclonedx, spdx) names its own format words: 0 and *out its number
 * for name, else HULL_ERR_USAGE "unknown format 'X' (choose ...)". It must
 * know "table" and "json" (the defaults). */
typedef int (*hull_output_parse_fn)(const char *name, unsigned *out, struct hull_err *err);

struct hull_output_opts {
	struct hull_output outs[HULL_OUTPUT_MAX];
	size_t nouts;
	const char *output; /* --output FILE; borrowed */
	bool fail_on_set;
	enum hull_severity fail_on;
	bool severity_set;
	bool severities[HULL_SEV_COUNT]; /* with severity_set: the ones reported */
	bool show_suppressed;
	hull_output_parse_fn parse; /* NULL: the findings formats; set after init */
};

void hull_output_init(struct hull_output_opts *o);

/* --format F or F=FILE. arg is borrowed and must outlive o (argv).
 * HULL_ERR_USAGE for an unknown format, an empty FILE, or more than
 * HULL_OUTPUT_MAX formats. */
int hull_output_add_format(struct hull_output_opts *o, const char *arg, struct hull_err *err);
/* --output FILE (given twice: the last wins, as getopt users expect). */
int hull_output_set_file(struct hull_output_opts *o, const char *path, struct hull_err *err);
/* --fail-on SEVERITY (hull_severity_parse's words). */
int hull_output_set_fail_on(struct hull_output_opts *o, const char *arg, struct hull_err *err);
/* --severity LIST: comma-separated severity words, e.g. "CRITICAL,HIGH";
 * repeated options add up. Empty items are an error. */
int hull_output_set_severity(struct hull_output_opts *o, const char *list, struct hull_err *err);

/* Ends option parsing: without any --format, one document in the default
 * format (table on a terminal, json otherwise: stdout_is_tty says which)
 * goes to --output or standard output. Fails with HULL_ERR_USAGE when two
 * documents would go to the same place (two to standard output, or one
 * FILE named twice) or when --output is given with only F=FILE formats
 * (it would be ignored). */
int hull_output_finish(struct hull_output_opts *o, bool stdout_is_tty, struct hull_err *err);

/* Applies --severity: releases the findings of other severities. Returns
 * how many were dropped. Without --severity, does nothing. */
size_t hull_output_filter(const struct hull_output_opts *o, struct hull_findings *list);
/* The same for list->items[from..]: for a command that filters each
 * input's findings as it goes, so memory follows what is reported. */
size_t hull_output_filter_from(const struct hull_output_opts *o, struct hull_findings *list,
                               size_t from);

/* Renders in (read only) in each format and writes every document: a
 * FILE atomically (hull_fs_write_atomic: a failed run leaves no partial
 * file), standard output to `out` (stdout in commands; tests pass a file).
 * For each document: colour only for a table going to a terminal
 * (out_is_tty) with NO_COLOR unset; show_suppressed from the options;
 * junit's threshold is --fail-on when given, else in->junit_threshold.
 * Every document is rendered and written even when one fails; the first
 * error is returned (with the format and file in its message). */
int hull_output_write(const struct hull_output_opts *o, const struct hull_findings_input *in,
                      FILE *out, bool out_is_tty, struct hull_err *err);

/* A command's own drawing of a format (hull network's table and JSON
 * carry its graph): appends the document to doc and returns 0, or -1
 * with err set; returns 1 to leave the format to the report writers. */
typedef int (*hull_output_render_fn)(void *ctx, enum hull_findings_format f,
                                     const struct hull_findings_input *in, struct hull_buf *doc,
                                     struct hull_err *err);
/* hull_output_write, with render asked first for every document. */
int hull_output_write_with(const struct hull_output_opts *o, const struct hull_findings_input *in,
                           FILE *out, bool out_is_tty, hull_output_render_fn render, void *ctx,
                           struct hull_err *err);

/* The general step under hull_output_write: every document of o drawn by
 * draw (color: a table to a terminal with NO_COLOR unset), then written as
 * hull_output_write writes them, the others still written when one fails;
 * the first error is returned naming the format and file. For a command
 * with its own format words (parse), which has no findings. */
typedef int (*hull_output_draw_fn)(void *ctx, const struct hull_output *dst, bool color,
                                   struct hull_buf *doc, struct hull_err *err);
int hull_output_write_docs(const struct hull_output_opts *o, FILE *out, bool out_is_tty,
                           hull_output_draw_fn draw, void *ctx, struct hull_err *err);

/* HULL_EXIT_FINDINGS when --fail-on was given and an unsuppressed finding
 * at or above it is in list, else HULL_EXIT_OK. */
int hull_output_status(const struct hull_output_opts *o, const struct hull_findings *list);

#endif
