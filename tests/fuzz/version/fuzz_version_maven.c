/* fuzz_version_maven: total-order check of the maven comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_MAVEN

#include <stdbool.h>
#include <string.h>

#include "version/version.h"

/* Maven's ComparableVersion is not transitive once a qualifier that sorts
 * after the release ("sp" or an unknown word) meets a sub-list in the
 * other version: "1.i-rc1" < "1.0-cr3" < "1.0.GA" yet "1.i-rc1" > "1.0.GA"
 * (found by this harness; StringItem vs ListItem is always -1, StringItem
 * vs nothing is +1 for such qualifiers). hull replays Maven exactly, so
 * transitivity is checked only on versions made of digits, '.', '-' and
 * the words that sort at or before the release (any other byte, such as
 * '*' or '_', makes an unknown qualifier). */
static bool conventional(struct hull_str v)
{
	static const char *const known[] = {"alpha",    "beta", "milestone", "rc",     "cr",
	                                    "snapshot", "ga",   "final",     "release"};
	for (size_t i = 0; i < v.len;) {
		char c = v.ptr[i] | 0x20;
		if ((v.ptr[i] >= '0' && v.ptr[i] <= '9') || v.ptr[i] == '.' || v.ptr[i] == '-') {
			i++;
			continue;
		}
		if (c < 'a' || c > 'z' || (unsigned char)v.ptr[i] >= 0x80)
			return false;
		size_t st = i;
		while (i < v.len && ((v.ptr[i] | 0x20) >= 'a' && (v.ptr[i] | 0x20) <= 'z') &&
		       (unsigned char)v.ptr[i] < 0x80)
			i++;
		bool digit_next = i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9';
		size_t n = i - st;
		bool ok = n == 1 && digit_next && strchr("abm", v.ptr[st] | 0x20);
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]) && !ok; k++) {
			if (strlen(known[k]) != n)
				continue;
			ok = true;
			for (size_t j = 0; j < n; j++)
				ok = ok && (v.ptr[st + j] | 0x20) == known[k][j];
		}
		if (!ok)
			return false;
	}
	return true;
}
#define FUZZ_TRANSITIVE_OK(v) conventional(v)

#include "fuzz_order.h"
