/* fuzz_order: the body of every comparator harness. The including file
 * defines FUZZ_ECO (and may define FUZZ_EXTRA(a, b) to exercise a range
 * parser of the same ecosystem).
 *
 * The input is split at '\n' into up to three versions. Whatever the
 * comparator accepts must be totally preordered: cmp(a,a) == 0,
 * cmp(a,b) == -cmp(b,a), <= is transitive on the triple, and equality is
 * an equivalence. compare must refuse exactly what validate refuses. Any
 * violation abort()s so that libFuzzer reports it.
 *
 * FUZZ_TRANSITIVE_OK(v), when defined, limits the two transitivity checks
 * to triples it accepts: Maven's ComparableVersion is itself not
 * transitive on some qualifiers (see fuzz_version_maven.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

static int fz_cmp(struct hull_str a, struct hull_str b, bool *ok)
{
	struct hull_err err;
	int c = 2;
	int rc = hull_version_compare(FUZZ_ECO, a, b, &c, &err);
	bool va = hull_version_validate(FUZZ_ECO, a, NULL) == 0;
	bool vb = hull_version_validate(FUZZ_ECO, b, NULL) == 0;
	if ((rc == 0) != (va && vb))
		abort(); /* compare and validate disagree */
	if (rc == 0 && c != -1 && c != 0 && c != 1)
		abort();
	if (rc < 0 && (err.kind == HULL_ERR_NONE || !err.msg[0]))
		abort(); /* an error must say why */
	*ok = rc == 0;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_str v[3];
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= size && n < 3; i++) {
		if (i == size || data[i] == '\n') {
			v[n++] = hull_str((const char *)data + start, i - start);
			start = i + 1;
		}
	}
	while (n < 3)
		v[n++] = hull_str((const char *)data, 0);
#ifdef FUZZ_EXTRA
	FUZZ_EXTRA(v[0], v[1]);
#endif
	bool transitive_ok = true;
#ifdef FUZZ_TRANSITIVE_OK
	for (int i = 0; i < 3; i++)
		transitive_ok = transitive_ok && FUZZ_TRANSITIVE_OK(v[i]);
#endif
	bool ok[3][3];
	int c[3][3];
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			c[i][j] = fz_cmp(v[i], v[j], &ok[i][j]);
	for (int i = 0; i < 3; i++) {
		if (ok[i][i] && c[i][i] != 0)
			abort(); /* reflexive */
		for (int j = 0; j < 3; j++) {
			if (ok[i][j] && c[i][j] != -c[j][i])
				abort(); /* antisymmetric */
			for (int k = 0; k < 3; k++) {
				if (!ok[i][j] || !ok[j][k] || !transitive_ok)
					continue;
				if (c[i][j] <= 0 && c[j][k] <= 0 && c[i][k] > 0)
					abort(); /* <= transitive */
				if (c[i][j] == 0 && c[i][k] != c[j][k])
					abort(); /* equal elements compare alike */
			}
		}
	}
	return 0;
}
