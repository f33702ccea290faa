/* /proc/net socket tables. The kernel prints IPv4 addresses as one 32-bit
 * word and IPv6 ones as four, each in host byte order, in hex. */
#include "host/procnet.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"

/* n hex digits into *v; false on anything else */
static bool hex(struct hull_str s, uint64_t *v)
{
	if (!s.len || s.len > 16)
		return false;
	*v = 0;
	for (size_t i = 0; i < s.len; i++) {
		int d = hull_hex_digit(s.ptr[i]);
		if (d < 0)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	return true;
}

static bool dec(struct hull_str s, uint64_t *v)
{
	if (!s.len || s.len > 19)
		return false;
	*v = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
		*v = *v * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	return true;
}

/* The next blank-separated word of *rest. */
static struct hull_str word(struct hull_str *rest)
{
	size_t i = 0;
	while (i < rest->len && (rest->ptr[i] == ' ' || rest->ptr[i] == '\t'))
		i++;
	size_t start = i;
	while (i < rest->len && rest->ptr[i] != ' ' && rest->ptr[i] != '\t')
		i++;
	struct hull_str w = hull_str(rest->ptr + start, i - start);
	*rest = hull_str(rest->ptr + i, rest->len - i);
	return w;
}

/* "0100007F:0016" (or 32 hex digits for v6) */
static bool addr_port(struct hull_str w, bool v6, char *addr, size_t addrsz, unsigned *port)
{
	long colon = hull_str_index(w, ':');
	size_t alen = v6 ? 32 : 8;
	uint64_t p;
	if (colon != (long)alen || !hex(hull_str(w.ptr + alen + 1, w.len - alen - 1), &p) ||
	    p > 65535)
		return false;
	unsigned char b[16];
	for (size_t word_i = 0; word_i < alen / 8; word_i++) {
		uint64_t x;
		if (!hex(hull_str(w.ptr + word_i * 8, 8), &x))
			return false;
		uint32_t host = (uint32_t)x;
		/* the word was printed from memory in host order: little endian here */
		memcpy(b + word_i * 4, &host, 4);
	}
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, b, addr, (socklen_t)addrsz))
		return false;
	*port = (unsigned)p;
	return true;
}

static bool zero_remote(struct hull_str w)
{
	for (size_t i = 0; i < w.len; i++)
		if (w.ptr[i] != '0' && w.ptr[i] != ':')
			return false;
	return true;
}

/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
static bool inet_line(struct hull_str line, enum hull_sock_proto proto, bool v6,
                      struct hull_sock *s)
{
	struct hull_str rest = line;
	struct hull_str sl = word(&rest), local = word(&rest), remote = word(&rest),
	                st = word(&rest);
	uint64_t state, uid, inode;
	if (!hull_str_has_suffix(sl, ":") || !hex(st, &state))
		return false;
	word(&rest);
	word(&rest);
	word(&rest);
	struct hull_str u = word(&rest);
	word(&rest);
	struct hull_str in = word(&rest);
	if (!dec(u, &uid) || !dec(in, &inode))
		return false;
	memset(s, 0, sizeof(*s));
	s->proto = proto;
	s->v6 = v6;
	if (!addr_port(local, v6, s->addr, sizeof(s->addr), &s->port))
		return false;
	s->uid = (unsigned)uid;
	s->inode = inode;
	switch (proto) {
	case HULL_SOCK_TCP:
		s->listening = state == 0x0a;
		break;
	case HULL_SOCK_UDP:
		s->listening = state == 0x07 && zero_remote(remote);
		break;
	default:
		s->listening = true;
		break;
	}
	return true;
}

/* Num RefCount Protocol Flags Type St Inode [Path] */
static bool unix_line(struct hull_str line, struct hull_sock *s)
{
	struct hull_str rest = line;
	struct hull_str num = word(&rest);
	word(&rest);
	word(&rest);
	struct hull_str flags = word(&rest);
	word(&rest);
	word(&rest);
	struct hull_str in = word(&rest);
	uint64_t f, inode;
	if (!hull_str_has_suffix(num, ":") || !hex(flags, &f) || !dec(in, &inode))
		return false;
	memset(s, 0, sizeof(*s));
	s->proto = HULL_SOCK_UNIX;
	s->inode = inode;
	s->listening = (f & 0x10000) != 0; /* __SO_ACCEPTCON */
	struct hull_str path = hull_str_trim(rest);
	if (path.len >= sizeof(s->path))
		path.len = sizeof(s->path) - 1;
	memcpy(s->path, path.ptr, path.len);
	s->path[path.len] = '\0';
	return true;
}

int hull_procnet_parse(const char *data, size_t len, enum hull_sock_proto proto, bool v6,
                       struct hull_sock_list *out)
{
	struct hull_str rest = hull_str(data, len), line;
	bool header = true;
	while (hull_str_next_line(&rest, &line)) {
		if (header) {
			header = false;
			continue;
		}
		if (!hull_str_trim(line).len)
			continue;
		struct hull_sock s;
		bool ok =
		    proto == HULL_SOCK_UNIX ? unix_line(line, &s) : inet_line(line, proto, v6, &s);
		if (!ok) {
			out->bad_lines++;
			continue;
		}
		if (out->n >= HULL_PROCNET_MAX)
			continue;
		if (HULL_ARRAY_PUSH_ROOM(out->v, out->n, out->cap, HULL_PROCNET_MAX, NULL) < 0)
			return -1;
		out->v[out->n++] = s;
	}
	return 0;
}

void hull_sock_list_release(struct hull_sock_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *hull_sock_proto_name(enum hull_sock_proto p)
{
	static const char *const names[] = {"tcp", "udp", "raw", "unix"};
	return names[p];
}
