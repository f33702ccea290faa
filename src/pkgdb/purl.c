#include "pkgdb/purl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* A purl is built from at most a few short strings; this caps what one
 * hostile package field can make us allocate per purl. */
#define PURL_MAX_LEN (64u << 10)

static bool empty(const char *s)
{
	return !s || !*s;
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

/* A language package: the type table's purl type, the name as hull
 * names it (PyPI: PEP 503 normalised) and the namespace split off at the
 * table's separator (npm "@scope/name"). Case and the spec's own
 * normalisations are the purl module's (util/purl.c, one row per type). */
static int fill_lang(struct pkg_purl *pp, const struct hull_pkg *pkg, struct hull_err *err)
{
	const struct hull_pkg_type_info *ti = hull_pkg_type_info(pkg->type);
	if (!ti)
		return hull_err_set(err, HULL_ERR_INPUT, "purl: unknown package type %d",
		                    (int)pkg->type);
	struct hull_purl *p = &pp->p;
	p->type = ti->purl_type;
	pp->owned[0] = !strcmp(ti->purl_type, "pypi") ? pypi_name(pkg->name, err)
	                                              : hull_strdup(pkg->name, err);
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
		p->ns = os_ns(os, deb ? "debian" : "alpine");
		p->name = pkg->name;
		add_q(p, "arch", pkg->arch);
		set_distro(pp, os);
		add_q(p, "distro", pp->distro);
		return set_upstream(pp, pkg, deb, err);
	}
	case HULL_PKG_RPM:
		p->type = "rpm";
		if (os && !empty(os->id))
			p->ns = os->id;
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
