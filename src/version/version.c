/* version: dispatch to the per-ecosystem comparators, and the helpers they
 * share (error messages, digit-string comparison, Unicode blanks). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HULL_VERSION_IMPL /* ver_fail itself (internal.h) */
#include "version/internal.h"

static const char *const eco_names[HULL_ECO_COUNT] = {
    [HULL_ECO_DPKG] = "dpkg",     [HULL_ECO_APK] = "apk",       [HULL_ECO_RPM] = "rpm",
    [HULL_ECO_SEMVER] = "semver", [HULL_ECO_PEP440] = "pep440", [HULL_ECO_GO] = "go",
    [HULL_ECO_MAVEN] = "maven",   [HULL_ECO_GEM] = "gem",       [HULL_ECO_COMPOSER] = "composer",
    [HULL_ECO_NUGET] = "nuget",
};

const char *hull_ecosystem_name(enum hull_ecosystem eco)
{
	return (unsigned)eco < HULL_ECO_COUNT ? eco_names[eco] : "?";
}

/* The part of an OSV ecosystem name before ':' ("Debian:12" -> "Debian"). */
static const struct {
	const char *name;
	enum hull_ecosystem eco;
} osv_names[] = {
    {"npm", HULL_ECO_SEMVER},
    {"PyPI", HULL_ECO_PEP440},
    {"Go", HULL_ECO_GO},
    {"Maven", HULL_ECO_MAVEN},
    {"crates.io", HULL_ECO_SEMVER},
    {"RubyGems", HULL_ECO_GEM},
    {"Packagist", HULL_ECO_COMPOSER},
    {"NuGet", HULL_ECO_NUGET}, /* languages above, distributions below */
    {"Debian", HULL_ECO_DPKG},
    {"Ubuntu", HULL_ECO_DPKG},
    {"Alpine", HULL_ECO_APK},
    {"Alpaquita", HULL_ECO_APK},
    {"BellSoft Hardened Containers", HULL_ECO_APK},
    {"Chainguard", HULL_ECO_APK},
    {"Wolfi", HULL_ECO_APK},
    {"AlmaLinux", HULL_ECO_RPM},
    {"Rocky Linux", HULL_ECO_RPM},
    {"Red Hat", HULL_ECO_RPM},
    {"openEuler", HULL_ECO_RPM},
    {"openSUSE", HULL_ECO_RPM},
    {"SUSE", HULL_ECO_RPM},
    {"Mageia", HULL_ECO_RPM},
    {"Azure Linux", HULL_ECO_RPM},
};

int hull_ecosystem_from_osv(struct hull_str name, enum hull_ecosystem *eco, struct hull_err *err)
{
	struct hull_str base, rest;
	hull_str_split(name, ':', &base, &rest);
	for (size_t i = 0; i < sizeof(osv_names) / sizeof(osv_names[0]); i++) {
		if (hull_str_eq_c(base, osv_names[i].name)) {
			*eco = osv_names[i].eco;
			return 0;
		}
	}
	ver_fail(err, "osv", name, "no version comparator for this ecosystem");
	if (err)
		err->kind = HULL_ERR_NOTFOUND;
	return -1;
}

int ver_fail(struct hull_err *err, const char *eco, struct hull_str v, const char *fmt, ...)
{
	if (!err)
		return -1;
	/* At most 64 input bytes, each at most 4 output bytes, plus the
	 * "...(N bytes)" tail: quoted never overflows. */
	char quoted[64 * 4 + 32];
	size_t q = 0;
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (i == 64) {
			snprintf(quoted + q, sizeof(quoted) - q, "...(%zu bytes)", v.len);
			q += strlen(quoted + q);
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			quoted[q++] = (char)c;
		else
			q += (size_t)snprintf(quoted + q, sizeof(quoted) - q, "\\x%02x", c);
	}
	quoted[q] = '\0';
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return hull_err_set(err, HULL_ERR_INPUT, "%s: '%s': %s", eco, quoted, why);
}

int ver_check_len(const char *eco, struct hull_str v, struct hull_err *err)
{
	if (v.len <= HULL_VERSION_MAX_LEN)
		return 0;
	ver_fail(err, eco, v, "longer than %d bytes", HULL_VERSION_MAX_LEN);
	if (err)
		err->kind = HULL_ERR_LIMIT;
	return -1;
}

int ver_digits_cmp(struct hull_str a, struct hull_str b)
{
	while (a.len > 1 && a.ptr[0] == '0')
		a.ptr++, a.len--;
	while (b.len > 1 && b.ptr[0] == '0')
		b.ptr++, b.len--;
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	int r = a.len ? memcmp(a.ptr, b.ptr, a.len) : 0;
	return ver_sign(r);
}

size_t ver_uspace_len(const char *s, size_t len, bool python)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (u[0] >= 0x1c && u[0] <= 0x1f)
		return python ? 1 : 0;
	if (len >= 2 && u[0] == 0xc2)
		return (u[1] == 0xa0 || (python && u[1] == 0x85)) ? 2 : 0;
	if (len < 3)
		return 0;
	unsigned cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
	if ((u[0] & 0xf0) != 0xe0 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
		return 0;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000)
		return 3;
	if (cp == 0xfeff && !python)
		return 3;
	return 0;
}

/* Length of a whitespace character ending at s[len-1], or 0. */
static size_t uspace_len_back(const char *s, size_t len, bool python)
{
	for (size_t n = 1; n <= 3 && n <= len; n++) {
		if (ver_uspace_len(s + len - n, n, python) == n)
			return n;
	}
	return 0;
}

struct hull_str ver_utrim(struct hull_str s, bool python)
{
	size_t n;
	while ((n = ver_uspace_len(s.ptr, s.len, python)) > 0)
		s.ptr += n, s.len -= n;
	while ((n = uspace_len_back(s.ptr, s.len, python)) > 0)
		s.len -= n;
	return s;
}

int hull_version_validate(enum hull_ecosystem eco, struct hull_str v, struct hull_err *err)
{
	struct hull_dpkg_version dv;
	struct hull_semver sv;
	switch (eco) {
	case HULL_ECO_DPKG:
		return hull_dpkg_parse(v, &dv, err);
	case HULL_ECO_APK:
		return ver_apk_validate(v, err);
	case HULL_ECO_RPM:
		return ver_rpm_validate(v, err);
	case HULL_ECO_SEMVER:
		return hull_semver_parse(v, 0, &sv, err);
	case HULL_ECO_PEP440:
		return ver_pep440_validate(v, err);
	case HULL_ECO_GO:
		return ver_go_validate(v, err);
	case HULL_ECO_MAVEN:
		return ver_maven_validate(v, err);
	case HULL_ECO_GEM:
		return ver_gem_validate(v, err);
	case HULL_ECO_COMPOSER:
		return ver_composer_validate(v, err);
	case HULL_ECO_NUGET:
		return ver_nuget_validate(v, err);
	default:
		return hull_err_set(err, HULL_ERR_USAGE, "version: unknown ecosystem %d", (int)eco);
	}
}

int hull_version_compare(enum hull_ecosystem eco, struct hull_str a, struct hull_str b, int *cmp,
                         struct hull_err *err)
{
	switch (eco) {
	case HULL_ECO_DPKG:
		return ver_dpkg_compare(a, b, cmp, err);
	case HULL_ECO_APK:
		return ver_apk_compare(a, b, cmp, err);
	case HULL_ECO_RPM:
		return ver_rpm_compare(a, b, cmp, err);
	case HULL_ECO_SEMVER:
		return ver_npm_compare(a, b, cmp, err);
	case HULL_ECO_PEP440:
		return ver_pep440_compare(a, b, cmp, err);
	case HULL_ECO_GO:
		return ver_go_compare(a, b, cmp, err);
	case HULL_ECO_MAVEN:
		return ver_maven_compare(a, b, cmp, err);
	case HULL_ECO_GEM:
		return ver_gem_compare(a, b, cmp, err);
	case HULL_ECO_COMPOSER:
		return ver_composer_compare(a, b, cmp, err);
	case HULL_ECO_NUGET:
		return ver_nuget_compare(a, b, cmp, err);
	default:
		return hull_err_set(err, HULL_ERR_USAGE, "version: unknown ecosystem %d", (int)eco);
	}
}
