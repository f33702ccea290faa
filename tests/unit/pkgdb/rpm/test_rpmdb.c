/* test_rpmdb: the rpm database reader on real and on hostile input.
 *
 * Real: the Berkeley DB Packages from a centos:8 image (shared data, with
 * the expected package transcribed from syft's test), an NDB Packages.db
 * written by rpm 4.18 (built with --enable-ndb) from our test packages (in
 * the fuzz seed corpus). Hostile: header blobs built here field by field,
 * containers wrapped around them, and the real files mutated (truncation,
 * loops in page chains, offsets out of range, checksum and magic damage).
 * Every hostile case must give an error, never a crash (ASan checks). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/parsers.h"
#include "pkgdb/rpmdb_internal.h"
#include "tap.h"

/* ---------- helpers ---------- */

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	unsigned char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/* Parses data; returns the rc and leaves the inventory for inspection. */
static int parse(const void *data, size_t len, struct hull_inventory *inv, struct hull_err *err)
{
	memset(inv, 0, sizeof(*inv));
	memset(err, 0, sizeof(*err));
	return hull_rpmdb_parse(hull_str(data, len), "var/lib/rpm/test", 3, inv, err);
}

static int streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---------- a header builder ---------- */

struct hb {
	unsigned char idx[64 * 16];
	uint32_t il;
	unsigned char store[8192];
	uint32_t dl;
};

static void hb_entry(struct hb *b, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	unsigned char *e = b->idx + b->il++ * 16;
	put_be32(e, tag);
	put_be32(e + 4, type);
	put_be32(e + 8, off);
	put_be32(e + 12, count);
}

static void hb_str(struct hb *b, uint32_t tag, const char *s)
{
	hb_entry(b, tag, HULL_RPM_STRING, b->dl, 1);
	memcpy(b->store + b->dl, s, strlen(s) + 1);
	b->dl += (uint32_t)strlen(s) + 1;
}

static void hb_i32(struct hb *b, uint32_t tag, uint32_t v)
{
	while (b->dl % 4)
		b->store[b->dl++] = 0;
	hb_entry(b, tag, HULL_RPM_INT32, b->dl, 1);
	put_be32(b->store + b->dl, v);
	b->dl += 4;
}

static void hb_strs(struct hb *b, uint32_t tag, const char *const *v, uint32_t n)
{
	hb_entry(b, tag, HULL_RPM_STRING_ARRAY, b->dl, n);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(b->store + b->dl, v[i], strlen(v[i]) + 1);
		b->dl += (uint32_t)strlen(v[i]) + 1;
	}
}

static void hb_i32s(struct hb *b, uint32_t tag, const uint32_t *v, uint32_t n)
{
	while (b->dl % 4)
		b->store[b->dl++] = 0;
	hb_entry(b, tag, HULL_RPM_INT32, b->dl, n);
	for (uint32_t i = 0; i < n; i++, b->dl += 4)
		put_be32(b->store + b->dl, v[i]);
}

/* Wraps the entries in an immutable region, as rpm stores headers. */
static void hb_region(struct hb *b)
{
	memmove(b->idx + 16, b->idx, b->il * 16);
	b->il++;
	unsigned char *e = b->idx;
	put_be32(e, 63);
	put_be32(e + 4, HULL_RPM_BIN);
	put_be32(e + 8, b->dl);
	put_be32(e + 12, 16);
	unsigned char *t = b->store + b->dl;
	put_be32(t, 63);
	put_be32(t + 4, HULL_RPM_BIN);
	put_be32(t + 8, (uint32_t) - (int32_t)(b->il * 16));
	put_be32(t + 12, 16);
	b->dl += 16;
}

static size_t hb_out(const struct hb *b, unsigned char *out)
{
	put_be32(out, b->il);
	put_be32(out + 4, b->dl);
	memcpy(out + 8, b->idx, b->il * 16);
	memcpy(out + 8 + b->il * 16, b->store, b->dl);
	return 8 + b->il * 16 + b->dl;
}

static void hb_package(struct hb *b, const char *name, int epoch, const char *srpm)
{
	memset(b, 0, sizeof(*b));
	hb_str(b, HULL_RPMTAG_NAME, name);
	hb_str(b, HULL_RPMTAG_VERSION, "3.0.7");
	hb_str(b, HULL_RPMTAG_RELEASE, "27.el9");
	if (epoch >= 0)
		hb_i32(b, HULL_RPMTAG_EPOCH, (uint32_t)epoch);
	hb_str(b, HULL_RPMTAG_LICENSE, "Apache-2.0");
	hb_str(b, HULL_RPMTAG_ARCH, "aarch64");
	if (srpm)
		hb_str(b, HULL_RPMTAG_SOURCERPM, srpm);
	hb_region(b);
}

/* ---------- an NDB writer (the format of rpm's lib/backend/ndb/rpmpkg.c) ---------- */

static uint32_t adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;
	while (n--) {
		a = (a + *p++) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

/* One slot page and the blobs after it; returns the file size. */
static size_t ndb_build(unsigned char *out, size_t cap, const unsigned char *const *blobs,
                        const size_t *lens, int n)
{
	memset(out, 0, cap);
	memcpy(out, "RpmP", 4);
	put_le32(out + 8, 1);  /* generation */
	put_le32(out + 12, 1); /* slot pages */
	put_le32(out + 16, (uint32_t)n + 1);
	for (int s = 2; s < 256; s++)
		memcpy(out + s * 16, "Slot", 4);
	size_t off = 4096;
	for (int i = 0; i < n; i++) {
		size_t blks = (16 + lens[i] + 12 + 15) / 16;
		unsigned char *p = out + off;
		memcpy(p, "BlbS", 4);
		put_le32(p + 4, (uint32_t)i + 1);
		put_le32(p + 8, 1700000000);
		put_le32(p + 12, (uint32_t)lens[i]);
		memcpy(p + 16, blobs[i], lens[i]);
		unsigned char *t = p + blks * 16 - 12;
		put_le32(t, adler32(p, blks * 16 - 12));
		put_le32(t + 4, (uint32_t)lens[i]);
		memcpy(t + 8, "BlbE", 4);
		unsigned char *slot = out + (2 + i) * 16;
		put_le32(slot + 4, (uint32_t)i + 1);
		put_le32(slot + 8, (uint32_t)(off / 16));
		put_le32(slot + 12, (uint32_t)blks);
		off += blks * 16;
	}
	return off;
}

/* ---------- header validation ---------- */

static int open_hdr(const struct hb *b, struct hull_err *err)
{
	static unsigned char buf[16384];
	size_t n = hb_out(b, buf);
	struct hull_rpmhdr h;
	memset(err, 0, sizeof(*err));
	return hull_rpmhdr_open(hull_str((const char *)buf, n), &h, err);
}

static void test_header_valid(void)
{
	struct hb b;
	unsigned char buf[16384];
	struct hull_err err = {0};
	struct hull_rpmhdr h;
	struct hull_str s;
	int32_t v;
	hb_package(&b, "openssl-libs", 1, "openssl-3.0.7-27.el9.src.rpm");
	size_t n = hb_out(&b, buf);
	TAP_OK(hull_rpmhdr_open(hull_str((const char *)buf, n), &h, &err) == 0,
	       "header: a well-formed header with a region opens (%s)", err.msg);
	TAP_OK(hull_rpmhdr_get_string(&h, HULL_RPMTAG_NAME, &s, &err) == 1 &&
	           hull_str_eq_c(s, "openssl-libs"),
	       "header: NAME read");
	TAP_OK(hull_rpmhdr_get_int32(&h, HULL_RPMTAG_EPOCH, &v, &err) == 1 && v == 1,
	       "header: EPOCH read");
	TAP_OK(hull_rpmhdr_get_string(&h, 1004, &s, &err) == 0, "header: absent tag is 0");
	TAP_OK(hull_rpmhdr_get_int32(&h, HULL_RPMTAG_NAME, &v, &err) < 0,
	       "header: NAME read as INT32 is a type error (%s)", err.msg);

	/* A header without a region (rpm v3 style) is valid too. */
	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "old");
	TAP_OK(open_hdr(&b, &err) == 0, "header: no region is fine (%s)", err.msg);
}

static void test_header_hostile(void)
{
	struct hb b;
	struct hull_err err;
	unsigned char buf[16384];
	struct hull_rpmhdr h;

	hb_package(&b, "x", -1, NULL);
	size_t n = hb_out(&b, buf);
	for (size_t cut = 0; cut < n; cut += 7) {
		memset(&err, 0, sizeof(err));
		if (hull_rpmhdr_open(hull_str((const char *)buf, cut), &h, &err) == 0) {
			TAP_OK(0, "header: truncated to %zu bytes opens", cut);
			return;
		}
	}
	TAP_OK(1, "header: every truncation is an error");

	put_be32(buf, 0);
	TAP_OK(hull_rpmhdr_open(hull_str((const char *)buf, n), &h, &err) < 0,
	       "header: zero entries: %s", err.msg);
	put_be32(buf, 0x10000);
	TAP_OK(hull_rpmhdr_open(hull_str((const char *)buf, n), &h, &err) < 0,
	       "header: 65536 entries: %s", err.msg);
	put_be32(buf, 0xffffffff);
	put_be32(buf + 4, 0xfffffff0);
	TAP_OK(hull_rpmhdr_open(hull_str((const char *)buf, n), &h, &err) < 0,
	       "header: huge counts: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "x");
	hb_entry(&b, HULL_RPMTAG_VERSION, HULL_RPM_STRING, 1000, 1);
	TAP_OK(open_hdr(&b, &err) < 0, "header: offset past the store: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_entry(&b, HULL_RPMTAG_NAME, HULL_RPM_STRING, 0xfffffff0, 1);
	b.dl = 8;
	TAP_OK(open_hdr(&b, &err) < 0, "header: negative offset: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_entry(&b, HULL_RPMTAG_NAME, HULL_RPM_STRING, 0, 1);
	memcpy(b.store, "no-nul", 6);
	b.dl = 6;
	TAP_OK(open_hdr(&b, &err) < 0, "header: string without its NUL: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "ab");
	hb_entry(&b, HULL_RPMTAG_EPOCH, HULL_RPM_INT32, 3, 1);
	b.dl = 8;
	TAP_OK(open_hdr(&b, &err) < 0, "header: misaligned INT32: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_entry(&b, HULL_RPMTAG_EPOCH, HULL_RPM_INT32, 0, 0x40000001);
	b.dl = 8;
	TAP_OK(open_hdr(&b, &err) < 0, "header: INT32 count overflowing the store: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_entry(&b, 1027, HULL_RPM_STRING_ARRAY, 0, 0xffffffff);
	memcpy(b.store, "a\0b\0", 4);
	b.dl = 4;
	TAP_OK(open_hdr(&b, &err) < 0, "header: string array count past the store: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "abc");
	hb_entry(&b, HULL_RPMTAG_VERSION, HULL_RPM_STRING, 2, 1);
	TAP_OK(open_hdr(&b, &err) < 0, "header: overlapping entries: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "abc");
	put_be32(b.idx + 12, 2);
	TAP_OK(open_hdr(&b, &err) < 0, "header: STRING with count 2: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, HULL_RPMTAG_NAME, "abc");
	put_be32(b.idx + 4, 12);
	TAP_OK(open_hdr(&b, &err) < 0, "header: unknown type: %s", err.msg);

	memset(&b, 0, sizeof(b));
	hb_str(&b, 50, "abc");
	TAP_OK(open_hdr(&b, &err) < 0, "header: tag below 100: %s", err.msg);

	hb_package(&b, "x", -1, NULL);
	put_be32(b.store + b.dl - 8, (uint32_t) - (int32_t)(1000 * 16));
	TAP_OK(open_hdr(&b, &err) < 0, "header: region trailer larger than the index: %s", err.msg);
	hb_package(&b, "x", -1, NULL);
	put_be32(b.idx + 8, b.dl - 8);
	TAP_OK(open_hdr(&b, &err) < 0, "header: region trailer past the store: %s", err.msg);
}

/* ---------- packages from headers (through an NDB container) ---------- */

static void test_package_fields(void)
{
	struct hb b1, b2, b3;
	static unsigned char h1[16384], h2[16384], h3[16384], file[65536];
	hb_package(&b1, "openssl-libs", 1, "openssl-3.0.7-27.el9.src.rpm");
	hb_package(&b2, "gpg-pubkey", -1, NULL);
	hb_package(&b3, "odd", 0, "not-a-source-name");
	const unsigned char *blobs[] = {h1, h2, h3};
	size_t lens[] = {hb_out(&b1, h1), hb_out(&b2, h2), hb_out(&b3, h3)};
	size_t n = ndb_build(file, sizeof(file), blobs, lens, 3);
	struct hull_inventory inv;
	struct hull_err err;
	int rc = parse(file, n, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 3, "fields: 3 packages (%s)", err.msg);
	if (inv.npkgs == 3) {
		const struct hull_pkg *p = &inv.pkgs[0];
		TAP_OK(p->type == HULL_PKG_RPM && streq(p->name, "openssl-libs") &&
		           streq(p->version, "1:3.0.7-27.el9") && p->epoch == 1 &&
		           streq(p->rpm_version, "3.0.7") && streq(p->release, "27.el9") &&
		           streq(p->arch, "aarch64") && streq(p->license, "Apache-2.0"),
		       "fields: name, [epoch:]version-release, parts, arch, license");
		TAP_OK(streq(p->src_name, "openssl") && streq(p->src_version, "3.0.7-27.el9"),
		       "fields: source rpm split into name and version");
		TAP_OK(streq(p->file, "var/lib/rpm/test") && p->layer == 3,
		       "fields: file and layer as given");
		p = &inv.pkgs[1];
		TAP_OK(streq(p->version, "3.0.7-27.el9") && p->epoch == -1 && !p->src_name &&
		           !p->src_version,
		       "fields: no epoch, no source rpm");
		p = &inv.pkgs[2];
		TAP_OK(streq(p->version, "0:3.0.7-27.el9") && p->epoch == 0 && !p->src_name,
		       "fields: epoch 0 kept; a malformed source rpm gives no source");
	}
	hull_inventory_release(&inv);

	/* A header without NAME between two good ones: skipped, named, the rest kept. */
	memset(&b2, 0, sizeof(b2));
	hb_str(&b2, HULL_RPMTAG_VERSION, "1");
	hb_str(&b2, HULL_RPMTAG_RELEASE, "1");
	lens[1] = hb_out(&b2, h2);
	n = ndb_build(file, sizeof(file), blobs, lens, 3);
	rc = parse(file, n, &inv, &err);
	TAP_OK(rc < 0 && inv.npkgs == 2 && strstr(err.msg, "record 2") &&
	           strstr(err.msg, "var/lib/rpm/test"),
	       "fields: a header without a name is skipped and named: %s", err.msg);
	hull_inventory_release(&inv);
}

/* ---------- NDB ---------- */

static void test_ndb_hostile(void)
{
	struct hb b;
	static unsigned char h[16384], file[65536], copy[65536];
	hb_package(&b, "pkg", -1, "pkg-3.0.7-27.el9.src.rpm");
	const unsigned char *blobs[] = {h};
	size_t lens[] = {hb_out(&b, h)};
	size_t n = ndb_build(file, sizeof(file), blobs, lens, 1);
	struct hull_inventory inv;
	struct hull_err err;
	TAP_OK(parse(file, n, &inv, &err) == 0 && inv.npkgs == 1, "ndb: one package (%s)", err.msg);
	hull_inventory_release(&inv);

	struct {
		size_t off;
		uint32_t val;
		const char *what;
	} cases[] = {
	    {4, 1, "version 1"},
	    {12, 0, "zero slot pages"},
	    {12, 0xffffffff, "2^32-1 slot pages"},
	    {12, 2, "more slot pages than the file"},
	    {32, 0x12345678, "bad slot magic"},
	    {32 + 4, 0, "slot with package 0"},
	    {32 + 8, 1, "blob inside the slot pages"},
	    {32 + 8, 0xfffffff0, "blob offset past the file"},
	    {32 + 12, 0x10000000, "block count past the file"},
	    {32 + 12, 1, "block count too small"},
	    {4096 + 4, 7, "blob names another package"},
	    {4096 + 12, 0xffffffff, "blob length 2^32-1"},
	    {4096 + 12, 3, "blob length off the block count"},
	    {4096 + 100, 0xdeadbeef, "blob content changed (checksum)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(copy, file, n);
		put_le32(copy + cases[i].off, cases[i].val);
		int rc = parse(copy, n, &inv, &err);
		TAP_OK(rc < 0 && inv.npkgs == 0, "ndb: %s: %s", cases[i].what, err.msg);
		hull_inventory_release(&inv);
	}
	TAP_OK(parse(file, n - 1, &inv, &err) < 0, "ndb: truncated by one byte: %s", err.msg);
	hull_inventory_release(&inv);
	TAP_OK(parse(file, 100, &inv, &err) < 0, "ndb: truncated to 100 bytes: %s", err.msg);
	hull_inventory_release(&inv);
}

/* The NDB Packages.db written by rpm 4.18 --enable-ndb from our test specs:
 * what `rpm -qa --dbpath` listed when it was made. */
static void test_ndb_real(void)
{
	const char *src = getenv("HULL_SRC");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fuzz/pkgdb/corpus/rpmdb/ndb-rpm418-Packages.db",
	         src ? src : ".");
	size_t n;
	unsigned char *data = slurp(path, &n);
	if (!data) {
		TAP_OK(0, "ndb: real fixture %s missing", path);
		return;
	}
	struct hull_inventory inv;
	struct hull_err err;
	int rc = parse(data, n, &inv, &err);
	const char *want[] = {"tiny-epoch 3:2.5-1.fc38 x86_64", "tiny-noarch 0.1-0.rc1 noarch",
	                      "libtiny3 3.0.7-27.el9 x86_64"};
	int found = 0;
	for (size_t i = 0; i < inv.npkgs; i++)
		for (size_t w = 0; w < 3; w++) {
			char line[256];
			snprintf(line, sizeof(line), "%s %s %s", inv.pkgs[i].name,
			         inv.pkgs[i].version, inv.pkgs[i].arch);
			found += strcmp(line, want[w]) == 0;
		}
	TAP_OK(rc == 0 && inv.npkgs == 3 && found == 3,
	       "ndb: rpm 4.18's Packages.db gives what rpm -qa listed (%s)", err.msg);
	if (inv.npkgs == 3)
		TAP_OK(streq(inv.pkgs[0].src_name, "tiny-src") ||
		           streq(inv.pkgs[1].src_name, "tiny-src") ||
		           streq(inv.pkgs[2].src_name, "tiny-src"),
		       "ndb: libtiny3 comes from source tiny-src");
	hull_inventory_release(&inv);
	free(data);
}

/* ---------- Berkeley DB ---------- */

/* The expected-packages.tsv row: name syft_version epoch version release
 * arch source_rpm size vendor license ... */
static void test_bdb_real(const unsigned char *data, size_t n)
{
	const char *tsv = tap_shared("rpm/syft-bdb-centos8-dive/expected-packages.tsv");
	size_t tn = 0;
	char *t = tsv ? (char *)slurp(tsv, &tn) : NULL;
	if (!t) {
		TAP_OK(0, "bdb: expected-packages.tsv missing");
		return;
	}
	t[tn] = 0;
	char *row = NULL;
	for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0] != '#' && strncmp(line, "name\t", 5) != 0)
			row = line;
	char *f[10] = {0};
	int nf = 0;
	for (char *c = row; c && nf < 10; nf++) {
		f[nf] = c;
		c = strchr(c, '\t');
		if (c)
			*c++ = 0;
	}
	struct hull_inventory inv;
	struct hull_err err;
	int rc = parse(data, n, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 1 && nf == 10, "bdb: centos:8 Packages has 1 package (%s)",
	       err.msg);
	if (rc == 0 && inv.npkgs == 1 && nf == 10) {
		const struct hull_pkg *p = &inv.pkgs[0];
		char srpm[256];
		snprintf(srpm, sizeof(srpm), "%s-%s.src.rpm", p->src_name, p->src_version);
		TAP_OK(streq(p->name, f[0]) && streq(p->version, f[1]) &&
		           (p->epoch < 0) == (strcmp(f[2], "(none)") == 0) &&
		           streq(p->rpm_version, f[3]) && streq(p->release, f[4]) &&
		           streq(p->arch, f[5]) && streq(srpm, f[6]) && streq(p->license, f[9]),
		       "bdb: %s %s %s %s %s as expected-packages.tsv says", p->name, p->version,
		       p->arch, srpm, p->license);
	}
	hull_inventory_release(&inv);
	free(t);
}

struct files_seen {
	char paths[4][128];
	int n;
};

static int on_file(void *ctx, struct hull_str dir, struct hull_str base, struct hull_err *err)
{
	(void)err;
	struct files_seen *s = ctx;
	if (s->n < 4)
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%.*s%.*s", (int)dir.len, dir.ptr,
		         (int)base.len, base.ptr);
	s->n++;
	return 0;
}

/* The one file syft's fixture lists for dive (expected-packages.tsv). */
static void test_bdb_files(const unsigned char *data, size_t n)
{
	struct files_seen s = {0};
	struct hull_err err = {0};
	int rc =
	    hull_rpmdb_each_file(hull_str((const char *)data, n), "Packages", on_file, &s, &err);
	TAP_OK(rc == 0 && s.n == 1 && streq(s.paths[0], "/usr/local/bin/dive"),
	       "bdb files: centos:8 Packages lists /usr/local/bin/dive alone (%d: %s) %s", s.n,
	       s.paths[0], err.msg);
}

static void put_u32_at(unsigned char *d, size_t off, uint32_t v)
{
	put_le32(d + off, v);
}

/* The centos:8 file: page 0 meta, 1 bucket 0 (key 0 only), 2 bucket 1
 * (key 1 -> overflow at page 3, 1324 bytes), 3 the overflow page. */
static void test_bdb_hostile(const unsigned char *data, size_t n)
{
	unsigned char *c = malloc(n);
	struct hull_inventory inv;
	struct hull_err err;
	const size_t P = 4096;
	/* Offsets: item offsets of page 2 at 2*P+26; its data item is the
	 * HOFFPAGE at 2*P+4079 (pgno at +4, tlen at +8). */
	const size_t hoff = 2 * P + 4079;
	struct {
		size_t off;
		uint32_t val;
		int width;
		const char *what;
	} cases[] = {
	    {12, 0x12345678, 4, "bad magic"},
	    {16, 7, 4, "hash version 7"},
	    {20, 1000, 4, "page size 1000"},
	    {20, 1u << 20, 4, "page size 1 MiB"},
	    {32, 4, 4, "last page past the file"},
	    {72, 1000, 4, "max bucket past the last page"},
	    {96, 0xffffff00, 4, "spares pointing past the file"},
	    {2 * P + 8, 5, 4, "page names another page"},
	    {2 * P + 16, 1, 4, "hash chain reaching a bucket page again"},
	    {2 * P + 16, 2, 4, "hash page chained to itself"},
	    {2 * P + 20, 3, 2, "odd item count"},
	    {2 * P + 20, 0x7fff, 2, "item count past the page"},
	    {2 * P + 26, 0xffff, 2, "key offset past the page"},
	    {2 * P + 28, 4091, 2, "data offset after its key"},
	    {2 * P + 28, 10, 2, "data offset inside the offset table"},
	    {hoff - 0 + 0, 9, 1, "unknown item type"},
	    {hoff, 2, 1, "duplicate item"},
	    {hoff + 4, 0, 4, "overflow chain starting at page 0"},
	    {hoff + 4, 99, 4, "overflow chain starting past the last page"},
	    {hoff + 4, 2, 4, "overflow chain starting at a hash page"},
	    {hoff + 8, 0, 4, "overflow length 0"},
	    {hoff + 8, 0xffffffff, 4, "overflow length 2^32-1"},
	    {hoff + 8, 2000, 4, "overflow length longer than its chain"},
	    {hoff + 8, 1000, 4, "overflow length shorter than its page"},
	    {3 * P + 16, 3, 4, "overflow page chained to itself"},
	    {3 * P + 22, 0, 2, "overflow page with no bytes"},
	    {3 * P + 22, 5000, 2, "overflow page longer than a page"},
	    {3 * P + 25, 13, 1, "overflow page of hash type"},
	    {3 * P + 26 + 16, 0x01020304, 4, "header region offset damaged"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(c, data, n);
		if (cases[i].width == 4)
			put_u32_at(c, cases[i].off, cases[i].val);
		else if (cases[i].width == 2)
			put_le16(c + cases[i].off, (uint16_t)cases[i].val);
		else
			c[cases[i].off] = (unsigned char)cases[i].val;
		/* Packages read before the damage may stay; the error must come. */
		int rc = parse(c, n, &inv, &err);
		TAP_OK(rc < 0, "bdb: %s: %s", cases[i].what, err.msg);
		hull_inventory_release(&inv);
	}
	/* A longer loop: tlen asks for more, page 3 chains to 3. */
	memcpy(c, data, n);
	put_u32_at(c, hoff + 8, 1324 * 2);
	put_u32_at(c, 3 * P + 16, 3);
	TAP_OK(parse(c, n, &inv, &err) < 0 && strstr(err.msg, "twice"),
	       "bdb: overflow loop detected: %s", err.msg);
	hull_inventory_release(&inv);
	for (size_t cut = 0; cut < n; cut += 512) {
		int rc = parse(data, cut, &inv, &err);
		hull_inventory_release(&inv);
		if (rc == 0) {
			TAP_OK(0, "bdb: truncated to %zu bytes parses", cut);
			free(c);
			return;
		}
	}
	TAP_OK(1, "bdb: every truncation (512-byte steps) is an error");
	free(c);
}

/* ---------- SQLite ---------- */

/* A Packages table with the given header blobs (or an SQL script), as a
 * serialized database file; *wal marks it WAL mode like rpm's. */
static unsigned char *sqlite_file(const char *sql, const unsigned char *blob, size_t blen, int wal,
                                  size_t *len)
{
	sqlite3 *db;
	*len = 0;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return NULL;
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "# sqlite: %s\n", msg);
		sqlite3_free(msg);
	}
	if (blob) {
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &st, NULL);
		sqlite3_bind_blob(st, 1, blob, (int)blen, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	sqlite3_int64 n = 0;
	unsigned char *ser = sqlite3_serialize(db, "main", &n, 0);
	unsigned char *out = ser ? malloc((size_t)n) : NULL;
	if (out) {
		memcpy(out, ser, (size_t)n);
		if (wal && n > 20)
			out[18] = out[19] = 2;
		*len = (size_t)n;
	}
	sqlite3_free(ser);
	sqlite3_close(db);
	return out;
}

#define PACKAGES_SQL                                                                               \
	"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"

static void test_sqlite(void)
{
	struct hb b;
	static unsigned char h[16384];
	hb_package(&b, "sqlite-pkg", 2, "sqlite-pkg-3.0.7-27.el9.src.rpm");
	size_t hl = hb_out(&b, h), n;
	struct hull_inventory inv;
	struct hull_err err;

	unsigned char *f = sqlite_file(PACKAGES_SQL, h, hl, 1, &n);
	TAP_OK(f && parse(f, n, &inv, &err) == 0 && inv.npkgs == 1 &&
	           streq(inv.pkgs[0].version, "2:3.0.7-27.el9"),
	       "sqlite: WAL-mode file read from memory (%s)", err.msg);
	hull_inventory_release(&inv);
	/* SQLite reads only the pages it needs: a cut past them may still
	 * parse, but it must then give the same package, never another. */
	int wrong = 0, errors = 0;
	for (size_t cut = 0; f && cut < n; cut += 97) {
		int rc = parse(f, cut, &inv, &err);
		if (rc < 0)
			errors++;
		else if (inv.npkgs != 1 || !streq(inv.pkgs[0].version, "2:3.0.7-27.el9"))
			wrong++;
		hull_inventory_release(&inv);
	}
	TAP_OK(f && wrong == 0 && errors > 0,
	       "sqlite: truncations give an error (%d) or the package", errors);
	free(f);

	f = sqlite_file("CREATE TABLE Other (x);", NULL, 0, 0, &n);
	TAP_OK(f && parse(f, n, &inv, &err) < 0, "sqlite: no Packages table: %s", err.msg);
	hull_inventory_release(&inv);
	free(f);

	/* A view that would never end: refused (views off), never run. */
	f = sqlite_file("CREATE VIEW Packages AS WITH RECURSIVE c(hnum, blob) AS "
	                "(SELECT 1, x'00' UNION ALL SELECT hnum + 1, blob FROM c) "
	                "SELECT hnum, blob FROM c;",
	                NULL, 0, 0, &n);
	TAP_OK(f && parse(f, n, &inv, &err) < 0, "sqlite: endless view refused: %s", err.msg);
	hull_inventory_release(&inv);
	free(f);

	f = sqlite_file("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob);"
	                "INSERT INTO Packages VALUES (1, 'text, not a header'), (2, NULL);",
	                NULL, 0, 0, &n);
	TAP_OK(f && parse(f, n, &inv, &err) < 0 && inv.npkgs == 0 && strstr(err.msg, "2 of 2"),
	       "sqlite: rows that are not headers are skipped and counted: %s", err.msg);
	hull_inventory_release(&inv);
	free(f);
}

/* A package with files dirs[index[i]] + bases[i], in a SQLite rpmdb; the
 * paths hull_rpmdb_each_file gives, or -1. */
static int files_of(const uint32_t *index, uint32_t nindex, uint32_t ndirs, struct files_seen *s)
{
	static const char *const dirs[] = {"/usr/share/java/", "/opt/app/"};
	static const char *const bases[] = {"a.jar", "b.jar", "c.jar"};
	struct hb b;
	static unsigned char h[16384];
	hb_package(&b, "files", -1, NULL);
	hb_i32s(&b, HULL_RPMTAG_DIRINDEXES, index, nindex);
	hb_strs(&b, HULL_RPMTAG_BASENAMES, bases, 3);
	hb_strs(&b, HULL_RPMTAG_DIRNAMES, dirs, ndirs);
	size_t hl = hb_out(&b, h), n;
	unsigned char *f = sqlite_file(PACKAGES_SQL, h, hl, 1, &n);
	memset(s, 0, sizeof(*s));
	struct hull_err err = {0};
	int rc =
	    f ? hull_rpmdb_each_file(hull_str((const char *)f, n), "rpmdb.sqlite", on_file, s, &err)
	      : -1;
	free(f);
	return rc;
}

static void test_files(void)
{
	struct files_seen s = {0};
	static const uint32_t good[] = {0, 1, 0}, past[] = {0, 2, 1};
	int rc = files_of(good, 3, 2, &s);
	TAP_OK(rc == 0 && s.n == 3 && streq(s.paths[0], "/usr/share/java/a.jar") &&
	           streq(s.paths[1], "/opt/app/b.jar") &&
	           streq(s.paths[2], "/usr/share/java/c.jar"),
	       "files: each base name in the folder its index names (%d)", s.n);
	rc = files_of(past, 3, 2, &s);
	TAP_OK(rc == 0 && s.n == 2 && streq(s.paths[1], "/opt/app/c.jar"),
	       "files: an index past the folders passes that file over (%d)", s.n);
	rc = files_of(good, 2, 2, &s);
	TAP_OK(rc == 0 && s.n == 0,
	       "files: two indexes for three names: the package lends no file (%d)", s.n);
}

static void test_detect(void)
{
	struct hull_inventory inv;
	struct hull_err err;
	TAP_OK(parse("", 0, &inv, &err) < 0 && strstr(err.msg, "not an rpm database"),
	       "detect: empty input: %s", err.msg);
	unsigned char btree[512] = {0};
	put_le32(btree + 12, 0x00053162);
	TAP_OK(parse(btree, sizeof(btree), &inv, &err) < 0 && strstr(err.msg, "btree"),
	       "detect: a Berkeley DB btree index: %s", err.msg);
	TAP_OK(parse("SQLite format 3", 16, &inv, &err) < 0, "detect: SQLite magic alone: %s",
	       err.msg);
	TAP_OK(parse("RpmP", 4, &inv, &err) < 0, "detect: NDB magic alone: %s", err.msg);
}

int main(void)
{
	test_header_valid();
	test_header_hostile();
	test_package_fields();
	test_ndb_hostile();
	test_ndb_real();
	test_sqlite();
	test_files();
	test_detect();
	const char *bdb = tap_shared("rpm/syft-bdb-centos8-dive/Packages");
	size_t n = 0;
	unsigned char *data = bdb ? slurp(bdb, &n) : NULL;
	if (data && n == 16384) {
		test_bdb_real(data, n);
		test_bdb_files(data, n);
		test_bdb_hostile(data, n);
	} else if (bdb) {
		TAP_OK(0, "%s: %zu bytes, the Berkeley DB tests expect 16384", bdb, n);
	}
	free(data);
	return tap_done();
}
