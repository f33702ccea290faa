/* Rust: Cargo.lock and binaries built with cargo-auditable (type cargo).
 *
 * Cargo.lock, every format (v1 without a "version" key and with checksums
 * in "[metadata]", v2, v3, v4): each "[[package]]" with a "source" is a
 * package; one without is a member of the workspace (the project, a path
 * dependency), not something published. A source other than crates.io's
 * index (a git repository, another registry) is kept as the property
 * cargo:source.
 *
 * cargo-auditable embeds the dependency tree in a section ".dep-v0" of
 * the binary (ELF; PE for Windows; Mach-O, in segment __DATA, for macOS):
 * zlib-compressed JSON {"packages": [{"name", "version", "source",
 * "kind", "root"}]}. The digest is that JSON, inflated (at most 8 MiB);
 * the parser lists every package, with cargo:source when not crates.io,
 * cargo:kind build for build dependencies and cargo:root for the crate the
 * binary is. The section is found by the section headers (ELF; a binary
 * stripped of them by sstrip keeps its data but is not read), the section
 * table (PE) or the segments' section lists (Mach-O, 32 and 64 bits,
 * little-endian), as cargo-auditable's own reader finds it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "pkgdb/toml.h"
#include "util/buf.h"
#include "util/json.h"

#define CARGO_NAME_MAX   256u
#define AUDIT_SECTION    ".dep-v0"
#define AUDIT_MAX_SHDRS  65535u
#define AUDIT_MAX_CMDS   4096u
#define AUDIT_PROPS_MAX  (16u << 10)
#define CRATES_IO_GIT    "registry+https://github.com/rust-lang/crates.io-index"
#define CRATES_IO_SPARSE "sparse+https://index.crates.io/"

static bool ok_name(struct hull_str n)
{
	if (!n.len || n.len > CARGO_NAME_MAX)
		return false;
	for (size_t i = 0; i < n.len; i++) {
		char c = n.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool ok_version(struct hull_str v)
{
	if (!v.len || v.len > 256 || !hull_pkgdb_printable(v) || v.ptr[0] < '0' || v.ptr[0] > '9')
		return false;
	return hull_str_index(v, ' ') < 0;
}

/* ---- Cargo.lock ---- */

struct lock_ctx {
	const char *file;
	int layer;
	struct hull_inventory *inv;
	struct hull_pkgdb_problems probs;
};

static int lock_pkg(const struct hull_toml_package *p, void *ctx, struct hull_err *err)
{
	struct lock_ctx *c = ctx;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	if (!ok_name(p->name) || !ok_version(p->version)) {
		hull_pkgdb_problem(&c->probs, "%s: line %u: package %s: bad name or version",
		                   c->file, p->line,
		                   hull_pkgdb_quote(p->name.ptr ? p->name : hull_str("?", 1), q));
		return 0;
	}
	if (!p->source.ptr)
		return 0; /* a workspace member or path dependency */
	if (!hull_pkgdb_printable(p->source) || p->source.len > 4096) {
		hull_pkgdb_problem(&c->probs, "%s: line %u: package %s: bad source", c->file,
		                   p->line, hull_pkgdb_quote(p->name, q));
		return 0;
	}
	char props[4200];
	struct hull_pkg_slices s = {.type = HULL_PKG_CARGO, .name = p->name, .version = p->version};
	if (!hull_str_eq_c(p->source, CRATES_IO_GIT) &&
	    !hull_str_eq_c(p->source, CRATES_IO_SPARSE)) {
		int n = snprintf(props, sizeof(props), "cargo:source\t%.*s\n", (int)p->source.len,
		                 p->source.ptr);
		s.props = hull_str(props, (size_t)n);
	}
	return hull_pkgdb_add(c->inv, &s, c->file, c->layer, err);
}

int hull_cargo_lock_parse(struct hull_str data, const char *file, int layer,
                          struct hull_inventory *inv, struct hull_err *err)
{
	struct lock_ctx c = {.file = file, .layer = layer, .inv = inv};
	size_t first = inv->npkgs;
	if (hull_toml_packages(data, file, lock_pkg, &c, err) < 0)
		return -1;
	return hull_pkgdb_parsed(inv, first, &c.probs, err);
}

/* ---- cargo-auditable ---- */

static uint64_t rd(const unsigned char *q, unsigned n, bool be)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)q[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static bool in_file(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/* A PE section is named by 8 bytes, NUL-padded; its data is
 * SizeOfRawData bytes at PointerToRawData, of which VirtualSize are the
 * section's (the rest pads to the file alignment). */
static int pe_section(const char *data, size_t len, struct hull_str *out)
{
	const unsigned char *p = (const unsigned char *)data;
	if (len < 64 || memcmp(p, "MZ", 2) != 0)
		return 0;
	uint64_t pe = rd(p + 0x3c, 4, false);
	if (!in_file(len, pe, 24) || memcmp(p + pe, "PE\0\0", 4) != 0)
		return 0;
	unsigned nsect = (unsigned)rd(p + pe + 6, 2, false);
	uint64_t table = pe + 24 + rd(p + pe + 20, 2, false);
	if (!in_file(len, table, (uint64_t)nsect * 40))
		return 0;
	for (unsigned i = 0; i < nsect; i++) {
		const unsigned char *q = p + table + (size_t)i * 40;
		if (memcmp(q, AUDIT_SECTION "\0", 8) != 0)
			continue;
		uint64_t vsize = rd(q + 8, 4, false), raw = rd(q + 16, 4, false);
		uint64_t off = rd(q + 20, 4, false), size = vsize && vsize < raw ? vsize : raw;
		if (!in_file(len, off, size))
			return 0;
		*out = hull_str(data + off, (size_t)size);
		return 1;
	}
	return 0;
}

enum { MACHO_SEGMENT = 0x1, MACHO_SEGMENT_64 = 0x19, MACHO_ZEROFILL = 0x1 };

/* Mach-O: the sections of each LC_SEGMENT(_64) load command, named by 16
 * bytes (NUL-padded), with their file offset and size. */
static int macho_section(const char *data, size_t len, struct hull_str *out)
{
	const unsigned char *p = (const unsigned char *)data;
	if (len < 32)
		return 0;
	uint32_t magic = (uint32_t)rd(p, 4, false);
	if (magic != 0xfeedfacfu && magic != 0xfeedfaceu)
		return 0;
	bool is64 = magic == 0xfeedfacfu;
	unsigned w = is64 ? 8 : 4, segsz = is64 ? 72 : 56, sectsz = is64 ? 80 : 68;
	uint64_t ncmds = rd(p + 16, 4, false), at = is64 ? 32 : 28;
	for (uint64_t i = 0; i < ncmds && i < AUDIT_MAX_CMDS; i++) {
		if (!in_file(len, at, 8))
			return 0;
		uint32_t cmd = (uint32_t)rd(p + at, 4, false),
		         size = (uint32_t)rd(p + at + 4, 4, false);
		if (size < 8 || !in_file(len, at, size))
			return 0;
		const unsigned char *c = p + at;
		at += size;
		if (cmd != (is64 ? MACHO_SEGMENT_64 : MACHO_SEGMENT) || size < segsz)
			continue;
		uint64_t nsects = rd(c + 24 + 4 * w + 8, 4, false);
		for (uint64_t j = 0; j < nsects && segsz + (j + 1) * sectsz <= size; j++) {
			const unsigned char *q = c + segsz + j * sectsz;
			if (memcmp(q, AUDIT_SECTION "\0", 8) != 0)
				continue;
			uint64_t sz = rd(q + 32 + w, w, false), off = rd(q + 32 + 2 * w, 4, false);
			uint32_t flags = (uint32_t)rd(q + 32 + 2 * w + 16, 4, false);
			if ((flags & 0xff) == MACHO_ZEROFILL || !in_file(len, off, sz))
				return 0;
			*out = hull_str(data + off, (size_t)sz);
			return 1;
		}
	}
	return 0;
}

static int elf_section(const char *data, size_t len, struct hull_str *out)
{
	const unsigned char *p = (const unsigned char *)data;
	if (len < 64 ||
	    memcmp(p,
	           "\x7f"
	           "ELF",
	           4) != 0 ||
	    (p[4] != 1 && p[4] != 2) || (p[5] != 1 && p[5] != 2))
		return 0;
	bool is64 = p[4] == 2, be = p[5] == 2;
	uint64_t shoff = is64 ? rd(p + 40, 8, be) : rd(p + 32, 4, be);
	unsigned shentsize = (unsigned)rd(p + (is64 ? 58 : 46), 2, be);
	unsigned shnum = (unsigned)rd(p + (is64 ? 60 : 48), 2, be);
	unsigned shstrndx = (unsigned)rd(p + (is64 ? 62 : 50), 2, be);
	if (!shnum || shnum > AUDIT_MAX_SHDRS || shentsize < (is64 ? 64u : 40u) ||
	    shstrndx >= shnum || !in_file(len, shoff, (uint64_t)shnum * shentsize))
		return 0;
	const unsigned char *sh = p + shoff;
	const unsigned char *strsh = sh + (size_t)shstrndx * shentsize;
	uint64_t stroff = rd(strsh + (is64 ? 24 : 16), is64 ? 8 : 4, be);
	uint64_t strsz = rd(strsh + (is64 ? 32 : 20), is64 ? 8 : 4, be);
	if (!in_file(len, stroff, strsz))
		return 0;
	for (unsigned i = 0; i < shnum; i++) {
		const unsigned char *q = sh + (size_t)i * shentsize;
		uint64_t nameoff = rd(q, 4, be);
		if (nameoff >= strsz || strsz - nameoff < sizeof(AUDIT_SECTION) ||
		    memcmp(p + stroff + nameoff, AUDIT_SECTION, sizeof(AUDIT_SECTION)) != 0)
			continue;
		uint32_t type = (uint32_t)rd(q + 4, 4, be);
		uint64_t off = rd(q + (is64 ? 24 : 16), is64 ? 8 : 4, be);
		uint64_t size = rd(q + (is64 ? 32 : 20), is64 ? 8 : 4, be);
		if (type == 8 /* SHT_NOBITS */ || !in_file(len, off, size))
			return 0;
		*out = hull_str(data + off, (size_t)size);
		return 1;
	}
	return 0;
}

int hull_cargo_audit_section(const char *data, size_t len, struct hull_str *out)
{
	*out = hull_str(NULL, 0);
	return elf_section(data, len, out) || pe_section(data, len, out) ||
	       macho_section(data, len, out);
}

int hull_cargo_audit_digest(const char *data, size_t len, struct hull_buf *out,
                            struct hull_err *err)
{
	struct hull_str sec;
	if (hull_cargo_audit_section(data, len, &sec) <= 0 || !sec.len)
		return 0;
	z_stream z = {0};
	if (inflateInit(&z) != Z_OK)
		return hull_err_nomem(err);
	z.next_in = (Bytef *)(uintptr_t)sec.ptr;
	z.avail_in = sec.len > UINT32_MAX ? UINT32_MAX : (uInt)sec.len;
	unsigned char chunk[16384];
	int zr, rc = 0;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = zr == Z_MEM_ERROR ? hull_err_nomem(err) : 0;
			break;
		}
		size_t got = sizeof(chunk) - z.avail_out;
		if (got && hull_buf_append(out, chunk, got, err) < 0) {
			rc = -1; /* past the digest's cap: the caller drops it */
			break;
		}
		if (zr == Z_STREAM_END)
			rc = 1;
		else if (got == 0 && z.avail_in == 0)
			break; /* truncated stream */
	} while (zr != Z_STREAM_END);
	inflateEnd(&z);
	return rc;
}

static struct hull_str jstr(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return hull_str(NULL, 0);
	return hull_str(json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

static int audit_pkg(struct json_object *e, size_t i, const char *file, int layer,
                     struct hull_inventory *inv, struct hull_pkgdb_problems *probs,
                     struct hull_err *err)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	struct hull_str name = jstr(e, "name"), version = jstr(e, "version");
	struct hull_str source = jstr(e, "source"), kind = jstr(e, "kind");
	if (!json_object_is_type(e, json_type_object) || !ok_name(name) || !ok_version(version) ||
	    (source.ptr && (!hull_pkgdb_printable(source) || source.len > 1024)) ||
	    (kind.ptr && (!hull_pkgdb_printable(kind) || kind.len > 64))) {
		hull_pkgdb_problem(
		    probs, "%s: cargo-auditable: packages[%zu] %s: bad name or version", file, i,
		    hull_pkgdb_quote(name.ptr ? name : hull_str("?", 1), q));
		return 0;
	}
	bool root = false;
	hull_json_get_bool(e, "root", &root);
	struct hull_buf props;
	hull_buf_init(&props, AUDIT_PROPS_MAX);
	int rc = 0;
	if (source.ptr && !hull_str_eq_c(source, "crates.io"))
		rc = hull_buf_printf(&props, err, "cargo:source\t%.*s\n", (int)source.len,
		                     source.ptr);
	if (rc == 0 && kind.ptr && !hull_str_eq_c(kind, "runtime"))
		rc = hull_buf_printf(&props, err, "cargo:kind\t%.*s\n", (int)kind.len, kind.ptr);
	if (rc == 0 && root)
		rc = hull_buf_append_str(&props, "cargo:root\ttrue\n", err);
	if (rc == 0) {
		struct hull_str pr = hull_buf_str(&props);
		struct hull_pkg_slices s = {.type = HULL_PKG_CARGO,
		                            .name = name,
		                            .version = version,
		                            .props = pr.len ? pr : hull_str(NULL, 0)};
		rc = hull_pkgdb_add(inv, &s, file, layer, err);
	}
	hull_buf_release(&props);
	return rc;
}

int hull_cargo_audit_parse(struct hull_str data, const char *file, int layer,
                           struct hull_inventory *inv, struct hull_err *err)
{
	struct json_object *root;
	if (hull_json_parse(data.ptr, data.len, file, &root, err) < 0)
		return hull_err_wrap(err, "cargo-auditable data");
	struct json_object *pkgs = hull_json_get_arr(root, "packages");
	int rc = 0;
	struct hull_pkgdb_problems probs = {0};
	size_t first = inv->npkgs;
	if (!pkgs) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: cargo-auditable data without packages",
		                  file);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(pkgs); i++)
		if ((rc = audit_pkg(json_object_array_get_idx(pkgs, i), i, file, layer, inv, &probs,
		                    err)) < 0)
			goto out;
	rc = hull_pkgdb_parsed(inv, first, &probs, err);
out:
	json_object_put(root);
	return rc;
}
