/*
 * check_kex_hybrid.c: the hybrid methods of protocol/kex_hybrid.c,
 * mlkem768x25519-sha256 and sntrup761x25519-sha512 (under both its
 * names): the two sides agree, K is the method's hash of the KEM and
 * X25519 secrets as a string, bad client values are refused, and a whole
 * exchange in memory against the server connection, with its refusals and
 * crypto.require_pq.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/conn.h"
#include "protocol/kex_method.h"
#include "protocol/mlkem768.h"
#include "protocol/sntrup761.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"
#include "tests/unit/testutil.h"

#define HYBRID		"mlkem768x25519-sha256"
#define QC_LEN		(MLKEM768_EK_LEN + 32)
#define QS_LEN		(MLKEM768_CT_LEN + 32)

/* Every hybrid method, for the loop tests. */
static const struct method {
	const char *name;
	enum kex_kind kind;
	size_t qc_len, qs_len;	/* KEM public key / ciphertext + X25519 */
	size_t hash_len;	/* K's hash and H's */
} methods[] = {
	{ HYBRID, KEX_KIND_MLKEM768_X25519, QC_LEN, QS_LEN, 32 },
	{ "sntrup761x25519-sha512", KEX_KIND_SNTRUP761_X25519,
	    SNTRUP761_PUBLICKEY_BYTES + 32, SNTRUP761_CIPHERTEXT_BYTES + 32, 64 },
	{ "sntrup761x25519-sha512@openssh.com", KEX_KIND_SNTRUP761_X25519,
	    SNTRUP761_PUBLICKEY_BYTES + 32, SNTRUP761_CIPHERTEXT_BYTES + 32, 64 },
};
#define NMETHODS	((int)(sizeof(methods) / sizeof(methods[0])))

static const struct kex_alg *
hybrid(void)
{
	const struct kex_alg *a = kex_alg_by_name(HYBRID);

	ck_assert_ptr_nonnull(a);
	return a;
}

START_TEST(test_agree)
{
	const struct method *m = &methods[_i];
	const struct kex_alg *a = kex_alg_by_name(m->name);
	struct kex_keypair *kp = NULL;
	struct buf *qc = buf_new(), *qs = buf_new();
	struct buf *kc = buf_new(), *ks = buf_new();
	const uint8_t *k;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->ka_kind, m->kind);
	ck_assert_uint_eq(a->ka_hash_len, m->hash_len);
	ck_assert_int_eq(kex_alg_is_pq(a), 1);
	ck_assert_int_eq(kex_alg_is_pq(kex_alg_by_name("curve25519-sha256")),
	    0);
	ck_assert_int_eq(kex_keypair_new(a, NULL, &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, qc), 0);
	ck_assert_uint_eq(buf_len(qc), m->qc_len);
	ck_assert_int_eq(kex_respond(a, NULL, buf_ptr(qc), buf_len(qc), qs,
	    ks), 0);
	ck_assert_uint_eq(buf_len(qs), m->qs_len);
	ck_assert_int_eq(kex_shared_secret(kp, buf_ptr(qs), buf_len(qs), kc),
	    0);
	ck_assert_int_eq(buf_equals(kc, ks), 0);
	/* A string of the hash's length, never an mpint (no leading-zero
	 * rule). */
	k = buf_ptr(ks);
	ck_assert_uint_eq(buf_len(ks), 4 + m->hash_len);
	ck_assert(k[0] == 0 && k[1] == 0 && k[2] == 0 && k[3] == m->hash_len);
	/* Wire type: a string. */
	buf_reset(kc);
	ck_assert_int_eq(kex_put_public(a, kc, buf_ptr(qc), buf_len(qc)), 0);
	ck_assert_uint_eq(buf_len(kc), 4 + m->qc_len);
	kex_keypair_free(kp);
	buf_free(qc);
	buf_free(qs);
	buf_free(kc);
	buf_free(ks);
}
END_TEST

/* K recomputed from the parts: ML-KEM decapsulation with the client's
 * seeds and X25519 with its scalar, both independently of kex_hybrid.c. */
START_TEST(test_k_is_hash_of_both)
{
	uint8_t priv[96], ek[MLKEM768_EK_LEN], dk[MLKEM768_DK_LEN];
	uint8_t kem[32], ecdh[32], want[4 + 32];
	struct kex_keypair *kp = NULL;
	struct buf *qc = buf_new(), *qs = buf_new(), *K = buf_new();
	EVP_PKEY *ours, *theirs;
	EVP_PKEY_CTX *ctx;
	size_t i, len = sizeof(ecdh);
	unsigned int hlen = 32;

	for (i = 0; i < sizeof(priv); i++)
		priv[i] = (uint8_t)(7 * i + 1);
	ck_assert_int_eq(kex_keypair_from_private(hybrid(), NULL, priv,
	    sizeof(priv), &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, qc), 0);
	ck_assert_int_eq(mlkem768_keygen(priv, priv + 32, ek, dk), 0);
	ck_assert_mem_eq(buf_ptr(qc), ek, sizeof(ek));
	ck_assert_int_eq(kex_respond(hybrid(), NULL, buf_ptr(qc),
	    buf_len(qc), qs, K), 0);
	ck_assert_int_eq(mlkem768_decaps(dk, sizeof(dk), buf_ptr(qs),
	    MLKEM768_CT_LEN, kem), 0);
	ck_assert_ptr_nonnull(ours = EVP_PKEY_new_raw_private_key(
	    EVP_PKEY_X25519, NULL, priv + 64, 32));
	ck_assert_ptr_nonnull(theirs = EVP_PKEY_new_raw_public_key(
	    EVP_PKEY_X25519, NULL, buf_ptr(qs) + MLKEM768_CT_LEN, 32));
	ck_assert_ptr_nonnull(ctx = EVP_PKEY_CTX_new(ours, NULL));
	ck_assert_int_eq(EVP_PKEY_derive_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_derive_set_peer(ctx, theirs), 1);
	ck_assert_int_eq(EVP_PKEY_derive(ctx, ecdh, &len), 1);
	memcpy(want, "\0\0\0\x20", 4);
	{
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		ck_assert_int_eq(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
		ck_assert_int_eq(EVP_DigestUpdate(md, kem, 32), 1);
		ck_assert_int_eq(EVP_DigestUpdate(md, ecdh, 32), 1);
		ck_assert_int_eq(EVP_DigestFinal_ex(md, want + 4, &hlen), 1);
		EVP_MD_CTX_free(md);
	}
	ck_assert_uint_eq(buf_len(K), sizeof(want));
	ck_assert_mem_eq(buf_ptr(K), want, sizeof(want));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(ours);
	EVP_PKEY_free(theirs);
	kex_keypair_free(kp);
	buf_free(qc);
	buf_free(qs);
	buf_free(K);
}
END_TEST

START_TEST(test_bad_values)
{
	const struct method *m = &methods[_i];
	const struct kex_alg *a = kex_alg_by_name(m->name);
	struct kex_keypair *kp = NULL, *other = NULL;
	struct buf *qc = buf_new(), *qs = buf_new(), *K = buf_new();
	size_t kem = m->qc_len - 32;
	uint8_t *bad;

	ck_assert_int_eq(kex_keypair_new(a, NULL, &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, qc), 0);
	bad = malloc(m->qc_len + 1);
	memcpy(bad, buf_ptr(qc), m->qc_len);
	bad[m->qc_len] = 0;
	/* Lengths: one short, one long, a bare X25519 key, nothing. */
	ck_assert_int_eq(kex_respond(a, NULL, bad, m->qc_len - 1, qs, K),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(kex_respond(a, NULL, bad, m->qc_len + 1, qs, K),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(kex_respond(a, NULL, bad + kem, 32, qs, K),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(kex_respond(a, NULL, NULL, 0, qs, K),
	    SSH_ERR_INVALID_FORMAT);
	/* A low-order X25519 point (zero) with a good KEM key. */
	memset(bad + kem, 0, 32);
	ck_assert_int_eq(kex_respond(a, NULL, bad, m->qc_len, qs, K),
	    SSH_ERR_KEY_INVALID_EC_VALUE);
	ck_assert_uint_eq(buf_len(K), 0);
	/* The client side: Q_S of the wrong length. */
	ck_assert_int_eq(kex_shared_secret(kp, bad, m->qs_len - 1, K),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_uint_eq(buf_len(K), 0);
	/* ML-KEM's seeds are 96 bytes with X25519's; sntrup761 has none. */
	ck_assert_int_eq(kex_keypair_from_private(a, NULL, bad, 95, &other),
	    SSH_ERR_INVALID_ARGUMENT);
	if (m->kind == KEX_KIND_SNTRUP761_X25519)
		ck_assert_int_eq(kex_keypair_from_private(a, NULL, bad, 96,
		    &other), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_null(other);
	free(bad);
	kex_keypair_free(kp);
	buf_free(qc);
	buf_free(qs);
	buf_free(K);
}
END_TEST

/* FIPS 203 7.2: the first coefficient 0xfff, not below q. */
START_TEST(test_mlkem_unreduced)
{
	struct kex_keypair *kp = NULL;
	struct buf *qc = buf_new(), *qs = buf_new(), *K = buf_new();
	uint8_t *d;

	ck_assert_int_eq(kex_keypair_new(hybrid(), NULL, &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, qc), 0);
	d = buf_mutable_ptr(qc);
	d[0] = 0xff;
	d[1] |= 0x0f;
	ck_assert_int_eq(kex_respond(hybrid(), NULL, buf_ptr(qc), QC_LEN, qs,
	    K), SSH_ERR_INVALID_FORMAT);
	ck_assert_uint_eq(buf_len(K), 0);
	kex_keypair_free(kp);
	buf_free(qc);
	buf_free(qs);
	buf_free(K);
}
END_TEST

START_TEST(test_full_exchange)
{
	const struct method *m = &methods[_i];
	struct tclient tc;
	const char *algs;
	size_t n = strlen(m->name);

	ck_assert_int_eq(tclient_new(&tc, "chacha20-poly1305@openssh.com",
	    NULL, 1), 0);
	tc.kex = m->name;
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	ck_assert_uint_eq(buf_len(tc.session_id), m->hash_len);
	/* The session summary names the method. */
	ck_assert_ptr_nonnull(algs = conn_algorithms(tc.srv));
	ck_assert_msg(strncmp(algs, "kex ", 4) == 0 &&
	    strncmp(algs + 4, m->name, n) == 0 && algs[4 + n] == ',', "%s",
	    algs);
	tclient_free(&tc);
}
END_TEST

static int
truncate_qc(struct buf *qc)
{
	return buf_consume_end(qc, 1);
}

static int
unreduced_qc(struct buf *qc)
{
	uint8_t *d = buf_mutable_ptr(qc);

	d[0] = 0xff;
	d[1] |= 0x0f;
	return 0;
}

/* A server connection whose handshake with a client offering only kex
 * ends in a key-exchange-failed DISCONNECT for why. */
static void
refused(const char *kex, int require_pq, int (*edit)(struct buf *),
    const char *why)
{
	struct tclient tc;
	struct conn_event ev;

	ck_assert_int_eq(tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1),
	    0);
	conn_free(tc.srv);
	tc.set.require_pq = require_pq;
	ck_assert_ptr_nonnull(tc.srv = conn_new(&tc.set, 0));
	tc.kex = kex;
	tc.edit_qc = edit;
	ck_assert_int_ne(tclient_handshake(&tc), 0);
	ck_assert_int_ne(conn_closed(tc.srv), 0);
	while (conn_next_event(tc.srv, &ev) == 1 && ev.type != CONN_EV_CLOSED)
		;
	ck_assert_int_eq(ev.type, CONN_EV_CLOSED);
	ck_assert_int_eq(ev.u.closed.reason,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	ck_assert_msg(strstr(conn_error(tc.srv), why) != NULL, "%s",
	    conn_error(tc.srv));
	tclient_free(&tc);
}

START_TEST(test_full_exchange_refused)
{
	int i;

	for (i = 0; i < NMETHODS; i++)
		refused(methods[i].name, 0, truncate_qc,
		    "invalid public value from client");
	refused(HYBRID, 0, unreduced_qc, "invalid public value from client");
}
END_TEST

/* crypto.require_pq: classical methods refused, each hybrid (a client
 * offering only sntrup761x25519 too) accepted. */
START_TEST(test_require_pq)
{
	struct tclient tc;
	int i;

	refused("curve25519-sha256", 1, NULL,
	    "post-quantum key exchange required");
	refused("ecdh-sha2-nistp256", 1, NULL,
	    "post-quantum key exchange required");
	for (i = 0; i < NMETHODS; i++) {
		ck_assert_int_eq(tclient_new(&tc, "aes128-gcm@openssh.com",
		    NULL, 1), 0);
		conn_free(tc.srv);
		tc.set.require_pq = 1;
		ck_assert_ptr_nonnull(tc.srv = conn_new(&tc.set, 0));
		tc.kex = methods[i].name;
		ck_assert_msg(tclient_handshake(&tc) == 0, "%s",
		    methods[i].name);
		tclient_free(&tc);
	}
	/* Without it the classical one still works. */
	ck_assert_int_eq(tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1),
	    0);
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	tclient_free(&tc);
}
END_TEST

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("kex", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
kex_hybrid_suite(void)
{
	Suite *s = suite_create("kex_hybrid");
	TCase *tc = tcase_create("hybrid");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_agree, 0, NMETHODS);
	tcase_add_test(tc, test_k_is_hash_of_both);
	tcase_add_loop_test(tc, test_bad_values, 0, NMETHODS);
	tcase_add_test(tc, test_mlkem_unreduced);
	tcase_add_loop_test(tc, test_full_exchange, 0, NMETHODS);
	tcase_add_test(tc, test_full_exchange_refused);
	tcase_add_test(tc, test_require_pq);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(kex_hybrid_suite());
}
