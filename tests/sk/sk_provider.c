/*
 * sk_provider.c: a software FIDO "authenticator" for OpenSSH's
 * SecurityKeyProvider interface (sk-api.h, API version 0x000a0000 as in
 * OpenSSH 9.2), so the tests can log in with ed25519-sk and ecdsa-sk keys
 * made by ssh-keygen -w and used by ssh.  The key handle is the private
 * key itself: this is a test fixture, not a token.  NANOSSH_SK_FLAGS and
 * NANOSSH_SK_COUNTER (numbers) set what the signatures claim, so that a
 * test can leave out user presence or add user verification.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define SSH_SK_USER_PRESENCE_REQD	0x01
#define SSH_SK_ECDSA			0x00
#define SSH_SK_ED25519			0x01
#define SSH_SK_ERR_GENERAL		-1
#define SSH_SK_ERR_UNSUPPORTED		-2
#define SSH_SK_VERSION_MAJOR		0x000a0000

/* The structures of sk-api.h, field for field. */
struct sk_enroll_response {
	uint8_t flags;
	uint8_t *public_key;
	size_t public_key_len;
	uint8_t *key_handle;
	size_t key_handle_len;
	uint8_t *signature;
	size_t signature_len;
	uint8_t *attestation_cert;
	size_t attestation_cert_len;
	uint8_t *authdata;
	size_t authdata_len;
};

struct sk_sign_response {
	uint8_t flags;
	uint32_t counter;
	uint8_t *sig_r;
	size_t sig_r_len;
	uint8_t *sig_s;
	size_t sig_s_len;
};

struct sk_resident_key;
struct sk_option;

uint32_t sk_api_version(void);
int sk_enroll(uint32_t, const uint8_t *, size_t, const char *, uint8_t,
    const char *, struct sk_option **, struct sk_enroll_response **);
int sk_sign(uint32_t, const uint8_t *, size_t, const char *, const uint8_t *,
    size_t, uint8_t, const char *, struct sk_option **,
    struct sk_sign_response **);
int sk_load_resident_keys(const char *, struct sk_option **,
    struct sk_resident_key ***, size_t *);

uint32_t
sk_api_version(void)
{
	return SSH_SK_VERSION_MAJOR;
}

static uint8_t *
dup_bytes(const void *p, size_t n)
{
	uint8_t *d = malloc(n == 0 ? 1 : n);

	if (d != NULL && n != 0)
		memcpy(d, p, n);
	return d;
}

int
sk_enroll(uint32_t alg, const uint8_t *challenge, size_t challenge_len,
    const char *application, uint8_t flags, const char *pin,
    struct sk_option **options, struct sk_enroll_response **respp)
{
	struct sk_enroll_response *resp;
	EVP_PKEY *pkey = NULL;
	uint8_t pub[65], *der = NULL;
	size_t publen = sizeof(pub);
	int derlen, ok = 0;

	(void)challenge; (void)challenge_len; (void)application; (void)pin;
	(void)options;
	*respp = NULL;
	if ((resp = calloc(1, sizeof(*resp))) == NULL)
		return SSH_SK_ERR_GENERAL;
	if (alg == SSH_SK_ED25519)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else if (alg == SSH_SK_ECDSA)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (pkey == NULL)
		goto out;
	if (alg == SSH_SK_ED25519) {
		if (EVP_PKEY_get_raw_public_key(pkey, pub, &publen) != 1)
			goto out;
	} else if (EVP_PKEY_get_octet_string_param(pkey,
	    OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &publen) != 1)
		goto out;
	if ((derlen = i2d_PrivateKey(pkey, &der)) <= 0)
		goto out;
	resp->flags = flags;
	resp->public_key = dup_bytes(pub, publen);
	resp->public_key_len = publen;
	resp->key_handle = dup_bytes(der, (size_t)derlen);
	resp->key_handle_len = (size_t)derlen;
	ok = resp->public_key != NULL && resp->key_handle != NULL;
 out:
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	if (!ok) {
		free(resp->public_key);
		free(resp->key_handle);
		free(resp);
		return SSH_SK_ERR_GENERAL;
	}
	*respp = resp;
	return 0;
}

static unsigned long
env_num(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? strtoul(v, NULL, 0) : dflt;
}

int
sk_sign(uint32_t alg, const uint8_t *data, size_t data_len,
    const char *application, const uint8_t *key_handle,
    size_t key_handle_len, uint8_t flags, const char *pin,
    struct sk_option **options, struct sk_sign_response **respp)
{
	struct sk_sign_response *resp;
	const unsigned char *p = key_handle;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;
	ECDSA_SIG *esig = NULL;
	const BIGNUM *r, *s;
	uint8_t msg[32 + 1 + 4 + 32], sig[80];
	const unsigned char *sp = sig;
	size_t siglen = sizeof(sig);
	uint32_t counter;
	int ok = 0;

	(void)flags; (void)pin; (void)options;
	*respp = NULL;
	if ((resp = calloc(1, sizeof(*resp))) == NULL)
		return SSH_SK_ERR_GENERAL;
	resp->flags = (uint8_t)env_num("NANOSSH_SK_FLAGS",
	    SSH_SK_USER_PRESENCE_REQD);
	resp->counter = counter = (uint32_t)env_num("NANOSSH_SK_COUNTER", 1);
	/* SHA256(application) || flags || counter || SHA256(data) */
	if (EVP_Digest(application, strlen(application), msg, NULL,
	    EVP_sha256(), NULL) != 1 ||
	    EVP_Digest(data, data_len, msg + 37, NULL, EVP_sha256(), NULL) != 1)
		goto out;
	msg[32] = resp->flags;
	msg[33] = counter >> 24;
	msg[34] = counter >> 16;
	msg[35] = counter >> 8;
	msg[36] = counter;
	if ((pkey = d2i_AutoPrivateKey(NULL, &p, (long)key_handle_len)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, alg == SSH_SK_ECDSA ? EVP_sha256() :
	    NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, msg, sizeof(msg)) != 1)
		goto out;
	if (alg == SSH_SK_ED25519) {
		resp->sig_r = dup_bytes(sig, siglen);
		resp->sig_r_len = siglen;
		ok = resp->sig_r != NULL;
	} else if (alg == SSH_SK_ECDSA) {
		if ((esig = d2i_ECDSA_SIG(NULL, &sp, (long)siglen)) == NULL)
			goto out;
		ECDSA_SIG_get0(esig, &r, &s);
		resp->sig_r_len = (size_t)BN_num_bytes(r);
		resp->sig_s_len = (size_t)BN_num_bytes(s);
		if ((resp->sig_r = malloc(resp->sig_r_len + 1)) == NULL ||
		    (resp->sig_s = malloc(resp->sig_s_len + 1)) == NULL)
			goto out;
		BN_bn2bin(r, resp->sig_r);
		BN_bn2bin(s, resp->sig_s);
		ok = 1;
	}
 out:
	ECDSA_SIG_free(esig);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	if (!ok) {
		free(resp->sig_r);
		free(resp->sig_s);
		free(resp);
		return SSH_SK_ERR_GENERAL;
	}
	*respp = resp;
	return 0;
}

int
sk_load_resident_keys(const char *pin, struct sk_option **options,
    struct sk_resident_key ***rks, size_t *nrks)
{
	(void)pin; (void)options;
	*rks = NULL;
	*nrks = 0;
	return SSH_SK_ERR_UNSUPPORTED;
}
