/* version_bench: comparisons per second of one comparator on real version
 * strings. Usage: version_bench ECOSYSTEM FILE (one version a line).
 * Invalid lines are dropped (and counted); every ordered pair of the rest
 * is compared, over and over, for at least half a second. Used by
 * bench/version.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "version/version.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: version_bench ECOSYSTEM FILE\n");
		return 2;
	}
	enum hull_ecosystem eco = HULL_ECO_COUNT;
	for (int e = 0; e < HULL_ECO_COUNT; e++)
		if (!strcmp(argv[1], hull_ecosystem_name((enum hull_ecosystem)e)))
			eco = (enum hull_ecosystem)e;
	FILE *f = fopen(argv[2], "r");
	if (eco == HULL_ECO_COUNT || !f) {
		fprintf(stderr, "version_bench: bad ecosystem or file\n");
		return 2;
	}
	size_t n = 0, cap = 0, invalid = 0;
	char **v = NULL, line[4096];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (hull_version_validate(eco, hull_str_c(line), NULL) < 0) {
			invalid++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
		}
		v[n++] = strdup(line);
	}
	fclose(f);
	if (n < 2) {
		fprintf(stderr, "version_bench: fewer than two valid versions\n");
		return 1;
	}
	struct hull_str *s = malloc(n * sizeof(*s));
	for (size_t i = 0; i < n; i++)
		s[i] = hull_str_c(v[i]);
	/* At most ~2000 x 2000 pairs a round, sampled evenly from big inputs. */
	size_t stride = n > 2000 ? n / 2000 : 1;
	unsigned long long cmps = 0;
	long sum = 0;
	double t0 = now(), t;
	do {
		for (size_t i = 0; i < n; i += stride) {
			for (size_t j = i % stride; j < n; j += stride) {
				int c = 0;
				hull_version_compare(eco, s[i], s[j], &c, NULL);
				sum += c;
				cmps++;
			}
		}
	} while ((t = now() - t0) < 0.5);
	printf("%-7s %6zu versions (%zu invalid dropped) %12.0f comparisons/s  (%llu in %.2f s, "
	       "checksum %ld)\n",
	       argv[1], n, invalid, (double)cmps / t, cmps, t, sum);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(s);
	return 0;
}
