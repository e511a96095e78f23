/*
 * keytest.c: what the key tests share: generated keys, fixtures, a
 * sign-and-verify check (keytest.h).
 */
#include <check.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "common/keyfile.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

const struct gen_type gen_types[NGEN] = {
	{ KEY_ED25519, 0, "ssh-ed25519" },
	{ KEY_ECDSA_P256, 0, "ecdsa-sha2-nistp256" },
	{ KEY_ECDSA_P384, 0, "ecdsa-sha2-nistp384" },
	{ KEY_ECDSA_P521, 0, "ecdsa-sha2-nistp521" },
	{ KEY_RSA, 2048, "ssh-rsa" },
};

struct sshkey *gen_keys[NGEN];

void
gen_setup(void)
{
	size_t i;

	for (i = 0; i < NGEN; i++)
		ck_assert_int_eq(key_generate(gen_types[i].type,
		    gen_types[i].bits, &gen_keys[i]), 0);
}

void
gen_teardown(void)
{
	size_t i;

	for (i = 0; i < NGEN; i++) {
		key_free(gen_keys[i]);
		gen_keys[i] = NULL;
	}
}

struct buf *
read_fixture(const char *name)
{
	struct buf *b = NULL;

	ck_assert_msg(keyfile_read(tu_path(name), 0, &b) == 0, "read %s",
	    name);
	return b;
}

/* Signs with priv and verifies with pub: the private halves agree. */
void
assert_signs_for(const struct sshkey *priv, const struct sshkey *pub)
{
	static const uint8_t msg[] = "nanossh key test";
	const EVP_MD *md = key_type(priv) == KEY_ED25519 ? NULL : EVP_sha256();
	EVP_MD_CTX *ctx;
	uint8_t sig[1024];
	size_t siglen = sizeof(sig);

	ck_assert_ptr_nonnull(ctx = EVP_MD_CTX_new());
	ck_assert_int_eq(EVP_DigestSignInit(ctx, NULL, md, NULL,
	    key_evp(priv)), 1);
	ck_assert_int_eq(EVP_DigestSign(ctx, sig, &siglen, msg, sizeof(msg)),
	    1);
	EVP_MD_CTX_free(ctx);
	ck_assert_ptr_nonnull(ctx = EVP_MD_CTX_new());
	ck_assert_int_eq(EVP_DigestVerifyInit(ctx, NULL, md, NULL,
	    key_evp(pub)), 1);
	ck_assert_int_eq(EVP_DigestVerify(ctx, sig, siglen, msg, sizeof(msg)),
	    1);
	EVP_MD_CTX_free(ctx);
}
