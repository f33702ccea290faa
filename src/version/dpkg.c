/* dpkg: Debian version parsing and ordering, as dpkg's parseversion() and
 * verrevcmp() (lib/dpkg/parsehelp.c, lib/dpkg/version.c). */
#include <limits.h>
#include <string.h>

#include "version/internal.h"

static bool dpkg_isblank(int c)
{
	return c == ' ' || c == '\t';
}

/* Parses the epoch like strtol(s, &end, 10) followed by dpkg's checks: an
 * optional sign is accepted by strtol, so "+1:" is epoch 1 and "-1:" is
 * rejected as negative. */
static int parse_epoch(struct hull_str whole, struct hull_str e, unsigned *out,
                       struct hull_err *err)
{
	size_t i = 0;
	bool neg = false;
	while (i < e.len && (e.ptr[i] == ' ' || (e.ptr[i] >= '\t' && e.ptr[i] <= '\r')))
		i++;
	if (i < e.len && (e.ptr[i] == '+' || e.ptr[i] == '-'))
		neg = e.ptr[i++] == '-';
	size_t digits = i;
	unsigned long long val = 0;
	bool big = false;
	while (i < e.len && ver_isdigit(e.ptr[i])) {
		val = val * 10 + (unsigned)(e.ptr[i++] - '0');
		if (val > (unsigned long long)INT_MAX + 1)
			big = true, val = (unsigned long long)INT_MAX + 1;
	}
	if (i == digits)
		return ver_fail(err, "dpkg", whole, "epoch in version is empty");
	if (i != e.len)
		return ver_fail(err, "dpkg", whole, "epoch in version is not number");
	if (neg && val > 0)
		return ver_fail(err, "dpkg", whole, "epoch in version is negative");
	if (big || val > INT_MAX)
		return ver_fail(err, "dpkg", whole, "epoch in version is too big");
	*out = (unsigned)val;
	return 0;
}

static const char *check_chars(struct hull_dpkg_version *v)
{
	if (!ver_isdigit(v->upstream.ptr[0]))
		return "version number does not start with digit";
	for (size_t i = 1; i < v->upstream.len; i++) {
		char c = v->upstream.ptr[i];
		if (!ver_isalnum(c) && !strchr(".-+~:", c))
			return "invalid character in version number";
	}
	for (size_t i = 0; i < v->revision.len; i++) {
		char c = v->revision.ptr[i];
		if (!ver_isalnum(c) && !strchr(".+~", c))
			return "invalid character in revision number";
	}
	return NULL;
}

int hull_dpkg_parse(struct hull_str v, struct hull_dpkg_version *out, struct hull_err *err)
{
	if (ver_check_len("dpkg", v, err) < 0)
		return -1;
	if (memchr(v.ptr, '\0', v.len))
		return ver_fail(err, "dpkg", v, "NUL byte in version");
	struct hull_str s = v;
	while (s.len && dpkg_isblank(s.ptr[0]))
		s.ptr++, s.len--;
	if (!s.len)
		return ver_fail(err, "dpkg", v, "version string is empty");
	size_t end = 0;
	while (end < s.len && !dpkg_isblank(s.ptr[end]))
		end++;
	for (size_t i = end; i < s.len; i++) {
		if (!dpkg_isblank(s.ptr[i]))
			return ver_fail(err, "dpkg", v, "version string has embedded spaces");
	}
	s.len = end;

	struct hull_dpkg_version r = {0};
	long colon = hull_str_index(s, ':');
	if (colon >= 0) {
		if (parse_epoch(v, hull_str(s.ptr, (size_t)colon), &r.epoch, err) < 0)
			return -1;
		if ((size_t)colon + 1 == s.len)
			return ver_fail(err, "dpkg", v, "nothing after colon in version number");
		s.ptr += colon + 1;
		s.len -= (size_t)colon + 1;
	}
	size_t hy = s.len;
	while (hy > 0 && s.ptr[hy - 1] != '-')
		hy--;
	if (hy > 0) {
		r.upstream = hull_str(s.ptr, hy - 1);
		r.revision = hull_str(s.ptr + hy, s.len - hy);
	} else {
		r.upstream = s;
		r.revision = hull_str(s.ptr + s.len, 0);
	}
	if (!r.upstream.len)
		return ver_fail(err, "dpkg", v, "version number is empty");
	r.warning = check_chars(&r);
	*out = r;
	return 0;
}

/* dpkg's order(): digits 0, letters their ASCII value, '~' before all,
 * anything else after letters. Bytes >= 0x80 go through a signed char on
 * amd64 dpkg, which makes them (c - 256) + 256 = c. */
static int order(unsigned char c)
{
	if (ver_isdigit(c))
		return 0;
	if (ver_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c >= 0x80)
		return c;
	return c ? c + 256 : 0;
}

static int verrevcmp(struct hull_str a, struct hull_str b)
{
	size_t i = 0, j = 0;
	while (i < a.len || j < b.len) {
		int first_diff = 0;
		while ((i < a.len && !ver_isdigit(a.ptr[i])) ||
		       (j < b.len && !ver_isdigit(b.ptr[j]))) {
			int ac = i < a.len ? order((unsigned char)a.ptr[i]) : 0;
			int bc = j < b.len ? order((unsigned char)b.ptr[j]) : 0;
			if (ac != bc)
				return ver_sign(ac - bc);
			i++;
			j++;
		}
		while (i < a.len && a.ptr[i] == '0')
			i++;
		while (j < b.len && b.ptr[j] == '0')
			j++;
		while (i < a.len && j < b.len && ver_isdigit(a.ptr[i]) && ver_isdigit(b.ptr[j])) {
			if (!first_diff)
				first_diff = a.ptr[i] - b.ptr[j];
			i++;
			j++;
		}
		if (i < a.len && ver_isdigit(a.ptr[i]))
			return 1;
		if (j < b.len && ver_isdigit(b.ptr[j]))
			return -1;
		if (first_diff)
			return ver_sign(first_diff);
	}
	return 0;
}

int hull_dpkg_cmp(const struct hull_dpkg_version *a, const struct hull_dpkg_version *b)
{
	if (a->epoch != b->epoch)
		return a->epoch > b->epoch ? 1 : -1;
	int r = verrevcmp(a->upstream, b->upstream);
	return r ? r : verrevcmp(a->revision, b->revision);
}

int ver_dpkg_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct hull_dpkg_version va, vb;
	if (hull_dpkg_parse(a, &va, err) < 0 || hull_dpkg_parse(b, &vb, err) < 0)
		return -1;
	*cmp = hull_dpkg_cmp(&va, &vb);
	return 0;
}
