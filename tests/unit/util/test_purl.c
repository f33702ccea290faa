/* purl: the upstream purl-spec test vectors (purl-vectors.json, derived
 * from the spec's test files, origin in the file) run through
 * hull_purl_parse and hull_purl_format, then hull's own limits. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/purl.h"

static const char *str_or_null(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The parsed components equal the expected object. */
static bool components_equal(const struct hull_purl *p, struct json_object *want, char *why,
                             size_t cap)
{
	static const char *const fields[] = {"type", "namespace", "name", "version", "subpath"};
	const char *got[] = {p->type, p->ns, p->name, p->version, p->subpath};
	for (size_t i = 0; i < 5; i++)
		if (!same(got[i], str_or_null(want, fields[i]))) {
			snprintf(why, cap, "%s: got '%s', want '%s'", fields[i],
			         got[i] ? got[i] : "(null)",
			         str_or_null(want, fields[i]) ? str_or_null(want, fields[i])
			                                      : "(null)");
			return false;
		}
	struct json_object *q = NULL;
	json_object_object_get_ex(want, "qualifiers", &q);
	size_t nwant = q && json_object_is_type(q, json_type_object)
	                   ? (size_t)json_object_object_length(q)
	                   : 0;
	if (nwant != p->nqualifiers) {
		snprintf(why, cap, "%zu qualifiers, want %zu", p->nqualifiers, nwant);
		return false;
	}
	for (size_t i = 0; i < p->nqualifiers; i++)
		if (!same(p->qualifiers[i].value, str_or_null(q, p->qualifiers[i].key))) {
			snprintf(why, cap, "qualifier %s='%s'", p->qualifiers[i].key,
			         p->qualifiers[i].value);
			return false;
		}
	return true;
}

static void run_parse(struct json_object *t, const char *desc)
{
	const char *in = str_or_null(t, "input");
	struct json_object *want = NULL;
	json_object_object_get_ex(t, "expected_output", &want);
	bool fail = json_object_get_boolean(json_object_object_get(t, "expected_failure"));
	struct hull_purl p;
	struct hull_err err = {0};
	int rc = hull_purl_parse(in, strlen(in), &p, &err);
	if (fail) {
		TAP_OK(rc < 0, "parse refuses %s: %s (%s)", in, desc, err.msg);
		return;
	}
	char why[512] = "";
	bool ok = rc == 0 && components_equal(&p, want, why, sizeof(why));
	/* and the canonical form reads back to the same components */
	struct hull_buf b;
	hull_buf_init(&b, HULL_PURL_MAX_LEN);
	struct hull_purl again;
	if (ok && (hull_purl_format(&p, &b, &err) < 0 ||
	           hull_purl_parse(b.data, b.len, &again, &err) < 0)) {
		ok = false;
	} else if (ok) {
		ok = components_equal(&again, want, why, sizeof(why));
		hull_purl_release(&again);
	}
	TAP_OK(ok, "parse %s: %s %s%s", in, desc, why, rc < 0 ? err.msg : "");
	hull_buf_release(&b);
	if (rc == 0)
		hull_purl_release(&p);
}

static void run_build(struct json_object *t, const char *desc)
{
	struct json_object *in = json_object_object_get(t, "input");
	const char *want = str_or_null(t, "expected_output");
	bool fail = json_object_get_boolean(json_object_object_get(t, "expected_failure"));
	struct hull_purl p = {
	    .type = str_or_null(in, "type"),
	    .ns = str_or_null(in, "namespace"),
	    .name = str_or_null(in, "name"),
	    .version = str_or_null(in, "version"),
	    .subpath = str_or_null(in, "subpath"),
	};
	struct json_object *q = json_object_object_get(in, "qualifiers");
	if (q && json_object_is_type(q, json_type_object)) {
		json_object_object_foreach(q, key, val)
		{
			if (p.nqualifiers < HULL_PURL_MAX_QUALIFIERS) {
				p.qualifiers[p.nqualifiers].key = key;
				p.qualifiers[p.nqualifiers++].value = json_object_get_string(val);
			}
		}
	}
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, HULL_PURL_MAX_LEN);
	int rc = hull_purl_format(&p, &b, &err);
	if (fail)
		TAP_OK(rc < 0, "build refuses: %s (%s)", desc, err.msg);
	else
		TAP_OK(rc == 0 && !strcmp(b.data, want), "build %s: %s (got %s%s)", want, desc,
		       rc == 0 ? b.data : "", rc < 0 ? err.msg : "");
	hull_buf_release(&b);
}

static void test_vectors(void)
{
	const char *src = getenv("HULL_SRC");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/util/purl-vectors.json", src ? src : ".");
	struct json_object *doc = json_object_from_file(path);
	struct json_object *tests = doc ? json_object_object_get(doc, "tests") : NULL;
	size_t n = tests ? json_object_array_length(tests) : 0;
	/* The derived file holds 148 tests: a short read fails, never skips. */
	if (!TAP_OK(n >= 148, "purl-vectors.json read from %s: %zu tests", path, n)) {
		json_object_put(doc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(tests, i);
		const char *type = str_or_null(t, "test_type");
		const char *desc = str_or_null(t, "description");
		if (!strcmp(type, "parse"))
			run_parse(t, desc);
		else
			run_build(t, desc);
	}
	json_object_put(doc);
}

static int parse_c(const char *s, struct hull_purl *p, struct hull_err *err)
{
	return hull_purl_parse(s, strlen(s), p, err);
}

static void test_limits(void)
{
	struct hull_purl p;
	struct hull_err err = {0};
	char s[4096] = "pkg:deb/debian/x";
	for (int i = 0; i < HULL_PURL_MAX_QUALIFIERS + 1; i++)
		snprintf(s + strlen(s), sizeof(s) - strlen(s), "%ck%d=v", i ? '&' : '?', i);
	TAP_OK(parse_c(s, &p, &err) < 0 && err.kind == HULL_ERR_LIMIT,
	       "parse: more than %d qualifiers is a limit (%s)", HULL_PURL_MAX_QUALIFIERS, err.msg);
	size_t big = HULL_PURL_MAX_LEN + 1;
	char *long_purl = malloc(big + 1);
	memset(long_purl, 'a', big);
	memcpy(long_purl, "pkg:generic/", 12);
	long_purl[big] = '\0';
	TAP_OK(hull_purl_parse(long_purl, big, &p, &err) < 0 && err.kind == HULL_ERR_LIMIT,
	       "parse: longer than HULL_PURL_MAX_LEN is a limit");
	TAP_OK(hull_purl_parse(long_purl, big - 1, &p, &err) == 0 && strlen(p.name) == big - 13,
	       "parse: exactly HULL_PURL_MAX_LEN is read");
	hull_purl_release(&p);
	free(long_purl);
	TAP_OK(parse_c("pkg:generic/%2F%2f@1", &p, &err) < 0 && err.kind == HULL_ERR_INPUT,
	       "parse: a name of encoded slashes only is no name, as the formatter says (%s)",
	       err.msg);
	TAP_OK(parse_c("pkg:generic/a%00b", &p, &err) < 0 && err.kind == HULL_ERR_INPUT,
	       "parse: %%00 refused (%s)", err.msg);
	TAP_OK(parse_c("pkg:generic/a%4", &p, &err) < 0 && strstr(err.msg, "pkg:generic/a%4"),
	       "parse: a cut escape is refused and the purl named (%s)", err.msg);
	TAP_OK(parse_c("pkg:pypi/ns/name", &p, &err) < 0, "parse: pypi has no namespace (%s)",
	       err.msg);
	TAP_OK(parse_c("pkg:deb/debian/x?arch=amd64&ARCH=i386", &p, &err) < 0,
	       "parse: a repeated key is refused (%s)", err.msg);
	TAP_OK(parse_c("pkg:golang/a//b/%2E%2E/c@v1?x=&y=1#/./d/../e/", &p, &err) == 0 &&
	           !strcmp(p.ns, "a/b/..") && !strcmp(p.name, "c") && p.nqualifiers == 1 &&
	           !strcmp(p.qualifiers[0].key, "y") && !strcmp(p.subpath, "d/e"),
	       "parse: empty segments, empty values, dot subpath segments dropped");
	hull_purl_release(&p);

	struct hull_buf b;
	hull_buf_init(&b, 1024);
	struct hull_purl f = {.type = "generic",
	                      .name = "a\xff"
	                              "b",
	                      .version = "1 2+3@4"};
	TAP_OK(hull_purl_format(&f, &b, &err) == 0 &&
	           !strcmp(b.data, "pkg:generic/a%EF%BF%BDb@1%202%2B3%404"),
	       "format: invalid UTF-8 becomes U+FFFD, reserved bytes encoded (%s)", b.data);
	hull_buf_release(&b);
	hull_buf_init(&b, 16);
	f = (struct hull_purl){.type = "generic", .name = "a-very-long-name"};
	TAP_OK(hull_purl_format(&f, &b, &err) < 0 && err.kind == HULL_ERR_LIMIT,
	       "format: the buffer's cap holds");
	hull_buf_release(&b);
	hull_buf_init(&b, 1024);
	f = (struct hull_purl){.type = "nuget", .ns = "x", .name = "y"};
	TAP_OK(hull_purl_format(&f, &b, &err) < 0, "format: nuget has no namespace (%s)", err.msg);
	hull_buf_release(&b);
}

/* Whatever the parser accepts, the formatter writes, and the canonical
 * string reads back to itself (found by util_purl: a 69-letter type was
 * read, then refused by the formatter's 64-byte type buffer; qualifier
 * keys had the same 64-byte cap on the formatter's side only). The spec
 * gives no length to a type or a key: only HULL_PURL_MAX_LEN bounds them. */
static void test_parse_format_agree(void)
{
	char type69[128], key70[160];
	snprintf(type69, sizeof(type69),
	         "pkg:%.*s/_\x7f"
	         "apa?ge=",
	         69, "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO");
	snprintf(key70, sizeof(key70), "pkg:generic/x?%.*s=v", 70,
	         "Kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
	const char *cases[] = {type69, key70, "pkg:A.b-9/n@1?Z.z_-9=1#s"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hull_purl p = {0}, q = {0};
		struct hull_err err = {0};
		struct hull_buf a, b;
		hull_buf_init(&a, 4096);
		hull_buf_init(&b, 4096);
		int parsed = parse_c(cases[i], &p, &err) == 0;
		int formatted = parsed && hull_purl_format(&p, &a, &err) == 0;
		int reread = formatted && hull_purl_parse(a.data, a.len, &q, &err) == 0 &&
		             hull_purl_format(&q, &b, &err) == 0 && a.len == b.len &&
		             !memcmp(a.data, b.data, a.len);
		TAP_OK(parsed && formatted && reread, "parse and format agree on %.40s... (%s%s)",
		       cases[i], formatted ? a.data : "", err.msg);
		hull_purl_release(&p);
		hull_purl_release(&q);
		hull_buf_release(&a);
		hull_buf_release(&b);
	}
}

int main(void)
{
	test_vectors();
	test_limits();
	test_parse_format_agree();
	return tap_done();
}
