#include "report/purl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/mem.h"

/* A purl is built from at most a few short strings; this caps what one
 * hostile package field can make us allocate per purl. */
#define PURL_MAX_LEN (64u << 10)

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

static int put_encoded(struct hull_buf *out, const char *s, size_t len, struct hull_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		char enc[4];
		const char *bytes = s + i;
		size_t nb = n;
		if (!valid) {
			nb = hull_utf8_encode(HULL_UTF8_REPLACEMENT, enc);
			bytes = enc;
		}
		for (size_t k = 0; k < nb; k++) {
			unsigned char c = (unsigned char)bytes[k];
			int rc;
			if (is_unreserved(c)) {
				rc = hull_buf_putc(out, (char)c, err);
			} else {
				char t[3] = {'%', hex[c >> 4], hex[c & 15]};
				rc = hull_buf_append(out, t, 3, err);
			}
			if (rc < 0)
				return -1;
		}
		i += n;
	}
	return 0;
}

/* Percent-encodes each '/'-separated segment of s, skipping empty ones
 * (and, for a subpath, "." and ".."), joined with '/'. */
static int put_segments(struct hull_buf *out, const char *s, bool subpath, struct hull_err *err)
{
	bool first = true;
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		bool skip =
		    n == 0 ||
		    (subpath && ((n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2))));
		if (!skip) {
			if (!first && hull_buf_putc(out, '/', err) < 0)
				return -1;
			if (put_encoded(out, s, n, err) < 0)
				return -1;
			first = false;
		}
		s += n;
		if (*s == '/')
			s++;
	}
	return 0;
}

static bool valid_key(const char *k)
{
	/* Keys are ASCII letters, digits, '.', '-', '_', not starting with a digit. */
	if (!k || !*k || (*k >= '0' && *k <= '9'))
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '.' ||
		      *k == '-' || *k == '_'))
			return false;
	return true;
}

static int cmp_qualifier(const void *a, const void *b)
{
	const struct hull_purl_qualifier *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static bool has_segment(const char *s)
{
	for (; s && *s; s++)
		if (*s != '/')
			return true;
	return false;
}

int hull_purl_format(const struct hull_purl *p, struct hull_buf *out, struct hull_err *err)
{
	if (empty(p->type) || !has_segment(p->name))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: missing type or name");
	for (const char *t = p->type; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '.' ||
		      *t == '+' || *t == '-'))
			return hull_err_set(err, HULL_ERR_INPUT, "purl: bad type '%s'", p->type);
	if (p->nqualifiers > HULL_PURL_MAX_QUALIFIERS)
		return hull_err_set(err, HULL_ERR_LIMIT, "purl: too many qualifiers");

	struct hull_purl_qualifier q[HULL_PURL_MAX_QUALIFIERS];
	size_t nq = 0;
	for (size_t i = 0; i < p->nqualifiers; i++) {
		if (!valid_key(p->qualifiers[i].key))
			return hull_err_set(err, HULL_ERR_INPUT, "purl: bad qualifier key");
		if (!empty(p->qualifiers[i].value))
			q[nq++] = p->qualifiers[i];
	}
	qsort(q, nq, sizeof(q[0]), cmp_qualifier);
	for (size_t i = 1; i < nq; i++)
		if (!strcmp(q[i - 1].key, q[i].key))
			return hull_err_set(err, HULL_ERR_INPUT, "purl: qualifier '%s' repeated",
			                    q[i].key);

	if (hull_buf_append_str(out, "pkg:", err) < 0 ||
	    hull_buf_append_str(out, p->type, err) < 0 || hull_buf_putc(out, '/', err) < 0)
		return -1;
	if (has_segment(p->ns)) {
		if (put_segments(out, p->ns, false, err) < 0 || hull_buf_putc(out, '/', err) < 0)
			return -1;
	}
	/* The name is one segment: a '/' inside it is data, so it is encoded;
	 * only leading and trailing slashes are stripped. */
	const char *name = p->name;
	size_t nlen = strlen(name);
	while (*name == '/')
		name++, nlen--;
	while (nlen && name[nlen - 1] == '/')
		nlen--;
	if (put_encoded(out, name, nlen, err) < 0)
		return -1;
	if (!empty(p->version)) {
		if (hull_buf_putc(out, '@', err) < 0 ||
		    put_encoded(out, p->version, strlen(p->version), err) < 0)
			return -1;
	}
	for (size_t i = 0; i < nq; i++) {
		if (hull_buf_putc(out, i ? '&' : '?', err) < 0 ||
		    hull_buf_append_str(out, q[i].key, err) < 0 ||
		    hull_buf_putc(out, '=', err) < 0 ||
		    put_encoded(out, q[i].value, strlen(q[i].value), err) < 0)
			return -1;
	}
	if (has_segment(p->subpath)) {
		size_t mark = out->len;
		if (hull_buf_putc(out, '#', err) < 0 ||
		    put_segments(out, p->subpath, true, err) < 0)
			return -1;
		if (out->len == mark + 1) /* only "." and ".." segments */
			out->len = mark, out->data[mark] = '\0';
	}
	return 0;
}

/* Lowercase copies (ASCII only: the spec's full Unicode case mapping would
 * need tables we do not carry; package names are ASCII in practice). */
static char *lower_dup(const char *s, struct hull_err *err)
{
	char *d = hull_strdup(s, err);
	if (d)
		for (char *p = d; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return d;
}

/* PEP 503: lowercase, and every run of '-', '_', '.' becomes one '-'. */
static char *pypi_name(const char *s, struct hull_err *err)
{
	char *d = lower_dup(s, err);
	if (!d)
		return NULL;
	char *w = d;
	for (const char *r = d; *r; r++) {
		bool sep = *r == '-' || *r == '_' || *r == '.';
		if (sep && w > d && w[-1] == '-')
			continue;
		*w++ = sep ? '-' : *r;
	}
	*w = '\0';
	return d;
}

struct pkg_purl {
	struct hull_purl p;
	char *owned[4]; /* normalised copies freed after formatting */
	char distro[256];
	char epoch[24];
};

static void set_distro(struct pkg_purl *pp, const struct hull_os *os)
{
	pp->distro[0] = '\0';
	if (!os || empty(os->id))
		return;
	const char *rel = !empty(os->version_id) ? os->version_id : os->codename;
	if (empty(rel))
		return;
	int n = snprintf(pp->distro, sizeof(pp->distro), "%s-%s", os->id, rel);
	if (n < 0 || (size_t)n >= sizeof(pp->distro)) {
		pp->distro[0] = '\0'; /* a hostile os-release: better no qualifier than a cut one */
		return;
	}
	for (char *c = pp->distro; *c && c < pp->distro + strlen(os->id); c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
}

static void add_q(struct hull_purl *p, const char *key, const char *value)
{
	p->qualifiers[p->nqualifiers].key = key;
	p->qualifiers[p->nqualifiers].value = value;
	p->nqualifiers++;
}

/* deb/apk "upstream": the source package when it is not this package. */
static int set_upstream(struct pkg_purl *pp, const struct hull_pkg *pkg, bool with_version,
                        struct hull_err *err)
{
	if (empty(pkg->src_name))
		return 0;
	bool other_version = with_version && !empty(pkg->src_version) &&
	                     (!pkg->version || strcmp(pkg->src_version, pkg->version) != 0);
	if (!strcmp(pkg->src_name, pkg->name) && !other_version)
		return 0;
	char *v = NULL;
	if (other_version) {
		if (asprintf(&v, "%s@%s", pkg->src_name, pkg->src_version) < 0)
			return hull_err_nomem(err);
	} else if (!(v = hull_strdup(pkg->src_name, err))) {
		return -1;
	}
	pp->owned[2] = v;
	add_q(&pp->p, "upstream", v);
	return 0;
}

/* "[epoch:]version-release" without the epoch, for rpm packages whose
 * parts were not split by the reader. */
static const char *strip_epoch(const char *v)
{
	if (empty(v))
		return v;
	const char *c = v;
	while (*c >= '0' && *c <= '9')
		c++;
	return c > v && *c == ':' ? c + 1 : v;
}

static const char *os_ns(const struct hull_os *os, const char *fallback)
{
	return os && !empty(os->id) ? os->id : fallback;
}

/* A language package: the type table's purl type, the name normalised
 * as its purl type wants, and the namespace split off at the table's
 * separator (npm "@scope/name"). */
static int fill_lang(struct pkg_purl *pp, const struct hull_pkg *pkg, struct hull_err *err)
{
	const struct hull_pkg_type_info *ti = hull_pkg_type_info(pkg->type);
	if (!ti)
		return hull_err_set(err, HULL_ERR_INPUT, "purl: unknown package type %d",
		                    (int)pkg->type);
	struct hull_purl *p = &pp->p;
	p->type = ti->purl_type;
	pp->owned[0] =
	    !strcmp(ti->purl_type, "pypi") ? pypi_name(pkg->name, err) : lower_dup(pkg->name, err);
	if (!pp->owned[0])
		return -1;
	char *n = pp->owned[0];
	char *sep = ti->ns_sep ? strrchr(n, ti->ns_sep) : NULL;
	if (sep) {
		*sep = '\0';
		p->ns = n;
		p->name = sep + 1;
	} else {
		p->name = n;
	}
	return 0;
}

static int fill(struct pkg_purl *pp, const struct hull_pkg *pkg, const struct hull_os *os,
                struct hull_err *err)
{
	struct hull_purl *p = &pp->p;
	p->version = pkg->version;
	switch (pkg->type) {
	case HULL_PKG_DEB:
	case HULL_PKG_APK: {
		bool deb = pkg->type == HULL_PKG_DEB;
		p->type = deb ? "deb" : "apk";
		if (!(pp->owned[0] = lower_dup(os_ns(os, deb ? "debian" : "alpine"), err)) ||
		    !(pp->owned[1] = lower_dup(pkg->name, err)))
			return -1;
		p->ns = pp->owned[0];
		p->name = pp->owned[1];
		add_q(p, "arch", pkg->arch);
		set_distro(pp, os);
		add_q(p, "distro", pp->distro);
		return set_upstream(pp, pkg, deb, err);
	}
	case HULL_PKG_RPM:
		p->type = "rpm";
		if (os && !empty(os->id)) {
			if (!(pp->owned[0] = lower_dup(os->id, err)))
				return -1;
			p->ns = pp->owned[0];
		}
		p->name = pkg->name;
		/* The purl version is version-release; the epoch is a qualifier. */
		if (!empty(pkg->rpm_version)) {
			if (asprintf(&pp->owned[1], "%s%s%s", pkg->rpm_version,
			             empty(pkg->release) ? "" : "-",
			             empty(pkg->release) ? "" : pkg->release) < 0) {
				pp->owned[1] = NULL;
				return hull_err_nomem(err);
			}
			p->version = pp->owned[1];
		} else {
			p->version = strip_epoch(pkg->version);
		}
		add_q(p, "arch", pkg->arch);
		if (pkg->epoch > 0) {
			snprintf(pp->epoch, sizeof(pp->epoch), "%ld", pkg->epoch);
			add_q(p, "epoch", pp->epoch);
		}
		set_distro(pp, os);
		add_q(p, "distro", pp->distro);
		return 0;
	default:
		return fill_lang(pp, pkg, err);
	}
}

int hull_purl_from_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_buf *out,
                       struct hull_err *err)
{
	if (empty(pkg->name))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: package without a name");
	struct pkg_purl pp;
	memset(&pp, 0, sizeof(pp));
	int rc = fill(&pp, pkg, os, err);
	if (rc == 0)
		rc = hull_purl_format(&pp.p, out, err);
	for (size_t i = 0; i < sizeof(pp.owned) / sizeof(pp.owned[0]); i++)
		free(pp.owned[i]);
	return rc;
}

char *hull_purl_of_pkg(const struct hull_pkg *pkg, const struct hull_os *os, struct hull_err *err)
{
	struct hull_buf b;
	hull_buf_init(&b, PURL_MAX_LEN);
	if (hull_purl_from_pkg(pkg, os, &b, err) < 0) {
		hull_buf_release(&b);
		return NULL;
	}
	return hull_buf_detach(&b, NULL);
}
