/* gem: RubyGems versions, as Gem::Version (rubygems/version.rb).
 *
 * Valid: blanks, then digits, '.'-separated alphanumeric segments, and an
 * optional '-' part of [0-9A-Za-z-] segments, then blanks; blank or empty
 * is "0" (ANCHORED_VERSION_PATTERN). Every '-' reads as ".pre." (Gem's
 * gsub), the segments are the runs of digits and of letters, numbers
 * compare as integers and strings byte-wise; the canonical segments drop
 * trailing zeros from the release part (before the first string) and from
 * the pre-release part; a missing segment is 0, and a string is less than
 * a number (so 1.0.a < 1.0 < 1.0.1). Versions must be at most GEM_MAX_SEGS
 * segments. */
#include <string.h>

#include "version/internal.h"

#define GEM_MAX_SEGS 256

struct gseg {
	struct hull_str s;
	bool num;
};

struct gver {
	struct gseg seg[GEM_MAX_SEGS];
	int n;
};

static bool gem_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool all_zero(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] != '0')
			return false;
	return true;
}

/* ANCHORED_VERSION_PATTERN on the trimmed string. */
static int gem_check(struct hull_str v, struct hull_str t, struct hull_err *err)
{
	if (!t.len)
		return 0;
	size_t i = 0;
	while (i < t.len && ver_isdigit(t.ptr[i]))
		i++;
	if (i == 0)
		return ver_fail(err, "gem", v, "must start with a digit");
	while (i < t.len && t.ptr[i] == '.') {
		size_t st = ++i;
		while (i < t.len && ver_isalnum(t.ptr[i]))
			i++;
		if (i == st)
			return ver_fail(err, "gem", v, "empty segment at offset %zu", st);
	}
	if (i < t.len && t.ptr[i] == '-') {
		for (;;) {
			size_t st = ++i;
			while (i < t.len && (ver_isalnum(t.ptr[i]) || t.ptr[i] == '-'))
				i++;
			if (i == st)
				return ver_fail(err, "gem", v, "empty segment at offset %zu", st);
			if (i == t.len || t.ptr[i] != '.')
				break;
		}
	}
	if (i != t.len)
		return ver_fail(err, "gem", v, "unexpected '%c' at offset %zu", t.ptr[i], i);
	return 0;
}

static int push(struct gver *g, struct hull_str v, struct hull_str s, bool num,
                struct hull_err *err)
{
	if (g->n == GEM_MAX_SEGS)
		return ver_fail(err, "gem", v, "more than %d segments", GEM_MAX_SEGS);
	g->seg[g->n++] = (struct gseg){s, num};
	return 0;
}

/* The canonical segments of v into g. */
static int gem_parse(struct hull_str v, struct gver *g, struct hull_err *err)
{
	if (ver_check_len("gem", v, err) < 0)
		return -1;
	struct hull_str t = v;
	while (t.len && gem_space(t.ptr[0]))
		t.ptr++, t.len--;
	while (t.len && gem_space(t.ptr[t.len - 1]))
		t.len--;
	if (gem_check(v, t, err) < 0)
		return -1;
	g->n = 0;
	for (size_t i = 0; i < t.len;) {
		if (t.ptr[i] == '-') {
			if (push(g, v, HULL_STR_LIT("pre"), false, err) < 0)
				return -1;
			i++;
			continue;
		}
		if (!ver_isalnum(t.ptr[i])) {
			i++;
			continue;
		}
		bool num = ver_isdigit(t.ptr[i]);
		size_t st = i;
		while (i < t.len && (num ? ver_isdigit(t.ptr[i]) : ver_isalpha(t.ptr[i])))
			i++;
		if (push(g, v, hull_str(t.ptr + st, i - st), num, err) < 0)
			return -1;
	}
	/* drop the trailing zeros of the release part and of the rest */
	int first_str = 0;
	while (first_str < g->n && g->seg[first_str].num)
		first_str++;
	int rel_end = first_str;
	while (rel_end > 0 && all_zero(g->seg[rel_end - 1].s))
		rel_end--;
	int end = g->n;
	while (end > first_str && g->seg[end - 1].num && all_zero(g->seg[end - 1].s))
		end--;
	memmove(g->seg + rel_end, g->seg + first_str,
	        (size_t)(end - first_str) * sizeof(g->seg[0]));
	g->n = rel_end + (end - first_str);
	return 0;
}

static int seg_cmp(const struct gseg *a, const struct gseg *b)
{
	if (a->num && b->num)
		return ver_digits_cmp(a->s, b->s);
	if (a->num != b->num)
		return a->num ? 1 : -1;
	size_t n = a->s.len < b->s.len ? a->s.len : b->s.len;
	int c = memcmp(a->s.ptr, b->s.ptr, n);
	if (c)
		return ver_sign(c);
	return (a->s.len > b->s.len) - (a->s.len < b->s.len);
}

static int gem_cmp(const struct gver *a, const struct gver *b)
{
	static const struct gseg zero = {{"0", 1}, true};
	int n = a->n > b->n ? a->n : b->n;
	for (int i = 0; i < n; i++) {
		int c = seg_cmp(i < a->n ? &a->seg[i] : &zero, i < b->n ? &b->seg[i] : &zero);
		if (c)
			return c;
	}
	return 0;
}

int ver_gem_validate(struct hull_str v, struct hull_err *err)
{
	struct gver g;
	return gem_parse(v, &g, err);
}

int ver_gem_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct gver ga, gb;
	if (gem_parse(a, &ga, err) < 0 || gem_parse(b, &gb, err) < 0)
		return -1;
	*cmp = gem_cmp(&ga, &gb);
	return 0;
}
