/* OpenSSH's pattern matching, as sshd's Match and algorithm lists use it:
 * `*` and `?` wildcards, comma-separated lists where `!pattern` vetoes,
 * and address lists that take CIDR networks. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"
#include "host/sshd_internal.h"

bool sshd_match_pattern(const char *s, const char *pattern)
{
	/* iterative with one backtrack point: linear in practice, no recursion */
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pattern == '*') {
			star = pattern++;
			resume = s;
		} else if (*pattern == '?' || *pattern == *s) {
			pattern++;
			s++;
		} else if (star) {
			pattern = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

int hull_sshd_match_list(const char *s, const char *list, bool nocase)
{
	char sub[1024];
	int positive = 0;
	size_t len = strlen(list);
	for (size_t i = 0; i < len;) {
		bool negated = list[i] == '!';
		if (negated)
			i++;
		size_t k = 0;
		for (; i < len && k < sizeof(sub) - 1 && list[i] != ','; k++, i++)
			sub[k] = nocase ? (char)tolower((unsigned char)list[i]) : list[i];
		if (k >= sizeof(sub) - 1)
			return 0; /* as OpenSSH: an overlong item never matches */
		if (i < len && list[i] == ',')
			i++;
		sub[k] = '\0';
		if (sshd_match_pattern(s, sub)) {
			if (negated)
				return -1;
			positive = 1;
		}
	}
	return positive;
}

struct addr {
	int af;
	uint8_t b[16];
};

static bool addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->af = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->af = AF_INET6;
		return true;
	}
	return false;
}

/* "addr[/len]": 0 ok, -1 not an address, -2 host bits set past the mask */
static int cidr_parse(const char *s, struct addr *a, unsigned *masklen)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!addr_parse(buf, a))
		return -1;
	unsigned max = a->af == AF_INET ? 32 : 128;
	*masklen = max;
	if (slash) {
		char *end;
		if (!slash[1] || !isdigit((unsigned char)slash[1]))
			return -1;
		unsigned long v = strtoul(slash + 1, &end, 10);
		if (*end || v > max)
			return -1;
		*masklen = (unsigned)v;
	}
	for (unsigned bit = *masklen; bit < max; bit++)
		if (a->b[bit / 8] & (0x80u >> (bit % 8)))
			return -2;
	return 0;
}

static bool netmatch(const struct addr *host, const struct addr *net, unsigned masklen)
{
	if (host->af != net->af)
		return false;
	for (unsigned bit = 0; bit < masklen; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		if ((host->b[bit / 8] & m) != (net->b[bit / 8] & m))
			return false;
	}
	return true;
}

int hull_sshd_addr_match_list(const char *addr, const char *list)
{
	struct addr host;
	if (addr && !addr_parse(addr, &host))
		return 0;
	char *copy = strdup(list);
	if (!copy)
		return 0;
	int ret = 0;
	char *rest = copy;
	for (char *cp; (cp = strsep(&rest, ","));) {
		bool neg = *cp == '!';
		if (neg)
			cp++;
		if (!*cp) {
			ret = -2;
			break;
		}
		struct addr net;
		unsigned masklen;
		int r = cidr_parse(cp, &net, &masklen);
		bool found = false;
		if (r == -2) {
			ret = -2;
			break;
		} else if (r == 0) {
			found = addr && netmatch(&host, &net, masklen);
		} else {
			found = addr && sshd_match_pattern(addr, cp);
		}
		if (found) {
			if (neg) {
				ret = -1;
				break;
			}
			ret = 1;
		}
	}
	free(copy);
	return ret;
}
