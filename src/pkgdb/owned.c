/* owned: which kept files an operating-system package installed.
 *
 * A jar, gem specification, Python METADATA or Go binary that dpkg or apk
 * installed is the distribution's build of that software: the
 * distribution's advisories cover it (under the source package, with its
 * backported fixes), and an upstream advisory matched against the upstream
 * version it carries is a false positive the distribution already
 * answered. As Trivy does (its OS analyzers report SystemInstalledFiles,
 * which the language analyzers skip), the collector does not read such a
 * file as a language package.
 *
 * The file lists read: dpkg's var/lib/dpkg/info/<pkg>.list (one absolute
 * path a line; also <pkg>:<arch>.list), the md5sums of a distroless
 * var/lib/dpkg/status.d/<pkg>.md5sums ("<md5>  <path>", the path without
 * its leading '/'), and apk's lib/apk/db/installed (an "F:<folder>" line,
 * then an "R:<file>" line per file in it). Each listed path is looked up in
 * the fileset (following symlinks inside the image root, so a /lib/x listed
 * by a package of a merged-/usr system finds usr/lib/x), and the kept file
 * it names is marked when `wanted` says a language source reads it. rpm's
 * file lists are the BASENAMES, DIRNAMES and DIRINDEXES tags of each
 * package header in the live rpm database (the first of the rpm type's
 * database paths present, the one the package reader reads). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/pkgdb.h"
#include "pkgdb/rpmdb_internal.h"
#include "util/mem.h"

#define DPKG_INFO     "var/lib/dpkg/info/"
#define DPKG_STATUS_D "var/lib/dpkg/status.d/"
#define APK_DB        "lib/apk/db/installed"
#define PATH_CAP      4096u

bool hull_owned_list_path(const char *path)
{
	struct hull_str s = hull_str_c(path);
	struct hull_str name;
	if (hull_str_has_prefix(s, DPKG_INFO) && hull_str_has_suffix(s, ".list"))
		name = hull_str(path + strlen(DPKG_INFO), s.len - strlen(DPKG_INFO));
	else if (hull_str_has_prefix(s, DPKG_STATUS_D) && hull_str_has_suffix(s, ".md5sums"))
		name = hull_str(path + strlen(DPKG_STATUS_D), s.len - strlen(DPKG_STATUS_D));
	else
		return false;
	return name.len > 0 && name.ptr[0] != '.' && hull_str_index(name, '/') < 0;
}

struct ctx {
	const struct hull_fileset *fs;
	bool (*wanted)(const struct hull_file *f);
	struct hull_owned *out;
};

/* Marks the kept file at dir/name (dir may be empty). Listed paths that
 * are too long, climb with "..", or name nothing kept are passed over. */
static int mark(struct ctx *c, struct hull_str dir, struct hull_str name, struct hull_err *err)
{
	char raw[PATH_CAP], norm[PATH_CAP];
	if (dir.len + 1 + name.len >= sizeof(raw) || !name.len)
		return 0;
	size_t n = 0;
	if (dir.len) {
		memcpy(raw, dir.ptr, dir.len);
		raw[dir.len] = '/';
		n = dir.len + 1;
	}
	memcpy(raw + n, name.ptr, name.len);
	raw[n + name.len] = '\0';
	struct hull_err perr = {0};
	if (hull_path_normalize(raw, norm, sizeof(norm), &perr) < 0 || !norm[0])
		return 0;
	const struct hull_file *f = hull_fileset_get(c->fs, norm);
	if (!f || !c->wanted(f))
		return 0;
	struct hull_owned *o = c->out;
	if (HULL_ARRAY_PUSH_ROOM(o->v, o->n, o->cap, HULL_FILESET_MAX_PATHS, err) < 0)
		return hull_err_wrap(err, "files installed by the system's packages");
	o->v[o->n++] = f;
	return 0;
}

static int read_dpkg_list(struct ctx *c, const struct hull_file *f, bool md5sums,
                          struct hull_err *err)
{
	struct hull_str rest = hull_str(f->data, f->len), line;
	while (hull_str_next_line(&rest, &line)) {
		if (md5sums) {
			/* "<32 hex>  <path>" */
			const char *sp = memmem(line.ptr, line.len, "  ", 2);
			if (!sp)
				continue;
			line = hull_str(sp + 2, line.len - (size_t)(sp + 2 - line.ptr));
		}
		if (mark(c, hull_str(NULL, 0), line, err) < 0)
			return -1;
	}
	return 0;
}

static int read_apk_db(struct ctx *c, const struct hull_file *f, struct hull_err *err)
{
	struct hull_str rest = hull_str(f->data, f->len), line, dir = hull_str(NULL, 0);
	while (hull_str_next_line(&rest, &line)) {
		if (line.len == 0) /* a blank line ends a package */
			dir = hull_str(NULL, 0);
		else if (hull_str_has_prefix(line, "F:"))
			dir = hull_str(line.ptr + 2, line.len - 2);
		else if (hull_str_has_prefix(line, "R:") &&
		         mark(c, dir, hull_str(line.ptr + 2, line.len - 2), err) < 0)
			return -1;
	}
	return 0;
}

static int on_rpm_file(void *arg, struct hull_str dir, struct hull_str base, struct hull_err *err)
{
	return mark(arg, dir, base, err);
}

/* The live rpm database's file lists. A database hull cannot read owns
 * nothing here: the package reader reports it. */
static int read_rpmdb(struct ctx *c, struct hull_err *err)
{
	const char *const *paths = hull_pkg_type_info(HULL_PKG_RPM)->sources[0].db_paths;
	for (; *paths; paths++) {
		const struct hull_file *f = hull_fileset_get(c->fs, *paths);
		if (!f)
			continue;
		struct hull_err e = {0};
		if (hull_rpmdb_each_file(hull_str(f->data, f->len), f->path, on_rpm_file, c, &e) <
		        0 &&
		    (e.kind == HULL_ERR_NOMEM || e.kind == HULL_ERR_LIMIT)) {
			*err = e;
			return -1;
		}
		return 0;
	}
	return 0;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const void *const *)a,
	          y = (uintptr_t) * (const void *const *)b;
	return (x > y) - (x < y);
}

int hull_owned_collect(const struct hull_fileset *fs, bool (*wanted)(const struct hull_file *f),
                       struct hull_owned *out, struct hull_err *err)
{
	struct ctx c = {.fs = fs, .wanted = wanted, .out = out};
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < hull_fileset_count(fs); i++) {
		const struct hull_file *f = hull_fileset_at(fs, i);
		if (hull_owned_list_path(f->path) &&
		    read_dpkg_list(&c, f, hull_str_has_suffix(hull_str_c(f->path), ".md5sums"),
		                   err) < 0)
			goto fail;
	}
	const struct hull_file *apk = hull_fileset_get(fs, APK_DB);
	if (apk && read_apk_db(&c, apk, err) < 0)
		goto fail;
	if (read_rpmdb(&c, err) < 0)
		goto fail;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_ptr);
	return 0;
fail:
	hull_owned_release(out);
	return -1;
}

bool hull_owned_has(const struct hull_owned *o, const struct hull_file *f)
{
	return o->n && bsearch(&f, o->v, o->n, sizeof(*o->v), cmp_ptr);
}

void hull_owned_release(struct hull_owned *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}
