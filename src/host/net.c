/* Listening sockets: the kernel's tables under <root>/proc/net, mapped to
 * their processes through <root>/proc/PID/fd links ("socket:[INODE]"),
 * then classified by what listens (port and process name) and where
 * (loopback, private, every address, public). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/internal.h"
#include "host/procnet.h"
#include "util/mem.h"

#define MAX_PROCS 65536
#define MAX_FDS   65536 /* per process */

struct owner {
	uint64_t inode;
	int pid;
	char comm[20];
};

struct owners {
	struct owner *v;
	size_t n, cap;
};

static int cmp_owner(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid - y->pid;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void read_comm(const struct hroot *r, const char *pid, char *comm, size_t n)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "/proc/%s/comm", pid);
	char *c = hroot_read_trim(r, rel);
	snprintf(comm, n, "%s", c ? c : "?");
	/* a process names itself: keep it printable */
	for (char *p = comm; *p; p++)
		if (!isprint((unsigned char)*p))
			*p = '?';
	free(c);
}

/* inode -> (pid, comm) for every socket fd of every process */
static void scan_owners(struct hscan *s, struct owners *o)
{
	char **pids;
	size_t npids;
	hroot_list(&s->root, "/proc", MAX_PROCS, &pids, &npids);
	for (size_t i = 0; i < npids; i++) {
		if (!all_digits(pids[i]))
			continue;
		char rel[64], comm[20] = "";
		snprintf(rel, sizeof(rel), "/proc/%s/fd", pids[i]);
		int dfd = hroot_opendir(&s->root, rel);
		if (dfd < 0)
			continue;
		char **fds;
		size_t nfds;
		/* list through the open fd: the directory may go away meanwhile */
		struct hroot sub = {.fd = dfd, .path = rel};
		hroot_list(&sub, ".", MAX_FDS, &fds, &nfds);
		for (size_t k = 0; k < nfds; k++) {
			char link[64];
			ssize_t n = readlinkat(dfd, fds[k], link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			unsigned long long inode;
			if (sscanf(link, "socket:[%llu]", &inode) != 1)
				continue;
			if (!comm[0])
				read_comm(&s->root, pids[i], comm, sizeof(comm));
			if (HULL_ARRAY_PUSH_ROOM(o->v, o->n, o->cap, (size_t)MAX_PROCS * 64, NULL) <
			    0)
				break;
			o->v[o->n].inode = inode;
			o->v[o->n].pid = atoi(pids[i]);
			snprintf(o->v[o->n].comm, sizeof(o->v[o->n].comm), "%s", comm);
			o->n++;
		}
		hroot_names_free(fds, nfds);
		close(dfd);
	}
	hroot_names_free(pids, npids);
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), cmp_owner);
}

static const struct owner *owner_of(const struct owners *o, uint64_t inode)
{
	size_t lo = 0, hi = o->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->n && o->v[lo].inode == inode ? &o->v[lo] : NULL;
}

static void read_table(struct hscan *s, const char *rel, enum hull_sock_proto p, bool v6,
                       struct hull_sock_list *l)
{
	char *data = NULL;
	size_t len;
	struct hull_err e = {0};
	if (hroot_read(&s->root, rel, 64u << 20, &data, &len, &e) < 0) {
		if (e.kind != HULL_ERR_NOTFOUND)
			hull_diag_warn(s->diag, "%s", e.msg);
		return;
	}
	size_t bad = l->bad_lines;
	if (hull_procnet_parse(data, len, p, v6, l) < 0)
		s->rc = hull_err_nomem(s->err);
	if (l->bad_lines > bad)
		hull_diag_warn(s->diag, "%s: %zu malformed lines skipped", rel, l->bad_lines - bad);
	free(data);
}

static bool in_ports(unsigned port, const unsigned *ports, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

static bool in_names(const char *comm, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(comm, names[i]))
			return true;
	return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned db_ports[] = {3306,  33060, 5432, 6379, 27017, 27018, 27019, 9200,  9300,
                                    11211, 5984,  9042, 8086, 1433,  1521,  26257, 28015, 8529};
static const char *const db_names[] = {"mysqld",       "mariadbd", "postgres",
                                       "redis-server", "mongod",   "memcached",
                                       "couchdb",      "influxd",  "cockroach"};
static const unsigned orch_ports[] = {10250, 10255, 2379, 2380};
static const char *const orch_names[] = {"kubelet", "etcd"};

/* One listening inet socket into at most one finding, the most specific. */
static void classify(struct hscan *s, const struct hull_sock *k, const struct owner *ow)
{
	if (k->proto == HULL_SOCK_RAW) {
		char obj[160];
		snprintf(obj, sizeof(obj), "raw%s protocol %u (%s pid %d)", k->v6 ? "6" : "",
		         k->port, ow ? ow->comm : "unknown process", ow ? ow->pid : 0);
		host_report(s, HR_NET_RAW, NULL, 0, obj, "%s holds a raw socket (IP protocol %u)",
		            ow ? ow->comm : "a process", k->port);
		return;
	}
	enum exposure e = host_exposure(k->addr);
	if (e == EXPOSE_LOOPBACK)
		return;
	const char *comm = ow ? ow->comm : "";
	char obj[200], who[64];
	snprintf(who, sizeof(who), "%s", ow ? ow->comm : "unknown process");
	snprintf(obj, sizeof(obj), "%s%s %s%s%s:%u (%s pid %d)", hull_sock_proto_name(k->proto),
	         k->v6 ? "6" : "", k->v6 ? "[" : "", k->addr, k->v6 ? "]" : "", k->port, who,
	         ow ? ow->pid : 0);
	const char *where = host_exposure_name(e);
	bool wide = e == EXPOSE_ALL || e == EXPOSE_PUBLIC;
	bool tcp = k->proto == HULL_SOCK_TCP;
	if (tcp && (k->port == 2375 || (!strcmp(comm, "dockerd") && k->port != 2376))) {
		host_report(s, HR_NET_DOCKER_API, NULL, 0, obj,
		            "%s serves the Docker Engine API on %s port %u without TLS", who, where,
		            k->port);
	} else if (tcp && k->port == 2376) {
		host_report(s, HR_NET_DOCKER_TLS, NULL, 0, obj,
		            "%s serves the Docker Engine API (TLS) on %s port %u", who, where,
		            k->port);
	} else if (!wide) {
		return;
	} else if (in_ports(k->port, db_ports, N(db_ports)) ||
	           in_names(comm, db_names, N(db_names))) {
		host_report(s, HR_NET_DATABASE, NULL, 0, obj,
		            "%s (a database port or server) listens on %s", who, where);
	} else if (in_ports(k->port, orch_ports, N(orch_ports)) ||
	           in_names(comm, orch_names, N(orch_names))) {
		host_report(s, HR_NET_ORCHESTRATION, NULL, 0, obj, "%s listens on %s port %u", who,
		            where, k->port);
	} else if (tcp && (k->port == 22 || !strcmp(comm, "sshd"))) {
		host_report(s, HR_NET_SSH, NULL, 0, obj, "%s (SSH) listens on %s port %u", who,
		            where, k->port);
	} else if (k->port == 3389 || !strncmp(comm, "xrdp", 4)) {
		host_report(s, HR_NET_RDP, NULL, 0, obj, "%s (RDP) listens on %s port %u", who,
		            where, k->port);
	} else if (e == EXPOSE_PUBLIC) {
		host_report(s, HR_NET_PUBLIC, NULL, 0, obj,
		            "%s listens on public address %s port %u", who, k->addr, k->port);
	} else {
		host_report(s, HR_NET_EVERY_ADDRESS, NULL, 0, obj,
		            "%s listens on every address, %s port %u", who,
		            hull_sock_proto_name(k->proto), k->port);
	}
}

void host_check_net(struct hscan *s)
{
	static const struct {
		const char *rel;
		enum hull_sock_proto p;
		bool v6;
	} tables[] = {
	    {"/proc/net/tcp", HULL_SOCK_TCP, false}, {"/proc/net/tcp6", HULL_SOCK_TCP, true},
	    {"/proc/net/udp", HULL_SOCK_UDP, false}, {"/proc/net/udp6", HULL_SOCK_UDP, true},
	    {"/proc/net/raw", HULL_SOCK_RAW, false}, {"/proc/net/raw6", HULL_SOCK_RAW, true},
	};
	struct hull_sock_list l = {0};
	for (size_t i = 0; i < N(tables) && s->rc == 0; i++)
		read_table(s, tables[i].rel, tables[i].p, tables[i].v6, &l);
	if (!l.n) {
		hull_sock_list_release(&l);
		return;
	}
	struct owners o = {0};
	scan_owners(s, &o);
	for (size_t i = 0; i < l.n && s->rc == 0; i++)
		if (l.v[i].listening)
			classify(s, &l.v[i], owner_of(&o, l.v[i].inode));
	free(o.v);
	hull_sock_list_release(&l);
}
