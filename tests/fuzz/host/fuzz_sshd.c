/* The sshd_config parser and evaluator on one file (includes resolve to
 * nothing), for the start-up view and for a connection. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/sshd.h"

struct mem {
	const uint8_t *data;
	size_t len;
};

static int rd(void *ctx, const char *path, char **data, size_t *len, struct hull_err *err)
{
	const struct mem *m = ctx;
	if (strcmp(path, "/etc/ssh/sshd_config"))
		return hull_err_set(err, HULL_ERR_NOTFOUND, "%s", path);
	*data = malloc(m->len + 1);
	if (!*data)
		return hull_err_nomem(err);
	memcpy(*data, m->data, m->len);
	(*data)[m->len] = '\0';
	*len = m->len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size};
	struct hull_sshd_source src = {rd, NULL, &m};
	struct hull_sshd_conn conn = {"alice", "h.example.com", "10.1.2.3", "192.0.2.1", NULL, 22};
	for (int pass = 0; pass < 2; pass++) {
		struct hull_sshd *c = NULL;
		struct hull_err err = {0};
		struct hull_diag diag;
		hull_diag_init(&diag);
		if (hull_sshd_load(&src, "/etc/ssh/sshd_config", pass ? &conn : NULL, &c, &diag,
		                   &err) == 0) {
			struct hull_buf b;
			hull_buf_init(&b, 1u << 20);
			hull_sshd_dump(c, &b, &err);
			hull_buf_release(&b);
		}
		hull_sshd_free(c);
		hull_diag_release(&diag);
	}
	return 0;
}
