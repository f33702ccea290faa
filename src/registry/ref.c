#include "registry/ref.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool is_word(char c)
{
	return is_alnum(c) || c == '_';
}

static bool is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_hex(char c)
{
	return is_hex_lower(c) || (c >= 'A' && c <= 'F');
}

/* [a-z0-9]+ ( ("." | "_" | "__" | "-"+) [a-z0-9]+ )* */
static bool path_component_ok(struct hull_str c)
{
	size_t i = 0;
	if (!c.len || !is_lower_alnum(c.ptr[0]))
		return false;
	while (i < c.len) {
		while (i < c.len && is_lower_alnum(c.ptr[i]))
			i++;
		if (i == c.len)
			return true;
		size_t s = i;
		if (c.ptr[i] == '.') {
			i++;
		} else if (c.ptr[i] == '_') {
			i++;
			if (i < c.len && c.ptr[i] == '_')
				i++;
		} else if (c.ptr[i] == '-') {
			while (i < c.len && c.ptr[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i == c.len || !is_lower_alnum(c.ptr[i]) || i == s)
			return false;
	}
	return true;
}

/* [A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])? joined by '.' */
static bool host_ok(struct hull_str h)
{
	if (h.len >= 2 && h.ptr[0] == '[' && h.ptr[h.len - 1] == ']') {
		if (h.len == 2)
			return false;
		for (size_t i = 1; i + 1 < h.len; i++)
			if (!is_hex(h.ptr[i]) && h.ptr[i] != ':')
				return false;
		return true;
	}
	size_t i = 0;
	while (i < h.len) {
		size_t s = i;
		while (i < h.len && (is_alnum(h.ptr[i]) || h.ptr[i] == '-'))
			i++;
		if (i == s || h.ptr[s] == '-' || h.ptr[i - 1] == '-')
			return false;
		if (i == h.len)
			return true;
		if (h.ptr[i] != '.')
			return false;
		i++;
		if (i == h.len)
			return false;
	}
	return false;
}

/* host [":" port] */
static bool domain_ok(struct hull_str d)
{
	long colon = -1;
	/* the port colon is the last one outside brackets */
	for (size_t i = d.len; i-- > 0;) {
		if (d.ptr[i] == ']')
			break;
		if (d.ptr[i] == ':') {
			colon = (long)i;
			break;
		}
	}
	if (colon < 0)
		return host_ok(d);
	struct hull_str port = hull_str(d.ptr + colon + 1, d.len - (size_t)colon - 1);
	if (!port.len)
		return false;
	for (size_t i = 0; i < port.len; i++)
		if (port.ptr[i] < '0' || port.ptr[i] > '9')
			return false;
	return host_ok(hull_str(d.ptr, (size_t)colon));
}

static bool has_upper(struct hull_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z')
			return true;
	return false;
}

static bool tag_ok(struct hull_str t)
{
	if (!t.len || t.len > HULL_REF_TAG_MAX || !is_word(t.ptr[0]))
		return false;
	for (size_t i = 1; i < t.len; i++)
		if (!is_word(t.ptr[i]) && t.ptr[i] != '.' && t.ptr[i] != '-')
			return false;
	return true;
}

/* algorithm ":" hex{32,}, then sha256 only with 64 lower-case digits */
static int digest_check(const char *in, struct hull_str d, struct hull_err *err)
{
	long colon = hull_str_index(d, ':');
	if (colon <= 0)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%s': invalid digest '%.*s' (expected sha256:<64 hex digits>)",
		                    in, (int)d.len, d.ptr);
	struct hull_str alg = hull_str(d.ptr, (size_t)colon);
	struct hull_str hex = hull_str(d.ptr + colon + 1, d.len - (size_t)colon - 1);
	/* [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)* */
	bool alg_ok = alg.len > 0;
	for (size_t i = 0; alg_ok && i < alg.len; i++) {
		char c = alg.ptr[i];
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (i == 0 || strchr("-_+.", alg.ptr[i - 1]))
			alg_ok = letter;
		else
			alg_ok = is_alnum(c) || (strchr("-_+.", c) && i + 1 < alg.len);
	}
	bool hex_ok = hex.len >= 32;
	for (size_t i = 0; hex_ok && i < hex.len; i++)
		hex_ok = is_hex(hex.ptr[i]);
	if (!alg_ok || !hex_ok)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%s': invalid digest '%.*s' (expected sha256:<64 hex digits>)",
		                    in, (int)d.len, d.ptr);
	if (!hull_str_eq_c(alg, "sha256"))
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%s': unsupported digest algorithm '%.*s'", in, (int)alg.len,
		                    alg.ptr);
	bool lower = hex.len == 64;
	for (size_t i = 0; lower && i < hex.len; i++)
		lower = is_hex_lower(hex.ptr[i]);
	if (!lower)
		return hull_err_set(
		    err, HULL_ERR_USAGE,
		    "'%s': invalid sha256 digest: expected 64 lower-case hex digits", in);
	return 0;
}

static int copy(char *dst, size_t cap, struct hull_str s)
{
	if (s.len >= cap)
		return -1;
	memcpy(dst, s.ptr, s.len);
	dst[s.len] = '\0';
	return 0;
}

int hull_ref_parse(const char *s, struct hull_ref *out, struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	size_t n = s ? strlen(s) : 0;
	if (!n)
		return hull_err_set(err, HULL_ERR_USAGE, "empty image reference");
	if (n > HULL_REF_STR_MAX)
		return hull_err_set(err, HULL_ERR_USAGE, "image reference of %zu bytes (limit %d)",
		                    n, HULL_REF_STR_MAX);
	if (n == 64 && hull_str_index(hull_str(s, n), ':') < 0) {
		bool allhex = true;
		for (size_t i = 0; allhex && i < n; i++)
			allhex = is_hex_lower(s[i]);
		if (allhex)
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "'%s': a 64-digit hex string is an image id, not a "
			                    "repository name",
			                    s);
	}
	struct hull_str all = hull_str(s, n), name = all, digest = hull_str(s, 0);
	long at = hull_str_index(all, '@');
	if (at >= 0) {
		name = hull_str(s, (size_t)at);
		digest = hull_str(s + at + 1, n - (size_t)at - 1);
		if (digest_check(s, digest, err) < 0)
			return -1;
	}
	/* a tag follows the last ':' after the last '/' */
	struct hull_str tag = hull_str(s, 0);
	for (size_t i = name.len; i-- > 0;) {
		if (name.ptr[i] == '/')
			break;
		if (name.ptr[i] == ':') {
			tag = hull_str(name.ptr + i + 1, name.len - i - 1);
			name.len = i;
			if (!tag_ok(tag))
				return hull_err_set(
				    err, HULL_ERR_USAGE,
				    "'%s': invalid tag '%.*s' (letters, digits, '_', "
				    "'.', '-'; at most %d)",
				    s, (int)tag.len, tag.ptr, HULL_REF_TAG_MAX);
			break;
		}
	}
	if (!name.len)
		return hull_err_set(err, HULL_ERR_USAGE, "'%s': no repository name", s);
	/* splitDockerDomain: the first component is a domain when it has '.'
	 * or ':', is "localhost", or is not lower case */
	struct hull_str first, rest;
	struct hull_str domain = hull_str_c(HULL_REF_DEFAULT_DOMAIN), path = name;
	if (hull_str_split(name, '/', &first, &rest)) {
		if (hull_str_eq_c(first, "localhost") || hull_str_index(first, '.') >= 0 ||
		    hull_str_index(first, ':') >= 0 || has_upper(first)) {
			domain = first;
			path = rest;
			if (!domain_ok(domain))
				return hull_err_set(err, HULL_ERR_USAGE,
				                    "'%s': invalid registry host '%.*s'", s,
				                    (int)domain.len, domain.ptr);
			if (hull_str_eq_c(domain, "index.docker.io"))
				domain = hull_str_c(HULL_REF_DEFAULT_DOMAIN);
		}
	}
	if (has_upper(path))
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%s': repository name '%.*s' must be lower case", s,
		                    (int)path.len, path.ptr);
	struct hull_str p = path, comp;
	size_t ncomp = 0;
	bool more = true;
	while (more) {
		more = hull_str_split(p, '/', &comp, &p);
		if (!path_component_ok(comp))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "'%s': invalid repository name component '%.*s' "
			                    "(lower-case letters and digits, separated by '.', "
			                    "'_', '__' or '-')",
			                    s, (int)comp.len, comp.ptr);
		ncomp++;
	}
	bool library = hull_str_eq_c(domain, HULL_REF_DEFAULT_DOMAIN) && ncomp == 1;
	char full[2 * (HULL_REF_NAME_MAX + 1)];
	int len = snprintf(full, sizeof(full), "%.*s/%s%.*s", (int)domain.len, domain.ptr,
	                   library ? "library/" : "", (int)path.len, path.ptr);
	if (len < 0 || (size_t)len > HULL_REF_NAME_MAX)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "'%s': repository name longer than %d characters", s,
		                    HULL_REF_NAME_MAX);
	struct hull_str canon = hull_str(full + domain.len + 1, (size_t)len - domain.len - 1);
	if (copy(out->domain, sizeof(out->domain), domain) < 0 ||
	    copy(out->path, sizeof(out->path), canon) < 0 ||
	    copy(out->tag, sizeof(out->tag), tag) < 0 ||
	    copy(out->digest, sizeof(out->digest), digest) < 0)
		return hull_err_set(err, HULL_ERR_USAGE, "'%s': reference too long", s);
	return 0;
}

const char *hull_ref_reference(const struct hull_ref *r)
{
	return r->digest[0] ? r->digest : r->tag[0] ? r->tag : HULL_REF_DEFAULT_TAG;
}

bool hull_ref_is_docker_hub(const struct hull_ref *r)
{
	return !strcmp(r->domain, HULL_REF_DEFAULT_DOMAIN);
}

static size_t format(const struct hull_ref *r, const char *domain, const char *path, char *out,
                     size_t n)
{
	const char *tag = r->tag[0] ? r->tag : r->digest[0] ? "" : HULL_REF_DEFAULT_TAG;
	int len = snprintf(out, n, "%s%s%s%s%s%s%s", domain, domain[0] ? "/" : "", path,
	                   tag[0] ? ":" : "", tag, r->digest[0] ? "@" : "", r->digest);
	return len < 0 ? 0 : (size_t)len;
}

size_t hull_ref_format(const struct hull_ref *r, char *out, size_t n)
{
	return format(r, r->domain, r->path, out, n);
}

size_t hull_ref_familiar(const struct hull_ref *r, char *out, size_t n)
{
	if (!hull_ref_is_docker_hub(r))
		return format(r, r->domain, r->path, out, n);
	const char *path = r->path;
	size_t first = strcspn(path, "/");
	/* "docker.io/a.b/c" stays as it is: "a.b/c" would name a registry */
	if (memchr(path, '.', first) || (first == 9 && !strncmp(path, "localhost", 9)))
		return format(r, r->domain, r->path, out, n);
	if (!strncmp(path, "library/", 8) && !strchr(path + 8, '/'))
		path += 8;
	return format(r, "", path, out, n);
}
