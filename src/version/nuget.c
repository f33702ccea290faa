/* nuget: NuGet package versions, as NuGet.Versioning's NuGetVersion and
 * VersionComparer.Default.
 *
 * MAJOR[.MINOR[.PATCH[.REVISION]]][-LABEL(.LABEL)*][+METADATA]: one to four
 * numbers (each an Int32, leading zeros allowed: "1.01" is 1.1.0), missing
 * ones are 0; labels are non-empty runs of [0-9A-Za-z-]; metadata is
 * ignored by the order. Blanks around the version are trimmed. Order: the
 * four numbers, then a version without labels above one with labels, then
 * label by label: two numeric labels (Int32.TryParse) as numbers, a numeric
 * label below a non-numeric one, two others case-insensitively (ordinal);
 * when one list is a prefix of the other, the shorter is lower (SemVer 2.0
 * precedence, case-insensitive). */
#include <limits.h>
#include <string.h>

#include "version/internal.h"

#define NUGET_MAX_LABELS 64

struct nver {
	long long num[4];
	struct hull_str label[NUGET_MAX_LABELS];
	int nlabels;
};

/* An Int32 from a run of digits (leading zeros allowed). */
static bool int32_digits(struct hull_str s, long long *out)
{
	long long v = 0;
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!ver_isdigit(s.ptr[i]))
			return false;
		v = v * 10 + (s.ptr[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	*out = v;
	return true;
}

/* Int32.TryParse on a label: an optional '-' then digits. */
static bool label_number(struct hull_str s, long long *out)
{
	bool neg = s.len && s.ptr[0] == '-';
	struct hull_str d = neg ? hull_str(s.ptr + 1, s.len - 1) : s;
	long long v;
	if (!d.len || d.len > 10)
		return false;
	for (size_t i = 0; i < d.len; i++)
		if (!ver_isdigit(d.ptr[i]))
			return false;
	v = 0;
	for (size_t i = 0; i < d.len; i++)
		v = v * 10 + (d.ptr[i] - '0');
	if (v > (neg ? (long long)INT_MAX + 1 : INT_MAX))
		return false;
	*out = neg ? -v : v;
	return true;
}

static bool label_char(char c)
{
	return ver_isalnum(c) || c == '-';
}

static int nuget_parse(struct hull_str v, struct nver *o, struct hull_err *err)
{
	if (ver_check_len("nuget", v, err) < 0)
		return -1;
	struct hull_str t = hull_str_trim(v), core, meta, rel;
	if (hull_str_split(t, '+', &core, &meta)) {
		if (!meta.len)
			return ver_fail(err, "nuget", v, "empty metadata");
		for (size_t i = 0; i < meta.len; i++)
			if (!label_char(meta.ptr[i]) && meta.ptr[i] != '.')
				return ver_fail(err, "nuget", v, "bad character in metadata");
	}
	bool has_rel = hull_str_split(core, '-', &core, &rel);
	memset(o, 0, sizeof(*o));
	int n = 0;
	struct hull_str rest = core, part;
	for (;;) {
		bool more = hull_str_split(rest, '.', &part, &rest);
		if (n == 4)
			return ver_fail(err, "nuget", v, "more than four numbers");
		if (!int32_digits(part, &o->num[n]))
			return ver_fail(err, "nuget", v, "expected a number (0 to 2147483647)");
		n++;
		if (!more)
			break;
	}
	if (!has_rel)
		return 0;
	rest = rel;
	for (;;) {
		bool more = hull_str_split(rest, '.', &part, &rest);
		if (!part.len)
			return ver_fail(err, "nuget", v, "empty pre-release label");
		for (size_t i = 0; i < part.len; i++)
			if (!label_char(part.ptr[i]))
				return ver_fail(err, "nuget", v,
				                "bad character in a pre-release label");
		if (o->nlabels == NUGET_MAX_LABELS)
			return ver_fail(err, "nuget", v, "more than %d labels", NUGET_MAX_LABELS);
		o->label[o->nlabels++] = part;
		if (!more)
			break;
	}
	return 0;
}

static int label_cmp(struct hull_str a, struct hull_str b)
{
	long long na, nb;
	bool da = label_number(a, &na), db = label_number(b, &nb);
	if (da && db)
		return ver_sign(na - nb);
	if (da || db)
		return da ? -1 : 1;
	size_t n = a.len < b.len ? a.len : b.len;
	for (size_t i = 0; i < n; i++) {
		int ca = a.ptr[i] >= 'a' && a.ptr[i] <= 'z' ? a.ptr[i] - 0x20 : a.ptr[i];
		int cb = b.ptr[i] >= 'a' && b.ptr[i] <= 'z' ? b.ptr[i] - 0x20 : b.ptr[i];
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (a.len > b.len) - (a.len < b.len);
}

static int nuget_cmp(const struct nver *a, const struct nver *b)
{
	for (int i = 0; i < 4; i++)
		if (a->num[i] != b->num[i])
			return a->num[i] < b->num[i] ? -1 : 1;
	if (!a->nlabels != !b->nlabels)
		return a->nlabels ? -1 : 1;
	for (int i = 0; i < a->nlabels && i < b->nlabels; i++) {
		int c = label_cmp(a->label[i], b->label[i]);
		if (c)
			return c;
	}
	return (a->nlabels > b->nlabels) - (a->nlabels < b->nlabels);
}

int ver_nuget_validate(struct hull_str v, struct hull_err *err)
{
	struct nver n;
	return nuget_parse(v, &n, err);
}

int ver_nuget_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct nver na, nb;
	if (nuget_parse(a, &na, err) < 0 || nuget_parse(b, &nb, err) < 0)
		return -1;
	*cmp = nuget_cmp(&na, &nb);
	return 0;
}
