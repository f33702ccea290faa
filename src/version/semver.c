/* semver: SemVer 2.0 versions as node-semver parses them (strict and loose),
 * their precedence, and npm range evaluation (node-semver 7 Range).
 *
 * node-semver evaluates a range by rewriting its text with a series of
 * regular expressions (build strip, hyphen ranges, operator/tilde/caret
 * trims, then ^ ~ x-range and * expansion per comparator) and parsing the
 * result into comparators. hull replays the same rewriting on bounded stack
 * buffers with hand-written matchers for those expressions, so that odd
 * ranges get node-semver's answer, not a plausible one. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "version/internal.h"

#define NPM_MAX_LENGTH   256                 /* node-semver MAX_LENGTH */
#define MAX_SAFE_INTEGER 9007199254740991ull /* 2^53 - 1 */
#define RANGE_MAX_TOKENS 64
#define RANGE_ARENA      8192

static bool is_ldn(int c) /* [a-zA-Z0-9-] */
{
	return ver_isalnum(c) || c == '-';
}

static bool js_space(struct hull_str s, size_t i, size_t *n)
{
	*n = ver_uspace_len(s.ptr + i, s.len - i, false);
	return *n > 0;
}

/* ---- matchers for node-semver's expressions --------------------------- */

/* A dot-separated list of identifiers starting at s[i]; ids are [a-zA-Z0-9-]+
 * and, when strict_num, an all-digit id has no leading zero. Returns the end
 * or 0 on no match. */
static size_t match_ids(struct hull_str s, size_t i, bool strict_num)
{
	for (;;) {
		size_t st = i;
		bool digits = true;
		while (i < s.len && is_ldn(s.ptr[i])) {
			if (!ver_isdigit(s.ptr[i]))
				digits = false;
			i++;
		}
		if (i == st)
			return 0;
		if (strict_num && digits && i - st > 1 && s.ptr[st] == '0')
			return 0;
		if (i < s.len && s.ptr[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

/* A numeric identifier (strict: 0|[1-9]\d*, loose: \d+). Returns the end or 0. */
static size_t match_num(struct hull_str s, size_t i, bool loose)
{
	size_t st = i;
	while (i < s.len && ver_isdigit(s.ptr[i]))
		i++;
	if (i == st)
		return 0;
	if (!loose && i - st > 1 && s.ptr[st] == '0')
		return 0;
	return i;
}

struct xparts {
	struct hull_str M, m, p, pr; /* empty when absent */
	bool has_m, has_p;
};

static bool isX(struct hull_str id)
{
	return id.len == 0 ||
	       (id.len == 1 && (id.ptr[0] == 'x' || id.ptr[0] == 'X' || id.ptr[0] == '*'));
}

static size_t match_xid(struct hull_str s, size_t i, bool loose, struct hull_str *out)
{
	if (i < s.len && (s.ptr[i] == 'x' || s.ptr[i] == 'X' || s.ptr[i] == '*')) {
		*out = hull_str(s.ptr + i, 1);
		return i + 1;
	}
	size_t e = match_num(s, i, loose);
	if (e)
		*out = hull_str(s.ptr + i, e - i);
	return e;
}

/* Pre-release then build after a full x.y.z (PRERELEASE? BUILD? of strict
 * mode, PRERELEASELOOSE? BUILD? of loose mode). Returns the end (== i when
 * both are absent) or 0 when what follows cannot match. */
static size_t match_pre_build(struct hull_str s, size_t i, bool loose, struct hull_str *pr,
                              struct hull_str *build)
{
	size_t st = i, e = 0;
	if (i < s.len && s.ptr[i] == '-') {
		st = i + 1;
		e = match_ids(s, st, !loose);
		if (!e && loose) /* "-?" gives way: '-' starts an identifier */
			e = match_ids(s, st = i, false);
		if (!e)
			return 0;
	} else if (loose && i < s.len && is_ldn(s.ptr[i])) {
		e = match_ids(s, st, false);
		if (!e)
			return 0;
	}
	*pr = hull_str(s.ptr + st, e ? e - st : 0);
	if (e)
		i = e;
	*build = hull_str(s.ptr + i, 0);
	if (i < s.len && s.ptr[i] == '+') {
		e = match_ids(s, i + 1, false);
		if (!e)
			return 0;
		*build = hull_str(s.ptr + i + 1, e - i - 1);
		i = e;
	}
	return i;
}

/* Anchored XRANGEPLAIN / XRANGEPLAINLOOSE on all of s. */
static bool match_xrange_plain(struct hull_str s, bool loose, struct xparts *x)
{
	size_t i = 0, n;
	memset(x, 0, sizeof(*x));
	while (i < s.len &&
	       (s.ptr[i] == 'v' || s.ptr[i] == '=' || (js_space(s, i, &n) && (i += n - 1, true))))
		i++;
	if (!(i = match_xid(s, i, loose, &x->M)))
		return false;
	if (i < s.len && s.ptr[i] == '.') {
		if (!(i = match_xid(s, i + 1, loose, &x->m)))
			return false;
		x->has_m = true;
		if (i < s.len && s.ptr[i] == '.') {
			if (!(i = match_xid(s, i + 1, loose, &x->p)))
				return false;
			x->has_p = true;
			struct hull_str build;
			if (!(i = match_pre_build(s, i, loose, &x->pr, &build)))
				return false;
		}
	}
	return i == s.len;
}

/* Anchored FULLPLAIN (strict) / LOOSEPLAIN on all of s. */
static bool match_plain(struct hull_str s, bool loose, struct hull_semver *v)
{
	size_t i = 0, n;
	if (loose) {
		while (i < s.len && (s.ptr[i] == 'v' || s.ptr[i] == '=' ||
		                     (js_space(s, i, &n) && (i += n - 1, true))))
			i++;
	} else if (i < s.len && s.ptr[i] == 'v') {
		i++;
	}
	struct hull_str num[3];
	for (int k = 0; k < 3; k++) {
		if (k && (i >= s.len || s.ptr[i++] != '.'))
			return false;
		size_t e = match_num(s, i, loose);
		if (!e)
			return false;
		num[k] = hull_str(s.ptr + i, e - i);
		i = e;
	}
	struct hull_str pr, build;
	size_t e = match_pre_build(s, i, loose, &pr, &build);
	if (!e || e != s.len)
		return false;
	uint64_t val[3];
	for (int k = 0; k < 3; k++) {
		val[k] = 0;
		for (size_t j = 0; j < num[k].len; j++) {
			val[k] = val[k] * 10 + (uint64_t)(num[k].ptr[j] - '0');
			if (val[k] > MAX_SAFE_INTEGER) {
				val[k] = MAX_SAFE_INTEGER + 1;
				break;
			}
		}
		if (val[k] > MAX_SAFE_INTEGER)
			return false;
	}
	v->major = val[0], v->minor = val[1], v->patch = val[2];
	v->pre = pr;
	v->pre_loose = loose;
	v->build = build;
	return true;
}

int hull_semver_parse(struct hull_str v, unsigned flags, struct hull_semver *out,
                      struct hull_err *err)
{
	if (v.len > NPM_MAX_LENGTH)
		return ver_fail(err, "semver", v, "version is longer than %d characters",
		                NPM_MAX_LENGTH);
	struct hull_str t = ver_utrim(v, false);
	struct hull_semver r = {0};
	if (!match_plain(t, flags & HULL_SEMVER_LOOSE, &r))
		return ver_fail(err, "semver", v, "not a %sSemVer version",
		                (flags & HULL_SEMVER_LOOSE) ? "loose " : "");
	*out = r;
	return 0;
}

static bool all_digits(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		if (!ver_isdigit(s.ptr[i]))
			return false;
	}
	return s.len > 0;
}

int ver_semver_pre_cmp(struct hull_str a, struct hull_str b)
{
	/* No pre-release sorts after any pre-release. */
	if (!a.len || !b.len)
		return a.len ? -1 : (b.len ? 1 : 0);
	bool more_a = true, more_b = true;
	while (more_a || more_b) {
		if (!more_a)
			return -1;
		if (!more_b)
			return 1;
		struct hull_str ia, ib;
		more_a = hull_str_split(a, '.', &ia, &a);
		more_b = hull_str_split(b, '.', &ib, &b);
		bool na = all_digits(ia), nb = all_digits(ib);
		int r;
		if (na && nb) {
			r = ver_digits_cmp(ia, ib);
		} else if (na != nb) {
			r = na ? -1 : 1; /* numeric identifiers sort first */
		} else {
			size_t n = ia.len < ib.len ? ia.len : ib.len;
			r = n ? ver_sign(memcmp(ia.ptr, ib.ptr, n)) : 0;
			if (!r && ia.len != ib.len)
				r = ia.len < ib.len ? -1 : 1;
		}
		if (r)
			return r;
	}
	return 0;
}

int hull_semver_cmp(const struct hull_semver *a, const struct hull_semver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return ver_semver_pre_cmp(a->pre, b->pre);
}

int ver_npm_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct hull_semver va, vb;
	if (hull_semver_parse(a, 0, &va, err) < 0 || hull_semver_parse(b, 0, &vb, err) < 0)
		return -1;
	*cmp = hull_semver_cmp(&va, &vb);
	return 0;
}

/* ---- npm ranges -------------------------------------------------------- */

/* All rewritten text lives in one bounded stack arena. */
struct arena {
	char buf[RANGE_ARENA];
	size_t len;
	bool full;
};

static struct hull_str ar_mark(struct arena *ar)
{
	return hull_str(ar->buf + ar->len, 0);
}

static void ar_put(struct arena *ar, struct hull_str *s, const char *p, size_t n)
{
	if (ar->full || RANGE_ARENA - ar->len < n) {
		ar->full = true;
		return;
	}
	memcpy(ar->buf + ar->len, p, n);
	ar->len += n;
	s->len += n;
}

static void ar_puts(struct arena *ar, struct hull_str *s, struct hull_str t)
{
	ar_put(ar, s, t.ptr, t.len);
}

__attribute__((format(printf, 3, 4))) static void ar_printf(struct arena *ar, struct hull_str *s,
                                                            const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		ar->full = true;
		return;
	}
	ar_put(ar, s, tmp, (size_t)n);
}

/* +id + 1 in JavaScript, for the digit strings the expressions capture. */
static uint64_t plus1(struct hull_str digits)
{
	uint64_t v = 0;
	for (size_t i = 0; i < digits.len; i++) {
		v = v * 10 + (uint64_t)(digits.ptr[i] - '0');
		if (v > MAX_SAFE_INTEGER * 2) /* stays invalid once past 2^53 */
			return MAX_SAFE_INTEGER * 2;
	}
	return v + 1;
}

#define S(x) (int)(x).len, (x).ptr

/* BUILDSTRIPRE, global: every "+id(.id)*" goes. */
static struct hull_str strip_builds(struct arena *ar, struct hull_str s)
{
	struct hull_str out = ar_mark(ar);
	for (size_t i = 0; i < s.len;) {
		size_t e;
		if (s.ptr[i] == '+' && (e = match_ids(s, i + 1, false)) != 0) {
			i = e;
			continue;
		}
		ar_put(ar, &out, s.ptr + i, 1);
		i++;
	}
	return out;
}

static bool eq_c(struct hull_str s, const char *c)
{
	return hull_str_eq_c(s, c);
}

/* HYPHENRANGE: "X1 - X2" becomes ">=X1 <=X2" with x's filled in. */
static bool hyphen_replace(struct arena *ar, struct hull_str s, bool loose, bool incpr,
                           struct hull_str *out)
{
	for (size_t k = 1; k + 3 < s.len; k++) {
		if (memcmp(s.ptr + k, " - ", 3))
			continue;
		struct hull_str from = hull_str(s.ptr, k),
		                to = hull_str(s.ptr + k + 3, s.len - k - 3);
		struct xparts f, t;
		if (!match_xrange_plain(from, loose, &f) || !match_xrange_plain(to, loose, &t))
			continue;
		const char *z = incpr ? "-0" : "";
		struct hull_str r = ar_mark(ar);
		if (isX(f.M))
			;
		else if (isX(f.m))
			ar_printf(ar, &r, ">=%.*s.0.0%s", S(f.M), z);
		else if (isX(f.p))
			ar_printf(ar, &r, ">=%.*s.%.*s.0%s", S(f.M), S(f.m), z);
		else if (f.pr.len)
			ar_printf(ar, &r, ">=%.*s", S(from));
		else
			ar_printf(ar, &r, ">=%.*s%s", S(from), z);
		ar_put(ar, &r, " ", 1);
		if (isX(t.M))
			;
		else if (isX(t.m))
			ar_printf(ar, &r, "<%" PRIu64 ".0.0-0", plus1(t.M));
		else if (isX(t.p))
			ar_printf(ar, &r, "<%.*s.%" PRIu64 ".0-0", S(t.M), plus1(t.m));
		else if (t.pr.len)
			ar_printf(ar, &r, "<=%.*s.%.*s.%.*s-%.*s", S(t.M), S(t.m), S(t.p), S(t.pr));
		else if (incpr)
			ar_printf(ar, &r, "<%.*s.%.*s.%" PRIu64 "-0", S(t.M), S(t.m), plus1(t.p));
		else
			ar_printf(ar, &r, "<=%.*s", S(to));
		*out = hull_str_trim(r);
		return true;
	}
	return false;
}

static size_t gtlt_len(struct hull_str s, size_t i)
{
	size_t n = 0;
	if (i < s.len && (s.ptr[i] == '<' || s.ptr[i] == '>'))
		n++;
	if (i + n < s.len && s.ptr[i + n] == '=')
		n++;
	return n;
}

/* COMPARATORTRIM ("> 1.2" -> ">1.2"), TILDETRIM ("~> 1" -> "~1") and
 * CARETTRIM ("^ 1" -> "^1") on a whitespace-normalised part. */
static struct hull_str trims(struct arena *ar, struct hull_str s)
{
	struct hull_str out = ar_mark(ar);
	for (size_t i = 0; i < s.len;) {
		bool tok_start = i == 0 || s.ptr[i - 1] == ' ';
		size_t g = tok_start ? gtlt_len(s, i) : 0;
		if (g && i + g + 1 < s.len && s.ptr[i + g] == ' ') {
			size_t j = i + g + 1;
			while (j < s.len && (s.ptr[j] == 'v' || s.ptr[j] == '=' || s.ptr[j] == ' '))
				j++;
			if (j < s.len && (ver_isdigit(s.ptr[j]) || s.ptr[j] == 'x' ||
			                  s.ptr[j] == 'X' || s.ptr[j] == '*')) {
				ar_put(ar, &out, s.ptr + i, g);
				i += g + 1;
				continue;
			}
		}
		if (s.ptr[i] == '~') {
			size_t j = i + 1;
			if (j < s.len && s.ptr[j] == '>')
				j++;
			if (j < s.len && s.ptr[j] == ' ') {
				ar_put(ar, &out, "~", 1);
				i = j + 1;
				continue;
			}
		}
		if (s.ptr[i] == '^' && i + 1 < s.len && s.ptr[i + 1] == ' ') {
			ar_put(ar, &out, "^", 1);
			i += 2;
			continue;
		}
		ar_put(ar, &out, s.ptr + i, 1);
		i++;
	}
	return out;
}

enum rw { RW_CARET, RW_TILDE, RW_XRANGE };

static void caret(struct arena *ar, struct hull_str *r, const struct xparts *x, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	bool M0 = eq_c(x->M, "0"), m0 = eq_c(x->m, "0");
	if (isX(x->M))
		return;
	if (isX(x->m)) {
		ar_printf(ar, r, ">=%.*s.0.0%s <%" PRIu64 ".0.0-0", S(x->M), z, plus1(x->M));
	} else if (isX(x->p)) {
		if (M0)
			ar_printf(ar, r, ">=%.*s.%.*s.0%s <%.*s.%" PRIu64 ".0-0", S(x->M), S(x->m),
			          z, S(x->M), plus1(x->m));
		else
			ar_printf(ar, r, ">=%.*s.%.*s.0%s <%" PRIu64 ".0.0-0", S(x->M), S(x->m), z,
			          plus1(x->M));
	} else {
		struct hull_str lo = ar_mark(ar);
		if (x->pr.len)
			ar_printf(ar, &lo, ">=%.*s.%.*s.%.*s-%.*s", S(x->M), S(x->m), S(x->p),
			          S(x->pr));
		else
			ar_printf(ar, &lo, ">=%.*s.%.*s.%.*s", S(x->M), S(x->m), S(x->p));
		r->len += lo.len;
		if (M0 && m0)
			ar_printf(ar, r, " <%.*s.%.*s.%" PRIu64 "-0", S(x->M), S(x->m),
			          plus1(x->p));
		else if (M0)
			ar_printf(ar, r, " <%.*s.%" PRIu64 ".0-0", S(x->M), plus1(x->m));
		else
			ar_printf(ar, r, " <%" PRIu64 ".0.0-0", plus1(x->M));
	}
}

static void tilde(struct arena *ar, struct hull_str *r, const struct xparts *x, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	if (isX(x->M))
		return;
	if (isX(x->m))
		ar_printf(ar, r, ">=%.*s.0.0%s <%" PRIu64 ".0.0-0", S(x->M), z, plus1(x->M));
	else if (isX(x->p))
		ar_printf(ar, r, ">=%.*s.%.*s.0%s <%.*s.%" PRIu64 ".0-0", S(x->M), S(x->m), z,
		          S(x->M), plus1(x->m));
	else if (x->pr.len)
		ar_printf(ar, r, ">=%.*s.%.*s.%.*s-%.*s <%.*s.%" PRIu64 ".0-0", S(x->M), S(x->m),
		          S(x->p), S(x->pr), S(x->M), plus1(x->m));
	else
		ar_printf(ar, r, ">=%.*s.%.*s.%.*s <%.*s.%" PRIu64 ".0-0", S(x->M), S(x->m),
		          S(x->p), S(x->M), plus1(x->m));
}

/* replaceXRange for one comparator; false when it leaves comp unchanged. */
static bool xrange(struct arena *ar, struct hull_str *r, struct hull_str comp, bool loose,
                   bool incpr)
{
	size_t g = gtlt_len(comp, 0);
	struct hull_str gtlt = hull_str(comp.ptr, g), rest = hull_str(comp.ptr + g, comp.len - g);
	if (rest.len && rest.ptr[0] == ' ')
		rest.ptr++, rest.len--;
	struct xparts x;
	if (!match_xrange_plain(rest, loose, &x))
		return false;
	if ((isX(x.M) && !isX(x.m)) || (isX(x.m) && x.has_p && !isX(x.p)))
		return false; /* invalidXRangeOrder */
	bool xM = isX(x.M), xm = xM || isX(x.m), xp = xm || isX(x.p);
	if (eq_c(gtlt, "=") && xp)
		gtlt.len = 0;
	const char *pr = incpr ? "-0" : "";
	if (xM) {
		ar_printf(ar, r, "%s", (eq_c(gtlt, ">") || eq_c(gtlt, "<")) ? "<0.0.0-0" : "*");
	} else if (gtlt.len && xp) {
		char Mv[32], mv[32];
		snprintf(Mv, sizeof(Mv), "%.*s", S(x.M));
		if (xm)
			strcpy(mv, "0");
		else
			snprintf(mv, sizeof(mv), "%.*s", S(x.m));
		const char *op = eq_c(gtlt, ">=")  ? ">="
		                 : eq_c(gtlt, "<") ? "<"
		                 : eq_c(gtlt, ">") ? ">"
		                                   : "<=";
		if (!strcmp(op, ">")) {
			op = ">=";
			if (xm)
				snprintf(Mv, sizeof(Mv), "%" PRIu64, plus1(x.M));
			else
				snprintf(mv, sizeof(mv), "%" PRIu64, plus1(x.m));
		} else if (!strcmp(op, "<=")) {
			op = "<";
			if (xm)
				snprintf(Mv, sizeof(Mv), "%" PRIu64, plus1(x.M));
			else
				snprintf(mv, sizeof(mv), "%" PRIu64, plus1(x.m));
		}
		if (!strcmp(op, "<"))
			pr = "-0";
		ar_printf(ar, r, "%s%s.%s.0%s", op, Mv, mv, pr);
	} else if (xm) {
		ar_printf(ar, r, ">=%.*s.0.0%s <%" PRIu64 ".0.0-0", S(x.M), pr, plus1(x.M));
	} else if (xp) {
		ar_printf(ar, r, ">=%.*s.%.*s.0%s <%.*s.%" PRIu64 ".0-0", S(x.M), S(x.m), pr,
		          S(x.M), plus1(x.m));
	} else {
		return false;
	}
	return true;
}

/* One rewrite over every space-separated token of s. */
static struct hull_str map_tokens(struct arena *ar, struct hull_str s, enum rw kind, bool loose,
                                  bool incpr)
{
	struct hull_str out = ar_mark(ar), tok, rest = hull_str_trim(s);
	bool more = true, first = true;
	while (more) {
		more = hull_str_split(rest, ' ', &tok, &rest);
		if (!tok.len && more)
			continue;
		if (!first)
			ar_put(ar, &out, " ", 1);
		first = false;
		struct hull_str r = ar_mark(ar);
		struct xparts x;
		bool done = false;
		if (kind == RW_CARET && tok.len && tok.ptr[0] == '^' &&
		    match_xrange_plain(hull_str(tok.ptr + 1, tok.len - 1), loose, &x)) {
			caret(ar, &r, &x, incpr);
			done = true;
		} else if (kind == RW_TILDE && tok.len && tok.ptr[0] == '~') {
			size_t o = (tok.len > 1 && tok.ptr[1] == '>') ? 2 : 1;
			if (match_xrange_plain(hull_str(tok.ptr + o, tok.len - o), loose, &x)) {
				tilde(ar, &r, &x, incpr);
				done = true;
			}
		} else if (kind == RW_XRANGE) {
			done = xrange(ar, &r, tok, loose, incpr);
		}
		if (!done)
			ar_puts(ar, &r, tok);
		out.len += r.len;
	}
	return out;
}

/* STAR: the first "(<|>)?=?\s?\*" goes. */
static struct hull_str replace_star(struct arena *ar, struct hull_str s)
{
	s = hull_str_trim(s);
	for (size_t i = 0; i < s.len; i++) {
		size_t j = i;
		if (j < s.len && (s.ptr[j] == '<' || s.ptr[j] == '>'))
			j++;
		if (j < s.len && s.ptr[j] == '=')
			j++;
		if (j < s.len && s.ptr[j] == ' ')
			j++;
		if (j < s.len && s.ptr[j] == '*') {
			struct hull_str out = ar_mark(ar);
			ar_put(ar, &out, s.ptr, i);
			ar_put(ar, &out, s.ptr + j + 1, s.len - j - 1);
			return out;
		}
	}
	return s;
}

enum cop { C_ANY, C_EQ, C_LT, C_LE, C_GT, C_GE };

struct comparator {
	enum cop op;
	struct hull_semver v;
};

struct compset {
	struct comparator c[RANGE_MAX_TOKENS];
	size_t n;
};

/* new Comparator(tok): "^GTLT\s*(FULLPLAIN)$|^$". */
static bool parse_comparator(struct hull_str tok, bool loose, struct comparator *c)
{
	if (!tok.len) {
		c->op = C_ANY;
		return true;
	}
	size_t g = gtlt_len(tok, 0);
	struct hull_str op = hull_str(tok.ptr, g), rest = hull_str(tok.ptr + g, tok.len - g);
	if (rest.len && rest.ptr[0] == ' ')
		rest.ptr++, rest.len--;
	if (!match_plain(rest, loose, &c->v) || rest.len > NPM_MAX_LENGTH)
		return false;
	c->op = eq_c(op, "<")    ? C_LT
	        : eq_c(op, "<=") ? C_LE
	        : eq_c(op, ">")  ? C_GT
	        : eq_c(op, ">=") ? C_GE
	                         : C_EQ;
	return true;
}

/* Range.parseRange on one '||' part. An empty *set means the part was
 * dropped (loose mode filtered every comparator out). */
static int parse_part(struct hull_str whole, struct hull_str part, unsigned flags, struct arena *ar,
                      struct compset *set, struct hull_err *err)
{
	bool loose = flags & HULL_SEMVER_LOOSE, incpr = flags & HULL_SEMVER_INCLUDE_PRERELEASE;
	ar->len = 0;
	ar->full = false;
	struct hull_str s = strip_builds(ar, part), h;
	if (hyphen_replace(ar, s, loose, incpr, &h))
		s = h;
	s = trims(ar, s);

	/* split(' ').map(parseComparator).join(' ') */
	struct hull_str pieces[RANGE_MAX_TOKENS], tok, rest = s;
	size_t np = 0;
	bool more = true;
	while (more) {
		more = hull_str_split(rest, ' ', &tok, &rest);
		if (np == RANGE_MAX_TOKENS)
			return ver_fail(err, "npm range", whole, "more than %d comparators",
			                RANGE_MAX_TOKENS);
		struct hull_str c = map_tokens(ar, tok, RW_CARET, loose, incpr);
		c = map_tokens(ar, c, RW_TILDE, loose, incpr);
		c = map_tokens(ar, c, RW_XRANGE, loose, incpr);
		pieces[np++] = replace_star(ar, c);
	}
	struct hull_str joined = ar_mark(ar);
	for (size_t k = 0; k < np; k++) {
		if (k)
			ar_put(ar, &joined, " ", 1);
		ar_puts(ar, &joined, pieces[k]);
	}
	if (ar->full)
		return ver_fail(err, "npm range", whole, "range too long to expand");

	/* .split(/\s+/) keeps a leading and a trailing empty token; then
	 * replaceGTE0, the loose filter and new Comparator on each. */
	set->n = 0;
	size_t i = 0, st = 0;
	for (bool last = false; !last;) {
		while (i < joined.len && joined.ptr[i] != ' ')
			i++;
		tok = hull_str(joined.ptr + st, i - st);
		last = i >= joined.len;
		while (i < joined.len && joined.ptr[i] == ' ')
			i++;
		st = i;
		if (eq_c(tok, incpr ? ">=0.0.0-0" : ">=0.0.0"))
			tok.len = 0;
		struct comparator c;
		if (!parse_comparator(tok, loose, &c)) {
			if (loose)
				continue;
			return ver_fail(err, "npm range", whole, "invalid comparator '%.*s'",
			                S(tok));
		}
		if (set->n == RANGE_MAX_TOKENS)
			return ver_fail(err, "npm range", whole, "more than %d comparators",
			                RANGE_MAX_TOKENS);
		set->c[set->n++] = c;
	}
	return 0;
}

static bool comparator_test(const struct comparator *c, const struct hull_semver *v)
{
	if (c->op == C_ANY)
		return true;
	int r = hull_semver_cmp(v, &c->v);
	switch (c->op) {
	case C_EQ:
		return r == 0;
	case C_LT:
		return r < 0;
	case C_LE:
		return r <= 0;
	case C_GT:
		return r > 0;
	case C_GE:
		return r >= 0;
	default:
		return true;
	}
}

static bool test_set(const struct compset *set, const struct hull_semver *v, bool incpr)
{
	for (size_t i = 0; i < set->n; i++) {
		if (!comparator_test(&set->c[i], v))
			return false;
	}
	if (!v->pre.len || incpr)
		return true;
	/* A pre-release only matches when a comparator names a pre-release of
	 * the same major.minor.patch. */
	for (size_t i = 0; i < set->n; i++) {
		const struct comparator *c = &set->c[i];
		if (c->op != C_ANY && c->v.pre.len && c->v.major == v->major &&
		    c->v.minor == v->minor && c->v.patch == v->patch)
			return true;
	}
	return false;
}

/* JavaScript's range.trim().replace(/\s+/g, ' ') into buf. */
static struct hull_str normalize_space(struct hull_str s, char *buf, size_t cap)
{
	s = ver_utrim(s, false);
	size_t n = 0, w;
	for (size_t i = 0; i < s.len && n < cap;) {
		if (js_space(s, i, &w)) {
			while (i < s.len && js_space(s, i, &w))
				i += w;
			buf[n++] = ' ';
			continue;
		}
		buf[n++] = s.ptr[i++];
	}
	return hull_str(buf, n);
}

int hull_npm_range_satisfies(struct hull_str range, struct hull_str version, unsigned flags,
                             bool *sat, struct hull_err *err)
{
	if (range.len > HULL_VERSION_MAX_LEN)
		return ver_check_len("npm range", range, err);
	char buf[HULL_VERSION_MAX_LEN];
	struct hull_str r = normalize_space(range, buf, sizeof(buf));
	struct arena arena_store, *arena = &arena_store;
	struct hull_semver v;
	bool have_v = hull_semver_parse(version, flags & HULL_SEMVER_LOOSE, &v, NULL) == 0;
	bool any_set = false, result = false;
	struct hull_str part, rest = r;
	bool more = true;
	while (more) {
		long bar = -1;
		for (size_t i = 0; i + 1 < rest.len; i++) {
			if (rest.ptr[i] == '|' && rest.ptr[i + 1] == '|') {
				bar = (long)i;
				break;
			}
		}
		if (bar < 0) {
			part = rest;
			more = false;
		} else {
			part = hull_str(rest.ptr, (size_t)bar);
			rest = hull_str(rest.ptr + bar + 2, rest.len - (size_t)bar - 2);
		}
		/* the comparators point into the arena: it outlives their test */
		struct compset set;
		if (parse_part(range, hull_str_trim(part), flags, arena, &set, err) < 0)
			return -1;
		if (!set.n)
			continue;
		any_set = true;
		if (have_v && test_set(&set, &v, flags & HULL_SEMVER_INCLUDE_PRERELEASE))
			result = true;
	}
	if (!any_set)
		return ver_fail(err, "npm range", range, "invalid SemVer range");
	*sat = result;
	return 0;
}

/* ---- OSV SEMVER range type --------------------------------------------- */

struct osv_sv {
	struct hull_str num[3];
	struct hull_str pre;
};

/* osv.dev's semver_index.coerce(): drop a leading "v", fill a missing minor
 * or patch with 0 (leading zeros of the numbers do not matter to the
 * order), then parse the rest as strict SemVer 2.0. */
static int osv_sv_parse(struct hull_str v, struct osv_sv *out, struct hull_err *err)
{
	if (ver_check_len("semver", v, err) < 0)
		return -1;
	size_t i = (v.len && v.ptr[0] == 'v') ? 1 : 0;
	for (int k = 0; k < 3; k++) {
		out->num[k] = HULL_STR_LIT("0");
		if (k && !(i + 1 < v.len && v.ptr[i] == '.' && ver_isdigit(v.ptr[i + 1])))
			continue;
		if (k)
			i++;
		size_t st = i;
		while (i < v.len && ver_isdigit(v.ptr[i]))
			i++;
		if (i == st)
			return ver_fail(err, "semver", v, "does not start with a number");
		out->num[k] = hull_str(v.ptr + st, i - st);
	}
	struct hull_str build;
	size_t e = match_pre_build(v, i, false, &out->pre, &build);
	if (!e || e != v.len)
		return ver_fail(err, "semver", v, "not a SemVer 2.0 version");
	return 0;
}

int ver_osv_semver_validate(struct hull_str v, struct hull_err *err)
{
	struct osv_sv s;
	return osv_sv_parse(v, &s, err);
}

int ver_osv_semver_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct osv_sv x, y;
	if (osv_sv_parse(a, &x, err) < 0 || osv_sv_parse(b, &y, err) < 0)
		return -1;
	int r = 0;
	for (int k = 0; k < 3 && !r; k++)
		r = ver_digits_cmp(x.num[k], y.num[k]);
	*cmp = r ? r : ver_semver_pre_cmp(x.pre, y.pre);
	return 0;
}
