/* sig.c: SSH signature blobs for Ed25519, ECDSA, RSA and DSA keys and
 * FIDO security keys (see sig.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"

#define ED25519_SIG_LEN		64
/* Largest ECDSA r or s we ever encode: the P-521 order is 66 bytes. */
#define ECDSA_SCALAR_MAX	66
/* ssh-dss: r || s, each as 20 bytes big-endian (FIPS 186-2, q of 160 bits). */
#define DSS_SCALAR_LEN		20

struct sig_alg {
	const char	*sa_name;
	enum key_type	 sa_type;
	const char	*sa_md;		/* NULL: Ed25519 hashes internally */
	int		 sa_sha1;	/* only with allow_sha1 */
};

/* Within a key type, most preferred first: the first is the default. */
static const struct sig_alg sig_algs[] = {
	{ "ssh-ed25519",		KEY_ED25519,	NULL,		0 },
	{ "ecdsa-sha2-nistp256",	KEY_ECDSA_P256,	"SHA256",	0 },
	{ "ecdsa-sha2-nistp384",	KEY_ECDSA_P384,	"SHA384",	0 },
	{ "ecdsa-sha2-nistp521",	KEY_ECDSA_P521,	"SHA512",	0 },
	{ "rsa-sha2-512",		KEY_RSA,	"SHA512",	0 },
	{ "rsa-sha2-256",		KEY_RSA,	"SHA256",	0 },
	{ "ssh-rsa",			KEY_RSA,	"SHA1",		1 },
	{ "sk-ssh-ed25519@openssh.com",	KEY_SK_ED25519,	NULL,		0 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", KEY_SK_ECDSA_P256, "SHA256", 0 },
	{ "ssh-dss",			KEY_DSA,	"SHA1",		1 },
};
#define SIG_NALGS	(sizeof(sig_algs) / sizeof(sig_algs[0]))

/* EVP wants a non-NULL pointer even for empty data. */
static const uint8_t sig_empty;

static const struct sig_alg *
sig_alg_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < SIG_NALGS; i++) {
		if (strcmp(sig_algs[i].sa_name, name) == 0)
			return &sig_algs[i];
	}
	return NULL;
}

static const struct sig_alg *
sig_alg_default(enum key_type type)
{
	size_t i;

	for (i = 0; i < SIG_NALGS; i++) {
		if (sig_algs[i].sa_type == type)
			return &sig_algs[i];
	}
	return NULL;
}

static int
sig_alg_lookup(const struct sshkey *key, const char *name, int allow_sha1,
    const struct sig_alg **sap)
{
	const struct sig_alg *sa;

	*sap = NULL;
	if ((sa = sig_alg_by_name(name)) == NULL)
		return SSH_ERR_SIGN_ALG_UNSUPPORTED;
	if (sa->sa_type != key_type(key))
		return SSH_ERR_KEY_TYPE_MISMATCH;
	if (sa->sa_sha1 && !allow_sha1)
		return SSH_ERR_SIGN_ALG_UNSUPPORTED;
	*sap = sa;
	return 0;
}

/*
 * The OpenSSL object must be what key_type() claims, so that a name check
 * against the key type is also a check against the key material (a P-256
 * EVP_PKEY must never verify an "ecdsa-sha2-nistp384" signature).
 */
static int
sig_key_check(const struct sshkey *key, const struct sig_alg *sa)
{
	EVP_PKEY *pkey = key_evp(key);
	int id, bits, want_id, want_bits = 0;

	if (pkey == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	switch (key_type_plain(sa->sa_type)) {
	case KEY_ED25519:
		want_id = EVP_PKEY_ED25519;
		break;
	case KEY_ECDSA_P256:
		want_id = EVP_PKEY_EC;
		want_bits = 256;
		break;
	case KEY_ECDSA_P384:
		want_id = EVP_PKEY_EC;
		want_bits = 384;
		break;
	case KEY_ECDSA_P521:
		want_id = EVP_PKEY_EC;
		want_bits = 521;
		break;
	case KEY_RSA:
		want_id = EVP_PKEY_RSA;
		break;
	case KEY_DSA:
		want_id = EVP_PKEY_DSA;
		want_bits = 1024;
		break;
	default:
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	}
	id = EVP_PKEY_get_base_id(pkey);
	bits = EVP_PKEY_get_bits(pkey);
	if (id != want_id || (want_bits != 0 && bits != want_bits))
		return SSH_ERR_KEY_TYPE_MISMATCH;
	if (sa->sa_type == KEY_RSA && bits < SIG_RSA_MIN_BITS)
		return SSH_ERR_KEY_LENGTH;
	return 0;
}

static int
sig_ecdsa_nid(enum key_type type)
{
	switch (key_type_plain(type)) {
	case KEY_ECDSA_P256:
		return NID_X9_62_prime256v1;
	case KEY_ECDSA_P384:
		return NID_secp384r1;
	case KEY_ECDSA_P521:
		return NID_secp521r1;
	default:
		return NID_undef;
	}
}

/* A digest-sign or digest-verify context with sa's hash and padding. */
static int
sig_ctx_new(const struct sshkey *key, const struct sig_alg *sa, int sign,
    EVP_MD_CTX **ctxp)
{
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int ok, r = SSH_ERR_INTERNAL_ERROR;

	*ctxp = NULL;
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (sign)
		ok = EVP_DigestSignInit_ex(ctx, &pctx, sa->sa_md, NULL, NULL,
		    key_evp(key), NULL);
	else
		ok = EVP_DigestVerifyInit_ex(ctx, &pctx, sa->sa_md, NULL, NULL,
		    key_evp(key), NULL);
	if (ok != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	/* PKCS#1 v1.5 is OpenSSL's default, but never let PSS slip in. */
	if (sa->sa_type == KEY_RSA &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*ctxp = ctx;
	ctx = NULL;
	r = 0;
 out:
	EVP_MD_CTX_free(ctx);
	return r;
}

static int
sig_put_bn(struct buf *b, const BIGNUM *bn)
{
	uint8_t tmp[ECDSA_SCALAR_MAX];
	int n = BN_num_bytes(bn);

	if (BN_is_negative(bn) || n < 0 || (size_t)n > sizeof(tmp))
		return SSH_ERR_LIBCRYPTO_ERROR;
	if (BN_bn2bin(bn, tmp) != n)
		return SSH_ERR_LIBCRYPTO_ERROR;
	return buf_put_bignum2_bytes(b, tmp, (size_t)n);
}

/* OpenSSL's DER ECDSA-Sig-Value to SSH's "mpint r, mpint s", appended to out. */
static int
sig_ecdsa_der_to_ssh(const uint8_t *der, size_t derlen, struct buf *out)
{
	ECDSA_SIG *esig = NULL;
	const unsigned char *p = der;
	const BIGNUM *br, *bs;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (derlen > LONG_MAX ||
	    (esig = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	ECDSA_SIG_get0(esig, &br, &bs);
	if ((r = sig_put_bn(out, br)) != 0 || (r = sig_put_bn(out, bs)) != 0)
		goto out;
	r = 0;
 out:
	ECDSA_SIG_free(esig);
	return r;
}

/*
 * SSH's "mpint r, mpint s" to DER for OpenSSL.  The range check happens
 * here, before OpenSSL sees the values: r and s in [1, n-1], and the blob
 * holds exactly the two mpints.
 */
static int
sig_ecdsa_ssh_to_der(enum key_type type, const uint8_t *sig, size_t siglen,
    uint8_t **derp, size_t *derlenp)
{
	struct buf *b = NULL;
	const uint8_t *rp, *sp;
	size_t rlen, slen, nlen;
	EC_GROUP *group = NULL;
	const BIGNUM *order;
	BIGNUM *br = NULL, *bs = NULL;
	ECDSA_SIG *esig = NULL;
	unsigned char *der = NULL;
	int derlen, r = SSH_ERR_INTERNAL_ERROR;

	*derp = NULL;
	*derlenp = 0;
	if ((b = buf_from(sig, siglen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (buf_get_bignum2_bytes_direct(b, &rp, &rlen) != 0 ||
	    buf_get_bignum2_bytes_direct(b, &sp, &slen) != 0 ||
	    buf_expect_end(b) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((group = EC_GROUP_new_by_curve_name(sig_ecdsa_nid(type))) == NULL ||
	    (order = EC_GROUP_get0_order(group)) == NULL) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	/* Magnitudes are minimal, so one longer than n is at least n. */
	nlen = (size_t)BN_num_bytes(order);
	if (rlen == 0 || slen == 0 || rlen > nlen || slen > nlen) {
		r = SSH_ERR_SIGNATURE_INVALID;
		goto out;
	}
	if ((br = BN_bin2bn(rp, (int)rlen, NULL)) == NULL ||
	    (bs = BN_bin2bn(sp, (int)slen, NULL)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_is_zero(br) || BN_is_zero(bs) ||
	    BN_cmp(br, order) >= 0 || BN_cmp(bs, order) >= 0) {
		r = SSH_ERR_SIGNATURE_INVALID;
		goto out;
	}
	if ((esig = ECDSA_SIG_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (ECDSA_SIG_set0(esig, br, bs) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	br = bs = NULL;		/* owned by esig now */
	if ((derlen = i2d_ECDSA_SIG(esig, &der)) <= 0) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*derp = der;
	*derlenp = (size_t)derlen;
	der = NULL;
	r = 0;
 out:
	OPENSSL_free(der);
	ECDSA_SIG_free(esig);
	BN_free(br);
	BN_free(bs);
	EC_GROUP_free(group);
	buf_free(b);
	return r;
}

/* OpenSSL's DER Dss-Sig-Value to ssh-dss's fixed r || s, appended to out. */
static int
sig_dss_der_to_ssh(const uint8_t *der, size_t derlen, struct buf *out)
{
	DSA_SIG *dsig = NULL;
	const unsigned char *p = der;
	const BIGNUM *br, *bs;
	uint8_t *d;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (derlen > LONG_MAX ||
	    (dsig = d2i_DSA_SIG(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	DSA_SIG_get0(dsig, &br, &bs);
	if ((r = buf_reserve(out, 2 * DSS_SCALAR_LEN, &d)) != 0)
		goto out;
	if (BN_bn2binpad(br, d, DSS_SCALAR_LEN) != DSS_SCALAR_LEN ||
	    BN_bn2binpad(bs, d + DSS_SCALAR_LEN, DSS_SCALAR_LEN) !=
	    DSS_SCALAR_LEN) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	DSA_SIG_free(dsig);
	return r;
}

/* ssh-dss's r || s to DER for OpenSSL; exactly 40 bytes, r and s not 0
 * (OpenSSL checks them against q). */
static int
sig_dss_ssh_to_der(const uint8_t *sig, size_t siglen, uint8_t **derp,
    size_t *derlenp)
{
	BIGNUM *br = NULL, *bs = NULL;
	DSA_SIG *dsig = NULL;
	unsigned char *der = NULL;
	int derlen, r = SSH_ERR_INTERNAL_ERROR;

	*derp = NULL;
	*derlenp = 0;
	if (siglen != 2 * DSS_SCALAR_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((br = BN_bin2bn(sig, DSS_SCALAR_LEN, NULL)) == NULL ||
	    (bs = BN_bin2bn(sig + DSS_SCALAR_LEN, DSS_SCALAR_LEN,
	    NULL)) == NULL || (dsig = DSA_SIG_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_is_zero(br) || BN_is_zero(bs)) {
		r = SSH_ERR_SIGNATURE_INVALID;
		goto out;
	}
	if (DSA_SIG_set0(dsig, br, bs) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	br = bs = NULL;		/* owned by dsig now */
	if ((derlen = i2d_DSA_SIG(dsig, &der)) <= 0) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*derp = der;
	*derlenp = (size_t)derlen;
	der = NULL;
	r = 0;
 out:
	OPENSSL_free(der);
	DSA_SIG_free(dsig);
	BN_free(br);
	BN_free(bs);
	return r;
}

int
sig_sign(const struct sshkey *key, const char *alg, const uint8_t *data,
    size_t len, struct buf *out)
{
	const struct sig_alg *sa;
	EVP_MD_CTX *ctx = NULL;
	struct buf *blob = NULL, *inner = NULL;
	uint8_t *raw = NULL;
	size_t rawlen = 0, maxlen;
	int size, r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL || (data == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if (key_evp(key) == NULL || !key_is_private(key))
		return SSH_ERR_INVALID_ARGUMENT;
	if (data == NULL)
		data = &sig_empty;
	if (alg == NULL) {
		if ((sa = sig_alg_default(key_type(key))) == NULL)
			return SSH_ERR_KEY_TYPE_UNKNOWN;
	} else if ((r = sig_alg_lookup(key, alg, 1, &sa)) != 0)
		return r;
	if ((r = sig_key_check(key, sa)) != 0)
		return r;

	if ((size = EVP_PKEY_get_size(key_evp(key))) <= 0) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	maxlen = (size_t)size;
	if ((raw = malloc(maxlen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = sig_ctx_new(key, sa, 1, &ctx)) != 0)
		goto out;
	rawlen = maxlen;
	if (EVP_DigestSign(ctx, raw, &rawlen, data, len) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((inner = buf_new()) == NULL || (blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	switch (sa->sa_type) {
	case KEY_ED25519:
	case KEY_RSA:
		/* Both have a fixed length; RSA is left-padded to the modulus. */
		if ((sa->sa_type == KEY_ED25519 && rawlen != ED25519_SIG_LEN) ||
		    (sa->sa_type == KEY_RSA && rawlen != maxlen)) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = buf_put(inner, raw, rawlen)) != 0)
			goto out;
		break;
	case KEY_DSA:
		if ((r = sig_dss_der_to_ssh(raw, rawlen, inner)) != 0)
			goto out;
		break;
	default:
		if ((r = sig_ecdsa_der_to_ssh(raw, rawlen, inner)) != 0)
			goto out;
		break;
	}
	if ((r = buf_put_cstring(blob, sa->sa_name)) != 0 ||
	    (r = buf_put_stringb(blob, inner)) != 0 ||
	    (r = buf_putb(out, blob)) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	free(raw);
	buf_free(inner);
	buf_free(blob);
	return r;
}

/*
 * PROTOCOL.u2f: a security key signs SHA256(application) || flags ||
 * counter || SHA256(message), not the message itself.  Extensions would
 * sit between counter and message hash; the plain sk algorithms have none.
 */
static int
sig_sk_message(const struct sshkey *key, uint8_t flags, uint32_t counter,
    const uint8_t *data, size_t len, struct buf *out)
{
	const char *app = key_sk_application(key);
	uint8_t md[32];
	unsigned int mdlen = 0;
	int r;

	if (app == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (EVP_Digest(app, strlen(app), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != sizeof(md))
		return SSH_ERR_LIBCRYPTO_ERROR;
	if ((r = buf_put(out, md, sizeof(md))) != 0 ||
	    (r = buf_put_u8(out, flags)) != 0 ||
	    (r = buf_put_u32(out, counter)) != 0)
		return r;
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md))
		return SSH_ERR_LIBCRYPTO_ERROR;
	return buf_put(out, md, sizeof(md));
}

int
sig_verify(const struct sshkey *key, const uint8_t *sig, size_t siglen,
    const uint8_t *data, size_t len, const char *alg, int allow_sha1)
{
	return sig_verify_details(key, sig, siglen, data, len, alg, allow_sha1,
	    NULL);
}

int
sig_verify_details(const struct sshkey *key, const uint8_t *sig,
    size_t siglen, const uint8_t *data, size_t len, const char *alg,
    int allow_sha1, struct sig_details *dp)
{
	const struct sig_alg *sa, *want;
	struct buf *b = NULL, *skmsg = NULL;
	char *name = NULL;
	const uint8_t *inner, *vsig;
	uint8_t *der = NULL, *padded = NULL, flags = 0;
	uint32_t counter = 0;
	size_t innerlen, vsiglen, derlen, modlen;
	EVP_MD_CTX *ctx = NULL;
	int sk, size, r = SSH_ERR_INTERNAL_ERROR;

	if (dp != NULL)
		memset(dp, 0, sizeof(*dp));
	if (key == NULL || (sig == NULL && siglen != 0) ||
	    (data == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if (data == NULL)
		data = &sig_empty;
	if (siglen > BUF_SIZE_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if ((b = buf_from(sig, siglen)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0 ||
	    (r = buf_get_string_direct(b, &inner, &innerlen)) != 0)
		goto bad;
	/* A security key's signature carries the authenticator's flags
	 * and counter after the signature proper. */
	if ((sk = key_type_is_sk(sig_alg_key_type(name))) &&
	    ((r = buf_get_u8(b, &flags)) != 0 ||
	    (r = buf_get_u32(b, &counter)) != 0))
		goto bad;
	if ((r = buf_expect_end(b)) != 0)
		goto bad;
	if (alg != NULL) {
		/* A constraint naming another key type is a caller mismatch. */
		if ((r = sig_alg_lookup(key, alg, allow_sha1, &want)) != 0)
			goto out;
	}
	if ((r = sig_alg_lookup(key, name, allow_sha1, &sa)) != 0)
		goto out;
	if (alg != NULL && want != sa) {
		r = SSH_ERR_SIGNATURE_INVALID;
		goto out;
	}
	if ((r = sig_key_check(key, sa)) != 0)
		goto out;
	if (sk) {
		if ((skmsg = buf_new()) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = sig_sk_message(key, flags, counter, data, len,
		    skmsg)) != 0)
			goto out;
		data = buf_ptr(skmsg);
		len = buf_len(skmsg);
	}

	switch (key_type_plain(sa->sa_type)) {
	case KEY_ED25519:
		if (innerlen != ED25519_SIG_LEN) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		vsig = inner;
		vsiglen = innerlen;
		break;
	case KEY_RSA:
		if ((size = EVP_PKEY_get_size(key_evp(key))) <= 0) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		modlen = (size_t)size;
		if (innerlen == 0 || innerlen > modlen) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		vsig = inner;
		vsiglen = innerlen;
		if (innerlen < modlen) {
			/* Same integer; OpenSSL wants exactly modlen bytes. */
			if ((padded = calloc(1, modlen)) == NULL) {
				r = SSH_ERR_ALLOC_FAIL;
				goto out;
			}
			memcpy(padded + (modlen - innerlen), inner, innerlen);
			vsig = padded;
			vsiglen = modlen;
		}
		break;
	case KEY_DSA:
		if ((r = sig_dss_ssh_to_der(inner, innerlen, &der,
		    &derlen)) != 0)
			goto out;
		vsig = der;
		vsiglen = derlen;
		break;
	default:
		if ((r = sig_ecdsa_ssh_to_der(sa->sa_type, inner, innerlen,
		    &der, &derlen)) != 0)
			goto out;
		vsig = der;
		vsiglen = derlen;
		break;
	}

	if ((r = sig_ctx_new(key, sa, 0, &ctx)) != 0)
		goto out;
	if (EVP_DigestVerify(ctx, vsig, vsiglen, data, len) != 1) {
		r = SSH_ERR_SIGNATURE_INVALID;
		goto out;
	}
	if (dp != NULL) {
		dp->sd_sk = sk;
		dp->sd_sk_flags = flags;
		dp->sd_sk_counter = counter;
	}
	r = 0;
	goto out;
 bad:
	if (r != SSH_ERR_ALLOC_FAIL)
		r = SSH_ERR_INVALID_FORMAT;
 out:
	/* A failed check leaves errors queued that nobody else owns. */
	if (r != 0)
		ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	free(padded);
	free(name);
	buf_free(skmsg);
	buf_free(b);
	return r;
}

int
sig_get_alg(const uint8_t *sig, size_t siglen, char **algp)
{
	struct buf *b = NULL;
	char *name = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (algp == NULL || (sig == NULL && siglen != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	*algp = NULL;
	if (siglen > BUF_SIZE_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if ((b = buf_from(sig, siglen)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
	    (key_type_is_sk(sig_alg_key_type(name)) &&
	    (r = buf_consume(b, 1 + 4)) != 0) ||	/* flags, counter */
	    (r = buf_expect_end(b)) != 0) {
		if (r != SSH_ERR_ALLOC_FAIL)
			r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*algp = name;
	name = NULL;
	r = 0;
 out:
	free(name);
	buf_free(b);
	return r;
}

int
sig_check_alg(const struct sshkey *key, const char *alg, int allow_sha1)
{
	const struct sig_alg *sa;

	if (key == NULL || alg == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return sig_alg_lookup(key, alg, allow_sha1, &sa);
}

enum key_type
sig_alg_key_type(const char *alg)
{
	const struct sig_alg *sa = sig_alg_by_name(alg);

	return sa != NULL ? sa->sa_type : KEY_UNSPEC;
}

const char *
sig_algs_for_type(enum key_type type, int allow_sha1)
{
	switch (type) {
	case KEY_ED25519:
		return "ssh-ed25519";
	case KEY_ECDSA_P256:
		return "ecdsa-sha2-nistp256";
	case KEY_ECDSA_P384:
		return "ecdsa-sha2-nistp384";
	case KEY_ECDSA_P521:
		return "ecdsa-sha2-nistp521";
	case KEY_RSA:
		return allow_sha1 ? "rsa-sha2-512,rsa-sha2-256,ssh-rsa" :
		    "rsa-sha2-512,rsa-sha2-256";
	case KEY_SK_ED25519:
		return "sk-ssh-ed25519@openssh.com";
	case KEY_SK_ECDSA_P256:
		return "sk-ecdsa-sha2-nistp256@openssh.com";
	case KEY_DSA:
		return allow_sha1 ? "ssh-dss" : NULL;
	default:
		return NULL;
	}
}
