/*
 * kex_method.c: the table of key-exchange methods and the calls that
 * dispatch on a method's kind.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/kex_method_local.h"
#include "protocol/mlkem768.h"
#include "protocol/sntrup761.h"
#include "protocol/ssherr.h"

/* Most preferred first, as OpenSSH orders the ones it shares with us. */
static const struct kex_alg kex_algs[] = {
	{ "mlkem768x25519-sha256", KEX_KIND_MLKEM768_X25519, "SHA256", 32,
	    NULL, MLKEM768_EK_LEN + 32, 0 },
	{ "sntrup761x25519-sha512", KEX_KIND_SNTRUP761_X25519, "SHA512", 64,
	    NULL, SNTRUP761_PUBLICKEY_BYTES + 32, 0 },
	{ "sntrup761x25519-sha512@openssh.com", KEX_KIND_SNTRUP761_X25519,
	    "SHA512", 64, NULL, SNTRUP761_PUBLICKEY_BYTES + 32, 0 },
	{ "curve25519-sha256", KEX_KIND_X25519, "SHA256", 32, NULL, 32, 0 },
	{ "curve25519-sha256@libssh.org", KEX_KIND_X25519, "SHA256", 32,
	    NULL, 32, 0 },
	{ "ecdh-sha2-nistp256", KEX_KIND_ECDH, "SHA256", 32, "P-256",
	    1 + 2 * 32, 0 },
	{ "ecdh-sha2-nistp384", KEX_KIND_ECDH, "SHA384", 48, "P-384",
	    1 + 2 * 48, 0 },
	{ "ecdh-sha2-nistp521", KEX_KIND_ECDH, "SHA512", 64, "P-521",
	    1 + 2 * 66, 0 },
	{ "diffie-hellman-group-exchange-sha256", KEX_KIND_GEX, "SHA256", 32,
	    NULL, 0, 0 },
	{ "diffie-hellman-group16-sha512", KEX_KIND_DH, "SHA512", 64,
	    NULL, 0, 16 },
	{ "diffie-hellman-group18-sha512", KEX_KIND_DH, "SHA512", 64,
	    NULL, 0, 18 },
	{ "diffie-hellman-group14-sha256", KEX_KIND_DH, "SHA256", 32,
	    NULL, 0, 14 },
	/* Only when configured (RFC 4432; SHA-1 and 1024 bits for the
	 * second). */
	{ "rsa2048-sha256", KEX_KIND_RSA, "SHA256", 32, NULL, 0, 0, 2048 },
	{ "rsa1024-sha1", KEX_KIND_RSA, "SHA1", 20, NULL, 0, 0, 1024 },
};

#define KEX_NALGS	(sizeof(kex_algs) / sizeof(kex_algs[0]))

const struct kex_alg *
kex_alg_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < KEX_NALGS; i++) {
		if (strcmp(kex_algs[i].ka_name, name) == 0)
			return &kex_algs[i];
	}
	return NULL;
}

const char *
kex_alg_names(void)
{
	return "mlkem768x25519-sha256,"
	    "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,"
	    "curve25519-sha256,curve25519-sha256@libssh.org,"
	    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
	    "diffie-hellman-group-exchange-sha256,"
	    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
	    "diffie-hellman-group14-sha256,rsa2048-sha256,rsa1024-sha1";
}

static int
is_dh(const struct kex_alg *alg)
{
	return alg->ka_kind == KEX_KIND_DH || alg->ka_kind == KEX_KIND_GEX;
}

static int
is_hybrid(const struct kex_alg *alg)
{
	return alg->ka_kind == KEX_KIND_MLKEM768_X25519 ||
	    alg->ka_kind == KEX_KIND_SNTRUP761_X25519;
}

int
kex_alg_is_pq(const struct kex_alg *alg)
{
	return alg != NULL && is_hybrid(alg);
}

/* A key pair without keys yet: the group set up for DH methods. */
static int
keypair_alloc(const struct kex_alg *alg, const struct dh_group *group,
    struct kex_keypair **kpp)
{
	struct kex_keypair *kp = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*kpp = NULL;
	if (alg == NULL || alg != kex_alg_by_name(alg->ka_name))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((alg->ka_kind == KEX_KIND_GEX) != (group != NULL) ||
	    alg->ka_kind == KEX_KIND_RSA)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((kp = calloc(1, sizeof(*kp))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	kp->kp_alg = alg;
	if (alg->ka_kind == KEX_KIND_DH)
		r = dh_group_rfc3526(alg->ka_dh_group, &kp->kp_group);
	else if (alg->ka_kind == KEX_KIND_GEX)
		r = dh_group_dup(group, &kp->kp_group);
	else
		r = 0;
	if (r != 0) {
		kex_keypair_free(kp);
		return r;
	}
	*kpp = kp;
	return 0;
}

int
kex_keypair_new(const struct kex_alg *alg, const struct dh_group *group,
    struct kex_keypair **kpp)
{
	struct kex_keypair *kp = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (kpp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*kpp = NULL;
	if ((r = keypair_alloc(alg, group, &kp)) != 0)
		return r;
	if (is_dh(alg))
		r = kex_dh_keygen(kp);
	else if (is_hybrid(alg))
		r = kex_hybrid_keygen(kp);
	else
		r = kex_ecdh_keygen(kp);
	if (r != 0) {
		kex_keypair_free(kp);
		return r;
	}
	*kpp = kp;
	return 0;
}

int
kex_keypair_from_private(const struct kex_alg *alg,
    const struct dh_group *group, const uint8_t *priv, size_t len,
    struct kex_keypair **kpp)
{
	struct kex_keypair *kp = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (kpp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*kpp = NULL;
	if (priv == NULL || len == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = keypair_alloc(alg, group, &kp)) != 0)
		return r;
	if (is_dh(alg))
		r = kex_dh_from_private(kp, priv, len);
	else if (is_hybrid(alg))
		r = kex_hybrid_from_private(kp, priv, len);
	else
		r = kex_ecdh_from_private(kp, priv, len);
	if (r != 0) {
		kex_keypair_free(kp);
		return r;
	}
	*kpp = kp;
	return 0;
}

void
kex_keypair_free(struct kex_keypair *kp)
{
	if (kp == NULL)
		return;
	EVP_PKEY_free(kp->kp_pkey);
	dh_group_free(kp->kp_group);
	BN_clear_free(kp->kp_priv);
	BN_free(kp->kp_pub);
	kex_keypair_free(kp->kp_x25519);
	free(kp->kp_kem_pk);
	freezero(kp->kp_kem_sk, kp->kp_kem_sk_len);
	freezero(kp, sizeof(*kp));
}

const struct kex_alg *
kex_keypair_alg(const struct kex_keypair *kp)
{
	return kp->kp_alg;
}

int
kex_keypair_public(const struct kex_keypair *kp, struct buf *out)
{
	if (kp == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (is_dh(kp->kp_alg))
		return kex_dh_public(kp, out);
	if (is_hybrid(kp->kp_alg))
		return kex_hybrid_public(kp, out);
	return kex_ecdh_public(kp, out);
}

int
kex_shared_secret(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K)
{
	if (kp == NULL || K == NULL || (peer == NULL && peer_len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if (is_dh(kp->kp_alg))
		return kex_dh_shared(kp, peer, peer_len, K);
	if (is_hybrid(kp->kp_alg))
		return kex_hybrid_shared(kp, peer, peer_len, K);
	return kex_ecdh_shared(kp, peer, peer_len, K);
}

int
kex_respond(const struct kex_alg *alg, const struct dh_group *group,
    const uint8_t *peer, size_t peer_len, struct buf *pub, struct buf *K)
{
	struct kex_keypair *kp = NULL;
	int r;

	if (alg == NULL || alg != kex_alg_by_name(alg->ka_name) ||
	    alg->ka_kind == KEX_KIND_RSA ||
	    pub == NULL || K == NULL || (peer == NULL && peer_len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	/* A KEM's reply is made from the client's value. */
	if (is_hybrid(alg))
		return kex_hybrid_respond(alg, peer, peer_len, pub, K);
	if ((r = kex_keypair_new(alg, group, &kp)) == 0 &&
	    (r = kex_keypair_public(kp, pub)) == 0)
		r = kex_shared_secret(kp, peer, peer_len, K);
	kex_keypair_free(kp);
	return r;
}

int
kex_put_public(const struct kex_alg *alg, struct buf *msg,
    const uint8_t *pub, size_t len)
{
	if (alg == NULL || msg == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (is_dh(alg))
		return buf_put_bignum2_bytes(msg, pub, len);
	return buf_put_string(msg, pub, len);
}

int
kex_get_public(const struct kex_alg *alg, struct buf *msg,
    const uint8_t **pubp, size_t *lenp)
{
	if (alg == NULL || msg == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (is_dh(alg))
		return buf_get_bignum2_bytes_direct(msg, pubp, lenp);
	return buf_get_string_direct(msg, pubp, lenp);
}
