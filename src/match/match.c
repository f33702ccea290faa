#include "match/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/purl.h"
#include "util/mem.h"

#define MAX_ALIASES 64

/* ---- namespaces -------------------------------------------------------- */

static const struct {
	const char *codename, *number;
} debian_releases[] = {
    {"jessie", "8"},    {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"},
    {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"sid", "unstable"},
};

static int debian_ns(const struct hull_os *os, char *out, size_t cap, struct hull_err *err)
{
	const char *v = os->version_id;
	if (v && *v) {
		size_t n = strspn(v, "0123456789");
		if (n > 0 && n < 4) {
			snprintf(out, cap, "debian:%.*s", (int)n, v);
			return 0;
		}
	}
	for (size_t i = 0; os->codename && i < sizeof(debian_releases) / sizeof(*debian_releases);
	     i++) {
		if (!strcmp(os->codename, debian_releases[i].codename)) {
			snprintf(out, cap, "debian:%s", debian_releases[i].number);
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_NOTFOUND, "Debian release '%s' is not known",
	                    v              ? v
	                    : os->codename ? os->codename
	                                   : "(none)");
}

static int alpine_ns(const struct hull_os *os, char *out, size_t cap, struct hull_err *err)
{
	const char *v = os->version_id;
	unsigned major, minor;
	char rest[8] = "";
	if (v && strstr(v, "_alpha")) {
		snprintf(out, cap, "alpine:edge");
		return 0;
	}
	if (!v || sscanf(v, "%u.%u%7s", &major, &minor, rest) < 2)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "Alpine release '%s' is not known",
		                    v ? v : "(none)");
	snprintf(out, cap, "alpine:v%u.%u", major, minor);
	return 0;
}

int hull_match_os_namespace(const struct hull_os *os, char *out, size_t cap, struct hull_err *err)
{
	if (!os->id)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "the distribution is unknown");
	if (!strcmp(os->id, "debian"))
		return debian_ns(os, out, cap, err);
	if (!strcmp(os->id, "alpine"))
		return alpine_ns(os, out, cap, err);
	if (!strcmp(os->id, "wolfi")) {
		snprintf(out, cap, "wolfi");
		return 0;
	}
	if (!strcmp(os->id, "ubuntu") && os->version_id) {
		snprintf(out, cap, "ubuntu:%s", os->version_id);
		return 0;
	}
	return hull_err_set(err, HULL_ERR_NOTFOUND, "hull has no vulnerability feed for %s %s",
	                    os->id, os->version_id ? os->version_id : "");
}

bool hull_match_third_party(const struct hull_os *os, const struct hull_pkg *pkg)
{
	(void)os;
	const char *v = pkg->version;
	if (pkg->type != HULL_PKG_DEB || !v)
		return false;
	/* vendor repositories name the target distribution in the revision:
	 * docker "5:20.10.7~3-0~debian-buster", nodesource "18.19.0-1nodesource1" */
	return strstr(v, "~debian-") || strstr(v, "~ubuntu-") || strstr(v, "-0~debian") ||
	       strstr(v, "-0~ubuntu") || strstr(v, "nodesource");
}

/* ---- per package ------------------------------------------------------- */

struct pkg_scan {
	struct hull_vulndb *db;
	const struct hull_inventory *inv;
	const struct hull_image *img;
	const struct hull_pkg *pkg;
	struct hull_findings *out;
	size_t first; /* this package's first finding in out */
	struct hull_diag *diag;
	struct hull_err *err;
	struct hull_str version;
	bool tracker_pass; /* pass 1: all but DSA/DLA; pass 2: DSA/DLA */
	char **covered;    /* CVEs the Debian tracker spoke about for this package */
	size_t ncovered, capcovered;
	bool version_warned;
	int failed;
};

static bool is_list_source(enum hull_vulndb_source s)
{
	return s == HULL_VULNDB_SRC_DEBIAN_DSA || s == HULL_VULNDB_SRC_DEBIAN_DLA;
}

static bool covered(const struct pkg_scan *ps, const char *id)
{
	for (size_t i = 0; i < ps->ncovered; i++)
		if (!strcmp(ps->covered[i], id))
			return true;
	return false;
}

static int cover(struct pkg_scan *ps, const char *id)
{
	if (covered(ps, id))
		return 0;
	if (HULL_ARRAY_PUSH_ROOM(ps->covered, ps->ncovered, ps->capcovered, 1u << 20, ps->err) < 0)
		return -1;
	if (!(ps->covered[ps->ncovered] = strdup(id)))
		return hull_err_nomem(ps->err);
	ps->ncovered++;
	return 0;
}

static int affects(struct pkg_scan *ps, const struct hull_vulndb_advisory *adv, bool *aff)
{
	struct hull_err e = {0};
	int rc = 0;
	*aff = false;
	switch (adv->kind) {
	case HULL_VULNDB_DISTRO:
		rc = hull_distro_fix_affects(adv->eco, &adv->fix, ps->version, aff, &e);
		break;
	case HULL_VULNDB_OSV:
		for (size_t i = 0; rc == 0 && !*aff && i < adv->n_affected; i++)
			rc = hull_osv_affected_match(adv->eco, &adv->affected[i], ps->version, aff,
			                             &e);
		break;
	case HULL_VULNDB_NPM_RANGE: {
		bool vuln = false, patched = false;
		rc = hull_npm_range_satisfies(adv->vulnerable, ps->version, 0, &vuln, &e);
		if (rc == 0 && vuln && adv->patched.len)
			rc = hull_npm_range_satisfies(adv->patched, ps->version, 0, &patched, &e);
		*aff = vuln && !patched;
		break;
	}
	}
	if (rc < 0 && !ps->version_warned) {
		/* one bad version or record must not hide the rest of the scan */
		ps->version_warned = true;
		hull_diag_warn(ps->diag, "%s %s (%s): not matched against %s: %s", ps->pkg->name,
		               ps->pkg->version, ps->pkg->file, adv->id, e.msg);
	}
	return 0;
}

/* The id a report leads with: the CVE when the record is one, or names
 * exactly one (GHSA-... aliasing CVE-...), else the record's own id. */
static const char *lead_id(const struct hull_vulndb_advisory *adv)
{
	const char *cve = NULL;
	if (!strncmp(adv->id, "CVE-", 4))
		return adv->id;
	for (size_t i = 0; i < adv->n_aliases; i++) {
		if (!strncmp(adv->aliases[i], "CVE-", 4)) {
			if (cve)
				return adv->id;
			cve = adv->aliases[i];
		}
	}
	return cve ? cve : adv->id;
}

static bool ids_meet(const struct hull_finding *f, const struct hull_vulndb_advisory *adv)
{
	/* two different CVEs are two vulnerabilities even when a feed groups
	 * them under one advisory (Alpine's "CVE-2016-9815 XSA-201") */
	const char *lead = lead_id(adv);
	if (!strncmp(f->id, "CVE-", 4) && !strncmp(lead, "CVE-", 4))
		return !strcmp(f->id, lead);
	if (!strcmp(f->id, adv->id))
		return true;
	for (size_t i = 0; i < f->naliases; i++) {
		if (!strcmp(f->aliases[i], adv->id))
			return true;
		for (size_t j = 0; j < adv->n_aliases; j++)
			if (!strcmp(f->aliases[i], adv->aliases[j]))
				return true;
	}
	for (size_t j = 0; j < adv->n_aliases; j++)
		if (!strcmp(f->id, adv->aliases[j]))
			return true;
	return false;
}

static int add_alias(struct hull_finding *f, size_t *cap, const char *id, struct hull_err *err)
{
	if (!strcmp(f->id, id))
		return 0;
	for (size_t i = 0; i < f->naliases; i++)
		if (!strcmp(f->aliases[i], id))
			return 0;
	if (f->naliases >= MAX_ALIASES)
		return 0;
	if (HULL_ARRAY_PUSH_ROOM(f->aliases, f->naliases, *cap, MAX_ALIASES, err) < 0)
		return -1;
	if (!(f->aliases[f->naliases] = strdup(id)))
		return hull_err_nomem(err);
	f->naliases++;
	return 0;
}

static int merge_aliases(struct hull_finding *f, const struct hull_vulndb_advisory *adv,
                         struct hull_err *err)
{
	size_t cap = f->naliases;
	if (add_alias(f, &cap, adv->id, err) < 0)
		return -1;
	for (size_t i = 0; i < adv->n_aliases; i++)
		if (add_alias(f, &cap, adv->aliases[i], err) < 0)
			return -1;
	/* the DSA/DLA that fixed it: how Debian users look it up */
	for (size_t i = 0; i < adv->n_related; i++)
		if (add_alias(f, &cap, adv->related[i], err) < 0)
			return -1;
	return 0;
}

static char *dup_or_null(const char *s, bool *oom)
{
	if (!s)
		return NULL;
	char *p = strdup(s);
	if (!p)
		*oom = true;
	return p;
}

/* The title: the feed's, else the first line of the description. */
static char *title_of(struct pkg_scan *ps, const struct hull_vulndb_advisory *adv, bool *oom)
{
	if (adv->title && *adv->title)
		return dup_or_null(adv->title, oom);
	struct hull_vulndb_details d;
	struct hull_err e = {0};
	if (hull_vulndb_details(ps->db, adv->id, &d, &e) == 0 && d.description && *d.description) {
		size_t n = strcspn(d.description, "\n");
		if (n > 160)
			n = 160;
		char *t = strndup(d.description, n);
		if (!t)
			*oom = true;
		return t;
	}
	char *t = NULL;
	if (asprintf(&t, "%s in %s", adv->id, adv->package) < 0) {
		*oom = true;
		t = NULL;
	}
	return t;
}

static int add_finding(struct pkg_scan *ps, const struct hull_vulndb_advisory *adv)
{
	const struct hull_pkg *pkg = ps->pkg;
	struct hull_finding f = {0};
	bool oom = false;
	f.kind = HULL_FINDING_VULNERABILITY;
	f.id = dup_or_null(lead_id(adv), &oom);
	f.severity = adv->severity;
	f.title = title_of(ps, adv, &oom);
	f.primary_url = dup_or_null(adv->url, &oom);
	f.loc.file = dup_or_null(pkg->file, &oom);
	if (ps->img && pkg->layer >= 0 && (size_t)pkg->layer < ps->img->nlayers) {
		const struct hull_layer *l = &ps->img->layers[pkg->layer];
		f.loc.layer_digest = dup_or_null(l->digest, &oom);
		f.loc.layer_diff_id = dup_or_null(l->diff_id, &oom);
	}
	struct hull_vuln_info *v = &f.vuln;
	v->pkg_name = dup_or_null(pkg->name, &oom);
	v->pkg_version = dup_or_null(pkg->version, &oom);
	v->pkg_type = dup_or_null(hull_pkg_type_name(pkg->type), &oom);
	v->pkg_purl = hull_purl_of_pkg(pkg, &ps->inv->os, NULL);
	v->src_name = dup_or_null(adv->package, &oom);
	v->fixed_version = dup_or_null(adv->fixed, &oom);
	v->status = adv->status;
	v->cvss_score = adv->cvss_score;
	v->cvss_vector = dup_or_null(adv->cvss_vector, &oom);
	v->severity_source = dup_or_null(adv->severity_source, &oom);
	if (asprintf(&f.message, "%s %s is affected by %s%s%s", pkg->name, pkg->version,
	             lead_id(adv), adv->fixed ? "; fixed in " : " (no fix yet)",
	             adv->fixed ? adv->fixed : "") < 0) {
		f.message = NULL;
		oom = true;
	}
	if (oom || !f.id || !f.title || merge_aliases(&f, adv, ps->err) < 0) {
		hull_finding_release(&f);
		return hull_err_nomem(ps->err);
	}
	return hull_findings_add(ps->out, &f, ps->err);
}

static int visit(const struct hull_vulndb_advisory *adv, void *ctx)
{
	struct pkg_scan *ps = ctx;
	if (is_list_source(adv->source) == ps->tracker_pass)
		return 0; /* the other pass takes it */
	if (!ps->tracker_pass) {
		/* a DSA/DLA whose CVEs the tracker already judged adds nothing */
		bool all = adv->n_aliases > 0;
		for (size_t i = 0; i < adv->n_aliases; i++)
			all = all && covered(ps, adv->aliases[i]);
		if (all)
			return 0;
	}
	bool aff;
	affects(ps, adv, &aff);
	if (adv->source == HULL_VULNDB_SRC_DEBIAN_TRACKER && cover(ps, adv->id) < 0)
		return ps->failed = -1;
	if (!aff)
		return 0;
	for (size_t i = ps->first; i < ps->out->n; i++) {
		if (ids_meet(&ps->out->items[i], adv)) {
			if (merge_aliases(&ps->out->items[i], adv, ps->err) < 0)
				return ps->failed = -1;
			return 0;
		}
	}
	if (add_finding(ps, adv) < 0)
		return ps->failed = -1;
	return 0;
}

/* Namespace and lookup name of one package; false when it has none. */
static bool pkg_key(const struct hull_pkg *pkg, const char *os_ns, const char **ns,
                    struct hull_str *name, struct hull_str *version)
{
	const struct hull_pkg_type_info *ti = hull_pkg_type_info(pkg->type);
	if (!ti)
		return false;
	if (ti->os) {
		if (!os_ns[0])
			return false;
		*ns = os_ns;
		/* distro feeds are keyed by source package (and, for Debian,
		 * source version) */
		*name = hull_str_c(pkg->src_name ? pkg->src_name : pkg->name);
		*version = hull_str_c(ti->match_src_version && pkg->src_version ? pkg->src_version
		                                                                : pkg->version);
		return true;
	}
	if (!ti->ecosystem)
		return false;
	*ns = ti->ecosystem;
	*name = hull_str_c(pkg->name);
	*version = hull_str_c(pkg->version);
	return true;
}

static int match_pkg(struct pkg_scan *ps, const char *ns, struct hull_str name)
{
	for (int pass = 0; pass < 2; pass++) {
		ps->tracker_pass = pass == 0;
		if (hull_vulndb_lookup(ps->db, ns, name, visit, ps, ps->err) < 0 || ps->failed)
			return -1;
	}
	return 0;
}

int hull_match_inventory(struct hull_vulndb *db, const struct hull_inventory *inv,
                         const struct hull_image *img, struct hull_findings *out,
                         struct hull_match_result *res, struct hull_diag *diag,
                         struct hull_err *err)
{
	memset(res, 0, sizeof(*res));
	struct hull_err nserr = {0};
	bool have_os_pkgs = false;
	for (size_t i = 0; i < inv->npkgs; i++)
		have_os_pkgs |= hull_pkg_type_is_os(inv->pkgs[i].type);
	if (have_os_pkgs) {
		if (hull_match_os_namespace(&inv->os, res->os_namespace, sizeof(res->os_namespace),
		                            &nserr) < 0) {
			res->os_unsupported = true;
			res->os_namespace[0] = '\0';
			hull_diag_warn(diag,
			               "unsupported distribution: %s; its packages are not "
			               "checked for vulnerabilities",
			               nserr.msg);
		} else if (!hull_vulndb_has_namespace(db, res->os_namespace)) {
			res->os_unsupported = true;
			hull_diag_warn(diag,
			               "the vulnerability database has no feed for %s; its "
			               "packages are not checked (run hull db update)",
			               res->os_namespace);
			res->os_namespace[0] = '\0';
		}
	}
	bool warned_lang[HULL_PKG_TYPE_COUNT] = {0};
	struct pkg_scan ps = {
	    .db = db, .inv = inv, .img = img, .out = out, .diag = diag, .err = err};
	int rc = 0;
	for (size_t i = 0; i < inv->npkgs && rc == 0; i++) {
		const struct hull_pkg *pkg = &inv->pkgs[i];
		const char *ns = NULL;
		struct hull_str name, version;
		res->packages++;
		if (!pkg_key(pkg, res->os_namespace, &ns, &name, &version)) {
			res->unsupported++;
			continue;
		}
		if (!hull_pkg_type_is_os(pkg->type) && !hull_vulndb_has_namespace(db, ns)) {
			if (!warned_lang[pkg->type])
				hull_diag_warn(diag,
				               "the vulnerability database has no %s feed; %s "
				               "packages are not checked",
				               ns, hull_pkg_type_name(pkg->type));
			warned_lang[pkg->type] = true;
			res->unsupported++;
			continue;
		}
		if (hull_match_third_party(&inv->os, pkg)) {
			res->third_party++;
			hull_diag_warn(diag,
			               "%s %s was not built by the distribution (a vendor "
			               "repository); not matched against the %s feed",
			               pkg->name, pkg->version, res->os_namespace);
			continue;
		}
		ps.pkg = pkg;
		ps.first = out->n;
		ps.version = version;
		ps.version_warned = false;
		rc = match_pkg(&ps, ns, name);
		for (size_t k = 0; k < ps.ncovered; k++)
			free(ps.covered[k]);
		ps.ncovered = 0;
		res->matched++;
	}
	free(ps.covered);
	return rc;
}
