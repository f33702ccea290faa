/* test_vectors: every row of the version vectors in
 * $HULL_SHARED/data/version-vectors (apk, dpkg, rpm, node-semver, PEP 440),
 * read in place. One TAP point per file; each failing row is printed as a
 * "# row" diagnostic with both operands. */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/str.h"
#include "version/version.h"

struct table {
	char *data;
	size_t len;
};

static bool load(const char *rel, struct table *t)
{
	const char *path = tap_shared(rel);
	if (!path)
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	t->data = malloc((size_t)n + 1);
	t->len = fread(t->data, 1, (size_t)n, f);
	t->data[t->len] = '\0';
	fclose(f);
	return true;
}

/* Splits a TSV line into at most max fields (NUL-terminated in place). */
static int fields(char *line, char **out, int max)
{
	int n = 0;
	out[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			out[n++] = p + 1;
		}
	}
	return n;
}

static char *next_line(char **cur)
{
	if (!**cur)
		return NULL;
	char *line = *cur, *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cur = nl + 1;
	} else {
		*cur = line + strlen(line);
	}
	size_t l = strlen(line);
	if (l && line[l - 1] == '\r')
		line[l - 1] = '\0';
	return line;
}

static struct hull_str S(const char *s) {
	return hull_str_c(s);
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* ---- apk version.data --------------------------------------------------- */

static void test_apk(void)
{
	struct table t;
	if (!load("version-vectors/apk/version.data", &t)) {
		return;
	}
	int lines = 0, rows = 0, bad = 0, cmp_rows = 0, valid_rows = 0, strict_checked = 0;
	char *cur = t.data, *line;
	while ((line = next_line(&cur))) {
		lines++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *tok[4];
		int n = 0;
		for (char *p = strtok(line, " \t"); p && n < 4; p = strtok(NULL, " \t"))
			tok[n++] = p;
		if (n == 0)
			continue;
		rows++;
		bool ok;
		if (n == 3) {
			cmp_rows++;
			const char *op = tok[1];
			bool invert = op[0] == '!';
			if (invert)
				op++;
			unsigned mask = 0;
			bool fuzzy = false;
			for (const char *p = op; *p; p++) {
				mask |= *p == '<' ? 1u : *p == '>' ? 4u : 2u;
				fuzzy |= *p == '~';
			}
			int r = hull_apk_compare_raw(S(tok[0]), S(tok[2]), fuzzy);
			ok = ((1u << (r + 1)) & mask) != 0;
			if (invert)
				ok = !ok;
			/* The strict API agrees on valid operands and refuses invalid ones. */
			struct hull_err err = {0};
			int c = 0;
			bool va = hull_version_validate(HULL_ECO_APK, S(tok[0]), NULL) == 0;
			bool vb = hull_version_validate(HULL_ECO_APK, S(tok[2]), NULL) == 0;
			int rc = hull_version_compare(HULL_ECO_APK, S(tok[0]), S(tok[2]), &c, &err);
			if (va && vb && !fuzzy) {
				strict_checked++;
				if (rc < 0 ||
				    c != hull_apk_compare_raw(S(tok[0]), S(tok[2]), false))
					ok = false;
			} else if (!(va && vb) && rc == 0) {
				ok = false;
			}
			if (!ok)
				printf("# row line %d: '%s' %s '%s' (apk=%d, strict rc=%d cmp=%d "
				       "%s)\n",
				       lines, tok[0], tok[1], tok[2], r, rc, c, err.msg);
		} else if (n == 1) {
			valid_rows++;
			const char *v = tok[0];
			bool invert = v[0] == '!';
			if (invert)
				v++;
			struct hull_err err = {0};
			ok = hull_version_validate(HULL_ECO_APK, S(v), &err) == 0;
			if (invert)
				ok = !ok;
			if (!ok)
				printf("# row line %d: validity of '%s' (%s)\n", lines, tok[0],
				       err.msg);
		} else {
			ok = false;
			printf("# row line %d: cannot parse row\n", lines);
		}
		bad += !ok;
	}
	TAP_OK(bad == 0 && rows == 785,
	       "apk version.data: %d lines, %d rows (%d comparisons, %d strict, %d validity), %d "
	       "failed",
	       lines, rows, cmp_rows, strict_checked, valid_rows, bad);
	free(t.data);
}

/* ---- dpkg ------------------------------------------------------------- */

/* Rows of Dpkg_Version.t (an older dpkg) that today's dpkg rejects: dpkg
 * 1.21 (C and Perl alike) says "version number is empty" for "-0.6.5",
 * and so does dpkg-parse.tsv ("-0" is an error). hull follows parseversion;
 * the row is checked to be refused, not silently ordered. */
static const char *const dpkg_rejected[] = {"-0.6.5"};

static bool dpkg_is_rejected(const char *v)
{
	for (size_t i = 0; i < sizeof(dpkg_rejected) / sizeof(dpkg_rejected[0]); i++)
		if (!strcmp(v, dpkg_rejected[i]))
			return true;
	return false;
}

static void test_dpkg_compare(void)
{
	struct table t;
	if (!load("version-vectors/dpkg/dpkg-compare.tsv", &t)) {
		return;
	}
	int rows = 0, bad = 0, rejected = 0;
	char *cur = t.data, *line = next_line(&cur); /* header */
	while ((line = next_line(&cur))) {
		char *f[4];
		if (!*line || fields(line, f, 4) < 3)
			continue;
		rows++;
		struct hull_err err = {0};
		int c = 9, c2 = 9;
		if (dpkg_is_rejected(f[0]) || dpkg_is_rejected(f[1])) {
			int rc = hull_version_compare(HULL_ECO_DPKG, S(f[0]), S(f[1]), &c, &err);
			printf("# note: '%s' vs '%s' (expected %s in an older dpkg): %s\n", f[0],
			       f[1], f[2], rc < 0 ? err.msg : "accepted");
			bad += rc == 0;
			rejected++;
			continue;
		}
		int rc = hull_version_compare(HULL_ECO_DPKG, S(f[0]), S(f[1]), &c, &err);
		int rc2 = hull_version_compare(HULL_ECO_DPKG, S(f[1]), S(f[0]), &c2, &err);
		bool ok = rc == 0 && rc2 == 0 && c == -c2;
		if (!strcmp(f[2], "nonzero"))
			ok = ok && c != 0;
		else
			ok = ok && c == atoi(f[2]);
		if (!ok)
			printf("# row: '%s' vs '%s' expected %s got %d (rc %d %s)\n", f[0], f[1],
			       f[2], c, rc, err.msg);
		bad += !ok;
	}
	TAP_OK(bad == 0 && rows == 58,
	       "dpkg-compare.tsv: %d rows (%d rejected as today's dpkg does), %d failed", rows,
	       rejected, bad);
	free(t.data);
}

static void test_dpkg_parse(void)
{
	struct table t;
	if (!load("version-vectors/dpkg/dpkg-parse.tsv", &t)) {
		return;
	}
	int rows = 0, bad = 0;
	char *cur = t.data, *line = next_line(&cur);
	while ((line = next_line(&cur))) {
		char *f[6] = {0};
		if (!*line || fields(line, f, 6) < 2)
			continue;
		rows++;
		json_object *j = json_tokener_parse(f[0]);
		const char *in = j ? json_object_get_string(j) : "";
		size_t inlen = j ? (size_t)json_object_get_string_len(j) : 0;
		struct hull_dpkg_version v;
		struct hull_err err = {0};
		int rc = hull_dpkg_parse(hull_str(in, inlen), &v, &err);
		bool ok;
		if (!strcmp(f[1], "error")) {
			ok = rc < 0;
		} else if (!strcmp(f[1], "warning")) {
			ok = rc == 0 && v.warning != NULL;
		} else {
			char ep[16];
			snprintf(ep, sizeof(ep), "%u", rc == 0 ? v.epoch : 0);
			ok = rc == 0 && !v.warning && !strcmp(ep, f[2]) &&
			     hull_str_eq_c(v.upstream, f[3]) &&
			     hull_str_eq_c(v.revision, f[4] ? f[4] : "");
		}
		if (!ok)
			printf("# row: %s expected %s (%s|%s|%s) got rc=%d warning=%s %s\n", f[0],
			       f[1], f[2] ? f[2] : "", f[3] ? f[3] : "", f[4] ? f[4] : "", rc,
			       rc == 0 && v.warning ? v.warning : "-", err.msg);
		bad += !ok;
		json_object_put(j);
	}
	TAP_OK(bad == 0 && rows == 79, "dpkg-parse.tsv: %d rows, %d failed", rows, bad);
	free(t.data);
}

/* ---- rpm -------------------------------------------------------------- */

static void test_rpm(void)
{
	struct table t;
	if (!load("version-vectors/rpm/rpmvercmp.tsv", &t)) {
		return;
	}
	int rows = 0, bad = 0, strict = 0;
	char *cur = t.data, *line = next_line(&cur);
	while ((line = next_line(&cur))) {
		char *f[4];
		if (!*line || fields(line, f, 4) < 3)
			continue;
		rows++;
		int want = atoi(f[2]);
		int got = hull_rpmvercmp(S(f[0]), S(f[1]));
		bool ok = got == want && hull_rpmvercmp(S(f[1]), S(f[0])) == -want;
		/* Through the EVR comparator too, when both are valid rpm versions. */
		int c = 9;
		if (hull_version_validate(HULL_ECO_RPM, S(f[0]), NULL) == 0 &&
		    hull_version_validate(HULL_ECO_RPM, S(f[1]), NULL) == 0) {
			strict++;
			ok = ok &&
			     hull_version_compare(HULL_ECO_RPM, S(f[0]), S(f[1]), &c, NULL) == 0 &&
			     c == want;
		}
		if (!ok)
			printf("# row: '%s' vs '%s' (%s) expected %d got %d (evr %d)\n", f[0], f[1],
			       f[3], want, got, c);
		bad += !ok;
	}
	TAP_OK(bad == 0 && rows == 97, "rpmvercmp.tsv: %d rows (%d also as EVR), %d failed", rows,
	       strict, bad);
	free(t.data);
}

/* ---- node-semver ------------------------------------------------------ */

static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && (r[1] == 't' || r[1] == 'n' || r[1] == '\\')) {
			*w++ = r[1] == 't' ? '\t' : r[1] == 'n' ? '\n' : '\\';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static unsigned semver_flags(char **f, int n)
{
	unsigned fl = 0;
	if (n > 4 && !strcmp(f[4], "true"))
		fl |= HULL_SEMVER_LOOSE;
	if (n > 5 && !strcmp(f[5], "true"))
		fl |= HULL_SEMVER_INCLUDE_PRERELEASE;
	return fl;
}

static void test_semver_cmp(const char *file, bool equal, int expect_rows)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "version-vectors/semver-npm/%s", file);
	struct table t;
	if (!load(rel, &t)) {
		return;
	}
	int rows = 0, bad = 0;
	char *cur = t.data, *line = next_line(&cur);
	while ((line = next_line(&cur))) {
		char *f[6] = {0};
		int n = fields(line, f, 6);
		if (n < 3)
			continue;
		rows++;
		unescape(f[0]);
		unescape(f[1]);
		unsigned fl = semver_flags(f, n);
		struct hull_semver a, b;
		struct hull_err err = {0};
		bool ok = hull_semver_parse(S(f[0]), fl, &a, &err) == 0 &&
		          hull_semver_parse(S(f[1]), fl, &b, &err) == 0;
		int c = ok ? hull_semver_cmp(&a, &b) : 9, c2 = ok ? hull_semver_cmp(&b, &a) : 9;
		ok = ok && (equal ? (c == 0 && c2 == 0) : (c == 1 && c2 == -1));
		ok = ok && hull_semver_cmp(&a, &a) == 0 && hull_semver_cmp(&b, &b) == 0;
		if (!ok)
			printf("# row: '%s' vs '%s' %s loose=%d: got %d/%d %s\n", f[0], f[1], f[2],
			       !!(fl & HULL_SEMVER_LOOSE), c, c2, err.msg);
		bad += !ok;
	}
	TAP_OK(bad == 0 && rows == expect_rows, "%s: %d rows, %d failed", file, rows, bad);
	free(t.data);
}

static void test_semver_range(const char *file, bool include, int expect_rows)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "version-vectors/semver-npm/%s", file);
	struct table t;
	if (!load(rel, &t)) {
		return;
	}
	int rows = 0, bad = 0, invalid_ranges = 0;
	char *cur = t.data, *line = next_line(&cur);
	while ((line = next_line(&cur))) {
		char *f[6] = {0};
		int n = fields(line, f, 6);
		if (n < 3)
			continue;
		rows++;
		unescape(f[0]);
		unescape(f[1]);
		unsigned fl = semver_flags(f, n);
		bool sat = false;
		struct hull_err err = {0};
		int rc;
		if (!strncmp(f[1], "<JS ", 4)) {
			/* a non-string version: node-semver answers false; hull has
			 * only strings, so check that this text is no version */
			rc = 0;
			sat = hull_semver_parse(S(f[1]), fl, &(struct hull_semver){0}, NULL) == 0;
		} else {
			rc = hull_npm_range_satisfies(S(f[0]), S(f[1]), fl, &sat, &err);
		}
		/* semver.satisfies() is false for an invalid range */
		if (rc < 0) {
			invalid_ranges++;
			printf("# note: range '%s' is invalid: %s\n", f[0], err.msg);
			sat = false;
		}
		bool ok = sat == include;
		if (!ok)
			printf("# row: range '%s' version '%s' flags=%u expected %s got %s\n", f[0],
			       f[1], fl, include ? "satisfies" : "excluded",
			       sat ? "satisfies" : "excluded");
		bad += !ok;
	}
	TAP_OK(bad == 0 && rows == expect_rows, "%s: %d rows (%d invalid ranges), %d failed", file,
	       rows, invalid_ranges, bad);
	free(t.data);
}

/* ---- PEP 440 ---------------------------------------------------------- */

static void test_pep440_sorted(void)
{
	struct table t;
	if (!load("version-vectors/pep440/sorted-versions.txt", &t)) {
		return;
	}
	char *v[256];
	int n = 0, bad = 0, pairs = 0;
	char *cur = t.data, *line;
	while ((line = next_line(&cur)) && n < 256) {
		if (*line && *line != '#')
			v[n++] = line;
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			int c = 9;
			struct hull_err err = {0};
			int rc = hull_version_compare(HULL_ECO_PEP440, S(v[i]), S(v[j]), &c, &err);
			int want = sign(i - j);
			pairs++;
			if (rc < 0 || c != want) {
				bad++;
				printf("# row: '%s' vs '%s' expected %d got %d %s\n", v[i], v[j],
				       want, c, err.msg);
			}
		}
	}
	TAP_OK(bad == 0 && n == 92,
	       "pep440 sorted-versions.txt: %d versions, %d ordered pairs, %d failed", n, pairs,
	       bad);
	free(t.data);
}

static void test_pep440_invalid(void)
{
	struct table t;
	if (!load("version-vectors/pep440/invalid-versions.jsonl", &t)) {
		return;
	}
	int rows = 0, bad = 0;
	char *cur = t.data, *line;
	while ((line = next_line(&cur))) {
		if (!*line)
			continue;
		rows++;
		json_object *j = json_tokener_parse(line);
		struct hull_err err = {0};
		int rc = hull_version_validate(
		    HULL_ECO_PEP440,
		    hull_str(json_object_get_string(j), (size_t)json_object_get_string_len(j)),
		    &err);
		if (rc == 0) {
			bad++;
			printf("# row: %s accepted\n", line);
		}
		json_object_put(j);
	}
	TAP_OK(bad == 0 && rows == 20, "pep440 invalid-versions.jsonl: %d rows, %d failed", rows,
	       bad);
	free(t.data);
}

static void test_pep440_normalize(void)
{
	struct table t;
	if (!load("version-vectors/pep440/normalize.jsonl", &t)) {
		return;
	}
	int rows = 0, bad = 0;
	char *cur = t.data, *line;
	while ((line = next_line(&cur))) {
		if (!*line)
			continue;
		rows++;
		json_object *j = json_tokener_parse(line), *in = NULL, *want = NULL;
		json_object_object_get_ex(j, "input", &in);
		json_object_object_get_ex(j, "normalized", &want);
		char out[256];
		struct hull_err err = {0};
		int rc = hull_pep440_normalize(
		    hull_str(json_object_get_string(in), (size_t)json_object_get_string_len(in)),
		    out, sizeof(out), &err);
		/* and the normalised form is equal to the input in the order */
		int c = 9;
		if (rc == 0)
			hull_version_compare(HULL_ECO_PEP440,
			                     hull_str(json_object_get_string(in),
			                              (size_t)json_object_get_string_len(in)),
			                     S(out), &c, NULL);
		if (rc < 0 || strcmp(out, json_object_get_string(want)) || c != 0) {
			bad++;
			printf("# row: %s got '%s' %s\n", line, rc == 0 ? out : "", err.msg);
		}
		json_object_put(j);
	}
	TAP_OK(bad == 0 && rows == 102, "pep440 normalize.jsonl: %d rows, %d failed", rows, bad);
	free(t.data);
}

int main(void)
{
	if (!tap_shared("version-vectors"))
		return tap_done(); /* tap_shared failed loudly */
	test_apk();
	test_dpkg_compare();
	test_dpkg_parse();
	test_rpm();
	test_semver_cmp("comparisons.tsv", false, 31);
	test_semver_cmp("equality.tsv", true, 37);
	test_semver_range("range-include.tsv", true, 126);
	test_semver_range("range-exclude.tsv", false, 98);
	test_pep440_sorted();
	test_pep440_invalid();
	test_pep440_normalize();
	return tap_done();
}
