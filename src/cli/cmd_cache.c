/* hull cache info|clean, and how every scan command finds the layer cache. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "image/cache.h"

/* $HULL_CACHE_DIR, else $XDG_CACHE_HOME/hull/layers, else ~/.cache/hull/layers. */
static const char *default_dir(char *buf, size_t cap)
{
	const char *d = getenv("HULL_CACHE_DIR");
	if (d && *d)
		return d;
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, cap, "%s/hull/layers", xdg);
	else if (home && *home)
		snprintf(buf, cap, "%s/.cache/hull/layers", home);
	else
		return NULL;
	return buf;
}

struct hull_layer_cache *hull_cli_cache_open(const struct hull_cli_cache_opts *o)
{
	char buf[4096];
	if (o->disabled)
		return NULL;
	const char *dir = o->dir ? o->dir : default_dir(buf, sizeof(buf));
	struct hull_layer_cache *c = NULL;
	struct hull_err err = {0};
	if (!dir)
		return NULL;
	if (hull_layer_cache_open(dir, o->max_bytes, &c, &err) < 0) {
		/* a scan never fails for want of a cache */
		if (!o->quiet)
			hull_cli_error("warning: layer cache disabled: %s", err.msg);
		return NULL;
	}
	return c;
}

static void usage(void)
{
	printf("usage: hull cache [--cache-dir DIR] info|clean\n");
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct hull_cli_cache_opts *o = ctx;
	(void)argc, (void)argv, (void)err;
	if (c != 'd')
		return 1;
	o->dir = arg;
	return 0;
}

int hull_cmd_cache(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cache-dir", required_argument, NULL, 'd'},
	    {0},
	};
	struct hull_cli_cache_opts o = {0};
	const struct hull_cli_spec spec = {
	    .cmd = "cache",
	    .longopts = longopts,
	    .usage = usage,
	    .option = one_option,
	    .ctx = &o,
	};
	struct hull_err perr = {0};
	int first = hull_cli_parse(&spec, argc, argv, &perr);
	if (first < 0)
		return hull_cli_usage_error("cache", &perr);
	if (first != argc - 1 || (strcmp(argv[first], "info") && strcmp(argv[first], "clean"))) {
		hull_cli_error("cache: expected 'info' or 'clean'");
		return HULL_EXIT_ERROR;
	}
	struct hull_layer_cache *cache = hull_cli_cache_open(&o);
	if (!cache) {
		hull_cli_error("cache: no cache directory (set HULL_CACHE_DIR or HOME)");
		return HULL_EXIT_ERROR;
	}
	struct hull_err err = {0};
	struct hull_cache_info info;
	int rc = strcmp(argv[first], "clean") ? 0 : hull_layer_cache_clean(cache, &err);
	if (rc == 0)
		rc = hull_layer_cache_info(cache, &info, &err);
	char buf[4096];
	const char *dir = o.dir ? o.dir : default_dir(buf, sizeof(buf));
	hull_layer_cache_close(cache);
	if (rc < 0) {
		hull_cli_error("cache: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	printf("directory: %s\nentries:   %" PRIu64 "\nsize:      %.1f MiB of %.1f MiB\n", dir,
	       info.entries, (double)info.bytes / 1048576.0, (double)info.max_bytes / 1048576.0);
	return HULL_EXIT_OK;
}
