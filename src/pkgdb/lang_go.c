/* go: the build information the Go linker embeds in every binary built
 * with modules (what `go version -m` prints), read from the file's bytes
 * without running it.
 *
 * Found by content: ELF, PE (Windows, "MZ" then "PE\0\0") and Mach-O
 * (macOS, 32 and 64 bits little-endian) files; never executed. Each gives
 * its loaded segments and where the search starts (pe_open, macho_open
 * say how), the rest is the same.
 *
 * Format (as Go's debug/buildinfo reads it): in an ELF file, the
 * ".go.buildinfo" section (or, without section headers, the first
 * writable non-executable PT_LOAD segment) holds, at a 16-byte-aligned
 * offset within its first 64 KiB, a 32-byte header: the 14-byte magic
 * "\xff Go buildinf:", the pointer size (4 or 8) and a flags byte. With
 * flag bit 2 (Go 1.18 and later) the two strings follow the header inline,
 * each prefixed by its length as an unsigned varint; before 1.18 the header
 * holds two virtual addresses of Go string headers (data pointer, length;
 * big-endian when the flags byte is 1) that point into the loaded segments.
 * The first string is the Go version ("go1.19.4"), the second the module
 * information framed by two 16-byte sentinels: lines "path\tP",
 * "mod\tP\tV\tSUM", "dep\tP\tV\tSUM", "=>\tP\tV\tSUM" (replacing the line
 * before it) and "build\tKEY=VALUE".
 *
 * The digest kept for a binary is "<version>\n<module information>", and
 * hull_go_buildinfo_parse turns it into packages: "stdlib" at the Go
 * version, the main module, every dependency. A replaced dependency is
 * listed as what was compiled: the replacement's path and version, with
 * the original in the "go:replaces" property; a replacement by a local
 * directory has no version. Build settings ("-buildmode", "vcs.revision")
 * are properties of the main module. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"

#define GO_MAGIC       "\xff Go buildinf:"
#define GO_MAGIC_LEN   14u
#define GO_HDR_LEN     32u
#define GO_SEARCH      (64u << 10)
#define GO_STR_MAX     (4u << 20) /* module information bigger than this is not Go's */
#define GO_MAX_PHDRS   4096u
#define GO_MAX_SHDRS   65535u
#define GO_MAX_LINES   100000u
#define GO_VERSION_MAX 256u
#define GO_PROPS_MAX   (256u << 10)
#define SENTINEL_LEN   16u

struct seg {
	uint64_t vaddr, off, filesz;
	uint32_t type, flags;
};

struct elf {
	const unsigned char *p;
	size_t len;
	bool is64, be;
	struct seg segs[64]; /* PT_LOAD segments only */
	size_t nsegs;
	uint64_t data_start;
	bool have_start;
};

static uint64_t rd(const struct elf *e, const unsigned char *q, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)q[e->be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Bytes [off, off+n) of the file, or NULL when they are not all in it. */
static const unsigned char *at(const struct elf *e, uint64_t off, uint64_t n)
{
	if (off > e->len || n > e->len - off)
		return NULL;
	return e->p + off;
}

/* What ReadData(addr, size) gives: the bytes of the loaded segment holding
 * addr, from addr to the segment's end, at most size; *got 0 when none. */
static const unsigned char *read_data(const struct elf *e, uint64_t addr, uint64_t size,
                                      uint64_t *got)
{
	*got = 0;
	for (size_t i = 0; i < e->nsegs; i++) {
		const struct seg *s = &e->segs[i];
		if (s->filesz == 0 || addr < s->vaddr || addr - s->vaddr > s->filesz - 1)
			continue;
		uint64_t n = s->filesz - (addr - s->vaddr);
		if (n > size)
			n = size;
		const unsigned char *q = at(e, s->off + (addr - s->vaddr), n);
		if (!q)
			return NULL;
		*got = n;
		return q;
	}
	return NULL;
}

enum { PT_LOAD = 1, PF_X = 1, PF_W = 2 };

static int elf_open(struct elf *e, const char *data, size_t len)
{
	memset(e, 0, sizeof(*e));
	e->p = (const unsigned char *)data;
	e->len = len;
	if (len < 52 || memcmp(data,
	                       "\x7f"
	                       "ELF",
	                       4) != 0)
		return -1;
	if (e->p[4] != 1 && e->p[4] != 2)
		return -1;
	if (e->p[5] != 1 && e->p[5] != 2)
		return -1;
	e->is64 = e->p[4] == 2;
	e->be = e->p[5] == 2;
	if (e->is64 && len < 64)
		return -1;
	uint64_t phoff, shoff;
	unsigned phentsize, phnum, shentsize, shnum, shstrndx;
	if (e->is64) {
		phoff = rd(e, e->p + 32, 8);
		shoff = rd(e, e->p + 40, 8);
		phentsize = (unsigned)rd(e, e->p + 54, 2);
		phnum = (unsigned)rd(e, e->p + 56, 2);
		shentsize = (unsigned)rd(e, e->p + 58, 2);
		shnum = (unsigned)rd(e, e->p + 60, 2);
		shstrndx = (unsigned)rd(e, e->p + 62, 2);
	} else {
		phoff = rd(e, e->p + 28, 4);
		shoff = rd(e, e->p + 32, 4);
		phentsize = (unsigned)rd(e, e->p + 42, 2);
		phnum = (unsigned)rd(e, e->p + 44, 2);
		shentsize = (unsigned)rd(e, e->p + 46, 2);
		shnum = (unsigned)rd(e, e->p + 48, 2);
		shstrndx = (unsigned)rd(e, e->p + 50, 2);
	}
	unsigned want_ph = e->is64 ? 56 : 32, want_sh = e->is64 ? 64 : 40;
	bool first_w = false;
	if (phnum && phentsize >= want_ph && phnum <= GO_MAX_PHDRS) {
		const unsigned char *ph = at(e, phoff, (uint64_t)phnum * phentsize);
		for (unsigned i = 0; ph && i < phnum; i++) {
			const unsigned char *q = ph + (size_t)i * phentsize;
			struct seg s;
			s.type = (uint32_t)rd(e, q, 4);
			if (e->is64) {
				s.flags = (uint32_t)rd(e, q + 4, 4);
				s.off = rd(e, q + 8, 8);
				s.vaddr = rd(e, q + 16, 8);
				s.filesz = rd(e, q + 32, 8);
			} else {
				s.off = rd(e, q + 4, 4);
				s.vaddr = rd(e, q + 8, 4);
				s.filesz = rd(e, q + 16, 4);
				s.flags = (uint32_t)rd(e, q + 24, 4);
			}
			if (s.type != PT_LOAD)
				continue;
			if (!first_w && (s.flags & (PF_X | PF_W)) == PF_W) {
				first_w = true;
				e->data_start = s.vaddr;
				e->have_start = true;
			}
			if (e->nsegs < sizeof(e->segs) / sizeof(e->segs[0]))
				e->segs[e->nsegs++] = s;
		}
	}
	/* the named section wins over the segment */
	if (shnum && shentsize >= want_sh && shnum <= GO_MAX_SHDRS && shstrndx < shnum) {
		const unsigned char *sh = at(e, shoff, (uint64_t)shnum * shentsize);
		if (!sh)
			return 0;
		const unsigned char *strsh = sh + (size_t)shstrndx * shentsize;
		uint64_t stroff = rd(e, strsh + (e->is64 ? 24 : 16), e->is64 ? 8 : 4);
		uint64_t strsz = rd(e, strsh + (e->is64 ? 32 : 20), e->is64 ? 8 : 4);
		const unsigned char *strtab = at(e, stroff, strsz);
		if (!strtab)
			return 0;
		static const char name[] = ".go.buildinfo";
		for (unsigned i = 0; i < shnum; i++) {
			const unsigned char *q = sh + (size_t)i * shentsize;
			uint64_t nameoff = rd(e, q, 4);
			if (nameoff >= strsz || strsz - nameoff < sizeof(name) ||
			    memcmp(strtab + nameoff, name, sizeof(name)) != 0)
				continue;
			e->data_start = rd(e, q + (e->is64 ? 16 : 12), e->is64 ? 8 : 4);
			e->have_start = true;
			break;
		}
	}
	return 0;
}

/* A PE file (Windows), as Go's debug/buildinfo reads it: the sections
 * are the loaded segments (at ImageBase + VirtualAddress, SizeOfRawData
 * bytes from PointerToRawData), and the build info is searched from the
 * first initialized, readable, writable, non-executable section. */
static int pe_open(struct elf *e, const char *data, size_t len)
{
	memset(e, 0, sizeof(*e));
	e->p = (const unsigned char *)data;
	e->len = len;
	if (len < 64 || memcmp(data, "MZ", 2) != 0)
		return -1;
	uint64_t pe = rd(e, e->p + 0x3c, 4);
	const unsigned char *coff = at(e, pe, 24);
	if (!coff || memcmp(coff, "PE\0\0", 4) != 0)
		return -1;
	unsigned nsect = (unsigned)rd(e, coff + 6, 2), optsz = (unsigned)rd(e, coff + 20, 2);
	const unsigned char *opt = at(e, pe + 24, optsz);
	if (!opt || optsz < 32)
		return -1;
	uint64_t base;
	unsigned magic = (unsigned)rd(e, opt, 2);
	if (magic == 0x10b)
		base = rd(e, opt + 28, 4);
	else if (magic == 0x20b)
		base = rd(e, opt + 24, 8);
	else
		return -1;
	const unsigned char *sh = at(e, pe + 24 + optsz, (uint64_t)nsect * 40);
	if (!sh)
		return -1;
	/* IMAGE_SCN_CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE, any alignment */
	const uint32_t rw_data = 0x40u | 0x40000000u | 0x80000000u, align32 = 0x600000u;
	for (unsigned i = 0; i < nsect; i++) {
		const unsigned char *q = sh + (size_t)i * 40;
		uint64_t va = rd(e, q + 12, 4), raw = rd(e, q + 16, 4), off = rd(e, q + 20, 4);
		uint32_t ch = (uint32_t)rd(e, q + 36, 4);
		struct seg s = {.vaddr = base + va, .off = off, .filesz = raw};
		if (e->nsegs < sizeof(e->segs) / sizeof(e->segs[0]))
			e->segs[e->nsegs++] = s;
		if (!e->have_start && va && raw && (ch & ~align32) == rw_data) {
			e->data_start = base + va;
			e->have_start = true;
		}
	}
	return 0;
}

enum { LC_SEGMENT = 0x1, LC_SEGMENT_64 = 0x19, MACHO_MAX_CMDS = 4096 };

/* A Mach-O file (macOS; 32 or 64 bits, little-endian, not a fat one), as
 * Go's debug/buildinfo reads it: the segments but __PAGEZERO are the
 * loaded ones, and the build info is searched from the __go_buildinfo
 * section, else from the first non-empty segment mapped read-write. */
static int macho_open(struct elf *e, const char *data, size_t len)
{
	memset(e, 0, sizeof(*e));
	e->p = (const unsigned char *)data;
	e->len = len;
	if (len < 28)
		return -1;
	uint32_t magic = (uint32_t)rd(e, e->p, 4);
	if (magic != 0xfeedfacfu && magic != 0xfeedfaceu)
		return -1;
	e->is64 = magic == 0xfeedfacfu;
	unsigned ncmds = (unsigned)rd(e, e->p + 16, 4);
	uint64_t off = e->is64 ? 32 : 28, rw = 0;
	bool have_rw = false, have_sect = false;
	unsigned segsz = e->is64 ? 72 : 56, sectsz = e->is64 ? 80 : 68, w = e->is64 ? 8 : 4;
	for (unsigned i = 0; i < ncmds && i < MACHO_MAX_CMDS; i++) {
		const unsigned char *lc = at(e, off, 8);
		if (!lc)
			break;
		uint32_t cmd = (uint32_t)rd(e, lc, 4), size = (uint32_t)rd(e, lc + 4, 4);
		const unsigned char *c = size >= 8 ? at(e, off, size) : NULL;
		if (!c)
			break;
		off += size;
		if (cmd != (e->is64 ? LC_SEGMENT_64 : LC_SEGMENT) || size < segsz)
			continue;
		/* segname[16], vmaddr, vmsize, fileoff, filesize (w bytes each),
		 * maxprot, initprot, nsects, flags */
		const unsigned char *f = c + 24;
		struct seg s = {.vaddr = rd(e, f, w),
		                .off = rd(e, f + 2 * w, w),
		                .filesz = rd(e, f + 3 * w, w)};
		uint32_t maxprot = (uint32_t)rd(e, f + 4 * w, 4),
		         prot = (uint32_t)rd(e, f + 4 * w + 4, 4);
		uint64_t nsects = rd(e, f + 4 * w + 8, 4);
		if (strncmp((const char *)c + 8, "__PAGEZERO", 16) != 0 &&
		    e->nsegs < sizeof(e->segs) / sizeof(e->segs[0]))
			e->segs[e->nsegs++] = s;
		if (!have_rw && s.vaddr && s.filesz && prot == 3 && maxprot == 3) {
			rw = s.vaddr;
			have_rw = true;
		}
		for (uint64_t j = 0; !have_sect && j < nsects && segsz + (j + 1) * sectsz <= size;
		     j++) {
			const unsigned char *sect = c + segsz + j * sectsz;
			if (!memcmp(sect, "__go_buildinfo\0", 15)) {
				e->data_start = rd(e, sect + 32, w);
				have_sect = e->have_start = true;
			}
		}
	}
	if (!have_sect && have_rw) {
		e->data_start = rw;
		e->have_start = true;
	}
	return 0;
}

static bool uvarint(const unsigned char *p, size_t n, uint64_t *v, size_t *used)
{
	uint64_t x = 0;
	for (size_t i = 0; i < n && i < 10; i++) {
		if (i == 9 && p[i] > 1)
			return false;
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			*used = i + 1;
			return true;
		}
	}
	return false;
}

/* decodeString: a varint length and the bytes; false when they do not fit
 * (Go also refuses a string that would end exactly at the buffer's end). */
static bool inline_string(const unsigned char **p, size_t *n, struct hull_str *out)
{
	uint64_t len;
	size_t used;
	if (!uvarint(*p, *n, &len, &used) || len >= *n - used || len > GO_STR_MAX)
		return false;
	*out = hull_str((const char *)*p + used, (size_t)len);
	*p += used + len;
	*n -= used + (size_t)len;
	return true;
}

/* readString: the Go string header at addr, then its bytes. */
static struct hull_str pointer_string(const struct elf *e, unsigned ptr, bool be, uint64_t addr)
{
	struct elf ee = *e;
	ee.be = be;
	uint64_t got;
	const unsigned char *hdr = read_data(&ee, addr, 2u * ptr, &got);
	if (!hdr || got < 2u * ptr)
		return hull_str(NULL, 0);
	uint64_t daddr = rd(&ee, hdr, ptr), dlen = rd(&ee, hdr + ptr, ptr);
	if (dlen > GO_STR_MAX)
		return hull_str(NULL, 0);
	const unsigned char *d = read_data(&ee, daddr, dlen, &got);
	if (dlen && (!d || got < dlen))
		return hull_str(NULL, 0);
	return hull_str(d ? (const char *)d : "", (size_t)dlen);
}

int hull_go_buildinfo_read(const char *data, size_t len, struct hull_str *version,
                           struct hull_str *modinfo)
{
	struct elf e;
	*version = *modinfo = hull_str(NULL, 0);
	int rc = len >= 4 && !memcmp(data,
	                             "\x7f"
	                             "ELF",
	                             4)
	             ? elf_open(&e, data, len)
	         : len >= 2 && !memcmp(data, "MZ", 2) ? pe_open(&e, data, len)
	                                              : macho_open(&e, data, len);
	if (rc < 0 || !e.have_start)
		return 0;
	uint64_t n;
	const unsigned char *blob = read_data(&e, e.data_start, GO_SEARCH, &n);
	if (!blob)
		return 0;
	const unsigned char *h = NULL;
	for (uint64_t i = 0; i + GO_HDR_LEN <= n; i += 16) {
		if (memcmp(blob + i, GO_MAGIC, GO_MAGIC_LEN) == 0) {
			h = blob + i;
			n -= i;
			break;
		}
	}
	if (!h)
		return 0;
	unsigned ptr = h[14], flags = h[15];
	struct hull_str vers, mod = hull_str(NULL, 0);
	if (flags & 2) {
		const unsigned char *p = h + GO_HDR_LEN;
		size_t rest = (size_t)(n - GO_HDR_LEN);
		if (!inline_string(&p, &rest, &vers))
			return 0;
		if (!inline_string(&p, &rest, &mod))
			mod = hull_str(NULL, 0);
	} else {
		if (ptr != 4 && ptr != 8)
			return 0;
		bool be = flags != 0;
		struct elf he = e;
		he.be = be;
		vers = pointer_string(&e, ptr, be, rd(&he, h + 16, ptr));
		mod = pointer_string(&e, ptr, be, rd(&he, h + 16 + ptr, ptr));
	}
	if (!vers.ptr || !vers.len)
		return 0;
	/* strip the sentinels that frame the module information */
	if (mod.ptr && mod.len >= 2 * SENTINEL_LEN + 1 &&
	    mod.ptr[mod.len - SENTINEL_LEN - 1] == '\n')
		mod = hull_str(mod.ptr + SENTINEL_LEN, mod.len - 2 * SENTINEL_LEN);
	else
		mod = hull_str("", 0);
	*version = vers;
	*modinfo = mod;
	return 1;
}

int hull_go_digest(const char *data, size_t len, struct hull_buf *out, struct hull_err *err)
{
	struct hull_str vers, mod;
	if (hull_go_buildinfo_read(data, len, &vers, &mod) <= 0)
		return 0;
	if (hull_buf_append(out, vers.ptr, vers.len, err) < 0 ||
	    hull_buf_append(out, "\n", 1, err) < 0 ||
	    hull_buf_append(out, mod.ptr, mod.len, err) < 0)
		return -1;
	return 1;
}

/* ---- the module information ---- */

struct go_mod {
	struct hull_str kind, path, version; /* kind: "mod" or "dep" */
	struct hull_str rpath, rversion;     /* the "=>" line; rpath.ptr NULL when none */
	bool replaced;
};

struct go_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
	struct hull_buf main_props;
	struct hull_str main_path; /* "path" line */
	struct hull_str ldflags;   /* the -ldflags build setting, as recorded */
	bool has_main;             /* a "mod" line: built in module mode */
};

static size_t split_tabs(struct hull_str line, struct hull_str *f, size_t max)
{
	size_t n = 0;
	struct hull_str rest = line, l, r;
	while (n < max) {
		bool more = hull_str_split(rest, '\t', &l, &r);
		f[n++] = more ? l : rest;
		if (!more)
			break;
		rest = r;
	}
	return n;
}

static int prop(struct hull_buf *b, const char *key, struct hull_str v, struct hull_err *err)
{
	if (hull_buf_append_str(b, key, err) < 0 || hull_buf_append(b, "\t", 1, err) < 0 ||
	    hull_buf_append(b, v.ptr, v.len, err) < 0 || hull_buf_append(b, "\n", 1, err) < 0)
		return -1;
	return 0;
}

/* ---- the main module's version from -ldflags -X ---- */

#define LDFLAGS_MAX_ARGS 256u
#define LDFLAGS_BUF      4096u

/* Go records a setting with blanks or quotes quoted (strconv.Quote):
 * undoes it into out; a value without quotes is copied. */
static size_t unquote(struct hull_str v, char *out, size_t cap)
{
	size_t n = 0;
	bool q = v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"';
	size_t i = q ? 1 : 0, end = q ? v.len - 1 : v.len;
	for (; i < end && n + 1 < cap; i++) {
		if (q && v.ptr[i] == '\\' && i + 1 < end)
			i++;
		out[n++] = v.ptr[i];
	}
	out[n] = '\0';
	return n;
}

/* Splits a flag string as the go command does (blanks separate; single
 * or double quotes group, and are removed): NUL-terminated words in place. */
static size_t split_args(char *s, char **argv, size_t max)
{
	size_t n = 0;
	char *w = s;
	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		argv[n++] = w;
		char q = 0;
		while (*s && (q || (*s != ' ' && *s != '\t'))) {
			if (!q && (*s == '\'' || *s == '"'))
				q = *s++;
			else if (q && *s == q)
				q = 0, s++;
			else
				*w++ = *s++;
		}
		if (*s)
			s++;
		*w++ = '\0';
	}
	return n;
}

static bool digits(const char **p)
{
	const char *s = *p;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > s;
}

/* Go's semver.IsValid, the leading "v" optional: v1, v1.2, v1.2.3,
 * then -pre and +build on a full version only. */
static bool semver_ok(const char *v)
{
	if (*v == 'v')
		v++;
	int parts = 0;
	do {
		if (!digits(&v))
			return false;
		parts++;
	} while (parts < 3 && *v == '.' && v++);
	if (parts == 3)
		for (char sep = '-'; sep; sep = sep == '-' ? '+' : 0)
			if (*v == sep) {
				v++;
				const char *s = v;
				while ((*v >= '0' && *v <= '9') || (*v >= 'a' && *v <= 'z') ||
				       (*v >= 'A' && *v <= 'Z') || *v == '.' || *v == '-')
					v++;
				if (v == s)
					return false;
			}
	return *v == '\0';
}

static bool ends_nocase(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* The rank of a -X key (Trivy's order): 0 for <module>/cmd/..., 1 when
 * the package's last element is main, common, version or cmd, else 2. */
static int key_rank(const char *key, struct hull_str module)
{
	if (module.len && !strncmp(key, module.ptr, module.len) &&
	    !strncmp(key + module.len, "/cmd/", 5))
		return 0;
	const char *last = strrchr(key, '/');
	last = last ? last + 1 : key;
	size_t n = strcspn(last, ".");
	static const char *const prefixes[] = {"main", "common", "version", "cmd"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strlen(prefixes[i]) == n && !strncasecmp(last, prefixes[i], n))
			return 1;
	return 2;
}

/* The version -ldflags "-X pkg.version=v1.2.3" stamps into a binary
 * whose main module is "(devel)": a key ending in .version or .ver, a
 * semantic version, the best rank holding exactly one value. Writes
 * "v1.2.3" into out; false when there is none or no single one. */
static bool ldflags_version(struct hull_str ldflags, struct hull_str module, char *out, size_t cap)
{
	char buf[LDFLAGS_BUF];
	char *argv[LDFLAGS_MAX_ARGS];
	if (!ldflags.len || ldflags.len >= sizeof(buf))
		return false;
	unquote(ldflags, buf, sizeof(buf));
	size_t argc = split_args(buf, argv, LDFLAGS_MAX_ARGS);
	const char *found[3] = {NULL, NULL, NULL};
	bool many[3] = {false, false, false};
	for (size_t i = 0; i < argc; i++) {
		char *kv;
		if (!strcmp(argv[i], "-X") && i + 1 < argc)
			kv = argv[++i];
		else if (!strncmp(argv[i], "-X=", 3))
			kv = argv[i] + 3;
		else
			continue;
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *val = eq + 1;
		if (!(ends_nocase(kv, ".version") || ends_nocase(kv, ".ver")) || !semver_ok(val))
			continue;
		int r = key_rank(kv, module);
		if (found[r] && strcmp(found[r], val))
			many[r] = true;
		found[r] = val;
	}
	for (int r = 0; r < 3; r++) {
		if (!found[r])
			continue;
		if (many[r])
			return false;
		snprintf(out, cap, "%s%s", found[r][0] == 'v' ? "" : "v", found[r]);
		return true;
	}
	return false;
}

/* Appends one module; the main module carries the build settings. */
static int add_module(struct go_ctx *c, const struct go_mod *m, struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	struct hull_buf props;
	hull_buf_init(&props, GO_PROPS_MAX);
	struct hull_pkg_slices s = {
	    .type = HULL_PKG_GOLANG, .name = m->path, .version = m->version};
	int rc = 0;
	if (m->replaced) {
		char orig[1200];
		snprintf(orig, sizeof(orig), "%.*s %.*s",
		         (int)(m->path.len > 512 ? 512 : m->path.len), m->path.ptr,
		         (int)(m->version.len > 512 ? 512 : m->version.len), m->version.ptr);
		if (prop(&props, "go:replaces", hull_str_trim(hull_str_c(orig)), err) < 0)
			goto oom;
		if (m->rversion.len) {
			s.name = m->rpath;
			s.version = m->rversion;
		} else {
			/* a local directory: the code compiled has no version */
			if (prop(&props, "go:replace-dir", m->rpath, err) < 0)
				goto oom;
			s.version = hull_str("", 0);
		}
	}
	if (!s.name.len || !hull_pkgdb_printable(s.name) || !hull_pkgdb_printable(s.version)) {
		hull_pkgdb_problem(&c->probs, "%s: Go build info: bad module \"%s\"", c->file,
		                   hull_pkgdb_quote(s.name, q));
		goto out;
	}
	bool is_main = hull_str_eq_c(m->kind, "mod");
	char stamped[72];
	if (is_main && !m->replaced && (!s.version.len || hull_str_eq_c(s.version, "(devel)")) &&
	    ldflags_version(c->ldflags, s.name, stamped, sizeof(stamped))) {
		s.version = hull_str_c(stamped);
		if (prop(&props, "go:version-from", HULL_STR_LIT("-ldflags -X"), err) < 0)
			goto oom;
	}
	if (is_main) {
		if (prop(&props, "go:main", HULL_STR_LIT("true"), err) < 0)
			goto oom;
		struct hull_str mp = hull_buf_str(&c->main_props);
		if (hull_buf_append(&props, mp.ptr, mp.len, err) < 0)
			goto oom;
	}
	struct hull_str pr = hull_buf_str(&props);
	if (pr.len)
		s.props = pr;
	rc = hull_pkgdb_add(c->inv, &s, c->file, c->layer, err);
	goto out;
oom:
	rc = -1;
out:
	hull_buf_release(&props);
	return rc;
}

int hull_go_buildinfo_parse(struct hull_str data, const char *file, int layer,
                            struct hull_inventory *inv, struct hull_err *err)
{
	struct hull_str rest = data, line;
	struct go_ctx c = {.file = file, .layer = layer, .inv = inv};
	hull_buf_init(&c.main_props, GO_PROPS_MAX);
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	int rc = 0;
	if (!hull_str_next_line(&rest, &line) || !line.len || line.len > GO_VERSION_MAX ||
	    !hull_pkgdb_printable(line)) {
		hull_buf_release(&c.main_props);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: Go build info: bad Go version", file);
	}
	/* "go1.20.5 X:boringcrypto": the experiments are not the version */
	struct hull_str gover = line, experiments;
	if (hull_str_split(line, ' ', &gover, &experiments) && !gover.len) {
		gover = line;
		experiments = hull_str(NULL, 0);
	}
	/* first pass: the path and build settings (they follow the modules) */
	struct hull_str scan = rest;
	size_t nlines = 0;
	if (experiments.ptr && experiments.len &&
	    prop(&c.main_props, "go:experiments", experiments, err) < 0)
		goto oom;
	while (hull_str_next_line(&scan, &line)) {
		struct hull_str f[2];
		if (!line.len)
			continue;
		if (++nlines > GO_MAX_LINES) {
			hull_pkgdb_problem(&c.probs, "%s: Go build info: more than %u lines", file,
			                   GO_MAX_LINES);
			break;
		}
		size_t nf = split_tabs(line, f, 2);
		if (hull_str_eq_c(f[0], "mod"))
			c.has_main = true;
		if (nf == 2 && hull_str_eq_c(f[0], "path")) {
			c.main_path = f[1];
			if (prop(&c.main_props, "go:path", f[1], err) < 0)
				goto oom;
		} else if (nf == 2 && hull_str_eq_c(f[0], "build")) {
			struct hull_str k, v;
			if (!hull_str_split(f[1], '=', &k, &v) || !k.len) {
				hull_pkgdb_problem(&c.probs,
				                   "%s: Go build info: bad build line \"%s\"", file,
				                   hull_pkgdb_quote(line, q));
				continue;
			}
			char key[128];
			snprintf(key, sizeof(key), "go:build:%.*s",
			         (int)(k.len > 100 ? 100 : k.len), k.ptr);
			if (!hull_pkgdb_printable(v))
				continue;
			if (hull_str_eq_c(k, "-ldflags"))
				c.ldflags = v;
			if (prop(&c.main_props, key, v, err) < 0)
				goto oom;
		}
	}
	struct hull_pkg_slices std = {
	    .type = HULL_PKG_GOLANG, .name = HULL_STR_LIT("stdlib"), .version = gover};
	/* outside module mode (GOPATH, Debian's dh-golang) there is no main
	 * module: the path and build settings stay with the binary's stdlib */
	if (!c.has_main && c.main_props.len)
		std.props = hull_buf_str(&c.main_props);
	if (hull_pkgdb_add(inv, &std, file, layer, err) < 0)
		goto fail;
	/* second pass: the modules, each with the "=>" line after it */
	struct go_mod cur = {0};
	bool have = false;
	nlines = 0;
	while (hull_str_next_line(&rest, &line)) {
		if (!line.len)
			continue;
		if (++nlines > GO_MAX_LINES)
			break;
		struct hull_str f[5];
		size_t nf = split_tabs(line, f, 5);
		bool is_mod = hull_str_eq_c(f[0], "mod"), is_dep = hull_str_eq_c(f[0], "dep");
		if (is_mod || is_dep) {
			if (have && add_module(&c, &cur, err) < 0)
				goto fail;
			have = false;
			if (nf < 3 || nf > 4 || !f[1].len) {
				hull_pkgdb_problem(&c.probs, "%s: Go build info: bad line \"%s\"",
				                   file, hull_pkgdb_quote(line, q));
				continue;
			}
			cur = (struct go_mod){.kind = f[0], .path = f[1], .version = f[2]};
			have = true;
		} else if (hull_str_eq_c(f[0], "=>")) {
			if (!have || cur.replaced || nf < 3 || nf > 4 || !f[1].len) {
				hull_pkgdb_problem(&c.probs,
				                   "%s: Go build info: bad replacement \"%s\"",
				                   file, hull_pkgdb_quote(line, q));
				continue;
			}
			cur.replaced = true;
			cur.rpath = f[1];
			cur.rversion = f[2];
		} else if (!hull_str_eq_c(f[0], "path") && !hull_str_eq_c(f[0], "build")) {
			hull_pkgdb_problem(&c.probs, "%s: Go build info: unknown line \"%s\"", file,
			                   hull_pkgdb_quote(line, q));
		}
	}
	if (have && add_module(&c, &cur, err) < 0)
		goto fail;
	hull_buf_release(&c.main_props);
	return hull_pkgdb_problems_finish(&c.probs, err);
oom:
	hull_err_nomem(err);
fail:
	rc = -1;
	hull_buf_release(&c.main_props);
	return rc;
}
