/* internal: helpers shared by the comparators of src/version (not public).
 *
 * Every per-ecosystem file exports only the hull_* functions of version.h
 * and the ver_* functions declared here; both take slices and never
 * allocate. */
#ifndef HULL_VERSION_INTERNAL_H
#define HULL_VERSION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "version/version.h"

/* Fills err with "<eco>: '<v>': <why>" (v quoted with non-printable bytes
 * escaped and long strings cut). Returns -1. */
int ver_fail(struct hull_err *err, const char *eco, struct hull_str v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fails with HULL_ERR_LIMIT when v is longer than HULL_VERSION_MAX_LEN. */
int ver_check_len(const char *eco, struct hull_str v, struct hull_err *err);

/* ver_fail always returns -1: said for clang's analyzer, which reads one
 * file at a time (the same as for hull_err_set in util/err.h). */
/* clang-format off */
#if defined(__clang_analyzer__) && !defined(HULL_VERSION_IMPL)
#define ver_fail(...) ({ ver_fail(__VA_ARGS__); -1; })
#endif
/* clang-format on */

/* Compares two runs of ASCII digits as unbounded non-negative integers. */
int ver_digits_cmp(struct hull_str a, struct hull_str b);

/* Length of the UTF-8 encoded whitespace character at s[0..len), or 0.
 * python: str.isspace() characters; js: String.prototype.trim's set. */
size_t ver_uspace_len(const char *s, size_t len, bool python);
/* Trims that whitespace at both ends. */
struct hull_str ver_utrim(struct hull_str s, bool python);

static inline bool ver_isdigit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool ver_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool ver_isalnum(int c)
{
	return ver_isdigit(c) || ver_isalpha(c);
}
static inline int ver_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}
static inline int ver_sign(long long x)
{
	return (x > 0) - (x < 0);
}

/* Per-ecosystem entry points behind hull_version_validate/compare. */
int ver_dpkg_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_apk_validate(struct hull_str v, struct hull_err *err);
int ver_apk_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_rpm_validate(struct hull_str v, struct hull_err *err);
int ver_rpm_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_npm_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_pep440_validate(struct hull_str v, struct hull_err *err);
int ver_pep440_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_go_validate(struct hull_str v, struct hull_err *err);
int ver_go_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_maven_validate(struct hull_str v, struct hull_err *err);
int ver_maven_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_gem_validate(struct hull_str v, struct hull_err *err);
int ver_gem_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_composer_validate(struct hull_str v, struct hull_err *err);
int ver_composer_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_nuget_validate(struct hull_str v, struct hull_err *err);
int ver_nuget_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);

/* SemVer 2.0 strict (no "v"), after osv.dev's coercion of "1", "1.2" and a
 * leading "v" (the OSV SEMVER range type). */
int ver_osv_semver_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err);
int ver_osv_semver_validate(struct hull_str v, struct hull_err *err);

/* SemVer pre-release precedence on two dot-separated identifier lists
 * (empty = no pre-release, which sorts after any pre-release). */
int ver_semver_pre_cmp(struct hull_str a, struct hull_str b);

#endif
