/* cli store: --store, --node, --namespace and recording a run (store.h). */
#include "cli/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "misconfig/rules.h"
#include "store/store.h"
#include "util/json.h"

int hull_cli_store_option(int c, const char *arg, struct hull_cli_store *o)
{
	switch (c) {
	case HULL_OPT_STORE:
		o->url = arg;
		return 1;
	case HULL_OPT_NODE:
		o->node = arg;
		return 1;
	case HULL_OPT_NAMESPACE:
		o->ns = arg;
		return 1;
	}
	return 0;
}

const char *hull_cli_store_node(struct hull_cli_store *o)
{
	if (o->node && *o->node)
		return o->node;
	const char *env = getenv("HULL_NODE");
	if (env && *env)
		return env;
	if (gethostname(o->nodebuf, sizeof(o->nodebuf) - 1) < 0 || !o->nodebuf[0])
		snprintf(o->nodebuf, sizeof(o->nodebuf), "unknown");
	return o->nodebuf;
}

int hull_cli_store_record(struct hull_cli_store *o, const char *kind, const char *target,
                          time_t started, const struct hull_findings *f, struct hull_err *err)
{
	if (!o->url)
		return 0;
	struct hull_store *s;
	if (hull_store_open(o->url, &s, err) < 0)
		return -1;
	struct hull_store_run run = {
	    .kind = kind,
	    .target = target,
	    .node = hull_cli_store_node(o),
	    .ns = o->ns,
	    .started = started,
	    .finished = time(NULL),
	};
	int rc = hull_store_record(s, &run, f, NULL, NULL, err);
	hull_store_close(s);
	return rc;
}

#define METRICS_CACHE_S 10

struct hull_cli_store_metrics {
	pthread_mutex_t lock;
	const char *url;
	struct hull_store *s;
	struct hull_buf cache;
	time_t at;
	bool up;
};

struct hull_cli_store_metrics *hull_cli_store_metrics_new(const char *url)
{
	struct hull_cli_store_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	pthread_mutex_init(&m->lock, NULL);
	m->url = url;
	hull_buf_init(&m->cache, 1u << 20);
	return m;
}

static void refresh(struct hull_cli_store_metrics *m)
{
	struct hull_err err = {0};
	hull_buf_reset(&m->cache);
	m->up = false;
	if (!m->s && hull_store_open(m->url, &m->s, &err) < 0)
		return;
	if (hull_store_metrics(m->s, &m->cache, &err) < 0) {
		/* a dropped connection: made again at the next scrape */
		hull_buf_reset(&m->cache);
		hull_store_close(m->s);
		m->s = NULL;
		return;
	}
	m->up = true;
}

void hull_cli_store_metrics_write(void *ctx, struct hull_buf *out)
{
	struct hull_cli_store_metrics *m = ctx;
	struct hull_err err = {0};
	time_t now = time(NULL);
	pthread_mutex_lock(&m->lock);
	if (!m->at || now - m->at >= METRICS_CACHE_S || now < m->at) {
		refresh(m);
		m->at = now;
	}
	hull_buf_printf(out, &err,
	                "# HELP hull_store_up Whether the results store answered.\n"
	                "# TYPE hull_store_up gauge\nhull_store_up %d\n",
	                m->up ? 1 : 0);
	if (m->cache.len)
		hull_buf_append(out, m->cache.data, m->cache.len, &err);
	pthread_mutex_unlock(&m->lock);
}

void hull_cli_store_metrics_free(struct hull_cli_store_metrics *m)
{
	if (!m)
		return;
	hull_store_close(m->s);
	hull_buf_release(&m->cache);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct hull_cli_store_decisions {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t writer;
	struct hull_cli_store *o;
	char *lines[HULL_CLI_DECISIONS_QUEUE];
	size_t head, n;
	bool stop;
	unsigned long dropped, failed;
};

void hull_cli_store_decision(void *ctx, const char *line, size_t len)
{
	struct hull_cli_store_decisions *q = ctx;
	char *copy = strndup(line, len);
	pthread_mutex_lock(&q->lock);
	if (!copy || q->n == HULL_CLI_DECISIONS_QUEUE) {
		q->dropped++;
		free(copy);
	} else {
		q->lines[(q->head + q->n++) % HULL_CLI_DECISIONS_QUEUE] = copy;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->lock);
}

/* One decision line as a run and its findings. */
static int record_decision(struct hull_store *s, struct hull_cli_store *o, const char *line,
                           struct hull_err *err)
{
	struct json_object *d;
	if (hull_json_parse(line, strlen(line), "decision", &d, err) < 0)
		return -1;
	const char *event = hull_json_get_str(d, "event");
	const char *kind = hull_json_get_str(d, "kind"), *ns = hull_json_get_str(d, "namespace");
	const char *name = hull_json_get_str(d, "name");
	char target[512];
	if (kind)
		snprintf(target, sizeof(target), "%.100s %.200s%s%.200s", kind, ns ? ns : "",
		         ns ? "/" : "", name ? name : "");
	else
		snprintf(target, sizeof(target), "container %.200s", name ? name : "?");
	struct hull_findings f = {0};
	struct json_object *list = hull_json_get_arr(d, "findings");
	int rc = 0;
	for (size_t i = 0; rc == 0 && list && i < json_object_array_length(list); i++) {
		struct json_object *x = json_object_array_get_idx(list, i);
		const char *id = hull_json_get_str(x, "rule");
		const struct hull_rule *r = id ? hull_rule_find(id) : NULL;
		enum hull_severity sev = HULL_SEV_UNKNOWN;
		struct hull_err e = {0};
		hull_severity_parse(hull_json_get_str(x, "severity"), &sev, &e);
		const char *msg = hull_json_get_str(x, "message");
		const char *obj = hull_json_get_str(x, "object");
		struct hull_finding one = {
		    .kind = HULL_FINDING_MISCONFIG,
		    .id = strdup(id ? id : "HULL-UNKNOWN"),
		    .severity = sev,
		    .title = strdup(r && r->title ? r->title
		                    : id          ? id
		                                  : "admission finding"),
		    .message = msg ? strdup(msg) : NULL,
		    .loc.object = obj ? strdup(obj) : NULL,
		};
		rc = hull_findings_add(&f, &one, err);
	}
	time_t now = time(NULL);
	struct hull_store_run run = {
	    .kind = event && !strcmp(event, "authz") ? "authz" : "admission",
	    .target = target,
	    .node = hull_cli_store_node(o),
	    .ns = ns,
	    .started = now,
	    .finished = now,
	};
	if (rc == 0)
		rc = hull_store_record(s, &run, &f, NULL, NULL, err);
	hull_findings_release(&f);
	json_object_put(d);
	return rc;
}

static void *writer_main(void *arg)
{
	struct hull_cli_store_decisions *q = arg;
	struct hull_store *s = NULL;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->n && !q->stop)
			pthread_cond_wait(&q->more, &q->lock);
		if (!q->n)
			break;
		char *line = q->lines[q->head];
		q->head = (q->head + 1) % HULL_CLI_DECISIONS_QUEUE;
		q->n--;
		pthread_mutex_unlock(&q->lock);
		struct hull_err err = {0};
		int rc = -1;
		/* one reconnection per line: a restarted server costs one try */
		for (int attempt = 0; rc < 0 && attempt < 2; attempt++) {
			if (!s && hull_store_open(q->o->url, &s, &err) < 0)
				continue;
			rc = record_decision(s, q->o, line, &err);
			if (rc < 0 && err.kind == HULL_ERR_IO) {
				hull_store_close(s);
				s = NULL;
			} else if (rc < 0) {
				break; /* not the connection's fault */
			}
		}
		free(line);
		pthread_mutex_lock(&q->lock);
		if (rc < 0 && q->failed++ % 1000 == 0)
			fprintf(stderr, "hull: serve: decision not recorded in the store: %s\n",
			        err.msg);
	}
	pthread_mutex_unlock(&q->lock);
	hull_store_close(s);
	return NULL;
}

struct hull_cli_store_decisions *hull_cli_store_decisions_new(struct hull_cli_store *o)
{
	struct hull_cli_store_decisions *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->o = o;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	if (pthread_create(&q->writer, NULL, writer_main, q) != 0) {
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->more);
		free(q);
		return NULL;
	}
	return q;
}

void hull_cli_store_decisions_free(struct hull_cli_store_decisions *q)
{
	if (!q)
		return;
	/* let the writer drain for a while, then stop it */
	for (int i = 0; i < 50; i++) {
		pthread_mutex_lock(&q->lock);
		size_t left = q->n;
		pthread_mutex_unlock(&q->lock);
		if (!left)
			break;
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
	}
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	size_t left = q->n;
	for (size_t i = 0; i < left; i++)
		free(q->lines[(q->head + i) % HULL_CLI_DECISIONS_QUEUE]);
	q->n = 0;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->writer, NULL);
	if (left || q->dropped || q->failed)
		fprintf(stderr,
		        "hull: serve: decisions not recorded in the store: %zu left at exit, %lu "
		        "dropped (queue full), %lu failed\n",
		        left, q->dropped, q->failed);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->more);
	free(q);
}
