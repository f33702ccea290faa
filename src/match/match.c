#include "match/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/purl.h"
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
		/* releases before 7 were numbered "6.0", "5.0", "4.0", and
		 * the feeds name them so */
		if (n == 1 && v[0] >= '4' && v[0] <= '6') {
			snprintf(out, cap, "debian:%c.0", v[0]);
			return 0;
		}
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

/* VERSION_ID "9.4" -> major 9, minor 4 (-1 when absent). */
static bool major_minor(const char *v, unsigned *major, int *minor)
{
	unsigned a, b;
	char dot;
	*minor = -1;
	if (!v || sscanf(v, "%u", &a) != 1 || a > 9999)
		return false;
	*major = a;
	if (sscanf(v, "%*u%c%u", &dot, &b) == 2 && dot == '.' && b < 1000)
		*minor = (int)b;
	return true;
}

/* Ubuntu: the release's own namespace, then its Ubuntu Pro (ESM) one. An
 * LTS release is a .04 of an even year, as Ubuntu has numbered them since
 * 8.04; OSV names those "Ubuntu:22.04:LTS" and "Ubuntu:Pro:22.04:LTS". */
static int ubuntu_ns(const struct hull_os *os, struct hull_match_ns *out, struct hull_err *err)
{
	unsigned major;
	int minor;
	if (!major_minor(os->version_id, &major, &minor) || minor < 0)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "Ubuntu release '%s' is not known",
		                    os->version_id ? os->version_id : "(none)");
	bool lts = minor == 4 && major % 2 == 0;
	snprintf(out->name[0], sizeof(out->name[0]), "ubuntu:%u.%02d%s", major, minor,
	         lts ? ":lts" : "");
	out->n = 1;
	if (lts)
		snprintf(out->name[out->n++], sizeof(out->name[0]), "ubuntu:pro:%u.%02d:lts", major,
		         minor);
	return 0;
}

/* SUSE: the product ("SUSE:Linux Enterprise Server 15 SP5") and, for
 * SLES, the Basesystem module most of its packages come from. */
static int suse_ns(const struct hull_os *os, struct hull_match_ns *out, struct hull_err *err)
{
	unsigned major;
	int minor;
	char sp[16] = "";
	const char *id = os->id;
	if (!major_minor(os->version_id, &major, &minor))
		return hull_err_set(err, HULL_ERR_NOTFOUND, "%s release '%s' is not known", id,
		                    os->version_id ? os->version_id : "(none)");
	if (minor > 0)
		snprintf(sp, sizeof(sp), "-sp%d", minor);
	out->n = 0;
	if (!strcmp(id, "sles")) {
		snprintf(out->name[out->n++], sizeof(out->name[0]),
		         "suse:linux-enterprise-server-%u%s", major, sp);
		snprintf(out->name[out->n++], sizeof(out->name[0]),
		         "suse:linux-enterprise-module-for-basesystem-%u%s", major, sp);
	} else if (!strcmp(id, "sle-micro")) {
		snprintf(out->name[out->n++], sizeof(out->name[0]),
		         "suse:linux-enterprise-micro-%u.%d", major, minor < 0 ? 0 : minor);
	} else if (!strcmp(id, "opensuse-leap")) {
		snprintf(out->name[out->n++], sizeof(out->name[0]), "opensuse:leap-%u.%d", major,
		         minor < 0 ? 0 : minor);
	} else {
		snprintf(out->name[out->n++], sizeof(out->name[0]), "opensuse:leap-micro-%u.%d",
		         major, minor < 0 ? 0 : minor);
	}
	return 0;
}

/* Distributions whose namespace is "<prefix>:<major release>". */
static const struct {
	const char *id, *prefix;
} by_major[] = {
    {"rhel", "redhat"},
    {"rocky", "rocky-linux"},
    {"almalinux", "almalinux"},
};

/* Distributions with one rolling namespace. */
static const char *const rolling[] = {"wolfi", "chainguard"};

static int one_ns(struct hull_match_ns *out, const char *name)
{
	snprintf(out->name[0], sizeof(out->name[0]), "%s", name);
	out->n = 1;
	return 0;
}

int hull_match_os_namespaces(const struct hull_os *os, struct hull_match_ns *out,
                             struct hull_err *err)
{
	const char *id = os->id;
	out->n = 0;
	if (!id)
		return hull_err_set(err, HULL_ERR_NOTFOUND, "the distribution is unknown");
	if (!strcmp(id, "debian") || !strcmp(id, "alpine")) {
		int rc = !strcmp(id, "debian")
		             ? debian_ns(os, out->name[0], sizeof(out->name[0]), err)
		             : alpine_ns(os, out->name[0], sizeof(out->name[0]), err);
		out->n = rc == 0;
		return rc;
	}
	if (!strcmp(id, "ubuntu"))
		return ubuntu_ns(os, out, err);
	if (!strcmp(id, "sles") || !strcmp(id, "sle-micro") || !strcmp(id, "opensuse-leap") ||
	    !strcmp(id, "opensuse-leap-micro"))
		return suse_ns(os, out, err);
	if (!strcmp(id, "opensuse-tumbleweed"))
		return one_ns(out, "opensuse:tumbleweed");
	for (size_t i = 0; i < sizeof(rolling) / sizeof(*rolling); i++)
		if (!strcmp(id, rolling[i]))
			return one_ns(out, rolling[i]);
	unsigned major;
	int minor;
	for (size_t i = 0; i < sizeof(by_major) / sizeof(*by_major); i++) {
		if (strcmp(id, by_major[i].id) != 0)
			continue;
		if (!major_minor(os->version_id, &major, &minor))
			break;
		snprintf(out->name[0], sizeof(out->name[0]), "%s:%u", by_major[i].prefix, major);
		out->n = 1;
		return 0;
	}
	return hull_err_set(err, HULL_ERR_NOTFOUND, "hull has no vulnerability feed for %s %s", id,
	                    os->version_id ? os->version_id : "");
}

int hull_match_os_namespace(const struct hull_os *os, char *out, size_t cap, struct hull_err *err)
{
	struct hull_match_ns ns;
	if (hull_match_os_namespaces(os, &ns, err) < 0)
		return -1;
	snprintf(out, cap, "%s", ns.name[0]);
	return 0;
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
	bool vendor_pass; /* pass 1: all but the secondary feeds; pass 2: those */
	char **covered;   /* CVEs a distribution's own feed spoke about for this package */
	size_t ncovered, capcovered;
	bool version_warned;
	int failed;
};

/* Feeds that only add what the distribution's own feed does not say: the
 * DSA/DLA lists next to the Debian tracker, and OSV records in a
 * distribution's namespace (osv.dev's Debian and Alpine exports repeat the
 * tracker and secdb). */
static bool secondary(const struct hull_vulndb_advisory *adv)
{
	if (adv->source == HULL_VULNDB_SRC_DEBIAN_DSA || adv->source == HULL_VULNDB_SRC_DEBIAN_DLA)
		return true;
	return adv->source == HULL_VULNDB_SRC_OSV &&
	       (adv->eco == HULL_ECO_DPKG || adv->eco == HULL_ECO_APK || adv->eco == HULL_ECO_RPM);
}

/* The authoritative feeds of a distribution: every CVE they speak about
 * (affected or not) is theirs to judge. */
static bool vendor_feed(enum hull_vulndb_source s)
{
	return s == HULL_VULNDB_SRC_DEBIAN_TRACKER || s == HULL_VULNDB_SRC_ALPINE_SECDB ||
	       s == HULL_VULNDB_SRC_WOLFI_SECDB || s == HULL_VULNDB_SRC_CHAINGUARD_SECDB ||
	       s == HULL_VULNDB_SRC_REDHAT_CSAF;
}

static bool is_cve(const char *id)
{
	return !strncmp(id, "CVE-", 4);
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

/* The CVEs an advisory stands for: its id, its CVE aliases, and for an
 * advisory named otherwise (DSA-..., ALSA-..., RHSA-...) the CVEs it
 * lists as related. Calls fn on each; returns how many. */
static size_t each_cve(const struct hull_vulndb_advisory *adv, bool (*fn)(void *, const char *),
                       void *ctx)
{
	size_t n = 0;
	bool go = true;
	if (is_cve(adv->id) && (n++, go = fn(ctx, adv->id), !go))
		return n;
	for (size_t i = 0; go && i < adv->n_aliases; i++)
		if (is_cve(adv->aliases[i]))
			n++, go = fn(ctx, adv->aliases[i]);
	for (size_t i = 0; go && !is_cve(adv->id) && i < adv->n_related; i++)
		if (is_cve(adv->related[i]))
			n++, go = fn(ctx, adv->related[i]);
	return n;
}

static bool cover_one(void *ctx, const char *id)
{
	struct pkg_scan *ps = ctx;
	if (cover(ps, id) < 0)
		ps->failed = -1;
	return !ps->failed;
}

struct all_covered {
	const struct pkg_scan *ps;
	bool all;
};

static bool still_covered(void *ctx, const char *id)
{
	struct all_covered *ac = ctx;
	ac->all = ac->all && covered(ac->ps, id);
	return ac->all;
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
	if (secondary(adv) == ps->vendor_pass)
		return 0; /* the other pass takes it */
	if (!ps->vendor_pass) {
		/* a secondary advisory whose CVEs the vendor already judged
		 * adds nothing */
		struct all_covered ac = {ps, true};
		if (each_cve(adv, still_covered, &ac) > 0 && ac.all)
			return 0;
	}
	bool aff;
	affects(ps, adv, &aff);
	if (vendor_feed(adv->source)) {
		each_cve(adv, cover_one, ps);
		if (ps->failed)
			return -1;
	}
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

/* The names a package is looked up by. */
struct lookup {
	const char *ns[HULL_MATCH_MAX_NS];
	size_t nns;
	char name[2][600];
	size_t nnames;
	struct hull_str version;
};

/* "ruby:3.3:9040020240517190711:9" -> "ruby:3.3::": the key prefix of
 * advisories for a module stream; "" for a package built outside modules. */
static void module_prefix(const char *label, char *out, size_t cap)
{
	out[0] = 0;
	const char *c1 = label ? strchr(label, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 && c2 && c1 > label && c2 > c1 + 1)
		snprintf(out, cap, "%.*s::", (int)(c2 - label), label);
}

/* Names of an OS package: Debian and Ubuntu key advisories by source
 * package, Alpine and Wolfi by origin; RPM feeds name binary packages
 * (AlmaLinux, SUSE) or source packages (Rocky, Red Hat CSAF), so both,
 * within the package's module stream when it has one. */
static void os_pkg_names(const struct hull_pkg *pkg, const struct hull_pkg_type_info *ti,
                         struct lookup *lk)
{
	const char *src = pkg->src_name ? pkg->src_name : pkg->name;
	if (!ti->match_binary_name) {
		snprintf(lk->name[0], sizeof(lk->name[0]), "%s", src);
		lk->nnames = 1;
		return;
	}
	char prefix[200];
	module_prefix(pkg->modularity, prefix, sizeof(prefix));
	snprintf(lk->name[0], sizeof(lk->name[0]), "%s%s", prefix, pkg->name);
	lk->nnames = 1;
	if (strcmp(src, pkg->name) != 0)
		snprintf(lk->name[lk->nnames++], sizeof(lk->name[0]), "%s%s", prefix, src);
}

/* Ubuntu: a package built for Ubuntu Pro ("+esm1") is judged by the Pro
 * namespace alone, whose fixes it has; the others by the release's
 * namespace first, then Pro's (which adds fixes only Pro ships). */
static void os_pkg_namespaces(const struct hull_pkg *pkg, const struct hull_match_ns *os,
                              struct lookup *lk)
{
	bool esm = pkg->type == HULL_PKG_DEB && pkg->version && strstr(pkg->version, "esm");
	size_t pro = 0;
	for (size_t i = 0; i < os->n; i++)
		pro += !strncmp(os->name[i], "ubuntu:pro:", 11);
	for (size_t i = 0; i < os->n; i++)
		if (!esm || !pro || !strncmp(os->name[i], "ubuntu:pro:", 11))
			lk->ns[lk->nns++] = os->name[i];
}

/* Namespaces and lookup names of one package; false when it has none. */
static bool pkg_key(const struct hull_pkg *pkg, const struct hull_match_ns *os, struct lookup *lk)
{
	memset(lk, 0, sizeof(*lk));
	const struct hull_pkg_type_info *ti = hull_pkg_type_info(pkg->type);
	if (!ti)
		return false;
	if (ti->os) {
		if (!os->n)
			return false;
		os_pkg_namespaces(pkg, os, lk);
		os_pkg_names(pkg, ti, lk);
		/* Debian's feeds compare the source version */
		lk->version = hull_str_c(
		    ti->match_src_version && pkg->src_version ? pkg->src_version : pkg->version);
		return true;
	}
	if (!ti->ecosystem)
		return false;
	lk->ns[0] = ti->ecosystem;
	lk->nns = 1;
	snprintf(lk->name[0], sizeof(lk->name[0]), "%s", pkg->name);
	lk->nnames = 1;
	lk->version = hull_str_c(pkg->version);
	return true;
}

static int match_pkg(struct pkg_scan *ps, const struct lookup *lk)
{
	for (size_t n = 0; n < lk->nns; n++) {
		for (int pass = 0; pass < 2; pass++) {
			ps->vendor_pass = pass == 0;
			for (size_t k = 0; k < lk->nnames; k++)
				if (hull_vulndb_lookup(ps->db, lk->ns[n], hull_str_c(lk->name[k]),
				                       visit, ps, ps->err) < 0 ||
				    ps->failed)
					return -1;
		}
	}
	return 0;
}

/* The OS namespaces the database has a feed for; warns and marks the
 * result when there are none. */
static void os_feeds(struct hull_vulndb *db, const struct hull_inventory *inv,
                     struct hull_match_ns *ns, struct hull_match_result *res,
                     struct hull_diag *diag)
{
	struct hull_err nserr = {0};
	if (hull_match_os_namespaces(&inv->os, ns, &nserr) < 0) {
		res->os_unsupported = true;
		ns->n = 0;
		hull_diag_warn(diag,
		               "unsupported distribution: %s; its packages are not "
		               "checked for vulnerabilities",
		               nserr.msg);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < ns->n; i++)
		if (hull_vulndb_has_namespace(db, ns->name[i]))
			memmove(ns->name[k++], ns->name[i], sizeof(ns->name[i]));
	if (k == 0) {
		res->os_unsupported = true;
		hull_diag_warn(diag,
		               "the vulnerability database has no feed for %s; its "
		               "packages are not checked (run hull db update)",
		               ns->name[0]);
	} else {
		snprintf(res->os_namespace, sizeof(res->os_namespace), "%s", ns->name[0]);
	}
	ns->n = k;
}

int hull_match_inventory(struct hull_vulndb *db, const struct hull_inventory *inv,
                         const struct hull_image *img, struct hull_findings *out,
                         struct hull_match_result *res, struct hull_diag *diag,
                         struct hull_err *err)
{
	memset(res, 0, sizeof(*res));
	struct hull_match_ns os = {0};
	bool have_os_pkgs = false;
	for (size_t i = 0; i < inv->npkgs; i++)
		have_os_pkgs |= hull_pkg_type_is_os(inv->pkgs[i].type);
	if (have_os_pkgs)
		os_feeds(db, inv, &os, res, diag);
	bool warned_lang[HULL_PKG_TYPE_COUNT] = {0};
	struct pkg_scan ps = {
	    .db = db, .inv = inv, .img = img, .out = out, .diag = diag, .err = err};
	int rc = 0;
	for (size_t i = 0; i < inv->npkgs && rc == 0; i++) {
		const struct hull_pkg *pkg = &inv->pkgs[i];
		struct lookup lk;
		res->packages++;
		if (!pkg_key(pkg, &os, &lk)) {
			res->unsupported++;
			continue;
		}
		if (!hull_pkg_type_is_os(pkg->type) && !hull_vulndb_has_namespace(db, lk.ns[0])) {
			if (!warned_lang[pkg->type])
				hull_diag_warn(diag,
				               "the vulnerability database has no %s feed; %s "
				               "packages are not checked",
				               lk.ns[0], hull_pkg_type_name(pkg->type));
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
		ps.version = lk.version;
		ps.version_warned = false;
		rc = match_pkg(&ps, &lk);
		for (size_t k = 0; k < ps.ncovered; k++)
			free(ps.covered[k]);
		ps.ncovered = 0;
		res->matched++;
	}
	free(ps.covered);
	return rc;
}

/* ---- end of life ------------------------------------------------------- */

/* The namespace whose end of life applies: the release's own, its Ubuntu
 * Pro one when packages come from ESM, and for distributions without a
 * feed ("centos:7", "amzn:2") the name the eol table uses. */
static bool eol_namespace(const struct hull_inventory *inv, char *out, size_t cap)
{
	const struct hull_os *os = &inv->os;
	struct hull_match_ns ns;
	struct hull_err e = {0};
	unsigned major;
	int minor;
	if (hull_match_os_namespaces(os, &ns, &e) == 0) {
		size_t pick = 0;
		for (size_t i = 0; ns.n > 1 && i < inv->npkgs; i++)
			if (inv->pkgs[i].type == HULL_PKG_DEB && inv->pkgs[i].version &&
			    strstr(inv->pkgs[i].version, "esm"))
				pick = 1;
		snprintf(out, cap, "%s", ns.name[pick]);
		return true;
	}
	if (os->id && !strcmp(os->id, "centos") && major_minor(os->version_id, &major, &minor)) {
		snprintf(out, cap, "centos:%u", major);
		return true;
	}
	if (os->id && !strcmp(os->id, "amzn") && os->version_id) {
		snprintf(out, cap, "amzn:%s", os->version_id);
		return true;
	}
	return false;
}

/* "2021-04-30" -> the first second after that day (UTC). */
static bool day_after(const char *date, time_t *t)
{
	struct tm tm = {0};
	const char *end = strptime(date, "%Y-%m-%d", &tm);
	if (!end || *end)
		return false;
	tm.tm_mday++;
	*t = timegm(&tm);
	return *t != (time_t)-1;
}

static int eol_finding(const struct hull_inventory *inv, const char *ns,
                       const struct hull_vulndb_eol *eol, struct hull_findings *out,
                       struct hull_err *err)
{
	const struct hull_os *os = &inv->os;
	const char *ver = os->version_id ? os->version_id : "";
	struct hull_finding f = {0};
	bool oom = false;
	f.kind = HULL_FINDING_VULNERABILITY;
	f.severity = HULL_SEV_HIGH;
	f.id = dup_or_null("HULL-EOSL", &oom);
	f.primary_url = dup_or_null(eol->source, &oom);
	f.loc.file = dup_or_null(os->source_file, &oom);
	f.vuln.pkg_name = dup_or_null(os->id, &oom);
	f.vuln.pkg_version = dup_or_null(ver, &oom);
	f.vuln.pkg_type = dup_or_null("os", &oom);
	f.vuln.src_name = dup_or_null(ns, &oom);
	f.vuln.status = HULL_VULN_END_OF_LIFE;
	if (asprintf(&f.title, "%s %s is past its end of security support (%s)", os->id, ver,
	             eol->date) < 0)
		f.title = NULL;
	if (asprintf(&f.message,
	             "%s %s (%s) gets no more security fixes from its vendor since %s: its "
	             "vulnerabilities are no longer fixed",
	             os->id, ver, ns, eol->date) < 0)
		f.message = NULL;
	if (oom || !f.title || !f.message) {
		hull_finding_release(&f);
		return hull_err_nomem(err);
	}
	return hull_findings_add(out, &f, err);
}

int hull_match_eol(struct hull_vulndb *db, const struct hull_inventory *inv, time_t now,
                   struct hull_findings *out, struct hull_diag *diag, struct hull_err *err)
{
	char ns[64];
	struct hull_vulndb_eol eol;
	struct hull_err e = {0};
	time_t end;
	if (!inv->os.id || !eol_namespace(inv, ns, sizeof(ns)))
		return 0;
	if (hull_vulndb_eol(db, ns, &eol, &e) < 0) {
		if (e.kind == HULL_ERR_NOTFOUND)
			return 0;
		*err = e;
		return -1;
	}
	if (!day_after(eol.date, &end)) {
		hull_diag_warn(diag, "the database's end of life of %s is not a date: '%s'", ns,
		               eol.date);
		return 0;
	}
	if (now < end)
		return 0;
	return eol_finding(inv, ns, &eol, out, err);
}
