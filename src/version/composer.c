/* composer: Packagist versions, as Composer compares them.
 *
 * A version is first normalised as composer/semver's
 * VersionParser::normalize does for classical versions: blanks trimmed, a
 * "@stability" flag dropped, an optional "v", 1 to 5 digits then at most
 * three ".digits", padded to four numbers ("v2.0" -> "2.0.0.0"); then an
 * optional modifier `[._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)`
 * followed by `[.-]?digits` groups, and an optional `[.-]?dev`, all case
 * insensitive. The stability is expanded (a -> alpha, b -> beta, p and pl
 * -> patch, rc -> RC), "stable" drops the modifier, and "-dev" is kept.
 * The normalised strings are then compared with PHP's version_compare()
 * (php-src ext/standard/versioning.c): '-', '_' and '+' become '.', a dot
 * is put between digits and letters, parts are compared as numbers or as
 * special forms dev < alpha = a < beta = b < RC = rc < number < pl = p
 * (prefix match; anything else below dev), and a version with more parts
 * is greater when the next one is a number, else as that form against a
 * number. "+build" metadata is dropped. Date versions, branches ("dev-main", "1.x-dev") and aliases
 * are not comparable and are refused. */
#include <string.h>

#include "version/internal.h"

#define COMPOSER_NORM_MAX (HULL_VERSION_MAX_LEN + 32)

static bool ieq_prefix(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (ver_lower((unsigned char)s[i]) != word[i])
			return false;
	return true;
}

struct nbuf {
	char b[COMPOSER_NORM_MAX];
	size_t n;
};

static void put(struct nbuf *o, const char *s, size_t n)
{
	if (o->n + n <= sizeof(o->b)) {
		memcpy(o->b + o->n, s, n);
		o->n += n;
	}
}

/* The normalised form of v into o; -1 (with err) when v is not a
 * classical version. */
static int normalize(struct hull_str v, struct nbuf *o, struct hull_err *err)
{
	if (ver_check_len("composer", v, err) < 0)
		return -1;
	struct hull_str t = hull_str_trim(v);
	/* "@stable", "@dev": a stability flag, not part of the version */
	const char *at = t.len ? memrchr(t.ptr, '@', t.len) : NULL;
	if (at) {
		size_t k = (size_t)(t.ptr + t.len - at) - 1;
		static const char *const flags[] = {"stable", "rc", "beta", "alpha", "dev"};
		for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			if (k == strlen(flags[f]) && ieq_prefix(at + 1, k, flags[f]))
				t.len = (size_t)(at - t.ptr);
	}
	/* "+build" metadata is dropped (composer's normalize), but not
	 * metadata with a blank */
	const char *plus = t.len ? memchr(t.ptr, '+', t.len) : NULL;
	if (plus) {
		for (const char *c = plus; c < t.ptr + t.len; c++)
			if (*c == ' ' || *c == '\t')
				return ver_fail(err, "composer", v, "blank in build metadata");
		t.len = (size_t)(plus - t.ptr);
	}
	const char *s = t.ptr;
	size_t n = t.len, i = 0;
	o->n = 0;
	if (i < n && (s[i] == 'v' || s[i] == 'V'))
		i++;
	size_t st = i;
	while (i < n && ver_isdigit(s[i]))
		i++;
	if (i == st || i - st > 5)
		return ver_fail(err, "composer", v,
		                "not a classical version (digits first, at most 5)");
	put(o, s + st, i - st);
	int parts = 1;
	while (parts < 4 && i + 1 < n && s[i] == '.' && ver_isdigit(s[i + 1])) {
		st = i++;
		while (i < n && ver_isdigit(s[i]))
			i++;
		put(o, s + st, i - st);
		parts++;
	}
	for (; parts < 4; parts++)
		put(o, ".0", 2);
	/* the modifier: [._-]?(?:(stability)((?:[.-]?\d+)*+)?)?([.-]?dev)?$ */
	size_t m = i;
	if (m < n && (s[m] == '.' || s[m] == '_' || s[m] == '-'))
		m++;
	static const struct {
		const char *word, *expanded;
	} stab[] = {
	    /* in the regex's order: the first that matches the whole rest wins */
	    {"stable", NULL},   {"beta", "beta"},   {"b", "beta"},
	    {"rc", "RC"},       {"alpha", "alpha"}, {"a", "alpha"},
	    {"patch", "patch"}, {"pl", "patch"},    {"p", "patch"},
	};
	for (size_t k = 0; k < sizeof(stab) / sizeof(stab[0]); k++) {
		if (!ieq_prefix(s + m, n - m, stab[k].word))
			continue;
		size_t j = m + strlen(stab[k].word), dst = j;
		for (;;) { /* possessive: as many digit groups as there are */
			size_t q = j;
			if (q < n && (s[q] == '.' || s[q] == '-'))
				q++;
			if (q >= n || !ver_isdigit(s[q]))
				break;
			while (q < n && ver_isdigit(s[q]))
				q++;
			j = q;
		}
		size_t dend = j, q = j;
		if (q < n && (s[q] == '.' || s[q] == '-'))
			q++;
		bool dev = q + 3 == n && ieq_prefix(s + q, 3, "dev");
		if (!dev && j != n)
			continue;
		/* composer returns at once on "stable" written in lower case (no
		 * -dev either); other spellings are lowercased and kept */
		bool stable_exact = !stab[k].expanded && !memcmp(s + m, "stable", 6);
		if (!stable_exact) {
			const char *e = stab[k].expanded ? stab[k].expanded : "stable";
			put(o, "-", 1);
			put(o, e, strlen(e));
			while (dst < dend && (s[dst] == '.' || s[dst] == '-'))
				dst++;
			put(o, s + dst, dend - dst);
			if (dev)
				put(o, "-dev", 4);
		}
		i = n;
		break;
	}
	if (i != n) {
		size_t q = m;
		if (q < n && (s[q] == '.' || s[q] == '-'))
			q++;
		if (q + 3 == n && ieq_prefix(s + q, 3, "dev")) {
			put(o, "-dev", 4);
			i = n;
		} else if (m == n) {
			i = n;
		}
	}
	if (i != n)
		return ver_fail(err, "composer", v, "not a classical version (at offset %zu)", i);
	if (o->n >= sizeof(o->b))
		return ver_fail(err, "composer", v, "too long");
	return 0;
}

/* ---- PHP version_compare ---- */

/* php_canonicalize_version into out (at most 2x the input). */
static size_t php_canon(const char *v, size_t n, char *out)
{
	size_t q = 0;
	if (!n)
		return 0;
	char lp = v[0];
	out[q++] = v[0];
	for (size_t p = 1; p < n; p++) {
		char c = v[p];
		bool dig = ver_isdigit(c), ldig = ver_isdigit(lp);
		bool lndig = !ldig && lp != '.', ndig = !dig && c != '.';
		if (c == '-' || c == '_' || c == '+') {
			if (out[q - 1] != '.')
				out[q++] = '.';
		} else if ((lndig && dig) || (ldig && ndig)) {
			if (out[q - 1] != '.')
				out[q++] = '.';
			out[q++] = c;
		} else if (!ver_isalnum(c)) {
			if (out[q - 1] != '.')
				out[q++] = '.';
		} else {
			out[q++] = c;
		}
		lp = c;
	}
	return q;
}

static int special(struct hull_str part)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
	             {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t k = strlen(forms[i].name);
		if (part.len >= k && !memcmp(part.ptr, forms[i].name, k))
			return forms[i].order;
	}
	return -6;
}

static struct hull_str next_part(struct hull_str *rest)
{
	struct hull_str part, tail;
	if (!hull_str_split(*rest, '.', &part, &tail))
		tail = hull_str(rest->ptr + rest->len, 0);
	*rest = tail;
	return part;
}

static int php_compare(struct hull_str a, struct hull_str b)
{
	static const struct hull_str num = {"#N#", 3};
	int c = 0;
	while (c == 0 && a.len && b.len) {
		struct hull_str pa = next_part(&a), pb = next_part(&b);
		bool da = pa.len && ver_isdigit(pa.ptr[0]), db = pb.len && ver_isdigit(pb.ptr[0]);
		if (da && db)
			c = ver_digits_cmp(pa, pb);
		else if (!da && !db)
			c = ver_sign(special(pa) - special(pb));
		else if (da)
			c = ver_sign(special(num) - special(pb));
		else
			c = ver_sign(special(pa) - special(num));
	}
	if (c == 0) {
		if (a.len)
			c = ver_isdigit(a.ptr[0]) ? 1 : php_compare(a, num);
		else if (b.len)
			c = ver_isdigit(b.ptr[0]) ? -1 : php_compare(num, b);
	}
	return c;
}

static int canon(struct hull_str v, char *out, size_t *n, struct hull_err *err)
{
	struct nbuf nb;
	if (normalize(v, &nb, err) < 0)
		return -1;
	*n = php_canon(nb.b, nb.n, out);
	return 0;
}

int ver_composer_validate(struct hull_str v, struct hull_err *err)
{
	struct nbuf nb;
	return normalize(v, &nb, err);
}

int ver_composer_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	char ca[2 * COMPOSER_NORM_MAX], cb[2 * COMPOSER_NORM_MAX];
	size_t na, nb;
	if (canon(a, ca, &na, err) < 0 || canon(b, cb, &nb, err) < 0)
		return -1;
	*cmp = php_compare(hull_str(ca, na), hull_str(cb, nb));
	return 0;
}
