/*
 * key_local.h: the key object and the helpers shared by key.c (the key
 * model), key_evp.c (OpenSSL key objects) and key_private.c (private-key
 * files).  Not for use outside those files.
 */
#ifndef NANOSSH_KEY_LOCAL_H
#define NANOSSH_KEY_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "protocol/key.h"

struct buf;

#define KEY_RSA_MIN_BITS	1024	/* smallest RSA key we load */
#define KEY_RSA_GEN_MIN_BITS	2048	/* smallest RSA key we make */
#define KEY_RSA_DEFAULT_BITS	3072
#define KEY_RSA_MAX_BITS	16384
#define KEY_DSA_P_BITS		1024	/* FIPS 186-2, as OpenSSH's ssh-dss */
#define KEY_DSA_Q_BITS		160
#define ED25519_PK_LEN		32
#define ED25519_SEED_LEN	32
#define ED25519_SK_LEN		64	/* seed || public, as OpenSSH stores it */

struct sshkey {
	enum key_type	 k_type;
	EVP_PKEY	*k_pkey;
	int		 k_private;
	char		*k_sk_app;	/* FIDO application, sk types only */
};

struct key_info {
	enum key_type	 ki_type;
	const char	*ki_name;	/* SSH algorithm name */
	const char	*ki_short;	/* as ssh-keygen -l shows it */
	const char	*ki_curve;	/* SSH curve identifier (ECDSA) */
	const char	*ki_group;	/* OpenSSL group name */
	const char	*ki_group_sn;	/* what OpenSSL reports it as */
	unsigned int	 ki_bits;
};

/* key.c */
const struct key_info *key_info_by_type(enum key_type type);
int key_type_is_ecdsa(enum key_type type);
/* The ECDSA type of an OpenSSL group name, KEY_UNSPEC for none. */
enum key_type key_type_from_group(const char *group);
/* For ECDSA: reads the curve identifier and checks it matches type. */
int key_get_curve(struct buf *b, enum key_type type);
/* Reads an uncompressed point of the right length for the curve. */
int key_get_ec_point(struct buf *b, enum key_type type, const uint8_t **qp,
    size_t *qlenp);

/* key_evp.c */
/* Takes ownership of pkey. */
int key_new(enum key_type type, EVP_PKEY *pkey, int priv,
    struct sshkey **keyp);
/* Reads a BIGNUM parameter; the caller frees it with BN_clear_free. */
int key_get_bn(const EVP_PKEY *pkey, const char *name, BIGNUM **bnp);
/* Appends bn as an mpint, wiping the temporary copy. */
int key_put_bn(struct buf *b, const BIGNUM *bn);
/* Reads an mpint; secret values go into OpenSSL's secure heap. */
int key_get_bn_buf(struct buf *b, int secret, BIGNUM **bnp);
/* An EVP_PKEY of algorithm alg from the parameters in bld. */
int key_fromdata(const char *alg, int selection, OSSL_PARAM_BLD *bld,
    EVP_PKEY **pkeyp);
/* ECDSA public point Q as an uncompressed SEC1 octet string. */
int key_ec_point(const struct sshkey *k, struct buf *out);
/*
 * Classifies and validates an EVP_PKEY from any source and wraps it in a
 * key; takes ownership of pkey on success.  want is KEY_UNSPEC or the type
 * the caller expects.
 */
int key_from_pkey(EVP_PKEY *pkey, int priv, enum key_type want,
    struct sshkey **keyp);
/* DSA as in ssh-dss blobs and key files: mpint p, q, g, y, and with priv
 * also x.  key_from_pkey checks what key_get_dsa read. */
int key_put_dsa(const struct sshkey *k, int priv, struct buf *b);
int key_get_dsa(struct buf *b, int priv, EVP_PKEY **pkeyp);

#endif
