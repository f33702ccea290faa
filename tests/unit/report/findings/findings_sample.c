#include "findings_sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/purl.h"

const char *const fsample_names[FS_COUNT] = {"vulns", "noinv", "config", "empty", "alpine"};

static char *dup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char **dupv(const char *const *v, size_t *n)
{
	size_t k = 0;
	while (k < 3 && v[k])
		k++;
	*n = k;
	if (!k)
		return NULL;
	char **out = calloc(k, sizeof(*out));
	if (!out)
		abort();
	for (size_t i = 0; i < k; i++)
		out[i] = dup(v[i]);
	return out;
}

struct vspec {
	const char *id;
	const char *aliases[3];
	enum hull_severity sev;
	const char *title, *desc, *url, *remediation;
	const char *refs[3];
	const char *pkg, *file; /* the inventory package (file when ambiguous) */
	const char *fixed;
	enum hull_vuln_status status;
	double cvss;
	const char *vector, *sev_source;
	const char *why; /* suppressed when set */
	enum hull_vex_state vex;
	const char *just;
	/* packages that are not in the inventory */
	const char *type, *version, *purl;
};

static const struct hull_pkg *find_pkg(const struct hull_inventory *inv, const char *name,
                                       const char *file)
{
	for (size_t i = 0; i < inv->npkgs; i++)
		if (!strcmp(inv->pkgs[i].name, name) && (!file || !strcmp(inv->pkgs[i].file, file)))
			return &inv->pkgs[i];
	return NULL;
}

static const char *type_name(enum hull_pkg_type t)
{
	static const char *const names[] = {"deb", "apk", "rpm", "npm", "pypi"};
	return names[t];
}

static void add_vuln(struct fsample *s, const struct vspec *v)
{
	struct hull_finding f = {.kind = HULL_FINDING_VULNERABILITY};
	f.id = dup(v->id);
	f.aliases = dupv(v->aliases, &f.naliases);
	f.severity = v->sev;
	f.title = dup(v->title);
	f.description = dup(v->desc);
	f.primary_url = dup(v->url);
	f.remediation = dup(v->remediation);
	f.references = dupv(v->refs, &f.nreferences);
	const struct hull_inventory *inv = &s->img.inv;
	const struct hull_pkg *p = v->type ? NULL : find_pkg(inv, v->pkg, v->file);
	if (!v->type && !p)
		abort(); /* a sample bug */
	if (p) {
		const struct hull_image *img = &s->img.img;
		f.vuln.pkg_name = dup(p->name);
		f.vuln.pkg_version = dup(p->version);
		f.vuln.pkg_type = dup(type_name(p->type));
		f.vuln.pkg_purl = hull_purl_of_pkg(p, &inv->os, NULL);
		f.vuln.src_name = dup(p->src_name);
		f.loc.file = dup(p->file);
		if (p->layer >= 0 && (size_t)p->layer < img->nlayers) {
			f.loc.layer_digest = dup(img->layers[p->layer].digest);
			f.loc.layer_diff_id = dup(img->layers[p->layer].diff_id);
		}
	} else {
		f.vuln.pkg_name = dup(v->pkg);
		f.vuln.pkg_version = dup(v->version);
		f.vuln.pkg_type = dup(v->type);
		f.vuln.pkg_purl = dup(v->purl);
		f.loc.file = dup(v->file);
	}
	f.vuln.fixed_version = dup(v->fixed);
	f.vuln.status = v->status;
	f.vuln.cvss_score = v->cvss;
	f.vuln.cvss_vector = dup(v->vector);
	f.vuln.severity_source = dup(v->sev_source);
	if (v->why) {
		f.suppressed = true;
		f.suppression = dup(v->why);
		f.vex_state = v->vex;
		f.vex_justification = dup(v->just);
	}
	if (hull_findings_add(&s->list, &f, NULL) < 0)
		abort();
}

#define HOSTILE                                                                                    \
	"evil \x1b[31mred\x1b[0m | pipe <script>alert(1)</script> & \"q\" 'a' ]]> @octocat "       \
	"\xe2\x80\xae"                                                                             \
	"bidi \xff bad"

static char long_title[3001];

static const struct vspec debian_vulns[] = {
    {"CVE-2024-0001",
     {"DSA-5678-1"},
     HULL_SEV_CRITICAL,
     "openssl: remote code execution in X.509 name constraints",
     "A crafted certificate can make X.509 name constraint checking write past a buffer.\n"
     "Applications verifying untrusted certificates are affected.",
     "https://security-tracker.debian.org/tracker/CVE-2024-0001",
     NULL,
     {"https://www.openssl.org/news/secadv/20240101.txt"},
     "libssl3",
     NULL,
     "3.0.13-1~deb12u1",
     HULL_VULN_FIXED,
     9.8,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "nvd"},
    {"CVE-2024-0001",
     {"DSA-5678-1"},
     HULL_SEV_CRITICAL,
     "openssl: remote code execution in X.509 name constraints",
     NULL,
     "https://security-tracker.debian.org/tracker/CVE-2024-0001",
     NULL,
     {NULL},
     "openssl",
     NULL,
     "3.0.13-1~deb12u1",
     HULL_VULN_FIXED,
     9.8,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     "nvd"},
    {"CVE-2023-5678",
     {NULL},
     HULL_SEV_MEDIUM,
     "openssl: DH key generation is slow",
     NULL,
     "https://security-tracker.debian.org/tracker/CVE-2023-5678",
     NULL,
     {NULL},
     "libssl3",
     NULL,
     NULL,
     HULL_VULN_AFFECTED,
     7.5,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "debian"},
    {"CVE-2023-9999",
     {NULL},
     HULL_SEV_LOW,
     "shadow: login leaks a timing difference",
     NULL,
     NULL,
     NULL,
     {NULL},
     "login",
     NULL,
     NULL,
     HULL_VULN_WILL_NOT_FIX,
     0,
     NULL,
     "debian",
     ".hullignore: accepted until the next base image (expires 2099-01-01)"},
    {"GHSA-abcd-efgh-ijkl",
     {"CVE-2021-4444"},
     HULL_SEV_HIGH,
     "left-pad: pads too much",
     NULL,
     "https://github.com/advisories/GHSA-abcd-efgh-ijkl",
     NULL,
     {NULL},
     "left-pad",
     "srv/other/node_modules/left-pad/package.json",
     "1.3.1",
     HULL_VULN_FIXED,
     7.1,
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
     "ghsa",
     "VEX not_affected: the app never pads user input",
     HULL_VEX_NOT_AFFECTED,
     "vulnerable_code_not_in_execute_path"},
    {"PYSEC-2023-74",
     {"CVE-2023-32681", "GHSA-j8r2-6x86-q33q"},
     HULL_SEV_HIGH,
     "requests: Proxy-Authorization header leaked on redirect",
     NULL,
     "https://osv.dev/vulnerability/PYSEC-2023-74",
     "Upgrade requests to 2.32.0 or later",
     {"https://github.com/psf/requests/releases/tag/v2.31.0"},
     "requests",
     NULL,
     "2.32.0",
     HULL_VULN_FIXED,
     5.0,
     "AV:N/AC:L/Au:N/C:P/I:N/A:N",
     "osv"},
    {"CVE-2022-1111",
     {NULL},
     HULL_SEV_UNKNOWN,
     "ghost-pkg: not in the inventory",
     NULL,
     NULL,
     NULL,
     {NULL},
     "ghost-pkg",
     "app/node_modules/ghost-pkg/package.json",
     NULL,
     HULL_VULN_AFFECTED,
     0,
     NULL,
     NULL,
     NULL,
     HULL_VEX_NONE,
     NULL,
     "npm",
     "0.0.1",
     "pkg:npm/ghost-pkg@0.0.1"},
    {"CVE-2024-31337",
     {"\x1b]0;alias\x07", NULL},
     HULL_SEV_HIGH,
     HOSTILE,
     "line1\nline2 # heading\n- item\n`code` <b>bold</b> &amp; \xf0\x9f\x92\xa3",
     "javascript:alert(1)",
     "Upgrade to \x1b]0;title\x07 now",
     {"https://example.com/a b", "http://example.com/ok?x=1&y=2"},
     "evil\x1b[2Jname",
     NULL,
     NULL,
     HULL_VULN_END_OF_LIFE,
     11.0,
     "CVSS:9.9/\x01",
     "vendor \"x\""},
    {"CVE-2023-7777",
     {NULL},
     HULL_SEV_MEDIUM,
     "gcc: runtime issue that does not apply",
     NULL,
     NULL,
     NULL,
     {NULL},
     "libgcc-s1",
     NULL,
     NULL,
     HULL_VULN_FIX_DEFERRED,
     0,
     NULL,
     "debian",
     "VEX false_positive: the runtime is not built with the flag",
     HULL_VEX_FALSE_POSITIVE,
     "code_not_present"},
    {"CVE-2023-8888",
     {NULL},
     HULL_SEV_LOW,
     long_title,
     NULL,
     NULL,
     NULL,
     {NULL},
     "base-files",
     NULL,
     NULL,
     HULL_VULN_AFFECTED,
     3.1,
     NULL,
     "debian"},
};

static const struct vspec alpine_vulns[] = {
    {"CVE-2022-0778",
     {NULL},
     HULL_SEV_HIGH,
     "openssl: infinite loop in BN_mod_sqrt()",
     NULL,
     "https://www.openssl.org/news/secadv/20220315.txt",
     NULL,
     {NULL},
     "libcrypto1.1",
     NULL,
     "1.1.1n-r0",
     HULL_VULN_FIXED,
     7.5,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "nvd"},
    {"CVE-2021-42378",
     {NULL},
     HULL_SEV_HIGH,
     "busybox: use-after-free in awk",
     NULL,
     NULL,
     NULL,
     {NULL},
     "busybox",
     NULL,
     "1.33.1-r6",
     HULL_VULN_FIXED,
     7.2,
     "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H",
     "nvd"},
    {"CVE-2018-25032",
     {NULL},
     HULL_SEV_HIGH,
     "zlib: memory corruption when deflating",
     NULL,
     NULL,
     NULL,
     {NULL},
     "zlib",
     NULL,
     "1.2.12-r0",
     HULL_VULN_FIXED,
     7.5,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     "nvd"},
};

struct mspec {
	enum hull_finding_kind kind;
	const char *id;
	enum hull_severity sev;
	const char *title, *message, *remediation, *url, *file;
	unsigned line, col, end_line, end_col;
	const char *object;
	const char *why;
	enum hull_suppress_kind skind;
};

static const struct mspec config_findings[] = {
    {HULL_FINDING_MISCONFIG, "HULL-C001", HULL_SEV_HIGH, "Container runs as root",
     "no USER instruction: the image runs as root", "Add a USER instruction (USER 10001)",
     "https://docs.docker.com/reference/dockerfile/#user", "Dockerfile", 0, 0, 0, 0, "stage final"},
    {HULL_FINDING_MISCONFIG, "HULL-C010", HULL_SEV_MEDIUM, "Image uses the latest tag",
     "FROM node:latest: pin a version or a digest", NULL, NULL, "Dockerfile", 1, 1, 1, 17,
     "stage build"},
    {HULL_FINDING_MISCONFIG, "HULL-C003", HULL_SEV_CRITICAL, "Container is privileged",
     "container app sets securityContext.privileged: true", "Remove privileged: true",
     "https://kubernetes.io/docs/concepts/security/pod-security-standards/", "k8s/web.yaml", 22, 11,
     22, 27, "Deployment default/web"},
    {HULL_FINDING_MISCONFIG, "HULL-C003", HULL_SEV_CRITICAL, "Container is privileged",
     "container sidecar sets securityContext.privileged: true", "Remove privileged: true",
     "https://kubernetes.io/docs/concepts/security/pod-security-standards/", "k8s/web.yaml", 40, 11,
     0, 0, "Deployment default/worker"},
    {HULL_FINDING_MISCONFIG, "HULL-C050", HULL_SEV_LOW, "Probe missing",
     "container app has no readinessProbe", NULL, NULL, "k8s/web.yaml", 30, 5, 29, 1,
     "Deployment default/web"},
    {HULL_FINDING_MISCONFIG, "HULL-C020", HULL_SEV_LOW, "No memory limit",
     "service db sets no mem_limit", NULL, NULL, "compose.yaml", 5, 5, 0, 0, "service db",
     "# hull:ignore=HULL-C020 the database is sized by the host", HULL_SUPPRESS_IN_SOURCE},
    {HULL_FINDING_MISCONFIG, "HULL-C030", HULL_SEV_HIGH, "Docker socket mounted",
     "service mounts /var/run/docker.sock: " HOSTILE, NULL, NULL, "compose.yaml", 9, 9, 0, 0,
     "service \x1b[31mevil|name</x>"},
    {HULL_FINDING_HOST, "HULL-H001", HULL_SEV_MEDIUM, "sshd permits root login",
     "PermitRootLogin yes", "Set PermitRootLogin no", NULL, "etc/ssh/sshd_config", 32, 1, 0, 0,
     NULL},
    {HULL_FINDING_MISCONFIG, "HULL-C040", HULL_SEV_UNKNOWN, "Capability added",
     "container app adds CAP_NET_RAW", NULL, NULL, NULL, 0, 0, 0, 0, "container app"},
};

static void add_misconfig(struct fsample *s, const struct mspec *m)
{
	struct hull_finding f = {.kind = m->kind, .severity = m->sev};
	f.id = dup(m->id);
	f.title = dup(m->title);
	f.message = dup(m->message);
	f.remediation = dup(m->remediation);
	f.primary_url = dup(m->url);
	f.loc.file = dup(m->file);
	f.loc.line = m->line;
	f.loc.col = m->col;
	f.loc.end_line = m->end_line;
	f.loc.end_col = m->end_col;
	f.loc.object = dup(m->object);
	if (m->why) {
		f.suppressed = true;
		f.suppression = dup(m->why);
		f.suppress_kind = m->skind;
	}
	if (hull_findings_add(&s->list, &f, NULL) < 0)
		abort();
}

static void use_image(struct fsample *s, enum sample_kind k)
{
	sample_build(&s->img, k);
	s->has_img = true;
	s->in.target.kind = HULL_TARGET_IMAGE;
	s->in.target.name = s->img.img.name ? s->img.img.name : s->img.img.target;
	s->in.target.path = s->img.img.target;
	s->in.target.digest = s->img.img.manifest_digest;
	s->in.target.image = &s->img.img;
	s->in.target.inv = &s->img.inv;
}

void fsample_build(struct fsample *s, enum fsample_kind kind)
{
	memset(s, 0, sizeof(*s));
	hull_diag_init(&s->diag);
	memset(long_title, 'T', sizeof(long_title) - 1);
	switch (kind) {
	case FS_VULNS:
	case FS_NOINV:
		use_image(s, SAMPLE_DEBIAN);
		for (size_t i = 0; i < sizeof(debian_vulns) / sizeof(debian_vulns[0]); i++)
			add_vuln(s, &debian_vulns[i]);
		for (size_t i = 0; i < s->img.diag.n; i++)
			hull_diag_warn(&s->diag, "%s", s->img.diag.msgs[i]);
		if (kind == FS_NOINV) {
			s->in.target.kind = HULL_TARGET_SBOM;
			s->in.target.path = "sboms/bookworm.cdx.json";
			s->in.target.image = NULL;
			s->in.target.inv = NULL;
			s->in.target.os = "debian 12 (bookworm)";
		}
		break;
	case FS_ALPINE:
		use_image(s, SAMPLE_ALPINE);
		for (size_t i = 0; i < sizeof(alpine_vulns) / sizeof(alpine_vulns[0]); i++)
			add_vuln(s, &alpine_vulns[i]);
		break;
	case FS_EMPTY:
		use_image(s, SAMPLE_EMPTY);
		hull_diag_warn(&s->diag, "unsupported distribution: no os-release in the image, "
		                         "no vulnerability feed applies to its packages");
		break;
	case FS_CONFIG:
	case FS_COUNT:
		s->in.target.kind = HULL_TARGET_CONFIG;
		s->in.target.name = "deploy/";
		for (size_t i = 0; i < sizeof(config_findings) / sizeof(config_findings[0]); i++)
			add_misconfig(s, &config_findings[i]);
		hull_diag_warn(&s->diag, "k8s/crd.yaml: document 2: kind VirtualService is not a "
		                         "workload, skipped");
		break;
	}
	s->in.findings = &s->list;
	s->in.diag = &s->diag;
	s->in.tool_version = "0.0.0-test";
	s->in.now = 1700000000; /* 2023-11-14T22:13:20Z */
	s->in.junit_threshold = HULL_SEV_HIGH;
}

void fsample_free(struct fsample *s)
{
	hull_findings_release(&s->list);
	hull_diag_release(&s->diag);
	if (s->has_img)
		sample_free(&s->img);
}
