/* crypto.c — libsodium wrappers. */
#include "core/crypto.h"

#include <sodium.h>
#include <string.h>

int crypto_init(void)
{
    return sodium_init() < 0 ? GS_EINTERNAL : GS_OK;
}

void crypto_sha256_hex(const void *data, size_t len, char out[GS_SHA256_HEX_LEN + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, GS_SHA256_HEX_LEN + 1, digest, sizeof digest);
}

int crypto_random_token(const char *prefix, size_t nbytes, char *out, size_t outsize)
{
    unsigned char raw[64];
    size_t plen = strlen(prefix);
    if (nbytes > sizeof raw || outsize < plen + 2 * nbytes + 1)
        return GS_EINTERNAL;
    randombytes_buf(raw, nbytes);
    memcpy(out, prefix, plen);
    sodium_bin2hex(out + plen, outsize - plen, raw, nbytes);
    sodium_memzero(raw, sizeof raw);
    return GS_OK;
}

bool crypto_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}
