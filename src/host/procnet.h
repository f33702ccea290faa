/* procnet: the kernel's socket tables (/proc/net/{tcp,tcp6,udp,udp6,raw,
 * raw6,unix}) parsed from text, for `hull host`'s listener checks.
 *
 * The parser takes the file's bytes (untrusted: a --root tree may hold
 * anything) and never reads past them; malformed lines are skipped and
 * counted. Addresses come out in their usual text form ("0.0.0.0", "::1").
 * At most HULL_PROCNET_MAX entries are kept. */
#ifndef HULL_HOST_PROCNET_H
#define HULL_HOST_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HULL_PROCNET_MAX 65536

enum hull_sock_proto { HULL_SOCK_TCP, HULL_SOCK_UDP, HULL_SOCK_RAW, HULL_SOCK_UNIX };

struct hull_sock {
	enum hull_sock_proto proto;
	bool v6;
	char addr[48];  /* local address; unix: unused */
	unsigned port;  /* local port; raw: the IP protocol number */
	bool listening; /* tcp LISTEN, an unconnected bound udp socket, any raw
	                 * socket, a unix socket accepting connections */
	uint64_t inode;
	unsigned uid;
	char path[108]; /* unix only, "" when unnamed; '@' starts abstract names */
};

struct hull_sock_list {
	struct hull_sock *v;
	size_t n, cap;
	size_t bad_lines;
};

/* Appends the entries of one file (its header line skipped). proto and v6
 * say which file it is. Returns -1 only on out of memory. */
int hull_procnet_parse(const char *data, size_t len, enum hull_sock_proto proto, bool v6,
                       struct hull_sock_list *out);

void hull_sock_list_release(struct hull_sock_list *l);

/* "tcp", "udp", "raw", "unix" (with "6" appended for v6 when six). */
const char *hull_sock_proto_name(enum hull_sock_proto p);

#endif
