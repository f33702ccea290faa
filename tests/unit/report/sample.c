#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sample_names[SAMPLE_COUNT] = {"debian", "alpine", "rpm", "rootfs", "empty"};

static char *dup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char *digest_of(const char *seed)
{
	/* A fixed, well-formed digest per seed (not a real hash). */
	char *d = malloc(72);
	if (!d)
		abort();
	unsigned h = 2166136261u;
	for (const char *p = seed; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	strcpy(d, "sha256:");
	for (int i = 0; i < 8; i++)
		snprintf(d + 7 + i * 8, 9, "%08x", h = h * 1103515245u + 12345u);
	return d;
}

static void add_layers(struct hull_image *img, size_t n)
{
	img->layers = calloc(n, sizeof(*img->layers));
	if (!img->layers)
		abort();
	img->nlayers = n;
	for (size_t i = 0; i < n; i++) {
		char seed[32];
		snprintf(seed, sizeof(seed), "blob%zu", i);
		img->layers[i].digest = digest_of(seed);
		snprintf(seed, sizeof(seed), "diff%zu", i);
		img->layers[i].diff_id = digest_of(seed);
		img->layers[i].media_type = dup("application/vnd.oci.image.layer.v1.tar+gzip");
		img->layers[i].compression = dup("gzip");
		img->layers[i].size = 1000 * (i + 1);
		img->layers[i].created_by = dup(i == 2 ? "RUN npm install \"left-pad\"\t# \x1b[1m"
		                                       : "RUN apt-get install -y openssl");
	}
}

struct spec {
	enum hull_pkg_type type;
	const char *name, *version, *arch, *src_name, *src_version, *license, *file;
	int layer;
	long epoch;
	const char *rpm_version, *release;
};

static void add(struct hull_inventory *inv, const struct spec *sp)
{
	if (inv->npkgs == inv->cap) {
		inv->cap = inv->cap ? inv->cap * 2 : 16;
		inv->pkgs = realloc(inv->pkgs, inv->cap * sizeof(*inv->pkgs));
		if (!inv->pkgs)
			abort();
	}
	struct hull_pkg *p = &inv->pkgs[inv->npkgs++];
	memset(p, 0, sizeof(*p));
	p->type = sp->type;
	p->name = dup(sp->name);
	p->version = dup(sp->version);
	p->arch = dup(sp->arch);
	p->src_name = dup(sp->src_name);
	p->src_version = dup(sp->src_version);
	p->license = dup(sp->license);
	p->file = dup(sp->file);
	p->layer = sp->layer;
	p->epoch = sp->type == HULL_PKG_RPM ? sp->epoch : -1;
	p->rpm_version = dup(sp->rpm_version);
	p->release = dup(sp->release);
}

static void set_os(struct hull_os *os, const char *id, const char *version, const char *codename,
                   const char *pretty)
{
	os->id = dup(id);
	os->version_id = dup(version);
	os->codename = dup(codename);
	os->pretty_name = dup(pretty);
	os->source_file = dup("etc/os-release");
}

#define DPKG "var/lib/dpkg/status"
#define NPMF "usr/lib/node_modules/app/node_modules/"

static void debian(struct sample *s)
{
	s->img.format = HULL_IMAGE_DOCKER_ARCHIVE;
	s->img.target = dup("/tmp/images/bookworm.tar");
	s->img.name = dup("registry.example/hull-test:bookworm");
	s->img.manifest_digest = digest_of("manifest");
	s->img.config_digest = digest_of("config");
	s->img.config.os = dup("linux");
	s->img.config.architecture = dup("amd64");
	add_layers(&s->img, 3);
	set_os(&s->inv.os, "debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)");

	static char long_name[301], long_version[1201];
	memset(long_name, 'x', 300);
	memcpy(long_name, "lib-very-long-", 14);
	memset(long_version, '9', 1200);
	long_version[1] = '.';
	const struct spec pk[] = {
	    /* Listed out of order on purpose: the writers sort. */
	    {HULL_PKG_DEB, "openssl", "3.0.11-1~deb12u2", "amd64", "openssl", "3.0.11-1~deb12u2",
	     "Apache-2.0", DPKG, 0},
	    {HULL_PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", "3.0.11-1~deb12u2",
	     "apache-2.0", DPKG, 0},
	    {HULL_PKG_DEB, "libgcc-s1", "12.2.0-14", "amd64", "gcc-12", "12.2.0-14",
	     "GPL-3.0-or-later WITH GCC-exception-3.1", DPKG, 0},
	    {HULL_PKG_DEB, "login", "1:4.13+dfsg1-1+b1", "amd64", "shadow", "1:4.13+dfsg1-1",
	     "GPL-2+", DPKG, 1},
	    {HULL_PKG_DEB, "libpam-runtime", "1.1.8-3.6", "all", "pam", NULL,
	     "GPL-1, GPL-2, LGPL-2.1", DPKG, 1},
	    {HULL_PKG_DEB, "base-files", "12.4+deb12u5", "amd64", NULL, NULL, NULL, DPKG, 0},
	    {HULL_PKG_DEB, "libünicode-ü", "1.0-1", "amd64", NULL, NULL,
	     "MIT OR (BSD-2-Clause AND ISC)", DPKG, 1},
	    {HULL_PKG_DEB, "漢字パッケージ", "2.0-1", "amd64", NULL, NULL, "GPL-2.0+", DPKG, 1},
	    {HULL_PKG_DEB, long_name, long_version, "amd64", NULL, NULL, NULL, DPKG, 1},
	    {HULL_PKG_DEB, "evil\x1b[2Jname",
	     "1.0\xe2\x80\xae"
	     "lave",
	     "amd64", "src\"quote",
	     "0\x01"
	     "9",
	     "\"quoted\" licence\\", DPKG, 1},
	    {HULL_PKG_DEB, "bad-utf8-\xC3\x28-\xED\xA0\x80-\xF4\x90\x80\x80",
	     "1\xff"
	     "0",
	     "am\xc0"
	     "d64",
	     NULL, NULL, "\xfe\xff", DPKG, 1},
	    {HULL_PKG_DEB, "", "0", NULL, NULL, NULL, NULL, DPKG, 1},
	    {HULL_PKG_DEB, "layerless", "1.0", "amd64", NULL, NULL, NULL, DPKG, 7},
	    {HULL_PKG_NPM, "@Babel/Helper-String-Parser", "7.19.4", NULL, NULL, NULL, "MIT",
	     NPMF "@babel/helper-string-parser/package.json", 2},
	    {HULL_PKG_NPM, "left-pad", "1.3.0", NULL, NULL, NULL, "WTFPL",
	     NPMF "left-pad/package.json", 2},
	    {HULL_PKG_NPM, "left-pad", "1.3.0", NULL, NULL, NULL, "WTFPL",
	     "srv/other/node_modules/left-pad/package.json", 2},
	    {HULL_PKG_NPM, "left-pad", "1.3.0", NULL, NULL, NULL, "WTFPL",
	     "srv/other/node_modules/left-pad/package.json", 2},
	    {HULL_PKG_NPM, "tab\tname", "1.0.0\r\n", NULL, NULL, NULL, "MIT\nInjected: yes",
	     "\xff\xfe/node_modules/x/package.json", 2},
	    {HULL_PKG_PYPI, "Zope.Interface__Extra", "5.0", NULL, NULL, NULL, "ZPL 2.1",
	     "usr/lib/python3/dist-packages/zope.interface_extra-5.0.dist-info/METADATA", 2},
	    {HULL_PKG_PYPI, "requests", "2.31.0", NULL, NULL, NULL, "Apache-2.0",
	     "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", 2},
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
		add(&s->inv, &pk[i]);
	hull_diag_warn(&s->diag, "layer %s: var/lib/dpkg/status: line 3: damaged stanza skipped",
	               s->img.layers[1].digest);
	hull_diag_warn(&s->diag, "file with \x1b[2J escape and bad \xff bytes: \"skipped\"");
}

static void alpine(struct sample *s)
{
	s->img.format = HULL_IMAGE_OCI_LAYOUT;
	s->img.target = dup("/tmp/images/alpine-oci");
	s->img.manifest_digest = digest_of("alpine-manifest");
	s->img.config_digest = digest_of("alpine-config");
	s->img.config.os = dup("linux");
	s->img.config.architecture = dup("arm64");
	s->img.config.variant = dup("v8");
	add_layers(&s->img, 1);
	set_os(&s->inv.os, "alpine", "3.14.2", NULL, "Alpine Linux v3.14");
	const struct spec pk[] = {
	    {HULL_PKG_APK, "musl", "1.2.2-r3", "x86_64", "musl", NULL, "MIT",
	     "lib/apk/db/installed", 0},
	    {HULL_PKG_APK, "libcrypto1.1", "1.1.1l-r0", "x86_64", "openssl", NULL, "OpenSSL",
	     "lib/apk/db/installed", 0},
	    {HULL_PKG_APK, "busybox", "1.33.1-r3", "x86_64", "busybox", NULL, "GPL-2.0-only",
	     "lib/apk/db/installed", 0},
	    {HULL_PKG_APK, "scanelf", "1.3.2-r0", "x86_64", "pax-utils", NULL, "GPL-2.0-only",
	     "lib/apk/db/installed", 0},
	    {HULL_PKG_APK, "ca-certificates-bundle", "20191127-r5", "x86_64", "ca-certificates",
	     NULL, "MPL-2.0 AND MIT", "lib/apk/db/installed", 0},
	    {HULL_PKG_APK, "zlib", "1.2.11-r3", "x86_64", "zlib", NULL, "Zlib",
	     "lib/apk/db/installed", 0},
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
		add(&s->inv, &pk[i]);
}

static void rpm(struct sample *s)
{
	s->img.format = HULL_IMAGE_OCI_ARCHIVE;
	s->img.target = dup("/tmp/images/centos-7.tar");
	s->img.name = dup("centos:7");
	s->img.manifest_digest = digest_of("centos-manifest");
	s->img.config_digest = digest_of("centos-config");
	add_layers(&s->img, 1);
	set_os(&s->inv.os, "centos", "7.6.1810", NULL, "CentOS Linux 7 (Core)");
	const struct spec pk[] = {
	    {HULL_PKG_RPM, "bash", "4.2.46-31.el7", "x86_64", "bash", "4.2.46-31.el7", "GPLv3+",
	     "var/lib/rpm/Packages", 0, 0, "4.2.46", "31.el7"},
	    {HULL_PKG_RPM, "openssl-libs", "1:1.0.2k-16.el7", "x86_64", "openssl",
	     "1:1.0.2k-16.el7", "OpenSSL", "var/lib/rpm/Packages", 0, 1, "1.0.2k", "16.el7"},
	    {HULL_PKG_RPM, "vim-minimal", "2:7.4.160-5.el7", "x86_64", "vim", "2:7.4.160-5.el7",
	     "Vim", "var/lib/rpm/Packages", 0, 2, "7.4.160", "5.el7"},
	    {HULL_PKG_RPM, "gpg-pubkey", "f4a80eb5-53a7ff4b", NULL, NULL, NULL, "pubkey",
	     "var/lib/rpm/Packages", 0, -1, "f4a80eb5", "53a7ff4b"},
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
		add(&s->inv, &pk[i]);
}

static void rootfs(struct sample *s)
{
	s->img.format = HULL_IMAGE_ROOTFS;
	s->img.target = dup("/srv/rootfs with space/");
	const struct spec pk[] = {
	    {HULL_PKG_DEB, "dpkg", "1.21.22", "amd64", NULL, NULL, NULL, DPKG, HULL_LAYER_NONE},
	    {HULL_PKG_DEB, "libc6", "2.36-9+deb12u4", "amd64", "glibc", NULL, NULL, DPKG,
	     HULL_LAYER_NONE},
	    {HULL_PKG_PYPI, "PyYAML", "6.0.1", NULL, NULL, NULL, "MIT",
	     "usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA", HULL_LAYER_NONE},
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++)
		add(&s->inv, &pk[i]);
	hull_diag_warn(&s->diag, "no os-release found: the distribution is unknown");
}

static void empty(struct sample *s)
{
	s->img.format = HULL_IMAGE_DOCKER_ARCHIVE;
	s->img.target = dup("scratch.tar");
	s->img.manifest_digest = NULL; /* a legacy docker-archive */
	s->img.config_digest = digest_of("scratch-config");
	add_layers(&s->img, 1);
}

void sample_build(struct sample *s, enum sample_kind kind)
{
	memset(s, 0, sizeof(*s));
	hull_diag_init(&s->diag);
	switch (kind) {
	case SAMPLE_DEBIAN:
		debian(s);
		break;
	case SAMPLE_ALPINE:
		alpine(s);
		break;
	case SAMPLE_RPM:
		rpm(s);
		break;
	case SAMPLE_ROOTFS:
		rootfs(s);
		break;
	case SAMPLE_EMPTY:
	case SAMPLE_COUNT:
		empty(s);
		break;
	}
	s->in.image = &s->img;
	s->in.inv = &s->inv;
	s->in.diag = &s->diag;
	s->in.tool_version = "0.0.0-test";
	s->in.now = 1700000000; /* 2023-11-14T22:13:20Z */
}

void sample_free(struct sample *s)
{
	struct hull_image *img = &s->img;
	free(img->target);
	free(img->name);
	free(img->manifest_digest);
	free(img->config_digest);
	free(img->config.os);
	free(img->config.architecture);
	free(img->config.variant);
	for (size_t i = 0; i < img->nlayers; i++) {
		free(img->layers[i].digest);
		free(img->layers[i].diff_id);
		free(img->layers[i].media_type);
		free(img->layers[i].compression);
		free(img->layers[i].created_by);
	}
	free(img->layers);
	for (size_t i = 0; i < s->inv.npkgs; i++) {
		struct hull_pkg *p = &s->inv.pkgs[i];
		free(p->name);
		free(p->version);
		free(p->arch);
		free(p->src_name);
		free(p->src_version);
		free(p->license);
		free(p->rpm_version);
		free(p->release);
		free(p->file);
	}
	free(s->inv.pkgs);
	struct hull_os *os = &s->inv.os;
	free(os->id);
	free(os->version_id);
	free(os->codename);
	free(os->pretty_name);
	free(os->id_like);
	free(os->source_file);
	hull_diag_release(&s->diag);
}
