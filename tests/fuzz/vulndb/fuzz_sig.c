/* fuzz_sig: a mirror's FEED.sig (raw or base64), then the Ed25519 check
 * of the input itself against it with a fixed key. */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>

#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!key) {
		static const unsigned char seed[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
		EVP_PKEY *priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
		unsigned char pub[32];
		size_t n = sizeof(pub);
		if (!priv || EVP_PKEY_get_raw_public_key(priv, pub, &n) != 1)
			abort();
		key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, n);
		EVP_PKEY_free(priv);
		if (!key)
			abort();
	}
	unsigned char sig[HULL_SIG_LEN];
	struct hull_err err = {0};
	if (hull_sig_parse((const char *)data, size, sig, "fuzz.sig", &err) == 0)
		hull_sig_verify_mem(key, data, size, sig);
	return 0;
}
