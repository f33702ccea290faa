/* The sshd_config parser and evaluator. The input is split at the first
 * "\n---\n" into the main file and a second file that every Include
 * pattern finds (one naming "self" finds the main file: an include
 * cycle). Each input is evaluated for the start-up view, a connection,
 * root from anywhere and the clients of every Match block (any user and
 * root), through the authentication model. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"
#include "host/sshd_auth.h"

#define MAIN "/etc/ssh/sshd_config"
#define INC  "/etc/ssh/inc.conf"

struct mem {
	const uint8_t *data;
	size_t len, split; /* the main file is data[0, split) */
};

static int rd(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err)
{
	const struct mem *m = ctx;
	const uint8_t *p;
	size_t n;
	if (!strcmp(path, MAIN)) {
		p = m->data;
		n = m->split;
	} else if (!strcmp(path, INC) && m->split < m->len) {
		p = m->data + m->split + 5;
		n = m->len - m->split - 5;
	} else if (!strcmp(path, "/etc/passwd")) {
		p = (const uint8_t
		         *)"root:x:0:0::/root:/bin/sh\nann:x:1000:10::/home/ann:/bin/sh\n";
		n = strlen((const char *)p);
	} else if (!strcmp(path, "/etc/group")) {
		p = (const uint8_t *)"root:x:0:\nwheel:x:10:\nstaff:x:50:ann,root\n";
		n = strlen((const char *)p);
	} else {
		return hull_err_set(err, HULL_ERR_NOTFOUND, "%s", path);
	}
	*data = malloc(n + 1);
	if (!*data)
		return hull_err_nomem(err);
	memcpy(*data, p, n);
	(*data)[n] = '\0';
	*len = n;
	return 0;
}

static int gl(void *ctx, const char *pattern, char ***paths, size_t *n, struct hull_err *err)
{
	const struct mem *m = ctx;
	*paths = NULL;
	*n = 0;
	const char *path = strstr(pattern, "self") ? MAIN : m->split < m->len ? INC : NULL;
	if (!path)
		return 0;
	if (!(*paths = calloc(1, sizeof(char *))) || !((*paths)[0] = strdup(path))) {
		free(*paths);
		*paths = NULL;
		return hull_err_nomem(err);
	}
	*n = 1;
	return 0;
}

static void views(struct hull_sshd *c)
{
	struct hull_err err = {0};
	struct sshd_auth a;
	bool applies;
	size_t nb, nr;
	hull_sshd_refusals(c, &nr);
	sshd_auth_eval(c, &a);
	if (hull_sshd_view_clients(c, NULL, "root", &applies, &err) == 0)
		sshd_auth_eval(c, &a);
	const struct hull_sshd_block *b = hull_sshd_blocks(c, &nb);
	for (size_t i = 0; i < nb && i < 64; i++) {
		if (hull_sshd_view_clients(c, &b[i], NULL, &applies, &err) == 0)
			sshd_auth_eval(c, &a);
		if (hull_sshd_view_clients(c, &b[i], "root", &applies, &err) == 0)
			sshd_auth_eval(c, &a);
	}
	hull_sshd_view_conn(c, NULL, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size, size};
	for (size_t i = 0; i + 5 <= size; i++) {
		if (!memcmp(data + i, "\n---\n", 5)) {
			m.split = i;
			break;
		}
	}
	struct hull_sshd_source src = {rd, gl, &m};
	struct hull_sshd_conn conn = {"ann", "h.example.com", "10.1.2.3", "192.0.2.1", NULL, 22};
	for (int pass = 0; pass < 2; pass++) {
		struct hull_sshd *c = NULL;
		struct hull_err err = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		if (hull_sshd_load(&src, MAIN, pass ? &conn : NULL, &c, &diag, &err) == 0) {
			struct hull_buf b;
			hull_buf_init(&b, 1u << 20);
			hull_sshd_dump(c, &b, &err);
			hull_buf_release(&b);
			if (!pass)
				views(c);
		}
		hull_sshd_free(c);
		hull_diag_release(&diag);
	}
	return 0;
}
