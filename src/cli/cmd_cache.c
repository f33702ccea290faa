/* hull cache info|clean, and how every scan command finds the layer cache. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
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

int hull_cmd_cache(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cache-dir", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct hull_cli_cache_opts o = {0};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'd') {
			o.dir = optarg;
		} else if (c == 'h') {
			printf("usage: hull cache [--cache-dir DIR] info|clean\n");
			return HULL_EXIT_OK;
		} else {
			hull_cli_error("cache: unknown option '%s'", argv[optind - 1]);
			return HULL_EXIT_ERROR;
		}
	}
	if (optind != argc - 1 || (strcmp(argv[optind], "info") && strcmp(argv[optind], "clean"))) {
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
	int rc = strcmp(argv[optind], "clean") ? 0 : hull_layer_cache_clean(cache, &err);
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
