/* cli: the command table and what commands share. Only cli/ and server/
 * print or exit. Exit status: 0 success, 1 findings at or above the
 * threshold (later commands), 2 error (bad input, bad usage). */
#ifndef HULL_CLI_CLI_H
#define HULL_CLI_CLI_H

#define HULL_EXIT_OK       0
#define HULL_EXIT_FINDINGS 1
#define HULL_EXIT_ERROR    2

struct hull_command {
	const char *name;
	const char *usage;   /* one line of arguments */
	const char *summary; /* one line */
	int (*run)(int argc, char **argv);
};

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Prints "hull: " and the message (made terminal-safe, util/term.h) to
 * stderr. */
void hull_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The layer cache every image-reading command uses. */
struct hull_layer_cache;
struct hull_cli_cache_opts {
	const char *dir;    /* NULL: $HULL_CACHE_DIR, $XDG_CACHE_HOME/hull/layers, ~/.cache/... */
	uint64_t max_bytes; /* 0: the default (512 MiB) */
	bool disabled;      /* --no-cache */
	bool quiet;
};
/* Opens it, or returns NULL (with a warning unless quiet) when it cannot
 * be used: scans go on without it. */
struct hull_layer_cache *hull_cli_cache_open(const struct hull_cli_cache_opts *o);

/* Self-protection of the scanning commands (util/sandbox.h, confine.c).
 * A command lists what it reads (_read: a file or directory; TARGET:TAG
 * also allows the path before the tag) and the files it writes (_output:
 * their directory becomes writable), then calls hull_cli_confine once
 * everything that needs a socket or a process is done. Each returns 0, or
 * -1 with err filled; _read returns 1 for a path that is not on this
 * machine (a reference the command fetches: it is not confined). HULL_NO_SANDBOX=1 skips it;
 * HULL_DEBUG=1 prints what was applied. */
struct hull_sandbox;
struct hull_err;
int hull_cli_confine_read(struct hull_sandbox *sb, const char *path, struct hull_err *err);
int hull_cli_confine_output(struct hull_sandbox *sb, const char *file, struct hull_err *err);
int hull_cli_confine(const char *cmd, const struct hull_sandbox *sb, struct hull_err *err);

int hull_cmd_sbom(int argc, char **argv);
int hull_cmd_cache(int argc, char **argv);
int hull_cmd_image(int argc, char **argv);
int hull_cmd_rootfs(int argc, char **argv);
int hull_cmd_sbom_scan(int argc, char **argv);
int hull_cmd_db(int argc, char **argv);
int hull_cmd_config(int argc, char **argv);
int hull_cmd_serve(int argc, char **argv);
int hull_cmd_network(int argc, char **argv);
int hull_cmd_host(int argc, char **argv);
int hull_cmd_runtime(int argc, char **argv);
int hull_cmd_store(int argc, char **argv);
int hull_cmd_fleet(int argc, char **argv);
int hull_cmd_scan(int argc, char **argv);
/* The vulnerability database path: opt, else $HULL_DB, else
 * $XDG_CACHE_HOME/hull/db.sqlite, else ~/.cache/hull/db.sqlite. */
const char *hull_cli_db_path(const char *opt, char *buf, size_t cap);

#endif
