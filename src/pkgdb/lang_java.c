/* java: Maven artifacts in Java archives (jar, war, ear and the archives
 * nested in them: Spring Boot's BOOT-INF/lib, WEB-INF/lib, EAR modules).
 *
 * An archive is found by content (the zip magic) and read with libarchive
 * from memory. Every pom.properties in it (META-INF/maven/<g>/<a>/ as
 * Maven writes it, or anywhere else) is one artifact "groupId:artifactId"
 * at the version its content gives (a shaded jar holds several);
 * an archive without any pom.properties falls back to its
 * META-INF/MANIFEST.MF (Implementation-Title or Bundle-SymbolicName, and
 * Implementation-Version or Bundle-Version), marked with the property
 * "maven:confidence" "low". An entry whose name ends in .jar, .war, .ear
 * (or .zip, .rar...) is read and searched the same way, at most
 * JAVA_MAX_DEPTH archives deep.
 *
 * Bounds (a zip bomb, deep nesting): entries per archive, bytes inflated
 * for one entry and for the whole file, nesting depth. Going past one is a
 * warning kept in the digest, and the run goes on with what was read.
 *
 * The digest is one line per finding, tab-separated: "P\tpath\tgroupId\t
 * artifactId\tversion", "M\tpath\tname\tversion", "W\tmessage"; path is the
 * chain of nested entries ("BOOT-INF/lib/a.jar") or empty for the file
 * itself. The parser lists packages under the file's path, with the
 * nested entry as the property "maven:path". */
#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/str.h"

#define JAVA_MAX_DEPTH    8
#define JAVA_MAX_ENTRIES  200000u
#define JAVA_MAX_NESTED   (64u << 20)  /* one nested archive, inflated */
#define JAVA_MAX_HELD     (128u << 20) /* nested archives in memory at once */
#define JAVA_MAX_TOTAL    (512u << 20) /* everything inflated for one file */
#define JAVA_MAX_SMALL    (64u << 10)  /* a pom.properties, a MANIFEST.MF */
#define JAVA_MAX_WARNINGS 8
#define JAVA_PATH_MAX     1024

struct jctx {
	struct hull_buf *out;
	uint64_t inflated;
	size_t held; /* bytes of the nested archives being read */
	unsigned warnings;
	bool full; /* out of room in the digest */
};

static int line(struct jctx *c, struct hull_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int line(struct jctx *c, struct hull_err *err, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0; /* a line this long holds nothing sensible */
	for (int i = 0; i < n - 1; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	struct hull_err e = {0};
	if (hull_buf_append(c->out, buf, (size_t)n, &e) < 0) {
		if (e.kind == HULL_ERR_NOMEM)
			return hull_err_nomem(err);
		c->full = true;
	}
	return 0;
}

static int warn(struct jctx *c, struct hull_err *err, const char *path, const char *what)
{
	if (c->warnings++ >= JAVA_MAX_WARNINGS)
		return 0;
	char p[512];
	size_t i = 0;
	/* entry names are the archive's: nothing unprintable in a message */
	for (; path[i] && i + 1 < sizeof(p); i++)
		p[i] = (unsigned char)path[i] < 0x20 || path[i] == 0x7f ? '?' : path[i];
	p[i] = 0;
	return line(c, err, "W\t%s\t%s\n", p, what);
}

/* The value of `key` in a Java properties text (key=value or key: value
 * lines; comments with # or !), trimmed; empty when absent. */
static struct hull_str prop_value(struct hull_str text, const char *key)
{
	struct hull_str rest = text, l;
	size_t kl = strlen(key);
	while (hull_str_next_line(&rest, &l)) {
		l = hull_str_trim(l);
		if (l.len <= kl || memcmp(l.ptr, key, kl) != 0)
			continue;
		char sep = l.ptr[kl];
		size_t i = kl;
		while (i < l.len && (l.ptr[i] == ' ' || l.ptr[i] == '\t'))
			i++;
		if (sep != '=' && sep != ':' && sep != ' ' && sep != '\t')
			continue;
		if (i < l.len && (l.ptr[i] == '=' || l.ptr[i] == ':'))
			i++;
		return hull_str_trim(hull_str(l.ptr + i, l.len - i));
	}
	return hull_str("", 0);
}

/* A MANIFEST.MF header's value (continuation lines start with a space). */
static void manifest_value(struct hull_str text, const char *key, char *out, size_t cap)
{
	struct hull_str rest = text, l;
	size_t kl = strlen(key), o = 0;
	bool in = false;
	out[0] = 0;
	while (hull_str_next_line(&rest, &l)) {
		if (l.len && l.ptr[l.len - 1] == '\r')
			l.len--;
		if (in) {
			if (!l.len || l.ptr[0] != ' ')
				break;
			for (size_t i = 1; i < l.len && o + 1 < cap; i++)
				out[o++] = l.ptr[i];
			continue;
		}
		if (!l.len) /* the main section ends at the first blank line */
			break;
		if (l.len > kl + 1 && !strncasecmp(l.ptr, key, kl) && l.ptr[kl] == ':') {
			struct hull_str v = hull_str_trim(hull_str(l.ptr + kl + 1, l.len - kl - 1));
			for (size_t i = 0; i < v.len && o + 1 < cap; i++)
				out[o++] = v.ptr[i];
			in = true;
		}
	}
	out[o] = 0;
	/* Bundle-SymbolicName: "name;singleton:=true" */
	char *semi = strchr(out, ';');
	if (semi)
		*semi = 0;
}

static bool is_archive_name(const char *name)
{
	static const char *const ext[] = {".jar", ".war", ".ear", ".rar", ".sar",
	                                  ".par", ".kar", ".hpi", ".jpi", ".zip"};
	return hull_str_name_has_ext(name, ext, sizeof(ext) / sizeof(ext[0]));
}

/* A pom.properties anywhere in the archive: Maven writes it under
 * META-INF/maven/<g>/<a>/, shading and hand-made jars put it elsewhere
 * (META-INF/<x>/pom.properties, a vendored copy's folder); its content
 * names the artifact, as Trivy and Syft read it. */
static bool is_pom_properties(const char *name)
{
	static const char base[] = "pom.properties";
	size_t n = strlen(name), b = sizeof(base) - 1;
	return n >= b && !strcmp(name + n - b, base) && (n == b || name[n - b - 1] == '/');
}

/* Reads the current entry's data (at most cap bytes, else *over; with
 * prefix, its first cap bytes): malloc'ed. */
static char *read_entry(struct archive *a, struct jctx *c, int64_t size, size_t cap, bool prefix,
                        size_t *len, bool *over, bool *bad)
{
	*over = *bad = false;
	*len = 0;
	if (prefix && size >= 0 && (uint64_t)size > cap)
		size = (int64_t)cap;
	if (size >= 0 && (uint64_t)size > cap) {
		*over = true;
		return NULL;
	}
	size_t want = size > 0 ? (size_t)size : 4096, got = 0;
	char *buf = malloc(want + 1);
	if (!buf)
		return NULL;
	for (;;) {
		if (got == want) {
			if (want >= cap && prefix)
				break;
			if (want >= cap) {
				*over = true;
				free(buf);
				return NULL;
			}
			size_t nw = want * 2 > cap ? cap : want * 2;
			char *nb = realloc(buf, nw + 1);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			want = nw;
		}
		la_ssize_t r = archive_read_data(a, buf + got, want - got);
		if (r < 0) {
			*bad = true;
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		c->inflated += (uint64_t)r;
		if (c->inflated > JAVA_MAX_TOTAL) {
			*over = true;
			free(buf);
			return NULL;
		}
	}
	buf[got] = 0;
	*len = got;
	return buf;
}

static bool clean(struct hull_str s)
{
	return s.len && s.len < 512 && hull_pkgdb_printable(s) && !memchr(s.ptr, '\t', s.len);
}

static int scan_archive(struct jctx *c, const char *data, size_t len, const char *path, int depth,
                        struct hull_err *err);

/* The artifacts one archive's pom.properties named so far: a copy of the
 * same pom.properties elsewhere in it (a shaded jar keeps some twice) is
 * the same artifact, listed once. Past the first JAVA_SEEN_POMS no more
 * are remembered (a duplicate is then listed twice, never one lost). */
#define JAVA_SEEN_POMS 256u
struct seen_poms {
	uint64_t h[JAVA_SEEN_POMS];
	size_t n;
};

static uint64_t fnv(uint64_t h, struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211u;
	return (h ^ 0xff) * 1099511628211u; /* separator */
}

/* True when g:a:v was seen (by a 64-bit hash: a collision would drop a
 * second artifact of this archive; at 256 entries, odds of 2^-48). */
static bool seen_pom(struct seen_poms *s, struct hull_str g, struct hull_str a, struct hull_str v)
{
	uint64_t h = fnv(fnv(fnv(14695981039346656037u, g), a), v);
	for (size_t i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return true;
	if (s->n < JAVA_SEEN_POMS)
		s->h[s->n++] = h;
	return false;
}

static int scan_entries(struct archive *a, struct jctx *c, const char *path, int depth,
                        struct hull_err *err)
{
	struct archive_entry *e;
	size_t n = 0, poms = 0;
	struct seen_poms seen = {.n = 0};
	char manifest[JAVA_MAX_SMALL + 1];
	size_t manifest_len = 0;
	bool have_manifest = false;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (c->full)
			return 0;
		if (++n > JAVA_MAX_ENTRIES) {
			char w[96];
			snprintf(w, sizeof(w), "more than %u entries; the rest not read",
			         JAVA_MAX_ENTRIES);
			return warn(c, err, path, w);
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *name = archive_entry_pathname(e);
		if (!name)
			continue;
		bool pom = is_pom_properties(name), mf = !strcmp(name, "META-INF/MANIFEST.MF");
		bool nested = is_archive_name(name);
		if (!pom && !mf && !nested)
			continue;
		size_t elen, cap = JAVA_MAX_SMALL;
		bool over, bad;
		if (nested) {
			cap = JAVA_MAX_HELD - c->held;
			if (cap > JAVA_MAX_NESTED)
				cap = JAVA_MAX_NESTED;
		}
		/* a signed jar's MANIFEST.MF lists a digest per entry (Eclipse's
		 * run past 100 KiB): only the main section at its start is read */
		char *d = read_entry(a, c, archive_entry_size(e), cap, mf, &elen, &over, &bad);
		char sub[JAVA_PATH_MAX];
		int sl = snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "!/" : "", name);
		if (sl < 0 || (size_t)sl >= sizeof(sub)) {
			free(d);
			continue;
		}
		if (!d) {
			if (over || bad) {
				if (warn(c, err, sub,
				         over
				             ? "inflates past hull's limits (a zip bomb?); not read"
				             : "damaged entry; not read") < 0)
					return -1;
				if (c->inflated >= JAVA_MAX_TOTAL)
					return 0;
				continue;
			}
			return hull_err_nomem(err);
		}
		int rc = 0;
		if (pom) {
			struct hull_str t = hull_str(d, elen);
			struct hull_str g = prop_value(t, "groupId"),
			                ar = prop_value(t, "artifactId"),
			                v = prop_value(t, "version");
			if (clean(g) && clean(ar) && clean(v)) {
				poms++;
				if (!seen_pom(&seen, g, ar, v))
					rc = line(c, err, "P\t%s\t%.*s\t%.*s\t%.*s\n", path,
					          (int)g.len, g.ptr, (int)ar.len, ar.ptr,
					          (int)v.len, v.ptr);
			}
		} else if (mf) {
			memcpy(manifest, d, elen);
			manifest_len = elen;
			have_manifest = true;
		} else if (depth + 1 >= JAVA_MAX_DEPTH) {
			char w[96];
			snprintf(w, sizeof(w), "nested more than %d archives deep; not read",
			         JAVA_MAX_DEPTH);
			rc = warn(c, err, sub, w);
		} else if (elen >= 4 && !memcmp(d, "PK\x03\x04", 4)) {
			c->held += elen;
			rc = scan_archive(c, d, elen, sub, depth + 1, err);
			c->held -= elen;
		}
		free(d);
		if (rc < 0)
			return -1;
	}
	if (r != ARCHIVE_EOF && warn(c, err, path, "damaged archive; the rest not read") < 0)
		return -1;
	if (!poms && have_manifest) {
		struct hull_str t = hull_str(manifest, manifest_len);
		char name[512], ver[512];
		manifest_value(t, "Implementation-Title", name, sizeof(name));
		if (!name[0])
			manifest_value(t, "Bundle-SymbolicName", name, sizeof(name));
		manifest_value(t, "Implementation-Version", ver, sizeof(ver));
		if (!ver[0])
			manifest_value(t, "Bundle-Version", ver, sizeof(ver));
		if (clean(hull_str_c(name)) && clean(hull_str_c(ver)))
			return line(c, err, "M\t%s\t%s\t%s\n", path, name, ver);
	}
	return 0;
}

static int scan_archive(struct jctx *c, const char *data, size_t len, const char *path, int depth,
                        struct hull_err *err)
{
	struct archive *a = archive_read_new();
	if (!a)
		return hull_err_nomem(err);
	archive_read_support_format_zip_seekable(a);
	int rc = 0;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		rc = warn(c, err, path, "not a readable zip archive");
	else
		rc = scan_entries(a, c, path, depth, err);
	archive_read_free(a);
	return rc;
}

int hull_java_digest(const char *data, size_t len, struct hull_buf *out, struct hull_err *err)
{
	struct jctx c = {.out = out};
	size_t start = out->len;
	if (scan_archive(&c, data, len, "", 0, err) < 0)
		return -1;
	/* an archive with no Java artifact (and nothing worth a warning about
	 * it) is not kept */
	struct hull_str d = hull_buf_str(out);
	bool found = false;
	for (size_t i = start; i < d.len; i++)
		if ((i == start || d.ptr[i - 1] == '\n') && (d.ptr[i] == 'P' || d.ptr[i] == 'M'))
			found = true;
	if (!found && !c.warnings)
		return 0;
	if (!found) {
		/* warnings of a plain zip (no META-INF at all) are noise */
		if (!memmem(data, len, "META-INF/", 9))
			return 0;
	}
	return 1;
}

/* ---- the digest as packages ---- */

int hull_java_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                    struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	struct hull_str rest = data, l;
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	while (hull_str_next_line(&rest, &l)) {
		struct hull_str f[5];
		size_t nf = 0;
		struct hull_str r = l, a, b;
		while (nf < 5) {
			bool more = hull_str_split(r, '\t', &a, &b);
			f[nf++] = more ? a : r;
			if (!more)
				break;
			r = b;
		}
		if (!l.len)
			continue;
		char props[JAVA_PATH_MAX + 64], name[1100];
		size_t pl = 0;
		if (nf >= 2 && f[1].len)
			pl = (size_t)snprintf(
			    props, sizeof(props), "maven:path\t%.*s\n",
			    (int)(f[1].len > JAVA_PATH_MAX ? JAVA_PATH_MAX : f[1].len), f[1].ptr);
		if (hull_str_eq_c(f[0], "P") && nf == 5) {
			snprintf(name, sizeof(name), "%.*s:%.*s",
			         (int)(f[2].len > 512 ? 512 : f[2].len), f[2].ptr,
			         (int)(f[3].len > 512 ? 512 : f[3].len), f[3].ptr);
			struct hull_pkg_slices s = {.type = HULL_PKG_MAVEN,
			                            .name = hull_str_c(name),
			                            .version = f[4],
			                            .props = pl ? hull_str(props, pl)
			                                        : hull_str(NULL, 0)};
			if (!f[2].len || !f[3].len || !hull_pkgdb_printable(f[4])) {
				hull_pkgdb_problem(&probs, "%s: bad Maven coordinates \"%s\"", file,
				                   hull_pkgdb_quote(l, q));
				continue;
			}
			if (hull_pkgdb_add(inv, &s, file, layer, err) < 0)
				return -1;
		} else if (hull_str_eq_c(f[0], "M") && nf == 4) {
			if (pl + 24 < sizeof(props))
				pl += (size_t)snprintf(props + pl, sizeof(props) - pl,
				                       "maven:confidence\tlow\n");
			struct hull_pkg_slices s = {.type = HULL_PKG_MAVEN,
			                            .name = f[2],
			                            .version = f[3],
			                            .props = hull_str(props, pl)};
			if (!f[2].len || !hull_pkgdb_printable(f[2]) ||
			    !hull_pkgdb_printable(f[3])) {
				hull_pkgdb_problem(&probs, "%s: bad manifest line \"%s\"", file,
				                   hull_pkgdb_quote(l, q));
				continue;
			}
			if (hull_pkgdb_add(inv, &s, file, layer, err) < 0)
				return -1;
		} else if (hull_str_eq_c(f[0], "W") && nf == 3) {
			hull_pkgdb_problem(&probs, "%s%s%.*s: %.*s", file, f[1].len ? "!/" : "",
			                   (int)(f[1].len > 400 ? 400 : f[1].len), f[1].ptr,
			                   (int)(f[2].len > 200 ? 200 : f[2].len), f[2].ptr);
		} else {
			hull_pkgdb_problem(&probs, "%s: bad Java archive digest line \"%s\"", file,
			                   hull_pkgdb_quote(l, q));
		}
	}
	return hull_pkgdb_problems_finish(&probs, err);
}
