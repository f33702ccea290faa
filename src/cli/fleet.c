/* cli fleet: the fleet API's connection pool and answers (fleet.h). */
#include "cli/fleet.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

struct api_conn {
	pthread_mutex_t lock;
	struct hull_store *s; /* NULL until first used, and after an error */
};

struct hull_cli_fleet_api {
	const char *url;
	unsigned n;
	atomic_uint next;
	struct api_conn conns[HULL_FLEET_API_CONNS_MAX];
};

struct hull_cli_fleet_api *hull_cli_fleet_api_new(const char *url, unsigned conns)
{
	struct hull_cli_fleet_api *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->url = url;
	a->n = conns < 1 ? 1 : conns > HULL_FLEET_API_CONNS_MAX ? HULL_FLEET_API_CONNS_MAX : conns;
	for (unsigned i = 0; i < a->n; i++)
		pthread_mutex_init(&a->conns[i].lock, NULL);
	return a;
}

void hull_cli_fleet_api_free(struct hull_cli_fleet_api *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->n; i++) {
		hull_store_close(a->conns[i].s);
		pthread_mutex_destroy(&a->conns[i].lock);
	}
	free(a);
}

/* A free connection of the pool, else the next one in turn (waiting). */
static struct api_conn *conn_take(struct hull_cli_fleet_api *a)
{
	for (unsigned i = 0; i < a->n; i++)
		if (pthread_mutex_trylock(&a->conns[i].lock) == 0)
			return &a->conns[i];
	struct api_conn *c = &a->conns[atomic_fetch_add(&a->next, 1) % a->n];
	pthread_mutex_lock(&c->lock);
	return c;
}

/* The server sends msg as its {"error", "status"} document (server.h). */
static int answer_error(struct hull_buf *out, int status, const char *msg)
{
	hull_buf_reset(out);
	hull_buf_append_str(out, msg, NULL);
	return status;
}

int hull_cli_fleet_api_get(void *ctx, const char *what, const char *query, struct hull_buf *out)
{
	struct hull_cli_fleet_api *a = ctx;
	struct hull_store_fleet_query q;
	struct hull_err err = {0};
	if (hull_store_fleet_request(what, query ? query : "", time(NULL), &q, &err) < 0)
		return answer_error(out, err.kind == HULL_ERR_NOTFOUND ? 404 : 400, err.msg);

	struct api_conn *c = conn_take(a);
	int rc = 0;
	if (!c->s && (rc = hull_store_open(a->url, &c->s, &err)) == 0)
		hull_store_keep_plans(c->s);
	hull_buf_reset(out);
	if (rc == 0 && (rc = hull_store_fleet_run(c->s, &q, out, &err)) < 0 &&
	    err.kind != HULL_ERR_LIMIT) {
		/* a dropped connection or a failed query: a new one next time */
		hull_store_close(c->s);
		c->s = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	char msg[HULL_ERR_MSG_MAX + 64];
	if (rc < 0 && err.kind == HULL_ERR_LIMIT) {
		snprintf(msg, sizeof(msg), "fleet %s: the answer is over %zu MiB: narrow the query",
		         q.name, out->max >> 20);
		return answer_error(out, 500, msg);
	}
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "fleet %s: %s", q.name, err.msg);
		return answer_error(out, 503, msg);
	}
	return hull_buf_putc(out, '\n', &err) < 0 ? answer_error(out, 500, "fleet: no room") : 200;
}
