/*
 * check_monitor_hostile_rsakex.c: the monitor's RSA key exchange
 * (privsep/monitor_rsakex.c) against a protocol child that breaks its
 * rules (tests/unit/hostile.h): a decryption only inside an exchange of
 * that method opened by RSA_KEX_PUBKEY, only once, none after a failed
 * one, ciphertexts within the size cap, and SIGN only in step.  Each
 * breach ends the connection as a violation, unanswered; a bad
 * ciphertext by itself is the client's fault and gets ok 0, always the
 * same answer.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/monotime.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/outcome.h"
#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"
#include "tests/unit/hostile.h"
#include "tests/unit/testutil.h"

#define RSA2048		"rsa2048-sha256"

/* The next message, which must be of type want; its payload. */
static struct buf *
recv_want(struct hostile *h, uint32_t want)
{
	struct buf *payload = NULL;
	uint32_t type;
	int fd = -1;

	ck_assert_int_eq(ipc_recv_wait(h->ipc, &type, &payload, &fd,
	    WAIT_MS), 0);
	ck_assert_int_eq(fd, -1);
	ck_assert_msg(type == want, "got %s, not %s", ipc_msg_name(type),
	    ipc_msg_name(want));
	h->got[h->ngot++] = type;
	return payload;
}

/* The monitor, its CONFIG read. */
static void
start(struct hostile *h)
{
	hostile_start(h);
	buf_free(recv_want(h, IPC_MSG_CONFIG));
}

static void
send_pubkey(struct hostile *h, const char *kex)
{
	struct ipc_rsa_kex_pubkey q = { kex };
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(ipc_enc_rsa_kex_pubkey(b, &q), 0);
	send_msg(h, IPC_MSG_RSA_KEX_PUBKEY, b, -1);
}

/* PUBKEY answered: K_T's blob. */
static struct buf *
pubkey(struct hostile *h, const char *kex)
{
	struct ipc_rsa_kex_pubkey_reply a;
	struct buf *m, *kt;

	send_pubkey(h, kex);
	m = recv_want(h, IPC_MSG_RSA_KEX_PUBKEY_REPLY);
	ck_assert_int_eq(ipc_dec_rsa_kex_pubkey_reply(m, &a), 0);
	ck_assert_ptr_nonnull(kt = buf_new());
	ck_assert_int_eq(buf_put(kt, a.key.p, a.key.len), 0);
	ipc_free_rsa_kex_pubkey_reply(&a);
	buf_free(m);
	return kt;
}

static void
send_decrypt(struct hostile *h, const char *kex, const uint8_t *ct,
    size_t len)
{
	struct ipc_rsa_kex_decrypt q = { kex, { ct, len } };
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(ipc_enc_rsa_kex_decrypt(b, &q), 0);
	send_msg(h, IPC_MSG_RSA_KEX_DECRYPT, b, -1);
}

/* DECRYPT answered: 1 and K in K, or 0 for a refused ciphertext. */
static int
decrypt(struct hostile *h, const char *kex, const uint8_t *ct, size_t len,
    struct buf *K)
{
	struct ipc_rsa_kex_decrypt_reply a;
	struct buf *m;
	int ok;

	send_decrypt(h, kex, ct, len);
	m = recv_want(h, IPC_MSG_RSA_KEX_DECRYPT_REPLY);
	ck_assert_int_eq(ipc_dec_rsa_kex_decrypt_reply(m, &a), 0);
	ok = a.ok;
	if (ok)
		ck_assert_int_eq(buf_put(K, a.k.p, a.k.len), 0);
	else
		ck_assert_uint_eq(a.k.len, 0);
	ipc_free_rsa_kex_decrypt_reply(&a);
	buf_free(m);
	return ok;
}

/* A whole good exchange's monitor half: K_T, one decryption of a secret
 * the test encrypted, which must give the same K. */
static void
good_exchange(struct hostile *h)
{
	struct buf *kt = pubkey(h, RSA2048), *K = buf_new(), *K2 = buf_new();
	struct buf *ct = buf_new();

	ck_assert_int_eq(kex_rsa_encrypt(kex_alg_by_name(RSA2048),
	    buf_ptr(kt), buf_len(kt), K, ct), 0);
	ck_assert_int_eq(decrypt(h, RSA2048, buf_ptr(ct), buf_len(ct), K2), 1);
	ck_assert_uint_eq(buf_len(K), buf_len(K2));
	ck_assert(memcmp(buf_ptr(K), buf_ptr(K2), buf_len(K)) == 0);
	buf_free(kt);
	buf_free(K);
	buf_free(K2);
	buf_free(ct);
}

static void
bad_decrypt(struct hostile *h)
{
	uint8_t junk[256];
	struct buf *kt = pubkey(h, RSA2048), *K = buf_new();

	memset(junk, 0x42, sizeof(junk));
	ck_assert_int_eq(decrypt(h, RSA2048, junk, sizeof(junk), K), 0);
	buf_free(kt);
	buf_free(K);
}

/* The breach after the steps: a violation, nothing answered after. */
static void
expect_violation(struct hostile *h, size_t answered)
{
	int status = hostile_finish(h);

	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_VIOLATION);
	ck_assert_uint_eq(h->ngot, answered);
}

static const uint8_t ct256[256] = { 1 };

START_TEST(test_decrypt_without_exchange)
{
	struct hostile h;

	start(&h);
	send_decrypt(&h, RSA2048, ct256, sizeof(ct256));
	expect_violation(&h, 1);
}
END_TEST

START_TEST(test_pubkey_other_method)
{
	struct hostile h;

	start(&h);
	send_pubkey(&h, "curve25519-sha256");
	expect_violation(&h, 1);
}
END_TEST

START_TEST(test_pubkey_not_configured)
{
	struct hostile h;

	start(&h);
	send_pubkey(&h, "rsa1024-sha1");
	expect_violation(&h, 1);
}
END_TEST

START_TEST(test_pubkey_twice)
{
	struct hostile h;

	start(&h);
	buf_free(pubkey(&h, RSA2048));
	send_pubkey(&h, RSA2048);
	expect_violation(&h, 2);
}
END_TEST

START_TEST(test_decrypt_other_method)
{
	struct hostile h;

	start(&h);
	buf_free(pubkey(&h, RSA2048));
	send_decrypt(&h, "rsa1024-sha1", ct256, 128);
	expect_violation(&h, 2);
}
END_TEST

START_TEST(test_decrypt_over_cap)
{
	static const uint8_t big[1024];
	struct hostile h;

	start(&h);
	buf_free(pubkey(&h, RSA2048));
	send_decrypt(&h, RSA2048, big, sizeof(big));
	expect_violation(&h, 2);
}
END_TEST

/* After a good decryption: no second one, and no SIGN of another
 * method. */
START_TEST(test_decrypt_twice)
{
	struct hostile h;

	start(&h);
	good_exchange(&h);
	send_decrypt(&h, RSA2048, ct256, sizeof(ct256));
	expect_violation(&h, 3);
}
END_TEST

START_TEST(test_sign_other_method)
{
	struct hostile h;

	start(&h);
	good_exchange(&h);
	send_msg(&h, IPC_MSG_SIGN, good_sign(), -1);
	expect_violation(&h, 3);
}
END_TEST

START_TEST(test_sign_before_decrypt)
{
	struct hostile h;

	start(&h);
	buf_free(pubkey(&h, RSA2048));
	send_msg(&h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    RSA2048, 32), -1);
	expect_violation(&h, 2);
}
END_TEST

START_TEST(test_sign_rsa_without_exchange)
{
	struct hostile h;

	start(&h);
	send_msg(&h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    RSA2048, 32), -1);
	expect_violation(&h, 1);
}
END_TEST

/* A failed decryption: the same answer for every kind of bad
 * ciphertext, and no further exchange or try. */
START_TEST(test_failed_then_pubkey)
{
	struct hostile h;

	start(&h);
	bad_decrypt(&h);
	send_pubkey(&h, RSA2048);
	expect_violation(&h, 3);
}
END_TEST

START_TEST(test_failed_then_decrypt)
{
	struct hostile h;

	start(&h);
	bad_decrypt(&h);
	send_decrypt(&h, RSA2048, ct256, sizeof(ct256));
	expect_violation(&h, 3);
}
END_TEST

START_TEST(test_short_ciphertext_same_answer)
{
	struct hostile h;
	struct buf *K = buf_new();

	start(&h);
	buf_free(pubkey(&h, RSA2048));
	ck_assert_int_eq(decrypt(&h, RSA2048, ct256, 17, K), 0);
	buf_free(K);
	send_pubkey(&h, RSA2048);
	expect_violation(&h, 3);
}
END_TEST

/* By the rules: K_T, the decryption, the exchange's SIGN answered, and
 * a clean end. */
START_TEST(test_control)
{
	struct hostile h;
	int status;

	start(&h);
	good_exchange(&h);
	send_msg(&h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    RSA2048, 32), -1);
	buf_free(recv_want(&h, IPC_MSG_SIGN_REPLY));
	close(h.client);
	h.client = -1;
	status = hostile_finish(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), OUTCOME_VIOLATION);
}
END_TEST

/* One RSA exchange of a rekey after login: its K_T. */
static struct buf *
rekey(struct hostile *h)
{
	struct buf *kt = pubkey(h, RSA2048), *K = buf_new(), *K2 = buf_new();
	struct buf *ct = buf_new();

	ck_assert_int_eq(kex_rsa_encrypt(kex_alg_by_name(RSA2048),
	    buf_ptr(kt), buf_len(kt), K, ct), 0);
	ck_assert_int_eq(decrypt(h, RSA2048, buf_ptr(ct), buf_len(ct), K2), 1);
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    RSA2048, 32), -1);
	buf_free(recv_want(h, IPC_MSG_SIGN_REPLY));
	buf_free(K);
	buf_free(K2);
	buf_free(ct);
	return kt;
}

static int
same(const struct buf *a, const struct buf *b)
{
	return buf_len(a) == buf_len(b) &&
	    memcmp(buf_ptr(a), buf_ptr(b), buf_len(a)) == 0;
}

/* crypto.rsa_kex_key_lifetime: rekeys keep the transient key until it
 * is that old, then get a new one. */
START_TEST(test_key_lifetime)
{
	struct hostile h;
	struct buf *kt1, *kt2, *kt3;
	uint64_t t0, t1;
	int status;

	hostile_start(&h);
	login(&h);
	t0 = monotime_ms();
	kt1 = rekey(&h);		/* made between t0 and t1 */
	t1 = monotime_ms();
	kt2 = rekey(&h);
	ck_assert_msg(monotime_ms() - t0 < HOSTILE_RSA_KEX_LIFETIME * 1000,
	    "the machine is too slow for this test");
	ck_assert(same(kt1, kt2));
	/* Waiting for the key's age is the condition itself. */
	while (monotime_ms() - t1 <= HOSTILE_RSA_KEX_LIFETIME * 1000)
		usleep(50 * 1000);
	kt3 = rekey(&h);
	ck_assert(!same(kt1, kt3));
	close(h.client);
	h.client = -1;
	status = hostile_finish(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), OUTCOME_VIOLATION);
	buf_free(kt1);
	buf_free(kt2);
	buf_free(kt3);
}
END_TEST

static Suite *
hostile_rsakex_suite(void)
{
	Suite *s = suite_create("monitor_hostile_rsakex");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_key_lifetime);
	tcase_add_test(tc, test_decrypt_without_exchange);
	tcase_add_test(tc, test_pubkey_other_method);
	tcase_add_test(tc, test_pubkey_not_configured);
	tcase_add_test(tc, test_pubkey_twice);
	tcase_add_test(tc, test_decrypt_other_method);
	tcase_add_test(tc, test_decrypt_over_cap);
	tcase_add_test(tc, test_decrypt_twice);
	tcase_add_test(tc, test_sign_other_method);
	tcase_add_test(tc, test_sign_before_decrypt);
	tcase_add_test(tc, test_sign_rsa_without_exchange);
	tcase_add_test(tc, test_failed_then_pubkey);
	tcase_add_test(tc, test_failed_then_decrypt);
	tcase_add_test(tc, test_short_ciphertext_same_answer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(hostile_rsakex_suite());
}
