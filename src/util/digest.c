#include "util/digest.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

/* OpenSSL 3 looks EVP_sha256() up in its provider tables at every
 * DigestInit (locks and all); fetched once, an init costs a copy. Kept for
 * the life of the process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int hull_sha256_init(struct hull_sha256 *h, struct hull_err *err)
{
	pthread_once(&sha256_once, fetch_sha256);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return hull_err_nomem(err);
	if (EVP_DigestInit_ex(ctx, sha256_md ? sha256_md : EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return hull_err_set(err, HULL_ERR_IO, "OpenSSL: SHA-256 unavailable");
	}
	h->ctx = ctx;
	return 0;
}

void hull_sha256_update(struct hull_sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, p, n);
}

static void to_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void hull_sha256_final(struct hull_sha256 *h, char out[HULL_DIGEST_STRLEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(h->ctx, md, &len);
	memcpy(out, "sha256:", 7);
	to_hex(md, len, out + 7);
	hull_sha256_release(h);
}

void hull_sha256_release(struct hull_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int hull_sha256_digest(const void *p, size_t n, char out[HULL_DIGEST_STRLEN + 1],
                       struct hull_err *err)
{
	struct hull_sha256 h;
	if (hull_sha256_init(&h, err) < 0)
		return -1;
	hull_sha256_update(&h, p, n);
	hull_sha256_final(&h, out);
	return 0;
}

bool hull_is_sha256_hex(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < 64; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

int hull_digest_parse(const char *digest, char hex[65], struct hull_err *err)
{
	if (!digest)
		return hull_err_set(err, HULL_ERR_INPUT, "missing digest");
	const char *colon = strchr(digest, ':');
	if (!colon)
		return hull_err_set(err, HULL_ERR_INPUT, "digest '%.80s' has no algorithm", digest);
	size_t alg_len = (size_t)(colon - digest);
	if (alg_len != 6 || memcmp(digest, "sha256", 6) != 0)
		return hull_err_set(err, HULL_ERR_INPUT, "digest '%.80s': unsupported algorithm",
		                    digest);
	const char *h = colon + 1;
	if (!hull_is_sha256_hex(h, strlen(h)))
		return hull_err_set(err, HULL_ERR_INPUT, "digest '%.80s' is not 64 lowercase hex",
		                    digest);
	memcpy(hex, h, 65);
	return 0;
}
