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

#include <stdio.h>

/* Writes s with control characters replaced by '?'. */
void hull_cli_puts_safe(FILE *out, const char *s);

/* Prints "hull: " and the message (made terminal-safe) to stderr. */
void hull_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int hull_cmd_sbom(int argc, char **argv);

#endif
