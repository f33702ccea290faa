/* version: exact version ordering for every ecosystem hull matches, and the
 * range evaluators built on it (OSV ranges, npm ranges, PEP 440 specifiers,
 * distro "fixed in" forms).
 *
 * Each comparator follows one tool, byte for byte where the tool is defined
 * on bytes (docs/version.md lists the sources and the few documented
 * deviations):
 *   DPKG    dpkg --compare-versions (lib/dpkg/version.c, parsehelp.c)
 *   APK     apk-tools 3 version.c (validity included)
 *   RPM     rpmvercmp with ~ and ^, epoch and release (libsolv COMPARE mode
 *           for a missing release, so that the order stays total)
 *   SEMVER  node-semver as npm uses it (strict SemVer 2.0 precedence)
 *   PEP440  pypa/packaging Version
 *   GO      golang.org/x/mod/semver (the leading "v" is optional, as in OSV)
 *   MAVEN   maven-artifact 3.9 ComparableVersion
 *   GEM     RubyGems Gem::Version (rubygems/version.rb)
 *   COMPOSER composer/semver VersionParser::normalize, then PHP version_compare
 *   NUGET   NuGet.Versioning NuGetVersion, VersionComparer.Default
 *
 * Invariants: every function reads only the bytes of its slices (no NUL
 * terminator is assumed), never allocates, and uses a bounded amount of
 * stack. An input the tool would reject is an error (HULL_ERR_INPUT, message
 * "<eco>: '<version>': <why>"), never a silent "equal". On valid input the
 * comparators are total preorders: antisymmetric, transitive, and cmp == 0
 * is an equivalence (tests/fuzz/version checks this). */
#ifndef HULL_VERSION_VERSION_H
#define HULL_VERSION_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/str.h"

/* Longest version string any function here accepts (HULL_ERR_LIMIT past it). */
#define HULL_VERSION_MAX_LEN 1024

enum hull_ecosystem {
	HULL_ECO_DPKG,
	HULL_ECO_APK,
	HULL_ECO_RPM,
	HULL_ECO_SEMVER, /* npm */
	HULL_ECO_PEP440,
	HULL_ECO_GO,
	HULL_ECO_MAVEN,
	HULL_ECO_GEM,      /* RubyGems */
	HULL_ECO_COMPOSER, /* Packagist */
	HULL_ECO_NUGET,
	HULL_ECO_COUNT
};

/* "dpkg", "apk", ...; "?" for an out-of-range value. */
const char *hull_ecosystem_name(enum hull_ecosystem eco);

/* Maps an OSV ecosystem name ("npm", "PyPI", "Go", "Maven", "RubyGems", "Packagist", "NuGet",
 * "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.18", "Rocky Linux:9", "AlmaLinux:8", "Red Hat",
 * "openSUSE", "SUSE", "Wolfi", ...) to its comparator. Fails with HULL_ERR_NOTFOUND for an
 * ecosystem hull has no comparator for. */
int hull_ecosystem_from_osv(struct hull_str name, enum hull_ecosystem *eco, struct hull_err *err);

/* 0 when the ecosystem's tool accepts v, -1 with the reason otherwise.
 * dpkg versions that dpkg accepts with a warning ("version number does not
 * start with digit") are accepted; hull_dpkg_parse reports the warning. */
int hull_version_validate(enum hull_ecosystem eco, struct hull_str v, struct hull_err *err);

/* Sets *cmp to -1, 0 or 1 as a <, =, > b. Fails (and leaves *cmp alone) when
 * either operand is invalid; the message names the operand and why. */
int hull_version_compare(enum hull_ecosystem eco, struct hull_str a, struct hull_str b, int *cmp,
                         struct hull_err *err);

/* ---- dpkg ------------------------------------------------------------- */

struct hull_dpkg_version {
	unsigned epoch;           /* 0 when absent */
	struct hull_str upstream; /* slices of the parsed string */
	struct hull_str revision; /* empty when absent */
	const char *warning;      /* NULL, or why dpkg would warn (static string) */
};

/* Parses like dpkg's parseversion(): blanks around the version are trimmed,
 * epoch is a decimal <= INT_MAX, the revision follows the last '-'. */
int hull_dpkg_parse(struct hull_str v, struct hull_dpkg_version *out, struct hull_err *err);
int hull_dpkg_cmp(const struct hull_dpkg_version *a, const struct hull_dpkg_version *b);

/* ---- apk -------------------------------------------------------------- */

/* apk-tools' own answer for any two strings, valid or not (apk orders an
 * invalid string by its valid prefix). fuzzy is apk's '~' operator: a
 * matches b when b's tokens are a prefix of a's. Returns -1, 0 or 1. Use
 * hull_version_compare unless apk's behaviour on invalid input is wanted. */
int hull_apk_compare_raw(struct hull_str a, struct hull_str b, bool fuzzy);

/* ---- rpm -------------------------------------------------------------- */

/* rpmvercmp() on one version or release field; defined for any bytes. */
int hull_rpmvercmp(struct hull_str a, struct hull_str b);

/* ---- semver / npm ----------------------------------------------------- */

#define HULL_SEMVER_LOOSE              1u /* node-semver { loose: true } */
#define HULL_SEMVER_INCLUDE_PRERELEASE 2u /* node-semver { includePrerelease: true } */

struct hull_semver {
	uint64_t major, minor, patch; /* each <= 2^53 - 1, as in node-semver */
	struct hull_str pre;          /* dot-separated identifiers, empty when none */
	struct hull_str build;        /* ignored by comparison */
	bool pre_loose;               /* identifiers may have leading zeros (loose) */
};

/* Parses a version as `new SemVer(v, flags)` does (trims blanks; "v" prefix;
 * with LOOSE also "=", leading zeros and a missing '-' before the
 * pre-release). */
int hull_semver_parse(struct hull_str v, unsigned flags, struct hull_semver *out,
                      struct hull_err *err);
/* SemVer 2.0 precedence (build metadata ignored). */
int hull_semver_cmp(const struct hull_semver *a, const struct hull_semver *b);

/* semver.satisfies(version, range, flags). *sat is false (and 0 returned)
 * when the version does not parse, as in node-semver; an invalid range is an
 * error. Ranges: comparators < <= > >= =, ^ ~ ~>, x-ranges, hyphen ranges,
 * whitespace for AND and || for OR. At most 64 comparators per range. */
int hull_npm_range_satisfies(struct hull_str range, struct hull_str version, unsigned flags,
                             bool *sat, struct hull_err *err);

/* ---- PEP 440 ---------------------------------------------------------- */

/* Writes the normalised form (str(packaging.version.Version(v))) into out,
 * NUL-terminated. Fails on an invalid version or when cap is too small. */
int hull_pep440_normalize(struct hull_str v, char *out, size_t cap, struct hull_err *err);

/* packaging.specifiers.SpecifierSet(spec).contains(v, prereleases): spec is
 * a comma-separated list of ~= == != <= >= < > === clauses (empty = any).
 * prereleases: -1 = packaging's default (allowed only when a clause names a
 * pre-release), 0 = never, 1 = always. An invalid spec or version is an
 * error. */
int hull_pep440_spec_contains(struct hull_str spec, struct hull_str v, int prereleases, bool *in,
                              struct hull_err *err);

/* ---- Go --------------------------------------------------------------- */

/* True when v is a Go pseudo-version (vX.0.0-yyyymmddhhmmss-abcdef123456,
 * vX.Y.Z-pre.0.yyyymmddhhmmss-..., vX.Y.Z-0.yyyymmddhhmmss-...). */
bool hull_go_is_pseudo(struct hull_str v);

/* ---- OSV ranges ------------------------------------------------------- */

enum hull_osv_event_kind {
	HULL_OSV_INTRODUCED,
	HULL_OSV_FIXED,
	HULL_OSV_LAST_AFFECTED,
	HULL_OSV_LIMIT
};

struct hull_osv_event {
	enum hull_osv_event_kind kind;
	struct hull_str version;
};

enum hull_osv_range_type {
	HULL_OSV_RANGE_ECOSYSTEM, /* the ecosystem's own comparator */
	HULL_OSV_RANGE_SEMVER     /* SemVer 2.0 (osv.dev coercion of "1.0") */
};

struct hull_osv_range {
	enum hull_osv_range_type type;
	const struct hull_osv_event *events;
	size_t n_events;
};

/* One affected[] entry: its ranges (GIT ranges are the caller's to drop)
 * and its explicit versions list. */
struct hull_osv_affected {
	const struct hull_osv_range *ranges;
	size_t n_ranges;
	const struct hull_str *versions;
	size_t n_versions;
};

/* IncludedInRanges for one range, exactly as the OSV schema's Evaluation
 * pseudocode: events in version order (ties keep array order), introduced
 * "0" before every version, a limit containing '*' is infinity, no limit
 * event means an implicit "*". An invalid event or version is an error
 * naming the event. SEMVER ranges, and every range of the npm ecosystem,
 * order versions as osv.dev does: SemVer 2.0 after coercing "v1.2" and
 * "1.2" to 1.2.0. */
int hull_osv_range_affects(enum hull_ecosystem eco, const struct hull_osv_range *range,
                           struct hull_str v, bool *affected, struct hull_err *err);

/* IncludedInVersions: v equals (by the ecosystem's comparator) a listed
 * version. A listed version the comparator rejects can still match v
 * byte for byte; it is not an error. */
int hull_osv_versions_include(enum hull_ecosystem eco, const struct hull_str *versions, size_t n,
                              struct hull_str v, bool *listed, struct hull_err *err);

/* IncludedInVersions || IncludedInRanges for one affected[] entry. */
int hull_osv_affected_match(enum hull_ecosystem eco, const struct hull_osv_affected *aff,
                            struct hull_str v, bool *affected, struct hull_err *err);

/* ---- distro forms (Debian tracker, Alpine secdb) ---------------------- */

enum hull_distro_status {
	HULL_DISTRO_FIXED,       /* fixed in `fixed`: affected when v < fixed */
	HULL_DISTRO_UNFIXED,     /* every version affected */
	HULL_DISTRO_NOT_AFFECTED /* no version affected */
};

struct hull_distro_fix {
	enum hull_distro_status status;
	struct hull_str fixed; /* for HULL_DISTRO_FIXED; "0" means not affected */
};

/* Whether installed version v is affected. The installed version must be
 * valid even when the status makes the answer obvious, so that a broken
 * inventory never passes silently. */
int hull_distro_fix_affects(enum hull_ecosystem eco, const struct hull_distro_fix *fix,
                            struct hull_str v, bool *affected, struct hull_err *err);

#endif
