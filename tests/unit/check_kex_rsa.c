/*
 * check_kex_rsa.c: RSA key exchange (RFC 4432, protocol/kex_rsa.c): the
 * OAEP decryption over every Wycheproof RSAES-OAEP case of both hashes,
 * K's bound, both methods' whole exchange in memory against the server
 * connection, and the one clean refusal of a tampered secret.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/config.h"
#include "protocol/buf.h"
#include "protocol/conn.h"
#include "protocol/kex_method.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"
#include "tests/unit/testutil.h"

static const struct kex_alg *
alg(const char *name)
{
	const struct kex_alg *a = kex_alg_by_name(name);

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->ka_kind, KEX_KIND_RSA);
	return a;
}

/* A group's private key, from its PKCS#8 DER. */
static struct sshkey *
wp_key(const json_t *group)
{
	struct sshkey *k = NULL;
	const uint8_t *p;
	uint8_t *der;
	size_t len;
	EVP_PKEY *pkey;

	der = tu_hex(tu_str(group, "privateKeyPkcs8"), &len);
	p = der;
	ck_assert_ptr_nonnull(pkey = d2i_AutoPrivateKey(NULL, &p, (long)len));
	ck_assert_int_eq(key_from_pkey(pkey, 1, KEY_RSA, &k), 0);
	free(der);
	return k;
}

/* Every case: ours uses the empty label, so a case with a label must
 * fail for us whatever its result; the others decrypt exactly when
 * valid. */
static void
wp_run(const char *file, const char *method)
{
	json_t *root = tu_wycheproof(file);
	const json_t *groups = json_object_get(root, "testGroups");
	const json_t *group, *tc;
	size_t gi, ti, total = 0, ok = 0;

	ck_assert(json_array_size(groups) > 0);
	json_array_foreach(groups, gi, group) {
		struct sshkey *k = wp_key(group);

		json_array_foreach(json_object_get(group, "tests"), ti, tc) {
			int id = (int)json_integer_value(json_object_get(tc,
			    "tcId"));
			int want = tu_expect(tc) == 1 &&
			    tu_str(tc, "label")[0] == '\0';
			uint8_t *ct, *msg;
			size_t ctlen, mlen;
			struct buf *pt = buf_new();
			int r;

			ct = tu_hex(tu_str(tc, "ct"), &ctlen);
			msg = tu_hex(tu_str(tc, "msg"), &mlen);
			r = kex_rsa_oaep_decrypt(alg(method), k, ct, ctlen, pt);
			if (want) {
				ck_assert_msg(r == 0, "%s tcId %d: %s", file,
				    id, ssh_err(r));
				ck_assert_uint_eq(buf_len(pt), mlen);
				ck_assert(mlen == 0 ||
				    memcmp(buf_ptr(pt), msg, mlen) == 0);
				ok++;
			} else
				ck_assert_msg(r == SSH_ERR_INVALID_FORMAT,
				    "%s tcId %d: %d", file, id, r);
			total++;
			free(ct);
			free(msg);
			buf_free(pt);
		}
		key_free(k);
	}
	ck_assert_uint_eq(total,
	    json_integer_value(json_object_get(root, "numberOfTests")));
	ck_assert_uint_ge(ok, 10);
	json_decref(root);
}

START_TEST(test_wycheproof_sha256)
{
	wp_run("rsa_oaep_2048_sha256_mgf1sha256_test.json", "rsa2048-sha256");
}
END_TEST

START_TEST(test_wycheproof_sha1)
{
	/* rsa1024-sha1's OAEP parameters, with Wycheproof's 2048-bit key. */
	wp_run("rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa1024-sha1");
}
END_TEST

/* An mpint of exactly bits bits (bits > 0). */
static struct buf *
mpint_bits(size_t bits)
{
	struct buf *b = buf_new();
	size_t n = (bits + 7) / 8;
	uint8_t *mag = calloc(1, n);

	ck_assert_ptr_nonnull(mag);
	memset(mag, 0xa5, n);
	mag[0] = (uint8_t)(1u << ((bits - 1) % 8));
	ck_assert_int_eq(buf_put_bignum2_bytes(b, mag, n), 0);
	free(mag);
	return b;
}

/* K < 2^(KLEN - 2*HLEN - 49): 2048 - 512 - 49 = 1487 bits for
 * rsa2048-sha256, 1024 - 320 - 49 = 655 for rsa1024-sha1. */
START_TEST(test_secret_bound)
{
	static const struct {
		const char *m;
		unsigned int klen;
		size_t max;
	} c[] = {
		{ "rsa2048-sha256", 2048, 1487 },
		{ "rsa1024-sha1", 1024, 655 },
		{ "rsa1024-sha1", 2048, 2048 - 320 - 49 },
	};
	struct buf *b;
	size_t i;
	uint8_t junk[5] = { 0 };

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		b = mpint_bits(c[i].max);
		ck_assert_int_eq(kex_rsa_check_secret(alg(c[i].m), c[i].klen,
		    buf_ptr(b), buf_len(b)), 0);
		buf_free(b);
		b = mpint_bits(c[i].max + 1);
		ck_assert_int_eq(kex_rsa_check_secret(alg(c[i].m), c[i].klen,
		    buf_ptr(b), buf_len(b)), SSH_ERR_INVALID_FORMAT);
		/* Trailing bytes, a cut mpint. */
		ck_assert_int_eq(buf_put_u8(b, 0), 0);
		ck_assert_int_eq(kex_rsa_check_secret(alg(c[i].m), c[i].klen,
		    buf_ptr(b), buf_len(b)), SSH_ERR_INVALID_FORMAT);
		ck_assert_int_eq(kex_rsa_check_secret(alg(c[i].m), c[i].klen,
		    buf_ptr(b), 6), SSH_ERR_INVALID_FORMAT);
		buf_free(b);
	}
	/* Zero is a valid K (the empty mpint); a negative one is not. */
	ck_assert_int_eq(kex_rsa_check_secret(alg("rsa1024-sha1"), 1024,
	    junk, 4), 0);
	junk[3] = 1;
	junk[4] = 0x80;
	ck_assert_int_eq(kex_rsa_check_secret(alg("rsa1024-sha1"), 1024,
	    junk, 5), SSH_ERR_INVALID_FORMAT);
}
END_TEST

/* What the client encrypts decrypts to the same K, within the bound,
 * and a K_T below the method's size is refused. */
START_TEST(test_encrypt_decrypt)
{
	const char *const m[] = { "rsa2048-sha256", "rsa1024-sha1" };
	struct sshkey *k, *small;
	struct buf *blob, *K, *K2, *ct;
	size_t i;

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(kex_rsa_keygen(alg(m[i]), &k), 0);
		ck_assert_uint_eq(key_bits(k), alg(m[i])->ka_rsa_bits);
		blob = buf_new();
		K = buf_new();
		K2 = buf_new();
		ct = buf_new();
		ck_assert_int_eq(key_to_blob(k, blob), 0);
		ck_assert_int_eq(kex_rsa_encrypt(alg(m[i]), buf_ptr(blob),
		    buf_len(blob), K, ct), 0);
		ck_assert_uint_eq(buf_len(ct), key_bits(k) / 8);
		ck_assert_int_eq(kex_rsa_decrypt(alg(m[i]), k, buf_ptr(ct),
		    buf_len(ct), K2), 0);
		ck_assert_uint_eq(buf_len(K), buf_len(K2));
		ck_assert(memcmp(buf_ptr(K), buf_ptr(K2), buf_len(K)) == 0);
		/* One byte off, or short: the one failure. */
		buf_reset(K2);
		buf_mutable_ptr(ct)[10] ^= 1;
		ck_assert_int_eq(kex_rsa_decrypt(alg(m[i]), k, buf_ptr(ct),
		    buf_len(ct), K2), SSH_ERR_INVALID_FORMAT);
		ck_assert_int_eq(kex_rsa_decrypt(alg(m[i]), k, buf_ptr(ct),
		    buf_len(ct) - 1, K2), SSH_ERR_INVALID_FORMAT);
		ck_assert_uint_eq(buf_len(K2), 0);
		buf_free(blob);
		buf_free(K);
		buf_free(K2);
		buf_free(ct);
		key_free(k);
	}
	/* A 1024-bit K_T for rsa2048-sha256. */
	ck_assert_int_eq(kex_rsa_keygen(alg("rsa1024-sha1"), &small), 0);
	blob = buf_new();
	K = buf_new();
	ct = buf_new();
	ck_assert_int_eq(key_to_blob(small, blob), 0);
	ck_assert_int_eq(kex_rsa_encrypt(alg("rsa2048-sha256"), buf_ptr(blob),
	    buf_len(blob), K, ct), SSH_ERR_KEY_LENGTH);
	ck_assert_int_eq(kex_rsa_decrypt(alg("rsa2048-sha256"), small,
	    buf_ptr(blob), 128, K), SSH_ERR_KEY_LENGTH);
	buf_free(blob);
	buf_free(K);
	buf_free(ct);
	key_free(small);
}
END_TEST

static void
full_exchange(const char *kex)
{
	struct tclient tc;
	const char *algs;
	char want[64];

	ck_assert_int_eq(tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1),
	    0);
	conn_free(tc.srv);
	tc.set.kex = kex;
	ck_assert_ptr_nonnull(tc.srv = conn_new(&tc.set, 0));
	tc.kex = kex;
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	ck_assert_ptr_nonnull(algs = conn_algorithms(tc.srv));
	snprintf(want, sizeof(want), "kex %s,", kex);
	ck_assert_msg(strncmp(algs, want, strlen(want)) == 0, "%s", algs);
	ck_assert_int_eq(tc.rsa_decrypt_failed, 0);
	tclient_free(&tc);
}

START_TEST(test_full_exchange)
{
	full_exchange("rsa2048-sha256");
	full_exchange("rsa1024-sha1");
}
END_TEST

static int
flip_secret(struct buf *ct)
{
	buf_mutable_ptr(ct)[buf_len(ct) / 2] ^= 0x40;
	return 0;
}

static int
cut_secret(struct buf *ct)
{
	return buf_consume_end(ct, 1);
}

/* A bad secret, whatever is wrong with it, ends the connection with the
 * same KEY_EXCHANGE_FAILED and the same words. */
static void
refused(const char *kex, int (*edit)(struct buf *), int asked)
{
	struct tclient tc;
	struct conn_event ev;

	ck_assert_int_eq(tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1),
	    0);
	conn_free(tc.srv);
	tc.set.kex = kex;
	ck_assert_ptr_nonnull(tc.srv = conn_new(&tc.set, 0));
	tc.kex = kex;
	tc.edit_qc = edit;
	ck_assert_int_ne(tclient_handshake(&tc), 0);
	ck_assert_int_eq(tc.rsa_decrypt_failed, asked);
	ck_assert_int_ne(conn_closed(tc.srv), 0);
	while (conn_next_event(tc.srv, &ev) == 1 && ev.type != CONN_EV_CLOSED)
		;
	ck_assert_int_eq(ev.type, CONN_EV_CLOSED);
	ck_assert_int_eq(ev.u.closed.reason,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	ck_assert_str_eq(conn_error(tc.srv), "key exchange failed");
	tclient_free(&tc);
}

static int
long_secret(struct buf *ct)
{
	uint8_t *p;
	int r;

	if ((r = buf_reserve(ct, KEX_RSA_SECRET_MAX, &p)) == 0)
		memset(p, 0x5a, KEX_RSA_SECRET_MAX);
	return r;
}

START_TEST(test_tampered_secret)
{
	refused("rsa2048-sha256", flip_secret, 1);
	refused("rsa2048-sha256", cut_secret, 1);
	refused("rsa1024-sha1", flip_secret, 1);
	/* Too long for any K_T: refused before the monitor is asked, with
	 * the same words. */
	refused("rsa2048-sha256", long_secret, 0);
}
END_TEST

/* Accepted in crypto.kex, never in its default. */
START_TEST(test_not_default)
{
	const char *const *d = cfg_default_algs("kex");
	const char *const *all = cfg_supported("kex");
	size_t i, n = 0;

	for (i = 0; d[i] != NULL; i++)
		ck_assert_msg(strncmp(d[i], "rsa", 3) != 0, "%s", d[i]);
	for (i = 0; all[i] != NULL; i++)
		n += strcmp(all[i], "rsa2048-sha256") == 0 ||
		    strcmp(all[i], "rsa1024-sha1") == 0;
	ck_assert_uint_eq(n, 2);
}
END_TEST

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("kex", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
kex_rsa_suite(void)
{
	Suite *s = suite_create("kex_rsa");
	TCase *tc = tcase_create("rfc4432");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_wycheproof_sha256);
	tcase_add_test(tc, test_wycheproof_sha1);
	tcase_add_test(tc, test_secret_bound);
	tcase_add_test(tc, test_encrypt_decrypt);
	tcase_add_test(tc, test_full_exchange);
	tcase_add_test(tc, test_tampered_secret);
	tcase_add_test(tc, test_not_default);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(kex_rsa_suite());
}
