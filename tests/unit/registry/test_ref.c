/* ref: the table of tests/unit/registry/ref.data, one reference a line:
 *   INPUT = CANONICAL FAMILIAR REFERENCE     parsed, and its three forms
 *   INPUT ! MESSAGE-SUBSTRING                refused with that message */
#include <stdio.h>
#include <string.h>

#include "registry/ref.h"
#include "tap.h"

static void one(const char *line, size_t lineno)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s", line);
	buf[strcspn(buf, "\n")] = '\0';
	char *eq = strstr(buf, " = "), *bang = strstr(buf, " ! ");
	struct hull_ref r;
	struct hull_err err = {0};
	if (eq && (!bang || eq < bang)) {
		*eq = '\0';
		char want_c[600], want_f[600], want_r[200];
		if (sscanf(eq + 3, "%599s %599s %199s", want_c, want_f, want_r) != 3) {
			TAP_OK(0, "line %zu: malformed", lineno);
			return;
		}
		int rc = hull_ref_parse(buf, &r, &err);
		if (!TAP_OK(rc == 0, "line %zu: '%s' parses (%s)", lineno, buf, err.msg))
			return;
		char c[HULL_REF_STR_MAX + 32], f[HULL_REF_STR_MAX + 32];
		hull_ref_format(&r, c, sizeof(c));
		hull_ref_familiar(&r, f, sizeof(f));
		TAP_OK(!strcmp(c, want_c), "line %zu: canonical '%s' (want '%s')", lineno, c,
		       want_c);
		TAP_OK(!strcmp(f, want_f), "line %zu: familiar '%s' (want '%s')", lineno, f,
		       want_f);
		TAP_OK(!strcmp(hull_ref_reference(&r), want_r), "line %zu: reference '%s'", lineno,
		       hull_ref_reference(&r));
		return;
	}
	if (!bang) {
		TAP_OK(0, "line %zu: malformed", lineno);
		return;
	}
	const char *want = bang[0] == ' ' ? bang + 3 : bang + 2;
	char input[1024] = "";
	if (bang[0] == ' ')
		snprintf(input, sizeof(input), "%.*s", (int)(bang - buf), buf);
	int rc = hull_ref_parse(input, &r, &err);
	TAP_OK(rc < 0 && err.kind == HULL_ERR_USAGE && strstr(err.msg, want),
	       "line %zu: '%s' refused with '%s' (got rc %d: %s)", lineno, input, want, rc,
	       err.msg);
}

int main(void)
{
	const char *src = getenv("HULL_SRC");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/registry/ref.data", src ? src : ".");
	FILE *f = fopen(path, "r");
	if (!TAP_OK(f != NULL, "open %s", path))
		return tap_done();
	char line[2048];
	size_t n = 0;
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		one(line, n);
	}
	fclose(f);
	/* truncation: the needed length is returned, the output stays terminated */
	struct hull_ref r;
	hull_ref_parse("ghcr.io/org/app:1", &r, NULL);
	char small[8];
	size_t need = hull_ref_format(&r, small, sizeof(small));
	TAP_OK(need == strlen("ghcr.io/org/app:1") && strlen(small) == 7, "format truncates");
	return tap_done();
}
