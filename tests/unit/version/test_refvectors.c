/* test_refvectors: the ordering vectors of tests/unit/version/data/<eco>.txt,
 * each re-typed from the ecosystem's own test suite (the file's header
 * names its origin). Usage: test_refvectors ECO FILE. One TAP point per
 * line: "A < B", "A = B", "A > B" (also checked reversed) or "! V" (V is
 * rejected). An operand in double quotes keeps its blanks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/str.h"
#include "version/version.h"

/* The next operand at *p: a quoted string or a run of non-blanks. */
static char *operand(char **p)
{
	char *s = *p;
	while (*s == ' ')
		s++;
	char *start = s, *end;
	if (*s == '"') {
		start = ++s;
		end = strchr(s, '"');
		if (!end)
			return NULL;
		*p = end + 1;
	} else {
		while (*s && *s != ' ')
			s++;
		end = s;
		*p = *s ? s + 1 : s;
	}
	*end = '\0';
	return start;
}

static void check_line(enum hull_ecosystem eco, char *line, int lineno)
{
	char *p = line;
	struct hull_err err = {0};
	if (line[0] == '!') {
		p++;
		char *v = operand(&p);
		TAP_OK(v && hull_version_validate(eco, hull_str_c(v), &err) < 0,
		       "line %d: '%s' is rejected (%s)", lineno, v ? v : "?", err.msg);
		return;
	}
	char *a = operand(&p), *op = operand(&p), *b = operand(&p);
	if (!a || !op || !b || strlen(op) != 1 || !strchr("<=>", op[0])) {
		TAP_OK(0, "line %d: malformed vector", lineno);
		return;
	}
	int want = op[0] == '<' ? -1 : op[0] == '=' ? 0 : 1, ab = 2, ba = 2;
	int rc = hull_version_compare(eco, hull_str_c(a), hull_str_c(b), &ab, &err);
	if (rc == 0)
		rc = hull_version_compare(eco, hull_str_c(b), hull_str_c(a), &ba, &err);
	TAP_OK(rc == 0 && ab == want && ba == -want,
	       "line %d: '%s' %s '%s' (got %d, reversed %d) %s", lineno, a, op, b, ab, ba,
	       rc ? err.msg : "");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_refvectors ECO FILE\n");
		return 2;
	}
	enum hull_ecosystem eco = HULL_ECO_COUNT;
	for (int e = 0; e < HULL_ECO_COUNT; e++)
		if (!strcmp(argv[1], hull_ecosystem_name((enum hull_ecosystem)e)))
			eco = (enum hull_ecosystem)e;
	FILE *f = fopen(argv[2], "r");
	TAP_OK(eco != HULL_ECO_COUNT && f, "ecosystem %s, file %s", argv[1], argv[2]);
	if (!f || eco == HULL_ECO_COUNT)
		return tap_done();
	char line[4096];
	int lineno = 0, n = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		check_line(eco, line, lineno);
		n++;
	}
	fclose(f);
	TAP_OK(n > 0, "%d vectors", n);
	return tap_done();
}
