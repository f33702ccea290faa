#include "util/utf8.h"

size_t hull_utf8_next(const char *s, size_t len, uint32_t *cp, bool *valid)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char b = p[0];
	if (b < 0x80) {
		*cp = b;
		*valid = true;
		return 1;
	}
	/* Well-formed sequences (Unicode table 3-7): the lead byte fixes the
	 * length and the range allowed for the second byte. */
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;
	uint32_t c;
	if (b >= 0xC2 && b <= 0xDF) {
		need = 2;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* no overlongs */
		else if (b == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F; /* nothing past U+10FFFF */
	} else {
		*cp = HULL_UTF8_REPLACEMENT;
		*valid = false;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xBF;
		if (i >= len || p[i] < lo_i || p[i] > hi_i) {
			/* The maximal subpart ends here: one U+FFFD for it. */
			*cp = HULL_UTF8_REPLACEMENT;
			*valid = false;
			return i;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	*valid = true;
	return need;
}

size_t hull_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool hull_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		bool ok;
		i += hull_utf8_next(s + i, len - i, &cp, &ok);
		if (!ok)
			return false;
	}
	return true;
}

struct range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

int hull_utf8_width(uint32_t cp)
{
	/* A coarse table: enough to keep columns aligned for the scripts that
	 * show up in package metadata, without depending on the locale. */
	static const struct range zero[] = {
	    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
	    {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
	    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
	    {0xFEFF, 0xFEFF},
	};
	static const struct range wide[] = {
	    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
	    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
	    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
	    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
	};
	if (in_ranges(cp, zero, sizeof(zero) / sizeof(zero[0])))
		return 0;
	if (in_ranges(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}
