/* golang: Go module versions, as golang.org/x/mod/semver.
 *
 * vMAJOR[.MINOR[.PATCH[-pre][+build]]] with no leading zeros; "v1" and
 * "v1.2" are shorthands for v1.0.0 and v1.2.0. Build metadata (such as
 * "+incompatible") is ignored by the order. OSV writes Go versions without
 * the "v", so it is optional here. Pseudo-versions are ordinary
 * pre-releases and sort as such. */
#include <stdio.h>
#include <string.h>

#include "version/internal.h"

struct gover {
	struct hull_str major, minor, patch, pre, build;
	char prebuf[48]; /* the pre-release of a toolchain version ("rc.2") */
};

static size_t go_int(struct hull_str s, size_t i, struct hull_str *out)
{
	size_t st = i;
	while (i < s.len && ver_isdigit(s.ptr[i]))
		i++;
	if (i == st || (s.ptr[st] == '0' && i - st > 1))
		return 0;
	*out = hull_str(s.ptr + st, i - st);
	return i;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric_rule: no leading zeros
 * in all-digit identifiers (pre-release only). Returns the end or 0. */
static size_t go_ids(struct hull_str s, size_t i, bool numeric_rule)
{
	for (;;) {
		size_t st = i;
		bool num = true;
		while (i < s.len && (ver_isalnum(s.ptr[i]) || s.ptr[i] == '-')) {
			num &= ver_isdigit(s.ptr[i]);
			i++;
		}
		if (i == st || (numeric_rule && num && i - st > 1 && s.ptr[st] == '0'))
			return 0;
		if (i < s.len && s.ptr[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

/* A Go toolchain version as `go version` prints it and the "stdlib" and
 * "toolchain" modules of the Go vulnerability database mean it
 * (golang.org/x/vuln's semver.GoTagToSemver): "go1.21.3" is 1.21.3,
 * "go1.19" 1.19.0, "go1.21rc2" 1.21.0-rc.2, "go1.9beta1" 1.9.0-beta.1. */
static int go_tag_parse(struct hull_str v, struct gover *g, struct hull_err *err)
{
	size_t i = 2;
	g->minor = g->patch = HULL_STR_LIT("0");
	if (!(i = go_int(v, i, &g->major)))
		return ver_fail(err, "go", v, "bad Go release");
	if (i < v.len && v.ptr[i] == '.') {
		if (!(i = go_int(v, i + 1, &g->minor)))
			return ver_fail(err, "go", v, "bad Go release");
		if (i < v.len && v.ptr[i] == '.' && !(i = go_int(v, i + 1, &g->patch)))
			return ver_fail(err, "go", v, "bad Go release");
	}
	if (i < v.len) {
		size_t st = i;
		while (i < v.len && v.ptr[i] >= 'a' && v.ptr[i] <= 'z')
			i++;
		struct hull_str kind = hull_str(v.ptr + st, i - st), num;
		if (!(hull_str_eq_c(kind, "rc") || hull_str_eq_c(kind, "beta") ||
		      hull_str_eq_c(kind, "alpha")) ||
		    !(i = go_int(v, i, &num)) || num.len > 20)
			return ver_fail(err, "go", v, "bad Go pre-release");
		int n = snprintf(g->prebuf, sizeof(g->prebuf), "%.*s.%.*s", (int)kind.len, kind.ptr,
		                 (int)num.len, num.ptr);
		g->pre = hull_str(g->prebuf, (size_t)n);
	}
	if (i != v.len)
		return ver_fail(err, "go", v, "unexpected '%c' at offset %zu",
		                v.ptr[i] >= 0x20 && v.ptr[i] < 0x7f ? v.ptr[i] : '?', i);
	return 0;
}

static int go_parse(struct hull_str v, struct gover *g, struct hull_err *err)
{
	if (ver_check_len("go", v, err) < 0)
		return -1;
	if (v.len > 2 && v.ptr[0] == 'g' && v.ptr[1] == 'o' && ver_isdigit(v.ptr[2])) {
		memset(g, 0, sizeof(*g));
		return go_tag_parse(v, g, err);
	}
	size_t i = (v.len && v.ptr[0] == 'v') ? 1 : 0;
	memset(g, 0, sizeof(*g));
	g->minor = g->patch = HULL_STR_LIT("0");
	if (!(i = go_int(v, i, &g->major)))
		return ver_fail(err, "go", v, "bad major version");
	if (i < v.len && v.ptr[i] == '.') {
		if (!(i = go_int(v, i + 1, &g->minor)))
			return ver_fail(err, "go", v, "bad minor version");
		if (i < v.len && v.ptr[i] == '.') {
			if (!(i = go_int(v, i + 1, &g->patch)))
				return ver_fail(err, "go", v, "bad patch version");
			if (i < v.len && v.ptr[i] == '-') {
				size_t e = go_ids(v, i + 1, true);
				if (!e)
					return ver_fail(err, "go", v, "bad pre-release");
				g->pre = hull_str(v.ptr + i + 1, e - i - 1);
				i = e;
			}
			if (i < v.len && v.ptr[i] == '+') {
				size_t e = go_ids(v, i + 1, false);
				if (!e)
					return ver_fail(err, "go", v, "bad build metadata");
				g->build = hull_str(v.ptr + i + 1, e - i - 1);
				i = e;
			}
		}
	}
	if (i != v.len)
		return ver_fail(err, "go", v, "unexpected '%c' at offset %zu",
		                v.ptr[i] >= 0x20 && v.ptr[i] < 0x7f ? v.ptr[i] : '?', i);
	return 0;
}

int ver_go_validate(struct hull_str v, struct hull_err *err)
{
	struct gover g;
	return go_parse(v, &g, err);
}

int ver_go_compare(struct hull_str a, struct hull_str b, int *cmp, struct hull_err *err)
{
	struct gover ga, gb;
	if (go_parse(a, &ga, err) < 0 || go_parse(b, &gb, err) < 0)
		return -1;
	int r = ver_digits_cmp(ga.major, gb.major);
	if (!r)
		r = ver_digits_cmp(ga.minor, gb.minor);
	if (!r)
		r = ver_digits_cmp(ga.patch, gb.patch);
	if (!r)
		r = ver_semver_pre_cmp(ga.pre, gb.pre);
	*cmp = r;
	return 0;
}

bool hull_go_is_pseudo(struct hull_str v)
{
	/* x/mod/module's pseudoVersionRE:
	 * v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+build)? */
	struct gover g;
	if (!v.len || v.ptr[0] != 'v' || go_parse(v, &g, NULL) < 0 || !g.pre.len)
		return false;
	struct hull_str pre = g.pre;
	size_t dash = pre.len;
	while (dash > 0 && pre.ptr[dash - 1] != '-')
		dash--;
	if (dash == 0 || dash == pre.len)
		return false;
	for (size_t i = dash; i < pre.len; i++) {
		if (!ver_isalnum(pre.ptr[i]))
			return false;
	}
	size_t end = dash - 1; /* the timestamp ends before the '-' */
	if (end < 14)
		return false;
	for (size_t i = end - 14; i < end; i++) {
		if (!ver_isdigit(pre.ptr[i]))
			return false;
	}
	struct hull_str head = hull_str(pre.ptr, end - 14);
	if (!head.len)
		return hull_str_eq_c(g.minor, "0") && hull_str_eq_c(g.patch, "0");
	return hull_str_eq_c(head, "0.") || hull_str_has_suffix(head, ".0.");
}
