/* vercmp: a tiny driver for cross-checks. Usage: vercmp ECOSYSTEM
 * Reads "a<TAB>b" lines on stdin and prints -1, 0 or 1 per line (or
 * "error: <message>"), so that one process answers thousands of pairs.
 * "vercmp npm-range" reads "range<TAB>version<TAB>flags" lines and prints
 * 1 (satisfies), 0 (does not) or -1 (invalid range). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vercmp dpkg|apk|rpm|semver|pep440|go|maven\n");
		return 2;
	}
	char line[8192];
	if (!strcmp(argv[1], "npm-range")) {
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\n")] = '\0';
			char *f[3] = {line, NULL, NULL};
			for (int k = 1; k < 3; k++) {
				f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
				if (f[k])
					*f[k]++ = '\0';
			}
			bool sat = false;
			int rc = f[2] ? hull_npm_range_satisfies(hull_str_c(f[0]), hull_str_c(f[1]),
			                                         (unsigned)atoi(f[2]), &sat, NULL)
			              : -1;
			printf("%d\n", rc < 0 ? -1 : sat);
		}
		return 0;
	}
	enum hull_ecosystem eco = HULL_ECO_COUNT;
	for (int e = 0; e < HULL_ECO_COUNT; e++)
		if (!strcmp(argv[1], hull_ecosystem_name((enum hull_ecosystem)e)))
			eco = (enum hull_ecosystem)e;
	if (eco == HULL_ECO_COUNT) {
		fprintf(stderr, "vercmp: unknown ecosystem %s\n", argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab) {
			printf("error: no tab\n");
			continue;
		}
		*tab = '\0';
		struct hull_err err = {0};
		int c;
		if (hull_version_compare(eco, hull_str_c(line), hull_str_c(tab + 1), &c, &err) < 0)
			printf("error: %s\n", err.msg);
		else
			printf("%d\n", c);
	}
	return 0;
}
