/* apk: Alpine version ordering and validity, as apk-tools 3 src/version.c.
 *
 * Grammar: digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}. A
 * version is a sequence of typed tokens; two versions compare token by token
 * and, when the token types differ, by the type (with pre-release suffixes
 * below everything). The numeric value of a token is compared as an
 * unbounded integer (apk wraps at 2^64; no real version is that long). */
#include <string.h>

#include "version/internal.h"

enum tok {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

/* Suffix values: pre-release ones sort below NONE, post-release above. */
enum {
	SUF_INVALID,
	SUF_ALPHA,
	SUF_BETA,
	SUF_PRE,
	SUF_RC,
	SUF_NONE,
	SUF_CVS,
	SUF_SVN,
	SUF_GIT,
	SUF_HG,
	SUF_P
};

static const char *const suffix_names[] = {
    [SUF_ALPHA] = "alpha", [SUF_BETA] = "beta", [SUF_PRE] = "pre",
    [SUF_RC] = "rc",       [SUF_CVS] = "cvs",   [SUF_SVN] = "svn",
    [SUF_GIT] = "git",     [SUF_HG] = "hg",     [SUF_P] = "p",
};

struct tstate {
	enum tok token;
	int suffix;
	struct hull_str value; /* the token's text (digits, letter, suffix, hash) */
	struct hull_str rest;
	const char *why; /* why the token is T_INVALID */
};

static int suffix_value(struct hull_str s)
{
	for (int i = SUF_ALPHA; i <= SUF_P; i++) {
		if (suffix_names[i] && hull_str_eq_c(s, suffix_names[i]))
			return i;
	}
	return SUF_INVALID;
}

static bool ishex(int c)
{
	return ver_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void take_digits(struct tstate *t)
{
	size_t n = 0;
	while (n < t->rest.len && ver_isdigit(t->rest.ptr[n]))
		n++;
	t->value = hull_str(t->rest.ptr, n);
	t->rest.ptr += n, t->rest.len -= n;
	if (n == 0)
		t->token = T_INVALID, t->why = "missing number";
}

static void token_first(struct tstate *t, struct hull_str v)
{
	t->rest = v;
	t->token = T_INITIAL_DIGIT;
	t->why = NULL;
	take_digits(t);
	if (t->token == T_INVALID)
		t->why = "does not start with a digit";
}

static void invalid(struct tstate *t, const char *why)
{
	t->token = T_INVALID;
	t->why = why;
}

static void token_next(struct tstate *t)
{
	if (t->rest.len == 0) {
		t->token = T_END;
		return;
	}
	char c = t->rest.ptr[0];
	if (c >= 'a' && c <= 'z') {
		if (t->token > T_DIGIT)
			return invalid(t, "letter out of place");
		t->value = hull_str(t->rest.ptr, 1);
		t->token = T_LETTER;
		t->rest.ptr++, t->rest.len--;
	} else if (c == '.' || ver_isdigit(c)) {
		if (c == '.') {
			if (t->token > T_DIGIT)
				return invalid(t, "'.' out of place");
			t->rest.ptr++, t->rest.len--;
		}
		if (t->token == T_INITIAL_DIGIT || t->token == T_DIGIT)
			t->token = T_DIGIT;
		else if (t->token == T_SUFFIX)
			t->token = T_SUFFIX_NO;
		else
			return invalid(t, "number out of place");
		take_digits(t);
	} else if (c == '_') {
		if (t->token > T_SUFFIX_NO)
			return invalid(t, "suffix out of place");
		t->rest.ptr++, t->rest.len--;
		size_t n = 0;
		while (n < t->rest.len && t->rest.ptr[n] >= 'a' && t->rest.ptr[n] <= 'z')
			n++;
		t->value = hull_str(t->rest.ptr, n);
		t->rest.ptr += n, t->rest.len -= n;
		t->suffix = suffix_value(t->value);
		if (t->suffix == SUF_INVALID)
			return invalid(t, n ? "unknown suffix" : "empty suffix");
		t->token = T_SUFFIX;
	} else if (c == '~') {
		if (t->token >= T_COMMIT_HASH)
			return invalid(t, "commit hash out of place");
		t->rest.ptr++, t->rest.len--;
		size_t n = 0;
		while (n < t->rest.len && ishex(t->rest.ptr[n]))
			n++;
		t->value = hull_str(t->rest.ptr, n);
		t->rest.ptr += n, t->rest.len -= n;
		if (n == 0)
			return invalid(t, "empty commit hash after '~'");
		t->token = T_COMMIT_HASH;
	} else if (c == '-') {
		if (t->token >= T_REVISION_NO)
			return invalid(t, "revision out of place");
		if (t->rest.len < 2 || t->rest.ptr[1] != 'r')
			return invalid(t, "'-' not followed by 'r'");
		t->rest.ptr += 2, t->rest.len -= 2;
		t->token = T_REVISION_NO;
		take_digits(t);
		if (t->token == T_INVALID)
			t->why = "empty revision number";
	} else {
		invalid(t, "unexpected character");
	}
}

/* apk_blob_sort: memcmp on the common prefix, then the shorter first. */
static int blob_sort(struct hull_str a, struct hull_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
	if (r)
		return ver_sign(r);
	return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

static int token_cmp(const struct tstate *a, const struct tstate *b)
{
	switch (a->token) {
	case T_DIGIT:
		/* A leading zero makes it a string comparison (Gentoo rule). */
		if (a->value.ptr[0] == '0' || b->value.ptr[0] == '0')
			return blob_sort(a->value, b->value);
		return ver_digits_cmp(a->value, b->value);
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return ver_digits_cmp(a->value, b->value);
	case T_LETTER:
		return ver_sign((unsigned char)a->value.ptr[0] - (unsigned char)b->value.ptr[0]);
	case T_SUFFIX:
		return ver_sign(a->suffix - b->suffix);
	default:
		return blob_sort(a->value, b->value);
	}
}

int hull_apk_compare_raw(struct hull_str a, struct hull_str b, bool fuzzy)
{
	struct tstate ta, tb;
	token_first(&ta, a);
	token_first(&tb, b);
	while (ta.token == tb.token && ta.token < T_END) {
		int r = token_cmp(&ta, &tb);
		if (r)
			return r;
		token_next(&ta);
		token_next(&tb);
	}
	if (ta.token == tb.token)
		return 0;
	if (tb.token == T_END && fuzzy)
		return 0;
	if (ta.token == T_SUFFIX && ta.suffix < SUF_NONE)
		return -1;
	if (tb.token == T_SUFFIX && tb.suffix < SUF_NONE)
		return 1;
	return ta.token > tb.token ? -1 : 1;
}

int ver_apk_validate(struct hull_str v, struct hull_err *err)
{
	if (ver_check_len("apk", v, err) < 0)
		return -1;
	struct tstate t;
	for (token_first(&t, v); t.token < T_END; token_next(&t))
		;
	if (t.token == T_END)
		return 0;
	size_t off = (size_t)(t.rest.ptr - v.ptr);
	if (t.why && !strcmp(t.why, "unknown suffix"))
		return ver_fail(err, "apk", v, "unknown suffix '_%.*s'", (int)t.value.len,
		                t.value.ptr);
	return ver_fail(err, "apk", v, "%s at offset %zu", t.why ? t.why : "invalid", off);
}

int ver_apk_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	if (ver_apk_validate(a, err) < 0 || ver_apk_validate(b, err) < 0)
		return -1;
	*cmp = hull_apk_compare_raw(a, b, false);
	return 0;
}
