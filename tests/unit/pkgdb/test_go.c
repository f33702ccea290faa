/* Go build info: ELF files made here in every form the Go linker writes
 * (1.18+ inline strings; the older pointers to string headers, 64- and
 * 32-bit, little- and big-endian; found by section name or, stripped of
 * section headers, in the first writable segment), the same blob in PE
 * (PE32+, PE32) and Mach-O (64 and 32 bits, by section or segment) files,
 * damaged ones, and the
 * module lines as packages. The real binaries are compared with
 * `go version -m` in tests/integration/lang. */
#include <stdint.h>

#include "pkgdb_test.h"

#define VADDR  0x400000u
#define SEGOFF 0x200u

struct mk {
	unsigned char b[8192];
	size_t len;
	bool is64, be;
};

static void put(struct mk *m, size_t off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		m->b[off + (m->be ? n - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

static const char sentinel[17] = "0123456789abcdef";

/* A Go binary with build info: vers and mod (mod framed by sentinels; NULL
 * for none). inline_form: 1.18+, else pointers. sections: section headers
 * with a ".go.buildinfo" section at the blob; without them the blob is
 * found in the first writable segment. */
static size_t make(struct mk *m, bool is64, bool be, bool inline_form, bool sections,
                   const char *vers, const char *mod)
{
	memset(m, 0, sizeof(*m));
	m->is64 = is64;
	m->be = be;
	memcpy(m->b,
	       "\x7f"
	       "ELF",
	       4);
	m->b[4] = is64 ? 2 : 1;
	m->b[5] = be ? 2 : 1;
	m->b[6] = 1;
	unsigned ptr = is64 ? 8 : 4;
	size_t phoff = is64 ? 64 : 52;
	/* the segment: [SEGOFF, SEGOFF+0x1000) at VADDR */
	size_t blob = SEGOFF + 0x10; /* 16-aligned inside the segment */
	memcpy(m->b + blob, "\xff Go buildinf:", 14);
	m->b[blob + 14] = (unsigned char)ptr;
	size_t framed_len = 0;
	char framed[2048];
	if (mod) {
		framed_len =
		    (size_t)snprintf(framed, sizeof(framed), "%s%s%s", sentinel, mod, sentinel);
	}
	if (inline_form) {
		m->b[blob + 15] = (unsigned char)(2 | (be ? 1 : 0));
		size_t o = blob + 32;
		m->b[o++] = (unsigned char)strlen(vers);
		memcpy(m->b + o, vers, strlen(vers));
		o += strlen(vers);
		size_t n = framed_len;
		while (n >= 0x80) {
			m->b[o++] = (unsigned char)(n | 0x80);
			n >>= 7;
		}
		m->b[o++] = (unsigned char)n;
		memcpy(m->b + o, framed, framed_len);
	} else {
		m->b[blob + 15] = be ? 1 : 0;
		size_t hv = SEGOFF + 0x100, hm = SEGOFF + 0x120, dv = SEGOFF + 0x140,
		       dm = SEGOFF + 0x180;
		put(m, blob + 16, VADDR + (hv - SEGOFF), ptr);
		put(m, blob + 16 + ptr, VADDR + (hm - SEGOFF), ptr);
		put(m, hv, VADDR + (dv - SEGOFF), ptr);
		put(m, hv + ptr, strlen(vers), ptr);
		put(m, hm, VADDR + (dm - SEGOFF), ptr);
		put(m, hm + ptr, framed_len, ptr);
		memcpy(m->b + dv, vers, strlen(vers));
		memcpy(m->b + dm, framed, framed_len);
	}
	size_t end = SEGOFF + 0x1000;
	/* one PT_LOAD, read-write */
	if (is64) {
		put(m, 32, phoff, 8);
		put(m, 54, 56, 2);
		put(m, 56, 1, 2);
		put(m, phoff, 1, 4);
		put(m, phoff + 4, 6, 4);
		put(m, phoff + 8, SEGOFF, 8);
		put(m, phoff + 16, VADDR, 8);
		put(m, phoff + 32, 0x1000, 8);
	} else {
		put(m, 28, phoff, 4);
		put(m, 42, 32, 2);
		put(m, 44, 1, 2);
		put(m, phoff, 1, 4);
		put(m, phoff + 4, SEGOFF, 4);
		put(m, phoff + 8, VADDR, 4);
		put(m, phoff + 16, 0x1000, 4);
		put(m, phoff + 24, 6, 4);
	}
	if (sections) {
		/* [0] null, [1] .shstrtab, [2] .go.buildinfo at the blob */
		size_t shentsize = is64 ? 64 : 40, shoff = end, stroff = end + 3 * shentsize;
		static const char strtab[] = "\0.shstrtab\0.go.buildinfo";
		memcpy(m->b + stroff, strtab, sizeof(strtab));
		size_t s1 = shoff + shentsize, s2 = shoff + 2 * shentsize;
		put(m, s1, 1, 4);
		put(m, s2, 11, 4);
		if (is64) {
			put(m, 40, shoff, 8);
			put(m, 58, shentsize, 2);
			put(m, 60, 3, 2);
			put(m, 62, 1, 2);
			put(m, s1 + 24, stroff, 8);
			put(m, s1 + 32, sizeof(strtab), 8);
			put(m, s2 + 16, VADDR + (blob - SEGOFF), 8);
		} else {
			put(m, 32, shoff, 4);
			put(m, 46, shentsize, 2);
			put(m, 48, 3, 2);
			put(m, 50, 1, 2);
			put(m, s1 + 16, stroff, 4);
			put(m, s1 + 20, sizeof(strtab), 4);
			put(m, s2 + 12, VADDR + (blob - SEGOFF), 4);
		}
		end = stroff + sizeof(strtab);
	}
	m->len = end;
	return end;
}

/* The same blob and data (make(): a segment of 0x1000 bytes at VADDR,
 * file offset SEGOFF) behind a PE header instead: PE32+ (is64) or PE32,
 * ImageBase VADDR - 0x1000, a code section, then ".data" (initialized,
 * read, write, 32-byte aligned) at VirtualAddress 0x1000. */
static void make_pe(struct mk *m, bool is64, bool inline_form, const char *vers, const char *mod)
{
	make(m, is64, false, inline_form, false, vers, mod);
	memset(m->b, 0, SEGOFF);
	m->len = SEGOFF + 0x1000;
	memcpy(m->b, "MZ", 2);
	put(m, 0x3c, 0x40, 4);
	memcpy(m->b + 0x40, "PE\0\0", 4);
	put(m, 0x44, is64 ? 0x8664 : 0x14c, 2);
	put(m, 0x46, 2, 2);
	put(m, 0x54, 0x70, 2);
	put(m, 0x58, is64 ? 0x20b : 0x10b, 2);
	put(m, 0x58 + (is64 ? 24 : 28), VADDR - 0x1000, is64 ? 8 : 4);
	size_t sh = 0x58 + 0x70;
	memcpy(m->b + sh, ".text", 5);
	put(m, sh + 8, 0x10, 4);
	put(m, sh + 12, 0x3000, 4);
	put(m, sh + 16, 0x10, 4);
	put(m, sh + 20, 0x1f0, 4);
	put(m, sh + 36, 0x60000020, 4);
	sh += 40;
	memcpy(m->b + sh, ".data", 5);
	put(m, sh + 8, 0x1000, 4);
	put(m, sh + 12, 0x1000, 4);
	put(m, sh + 16, 0x1000, 4);
	put(m, sh + 20, SEGOFF, 4);
	put(m, sh + 36, 0xC0600040, 4);
}

/* The same behind a Mach-O header (little-endian, 64 or 32 bits):
 * __PAGEZERO, __TEXT, then __DATA (read-write) at VADDR holding the
 * blob, named by a __go_buildinfo section when section is true. */
static void make_macho(struct mk *m, bool is64, bool inline_form, bool section, const char *vers,
                       const char *mod)
{
	make(m, is64, false, inline_form, false, vers, mod);
	memset(m->b, 0, SEGOFF);
	m->len = SEGOFF + 0x1000;
	unsigned w = is64 ? 8 : 4, segsz = is64 ? 72 : 56, sectsz = is64 ? 80 : 68;
	put(m, 0, is64 ? 0xfeedfacf : 0xfeedface, 4);
	put(m, 4, is64 ? 0x0100000c : 7, 4);
	put(m, 12, 2, 4);
	put(m, 16, 3, 4);
	size_t o = is64 ? 32 : 28;
	static const char *const names[] = {"__PAGEZERO", "__TEXT", "__DATA"};
	for (int i = 0; i < 3; i++) {
		bool data = i == 2;
		unsigned nsect = data && section ? 1 : 0;
		put(m, o, is64 ? 0x19 : 0x1, 4);
		put(m, o + 4, segsz + nsect * sectsz, 4);
		memcpy(m->b + o + 8, names[i], strlen(names[i]));
		size_t f = o + 24;
		put(m, f, i == 0 ? 0 : i == 1 ? 0x100000 : VADDR, w);
		put(m, f + w, 0x1000, w);
		put(m, f + 2 * w, i == 2 ? SEGOFF : 0, w);
		put(m, f + 3 * w, i == 0 ? 0 : i == 1 ? 0x100 : 0x1000, w);
		put(m, f + 4 * w, data ? 3 : i ? 5 : 0, 4);
		put(m, f + 4 * w + 4, data ? 3 : i ? 5 : 0, 4);
		put(m, f + 4 * w + 8, nsect, 4);
		if (nsect) {
			size_t sc = o + segsz;
			memcpy(m->b + sc, "__go_buildinfo", 14);
			memcpy(m->b + sc + 16, "__DATA", 6);
			put(m, sc + 32, VADDR + 0x10, w);
			put(m, sc + 32 + w, 0x100, w);
		}
		o += segsz + nsect * sectsz;
	}
	put(m, 20, o - (is64 ? 32 : 28), 4);
}

static const char *MOD = "path\texample.com/app/cmd/app\n"
                         "mod\texample.com/app\t(devel)\t\n"
                         "dep\tgolang.org/x/sys\tv0.5.0\th1:abc=\n"
                         "dep\tgithub.com/a/b\tv1.0.0\th1:def=\n"
                         "=>\tgithub.com/fork/b\tv1.0.1\th1:ghi=\n"
                         "dep\tgithub.com/c/d\tv2.0.0+incompatible\n"
                         "=>\t../d\t\t\n"
                         "build\t-buildmode=exe\n"
                         "build\tvcs.revision=0123abcd\n";

/* The packages of an inventory as "name version" lines joined by ';'. */
static void list(const struct hull_inventory *inv, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < inv->npkgs && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s %s", i ? ";" : "", inv->pkgs[i].name,
		                      inv->pkgs[i].version);
}

static int read_and_parse(const struct mk *m, struct hull_inventory *inv, struct hull_err *err)
{
	/* exact-size copy: a read past the end is caught by ASan */
	char *exact = malloc(m->len);
	memcpy(exact, m->b, m->len);
	struct hull_buf d;
	hull_buf_init(&d, 1u << 20);
	int rc = hull_go_digest(exact, m->len, &d, err);
	free(exact);
	if (rc <= 0) {
		hull_buf_release(&d);
		return rc < 0 ? -1 : -2;
	}
	rc = hull_go_buildinfo_parse(hull_buf_str(&d), "usr/bin/app", 3, inv, err);
	hull_buf_release(&d);
	return rc;
}

static const char *WANT = "stdlib go1.16.5;example.com/app (devel);golang.org/x/sys v0.5.0;"
                          "github.com/fork/b v1.0.1;github.com/c/d ";

static void forms(void)
{
	static const struct {
		bool is64, be, inl, sections;
		const char *what;
	} f[] = {
	    {true, false, true, true, "1.18+ inline, ELF64 LE, section"},
	    {true, false, true, false, "1.18+ inline, ELF64 LE, no section headers"},
	    {true, false, false, true, "pre-1.18 pointers, ELF64 LE"},
	    {false, false, false, true, "pre-1.18 pointers, ELF32 LE"},
	    {true, true, false, false, "pre-1.18 pointers, ELF64 BE, segment only"},
	    {false, true, false, true, "pre-1.18 pointers, ELF32 BE"},
	    {false, true, true, true, "1.18+ inline, ELF32 BE"},
	};
	static struct mk m;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		make(&m, f[i].is64, f[i].be, f[i].inl, f[i].sections, "go1.16.5", MOD);
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = read_and_parse(&m, &inv, &err);
		char got[1024];
		list(&inv, got, sizeof(got));
		TAP_OK(rc == 0 && !strcmp(got, WANT), "%s: %s (%s)", f[i].what, got, err.msg);
		hull_inventory_release(&inv);
	}
	static const struct {
		int kind; /* 0 PE, 1 Mach-O with section, 2 Mach-O segment only */
		bool is64, inl;
		const char *what;
	} o[] = {
	    {0, true, true, "PE32+ (Windows amd64), 1.18+ inline"},
	    {0, false, false, "PE32 (Windows 386), pre-1.18 pointers"},
	    {1, true, true, "Mach-O 64 (macOS arm64), __go_buildinfo section, inline"},
	    {2, true, false, "Mach-O 64, first read-write segment, pointers"},
	    {1, false, true, "Mach-O 32, __go_buildinfo section, inline"},
	};
	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		if (o[i].kind == 0)
			make_pe(&m, o[i].is64, o[i].inl, "go1.16.5", MOD);
		else
			make_macho(&m, o[i].is64, o[i].inl, o[i].kind == 1, "go1.16.5", MOD);
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = read_and_parse(&m, &inv, &err);
		char got[1024];
		list(&inv, got, sizeof(got));
		TAP_OK(rc == 0 && !strcmp(got, WANT), "%s: %s (%s)", o[i].what, got, err.msg);
		hull_inventory_release(&inv);
	}
}

static const char *prop_of(const struct hull_pkg *p, const char *key)
{
	static char v[256];
	size_t kl = strlen(key);
	for (const char *l = p->props; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (n > kl && !strncmp(l, key, kl) && l[kl] == '\t') {
			snprintf(v, sizeof(v), "%.*s", (int)(n - kl - 1), l + kl + 1);
			return v;
		}
		l += n + (nl ? 1 : 0);
	}
	return NULL;
}

static void props(void)
{
	static struct mk m;
	make(&m, true, false, true, true, "go1.20.5 X:boringcrypto", MOD);
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	TAP_OK(read_and_parse(&m, &inv, &err) == 0 && inv.npkgs == 5, "experiments (%s)", err.msg);
	const char *v = inv.npkgs ? prop_of(&inv.pkgs[1], "go:build:-buildmode") : NULL;
	TAP_OK(inv.npkgs && !strcmp(inv.pkgs[0].version, "go1.20.5"),
	       "the Go version without its experiments");
	TAP_OK(v && !strcmp(v, "exe"), "-buildmode is a property of the main module");
	v = inv.npkgs ? prop_of(&inv.pkgs[1], "go:build:vcs.revision") : NULL;
	TAP_OK(v && !strcmp(v, "0123abcd"), "VCS revision");
	v = inv.npkgs ? prop_of(&inv.pkgs[1], "go:experiments") : NULL;
	TAP_OK(v && !strcmp(v, "X:boringcrypto"), "experiments kept");
	v = inv.npkgs > 3 ? prop_of(&inv.pkgs[3], "go:replaces") : NULL;
	TAP_OK(v && !strcmp(v, "github.com/a/b v1.0.0"), "a replaced module names the original");
	v = inv.npkgs > 4 ? prop_of(&inv.pkgs[4], "go:replace-dir") : NULL;
	TAP_OK(v && !strcmp(v, "../d") && !strcmp(inv.pkgs[4].version, ""),
	       "a local replacement has no version");
	TAP_OK(inv.npkgs && inv.pkgs[0].layer == 3 && !strcmp(inv.pkgs[0].file, "usr/bin/app"),
	       "file and layer");
	hull_inventory_release(&inv);
}

static void not_go(void)
{
	static struct mk m;
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	/* no module information (GOPATH mode): stdlib only */
	make(&m, true, false, true, true, "go1.10", NULL);
	TAP_OK(read_and_parse(&m, &inv, &err) == 0 && inv.npkgs == 1, "no modules: stdlib only");
	hull_inventory_release(&inv);
	make(&m, true, false, true, true, "go1.19", MOD);
	m.b[SEGOFF + 0x10] = 'x';
	TAP_OK(read_and_parse(&m, &inv, &err) == -2 && inv.npkgs == 0, "no magic: not Go");
	make(&m, true, false, false, true, "go1.19", MOD);
	put(&m, SEGOFF + 0x100, 0xdead0000u, 8); /* the version's pointer off every segment */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "a pointer outside the file: not Go");
	make(&m, true, false, true, true, "go1.19", MOD);
	m.b[SEGOFF + 0x10 + 32] = 0xff; /* version length runs off */
	m.b[SEGOFF + 0x10 + 33] = 0xff;
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "an inline length past the end: not Go");
	make(&m, true, false, true, true, "go1.19", MOD);
	m.len = 100; /* truncated: program header points past the end */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "truncated file");
	make_pe(&m, true, true, "go1.19", MOD);
	put(&m, 0x58 + 0x70 + 40 + 36, 0xE0000040, 4); /* .data executable */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "PE: no writable data section: not Go");
	make_pe(&m, true, true, "go1.19", MOD);
	put(&m, 0x3c, 0xfffffff0u, 4);
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "PE: e_lfanew past the end: not Go");
	make_pe(&m, true, true, "go1.19", MOD);
	m.len = 0x100; /* sections named, their data cut off */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "PE: truncated");
	make_macho(&m, true, true, true, "go1.19", MOD);
	put(&m, 32 + 4, 0xffffff00u, 4); /* first load command runs off the end */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "Mach-O: a load command past the end: not Go");
	make_macho(&m, true, true, false, "go1.19", MOD);
	put(&m, 32 + 72 + 72 + 24 + 32, 1, 4); /* __DATA maxprot 1: not read-write */
	TAP_OK(read_and_parse(&m, &inv, &err) == -2, "Mach-O: no read-write segment: not Go");
	hull_inventory_release(&inv);

	/* damaged module lines: the rest is kept, the problem reported */
	const char *d = "go1.19.4\nmod\tx\t(devel)\t\nbogus line\ndep\ty\tv1.0.0\t\n";
	int rc = hull_go_buildinfo_parse(hull_str_c(d), "bin/x", 0, &inv, &err);
	char got[256];
	list(&inv, got, sizeof(got));
	TAP_OK(rc < 0 && strstr(err.msg, "bin/x: Go build info: unknown line") &&
	           !strcmp(got, "stdlib go1.19.4;x (devel);y v1.0.0"),
	       "an unknown line is a problem, the modules stay: %s (%s)", got, err.msg);
	hull_inventory_release(&inv);
}

/* The main module built with "go build" is "(devel)"; its version is
 * often stamped with -ldflags "-X <pkg>.version=v1.2.3" (goreleaser and
 * most release scripts), which the build info keeps: read as Trivy reads
 * it (its parser's cases: main/common/version/cmd prefixes before other
 * keys, <module>/cmd/... first, two candidates of a rank: none). */
static void ldflags_version(void)
{
	static const struct {
		const char *ldflags, *want, *what;
	} cases[] = {
	    {"\"-w -X main.version=v1.0.0\"", "v1.0.0", "main.version"},
	    {"\"-s -w -X 'main.Version=1.2.4' -X main.commit=abc\"", "v1.2.4",
	     "quoted, capitalised, no v: v added"},
	    {"\"-X=github.com/x/app/pkg/version.ver=v2.83.2\"", "v2.83.2", "-X=key, .ver"},
	    {"\"-X github.com/x/app/internal/build.Version=v0.9.0 -X main.version=v1.5.0\"",
	     "v1.5.0", "a main. key before another package's"},
	    {"\"-X github.com/x/app/cmd/app/info.version=v3.0.0 -X main.version=v1.0.0\"", "v3.0.0",
	     "<module>/cmd/ first"},
	    {"\"-X main.version=v1.0.0 -X common.version=v2.0.0\"", "(devel)",
	     "two of one rank: none"},
	    {"\"-X main.version=dev\"", "(devel)", "not a version: none"},
	    {"\"-X main.versionSuffix=v1.0.0\"", "(devel)", "not a version key"},
	    {"-w", "(devel)", "no -X"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char d[512];
		snprintf(
		    d, sizeof(d),
		    "go1.22.1\npath\tgithub.com/x/app\nmod\tgithub.com/x/app\t(devel)\t\n"
		    "dep\tgolang.org/x/sys\tv0.1.0\th1:x\nbuild\t-ldflags=%s\nbuild\tGOOS=linux\n",
		    cases[i].ldflags);
		struct hull_inventory inv = {0};
		struct hull_err err = {0};
		int rc = hull_go_buildinfo_parse(hull_str_c(d), "bin/app", 0, &inv, &err);
		const char *got = "?";
		for (size_t k = 0; k < inv.npkgs; k++)
			if (!strcmp(inv.pkgs[k].name, "github.com/x/app"))
				got = inv.pkgs[k].version;
		TAP_OK(rc == 0 && !strcmp(got, cases[i].want), "-ldflags %s: %s (got %s, want %s)",
		       cases[i].ldflags, cases[i].what, got, cases[i].want);
		hull_inventory_release(&inv);
	}
	/* a main module that has a version (go install) keeps it */
	const char *d = "go1.22.1\nmod\tgithub.com/x/app\tv1.1.0\th1:x\n"
	                "build\t-ldflags=\"-X main.version=v9.9.9\"\n";
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	hull_go_buildinfo_parse(hull_str_c(d), "bin/app", 0, &inv, &err);
	TAP_OK(inv.npkgs == 2 && !strcmp(inv.pkgs[1].version, "v1.1.0"),
	       "a stamped main module version is kept over -ldflags");
	hull_inventory_release(&inv);
}

/* dh-golang (every Go binary Debian ships) builds outside module mode:
 * a "path" line, build settings, no "mod" line. The settings then stay
 * with stdlib; with a main module they are on it alone. */
static void no_main_module(void)
{
	const char *d = "go1.19.8\npath\tgithub.com/containers/skopeo/cmd/skopeo\n"
	                "dep\tgithub.com/x/y\tv1.0.0\t\nbuild\t-compiler=gc\n"
	                "build\t-trimpath=true\nbuild\tGOOS=linux\n";
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = hull_go_buildinfo_parse(hull_str_c(d), "usr/bin/skopeo", 0, &inv, &err);
	const char *std = inv.npkgs ? inv.pkgs[0].props : NULL;
	TAP_OK(rc == 0 && inv.npkgs == 2 && std && strstr(std, "go:build:-trimpath\ttrue\n") &&
	           strstr(std, "go:build:GOOS\tlinux\n") &&
	           strstr(std, "go:path\tgithub.com/containers/skopeo/cmd/skopeo\n") &&
	           !strstr(std, "go:main") && !inv.pkgs[1].props,
	       "no main module: build settings and path on stdlib (%s)", std ? std : "none");
	hull_inventory_release(&inv);
	d = "go1.19.8\npath\tx/cmd\nmod\tx\tv1.0.0\t\nbuild\tGOOS=linux\n";
	rc = hull_go_buildinfo_parse(hull_str_c(d), "bin/x", 0, &inv, &err);
	TAP_OK(rc == 0 && inv.npkgs == 2 && !inv.pkgs[0].props && inv.pkgs[1].props &&
	           strstr(inv.pkgs[1].props, "go:build:GOOS\tlinux\n"),
	       "a main module: build settings on it, not on stdlib");
	hull_inventory_release(&inv);
}

int main(void)
{
	forms();
	props();
	not_go();
	ldflags_version();
	no_main_module();
	return tap_done();
}
