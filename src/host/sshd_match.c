/* OpenSSH's pattern matching, as sshd's Match and algorithm lists use it:
 * `*` and `?` wildcards, comma-separated lists where `!pattern` vetoes,
 * and address lists that take CIDR networks. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

/* addr_pton: a numeric address as getaddrinfo(AI_NUMERICHOST) reads it
 * (so "10.1" is 10.0.0.1, as in sshd). */
static bool addr_parse(const char *s, struct sshd_net *a)
{
	memset(a, 0, sizeof(*a));
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST}, *ai = NULL;
	if (!s || getaddrinfo(s, NULL, &hints, &ai) != 0 || !ai)
		return false;
	bool ok = true;
	if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
		a->af = AF_INET;
		memcpy(a->b, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
	} else if (ai->ai_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
		a->af = AF_INET6;
		memcpy(a->b, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
	} else {
		ok = false;
	}
	freeaddrinfo(ai);
	return ok;
}

int sshd_net_parse(const char *s, struct sshd_net *a)
{
	char buf[64];
	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	char *slash = strchr(buf, '/');
	unsigned long masklen = 0;
	if (slash) {
		*slash++ = '\0';
		char *end;
		masklen = strtoul(slash, &end, 10);
		if (*slash < '0' || *slash > '9' || *end || masklen > 128)
			return -1;
	}
	if (!addr_parse(buf, a))
		return -1;
	unsigned max = a->af == AF_INET ? 32 : 128;
	if (!slash)
		masklen = max;
	if (masklen > max)
		return -2;
	a->masklen = (unsigned)masklen;
	for (unsigned bit = a->masklen; bit < max; bit++)
		if (a->b[bit / 8] & (0x80u >> (bit % 8)))
			return -2;
	return 0;
}

static bool netmatch(const struct sshd_net *host, const struct sshd_net *net)
{
	if (host->af != net->af)
		return false;
	for (unsigned bit = 0; bit < net->masklen; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		if ((host->b[bit / 8] & m) != (net->b[bit / 8] & m))
			return false;
	}
	return true;
}

bool sshd_net_within(const struct sshd_net *a, const struct sshd_net *b)
{
	return a->af == b->af && a->masklen >= b->masklen && netmatch(a, b);
}

int hull_sshd_addr_match_list(const char *addr, const char *list)
{
	struct sshd_net host;
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
		struct sshd_net net;
		int r = sshd_net_parse(cp, &net);
		bool found = false;
		if (r == -2) {
			ret = -2;
			break;
		} else if (r == 0) {
			found = addr && netmatch(&host, &net);
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
