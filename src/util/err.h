/* err: the one error object of hull.
 *
 * Every fallible function returns 0 on success and a negative value on
 * failure, after filling a `struct hull_err` with a message that names the
 * input and the position ("layer sha256:ab12..: var/lib/dpkg/status: line 812:
 * missing Version"). Callers add context on the way up with hull_err_wrap().
 *
 * Invariant: msg is always NUL-terminated; overlong messages are truncated,
 * never overflowed. A zeroed struct is a valid "no error". */
#ifndef HULL_UTIL_ERR_H
#define HULL_UTIL_ERR_H

#include <stddef.h>

#define HULL_ERR_MSG_MAX 1024

enum hull_err_kind {
	HULL_ERR_NONE = 0,
	HULL_ERR_INPUT,   /* the input is malformed or hostile */
	HULL_ERR_IO,      /* reading or writing failed */
	HULL_ERR_LIMIT,   /* a hard limit (size, depth, count) was hit */
	HULL_ERR_NOMEM,   /* allocation failed */
	HULL_ERR_USAGE,   /* bad command line or option */
	HULL_ERR_NOTFOUND /* a named thing does not exist */
};

struct hull_err {
	enum hull_err_kind kind;
	/* The errno behind the failure when it came from the system
	 * (hull_err_errno), else 0. Callers decide on kind and errnum, never
	 * on the text of msg. */
	int errnum;
	char msg[HULL_ERR_MSG_MAX];
};

/* Sets the message (replacing any earlier one) and clears errnum. Always
 * returns -1 so that callers can write `return hull_err_set(err, ...)`.
 * err may be NULL. */
int hull_err_set(struct hull_err *err, enum hull_err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like hull_err_set, appends ": strerror(errnum)" and keeps errnum. The
 * kind follows errnum: ENOENT is HULL_ERR_NOTFOUND, ENOMEM HULL_ERR_NOMEM,
 * anything else HULL_ERR_IO. */
int hull_err_errno(struct hull_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with "context: ". Keeps the kind and
 * errnum. Returns -1. */
int hull_err_wrap(struct hull_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Out of memory: a fixed message, no allocation. Returns -1. */
int hull_err_nomem(struct hull_err *err);

void hull_err_clear(struct hull_err *err);

/* clang's static analyzer (scan-build) reads one file at a time: it cannot
 * see that the functions above always return -1, so it follows paths on
 * which `return hull_err_set(...)` "succeeded" without filling the outputs
 * and reports the caller's reads of them as uninitialised. Stating the
 * contract here, for the analyzer only, removes that class of false report
 * (docs/fuzzing.md lists the reports it explained). err.c defines
 * HULL_ERR_IMPL to see the functions themselves. */
/* clang-format off */
#if defined(__clang_analyzer__) && !defined(HULL_ERR_IMPL)
#define hull_err_set(...)   ({ hull_err_set(__VA_ARGS__); -1; })
#define hull_err_errno(...) ({ hull_err_errno(__VA_ARGS__); -1; })
#define hull_err_wrap(...)  ({ hull_err_wrap(__VA_ARGS__); -1; })
#define hull_err_nomem(e)   ({ hull_err_nomem(e); -1; })
#endif
/* clang-format on */

#endif
