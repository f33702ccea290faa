/* hull sbom: inventory an image or a root filesystem and write an SBOM. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "image/cache.h"
#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/sandbox.h"
#include "util/term.h"

#define MAX_REPORT_BYTES (1u << 30)

struct sbom_args {
	const char *format;
	const char *output;
	const char *target;
	struct hull_image_opts opts;
	struct hull_cli_cache_opts cache;
	struct hull_cli_source_opts src;
	bool quiet;
};

static void usage(void)
{
	printf("usage: hull sbom [--format table|json|cyclonedx|spdx] [--output "
	       "FILE]\n"
	       "                 [--platform OS/ARCH[/VARIANT]] [--tag TAG]\n"
	       "                 [--max-layer-size SIZE] [--quiet]\n"
	       "                 [--cache-dir DIR] [--cache-max SIZE] [--no-cache] "
	       "TARGET[:TAG]\n"
	       "TARGET: a file or directory, docker-archive:|oci:|oci-archive:PATH,\n"
	       "        or an image: "
	       "[docker://|podman://|registry://"
	       "]NAME[:TAG|@DIGEST]\n" HULL_SOURCE_USAGE);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct sbom_args *a = ctx;
	(void)argc, (void)argv, (void)err;
	switch (c) {
	case 'f':
		a->format = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case 'q':
		a->quiet = a->cache.quiet = a->src.quiet = true;
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct sbom_args *a)
{
	/* an SBOM's formats are not the findings formats: --format and
	 * --output are the command's own */
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "sbom",
	    .shortopts = "f:o:q",
	    .longopts = longopts,
	    .image = true,
	    .usage = usage,
	    .option = one_option,
	    .ctx = a,
	    .img = &a->opts,
	    .cache = &a->cache,
	    .src = &a->src,
	};
	struct hull_err err = {0};
	int first = hull_cli_parse(&spec, argc, argv, &err);
	if (first < 0) {
		hull_cli_usage_error("sbom", &err);
		return -1;
	}
	if (first != argc - 1) {
		hull_cli_error("sbom: expected one TARGET (an image archive, an OCI layout or a "
		               "directory), got %d",
		               argc - first);
		return -1;
	}
	a->target = argv[first];
	if (!a->format)
		a->format = (!a->output && isatty(STDOUT_FILENO)) ? "table" : "json";
	return 0;
}

static int write_out(const char *output, const struct hull_buf *doc, struct hull_err *err)
{
	if (output && strcmp(output, "-") != 0)
		return hull_fs_write_atomic(output, doc->data, doc->len, err);
	if (fwrite(doc->data, 1, doc->len, stdout) != doc->len || fflush(stdout) != 0)
		return hull_err_errno(err, errno, "standard output");
	return 0;
}

int hull_cmd_sbom(int argc, char **argv)
{
	struct sbom_args a = {.opts = {.keep = hull_pkgdb_wants,
	                               .probe = &hull_pkgdb_probe,
	                               .keep_version = HULL_PKGDB_KEEP_VERSION}};
	struct hull_err err = {0};
	enum hull_sbom_format fmt;
	if (parse_args(argc, argv, &a) < 0)
		return HULL_EXIT_ERROR;
	if (hull_sbom_format_parse(a.format, &fmt, &err) < 0) {
		hull_err_wrap(&err, "--format");
		return hull_cli_usage_error("sbom", &err);
	}

	struct hull_diag diag;
	struct hull_image *img = NULL;
	struct hull_inventory inv = {0};
	struct hull_buf doc;
	int status = HULL_EXIT_ERROR;
	hull_diag_init(&diag);
	hull_buf_init(&doc, MAX_REPORT_BYTES);
	a.opts.cache = hull_cli_cache_open(&a.cache);
	/* nothing below needs exec, a socket, or a file beyond the target,
	 * the cache and the output's directory: a local target is confined
	 * now, a reference once it is fetched (cli/source.h) */
	struct hull_sandbox sb = {0};
	int local = hull_cli_confine_read(&sb, a.target, &err);
	if (local < 0 || hull_cli_confine_output(&sb, a.output, &err) < 0 ||
	    hull_sandbox_allow_write(&sb, hull_layer_cache_dir(a.opts.cache), &err) < 0 ||
	    (local == 0 && hull_cli_confine("sbom", &sb, &err) < 0))
		goto out;
	if (local == 1) {
		a.src.sandbox = &sb;
		a.src.cmd = "sbom";
	}
	if (hull_cli_open_image(a.target, &a.opts, &a.src, &img, &diag, &err) < 0 ||
	    hull_inventory_collect(img->files, &inv, &diag, &err) < 0)
		goto out;
	struct hull_sbom_input in = {
	    .image = img,
	    .inv = &inv,
	    .diag = &diag,
	    .now = time(NULL),
	    .color =
	        fmt == HULL_SBOM_TABLE && !a.output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"),
	};
	if (hull_report_sbom(fmt, &in, &doc, &err) < 0 || write_out(a.output, &doc, &err) < 0)
		goto out;
	bool table_on_stdout = fmt == HULL_SBOM_TABLE && (!a.output || !strcmp(a.output, "-"));
	if (!a.quiet && !table_on_stdout) {
		for (size_t i = 0; i < diag.n; i++) {
			fputs("hull: warning: ", stderr);
			hull_term_fputs(stderr, diag.msgs[i]);
			fputc('\n', stderr);
		}
		if (diag.dropped)
			fprintf(stderr, "hull: warning: %zu more warnings not shown\n",
			        diag.dropped);
	}
	status = HULL_EXIT_OK;
out:
	if (status != HULL_EXIT_OK)
		hull_cli_error("%s", err.msg);
	hull_buf_release(&doc);
	hull_inventory_release(&inv);
	hull_image_free(img);
	hull_layer_cache_close(a.opts.cache);
	hull_diag_release(&diag);
	return status;
}
