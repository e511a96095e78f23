/*
 * pwcrypt.c: stored crypt(3) hashes: shape checks per method and a
 * verification that wipes what it touched and compares in constant time.
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/pwcrypt.h"
#include "protocol/ssherr.h"

/*
 * The methods accepted, by prefix.  fields: how many '$'-separated fields
 * follow the prefix (params, salt, hash); last: the length of the final
 * (hash) field; rounds: an optional "rounds=N$" may come first.  bcrypt
 * (fields 0) has a fixed shape of its own.
 */
static const struct pwcrypt_method {
	const char *prefix;
	const char *name;
	int fields;
	size_t last;
	int rounds;
} methods[] = {
	{ "$y$", "yescrypt", 3, 43, 0 },
	{ "$gy$", "gost-yescrypt", 3, 43, 0 },
	{ "$7$", "scrypt", 2, 43, 0 },
	{ "$6$", "sha512crypt", 2, 86, 1 },
	{ "$2b$", "bcrypt", 0, 0, 0 },
	{ "$2y$", "bcrypt", 0, 0, 0 },
};

#define BCRYPT_LEN	60	/* "$2b$NN$" + 22 salt + 31 hash characters */

static const struct pwcrypt_method *
method_of(const char *hash)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strncmp(hash, methods[i].prefix,
		    strlen(methods[i].prefix)) == 0)
			return &methods[i];
	}
	return NULL;
}

const char *
pwcrypt_method_name(const char *hash)
{
	const struct pwcrypt_method *m = method_of(hash);

	return m == NULL ? NULL : m->name;
}

/* crypt's base64 alphabet; yescrypt's and scrypt's params use it too. */
static int
crypt64(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '/';
}

static int
bcrypt_valid(const char *hash)
{
	size_t i;

	if (strlen(hash) != BCRYPT_LEN || hash[6] != '$' ||
	    hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9')
		return SSH_ERR_INVALID_FORMAT;
	if ((hash[4] - '0') * 10 + (hash[5] - '0') < 4 ||
	    (hash[4] - '0') * 10 + (hash[5] - '0') > 31)
		return SSH_ERR_INVALID_FORMAT;
	for (i = 7; i < BCRYPT_LEN; i++) {
		if (!crypt64(hash[i]))
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

int
pwcrypt_hash_valid(const char *hash)
{
	const struct pwcrypt_method *m;
	const char *p, *field;
	int nfields = 0;

	if ((m = method_of(hash)) == NULL)
		return SSH_ERR_FEATURE_UNSUPPORTED;
	if (strlen(hash) > PWCRYPT_HASH_MAX)
		return SSH_ERR_INVALID_FORMAT;
	/* libxcrypt must agree that it can compute this method. */
	switch (crypt_checksalt(hash)) {
	case CRYPT_SALT_OK:
		break;
	case CRYPT_SALT_INVALID:
		return SSH_ERR_INVALID_FORMAT;
	default:
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	if (m->fields == 0)
		return bcrypt_valid(hash);
	p = hash + strlen(m->prefix);
	if (m->rounds && strncmp(p, "rounds=", 7) == 0) {
		for (p += 7, field = p; *p >= '0' && *p <= '9'; p++)
			;
		if (p == field || p - field > 9 || *p != '$')
			return SSH_ERR_INVALID_FORMAT;
		p++;
	}
	for (field = p;; p++) {
		if (*p != '$' && *p != '\0') {
			if (!crypt64(*p))
				return SSH_ERR_INVALID_FORMAT;
			continue;
		}
		if (p == field)
			return SSH_ERR_INVALID_FORMAT;
		nfields++;
		if (*p == '\0')
			break;
		field = p + 1;
	}
	if (nfields != m->fields || (size_t)(p - field) != m->last)
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

int
pwcrypt_verify(const char *hash, const char *password, size_t len,
    int *matchp)
{
	struct crypt_data *cd = NULL;
	char *copy = NULL;
	const char *out;
	size_t hlen = strlen(hash);
	int usable, r = SSH_ERR_INTERNAL_ERROR;

	*matchp = 0;
	/* A password longer than crypt takes (its limit counts the NUL) is
	 * cut and still hashed, so it costs what any other does, but never
	 * matches; nor is more than that copied, whatever the client sent. */
	usable = len < CRYPT_MAX_PASSPHRASE_SIZE &&
	    memchr(password, '\0', len) == NULL;
	if (len >= CRYPT_MAX_PASSPHRASE_SIZE)
		len = CRYPT_MAX_PASSPHRASE_SIZE - 1;
	if ((copy = malloc(len + 1)) == NULL ||
	    (cd = calloc(1, sizeof(*cd))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	memcpy(copy, password, len);
	copy[len] = '\0';
	out = crypt_rn(copy, hash, cd, sizeof(*cd));
	/* Hash lengths only depend on the method, not on the password, so
	 * comparing them first leaks nothing. */
	if (out != NULL && strlen(out) == hlen && hlen < sizeof(cd->output) &&
	    CRYPTO_memcmp(out, hash, hlen) == 0 && usable)
		*matchp = 1;
	r = 0;
 out:
	freezero(copy, len + 1);
	freezero(cd, sizeof(*cd));
	return r;
}
