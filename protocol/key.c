/*
 * key.c: SSH keys held as EVP_PKEYs: public blobs, fingerprints,
 * authorized_keys-style lines and private key files (openssh-key-v1, PEM).
 */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/bcrypt_pbkdf.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/publine.h"
#include "protocol/ssherr.h"

#define KEY_RSA_MIN_BITS	1024	/* smallest RSA key we load */
#define KEY_RSA_GEN_MIN_BITS	2048	/* smallest RSA key we make */
#define KEY_RSA_DEFAULT_BITS	3072
#define KEY_RSA_MAX_BITS	16384
#define ED25519_PK_LEN		32
#define ED25519_SEED_LEN	32
#define ED25519_SK_LEN		64	/* seed || public, as OpenSSH stores it */

#define OPENSSH_MAGIC		"openssh-key-v1"	/* written with its NUL */
#define OPENSSH_BEGIN		"-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END		"-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_SALT_LEN	16
#define OPENSSH_ROUNDS		16
#define OPENSSH_CIPHER		"aes256-ctr"

struct sshkey {
	enum key_type	 k_type;
	EVP_PKEY	*k_pkey;
	int		 k_private;
};

static const struct key_info {
	enum key_type	 ki_type;
	const char	*ki_name;	/* SSH algorithm name */
	const char	*ki_short;	/* as ssh-keygen -l shows it */
	const char	*ki_curve;	/* SSH curve identifier (ECDSA) */
	const char	*ki_group;	/* OpenSSL group name */
	const char	*ki_group_sn;	/* what OpenSSL reports it as */
	unsigned int	 ki_bits;
} key_infos[] = {
	{ KEY_ED25519, "ssh-ed25519", "ED25519", NULL, NULL, NULL, 256 },
	{ KEY_ECDSA_P256, "ecdsa-sha2-nistp256", "ECDSA", "nistp256",
	    "P-256", "prime256v1", 256 },
	{ KEY_ECDSA_P384, "ecdsa-sha2-nistp384", "ECDSA", "nistp384",
	    "P-384", "secp384r1", 384 },
	{ KEY_ECDSA_P521, "ecdsa-sha2-nistp521", "ECDSA", "nistp521",
	    "P-521", "secp521r1", 521 },
	{ KEY_RSA, "ssh-rsa", "RSA", NULL, NULL, NULL, 0 },
};

/*
 * Ciphers that ssh-keygen has used for openssh-key-v1 files.  We write only
 * aes256-ctr; the rest are read so older files still load.
 */
static const struct key_cipher {
	const char	*kc_name;
	const char	*kc_evp;	/* NULL: no encryption */
	size_t		 kc_keylen;
	size_t		 kc_ivlen;
	size_t		 kc_blocksize;
} key_ciphers[] = {
	{ "none", NULL, 0, 0, 8 },
	{ "aes128-ctr", "AES-128-CTR", 16, 16, 16 },
	{ "aes192-ctr", "AES-192-CTR", 24, 16, 16 },
	{ "aes256-ctr", "AES-256-CTR", 32, 16, 16 },
	{ "aes128-cbc", "AES-128-CBC", 16, 16, 16 },
	{ "aes192-cbc", "AES-192-CBC", 24, 16, 16 },
	{ "aes256-cbc", "AES-256-CBC", 32, 16, 16 },
};

static const struct key_info *
key_info_by_type(enum key_type type)
{
	size_t i;

	for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++)
		if (key_infos[i].ki_type == type)
			return &key_infos[i];
	return NULL;
}

static int
key_type_is_ecdsa(enum key_type type)
{
	return type == KEY_ECDSA_P256 || type == KEY_ECDSA_P384 ||
	    type == KEY_ECDSA_P521;
}

static const struct key_cipher *
key_cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(key_ciphers) / sizeof(key_ciphers[0]); i++)
		if (strcmp(key_ciphers[i].kc_name, name) == 0)
			return &key_ciphers[i];
	return NULL;
}

enum key_type
key_type_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return KEY_UNSPEC;
	for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++)
		if (strcmp(key_infos[i].ki_name, name) == 0)
			return key_infos[i].ki_type;
	return KEY_UNSPEC;
}

void
key_free(struct sshkey *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->k_pkey);
	freezero(key, sizeof(*key));
}

enum key_type
key_type(const struct sshkey *key)
{
	return key == NULL ? KEY_UNSPEC : key->k_type;
}

const char *
key_type_name(const struct sshkey *key)
{
	const struct key_info *ki;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return "unknown";
	return ki->ki_name;
}

const char *
key_type_short(const struct sshkey *key)
{
	const struct key_info *ki;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return "unknown";
	return ki->ki_short;
}

unsigned int
key_bits(const struct sshkey *key)
{
	const struct key_info *ki;
	int bits;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return 0;
	if (key->k_type != KEY_RSA)
		return ki->ki_bits;
	if ((bits = EVP_PKEY_get_bits(key->k_pkey)) <= 0)
		return 0;
	return (unsigned int)bits;
}

int
key_is_private(const struct sshkey *key)
{
	return key != NULL && key->k_private;
}

struct evp_pkey_st *
key_evp(const struct sshkey *key)
{
	return key == NULL ? NULL : key->k_pkey;
}

/* Takes ownership of pkey. */
static int
key_new(enum key_type type, EVP_PKEY *pkey, int priv, struct sshkey **keyp)
{
	struct sshkey *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	k->k_type = type;
	k->k_pkey = pkey;
	k->k_private = priv;
	*keyp = k;
	return 0;
}

/* Reads a BIGNUM parameter; the caller frees it with BN_clear_free. */
static int
key_get_bn(const EVP_PKEY *pkey, const char *name, BIGNUM **bnp)
{
	*bnp = NULL;
	if (EVP_PKEY_get_bn_param(pkey, name, bnp) != 1 || *bnp == NULL) {
		ERR_clear_error();
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/* Appends bn as an mpint, wiping the temporary copy. */
static int
key_put_bn(struct buf *b, const BIGNUM *bn)
{
	uint8_t *d = NULL;
	int len, r = SSH_ERR_INTERNAL_ERROR;

	if ((len = BN_num_bytes(bn)) < 0)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if (len > BUF_MAX_BIGNUM)
		return SSH_ERR_BIGNUM_TOO_LARGE;
	if ((d = malloc((size_t)len + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (BN_bn2bin(bn, d) != len) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put_bignum2_bytes(b, d, (size_t)len);
 out:
	freezero(d, (size_t)len + 1);
	return r;
}

/* Reads an mpint; secret values go into OpenSSL's secure heap. */
static int
key_get_bn_buf(struct buf *b, int secret, BIGNUM **bnp)
{
	const uint8_t *d;
	size_t len;
	BIGNUM *bn;
	int r;

	*bnp = NULL;
	if ((r = buf_get_bignum2_bytes_direct(b, &d, &len)) != 0)
		return r;
	if ((bn = secret ? BN_secure_new() : BN_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (BN_bin2bn(d, (int)len, bn) == NULL) {
		BN_clear_free(bn);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	*bnp = bn;
	return 0;
}

static int
key_fromdata(const char *alg, int selection, OSSL_PARAM_BLD *bld,
    EVP_PKEY **pkeyp)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	*pkeyp = NULL;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*pkeyp = pkey;
	pkey = NULL;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return r;
}

/* ECDSA public point Q as an uncompressed SEC1 octet string. */
static int
key_ec_point(const struct sshkey *k, struct buf *out)
{
	const struct key_info *ki = key_info_by_type(k->k_type);
	BIGNUM *x = NULL, *y = NULL;
	size_t flen;
	uint8_t *p;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL || !key_type_is_ecdsa(k->k_type))
		return SSH_ERR_INTERNAL_ERROR;
	flen = (ki->ki_bits + 7) / 8;
	if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x)) != 0 ||
	    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) != 0)
		goto out;
	if ((r = buf_reserve(out, 1 + 2 * flen, &p)) != 0)
		goto out;
	p[0] = 0x04;
	if (BN_bn2binpad(x, p + 1, (int)flen) != (int)flen ||
	    BN_bn2binpad(y, p + 1 + flen, (int)flen) != (int)flen) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	BN_free(x);
	BN_free(y);
	return r;
}

/* Checks an RSA key's numbers; with priv also the private half. */
static int
key_check_rsa(const EVP_PKEY *pkey, int priv)
{
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *p = NULL, *q = NULL;
	BIGNUM *iqmp = NULL, *extra = NULL, *t = NULL;
	BN_CTX *ctx = NULL;
	int bits, r = SSH_ERR_INTERNAL_ERROR;

	if ((r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	bits = BN_num_bits(n);
	if (bits < KEY_RSA_MIN_BITS || bits > KEY_RSA_MAX_BITS) {
		r = SSH_ERR_KEY_LENGTH;
		goto out;
	}
	/* n odd; e odd, at least 3, below n. */
	if (!BN_is_odd(n) || !BN_is_odd(e) || BN_num_bits(e) < 2 ||
	    BN_cmp(e, n) >= 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (!priv) {
		r = 0;
		goto out;
	}
	/* Multi-prime keys cannot be written in SSH's format. */
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR3,
	    &extra) == 1) {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	ERR_clear_error();
	if ((r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_D, &d)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, &p)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, &q)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    &iqmp)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((ctx = BN_CTX_secure_new()) == NULL || (t = BN_secure_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = SSH_ERR_INVALID_FORMAT;
	if (BN_is_zero(d) || BN_is_one(d) || BN_cmp(d, n) >= 0 ||
	    BN_is_zero(p) || BN_is_zero(q))
		goto out;
	/* n = p * q and iqmp = q^-1 mod p: cheap, and catches swapped or
	 * corrupted fields. */
	if (!BN_mul(t, p, q, ctx) || BN_cmp(t, n) != 0)
		goto out;
	if (!BN_mod_mul(t, iqmp, q, p, ctx) || !BN_is_one(t))
		goto out;
	r = 0;
 out:
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(p);
	BN_clear_free(q);
	BN_clear_free(iqmp);
	BN_clear_free(extra);
	BN_clear_free(t);
	BN_CTX_free(ctx);
	return r;
}

static int
key_check_ec(EVP_PKEY *pkey, int priv)
{
	EVP_PKEY_CTX *ctx;
	int r = SSH_ERR_KEY_INVALID_EC_VALUE;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	/* On the curve, not infinity, in the prime-order subgroup; for a
	 * private key also 0 < d < order and Q = d*G. */
	if (EVP_PKEY_public_check(ctx) != 1)
		goto out;
	if (priv && (EVP_PKEY_private_check(ctx) != 1 ||
	    EVP_PKEY_pairwise_check(ctx) != 1))
		goto out;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/*
 * Classifies and validates an EVP_PKEY from any source and wraps it in a
 * key; takes ownership of pkey on success.  want is KEY_UNSPEC or the type
 * the caller expects.
 */
static int
key_from_pkey(EVP_PKEY *pkey, int priv, enum key_type want,
    struct sshkey **keyp)
{
	enum key_type type = KEY_UNSPEC;
	char group[64];
	uint8_t raw[ED25519_SEED_LEN];
	size_t i, len;
	int r = SSH_ERR_INTERNAL_ERROR;

	*keyp = NULL;
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		type = KEY_ED25519;
		len = sizeof(raw);
		if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 ||
		    len != ED25519_PK_LEN) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		len = sizeof(raw);
		if (priv && (EVP_PKEY_get_raw_private_key(pkey, raw,
		    &len) != 1 || len != ED25519_SEED_LEN)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		if (EVP_PKEY_get_utf8_string_param(pkey,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
		    NULL) != 1) {
			r = SSH_ERR_KEY_TYPE_UNKNOWN;
			goto out;
		}
		for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++) {
			if (key_infos[i].ki_group == NULL)
				continue;
			if (strcmp(group, key_infos[i].ki_group) == 0 ||
			    strcmp(group, key_infos[i].ki_group_sn) == 0)
				type = key_infos[i].ki_type;
		}
		if (type == KEY_UNSPEC) {
			r = SSH_ERR_KEY_TYPE_UNKNOWN;
			goto out;
		}
		if ((r = key_check_ec(pkey, priv)) != 0)
			goto out;
	} else if (EVP_PKEY_is_a(pkey, "RSA")) {
		type = KEY_RSA;
		if ((r = key_check_rsa(pkey, priv)) != 0)
			goto out;
	} else {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if (want != KEY_UNSPEC && want != type) {
		r = key_type_is_ecdsa(want) && key_type_is_ecdsa(type) ?
		    SSH_ERR_EC_CURVE_MISMATCH : SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	r = key_new(type, pkey, priv, keyp);
 out:
	ERR_clear_error();
	explicit_bzero(raw, sizeof(raw));
	return r;
}

int
key_generate(enum key_type type, unsigned int bits, struct sshkey **keyp)
{
	const struct key_info *ki;
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (key_type_is_ecdsa(type) && bits != 0) {
		/* bits picks the curve, as ssh-keygen -t ecdsa -b does. */
		switch (bits) {
		case 256:
			type = KEY_ECDSA_P256;
			break;
		case 384:
			type = KEY_ECDSA_P384;
			break;
		case 521:
			type = KEY_ECDSA_P521;
			break;
		default:
			return SSH_ERR_KEY_LENGTH;
		}
	}
	if ((ki = key_info_by_type(type)) == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	switch (type) {
	case KEY_ED25519:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ki->ki_group);
		break;
	case KEY_RSA:
		if (bits == 0)
			bits = KEY_RSA_DEFAULT_BITS;
		if (bits < KEY_RSA_GEN_MIN_BITS || bits > KEY_RSA_MAX_BITS)
			return SSH_ERR_KEY_LENGTH;
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
		break;
	default:
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	}
	if (pkey == NULL) {
		ERR_clear_error();
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	if ((r = key_new(type, pkey, 1, keyp)) != 0)
		EVP_PKEY_free(pkey);
	return r;
}

/* The type-specific public fields of a blob, after the name. */
static int
key_put_public_fields(const struct sshkey *k, struct buf *b)
{
	const struct key_info *ki = key_info_by_type(k->k_type);
	BIGNUM *n = NULL, *e = NULL;
	struct buf *q = NULL;
	uint8_t pk[ED25519_PK_LEN];
	size_t len = sizeof(pk);
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	switch (k->k_type) {
	case KEY_ED25519:
		if (EVP_PKEY_get_raw_public_key(k->k_pkey, pk, &len) != 1 ||
		    len != sizeof(pk)) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		r = buf_put_string(b, pk, len);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((q = buf_new()) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_ec_point(k, q)) != 0 ||
		    (r = buf_put_cstring(b, ki->ki_curve)) != 0)
			goto out;
		r = buf_put_stringb(b, q);
		break;
	case KEY_RSA:
		if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0 ||
		    (r = key_put_bn(b, e)) != 0)
			goto out;
		r = key_put_bn(b, n);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
 out:
	BN_free(n);
	BN_free(e);
	buf_free(q);
	return r;
}

int
key_to_blob(const struct sshkey *key, struct buf *out)
{
	int r;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(out, key_type_name(key))) != 0)
		return r;
	return key_put_public_fields(key, out);
}

/* For ECDSA: reads the curve identifier and checks it matches type. */
static int
key_get_curve(struct buf *b, enum key_type type)
{
	const struct key_info *ki = key_info_by_type(type);
	char *curve = NULL;
	int r;

	if ((r = buf_get_cstring(b, &curve, NULL)) != 0)
		return r;
	r = strcmp(curve, ki->ki_curve) == 0 ? 0 : SSH_ERR_EC_CURVE_MISMATCH;
	free(curve);
	return r;
}

/* Reads an uncompressed point of the right length for the curve. */
static int
key_get_ec_point(struct buf *b, enum key_type type, const uint8_t **qp,
    size_t *qlenp)
{
	const struct key_info *ki = key_info_by_type(type);
	int r;

	if ((r = buf_get_string_direct(b, qp, qlenp)) != 0)
		return r;
	if (*qlenp != 1 + 2 * ((ki->ki_bits + 7) / 8) || (*qp)[0] != 0x04)
		return SSH_ERR_KEY_INVALID_EC_VALUE;
	return 0;
}

static int
key_parse_public_fields(struct buf *b, enum key_type type,
    struct sshkey **keyp)
{
	const struct key_info *ki = key_info_by_type(type);
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	const uint8_t *d;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	switch (type) {
	case KEY_ED25519:
		if ((r = buf_get_string_direct(b, &d, &len)) != 0)
			goto out;
		if (len != ED25519_PK_LEN) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if (!OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, d, len)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		r = key_fromdata("ED25519", EVP_PKEY_PUBLIC_KEY, bld, &pkey);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((r = key_get_curve(b, type)) != 0 ||
		    (r = key_get_ec_point(b, type, &d, &len)) != 0)
			goto out;
		if (!OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, ki->ki_group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, d, len)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_fromdata("EC", EVP_PKEY_PUBLIC_KEY, bld,
		    &pkey)) != 0)
			r = SSH_ERR_KEY_INVALID_EC_VALUE;
		break;
	case KEY_RSA:
		if ((r = key_get_bn_buf(b, 0, &e)) != 0 ||
		    (r = key_get_bn_buf(b, 0, &n)) != 0)
			goto out;
		if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		r = key_fromdata("RSA", EVP_PKEY_PUBLIC_KEY, bld, &pkey);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
	if (r != 0)
		goto out;
	if ((r = key_from_pkey(pkey, 0, type, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return r;
}

/* Parses a blob from the front of b (the caller checks the end). */
static int
key_get_blob(struct buf *b, struct sshkey **keyp)
{
	enum key_type type;
	char *name = NULL;
	int r;

	*keyp = NULL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		return r;
	if ((type = key_type_from_name(name)) == KEY_UNSPEC)
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
	else
		r = key_parse_public_fields(b, type, keyp);
	free(name);
	return r;
}

int
key_from_blob(const struct buf *blob, struct sshkey **keyp)
{
	struct buf *b = NULL;
	struct sshkey *k = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (blob == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((b = buf_from(buf_ptr(blob), buf_len(blob))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_get_blob(b, &k)) != 0 || (r = buf_expect_end(b)) != 0)
		goto out;
	*keyp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	buf_free(b);
	return r;
}

int
key_equal_public(const struct sshkey *a, const struct sshkey *b)
{
	struct buf *ba = NULL, *bb = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (a == NULL || b == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (a->k_type != b->k_type)
		return SSH_ERR_KEY_TYPE_MISMATCH;
	if ((ba = buf_new()) == NULL || (bb = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(a, ba)) != 0 || (r = key_to_blob(b, bb)) != 0)
		goto out;
	r = buf_equals(ba, bb) == 0 ? 0 : SSH_ERR_KEY_CERT_MISMATCH;
 out:
	buf_free(ba);
	buf_free(bb);
	return r;
}

int
key_demote(const struct sshkey *key, struct sshkey **pubp)
{
	struct buf *b = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || pubp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*pubp = NULL;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(key, b)) != 0)
		goto out;
	r = key_from_blob(b, pubp);
 out:
	buf_free(b);
	return r;
}

int
key_fingerprint(const struct sshkey *key, char **fpp)
{
	struct buf *blob = NULL, *dg = NULL, *b64 = NULL;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *fp = NULL;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || fpp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*fpp = NULL;
	if ((blob = buf_new()) == NULL || (b64 = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(key, blob)) != 0)
		goto out;
	if (EVP_Digest(buf_ptr(blob), buf_len(blob), md, &mdlen,
	    EVP_sha256(), NULL) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((dg = buf_from(md, mdlen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put(b64, "SHA256:", 7)) != 0 ||
	    (r = buf_dtob64(dg, b64, 0)) != 0)
		goto out;
	/* ssh-keygen drops the base64 padding. */
	while ((len = buf_len(b64)) > 0 && buf_ptr(b64)[len - 1] == '=')
		if ((r = buf_consume_end(b64, 1)) != 0)
			goto out;
	if ((fp = buf_dup_string(b64)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	*fpp = fp;
	r = 0;
 out:
	buf_free(blob);
	buf_free(dg);
	buf_free(b64);
	return r;
}

int
key_to_public_line(const struct sshkey *key, const char *comment,
    struct buf *out)
{
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (comment != NULL && strpbrk(comment, "\r\n") != NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((blob = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(key, blob)) != 0 ||
	    (r = buf_putf(out, "%s ", key_type_name(key))) != 0 ||
	    (r = buf_dtob64(blob, out, 0)) != 0)
		goto out;
	if (comment != NULL && *comment != '\0' &&
	    (r = buf_putf(out, " %s", comment)) != 0)
		goto out;
	r = buf_put_u8(out, '\n');
 out:
	buf_free(blob);
	return r;
}

int
key_from_public_line(const char *line, struct sshkey **keyp,
    char **commentp)
{
	struct publine pl;
	struct sshkey *k = NULL;
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL || line == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = publine_split(line, &pl)) != 0)
		goto out;
	if (key_type_from_name(pl.name) == KEY_UNSPEC) {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if ((blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_b64tod(blob, pl.b64)) != 0 ||
	    (r = key_from_blob(blob, &k)) != 0)
		goto out;
	if (strcmp(pl.name, key_type_name(k)) != 0) {
		r = SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	if (commentp != NULL) {
		*commentp = pl.comment;
		pl.comment = NULL;
	}
	*keyp = k;
	k = NULL;
	r = 0;
 out:
	publine_clear(&pl);
	key_free(k);
	buf_free(blob);
	return r;
}

/* The private half in the order of OpenSSH's private key section. */
static int
key_put_private_fields(const struct sshkey *k, struct buf *b)
{
	const struct key_info *ki = key_info_by_type(k->k_type);
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *iqmp = NULL;
	BIGNUM *p = NULL, *q = NULL;
	struct buf *pt = NULL;
	uint8_t sk[ED25519_SK_LEN];
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	if (!k->k_private)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, ki->ki_name)) != 0)
		goto out;
	switch (k->k_type) {
	case KEY_ED25519:
		len = ED25519_SEED_LEN;
		if (EVP_PKEY_get_raw_private_key(k->k_pkey, sk, &len) != 1 ||
		    len != ED25519_SEED_LEN) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		len = ED25519_PK_LEN;
		if (EVP_PKEY_get_raw_public_key(k->k_pkey,
		    sk + ED25519_SEED_LEN, &len) != 1 ||
		    len != ED25519_PK_LEN) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = buf_put_string(b, sk + ED25519_SEED_LEN,
		    ED25519_PK_LEN)) != 0)
			goto out;
		r = buf_put_string(b, sk, sizeof(sk));
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((pt = buf_new()) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_ec_point(k, pt)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_PRIV_KEY,
		    &d)) != 0 ||
		    (r = buf_put_cstring(b, ki->ki_curve)) != 0 ||
		    (r = buf_put_stringb(b, pt)) != 0)
			goto out;
		r = key_put_bn(b, d);
		break;
	case KEY_RSA:
		if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_D, &d)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		    &iqmp)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_FACTOR1,
		    &p)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_FACTOR2,
		    &q)) != 0)
			goto out;
		if ((r = key_put_bn(b, n)) != 0 ||
		    (r = key_put_bn(b, e)) != 0 ||
		    (r = key_put_bn(b, d)) != 0 ||
		    (r = key_put_bn(b, iqmp)) != 0 ||
		    (r = key_put_bn(b, p)) != 0)
			goto out;
		r = key_put_bn(b, q);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
 out:
	explicit_bzero(sk, sizeof(sk));
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(iqmp);
	BN_clear_free(p);
	BN_clear_free(q);
	buf_free(pt);
	return r;
}

static int
key_parse_ed25519_private(struct buf *b, EVP_PKEY **pkeyp)
{
	const uint8_t *pk, *sk;
	uint8_t derived[ED25519_PK_LEN];
	size_t pklen, sklen, len = sizeof(derived);
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = buf_get_string_direct(b, &pk, &pklen)) != 0 ||
	    (r = buf_get_string_direct(b, &sk, &sklen)) != 0)
		goto out;
	if (pklen != ED25519_PK_LEN || sklen != ED25519_SK_LEN) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL,
	    sk, ED25519_SEED_LEN)) == NULL) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	/* The stored public key, both copies, must be the seed's.  (libbsd
	 * 0.11 has no timingsafe_bcmp; CRYPTO_memcmp is constant time.) */
	if (EVP_PKEY_get_raw_public_key(pkey, derived, &len) != 1 ||
	    len != ED25519_PK_LEN ||
	    CRYPTO_memcmp(derived, pk, ED25519_PK_LEN) != 0 ||
	    CRYPTO_memcmp(derived, sk + ED25519_SEED_LEN,
	    ED25519_PK_LEN) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*pkeyp = pkey;
	pkey = NULL;
	r = 0;
 out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	return r;
}

static int
key_parse_ecdsa_private(struct buf *b, enum key_type type, EVP_PKEY **pkeyp)
{
	const struct key_info *ki = key_info_by_type(type);
	OSSL_PARAM_BLD *bld = NULL;
	const uint8_t *q;
	size_t qlen;
	BIGNUM *d = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = key_get_curve(b, type)) != 0 ||
	    (r = key_get_ec_point(b, type, &q, &qlen)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &d)) != 0)
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    ki->ki_group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    q, qlen) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_fromdata("EC", EVP_PKEY_KEYPAIR, bld, pkeyp)) != 0)
		r = SSH_ERR_KEY_INVALID_EC_VALUE;
 out:
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return r;
}

static int
key_parse_rsa_private(struct buf *b, EVP_PKEY **pkeyp)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *iqmp = NULL, *p = NULL;
	BIGNUM *q = NULL, *dmp1 = NULL, *dmq1 = NULL, *t = NULL;
	BN_CTX *ctx = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = key_get_bn_buf(b, 0, &n)) != 0 ||
	    (r = key_get_bn_buf(b, 0, &e)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &d)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &iqmp)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &p)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &q)) != 0)
		goto out;
	if (BN_is_zero(p) || BN_is_one(p) || BN_is_zero(q) || BN_is_one(q)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* OpenSSH does not store the CRT exponents; OpenSSL 3.0 wants them. */
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (t = BN_secure_new()) == NULL || (dmp1 = BN_secure_new()) == NULL ||
	    (dmq1 = BN_secure_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_copy(t, p) == NULL || !BN_sub_word(t, 1) ||
	    !BN_mod(dmp1, d, t, ctx) || BN_copy(t, q) == NULL ||
	    !BN_sub_word(t, 1) || !BN_mod(dmq1, d, t, ctx)) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    iqmp)) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = key_fromdata("RSA", EVP_PKEY_KEYPAIR, bld, pkeyp);
 out:
	ERR_clear_error();
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(iqmp);
	BN_clear_free(p);
	BN_clear_free(q);
	BN_clear_free(dmp1);
	BN_clear_free(dmq1);
	BN_clear_free(t);
	BN_CTX_free(ctx);
	return r;
}

/* One private key as in the openssh-key-v1 private section. */
static int
key_get_private(struct buf *b, struct sshkey **keyp)
{
	enum key_type type;
	EVP_PKEY *pkey = NULL;
	char *name = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*keyp = NULL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		goto out;
	switch ((type = key_type_from_name(name))) {
	case KEY_ED25519:
		r = key_parse_ed25519_private(b, &pkey);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		r = key_parse_ecdsa_private(b, type, &pkey);
		break;
	case KEY_RSA:
		r = key_parse_rsa_private(b, &pkey);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
	if (r != 0)
		goto out;
	if ((r = key_from_pkey(pkey, 1, type, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	EVP_PKEY_free(pkey);
	free(name);
	return r;
}

/* aes-ctr/cbc over a whole number of blocks; out gets exactly len bytes. */
static int
key_crypt(const struct key_cipher *kc, const char *passphrase,
    const uint8_t *salt, size_t saltlen, unsigned int rounds, int enc,
    const uint8_t *in, size_t len, struct buf *out)
{
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t kiv[64], *dst;
	int outl = 0, finl = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (kc->kc_keylen + kc->kc_ivlen > sizeof(kiv) || len > INT32_MAX ||
	    len % kc->kc_blocksize != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = bcrypt_pbkdf(passphrase, strlen(passphrase), salt, saltlen,
	    kiv, kc->kc_keylen + kc->kc_ivlen, rounds)) != 0)
		goto out;
	if ((r = buf_reserve(out, len, &dst)) != 0)
		goto out;
	if ((cipher = EVP_CIPHER_fetch(NULL, kc->kc_evp, NULL)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex2(ctx, cipher, kiv, kiv + kc->kc_keylen, enc,
	    NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, dst, &outl, in, (int)len) != 1 ||
	    EVP_CipherFinal_ex(ctx, dst + outl, &finl) != 1 ||
	    (size_t)outl + (size_t)finl != len) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	explicit_bzero(kiv, sizeof(kiv));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return r;
}

int
key_private_to_openssh(const struct sshkey *key, const char *passphrase,
    const char *comment, struct buf *out)
{
	const struct key_cipher *kc;
	struct buf *body = NULL, *priv = NULL, *kdf = NULL, *pub = NULL;
	uint8_t salt[OPENSSH_SALT_LEN];
	uint32_t check;
	size_t i;
	int encrypt, r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL || !key->k_private)
		return SSH_ERR_INVALID_ARGUMENT;
	encrypt = passphrase != NULL && *passphrase != '\0';
	if ((kc = key_cipher_by_name(encrypt ? OPENSSH_CIPHER : "none")) ==
	    NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if ((body = buf_new()) == NULL || (priv = buf_new()) == NULL ||
	    (kdf = buf_new()) == NULL || (pub = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (encrypt) {
		if (RAND_bytes(salt, sizeof(salt)) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = buf_put_string(kdf, salt, sizeof(salt))) != 0 ||
		    (r = buf_put_u32(kdf, OPENSSH_ROUNDS)) != 0)
			goto out;
	}
	/* A random check value, so a wrong passphrase shows as a mismatch. */
	if (RAND_bytes((uint8_t *)&check, sizeof(check)) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((r = key_to_blob(key, pub)) != 0 ||
	    (r = buf_put_u32(priv, check)) != 0 ||
	    (r = buf_put_u32(priv, check)) != 0 ||
	    (r = key_put_private_fields(key, priv)) != 0 ||
	    (r = buf_put_cstring(priv, comment != NULL ? comment : "")) != 0)
		goto out;
	for (i = 1; buf_len(priv) % kc->kc_blocksize != 0; i++)
		if ((r = buf_put_u8(priv, (uint8_t)(i & 0xff))) != 0)
			goto out;
	if ((r = buf_put(body, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC))) != 0 ||
	    (r = buf_put_cstring(body, kc->kc_name)) != 0 ||
	    (r = buf_put_cstring(body, encrypt ? "bcrypt" : "none")) != 0 ||
	    (r = buf_put_stringb(body, kdf)) != 0 ||
	    (r = buf_put_u32(body, 1)) != 0 ||
	    (r = buf_put_stringb(body, pub)) != 0)
		goto out;
	if (!encrypt) {
		if ((r = buf_put_stringb(body, priv)) != 0)
			goto out;
	} else {
		if ((r = buf_put_u32(body, (uint32_t)buf_len(priv))) != 0 ||
		    (r = key_crypt(kc, passphrase, salt, sizeof(salt),
		    OPENSSH_ROUNDS, 1, buf_ptr(priv), buf_len(priv),
		    body)) != 0)
			goto out;
	}
	if ((r = buf_putf(out, "%s\n", OPENSSH_BEGIN)) != 0 ||
	    (r = buf_dtob64(body, out, 1)) != 0 ||
	    (r = buf_putf(out, "%s\n", OPENSSH_END)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(&check, sizeof(check));
	buf_free(body);
	buf_free(priv);
	buf_free(kdf);
	buf_free(pub);
	return r;
}

/* Base64 between the openssh-key-v1 armour lines, decoded into out. */
static int
key_unarmour(const struct buf *file, struct buf *out)
{
	const char *p = (const char *)buf_ptr(file), *end;
	size_t len = buf_len(file), blen = strlen(OPENSSH_BEGIN), i;
	char *b64 = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (p == NULL || len < blen || memcmp(p, OPENSSH_BEGIN, blen) != 0)
		return SSH_ERR_INVALID_FORMAT;
	p += blen;
	len -= blen;
	/* The armour line ends in LF, or CRLF in a file that went through
	 * a Windows editor. */
	if (len > 0 && *p == '\r') {
		p++;
		len--;
	}
	if (len == 0 || *p != '\n')
		return SSH_ERR_INVALID_FORMAT;
	if ((end = memmem(p, len, OPENSSH_END, strlen(OPENSSH_END))) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	/* Nothing but white space after the end line. */
	for (i = (size_t)(end - p) + strlen(OPENSSH_END); i < len; i++)
		if (p[i] != '\n' && p[i] != '\r' && p[i] != ' ' && p[i] != '\t')
			return SSH_ERR_INVALID_FORMAT;
	len = (size_t)(end - p);
	if (memchr(p, '\0', len) != NULL)
		return SSH_ERR_INVALID_FORMAT;
	if ((b64 = strndup(p, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = buf_b64tod(out, b64);
	freezero(b64, len + 1);
	return r;
}

/*
 * openssh-key-v1.  With passphrase NULL and pubp set, returns only the
 * public key from the unencrypted header.
 */
static int
key_parse_openssh(const struct buf *file, const char *passphrase,
    struct sshkey **keyp, char **commentp, struct sshkey **pubp)
{
	const struct key_cipher *kc;
	struct buf *dec = NULL, *kdf = NULL, *pubblob = NULL, *priv = NULL;
	struct sshkey *pub = NULL, *k = NULL;
	char *ciphername = NULL, *kdfname = NULL, *comment = NULL;
	const uint8_t *magic, *enc, *check, *salt = NULL, *pad;
	size_t enclen, saltlen = 0, padlen, i;
	uint32_t nkeys, rounds = 0;
	int encrypted, r = SSH_ERR_INTERNAL_ERROR;

	if ((dec = buf_new()) == NULL || (priv = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_unarmour(file, dec)) != 0)
		goto out;
	if (buf_len(dec) < sizeof(OPENSSH_MAGIC) ||
	    (magic = buf_ptr(dec)) == NULL ||
	    memcmp(magic, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_consume(dec, sizeof(OPENSSH_MAGIC))) != 0 ||
	    (r = buf_get_cstring(dec, &ciphername, NULL)) != 0 ||
	    (r = buf_get_cstring(dec, &kdfname, NULL)) != 0 ||
	    (r = buf_froms(dec, &kdf)) != 0 ||
	    (r = buf_get_u32(dec, &nkeys)) != 0)
		goto out;
	/* ssh-keygen only ever writes one key per file. */
	if (nkeys != 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_froms(dec, &pubblob)) != 0 ||
	    (r = key_from_blob(pubblob, &pub)) != 0 ||
	    (r = buf_get_string_direct(dec, &enc, &enclen)) != 0 ||
	    (r = buf_expect_end(dec)) != 0)
		goto out;
	if ((kc = key_cipher_by_name(ciphername)) == NULL) {
		r = SSH_ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	encrypted = kc->kc_evp != NULL;
	if (strcmp(kdfname, "none") == 0) {
		if (encrypted || buf_len(kdf) != 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (strcmp(kdfname, "bcrypt") == 0) {
		if (!encrypted) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if ((r = buf_get_string_direct(kdf, &salt, &saltlen)) != 0 ||
		    (r = buf_get_u32(kdf, &rounds)) != 0 ||
		    (r = buf_expect_end(kdf)) != 0)
			goto out;
		if (saltlen == 0 || rounds == 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else {
		r = SSH_ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	if (enclen == 0 || enclen % kc->kc_blocksize != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (pubp != NULL) {
		*pubp = pub;
		pub = NULL;
		r = 0;
		goto out;
	}
	if (encrypted && (passphrase == NULL || *passphrase == '\0')) {
		r = SSH_ERR_KEY_WRONG_PASSPHRASE;
		goto out;
	}
	if (encrypted) {
		if ((r = key_crypt(kc, passphrase, salt, saltlen, rounds, 0,
		    enc, enclen, priv)) != 0)
			goto out;
	} else if ((r = buf_put(priv, enc, enclen)) != 0)
		goto out;
	if (buf_len(priv) < 8 || (check = buf_ptr(priv)) == NULL) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (CRYPTO_memcmp(check, check + 4, 4) != 0) {
		r = encrypted ? SSH_ERR_KEY_WRONG_PASSPHRASE :
		    SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_consume(priv, 8)) != 0 ||
	    (r = key_get_private(priv, &k)) != 0 ||
	    (r = buf_get_cstring(priv, &comment, NULL)) != 0)
		goto out;
	if (key_equal_public(k, pub) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* Padding 1, 2, 3, ... up to, not including, a whole block. */
	padlen = buf_len(priv);
	pad = buf_ptr(priv);
	if (padlen >= kc->kc_blocksize) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	for (i = 0; i < padlen; i++) {
		if (pad[i] != (uint8_t)(i + 1)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	if ((r = buf_consume(priv, padlen)) != 0 ||
	    (r = buf_expect_end(priv)) != 0)
		goto out;
	*keyp = k;
	k = NULL;
	if (commentp != NULL) {
		*commentp = comment;
		comment = NULL;
	}
	r = 0;
 out:
	buf_free(kdf);
	buf_free(pubblob);
	buf_free(dec);
	buf_free(priv);
	key_free(pub);
	key_free(k);
	free(ciphername);
	free(kdfname);
	free(comment);
	return r;
}

/* A missing passphrase must fail, never prompt on a terminal. */
static int
key_no_passphrase(char *pass, size_t pass_size, size_t *pass_len,
    const OSSL_PARAM params[], void *arg)
{
	return 0;
}

/* PEM labels we hand to OpenSSL's decoders. */
static const char *const key_pem_labels[] = {
	"RSA PRIVATE KEY",		/* PKCS#1 */
	"EC PRIVATE KEY",		/* SEC1 */
	"PRIVATE KEY",			/* PKCS#8 */
	"ENCRYPTED PRIVATE KEY",	/* PKCS#8, encrypted */
};

static int
key_parse_pem(const struct buf *file, const char *passphrase,
    struct sshkey **keyp)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	const char *p = (const char *)buf_ptr(file), *label, *lend;
	const unsigned char *data;
	size_t len = buf_len(file), llen, i, known = 0;
	int encrypted, r = SSH_ERR_INTERNAL_ERROR;

	if (p == NULL || (label = memmem(p, len, "-----BEGIN ", 11)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	label += 11;
	if ((lend = memmem(label, len - (size_t)(label - p), "-----",
	    5)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	llen = (size_t)(lend - label);
	for (i = 0; i < sizeof(key_pem_labels) / sizeof(key_pem_labels[0]);
	    i++) {
		if (strlen(key_pem_labels[i]) == llen &&
		    memcmp(key_pem_labels[i], label, llen) == 0)
			known = 1;
	}
	if (!known) {
		/* DSA, other OpenSSH armour versions and so on. */
		if (llen >= 11 && memcmp(lend - 11, "PRIVATE KEY", 11) == 0)
			return SSH_ERR_KEY_TYPE_UNKNOWN;
		return SSH_ERR_INVALID_FORMAT;
	}
	encrypted = (llen == 21 && memcmp(label, "ENCRYPTED", 9) == 0) ||
	    memmem(p, len, "Proc-Type: 4,ENCRYPTED", 22) != NULL;
	if (encrypted && passphrase == NULL)
		return SSH_ERR_KEY_WRONG_PASSPHRASE;
	if ((dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, NULL,
	    EVP_PKEY_KEYPAIR, NULL, NULL)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (passphrase != NULL) {
		if (OSSL_DECODER_CTX_set_passphrase(dctx,
		    (const unsigned char *)passphrase,
		    strlen(passphrase)) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
	} else if (OSSL_DECODER_CTX_set_passphrase_cb(dctx,
	    key_no_passphrase, NULL) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	data = (const unsigned char *)p;
	if (OSSL_DECODER_from_data(dctx, &data, &len) != 1 || pkey == NULL) {
		r = encrypted ? SSH_ERR_KEY_WRONG_PASSPHRASE :
		    SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = key_from_pkey(pkey, 1, KEY_UNSPEC, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(dctx);
	return r;
}

static int
key_is_openssh_file(const struct buf *file)
{
	size_t blen = strlen(OPENSSH_BEGIN);

	return buf_len(file) >= blen &&
	    memcmp(buf_ptr(file), OPENSSH_BEGIN, blen) == 0;
}

int
key_private_parse(const struct buf *file, const char *passphrase,
    struct sshkey **keyp, char **commentp)
{
	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (file == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (key_is_openssh_file(file))
		return key_parse_openssh(file, passphrase, keyp, commentp,
		    NULL);
	return key_parse_pem(file, passphrase, keyp);
}

int
key_private_parse_public(const struct buf *file, struct sshkey **pubp)
{
	struct sshkey *k = NULL;
	int r;

	if (pubp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*pubp = NULL;
	if (file == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (key_is_openssh_file(file))
		return key_parse_openssh(file, NULL, NULL, NULL, pubp);
	/* PEM keys have no separate public part: decrypting is the only way. */
	if ((r = key_parse_pem(file, NULL, &k)) != 0)
		return r;
	r = key_demote(k, pubp);
	key_free(k);
	return r;
}
