/*
 * pwcrypt.h: crypt(3) hashes for the file and shadow password back ends:
 * which stored hashes are acceptable, and a constant-time verification.
 */
#ifndef NANOSSH_PWCRYPT_H
#define NANOSSH_PWCRYPT_H

#include <stddef.h>

/* Longest stored hash accepted (crypt's output buffer holds one more). */
#define PWCRYPT_HASH_MAX	383

/*
 * 0 if hash is a complete hash of a method we accept: yescrypt ($y$),
 * gost-yescrypt ($gy$), scrypt ($7$), sha512crypt ($6$) or bcrypt
 * ($2b$, $2y$); SSH_ERR_FEATURE_UNSUPPORTED for any other method (DES,
 * md5crypt, sha256crypt ... and locked markers such as "!" or "*"),
 * SSH_ERR_INVALID_FORMAT for a known method with a malformed hash.
 * Only the shape is checked (no hashing), so it is cheap enough for
 * every line of a file.
 */
int pwcrypt_hash_valid(const char *hash);
/* The method's name for messages ("sha512crypt"), or NULL if unknown. */
const char *pwcrypt_method_name(const char *hash);

/*
 * Hashes password (len bytes, need not be NUL-terminated) with hash's
 * setting and compares the result with hash in constant time; *matchp is
 * 1 on a match.  A password containing a NUL or too long for crypt never
 * matches but costs the same hashing, so no input takes a shortcut.
 * Every copy of the password and the crypt state is wiped.  Returns 0, or
 * SSH_ERR_ALLOC_FAIL (then *matchp is 0).
 */
int pwcrypt_verify(const char *hash, const char *password, size_t len,
    int *matchp);

#endif
