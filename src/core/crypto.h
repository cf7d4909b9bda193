/* crypto.h — the few primitives genoshare uses, all from libsodium: SHA-256 in hex, random
 * tokens, constant-time comparison. No cryptography is written here. */
#ifndef GS_CORE_CRYPTO_H
#define GS_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define GS_SHA256_HEX_LEN 64

/* Must be called once (from main) before any other function here. */
int crypto_init(void) GS_MUST_USE;

/* Writes the lowercase hex SHA-256 of data into out (65 bytes with NUL). */
void crypto_sha256_hex(const void *data, size_t len, char out[GS_SHA256_HEX_LEN + 1]);

/* Writes prefix followed by nbytes random bytes as hex into out (outsize must fit it). */
int crypto_random_token(const char *prefix, size_t nbytes, char *out, size_t outsize) GS_MUST_USE;

/* Equality of two NUL-terminated strings in time independent of their contents. */
bool crypto_equal(const char *a, const char *b);

#endif
