/* Unit tests of src/vulndb: CVSS scores, strict and lenient handling of bad
 * records (positions in the messages), atomic replacement, import/export,
 * hostile rows, schema checks, the lookup API. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/digest.h"
#include "util/fs.h"
#include "vulndb/internal.h"

static char dir[] = "/tmp/hull-vdb-unit-XXXXXX";

static const char *path_in(const char *name)
{
	static char p[32][512];
	static int k;
	k = (k + 1) % 32;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void test_cvss(void)
{
	static const struct {
		const char *v;
		int s10;
	} v3[] = {
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100},
	    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78},
	    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 61},
	    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 65},
	    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64},
	    {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 98},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", -1},
	    {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1},
	    {"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", -1},
	    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", -1},
	    {"CVSS:3.1/", -1},
	};
	for (size_t i = 0; i < sizeof(v3) / sizeof(v3[0]); i++)
		TAP_OK(vdb_cvss3_score10(hull_str_c(v3[i].v)) == v3[i].s10, "cvss3 %s = %d",
		       v3[i].v, v3[i].s10);
	TAP_OK(vdb_cvss2_score10(HULL_STR_LIT("AV:N/AC:L/Au:N/C:P/I:P/A:P")) == 75, "cvss2 7.5");
	TAP_OK(vdb_cvss2_score10(HULL_STR_LIT("AV:N/AC:M/Au:N/C:N/I:P/A:N")) == 43, "cvss2 4.3");
	TAP_OK(vdb_cvss2_score10(HULL_STR_LIT("(AV:L/AC:L/Au:N/C:C/I:C/A:C)")) == 72, "cvss2 7.2");
	TAP_OK(vdb_cvss3_severity(98) == HULL_SEV_CRITICAL &&
	           vdb_cvss3_severity(70) == HULL_SEV_HIGH &&
	           vdb_cvss3_severity(69) == HULL_SEV_MEDIUM &&
	           vdb_cvss3_severity(1) == HULL_SEV_LOW &&
	           vdb_cvss3_severity(0) == HULL_SEV_UNKNOWN,
	       "cvss3 severity bands");
}

static const char tracker_bad[] =
    "{\n"
    "  \"ok\": {\"CVE-2020-1\": {\"releases\": {\"bookworm\": {\"status\": \"resolved\","
    " \"fixed_version\": \"1.0-1\", \"urgency\": \"medium\"}}}},\n"
    "  \"bad\": {\"CVE-2020-2\": {\"releases\": {\n"
    "      \"bookworm\": {\"status\": \"maybe\"}}}}\n"
    "}\n";

static int collect(const struct hull_vulndb_advisory *a, void *ctx)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 4096 - n, "%s|%s|%s|%s;", a->id, a->fixed ? a->fixed : "-",
	         hull_vulndb_source_name(a->source), a->severity_source ? a->severity_source : "-");
	return 0;
}

static int build_buf(const char *db, const char *name, const char *data, bool strict,
                     struct hull_err *err)
{
	struct hull_vulndb_build_opts o = {.strict = strict};
	struct hull_vulndb_builder *b;
	if (hull_vulndb_builder_new(&o, &b, err) < 0)
		return -1;
	int rc = hull_vulndb_builder_add_buffer(b, name, data, strlen(data), err);
	if (rc == 0)
		rc = hull_vulndb_builder_write(b, db, err);
	hull_vulndb_builder_free(b);
	return rc;
}

static void digest_of(const char *p, char out[HULL_DIGEST_STRLEN + 1])
{
	char *data = NULL;
	size_t n = 0;
	struct hull_err e = {0};
	out[0] = 0;
	if (hull_fs_read_file(p, 1u << 30, &data, &n, &e) == 0)
		hull_sha256_digest(data, n, out, &e);
	free(data);
}

/* A vulnerability id given as "" (found by the campaign, fuzz_tracker): a
 * bad record, skipped with its line, never stored (the blob reader would
 * read a record without an id as damaged, losing the package's others). */
static const char tracker_empty_id[] =
    "{\n"
    "  \"p\": {\"CVE-2020-1\": {\"releases\": {\"bookworm\": {\"status\": \"open\"}}},\n"
    "         \"\": {\"releases\": {\"bookworm\": {\"status\": \"open\"}}}}\n"
    "}\n";

static void test_empty_id(void)
{
	struct hull_err err = {0};
	const char *db = path_in("empty-id.sqlite");
	int rc = build_buf(db, "tracker.json", tracker_empty_id, true, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "expected a vulnerability id as key") &&
	           strstr(err.msg, "package 'p'"),
	       "strict: an empty vulnerability id is a bad record naming its package: %s", err.msg);
	rc = build_buf(db, "tracker.json", tracker_empty_id, false, &err);
	TAP_OK(rc == 0, "lenient: the build succeeds: %s", err.msg);
	struct hull_vulndb *v;
	char got[4096] = "";
	TAP_OK(hull_vulndb_open(db, &v, &err) == 0, "open");
	TAP_OK(hull_vulndb_lookup(v, "debian:12", HULL_STR_LIT("p"), collect, got, &err) >= 0 &&
	           !strcmp(got, "CVE-2020-1|-|debian-tracker|-;"),
	       "the package's other advisory is read back, alone: %s (%s)", got, err.msg);
	hull_vulndb_close(v);
}

static void test_bad_records(void)
{
	struct hull_err err = {0};
	const char *db = path_in("bad.sqlite");
	int rc = build_buf(db, "tracker.json", tracker_bad, true, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "tracker.json: line 4") &&
	           strstr(err.msg, "unknown status 'maybe'") && strstr(err.msg, "package 'bad'"),
	       "strict: a bad status is fatal with file, line and what was expected: %s", err.msg);
	TAP_OK(access(db, F_OK) != 0, "strict failure writes no database");
	rc = build_buf(db, "tracker.json", tracker_bad, false, &err);
	TAP_OK(rc == 0, "lenient: the build succeeds: %s", err.msg);
	struct json_object *info = NULL;
	TAP_OK(hull_vulndb_info(db, &info, &err) == 0, "info");
	struct json_object *sk = NULL, *tot = NULL;
	json_object_object_get_ex(info, "skipped", &sk);
	json_object_object_get_ex(info, "skipped_total", &tot);
	struct json_object *k0 = sk ? json_object_array_get_idx(sk, 0) : NULL;
	TAP_OK(tot && json_object_get_int(tot) == 1 && k0 &&
	           json_object_get_int(json_object_object_get(k0, "line")) == 4 &&
	           strstr(json_object_get_string(json_object_object_get(k0, "message")),
	                  "unknown status"),
	       "lenient: the bad record is counted and listed with its line");
	json_object_put(info);
	struct hull_vulndb *v;
	char got[4096] = "";
	TAP_OK(hull_vulndb_open(db, &v, &err) == 0, "open");
	hull_vulndb_lookup(v, "debian:12", HULL_STR_LIT("ok"), collect, got, &err);
	TAP_OK(!strcmp(got, "CVE-2020-1|1.0-1|debian-tracker|debian;"), "good record kept: %s",
	       got);
	got[0] = 0;
	hull_vulndb_lookup(v, "debian:12", HULL_STR_LIT("bad"), collect, got, &err);
	TAP_OK(!got[0], "bad record skipped");
	TAP_OK(hull_vulndb_has_namespace(v, "debian:12") &&
	           !hull_vulndb_has_namespace(v, "debian:11"),
	       "has_namespace");
	hull_vulndb_close(v);

	/* the previous database survives a failed build */
	char before[HULL_DIGEST_STRLEN + 1], after[HULL_DIGEST_STRLEN + 1];
	digest_of(db, before);
	rc = build_buf(db, "tracker.json", tracker_bad, true, &err);
	digest_of(db, after);
	TAP_OK(rc < 0 && !strcmp(before, after), "a failed build leaves the database as it was");

	static const char dsa[] = "[29 Mar 2023] DSA-5380-1 xorg-server - security update\n"
	                          "\t{CVE-2023-1393}\n"
	                          "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6 junk\n";
	rc = build_buf(path_in("dsa.sqlite"), "DSA-list", dsa, true, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "DSA-list: line 3, column 1") &&
	           strstr(err.msg, "expected '(notes)'"),
	       "DSA list: position and expectation: %s", err.msg);
	static const char secdb[] = "distroversion: v3.11\n"
	                            "reponame: main\n"
	                            "packages:\n"
	                            "  - pkg:\n"
	                            "      name: git\n"
	                            "      secfixes:\n"
	                            "        2.15.r-r1:\n"
	                            "          - CVE-2017-1000117\n";
	rc = build_buf(path_in("secdb.sqlite"), "main.yaml", secdb, true, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "main.yaml: line 8") && strstr(err.msg, "apk:"),
	       "secdb YAML: line of the bad version: %s", err.msg);
	static const char osv[] = "{\"id\": \"GHSA-1\", \"modified\": \"x\", \"affected\": "
	                          "[{\"package\": {\"ecosystem\": \"npm\", \"name\": \"a\"}, "
	                          "\"ranges\": [{\"type\": \"SEMVER\", \"events\": "
	                          "[{\"introduced\": \"0\", \"fixed\": \"1\"}]}]}]}";
	rc = build_buf(path_in("osv.sqlite"), "GHSA-1.json", osv, true, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "GHSA-1.json: line 1, column 1") &&
	           strstr(err.msg, "events[]") && strstr(err.msg, "expected an event with one"),
	       "OSV: bad event named: %s", err.msg);
}

static const char osv_pypi[] = "id: PYSEC-2099-1\n"
                               "modified: \"2024-01-01T00:00:00Z\"\n"
                               "summary: Something bad\n"
                               "details: Longer text.\n"
                               "aliases: [CVE-2099-1]\n"
                               "severity:\n"
                               "- type: CVSS_V3\n"
                               "  score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
                               "references:\n"
                               "- type: WEB\n"
                               "  url: https://example.org/a\n"
                               "- type: ADVISORY\n"
                               "  url: https://example.org/advisory\n"
                               "affected:\n"
                               "- package: {name: Django_Foo.Bar, ecosystem: PyPI}\n"
                               "  ranges:\n"
                               "  - type: ECOSYSTEM\n"
                               "    events: [{introduced: '0'}, {fixed: 2.0.1}]\n"
                               "  versions: ['1.0', '2.0']\n";

static int check_pypi(const struct hull_vulndb_advisory *a, void *ctx)
{
	int *ok = ctx;
	*ok = !strcmp(a->id, "PYSEC-2099-1") && a->kind == HULL_VULNDB_OSV &&
	      a->eco == HULL_ECO_PEP440 && a->severity == HULL_SEV_CRITICAL &&
	      a->cvss_score > 9.79 && a->cvss_score < 9.81 &&
	      !strcmp(a->severity_source, "cvss_v3") && !strcmp(a->title, "Something bad") &&
	      !strcmp(a->url, "https://example.org/advisory") && a->n_aliases == 1 &&
	      !strcmp(a->aliases[0], "CVE-2099-1") && a->n_affected == 1 &&
	      a->affected[0].n_ranges == 1 && a->affected[0].ranges[0].n_events == 2 &&
	      a->affected[0].n_versions == 2 && !strcmp(a->fixed, "2.0.1") &&
	      a->status == HULL_VULN_FIXED;
	bool aff = false;
	struct hull_err e = {0};
	hull_osv_affected_match(a->eco, &a->affected[0], HULL_STR_LIT("1.5"), &aff, &e);
	*ok = *ok && aff;
	hull_osv_affected_match(a->eco, &a->affected[0], HULL_STR_LIT("2.0.1"), &aff, &e);
	*ok = *ok && !aff;
	return 0;
}

static void test_lookup_import_export(void)
{
	struct hull_err err = {0};
	const char *db = path_in("pypi.sqlite");
	TAP_OK(build_buf(db, "PYSEC-2099-1.yaml", osv_pypi, true, &err) == 0, "OSV YAML build: %s",
	       err.msg);
	struct hull_vulndb *v;
	int ok = 0;
	TAP_OK(hull_vulndb_open(db, &v, &err) == 0, "open");
	hull_vulndb_lookup(v, "PyPI", HULL_STR_LIT("django-foo-bar"), check_pypi, &ok, &err);
	TAP_OK(ok, "OSV advisory fields, and the ranges evaluate through src/version");
	ok = 0;
	hull_vulndb_lookup(v, "PyPI", HULL_STR_LIT("Django.Foo__bar"), check_pypi, &ok, &err);
	TAP_OK(ok, "PyPI names are PEP 503-normalised on lookup");
	struct hull_vulndb_details d;
	TAP_OK(hull_vulndb_details(v, "PYSEC-2099-1", &d, &err) == 0 &&
	           !strcmp(d.description, "Longer text.") && d.n_references == 2 &&
	           !strcmp(d.references[1], "https://example.org/advisory") &&
	           !strcmp(d.modified, "2024-01-01T00:00:00Z"),
	       "details");
	TAP_OK(hull_vulndb_details(v, "CVE-0000-0", &d, &err) < 0 && err.kind == HULL_ERR_NOTFOUND,
	       "details of an unknown id: not found");
	hull_vulndb_close(v);

	const char *exp = path_in("export.sqlite.zst"), *imp = path_in("imported.sqlite");
	TAP_OK(hull_vulndb_export(db, exp, &err) == 0, "export .zst: %s", err.msg);
	TAP_OK(hull_vulndb_import(imp, exp, &err) == 0, "import .zst: %s", err.msg);
	ok = 0;
	if (hull_vulndb_open(imp, &v, &err) == 0) {
		hull_vulndb_lookup(v, "PyPI", HULL_STR_LIT("django-foo-bar"), check_pypi, &ok,
		                   &err);
		hull_vulndb_close(v);
	}
	TAP_OK(ok, "the imported database answers like the original");
	char before[HULL_DIGEST_STRLEN + 1], after[HULL_DIGEST_STRLEN + 1];
	digest_of(imp, before);
	const char *junk = path_in("junk.bin");
	hull_fs_write_atomic(junk, "not a database at all, not even close", 37, &err);
	TAP_OK(hull_vulndb_import(imp, junk, &err) < 0, "importing junk fails: %s", err.msg);
	const char *trunc = path_in("trunc.zst");
	char *data = NULL;
	size_t n = 0;
	hull_fs_read_file(exp, 1u << 30, &data, &n, &err);
	hull_fs_write_atomic(trunc, data, n / 2, &err);
	free(data);
	TAP_OK(hull_vulndb_import(imp, trunc, &err) < 0, "importing a truncated export fails: %s",
	       err.msg);
	digest_of(imp, after);
	TAP_OK(!strcmp(before, after), "failed imports keep the database");

	/* a hostile row: damaged, the lookup fails cleanly */
	const char *hostile = path_in("hostile.sqlite");
	TAP_OK(hull_vulndb_export(db, hostile, &err) == 0, "export: %s", err.msg);
	sqlite3 *s;
	sqlite3_open(hostile, &s);
	sqlite3_exec(s, "UPDATE pkg SET data = x'0105ff0341424300'", NULL, NULL, NULL);
	sqlite3_close(s);
	TAP_OK(hull_vulndb_open(hostile, &v, &err) == 0, "open the hostile database: %s", err.msg);
	int rc =
	    hull_vulndb_lookup(v, "PyPI", HULL_STR_LIT("django-foo-bar"), check_pypi, &ok, &err);
	TAP_OK(rc < 0 && strstr(err.msg, "damaged"), "a damaged row is an error: %s", err.msg);
	hull_vulndb_close(v);
	sqlite3_open(hostile, &s);
	sqlite3_exec(s, "UPDATE meta SET value = '99' WHERE key = 'schema'", NULL, NULL, NULL);
	sqlite3_close(s);
	TAP_OK(hull_vulndb_open(hostile, &v, &err) < 0 && strstr(err.msg, "schema 99"),
	       "another schema version is refused: %s", err.msg);
	TAP_OK(hull_vulndb_open(path_in("absent.sqlite"), &v, &err) < 0 &&
	           err.kind == HULL_ERR_NOTFOUND,
	       "a missing database: not found");
}

int main(void)
{
	if (!mkdtemp(dir))
		return TAP_OK(0, "mkdtemp %s", dir), tap_done();
	test_cvss();
	test_bad_records();
	test_empty_id();
	test_lookup_import_export();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	return tap_done();
}
