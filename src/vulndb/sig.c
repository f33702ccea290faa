/* sig: Ed25519 signatures over whole files (feeds, databases), checked
 * with OpenSSL's EVP interface. Ed25519 is not a streaming signature: the
 * file is mapped, never read into a buffer. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"
#include "vulndb/vulndb.h"

#define SIG_MAX    1024 /* a .sig file: raw bytes or base64 text */
#define KEY_MAX    (64u << 10)
#define SIGNED_MAX (8ull << 30)

int hull_sig_load_key(const char *path, EVP_PKEY **out, struct hull_err *err)
{
	char *pem = NULL;
	size_t len = 0;
	if (hull_fs_read_file(path, KEY_MAX, &pem, &len, err) < 0)
		return hull_err_wrap(err, "signature key");
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(pem);
	if (!key)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: not a PEM public key (BEGIN PUBLIC KEY; make it with "
		                    "'openssl pkey -pubout')",
		                    path);
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not an Ed25519 public key", path);
	}
	*out = key;
	return 0;
}

int hull_sig_parse(const char *data, size_t len, unsigned char sig[HULL_SIG_LEN], const char *name,
                   struct hull_err *err)
{
	if (len == HULL_SIG_LEN) {
		memcpy(sig, data, HULL_SIG_LEN);
		return 0;
	}
	while (len && strchr("\r\n \t", data[len - 1]))
		len--;
	/* base64 of 64 bytes: 88 characters ending in "==" */
	if (len == 88 && data[86] == '=' && data[87] == '=') {
		unsigned char dec[90];
		if (EVP_DecodeBlock(dec, (const unsigned char *)data, 88) == 66) {
			memcpy(sig, dec, HULL_SIG_LEN);
			return 0;
		}
	}
	return hull_err_set(err, HULL_ERR_INPUT,
	                    "%s: not an Ed25519 signature (64 bytes, or their base64)", name);
}

int hull_sig_verify_mem(EVP_PKEY *key, const void *msg, size_t len,
                        const unsigned char sig[HULL_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	         EVP_DigestVerify(ctx, sig, HULL_SIG_LEN, len ? msg : (const void *)"", len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The 64 signature bytes of a .sig file. */
static int read_sig(const char *sig_path, unsigned char sig[HULL_SIG_LEN], struct hull_err *err)
{
	char *data = NULL;
	size_t len = 0;
	if (hull_fs_read_file(sig_path, SIG_MAX, &data, &len, err) < 0)
		return -1;
	int rc = hull_sig_parse(data, len, sig, sig_path, err);
	free(data);
	return rc;
}

int hull_sig_verify_file(const char *path, const char *sig_path, EVP_PKEY *key,
                         const char *key_name, struct hull_err *err)
{
	unsigned char sig[HULL_SIG_LEN];
	if (access(sig_path, F_OK) != 0)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: no signature (%s is missing)", path,
		                    sig_path);
	if (read_sig(sig_path, sig, err) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, errno, "%s", path);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return hull_err_set(err, HULL_ERR_INPUT, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > SIGNED_MAX) {
		close(fd);
		return hull_err_set(err, HULL_ERR_LIMIT, "%s: over %llu bytes, not verified", path,
		                    (unsigned long long)SIGNED_MAX);
	}
	size_t len = (size_t)st.st_size;
	void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (map == MAP_FAILED)
		return hull_err_errno(err, errno, "%s", path);
	bool ok = hull_sig_verify_mem(key, map, len, sig) == 0;
	if (map)
		munmap(map, len);
	if (!ok)
		return hull_err_set(
		    err, HULL_ERR_INPUT,
		    "%s: the signature %s does not verify with %s: the file was "
		    "changed after it was signed, or signed by another key; refused",
		    path, sig_path, key_name);
	return 0;
}
