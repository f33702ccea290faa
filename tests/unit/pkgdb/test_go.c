/* Go build info: ELF files made here in every form the Go linker writes
 * (1.18+ inline strings; the older pointers to string headers, 64- and
 * 32-bit, little- and big-endian; found by section name or, stripped of
 * section headers, in the first writable segment), damaged ones, and the
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

int main(void)
{
	forms();
	props();
	not_go();
	return tap_done();
}
