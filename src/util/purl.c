#include "util/purl.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/str.h"

/* ---- the type table -------------------------------------------------------- */

/* Type-specific rules, from each type's definition in the purl-spec
 * (types/<type>-definition.json: case_sensitive false, normalization_rules,
 * namespace requirement "prohibited"). */
enum {
	LOWER_NS = 1u << 0,      /* namespace is case-insensitive: lowercased */
	LOWER_NAME = 1u << 1,    /* name is case-insensitive: lowercased */
	DASH_NAME = 1u << 2,     /* '_' in the name becomes '-' (pypi) */
	LOWER_VERSION = 1u << 3, /* version is case-insensitive (huggingface) */
	NO_NS = 1u << 4,         /* a namespace is prohibited */
};

struct purl_type {
	const char *type;
	unsigned rules;
};

/* One row per type with rules; a type not listed gets the generic rules.
 * Sorted by type. */
static const struct purl_type types[] = {
    {"alpm", LOWER_NS | LOWER_NAME},
    {"apk", LOWER_NS | LOWER_NAME},
    {"bitbucket", LOWER_NS | LOWER_NAME},
    {"cargo", NO_NS},
    {"composer", LOWER_NS | LOWER_NAME},
    {"cran", NO_NS},
    {"deb", LOWER_NS | LOWER_NAME},
    {"gem", NO_NS},
    {"github", LOWER_NS | LOWER_NAME},
    {"golang", 0},
    {"hackage", NO_NS},
    {"huggingface", LOWER_VERSION},
    {"maven", 0},
    {"npm", 0},
    {"nuget", NO_NS},
    {"pypi", NO_NS | LOWER_NAME | DASH_NAME},
    {"rpm", LOWER_NS},
};

static char lower(char c);

/* type[0..n) compared with a lowercase table entry, ignoring type's case */
static int cmp_type(const char *type, size_t n, const char *entry)
{
	for (size_t i = 0; i < n; i++, entry++) {
		int c = (unsigned char)lower(type[i]) - (unsigned char)*entry;
		if (c || !*entry)
			return c;
	}
	return *entry ? -1 : 0;
}

/* The rules of a type type[0..n) in any case (the canonical form
 * lowercases it). */
static unsigned rules_of(const char *type, size_t n)
{
	size_t lo = 0, hi = sizeof(types) / sizeof(types[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_type(type, n, types[mid].type);
		if (c == 0)
			return types[mid].rules;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* ---- character classes ------------------------------------------------------ */

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_unreserved(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
	       c == ':';
}

/* Type: letters, digits, '.', '-', starting with a letter (any case: the
 * canonical form lowercases it). */
static bool valid_type(const char *t, size_t n)
{
	if (n == 0 || !is_alpha((unsigned char)t[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Key: letters, digits, '.', '-', '_', starting with a letter (any case:
 * the canonical form lowercases it). No length limit but the purl's: the
 * spec gives none, and the parser reads any. */
static bool valid_key(const char *k)
{
	if (!k || !is_alpha((unsigned char)*k))
		return false;
	for (; *k; k++) {
		unsigned char c = (unsigned char)*k;
		if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Writes s lowercased (a type or a key, checked before). */
static int put_lower(struct hull_buf *out, const char *s, struct hull_err *err)
{
	for (; *s; s++)
		if (hull_buf_putc(out, lower(*s), err) < 0)
			return -1;
	return 0;
}

/* Compares two keys ignoring case (their canonical, lowercase order). */
static int cmp_key(const char *a, const char *b)
{
	for (;; a++, b++) {
		int c = (unsigned char)lower(*a) - (unsigned char)lower(*b);
		if (c || !*a)
			return c;
	}
}

/* How a component is normalised, from the type's rules. */
enum { FOLD_LOWER = 1u << 0, FOLD_DASH = 1u << 1 };

static char fold(char c, unsigned how)
{
	if ((how & FOLD_LOWER))
		c = lower(c);
	if ((how & FOLD_DASH) && c == '_')
		c = '-';
	return c;
}

static unsigned ns_fold(unsigned rules)
{
	return (rules & LOWER_NS) ? FOLD_LOWER : 0;
}

static unsigned name_fold(unsigned rules)
{
	return ((rules & LOWER_NAME) ? FOLD_LOWER : 0) | ((rules & DASH_NAME) ? FOLD_DASH : 0);
}

static unsigned version_fold(unsigned rules)
{
	return (rules & LOWER_VERSION) ? FOLD_LOWER : 0;
}

/* ---- building ---------------------------------------------------------------- */

static int put_encoded(struct hull_buf *out, const char *s, size_t len, unsigned how,
                       struct hull_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		char enc[4];
		const char *bytes = s + i;
		size_t nb = n;
		if (!valid) {
			nb = hull_utf8_encode(HULL_UTF8_REPLACEMENT, enc);
			bytes = enc;
		}
		for (size_t k = 0; k < nb; k++) {
			unsigned char c = (unsigned char)fold(bytes[k], how);
			int rc;
			if (is_unreserved(c)) {
				rc = hull_buf_putc(out, (char)c, err);
			} else {
				char t[3] = {'%', hex[c >> 4], hex[c & 15]};
				rc = hull_buf_append(out, t, 3, err);
			}
			if (rc < 0)
				return -1;
		}
		i += n;
	}
	return 0;
}

/* Percent-encodes each '/'-separated segment of s, skipping empty ones
 * (and, for a subpath, "." and ".."), joined with '/'. */
static int put_segments(struct hull_buf *out, const char *s, bool subpath, unsigned how,
                        struct hull_err *err)
{
	bool first = true;
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		bool skip =
		    n == 0 ||
		    (subpath && ((n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2))));
		if (!skip) {
			if (!first && hull_buf_putc(out, '/', err) < 0)
				return -1;
			if (put_encoded(out, s, n, how, err) < 0)
				return -1;
			first = false;
		}
		s += n;
		if (*s == '/')
			s++;
	}
	return 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static bool has_segment(const char *s, bool subpath)
{
	while (s && *s) {
		size_t n = strcspn(s, "/");
		if (n && !(subpath && ((n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2)))))
			return true;
		s += n;
		if (*s == '/')
			s++;
	}
	return false;
}

struct qual {
	const char *key; /* as given: lowercased when written */
	const char *value;
};

static int cmp_qual(const void *a, const void *b)
{
	const struct qual *x = a, *y = b;
	return cmp_key(x->key, y->key);
}

/* The qualifiers to write: keys checked, empty values dropped, sorted by
 * lowercase key, no key twice. */
static int collect_qualifiers(const struct hull_purl *p, struct qual *q, size_t *nq,
                              struct hull_err *err)
{
	if (p->nqualifiers > HULL_PURL_MAX_QUALIFIERS)
		return hull_err_set(err, HULL_ERR_LIMIT, "purl: more than %d qualifiers",
		                    HULL_PURL_MAX_QUALIFIERS);
	*nq = 0;
	for (size_t i = 0; i < p->nqualifiers; i++) {
		const char *k = p->qualifiers[i].key;
		if (!valid_key(k))
			return hull_err_set(err, HULL_ERR_INPUT, "purl: bad qualifier key '%.64s'",
			                    k ? k : "");
		if (!empty(p->qualifiers[i].value)) {
			q[*nq] = (struct qual){.key = k, .value = p->qualifiers[i].value};
			(*nq)++;
		}
	}
	qsort(q, *nq, sizeof(q[0]), cmp_qual);
	for (size_t i = 1; i < *nq; i++)
		if (!cmp_key(q[i - 1].key, q[i].key))
			return hull_err_set(err, HULL_ERR_INPUT, "purl: qualifier '%.64s' repeated",
			                    q[i].key);
	return 0;
}

int hull_purl_format(const struct hull_purl *p, struct hull_buf *out, struct hull_err *err)
{
	if (empty(p->type) || !has_segment(p->name, false))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: missing type or name");
	size_t tl = strlen(p->type);
	if (!valid_type(p->type, tl))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: bad type '%.64s'", p->type);
	unsigned rules = rules_of(p->type, tl);
	if ((rules & NO_NS) && has_segment(p->ns, false))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: type %s has no namespace", p->type);
	struct qual q[HULL_PURL_MAX_QUALIFIERS];
	size_t nq = 0;
	if (collect_qualifiers(p, q, &nq, err) < 0)
		return -1;

	if (hull_buf_append_str(out, "pkg:", err) < 0 || put_lower(out, p->type, err) < 0 ||
	    hull_buf_putc(out, '/', err) < 0)
		return -1;
	if (has_segment(p->ns, false)) {
		if (put_segments(out, p->ns, false, ns_fold(rules), err) < 0 ||
		    hull_buf_putc(out, '/', err) < 0)
			return -1;
	}
	/* The name is one segment: a '/' inside it is data, so it is encoded;
	 * only leading and trailing slashes are stripped. */
	const char *name = p->name;
	size_t nlen = strlen(name);
	while (*name == '/')
		name++, nlen--;
	while (nlen && name[nlen - 1] == '/')
		nlen--;
	if (put_encoded(out, name, nlen, name_fold(rules), err) < 0)
		return -1;
	if (!empty(p->version)) {
		if (hull_buf_putc(out, '@', err) < 0 ||
		    put_encoded(out, p->version, strlen(p->version), version_fold(rules), err) < 0)
			return -1;
	}
	for (size_t i = 0; i < nq; i++) {
		if (hull_buf_putc(out, i ? '&' : '?', err) < 0 ||
		    put_lower(out, q[i].key, err) < 0 || hull_buf_putc(out, '=', err) < 0 ||
		    put_encoded(out, q[i].value, strlen(q[i].value), 0, err) < 0)
			return -1;
	}
	if (has_segment(p->subpath, true)) {
		if (hull_buf_putc(out, '#', err) < 0 ||
		    put_segments(out, p->subpath, true, 0, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- parsing ----------------------------------------------------------------- */

/* Decoded strings are written one after the other into one allocation: a
 * component never decodes longer than it is written, and every NUL is paid
 * for by the separator before the component ("pkg:" pays for the type). */
struct sink {
	char *base;
	size_t len, cap;
};

/* Appends s[0..n) percent-decoded and folded, NUL-terminated; the start in
 * *out. Fails on a malformed escape, %00, or (no_slash) a decoded '/'. */
static int decode(struct sink *k, const char *s, size_t n, unsigned how, bool no_slash,
                  const char **out, const char *what, struct hull_err *err)
{
	if (k->cap - k->len < n + 1)
		return hull_err_set(err, HULL_ERR_LIMIT, "purl: %s: no room", what);
	char *d = k->base + k->len, *w = d;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int h1 = i + 1 < n ? hull_hex_digit(s[i + 1]) : -1;
			int h2 = i + 2 < n ? hull_hex_digit(s[i + 2]) : -1;
			if (h1 < 0 || h2 < 0)
				return hull_err_set(err, HULL_ERR_INPUT,
				                    "purl: %s: '%%' not followed by two hex digits",
				                    what);
			c = (char)(h1 * 16 + h2);
			if (c == '\0')
				return hull_err_set(err, HULL_ERR_INPUT, "purl: %s: %%00", what);
			i += 2;
		}
		if (no_slash && c == '/')
			return hull_err_set(err, HULL_ERR_INPUT, "purl: %s: a segment holds '/'",
			                    what);
		*w++ = fold(c, how);
	}
	*w++ = '\0';
	k->len += (size_t)(w - d);
	*out = d;
	return 0;
}

/* Decodes the '/'-separated segments of s[0..n), dropping empty ones (and
 * "." and ".." for a subpath), joined with '/'; NULL when none is left. */
static int decode_segments(struct sink *k, const char *s, size_t n, unsigned how, bool subpath,
                           const char **out, const char *what, struct hull_err *err)
{
	char *start = k->base + k->len;
	size_t mark = k->len;
	bool any = false;
	*out = NULL;
	while (n) {
		const char *slash = memchr(s, '/', n);
		size_t sl = slash ? (size_t)(slash - s) : n;
		if (sl) {
			const char *seg;
			size_t before = k->len;
			if (decode(k, s, sl, how, true, &seg, what, err) < 0)
				return -1;
			bool dots = subpath && (!strcmp(seg, ".") || !strcmp(seg, ".."));
			if (dots) {
				k->len = before;
			} else {
				if (any) /* the previous segment's NUL becomes the separator */
					k->base[before - 1] = '/';
				any = true;
			}
		}
		s += sl;
		n -= sl;
		if (n) /* the '/' */
			s++, n--;
	}
	if (any)
		*out = start;
	else
		k->len = mark;
	return 0;
}

static const char *find_last(const char *s, size_t n, char c)
{
	return n ? memrchr(s, c, n) : NULL;
}

static int parse_qualifiers(struct sink *k, const char *q, size_t n, struct hull_purl *out,
                            struct hull_err *err)
{
	while (n) {
		const char *amp = memchr(q, '&', n);
		size_t pl = amp ? (size_t)(amp - q) : n;
		const char *eq = memchr(q, '=', pl);
		if (eq && eq + 1 < q + pl) { /* an empty value drops the pair */
			if (out->nqualifiers == HULL_PURL_MAX_QUALIFIERS)
				return hull_err_set(err, HULL_ERR_LIMIT,
				                    "purl: more than %d qualifiers",
				                    HULL_PURL_MAX_QUALIFIERS);
			struct hull_purl_qualifier *d = &out->qualifiers[out->nqualifiers];
			size_t kl = (size_t)(eq - q);
			/* keys are never percent-encoded: copied as they are, lowercased */
			if (k->cap - k->len < kl + 1)
				return hull_err_set(err, HULL_ERR_LIMIT, "purl: no room");
			char *key = k->base + k->len;
			for (size_t i = 0; i < kl; i++)
				key[i] = lower(q[i]);
			key[kl] = '\0';
			k->len += kl + 1;
			if (!valid_key(key))
				return hull_err_set(err, HULL_ERR_INPUT,
				                    "purl: bad qualifier key '%.64s'", key);
			if (hull_purl_qualifier(out, key))
				return hull_err_set(err, HULL_ERR_INPUT,
				                    "purl: qualifier '%s' repeated", key);
			d->key = key;
			if (decode(k, eq + 1, pl - kl - 1, 0, false, &d->value, "qualifier value",
			           err) < 0)
				return -1;
			out->nqualifiers++;
		}
		q += pl;
		n -= pl;
		if (n)
			q++, n--;
	}
	return 0;
}

static int parse(struct sink *k, const char *s, size_t len, struct hull_purl *out,
                 struct hull_err *err)
{
	/* subpath: from the right on '#' */
	const char *hash = memchr(s, '#', len);
	size_t rl = hash ? (size_t)(hash - s) : len;
	/* qualifiers: from the right on '?' (a '?' cannot occur unencoded before) */
	const char *qm = memchr(s, '?', rl);
	size_t ml = qm ? (size_t)(qm - s) : rl;
	/* scheme */
	const char *colon = memchr(s, ':', ml);
	if (!colon || (size_t)(colon - s) != 3 || lower(s[0]) != 'p' || lower(s[1]) != 'k' ||
	    lower(s[2]) != 'g')
		return hull_err_set(err, HULL_ERR_INPUT, "not a purl (no \"pkg:\" scheme)");
	const char *p = colon + 1, *end = s + ml;
	while (p < end && *p == '/')
		p++;
	/* type */
	const char *slash = memchr(p, '/', (size_t)(end - p));
	if (!slash)
		return hull_err_set(err, HULL_ERR_INPUT, "purl: no type and name");
	size_t tl = (size_t)(slash - p);
	if (!valid_type(p, tl))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: bad type '%.*s'",
		                    (int)(tl > 64 ? 64 : tl), p);
	if (decode(k, p, tl, FOLD_LOWER, false, &out->type, "type", err) < 0)
		return -1;
	unsigned rules = rules_of(p, tl); /* the type as written: valid_type allows no escape */
	p = slash + 1;
	/* version: from the right on '@', within the last segment */
	const char *last = find_last(p, (size_t)(end - p), '/');
	const char *seg = last ? last + 1 : p;
	const char *at = find_last(seg, (size_t)(end - seg), '@');
	if (at) {
		if (at + 1 < end && decode(k, at + 1, (size_t)(end - at - 1), version_fold(rules),
		                           false, &out->version, "version", err) < 0)
			return -1;
		end = at;
	}
	/* name: from the right on '/', trailing slashes ignored */
	while (end > p && end[-1] == '/')
		end--;
	last = find_last(p, (size_t)(end - p), '/');
	const char *name = last ? last + 1 : p;
	if (name == end)
		return hull_err_set(err, HULL_ERR_INPUT, "purl: no name");
	if (decode(k, name, (size_t)(end - name), name_fold(rules), false, &out->name, "name",
	           err) < 0)
		return -1;
	/* "%2F" decodes to a name of slashes only, which the formatter strips
	 * to nothing: no name (found by util_purl) */
	if (!has_segment(out->name, false))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: no name (only '/')");
	if (last && decode_segments(k, p, (size_t)(last - p), ns_fold(rules), false, &out->ns,
	                            "namespace", err) < 0)
		return -1;
	if (out->ns && (rules & NO_NS))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: type %s has no namespace",
		                    out->type);
	if (qm && parse_qualifiers(k, qm + 1, rl - ml - 1, out, err) < 0)
		return -1;
	if (hash &&
	    decode_segments(k, hash + 1, len - rl - 1, 0, true, &out->subpath, "subpath", err) < 0)
		return -1;
	return 0;
}

int hull_purl_parse(const char *s, size_t len, struct hull_purl *out, struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	if (len > HULL_PURL_MAX_LEN)
		return hull_err_set(err, HULL_ERR_LIMIT, "purl: longer than %u bytes",
		                    HULL_PURL_MAX_LEN);
	if (memchr(s, '\0', len))
		return hull_err_set(err, HULL_ERR_INPUT, "purl: holds a NUL byte");
	struct sink k = {.cap = len + 2};
	if (!(k.base = malloc(k.cap)))
		return hull_err_nomem(err);
	out->owned_ = k.base;
	if (parse(&k, s, len, out, err) < 0) {
		char shown[80];
		size_t n = len < 64 ? len : 64;
		/* the purl as given, cut, with control bytes replaced */
		for (size_t i = 0; i < n; i++)
			shown[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
		shown[n] = '\0';
		hull_err_wrap(err, "%s%s", shown, len > n ? "..." : "");
		hull_purl_release(out);
		return -1;
	}
	return 0;
}

void hull_purl_release(struct hull_purl *p)
{
	free(p->owned_);
	memset(p, 0, sizeof(*p));
}

const char *hull_purl_qualifier(const struct hull_purl *p, const char *key)
{
	for (size_t i = 0; i < p->nqualifiers; i++)
		if (p->qualifiers[i].key && !strcmp(p->qualifiers[i].key, key))
			return p->qualifiers[i].value;
	return NULL;
}
