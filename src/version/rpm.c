/* rpm: RPM version ordering, as rpmvercmp() (rpmio/rpmvercmp.c) applied to
 * epoch, version and release (rpmver.c parseEVR splits "E:V-R").
 *
 * rpm itself treats a missing release as matching any release, which is
 * not an order; like libsolv's EVRCMP_COMPARE, hull sorts a missing release
 * before every present one so that the order stays total. */
#include <string.h>

#include "version/internal.h"

struct evr {
	struct hull_str epoch; /* digits; empty = 0 */
	struct hull_str version;
	struct hull_str release;
	bool has_release;
};

int hull_rpmvercmp(struct hull_str a, struct hull_str b)
{
	size_t i = 0, j = 0;
	/* Bytes are compared as rpm does; NUL ends a C string there, so a slice
	 * stops at its first NUL to match. */
	const char *na = a.len ? memchr(a.ptr, '\0', a.len) : NULL;
	const char *nb = b.len ? memchr(b.ptr, '\0', b.len) : NULL;
	if (na)
		a.len = (size_t)(na - a.ptr);
	if (nb)
		b.len = (size_t)(nb - b.ptr);
	if (a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len)))
		return 0;
	while (i < a.len || j < b.len) {
		while (i < a.len && !ver_isalnum(a.ptr[i]) && a.ptr[i] != '~' && a.ptr[i] != '^')
			i++;
		while (j < b.len && !ver_isalnum(b.ptr[j]) && b.ptr[j] != '~' && b.ptr[j] != '^')
			j++;
		char ca = i < a.len ? a.ptr[i] : 0, cb = j < b.len ? b.ptr[j] : 0;
		/* '~' sorts before everything, even the end. */
		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			i++, j++;
			continue;
		}
		/* '^' sorts after the end but before any other segment. */
		if (ca == '^' || cb == '^') {
			if (!ca)
				return -1;
			if (!cb)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			i++, j++;
			continue;
		}
		if (!ca || !cb)
			break;
		size_t si = i, sj = j;
		bool isnum = ver_isdigit(ca);
		if (isnum) {
			while (i < a.len && ver_isdigit(a.ptr[i]))
				i++;
			while (j < b.len && ver_isdigit(b.ptr[j]))
				j++;
		} else {
			while (i < a.len && ver_isalpha(a.ptr[i]))
				i++;
			while (j < b.len && ver_isalpha(b.ptr[j]))
				j++;
		}
		/* Segments of different types: numeric is newer. */
		if (j == sj)
			return isnum ? 1 : -1;
		struct hull_str sa = hull_str(a.ptr + si, i - si),
		                sb = hull_str(b.ptr + sj, j - sj);
		int r;
		if (isnum) {
			r = ver_digits_cmp(sa, sb);
		} else {
			size_t n = sa.len < sb.len ? sa.len : sb.len;
			r = ver_sign(memcmp(sa.ptr, sb.ptr, n));
			if (!r && sa.len != sb.len)
				r = sa.len < sb.len ? -1 : 1;
		}
		if (r)
			return r;
	}
	bool ea = i >= a.len, eb = j >= b.len;
	if (ea && eb)
		return 0;
	return ea ? -1 : 1;
}

static bool verrel_char(char c)
{
	return ver_isalnum(c) || strchr("._+%{}~^", c) != NULL;
}

static int check_field(struct hull_str whole, struct hull_str f, const char *what,
                       struct hull_err *err)
{
	if (!f.len)
		return ver_fail(err, "rpm", whole, "empty %s", what);
	for (size_t i = 0; i < f.len; i++) {
		if (!f.ptr[i] || !verrel_char(f.ptr[i]))
			return ver_fail(err, "rpm", whole, "invalid character '\\x%02x' in %s",
			                (unsigned char)f.ptr[i], what);
	}
	return 0;
}

/* parseEVR: digits then ':' make the epoch; the last '-' starts the
 * release. Validity follows rpmbuild's rules for Version and Release. */
static int parse_evr(struct hull_str v, struct evr *out, struct hull_err *err)
{
	if (ver_check_len("rpm", v, err) < 0)
		return -1;
	struct evr r = {0};
	size_t d = 0;
	while (d < v.len && ver_isdigit(v.ptr[d]))
		d++;
	struct hull_str rest = v;
	if (d < v.len && v.ptr[d] == ':') {
		r.epoch = hull_str(v.ptr, d);
		rest = hull_str(v.ptr + d + 1, v.len - d - 1);
		if (d > 10 || (d == 10 && memcmp(v.ptr, "4294967295", 10) > 0))
			return ver_fail(err, "rpm", v, "epoch does not fit in 32 bits");
	}
	size_t hy = rest.len;
	while (hy > 0 && rest.ptr[hy - 1] != '-')
		hy--;
	if (hy > 0) {
		r.version = hull_str(rest.ptr, hy - 1);
		r.release = hull_str(rest.ptr + hy, rest.len - hy);
		r.has_release = true;
	} else {
		r.version = rest;
	}
	if (check_field(v, r.version, "version", err) < 0)
		return -1;
	if (r.has_release && check_field(v, r.release, "release", err) < 0)
		return -1;
	*out = r;
	return 0;
}

int ver_rpm_validate(struct hull_str v, struct hull_err *err)
{
	struct evr e;
	return parse_evr(v, &e, err);
}

static int evr_cmp(const struct evr *a, const struct evr *b)
{
	int r = ver_digits_cmp(a->epoch.len ? a->epoch : HULL_STR_LIT("0"),
	                       b->epoch.len ? b->epoch : HULL_STR_LIT("0"));
	if (r)
		return r;
	r = hull_rpmvercmp(a->version, b->version);
	if (r)
		return r;
	if (a->has_release != b->has_release)
		return a->has_release ? 1 : -1;
	return hull_rpmvercmp(a->release, b->release);
}

int ver_rpm_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct evr ea, eb;
	if (parse_evr(a, &ea, err) < 0 || parse_evr(b, &eb, err) < 0)
		return -1;
	*cmp = evr_cmp(&ea, &eb);
	return 0;
}
