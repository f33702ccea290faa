/* CVSS base scores from vectors: v3.0 / v3.1 (FIRST specification, section
 * 7 and appendix A for Roundup) and v2 (the v2 guide, section 3.2.1).
 * Scores are returned x 10 as integers so that callers never compare
 * floating point values. v4.0 scores need the specification's macro-vector
 * table and are not computed (see docs/vulndb.md). */
#include <math.h>
#include <string.h>

#include "vulndb/internal.h"

static const double av3[] = {0.85, 0.62, 0.55, 0.2}; /* N A L P */
static const double ac3[] = {0.77, 0.44};            /* L H */
static const double pr3[] = {0.85, 0.62, 0.27};      /* N L H (S:U) */
static const double ui3[] = {0.85, 0.62};            /* N R */
static const double cia3[] = {0.56, 0.22, 0};        /* H L N */
static const double sc3[] = {0, 1};                  /* U C */

/* Finds "NAME:V" entries of a "/"-separated vector; letters[i] receives
 * the value letter of metric i or 0. Non-base metrics of the version are
 * accepted and ignored. false on a syntax error, a duplicate or an unknown
 * metric. */
static bool split_metrics(struct hull_str v, const char *const *names, size_t n,
                          const char *const *extra, char *letters)
{
	memset(letters, 0, n);
	while (v.len) {
		struct hull_str part, rest;
		if (!hull_str_split(v, '/', &part, &rest))
			rest = hull_str(v.ptr + v.len, 0);
		struct hull_str k, val;
		if (!hull_str_split(part, ':', &k, &val) || val.len != 1 || !k.len)
			return false;
		bool known = false;
		for (size_t i = 0; i < n; i++) {
			if (hull_str_eq_c(k, names[i])) {
				if (letters[i])
					return false;
				letters[i] = val.ptr[0];
				known = true;
			}
		}
		for (size_t i = 0; !known && extra[i]; i++)
			known = hull_str_eq_c(k, extra[i]);
		if (!known)
			return false;
		v = rest;
	}
	return true;
}

static int pick(const char *values, char letter)
{
	const char *p = letter ? strchr(values, letter) : NULL;
	return p ? (int)(p - values) : -1;
}

/* Roundup of CVSS v3.1 appendix A: the smallest one-decimal number >= x,
 * computed on integers to avoid floating point artefacts. */
static int roundup31(double x)
{
	long i = lround(x * 100000.0);
	if (i % 10000 == 0)
		return (int)(i / 10000);
	return (int)(i / 10000) + 1;
}

int vdb_cvss3_score10(struct hull_str v)
{
	bool v30;
	if (hull_str_has_prefix(v, "CVSS:3.1/"))
		v30 = false;
	else if (hull_str_has_prefix(v, "CVSS:3.0/"))
		v30 = true;
	else
		return -1;
	v = hull_str(v.ptr + 9, v.len - 9);
	static const char *const names[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
	static const char *const extra[] = {"E",   "RL",  "RC", "CR", "IR", "AR", "MAV", "MAC",
	                                    "MPR", "MUI", "MS", "MC", "MI", "MA", NULL};
	char l[8];
	if (!split_metrics(v, names, 8, extra, l))
		return -1;
	int av = pick("NALP", l[0]), ac = pick("LH", l[1]), pr = pick("NLH", l[2]),
	    ui = pick("NR", l[3]), s = pick("UC", l[4]), c = pick("HLN", l[5]),
	    in = pick("HLN", l[6]), a = pick("HLN", l[7]);
	if (av < 0 || ac < 0 || pr < 0 || ui < 0 || s < 0 || c < 0 || in < 0 || a < 0)
		return -1;
	bool changed = sc3[s] > 0;
	double prw = pr3[pr];
	if (changed && pr == 1)
		prw = 0.68;
	else if (changed && pr == 2)
		prw = 0.5;
	double iss = 1 - (1 - cia3[c]) * (1 - cia3[in]) * (1 - cia3[a]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av3[av] * ac3[ac] * prw * ui3[ui];
	if (impact <= 0)
		return 0;
	double base = changed ? fmin(1.08 * (impact + expl), 10) : fmin(impact + expl, 10);
	if (v30)
		return (int)ceil(base * 10 - 1e-9);
	return roundup31(base);
}

int vdb_cvss2_score10(struct hull_str v)
{
	if (hull_str_has_prefix(v, "(") && hull_str_has_suffix(v, ")"))
		v = hull_str(v.ptr + 1, v.len - 2);
	if (hull_str_has_prefix(v, "CVSS:2.0/"))
		v = hull_str(v.ptr + 9, v.len - 9);
	static const char *const names[] = {"AV", "AC", "Au", "C", "I", "A"};
	static const char *const extra[] = {"E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR", NULL};
	char l[6];
	if (!split_metrics(v, names, 6, extra, l))
		return -1;
	static const double avw[] = {0.395, 0.646, 1.0}, acw[] = {0.35, 0.61, 0.71},
	                    auw[] = {0.45, 0.56, 0.704}, ciaw[] = {0, 0.275, 0.660};
	int av = pick("LAN", l[0]), ac = pick("HML", l[1]), au = pick("MSN", l[2]),
	    c = pick("NPC", l[3]), in = pick("NPC", l[4]), a = pick("NPC", l[5]);
	if (av < 0 || ac < 0 || au < 0 || c < 0 || in < 0 || a < 0)
		return -1;
	double impact = 10.41 * (1 - (1 - ciaw[c]) * (1 - ciaw[in]) * (1 - ciaw[a]));
	double expl = 20 * avw[av] * acw[ac] * auw[au];
	double f = impact == 0 ? 0 : 1.176;
	double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	int s = (int)lround(base * 10);
	return s < 0 ? 0 : s;
}

enum hull_severity vdb_cvss3_severity(int s)
{
	if (s <= 0)
		return HULL_SEV_UNKNOWN;
	if (s < 40)
		return HULL_SEV_LOW;
	if (s < 70)
		return HULL_SEV_MEDIUM;
	if (s < 90)
		return HULL_SEV_HIGH;
	return HULL_SEV_CRITICAL;
}

enum hull_severity vdb_cvss2_severity(int s)
{
	if (s < 0)
		return HULL_SEV_UNKNOWN;
	if (s < 40)
		return HULL_SEV_LOW;
	if (s < 70)
		return HULL_SEV_MEDIUM;
	return HULL_SEV_HIGH;
}
