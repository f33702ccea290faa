/* hull sbom: inventory an image or a root filesystem and write an SBOM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "image/cache.h"
#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/sandbox.h"
#include "util/term.h"

struct sbom_args {
	struct hull_output_opts out; /* its formats are the SBOM's (parse_format) */
	const char *target;
	struct hull_image_opts opts;
	struct hull_cli_cache_opts cache;
	struct hull_cli_source_opts src;
	bool quiet;
};

static void usage(void)
{
	printf("usage: hull sbom [OPTIONS] TARGET[:TAG]\n"
	       "TARGET: a file or directory, docker-archive:|oci:|oci-archive:PATH,\n"
	       "        or an image: "
	       "[docker://|podman://|registry://"
	       "]NAME[:TAG|@DIGEST]\n"
	       "  -f, --format F[=FILE]  table|json|cyclonedx|spdx (repeatable: several SBOMs\n"
	       "                         of one inventory)\n"
	       "  -o, --output FILE      where the --format without =FILE goes\n"
	       "  -q, --quiet            no warnings on standard error\n"
	       "  --platform OS/ARCH[/VARIANT], --tag TAG, --max-layer-size SIZE\n"
	       "  --cache-dir DIR, --cache-max SIZE, --no-cache\n" HULL_SOURCE_USAGE);
}

/* The SBOM's format words for the shared --format (cli/output.h). */
static int parse_format(const char *name, unsigned *out, struct hull_err *err)
{
	enum hull_sbom_format f;
	if (hull_sbom_format_parse(name, &f, err) < 0)
		return -1;
	*out = (unsigned)f;
	return 0;
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct sbom_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case 'f': /* -f F: --format F */
		return hull_cli_output_option(HULL_OPT_FORMAT, arg, &a->out, err) < 0 ? -1 : 0;
	case 'q':
		a->quiet = a->cache.quiet = a->src.quiet = true;
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct sbom_args *a)
{
	/* --format and --output are the shared ones (the same spellings,
	 * F=FILE, messages); the words are the SBOM's (parse_format) */
	static const struct option longopts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = "sbom",
	    .shortopts = "f:q",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_DOCUMENTS,
	    .out = &a->out,
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
	if (hull_output_finish(&a->out, isatty(STDOUT_FILENO), &err) < 0) {
		hull_cli_usage_error("sbom", &err);
		return -1;
	}
	return 0;
}

/* One SBOM document per --format, of the one inventory. */
static int draw(void *ctx, const struct hull_output *dst, bool color, struct hull_buf *doc,
                struct hull_err *err)
{
	struct hull_sbom_input in = *(const struct hull_sbom_input *)ctx;
	in.color = color;
	return hull_report_sbom((enum hull_sbom_format)dst->id, &in, doc, err);
}

int hull_cmd_sbom(int argc, char **argv)
{
	struct sbom_args a = {.opts = {.keep = hull_pkgdb_wants,
	                               .probe = &hull_pkgdb_probe,
	                               .keep_version = HULL_PKGDB_KEEP_VERSION}};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	a.out.parse = parse_format;
	if (parse_args(argc, argv, &a) < 0)
		return HULL_EXIT_ERROR;

	struct hull_diag diag;
	struct hull_image *img = NULL;
	struct hull_inventory inv = {0};
	int status = HULL_EXIT_ERROR;
	hull_diag_init(&diag);
	a.opts.cache = hull_cli_cache_open(&a.cache);
	/* nothing below needs exec, a socket, or a file beyond the target,
	 * the cache and the output's directory: a local target is confined
	 * now, a reference once it is fetched (cli/source.h) */
	struct hull_sandbox sb = {0};
	int local = hull_cli_confine_read(&sb, a.target, &err);
	for (size_t i = 0; local >= 0 && i < a.out.nouts; i++)
		if (hull_cli_confine_output(&sb, a.out.outs[i].path, &err) < 0)
			goto out;
	if (local < 0 ||
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
	};
	if (hull_output_write_docs(&a.out, stdout, isatty(STDOUT_FILENO), draw, &in, &err) < 0)
		goto out;
	/* a table on standard output already lists the warnings */
	bool table_on_stdout = false;
	for (size_t i = 0; i < a.out.nouts; i++)
		table_on_stdout |= a.out.outs[i].id == HULL_SBOM_TABLE &&
		                   (!a.out.outs[i].path || !strcmp(a.out.outs[i].path, "-"));
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
	hull_inventory_release(&inv);
	hull_image_free(img);
	hull_layer_cache_close(a.opts.cache);
	hull_diag_release(&diag);
	return status;
}
