/* maven: Maven artifact versions, as maven-artifact 3.9 ComparableVersion.
 *
 * A version is parsed into ComparableVersion's tree of items (numbers,
 * qualifiers and sub-lists opened by '-' and by digit/letter transitions),
 * trailing "null" items are removed from every list, and two trees are
 * compared item by item with ComparableVersion's type matrix. The tree is a
 * fixed-size array on the stack. Versions must be printable ASCII (Java
 * lowercases and classifies digits by Unicode rules, which hull does not
 * replay) and at most MAVEN_MAX_LEN bytes. */
#include <string.h>

#include "version/internal.h"

#define MAVEN_MAX_LEN   256
#define MAVEN_MAX_ITEMS (2 * MAVEN_MAX_LEN + 4)

enum mkind { M_INT, M_LONG, M_BIG, M_STR, M_LIST };

/* Known qualifiers in order; the release ("") is index 5. */
enum { Q_ALPHA, Q_BETA, Q_MILESTONE, Q_RC, Q_SNAPSHOT, Q_RELEASE, Q_SP, Q_UNKNOWN };

struct mitem {
	unsigned char kind;
	unsigned char qual;
	bool removed;
	short parent;
	short first, next; /* children links, built after parsing */
	struct hull_str text;
};

struct mtree {
	struct mitem it[MAVEN_MAX_ITEMS];
	int n;
};

static int add(struct mtree *t, int parent, enum mkind kind, struct hull_str text)
{
	struct mitem *m = &t->it[t->n];
	memset(m, 0, sizeof(*m));
	m->kind = (unsigned char)kind;
	m->parent = (short)parent;
	m->text = text;
	return t->n++;
}

static bool has_children(const struct mtree *t, int list)
{
	for (int i = list + 1; i < t->n; i++) {
		if (t->it[i].parent == list && !t->it[i].removed)
			return true;
	}
	return false;
}

static bool ieq(struct hull_str s, const char *c)
{
	size_t n = strlen(c);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (ver_lower(s.ptr[i]) != c[i])
			return false;
	}
	return true;
}

static void add_string(struct mtree *t, int parent, struct hull_str s, bool followed_by_digit)
{
	static const char *const names[] = {"alpha",    "beta", "milestone", "rc",
	                                    "snapshot", "",     "sp"};
	int q = Q_UNKNOWN;
	if (followed_by_digit && s.len == 1) {
		int c = ver_lower(s.ptr[0]);
		q = c == 'a' ? Q_ALPHA : c == 'b' ? Q_BETA : c == 'm' ? Q_MILESTONE : Q_UNKNOWN;
	}
	if (q == Q_UNKNOWN) {
		if (ieq(s, "ga") || ieq(s, "final") || ieq(s, "release"))
			q = Q_RELEASE;
		else if (ieq(s, "cr"))
			q = Q_RC;
		else
			for (int k = 0; k < Q_UNKNOWN; k++)
				if (ieq(s, names[k]))
					q = k;
	}
	int i = add(t, parent, M_STR, s);
	t->it[i].qual = (unsigned char)q;
}

static void add_number(struct mtree *t, int parent, struct hull_str s)
{
	/* stripLeadingZeroes keeps an all-zero string whole, so "0000000000" is
	 * a LongItem, as in Maven. */
	size_t z = 0;
	while (z < s.len && s.ptr[z] == '0')
		z++;
	size_t len = z == s.len ? s.len : s.len - z;
	add(t, parent, len <= 9 ? M_INT : len <= 18 ? M_LONG : M_BIG, s);
}

static void add_item(struct mtree *t, int parent, bool digit, struct hull_str s)
{
	if (digit)
		add_number(t, parent, s);
	else
		add_string(t, parent, s, false);
}

static bool is_null(const struct mtree *t, int i)
{
	const struct mitem *m = &t->it[i];
	switch (m->kind) {
	case M_STR:
		return m->qual == Q_RELEASE;
	case M_LIST:
		return !has_children(t, i);
	default:
		for (size_t k = 0; k < m->text.len; k++)
			if (m->text.ptr[k] != '0')
				return false;
		return true;
	}
}

static void normalize(struct mtree *t, int list)
{
	for (int i = t->n - 1; i > list; i--) {
		if (t->it[i].parent != list || t->it[i].removed)
			continue;
		if (is_null(t, i))
			t->it[i].removed = true;
		else if (t->it[i].kind != M_LIST)
			break;
	}
}

static int maven_parse(struct hull_str v, struct mtree *t, struct hull_err *err)
{
	if (v.len > MAVEN_MAX_LEN) {
		ver_fail(err, "maven", v, "longer than %d bytes", MAVEN_MAX_LEN);
		if (err)
			err->kind = HULL_ERR_LIMIT;
		return -1;
	}
	if (!v.len)
		return ver_fail(err, "maven", v, "empty version");
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (c <= 0x20 || c >= 0x7f)
			return ver_fail(
			    err, "maven", v,
			    "byte 0x%02x at offset %zu: only printable ASCII is supported", c, i);
	}
	t->n = 0;
	int cur = add(t, -1, M_LIST, hull_str(v.ptr, 0));
	bool digit = false;
	size_t start = 0;
	for (size_t i = 0; i < v.len; i++) {
		char c = v.ptr[i];
		struct hull_str seg = hull_str(v.ptr + start, i - start);
		if (c == '.' || c == '-') {
			if (i == start)
				add_number(t, cur, HULL_STR_LIT("0"));
			else
				add_item(t, cur, digit, seg);
			start = i + 1;
			if (c == '-')
				cur = add(t, cur, M_LIST, hull_str(v.ptr + i, 0));
		} else if (ver_isdigit(c)) {
			if (!digit && i > start) {
				if (has_children(t, cur))
					cur = add(t, cur, M_LIST, hull_str(v.ptr + i, 0));
				add_string(t, cur, seg, true);
				start = i;
				cur = add(t, cur, M_LIST, hull_str(v.ptr + i, 0));
			}
			digit = true;
		} else {
			if (digit && i > start) {
				add_number(t, cur, seg);
				start = i;
				cur = add(t, cur, M_LIST, hull_str(v.ptr + i, 0));
			}
			digit = false;
		}
	}
	if (v.len > start) {
		if (!digit && has_children(t, cur))
			cur = add(t, cur, M_LIST, hull_str(v.ptr + v.len, 0));
		add_item(t, cur, digit, hull_str(v.ptr + start, v.len - start));
	}
	/* Lists were pushed on a stack as they were made: normalise the last
	 * made first, so inner lists are settled before their parents. */
	for (int i = t->n - 1; i >= 0; i--) {
		if (t->it[i].kind == M_LIST)
			normalize(t, i);
	}
	short last[MAVEN_MAX_ITEMS];
	for (int i = 0; i < t->n; i++)
		t->it[i].first = t->it[i].next = -1, last[i] = -1;
	for (int i = 1; i < t->n; i++) {
		if (t->it[i].removed)
			continue;
		int p = t->it[i].parent;
		if (last[p] < 0)
			t->it[p].first = (short)i;
		else
			t->it[last[p]].next = (short)i;
		last[p] = (short)i;
	}
	return 0;
}

static int cmp_item(const struct mtree *ta, int a, const struct mtree *tb, int b);

/* item.compareTo(null) */
static int cmp_null(const struct mtree *t, int a)
{
	const struct mitem *m = &t->it[a];
	switch (m->kind) {
	case M_STR:
		return m->qual == Q_RELEASE ? 0 : (m->qual < Q_RELEASE ? -1 : 1);
	case M_LIST:
		for (int c = m->first; c >= 0; c = t->it[c].next) {
			int r = cmp_null(t, c);
			if (r)
				return r;
		}
		return 0;
	default:
		return is_null(t, a) ? 0 : 1;
	}
}

static int cmp_lists(const struct mtree *ta, int a, const struct mtree *tb, int b)
{
	int l = ta->it[a].first, r = tb->it[b].first;
	while (l >= 0 || r >= 0) {
		int res;
		if (l < 0)
			res = -cmp_null(tb, r);
		else if (r < 0)
			res = cmp_null(ta, l);
		else
			res = cmp_item(ta, l, tb, r);
		if (res)
			return res;
		if (l >= 0)
			l = ta->it[l].next;
		if (r >= 0)
			r = tb->it[r].next;
	}
	return 0;
}

static int cmp_str(const struct mitem *a, const struct mitem *b)
{
	if (a->qual != b->qual)
		return a->qual < b->qual ? -1 : 1;
	if (a->qual != Q_UNKNOWN)
		return 0;
	size_t n = a->text.len < b->text.len ? a->text.len : b->text.len;
	for (size_t i = 0; i < n; i++) {
		int x = ver_lower(a->text.ptr[i]), y = ver_lower(b->text.ptr[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->text.len == b->text.len ? 0 : (a->text.len < b->text.len ? -1 : 1);
}

/* Rank of each kind against a different kind: Int < Long < BigInteger,
 * numbers above lists above strings. */
static int cross_rank(int kind)
{
	switch (kind) {
	case M_STR:
		return 0;
	case M_LIST:
		return 1;
	case M_INT:
		return 2;
	case M_LONG:
		return 3;
	default:
		return 4;
	}
}

static int cmp_item(const struct mtree *ta, int a, const struct mtree *tb, int b)
{
	const struct mitem *x = &ta->it[a], *y = &tb->it[b];
	if (x->kind != y->kind)
		return cross_rank(x->kind) < cross_rank(y->kind) ? -1 : 1;
	switch (x->kind) {
	case M_STR:
		return cmp_str(x, y);
	case M_LIST:
		return cmp_lists(ta, a, tb, b);
	default:
		return ver_digits_cmp(x->text, y->text);
	}
}

int ver_maven_validate(struct hull_str v, struct hull_err *err)
{
	struct mtree t;
	return maven_parse(v, &t, err);
}

int ver_maven_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct mtree ta, tb;
	if (maven_parse(a, &ta, err) < 0 || maven_parse(b, &tb, err) < 0)
		return -1;
	*cmp = cmp_lists(&ta, 0, &tb, 0);
	return 0;
}
