/* pep440: Python package versions as pypa/packaging's Version parses,
 * normalises and orders them, and SpecifierSet.contains().
 *
 * Numbers are kept as digit slices and compared as unbounded integers, as
 * Python does. A version is parsed into a fixed-size struct (at most
 * PEP_MAX_RELEASE release numbers and PEP_MAX_LOCAL local segments; longer
 * versions are rejected with HULL_ERR_LIMIT). */
#include <stdio.h>
#include <string.h>

#include "version/internal.h"

#define PEP_MAX_RELEASE 64
#define PEP_MAX_LOCAL   32

enum { PRE_A, PRE_B, PRE_RC, PRE_NONE };

struct pep440 {
	struct hull_str epoch; /* empty = 0 */
	struct hull_str release[PEP_MAX_RELEASE];
	size_t n_release;
	int pre;               /* PRE_A.. or PRE_NONE */
	struct hull_str pre_n; /* empty = 0 */
	bool has_post, has_dev, has_local;
	struct hull_str post_n, dev_n;
	struct hull_str local[PEP_MAX_LOCAL];
	size_t n_local;
	bool wildcard; /* trailing ".*" (specifiers only) */
};

struct cursor {
	struct hull_str s;
	size_t i;
};

static bool at_end(const struct cursor *c)
{
	return c->i >= c->s.len;
}

static int peek(const struct cursor *c)
{
	return at_end(c) ? -1 : (unsigned char)c->s.ptr[c->i];
}

static bool is_sep(int ch)
{
	return ch == '-' || ch == '_' || ch == '.';
}

static struct hull_str digits(struct cursor *c)
{
	size_t st = c->i;
	while (!at_end(c) && ver_isdigit(c->s.ptr[c->i]))
		c->i++;
	return hull_str(c->s.ptr + st, c->i - st);
}

/* Case-insensitive keyword at the cursor; advances past it. */
static bool keyword(struct cursor *c, const char *kw)
{
	size_t n = strlen(kw);
	if (c->s.len - c->i < n)
		return false;
	for (size_t k = 0; k < n; k++) {
		if (ver_lower(c->s.ptr[c->i + k]) != kw[k])
			return false;
	}
	c->i += n;
	return true;
}

static void opt_sep(struct cursor *c)
{
	if (is_sep(peek(c)))
		c->i++;
}

static bool parse_pre(struct cursor *c, struct pep440 *v)
{
	static const struct {
		const char *kw;
		int val;
	} kws[] = {{"alpha", PRE_A}, {"beta", PRE_B}, {"preview", PRE_RC}, {"pre", PRE_RC},
	           {"rc", PRE_RC},   {"a", PRE_A},    {"b", PRE_B},        {"c", PRE_RC}};
	struct cursor save = *c;
	opt_sep(c);
	for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++) {
		if (keyword(c, kws[k].kw)) {
			v->pre = kws[k].val;
			/* A separator with no number after it stays consumed: the
			 * following parts take an optional separator of their own. */
			opt_sep(c);
			v->pre_n = digits(c);
			return true;
		}
	}
	*c = save;
	return false;
}

static bool parse_post(struct cursor *c, struct pep440 *v)
{
	struct cursor save = *c;
	if (peek(c) == '-' && c->i + 1 < c->s.len && ver_isdigit(c->s.ptr[c->i + 1])) {
		c->i++;
		v->post_n = digits(c);
		v->has_post = true;
		return true;
	}
	opt_sep(c);
	if (keyword(c, "post") || keyword(c, "rev") || keyword(c, "r")) {
		opt_sep(c);
		v->post_n = digits(c);
		v->has_post = true;
		return true;
	}
	*c = save;
	return false;
}

static bool parse_dev(struct cursor *c, struct pep440 *v)
{
	struct cursor save = *c;
	opt_sep(c);
	if (keyword(c, "dev")) {
		opt_sep(c);
		v->dev_n = digits(c);
		v->has_dev = true;
		return true;
	}
	*c = save;
	return false;
}

static bool local_char(int ch)
{
	return ch >= 0 && ch < 0x80 && ver_isalnum(ch);
}

/* Parses s (already trimmed) into v. wildcard_ok: a trailing ".*" after the
 * release is accepted (== and != specifiers). */
static int parse(struct hull_str whole, struct hull_str s, struct pep440 *v, bool wildcard_ok,
                 struct hull_err *err)
{
	memset(v, 0, sizeof(*v));
	v->pre = PRE_NONE;
	struct cursor c = {s, 0};
	if (peek(&c) == 'v' || peek(&c) == 'V')
		c.i++;
	struct hull_str n = digits(&c);
	if (!n.len)
		return ver_fail(err, "pep440", whole, "expected a release number at offset %zu",
		                c.i);
	if (peek(&c) == '!') {
		v->epoch = n;
		c.i++;
		n = digits(&c);
		if (!n.len)
			return ver_fail(err, "pep440", whole,
			                "expected a release number after '!'");
	}
	v->release[v->n_release++] = n;
	while (peek(&c) == '.' && c.i + 1 < s.len && ver_isdigit(s.ptr[c.i + 1])) {
		c.i++;
		if (v->n_release == PEP_MAX_RELEASE) {
			ver_fail(err, "pep440", whole, "more than %d release numbers",
			         PEP_MAX_RELEASE);
			if (err)
				err->kind = HULL_ERR_LIMIT;
			return -1;
		}
		v->release[v->n_release++] = digits(&c);
	}
	if (wildcard_ok && c.s.len - c.i == 2 && !memcmp(s.ptr + c.i, ".*", 2)) {
		v->wildcard = true;
		return 0;
	}
	parse_pre(&c, v);
	parse_post(&c, v);
	parse_dev(&c, v);
	if (peek(&c) == '+') {
		c.i++;
		v->has_local = true;
		for (;;) {
			size_t st = c.i;
			while (local_char(peek(&c)))
				c.i++;
			if (c.i == st)
				return ver_fail(err, "pep440", whole,
				                "empty local segment at offset %zu", c.i);
			if (v->n_local == PEP_MAX_LOCAL) {
				ver_fail(err, "pep440", whole, "more than %d local segments",
				         PEP_MAX_LOCAL);
				if (err)
					err->kind = HULL_ERR_LIMIT;
				return -1;
			}
			v->local[v->n_local++] = hull_str(s.ptr + st, c.i - st);
			if (!is_sep(peek(&c)))
				break;
			c.i++;
		}
	}
	if (!at_end(&c))
		return ver_fail(err, "pep440", whole, "unexpected '%c' at offset %zu",
		                peek(&c) >= 0x20 && peek(&c) < 0x7f ? peek(&c) : '?', c.i);
	return 0;
}

static int parse_version(struct hull_str v, struct pep440 *out, struct hull_err *err)
{
	if (ver_check_len("pep440", v, err) < 0)
		return -1;
	return parse(v, ver_utrim(v, true), out, false, err);
}

int ver_pep440_validate(struct hull_str v, struct hull_err *err)
{
	struct pep440 p;
	return parse_version(v, &p, err);
}

static struct hull_str zero(struct hull_str s)
{
	return s.len ? s : HULL_STR_LIT("0");
}

static bool is_zero(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] != '0')
			return false;
	}
	return true;
}

static int release_cmp(const struct pep440 *a, const struct pep440 *b)
{
	size_t n = a->n_release > b->n_release ? a->n_release : b->n_release;
	for (size_t i = 0; i < n; i++) {
		struct hull_str x = i < a->n_release ? a->release[i] : HULL_STR_LIT("0");
		struct hull_str y = i < b->n_release ? b->release[i] : HULL_STR_LIT("0");
		int r = ver_digits_cmp(x, y);
		if (r)
			return r;
	}
	return 0;
}

/* The pre-release key of packaging's _cmpkey: a dev-only release sorts
 * before every pre-release, no pre-release after all of them. */
static int pre_rank(const struct pep440 *v)
{
	if (v->pre == PRE_NONE && !v->has_post && v->has_dev)
		return -1;
	return v->pre; /* PRE_NONE is the largest */
}

static bool all_digit(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		if (!ver_isdigit(s.ptr[i]))
			return false;
	}
	return true;
}

static int local_seg_cmp(struct hull_str a, struct hull_str b)
{
	bool na = all_digit(a), nb = all_digit(b);
	if (na && nb)
		return ver_digits_cmp(a, b);
	if (na != nb)
		return na ? 1 : -1; /* numbers sort after strings */
	size_t n = a.len < b.len ? a.len : b.len;
	for (size_t i = 0; i < n; i++) {
		int x = ver_lower(a.ptr[i]), y = ver_lower(b.ptr[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

/* Whole-key comparison; with_local false compares the public versions. */
static int pep_cmp(const struct pep440 *a, const struct pep440 *b, bool with_local)
{
	int r = ver_digits_cmp(zero(a->epoch), zero(b->epoch));
	if (r || (r = release_cmp(a, b)))
		return r;
	int pa = pre_rank(a), pb = pre_rank(b);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->pre != PRE_NONE && (r = ver_digits_cmp(zero(a->pre_n), zero(b->pre_n))))
		return r;
	if (a->has_post != b->has_post)
		return a->has_post ? 1 : -1;
	if (a->has_post && (r = ver_digits_cmp(zero(a->post_n), zero(b->post_n))))
		return r;
	if (a->has_dev != b->has_dev)
		return a->has_dev ? -1 : 1;
	if (a->has_dev && (r = ver_digits_cmp(zero(a->dev_n), zero(b->dev_n))))
		return r;
	if (!with_local)
		return 0;
	if (a->has_local != b->has_local)
		return a->has_local ? 1 : -1;
	size_t n = a->n_local < b->n_local ? a->n_local : b->n_local;
	for (size_t i = 0; i < n; i++) {
		if ((r = local_seg_cmp(a->local[i], b->local[i])))
			return r;
	}
	return a->n_local == b->n_local ? 0 : (a->n_local < b->n_local ? -1 : 1);
}

int ver_pep440_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct pep440 va, vb;
	if (parse_version(a, &va, err) < 0 || parse_version(b, &vb, err) < 0)
		return -1;
	*cmp = pep_cmp(&va, &vb, true);
	return 0;
}

/* ---- normalisation ----------------------------------------------------- */

struct out {
	char *p;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void put_num(struct out *o, struct hull_str d)
{
	while (d.len > 1 && d.ptr[0] == '0')
		d.ptr++, d.len--;
	if (!d.len)
		d = HULL_STR_LIT("0");
	put(o, d.ptr, d.len);
}

static void put_public(struct out *o, const struct pep440 *v)
{
	static const char *const pre_names[] = {"a", "b", "rc"};
	if (v->epoch.len && !is_zero(v->epoch)) {
		put_num(o, v->epoch);
		put(o, "!", 1);
	}
	for (size_t i = 0; i < v->n_release; i++) {
		if (i)
			put(o, ".", 1);
		put_num(o, v->release[i]);
	}
	if (v->pre != PRE_NONE) {
		put(o, pre_names[v->pre], strlen(pre_names[v->pre]));
		put_num(o, v->pre_n);
	}
	if (v->has_post) {
		put(o, ".post", 5);
		put_num(o, v->post_n);
	}
	if (v->has_dev) {
		put(o, ".dev", 4);
		put_num(o, v->dev_n);
	}
}

static void put_local(struct out *o, const struct pep440 *v)
{
	if (!v->has_local)
		return;
	put(o, "+", 1);
	for (size_t i = 0; i < v->n_local; i++) {
		if (i)
			put(o, ".", 1);
		if (all_digit(v->local[i])) {
			put_num(o, v->local[i]);
			continue;
		}
		for (size_t k = 0; k < v->local[i].len; k++) {
			char ch = (char)ver_lower(v->local[i].ptr[k]);
			put(o, &ch, 1);
		}
	}
}

int hull_pep440_normalize(struct hull_str v, char *out, size_t cap, struct hull_err *err)
{
	struct pep440 p;
	if (parse_version(v, &p, err) < 0)
		return -1;
	struct out o = {out, cap, 0, cap == 0};
	if (cap)
		out[0] = '\0';
	put_public(&o, &p);
	put_local(&o, &p);
	if (o.full)
		return hull_err_set(err, HULL_ERR_LIMIT,
		                    "pep440: normalised form does not fit in %zu bytes", cap);
	return 0;
}

/* ---- specifiers -------------------------------------------------------- */

enum spec_op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARBITRARY };

struct spec {
	enum spec_op op;
	struct hull_str text; /* the version as written */
	struct pep440 v;      /* unused for === */
};

static bool is_prerelease(const struct pep440 *v)
{
	return v->pre != PRE_NONE || v->has_dev;
}

static int base_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int r = ver_digits_cmp(zero(a->epoch), zero(b->epoch));
	return r ? r : release_cmp(a, b);
}

/* Prefix match of ==V.*: same epoch and the first len(V) release numbers
 * equal, the candidate padded with zeros. */
static bool prefix_match(const struct pep440 *cand, const struct pep440 *spec, size_t n)
{
	if (ver_digits_cmp(zero(cand->epoch), zero(spec->epoch)))
		return false;
	for (size_t i = 0; i < n; i++) {
		struct hull_str x = i < cand->n_release ? cand->release[i] : HULL_STR_LIT("0");
		if (ver_digits_cmp(x, spec->release[i]))
			return false;
	}
	return true;
}

static bool spec_prereleases(const struct spec *s)
{
	if (s->op == OP_NE)
		return false;
	if (s->op == OP_ARBITRARY) {
		struct pep440 v;
		return parse(s->text, s->text, &v, false, NULL) == 0 && is_prerelease(&v);
	}
	return !s->v.wildcard && is_prerelease(&s->v);
}

static bool arbitrary_eq(const struct pep440 *cand, struct hull_str text)
{
	char buf[HULL_VERSION_MAX_LEN + 8];
	struct out o = {buf, sizeof(buf), 0, false};
	buf[0] = '\0';
	put_public(&o, cand);
	put_local(&o, cand);
	if (o.full || o.len != text.len)
		return false;
	for (size_t i = 0; i < text.len; i++) {
		if (ver_lower(buf[i]) != ver_lower(text.ptr[i]))
			return false;
	}
	return true;
}

static bool spec_match(const struct spec *s, const struct pep440 *c)
{
	const struct pep440 *v = &s->v;
	switch (s->op) {
	case OP_EQ:
	case OP_NE: {
		bool eq = v->wildcard ? prefix_match(c, v, v->n_release)
		                      : pep_cmp(c, v, v->has_local) == 0;
		return s->op == OP_EQ ? eq : !eq;
	}
	case OP_LE:
		return pep_cmp(c, v, false) <= 0;
	case OP_GE:
		return pep_cmp(c, v, false) >= 0;
	case OP_LT:
		if (pep_cmp(c, v, true) >= 0)
			return false;
		return is_prerelease(v) || !is_prerelease(c) || base_cmp(c, v) != 0;
	case OP_GT:
		if (pep_cmp(c, v, true) <= 0)
			return false;
		if (!v->has_post && c->has_post && base_cmp(c, v) == 0)
			return false;
		return !c->has_local || base_cmp(c, v) != 0;
	case OP_COMPAT:
		return pep_cmp(c, v, false) >= 0 && prefix_match(c, v, v->n_release - 1);
	case OP_ARBITRARY:
		return arbitrary_eq(c, s->text);
	}
	return false;
}

static int parse_spec(struct hull_str whole, struct hull_str clause, struct spec *s,
                      struct hull_err *err)
{
	static const struct {
		const char *text;
		enum spec_op op;
	} ops[] = {{"===", OP_ARBITRARY}, {"~=", OP_COMPAT}, {"==", OP_EQ}, {"!=", OP_NE},
	           {"<=", OP_LE},         {">=", OP_GE},     {"<", OP_LT},  {">", OP_GT}};
	clause = ver_utrim(clause, true);
	size_t k = 0;
	while (k < sizeof(ops) / sizeof(ops[0]) && !hull_str_has_prefix(clause, ops[k].text))
		k++;
	if (k == sizeof(ops) / sizeof(ops[0]))
		return ver_fail(err, "pep440 specifier", whole, "missing operator in '%.*s'",
		                (int)clause.len, clause.ptr);
	s->op = ops[k].op;
	size_t ol = strlen(ops[k].text);
	s->text = ver_utrim(hull_str(clause.ptr + ol, clause.len - ol), true);
	if (!s->text.len)
		return ver_fail(err, "pep440 specifier", whole, "missing version after '%s'",
		                ops[k].text);
	if (s->op == OP_ARBITRARY) {
		for (size_t i = 0; i < s->text.len; i++) {
			if (ver_uspace_len(s->text.ptr + i, s->text.len - i, true) ||
			    s->text.ptr[i] == ';' || s->text.ptr[i] == ')')
				return ver_fail(err, "pep440 specifier", whole,
				                "invalid character in '===' version");
		}
		return 0;
	}
	bool eqne = s->op == OP_EQ || s->op == OP_NE;
	if (parse(whole, s->text, &s->v, eqne, err) < 0)
		return -1;
	if (!eqne && s->v.has_local)
		return ver_fail(err, "pep440 specifier", whole,
		                "a local version is only allowed with == and !=");
	if (s->op == OP_COMPAT && s->v.n_release < 2)
		return ver_fail(err, "pep440 specifier", whole,
		                "'~=' needs at least two release numbers");
	return 0;
}

int hull_pep440_spec_contains(struct hull_str spec, struct hull_str v, int prereleases, bool *in,
                              struct hull_err *err)
{
	if (ver_check_len("pep440 specifier", spec, err) < 0)
		return -1;
	struct pep440 cand;
	if (parse_version(v, &cand, err) < 0)
		return -1;
	struct spec specs[16];
	size_t n = 0;
	struct hull_str rest = spec, clause;
	bool more = ver_utrim(spec, true).len > 0;
	while (more) {
		more = hull_str_split(rest, ',', &clause, &rest);
		if (n == sizeof(specs) / sizeof(specs[0]))
			return ver_fail(err, "pep440 specifier", spec, "more than 16 clauses");
		if (parse_spec(spec, clause, &specs[n], err) < 0)
			return -1;
		n++;
	}
	bool allow_pre;
	if (prereleases >= 0) {
		allow_pre = prereleases;
	} else {
		allow_pre = false;
		for (size_t i = 0; i < n; i++)
			allow_pre |= spec_prereleases(&specs[i]);
	}
	*in = false;
	if (!allow_pre && is_prerelease(&cand))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!spec_match(&specs[i], &cand))
			return 0;
	}
	*in = true;
	return 0;
}
