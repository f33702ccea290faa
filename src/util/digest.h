/* digest: SHA-256 (OpenSSL EVP, SHA-NI when the CPU has it) and the
 * "sha256:<64 lowercase hex>" digest strings of the OCI specs.
 *
 * hull_digest_parse is the only way a digest from untrusted input becomes
 * a blob name, so a digest can never carry a path separator. */
#ifndef HULL_UTIL_DIGEST_H
#define HULL_UTIL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define HULL_SHA256_LEN    32
#define HULL_DIGEST_STRLEN (7 + 64) /* "sha256:" + hex */

struct hull_sha256 {
	void *ctx; /* EVP_MD_CTX */
};

int hull_sha256_init(struct hull_sha256 *h, struct hull_err *err);
void hull_sha256_update(struct hull_sha256 *h, const void *p, size_t n);
/* Writes "sha256:<hex>" (HULL_DIGEST_STRLEN + 1 bytes) and frees the context. */
void hull_sha256_final(struct hull_sha256 *h, char out[HULL_DIGEST_STRLEN + 1]);
void hull_sha256_release(struct hull_sha256 *h);
/* One-shot digest of a buffer. */
int hull_sha256_digest(const void *p, size_t n, char out[HULL_DIGEST_STRLEN + 1],
                       struct hull_err *err);

/* Validates "sha256:<64 lowercase hex>". Other algorithms (sha512) are
 * reported as unsupported. On success copies the 64 hex characters to hex. */
int hull_digest_parse(const char *digest, char hex[65], struct hull_err *err);

/* True when s is exactly 64 lowercase hex characters. */
bool hull_is_sha256_hex(const char *s, size_t len);

#endif
