/* addr: IPv4 / IPv6 addresses and CIDR blocks, for NetworkPolicy ipBlocks,
 * pod IPs and published-port bind addresses. Parsing copies at most 63
 * bytes into a local buffer for inet_pton: longer text is not an address. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "network/internal.h"

bool net_addr_parse(const char *s, size_t n, struct net_addr *out)
{
	char buf[64];
	if (!s || n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(out, 0, sizeof(*out));
	if (memchr(buf, ':', n)) {
		out->v6 = true;
		return inet_pton(AF_INET6, buf, out->b) == 1;
	}
	return inet_pton(AF_INET, buf, out->b) == 1;
}

static unsigned family_bits(const struct net_addr *a)
{
	return a->v6 ? 128 : 32;
}

/* Are the first `bits` bits of a and b equal? */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, whole) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static bool host_bits_zero(const struct net_cidr *c)
{
	unsigned total = family_bits(&c->a);
	for (unsigned i = c->bits; i < total; i++)
		if (c->a.b[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

bool net_cidr_parse(const char *s, size_t n, bool loose, struct net_cidr *out)
{
	const char *slash = s ? memchr(s, '/', n) : NULL;
	if (!slash)
		return false;
	if (!net_addr_parse(s, (size_t)(slash - s), &out->a))
		return false;
	const char *p = slash + 1, *end = s + n;
	if (p == end || end - p > 3)
		return false;
	unsigned bits = 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		bits = bits * 10 + (unsigned)(*p - '0');
	}
	if (bits > family_bits(&out->a))
		return false;
	out->bits = (uint8_t)bits;
	if (!host_bits_zero(out)) {
		if (!loose)
			return false;
		/* keep the network part only */
		unsigned total = family_bits(&out->a);
		for (unsigned i = bits; i < total; i++)
			out->a.b[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	}
	return true;
}

bool net_cidr_contains(const struct net_cidr *c, const struct net_addr *a)
{
	return c->a.v6 == a->v6 && prefix_eq(c->a.b, a->b, c->bits);
}

bool net_cidr_covers(const struct net_cidr *outer, const struct net_cidr *inner)
{
	return outer->a.v6 == inner->a.v6 && outer->bits <= inner->bits &&
	       prefix_eq(outer->a.b, inner->a.b, outer->bits);
}

bool net_cidr_overlaps(const struct net_cidr *a, const struct net_cidr *b)
{
	return net_cidr_covers(a, b) || net_cidr_covers(b, a);
}

bool net_addr_loopback(const struct net_addr *a)
{
	static const uint8_t one6[16] = {[15] = 1};
	return a->v6 ? !memcmp(a->b, one6, 16) : a->b[0] == 127;
}

bool net_addr_any(const struct net_addr *a)
{
	static const uint8_t zero[16];
	return !memcmp(a->b, zero, a->v6 ? 16 : 4);
}

void net_cidr_format(const struct net_cidr *c, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(c->a.v6 ? AF_INET6 : AF_INET, c->a.b, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, cap, "%s/%u", a, c->bits);
}

bool net_ipblock_contains(const struct net_ipblock *b, const struct net_addr *a)
{
	if (!net_cidr_contains(&b->cidr, a))
		return false;
	for (size_t i = 0; i < b->nexcept; i++)
		if (net_cidr_contains(&b->except[i], a))
			return false;
	return true;
}

/* Address space that is not the public internet: private, shared
 * (CGNAT), loopback, link-local, multicast and reserved. */
static const char *const not_public[] = {
    "0.0.0.0/8",     "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4",   "240.0.0.0/4", "::1/128",
    "::/128",        "fc00::/7",       "fe80::/10",     "ff00::/8",
};

bool net_ipblock_is_world(const struct net_ipblock *b)
{
	if (b->cidr.bits != 0)
		return false;
	for (size_t i = 0; i < b->nexcept; i++) {
		bool inside = false;
		for (size_t k = 0; k < sizeof(not_public) / sizeof(not_public[0]) && !inside; k++) {
			struct net_cidr np;
			if (net_cidr_parse(not_public[k], strlen(not_public[k]), false, &np))
				inside = net_cidr_covers(&np, &b->except[i]);
		}
		if (!inside)
			return false;
	}
	return true;
}
