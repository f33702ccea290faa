/* Python core metadata (*.dist-info/METADATA, *.egg-info/PKG-INFO or an
 * .egg-info file): RFC 822 style headers up to the first empty line, a
 * continuation line starts with a blank, the body (the long description)
 * follows. As with Python's email parser, a line that is neither a header
 * nor a continuation ends the headers.
 *
 * License, as Trivy reports it: License-Expression (PEP 639); else the
 * last part of every "License :: ..." classifier that names a license (not
 * the bare categories "License :: OSI Approved" and "License :: DFSG
 * approved"), as classifiers are a fixed vocabulary where License is free
 * text; else License (continuation lines joined with a space, "UNKNOWN"
 * kept as written); else "file://<License-File>" for each license file.
 * Several are joined with ", ". */
#include <string.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"
#include "util/buf.h"

#define PY_LICENSE_MAX (64u << 10)

enum py_field { F_OTHER, F_NAME, F_VERSION, F_EXPR, F_LICENSE, F_CLASSIFIER, F_LICENSE_FILE };

struct py_meta {
	struct hull_str name, version, expr; /* ptr NULL: absent */
	struct hull_buf license, classifiers, files;
	bool too_long; /* a license buffer hit its cap */
};

static enum py_field field_of(struct hull_str key)
{
	if (hull_str_eq_nocase(key, "Name"))
		return F_NAME;
	if (hull_str_eq_nocase(key, "Version"))
		return F_VERSION;
	if (hull_str_eq_nocase(key, "License-Expression"))
		return F_EXPR;
	if (hull_str_eq_nocase(key, "License"))
		return F_LICENSE;
	if (hull_str_eq_nocase(key, "Classifier"))
		return F_CLASSIFIER;
	if (hull_str_eq_nocase(key, "License-File"))
		return F_LICENSE_FILE;
	return F_OTHER;
}

static bool valid_key(struct hull_str k)
{
	if (!k.len)
		return false;
	for (size_t i = 0; i < k.len; i++)
		if ((unsigned char)k.ptr[i] <= ' ' || (unsigned char)k.ptr[i] >= 0x7f)
			return false;
	return true;
}

/* Appends sep (when b is not empty) and s; a full buffer only marks the
 * license as too long. */
static int join(struct py_meta *m, struct hull_buf *b, const char *sep, const char *prefix,
                struct hull_str s, struct hull_err *err)
{
	struct hull_err e = {0};
	if ((b->len && hull_buf_append_str(b, sep, &e) < 0) ||
	    (prefix && hull_buf_append_str(b, prefix, &e) < 0) ||
	    hull_buf_append(b, s.ptr, s.len, &e) < 0) {
		if (e.kind == HULL_ERR_NOMEM)
			return hull_err_nomem(err);
		m->too_long = true;
	}
	return 0;
}

static int header(struct py_meta *m, enum py_field f, struct hull_str v, struct hull_err *err)
{
	static const char lic_prefix[] = "License :: ";
	switch (f) {
	case F_NAME:
		if (!m->name.ptr)
			m->name = v;
		return 0;
	case F_VERSION:
		if (!m->version.ptr)
			m->version = v;
		return 0;
	case F_EXPR:
		if (!m->expr.len)
			m->expr = v;
		return 0;
	case F_LICENSE:
		return v.len ? join(m, &m->license, " ", NULL, v, err) : 0;
	case F_CLASSIFIER:
		if (!hull_str_has_prefix(v, lic_prefix))
			return 0;
		/* the last " :: " part names the license */
		for (size_t i = v.len; i >= 4; i--) {
			if (memcmp(v.ptr + i - 4, " :: ", 4) != 0)
				continue;
			struct hull_str last = hull_str(v.ptr + i, v.len - i);
			if (i == sizeof(lic_prefix) - 1 && (hull_str_eq_c(last, "OSI Approved") ||
			                                    hull_str_eq_c(last, "DFSG approved")))
				return 0;
			return join(m, &m->classifiers, ", ", NULL, last, err);
		}
		return 0;
	case F_LICENSE_FILE:
		return v.len ? join(m, &m->files, ", ", "file://", v, err) : 0;
	case F_OTHER:
		break;
	}
	return 0;
}

static int read_headers(struct hull_str data, struct py_meta *m, struct hull_err *err)
{
	struct hull_str rest = data, line;
	enum py_field cur = F_OTHER;
	while (hull_str_next_line(&rest, &line)) {
		if (!line.len)
			break;
		if (line.ptr[0] == ' ' || line.ptr[0] == '\t') {
			/* only License is read over several lines */
			struct hull_str v = hull_str_trim(line);
			if (cur == F_LICENSE && v.len &&
			    join(m, &m->license, " ", NULL, v, err) < 0)
				return -1;
			continue;
		}
		struct hull_str key, value;
		if (!hull_str_split(line, ':', &key, &value) || !valid_key(key))
			break;
		cur = field_of(key);
		if (header(m, cur, hull_str_trim(value), err) < 0)
			return -1;
	}
	return 0;
}

/* The license as described at the top, or an absent slice. */
static struct hull_str pick_license(const struct py_meta *m)
{
	if (m->too_long)
		return hull_str(NULL, 0);
	if (m->expr.len)
		return m->expr;
	if (m->classifiers.len)
		return hull_buf_str(&m->classifiers);
	if (m->license.len)
		return hull_buf_str(&m->license);
	if (m->files.len)
		return hull_buf_str(&m->files);
	return hull_str(NULL, 0);
}

int hull_python_metadata_parse(struct hull_str data, const char *file, int layer,
                               struct hull_inventory *inv, struct hull_err *err)
{
	struct py_meta m = {0};
	hull_buf_init(&m.license, PY_LICENSE_MAX);
	hull_buf_init(&m.classifiers, PY_LICENSE_MAX);
	hull_buf_init(&m.files, PY_LICENSE_MAX);
	int rc = read_headers(data, &m, err);
	if (rc == 0 && (!m.name.len || !m.version.len)) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: missing Name or Version", file);
	} else if (rc == 0 && (!hull_pkgdb_printable(m.name) || !hull_pkgdb_printable(m.version))) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: control character in Name or Version",
		                  file);
	} else if (rc == 0) {
		struct hull_str lic = pick_license(&m);
		struct hull_pkg_slices s = {
		    .type = HULL_PKG_PYPI,
		    .name = m.name,
		    .version = m.version,
		    .license = hull_pkgdb_printable(lic) ? lic : hull_str(NULL, 0),
		};
		rc = hull_pkgdb_add(inv, &s, file, layer, err);
	}
	hull_buf_release(&m.license);
	hull_buf_release(&m.classifiers);
	hull_buf_release(&m.files);
	return rc;
}
