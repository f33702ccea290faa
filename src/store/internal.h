/* store internals: the connection, query helpers and COPY writer shared by
 * store.c (schema, runs, images, layers) and fleet.c (workloads, queries,
 * metrics). */
#ifndef HULL_STORE_INTERNAL_H
#define HULL_STORE_INTERNAL_H

#include <libpq-fe.h>

#include "store/store.h"
#include "util/buf.h"

#define ST_PREPARED_MAX 32

struct hull_store {
	PGconn *conn;
	char sqlstate[6];     /* of the last failed statement */
	char put_error[1100]; /* the first error of a layer put */
	int64_t layer_lock;   /* the layer whose lock a miss holds; 0: none */
	bool layer_locked;
	/* hull_store_keep_plans: statements prepared on this connection, by
	 * the address of their SQL text (string literals); NULL: not yet */
	bool keep_plans;
	const char *prepared[ST_PREPARED_MAX];
};

/* Runs sql with text parameters (NULL: SQL NULL). Returns the result
 * when its status is PGRES_COMMAND_OK or PGRES_TUPLES_OK (caller clears),
 * else NULL with err set ("store: what: message") and s->sqlstate. */
PGresult *st_exec(struct hull_store *s, const char *what, const char *sql, int n,
                  const char *const *vals, struct hull_err *err);
/* The same, discarding the result. */
int st_run(struct hull_store *s, const char *what, const char *sql, int n, const char *const *vals,
           struct hull_err *err);

/* Runs fn inside BEGIN ... COMMIT, retrying the whole transaction on a
 * serialization failure (40001) or deadlock (40P01). */
int st_transaction(struct hull_store *s, const char *what,
                   int (*fn)(struct hull_store *s, void *ctx, struct hull_err *err), void *ctx,
                   struct hull_err *err);

/* COPY text format: fields appended one by one, each escaped (and
 * ill-formed UTF-8 replaced by U+FFFD, as the database is UTF-8). */
void st_copy_field(struct hull_buf *b, const char *v, bool last, struct hull_err *err);
void st_copy_int(struct hull_buf *b, long long v, bool last, struct hull_err *err);
/* Sends b as the data of "COPY <table_cols> FROM STDIN". */
int st_copy(struct hull_store *s, const char *table_cols, const struct hull_buf *b,
            struct hull_err *err);

/* Connects (no schema check); checks the schema version. */
int st_connect(const char *url, struct hull_store **out, struct hull_err *err);
int st_check_version(struct hull_store *s, struct hull_err *err);

/* "sha256:..." as the text of a PostgreSQL bigint lock key (out >= 24). */
void st_lock_key(const char *prefix, const char *key, char *out, size_t cap);

/* A malloc'ed copy of s that is valid UTF-8 (NULL for NULL or no memory). */
char *st_utf8(const char *s);

#endif
