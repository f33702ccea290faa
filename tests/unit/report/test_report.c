/* Unit tests for src/report: UTF-8 handling, the JSON writer, package URLs
 * (against the spec's examples and the purls in the shared expected files
 * of syft and trivy), licence classification, and the four SBOM writers on
 * the samples of sample.c (structure, escaping, determinism, caps). The
 * schema validation and table goldens are in validate.sh. */
#include <ctype.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "report/jsonw.h"
#include "report/license.h"
#include "pkgdb/purl.h"
#include "util/utf8.h"
#include "sample.h"
#include "tap.h"
#include "util/fs.h"
#include "util/json.h"

/* ---- UTF-8 ---- */

/* Decodes s fully; writes the code points (U+FFFD for bad parts) to cps. */
static size_t decode_all(const char *s, size_t len, uint32_t *cps, size_t max)
{
	size_t i = 0, n = 0;
	while (i < len && n < max) {
		bool valid;
		i += hull_utf8_next(s + i, len - i, &cps[n++], &valid);
	}
	return n;
}

static void test_utf8(void)
{
	uint32_t cp[16];
	size_t n;
	n = decode_all("a\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80", 10, cp, 16);
	TAP_OK(n == 4 && cp[0] == 'a' && cp[1] == 0xFC && cp[2] == 0x20AC && cp[3] == 0x1F600,
	       "utf8: 1- to 4-byte sequences decode");
	/* Unicode's maximal-subpart examples: each bad part is one U+FFFD. */
	n = decode_all("\xF0\x80\x80", 3, cp, 16);
	TAP_OK(n == 3 && cp[0] == 0xFFFD && cp[2] == 0xFFFD,
	       "utf8: overlong 4-byte lead: 3 x U+FFFD");
	n = decode_all("\xE1\x80", 2, cp, 16);
	TAP_OK(n == 1 && cp[0] == 0xFFFD, "utf8: truncated sequence is one U+FFFD");
	n = decode_all("\xED\xA0\x80", 3, cp, 16);
	TAP_OK(n == 3 && cp[0] == 0xFFFD, "utf8: surrogate rejected");
	n = decode_all("\xF4\x90\x80\x80", 4, cp, 16);
	TAP_OK(n == 4 && cp[0] == 0xFFFD, "utf8: past U+10FFFF rejected");
	n = decode_all("\xC0\xAF", 2, cp, 16);
	TAP_OK(n == 2 && cp[0] == 0xFFFD && cp[1] == 0xFFFD, "utf8: C0 overlong rejected");
	n = decode_all("\xE2\x82x", 3, cp, 16);
	TAP_OK(n == 2 && cp[0] == 0xFFFD && cp[1] == 'x',
	       "utf8: bad continuation keeps the next char");
	TAP_OK(hull_utf8_valid("h\xC3\xA9", 3) && !hull_utf8_valid("h\xC3", 2),
	       "utf8: validity check");
	TAP_OK(hull_utf8_width(0x6F22) == 2 && hull_utf8_width(0x301) == 0 &&
	           hull_utf8_width('a') == 1,
	       "utf8: display widths");
}

/* ---- JSON writer ---- */

static char *quoted(const char *s, size_t len)
{
	struct hull_buf b;
	hull_buf_init(&b, 1 << 16);
	struct hull_err err = {0};
	if (hull_json_quote(&b, s, len, &err) < 0) {
		hull_buf_release(&b);
		return NULL;
	}
	return hull_buf_detach(&b, NULL);
}

static bool quote_is(const char *s, size_t len, const char *want)
{
	char *q = quoted(s, len);
	bool ok = q && !strcmp(q, want);
	if (!ok)
		printf("# got %s want %s\n", q ? q : "(null)", want);
	free(q);
	return ok;
}

/* The quoted form parses back to the expected bytes. */
static bool quote_roundtrips(const char *s, size_t len, const char *decoded)
{
	char *q = quoted(s, len);
	struct json_object *o = NULL;
	struct hull_err err = {0};
	bool ok = q && hull_json_parse(q, strlen(q), "quoted", &o, &err) == 0 &&
	          json_object_is_type(o, json_type_string) &&
	          !strcmp(json_object_get_string(o), decoded);
	json_object_put(o);
	free(q);
	return ok;
}

static void test_json_writer(void)
{
	TAP_OK(quote_is("a\"b\\c", 5, "\"a\\\"b\\\\c\""), "quote: quote and backslash");
	TAP_OK(quote_is("\n\t\r\b\f\x01\x1f\x7f", 8, "\"\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\""),
	       "quote: control characters");
	TAP_OK(quote_is("\xE2\x80\xA8", 3, "\"\\u2028\""), "quote: U+2028 escaped");
	TAP_OK(quote_is("\xC3\xA9\xE6\xBC\xA2", 5, "\"\xC3\xA9\xE6\xBC\xA2\""),
	       "quote: valid UTF-8 kept as is");
	TAP_OK(quote_is("a\xffz", 3, "\"a\xEF\xBF\xBDz\""), "quote: invalid byte becomes U+FFFD");
	TAP_OK(quote_is("\xC3\x28", 2, "\"\xEF\xBF\xBD(\""), "quote: bad continuation");
	TAP_OK(quote_is("", 0, "\"\""), "quote: empty");
	TAP_OK(quote_roundtrips("x\xC3\x28\xED\xA0\x80\x01", 7,
	                        "x\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\x01"),
	       "quote: hostile bytes give JSON that parses to the replaced string");

	struct hull_buf b;
	struct hull_err err = {0};
	struct hull_jw w;
	hull_buf_init(&b, 4096);
	hull_jw_init(&w, &b, &err);
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "a", "x");
	hull_jw_key(&w, "b");
	hull_jw_arr_begin(&w);
	hull_jw_int(&w, -5);
	hull_jw_bool(&w, true);
	hull_jw_null(&w);
	hull_jw_obj_begin(&w);
	hull_jw_obj_end(&w);
	hull_jw_arr_end(&w);
	hull_jw_kstr_opt(&w, "skipped", NULL);
	hull_jw_kstr(&w, "n", NULL);
	hull_jw_key(&w, "e");
	hull_jw_arr_begin(&w);
	hull_jw_arr_end(&w);
	hull_jw_obj_end(&w);
	int rc = hull_jw_finish(&w);
	const char *want =
	    "{\n  \"a\": \"x\",\n  \"b\": [\n    -5,\n    true,\n    null,\n    {}\n  ],\n"
	    "  \"n\": null,\n  \"e\": []\n}\n";
	TAP_OK(rc == 0 && !strcmp(b.data, want), "jsonw: pretty layout");
	if (rc || strcmp(b.data, want))
		printf("# got:\n%s", b.data);
	hull_buf_release(&b);

	hull_buf_init(&b, 4096);
	hull_jw_init_compact(&w, &b, &err);
	hull_jw_obj_begin(&w);
	hull_jw_kstr(&w, "a", "x");
	hull_jw_key(&w, "b");
	hull_jw_arr_begin(&w);
	hull_jw_int(&w, -5);
	hull_jw_obj_begin(&w);
	hull_jw_obj_end(&w);
	hull_jw_arr_end(&w);
	hull_jw_obj_end(&w);
	rc = hull_jw_finish(&w);
	TAP_OK(rc == 0 && !strcmp(b.data, "{\"a\":\"x\",\"b\":[-5,{}]}"),
	       "jsonw: compact layout (%s)", b.data);
	hull_buf_release(&b);

	hull_buf_init(&b, 4096);
	hull_jw_init(&w, &b, &err);
	hull_jw_arr_begin(&w);
	hull_jw_key(&w, "k");
	hull_jw_arr_end(&w);
	TAP_OK(hull_jw_finish(&w) < 0 && err.kind == HULL_ERR_INPUT,
	       "jsonw: a key in an array fails");
	hull_buf_release(&b);

	hull_buf_init(&b, 4096);
	hull_jw_init(&w, &b, &err);
	hull_jw_obj_begin(&w);
	TAP_OK(hull_jw_finish(&w) < 0, "jsonw: an unclosed object fails");
	hull_buf_release(&b);

	hull_buf_init(&b, 4096);
	hull_jw_init(&w, &b, &err);
	for (int i = 0; i < HULL_JW_MAX_DEPTH + 1; i++)
		hull_jw_arr_begin(&w);
	TAP_OK(hull_jw_finish(&w) < 0, "jsonw: nesting past the cap fails");
	hull_buf_release(&b);

	hull_buf_init(&b, 16);
	hull_jw_init(&w, &b, &err);
	hull_jw_arr_begin(&w);
	hull_jw_str(&w, "a string longer than the sixteen bytes allowed");
	hull_jw_arr_end(&w);
	TAP_OK(hull_jw_finish(&w) < 0 && err.kind == HULL_ERR_LIMIT && b.len <= 16,
	       "jsonw: the buffer cap is an error, never an overflow");
	hull_buf_release(&b);
}

/* ---- purl ---- */

static bool purl_is(const struct hull_purl *p, const char *want)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 4096);
	int rc = hull_purl_format(p, &b, &err);
	bool ok = rc == 0 && !strcmp(b.data, want);
	if (!ok)
		printf("# got %s (%s) want %s\n", rc ? "error" : b.data, err.msg, want);
	hull_buf_release(&b);
	return ok;
}

static void test_purl_format(void)
{
	struct hull_purl p = {.type = "generic", .name = "a b+c/d", .version = "1:2.0+x~y@z"};
	TAP_OK(purl_is(&p, "pkg:generic/a%20b%2Bc%2Fd@1:2.0%2Bx~y%40z"),
	       "purl: name and version percent-encoded, ':' and '~' kept");
	struct hull_purl q = {.type = "deb",
	                      .ns = "debian",
	                      .name = "curl",
	                      .version = "7.50.3-1",
	                      .qualifiers = {{"distro", "debian-12"},
	                                     {"arch", "i386"},
	                                     {"empty", ""},
	                                     {"zz", NULL},
	                                     {"checksum", "sha256:ab&c=d"}},
	                      .nqualifiers = 5};
	TAP_OK(purl_is(&q, "pkg:deb/debian/"
	                   "curl@7.50.3-1?arch=i386&checksum=sha256:ab%26c%3Dd&distro=debian-12"),
	       "purl: qualifiers sorted, empty ones dropped, values encoded");
	struct hull_purl r = {
	    .type = "npm", .ns = "@angular", .name = "animation", .version = "12.3.1"};
	TAP_OK(purl_is(&r, "pkg:npm/%40angular/animation@12.3.1"), "purl: spec example, npm scope");
	struct hull_purl u = {
	    .type = "generic", .ns = "/a//b/", .name = "/n\xC3\xBC/", .subpath = "./x/../y/"};
	TAP_OK(purl_is(&u, "pkg:generic/a/b/n%C3%BC#x/y"),
	       "purl: namespace segments, UTF-8 encoded, subpath '.' and '..' dropped");
	struct hull_purl v = {.type = "generic", .name = "a\xffz"};
	TAP_OK(purl_is(&v, "pkg:generic/a%EF%BF%BDz"), "purl: invalid UTF-8 becomes U+FFFD");
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 4096);
	struct hull_purl bad1 = {.type = "generic", .name = "/"};
	struct hull_purl bad2 = {.type = "Bad Type", .name = "x"};
	struct hull_purl bad3 = {.type = "generic",
	                         .name = "x",
	                         .qualifiers = {{"in production", "x"}},
	                         .nqualifiers = 1};
	struct hull_purl bad4 = {.type = "generic",
	                         .name = "x",
	                         .qualifiers = {{"arch", "x"}, {"arch", "y"}},
	                         .nqualifiers = 2};
	TAP_OK(hull_purl_format(&bad1, &b, &err) < 0 && hull_purl_format(&bad2, &b, &err) < 0 &&
	           hull_purl_format(&bad3, &b, &err) < 0 && hull_purl_format(&bad4, &b, &err) < 0,
	       "purl: empty name, bad type, bad or repeated qualifier key are errors");
	hull_buf_release(&b);
}

static struct hull_pkg mkpkg(enum hull_pkg_type t, const char *name, const char *version,
                             const char *arch, const char *src, const char *srcver)
{
	struct hull_pkg p = {.type = t, .epoch = -1, .layer = HULL_LAYER_NONE};
	p.name = (char *)name;
	p.version = (char *)version;
	p.arch = (char *)arch;
	p.src_name = (char *)src;
	p.src_version = (char *)srcver;
	return p;
}

static bool pkg_purl_is(const struct hull_pkg *p, const struct hull_os *os, const char *want)
{
	struct hull_err err = {0};
	char *got = hull_purl_of_pkg(p, os, &err);
	bool ok = got && !strcmp(got, want);
	if (!ok)
		printf("# got %s (%s) want %s\n", got ? got : "(null)", err.msg, want);
	free(got);
	return ok;
}

/* Sorts a purl's qualifiers (trivy writes them unsorted) and drops the
 * ones named in drop (comma-separated keys): the canonical comparison. */
static char *canonical(const char *purl, const char *drop)
{
	char *s = strdup(purl);
	char *q = strchr(s, '?');
	if (!q)
		return s;
	*q++ = '\0';
	char *parts[16];
	size_t n = 0;
	for (char *tok = strtok(q, "&"); tok && n < 16; tok = strtok(NULL, "&")) {
		size_t klen = strcspn(tok, "=");
		char key[64];
		snprintf(key, sizeof(key), ",%.*s,", (int)klen, tok);
		char dropl[256];
		snprintf(dropl, sizeof(dropl), ",%s,", drop ? drop : "");
		if (!strstr(dropl, key))
			parts[n++] = tok;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(parts[j - 1], parts[j]) > 0; j--) {
			char *t = parts[j];
			parts[j] = parts[j - 1];
			parts[j - 1] = t;
		}
	size_t cap = strlen(purl) + 2;
	char *out = malloc(cap);
	strcpy(out, s);
	for (size_t i = 0; i < n; i++) {
		strcat(out, i ? "&" : "?");
		strcat(out, parts[i]);
	}
	free(s);
	return out;
}

static void test_purl_spec_examples(void)
{
	struct hull_os debian12 = {.id = "debian", .version_id = "12", .codename = "bookworm"};
	struct hull_os alpine = {.id = "alpine", .version_id = "3.14.2"};
	struct hull_os fedora = {.id = "fedora", .version_id = "25"};

	struct hull_pkg p = mkpkg(HULL_PKG_DEB, "openssl", "3.0.11-1~deb12u2", "amd64", NULL, NULL);
	TAP_OK(pkg_purl_is(&p, &debian12,
	                   "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"),
	       "purl deb: the issue's example");
	p = mkpkg(HULL_PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "amd64", "openssl",
	          "3.0.11-1~deb12u2");
	TAP_OK(pkg_purl_is(&p, &debian12,
	                   "pkg:deb/debian/"
	                   "libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"),
	       "purl deb: upstream source name when it differs");
	p = mkpkg(HULL_PKG_DEB, "openssl", "3.0.11-1~deb12u2", "amd64", "openssl",
	          "3.0.11-1~deb12u2");
	TAP_OK(pkg_purl_is(&p, &debian12,
	                   "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"),
	       "purl deb: no upstream when the source is the package itself");
	p = mkpkg(HULL_PKG_DEB, "attr", "1:2.4.47-2+b1", "amd64", NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"),
	       "purl deb: spec example with epoch and '+' (no distribution known)");
	p = mkpkg(HULL_PKG_DEB, "Login", "1:4.13+dfsg1-1+b1", "amd64", "shadow", "1:4.13+dfsg1-1");
	TAP_OK(pkg_purl_is(&p, &debian12,
	                   "pkg:deb/debian/"
	                   "login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12&upstream="
	                   "shadow%401:4.13%2Bdfsg1-1"),
	       "purl deb: binNMU upstream carries the source version; name lowercased");
	p = mkpkg(HULL_PKG_APK, "musl", "1.2.2-r3", "x86_64", "musl", NULL);
	TAP_OK(pkg_purl_is(&p, &alpine,
	                   "pkg:apk/alpine/musl@1.2.2-r3?arch=x86_64&distro=alpine-3.14.2"),
	       "purl apk: the brief's example");
	p = mkpkg(HULL_PKG_APK, "libcrypto1.1", "1.1.1l-r0", "x86_64", "openssl", NULL);
	TAP_OK(
	    pkg_purl_is(&p, &alpine,
	                "pkg:apk/alpine/"
	                "libcrypto1.1@1.1.1l-r0?arch=x86_64&distro=alpine-3.14.2&upstream=openssl"),
	    "purl apk: upstream origin");
	p = mkpkg(HULL_PKG_APK, "curl", "7.83.0-r0", "x86", NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:apk/alpine/curl@7.83.0-r0?arch=x86"),
	       "purl apk: spec example");
	p = mkpkg(HULL_PKG_RPM, "curl", "7.50.3-1.fc25", "i386", NULL, NULL);
	p.rpm_version = "7.50.3";
	p.release = "1.fc25";
	p.epoch = 0;
	TAP_OK(pkg_purl_is(&p, &fedora,
	                   "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25"),
	       "purl rpm: spec example");
	p = mkpkg(HULL_PKG_RPM, "vim", "2:9.0-1.cm2", "x86_64", NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:rpm/vim@9.0-1.cm2?arch=x86_64"),
	       "purl rpm: epoch stripped from an unsplit version");
	p = mkpkg(HULL_PKG_NPM, "@Angular/Animation", "12.3.1", NULL, NULL, NULL);
	TAP_OK(pkg_purl_is(&p, &debian12, "pkg:npm/%40Angular/Animation@12.3.1"),
	       "purl npm: scope encoded, case kept (the spec's npm is case-sensitive), no distro");
	p = mkpkg(HULL_PKG_NPM, "foobar", "12.3.1", NULL, NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:npm/foobar@12.3.1"), "purl npm: spec example");
	p = mkpkg(HULL_PKG_PYPI, "Django_Allauth", "12.23", NULL, NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:pypi/django-allauth@12.23"),
	       "purl pypi: spec example normalised");
	p = mkpkg(HULL_PKG_PYPI, "Zope.Interface__-Extra", "5.0", NULL, NULL, NULL);
	TAP_OK(pkg_purl_is(&p, NULL, "pkg:pypi/zope-interface-extra@5.0"),
	       "purl pypi: runs of '-_.' become one '-'");
	struct hull_err err = {0};
	p = mkpkg(HULL_PKG_DEB, "", "1", NULL, NULL, NULL);
	char *none = hull_purl_of_pkg(&p, NULL, &err);
	TAP_OK(!none && err.kind == HULL_ERR_INPUT, "purl: a package without a name has no purl");
	free(none);
}

/* ID and VERSION_ID of an os-release file (test helper, trusted input). */
static void read_os_release(const char *path, char *id, char *ver, size_t sz)
{
	id[0] = ver[0] = '\0';
	FILE *f = fopen(path, "r");
	char line[512];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (*eq == '"') {
			eq++;
			eq[strcspn(eq, "\"")] = '\0';
		}
		if (!strcmp(line, "ID"))
			snprintf(id, sz, "%s", eq);
		else if (!strcmp(line, "VERSION_ID"))
			snprintf(ver, sz, "%s", eq);
	}
	if (f)
		fclose(f);
}

/* Splits a TSV line in place; returns the number of fields. */
static size_t split_tsv(char *line, char **f, size_t max)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max;) {
		f[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

static int column(char **hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

/* syft's deb purls (dpkg-status/syft/expected-images.tsv), distro from the
 * fixture's own os-release. */
static void test_purl_syft_deb(void)
{
	/* tap_shared returns a static buffer: copy each path. */
	char tsv[4096] = "", osr[4096] = "";
	const char *p1 = tap_shared("dpkg-status/syft/expected-images.tsv");
	if (p1)
		snprintf(tsv, sizeof(tsv), "%s", p1);
	const char *p2 = tap_shared("dpkg-status/syft/image-dpkg/etc/os-release");
	if (p2)
		snprintf(osr, sizeof(osr), "%s", p2);
	if (!p1 || !p2) {
		return;
	}
	char id[64], ver[64];
	read_os_release(osr, id, ver, sizeof(id));
	struct hull_os os = {.id = id, .version_id = ver};
	FILE *f = fopen(tsv, "r");
	char line[8192], hdrline[8192];
	char *hdr[32], *fld[32];
	size_t nh = 0, checked = 0;
	bool ok = f != NULL;
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (!nh) {
			strcpy(hdrline, line);
			nh = split_tsv(hdrline, hdr, 32);
			continue;
		}
		size_t nf = split_tsv(line, fld, 32);
		int cn = column(hdr, nh, "name"), cv = column(hdr, nh, "version"),
		    cs = column(hdr, nh, "source"), ca = column(hdr, nh, "arch"),
		    cp = column(hdr, nh, "purl"), cx = column(hdr, nh, "fixture");
		if (cn < 0 || cp < 0 || (size_t)cp >= nf || !*fld[cp])
			continue; /* syft gives no purl without a distribution */
		if (strcmp(fld[cx], "image-dpkg"))
			continue;
		struct hull_pkg p =
		    mkpkg(HULL_PKG_DEB, fld[cn], fld[cv], fld[ca], *fld[cs] ? fld[cs] : NULL, NULL);
		ok &= pkg_purl_is(&p, &os, fld[cp]);
		checked++;
	}
	if (f)
		fclose(f);
	TAP_OK(ok && checked > 0, "purl deb: %zu syft expectation(s) match exactly", checked);
}

/* syft's rpm purls (rpm/ * /expected-packages.tsv): no distribution, so no
 * namespace; syft adds upstream=<source rpm> which hull leaves out for rpm
 * (as trivy does), so that qualifier is dropped before comparing. */
static void test_purl_syft_rpm(void)
{
	const char *files[] = {"rpm/syft-bdb-centos8-dive/expected-packages.tsv",
	                       "rpm/syft-cbl-mariner-manifest/expected-packages.tsv"};
	size_t checked = 0;
	bool ok = true, any = false;
	for (size_t k = 0; k < 2; k++) {
		const char *path = tap_shared(files[k]);
		if (!path)
			continue;
		any = true;
		FILE *f = fopen(path, "r");
		char line[8192], hdrline[8192];
		char *hdr[32], *fld[32];
		size_t nh = 0;
		while (f && fgets(line, sizeof(line), f)) {
			if (line[0] == '#')
				continue;
			if (!nh) {
				strcpy(hdrline, line);
				nh = split_tsv(hdrline, hdr, 32);
				continue;
			}
			size_t nf = split_tsv(line, fld, 32);
			int cn = column(hdr, nh, "name"), ce = column(hdr, nh, "epoch"),
			    cv = column(hdr, nh, "version"), cr = column(hdr, nh, "release"),
			    ca = column(hdr, nh, "arch"), cp = column(hdr, nh, "purl");
			if (cp < 0 || (size_t)cp >= nf)
				continue;
			struct hull_pkg p =
			    mkpkg(HULL_PKG_RPM, fld[cn], fld[cv], fld[ca], NULL, NULL);
			p.rpm_version = fld[cv];
			p.release = fld[cr];
			p.epoch = isdigit((unsigned char)fld[ce][0]) ? atol(fld[ce]) : -1;
			char *want = canonical(fld[cp], "upstream");
			ok &= pkg_purl_is(&p, NULL, want);
			free(want);
			checked++;
		}
		if (f)
			fclose(f);
	}
	if (!any) {
		return;
	}
	TAP_OK(ok && checked >= 6, "purl rpm: %zu syft expectations match (upstream dropped)",
	       checked);
}

static struct json_object *load_json(const char *rel)
{
	const char *path = tap_shared(rel);
	if (!path)
		return NULL;
	char *data = NULL;
	size_t len;
	struct hull_err err = {0};
	struct json_object *o = NULL;
	if (hull_fs_read_file(path, 1 << 24, &data, &len, &err) == 0)
		hull_json_parse(data, len, rel, &o, &err);
	free(data);
	return o;
}

static const char *prop_value(struct json_object *comp, const char *name)
{
	struct json_object *props = hull_json_get_arr(comp, "properties");
	for (size_t i = 0; props && i < json_object_array_length(props); i++) {
		struct json_object *pr = json_object_array_get_idx(props, i);
		const char *n = hull_json_get_str(pr, "name");
		if (n && !strcmp(n, name))
			return hull_json_get_str(pr, "value");
	}
	return NULL;
}

/* trivy's CentOS 7 CycloneDX golden: each rpm rebuilt from the fields that
 * are not the purl (name, version, PkgID's arch, SrcEpoch, the OS
 * component), compared with the purl after sorting its qualifiers (trivy
 * does not sort them; the spec's canonical form does). */
static void test_purl_trivy_rpm(void)
{
	struct json_object *bom =
	    load_json("schemas/cyclonedx/examples-trivy/centos-7-cyclonedx.json");
	if (!bom) {
		return;
	}
	struct json_object *comps = hull_json_get_arr(bom, "components");
	struct hull_os os = {0};
	for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i);
		const char *type = hull_json_get_str(c, "type");
		if (type && !strcmp(type, "operating-system")) {
			os.id = (char *)hull_json_get_str(c, "name");
			os.version_id = (char *)hull_json_get_str(c, "version");
		}
	}
	size_t checked = 0;
	bool ok = os.id != NULL;
	for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i);
		const char *purl = hull_json_get_str(c, "purl");
		if (!purl)
			continue;
		const char *name = hull_json_get_str(c, "name"),
		           *ver = hull_json_get_str(c, "version");
		const char *pkgid = prop_value(c, "aquasecurity:trivy:PkgID");
		const char *epoch = prop_value(c, "aquasecurity:trivy:SrcEpoch");
		char rpmver[128], arch[32];
		snprintf(rpmver, sizeof(rpmver), "%s", ver);
		char *dash = strrchr(rpmver, '-');
		const char *dot = pkgid ? strrchr(pkgid, '.') : NULL;
		if (!dash || !dot) {
			ok = false;
			continue;
		}
		*dash = '\0';
		snprintf(arch, sizeof(arch), "%s", dot + 1);
		struct hull_pkg p = mkpkg(HULL_PKG_RPM, name, ver, arch, NULL, NULL);
		p.rpm_version = rpmver;
		p.release = dash + 1;
		p.epoch = epoch ? atol(epoch) : 0;
		char *want = canonical(purl, NULL);
		ok &= pkg_purl_is(&p, &os, want);
		free(want);
		checked++;
	}
	json_object_put(bom);
	TAP_OK(ok && checked == 2,
	       "purl rpm: trivy's CentOS 7 purls (%zu) match in canonical order", checked);
}

/* trivy's npm CycloneDX golden: name and version give the purl exactly. */
static void test_purl_trivy_npm(void)
{
	struct json_object *bom =
	    load_json("schemas/cyclonedx/examples-trivy/npm-cyclonedx.json.golden");
	if (!bom) {
		return;
	}
	struct json_object *comps = hull_json_get_arr(bom, "components");
	size_t checked = 0;
	bool ok = true;
	for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i);
		const char *purl = hull_json_get_str(c, "purl");
		if (!purl || strncmp(purl, "pkg:npm/", 8))
			continue;
		struct hull_pkg p = mkpkg(HULL_PKG_NPM, hull_json_get_str(c, "name"),
		                          hull_json_get_str(c, "version"), NULL, NULL, NULL);
		ok &= pkg_purl_is(&p, NULL, purl);
		checked++;
	}
	json_object_put(bom);
	TAP_OK(ok && checked >= 10, "purl npm: trivy's %zu npm purls match exactly", checked);
}

/* ---- licences ---- */

static bool classify_is(const char *s, int kind, const char *canon)
{
	char *c = NULL;
	struct hull_err err = {0};
	int k = hull_license_classify(s, &c, &err);
	bool ok = k == kind && ((!canon && !c) || (canon && c && !strcmp(c, canon)));
	if (!ok)
		printf("# '%s': got %d '%s'\n", s ? s : "(null)", k, c ? c : "(null)");
	free(c);
	return ok;
}

static void test_license(void)
{
	TAP_OK(classify_is(NULL, HULL_LICENSE_NONE, NULL) &&
	           classify_is("  ", HULL_LICENSE_NONE, NULL),
	       "license: none");
	TAP_OK(classify_is("MIT", HULL_LICENSE_ID, "MIT") &&
	           classify_is("apache-2.0", HULL_LICENSE_ID, "Apache-2.0"),
	       "license: ids, canonical case");
	TAP_OK(classify_is("GPL-2.0", HULL_LICENSE_ID, "GPL-2.0-only") &&
	           classify_is("GPL-2.0+", HULL_LICENSE_ID, "GPL-2.0-or-later"),
	       "license: deprecated GNU ids replaced");
	TAP_OK(classify_is("MIT or (bsd-2-clause  AND ISC)", HULL_LICENSE_EXPRESSION,
	                   "MIT OR (BSD-2-Clause AND ISC)"),
	       "license: expression canonicalised");
	TAP_OK(classify_is("GPL-3.0-or-later WITH GCC-exception-3.1", HULL_LICENSE_EXPRESSION,
	                   "GPL-3.0-or-later WITH GCC-exception-3.1"),
	       "license: WITH exception");
	TAP_OK(classify_is("MPL-1.1+", HULL_LICENSE_EXPRESSION, "MPL-1.1+"),
	       "license: id+ is an expression");
	TAP_OK(classify_is("GPL2", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("GPL-2+", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("MIT BSD", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("MIT AND", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("(MIT", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("MIT WITH MIT", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("LicenseRef-foo", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("Python license", HULL_LICENSE_OTHER, NULL) &&
	           classify_is("MIT\x1b", HULL_LICENSE_OTHER, NULL),
	       "license: free text, DEP-5 names, broken expressions are 'other'");
	char deep[200] = "";
	for (int i = 0; i < 20; i++)
		strcat(deep, "(");
	strcat(deep, "MIT");
	for (int i = 0; i < 20; i++)
		strcat(deep, ")");
	TAP_OK(classify_is(deep, HULL_LICENSE_OTHER, NULL),
	       "license: nesting past the cap is 'other'");

	/* Every id we may put in CycloneDX license.id is in its SPDX enum. */
	struct json_object *enm = load_json("schemas/cyclonedx/spdx.schema.json");
	if (!enm) {
		return;
	}
	struct json_object *list = hull_json_get_arr(enm, "enum");
	const char *const *ids;
	size_t n = hull_license_known_ids(&ids), missing = 0;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; list && k < json_object_array_length(list) && !found; k++)
			found = !strcmp(json_object_get_string(json_object_array_get_idx(list, k)),
			                ids[i]);
		if (!found) {
			printf("# not in the SPDX enum: %s\n", ids[i]);
			missing++;
		}
	}
	json_object_put(enm);
	TAP_OK(list && missing == 0, "license: all %zu known ids are in the CycloneDX SPDX enum",
	       n);
}

/* ---- writers ---- */

static char *render(struct sample *s, enum hull_sbom_format f, size_t max, struct hull_err *err)
{
	struct hull_buf b;
	hull_buf_init(&b, max);
	if (hull_report_sbom(f, &s->in, &b, err) < 0) {
		hull_buf_release(&b);
		return NULL;
	}
	return hull_buf_detach(&b, NULL);
}

static struct json_object *parse(const char *doc)
{
	struct json_object *o = NULL;
	struct hull_err err = {0};
	if (!doc || hull_json_parse(doc, strlen(doc), "doc", &o, &err) < 0) {
		printf("# %s\n", err.msg);
		return NULL;
	}
	return o;
}

static bool str_in(struct json_object *set, const char *s)
{
	return s && json_object_object_get_ex(set, s, NULL);
}

/* CycloneDX: refs unique, every dependency resolves, one library per
 * package with its purl, versions within the schema's 1024 characters. */
static void check_cyclonedx(struct json_object *bom, const struct sample *s, const char *name)
{
	struct json_object *refs = json_object_new_object();
	struct json_object *meta = hull_json_get_obj(bom, "metadata");
	struct json_object *mc = hull_json_get_obj(meta, "component");
	bool ok = mc != NULL, unique = true;
	json_object_object_add(refs, hull_json_get_str(mc, "bom-ref"), NULL);
	struct json_object *comps = hull_json_get_arr(bom, "components");
	size_t libs = 0;
	for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i);
		const char *ref = hull_json_get_str(c, "bom-ref");
		const char *type = hull_json_get_str(c, "type");
		const char *purl = hull_json_get_str(c, "purl");
		const char *ver = hull_json_get_str(c, "version");
		if (!ref || str_in(refs, ref))
			unique = false;
		else
			json_object_object_add(refs, ref, NULL);
		if (type && !strcmp(type, "library")) {
			libs++;
			if (purl && strncmp(ref, purl, strlen(purl)))
				ok = false;
		}
		if (ver && json_object_get_string_len(json_object_object_get(c, "version")) > 4096)
			ok = false;
	}
	bool resolved = true;
	struct json_object *deps = hull_json_get_arr(bom, "dependencies");
	for (size_t i = 0; deps && i < json_object_array_length(deps); i++) {
		struct json_object *d = json_object_array_get_idx(deps, i);
		resolved &= str_in(refs, hull_json_get_str(d, "ref"));
		struct json_object *on = hull_json_get_arr(d, "dependsOn");
		for (size_t k = 0; on && k < json_object_array_length(on); k++)
			resolved &=
			    str_in(refs, json_object_get_string(json_object_array_get_idx(on, k)));
	}
	json_object_put(refs);
	TAP_OK(ok && unique && resolved && libs == s->inv.npkgs,
	       "cyclonedx %s: unique refs, dependencies resolve, %zu libraries", name, libs);
}

/* prefix followed by a non-empty SPDX idstring ([A-Za-z0-9.-]+). */
static bool valid_idstring(const char *id, const char *prefix)
{
	size_t n = strlen(prefix);
	if (!id || strncmp(id, prefix, n) || !id[n])
		return false;
	for (const char *p = id + n; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	return true;
}

static bool valid_spdxid(const char *id)
{
	return valid_idstring(id, "SPDXRef-");
}

/* SPDX: IDs well-formed and unique, relationships resolve, every
 * licenseDeclared is NOASSERTION, a declared LicenseRef, or a canonical
 * expression. */
static void check_spdx(struct json_object *doc, const char *name)
{
	struct json_object *ids = json_object_new_object(), *lrefs = json_object_new_object();
	json_object_object_add(ids, "SPDXRef-DOCUMENT", NULL);
	struct json_object *ex = hull_json_get_arr(doc, "hasExtractedLicensingInfos");
	for (size_t i = 0; ex && i < json_object_array_length(ex); i++)
		json_object_object_add(
		    lrefs, hull_json_get_str(json_object_array_get_idx(ex, i), "licenseId"), NULL);
	bool ids_ok = true, lic_ok = true, rel_ok = true;
	struct json_object *pk = hull_json_get_arr(doc, "packages");
	for (size_t i = 0; pk && i < json_object_array_length(pk); i++) {
		struct json_object *p = json_object_array_get_idx(pk, i);
		const char *id = hull_json_get_str(p, "SPDXID");
		if (!valid_spdxid(id) || str_in(ids, id))
			ids_ok = false, printf("# bad or repeated SPDXID %s\n", id ? id : "(null)");
		else
			json_object_object_add(ids, id, NULL);
		const char *decl = hull_json_get_str(p, "licenseDeclared");
		if (!decl || !strcmp(decl, "NOASSERTION"))
			continue;
		if (!strncmp(decl, "LicenseRef-", 11)) {
			lic_ok &= str_in(lrefs, decl) && valid_idstring(decl, "LicenseRef-");
			continue;
		}
		char *canon = NULL;
		struct hull_err err = {0};
		int k = hull_license_classify(decl, &canon, &err);
		lic_ok &=
		    (k == HULL_LICENSE_ID || k == HULL_LICENSE_EXPRESSION) && !strcmp(canon, decl);
		free(canon);
	}
	struct json_object *rels = hull_json_get_arr(doc, "relationships");
	for (size_t i = 0; rels && i < json_object_array_length(rels); i++) {
		struct json_object *r = json_object_array_get_idx(rels, i);
		rel_ok &= str_in(ids, hull_json_get_str(r, "spdxElementId")) &&
		          str_in(ids, hull_json_get_str(r, "relatedSpdxElement"));
	}
	json_object_put(ids);
	json_object_put(lrefs);
	TAP_OK(ids_ok && lic_ok && rel_ok && rels,
	       "spdx %s: SPDXIDs valid and unique, licences valid, relationships resolve", name);
}

/* hull JSON: packages in (type, name) order and counted. */
static void check_json(struct json_object *doc, const struct sample *s, const char *name)
{
	static const char *const order[] = {"deb", "apk", "rpm", "npm", "pypi"};
	struct json_object *pk = hull_json_get_arr(doc, "packages");
	bool sorted = true;
	int prev_t = -1;
	const char *prev_name = "";
	for (size_t i = 0; pk && i < json_object_array_length(pk); i++) {
		struct json_object *p = json_object_array_get_idx(pk, i);
		const char *t = hull_json_get_str(p, "type"), *n = hull_json_get_str(p, "name");
		int ti = -1;
		for (int k = 0; k < 5; k++)
			if (t && !strcmp(t, order[k]))
				ti = k;
		if (ti < prev_t || (ti == prev_t && strcmp(prev_name, n) > 0))
			sorted = false;
		prev_t = ti;
		prev_name = n;
	}
	int64_t count = -1;
	hull_json_get_int(hull_json_get_obj(doc, "summary"), "packages", &count);
	TAP_OK(pk && sorted && json_object_array_length(pk) == s->inv.npkgs &&
	           count == (int64_t)s->inv.npkgs,
	       "json %s: %zu packages in stable order", name, s->inv.npkgs);
}

/* No byte of the table can drive a terminal: ESC only in our own SGR
 * codes (and only with colour), no other control character but '\n'. */
static bool table_safe(const char *t, bool color)
{
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		if (*p == 0x1b) {
			if (!color || p[1] != '[')
				return false;
			p += 2;
			while (isdigit(*p) || *p == ';')
				p++;
			if (*p != 'm')
				return false;
			continue;
		}
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return false;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return false; /* C1 controls */
		if (*p == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
			return false; /* bidi overrides */
	}
	return true;
}

static bool no_trailing_space(const char *t)
{
	for (const char *p = t; *p; p++)
		if (*p == '\n' && p > t && p[-1] == ' ')
			return false;
	return true;
}

/* Two renders of the same input differ only where they must. */
static bool same_except(const char *a, const char *b, const char *volatile_key)
{
	if (!a || !b)
		return false;
	if (!volatile_key)
		return !strcmp(a, b);
	const char *pa = strstr(a, volatile_key), *pb = strstr(b, volatile_key);
	if (!pa || !pb || pa - a != pb - b || strncmp(a, b, (size_t)(pa - a)))
		return false;
	const char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
	return ea && eb && strcmp(pa, pb) != 0 && !strcmp(ea, eb);
}

static void test_writers(void)
{
	enum hull_sbom_format f;
	struct hull_err err = {0};
	TAP_OK(hull_sbom_format_parse("cyclonedx", &f, &err) == 0 && f == HULL_SBOM_CYCLONEDX &&
	           hull_sbom_format_parse("spdx-json", &f, &err) == 0 && f == HULL_SBOM_SPDX &&
	           hull_sbom_format_parse("xml", &f, &err) < 0 && err.kind == HULL_ERR_USAGE &&
	           !strcmp(hull_sbom_format_name(HULL_SBOM_JSON), "json"),
	       "format names parse, unknown ones are usage errors");

	for (int k = 0; k < SAMPLE_COUNT; k++) {
		struct sample s;
		sample_build(&s, (enum sample_kind)k);
		const char *name = sample_names[k];
		char *docs[4], *again[4];
		bool rendered = true, utf8 = true;
		for (int fm = 0; fm < 4; fm++) {
			docs[fm] = render(&s, (enum hull_sbom_format)fm, 64u << 20, &err);
			again[fm] = render(&s, (enum hull_sbom_format)fm, 64u << 20, &err);
			rendered &= docs[fm] && again[fm];
			utf8 &= docs[fm] && hull_utf8_valid(docs[fm], strlen(docs[fm]));
		}
		TAP_OK(rendered && utf8, "%s: all formats render, as valid UTF-8", name);
		if (!rendered) {
			printf("# %s\n", err.msg);
			sample_free(&s);
			continue;
		}
		TAP_OK(table_safe(docs[HULL_SBOM_TABLE], false) &&
		           no_trailing_space(docs[HULL_SBOM_TABLE]),
		       "%s table: no control bytes, no trailing spaces", name);
		TAP_OK(same_except(docs[0], again[0], NULL) &&
		           same_except(docs[1], again[1], NULL) &&
		           same_except(docs[2], again[2], "\"serialNumber\"") &&
		           same_except(docs[3], again[3], "\"documentNamespace\""),
		       "%s: two renders differ only in serial number / namespace", name);
		struct json_object *j = parse(docs[HULL_SBOM_JSON]);
		struct json_object *c = parse(docs[HULL_SBOM_CYCLONEDX]);
		struct json_object *x = parse(docs[HULL_SBOM_SPDX]);
		TAP_OK(j && c && x, "%s: JSON documents parse", name);
		if (j)
			check_json(j, &s, name);
		if (c)
			check_cyclonedx(c, &s, name);
		if (x)
			check_spdx(x, name);
		json_object_put(j);
		json_object_put(c);
		json_object_put(x);

		bool capped = true;
		for (int fm = 0; fm < 4; fm++) {
			struct hull_err cerr = {0};
			char *small = render(&s, (enum hull_sbom_format)fm, 64, &cerr);
			capped &= !small && cerr.kind == HULL_ERR_LIMIT;
			free(small);
		}
		TAP_OK(capped, "%s: a document over the buffer cap is a limit error", name);

		s.in.color = true;
		char *col = render(&s, HULL_SBOM_TABLE, 1 << 20, &err);
		TAP_OK(col && table_safe(col, true) && strstr(col, "\033[1m"),
		       "%s table: colour only through SGR codes", name);
		free(col);
		for (int fm = 0; fm < 4; fm++) {
			free(docs[fm]);
			free(again[fm]);
		}
		sample_free(&s);
	}
}

static void test_writer_details(void)
{
	struct sample s;
	struct hull_err err = {0};
	sample_build(&s, SAMPLE_DEBIAN);
	char *t = render(&s, HULL_SBOM_TABLE, 1 << 20, &err);
	TAP_OK(t && strstr(t, "20 packages: 13 deb, 5 npm, 2 pypi\n") &&
	           strstr(t, "2 warnings:\n") && strstr(t, "\xE2\x80\xA6"),
	       "table: summary by type, warnings, long values cut with an ellipsis");
	free(t);

	char *c = render(&s, HULL_SBOM_CYCLONEDX, 1 << 22, &err);
	struct json_object *bom = parse(c);
	struct json_object *comps = hull_json_get_arr(bom, "components");
	size_t dup_refs = 0, long_ok = 0, ids = 0, exprs = 0, names = 0;
	for (size_t i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *cp = json_object_array_get_idx(comps, i);
		const char *ref = hull_json_get_str(cp, "bom-ref");
		if (ref && strstr(ref, "package-id="))
			dup_refs++;
		const char *n = hull_json_get_str(cp, "name");
		if (n && !strncmp(n, "lib-very-long-", 14)) {
			const char *v = hull_json_get_str(cp, "version");
			long_ok = v && strlen(v) == 1024;
		}
		struct json_object *lic = hull_json_get_arr(cp, "licenses");
		struct json_object *l0 = lic ? json_object_array_get_idx(lic, 0) : NULL;
		if (hull_json_get_str(l0, "expression"))
			exprs++;
		if (hull_json_get_str(hull_json_get_obj(l0, "license"), "id"))
			ids++;
		if (hull_json_get_str(hull_json_get_obj(l0, "license"), "name"))
			names++;
	}
	const char *mtype = hull_json_get_str(
	    hull_json_get_obj(hull_json_get_obj(bom, "metadata"), "component"), "type");
	TAP_OK(dup_refs == 2 && long_ok && mtype && !strcmp(mtype, "container"),
	       "cyclonedx: duplicate purls get package-id refs, long version cut to 1024, image is "
	       "a container");
	/* ids: Apache-2.0 x3 (one lower-case), WTFPL x3, MIT, GPL-2.0+ ->
	 * GPL-2.0-or-later; expressions: WITH and OR/AND; names: the rest. */
	TAP_OK(ids == 8 && exprs == 2 && names == 6,
	       "cyclonedx: licences as id (%zu), expression (%zu), or name (%zu)", ids, exprs,
	       names);
	json_object_put(bom);
	free(c);
	sample_free(&s);

	sample_build(&s, SAMPLE_ROOTFS);
	c = render(&s, HULL_SBOM_CYCLONEDX, 1 << 22, &err);
	bom = parse(c);
	mtype = hull_json_get_str(
	    hull_json_get_obj(hull_json_get_obj(bom, "metadata"), "component"), "type");
	struct json_object *deps = hull_json_get_arr(bom, "dependencies");
	TAP_OK(mtype && !strcmp(mtype, "file") && deps && json_object_array_length(deps) == 1,
	       "cyclonedx rootfs: a file component; no distribution, packages hang off the target");
	json_object_put(bom);
	free(c);
	char *j = render(&s, HULL_SBOM_JSON, 1 << 22, &err);
	struct json_object *doc = parse(j);
	struct json_object *p0 = json_object_array_get_idx(hull_json_get_arr(doc, "packages"), 0);
	struct json_object *layer = NULL;
	TAP_OK(p0 && json_object_object_get_ex(p0, "layer", &layer) && layer == NULL &&
	           json_object_object_get_ex(doc, "os", &layer) && layer == NULL,
	       "json rootfs: layer and os are null");
	json_object_put(doc);
	free(j);
	sample_free(&s);

	sample_build(&s, SAMPLE_EMPTY);
	t = render(&s, HULL_SBOM_TABLE, 1 << 20, &err);
	TAP_OK(t && strstr(t, "\n0 packages\n") && !strstr(t, "NAME"), "table: an empty inventory");
	free(t);
	sample_free(&s);

	struct hull_sbom_input none = {0};
	struct hull_buf b;
	hull_buf_init(&b, 1024);
	TAP_OK(hull_report_sbom(HULL_SBOM_JSON, &none, &b, &err) < 0,
	       "a missing image is an error");
	hull_buf_release(&b);
}

int main(void)
{
	test_utf8();
	test_json_writer();
	test_purl_format();
	test_purl_spec_examples();
	test_purl_syft_deb();
	test_purl_syft_rpm();
	test_purl_trivy_rpm();
	test_purl_trivy_npm();
	test_license();
	test_writers();
	test_writer_details();
	return tap_done();
}
